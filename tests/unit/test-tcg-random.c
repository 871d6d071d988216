/*
 * Seeded random differential test of the IR: thousands of random programs
 * (straight-line code, if/else, bounded loops, early exits, helper calls,
 * guest and host memory accesses) over the harness's globals and a few TB
 * temps, each run through a small reference evaluator written here (plain
 * C semantics per op, independent of tcg/) and then on every registered
 * backend with the optimizer on and off.  Globals, TB temps (stored to
 * env at the end), env scratch memory, guest memory and the exit value must
 * all agree.  A failure prints the seed and the program.
 *
 * MORPH_TCG_SEED sets the first seed, MORPH_TCG_COUNT the number of
 * programs (program i uses seed + i).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "tcg-harness.h"

#define I32 TCG_TYPE_I32
#define I64 TCG_TYPE_I64

#define NB_VARS       24 /* 8 i64 globals, 8 i32 globals, 4 i64 + 4 i32 TB temps */
#define GUEST_SPAN    0x1000
#define DEFAULT_COUNT 6000

/* ---- random numbers (xorshift64*, identical on every host) --------------- */

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

static unsigned rng_below(Rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

static uint64_t rng_value(Rng *r)
{
    static const uint64_t special[] = {
        0,
        1,
        2,
        3,
        UINT64_MAX,
        UINT64_MAX - 1,
        0x8000000000000000ull,
        0x7fffffffffffffffull,
        0xffffffff,
        0x80000000,
        0x7fffffff,
        0x100000000ull,
        31,
        32,
        63,
        64,
        0xff,
        0x80,
        0xffff,
        0x8000,
    };

    switch (rng_below(r, 4)) {
    case 0:
        return special[rng_below(r, G_N_ELEMENTS(special))];
    case 1:
        return rng_below(r, 100) - 50;
    default:
        return rng_next(r);
    }
}

/* ---- programs ------------------------------------------------------------ */

typedef enum NodeKind {
    N_BIN,
    N_IMM,
    N_UN,
    N_DIV,
    N_SETCOND,
    N_MOVCOND,
    N_FIELD,
    N_MUL2,
    N_ADDSUB2,
    N_MOV,
    N_QLD,
    N_QST,
    N_HLD,
    N_HST,
    N_CALL,
    N_EBB_ACROSS,
    N_IF,
    N_LOOP,
    N_EXIT,
    N_NB_SIMPLE = N_IF,
} NodeKind;

typedef struct Operand {
    bool is_const;
    int var;
    uint64_t val;
} Operand;

typedef struct Node Node;
struct Node {
    NodeKind kind;
    TCGType type;
    int op; /* which op of the kind's table */
    int dst, dst2;
    Operand src[4];
    TCGCond cond;
    unsigned pos, len;
    uint64_t imm;
    MemOp memop;
    bool via_ebb;
    Node *body, *other; /* N_IF: then/else; N_LOOP: body */
    unsigned nb_body, nb_other;
    unsigned count; /* N_LOOP */
};

static TCGType var_type(int v)
{
    return (v < 8 || (v >= 16 && v < 20)) ? I64 : I32;
}

static int pick_var(Rng *r, TCGType t)
{
    for (;;) {
        int v = (int)rng_below(r, NB_VARS);

        if (var_type(v) == t) {
            return v;
        }
    }
}

static Operand pick_operand(Rng *r, TCGType t)
{
    Operand o = {0};

    if (rng_below(r, 4) == 0) {
        o.is_const = true;
        o.val = rng_value(r);
        if (t == I32) {
            o.val = (uint32_t)o.val;
        }
    } else {
        o.var = pick_var(r, t);
    }
    return o;
}

static const TCGCond conds[] = {
    TCG_COND_EQ,    TCG_COND_NE,    TCG_COND_LT,    TCG_COND_GE,     TCG_COND_LE,
    TCG_COND_GT,    TCG_COND_LTU,   TCG_COND_GEU,   TCG_COND_LEU,    TCG_COND_GTU,
    TCG_COND_TSTEQ, TCG_COND_TSTNE, TCG_COND_NEVER, TCG_COND_ALWAYS,
};

enum {
    B_ADD,
    B_SUB,
    B_MUL,
    B_AND,
    B_OR,
    B_XOR,
    B_ANDC,
    B_ORC,
    B_EQV,
    B_NAND,
    B_NOR,
    B_SHL,
    B_SHR,
    B_SAR,
    B_ROTL,
    B_ROTR,
    B_CLZ,
    B_CTZ,
    B_NB,
};
enum { D_DIV, D_DIVU, D_REM, D_REMU, D_NB };
enum {
    U_NEG,
    U_NOT,
    U_EXT8S,
    U_EXT8U,
    U_EXT16S,
    U_EXT16U,
    U_BSWAP16,
    U_BSWAP32,
    U_CTPOP,
    U_EXT32S,
    U_EXT32U,
    U_BSWAP64,
    U_EXT_I32_I64,
    U_EXTU_I32_I64,
    U_EXTRL,
    U_EXTRH,
    U_NB,
};

typedef struct Gen {
    Rng *r;
    unsigned budget; /* nodes left */
} Gen;

static void gen_block(Gen *g, Node **out, unsigned *n, unsigned len, int depth);

static void gen_simple(Gen *g, Node *nd)
{
    Rng *r = g->r;

    memset(nd, 0, sizeof(*nd));
    nd->kind = (NodeKind)rng_below(r, N_NB_SIMPLE);
    nd->type = rng_below(r, 2) ? I64 : I32;
    nd->dst = pick_var(r, nd->type);
    nd->via_ebb = rng_below(r, 3) == 0;
    for (int k = 0; k < 4; k++) {
        nd->src[k] = pick_operand(r, nd->type);
    }
    nd->cond = conds[rng_below(r, G_N_ELEMENTS(conds))];
    switch (nd->kind) {
    case N_BIN:
        nd->op = (int)rng_below(r, B_NB);
        break;
    case N_IMM:
        nd->op = (int)rng_below(r, B_CLZ);
        nd->imm = rng_below(r, 3) ? rng_value(r) : rng_below(r, 70);
        break;
    case N_UN:
        nd->op = (int)rng_below(r, U_NB);
        if (nd->op >= U_EXT32S && nd->op <= U_BSWAP64) {
            nd->type = I64;
        } else if (nd->op == U_EXT_I32_I64 || nd->op == U_EXTU_I32_I64) {
            nd->type = I64;
            nd->src[0] = pick_operand(r, I32);
        } else if (nd->op == U_EXTRL || nd->op == U_EXTRH) {
            nd->type = I32;
            nd->src[0] = pick_operand(r, I64);
        }
        nd->dst = pick_var(r, nd->type);
        if (!(nd->op == U_EXT_I32_I64 || nd->op == U_EXTU_I32_I64 || nd->op == U_EXTRL ||
              nd->op == U_EXTRH)) {
            nd->src[0] = pick_operand(r, nd->type);
        }
        break;
    case N_DIV:
        nd->op = (int)rng_below(r, D_NB);
        break;
    case N_FIELD: {
        unsigned w = nd->type == I32 ? 32 : 64;

        nd->op = (int)rng_below(r, 3);
        nd->len = 1 + rng_below(r, w);
        nd->pos = rng_below(r, w - nd->len + 1);
        break;
    }
    case N_MUL2:
        nd->op = (int)rng_below(r, nd->type == I64 ? 3 : 2);
        /* fall through */
    case N_ADDSUB2:
        if (nd->kind == N_ADDSUB2) {
            nd->op = (int)rng_below(r, 2);
        }
        do {
            nd->dst2 = pick_var(r, nd->type);
        } while (nd->dst2 == nd->dst);
        break;
    case N_QLD:
    case N_QST: {
        unsigned size = rng_below(r, nd->type == I64 ? 4 : 3);

        nd->memop = (MemOp)(size | (rng_below(r, 2) ? MO_BE : MO_LE) |
                            (rng_below(r, 2) ? MO_SIGN : 0) | (rng_below(r, 4) ? 0 : MO_ALIGN));
        nd->imm = rng_below(r, 8);
        if (nd->memop & MO_ALIGN) {
            nd->imm &= ~(uint64_t)(memop_size(nd->memop) - 1);
        }
        break;
    }
    case N_HLD:
    case N_HST:
        nd->op = (int)rng_below(r, nd->type == I64 ? 7 : 5);
        nd->imm = rng_below(r, 8) * 8 + rng_below(r, 4);
        break;
    case N_CALL:
        nd->op = (int)rng_below(r, 4);
        nd->src[0] = pick_operand(r, nd->op < 2 ? I64 : I32);
        nd->src[1] = pick_operand(r, nd->op < 2 ? I64 : I32);
        break;
    default:
        break;
    }
    if (nd->kind == N_QLD || nd->kind == N_QST) {
        nd->src[0] = pick_operand(r, I64);
    }
}

static void gen_node(Gen *g, Node *nd, int depth)
{
    Rng *r = g->r;
    unsigned roll = rng_below(r, 100);

    if (depth < 3 && g->budget > 4 && roll < 12) {
        memset(nd, 0, sizeof(*nd));
        nd->kind = N_IF;
        nd->type = rng_below(r, 2) ? I64 : I32;
        nd->cond = conds[rng_below(r, G_N_ELEMENTS(conds))];
        nd->src[0] = pick_operand(r, nd->type);
        nd->src[1] = pick_operand(r, nd->type);
        gen_block(g, &nd->body, &nd->nb_body, 1 + rng_below(r, 5), depth + 1);
        if (rng_below(r, 2)) {
            gen_block(g, &nd->other, &nd->nb_other, 1 + rng_below(r, 4), depth + 1);
        }
    } else if (depth < 2 && g->budget > 4 && roll < 17) {
        memset(nd, 0, sizeof(*nd));
        nd->kind = N_LOOP;
        nd->count = 1 + rng_below(r, 4);
        gen_block(g, &nd->body, &nd->nb_body, 1 + rng_below(r, 5), depth + 1);
    } else if (depth > 0 && roll < 19) {
        memset(nd, 0, sizeof(*nd));
        nd->kind = N_EXIT;
        nd->imm = 0x100 + rng_below(r, 0x100) * 4;
    } else {
        gen_simple(g, nd);
    }
    if (g->budget) {
        g->budget--;
    }
}

static void gen_block(Gen *g, Node **out, unsigned *n, unsigned len, int depth)
{
    *out = g_new0(Node, len);
    *n = len;
    for (unsigned i = 0; i < len; i++) {
        gen_node(g, &(*out)[i], depth);
    }
}

static void free_block(Node *nodes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        free_block(nodes[i].body, nodes[i].nb_body);
        free_block(nodes[i].other, nodes[i].nb_other);
    }
    g_free(nodes);
}

/* ---- helpers called by the programs ------------------------------------- */

/* Reads and writes globals. */
static uint64_t rh_mix(void *env, uint64_t a)
{
    HarnessEnv *e = env;

    e->r64[7] ^= a * 3 + e->r64[6];
    e->r32[7] += (uint32_t)a;
    return e->r64[5] + a;
}

static uint64_t rh_pure(uint64_t a, uint64_t b)
{
    return a * 31 + (b >> 3);
}

/* Reads globals only. */
static uint32_t rh_read(void *env, uint32_t a)
{
    HarnessEnv *e = env;

    return (uint32_t)e->r64[3] ^ e->r32[1] ^ a;
}

static int32_t rh_s32(int32_t a, uint32_t b)
{
    return (int32_t)((uint32_t)a * 3u + b);
}

static TCGHelperInfo rh_info[4] = {
    {.func = (void *)rh_mix, .name = "mix", .flags = 0},
    {.func = (void *)rh_pure, .name = "pure", .flags = TCG_CALL_PURE},
    {.func = (void *)rh_read, .name = "read", .flags = TCG_CALL_NO_WRITE_GLOBALS},
    {.func = (void *)rh_s32,
     .name = "s32",
     .flags = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS},
};

static void rh_init(void)
{
    rh_info[0].typemask =
        TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_PTR, TCG_CALL_TYPE_I64);
    rh_info[1].typemask =
        TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64);
    rh_info[2].typemask =
        TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I32, TCG_CALL_TYPE_PTR, TCG_CALL_TYPE_I32);
    rh_info[3].typemask =
        TCG_CALL_TYPEMASK(TCG_CALL_TYPE_S32, TCG_CALL_TYPE_S32, TCG_CALL_TYPE_I32);
}

/* ---- the reference evaluator ----------------------------------------------- */

typedef struct RefState {
    HarnessEnv env;
    uint64_t tb[8]; /* TB temps, vars 16..23 */
    uint8_t guest[GUEST_SPAN + 16];
    bool exited;
    uintptr_t exit_val;
} RefState;

static uint64_t mask_of(TCGType t)
{
    return t == I32 ? 0xffffffffull : UINT64_MAX;
}

static int64_t sx(uint64_t v, unsigned bits)
{
    if (bits >= 64) {
        return (int64_t)v;
    }
    v &= (1ull << bits) - 1;
    return (v >> (bits - 1)) ? (int64_t)(v | (~0ull << bits)) : (int64_t)v;
}

static uint64_t ref_get_var(RefState *st, int v)
{
    if (v < 8) {
        return st->env.r64[v];
    }
    if (v < 16) {
        return st->env.r32[v - 8];
    }
    return st->tb[v - 16] & mask_of(var_type(v));
}

static void ref_set_var(RefState *st, int v, uint64_t val)
{
    if (v < 8) {
        st->env.r64[v] = val;
    } else if (v < 16) {
        st->env.r32[v - 8] = (uint32_t)val;
    } else {
        st->tb[v - 16] = val & mask_of(var_type(v));
    }
}

static uint64_t ref_opnd(RefState *st, const Operand *o, TCGType t)
{
    return (o->is_const ? o->val : ref_get_var(st, o->var)) & mask_of(t);
}

static uint64_t ref_rotl(uint64_t a, unsigned n, unsigned w)
{
    n %= w;
    return n ? ((a << n) | (a >> (w - n))) & (w == 64 ? UINT64_MAX : (1ull << w) - 1) : a;
}

static unsigned ref_clz(uint64_t a, unsigned w)
{
    unsigned n = 0;

    while (n < w && !((a >> (w - 1 - n)) & 1)) {
        n++;
    }
    return n;
}

static unsigned ref_ctz(uint64_t a)
{
    unsigned n = 0;

    while (!((a >> n) & 1)) {
        n++;
    }
    return n;
}

static uint64_t ref_bin(int op, unsigned w, uint64_t a, uint64_t b)
{
    switch (op) {
    case B_ADD:
        return a + b;
    case B_SUB:
        return a - b;
    case B_MUL:
        return a * b;
    case B_AND:
        return a & b;
    case B_OR:
        return a | b;
    case B_XOR:
        return a ^ b;
    case B_ANDC:
        return a & ~b;
    case B_ORC:
        return a | ~b;
    case B_EQV:
        return ~(a ^ b);
    case B_NAND:
        return ~(a & b);
    case B_NOR:
        return ~(a | b);
    case B_SHL:
        return a << (b % w);
    case B_SHR:
        return a >> (b % w);
    case B_SAR:
        return (uint64_t)(sx(a, w) >> (b % w));
    case B_ROTL:
        return ref_rotl(a, (unsigned)(b % w), w);
    case B_ROTR:
        return ref_rotl(a, (unsigned)((w - b % w) % w), w);
    case B_CLZ:
        return a ? ref_clz(a, w) : b;
    case B_CTZ:
        return a ? ref_ctz(a) : b;
    }
    return 0;
}

static uint64_t ref_bswap(uint64_t a, unsigned bytes)
{
    uint64_t r = 0;

    for (unsigned i = 0; i < bytes; i++) {
        r = (r << 8) | ((a >> (8 * i)) & 0xff);
    }
    return r;
}

static uint64_t ref_un(int op, uint64_t a)
{
    switch (op) {
    case U_NEG:
        return -a;
    case U_NOT:
        return ~a;
    case U_EXT8S:
        return (uint64_t)sx(a, 8);
    case U_EXT8U:
        return a & 0xff;
    case U_EXT16S:
        return (uint64_t)sx(a, 16);
    case U_EXT16U:
        return a & 0xffff;
    case U_BSWAP16:
        return ref_bswap(a, 2);
    case U_BSWAP32:
        return ref_bswap(a, 4);
    case U_CTPOP:
        return (uint64_t)__builtin_popcountll(a);
    case U_EXT32S:
    case U_EXT_I32_I64:
        return (uint64_t)sx(a, 32);
    case U_EXT32U:
    case U_EXTU_I32_I64:
    case U_EXTRL:
        return a & 0xffffffff;
    case U_BSWAP64:
        return ref_bswap(a, 8);
    case U_EXTRH:
        return a >> 32;
    }
    return 0;
}

static bool ref_cond(TCGCond c, TCGType t, uint64_t a, uint64_t b)
{
    unsigned w = t == I32 ? 32 : 64;

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
        return sx(a, w) < sx(b, w);
    case TCG_COND_GE:
        return sx(a, w) >= sx(b, w);
    case TCG_COND_LE:
        return sx(a, w) <= sx(b, w);
    case TCG_COND_GT:
        return sx(a, w) > sx(b, w);
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

/* The divisor the program uses: even, 2..0xfffe in magnitude, b's sign. */
static uint64_t ref_divisor(uint64_t b, TCGType t)
{
    uint64_t d = (b & 0xfffe) | 2;

    return (sx(b, t == I32 ? 32 : 64) < 0 ? -d : d) & mask_of(t);
}

static uint64_t ref_guest_addr(uint64_t a, uint64_t off)
{
    return (a & (GUEST_SPAN - 8)) + off;
}

static void ref_block(RefState *st, const Node *nodes, unsigned n);

static void ref_node(RefState *st, const Node *nd)
{
    TCGType t = nd->type;
    unsigned w = t == I32 ? 32 : 64;
    uint64_t m = mask_of(t);
    uint64_t a = ref_opnd(st, &nd->src[0], t), b = ref_opnd(st, &nd->src[1], t);
    uint64_t c = ref_opnd(st, &nd->src[2], t), d = ref_opnd(st, &nd->src[3], t);

    switch (nd->kind) {
    case N_BIN:
        ref_set_var(st, nd->dst, ref_bin(nd->op, w, a, b) & m);
        break;
    case N_IMM:
        ref_set_var(st, nd->dst, ref_bin(nd->op, w, a, nd->imm & m) & m);
        break;
    case N_UN: {
        TCGType tin = (nd->op == U_EXT_I32_I64 || nd->op == U_EXTU_I32_I64) ? I32
                      : (nd->op == U_EXTRL || nd->op == U_EXTRH)            ? I64
                                                                            : t;

        ref_set_var(st, nd->dst, ref_un(nd->op, ref_opnd(st, &nd->src[0], tin)) & m);
        break;
    }
    case N_DIV: {
        uint64_t dv = ref_divisor(b, t), r;

        switch (nd->op) {
        case D_DIV:
            r = (uint64_t)(sx(a, w) / sx(dv, w));
            break;
        case D_DIVU:
            r = a / dv;
            break;
        case D_REM:
            r = (uint64_t)(sx(a, w) % sx(dv, w));
            break;
        default:
            r = a % dv;
            break;
        }
        ref_set_var(st, nd->dst, r & m);
        break;
    }
    case N_SETCOND:
        ref_set_var(st, nd->dst, ref_cond(nd->cond, t, a, b) ? (nd->via_ebb ? m : 1) : 0);
        break;
    case N_MOVCOND:
        ref_set_var(st, nd->dst, ref_cond(nd->cond, t, a, b) ? c : d);
        break;
    case N_FIELD: {
        uint64_t fm = nd->len == 64 ? UINT64_MAX : (1ull << nd->len) - 1;
        uint64_t r;

        if (nd->op == 0) {
            r = (a >> nd->pos) & fm;
        } else if (nd->op == 1) {
            r = (uint64_t)sx(a >> nd->pos, nd->len);
        } else {
            r = (a & ~(fm << nd->pos)) | ((b & fm) << nd->pos);
        }
        ref_set_var(st, nd->dst, r & m);
        break;
    }
    case N_MUL2: {
        uint64_t lo, hi;

        if (t == I32) {
            uint64_t p = nd->op == 1 ? (uint64_t)(sx(a, 32) * sx(b, 32)) : a * b;

            lo = p;
            hi = p >> 32;
        } else {
            unsigned __int128 p = (unsigned __int128)a * b;

            lo = (uint64_t)p;
            hi = (uint64_t)(p >> 64);
            if (nd->op >= 1 && (int64_t)a < 0) {
                hi -= b;
            }
            if (nd->op == 1 && (int64_t)b < 0) {
                hi -= a;
            }
        }
        ref_set_var(st, nd->dst, lo & m);
        ref_set_var(st, nd->dst2, hi & m);
        break;
    }
    case N_ADDSUB2: {
        unsigned __int128 x = ((unsigned __int128)b << w) | a;
        unsigned __int128 y = ((unsigned __int128)d << w) | c;
        unsigned __int128 z = nd->op ? x - y : x + y;

        ref_set_var(st, nd->dst, (uint64_t)z & m);
        ref_set_var(st, nd->dst2, (uint64_t)(z >> w) & m);
        break;
    }
    case N_MOV:
        ref_set_var(st, nd->dst, a);
        break;
    case N_QLD: {
        uint64_t addr = ref_guest_addr(ref_opnd(st, &nd->src[0], I64), nd->imm);
        unsigned size = memop_size(nd->memop);
        uint64_t v = 0;

        for (unsigned i = 0; i < size; i++) {
            unsigned byte = (nd->memop & MO_BSWAP) ? i : size - 1 - i;

            v = (v << 8) | st->guest[addr + byte];
        }
        if (nd->memop & MO_SIGN) {
            v = (uint64_t)sx(v, 8 * size);
        }
        ref_set_var(st, nd->dst, v & m);
        break;
    }
    case N_QST: {
        uint64_t addr = ref_guest_addr(ref_opnd(st, &nd->src[0], I64), nd->imm);
        unsigned size = memop_size(nd->memop);

        for (unsigned i = 0; i < size; i++) {
            unsigned byte = (nd->memop & MO_BSWAP) ? size - 1 - i : i;

            st->guest[addr + byte] = (uint8_t)(b >> (8 * i));
        }
        break;
    }
    case N_HLD: {
        /* i32: ld8u ld8s ld16u ld16s ld; i64: ... ld32u ld32s ld.  Odd ones sign-extend. */
        static const unsigned sizes[7] = {1, 1, 2, 2, 4, 4, 8};
        unsigned size = t == I32 && nd->op == 4 ? 4 : sizes[nd->op];
        uint64_t v = 0;

        memcpy(&v, (uint8_t *)st->env.scratch + nd->imm, size);
        if (nd->op & 1) {
            v = (uint64_t)sx(v, 8 * size);
        }
        ref_set_var(st, nd->dst, v & m);
        break;
    }
    case N_HST: {
        static const unsigned sizes_i32[3] = {1, 2, 4}, sizes_i64[4] = {1, 2, 4, 8};
        unsigned size = t == I32 ? sizes_i32[nd->op % 3] : sizes_i64[nd->op % 4];

        memcpy((uint8_t *)st->env.scratch + nd->imm, &a, size);
        break;
    }
    case N_CALL:
        switch (nd->op) {
        case 0:
            ref_set_var(st, 0, rh_mix(&st->env, ref_opnd(st, &nd->src[0], I64)));
            break;
        case 1:
            ref_set_var(st, 1,
                        rh_pure(ref_opnd(st, &nd->src[0], I64), ref_opnd(st, &nd->src[1], I64)));
            break;
        case 2:
            ref_set_var(st, 8 + 2, rh_read(&st->env, (uint32_t)ref_opnd(st, &nd->src[0], I32)));
            break;
        default:
            ref_set_var(st, 8 + 3,
                        (uint32_t)rh_s32((int32_t)ref_opnd(st, &nd->src[0], I32),
                                         (uint32_t)ref_opnd(st, &nd->src[1], I32)));
            break;
        }
        break;
    case N_EBB_ACROSS: {
        uint64_t tmp = (a + b) & m;

        if (!ref_cond(nd->cond, t, c, d)) {
            ref_set_var(st, nd->dst, (tmp ^ 0x5a) & m);
        }
        break;
    }
    case N_IF:
        if (ref_cond(nd->cond, t, a, b)) {
            ref_block(st, nd->other, nd->nb_other);
        } else {
            ref_block(st, nd->body, nd->nb_body);
        }
        break;
    case N_LOOP:
        for (unsigned i = 0; i < nd->count && !st->exited; i++) {
            ref_block(st, nd->body, nd->nb_body);
        }
        break;
    case N_EXIT:
        st->exited = true;
        st->exit_val = nd->imm;
        break;
    default:
        break;
    }
}

static void ref_block(RefState *st, const Node *nodes, unsigned n)
{
    for (unsigned i = 0; i < n && !st->exited; i++) {
        ref_node(st, &nodes[i]);
    }
}

/* ---- emitting a program as IR ---------------------------------------------- */

typedef struct Emit {
    Harness *h;
    uint32_t tb[8]; /* TB temps for vars 16..23 */
} Emit;

static uint32_t em_var(Emit *e, int v)
{
    if (v < 8) {
        return e->h->g64[v].n;
    }
    if (v < 16) {
        return e->h->g32[v - 8].n;
    }
    return e->tb[v - 16];
}

static uint32_t em_opnd(Emit *e, const Operand *o, TCGType t)
{
    if (o->is_const) {
        return t == I32 ? tcg_constant_i32((int32_t)o->val).n : tcg_constant_i64((int64_t)o->val).n;
    }
    return em_var(e, o->var);
}

static uint32_t em_temp(TCGType t)
{
    return t == I32 ? tcg_temp_new_i32().n : tcg_temp_new_i64().n;
}

static void em_mov(TCGType t, uint32_t r, uint32_t a)
{
    if (t == I32) {
        tcg_gen_mov_i32((TCGv_i32){r}, (TCGv_i32){a});
    } else {
        tcg_gen_mov_i64((TCGv_i64){r}, (TCGv_i64){a});
    }
}

typedef void (*Bin32)(TCGv_i32, TCGv_i32, TCGv_i32);
typedef void (*Bin64)(TCGv_i64, TCGv_i64, TCGv_i64);
typedef void (*Imm32)(TCGv_i32, TCGv_i32, int32_t);
typedef void (*Imm64)(TCGv_i64, TCGv_i64, int64_t);

static const Bin32 bin32[B_NB] = {
    tcg_gen_add_i32,  tcg_gen_sub_i32,  tcg_gen_mul_i32, tcg_gen_and_i32, tcg_gen_or_i32,
    tcg_gen_xor_i32,  tcg_gen_andc_i32, tcg_gen_orc_i32, tcg_gen_eqv_i32, tcg_gen_nand_i32,
    tcg_gen_nor_i32,  tcg_gen_shl_i32,  tcg_gen_shr_i32, tcg_gen_sar_i32, tcg_gen_rotl_i32,
    tcg_gen_rotr_i32, tcg_gen_clz_i32,  tcg_gen_ctz_i32,
};
static const Bin64 bin64[B_NB] = {
    tcg_gen_add_i64,  tcg_gen_sub_i64,  tcg_gen_mul_i64, tcg_gen_and_i64, tcg_gen_or_i64,
    tcg_gen_xor_i64,  tcg_gen_andc_i64, tcg_gen_orc_i64, tcg_gen_eqv_i64, tcg_gen_nand_i64,
    tcg_gen_nor_i64,  tcg_gen_shl_i64,  tcg_gen_shr_i64, tcg_gen_sar_i64, tcg_gen_rotl_i64,
    tcg_gen_rotr_i64, tcg_gen_clz_i64,  tcg_gen_ctz_i64,
};
static const Imm32 imm32[B_CLZ] = {
    tcg_gen_addi_i32, tcg_gen_subi_i32,  tcg_gen_muli_i32,  tcg_gen_andi_i32,
    tcg_gen_ori_i32,  tcg_gen_xori_i32,  tcg_gen_andci_i32, tcg_gen_orci_i32,
    tcg_gen_eqvi_i32, tcg_gen_nandi_i32, tcg_gen_nori_i32,  tcg_gen_shli_i32,
    tcg_gen_shri_i32, tcg_gen_sari_i32,  tcg_gen_rotli_i32, tcg_gen_rotri_i32,
};
static const Imm64 imm64[B_CLZ] = {
    tcg_gen_addi_i64, tcg_gen_subi_i64,  tcg_gen_muli_i64,  tcg_gen_andi_i64,
    tcg_gen_ori_i64,  tcg_gen_xori_i64,  tcg_gen_andci_i64, tcg_gen_orci_i64,
    tcg_gen_eqvi_i64, tcg_gen_nandi_i64, tcg_gen_nori_i64,  tcg_gen_shli_i64,
    tcg_gen_shri_i64, tcg_gen_sari_i64,  tcg_gen_rotli_i64, tcg_gen_rotri_i64,
};

static void em_bin(TCGType t, int op, uint32_t r, uint32_t a, uint32_t b)
{
    if (t == I32) {
        bin32[op]((TCGv_i32){r}, (TCGv_i32){a}, (TCGv_i32){b});
    } else {
        bin64[op]((TCGv_i64){r}, (TCGv_i64){a}, (TCGv_i64){b});
    }
}

static void em_un(int op, uint32_t r, uint32_t a, TCGType t)
{
    TCGv_i32 r32 = {r}, a32 = {a};
    TCGv_i64 r64 = {r}, a64 = {a};

    switch (op) {
    case U_NEG:
        t == I32 ? tcg_gen_neg_i32(r32, a32) : tcg_gen_neg_i64(r64, a64);
        break;
    case U_NOT:
        t == I32 ? tcg_gen_not_i32(r32, a32) : tcg_gen_not_i64(r64, a64);
        break;
    case U_EXT8S:
        t == I32 ? tcg_gen_ext8s_i32(r32, a32) : tcg_gen_ext8s_i64(r64, a64);
        break;
    case U_EXT8U:
        t == I32 ? tcg_gen_ext8u_i32(r32, a32) : tcg_gen_ext8u_i64(r64, a64);
        break;
    case U_EXT16S:
        t == I32 ? tcg_gen_ext16s_i32(r32, a32) : tcg_gen_ext16s_i64(r64, a64);
        break;
    case U_EXT16U:
        t == I32 ? tcg_gen_ext16u_i32(r32, a32) : tcg_gen_ext16u_i64(r64, a64);
        break;
    case U_BSWAP16:
        t == I32 ? tcg_gen_bswap16_i32(r32, a32) : tcg_gen_bswap16_i64(r64, a64);
        break;
    case U_BSWAP32:
        t == I32 ? tcg_gen_bswap32_i32(r32, a32) : tcg_gen_bswap32_i64(r64, a64);
        break;
    case U_CTPOP:
        t == I32 ? tcg_gen_ctpop_i32(r32, a32) : tcg_gen_ctpop_i64(r64, a64);
        break;
    case U_EXT32S:
        tcg_gen_ext32s_i64(r64, a64);
        break;
    case U_EXT32U:
        tcg_gen_ext32u_i64(r64, a64);
        break;
    case U_BSWAP64:
        tcg_gen_bswap64_i64(r64, a64);
        break;
    case U_EXT_I32_I64:
        tcg_gen_ext_i32_i64(r64, a32);
        break;
    case U_EXTU_I32_I64:
        tcg_gen_extu_i32_i64(r64, a32);
        break;
    case U_EXTRL:
        tcg_gen_extrl_i64_i32(r32, a64);
        break;
    case U_EXTRH:
        tcg_gen_extrh_i64_i32(r32, a64);
        break;
    }
}

static void em_brcond(TCGType t, TCGCond c, uint32_t a, uint32_t b, TCGLabel *l)
{
    if (t == I32) {
        tcg_gen_brcond_i32(c, (TCGv_i32){a}, (TCGv_i32){b}, l);
    } else {
        tcg_gen_brcond_i64(c, (TCGv_i64){a}, (TCGv_i64){b}, l);
    }
}

static void em_block(Emit *e, const Node *nodes, unsigned n);

static void em_node(Emit *e, const Node *nd)
{
    TCGType t = nd->type;
    uint32_t dst = em_var(e, nd->dst);
    uint32_t out = nd->via_ebb && nd->kind != N_SETCOND ? em_temp(t) : dst;
    uint32_t a = em_opnd(e, &nd->src[0], t), b = em_opnd(e, &nd->src[1], t);
    uint32_t c = em_opnd(e, &nd->src[2], t), d = em_opnd(e, &nd->src[3], t);
    bool copy_out = out != dst;

    switch (nd->kind) {
    case N_BIN:
        em_bin(t, nd->op, out, a, b);
        break;
    case N_IMM:
        if (t == I32) {
            imm32[nd->op]((TCGv_i32){out}, (TCGv_i32){a}, (int32_t)nd->imm);
        } else {
            imm64[nd->op]((TCGv_i64){out}, (TCGv_i64){a}, (int64_t)nd->imm);
        }
        break;
    case N_UN: {
        TCGType tin = (nd->op == U_EXT_I32_I64 || nd->op == U_EXTU_I32_I64) ? I32
                      : (nd->op == U_EXTRL || nd->op == U_EXTRH)            ? I64
                                                                            : t;

        em_un(nd->op, out, em_opnd(e, &nd->src[0], tin), t);
        break;
    }
    case N_DIV: {
        /* Divisor (b & 0xfffe) | 2, negated when b is negative. */
        uint32_t dv = em_temp(t), neg = em_temp(t);

        if (t == I32) {
            TCGv_i32 vd = {dv}, vn = {neg};

            tcg_gen_andi_i32(vd, (TCGv_i32){b}, 0xfffe);
            tcg_gen_ori_i32(vd, vd, 2);
            tcg_gen_neg_i32(vn, vd);
            tcg_gen_movcond_i32(TCG_COND_LT, vd, (TCGv_i32){b}, tcg_constant_i32(0), vn, vd);
            (nd->op == D_DIV    ? tcg_gen_div_i32
             : nd->op == D_DIVU ? tcg_gen_divu_i32
             : nd->op == D_REM  ? tcg_gen_rem_i32
                                : tcg_gen_remu_i32)((TCGv_i32){out}, (TCGv_i32){a}, vd);
        } else {
            TCGv_i64 vd = {dv}, vn = {neg};

            tcg_gen_andi_i64(vd, (TCGv_i64){b}, 0xfffe);
            tcg_gen_ori_i64(vd, vd, 2);
            tcg_gen_neg_i64(vn, vd);
            tcg_gen_movcond_i64(TCG_COND_LT, vd, (TCGv_i64){b}, tcg_constant_i64(0), vn, vd);
            (nd->op == D_DIV    ? tcg_gen_div_i64
             : nd->op == D_DIVU ? tcg_gen_divu_i64
             : nd->op == D_REM  ? tcg_gen_rem_i64
                                : tcg_gen_remu_i64)((TCGv_i64){out}, (TCGv_i64){a}, vd);
        }
        break;
    }
    case N_SETCOND:
        /* via_ebb selects negsetcond here. */
        if (t == I32) {
            (nd->via_ebb ? tcg_gen_negsetcond_i32 : tcg_gen_setcond_i32)(
                nd->cond, (TCGv_i32){out}, (TCGv_i32){a}, (TCGv_i32){b});
        } else {
            (nd->via_ebb ? tcg_gen_negsetcond_i64 : tcg_gen_setcond_i64)(
                nd->cond, (TCGv_i64){out}, (TCGv_i64){a}, (TCGv_i64){b});
        }
        break;
    case N_MOVCOND:
        if (t == I32) {
            tcg_gen_movcond_i32(nd->cond, (TCGv_i32){out}, (TCGv_i32){a}, (TCGv_i32){b},
                                (TCGv_i32){c}, (TCGv_i32){d});
        } else {
            tcg_gen_movcond_i64(nd->cond, (TCGv_i64){out}, (TCGv_i64){a}, (TCGv_i64){b},
                                (TCGv_i64){c}, (TCGv_i64){d});
        }
        break;
    case N_FIELD:
        if (t == I32) {
            if (nd->op == 0) {
                tcg_gen_extract_i32((TCGv_i32){out}, (TCGv_i32){a}, nd->pos, nd->len);
            } else if (nd->op == 1) {
                tcg_gen_sextract_i32((TCGv_i32){out}, (TCGv_i32){a}, nd->pos, nd->len);
            } else {
                tcg_gen_deposit_i32((TCGv_i32){out}, (TCGv_i32){a}, (TCGv_i32){b}, nd->pos,
                                    nd->len);
            }
        } else {
            if (nd->op == 0) {
                tcg_gen_extract_i64((TCGv_i64){out}, (TCGv_i64){a}, nd->pos, nd->len);
            } else if (nd->op == 1) {
                tcg_gen_sextract_i64((TCGv_i64){out}, (TCGv_i64){a}, nd->pos, nd->len);
            } else {
                tcg_gen_deposit_i64((TCGv_i64){out}, (TCGv_i64){a}, (TCGv_i64){b}, nd->pos,
                                    nd->len);
            }
        }
        break;
    case N_MUL2:
        copy_out = false;
        if (t == I32) {
            (nd->op ? tcg_gen_muls2_i32 : tcg_gen_mulu2_i32)(
                (TCGv_i32){dst}, (TCGv_i32){em_var(e, nd->dst2)}, (TCGv_i32){a}, (TCGv_i32){b});
        } else {
            (nd->op == 0   ? tcg_gen_mulu2_i64
             : nd->op == 1 ? tcg_gen_muls2_i64
                           : tcg_gen_mulsu2_i64)((TCGv_i64){dst}, (TCGv_i64){em_var(e, nd->dst2)},
                                                 (TCGv_i64){a}, (TCGv_i64){b});
        }
        break;
    case N_ADDSUB2:
        copy_out = false;
        if (t == I32) {
            (nd->op ? tcg_gen_sub2_i32
                    : tcg_gen_add2_i32)((TCGv_i32){dst}, (TCGv_i32){em_var(e, nd->dst2)},
                                        (TCGv_i32){a}, (TCGv_i32){b}, (TCGv_i32){c}, (TCGv_i32){d});
        } else {
            (nd->op ? tcg_gen_sub2_i64
                    : tcg_gen_add2_i64)((TCGv_i64){dst}, (TCGv_i64){em_var(e, nd->dst2)},
                                        (TCGv_i64){a}, (TCGv_i64){b}, (TCGv_i64){c}, (TCGv_i64){d});
        }
        break;
    case N_MOV:
        em_mov(t, out, a);
        break;
    case N_QLD:
    case N_QST: {
        TCGv_i64 addr = tcg_temp_new_i64();

        tcg_gen_andi_i64(addr, (TCGv_i64){em_opnd(e, &nd->src[0], I64)}, GUEST_SPAN - 8);
        tcg_gen_addi_i64(addr, addr, (int64_t)nd->imm);
        if (nd->kind == N_QLD) {
            if (t == I32) {
                tcg_gen_qemu_ld_i32((TCGv_i32){out}, addr, 0, nd->memop);
            } else {
                tcg_gen_qemu_ld_i64((TCGv_i64){out}, addr, 0, nd->memop);
            }
        } else {
            copy_out = false;
            if (t == I32) {
                tcg_gen_qemu_st_i32((TCGv_i32){b}, addr, 0, nd->memop);
            } else {
                tcg_gen_qemu_st_i64((TCGv_i64){b}, addr, 0, nd->memop);
            }
        }
        break;
    }
    case N_HLD: {
        intptr_t ofs = offsetof(HarnessEnv, scratch) + (intptr_t)nd->imm;

        if (t == I32) {
            static void (*const ld32[5])(TCGv_i32, TCGv_ptr, intptr_t) = {
                tcg_gen_ld8u_i32,  tcg_gen_ld8s_i32, tcg_gen_ld16u_i32,
                tcg_gen_ld16s_i32, tcg_gen_ld_i32,
            };

            ld32[nd->op]((TCGv_i32){out}, tcg_env(), ofs);
        } else {
            static void (*const ld64[7])(TCGv_i64, TCGv_ptr, intptr_t) = {
                tcg_gen_ld8u_i64,  tcg_gen_ld8s_i64,  tcg_gen_ld16u_i64, tcg_gen_ld16s_i64,
                tcg_gen_ld32u_i64, tcg_gen_ld32s_i64, tcg_gen_ld_i64,
            };

            ld64[nd->op]((TCGv_i64){out}, tcg_env(), ofs);
        }
        break;
    }
    case N_HST: {
        intptr_t ofs = offsetof(HarnessEnv, scratch) + (intptr_t)nd->imm;

        copy_out = false;
        if (t == I32) {
            static void (*const st32[3])(TCGv_i32, TCGv_ptr, intptr_t) = {
                tcg_gen_st8_i32,
                tcg_gen_st16_i32,
                tcg_gen_st_i32,
            };

            st32[nd->op % 3]((TCGv_i32){a}, tcg_env(), ofs);
        } else {
            static void (*const st64[4])(TCGv_i64, TCGv_ptr, intptr_t) = {
                tcg_gen_st8_i64,
                tcg_gen_st16_i64,
                tcg_gen_st32_i64,
                tcg_gen_st_i64,
            };

            st64[nd->op % 4]((TCGv_i64){a}, tcg_env(), ofs);
        }
        break;
    }
    case N_CALL: {
        Harness *h = e->h;

        copy_out = false;
        switch (nd->op) {
        case 0:
            tcg_gen_callN(&rh_info[0], tcgv_i64_idx(h->g64[0]), tcg_arg_i64(tcg_env()),
                          tcg_arg_i64((TCGv_i64){em_opnd(e, &nd->src[0], I64)}));
            break;
        case 1:
            tcg_gen_callN(&rh_info[1], tcgv_i64_idx(h->g64[1]),
                          tcg_arg_i64((TCGv_i64){em_opnd(e, &nd->src[0], I64)}),
                          tcg_arg_i64((TCGv_i64){em_opnd(e, &nd->src[1], I64)}));
            break;
        case 2:
            tcg_gen_callN(&rh_info[2], tcgv_i32_idx(h->g32[2]), tcg_arg_i64(tcg_env()),
                          tcg_arg_i32((TCGv_i32){em_opnd(e, &nd->src[0], I32)}));
            break;
        default:
            tcg_gen_callN(&rh_info[3], tcgv_i32_idx(h->g32[3]),
                          tcg_arg_i32((TCGv_i32){em_opnd(e, &nd->src[0], I32)}),
                          tcg_arg_i32((TCGv_i32){em_opnd(e, &nd->src[1], I32)}));
            break;
        }
        break;
    }
    case N_EBB_ACROSS: {
        /* An EBB temp computed before a brcond and used on its fall-through. */
        uint32_t tmp = em_temp(t);
        TCGLabel *skip = gen_new_label();

        copy_out = false;
        em_bin(t, B_ADD, tmp, a, b);
        em_brcond(t, nd->cond, c, d, skip);
        if (t == I32) {
            tcg_gen_xori_i32((TCGv_i32){dst}, (TCGv_i32){tmp}, 0x5a);
        } else {
            tcg_gen_xori_i64((TCGv_i64){dst}, (TCGv_i64){tmp}, 0x5a);
        }
        gen_set_label(skip);
        break;
    }
    case N_IF: {
        TCGLabel *els = gen_new_label(), *end = gen_new_label();

        copy_out = false;
        em_brcond(t, nd->cond, a, b, els);
        em_block(e, nd->body, nd->nb_body);
        tcg_gen_br(end);
        gen_set_label(els);
        em_block(e, nd->other, nd->nb_other);
        gen_set_label(end);
        break;
    }
    case N_LOOP: {
        TCGv_i64 cnt = tcg_temp_new_tb_i64();
        TCGLabel *top = gen_new_label();

        copy_out = false;
        tcg_gen_movi_i64(cnt, nd->count);
        gen_set_label(top);
        em_block(e, nd->body, nd->nb_body);
        tcg_gen_subi_i64(cnt, cnt, 1);
        tcg_gen_brcondi_i64(TCG_COND_NE, cnt, 0, top);
        break;
    }
    case N_EXIT:
        copy_out = false;
        tcg_gen_exit_tb(nd->imm);
        break;
    default:
        copy_out = false;
        break;
    }
    if (copy_out) {
        em_mov(t, dst, out);
    }
}

static void em_block(Emit *e, const Node *nodes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        em_node(e, &nodes[i]);
    }
}

/* ---- running -------------------------------------------------------------------- */

typedef struct Program {
    uint64_t seed;
    Node *nodes;
    unsigned nb_nodes;
    HarnessEnv env0; /* initial globals and scratch */
    uint64_t tb0[8]; /* initial TB temps */
    uint8_t guest0[GUEST_SPAN + 16];
} Program;

static void program_new(Program *p, uint64_t seed)
{
    Rng r = {seed * 0x9e3779b97f4a7c15ull + 0x1234567};
    Gen g = {&r, 40 + rng_below(&r, 40)};

    memset(p, 0, sizeof(*p));
    p->seed = seed;
    rng_next(&r);
    gen_block(&g, &p->nodes, &p->nb_nodes, 10 + rng_below(&r, 30), 0);
    for (unsigned i = 0; i < HARNESS_NB_G64; i++) {
        p->env0.r64[i] = rng_value(&r);
    }
    for (unsigned i = 0; i < HARNESS_NB_G32; i++) {
        p->env0.r32[i] = (uint32_t)rng_value(&r);
    }
    for (unsigned i = 0; i < 16; i++) {
        p->env0.scratch[i] = rng_next(&r);
    }
    for (unsigned i = 0; i < 8; i++) {
        p->tb0[i] = rng_value(&r) & mask_of(var_type(16 + (int)i));
    }
    for (unsigned i = 0; i < sizeof(p->guest0); i++) {
        p->guest0[i] = (uint8_t)rng_next(&r);
    }
}

/* The program as IR, with the TB temps initialized first and stored to scratch last. */
static void program_emit(Program *p, Harness *h)
{
    Emit e = {.h = h};
    intptr_t dump = offsetof(HarnessEnv, scratch) + 8 * 8;

    for (unsigned i = 0; i < 8; i++) {
        if (var_type(16 + (int)i) == I64) {
            TCGv_i64 t = tcg_temp_new_tb_i64();

            tcg_gen_movi_i64(t, (int64_t)p->tb0[i]);
            e.tb[i] = t.n;
        } else {
            TCGv_i32 t = tcg_temp_new_tb_i32();

            tcg_gen_movi_i32(t, (int32_t)p->tb0[i]);
            e.tb[i] = t.n;
        }
    }
    em_block(&e, p->nodes, p->nb_nodes);
    for (unsigned i = 0; i < 8; i++) {
        if (var_type(16 + (int)i) == I64) {
            tcg_gen_st_i64((TCGv_i64){e.tb[i]}, tcg_env(), dump + 8 * i);
        } else {
            tcg_gen_st_i32((TCGv_i32){e.tb[i]}, tcg_env(), dump + 8 * i);
        }
    }
    tcg_gen_exit_tb(0);
}

static void program_reference(Program *p, RefState *st)
{
    uint8_t *dump = (uint8_t *)st->env.scratch + 8 * 8;

    memset(st, 0, sizeof(*st));
    st->env = p->env0;
    memcpy(st->tb, p->tb0, sizeof(st->tb));
    memcpy(st->guest, p->guest0, sizeof(st->guest));
    ref_block(st, p->nodes, p->nb_nodes);
    if (!st->exited) {
        for (unsigned i = 0; i < 8; i++) {
            memcpy(dump + 8 * i, &st->tb[i], var_type(16 + (int)i) == I64 ? 8 : 4);
        }
    }
}

static bool program_check(Program *p, Harness *h, bool opt, const RefState *st)
{
    uintptr_t ret;
    bool ok;

    harness_begin(h, opt);
    memset(&h->env, 0, sizeof(h->env));
    h->env = p->env0;
    memcpy(h->guest, p->guest0, sizeof(p->guest0));
    program_emit(p, h);
    if (harness_gen(h) < 0) {
        fprintf(stderr, "seed %" G_GUINT64_FORMAT ": tcg_gen_code failed (%d) on %s\n", p->seed,
                h->code_size, h->backend->name);
        return false;
    }
    ret = harness_exec(h, h->tc_ptr);
    ok = ret == (st->exited ? st->exit_val : 0) &&
         memcmp(h->env.r64, st->env.r64, sizeof(st->env.r64)) == 0 &&
         memcmp(h->env.r32, st->env.r32, sizeof(st->env.r32)) == 0 &&
         memcmp(h->env.scratch, st->env.scratch, sizeof(st->env.scratch)) == 0 &&
         memcmp(h->guest, st->guest, sizeof(st->guest)) == 0;
    if (!ok) {
        fprintf(stderr,
                "\nseed %" G_GUINT64_FORMAT " differs on backend %s, optimizer %s "
                "(rerun: MORPH_TCG_SEED=%" G_GUINT64_FORMAT " MORPH_TCG_COUNT=1)\n",
                p->seed, h->backend->name, opt ? "on" : "off", p->seed);
        fprintf(stderr, "exit: got 0x%" G_GINT64_MODIFIER "x expected 0x%" G_GINT64_MODIFIER "x\n",
                (uint64_t)ret, (uint64_t)(st->exited ? st->exit_val : 0));
        for (unsigned i = 0; i < HARNESS_NB_G64; i++) {
            fprintf(stderr,
                    "r%u: got %016" G_GINT64_MODIFIER "x expected %016" G_GINT64_MODIFIER "x%s\n",
                    i, h->env.r64[i], st->env.r64[i],
                    h->env.r64[i] != st->env.r64[i] ? "  <--" : "");
        }
        for (unsigned i = 0; i < HARNESS_NB_G32; i++) {
            fprintf(stderr, "w%u: got %08x expected %08x%s\n", i, h->env.r32[i], st->env.r32[i],
                    h->env.r32[i] != st->env.r32[i] ? "  <--" : "");
        }
        for (unsigned i = 0; i < 16; i++) {
            if (h->env.scratch[i] != st->env.scratch[i]) {
                fprintf(stderr,
                        "scratch[%u]: got %016" G_GINT64_MODIFIER
                        "x expected %016" G_GINT64_MODIFIER "x\n",
                        i, h->env.scratch[i], st->env.scratch[i]);
            }
        }
        for (unsigned i = 0; i < sizeof(st->guest); i++) {
            if (h->guest[i] != st->guest[i]) {
                fprintf(stderr, "guest[0x%x]: got %02x expected %02x\n", i, h->guest[i],
                        st->guest[i]);
            }
        }
        harness_dump(h, "program after the passes:");
        harness_begin(h, opt);
        program_emit(p, h);
        harness_dump(h, "program as emitted:");
    }
    return ok;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *s = getenv(name);

    return s && *s ? g_ascii_strtoull(s, NULL, 0) : def;
}

static void test_random(const TCGBackend *backend)
{
    uint64_t seed0 = env_u64("MORPH_TCG_SEED", 1);
    uint64_t count = env_u64("MORPH_TCG_COUNT", DEFAULT_COUNT);
    Harness *h = harness_new(backend);
    unsigned failures = 0;
    RefState *st = g_new(RefState, 1);

    for (uint64_t i = 0; i < count && failures < 3; i++) {
        Program *p = g_new(Program, 1);

        program_new(p, seed0 + i);
        program_reference(p, st);
        for (int opt = 1; opt >= 0; opt--) {
            if (!program_check(p, h, opt, st)) {
                failures++;
                break;
            }
        }
        free_block(p->nodes, p->nb_nodes);
        g_free(p);
    }
    g_test_message("%" G_GUINT64_FORMAT " random programs from seed %" G_GUINT64_FORMAT
                   " on %s, optimizer on and off",
                   count, seed0, backend->name);
    g_free(st);
    harness_free(h);
    g_assert_cmpuint(failures, ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rh_init();
    harness_add_per_backend("random", test_random);
    return g_test_run();
}
