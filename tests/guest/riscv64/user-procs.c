/*
 * User-mode test: processes.  A pipe between parent and forked child,
 * wait status of a normal exit and of a death by signal, vfork + _exit,
 * execve of this same program (which must come back under the emulator
 * with its arguments and environment), and getpid/getppid consistency.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

int main(int argc, char **argv)
{
    int p[2], status;
    pid_t pid;
    char buf[64];
    ssize_t n;

    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        sigset_t cur;

        sigprocmask(SIG_SETMASK, NULL, &cur);
        printf("exec child: argc=%d arg2=%s env=%s usr2 blocked=%d\n", argc,
               argc > 2 ? argv[2] : "-",
               getenv("MORPH_TEST_VAR") ? getenv("MORPH_TEST_VAR") : "(unset)",
               sigismember(&cur, SIGUSR2));
        return 7;
    }
    setvbuf(stdout, NULL, _IONBF, 0);

    CHECK(pipe(p) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        CHECK(getppid() != getpid());
        CHECK(write(p[1], "from child", 10) == 10);
        _exit(42);
    }
    close(p[1]);
    n = read(p[0], buf, sizeof(buf));
    CHECK(n == 10);
    printf("parent read: %.*s\n", (int)n, buf);
    CHECK(read(p[0], buf, sizeof(buf)) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child exit: exited=%d status=%d\n", WIFEXITED(status), WEXITSTATUS(status));

    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child signal: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));

    pid = vfork();
    if (pid == 0) {
        _exit(3);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    printf("vfork child: %d\n", WEXITSTATUS(status));

    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *args[] = {argv[0], "exec-child", "two", NULL};
        char *env[] = {"MORPH_TEST_VAR=passed", NULL};
        sigset_t usr2;

        /* The blocked mask survives execve. */
        sigemptyset(&usr2);
        sigaddset(&usr2, SIGUSR2);
        sigprocmask(SIG_BLOCK, &usr2, NULL);
        execve("/proc/self/exe", args, env);
        printf("execve failed: %d\n", errno);
        _exit(99);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("exec child exit: %d\n", WEXITSTATUS(status));

    /* posix_spawn (clone with CLONE_VM | CLONE_VFORK) of a guest program. */
    {
        char *args[] = {argv[0], "exec-child", "spawned", NULL};
        char *env[] = {NULL};

        if (posix_spawn(&pid, argv[0], NULL, NULL, args, env) == 0) {
            CHECK(waitpid(pid, &status, 0) == pid);
            printf("spawn child exit: %d\n", WEXITSTATUS(status));
        } else {
            printf("spawn child exit: failed\n");
        }
    }

    CHECK(execl("/nonexistent/prog", "x", NULL) == -1 && errno == ENOENT);
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
    printf("procs done\n");
    return 0;
}
