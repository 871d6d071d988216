/*
 * Guest signals, after the kernel's kernel/signal.c semantics and QEMU's
 * linux-user/signal.c structure.  Every host signal the guest can see has
 * one host handler, and each thread's host mask mirrors its guest mask
 * (but for the synchronous fault signals), so the host kernel does the
 * routing of process-directed signals to a thread that does not block
 * them and the queueing of blocked ones (real-time signals included);
 * sigtimedwait and sigpending ask the host for those.  A signal the host
 * hands to a thread is recorded in its pending set and the vCPU is asked
 * to leave generated code (cpu_exit), so the guest handler runs at the
 * next TB boundary; a thread blocked in a system call is woken through
 * safe_syscall.
 * A host SIGSEGV is sorted into: a write to a page accel/tcg protects
 * because it holds translated code (handed to accel/tcg), a guest access
 * fault from generated code (SIGSEGV for the guest at the faulting guest
 * instruction, through cpu_loop_exit_sigsegv), or a fault of morph itself
 * (a message and abort).  The masks, actions, sigaltstack and the
 * default actions are emulated here; the frame layout is the target's.
 *
 * Numbering: guest signals 1..31 are the host's; guest real-time signals
 * start at 32 and map onto the host's from SIGRTMIN (host glibc keeps 32
 * and 33 for itself), so the top few guest numbers have no host signal.
 */
#include "signal-common.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <glib.h>

#include "exec/cpu-exec.h"
#include "exec/user-page.h"
#include "gdbstub/gdbstub.h"
#include "syscall.h"
#include "util/log.h"

static GuestSigaction signal_actions[GUEST_NSIG + 1];
static GMutex signal_action_lock;
static const GuestSigset signal_unblockable = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));
/* Synchronous signals: a fault that cannot be blocked away. */
static const GuestSigset signal_sync_set = (1ULL << (SIGSEGV - 1)) | (1ULL << (SIGBUS - 1)) |
                                           (1ULL << (SIGILL - 1)) | (1ULL << (SIGFPE - 1)) |
                                           (1ULL << (SIGTRAP - 1));

int signal_host_to_guest(int hsig)
{
    if (hsig >= 1 && hsig < 32) {
        return hsig;
    }
    if (hsig >= SIGRTMIN && hsig <= SIGRTMAX && hsig - SIGRTMIN + 32 <= GUEST_NSIG) {
        return hsig - SIGRTMIN + 32;
    }
    return 0;
}

int signal_guest_to_host(int gsig)
{
    if (gsig >= 1 && gsig < 32) {
        return gsig;
    }
    if (gsig >= 32 && gsig <= GUEST_NSIG && gsig - 32 + SIGRTMIN <= SIGRTMAX) {
        return gsig - 32 + SIGRTMIN;
    }
    return 0;
}

void signal_guest_to_host_set(sigset_t *out, GuestSigset in)
{
    int g;

    sigemptyset(out);
    for (g = 1; g <= GUEST_NSIG; g++) {
        if ((in & guest_sigbit(g)) && signal_guest_to_host(g)) {
            sigaddset(out, signal_guest_to_host(g));
        }
    }
}

/* ---- the host handler ---- */

static void signal_write_str(const char *s)
{
    ssize_t r = write(2, s, strlen(s));

    (void)r;
}

static void signal_write_hex(uint64_t v)
{
    char buf[19] = "0x";
    int i;

    for (i = 0; i < 16; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    }
    buf[18] = '\0';
    signal_write_str(buf);
}

static void signal_unblock_host(int hsig)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, hsig);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* A host SIGSEGV/SIGBUS raised by the kernel for an access. */
static void signal_host_fault(int hsig, siginfo_t *info, ucontext_t *uc)
{
    uintptr_t haddr = (uintptr_t)info->si_addr;
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
    bool in_guest = mmap_host_in_guest_area(haddr);
    bool is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    CPUState *cs = current_cpu;

    if (in_guest) {
        /*
         * The ways out of here leave by longjmp to the exec loop, which
         * would keep the handler's all-blocked mask: restore the mask the
         * fault interrupted now (the fault signal itself is synchronous).
         */
        pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
    }
    if (in_guest && hsig == SIGSEGV) {
        abi_ulong gaddr = haddr - guest_base;

        if (is_write && info->si_code == SEGV_ACCERR &&
            handle_sigsegv_write_to_code((void *)haddr, pc)) {
            return;
        }
        if (cs) {
            bool maperr = !(page_get_flags(gaddr) & PAGE_VALID);

            cpu_loop_exit_sigsegv(cs, gaddr, is_write ? MMU_DATA_STORE : MMU_DATA_LOAD, maperr, pc);
        }
    }
    if (hsig == SIGSEGV && info->si_code == SI_KERNEL && haddr == 0 && cs && current_cpu == cs) {
        /*
         * A general-protection fault: generated code formed a
         * non-canonical host address from a guest address far outside the
         * guest space.  The address is not reported by the host; the
         * guest gets SIGSEGV with si_addr 0.
         */
        pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
        cpu_loop_exit_sigsegv(cs, 0, MMU_DATA_LOAD, true, pc);
    }
    if (in_guest && hsig == SIGBUS && cs) {
        /* A file mapping past the end of its file. */
        signal_force(SIGBUS, GUEST_BUS_ADRERR, haddr - guest_base);
        cs->exception_index = EXCP_INTERRUPT;
        cpu_loop_exit_restore(cs, tcg_interp_retaddr ? tcg_interp_retaddr : pc + 1);
    }
    signal_write_str("morph: internal error: host ");
    signal_write_str(hsig == SIGSEGV ? "SIGSEGV" : "SIGBUS");
    signal_write_str(" at host pc ");
    signal_write_hex(pc);
    signal_write_str(" accessing ");
    signal_write_hex(haddr);
    signal_write_str(in_guest ? " (guest memory, outside guest code)\n" : "\n");
    /* Returning with the default action re-raises the fault: a core, not a loop. */
    signal(hsig, SIG_DFL);
}

static void signal_record(UserThread *ts, int gsig, const siginfo_t *hinfo)
{
    GuestSiginfo *gi = &ts->pend_info[gsig];

    if (!(ts->pend_set & guest_sigbit(gsig))) {
        memset(gi, 0, sizeof(*gi));
        gi->signo = gsig;
        if (hinfo) {
            gi->errno_ = hinfo->si_errno;
            gi->code = hinfo->si_code;
            /* The 64-bit siginfo union has one layout on both (asm-generic). */
            memcpy(gi->u.raw, (const char *)hinfo + 16, sizeof(gi->u.raw));
        }
        __atomic_or_fetch(&ts->pend_set, guest_sigbit(gsig), __ATOMIC_SEQ_CST);
    }
    ts->signal_pending = 1;
    if (ts->cpu) {
        cpu_exit(ts->cpu);
    }
}

static void signal_host_handler(int hsig, siginfo_t *info, void *puc)
{
    ucontext_t *uc = puc;
    int saved_errno = errno;
    UserThread *ts = user_thread_self();
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
    int gsig;

    if ((hsig == SIGSEGV || hsig == SIGBUS) && info->si_code > 0) {
        signal_host_fault(hsig, info, uc);
        errno = saved_errno;
        return;
    }
    gsig = signal_host_to_guest(hsig);
    if (!ts || !gsig) {
        errno = saved_errno;
        return;
    }
    signal_record(ts, gsig, info);
    if (pc >= (uintptr_t)safe_syscall_start && pc < (uintptr_t)safe_syscall_end) {
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)safe_syscall_interrupted;
    }
    errno = saved_errno;
}

/* The host mask of this thread: the guest's, minus the fault signals. */
static void signal_sync_host_mask(UserThread *ts)
{
    sigset_t hs;

    if (ts->host_mask_valid && ts->host_mask == ts->sigmask) {
        return;
    }
    signal_guest_to_host_set(&hs, ts->sigmask & ~signal_sync_set);
    pthread_sigmask(SIG_SETMASK, &hs, NULL);
    ts->host_mask = ts->sigmask;
    ts->host_mask_valid = true;
}

/* Should the host run our handler for this guest signal (else SIG_IGN)? */
static void signal_install_host(int gsig)
{
    int hsig = signal_guest_to_host(gsig);
    struct sigaction sa;

    if (!hsig || gsig == SIGKILL || gsig == SIGSTOP) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sigfillset(&sa.sa_mask);
    /* SA_RESTART: the kernel rewinds rip into safe_syscall's window. */
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    if (signal_actions[gsig].handler == 1 && !(signal_sync_set & guest_sigbit(gsig))) {
        /* Ignored stays ignored across execve, as the kernel keeps it. */
        sa.sa_handler = SIG_IGN;
        sa.sa_flags = 0;
    } else {
        sa.sa_sigaction = signal_host_handler;
        if (gsig == SIGCHLD) {
            /* What the guest asked about stopped and zombie children. */
            if (signal_actions[gsig].flags & GUEST_SA_NOCLDSTOP) {
                sa.sa_flags |= SA_NOCLDSTOP;
            }
            if (signal_actions[gsig].flags & GUEST_SA_NOCLDWAIT) {
                sa.sa_flags |= SA_NOCLDWAIT;
            }
        }
    }
    sigaction(hsig, &sa, NULL);
}

void signal_init(void)
{
    int g;
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    UserThread *ts = user_thread_self();
    sigset_t cur;

    /*
     * The blocked mask survives execve: a morph started by a guest's
     * execve finds it as its host mask, and it becomes the guest's.
     */
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    for (g = 1; g <= GUEST_NSIG; g++) {
        int h = signal_guest_to_host(g);

        if (h && sigismember(&cur, h)) {
            ts->sigmask |= guest_sigbit(g);
        }
    }
    ts->sigmask &= ~signal_unblockable;
    signal_sync_host_mask(ts);

    /* The fault handler must run even when a guest overflows morph's stack. */
    sigaltstack(&ss, NULL);
    for (g = 1; g <= GUEST_NSIG; g++) {
        int h = signal_guest_to_host(g);
        struct sigaction old;

        if (h && sigaction(h, NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            signal_actions[g].handler = 1;
        }
        signal_install_host(g);
    }
}

void signal_fork_child(void)
{
    g_mutex_init(&signal_action_lock);
}

void signal_user_fault(CPUState *cs, vaddr addr, MMUAccessType access_type, bool maperr,
                       uintptr_t retaddr)
{
    signal_force(SIGSEGV, maperr ? GUEST_SEGV_MAPERR : GUEST_SEGV_ACCERR, addr);
    /* Back to the cpu loop, which delivers it (any index >= 0 returns in user mode). */
    cs->exception_index = EXCP_INTERRUPT;
    cpu_loop_exit_restore(cs, retaddr);
}

void signal_force(int sig, int code, abi_ulong addr)
{
    UserThread *ts = user_thread_self();

    if (!ts) {
        return;
    }
    memset(&ts->sync_info, 0, sizeof(ts->sync_info));
    ts->sync_info.signo = sig;
    ts->sync_info.code = code;
    ts->sync_info.u.fault.addr = addr;
    ts->sync_pending = true;
    ts->signal_pending = 1;
}

/* ---- default actions ---- */

static bool signal_default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool signal_default_stops(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static bool signal_default_core(int sig)
{
    return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT || sig == SIGBUS ||
           sig == SIGFPE || sig == SIGSEGV || sig == SIGXCPU || sig == SIGXFSZ || sig == SIGSYS;
}

/* Terminate the whole process by the guest signal, so the parent sees it. */
static __attribute__((noreturn)) void signal_die(int gsig)
{
    int hsig = signal_guest_to_host(gsig);
    struct sigaction sa;

    gdb_signalled(gsig);

    if (signal_default_core(gsig)) {
        /* A core file would be morph's, not the guest's. */
        struct rlimit nocore = {0, 0};

        setrlimit(RLIMIT_CORE, &nocore);
    }
    fflush(NULL);
    if (hsig) {
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_DFL;
        sigaction(hsig, &sa, NULL);
        signal_unblock_host(hsig);
        kill(getpid(), hsig);
        /* A process-directed signal reaches some thread; wait for it here. */
        for (int i = 0; i < 100; i++) {
            usleep(10000);
        }
    }
    _exit(128 + gsig);
}

/* ---- delivery ---- */

static GuestSigaction signal_action_get(int sig)
{
    GuestSigaction a;

    g_mutex_lock(&signal_action_lock);
    a = signal_actions[sig];
    g_mutex_unlock(&signal_action_lock);
    return a;
}

/* Recompute signal_pending after a change of mask or pending set. */
static void signal_update_pending(UserThread *ts)
{
    signal_sync_host_mask(ts);
    ts->signal_pending = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ts->sync_pending || (ts->pend_set & ~ts->sigmask)) {
        ts->signal_pending = 1;
    }
}

static void signal_deliver(CPUState *cs, UserThread *ts, const GuestSiginfo *info)
{
    int sig = info->signo;
    GuestSigaction ka = signal_action_get(sig);
    GuestSigset oldmask;

    if (ka.handler == 0) {
        if (signal_default_ignored(sig)) {
            return;
        }
        if (signal_default_stops(sig)) {
            kill(getpid(), SIGSTOP);
            return;
        }
        log_mask_printf(LOG_INT, "morph: guest killed by signal %d\n", sig);
        signal_die(sig);
    }
    if (ka.handler == 1) {
        return;
    }
    if (ts->syscall_restart) {
        ts->syscall_restart = false;
        if (!(ka.flags & GUEST_SA_RESTART)) {
            target_cpu_syscall_eintr(cs);
        }
    }
    oldmask = ts->in_sigsuspend ? ts->saved_sigmask : ts->sigmask;
    ts->in_sigsuspend = false;
    if (!target_setup_rt_frame(cs, sig, info, &ka, oldmask)) {
        /* No room for the frame: the kernel forces SIGSEGV. */
        signal_die(SIGSEGV);
    }
    ts->sigmask = oldmask | ka.mask;
    if (!(ka.flags & GUEST_SA_NODEFER)) {
        ts->sigmask |= guest_sigbit(sig);
    }
    ts->sigmask &= ~signal_unblockable;
    if (ka.flags & GUEST_SA_RESETHAND) {
        g_mutex_lock(&signal_action_lock);
        signal_actions[sig].handler = 0;
        signal_actions[sig].flags &= ~GUEST_SA_SIGINFO;
        g_mutex_unlock(&signal_action_lock);
    }
}

void signal_process_pending(CPUState *cs)
{
    UserThread *ts = user_thread_self();

    while (ts->signal_pending) {
        GuestSigset deliverable;
        GuestSiginfo info;
        int sig;

        if (ts->sync_pending) {
            GuestSigaction ka;

            ts->sync_pending = false;
            info = ts->sync_info;
            /* A debugger sees every signal first, and may drop it (gdbstub). */
            info.signo = gdb_handlesig(cs, info.signo);
            if (!info.signo) {
                continue;
            }
            ka = signal_action_get(info.signo);
            /* A blocked or ignored fault kills, as force_sig_info does. */
            if ((ts->sigmask & guest_sigbit(info.signo)) || ka.handler == 1) {
                signal_die(info.signo);
            }
            signal_deliver(cs, ts, &info);
            continue;
        }
        deliverable = ts->pend_set & ~ts->sigmask;
        if (!deliverable) {
            signal_update_pending(ts);
            if (!ts->signal_pending) {
                break;
            }
            continue;
        }
        /* Lowest number first: the standard signals before real-time ones. */
        sig = __builtin_ctzll(deliverable) + 1;
        info = ts->pend_info[sig];
        __atomic_and_fetch(&ts->pend_set, ~guest_sigbit(sig), __ATOMIC_SEQ_CST);
        info.signo = gdb_handlesig(cs, sig);
        if (!info.signo) {
            continue;
        }
        signal_deliver(cs, ts, &info);
    }
    if (ts->in_sigsuspend) {
        /* Nothing ran a handler: the temporary mask ends now. */
        ts->sigmask = ts->saved_sigmask;
        ts->in_sigsuspend = false;
    }
    signal_sync_host_mask(ts);
    /* A restart that no handler claimed stays a restart (the insn re-executes). */
    ts->syscall_restart = false;
}

/* ---- system call cores ---- */

abi_long signal_do_sigaction(int sig, const GuestSigaction *act, GuestSigaction *old)
{
    if (sig < 1 || sig > GUEST_NSIG) {
        return -EINVAL;
    }
    if (act && (sig == SIGKILL || sig == SIGSTOP)) {
        return -EINVAL;
    }
    if (act && !signal_guest_to_host(sig)) {
        /* No host signal to carry it: accept the action, it can never arrive. */
        log_mask_printf(LOG_UNIMP, "sigaction: guest signal %d has no host signal\n", sig);
    }
    g_mutex_lock(&signal_action_lock);
    if (old) {
        *old = signal_actions[sig];
    }
    if (act) {
        signal_actions[sig] = *act;
        signal_actions[sig].mask &= ~signal_unblockable;
    }
    g_mutex_unlock(&signal_action_lock);
    if (act) {
        signal_install_host(sig);
    }
    return 0;
}

abi_long signal_do_sigprocmask(int how, const GuestSigset *set, GuestSigset *old)
{
    UserThread *ts = user_thread_self();

    if (old) {
        *old = ts->sigmask;
    }
    if (set) {
        switch (how) {
        case SIG_BLOCK:
            ts->sigmask |= *set;
            break;
        case SIG_UNBLOCK:
            ts->sigmask &= ~*set;
            break;
        case SIG_SETMASK:
            ts->sigmask = *set;
            break;
        default:
            return -EINVAL;
        }
        ts->sigmask &= ~signal_unblockable;
        signal_update_pending(ts);
    }
    return 0;
}

void signal_restore_mask(GuestSigset mask)
{
    UserThread *ts = user_thread_self();

    ts->sigmask = mask & ~signal_unblockable;
    signal_update_pending(ts);
}

bool signal_on_altstack(abi_ulong sp)
{
    UserThread *ts = user_thread_self();

    return ts->ss_size && sp - ts->ss_sp < ts->ss_size;
}

abi_long signal_do_sigaltstack(const abi_ulong *ss, abi_ulong *old, abi_ulong sp)
{
    UserThread *ts = user_thread_self();
    bool on = signal_on_altstack(sp);

    if (old) {
        old[0] = ts->ss_sp;
        old[1] = on ? GUEST_SS_ONSTACK : (ts->ss_size ? 0 : GUEST_SS_DISABLE);
        old[1] |= ts->ss_flags & GUEST_SS_AUTODISARM;
        old[2] = ts->ss_size;
    }
    if (ss) {
        int flags = (int)ss[1];
        int mode = flags & ~GUEST_SS_AUTODISARM;

        if (on) {
            return -EPERM;
        }
        if (mode != GUEST_SS_DISABLE && mode != GUEST_SS_ONSTACK && mode != 0) {
            return -EINVAL;
        }
        if (mode == GUEST_SS_DISABLE) {
            ts->ss_sp = 0;
            ts->ss_size = 0;
            ts->ss_flags = 0;
        } else {
            if (ss[2] < GUEST_MINSIGSTKSZ) {
                return -ENOMEM;
            }
            ts->ss_sp = ss[0];
            ts->ss_size = ss[2];
            ts->ss_flags = flags & GUEST_SS_AUTODISARM;
        }
    }
    return 0;
}

void signal_restore_altstack(abi_ulong ss_sp, int ss_flags, abi_ulong ss_size)
{
    abi_ulong ss[3] = {ss_sp, (abi_ulong)(unsigned)ss_flags, ss_size};

    /* As restore_altstack: errors are ignored. */
    signal_do_sigaltstack(ss, NULL, 0);
}

abi_ulong signal_frame_sp(CPUState *cs, const GuestSigaction *ka)
{
    UserThread *ts = user_thread_self();
    abi_ulong sp = target_cpu_sp(cs);

    if ((ka->flags & GUEST_SA_ONSTACK) && ts->ss_size && !signal_on_altstack(sp)) {
        sp = ts->ss_sp + ts->ss_size;
        if (ts->ss_flags & GUEST_SS_AUTODISARM) {
            ts->ss_sp = 0;
            ts->ss_size = 0;
        }
    }
    return sp;
}

void signal_suspend_begin(GuestSigset temp)
{
    UserThread *ts = user_thread_self();

    ts->saved_sigmask = ts->sigmask;
    ts->sigmask = temp & ~signal_unblockable;
    ts->in_sigsuspend = true;
    signal_update_pending(ts);
}

void signal_suspend_end(bool interrupted)
{
    UserThread *ts = user_thread_self();

    /*
     * If a signal the temporary mask lets through is pending, the mask
     * stays until it is delivered (the frame saves the old one).
     */
    if (!interrupted || !(ts->pend_set & ~ts->sigmask)) {
        ts->sigmask = ts->saved_sigmask;
        ts->in_sigsuspend = false;
    }
    signal_update_pending(ts);
}

abi_long signal_do_sigsuspend(GuestSigset mask)
{
    UserThread *ts = user_thread_self();
    sigset_t none;

    signal_suspend_begin(mask);
    for (;;) {
        if (ts->sync_pending || (ts->pend_set & ~ts->sigmask)) {
            break;
        }
        signal_update_pending(ts);
        if (ts->signal_pending) {
            break;
        }
        signal_guest_to_host_set(&none, ts->sigmask & ~signal_sync_set);
        safe_syscall(SYS_rt_sigsuspend, &none, 8);
    }
    signal_update_pending(ts);
    /* Always -EINTR after the handler (ERESTARTNOHAND). */
    return -EINTR;
}

GuestSigset signal_pending_set(void)
{
    UserThread *ts = user_thread_self();
    GuestSigset set = ts->pend_set;
    sigset_t hs;
    int g;

    /* Blocked signals wait in the host kernel (process-wide or for this thread). */
    if (sigpending(&hs) == 0) {
        for (g = 1; g <= GUEST_NSIG; g++) {
            int h = signal_guest_to_host(g);

            if (h && sigismember(&hs, h)) {
                set |= guest_sigbit(g);
            }
        }
    }
    return set;
}

abi_long signal_do_sigtimedwait(GuestSigset set, GuestSiginfo *info, const struct timespec *t)
{
    UserThread *ts = user_thread_self();
    struct timespec deadline, now, left;
    sigset_t hs;

    set &= ~signal_unblockable;
    signal_guest_to_host_set(&hs, set);
    if (t) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += t->tv_sec;
        deadline.tv_nsec += t->tv_nsec;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
    }
    for (;;) {
        GuestSigset hit = ts->pend_set & set;
        siginfo_t hi;
        long r;

        /* Taken by the handler before the guest blocked it: ours to give. */
        if (hit) {
            int sig = __builtin_ctzll(hit) + 1;

            *info = ts->pend_info[sig];
            __atomic_and_fetch(&ts->pend_set, ~guest_sigbit(sig), __ATOMIC_SEQ_CST);
            signal_update_pending(ts);
            return sig;
        }
        if (ts->sync_pending || (ts->pend_set & ~ts->sigmask)) {
            return -EINTR;
        }
        if (t) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            left.tv_sec = deadline.tv_sec - now.tv_sec;
            left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
            if (left.tv_nsec < 0) {
                left.tv_sec--;
                left.tv_nsec += 1000000000;
            }
            if (left.tv_sec < 0) {
                left.tv_sec = left.tv_nsec = 0;
            }
        }
        /* The rest wait in the host kernel, blocked there as in the guest. */
        r = safe_syscall(SYS_rt_sigtimedwait, &hs, &hi, t ? &left : NULL, 8);
        if (r > 0) {
            int g = signal_host_to_guest((int)r);

            memset(info, 0, sizeof(*info));
            info->signo = g;
            info->errno_ = hi.si_errno;
            info->code = hi.si_code;
            memcpy(info->u.raw, (const char *)&hi + 16, sizeof(info->u.raw));
            return g;
        }
        if (r != -USER_ERESTARTSYS && r != -EINTR) {
            return r;
        }
    }
}
