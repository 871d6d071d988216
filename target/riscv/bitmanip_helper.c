/*
 * Zbc carry-less multiplication (Bit-Manipulation ISA 1.0.0, section 2.3):
 * the low (clmul), high (clmulh) and "reversed" (clmulr: bits 126..63)
 * halves of the 128-bit carry-less product.
 */
#include "helper.h"

uint64_t helper_clmul(uint64_t a, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            r ^= a << i;
        }
    }
    return r;
}

uint64_t helper_clmulh(uint64_t a, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 1; i < 64; i++) {
        if ((b >> i) & 1) {
            r ^= a >> (64 - i);
        }
    }
    return r;
}

uint64_t helper_clmulr(uint64_t a, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            r ^= a >> (63 - i);
        }
    }
    return r;
}
