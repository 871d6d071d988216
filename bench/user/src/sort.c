/*
 * sort: glibc's qsort (indirect calls to a comparator) and a hand-written
 * bottom-up merge sort (branchy loads and stores) on the same array of
 * pseudo-random 32-bit ints; both results must agree and be sorted.
 *
 * usage: sort [number of ints]
 */
#include <string.h>

#include "bench.h"

static int cmp_int(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

    return (x > y) - (x < y);
}

static void merge_sort(int32_t *a, int32_t *tmp, size_t n)
{
    int32_t *src = a, *dst = tmp;

    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;

            while (i < mid && j < hi) {
                dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) {
        memcpy(a, src, n * sizeof(*a));
    }
}

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 2000000);
    int32_t *orig = bench_alloc(n * sizeof(int32_t));
    int32_t *q = bench_alloc(n * sizeof(int32_t));
    int32_t *m = bench_alloc(n * sizeof(int32_t));
    int32_t *tmp = bench_alloc(n * sizeof(int32_t));
    uint64_t s = 7, h = 0;

    for (uint64_t i = 0; i < n; i++) {
        orig[i] = (int32_t)(bench_rand(&s) >> 32);
    }
    memcpy(q, orig, n * sizeof(int32_t));
    memcpy(m, orig, n * sizeof(int32_t));
    qsort(q, n, sizeof(int32_t), cmp_int);
    merge_sort(m, tmp, n);
    for (uint64_t i = 0; i < n; i++) {
        if (q[i] != m[i] || (i && q[i - 1] > q[i])) {
            printf("sort n=%" PRIu64 " WRONG at %" PRIu64 "\n", n, i);
            return 1;
        }
        h = bench_mix(h, (uint32_t)q[i]);
    }
    printf("sort n=%" PRIu64 " min=%d max=%d checksum=%016" PRIx64 "\n", n, q[0], q[n - 1], h);
    free(orig);
    free(q);
    free(m);
    free(tmp);
    return 0;
}
