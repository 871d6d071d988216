/*
 * RISC-V F and D instructions on top of the shared host-FP layer
 * (include/fpu/host-fp.h).  What is RISC-V's own lives here: the rounding
 * mode comes from the instruction or, for DYN, from frm (the translator has
 * already rejected invalid modes); the flags accrue into fflags; NaN
 * results are the canonical NaN; singles are NaN-boxed in the 64-bit
 * registers, and an improperly boxed input reads as the canonical NaN;
 * conversions to integers saturate, NaN going to the largest integer
 * (Unprivileged ISA 20191213, sections 11.2, 11.7 and 12.2).
 *
 * In round-to-nearest-even (static RNE, or DYN with frm = RNE) each helper
 * first tries the inline fast path of include/fpu/host-fp-fast.h, which
 * ORs its flags straight into env->fflags; what it declines (other
 * rounding modes, NaNs, overflow, possible underflow, an inexact result it
 * cannot tell while NX is still clear) goes to the full host-FP function
 * through an out-of-line status, so fflags is exact after every
 * instruction and CSR reads need no synchronisation.
 */
#include "fpu/host-fp.h"
#include "fpu/host-fp-fast.h"
#include "cpu.h"
#include "helper.h"
#include "internals.h"

/* A status for one operation with rounding mode field `rm`. */
static HostFPStatus riscv_fp_status(const CPURISCVState *env, uint32_t rm)
{
    return (HostFPStatus){
        .round = (HostFPRound)(rm == RISCV_FRM_DYN ? env->frm : rm),
        .nan_mode = HFP_NAN_DEFAULT,
        .nan_to_int = HFP_NAN_TO_INT_MAX,
        .default_nan32 = RISCV_DEFAULT_NAN_S,
        .default_nan64 = RISCV_DEFAULT_NAN_D,
    };
}

/* Does the operation round to nearest, ties to even (the fast paths' mode)? */
static inline bool riscv_fp_rne(const CPURISCVState *env, uint32_t rm)
{
    return rm == RISCV_FRM_RNE || (rm == RISCV_FRM_DYN && env->frm == RISCV_FRM_RNE);
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

/*
 * The full paths, out of line so that the fast paths need no stack frame.
 * Each builds the status, runs the host-FP function and accrues its flags.
 */
typedef uint32_t HfpBin32(HostFPStatus *s, uint32_t a, uint32_t b);
typedef uint64_t HfpBin64(HostFPStatus *s, uint64_t a, uint64_t b);
typedef uint32_t HfpFma32(HostFPStatus *s, uint32_t a, uint32_t b, uint32_t c, int negate);
typedef uint64_t HfpFma64(HostFPStatus *s, uint64_t a, uint64_t b, uint64_t c, int negate);

static __attribute__((noinline)) uint32_t full_bin32(CPURISCVState *env, uint32_t rm, HfpBin32 *fn,
                                                     uint32_t a, uint32_t b)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint32_t r = fn(&s, a, b);

    riscv_fp_accrue(env, &s);
    return r;
}

static __attribute__((noinline)) uint64_t full_bin64(CPURISCVState *env, uint32_t rm, HfpBin64 *fn,
                                                     uint64_t a, uint64_t b)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint64_t r = fn(&s, a, b);

    riscv_fp_accrue(env, &s);
    return r;
}

static __attribute__((noinline)) uint32_t full_fma32(CPURISCVState *env, uint32_t rm, uint32_t a,
                                                     uint32_t b, uint32_t c, int negate)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint32_t r = hfp_muladd32(&s, a, b, c, negate);

    riscv_fp_accrue(env, &s);
    return r;
}

static __attribute__((noinline)) uint64_t full_fma64(CPURISCVState *env, uint32_t rm, uint64_t a,
                                                     uint64_t b, uint64_t c, int negate)
{
    HostFPStatus s = riscv_fp_status(env, rm);
    uint64_t r = hfp_muladd64(&s, a, b, c, negate);

    riscv_fp_accrue(env, &s);
    return r;
}

/* Unary operations as binary ones (the second operand unused), to share full_bin*. */
static uint32_t sqrt32_bin(HostFPStatus *s, uint32_t a, uint32_t b)
{
    (void)b;
    return hfp_sqrt32(s, a);
}

static uint64_t sqrt64_bin(HostFPStatus *s, uint64_t a, uint64_t b)
{
    (void)b;
    return hfp_sqrt64(s, a);
}

/* ---- single precision ---- */

#define RISCV_FP_BINOP_S(name, fast, fn)                                                           \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, uint32_t rm)                \
    {                                                                                              \
        uint32_t x = unbox_s(a), y = unbox_s(b), r;                                                \
        if (!(riscv_fp_rne(env, rm) && (fast))) {                                                  \
            r = full_bin32(env, rm, fn, x, y);                                                     \
        }                                                                                          \
        return box_s(r);                                                                           \
    }

RISCV_FP_BINOP_S(fadd_s, hfp_fast_addsub32(x, y, false, &env->fflags, &r), hfp_add32)
RISCV_FP_BINOP_S(fsub_s, hfp_fast_addsub32(x, y, true, &env->fflags, &r), hfp_sub32)
RISCV_FP_BINOP_S(fmul_s, hfp_fast_mul32(x, y, &env->fflags, &r), hfp_mul32)
RISCV_FP_BINOP_S(fdiv_s, hfp_fast_div32(x, y, &env->fflags, &r), hfp_div32)

uint64_t helper_fsqrt_s(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    uint32_t x = unbox_s(a), r;

    if (!(riscv_fp_rne(env, rm) && hfp_fast_sqrt32(x, &env->fflags, &r))) {
        r = full_bin32(env, rm, sqrt32_bin, x, 0);
    }
    return box_s(r);
}

static uint64_t fma_s(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm,
                      int negate)
{
    uint32_t x = unbox_s(a), y = unbox_s(b), z = unbox_s(c), r;

    if (!(riscv_fp_rne(env, rm) && hfp_fast_muladd32(x, y, z, negate, &env->fflags, &r))) {
        r = full_fma32(env, rm, x, y, z, negate);
    }
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

/*
 * min/max/compare do not round: without a NaN operand they raise nothing
 * and are computed inline; with one, the full path applies the signaling
 * rules.
 */
#define RISCV_FP_NOROUND_S(name, fast, expr)                                                       \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b)                             \
    {                                                                                              \
        uint32_t x = unbox_s(a), y = unbox_s(b);                                                   \
        HostFPStatus s;                                                                            \
        uint64_t r;                                                                                \
        if (hfp_no_nan32(x, y)) {                                                                  \
            return (fast);                                                                         \
        }                                                                                          \
        s = riscv_fp_status(env, RISCV_FRM_RNE);                                                   \
        r = (expr);                                                                                \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

RISCV_FP_NOROUND_S(fmin_s, box_s(hfp_minmax32_ordered(x, y, false)), box_s(hfp_min_num32(&s, x, y)))
RISCV_FP_NOROUND_S(fmax_s, box_s(hfp_minmax32_ordered(x, y, true)), box_s(hfp_max_num32(&s, x, y)))
RISCV_FP_NOROUND_S(feq_s, hfp_f32(x) == hfp_f32(y), hfp_eq32(&s, x, y))
RISCV_FP_NOROUND_S(flt_s, hfp_f32(x) < hfp_f32(y), hfp_lt32(&s, x, y))
RISCV_FP_NOROUND_S(fle_s, hfp_f32(x) <= hfp_f32(y), hfp_le32(&s, x, y))

uint64_t helper_fclass_s(uint64_t a)
{
    return hfp_class32(unbox_s(a));
}

/*
 * Conversions with a result in an integer register; 32-bit results are
 * sign-extended.  The fast path takes in-range operands toward zero (a C
 * cast's RTZ) and to nearest even; `widen` gives the operand as a host
 * double (exact for singles).
 */
#define RISCV_FP_TO_INT(name, type, fn, unbox, widen, kind)                                        \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint32_t rm)                            \
    {                                                                                              \
        uint32_t mode = rm == RISCV_FRM_DYN ? env->frm : rm;                                       \
        HostFPStatus s;                                                                            \
        uint64_t fast;                                                                             \
        type r;                                                                                    \
        if ((mode == RISCV_FRM_RNE || mode == RISCV_FRM_RTZ) &&                                    \
            hfp_fast_to_int(widen(unbox(a)), kind, mode == RISCV_FRM_RTZ, &env->fflags, &fast)) {  \
            return (uint64_t)(int64_t)(type)fast;                                                  \
        }                                                                                          \
        s = riscv_fp_status(env, rm);                                                              \
        r = fn(&s, unbox(a));                                                                      \
        riscv_fp_accrue(env, &s);                                                                  \
        return (uint64_t)(int64_t)r;                                                               \
    }

/*
 * From an integer register; `exact`: the conversion never rounds (32-bit
 * integers to binary64), so any rounding mode may take the fast path.
 */
#define RISCV_INT_TO_FP(name, type, fn, box, rtype, fast_fn, exact)                                \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint32_t rm)                            \
    {                                                                                              \
        HostFPStatus s;                                                                            \
        rtype fast;                                                                                \
        uint64_t r;                                                                                \
        if (((exact) || riscv_fp_rne(env, rm)) && fast_fn((type)a, &env->fflags, &fast)) {         \
            return box(fast);                                                                      \
        }                                                                                          \
        s = riscv_fp_status(env, rm);                                                              \
        r = box(fn(&s, (type)a));                                                                  \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

static double widen_s(uint32_t v)
{
    return (double)hfp_f32(v);
}

/* The unsigned 32-bit result is sign-extended too (bit 31 copied), as the ISA says. */
RISCV_FP_TO_INT(fcvt_w_s, int32_t, hfp_f32_to_i32, unbox_s, widen_s, HFP_INT_S32)
RISCV_FP_TO_INT(fcvt_wu_s, int32_t, (int32_t)hfp_f32_to_u32, unbox_s, widen_s, HFP_INT_U32)
RISCV_FP_TO_INT(fcvt_l_s, int64_t, hfp_f32_to_i64, unbox_s, widen_s, HFP_INT_S64)
RISCV_FP_TO_INT(fcvt_lu_s, int64_t, (int64_t)hfp_f32_to_u64, unbox_s, widen_s, HFP_INT_U64)
RISCV_INT_TO_FP(fcvt_s_w, int32_t, hfp_i32_to_f32, box_s, uint32_t, hfp_fast_s64_to_f32, false)
RISCV_INT_TO_FP(fcvt_s_wu, uint32_t, hfp_u32_to_f32, box_s, uint32_t, hfp_fast_u64_to_f32, false)
RISCV_INT_TO_FP(fcvt_s_l, int64_t, hfp_i64_to_f32, box_s, uint32_t, hfp_fast_s64_to_f32, false)
RISCV_INT_TO_FP(fcvt_s_lu, uint64_t, hfp_u64_to_f32, box_s, uint32_t, hfp_fast_u64_to_f32, false)

/* ---- double precision ---- */

static uint64_t raw_d(uint64_t v)
{
    return v;
}

#define RISCV_FP_BINOP_D(name, fast, fn)                                                           \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, uint32_t rm)                \
    {                                                                                              \
        uint64_t r;                                                                                \
        if (!(riscv_fp_rne(env, rm) && (fast))) {                                                  \
            r = full_bin64(env, rm, fn, a, b);                                                     \
        }                                                                                          \
        return r;                                                                                  \
    }

RISCV_FP_BINOP_D(fadd_d, hfp_fast_addsub64(a, b, false, &env->fflags, &r), hfp_add64)
RISCV_FP_BINOP_D(fsub_d, hfp_fast_addsub64(a, b, true, &env->fflags, &r), hfp_sub64)
RISCV_FP_BINOP_D(fmul_d, hfp_fast_mul64(a, b, &env->fflags, &r), hfp_mul64)
RISCV_FP_BINOP_D(fdiv_d, hfp_fast_div64(a, b, &env->fflags, &r), hfp_div64)

uint64_t helper_fsqrt_d(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    uint64_t r;

    if (!(riscv_fp_rne(env, rm) && hfp_fast_sqrt64(a, &env->fflags, &r))) {
        r = full_bin64(env, rm, sqrt64_bin, a, 0);
    }
    return r;
}

static uint64_t fma_d(CPURISCVState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t rm,
                      int negate)
{
    uint64_t r;

    if (!(riscv_fp_rne(env, rm) && hfp_fast_muladd64(a, b, c, negate, &env->fflags, &r))) {
        r = full_fma64(env, rm, a, b, c, negate);
    }
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

#define RISCV_FP_NOROUND_D(name, fast, expr)                                                       \
    uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b)                             \
    {                                                                                              \
        HostFPStatus s;                                                                            \
        uint64_t r;                                                                                \
        if (hfp_no_nan64(a, b)) {                                                                  \
            return (fast);                                                                         \
        }                                                                                          \
        s = riscv_fp_status(env, RISCV_FRM_RNE);                                                   \
        r = (expr);                                                                                \
        riscv_fp_accrue(env, &s);                                                                  \
        return r;                                                                                  \
    }

RISCV_FP_NOROUND_D(fmin_d, hfp_minmax64_ordered(a, b, false), hfp_min_num64(&s, a, b))
RISCV_FP_NOROUND_D(fmax_d, hfp_minmax64_ordered(a, b, true), hfp_max_num64(&s, a, b))
RISCV_FP_NOROUND_D(feq_d, hfp_f64(a) == hfp_f64(b), hfp_eq64(&s, a, b))
RISCV_FP_NOROUND_D(flt_d, hfp_f64(a) < hfp_f64(b), hfp_lt64(&s, a, b))
RISCV_FP_NOROUND_D(fle_d, hfp_f64(a) <= hfp_f64(b), hfp_le64(&s, a, b))

uint64_t helper_fclass_d(uint64_t a)
{
    return hfp_class64(a);
}

RISCV_FP_TO_INT(fcvt_w_d, int32_t, hfp_f64_to_i32, raw_d, hfp_f64, HFP_INT_S32)
RISCV_FP_TO_INT(fcvt_wu_d, int32_t, (int32_t)hfp_f64_to_u32, raw_d, hfp_f64, HFP_INT_U32)
RISCV_FP_TO_INT(fcvt_l_d, int64_t, hfp_f64_to_i64, raw_d, hfp_f64, HFP_INT_S64)
RISCV_FP_TO_INT(fcvt_lu_d, int64_t, (int64_t)hfp_f64_to_u64, raw_d, hfp_f64, HFP_INT_U64)
RISCV_INT_TO_FP(fcvt_d_w, int32_t, hfp_i32_to_f64, raw_d, uint64_t, hfp_fast_s64_to_f64, true)
RISCV_INT_TO_FP(fcvt_d_wu, uint32_t, hfp_u32_to_f64, raw_d, uint64_t, hfp_fast_u64_to_f64, true)
RISCV_INT_TO_FP(fcvt_d_l, int64_t, hfp_i64_to_f64, raw_d, uint64_t, hfp_fast_s64_to_f64, false)
RISCV_INT_TO_FP(fcvt_d_lu, uint64_t, hfp_u64_to_f64, raw_d, uint64_t, hfp_fast_u64_to_f64, false)

static uint32_t narrow_bin(HostFPStatus *s, uint32_t a_lo, uint32_t a_hi)
{
    return hfp_f64_to_f32(s, (uint64_t)a_hi << 32 | a_lo);
}

uint64_t helper_fcvt_s_d(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    uint32_t r;

    if (!(riscv_fp_rne(env, rm) && hfp_fast_f64_to_f32(a, &env->fflags, &r))) {
        r = full_bin32(env, rm, narrow_bin, (uint32_t)a, (uint32_t)(a >> 32));
    }
    return box_s(r);
}

/* Widening is exact: no rounding mode, and flags only for a signaling NaN. */
uint64_t helper_fcvt_d_s(CPURISCVState *env, uint64_t a, uint32_t rm)
{
    uint32_t x = unbox_s(a);
    uint64_t r;

    if (!hfp_fast_f32_to_f64(x, &r)) {
        HostFPStatus s = riscv_fp_status(env, rm);

        r = hfp_f32_to_f64(&s, x);
        riscv_fp_accrue(env, &s);
    }
    return r;
}
