/*
 * What every user-mode benchmark program shares (bench/user/suite.py runs
 * them): its size from the command line, a deterministic generator, and one
 * result line.  A program prints exactly one line, "<name> <sizes>
 * checksum=<hex>", the same natively and under emulation, so that the suite
 * can refuse to time a run whose result is wrong.  Nothing here may depend
 * on the ABI (char signedness, pointer values, libm rounding): the riscv64
 * and x86-64 builds must print the same line.
 */
#ifndef BENCH_H
#define BENCH_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[i] as an unsigned number, or `def` when absent; a bad one exits 2. */
static inline uint64_t bench_arg(int argc, char **argv, int i, uint64_t def)
{
    char *end;
    uint64_t v;

    if (i >= argc) {
        return def;
    }
    v = strtoull(argv[i], &end, 0);
    if (*end || v == 0) {
        fprintf(stderr, "%s: bad size '%s'\n", argv[0], argv[i]);
        exit(2);
    }
    return v;
}

/* xorshift64*: cheap, deterministic, good enough to make data. */
static inline uint64_t bench_rand(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Fold a value into a running checksum (order-sensitive). */
static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

static inline void *bench_alloc(size_t n)
{
    void *p = malloc(n);

    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

#endif
