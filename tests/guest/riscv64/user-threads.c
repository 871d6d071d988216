/*
 * User-mode test: threads (clone with CLONE_THREAD and TLS), mutexes,
 * condition variables, barriers, C11 atomics, thread-local storage and
 * pthread_join results.  The totals are fixed, so the output is too.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NTHREADS 6
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static atomic_long acounter;
static int turn;
static __thread int tls_value;
static volatile pid_t usr1_tid;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_tid = (pid_t)syscall(SYS_gettid);
}

static volatile int waited;

/* A dedicated thread takes process-directed signals with sigwait. */
static void *waiter(void *arg)
{
    int sig = 0;

    sigwait((sigset_t *)arg, &sig);
    waited = sig;
    return NULL;
}

static void *sleeper(void *arg)
{
    *(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
    while (!usr1_tid) {
        usleep(1000);
    }
    return NULL;
}

static void *worker(void *arg)
{
    long id = (long)arg;

    tls_value = (int)id * 100;
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&acounter, 2);
    }
    /* Take turns in id order through the condition variable. */
    pthread_mutex_lock(&lock);
    while (turn != id) {
        pthread_cond_wait(&cond, &lock);
    }
    printf("thread %ld tls %d\n", id, tls_value);
    turn++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return (void *)(id * id);
}

int main(void)
{
    pthread_t th[NTHREADS];
    long sum = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_barrier_init(&barrier, NULL, NTHREADS);
    for (long i = 0; i < NTHREADS; i++) {
        if (pthread_create(&th[i], NULL, worker, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < NTHREADS; i++) {
        void *r;

        pthread_join(th[i], &r);
        sum += (long)r;
    }
    printf("counter %ld atomic %ld joined %ld\n", counter, atomic_load(&acounter), sum);
    printf("main tid is pid: %d\n", (int)syscall(SYS_gettid) == (int)getpid());
    {
        volatile pid_t tid = 0;
        pthread_t t;

        signal(SIGUSR1, on_usr1);
        pthread_create(&t, NULL, sleeper, (void *)&tid);
        while (!tid) {
            usleep(1000);
        }
        pthread_kill(t, SIGUSR1);
        pthread_join(t, NULL);
        printf("pthread_kill reached its thread: %d\n", usr1_tid == tid);
    }
    {
        sigset_t set;
        pthread_t t;

        sigemptyset(&set);
        sigaddset(&set, SIGUSR2);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        pthread_create(&t, NULL, waiter, &set);
        usleep(20000);
        kill(getpid(), SIGUSR2);
        pthread_join(t, NULL);
        printf("sigwait thread got %d\n", waited);
    }
    return counter == NTHREADS * ITERS ? 0 : 1;
}
