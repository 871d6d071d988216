/*
 * The op emitters a target's translator calls: one function per IR op and
 * type (tcg_gen_<op>_i32 / _i64), plus the immediate forms (..i_) and the
 * small compositions every target needs (conditional moves on constants,
 * guest loads/stores, helper calls, TB exits).  They append to tcg_ctx's op
 * list; the immediate forms fold trivial cases (add 0, and -1...) at once.
 * Semantics: docs/devel/tcg-ir.md.
 */
#ifndef MORPH_TCG_TCG_OP_H
#define MORPH_TCG_TCG_OP_H

#include "tcg/tcg.h"

/* Declares the i32 and i64 forms of a two-operand op and its immediate form. */
#define TCG_DECL_BINOP(name)                                                 \
    void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);         \
    void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);         \
    void tcg_gen_##name##i_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);         \
    void tcg_gen_##name##i_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
#define TCG_DECL_UNOP(name)                                                  \
    void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a);                     \
    void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a);

void tcg_gen_mov_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_mov_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_movi_i32(TCGv_i32 ret, int32_t v);
void tcg_gen_movi_i64(TCGv_i64 ret, int64_t v);
/* The value of `t` is no longer needed (lets liveness drop it early). */
void tcg_gen_discard_i32(TCGv_i32 t);
void tcg_gen_discard_i64(TCGv_i64 t);

TCG_DECL_BINOP(add)
TCG_DECL_BINOP(sub)
TCG_DECL_BINOP(mul)
TCG_DECL_BINOP(and)
TCG_DECL_BINOP(or)
TCG_DECL_BINOP(xor)
TCG_DECL_BINOP(andc)
TCG_DECL_BINOP(orc)
TCG_DECL_BINOP(eqv)
TCG_DECL_BINOP(nand)
TCG_DECL_BINOP(nor)
TCG_DECL_BINOP(shl)
TCG_DECL_BINOP(shr)
TCG_DECL_BINOP(sar)
TCG_DECL_BINOP(rotl)
TCG_DECL_BINOP(rotr)
/* Division: the caller guarantees b != 0 and no INT_MIN / -1 (see tcg-ir.md). */
TCG_DECL_BINOP(div)
TCG_DECL_BINOP(divu)
TCG_DECL_BINOP(rem)
TCG_DECL_BINOP(remu)
/* ret = imm - a */
void tcg_gen_subfi_i32(TCGv_i32 ret, int32_t imm, TCGv_i32 a);
void tcg_gen_subfi_i64(TCGv_i64 ret, int64_t imm, TCGv_i64 a);

TCG_DECL_UNOP(neg)
TCG_DECL_UNOP(not)
TCG_DECL_UNOP(ext8s)
TCG_DECL_UNOP(ext8u)
TCG_DECL_UNOP(ext16s)
TCG_DECL_UNOP(ext16u)
TCG_DECL_UNOP(bswap16)
TCG_DECL_UNOP(bswap32)
TCG_DECL_UNOP(ctpop)
void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_bswap64_i64(TCGv_i64 ret, TCGv_i64 a);

/* Double-width results: (rl, rh). */
void tcg_gen_mulu2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mulu2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_muls2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muls2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b);
/* (rl, rh) = signed a * unsigned b */
void tcg_gen_mulsu2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_add2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl,
                      TCGv_i32 bh);
void tcg_gen_add2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl,
                      TCGv_i64 bh);
void tcg_gen_sub2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl,
                      TCGv_i32 bh);
void tcg_gen_sub2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl,
                      TCGv_i64 bh);

/* Bit fields. */
void tcg_gen_extract_i32(TCGv_i32 ret, TCGv_i32 a, unsigned pos, unsigned len);
void tcg_gen_extract_i64(TCGv_i64 ret, TCGv_i64 a, unsigned pos, unsigned len);
void tcg_gen_sextract_i32(TCGv_i32 ret, TCGv_i32 a, unsigned pos, unsigned len);
void tcg_gen_sextract_i64(TCGv_i64 ret, TCGv_i64 a, unsigned pos, unsigned len);
void tcg_gen_deposit_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b, unsigned pos, unsigned len);
void tcg_gen_deposit_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b, unsigned pos, unsigned len);

/* Between types. */
void tcg_gen_ext_i32_i64(TCGv_i64 ret, TCGv_i32 a);
void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 a);
void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 a);
void tcg_gen_extrh_i64_i32(TCGv_i32 ret, TCGv_i64 a);

/* Bit counts; `zero_val` is the result for a zero input. */
void tcg_gen_clz_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 zero_val);
void tcg_gen_clz_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 zero_val);
void tcg_gen_ctz_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 zero_val);
void tcg_gen_ctz_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 zero_val);
void tcg_gen_clzi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t zero_val);
void tcg_gen_ctzi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t zero_val);
void tcg_gen_clzi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t zero_val);
void tcg_gen_ctzi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t zero_val);

/* Conditions. */
void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_negsetcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_negsetcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2, TCGv_i32 v1,
                         TCGv_i32 v2);
void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2, TCGv_i64 v1,
                         TCGv_i64 v2);
void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l);
void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l);
void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l);
void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l);
void tcg_gen_br(TCGLabel *l);
void gen_set_label(TCGLabel *l);

/* Host memory at base + offset (base is normally tcg_env()). */
void tcg_gen_ld8u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld8s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld8u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld8s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld32u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld32s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st8_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st16_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st8_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st16_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st32_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);

/*
 * Guest memory.  `addr` is the guest virtual address (i64); `mmu_idx` the
 * target's MMU index; the memop gives size, sign, byte order, alignment.
 * A 64-bit value loaded into an i32 is not allowed.
 */
void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop);
void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop);
void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop);
void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop);

void tcg_gen_mb(TCGBar kind);

/*
 * Helper calls.  `ret` may be NULL-handle (TCGV_NONE_*) for void helpers.
 * Arguments are passed as temp indices through the variadic-free forms below.
 */
typedef struct TCGCallArg {
    unsigned idx;           /* temp index */
} TCGCallArg;
static inline TCGCallArg tcg_arg_i32(TCGv_i32 v)
{
    return (TCGCallArg){tcgv_i32_idx(v)};
}
static inline TCGCallArg tcg_arg_i64(TCGv_i64 v)
{
    return (TCGCallArg){tcgv_i64_idx(v)};
}
/* ret_idx: temp index of the result, or -1. */
void tcg_gen_call(const TCGHelperInfo *info, int ret_idx, unsigned nargs,
                  const TCGCallArg *args);
#define tcg_gen_callN(info, ret_idx, ...)                                    \
    tcg_gen_call((info), (ret_idx),                                          \
                 sizeof((TCGCallArg[]){__VA_ARGS__}) / sizeof(TCGCallArg),   \
                 (TCGCallArg[]){__VA_ARGS__})

/* Guest instruction boundary with its restore words (pc first). */
void tcg_gen_insn_start(uint64_t pc, uint64_t word1);

/*
 * TB exits.  exit_tb returns `val` to the exec loop: 0, or a TB pointer with
 * the jump slot (0, 1) or TB_EXIT_REQUESTED (3) in its low bits.
 * goto_tb n is a chainable direct jump, always followed by exit_tb(tb | n).
 * goto_ptr jumps to host code found at run time (lookup_and_goto_ptr).
 */
void tcg_gen_exit_tb(uintptr_t val);
void tcg_gen_goto_tb(unsigned slot);
void tcg_gen_goto_ptr(TCGv_ptr host_code);

#endif
