/*
 * The raw format: guest bytes are the file's bytes (QEMU's
 * block/raw-format.c, without offset/size windows).  It matches any
 * content, so probing picks it only when no other format claims the file.
 */
#include <errno.h>
#include <string.h>

#include "block/block_int.h"

static int raw_probe(const uint8_t *buf, int len, const char *filename)
{
    return 1;
}

static int raw_open(BlockDriverState *bs, const Opts *options, int flags, Error **errp)
{
    int64_t len = bdrv_getlength(bs->file);

    if (len < 0) {
        error_setg_errno(errp, (int)-len, "Could not get the size of '%s'", bs->filename);
        return (int)len;
    }
    bs->total_bytes = len;
    return 0;
}

static int raw_co_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                         int flags)
{
    return bdrv_co_preadv(bs->file, offset, bytes, qiov, flags);
}

/*
 * A probed raw image must not become something else: a guest writing a
 * qcow2 header to block 0 would make the next probe open its data as an
 * image (QEMU's raw_probe_alignment/write restriction).
 */
static bool raw_write_changes_format(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                     BlkIOV *qiov)
{
    uint8_t head[512];
    int64_t n = MIN(bytes, 512 - offset);

    if (!(bs->open_flags & BDRV_O_PROBED) || offset >= 512) {
        return false;
    }
    if (bdrv_co_pread(bs->file, 0, sizeof(head), head, 0) < 0) {
        return true;
    }
    blkiov_to_buf(qiov, 0, head + offset, n);
    return strcmp(bdrv_probe_format(head, sizeof(head), bs->filename), "raw") != 0;
}

static int raw_co_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                          int flags)
{
    if (raw_write_changes_format(bs, offset, bytes, qiov)) {
        return -EPERM;
    }
    return bdrv_co_pwritev(bs->file, offset, bytes, qiov, flags);
}

static int raw_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                int flags)
{
    return bdrv_co_pwrite_zeroes(bs->file, offset, bytes, flags);
}

static int raw_co_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    return bdrv_co_pdiscard(bs->file, offset, bytes);
}

static int raw_co_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                               int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    int ret = bdrv_co_block_status(bs->file, offset, bytes, pnum, map, file);

    if (ret < 0) {
        return ret;
    }
    return ret | BDRV_BLOCK_ALLOCATED;
}

static int raw_co_truncate(BlockDriverState *bs, int64_t offset, bool exact,
                           PreallocMode prealloc, Error **errp)
{
    int ret = bdrv_truncate(bs->file, offset, exact, prealloc, errp);

    if (ret == 0) {
        bs->total_bytes = offset;
    }
    return ret;
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    int64_t len = bdrv_getlength(bs->file);

    if (len >= 0) {
        bs->total_bytes = len;
    }
    return len;
}

static int raw_create(const BlockCreateOptions *opts, Error **errp)
{
    BlockDriverState *file;
    int ret;

    if (opts->backing_file) {
        error_setg(errp, "Backing file not supported for file format 'raw'");
        return -ENOTSUP;
    }
    file = bdrv_file_open_for_create(opts->filename, errp);
    if (!file) {
        return -EIO;
    }
    ret = bdrv_truncate(file, opts->size, true, opts->prealloc, errp);
    bdrv_unref(file);
    return ret;
}

static int raw_measure(const BlockCreateOptions *opts, BlockDriverState *in, uint64_t *required,
                       uint64_t *fully_allocated, Error **errp)
{
    int64_t size = opts->size;

    if (in) {
        size = bdrv_getlength(in);
        if (size < 0) {
            error_setg_errno(errp, (int)-size, "Unable to get image virtual_size");
            return (int)size;
        }
        /* Only allocated ranges would take space in a sparse copy. */
        int64_t off = 0, req = 0;
        while (off < size) {
            int64_t pnum;
            int r = bdrv_block_status_above(in, NULL, off, size - off, &pnum, NULL, NULL, NULL);
            if (r < 0) {
                error_setg_errno(errp, -r, "Unable to get block status");
                return r;
            }
            if ((r & BDRV_BLOCK_DATA) && !(r & BDRV_BLOCK_ZERO)) {
                req += pnum;
            }
            off += pnum;
        }
        *required = opts->prealloc == PREALLOC_MODE_OFF ? (uint64_t)req : (uint64_t)size;
    } else {
        *required = opts->prealloc == PREALLOC_MODE_OFF || opts->prealloc ==
                    PREALLOC_MODE_METADATA ? 0 : (uint64_t)size;
    }
    *fully_allocated = size;
    return 0;
}

const BlockDriver bdrv_raw = {
    .format_name = "raw",
    .probe = raw_probe,
    .open = raw_open,
    .co_preadv = raw_co_preadv,
    .co_pwritev = raw_co_pwritev,
    .co_pwrite_zeroes = raw_co_pwrite_zeroes,
    .co_pdiscard = raw_co_pdiscard,
    .co_block_status = raw_co_block_status,
    .co_truncate = raw_co_truncate,
    .getlength = raw_getlength,
    .create = raw_create,
    .measure = raw_measure,
    .create_opts_help = "Supported options:\n"
                        "  preallocation=<str>    - Preallocation mode (allowed values: off, "
                        "falloc, full)\n"
                        "  size=<size>            - Virtual disk size\n",
};
