/*
 * The softmmu TLB (system mode): per vCPU and MMU index, a direct-mapped
 * table of CPU_TLB_SIZE entries that generated code probes inline (tag
 * compare, add the host addend), and the slow path behind it: fills
 * through the target's page walk (ops->tlb_fill), alignment faults,
 * accesses that straddle two pages, I/O through the memory API, and
 * writes to pages holding translated code (TLB_NOTDIRTY), which drop the
 * TBs made from the bytes written before the write completes.
 *
 * A comparator holds the guest page address, or -1 when that kind of
 * access must not use the entry; flag bits below the page size (TLB_MMIO,
 * TLB_NOTDIRTY, TLB_INVALID_MASK) make the inline compare fail so that the
 * access comes here.  TLB_INVALID_MASK on a valid entry means "use once":
 * the mapping is smaller than a page (PMP granules) and must be looked up
 * again on the next access.
 *
 * The TLB of a vCPU is changed by its own thread (fills, flushes) or while
 * it is stopped; the one exception, setting TLB_NOTDIRTY when another vCPU
 * translates code from a page, is an atomic or on the write comparator.
 */
#include <inttypes.h>
#include <glib.h>
#include "internal.h"
#include "exec/cputlb.h"
#include "util/log.h"

/* ---- entries */

static inline vaddr tlb_page(vaddr addr)
{
    return addr & tcg_accel.page_mask;
}

static inline unsigned tlb_index(vaddr addr)
{
    return (unsigned)(addr >> tcg_accel.page_bits) & (CPU_TLB_SIZE - 1);
}

static inline CPUTLBEntry *tlb_entry(CPUState *cs, int mmu_idx, vaddr addr)
{
    return &cs->tlb[mmu_idx].table[tlb_index(addr)];
}

static inline uint64_t tlb_cmp(const CPUTLBEntry *e, MMUAccessType type)
{
    switch (type) {
    case MMU_DATA_LOAD:
        return e->addr_read;
    case MMU_DATA_STORE:
        return __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
    default:
        return e->addr_code;
    }
}

/* Does the comparator map addr's page (flags aside)?  -1 never does: it has TLB_INVALID_MASK. */
static inline bool tlb_hit(uint64_t cmp, vaddr addr)
{
    return (cmp & (tcg_accel.page_mask | TLB_INVALID_MASK)) == tlb_page(addr);
}

static bool tlb_entry_maps(const CPUTLBEntry *e, vaddr page)
{
    uint64_t m = tcg_accel.page_mask;

    /* Use-once entries (TLB_INVALID_MASK) still map their page for flushing. */
    return (e->addr_read & m) == page || (e->addr_write & m) == page || (e->addr_code & m) == page;
}

static void tlb_entry_clear(CPUTLBEntry *e)
{
    e->addr_read = (uint64_t)-1;
    __atomic_store_n(&e->addr_write, (uint64_t)-1, __ATOMIC_RELAXED);
    e->addr_code = (uint64_t)-1;
    e->addend = 0;
}

/* ---- per-vCPU setup and flushes */

static unsigned tlb_write_bloom_bit(hwaddr ppage)
{
    return (unsigned)(ppage >> tcg_accel.page_bits) & ((1u << CPU_TLB_WRITE_BLOOM_BITS) - 1);
}

static bool tlb_write_bloom_test(CPUTLBDesc *d, hwaddr ppage)
{
    unsigned bit = tlb_write_bloom_bit(ppage);

    return (__atomic_load_n(&d->write_bloom[bit / 64], __ATOMIC_SEQ_CST) >> (bit % 64)) & 1;
}

static void tlb_flush_one_mmuidx(CPUState *cs, int mmu_idx)
{
    CPUTLBDesc *d = &cs->tlb[mmu_idx];

    /* Linux switches address spaces often and uses few of the indexes: skip the clean ones. */
    if (!__atomic_load_n(&d->dirty, __ATOMIC_RELAXED)) {
        return;
    }
    for (unsigned i = 0; i < CPU_TLB_SIZE; i++) {
        tlb_entry_clear(&d->table[i]);
    }
    /* d->full[] is left as is: it is only read behind a valid entry (or for one being cleared). */
    for (unsigned i = 0; i < G_N_ELEMENTS(d->write_bloom); i++) {
        __atomic_store_n(&d->write_bloom[i], 0, __ATOMIC_SEQ_CST);
    }
    __atomic_store_n(&d->dirty, false, __ATOMIC_RELAXED);
    d->large_page_addr = (vaddr)-1;
    d->large_page_mask = 0;
}

void cputlb_cpu_init(CPUState *cs)
{
    cs->tlb = g_new0(CPUTLBDesc, NB_MMU_MODES);
    for (int i = 0; i < NB_MMU_MODES; i++) {
        cs->neg->tlb_fast[i].mask = (uintptr_t)(CPU_TLB_SIZE - 1) << CPU_TLB_ENTRY_BITS;
        cs->neg->tlb_fast[i].table = cs->tlb[i].table;
        cs->tlb[i].dirty = true; /* all-zero entries are not empty ones */
        tlb_flush_one_mmuidx(cs, i);
    }
}

void cputlb_cpu_destroy(CPUState *cs)
{
    for (int i = 0; i < NB_MMU_MODES; i++) {
        cs->neg->tlb_fast[i].table = NULL;
    }
    g_free(cs->tlb);
    cs->tlb = NULL;
}

void tlb_flush_by_mmuidx(CPUState *cs, uint16_t idxmap)
{
    if (!cs->tlb) {
        return;
    }
    for (int i = 0; i < NB_MMU_MODES; i++) {
        if (idxmap & (1u << i)) {
            tlb_flush_one_mmuidx(cs, i);
        }
    }
    /* The jump cache is keyed by virtual pc: a mapping change may retarget it. */
    tb_jmp_cache_clear(cs);
}

void tlb_flush(CPUState *cs)
{
    tlb_flush_by_mmuidx(cs, (1u << NB_MMU_MODES) - 1);
}

void tlb_flush_nonglobal_by_mmuidx(CPUState *cs, uint16_t idxmap)
{
    if (!cs->tlb) {
        return;
    }
    for (int i = 0; i < NB_MMU_MODES; i++) {
        CPUTLBDesc *d = &cs->tlb[i];

        if (!(idxmap & (1u << i)) || !__atomic_load_n(&d->dirty, __ATOMIC_RELAXED)) {
            continue;
        }
        for (unsigned j = 0; j < CPU_TLB_SIZE; j++) {
            if (!(d->full[j].prot & PAGE_GLOBAL)) {
                tlb_entry_clear(&d->table[j]);
            }
        }
    }
    tb_jmp_cache_clear_local(cs);
}

void tlb_flush_page_by_mmuidx(CPUState *cs, vaddr addr, uint16_t idxmap)
{
    vaddr page = tlb_page(addr);
    bool whole = false;

    if (!cs->tlb) {
        return;
    }
    for (int i = 0; i < NB_MMU_MODES; i++) {
        CPUTLBDesc *d = &cs->tlb[i];
        CPUTLBEntry *e;

        if (!(idxmap & (1u << i))) {
            continue;
        }
        /* Inside a large page, the entries of its other pages go too: flush the index. */
        if (d->large_page_addr != (vaddr)-1 && (page & d->large_page_mask) == d->large_page_addr) {
            if (log_enabled(LOG_MMU)) {
                log_printf("tlb: flush of 0x%" PRIx64 " in a large page flushes mmu_idx %d\n", page,
                           i);
            }
            tlb_flush_one_mmuidx(cs, i);
            whole = true;
            continue;
        }
        e = &d->table[tlb_index(page)];
        if (tlb_entry_maps(e, page)) {
            tlb_entry_clear(e);
        }
    }
    /* The jump cache is keyed by virtual pc: forget what the old mapping reached. */
    if (whole) {
        tb_jmp_cache_clear(cs);
    } else {
        tb_jmp_cache_clear_page(cs, page);
    }
}

void tlb_flush_page(CPUState *cs, vaddr addr)
{
    tlb_flush_page_by_mmuidx(cs, addr, (1u << NB_MMU_MODES) - 1);
}

/* Widen the recorded large-page region of an MMU index to cover [page, page + 2^lg). */
static void tlb_add_large_page(CPUTLBDesc *d, vaddr page, unsigned lg_page_size)
{
    vaddr lp_mask = ~(((vaddr)1 << lg_page_size) - 1);

    if (d->large_page_addr != (vaddr)-1) {
        lp_mask &= d->large_page_mask;
        while (((d->large_page_addr ^ page) & lp_mask) != 0) {
            lp_mask <<= 1;
        }
    }
    d->large_page_addr = page & lp_mask;
    d->large_page_mask = lp_mask;
}

/* Is the physical page code, exactly?  Takes tb_lock unless the caller holds it. */
static bool tlb_page_is_code(uint64_t ppage)
{
    bool held = tb_lock_held();
    bool code;

    if (!tb_page_maybe_code(ppage)) {
        return false;
    }
    if (!held) {
        tb_lock();
    }
    code = tb_page_has_code(ppage);
    if (!held) {
        tb_unlock();
    }
    return code;
}

void tlb_set_page(CPUState *cs, vaddr addr, hwaddr paddr, uint32_t attrs, int prot, int mmu_idx,
                  unsigned lg_page_size)
{
    CPUTLBDesc *d = &cs->tlb[mmu_idx];
    vaddr page = tlb_page(addr);
    hwaddr ppage = paddr & tcg_accel.page_mask;
    unsigned idx = tlb_index(page);
    CPUTLBEntry *e = &d->table[idx];
    MemoryRegionSection *section = NULL;
    void *host = NULL;
    uint64_t base, io, wr;
    bool ram_write;

    g_assert(mmu_idx >= 0 && mmu_idx < NB_MMU_MODES);
    if (lg_page_size > tcg_accel.page_bits) {
        tlb_add_large_page(d, page, lg_page_size);
    }
    address_space_translate_for_tlb(cs->as, ppage, &host, &section);

    base = page | (lg_page_size < tcg_accel.page_bits ? TLB_INVALID_MASK : 0);
    io = host ? 0 : TLB_MMIO;
    /* A ROM is read as RAM and written through its region. */
    ram_write = host && !section;
    wr = base | (ram_write ? 0 : TLB_MMIO);
    if (ram_write && tlb_page_is_code(ppage)) {
        wr |= TLB_NOTDIRTY;
    }

    __atomic_store_n(&d->dirty, true, __ATOMIC_RELAXED);
    if ((prot & PAGE_WRITE) && ram_write) {
        /* Before the entry is visible: see tlb_protect_code_cpu(). */
        unsigned bit = tlb_write_bloom_bit(ppage);

        __atomic_fetch_or(&d->write_bloom[bit / 64], UINT64_C(1) << (bit % 64), __ATOMIC_SEQ_CST);
    }
    e->addr_read = (prot & PAGE_READ) ? base | io : (uint64_t)-1;
    e->addr_code = (prot & PAGE_EXEC) ? base | io : (uint64_t)-1;
    e->addend = host ? (uintptr_t)host - (uintptr_t)page : 0;
    d->full[idx].phys_addr = ppage;
    d->full[idx].section = section;
    d->full[idx].prot = prot;
    d->full[idx].attrs = attrs;
    d->full[idx].lg_page_size = (uint8_t)lg_page_size;
    __atomic_store_n(&e->addr_write, (prot & PAGE_WRITE) ? wr : (uint64_t)-1, __ATOMIC_SEQ_CST);

    /*
     * A TB may have been made from the page since the check above; its
     * maker's cputlb_protect_code() may have scanned before the store.
     * Whichever of us comes second sets TLB_NOTDIRTY.
     */
    if ((prot & PAGE_WRITE) && ram_write && !(wr & TLB_NOTDIRTY) && tlb_page_is_code(ppage)) {
        __atomic_fetch_or(&e->addr_write, (uint64_t)TLB_NOTDIRTY, __ATOMIC_SEQ_CST);
    }
    if (log_enabled(LOG_MMU)) {
        log_printf("tlb_set_page: cpu %d idx %d 0x%" PRIx64 " -> 0x%" PRIx64 " prot %x%s\n",
                   cs->cpu_index, mmu_idx, page, ppage, prot, host ? "" : " io");
    }
}

static void tlb_protect_code_cpu(CPUState *cs, void *opaque)
{
    uint64_t ppage = *(uint64_t *)opaque;

    if (!cs->tlb) {
        return;
    }
    for (int i = 0; i < NB_MMU_MODES; i++) {
        CPUTLBDesc *d = &cs->tlb[i];

        /*
         * No writable entry for the page was filled since the flush: none to
         * mark.  A fill racing with us sets its bloom bit before its entry
         * and checks for code after it, so one of us marks it.
         */
        if (!tlb_write_bloom_test(d, ppage)) {
            continue;
        }
        for (unsigned j = 0; j < CPU_TLB_SIZE; j++) {
            uint64_t w = __atomic_load_n(&d->table[j].addr_write, __ATOMIC_SEQ_CST);

            if (w != (uint64_t)-1 && !(w & TLB_MMIO) && d->full[j].phys_addr == ppage) {
                __atomic_fetch_or(&d->table[j].addr_write, (uint64_t)TLB_NOTDIRTY,
                                  __ATOMIC_SEQ_CST);
            }
        }
    }
}

void cputlb_protect_code(uint64_t phys_page)
{
    cpu_list_foreach(tlb_protect_code_cpu, &phys_page);
}

/* The page holds no more code: this vCPU's writes to it may take the fast path again. */
static void tlb_unprotect_code_local(CPUState *cs, vaddr page, uint64_t ppage)
{
    for (int i = 0; i < NB_MMU_MODES; i++) {
        CPUTLBEntry *e = tlb_entry(cs, i, page);
        uint64_t w = __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);

        if (tlb_hit(w, page) && (w & TLB_NOTDIRTY) &&
            cs->tlb[i].full[tlb_index(page)].phys_addr == ppage) {
            __atomic_fetch_and(&e->addr_write, ~(uint64_t)TLB_NOTDIRTY, __ATOMIC_SEQ_CST);
        }
    }
}

/* ---- lookups for the slow path */

typedef struct TLBLookup {
    CPUTLBEntryFull *full;
    uint64_t flags; /* TLB_MMIO, TLB_NOTDIRTY... of the comparator used */
    void *host;     /* RAM: host address of the access; NULL for I/O */
} TLBLookup;

/*
 * Make sure addr's page is in the TLB for `type`, filling it through the
 * target on a miss.  Without probe a fault does not return; with probe it
 * returns false.
 */
static bool tlb_lookup(CPUState *cs, vaddr addr, int size, MMUAccessType type, int mmu_idx,
                       bool probe, uintptr_t ra, TLBLookup *l)
{
    CPUTLBEntry *e = tlb_entry(cs, mmu_idx, addr);
    uint64_t cmp = tlb_cmp(e, type);
    unsigned idx = tlb_index(addr);

    if (!tlb_hit(cmp, addr)) {
        if (!cs->ops->tlb_fill(cs, addr, size, type, mmu_idx, probe, ra)) {
            g_assert(probe);
            return false;
        }
        /* A use-once entry serves the access it was filled for. */
        cmp = tlb_cmp(e, type) & ~(uint64_t)TLB_INVALID_MASK;
        if (!tlb_hit(cmp, addr)) {
            g_error("tlb_fill for 0x%" PRIx64 " (access %d, mmu_idx %d) installed no entry", addr,
                    type, mmu_idx);
        }
    }
    l->full = &cs->tlb[mmu_idx].full[idx];
    l->flags = cmp & TLB_FLAGS_MASK & ~(uint64_t)TLB_INVALID_MASK;
    l->host = (l->flags & TLB_MMIO) ? NULL : (void *)(uintptr_t)(addr + e->addend);
    return true;
}

static hwaddr tlb_phys(const TLBLookup *l, vaddr addr)
{
    return l->full->phys_addr | (addr & ~tcg_accel.page_mask);
}

static void tlb_check_align(CPUState *cs, vaddr addr, MemOp op, MMUAccessType type, int mmu_idx,
                            uintptr_t ra)
{
    unsigned a_bits = memop_alignment_bits(op);

    if (addr & ((UINT64_C(1) << a_bits) - 1)) {
        if (!cs->ops->do_unaligned_access) {
            g_error("misaligned access at 0x%" PRIx64 " and no do_unaligned_access", addr);
        }
        cs->ops->do_unaligned_access(cs, addr, type, mmu_idx, ra);
        g_assert_not_reached();
    }
}

/* An I/O access the device (or the lack of one) refused. */
static void tlb_transaction_failed(CPUState *cs, const TLBLookup *l, vaddr addr, unsigned size,
                                   MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    if (cs->ops->do_transaction_failed) {
        cs->ops->do_transaction_failed(cs, tlb_phys(l, addr), addr, size, type, mmu_idx, ra);
    }
    /* A target without bus errors reads zero and drops writes. */
}

static uint64_t tlb_io_read(CPUState *cs, const TLBLookup *l, vaddr addr, MemOp op,
                            MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    uint64_t val = 0;
    MemTxResult r;

    r = memory_region_dispatch_read(l->full->section, tlb_phys(l, addr), &val, op & ~(MemOp)MO_SIGN,
                                    l->full->attrs);
    if (r != MEMTX_OK) {
        tlb_transaction_failed(cs, l, addr, memop_size(op), type, mmu_idx, ra);
        val = 0;
    }
    return val;
}

static void tlb_io_write(CPUState *cs, const TLBLookup *l, vaddr addr, uint64_t val, MemOp op,
                         int mmu_idx, uintptr_t ra)
{
    MemTxResult r;

    r = memory_region_dispatch_write(l->full->section, tlb_phys(l, addr), val, op & ~(MemOp)MO_SIGN,
                                     l->full->attrs);
    if (r != MEMTX_OK) {
        tlb_transaction_failed(cs, l, addr, memop_size(op), MMU_DATA_STORE, mmu_idx, ra);
    }
}

/*
 * A write to a page with translated code: drop the TBs made from the bytes
 * written.  If the writing TB itself is among them, it is left (this does
 * not return) and the write is redone by a TB of its own.
 */
static void tlb_notdirty_write(CPUState *cs, const TLBLookup *l, vaddr addr, unsigned size,
                               uintptr_t ra)
{
    hwaddr phys = tlb_phys(l, addr);
    bool modified;

    tb_lock();
    modified = tb_invalidate_phys_range_locked(phys, phys + size - 1, ra);
    /* Under the lock, so that a new TB's protection cannot be lost. */
    if (!tb_page_has_code(l->full->phys_addr)) {
        tlb_unprotect_code_local(cs, tlb_page(addr), l->full->phys_addr);
    }
    tb_unlock();
    if (modified) {
        tb_exit_modified(cs, ra);
    }
}

/* ---- loads and stores */

/* An access that stays inside one page; the value is not sign-extended. */
static uint64_t tlb_ld_page(CPUState *cs, vaddr addr, MemOp op, int mmu_idx, MMUAccessType type,
                            uintptr_t ra)
{
    TLBLookup l;

    tlb_lookup(cs, addr, (int)memop_size(op), type, mmu_idx, false, ra, &l);
    if (l.flags & TLB_MMIO) {
        return tlb_io_read(cs, &l, addr, op, type, mmu_idx, ra);
    }
    return memop_load_host(l.host, op & ~(MemOp)MO_SIGN);
}

static void tlb_st_page(CPUState *cs, vaddr addr, uint64_t val, MemOp op, int mmu_idx, uintptr_t ra)
{
    TLBLookup l;

    tlb_lookup(cs, addr, (int)memop_size(op), MMU_DATA_STORE, mmu_idx, false, ra, &l);
    if (l.flags & TLB_MMIO) {
        tlb_io_write(cs, &l, addr, val, op, mmu_idx, ra);
        return;
    }
    if (l.flags & TLB_NOTDIRTY) {
        tlb_notdirty_write(cs, &l, addr, memop_size(op), ra);
    }
    memop_store_host(l.host, val, op);
}

static bool tlb_crosses_page(vaddr addr, unsigned size)
{
    return (addr & ~tcg_accel.page_mask) + size > tcg_accel.page_size;
}

static uint64_t tlb_do_ld(CPUState *cs, vaddr addr, MemOpIdx oi, MMUAccessType type, uintptr_t ra)
{
    MemOp op = get_memop(oi);
    int mmu_idx = (int)get_mmuidx(oi);
    unsigned size = memop_size(op);
    vaddr addr2;
    uint64_t v = 0;
    TLBLookup l;

    g_assert((op & MO_SIZE) <= MO_64);
    tlb_check_align(cs, addr, op, type, mmu_idx, ra);
    if (!tlb_crosses_page(addr, size)) {
        return memop_extend(tlb_ld_page(cs, addr, op, mmu_idx, type, ra), op);
    }
    /* Both pages must be mapped before any byte is read (I/O reads have effects). */
    addr2 = tlb_page(addr) + tcg_accel.page_size;
    tlb_lookup(cs, addr, (int)(addr2 - addr), type, mmu_idx, false, ra, &l);
    tlb_lookup(cs, addr2, (int)(size - (addr2 - addr)), type, mmu_idx, false, ra, &l);
    for (unsigned i = 0; i < size; i++) {
        uint64_t b = tlb_ld_page(cs, addr + i, MO_8, mmu_idx, type, ra);

        if (op & MO_BSWAP) {
            v = (v << 8) | b;
        } else {
            v |= b << (8 * i);
        }
    }
    return memop_extend(v, op);
}

static void tlb_do_st(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    MemOp op = get_memop(oi);
    int mmu_idx = (int)get_mmuidx(oi);
    unsigned size = memop_size(op);
    vaddr addr2;
    TLBLookup l;

    g_assert((op & MO_SIZE) <= MO_64);
    tlb_check_align(cs, addr, op, MMU_DATA_STORE, mmu_idx, ra);
    if (!tlb_crosses_page(addr, size)) {
        tlb_st_page(cs, addr, val, op, mmu_idx, ra);
        return;
    }
    /* Fault on either page before writing any byte. */
    addr2 = tlb_page(addr) + tcg_accel.page_size;
    tlb_lookup(cs, addr, (int)(addr2 - addr), MMU_DATA_STORE, mmu_idx, false, ra, &l);
    tlb_lookup(cs, addr2, (int)(size - (addr2 - addr)), MMU_DATA_STORE, mmu_idx, false, ra, &l);
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = (op & MO_BSWAP) ? 8 * (size - 1 - i) : 8 * i;

        tlb_st_page(cs, addr + i, (val >> shift) & 0xff, MO_8, mmu_idx, ra);
    }
}

uint64_t cputlb_ld(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return tlb_do_ld(cs, addr, oi, MMU_DATA_LOAD, ra);
}

void cputlb_st(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    tlb_do_st(cs, addr, val, oi, ra);
}

uint64_t cputlb_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    return tlb_do_ld(accel_env_cpu(env), addr, oi, MMU_DATA_LOAD, ra);
}

void cputlb_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    tlb_do_st(accel_env_cpu(env), addr, val, oi, ra);
}

void *cputlb_atomic_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    MemOp op = get_memop(oi);
    int mmu_idx = (int)get_mmuidx(oi);
    unsigned size = memop_size(op);
    TLBLookup l;

    /* The host does the operation atomically only on a naturally aligned address. */
    if (addr & (size - 1)) {
        if (cs->ops->do_unaligned_access) {
            cs->ops->do_unaligned_access(cs, addr, MMU_DATA_STORE, mmu_idx, ra);
        }
        g_error("misaligned atomic access at 0x%" PRIx64, addr);
    }
    tlb_lookup(cs, addr, (int)size, MMU_DATA_STORE, mmu_idx, false, ra, &l);
    /* A read-modify-write also needs read permission; the guest sees that fault too. */
    if (!tlb_hit(tlb_entry(cs, mmu_idx, addr)->addr_read, addr)) {
        TLBLookup lr;

        tlb_lookup(cs, addr, (int)size, MMU_DATA_LOAD, mmu_idx, false, ra, &lr);
        tlb_lookup(cs, addr, (int)size, MMU_DATA_STORE, mmu_idx, false, ra, &l);
    }
    if (l.flags & TLB_MMIO) {
        tlb_transaction_failed(cs, &l, addr, size, MMU_DATA_STORE, mmu_idx, ra);
        g_error("atomic access to I/O at 0x%" PRIx64 " and no do_transaction_failed", addr);
    }
    if (l.flags & TLB_NOTDIRTY) {
        tlb_notdirty_write(cs, &l, addr, size, ra);
    }
    return l.host;
}

/* ---- code */

bool cputlb_code_page(CPUState *cs, vaddr addr, bool probe, uint64_t *phys, void **host,
                      bool *global)
{
    int mmu_idx = cs->ops->mmu_index(cs, true);
    TLBLookup l;

    if (!tlb_lookup(cs, addr, 1, MMU_INST_FETCH, mmu_idx, probe, 0, &l)) {
        return false;
    }
    *phys = l.full->phys_addr;
    *host = l.host ? (char *)l.host - (addr & ~tcg_accel.page_mask) : NULL;
    if (global) {
        *global = (l.full->prot & PAGE_GLOBAL) != 0;
    }
    return true;
}

uint8_t cputlb_code_read_byte(CPUState *cs, vaddr addr)
{
    int mmu_idx = cs->ops->mmu_index(cs, true);

    return (uint8_t)tlb_ld_page(cs, addr, MO_8, mmu_idx, MMU_INST_FETCH, 0);
}

/*
 * ---- the memory API until system/memory.c is linked
 *
 * User-mode binaries never link the memory API, yet this file is in the
 * same library; these weak stand-ins keep their link whole.  In a system
 * binary memory.c's definitions take their place; reaching one of these
 * there means a machine was started without its memory map.
 */

__attribute__((weak)) void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr,
                                                           void **host,
                                                           MemoryRegionSection **section)
{
    g_error("softmmu TLB fill at 0x%" PRIx64 " without a memory API", paddr);
}

__attribute__((weak)) MemTxResult memory_region_dispatch_read(MemoryRegionSection *section,
                                                              hwaddr addr, uint64_t *val, MemOp op,
                                                              MemTxAttrs attrs)
{
    g_error("I/O read at 0x%" PRIx64 " without a memory API", addr);
}

__attribute__((weak)) MemTxResult memory_region_dispatch_write(MemoryRegionSection *section,
                                                               hwaddr addr, uint64_t val, MemOp op,
                                                               MemTxAttrs attrs)
{
    g_error("I/O write at 0x%" PRIx64 " without a memory API", addr);
}
