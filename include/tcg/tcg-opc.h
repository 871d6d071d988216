/*
 * The IR's opcodes, described once.  Every consumer (the op emitters, the
 * optimizer, liveness, the dumper, both backends) expands this table with its
 * own definition of DEF(name, oargs, iargs, cargs, flags):
 *   oargs  number of output temps
 *   iargs  number of input temps
 *   cargs  number of constant arguments (condition, offsets, memop, labels...)
 *   flags  TCG_OPF_* (include/tcg/tcg.h)
 * Arithmetic ops are typed: TCGOp.type says whether they work on i32 or i64
 * (both operands and result have that type).  The semantics of each op are
 * documented in docs/devel/tcg-ir.md; they are the contract both backends are
 * tested against.
 */
/* Moves and constants live in temps; `mov` copies one temp to another. */
DEF(mov, 1, 1, 0, TCG_OPF_NOT_PRESENT)
DEF(discard, 1, 0, 0, TCG_OPF_NOT_PRESENT)
DEF(set_label, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_NOT_PRESENT)
DEF(br, 0, 0, 1, TCG_OPF_BB_END)
DEF(brcond, 0, 2, 2, TCG_OPF_BB_END | TCG_OPF_COND_BRANCH)   /* c: cond, label */

/* Arithmetic. */
DEF(add, 1, 2, 0, 0)
DEF(sub, 1, 2, 0, 0)
DEF(neg, 1, 1, 0, 0)
DEF(mul, 1, 2, 0, 0)
DEF(mulu2, 2, 2, 0, 0)          /* (lo, hi) = a * b, unsigned, double width */
DEF(muls2, 2, 2, 0, 0)          /* (lo, hi) = a * b, signed */
DEF(div, 1, 2, 0, 0)            /* divisor != 0 and no INT_MIN/-1: the emitter guarantees */
DEF(divu, 1, 2, 0, 0)
DEF(rem, 1, 2, 0, 0)
DEF(remu, 1, 2, 0, 0)
DEF(add2, 2, 4, 0, 0)           /* (lo, hi) = (al, ah) + (bl, bh) */
DEF(sub2, 2, 4, 0, 0)

/* Logic. */
DEF(and, 1, 2, 0, 0)
DEF(or, 1, 2, 0, 0)
DEF(xor, 1, 2, 0, 0)
DEF(andc, 1, 2, 0, 0)           /* a & ~b */
DEF(orc, 1, 2, 0, 0)            /* a | ~b */
DEF(eqv, 1, 2, 0, 0)            /* ~(a ^ b) */
DEF(nand, 1, 2, 0, 0)
DEF(nor, 1, 2, 0, 0)
DEF(not, 1, 1, 0, 0)

/* Shifts: the count is taken modulo the width (as the backends guarantee). */
DEF(shl, 1, 2, 0, 0)
DEF(shr, 1, 2, 0, 0)
DEF(sar, 1, 2, 0, 0)
DEF(rotl, 1, 2, 0, 0)
DEF(rotr, 1, 2, 0, 0)

/* Bit fields: c0 = position, c1 = length (1..width, pos + len <= width). */
DEF(extract, 1, 1, 2, 0)
DEF(sextract, 1, 1, 2, 0)
DEF(deposit, 1, 2, 2, 0)        /* out = a with bits [pos, pos+len) replaced by b's low bits */

/* Extensions within a type (on i64: of the low 8/16/32 bits; ext32 on i64 only). */
DEF(ext8s, 1, 1, 0, 0)
DEF(ext8u, 1, 1, 0, 0)
DEF(ext16s, 1, 1, 0, 0)
DEF(ext16u, 1, 1, 0, 0)
DEF(ext32s, 1, 1, 0, 0)
DEF(ext32u, 1, 1, 0, 0)
/* Between types: out i64 from in i32, and out i32 from in i64. */
DEF(ext_i32_i64, 1, 1, 0, 0)
DEF(extu_i32_i64, 1, 1, 0, 0)
DEF(extrl_i64_i32, 1, 1, 0, 0)
DEF(extrh_i64_i32, 1, 1, 0, 0)

/* Byte swaps of the low 2/4/8 bytes; bswap16/32 zero-extend the result. */
DEF(bswap16, 1, 1, 0, 0)
DEF(bswap32, 1, 1, 0, 0)
DEF(bswap64, 1, 1, 0, 0)

/* Bit counts: clz/ctz take the value to return for a zero input as 2nd operand. */
DEF(clz, 1, 2, 0, 0)
DEF(ctz, 1, 2, 0, 0)
DEF(ctpop, 1, 1, 0, 0)

/* Conditions: c0 is a TCGCond. */
DEF(setcond, 1, 2, 1, 0)        /* out = cond(a, b) ? 1 : 0 */
DEF(negsetcond, 1, 2, 1, 0)     /* out = cond(a, b) ? -1 : 0 */
DEF(movcond, 1, 4, 1, 0)        /* out = cond(c1, c2) ? v1 : v2 */

/* Host memory relative to a base temp (normally env): c0 = offset. */
DEF(ld8u, 1, 1, 1, 0)
DEF(ld8s, 1, 1, 1, 0)
DEF(ld16u, 1, 1, 1, 0)
DEF(ld16s, 1, 1, 1, 0)
DEF(ld32u, 1, 1, 1, 0)
DEF(ld32s, 1, 1, 1, 0)
DEF(ld, 1, 1, 1, 0)             /* full width of the op's type */
DEF(st8, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)   /* in: value, base */
DEF(st16, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(st32, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(st, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)

/*
 * Guest memory: c0 = MemOpIdx (memop and MMU index).  The address temp is
 * always i64 (guest virtual address zero-extended).  These may fault, so
 * globals are synced before them and insn_start data restores the pc.
 */
DEF(qemu_ld, 1, 1, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS | TCG_OPF_GUEST_MEM)
DEF(qemu_st, 0, 2, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS | TCG_OPF_GUEST_MEM)

/* Helper calls: the op's nargs/callinfo describe them (see TCGHelperInfo). */
DEF(call, 0, 0, 0, TCG_OPF_CALL_CLOBBER | TCG_OPF_NOT_PRESENT)

DEF(mb, 0, 0, 1, TCG_OPF_SIDE_EFFECTS)    /* c0: TCGBar */

/* Marks the start of a guest instruction; c0..: the target's restore words. */
DEF(insn_start, 0, 0, TCG_INSN_START_WORDS, TCG_OPF_NOT_PRESENT)

/* TB exits. */
DEF(exit_tb, 0, 0, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)   /* c0: value returned to the exec loop */
DEF(goto_tb, 0, 0, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)   /* c0: jump slot 0 or 1 */
DEF(goto_ptr, 0, 1, 0, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)  /* in: host code address */
