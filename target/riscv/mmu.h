/*
 * Address translation of the RISC-V hart: Sv39/Sv48/Sv57 page walks and
 * PMP, as mmu.c implements them for riscv_cpu_tlb_fill().  The walker
 * reaches page tables through a small table of memory operations, so that
 * the unit tests can drive it with a fake physical memory; the hart itself
 * uses riscv_ptw_sysmem (the memory API of include/exec/memory.h).
 */
#ifndef MORPH_TARGET_RISCV_MMU_H
#define MORPH_TARGET_RISCV_MMU_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"

/* Page table entry bits (Privileged Architecture 20211203, section 4.3.1). */
#define PTE_V         (1ull << 0)
#define PTE_R         (1ull << 1)
#define PTE_W         (1ull << 2)
#define PTE_X         (1ull << 3)
#define PTE_U         (1ull << 4)
#define PTE_G         (1ull << 5)
#define PTE_A         (1ull << 6)
#define PTE_D         (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  (((1ull << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_RESERVED  (0x7full << 54) /* bits 60:54 */
#define PTE_PBMT      (3ull << 61)    /* Svpbmt */
#define PTE_N         (1ull << 63)    /* Svnapot (not implemented: reserved) */

/* The outcome of riscv_ptw_ops.cmpxchg. */
typedef enum RISCVPTECas {
    RISCV_PTE_CAS_OK,       /* replaced */
    RISCV_PTE_CAS_CHANGED,  /* the PTE no longer held the old value: walk again */
    RISCV_PTE_CAS_READONLY, /* not RAM (ROM, I/O): the bits cannot be updated */
} RISCVPTECas;

/* How the walker reads and updates page-table entries in physical memory. */
typedef struct RISCVPTWOps {
    /* Load the 8-byte PTE at physical address pa; false: bus error (access fault). */
    bool (*load)(void *opaque, hwaddr pa, uint64_t *pte);
    /* Atomically replace the PTE at pa by `new` if it still holds `old`. */
    RISCVPTECas (*cmpxchg)(void *opaque, hwaddr pa, uint64_t old, uint64_t new);
} RISCVPTWOps;

/* Page-table memory through the memory API; opaque is the CPUState (cs->as). */
extern const RISCVPTWOps riscv_ptw_sysmem;

typedef struct RISCVTranslation {
    hwaddr paddr;          /* physical address of the access */
    int prot;              /* PAGE_* allowed on the page holding it */
    unsigned lg_page_size; /* log2 of the mapping's size; < 12: valid for this access only */
} RISCVTranslation;

/*
 * Translate an access of `size` bytes at `addr` made with MMU index
 * mmu_idx (RISCV_MMU_IDX_*): page walk when satp says so, A/D updates,
 * then PMP.  Returns RISCV_EXCP_NONE and fills *out, or the exception to
 * raise (page fault 12/13/15, access fault 1/5/7; its tval is addr).
 */
RISCVException riscv_mmu_translate(CPURISCVState *env, const RISCVPTWOps *ops, void *opaque,
                                   vaddr addr, int size, MMUAccessType access_type, int mmu_idx,
                                   RISCVTranslation *out);

/* The page-fault and access-fault causes of an access type. */
RISCVException riscv_page_fault_cause(MMUAccessType access_type);
RISCVException riscv_access_fault_cause(MMUAccessType access_type);

#endif
