/*
 * Creating, resizing and measuring qcow2 images.  A new image starts as
 * QEMU lays it out (header in cluster 0, refcount table in cluster 1, the
 * first refcount block in cluster 2) with an empty L1 table; it is then
 * opened and grown to its size through the ordinary driver, so creation
 * and resize share one allocation path.  The size estimate follows QEMU's
 * qcow2_calc_prealloc_size() so that `measure` agrees with qemu-img.
 */
#include <errno.h>
#include <string.h>

#include "qcow2.h"

static int qcow2_parse_compat(const char *compat, Error **errp)
{
    if (!compat || !strcmp(compat, "1.1") || !strcmp(compat, "v3")) {
        return 3;
    }
    if (!strcmp(compat, "0.10") || !strcmp(compat, "v2")) {
        return 2;
    }
    error_setg(errp, "Parameter 'compat' does not accept value '%s'", compat);
    return -1;
}

/* Checks shared by create and measure; fills the defaults. */
static bool qcow2_check_create_opts(const BlockCreateOptions *o, int *cluster_size,
                                    int *refcount_order, int *version, Error **errp)
{
    int cs = o->cluster_size ? o->cluster_size : 1 << QCOW2_DEFAULT_CLUSTER_BITS;
    int rb = o->refcount_bits ? o->refcount_bits : 16;

    *version = qcow2_parse_compat(o->compat, errp);
    if (*version < 0) {
        return false;
    }
    if (cs < (1 << QCOW2_MIN_CLUSTER_BITS) || cs > (1 << QCOW2_MAX_CLUSTER_BITS) ||
        (cs & (cs - 1))) {
        error_setg(errp, "Cluster size must be a power of two between 512 and 2048k");
        return false;
    }
    if (rb > 64 || (rb & (rb - 1))) {
        error_setg(errp, "Refcount width must be a power of two and may not exceed 64 bits");
        return false;
    }
    if (*version < 3 && rb != 16) {
        error_setg(errp, "Different refcount widths than 16 bits require compatibility "
                   "level 1.1 or above (use compat=1.1 or greater)");
        return false;
    }
    if (*version < 3 && o->lazy_refcounts) {
        error_setg(errp, "Lazy refcounts only supported with compatibility level 1.1 and "
                   "above (use compat=1.1 or greater)");
        return false;
    }
    if (o->compression_type && strcmp(o->compression_type, "zlib")) {
        error_setg(errp, "Compression type '%s' is not supported", o->compression_type);
        return false;
    }
    if (o->extended_l2) {
        error_setg(errp, "Extended L2 entries are not supported");
        return false;
    }
    *cluster_size = cs;
    *refcount_order = __builtin_ctz((unsigned)rb);
    return true;
}

/* Size of a fully allocated image of `size` bytes, metadata included. */
static int64_t qcow2_calc_prealloc_size(int64_t size, int cs, int refcount_order)
{
    int64_t aligned = (int64_t)qcow2_align_up((uint64_t)size, cs);
    int64_t meta = cs;
    int64_t nl2e = aligned / cs, nl1e;

    nl2e = (int64_t)qcow2_align_up((uint64_t)nl2e, cs / 8);
    meta += nl2e * 8;
    nl1e = nl2e * 8 / cs;
    nl1e = (int64_t)qcow2_align_up((uint64_t)nl1e, cs / 8);
    meta += nl1e * 8;
    meta += qcow2_refcount_metadata_size((meta + aligned) / cs, cs, refcount_order);
    return meta + aligned;
}

int qcow2_measure(const BlockCreateOptions *opts, BlockDriverState *in, uint64_t *required,
                  uint64_t *fully_allocated, Error **errp)
{
    int cs, order, version;
    int64_t vsize = opts->size, data = 0, full;

    if (!qcow2_check_create_opts(opts, &cs, &order, &version, errp)) {
        return -EINVAL;
    }
    if (in) {
        int64_t off = 0;
        vsize = bdrv_getlength(in);
        if (vsize < 0) {
            error_setg_errno(errp, (int)-vsize, "Unable to get image virtual_size");
            return (int)vsize;
        }
        while (off < vsize) {
            int64_t pnum;
            int r = bdrv_block_status_above(in, NULL, off, vsize - off, &pnum, NULL, NULL,
                                            NULL);
            if (r < 0) {
                error_setg_errno(errp, -r, "Unable to get block status");
                return r;
            }
            if (!(r & BDRV_BLOCK_ZERO) && (r & BDRV_BLOCK_DATA)) {
                /* Whole clusters: count from the cluster start to the next boundary. */
                int64_t end = (int64_t)qcow2_align_up((uint64_t)(off + pnum), cs);
                data += off % cs + (end - off);
                pnum = end - off;
            }
            off += pnum;
        }
    }
    vsize = (int64_t)qcow2_align_up((uint64_t)vsize, 512);
    if (opts->prealloc == PREALLOC_MODE_FULL || opts->prealloc == PREALLOC_MODE_FALLOC) {
        data = vsize;
    }
    full = qcow2_calc_prealloc_size(vsize, cs, order);
    *fully_allocated = (uint64_t)full;
    *required = (uint64_t)(full - vsize + MIN(data, vsize + cs));
    return 0;
}

static void qcow2_create_rc_set(uint8_t *blk, int order, int index, uint64_t v)
{
    int bits = 1 << order;

    if (bits < 8) {
        int per = 8 / bits;
        blk[index / per] |= (uint8_t)(v << ((index % per) * bits));
        return;
    }
    for (int b = 0; b < bits / 8; b++) {
        blk[index * (bits / 8) + b] = (uint8_t)(v >> (8 * (bits / 8 - 1 - b)));
    }
}

int qcow2_co_create(const BlockCreateOptions *opts, Error **errp)
{
    int cs, order, version, ret;
    int64_t size = opts->size;
    BlockDriverState *file, *bs;
    uint8_t *buf;

    if (!qcow2_check_create_opts(opts, &cs, &order, &version, errp)) {
        return -EINVAL;
    }
    if (size < 0 && opts->backing_file) {
        char *path = bdrv_path_combine(opts->filename, opts->backing_file);
        BlockDriverState *b = bdrv_open(path, opts->backing_fmt, NULL,
                                        BDRV_O_NO_BACKING | BDRV_O_NO_PROBE_WARN, errp);
        g_free(path);
        if (!b) {
            error_prepend(errp, "Could not open backing image");
            return -EINVAL;
        }
        size = bdrv_getlength(b);
        bdrv_unref(b);
    }
    if (size < 0) {
        error_setg(errp, "Image creation needs a size parameter");
        return -EINVAL;
    }
    if (size % 512) {
        error_setg(errp, "Image size must be a multiple of 512 bytes");
        return -EINVAL;
    }
    file = bdrv_file_open_for_create(opts->filename, errp);
    if (!file) {
        return -EIO;
    }
    buf = blk_blockalign(3 * (size_t)cs);
    memset(buf, 0, 3 * (size_t)cs);
    qcow2_st32(buf, QCOW_MAGIC);
    qcow2_st32(buf + 4, (uint32_t)version);
    qcow2_st32(buf + 20, (uint32_t)__builtin_ctz((unsigned)cs));
    qcow2_st64(buf + 40, 3ULL * cs);               /* L1, empty for now */
    qcow2_st64(buf + 48, (uint64_t)cs);            /* refcount table */
    qcow2_st32(buf + 56, 1);
    if (version >= 3) {
        qcow2_st32(buf + 96, (uint32_t)order);
        qcow2_st32(buf + 100, QCOW2_HEADER_SIZE);
    }
    qcow2_st64(buf + cs, 2ULL * cs);
    for (int i = 0; i < 3; i++) {
        qcow2_create_rc_set(buf + 2 * cs, order, i, 1);
    }
    ret = bdrv_co_pwrite(file, 0, 3LL * cs, buf, 0);
    blk_free(buf);
    bdrv_unref(file);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not write qcow2 header");
        return ret;
    }

    bs = bdrv_open(opts->filename, "qcow2", NULL,
                   BDRV_O_RDWR | BDRV_O_NO_BACKING | BDRV_O_NO_FLUSH, errp);
    if (!bs) {
        return -EIO;
    }
    {
        Qcow2State *s = bs->opaque;
        if (opts->lazy_refcounts) {
            s->compatible_features |= QCOW2_COMPAT_LAZY_REFCOUNTS;
        }
        g_strlcpy(bs->backing_file, opts->backing_file ? opts->backing_file : "",
                  sizeof(bs->backing_file));
        g_strlcpy(bs->backing_format, opts->backing_fmt ? opts->backing_fmt : "",
                  sizeof(bs->backing_format));
        if (opts->backing_file && strlen(opts->backing_file) > QCOW2_MAX_BACKING_NAME) {
            error_setg(errp, "Backing file name too long");
            bdrv_unref(bs);
            return -EINVAL;
        }
        co_mutex_lock(&s->lock);
        ret = qcow2_update_header(bs);
        co_mutex_unlock(&s->lock);
    }
    if (ret == 0) {
        ret = qcow2_co_truncate(bs, size, false, opts->prealloc, errp);
    } else {
        error_setg_errno(errp, -ret, "Could not write qcow2 header");
    }
    if (ret == 0) {
        ret = bdrv_co_flush(bs);
    }
    bdrv_unref(bs);
    return ret;
}

int qcow2_co_truncate(BlockDriverState *bs, int64_t offset, bool exact, PreallocMode prealloc,
                      Error **errp)
{
    Qcow2State *s = bs->opaque;
    uint64_t old = s->size, l1_needed;
    uint8_t field[8];
    int ret = 0;

    if (offset % 512) {
        error_setg(errp, "The new size must be a multiple of 512");
        return -EINVAL;
    }
    if (s->nb_snapshots && (uint64_t)offset != old) {
        error_setg(errp, "Can't resize an image which has snapshots");
        return -ENOTSUP;
    }
    if ((uint64_t)offset < old && prealloc != PREALLOC_MODE_OFF) {
        error_setg(errp, "Preallocation can't be used for shrinking an image");
        return -EINVAL;
    }
    l1_needed = ((uint64_t)offset + ((uint64_t)s->cluster_size << s->l2_bits) - 1) >>
                (s->cluster_bits + s->l2_bits);
    if (l1_needed > QCOW_MAX_L1_SIZE / 8) {
        error_setg(errp, "The new size is too big for the qcow2 format");
        return -EFBIG;
    }
    if ((uint64_t)offset < old) {
        /* Clusters past the new end go; a partial last cluster keeps its data. */
        uint64_t start = qcow2_align_up((uint64_t)offset, s->cluster_size);
        if (start < old) {
            ret = qcow2_cluster_discard(bs, start, qcow2_align_up(old - start, s->cluster_size),
                                        false, true);
            if (ret < 0) {
                error_setg_errno(errp, -ret, "Failed to discard cropped clusters");
                return ret;
            }
        }
    }
    co_mutex_lock(&s->lock);
    if (l1_needed > s->l1_size) {
        ret = qcow2_grow_l1_table(bs, l1_needed);
    }
    if (ret == 0) {
        qcow2_st64(field, (uint64_t)offset);
        ret = bdrv_co_pwrite(bs->file, 24, 8, field, 0);
    }
    if (ret == 0) {
        s->size = (uint64_t)offset;
        bs->total_bytes = offset;
    }
    co_mutex_unlock(&s->lock);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to resize the image");
        return ret;
    }
    if (prealloc != PREALLOC_MODE_OFF && (uint64_t)offset > old) {
        int64_t before = bdrv_getlength(bs->file);
        ret = qcow2_preallocate_metadata(bs, old, (uint64_t)offset);
        if (ret == 0 && prealloc != PREALLOC_MODE_METADATA) {
            int64_t after = bdrv_getlength(bs->file);
            /* Reserve the file's blocks; the data clusters already read as zeroes. */
            if (before >= 0 && after > before) {
                ret = bdrv_truncate(bs->file, after, false, PREALLOC_MODE_FALLOC, errp);
            }
        }
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Preallocation failed");
            return ret;
        }
    }
    return 0;
}
