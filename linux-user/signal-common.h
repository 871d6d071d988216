/*
 * Guest signals, the generic part (signal.c): numbering between host and
 * guest, the per-process actions, per-thread masks and pending sets,
 * delivery at the cpu loop, and what a target's signal frame code
 * (linux-user/<arch>/signal.c) implements.
 */
#ifndef MORPH_LINUX_USER_SIGNAL_COMMON_H
#define MORPH_LINUX_USER_SIGNAL_COMMON_H

#include <signal.h>

#include "user.h"

/* Guest si_code values used for faults (asm-generic/siginfo.h). */
enum {
    GUEST_SI_USER = 0,
    GUEST_SI_KERNEL = 0x80,
    GUEST_SI_TKILL = -6,
    GUEST_SEGV_MAPERR = 1,
    GUEST_SEGV_ACCERR = 2,
    GUEST_BUS_ADRALN = 1,
    GUEST_BUS_ADRERR = 2,
    GUEST_ILL_ILLOPC = 1,
    GUEST_TRAP_BRKPT = 1,
    GUEST_FPE_INTDIV = 1,
};

/* Guest sa_flags (asm-generic/signal-defs.h). */
enum {
    GUEST_SA_NOCLDSTOP = 0x00000001,
    GUEST_SA_NOCLDWAIT = 0x00000002,
    GUEST_SA_SIGINFO = 0x00000004,
    GUEST_SA_RESTORER = 0x04000000,
    GUEST_SA_ONSTACK = 0x08000000,
    GUEST_SA_RESTART = 0x10000000,
    GUEST_SA_NODEFER = 0x40000000,
    GUEST_SA_RESETHAND = 0x80000000,
};

#define GUEST_SS_ONSTACK    1
#define GUEST_SS_DISABLE    2
#define GUEST_SS_AUTODISARM (1U << 31)
#define GUEST_MINSIGSTKSZ   2048

static inline GuestSigset guest_sigbit(int sig)
{
    return 1ULL << (sig - 1);
}

/* 0 if the signal has no counterpart. */
int signal_host_to_guest(int hsig);
int signal_guest_to_host(int gsig);
void signal_guest_to_host_set(sigset_t *out, GuestSigset in);

/* Install the host handlers and read inherited dispositions (once, main thread). */
void signal_init(void);
/* Hook accel/tcg calls for a guest access the page flags forbid. */
void signal_user_fault(CPUState *cs, vaddr addr, MMUAccessType access_type, bool maperr,
                       uintptr_t retaddr);
/* A synchronous signal for the current thread (fault, ebreak, illegal insn). */
void signal_force(int sig, int code, abi_ulong addr);
/* Deliver what is pending and deliverable (the cpu loop, after each exit). */
void signal_process_pending(CPUState *cs);
/* After fork, in the child: only the calling thread exists. */
void signal_fork_child(void);

/* Temporary masks of rt_sigsuspend, ppoll, pselect6, epoll_pwait. */
void signal_suspend_begin(GuestSigset temp);
void signal_suspend_end(bool interrupted);

/* The syscalls' core (syscall-signal.c calls them). */
abi_long signal_do_sigaction(int sig, const GuestSigaction *act, GuestSigaction *old);
abi_long signal_do_sigprocmask(int how, const GuestSigset *set, GuestSigset *old);
abi_long signal_do_sigaltstack(const abi_ulong *ss, abi_ulong *old, abi_ulong sp);
abi_long signal_do_sigsuspend(GuestSigset mask);
abi_long signal_do_sigtimedwait(GuestSigset set, GuestSiginfo *info, const struct timespec *t);
GuestSigset signal_pending_set(void);

/* What a frame's restore path calls. */
void signal_restore_mask(GuestSigset mask);
/* uc_stack as the frame saved it (ss_sp, ss_flags, ss_size). */
void signal_restore_altstack(abi_ulong ss_sp, int ss_flags, abi_ulong ss_size);
/* Is sp on the current alternate stack? */
bool signal_on_altstack(abi_ulong sp);
/* The sp a frame of `size` starts from (SA_ONSTACK switching), unaligned. */
abi_ulong signal_frame_sp(CPUState *cs, const GuestSigaction *ka);

/*
 * Target: build the rt_sigframe for `sig` with `info` and the mask to
 * restore `oldmask`, and point the vCPU at the handler; false if the
 * frame could not be written (the caller then forces SIGSEGV).
 */
bool target_setup_rt_frame(CPUState *cs, int sig, const GuestSiginfo *info,
                           const GuestSigaction *ka, GuestSigset oldmask);
/* Target: rt_sigreturn; returns -USER_ESIGRETURN, or forces SIGSEGV on a bad frame. */
abi_long target_rt_sigreturn(CPUState *cs);

#endif
