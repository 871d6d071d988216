/*
 * Unit tests for target/riscv/cpu_helper.c: trap entry (to M or, delegated,
 * to S; xcause/xepc/xtval, the xIE/xPIE/xPP stack, direct and vectored
 * xtvec), interrupt priority and global enables, the interrupt request the
 * exec loop sees, MRET/SRET (TSR), WFI (TW, halting and waking), and
 * SFENCE.VMA's checks.  The last cases run real guest code through
 * cpu_exec: ecall from U, an illegal CSR access delegated to S, a vectored
 * timer interrupt and a WFI woken by a device line.
 *
 * Reference: Privileged Architecture 20211203, sections 3.1.6-3.1.9, 3.3.
 */
#include <glib.h>
#include <string.h>
#include "exec/cpu-exec.h"
#include "riscv-harness.h"
#include "cpu_helper.h"
#include "csr.h"
#include "helper.h"
#include "internals.h"

static CPURISCVState *env;

static void setup(void)
{
    rvh_setup();
    env = rvh.env;
}

static void setup_on(gconstpointer backend)
{
    rvh_setup_backend(backend);
    env = rvh.env;
}

#define MPP(m) ((uint64_t)(m) << 11)

/* ---- trap entry */

static void test_trap_to_m(void)
{
    setup();
    env->priv = PRV_U;
    env->pc = 0x1234;
    env->mtvec = 0x80000100;
    env->mstatus = MSTATUS_MIE;
    riscv_cpu_trap_enter(env, RISCV_EXCP_LOAD_PAGE_FAULT, false, 0xdead000);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    g_assert_cmphex(env->pc, ==, 0x80000100);
    g_assert_cmphex(env->mepc, ==, 0x1234);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmphex(env->mtval, ==, 0xdead000);
    g_assert_cmphex(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), ==,
                    MSTATUS_MPIE | MPP(PRV_U));
    /* From S with MIE clear: MPIE = 0, MPP = S. */
    env->priv = PRV_S;
    env->mstatus = 0;
    riscv_cpu_trap_enter(env, RISCV_EXCP_S_ECALL, false, 0);
    g_assert_cmphex(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), ==, MPP(PRV_S));
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_S_ECALL);
    rvh_teardown();
}

static void test_delegation(void)
{
    setup();
    env->medeleg = 1ull << RISCV_EXCP_ILLEGAL_INST;
    env->mideleg = MIP_STIP;
    env->stvec = 0x80000200;
    env->mtvec = 0x80000100;
    /* From U: delegated exceptions go to S. */
    env->priv = PRV_U;
    env->pc = 0x4000;
    env->mstatus = MSTATUS_SIE;
    riscv_cpu_trap_enter(env, RISCV_EXCP_ILLEGAL_INST, false, 0x13);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    g_assert_cmphex(env->pc, ==, 0x80000200);
    g_assert_cmphex(env->sepc, ==, 0x4000);
    g_assert_cmphex(env->scause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->stval, ==, 0x13);
    g_assert_cmphex(env->mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), ==, MSTATUS_SPIE);
    g_assert_cmphex(env->mcause, ==, 0);
    /* From S: to S, SPP = S. */
    env->pc = 0x80000204;
    riscv_cpu_trap_enter(env, RISCV_EXCP_ILLEGAL_INST, false, 0);
    g_assert_cmphex(env->mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), ==, MSTATUS_SPP);
    g_assert_cmphex(env->sepc, ==, 0x80000204);
    /* Not delegated: to M. */
    riscv_cpu_trap_enter(env, RISCV_EXCP_BREAKPOINT, false, 0x80000204);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_BREAKPOINT);
    /* From M, delegation never applies. */
    riscv_cpu_trap_enter(env, RISCV_EXCP_ILLEGAL_INST, false, 0);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->mstatus & MSTATUS_MPP, ==, MPP(PRV_M));
    /* A delegated interrupt: scause has the interrupt bit. */
    env->priv = PRV_U;
    riscv_cpu_trap_enter(env, IRQ_S_TIMER, true, 0);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    g_assert_cmphex(env->scause, ==, RISCV_EXCP_INT_FLAG | IRQ_S_TIMER);
    g_assert_cmphex(env->stval, ==, 0);
    rvh_teardown();
}

static void test_vectored(void)
{
    setup();
    env->mtvec = 0x80000101;
    env->priv = PRV_U;
    riscv_cpu_trap_enter(env, IRQ_M_TIMER, true, 0);
    g_assert_cmphex(env->pc, ==, 0x80000100 + 4 * IRQ_M_TIMER);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_INT_FLAG | IRQ_M_TIMER);
    /* Exceptions always go to the base. */
    riscv_cpu_trap_enter(env, RISCV_EXCP_M_ECALL, false, 0);
    g_assert_cmphex(env->pc, ==, 0x80000100);
    env->mideleg = MIP_SSIP;
    env->stvec = 0x80000201;
    env->priv = PRV_S;
    riscv_cpu_trap_enter(env, IRQ_S_SOFT, true, 0);
    g_assert_cmphex(env->pc, ==, 0x80000200 + 4 * IRQ_S_SOFT);
    rvh_teardown();
}

static void test_do_interrupt_tval(void)
{
    setup();
    env->badaddr = 0x5555;
    env->pc = 0x100;
    rvh.cs->exception_index = RISCV_EXCP_STORE_PAGE_FAULT;
    riscv_cpu_do_interrupt(rvh.cs);
    g_assert_cmphex(env->mtval, ==, 0x5555);
    g_assert_cmpint(rvh.cs->exception_index, ==, EXCP_NONE);
    /* ecall's tval is 0 whatever badaddr says. */
    rvh.cs->exception_index = RISCV_EXCP_M_ECALL;
    riscv_cpu_do_interrupt(rvh.cs);
    g_assert_cmphex(env->mtval, ==, 0);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_M_ECALL);
    /* Interrupts: tval 0, cause with bit 63. */
    rvh.cs->exception_index = RISCV_EXCP_IRQ | IRQ_M_EXT;
    riscv_cpu_do_interrupt(rvh.cs);
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_INT_FLAG | IRQ_M_EXT);
    g_assert_cmphex(env->mtval, ==, 0);
    rvh_teardown();
}

/* ---- interrupt selection */

static void test_priorities(void)
{
    static const int order[] = {IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER,
                                IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER};
    uint64_t pending = 0;

    setup();
    env->mie = M_MODE_INTERRUPTS | S_MODE_INTERRUPTS;
    env->priv = PRV_U;
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        pending |= 1ull << order[i];
    }
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        env->mip = pending & S_MODE_INTERRUPTS;
        env->mip_lines = pending & M_MODE_INTERRUPTS;
        g_assert_cmpint(riscv_cpu_pending_irq(env), ==, order[i]);
        pending &= ~(1ull << order[i]);
    }
    env->mip = env->mip_lines = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, -1);
    /* Not enabled in mie: not taken. */
    env->mip_lines = MIP_MEIP;
    env->mie = MIP_MTIP;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, -1);
    rvh_teardown();
}

static void test_global_enables(void)
{
    setup();
    env->mie = MIP_MTIP | MIP_STIP;
    env->mideleg = MIP_STIP;
    env->mip_lines = MIP_MTIP;
    env->mip = MIP_STIP;
    /* M-mode: M interrupts need MIE; delegated S interrupts are never taken in M. */
    env->priv = PRV_M;
    env->mstatus = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, -1);
    env->mstatus = MSTATUS_MIE | MSTATUS_SIE;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, IRQ_M_TIMER);
    env->mip_lines = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, -1);
    /* S-mode: M-level interrupts always; S-level ones with SIE. */
    env->priv = PRV_S;
    env->mstatus = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, -1);
    env->mstatus = MSTATUS_SIE;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, IRQ_S_TIMER);
    env->mip_lines = MIP_MTIP;
    env->mstatus = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, IRQ_M_TIMER);
    /* An M-level interrupt beats a delegated one of higher standard priority. */
    env->mie |= MIP_SEIP;
    env->mideleg |= MIP_SEIP;
    env->mip |= MIP_SEIP;
    env->mstatus = MSTATUS_SIE;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, IRQ_M_TIMER);
    /* U-mode: everything enabled. */
    env->priv = PRV_U;
    env->mstatus = 0;
    env->mip_lines = 0;
    g_assert_cmpint(riscv_cpu_pending_irq(env), ==, IRQ_S_EXT);
    rvh_teardown();
}

static void test_irq_request(void)
{
    CPUState *cs;

    setup();
    cs = rvh.cs;
    env->mstatus = MSTATUS_MIE;
    /* A line with nothing enabled: no request; enabling it in mie requests. */
    riscv_cpu_update_mip(env, MIP_MEIP, MIP_MEIP);
    g_assert_false(cs->interrupt_request & CPU_INTERRUPT_HARD);
    g_assert_false(riscv_cpu_has_work(cs));
    g_assert_cmpint(riscv_csrrw(env, CSR_MIE, NULL, MIP_MEIP, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_true(cs->interrupt_request & CPU_INTERRUPT_HARD);
    g_assert_true(riscv_cpu_has_work(cs));
    /* exec_interrupt takes it. */
    env->pc = 0x80000040;
    env->mtvec = 0x80000000;
    g_assert_false(riscv_cpu_exec_interrupt(cs, 0));
    g_assert_true(riscv_cpu_exec_interrupt(cs, CPU_INTERRUPT_HARD));
    g_assert_cmphex(env->mcause, ==, RISCV_EXCP_INT_FLAG | IRQ_M_EXT);
    g_assert_cmphex(env->mepc, ==, 0x80000040);
    /* MIE is now clear: nothing more is taken, but the request stays for WFI. */
    g_assert_false(riscv_cpu_exec_interrupt(cs, CPU_INTERRUPT_HARD));
    g_assert_true(riscv_cpu_has_work(cs));
    /* The line drops: the request goes. */
    g_assert_cmphex(riscv_cpu_update_mip(env, MIP_MEIP, 0), ==, MIP_MEIP);
    g_assert_false(cs->interrupt_request & CPU_INTERRUPT_HARD);
    rvh_teardown();
}

/* ---- xRET, WFI, SFENCE.VMA */

static uint64_t call_ret;

static void call_mret(void *p)
{
    call_ret = helper_mret(env);
}

static void call_sret(void *p)
{
    call_ret = helper_sret(env);
}

static void call_wfi(void *p)
{
    helper_wfi(env);
}

static void call_pause(void *p)
{
    helper_pause(env);
}

static void call_sfence(void *p)
{
    helper_sfence_vma(env, 0, 0, RISCV_SFENCE_ALL_ADDR | RISCV_SFENCE_ALL_ASID);
}

static void test_mret(void)
{
    setup();
    env->mepc = 0x80001000;
    env->mstatus = MSTATUS_MPIE | MPP(PRV_S) | MSTATUS_MPRV;
    g_assert_cmpint(rvh_try(call_mret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(call_ret, ==, 0x80001000);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    g_assert_cmphex(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV), ==,
                    MSTATUS_MIE | MSTATUS_MPIE | MPP(PRV_U));
    /* Back to M: MPRV stays. */
    env->priv = PRV_M;
    env->mstatus = MPP(PRV_M) | MSTATUS_MPRV | MSTATUS_MIE;
    g_assert_cmpint(rvh_try(call_mret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    g_assert_cmphex(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV), ==,
                    MSTATUS_MPIE | MSTATUS_MPRV);
    /* Without C, bit 1 of mepc is masked. */
    env->misa_ext &= ~RVC;
    env->mepc = 0x80001006;
    g_assert_cmpint(rvh_try(call_mret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(call_ret, ==, 0x80001004);
    /* Not in M: illegal with the instruction as tval. */
    env->priv = PRV_S;
    env->bins = 0x30200073;
    g_assert_cmpint(rvh_try(call_mret, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->badaddr, ==, 0x30200073);
    rvh_teardown();
}

static void test_sret(void)
{
    setup();
    env->priv = PRV_S;
    env->sepc = 0x3000;
    env->mstatus = MSTATUS_SPIE | MSTATUS_MPRV;
    g_assert_cmpint(rvh_try(call_sret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(call_ret, ==, 0x3000);
    g_assert_cmpuint(env->priv, ==, PRV_U);
    g_assert_cmphex(env->mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPRV), ==,
                    MSTATUS_SIE | MSTATUS_SPIE);
    /* SPP = S returns to S. */
    env->priv = PRV_S;
    env->mstatus = MSTATUS_SPP;
    g_assert_cmpint(rvh_try(call_sret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(env->priv, ==, PRV_S);
    g_assert_cmphex(env->mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), ==, MSTATUS_SPIE);
    /* TSR traps SRET in S-mode, not in M-mode. */
    env->mstatus = MSTATUS_TSR;
    env->bins = 0x10200073;
    g_assert_cmpint(rvh_try(call_sret, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->badaddr, ==, 0x10200073);
    env->priv = PRV_M;
    g_assert_cmpint(rvh_try(call_sret, NULL), ==, RISCV_EXCP_NONE);
    g_assert_cmpuint(env->priv, ==, PRV_U);
    rvh_teardown();
}

static void test_wfi(void)
{
    CPUState *cs;

    setup();
    cs = rvh.cs;
    /* Nothing pending: the hart halts (EXCP_HLT), pc already past the WFI. */
    g_assert_cmpint(rvh_try(call_wfi, NULL), ==, EXCP_HLT);
    g_assert_true(cs->halted);
    cs->halted = false;
    /*
     * An enabled pending interrupt, even with MIE clear: WFI completes
     * without halting, but yields the host thread to the other harts.
     */
    env->mie = MIP_MSIP;
    riscv_cpu_update_mip(env, MIP_MSIP, MIP_MSIP);
    g_assert_cmpint(rvh_try(call_wfi, NULL), ==, EXCP_YIELD);
    g_assert_false(cs->halted);
    /* TW traps WFI in S-mode; U-mode may never wait. */
    env->priv = PRV_S;
    g_assert_cmpint(rvh_try(call_wfi, NULL), ==, EXCP_YIELD);
    env->mstatus = MSTATUS_TW;
    g_assert_cmpint(rvh_try(call_wfi, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    env->mstatus = 0;
    env->priv = PRV_U;
    g_assert_cmpint(rvh_try(call_wfi, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    rvh_teardown();
}

/* PAUSE (a spin-wait) hands the host thread to the other harts, in any mode, without halting. */
static void test_pause(void)
{
    setup();
    env->pc = 0x80001004;
    g_assert_cmpint(rvh_try(call_pause, NULL), ==, EXCP_YIELD);
    g_assert_false(rvh.cs->halted);
    g_assert_cmphex(env->pc, ==, 0x80001004);
    env->priv = PRV_U;
    g_assert_cmpint(rvh_try(call_pause, NULL), ==, EXCP_YIELD);
    rvh_teardown();
}

static void test_sfence_checks(void)
{
    setup();
    env->priv = PRV_S;
    g_assert_cmpint(rvh_try(call_sfence, NULL), ==, RISCV_EXCP_NONE);
    env->mstatus = MSTATUS_TVM;
    g_assert_cmpint(rvh_try(call_sfence, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    env->priv = PRV_M;
    g_assert_cmpint(rvh_try(call_sfence, NULL), ==, RISCV_EXCP_NONE);
    env->priv = PRV_U;
    env->mstatus = 0;
    g_assert_cmpint(rvh_try(call_sfence, NULL), ==, RISCV_EXCP_ILLEGAL_INST);
    rvh_teardown();
}

/* ---- guest code through cpu_exec */

#define A0   10
#define A1   11
#define A2   12
#define CODE RVH_RAM_BASE

static uint32_t i_csrrs(unsigned rd, unsigned csr, unsigned rs1)
{
    return (csr << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x73;
}

static uint32_t i_csrrw(unsigned rd, unsigned csr, unsigned rs1)
{
    return (csr << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x73;
}

#define I_ECALL 0x00000073u
#define I_MRET  0x30200073u
#define I_SRET  0x10200073u
#define I_WFI   0x10500073u
#define I_NOP   0x00000013u

static void put_code(uint64_t pa, const uint32_t *insns, size_t n)
{
    memcpy(rvh_phys(pa), insns, n * 4);
}

/* Run until the hart halts in a WFI with nothing to do. */
static void run_to_wfi(void)
{
    int r;

    /* An interrupt request also asks the loop to exit once (EXCP_INTERRUPT): go on. */
    do {
        r = cpu_exec(rvh.cs);
    } while (r == EXCP_INTERRUPT);

    g_assert_cmpint(r, ==, EXCP_HLT);
    g_assert_true(rvh.cs->halted);
}

static void allow_all_pmp(void)
{
    g_assert_cmpint(riscv_csrrw(env, CSR_PMPADDR0, NULL, ~0ull, ~0ull), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(riscv_csrrw(env, CSR_PMPCFG0, NULL, 0x1f, ~0ull), ==, RISCV_EXCP_NONE);
}

static void test_exec_ecall_from_u(gconstpointer backend)
{
    const uint32_t boot[] = {I_MRET};
    const uint32_t user[] = {I_NOP, I_ECALL};
    const uint32_t handler[] = {i_csrrs(A0, CSR_MCAUSE, 0), i_csrrs(A1, CSR_MEPC, 0),
                                i_csrrs(A2, CSR_MTVAL, 0), I_WFI};

    setup_on(backend);
    allow_all_pmp();
    put_code(CODE, boot, 1);
    put_code(CODE + 0x1000, user, 2);
    put_code(CODE + 0x2000, handler, 4);
    env->pc = CODE;
    env->mepc = CODE + 0x1000;
    env->mtvec = CODE + 0x2000;
    env->mstatus = MPP(PRV_U);
    env->mtval = 0x77;
    run_to_wfi();
    g_assert_cmphex(env->gpr[A0], ==, RISCV_EXCP_U_ECALL);
    g_assert_cmphex(env->gpr[A1], ==, CODE + 0x1004);
    g_assert_cmphex(env->gpr[A2], ==, 0);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    g_assert_cmphex(env->mstatus & MSTATUS_MPP, ==, MPP(PRV_U));
    g_assert_cmphex(env->pc, ==, CODE + 0x2010);
    rvh_teardown();
}

static void test_exec_illegal_csr_to_s(gconstpointer backend)
{
    const uint32_t boot[] = {I_MRET};
    const uint32_t sup[] = {i_csrrs(A0, CSR_MHARTID, 0)};
    const uint32_t handler[] = {i_csrrs(A0, CSR_SCAUSE, 0), i_csrrs(A1, CSR_SEPC, 0),
                                i_csrrs(A2, CSR_STVAL, 0), I_WFI};

    setup_on(backend);
    allow_all_pmp();
    put_code(CODE, boot, 1);
    put_code(CODE + 0x1000, sup, 1);
    put_code(CODE + 0x2000, handler, 4);
    env->pc = CODE;
    env->mepc = CODE + 0x1000;
    env->stvec = CODE + 0x2000;
    env->medeleg = 1ull << RISCV_EXCP_ILLEGAL_INST;
    env->mstatus = MPP(PRV_S);
    run_to_wfi();
    g_assert_cmpuint(env->priv, ==, PRV_S);
    g_assert_cmphex(env->gpr[A0], ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->gpr[A1], ==, CODE + 0x1000);
    g_assert_cmphex(env->gpr[A2], ==, i_csrrs(A0, CSR_MHARTID, 0));
    rvh_teardown();
}

static void test_exec_vectored_timer(gconstpointer backend)
{
    const uint32_t main_loop[] = {I_NOP, I_NOP, I_NOP, I_NOP};
    /* The handler turns the timer off in mie, so that its WFI has nothing to wait for. */
    const uint32_t timer[] = {i_csrrs(A0, CSR_MCAUSE, 0), i_csrrs(A1, CSR_MEPC, 0),
                              i_csrrw(0, CSR_MIE, 0), I_WFI};

    setup_on(backend);
    put_code(CODE, main_loop, 4);
    put_code(CODE + 0x2000 + 4 * IRQ_M_TIMER, timer, 4);
    env->pc = CODE;
    env->mtvec = (CODE + 0x2000) | XTVEC_VECTORED;
    env->mstatus = MSTATUS_MIE;
    env->mie = MIP_MTIP;
    riscv_cpu_update_mip(env, MIP_MTIP, MIP_MTIP);
    g_assert_true(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    run_to_wfi();
    /* Taken before the first instruction, at base + 4 * 7. */
    g_assert_cmphex(env->gpr[A0], ==, RISCV_EXCP_INT_FLAG | IRQ_M_TIMER);
    g_assert_cmphex(env->gpr[A1], ==, CODE);
    g_assert_cmphex(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE), ==, MSTATUS_MPIE);
    g_assert_cmphex(env->pc, ==, CODE + 0x2000 + 4 * IRQ_M_TIMER + 16);
    rvh_teardown();
}

static void test_exec_wfi_wakes(gconstpointer backend)
{
    const uint32_t code[] = {I_WFI, i_csrrs(A0, CSR_MIP, 0), i_csrrw(0, CSR_MIE, 0), I_WFI};

    setup_on(backend);
    put_code(CODE, code, 4);
    env->pc = CODE;
    env->mie = MIP_MSIP;
    run_to_wfi();
    g_assert_cmphex(env->pc, ==, CODE + 4);
    /* Still nothing to do: the loop says so without running. */
    g_assert_cmpint(cpu_exec(rvh.cs), ==, EXCP_HALTED);
    /* A device raises MSIP: the hart wakes (MIE is off, so no trap) and goes on. */
    riscv_cpu_update_mip(env, MIP_MSIP, MIP_MSIP);
    run_to_wfi();
    g_assert_cmphex(env->gpr[A0], ==, MIP_MSIP);
    g_assert_cmphex(env->pc, ==, CODE + 16);
    g_assert_cmpuint(env->priv, ==, PRV_M);
    rvh_teardown();
}

/* A misa write from guest code: it leaves the TB it ran in, with rd and pc done. */
static void test_exec_misa_write(gconstpointer backend)
{
    const uint32_t code[] = {i_csrrw(A0, CSR_MISA, A1), i_csrrs(A2, CSR_MISA, 0), I_WFI};
    uint64_t misa;

    setup_on(backend);
    put_code(CODE, code, 3);
    misa = ((uint64_t)MXL_RV64 << 62) | env->misa_ext;
    env->pc = CODE;
    env->gpr[A1] = misa & ~(uint64_t)RVM;
    run_to_wfi();
    g_assert_cmphex(env->gpr[A0], ==, misa);
    g_assert_cmphex(env->gpr[A2], ==, misa & ~(uint64_t)RVM);
    g_assert_false(riscv_has_ext(env, RVM));
    g_assert_cmphex(env->pc, ==, CODE + 12);
    rvh_teardown();
}

/* Fetching from where nothing answers: an instruction access fault at that pc. */
static void test_exec_fetch_from_hole(gconstpointer backend)
{
    const uint32_t handler[] = {i_csrrs(A0, CSR_MCAUSE, 0), i_csrrs(A1, CSR_MEPC, 0),
                                i_csrrs(A2, CSR_MTVAL, 0), I_WFI};

    setup_on(backend);
    put_code(CODE + 0x2000, handler, 4);
    env->pc = 0x40000000;
    env->mtvec = CODE + 0x2000;
    run_to_wfi();
    g_assert_cmphex(env->gpr[A0], ==, RISCV_EXCP_INST_ACCESS_FAULT);
    g_assert_cmphex(env->gpr[A1], ==, 0x40000000);
    g_assert_cmphex(env->gpr[A2], ==, 0x40000000);
    rvh_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-trap/enter-m", test_trap_to_m);
    g_test_add_func("/riscv-trap/delegation", test_delegation);
    g_test_add_func("/riscv-trap/vectored", test_vectored);
    g_test_add_func("/riscv-trap/do-interrupt-tval", test_do_interrupt_tval);
    g_test_add_func("/riscv-trap/priorities", test_priorities);
    g_test_add_func("/riscv-trap/global-enables", test_global_enables);
    g_test_add_func("/riscv-trap/irq-request", test_irq_request);
    g_test_add_func("/riscv-trap/mret", test_mret);
    g_test_add_func("/riscv-trap/sret", test_sret);
    g_test_add_func("/riscv-trap/wfi", test_wfi);
    g_test_add_func("/riscv-trap/pause", test_pause);
    g_test_add_func("/riscv-trap/sfence-checks", test_sfence_checks);
    /* Guest code on every backend: the JIT and the reference interpreter. */
    for (int b = 0; b < 2; b++) {
        static const char *const backends[] = {"x86_64", "interp"};
        static const struct {
            const char *name;
            GTestDataFunc fn;
        } exec_tests[] = {
            {"ecall-from-u", test_exec_ecall_from_u},
            {"illegal-csr-to-s", test_exec_illegal_csr_to_s},
            {"vectored-timer", test_exec_vectored_timer},
            {"wfi-wakes", test_exec_wfi_wakes},
            {"fetch-from-hole", test_exec_fetch_from_hole},
            {"misa-write", test_exec_misa_write},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(exec_tests); i++) {
            char *path = g_strdup_printf("/riscv-trap/exec/%s/%s", backends[b], exec_tests[i].name);

            g_test_add_data_func(path, backends[b], exec_tests[i].fn);
            g_free(path);
        }
    }
    return g_test_run();
}
