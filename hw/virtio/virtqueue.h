/*
 * The split virtqueue's state (virtio 1.2 section 2.7), shared by the
 * device core (virtio.c: registers, reset) and the ring code (virtqueue.c:
 * pop, push, notification suppression).  Not for device models: they use
 * include/hw/virtio/virtio.h.
 */
#ifndef MORPH_HW_VIRTIO_VIRTQUEUE_H
#define MORPH_HW_VIRTIO_VIRTQUEUE_H

#include "hw/virtio/virtio.h"

struct VirtQueue {
    VirtIODevice *vdev;
    unsigned index;
    unsigned max_num;
    /* QueueNum as the driver wrote it; checked when the queue is enabled. */
    unsigned num;
    bool ready;
    uint64_t desc_addr;
    uint64_t avail_addr;
    uint64_t used_addr;
    /* Host views of the three areas, mapped while the queue is ready. */
    uint8_t *desc;
    uint8_t *avail;
    uint8_t *used;
    uint64_t desc_len;
    uint64_t avail_len;
    uint64_t used_len;
    uint16_t last_avail_idx;
    uint16_t used_idx;
    /* Event index: the used index at the last interrupt (2.7.10). */
    uint16_t signalled_used;
    bool signalled_used_valid;
    bool notification;
    /* Elements popped and not yet pushed or detached. */
    unsigned inuse;
    /* Bumped whenever the queue is reset or restarted (orphans old elements). */
    uint32_t gen;
    VirtIOHandleOutput *handle;
    BH *bh;
    /* Scratch for a chain being walked (VIRTQUEUE_MAX_SIZE entries each). */
    struct iovec *scratch_iov;
    uint64_t *scratch_addr;
    bool *scratch_write;
};

/* Map the rings and mark the queue ready; false (and virtio_error) if bad. */
bool virtqueue_start(VirtQueue *vq);
/* Unmap the rings, back to the power-on state (num = max). */
void virtqueue_reset(VirtQueue *vq);
void virtqueue_init(VirtQueue *vq, VirtIODevice *vdev, unsigned index, unsigned max_num);
void virtqueue_destroy(VirtQueue *vq);

#endif
