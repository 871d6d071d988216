/*
 * ptrchase: memory latency.  A ring of 64-byte nodes (one cache line
 * each) over 64 MiB, linked into one cycle in a random order (a
 * Fisher-Yates shuffle), is followed pointer by pointer: every load depends on the previous one and
 * misses the caches and the TLB.  The node ids visited go into the checksum
 * (never the pointers, whose values differ between hosts).
 *
 * usage: ptrchase [steps [ring MiB]]
 */
#include "bench.h"

typedef struct Node {
    struct Node *next;
    uint64_t id;
    uint64_t pad[6];
} Node;

int main(int argc, char **argv)
{
    uint64_t steps = bench_arg(argc, argv, 1, 3000000);
    uint64_t mib = bench_arg(argc, argv, 2, 64);
    size_t n = (size_t)(mib << 20) / sizeof(Node);
    Node *ring = bench_alloc(n * sizeof(Node));
    uint32_t *perm = bench_alloc(n * sizeof(uint32_t));
    uint64_t s = 2024, h = 0;
    Node *p;

    for (size_t i = 0; i < n; i++) {
        perm[i] = (uint32_t)i;
    }
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(bench_rand(&s) % (i + 1));
        uint32_t t = perm[i];

        perm[i] = perm[j];
        perm[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        ring[perm[i]].next = &ring[perm[(i + 1) % n]];
        ring[perm[i]].id = i;
    }
    p = &ring[perm[0]];
    for (uint64_t i = 0; i < steps; i++) {
        h += p->id;
        p = p->next;
    }
    printf("ptrchase steps=%" PRIu64 " mib=%" PRIu64 " last=%" PRIu64 " checksum=%016" PRIx64 "\n",
           steps, mib, p->id, bench_mix(h, p->id));
    free(ring);
    free(perm);
    return 0;
}
