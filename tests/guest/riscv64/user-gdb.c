/*
 * The program tests/functional/riscv64/test_gdb_user.py debugs, built
 * with -g -O0 so that GDB finds main, its locals and its lines.  Without
 * arguments it computes a sum into a watched global and exits with status
 * 3; the first argument picks another behaviour for the other cases:
 *   spin    loop until a debugger sets `stop` (Ctrl-C while running)
 *   sleep   block in a system call for a minute (Ctrl-C while blocked)
 *   thread  run worker() in a second thread, then exit 3
 *   storm   four threads call hit() 25 times each, then exit 3
 *   spinners  three threads spin while the main thread sleeps
 *   fork    run child_work() in a forked child (which the debugger leaves)
 *   segv    store through a null pointer
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile int counter;
volatile int stop;
volatile int worker_ran;
volatile long hits;

static int compute(int n)
{
    int acc = 0;

    for (int i = 1; i <= n; i++) {
        acc += i;
    }
    return acc;
}

static void *worker(void *arg)
{
    worker_ran = 1;
    return arg;
}

static void hit(void)
{
    __atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
}

static void *storm(void *arg)
{
    for (int i = 0; i < 25; i++) {
        hit();
    }
    return arg;
}

static void *spinner(void *arg)
{
    while (!stop) {
        counter++;
    }
    return arg;
}

static void child_work(void)
{
    printf("child ran\n");
    fflush(stdout);
}

static int other_mode(const char *mode)
{
    if (strcmp(mode, "spin") == 0) {
        while (!stop) {
            counter++;
        }
        printf("stopped\n");
        return 4;
    }
    if (strcmp(mode, "sleep") == 0) {
        struct timespec ts = {60, 0};

        nanosleep(&ts, NULL);
        return 5;
    }
    if (strcmp(mode, "thread") == 0) {
        pthread_t t;

        pthread_create(&t, NULL, worker, NULL);
        pthread_join(t, NULL);
        printf("worker_ran=%d\n", worker_ran);
        return 3;
    }
    if (strcmp(mode, "storm") == 0) {
        pthread_t t[4];

        for (int i = 0; i < 4; i++) {
            pthread_create(&t[i], NULL, storm, NULL);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
        }
        printf("hits=%ld\n", hits);
        return 3;
    }
    if (strcmp(mode, "spinners") == 0) {
        pthread_t t;
        struct timespec ts = {60, 0};

        for (int i = 0; i < 3; i++) {
            pthread_create(&t, NULL, spinner, NULL);
        }
        nanosleep(&ts, NULL);
        return 6;
    }
    if (strcmp(mode, "fork") == 0) {
        pid_t pid = fork();
        int status = 0;

        if (pid == 0) {
            child_work();
            _exit(0);
        }
        waitpid(pid, &status, 0);
        printf("child status %d\n", WEXITSTATUS(status));
        return 3;
    }
    if (strcmp(mode, "segv") == 0) {
        *(volatile int *)0 = 1;
    }
    return 1;
}

int main(int argc, char **argv)
{
    int local = 42;
    int sum = compute(10);

    counter = sum;
    counter += local;
    printf("sum=%d counter=%d\n", sum, counter);
    fflush(stdout);
    if (argc > 1) {
        return other_mode(argv[1]);
    }
    return 3;
}
