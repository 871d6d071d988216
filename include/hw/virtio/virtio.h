/*
 * The virtio device core (virtio 1.2, virtio-v1.2-csd01): section 2
 * (device status, feature bits, configuration space, split virtqueues with
 * event-index notification suppression and indirect descriptors).  A
 * VirtIODevice is transport-independent; a transport (virtio-mmio.c)
 * forwards the driver's register accesses to it and turns its interrupt
 * requests into an interrupt line.
 *
 * Guest memory is reached only through a VirtIOGuestMem (map / unmap /
 * read / write callbacks), so the whole layer is unit-testable over a fake
 * RAM.  Every value the driver puts in guest memory (ring indexes,
 * descriptors, addresses, lengths) is read once and checked before use; a
 * malformed ring puts the device in the DEVICE_NEEDS_RESET state
 * (virtio_error), as section 2.1.2 suggests, and it processes nothing more
 * until the driver resets it.
 *
 * Threading: transports call in with the big lock held; queue handlers run
 * in the main loop (a notification schedules a bottom half), so device
 * back ends see one thread.
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_H
#define MORPH_HW_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "util/error.h"
#include "util/main-loop.h"

/* Device status bits (2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE        0x01
#define VIRTIO_CONFIG_S_DRIVER             0x02
#define VIRTIO_CONFIG_S_DRIVER_OK          0x04
#define VIRTIO_CONFIG_S_FEATURES_OK        0x08
#define VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED             0x80

/* Reserved feature bits (6). */
#define VIRTIO_F_NOTIFY_ON_EMPTY    24
#define VIRTIO_F_ANY_LAYOUT         27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_ACCESS_PLATFORM    33
#define VIRTIO_F_RING_PACKED        34
#define VIRTIO_F_IN_ORDER           35

/* Device IDs (5). */
#define VIRTIO_ID_NET     1
#define VIRTIO_ID_BLOCK   2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG     4

/* Split virtqueue layout (2.7). */
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2
#define VRING_DESC_F_INDIRECT   4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY     1
#define VRING_DESC_SIZE         16
#define VRING_USED_ELEM_SIZE    8

/* Interrupt status bits (4.2.2, InterruptStatus). */
#define VIRTIO_ISR_VQ     0x1
#define VIRTIO_ISR_CONFIG 0x2

/* Largest queue and largest scatter/gather list of one element, as QEMU. */
#define VIRTQUEUE_MAX_SIZE 1024
#define VIRTIO_QUEUE_MAX   8
/* Legacy transports align the used ring to this unless told otherwise. */
#define VIRTIO_LEGACY_VRING_ALIGN 4096

/*
 * How the device reaches guest physical memory (DMA).
 *   map:   host pointer to the RAM at [addr, addr + *plen); *plen may be
 *          shortened to the contiguous RAM part.  NULL when addr is not RAM
 *          (MMIO, a hole) or addr + *plen overflows.
 *   unmap: done with a mapping; `written` bytes from its start were stored
 *          by the device (the memory layer marks them dirty and drops
 *          translated code in them).
 *   dirty: the device stored into [addr, addr + len) through a mapping it
 *          keeps (the ring areas), so the memory layer must mark it dirty.
 *   read / write: copy through the memory API (any region); false on a
 *          decode error.
 */
typedef struct VirtIOGuestMem {
    void *opaque;
    void *(*map)(void *opaque, uint64_t addr, uint64_t *plen, bool is_write);
    void (*unmap)(void *opaque, void *host, uint64_t addr, uint64_t len, uint64_t written);
    void (*dirty)(void *opaque, uint64_t addr, uint64_t len);
    bool (*read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    bool (*write)(void *opaque, uint64_t addr, const void *buf, uint64_t len);
} VirtIOGuestMem;

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/*
 * One available buffer: the head index and the chain as host iovecs,
 * device-readable (out) ones first.  Devices allocate a larger struct that
 * starts with this one (virtqueue_pop's `size`).
 */
typedef struct VirtQueueElement {
    unsigned int index;
    /* The queue's incarnation when popped: a reset in between orphans it. */
    uint32_t queue_gen;
    unsigned int out_num;
    unsigned int in_num;
    uint64_t *in_addr;
    uint64_t *out_addr;
    struct iovec *in_sg;
    struct iovec *out_sg;
} VirtQueueElement;

typedef void VirtIOHandleOutput(VirtIODevice *vdev, VirtQueue *vq);

/* What a device model provides (the "class"). */
typedef struct VirtIODeviceOps {
    /* Refresh vdev->config before a driver read (may be NULL). */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    /* The driver wrote vdev->config (may be NULL: config is read-only). */
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* Back to the power-on state; queues are reset by the core. */
    void (*reset)(VirtIODevice *vdev);
    /* The driver wrote the status register (after the core checked it). */
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    /* Features the driver accepted are in vdev->guest_features. */
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    /* Device teardown: free what realize allocated (not vdev itself). */
    void (*unrealize)(VirtIODevice *vdev);
} VirtIODeviceOps;

/* What the device asks of its transport. */
typedef struct VirtIOTransportOps {
    /* InterruptStatus changed: raise or lower the line. */
    void (*update_irq)(void *transport, VirtIODevice *vdev);
} VirtIOTransportOps;

struct VirtIODevice {
    const char *name;
    uint16_t device_id;
    uint8_t status;
    uint8_t isr;
    /* A malformed ring was seen: nothing is processed until reset. */
    bool broken;
    /* The transport speaks the legacy (pre-1.0) interface. */
    bool legacy;
    uint64_t host_features;
    uint64_t guest_features;
    uint32_t generation;
    /* Bumped at every reset: completions of older requests are dropped. */
    uint32_t reset_count;
    size_t config_len;
    uint8_t *config;
    VirtQueue *vq;
    unsigned nvqs;
    const VirtIOGuestMem *mem;
    MainLoop *loop;
    const VirtIODeviceOps *ops;
    const VirtIOTransportOps *transport_ops;
    void *transport;
};

/*
 * How device code takes the big lock around callbacks that the block and
 * net layers run on the main loop without it, and how queue bottom halves
 * are made so that they run with it.  The system glue installs these; by
 * default (unit tests) there is no lock and BHs go on vdev->loop.
 */
typedef struct VirtIOLockOps {
    void (*lock)(void);
    void (*unlock)(void);
    bool (*locked)(void);
    BH *(*bh_new)(BHFunc *cb, void *opaque);
    void (*bh_delete)(BH *bh);
} VirtIOLockOps;

void virtio_set_lock_ops(const VirtIOLockOps *ops);
/* Take the lock unless this thread holds it; pass the result to virtio_unlock. */
bool virtio_lock(void);
void virtio_unlock(bool taken);
/* A bottom half on the main loop that runs with the lock held. */
BH *virtio_bh_new(VirtIODevice *vdev, BHFunc *cb, void *opaque);
void virtio_bh_delete(BH *bh);

/* ---- device side: setup ---------------------------------------------- */

/*
 * Initialise the common part of a device: `config_len` bytes of config
 * space, the features it offers (VERSION_1, INDIRECT_DESC and EVENT_IDX
 * are added here).  `loop` runs the queue handlers (NULL: the default).
 */
void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id, size_t config_len,
                 uint64_t features, const VirtIODeviceOps *ops, MainLoop *loop);
/* Free queues and config (calls ops->unrealize first). */
void virtio_cleanup(VirtIODevice *vdev);
/* Add a queue of at most `max_size` entries whose kicks call `handle`. */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned max_size, VirtIOHandleOutput *handle);
/* The memory the device's DMA goes through (set by the transport or a test). */
void virtio_set_guest_mem(VirtIODevice *vdev, const VirtIOGuestMem *mem);
void virtio_bind_transport(VirtIODevice *vdev, const VirtIOTransportOps *ops, void *transport);

static inline bool virtio_has_feature(uint64_t features, unsigned bit)
{
    return (features >> bit) & 1;
}

static inline bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return virtio_has_feature(vdev->guest_features, bit);
}

/* ---- transport side: the driver's view ------------------------------- */

/* Reset everything the driver can see (status 0 as written by the driver). */
void virtio_reset(VirtIODevice *vdev);
/*
 * The driver writes the status: 0 resets; FEATURES_OK is refused (left
 * clear) when the accepted features are not a subset of the offered ones
 * or lack VERSION_1 on a modern transport.
 */
void virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* DriverFeatures for bits [32*sel, 32*sel + 32); ignored after FEATURES_OK. */
void virtio_set_guest_features_word(VirtIODevice *vdev, unsigned sel, uint32_t val);
uint32_t virtio_get_host_features_word(VirtIODevice *vdev, unsigned sel);
/*
 * Config space, little-endian (the legacy interface is guest-endian, which
 * is little-endian on every target morph has).  Out-of-range reads return
 * all ones, out-of-range writes are ignored; both are logged.
 */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t offset, unsigned size, uint32_t val);
/* InterruptACK. */
void virtio_isr_ack(VirtIODevice *vdev, uint8_t bits);
/* QueueNotify: schedule the queue's handler (invalid index: logged). */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);

/* Per-queue registers.  Indexes >= VIRTIO_QUEUE_MAX are handled by the transport. */
unsigned virtio_queue_get_max_num(VirtIODevice *vdev, unsigned n);
unsigned virtio_queue_get_num(VirtIODevice *vdev, unsigned n);
void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num);
uint64_t virtio_queue_get_desc_addr(VirtIODevice *vdev, unsigned n);
uint64_t virtio_queue_get_avail_addr(VirtIODevice *vdev, unsigned n);
uint64_t virtio_queue_get_used_addr(VirtIODevice *vdev, unsigned n);
void virtio_queue_set_addrs(VirtIODevice *vdev, unsigned n, uint64_t desc, uint64_t avail,
                            uint64_t used);
/*
 * Legacy layout: rings laid out from `desc` with the used ring aligned to
 * `align` (2.7 "Legacy Interfaces: A Note on Virtqueue Layout").
 */
void virtio_queue_set_legacy_layout(VirtIODevice *vdev, unsigned n, uint64_t desc,
                                    unsigned align);
/*
 * Enable (QueueReady=1, or a non-zero legacy PFN) after checking the size
 * and that the three areas are aligned RAM; a bad queue is a virtio_error.
 */
bool virtio_queue_enable(VirtIODevice *vdev, unsigned n);
void virtio_queue_disable(VirtIODevice *vdev, unsigned n);
bool virtio_queue_ready(VirtIODevice *vdev, unsigned n);

/* ---- device side: using the queues ------------------------------------ */

/*
 * The device found the driver misbehaving: log a guest error, set
 * DEVICE_NEEDS_RESET (modern) and raise a configuration interrupt; the
 * device is then "broken" until reset.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n);
unsigned virtio_queue_index(VirtQueue *vq);
VirtIODevice *virtio_queue_device(VirtQueue *vq);
bool virtio_queue_is_ready(VirtQueue *vq);
/*
 * Take the next available chain as an element of `size` bytes (at least
 * sizeof(VirtQueueElement)), every buffer mapped; NULL when the queue is
 * empty, not ready, or the chain is malformed (then virtio_error was
 * called).  Free it with virtqueue_push or virtqueue_detach_element.
 */
void *virtqueue_pop(VirtQueue *vq, size_t size);
/* Return a chain to the driver with `len` bytes written; frees elem. */
void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len);
/*
 * Return several chains as one batch (mergeable rx buffers): fill writes
 * the used element `idx` places past the used index (and frees elem),
 * flush then publishes `count` of them at once.
 */
void virtqueue_fill(VirtQueue *vq, VirtQueueElement *elem, uint32_t len, unsigned idx);
void virtqueue_flush(VirtQueue *vq, unsigned count);
/* Give the chain back as not used (it will be popped again); frees elem. */
void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *elem);
/* Drop an element without returning it (reset, device error); frees elem. */
void virtqueue_detach_element(VirtQueue *vq, VirtQueueElement *elem);
/* Was the queue reset since `elem` was popped (its buffers are no longer the device's)? */
bool virtqueue_element_stale(VirtQueue *vq, const VirtQueueElement *elem);
/* Interrupt the driver for this queue unless it suppressed that (2.7.7, 2.7.10). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* Config changed: bump the generation and raise a configuration interrupt. */
void virtio_notify_config(VirtIODevice *vdev);
/* True if the driver made no buffer available. */
bool virtio_queue_empty(VirtQueue *vq);
/*
 * Ask the driver for kicks (enable) or not (disable, while the device is
 * polling the queue anyway); with EVENT_IDX this writes avail_event.
 */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);

/* iovec helpers. */
size_t iov_to_buf(const struct iovec *iov, unsigned cnt, size_t offset, void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned cnt, size_t offset, const void *buf,
                    size_t len);
size_t iov_size(const struct iovec *iov, unsigned cnt);

/* For the split ring code (virtqueue.c) only. */
void virtio_update_irq(VirtIODevice *vdev);

#endif
