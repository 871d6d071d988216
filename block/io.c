/*
 * Requests on nodes (QEMU's block/io.c, reduced): bounds and read-only
 * checks before a driver sees a request, flush down the graph, the block
 * status walk along a backing chain, and the wrappers that let code
 * outside a coroutine issue a request and wait for it on the main loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/block_int.h"

void bdrv_run_co(CoroutineEntry *fn, void *opaque, bool *done)
{
    if (coroutine_in_coroutine()) {
        fn(opaque);
        return;
    }
    coroutine_enter(coroutine_create(fn, opaque));
    while (!*done) {
        block_poll();
    }
}

static int bdrv_check_request(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (offset < 0 || bytes < 0 || offset > INT64_MAX - bytes) {
        return -EIO;
    }
    if (!bs->drv->is_protocol && !(flags & BDRV_REQ_VMSTATE)) {
        int64_t len = bdrv_getlength(bs);
        if (len < 0) {
            return (int)len;
        }
        if (offset + bytes > len) {
            return -EIO;
        }
    }
    return 0;
}

int bdrv_co_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                   int flags)
{
    int ret = bdrv_check_request(bs, offset, bytes, flags);

    if (ret < 0) {
        return ret;
    }
    if (bytes == 0) {
        return 0;
    }
    if (!bs->drv->co_preadv) {
        return -ENOTSUP;
    }
    bs->in_flight++;
    ret = bs->drv->co_preadv(bs, offset, bytes, qiov, flags);
    bs->in_flight--;
    return ret;
}

int bdrv_co_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                    int flags)
{
    int ret = bdrv_check_request(bs, offset, bytes, flags);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if (bytes == 0) {
        return 0;
    }
    if (!bs->drv->co_pwritev) {
        return -ENOTSUP;
    }
    bs->in_flight++;
    ret = bs->drv->co_pwritev(bs, offset, bytes, qiov, flags);
    bs->in_flight--;
    return ret;
}

int bdrv_co_pread(BlockDriverState *bs, int64_t offset, int64_t bytes, void *buf, int flags)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, buf, bytes);
    ret = bdrv_co_preadv(bs, offset, bytes, &q, flags);
    blkiov_destroy(&q);
    return ret;
}

int bdrv_co_pwrite(BlockDriverState *bs, int64_t offset, int64_t bytes, const void *buf,
                   int flags)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, (void *)buf, bytes);
    ret = bdrv_co_pwritev(bs, offset, bytes, &q, flags);
    blkiov_destroy(&q);
    return ret;
}

/* Drivers without a zeroing primitive get zeroes written in bounded pieces. */
static int bdrv_co_write_zero_buffer(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    int64_t chunk = MIN(bytes, (int64_t)1 << 20);
    void *zero = blk_blockalign(chunk);
    int ret = 0;

    memset(zero, 0, chunk);
    while (bytes > 0 && ret == 0) {
        int64_t n = MIN(bytes, chunk);
        ret = bdrv_co_pwrite(bs, offset, n, zero, 0);
        offset += n;
        bytes -= n;
    }
    blk_free(zero);
    return ret;
}

int bdrv_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags)
{
    int ret = bdrv_check_request(bs, offset, bytes, flags);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if (bytes == 0) {
        return 0;
    }
    if (!(bs->open_flags & BDRV_O_UNMAP)) {
        flags &= ~BDRV_REQ_MAY_UNMAP;
    }
    bs->in_flight++;
    ret = -ENOTSUP;
    if (bs->drv->co_pwrite_zeroes) {
        ret = bs->drv->co_pwrite_zeroes(bs, offset, bytes, flags);
    }
    if (ret == -ENOTSUP) {
        ret = bdrv_co_write_zero_buffer(bs, offset, bytes);
    }
    bs->in_flight--;
    return ret;
}

int bdrv_co_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    int ret = bdrv_check_request(bs, offset, bytes, 0);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    /* discard=ignore (the default): a discard is a successful no-op. */
    if (bytes == 0 || !(bs->open_flags & BDRV_O_UNMAP) || !bs->drv->co_pdiscard) {
        return 0;
    }
    bs->in_flight++;
    ret = bs->drv->co_pdiscard(bs, offset, bytes);
    bs->in_flight--;
    return ret;
}

int bdrv_co_flush(BlockDriverState *bs)
{
    int ret;

    if (!bs || !bs->drv || bs->read_only) {
        return 0;
    }
    bs->in_flight++;
    if (bs->drv->is_protocol) {
        /* cache=unsafe: the host's cache is trusted, never synced. */
        ret = (bs->open_flags & BDRV_O_NO_FLUSH) ? 0 : bs->drv->co_flush(bs);
    } else if (bs->drv->co_flush) {
        ret = bs->drv->co_flush(bs);
    } else {
        ret = bdrv_co_flush(bs->file);
    }
    bs->in_flight--;
    return ret;
}

int bdrv_co_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes, int64_t *pnum,
                         int64_t *map, BlockDriverState **file)
{
    int64_t len = bdrv_getlength(bs);
    int64_t m = 0;
    BlockDriverState *f = NULL;
    int ret;

    if (len < 0) {
        return (int)len;
    }
    if (offset >= len) {
        *pnum = 0;
        return 0;
    }
    bytes = MIN(bytes, len - offset);
    if (!bs->drv->co_block_status) {
        *pnum = bytes;
        ret = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED;
    } else {
        bs->in_flight++;
        ret = bs->drv->co_block_status(bs, offset, bytes, pnum, &m, &f);
        bs->in_flight--;
        if (ret >= 0 && (*pnum <= 0 || *pnum > bytes)) {
            *pnum = bytes;
        }
    }
    if (map) {
        *map = m;
    }
    if (file) {
        *file = f;
    }
    return ret;
}

/* ---- wrappers usable outside coroutines ---------------------------------- */

typedef enum RwOp {
    RW_READ,
    RW_WRITE,
    RW_ZEROES,
    RW_DISCARD,
    RW_FLUSH,
    RW_STATUS,
    RW_STATUS_ABOVE,
    RW_TRUNCATE,
} RwOp;

typedef struct RwCo {
    RwOp op;
    BlockDriverState *bs;
    BlockDriverState *base;
    int64_t offset;
    int64_t bytes;
    BlkIOV *qiov;
    int flags;
    int64_t *pnum;
    int64_t *map;
    BlockDriverState **file;
    int *depth;
    bool exact;
    PreallocMode prealloc;
    Error **errp;
    int ret;
    bool done;
} RwCo;

static int bdrv_co_block_status_above(BlockDriverState *bs, BlockDriverState *base,
                                      int64_t offset, int64_t bytes, int64_t *pnum,
                                      int64_t *map, BlockDriverState **file, int *depth)
{
    int d = 0;
    int64_t n = bytes;

    for (BlockDriverState *p = bs; p && p != base; p = p->backing, d++) {
        int64_t num, m;
        BlockDriverState *f;
        int ret = bdrv_co_block_status(p, offset, n, &num, &m, &f);
        if (ret < 0) {
            return ret;
        }
        if (num == 0) {
            /* Past the end of a shorter backing file: reads as zeroes. */
            *pnum = n;
            if (depth) {
                *depth = d;
            }
            return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
        }
        if (ret & BDRV_BLOCK_ALLOCATED) {
            *pnum = num;
            if (map) {
                *map = m;
            }
            if (file) {
                *file = f;
            }
            if (depth) {
                *depth = d;
            }
            return ret;
        }
        n = num;
    }
    *pnum = n;
    if (depth) {
        *depth = d;
    }
    /* Nothing in the chain holds the range: it reads as zeroes. */
    return BDRV_BLOCK_ZERO;
}

static int bdrv_co_truncate(BlockDriverState *bs, int64_t offset, bool exact,
                            PreallocMode prealloc, Error **errp)
{
    int ret;

    if (!bs->drv->co_truncate) {
        error_setg(errp, "Image format driver does not support resize");
        return -ENOTSUP;
    }
    if (bs->read_only) {
        error_setg(errp, "Image is read-only");
        return -EACCES;
    }
    if (offset < 0) {
        error_setg(errp, "Image size cannot be negative");
        return -EINVAL;
    }
    bs->in_flight++;
    ret = bs->drv->co_truncate(bs, offset, exact, prealloc, errp);
    bs->in_flight--;
    return ret;
}

static void bdrv_rw_co_entry(void *opaque)
{
    RwCo *c = opaque;

    switch (c->op) {
    case RW_READ:
        c->ret = bdrv_co_preadv(c->bs, c->offset, c->bytes, c->qiov, c->flags);
        break;
    case RW_WRITE:
        c->ret = bdrv_co_pwritev(c->bs, c->offset, c->bytes, c->qiov, c->flags);
        break;
    case RW_ZEROES:
        c->ret = bdrv_co_pwrite_zeroes(c->bs, c->offset, c->bytes, c->flags);
        break;
    case RW_DISCARD:
        c->ret = bdrv_co_pdiscard(c->bs, c->offset, c->bytes);
        break;
    case RW_FLUSH:
        c->ret = bdrv_co_flush(c->bs);
        break;
    case RW_STATUS:
        c->ret = bdrv_co_block_status(c->bs, c->offset, c->bytes, c->pnum, c->map, c->file);
        break;
    case RW_STATUS_ABOVE:
        c->ret = bdrv_co_block_status_above(c->bs, c->base, c->offset, c->bytes, c->pnum,
                                            c->map, c->file, c->depth);
        break;
    case RW_TRUNCATE:
        c->ret = bdrv_co_truncate(c->bs, c->offset, c->exact, c->prealloc, c->errp);
        break;
    }
    c->done = true;
}

static int bdrv_rw_run(RwCo *c)
{
    bdrv_run_co(bdrv_rw_co_entry, c, &c->done);
    return c->ret;
}

int bdrv_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov, int flags)
{
    RwCo c = { .op = RW_READ, .bs = bs, .offset = offset, .bytes = bytes, .qiov = qiov,
               .flags = flags };

    return bdrv_rw_run(&c);
}

int bdrv_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov, int flags)
{
    RwCo c = { .op = RW_WRITE, .bs = bs, .offset = offset, .bytes = bytes, .qiov = qiov,
               .flags = flags };

    return bdrv_rw_run(&c);
}

int bdrv_pread(BlockDriverState *bs, int64_t offset, int64_t bytes, void *buf, int flags)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, buf, bytes);
    ret = bdrv_preadv(bs, offset, bytes, &q, flags);
    blkiov_destroy(&q);
    return ret;
}

int bdrv_pwrite(BlockDriverState *bs, int64_t offset, int64_t bytes, const void *buf, int flags)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, (void *)buf, bytes);
    ret = bdrv_pwritev(bs, offset, bytes, &q, flags);
    blkiov_destroy(&q);
    return ret;
}

int bdrv_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags)
{
    RwCo c = { .op = RW_ZEROES, .bs = bs, .offset = offset, .bytes = bytes, .flags = flags };

    return bdrv_rw_run(&c);
}

int bdrv_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    RwCo c = { .op = RW_DISCARD, .bs = bs, .offset = offset, .bytes = bytes };

    return bdrv_rw_run(&c);
}

int bdrv_flush(BlockDriverState *bs)
{
    RwCo c = { .op = RW_FLUSH, .bs = bs };

    return bdrv_rw_run(&c);
}

int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes, int64_t *pnum,
                      int64_t *map, BlockDriverState **file)
{
    RwCo c = { .op = RW_STATUS, .bs = bs, .offset = offset, .bytes = bytes, .pnum = pnum,
               .map = map, .file = file };

    return bdrv_rw_run(&c);
}

int bdrv_block_status_above(BlockDriverState *bs, BlockDriverState *base, int64_t offset,
                            int64_t bytes, int64_t *pnum, int64_t *map,
                            BlockDriverState **file, int *depth)
{
    RwCo c = { .op = RW_STATUS_ABOVE, .bs = bs, .base = base, .offset = offset,
               .bytes = bytes, .pnum = pnum, .map = map, .file = file, .depth = depth };

    return bdrv_rw_run(&c);
}

int bdrv_is_allocated_above(BlockDriverState *bs, BlockDriverState *base, int64_t offset,
                            int64_t bytes, int64_t *pnum)
{
    int ret = bdrv_block_status_above(bs, base, offset, bytes, pnum, NULL, NULL, NULL);

    if (ret < 0) {
        return ret;
    }
    return (ret & BDRV_BLOCK_ALLOCATED) ? 1 : 0;
}

int bdrv_truncate(BlockDriverState *bs, int64_t offset, bool exact, PreallocMode prealloc,
                  Error **errp)
{
    RwCo c = { .op = RW_TRUNCATE, .bs = bs, .offset = offset, .exact = exact,
               .prealloc = prealloc, .errp = errp };

    return bdrv_rw_run(&c);
}
