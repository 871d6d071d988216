/*
 * Physical memory protection: the pmpcfg/pmpaddr CSRs and the check every
 * physical access of the hart goes through (Privileged Architecture
 * 20211203, section 3.7).  Used by csr.c (the CSRs) and mmu.c (the check,
 * applied when a TLB entry is filled, so that generated code obeys PMP
 * without looking at it).
 */
#ifndef MORPH_TARGET_RISCV_PMP_H
#define MORPH_TARGET_RISCV_PMP_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"

/* One pmpcfg byte. */
#define PMP_R       0x01
#define PMP_W       0x02
#define PMP_X       0x04
#define PMP_A_SHIFT 3
#define PMP_A       0x18
#define PMP_L       0x80

/* Address-matching modes (pmpcfg.A). */
enum {
    PMP_A_OFF = 0,
    PMP_A_TOR = 1,
    PMP_A_NA4 = 2,
    PMP_A_NAPOT = 3,
};

/* pmpaddr holds physical address bits 55:2. */
#define PMP_ADDR_MASK ((1ull << 54) - 1)

/* The outcome of a PMP check over a range of physical addresses. */
typedef enum RISCVPMPResult {
    RISCV_PMP_DEFAULT, /* no entry matched: the mode's default applies */
    RISCV_PMP_MATCH,   /* an entry matched every byte */
    RISCV_PMP_PARTIAL, /* the first entry to match covers only some bytes: fails */
} RISCVPMPResult;

/*
 * pmpcfg<reg> (reg even, 0..14: 8 entries each on RV64) and pmpaddr<i>.
 * Entries at or above cfg.pmp_regions read as zero and ignore writes.
 * Writes obey the lock bits and flush the TLB when something changed.
 */
uint64_t riscv_pmpcfg_read(const CPURISCVState *env, unsigned reg);
void riscv_pmpcfg_write(CPURISCVState *env, unsigned reg, uint64_t val);
uint64_t riscv_pmpaddr_read(const CPURISCVState *env, unsigned i);
void riscv_pmpaddr_write(CPURISCVState *env, unsigned i, uint64_t val);

/*
 * Which accesses (PAGE_READ | PAGE_WRITE | PAGE_EXEC in *prot) PMP allows
 * mode `priv` on every byte of [addr, addr + size).  The result says how
 * that was decided; for RISCV_PMP_PARTIAL *prot is 0.
 */
RISCVPMPResult riscv_pmp_prot(const CPURISCVState *env, hwaddr addr, uint64_t size, int priv,
                              int *prot);

/* Does PMP allow an access of `size` bytes at addr of this type in mode priv? */
bool riscv_pmp_allows(const CPURISCVState *env, hwaddr addr, uint64_t size,
                      MMUAccessType access_type, int priv);

#endif
