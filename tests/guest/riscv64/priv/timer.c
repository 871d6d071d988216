/*
 * Timer interrupts and WFI (Privileged Architecture 20211203, 3.1.9,
 * 3.2.1, 3.3.3; Sstc): the CLINT's mtimecmp raises MTIP when mtime reaches
 * it; WFI waits for an interrupt enabled in mie even with MIE clear, and
 * resumes after itself; with MIE set the timer traps to M (cause 7, also
 * from U); with Sstc, stimecmp raises STIP for S (cause 5 delegated), STIP
 * is read-only in mip while menvcfg.STCE is set, and a later stimecmp
 * clears it.
 */
#include "priv-test.h"

#define MTIMECMP     (*(volatile uint64_t *)CLINT_MTIMECMP)
#define MTIME        (*(volatile uint64_t *)CLINT_MTIME)
#define MENVCFG_STCE (1ul << 63)
#define TICKS        20000 /* 2 ms at the virt board's 10 MHz */
/*
 * "Never" for a comparator: far ahead, but not ~0, whose conversion to
 * nanoseconds overflows in QEMU 7.2's timer and fires it at once.
 */
#define FAR (1ul << 50)

static volatile unsigned long irqs;

static void mtimer_off(unsigned long cause)
{
    irqs++;
    MTIMECMP = MTIME + FAR;
}

static void stimer_off(unsigned long cause)
{
    irqs++;
    csr_write(stimecmp, csr_read(time) + FAR);
}

/* U-mode: spin until the interrupt count moves (or give up). */
static unsigned long wait_irq(unsigned long arg)
{
    for (unsigned long i = 0; i < 200000000ul && irqs == arg; i++) {
    }
    return irqs;
}

/* S-mode: arm stimecmp and wait for the interrupt with WFI. */
static unsigned long s_stimer(unsigned long arg)
{
    unsigned long n = irqs;

    csr_write(stimecmp, csr_read(time) + TICKS);
    csr_set(sie, 1ul << IRQ_STI);
    csr_set(sstatus, MSTATUS_SIE);
    while (irqs == n) {
        __asm__ volatile("wfi");
    }
    csr_clear(sstatus, MSTATUS_SIE);
    return irqs - n;
}

void test_main(void)
{
    unsigned long t0, n;

    pmp_allow_all();
    csr_write(stvec, (unsigned long)strap_entry);

    /* WFI with the timer enabled in mie but MIE clear: wakes, no trap. */
    irq_hook = mtimer_off;
    MTIMECMP = MTIME + FAR;
    csr_write(mie, 1ul << IRQ_MTI);
    trap_reset();
    t0 = MTIME;
    MTIMECMP = t0 + TICKS;
    check_eq("mtip_clear_before", csr_read(mip) & (1ul << IRQ_MTI), 0);
    while (!(csr_read(mip) & (1ul << IRQ_MTI))) {
        __asm__ volatile("wfi");
    }
    check("wfi_woke_on_time", MTIME >= t0 + TICKS);
    check_eq("wfi_no_trap_with_mie_clear", trap_count, 0);
    /* MIE set: taken at once, cause 7 with the interrupt bit; the hook silences it. */
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    check_trap("mtimer_trap", INT_FLAG | IRQ_MTI, 0);
    check_eq("mtip_clear_after", csr_read(mip) & (1ul << IRQ_MTI), 0);

    /* From U-mode, machine interrupts are always enabled. */
    trap_reset();
    n = irqs;
    MTIMECMP = MTIME + TICKS;
    check_eq("mtimer_from_u", run_in_mode(PRV_U, wait_irq, n), n + 1);
    check_eq("mtimer_from_u_mpp", trap_last.from_mode, PRV_U);
    csr_write(mie, 0);

    /* Sstc, if the hart has it (menvcfg.STCE sticks). */
    csr_set(menvcfg, MENVCFG_STCE);
    if (!(csr_read(menvcfg) & MENVCFG_STCE)) {
        puts_uart("SKIP sstc: menvcfg.STCE is not writable\n");
        return;
    }
    csr_write(mcounteren, 1ul << 1);
    csr_write(stimecmp, csr_read(time) + FAR);
    check_eq("stip_clear", csr_read(mip) & (1ul << IRQ_STI), 0);
    /* STIP follows stimecmp, not mip writes. */
    csr_set(mip, 1ul << IRQ_STI);
    check_eq("stip_read_only", csr_read(mip) & (1ul << IRQ_STI), 0);
    csr_write(stimecmp, 0);
    check_eq("stip_past_deadline", csr_read(mip) & (1ul << IRQ_STI), 1ul << IRQ_STI);
    csr_write(stimecmp, csr_read(time) + FAR);
    check_eq("stip_cleared_by_stimecmp", csr_read(mip) & (1ul << IRQ_STI), 0);
    /* S arms its own timer, delegated: scause 5. */
    csr_write(mideleg, 1ul << IRQ_STI);
    irq_hook = stimer_off;
    trap_reset();
    check_eq("stimer_in_s", run_in_mode(PRV_S, s_stimer, 0), 1);
    check_trap("stimer_cause", INT_FLAG | IRQ_STI, 0);
    check_eq("stimer_to_s", trap_last.to_mode, PRV_S);
    csr_write(mideleg, 0);
    csr_clear(menvcfg, MENVCFG_STCE);
}
