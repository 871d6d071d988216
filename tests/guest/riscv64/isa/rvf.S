/*
 * F: single precision (Unprivileged ISA 20191213, chapter 11; IEEE
 * 754-2008).  Results are checked as NaN-boxed 64-bit register patterns,
 * flags through fflags (NV=16 DZ=8 OF=4 UF=2 NX=1).  Expected values:
 * correctly rounded IEEE results; canonical NaN 0x7fc00000 for every NaN
 * result; tininess detected after rounding; conversions to integers
 * saturate (NaN to the largest value) with invalid and without inexact.
 */
#include "isa-test.h"

#define BOX 0xffffffff00000000
#define ONE 0x3f800000

    .data
    .balign 8
fdata:
    .word 0x3f800000
    .word 0

TEST_START
    /* arithmetic */
    FLIS fa1, 0x3fc00000        /* 1.5 */
    FLIS fa2, 0x40100000        /* 2.25 */
    fadd.s fa0, fa1, fa2
    CHECKF fadd_s, fa0, BOX | 0x40700000
    CHECK_FLAGS fadd_s_exact, 0
    fsub.s fa0, fa1, fa2
    CHECKF fsub_s, fa0, BOX | 0xbf400000
    fmul.s fa0, fa1, fa2
    CHECKF fmul_s, fa0, BOX | 0x40580000
    CHECK_FLAGS fmul_s_exact, 0
    FLIS fa1, ONE
    FLIS fa2, 0x40400000        /* 3 */
    fdiv.s fa0, fa1, fa2
    CHECKF fdiv_s_rne, fa0, BOX | 0x3eaaaaab
    CHECK_FLAGS fdiv_s_inexact, 1
    fdiv.s fa0, fa1, fa2, rtz
    CHECKF fdiv_s_rtz, fa0, BOX | 0x3eaaaaaa
    FLIS fa1, 0x40000000        /* 2 */
    fsqrt.s fa0, fa1
    CHECKF fsqrt_s, fa0, BOX | 0x3fb504f3
    FLIS fa1, 0xbf800000
    fsqrt.s fa0, fa1
    CHECKF fsqrt_s_negative, fa0, BOX | 0x7fc00000
    CHECK_FLAGS fsqrt_s_flags, 0x11
    FLIS fa1, ONE
    FLIS ft11, 0
    fdiv.s fa0, fa1, ft11
    CHECKF fdiv_s_by_zero, fa0, BOX | 0x7f800000
    CHECK_FLAGS fdiv_s_by_zero_flags, 8

    /* -1 - 2^-24 is a tie: each static rounding mode picks its side */
    FLIS fa1, 0xbf800000
    FLIS fa2, 0x33800000
    fsub.s fa0, fa1, fa2, rne
    CHECKF rm_rne, fa0, BOX | 0xbf800000
    fsub.s fa0, fa1, fa2, rtz
    CHECKF rm_rtz, fa0, BOX | 0xbf800000
    fsub.s fa0, fa1, fa2, rdn
    CHECKF rm_rdn, fa0, BOX | 0xbf800001
    fsub.s fa0, fa1, fa2, rup
    CHECKF rm_rup, fa0, BOX | 0xbf800000
    fsub.s fa0, fa1, fa2, rmm
    CHECKF rm_rmm, fa0, BOX | 0xbf800001
    CHECK_FLAGS rm_inexact, 1
    /* dynamic rounding mode from frm */
    fsrmi 2
    fsub.s fa0, fa1, fa2
    CHECKF rm_dyn_rdn, fa0, BOX | 0xbf800001
    frrm a0
    CHECK frrm, a0, 2
    fsrmi 4
    fsub.s fa0, fa1, fa2, dyn
    CHECKF rm_dyn_rmm, fa0, BOX | 0xbf800001
    fsrmi 0
    csrwi fflags, 0
    /* fcsr = frm << 5 | fflags */
    li a0, 0x65
    fscsr a0
    frcsr a1
    CHECK fcsr_roundtrip, a1, 0x65
    frflags a1
    CHECK fflags_from_fcsr, a1, 5
    frrm a1
    CHECK frm_from_fcsr, a1, 3
    fscsr zero

    /* overflow, and underflow with tininess after rounding */
    FLIS fa1, 0x7f7fffff
    FLIS fa2, 0x40000000
    fmul.s fa0, fa1, fa2
    CHECKF overflow_rne, fa0, BOX | 0x7f800000
    CHECK_FLAGS overflow_flags, 5
    fmul.s fa0, fa1, fa2, rtz
    CHECKF overflow_rtz, fa0, BOX | 0x7f7fffff
    csrwi fflags, 0
    FLIS fa1, 0x3f7ffffe        /* 1 - 2^-23 */
    FLIS fa2, 0x00800001        /* 2^-126 (1 + 2^-23) */
    fmul.s fa0, fa1, fa2
    CHECKF tiny_before_not_after, fa0, BOX | 0x00800000
    CHECK_FLAGS not_tiny_after_rounding, 1
    fmul.s fa0, fa1, fa2, rtz
    CHECKF underflow_rtz, fa0, BOX | 0x007fffff
    CHECK_FLAGS underflow_flags, 3
    FLIS fa1, 0x00000003
    FLIS fa2, 0x40000000
    fmul.s fa0, fa1, fa2
    CHECKF exact_subnormal, fa0, BOX | 0x00000006
    CHECK_FLAGS exact_subnormal_no_flags, 0

    /* NaNs: every NaN result is canonical; sNaN operands raise NV */
    FLIS fa1, 0x7fc12345
    FLIS fa2, ONE
    fadd.s fa0, fa1, fa2
    CHECKF qnan_operand_canonical, fa0, BOX | 0x7fc00000
    CHECK_FLAGS qnan_operand_no_flags, 0
    FLIS fa1, 0xff800001
    fmul.s fa0, fa1, fa2
    CHECKF snan_operand_canonical, fa0, BOX | 0x7fc00000
    CHECK_FLAGS snan_operand_nv, 16
    FLIS fa1, 0x7f800000
    FLIS fa2, 0xff800000
    fadd.s fa0, fa1, fa2
    CHECKF inf_minus_inf, fa0, BOX | 0x7fc00000
    CHECK_FLAGS inf_minus_inf_nv, 16

    /* NaN boxing: an improperly boxed single reads as the canonical NaN */
    li a0, ONE
    fmv.d.x fa1, a0             /* upper half zero: not boxed */
    fadd.s fa0, fa1, fa1
    CHECKF unboxed_is_canonical_nan, fa0, BOX | 0x7fc00000
    CHECK_FLAGS unboxed_no_flags, 0
    FLIS fa2, ONE
    fsgnj.s fa0, fa1, fa2
    CHECKF fsgnj_unboxed, fa0, BOX | 0x7fc00000
    fmv.x.w a0, fa1
    CHECK fmv_x_w_takes_low_bits, a0, ONE
    fclass.s a0, fa1
    CHECK fclass_unboxed_is_qnan, a0, 512
    la t0, fdata
    flw fa0, 0(t0)
    CHECKF flw_boxes, fa0, BOX | ONE
    fsw fa1, 4(t0)
    lw a0, 4(t0)
    CHECK fsw_stores_low_bits, a0, ONE

    /* sign injection */
    FLIS fa1, 0x40000000        /* 2 */
    FLIS fa2, 0xbf800000        /* -1 */
    fsgnj.s fa0, fa1, fa2
    CHECKF fsgnj_s, fa0, BOX | 0xc0000000
    fsgnjn.s fa0, fa1, fa2
    CHECKF fsgnjn_s, fa0, BOX | 0x40000000
    fsgnjx.s fa0, fa2, fa2
    CHECKF fsgnjx_s_abs, fa0, BOX | 0x3f800000
    fneg.s fa0, fa1
    CHECKF fneg_s, fa0, BOX | 0xc0000000
    fmv.w.x fa0, zero
    fmv.x.w a0, fa0
    CHECK fmv_w_x_zero, a0, 0
    li a0, 0xffffffff80000000
    fmv.w.x fa0, a0
    fmv.x.w a1, fa0
    CHECK fmv_x_w_sign_extends, a1, 0xffffffff80000000

    /* min/max (2.2: -0 < +0; one NaN gives the other operand; sNaN raises NV) */
    FLIS fa1, 0x80000000
    FLIS fa2, 0
    fmin.s fa0, fa1, fa2
    CHECKF fmin_signed_zero, fa0, BOX | 0x80000000
    fmax.s fa0, fa2, fa1
    CHECKF fmax_signed_zero, fa0, BOX | 0
    FLIS fa1, 0x7fc00000
    FLIS fa2, ONE
    fmin.s fa0, fa1, fa2
    CHECKF fmin_qnan, fa0, BOX | ONE
    CHECK_FLAGS fmin_qnan_no_flags, 0
    FLIS fa1, 0x7f800001
    fmax.s fa0, fa2, fa1
    CHECKF fmax_snan, fa0, BOX | ONE
    CHECK_FLAGS fmax_snan_nv, 16
    FLIS fa2, 0xffc00000
    fmax.s fa0, fa1, fa2
    CHECKF fmax_two_nans, fa0, BOX | 0x7fc00000
    csrwi fflags, 0

    /* comparisons: feq is quiet, flt/fle signal on any NaN */
    FLIS fa1, 0x7fc00000
    FLIS fa2, ONE
    feq.s a0, fa1, fa2
    CHECK feq_qnan, a0, 0
    CHECK_FLAGS feq_qnan_quiet, 0
    flt.s a0, fa1, fa2
    CHECK flt_qnan, a0, 0
    CHECK_FLAGS flt_qnan_nv, 16
    fle.s a0, fa2, fa1
    CHECK_FLAGS fle_qnan_nv, 16
    FLIS fa1, 0x7f800001
    feq.s a0, fa1, fa1
    CHECK_FLAGS feq_snan_nv, 16
    FLIS fa1, 0x80000000
    FLIS fa2, 0
    feq.s a0, fa1, fa2
    CHECK feq_zeros, a0, 1
    flt.s a0, fa1, fa2
    CHECK flt_zeros, a0, 0
    fle.s a0, fa1, fa2
    CHECK fle_zeros, a0, 1
    FLIS fa1, 0xff800000
    FLIS fa2, 0xff7fffff
    flt.s a0, fa1, fa2
    CHECK flt_neg_inf, a0, 1

    /* fclass */
    FLIS fa1, 0xff800000
    fclass.s a0, fa1
    CHECK fclass_neg_inf, a0, 1
    FLIS fa1, 0xbf800000
    fclass.s a0, fa1
    CHECK fclass_neg_normal, a0, 2
    FLIS fa1, 0x80000001
    fclass.s a0, fa1
    CHECK fclass_neg_subnormal, a0, 4
    FLIS fa1, 0x80000000
    fclass.s a0, fa1
    CHECK fclass_neg_zero, a0, 8
    FLIS fa1, 0
    fclass.s a0, fa1
    CHECK fclass_pos_zero, a0, 16
    FLIS fa1, 0x007fffff
    fclass.s a0, fa1
    CHECK fclass_pos_subnormal, a0, 32
    FLIS fa1, 0x00800000
    fclass.s a0, fa1
    CHECK fclass_pos_normal, a0, 64
    FLIS fa1, 0x7f800000
    fclass.s a0, fa1
    CHECK fclass_pos_inf, a0, 128
    FLIS fa1, 0x7f800001
    fclass.s a0, fa1
    CHECK fclass_snan, a0, 256
    FLIS fa1, 0x7fc00000
    fclass.s a0, fa1
    CHECK fclass_qnan, a0, 512
    CHECK_FLAGS fclass_no_flags, 0

    /* FP -> integer: rounding and saturation */
    FLIS fa1, 0x40200000        /* 2.5 */
    fcvt.w.s a0, fa1, rne
    CHECK fcvt_w_s_rne_tie, a0, 2
    CHECK_FLAGS fcvt_inexact, 1
    fcvt.w.s a0, fa1, rmm
    CHECK fcvt_w_s_rmm_tie, a0, 3
    FLIS fa1, 0xc0200000        /* -2.5 */
    fcvt.w.s a0, fa1, rdn
    CHECK fcvt_w_s_rdn, a0, -3
    fcvt.w.s a0, fa1, rtz
    CHECK fcvt_w_s_rtz, a0, -2
    fcvt.w.s a0, fa1, rup
    CHECK fcvt_w_s_rup, a0, -2
    csrwi fflags, 0
    FLIS fa1, 0x7fc00000
    fcvt.w.s a0, fa1, rtz
    CHECK fcvt_w_s_nan, a0, 0x7fffffff
    CHECK_FLAGS fcvt_w_s_nan_nv, 16
    FLIS fa1, 0xff800000
    fcvt.w.s a0, fa1, rtz
    CHECK fcvt_w_s_neg_inf, a0, 0xffffffff80000000
    FLIS fa1, 0x4f32d05e        /* 3e9 */
    fcvt.w.s a0, fa1, rtz
    CHECK fcvt_w_s_overflow, a0, 0x7fffffff
    CHECK_FLAGS fcvt_overflow_nv_only, 16
    fcvt.wu.s a0, fa1, rtz
    CHECK fcvt_wu_s_sign_extends, a0, 0xffffffffb2d05e00
    CHECK_FLAGS fcvt_wu_s_exact, 0
    FLIS fa1, 0xbf800000
    fcvt.wu.s a0, fa1, rtz
    CHECK fcvt_wu_s_negative, a0, 0
    CHECK_FLAGS fcvt_wu_s_negative_nv, 16
    FLIS fa1, 0xbe99999a        /* -0.3 */
    fcvt.wu.s a0, fa1, rtz
    CHECK fcvt_wu_s_small_negative, a0, 0
    CHECK_FLAGS fcvt_wu_s_small_negative_nx, 1
    FLIS fa1, 0x7fc00000
    fcvt.wu.s a0, fa1, rtz
    CHECK fcvt_wu_s_nan, a0, 0xffffffffffffffff
    FLIS fa1, 0x5f000000        /* 2^63 */
    fcvt.l.s a0, fa1, rtz
    CHECK fcvt_l_s_overflow, a0, 0x7fffffffffffffff
    fcvt.lu.s a0, fa1, rtz
    CHECK fcvt_lu_s, a0, 0x8000000000000000
    FLIS fa1, 0xdf000000        /* -2^63 */
    csrwi fflags, 0
    fcvt.l.s a0, fa1, rtz
    CHECK fcvt_l_s_min, a0, 0x8000000000000000
    CHECK_FLAGS fcvt_l_s_min_exact, 0
    FLIS fa1, 0x7f800000
    fcvt.lu.s a0, fa1, rtz
    CHECK fcvt_lu_s_inf, a0, 0xffffffffffffffff
    csrwi fflags, 0

    /* integer -> FP */
    li a0, -1
    fcvt.s.w fa0, a0
    CHECKF fcvt_s_w, fa0, BOX | 0xbf800000
    li a0, 0x100000002
    fcvt.s.w fa0, a0
    CHECKF fcvt_s_w_low_word, fa0, BOX | 0x40000000
    li a0, 0xffffffff
    fcvt.s.wu fa0, a0
    CHECKF fcvt_s_wu, fa0, BOX | 0x4f800000
    CHECK_FLAGS fcvt_s_wu_inexact, 1
    li a0, 16777217
    fcvt.s.l fa0, a0, rne
    CHECKF fcvt_s_l_tie_even, fa0, BOX | 0x4b800000
    fcvt.s.l fa0, a0, rup
    CHECKF fcvt_s_l_rup, fa0, BOX | 0x4b800001
    li a0, -1
    fcvt.s.lu fa0, a0
    CHECKF fcvt_s_lu_max, fa0, BOX | 0x5f800000
    csrwi fflags, 0

    /* fused multiply-add: one rounding */
    FLIS fa1, 0x3f800001        /* 1 + 2^-23 */
    FLIS fa2, 0x3f800002        /* 1 + 2^-22 */
    fmsub.s fa0, fa1, fa1, fa2
    CHECKF fmsub_s_single_rounding, fa0, BOX | 0x28800000
    CHECK_FLAGS fmsub_s_exact, 0
    fmul.s fa3, fa1, fa1
    fsub.s fa0, fa3, fa2
    CHECKF fmul_fsub_double_rounding, fa0, BOX | 0
    FLIS fa1, ONE
    FLIS fa2, 0x40000000
    FLIS fa3, 0x40400000
    fmadd.s fa0, fa1, fa2, fa3
    CHECKF fmadd_s, fa0, BOX | 0x40a00000
    fnmadd.s fa0, fa1, fa2, fa3
    CHECKF fnmadd_s, fa0, BOX | 0xc0a00000
    fnmsub.s fa0, fa1, fa2, fa3
    CHECKF fnmsub_s, fa0, BOX | 0x3f800000
    csrwi fflags, 0
    FLIS fa1, 0x7f800000
    FLIS fa2, 0
    FLIS fa3, 0x7fc00000
    fmadd.s fa0, fa1, fa2, fa3
    CHECKF fmadd_inf_zero_qnan, fa0, BOX | 0x7fc00000
    CHECK_FLAGS fmadd_inf_zero_qnan_nv, 16
TEST_END
