/*
 * Virtual memory of the RISC-V hart: the Sv39, Sv48 and Sv57 page walks
 * (Privileged Architecture 20211203, sections 4.3-4.5, with Svpbmt), PMP
 * (pmp.c) and how their result reaches the softmmu TLB.
 *
 * The walk follows the spec's algorithm (4.3.2): canonical address check,
 * a PTE read per level (itself subject to PMP as an S-mode read), leaves
 * at any level with their superpage alignment, reserved encodings (R=0
 * W=1, non-leaf PTEs with A/D/U, bits 60:54, N, PBMT unless enabled),
 * and the U/SUM/MXR permission rules.  A and D are updated by the
 * "hardware", as QEMU does: with a compare-and-swap on the PTE in guest
 * RAM, walking again if another hart changed it meanwhile.
 *
 * What the TLB holds.  An entry is filled for one MMU index (the effective
 * mode, see cpu.h) and carries every permission that index has on the page,
 * except write while D is clear, so that the first store walks again and
 * sets D.  PMP is applied to the whole 4 KiB physical page when one entry
 * (or none) decides for all of it; otherwise the entry serves this access
 * only (lg_page_size < 12), and the next access is checked again.
 *
 * Misaligned accesses: as in QEMU, regular loads and stores may be
 * misaligned and are carried out (the softmmu splits them at page edges,
 * faulting with the address of the page that faults); only LR/SC and AMOs
 * require alignment and raise address-misaligned (4/6) through
 * riscv_cpu_do_unaligned_access.
 */
#include "exec/cputlb.h"
#include "exec/memory.h"
#include "mmu.h"
#include "pmp.h"

RISCVException riscv_page_fault_cause(MMUAccessType access_type)
{
    switch (access_type) {
    case MMU_INST_FETCH:
        return RISCV_EXCP_INST_PAGE_FAULT;
    case MMU_DATA_STORE:
        return RISCV_EXCP_STORE_PAGE_FAULT;
    default:
        return RISCV_EXCP_LOAD_PAGE_FAULT;
    }
}

RISCVException riscv_access_fault_cause(MMUAccessType access_type)
{
    switch (access_type) {
    case MMU_INST_FETCH:
        return RISCV_EXCP_INST_ACCESS_FAULT;
    case MMU_DATA_STORE:
        return RISCV_EXCP_STORE_AMO_ACCESS_FAULT;
    default:
        return RISCV_EXCP_LOAD_ACCESS_FAULT;
    }
}

/* ---- page-table memory through the memory API */

static void *ptw_host(CPUState *cs, hwaddr pa, MemoryRegionSection **section)
{
    void *host = NULL;

    address_space_translate_for_tlb(cs->as, pa & ~(hwaddr)(RISCV_PAGE_SIZE - 1), &host, section);
    return host ? (char *)host + (pa & (RISCV_PAGE_SIZE - 1)) : NULL;
}

static bool ptw_sysmem_load(void *opaque, hwaddr pa, uint64_t *pte)
{
    MemoryRegionSection *section = NULL;
    uint64_t *host = ptw_host(opaque, pa, &section);

    if (host) {
        *pte = __atomic_load_n(host, __ATOMIC_ACQUIRE);
        return true;
    }
    return memory_region_dispatch_read(section, pa, pte, MO_64 | MO_LE, 0) == MEMTX_OK;
}

static RISCVPTECas ptw_sysmem_cmpxchg(void *opaque, hwaddr pa, uint64_t old, uint64_t new)
{
    MemoryRegionSection *section = NULL;
    uint64_t *host = ptw_host(opaque, pa, &section);

    /* ROM reports a host pointer and a section for its writes: not updatable. */
    if (!host || section) {
        return RISCV_PTE_CAS_READONLY;
    }
    if (__atomic_compare_exchange_n(host, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        return RISCV_PTE_CAS_OK;
    }
    return RISCV_PTE_CAS_CHANGED;
}

const RISCVPTWOps riscv_ptw_sysmem = {
    .load = ptw_sysmem_load,
    .cmpxchg = ptw_sysmem_cmpxchg,
};

/* ---- the walk */

typedef struct PTWRequest {
    vaddr addr;
    MMUAccessType access_type;
    int mode; /* PRV_U or PRV_S: the effective mode */
    bool sum; /* S may read and write U pages */
    bool mxr; /* executable pages are readable */
} PTWRequest;

/*
 * What the leaf PTE allows the request's mode (PAGE_*), before A/D: the
 * U bit decides which mode owns the page; SUM lets S read and write (never
 * execute) U pages; MXR makes executable pages readable.
 */
static int pte_prot(uint64_t pte, const PTWRequest *req)
{
    int prot = 0;

    if (pte & PTE_U) {
        if (req->mode == PRV_S && !req->sum) {
            return 0;
        }
    } else if (req->mode != PRV_S) {
        return 0;
    }
    if ((pte & PTE_R) || ((pte & PTE_X) && req->mxr)) {
        prot |= PAGE_READ;
    }
    if (pte & PTE_W) {
        prot |= PAGE_WRITE;
    }
    /* S never executes U pages, SUM or not. */
    if ((pte & PTE_X) && !((pte & PTE_U) && req->mode == PRV_S)) {
        prot |= PAGE_EXEC;
    }
    return prot;
}

static int access_prot(MMUAccessType access_type)
{
    switch (access_type) {
    case MMU_INST_FETCH:
        return PAGE_EXEC;
    case MMU_DATA_STORE:
        return PAGE_WRITE;
    default:
        return PAGE_READ;
    }
}

/* Bits of a PTE that must be zero (a page fault otherwise). */
static uint64_t pte_reserved_mask(const CPURISCVState *env, bool leaf)
{
    uint64_t mask = PTE_RESERVED | PTE_N;

    if (!leaf || !env->cfg.ext_svpbmt || !(env->menvcfg & MENVCFG_PBMTE)) {
        mask |= PTE_PBMT;
    }
    return mask;
}

static RISCVException ptw_walk(CPURISCVState *env, const RISCVPTWOps *ops, void *opaque,
                               const PTWRequest *req, RISCVTranslation *out)
{
    RISCVException pf = riscv_page_fault_cause(req->access_type);
    unsigned vm = (unsigned)(env->satp >> 60);
    int levels = vm == VM_1_10_SV39 ? 3 : vm == VM_1_10_SV48 ? 4 : 5;
    unsigned va_bits = RISCV_PAGE_BITS + 9 * (unsigned)levels;
    int64_t sext = (int64_t)(req->addr << (64 - va_bits)) >> (64 - va_bits);

    /* Bits above the top VPN must all equal its top bit. */
    if ((uint64_t)sext != req->addr) {
        return pf;
    }

restart:;
    hwaddr base = (env->satp & SATP64_PPN) << RISCV_PAGE_BITS;
    bool global = false; /* G in a pointer makes everything below it global */

    for (int level = levels - 1; level >= 0; level--) {
        unsigned shift = RISCV_PAGE_BITS + 9 * (unsigned)level;
        hwaddr pte_addr = base + ((req->addr >> shift) & 0x1ff) * 8;
        uint64_t pte, ppn, newpte;
        int prot;

        /* The walk's reads are S-mode reads for PMP; a failure is the access's own fault. */
        if (!riscv_pmp_allows(env, pte_addr, 8, MMU_DATA_LOAD, PRV_S) ||
            !ops->load(opaque, pte_addr, &pte)) {
            return riscv_access_fault_cause(req->access_type);
        }
        if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W)) == PTE_W) {
            return pf;
        }
        ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (!(pte & (PTE_R | PTE_X))) {
            /* A pointer to the next level. */
            if (level == 0 || (pte & (PTE_A | PTE_D | PTE_U)) ||
                (pte & pte_reserved_mask(env, false))) {
                return pf;
            }
            global |= (pte & PTE_G) != 0;
            base = ppn << RISCV_PAGE_BITS;
            continue;
        }
        /* PBMT = 3 is reserved even where Svpbmt is enabled. */
        if ((pte & pte_reserved_mask(env, true)) || (pte & PTE_PBMT) == PTE_PBMT) {
            return pf;
        }
        /* A superpage's PPN must be aligned to its size. */
        if (ppn & ((1ull << (9 * (unsigned)level)) - 1)) {
            return pf;
        }
        prot = pte_prot(pte, req);
        if (!(prot & access_prot(req->access_type))) {
            return pf;
        }

        newpte = pte | PTE_A | (req->access_type == MMU_DATA_STORE ? PTE_D : 0);
        if (newpte != pte) {
            switch (ops->cmpxchg(opaque, pte_addr, pte, newpte)) {
            case RISCV_PTE_CAS_CHANGED:
                goto restart;
            case RISCV_PTE_CAS_READONLY:
                return pf;
            default:
                break;
            }
        }
        /* Until D is set, stores must come back here to set it. */
        if (!(newpte & PTE_D)) {
            prot &= ~PAGE_WRITE;
        }
        out->paddr = ((ppn << RISCV_PAGE_BITS) & ~((1ull << shift) - 1)) |
                     (req->addr & ((1ull << shift) - 1));
        out->prot = prot | (global || (pte & PTE_G) ? PAGE_GLOBAL : 0);
        out->lg_page_size = shift;
        return RISCV_EXCP_NONE;
    }
    /* Unreachable: level 0 is always a leaf or a fault. */
    return pf;
}

/*
 * PMP over the translated access: the permissions of the whole physical
 * page when one decision covers it, else those of this access only.
 */
static RISCVException apply_pmp(CPURISCVState *env, vaddr addr, int size, MMUAccessType access_type,
                                int mode, RISCVTranslation *t)
{
    hwaddr page = t->paddr & ~(hwaddr)(RISCV_PAGE_SIZE - 1);
    int prot;

    if (riscv_pmp_prot(env, page, RISCV_PAGE_SIZE, mode, &prot) == RISCV_PMP_PARTIAL) {
        riscv_pmp_prot(env, t->paddr, size > 0 ? (uint64_t)size : 1, mode, &prot);
        t->lg_page_size = 0;
    }
    t->prot &= prot | PAGE_GLOBAL;
    if (!(t->prot & access_prot(access_type))) {
        return riscv_access_fault_cause(access_type);
    }
    return RISCV_EXCP_NONE;
}

RISCVException riscv_mmu_translate(CPURISCVState *env, const RISCVPTWOps *ops, void *opaque,
                                   vaddr addr, int size, MMUAccessType access_type, int mmu_idx,
                                   RISCVTranslation *out)
{
    PTWRequest req = {
        .addr = addr,
        .access_type = access_type,
        .mode = mmu_idx == RISCV_MMU_IDX_S_SUM ? PRV_S : mmu_idx,
        .sum = mmu_idx == RISCV_MMU_IDX_S_SUM,
        .mxr = (env->mstatus & MSTATUS_MXR) != 0,
    };
    unsigned vm = (unsigned)(env->satp >> 60);

    if (req.mode == PRV_M || !env->cfg.mmu || !riscv_has_ext(env, RVS) || vm == VM_1_10_MBARE) {
        /* No translation: every permission, within the page of the access. */
        out->paddr = addr;
        out->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        out->lg_page_size = RISCV_PAGE_BITS;
    } else {
        RISCVException e = ptw_walk(env, ops, opaque, &req, out);

        if (e != RISCV_EXCP_NONE) {
            return e;
        }
    }
    return apply_pmp(env, addr, size, access_type, req.mode, out);
}

/* ---- the TargetOps hooks */

bool riscv_cpu_tlb_fill(CPUState *cs, vaddr addr, int size, MMUAccessType access_type, int mmu_idx,
                        bool probe, uintptr_t retaddr)
{
    CPURISCVState *env = cpu_env(cs);
    RISCVTranslation t;
    RISCVException e;

    e = riscv_mmu_translate(env, &riscv_ptw_sysmem, cs, addr, size, access_type, mmu_idx, &t);
    if (e == RISCV_EXCP_NONE) {
        tlb_set_page(cs, addr & ~(vaddr)(RISCV_PAGE_SIZE - 1),
                     t.paddr & ~(hwaddr)(RISCV_PAGE_SIZE - 1), 0, t.prot, mmu_idx, t.lg_page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    riscv_raise_exception(env, e, addr, retaddr);
}

void riscv_cpu_do_transaction_failed(CPUState *cs, hwaddr physaddr, vaddr addr, unsigned size,
                                     MMUAccessType access_type, int mmu_idx, uintptr_t retaddr)
{
    riscv_raise_exception(cpu_env(cs), riscv_access_fault_cause(access_type), addr, retaddr);
}

/* ---- the debugger's view (TargetOps get_phys_page_debug) */

/* The walk may want to set A/D: say it did, and leave guest memory alone. */
static RISCVPTECas ptw_debug_cmpxchg(void *opaque, hwaddr pa, uint64_t old, uint64_t new)
{
    return RISCV_PTE_CAS_OK;
}

static const RISCVPTWOps riscv_ptw_debug = {
    .load = ptw_sysmem_load,
    .cmpxchg = ptw_debug_cmpxchg,
};

/*
 * The physical page behind `addr` as a debugger (gdbstub, HMP x) sees it:
 * the current mode's translation regime, no A/D update, no TLB fill, no
 * fault, and no PMP check on the result (QEMU's
 * riscv_cpu_get_phys_page_debug skips it too).  Every valid leaf is
 * visible: the walk runs as S with SUM and MXR, so that user and
 * execute-only pages read as well.  -1: not mapped.
 */
hwaddr riscv_cpu_get_phys_page_debug(CPUState *cs, vaddr addr)
{
    CPURISCVState *env = cpu_env(cs);
    PTWRequest req = {
        .addr = addr,
        .access_type = MMU_DATA_LOAD,
        .mode = PRV_S,
        .sum = true,
        .mxr = true,
    };
    unsigned vm = (unsigned)(env->satp >> 60);
    RISCVTranslation t;

    if (env->priv == PRV_M || !env->cfg.mmu || !riscv_has_ext(env, RVS) || vm == VM_1_10_MBARE) {
        return addr & ~(hwaddr)(RISCV_PAGE_SIZE - 1);
    }
    if (ptw_walk(env, &riscv_ptw_debug, cs, &req, &t) != RISCV_EXCP_NONE) {
        return (hwaddr)-1;
    }
    return t.paddr & ~(hwaddr)(RISCV_PAGE_SIZE - 1);
}
