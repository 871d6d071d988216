/*
 * The softmmu TLB (system mode) and guest memory access from helpers.
 *
 * A target's tlb_fill walks its page tables and calls tlb_set_page() to
 * install the translation; the rest of the TLB (lookup, fills on miss,
 * MMIO dispatch, code-page write notification, flushes) is common code in
 * accel/tcg/cputlb.c.  In user mode the cpu_ld/st functions below address
 * guest memory at guest_base + addr with the same signatures, so helpers
 * are written once.
 */
#ifndef MORPH_EXEC_CPUTLB_H
#define MORPH_EXEC_CPUTLB_H

#include "exec/cpu.h"

/* Page protection bits for tlb_set_page. */
enum {
    PAGE_READ = 1,
    PAGE_WRITE = 2,
    PAGE_EXEC = 4,
    /*
     * The translation is the same in every address space (a global PTE):
     * tlb_flush_nonglobal_by_mmuidx() keeps it, and the TBs reached
     * through it stay in the jump cache.
     */
    PAGE_GLOBAL = 8,
};

/* Install vaddr -> paddr for one MMU index (page of 1 << lg_page_size bytes). */
void tlb_set_page(CPUState *cs, vaddr addr, hwaddr paddr, uint32_t attrs, int prot,
                  int mmu_idx, unsigned lg_page_size);
void tlb_flush(CPUState *cs);
void tlb_flush_page(CPUState *cs, vaddr addr);
/* Flush the MMU indexes in the bit mask `idxmap`. */
void tlb_flush_by_mmuidx(CPUState *cs, uint16_t idxmap);
void tlb_flush_page_by_mmuidx(CPUState *cs, vaddr addr, uint16_t idxmap);
/*
 * An address-space switch (a new satp, a per-ASID fence): forget the
 * entries of `idxmap` that were not filled with PAGE_GLOBAL, and the TBs
 * the jump cache reached through such entries.
 */
void tlb_flush_nonglobal_by_mmuidx(CPUState *cs, uint16_t idxmap);

/*
 * Guest memory access from helpers, through the TLB (system mode) or
 * guest_base (user mode).  A fault restores the state of the instruction
 * at host pc `ra` (GETPC() in the helper; 0 outside generated code) and
 * raises the target's exception: these do not return then.
 */
uint8_t cpu_ldub_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint16_t cpu_lduw_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint32_t cpu_ldl_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint64_t cpu_ldq_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
void cpu_stb_mmu(CPUState *cs, vaddr addr, uint8_t val, MemOpIdx oi, uintptr_t ra);
void cpu_stw_mmu(CPUState *cs, vaddr addr, uint16_t val, MemOpIdx oi, uintptr_t ra);
void cpu_stl_mmu(CPUState *cs, vaddr addr, uint32_t val, MemOpIdx oi, uintptr_t ra);
void cpu_stq_mmu(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra);

/*
 * A host pointer to `size` bytes of guest RAM at `addr` for an atomic
 * read-modify-write (AMOs, LR/SC), after checking write permission and
 * alignment; raises the fault like the functions above.  Accesses to MMIO
 * are not atomic-capable and raise the target's access fault.
 */
void *cpu_atomic_mmu_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);

/* Physical address (system mode) of a guest virtual code address for TB lookup. */
bool cpu_get_phys_page_code(CPUState *cs, vaddr addr, hwaddr *paddr, void **hostp);

#endif
