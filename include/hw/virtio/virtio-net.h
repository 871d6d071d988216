/*
 * virtio-net (virtio 1.2 section 5.1): one receive and one transmit
 * queue, a MAC address and link status in config space, joined to a
 * -netdev back end through the network layer (include/net/net.h).
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_NET_H
#define MORPH_HW_VIRTIO_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "net/net.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM      0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU       3
#define VIRTIO_NET_F_MAC       5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS    16
#define VIRTIO_NET_F_CTRL_VQ   17

#define VIRTIO_NET_S_LINK_UP   1

/* Config layout (5.1.4): mac[6], status. */
#define VIRTIO_NET_CFG_MAC    0
#define VIRTIO_NET_CFG_STATUS 6
#define VIRTIO_NET_CFG_SIZE   8

#define VIRTIO_NET_QUEUE_SIZE 256
#define VIRTIO_NET_RX 0
#define VIRTIO_NET_TX 1

typedef struct VirtIONet {
    VirtIODevice parent;
    VirtQueue *rx_vq;
    VirtQueue *tx_vq;
    NetClientState *nc;
    uint8_t mac[6];
    /* Offer VIRTIO_NET_F_MRG_RXBUF (property mrg_rxbuf, on by default). */
    bool mrg_rxbuf_offered;
    /* Negotiated: header size and mergeable buffers. */
    size_t hdr_len;
    bool mergeable;
} VirtIONet;

/*
 * Set up over `netdev` (NULL: no back end, the link is down).  `mac`
 * NULL takes QEMU's next default address.
 */
bool virtio_net_realize(VirtIONet *n, NetClientState *netdev, const uint8_t *mac,
                        bool mrg_rxbuf, Error **errp);
void virtio_net_unrealize(VirtIONet *n);

#endif
