/*
 * Physical memory protection (Privileged Architecture 20211203, 3.7): with
 * no entry active S and U may touch nothing; NAPOT, TOR and NA4 ranges
 * grant R/W/X to S and U; the lowest-numbered matching entry wins; an
 * access that an entry covers only in part fails; M-mode is bound only by
 * locked entries, and a locked entry (and the pmpaddr below a locked TOR)
 * ignores writes until reset.  Faults are access faults 1/5/7 with tval =
 * the address.
 */
#include "priv-test.h"

#define PG                     4096ul
#define CFG(a, rwx)            ((unsigned long)(((a) << 3) | (rwx)))
#define OFF                    0
#define TOR                    1
#define NA4                    2
#define NAPOT                  3
#define R                      1
#define W                      2
#define X                      4
#define L                      0x80
#define NAPOT_ADDR(base, size) (((base) >> 2) | (((size) >> 3) - 1))

static uint8_t pages[4][4096] __attribute__((aligned(4096)));
static unsigned long store_val;

#define P(n) ((unsigned long)pages[n])

static unsigned long nothing(unsigned long arg)
{
    return 42;
}

static unsigned long load(unsigned long addr)
{
    return try_load64(addr, 0xbadbadul);
}

static unsigned long load32(unsigned long addr)
{
    return try_load32(addr, 0xbadbadul);
}

static unsigned long store(unsigned long addr)
{
    try_store64(addr, store_val);
    return 0;
}

static unsigned long store32(unsigned long addr)
{
    try_store32(addr, store_val);
    return 0;
}

static unsigned long fetch(unsigned long addr)
{
    try_fetch(addr);
    return 0;
}

static unsigned long in_mode(int mode, unsigned long (*fn)(unsigned long), unsigned long arg)
{
    trap_reset();
    return run_in_mode(mode, fn, arg);
}

void test_main(void)
{
    unsigned long v;

    /* Nothing active: S cannot even fetch its first instruction. */
    v = in_mode(PRV_S, nothing, 0);
    check("no_entries_s_denied", v != 42 && trap_last.cause == CAUSE_FETCH_ACCESS);
    v = in_mode(PRV_U, nothing, 0);
    check("no_entries_u_denied", v != 42 && trap_last.cause == CAUSE_FETCH_ACCESS);

    /* Entry 15 opens everything; entries 0-3 carve out exceptions, which win. */
    pmp_allow_all();
    check_eq("allow_all_s", in_mode(PRV_S, nothing, 0), 42);
    /* 0: page 0 read-only (NAPOT); 1: page 1 nothing (TOR from page 1 to page 2). */
    csr_write(pmpaddr0, NAPOT_ADDR(P(0), PG));
    csr_write(pmpaddr1, P(1) >> 2);
    csr_write(pmpaddr2, P(2) >> 2);
    /* 3: one word of page 3 read/write (NA4); the rest of page 3 falls to entry 15. */
    csr_write(pmpaddr3, (P(3) + 8) >> 2);
    csr_write(pmpcfg0,
              CFG(NAPOT, R) | (CFG(OFF, 0) << 8) | (CFG(TOR, 0) << 16) | (CFG(NA4, R | W) << 24));
    check_eq("pmpaddr0_readback", csr_read(pmpaddr0), NAPOT_ADDR(P(0), PG));
    check_eq("pmpcfg0_readback", csr_read(pmpcfg0) & 0xffffffff,
             CFG(NAPOT, R) | (CFG(TOR, 0) << 16) | (CFG(NA4, R | W) << 24));

    *(volatile uint64_t *)(P(0) + 8) = 0x1234;
    check_eq("s_load_read_only", in_mode(PRV_S, load, P(0) + 8), 0x1234);
    store_val = 1;
    in_mode(PRV_S, store, P(0) + 8);
    check_trap("s_store_read_only", CAUSE_STORE_ACCESS, P(0) + 8);
    in_mode(PRV_U, store, P(0) + 16);
    check_trap("u_store_read_only", CAUSE_STORE_ACCESS, P(0) + 16);
    in_mode(PRV_S, fetch, P(0));
    check_trap("s_fetch_not_x", CAUSE_FETCH_ACCESS, P(0));
    in_mode(PRV_S, load, P(1) + 0x100);
    check_trap("s_load_tor_none", CAUSE_LOAD_ACCESS, P(1) + 0x100);
    in_mode(PRV_S, load, P(2));
    check_eq("tor_top_exclusive", trap_count, 0);
    store_val = 7;
    in_mode(PRV_U, store32, P(3) + 8);
    check_eq("na4_store", trap_count, 0);
    check_eq("na4_load32", in_mode(PRV_U, load32, P(3) + 8), 7);
    /* 8 bytes at the NA4 word: entry 3 matches only half of them. */
    in_mode(PRV_U, load, P(3) + 8);
    check_trap("partial_match_fails", CAUSE_LOAD_ACCESS, P(3) + 8);
    in_mode(PRV_U, load, P(3) + 16);
    check_eq("after_na4_entry15", trap_count, 0);

    /* M-mode ignores unlocked entries. */
    trap_reset();
    try_store64(P(1), 5);
    try_store64(P(0) + 8, 6);
    check_eq("m_unrestricted", trap_count, 0);

    /* Lock entry 1 (TOR): M is bound, and pmpaddr0 (its bottom) and pmpaddr1 freeze. */
    csr_set(pmpcfg0, L << 16);
    trap_reset();
    try_store64(P(1) + 8, 5);
    check_trap("locked_binds_m", CAUSE_STORE_ACCESS, P(1) + 8);
    trap_reset();
    v = try_load64(P(1), 0xbadbadul);
    check_trap("locked_binds_m_load", CAUSE_LOAD_ACCESS, P(1));
    csr_write(pmpaddr2, 0);
    check_eq("locked_addr_ignored", csr_read(pmpaddr2), P(2) >> 2);
    csr_write(pmpaddr1, 0);
    check_eq("locked_tor_bottom_ignored", csr_read(pmpaddr1), P(1) >> 2);
    csr_clear(pmpcfg0, (unsigned long)0xff << 16);
    check_eq("locked_cfg_ignored", (csr_read(pmpcfg0) >> 16) & 0xff, CFG(TOR, 0) | L);
    /* Entries around it still change. */
    csr_write(pmpaddr3, 0);
    check_eq("unlocked_addr_changes", csr_read(pmpaddr3), 0);
}
