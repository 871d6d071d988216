/*
 * Unit tests for virtio-net (hw/virtio/virtio-net.c) and the network
 * layer (net/net.c) through the virtio-mmio transport, with a test back
 * end in place of a -netdev: transmit, receive with and without mergeable
 * buffers, frames waiting for buffers, link status, and driver errors; and
 * the -netdev user option strings (net/slirp.c).
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-net.h"
#include "system/bql.h"
#include "virtio-harness.h"

/*
 * net/slirp.c (linked through the network layer) hands frames over in a
 * bottom half under the big lock; these tests use no slirp back end, so a
 * plain bottom half stands in.
 */
BH *bql_bh_new(BHFunc *cb, void *opaque)
{
    return bh_new(main_loop_default(), cb, opaque);
}

void bql_bh_delete(BH *bh)
{
    bh_delete(bh);
}

static GPtrArray *sent;

static bool backend_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    g_ptr_array_add(sent, g_bytes_new(buf, size));
    return true;
}

static const NetClientInfo backend_info = {
    .type = "test",
    .receive = backend_receive,
};

typedef struct Fixture {
    VirtIONet net;
    NetClientState *backend;
    VHDriver d;
} Fixture;

static void setup(Fixture *f, uint64_t features, bool legacy)
{
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    Error *err = NULL;

    memset(f, 0, sizeof(*f));
    vh_ram_reset();
    sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    f->backend = net_client_new(&backend_info, "n0", true, NULL);
    g_assert_true(virtio_net_realize(&f->net, f->backend, mac, true, &err));
    vh_driver_init(&f->d, &f->net.parent, legacy);
    g_assert_cmpuint(vh_driver_setup(&f->d, features, 2, 64) & VIRTIO_CONFIG_S_DRIVER_OK, !=, 0);
}

static void teardown(Fixture *f)
{
    vh_write(&f->d, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpint(vh_live_maps(), ==, 0);
    virtio_net_unrealize(&f->net);
    net_client_free(f->backend);
    g_ptr_array_free(sent, true);
}

static void test_config(void)
{
    Fixture f;
    uint8_t mac[6];
    unsigned i;

    setup(&f, ~0ULL, false);
    g_assert_cmphex(vh_read(&f.d, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_NET);
    for (i = 0; i < 6; i++) {
        mac[i] = virtio_mmio_read(&f.d.mmio, VIRTIO_MMIO_CONFIG + i, 1);
    }
    g_assert_cmpmem(mac, 6, "\x52\x54\x00\xaa\xbb\xcc", 6);
    g_assert_cmphex(virtio_mmio_read(&f.d.mmio, VIRTIO_MMIO_CONFIG + 6, 2), ==,
                    VIRTIO_NET_S_LINK_UP);
    net_client_set_link(f.backend, false);
    g_assert_cmphex(virtio_mmio_read(&f.d.mmio, VIRTIO_MMIO_CONFIG + 6, 2), ==, 0);
    g_assert_cmphex(vh_read(&f.d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG, !=, 0);
    net_client_set_link(f.backend, true);
    teardown(&f);
}

static void test_tx(void)
{
    Fixture f;
    uint64_t hdr, data;
    VHBuf b[2];
    uint32_t id;
    GBytes *frame;

    setup(&f, ~0ULL, false);
    hdr = vh_alloc(&f.d, 12);
    data = vh_alloc(&f.d, 60);
    memset(vh_gpa(data), 0x42, 60);
    b[0] = (VHBuf){ hdr, 12, false };
    b[1] = (VHBuf){ data, 60, false };
    vh_add_chain(&f.d, VIRTIO_NET_TX, b, 2);
    vh_kick(&f.d, VIRTIO_NET_TX);
    g_assert_true(vh_wait_used(&f.d, VIRTIO_NET_TX, &id, NULL, 5000));
    g_assert_cmpuint(sent->len, ==, 1);
    frame = g_ptr_array_index(sent, 0);
    g_assert_cmpuint(g_bytes_get_size(frame), ==, 60);
    g_assert_cmpuint(((const uint8_t *)g_bytes_get_data(frame, NULL))[59], ==, 0x42);
    /* A chain shorter than the header is a driver error. */
    b[0] = (VHBuf){ hdr, 6, false };
    vh_add_chain(&f.d, VIRTIO_NET_TX, b, 1);
    vh_kick(&f.d, VIRTIO_NET_TX);
    g_assert_false(vh_wait_used(&f.d, VIRTIO_NET_TX, &id, NULL, 200));
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, !=,
                     0);
    teardown(&f);
}

static uint8_t frame_byte(unsigned i)
{
    return (uint8_t)(i * 13 + 1);
}

static void send_frame(Fixture *f, size_t size)
{
    uint8_t *buf = g_malloc(size);
    unsigned i;

    for (i = 0; i < size; i++) {
        buf[i] = frame_byte(i);
    }
    net_send_packet(f->backend, buf, size);
    g_free(buf);
}

static void test_rx_simple(void)
{
    Fixture f;
    VHBuf b;
    uint32_t id, len;
    uint8_t *p;

    /* Not mergeable: one buffer per frame. */
    setup(&f, ~0ULL & ~(1ULL << VIRTIO_NET_F_MRG_RXBUF), false);
    b = (VHBuf){ vh_alloc(&f.d, 1526), 1526, true };
    memset(vh_gpa(b.addr), 0xff, 1526);
    vh_add_chain(&f.d, VIRTIO_NET_RX, &b, 1);
    vh_kick(&f.d, VIRTIO_NET_RX);
    send_frame(&f, 100);
    g_assert_true(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    g_assert_cmpuint(len, ==, 112);
    p = vh_gpa(b.addr);
    g_assert_cmpuint(p[0], ==, 0);
    g_assert_cmpuint(p[12], ==, frame_byte(0));
    g_assert_cmpuint(p[111], ==, frame_byte(99));
    g_assert_cmpint(f.d.irq_level, ==, 1);
    /* No buffer: the frame waits, and comes in when a buffer is added. */
    send_frame(&f, 80);
    g_assert_false(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    vh_add_chain(&f.d, VIRTIO_NET_RX, &b, 1);
    vh_kick(&f.d, VIRTIO_NET_RX);
    g_assert_true(vh_wait_used(&f.d, VIRTIO_NET_RX, &id, &len, 5000));
    g_assert_cmpuint(len, ==, 92);
    teardown(&f);
}

static void test_rx_mergeable(void)
{
    Fixture f;
    VHBuf b[4];
    uint16_t heads[4];
    uint32_t id, len;
    unsigned i;

    setup(&f, ~0ULL, false);
    g_assert_true(f.net.mergeable);
    for (i = 0; i < 4; i++) {
        b[i] = (VHBuf){ vh_alloc(&f.d, 64), 64, true };
        heads[i] = vh_add_chain(&f.d, VIRTIO_NET_RX, &b[i], 1);
    }
    send_frame(&f, 150); /* 12 + 150 = 64 + 64 + 34 */
    for (i = 0; i < 3; i++) {
        g_assert_true(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
        g_assert_cmpuint(id, ==, heads[i]);
        g_assert_cmpuint(len, ==, i < 2 ? 64 : 34);
    }
    g_assert_false(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    g_assert_cmpuint(vh_gpa(b[0].addr)[10], ==, 3); /* num_buffers */
    g_assert_cmpuint(vh_gpa(b[0].addr)[12], ==, frame_byte(0));
    g_assert_cmpuint(vh_gpa(b[1].addr)[0], ==, frame_byte(52));
    g_assert_cmpuint(vh_gpa(b[2].addr)[33], ==, frame_byte(149));
    /* One 64-byte buffer left: a 100-byte frame waits for more. */
    send_frame(&f, 100);
    g_assert_false(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    b[0] = (VHBuf){ vh_alloc(&f.d, 64), 64, true };
    vh_add_chain(&f.d, VIRTIO_NET_RX, &b[0], 1);
    vh_kick(&f.d, VIRTIO_NET_RX);
    g_assert_true(vh_wait_used(&f.d, VIRTIO_NET_RX, &id, &len, 5000));
    g_assert_cmpuint(id, ==, heads[3]);
    g_assert_true(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    g_assert_cmpuint(len, ==, 112 - 64);
    teardown(&f);
}

static void test_legacy_header(void)
{
    Fixture f;
    VHBuf b;
    uint32_t id, len;

    /* A legacy driver without MRG_RXBUF: 10-byte headers. */
    setup(&f, (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS), true);
    b = (VHBuf){ vh_alloc(&f.d, 1526), 1526, true };
    vh_add_chain(&f.d, VIRTIO_NET_RX, &b, 1);
    send_frame(&f, 60);
    g_assert_true(vh_get_used(&f.d, VIRTIO_NET_RX, &id, &len));
    g_assert_cmpuint(len, ==, 70);
    g_assert_cmpuint(vh_gpa(b.addr)[10], ==, frame_byte(0));
    teardown(&f);
}

static void expect_netdev_error(const char *opts, const char *fragment)
{
    Error *err = NULL;

    g_assert_null(net_netdev_add(opts, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), fragment)) {
        g_error("-netdev %s: '%s' lacks '%s'", opts, error_get_pretty(err), fragment);
    }
    error_free(err);
}

static void test_netdev_options(void)
{
    Error *err = NULL;
    NetClientState *nc;
    uint8_t mac[6];

    expect_netdev_error("user", "Parameter 'id' is missing");
    expect_netdev_error("tap,id=t0", "netdev backend type");
    expect_netdev_error("user,id=u0,bogus=1", "Invalid parameter 'bogus'");
    expect_netdev_error("user,id=u0,hostfwd=tcp::x-:22", "Bad host port");
    expect_netdev_error("user,id=u0,hostfwd=sctp::2222-:22", "Bad protocol name");
    expect_netdev_error("user,id=u0,hostfwd=tcp::2222", "No guest address");
    expect_netdev_error("user,id=u0,hostfwd=tcp::0-:0", "Bad guest port");
    expect_netdev_error("user,id=u0,hostfwd=tcp:1.2.3:0-:22", "Bad host address");
    expect_netdev_error("user,id=u0,net=10.0.2", "Parameter 'net'");
    /* Port 0: the host picks one.  Two rules, a custom network. */
    nc = net_netdev_add("user,id=u0,net=10.9.0.0/16,hostfwd=tcp:127.0.0.1:0-:22,"
                        "hostfwd=udp::0-10.9.0.15:53", &err);
    g_assert_nonnull(nc);
    g_assert_true(net_find_netdev("u0") == nc);
    expect_netdev_error("user,id=u0", "Duplicate ID 'u0'");
    net_start();
    net_client_free(nc);
    g_assert_null(net_find_netdev("u0"));

    g_assert_true(net_parse_macaddr("52:54:00:12:34:56", mac));
    g_assert_cmpuint(mac[5], ==, 0x56);
    g_assert_false(net_parse_macaddr("52:54:00:12:34", mac));
    g_assert_false(net_parse_macaddr("52:54:00:12:34:567", mac));
    g_assert_false(net_parse_macaddr("52:54:00:12:34:56:78", mac));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-net/config", test_config);
    g_test_add_func("/virtio-net/tx", test_tx);
    g_test_add_func("/virtio-net/rx-simple", test_rx_simple);
    g_test_add_func("/virtio-net/rx-mergeable", test_rx_mergeable);
    g_test_add_func("/virtio-net/legacy-header", test_legacy_header);
    g_test_add_func("/net/netdev-options", test_netdev_options);
    return g_test_run();
}
