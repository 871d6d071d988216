/*
 * virtio-blk (virtio 1.2 section 5.2): a block device over one request
 * queue, backed by a BlockBackend of the block layer (-drive).
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_BLK_H
#define MORPH_HW_VIRTIO_VIRTIO_BLK_H

#include "block/block.h"
#include "hw/virtio/virtio.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX     1
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_GEOMETRY     4
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_TOPOLOGY     10
#define VIRTIO_BLK_F_CONFIG_WCE   11
#define VIRTIO_BLK_F_MQ           12
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_GET_LIFETIME 10
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK           0
#define VIRTIO_BLK_S_IOERR        1
#define VIRTIO_BLK_S_UNSUPP       2
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1
#define VIRTIO_BLK_ID_BYTES       20

/* Config layout (5.2.4), the part up to write_zeroes_may_unmap. */
#define VIRTIO_BLK_CFG_CAPACITY          0
#define VIRTIO_BLK_CFG_SIZE_MAX          8
#define VIRTIO_BLK_CFG_SEG_MAX           12
#define VIRTIO_BLK_CFG_BLK_SIZE          20
#define VIRTIO_BLK_CFG_NUM_QUEUES        34
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECT  36
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG   40
#define VIRTIO_BLK_CFG_DISCARD_ALIGN     44
#define VIRTIO_BLK_CFG_MAX_WZ_SECT       48
#define VIRTIO_BLK_CFG_MAX_WZ_SEG        52
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP      56
#define VIRTIO_BLK_CFG_SIZE              60

#define VIRTIO_BLK_QUEUE_SIZE 256

typedef struct VirtIOBlock {
    VirtIODevice parent;
    BlockBackend *blk;
    char *serial;
    bool read_only;
    VirtQueue *vq;
    /* Requests submitted to the block layer and not completed. */
    unsigned inflight;
} VirtIOBlock;

/*
 * Set the device up over `blk` (the caller keeps its reference); `serial`
 * (may be NULL) answers GET_ID.
 */
bool virtio_blk_realize(VirtIOBlock *s, BlockBackend *blk, const char *serial, Error **errp);
/* Undo realize (requests still in flight are waited for). */
void virtio_blk_unrealize(VirtIOBlock *s);

#endif
