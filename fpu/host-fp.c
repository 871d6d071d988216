/*
 * Guest IEEE 754 arithmetic on the host's SSE unit (include/fpu/host-fp.h).
 *
 * Each operation loads MXCSR with the guest rounding mode, all exceptions
 * masked, the flags clear and DAZ/FTZ off, executes the one SSE
 * instruction, reads the flags back and restores the host's MXCSR; the
 * whole sequence is one asm statement so the compiler cannot move the
 * arithmetic away from its rounding mode.  x86 then gives the IEEE result
 * and flags, tininess detected after rounding (as RISC-V wants; the unit
 * tests hold this path against the software one at the underflow edges),
 * except for:
 *   - NaN results: x86 returns the first NaN operand quieted (or its own
 *     negative "indefinite" NaN); the status says what the guest gets, so
 *     a NaN result is replaced (default NaN) or recomputed (propagation);
 *   - the denormal-operand flag DE, which IEEE and RISC-V do not have
 *     (ignored);
 *   - ties-to-max-magnitude rounding, which MXCSR cannot express, and FMA
 *     on hosts without FMA3: these run in fpu/soft-fp.c.
 * Conversions to and from integers, comparisons, min/max and classification
 * are integer work in soft-fp.c: the host's conversions saturate the x86
 * way, and the rest needs no floating-point unit at all.
 */
#include <string.h>
#include "fpu/host-fp.h"
#include "soft-fp.h"

/* MXCSR: exceptions masked (bits 7-12), flags (0-5), DAZ (6) and FTZ (15) clear. */
#define MXCSR_BASE 0x1f80u
#define MXCSR_IE   0x01u
#define MXCSR_ZE   0x04u
#define MXCSR_OE   0x08u
#define MXCSR_UE   0x10u
#define MXCSR_PE   0x20u

static const uint32_t mxcsr_rounding[] = {
    [HFP_ROUND_NEAREST_EVEN] = 0u << 13,
    [HFP_ROUND_DOWN] = 1u << 13,
    [HFP_ROUND_UP] = 2u << 13,
    [HFP_ROUND_TO_ZERO] = 3u << 13,
};

void hfp_status_init(HostFPStatus *s)
{
    memset(s, 0, sizeof(*s));
    s->round = HFP_ROUND_NEAREST_EVEN;
    s->nan_mode = HFP_NAN_DEFAULT;
    s->nan_to_int = HFP_NAN_TO_INT_MAX;
    s->default_nan32 = 0x7fc00000u;
    s->default_nan64 = 0x7ff8000000000000ull;
}

bool hfp_host_has_fma(void)
{
    static int cached = -1;

    if (cached < 0) {
        __builtin_cpu_init();
        /* libgcc only reports FMA when the OS has enabled the AVX state. */
        cached = __builtin_cpu_supports("fma") ? 1 : 0;
    }
    return cached == 1;
}

static uint32_t mxcsr_for(const HostFPStatus *s)
{
    return MXCSR_BASE | mxcsr_rounding[s->round];
}

static uint8_t flags_from_mxcsr(uint32_t csr)
{
    uint8_t f = 0;

    if (csr & MXCSR_IE) {
        f |= HFP_FLAG_INVALID;
    }
    if (csr & MXCSR_ZE) {
        f |= HFP_FLAG_DIVBYZERO;
    }
    if (csr & MXCSR_OE) {
        f |= HFP_FLAG_OVERFLOW;
    }
    if (csr & MXCSR_UE) {
        f |= HFP_FLAG_UNDERFLOW;
    }
    if (csr & MXCSR_PE) {
        f |= HFP_FLAG_INEXACT;
    }
    return f;
}

/*
 * One SSE instruction under a guest MXCSR: `a` = a op b.  The host MXCSR is
 * saved first and restored last.
 */
#define HFP_SSE_BINOP(fname, insn, ctype)                                                          \
    static ctype fname(ctype a, ctype b, uint32_t csr, uint32_t *out)                              \
    {                                                                                              \
        uint32_t saved;                                                                            \
        __asm__ volatile("stmxcsr %[saved]\n\t"                                                    \
                         "ldmxcsr %[csr]\n\t" insn " %[b], %[a]\n\t"                               \
                         "stmxcsr %[out]\n\t"                                                      \
                         "ldmxcsr %[saved]"                                                        \
                         : [a] "+x"(a), [saved] "=m"(saved), [out] "=m"(*out)                      \
                         : [b] "x"(b), [csr] "m"(csr));                                            \
        return a;                                                                                  \
    }

HFP_SSE_BINOP(sse_add32, "addss", float)
HFP_SSE_BINOP(sse_sub32, "subss", float)
HFP_SSE_BINOP(sse_mul32, "mulss", float)
HFP_SSE_BINOP(sse_div32, "divss", float)
HFP_SSE_BINOP(sse_sqrt32, "sqrtss", float)
HFP_SSE_BINOP(sse_add64, "addsd", double)
HFP_SSE_BINOP(sse_sub64, "subsd", double)
HFP_SSE_BINOP(sse_mul64, "mulsd", double)
HFP_SSE_BINOP(sse_div64, "divsd", double)
HFP_SSE_BINOP(sse_sqrt64, "sqrtsd", double)

/* binary64 -> binary32, rounded under the guest MXCSR. */
static float sse_f64_to_f32(double a, uint32_t csr, uint32_t *out)
{
    uint32_t saved;
    float r;

    __asm__ volatile("stmxcsr %[saved]\n\t"
                     "ldmxcsr %[csr]\n\t"
                     "cvtsd2ss %[a], %[r]\n\t"
                     "stmxcsr %[out]\n\t"
                     "ldmxcsr %[saved]"
                     : [r] "=&x"(r), [saved] "=m"(saved), [out] "=m"(*out)
                     : [a] "x"(a), [csr] "m"(csr));
    return r;
}

/* a = a * b + c with one rounding (FMA3; only called when the host has it). */
#define HFP_SSE_FMA(fname, insn, ctype)                                                            \
    static ctype fname(ctype a, ctype b, ctype c, uint32_t csr, uint32_t *out)                     \
    {                                                                                              \
        uint32_t saved;                                                                            \
        __asm__ volatile("stmxcsr %[saved]\n\t"                                                    \
                         "ldmxcsr %[csr]\n\t" insn " %[c], %[b], %[a]\n\t"                         \
                         "stmxcsr %[out]\n\t"                                                      \
                         "ldmxcsr %[saved]"                                                        \
                         : [a] "+x"(a), [saved] "=m"(saved), [out] "=m"(*out)                      \
                         : [b] "x"(b), [c] "x"(c), [csr] "m"(csr));                                \
        return a;                                                                                  \
    }

HFP_SSE_FMA(sse_fma32, "vfmadd213ss", float)
HFP_SSE_FMA(sse_fma64, "vfmadd213sd", double)

static float f32_from_bits(uint32_t x)
{
    float f;

    memcpy(&f, &x, sizeof(f));
    return f;
}

static uint32_t f32_bits(float f)
{
    uint32_t x;

    memcpy(&x, &f, sizeof(x));
    return x;
}

static double f64_from_bits(uint64_t x)
{
    double d;

    memcpy(&d, &x, sizeof(d));
    return d;
}

static uint64_t f64_bits(double d)
{
    uint64_t x;

    memcpy(&x, &d, sizeof(x));
    return x;
}

bool hfp_is_nan32(uint32_t a)
{
    return (a & 0x7fffffffu) > 0x7f800000u;
}

bool hfp_is_nan64(uint64_t a)
{
    return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

bool hfp_is_snan32(uint32_t a)
{
    return hfp_is_nan32(a) && !(a & 0x00400000u);
}

bool hfp_is_snan64(uint64_t a)
{
    return hfp_is_nan64(a) && !(a & 0x0008000000000000ull);
}

/*
 * Can the host compute this?  Not in ties-to-max-magnitude, and not when
 * NaN operands must be propagated by rules x86 does not follow.
 */
static bool host_ok(const HostFPStatus *s, bool nan_operand)
{
    if (s->force_soft || s->round == HFP_ROUND_NEAREST_MAX_MAG) {
        return false;
    }
    return !nan_operand || s->nan_mode == HFP_NAN_DEFAULT;
}

static uint32_t finish32(HostFPStatus *s, float r, uint32_t csr)
{
    uint32_t bits = f32_bits(r);

    s->flags |= flags_from_mxcsr(csr);
    return hfp_is_nan32(bits) ? s->default_nan32 : bits;
}

static uint64_t finish64(HostFPStatus *s, double r, uint32_t csr)
{
    uint64_t bits = f64_bits(r);

    s->flags |= flags_from_mxcsr(csr);
    return hfp_is_nan64(bits) ? s->default_nan64 : bits;
}

#define HFP_BINOP32(name, sse, soft_call)                                                          \
    uint32_t hfp_##name##32(HostFPStatus * s, uint32_t a, uint32_t b)                              \
    {                                                                                              \
        uint32_t csr;                                                                              \
        float r;                                                                                   \
        if (!host_ok(s, hfp_is_nan32(a) || hfp_is_nan32(b))) {                                     \
            return (uint32_t)(soft_call);                                                          \
        }                                                                                          \
        r = sse(f32_from_bits(a), f32_from_bits(b), mxcsr_for(s), &csr);                           \
        return finish32(s, r, csr);                                                                \
    }

#define HFP_BINOP64(name, sse, soft_call)                                                          \
    uint64_t hfp_##name##64(HostFPStatus * s, uint64_t a, uint64_t b)                              \
    {                                                                                              \
        uint32_t csr;                                                                              \
        double r;                                                                                  \
        if (!host_ok(s, hfp_is_nan64(a) || hfp_is_nan64(b))) {                                     \
            return soft_call;                                                                      \
        }                                                                                          \
        r = sse(f64_from_bits(a), f64_from_bits(b), mxcsr_for(s), &csr);                           \
        return finish64(s, r, csr);                                                                \
    }

HFP_BINOP32(add, sse_add32, sf_add(s, &sf_f32, a, b, false))
HFP_BINOP32(sub, sse_sub32, sf_add(s, &sf_f32, a, b, true))
HFP_BINOP32(mul, sse_mul32, sf_mul(s, &sf_f32, a, b))
HFP_BINOP32(div, sse_div32, sf_div(s, &sf_f32, a, b))
HFP_BINOP64(add, sse_add64, sf_add(s, &sf_f64, a, b, false))
HFP_BINOP64(sub, sse_sub64, sf_add(s, &sf_f64, a, b, true))
HFP_BINOP64(mul, sse_mul64, sf_mul(s, &sf_f64, a, b))
HFP_BINOP64(div, sse_div64, sf_div(s, &sf_f64, a, b))

uint32_t hfp_sqrt32(HostFPStatus *s, uint32_t a)
{
    uint32_t csr;
    float r;

    if (!host_ok(s, hfp_is_nan32(a))) {
        return (uint32_t)sf_sqrt(s, &sf_f32, a);
    }
    r = sse_sqrt32(f32_from_bits(a), f32_from_bits(a), mxcsr_for(s), &csr);
    return finish32(s, r, csr);
}

uint64_t hfp_sqrt64(HostFPStatus *s, uint64_t a)
{
    uint32_t csr;
    double r;

    if (!host_ok(s, hfp_is_nan64(a))) {
        return sf_sqrt(s, &sf_f64, a);
    }
    r = sse_sqrt64(f64_from_bits(a), f64_from_bits(a), mxcsr_for(s), &csr);
    return finish64(s, r, csr);
}

/*
 * FMA on the host needs FMA3.  NaN operands always take the software path:
 * RISC-V wants invalid for inf * 0 + qNaN, which x86 does not promise.
 */
uint32_t hfp_muladd32(HostFPStatus *s, uint32_t a, uint32_t b, uint32_t c, int negate)
{
    uint32_t csr;
    float r;

    if (!host_ok(s, true) || !hfp_host_has_fma() || hfp_is_nan32(a) || hfp_is_nan32(b) ||
        hfp_is_nan32(c)) {
        return (uint32_t)sf_muladd(s, &sf_f32, a, b, c, negate);
    }
    /* Negating an operand is exact, so the single rounding is kept. */
    if (negate & HFP_MULADD_NEGATE_PRODUCT) {
        a ^= 0x80000000u;
    }
    if (negate & HFP_MULADD_NEGATE_C) {
        c ^= 0x80000000u;
    }
    r = sse_fma32(f32_from_bits(a), f32_from_bits(b), f32_from_bits(c), mxcsr_for(s), &csr);
    return finish32(s, r, csr);
}

uint64_t hfp_muladd64(HostFPStatus *s, uint64_t a, uint64_t b, uint64_t c, int negate)
{
    uint32_t csr;
    double r;

    if (!host_ok(s, true) || !hfp_host_has_fma() || hfp_is_nan64(a) || hfp_is_nan64(b) ||
        hfp_is_nan64(c)) {
        return sf_muladd(s, &sf_f64, a, b, c, negate);
    }
    if (negate & HFP_MULADD_NEGATE_PRODUCT) {
        a ^= 0x8000000000000000ull;
    }
    if (negate & HFP_MULADD_NEGATE_C) {
        c ^= 0x8000000000000000ull;
    }
    r = sse_fma64(f64_from_bits(a), f64_from_bits(b), f64_from_bits(c), mxcsr_for(s), &csr);
    return finish64(s, r, csr);
}

uint32_t hfp_min_num32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return (uint32_t)sf_minmax(s, &sf_f32, a, b, false);
}

uint32_t hfp_max_num32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return (uint32_t)sf_minmax(s, &sf_f32, a, b, true);
}

uint64_t hfp_min_num64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return sf_minmax(s, &sf_f64, a, b, false);
}

uint64_t hfp_max_num64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return sf_minmax(s, &sf_f64, a, b, true);
}

bool hfp_eq32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return sf_compare(s, &sf_f32, a, b, 0);
}

bool hfp_lt32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return sf_compare(s, &sf_f32, a, b, 1);
}

bool hfp_le32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    return sf_compare(s, &sf_f32, a, b, 2);
}

bool hfp_eq64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return sf_compare(s, &sf_f64, a, b, 0);
}

bool hfp_lt64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return sf_compare(s, &sf_f64, a, b, 1);
}

bool hfp_le64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    return sf_compare(s, &sf_f64, a, b, 2);
}

unsigned hfp_class32(uint32_t a)
{
    return sf_class(&sf_f32, a);
}

unsigned hfp_class64(uint64_t a)
{
    return sf_class(&sf_f64, a);
}

/* Widening is exact: no rounding to ask the host for. */
uint64_t hfp_f32_to_f64(HostFPStatus *s, uint32_t a)
{
    return sf_convert(s, &sf_f32, &sf_f64, a);
}

uint32_t hfp_f64_to_f32(HostFPStatus *s, uint64_t a)
{
    uint32_t csr;
    float r;

    if (!host_ok(s, hfp_is_nan64(a))) {
        return (uint32_t)sf_convert(s, &sf_f64, &sf_f32, a);
    }
    r = sse_f64_to_f32(f64_from_bits(a), mxcsr_for(s), &csr);
    return finish32(s, r, csr);
}

int32_t hfp_f32_to_i32(HostFPStatus *s, uint32_t a)
{
    return (int32_t)sf_to_int(s, &sf_f32, a, 32, true);
}

uint32_t hfp_f32_to_u32(HostFPStatus *s, uint32_t a)
{
    return (uint32_t)sf_to_int(s, &sf_f32, a, 32, false);
}

int64_t hfp_f32_to_i64(HostFPStatus *s, uint32_t a)
{
    return (int64_t)sf_to_int(s, &sf_f32, a, 64, true);
}

uint64_t hfp_f32_to_u64(HostFPStatus *s, uint32_t a)
{
    return sf_to_int(s, &sf_f32, a, 64, false);
}

int32_t hfp_f64_to_i32(HostFPStatus *s, uint64_t a)
{
    return (int32_t)sf_to_int(s, &sf_f64, a, 32, true);
}

uint32_t hfp_f64_to_u32(HostFPStatus *s, uint64_t a)
{
    return (uint32_t)sf_to_int(s, &sf_f64, a, 32, false);
}

int64_t hfp_f64_to_i64(HostFPStatus *s, uint64_t a)
{
    return (int64_t)sf_to_int(s, &sf_f64, a, 64, true);
}

uint64_t hfp_f64_to_u64(HostFPStatus *s, uint64_t a)
{
    return sf_to_int(s, &sf_f64, a, 64, false);
}

/* The magnitude of a signed integer, without overflow for the minimum. */
static uint64_t magnitude(int64_t a)
{
    return a < 0 ? -(uint64_t)a : (uint64_t)a;
}

uint32_t hfp_i32_to_f32(HostFPStatus *s, int32_t a)
{
    return (uint32_t)sf_from_int(s, &sf_f32, magnitude(a), a < 0);
}

uint32_t hfp_u32_to_f32(HostFPStatus *s, uint32_t a)
{
    return (uint32_t)sf_from_int(s, &sf_f32, a, false);
}

uint32_t hfp_i64_to_f32(HostFPStatus *s, int64_t a)
{
    return (uint32_t)sf_from_int(s, &sf_f32, magnitude(a), a < 0);
}

uint32_t hfp_u64_to_f32(HostFPStatus *s, uint64_t a)
{
    return (uint32_t)sf_from_int(s, &sf_f32, a, false);
}

uint64_t hfp_i32_to_f64(HostFPStatus *s, int32_t a)
{
    return sf_from_int(s, &sf_f64, magnitude(a), a < 0);
}

uint64_t hfp_u32_to_f64(HostFPStatus *s, uint32_t a)
{
    return sf_from_int(s, &sf_f64, a, false);
}

uint64_t hfp_i64_to_f64(HostFPStatus *s, int64_t a)
{
    return sf_from_int(s, &sf_f64, magnitude(a), a < 0);
}

uint64_t hfp_u64_to_f64(HostFPStatus *s, uint64_t a)
{
    return sf_from_int(s, &sf_f64, a, false);
}
