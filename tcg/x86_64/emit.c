/*
 * x86-64 instruction encoder (see emit.h).  The source of truth is the
 * Intel SDM volume 2: section 2.1 (legacy prefixes, opcode, ModRM, SIB,
 * displacement, immediate), 2.2.1 (REX), 2.3 (VEX) and the instruction
 * pages.  Two quirks of ModRM addressing shape x64_op_mem(): a base of
 * rsp/r12 needs a SIB byte, and a base of rbp/r13 has no displacement-free
 * form (mod=00 with those means RIP-relative / disp32), so it gets a zero
 * disp8.
 */
#include <assert.h>
#include <string.h>

#include "emit.h"

void x64_patch32(X64Emit *e, uint8_t *at, uint32_t v)
{
    if (at + 4 <= e->end) {
        memcpy(at, &v, 4);
    }
}

/* Registers that are absent (X64_NOREG) or /digits contribute no REX bit. */
static int x64_hi(int reg)
{
    return reg > 0 ? (reg >> 3) & 1 : 0;
}

/* Legacy prefixes, REX, escape bytes and the opcode byte. */
static void x64_prefix(X64Emit *e, uint32_t opc, int r, int rm, int index)
{
    uint8_t b[6];
    size_t n = 0;
    int rex = 0;

    if (opc & X64_P_66) {
        b[n++] = 0x66;
    }
    if (opc & X64_P_F3) {
        b[n++] = 0xf3;
    } else if (opc & X64_P_F2) {
        b[n++] = 0xf2;
    }
    if (opc & X64_P_W) {
        rex |= 8;
    }
    rex |= x64_hi(r) << 2;
    rex |= x64_hi(index) << 1;
    rex |= x64_hi(rm);
    /*
     * Without any REX prefix, byte registers 4..7 are ah/ch/dh/bh; with one
     * (even an empty 0x40) they are spl/bpl/sil/dil.
     */
    if (((opc & X64_P_BYTE_R) && r >= 4 && r < 8) || ((opc & X64_P_BYTE_RM) && rm >= 4 && rm < 8)) {
        rex |= 0x40;
    }
    if (rex) {
        b[n++] = (uint8_t)(0x40 | rex);
    }
    if (opc & X64_P_0F38) {
        b[n++] = 0x0f;
        b[n++] = 0x38;
    } else if (opc & X64_P_0F3A) {
        b[n++] = 0x0f;
        b[n++] = 0x3a;
    } else if (opc & X64_P_0F) {
        b[n++] = 0x0f;
    }
    b[n++] = (uint8_t)opc;
    x64_bytes(e, b, n);
}

void x64_op_rr(X64Emit *e, uint32_t opc, int reg, int rm)
{
    x64_prefix(e, opc, reg, rm, 0);
    x64_byte(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

void x64_op_mem(X64Emit *e, uint32_t opc, int reg, int base, int index, int shift, int32_t disp)
{
    int mod;

    assert(index != X64_RSP);
    x64_prefix(e, opc, reg, base, index);
    if (base < 0) {
        /* Absolute: SIB with no base (base=101, mod=00) and a disp32. */
        x64_byte(e, (uint8_t)((reg & 7) << 3 | 4));
        x64_byte(e, (uint8_t)(shift << 6 | (index < 0 ? 4 : index & 7) << 3 | 5));
        x64_u32(e, (uint32_t)disp);
        return;
    }
    if (disp == 0 && (base & 7) != X64_RBP) {
        mod = 0;
    } else if (x64_fits_s8(disp)) {
        mod = 1;
    } else {
        mod = 2;
    }
    if (index < 0 && (base & 7) != X64_RSP) {
        x64_byte(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    } else {
        x64_byte(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
        x64_byte(e, (uint8_t)(shift << 6 | (index < 0 ? 4 : index & 7) << 3 | (base & 7)));
    }
    if (mod == 1) {
        x64_byte(e, (uint8_t)disp);
    } else if (mod == 2) {
        x64_u32(e, (uint32_t)disp);
    }
}

void x64_op_vex_rr(X64Emit *e, uint32_t opc, int reg, int vvvv, int rm)
{
    int mmmmm = (opc & X64_P_0F3A) ? 3 : (opc & X64_P_0F38) ? 2 : 1;
    int pp = (opc & X64_P_66) ? 1 : (opc & X64_P_F3) ? 2 : (opc & X64_P_F2) ? 3 : 0;

    /* Three-byte VEX: R, X, B and vvvv are stored inverted. */
    x64_byte(e, 0xc4);
    x64_byte(e, (uint8_t)((!x64_hi(reg)) << 7 | 1 << 6 | (!x64_hi(rm)) << 5 | mmmmm));
    x64_byte(e, (uint8_t)(((opc & X64_P_W) ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp));
    x64_byte(e, (uint8_t)opc);
    x64_byte(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static uint32_t x64_w(bool w)
{
    return w ? X64_P_W : 0;
}

void x64_mov_rr(X64Emit *e, bool w, X64Reg dst, X64Reg src)
{
    x64_op_rr(e, 0x8b | x64_w(w), dst, src);
}

void x64_movi(X64Emit *e, bool w, X64Reg dst, int64_t imm)
{
    if (!w || imm == (int64_t)(uint32_t)imm) {
        /* mov r32, imm32 zero-extends into the full register. */
        x64_prefix(e, 0xb8 + (dst & 7), 0, dst, 0);
        x64_u32(e, (uint32_t)imm);
    } else if (x64_fits_s32(imm)) {
        x64_op_rr(e, 0xc7 | X64_P_W, 0, dst);
        x64_u32(e, (uint32_t)imm);
    } else {
        x64_prefix(e, (0xb8 + (dst & 7)) | X64_P_W, 0, dst, 0);
        x64_u64(e, (uint64_t)imm);
    }
}

void x64_zero(X64Emit *e, X64Reg dst)
{
    x64_op_rr(e, 0x33, dst, dst);
}

/* The opcode word of a load of `1 << size` bytes into a 32/64-bit register. */
static uint32_t x64_load_opc(int size, bool sign, bool w)
{
    switch (size) {
    case 0:
        return (sign ? 0xbe : 0xb6) | X64_P_0F | (sign ? x64_w(w) : 0);
    case 1:
        return (sign ? 0xbf : 0xb7) | X64_P_0F | (sign ? x64_w(w) : 0);
    case 2:
        return (sign && w) ? (0x63 | X64_P_W) : 0x8b;
    default:
        return 0x8b | X64_P_W;
    }
}

void x64_load(X64Emit *e, int size, bool sign, bool w, X64Reg dst, X64Reg base, int32_t disp)
{
    x64_op_mem(e, x64_load_opc(size, sign, w), dst, base, X64_NOREG, 0, disp);
}

void x64_load_idx(X64Emit *e, int size, bool sign, bool w, X64Reg dst, X64Reg base, X64Reg index,
                  int32_t disp)
{
    x64_op_mem(e, x64_load_opc(size, sign, w), dst, base, index, 0, disp);
}

static uint32_t x64_store_opc(int size)
{
    switch (size) {
    case 0:
        return 0x88 | X64_P_BYTE_R;
    case 1:
        return 0x89 | X64_P_66;
    case 2:
        return 0x89;
    default:
        return 0x89 | X64_P_W;
    }
}

void x64_store(X64Emit *e, int size, X64Reg src, X64Reg base, int32_t disp)
{
    x64_op_mem(e, x64_store_opc(size), src, base, X64_NOREG, 0, disp);
}

void x64_store_idx(X64Emit *e, int size, X64Reg src, X64Reg base, X64Reg index, int32_t disp)
{
    x64_op_mem(e, x64_store_opc(size), src, base, index, 0, disp);
}

void x64_storei(X64Emit *e, int size, int32_t imm, X64Reg base, int32_t disp)
{
    static const uint32_t opc[4] = {0xc6, 0xc7 | X64_P_66, 0xc7, 0xc7 | X64_P_W};

    x64_op_mem(e, opc[size], 0, base, X64_NOREG, 0, disp);
    if (size == 0) {
        x64_byte(e, (uint8_t)imm);
    } else if (size == 1) {
        x64_u16(e, (uint16_t)imm);
    } else {
        x64_u32(e, (uint32_t)imm);
    }
}

static uint32_t x64_movbe_size(int size)
{
    return size == 1 ? X64_P_66 : size == 3 ? X64_P_W : 0;
}

void x64_movbe_load(X64Emit *e, int size, X64Reg dst, X64Reg base, X64Reg index, int32_t disp)
{
    assert(size >= 1 && size <= 3);
    x64_op_mem(e, 0xf0 | X64_P_0F38 | x64_movbe_size(size), dst, base, index, 0, disp);
}

void x64_movbe_store(X64Emit *e, int size, X64Reg src, X64Reg base, X64Reg index, int32_t disp)
{
    assert(size >= 1 && size <= 3);
    x64_op_mem(e, 0xf1 | X64_P_0F38 | x64_movbe_size(size), src, base, index, 0, disp);
}

void x64_movzx(X64Emit *e, int size, X64Reg dst, X64Reg src)
{
    switch (size) {
    case 0:
        x64_op_rr(e, 0xb6 | X64_P_0F | X64_P_BYTE_RM, dst, src);
        break;
    case 1:
        x64_op_rr(e, 0xb7 | X64_P_0F, dst, src);
        break;
    default:
        x64_op_rr(e, 0x8b, dst, src);
        break;
    }
}

void x64_movsx(X64Emit *e, int size, bool w, X64Reg dst, X64Reg src)
{
    switch (size) {
    case 0:
        x64_op_rr(e, 0xbe | X64_P_0F | X64_P_BYTE_RM | x64_w(w), dst, src);
        break;
    case 1:
        x64_op_rr(e, 0xbf | X64_P_0F | x64_w(w), dst, src);
        break;
    default:
        if (w) {
            x64_op_rr(e, 0x63 | X64_P_W, dst, src);
        } else {
            x64_op_rr(e, 0x8b, dst, src);
        }
        break;
    }
}

void x64_lea(X64Emit *e, bool w, X64Reg dst, X64Reg base, X64Reg index, int shift, int32_t disp)
{
    x64_op_mem(e, 0x8d | x64_w(w), dst, base, index, shift, disp);
}

void x64_lea_rip(X64Emit *e, X64Reg dst, const void *target)
{
    /* REX.W 8D /r with mod=00 rm=101: disp32 relative to the next insn (7 bytes on). */
    intptr_t rel = (intptr_t)target - (intptr_t)(e->ptr + 7);

    assert(x64_fits_s32(rel));
    x64_prefix(e, 0x8d | X64_P_W, dst, 0, 0);
    x64_byte(e, (uint8_t)((dst & 7) << 3 | 5));
    x64_u32(e, (uint32_t)rel);
}

void x64_xchg(X64Emit *e, bool w, X64Reg a, X64Reg b)
{
    x64_op_rr(e, 0x87 | x64_w(w), b, a);
}

void x64_mov8_rr(X64Emit *e, X64Reg dst, X64Reg src)
{
    x64_op_rr(e, 0x88 | X64_P_BYTE_R | X64_P_BYTE_RM, src, dst);
}

void x64_mov16_rr(X64Emit *e, X64Reg dst, X64Reg src)
{
    x64_op_rr(e, 0x89 | X64_P_66, src, dst);
}

void x64_alu_rr(X64Emit *e, bool w, X64Alu op, X64Reg dst, X64Reg src)
{
    /* The "op r, r/m" form (opcode 8*op + 3). */
    x64_op_rr(e, (uint32_t)(op << 3 | 3) | x64_w(w), dst, src);
}

void x64_alu_ri(X64Emit *e, bool w, X64Alu op, X64Reg dst, int64_t imm)
{
    int32_t v = (int32_t)imm;

    assert(!w || x64_fits_s32(imm));
    if (x64_fits_s8(v)) {
        x64_op_rr(e, 0x83 | x64_w(w), op, dst);
        x64_byte(e, (uint8_t)v);
    } else {
        x64_op_rr(e, 0x81 | x64_w(w), op, dst);
        x64_u32(e, (uint32_t)v);
    }
}

void x64_alu_rm(X64Emit *e, bool w, X64Alu op, X64Reg dst, X64Reg base, int32_t disp)
{
    x64_op_mem(e, (uint32_t)(op << 3 | 3) | x64_w(w), dst, base, X64_NOREG, 0, disp);
}

void x64_alu_mi(X64Emit *e, bool w, bool lock, X64Alu op, X64Reg base, int32_t disp, int32_t imm)
{
    if (lock) {
        x64_byte(e, 0xf0);
    }
    if (x64_fits_s8(imm)) {
        x64_op_mem(e, 0x83 | x64_w(w), op, base, X64_NOREG, 0, disp);
        x64_byte(e, (uint8_t)imm);
    } else {
        x64_op_mem(e, 0x81 | x64_w(w), op, base, X64_NOREG, 0, disp);
        x64_u32(e, (uint32_t)imm);
    }
}

void x64_test_rr(X64Emit *e, bool w, X64Reg a, X64Reg b)
{
    x64_op_rr(e, 0x85 | x64_w(w), b, a);
}

void x64_test_ri(X64Emit *e, bool w, X64Reg a, int64_t imm)
{
    uint64_t v = w ? (uint64_t)imm : (uint32_t)imm;

    assert(!w || x64_fits_s32(imm));
    if (v <= 0xff) {
        /* Only the low byte can be non-zero in the result: test r8, imm8. */
        x64_op_rr(e, 0xf6 | X64_P_BYTE_RM, 0, a);
        x64_byte(e, (uint8_t)v);
    } else {
        x64_op_rr(e, 0xf7 | x64_w(w), 0, a);
        x64_u32(e, (uint32_t)imm);
    }
}

void x64_imul_rr(X64Emit *e, bool w, X64Reg dst, X64Reg src)
{
    x64_op_rr(e, 0xaf | X64_P_0F | x64_w(w), dst, src);
}

void x64_imul_rri(X64Emit *e, bool w, X64Reg dst, X64Reg src, int32_t imm)
{
    if (x64_fits_s8(imm)) {
        x64_op_rr(e, 0x6b | x64_w(w), dst, src);
        x64_byte(e, (uint8_t)imm);
    } else {
        x64_op_rr(e, 0x69 | x64_w(w), dst, src);
        x64_u32(e, (uint32_t)imm);
    }
}

void x64_unary(X64Emit *e, bool w, X64Unary op, X64Reg reg)
{
    x64_op_rr(e, 0xf7 | x64_w(w), op, reg);
}

void x64_cqo(X64Emit *e, bool w)
{
    x64_prefix(e, 0x99 | x64_w(w), 0, 0, 0);
}

void x64_shift_ri(X64Emit *e, bool w, X64Shift op, X64Reg reg, int count)
{
    if (count == 1) {
        x64_op_rr(e, 0xd1 | x64_w(w), op, reg);
    } else {
        x64_op_rr(e, 0xc1 | x64_w(w), op, reg);
        x64_byte(e, (uint8_t)count);
    }
}

void x64_shift_cl(X64Emit *e, bool w, X64Shift op, X64Reg reg)
{
    x64_op_rr(e, 0xd3 | x64_w(w), op, reg);
}

void x64_rot16_ri(X64Emit *e, X64Shift op, X64Reg reg, int count)
{
    x64_op_rr(e, 0xc1 | X64_P_66, op, reg);
    x64_byte(e, (uint8_t)count);
}

void x64_shiftx(X64Emit *e, bool w, X64ShiftX op, X64Reg dst, X64Reg src, X64Reg count)
{
    static const uint32_t pfx[3] = {X64_P_66, X64_P_F2, X64_P_F3};

    x64_op_vex_rr(e, 0xf7 | X64_P_0F38 | pfx[op] | x64_w(w), dst, count, src);
}

void x64_rorx(X64Emit *e, bool w, X64Reg dst, X64Reg src, int count)
{
    x64_op_vex_rr(e, 0xf0 | X64_P_0F3A | X64_P_F2 | x64_w(w), dst, 0, src);
    x64_byte(e, (uint8_t)count);
}

void x64_andn(X64Emit *e, bool w, X64Reg dst, X64Reg a, X64Reg b)
{
    x64_op_vex_rr(e, 0xf2 | X64_P_0F38 | x64_w(w), dst, a, b);
}

void x64_bswap(X64Emit *e, bool w, X64Reg reg)
{
    x64_prefix(e, (0xc8 + (reg & 7)) | X64_P_0F | x64_w(w), 0, reg, 0);
}

void x64_bitop(X64Emit *e, bool w, X64BitOp op, X64Reg dst, X64Reg src)
{
    static const uint32_t opc[] = {
        [X64_BIT_BSF] = 0xbc | X64_P_0F,
        [X64_BIT_BSR] = 0xbd | X64_P_0F,
        [X64_BIT_TZCNT] = 0xbc | X64_P_0F | X64_P_F3,
        [X64_BIT_LZCNT] = 0xbd | X64_P_0F | X64_P_F3,
        [X64_BIT_POPCNT] = 0xb8 | X64_P_0F | X64_P_F3,
    };

    x64_op_rr(e, opc[op] | x64_w(w), dst, src);
}

void x64_setcc(X64Emit *e, X64Cond cc, X64Reg dst)
{
    x64_op_rr(e, (0x90 + cc) | X64_P_0F | X64_P_BYTE_RM, 0, dst);
}

void x64_cmov(X64Emit *e, bool w, X64Cond cc, X64Reg dst, X64Reg src)
{
    x64_op_rr(e, (0x40 + cc) | X64_P_0F | x64_w(w), dst, src);
}

/* Emit a rel32 to `target` measured from the end of the displacement. */
static uint8_t *x64_rel32(X64Emit *e, const uint8_t *target)
{
    uint8_t *at = e->ptr;

    x64_u32(e, target ? (uint32_t)(target - (at + 4)) : 0);
    return at;
}

uint8_t *x64_jcc32(X64Emit *e, X64Cond cc, const uint8_t *target)
{
    x64_byte(e, 0x0f);
    x64_byte(e, (uint8_t)(0x80 + cc));
    return x64_rel32(e, target);
}

uint8_t *x64_jmp32(X64Emit *e, const uint8_t *target)
{
    x64_byte(e, 0xe9);
    return x64_rel32(e, target);
}

uint8_t *x64_call32(X64Emit *e, const uint8_t *target)
{
    x64_byte(e, 0xe8);
    return x64_rel32(e, target);
}

static uint8_t *x64_rel8(X64Emit *e, const uint8_t *target)
{
    uint8_t *at = e->ptr;
    intptr_t rel = target ? target - (at + 1) : 0;

    assert(x64_fits_s8(rel));
    x64_byte(e, (uint8_t)rel);
    return at;
}

uint8_t *x64_jcc8(X64Emit *e, X64Cond cc, const uint8_t *target)
{
    x64_byte(e, (uint8_t)(0x70 + cc));
    return x64_rel8(e, target);
}

uint8_t *x64_jmp8(X64Emit *e, const uint8_t *target)
{
    x64_byte(e, 0xeb);
    return x64_rel8(e, target);
}

void x64_jmp_reg(X64Emit *e, X64Reg reg)
{
    x64_op_rr(e, 0xff, 4, reg);
}

void x64_call_reg(X64Emit *e, X64Reg reg)
{
    x64_op_rr(e, 0xff, 2, reg);
}

void x64_ret(X64Emit *e)
{
    x64_byte(e, 0xc3);
}

void x64_push(X64Emit *e, X64Reg reg)
{
    x64_prefix(e, 0x50 + (reg & 7), 0, reg, 0);
}

void x64_pop(X64Emit *e, X64Reg reg)
{
    x64_prefix(e, 0x58 + (reg & 7), 0, reg, 0);
}

void x64_nops(X64Emit *e, int n)
{
    /* The SDM's recommended multi-byte nop forms, 1 to 9 bytes. */
    static const uint8_t nops[9][9] = {
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };

    while (n > 0) {
        int len = n > 9 ? 9 : n;

        for (int i = 0; i < len; i++) {
            x64_byte(e, nops[len - 1][i]);
        }
        n -= len;
    }
}

void x64_mfence(X64Emit *e)
{
    x64_byte(e, 0x0f);
    x64_byte(e, 0xae);
    x64_byte(e, 0xf0);
}

void x64_ud2(X64Emit *e)
{
    x64_byte(e, 0x0f);
    x64_byte(e, 0x0b);
}
