/*
 * User-mode test: signals.  Handlers with siginfo, the blocked mask and
 * sigpending, SA_RESETHAND and SA_NODEFER, sigaltstack (the handler runs
 * on it), a SIGSEGV from a bad store caught and recovered with
 * siglongjmp (si_addr and si_code checked), SIGILL and SIGTRAP from
 * instructions, sigqueue values, sigsuspend and sigtimedwait, a signal
 * interrupting a blocking read (SA_RESTART off: EINTR), and a kill by a
 * signal the program does not handle in a child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static volatile sig_atomic_t got, got_code, got_value, depth, max_depth;
static volatile uintptr_t got_addr;
static sigjmp_buf jb;
static char altstack[65536];
static volatile int on_alt;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got = sig;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    char here;

    (void)uc;

    got = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
    siglongjmp(jb, 1);
}

static void on_nodefer(int sig)
{
    (void)sig;
    depth++;
    if (depth > max_depth) {
        max_depth = depth;
    }
    if (depth < 3) {
        raise(SIGUSR2);
    }
    depth--;
}

/* Skip the faulting instruction through the ucontext: checks the frame layout and sigreturn. */
static void on_ill_skip(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    volatile double clobber = 1234.5;

    (void)si;
    got = sig;
    got_addr = uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += 4;
    /* a0 as the handler saw it at the fault, changed for after the return */
    uc->uc_mcontext.__gregs[REG_A0] = 0x5151;
    clobber = clobber * 2;
    (void)clobber;
}

static void on_reset(int sig)
{
    got = sig;
}

static void on_alarm(int sig)
{
    got = sig;
}

int main(void)
{
    struct sigaction sa;
    sigset_t set, old, pend;
    stack_t ss;

    setvbuf(stdout, NULL, _IONBF, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    raise(SIGUSR1);
    printf("usr1: sig=%d code=%d\n", got, got_code);

    /* Blocked: pending until unblocked. */
    got = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    raise(SIGUSR1);
    CHECK(sigpending(&pend) == 0);
    printf("blocked: got=%d pending=%d\n", got, sigismember(&pend, SIGUSR1));
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    printf("unblocked: got=%d\n", got);

    /* sigqueue carries a value. */
    {
        union sigval v = {.sival_int = 1234};

        CHECK(sigqueue(getpid(), SIGUSR1, v) == 0);
        printf("sigqueue: value=%d code_is_queue=%d\n", got_value, got_code == SI_QUEUE);
    }

    /* SA_NODEFER lets the handler nest; SA_RESETHAND restores the default. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_nodefer;
    sa.sa_flags = SA_NODEFER;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    raise(SIGUSR2);
    printf("nodefer max depth %d\n", max_depth);
    sa.sa_handler = on_reset;
    sa.sa_flags = SA_RESETHAND;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    raise(SIGUSR2);
    CHECK(sigaction(SIGUSR2, NULL, &sa) == 0);
    printf("resethand: default=%d\n", sa.sa_handler == SIG_DFL);

    /* SIGSEGV on the alternate stack, recovered with siglongjmp. */
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, NULL) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    CHECK(sigaction(SIGILL, &sa, NULL) == 0);
    CHECK(sigaction(SIGTRAP, &sa, NULL) == 0);
    for (int round = 0; round < 3; round++) {
        got = 0;
        if (sigsetjmp(jb, 1) == 0) {
            *(volatile int *)(uintptr_t)(0x1000 + round * 8) = 1;
        }
        printf("segv %d: sig=%d code=%d addr=0x%lx altstack=%d\n", round, got, got_code,
               (unsigned long)got_addr, on_alt);
    }
    {
        char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        CHECK(p != MAP_FAILED);
        got = 0;
        if (sigsetjmp(jb, 1) == 0) {
            p[16] = 1;
        }
        printf("segv ro: sig=%d accerr=%d addr_ok=%d\n", got, got_code == SEGV_ACCERR,
               got_addr == (uintptr_t)p + 16);
    }
    got = 0;
    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile(".word 0x00000000");
    }
    printf("sigill: sig=%d code=%d\n", got, got_code);
    got = 0;
    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile("ebreak");
    }
    printf("sigtrap: sig=%d\n", got);

    {
        struct sigaction skip = {0};
        register long a0 __asm__("a0") = 7;
        uintptr_t insn_addr;
        volatile double f = 2.5;
        double keep;

        skip.sa_sigaction = on_ill_skip;
        skip.sa_flags = SA_SIGINFO;
        CHECK(sigaction(SIGILL, &skip, NULL) == 0);
        got = 0;
        keep = f * 3.0;
        __asm__ volatile("1: .word 0x00000000\n"
                         "   lla %1, 1b\n"
                         : "+r"(a0), "=r"(insn_addr));
        printf("ill skipped: sig=%d pc_ok=%d a0=0x%lx fp=%g\n", got, got_addr == insn_addr,
               (long)a0, keep);
    }
    printf("unknown syscall: %ld errno=%d\n", syscall(999), errno);

    /* sigsuspend wakes for an unblocked signal; sigtimedwait takes a blocked one. */
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    got = 0;
    raise(SIGUSR1);
    {
        sigset_t wait_mask;

        sigemptyset(&wait_mask);
        CHECK(sigsuspend(&wait_mask) == -1 && errno == EINTR);
        printf("sigsuspend: got=%d\n", got);
    }
    raise(SIGUSR1);
    {
        siginfo_t si;
        struct timespec t = {1, 0};

        CHECK(sigtimedwait(&set, &si, &t) == SIGUSR1);
        printf("sigtimedwait: %d\n", si.si_signo);
        t.tv_sec = 0;
        t.tv_nsec = 10000000;
        CHECK(sigtimedwait(&set, &si, &t) == -1 && errno == EAGAIN);
    }
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);

    /* Real-time signals queue: three sent while blocked, three taken in order. */
    {
        sigset_t rt;
        siginfo_t si;
        struct timespec t = {1, 0};

        sigemptyset(&rt);
        sigaddset(&rt, SIGRTMIN + 2);
        CHECK(sigprocmask(SIG_BLOCK, &rt, NULL) == 0);
        for (int v = 1; v <= 3; v++) {
            union sigval val = {.sival_int = v * 10};

            CHECK(sigqueue(getpid(), SIGRTMIN + 2, val) == 0);
        }
        printf("rt queued:");
        for (int i = 0; i < 3; i++) {
            CHECK(sigtimedwait(&rt, &si, &t) == SIGRTMIN + 2);
            printf(" %d", si.si_value.sival_int);
        }
        printf("\n");
        CHECK(sigprocmask(SIG_UNBLOCK, &rt, NULL) == 0);
    }

    /* A timer signal interrupts a blocking read of a pipe (no SA_RESTART). */
    {
        int p[2];
        char c;
        struct itimerval it = {{0, 0}, {0, 50000}};

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_alarm;
        CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
        CHECK(pipe(p) == 0);
        got = 0;
        CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
        errno = 0;
        printf("read interrupted: r=%d errno=%s got=%d\n", (int)read(p[0], &c, 1),
               errno == EINTR ? "EINTR" : "other", got);
    }

    /* An unhandled signal kills a child with that signal. */
    {
        pid_t pid = fork();
        int status;

        if (pid == 0) {
            signal(SIGSEGV, SIG_DFL);
            *(volatile int *)(uintptr_t)getpid() = 0;
            _exit(0);
        }
        CHECK(waitpid(pid, &status, 0) == pid);
        printf("child killed: %d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
    }
    printf("signals done\n");
    return 0;
}
