/*
 * User-mode test: self-modifying code.  Instructions are written into an
 * executable mapping, run, rewritten in place (same address, so a stale
 * translation would return the old value) and run again, with
 * __builtin___clear_cache between (fence.i / riscv_flush_icache), and a
 * loop rewrites the code many times.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* addi a0, zero, imm ; ret */
static void emit(uint32_t *code, int imm)
{
    code[0] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 7) | 0x13;
    code[1] = 0x00008067;
}

int main(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int (*fn)(void) = (int (*)(void))code;
    long sum = 0;

    if (code == MAP_FAILED) {
        printf("mmap failed\n");
        return 1;
    }
    emit(code, 11);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    printf("first: %d\n", fn());
    emit(code, 22);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    printf("second: %d\n", fn());
    for (int i = 0; i < 200; i++) {
        emit(code, i);
        __builtin___clear_cache((char *)code, (char *)(code + 2));
        sum += fn();
    }
    printf("loop sum: %ld\n", sum);
    /* W^X style: write while not executable, then flip. */
    mprotect(code, 4096, PROT_READ | PROT_WRITE);
    emit(code, 33);
    mprotect(code, 4096, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    printf("after mprotect: %d\n", fn());
    return 0;
}
