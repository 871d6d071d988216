/*
 * D: double precision and the conversions between the formats
 * (Unprivileged ISA 20191213, chapter 12; IEEE 754-2008).  Flags: NV=16
 * DZ=8 OF=4 UF=2 NX=1; canonical NaN 0x7ff8000000000000.
 */
#include "isa-test.h"

#define BOX 0xffffffff00000000

    .data
    .balign 8
ddata:
    .dword 0x400921fb54442d18
    .dword 0

TEST_START
    FLI fa1, 0x3fb999999999999a         /* 0.1 */
    FLI fa2, 0x3fc999999999999a         /* 0.2 */
    fadd.d fa0, fa1, fa2
    CHECKF fadd_d, fa0, 0x3fd3333333333334
    CHECK_FLAGS fadd_d_inexact, 1
    FLI fa1, 0x3ff0000000000000
    FLI fa2, 0x4008000000000000         /* 3 */
    fdiv.d fa0, fa1, fa2
    CHECKF fdiv_d, fa0, 0x3fd5555555555555
    fdiv.d fa0, fa1, fa2, rup
    CHECKF fdiv_d_rup, fa0, 0x3fd5555555555556
    FLI fa1, 0x4000000000000000
    fsqrt.d fa0, fa1
    CHECKF fsqrt_d, fa0, 0x3ff6a09e667f3bcd
    FLI fa1, 0x8000000000000000
    fsqrt.d fa0, fa1
    CHECKF fsqrt_d_neg_zero, fa0, 0x8000000000000000
    csrwi fflags, 0
    FLI fa1, 0x4004000000000000         /* 2.5 */
    FLI fa2, 0xc010000000000000         /* -4 */
    fmul.d fa0, fa1, fa2
    CHECKF fmul_d, fa0, 0xc024000000000000
    fsub.d fa0, fa1, fa2
    CHECKF fsub_d, fa0, 0x401a000000000000
    CHECK_FLAGS fmul_fsub_exact, 0

    /* rounding: 1 + 0.75 ulp */
    FLI fa1, 0x3ff0000000000000
    FLI fa2, 0x3ca8000000000000
    fadd.d fa0, fa1, fa2, rne
    CHECKF rm_rne, fa0, 0x3ff0000000000001
    fadd.d fa0, fa1, fa2, rdn
    CHECKF rm_rdn, fa0, 0x3ff0000000000000
    fadd.d fa0, fa1, fa2, rmm
    CHECKF rm_rmm, fa0, 0x3ff0000000000001
    /* -(1 + 2^-53): a tie */
    FLI fa1, 0xbff0000000000000
    FLI fa2, 0x3ca0000000000000
    fsub.d fa0, fa1, fa2, rne
    CHECKF tie_rne, fa0, 0xbff0000000000000
    fsub.d fa0, fa1, fa2, rmm
    CHECKF tie_rmm, fa0, 0xbff0000000000001
    fsub.d fa0, fa1, fa2, rup
    CHECKF tie_rup, fa0, 0xbff0000000000000
    csrwi fflags, 0

    /* overflow and underflow (tininess after rounding) */
    FLI fa1, 0x7fefffffffffffff
    FLI fa2, 0x4000000000000000
    fmul.d fa0, fa1, fa2
    CHECKF overflow, fa0, 0x7ff0000000000000
    CHECK_FLAGS overflow_flags, 5
    fmul.d fa0, fa1, fa2, rdn
    CHECKF overflow_rdn, fa0, 0x7fefffffffffffff
    csrwi fflags, 0
    FLI fa1, 0x3feffffffffffffe         /* 1 - 2^-52 */
    FLI fa2, 0x0010000000000001         /* 2^-1022 (1 + 2^-52) */
    fmul.d fa0, fa1, fa2
    CHECKF not_tiny_after_rounding, fa0, 0x0010000000000000
    CHECK_FLAGS not_tiny_flags, 1
    fmul.d fa0, fa1, fa2, rtz
    CHECKF underflow_rtz, fa0, 0x000fffffffffffff
    CHECK_FLAGS underflow_flags, 3

    /* NaNs */
    FLI fa1, 0x7ff0000000000001
    FLI fa2, 0x3ff0000000000000
    fadd.d fa0, fa1, fa2
    CHECKF snan_canonical, fa0, 0x7ff8000000000000
    CHECK_FLAGS snan_nv, 16
    FLI fa1, 0xfff8000000001234
    fmul.d fa0, fa1, fa2
    CHECKF qnan_canonical, fa0, 0x7ff8000000000000
    CHECK_FLAGS qnan_quiet, 0
    FLI fa1, 0
    fdiv.d fa0, fa1, fa1
    CHECKF zero_div_zero, fa0, 0x7ff8000000000000
    CHECK_FLAGS zero_div_zero_nv, 16

    /* fused multiply-add */
    FLI fa1, 0x3ff0000000000001         /* 1 + 2^-52 */
    FLI fa2, 0x3ff0000000000002         /* 1 + 2^-51 */
    fmsub.d fa0, fa1, fa1, fa2
    CHECKF fmsub_d_single_rounding, fa0, 0x3970000000000000
    fnmadd.d fa0, fa1, fa1, fa2
    CHECKF fnmadd_d, fa0, 0xc000000000000002
    CHECK_FLAGS fnmadd_d_inexact, 1
    fnmsub.d fa0, fa1, fa1, fa2
    CHECKF fnmsub_d, fa0, 0xb970000000000000
    FLI fa3, 0
    fnmadd.d fa0, fa3, fa1, fa3
    CHECKF fnmadd_d_zero_sign, fa0, 0x8000000000000000
    fmadd.d fa0, fa3, fa1, fa3, rdn
    CHECKF fmadd_d_zero, fa0, 0
    csrwi fflags, 0

    /* single <-> double */
    FLI fa1, 0x3ff0000010000000         /* 1 + 2^-24: a tie for singles */
    fcvt.s.d fa0, fa1
    CHECKF fcvt_s_d_tie_even, fa0, BOX | 0x3f800000
    fcvt.s.d fa0, fa1, rmm
    CHECKF fcvt_s_d_rmm, fa0, BOX | 0x3f800001
    CHECK_FLAGS fcvt_s_d_inexact, 1
    FLI fa1, 0x7fefffffffffffff
    fcvt.s.d fa0, fa1
    CHECKF fcvt_s_d_overflow, fa0, BOX | 0x7f800000
    CHECK_FLAGS fcvt_s_d_overflow_flags, 5
    FLI fa1, 0x36a8000000000000         /* 1.5 * 2^-149 */
    fcvt.s.d fa0, fa1
    CHECKF fcvt_s_d_subnormal_tie, fa0, BOX | 0x00000002
    CHECK_FLAGS fcvt_s_d_underflow, 3
    FLI fa1, 0x7ff0000000000001
    fcvt.s.d fa0, fa1
    CHECKF fcvt_s_d_snan, fa0, BOX | 0x7fc00000
    CHECK_FLAGS fcvt_s_d_snan_nv, 16
    FLIS fa1, 0x00000001
    fcvt.d.s fa0, fa1
    CHECKF fcvt_d_s_subnormal, fa0, 0x36a0000000000000
    CHECK_FLAGS fcvt_d_s_exact, 0
    FLIS fa1, 0x7f800001
    fcvt.d.s fa0, fa1
    CHECKF fcvt_d_s_snan, fa0, 0x7ff8000000000000
    CHECK_FLAGS fcvt_d_s_snan_nv, 16
    FLI fa1, 0x000000003f800000         /* not NaN-boxed */
    fcvt.d.s fa0, fa1
    CHECKF fcvt_d_s_unboxed, fa0, 0x7ff8000000000000
    CHECK_FLAGS fcvt_d_s_unboxed_quiet, 0

    /* double -> integer */
    FLI fa1, 0x41dfffffffe00000         /* 2^31 - 0.5 */
    fcvt.w.d a0, fa1, rne
    CHECK fcvt_w_d_rounds_out_of_range, a0, 0x7fffffff
    CHECK_FLAGS fcvt_w_d_nv, 16
    fcvt.w.d a0, fa1, rtz
    CHECK fcvt_w_d_rtz, a0, 0x7fffffff
    CHECK_FLAGS fcvt_w_d_rtz_nx, 1
    FLI fa1, 0xc1e0000000100000         /* -2^31 - 0.5 */
    fcvt.w.d a0, fa1, rne
    CHECK fcvt_w_d_neg_tie, a0, 0xffffffff80000000
    CHECK_FLAGS fcvt_w_d_neg_tie_nx, 1
    fcvt.w.d a0, fa1, rdn
    CHECK fcvt_w_d_neg_overflow, a0, 0xffffffff80000000
    CHECK_FLAGS fcvt_w_d_neg_overflow_nv, 16
    FLI fa1, 0x43e158e460913d00         /* 1e19 */
    fcvt.l.d a0, fa1
    CHECK fcvt_l_d_overflow, a0, 0x7fffffffffffffff
    csrwi fflags, 0
    fcvt.lu.d a0, fa1
    CHECK fcvt_lu_d, a0, 0x8ac7230489e80000
    CHECK_FLAGS fcvt_lu_d_exact, 0
    FLI fa1, 0xfff8000000000000
    fcvt.lu.d a0, fa1
    CHECK fcvt_lu_d_nan, a0, 0xffffffffffffffff
    fcvt.wu.d a0, fa1
    CHECK fcvt_wu_d_nan, a0, 0xffffffffffffffff
    fcvt.l.d a0, fa1
    CHECK fcvt_l_d_nan, a0, 0x7fffffffffffffff
    csrwi fflags, 0
    FLI fa1, 0xbfe0000000000000         /* -0.5 */
    fcvt.l.d a0, fa1, rmm
    CHECK fcvt_l_d_rmm, a0, -1
    fcvt.l.d a0, fa1, rne
    CHECK fcvt_l_d_rne, a0, 0
    CHECK_FLAGS fcvt_l_d_half_inexact, 1

    /* integer -> double */
    li a0, 0x8000000000000000
    fcvt.d.l fa0, a0
    CHECKF fcvt_d_l_min, fa0, 0xc3e0000000000000
    CHECK_FLAGS fcvt_d_l_exact, 0
    li a0, -1
    fcvt.d.lu fa0, a0
    CHECKF fcvt_d_lu_max, fa0, 0x43f0000000000000
    fcvt.d.lu fa0, a0, rtz
    CHECKF fcvt_d_lu_max_rtz, fa0, 0x43efffffffffffff
    CHECK_FLAGS fcvt_d_lu_inexact, 1
    li a0, 0xffffffff
    fcvt.d.wu fa0, a0
    CHECKF fcvt_d_wu, fa0, 0x41efffffffe00000
    fcvt.d.w fa0, a0
    CHECKF fcvt_d_w, fa0, 0xbff0000000000000
    CHECK_FLAGS fcvt_d_w_exact, 0

    /* moves, sign injection, loads and stores */
    la t0, ddata
    fld fa0, 0(t0)
    CHECKF fld, fa0, 0x400921fb54442d18
    fneg.d fa1, fa0
    CHECKF fneg_d, fa1, 0xc00921fb54442d18
    fsd fa1, 8(t0)
    ld a0, 8(t0)
    CHECK fsd, a0, 0xc00921fb54442d18
    fabs.d fa2, fa1
    CHECKF fabs_d, fa2, 0x400921fb54442d18
    fsgnj.d fa2, fa0, fa1
    CHECKF fsgnj_d, fa2, 0xc00921fb54442d18
    fmv.x.d a0, fa1
    CHECK fmv_x_d, a0, 0xc00921fb54442d18
    li a0, 0x7ff0000000000001
    fmv.d.x fa3, a0
    fmv.x.d a1, fa3
    CHECK fmv_d_x_keeps_snan, a1, 0x7ff0000000000001
    CHECK_FLAGS moves_no_flags, 0

    /* min/max, comparisons, class */
    FLI fa1, 0x8000000000000000
    FLI fa2, 0
    fmin.d fa0, fa2, fa1
    CHECKF fmin_d_zeros, fa0, 0x8000000000000000
    fmax.d fa0, fa1, fa2
    CHECKF fmax_d_zeros, fa0, 0
    FLI fa3, 0x7ff0000000000001
    fmin.d fa0, fa3, fa2
    CHECKF fmin_d_snan, fa0, 0
    CHECK_FLAGS fmin_d_snan_nv, 16
    fmax.d fa0, fa3, fa3
    CHECKF fmax_d_nans, fa0, 0x7ff8000000000000
    csrwi fflags, 0
    fle.d a0, fa1, fa2
    CHECK fle_d_zeros, a0, 1
    flt.d a0, fa2, fa1
    CHECK flt_d_zeros, a0, 0
    feq.d a0, fa3, fa3
    CHECK feq_d_snan, a0, 0
    CHECK_FLAGS feq_d_snan_nv, 16
    FLI fa3, 0x000fffffffffffff
    fclass.d a0, fa3
    CHECK fclass_d_subnormal, a0, 32
    FLI fa3, 0xfff0000000000000
    fclass.d a0, fa3
    CHECK fclass_d_neg_inf, a0, 1
    FLI fa3, 0x7ff8000000000000
    fclass.d a0, fa3
    CHECK fclass_d_qnan, a0, 512
TEST_END
