/*
 * Unit tests for target/riscv/mmu.c (and its use of pmp.c): Sv39/Sv48/Sv57
 * walks with 4 KiB pages and superpages, misaligned superpages, canonical
 * addresses, reserved PTE encodings, the U/S/SUM/MXR permission matrix,
 * A/D updates (including a compare-and-swap race), fault causes and tval,
 * PMP on pages and on the walk's own reads, and the TLB fills, flushes and
 * MMU indexes seen through the softmmu runtime (riscv-harness.c).
 *
 * Reference: Privileged Architecture 20211203, sections 4.3-4.5.
 */
#include <glib.h>
#include <string.h>
#include "riscv-harness.h"
#include "cpu_helper.h"
#include "csr.h"
#include "helper.h"
#include "internals.h"
#include "mmu.h"

#define PG 4096ull
/* Page tables live in the second MiB of RAM, data pages from the fourth. */
#define PT_BASE (RVH_RAM_BASE + (1u << 20))
#define DATA_PA (RVH_RAM_BASE + (3u << 20))

static uint64_t pt_next;
static uint64_t pt_root;
static int pt_levels;

static uint64_t pt_alloc(void)
{
    uint64_t pa = pt_next;

    pt_next += PG;
    memset(rvh_phys(pa), 0, PG);
    return pa;
}

static void csr_write(int csrno, uint64_t val)
{
    g_assert_cmpint(riscv_csrrw(rvh.env, csrno, NULL, val, ~0ull), ==, RISCV_EXCP_NONE);
}

static uint64_t csr_read(int csrno)
{
    uint64_t v = 0;

    g_assert_cmpint(riscv_csrrw(rvh.env, csrno, &v, 0, 0), ==, RISCV_EXCP_NONE);
    return v;
}

/* S and U may access all memory (PMP entry 0: NAPOT over everything). */
static void pmp_allow_all(void)
{
    csr_write(CSR_PMPADDR0, ~0ull);
    csr_write(CSR_PMPCFG0, 0x1f);
}

static void use_vm(unsigned vm)
{
    pt_levels = vm == VM_1_10_SV39 ? 3 : vm == VM_1_10_SV48 ? 4 : 5;
    pt_root = pt_alloc();
    csr_write(CSR_SATP, ((uint64_t)vm << 60) | (pt_root >> 12));
    g_assert_cmphex(csr_read(CSR_SATP) >> 60, ==, vm);
}

/* Map va to pa with a leaf at `level` (0: 4 KiB); returns the leaf PTE's address. */
static uint64_t map(uint64_t va, uint64_t pa, int level, uint64_t flags)
{
    uint64_t table = pt_root;
    uint64_t a;

    for (int l = pt_levels - 1; l > level; l--) {
        uint64_t pte;

        a = table + ((va >> (12 + 9 * l)) & 511) * 8;
        pte = rvh_ld64(a);
        if (!(pte & PTE_V)) {
            pte = ((pt_alloc() >> 12) << 10) | PTE_V;
            rvh_st64(a, pte);
        }
        table = (pte >> 10) << 12;
    }
    a = table + ((va >> (12 + 9 * level)) & 511) * 8;
    rvh_st64(a, ((pa >> 12) << 10) | flags | PTE_V);
    return a;
}

static void setup(void)
{
    rvh_setup();
    pt_next = PT_BASE;
}

#define RWX (PTE_R | PTE_W | PTE_X)
#define AD  (PTE_A | PTE_D)

/* ---- translation off */

static void test_bare(void)
{
    uint64_t v;

    setup();
    rvh_st64(RVH_RAM_BASE + 0x100, 0x1122334455667788ull);
    g_assert_cmpint(rvh_load(RVH_RAM_BASE + 0x100, MO_64, RISCV_MMU_IDX_M, &v), ==, -1);
    g_assert_cmphex(v, ==, 0x1122334455667788ull);
    /* Nothing at the address: access faults, tval = the address. */
    g_assert_cmpint(rvh_load(0x40000000, MO_32, RISCV_MMU_IDX_M, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x40000000);
    g_assert_cmpint(rvh_store(0x40000008, MO_32, RISCV_MMU_IDX_M, 1), ==,
                    RISCV_EXCP_STORE_AMO_ACCESS_FAULT);
    /* A device answers through the TLB's I/O path. */
    g_assert_cmpint(rvh_load(RVH_MMIO_BASE + 8, MO_32, RISCV_MMU_IDX_M, &v), ==, -1);
    g_assert_cmphex(v, ==, 0xd0d00008);
    /* S-mode with satp Bare: no translation, but PMP applies (nothing allowed yet). */
    g_assert_cmpint(rvh_load(RVH_RAM_BASE, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    pmp_allow_all();
    g_assert_cmpint(rvh_load(RVH_RAM_BASE + 0x100, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 0x1122334455667788ull);
    rvh_teardown();
}

/* ---- walks */

static void check_walk(unsigned vm, int level, uint64_t va)
{
    uint64_t size = 1ull << (12 + 9 * level);
    uint64_t pa = DATA_PA & ~(size - 1);
    uint64_t off = (DATA_PA - pa) + 0x128;
    uint64_t pte_addr, v;

    setup();
    pmp_allow_all();
    use_vm(vm);
    pte_addr = map(va, pa, level, RWX);
    g_assert(off < size);
    rvh_st64(DATA_PA + 0x128, 0xabcdef0123456789ull);
    g_assert_cmpint(rvh_load(va + off, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 0xabcdef0123456789ull);
    /* The hardware set A (not D) on the load. */
    g_assert_cmphex(rvh_ld64(pte_addr) & AD, ==, PTE_A);
    g_assert_cmpint(rvh_store(va + off + 8, MO_64, RISCV_MMU_IDX_S, 42), ==, -1);
    g_assert_cmphex(rvh_ld64(DATA_PA + 0x130), ==, 42);
    g_assert_cmphex(rvh_ld64(pte_addr) & AD, ==, AD);
    rvh_teardown();
}

static void test_sv39_4k(void)
{
    check_walk(VM_1_10_SV39, 0, 0x12345000);
}

static void test_sv39_2m(void)
{
    /* A 2 MiB page at 0x40000000 -> 0x80200000: level 1 needs pa aligned to 2 MiB. */
    setup();
    {
        uint64_t v;

        pmp_allow_all();
        use_vm(VM_1_10_SV39);
        map(0x40000000, RVH_RAM_BASE + 0x200000, 1, RWX | AD);
        rvh_st64(RVH_RAM_BASE + 0x200000 + 0x1ff008, 77);
        g_assert_cmpint(rvh_load(0x40000000 + 0x1ff008, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
        g_assert_cmphex(v, ==, 77);
    }
    rvh_teardown();
}

static void test_sv39_1g(void)
{
    check_walk(VM_1_10_SV39, 2, 0x40000000ull * 5);
}

static void test_sv48(void)
{
    check_walk(VM_1_10_SV48, 0, 0x7f0000123000ull);
}

static void test_sv48_512g(void)
{
    /* A 512 GiB page at 512 GiB maps physical 0, which holds RAM at 2 GiB. */
    check_walk(VM_1_10_SV48, 3, 0x8000000000ull);
}

static void test_sv57(void)
{
    check_walk(VM_1_10_SV57, 0, 0x00ff000000123000ull);
}

static void test_sv57_high_half(void)
{
    /* Canonical negative addresses: bits 63:56 copy bit 56. */
    check_walk(VM_1_10_SV57, 0, 0xff00000000456000ull);
}

static void test_sv39_high_half(void)
{
    check_walk(VM_1_10_SV39, 0, 0xffffffc000001000ull);
}

static void test_misaligned_superpage(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    /* A 2 MiB leaf whose PPN is only 4 KiB aligned. */
    map(0x40000000, RVH_RAM_BASE + 0x201000, 1, RWX | AD);
    g_assert_cmpint(rvh_load(0x40000010, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x40000010);
    g_assert_cmpint(rvh_store(0x40000010, MO_64, RISCV_MMU_IDX_S, 0), ==,
                    RISCV_EXCP_STORE_PAGE_FAULT);
    g_assert_cmpint(rvh_fetch(0x40000010, RISCV_MMU_IDX_S), ==, RISCV_EXCP_INST_PAGE_FAULT);
    rvh_teardown();
}

static void test_non_canonical(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    map(0x1000, DATA_PA, 0, RWX | AD);
    /* Bit 38 clear but bit 39 set: not a sign extension. */
    g_assert_cmpint(rvh_load(0x8000000000ull, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x8000000000ull);
    g_assert_cmpint(rvh_load(0x0000004000000000ull, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    rvh_teardown();
}

/* Every reserved encoding is a page fault of the access's kind. */
static void test_reserved_encodings(void)
{
    static const struct {
        const char *what;
        int level;
        uint64_t flags;
    } cases[] = {
        {"W without R", 0, PTE_W | PTE_A | PTE_D},
        {"W+X without R", 0, PTE_W | PTE_X | PTE_A | PTE_D},
        {"bit 60", 0, RWX | AD | (1ull << 60)},
        {"bit 54", 0, RWX | AD | (1ull << 54)},
        {"N (no Svnapot)", 0, RWX | AD | PTE_N},
        {"PBMT without Svpbmt", 0, RWX | AD | (1ull << 61)},
        {"invalid", 0, 0},
    };
    uint64_t v;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t a;

        setup();
        pmp_allow_all();
        use_vm(VM_1_10_SV39);
        a = map(0x10000, DATA_PA, cases[i].level, cases[i].flags);
        if (cases[i].flags == 0) {
            rvh_st64(a, 0);
        }
        if (rvh_load(0x10008, MO_64, RISCV_MMU_IDX_S, &v) != RISCV_EXCP_LOAD_PAGE_FAULT) {
            g_error("%s: no load page fault", cases[i].what);
        }
        g_assert_cmphex(rvh.env->badaddr, ==, 0x10008);
        rvh_teardown();
    }
}

static void test_nonleaf_rules(void)
{
    uint64_t v, a;

    /* A non-leaf PTE with A, D or U set is reserved. */
    for (int bit = 0; bit < 3; bit++) {
        uint64_t extra = bit == 0 ? PTE_A : bit == 1 ? PTE_D : PTE_U;

        setup();
        pmp_allow_all();
        use_vm(VM_1_10_SV39);
        map(0x10000, DATA_PA, 0, RWX | AD);
        a = pt_root + ((0x10000ull >> 30) & 511) * 8;
        rvh_st64(a, rvh_ld64(a) | extra);
        g_assert_cmpint(rvh_load(0x10000, MO_64, RISCV_MMU_IDX_S, &v), ==,
                        RISCV_EXCP_LOAD_PAGE_FAULT);
        rvh_teardown();
    }
    /* A pointer at level 0 has nowhere to go. */
    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    a = map(0x10000, DATA_PA, 0, 0);
    rvh_st64(a, ((pt_root >> 12) << 10) | PTE_V);
    g_assert_cmpint(rvh_store(0x10000, MO_64, RISCV_MMU_IDX_S, 0), ==, RISCV_EXCP_STORE_PAGE_FAULT);
    rvh_teardown();
}

static void test_svpbmt(void)
{
    uint64_t v;

    setup();
    rvh.env->cfg.ext_svpbmt = true;
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    map(0x10000, DATA_PA, 0, RWX | AD | (1ull << 62)); /* PBMT = IO */
    map(0x11000, DATA_PA, 0, RWX | AD | PTE_PBMT);     /* PBMT = 3: reserved */
    /* Without menvcfg.PBMTE the bits are still reserved. */
    g_assert_cmpint(rvh_load(0x10000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    csr_write(CSR_MENVCFG, MENVCFG_PBMTE);
    g_assert_cmphex(csr_read(CSR_MENVCFG), ==, MENVCFG_PBMTE);
    g_assert_cmpint(rvh_load(0x10000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmpint(rvh_load(0x11000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    rvh_teardown();
}

/* ---- the permission matrix, through the walker's callback interface */

typedef struct FakeMem {
    uint64_t base;
    uint64_t words[8 * 512]; /* 8 page-table pages */
    int loads, cas, races;   /* races: CAS failures to inject */
} FakeMem;

static bool fake_load(void *opaque, hwaddr pa, uint64_t *pte)
{
    FakeMem *m = opaque;

    if (pa < m->base || pa >= m->base + sizeof(m->words)) {
        return false;
    }
    m->loads++;
    *pte = m->words[(pa - m->base) / 8];
    return true;
}

static RISCVPTECas fake_cmpxchg(void *opaque, hwaddr pa, uint64_t old, uint64_t new)
{
    FakeMem *m = opaque;
    uint64_t *w = &m->words[(pa - m->base) / 8];

    m->cas++;
    if (m->races > 0) {
        /* Another hart sets D first (and the walker must see it). */
        m->races--;
        *w |= PTE_D;
        return RISCV_PTE_CAS_CHANGED;
    }
    if (*w != old) {
        return RISCV_PTE_CAS_CHANGED;
    }
    *w = new;
    return RISCV_PTE_CAS_OK;
}

static const RISCVPTWOps fake_ops = {fake_load, fake_cmpxchg};

/* Sv39 tables in a FakeMem at 0x1000000: root, one level-1 table, one level-0 table. */
static void fake_map(FakeMem *m, uint64_t va, uint64_t leaf)
{
    uint64_t l1 = m->base + PG, l0 = m->base + 2 * PG;

    m->words[(va >> 30) & 511] = ((l1 >> 12) << 10) | PTE_V;
    m->words[512 + ((va >> 21) & 511)] = ((l0 >> 12) << 10) | PTE_V;
    m->words[1024 + ((va >> 12) & 511)] = leaf;
}

/* What the spec allows, written out independently of mmu.c. */
static bool matrix_expect(uint64_t pte, int mode, bool sum, bool mxr, MMUAccessType t)
{
    bool u = pte & PTE_U;

    if (mode == PRV_U && !u) {
        return false;
    }
    if (mode == PRV_S && u && (t == MMU_INST_FETCH || !sum)) {
        return false;
    }
    switch (t) {
    case MMU_DATA_LOAD:
        return (pte & PTE_R) || (mxr && (pte & PTE_X));
    case MMU_DATA_STORE:
        return pte & PTE_W;
    default:
        return pte & PTE_X;
    }
}

static void test_permission_matrix(void)
{
    static const uint64_t perms[] = {PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, RWX};
    static const int idxs[] = {RISCV_MMU_IDX_U, RISCV_MMU_IDX_S, RISCV_MMU_IDX_S_SUM};
    FakeMem *m = g_new0(FakeMem, 1);
    unsigned checked = 0;

    setup();
    rvh.env->cfg.pmp = false;
    m->base = 0x1000000;
    rvh.env->satp = ((uint64_t)VM_1_10_SV39 << 60) | (m->base >> 12);
    for (size_t p = 0; p < G_N_ELEMENTS(perms); p++) {
        for (int u = 0; u < 2; u++) {
            for (int mxr = 0; mxr < 2; mxr++) {
                for (size_t i = 0; i < G_N_ELEMENTS(idxs); i++) {
                    for (int t = MMU_DATA_LOAD; t <= MMU_INST_FETCH; t++) {
                        uint64_t pte = PTE_V | AD | perms[p] | (u ? PTE_U : 0);
                        int mode = idxs[i] == RISCV_MMU_IDX_U ? PRV_U : PRV_S;
                        bool want = matrix_expect(pte, mode, idxs[i] == RISCV_MMU_IDX_S_SUM, mxr,
                                                  (MMUAccessType)t);
                        RISCVTranslation tr;
                        RISCVException e;

                        fake_map(m, 0x5000, pte | ((DATA_PA >> 12) << 10));
                        rvh.env->mstatus = mxr ? MSTATUS_MXR : 0;
                        e = riscv_mmu_translate(rvh.env, &fake_ops, m, 0x5010, 4, (MMUAccessType)t,
                                                idxs[i], &tr);
                        if (want) {
                            g_assert_cmpint(e, ==, RISCV_EXCP_NONE);
                            g_assert_cmphex(tr.paddr, ==, DATA_PA + 0x10);
                            g_assert_cmpuint(tr.lg_page_size, ==, 12);
                        } else {
                            g_assert_cmpint(e, ==, riscv_page_fault_cause((MMUAccessType)t));
                        }
                        checked++;
                    }
                }
            }
        }
    }
    g_assert_cmpuint(checked, ==, 5 * 2 * 2 * 3 * 3);
    g_free(m);
    rvh_teardown();
}

static void test_prot_of_fill(void)
{
    FakeMem *m = g_new0(FakeMem, 1);
    RISCVTranslation tr;

    setup();
    rvh.env->cfg.pmp = false;
    m->base = 0x1000000;
    rvh.env->satp = ((uint64_t)VM_1_10_SV39 << 60) | (m->base >> 12);
    /* D clear: a load's entry must not allow writes, so the first store walks again. */
    fake_map(m, 0x5000, PTE_V | RWX | PTE_A | ((DATA_PA >> 12) << 10));
    g_assert_cmpint(
        riscv_mmu_translate(rvh.env, &fake_ops, m, 0x5000, 8, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &tr),
        ==, RISCV_EXCP_NONE);
    g_assert_cmpint(tr.prot, ==, PAGE_READ | PAGE_EXEC);
    g_assert_cmpint(m->cas, ==, 0);
    g_assert_cmpint(
        riscv_mmu_translate(rvh.env, &fake_ops, m, 0x5000, 8, MMU_DATA_STORE, RISCV_MMU_IDX_S, &tr),
        ==, RISCV_EXCP_NONE);
    g_assert_cmpint(tr.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_cmpint(m->cas, ==, 1);
    g_assert_true(m->words[1024 + 5] & PTE_D);
    /* S with SUM on a U page: read/write, never execute. */
    fake_map(m, 0x5000, PTE_V | RWX | AD | PTE_U | ((DATA_PA >> 12) << 10));
    g_assert_cmpint(riscv_mmu_translate(rvh.env, &fake_ops, m, 0x5000, 8, MMU_DATA_LOAD,
                                        RISCV_MMU_IDX_S_SUM, &tr),
                    ==, RISCV_EXCP_NONE);
    g_assert_cmpint(tr.prot, ==, PAGE_READ | PAGE_WRITE);
    g_free(m);
    rvh_teardown();
}

static void test_ad_race(void)
{
    FakeMem *m = g_new0(FakeMem, 1);
    RISCVTranslation tr;

    setup();
    rvh.env->cfg.pmp = false;
    m->base = 0x1000000;
    rvh.env->satp = ((uint64_t)VM_1_10_SV39 << 60) | (m->base >> 12);
    fake_map(m, 0x7000, PTE_V | PTE_R | PTE_W | ((DATA_PA >> 12) << 10));
    m->races = 1;
    g_assert_cmpint(
        riscv_mmu_translate(rvh.env, &fake_ops, m, 0x7000, 8, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &tr),
        ==, RISCV_EXCP_NONE);
    /* The walk started again and saw the other hart's D: the entry may be written. */
    g_assert_cmpint(m->cas, ==, 2);
    g_assert_cmpint(m->loads, ==, 6);
    g_assert_cmphex(m->words[1024 + 7] & AD, ==, AD);
    g_assert_cmpint(tr.prot, ==, PAGE_READ | PAGE_WRITE);
    g_free(m);
    rvh_teardown();
}

/* ---- page tables where they cannot be read or updated */

static void test_pte_in_rom_and_hole(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    /* A 1 GiB leaf in the root, without A. */
    map(0x0, RVH_RAM_BASE, 2, RWX);
    /* Move the root into the ROM: A cannot be set there (a page fault, as QEMU). */
    memcpy(rvh_phys(RVH_ROM_BASE), rvh_phys(pt_root), PG);
    csr_write(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | (RVH_ROM_BASE >> 12));
    g_assert_cmpint(rvh_load(0x10000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    /* A root where nothing answers: an access fault of the access's kind. */
    csr_write(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | (0x40000000ull >> 12));
    g_assert_cmpint(rvh_store(0x10000, MO_64, RISCV_MMU_IDX_S, 0), ==,
                    RISCV_EXCP_STORE_AMO_ACCESS_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x10000);
    g_assert_cmpint(rvh_fetch(0x10000, RISCV_MMU_IDX_S), ==, RISCV_EXCP_INST_ACCESS_FAULT);
    rvh_teardown();
}

/* ---- PMP through translation */

static void test_pmp_on_translated_access(void)
{
    uint64_t v;

    setup();
    use_vm(VM_1_10_SV39);
    map(0x10000, DATA_PA, 0, RWX | AD);
    map(0x11000, DATA_PA + PG, 0, RWX | AD);
    /* Entry 0: the data page read-only (NA4-granular NAPOT of 4 KiB); entry 1: all RWX. */
    csr_write(CSR_PMPADDR0, (DATA_PA >> 2) | 0x1ff);
    csr_write((CSR_PMPADDR0 + 1), ~0ull);
    csr_write(CSR_PMPCFG0, (0x1full << 8) | 0x19);
    g_assert_cmpint(rvh_load(0x10008, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmpint(rvh_store(0x10008, MO_64, RISCV_MMU_IDX_S, 1), ==,
                    RISCV_EXCP_STORE_AMO_ACCESS_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x10008);
    g_assert_cmpint(rvh_store(0x11008, MO_64, RISCV_MMU_IDX_S, 1), ==, -1);
    /* Make the page tables themselves unreadable to S: the walk's read faults. */
    csr_write(CSR_PMPADDR0, (PT_BASE >> 2) | ((1ull << 17) - 1)); /* 1 MiB NAPOT */
    csr_write(CSR_PMPCFG0, (0x1full << 8) | 0x18);
    tlb_flush(rvh.cs);
    g_assert_cmpint(rvh_load(0x10008, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    g_assert_cmpint(rvh_fetch(0x11000, RISCV_MMU_IDX_S), ==, RISCV_EXCP_INST_ACCESS_FAULT);
    rvh_teardown();
}

/* A PMP boundary inside a page: the TLB entry serves one access only. */
static void test_pmp_sub_page(void)
{
    RISCVTranslation tr;
    uint64_t v;

    setup();
    /* Entry 0: TOR [0, DATA_PA + 0x800) RW; entry 1: everything else R. */
    csr_write(CSR_PMPADDR0, (DATA_PA + 0x800) >> 2);
    csr_write((CSR_PMPADDR0 + 1), ~0ull);
    csr_write(CSR_PMPCFG0, (0x19ull << 8) | 0x0b);
    g_assert_cmpint(riscv_mmu_translate(rvh.env, &riscv_ptw_sysmem, rvh.cs, DATA_PA + 0x10, 8,
                                        MMU_DATA_STORE, RISCV_MMU_IDX_U, &tr),
                    ==, -1);
    g_assert_cmpuint(tr.lg_page_size, <, 12);
    g_assert_cmpint(rvh_store(DATA_PA + 0x10, MO_64, RISCV_MMU_IDX_U, 5), ==, -1);
    g_assert_cmpint(rvh_store(DATA_PA + 0x810, MO_64, RISCV_MMU_IDX_U, 5), ==,
                    RISCV_EXCP_STORE_AMO_ACCESS_FAULT);
    /* An access straddling the boundary matches entry 0 only in part: it fails. */
    g_assert_cmpint(rvh_load(DATA_PA + 0x7fc, MO_64, RISCV_MMU_IDX_U, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    g_assert_cmpint(rvh_load(DATA_PA + 0x808, MO_64, RISCV_MMU_IDX_U, &v), ==, -1);
    rvh_teardown();
}

/* ---- TLB maintenance and MMU indexes */

static void test_sfence_and_satp_flush(void)
{
    uint64_t v, a;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    a = map(0x20000, DATA_PA, 0, RWX | AD);
    rvh_st64(DATA_PA, 1);
    rvh_st64(DATA_PA + PG, 2);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    /* Remap: the TLB still holds the old translation until SFENCE.VMA. */
    rvh_st64(a, (((DATA_PA + PG) >> 12) << 10) | RWX | AD | PTE_V);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    rvh.env->priv = PRV_S;
    helper_sfence_vma(rvh.env, 0x20000, 0, RISCV_SFENCE_ALL_ASID);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 2);
    /* Unmap; a global fence forgets it. */
    rvh_st64(a, 0);
    helper_sfence_vma(rvh.env, 0, 0, RISCV_SFENCE_ALL_ADDR | RISCV_SFENCE_ALL_ASID);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    /* Back to Bare through satp: the TLB is flushed and 0x20000 is physical (a hole). */
    rvh_st64(a, ((DATA_PA >> 12) << 10) | RWX | AD | PTE_V);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    rvh.env->priv = PRV_M;
    csr_write(CSR_SATP, 0);
    g_assert_cmpint(rvh_load(0x20000, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    rvh_teardown();
}

/*
 * Global mappings (G in the leaf or in a pointer above it) are those of every
 * address space: a switch of satp to another root, or a fence of one ASID,
 * may keep them in the TLB, and the TLB does.  Non-global ones go; a global
 * fence (rs2 = x0) and a change of MODE drop everything.  The stale data
 * seen below after remapping is the architectural proof that the entry was
 * kept; it is what hardware with a TLB shows too.
 */
static void test_global_entries(void)
{
    uint64_t v, g, l, root1, root2;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    root1 = pt_root;
    g = map(0x40000, DATA_PA, 0, RWX | AD | PTE_G);
    l = map(0x41000, DATA_PA + PG, 0, RWX | AD);
    rvh_st64(DATA_PA, 1);
    rvh_st64(DATA_PA + PG, 2);
    rvh_st64(DATA_PA + 2 * PG, 3);
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    g_assert_cmpint(rvh_load(0x41000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 2);

    /* Both leaves now point at the third page; then switch to a copy of the root. */
    rvh_st64(g, (((DATA_PA + 2 * PG) >> 12) << 10) | RWX | AD | PTE_G | PTE_V);
    rvh_st64(l, (((DATA_PA + 2 * PG) >> 12) << 10) | RWX | AD | PTE_V);
    root2 = pt_alloc();
    memcpy(rvh_phys(root2), rvh_phys(root1), PG);
    csr_write(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | (1ull << 44) | (root2 >> 12));
    /* The global entry survived the switch; the other one was walked again. */
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    g_assert_cmpint(rvh_load(0x41000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 3);

    /* A fence of one ASID keeps global entries too; a fence of all ASIDs does not. */
    rvh.env->priv = PRV_S;
    helper_sfence_vma(rvh.env, 0, 1, RISCV_SFENCE_ALL_ADDR);
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    helper_sfence_vma(rvh.env, 0, 0, RISCV_SFENCE_ALL_ADDR | RISCV_SFENCE_ALL_ASID);
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 3);

    /* G on a pointer makes the leaves below it global. */
    rvh_st64(g, ((DATA_PA >> 12) << 10) | RWX | AD | PTE_V);
    for (uint64_t t = root2, va = 0x40000, lvl = 2; lvl > 0; lvl--) {
        uint64_t a = t + ((va >> (12 + 9 * lvl)) & 511) * 8;

        rvh_st64(a, rvh_ld64(a) | PTE_G);
        t = (rvh_ld64(a) >> 10) << 12;
    }
    helper_sfence_vma(rvh.env, 0, 0, RISCV_SFENCE_ALL_ADDR | RISCV_SFENCE_ALL_ASID);
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);
    rvh_st64(g, (((DATA_PA + PG) >> 12) << 10) | RWX | AD | PTE_V);
    rvh.env->priv = PRV_M;
    csr_write(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | (2ull << 44) | (root2 >> 12));
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 1);

    /* A new MODE: nothing is kept (0x40000 is then a physical hole). */
    csr_write(CSR_SATP, 0);
    g_assert_cmpint(rvh_load(0x40000, MO_64, RISCV_MMU_IDX_S, &v), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    rvh_teardown();
}

static void test_mxr_flush(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    map(0x30000, DATA_PA, 0, PTE_X | AD);
    g_assert_cmpint(rvh_load(0x30000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(rvh_fetch(0x30000, RISCV_MMU_IDX_S), ==, -1);
    /* MXR is not in the MMU index: setting it must drop the entry made without it. */
    csr_write(CSR_MSTATUS, MSTATUS_MXR);
    g_assert_cmpint(rvh_load(0x30000, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    csr_write(CSR_MSTATUS, 0);
    g_assert_cmpint(rvh_load(0x30000, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    rvh_teardown();
}

static void test_mmu_index(void)
{
    CPURISCVState *env;

    setup();
    env = rvh.env;
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_M);
    /* MPRV: M-mode loads and stores at MPP's index; fetch stays M. */
    env->mstatus = MSTATUS_MPRV | ((uint64_t)PRV_S << 11);
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_S);
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, true), ==, RISCV_MMU_IDX_M);
    env->mstatus |= MSTATUS_SUM;
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_S_SUM);
    env->mstatus = MSTATUS_MPRV | ((uint64_t)PRV_U << 11);
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_U);
    /* MPRV means nothing outside M-mode. */
    env->priv = PRV_S;
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_S);
    env->mstatus = MSTATUS_SUM;
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_S_SUM);
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, true), ==, RISCV_MMU_IDX_S);
    env->priv = PRV_U;
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, false), ==, RISCV_MMU_IDX_U);
    g_assert_cmpint(riscv_cpu_mmu_index(rvh.cs, true), ==, RISCV_MMU_IDX_U);
    rvh_teardown();
}

/* Through MPRV the M-mode data access walks S's tables with S's rules. */
static void test_mprv_access(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    map(0x40000, DATA_PA, 0, PTE_R | PTE_W | AD | PTE_U);
    rvh_st64(DATA_PA, 99);
    csr_write(CSR_MSTATUS, MSTATUS_MPRV | ((uint64_t)PRV_S << 11));
    /* S without SUM may not touch a U page. */
    g_assert_cmpint(rvh_load(0x40000, MO_64, riscv_cpu_mmu_index(rvh.cs, false), &v), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    csr_write(CSR_MSTATUS, MSTATUS_MPRV | MSTATUS_SUM | ((uint64_t)PRV_S << 11));
    g_assert_cmpint(rvh_load(0x40000, MO_64, riscv_cpu_mmu_index(rvh.cs, false), &v), ==, -1);
    g_assert_cmphex(v, ==, 99);
    csr_write(CSR_MSTATUS, MSTATUS_MPRV | ((uint64_t)PRV_U << 11));
    g_assert_cmpint(rvh_load(0x40000, MO_64, riscv_cpu_mmu_index(rvh.cs, false), &v), ==, -1);
    rvh_teardown();
}

/* A misaligned load across a page edge: each page is translated; tval is the faulting page's. */
static void test_misaligned_cross_page(void)
{
    uint64_t v;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    map(0x50000, DATA_PA, 0, RWX | AD);
    rvh_st64(DATA_PA + PG - 8, 0x8877665544332211ull);
    g_assert_cmpint(rvh_load(0x50ffc, MO_64, RISCV_MMU_IDX_S, &v), ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmphex(rvh.env->badaddr, ==, 0x51000);
    map(0x51000, DATA_PA + PG, 0, RWX | AD);
    rvh_st64(DATA_PA + PG, 0xffeeddccbbaa9900ull);
    g_assert_cmpint(rvh_load(0x50ffc, MO_64, RISCV_MMU_IDX_S, &v), ==, -1);
    g_assert_cmphex(v, ==, 0xbbaa990088776655ull);
    rvh_teardown();
}

/*
 * The debugger's walk (TargetOps get_phys_page_debug): the page of any
 * valid leaf the current mode's regime maps, whatever its permissions,
 * with no A/D update and no TLB fill; -1 for an unmapped address;
 * identity in M mode.
 */
static void test_debug_walk(void)
{
    uint64_t user_pte, xonly_pte;

    setup();
    pmp_allow_all();
    use_vm(VM_1_10_SV39);
    user_pte = map(0x12345000, DATA_PA, 0, PTE_R | PTE_U);
    xonly_pte = map(0x22345000, DATA_PA + PG, 0, PTE_X);
    rvh.env->priv = PRV_S;
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x12345123), ==, DATA_PA);
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x22345000), ==, DATA_PA + PG);
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x32345000), ==, (hwaddr)-1);
    /* Non-canonical: not mapped either. */
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x0000800000000000ull), ==,
                    (hwaddr)-1);
    /* A and D stay as the guest left them. */
    g_assert_cmphex(rvh_ld64(user_pte) & AD, ==, 0);
    g_assert_cmphex(rvh_ld64(xonly_pte) & AD, ==, 0);
    rvh.env->priv = PRV_U;
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x12345fff), ==, DATA_PA);
    rvh.env->priv = PRV_M;
    g_assert_cmphex(riscv_cpu_get_phys_page_debug(rvh.cs, 0x12345fff), ==, 0x12345000);
    rvh_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-mmu/bare", test_bare);
    g_test_add_func("/riscv-mmu/sv39/4k", test_sv39_4k);
    g_test_add_func("/riscv-mmu/sv39/2m", test_sv39_2m);
    g_test_add_func("/riscv-mmu/sv39/1g", test_sv39_1g);
    g_test_add_func("/riscv-mmu/sv39/high-half", test_sv39_high_half);
    g_test_add_func("/riscv-mmu/sv48/4k", test_sv48);
    g_test_add_func("/riscv-mmu/sv48/512g", test_sv48_512g);
    g_test_add_func("/riscv-mmu/sv57/4k", test_sv57);
    g_test_add_func("/riscv-mmu/sv57/high-half", test_sv57_high_half);
    g_test_add_func("/riscv-mmu/misaligned-superpage", test_misaligned_superpage);
    g_test_add_func("/riscv-mmu/non-canonical", test_non_canonical);
    g_test_add_func("/riscv-mmu/reserved-encodings", test_reserved_encodings);
    g_test_add_func("/riscv-mmu/nonleaf-rules", test_nonleaf_rules);
    g_test_add_func("/riscv-mmu/svpbmt", test_svpbmt);
    g_test_add_func("/riscv-mmu/global-entries", test_global_entries);
    g_test_add_func("/riscv-mmu/permission-matrix", test_permission_matrix);
    g_test_add_func("/riscv-mmu/fill-prot", test_prot_of_fill);
    g_test_add_func("/riscv-mmu/ad-race", test_ad_race);
    g_test_add_func("/riscv-mmu/pte-in-rom-and-hole", test_pte_in_rom_and_hole);
    g_test_add_func("/riscv-mmu/pmp/translated", test_pmp_on_translated_access);
    g_test_add_func("/riscv-mmu/pmp/sub-page", test_pmp_sub_page);
    g_test_add_func("/riscv-mmu/sfence-and-satp", test_sfence_and_satp_flush);
    g_test_add_func("/riscv-mmu/mxr-flush", test_mxr_flush);
    g_test_add_func("/riscv-mmu/mmu-index", test_mmu_index);
    g_test_add_func("/riscv-mmu/mprv", test_mprv_access);
    g_test_add_func("/riscv-mmu/misaligned-cross-page", test_misaligned_cross_page);
    g_test_add_func("/riscv-mmu/debug-walk", test_debug_walk);
    return g_test_run();
}
