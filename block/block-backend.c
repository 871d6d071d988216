/*
 * BlockBackend: what a device (or morph-img) holds on to, as in QEMU's
 * block/block-backend.c: the root node of a chain, the writethrough
 * policy of the cache mode (a flush after every write), the -drive id and
 * interface, and asynchronous requests whose callbacks run from the main
 * loop, never from inside the call that submitted them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/block_int.h"
#ifdef BLOCK_HAVE_MAIN_LOOP
#include "util/main-loop.h"
#endif

struct BlockBackend {
    BlockDriverState *root;
    bool writethrough;
    char *id;
    char *iface;
    int in_flight;
};

/* 4 KiB alignment satisfies O_DIRECT on every block size Linux uses. */
void *blk_blockalign(size_t size)
{
    void *p = NULL;

    if (posix_memalign(&p, 4096, size ? size : 1) != 0) {
        abort();
    }
    return p;
}

void blk_free(void *p)
{
    free(p);
}

BlockBackend *blk_new(BlockDriverState *root, bool writethrough)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->root = root;
    blk->writethrough = writethrough;
    return blk;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    blk_drain(blk);
    bdrv_unref(blk->root);
    g_free(blk->id);
    g_free(blk->iface);
    g_free(blk);
}

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->root;
}

const char *blk_get_id(BlockBackend *blk)
{
    return blk->id;
}

const char *blk_get_if(BlockBackend *blk)
{
    return blk->iface;
}

bool blk_is_writethrough(BlockBackend *blk)
{
    return blk->writethrough;
}

int64_t blk_getlength(BlockBackend *blk)
{
    return bdrv_getlength(blk->root);
}

int blk_in_flight(BlockBackend *blk)
{
    return blk->in_flight;
}

void blk_drain(BlockBackend *blk)
{
    while (blk->in_flight > 0) {
        block_poll();
    }
}

BlockBackend *blk_new_open(const char *filename, const char *format, const Opts *options,
                           int flags, Error **errp)
{
    BlockDriverState *bs = bdrv_open(filename, format, options, flags, errp);

    return bs ? blk_new(bs, false) : NULL;
}

BlockBackend *blk_new_open_drive(const char *optstr, Error **errp)
{
    static const char *const known[] = {
        "file", "format", "if", "id", "cache", "aio", "readonly", "read-only", "discard",
        "snapshot", "media", "index", "bus", "unit", "node-name", "detect-zeroes",
        "werror", "rerror", "serial", NULL
    };
    Opts *o = opts_parse(optstr, NULL, errp);
    BlockBackend *blk = NULL;
    BlockDriverState *bs;
    int flags = BDRV_O_RDWR;
    bool ro = false, snapshot = false, writethrough = false;
    const char *file, *cache, *aio, *discard, *iface;

    if (!o) {
        return NULL;
    }
    for (unsigned i = 0; i < o->count; i++) {
        const char *k = o->items[i].key;
        bool ok = !strncmp(k, "file.", 5) || !strncmp(k, "backing.", 8);
        for (int j = 0; known[j] && !ok; j++) {
            ok = !strcmp(k, known[j]);
        }
        if (!ok) {
            error_setg(errp, "Invalid parameter '%s'", k);
            goto out;
        }
    }
    file = opts_get(o, "file");
    if (!file || !*file) {
        error_setg(errp, "A block device must be specified for \"file\"");
        goto out;
    }
    if (!opts_get_bool(o, "readonly", false, &ro, errp) ||
        !opts_get_bool(o, "read-only", ro, &ro, errp) ||
        !opts_get_bool(o, "snapshot", false, &snapshot, errp)) {
        goto out;
    }
    if (ro) {
        flags &= ~BDRV_O_RDWR;
    }
    if (snapshot) {
        flags |= BDRV_O_SNAPSHOT;
    }
    cache = opts_get(o, "cache");
    if (cache && !bdrv_parse_cache_mode(cache, &flags, &writethrough)) {
        error_setg(errp, "invalid cache option");
        goto out;
    }
    aio = opts_get(o, "aio");
    if (aio && !bdrv_parse_aio(aio, &flags)) {
        error_setg(errp, "invalid aio option");
        goto out;
    }
    if ((flags & BDRV_O_AIO_NATIVE) && !(flags & BDRV_O_NOCACHE)) {
        error_setg(errp, "aio=native was specified, but it requires cache.direct=on, "
                   "which was not specified.");
        goto out;
    }
    discard = opts_get(o, "discard");
    if (discard) {
        if (!strcmp(discard, "unmap") || !strcmp(discard, "on")) {
            flags |= BDRV_O_UNMAP;
        } else if (strcmp(discard, "ignore") && strcmp(discard, "off")) {
            error_setg(errp, "Invalid discard option");
            goto out;
        }
    }
    iface = opts_get_default(o, "if", "ide");
    if (strcmp(iface, "none") && strcmp(iface, "ide") && strcmp(iface, "scsi") &&
        strcmp(iface, "virtio") && strcmp(iface, "pflash") && strcmp(iface, "mtd") &&
        strcmp(iface, "sd") && strcmp(iface, "floppy") && strcmp(iface, "xen")) {
        error_setg(errp, "unsupported bus type '%s'", iface);
        goto out;
    }
    bs = bdrv_open(file, opts_get(o, "format"), o, flags, errp);
    if (!bs) {
        goto out;
    }
    blk = blk_new(bs, writethrough);
    blk->id = g_strdup(opts_get(o, "id"));
    blk->iface = g_strdup(iface);
out:
    opts_free(o);
    return blk;
}

/* ---- requests ------------------------------------------------------------ */

typedef enum BlkOp {
    BLK_READ,
    BLK_WRITE,
    BLK_ZEROES,
    BLK_DISCARD,
    BLK_FLUSH,
} BlkOp;

typedef struct BlkReq {
    BlockBackend *blk;
    BlkOp op;
    int64_t offset;
    int64_t bytes;
    BlkIOV *qiov;
    int flags;
    int ret;
    bool done;
    BlockCompletionFunc *cb;
    void *opaque;
#ifdef BLOCK_HAVE_MAIN_LOOP
    BH *bh;
#endif
} BlkReq;

static int blk_co_do(BlkReq *r)
{
    BlockDriverState *bs = r->blk->root;
    int ret;

    switch (r->op) {
    case BLK_READ:
        return bdrv_co_preadv(bs, r->offset, r->bytes, r->qiov, r->flags);
    case BLK_WRITE:
        ret = bdrv_co_pwritev(bs, r->offset, r->bytes, r->qiov, r->flags);
        break;
    case BLK_ZEROES:
        ret = bdrv_co_pwrite_zeroes(bs, r->offset, r->bytes, r->flags);
        break;
    case BLK_DISCARD:
        return bdrv_co_pdiscard(bs, r->offset, r->bytes);
    default:
        return bdrv_co_flush(bs);
    }
    /* writethrough and directsync: a write is complete once it is stable. */
    if (ret == 0 && (r->blk->writethrough || (r->flags & BDRV_REQ_FUA))) {
        ret = bdrv_co_flush(bs);
    }
    return ret;
}

static void blk_req_finish(void *opaque)
{
    BlkReq *r = opaque;

#ifdef BLOCK_HAVE_MAIN_LOOP
    if (r->bh) {
        bh_delete(r->bh);
    }
#endif
    r->blk->in_flight--;
    if (r->cb) {
        r->cb(r->opaque, r->ret);
    }
    g_free(r);
}

static void blk_aio_entry(void *opaque)
{
    BlkReq *r = opaque;

    r->ret = blk_co_do(r);
    r->done = true;
#ifdef BLOCK_HAVE_MAIN_LOOP
    /* The callback runs from the loop, never nested in the submitter. */
    r->bh = bh_new(main_loop_default(), blk_req_finish, r);
    bh_schedule(r->bh);
#endif
}

static void blk_aio_submit(BlockBackend *blk, BlkOp op, int64_t offset, int64_t bytes,
                           BlkIOV *qiov, int flags, BlockCompletionFunc *cb, void *opaque)
{
    BlkReq *r = g_new0(BlkReq, 1);

    r->blk = blk;
    r->op = op;
    r->offset = offset;
    r->bytes = bytes;
    r->qiov = qiov;
    r->flags = flags;
    r->cb = cb;
    r->opaque = opaque;
    blk->in_flight++;
    coroutine_enter(coroutine_create(blk_aio_entry, r));
#ifndef BLOCK_HAVE_MAIN_LOOP
    /* Without a loop everything has completed by now. */
    blk_req_finish(r);
#endif
}

void blk_aio_preadv(BlockBackend *blk, int64_t offset, BlkIOV *qiov, int flags,
                    BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_READ, offset, qiov->size, qiov, flags, cb, opaque);
}

void blk_aio_pwritev(BlockBackend *blk, int64_t offset, BlkIOV *qiov, int flags,
                     BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_WRITE, offset, qiov->size, qiov, flags, cb, opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_FLUSH, 0, 0, NULL, 0, cb, opaque);
}

void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_DISCARD, offset, bytes, NULL, 0, cb, opaque);
}

void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes, int flags,
                           BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_ZEROES, offset, bytes, NULL, flags, cb, opaque);
}

/* Synchronous forms: a request and a wait for its completion. */
typedef struct BlkSync {
    int ret;
    bool done;
} BlkSync;

static void blk_sync_cb(void *opaque, int ret)
{
    BlkSync *s = opaque;

    s->ret = ret;
    s->done = true;
}

static int blk_sync(BlockBackend *blk, BlkOp op, int64_t offset, int64_t bytes, BlkIOV *qiov,
                    int flags)
{
    BlkSync s = { 0, false };

    if (coroutine_in_coroutine()) {
        BlkReq r = { .blk = blk, .op = op, .offset = offset, .bytes = bytes, .qiov = qiov,
                     .flags = flags };
        return blk_co_do(&r);
    }
    blk_aio_submit(blk, op, offset, bytes, qiov, flags, blk_sync_cb, &s);
    while (!s.done) {
        block_poll();
    }
    return s.ret;
}

int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, buf, bytes);
    ret = blk_sync(blk, BLK_READ, offset, bytes, &q, 0);
    blkiov_destroy(&q);
    return ret;
}

int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes, const void *buf, int flags)
{
    BlkIOV q;
    int ret;

    blkiov_init_buf(&q, (void *)buf, bytes);
    ret = blk_sync(blk, BLK_WRITE, offset, bytes, &q, flags);
    blkiov_destroy(&q);
    return ret;
}

int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes, int flags)
{
    return blk_sync(blk, BLK_ZEROES, offset, bytes, NULL, flags);
}

int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes)
{
    return blk_sync(blk, BLK_DISCARD, offset, bytes, NULL, 0);
}

int blk_flush(BlockBackend *blk)
{
    return blk_sync(blk, BLK_FLUSH, 0, 0, NULL, 0);
}
