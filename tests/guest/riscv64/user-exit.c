/*
 * User-mode test: how a guest ends.  "exit N" returns N, "abort" dies by
 * SIGABRT, "segv" by an unhandled SIGSEGV, "thread-exit" leaves main
 * with pthread_exit while another thread finishes the process.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
