/*
 * intmix: 64-bit integer arithmetic as a compiler emits it for hashing and
 * bignum code: multiply (low and high halves), signed and unsigned divide
 * and remainder, shifts by variable amounts, rotates, and 32-bit (the *W
 * instructions on RV64) forms.  The loop carries a dependency through every
 * operation, so each one is executed.
 *
 * usage: intmix [iterations]
 */
#include "bench.h"

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
    n &= 63;
    return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint32_t rotr32(uint32_t x, unsigned n)
{
    n &= 31;
    return (x >> n) | (x << ((32 - n) & 31));
}

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 40000000);
    uint64_t s = 0x123456789abcdefULL;
    uint64_t a = 1, b = 2, c = 3;
    uint32_t w = 7;

    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = bench_rand(&s);
        unsigned __int128 p = (unsigned __int128)(a | 1) * (r ^ b);
        int64_t sd = (int64_t)(r >> 40) - (1 << 23);
        uint64_t ud = (c >> (r & 31)) | 1;

        if (sd == 0 || sd == -1) {
            sd = 7;
        }
        a += (uint64_t)(p >> 64) ^ (uint64_t)p;
        b = rotl64(b ^ a, (unsigned)(r >> 58)) + ((int64_t)a / sd);
        c = (c * 0x9e3779b97f4a7c15ULL) ^ (b % ud) ^ ((uint64_t)((int64_t)c >> (a & 63)));
        w = rotr32(w * 0x01000193u + (uint32_t)b, (unsigned)c) ^ (uint32_t)(c >> 32) / (w | 1);
        a ^= (uint64_t)(int64_t)(int32_t)w << 3;
    }
    printf("intmix n=%" PRIu64 " checksum=%016" PRIx64 "\n", n,
           bench_mix(bench_mix(bench_mix(a, b), c), w));
    return 0;
}
