/*
 * Unit tests for the virtio-mmio register model (hw/virtio/virtio-mmio.c):
 * the empty slot, identification, feature negotiation through the Sel
 * registers, queue setup in both versions, and the guest mistakes that
 * must be answered as QEMU does (wrong size, wrong direction, a register
 * of the other version, holes, out-of-range config and queue indexes).
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-mmio.h"
#include "virtio-harness.h"

static VirtIODevice dev;

static void handle(VirtIODevice *vdev, VirtQueue *vq)
{
}

static const VirtIODeviceOps dev_ops = { 0 };

static void make_dev(VHDriver *d, bool legacy)
{
    memset(&dev, 0, sizeof(dev));
    vh_ram_reset();
    virtio_init(&dev, "virtio-test", 42, 12, 1u << 3, &dev_ops, NULL);
    virtio_add_queue(&dev, 64, handle);
    virtio_add_queue(&dev, 256, handle);
    memcpy(dev.config, "ABCDEFGHIJKL", 12);
    vh_driver_init(d, &dev, legacy);
}

static void free_dev(VHDriver *d)
{
    vh_write(d, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpint(vh_live_maps(), ==, 0);
    virtio_cleanup(&dev);
}

static void test_empty_slot(void)
{
    VHDriver d;

    vh_driver_init(&d, NULL, false);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_MAGIC_VALUE), ==, VIRTIO_MMIO_MAGIC);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_VERSION), ==, 2);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_ID), ==, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_VENDOR_ID), ==, VIRTIO_MMIO_VENDOR);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG), ==, 0);
    vh_write(&d, VIRTIO_MMIO_STATUS, 0xff);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_STATUS), ==, 0);
    vh_driver_init(&d, NULL, true);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_VERSION), ==, 1);
}

static void test_identity_and_features(void)
{
    VHDriver d;

    make_dev(&d, false);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_MAGIC_VALUE), ==, VIRTIO_MMIO_MAGIC);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_ID), ==, 42);
    vh_write(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_FEATURES) & 0xff, ==, 1u << 3);
    vh_write(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_FEATURES), ==, 1); /* VERSION_1 */
    vh_write(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 7);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_FEATURES), ==, 0);
    g_assert_cmpuint(vh_driver_setup(&d, ~0ULL, 2, 256) & VIRTIO_CONFIG_S_FEATURES_OK, !=, 0);
    g_assert_true(virtio_vdev_has_feature(&dev, 3));
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_CONFIG_GENERATION), ==, 0);
    virtio_notify_config(&dev);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_CONFIG_GENERATION), ==, 1);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_INTERRUPT_STATUS), ==, VIRTIO_ISR_CONFIG);
    g_assert_cmpint(d.irq_level, ==, 1);
    vh_write(&d, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_CONFIG);
    g_assert_cmpint(d.irq_level, ==, 0);
    free_dev(&d);
}

static void test_queue_registers(void)
{
    VHDriver d;

    make_dev(&d, false);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 64);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 1);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 256);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 2);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);
    vh_write(&d, VIRTIO_MMIO_QUEUE_READY, 1); /* no such queue: logged */
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_READY), ==, 0);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 0xffffffff);
    vh_write(&d, VIRTIO_MMIO_QUEUE_NUM, 16);
    vh_write(&d, VIRTIO_MMIO_QUEUE_NOTIFY, 0xffff);
    g_assert_cmpuint(dev.status & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
    g_assert_cmpuint(vh_driver_setup(&d, ~0ULL, 2, 256) & VIRTIO_CONFIG_S_DRIVER_OK, !=, 0);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 1);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_READY), ==, 1);
    /* Changing a ready queue is ignored. */
    vh_write(&d, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
    g_assert_cmphex(virtio_queue_get_desc_addr(&dev, 1), ==, d.q[1].desc);
    vh_write(&d, VIRTIO_MMIO_QUEUE_READY, 0);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_READY), ==, 0);
    /* A queue size that is not a power of 2: NEEDS_RESET at QueueReady. */
    vh_write(&d, VIRTIO_MMIO_QUEUE_NUM, 100);
    vh_write(&d, VIRTIO_MMIO_QUEUE_READY, 1);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_QUEUE_READY), ==, 0);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, !=, 0);
    free_dev(&d);
}

static void test_legacy(void)
{
    VHDriver d;
    uint32_t id;

    make_dev(&d, true);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_VERSION), ==, 1);
    /* No VERSION_1 for a legacy driver. */
    vh_write(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_FEATURES), ==, 0);
    g_assert_cmpuint(vh_driver_setup(&d, ~0ULL, 2, 64) & VIRTIO_CONFIG_S_DRIVER_OK, !=, 0);
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_PFN), ==, d.q[0].desc >> 12);
    /* Modern-only registers do not exist here. */
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_READY), ==, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG_GENERATION), ==, 0);
    /* A chain goes through. */
    {
        VHBuf b = { vh_alloc(&d, 64), 64, true };
        VirtQueueElement *e;

        vh_add_chain(&d, 0, &b, 1);
        e = virtqueue_pop(virtio_get_queue(&dev, 0), sizeof(*e));
        g_assert_nonnull(e);
        virtqueue_push(virtio_get_queue(&dev, 0), e, 64);
        g_assert_true(vh_get_used(&d, 0, &id, NULL));
    }
    /* Writing PFN 0 stops the queue. */
    vh_write(&d, VIRTIO_MMIO_QUEUE_PFN, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_PFN), ==, 0);
    /* A legacy device has no NEEDS_RESET: a bad queue just stops it. */
    vh_write(&d, VIRTIO_MMIO_QUEUE_NUM, 3);
    vh_write(&d, VIRTIO_MMIO_QUEUE_PFN, d.q[0].desc >> 12);
    g_assert_true(dev.broken);
    g_assert_cmpuint(vh_read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
    free_dev(&d);
}

static void test_guest_mistakes(void)
{
    VHDriver d;

    make_dev(&d, false);
    /* Wrong sizes read 0, writes are dropped. */
    g_assert_cmphex(virtio_mmio_read(&d.mmio, VIRTIO_MMIO_MAGIC_VALUE, 1), ==, 0);
    g_assert_cmphex(virtio_mmio_read(&d.mmio, VIRTIO_MMIO_MAGIC_VALUE, 2), ==, 0);
    virtio_mmio_write(&d.mmio, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_STATUS), ==, 0);
    /* Misaligned and hole offsets. */
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_MAGIC_VALUE + 2), ==, 0);
    g_assert_cmphex(vh_read(&d, 0x018), ==, 0);
    vh_write(&d, 0x0f0, 1);
    /* Write-only registers read 0; read-only ones ignore writes. */
    vh_write(&d, VIRTIO_MMIO_QUEUE_SEL, 1);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_SEL), ==, 0);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 256);
    vh_write(&d, VIRTIO_MMIO_QUEUE_NUM_MAX, 4);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 256);
    vh_write(&d, VIRTIO_MMIO_DEVICE_ID, 7);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_ID), ==, 42);
    vh_write(&d, VIRTIO_MMIO_INTERRUPT_STATUS, 3);
    /* Legacy-only registers on a modern device. */
    vh_write(&d, VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_QUEUE_PFN), ==, 0);
    /* No shared memory regions. */
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_SHM_LEN_LOW), ==, 0xffffffff);
    /* Config space: any width inside, all ones outside. */
    g_assert_cmphex(virtio_mmio_read(&d.mmio, VIRTIO_MMIO_CONFIG + 1, 1), ==, 'B');
    g_assert_cmphex(virtio_mmio_read(&d.mmio, VIRTIO_MMIO_CONFIG + 2, 2), ==, 0x4443);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG + 8), ==, 0x4c4b4a49);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG + 12), ==, 0xffffffff);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG + 0xfc), ==, 0xffffffff);
    g_assert_cmphex(virtio_mmio_read(&d.mmio, VIRTIO_MMIO_CONFIG + 11, 2), ==, 0xffff);
    vh_write(&d, VIRTIO_MMIO_CONFIG + 12, 0);
    /* None of that broke the device. */
    g_assert_false(dev.broken);
    free_dev(&d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-mmio/empty-slot", test_empty_slot);
    g_test_add_func("/virtio-mmio/identity-and-features", test_identity_and_features);
    g_test_add_func("/virtio-mmio/queue-registers", test_queue_registers);
    g_test_add_func("/virtio-mmio/legacy", test_legacy);
    g_test_add_func("/virtio-mmio/guest-mistakes", test_guest_mistakes);
    return g_test_run();
}
