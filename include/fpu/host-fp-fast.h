/*
 * Inline fast paths of include/fpu/host-fp.h for the common case: rounding
 * to nearest, ties to even, where a NaN result would be the default NaN.
 *
 * Each hfp_fast_*() either computes the IEEE result and ORs its flags into
 * *flags (HFP_FLAG_* layout) and returns true, or returns false without
 * touching anything, and the caller runs the full hfp_*() function.
 *
 * Why this is exact without reading MXCSR: the operation runs as plain C
 * arithmetic under the thread's own MXCSR, which is IEEE default (round to
 * nearest even, DAZ and FTZ off): morph never changes it outside the
 * one-asm-statement sequences of fpu/host-fp.c, which restore it, and
 * hfp_host_caps says whether the process started that way (a library built
 * with -ffast-math could set FTZ/DAZ; then every operation takes the full
 * path).  The flags are then derived from the result instead of read back
 * (STMXCSR waits for the FP pipeline to drain: ~6 ns on current cores):
 *   - a NaN or infinite result, or one of magnitude at most the smallest
 *     normal (possible underflow, tininess after rounding), returns false;
 *   - otherwise the operands were finite and the result neither overflowed
 *     nor underflowed, so the only possible flag is inexact;
 *   - inexact is sticky: if *flags already has it, nothing more is needed
 *     (the usual case: most guest code never clears fflags between
 *     operations).  Otherwise exactness is decided with an error-free
 *     transformation (TwoSum for add; for mul, div and sqrt the residual
 *     computed with one FMA, exact whenever the exponents are far enough
 *     above the subnormal range, which is checked); where none applies
 *     (fused multiply-add itself, operands near the underflow range) the
 *     fast path returns false.
 *
 * Exact zero results are accepted where they cannot hide an underflow
 * (x + -x, 0 * y, 0 / y, sqrt(+-0), 0 * y + 0).
 *
 * Every fast path checks hfp_host_caps before any host arithmetic (with
 * exceptions unmasked it could trap).  None of the C expressions has a
 * product feeding a sum, so no compiler may contract them into an FMA.
 */
#ifndef MORPH_FPU_HOST_FP_FAST_H
#define MORPH_FPU_HOST_FP_FAST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "fpu/host-fp.h"

/* What the host offers, settled before main (fpu/host-fp.c). */
enum {
    HFP_CAP_FAST = 1, /* MXCSR is IEEE default: the fast paths may run */
    HFP_CAP_FMA = 2,  /* FMA3 (and the OS saves AVX state) */
};
extern unsigned hfp_host_caps;

#define HFP_F32_ABS        0x7fffffffu
#define HFP_F32_INF        0x7f800000u
#define HFP_F32_MIN_NORMAL 0x00800000u
#define HFP_F64_ABS        0x7fffffffffffffffull
#define HFP_F64_INF        0x7ff0000000000000ull
#define HFP_F64_MIN_NORMAL 0x0010000000000000ull

/*
 * Residuals (x*y - r, x - r*y, x - r*r) are exact in the format when the
 * exponents involved lie at least p above the smallest normal exponent:
 * they are when the magnitude checked (of the product, or of the dividend
 * or radicand) is at least 2^(emin + p); ask for 2^(emin + p + 7), that is
 * 2^-95 and 2^-962.
 */
#define HFP_F32_RESIDUAL_MIN (32u << 23)
#define HFP_F64_RESIDUAL_MIN (61ull << 52)
/* TwoSum cannot overflow while both operands are below 2^emax. */
#define HFP_F32_TWOSUM_MAX (0xfeu << 23)
#define HFP_F64_TWOSUM_MAX (0x7feull << 52)

static inline float hfp_f32(uint32_t x)
{
    float f;

    memcpy(&f, &x, sizeof(f));
    return f;
}

static inline uint32_t hfp_f32_bits(float f)
{
    uint32_t x;

    memcpy(&x, &f, sizeof(x));
    return x;
}

static inline double hfp_f64(uint64_t x)
{
    double d;

    memcpy(&d, &x, sizeof(d));
    return d;
}

static inline uint64_t hfp_f64_bits(double d)
{
    uint64_t x;

    memcpy(&x, &d, sizeof(x));
    return x;
}

/* Finite, and above the smallest normal in magnitude: no OF, UF or NV possible. */
static inline bool hfp_ordinary32(uint32_t r)
{
    return (r & HFP_F32_ABS) - (HFP_F32_MIN_NORMAL + 1) < HFP_F32_INF - (HFP_F32_MIN_NORMAL + 1);
}

static inline bool hfp_ordinary64(uint64_t r)
{
    return (r & HFP_F64_ABS) - (HFP_F64_MIN_NORMAL + 1) < HFP_F64_INF - (HFP_F64_MIN_NORMAL + 1);
}

/*
 * x * y + z with one rounding, on the host's FMA3 unit.  Only called when
 * hfp_host_caps has HFP_CAP_FMA.  volatile: it must stay behind that check.
 */
static inline float hfp_host_fma32(float x, float y, float z)
{
    __asm__ volatile("vfmadd213ss %[z], %[y], %[x]" : [x] "+x"(x) : [y] "x"(y), [z] "x"(z));
    return x;
}

static inline double hfp_host_fma64(double x, double y, double z)
{
    __asm__ volatile("vfmadd213sd %[z], %[y], %[x]" : [x] "+x"(x) : [y] "x"(y), [z] "x"(z));
    return x;
}

/* Knuth's TwoSum: is x + y == s exactly?  (Rounding to nearest, no overflow.) */
static inline bool hfp_twosum_exact32(float x, float y, float s)
{
    float yv = s - x;
    float xv = s - yv;

    return (x - xv) + (y - yv) == 0;
}

static inline bool hfp_twosum_exact64(double x, double y, double s)
{
    double yv = s - x;
    double xv = s - yv;

    return (x - xv) + (y - yv) == 0;
}

static inline bool hfp_fast_addsub32(uint32_t a, uint32_t b, bool sub, uint32_t *flags,
                                     uint32_t *res)
{
    float x, y, s;
    uint32_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f32(a);
    y = hfp_f32(sub ? b ^ 0x80000000u : b);
    s = x + y;
    r = hfp_f32_bits(s);
    /* A finite sum of finite operands: tiny sums are exact (no UF), so only NX. */
    if ((r & HFP_F32_INF) == HFP_F32_INF) {
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if ((a & HFP_F32_ABS) >= HFP_F32_TWOSUM_MAX || (b & HFP_F32_ABS) >= HFP_F32_TWOSUM_MAX) {
            return false;
        }
        if (!hfp_twosum_exact32(x, y, s)) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_addsub64(uint64_t a, uint64_t b, bool sub, uint32_t *flags,
                                     uint64_t *res)
{
    double x, y, s;
    uint64_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f64(a);
    y = hfp_f64(sub ? b ^ 0x8000000000000000ull : b);
    s = x + y;
    r = hfp_f64_bits(s);
    if ((r & HFP_F64_INF) == HFP_F64_INF) {
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if ((a & HFP_F64_ABS) >= HFP_F64_TWOSUM_MAX || (b & HFP_F64_ABS) >= HFP_F64_TWOSUM_MAX) {
            return false;
        }
        if (!hfp_twosum_exact64(x, y, s)) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

/* Can inexact be decided by "residual != 0"?  The residual is computed with FMA. */
#define HFP_RESIDUAL_OK(big_enough) ((big_enough) && (hfp_host_caps & HFP_CAP_FMA))

static inline bool hfp_fast_mul32(uint32_t a, uint32_t b, uint32_t *flags, uint32_t *res)
{
    float x, y, p;
    uint32_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f32(a);
    y = hfp_f32(b);
    p = x * y;
    r = hfp_f32_bits(p);
    if (!hfp_ordinary32(r)) {
        /* Exactly zero because an operand is zero (so finite inputs): exact. */
        if ((r & HFP_F32_ABS) == 0 && ((a & HFP_F32_ABS) == 0 || (b & HFP_F32_ABS) == 0)) {
            *res = r;
            return true;
        }
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if (!HFP_RESIDUAL_OK((r & HFP_F32_ABS) >= HFP_F32_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma32(x, y, -p) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_mul64(uint64_t a, uint64_t b, uint32_t *flags, uint64_t *res)
{
    double x, y, p;
    uint64_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f64(a);
    y = hfp_f64(b);
    p = x * y;
    r = hfp_f64_bits(p);
    if (!hfp_ordinary64(r)) {
        if ((r & HFP_F64_ABS) == 0 && ((a & HFP_F64_ABS) == 0 || (b & HFP_F64_ABS) == 0)) {
            *res = r;
            return true;
        }
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if (!HFP_RESIDUAL_OK((r & HFP_F64_ABS) >= HFP_F64_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma64(x, y, -p) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_div32(uint32_t a, uint32_t b, uint32_t *flags, uint32_t *res)
{
    float x, y, q;
    uint32_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f32(a);
    y = hfp_f32(b);
    q = x / y;
    r = hfp_f32_bits(q);
    if (!hfp_ordinary32(r)) {
        /* 0 / y with y finite and nonzero (else the quotient is NaN): exact. */
        if ((r & HFP_F32_ABS) == 0 && (a & HFP_F32_ABS) == 0) {
            *res = r;
            return true;
        }
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if (!HFP_RESIDUAL_OK((a & HFP_F32_ABS) >= HFP_F32_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma32(-q, y, x) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_div64(uint64_t a, uint64_t b, uint32_t *flags, uint64_t *res)
{
    double x, y, q;
    uint64_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f64(a);
    y = hfp_f64(b);
    q = x / y;
    r = hfp_f64_bits(q);
    if (!hfp_ordinary64(r)) {
        if ((r & HFP_F64_ABS) == 0 && (a & HFP_F64_ABS) == 0) {
            *res = r;
            return true;
        }
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT)) {
        if (!HFP_RESIDUAL_OK((a & HFP_F64_ABS) >= HFP_F64_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma64(-q, y, x) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

/* The host's correctly rounded square root (SQRTSS/SQRTSD, no libm call). */
static inline float hfp_host_sqrt32(float x)
{
    float r;

    __asm__("sqrtss %[x], %[r]" : [r] "=x"(r) : [x] "x"(x));
    return r;
}

static inline double hfp_host_sqrt64(double x)
{
    double r;

    __asm__("sqrtsd %[x], %[r]" : [r] "=x"(r) : [x] "x"(x));
    return r;
}

static inline bool hfp_fast_sqrt32(uint32_t a, uint32_t *flags, uint32_t *res)
{
    float x, s;
    uint32_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f32(a);
    s = hfp_host_sqrt32(x);
    r = hfp_f32_bits(s);
    /* sqrt never overflows or underflows; NaN (negative, NaN operand) and inf go the full way. */
    if ((r & HFP_F32_INF) == HFP_F32_INF) {
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT) && (r & HFP_F32_ABS) != 0) {
        if (!HFP_RESIDUAL_OK((a & HFP_F32_ABS) >= HFP_F32_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma32(-s, s, x) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_sqrt64(uint64_t a, uint32_t *flags, uint64_t *res)
{
    double x, s;
    uint64_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f64(a);
    s = hfp_host_sqrt64(x);
    r = hfp_f64_bits(s);
    /* sqrt never overflows or underflows; NaN (negative, NaN operand) and inf go the full way. */
    if ((r & HFP_F64_INF) == HFP_F64_INF) {
        return false;
    }
    if (!(*flags & HFP_FLAG_INEXACT) && (r & HFP_F64_ABS) != 0) {
        if (!HFP_RESIDUAL_OK((a & HFP_F64_ABS) >= HFP_F64_RESIDUAL_MIN)) {
            return false;
        }
        if (hfp_host_fma64(-s, s, x) != 0) {
            *flags |= HFP_FLAG_INEXACT;
        }
    }
    *res = r;
    return true;
}

/*
 * Fused multiply-add, (a * b) + c with the HFP_MULADD_* negations folded
 * into the operands (negation is exact).  Exactness of an FMA has no cheap
 * test, so with inexact still clear this returns false.
 */
static inline bool hfp_fast_muladd32(uint32_t a, uint32_t b, uint32_t c, int negate,
                                     uint32_t *flags, uint32_t *res)
{
    uint32_t r;

    if ((hfp_host_caps & (HFP_CAP_FAST | HFP_CAP_FMA)) != (HFP_CAP_FAST | HFP_CAP_FMA)) {
        return false;
    }
    if (negate & HFP_MULADD_NEGATE_PRODUCT) {
        a ^= 0x80000000u;
    }
    if (negate & HFP_MULADD_NEGATE_C) {
        c ^= 0x80000000u;
    }
    r = hfp_f32_bits(hfp_host_fma32(hfp_f32(a), hfp_f32(b), hfp_f32(c)));
    if (hfp_ordinary32(r)) {
        if (!(*flags & HFP_FLAG_INEXACT)) {
            return false;
        }
    } else if ((r & HFP_F32_ABS) != 0 || ((a & HFP_F32_ABS) != 0 && (b & HFP_F32_ABS) != 0)) {
        /* Only 0 * y + (+-0) (exact: c must be zero for r to be) is accepted. */
        return false;
    }
    *res = r;
    return true;
}

static inline bool hfp_fast_muladd64(uint64_t a, uint64_t b, uint64_t c, int negate,
                                     uint32_t *flags, uint64_t *res)
{
    uint64_t r;

    if ((hfp_host_caps & (HFP_CAP_FAST | HFP_CAP_FMA)) != (HFP_CAP_FAST | HFP_CAP_FMA)) {
        return false;
    }
    if (negate & HFP_MULADD_NEGATE_PRODUCT) {
        a ^= 0x8000000000000000ull;
    }
    if (negate & HFP_MULADD_NEGATE_C) {
        c ^= 0x8000000000000000ull;
    }
    r = hfp_f64_bits(hfp_host_fma64(hfp_f64(a), hfp_f64(b), hfp_f64(c)));
    if (hfp_ordinary64(r)) {
        if (!(*flags & HFP_FLAG_INEXACT)) {
            return false;
        }
    } else if ((r & HFP_F64_ABS) != 0 || ((a & HFP_F64_ABS) != 0 && (b & HFP_F64_ABS) != 0)) {
        return false;
    }
    *res = r;
    return true;
}

/* binary64 -> binary32: exact iff widening the result gives the operand back. */
static inline bool hfp_fast_f64_to_f32(uint64_t a, uint32_t *flags, uint32_t *res)
{
    double x;
    float f;
    uint32_t r;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    x = hfp_f64(a);
    f = (float)x;
    r = hfp_f32_bits(f);
    if (!hfp_ordinary32(r)) {
        if ((r & HFP_F32_ABS) == 0 && (a & HFP_F64_ABS) == 0) {
            *res = r;
            return true;
        }
        return false;
    }
    if ((double)f != x) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = r;
    return true;
}

/* binary32 -> binary64 is exact for every non-NaN operand. */
static inline bool hfp_fast_f32_to_f64(uint32_t a, uint64_t *res)
{
    if (!(hfp_host_caps & HFP_CAP_FAST) || (a & HFP_F32_ABS) > HFP_F32_INF) {
        return false;
    }
    *res = hfp_f64_bits((double)hfp_f32(a));
    return true;
}

/*
 * Integer to floating point, rounded to nearest even by the host's
 * conversion (CVTSI2SD/SS, and the compiler's exact sequence for unsigned
 * 64-bit): the only possible flag is inexact, raised when the magnitude
 * has more significant bits than the format's precision.
 */
static inline bool hfp_int_fits(uint64_t mag, int precision)
{
    return mag == 0 || (mag >> __builtin_ctzll(mag)) >> precision == 0;
}

static inline bool hfp_fast_s64_to_f64(int64_t a, uint32_t *flags, uint64_t *res)
{
    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    if (!hfp_int_fits(a < 0 ? -(uint64_t)a : (uint64_t)a, 53)) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = hfp_f64_bits((double)a);
    return true;
}

static inline bool hfp_fast_u64_to_f64(uint64_t a, uint32_t *flags, uint64_t *res)
{
    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    if (!hfp_int_fits(a, 53)) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = hfp_f64_bits((double)a);
    return true;
}

static inline bool hfp_fast_s64_to_f32(int64_t a, uint32_t *flags, uint32_t *res)
{
    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    if (!hfp_int_fits(a < 0 ? -(uint64_t)a : (uint64_t)a, 24)) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = hfp_f32_bits((float)a);
    return true;
}

static inline bool hfp_fast_u64_to_f32(uint64_t a, uint32_t *flags, uint32_t *res)
{
    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    if (!hfp_int_fits(a, 24)) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = hfp_f32_bits((float)a);
    return true;
}

/*
 * Floating point (binary32 widened exactly, or binary64) to an integer,
 * toward zero (a C cast, CVTTSD2SI) or to nearest even (CVTSD2SI under the
 * default MXCSR).  Only operands safely inside the target range are taken
 * (NaN compares false): their result is representable, so the only flag is
 * inexact, raised when the integer differs from the operand.  The rest
 * (saturation, NV) goes the full way.
 */
typedef enum HostFPIntKind {
    HFP_INT_S32,
    HFP_INT_U32,
    HFP_INT_S64,
    HFP_INT_U64,
} HostFPIntKind;

static inline bool hfp_fast_to_int(double x, HostFPIntKind kind, bool to_zero, uint32_t *flags,
                                   uint64_t *res)
{
    uint64_t i;
    double back;
    bool in_range;

    if (!(hfp_host_caps & HFP_CAP_FAST)) {
        return false;
    }
    switch (kind) {
    case HFP_INT_S32:
        in_range = x > -2147483647.0 && x < 2147483647.0;
        break;
    case HFP_INT_U32:
        in_range = x >= 0 && x < 4294967295.0;
        break;
    case HFP_INT_S64:
        in_range = x > -0x1p63 && x < 0x1p63;
        break;
    default:
        in_range = x >= 0 && x < 0x1p64;
        break;
    }
    if (!in_range) {
        return false;
    }
    if (x >= 0x1p63) {
        /* Unsigned only; an integer already (binary64 has no fraction bits there). */
        i = (uint64_t)x;
        back = (double)i;
    } else {
        int64_t v;

        if (to_zero) {
            v = (int64_t)x;
        } else {
            __asm__("cvtsd2si %[x], %[v]" : [v] "=r"(v) : [x] "x"(x));
        }
        i = (uint64_t)v;
        back = (double)v;
    }
    if (back != x) {
        *flags |= HFP_FLAG_INEXACT;
    }
    *res = i;
    return true;
}

/*
 * Comparisons and minimumNumber/maximumNumber of two non-NaN operands
 * raise nothing and may be done by host compares (which DAZ would spoil,
 * hence the caps check); a NaN operand goes the full way (signaling rules).
 */
static inline bool hfp_no_nan32(uint32_t a, uint32_t b)
{
    return (hfp_host_caps & HFP_CAP_FAST) && (a & HFP_F32_ABS) <= HFP_F32_INF &&
           (b & HFP_F32_ABS) <= HFP_F32_INF;
}

static inline bool hfp_no_nan64(uint64_t a, uint64_t b)
{
    return (hfp_host_caps & HFP_CAP_FAST) && (a & HFP_F64_ABS) <= HFP_F64_INF &&
           (b & HFP_F64_ABS) <= HFP_F64_INF;
}

/* min/max of non-NaN operands; of -0 and +0, min is -0 and max +0. */
static inline uint32_t hfp_minmax32_ordered(uint32_t a, uint32_t b, bool is_max)
{
    float x = hfp_f32(a), y = hfp_f32(b);

    if (x == y) {
        return is_max ? (a & b) : (a | b);
    }
    return (x < y) != is_max ? a : b;
}

static inline uint64_t hfp_minmax64_ordered(uint64_t a, uint64_t b, bool is_max)
{
    double x = hfp_f64(a), y = hfp_f64(b);

    if (x == y) {
        return is_max ? (a & b) : (a | b);
    }
    return (x < y) != is_max ? a : b;
}

#endif
