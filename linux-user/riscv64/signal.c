/*
 * The riscv64 signal frame, as arch/riscv/kernel/signal.c builds it:
 *
 *   struct rt_sigframe { siginfo_t info; struct ucontext uc; }
 *   struct ucontext { uc_flags, uc_link, stack_t uc_stack, sigset_t uc_sigmask,
 *                     120 bytes reserved, struct sigcontext uc_mcontext (16-aligned) }
 *   struct sigcontext { pc, x1..x31 (user_regs_struct); __riscv_fp_state:
 *                       f0..f31 (64-bit), fcsr, padding to the Q-extension size }
 *
 * The handler is entered with a0 = signo, a1 = &info, a2 = &uc, sp = the
 * frame, ra = the rt_sigreturn trampoline (the kernel's vDSO entry; here
 * a guest page holding `li a7, 139; ecall`).  riscv has no SA_RESTORER.
 */
#include <string.h>

#include "cpu.h"
#include "signal-common.h"

enum {
    RV_RA = 1,
    RV_SP = 2,
    RV_A0 = 10,
};

/* Offsets inside the frame (bytes). */
#define FRAME_INFO  0
#define FRAME_UC    128
#define UC_FLAGS    0
#define UC_LINK     8
#define UC_STACK    16 /* ss_sp 8, ss_flags 4 (+4), ss_size 8 */
#define UC_SIGMASK  40
#define UC_MCONTEXT 176 /* 168 rounded up to 16 */
#define SC_REGS     0   /* pc, then x1..x31 */
#define SC_FPREGS   256 /* f0..f31 */
#define SC_FCSR     (SC_FPREGS + 256)
#define SC_SIZE     (256 + 528) /* sizeof(union __riscv_fp_state) is the Q layout's 528 */
#define FRAME_SIZE  (FRAME_UC + UC_MCONTEXT + SC_SIZE)

static void put64(uint8_t *base, size_t off, uint64_t v)
{
    memcpy(base + off, &v, 8);
}

static void put32(uint8_t *base, size_t off, uint32_t v)
{
    memcpy(base + off, &v, 4);
}

static uint64_t get64(const uint8_t *base, size_t off)
{
    uint64_t v;

    memcpy(&v, base + off, 8);
    return v;
}

static uint32_t get32(const uint8_t *base, size_t off)
{
    uint32_t v;

    memcpy(&v, base + off, 4);
    return v;
}

bool target_setup_rt_frame(CPUState *cs, int sig, const GuestSiginfo *info,
                           const GuestSigaction *ka, GuestSigset oldmask)
{
    CPURISCVState *env = cpu_env(cs);
    UserThread *ts = user_thread_self();
    abi_ulong sp = signal_frame_sp(cs, ka);
    abi_ulong frame_addr = (sp - FRAME_SIZE) & ~(abi_ulong)15;
    uint8_t *f = uaccess_ptr(frame_addr, FRAME_SIZE, PROT_READ | PROT_WRITE);
    uint8_t *uc, *sc;
    int i;

    if (!f || !user_process.sigtramp) {
        return false;
    }
    memset(f, 0, FRAME_SIZE);
    put32(f, FRAME_INFO + 0, info->signo);
    put32(f, FRAME_INFO + 4, info->errno_);
    put32(f, FRAME_INFO + 8, info->code);
    memcpy(f + FRAME_INFO + 16, info->u.raw, sizeof(info->u.raw));

    uc = f + FRAME_UC;
    put64(uc, UC_FLAGS, 0);
    put64(uc, UC_LINK, 0);
    put64(uc, UC_STACK, ts->ss_sp);
    put32(uc, UC_STACK + 8,
          signal_on_altstack(env->gpr[RV_SP]) ? GUEST_SS_ONSTACK
          : ts->ss_size                       ? (uint32_t)ts->ss_flags
                                              : GUEST_SS_DISABLE);
    put64(uc, UC_STACK + 16, ts->ss_size);
    put64(uc, UC_SIGMASK, oldmask);

    sc = uc + UC_MCONTEXT;
    put64(sc, SC_REGS, env->pc);
    for (i = 1; i < 32; i++) {
        put64(sc, SC_REGS + 8 * i, env->gpr[i]);
    }
    for (i = 0; i < 32; i++) {
        put64(sc, SC_FPREGS + 8 * i, env->fpr[i]);
    }
    put32(sc, SC_FCSR, (env->frm << 5) | env->fflags);

    env->gpr[RV_A0] = sig;
    env->gpr[RV_A0 + 1] = frame_addr + FRAME_INFO;
    env->gpr[RV_A0 + 2] = frame_addr + FRAME_UC;
    env->gpr[RV_SP] = frame_addr;
    env->gpr[RV_RA] = user_process.sigtramp;
    env->pc = ka->handler;
    return true;
}

abi_long target_rt_sigreturn(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);
    abi_ulong frame_addr = env->gpr[RV_SP];
    const uint8_t *f = uaccess_ptr(frame_addr, FRAME_SIZE, PROT_READ);
    const uint8_t *uc, *sc;
    uint32_t fcsr;
    int i;

    if (!f || (frame_addr & 15)) {
        signal_force(SIGSEGV, GUEST_SI_KERNEL, 0);
        return -USER_ESIGRETURN;
    }
    uc = f + FRAME_UC;
    sc = uc + UC_MCONTEXT;
    signal_restore_mask(get64(uc, UC_SIGMASK));
    env->pc = get64(sc, SC_REGS);
    for (i = 1; i < 32; i++) {
        env->gpr[i] = get64(sc, SC_REGS + 8 * i);
    }
    for (i = 0; i < 32; i++) {
        env->fpr[i] = get64(sc, SC_FPREGS + 8 * i);
    }
    fcsr = get32(sc, SC_FCSR);
    env->frm = (fcsr >> 5) & 7;
    env->fflags = fcsr & 0x1f;
    signal_restore_altstack(get64(uc, UC_STACK), (int)get32(uc, UC_STACK + 8),
                            get64(uc, UC_STACK + 16));
    return -USER_ESIGRETURN;
}
