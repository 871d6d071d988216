/*
 * The op emitters of include/tcg/tcg-op.h: each appends one IR op (or a
 * short composition of them) to tcg_ctx's op list.  The immediate forms
 * fold the trivial cases at once (add 0 is a mov, and 0 is a constant,
 * xor -1 is a not...), so that translators can call them without testing
 * their operands and the optimizer has less to do.  Semantics of the ops:
 * docs/devel/tcg-ir.md.
 */
#include <assert.h>

#include <glib.h>

#include "tcg/tcg-op.h"
#include "tcg-internal.h"

#define T32(v) tcgv_i32_idx(v)
#define T64(v) tcgv_i64_idx(v)

static unsigned type_bits(TCGType type)
{
    return type == TCG_TYPE_I32 ? 32 : 64;
}

static TCGOp *op_new(TCGOpcode opc, TCGType type)
{
    const TCGOpDef *def = &tcg_op_defs[opc];

    return tcg_emit_op(tcg_ctx, opc, type, def->nb_oargs + def->nb_iargs + def->nb_cargs);
}

static void gen_o1i1(TCGOpcode opc, TCGType type, unsigned r, unsigned a)
{
    TCGOp *op = op_new(opc, type);

    op->args[0] = r;
    op->args[1] = a;
}

static void gen_o1i2(TCGOpcode opc, TCGType type, unsigned r, unsigned a, unsigned b)
{
    TCGOp *op = op_new(opc, type);

    op->args[0] = r;
    op->args[1] = a;
    op->args[2] = b;
}

static void gen_mov(TCGType type, unsigned r, unsigned a)
{
    if (r != a) {
        gen_o1i1(INDEX_op_mov, type, r, a);
    }
}

static void gen_movi(TCGType type, unsigned r, int64_t v)
{
    gen_o1i1(INDEX_op_mov, type, r, tcg_constant_idx(tcg_ctx, type, v));
}

static unsigned gen_const(TCGType type, int64_t v)
{
    return tcg_constant_idx(tcg_ctx, type, v);
}

/* ---- moves ---------------------------------------------------------------- */

void tcg_gen_mov_i32(TCGv_i32 ret, TCGv_i32 a)
{
    gen_mov(TCG_TYPE_I32, T32(ret), T32(a));
}

void tcg_gen_mov_i64(TCGv_i64 ret, TCGv_i64 a)
{
    gen_mov(TCG_TYPE_I64, T64(ret), T64(a));
}

void tcg_gen_movi_i32(TCGv_i32 ret, int32_t v)
{
    gen_movi(TCG_TYPE_I32, T32(ret), v);
}

void tcg_gen_movi_i64(TCGv_i64 ret, int64_t v)
{
    gen_movi(TCG_TYPE_I64, T64(ret), v);
}

void tcg_gen_discard_i32(TCGv_i32 t)
{
    op_new(INDEX_op_discard, TCG_TYPE_I32)->args[0] = T32(t);
}

void tcg_gen_discard_i64(TCGv_i64 t)
{
    op_new(INDEX_op_discard, TCG_TYPE_I64)->args[0] = T64(t);
}

/* ---- two-operand ops and their immediate forms ----------------------------- */

/*
 * The immediate form of a two-operand op: the trivial cases become a mov,
 * a constant or a cheaper op; the rest is the op with a constant operand.
 */
static void gen_binopi(TCGOpcode opc, TCGType type, unsigned r, unsigned a, int64_t imm)
{
    unsigned bits = type_bits(type);

    if (type == TCG_TYPE_I32) {
        imm = (int32_t)imm;
    }
    switch (opc) {
    case INDEX_op_add:
    case INDEX_op_or:
    case INDEX_op_xor:
        if (imm == 0) {
            gen_mov(type, r, a);
            return;
        }
        if (opc == INDEX_op_or && imm == -1) {
            gen_movi(type, r, -1);
            return;
        }
        if (opc == INDEX_op_xor && imm == -1) {
            gen_o1i1(INDEX_op_not, type, r, a);
            return;
        }
        break;
    case INDEX_op_sub:
        /* a - imm == a + (-imm), computed without signed overflow. */
        gen_binopi(INDEX_op_add, type, r, a, (int64_t)(0 - (uint64_t)imm));
        return;
    case INDEX_op_mul:
        if (imm == 0) {
            gen_movi(type, r, 0);
            return;
        }
        if (imm == 1) {
            gen_mov(type, r, a);
            return;
        }
        if (imm > 0 && (imm & (imm - 1)) == 0) {
            gen_binopi(INDEX_op_shl, type, r, a, __builtin_ctzll((uint64_t)imm));
            return;
        }
        break;
    case INDEX_op_and:
        if (imm == 0) {
            gen_movi(type, r, 0);
            return;
        }
        if (imm == -1) {
            gen_mov(type, r, a);
            return;
        }
        if (imm == 0xff) {
            gen_o1i1(INDEX_op_ext8u, type, r, a);
            return;
        }
        if (imm == 0xffff) {
            gen_o1i1(INDEX_op_ext16u, type, r, a);
            return;
        }
        if (type == TCG_TYPE_I64 && imm == 0xffffffffll) {
            gen_o1i1(INDEX_op_ext32u, type, r, a);
            return;
        }
        break;
    case INDEX_op_andc:
        gen_binopi(INDEX_op_and, type, r, a, ~imm);
        return;
    case INDEX_op_orc:
        gen_binopi(INDEX_op_or, type, r, a, ~imm);
        return;
    case INDEX_op_eqv:
        gen_binopi(INDEX_op_xor, type, r, a, ~imm);
        return;
    case INDEX_op_nand:
        if (imm == -1) {
            gen_o1i1(INDEX_op_not, type, r, a);
            return;
        }
        if (imm == 0) {
            gen_movi(type, r, -1);
            return;
        }
        break;
    case INDEX_op_nor:
        if (imm == 0) {
            gen_o1i1(INDEX_op_not, type, r, a);
            return;
        }
        if (imm == -1) {
            gen_movi(type, r, 0);
            return;
        }
        break;
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        /* Counts are taken modulo the width, as for the register forms. */
        imm &= bits - 1;
        if (imm == 0) {
            gen_mov(type, r, a);
            return;
        }
        break;
    case INDEX_op_div:
    case INDEX_op_divu:
        if (imm == 1) {
            gen_mov(type, r, a);
            return;
        }
        break;
    case INDEX_op_rem:
    case INDEX_op_remu:
        if (imm == 1) {
            gen_movi(type, r, 0);
            return;
        }
        break;
    default:
        break;
    }
    gen_o1i2(opc, type, r, a, gen_const(type, imm));
}

#define GEN_BINOP(name)                                                                            \
    void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b)                                \
    {                                                                                              \
        gen_o1i2(INDEX_op_##name, TCG_TYPE_I32, T32(ret), T32(a), T32(b));                         \
    }                                                                                              \
    void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)                                \
    {                                                                                              \
        gen_o1i2(INDEX_op_##name, TCG_TYPE_I64, T64(ret), T64(a), T64(b));                         \
    }                                                                                              \
    void tcg_gen_##name##i_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b)                                \
    {                                                                                              \
        gen_binopi(INDEX_op_##name, TCG_TYPE_I32, T32(ret), T32(a), b);                            \
    }                                                                                              \
    void tcg_gen_##name##i_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b)                                \
    {                                                                                              \
        gen_binopi(INDEX_op_##name, TCG_TYPE_I64, T64(ret), T64(a), b);                            \
    }

GEN_BINOP(add)
GEN_BINOP(sub)
GEN_BINOP(mul)
GEN_BINOP(and)
GEN_BINOP(or)
GEN_BINOP(xor)
GEN_BINOP(andc)
GEN_BINOP(orc)
GEN_BINOP(eqv)
GEN_BINOP(nand)
GEN_BINOP(nor)
GEN_BINOP(shl)
GEN_BINOP(shr)
GEN_BINOP(sar)
GEN_BINOP(rotl)
GEN_BINOP(rotr)
GEN_BINOP(div)
GEN_BINOP(divu)
GEN_BINOP(rem)
GEN_BINOP(remu)

void tcg_gen_subfi_i32(TCGv_i32 ret, int32_t imm, TCGv_i32 a)
{
    if (imm == 0) {
        gen_o1i1(INDEX_op_neg, TCG_TYPE_I32, T32(ret), T32(a));
    } else {
        gen_o1i2(INDEX_op_sub, TCG_TYPE_I32, T32(ret), gen_const(TCG_TYPE_I32, imm), T32(a));
    }
}

void tcg_gen_subfi_i64(TCGv_i64 ret, int64_t imm, TCGv_i64 a)
{
    if (imm == 0) {
        gen_o1i1(INDEX_op_neg, TCG_TYPE_I64, T64(ret), T64(a));
    } else {
        gen_o1i2(INDEX_op_sub, TCG_TYPE_I64, T64(ret), gen_const(TCG_TYPE_I64, imm), T64(a));
    }
}

/* ---- one-operand ops ------------------------------------------------------- */

#define GEN_UNOP(name)                                                                             \
    void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a)                                            \
    {                                                                                              \
        gen_o1i1(INDEX_op_##name, TCG_TYPE_I32, T32(ret), T32(a));                                 \
    }                                                                                              \
    void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a)                                            \
    {                                                                                              \
        gen_o1i1(INDEX_op_##name, TCG_TYPE_I64, T64(ret), T64(a));                                 \
    }

GEN_UNOP(neg)
/* "not" is a name here, not an operator. */
/* clang-format off */
GEN_UNOP(not)
/* clang-format on */
GEN_UNOP(ext8s)
GEN_UNOP(ext8u)
GEN_UNOP(ext16s)
GEN_UNOP(ext16u)
GEN_UNOP(bswap16)
GEN_UNOP(bswap32)
GEN_UNOP(ctpop)

void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 a)
{
    gen_o1i1(INDEX_op_ext32s, TCG_TYPE_I64, T64(ret), T64(a));
}

void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 a)
{
    gen_o1i1(INDEX_op_ext32u, TCG_TYPE_I64, T64(ret), T64(a));
}

void tcg_gen_bswap64_i64(TCGv_i64 ret, TCGv_i64 a)
{
    gen_o1i1(INDEX_op_bswap64, TCG_TYPE_I64, T64(ret), T64(a));
}

/* ---- double-width ops ------------------------------------------------------ */

static void gen_o2i2(TCGOpcode opc, TCGType type, unsigned rl, unsigned rh, unsigned a, unsigned b)
{
    TCGOp *op;

    /* Both halves are written: they must be different temps. */
    assert(rl != rh);
    op = op_new(opc, type);
    op->args[0] = rl;
    op->args[1] = rh;
    op->args[2] = a;
    op->args[3] = b;
}

static void gen_o2i4(TCGOpcode opc, TCGType type, unsigned rl, unsigned rh, unsigned al,
                     unsigned ah, unsigned bl, unsigned bh)
{
    TCGOp *op;

    assert(rl != rh);
    op = op_new(opc, type);
    op->args[0] = rl;
    op->args[1] = rh;
    op->args[2] = al;
    op->args[3] = ah;
    op->args[4] = bl;
    op->args[5] = bh;
}

void tcg_gen_mulu2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 a, TCGv_i32 b)
{
    gen_o2i2(INDEX_op_mulu2, TCG_TYPE_I32, T32(rl), T32(rh), T32(a), T32(b));
}

void tcg_gen_mulu2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b)
{
    gen_o2i2(INDEX_op_mulu2, TCG_TYPE_I64, T64(rl), T64(rh), T64(a), T64(b));
}

void tcg_gen_muls2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 a, TCGv_i32 b)
{
    gen_o2i2(INDEX_op_muls2, TCG_TYPE_I32, T32(rl), T32(rh), T32(a), T32(b));
}

void tcg_gen_muls2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b)
{
    gen_o2i2(INDEX_op_muls2, TCG_TYPE_I64, T64(rl), T64(rh), T64(a), T64(b));
}

/*
 * Signed a times unsigned b: the unsigned product, with b subtracted from
 * the high half when a is negative (a read as unsigned is a + 2^64).
 */
void tcg_gen_mulsu2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 a, TCGv_i64 b)
{
    TCGv_i64 lo = tcg_temp_new_i64();
    TCGv_i64 hi = tcg_temp_new_i64();
    TCGv_i64 adj = tcg_temp_new_i64();

    tcg_gen_mulu2_i64(lo, hi, a, b);
    tcg_gen_sari_i64(adj, a, 63);
    tcg_gen_and_i64(adj, adj, b);
    tcg_gen_sub_i64(hi, hi, adj);
    tcg_gen_mov_i64(rl, lo);
    tcg_gen_mov_i64(rh, hi);
}

void tcg_gen_add2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl, TCGv_i32 bh)
{
    gen_o2i4(INDEX_op_add2, TCG_TYPE_I32, T32(rl), T32(rh), T32(al), T32(ah), T32(bl), T32(bh));
}

void tcg_gen_add2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl, TCGv_i64 bh)
{
    gen_o2i4(INDEX_op_add2, TCG_TYPE_I64, T64(rl), T64(rh), T64(al), T64(ah), T64(bl), T64(bh));
}

void tcg_gen_sub2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl, TCGv_i32 bh)
{
    gen_o2i4(INDEX_op_sub2, TCG_TYPE_I32, T32(rl), T32(rh), T32(al), T32(ah), T32(bl), T32(bh));
}

void tcg_gen_sub2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl, TCGv_i64 bh)
{
    gen_o2i4(INDEX_op_sub2, TCG_TYPE_I64, T64(rl), T64(rh), T64(al), T64(ah), T64(bl), T64(bh));
}

/* ---- bit fields ------------------------------------------------------------ */

static void gen_extract(TCGOpcode opc, TCGType type, unsigned r, unsigned a, unsigned pos,
                        unsigned len)
{
    unsigned bits = type_bits(type);
    bool sign = opc == INDEX_op_sextract;
    TCGOp *op;

    assert(len >= 1 && len <= bits && pos + len <= bits);
    if (len == bits) {
        gen_mov(type, r, a);
        return;
    }
    if (pos == 0 && (len == 8 || len == 16 || len == 32)) {
        static const TCGOpcode ext[2][3] = {
            {INDEX_op_ext8u, INDEX_op_ext16u, INDEX_op_ext32u},
            {INDEX_op_ext8s, INDEX_op_ext16s, INDEX_op_ext32s},
        };
        gen_o1i1(ext[sign][len == 8 ? 0 : len == 16 ? 1 : 2], type, r, a);
        return;
    }
    op = op_new(opc, type);
    op->args[0] = r;
    op->args[1] = a;
    op->args[2] = pos;
    op->args[3] = len;
}

void tcg_gen_extract_i32(TCGv_i32 ret, TCGv_i32 a, unsigned pos, unsigned len)
{
    gen_extract(INDEX_op_extract, TCG_TYPE_I32, T32(ret), T32(a), pos, len);
}

void tcg_gen_extract_i64(TCGv_i64 ret, TCGv_i64 a, unsigned pos, unsigned len)
{
    gen_extract(INDEX_op_extract, TCG_TYPE_I64, T64(ret), T64(a), pos, len);
}

void tcg_gen_sextract_i32(TCGv_i32 ret, TCGv_i32 a, unsigned pos, unsigned len)
{
    gen_extract(INDEX_op_sextract, TCG_TYPE_I32, T32(ret), T32(a), pos, len);
}

void tcg_gen_sextract_i64(TCGv_i64 ret, TCGv_i64 a, unsigned pos, unsigned len)
{
    gen_extract(INDEX_op_sextract, TCG_TYPE_I64, T64(ret), T64(a), pos, len);
}

static void gen_deposit(TCGType type, unsigned r, unsigned a, unsigned b, unsigned pos,
                        unsigned len)
{
    unsigned bits = type_bits(type);
    TCGOp *op;

    assert(len >= 1 && len <= bits && pos + len <= bits);
    if (len == bits) {
        gen_mov(type, r, b);
        return;
    }
    op = op_new(INDEX_op_deposit, type);
    op->args[0] = r;
    op->args[1] = a;
    op->args[2] = b;
    op->args[3] = pos;
    op->args[4] = len;
}

void tcg_gen_deposit_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b, unsigned pos, unsigned len)
{
    gen_deposit(TCG_TYPE_I32, T32(ret), T32(a), T32(b), pos, len);
}

void tcg_gen_deposit_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b, unsigned pos, unsigned len)
{
    gen_deposit(TCG_TYPE_I64, T64(ret), T64(a), T64(b), pos, len);
}

/* ---- between types --------------------------------------------------------- */

void tcg_gen_ext_i32_i64(TCGv_i64 ret, TCGv_i32 a)
{
    gen_o1i1(INDEX_op_ext_i32_i64, TCG_TYPE_I64, T64(ret), T32(a));
}

void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 a)
{
    gen_o1i1(INDEX_op_extu_i32_i64, TCG_TYPE_I64, T64(ret), T32(a));
}

void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 a)
{
    gen_o1i1(INDEX_op_extrl_i64_i32, TCG_TYPE_I32, T32(ret), T64(a));
}

void tcg_gen_extrh_i64_i32(TCGv_i32 ret, TCGv_i64 a)
{
    gen_o1i1(INDEX_op_extrh_i64_i32, TCG_TYPE_I32, T32(ret), T64(a));
}

/* ---- bit counts ------------------------------------------------------------ */

void tcg_gen_clz_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 zero_val)
{
    gen_o1i2(INDEX_op_clz, TCG_TYPE_I32, T32(ret), T32(a), T32(zero_val));
}

void tcg_gen_clz_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 zero_val)
{
    gen_o1i2(INDEX_op_clz, TCG_TYPE_I64, T64(ret), T64(a), T64(zero_val));
}

void tcg_gen_ctz_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 zero_val)
{
    gen_o1i2(INDEX_op_ctz, TCG_TYPE_I32, T32(ret), T32(a), T32(zero_val));
}

void tcg_gen_ctz_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 zero_val)
{
    gen_o1i2(INDEX_op_ctz, TCG_TYPE_I64, T64(ret), T64(a), T64(zero_val));
}

void tcg_gen_clzi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t zero_val)
{
    gen_o1i2(INDEX_op_clz, TCG_TYPE_I64, T64(ret), T64(a), gen_const(TCG_TYPE_I64, zero_val));
}

void tcg_gen_ctzi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t zero_val)
{
    gen_o1i2(INDEX_op_ctz, TCG_TYPE_I64, T64(ret), T64(a), gen_const(TCG_TYPE_I64, zero_val));
}

void tcg_gen_clzi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t zero_val)
{
    gen_o1i2(INDEX_op_clz, TCG_TYPE_I32, T32(ret), T32(a), gen_const(TCG_TYPE_I32, zero_val));
}

void tcg_gen_ctzi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t zero_val)
{
    gen_o1i2(INDEX_op_ctz, TCG_TYPE_I32, T32(ret), T32(a), gen_const(TCG_TYPE_I32, zero_val));
}

/* ---- conditions and branches ----------------------------------------------- */

static void gen_setcond(TCGOpcode opc, TCGCond c, TCGType type, unsigned r, unsigned a, unsigned b)
{
    TCGOp *op;

    if (c == TCG_COND_NEVER || c == TCG_COND_ALWAYS) {
        int64_t one = opc == INDEX_op_negsetcond ? -1 : 1;

        gen_movi(type, r, c == TCG_COND_ALWAYS ? one : 0);
        return;
    }
    op = op_new(opc, type);
    op->args[0] = r;
    op->args[1] = a;
    op->args[2] = b;
    op->args[3] = c;
}

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b)
{
    gen_setcond(INDEX_op_setcond, c, TCG_TYPE_I32, T32(ret), T32(a), T32(b));
}

void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
{
    gen_setcond(INDEX_op_setcond, c, TCG_TYPE_I64, T64(ret), T64(a), T64(b));
}

void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, int32_t b)
{
    gen_setcond(INDEX_op_setcond, c, TCG_TYPE_I32, T32(ret), T32(a), gen_const(TCG_TYPE_I32, b));
}

void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, int64_t b)
{
    gen_setcond(INDEX_op_setcond, c, TCG_TYPE_I64, T64(ret), T64(a), gen_const(TCG_TYPE_I64, b));
}

void tcg_gen_negsetcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b)
{
    gen_setcond(INDEX_op_negsetcond, c, TCG_TYPE_I32, T32(ret), T32(a), T32(b));
}

void tcg_gen_negsetcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
{
    gen_setcond(INDEX_op_negsetcond, c, TCG_TYPE_I64, T64(ret), T64(a), T64(b));
}

static void gen_movcond(TCGCond c, TCGType type, unsigned r, unsigned c1, unsigned c2, unsigned v1,
                        unsigned v2)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS) {
        gen_mov(type, r, v1);
        return;
    }
    if (c == TCG_COND_NEVER) {
        gen_mov(type, r, v2);
        return;
    }
    op = op_new(INDEX_op_movcond, type);
    op->args[0] = r;
    op->args[1] = c1;
    op->args[2] = c2;
    op->args[3] = v1;
    op->args[4] = v2;
    op->args[5] = c;
}

void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2, TCGv_i32 v1,
                         TCGv_i32 v2)
{
    gen_movcond(c, TCG_TYPE_I32, T32(ret), T32(c1), T32(c2), T32(v1), T32(v2));
}

void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2, TCGv_i64 v1,
                         TCGv_i64 v2)
{
    gen_movcond(c, TCG_TYPE_I64, T64(ret), T64(c1), T64(c2), T64(v1), T64(v2));
}

void tcg_gen_br(TCGLabel *l)
{
    op_new(INDEX_op_br, TCG_TYPE_I64)->args[0] = l->id;
    tcg_ctx->label_refs[l->id]++;
}

static void gen_brcond(TCGCond c, TCGType type, unsigned a, unsigned b, TCGLabel *l)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
        return;
    }
    if (c == TCG_COND_NEVER) {
        return;
    }
    op = op_new(INDEX_op_brcond, type);
    op->args[0] = a;
    op->args[1] = b;
    op->args[2] = c;
    op->args[3] = l->id;
    tcg_ctx->label_refs[l->id]++;
}

void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{
    gen_brcond(c, TCG_TYPE_I32, T32(a), T32(b), l);
}

void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{
    gen_brcond(c, TCG_TYPE_I64, T64(a), T64(b), l);
}

void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l)
{
    gen_brcond(c, TCG_TYPE_I32, T32(a), gen_const(TCG_TYPE_I32, b), l);
}

void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l)
{
    gen_brcond(c, TCG_TYPE_I64, T64(a), gen_const(TCG_TYPE_I64, b), l);
}

void gen_set_label(TCGLabel *l)
{
    /* Placed once (after a label overflow the shared spare one repeats). */
    assert(!l->present || tcg_ctx->tb_overflow);
    l->present = true;
    op_new(INDEX_op_set_label, TCG_TYPE_I64)->args[0] = l->id;
}

/* ---- host memory ----------------------------------------------------------- */

static void gen_ldst(TCGOpcode opc, TCGType type, unsigned v, unsigned base, intptr_t ofs)
{
    TCGOp *op = op_new(opc, type);

    op->args[0] = v;
    op->args[1] = base;
    op->args[2] = (TCGArg)ofs;
}

#define GEN_LD(name, opc, type, T)                                                                 \
    void tcg_gen_##name(TCGv_##type ret, TCGv_ptr base, intptr_t ofs)                              \
    {                                                                                              \
        gen_ldst(INDEX_op_##opc, T, tcgv_##type##_idx(ret), T64(base), ofs);                       \
    }
#define GEN_ST(name, opc, type, T)                                                                 \
    void tcg_gen_##name(TCGv_##type val, TCGv_ptr base, intptr_t ofs)                              \
    {                                                                                              \
        gen_ldst(INDEX_op_##opc, T, tcgv_##type##_idx(val), T64(base), ofs);                       \
    }

GEN_LD(ld8u_i32, ld8u, i32, TCG_TYPE_I32)
GEN_LD(ld8s_i32, ld8s, i32, TCG_TYPE_I32)
GEN_LD(ld16u_i32, ld16u, i32, TCG_TYPE_I32)
GEN_LD(ld16s_i32, ld16s, i32, TCG_TYPE_I32)
GEN_LD(ld_i32, ld, i32, TCG_TYPE_I32)
GEN_LD(ld8u_i64, ld8u, i64, TCG_TYPE_I64)
GEN_LD(ld8s_i64, ld8s, i64, TCG_TYPE_I64)
GEN_LD(ld16u_i64, ld16u, i64, TCG_TYPE_I64)
GEN_LD(ld16s_i64, ld16s, i64, TCG_TYPE_I64)
GEN_LD(ld32u_i64, ld32u, i64, TCG_TYPE_I64)
GEN_LD(ld32s_i64, ld32s, i64, TCG_TYPE_I64)
GEN_LD(ld_i64, ld, i64, TCG_TYPE_I64)
GEN_ST(st8_i32, st8, i32, TCG_TYPE_I32)
GEN_ST(st16_i32, st16, i32, TCG_TYPE_I32)
GEN_ST(st_i32, st, i32, TCG_TYPE_I32)
GEN_ST(st8_i64, st8, i64, TCG_TYPE_I64)
GEN_ST(st16_i64, st16, i64, TCG_TYPE_I64)
GEN_ST(st32_i64, st32, i64, TCG_TYPE_I64)
GEN_ST(st_i64, st, i64, TCG_TYPE_I64)

/* ---- guest memory ---------------------------------------------------------- */

/*
 * One spelling per access: no byte order for single bytes, no sign where it
 * cannot matter (a store, or a load as wide as its value).
 */
static MemOp canonicalize_memop(MemOp op, TCGType type, bool is_store)
{
    switch (op & MO_SIZE) {
    case MO_8:
        op &= ~MO_BSWAP;
        break;
    case MO_16:
        break;
    case MO_32:
        if (type == TCG_TYPE_I32) {
            op &= ~MO_SIGN;
        }
        break;
    case MO_64:
        /* A 64-bit access into an i32 is not allowed. */
        assert(type == TCG_TYPE_I64);
        op &= ~MO_SIGN;
        break;
    default:
        /* 128-bit accesses are not part of the IR. */
        assert(false);
        break;
    }
    if (is_store) {
        op &= ~MO_SIGN;
    }
    return op;
}

static void gen_qemu_ldst(TCGOpcode opc, TCGType type, unsigned v, unsigned addr, unsigned mmu_idx,
                          MemOp memop)
{
    TCGOp *op;

    assert(tcg_ctx->temps[addr].type == TCG_TYPE_I64);
    memop = canonicalize_memop(memop, type, opc == INDEX_op_qemu_st);
    op = op_new(opc, type);
    op->args[0] = v;
    op->args[1] = addr;
    op->args[2] = make_memop_idx(memop, mmu_idx);
}

void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop)
{
    gen_qemu_ldst(INDEX_op_qemu_ld, TCG_TYPE_I32, T32(val), T64(addr), mmu_idx, memop);
}

void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop)
{
    gen_qemu_ldst(INDEX_op_qemu_ld, TCG_TYPE_I64, T64(val), T64(addr), mmu_idx, memop);
}

void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop)
{
    gen_qemu_ldst(INDEX_op_qemu_st, TCG_TYPE_I32, T32(val), T64(addr), mmu_idx, memop);
}

void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp memop)
{
    gen_qemu_ldst(INDEX_op_qemu_st, TCG_TYPE_I64, T64(val), T64(addr), mmu_idx, memop);
}

void tcg_gen_mb(TCGBar kind)
{
    op_new(INDEX_op_mb, TCG_TYPE_I64)->args[0] = kind;
}

/* ---- helper calls ---------------------------------------------------------- */

static inline TCGType call_type(unsigned t)
{
    return t == TCG_CALL_TYPE_I32 || t == TCG_CALL_TYPE_S32 ? TCG_TYPE_I32 : TCG_TYPE_I64;
}

void tcg_gen_call(const TCGHelperInfo *info, int ret_idx, unsigned nargs, const TCGCallArg *args)
{
    TCGContext *s = tcg_ctx;
    unsigned oargs = ret_idx >= 0 ? 1 : 0;
    TCGOp *op;

    /* The call must match the helper's declared prototype. */
    assert(nargs == tcg_call_nb_args(info->typemask));
    assert(nargs <= TCG_MAX_CALL_ARGS);
    for (unsigned i = 0; i < nargs; i++) {
        unsigned t = tcg_call_arg_type(info->typemask, i);

        assert(t != TCG_CALL_TYPE_VOID && t <= TCG_CALL_TYPE_PTR);
        assert(args[i].idx < s->nb_temps);
        assert(s->temps[args[i].idx].type == call_type(t));
        (void)t;
    }
    if (ret_idx >= 0) {
        assert((info->typemask & 7) != TCG_CALL_TYPE_VOID);
        assert((unsigned)ret_idx < s->nb_temps);
        assert(s->temps[ret_idx].type == call_type(info->typemask & 7));
        assert(s->temps[ret_idx].kind != TEMP_CONST && s->temps[ret_idx].kind != TEMP_FIXED);
    }

    op = tcg_emit_op(s, INDEX_op_call, TCG_TYPE_I64, oargs + nargs + 1);
    op->call_oargs = oargs;
    op->call_iargs = nargs;
    if (oargs) {
        op->args[0] = (unsigned)ret_idx;
    }
    for (unsigned i = 0; i < nargs; i++) {
        op->args[oargs + i] = args[i].idx;
    }
    op->args[oargs + nargs] = (uintptr_t)info;
}

/* ---- instructions and TB exits --------------------------------------------- */

void tcg_gen_insn_start(uint64_t pc, uint64_t word1)
{
    TCGOp *op = op_new(INDEX_op_insn_start, TCG_TYPE_I64);

    op->args[0] = pc;
    op->args[1] = word1;
    tcg_ctx->nb_insns++;
}

void tcg_gen_exit_tb(uintptr_t val)
{
    op_new(INDEX_op_exit_tb, TCG_TYPE_I64)->args[0] = val;
}

void tcg_gen_goto_tb(unsigned slot)
{
    assert(slot < 2);
    op_new(INDEX_op_goto_tb, TCG_TYPE_I64)->args[0] = slot;
}

void tcg_gen_goto_ptr(TCGv_ptr host_code)
{
    op_new(INDEX_op_goto_ptr, TCG_TYPE_I64)->args[0] = T64(host_code);
}
