/*
 * membw: memory bandwidth as guest code sees it: memset, memcpy (glibc's,
 * so the guest's own string routines) and a STREAM-style triad
 * a[i] = b[i] + q * c[i] in double, over three arrays of 64 MiB each
 * (larger than any cache), several passes.
 *
 * usage: membw [passes [MiB per array]]
 */
#include <string.h>

#include "bench.h"

int main(int argc, char **argv)
{
    uint64_t passes = bench_arg(argc, argv, 1, 6);
    uint64_t mib = bench_arg(argc, argv, 2, 64);
    size_t n = (size_t)(mib << 20) / sizeof(double);
    double *a = bench_alloc(n * sizeof(double));
    double *b = bench_alloc(n * sizeof(double));
    double *c = bench_alloc(n * sizeof(double));
    uint64_t h = 0;

    for (size_t i = 0; i < n; i++) {
        b[i] = (double)(i & 1023);
    }
    for (uint64_t p = 0; p < passes; p++) {
        double q = (double)(p + 1) * 0.5;

        /* Bytes 0x01..0x10 make small finite doubles: no NaN (hosts differ there). */
        memset(c, (int)(p % 16 + 1), n * sizeof(double));
        for (size_t i = 0; i < n; i += 4096) {
            c[i] = (double)p;
        }
        for (size_t i = 0; i < n; i++) {
            a[i] = b[i] + q * c[i];
        }
        memcpy(b, a, n * sizeof(double));
        for (size_t i = 0; i < n; i += 4093) {
            uint64_t u;

            memcpy(&u, &b[i], sizeof(u));
            h = bench_mix(h, u);
            b[i] = (double)((i + p) & 1023);
        }
    }
    printf("membw passes=%" PRIu64 " mib=%" PRIu64 " checksum=%016" PRIx64 "\n", passes, mib, h);
    free(a);
    free(b);
    free(c);
    return 0;
}
