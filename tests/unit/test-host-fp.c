/*
 * Tests of the shared IEEE 754 layer (fpu/host-fp.c, fpu/soft-fp.c).
 *
 * The fixed cases have their expected results worked out by hand from IEEE
 * 754-2008 and the RISC-V F/D chapters (rounding of exact ties, tininess
 * after rounding, saturation of conversions, minimumNumber, signaling
 * comparisons).  The random cases hold the host SSE path and the exact
 * software path against each other, bit for bit and flag for flag, in the
 * four rounding modes x86 has, with operands biased towards the edges
 * (underflow threshold, overflow, signed zeros, NaNs), and starting from
 * random accrued flags so that the inline fast paths (host-fp-fast.h),
 * which skip work for flags already raised, are held to the same rules.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>
#include "fpu/host-fp.h"
#include "fpu/host-fp-fast.h"

enum {
    NX = HFP_FLAG_INEXACT,
    UF = HFP_FLAG_UNDERFLOW,
    OF = HFP_FLAG_OVERFLOW,
    DZ = HFP_FLAG_DIVBYZERO,
    NV = HFP_FLAG_INVALID,
};

#define F32_ONE        0x3f800000u
#define F32_MAX        0x7f7fffffu
#define F32_INF        0x7f800000u
#define F32_QNAN       0x7fc00000u
#define F32_SNAN       0x7f800001u
#define F32_MIN_NORMAL 0x00800000u
#define F64_ONE        0x3ff0000000000000ull
#define F64_INF        0x7ff0000000000000ull
#define F64_QNAN       0x7ff8000000000000ull
#define F64_SNAN       0x7ff0000000000001ull
#define F64_MAX        0x7fefffffffffffffull

static const HostFPRound all_modes[] = {
    HFP_ROUND_NEAREST_EVEN, HFP_ROUND_TO_ZERO,         HFP_ROUND_DOWN,
    HFP_ROUND_UP,           HFP_ROUND_NEAREST_MAX_MAG,
};

static HostFPStatus status(HostFPRound mode, bool soft)
{
    HostFPStatus s;

    hfp_status_init(&s);
    s.round = mode;
    s.force_soft = soft;
    return s;
}

/* Run each fixed check on both paths: they must agree with the spec alike. */
#define FOR_BOTH_PATHS(soft) for (int soft = 0; soft < 2; soft++)

static void check32(HostFPRound mode, bool soft, uint32_t (*fn)(HostFPStatus *, uint32_t, uint32_t),
                    uint32_t a, uint32_t b, uint32_t want, uint8_t want_flags)
{
    HostFPStatus s = status(mode, soft);
    uint32_t got = fn(&s, a, b);

    if (got != want || s.flags != want_flags) {
        g_test_message("mode %d soft %d: %08x, %08x -> %08x flags %02x, want %08x flags %02x", mode,
                       soft, a, b, got, s.flags, want, want_flags);
        g_test_fail();
    }
}

static void check64(HostFPRound mode, bool soft, uint64_t (*fn)(HostFPStatus *, uint64_t, uint64_t),
                    uint64_t a, uint64_t b, uint64_t want, uint8_t want_flags)
{
    HostFPStatus s = status(mode, soft);
    uint64_t got = fn(&s, a, b);

    if (got != want || s.flags != want_flags) {
        g_test_message("mode %d soft %d: %016" G_GINT64_MODIFIER "x, %016" G_GINT64_MODIFIER
                       "x -> %016" G_GINT64_MODIFIER "x flags %02x, want %016" G_GINT64_MODIFIER
                       "x flags %02x",
                       mode, soft, a, b, got, s.flags, want, want_flags);
        g_test_fail();
    }
}

/*
 * -1 - 2^-24 lies exactly halfway between -1 and -(1 + 2^-23): each mode
 * picks its own side.  Ties-to-even takes -1 (even significand), ties away
 * takes the larger magnitude.
 */
static void test_rounding_modes_tie(void)
{
    const uint32_t minus_one = 0xbf800000u, half_ulp = 0x33800000u; /* 2^-24 */
    const struct {
        HostFPRound mode;
        uint32_t want;
    } cases[] = {
        {HFP_ROUND_NEAREST_EVEN, 0xbf800000u},
        {HFP_ROUND_TO_ZERO, 0xbf800000u},
        {HFP_ROUND_DOWN, 0xbf800001u},
        {HFP_ROUND_UP, 0xbf800000u},
        {HFP_ROUND_NEAREST_MAX_MAG, 0xbf800001u},
    };

    FOR_BOTH_PATHS(soft)
    {
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
            check32(cases[i].mode, soft, hfp_sub32, minus_one, half_ulp, cases[i].want, NX);
        }
    }
}

/*
 * 1 + 0.75 ulp rounds up in the nearest modes; (1 + 2^-27)(1 - 2^-27) =
 * 1 - 2^-54 lies half an ulp (2^-53 below 1) under 1: a tie that both
 * nearest modes resolve to 1 (even significand, and larger magnitude).
 */
static void test_rounding_modes_above_tie(void)
{
    const struct {
        HostFPRound mode;
        uint64_t want;
    } cases[] = {
        {HFP_ROUND_NEAREST_EVEN, 0x3ff0000000000001ull},
        {HFP_ROUND_NEAREST_MAX_MAG, 0x3ff0000000000001ull},
        {HFP_ROUND_TO_ZERO, 0x3ff0000000000000ull},
        {HFP_ROUND_DOWN, 0x3ff0000000000000ull},
        {HFP_ROUND_UP, 0x3ff0000000000001ull},
    };
    const uint64_t a = 0x3ff0000002000000ull, b = 0x3feffffffc000000ull;
    const struct {
        HostFPRound mode;
        uint64_t want;
    } below[] = {
        {HFP_ROUND_NEAREST_EVEN, F64_ONE},
        {HFP_ROUND_NEAREST_MAX_MAG, F64_ONE},
        {HFP_ROUND_TO_ZERO, 0x3fefffffffffffffull},
        {HFP_ROUND_DOWN, 0x3fefffffffffffffull},
        {HFP_ROUND_UP, F64_ONE},
    };

    FOR_BOTH_PATHS(soft)
    {
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
            /* 0x3ca8... = 1.5 * 2^-53 = 0.75 ulp of 1. */
            check64(cases[i].mode, soft, hfp_add64, F64_ONE, 0x3ca8000000000000ull, cases[i].want,
                    NX);
        }
        for (size_t i = 0; i < G_N_ELEMENTS(below); i++) {
            check64(below[i].mode, soft, hfp_mul64, a, b, below[i].want, NX);
        }
    }
}

static void test_overflow(void)
{
    const struct {
        HostFPRound mode;
        uint32_t pos, neg;
    } cases[] = {
        {HFP_ROUND_NEAREST_EVEN, F32_INF, 0xff800000u},
        {HFP_ROUND_NEAREST_MAX_MAG, F32_INF, 0xff800000u},
        {HFP_ROUND_TO_ZERO, F32_MAX, 0xff7fffffu},
        {HFP_ROUND_DOWN, F32_MAX, 0xff800000u},
        {HFP_ROUND_UP, F32_INF, 0xff7fffffu},
    };

    FOR_BOTH_PATHS(soft)
    {
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
            check32(cases[i].mode, soft, hfp_mul32, F32_MAX, 0x40000000u, cases[i].pos, OF | NX);
            check32(cases[i].mode, soft, hfp_mul32, 0xff7fffffu, 0x40000000u, cases[i].neg,
                    OF | NX);
        }
        check64(HFP_ROUND_NEAREST_EVEN, soft, hfp_add64, F64_MAX, F64_MAX, F64_INF, OF | NX);
        check64(HFP_ROUND_TO_ZERO, soft, hfp_add64, F64_MAX, F64_MAX, F64_MAX, OF | NX);
    }
}

/*
 * Tininess after rounding: (1 - 2^-23) * 2^-126 (1 + 2^-23) = 2^-126 (1 -
 * 2^-46) rounds to the smallest normal in the nearest modes even with an
 * unbounded exponent, so it is not tiny: inexact but no underflow.  Rounded
 * toward zero it stays below 2^-126: tiny and inexact, so underflow.
 */
static void test_underflow_after_rounding(void)
{
    const uint32_t a = 0x3f7ffffeu, b = 0x00800001u;

    FOR_BOTH_PATHS(soft)
    {
        check32(HFP_ROUND_NEAREST_EVEN, soft, hfp_mul32, a, b, F32_MIN_NORMAL, NX);
        check32(HFP_ROUND_NEAREST_MAX_MAG, soft, hfp_mul32, a, b, F32_MIN_NORMAL, NX);
        check32(HFP_ROUND_UP, soft, hfp_mul32, a, b, F32_MIN_NORMAL, NX);
        check32(HFP_ROUND_TO_ZERO, soft, hfp_mul32, a, b, 0x007fffffu, NX | UF);
        check32(HFP_ROUND_DOWN, soft, hfp_mul32, a, b, 0x007fffffu, NX | UF);
        /*
         * (1 - 2^-24) * 2^-126 is representable with an unbounded exponent,
         * so it is tiny; in the subnormal format it is a tie and rounds to
         * even, 2^-126: inexact and underflow.
         */
        check32(HFP_ROUND_NEAREST_EVEN, soft, hfp_mul32, 0x3f7fffffu, F32_MIN_NORMAL,
                F32_MIN_NORMAL, NX | UF);
        /* An exact subnormal result is tiny but not inexact: no flag at all. */
        check32(HFP_ROUND_NEAREST_EVEN, soft, hfp_mul32, 0x00000003u, 0x40000000u, 0x00000006u, 0);
        /* Half the smallest subnormal: a tie between 0 and it; even is 0. */
        check32(HFP_ROUND_NEAREST_EVEN, soft, hfp_mul32, 0x00000001u, 0x3f000000u, 0, NX | UF);
        check32(HFP_ROUND_NEAREST_MAX_MAG, soft, hfp_mul32, 0x00000001u, 0x3f000000u, 1, NX | UF);
    }
}

static void test_special_arith(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPRound m = HFP_ROUND_NEAREST_EVEN;

        check32(m, soft, hfp_div32, F32_ONE, 0, F32_INF, DZ);
        check32(m, soft, hfp_div32, 0x80000000u, 0, F32_QNAN, NV);
        check32(m, soft, hfp_sub32, F32_INF, F32_INF, F32_QNAN, NV);
        check32(m, soft, hfp_mul32, F32_INF, 0, F32_QNAN, NV);
        check64(m, soft, hfp_div64, F64_INF, F64_INF, F64_QNAN, NV);
        /* x - x is +0, except rounding down where it is -0. */
        check32(m, soft, hfp_sub32, F32_ONE, F32_ONE, 0, 0);
        check32(HFP_ROUND_DOWN, soft, hfp_sub32, F32_ONE, F32_ONE, 0x80000000u, 0);
        check32(m, soft, hfp_add32, 0x80000000u, 0x80000000u, 0x80000000u, 0);
        check32(m, soft, hfp_add32, 0x80000000u, 0, 0, 0);
        check32(HFP_ROUND_DOWN, soft, hfp_add32, 0x80000000u, 0, 0x80000000u, 0);
    }
}

static void test_sqrt(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, soft);

        g_assert_cmphex(hfp_sqrt32(&s, 0x40800000u), ==, 0x40000000u); /* sqrt 4 = 2 */
        g_assert_cmphex(s.flags, ==, 0);
        g_assert_cmphex(hfp_sqrt32(&s, 0x80000000u), ==, 0x80000000u); /* sqrt -0 = -0 */
        g_assert_cmphex(s.flags, ==, 0);
        g_assert_cmphex(hfp_sqrt32(&s, 0xbf800000u), ==, F32_QNAN); /* sqrt -1 */
        g_assert_cmphex(s.flags, ==, NV);
        s.flags = 0;
        /* sqrt 2 = 1.41421353816986083984375 (0x3fb504f3) rounded to nearest. */
        g_assert_cmphex(hfp_sqrt32(&s, 0x40000000u), ==, 0x3fb504f3u);
        g_assert_cmphex(s.flags, ==, NX);
        s.flags = 0;
        g_assert_cmphex(hfp_sqrt64(&s, 0x4000000000000000ull), ==, 0x3ff6a09e667f3bcdull);
        g_assert_cmphex(s.flags, ==, NX);
        s.flags = 0;
        g_assert_cmphex(hfp_sqrt64(&s, F64_INF), ==, F64_INF);
        g_assert_cmphex(hfp_sqrt64(&s, 0xfff0000000000000ull), ==, F64_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
    }
}

/* Any NaN result is the default (canonical) NaN; a signaling input raises invalid. */
static void test_nan_default(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPRound m = HFP_ROUND_NEAREST_EVEN;

        check32(m, soft, hfp_add32, 0x7fc12345u, F32_ONE, F32_QNAN, 0);
        check32(m, soft, hfp_add32, 0xffc00000u, F32_ONE, F32_QNAN, 0);
        check32(m, soft, hfp_mul32, F32_ONE, F32_SNAN, F32_QNAN, NV);
        check32(m, soft, hfp_div32, 0xff800001u, 0x7fc00001u, F32_QNAN, NV);
        check64(m, soft, hfp_sub64, 0x7ff8000000abcdefull, F64_ONE, F64_QNAN, 0);
        check64(m, soft, hfp_add64, F64_SNAN, F64_QNAN, F64_QNAN, NV);
    }
}

/* Propagation (not RISC-V's rule, but the layer offers it): first sNaN, quieted. */
static void test_nan_propagate(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, soft);

        s.nan_mode = HFP_NAN_PROPAGATE;
        g_assert_cmphex(hfp_add32(&s, 0x7fc00123u, 0x7f800456u), ==, 0x7fc00456u);
        g_assert_cmphex(s.flags, ==, NV);
        s.flags = 0;
        g_assert_cmphex(hfp_add32(&s, 0xffc00123u, F32_ONE), ==, 0xffc00123u);
        g_assert_cmphex(s.flags, ==, 0);
        /* An invalid operation still gives the default NaN. */
        g_assert_cmphex(hfp_mul32(&s, F32_INF, 0), ==, F32_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
    }
}

/*
 * (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly with one rounding; rounding
 * the product first (to 1 + 2^-22) would give 0.
 */
static void test_fma_single_rounding(void)
{
    FOR_BOTH_PATHS(soft)
    {
        for (size_t i = 0; i < G_N_ELEMENTS(all_modes); i++) {
            HostFPStatus s = status(all_modes[i], soft);

            g_assert_cmphex(hfp_muladd32(&s, 0x3f800001u, 0x3f800001u, 0xbf800002u, 0), ==,
                            0x28800000u);
            g_assert_cmphex(s.flags, ==, 0);
            g_assert_cmphex(hfp_muladd64(&s, 0x3ff0000000000001ull, 0x3ff0000000000001ull,
                                         0xbff0000000000002ull, 0),
                            ==, 0x3970000000000000ull);
            /* Same with the negations: -(a*b) + (1 + 2^-22) = -2^-46. */
            g_assert_cmphex(
                hfp_muladd32(&s, 0x3f800001u, 0x3f800001u, 0x3f800002u, HFP_MULADD_NEGATE_PRODUCT),
                ==, 0xa8800000u);
            g_assert_cmphex(
                hfp_muladd32(&s, 0x3f800001u, 0x3f800001u, 0x3f800002u, HFP_MULADD_NEGATE_C), ==,
                0x28800000u);
            g_assert_cmphex(s.flags, ==, 0);
        }
    }
}

static void test_fma_special(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, soft);

        /* inf * 0 + qNaN: invalid even though the addend is a quiet NaN. */
        g_assert_cmphex(hfp_muladd32(&s, F32_INF, 0, F32_QNAN, 0), ==, F32_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
        s.flags = 0;
        /* qNaN * x + y: no flag. */
        g_assert_cmphex(hfp_muladd64(&s, F64_QNAN, F64_ONE, F64_ONE, 0), ==, F64_QNAN);
        g_assert_cmphex(s.flags, ==, 0);
        /* inf * 1 - inf: invalid. */
        g_assert_cmphex(hfp_muladd32(&s, F32_INF, F32_ONE, F32_INF, HFP_MULADD_NEGATE_C), ==,
                        F32_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
        s.flags = 0;
        /* +0 * 1 - (+0) = +0, but -(+0 * 1) - (+0) = -0. */
        g_assert_cmphex(hfp_muladd32(&s, 0, F32_ONE, 0, HFP_MULADD_NEGATE_C), ==, 0);
        g_assert_cmphex(
            hfp_muladd32(&s, 0, F32_ONE, 0, HFP_MULADD_NEGATE_PRODUCT | HFP_MULADD_NEGATE_C), ==,
            0x80000000u);
        g_assert_cmphex(s.flags, ==, 0);
    }
}

static void test_min_max(void)
{
    HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, false);

    g_assert_cmphex(hfp_min_num32(&s, 0, 0x80000000u), ==, 0x80000000u);
    g_assert_cmphex(hfp_min_num32(&s, 0x80000000u, 0), ==, 0x80000000u);
    g_assert_cmphex(hfp_max_num32(&s, 0x80000000u, 0), ==, 0);
    g_assert_cmphex(hfp_max_num64(&s, 0, 0x8000000000000000ull), ==, 0);
    g_assert_cmphex(s.flags, ==, 0);
    /* One quiet NaN: the number, no flag. */
    g_assert_cmphex(hfp_min_num32(&s, F32_QNAN, F32_ONE), ==, F32_ONE);
    g_assert_cmphex(hfp_max_num64(&s, F64_ONE, 0xfff8000000000000ull), ==, F64_ONE);
    g_assert_cmphex(s.flags, ==, 0);
    /* A signaling NaN: still the number, but invalid. */
    g_assert_cmphex(hfp_min_num32(&s, F32_SNAN, F32_ONE), ==, F32_ONE);
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    /* Two NaNs: the default NaN. */
    g_assert_cmphex(hfp_max_num32(&s, 0x7fc00001u, 0xffc00002u), ==, F32_QNAN);
    g_assert_cmphex(hfp_min_num64(&s, F64_QNAN, F64_SNAN), ==, F64_QNAN);
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmphex(hfp_min_num32(&s, 0xc0000000u, 0x3f800000u), ==, 0xc0000000u);
    g_assert_cmphex(hfp_max_num32(&s, 0xff800000u, 0xff7fffffu), ==, 0xff7fffffu);
    g_assert_cmphex(s.flags, ==, 0);
}

static void test_compare(void)
{
    HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, false);

    /* -0 == +0; not less; less or equal. */
    g_assert_true(hfp_eq32(&s, 0x80000000u, 0));
    g_assert_false(hfp_lt32(&s, 0x80000000u, 0));
    g_assert_true(hfp_le32(&s, 0x80000000u, 0));
    g_assert_true(hfp_lt64(&s, 0xbff0000000000000ull, F64_ONE));
    g_assert_true(hfp_lt32(&s, 0xff800000u, 0xff7fffffu));
    g_assert_false(hfp_le32(&s, F32_ONE, 0x3f7fffffu));
    g_assert_cmphex(s.flags, ==, 0);
    /* Quiet comparison: quiet NaN gives false, no flag. */
    g_assert_false(hfp_eq32(&s, F32_QNAN, F32_QNAN));
    g_assert_cmphex(s.flags, ==, 0);
    /* ... a signaling NaN raises invalid. */
    g_assert_false(hfp_eq64(&s, F64_SNAN, F64_ONE));
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    /* Signaling comparisons: any NaN raises invalid. */
    g_assert_false(hfp_lt32(&s, F32_QNAN, F32_ONE));
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_false(hfp_le64(&s, F64_ONE, F64_QNAN));
    g_assert_cmphex(s.flags, ==, NV);
}

static void test_class(void)
{
    g_assert_cmphex(hfp_class32(0xff800000u), ==, HFP_CLASS_NEG_INF);
    g_assert_cmphex(hfp_class32(0xbf800000u), ==, HFP_CLASS_NEG_NORMAL);
    g_assert_cmphex(hfp_class32(0x80000001u), ==, HFP_CLASS_NEG_SUBNORMAL);
    g_assert_cmphex(hfp_class32(0x80000000u), ==, HFP_CLASS_NEG_ZERO);
    g_assert_cmphex(hfp_class32(0), ==, HFP_CLASS_POS_ZERO);
    g_assert_cmphex(hfp_class32(0x007fffffu), ==, HFP_CLASS_POS_SUBNORMAL);
    g_assert_cmphex(hfp_class32(F32_MIN_NORMAL), ==, HFP_CLASS_POS_NORMAL);
    g_assert_cmphex(hfp_class32(F32_INF), ==, HFP_CLASS_POS_INF);
    g_assert_cmphex(hfp_class32(F32_SNAN), ==, HFP_CLASS_SNAN);
    g_assert_cmphex(hfp_class32(0xffc00000u), ==, HFP_CLASS_QNAN);
    g_assert_cmphex(hfp_class64(0x000fffffffffffffull), ==, HFP_CLASS_POS_SUBNORMAL);
    g_assert_cmphex(hfp_class64(F64_SNAN), ==, HFP_CLASS_SNAN);
    g_assert_cmphex(hfp_class64(0xfff8000000000000ull), ==, HFP_CLASS_QNAN);
    g_assert_cmphex(hfp_class64(0x8000000000000000ull), ==, HFP_CLASS_NEG_ZERO);
}

/* RISC-V saturation: NaN -> largest, out of range -> nearest bound, invalid without inexact. */
static void test_to_int_saturation(void)
{
    HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, false);

    g_assert_cmpint(hfp_f32_to_i32(&s, F32_QNAN), ==, INT32_MAX);
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmpint(hfp_f32_to_i32(&s, 0xff800000u), ==, INT32_MIN);
    g_assert_cmpint(hfp_f32_to_i32(&s, F32_INF), ==, INT32_MAX);
    g_assert_cmpint(hfp_f32_to_i32(&s, 0x4f32d05eu), ==, INT32_MAX); /* 3e9 */
    g_assert_cmpint(hfp_f32_to_i32(&s, 0xcf32d05eu), ==, INT32_MIN); /* -3e9 */
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmpint(hfp_f32_to_i32(&s, 0xcf000000u), ==, INT32_MIN); /* -2^31 exactly */
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmpuint(hfp_f32_to_u32(&s, F32_QNAN), ==, UINT32_MAX);
    g_assert_cmpuint(hfp_f32_to_u32(&s, 0xbf800000u), ==, 0);          /* -1: invalid */
    g_assert_cmpuint(hfp_f32_to_u32(&s, 0x4f800000u), ==, UINT32_MAX); /* 2^32 */
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmpint(hfp_f64_to_i64(&s, 0x43e0000000000000ull), ==, INT64_MAX); /* 2^63 */
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmpint(hfp_f64_to_i64(&s, 0xc3e0000000000000ull), ==, INT64_MIN); /* -2^63 */
    g_assert_cmpuint(hfp_f64_to_u64(&s, 0x43efffffffffffffull), ==, 0xfffffffffffff800ull);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmpuint(hfp_f64_to_u64(&s, 0x43f0000000000000ull), ==, UINT64_MAX); /* 2^64 */
    g_assert_cmpuint(hfp_f64_to_u64(&s, F64_SNAN), ==, UINT64_MAX);
    g_assert_cmphex(s.flags, ==, NV);
    s.flags = 0;
    g_assert_cmpint(hfp_f64_to_i32(&s, 0x41dfffffffc00000ull), ==, INT32_MAX); /* 2^31 - 1 */
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmpint(hfp_f64_to_i32(&s, 0x41dfffffffe00000ull), ==, INT32_MAX); /* 2^31 - 0.5 */
    g_assert_cmphex(s.flags, ==, NV);
}

static void test_to_int_rounding(void)
{
    const struct {
        HostFPRound mode;
        uint32_t in;
        int32_t want;
        uint8_t flags;
    } cases[] = {
        {HFP_ROUND_NEAREST_EVEN, 0x40200000u, 2, NX}, /* 2.5 */
        {HFP_ROUND_NEAREST_EVEN, 0x40600000u, 4, NX}, /* 3.5 */
        {HFP_ROUND_NEAREST_MAX_MAG, 0x40200000u, 3, NX},
        {HFP_ROUND_NEAREST_MAX_MAG, 0xc0200000u, -3, NX},
        {HFP_ROUND_TO_ZERO, 0xc0200000u, -2, NX},
        {HFP_ROUND_DOWN, 0xc0200000u, -3, NX},
        {HFP_ROUND_UP, 0xc0200000u, -2, NX},
        {HFP_ROUND_DOWN, 0xbf000000u, -1, NX}, /* -0.5 */
        {HFP_ROUND_NEAREST_EVEN, 0xbf000000u, 0, NX},
        {HFP_ROUND_NEAREST_MAX_MAG, 0x3f000000u, 1, NX}, /* 0.5 */
        {HFP_ROUND_NEAREST_EVEN, 0x3e800000u, 0, NX},    /* 0.25 */
        {HFP_ROUND_UP, 0x00000001u, 1, NX},              /* tiny positive */
        {HFP_ROUND_NEAREST_EVEN, 0x4b000001u, 8388609, 0},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        HostFPStatus s = status(cases[i].mode, false);

        g_assert_cmpint(hfp_f32_to_i32(&s, cases[i].in), ==, cases[i].want);
        g_assert_cmphex(s.flags, ==, cases[i].flags);
    }
    /* Unsigned: a negative value that rounds to 0 is fine (inexact); to -1 is invalid. */
    {
        HostFPStatus s = status(HFP_ROUND_TO_ZERO, false);

        g_assert_cmpuint(hfp_f32_to_u32(&s, 0xbe99999au), ==, 0); /* -0.3 */
        g_assert_cmphex(s.flags, ==, NX);
        s = status(HFP_ROUND_NEAREST_EVEN, false);
        g_assert_cmpuint(hfp_f32_to_u32(&s, 0xbf333333u), ==, 0); /* -0.7 -> -1 */
        g_assert_cmphex(s.flags, ==, NV);
    }
}

static void test_from_int(void)
{
    HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, false);

    /* 2^24 + 1 is a tie between 2^24 and 2^24 + 2. */
    g_assert_cmphex(hfp_i32_to_f32(&s, 16777217), ==, 0x4b800000u);
    g_assert_cmphex(s.flags, ==, NX);
    s = status(HFP_ROUND_NEAREST_MAX_MAG, false);
    g_assert_cmphex(hfp_i32_to_f32(&s, -16777217), ==, 0xcb800001u);
    s = status(HFP_ROUND_UP, false);
    g_assert_cmphex(hfp_i32_to_f32(&s, 16777217), ==, 0x4b800001u);
    s = status(HFP_ROUND_NEAREST_EVEN, false);
    g_assert_cmphex(hfp_u64_to_f32(&s, UINT64_MAX), ==, 0x5f800000u);
    g_assert_cmphex(hfp_i64_to_f64(&s, INT64_MIN), ==, 0xc3e0000000000000ull);
    g_assert_cmphex(hfp_u64_to_f64(&s, UINT64_MAX), ==, 0x43f0000000000000ull);
    g_assert_cmphex(s.flags, ==, NX);
    s = status(HFP_ROUND_TO_ZERO, false);
    g_assert_cmphex(hfp_u64_to_f32(&s, UINT64_MAX), ==, 0x5f7fffffu);
    g_assert_cmphex(hfp_u32_to_f64(&s, UINT32_MAX), ==, 0x41efffffffe00000ull);
    g_assert_cmphex(hfp_i32_to_f64(&s, 0), ==, 0);
    g_assert_cmphex(hfp_i32_to_f32(&s, -1), ==, 0xbf800000u);
}

static void test_f64_f32(void)
{
    FOR_BOTH_PATHS(soft)
    {
        HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, soft);

        /* 1 + 2^-24 is a tie in single precision. */
        g_assert_cmphex(hfp_f64_to_f32(&s, 0x3ff0000010000000ull), ==, F32_ONE);
        g_assert_cmphex(s.flags, ==, NX);
        s = status(HFP_ROUND_NEAREST_MAX_MAG, soft);
        g_assert_cmphex(hfp_f64_to_f32(&s, 0x3ff0000010000000ull), ==, 0x3f800001u);
        s = status(HFP_ROUND_NEAREST_EVEN, soft);
        g_assert_cmphex(hfp_f64_to_f32(&s, F64_MAX), ==, F32_INF);
        g_assert_cmphex(s.flags, ==, OF | NX);
        s.flags = 0;
        g_assert_cmphex(hfp_f64_to_f32(&s, F64_SNAN), ==, F32_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
        s.flags = 0;
        /* 2^-149 * 1.5 rounds to 2^-148 (even); tiny and inexact. */
        g_assert_cmphex(hfp_f64_to_f32(&s, 0x36a8000000000000ull), ==, 0x00000002u);
        g_assert_cmphex(s.flags, ==, NX | UF);
        s.flags = 0;
        g_assert_cmphex(hfp_f32_to_f64(&s, 0x00000001u), ==, 0x36a0000000000000ull);
        g_assert_cmphex(hfp_f32_to_f64(&s, 0xff800000u), ==, 0xfff0000000000000ull);
        g_assert_cmphex(s.flags, ==, 0);
        g_assert_cmphex(hfp_f32_to_f64(&s, F32_SNAN), ==, F64_QNAN);
        g_assert_cmphex(s.flags, ==, NV);
    }
}

/* ---- Host path against software path on many operands ---- */

static uint64_t rng_next(uint64_t *st)
{
    uint64_t x = *st;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *st = x;
    return x;
}

static uint32_t gen32(uint64_t *st)
{
    static const uint32_t specials[] = {
        0,           0x80000000u, F32_ONE,     0xbf800000u, F32_INF,     0xff800000u,
        F32_QNAN,    F32_SNAN,    0xffc00001u, F32_MAX,     0xff7fffffu, F32_MIN_NORMAL,
        0x007fffffu, 0x00000001u, 0x80000001u, 0x3f7fffffu, 0x3f800001u,
    };
    uint64_t r = rng_next(st);
    uint32_t sign = (uint32_t)(r >> 63) << 31;
    uint32_t frac = (uint32_t)(r >> 8) & 0x7fffff;

    switch (r % 8) {
    case 0:
        return (uint32_t)(r >> 16);
    case 1:
        return specials[(r >> 32) % G_N_ELEMENTS(specials)];
    case 2:
        /* Around the smallest normal number. */
        return sign | ((uint32_t)((r >> 40) % 3) << 23) | frac;
    case 3:
        /* Near overflow. */
        return sign | ((uint32_t)(250 + (r >> 40) % 5) << 23) | frac;
    case 4:
        /* Significands with few bits set: exact cases and ties. */
        return sign | ((uint32_t)(120 + (r >> 40) % 16) << 23) | (frac & 0x400003u);
    default:
        /* Around 1 and around 2^-63 (products landing near the underflow edge). */
        return sign | ((uint32_t)((r & 8 ? 64 : 127) + (int)((r >> 40) % 5) - 2) << 23) | frac;
    }
}

static uint64_t gen64(uint64_t *st)
{
    static const uint64_t specials[] = {
        0,
        0x8000000000000000ull,
        F64_ONE,
        0xbff0000000000000ull,
        F64_INF,
        0xfff0000000000000ull,
        F64_QNAN,
        F64_SNAN,
        F64_MAX,
        0x0010000000000000ull,
        0x000fffffffffffffull,
        1,
        0x3fefffffffffffffull,
        0x3ff0000000000001ull,
    };
    uint64_t r = rng_next(st);
    uint64_t r2 = rng_next(st);
    uint64_t sign = r2 & 0x8000000000000000ull;
    uint64_t frac = r2 & 0x000fffffffffffffull;

    switch (r % 8) {
    case 0:
        return r2;
    case 1:
        return specials[(r >> 32) % G_N_ELEMENTS(specials)];
    case 2:
        return sign | (((r >> 40) % 3) << 52) | frac;
    case 3:
        return sign | ((2042 + (r >> 40) % 5) << 52) | frac;
    case 4:
        return sign | ((1016 + (r >> 40) % 16) << 52) | (frac & 0x8000000000003ull);
    default:
        return sign | (((r & 8 ? 512 : 1023) + (r >> 40) % 5 - 2) << 52) | frac;
    }
}

/*
 * Flags accrued before the operation: none (inexact must be detected),
 * inexact alone (the fast paths' common case) or any mix.
 */
static uint8_t gen_flags(uint64_t *st)
{
    uint64_t r = rng_next(st);

    switch (r & 3) {
    case 0:
    case 1:
        return 0;
    case 2:
        return NX;
    default:
        return (uint8_t)((r >> 8) & 0x1f);
    }
}

/* A host-path and a soft-path status with the same accrued flags. */
static void cross_status(HostFPRound mode, uint64_t *st, HostFPStatus *h, HostFPStatus *s)
{
    *h = status(mode, false);
    *s = status(mode, true);
    h->flags = s->flags = gen_flags(st);
}

typedef uint32_t (*Bin32)(HostFPStatus *, uint32_t, uint32_t);
typedef uint64_t (*Bin64)(HostFPStatus *, uint64_t, uint64_t);

static int mismatches;

static void report32(const char *op, HostFPRound mode, uint32_t a, uint32_t b, uint32_t c,
                     uint32_t hr, uint8_t hf, uint32_t sr, uint8_t sf)
{
    if (mismatches++ < 10) {
        g_test_message("%s mode %d: %08x %08x %08x: host %08x/%02x soft %08x/%02x", op, mode, a, b,
                       c, hr, hf, sr, sf);
    }
}

static void report64(const char *op, HostFPRound mode, uint64_t a, uint64_t b, uint64_t c,
                     uint64_t hr, uint8_t hf, uint64_t sr, uint8_t sf)
{
    if (mismatches++ < 10) {
        g_test_message("%s mode %d: %016" G_GINT64_MODIFIER "x %016" G_GINT64_MODIFIER
                       "x %016" G_GINT64_MODIFIER "x: host %016" G_GINT64_MODIFIER
                       "x/%02x soft %016" G_GINT64_MODIFIER "x/%02x",
                       op, mode, a, b, c, hr, hf, sr, sf);
    }
}

#define CROSS_ITERATIONS 60000

static void cross_bin32(const char *name, Bin32 fn)
{
    uint64_t st = 0x9e3779b97f4a7c15ull;

    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < CROSS_ITERATIONS; i++) {
            uint32_t a = gen32(&st), b = gen32(&st), hr, sr;
            HostFPStatus h, s;

            cross_status(all_modes[m], &st, &h, &s);
            hr = fn(&h, a, b);
            sr = fn(&s, a, b);

            if (hr != sr || h.flags != s.flags) {
                report32(name, all_modes[m], a, b, 0, hr, h.flags, sr, s.flags);
            }
        }
    }
}

static void cross_bin64(const char *name, Bin64 fn)
{
    uint64_t st = 0x243f6a8885a308d3ull;

    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < CROSS_ITERATIONS; i++) {
            uint64_t a = gen64(&st), b = gen64(&st), hr, sr;
            HostFPStatus h, s;

            cross_status(all_modes[m], &st, &h, &s);
            hr = fn(&h, a, b);
            sr = fn(&s, a, b);

            if (hr != sr || h.flags != s.flags) {
                report64(name, all_modes[m], a, b, 0, hr, h.flags, sr, s.flags);
            }
        }
    }
}

static uint32_t sqrt32_2(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return hfp_sqrt32(s, a);
}

static uint64_t sqrt64_2(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return hfp_sqrt64(s, a);
}

static uint32_t narrow_2(HostFPStatus *s, uint32_t a, uint32_t b)
{
    /* a and b as the two halves of a binary64. */
    return hfp_f64_to_f32(s, ((uint64_t)a << 32) | b);
}

static void test_cross_arith32(void)
{
    mismatches = 0;
    cross_bin32("add32", hfp_add32);
    cross_bin32("sub32", hfp_sub32);
    cross_bin32("mul32", hfp_mul32);
    cross_bin32("div32", hfp_div32);
    cross_bin32("sqrt32", sqrt32_2);
    g_assert_cmpint(mismatches, ==, 0);
}

static void test_cross_arith64(void)
{
    mismatches = 0;
    cross_bin64("add64", hfp_add64);
    cross_bin64("sub64", hfp_sub64);
    cross_bin64("mul64", hfp_mul64);
    cross_bin64("div64", hfp_div64);
    cross_bin64("sqrt64", sqrt64_2);
    g_assert_cmpint(mismatches, ==, 0);
}

static void test_cross_narrow(void)
{
    uint64_t st = 0x13198a2e03707344ull;

    mismatches = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < CROSS_ITERATIONS; i++) {
            uint64_t r = rng_next(&st);
            /* Doubles around the single-precision range edges, and random ones. */
            uint64_t exp = r & 1 ? (r >> 8) % 2048 : 1023 - 160 + (r >> 8) % 320;
            uint64_t a = (rng_next(&st) & 0x800fffffffffffffull) | (exp << 52);
            HostFPStatus h, s;
            uint32_t hr, sr;

            cross_status(all_modes[m], &st, &h, &s);
            hr = narrow_2(&h, (uint32_t)(a >> 32), (uint32_t)a);
            sr = narrow_2(&s, (uint32_t)(a >> 32), (uint32_t)a);

            if (hr != sr || h.flags != s.flags) {
                report64("f64_to_f32", all_modes[m], a, 0, 0, hr, h.flags, sr, s.flags);
            }
        }
    }
    g_assert_cmpint(mismatches, ==, 0);
}

/*
 * Products that land within a few ulps of the smallest normal number,
 * where tininess before and after rounding differ: the host (x86 detects
 * after rounding) and the software path must agree on UF in every mode.
 */
static void test_cross_underflow_edge(void)
{
    uint64_t st = 0x452821e638d01377ull;
    int uf_seen = 0;

    mismatches = 0;
    for (int i = 0; i < CROSS_ITERATIONS; i++) {
        uint32_t a = 0x3f800000u | (uint32_t)(rng_next(&st) & 0x7fffff);
        uint64_t da = 0x3ff0000000000000ull | (rng_next(&st) & 0x000fffffffffffffull);
        float fa, q;
        double dfa, dq;
        uint32_t b;
        uint64_t db;

        memcpy(&fa, &a, 4);
        q = 0x1p-126f / fa; /* b ~ 2^-126 / a, then nudged */
        memcpy(&b, &q, 4);
        b += (uint32_t)((int)(rng_next(&st) % 7) - 3);
        memcpy(&dfa, &da, 8);
        dq = 0x1p-1022 / dfa;
        memcpy(&db, &dq, 8);
        db += (uint64_t)((int64_t)(rng_next(&st) % 7) - 3);
        for (int m = 0; m < 4; m++) {
            HostFPStatus h, s;
            uint32_t hr, sr;
            uint64_t dhr, dsr;

            cross_status(all_modes[m], &st, &h, &s);
            hr = hfp_mul32(&h, a, b);
            sr = hfp_mul32(&s, a, b);

            if (hr != sr || h.flags != s.flags) {
                report32("mul32 edge", all_modes[m], a, b, 0, hr, h.flags, sr, s.flags);
            }
            uf_seen += (h.flags & UF) != 0;
            cross_status(all_modes[m], &st, &h, &s);
            dhr = hfp_mul64(&h, da, db);
            dsr = hfp_mul64(&s, da, db);
            if (dhr != dsr || h.flags != s.flags) {
                report64("mul64 edge", all_modes[m], da, db, 0, dhr, h.flags, dsr, s.flags);
            }
            cross_status(all_modes[m], &st, &h, &s);
            /* (2^-126 * a) / a's neighbour: quotients around the edge too. */
            hr = hfp_div32(&h, b, a ^ 0x40000000u);
            sr = hfp_div32(&s, b, a ^ 0x40000000u);
            if (hr != sr || h.flags != s.flags) {
                report32("div32 edge", all_modes[m], b, a ^ 0x40000000u, 0, hr, h.flags, sr,
                         s.flags);
            }
        }
    }
    g_assert_cmpint(mismatches, ==, 0);
    /* The edge was really exercised. */
    g_assert_cmpint(uf_seen, >, 1000);
}

static void test_cross_fma(void)
{
    uint64_t st = 0xa4093822299f31d0ull;

    if (!hfp_host_has_fma()) {
        g_test_skip("the host has no FMA: both paths are the software one");
        return;
    }
    mismatches = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < CROSS_ITERATIONS; i++) {
            uint32_t a = gen32(&st), b = gen32(&st), c = gen32(&st);
            uint64_t da = gen64(&st), db = gen64(&st), dc = gen64(&st);
            int neg = (int)(rng_next(&st) & 3);
            HostFPStatus h, s;
            uint32_t hr, sr;
            uint64_t dhr, dsr;

            cross_status(all_modes[m], &st, &h, &s);
            hr = hfp_muladd32(&h, a, b, c, neg);
            sr = hfp_muladd32(&s, a, b, c, neg);

            if (hr != sr || h.flags != s.flags) {
                report32("muladd32", all_modes[m], a, b, c, hr, h.flags, sr, s.flags);
            }
            cross_status(all_modes[m], &st, &h, &s);
            dhr = hfp_muladd64(&h, da, db, dc, neg);
            dsr = hfp_muladd64(&s, da, db, dc, neg);
            if (dhr != dsr || h.flags != s.flags) {
                report64("muladd64", all_modes[m], da, db, dc, dhr, h.flags, dsr, s.flags);
            }
        }
    }
    g_assert_cmpint(mismatches, ==, 0);
}

/* Operands for conversions: around the integer range edges, halves (ties), and random. */
static uint64_t gen_convert64(uint64_t *st)
{
    uint64_t r = rng_next(st);
    /* Exponents of 2^-2 .. 2^66 cover fractions, ties and every range edge. */
    uint64_t exp = 1023 - 2 + (r >> 8) % 69;
    uint64_t frac = rng_next(st) & 0x000fffffffffffffull;

    switch (r % 4) {
    case 0:
        return gen64(st);
    case 1:
        /* Few low bits set: exact integers and exact halves. */
        frac &= 0x000ff00000000000ull | (rng_next(st) & 0x1800);
        break;
    default:
        break;
    }
    return (r & 0x80 ? 0x8000000000000000ull : 0) | (exp << 52) | frac;
}

static uint64_t gen_int(uint64_t *st)
{
    uint64_t r = rng_next(st), v = rng_next(st);

    switch (r % 4) {
    case 0:
        return v;
    case 1:
        return v >> (r >> 8) % 64; /* all magnitudes */
    case 2:
        return -(v >> (r >> 8) % 64);
    default:
        /* Around 2^24, 2^53, 2^31, 2^63 and their neighbours. */
        return ((uint64_t)1 << (24 + (r >> 8) % 40)) + (int64_t)((r >> 16) % 5) - 2;
    }
}

static void test_cross_convert(void)
{
    uint64_t st = 0x6a09e667f3bcc908ull;

    mismatches = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < CROSS_ITERATIONS; i++) {
            uint64_t d = gen_convert64(&st), n = gen_int(&st);
            uint32_t f;
            uint8_t hf[8], sf[8];
            uint64_t hr[8], sr[8];
            HostFPStatus h, s;

            {
                /* The same value as a binary32 (rounded toward zero, so no new NaNs). */
                HostFPStatus t = status(HFP_ROUND_TO_ZERO, true);

                f = hfp_f64_to_f32(&t, d);
            }
            for (int k = 0; k < 8; k++) {
                cross_status(all_modes[m], &st, &h, &s);
                s.flags = h.flags;
                switch (k) {
                case 0:
                    hr[k] = (uint64_t)hfp_f64_to_i32(&h, d);
                    sr[k] = (uint64_t)hfp_f64_to_i32(&s, d);
                    break;
                case 1:
                    hr[k] = hfp_f64_to_u32(&h, d);
                    sr[k] = hfp_f64_to_u32(&s, d);
                    break;
                case 2:
                    hr[k] = (uint64_t)hfp_f64_to_i64(&h, d);
                    sr[k] = (uint64_t)hfp_f64_to_i64(&s, d);
                    break;
                case 3:
                    hr[k] = hfp_f64_to_u64(&h, d);
                    sr[k] = hfp_f64_to_u64(&s, d);
                    break;
                case 4:
                    hr[k] = (uint64_t)hfp_f32_to_i64(&h, f) ^ hfp_f32_to_u32(&h, f);
                    sr[k] = (uint64_t)hfp_f32_to_i64(&s, f) ^ hfp_f32_to_u32(&s, f);
                    break;
                case 5:
                    hr[k] = hfp_i64_to_f64(&h, (int64_t)n) ^ hfp_u32_to_f32(&h, (uint32_t)n);
                    sr[k] = hfp_i64_to_f64(&s, (int64_t)n) ^ hfp_u32_to_f32(&s, (uint32_t)n);
                    break;
                case 6:
                    hr[k] = hfp_u64_to_f64(&h, n) ^ hfp_i32_to_f32(&h, (int32_t)n);
                    sr[k] = hfp_u64_to_f64(&s, n) ^ hfp_i32_to_f32(&s, (int32_t)n);
                    break;
                default:
                    hr[k] = hfp_i64_to_f32(&h, (int64_t)n) ^ (uint64_t)hfp_u64_to_f32(&h, n) << 32;
                    sr[k] = hfp_i64_to_f32(&s, (int64_t)n) ^ (uint64_t)hfp_u64_to_f32(&s, n) << 32;
                    break;
                }
                hf[k] = h.flags;
                sf[k] = s.flags;
                if (hr[k] != sr[k] || hf[k] != sf[k]) {
                    report64(k < 5 ? "to int" : "from int", all_modes[m], k < 5 ? d : n, k, 0,
                             hr[k], hf[k], sr[k], sf[k]);
                }
            }
        }
    }
    g_assert_cmpint(mismatches, ==, 0);
}

/*
 * The inline fast paths on their own: whenever one accepts an operation,
 * its result and flags (ORed into the accrued ones) must be the software
 * path's; when it declines, it must leave both untouched.  Operands mix
 * the edge generators with ordinary values (where the fast paths must
 * accept most of the time, or they would be pointless).
 */
static uint64_t ordinary64(uint64_t *st)
{
    uint64_t r = rng_next(st);

    return (r & 0x800fffffffffffffull) | ((uint64_t)(1023 - 40 + (r >> 52) % 80) << 52);
}

static uint32_t ordinary32(uint64_t *st)
{
    uint64_t r = rng_next(st);

    return ((uint32_t)r & 0x807fffffu) | ((uint32_t)(127 - 20 + (r >> 40) % 40) << 23);
}

typedef struct FastCount {
    const char *name;
    int tried, accepted;
} FastCount;

static void fast_check64(FastCount *fc, bool ok, uint64_t a, uint64_t b, uint64_t c, uint8_t init,
                         uint32_t flags, uint64_t r, uint64_t sr, uint8_t sf)
{
    fc->tried++;
    if (!ok) {
        if (flags != init || r != 0x5a5a5a5a5a5a5a5aull) {
            report64(fc->name, 0, a, b, c, r, (uint8_t)flags, 0, init);
        }
        return;
    }
    fc->accepted++;
    if (r != sr || flags != sf) {
        report64(fc->name, 0, a, b, c, r, (uint8_t)flags, sr, sf);
    }
}

static void fast_check32(FastCount *fc, bool ok, uint32_t a, uint32_t b, uint32_t c, uint8_t init,
                         uint32_t flags, uint32_t r, uint32_t sr, uint8_t sf)
{
    fast_check64(fc, ok, a, b, c, init, flags, r == 0x5a5a5a5au ? 0x5a5a5a5a5a5a5a5aull : r, sr,
                 sf);
}

static void test_fast_paths(void)
{
    uint64_t st = 0x3f84d5b5b5470917ull;
    FastCount c64[] = {{"fast add64"},  {"fast sub64"},    {"fast mul64"},     {"fast div64"},
                       {"fast sqrt64"}, {"fast muladd64"}, {"fast f64_to_f32"}};
    FastCount c32[] = {{"fast add32"}, {"fast sub32"},  {"fast mul32"},
                       {"fast div32"}, {"fast sqrt32"}, {"fast muladd32"}};

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        g_test_skip("this process's MXCSR is not the IEEE default: no fast paths");
        return;
    }
    mismatches = 0;
    for (int i = 0; i < 4 * CROSS_ITERATIONS; i++) {
        bool edge = rng_next(&st) & 1;
        uint64_t a = edge ? gen64(&st) : ordinary64(&st);
        uint64_t b = edge ? gen64(&st) : ordinary64(&st);
        uint64_t c = edge ? gen64(&st) : ordinary64(&st);
        uint32_t x = edge ? gen32(&st) : ordinary32(&st);
        uint32_t y = edge ? gen32(&st) : ordinary32(&st);
        uint32_t z = edge ? gen32(&st) : ordinary32(&st);
        int neg = (int)(rng_next(&st) & 3);
        uint8_t init = gen_flags(&st);
        HostFPStatus s;
        uint32_t flags, r32, sr32;
        uint64_t r, sr;
        bool ok;

#define SOFT(call) (s = status(HFP_ROUND_NEAREST_EVEN, true), s.flags = init, (call))
#define FAST64(k, fast, soft_call)                                                                 \
    do {                                                                                           \
        flags = init;                                                                              \
        r = 0x5a5a5a5a5a5a5a5aull;                                                                 \
        ok = (fast);                                                                               \
        sr = SOFT(soft_call);                                                                      \
        fast_check64(&c64[k], ok, a, b, c, init, flags, r, sr, s.flags);                           \
    } while (0)
#define FAST32(k, fast, soft_call)                                                                 \
    do {                                                                                           \
        flags = init;                                                                              \
        r32 = 0x5a5a5a5au;                                                                         \
        ok = (fast);                                                                               \
        sr32 = SOFT(soft_call);                                                                    \
        fast_check32(&c32[k], ok, x, y, z, init, flags, r32, sr32, s.flags);                       \
    } while (0)

        FAST64(0, hfp_fast_addsub64(a, b, false, &flags, &r), hfp_add64(&s, a, b));
        FAST64(1, hfp_fast_addsub64(a, b, true, &flags, &r), hfp_sub64(&s, a, b));
        FAST64(2, hfp_fast_mul64(a, b, &flags, &r), hfp_mul64(&s, a, b));
        FAST64(3, hfp_fast_div64(a, b, &flags, &r), hfp_div64(&s, a, b));
        FAST64(4, hfp_fast_sqrt64(a & HFP_F64_ABS, &flags, &r), hfp_sqrt64(&s, a & HFP_F64_ABS));
        FAST64(5, hfp_fast_muladd64(a, b, c, neg, &flags, &r), hfp_muladd64(&s, a, b, c, neg));
        flags = init;
        r32 = 0x5a5a5a5au;
        ok = hfp_fast_f64_to_f32(a >> (edge ? 0 : 3) << (edge ? 0 : 3), &flags, &r32);
        sr32 = SOFT(hfp_f64_to_f32(&s, a >> (edge ? 0 : 3) << (edge ? 0 : 3)));
        fast_check32(&c64[6], ok, a, 0, 0, init, flags, r32, sr32, s.flags);
        FAST32(0, hfp_fast_addsub32(x, y, false, &flags, &r32), hfp_add32(&s, x, y));
        FAST32(1, hfp_fast_addsub32(x, y, true, &flags, &r32), hfp_sub32(&s, x, y));
        FAST32(2, hfp_fast_mul32(x, y, &flags, &r32), hfp_mul32(&s, x, y));
        FAST32(3, hfp_fast_div32(x, y, &flags, &r32), hfp_div32(&s, x, y));
        FAST32(4, hfp_fast_sqrt32(x & HFP_F32_ABS, &flags, &r32), hfp_sqrt32(&s, x & HFP_F32_ABS));
        FAST32(5, hfp_fast_muladd32(x, y, z, neg, &flags, &r32), hfp_muladd32(&s, x, y, z, neg));
#undef FAST32
#undef FAST64
#undef SOFT
    }
    g_assert_cmpint(mismatches, ==, 0);
    for (size_t k = 0; k < G_N_ELEMENTS(c64); k++) {
        g_test_message("%s: %d of %d accepted", c64[k].name, c64[k].accepted, c64[k].tried);
        /* Half the operands are ordinary: most of those must take the fast path. */
        g_assert_cmpint(c64[k].accepted, >, c64[k].tried / (k == 5 ? 8 : 3));
    }
    for (size_t k = 0; k < G_N_ELEMENTS(c32); k++) {
        g_test_message("%s: %d of %d accepted", c32[k].name, c32[k].accepted, c32[k].tried);
        g_assert_cmpint(c32[k].accepted, >, c32[k].tried / (k == 5 ? 8 : 3));
    }
}

/* Comparisons, min/max and widening without NaNs: inline, no flags, the software answers. */
static void test_fast_noround(void)
{
    uint64_t st = 0x0801f2e2858efc16ull;

    mismatches = 0;
    for (int i = 0; i < CROSS_ITERATIONS; i++) {
        uint64_t a = gen64(&st), b = rng_next(&st) & 1 ? a ^ 0x8000000000000000ull : gen64(&st);
        uint32_t x = gen32(&st), y = rng_next(&st) & 1 ? x ^ 0x80000000u : gen32(&st);
        HostFPStatus s = status(HFP_ROUND_NEAREST_EVEN, true);
        uint64_t w;

        if (hfp_no_nan64(a, b)) {
            if (hfp_minmax64_ordered(a, b, false) != hfp_min_num64(&s, a, b) ||
                hfp_minmax64_ordered(a, b, true) != hfp_max_num64(&s, a, b) ||
                (hfp_f64(a) < hfp_f64(b)) != hfp_lt64(&s, a, b) ||
                (hfp_f64(a) <= hfp_f64(b)) != hfp_le64(&s, a, b) ||
                (hfp_f64(a) == hfp_f64(b)) != hfp_eq64(&s, a, b) || s.flags) {
                report64("noround64", 0, a, b, 0, 0, s.flags, 0, 0);
            }
        }
        if (hfp_no_nan32(x, y)) {
            if (hfp_minmax32_ordered(x, y, false) != hfp_min_num32(&s, x, y) ||
                hfp_minmax32_ordered(x, y, true) != hfp_max_num32(&s, x, y) ||
                (hfp_f32(x) < hfp_f32(y)) != hfp_lt32(&s, x, y) ||
                (hfp_f32(x) <= hfp_f32(y)) != hfp_le32(&s, x, y) ||
                (hfp_f32(x) == hfp_f32(y)) != hfp_eq32(&s, x, y) || s.flags) {
                report32("noround32", 0, x, y, 0, 0, s.flags, 0, 0);
            }
        }
        if (hfp_fast_f32_to_f64(x, &w)) {
            s.flags = 0;
            if (w != hfp_f32_to_f64(&s, x) || s.flags) {
                report32("widen", 0, x, 0, 0, 0, s.flags, 0, 0);
            }
        } else if (!hfp_is_nan32(x)) {
            report32("widen declined", 0, x, 0, 0, 0, 0, 0, 0);
        }
    }
    g_assert_cmpint(mismatches, ==, 0);
}

/*
 * Inexact decided from scratch (no flag accrued yet), on the cases each
 * error-free transformation must get right; and the sticky shortcut.
 */
static void test_fast_inexact(void)
{
    static const struct {
        const char *op;
        uint64_t a, b;
        uint8_t flags;
    } cases[] = {
        {"add", 0x3ff8000000000000ull, 0x3ff8000000000000ull, 0},  /* 1.5 + 1.5 */
        {"add", F64_ONE, 0x3ca0000000000000ull, NX},               /* 1 + 2^-53: tie */
        {"add", 0x4340000000000000ull, F64_ONE, NX},               /* 2^53 + 1 */
        {"add", 0x3ff0000000000001ull, 0xbff0000000000000ull, 0},  /* cancellation */
        {"add", 0x0000000000000003ull, 0x8000000000000001ull, 0},  /* subnormal sum */
        {"mul", 0x3ff8000000000000ull, 0x4000000000000000ull, 0},  /* 1.5 * 2 */
        {"mul", 0x3ff0000000000001ull, 0x3ff0000000000001ull, NX}, /* (1+u)^2 */
        {"div", F64_ONE, 0x4010000000000000ull, 0},                /* 1 / 4 */
        {"div", F64_ONE, 0x4008000000000000ull, NX},               /* 1 / 3 */
        {"sqrt", 0x4010000000000000ull, 0, 0},                     /* sqrt(4) */
        {"sqrt", 0x4000000000000000ull, 0, NX},                    /* sqrt(2) */
        {"sqrt", 0x8000000000000000ull, 0, 0},                     /* sqrt(-0) */
    };

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        g_test_skip("no fast paths in this process");
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t a = cases[i].a, b = cases[i].b, r = 0;
        bool ok;

        for (uint32_t init = 0; init <= NX; init += NX) {
            uint32_t flags = init;

            if (!strcmp(cases[i].op, "add")) {
                ok = hfp_fast_addsub64(a, b, false, &flags, &r);
            } else if (!strcmp(cases[i].op, "mul")) {
                ok = hfp_fast_mul64(a, b, &flags, &r);
            } else if (!strcmp(cases[i].op, "div")) {
                ok = hfp_fast_div64(a, b, &flags, &r);
            } else {
                ok = hfp_fast_sqrt64(a, &flags, &r);
            }
            if (!hfp_host_has_fma() && strcmp(cases[i].op, "add") && !init) {
                continue; /* residuals need FMA; without it the fast path may decline */
            }
            if (!ok || flags != (init | cases[i].flags)) {
                g_test_message("case %zu (%s) init %02x: ok %d flags %02x", i, cases[i].op, init,
                               ok, flags);
                g_test_fail();
            }
        }
    }
}

/*
 * Ties-to-max-magnitude differs from ties-to-even only on exact ties; on
 * everything else the software path must agree with the host's RNE.
 */
static void test_rmm_matches_rne_off_ties(void)
{
    uint64_t st = 0xb7e151628aed2a6bull;

    for (int i = 0; i < CROSS_ITERATIONS; i++) {
        /*
         * Odd 53-bit significands: the 106-bit product is odd, so never a
         * tie (a tie needs the dropped bits to be exactly 10...0).
         */
        uint64_t a = (rng_next(&st) & 0x000fffffffffffffull) | 0x3ff0000000000001ull;
        uint64_t b = (rng_next(&st) & 0x000fffffffffffffull) | 0x3ff0000000000001ull;
        HostFPStatus n = status(HFP_ROUND_NEAREST_EVEN, false);
        HostFPStatus r = status(HFP_ROUND_NEAREST_MAX_MAG, false);
        uint64_t rn = hfp_mul64(&n, a, b), rm = hfp_mul64(&r, a, b);

        if (rn != rm || n.flags != r.flags) {
            g_test_message("%016" G_GINT64_MODIFIER "x * %016" G_GINT64_MODIFIER "x", a, b);
            g_test_fail();
            return;
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-fp/rounding/tie", test_rounding_modes_tie);
    g_test_add_func("/host-fp/rounding/near-tie", test_rounding_modes_above_tie);
    g_test_add_func("/host-fp/rounding/overflow", test_overflow);
    g_test_add_func("/host-fp/rounding/underflow-after-rounding", test_underflow_after_rounding);
    g_test_add_func("/host-fp/arith/special", test_special_arith);
    g_test_add_func("/host-fp/arith/sqrt", test_sqrt);
    g_test_add_func("/host-fp/nan/default", test_nan_default);
    g_test_add_func("/host-fp/nan/propagate", test_nan_propagate);
    g_test_add_func("/host-fp/fma/single-rounding", test_fma_single_rounding);
    g_test_add_func("/host-fp/fma/special", test_fma_special);
    g_test_add_func("/host-fp/minmax", test_min_max);
    g_test_add_func("/host-fp/compare", test_compare);
    g_test_add_func("/host-fp/class", test_class);
    g_test_add_func("/host-fp/convert/to-int-saturation", test_to_int_saturation);
    g_test_add_func("/host-fp/convert/to-int-rounding", test_to_int_rounding);
    g_test_add_func("/host-fp/convert/from-int", test_from_int);
    g_test_add_func("/host-fp/convert/f64-f32", test_f64_f32);
    g_test_add_func("/host-fp/cross/arith32", test_cross_arith32);
    g_test_add_func("/host-fp/cross/arith64", test_cross_arith64);
    g_test_add_func("/host-fp/cross/narrow", test_cross_narrow);
    g_test_add_func("/host-fp/cross/underflow-edge", test_cross_underflow_edge);
    g_test_add_func("/host-fp/cross/fma", test_cross_fma);
    g_test_add_func("/host-fp/cross/rmm-off-ties", test_rmm_matches_rne_off_ties);
    g_test_add_func("/host-fp/cross/convert", test_cross_convert);
    g_test_add_func("/host-fp/fast/cross", test_fast_paths);
    g_test_add_func("/host-fp/fast/noround", test_fast_noround);
    g_test_add_func("/host-fp/fast/inexact", test_fast_inexact);
    return g_test_run();
}
