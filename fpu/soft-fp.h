/*
 * The exact software implementation behind include/fpu/host-fp.h, generic
 * over the binary32 and binary64 formats (described by an SFFormat).  Raw
 * values travel in uint64_t (binary32 in the low 32 bits).  Internal to
 * fpu/: targets use host-fp.h.
 */
#ifndef MORPH_FPU_SOFT_FP_H
#define MORPH_FPU_SOFT_FP_H

#include <stdbool.h>
#include <stdint.h>
#include "fpu/host-fp.h"

typedef struct SFFormat {
    int frac_bits; /* stored fraction bits: 23, 52 */
    int exp_bits;  /* exponent bits: 8, 11 */
    int bias;      /* 127, 1023 */
} SFFormat;

extern const SFFormat sf_f32;
extern const SFFormat sf_f64;

uint64_t sf_add(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, bool negate_b);
uint64_t sf_mul(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b);
uint64_t sf_div(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b);
uint64_t sf_sqrt(HostFPStatus *s, const SFFormat *f, uint64_t a);
uint64_t sf_muladd(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, uint64_t c,
                   int negate);
uint64_t sf_convert(HostFPStatus *s, const SFFormat *from, const SFFormat *to, uint64_t a);
/* To an integer of `bits` bits; the result is returned as a two's complement uint64_t. */
uint64_t sf_to_int(HostFPStatus *s, const SFFormat *f, uint64_t a, int bits, bool is_signed);
/* From the integer (negative ? -mag : mag). */
uint64_t sf_from_int(HostFPStatus *s, const SFFormat *f, uint64_t mag, bool negative);

uint64_t sf_minmax(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, bool is_max);
/* rel: 0 = eq (quiet), 1 = lt (signaling), 2 = le (signaling). */
bool sf_compare(HostFPStatus *s, const SFFormat *f, uint64_t a, uint64_t b, int rel);
unsigned sf_class(const SFFormat *f, uint64_t a);
bool sf_is_nan(const SFFormat *f, uint64_t a);
bool sf_is_snan(const SFFormat *f, uint64_t a);

/* The default NaN of the format, from the status. */
uint64_t sf_default_nan(const HostFPStatus *s, const SFFormat *f);

#endif
