/*
 * Split virtqueues, device side (virtio 1.2 section 2.7): taking available
 * descriptor chains (direct and indirect, 2.7.5), returning used buffers,
 * and notification suppression in both directions, by flags (2.7.7) or by
 * event index (VIRTIO_F_EVENT_IDX, 2.7.10).
 *
 * The rings live in guest RAM and the driver writes them concurrently from
 * another thread, so every field is read exactly once into a local and
 * checked there (no value is re-read after its check), and the ordering of
 * 2.7.13 is kept with C11 atomics: avail->idx is loaded with acquire before
 * the ring entries and descriptors it publishes; used elements are stored
 * before used->idx, which is stored with release; a full fence separates a
 * used->idx store from the read of used_event / avail->flags that decides
 * on an interrupt, and an avail_event store from the re-read of avail->idx.
 *
 * A malformed chain (an index out of range, a loop, a nested or misshapen
 * indirect table, a zero-length or non-RAM buffer, readable after writable
 * buffers, too many buffers) is a driver error: virtio_error() puts the
 * device in DEVICE_NEEDS_RESET and nothing outside guest RAM is touched.
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio.h"
#include "util/log.h"
#include "virtqueue.h"

/* ---- ring field access ------------------------------------------------ */

/*
 * Ring areas are checked for alignment when the queue starts, so 16-bit
 * fields are naturally aligned and can be loaded atomically.
 */
static inline uint16_t vring_load16(const uint8_t *p, int order)
{
    return GUINT16_FROM_LE(__atomic_load_n((const uint16_t *)p, order));
}

static inline void vring_store16(uint8_t *p, uint16_t v, int order)
{
    __atomic_store_n((uint16_t *)p, GUINT16_TO_LE(v), order);
}

static inline void vring_store32(uint8_t *p, uint32_t v)
{
    __atomic_store_n((uint32_t *)p, GUINT32_TO_LE(v), __ATOMIC_RELAXED);
}

static uint16_t vring_avail_flags(VirtQueue *vq)
{
    return vring_load16(vq->avail, __ATOMIC_RELAXED);
}

/* Acquire: ring entries and descriptors published before it are visible. */
static uint16_t vring_avail_idx(VirtQueue *vq)
{
    return vring_load16(vq->avail + 2, __ATOMIC_ACQUIRE);
}

static uint16_t vring_avail_ring(VirtQueue *vq, unsigned i)
{
    return vring_load16(vq->avail + 4 + 2 * i, __ATOMIC_RELAXED);
}

static uint16_t vring_used_event(VirtQueue *vq)
{
    return vring_load16(vq->avail + 4 + 2 * vq->num, __ATOMIC_RELAXED);
}

static void vring_mark_dirty(VirtQueue *vq, uint64_t offset, uint64_t len)
{
    const VirtIOGuestMem *mem = vq->vdev->mem;

    if (mem->dirty) {
        mem->dirty(mem->opaque, vq->used_addr + offset, len);
    }
}

static void vring_set_avail_event(VirtQueue *vq, uint16_t val)
{
    uint64_t off = 4 + (uint64_t)VRING_USED_ELEM_SIZE * vq->num;

    vring_store16(vq->used + off, val, __ATOMIC_RELAXED);
    vring_mark_dirty(vq, off, 2);
}

static void vring_set_used_flags(VirtQueue *vq, uint16_t flags)
{
    vring_store16(vq->used, flags, __ATOMIC_RELAXED);
    vring_mark_dirty(vq, 0, 2);
}

/* The descriptor as read once from guest memory. */
typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

static void vring_desc_read(const uint8_t *table, unsigned i, VRingDesc *d)
{
    uint8_t raw[VRING_DESC_SIZE];
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;

    /*
     * An indirect table need not be aligned, so copy bytes; the compiler
     * barrier keeps the compiler from re-reading guest memory in place of
     * the local copy after it has been checked.
     */
    memcpy(raw, table + (size_t)i * VRING_DESC_SIZE, sizeof(raw));
    __asm__ __volatile__("" ::: "memory");
    memcpy(&addr, raw, 8);
    memcpy(&len, raw + 8, 4);
    memcpy(&flags, raw + 12, 2);
    memcpy(&next, raw + 14, 2);
    d->addr = GUINT64_FROM_LE(addr);
    d->len = GUINT32_FROM_LE(len);
    d->flags = GUINT16_FROM_LE(flags);
    d->next = GUINT16_FROM_LE(next);
}

/* ---- setup and reset --------------------------------------------------- */

void virtqueue_init(VirtQueue *vq, VirtIODevice *vdev, unsigned index, unsigned max_num)
{
    memset(vq, 0, sizeof(*vq));
    vq->vdev = vdev;
    vq->index = index;
    vq->max_num = max_num;
    vq->num = max_num;
    vq->notification = true;
    vq->scratch_iov = g_new(struct iovec, VIRTQUEUE_MAX_SIZE);
    vq->scratch_addr = g_new(uint64_t, VIRTQUEUE_MAX_SIZE);
    vq->scratch_write = g_new(bool, VIRTQUEUE_MAX_SIZE);
}

static void virtqueue_unmap_rings(VirtQueue *vq)
{
    const VirtIOGuestMem *mem = vq->vdev->mem;

    if (vq->desc && mem->unmap) {
        mem->unmap(mem->opaque, vq->desc, vq->desc_addr, vq->desc_len, 0);
        mem->unmap(mem->opaque, vq->avail, vq->avail_addr, vq->avail_len, 0);
        mem->unmap(mem->opaque, vq->used, vq->used_addr, vq->used_len, vq->used_len);
    }
    vq->desc = vq->avail = vq->used = NULL;
}

void virtqueue_reset(VirtQueue *vq)
{
    virtqueue_unmap_rings(vq);
    vq->gen++;
    vq->ready = false;
    vq->num = vq->max_num;
    vq->desc_addr = vq->avail_addr = vq->used_addr = 0;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->inuse = 0;
    if (vq->bh) {
        bh_cancel(vq->bh);
    }
}

void virtqueue_destroy(VirtQueue *vq)
{
    virtqueue_unmap_rings(vq);
    if (vq->bh) {
        virtio_bh_delete(vq->bh);
        vq->bh = NULL;
    }
    g_free(vq->scratch_iov);
    g_free(vq->scratch_addr);
    g_free(vq->scratch_write);
}

/* Map one ring area as a single piece of RAM. */
static uint8_t *virtqueue_map_area(VirtQueue *vq, uint64_t addr, uint64_t len, bool is_write)
{
    const VirtIOGuestMem *mem = vq->vdev->mem;
    uint64_t plen = len;
    void *p;

    if (addr + len < addr) {
        return NULL;
    }
    p = mem->map(mem->opaque, addr, &plen, is_write);
    if (p && plen < len) {
        if (mem->unmap) {
            mem->unmap(mem->opaque, p, addr, plen, 0);
        }
        return NULL;
    }
    return p;
}

bool virtqueue_start(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    unsigned num = vq->num;

    virtqueue_unmap_rings(vq);
    vq->ready = false;
    /* 2.7: the queue size of a split ring is a power of 2. */
    if (num == 0 || num > vq->max_num || (num & (num - 1))) {
        virtio_error(vdev, "queue %u: invalid size %u (max %u, power of 2)", vq->index, num,
                     vq->max_num);
        return false;
    }
    /* 2.7 table "Virtqueue Part Alignment". */
    if ((vq->desc_addr & 15) || (vq->avail_addr & 1) || (vq->used_addr & 3)) {
        virtio_error(vdev, "queue %u: misaligned rings desc=0x%" PRIx64 " avail=0x%" PRIx64
                     " used=0x%" PRIx64, vq->index, vq->desc_addr, vq->avail_addr,
                     vq->used_addr);
        return false;
    }
    vq->desc_len = (uint64_t)VRING_DESC_SIZE * num;
    vq->avail_len = 6 + 2 * (uint64_t)num;
    vq->used_len = 6 + (uint64_t)VRING_USED_ELEM_SIZE * num;
    vq->desc = virtqueue_map_area(vq, vq->desc_addr, vq->desc_len, false);
    vq->avail = virtqueue_map_area(vq, vq->avail_addr, vq->avail_len, false);
    vq->used = virtqueue_map_area(vq, vq->used_addr, vq->used_len, true);
    if (!vq->desc || !vq->avail || !vq->used) {
        const VirtIOGuestMem *mem = vdev->mem;

        if (mem->unmap) {
            if (vq->desc) {
                mem->unmap(mem->opaque, vq->desc, vq->desc_addr, vq->desc_len, 0);
            }
            if (vq->avail) {
                mem->unmap(mem->opaque, vq->avail, vq->avail_addr, vq->avail_len, 0);
            }
            if (vq->used) {
                mem->unmap(mem->opaque, vq->used, vq->used_addr, vq->used_len, 0);
            }
        }
        vq->desc = vq->avail = vq->used = NULL;
        virtio_error(vdev, "queue %u: rings outside guest RAM desc=0x%" PRIx64
                     " avail=0x%" PRIx64 " used=0x%" PRIx64, vq->index, vq->desc_addr,
                     vq->avail_addr, vq->used_addr);
        return false;
    }
    /*
     * A fresh queue starts at index 0 on both sides (2.7.6, 2.7.8); the
     * used ring's idx is the device's to initialise.
     */
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->inuse = 0;
    vq->gen++;
    vq->signalled_used_valid = false;
    vring_store16(vq->used + 2, 0, __ATOMIC_RELEASE);
    vring_set_used_flags(vq, 0);
    vq->ready = true;
    return true;
}

/* ---- public queue accessors ------------------------------------------- */

VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n)
{
    return n < vdev->nvqs ? &vdev->vq[n] : NULL;
}

unsigned virtio_queue_index(VirtQueue *vq)
{
    return vq->index;
}

VirtIODevice *virtio_queue_device(VirtQueue *vq)
{
    return vq->vdev;
}

bool virtio_queue_is_ready(VirtQueue *vq)
{
    return vq->ready && !vq->vdev->broken;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    if (!virtio_queue_is_ready(vq)) {
        return true;
    }
    return vring_avail_idx(vq) == vq->last_avail_idx;
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    vq->notification = enable;
    if (!virtio_queue_is_ready(vq)) {
        return;
    }
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        /* Kick me once the driver moves avail->idx past what I have seen. */
        if (enable) {
            vring_set_avail_event(vq, vring_avail_idx(vq));
        }
    } else {
        vring_set_used_flags(vq, enable ? 0 : VRING_USED_F_NO_NOTIFY);
    }
    if (enable) {
        /* The store above must be visible before the caller re-checks avail->idx. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
}

/* ---- taking a chain ---------------------------------------------------- */

/* A chain being walked: its buffers collected in the queue's scratch arrays. */
typedef struct ChainWalk {
    VirtQueue *vq;
    unsigned nsg;
    unsigned out_num;
    unsigned in_num;
} ChainWalk;

static void chain_unmap_all(ChainWalk *w)
{
    const VirtIOGuestMem *mem = w->vq->vdev->mem;
    unsigned i;

    if (!mem->unmap) {
        return;
    }
    for (i = 0; i < w->nsg; i++) {
        mem->unmap(mem->opaque, w->vq->scratch_iov[i].iov_base, w->vq->scratch_addr[i],
                   w->vq->scratch_iov[i].iov_len, 0);
    }
}

/* Map one buffer, in as many RAM pieces as it spans. */
static bool chain_add_buffer(ChainWalk *w, const VRingDesc *d)
{
    VirtQueue *vq = w->vq;
    VirtIODevice *vdev = vq->vdev;
    const VirtIOGuestMem *mem = vdev->mem;
    bool is_write = d->flags & VRING_DESC_F_WRITE;
    uint64_t addr = d->addr;
    uint64_t left = d->len;

    if (d->len == 0) {
        virtio_error(vdev, "queue %u: zero-sized buffer at 0x%" PRIx64, vq->index, d->addr);
        return false;
    }
    if (!is_write && w->in_num) {
        virtio_error(vdev, "queue %u: device-readable buffer after a device-writable one",
                     vq->index);
        return false;
    }
    if (addr + left < addr) {
        virtio_error(vdev, "queue %u: buffer 0x%" PRIx64 "+0x%x wraps around", vq->index,
                     d->addr, d->len);
        return false;
    }
    while (left) {
        uint64_t plen = left;
        void *p;

        if (w->nsg >= VIRTQUEUE_MAX_SIZE) {
            virtio_error(vdev, "queue %u: more than %u buffers in one chain", vq->index,
                         VIRTQUEUE_MAX_SIZE);
            return false;
        }
        p = mem->map(mem->opaque, addr, &plen, is_write);
        if (!p || plen == 0 || plen > left) {
            if (p && mem->unmap) {
                mem->unmap(mem->opaque, p, addr, plen, 0);
            }
            virtio_error(vdev, "queue %u: buffer 0x%" PRIx64 "+0x%x is not in guest RAM",
                         vq->index, d->addr, d->len);
            return false;
        }
        vq->scratch_iov[w->nsg].iov_base = p;
        vq->scratch_iov[w->nsg].iov_len = plen;
        vq->scratch_addr[w->nsg] = addr;
        vq->scratch_write[w->nsg] = is_write;
        w->nsg++;
        if (is_write) {
            w->in_num++;
        } else {
            w->out_num++;
        }
        addr += plen;
        left -= plen;
    }
    return true;
}

/*
 * Walk the chain at `head`: direct descriptors, then optionally one
 * indirect table (2.7.5.3.2: "zero or more normal chained descriptors
 * followed by a single descriptor with VIRTQ_DESC_F_INDIRECT").  Each table
 * is walked at most its own size in steps, which catches loops.
 */
static bool chain_walk(ChainWalk *w, unsigned head)
{
    VirtQueue *vq = w->vq;
    VirtIODevice *vdev = vq->vdev;
    const VirtIOGuestMem *mem = vdev->mem;
    const uint8_t *table = vq->desc;
    unsigned max = vq->num;
    unsigned i = head;
    unsigned steps = 0;
    uint8_t *itable = NULL;
    uint64_t itable_addr = 0, itable_len = 0;
    bool ok = false;
    VRingDesc d;

    for (;;) {
        if (++steps > max) {
            virtio_error(vdev, "queue %u: looped descriptor chain at head %u", vq->index, head);
            goto out;
        }
        vring_desc_read(table, i, &d);
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (itable) {
                virtio_error(vdev, "queue %u: nested indirect descriptor", vq->index);
                goto out;
            }
            if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC)) {
                virtio_error(vdev, "queue %u: indirect descriptor not negotiated", vq->index);
                goto out;
            }
            if (d.flags & VRING_DESC_F_NEXT) {
                virtio_error(vdev, "queue %u: indirect descriptor with NEXT set", vq->index);
                goto out;
            }
            if (d.len == 0 || d.len % VRING_DESC_SIZE ||
                d.len / VRING_DESC_SIZE > VIRTQUEUE_MAX_SIZE) {
                virtio_error(vdev, "queue %u: invalid indirect table size %u", vq->index,
                             d.len);
                goto out;
            }
            itable_addr = d.addr;
            itable_len = d.len;
            itable = virtqueue_map_area(vq, itable_addr, itable_len, false);
            if (!itable) {
                virtio_error(vdev, "queue %u: indirect table 0x%" PRIx64 "+0x%x is not in "
                             "guest RAM", vq->index, d.addr, d.len);
                goto out;
            }
            table = itable;
            max = d.len / VRING_DESC_SIZE;
            i = 0;
            steps = 0;
            continue;
        }
        if (!chain_add_buffer(w, &d)) {
            goto out;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        i = d.next;
        if (i >= max) {
            virtio_error(vdev, "queue %u: next index %u out of range (%u)", vq->index, i, max);
            goto out;
        }
    }
    ok = true;
out:
    if (itable && mem->unmap) {
        mem->unmap(mem->opaque, itable, itable_addr, itable_len, 0);
    }
    if (!ok) {
        chain_unmap_all(w);
    }
    return ok;
}

static VirtQueueElement *element_alloc(size_t size, unsigned out_num, unsigned in_num)
{
    size_t base = MAX(size, sizeof(VirtQueueElement));
    size_t addr_off = (base + 7) & ~(size_t)7;
    size_t sg_off = addr_off + sizeof(uint64_t) * (out_num + in_num);
    VirtQueueElement *elem = g_malloc0(sg_off + sizeof(struct iovec) * (out_num + in_num));

    elem->out_num = out_num;
    elem->in_num = in_num;
    elem->out_addr = (uint64_t *)((uint8_t *)elem + addr_off);
    elem->in_addr = elem->out_addr + out_num;
    elem->out_sg = (struct iovec *)((uint8_t *)elem + sg_off);
    elem->in_sg = elem->out_sg + out_num;
    return elem;
}

void *virtqueue_pop(VirtQueue *vq, size_t size)
{
    VirtIODevice *vdev = vq->vdev;
    VirtQueueElement *elem;
    ChainWalk w = { .vq = vq };
    uint16_t avail_idx, head;
    unsigned i, o, n;

    if (!virtio_queue_is_ready(vq)) {
        return NULL;
    }
    avail_idx = vring_avail_idx(vq);
    if (avail_idx == vq->last_avail_idx) {
        return NULL;
    }
    /* 2.7.6: the driver cannot have more than the queue size outstanding. */
    if ((uint16_t)(avail_idx - vq->last_avail_idx) > vq->num) {
        virtio_error(vdev, "queue %u: avail idx moved from %u to %u (size %u)", vq->index,
                     vq->last_avail_idx, avail_idx, vq->num);
        return NULL;
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "queue %u: more buffers in use than the queue size", vq->index);
        return NULL;
    }
    head = vring_avail_ring(vq, vq->last_avail_idx & (vq->num - 1));
    if (head >= vq->num) {
        virtio_error(vdev, "queue %u: head index %u out of range (%u)", vq->index, head,
                     vq->num);
        return NULL;
    }
    if (!chain_walk(&w, head)) {
        return NULL;
    }
    vq->last_avail_idx++;
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX) && vq->notification) {
        vring_set_avail_event(vq, vq->last_avail_idx);
        /* Order the store before the next read of avail->idx (a kick may be skipped). */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }

    elem = element_alloc(size, w.out_num, w.in_num);
    elem->index = head;
    elem->queue_gen = vq->gen;
    for (n = 0, i = 0, o = 0; n < w.nsg; n++) {
        if (vq->scratch_write[n]) {
            elem->in_sg[i] = vq->scratch_iov[n];
            elem->in_addr[i++] = vq->scratch_addr[n];
        } else {
            elem->out_sg[o] = vq->scratch_iov[n];
            elem->out_addr[o++] = vq->scratch_addr[n];
        }
    }
    vq->inuse++;
    return elem;
}

/* Unmap an element's buffers; the first `written` bytes of in_sg were stored. */
static void element_unmap(VirtQueue *vq, VirtQueueElement *elem, uint64_t written)
{
    const VirtIOGuestMem *mem = vq->vdev->mem;
    unsigned i;

    if (!mem->unmap) {
        return;
    }
    for (i = 0; i < elem->out_num; i++) {
        mem->unmap(mem->opaque, elem->out_sg[i].iov_base, elem->out_addr[i],
                   elem->out_sg[i].iov_len, 0);
    }
    for (i = 0; i < elem->in_num; i++) {
        uint64_t len = elem->in_sg[i].iov_len;
        uint64_t w = MIN(written, len);

        mem->unmap(mem->opaque, elem->in_sg[i].iov_base, elem->in_addr[i], len, w);
        written -= w;
    }
}

bool virtqueue_element_stale(VirtQueue *vq, const VirtQueueElement *elem)
{
    return elem->queue_gen != vq->gen || !vq->ready;
}

void virtqueue_detach_element(VirtQueue *vq, VirtQueueElement *elem)
{
    if (!elem) {
        return;
    }
    element_unmap(vq, elem, 0);
    if (elem->queue_gen == vq->gen && vq->inuse) {
        vq->inuse--;
    }
    g_free(elem);
}

void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *elem)
{
    if (elem->queue_gen == vq->gen && vq->ready) {
        vq->last_avail_idx--;
    }
    virtqueue_detach_element(vq, elem);
}

void virtqueue_fill(VirtQueue *vq, VirtQueueElement *elem, uint32_t len, unsigned idx)
{
    uint64_t off;

    element_unmap(vq, elem, len);
    if (elem->queue_gen == vq->gen && vq->ready) {
        off = 4 + (uint64_t)VRING_USED_ELEM_SIZE * ((uint16_t)(vq->used_idx + idx) & (vq->num - 1));
        vring_store32(vq->used + off, elem->index);
        vring_store32(vq->used + off + 4, len);
        vring_mark_dirty(vq, off, VRING_USED_ELEM_SIZE);
        if (vq->inuse) {
            vq->inuse--;
        }
    }
    /* else: the queue was reset since the pop; the driver forgot this buffer. */
    g_free(elem);
}

void virtqueue_flush(VirtQueue *vq, unsigned count)
{
    uint16_t old = vq->used_idx;

    if (!vq->ready || count == 0) {
        return;
    }
    vq->used_idx += count;
    /* Release: the elements (and the buffer contents) before the index. */
    vring_store16(vq->used + 2, vq->used_idx, __ATOMIC_RELEASE);
    vring_mark_dirty(vq, 2, 2);
    /* The used index wrapped past the last interrupt: the old value means nothing. */
    if ((uint16_t)(vq->used_idx - vq->signalled_used) < (uint16_t)(vq->used_idx - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len)
{
    bool live = elem->queue_gen == vq->gen;

    virtqueue_fill(vq, elem, len, 0);
    if (live) {
        virtqueue_flush(vq, 1);
    }
}

/* ---- interrupting the driver -------------------------------------------- */

/* 2.7.10: interrupt if the used index passed used_event since the last one. */
static bool vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, new;
    bool valid;

    /* Order the used->idx store before reading the driver's suppression state. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && !vq->inuse &&
        vring_avail_idx(vq) == vq->last_avail_idx) {
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return !(vring_avail_flags(vq) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    return !valid || vring_need_event(vring_used_event(vq), new, old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (!virtio_queue_is_ready(vq) || !virtio_should_notify(vdev, vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_VQ;
    virtio_update_irq(vdev);
}

/* ---- iovec helpers ------------------------------------------------------ */

size_t iov_size(const struct iovec *iov, unsigned cnt)
{
    size_t n = 0;
    unsigned i;

    for (i = 0; i < cnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

size_t iov_to_buf(const struct iovec *iov, unsigned cnt, size_t offset, void *buf, size_t len)
{
    size_t done = 0;
    unsigned i;

    for (i = 0; i < cnt && done < len; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, len - done);
        memcpy((uint8_t *)buf + done, (uint8_t *)iov[i].iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t iov_from_buf(const struct iovec *iov, unsigned cnt, size_t offset, const void *buf,
                    size_t len)
{
    size_t done = 0;
    unsigned i;

    for (i = 0; i < cnt && done < len; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, len - done);
        memcpy((uint8_t *)iov[i].iov_base + offset, (const uint8_t *)buf + done, n);
        done += n;
        offset = 0;
    }
    return done;
}
