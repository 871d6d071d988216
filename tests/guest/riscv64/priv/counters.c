/*
 * Counters (Zicntr, Zihpm; Privileged Architecture 20211203, 3.1.10-3.1.13):
 * mcycle, minstret and time advance and their user shadows read the same;
 * time is the CLINT's mtime; mcounteren gates S (and U), scounteren gates
 * U, bit by bit; mcycle is writable; mcountinhibit stops mcycle/minstret;
 * hpmcounters exist and read what nothing counts.
 */
#include "priv-test.h"

static unsigned long rd_cycle(unsigned long arg)
{
    return csr_read(cycle);
}

static unsigned long rd_time(unsigned long arg)
{
    return csr_read(time);
}

static unsigned long rd_instret(unsigned long arg)
{
    return csr_read(instret);
}

static unsigned long rd_hpm3(unsigned long arg)
{
    return csr_read(hpmcounter3);
}

typedef struct Counter {
    const char *name;
    unsigned bit;
    unsigned long (*fn)(unsigned long);
} Counter;

static const Counter counters[] = {
    {"cycle", 0, rd_cycle},
    {"time", 1, rd_time},
    {"instret", 2, rd_instret},
    {"hpmcounter3", 3, rd_hpm3},
};

static int allowed(int mode, const Counter *c)
{
    trap_reset();
    run_in_mode(mode, c->fn, 0);
    return trap_count == 0;
}

static void check_gating(const Counter *c)
{
    char name[64];
    char *p;

    /* name = "<counter>_<case>" */
    for (int k = 0; k < 4; k++) {
        static const char *const cases[] = {"_s_denied", "_s_allowed", "_u_denied", "_u_allowed"};
        const char *s = c->name;
        int ok;

        p = name;
        while (*s) {
            *p++ = *s++;
        }
        for (s = cases[k]; *s;) {
            *p++ = *s++;
        }
        *p = 0;
        switch (k) {
        case 0:
            csr_write(mcounteren, 0);
            csr_write(scounteren, 0);
            ok = !allowed(PRV_S, c) && trap_last.cause == CAUSE_ILLEGAL;
            break;
        case 1:
            csr_write(mcounteren, 1ul << c->bit);
            ok = allowed(PRV_S, c);
            break;
        case 2:
            ok = !allowed(PRV_U, c) && trap_last.cause == CAUSE_ILLEGAL;
            break;
        default:
            csr_write(scounteren, 1ul << c->bit);
            ok = allowed(PRV_U, c);
            break;
        }
        check(name, ok);
    }
}

static void delay(void)
{
    for (volatile int i = 0; i < 1000; i++) {
    }
}

void test_main(void)
{
    unsigned long a, b, t0, t1, m0, m1;

    pmp_allow_all();

    /* They advance, and the user shadows read the machine counters. */
    a = csr_read(mcycle);
    delay();
    b = csr_read(mcycle);
    check("mcycle_advances", b > a);
    a = csr_read(minstret);
    delay();
    b = csr_read(minstret);
    check("minstret_advances", b > a);
    a = csr_read(mcycle);
    b = csr_read(cycle);
    check("cycle_shadows_mcycle", b >= a && b - a < 100000000ul);
    /* time is mtime. */
    m0 = *(volatile uint64_t *)CLINT_MTIME;
    t0 = csr_read(time);
    delay();
    t1 = csr_read(time);
    m1 = *(volatile uint64_t *)CLINT_MTIME;
    check("time_is_mtime", m0 <= t0 && t0 <= t1 && t1 <= m1);

    /* mcycle can be written. */
    csr_write(mcycle, 1000000000000ul);
    a = csr_read(mcycle);
    check("mcycle_writable", a >= 1000000000000ul && a < 1000000000000ul + 100000000ul);

    /* mcountinhibit.CY stops mcycle (and a written value stays). */
    csr_write(mcountinhibit, 1);
    check_eq("mcountinhibit_cy", csr_read(mcountinhibit) & 7, 1);
    a = csr_read(mcycle);
    delay();
    b = csr_read(mcycle);
    check_eq("inhibited_mcycle_stands", b, a);
    csr_write(mcycle, 12345);
    delay();
    check_eq("inhibited_mcycle_holds_write", csr_read(mcycle), 12345);
    csr_write(mcountinhibit, 0);
    delay();
    check("uninhibited_mcycle_runs", csr_read(mcycle) > 12345);

    /* hpmcounter3 exists and counts nothing yet. */
    check_eq("hpmcounter3_reads_zero", csr_read(hpmcounter3), 0);
    check_eq("mhpmcounter3_reads_zero", csr_read(mhpmcounter3), 0);
    csr_write(mhpmevent3, 0);
    check_eq("mhpmevent3_writable", csr_read(mhpmevent3), 0);

    /* The enables, counter by counter. */
    for (unsigned i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
        check_gating(&counters[i]);
    }
    /* Enabling one counter does not enable another. */
    csr_write(mcounteren, 1ul << 0);
    check("mcounteren_per_bit", allowed(PRV_S, &counters[0]) && !allowed(PRV_S, &counters[2]));
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
}
