/*
 * The ACLINT (hw/intc/riscv-aclint.c): msip bits drive MSIP lines;
 * mtime counts at 10 MHz of the virtual clock and can be written; MTIP
 * follows mtime >= mtimecmp, through a timer when mtimecmp is ahead;
 * 32-bit halves and 64-bit accesses.
 */
#include <glib.h>
#include "hw-harness.h"
#include "hw/intc/riscv-aclint.h"

#define SWI_BASE 0x2000000
#define MT_BASE 0x2004000
#define MTIMECMP(h) (MT_BASE + (h) * 8)
#define MTIME (MT_BASE + 0x7ff8)

static void test_mswi(void)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_ACLINT_SWI);
    uint64_t v = 1;

    hwh_init();
    qdev_prop_set_uint32(dev, "num-harts", 2);
    hwh_create(dev, SWI_BASE);
    hwh_connect(dev, 0, 0);
    hwh_connect(dev, 1, 1);
    hwh_write32(SWI_BASE + 4, 1);
    g_assert_cmpint(hwh.level[1], ==, 1);
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_cmpuint(hwh_read32(SWI_BASE + 4), ==, 1);
    /* Only bit 0 is writable. */
    hwh_write32(SWI_BASE, 0xfffffffe);
    g_assert_cmpuint(hwh_read32(SWI_BASE), ==, 0);
    g_assert_cmpint(hwh.level[0], ==, 0);
    hwh_write32(SWI_BASE + 4, 0);
    g_assert_cmpint(hwh.level[1], ==, 0);
    /* Byte accesses are refused; beyond the harts is ignored. */
    g_assert_cmpint(hwh_access(SWI_BASE, &v, 1, true), ==, MEMTX_DECODE_ERROR);
    hwh_write32(SWI_BASE + 8, 1);
    g_assert_cmpuint(hwh_read32(SWI_BASE + 8), ==, 0);
    hwh_destroy(dev);
}

static void test_mtimer(void)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_ACLINT_MTIMER);
    uint64_t t0, t1;

    hwh_init();
    qdev_prop_set_uint32(dev, "num-harts", 2);
    hwh_create(dev, MT_BASE);
    hwh_connect(dev, 0, 0);
    hwh_connect(dev, 1, 1);
    /* Reset: mtimecmp all ones, no interrupt. */
    g_assert_cmphex(hwh_read64(MTIMECMP(0)), ==, UINT64_MAX);
    g_assert_cmpint(hwh.level[0], ==, 0);

    /* mtime counts at 10 MHz. */
    t0 = hwh_read64(MTIME);
    g_usleep(20000);
    t1 = hwh_read64(MTIME);
    g_assert_cmpuint(t1 - t0, >=, 150000);
    g_assert_cmpuint(t1 - t0, <, 10000000);
    /* The halves read the same counter. */
    g_assert_cmpuint(hwh_read32(MTIME + 4), ==, (uint32_t)(hwh_read64(MTIME) >> 32));

    /* mtimecmp in the past: MTIP at once. */
    hwh_write64(MTIMECMP(1), 0);
    g_assert_cmpint(hwh.level[1], ==, 1);
    g_assert_cmpint(hwh.level[0], ==, 0);
    /* Written as two halves, high first as OpenSBI does on RV32. */
    hwh_write32(MTIMECMP(1) + 4, 0xffffffff);
    g_assert_cmpint(hwh.level[1], ==, 0);
    hwh_write32(MTIMECMP(1), 0xffffffff);
    g_assert_cmphex(hwh_read64(MTIMECMP(1)), ==, UINT64_MAX);

    /* mtimecmp 5 ms ahead: the line rises by itself. */
    hwh_write64(MTIMECMP(0), hwh_read64(MTIME) + 50000);
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_true(hwh_run_until(&hwh.level[0], 2000));

    /* Writing mtime moves every comparison. */
    hwh_write64(MTIMECMP(0), 1000000000);
    g_assert_cmpint(hwh.level[0], ==, 0);
    hwh_write64(MTIME, 2000000000);
    g_assert_cmpint(hwh.level[0], ==, 1);
    g_assert_cmpuint(hwh_read64(MTIME), >=, 2000000000);
    hwh_write64(MTIME, 0);
    g_assert_cmpint(hwh.level[0], ==, 0);
    hwh_destroy(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/aclint/mswi", test_mswi);
    g_test_add_func("/aclint/mtimer", test_mtimer);
    return g_test_run();
}
