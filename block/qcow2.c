/*
 * The qcow2 format driver: header and header extensions, open-time
 * validation, the driver callbacks, flush and info.  Source of truth:
 * QEMU's docs/interop/qcow2.txt (versions 2 and 3).  Every offset, size
 * and count in the header is checked before it is used: an image is
 * untrusted input, and a bad one must end in one clear error.  Mapping
 * and allocation live in qcow2-cluster.c, refcounts in qcow2-refcount.c,
 * snapshots in qcow2-snapshot.c, creation and resize in qcow2-create.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qcow2.h"

enum {
    QCOW2_L2_CACHE_BYTES = 1 << 20,   /* QEMU's default: 8 GiB of 64k clusters */
    QCOW2_MIN_L2_CACHE_ENTRIES = 8,
    QCOW2_MIN_RC_CACHE_ENTRIES = 4,
};

/* Names QEMU writes in the feature table extension. */
static const struct {
    uint8_t type;
    uint8_t bit;
    const char *name;
} qcow2_feature_names[] = {
    { 0, 0, "dirty bit" },
    { 0, 1, "corrupt bit" },
    { 0, 2, "external data file" },
    { 0, 3, "compression type" },
    { 0, 4, "extended L2 entries" },
    { 1, 0, "lazy refcounts" },
    { 2, 0, "bitmaps" },
    { 2, 1, "raw external data" },
};

static int qcow2_probe(const uint8_t *buf, int len, const char *filename)
{
    if (len >= 8 && qcow2_be32(buf) == QCOW_MAGIC && qcow2_be32(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

void qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
{
    Qcow2State *s = bs->opaque;
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!s->corrupt_reported) {
        /* Report once per image: a scan would otherwise print thousands of lines. */
        if (bs->read_only || (bs->open_flags & BDRV_O_CHECK)) {
            error_report("qcow2: Image is corrupt: %s", msg);
        } else {
            error_report("qcow2: Marking image as corrupt: %s; further corruption events "
                         "will be suppressed", msg);
            s->incompatible_features |= QCOW2_INCOMPAT_CORRUPT;
            qcow2_update_header(bs);
        }
        s->corrupt_reported = true;
    }
    g_free(msg);
}

int qcow2_validate_table(BlockDriverState *bs, uint64_t offset, uint64_t entries,
                         size_t entry_len, uint64_t max_size_bytes, const char *what,
                         Error **errp)
{
    Qcow2State *s = bs->opaque;
    int64_t flen = bdrv_getlength(bs->file);

    if (entries > max_size_bytes / entry_len) {
        error_setg(errp, "%s too large", what);
        return -EFBIG;
    }
    if (entries == 0) {
        return 0;
    }
    if (offset == 0 || qcow2_offset_into_cluster(s, offset) ||
        offset >= QCOW2_MAX_HOST_OFFSET ||
        (flen >= 0 && offset + entries * entry_len > (uint64_t)flen)) {
        error_setg(errp, "%s offset invalid", what);
        return -EINVAL;
    }
    return 0;
}

static void qcow2_report_unsupported(BlockDriverState *bs, uint64_t mask, Error **errp)
{
    Qcow2State *s = bs->opaque;
    GString *str = g_string_new(NULL);

    for (int bit = 0; bit < 64; bit++) {
        if (!(mask & (1ULL << bit))) {
            continue;
        }
        if (str->len) {
            g_string_append(str, ", ");
        }
        if (s->feature_names[0][bit]) {
            g_string_append(str, s->feature_names[0][bit]);
        } else {
            g_string_append_printf(str, "Unknown incompatible feature: %d", bit);
        }
    }
    error_setg(errp, "Unsupported qcow2 feature(s): %s", str->str);
    g_string_free(str, true);
}

/* Header extensions between `start` and `end` of the header cluster. */
static int qcow2_read_extensions(BlockDriverState *bs, const uint8_t *hdr, uint64_t start,
                                 uint64_t end, Error **errp)
{
    Qcow2State *s = bs->opaque;
    uint64_t off = start;

    while (off + 8 <= end) {
        uint32_t type = qcow2_be32(hdr + off);
        uint32_t len = qcow2_be32(hdr + off + 4);

        off += 8;
        if (type == QCOW2_EXT_END) {
            return 0;
        }
        if (len > end - off) {
            error_setg(errp, "Header extension %#x too large", type);
            return -EINVAL;
        }
        switch (type) {
        case QCOW2_EXT_BACKING_FORMAT:
            if (len >= sizeof(bs->backing_format)) {
                error_setg(errp, "ERROR: ext_backing_format: len=%u too large (>=%zu)", len,
                           sizeof(bs->backing_format));
                return -EINVAL;
            }
            memcpy(bs->backing_format, hdr + off, len);
            bs->backing_format[len] = 0;
            break;
        case QCOW2_EXT_FEATURE_TABLE:
            for (uint32_t i = 0; i + 48 <= len; i += 48) {
                uint8_t t = hdr[off + i], bit = hdr[off + i + 1];
                if (t < 3 && bit < 64 && !s->feature_names[t][bit]) {
                    s->feature_names[t][bit] = g_strndup((const char *)hdr + off + i + 2, 46);
                }
            }
            break;
        case QCOW2_EXT_CRYPTO:
            error_setg(errp, "Encrypted images are not supported");
            return -ENOTSUP;
        case QCOW2_EXT_DATA_FILE:
            /* Meaningful only with the incompatible data-file bit, refused elsewhere. */
            break;
        default:
            if (s->nb_unknown_exts >= 64) {
                error_setg(errp, "Too many header extensions");
                return -EINVAL;
            }
            s->unknown_exts = g_renew(Qcow2UnknownExt, s->unknown_exts,
                                      s->nb_unknown_exts + 1);
            s->unknown_exts[s->nb_unknown_exts].type = type;
            s->unknown_exts[s->nb_unknown_exts].len = len;
            s->unknown_exts[s->nb_unknown_exts].data = g_memdup2(hdr + off, len);
            s->nb_unknown_exts++;
            break;
        }
        off += qcow2_align_up(len, 8);
    }
    return 0;
}

static void qcow2_free_state(Qcow2State *s)
{
    qcow2_cache_free(s->l2_cache);
    qcow2_cache_free(s->refcount_cache);
    s->l2_cache = s->refcount_cache = NULL;
    g_free(s->l1_table);
    g_free(s->refcount_table);
    s->l1_table = s->refcount_table = NULL;
    for (int i = 0; i < s->nb_unknown_exts; i++) {
        g_free(s->unknown_exts[i].data);
    }
    g_free(s->unknown_exts);
    s->unknown_exts = NULL;
    for (int t = 0; t < 3; t++) {
        for (int b = 0; b < 64; b++) {
            g_free(s->feature_names[t][b]);
            s->feature_names[t][b] = NULL;
        }
    }
    if (s->pending_frees) {
        g_array_free(s->pending_frees, true);
        s->pending_frees = NULL;
    }
}

static int qcow2_do_open(BlockDriverState *bs, const Opts *options, int flags, Error **errp)
{
    Qcow2State *s = bs->opaque;
    int64_t flen = bdrv_getlength(bs->file);
    uint8_t *hdr;
    uint64_t backing_off, l1_needed, ext_end;
    uint32_t backing_size, cluster_bits, l1_size;
    int ret, cache_entries;

    if (flen < 0) {
        error_setg_errno(errp, (int)-flen, "Could not get the size of the image file");
        return (int)flen;
    }
    /* The fixed fields first; the header cluster once its size is known. */
    hdr = g_malloc0(QCOW2_HEADER_SIZE);
    ret = bdrv_co_pread(bs->file, 0, MIN(flen, QCOW2_HEADER_SIZE), hdr, 0);
    if (ret == 0 && flen >= QCOW2_V2_HEADER_SIZE && qcow2_be32(hdr) == QCOW_MAGIC &&
        qcow2_be32(hdr + 20) >= QCOW2_MIN_CLUSTER_BITS &&
        qcow2_be32(hdr + 20) <= QCOW2_MAX_CLUSTER_BITS) {
        int64_t cs = 1LL << qcow2_be32(hdr + 20);
        g_free(hdr);
        hdr = g_malloc0(cs);
        ret = bdrv_co_pread(bs->file, 0, MIN(flen, cs), hdr, 0);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 header");
        goto fail;
    }
    ret = -EINVAL;
    if (flen < QCOW2_V2_HEADER_SIZE || qcow2_be32(hdr) != QCOW_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        goto fail;
    }
    s->qcow_version = (int)qcow2_be32(hdr + 4);
    if (s->qcow_version < 2 || s->qcow_version > 3) {
        error_setg(errp, "Unsupported qcow2 version %d", s->qcow_version);
        ret = -ENOTSUP;
        goto fail;
    }
    cluster_bits = qcow2_be32(hdr + 20);
    if (cluster_bits < QCOW2_MIN_CLUSTER_BITS || cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%u", cluster_bits);
        goto fail;
    }
    s->cluster_bits = (int)cluster_bits;
    s->cluster_size = 1 << cluster_bits;
    if (s->qcow_version == 2) {
        s->header_length = QCOW2_V2_HEADER_SIZE;
        s->refcount_order = 4;
    } else {
        if (flen < QCOW2_V3_HEADER_SIZE) {
            error_setg(errp, "qcow2 header too short");
            goto fail;
        }
        s->incompatible_features = qcow2_be64(hdr + 72);
        s->compatible_features = qcow2_be64(hdr + 80);
        s->autoclear_features = qcow2_be64(hdr + 88);
        s->refcount_order = (int)qcow2_be32(hdr + 96);
        s->header_length = qcow2_be32(hdr + 100);
        if (s->header_length < QCOW2_V3_HEADER_SIZE) {
            error_setg(errp, "qcow2 header too short");
            goto fail;
        }
        if (s->header_length > (uint32_t)s->cluster_size) {
            error_setg(errp, "qcow2 header exceeds cluster size");
            goto fail;
        }
        if (s->header_length > 104) {
            s->compression_type = hdr[104];
        }
    }
    if (s->refcount_order > 6) {
        error_setg(errp, "Reference count entry width too large; may not exceed 64 bits");
        goto fail;
    }
    backing_off = qcow2_be64(hdr + 8);
    backing_size = qcow2_be32(hdr + 16);
    ext_end = s->cluster_size;
    if (backing_off) {
        if (backing_off > (uint64_t)s->cluster_size ||
            backing_size > (uint64_t)s->cluster_size - backing_off) {
            error_setg(errp, "Invalid backing file offset");
            goto fail;
        }
        if (backing_size > QCOW2_MAX_BACKING_NAME) {
            error_setg(errp, "Backing file name too long");
            goto fail;
        }
        ext_end = backing_off;
    }
    /* Extensions first: the feature table names bits in the error below. */
    ret = qcow2_read_extensions(bs, hdr, s->header_length, ext_end, errp);
    if (ret < 0) {
        goto fail;
    }
    ret = -ENOTSUP;
    if (s->incompatible_features & ~QCOW2_INCOMPAT_SUPPORTED) {
        qcow2_report_unsupported(bs, s->incompatible_features & ~QCOW2_INCOMPAT_SUPPORTED,
                                 errp);
        goto fail;
    }
    if ((s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) && (flags & BDRV_O_RDWR) &&
        !(flags & BDRV_O_CHECK)) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened read/write");
        ret = -EACCES;
        goto fail;
    }
    if (s->compression_type != 0 || (s->incompatible_features & QCOW2_INCOMPAT_COMPRESSION)) {
        if (s->compression_type == 0) {
            error_setg(errp, "qcow2: Compression type incompatible feature bit must not be "
                       "set when compression type is zlib");
            ret = -EINVAL;
            goto fail;
        }
        error_setg(errp, "qcow2: unknown compression type: %u (only zlib is supported)",
                   s->compression_type);
        goto fail;
    }
    if (qcow2_be32(hdr + 32) != 0) {
        error_setg(errp, "Encrypted images are not supported (crypt_method %u)",
                   qcow2_be32(hdr + 32));
        goto fail;
    }
    ret = -EINVAL;
    s->size = qcow2_be64(hdr + 24);
    if (s->size > (1ULL << 62)) {
        error_setg(errp, "Image is too big");
        ret = -EFBIG;
        goto fail;
    }
    s->l2_bits = s->cluster_bits - 3;
    s->l2_size = 1 << s->l2_bits;
    s->csize_shift = 62 - (s->cluster_bits - 8);
    s->csize_mask = (1ULL << (s->cluster_bits - 8)) - 1;
    s->cluster_offset_mask = (1ULL << s->csize_shift) - 1;
    s->refcount_bits = 1 << s->refcount_order;
    s->refcount_max = s->refcount_bits == 64 ? UINT64_MAX : (1ULL << s->refcount_bits) - 1;
    s->refcount_block_bits = s->cluster_bits - (s->refcount_order - 3);
    s->refcount_block_size = 1 << s->refcount_block_bits;
    bs->total_bytes = (int64_t)s->size;

    /* L1 */
    l1_size = qcow2_be32(hdr + 36);
    s->l1_table_offset = qcow2_be64(hdr + 40);
    l1_needed = (s->size + ((uint64_t)s->cluster_size << s->l2_bits) - 1) >>
                (s->cluster_bits + s->l2_bits);
    if (l1_needed > QCOW_MAX_L1_SIZE / 8) {
        error_setg(errp, "Image is too big");
        ret = -EFBIG;
        goto fail;
    }
    if (l1_size < l1_needed) {
        error_setg(errp, "L1 table is too small");
        goto fail;
    }
    ret = qcow2_validate_table(bs, s->l1_table_offset, l1_size, 8, QCOW_MAX_L1_SIZE,
                               "Active L1 table", errp);
    if (ret < 0) {
        goto fail;
    }
    s->l1_size = l1_size;
    s->l1_table = g_new0(uint64_t, MAX(l1_size, 1));
    if (l1_size) {
        uint8_t *buf = g_malloc(l1_size * 8);
        ret = bdrv_co_pread(bs->file, (int64_t)s->l1_table_offset, l1_size * 8, buf, 0);
        for (uint32_t i = 0; ret == 0 && i < l1_size; i++) {
            s->l1_table[i] = qcow2_be64(buf + 8 * i);
        }
        g_free(buf);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read L1 table");
            goto fail;
        }
    }

    /* Refcounts */
    s->refcount_table_offset = qcow2_be64(hdr + 48);
    {
        uint32_t rt_clusters = qcow2_be32(hdr + 56);
        uint64_t rt_bytes = (uint64_t)rt_clusters << s->cluster_bits;

        if (rt_clusters == 0) {
            error_setg(errp, "Image does not contain a reference count table");
            ret = -EINVAL;
            goto fail;
        }
        if (rt_bytes > QCOW_MAX_REFTABLE_SIZE) {
            error_setg(errp, "Reference count table too large");
            ret = -EINVAL;
            goto fail;
        }
        /* The table may end past EOF only where nothing but zeroes would be read. */
        if (s->refcount_table_offset == 0 ||
            qcow2_offset_into_cluster(s, s->refcount_table_offset) ||
            s->refcount_table_offset >= (uint64_t)flen) {
            error_setg(errp, "Reference count table offset invalid");
            ret = -EINVAL;
            goto fail;
        }
        s->refcount_table_size = (uint32_t)(rt_bytes / 8);
        if (s->l1_size && s->l1_table_offset < s->refcount_table_offset + rt_bytes &&
            s->refcount_table_offset < s->l1_table_offset + (uint64_t)s->l1_size * 8) {
            error_setg(errp, "Active L1 table overlaps the reference count table");
            ret = -EINVAL;
            goto fail;
        }
    }
    ret = qcow2_refcount_init(bs, errp);
    if (ret < 0) {
        goto fail;
    }
    cache_entries = MAX(QCOW2_MIN_L2_CACHE_ENTRIES, QCOW2_L2_CACHE_BYTES / s->cluster_size);
    s->refcount_cache = qcow2_cache_new(bs, MAX(QCOW2_MIN_RC_CACHE_ENTRIES, cache_entries / 4),
                                        NULL);
    s->l2_cache = qcow2_cache_new(bs, cache_entries, s->refcount_cache);
    s->pending_frees = g_array_new(false, false, sizeof(uint64_t));
    co_mutex_init(&s->lock);
    co_queue_init(&s->inflight_wait);
    co_queue_init(&s->unlocked_io_wait);
    s->no_flush = (flags & BDRV_O_NO_FLUSH) != 0;

    /* Snapshots */
    s->nb_snapshots = (int)MIN(qcow2_be32(hdr + 60), (uint32_t)INT32_MAX);
    s->snapshots_offset = qcow2_be64(hdr + 64);
    ret = qcow2_read_snapshots(bs, errp);
    if (ret < 0) {
        goto fail;
    }

    /* Backing file */
    if (backing_off && backing_size) {
        memcpy(bs->backing_file, hdr + backing_off, backing_size);
        bs->backing_file[backing_size] = 0;
        if (strlen(bs->backing_file) != backing_size) {
            error_setg(errp, "Backing file name contains a NUL byte");
            ret = -EINVAL;
            goto fail;
        }
    }
    g_free(hdr);
    hdr = NULL;

    if (flags & BDRV_O_RDWR) {
        bool rewrite = false;
        /* We maintain no bitmaps: their autoclear bit must go (that is its meaning). */
        if (s->autoclear_features) {
            s->autoclear_features = 0;
            rewrite = true;
        }
        if (s->incompatible_features & QCOW2_INCOMPAT_DIRTY) {
            /* Left by a lazy-refcount writer: refcounts must be rebuilt first. */
            BdrvCheckResult res = { 0 };
            res.messages = g_ptr_array_new_with_free_func(g_free);
            ret = qcow2_co_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
            bdrv_check_result_clear(&res);
            if (ret < 0) {
                error_setg_errno(errp, -ret, "Could not repair dirty image");
                goto fail;
            }
            s->incompatible_features &= ~QCOW2_INCOMPAT_DIRTY;
            rewrite = true;
        }
        if (rewrite) {
            ret = qcow2_update_header(bs);
            if (ret < 0) {
                error_setg_errno(errp, -ret, "Could not update qcow2 header");
                goto fail;
            }
        }
    }
    ret = bdrv_open_backing(bs, options, errp);
    if (ret < 0) {
        goto fail;
    }
    return 0;

fail:
    g_free(hdr);
    qcow2_free_snapshots(bs);
    qcow2_free_state(s);
    return ret;
}

typedef struct Qcow2OpenCo {
    BlockDriverState *bs;
    const Opts *options;
    int flags;
    Error **errp;
    int ret;
    bool done;
} Qcow2OpenCo;

static void qcow2_open_entry(void *opaque)
{
    Qcow2OpenCo *c = opaque;

    c->ret = qcow2_do_open(c->bs, c->options, c->flags, c->errp);
    c->done = true;
}

static int qcow2_open(BlockDriverState *bs, const Opts *options, int flags, Error **errp)
{
    Qcow2OpenCo c = { bs, options, flags, errp, 0, false };

    bdrv_run_co(qcow2_open_entry, &c, &c.done);
    return c.ret;
}

static void qcow2_close(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    qcow2_free_snapshots(bs);
    qcow2_free_state(s);
}

/* ---- header ------------------------------------------------------------------ */

static size_t qcow2_put_ext(uint8_t *buf, size_t off, size_t cap, uint32_t type,
                            const void *data, uint32_t len)
{
    size_t need = 8 + qcow2_align_up(len, 8);

    if (off + need > cap) {
        return 0;
    }
    qcow2_st32(buf + off, type);
    qcow2_st32(buf + off + 4, len);
    if (len) {
        memcpy(buf + off + 8, data, len);
    }
    return need;
}

static int qcow2_write_header(BlockDriverState *bs, bool feature_table);

int qcow2_update_header(BlockDriverState *bs)
{
    int ret = qcow2_write_header(bs, true);

    /* Small clusters may not hold the feature table: it is optional, as in QEMU. */
    return ret == -ENOSPC ? qcow2_write_header(bs, false) : ret;
}

static int qcow2_write_header(BlockDriverState *bs, bool feature_table)
{
    Qcow2State *s = bs->opaque;
    size_t cap = s->cluster_size, off, n;
    size_t blen = strlen(bs->backing_file);
    uint8_t *buf = blk_blockalign(cap);
    int ret;

    memset(buf, 0, cap);
    qcow2_st32(buf, QCOW_MAGIC);
    qcow2_st32(buf + 4, (uint32_t)s->qcow_version);
    qcow2_st32(buf + 20, (uint32_t)s->cluster_bits);
    qcow2_st64(buf + 24, s->size);
    qcow2_st32(buf + 36, s->l1_size);
    qcow2_st64(buf + 40, s->l1_table_offset);
    qcow2_st64(buf + 48, s->refcount_table_offset);
    qcow2_st32(buf + 56, (uint32_t)(((uint64_t)s->refcount_table_size * 8) >> s->cluster_bits));
    qcow2_st32(buf + 60, (uint32_t)s->nb_snapshots);
    qcow2_st64(buf + 64, s->snapshots_offset);
    if (s->qcow_version >= 3) {
        qcow2_st64(buf + 72, s->incompatible_features);
        qcow2_st64(buf + 80, s->compatible_features);
        qcow2_st64(buf + 88, s->autoclear_features);
        qcow2_st32(buf + 96, (uint32_t)s->refcount_order);
        qcow2_st32(buf + 100, QCOW2_HEADER_SIZE);
        buf[104] = (uint8_t)s->compression_type;
        off = QCOW2_HEADER_SIZE;
        s->header_length = QCOW2_HEADER_SIZE;
    } else {
        off = QCOW2_V2_HEADER_SIZE;
    }
    if (bs->backing_format[0]) {
        n = qcow2_put_ext(buf, off, cap, QCOW2_EXT_BACKING_FORMAT, bs->backing_format,
                          (uint32_t)strlen(bs->backing_format));
        if (!n) {
            goto too_big;
        }
        off += n;
    }
    if (s->qcow_version >= 3 && feature_table) {
        uint8_t table[G_N_ELEMENTS(qcow2_feature_names) * 48];

        memset(table, 0, sizeof(table));
        for (size_t i = 0; i < G_N_ELEMENTS(qcow2_feature_names); i++) {
            table[i * 48] = qcow2_feature_names[i].type;
            table[i * 48 + 1] = qcow2_feature_names[i].bit;
            strncpy((char *)table + i * 48 + 2, qcow2_feature_names[i].name, 46);
        }
        n = qcow2_put_ext(buf, off, cap, QCOW2_EXT_FEATURE_TABLE, table, sizeof(table));
        if (!n) {
            goto too_big;
        }
        off += n;
    }
    for (int i = 0; i < s->nb_unknown_exts; i++) {
        n = qcow2_put_ext(buf, off, cap, s->unknown_exts[i].type, s->unknown_exts[i].data,
                          s->unknown_exts[i].len);
        if (!n) {
            goto too_big;
        }
        off += n;
    }
    if (off + 8 + blen > cap) {
        goto too_big;
    }
    off += 8; /* end of extensions */
    if (blen) {
        qcow2_st64(buf + 8, off);
        qcow2_st32(buf + 16, (uint32_t)blen);
        memcpy(buf + off, bs->backing_file, blen);
        off += blen;
    }
    ret = bdrv_co_pwrite(bs->file, 0, (int64_t)qcow2_align_up(off, 512), buf, 0);
    blk_free(buf);
    return ret;

too_big:
    blk_free(buf);
    return -ENOSPC;
}

static int qcow2_change_backing_file(BlockDriverState *bs, const char *file, const char *fmt,
                                     Error **errp)
{
    Qcow2State *s = bs->opaque;
    char old_file[sizeof(bs->backing_file)], old_fmt[sizeof(bs->backing_format)];
    int ret;

    if (file && strlen(file) > QCOW2_MAX_BACKING_NAME) {
        error_setg(errp, "Backing file name too long");
        return -EINVAL;
    }
    if (fmt && strlen(fmt) >= sizeof(bs->backing_format)) {
        error_setg(errp, "Backing format name too long");
        return -EINVAL;
    }
    memcpy(old_file, bs->backing_file, sizeof(old_file));
    memcpy(old_fmt, bs->backing_format, sizeof(old_fmt));
    g_strlcpy(bs->backing_file, file ? file : "", sizeof(bs->backing_file));
    g_strlcpy(bs->backing_format, fmt ? fmt : "", sizeof(bs->backing_format));
    co_mutex_lock(&s->lock);
    ret = qcow2_update_header(bs);
    co_mutex_unlock(&s->lock);
    if (ret < 0) {
        memcpy(bs->backing_file, old_file, sizeof(old_file));
        memcpy(bs->backing_format, old_fmt, sizeof(old_fmt));
        error_setg_errno(errp, -ret, "Could not update the image header");
    }
    return ret;
}

int qcow2_grow_l1_table(BlockDriverState *bs, uint64_t min_size)
{
    Qcow2State *s = bs->opaque;
    uint64_t new_size = MAX(min_size, (uint64_t)s->l1_size + s->l1_size / 2);
    uint64_t bytes, old_offset = s->l1_table_offset, old_bytes = (uint64_t)s->l1_size * 8;
    uint64_t *new_table;
    uint8_t *buf, hdr[12];
    int64_t new_offset;
    int ret;

    if (min_size <= s->l1_size) {
        return 0;
    }
    new_size = qcow2_align_up(new_size, s->cluster_size / 8);
    if (new_size > QCOW_MAX_L1_SIZE / 8) {
        new_size = QCOW_MAX_L1_SIZE / 8;
        if (min_size > new_size) {
            return -EFBIG;
        }
    }
    bytes = new_size * 8;
    new_offset = qcow2_alloc_clusters(bs, bytes);
    if (new_offset < 0) {
        return (int)new_offset;
    }
    /* Refcounts of the new table before anything points at it. */
    ret = qcow2_cache_flush(bs, s->refcount_cache);
    if (ret < 0) {
        return ret;
    }
    new_table = g_new0(uint64_t, new_size);
    memcpy(new_table, s->l1_table, old_bytes);
    buf = blk_blockalign(qcow2_align_up(bytes, s->cluster_size));
    memset(buf, 0, qcow2_align_up(bytes, s->cluster_size));
    for (uint64_t i = 0; i < new_size; i++) {
        qcow2_st64(buf + 8 * i, new_table[i]);
    }
    ret = bdrv_co_pwrite(bs->file, new_offset, (int64_t)qcow2_align_up(bytes, s->cluster_size),
                         buf, 0);
    blk_free(buf);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        g_free(new_table);
        return ret;
    }
    /* l1_size and l1_table_offset are adjacent header fields: one write. */
    qcow2_st32(hdr, (uint32_t)new_size);
    qcow2_st64(hdr + 4, (uint64_t)new_offset);
    ret = bdrv_co_pwrite(bs->file, 36, sizeof(hdr), hdr, 0);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        g_free(new_table);
        return ret;
    }
    g_free(s->l1_table);
    s->l1_table = new_table;
    s->l1_size = (uint32_t)new_size;
    s->l1_table_offset = (uint64_t)new_offset;
    if (old_bytes) {
        ret = qcow2_update_refcount_range(bs, old_offset, old_bytes, -1);
    }
    return ret;
}

/* ---- flush ------------------------------------------------------------------- */

int qcow2_co_flush_metadata(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    int ret;

    /* L2 tables depend on the refcount blocks: the cache writes those first. */
    ret = qcow2_cache_flush(bs, s->l2_cache);
    if (ret == 0) {
        ret = qcow2_cache_flush(bs, s->refcount_cache);
    }
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret == 0 && s->pending_frees->len) {
        /* Nothing on disk points at these clusters any more; no I/O may still use them. */
        while (s->unlocked_io > 0) {
            co_queue_wait(&s->unlocked_io_wait, NULL);
        }
        ret = qcow2_apply_pending_frees(bs);
        if (ret == 0) {
            ret = qcow2_cache_flush(bs, s->refcount_cache);
        }
    }
    return ret;
}

static int qcow2_co_flush(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    int ret;

    co_mutex_lock(&s->lock);
    ret = qcow2_co_flush_metadata(bs);
    co_mutex_unlock(&s->lock);
    return ret;
}

/* ---- requests ---------------------------------------------------------------- */

static int qcow2_co_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                           int flags)
{
    Qcow2State *s = bs->opaque;

    if (flags & BDRV_REQ_VMSTATE) {
        offset += (int64_t)qcow2_vm_state_offset(s);
    }
    return qcow2_co_preadv_part(bs, offset, bytes, qiov, 0, flags);
}

static int qcow2_co_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                            int flags)
{
    Qcow2State *s = bs->opaque;

    if (flags & BDRV_REQ_VMSTATE) {
        offset += (int64_t)qcow2_vm_state_offset(s);
    }
    if (flags & BDRV_REQ_WRITE_COMPRESSED) {
        int64_t done = 0;
        int ret = 0;
        while (done < bytes && ret == 0) {
            int64_t n = MIN(bytes - done, (int64_t)s->cluster_size);
            BlkIOV part;
            blkiov_init(&part, qiov->niov);
            blkiov_concat(&part, qiov, (size_t)done, (size_t)n);
            ret = qcow2_co_pwritev_compressed(bs, offset + done, &part);
            blkiov_destroy(&part);
            done += n;
        }
        return ret;
    }
    return qcow2_co_pwritev_part(bs, offset, bytes, qiov, 0, flags);
}

static int qcow2_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                  int flags)
{
    Qcow2State *s = bs->opaque;
    int64_t head = (int64_t)qcow2_offset_into_cluster(s, offset);
    int64_t end = offset + bytes, aligned_end;
    int ret;

    if (s->qcow_version < 3) {
        return -ENOTSUP;
    }
    /* The virtual end counts as aligned: the last cluster may be partial. */
    aligned_end = end == (int64_t)s->size ? end : end & ~(int64_t)(s->cluster_size - 1);
    if (head) {
        int64_t n = MIN(bytes, (int64_t)s->cluster_size - head);
        void *z = g_malloc0(n);
        BlkIOV q;
        blkiov_init_buf(&q, z, n);
        ret = qcow2_co_pwritev_part(bs, offset, n, &q, 0, 0);
        blkiov_destroy(&q);
        g_free(z);
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
    }
    if (offset < aligned_end) {
        uint64_t len = qcow2_align_up((uint64_t)(aligned_end - offset), s->cluster_size);
        ret = qcow2_cluster_discard(bs, (uint64_t)offset, len, true, false);
        if (ret < 0) {
            return ret;
        }
        bytes -= aligned_end - offset;
        offset = aligned_end;
    }
    if (bytes > 0) {
        void *z = g_malloc0(bytes);
        BlkIOV q;
        blkiov_init_buf(&q, z, bytes);
        ret = qcow2_co_pwritev_part(bs, offset, bytes, &q, 0, 0);
        blkiov_destroy(&q);
        g_free(z);
        return ret;
    }
    return 0;
}

static int qcow2_co_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    Qcow2State *s = bs->opaque;
    int64_t start = (int64_t)qcow2_align_up((uint64_t)offset, s->cluster_size);
    int64_t end = offset + bytes;

    /* Partial clusters are left alone, as QEMU does. */
    if (end != (int64_t)s->size) {
        end &= ~(int64_t)(s->cluster_size - 1);
    }
    if (end <= start) {
        return 0;
    }
    return qcow2_cluster_discard(bs, (uint64_t)start,
                                 qcow2_align_up((uint64_t)(end - start), s->cluster_size),
                                 false, false);
}

static int qcow2_co_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                                 int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    Qcow2State *s = bs->opaque;
    uint64_t cur = (uint64_t)bytes, host, entry;
    Qcow2ClusterType type;
    int ret;

    co_mutex_lock(&s->lock);
    ret = qcow2_get_host_offset(bs, (uint64_t)offset, &cur, &host, &type, &entry);
    co_mutex_unlock(&s->lock);
    if (ret < 0) {
        return ret;
    }
    *pnum = (int64_t)cur;
    switch (type) {
    case QCOW2_CLUSTER_NORMAL:
        *map = (int64_t)host;
        *file = bs->file;
        return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID | BDRV_BLOCK_ALLOCATED;
    case QCOW2_CLUSTER_COMPRESSED:
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
    default:
        return 0;
    }
}

static int qcow2_make_empty(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    int ret;

    ret = qcow2_cluster_discard(bs, 0, qcow2_align_up(s->size, s->cluster_size), false, true);
    if (ret == 0) {
        ret = qcow2_co_flush(bs);
    }
    return ret;
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    return (int64_t)s->size;
}

static int qcow2_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    Qcow2State *s = bs->opaque;

    bdi->cluster_size = s->cluster_size;
    bdi->vm_state_offset = (int64_t)qcow2_vm_state_offset(s);
    bdi->is_dirty = (s->incompatible_features & QCOW2_INCOMPAT_DIRTY) != 0;
    return 0;
}

static void qcow2_info_add(BlockSpecificInfo *out, const char *human, const char *json,
                           BlockInfoType type, const char *str, int64_t num)
{
    BlockInfoItem *it = &out->items[out->count++];

    it->human = human;
    it->json = json;
    it->type = type;
    it->str = str;
    it->num = num;
}

static void qcow2_get_specific_info(BlockDriverState *bs, BlockSpecificInfo *out)
{
    Qcow2State *s = bs->opaque;

    qcow2_info_add(out, "compat", "compat", BLOCK_INFO_STR,
                   s->qcow_version >= 3 ? "1.1" : "0.10", 0);
    qcow2_info_add(out, "compression type", "compression-type", BLOCK_INFO_STR, "zlib", 0);
    if (s->qcow_version >= 3) {
        qcow2_info_add(out, "lazy refcounts", "lazy-refcounts", BLOCK_INFO_BOOL, NULL,
                       (s->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS) != 0);
    }
    qcow2_info_add(out, "refcount bits", "refcount-bits", BLOCK_INFO_INT, NULL,
                   s->refcount_bits);
    if (s->qcow_version >= 3) {
        qcow2_info_add(out, "corrupt", "corrupt", BLOCK_INFO_BOOL, NULL,
                       (s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) != 0);
        qcow2_info_add(out, "extended l2", "extended-l2", BLOCK_INFO_BOOL, NULL, 0);
    }
}

const char qcow2_create_opts_help[] =
    "Supported options:\n"
    "  backing_file=<str>     - File name of a base image\n"
    "  backing_fmt=<str>      - Image format of the base image\n"
    "  cluster_size=<size>    - qcow2 cluster size\n"
    "  compat=<str>           - Compatibility level (v2 [0.10] or v3 [1.1])\n"
    "  compression_type=<str> - Compression method used for image cluster compression\n"
    "  extended_l2=<bool (on/off)> - Extended L2 tables\n"
    "  lazy_refcounts=<bool (on/off)> - Postpone refcount updates\n"
    "  preallocation=<str>    - Preallocation mode (allowed values: off, metadata, falloc, "
    "full)\n"
    "  refcount_bits=<num>    - Width of a reference count entry in bits\n"
    "  size=<size>            - Virtual disk size\n";

const BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .instance_size = sizeof(Qcow2State),
    .supports_backing = true,
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .co_preadv = qcow2_co_preadv,
    .co_pwritev = qcow2_co_pwritev,
    .co_pwrite_zeroes = qcow2_co_pwrite_zeroes,
    .co_pdiscard = qcow2_co_pdiscard,
    .co_flush = qcow2_co_flush,
    .co_block_status = qcow2_co_block_status,
    .co_truncate = qcow2_co_truncate,
    .getlength = qcow2_getlength,
    .get_info = qcow2_get_info,
    .get_specific_info = qcow2_get_specific_info,
    .co_check = qcow2_co_check,
    .change_backing_file = qcow2_change_backing_file,
    .make_empty = qcow2_make_empty,
    .create = qcow2_co_create,
    .measure = qcow2_measure,
    .create_opts_help = qcow2_create_opts_help,
    .snapshot_list = qcow2_snapshot_list,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_delete = qcow2_snapshot_delete,
};
