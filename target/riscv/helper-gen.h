/*
 * For translate.c only: the TCGHelperInfo of every helper in helper.def and
 * its emitter gen_helper_<name>(ret, args...), which appends the call op.
 * The info objects are static: only this translation unit emits calls.
 */
#ifndef MORPH_TARGET_RISCV_HELPER_GEN_H
#define MORPH_TARGET_RISCV_HELPER_GEN_H

#include "tcg/tcg-op.h"
#include "helper.h"

#define dh_tcg_i32 TCGv_i32
#define dh_tcg_s32 TCGv_i32
#define dh_tcg_i64 TCGv_i64
#define dh_tcg_env TCGv_ptr
#define dh_tcg(t)  dh_tcg_##t

#define dh_tm_void TCG_CALL_TYPE_VOID
#define dh_tm_i32  TCG_CALL_TYPE_I32
#define dh_tm_s32  TCG_CALL_TYPE_S32
#define dh_tm_i64  TCG_CALL_TYPE_I64
#define dh_tm_env  TCG_CALL_TYPE_PTR
#define dh_tm(t)   dh_tm_##t

#define dh_arg_i32(x) tcg_arg_i32(x)
#define dh_arg_s32(x) tcg_arg_i32(x)
#define dh_arg_i64(x) tcg_arg_i64(x)
#define dh_arg_env(x) tcg_arg_i64(x)
#define dh_arg(t, x)  dh_arg_##t(x)

/* The result handle comes first in the emitter's parameters; void has none. */
#define dh_retdecl_void
#define dh_retdecl_i32 TCGv_i32 retval,
#define dh_retdecl_i64 TCGv_i64 retval,
#define dh_retdecl(t)  dh_retdecl_##t
#define dh_retidx_void -1
#define dh_retidx_i32  (int)tcgv_i32_idx(retval)
#define dh_retidx_i64  (int)tcgv_i64_idx(retval)
#define dh_retidx(t)   dh_retidx_##t

#define DH_INFO(nm, flags_, n, mask)                                                               \
    static TCGHelperInfo helper_info_##nm __attribute__((unused)) = {                              \
        .func = (void *)helper_##nm,                                                               \
        .name = #nm,                                                                               \
        .flags = (flags_),                                                                         \
        .typemask = (mask),                                                                        \
        .nb_args = (n),                                                                            \
    };

#define DEF_HELPER_1(name, flags, ret, t1)                                                         \
    DH_INFO(name, flags, 1, dh_tm(ret) | dh_tm(t1) << 3)                                           \
    static inline void gen_helper_##name(dh_retdecl(ret) dh_tcg(t1) a1)                            \
    {                                                                                              \
        tcg_gen_callN(&helper_info_##name, dh_retidx(ret), dh_arg(t1, a1));                        \
    }
#define DEF_HELPER_2(name, flags, ret, t1, t2)                                                     \
    DH_INFO(name, flags, 2, dh_tm(ret) | dh_tm(t1) << 3 | dh_tm(t2) << 6)                          \
    static inline void gen_helper_##name(dh_retdecl(ret) dh_tcg(t1) a1, dh_tcg(t2) a2)             \
    {                                                                                              \
        tcg_gen_callN(&helper_info_##name, dh_retidx(ret), dh_arg(t1, a1), dh_arg(t2, a2));        \
    }
#define DEF_HELPER_3(name, flags, ret, t1, t2, t3)                                                 \
    DH_INFO(name, flags, 3, dh_tm(ret) | dh_tm(t1) << 3 | dh_tm(t2) << 6 | dh_tm(t3) << 9)         \
    static inline void gen_helper_##name(dh_retdecl(ret) dh_tcg(t1) a1, dh_tcg(t2) a2,             \
                                         dh_tcg(t3) a3)                                            \
    {                                                                                              \
        tcg_gen_callN(&helper_info_##name, dh_retidx(ret), dh_arg(t1, a1), dh_arg(t2, a2),         \
                      dh_arg(t3, a3));                                                             \
    }
#define DEF_HELPER_4(name, flags, ret, t1, t2, t3, t4)                                             \
    DH_INFO(name, flags, 4,                                                                        \
            dh_tm(ret) | dh_tm(t1) << 3 | dh_tm(t2) << 6 | dh_tm(t3) << 9 | dh_tm(t4) << 12)       \
    static inline void gen_helper_##name(dh_retdecl(ret) dh_tcg(t1) a1, dh_tcg(t2) a2,             \
                                         dh_tcg(t3) a3, dh_tcg(t4) a4)                             \
    {                                                                                              \
        tcg_gen_callN(&helper_info_##name, dh_retidx(ret), dh_arg(t1, a1), dh_arg(t2, a2),         \
                      dh_arg(t3, a3), dh_arg(t4, a4));                                             \
    }
#define DEF_HELPER_5(name, flags, ret, t1, t2, t3, t4, t5)                                         \
    DH_INFO(name, flags, 5,                                                                        \
            dh_tm(ret) | dh_tm(t1) << 3 | dh_tm(t2) << 6 | dh_tm(t3) << 9 | dh_tm(t4) << 12 |      \
                dh_tm(t5) << 15)                                                                   \
    static inline void gen_helper_##name(dh_retdecl(ret) dh_tcg(t1) a1, dh_tcg(t2) a2,             \
                                         dh_tcg(t3) a3, dh_tcg(t4) a4, dh_tcg(t5) a5)              \
    {                                                                                              \
        tcg_gen_callN(&helper_info_##name, dh_retidx(ret), dh_arg(t1, a1), dh_arg(t2, a2),         \
                      dh_arg(t3, a3), dh_arg(t4, a4), dh_arg(t5, a5));                             \
    }

#include "helper.def"

#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

#endif
