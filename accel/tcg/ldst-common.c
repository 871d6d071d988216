/*
 * Guest memory access from helpers (include/exec/cputlb.h), the same calls
 * in both modes: through the softmmu TLB when the vCPU has one (system
 * mode), at guest_base + addr after checking the page flags otherwise.
 */
#include <glib.h>
#include "exec/cputlb.h"
#include "exec/user-page.h"
#include "internal.h"

static uint64_t ldst_load(CPUState *cs, vaddr addr, MemOpIdx oi, MemOp size, uintptr_t ra)
{
    g_assert((get_memop(oi) & MO_SIZE) == size);
    if (tcg_debug_watching) {
        tcg_debug_check_access(cs, addr, 1u << size, MMU_DATA_LOAD, ra);
    }
    return cs->tlb ? cputlb_ld(cs, addr, oi, ra) : user_ld(cs, addr, oi, ra);
}

static void ldst_store(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, MemOp size,
                       uintptr_t ra)
{
    g_assert((get_memop(oi) & MO_SIZE) == size);
    if (tcg_debug_watching) {
        tcg_debug_check_access(cs, addr, 1u << size, MMU_DATA_STORE, ra);
    }
    if (cs->tlb) {
        cputlb_st(cs, addr, val, oi, ra);
    } else {
        user_st(cs, addr, val, oi, ra);
    }
}

uint8_t cpu_ldub_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return (uint8_t)ldst_load(cs, addr, oi, MO_8, ra);
}

uint16_t cpu_lduw_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return (uint16_t)ldst_load(cs, addr, oi, MO_16, ra);
}

uint32_t cpu_ldl_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return (uint32_t)ldst_load(cs, addr, oi, MO_32, ra);
}

uint64_t cpu_ldq_mmu(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return ldst_load(cs, addr, oi, MO_64, ra);
}

void cpu_stb_mmu(CPUState *cs, vaddr addr, uint8_t val, MemOpIdx oi, uintptr_t ra)
{
    ldst_store(cs, addr, val, oi, MO_8, ra);
}

void cpu_stw_mmu(CPUState *cs, vaddr addr, uint16_t val, MemOpIdx oi, uintptr_t ra)
{
    ldst_store(cs, addr, val, oi, MO_16, ra);
}

void cpu_stl_mmu(CPUState *cs, vaddr addr, uint32_t val, MemOpIdx oi, uintptr_t ra)
{
    ldst_store(cs, addr, val, oi, MO_32, ra);
}

void cpu_stq_mmu(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    ldst_store(cs, addr, val, oi, MO_64, ra);
}

void *cpu_atomic_mmu_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    if (tcg_debug_watching) {
        /* A read-modify-write: both kinds of watchpoint see it. */
        tcg_debug_check_access(cs, addr, memop_size(get_memop(oi)), MMU_DATA_LOAD, ra);
        tcg_debug_check_access(cs, addr, memop_size(get_memop(oi)), MMU_DATA_STORE, ra);
    }
    return cs->tlb ? cputlb_atomic_lookup(cs, addr, oi, ra) : user_atomic_lookup(cs, addr, oi, ra);
}

bool cpu_get_phys_page_code(CPUState *cs, vaddr addr, hwaddr *paddr, void **hostp)
{
    uint64_t phys = addr & tcg_accel.page_mask;
    void *host = NULL;
    bool ok;

    if (cs->tlb) {
        ok = cputlb_code_page(cs, addr, true, &phys, &host, NULL);
    } else {
        ok = user_code_page(cs, addr, true, &host);
    }
    if (ok) {
        *paddr = phys;
        if (hostp) {
            *hostp = host;
        }
    }
    return ok;
}
