/*
 * Synchronous exceptions and their causes, tval and epc (Privileged
 * Architecture 20211203, 3.1.15-3.1.16 and table 3.6): ECALL from each
 * mode, EBREAK, illegal instructions and CSR accesses (tval = the
 * instruction), privileged instructions in the wrong mode (xRET, WFI,
 * SFENCE.VMA, TVM/TW/TSR), access faults on a hole, misaligned AMO/LR
 * (regular loads and stores may be misaligned on the virt board, as in
 * QEMU).
 */
#include "priv-test.h"

/* An illegal 32-bit instruction: the custom-0 major opcode. */
#define ILLEGAL_INSN 0x0000000bu
/* csrr a0, 0x7c0 (no CSR there) and csrw mhartid, zero (read-only). */
#define CSRR_7C0     ((0x7c0u << 20) | (2u << 12) | (10u << 7) | 0x73u)
#define CSRW_MHARTID ((0xf14u << 20) | (1u << 12) | 0x73u)

static unsigned long do_ecall(unsigned long arg)
{
    /* a7 = 0: not the runtime's mode-exit call. */
    register unsigned long a7 __asm__("a7") = 0;

    __asm__ volatile("ecall" ::"r"(a7) : "memory");
    return arg;
}

static unsigned long do_ebreak(unsigned long arg)
{
    __asm__ volatile("ebreak" ::: "memory");
    return arg;
}

static unsigned long read_mstatus(unsigned long arg)
{
    return csr_read(mstatus);
}

static unsigned long read_sstatus(unsigned long arg)
{
    return csr_read(sstatus);
}

static unsigned long do_mret(unsigned long arg)
{
    __asm__ volatile("mret" ::: "memory");
    return arg;
}

static unsigned long do_sret(unsigned long arg)
{
    __asm__ volatile("sret" ::: "memory");
    return arg;
}

static unsigned long do_wfi(unsigned long arg)
{
    __asm__ volatile("wfi" ::: "memory");
    return arg;
}

static unsigned long do_sfence(unsigned long arg)
{
    __asm__ volatile("sfence.vma" ::: "memory");
    return arg;
}

static unsigned long read_satp(unsigned long arg)
{
    return csr_read(satp);
}

static void run_trap(int mode, unsigned long (*fn)(unsigned long))
{
    trap_reset();
    run_in_mode(mode, fn, 0);
}

static volatile uint64_t amo_buf[4];

void test_main(void)
{
    unsigned long pc, v;

    pmp_allow_all();

    /* ECALL from M, S, U: causes 11, 9, 8; tval 0; epc at the ecall. */
    trap_reset();
    __asm__ volatile("1: ecall\n la %0, 1b" : "=r"(pc)::"memory");
    check_trap("ecall_from_m", CAUSE_ECALL_M, 0);
    check_eq("ecall_from_m_epc", trap_last.epc, pc);
    check_eq("ecall_from_m_mpp", trap_last.from_mode, PRV_M);
    run_trap(PRV_S, do_ecall);
    check_trap("ecall_from_s", CAUSE_ECALL_S, 0);
    check_eq("ecall_from_s_mpp", trap_last.from_mode, PRV_S);
    run_trap(PRV_U, do_ecall);
    check_trap("ecall_from_u", CAUSE_ECALL_U, 0);
    check_eq("ecall_from_u_mpp", trap_last.from_mode, PRV_U);

    /* EBREAK: cause 3 (tval is the pc or 0, both allowed). */
    trap_reset();
    __asm__ volatile("1: ebreak\n la %0, 1b" : "=r"(pc)::"memory");
    check("ebreak_cause", trap_count == 1 && trap_last.cause == CAUSE_BREAKPOINT);
    check("ebreak_tval", trap_last.tval == 0 || trap_last.tval == pc);
    check_eq("ebreak_epc", trap_last.epc, pc);
    run_trap(PRV_U, do_ebreak);
    check("ebreak_from_u",
          trap_count == 1 && trap_last.cause == CAUSE_BREAKPOINT && trap_last.from_mode == PRV_U);

    /* Illegal instructions: tval holds the instruction. */
    trap_reset();
    __asm__ volatile("1: .word 0x0000000b\n la %0, 1b" : "=r"(pc)::"memory");
    check_trap("illegal_opcode", CAUSE_ILLEGAL, ILLEGAL_INSN);
    check_eq("illegal_opcode_epc", trap_last.epc, pc);
    trap_reset();
    __asm__ volatile("csrr a0, 0x7c0" ::: "a0", "memory");
    check_trap("illegal_csr_number", CAUSE_ILLEGAL, CSRR_7C0);
    trap_reset();
    __asm__ volatile("csrw mhartid, zero" ::: "memory");
    check_trap("illegal_write_read_only_csr", CAUSE_ILLEGAL, CSRW_MHARTID);
    trap_reset();
    v = csr_read(mhartid);
    check("read_only_csr_reads", trap_count == 0 && v == 0);

    /* CSRs above the current mode. */
    run_trap(PRV_S, read_mstatus);
    check("s_reads_mstatus",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.from_mode == PRV_S);
    run_trap(PRV_S, read_sstatus);
    check_eq("s_reads_sstatus", trap_count, 0);
    run_trap(PRV_U, read_sstatus);
    check("u_reads_sstatus",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.from_mode == PRV_U);

    /* Privileged instructions in modes that may not use them. */
    run_trap(PRV_S, do_mret);
    check("mret_in_s",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.tval == 0x30200073);
    run_trap(PRV_U, do_sret);
    check("sret_in_u",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.tval == 0x10200073);
    run_trap(PRV_U, do_wfi);
    check("wfi_in_u", trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL);
    run_trap(PRV_U, do_sfence);
    check("sfence_in_u", trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL);

    /* TSR, TW, TVM trap the S-mode uses. */
    csr_set(mstatus, MSTATUS_TSR);
    run_trap(PRV_S, do_sret);
    check("tsr_traps_sret",
          trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL && trap_last.from_mode == PRV_S);
    csr_clear(mstatus, MSTATUS_TSR);
    csr_set(mstatus, MSTATUS_TW);
    run_trap(PRV_S, do_wfi);
    check("tw_traps_wfi", trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL);
    csr_clear(mstatus, MSTATUS_TW);
    csr_set(mstatus, MSTATUS_TVM);
    run_trap(PRV_S, read_satp);
    check("tvm_traps_satp", trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL);
    run_trap(PRV_S, do_sfence);
    check("tvm_traps_sfence", trap_count == 1 && trap_last.cause == CAUSE_ILLEGAL);
    csr_clear(mstatus, MSTATUS_TVM);
    run_trap(PRV_S, do_sfence);
    check_eq("sfence_in_s", trap_count, 0);

    /* Access faults where nothing answers: tval = the address. */
    trap_reset();
    v = try_load64(HOLE_ADDR, 0x1234);
    check_trap("load_access_fault", CAUSE_LOAD_ACCESS, HOLE_ADDR);
    check_eq("load_access_fault_no_value", v, 0x1234);
    trap_reset();
    try_store64(HOLE_ADDR + 8, 1);
    check_trap("store_access_fault", CAUSE_STORE_ACCESS, HOLE_ADDR + 8);
    trap_reset();
    try_fetch(HOLE_ADDR);
    check_trap("fetch_access_fault", CAUSE_FETCH_ACCESS, HOLE_ADDR);
    check_eq("fetch_access_fault_epc", trap_last.epc, HOLE_ADDR);

    /* Misaligned: regular accesses are carried out; AMOs and LR fault. */
    amo_buf[0] = 0x8877665544332211ul;
    amo_buf[1] = 0xffeeddccbbaa9900ul;
    trap_reset();
    v = try_load64((unsigned long)amo_buf + 3, 0);
    check_eq("misaligned_load_value", v, 0xaa99008877665544ul);
    check_eq("misaligned_load_no_trap", trap_count, 0);
    trap_reset();
    __asm__ volatile("amoadd.d zero, %0, (%1)" ::"r"(1ul), "r"((unsigned long)amo_buf + 4)
                     : "memory");
    check_trap("misaligned_amo", CAUSE_STORE_MISALIGNED, (unsigned long)amo_buf + 4);
    trap_reset();
    __asm__ volatile("lr.w zero, (%0)" ::"r"((unsigned long)amo_buf + 2) : "memory");
    check_trap("misaligned_lr", CAUSE_LOAD_MISALIGNED, (unsigned long)amo_buf + 2);
}
