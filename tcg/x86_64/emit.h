/*
 * x86-64 instruction encoder for the JIT backend.
 *
 * Each function appends one host instruction (or a short fixed idiom such
 * as a multi-byte nop) to an X64Emit buffer.  The encodings follow the
 * Intel SDM volume 2 (chapter 2: REX, ModRM, SIB, VEX; the instruction
 * pages for opcodes).  The buffer never overflows: bytes past `end` are
 * counted but not written, so a caller emits a whole TB and checks
 * x64_emit_overflowed() once, rather than testing space before every
 * instruction.
 *
 * Operand-size convention: `w` selects 64-bit (true) or 32-bit (false)
 * operation; 32-bit operations zero the upper half of a destination
 * register, which the backend relies on for i32 values.
 */
#ifndef MORPH_TCG_X86_64_EMIT_H
#define MORPH_TCG_X86_64_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum X64Reg {
    X64_RAX = 0,
    X64_RCX,
    X64_RDX,
    X64_RBX,
    X64_RSP,
    X64_RBP,
    X64_RSI,
    X64_RDI,
    X64_R8,
    X64_R9,
    X64_R10,
    X64_R11,
    X64_R12,
    X64_R13,
    X64_R14,
    X64_R15,
    X64_NB_REGS,
    X64_NOREG = -1, /* no base / no index in a memory operand */
} X64Reg;

/* Condition codes, in the order of their encoding (the low nibble of Jcc). */
typedef enum X64Cond {
    X64_CC_O = 0,
    X64_CC_NO,
    X64_CC_B,
    X64_CC_AE,
    X64_CC_E,
    X64_CC_NE,
    X64_CC_BE,
    X64_CC_A,
    X64_CC_S,
    X64_CC_NS,
    X64_CC_P,
    X64_CC_NP,
    X64_CC_L,
    X64_CC_GE,
    X64_CC_LE,
    X64_CC_G,
} X64Cond;

/* The eight classic ALU operations; the value is the ModRM /digit. */
typedef enum X64Alu {
    X64_ALU_ADD = 0,
    X64_ALU_OR = 1,
    X64_ALU_ADC = 2,
    X64_ALU_SBB = 3,
    X64_ALU_AND = 4,
    X64_ALU_SUB = 5,
    X64_ALU_XOR = 6,
    X64_ALU_CMP = 7,
} X64Alu;

/* Shift group 2; the value is the ModRM /digit. */
typedef enum X64Shift {
    X64_SH_ROL = 0,
    X64_SH_ROR = 1,
    X64_SH_SHL = 4,
    X64_SH_SHR = 5,
    X64_SH_SAR = 7,
} X64Shift;

/* Unary group 3 (opcode F7); the value is the ModRM /digit. */
typedef enum X64Unary {
    X64_UN_NOT = 2,
    X64_UN_NEG = 3,
    X64_UN_MUL = 4,
    X64_UN_IMUL = 5,
    X64_UN_DIV = 6,
    X64_UN_IDIV = 7,
} X64Unary;

/* Bit scans and counts (all "reg, r/m"). */
typedef enum X64BitOp {
    X64_BIT_BSF,
    X64_BIT_BSR,
    X64_BIT_TZCNT,
    X64_BIT_LZCNT,
    X64_BIT_POPCNT,
} X64BitOp;

/* BMI2 three-operand shifts: dest = src shifted by count (mod width). */
typedef enum X64ShiftX {
    X64_SHLX,
    X64_SHRX,
    X64_SARX,
} X64ShiftX;

/*
 * Opcode words: the opcode byte plus flags for the prefixes and escapes it
 * needs.  The raw-encoding entry points below take these; most callers use
 * the named helpers instead.
 */
enum {
    X64_P_0F = 0x100,   /* 0F escape */
    X64_P_0F38 = 0x200, /* 0F 38 escape */
    X64_P_0F3A = 0x400, /* 0F 3A escape */
    X64_P_66 = 0x800,   /* operand-size prefix (16-bit operation) */
    X64_P_F3 = 0x1000,
    X64_P_F2 = 0x2000,
    X64_P_W = 0x4000,        /* REX.W: 64-bit operation */
    X64_P_BYTE_R = 0x8000,   /* the reg field names a byte register */
    X64_P_BYTE_RM = 0x10000, /* the r/m field names a byte register */
};

typedef struct X64Emit {
    uint8_t *start;
    uint8_t *ptr;
    uint8_t *end;
} X64Emit;

static inline void x64_emit_init(X64Emit *e, uint8_t *buf, size_t size)
{
    e->start = buf;
    e->ptr = buf;
    e->end = buf + size;
}

static inline bool x64_emit_overflowed(const X64Emit *e)
{
    return e->ptr > e->end;
}

static inline size_t x64_emit_offset(const X64Emit *e)
{
    return (size_t)(e->ptr - e->start);
}

static inline void x64_byte(X64Emit *e, uint8_t b)
{
    if (e->ptr < e->end) {
        *e->ptr = b;
    }
    e->ptr++;
}

/*
 * n bytes at once.  The cursor is read once and written once: byte stores
 * may alias the X64Emit itself, so a byte at a time makes the compiler
 * reload and store e->ptr around every byte, which showed in profiles.
 */
static inline void x64_bytes(X64Emit *e, const uint8_t *b, size_t n)
{
    uint8_t *p = e->ptr;

    if (p <= e->end && (size_t)(e->end - p) >= n) {
        memcpy(p, b, n);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (p + i < e->end) {
                p[i] = b[i];
            }
        }
    }
    e->ptr = p + n;
}

/* Little-endian immediates (the host is x86-64). */
static inline void x64_u16(X64Emit *e, uint16_t v)
{
    x64_bytes(e, (const uint8_t *)&v, 2);
}

static inline void x64_u32(X64Emit *e, uint32_t v)
{
    x64_bytes(e, (const uint8_t *)&v, 4);
}

static inline void x64_u64(X64Emit *e, uint64_t v)
{
    x64_bytes(e, (const uint8_t *)&v, 8);
}
/* Patch a 32-bit little-endian value already emitted at `at` (if inside the buffer). */
void x64_patch32(X64Emit *e, uint8_t *at, uint32_t v);

static inline bool x64_fits_s8(int64_t v)
{
    return v == (int8_t)v;
}

static inline bool x64_fits_s32(int64_t v)
{
    return v == (int32_t)v;
}

/* Raw encodings: opc is an opcode word (X64_P_* | byte). */
void x64_op_rr(X64Emit *e, uint32_t opc, int reg, int rm);
/*
 * Memory operand [base + index << shift + disp].  base may be X64_NOREG
 * (absolute disp32); index may be X64_NOREG.  `reg` is a register or a
 * ModRM /digit.
 */
void x64_op_mem(X64Emit *e, uint32_t opc, int reg, int base, int index, int shift, int32_t disp);
/* VEX-encoded "reg, vvvv, r/m" (BMI1/BMI2); opc carries 66/F3/F2, 0F38/0F3A, W. */
void x64_op_vex_rr(X64Emit *e, uint32_t opc, int reg, int vvvv, int rm);

/* Moves. */
void x64_mov_rr(X64Emit *e, bool w, X64Reg dst, X64Reg src);
/*
 * dst = imm (for w=false, the low 32 bits).  Picks the shortest encoding;
 * never touches the flags (xor-zeroing is x64_zero).
 */
void x64_movi(X64Emit *e, bool w, X64Reg dst, int64_t imm);
/* dst = 0 with xor (clobbers the flags). */
void x64_zero(X64Emit *e, X64Reg dst);
/* Load `1 << size` bytes (size 0..3) from [base + disp]; zero- or sign-extended. */
void x64_load(X64Emit *e, int size, bool sign, bool w, X64Reg dst, X64Reg base, int32_t disp);
/* Load with an index: [base + index + disp]. */
void x64_load_idx(X64Emit *e, int size, bool sign, bool w, X64Reg dst, X64Reg base, X64Reg index,
                  int32_t disp);
/* Store the low `1 << size` bytes of src. */
void x64_store(X64Emit *e, int size, X64Reg src, X64Reg base, int32_t disp);
void x64_store_idx(X64Emit *e, int size, X64Reg src, X64Reg base, X64Reg index, int32_t disp);
/* Store an immediate (sign-extended to 8 bytes for size 3). */
void x64_storei(X64Emit *e, int size, int32_t imm, X64Reg base, int32_t disp);
/* Byte-swapping load/store (MOVBE); size 1..3. */
void x64_movbe_load(X64Emit *e, int size, X64Reg dst, X64Reg base, X64Reg index, int32_t disp);
void x64_movbe_store(X64Emit *e, int size, X64Reg src, X64Reg base, X64Reg index, int32_t disp);
/* Zero/sign extensions between registers: from `1 << size` bytes (size 0..2). */
void x64_movzx(X64Emit *e, int size, X64Reg dst, X64Reg src);
void x64_movsx(X64Emit *e, int size, bool w, X64Reg dst, X64Reg src);
/* dst = base + index << shift + disp (index may be X64_NOREG). */
void x64_lea(X64Emit *e, bool w, X64Reg dst, X64Reg base, X64Reg index, int shift, int32_t disp);
/* dst = address of `target` (RIP-relative; must be within +-2GB). */
void x64_lea_rip(X64Emit *e, X64Reg dst, const void *target);
void x64_xchg(X64Emit *e, bool w, X64Reg a, X64Reg b);
/* Byte/word moves into the low part of dst (upper bits kept). */
void x64_mov8_rr(X64Emit *e, X64Reg dst, X64Reg src);
void x64_mov16_rr(X64Emit *e, X64Reg dst, X64Reg src);

/* Arithmetic and logic. */
void x64_alu_rr(X64Emit *e, bool w, X64Alu op, X64Reg dst, X64Reg src);
/* For w=true, imm must fit in a sign-extended 32 bits. */
void x64_alu_ri(X64Emit *e, bool w, X64Alu op, X64Reg dst, int64_t imm);
/* dst op= [base + disp] */
void x64_alu_rm(X64Emit *e, bool w, X64Alu op, X64Reg dst, X64Reg base, int32_t disp);
/* [base + disp] op= imm (32-bit operand); `lock` adds the LOCK prefix. */
void x64_alu_mi(X64Emit *e, bool w, bool lock, X64Alu op, X64Reg base, int32_t disp, int32_t imm);
void x64_test_rr(X64Emit *e, bool w, X64Reg a, X64Reg b);
void x64_test_ri(X64Emit *e, bool w, X64Reg a, int64_t imm);
void x64_imul_rr(X64Emit *e, bool w, X64Reg dst, X64Reg src);
void x64_imul_rri(X64Emit *e, bool w, X64Reg dst, X64Reg src, int32_t imm);
void x64_unary(X64Emit *e, bool w, X64Unary op, X64Reg reg);
/* cdq (w=false) / cqo (w=true): sign-extend rax into rdx. */
void x64_cqo(X64Emit *e, bool w);
void x64_shift_ri(X64Emit *e, bool w, X64Shift op, X64Reg reg, int count);
void x64_shift_cl(X64Emit *e, bool w, X64Shift op, X64Reg reg);
/* 16-bit rotate of the low word by an immediate (byte swap of a halfword). */
void x64_rot16_ri(X64Emit *e, X64Shift op, X64Reg reg, int count);
void x64_shiftx(X64Emit *e, bool w, X64ShiftX op, X64Reg dst, X64Reg src, X64Reg count);
void x64_rorx(X64Emit *e, bool w, X64Reg dst, X64Reg src, int count);
/* dst = ~a & b (BMI1 ANDN). */
void x64_andn(X64Emit *e, bool w, X64Reg dst, X64Reg a, X64Reg b);
void x64_bswap(X64Emit *e, bool w, X64Reg reg);
void x64_bitop(X64Emit *e, bool w, X64BitOp op, X64Reg dst, X64Reg src);
void x64_setcc(X64Emit *e, X64Cond cc, X64Reg dst);
void x64_cmov(X64Emit *e, bool w, X64Cond cc, X64Reg dst, X64Reg src);

/* Control flow. */
/* Jumps with a rel32 displacement; return where the displacement is (for patching). */
uint8_t *x64_jcc32(X64Emit *e, X64Cond cc, const uint8_t *target);
uint8_t *x64_jmp32(X64Emit *e, const uint8_t *target);
uint8_t *x64_call32(X64Emit *e, const uint8_t *target);
/* Short jumps; the target must be within -128..127 of the instruction end. */
uint8_t *x64_jcc8(X64Emit *e, X64Cond cc, const uint8_t *target);
uint8_t *x64_jmp8(X64Emit *e, const uint8_t *target);
void x64_jmp_reg(X64Emit *e, X64Reg reg);
void x64_call_reg(X64Emit *e, X64Reg reg);
void x64_ret(X64Emit *e);
void x64_push(X64Emit *e, X64Reg reg);
void x64_pop(X64Emit *e, X64Reg reg);
/* `n` bytes of recommended multi-byte nops. */
void x64_nops(X64Emit *e, int n);
void x64_mfence(X64Emit *e);
void x64_ud2(X64Emit *e);

#endif
