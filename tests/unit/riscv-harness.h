/*
 * A bench for the RISC-V privileged tests (test-riscv-*.c): a hart made by
 * the real runtime (tcg_exec_init in system mode, tcg_cpu_create with
 * riscv64_target_ops) on a stand-in of the memory API with RAM, a ROM, one
 * device and holes, and helpers to make accesses through the softmmu TLB
 * and catch the exception they raise.
 */
#ifndef MORPH_TESTS_RISCV_HARNESS_H
#define MORPH_TESTS_RISCV_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include "exec/cputlb.h"
#include "exec/memory.h"
#include "cpu.h"

#define RVH_RAM_BASE  UINT64_C(0x80000000)
#define RVH_RAM_SIZE  (16u << 20)
#define RVH_ROM_BASE  UINT64_C(0x20000000)
#define RVH_ROM_SIZE  (64u << 10)
#define RVH_MMIO_BASE UINT64_C(0x10000000)
#define RVH_MMIO_SIZE 0x1000u

typedef struct RVHarness {
    CPUState *cs;
    CPURISCVState *env;
    uint8_t *ram;
    uint8_t *rom;
    unsigned dev_reads, dev_writes;
} RVHarness;

extern RVHarness rvh;

/* Start the runtime and make hart 0 (default rv64 configuration, reset, M-mode). */
void rvh_setup(void);
/* The same on a named TCG backend ("x86_64", "interp"); NULL: the default. */
void rvh_setup_backend(const char *backend);
void rvh_teardown(void);

/* Guest physical RAM/ROM as host memory. */
void *rvh_phys(uint64_t pa);
uint64_t rvh_ld64(uint64_t pa);
void rvh_st64(uint64_t pa, uint64_t v);

/*
 * An access through the TLB with MMU index mmu_idx (loads, stores, and an
 * instruction fetch by a load with MMU_INST_FETCH semantics is not
 * offered).  Returns RISCV_EXCP_NONE (-1) or the exception it raised, with
 * env->badaddr its tval.
 */
int rvh_load(uint64_t va, MemOp op, int mmu_idx, uint64_t *val);
int rvh_store(uint64_t va, MemOp op, int mmu_idx, uint64_t val);
/* Fill the TLB for an instruction fetch at va (through ops->tlb_fill). */
int rvh_fetch(uint64_t va, int mmu_idx);
/* Run fn(arg); returns RISCV_EXCP_NONE, or cs->exception_index if it left by cpu_loop_exit. */
int rvh_try(void (*fn)(void *), void *arg);

#endif
