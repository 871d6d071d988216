/*
 * The PLIC (hw/intc/sifive-plic.c): priorities, enables and thresholds
 * per context, claim picks the highest priority (lowest id on ties),
 * claim/complete with level-triggered sources, output lines per context,
 * and the register rules (source 0, read-only pending, WARL priorities).
 */
#include <glib.h>
#include "hw-harness.h"
#include "hw/intc/sifive-plic.h"

#define BASE 0xc000000
#define PRIO(i) (BASE + 4 * (i))
#define PENDING(w) (BASE + 0x1000 + 4 * (w))
#define ENABLE(c, w) (BASE + 0x2000 + 0x80 * (c) + 4 * (w))
#define THRESHOLD(c) (BASE + 0x200000 + 0x1000 * (c))
#define CLAIM(c) (THRESHOLD(c) + 4)

static DeviceState *plic_setup(void)
{
    DeviceState *dev = qdev_new(TYPE_SIFIVE_PLIC);

    hwh_init();
    qdev_prop_set_string(dev, "hart-config", "MS,MS");
    qdev_prop_set_uint32(dev, "num-sources", 97);
    hwh_create(dev, BASE);
    for (int c = 0; c < 4; c++) {
        hwh_connect(dev, c, c);
    }
    return dev;
}

static void test_claim_complete(void)
{
    DeviceState *dev = plic_setup();
    qemu_irq src10 = qdev_get_gpio_in(dev, 10);

    /* Context 1 is hart 0's S-mode. */
    hwh_write32(PRIO(10), 1);
    hwh_write32(ENABLE(1, 0), 1u << 10);
    qemu_irq_raise(src10);
    g_assert_cmpuint(hwh_read32(PENDING(0)), ==, 1u << 10);
    g_assert_cmpint(hwh.level[1], ==, 1);
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_cmpint(hwh.level[3], ==, 0);

    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 10);
    /* In service: not pending, line down, a second claim finds nothing. */
    g_assert_cmpuint(hwh_read32(PENDING(0)), ==, 0);
    g_assert_cmpint(hwh.level[1], ==, 0);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 0);

    /* Completion with the line still high: pending again (level-triggered). */
    hwh_write32(CLAIM(1), 10);
    g_assert_cmpint(hwh.level[1], ==, 1);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 10);
    qemu_irq_lower(src10);
    hwh_write32(CLAIM(1), 10);
    g_assert_cmpint(hwh.level[1], ==, 0);
    g_assert_cmpuint(hwh_read32(PENDING(0)), ==, 0);

    /* A line that drops before the claim leaves nothing pending. */
    qemu_irq_raise(src10);
    qemu_irq_lower(src10);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 0);
    /* Completing a source the context does not enable is ignored. */
    qemu_irq_raise(src10);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 10);
    hwh_write32(CLAIM(0), 10);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 0);
    hwh_write32(CLAIM(1), 10);
    g_assert_cmpuint(hwh_read32(CLAIM(1)), ==, 10);
    hwh_destroy(dev);
}

static void test_priorities_thresholds(void)
{
    DeviceState *dev = plic_setup();

    hwh_write32(PRIO(3), 2);
    hwh_write32(PRIO(5), 5);
    hwh_write32(PRIO(40), 5);
    hwh_write32(ENABLE(2, 0), (1u << 3) | (1u << 5));
    hwh_write32(ENABLE(2, 1), 1u << (40 - 32));
    qemu_irq_raise(qdev_get_gpio_in(dev, 3));
    qemu_irq_raise(qdev_get_gpio_in(dev, 5));
    qemu_irq_raise(qdev_get_gpio_in(dev, 40));
    g_assert_cmpint(hwh.level[2], ==, 1);

    /* Threshold 5: nothing of priority <= 5 gets through. */
    hwh_write32(THRESHOLD(2), 5);
    g_assert_cmpint(hwh.level[2], ==, 0);
    g_assert_cmpuint(hwh_read32(CLAIM(2)), ==, 0);
    hwh_write32(THRESHOLD(2), 2);
    g_assert_cmpint(hwh.level[2], ==, 1);
    /* Equal priorities: the lowest id first; then the next. */
    g_assert_cmpuint(hwh_read32(CLAIM(2)), ==, 5);
    g_assert_cmpuint(hwh_read32(CLAIM(2)), ==, 40);
    /* Priority 2 is not above the threshold 2. */
    g_assert_cmpuint(hwh_read32(CLAIM(2)), ==, 0);
    hwh_write32(THRESHOLD(2), 0);
    g_assert_cmpuint(hwh_read32(CLAIM(2)), ==, 3);
    g_assert_cmpint(hwh.level[2], ==, 0);
    /* Priority 0 never interrupts. */
    hwh_write32(PRIO(7), 0);
    hwh_write32(ENABLE(2, 0), 1u << 7);
    qemu_irq_raise(qdev_get_gpio_in(dev, 7));
    g_assert_cmpint(hwh.level[2], ==, 0);
    hwh_destroy(dev);
}

static void test_registers(void)
{
    DeviceState *dev = plic_setup();
    uint64_t v = 0;

    /* WARL priorities and thresholds: at most 7. */
    hwh_write32(PRIO(1), 0xff);
    g_assert_cmpuint(hwh_read32(PRIO(1)), ==, 7);
    hwh_write32(THRESHOLD(0), 9);
    g_assert_cmpuint(hwh_read32(THRESHOLD(0)), ==, 7);
    /* Source 0 does not exist; bits beyond the sources read 0. */
    hwh_write32(ENABLE(0, 0), 0xffffffff);
    g_assert_cmphex(hwh_read32(ENABLE(0, 0)), ==, 0xfffffffe);
    hwh_write32(ENABLE(0, 3), 0xffffffff);
    g_assert_cmphex(hwh_read32(ENABLE(0, 3)), ==, 0x1);
    hwh_write32(PRIO(0), 5);
    g_assert_cmpuint(hwh_read32(PRIO(0)), ==, 0);
    /* Pending is read-only. */
    hwh_write32(PENDING(0), 0xffffffff);
    g_assert_cmpuint(hwh_read32(PENDING(0)), ==, 0);
    /* Only 32-bit accesses. */
    g_assert_cmpint(hwh_access(PRIO(1), &v, 1, false), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpint(hwh_access(PRIO(1), &v, 8, false), ==, MEMTX_DECODE_ERROR);
    /* Contexts that do not exist read 0. */
    g_assert_cmpuint(hwh_read32(CLAIM(9)), ==, 0);
    hwh_destroy(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plic/claim-complete", test_claim_complete);
    g_test_add_func("/plic/priorities-thresholds", test_priorities_thresholds);
    g_test_add_func("/plic/registers", test_registers);
    return g_test_run();
}
