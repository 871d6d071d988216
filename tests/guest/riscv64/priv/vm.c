/*
 * Supervisor virtual memory (Privileged Architecture 20211203, 4.3-4.4):
 * Sv39 or Sv48 (built twice, -DSV=39/48).  S-mode code runs through an
 * identity gigapage; test pages are mapped at other addresses.  Checked:
 * satp mode probing, 4 KiB pages and a 2 MiB megapage, the high half,
 * non-canonical addresses, hardware A/D updates, permission faults (causes
 * 12/13/15 with tval = the address), U/SUM, MXR, misaligned superpages,
 * reserved encodings, SFENCE.VMA after a remap, MPRV from M-mode, and a
 * page fault delegated to S.
 */
#include "priv-test.h"

#if SV == 48
#define SATP_MODE   9ul
#define LEVELS      4
#define HIGH_VA     0xffff800000000000ul
#define NONCANON_VA 0x0000800000000000ul
#else
#define SATP_MODE   8ul
#define LEVELS      3
#define HIGH_VA     0xffffffc000000000ul
#define NONCANON_VA 0x0000004000000000ul
#endif

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define RWX   (PTE_R | PTE_W | PTE_X)
#define AD    (PTE_A | PTE_D)

#define PG 4096ul
#define VA 0x40000000ul /* test pages: VA + n * PG */

static uint64_t tables[16][512] __attribute__((aligned(4096)));
static uint8_t pages[4][4096] __attribute__((aligned(4096)));
static unsigned tables_used;
static uint64_t *root;

static uint64_t *new_table(void)
{
    return tables[tables_used++];
}

static uint64_t pte_for(unsigned long pa, unsigned long flags)
{
    return ((pa >> 12) << 10) | flags | PTE_V;
}

/* The PTE slot for va at `level`, making the tables above it. */
static volatile uint64_t *slot(unsigned long va, int level)
{
    uint64_t *t = root;

    for (int l = LEVELS - 1; l > level; l--) {
        uint64_t *e = &t[(va >> (12 + 9 * l)) & 511];

        if (!(*e & PTE_V)) {
            *e = pte_for((unsigned long)new_table(), 0);
        }
        t = (uint64_t *)((*e >> 10) << 12);
    }
    return &t[(va >> (12 + 9 * level)) & 511];
}

static volatile uint64_t *map(unsigned long va, unsigned long pa, int level, unsigned long flags)
{
    volatile uint64_t *e = slot(va, level);

    *e = pte_for(pa, flags);
    __asm__ volatile("sfence.vma" ::: "memory");
    return e;
}

static unsigned long store_val;

static unsigned long s_load(unsigned long va)
{
    return try_load64(va, 0xbadbadul);
}

static unsigned long s_store(unsigned long va)
{
    try_store64(va, store_val);
    return 0;
}

static unsigned long s_fetch(unsigned long va)
{
    try_fetch(va);
    return 0;
}

static unsigned long s_sfence_load(unsigned long va)
{
    __asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
    return try_load64(va, 0xbadbadul);
}

static unsigned long load_in_s(unsigned long va)
{
    trap_reset();
    return run_in_mode(PRV_S, s_load, va);
}

static void store_in_s(unsigned long va, unsigned long val)
{
    trap_reset();
    store_val = val;
    run_in_mode(PRV_S, s_store, va);
}

static void fetch_in_s(unsigned long va)
{
    trap_reset();
    run_in_mode(PRV_S, s_fetch, va);
}

#define P(n)         ((unsigned long)pages[n])
#define DATA(n, off) (*(volatile uint64_t *)(P(n) + (off)))

void test_main(void)
{
    volatile uint64_t *pte;
    unsigned long v;

    pmp_allow_all();
    csr_write(stvec, (unsigned long)strap_entry);
    root = new_table();
    /* Code, data and stack: an identity gigapage (global, not U). */
    map(0x80000000ul, 0x80000000ul, 2, RWX | AD | PTE_G);

    /* Mode probing: Sv57 down to ours; reserved modes leave satp alone. */
    csr_write(satp, (10ul << 60) | 0x12345);
    v = csr_read(satp) >> 60;
    check("satp_sv57_probe", v == 10 || v == 0);
    csr_write(satp, (SATP_MODE << 60) | ((unsigned long)root >> 12));
    check_eq("satp_mode", csr_read(satp) >> 60, SATP_MODE);
    csr_write(satp, (11ul << 60) | 1);
    check_eq("satp_reserved_mode_ignored", csr_read(satp),
             (SATP_MODE << 60) | ((unsigned long)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");

    /* A 4 KiB page, read and written from S; A and D set by the hardware. */
    DATA(0, 0x10) = 0x1122334455667788ul;
    pte = map(VA, P(0), 0, PTE_R | PTE_W);
    check_eq("load_4k", load_in_s(VA + 0x10), 0x1122334455667788ul);
    check_eq("load_4k_no_trap", trap_count, 0);
    check_eq("a_set_by_load", *pte & AD, PTE_A);
    store_in_s(VA + 0x18, 0xcafe);
    check_eq("store_4k", DATA(0, 0x18), 0xcafe);
    check_eq("d_set_by_store", *pte & AD, AD);

    /* Faults: unmapped, read-only, not executable. */
    load_in_s(VA + 3 * PG + 8);
    check_trap("unmapped_load", CAUSE_LOAD_PAGE, VA + 3 * PG + 8);
    check_eq("unmapped_load_from_s", trap_last.from_mode, PRV_S);
    map(VA + PG, P(1), 0, PTE_R | PTE_A);
    store_in_s(VA + PG + 0x20, 1);
    check_trap("store_to_read_only", CAUSE_STORE_PAGE, VA + PG + 0x20);
    fetch_in_s(VA + PG);
    check_trap("fetch_not_executable", CAUSE_FETCH_PAGE, VA + PG);
    check_eq("fetch_not_executable_epc", trap_last.epc, VA + PG);
    /* An executable page: a `ret` there runs. */
    *(volatile uint32_t *)P(2) = 0x00008067;
    __asm__ volatile("fence.i" ::: "memory");
    map(VA + 2 * PG, P(2), 0, PTE_X | PTE_A);
    fetch_in_s(VA + 2 * PG);
    check_eq("fetch_executable", trap_count, 0);
    /* Execute-only: not readable unless MXR. */
    load_in_s(VA + 2 * PG);
    check_trap("load_execute_only", CAUSE_LOAD_PAGE, VA + 2 * PG);
    csr_set(mstatus, MSTATUS_MXR);
    check_eq("load_execute_only_mxr", load_in_s(VA + 2 * PG) & 0xffffffff, 0x00008067);
    csr_clear(mstatus, MSTATUS_MXR);

    /* A U page: S needs SUM to read it, and never executes it. */
    DATA(3, 0) = 0x5555;
    map(VA + 3 * PG, P(3), 0, RWX | AD | PTE_U);
    load_in_s(VA + 3 * PG);
    check_trap("s_load_u_page", CAUSE_LOAD_PAGE, VA + 3 * PG);
    csr_set(mstatus, MSTATUS_SUM);
    check_eq("s_load_u_page_sum", load_in_s(VA + 3 * PG), 0x5555);
    fetch_in_s(VA + 3 * PG);
    check_trap("s_fetch_u_page_sum", CAUSE_FETCH_PAGE, VA + 3 * PG);
    csr_clear(mstatus, MSTATUS_SUM);

    /* Reserved encodings: W without R. */
    map(VA + 4 * PG, P(1), 0, PTE_W | AD);
    load_in_s(VA + 4 * PG);
    check_trap("pte_w_without_r", CAUSE_LOAD_PAGE, VA + 4 * PG);

    /* A 2 MiB megapage, and one whose PPN is misaligned. */
    map(0x60000000ul, 0x80000000ul, 1, PTE_R | AD);
    check_eq("megapage", load_in_s(0x60000000ul + (P(0) - 0x80000000ul) + 0x10),
             0x1122334455667788ul);
    map(0x60200000ul, 0x80001000ul, 1, PTE_R | AD);
    load_in_s(0x60200000ul + 8);
    check_trap("misaligned_megapage", CAUSE_LOAD_PAGE, 0x60200000ul + 8);

    /* The high half, and an address that is not sign-extended. */
    map(HIGH_VA, P(0), 0, PTE_R | AD);
    check_eq("high_half", load_in_s(HIGH_VA + 0x10), 0x1122334455667788ul);
    load_in_s(NONCANON_VA + 0x10);
    check_trap("non_canonical", CAUSE_LOAD_PAGE, NONCANON_VA + 0x10);

    /* Remap: after SFENCE.VMA the new page is seen. */
    DATA(1, 0) = 0xaaaa;
    DATA(3, 0) = 0xbbbb;
    pte = map(VA + 5 * PG, P(1), 0, PTE_R | AD);
    check_eq("before_remap", load_in_s(VA + 5 * PG), 0xaaaa);
    *pte = pte_for(P(3), PTE_R | AD);
    trap_reset();
    check_eq("after_remap_sfence", run_in_mode(PRV_S, s_sfence_load, VA + 5 * PG), 0xbbbb);

    /* MPRV: M-mode loads through S's translation. */
    trap_reset();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPRV | (1ul << 11));
    v = try_load64(VA + 0x10, 0xbadbadul);
    csr_clear(mstatus, MSTATUS_MPRV);
    check_eq("mprv_load", v, 0x1122334455667788ul);
    check_eq("mprv_no_trap", trap_count, 0);

    /* A page fault delegated to S: stval is the address. */
    csr_write(medeleg, 1ul << CAUSE_LOAD_PAGE);
    load_in_s(VA + 7 * PG + 0x28);
    check_trap("delegated_page_fault", CAUSE_LOAD_PAGE, VA + 7 * PG + 0x28);
    check_eq("delegated_page_fault_to_s", trap_last.to_mode, PRV_S);
    csr_write(medeleg, 0);
    csr_write(satp, 0);
}
