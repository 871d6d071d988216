/*
 * virtio-console (virtio 1.2 section 5.3) as QEMU's virtio-serial-device
 * with one port: receiveq and transmitq of port 0, without the multiport
 * control queues, so the driver makes port 0 its console (hvc0).  The port
 * is joined to a character device (-device virtconsole,chardev=ID).
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_CONSOLE_H
#define MORPH_HW_VIRTIO_VIRTIO_CONSOLE_H

#include "chardev/char.h"
#include "hw/virtio/virtio.h"

/* Config layout (5.3.4): cols, rows, max_nr_ports, emerg_wr. */
#define VIRTIO_CONSOLE_CFG_SIZE 12
#define VIRTIO_CONSOLE_QUEUE_SIZE 128

typedef struct VirtIOConsole {
    VirtIODevice parent;
    VirtQueue *rx_vq;
    VirtQueue *tx_vq;
    /* The port's character device (virtconsole), or NULL: output dropped. */
    CharBackend *chr;
    /* The receive buffer being filled from the chardev. */
    VirtQueueElement *rx_elem;
    size_t rx_used;
} VirtIOConsole;

void virtio_console_realize(VirtIOConsole *s);
void virtio_console_unrealize(VirtIOConsole *s);
/* Join the port to a frontend handle whose chardev is set (virtconsole). */
void virtio_console_attach(VirtIOConsole *s, CharBackend *chr);

#endif
