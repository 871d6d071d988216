/*
 * Unit tests for target/riscv/fpu_helper.c: the F and D helpers as the
 * translated code calls them, with fflags read back through the CSR path
 * (csr.c) as a guest would.  What they hold: flags accrue exactly over
 * long runs of operations and after the guest clears them (the inline
 * fast paths skip inexact detection only while NX is already set); the
 * rounding mode comes from a static rm or, for DYN, from frm, including
 * ties-to-max-magnitude (which x86 lacks); fused multiply-add rounds once;
 * NaN results are canonical and signaling NaNs raise NV; tininess is
 * detected after rounding.
 *
 * Reference: Unprivileged ISA 20191213, chapters 11 (F) and 12 (D).
 */
#include <glib.h>
#include <string.h>
#include "riscv-harness.h"
#include "csr.h"
#include "fpu/host-fp.h"
#include "helper.h"

enum {
    NX = FPEXC_NX,
    UF = FPEXC_UF,
    OF = FPEXC_OF,
    DZ = FPEXC_DZ,
    NV = FPEXC_NV,
};

#define RNE 0
#define RTZ 1
#define RDN 2
#define RUP 3
#define RMM 4
#define DYN 7

#define D_ONE   0x3ff0000000000000ull
#define D_TWO   0x4000000000000000ull
#define D_THREE 0x4008000000000000ull
#define D_QNAN  0x7ff8000000000000ull
#define S_QNAN  0x7fc00000u
#define BOX(x)  (0xffffffff00000000ull | (uint32_t)(x))

static CPURISCVState *env;

static void setup(void)
{
    rvh_setup();
    env = rvh.env;
    env->mstatus |= MSTATUS_FS;
    env->frm = RNE;
    env->fflags = 0;
}

static uint64_t csr_rd(int csrno)
{
    uint64_t v = 0;

    g_assert_cmpint(riscv_csrrw(env, csrno, &v, 0, 0), ==, RISCV_EXCP_NONE);
    return v;
}

static void csr_wr(int csrno, uint64_t val)
{
    g_assert_cmpint(riscv_csrrw(env, csrno, NULL, val, ~0ull), ==, RISCV_EXCP_NONE);
}

static uint64_t xorshift(uint64_t *st)
{
    uint64_t x = *st;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *st = x;
    return x;
}

/*
 * Thousands of operations through the helpers, fflags read back now and
 * then through the CSR and sometimes cleared; the reference accrues the
 * software path's flags for the same operations.
 */
static void test_flags_accrue(void)
{
    uint64_t st = 0x2545f4914f6cdd1dull;
    uint8_t want = 0;
    int checks = 0, nx_clear_ops = 0;

    setup();
    for (int i = 0; i < 20000; i++) {
        uint64_t r = xorshift(&st);
        /* Mostly small integers (exact results) with some fractions, zeros and extremes. */
        uint64_t a, b, got, ref;
        HostFPStatus s = {.round = HFP_ROUND_NEAREST_EVEN,
                          .nan_mode = HFP_NAN_DEFAULT,
                          .nan_to_int = HFP_NAN_TO_INT_MAX,
                          .default_nan32 = 0x7fc00000u,
                          .default_nan64 = D_QNAN,
                          .force_soft = true};
        static const uint64_t pool[] = {D_ONE,
                                        D_TWO,
                                        D_THREE,
                                        0x3fb999999999999aull, /* 0.1 */
                                        0x4024000000000000ull, /* 10 */
                                        0,
                                        0x8000000000000000ull,
                                        0x7fefffffffffffffull, /* max */
                                        0x0010000000000000ull, /* min normal */
                                        0x4050000000000000ull, /* 64 */
                                        0x3fe0000000000000ull, /* 0.5 */
                                        0x7ff0000000000000ull};

        a = pool[(r >> 8) % G_N_ELEMENTS(pool)];
        b = pool[(r >> 16) % G_N_ELEMENTS(pool)];
        nx_clear_ops += !(env->fflags & NX);
        switch (r % 5) {
        case 0:
            got = helper_fadd_d(env, a, b, DYN);
            ref = hfp_add64(&s, a, b);
            break;
        case 1:
            got = helper_fsub_d(env, a, b, RNE);
            ref = hfp_sub64(&s, a, b);
            break;
        case 2:
            got = helper_fmul_d(env, a, b, DYN);
            ref = hfp_mul64(&s, a, b);
            break;
        case 3:
            got = helper_fdiv_d(env, a, b, DYN);
            ref = hfp_div64(&s, a, b);
            break;
        default:
            got = helper_fsqrt_d(env, a, DYN);
            ref = hfp_sqrt64(&s, a);
            break;
        }
        g_assert_cmphex(got, ==, ref);
        want |= s.flags;
        if ((r >> 32) % 16 == 0) {
            g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, want);
            g_assert_cmphex(csr_rd(CSR_FCSR), ==, want);
            checks++;
        }
        if ((r >> 40) % 32 == 0) {
            /* The guest clears them (csrwi fflags, 0) or sets some of its own. */
            want = (r >> 48) % 4 == 0 ? (uint8_t)((r >> 50) & 0x1f) : 0;
            csr_wr(CSR_FFLAGS, want);
        }
    }
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, want);
    g_assert_cmpint(checks, >, 500);
    /* Inexact was really decided from scratch many times. */
    g_assert_cmpint(nx_clear_ops, >, 1000);
    rvh_teardown();
}

/* Clearing fflags makes the next inexact operation raise NX again. */
static void test_flags_after_clear(void)
{
    setup();
    g_assert_cmphex(helper_fdiv_d(env, D_ONE, D_THREE, DYN), ==, 0x3fd5555555555555ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, D_TWO, DYN), ==, D_THREE);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmphex(helper_fmul_s(env, BOX(0x3dcccccd), BOX(0x3dcccccd), DYN), ==,
                    BOX(0x3c23d70b)); /* 0.1f * 0.1f */
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FCSR, 0);
    g_assert_cmphex(helper_fsqrt_s(env, BOX(0x40800000), DYN), ==, BOX(0x40000000));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmphex(helper_fsqrt_s(env, BOX(0x40000000), DYN), ==, BOX(0x3fb504f3));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    rvh_teardown();
}

/* 1 + 2^-60: rounds up only towards +inf; and 1 + 2^-53 is a tie. */
static void test_rounding_modes(void)
{
    const uint64_t tiny = 0x3c30000000000000ull;     /* 2^-60 */
    const uint64_t half_ulp = 0x3ca0000000000000ull; /* 2^-53 */

    setup();
    /* Static rm wins over frm. */
    csr_wr(CSR_FRM, RUP);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, tiny, DYN), ==, D_ONE + 1);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, tiny, RNE), ==, D_ONE);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, tiny, RTZ), ==, D_ONE);
    g_assert_cmphex(helper_fsub_d(env, D_ONE, tiny, RUP), ==, D_ONE);
    g_assert_cmphex(helper_fsub_d(env, D_ONE, tiny, RDN), ==, 0x3fefffffffffffffull);
    /* frm changes take effect for DYN at once. */
    csr_wr(CSR_FRM, RDN);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, tiny, DYN), ==, D_ONE);
    g_assert_cmphex(helper_fsub_d(env, D_ONE, tiny, DYN), ==, 0x3fefffffffffffffull);
    csr_wr(CSR_FRM, RNE);
    g_assert_cmphex(helper_fsub_d(env, D_ONE, tiny, DYN), ==, D_ONE);
    /* Ties: RNE to even, RMM away from zero (x86 has no such mode). */
    g_assert_cmphex(helper_fadd_d(env, D_ONE, half_ulp, RNE), ==, D_ONE);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, half_ulp, RMM), ==, D_ONE + 1);
    g_assert_cmphex(helper_fsub_d(env, 0x8000000000000000ull | D_ONE, half_ulp, RMM), ==,
                    0x8000000000000000ull | (D_ONE + 1));
    csr_wr(CSR_FRM, RMM);
    g_assert_cmphex(helper_fadd_d(env, D_ONE, half_ulp, DYN), ==, D_ONE + 1);
    /* 1 + 2^-24 in single: a tie. */
    g_assert_cmphex(helper_fadd_s(env, BOX(0x3f800000), BOX(0x33800000), DYN), ==, BOX(0x3f800001));
    g_assert_cmphex(helper_fadd_s(env, BOX(0x3f800000), BOX(0x33800000), RNE), ==, BOX(0x3f800000));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    g_assert_cmphex(csr_rd(CSR_FCSR), ==, (RMM << 5) | NX);
    /* Conversions use the mode too: 2.5 -> 2 (RNE), 3 (RMM), 2 (RTZ). */
    g_assert_cmpint(helper_fcvt_w_d(env, 0x4004000000000000ull, RNE), ==, 2);
    g_assert_cmpint(helper_fcvt_w_d(env, 0x4004000000000000ull, DYN), ==, 3);
    g_assert_cmpint(helper_fcvt_w_d(env, 0x4004000000000000ull, RTZ), ==, 2);
    rvh_teardown();
}

/*
 * (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60 exactly: a fused multiply-add returns
 * it without NX; rounding the product first would lose 2^-60.
 */
static void test_fma_single_rounding(void)
{
    const uint64_t a = 0x3ff0000000400000ull; /* 1 + 2^-30 */
    const uint64_t m_one = 0xbff0000000000000ull;
    const uint64_t want = 0x3e20000000200000ull; /* 2^-29 + 2^-60 */
    const uint32_t as = 0x3f800800u;             /* 1 + 2^-12 */

    setup();
    g_assert_cmphex(helper_fmadd_d(env, a, a, m_one, DYN), ==, want);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmphex(helper_fmsub_d(env, a, a, D_ONE, DYN), ==, want);
    g_assert_cmphex(helper_fnmsub_d(env, a, a, D_ONE, DYN), ==, want | 0x8000000000000000ull);
    g_assert_cmphex(helper_fnmadd_d(env, a, a, m_one, DYN), ==, want | 0x8000000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* Single: (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24. */
    g_assert_cmphex(helper_fmadd_s(env, BOX(as), BOX(as), BOX(0xbf800000u), DYN), ==,
                    BOX(0x3a000400u));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* Rounded on its own, the product loses 2^-60 (NX) and the sum is off. */
    g_assert_cmphex(helper_fadd_d(env, helper_fmul_d(env, a, a, DYN), m_one, DYN), ==,
                    0x3e20000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    /* With NX already set, the same FMA (host fast path) must still round once. */
    g_assert_cmphex(helper_fmadd_d(env, a, a, m_one, DYN), ==, want);
    /* And in a directed mode: 1 * 1 + 2^-60 towards +inf. */
    g_assert_cmphex(helper_fmadd_d(env, D_ONE, D_ONE, 0x3c30000000000000ull, RUP), ==, D_ONE + 1);
    g_assert_cmphex(helper_fmadd_d(env, D_ONE, D_ONE, 0x3c30000000000000ull, RMM), ==, D_ONE);
    rvh_teardown();
}

static void test_nan(void)
{
    setup();
    /* A quiet NaN with a payload propagates as the canonical NaN, raising nothing. */
    g_assert_cmphex(helper_fadd_d(env, 0xfff8000000000123ull, D_ONE, DYN), ==, D_QNAN);
    g_assert_cmphex(helper_fmul_s(env, BOX(0xffc00123u), BOX(0x3f800000u), DYN), ==, BOX(S_QNAN));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* A signaling NaN raises NV. */
    g_assert_cmphex(helper_fsub_d(env, D_ONE, 0x7ff0000000000001ull, DYN), ==, D_QNAN);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fdiv_s(env, BOX(0x7f800001u), BOX(0x3f800000u), DYN), ==, BOX(S_QNAN));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, NX);
    /* Invalid operations make the canonical NaN (x86 makes its negative "indefinite"). */
    g_assert_cmphex(helper_fmul_d(env, 0, 0x7ff0000000000000ull, DYN), ==, D_QNAN);
    g_assert_cmphex(helper_fsqrt_d(env, 0xbff0000000000000ull, DYN), ==, D_QNAN);
    g_assert_cmphex(helper_fsub_s(env, BOX(0x7f800000u), BOX(0x7f800000u), DYN), ==, BOX(S_QNAN));
    g_assert_cmphex(helper_fdiv_d(env, 0, 0, RTZ), ==, D_QNAN);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV | NX);
    csr_wr(CSR_FFLAGS, 0);
    /* inf * 0 + qNaN raises NV (RISC-V requires it); the result is canonical. */
    g_assert_cmphex(helper_fmadd_d(env, 0x7ff0000000000000ull, 0, 0x7ff8000000000001ull, DYN), ==,
                    D_QNAN);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    /* An improperly boxed single reads as the canonical NaN (quiet: no flag). */
    g_assert_cmphex(helper_fadd_s(env, 0x3f800000ull, BOX(0x3f800000u), DYN), ==, BOX(S_QNAN));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* Widening and narrowing. */
    g_assert_cmphex(helper_fcvt_d_s(env, BOX(0x7f800001u), DYN), ==, D_QNAN);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fcvt_s_d(env, 0xfff8000000000001ull, DYN), ==, BOX(S_QNAN));
    g_assert_cmphex(helper_fcvt_d_s(env, BOX(0xbf800000u), DYN), ==, 0xbff0000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* min/max: one NaN gives the other operand; a signaling one raises NV. */
    g_assert_cmphex(helper_fmin_d(env, D_QNAN, D_TWO), ==, D_TWO);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmphex(helper_fmax_d(env, D_TWO, 0x7ff0000000000001ull), ==, D_TWO);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fmin_d(env, 0, 0x8000000000000000ull), ==, 0x8000000000000000ull);
    g_assert_cmphex(helper_fmax_s(env, BOX(0x80000000u), BOX(0)), ==, BOX(0));
    /* Comparisons: feq is quiet, flt/fle signal on any NaN. */
    g_assert_cmpint(helper_feq_d(env, D_QNAN, D_QNAN), ==, 0);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmpint(helper_flt_d(env, D_QNAN, D_ONE), ==, 0);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    g_assert_cmpint(helper_fle_s(env, BOX(0x80000000u), BOX(0)), ==, 1);
    g_assert_cmpint(helper_flt_s(env, BOX(0x80000000u), BOX(0)), ==, 0);
    rvh_teardown();
}

/*
 * Tininess after rounding (RISC-V 11.2, like x86): a product just below
 * the smallest normal that rounds to it with an unbounded exponent is not
 * tiny (NX only); one that stays below it is (UF and NX), even when the
 * subnormal rounding carries it up to the smallest normal.
 */
static void test_underflow(void)
{
    setup();
    /* (1 - 2^-52) * 2^-1022 (1 + 2^-52) = 2^-1022 (1 - 2^-104) */
    g_assert_cmphex(helper_fmul_d(env, 0x3feffffffffffffeull, 0x0010000000000001ull, DYN), ==,
                    0x0010000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FFLAGS, 0);
    /* (1 - 2^-53) * 2^-1022: tiny after rounding, then rounded (a tie) up to 2^-1022 */
    g_assert_cmphex(helper_fmul_d(env, 0x3fefffffffffffffull, 0x0010000000000000ull, DYN), ==,
                    0x0010000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, UF | NX);
    csr_wr(CSR_FFLAGS, NX);
    /* The same in single, with NX already accrued. */
    g_assert_cmphex(helper_fmul_s(env, BOX(0x3f7ffffeu), BOX(0x00800001u), DYN), ==,
                    BOX(0x00800000u));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    g_assert_cmphex(helper_fmul_s(env, BOX(0x3f7fffffu), BOX(0x00800000u), DYN), ==,
                    BOX(0x00800000u));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, UF | NX);
    csr_wr(CSR_FFLAGS, 0);
    /* An exact subnormal result raises nothing; an inexact one UF and NX. */
    g_assert_cmphex(helper_fmul_d(env, 0x0010000000000000ull, 0x3fe0000000000000ull, DYN), ==,
                    0x0008000000000000ull);
    g_assert_cmphex(helper_fsub_d(env, 0x0010000000000001ull, 0x0010000000000000ull, DYN), ==, 1);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    g_assert_cmphex(helper_fdiv_d(env, 1, D_THREE, DYN), ==, 0);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, UF | NX);
    csr_wr(CSR_FFLAGS, 0);
    /* Narrowing below the single range; overflow on the way. */
    g_assert_cmphex(helper_fcvt_s_d(env, 0x3698000000000000ull, DYN), ==,
                    BOX(1)); /* 1.5 * 2^-150 */
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, UF | NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fmul_d(env, 0x7fefffffffffffffull, D_TWO, DYN), ==,
                    0x7ff0000000000000ull);
    g_assert_cmphex(helper_fmul_d(env, 0x7fefffffffffffffull, D_TWO, RTZ), ==,
                    0x7fefffffffffffffull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, OF | NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fdiv_d(env, D_ONE, 0x8000000000000000ull, DYN), ==,
                    0xfff0000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, DZ);
    rvh_teardown();
}

/* Conversions: ties, the range edges, and what saturates (NV, no NX). */
static void test_convert(void)
{
    setup();
    g_assert_cmpint((int64_t)helper_fcvt_w_d(env, 0xbfe0000000000000ull, RNE), ==, 0); /* -0.5 */
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmpint((int64_t)helper_fcvt_wu_d(env, 0xbfe0000000000000ull, RTZ), ==, 0);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmpint((int64_t)helper_fcvt_wu_d(env, 0xbff0000000000000ull, RTZ), ==, 0); /* -1 */
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    /* 2^32 - 1 as wu: exact, and sign-extended from bit 31. */
    g_assert_cmphex(helper_fcvt_wu_d(env, 0x41efffffffe00000ull, RTZ), ==, ~0ull);
    g_assert_cmphex(helper_fcvt_w_d(env, 0xc1e0000000000000ull, RNE), ==, 0xffffffff80000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* 2^31 - 0.5 to nearest even: 2^31, which saturates. */
    g_assert_cmphex(helper_fcvt_w_d(env, 0x41dfffffffe00000ull, RNE), ==, 0x7fffffff);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fcvt_lu_s(env, BOX(0x5f800000u), DYN), ==, ~0ull); /* 2^64 */
    g_assert_cmphex(helper_fcvt_l_d(env, D_QNAN, RTZ), ==, 0x7fffffffffffffffull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NV);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fcvt_lu_d(env, 0x43e0000000000001ull, RNE), ==, 0x8000000000000800ull);
    g_assert_cmphex(helper_fcvt_l_s(env, BOX(0xcf000000u), RTZ), ==, 0xffffffff80000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, 0);
    /* From integers: 2^24 + 1 does not fit a single; ties to even, or up in RUP. */
    g_assert_cmphex(helper_fcvt_s_w(env, 16777217, DYN), ==, BOX(0x4b800000u));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    g_assert_cmphex(helper_fcvt_s_w(env, 16777217, RUP), ==, BOX(0x4b800001u));
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fcvt_d_w(env, (uint64_t)-7, RTZ), ==, 0xc01c000000000000ull);
    g_assert_cmphex(helper_fcvt_d_lu(env, ~0ull, DYN), ==, 0x43f0000000000000ull);
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    csr_wr(CSR_FFLAGS, 0);
    g_assert_cmphex(helper_fcvt_d_lu(env, ~0ull, RTZ), ==, 0x43efffffffffffffull);
    g_assert_cmphex(helper_fcvt_s_lu(env, 0x8000000000000000ull, DYN), ==, BOX(0x5f000000u));
    g_assert_cmphex(csr_rd(CSR_FFLAGS), ==, NX);
    rvh_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-fpu/flags/accrue", test_flags_accrue);
    g_test_add_func("/riscv-fpu/flags/after-clear", test_flags_after_clear);
    g_test_add_func("/riscv-fpu/rounding-modes", test_rounding_modes);
    g_test_add_func("/riscv-fpu/fma/single-rounding", test_fma_single_rounding);
    g_test_add_func("/riscv-fpu/nan", test_nan);
    g_test_add_func("/riscv-fpu/underflow", test_underflow);
    g_test_add_func("/riscv-fpu/convert", test_convert);
    return g_test_run();
}
