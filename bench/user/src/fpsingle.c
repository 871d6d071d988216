/*
 * fpsingle: single-precision matrix multiply (C = A x B, i-k-j order so
 * the inner loop streams rows) then a row normalisation with sqrtf and
 * divides.  Built with -ffp-contract=off, so the bits of C are the same on
 * every IEEE host whatever the compiler vectorises.
 *
 * usage: fpsingle [matrix order]
 */
#include <math.h>
#include <string.h>

#include "bench.h"

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 1024);
    float *a = bench_alloc(n * n * sizeof(float));
    float *b = bench_alloc(n * n * sizeof(float));
    float *c = bench_alloc(n * n * sizeof(float));
    uint64_t s = 99, h = 0;

    for (uint64_t i = 0; i < n * n; i++) {
        /* Values in [-0.5, 0.5), exactly representable (24 bits). */
        a[i] = (float)(int32_t)(bench_rand(&s) >> 40) * 0x1p-24f - 0.5f;
        b[i] = (float)(int32_t)(bench_rand(&s) >> 40) * 0x1p-24f - 0.5f;
    }
    memset(c, 0, n * n * sizeof(float));
    for (uint64_t i = 0; i < n; i++) {
        float *ci = c + i * n;

        for (uint64_t k = 0; k < n; k++) {
            float aik = a[i * n + k];
            const float *bk = b + k * n;

            for (uint64_t j = 0; j < n; j++) {
                ci[j] += aik * bk[j];
            }
        }
    }
    for (uint64_t i = 0; i < n; i++) {
        float *ci = c + i * n, norm = 0;

        for (uint64_t j = 0; j < n; j++) {
            norm += ci[j] * ci[j];
        }
        norm = sqrtf(norm) + 1.0f;
        for (uint64_t j = 0; j < n; j++) {
            uint32_t u;
            float v = ci[j] / norm;

            memcpy(&u, &v, sizeof(u));
            h = bench_mix(h, u);
        }
    }
    printf("fpsingle n=%" PRIu64 " c[0]=%.6f checksum=%016" PRIx64 "\n", n, (double)c[0], h);
    free(a);
    free(b);
    free(c);
    return 0;
}
