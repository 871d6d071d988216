/*
 * Traps and interrupts of the RISC-V hart (Privileged Architecture
 * 20211203): interrupt priority and delegation (3.1.9), trap entry
 * (3.1.6.1, 3.1.7, 3.1.12, 4.1.1), MRET/SRET (3.3.2), WFI (3.3.3),
 * SFENCE.VMA (4.2.1), the MMU index of the current mode, and the wiring
 * the board uses: interrupt lines (riscv_cpu_update_mip) and the time
 * base with Sstc's timer.
 *
 * Interrupts reach the exec loop as CPU_INTERRUPT_HARD, which is up
 * exactly while some interrupt is pending and enabled in mie (global
 * enables aside: those are checked when it is taken, and WFI wakes on it
 * regardless of them).  Everything that changes the privilege level,
 * mstatus or mie ends its TB (the translator sees to that), so the loop
 * looks again before running more code.
 */
#include <inttypes.h>
#include "exec/cputlb.h"
#include "util/log.h"
#include "cpu_helper.h"
#include "csr.h"
#include "helper.h"
#include "internals.h"

/* ---- MMU index */

int riscv_effective_priv(const CPURISCVState *env)
{
    if (env->priv == PRV_M && (env->mstatus & MSTATUS_MPRV)) {
        return (int)((env->mstatus & MSTATUS_MPP) >> 11);
    }
    return (int)env->priv;
}

int riscv_env_mmu_index(const CPURISCVState *env, bool ifetch)
{
    int mode = ifetch ? (int)env->priv : riscv_effective_priv(env);

    if (mode == PRV_S && !ifetch && (env->mstatus & MSTATUS_SUM)) {
        return RISCV_MMU_IDX_S_SUM;
    }
    return mode;
}

/* ---- pending interrupts */

uint64_t riscv_cpu_mip(const CPURISCVState *env)
{
    uint64_t sw = env->mip;

    /* With stimecmp in charge, STIP is its comparison alone. */
    if (env->cfg.ext_sstc && (env->menvcfg & MENVCFG_STCE)) {
        sw &= ~MIP_STIP;
    }
    return sw | __atomic_load_n(&env->mip_lines, __ATOMIC_ACQUIRE);
}

void riscv_cpu_update_irq(CPURISCVState *env)
{
    CPUState *cs = riscv_env_cpu(env);

    if (riscv_cpu_mip(env) & env->mie) {
        cpu_interrupt(cs, CPU_INTERRUPT_HARD);
        return;
    }
    cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
    /* A device may have raised a line between the check and the reset. */
    if (riscv_cpu_mip(env) & env->mie) {
        cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    }
}

uint64_t riscv_cpu_update_mip(CPURISCVState *env, uint64_t mask, uint64_t value)
{
    uint64_t old = __atomic_load_n(&env->mip_lines, __ATOMIC_RELAXED);
    uint64_t new;

    do {
        new = (old & ~mask) | (value & mask);
    } while (!__atomic_compare_exchange_n(&env->mip_lines, &old, new, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    riscv_cpu_update_irq(env);
    return old;
}

/* Interrupt numbers from highest to lowest priority (3.1.9). */
static const int irq_priority[] = {
    IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER,
};

static int highest_irq(uint64_t irqs)
{
    for (unsigned i = 0; i < sizeof(irq_priority) / sizeof(irq_priority[0]); i++) {
        if (irqs & (1ull << irq_priority[i])) {
            return irq_priority[i];
        }
    }
    /* Anything else (platform interrupts) after the standard ones, lowest number first. */
    return irqs ? __builtin_ctzll(irqs) : -1;
}

int riscv_cpu_pending_irq(const CPURISCVState *env)
{
    uint64_t pending = riscv_cpu_mip(env) & env->mie;
    uint64_t to_m = pending & ~env->mideleg;
    uint64_t to_s = pending & env->mideleg;
    /* A mode's interrupts are on in less privileged modes, and in it when xIE is set. */
    bool m_on = env->priv < PRV_M || (env->mstatus & MSTATUS_MIE);
    bool s_on = env->priv < PRV_S || (env->priv == PRV_S && (env->mstatus & MSTATUS_SIE));

    if (to_m && m_on) {
        return highest_irq(to_m);
    }
    if (to_s && s_on) {
        return highest_irq(to_s);
    }
    return -1;
}

bool riscv_cpu_has_work(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);

    /* Without a board timer the Sstc deadline is only noticed here. */
    if (env->cfg.ext_sstc && (env->menvcfg & MENVCFG_STCE) &&
        !(__atomic_load_n(&env->mip_lines, __ATOMIC_ACQUIRE) & MIP_STIP) &&
        riscv_cpu_read_time(env) >= env->stimecmp) {
        riscv_stimecmp_update(env);
    }
    /* WFI wakes on any interrupt enabled in mie, whatever MIE/SIE say. */
    return (riscv_cpu_mip(env) & env->mie) != 0;
}

/* ---- time base and Sstc */

void riscv_cpu_set_time_source(CPURISCVState *env, uint64_t (*rdtime_fn)(void *opaque),
                               void *rdtime_opaque,
                               void (*stimecmp_timer_fn)(void *opaque, uint64_t deadline),
                               void *stimecmp_timer_opaque)
{
    env->rdtime_fn = rdtime_fn;
    env->rdtime_opaque = rdtime_opaque;
    env->stimecmp_timer_fn = stimecmp_timer_fn;
    env->stimecmp_timer_opaque = stimecmp_timer_opaque;
    riscv_stimecmp_update(env);
}

uint64_t riscv_cpu_read_time(CPURISCVState *env)
{
    if (env->rdtime_fn) {
        return env->rdtime_fn(env->rdtime_opaque);
    }
    return riscv_host_time();
}

static void stimecmp_arm(CPURISCVState *env, uint64_t deadline)
{
    if (env->stimecmp_timer_fn) {
        env->stimecmp_timer_fn(env->stimecmp_timer_opaque, deadline);
    }
}

void riscv_stimecmp_update(CPURISCVState *env)
{
    if (!env->cfg.ext_sstc) {
        return;
    }
    if (!(env->menvcfg & MENVCFG_STCE)) {
        /* stimecmp no longer drives STIP: its line goes, M-mode owns the bit again. */
        stimecmp_arm(env, UINT64_MAX);
        if (__atomic_load_n(&env->mip_lines, __ATOMIC_ACQUIRE) & MIP_STIP) {
            riscv_cpu_update_mip(env, MIP_STIP, 0);
        }
        return;
    }
    if (riscv_cpu_read_time(env) >= env->stimecmp) {
        stimecmp_arm(env, UINT64_MAX);
        riscv_cpu_update_mip(env, MIP_STIP, MIP_STIP);
    } else {
        riscv_cpu_update_mip(env, MIP_STIP, 0);
        stimecmp_arm(env, env->stimecmp);
    }
}

void riscv_cpu_stimecmp_expired(CPURISCVState *env)
{
    riscv_stimecmp_update(env);
}

/* ---- trap entry */

uint64_t riscv_xepc_read(const CPURISCVState *env, uint64_t epc)
{
    return epc & (riscv_has_ext(env, RVC) ? ~1ull : ~3ull);
}

static uint64_t trap_vector(uint64_t tvec, uint64_t cause, bool async)
{
    uint64_t base = tvec & ~XTVEC_MODE;

    if (async && (tvec & XTVEC_MODE) == XTVEC_VECTORED) {
        return base + 4 * cause;
    }
    return base;
}

/* The least privileged mode the hart has: what xRET leaves in MPP. */
static uint64_t least_priv(const CPURISCVState *env)
{
    return riscv_has_ext(env, RVU) ? PRV_U : PRV_M;
}

void riscv_cpu_trap_enter(CPURISCVState *env, uint64_t cause, bool async, uint64_t tval)
{
    uint64_t deleg = async ? env->mideleg : env->medeleg;
    uint64_t xcause = cause | (async ? RISCV_EXCP_INT_FLAG : 0);
    uint64_t s = env->mstatus;

    if (log_enabled(LOG_INT)) {
        log_printf("riscv: trap %s %" PRIu64 " at pc 0x%" PRIx64 " priv %" PRIu64 " tval 0x%" PRIx64
                   "\n",
                   async ? "irq" : "excp", cause, env->pc, env->priv, tval);
    }
    if (env->priv <= PRV_S && riscv_has_ext(env, RVS) && cause < 64 && ((deleg >> cause) & 1)) {
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s = (s & ~MSTATUS_SPP) | (env->priv == PRV_S ? MSTATUS_SPP : 0);
        s &= ~MSTATUS_SIE;
        env->mstatus = s;
        env->scause = xcause;
        env->sepc = env->pc;
        env->stval = tval;
        env->pc = trap_vector(env->stvec, cause, async);
        env->priv = PRV_S;
        return;
    }
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    s = (s & ~MSTATUS_MPP) | (env->priv << 11);
    s &= ~MSTATUS_MIE;
    env->mstatus = s;
    env->mcause = xcause;
    env->mepc = env->pc;
    env->mtval = tval;
    env->pc = trap_vector(env->mtvec, cause, async);
    env->priv = PRV_M;
}

void riscv_cpu_do_interrupt(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);
    bool async = (cs->exception_index & RISCV_EXCP_IRQ) != 0;
    uint64_t cause = (uint64_t)(cs->exception_index & ~RISCV_EXCP_IRQ);
    uint64_t tval = 0;

    if (!async) {
        switch (cause) {
        case RISCV_EXCP_U_ECALL:
        case RISCV_EXCP_S_ECALL:
        case RISCV_EXCP_M_ECALL:
            break;
        default:
            /* Addresses for faults, the instruction bits for illegal instructions. */
            tval = env->badaddr;
            break;
        }
    }
    riscv_cpu_trap_enter(env, cause, async, tval);
    cs->exception_index = EXCP_NONE;
}

bool riscv_cpu_exec_interrupt(CPUState *cs, int interrupt_request)
{
    CPURISCVState *env = cpu_env(cs);
    int irq;

    if (!(interrupt_request & CPU_INTERRUPT_HARD)) {
        return false;
    }
    irq = riscv_cpu_pending_irq(env);
    if (irq < 0) {
        return false;
    }
    cs->exception_index = RISCV_EXCP_IRQ | irq;
    riscv_cpu_do_interrupt(cs);
    return true;
}

/* ---- privileged instructions */

static __attribute__((noreturn)) void raise_illegal(CPURISCVState *env, uintptr_t ra)
{
    riscv_raise_exception(env, RISCV_EXCP_ILLEGAL_INST, env->bins, ra);
}

uint64_t helper_mret(CPURISCVState *env)
{
    uint64_t s = env->mstatus;
    uint64_t prev = (s & MSTATUS_MPP) >> 11;

    if (env->priv != PRV_M) {
        raise_illegal(env, GETPC());
    }
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s = (s & ~MSTATUS_MPP) | (least_priv(env) << 11);
    if (prev != PRV_M) {
        s &= ~MSTATUS_MPRV;
    }
    env->mstatus = s;
    env->priv = prev;
    return riscv_xepc_read(env, env->mepc);
}

uint64_t helper_sret(CPURISCVState *env)
{
    uint64_t s = env->mstatus;
    uint64_t prev = (s & MSTATUS_SPP) ? PRV_S : PRV_U;

    if (!riscv_has_ext(env, RVS) || env->priv < PRV_S ||
        (env->priv == PRV_S && (s & MSTATUS_TSR))) {
        raise_illegal(env, GETPC());
    }
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~(MSTATUS_SPP | MSTATUS_MPRV);
    env->mstatus = s;
    env->priv = prev;
    return riscv_xepc_read(env, env->sepc);
}

void helper_wfi(CPURISCVState *env)
{
    CPUState *cs = riscv_env_cpu(env);

    /* TW traps WFI below M (at once: our time limit is zero); U-mode may never wait. */
    if ((env->priv < PRV_M && (env->mstatus & MSTATUS_TW)) ||
        (env->priv == PRV_U && riscv_has_ext(env, RVS))) {
        raise_illegal(env, GETPC());
    }
    if (riscv_cpu_has_work(cs)) {
        /*
         * Nothing to wait for, but a hart in WFI is waiting for something:
         * let the vCPU scheduler run the other harts first (a hart that
         * spins on WFI with a masked interrupt pending must not hold the
         * host thread for a whole time slice).  pc is already past the WFI.
         */
        cs->exception_index = EXCP_YIELD;
        cpu_loop_exit(cs);
    }
    /* env->pc already points after the WFI: sleep until has_work. */
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/*
 * A hart that executes PAUSE spins on something another hart must do
 * (Linux's cpu_relax() in csd_lock_wait, spinlocks, the boot handshake).
 * With the harts taking turns on one host thread, the one it waits for
 * only runs once this one yields: do so now instead of at the end of the
 * time slice.
 */
void helper_pause(CPURISCVState *env)
{
    CPUState *cs = riscv_env_cpu(env);

    cs->exception_index = EXCP_YIELD;
    cpu_loop_exit(cs);
}

void helper_sfence_vma(CPURISCVState *env, uint64_t addr, uint64_t asid, uint32_t flags)
{
    CPUState *cs = riscv_env_cpu(env);
    uint16_t idxmap = RISCV_MMU_IDXMAP_TRANSLATED;

    if (env->priv == PRV_U || (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM))) {
        raise_illegal(env, GETPC());
    }
    /*
     * Entries are not tagged by ASID: one ASID's fence flushes the entries
     * of every ASID, but, as the fence requires, not the global ones.
     */
    if ((flags & RISCV_SFENCE_ALL_ADDR) && !(flags & RISCV_SFENCE_ALL_ASID)) {
        tlb_flush_nonglobal_by_mmuidx(cs, idxmap);
    } else if (flags & RISCV_SFENCE_ALL_ADDR) {
        tlb_flush_by_mmuidx(cs, idxmap);
    } else {
        tlb_flush_page_by_mmuidx(cs, addr, idxmap);
    }
}
