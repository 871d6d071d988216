/*
 * The virtio device core (virtio 1.2 section 2 and 3.1): device status and
 * its state machine (2.1), feature negotiation (2.2, 3.1.1: FEATURES_OK is
 * only kept when the driver's features are a subset of the device's and,
 * on a modern transport, include VERSION_1), the configuration space with
 * its generation counter (2.5), reset, interrupts (InterruptStatus) and
 * the DEVICE_NEEDS_RESET error state (2.1.2).  The split ring itself is
 * virtqueue.c; transports (virtio-mmio.c) call the functions here.
 */
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio.h"
#include "util/log.h"
#include "virtqueue.h"

static const VirtIOLockOps *virtio_lock_ops;

void virtio_set_lock_ops(const VirtIOLockOps *ops)
{
    virtio_lock_ops = ops;
}

bool virtio_lock(void)
{
    if (!virtio_lock_ops || virtio_lock_ops->locked()) {
        return false;
    }
    virtio_lock_ops->lock();
    return true;
}

void virtio_unlock(bool taken)
{
    if (taken) {
        virtio_lock_ops->unlock();
    }
}

BH *virtio_bh_new(VirtIODevice *vdev, BHFunc *cb, void *opaque)
{
    if (virtio_lock_ops && virtio_lock_ops->bh_new) {
        return virtio_lock_ops->bh_new(cb, opaque);
    }
    return bh_new(vdev->loop, cb, opaque);
}

void virtio_bh_delete(BH *bh)
{
    if (virtio_lock_ops && virtio_lock_ops->bh_delete) {
        virtio_lock_ops->bh_delete(bh);
    } else {
        bh_delete(bh);
    }
}

static void virtio_queue_bh(void *opaque)
{
    VirtQueue *vq = opaque;

    if (virtio_queue_is_ready(vq) && vq->handle) {
        vq->handle(vq->vdev, vq);
    }
}

void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id, size_t config_len,
                 uint64_t features, const VirtIODeviceOps *ops, MainLoop *loop)
{
    vdev->name = name;
    vdev->device_id = device_id;
    vdev->config_len = config_len;
    vdev->config = g_malloc0(MAX(config_len, 1));
    vdev->host_features = features | (1ULL << VIRTIO_F_VERSION_1) |
                          (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
                          (1ULL << VIRTIO_RING_F_EVENT_IDX);
    vdev->ops = ops;
    vdev->loop = loop ? loop : main_loop_default();
    vdev->vq = g_new0(VirtQueue, VIRTIO_QUEUE_MAX);
    vdev->nvqs = 0;
}

void virtio_cleanup(VirtIODevice *vdev)
{
    unsigned i;

    if (vdev->ops && vdev->ops->unrealize) {
        vdev->ops->unrealize(vdev);
    }
    for (i = 0; i < vdev->nvqs; i++) {
        virtqueue_destroy(&vdev->vq[i]);
    }
    g_free(vdev->vq);
    vdev->vq = NULL;
    vdev->nvqs = 0;
    g_free(vdev->config);
    vdev->config = NULL;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned max_size, VirtIOHandleOutput *handle)
{
    VirtQueue *vq;

    g_assert(vdev->nvqs < VIRTIO_QUEUE_MAX);
    g_assert(max_size > 0 && max_size <= VIRTQUEUE_MAX_SIZE && !(max_size & (max_size - 1)));
    vq = &vdev->vq[vdev->nvqs];
    virtqueue_init(vq, vdev, vdev->nvqs, max_size);
    vq->handle = handle;
    vq->bh = virtio_bh_new(vdev, virtio_queue_bh, vq);
    vdev->nvqs++;
    return vq;
}

void virtio_set_guest_mem(VirtIODevice *vdev, const VirtIOGuestMem *mem)
{
    vdev->mem = mem;
}

void virtio_bind_transport(VirtIODevice *vdev, const VirtIOTransportOps *ops, void *transport)
{
    vdev->transport_ops = ops;
    vdev->transport = transport;
}

void virtio_update_irq(VirtIODevice *vdev)
{
    if (vdev->transport_ops && vdev->transport_ops->update_irq) {
        vdev->transport_ops->update_irq(vdev->transport, vdev);
    }
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    log_guest_error("%s: %s\n", vdev->name, msg);
    g_free(msg);
    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    /* The legacy interface has no NEEDS_RESET: the device just stops. */
    if (!vdev->legacy) {
        vdev->status |= VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    vdev->generation++;
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_CONFIG;
    virtio_update_irq(vdev);
}

/* ---- status, features, reset ------------------------------------------- */

void virtio_reset(VirtIODevice *vdev)
{
    unsigned i;

    vdev->reset_count++;
    if (vdev->ops && vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    vdev->status = 0;
    vdev->guest_features = 0;
    vdev->isr = 0;
    vdev->broken = false;
    for (i = 0; i < vdev->nvqs; i++) {
        virtqueue_reset(&vdev->vq[i]);
    }
    virtio_update_irq(vdev);
}

/* 3.1.1 step 5: the device accepts the feature subset or leaves FEATURES_OK clear. */
static bool virtio_features_acceptable(VirtIODevice *vdev)
{
    uint64_t extra = vdev->guest_features & ~vdev->host_features;

    if (extra) {
        log_guest_error("%s: driver accepted features not offered: 0x%" PRIx64 "\n",
                        vdev->name, extra);
        return false;
    }
    if (!vdev->legacy && !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        log_guest_error("%s: driver did not accept VIRTIO_F_VERSION_1\n", vdev->name);
        return false;
    }
    return true;
}

void virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    uint8_t old = vdev->status;

    if (val == 0) {
        virtio_reset(vdev);
        return;
    }
    /* NEEDS_RESET is the device's to set; it sticks until reset. */
    val &= ~VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
    val |= old & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
    if ((old & ~val) & ~VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET) {
        log_guest_error("%s: status 0x%x clears bits of 0x%x without a reset\n", vdev->name,
                        val, old);
    }
    if (!vdev->legacy && (val & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(old & VIRTIO_CONFIG_S_FEATURES_OK)) {
        if (!virtio_features_acceptable(vdev)) {
            val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
        } else if (vdev->ops && vdev->ops->set_features) {
            vdev->ops->set_features(vdev, vdev->guest_features);
        }
    }
    if (!vdev->legacy && (val & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !(val & VIRTIO_CONFIG_S_FEATURES_OK)) {
        log_guest_error("%s: DRIVER_OK without FEATURES_OK\n", vdev->name);
    }
    if (vdev->legacy && (val & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !(old & VIRTIO_CONFIG_S_DRIVER_OK) && vdev->ops && vdev->ops->set_features) {
        /* Legacy drivers have no FEATURES_OK: the features are final now. */
        vdev->ops->set_features(vdev, vdev->guest_features);
    }
    vdev->status = val;
    if (vdev->ops && vdev->ops->set_status) {
        vdev->ops->set_status(vdev, val);
    }
}

void virtio_set_guest_features_word(VirtIODevice *vdev, unsigned sel, uint32_t val)
{
    uint64_t mask, v;

    if (sel > 1) {
        log_guest_error("%s: DriverFeaturesSel %u out of range, write ignored\n", vdev->name,
                        sel);
        return;
    }
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        log_guest_error("%s: DriverFeatures written after FEATURES_OK, ignored\n", vdev->name);
        return;
    }
    if (vdev->legacy) {
        if (sel != 0) {
            return;
        }
        /* No FEATURES_OK handshake: drop what was not offered, as QEMU does. */
        if (val & ~(uint32_t)vdev->host_features) {
            log_guest_error("%s: driver accepted features not offered: 0x%x\n", vdev->name,
                            val & ~(uint32_t)vdev->host_features);
        }
        val &= (uint32_t)vdev->host_features;
    }
    mask = 0xffffffffULL << (32 * sel);
    v = (uint64_t)val << (32 * sel);
    vdev->guest_features = (vdev->guest_features & ~mask) | v;
}

uint32_t virtio_get_host_features_word(VirtIODevice *vdev, unsigned sel)
{
    uint64_t f = vdev->host_features;

    if (vdev->legacy) {
        /* Bits 32 and up (VERSION_1 ...) do not exist for a legacy driver. */
        return sel == 0 ? (uint32_t)f : 0;
    }
    return sel < 2 ? (uint32_t)(f >> (32 * sel)) : 0;
}

/* ---- configuration space ------------------------------------------------ */

static bool virtio_config_access_ok(VirtIODevice *vdev, uint32_t offset, unsigned size,
                                    const char *what)
{
    if (size != 1 && size != 2 && size != 4) {
        log_guest_error("%s: config %s of size %u at 0x%x\n", vdev->name, what, size, offset);
        return false;
    }
    if ((uint64_t)offset + size > vdev->config_len) {
        log_guest_error("%s: config %s at 0x%x+%u beyond the %zu-byte config space\n",
                        vdev->name, what, offset, size, vdev->config_len);
        return false;
    }
    return true;
}

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size)
{
    uint8_t b[4];

    if (!virtio_config_access_ok(vdev, offset, size, "read")) {
        return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    }
    if (vdev->ops && vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    memcpy(b, vdev->config + offset, size);
    switch (size) {
    case 1:
        return b[0];
    case 2:
        return b[0] | (b[1] << 8);
    default:
        return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
    }
}

void virtio_config_write(VirtIODevice *vdev, uint32_t offset, unsigned size, uint32_t val)
{
    unsigned i;

    if (!virtio_config_access_ok(vdev, offset, size, "write")) {
        return;
    }
    if (vdev->ops && vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (i = 0; i < size; i++) {
        vdev->config[offset + i] = val >> (8 * i);
    }
    if (vdev->ops && vdev->ops->set_config) {
        vdev->ops->set_config(vdev, vdev->config);
    }
}

/* ---- interrupts and notifications ----------------------------------------- */

void virtio_isr_ack(VirtIODevice *vdev, uint8_t bits)
{
    vdev->isr &= ~bits;
    virtio_update_irq(vdev);
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    if (n >= vdev->nvqs) {
        log_guest_error("%s: notify of queue %u, device has %u\n", vdev->name, n, vdev->nvqs);
        return;
    }
    vq = &vdev->vq[n];
    if (!vq->ready) {
        log_guest_error("%s: notify of queue %u that is not ready\n", vdev->name, n);
        return;
    }
    if (vdev->broken) {
        return;
    }
    bh_schedule(vq->bh);
}

/* ---- queue registers ------------------------------------------------------ */

static VirtQueue *virtio_reg_queue(VirtIODevice *vdev, unsigned n)
{
    return n < vdev->nvqs ? &vdev->vq[n] : NULL;
}

unsigned virtio_queue_get_max_num(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq ? vq->max_num : 0;
}

unsigned virtio_queue_get_num(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq ? vq->num : 0;
}

void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    if (!vq) {
        log_guest_error("%s: QueueNum for queue %u, device has %u\n", vdev->name, n, vdev->nvqs);
        return;
    }
    if (vq->ready) {
        log_guest_error("%s: QueueNum of ready queue %u, ignored\n", vdev->name, n);
        return;
    }
    vq->num = num;
}

uint64_t virtio_queue_get_desc_addr(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq ? vq->desc_addr : 0;
}

uint64_t virtio_queue_get_avail_addr(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq ? vq->avail_addr : 0;
}

uint64_t virtio_queue_get_used_addr(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq ? vq->used_addr : 0;
}

void virtio_queue_set_addrs(VirtIODevice *vdev, unsigned n, uint64_t desc, uint64_t avail,
                            uint64_t used)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    if (!vq) {
        log_guest_error("%s: ring address for queue %u, device has %u\n", vdev->name, n,
                        vdev->nvqs);
        return;
    }
    if (vq->ready) {
        log_guest_error("%s: ring address of ready queue %u, ignored\n", vdev->name, n);
        return;
    }
    vq->desc_addr = desc;
    vq->avail_addr = avail;
    vq->used_addr = used;
}

void virtio_queue_set_legacy_layout(VirtIODevice *vdev, unsigned n, uint64_t desc,
                                    unsigned align)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);
    uint64_t avail, used;

    if (!vq) {
        return;
    }
    /* Descriptors, then flags, idx, ring[num], used_event; the used ring aligned. */
    avail = desc + (uint64_t)VRING_DESC_SIZE * vq->num;
    used = avail + 2 * (3 + (uint64_t)vq->num);
    if (align) {
        used = (used + align - 1) & ~((uint64_t)align - 1);
    }
    vq->desc_addr = desc;
    vq->avail_addr = avail;
    vq->used_addr = used;
}

bool virtio_queue_enable(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    if (!vq) {
        log_guest_error("%s: enabling queue %u, device has %u\n", vdev->name, n, vdev->nvqs);
        return false;
    }
    if (!vdev->mem) {
        virtio_error(vdev, "queue %u: device has no DMA path", n);
        return false;
    }
    return virtqueue_start(vq);
}

void virtio_queue_disable(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    if (vq && vq->ready) {
        unsigned num = vq->num;
        uint64_t d = vq->desc_addr, a = vq->avail_addr, u = vq->used_addr;

        /* Keep what the driver wrote so that it reads back. */
        virtqueue_reset(vq);
        vq->num = num;
        vq->desc_addr = d;
        vq->avail_addr = a;
        vq->used_addr = u;
    }
}

bool virtio_queue_ready(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_reg_queue(vdev, n);

    return vq && vq->ready;
}
