/*
 * virtio-console (virtio 1.2 section 5.3) with a single port and no
 * VIRTIO_CONSOLE_F_MULTIPORT: queue 0 carries host-to-guest data
 * (receiveq), queue 1 guest-to-host data (transmitq), and the driver uses
 * the port as its console (5.3.6, "the driver... port 0").  The port's
 * other end is a character device.
 *
 * Input flows as QEMU's virtio-serial does it: when the chardev asks how
 * much the port takes, the next receive buffer is taken from the queue and
 * its room is the answer, so nothing read from the chardev is ever
 * dropped; the buffer is returned once data has been put in it.
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-console.h"
#include "util/log.h"

static void virtio_console_rx_flush(VirtIOConsole *s)
{
    if (s->rx_elem && s->rx_used) {
        virtqueue_push(s->rx_vq, s->rx_elem, s->rx_used);
        s->rx_elem = NULL;
        s->rx_used = 0;
        virtio_notify(&s->parent, s->rx_vq);
    }
}

static size_t virtio_console_rx_room(VirtIOConsole *s)
{
    if (!(s->parent.status & VIRTIO_CONFIG_S_DRIVER_OK) || !virtio_queue_is_ready(s->rx_vq)) {
        return 0;
    }
    if (!s->rx_elem) {
        s->rx_elem = virtqueue_pop(s->rx_vq, sizeof(VirtQueueElement));
        s->rx_used = 0;
        if (!s->rx_elem) {
            return 0;
        }
    }
    return iov_size(s->rx_elem->in_sg, s->rx_elem->in_num) - s->rx_used;
}

static int virtio_console_can_read(void *opaque)
{
    VirtIOConsole *s = opaque;

    return MIN(virtio_console_rx_room(s), 4096);
}

static void virtio_console_read(void *opaque, const uint8_t *buf, int size)
{
    VirtIOConsole *s = opaque;

    while (size > 0) {
        size_t room = virtio_console_rx_room(s);
        size_t n = MIN(room, (size_t)size);

        if (n == 0) {
            log_guest_error("%s: %d input bytes dropped (no receive buffer)\n",
                            s->parent.name, size);
            break;
        }
        iov_from_buf(s->rx_elem->in_sg, s->rx_elem->in_num, s->rx_used, buf, n);
        s->rx_used += n;
        buf += n;
        size -= n;
        virtio_console_rx_flush(s);
    }
}

static void virtio_console_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOConsole *s = (VirtIOConsole *)vdev;

    if (s->chr) {
        qemu_chr_fe_accept_input(s->chr);
    }
}

static void virtio_console_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOConsole *s = (VirtIOConsole *)vdev;
    VirtQueueElement *e;
    bool pushed = false;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        unsigned i;

        for (i = 0; i < e->out_num && s->chr; i++) {
            qemu_chr_fe_write_all(s->chr, e->out_sg[i].iov_base, e->out_sg[i].iov_len);
        }
        virtqueue_push(vq, e, 0);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void virtio_console_reset(VirtIODevice *vdev)
{
    VirtIOConsole *s = (VirtIOConsole *)vdev;

    /* The queue is reset with the device: the element is forgotten with it. */
    if (s->rx_elem) {
        virtqueue_detach_element(s->rx_vq, s->rx_elem);
        s->rx_elem = NULL;
    }
    s->rx_used = 0;
}

static void virtio_console_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOConsole *s = (VirtIOConsole *)vdev;

    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && s->chr) {
        qemu_chr_fe_accept_input(s->chr);
    }
}

static const VirtIODeviceOps virtio_console_ops = {
    .reset = virtio_console_reset,
    .set_status = virtio_console_set_status,
};

void virtio_console_realize(VirtIOConsole *s)
{
    virtio_init(&s->parent, "virtio-serial", VIRTIO_ID_CONSOLE, VIRTIO_CONSOLE_CFG_SIZE, 0,
                &virtio_console_ops, NULL);
    s->rx_vq = virtio_add_queue(&s->parent, VIRTIO_CONSOLE_QUEUE_SIZE, virtio_console_handle_rx);
    s->tx_vq = virtio_add_queue(&s->parent, VIRTIO_CONSOLE_QUEUE_SIZE, virtio_console_handle_tx);
}

void virtio_console_attach(VirtIOConsole *s, CharBackend *chr)
{
    s->chr = chr;
    qemu_chr_fe_set_handlers(chr, virtio_console_can_read, virtio_console_read, NULL, s);
}

void virtio_console_unrealize(VirtIOConsole *s)
{
    if (s->chr) {
        qemu_chr_fe_set_handlers(s->chr, NULL, NULL, NULL, NULL);
        s->chr = NULL;
    }
    virtio_cleanup(&s->parent);
}
