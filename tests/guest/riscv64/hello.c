/*
 * The smallest guest program: prints its arguments and a checksum computed
 * with 64-bit multiply, divide and shifts, so a run checks both the loader
 * (argv, stack, libc start-up) and basic integer execution.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t mix(uint64_t x, unsigned rounds)
{
    for (unsigned i = 0; i < rounds; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        x ^= x >> 29;
        x += x / 7 + (x % 13);
    }
    return x;
}

int main(int argc, char **argv)
{
    printf("hello from riscv64: argc=%d\n", argc);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d]=%s len=%zu\n", i, argv[i], strlen(argv[i]));
    }
    printf("mix=0x%016llx\n", (unsigned long long)mix(42, 100000));
    return argc == 1 ? 0 : argc;
}
