/*
 * Exact software IEEE 754-2008 binary32/binary64 arithmetic: the reference
 * the host path is checked against, and the path for what the host cannot
 * do exactly (ties-to-max-magnitude rounding, FMA without host FMA, NaN
 * propagation, conversions to integers).
 *
 * Every operation computes its exact result (or the exact result truncated
 * with a "sticky" bit jammed into the least significant bit, which is
 * enough for correct rounding as long as at least two bits lie between it
 * and the rounding position), normalizes it to a 64-bit significand, and
 * rounds once in sf_round_pack().  Tininess is detected after rounding
 * (IEEE 754-2008 7.5, as RISC-V and x86 do): the result is tiny when
 * rounding to the format's precision with an unbounded exponent gives a
 * magnitude below the smallest normal number.
 */
#include "soft-fp.h"

const SFFormat sf_f32 = {23, 8, 127};
const SFFormat sf_f64 = {52, 11, 1023};

typedef unsigned __int128 u128;

enum {
    SF_ZERO,
    SF_FINITE, /* normal or subnormal, normalized on unpack */
    SF_INF,
    SF_QNAN,
    SF_SNAN,
};

/* A finite value is sig * 2^(exp - 63), with bit 63 of sig set. */
typedef struct SFUnpacked {
    int cls;
    bool sign;
    int exp;
    uint64_t sig;
    uint64_t raw;
} SFUnpacked;

static int sf_max_exp_field(const SFFormat *f)
{
    return (1 << f->exp_bits) - 1;
}

static uint64_t sf_sign_bit(const SFFormat *f)
{
    return 1ull << (f->frac_bits + f->exp_bits);
}

static uint64_t sf_frac_mask(const SFFormat *f)
{
    return (1ull << f->frac_bits) - 1;
}

static int clz64(uint64_t x)
{
    return x ? __builtin_clzll(x) : 64;
}

static int msb128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);

    return hi ? 127 - __builtin_clzll(hi) : 63 - clz64((uint64_t)x);
}

static SFUnpacked sf_unpack(const SFFormat *f, uint64_t x)
{
    SFUnpacked u = {0};
    int bexp = (int)((x >> f->frac_bits) & (uint64_t)sf_max_exp_field(f));
    uint64_t frac = x & sf_frac_mask(f);

    u.raw = x;
    u.sign = (x & sf_sign_bit(f)) != 0;
    if (bexp == sf_max_exp_field(f)) {
        if (frac == 0) {
            u.cls = SF_INF;
        } else {
            u.cls = (frac >> (f->frac_bits - 1)) & 1 ? SF_QNAN : SF_SNAN;
        }
    } else if (bexp == 0) {
        if (frac == 0) {
            u.cls = SF_ZERO;
        } else {
            int n = 63 - clz64(frac);

            u.cls = SF_FINITE;
            u.sig = frac << (63 - n);
            u.exp = n + 1 - f->bias - f->frac_bits;
        }
    } else {
        u.cls = SF_FINITE;
        u.sig = ((1ull << f->frac_bits) | frac) << (63 - f->frac_bits);
        u.exp = bexp - f->bias;
    }
    return u;
}

static bool sf_isnan_cls(int cls)
{
    return cls == SF_QNAN || cls == SF_SNAN;
}

uint64_t sf_default_nan(const HostFPStatus *s, const SFFormat *f)
{
    return f == &sf_f32 ? s->default_nan32 : s->default_nan64;
}

static uint64_t sf_pack_zero(const SFFormat *f, bool sign)
{
    return sign ? sf_sign_bit(f) : 0;
}

static uint64_t sf_pack_inf(const SFFormat *f, bool sign)
{
    return sf_pack_zero(f, sign) | ((uint64_t)sf_max_exp_field(f) << f->frac_bits);
}

static uint64_t sf_quiet(const SFFormat *f, uint64_t nan)
{
    return nan | (1ull << (f->frac_bits - 1));
}

/*
 * The NaN result of an operation with NaN operand(s) (up to three, in
 * operand order; n says how many).  Raises invalid for a signaling one.
 */
static uint64_t sf_nan_result(HostFPStatus *s, const SFFormat *f, const SFUnpacked *ops, int n)
{
    for (int i = 0; i < n; i++) {
        if (ops[i].cls == SF_SNAN) {
            s->flags |= HFP_FLAG_INVALID;
            break;
        }
    }
    if (s->nan_mode == HFP_NAN_DEFAULT) {
        return sf_default_nan(s, f);
    }
    for (int i = 0; i < n; i++) {
        if (ops[i].cls == SF_SNAN) {
            return sf_quiet(f, ops[i].raw);
        }
    }
    for (int i = 0; i < n; i++) {
        if (ops[i].cls == SF_QNAN) {
            return ops[i].raw;
        }
    }
    return sf_default_nan(s, f);
}

static uint64_t sf_invalid(HostFPStatus *s, const SFFormat *f)
{
    s->flags |= HFP_FLAG_INVALID;
    return sf_default_nan(s, f);
}

static uint64_t shift_right_jam64(uint64_t x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 64) {
        return x != 0;
    }
    return (x >> n) | ((x & ((1ull << n) - 1)) != 0);
}

static u128 shift_right_jam128(u128 x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

/* Should a value be rounded up in magnitude? rem/half: the dropped bits and half an ulp. */
static bool sf_round_up(HostFPRound mode, bool sign, bool lsb, uint64_t rem, uint64_t half)
{
    switch (mode) {
    case HFP_ROUND_NEAREST_EVEN:
        return rem > half || (rem == half && lsb);
    case HFP_ROUND_TO_ZERO:
        return false;
    case HFP_ROUND_DOWN:
        return rem != 0 && sign;
    case HFP_ROUND_UP:
        return rem != 0 && !sign;
    case HFP_ROUND_NEAREST_MAX_MAG:
        return rem >= half;
    }
    return false;
}

/*
 * Round and pack sig * 2^(exp - 63) (bit 63 of sig set, sticky bits jammed
 * into bit 0) to the format, raising the flags.
 */
static uint64_t sf_round_pack(HostFPStatus *s, const SFFormat *f, bool sign, int exp, uint64_t sig)
{
    const int p = f->frac_bits + 1;
    const int shift = 64 - p;
    const int emin = 1 - f->bias;
    const int emax = f->bias;
    const uint64_t half = 1ull << (shift - 1);
    const uint64_t low_mask = (1ull << shift) - 1;
    bool tiny = false;
    uint64_t q, rem;

    if (exp < emin) {
        tiny = true;
        if (exp == emin - 1) {
            /* With an unbounded exponent, does rounding carry up to 2^emin? */
            q = sig >> shift;
            rem = sig & low_mask;
            if (q == (1ull << p) - 1 && sf_round_up(s->round, sign, q & 1, rem, half)) {
                tiny = false;
            }
        }
        /* Align to the subnormal quantum 2^(emin - p + 1). */
        sig = shift_right_jam64(sig, emin - exp);
        q = sig >> shift;
        rem = sig & low_mask;
        if (sf_round_up(s->round, sign, q & 1, rem, half)) {
            q++;
        }
        if (rem != 0) {
            s->flags |= HFP_FLAG_INEXACT;
            if (tiny) {
                s->flags |= HFP_FLAG_UNDERFLOW;
            }
        }
        /* q == 2^(p-1) packs as the smallest normal number by itself. */
        return sf_pack_zero(f, sign) | q;
    }

    q = sig >> shift;
    rem = sig & low_mask;
    if (sf_round_up(s->round, sign, q & 1, rem, half)) {
        q++;
        if (q == 1ull << p) {
            q >>= 1;
            exp++;
        }
    }
    if (exp > emax) {
        bool to_inf;

        s->flags |= HFP_FLAG_OVERFLOW | HFP_FLAG_INEXACT;
        switch (s->round) {
        case HFP_ROUND_TO_ZERO:
            to_inf = false;
            break;
        case HFP_ROUND_DOWN:
            to_inf = sign;
            break;
        case HFP_ROUND_UP:
            to_inf = !sign;
            break;
        default:
            to_inf = true;
            break;
        }
        if (to_inf) {
            return sf_pack_inf(f, sign);
        }
        /* The largest finite number. */
        return sf_pack_inf(f, sign) - 1;
    }
    if (rem != 0) {
        s->flags |= HFP_FLAG_INEXACT;
    }
    return sf_pack_zero(f, sign) | ((uint64_t)(exp + f->bias) << f->frac_bits) |
           (q & sf_frac_mask(f));
}

/* Round and pack r * 2^scale for a non-zero 128-bit r. */
static uint64_t sf_round_pack128(HostFPStatus *s, const SFFormat *f, bool sign, int scale, u128 r)
{
    int n = msb128(r);
    uint64_t sig;

    if (n >= 63) {
        sig = (uint64_t)shift_right_jam128(r, n - 63);
    } else {
        sig = (uint64_t)r << (63 - n);
    }
    return sf_round_pack(s, f, sign, n + scale, sig);
}

/* An exact finite value, packed again (it is representable: no flags). */
static uint64_t sf_repack(HostFPStatus *s, const SFFormat *f, const SFUnpacked *u, bool sign)
{
    if (u->cls == SF_ZERO) {
        return sf_pack_zero(f, sign);
    }
    return sf_round_pack(s, f, sign, u->exp, u->sig);
}

uint64_t sf_add(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, bool negate_b)
{
    SFUnpacked ops[2] = {sf_unpack(f, a), sf_unpack(f, b)};
    SFUnpacked x = ops[0], y = ops[1];
    u128 mx, my, r;
    int d;

    if (sf_isnan_cls(x.cls) || sf_isnan_cls(y.cls)) {
        return sf_nan_result(s, f, ops, 2);
    }
    y.sign ^= negate_b;
    if (x.cls == SF_INF || y.cls == SF_INF) {
        if (x.cls == SF_INF && y.cls == SF_INF && x.sign != y.sign) {
            return sf_invalid(s, f);
        }
        return sf_pack_inf(f, x.cls == SF_INF ? x.sign : y.sign);
    }
    if (x.cls == SF_ZERO && y.cls == SF_ZERO) {
        bool sign = x.sign == y.sign ? x.sign : s->round == HFP_ROUND_DOWN;

        return sf_pack_zero(f, sign);
    }
    if (x.cls == SF_ZERO) {
        return sf_repack(s, f, &y, y.sign);
    }
    if (y.cls == SF_ZERO) {
        return sf_repack(s, f, &x, x.sign);
    }
    /* Make x the larger magnitude. */
    if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) {
        SFUnpacked t = x;

        x = y;
        y = t;
    }
    d = x.exp - y.exp;
    mx = (u128)x.sig << 62;
    my = shift_right_jam128((u128)y.sig << 62, d);
    r = x.sign == y.sign ? mx + my : mx - my;
    if (r == 0) {
        return sf_pack_zero(f, s->round == HFP_ROUND_DOWN);
    }
    return sf_round_pack128(s, f, x.sign, x.exp - 125, r);
}

uint64_t sf_mul(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b)
{
    SFUnpacked ops[2] = {sf_unpack(f, a), sf_unpack(f, b)};
    const SFUnpacked *x = &ops[0], *y = &ops[1];
    bool sign = x->sign ^ y->sign;

    if (sf_isnan_cls(x->cls) || sf_isnan_cls(y->cls)) {
        return sf_nan_result(s, f, ops, 2);
    }
    if (x->cls == SF_INF || y->cls == SF_INF) {
        if (x->cls == SF_ZERO || y->cls == SF_ZERO) {
            return sf_invalid(s, f);
        }
        return sf_pack_inf(f, sign);
    }
    if (x->cls == SF_ZERO || y->cls == SF_ZERO) {
        return sf_pack_zero(f, sign);
    }
    return sf_round_pack128(s, f, sign, x->exp + y->exp - 126, (u128)x->sig * y->sig);
}

uint64_t sf_div(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b)
{
    SFUnpacked ops[2] = {sf_unpack(f, a), sf_unpack(f, b)};
    const SFUnpacked *x = &ops[0], *y = &ops[1];
    bool sign = x->sign ^ y->sign;
    u128 num, q;

    if (sf_isnan_cls(x->cls) || sf_isnan_cls(y->cls)) {
        return sf_nan_result(s, f, ops, 2);
    }
    if (x->cls == SF_INF) {
        if (y->cls == SF_INF) {
            return sf_invalid(s, f);
        }
        return sf_pack_inf(f, sign);
    }
    if (y->cls == SF_INF) {
        return sf_pack_zero(f, sign);
    }
    if (y->cls == SF_ZERO) {
        if (x->cls == SF_ZERO) {
            return sf_invalid(s, f);
        }
        s->flags |= HFP_FLAG_DIVBYZERO;
        return sf_pack_inf(f, sign);
    }
    if (x->cls == SF_ZERO) {
        return sf_pack_zero(f, sign);
    }
    num = (u128)x->sig << 64;
    q = num / y->sig;
    if (num % y->sig) {
        q |= 1;
    }
    return sf_round_pack128(s, f, sign, x->exp - y->exp - 64, q);
}

/* floor(sqrt(x)) of a 128-bit integer, bit by bit. */
static uint64_t isqrt128(u128 x, bool *exact)
{
    u128 res = 0;
    u128 bit = (u128)1 << 126;

    while (bit > x) {
        bit >>= 2;
    }
    while (bit != 0) {
        if (x >= res + bit) {
            x -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *exact = x == 0;
    return (uint64_t)res;
}

uint64_t sf_sqrt(HostFPStatus *s, const SFFormat *f, uint64_t a)
{
    SFUnpacked x = sf_unpack(f, a);
    bool exact;
    uint64_t r;
    int t, k;

    if (sf_isnan_cls(x.cls)) {
        return sf_nan_result(s, f, &x, 1);
    }
    if (x.cls == SF_ZERO) {
        return a; /* sqrt(-0) = -0 */
    }
    if (x.sign) {
        return sf_invalid(s, f);
    }
    if (x.cls == SF_INF) {
        return a;
    }
    /* x = sig * 2^t; scale sig by 2^k (k = 62 or 63) so that t - k is even. */
    t = x.exp - 63;
    k = (t - 62) % 2 == 0 ? 62 : 63;
    r = isqrt128((u128)x.sig << k, &exact);
    if (!exact) {
        r |= 1;
    }
    return sf_round_pack128(s, f, false, (t - k) / 2, r);
}

uint64_t sf_muladd(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, uint64_t c,
                   int negate)
{
    SFUnpacked ops[3] = {sf_unpack(f, a), sf_unpack(f, b), sf_unpack(f, c)};
    const SFUnpacked *x = &ops[0], *y = &ops[1];
    SFUnpacked z = ops[2];
    bool psign = x->sign ^ y->sign ^ ((negate & HFP_MULADD_NEGATE_PRODUCT) != 0);
    bool inf_times_zero =
        (x->cls == SF_INF && y->cls == SF_ZERO) || (x->cls == SF_ZERO && y->cls == SF_INF);
    u128 mp, mc, big, small, r;
    int ep, ec, ebig;
    bool bsign;

    if (sf_isnan_cls(x->cls) || sf_isnan_cls(y->cls) || sf_isnan_cls(z.cls)) {
        uint64_t nan = sf_nan_result(s, f, ops, 3);

        if (inf_times_zero) {
            /* Invalid even when the addend is a quiet NaN. */
            s->flags |= HFP_FLAG_INVALID;
        }
        return nan;
    }
    z.sign ^= (negate & HFP_MULADD_NEGATE_C) != 0;
    if (inf_times_zero) {
        return sf_invalid(s, f);
    }
    if (x->cls == SF_INF || y->cls == SF_INF) {
        if (z.cls == SF_INF && z.sign != psign) {
            return sf_invalid(s, f);
        }
        return sf_pack_inf(f, psign);
    }
    if (z.cls == SF_INF) {
        return sf_pack_inf(f, z.sign);
    }
    if (x->cls == SF_ZERO || y->cls == SF_ZERO) {
        if (z.cls == SF_ZERO) {
            bool sign = psign == z.sign ? psign : s->round == HFP_ROUND_DOWN;

            return sf_pack_zero(f, sign);
        }
        return sf_repack(s, f, &z, z.sign);
    }
    if (z.cls == SF_ZERO) {
        return sf_round_pack128(s, f, psign, x->exp + y->exp - 126, (u128)x->sig * y->sig);
    }

    /* Both addends as m * 2^e with the top bit of m at 126 (one bit of headroom). */
    mp = (u128)x->sig * y->sig;
    ep = x->exp + y->exp - 126;
    if (mp >> 127) {
        mp = shift_right_jam128(mp, 1);
        ep++;
    }
    mc = (u128)z.sig << 63;
    ec = z.exp - 126;
    if (ep > ec || (ep == ec && mp >= mc)) {
        big = mp;
        ebig = ep;
        bsign = psign;
        small = shift_right_jam128(mc, ep - ec);
    } else {
        big = mc;
        ebig = ec;
        bsign = z.sign;
        small = shift_right_jam128(mp, ec - ep);
    }
    r = psign == z.sign ? big + small : big - small;
    if (r == 0) {
        return sf_pack_zero(f, s->round == HFP_ROUND_DOWN);
    }
    return sf_round_pack128(s, f, bsign, ebig, r);
}

uint64_t sf_convert(HostFPStatus *s, const SFFormat *from, const SFFormat *to, uint64_t a)
{
    SFUnpacked x = sf_unpack(from, a);

    switch (x.cls) {
    case SF_QNAN:
    case SF_SNAN:
        if (x.cls == SF_SNAN) {
            s->flags |= HFP_FLAG_INVALID;
        }
        if (s->nan_mode == HFP_NAN_DEFAULT) {
            return sf_default_nan(s, to);
        } else {
            /* Keep the sign and the top of the payload, quieted. */
            uint64_t payload = a & sf_frac_mask(from);
            int d = from->frac_bits - to->frac_bits;

            payload = d >= 0 ? payload >> d : payload << -d;
            return sf_quiet(to, sf_pack_inf(to, x.sign) | payload);
        }
    case SF_INF:
        return sf_pack_inf(to, x.sign);
    case SF_ZERO:
        return sf_pack_zero(to, x.sign);
    default:
        return sf_round_pack(s, to, x.sign, x.exp, x.sig);
    }
}

uint64_t sf_to_int(HostFPStatus *s, const SFFormat *f, uint64_t a, int bits, bool is_signed)
{
    SFUnpacked x = sf_unpack(f, a);
    uint64_t max_pos = is_signed    ? (1ull << (bits - 1)) - 1
                       : bits == 64 ? ~0ull
                                    : (1ull << bits) - 1;
    /* The magnitude of the most negative result. */
    uint64_t max_neg = is_signed ? 1ull << (bits - 1) : 0;
    uint64_t ipart, rem, half;
    bool inc, sign = x.sign;

    switch (x.cls) {
    case SF_QNAN:
    case SF_SNAN:
        s->flags |= HFP_FLAG_INVALID;
        switch (s->nan_to_int) {
        case HFP_NAN_TO_INT_MAX:
            return max_pos;
        case HFP_NAN_TO_INT_MIN:
            return -max_neg;
        default:
            return 0;
        }
    case SF_INF:
        goto overflow;
    case SF_ZERO:
        return 0;
    default:
        break;
    }

    /* value = sig * 2^(exp - 63): integer part and the dropped fraction. */
    if (x.exp >= 64) {
        goto overflow;
    }
    if (x.exp == 63) {
        ipart = x.sig;
        rem = 0;
        half = 1;
        inc = false;
    } else {
        int sh = 63 - x.exp; /* 1.. */

        if (sh > 64) {
            /* |value| < 1/2: only the sticky bit of the fraction remains. */
            ipart = 0;
            rem = 1;
            half = 2;
        } else if (sh == 64) {
            /* 1/2 <= |value| < 1 */
            ipart = 0;
            rem = x.sig;
            half = 1ull << 63;
        } else {
            ipart = x.sig >> sh;
            rem = x.sig & ((1ull << sh) - 1);
            half = 1ull << (sh - 1);
        }
        inc = sf_round_up(s->round, sign, ipart & 1, rem, half);
    }
    if (inc) {
        if (ipart == ~0ull) {
            goto overflow;
        }
        ipart++;
    }
    if (sign ? ipart > max_neg : ipart > max_pos) {
        goto overflow;
    }
    if (rem != 0) {
        s->flags |= HFP_FLAG_INEXACT;
    }
    return sign ? -ipart : ipart;

overflow:
    s->flags |= HFP_FLAG_INVALID;
    return sign ? -max_neg : max_pos;
}

uint64_t sf_from_int(HostFPStatus *s, const SFFormat *f, uint64_t mag, bool negative)
{
    int n;

    if (mag == 0) {
        return sf_pack_zero(f, false);
    }
    n = 63 - clz64(mag);
    return sf_round_pack(s, f, negative, n, mag << (63 - n));
}

bool sf_is_nan(const SFFormat *f, uint64_t a)
{
    return sf_isnan_cls(sf_unpack(f, a).cls);
}

bool sf_is_snan(const SFFormat *f, uint64_t a)
{
    return sf_unpack(f, a).cls == SF_SNAN;
}

/* Total order of the non-NaN values as integers: -0 and +0 compare apart here. */
static int64_t sf_order_key(const SFFormat *f, uint64_t a)
{
    uint64_t mag = a & (sf_sign_bit(f) - 1);

    return (a & sf_sign_bit(f)) ? -(int64_t)mag - 1 : (int64_t)mag;
}

uint64_t sf_minmax(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, bool is_max)
{
    bool an = sf_is_nan(f, a), bn = sf_is_nan(f, b);

    if (sf_is_snan(f, a) || sf_is_snan(f, b)) {
        s->flags |= HFP_FLAG_INVALID;
    }
    if (an && bn) {
        return sf_default_nan(s, f);
    }
    if (an) {
        return b;
    }
    if (bn) {
        return a;
    }
    /* The key order puts -0 below +0, as minimumNumber wants. */
    if (is_max) {
        return sf_order_key(f, a) >= sf_order_key(f, b) ? a : b;
    }
    return sf_order_key(f, a) <= sf_order_key(f, b) ? a : b;
}

bool sf_compare(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, int rel)
{
    uint64_t mag_mask = sf_sign_bit(f) - 1;
    int64_t ka, kb;

    if (sf_is_nan(f, a) || sf_is_nan(f, b)) {
        if (rel != 0 || sf_is_snan(f, a) || sf_is_snan(f, b)) {
            s->flags |= HFP_FLAG_INVALID;
        }
        return false;
    }
    if ((a & mag_mask) == 0 && (b & mag_mask) == 0) {
        /* -0 == +0 */
        return rel != 1;
    }
    ka = sf_order_key(f, a);
    kb = sf_order_key(f, b);
    switch (rel) {
    case 0:
        return ka == kb;
    case 1:
        return ka < kb;
    default:
        return ka <= kb;
    }
}

unsigned sf_class(const SFFormat *f, uint64_t a)
{
    SFUnpacked x = sf_unpack(f, a);
    bool subnormal = ((a >> f->frac_bits) & (uint64_t)sf_max_exp_field(f)) == 0;

    switch (x.cls) {
    case SF_QNAN:
        return HFP_CLASS_QNAN;
    case SF_SNAN:
        return HFP_CLASS_SNAN;
    case SF_INF:
        return x.sign ? HFP_CLASS_NEG_INF : HFP_CLASS_POS_INF;
    case SF_ZERO:
        return x.sign ? HFP_CLASS_NEG_ZERO : HFP_CLASS_POS_ZERO;
    default:
        if (subnormal) {
            return x.sign ? HFP_CLASS_NEG_SUBNORMAL : HFP_CLASS_POS_SUBNORMAL;
        }
        return x.sign ? HFP_CLASS_NEG_NORMAL : HFP_CLASS_POS_NORMAL;
    }
}
