/*
 * Prototypes of the RISC-V helpers listed in helper.def: the functions
 * generated code calls for what is not worth inlining (FP, CSRs, atomics,
 * exceptions, trap returns).  Every helper takes the CPU state first.
 */
#ifndef MORPH_TARGET_RISCV_HELPER_H
#define MORPH_TARGET_RISCV_HELPER_H

#include <stdint.h>
#include "cpu.h"

#define dh_ctype_void void
#define dh_ctype_i32  uint32_t
#define dh_ctype_s32  int32_t
#define dh_ctype_i64  uint64_t
#define dh_ctype_env  CPURISCVState *
#define dh_ctype(t)   dh_ctype_##t

#define DEF_HELPER_1(name, flags, ret, t1) dh_ctype(ret) helper_##name(dh_ctype(t1));
#define DEF_HELPER_2(name, flags, ret, t1, t2)                                                     \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2));
#define DEF_HELPER_3(name, flags, ret, t1, t2, t3)                                                 \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3));
#define DEF_HELPER_4(name, flags, ret, t1, t2, t3, t4)                                             \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4));
#define DEF_HELPER_5(name, flags, ret, t1, t2, t3, t4, t5)                                         \
    dh_ctype(ret)                                                                                  \
        helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4), dh_ctype(t5));

#include "helper.def"

#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

/* raise_exception never returns. */
__attribute__((noreturn)) void helper_raise_exception(CPURISCVState *env, uint32_t excp,
                                                      uint64_t tval);

#endif
