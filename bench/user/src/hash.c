/*
 * hash: SHA-256 (FIPS 180-4; 32-bit rotates and adds) and XXH64 (64-bit
 * multiply-rotate) over a generated 1 MiB buffer, hashed again and again
 * with the previous digest folded into the buffer so no pass can be skipped.
 *
 * usage: hash [MiB to hash with each function]
 */
#include <string.h>

#include "bench.h"

#define BUF_SIZE (1u << 20)

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], s[8];
    int i;

    for (i = 0; i < 16; i++) {
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    }
    for (; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(s, h, sizeof(s));
    for (i = 0; i < 64; i++) {
        uint32_t t1 = s[7] + (ror32(s[4], 6) ^ ror32(s[4], 11) ^ ror32(s[4], 25)) +
                      ((s[4] & s[5]) ^ (~s[4] & s[6])) + sha256_k[i] + w[i];
        uint32_t t2 = (ror32(s[0], 2) ^ ror32(s[0], 13) ^ ror32(s[0], 22)) +
                      ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));

        memmove(s + 1, s, 7 * sizeof(s[0]));
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++) {
        h[i] += s[i];
    }
}

/* SHA-256 of a whole number of 64-byte blocks plus the standard padding. */
static void sha256(uint8_t out[32], const uint8_t *p, size_t len)
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint8_t pad[64] = {0x80};
    size_t i;

    for (i = 0; i + 64 <= len; i += 64) {
        sha256_block(h, p + i);
    }
    for (i = 0; i < 8; i++) {
        pad[56 + i] = (uint8_t)((uint64_t)len * 8 >> (56 - 8 * i));
    }
    sha256_block(h, pad);
    for (i = 0; i < 32; i++) {
        out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
    }
}

#define XXP1 0x9e3779b185ebca87ULL
#define XXP2 0xc2b2ae3d27d4eb4fULL
#define XXP3 0x165667b19e3779f9ULL
#define XXP4 0x85ebca77c2b2ae63ULL
#define XXP5 0x27d4eb2f165667c5ULL

static inline uint64_t rol64(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

static inline uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static inline uint64_t xxh64_round(uint64_t acc, uint64_t in)
{
    return rol64(acc + in * XXP2, 31) * XXP1;
}

static inline uint64_t xxh64_merge(uint64_t acc, uint64_t v)
{
    return (acc ^ xxh64_round(0, v)) * XXP1 + XXP4;
}

/* XXH64 of a length that is a multiple of 32 (the buffer's is). */
static uint64_t xxh64(const uint8_t *p, size_t len, uint64_t seed)
{
    uint64_t v1 = seed + XXP1 + XXP2, v2 = seed + XXP2, v3 = seed, v4 = seed - XXP1;
    uint64_t h;

    for (size_t i = 0; i < len; i += 32) {
        v1 = xxh64_round(v1, le64(p + i));
        v2 = xxh64_round(v2, le64(p + i + 8));
        v3 = xxh64_round(v3, le64(p + i + 16));
        v4 = xxh64_round(v4, le64(p + i + 24));
    }
    h = rol64(v1, 1) + rol64(v2, 7) + rol64(v3, 12) + rol64(v4, 18);
    h = xxh64_merge(xxh64_merge(xxh64_merge(xxh64_merge(h, v1), v2), v3), v4);
    h += len;
    h ^= h >> 33;
    h *= XXP2;
    h ^= h >> 29;
    h *= XXP3;
    h ^= h >> 32;
    return h;
}

int main(int argc, char **argv)
{
    uint64_t mib = bench_arg(argc, argv, 1, 64);
    uint8_t *buf = bench_alloc(BUF_SIZE);
    uint8_t digest[32] = {0};
    uint64_t s = 42, x = 0, sum = 0;

    for (size_t i = 0; i < BUF_SIZE; i += 8) {
        uint64_t r = bench_rand(&s);

        memcpy(buf + i, &r, 8);
    }
    for (uint64_t pass = 0; pass < mib; pass++) {
        memcpy(buf + (pass * 64) % BUF_SIZE, digest, 32);
        sha256(digest, buf, BUF_SIZE);
        x = xxh64(buf, BUF_SIZE, x);
        memcpy(buf + (pass * 64 + 32) % BUF_SIZE, &x, 8);
    }
    for (int i = 0; i < 32; i++) {
        sum = sum << 8 | digest[i];
        if (i % 8 == 7) {
            x = bench_mix(x, sum);
        }
    }
    printf("hash mib=%" PRIu64 " sha256[0:8]=%02x%02x%02x%02x%02x%02x%02x%02x checksum=%016" PRIx64
           "\n",
           mib, digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6],
           digest[7], x);
    free(buf);
    return 0;
}
