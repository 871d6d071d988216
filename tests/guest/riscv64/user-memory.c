/*
 * User-mode test: memory.  Anonymous and file mmap, mprotect with a
 * fault on write caught by a handler that makes the page writable,
 * mremap growing and moving with the contents kept, munmap, madvise
 * DONTNEED zeroing private pages, sbrk, a large sparse allocation, and
 * deep recursion on the main stack.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static char *ro_page;
static volatile int faults;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    faults++;
    /* Make the page writable: returning retries the store. */
    if ((char *)si->si_addr >= ro_page && (char *)si->si_addr < ro_page + 4096) {
        mprotect(ro_page, 4096, PROT_READ | PROT_WRITE);
    } else {
        _exit(3);
    }
}

static sigjmp_buf bus_jb;
static volatile int bus_code;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    bus_code = si->si_code;
    siglongjmp(bus_jb, 1);
}

static unsigned long recurse(unsigned long n)
{
    volatile char pad[64];

    pad[0] = (char)n;
    if (n == 0) {
        return 0;
    }
    return recurse(n - 1) + pad[0] % 2 + 1;
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *p, *q;
    struct sigaction sa = {0};

    setvbuf(stdout, NULL, _IONBF, 0);
    printf("page size %ld\n", pg);

    p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK(p[0] == 0 && p[4 * pg - 1] == 0);
    memset(p, 'a', 4 * pg);
    q = mremap(p, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    printf("mremap grow: kept=%d new zero=%d\n", q[4 * pg - 1] == 'a', q[64 * pg - 1] == 0);
    CHECK(munmap(q, 64 * pg) == 0);

    ro_page = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro_page != MAP_FAILED);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    *(volatile char *)&ro_page[100] = 'z';
    printf("mprotect fault: faults=%d value=%c\n", faults, ro_page[100]);
    CHECK(mprotect(ro_page, pg, PROT_NONE) == 0);
    CHECK(mprotect(ro_page, pg, PROT_READ) == 0);
    printf("after PROT_NONE round trip: %c\n", ro_page[100]);
    CHECK(mprotect(ro_page + 1, pg, PROT_READ) == -1 && errno == EINVAL);

    p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 7, 2 * pg);
    CHECK(madvise(p, pg, MADV_DONTNEED) == 0);
    printf("madvise dontneed: first=%d second=%d\n", p[0], p[pg]);

    {
        char path[] = "/tmp/morph-mmap-XXXXXX";
        int fd = mkstemp(path);
        char *m;

        CHECK(fd >= 0 && ftruncate(fd, 2 * pg) == 0);
        m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        CHECK(m != MAP_FAILED);
        strcpy(m + pg, "shared mapping");
        CHECK(msync(m, 2 * pg, MS_SYNC) == 0);
        {
            char buf[32] = {0};

            CHECK(pread(fd, buf, 14, pg) == 14);
            printf("file mapping: %s\n", buf);
        }
        CHECK(munmap(m, 2 * pg) == 0);
        m = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, pg);
        CHECK(m != MAP_FAILED);
        printf("offset mapping: %.6s\n", m);
        {
            /* A page of the mapping past the end of the file: SIGBUS. */
            struct sigaction bus = {0};
            char *b = mmap(NULL, 4 * pg, PROT_READ, MAP_SHARED, fd, 0);

            CHECK(b != MAP_FAILED);
            bus.sa_sigaction = on_bus;
            bus.sa_flags = SA_SIGINFO;
            CHECK(sigaction(SIGBUS, &bus, NULL) == 0);
            if (sigsetjmp(bus_jb, 1) == 0) {
                (void)*(volatile char *)(b + 3 * pg);
                printf("beyond EOF: no fault\n");
            } else {
                printf("beyond EOF: SIGBUS code=%d\n", bus_code);
            }
        }
        close(fd);
        unlink(path);
    }
    {
        char *b0 = sbrk(0), *b1;

        CHECK(sbrk(3 * pg) == b0);
        b1 = sbrk(0);
        memset(b0, 1, 3 * pg);
        printf("sbrk grew: %ld\n", (long)(b1 - b0));
        CHECK(sbrk(-3 * pg) != (void *)-1);
    }
    {
        size_t big = (size_t)1 << 30;
        char *m = malloc(big);
        unsigned long sum = 0;

        CHECK(m);
        for (size_t i = 0; i < big; i += 1 << 20) {
            m[i] = (char)(i >> 20);
        }
        for (size_t i = 0; i < big; i += 1 << 20) {
            sum += (unsigned char)m[i];
        }
        printf("1 GiB sparse: sum=%lu\n", sum);
        free(m);
    }
    printf("recursion: %lu\n", recurse(50000));
    CHECK(mmap((void *)0x1000, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
               -1, 0) != MAP_FAILED || errno == EPERM || errno == EEXIST);
    return 0;
}
