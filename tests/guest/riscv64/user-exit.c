/*
 * User-mode test: how a guest ends.  "exit N" returns N, "abort" dies by
 * SIGABRT, "segv" by an unhandled SIGSEGV, "thread-exit" leaves main
 * with pthread_exit while another thread finishes the process.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

/* Loads from far outside the address space fault in the guest (emulator's own memory stays out of reach). */
static void wild(void)
{
    static const uintptr_t addrs[] = {(uintptr_t)-8, (uintptr_t)1 << 39,
                                      ((uintptr_t)1 << 38) + ((uintptr_t)1 << 39),
                                      (uintptr_t)1 << 62};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 4; i++) {
        volatile int faulted = 0;

        fault_addr = 0;
        if (sigsetjmp(jb, 1) == 0) {
            (void)*(volatile long *)addrs[i];
        } else {
            faulted = 1;
        }
        printf("wild load 0x%lx: faulted=%d at 0x%lx\n", (unsigned long)addrs[i], faulted,
               (unsigned long)fault_addr);
    }
}

static void *last_thread(void *arg)
{
    (void)arg;
    usleep(20000);
    printf("last thread exits\n");
    exit(5);
}

int main(int argc, char **argv)
{
    pthread_t t;

    if (argc < 2) {
        return 0;
    }
    if (strcmp(argv[1], "exit") == 0 && argc > 2) {
        return atoi(argv[2]);
    }
    if (strcmp(argv[1], "abort") == 0) {
        abort();
    }
    if (strcmp(argv[1], "segv") == 0) {
        *(volatile int *)(uintptr_t)(argc - 2) = 1;
    }
    if (strcmp(argv[1], "wild") == 0) {
        wild();
        return 0;
    }
    if (strcmp(argv[1], "spin") == 0) {
        printf("spinning\n");
        fflush(stdout);
        for (volatile unsigned long i = 0;; i++) {
        }
    }
    if (strcmp(argv[1], "thread-exit") == 0) {
        pthread_create(&t, NULL, last_thread, NULL);
        pthread_exit(NULL);
    }
    return 100;
}
