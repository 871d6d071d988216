/*
 * Guest IEEE 754 arithmetic on the host's SSE unit (include/fpu/host-fp.h).
 *
 * Rounding to nearest-even (what guests use nearly always) first tries the
 * inline fast paths of include/fpu/host-fp-fast.h: plain host arithmetic
 * under the thread's default MXCSR, flags derived from the result, MXCSR
 * neither written nor read.  Everything they decline, and the directed
 * rounding modes, run here the careful way: one asm statement loads MXCSR
 * with the guest rounding mode, all exceptions masked, the flags clear and
 * DAZ/FTZ off, executes the one SSE instruction, reads the flags back and
 * restores the thread's MXCSR, so the compiler cannot move the arithmetic
 * away from its rounding mode and no other code ever runs under a guest
 * mode.  x86 then gives the IEEE result and flags, tininess detected after
 * rounding (Intel SDM vol. 1, 4.9.1.5 "Numeric Underflow Exception": the
 * result rounded with unbounded exponent is compared with the smallest
 * normal; RISC-V does the same; the unit tests hold this path against the
 * software one at the underflow edges), except for:
 *   - NaN results: x86 returns the first NaN operand quieted (or its own
 *     negative "indefinite" NaN); the status says what the guest gets, so
 *     a NaN result is replaced (default NaN) or recomputed (propagation);
 *   - the denormal-operand flag DE, which IEEE and RISC-V do not have
 *     (ignored);
 *   - ties-to-max-magnitude rounding, which MXCSR cannot express, and FMA
 *     on hosts without FMA3: these run in fpu/soft-fp.c.
 * Conversions to and from integers, comparisons, min/max and classification
 * are integer work in soft-fp.c (the host's conversions saturate the x86
 * way, and the rest needs no floating-point unit at all), with inline fast
 * paths for the operands that raise nothing.
 */
#include <string.h>
#include "fpu/host-fp.h"
#include "fpu/host-fp-fast.h"
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

/* HFP_CAP_*, plus this bit once settled. */
#define HFP_CAP_SETTLED 0x80u

unsigned hfp_host_caps;

/*
 * Settle hfp_host_caps before main, hence before any vCPU thread exists
 * (threads inherit the floating-point environment, POSIX).  The fast paths
 * need the IEEE default MXCSR: round to nearest even, every exception
 * masked, DAZ and FTZ clear (the flags, bits 0-5, do not matter).
 */
__attribute__((constructor)) static void hfp_host_settle(void)
{
    uint32_t csr;
    unsigned caps = HFP_CAP_SETTLED;

    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    if ((csr & ~0x3fu) == MXCSR_BASE) {
        caps |= HFP_CAP_FAST;
    }
    __builtin_cpu_init();
    /* libgcc only reports FMA when the OS has enabled the AVX state. */
    if (__builtin_cpu_supports("fma")) {
        caps |= HFP_CAP_FMA;
    }
    hfp_host_caps = caps;
}

bool hfp_host_has_fma(void)
{
    if (!(hfp_host_caps & HFP_CAP_SETTLED)) {
        hfp_host_settle();
    }
    return (hfp_host_caps & HFP_CAP_FMA) != 0;
}

/*
 * Conversions to integers have fast paths toward zero and to nearest even
 * (x = the operand as a host double, exact for binary32).
 */
#define TRY_FAST_TO_INT(s, x, kind, type)                                                          \
    do {                                                                                           \
        uint32_t flags = (s)->flags;                                                               \
        uint64_t r;                                                                                \
        if (!(s)->force_soft &&                                                                    \
            ((s)->round == HFP_ROUND_NEAREST_EVEN || (s)->round == HFP_ROUND_TO_ZERO) &&           \
            hfp_fast_to_int(x, kind, (s)->round == HFP_ROUND_TO_ZERO, &flags, &r)) {               \
            (s)->flags = (uint8_t)flags;                                                           \
            return (type)r;                                                                        \
        }                                                                                          \
    } while (0)

/* The inline fast paths apply (they decline NaNs themselves, so the NaN mode does not matter). */
static bool fast_ok(const HostFPStatus *s)
{
    return s->round == HFP_ROUND_NEAREST_EVEN && !s->force_soft;
}

/*
 * Run a fast path (an expression using `flags` and writing `r`) on a copy
 * of the flags; if it succeeds, keep the flags and return r.
 */
#define TRY_FAST(s, expr)                                                                          \
    do {                                                                                           \
        uint32_t flags = (s)->flags;                                                               \
        if (fast_ok(s) && (expr)) {                                                                \
            (s)->flags = (uint8_t)flags;                                                           \
            return r;                                                                              \
        }                                                                                          \
    } while (0)

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

/* (csr is passed by address: it must be read after the operation that writes it.) */
static uint32_t finish32(HostFPStatus *s, float r, const uint32_t *csr)
{
    uint32_t bits = f32_bits(r);

    s->flags |= flags_from_mxcsr(*csr);
    return hfp_is_nan32(bits) ? s->default_nan32 : bits;
}

static uint64_t finish64(HostFPStatus *s, double r, const uint32_t *csr)
{
    uint64_t bits = f64_bits(r);

    s->flags |= flags_from_mxcsr(*csr);
    return hfp_is_nan64(bits) ? s->default_nan64 : bits;
}

#define HFP_BINOP32(name, fast, sse, soft_call)                                                    \
    uint32_t hfp_##name##32(HostFPStatus * s, uint32_t a, uint32_t b)                              \
    {                                                                                              \
        uint32_t csr, r;                                                                           \
        TRY_FAST(s, fast);                                                                         \
        if (!host_ok(s, hfp_is_nan32(a) || hfp_is_nan32(b))) {                                     \
            return (uint32_t)(soft_call);                                                          \
        }                                                                                          \
        return finish32(s, sse(f32_from_bits(a), f32_from_bits(b), mxcsr_for(s), &csr), &csr);     \
    }

#define HFP_BINOP64(name, fast, sse, soft_call)                                                    \
    uint64_t hfp_##name##64(HostFPStatus * s, uint64_t a, uint64_t b)                              \
    {                                                                                              \
        uint32_t csr;                                                                              \
        uint64_t r;                                                                                \
        TRY_FAST(s, fast);                                                                         \
        if (!host_ok(s, hfp_is_nan64(a) || hfp_is_nan64(b))) {                                     \
            return soft_call;                                                                      \
        }                                                                                          \
        return finish64(s, sse(f64_from_bits(a), f64_from_bits(b), mxcsr_for(s), &csr), &csr);     \
    }

HFP_BINOP32(add, hfp_fast_addsub32(a, b, false, &flags, &r), sse_add32,
            sf_add(s, &sf_f32, a, b, false))
HFP_BINOP32(sub, hfp_fast_addsub32(a, b, true, &flags, &r), sse_sub32,
            sf_add(s, &sf_f32, a, b, true))
HFP_BINOP32(mul, hfp_fast_mul32(a, b, &flags, &r), sse_mul32, sf_mul(s, &sf_f32, a, b))
HFP_BINOP32(div, hfp_fast_div32(a, b, &flags, &r), sse_div32, sf_div(s, &sf_f32, a, b))
HFP_BINOP64(add, hfp_fast_addsub64(a, b, false, &flags, &r), sse_add64,
            sf_add(s, &sf_f64, a, b, false))
HFP_BINOP64(sub, hfp_fast_addsub64(a, b, true, &flags, &r), sse_sub64,
            sf_add(s, &sf_f64, a, b, true))
HFP_BINOP64(mul, hfp_fast_mul64(a, b, &flags, &r), sse_mul64, sf_mul(s, &sf_f64, a, b))
HFP_BINOP64(div, hfp_fast_div64(a, b, &flags, &r), sse_div64, sf_div(s, &sf_f64, a, b))

uint32_t hfp_sqrt32(HostFPStatus *s, uint32_t a)
{
    uint32_t csr, r;

    TRY_FAST(s, hfp_fast_sqrt32(a, &flags, &r));
    if (!host_ok(s, hfp_is_nan32(a))) {
        return (uint32_t)sf_sqrt(s, &sf_f32, a);
    }
    return finish32(s, sse_sqrt32(f32_from_bits(a), f32_from_bits(a), mxcsr_for(s), &csr), &csr);
}

uint64_t hfp_sqrt64(HostFPStatus *s, uint64_t a)
{
    uint32_t csr;
    uint64_t r;

    TRY_FAST(s, hfp_fast_sqrt64(a, &flags, &r));
    if (!host_ok(s, hfp_is_nan64(a))) {
        return sf_sqrt(s, &sf_f64, a);
    }
    return finish64(s, sse_sqrt64(f64_from_bits(a), f64_from_bits(a), mxcsr_for(s), &csr), &csr);
}

/*
 * FMA on the host needs FMA3.  NaN operands always take the software path:
 * RISC-V wants invalid for inf * 0 + qNaN, which x86 does not promise.
 */
uint32_t hfp_muladd32(HostFPStatus *s, uint32_t a, uint32_t b, uint32_t c, int negate)
{
    uint32_t csr, r;

    TRY_FAST(s, hfp_fast_muladd32(a, b, c, negate, &flags, &r));
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
    return finish32(
        s, sse_fma32(f32_from_bits(a), f32_from_bits(b), f32_from_bits(c), mxcsr_for(s), &csr),
        &csr);
}

uint64_t hfp_muladd64(HostFPStatus *s, uint64_t a, uint64_t b, uint64_t c, int negate)
{
    uint32_t csr;
    uint64_t r;

    TRY_FAST(s, hfp_fast_muladd64(a, b, c, negate, &flags, &r));
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
    return finish64(
        s, sse_fma64(f64_from_bits(a), f64_from_bits(b), f64_from_bits(c), mxcsr_for(s), &csr),
        &csr);
}

uint32_t hfp_min_num32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    if (!s->force_soft && hfp_no_nan32(a, b)) {
        return hfp_minmax32_ordered(a, b, false);
    }
    return (uint32_t)sf_minmax(s, &sf_f32, a, b, false);
}

uint32_t hfp_max_num32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    if (!s->force_soft && hfp_no_nan32(a, b)) {
        return hfp_minmax32_ordered(a, b, true);
    }
    return (uint32_t)sf_minmax(s, &sf_f32, a, b, true);
}

uint64_t hfp_min_num64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    if (!s->force_soft && hfp_no_nan64(a, b)) {
        return hfp_minmax64_ordered(a, b, false);
    }
    return sf_minmax(s, &sf_f64, a, b, false);
}

uint64_t hfp_max_num64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    if (!s->force_soft && hfp_no_nan64(a, b)) {
        return hfp_minmax64_ordered(a, b, true);
    }
    return sf_minmax(s, &sf_f64, a, b, true);
}

bool hfp_eq32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    if (!s->force_soft && hfp_no_nan32(a, b)) {
        return hfp_f32(a) == hfp_f32(b);
    }
    return sf_compare(s, &sf_f32, a, b, 0);
}

bool hfp_lt32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    if (!s->force_soft && hfp_no_nan32(a, b)) {
        return hfp_f32(a) < hfp_f32(b);
    }
    return sf_compare(s, &sf_f32, a, b, 1);
}

bool hfp_le32(HostFPStatus *s, uint32_t a, uint32_t b)
{
    if (!s->force_soft && hfp_no_nan32(a, b)) {
        return hfp_f32(a) <= hfp_f32(b);
    }
    return sf_compare(s, &sf_f32, a, b, 2);
}

bool hfp_eq64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    if (!s->force_soft && hfp_no_nan64(a, b)) {
        return hfp_f64(a) == hfp_f64(b);
    }
    return sf_compare(s, &sf_f64, a, b, 0);
}

bool hfp_lt64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    if (!s->force_soft && hfp_no_nan64(a, b)) {
        return hfp_f64(a) < hfp_f64(b);
    }
    return sf_compare(s, &sf_f64, a, b, 1);
}

bool hfp_le64(HostFPStatus *s, uint64_t a, uint64_t b)
{
    if (!s->force_soft && hfp_no_nan64(a, b)) {
        return hfp_f64(a) <= hfp_f64(b);
    }
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

/* Widening is exact: no rounding to ask the host for (and no flags but NaN ones). */
uint64_t hfp_f32_to_f64(HostFPStatus *s, uint32_t a)
{
    uint64_t r;

    if (!s->force_soft && hfp_fast_f32_to_f64(a, &r)) {
        return r;
    }
    return sf_convert(s, &sf_f32, &sf_f64, a);
}

uint32_t hfp_f64_to_f32(HostFPStatus *s, uint64_t a)
{
    uint32_t csr, r;

    TRY_FAST(s, hfp_fast_f64_to_f32(a, &flags, &r));
    if (!host_ok(s, hfp_is_nan64(a))) {
        return (uint32_t)sf_convert(s, &sf_f64, &sf_f32, a);
    }
    return finish32(s, sse_f64_to_f32(f64_from_bits(a), mxcsr_for(s), &csr), &csr);
}

int32_t hfp_f32_to_i32(HostFPStatus *s, uint32_t a)
{
    TRY_FAST_TO_INT(s, (double)hfp_f32(a), HFP_INT_S32, int32_t);
    return (int32_t)sf_to_int(s, &sf_f32, a, 32, true);
}

uint32_t hfp_f32_to_u32(HostFPStatus *s, uint32_t a)
{
    TRY_FAST_TO_INT(s, (double)hfp_f32(a), HFP_INT_U32, uint32_t);
    return (uint32_t)sf_to_int(s, &sf_f32, a, 32, false);
}

int64_t hfp_f32_to_i64(HostFPStatus *s, uint32_t a)
{
    TRY_FAST_TO_INT(s, (double)hfp_f32(a), HFP_INT_S64, int64_t);
    return (int64_t)sf_to_int(s, &sf_f32, a, 64, true);
}

uint64_t hfp_f32_to_u64(HostFPStatus *s, uint32_t a)
{
    TRY_FAST_TO_INT(s, (double)hfp_f32(a), HFP_INT_U64, uint64_t);
    return sf_to_int(s, &sf_f32, a, 64, false);
}

int32_t hfp_f64_to_i32(HostFPStatus *s, uint64_t a)
{
    TRY_FAST_TO_INT(s, hfp_f64(a), HFP_INT_S32, int32_t);
    return (int32_t)sf_to_int(s, &sf_f64, a, 32, true);
}

uint32_t hfp_f64_to_u32(HostFPStatus *s, uint64_t a)
{
    TRY_FAST_TO_INT(s, hfp_f64(a), HFP_INT_U32, uint32_t);
    return (uint32_t)sf_to_int(s, &sf_f64, a, 32, false);
}

int64_t hfp_f64_to_i64(HostFPStatus *s, uint64_t a)
{
    TRY_FAST_TO_INT(s, hfp_f64(a), HFP_INT_S64, int64_t);
    return (int64_t)sf_to_int(s, &sf_f64, a, 64, true);
}

uint64_t hfp_f64_to_u64(HostFPStatus *s, uint64_t a)
{
    TRY_FAST_TO_INT(s, hfp_f64(a), HFP_INT_U64, uint64_t);
    return sf_to_int(s, &sf_f64, a, 64, false);
}

/* The magnitude of a signed integer, without overflow for the minimum. */
static uint64_t magnitude(int64_t a)
{
    return a < 0 ? -(uint64_t)a : (uint64_t)a;
}

uint32_t hfp_i32_to_f32(HostFPStatus *s, int32_t a)
{
    uint32_t r;

    TRY_FAST(s, hfp_fast_s64_to_f32(a, &flags, &r));
    return (uint32_t)sf_from_int(s, &sf_f32, magnitude(a), a < 0);
}

uint32_t hfp_u32_to_f32(HostFPStatus *s, uint32_t a)
{
    uint32_t r;

    TRY_FAST(s, hfp_fast_u64_to_f32(a, &flags, &r));
    return (uint32_t)sf_from_int(s, &sf_f32, a, false);
}

uint32_t hfp_i64_to_f32(HostFPStatus *s, int64_t a)
{
    uint32_t r;

    TRY_FAST(s, hfp_fast_s64_to_f32(a, &flags, &r));
    return (uint32_t)sf_from_int(s, &sf_f32, magnitude(a), a < 0);
}

uint32_t hfp_u64_to_f32(HostFPStatus *s, uint64_t a)
{
    uint32_t r;

    TRY_FAST(s, hfp_fast_u64_to_f32(a, &flags, &r));
    return (uint32_t)sf_from_int(s, &sf_f32, a, false);
}

uint64_t hfp_i32_to_f64(HostFPStatus *s, int32_t a)
{
    uint64_t r;

    TRY_FAST(s, hfp_fast_s64_to_f64(a, &flags, &r));
    return sf_from_int(s, &sf_f64, magnitude(a), a < 0);
}

uint64_t hfp_u32_to_f64(HostFPStatus *s, uint32_t a)
{
    uint64_t r;

    TRY_FAST(s, hfp_fast_u64_to_f64(a, &flags, &r));
    return sf_from_int(s, &sf_f64, a, false);
}

uint64_t hfp_i64_to_f64(HostFPStatus *s, int64_t a)
{
    uint64_t r;

    TRY_FAST(s, hfp_fast_s64_to_f64(a, &flags, &r));
    return sf_from_int(s, &sf_f64, magnitude(a), a < 0);
}

uint64_t hfp_u64_to_f64(HostFPStatus *s, uint64_t a)
{
    uint64_t r;

    TRY_FAST(s, hfp_fast_u64_to_f64(a, &flags, &r));
    return sf_from_int(s, &sf_f64, a, false);
}
