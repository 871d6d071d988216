/*
 * syscall: the cost of a round trip to the kernel through the emulator's
 * system call layer: getpid, clock_gettime (a vDSO call natively), a write
 * to /dev/null and a one-byte write and read through a pipe, in a loop.
 * Only values that do not depend on the host go into the checksum.
 *
 * usage: syscall [iterations]
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 150000);
    static const char msg[64] = "morph bench: this line goes to /dev/null, 64 bytes of it.....\n";
    int null = open("/dev/null", O_WRONLY);
    int fds[2];
    uint64_t h = 0, pid_same = 0, time_fwd = 0;
    pid_t pid = getpid();
    struct timespec prev = {0, 0};

    if (null < 0 || pipe(fds) < 0) {
        perror("syscall: open or pipe");
        return 1;
    }
    for (uint64_t i = 0; i < n; i++) {
        struct timespec ts;
        unsigned char out = (unsigned char)(i * 37), in = 0;

        pid_same += getpid() == pid;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        time_fwd +=
            ts.tv_sec > prev.tv_sec || (ts.tv_sec == prev.tv_sec && ts.tv_nsec >= prev.tv_nsec);
        prev = ts;
        h = bench_mix(h, (uint64_t)write(null, msg, sizeof(msg)));
        h = bench_mix(h, (uint64_t)write(fds[1], &out, 1));
        h = bench_mix(h, (uint64_t)read(fds[0], &in, 1));
        h = bench_mix(h, in);
    }
    printf("syscall n=%" PRIu64 " getpid_ok=%" PRIu64 " clock_monotonic_ok=%" PRIu64
           " checksum=%016" PRIx64 "\n",
           n, pid_same, time_fwd, h);
    return 0;
}
