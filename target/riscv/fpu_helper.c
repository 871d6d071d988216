/*
 * RISC-V F and D instructions on top of the shared host-FP layer
 * (include/fpu/host-fp.h).  What is RISC-V's own lives here: the rounding
 * mode comes from the instruction or, for DYN, from frm (the translator has
 * already rejected invalid modes); the flags accrue into fflags; NaN
 * results are the canonical NaN; singles are NaN-boxed in the 64-bit
 * registers, and an improperly boxed input reads as the canonical NaN;
 * conversions to integers saturate, NaN going to the largest integer
 * (Unprivileged ISA 20191213, sections 11.2, 11.7 and 12.2).
 */
#include "fpu/host-fp.h"
#include "cpu.h"
#include "helper.h"
#include "internals.h"

/* A status for one operation with rounding mode field `rm`. */
static HostFPStatus riscv_fp_status(const CPURISCVState *env, uint32_t rm)
{
    HostFPStatus s;

    hfp_status_init(&s);
    s.round = (HostFPRound)(rm == RISCV_FRM_DYN ? env->frm : rm);
    s.nan_mode = HFP_NAN_DEFAULT;
    s.nan_to_int = HFP_NAN_TO_INT_MAX;
    s.default_nan32 = RISCV_DEFAULT_NAN_S;
    s.default_nan64 = RISCV_DEFAULT_NAN_D;
    return s;
}

static void riscv_fp_accrue(CPURISCVState *env, const HostFPStatus *s)
{
    /* HFP_FLAG_* has the fflags layout. */
    env->fflags |= s->flags;
}

static uint32_t unbox_s(uint64_t v)
{
    return (v & RISCV_NANBOX_MASK) == RISCV_NANBOX_MASK ? (uint32_t)v : RISCV_DEFAULT_NAN_S;
}

static uint64_t box_s(uint32_t v)
{
    return RISCV_NANBOX_MASK | v;
}

/* ---- single precision ---- */

#define RISCV_FP_BINOP_S(name, fn)                                                                 \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, uint32_t rm)                \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, rm);                                                 \
        uint32_t r = fn(&s, unbox_s(a), unbox_s(b));                                               \
        riscv_fp_accrue(env, &s);                                                                  \
        return box_s(r);                                                                           \
    }

RISCV_FP_BINOP_S(fadd_s, hfp_add32)
RISCV_FP_BINOP_S(fsub_s, hfp_sub32)
RISCV_FP_BINOP_S(fmul_s, hfp_mul32)
RISCV_FP_BINOP_S(fdiv_s, hfp_div32)

uint64_t helper_fsqrt_s(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint32_t r = hfp_sqrt32(&s, unbox_s(a));

    riscv_fp_accrue(env, &s);
    return box_s(r);
}

static uint64_t fma_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm,
                      int negate)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint32_t r = hfp_muladd32(&s, unbox_s(a), unbox_s(b), unbox_s(c), negate);

    riscv_fp_accrue(env, &s);
    return box_s(r);
}

/* fmadd: a*b+c; fmsub: a*b-c; fnmsub: -(a*b)+c; fnmadd: -(a*b)-c */
uint64_t helper_fmadd_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_s(env, a, b, c, rm, 0);
}

uint64_t helper_fmsub_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_s(env, a, b, c, rm, HFP_MULADD_NEGATE_C);
}

uint64_t helper_fnmsub_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_s(env, a, b, c, rm, HFP_MULADD_NEGATE_PRODUCT);
}

uint64_t helper_fnmadd_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_s(env, a, b, c, rm, HFP_MULADD_NEGATE_PRODUCT | HFP_MULADD_NEGATE_C);
}

/* min/max/compare do not round: the status only collects flags. */
#define RISCV_FP_NOROUND_S(name, expr)                                                             \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b)                             \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, RISCV_FRM_RNE);                                      \
        uint32_t x = unbox_s(a), y = unbox_s(b);                                                   \
        uint64_t r = (expr);                                                                       \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

RISCV_FP_NOROUND_S(fmin_s, box_s(hfp_min_num32(&s, x, y)))
RISCV_FP_NOROUND_S(fmax_s, box_s(hfp_max_num32(&s, x, y)))
RISCV_FP_NOROUND_S(feq_s, hfp_eq32(&s, x, y))
RISCV_FP_NOROUND_S(flt_s, hfp_lt32(&s, x, y))
RISCV_FP_NOROUND_S(fle_s, hfp_le32(&s, x, y))

uint64_t helper_fclass_s(uint64_t a)
{
    return hfp_class32(unbox_s(a));
}

/* Conversions with a result in an integer register; 32-bit results are sign-extended. */
#define RISCV_FP_TO_INT(name, type, fn, unbox)                                                     \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint32_t rm)                            \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, rm);                                                 \
        type r = fn(&s, unbox(a));                                                                 \
        riscv_fp_accrue(env, &s);                                                                  \
        return (uint64_t)(int64_t)r;                                                               \
    }

#define RISCV_INT_TO_FP(name, type, fn, box)                                                       \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint32_t rm)                            \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, rm);                                                 \
        uint64_t r = box(fn(&s, (type)a));                                                         \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

/* The unsigned 32-bit result is sign-extended too (bit 31 copied), as the ISA says. */
RISCV_FP_TO_INT(fcvt_w_s, int32_t, hfp_f32_to_i32, unbox_s)
RISCV_FP_TO_INT(fcvt_wu_s, int32_t, (int32_t)hfp_f32_to_u32, unbox_s)
RISCV_FP_TO_INT(fcvt_l_s, int64_t, hfp_f32_to_i64, unbox_s)
RISCV_FP_TO_INT(fcvt_lu_s, int64_t, (int64_t)hfp_f32_to_u64, unbox_s)
RISCV_INT_TO_FP(fcvt_s_w, int32_t, hfp_i32_to_f32, box_s)
RISCV_INT_TO_FP(fcvt_s_wu, uint32_t, hfp_u32_to_f32, box_s)
RISCV_INT_TO_FP(fcvt_s_l, int64_t, hfp_i64_to_f32, box_s)
RISCV_INT_TO_FP(fcvt_s_lu, uint64_t, hfp_u64_to_f32, box_s)

/* ---- double precision ---- */

static uint64_t raw_d(uint64_t v)
{
    return v;
}

#define RISCV_FP_BINOP_D(name, fn)                                                                 \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, uint32_t rm)                \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, rm);                                                 \
        uint64_t r = fn(&s, a, b);                                                                 \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

RISCV_FP_BINOP_D(fadd_d, hfp_add64)
RISCV_FP_BINOP_D(fsub_d, hfp_sub64)
RISCV_FP_BINOP_D(fmul_d, hfp_mul64)
RISCV_FP_BINOP_D(fdiv_d, hfp_div64)

uint64_t helper_fsqrt_d(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint64_t r = hfp_sqrt64(&s, a);

    riscv_fp_accrue(env, &s);
    return r;
}

static uint64_t fma_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm,
                      int negate)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint64_t r = hfp_muladd64(&s, a, b, c, negate);

    riscv_fp_accrue(env, &s);
    return r;
}

uint64_t helper_fmadd_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_d(env, a, b, c, rm, 0);
}

uint64_t helper_fmsub_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_d(env, a, b, c, rm, HFP_MULADD_NEGATE_C);
}

uint64_t helper_fnmsub_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_d(env, a, b, c, rm, HFP_MULADD_NEGATE_PRODUCT);
}

uint64_t helper_fnmadd_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm)
{
    return fma_d(env, a, b, c, rm, HFP_MULADD_NEGATE_PRODUCT | HFP_MULADD_NEGATE_C);
}

#define RISCV_FP_NOROUND_D(name, expr)                                                             \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b)                             \
    {                                                                                              \
        HostFPStatus s = riscv_fp_status(env, RISCV_FRM_RNE);                                      \
        uint64_t r = (expr);                                                                       \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

RISCV_FP_NOROUND_D(fmin_d, hfp_min_num64(&s, a, b))
RISCV_FP_NOROUND_D(fmax_d, hfp_max_num64(&s, a, b))
RISCV_FP_NOROUND_D(feq_d, hfp_eq64(&s, a, b))
RISCV_FP_NOROUND_D(flt_d, hfp_lt64(&s, a, b))
RISCV_FP_NOROUND_D(fle_d, hfp_le64(&s, a, b))

uint64_t helper_fclass_d(uint64_t a)
{
    return hfp_class64(a);
}

RISCV_FP_TO_INT(fcvt_w_d, int32_t, hfp_f64_to_i32, raw_d)
RISCV_FP_TO_INT(fcvt_wu_d, int32_t, (int32_t)hfp_f64_to_u32, raw_d)
RISCV_FP_TO_INT(fcvt_l_d, int64_t, hfp_f64_to_i64, raw_d)
RISCV_FP_TO_INT(fcvt_lu_d, int64_t, (int64_t)hfp_f64_to_u64, raw_d)
RISCV_INT_TO_FP(fcvt_d_w, int32_t, hfp_i32_to_f64, raw_d)
RISCV_INT_TO_FP(fcvt_d_wu, uint32_t, hfp_u32_to_f64, raw_d)
RISCV_INT_TO_FP(fcvt_d_l, int64_t, hfp_i64_to_f64, raw_d)
RISCV_INT_TO_FP(fcvt_d_lu, uint64_t, hfp_u64_to_f64, raw_d)

uint64_t helper_fcvt_s_d(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint32_t r = hfp_f64_to_f32(&s, a);

    riscv_fp_accrue(env, &s);
    return box_s(r);
}

uint64_t helper_fcvt_d_s(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint64_t r = hfp_f32_to_f64(&s, unbox_s(a));

    riscv_fp_accrue(env, &s);
    return r;
}
