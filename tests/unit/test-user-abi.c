/*
 * Unit tests for linux-user/abi-convert.c: the guest struct stat and
 * struct epoll_event have the riscv64 kernel's layout (offsets from
 * include/uapi/asm-generic/stat.h and include/uapi/linux/eventpoll.h,
 * which riscv64 uses unpadded-packed-free), and the conversions carry
 * every field, including values that do not fit a narrower field.
 */
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "abi-convert.h"

static void test_stat_layout(void)
{
    g_assert_cmpuint(sizeof(GuestStat), ==, 128);
    g_assert_cmpuint(offsetof(GuestStat, st_ino), ==, 8);
    g_assert_cmpuint(offsetof(GuestStat, st_mode), ==, 16);
    g_assert_cmpuint(offsetof(GuestStat, st_nlink), ==, 20);
    g_assert_cmpuint(offsetof(GuestStat, st_uid), ==, 24);
    g_assert_cmpuint(offsetof(GuestStat, st_gid), ==, 28);
    g_assert_cmpuint(offsetof(GuestStat, st_rdev), ==, 32);
    g_assert_cmpuint(offsetof(GuestStat, st_size), ==, 48);
    g_assert_cmpuint(offsetof(GuestStat, st_blksize), ==, 56);
    g_assert_cmpuint(offsetof(GuestStat, st_blocks), ==, 64);
    g_assert_cmpuint(offsetof(GuestStat, st_atime_sec), ==, 72);
    g_assert_cmpuint(offsetof(GuestStat, st_mtime_sec), ==, 88);
    g_assert_cmpuint(offsetof(GuestStat, st_ctime_nsec), ==, 112);
}

static void test_stat_convert(void)
{
    struct stat st;
    GuestStat g;

    memset(&st, 0, sizeof(st));
    st.st_dev = 0x1234567890ULL;
    st.st_ino = 0xfedcba9876543210ULL;
    st.st_mode = 0100644;
    st.st_nlink = 3;
    st.st_uid = 1000;
    st.st_gid = 4294967294U;
    st.st_rdev = 0x0801;
    st.st_size = 0x123456789abLL;
    st.st_blksize = 4096;
    st.st_blocks = 77;
    st.st_atim.tv_sec = 1;
    st.st_atim.tv_nsec = 2;
    st.st_mtim.tv_sec = 1234567890;
    st.st_mtim.tv_nsec = 999999999;
    st.st_ctim.tv_sec = -5;
    st.st_ctim.tv_nsec = 6;
    memset(&g, 0xaa, sizeof(g));
    abi_stat_from_host(&g, &st);
    g_assert_cmphex(g.st_dev, ==, 0x1234567890ULL);
    g_assert_cmphex(g.st_ino, ==, 0xfedcba9876543210ULL);
    g_assert_cmpuint(g.st_mode, ==, 0100644);
    g_assert_cmpuint(g.st_nlink, ==, 3);
    g_assert_cmpuint(g.st_uid, ==, 1000);
    g_assert_cmpuint(g.st_gid, ==, 4294967294U);
    g_assert_cmphex(g.st_rdev, ==, 0x0801);
    g_assert_cmpint(g.st_size, ==, 0x123456789abLL);
    g_assert_cmpint(g.st_blksize, ==, 4096);
    g_assert_cmpint(g.st_blocks, ==, 77);
    g_assert_cmpint(g.st_atime_sec, ==, 1);
    g_assert_cmpuint(g.st_atime_nsec, ==, 2);
    g_assert_cmpint(g.st_mtime_sec, ==, 1234567890);
    g_assert_cmpuint(g.st_mtime_nsec, ==, 999999999);
    g_assert_cmpint(g.st_ctime_sec, ==, -5);
    g_assert_cmpuint(g.st_ctime_nsec, ==, 6);
    /* Padding is zero, not stale memory. */
    g_assert_cmpuint(g.pad1, ==, 0);
    g_assert_cmpint(g.pad2, ==, 0);
    g_assert_cmpuint(g.unused4 | g.unused5, ==, 0);
}

static void test_epoll(void)
{
    GuestEpollEvent g = {.events = EPOLLIN | EPOLLET, .pad = 0x5555, .data = 0x1122334455667788ULL};
    struct epoll_event h;
    GuestEpollEvent back;

    g_assert_cmpuint(sizeof(GuestEpollEvent), ==, 16);
    g_assert_cmpuint(offsetof(GuestEpollEvent, data), ==, 8);
    /* The host's is packed: the two layouts really differ. */
    g_assert_cmpuint(sizeof(struct epoll_event), ==, 12);
    abi_epoll_to_host(&h, &g);
    g_assert_cmphex(h.events, ==, EPOLLIN | EPOLLET);
    g_assert_cmphex(h.data.u64, ==, 0x1122334455667788ULL);
    memset(&back, 0xff, sizeof(back));
    abi_epoll_from_host(&back, &h);
    g_assert_cmphex(back.events, ==, EPOLLIN | EPOLLET);
    g_assert_cmphex(back.pad, ==, 0);
    g_assert_cmphex(back.data, ==, 0x1122334455667788ULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/user-abi/stat-layout", test_stat_layout);
    g_test_add_func("/user-abi/stat-convert", test_stat_convert);
    g_test_add_func("/user-abi/epoll", test_epoll);
    return g_test_run();
}
