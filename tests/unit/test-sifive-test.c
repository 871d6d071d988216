/*
 * The SiFive test finisher (hw/misc/sifive-test.c): PASS, FAIL with its
 * code, RESET, unknown values, reads, and the access sizes it takes.
 */
#include <glib.h>
#include "hw-harness.h"
#include "hw/misc/sifive-test.h"

#define BASE 0x100000

static void test_finisher(void)
{
    DeviceState *dev;
    uint64_t v = 0;

    hwh_init();
    dev = hwh_create(qdev_new(TYPE_SIFIVE_TEST), BASE);
    g_assert_cmpuint(hwh_read32(BASE), ==, 0);

    hwh_write32(BASE, SIFIVE_TEST_PASS);
    g_assert_cmpint(hwh.shutdowns, ==, 1);
    g_assert_cmpint(hwh.shutdown_cause, ==, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    g_assert_cmpint(hwh.shutdown_code, ==, 0);

    hwh_write32(BASE, (42u << 16) | SIFIVE_TEST_FAIL);
    g_assert_cmpint(hwh.shutdowns, ==, 2);
    g_assert_cmpint(hwh.shutdown_cause, ==, SHUTDOWN_CAUSE_GUEST_PANIC);
    g_assert_cmpint(hwh.shutdown_code, ==, 42);

    hwh_write32(BASE, SIFIVE_TEST_RESET);
    g_assert_cmpint(hwh.resets, ==, 1);

    /* Guest mistakes are logged and ignored. */
    hwh_write32(BASE, 0x1234);
    hwh_write32(BASE + 4, SIFIVE_TEST_PASS);
    g_assert_cmpint(hwh.shutdowns, ==, 2);
    /* 2- and 4-byte accesses only. */
    v = SIFIVE_TEST_PASS;
    g_assert_cmpint(hwh_access(BASE, &v, 1, true), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpint(hwh_access(BASE, &v, 8, true), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpint(hwh_access(BASE, &v, 2, true), ==, MEMTX_OK);
    g_assert_cmpint(hwh.shutdowns, ==, 3);
    hwh_destroy(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sifive-test/finisher", test_finisher);
    return g_test_run();
}
