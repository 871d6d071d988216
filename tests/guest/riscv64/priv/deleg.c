/*
 * Trap delegation (Privileged Architecture 20211203, 3.1.8 and 4.1):
 * medeleg/mideleg hold the standard delegable bits; delegated exceptions
 * from U and S go to S (scause, sepc, stval, SPP/SPIE), never from M;
 * undelegated ones go to M; delegated supervisor interrupts are taken in S
 * when SIE allows (always from U), undelegated ones in M; vectored stvec
 * and mtvec put interrupts at base + 4 * cause and exceptions at base.
 */
#include "priv-test.h"

#define CSRR_MHARTID_A0 ((0xf14u << 20) | (2u << 12) | (10u << 7) | 0x73u)

static unsigned long do_ecall(unsigned long arg)
{
    register unsigned long a7 __asm__("a7") = 0;

    __asm__ volatile("ecall" ::"r"(a7) : "memory");
    return arg;
}

static unsigned long do_illegal(unsigned long arg)
{
    __asm__ volatile("csrr a0, mhartid" ::: "a0", "memory");
    return arg;
}

static unsigned long do_ebreak(unsigned long arg)
{
    __asm__ volatile("ebreak" ::: "memory");
    return arg;
}

/* Spin a little in the current mode so that a pending interrupt is taken here. */
static unsigned long spin(unsigned long arg)
{
    for (volatile int i = 0; i < 100; i++) {
    }
    return arg;
}

static unsigned long s_enable_sie_and_spin(unsigned long arg)
{
    csr_set(sstatus, MSTATUS_SIE);
    spin(0);
    csr_clear(sstatus, MSTATUS_SIE);
    return arg;
}

static unsigned long s_read_sip(unsigned long arg)
{
    return csr_read(sip);
}

static unsigned long s_read_sie(unsigned long arg)
{
    return csr_read(sie);
}

/* Interrupt sources the handlers silence. */
static void clear_ssip(unsigned long cause)
{
    csr_clear(sip, 1ul << IRQ_SSI);
}

static void clear_ssip_m(unsigned long cause)
{
    csr_clear(mip, 1ul << IRQ_SSI);
}

static void run(int mode, unsigned long (*fn)(unsigned long))
{
    trap_reset();
    run_in_mode(mode, fn, 0);
}

void test_main(void)
{
    unsigned long want, v;

    pmp_allow_all();
    csr_write(stvec, (unsigned long)strap_entry);

    /* The delegable bits OpenSBI uses are writable (QEMU's H adds more; not checked). */
    want =
        (1ul << 0) | (1ul << 2) | (1ul << 3) | (1ul << 8) | (1ul << 12) | (1ul << 13) | (1ul << 15);
    csr_write(medeleg, want);
    check_eq("medeleg_writable", csr_read(medeleg) & want, want);
    want = (1ul << IRQ_SSI) | (1ul << IRQ_STI) | (1ul << IRQ_SEI);
    csr_write(mideleg, want);
    check_eq("mideleg_writable", csr_read(mideleg) & want, want);
    /* Machine interrupts can never be delegated. */
    csr_write(mideleg, ~0ul);
    check_eq("mideleg_m_bits_zero",
             csr_read(mideleg) & ((1ul << IRQ_MSI) | (1ul << IRQ_MTI) | (1ul << IRQ_MEI)), 0);
    csr_write(mideleg, 0);

    /* Delegate illegal instruction, breakpoint and U ecall. */
    csr_write(medeleg, (1ul << CAUSE_ILLEGAL) | (1ul << CAUSE_BREAKPOINT) | (1ul << CAUSE_ECALL_U));
    run(PRV_U, do_ecall);
    check_trap("u_ecall_to_s", CAUSE_ECALL_U, 0);
    check_eq("u_ecall_to_s_handler", trap_last.to_mode, PRV_S);
    check_eq("u_ecall_to_s_spp", trap_last.from_mode, PRV_U);
    run(PRV_U, do_illegal);
    check_trap("u_illegal_to_s", CAUSE_ILLEGAL, CSRR_MHARTID_A0);
    check_eq("u_illegal_to_s_handler", trap_last.to_mode, PRV_S);
    run(PRV_S, do_illegal);
    check_trap("s_illegal_to_s", CAUSE_ILLEGAL, CSRR_MHARTID_A0);
    check_eq("s_illegal_to_s_handler", trap_last.to_mode, PRV_S);
    check_eq("s_illegal_to_s_spp", trap_last.from_mode, PRV_S);
    run(PRV_U, do_ebreak);
    check("u_ebreak_to_s",
          trap_count == 1 && trap_last.cause == CAUSE_BREAKPOINT && trap_last.to_mode == PRV_S);
    /* Not delegated: S ecall goes to M. */
    run(PRV_S, do_ecall);
    check_trap("s_ecall_to_m", CAUSE_ECALL_S, 0);
    check_eq("s_ecall_to_m_handler", trap_last.to_mode, PRV_M);
    /* From M, delegation never applies. */
    trap_reset();
    __asm__ volatile("csrw mhartid, zero" ::: "memory");
    check("m_illegal_stays_in_m",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.to_mode == PRV_M);
    csr_write(medeleg, 0);
    run(PRV_U, do_ecall);
    check_eq("u_ecall_undelegated_to_m", trap_last.to_mode, PRV_M);

    /* Supervisor software interrupt delegated to S. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(mie, 1ul << IRQ_SSI);
    irq_hook = clear_ssip;
    csr_set(mip, 1ul << IRQ_SSI);
    check_eq("sip_shows_delegated", run_in_mode(PRV_S, s_read_sip, 0) & (1ul << IRQ_SSI),
             1ul << IRQ_SSI);
    check_eq("sie_shows_delegated", run_in_mode(PRV_S, s_read_sie, 0), 1ul << IRQ_SSI);
    /* In S with SIE clear: pending, not taken (sip/sie reads above took nothing). */
    run(PRV_S, spin);
    check_eq("ssi_masked_by_sie", trap_count, 0);
    run(PRV_S, s_enable_sie_and_spin);
    check_trap("ssi_taken_in_s", INT_FLAG | IRQ_SSI, 0);
    check_eq("ssi_taken_in_s_handler", trap_last.to_mode, PRV_S);
    /* From U, S interrupts are always enabled. */
    csr_set(mip, 1ul << IRQ_SSI);
    run(PRV_U, spin);
    check_trap("ssi_taken_from_u", INT_FLAG | IRQ_SSI, 0);
    check_eq("ssi_taken_from_u_handler", trap_last.to_mode, PRV_S);
    check_eq("ssi_taken_from_u_spp", trap_last.from_mode, PRV_U);
    /* In M, a delegated interrupt is never taken, MIE or not. */
    csr_set(mip, 1ul << IRQ_SSI);
    trap_reset();
    csr_set(mstatus, MSTATUS_MIE);
    spin(0);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq("delegated_ssi_not_taken_in_m", trap_count, 0);

    /* Not delegated: the same interrupt goes to M, from S even with MIE clear. */
    csr_write(mideleg, 0);
    irq_hook = clear_ssip_m;
    csr_write(mie, 0);
    check_eq("sip_hides_undelegated", run_in_mode(PRV_S, s_read_sip, 0), 0);
    csr_write(mie, 1ul << IRQ_SSI);
    trap_reset();
    run_in_mode(PRV_S, spin, 0);
    check("undelegated_ssi_to_m", trap_count >= 1 && trap_last.cause == (INT_FLAG | IRQ_SSI) &&
                                      trap_last.to_mode == PRV_M && trap_last.from_mode == PRV_S);

    /* Vectored mtvec: interrupts at base + 4 * cause, exceptions at base. */
    csr_write(mtvec, (unsigned long)mtrap_vectors | 1);
    v = csr_read(mtvec);
    check_eq("mtvec_vectored", v, (unsigned long)mtrap_vectors | 1);
    csr_set(mip, 1ul << IRQ_SSI);
    trap_reset();
    run_in_mode(PRV_U, spin, 0);
    check_eq("mtvec_vector_slot", trap_last.vector, IRQ_SSI);
    trap_reset();
    __asm__ volatile("ebreak" ::: "memory");
    check_eq("mtvec_exception_at_base", trap_last.vector, 0);
    csr_write(mtvec, (unsigned long)mtrap_entry);
    /* A reserved mode (2) leaves mtvec unchanged. */
    csr_write(mtvec, (unsigned long)mtrap_vectors | 2);
    check_eq("mtvec_reserved_mode_ignored", csr_read(mtvec), (unsigned long)mtrap_entry);

    /* Vectored stvec. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    irq_hook = clear_ssip;
    csr_write(stvec, (unsigned long)strap_vectors | 1);
    csr_set(mip, 1ul << IRQ_SSI);
    trap_reset();
    run_in_mode(PRV_U, spin, 0);
    check_eq("stvec_vector_slot", trap_last.vector, IRQ_SSI);
    trap_reset();
    run_in_mode(PRV_U, do_ecall, 0);
    check("stvec_exception_at_base", trap_last.to_mode == PRV_S && trap_last.vector == 0);
    csr_write(stvec, (unsigned long)strap_entry);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(mie, 0);
}
