/*
 * The field transforms (!function=) used by insn32.decode and insn16.decode:
 * immediates stored without their always-zero low bits, and the 3-bit
 * register numbers of the compressed formats (x8..x15).  Shared by the
 * translator and by the decoder unit test, which must agree on them.
 */
#ifndef MORPH_TARGET_RISCV_DECODE_EX_H
#define MORPH_TARGET_RISCV_DECODE_EX_H

/* Multiply rather than shift: the value may be negative. */
static inline int ex_shift_1(DisasContext *ctx, int imm)
{
    return imm * 2;
}

static inline int ex_shift_2(DisasContext *ctx, int imm)
{
    return imm * 4;
}

static inline int ex_shift_3(DisasContext *ctx, int imm)
{
    return imm * 8;
}

static inline int ex_shift_4(DisasContext *ctx, int imm)
{
    return imm * 16;
}

static inline int ex_shift_12(DisasContext *ctx, int imm)
{
    return (int)((uint32_t)imm << 12);
}

/* rd', rs1', rs2' of the compressed formats name x8..x15. */
static inline int ex_rvc_register(DisasContext *ctx, int reg)
{
    return 8 + reg;
}

#endif
