/*
 * Unit tests for virtio-rng (hw/virtio/virtio-rng.c) through the
 * virtio-mmio transport: buffers come back full of host randomness, with
 * the byte count in the used element; requests are capped in size.
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-rng.h"
#include "virtio-harness.h"

static bool all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

static void test_entropy(void)
{
    VirtIORNG rng = { 0 };
    VHDriver d;
    VHBuf b[2];
    uint32_t id, len;

    vh_ram_reset();
    virtio_rng_realize(&rng);
    vh_driver_init(&d, &rng.parent, false);
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_RNG);
    g_assert_cmpuint(vh_driver_setup(&d, ~0ULL, 1, 8) & VIRTIO_CONFIG_S_DRIVER_OK, !=, 0);
    b[0] = (VHBuf){ vh_alloc(&d, 32), 32, true };
    b[1] = (VHBuf){ vh_alloc(&d, 100), 100, true };
    vh_add_chain(&d, 0, b, 2);
    vh_kick(&d, 0);
    g_assert_true(vh_wait_used(&d, 0, &id, &len, 5000));
    g_assert_cmpuint(len, ==, 132);
    g_assert_false(all_zero(vh_gpa(b[0].addr), 32));
    g_assert_false(all_zero(vh_gpa(b[1].addr), 100));
    g_assert_cmpint(d.irq_level, ==, 1);

    /* A huge buffer gets at most VIRTIO_RNG_MAX_REQUEST bytes. */
    b[0] = (VHBuf){ vh_alloc(&d, 1 << 20), 1 << 20, true };
    vh_add_chain(&d, 0, b, 1);
    vh_kick(&d, 0);
    g_assert_true(vh_wait_used(&d, 0, &id, &len, 5000));
    g_assert_cmpuint(len, ==, VIRTIO_RNG_MAX_REQUEST);

    /* No config space: reads answer all ones. */
    g_assert_cmphex(vh_read(&d, VIRTIO_MMIO_CONFIG), ==, 0xffffffff);
    vh_write(&d, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpint(vh_live_maps(), ==, 0);
    virtio_rng_unrealize(&rng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-rng/entropy", test_entropy);
    return g_test_run();
}
