/*
 * Unit tests for the split virtqueue (hw/virtio/virtqueue.c) and the device
 * core (hw/virtio/virtio.c), over a fake guest RAM: two adjacent RAM blocks
 * in separate host mappings with inaccessible guard pages around each, so a
 * device access outside guest RAM faults even without ASan.  The test plays
 * the driver: it lays out rings and descriptors as a guest would, including
 * a battery of hostile ones, each of which must end in DEVICE_NEEDS_RESET
 * with every mapping given back.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "hw/virtio/virtio.h"
#include "util/main-loop.h"

#define RAM_BASE  0x80000000ULL
#define BLOCK_SZ  (512 * 1024ULL)
#define QSIZE     16

/* Guest layout used by the tests. */
#define DESC_GPA  (RAM_BASE + 0x0000)
#define AVAIL_GPA (RAM_BASE + 0x1000)
#define USED_GPA  (RAM_BASE + 0x2000)
#define ITAB_GPA  (RAM_BASE + 0x3000)
#define DATA_GPA  (RAM_BASE + 0x10000)

typedef struct FakeRam {
    uint8_t *block[2];
    uint8_t *mapping[2];
    size_t page;
    int live_maps;
    int map_calls;
    uint64_t dirty_bytes;
} FakeRam;

static FakeRam ram;
static VirtIODevice vdev;
static VirtQueue *vq;
static int irq_updates;
static int handled;

static void *fake_map(void *opaque, uint64_t addr, uint64_t *plen, bool is_write)
{
    FakeRam *r = opaque;
    uint64_t end = RAM_BASE + 2 * BLOCK_SZ;
    unsigned b;
    uint64_t off;

    r->map_calls++;
    if (addr < RAM_BASE || addr >= end || *plen == 0) {
        return NULL;
    }
    b = (addr - RAM_BASE) / BLOCK_SZ;
    off = (addr - RAM_BASE) % BLOCK_SZ;
    if (*plen > BLOCK_SZ - off) {
        *plen = BLOCK_SZ - off;
    }
    r->live_maps++;
    return r->block[b] + off;
}

static void fake_unmap(void *opaque, void *host, uint64_t addr, uint64_t len, uint64_t written)
{
    FakeRam *r = opaque;

    g_assert_cmpuint(written, <=, len);
    r->live_maps--;
    r->dirty_bytes += written;
}

static void fake_dirty(void *opaque, uint64_t addr, uint64_t len)
{
    g_assert_cmpuint(addr, >=, RAM_BASE);
    g_assert_cmpuint(addr + len, <=, RAM_BASE + 2 * BLOCK_SZ);
}

static const VirtIOGuestMem fake_mem = {
    .opaque = &ram,
    .map = fake_map,
    .unmap = fake_unmap,
    .dirty = fake_dirty,
};

static uint8_t *gpa(uint64_t a)
{
    g_assert_cmpuint(a, >=, RAM_BASE);
    g_assert_cmpuint(a, <, RAM_BASE + 2 * BLOCK_SZ);
    return ram.block[(a - RAM_BASE) / BLOCK_SZ] + (a - RAM_BASE) % BLOCK_SZ;
}

static void put16(uint64_t a, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(gpa(a), &v, 2);
}

static uint16_t get16(uint64_t a)
{
    uint16_t v;

    memcpy(&v, gpa(a), 2);
    return GUINT16_FROM_LE(v);
}

static uint32_t get32(uint64_t a)
{
    uint32_t v;

    memcpy(&v, gpa(a), 4);
    return GUINT32_FROM_LE(v);
}

static void put_desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                        uint16_t next)
{
    uint8_t *p = gpa(table + 16ULL * i);
    uint64_t a = GUINT64_TO_LE(addr);
    uint32_t l = GUINT32_TO_LE(len);
    uint16_t f = GUINT16_TO_LE(flags), n = GUINT16_TO_LE(next);

    memcpy(p, &a, 8);
    memcpy(p + 8, &l, 4);
    memcpy(p + 12, &f, 2);
    memcpy(p + 14, &n, 2);
}

static void put_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    put_desc_at(DESC_GPA, i, addr, len, flags, next);
}

static uint16_t drv_avail_idx;

static void drv_make_avail(uint16_t head)
{
    put16(AVAIL_GPA + 4 + 2 * (drv_avail_idx % QSIZE), head);
    drv_avail_idx++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    put16(AVAIL_GPA + 2, drv_avail_idx);
}

static void update_irq(void *transport, VirtIODevice *d)
{
    irq_updates++;
}

static const VirtIOTransportOps test_transport = {
    .update_irq = update_irq,
};

static void handle_queue(VirtIODevice *d, VirtQueue *q)
{
    handled++;
}

static const VirtIODeviceOps test_ops = { 0 };

static uint8_t *guarded_block(uint8_t **mapping)
{
    size_t page = ram.page;
    uint8_t *m = mmap(NULL, BLOCK_SZ + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    g_assert(m != MAP_FAILED);
    g_assert_cmpint(mprotect(m + page, BLOCK_SZ, PROT_READ | PROT_WRITE), ==, 0);
    *mapping = m;
    return m + page;
}

static void setup(uint64_t features)
{
    memset(&vdev, 0, sizeof(vdev));
    memset(ram.block[0], 0, BLOCK_SZ);
    memset(ram.block[1], 0, BLOCK_SZ);
    ram.live_maps = 0;
    ram.dirty_bytes = 0;
    irq_updates = 0;
    handled = 0;
    drv_avail_idx = 0;
    virtio_init(&vdev, "virtio-test", 99, 8, 0, &test_ops, NULL);
    virtio_set_guest_mem(&vdev, &fake_mem);
    virtio_bind_transport(&vdev, &test_transport, NULL);
    vq = virtio_add_queue(&vdev, QSIZE, handle_queue);
    vdev.guest_features = features | (1ULL << VIRTIO_F_VERSION_1);
    vdev.status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK;
    virtio_queue_set_num(&vdev, 0, QSIZE);
    virtio_queue_set_addrs(&vdev, 0, DESC_GPA, AVAIL_GPA, USED_GPA);
    g_assert_true(virtio_queue_enable(&vdev, 0));
    g_assert_cmpint(ram.live_maps, ==, 3);
}

static void teardown(void)
{
    virtio_reset(&vdev);
    g_assert_cmpint(ram.live_maps, ==, 0);
    virtio_cleanup(&vdev);
}

static const uint64_t all_features =
    (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | (1ULL << VIRTIO_RING_F_EVENT_IDX);

/* ---- well-formed chains ------------------------------------------------- */

static void test_good_chain(void)
{
    VirtQueueElement *e;

    setup(all_features);
    put_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT, 1);
    put_desc(1, DATA_GPA + 0x100, 512, VRING_DESC_F_NEXT, 2);
    put_desc(2, DATA_GPA + 0x400, 1, VRING_DESC_F_WRITE, 0);
    drv_make_avail(0);
    g_assert_false(virtio_queue_empty(vq));
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->index, ==, 0);
    g_assert_cmpuint(e->out_num, ==, 2);
    g_assert_cmpuint(e->in_num, ==, 1);
    g_assert_true(e->out_sg[0].iov_base == gpa(DATA_GPA));
    g_assert_cmpuint(e->out_sg[1].iov_len, ==, 512);
    g_assert_true(e->in_sg[0].iov_base == gpa(DATA_GPA + 0x400));
    g_assert_cmpuint(e->in_addr[0], ==, DATA_GPA + 0x400);
    /* EVENT_IDX: the device asked to be kicked at the next avail index. */
    g_assert_cmpuint(get16(USED_GPA + 4 + 8 * QSIZE), ==, 1);
    *(uint8_t *)e->in_sg[0].iov_base = 0x5a;
    virtqueue_push(vq, e, 1);
    g_assert_cmpuint(get16(USED_GPA + 2), ==, 1);
    g_assert_cmpuint(get32(USED_GPA + 4), ==, 0);
    g_assert_cmpuint(get32(USED_GPA + 8), ==, 1);
    g_assert_cmpuint(ram.dirty_bytes, ==, 1);
    virtio_notify(&vdev, vq);
    g_assert_cmpuint(vdev.isr & VIRTIO_ISR_VQ, !=, 0);
    g_assert_cmpint(irq_updates, >, 0);
    g_assert_true(virtio_queue_empty(vq));
    g_assert_null(virtqueue_pop(vq, sizeof(*e)));
    g_assert_false(vdev.broken);
    g_assert_cmpint(ram.live_maps, ==, 3);
    teardown();
}

static void test_many_chains_wrap(void)
{
    VirtQueueElement *e;
    unsigned i;

    setup(0);
    /* More than 65536 buffers: the 16-bit indexes wrap on both sides. */
    for (i = 0; i < 70000; i++) {
        put_desc(i % QSIZE, DATA_GPA + 64 * (i % QSIZE), 64, VRING_DESC_F_WRITE, 0);
        drv_make_avail(i % QSIZE);
        e = virtqueue_pop(vq, sizeof(*e));
        g_assert_nonnull(e);
        g_assert_cmpuint(e->index, ==, i % QSIZE);
        virtqueue_push(vq, e, 64);
    }
    g_assert_cmpuint(get16(USED_GPA + 2), ==, (uint16_t)70000);
    g_assert_false(vdev.broken);
    teardown();
}

static void test_indirect(void)
{
    VirtQueueElement *e;

    setup(all_features);
    put_desc_at(ITAB_GPA, 0, DATA_GPA, 16, VRING_DESC_F_NEXT, 2);
    put_desc_at(ITAB_GPA, 2, DATA_GPA + 0x100, 100, VRING_DESC_F_NEXT, 1);
    put_desc_at(ITAB_GPA, 1, DATA_GPA + 0x200, 1, VRING_DESC_F_WRITE, 0);
    /* The WRITE flag of the descriptor naming the table is ignored (2.7.5.3.2). */
    put_desc(3, ITAB_GPA, 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE, 0);
    drv_make_avail(3);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->index, ==, 3);
    g_assert_cmpuint(e->out_num, ==, 2);
    g_assert_cmpuint(e->in_num, ==, 1);
    g_assert_true(e->out_sg[1].iov_base == gpa(DATA_GPA + 0x100));
    g_assert_cmpint(ram.live_maps, ==, 3 + 3);
    virtqueue_push(vq, e, 1);
    g_assert_cmpint(ram.live_maps, ==, 3);
    teardown();
}

static void test_direct_then_indirect(void)
{
    VirtQueueElement *e;

    setup(all_features);
    put_desc_at(ITAB_GPA, 0, DATA_GPA + 0x100, 8, VRING_DESC_F_WRITE, 0);
    put_desc(5, DATA_GPA, 16, VRING_DESC_F_NEXT, 6);
    put_desc(6, ITAB_GPA, 16, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(5);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->out_num, ==, 1);
    g_assert_cmpuint(e->in_num, ==, 1);
    virtqueue_push(vq, e, 8);
    teardown();
}

static void test_split_across_blocks(void)
{
    VirtQueueElement *e;
    uint64_t a = RAM_BASE + BLOCK_SZ - 100;

    setup(0);
    put_desc(0, a, 300, VRING_DESC_F_WRITE, 0);
    drv_make_avail(0);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->in_num, ==, 2);
    g_assert_cmpuint(e->in_sg[0].iov_len, ==, 100);
    g_assert_cmpuint(e->in_sg[1].iov_len, ==, 200);
    g_assert_cmpuint(e->in_addr[1], ==, RAM_BASE + BLOCK_SZ);
    g_assert_true(e->in_sg[1].iov_base == ram.block[1]);
    virtqueue_push(vq, e, 150);
    g_assert_cmpuint(ram.dirty_bytes, ==, 150);
    teardown();
}

static void test_unpop(void)
{
    VirtQueueElement *e;

    setup(0);
    put_desc(2, DATA_GPA, 8, 0, 0);
    drv_make_avail(2);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    virtqueue_unpop(vq, e);
    g_assert_false(virtio_queue_empty(vq));
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    g_assert_cmpuint(e->index, ==, 2);
    virtqueue_detach_element(vq, e);
    teardown();
}

/* ---- notification suppression ------------------------------------------- */

static void pop_push_one(unsigned head)
{
    VirtQueueElement *e;

    put_desc(head, DATA_GPA, 8, VRING_DESC_F_WRITE, 0);
    drv_make_avail(head);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    virtqueue_push(vq, e, 0);
}

static bool notified(void)
{
    bool n;

    vdev.isr = 0;
    virtio_notify(&vdev, vq);
    n = vdev.isr & VIRTIO_ISR_VQ;
    vdev.isr = 0;
    return n;
}

static void test_event_idx(void)
{
    setup(all_features);
    /* used_event = 2: interrupt when the used index passes 2, i.e. reaches 3. */
    put16(AVAIL_GPA + 4 + 2 * QSIZE, 2);
    pop_push_one(0);
    g_assert_true(notified()); /* the first one always interrupts */
    pop_push_one(1);
    g_assert_false(notified());
    pop_push_one(2);
    g_assert_true(notified());
    pop_push_one(3);
    g_assert_false(notified());
    /* The flags are ignored when EVENT_IDX was negotiated. */
    put16(AVAIL_GPA, 0);
    put16(AVAIL_GPA + 4 + 2 * QSIZE, 4);
    pop_push_one(4);
    g_assert_true(notified());
    /* Disabled notifications leave avail_event alone; enabling sets it to avail idx. */
    virtio_queue_set_notification(vq, false);
    put_desc(5, DATA_GPA, 8, 0, 0);
    drv_make_avail(5);
    virtqueue_detach_element(vq, virtqueue_pop(vq, sizeof(VirtQueueElement)));
    g_assert_cmpuint(get16(USED_GPA + 4 + 8 * QSIZE), ==, 5);
    virtio_queue_set_notification(vq, true);
    g_assert_cmpuint(get16(USED_GPA + 4 + 8 * QSIZE), ==, 6);
    teardown();
}

static void test_flags_suppression(void)
{
    setup(0);
    pop_push_one(0);
    g_assert_true(notified());
    put16(AVAIL_GPA, VRING_AVAIL_F_NO_INTERRUPT);
    pop_push_one(1);
    g_assert_false(notified());
    put16(AVAIL_GPA, 0);
    pop_push_one(2);
    g_assert_true(notified());
    virtio_queue_set_notification(vq, false);
    g_assert_cmpuint(get16(USED_GPA), ==, VRING_USED_F_NO_NOTIFY);
    virtio_queue_set_notification(vq, true);
    g_assert_cmpuint(get16(USED_GPA), ==, 0);
    teardown();
}

static void test_kick_runs_handler(void)
{
    setup(0);
    virtio_queue_notify(&vdev, 0);
    virtio_queue_notify(&vdev, 0);
    virtio_queue_notify(&vdev, 7); /* no such queue: logged, ignored */
    while (main_loop_wait(main_loop_default(), false)) {
    }
    g_assert_cmpint(handled, ==, 1);
    teardown();
}

/* ---- hostile descriptors -------------------------------------------------- */

/* Pop must fail, break the device, and give back every mapping. */
static void expect_rejected(void)
{
    int maps = ram.live_maps;

    g_assert_null(virtqueue_pop(vq, sizeof(VirtQueueElement)));
    g_assert_true(vdev.broken);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, !=, 0);
    g_assert_cmpuint(vdev.isr & VIRTIO_ISR_CONFIG, !=, 0);
    g_assert_cmpint(ram.live_maps, ==, maps);
    /* A broken device does nothing more until reset. */
    g_assert_null(virtqueue_pop(vq, sizeof(VirtQueueElement)));
    teardown();
}

static void test_bad_addr_outside_ram(void)
{
    setup(all_features);
    put_desc(0, 0x1000, 64, 0, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_addr_past_end(void)
{
    setup(all_features);
    put_desc(0, RAM_BASE + 2 * BLOCK_SZ - 8, 64, VRING_DESC_F_WRITE, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_addr_overflow(void)
{
    setup(all_features);
    put_desc(0, 0xfffffffffffffff0ULL, 0x100, 0, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_huge_len(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 0xffffffffu, VRING_DESC_F_WRITE, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_zero_len(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 0, 0, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_head(void)
{
    setup(all_features);
    drv_make_avail(QSIZE);
    expect_rejected();
}

static void test_bad_head_large(void)
{
    setup(all_features);
    drv_make_avail(0xffff);
    expect_rejected();
}

static void test_bad_next(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 8, VRING_DESC_F_NEXT, QSIZE);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_loop(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 8, VRING_DESC_F_NEXT, 1);
    put_desc(1, DATA_GPA, 8, VRING_DESC_F_NEXT, 2);
    put_desc(2, DATA_GPA, 8, VRING_DESC_F_NEXT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_self_loop(void)
{
    setup(all_features);
    put_desc(4, DATA_GPA, 8, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 4);
    drv_make_avail(4);
    expect_rejected();
}

static void test_bad_order(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 8, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
    put_desc(1, DATA_GPA + 8, 8, 0, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_avail_jump(void)
{
    setup(all_features);
    put_desc(0, DATA_GPA, 8, 0, 0);
    put16(AVAIL_GPA + 2, QSIZE + 1);
    expect_rejected();
}

static void test_bad_nested_indirect(void)
{
    setup(all_features);
    put_desc_at(ITAB_GPA, 0, ITAB_GPA + 0x100, 16, VRING_DESC_F_INDIRECT, 0);
    put_desc_at(ITAB_GPA + 0x100, 0, DATA_GPA, 8, 0, 0);
    put_desc(0, ITAB_GPA, 16, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_len(void)
{
    setup(all_features);
    put_desc(0, ITAB_GPA, 17, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_zero(void)
{
    setup(all_features);
    put_desc(0, ITAB_GPA, 0, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_huge(void)
{
    setup(all_features);
    put_desc(0, ITAB_GPA, (VIRTQUEUE_MAX_SIZE + 1) * 16, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_outside(void)
{
    setup(all_features);
    put_desc(0, RAM_BASE + 2 * BLOCK_SZ - 16, 32, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_loop(void)
{
    setup(all_features);
    put_desc_at(ITAB_GPA, 0, DATA_GPA, 8, VRING_DESC_F_NEXT, 1);
    put_desc_at(ITAB_GPA, 1, DATA_GPA, 8, VRING_DESC_F_NEXT, 0);
    put_desc(0, ITAB_GPA, 32, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_next_out(void)
{
    setup(all_features);
    put_desc_at(ITAB_GPA, 0, DATA_GPA, 8, VRING_DESC_F_NEXT, 2);
    put_desc(0, ITAB_GPA, 32, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_with_next(void)
{
    setup(all_features);
    put_desc_at(ITAB_GPA, 0, DATA_GPA, 8, 0, 0);
    put_desc(0, ITAB_GPA, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
    put_desc(1, DATA_GPA, 8, 0, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_indirect_not_negotiated(void)
{
    setup(0);
    put_desc_at(ITAB_GPA, 0, DATA_GPA, 8, 0, 0);
    put_desc(0, ITAB_GPA, 16, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_too_many_segments(void)
{
    unsigned i;

    setup(all_features);
    /* 1024 entries, each spanning the block boundary: 2048 pieces. */
    for (i = 0; i < VIRTQUEUE_MAX_SIZE; i++) {
        put_desc_at(RAM_BASE + 0x20000, i, RAM_BASE + BLOCK_SZ - 4, 8,
                    VRING_DESC_F_WRITE | (i + 1 < VIRTQUEUE_MAX_SIZE ? VRING_DESC_F_NEXT : 0),
                    i + 1);
    }
    put_desc(0, RAM_BASE + 0x20000, VIRTQUEUE_MAX_SIZE * 16, VRING_DESC_F_INDIRECT, 0);
    drv_make_avail(0);
    expect_rejected();
}

static void test_bad_inuse_overflow(void)
{
    VirtQueueElement *e[QSIZE];
    unsigned i;

    setup(all_features);
    put_desc(0, DATA_GPA, 8, 0, 0);
    /* The same head made available again and again while the device holds it. */
    for (i = 0; i < QSIZE; i++) {
        drv_make_avail(0);
        e[i] = virtqueue_pop(vq, sizeof(VirtQueueElement));
        g_assert_nonnull(e[i]);
    }
    drv_make_avail(0);
    g_assert_null(virtqueue_pop(vq, sizeof(VirtQueueElement)));
    g_assert_true(vdev.broken);
    for (i = 0; i < QSIZE; i++) {
        virtqueue_detach_element(vq, e[i]);
    }
    teardown();
}

/* ---- queue setup and the device core -------------------------------------- */

static void expect_enable_fails(unsigned num, uint64_t d, uint64_t a, uint64_t u)
{
    setup(0);
    virtio_reset(&vdev);
    vdev.status = VIRTIO_CONFIG_S_DRIVER_OK;
    virtio_queue_set_num(&vdev, 0, num);
    virtio_queue_set_addrs(&vdev, 0, d, a, u);
    g_assert_false(virtio_queue_enable(&vdev, 0));
    g_assert_false(virtio_queue_ready(&vdev, 0));
    g_assert_true(vdev.broken);
    g_assert_cmpint(ram.live_maps, ==, 0);
    teardown();
}

static void test_bad_queue_setup(void)
{
    expect_enable_fails(12, DESC_GPA, AVAIL_GPA, USED_GPA);
    expect_enable_fails(0, DESC_GPA, AVAIL_GPA, USED_GPA);
    expect_enable_fails(QSIZE * 2, DESC_GPA, AVAIL_GPA, USED_GPA);
    expect_enable_fails(QSIZE, DESC_GPA + 8, AVAIL_GPA, USED_GPA);
    expect_enable_fails(QSIZE, DESC_GPA, AVAIL_GPA + 1, USED_GPA);
    expect_enable_fails(QSIZE, DESC_GPA, AVAIL_GPA, USED_GPA + 2);
    expect_enable_fails(QSIZE, 0x1000, AVAIL_GPA, USED_GPA);
    expect_enable_fails(QSIZE, DESC_GPA, AVAIL_GPA, RAM_BASE + 2 * BLOCK_SZ - 16);
    expect_enable_fails(QSIZE, 0xfffffffffffffff0ULL, AVAIL_GPA, USED_GPA);
}

static void test_reset_recovers(void)
{
    VirtQueueElement *e;

    setup(all_features);
    drv_make_avail(QSIZE + 3);
    g_assert_null(virtqueue_pop(vq, sizeof(*e)));
    g_assert_true(vdev.broken);
    virtio_set_status(&vdev, 0);
    g_assert_false(vdev.broken);
    g_assert_cmpuint(vdev.status, ==, 0);
    g_assert_cmpuint(vdev.isr, ==, 0);
    g_assert_false(virtio_queue_ready(&vdev, 0));
    memset(ram.block[0], 0, 0x3000);
    drv_avail_idx = 0;
    virtio_queue_set_num(&vdev, 0, QSIZE);
    virtio_queue_set_addrs(&vdev, 0, DESC_GPA, AVAIL_GPA, USED_GPA);
    vdev.guest_features = all_features | (1ULL << VIRTIO_F_VERSION_1);
    g_assert_true(virtio_queue_enable(&vdev, 0));
    put_desc(1, DATA_GPA, 8, 0, 0);
    drv_make_avail(1);
    e = virtqueue_pop(vq, sizeof(*e));
    g_assert_nonnull(e);
    virtqueue_push(vq, e, 0);
    teardown();
}

static void test_features(void)
{
    setup(0);
    virtio_reset(&vdev);
    g_assert_cmpuint(virtio_get_host_features_word(&vdev, 1), ==, 1); /* VERSION_1 */
    g_assert_cmpuint(virtio_get_host_features_word(&vdev, 0) & (1u << VIRTIO_RING_F_EVENT_IDX),
                     !=, 0);
    g_assert_cmpuint(virtio_get_host_features_word(&vdev, 2), ==, 0);
    virtio_set_status(&vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    /* Without VERSION_1 a modern device refuses FEATURES_OK. */
    virtio_set_guest_features_word(&vdev, 0, 0);
    virtio_set_guest_features_word(&vdev, 1, 0);
    virtio_set_status(&vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                 VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_FEATURES_OK, ==, 0);
    /* A feature that was not offered: refused too. */
    virtio_set_guest_features_word(&vdev, 1, 1 | 2);
    virtio_set_status(&vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                 VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_FEATURES_OK, ==, 0);
    virtio_set_guest_features_word(&vdev, 1, 1);
    virtio_set_guest_features_word(&vdev, 0, 1u << VIRTIO_RING_F_EVENT_IDX);
    virtio_set_status(&vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                 VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_FEATURES_OK, !=, 0);
    /* Frozen after FEATURES_OK. */
    virtio_set_guest_features_word(&vdev, 0, 0);
    g_assert_true(virtio_vdev_has_feature(&vdev, VIRTIO_RING_F_EVENT_IDX));
    /* The driver cannot set NEEDS_RESET itself. */
    virtio_set_status(&vdev, vdev.status | VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
    g_assert_cmpuint(vdev.status & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
    teardown();
}

static void test_config_space(void)
{
    setup(0);
    memcpy(vdev.config, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    g_assert_cmphex(virtio_config_read(&vdev, 0, 4), ==, 0x04030201);
    g_assert_cmphex(virtio_config_read(&vdev, 6, 2), ==, 0x0807);
    g_assert_cmphex(virtio_config_read(&vdev, 7, 1), ==, 0x08);
    g_assert_cmphex(virtio_config_read(&vdev, 6, 4), ==, 0xffffffff);
    g_assert_cmphex(virtio_config_read(&vdev, 8, 1), ==, 0xff);
    g_assert_cmphex(virtio_config_read(&vdev, 0xfffffffe, 4), ==, 0xffffffff);
    g_assert_cmphex(virtio_config_read(&vdev, 0, 3), ==, 0xffffff);
    virtio_config_write(&vdev, 2, 2, 0xbbaa);
    g_assert_cmphex(virtio_config_read(&vdev, 0, 4), ==, 0xbbaa0201);
    virtio_config_write(&vdev, 7, 4, 0);
    g_assert_cmphex(virtio_config_read(&vdev, 4, 4), ==, 0x08070605);
    teardown();
}

static void test_legacy_layout(void)
{
    setup(0);
    virtio_reset(&vdev);
    virtio_queue_set_num(&vdev, 0, 16);
    virtio_queue_set_legacy_layout(&vdev, 0, DESC_GPA, 4096);
    g_assert_cmphex(virtio_queue_get_avail_addr(&vdev, 0), ==, DESC_GPA + 256);
    g_assert_cmphex(virtio_queue_get_used_addr(&vdev, 0), ==, DESC_GPA + 4096);
    virtio_queue_set_num(&vdev, 0, 256);
    virtio_queue_set_legacy_layout(&vdev, 0, DESC_GPA, 4096);
    /* 4096 + 2 * (3 + 256) = 4614 -> 8192 */
    g_assert_cmphex(virtio_queue_get_used_addr(&vdev, 0), ==, DESC_GPA + 8192);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ram.page = sysconf(_SC_PAGESIZE);
    ram.block[0] = guarded_block(&ram.mapping[0]);
    ram.block[1] = guarded_block(&ram.mapping[1]);

    g_test_add_func("/virtqueue/good-chain", test_good_chain);
    g_test_add_func("/virtqueue/many-chains-wrap", test_many_chains_wrap);
    g_test_add_func("/virtqueue/indirect", test_indirect);
    g_test_add_func("/virtqueue/direct-then-indirect", test_direct_then_indirect);
    g_test_add_func("/virtqueue/split-across-blocks", test_split_across_blocks);
    g_test_add_func("/virtqueue/unpop", test_unpop);
    g_test_add_func("/virtqueue/event-idx", test_event_idx);
    g_test_add_func("/virtqueue/flags-suppression", test_flags_suppression);
    g_test_add_func("/virtqueue/kick-runs-handler", test_kick_runs_handler);
    g_test_add_func("/virtqueue/hostile/addr-outside-ram", test_bad_addr_outside_ram);
    g_test_add_func("/virtqueue/hostile/addr-past-end", test_bad_addr_past_end);
    g_test_add_func("/virtqueue/hostile/addr-overflow", test_bad_addr_overflow);
    g_test_add_func("/virtqueue/hostile/huge-len", test_bad_huge_len);
    g_test_add_func("/virtqueue/hostile/zero-len", test_bad_zero_len);
    g_test_add_func("/virtqueue/hostile/head-index", test_bad_head);
    g_test_add_func("/virtqueue/hostile/head-index-large", test_bad_head_large);
    g_test_add_func("/virtqueue/hostile/next-index", test_bad_next);
    g_test_add_func("/virtqueue/hostile/loop", test_bad_loop);
    g_test_add_func("/virtqueue/hostile/self-loop", test_bad_self_loop);
    g_test_add_func("/virtqueue/hostile/readable-after-writable", test_bad_order);
    g_test_add_func("/virtqueue/hostile/avail-idx-jump", test_bad_avail_jump);
    g_test_add_func("/virtqueue/hostile/nested-indirect", test_bad_nested_indirect);
    g_test_add_func("/virtqueue/hostile/indirect-len", test_bad_indirect_len);
    g_test_add_func("/virtqueue/hostile/indirect-zero", test_bad_indirect_zero);
    g_test_add_func("/virtqueue/hostile/indirect-huge", test_bad_indirect_huge);
    g_test_add_func("/virtqueue/hostile/indirect-outside", test_bad_indirect_outside);
    g_test_add_func("/virtqueue/hostile/indirect-loop", test_bad_indirect_loop);
    g_test_add_func("/virtqueue/hostile/indirect-next-out", test_bad_indirect_next_out);
    g_test_add_func("/virtqueue/hostile/indirect-with-next", test_bad_indirect_with_next);
    g_test_add_func("/virtqueue/hostile/indirect-not-negotiated",
                    test_bad_indirect_not_negotiated);
    g_test_add_func("/virtqueue/hostile/too-many-segments", test_bad_too_many_segments);
    g_test_add_func("/virtqueue/hostile/inuse-overflow", test_bad_inuse_overflow);
    g_test_add_func("/virtqueue/hostile/queue-setup", test_bad_queue_setup);
    g_test_add_func("/virtqueue/reset-recovers", test_reset_recovers);
    g_test_add_func("/virtio/features", test_features);
    g_test_add_func("/virtio/config-space", test_config_space);
    g_test_add_func("/virtio/legacy-layout", test_legacy_layout);
    return g_test_run();
}
