/*
 * The guest structures whose layout differs from the x86-64 host's, and
 * their conversions.  riscv64 uses the asm-generic 64-bit layouts; of the
 * structures system calls exchange, only struct stat (asm-generic/stat.h,
 * 128 bytes) and struct epoll_event (x86-64 packs it to 12 bytes, riscv64
 * pads it to 16) differ.  Everything else (timespec, statx, statfs,
 * rlimit, rusage, sysinfo, msghdr, cmsghdr, siginfo, termios, flock...)
 * is passed through after the pointer checks.
 */
#ifndef MORPH_LINUX_USER_ABI_CONVERT_H
#define MORPH_LINUX_USER_ABI_CONVERT_H

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/stat.h>

typedef struct GuestStat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint64_t st_rdev;
    uint64_t pad1;
    int64_t st_size;
    int32_t st_blksize;
    int32_t pad2;
    int64_t st_blocks;
    int64_t st_atime_sec;
    uint64_t st_atime_nsec;
    int64_t st_mtime_sec;
    uint64_t st_mtime_nsec;
    int64_t st_ctime_sec;
    uint64_t st_ctime_nsec;
    uint32_t unused4;
    uint32_t unused5;
} GuestStat;

/* u32 events, 4 bytes of padding, u64 data. */
typedef struct GuestEpollEvent {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
} GuestEpollEvent;

void abi_stat_from_host(GuestStat *g, const struct stat *st);
void abi_epoll_to_host(struct epoll_event *h, const GuestEpollEvent *g);
void abi_epoll_from_host(GuestEpollEvent *g, const struct epoll_event *h);

#endif
