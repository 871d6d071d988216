/*
 * virtio-rng (virtio 1.2 section 5.4): every device-writable buffer the
 * driver makes available is filled with bytes from the host's getrandom()
 * and returned with the number of bytes written.  The device has no
 * feature bits and no configuration space.  5.4.6.1 forbids
 * driver-readable buffers; one is logged and skipped, as QEMU ignores them.
 */
#include <errno.h>
#include <sys/random.h>

#include <glib.h>

#include "hw/virtio/virtio-rng.h"
#include "util/log.h"

/* Fill `len` bytes; returns how many the host gave (short only on error). */
static size_t virtio_rng_fill(void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = getrandom((uint8_t *)buf + done, len - done, 0);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        done += n;
    }
    return done;
}

static void virtio_rng_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIORNG *s = (VirtIORNG *)vdev;
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        size_t left = VIRTIO_RNG_MAX_REQUEST, total = 0;
        unsigned i;

        if (e->out_num) {
            log_guest_error("%s: driver-readable buffer in the request queue\n",
                            s->parent.name);
        }
        for (i = 0; i < e->in_num && left; i++) {
            size_t want = MIN(e->in_sg[i].iov_len, left);
            size_t got = virtio_rng_fill(e->in_sg[i].iov_base, want);

            total += got;
            left -= got;
            if (got < want) {
                break;
            }
        }
        virtqueue_push(vq, e, total);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

void virtio_rng_realize(VirtIORNG *s)
{
    virtio_init(&s->parent, "virtio-rng", VIRTIO_ID_RNG, 0, 0, NULL, NULL);
    s->vq = virtio_add_queue(&s->parent, VIRTIO_RNG_QUEUE_SIZE, virtio_rng_handle_request);
}

void virtio_rng_unrealize(VirtIORNG *s)
{
    virtio_cleanup(&s->parent);
}
