/*
 * Unit tests of every IR op on every registered backend: each op, in both
 * types where it has both, on edge inputs (0, 1, -1, INT_MIN, INT_MAX, the
 * 32-bit boundaries, shift counts 0 and width-1, fields at bit 0 and at the
 * top...), checked against expected values computed here in plain C,
 * independently of tcg/.  Each case runs with the optimizer on and off, and
 * with its inputs as globals (what the backend computes), as constants
 * (what the optimizer folds), through temps, and aliased with the output.
 * The TB-level behaviour (guest memory, calls, branches, exits) is in
 * test-tcg-tb.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "exec/cpu.h"
#include "tcg-harness.h"

#define I32 TCG_TYPE_I32
#define I64 TCG_TYPE_I64

static const uint64_t edges64[] = {
    0,
    1,
    2,
    UINT64_MAX,
    UINT64_MAX - 1,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0x8000000000000001ull,
    0xffffffffull,
    0x80000000ull,
    0x7fffffffull,
    0x123456789abcdef0ull,
    0xfedcba9876543210ull,
    63,
    64,
};
static const uint64_t edges32[] = {
    0,          1,      2,      0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff,
    0x80000001, 0xffff, 0x8000, 31,         32,         0x12345678, 0xfedcba98,
};

static const uint64_t *edges(TCGType t, unsigned *n)
{
    if (t == I32) {
        *n = G_N_ELEMENTS(edges32);
        return edges32;
    }
    *n = G_N_ELEMENTS(edges64);
    return edges64;
}

/* ---- typed handles as raw numbers, so one test body serves both types ---- */

static uint32_t G(Harness *h, TCGType t, unsigned i)
{
    return t == I32 ? h->g32[i].n : h->g64[i].n;
}

static uint32_t C(TCGType t, uint64_t v)
{
    return t == I32 ? tcg_constant_i32((int32_t)v).n : tcg_constant_i64((int64_t)v).n;
}

static uint32_t T(TCGType t)
{
    return t == I32 ? tcg_temp_new_i32().n : tcg_temp_new_i64().n;
}

static void MOV(TCGType t, uint32_t r, uint32_t a)
{
    if (t == I32) {
        tcg_gen_mov_i32((TCGv_i32){r}, (TCGv_i32){a});
    } else {
        tcg_gen_mov_i64((TCGv_i64){r}, (TCGv_i64){a});
    }
}

static void set_g(Harness *h, TCGType t, unsigned i, uint64_t v)
{
    if (t == I32) {
        h->env.r32[i] = (uint32_t)v;
    } else {
        h->env.r64[i] = v;
    }
}

static uint64_t get_g(Harness *h, TCGType t, unsigned i)
{
    return t == I32 ? h->env.r32[i] : h->env.r64[i];
}

static uint64_t mask_of(TCGType t)
{
    return t == I32 ? 0xffffffffull : UINT64_MAX;
}

static unsigned width(TCGType t)
{
    return t == I32 ? 32 : 64;
}

/* Sign-extend the low `bits` bits. */
static int64_t sx(uint64_t v, unsigned bits)
{
    if (bits == 64) {
        return (int64_t)v;
    }
    v &= (1ull << bits) - 1;
    return (v >> (bits - 1)) ? (int64_t)(v | (~0ull << bits)) : (int64_t)v;
}

static const char *type_name(TCGType t)
{
    return t == I32 ? "i32" : "i64";
}

#define check  harness_check
#define report harness_report

/* ---- reference semantics, written independently of tcg/ ------------------ */

static unsigned ref_clz(uint64_t a, unsigned w)
{
    unsigned n = 0;

    for (int i = (int)w - 1; i >= 0 && !((a >> i) & 1); i--) {
        n++;
    }
    return n;
}

static unsigned ref_ctz(uint64_t a, unsigned w)
{
    unsigned n = 0;

    for (unsigned i = 0; i < w && !((a >> i) & 1); i++) {
        n++;
    }
    return n;
}

static uint64_t ref_bswap(uint64_t a, unsigned bytes)
{
    uint64_t r = 0;

    for (unsigned i = 0; i < bytes; i++) {
        r = (r << 8) | ((a >> (8 * i)) & 0xff);
    }
    return r;
}

static uint64_t ref_rotl(uint64_t a, unsigned n, unsigned w)
{
    uint64_t m = w == 64 ? UINT64_MAX : (1ull << w) - 1;

    a &= m;
    n %= w;
    return n ? ((a << n) | (a >> (w - n))) & m : a;
}

typedef enum RefBin {
    R_ADD,
    R_SUB,
    R_MUL,
    R_AND,
    R_OR,
    R_XOR,
    R_ANDC,
    R_ORC,
    R_EQV,
    R_NAND,
    R_NOR,
    R_SHL,
    R_SHR,
    R_SAR,
    R_ROTL,
    R_ROTR,
    R_DIV,
    R_DIVU,
    R_REM,
    R_REMU,
    R_CLZ,
    R_CTZ,
} RefBin;

/* Inputs already reduced to the width; result reduced by the caller. */
static uint64_t ref_binary(RefBin op, unsigned w, uint64_t a, uint64_t b)
{
    switch (op) {
    case R_ADD:
        return a + b;
    case R_SUB:
        return a - b;
    case R_MUL:
        return a * b;
    case R_AND:
        return a & b;
    case R_OR:
        return a | b;
    case R_XOR:
        return a ^ b;
    case R_ANDC:
        return a & ~b;
    case R_ORC:
        return a | ~b;
    case R_EQV:
        return ~(a ^ b);
    case R_NAND:
        return ~(a & b);
    case R_NOR:
        return ~(a | b);
    case R_SHL:
        return a << (b % w);
    case R_SHR:
        return a >> (b % w);
    case R_SAR:
        return (uint64_t)(sx(a, w) >> (b % w));
    case R_ROTL:
        return ref_rotl(a, (unsigned)(b % w), w);
    case R_ROTR:
        return ref_rotl(a, (unsigned)((w - b % w) % w), w);
    case R_DIV:
        return (uint64_t)(sx(a, w) / sx(b, w));
    case R_DIVU:
        return a / b;
    case R_REM:
        return (uint64_t)(sx(a, w) % sx(b, w));
    case R_REMU:
        return a % b;
    case R_CLZ:
        return a ? ref_clz(a, w) : b;
    case R_CTZ:
        return a ? ref_ctz(a, w) : b;
    }
    return 0;
}

static bool ref_valid(RefBin op, unsigned w, uint64_t a, uint64_t b)
{
    uint64_t min = 1ull << (w - 1), m1 = w == 64 ? UINT64_MAX : (1ull << w) - 1;

    switch (op) {
    case R_DIV:
    case R_REM:
        return b != 0 && !(a == min && b == m1);
    case R_DIVU:
    case R_REMU:
        return b != 0;
    default:
        return true;
    }
}

/* ---- two-operand ops ------------------------------------------------------ */

typedef struct BinSpec {
    const char *name;
    RefBin ref;
    void (*g32)(TCGv_i32, TCGv_i32, TCGv_i32);
    void (*g64)(TCGv_i64, TCGv_i64, TCGv_i64);
    void (*g32i)(TCGv_i32, TCGv_i32, int32_t);
    void (*g64i)(TCGv_i64, TCGv_i64, int64_t);
} BinSpec;

#define BIN(n, r)                                                                                  \
    {                                                                                              \
#n, r, tcg_gen_##n##_i32, tcg_gen_##n##_i64, tcg_gen_##n##i_i32, tcg_gen_##n##i_i64        \
    }

static const BinSpec bin_specs[] = {
    BIN(add, R_ADD),
    BIN(sub, R_SUB),
    BIN(mul, R_MUL),
    BIN(and, R_AND),
    BIN(or, R_OR),
    BIN(xor, R_XOR),
    BIN(andc, R_ANDC),
    BIN(orc, R_ORC),
    BIN(eqv, R_EQV),
    BIN(nand, R_NAND),
    BIN(nor, R_NOR),
    BIN(shl, R_SHL),
    BIN(shr, R_SHR),
    BIN(sar, R_SAR),
    BIN(rotl, R_ROTL),
    BIN(rotr, R_ROTR),
    BIN(div, R_DIV),
    BIN(divu, R_DIVU),
    BIN(rem, R_REM),
    BIN(remu, R_REMU),
    {"clz", R_CLZ, tcg_gen_clz_i32, tcg_gen_clz_i64, tcg_gen_clzi_i32, tcg_gen_clzi_i64},
    {"ctz", R_CTZ, tcg_gen_ctz_i32, tcg_gen_ctz_i64, tcg_gen_ctzi_i32, tcg_gen_ctzi_i64},
};

static void gen_bin(const BinSpec *sp, TCGType t, uint32_t r, uint32_t a, uint32_t b)
{
    if (t == I32) {
        sp->g32((TCGv_i32){r}, (TCGv_i32){a}, (TCGv_i32){b});
    } else {
        sp->g64((TCGv_i64){r}, (TCGv_i64){a}, (TCGv_i64){b});
    }
}

enum {
    M_GLOBALS, /* a, b in globals */
    M_CONST_B, /* b a constant */
    M_CONST_A, /* a a constant */
    M_CONSTS,  /* both constants: folded when optimizing */
    M_IMM,     /* the immediate form */
    M_TEMPS,   /* through EBB temps */
    M_ALIAS_A, /* output is input a */
    M_ALIAS_B, /* output is input b */
    M_SAME,    /* a op a (only where a == b) */
    M_NB,
};

static const char *mode_name[M_NB] = {
    "globals", "const-b", "const-a", "consts", "imm", "temps", "alias-a", "alias-b", "same",
};

static void run_binary(Harness *h, const BinSpec *sp, TCGType t, bool opt, int mode, uint64_t a,
                       uint64_t b)
{
    unsigned w = width(t);
    uint64_t exp = ref_binary(sp->ref, w, a, b) & mask_of(t), got;
    unsigned res = 0;
    char what[160];

    harness_begin(h, opt);
    set_g(h, t, 0, 0x5555);
    set_g(h, t, 1, a);
    set_g(h, t, 2, b);
    switch (mode) {
    case M_GLOBALS:
        gen_bin(sp, t, G(h, t, 0), G(h, t, 1), G(h, t, 2));
        break;
    case M_CONST_B:
        gen_bin(sp, t, G(h, t, 0), G(h, t, 1), C(t, b));
        break;
    case M_CONST_A:
        gen_bin(sp, t, G(h, t, 0), C(t, a), G(h, t, 2));
        break;
    case M_CONSTS:
        gen_bin(sp, t, G(h, t, 0), C(t, a), C(t, b));
        break;
    case M_IMM:
        if (t == I32) {
            sp->g32i(h->g32[0], h->g32[1], (int32_t)b);
        } else {
            sp->g64i(h->g64[0], h->g64[1], (int64_t)b);
        }
        break;
    case M_TEMPS: {
        uint32_t ta = T(t), tb = T(t), tr = T(t);

        MOV(t, ta, G(h, t, 1));
        MOV(t, tb, G(h, t, 2));
        gen_bin(sp, t, tr, ta, tb);
        MOV(t, G(h, t, 0), tr);
        break;
    }
    case M_ALIAS_A:
        gen_bin(sp, t, G(h, t, 1), G(h, t, 1), G(h, t, 2));
        res = 1;
        break;
    case M_ALIAS_B:
        gen_bin(sp, t, G(h, t, 2), G(h, t, 1), G(h, t, 2));
        res = 2;
        break;
    case M_SAME:
        gen_bin(sp, t, G(h, t, 0), G(h, t, 1), G(h, t, 1));
        break;
    }
    harness_run(h);
    got = get_g(h, t, res);
    snprintf(what, sizeof(what),
             "%s_%s %s opt=%d a=0x%" G_GINT64_MODIFIER "x b=0x%" G_GINT64_MODIFIER "x", sp->name,
             type_name(t), mode_name[mode], opt, a, b);
    check(h, what, got, exp);
}

static void test_binary(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);

    for (unsigned s = 0; s < G_N_ELEMENTS(bin_specs); s++) {
        for (TCGType t = I32; t <= I64; t++) {
            unsigned n;
            const uint64_t *e = edges(t, &n);

            for (int opt = 0; opt < 2; opt++) {
                for (int mode = 0; mode < M_NB; mode++) {
                    for (unsigned i = 0; i < n; i++) {
                        for (unsigned j = 0; j < n; j++) {
                            if (mode == M_SAME && i != j) {
                                continue;
                            }
                            if (!ref_valid(bin_specs[s].ref, width(t), e[i], e[j])) {
                                continue;
                            }
                            run_binary(h, &bin_specs[s], t, opt, mode, e[i], e[j]);
                        }
                    }
                }
            }
        }
    }
    report(h, "binary");
    harness_free(h);
}

/* ---- one-operand ops ------------------------------------------------------ */

typedef struct UnSpec {
    const char *name;
    TCGType tin, tout;
    void (*gen)(uint32_t r, uint32_t a);
    uint64_t (*ref)(uint64_t a); /* a zero-extended from tin */
} UnSpec;

#define UN_GEN(n, sfx, tr, ta)                                                                     \
    static void gen_un_##n##_##sfx(uint32_t r, uint32_t a)                                         \
    {                                                                                              \
        tcg_gen_##n##_##sfx((tr){r}, (ta){a});                                                     \
    }
#define UN_BOTH(n) UN_GEN(n, i32, TCGv_i32, TCGv_i32) UN_GEN(n, i64, TCGv_i64, TCGv_i64)

UN_BOTH(neg)
/* "not" is a name here, not an operator. */
/* clang-format off */
UN_BOTH(not)
/* clang-format on */
UN_BOTH(ext8s)
UN_BOTH(ext8u)
UN_BOTH(ext16s)
UN_BOTH(ext16u)
UN_BOTH(bswap16)
UN_BOTH(bswap32)
UN_BOTH(ctpop)
UN_GEN(ext32s, i64, TCGv_i64, TCGv_i64)
UN_GEN(ext32u, i64, TCGv_i64, TCGv_i64)
UN_GEN(bswap64, i64, TCGv_i64, TCGv_i64)

static void gen_un_ext_i32_i64(uint32_t r, uint32_t a)
{
    tcg_gen_ext_i32_i64((TCGv_i64){r}, (TCGv_i32){a});
}

static void gen_un_extu_i32_i64(uint32_t r, uint32_t a)
{
    tcg_gen_extu_i32_i64((TCGv_i64){r}, (TCGv_i32){a});
}

static void gen_un_extrl_i64_i32(uint32_t r, uint32_t a)
{
    tcg_gen_extrl_i64_i32((TCGv_i32){r}, (TCGv_i64){a});
}

static void gen_un_extrh_i64_i32(uint32_t r, uint32_t a)
{
    tcg_gen_extrh_i64_i32((TCGv_i32){r}, (TCGv_i64){a});
}

static uint64_t ref_neg(uint64_t a)
{
    return -a;
}
static uint64_t ref_not(uint64_t a)
{
    return ~a;
}
static uint64_t ref_ext8s(uint64_t a)
{
    return (uint64_t)sx(a, 8);
}
static uint64_t ref_ext8u(uint64_t a)
{
    return a & 0xff;
}
static uint64_t ref_ext16s(uint64_t a)
{
    return (uint64_t)sx(a, 16);
}
static uint64_t ref_ext16u(uint64_t a)
{
    return a & 0xffff;
}
static uint64_t ref_ext32s(uint64_t a)
{
    return (uint64_t)sx(a, 32);
}
static uint64_t ref_ext32u(uint64_t a)
{
    return a & 0xffffffff;
}
static uint64_t ref_bswap16(uint64_t a)
{
    return ref_bswap(a, 2);
}
static uint64_t ref_bswap32(uint64_t a)
{
    return ref_bswap(a, 4);
}
static uint64_t ref_bswap64(uint64_t a)
{
    return ref_bswap(a, 8);
}
static uint64_t ref_ctpop(uint64_t a)
{
    unsigned n = 0;

    for (; a; a &= a - 1) {
        n++;
    }
    return n;
}
static uint64_t ref_extrh(uint64_t a)
{
    return a >> 32;
}

static const UnSpec un_specs[] = {
    {"neg_i32", I32, I32, gen_un_neg_i32, ref_neg},
    {"neg_i64", I64, I64, gen_un_neg_i64, ref_neg},
    {"not_i32", I32, I32, gen_un_not_i32, ref_not},
    {"not_i64", I64, I64, gen_un_not_i64, ref_not},
    {"ext8s_i32", I32, I32, gen_un_ext8s_i32, ref_ext8s},
    {"ext8s_i64", I64, I64, gen_un_ext8s_i64, ref_ext8s},
    {"ext8u_i32", I32, I32, gen_un_ext8u_i32, ref_ext8u},
    {"ext8u_i64", I64, I64, gen_un_ext8u_i64, ref_ext8u},
    {"ext16s_i32", I32, I32, gen_un_ext16s_i32, ref_ext16s},
    {"ext16s_i64", I64, I64, gen_un_ext16s_i64, ref_ext16s},
    {"ext16u_i32", I32, I32, gen_un_ext16u_i32, ref_ext16u},
    {"ext16u_i64", I64, I64, gen_un_ext16u_i64, ref_ext16u},
    {"ext32s_i64", I64, I64, gen_un_ext32s_i64, ref_ext32s},
    {"ext32u_i64", I64, I64, gen_un_ext32u_i64, ref_ext32u},
    {"bswap16_i32", I32, I32, gen_un_bswap16_i32, ref_bswap16},
    {"bswap16_i64", I64, I64, gen_un_bswap16_i64, ref_bswap16},
    {"bswap32_i32", I32, I32, gen_un_bswap32_i32, ref_bswap32},
    {"bswap32_i64", I64, I64, gen_un_bswap32_i64, ref_bswap32},
    {"bswap64_i64", I64, I64, gen_un_bswap64_i64, ref_bswap64},
    {"ctpop_i32", I32, I32, gen_un_ctpop_i32, ref_ctpop},
    {"ctpop_i64", I64, I64, gen_un_ctpop_i64, ref_ctpop},
    {"ext_i32_i64", I32, I64, gen_un_ext_i32_i64, ref_ext32s},
    {"extu_i32_i64", I32, I64, gen_un_extu_i32_i64, ref_ext32u},
    {"extrl_i64_i32", I64, I32, gen_un_extrl_i64_i32, ref_ext32u},
    {"extrh_i64_i32", I64, I32, gen_un_extrh_i64_i32, ref_extrh},
};

enum { U_GLOBAL, U_CONST, U_TEMPS, U_ALIAS, U_NB };

static void run_unary(Harness *h, const UnSpec *sp, bool opt, int mode, uint64_t a)
{
    uint64_t exp = sp->ref(a & mask_of(sp->tin)) & mask_of(sp->tout), got;
    unsigned res = 0;
    char what[160];

    harness_begin(h, opt);
    set_g(h, sp->tin, 1, a);
    set_g(h, sp->tout, 0, 0x5555);
    switch (mode) {
    case U_GLOBAL:
        sp->gen(G(h, sp->tout, 0), G(h, sp->tin, 1));
        break;
    case U_CONST:
        sp->gen(G(h, sp->tout, 0), C(sp->tin, a));
        break;
    case U_TEMPS: {
        uint32_t ta = T(sp->tin), tr = T(sp->tout);

        MOV(sp->tin, ta, G(h, sp->tin, 1));
        sp->gen(tr, ta);
        MOV(sp->tout, G(h, sp->tout, 0), tr);
        break;
    }
    case U_ALIAS:
        if (sp->tin != sp->tout) {
            return;
        }
        sp->gen(G(h, sp->tout, 1), G(h, sp->tin, 1));
        res = 1;
        break;
    }
    harness_run(h);
    got = get_g(h, sp->tout, res);
    snprintf(what, sizeof(what), "%s mode=%d opt=%d a=0x%" G_GINT64_MODIFIER "x", sp->name, mode,
             opt, a);
    check(h, what, got, exp);
}

static void test_unary(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);

    for (unsigned s = 0; s < G_N_ELEMENTS(un_specs); s++) {
        unsigned n;
        const uint64_t *e = edges(I64, &n);

        for (int opt = 0; opt < 2; opt++) {
            for (int mode = 0; mode < U_NB; mode++) {
                for (unsigned i = 0; i < n; i++) {
                    run_unary(h, &un_specs[s], opt, mode, e[i]);
                    /* The 32-bit edges too, with garbage above for i64 inputs. */
                    run_unary(h, &un_specs[s], opt, mode, edges32[i % G_N_ELEMENTS(edges32)]);
                }
            }
        }
    }
    report(h, "unary");
    harness_free(h);
}

/* ---- double-width ops ----------------------------------------------------- */

static void ref_mul2(bool is_signed, TCGType t, uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    if (t == I32) {
        uint64_t p =
            is_signed ? (uint64_t)(sx(a, 32) * sx(b, 32)) : (a & 0xffffffff) * (b & 0xffffffff);

        *lo = p & 0xffffffff;
        *hi = p >> 32;
    } else {
        /* Schoolbook on 32-bit halves, then the sign correction. */
        uint64_t al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
        uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
        uint64_t mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);

        *lo = (ll & 0xffffffff) | (mid << 32);
        *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
        if (is_signed) {
            if ((int64_t)a < 0) {
                *hi -= b;
            }
            if ((int64_t)b < 0) {
                *hi -= a;
            }
        }
    }
}

static void test_mul2(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    char what[160];

    for (TCGType t = I32; t <= I64; t++) {
        unsigned n;
        const uint64_t *e = edges(t, &n);

        for (int opt = 0; opt < 2; opt++) {
            for (int sgn = 0; sgn < 3; sgn++) {
                for (int mode = 0; mode < 3; mode++) {
                    for (unsigned i = 0; i < n; i++) {
                        for (unsigned j = 0; j < n; j++) {
                            uint64_t a = e[i], b = e[j], lo, hi;
                            uint32_t ra, rb;

                            if (sgn == 2 && t == I32) {
                                continue;
                            }
                            ref_mul2(sgn == 1, t, a, b, &lo, &hi);
                            if (sgn == 2) {
                                /* mulsu2: signed a, unsigned b. */
                                ref_mul2(false, t, a, b, &lo, &hi);
                                if ((int64_t)a < 0) {
                                    hi -= b;
                                }
                            }
                            harness_begin(h, opt);
                            set_g(h, t, 1, a);
                            set_g(h, t, 2, b);
                            ra = mode == 1 ? C(t, a) : G(h, t, 1);
                            rb = mode == 1 ? C(t, b) : G(h, t, 2);
                            if (t == I32) {
                                (sgn ? tcg_gen_muls2_i32 : tcg_gen_mulu2_i32)(
                                    h->g32[mode == 2 ? 1 : 0], h->g32[mode == 2 ? 2 : 3],
                                    (TCGv_i32){ra}, (TCGv_i32){rb});
                            } else {
                                void (*f)(TCGv_i64, TCGv_i64, TCGv_i64, TCGv_i64) =
                                    sgn == 0   ? tcg_gen_mulu2_i64
                                    : sgn == 1 ? tcg_gen_muls2_i64
                                               : tcg_gen_mulsu2_i64;

                                f(h->g64[mode == 2 ? 1 : 0], h->g64[mode == 2 ? 2 : 3],
                                  (TCGv_i64){ra}, (TCGv_i64){rb});
                            }
                            harness_run(h);
                            snprintf(what, sizeof(what),
                                     "mul2 %s sgn=%d mode=%d opt=%d a=0x%" G_GINT64_MODIFIER
                                     "x b=0x%" G_GINT64_MODIFIER "x",
                                     type_name(t), sgn, mode, opt, a, b);
                            check(h, what, get_g(h, t, mode == 2 ? 1 : 0), lo);
                            check(h, what, get_g(h, t, mode == 2 ? 2 : 3), hi);
                        }
                    }
                }
            }
        }
    }
    report(h, "mul2");
    harness_free(h);
}

static void test_addsub2(const TCGBackend *backend)
{
    static const uint64_t v[] = {
        0,          1,          UINT64_MAX, 0x8000000000000000ull, 0x7fffffffffffffffull,
        0xffffffff, 0x80000000, 0x123456789};
    Harness *h = harness_new(backend);
    char what[200];

    for (TCGType t = I32; t <= I64; t++) {
        uint64_t m = mask_of(t);

        for (int opt = 0; opt < 2; opt++) {
            for (int sub = 0; sub < 2; sub++) {
                for (int mode = 0; mode < 2; mode++) {
                    for (unsigned i = 0; i < G_N_ELEMENTS(v) * G_N_ELEMENTS(v); i++) {
                        uint64_t al = v[i % 8] & m, bl = v[i / 8] & m;
                        uint64_t ah = v[(i + 3) % 8] & m, bh = v[(i / 8 + 5) % 8] & m;
                        uint64_t lo, hi, carry;

                        if (sub) {
                            lo = (al - bl) & m;
                            carry = al < bl;
                            hi = (ah - bh - carry) & m;
                        } else {
                            lo = (al + bl) & m;
                            carry = lo < al;
                            hi = (ah + bh + carry) & m;
                        }
                        harness_begin(h, opt);
                        set_g(h, t, 1, al);
                        set_g(h, t, 2, ah);
                        set_g(h, t, 3, bl);
                        set_g(h, t, 4, bh);
                        if (t == I32) {
                            TCGv_i32 a0 = mode ? (TCGv_i32){C(t, al)} : h->g32[1];
                            TCGv_i32 a1 = mode ? (TCGv_i32){C(t, ah)} : h->g32[2];
                            TCGv_i32 b0 = mode ? (TCGv_i32){C(t, bl)} : h->g32[3];
                            TCGv_i32 b1 = mode ? (TCGv_i32){C(t, bh)} : h->g32[4];

                            (sub ? tcg_gen_sub2_i32 : tcg_gen_add2_i32)(h->g32[0], h->g32[5], a0,
                                                                        a1, b0, b1);
                        } else {
                            TCGv_i64 a0 = mode ? (TCGv_i64){C(t, al)} : h->g64[1];
                            TCGv_i64 a1 = mode ? (TCGv_i64){C(t, ah)} : h->g64[2];
                            TCGv_i64 b0 = mode ? (TCGv_i64){C(t, bl)} : h->g64[3];
                            TCGv_i64 b1 = mode ? (TCGv_i64){C(t, bh)} : h->g64[4];

                            (sub ? tcg_gen_sub2_i64 : tcg_gen_add2_i64)(h->g64[0], h->g64[5], a0,
                                                                        a1, b0, b1);
                        }
                        harness_run(h);
                        snprintf(what, sizeof(what), "%s2 %s mode=%d opt=%d", sub ? "sub" : "add",
                                 type_name(t), mode, opt);
                        check(h, what, get_g(h, t, 0), lo);
                        check(h, what, get_g(h, t, 5), hi);
                    }
                }
            }
        }
    }
    report(h, "addsub2");
    harness_free(h);
}

/* ---- bit fields ------------------------------------------------------------ */

static const unsigned fields32[][2] = {
    {0, 1}, {0, 8},  {0, 16},  {0, 31}, {0, 32}, {1, 31}, {31, 1},
    {8, 8}, {4, 12}, {16, 16}, {24, 8}, {3, 5},  {30, 2},
};
static const unsigned fields64[][2] = {
    {0, 1},  {0, 8},   {0, 16}, {0, 32}, {0, 63},  {0, 64},  {1, 63},
    {63, 1}, {32, 32}, {8, 16}, {31, 2}, {40, 20}, {33, 31}, {56, 8},
};

static void test_bitfield(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    char what[160];

    for (TCGType t = I32; t <= I64; t++) {
        unsigned nf = t == I32 ? G_N_ELEMENTS(fields32) : G_N_ELEMENTS(fields64);
        unsigned n;
        const uint64_t *e = edges(t, &n);

        for (unsigned f = 0; f < nf; f++) {
            unsigned pos = t == I32 ? fields32[f][0] : fields64[f][0];
            unsigned len = t == I32 ? fields32[f][1] : fields64[f][1];
            uint64_t fmask = len == 64 ? UINT64_MAX : (1ull << len) - 1;

            for (int opt = 0; opt < 2; opt++) {
                for (int mode = 0; mode < 2; mode++) {
                    for (unsigned i = 0; i < n; i++) {
                        uint64_t a = e[i], b = e[(i * 7 + 3) % n];
                        uint64_t ex = (a >> pos) & fmask;
                        uint64_t sex = (uint64_t)sx(ex, len) & mask_of(t);
                        uint64_t dep = ((a & ~(fmask << pos)) | ((b & fmask) << pos)) & mask_of(t);
                        uint32_t ra, rb;

                        /* Constants belong to one TB: make them after harness_begin. */
                        harness_begin(h, opt);
                        ra = mode ? C(t, a) : G(h, t, 1);
                        rb = mode ? C(t, b) : G(h, t, 2);
                        set_g(h, t, 1, a);
                        set_g(h, t, 2, b);
                        if (t == I32) {
                            tcg_gen_extract_i32(h->g32[0], (TCGv_i32){ra}, pos, len);
                            tcg_gen_sextract_i32(h->g32[3], (TCGv_i32){ra}, pos, len);
                            tcg_gen_deposit_i32(h->g32[4], (TCGv_i32){ra}, (TCGv_i32){rb}, pos,
                                                len);
                        } else {
                            tcg_gen_extract_i64(h->g64[0], (TCGv_i64){ra}, pos, len);
                            tcg_gen_sextract_i64(h->g64[3], (TCGv_i64){ra}, pos, len);
                            tcg_gen_deposit_i64(h->g64[4], (TCGv_i64){ra}, (TCGv_i64){rb}, pos,
                                                len);
                        }
                        harness_run(h);
                        snprintf(what, sizeof(what),
                                 "%s field pos=%u len=%u mode=%d opt=%d a=0x%" G_GINT64_MODIFIER
                                 "x b=0x%" G_GINT64_MODIFIER "x",
                                 type_name(t), pos, len, mode, opt, a, b);
                        check(h, what, get_g(h, t, 0), ex);
                        check(h, what, get_g(h, t, 3), sex);
                        check(h, what, get_g(h, t, 4), dep);
                    }
                }
            }
        }
    }
    report(h, "bitfield");
    harness_free(h);
}

/* ---- conditions ------------------------------------------------------------ */

static const TCGCond all_conds[] = {
    TCG_COND_NEVER, TCG_COND_ALWAYS, TCG_COND_EQ,    TCG_COND_NE,    TCG_COND_LT,
    TCG_COND_GE,    TCG_COND_LE,     TCG_COND_GT,    TCG_COND_LTU,   TCG_COND_GEU,
    TCG_COND_LEU,   TCG_COND_GTU,    TCG_COND_TSTEQ, TCG_COND_TSTNE,
};

static bool ref_cond(TCGCond c, TCGType t, uint64_t a, uint64_t b)
{
    unsigned w = width(t);
    int64_t sa = sx(a, w), sb = sx(b, w);

    a &= mask_of(t);
    b &= mask_of(t);
    switch (c) {
    case TCG_COND_NEVER:
        return false;
    case TCG_COND_ALWAYS:
        return true;
    case TCG_COND_EQ:
        return a == b;
    case TCG_COND_NE:
        return a != b;
    case TCG_COND_LT:
        return sa < sb;
    case TCG_COND_GE:
        return sa >= sb;
    case TCG_COND_LE:
        return sa <= sb;
    case TCG_COND_GT:
        return sa > sb;
    case TCG_COND_LTU:
        return a < b;
    case TCG_COND_GEU:
        return a >= b;
    case TCG_COND_LEU:
        return a <= b;
    case TCG_COND_GTU:
        return a > b;
    case TCG_COND_TSTEQ:
        return (a & b) == 0;
    case TCG_COND_TSTNE:
        return (a & b) != 0;
    }
    return false;
}

static void gen_conds(Harness *h, TCGType t, TCGCond c, uint32_t a, uint32_t b, int imm,
                      uint64_t bval)
{
    TCGLabel *taken = gen_new_label(), *done = gen_new_label();

    if (t == I32) {
        TCGv_i32 va = {a}, vb = {b};

        if (imm) {
            tcg_gen_setcondi_i32(c, h->g32[0], va, (int32_t)bval);
        } else {
            tcg_gen_setcond_i32(c, h->g32[0], va, vb);
        }
        tcg_gen_negsetcond_i32(c, h->g32[3], va, vb);
        tcg_gen_movcond_i32(c, h->g32[4], va, vb, h->g32[5], h->g32[6]);
        if (imm) {
            tcg_gen_brcondi_i32(c, va, (int32_t)bval, taken);
        } else {
            tcg_gen_brcond_i32(c, va, vb, taken);
        }
        tcg_gen_movi_i32(h->g32[7], 2);
        tcg_gen_br(done);
        gen_set_label(taken);
        tcg_gen_movi_i32(h->g32[7], 1);
        gen_set_label(done);
    } else {
        TCGv_i64 va = {a}, vb = {b};

        if (imm) {
            tcg_gen_setcondi_i64(c, h->g64[0], va, (int64_t)bval);
        } else {
            tcg_gen_setcond_i64(c, h->g64[0], va, vb);
        }
        tcg_gen_negsetcond_i64(c, h->g64[3], va, vb);
        tcg_gen_movcond_i64(c, h->g64[4], va, vb, h->g64[5], h->g64[6]);
        if (imm) {
            tcg_gen_brcondi_i64(c, va, (int64_t)bval, taken);
        } else {
            tcg_gen_brcond_i64(c, va, vb, taken);
        }
        tcg_gen_movi_i64(h->g64[7], 2);
        tcg_gen_br(done);
        gen_set_label(taken);
        tcg_gen_movi_i64(h->g64[7], 1);
        gen_set_label(done);
    }
}

static void test_conditions(const TCGBackend *backend)
{
    static const uint64_t v[] = {
        0,          1,          2,         UINT64_MAX, 0x8000000000000000ull, 0x7fffffffffffffffull,
        0x80000000, 0x7fffffff, 0xffffffff};
    Harness *h = harness_new(backend);
    char what[160];

    for (TCGType t = I32; t <= I64; t++) {
        for (unsigned ci = 0; ci < G_N_ELEMENTS(all_conds); ci++) {
            TCGCond c = all_conds[ci];

            for (int opt = 0; opt < 2; opt++) {
                for (int mode = 0; mode < 5; mode++) {
                    for (unsigned i = 0; i < G_N_ELEMENTS(v); i++) {
                        for (unsigned j = 0; j < G_N_ELEMENTS(v); j++) {
                            uint64_t a = v[i] & mask_of(t), b = v[j] & mask_of(t);
                            bool r;
                            uint32_t ra, rb;

                            if (mode == 4) {
                                /* a cond a */
                                if (i != j) {
                                    continue;
                                }
                            }
                            r = ref_cond(c, t, a, b);
                            harness_begin(h, opt);
                            set_g(h, t, 1, a);
                            set_g(h, t, 2, b);
                            set_g(h, t, 5, 0x1111);
                            set_g(h, t, 6, 0x2222);
                            ra = mode == 2 ? C(t, a) : G(h, t, 1);
                            rb = mode == 1 || mode == 2 ? C(t, b) : mode == 4 ? ra : G(h, t, 2);
                            gen_conds(h, t, c, ra, rb, mode == 3, b);
                            harness_run(h);
                            snprintf(what, sizeof(what),
                                     "cond %s %s mode=%d opt=%d a=0x%" G_GINT64_MODIFIER
                                     "x b=0x%" G_GINT64_MODIFIER "x",
                                     type_name(t), tcg_cond_name(c), mode, opt, a, b);
                            check(h, what, get_g(h, t, 0), r);
                            check(h, what, get_g(h, t, 3), r ? mask_of(t) : 0);
                            check(h, what, get_g(h, t, 4), r ? 0x1111 : 0x2222);
                            check(h, what, get_g(h, t, 7), r ? 1 : 2);
                            /* The library's own evaluator agrees. */
                            g_assert_cmpint(tcg_eval_cond(t, c, a, b), ==, r);
                        }
                    }
                }
            }
        }
    }
    report(h, "conditions");
    harness_free(h);
}

static void test_cond_helpers(void)
{
    for (unsigned ci = 0; ci < G_N_ELEMENTS(all_conds); ci++) {
        TCGCond c = all_conds[ci];

        for (unsigned i = 0; i < G_N_ELEMENTS(edges64); i++) {
            for (unsigned j = 0; j < G_N_ELEMENTS(edges64); j++) {
                uint64_t a = edges64[i], b = edges64[j];

                for (TCGType t = I32; t <= I64; t++) {
                    g_assert_cmpint(tcg_eval_cond(t, c, a, b), ==, ref_cond(c, t, a, b));
                    g_assert_cmpint(tcg_eval_cond(t, tcg_swap_cond(c), b, a), ==,
                                    ref_cond(c, t, a, b));
                    g_assert_cmpint(tcg_eval_cond(t, tcg_invert_cond(c), a, b), ==,
                                    !ref_cond(c, t, a, b));
                }
            }
        }
        g_assert_nonnull(tcg_cond_name(c));
        g_assert_cmpstr(tcg_cond_name(c), !=, "?");
    }
}

/* ---- host memory: ld/st relative to env ------------------------------------ */

static void test_host_ldst(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    intptr_t base = offsetof(HarnessEnv, scratch);
    uint8_t bytes[16];

    for (unsigned i = 0; i < 16; i++) {
        bytes[i] = (uint8_t)(0x81 + 0x11 * i);
    }
    for (int opt = 0; opt < 2; opt++) {
        for (intptr_t k = 0; k < 4; k++) {
            uint64_t q;

            harness_begin(h, opt);
            memcpy(h->env.scratch, bytes, sizeof(bytes));
            tcg_gen_ld8u_i32(h->g32[0], tcg_env(), base + k);
            tcg_gen_ld8s_i32(h->g32[1], tcg_env(), base + k);
            tcg_gen_ld16u_i32(h->g32[2], tcg_env(), base + k);
            tcg_gen_ld16s_i32(h->g32[3], tcg_env(), base + k);
            tcg_gen_ld_i32(h->g32[4], tcg_env(), base + k);
            tcg_gen_ld8u_i64(h->g64[0], tcg_env(), base + k);
            tcg_gen_ld8s_i64(h->g64[1], tcg_env(), base + k);
            tcg_gen_ld16u_i64(h->g64[2], tcg_env(), base + k);
            tcg_gen_ld16s_i64(h->g64[3], tcg_env(), base + k);
            tcg_gen_ld32u_i64(h->g64[4], tcg_env(), base + k);
            tcg_gen_ld32s_i64(h->g64[5], tcg_env(), base + k);
            tcg_gen_ld_i64(h->g64[6], tcg_env(), base + k);
            harness_run(h);
            memcpy(&q, bytes + k, 8);
            check(h, "ld8u_i32", h->env.r32[0], (uint8_t)q);
            check(h, "ld8s_i32", h->env.r32[1], (uint32_t)(int32_t)(int8_t)q);
            check(h, "ld16u_i32", h->env.r32[2], (uint16_t)q);
            check(h, "ld16s_i32", h->env.r32[3], (uint32_t)(int32_t)(int16_t)q);
            check(h, "ld_i32", h->env.r32[4], (uint32_t)q);
            check(h, "ld8u_i64", h->env.r64[0], (uint8_t)q);
            check(h, "ld8s_i64", h->env.r64[1], (uint64_t)(int8_t)q);
            check(h, "ld16u_i64", h->env.r64[2], (uint16_t)q);
            check(h, "ld16s_i64", h->env.r64[3], (uint64_t)(int16_t)q);
            check(h, "ld32u_i64", h->env.r64[4], (uint32_t)q);
            check(h, "ld32s_i64", h->env.r64[5], (uint64_t)(int32_t)q);
            check(h, "ld_i64", h->env.r64[6], q);

            /* Stores: each to its own slot, so the sizes are visible. */
            harness_begin(h, opt);
            memset(h->env.scratch, 0xee, sizeof(h->env.scratch));
            h->env.r64[1] = 0x0102030405060708ull;
            h->env.r32[1] = 0x11223344;
            tcg_gen_st8_i32(h->g32[1], tcg_env(), base + k);
            tcg_gen_st16_i32(h->g32[1], tcg_env(), base + 16 + k);
            tcg_gen_st_i32(h->g32[1], tcg_env(), base + 32 + k);
            tcg_gen_st8_i64(h->g64[1], tcg_env(), base + 48 + k);
            tcg_gen_st16_i64(h->g64[1], tcg_env(), base + 64 + k);
            tcg_gen_st32_i64(h->g64[1], tcg_env(), base + 80 + k);
            tcg_gen_st_i64(h->g64[1], tcg_env(), base + 96 + k);
            harness_run(h);
            {
                uint8_t *sb = (uint8_t *)h->env.scratch;
                uint64_t got;

                memcpy(&got, sb + k, 8);
                check(h, "st8_i32", got, 0xeeeeeeeeeeeeee44ull);
                memcpy(&got, sb + 16 + k, 8);
                check(h, "st16_i32", got, 0xeeeeeeeeeeee3344ull);
                memcpy(&got, sb + 32 + k, 8);
                check(h, "st_i32", got, 0xeeeeeeee11223344ull);
                memcpy(&got, sb + 48 + k, 8);
                check(h, "st8_i64", got, 0xeeeeeeeeeeeeee08ull);
                memcpy(&got, sb + 64 + k, 8);
                check(h, "st16_i64", got, 0xeeeeeeeeeeee0708ull);
                memcpy(&got, sb + 80 + k, 8);
                check(h, "st32_i64", got, 0xeeeeeeee05060708ull);
                memcpy(&got, sb + 96 + k, 8);
                check(h, "st_i64", got, 0x0102030405060708ull);
            }
        }
    }
    report(h, "host_ldst");
    harness_free(h);
}

/*
 * A division the IR contract rules out (by zero, INT_MIN / -1): the
 * interpreter asserts in debug builds and gives 0 in release builds, but
 * never takes the host down with a SIGFPE.
 */
static void run_bad_divisions(void)
{
    Harness *h = harness_new(&tcg_backend_interp);

    for (int k = 0; k < 4; k++) {
        harness_begin(h, false);
        h->env.r64[1] = k < 2 ? 5 : 0x8000000000000000ull;
        h->env.r64[2] = k < 2 ? 0 : UINT64_MAX;
        h->env.r64[0] = 0x5555;
        (k & 1 ? tcg_gen_rem_i64 : tcg_gen_div_i64)(h->g64[0], h->g64[1], h->g64[2]);
        harness_run(h);
        g_assert_cmphex(h->env.r64[0], ==, 0);
    }
    harness_free(h);
}

static void test_bad_division(void)
{
#ifdef NDEBUG
    run_bad_divisions();
#else
    if (g_test_subprocess()) {
        run_bad_divisions();
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
#endif
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcg/conditions/helpers", test_cond_helpers);
    g_test_add_func("/tcg/interp/bad-division", test_bad_division);
    harness_add_per_backend("binary", test_binary);
    harness_add_per_backend("unary", test_unary);
    harness_add_per_backend("mul2", test_mul2);
    harness_add_per_backend("addsub2", test_addsub2);
    harness_add_per_backend("bitfield", test_bitfield);
    harness_add_per_backend("conditions", test_conditions);
    harness_add_per_backend("host-ldst", test_host_ldst);
    return g_test_run();
}
