/*
 * virtio-rng (virtio 1.2 section 5.4): an entropy source with one request
 * queue, fed from the host's getrandom().
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_RNG_H
#define MORPH_HW_VIRTIO_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"

#define VIRTIO_RNG_QUEUE_SIZE 8
/* Bytes given per request at most (a guest cannot make one request take long). */
#define VIRTIO_RNG_MAX_REQUEST 65536

typedef struct VirtIORNG {
    VirtIODevice parent;
    VirtQueue *vq;
} VirtIORNG;

void virtio_rng_realize(VirtIORNG *s);
void virtio_rng_unrealize(VirtIORNG *s);

#endif
