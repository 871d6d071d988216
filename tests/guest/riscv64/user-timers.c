/*
 * User-mode test: time.  Monotonic clock ordering, nanosleep and
 * clock_nanosleep durations (lower bounds only), gettimeofday agreeing
 * with CLOCK_REALTIME, timerfd expirations, a POSIX timer delivering
 * its signal with the right value, and ITIMER_REAL through sigwait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static int64_t ns(clockid_t c)
{
    struct timespec t;

    clock_gettime(c, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static volatile sig_atomic_t timer_hits, timer_value;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    timer_hits++;
    timer_value = si->si_value.sival_int;
}

int main(void)
{
    int64_t t0, t1;
    struct timespec req = {0, 20000000}, res;
    struct timeval tv;

    t0 = ns(CLOCK_MONOTONIC);
    CHECK(nanosleep(&req, NULL) == 0);
    t1 = ns(CLOCK_MONOTONIC);
    printf("nanosleep >= 20ms: %d\n", t1 - t0 >= 20000000);
    t0 = t1;
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == 0);
    printf("clock_nanosleep >= 20ms: %d\n", ns(CLOCK_MONOTONIC) - t0 >= 20000000);
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0);
    printf("res <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
    CHECK(gettimeofday(&tv, NULL) == 0);
    printf("gettimeofday close to realtime: %d\n",
           llabs((int64_t)tv.tv_sec * 1000000000 + tv.tv_usec * 1000 - ns(CLOCK_REALTIME)) <
               2000000000LL);
    printf("cputime advances: %d\n", ns(CLOCK_PROCESS_CPUTIME_ID) > 0);

    {
        int fd = timerfd_create(CLOCK_MONOTONIC, 0);
        struct itimerspec its = {{0, 10000000}, {0, 10000000}};
        uint64_t exp = 0, total = 0;

        CHECK(fd >= 0);
        CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
        while (total < 3) {
            CHECK(read(fd, &exp, 8) == 8);
            total += exp;
        }
        printf("timerfd expirations >= 3: %d\n", total >= 3);
        close(fd);
    }
    {
        struct sigaction sa = {0};
        struct sigevent sev = {0};
        struct itimerspec its = {{0, 0}, {0, 5000000}};
        timer_t t;

        sa.sa_sigaction = on_timer;
        sa.sa_flags = SA_SIGINFO;
        CHECK(sigaction(SIGRTMIN + 1, &sa, NULL) == 0);
        sev.sigev_notify = SIGEV_SIGNAL;
        sev.sigev_signo = SIGRTMIN + 1;
        sev.sigev_value.sival_int = 77;
        CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
        CHECK(timer_settime(t, 0, &its, NULL) == 0);
        while (!timer_hits) {
            pause();
        }
        printf("posix timer: hits=%d value=%d\n", timer_hits, timer_value);
        CHECK(timer_delete(t) == 0);
    }
    {
        sigset_t set;
        int sig;
        struct itimerval it = {{0, 0}, {0, 10000}};

        sigemptyset(&set);
        sigaddset(&set, SIGALRM);
        CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
        CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
        CHECK(sigwait(&set, &sig) == 0);
        printf("itimer sigwait: %d\n", sig);
    }
    return 0;
}
