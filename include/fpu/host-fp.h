/*
 * IEEE 754 binary32/binary64 arithmetic for guest floating point, bit-exact
 * in results and exception flags, for any target to use.
 *
 * Operations run on the host's SSE unit with MXCSR set to the requested
 * rounding mode (all exceptions masked, DAZ and FTZ off) and the flags read
 * back; x86 detects tininess after rounding, as IEEE 754-2008 allows and as
 * RISC-V requires.  What the host cannot do exactly goes to an exact
 * software implementation (fpu/soft-fp.c): round-to-nearest-ties-to-max-
 * magnitude (x86 has no such mode), fused multiply-add without host FMA,
 * NaN propagation rules other than "return the default NaN", and the
 * conversions to integers (each architecture saturates differently).
 *
 * Values are passed as raw bit patterns (uint32_t/uint64_t), never as host
 * float/double, so that NaN payloads and signs survive untouched.
 *
 * In round-to-nearest-even every operation first tries an inline fast path
 * (include/fpu/host-fp-fast.h, which targets may also call directly): host
 * arithmetic under the default MXCSR with the flags derived from the
 * result, because reading MXCSR back is slow; what it cannot decide goes
 * the careful way described above.
 */
#ifndef MORPH_FPU_HOST_FP_H
#define MORPH_FPU_HOST_FP_H

#include <stdbool.h>
#include <stdint.h>

/* Rounding-direction attributes (numbered as RISC-V's rm field). */
typedef enum HostFPRound {
    HFP_ROUND_NEAREST_EVEN = 0,
    HFP_ROUND_TO_ZERO = 1,
    HFP_ROUND_DOWN = 2,            /* toward -infinity */
    HFP_ROUND_UP = 3,              /* toward +infinity */
    HFP_ROUND_NEAREST_MAX_MAG = 4, /* ties away from zero */
} HostFPRound;

/* Exception flags (bit-compatible with RISC-V fflags). */
enum {
    HFP_FLAG_INEXACT = 0x01,
    HFP_FLAG_UNDERFLOW = 0x02,
    HFP_FLAG_OVERFLOW = 0x04,
    HFP_FLAG_DIVBYZERO = 0x08,
    HFP_FLAG_INVALID = 0x10,
};

/* What a NaN result is. */
typedef enum HostFPNaNMode {
    /* Always the default NaN (RISC-V; ARM with FPCR.DN). */
    HFP_NAN_DEFAULT,
    /*
     * Propagate an input NaN, quieted: the first signaling NaN in operand
     * order, else the first quiet one (ARM with FPCR.DN clear).
     */
    HFP_NAN_PROPAGATE,
} HostFPNaNMode;

/* What a NaN converts to when converted to an integer (always raising invalid). */
typedef enum HostFPNaNToInt {
    HFP_NAN_TO_INT_MAX,  /* the largest integer (RISC-V) */
    HFP_NAN_TO_INT_ZERO, /* 0 (ARM) */
    HFP_NAN_TO_INT_MIN,  /* the smallest integer (x86's "indefinite") */
} HostFPNaNToInt;

typedef struct HostFPStatus {
    HostFPRound round;
    uint8_t flags; /* HFP_FLAG_*: each operation ORs its flags in */
    HostFPNaNMode nan_mode;
    HostFPNaNToInt nan_to_int;
    uint32_t default_nan32;
    uint64_t default_nan64;
    /* Use the software path for everything (tests compare it with the host path). */
    bool force_soft;
} HostFPStatus;

/* A status with IEEE defaults: ties-to-even, no flags, RISC-V's NaN rules. */
void hfp_status_init(HostFPStatus *s);
/* True if the host has FMA (fused multiply-add goes to software otherwise). */
bool hfp_host_has_fma(void);

/* Arithmetic: a op b, correctly rounded. */
uint32_t hfp_add32(HostFPStatus *s, uint32_t a, uint32_t b);
uint32_t hfp_sub32(HostFPStatus *s, uint32_t a, uint32_t b);
uint32_t hfp_mul32(HostFPStatus *s, uint32_t a, uint32_t b);
uint32_t hfp_div32(HostFPStatus *s, uint32_t a, uint32_t b);
uint32_t hfp_sqrt32(HostFPStatus *s, uint32_t a);
uint64_t hfp_add64(HostFPStatus *s, uint64_t a, uint64_t b);
uint64_t hfp_sub64(HostFPStatus *s, uint64_t a, uint64_t b);
uint64_t hfp_mul64(HostFPStatus *s, uint64_t a, uint64_t b);
uint64_t hfp_div64(HostFPStatus *s, uint64_t a, uint64_t b);
uint64_t hfp_sqrt64(HostFPStatus *s, uint64_t a);

/*
 * Fused multiply-add with one rounding: (+/-)(a * b) (+/-) c.  The flags
 * select the negations; (a * b) is exact before the addition.  inf * 0
 * raises invalid even when c is a quiet NaN (RISC-V requires it).
 */
enum {
    HFP_MULADD_NEGATE_PRODUCT = 1,
    HFP_MULADD_NEGATE_C = 2,
};
uint32_t hfp_muladd32(HostFPStatus *s, uint32_t a, uint32_t b, uint32_t c, int negate);
uint64_t hfp_muladd64(HostFPStatus *s, uint64_t a, uint64_t b, uint64_t c, int negate);

/*
 * minimumNumber/maximumNumber (IEEE 754-2019; RISC-V F 2.2): -0 < +0, a
 * single NaN operand yields the other operand, two NaNs the default NaN;
 * a signaling NaN raises invalid.
 */
uint32_t hfp_min_num32(HostFPStatus *s, uint32_t a, uint32_t b);
uint32_t hfp_max_num32(HostFPStatus *s, uint32_t a, uint32_t b);
uint64_t hfp_min_num64(HostFPStatus *s, uint64_t a, uint64_t b);
uint64_t hfp_max_num64(HostFPStatus *s, uint64_t a, uint64_t b);

/*
 * Comparisons.  Quiet ones (eq) raise invalid only for a signaling NaN;
 * signaling ones (lt, le) for any NaN.  Unordered compares false.
 */
bool hfp_eq32(HostFPStatus *s, uint32_t a, uint32_t b);
bool hfp_lt32(HostFPStatus *s, uint32_t a, uint32_t b);
bool hfp_le32(HostFPStatus *s, uint32_t a, uint32_t b);
bool hfp_eq64(HostFPStatus *s, uint64_t a, uint64_t b);
bool hfp_lt64(HostFPStatus *s, uint64_t a, uint64_t b);
bool hfp_le64(HostFPStatus *s, uint64_t a, uint64_t b);

/* Classification, as a one-hot mask in RISC-V's fclass bit order. */
enum {
    HFP_CLASS_NEG_INF = 1 << 0,
    HFP_CLASS_NEG_NORMAL = 1 << 1,
    HFP_CLASS_NEG_SUBNORMAL = 1 << 2,
    HFP_CLASS_NEG_ZERO = 1 << 3,
    HFP_CLASS_POS_ZERO = 1 << 4,
    HFP_CLASS_POS_SUBNORMAL = 1 << 5,
    HFP_CLASS_POS_NORMAL = 1 << 6,
    HFP_CLASS_POS_INF = 1 << 7,
    HFP_CLASS_SNAN = 1 << 8,
    HFP_CLASS_QNAN = 1 << 9,
};
unsigned hfp_class32(uint32_t a);
unsigned hfp_class64(uint64_t a);
bool hfp_is_nan32(uint32_t a);
bool hfp_is_nan64(uint64_t a);
bool hfp_is_snan32(uint32_t a);
bool hfp_is_snan64(uint64_t a);

/* Between the formats. */
uint64_t hfp_f32_to_f64(HostFPStatus *s, uint32_t a);
uint32_t hfp_f64_to_f32(HostFPStatus *s, uint64_t a);

/*
 * To integers, rounding with s->round.  Out-of-range values (and
 * infinities) saturate to the nearest representable integer and raise
 * invalid but not inexact; NaN gives what s->nan_to_int says.
 */
int32_t hfp_f32_to_i32(HostFPStatus *s, uint32_t a);
uint32_t hfp_f32_to_u32(HostFPStatus *s, uint32_t a);
int64_t hfp_f32_to_i64(HostFPStatus *s, uint32_t a);
uint64_t hfp_f32_to_u64(HostFPStatus *s, uint32_t a);
int32_t hfp_f64_to_i32(HostFPStatus *s, uint64_t a);
uint32_t hfp_f64_to_u32(HostFPStatus *s, uint64_t a);
int64_t hfp_f64_to_i64(HostFPStatus *s, uint64_t a);
uint64_t hfp_f64_to_u64(HostFPStatus *s, uint64_t a);

/* From integers, rounding with s->round. */
uint32_t hfp_i32_to_f32(HostFPStatus *s, int32_t a);
uint32_t hfp_u32_to_f32(HostFPStatus *s, uint32_t a);
uint32_t hfp_i64_to_f32(HostFPStatus *s, int64_t a);
uint32_t hfp_u64_to_f32(HostFPStatus *s, uint64_t a);
uint64_t hfp_i32_to_f64(HostFPStatus *s, int32_t a);
uint64_t hfp_u32_to_f64(HostFPStatus *s, uint32_t a);
uint64_t hfp_i64_to_f64(HostFPStatus *s, int64_t a);
uint64_t hfp_u64_to_f64(HostFPStatus *s, uint64_t a);

#endif
