/*
 * util/prefault.c: the background thread really populates what it is asked
 * to (mincore reports the pages resident), leaves the contents alone (it
 * runs while the owner writes the same memory), and treats requests it
 * cannot take (empty ranges, unmapped memory) as the hints they are.
 */
#include <glib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/prefault.h"

#define PAGES 256

static size_t resident_pages(uint8_t *p, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
    unsigned char vec[PAGES];

    g_assert_cmpint(mincore(p, len, vec), ==, 0);
    for (size_t i = 0; i < len / page; i++) {
        n += vec[i] & 1;
    }
    return n;
}

/* Wait (bounded) for the thread to have populated `want` more bytes than `base`. */
static bool wait_done(uint64_t base, uint64_t want)
{
    for (int i = 0; i < 2000; i++) {
        if (mem_prefault_done_bytes() >= base + want) {
            return true;
        }
        g_usleep(1000);
    }
    return false;
}

static void test_populates_and_keeps_contents(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = PAGES * page;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t base = mem_prefault_done_bytes();

    g_assert_true(p != MAP_FAILED);
    (void)madvise(p, len, MADV_NOHUGEPAGE);
    memset(p, 0x5a, page); /* the owner's data in the first page */
    g_assert_cmpuint(resident_pages(p, len), ==, 1);
    mem_prefault_async(p, len);
    if (!wait_done(base, len)) {
        g_test_skip("MADV_POPULATE_WRITE not supported by this kernel");
        munmap(p, len);
        return;
    }
    g_assert_cmpuint(resident_pages(p, len), ==, PAGES);
    for (size_t i = 0; i < len; i++) {
        g_assert_cmpuint(p[i], ==, i < page ? 0x5a : 0);
    }
    munmap(p, len);
}

static void test_for_copy_from_the_back(void)
{
    size_t len = 5 * MEM_PREFAULT_CHUNK + 12345;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t base = mem_prefault_done_bytes();

    g_assert_true(p != MAP_FAILED);
    mem_prefault_for_copy(p, len);
    /* Everything but the first chunk, which is the writer's. */
    if (!wait_done(base, len - MEM_PREFAULT_CHUNK - 4096)) {
        g_test_skip("MADV_POPULATE_WRITE not supported by this kernel");
    }
    munmap(p, len);
}

static void test_hints_that_cannot_be_taken(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    g_assert_true(p != MAP_FAILED);
    mem_prefault_async(p + 1, page - 2); /* no whole page inside */
    mem_prefault_async(p, 0);
    munmap(p, 4 * page);
    mem_prefault_async(p, 4 * page);     /* unmapped by now: the thread shrugs */
    g_usleep(20000);
    /* Still serving: a later request is done. */
    test_populates_and_keeps_contents();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/prefault/populates-and-keeps-contents", test_populates_and_keeps_contents);
    g_test_add_func("/prefault/for-copy", test_for_copy_from_the_back);
    g_test_add_func("/prefault/hints-that-cannot-be-taken", test_hints_that_cannot_be_taken);
    return g_test_run();
}
