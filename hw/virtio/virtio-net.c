/*
 * virtio-net (virtio 1.2 section 5.1): receiveq1 and transmitq1, with the
 * MAC address and link status (VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS) in
 * config space, and optionally mergeable receive buffers
 * (VIRTIO_NET_F_MRG_RXBUF, 5.1.6.3.1): a frame then spreads over as many
 * receive chains as it needs, and num_buffers in the first header says
 * how many; they are published to the driver in one used-index update.
 *
 * Every frame carries a struct virtio_net_hdr (5.1.6): 12 bytes with
 * VERSION_1 or MRG_RXBUF, 10 for a legacy driver without them.  No offloads
 * are offered (no CSUM, no GSO), so received headers are zero except
 * num_buffers, and transmitted headers are skipped.
 *
 * Frames come from the network layer (with the big lock held); when the
 * driver has no receive buffer the frame stays queued there and is offered
 * again when the driver adds buffers (a kick of receiveq1) or sets
 * DRIVER_OK.
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-net.h"
#include "util/log.h"

/* Frames sent per transmit run before yielding to the loop. */
#define VIRTIO_NET_TX_BURST 256

static size_t virtio_net_hdr_len(VirtIONet *n)
{
    if (virtio_vdev_has_feature(&n->parent, VIRTIO_F_VERSION_1) ||
        virtio_vdev_has_feature(&n->parent, VIRTIO_NET_F_MRG_RXBUF)) {
        return 12;
    }
    return 10;
}

static bool virtio_net_link_up(VirtIONet *n)
{
    return n->nc && !n->nc->link_down && n->nc->peer && !n->nc->peer->link_down;
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = (VirtIONet *)vdev;
    uint16_t status = GUINT16_TO_LE(virtio_net_link_up(n) ? VIRTIO_NET_S_LINK_UP : 0);

    memcpy(config + VIRTIO_NET_CFG_MAC, n->mac, 6);
    memcpy(config + VIRTIO_NET_CFG_STATUS, &status, 2);
}

static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = (VirtIONet *)vdev;

    /* A legacy driver sets the MAC by writing it (no VIRTIO_NET_F_CTRL_MAC_ADDR). */
    if (vdev->legacy) {
        memcpy(n->mac, config + VIRTIO_NET_CFG_MAC, 6);
    }
}

static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = (VirtIONet *)vdev;

    n->hdr_len = virtio_net_hdr_len(n);
    n->mergeable = virtio_has_feature(features, VIRTIO_NET_F_MRG_RXBUF);
}

static void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = (VirtIONet *)vdev;

    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && n->nc) {
        /* Legacy drivers have no FEATURES_OK: settle the header size now. */
        n->hdr_len = virtio_net_hdr_len(n);
        n->mergeable = virtio_vdev_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
        net_flush_queued_packets(n->nc);
    }
}

static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *n = (VirtIONet *)vdev;

    n->hdr_len = 10;
    n->mergeable = false;
}

/* ---- transmit -------------------------------------------------------------- */

static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = (VirtIONet *)vdev;
    VirtQueueElement *e;
    unsigned sent = 0;
    uint8_t *frame = NULL;

    while ((e = virtqueue_pop(vq, sizeof(*e)))) {
        size_t size = iov_size(e->out_sg, e->out_num);

        if (size < n->hdr_len) {
            virtio_error(vdev, "virtio-net header not in first element");
            virtqueue_detach_element(vq, e);
            break;
        }
        size -= n->hdr_len;
        if (size > NET_MAX_FRAME) {
            log_guest_error("%s: %zu-byte frame dropped\n", vdev->name, size);
        } else if (size && n->nc) {
            if (!frame) {
                frame = g_malloc(NET_MAX_FRAME);
            }
            iov_to_buf(e->out_sg, e->out_num, n->hdr_len, frame, size);
            net_send_packet(n->nc, frame, size);
        }
        virtqueue_push(vq, e, 0);
        if (++sent == VIRTIO_NET_TX_BURST) {
            /* Let the loop breathe; come back for the rest. */
            virtio_queue_notify(vdev, VIRTIO_NET_TX);
            break;
        }
    }
    g_free(frame);
    if (sent) {
        virtio_notify(vdev, vq);
    }
}

/* ---- receive ----------------------------------------------------------------- */

/* Copy bytes [off, off + len) of the stream header ++ frame into iov. */
static void virtio_net_copy_stream(const struct iovec *iov, unsigned cnt, const uint8_t *hdr,
                                   size_t hdr_len, const uint8_t *buf, size_t off, size_t len)
{
    size_t done = 0;

    if (off < hdr_len) {
        size_t h = MIN(hdr_len - off, len);

        iov_from_buf(iov, cnt, 0, hdr + off, h);
        done = h;
        off += h;
    }
    if (done < len) {
        iov_from_buf(iov, cnt, done, buf + (off - hdr_len), len - done);
    }
}

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;
    VirtIODevice *vdev = &n->parent;

    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && virtio_queue_is_ready(n->rx_vq);
}

static bool virtio_net_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    VirtIONet *n = nc->opaque;
    VirtIODevice *vdev = &n->parent;
    VirtQueueElement *elems[VIRTIO_NET_QUEUE_SIZE];
    uint32_t lens[VIRTIO_NET_QUEUE_SIZE];
    uint8_t hdr[12] = { 0 };
    size_t total = n->hdr_len + size, off = 0;
    unsigned count = 0, i;
    uint16_t nb;

    while (off < total) {
        VirtQueueElement *e;
        size_t cap, len;

        if (count == VIRTIO_NET_QUEUE_SIZE) {
            log_guest_error("%s: receive buffers too small for a %zu-byte frame\n",
                            vdev->name, size);
            goto drop;
        }
        e = virtqueue_pop(n->rx_vq, sizeof(*e));
        if (!e) {
            if (vdev->broken) {
                goto drop;
            }
            /* Not enough buffers yet: give them back and keep the frame queued. */
            while (count) {
                virtqueue_unpop(n->rx_vq, elems[--count]);
            }
            return false;
        }
        cap = iov_size(e->in_sg, e->in_num);
        if (cap < (count ? 1 : n->hdr_len)) {
            virtio_error(vdev, "virtio-net receive queue contains no in buffers");
            virtqueue_detach_element(n->rx_vq, e);
            goto drop;
        }
        len = MIN(cap, total - off);
        if (count == 0) {
            /* The header goes in whole; num_buffers is filled in below. */
            virtio_net_copy_stream(e->in_sg, e->in_num, hdr, n->hdr_len, buf, 0, len);
        } else {
            iov_from_buf(e->in_sg, e->in_num, 0, buf + (off - n->hdr_len), len);
        }
        elems[count] = e;
        lens[count++] = len;
        off += len;
        if (!n->mergeable) {
            if (off < total) {
                log_guest_error("%s: %zu-byte frame truncated to a %zu-byte buffer\n",
                                vdev->name, size, cap);
            }
            break;
        }
    }
    if (n->hdr_len == 12) {
        nb = GUINT16_TO_LE(count);
        iov_from_buf(elems[0]->in_sg, elems[0]->in_num, 10, &nb, 2);
    }
    for (i = 0; i < count; i++) {
        virtqueue_fill(n->rx_vq, elems[i], lens[i], i);
    }
    virtqueue_flush(n->rx_vq, count);
    virtio_notify(vdev, n->rx_vq);
    return true;

drop:
    while (count) {
        virtqueue_detach_element(n->rx_vq, elems[--count]);
    }
    return true;
}

static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = (VirtIONet *)vdev;

    /* New receive buffers: frames waiting in the network layer can come in. */
    if (n->nc) {
        net_flush_queued_packets(n->nc);
    }
}

static void virtio_net_link_status_changed(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;

    if (virtio_vdev_has_feature(&n->parent, VIRTIO_NET_F_STATUS)) {
        virtio_notify_config(&n->parent);
    }
}

static const NetClientInfo virtio_net_info = {
    .type = "nic",
    .can_receive = virtio_net_can_receive,
    .receive = virtio_net_receive,
    .link_status_changed = virtio_net_link_status_changed,
};

static const VirtIODeviceOps virtio_net_ops = {
    .get_config = virtio_net_get_config,
    .set_config = virtio_net_set_config,
    .set_features = virtio_net_set_features,
    .set_status = virtio_net_set_status,
    .reset = virtio_net_reset,
};

bool virtio_net_realize(VirtIONet *n, NetClientState *netdev, const uint8_t *mac,
                        bool mrg_rxbuf, Error **errp)
{
    uint64_t features = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS);

    if (mac) {
        memcpy(n->mac, mac, 6);
    } else {
        net_default_macaddr(n->mac);
    }
    n->mrg_rxbuf_offered = mrg_rxbuf;
    if (mrg_rxbuf) {
        features |= 1ULL << VIRTIO_NET_F_MRG_RXBUF;
    }
    n->nc = net_client_new(&virtio_net_info, "virtio-net", false, n);
    if (netdev && !net_client_connect(n->nc, netdev, errp)) {
        net_client_free(n->nc);
        n->nc = NULL;
        return false;
    }
    virtio_init(&n->parent, "virtio-net", VIRTIO_ID_NET, VIRTIO_NET_CFG_SIZE, features,
                &virtio_net_ops, NULL);
    n->rx_vq = virtio_add_queue(&n->parent, VIRTIO_NET_QUEUE_SIZE, virtio_net_handle_rx);
    n->tx_vq = virtio_add_queue(&n->parent, VIRTIO_NET_QUEUE_SIZE, virtio_net_handle_tx);
    n->hdr_len = 10;
    return true;
}

void virtio_net_unrealize(VirtIONet *n)
{
    net_client_free(n->nc);
    n->nc = NULL;
    virtio_cleanup(&n->parent);
}
