/*
 * virtio-blk (virtio 1.2 section 5.2): one request queue whose requests
 * (5.2.6: a 16-byte header {type, reserved, sector}, data, and a status
 * byte written last) go to the block layer's asynchronous interface and
 * complete on the main loop, any number in flight.  Read, write, flush,
 * get-id, discard and write-zeroes are served; an unknown type answers
 * UNSUPP, a sector range past the end of the disk or a write to a
 * read-only drive answers IOERR (5.2.6.1), as QEMU's
 * hw/block/virtio-blk.c does.  A request without room for its header or
 * status is a driver error (virtio_error), since there is nowhere to put
 * an answer.
 *
 * The header is copied out of the chain rather than assumed to be its own
 * descriptor, so any layout works (VIRTIO_F_ANY_LAYOUT is the modern rule).
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-blk.h"
#include "util/log.h"

#define VIRTIO_BLK_SECTOR 512
/* QEMU's seg_max: the queue size less the header and status descriptors. */
#define VIRTIO_BLK_SEG_MAX (VIRTIO_BLK_QUEUE_SIZE - 2)
#define VIRTIO_BLK_MAX_SECTORS ((uint32_t)(BDRV_REQUEST_MAX_BYTES / VIRTIO_BLK_SECTOR))

typedef struct VirtIOBlockReq {
    VirtQueueElement elem; /* first: virtqueue_pop allocates the request */
    VirtIOBlock *dev;
    BlkIOV qiov;
    uint8_t *status;
    uint32_t in_len;
    uint32_t type;
} VirtIOBlockReq;

static uint64_t virtio_blk_sectors(VirtIOBlock *s)
{
    int64_t len = blk_getlength(s->blk);

    return len > 0 ? (uint64_t)len / VIRTIO_BLK_SECTOR : 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, 2);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;

    memset(config, 0, VIRTIO_BLK_CFG_SIZE);
    put_le64(config + VIRTIO_BLK_CFG_CAPACITY, virtio_blk_sectors(s));
    put_le32(config + VIRTIO_BLK_CFG_SEG_MAX, VIRTIO_BLK_SEG_MAX);
    put_le32(config + VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR);
    put_le16(config + VIRTIO_BLK_CFG_NUM_QUEUES, 1);
    put_le32(config + VIRTIO_BLK_CFG_MAX_DISCARD_SECT, VIRTIO_BLK_MAX_SECTORS);
    put_le32(config + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1);
    put_le32(config + VIRTIO_BLK_CFG_DISCARD_ALIGN, 1);
    put_le32(config + VIRTIO_BLK_CFG_MAX_WZ_SECT, VIRTIO_BLK_MAX_SECTORS);
    put_le32(config + VIRTIO_BLK_CFG_MAX_WZ_SEG, 1);
    config[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
}

/* ---- completion ---------------------------------------------------------- */

static void virtio_blk_complete(VirtIOBlockReq *req, uint8_t status)
{
    VirtIOBlock *s = req->dev;

    /* A request orphaned by a reset leaves the (forgotten) buffers alone. */
    if (!virtqueue_element_stale(s->vq, &req->elem)) {
        *req->status = status;
    }
    blkiov_destroy(&req->qiov);
    virtqueue_push(s->vq, &req->elem, (status == VIRTIO_BLK_S_OK ? req->in_len : 0) + 1);
    virtio_notify(&s->parent, s->vq);
}

static void virtio_blk_aio_done(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;
    bool taken = virtio_lock();

    req->dev->inflight--;
    if (ret < 0) {
        log_guest_error("%s: request type %u failed: %s\n", req->dev->parent.name, req->type,
                        g_strerror(-ret));
    }
    virtio_blk_complete(req, ret < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK);
    virtio_unlock(taken);
}

/* ---- requests -------------------------------------------------------------- */

/* Append bytes [skip, skip + len) of an iovec array to a BlkIOV. */
static void blkiov_add_range(BlkIOV *q, const struct iovec *iov, unsigned cnt, size_t skip,
                             size_t len)
{
    unsigned i;

    for (i = 0; i < cnt && len; i++) {
        if (skip >= iov[i].iov_len) {
            skip -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - skip, len);
        blkiov_add(q, (uint8_t *)iov[i].iov_base + skip, n);
        len -= n;
        skip = 0;
    }
}

/* Is [sector, sector + bytes / 512) inside the disk, in whole sectors? */
static bool virtio_blk_range_ok(VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    uint64_t total = virtio_blk_sectors(s);
    uint64_t n = bytes / VIRTIO_BLK_SECTOR;

    if (bytes % VIRTIO_BLK_SECTOR || bytes > BDRV_REQUEST_MAX_BYTES) {
        log_guest_error("%s: request of %" PRIu64 " bytes is not whole sectors or too large\n",
                        s->parent.name, bytes);
        return false;
    }
    if (sector > total || n > total - sector) {
        log_guest_error("%s: sectors %" PRIu64 "+%" PRIu64 " beyond the end (%" PRIu64 ")\n",
                        s->parent.name, sector, n, total);
        return false;
    }
    return true;
}

static void virtio_blk_get_id(VirtIOBlock *s, VirtIOBlockReq *req, size_t in_data)
{
    const char *serial = s->serial ? s->serial : "";
    size_t n = MIN(strlen(serial) + 1, MIN(in_data, (size_t)VIRTIO_BLK_ID_BYTES));

    req->in_len = iov_from_buf(req->elem.in_sg, req->elem.in_num, 0, serial, n);
    virtio_blk_complete(req, VIRTIO_BLK_S_OK);
}

/* DISCARD and WRITE_ZEROES: one 16-byte segment {sector, num_sectors, flags}. */
static void virtio_blk_discard_wz(VirtIOBlock *s, VirtIOBlockReq *req, size_t out_data)
{
    VirtQueueElement *e = &req->elem;
    bool wz = req->type == VIRTIO_BLK_T_WRITE_ZEROES;
    uint8_t seg[16];
    uint64_t sector;
    uint32_t nsect, flags;

    if (!virtio_has_feature(s->parent.host_features,
                            wz ? VIRTIO_BLK_F_WRITE_ZEROES : VIRTIO_BLK_F_DISCARD)) {
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    /* max_discard_seg = max_write_zeroes_seg = 1, as QEMU. */
    if (out_data != sizeof(seg)) {
        log_guest_error("%s: %s with %zu bytes of segments\n", s->parent.name,
                        wz ? "write-zeroes" : "discard", out_data);
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    iov_to_buf(e->out_sg, e->out_num, 16, seg, sizeof(seg));
    memcpy(&sector, seg, 8);
    memcpy(&nsect, seg + 8, 4);
    memcpy(&flags, seg + 12, 4);
    sector = GUINT64_FROM_LE(sector);
    nsect = GUINT32_FROM_LE(nsect);
    flags = GUINT32_FROM_LE(flags);
    /* 5.2.6.2: unknown flags, or unmap on a discard, are unsupported. */
    if (flags & ~(uint32_t)VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP ||
        (!wz && (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP))) {
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    if (s->read_only || nsect > VIRTIO_BLK_MAX_SECTORS ||
        !virtio_blk_range_ok(s, sector, (uint64_t)nsect * VIRTIO_BLK_SECTOR)) {
        virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
        return;
    }
    s->inflight++;
    if (wz) {
        blk_aio_pwrite_zeroes(s->blk, sector * VIRTIO_BLK_SECTOR,
                              (int64_t)nsect * VIRTIO_BLK_SECTOR,
                              (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) ? BDRV_REQ_MAY_UNMAP
                                                                           : 0,
                              virtio_blk_aio_done, req);
    } else {
        blk_aio_pdiscard(s->blk, sector * VIRTIO_BLK_SECTOR, (int64_t)nsect * VIRTIO_BLK_SECTOR,
                         virtio_blk_aio_done, req);
    }
}

/* Returns false when the request was a driver error (the device is now broken). */
static bool virtio_blk_handle_request(VirtIOBlock *s, VirtIOBlockReq *req)
{
    VirtQueueElement *e = &req->elem;
    struct iovec *last;
    uint8_t hdr[16];
    uint64_t sector;
    size_t out_data, in_data;

    req->dev = s;
    blkiov_init(&req->qiov, 1);
    if (e->out_num < 1 || e->in_num < 1 ||
        iov_to_buf(e->out_sg, e->out_num, 0, hdr, sizeof(hdr)) < sizeof(hdr)) {
        virtio_error(&s->parent, "virtio-blk request without header or status");
        blkiov_destroy(&req->qiov);
        virtqueue_detach_element(s->vq, e);
        return false;
    }
    last = &e->in_sg[e->in_num - 1];
    req->status = (uint8_t *)last->iov_base + last->iov_len - 1;
    out_data = iov_size(e->out_sg, e->out_num) - sizeof(hdr);
    in_data = iov_size(e->in_sg, e->in_num) - 1;
    memcpy(&req->type, hdr, 4);
    memcpy(&sector, hdr + 8, 8);
    req->type = GUINT32_FROM_LE(req->type);
    sector = GUINT64_FROM_LE(sector);

    switch (req->type) {
    case VIRTIO_BLK_T_IN:
        if (!virtio_blk_range_ok(s, sector, in_data)) {
            virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
            break;
        }
        blkiov_add_range(&req->qiov, e->in_sg, e->in_num, 0, in_data);
        req->in_len = in_data;
        s->inflight++;
        blk_aio_preadv(s->blk, sector * VIRTIO_BLK_SECTOR, &req->qiov, 0, virtio_blk_aio_done,
                       req);
        break;
    case VIRTIO_BLK_T_OUT:
        if (s->read_only) {
            log_guest_error("%s: write to a read-only drive\n", s->parent.name);
            virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
            break;
        }
        if (!virtio_blk_range_ok(s, sector, out_data)) {
            virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
            break;
        }
        blkiov_add_range(&req->qiov, e->out_sg, e->out_num, sizeof(hdr), out_data);
        s->inflight++;
        blk_aio_pwritev(s->blk, sector * VIRTIO_BLK_SECTOR, &req->qiov, 0, virtio_blk_aio_done,
                        req);
        break;
    case VIRTIO_BLK_T_FLUSH:
        s->inflight++;
        blk_aio_flush(s->blk, virtio_blk_aio_done, req);
        break;
    case VIRTIO_BLK_T_GET_ID:
        virtio_blk_get_id(s, req, in_data);
        break;
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        virtio_blk_discard_wz(s, req, out_data);
        break;
    default:
        log_unimp("%s: request type %u unsupported\n", s->parent.name, req->type);
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        break;
    }
    return true;
}

static void virtio_blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;
    VirtIOBlockReq *req;

    while ((req = virtqueue_pop(vq, sizeof(*req)))) {
        if (!virtio_blk_handle_request(s, req)) {
            break;
        }
    }
}

static const VirtIODeviceOps virtio_blk_ops = {
    .get_config = virtio_blk_get_config,
};

bool virtio_blk_realize(VirtIOBlock *s, BlockBackend *blk, const char *serial, Error **errp)
{
    uint64_t features;

    if (!blk) {
        error_setg(errp, "drive property not set");
        return false;
    }
    s->blk = blk;
    s->serial = g_strdup(serial);
    s->read_only = bdrv_is_read_only(blk_bs(blk));
    s->inflight = 0;
    features = (1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_BLK_SIZE) |
               (1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_DISCARD) |
               (1ULL << VIRTIO_BLK_F_WRITE_ZEROES);
    if (s->read_only) {
        features |= 1ULL << VIRTIO_BLK_F_RO;
    }
    virtio_init(&s->parent, "virtio-blk", VIRTIO_ID_BLOCK, VIRTIO_BLK_CFG_SIZE, features,
                &virtio_blk_ops, NULL);
    s->vq = virtio_add_queue(&s->parent, VIRTIO_BLK_QUEUE_SIZE, virtio_blk_handle_output);
    return true;
}

void virtio_blk_unrealize(VirtIOBlock *s)
{
    if (s->blk) {
        blk_drain(s->blk);
    }
    virtio_cleanup(&s->parent);
    g_free(s->serial);
    s->serial = NULL;
}
