/*
 * The fake guest of virtio-harness.h: guarded fake RAM and a small driver
 * speaking to the virtio-mmio transport.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "util/main-loop.h"
#include "virtio-harness.h"

static uint8_t *ram_block[2];
static int live_maps;

static uint8_t *guarded_block(void)
{
    size_t page = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, VH_BLOCK_SZ + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    g_assert(m != MAP_FAILED);
    g_assert_cmpint(mprotect(m + page, VH_BLOCK_SZ, PROT_READ | PROT_WRITE), ==, 0);
    return m + page;
}

void vh_ram_reset(void)
{
    if (!ram_block[0]) {
        ram_block[0] = guarded_block();
        ram_block[1] = guarded_block();
    }
    memset(ram_block[0], 0, VH_BLOCK_SZ);
    memset(ram_block[1], 0, VH_BLOCK_SZ);
    live_maps = 0;
}

uint8_t *vh_gpa(uint64_t a)
{
    g_assert_cmpuint(a, >=, VH_RAM_BASE);
    g_assert_cmpuint(a, <, VH_RAM_BASE + VH_RAM_SIZE);
    return ram_block[(a - VH_RAM_BASE) / VH_BLOCK_SZ] + (a - VH_RAM_BASE) % VH_BLOCK_SZ;
}

int vh_live_maps(void)
{
    return live_maps;
}

static void *vh_map(void *opaque, uint64_t addr, uint64_t *plen, bool is_write)
{
    uint64_t off;

    if (addr < VH_RAM_BASE || addr >= VH_RAM_BASE + VH_RAM_SIZE || *plen == 0) {
        return NULL;
    }
    off = (addr - VH_RAM_BASE) % VH_BLOCK_SZ;
    if (*plen > VH_BLOCK_SZ - off) {
        *plen = VH_BLOCK_SZ - off;
    }
    live_maps++;
    return vh_gpa(addr);
}

static void vh_unmap(void *opaque, void *host, uint64_t addr, uint64_t len, uint64_t written)
{
    g_assert_cmpuint(written, <=, len);
    live_maps--;
}

const VirtIOGuestMem vh_mem = {
    .map = vh_map,
    .unmap = vh_unmap,
};

static void vh_set_irq(void *opaque, int level)
{
    VHDriver *d = opaque;

    d->irq_level = level;
}

uint32_t vh_read(VHDriver *d, uint64_t off)
{
    return virtio_mmio_read(&d->mmio, off, 4);
}

void vh_write(VHDriver *d, uint64_t off, uint32_t val)
{
    virtio_mmio_write(&d->mmio, off, val, 4);
}

void vh_driver_init(VHDriver *d, VirtIODevice *vdev, bool legacy)
{
    memset(d, 0, sizeof(*d));
    d->vdev = vdev;
    d->heap = VH_RAM_BASE + 0x100000;
    virtio_mmio_init(&d->mmio, legacy, vh_set_irq, d);
    if (vdev) {
        virtio_set_guest_mem(vdev, &vh_mem);
        virtio_mmio_plug(&d->mmio, vdev);
    }
}

uint64_t vh_alloc(VHDriver *d, uint64_t size)
{
    uint64_t a = d->heap;

    d->heap = (d->heap + size + 15) & ~15ULL;
    g_assert_cmpuint(d->heap, <=, VH_RAM_BASE + VH_RAM_SIZE);
    return a;
}

uint32_t vh_driver_setup(VHDriver *d, uint64_t features, unsigned nq, unsigned qsize)
{
    bool legacy = d->mmio.legacy;
    uint64_t offered;
    unsigned q;

    vh_write(d, VIRTIO_MMIO_STATUS, 0);
    vh_write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    vh_write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    vh_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    offered = vh_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
    vh_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    offered |= (uint64_t)vh_read(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    features &= offered;
    vh_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    vh_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    if (!legacy) {
        vh_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        vh_write(d, VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
        vh_write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                            VIRTIO_CONFIG_S_FEATURES_OK);
    } else {
        vh_write(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    }
    d->nq = nq;
    for (q = 0; q < nq; q++) {
        VHQueue *vq = &d->q[q];
        unsigned max;

        vh_write(d, VIRTIO_MMIO_QUEUE_SEL, q);
        max = vh_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
        g_assert_cmpuint(max, >, 0);
        vq->size = MIN(max, qsize);
        vq->avail_idx = vq->used_seen = vq->next_desc = 0;
        vh_write(d, VIRTIO_MMIO_QUEUE_NUM, vq->size);
        if (legacy) {
            d->heap = (d->heap + 4095) & ~4095ULL;
            vq->desc = d->heap;
            vq->avail = vq->desc + 16ULL * vq->size;
            vq->used = (vq->avail + 2 * (3 + vq->size) + 4095) & ~4095ULL;
            d->heap = vq->used + 6 + 8ULL * vq->size;
            vh_write(d, VIRTIO_MMIO_QUEUE_ALIGN, 4096);
            vh_write(d, VIRTIO_MMIO_QUEUE_PFN, vq->desc >> 12);
        } else {
            vq->desc = vh_alloc(d, 16ULL * vq->size);
            vq->avail = vh_alloc(d, 6 + 2ULL * vq->size);
            vq->used = vh_alloc(d, 6 + 8ULL * vq->size);
            vh_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)vq->desc);
            vh_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, vq->desc >> 32);
            vh_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)vq->avail);
            vh_write(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, vq->avail >> 32);
            vh_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)vq->used);
            vh_write(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, vq->used >> 32);
            vh_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
        }
    }
    vh_write(d, VIRTIO_MMIO_STATUS, vh_read(d, VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
    return vh_read(d, VIRTIO_MMIO_STATUS);
}

static void put_le(uint64_t a, uint64_t v, unsigned n)
{
    uint8_t *p = vh_gpa(a);
    unsigned i;

    for (i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

static uint64_t get_le(uint64_t a, unsigned n)
{
    uint8_t *p = vh_gpa(a);
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

uint16_t vh_add_chain(VHDriver *d, unsigned q, const VHBuf *bufs, unsigned n)
{
    VHQueue *vq = &d->q[q];
    uint16_t head = vq->next_desc;
    unsigned i;

    for (i = 0; i < n; i++) {
        uint16_t idx = (head + i) % vq->size;
        uint64_t da = vq->desc + 16ULL * idx;
        uint16_t flags = (bufs[i].write ? VRING_DESC_F_WRITE : 0) |
                         (i + 1 < n ? VRING_DESC_F_NEXT : 0);

        put_le(da, bufs[i].addr, 8);
        put_le(da + 8, bufs[i].len, 4);
        put_le(da + 12, flags, 2);
        put_le(da + 14, (idx + 1) % vq->size, 2);
    }
    vq->next_desc = (head + n) % vq->size;
    /* used_event (EVENT_IDX): interrupt me for anything past what I have seen. */
    put_le(vq->avail + 4 + 2ULL * vq->size, vq->used_seen, 2);
    put_le(vq->avail + 4 + 2ULL * (vq->avail_idx % vq->size), head, 2);
    vq->avail_idx++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    put_le(vq->avail + 2, vq->avail_idx, 2);
    return head;
}

void vh_kick(VHDriver *d, unsigned q)
{
    vh_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

bool vh_get_used(VHDriver *d, unsigned q, uint32_t *id, uint32_t *len)
{
    VHQueue *vq = &d->q[q];
    uint64_t e;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint16_t)get_le(vq->used + 2, 2) == vq->used_seen) {
        return false;
    }
    e = vq->used + 4 + 8ULL * (vq->used_seen % vq->size);
    if (id) {
        *id = get_le(e, 4);
    }
    if (len) {
        *len = get_le(e + 4, 4);
    }
    vq->used_seen++;
    put_le(vq->avail + 4 + 2ULL * vq->size, vq->used_seen, 2);
    return true;
}

bool vh_wait_used(VHDriver *d, unsigned q, uint32_t *id, uint32_t *len, int timeout_ms)
{
    int64_t deadline = g_get_monotonic_time() + (int64_t)timeout_ms * 1000;

    while (!vh_get_used(d, q, id, len)) {
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        main_loop_wait(main_loop_default(), false);
        g_usleep(100);
    }
    return true;
}
