/*
 * The value semantics of the IR ops, written once: what each arithmetic,
 * logic, shift, bit-field, extension, byte-swap, bit-count and condition op
 * computes on concrete inputs.  The optimizer folds constants with these
 * functions and the interpreter backend executes with them, so the two
 * cannot disagree; the unit tests hold both against an independent
 * evaluator.  The contract they implement is docs/devel/tcg-ir.md.
 *
 * Values travel as uint64_t.  An i32 input is read from its low 32 bits
 * (whatever the upper bits hold); an i32 result is returned sign-extended
 * to 64 bits, the canonical form of an i32 constant (TCGTemp.val).
 */
#ifndef MORPH_TCG_TCG_EVAL_H
#define MORPH_TCG_TCG_EVAL_H

#include <stdbool.h>
#include <stdint.h>
#include "tcg/tcg.h"

static inline uint64_t tcg_eval_canon(TCGType type, uint64_t v)
{
    return type == TCG_TYPE_I32 ? (uint64_t)(int64_t)(int32_t)v : v;
}

static inline bool tcg_eval_cond_inline(TCGType type, TCGCond c, uint64_t a, uint64_t b)
{
    if (type == TCG_TYPE_I32) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        switch (c) {
        case TCG_COND_LT:
            return (int32_t)a < (int32_t)b;
        case TCG_COND_GE:
            return (int32_t)a >= (int32_t)b;
        case TCG_COND_LE:
            return (int32_t)a <= (int32_t)b;
        case TCG_COND_GT:
            return (int32_t)a > (int32_t)b;
        default:
            break;
        }
    }
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
        return (int64_t)a < (int64_t)b;
    case TCG_COND_GE:
        return (int64_t)a >= (int64_t)b;
    case TCG_COND_LE:
        return (int64_t)a <= (int64_t)b;
    case TCG_COND_GT:
        return (int64_t)a > (int64_t)b;
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

/*
 * Is this division defined by the IR contract?  (The divisor is not zero
 * and, for the signed forms, the quotient INT_MIN / -1 does not overflow.)
 */
static inline bool tcg_eval_div_ok(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y)
{
    bool is_signed = opc == INDEX_op_div || opc == INDEX_op_rem;

    if (type == TCG_TYPE_I32) {
        if ((uint32_t)y == 0) {
            return false;
        }
        return !(is_signed && (uint32_t)x == 0x80000000u && (uint32_t)y == 0xffffffffu);
    }
    if (y == 0) {
        return false;
    }
    return !(is_signed && x == 0x8000000000000000ull && y == UINT64_MAX);
}

static inline uint64_t tcg_eval_rotl64(uint64_t x, unsigned n)
{
    n &= 63;
    return n ? (x << n) | (x >> (64 - n)) : x;
}

static inline uint32_t tcg_eval_rotl32(uint32_t x, unsigned n)
{
    n &= 31;
    return n ? (x << n) | (x >> (32 - n)) : x;
}

/* Two-input ops with one output: add ... rotr, div ... remu, clz, ctz. */
static inline uint64_t tcg_eval_binary(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y)
{
    if (type == TCG_TYPE_I32) {
        uint32_t a = (uint32_t)x, b = (uint32_t)y, r;

        switch (opc) {
        case INDEX_op_add:
            r = a + b;
            break;
        case INDEX_op_sub:
            r = a - b;
            break;
        case INDEX_op_mul:
            r = a * b;
            break;
        case INDEX_op_and:
            r = a & b;
            break;
        case INDEX_op_or:
            r = a | b;
            break;
        case INDEX_op_xor:
            r = a ^ b;
            break;
        case INDEX_op_andc:
            r = a & ~b;
            break;
        case INDEX_op_orc:
            r = a | ~b;
            break;
        case INDEX_op_eqv:
            r = ~(a ^ b);
            break;
        case INDEX_op_nand:
            r = ~(a & b);
            break;
        case INDEX_op_nor:
            r = ~(a | b);
            break;
        case INDEX_op_shl:
            r = a << (b & 31);
            break;
        case INDEX_op_shr:
            r = a >> (b & 31);
            break;
        case INDEX_op_sar:
            r = (uint32_t)((int32_t)a >> (b & 31));
            break;
        case INDEX_op_rotl:
            r = tcg_eval_rotl32(a, b);
            break;
        case INDEX_op_rotr:
            r = tcg_eval_rotl32(a, 32 - (b & 31));
            break;
        case INDEX_op_div:
            r = tcg_eval_div_ok(opc, type, x, y) ? (uint32_t)((int32_t)a / (int32_t)b) : 0;
            break;
        case INDEX_op_divu:
            r = b ? a / b : 0;
            break;
        case INDEX_op_rem:
            r = tcg_eval_div_ok(opc, type, x, y) ? (uint32_t)((int32_t)a % (int32_t)b) : 0;
            break;
        case INDEX_op_remu:
            r = b ? a % b : 0;
            break;
        case INDEX_op_clz:
            r = a ? (uint32_t)__builtin_clz(a) : b;
            break;
        case INDEX_op_ctz:
            r = a ? (uint32_t)__builtin_ctz(a) : b;
            break;
        default:
            r = 0;
            break;
        }
        return (uint64_t)(int64_t)(int32_t)r;
    }

    switch (opc) {
    case INDEX_op_add:
        return x + y;
    case INDEX_op_sub:
        return x - y;
    case INDEX_op_mul:
        return x * y;
    case INDEX_op_and:
        return x & y;
    case INDEX_op_or:
        return x | y;
    case INDEX_op_xor:
        return x ^ y;
    case INDEX_op_andc:
        return x & ~y;
    case INDEX_op_orc:
        return x | ~y;
    case INDEX_op_eqv:
        return ~(x ^ y);
    case INDEX_op_nand:
        return ~(x & y);
    case INDEX_op_nor:
        return ~(x | y);
    case INDEX_op_shl:
        return x << (y & 63);
    case INDEX_op_shr:
        return x >> (y & 63);
    case INDEX_op_sar:
        return (uint64_t)((int64_t)x >> (y & 63));
    case INDEX_op_rotl:
        return tcg_eval_rotl64(x, (unsigned)y);
    case INDEX_op_rotr:
        return tcg_eval_rotl64(x, 64 - (unsigned)(y & 63));
    case INDEX_op_div:
        return tcg_eval_div_ok(opc, type, x, y) ? (uint64_t)((int64_t)x / (int64_t)y) : 0;
    case INDEX_op_divu:
        return y ? x / y : 0;
    case INDEX_op_rem:
        return tcg_eval_div_ok(opc, type, x, y) ? (uint64_t)((int64_t)x % (int64_t)y) : 0;
    case INDEX_op_remu:
        return y ? x % y : 0;
    case INDEX_op_clz:
        return x ? (uint64_t)__builtin_clzll(x) : y;
    case INDEX_op_ctz:
        return x ? (uint64_t)__builtin_ctzll(x) : y;
    default:
        return 0;
    }
}

static inline uint64_t tcg_eval_bswap16(uint64_t x)
{
    return ((x >> 8) & 0xff) | ((x & 0xff) << 8);
}

/*
 * One-input ops: mov, neg, not, the extensions, byte swaps, ctpop and the
 * conversions between types (`type` is the output's type, as in TCGOp).
 */
static inline uint64_t tcg_eval_unary(TCGOpcode opc, TCGType type, uint64_t x)
{
    uint64_t r;

    switch (opc) {
    case INDEX_op_mov:
        r = x;
        break;
    case INDEX_op_neg:
        r = -x;
        break;
    case INDEX_op_not:
        r = ~x;
        break;
    case INDEX_op_ext8s:
        r = (uint64_t)(int64_t)(int8_t)x;
        break;
    case INDEX_op_ext8u:
        r = (uint8_t)x;
        break;
    case INDEX_op_ext16s:
        r = (uint64_t)(int64_t)(int16_t)x;
        break;
    case INDEX_op_ext16u:
        r = (uint16_t)x;
        break;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
        r = (uint64_t)(int64_t)(int32_t)x;
        break;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
        r = (uint32_t)x;
        break;
    case INDEX_op_extrl_i64_i32:
        r = x;
        break;
    case INDEX_op_extrh_i64_i32:
        r = x >> 32;
        break;
    case INDEX_op_bswap16:
        r = tcg_eval_bswap16(x);
        break;
    case INDEX_op_bswap32:
        r = __builtin_bswap32((uint32_t)x);
        break;
    case INDEX_op_bswap64:
        r = __builtin_bswap64(x);
        break;
    case INDEX_op_ctpop:
        r = type == TCG_TYPE_I32 ? (uint64_t)__builtin_popcount((uint32_t)x)
                                 : (uint64_t)__builtin_popcountll(x);
        break;
    default:
        r = 0;
        break;
    }
    return tcg_eval_canon(type, r);
}

static inline uint64_t tcg_eval_extract(TCGType type, uint64_t x, unsigned pos, unsigned len)
{
    uint64_t v = type == TCG_TYPE_I32 ? (uint32_t)x : x;

    v >>= pos;
    if (len < 64) {
        v &= (1ull << len) - 1;
    }
    return tcg_eval_canon(type, v);
}

static inline uint64_t tcg_eval_sextract(TCGType type, uint64_t x, unsigned pos, unsigned len)
{
    uint64_t v = type == TCG_TYPE_I32 ? (uint32_t)x : x;

    /* Move the field to the top, then shift it down arithmetically. */
    v <<= 64 - pos - len;
    return tcg_eval_canon(type, (uint64_t)((int64_t)v >> (64 - len)));
}

static inline uint64_t tcg_eval_deposit(TCGType type, uint64_t a, uint64_t b, unsigned pos,
                                        unsigned len)
{
    uint64_t mask = (len < 64 ? (1ull << len) - 1 : ~0ull) << pos;

    return tcg_eval_canon(type, (a & ~mask) | ((b << pos) & mask));
}

/* mulu2, muls2: the double-width product as (lo, hi). */
static inline void tcg_eval_mul2(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y, uint64_t *lo,
                                 uint64_t *hi)
{
    if (type == TCG_TYPE_I32) {
        uint64_t p;

        if (opc == INDEX_op_muls2) {
            p = (uint64_t)((int64_t)(int32_t)x * (int64_t)(int32_t)y);
        } else {
            p = (uint64_t)(uint32_t)x * (uint32_t)y;
        }
        *lo = tcg_eval_canon(type, p);
        *hi = tcg_eval_canon(type, p >> 32);
    } else if (opc == INDEX_op_muls2) {
        __int128 p = (__int128)(int64_t)x * (int64_t)y;

        *lo = (uint64_t)p;
        *hi = (uint64_t)((unsigned __int128)p >> 64);
    } else {
        unsigned __int128 p = (unsigned __int128)x * y;

        *lo = (uint64_t)p;
        *hi = (uint64_t)(p >> 64);
    }
}

/* add2, sub2: (lo, hi) = (al, ah) +/- (bl, bh), double width. */
static inline void tcg_eval_addsub2(TCGOpcode opc, TCGType type, uint64_t al, uint64_t ah,
                                    uint64_t bl, uint64_t bh, uint64_t *lo, uint64_t *hi)
{
    if (type == TCG_TYPE_I32) {
        uint64_t a = (uint32_t)al | ((uint64_t)ah << 32);
        uint64_t b = (uint32_t)bl | ((uint64_t)bh << 32);
        uint64_t r = opc == INDEX_op_add2 ? a + b : a - b;

        *lo = tcg_eval_canon(type, r);
        *hi = tcg_eval_canon(type, r >> 32);
    } else if (opc == INDEX_op_add2) {
        uint64_t l = al + bl;

        *hi = ah + bh + (l < al);
        *lo = l;
    } else {
        uint64_t l = al - bl;

        *hi = ah - bh - (al < bl);
        *lo = l;
    }
}

#endif
