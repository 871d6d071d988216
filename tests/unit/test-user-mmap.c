/*
 * Unit tests for linux-user/mmap.c and uaccess.c: the guest map inside one
 * host reservation.  Placement (top-down, hints, fixed, noreplace),
 * splitting and merging of VMAs by munmap and mprotect, mremap growing in
 * place and moving, brk, the errno values Linux gives, that an unmapped
 * guest page and the guards around the guest space fault in the host, and
 * the checks system calls make on guest pointers.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "user.h"

#define VA_SIZE (1ULL << 32)
#define PG      4096ULL
#define ANON    (MAP_PRIVATE | MAP_ANONYMOUS)

/* accel/tcg defines it in the binary. */
uintptr_t guest_base;

const UserTargetInfo user_target = {
    .name = "test",
    .elf_machine = 243,
    .page_bits = 12,
    .task_size = VA_SIZE,
    .et_dyn_base = VA_SIZE / 3 * 2,
};

static void setup(void)
{
    g_assert_true(mmap_reserve(0, VA_SIZE, PG, NULL));
    mmap_set_layout(0x10000, VA_SIZE - (128 << 20));
}

typedef struct Collect {
    GString *s;
} Collect;

static void collect_one(const MmapVma *v, void *opaque)
{
    Collect *c = opaque;

    g_string_append_printf(c->s, "%llx-%llx %c%c%c%s;", (unsigned long long)v->start,
                           (unsigned long long)v->end, (v->prot & PROT_READ) ? 'r' : '-',
                           (v->prot & PROT_WRITE) ? 'w' : '-', (v->prot & PROT_EXEC) ? 'x' : '-',
                           (v->flags & VMA_HEAP) ? " heap" : "");
}

/* The map as "start-end prot;" items. */
static char *map_string(void)
{
    Collect c = {g_string_new("")};

    mmap_foreach(collect_one, &c);
    return g_string_free(c.s, FALSE);
}

static void test_reserve_and_errors(void)
{
    Error *err = NULL;

    g_assert_false(mmap_reserve(0, 12345, PG, &err));
    g_assert_nonnull(err);
    error_free(err);
    setup();
    g_assert_cmpuint(mmap_reserved_va, ==, VA_SIZE);
    g_assert_cmpint(mmap_map(0, 0, PROT_READ, ANON, -1, 0), ==, -EINVAL);
    g_assert_cmpint(mmap_map(0, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), ==, -EINVAL);
    g_assert_cmpint(mmap_map(0x10001, PG, PROT_READ, ANON | MAP_FIXED, -1, 0), ==, -EINVAL);
    g_assert_cmpint(mmap_map(VA_SIZE - PG, 2 * PG, PROT_READ, ANON | MAP_FIXED, -1, 0), ==,
                    -ENOMEM);
    g_assert_cmpint(mmap_map(0, ~0ULL - 10, PROT_READ, ANON, -1, 0), ==, -ENOMEM);
    g_assert_cmpint(mmap_unmap(0x10001, PG), ==, -EINVAL);
    g_assert_cmpint(mmap_unmap(0x10000, 0), ==, -EINVAL);
    g_assert_cmpint(mmap_protect(0x10000, PG, PROT_READ), ==, -ENOMEM);
    g_assert_cmpint(mmap_protect(0x10001, PG, PROT_READ), ==, -EINVAL);
    mmap_teardown();
}

static void test_top_down_and_hint(void)
{
    abi_long a, b, c;

    setup();
    a = mmap_map(0, 3 * PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
    g_assert_cmpint(a, ==, VA_SIZE - (128 << 20) - 3 * PG);
    b = mmap_map(0, PG, PROT_READ, ANON, -1, 0);
    g_assert_cmpint(b, ==, a - PG);
    /* A free hint is honoured; a taken one is not. */
    c = mmap_map(0x100000, PG, PROT_READ, ANON, -1, 0);
    g_assert_cmpint(c, ==, 0x100000);
    c = mmap_map(0x100000, PG, PROT_READ, ANON, -1, 0);
    g_assert_cmpint(c, !=, 0x100000);
    /* The memory is there and zeroed. */
    g_assert_cmpint(((char *)g2h(a))[3 * PG - 1], ==, 0);
    memset(g2h(a), 0x5a, 3 * PG);
    g_assert_true(mmap_check_range(a, 3 * PG, PROT_READ | PROT_WRITE));
    g_assert_false(mmap_check_range(b, PG, PROT_WRITE));
    g_assert_true(mmap_check_range(b, 4 * PG, PROT_READ));
    g_assert_false(mmap_check_range(a, 4 * PG, PROT_READ));
    g_assert_true(mmap_check_range(a, 0, PROT_WRITE));
    g_assert_false(mmap_check_range(~0ULL - 5, 10, PROT_READ));
    mmap_teardown();
}

static void test_split_merge(void)
{
    abi_ulong base = 0x200000;
    char *s;

    setup();
    g_assert_cmpint(mmap_map(base, 4 * PG, PROT_READ | PROT_WRITE, ANON | MAP_FIXED, -1, 0), ==,
                    base);
    g_assert_cmpint(mmap_protect(base + PG, PG, PROT_READ), ==, 0);
    s = map_string();
    g_assert_cmpstr(s, ==, "200000-201000 rw-;201000-202000 r--;202000-204000 rw-;");
    g_free(s);
    g_assert_cmpint(mmap_protect(base + PG, PG, PROT_READ | PROT_WRITE), ==, 0);
    s = map_string();
    g_assert_cmpstr(s, ==, "200000-204000 rw-;");
    g_free(s);
    g_assert_cmpint(mmap_unmap(base + PG, 2 * PG), ==, 0);
    s = map_string();
    g_assert_cmpstr(s, ==, "200000-201000 rw-;203000-204000 rw-;");
    g_free(s);
    /* mprotect over a hole fails with ENOMEM and changes nothing. */
    g_assert_cmpint(mmap_protect(base, 4 * PG, PROT_READ), ==, -ENOMEM);
    g_assert_true(mmap_check_range(base, PG, PROT_WRITE));
    /* NOREPLACE over a mapping: EEXIST; over a hole: fine. */
    g_assert_cmpint(mmap_map(base, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, -1, 0), ==, -EEXIST);
    g_assert_cmpint(mmap_map(base + PG, PG, PROT_READ, ANON | MAP_FIXED_NOREPLACE, -1, 0), ==,
                    base + PG);
    /* MAP_FIXED replaces. */
    g_assert_cmpint(mmap_map(base, 4 * PG, PROT_EXEC, ANON | MAP_FIXED, -1, 0), ==, base);
    s = map_string();
    g_assert_cmpstr(s, ==, "200000-204000 --x;");
    g_free(s);
    mmap_teardown();
}

static sigjmp_buf fault_jmp;

static void fault_handler(int sig)
{
    siglongjmp(fault_jmp, 1);
}

static void test_unmapped_faults(void)
{
    struct sigaction sa = {.sa_handler = fault_handler}, old;
    volatile int faulted = 0;
    abi_ulong a;

    setup();
    a = mmap_map(0, PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
    g_assert_cmpint(mmap_unmap(a, PG), ==, 0);
    sigaction(SIGSEGV, &sa, &old);
    if (sigsetjmp(fault_jmp, 1) == 0) {
        *(volatile char *)g2h(a) = 1;
    } else {
        faulted++;
    }
    /* Just outside the guest space on either side: the guard regions. */
    if (sigsetjmp(fault_jmp, 1) == 0) {
        *(volatile char *)g2h(-8) = 1;
    } else {
        faulted++;
    }
    if (sigsetjmp(fault_jmp, 1) == 0) {
        *(volatile char *)g2h(VA_SIZE + 4096) = 1;
    } else {
        faulted++;
    }
    sigaction(SIGSEGV, &old, NULL);
    g_assert_cmpint(faulted, ==, 3);
    g_assert_false(mmap_check_range(a, 1, 0));
    mmap_teardown();
}

static void test_remap(void)
{
    abi_ulong base = 0x300000;
    abi_long r;

    setup();
    g_assert_cmpint(mmap_map(base, 2 * PG, PROT_READ | PROT_WRITE, ANON | MAP_FIXED, -1, 0), ==,
                    base);
    memset(g2h(base), 7, 2 * PG);
    /* Grow in place into free space. */
    g_assert_cmpint(mmap_remap(base, 2 * PG, 4 * PG, 0, 0), ==, base);
    g_assert_cmpint(((char *)g2h(base))[PG], ==, 7);
    g_assert_cmpint(((char *)g2h(base))[3 * PG], ==, 0);
    /* Blocked: fails without MAYMOVE, moves with it and keeps the data. */
    g_assert_cmpint(mmap_map(base + 4 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0), ==,
                    base + 4 * PG);
    g_assert_cmpint(mmap_remap(base, 4 * PG, 8 * PG, 0, 0), ==, -ENOMEM);
    r = mmap_remap(base, 4 * PG, 8 * PG, MREMAP_MAYMOVE, 0);
    g_assert_cmpint(r, >, 0);
    g_assert_cmpint(r, !=, base);
    g_assert_cmpint(((char *)g2h(r))[PG], ==, 7);
    g_assert_false(mmap_check_range(base, PG, 0));
    g_assert_true(mmap_check_range(r, 8 * PG, PROT_READ | PROT_WRITE));
    /* Shrink. */
    g_assert_cmpint(mmap_remap(r, 8 * PG, PG, 0, 0), ==, r);
    g_assert_false(mmap_check_range(r + PG, PG, 0));
    /* Fixed destination. */
    g_assert_cmpint(mmap_remap(r, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, 0x500000), ==, 0x500000);
    g_assert_cmpint(((char *)g2h(0x500000))[0], ==, 7);
    g_assert_cmpint(mmap_remap(0x600000, PG, PG, 0, 0), ==, -EFAULT);
    g_assert_cmpint(mmap_remap(0x500000, PG, PG, MREMAP_FIXED, 0x700000), ==, -EINVAL);
    mmap_teardown();
}

static void test_file_mapping(void)
{
    char path[] = "/tmp/morph-test-mmap-XXXXXX";
    int fd = mkstemp(path);
    char buf[2 * PG];
    abi_long a;

    g_assert_cmpint(fd, >=, 0);
    memset(buf, 'a', PG);
    memset(buf + PG, 'b', PG);
    g_assert_cmpint(write(fd, buf, sizeof(buf)), ==, sizeof(buf));
    setup();
    a = mmap_map(0, PG, PROT_READ, MAP_PRIVATE, fd, PG);
    g_assert_cmpint(a, >, 0);
    g_assert_cmpint(((char *)g2h(a))[0], ==, 'b');
    g_assert_cmpint(mmap_map(0, PG, PROT_READ, MAP_PRIVATE, fd, 100), ==, -EINVAL);
    g_assert_cmpint(mmap_map(0, PG, PROT_READ, MAP_PRIVATE, 999, 0), ==, -EBADF);
    /* Shared + write: writes reach the file. */
    a = mmap_map(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    g_assert_cmpint(a, >, 0);
    ((char *)g2h(a))[1] = 'z';
    g_assert_cmpint(mmap_sync(a, PG, MS_SYNC), ==, 0);
    g_assert_cmpint(pread(fd, buf, 2, 0), ==, 2);
    g_assert_cmpint(buf[1], ==, 'z');
    g_assert_cmpint(mmap_sync(a + 1, PG, MS_SYNC), ==, -EINVAL);
    g_assert_cmpint(mmap_advise(a, PG, MADV_WILLNEED), ==, 0);
    mmap_teardown();
    close(fd);
    unlink(path);
}

static void test_brk(void)
{
    abi_ulong start = 0x400000;

    setup();
    mmap_set_brk(start);
    g_assert_cmpint(mmap_brk(0), ==, start);
    g_assert_cmpint(mmap_brk(start + 10000), ==, start + 10000);
    g_assert_true(mmap_check_range(start, 10000, PROT_READ | PROT_WRITE));
    ((char *)g2h(start))[9999] = 1;
    g_assert_cmpint(mmap_brk(start + 100), ==, start + 100);
    g_assert_false(mmap_check_range(start + PG, 1, 0));
    g_assert_cmpint(mmap_brk(start - 1), ==, start + 100);
    /* Blocked by a mapping: brk stays. */
    g_assert_cmpint(mmap_map(start + 4 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0), ==,
                    start + 4 * PG);
    g_assert_cmpint(mmap_brk(start + 8 * PG), ==, start + 100);
    mmap_teardown();
}

/* uaccess.c: what system calls use to reach guest memory. */
static void test_uaccess(void)
{
    abi_ulong a;
    uint64_t v = 0;
    int err = 0;
    const char *str;
    char *h;

    setup();
    /* Two pages: read-write, then read-only; nothing after them. */
    a = mmap_map(0x800000, 2 * PG, PROT_READ | PROT_WRITE, ANON | MAP_FIXED, -1, 0);
    g_assert_cmpint(a, ==, 0x800000);
    g_assert_cmpint(mmap_protect(a + PG, PG, PROT_READ), ==, 0);
    g_assert_cmpint(uaccess_put_u64(a + PG - 8, 0x1122334455667788ULL), ==, 0);
    g_assert_cmpint(uaccess_get_u64(&v, a + PG - 8), ==, 0);
    g_assert_cmphex(v, ==, 0x1122334455667788ULL);
    /* A write that would cross into the read-only page fails whole. */
    g_assert_cmpint(uaccess_put_u64(a + PG - 4, 1), ==, -EFAULT);
    g_assert_cmpint(uaccess_get_u64(&v, a + 2 * PG - 4), ==, -EFAULT);
    g_assert_null(uaccess_ptr(~0ULL - 3, 8, PROT_READ));
    g_assert_nonnull(uaccess_ptr(a + PG, PG, PROT_READ));
    g_assert_null(uaccess_ptr(a + PG, PG, PROT_WRITE));
    /* A string ending right before the unmapped page, and one running into it. */
    h = g2h(a);
    memset(h, 'x', PG - 1);
    h[PG - 1] = '\0';
    str = uaccess_str(a + 10, 4096, &err);
    g_assert_nonnull(str);
    g_assert_cmpuint(strlen(str), ==, PG - 11);
    g_assert_null(uaccess_str(a, 100, &err));
    g_assert_cmpint(err, ==, -ENAMETOOLONG);
    g_assert_cmpint(mmap_protect(a + PG, PG, PROT_READ | PROT_WRITE), ==, 0);
    memset(h + PG, 'y', PG);
    h[PG - 1] = 'x';
    g_assert_null(uaccess_str(a + PG - 5, 1 << 20, &err));
    g_assert_cmpint(err, ==, -EFAULT);
    g_assert_null(uaccess_str(0x10, 16, &err));
    g_assert_cmpint(err, ==, -EFAULT);
    mmap_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/user-mmap/reserve-errors", test_reserve_and_errors);
    g_test_add_func("/user-mmap/top-down-hint", test_top_down_and_hint);
    g_test_add_func("/user-mmap/split-merge", test_split_merge);
    g_test_add_func("/user-mmap/unmapped-faults", test_unmapped_faults);
    g_test_add_func("/user-mmap/remap", test_remap);
    g_test_add_func("/user-mmap/file", test_file_mapping);
    g_test_add_func("/user-mmap/brk", test_brk);
    g_test_add_func("/user-mmap/uaccess", test_uaccess);
    return g_test_run();
}
