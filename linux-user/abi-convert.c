/*
 * Conversions of the guest structures whose layout is not the host's
 * (see abi-convert.h for which and why).  Field by field, so that a
 * padding byte of the host never reaches the guest.
 */
#include "abi-convert.h"

#include <string.h>

_Static_assert(sizeof(GuestStat) == 128, "asm-generic struct stat is 128 bytes");
_Static_assert(sizeof(GuestEpollEvent) == 16, "riscv64 struct epoll_event is 16 bytes");

void abi_stat_from_host(GuestStat *g, const struct stat *st)
{
    memset(g, 0, sizeof(*g));
    g->st_dev = st->st_dev;
    g->st_ino = st->st_ino;
    g->st_mode = st->st_mode;
    g->st_nlink = st->st_nlink;
    g->st_uid = st->st_uid;
    g->st_gid = st->st_gid;
    g->st_rdev = st->st_rdev;
    g->st_size = st->st_size;
    g->st_blksize = st->st_blksize;
    g->st_blocks = st->st_blocks;
    g->st_atime_sec = st->st_atim.tv_sec;
    g->st_atime_nsec = st->st_atim.tv_nsec;
    g->st_mtime_sec = st->st_mtim.tv_sec;
    g->st_mtime_nsec = st->st_mtim.tv_nsec;
    g->st_ctime_sec = st->st_ctim.tv_sec;
    g->st_ctime_nsec = st->st_ctim.tv_nsec;
}

void abi_epoll_to_host(struct epoll_event *h, const GuestEpollEvent *g)
{
    memset(h, 0, sizeof(*h));
    h->events = g->events;
    h->data.u64 = g->data;
}

void abi_epoll_from_host(GuestEpollEvent *g, const struct epoll_event *h)
{
    g->events = h->events;
    g->pad = 0;
    g->data = h->data.u64;
}
