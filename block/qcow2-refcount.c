/*
 * qcow2 reference counts (docs/interop/qcow2.txt, "Host cluster
 * management"): a refcount table of 64-bit offsets to refcount blocks, each
 * block an array of 2^refcount_order-bit counts, one per host cluster.
 * Widths below a byte are packed from the least significant bit, wider
 * ones are big-endian.  A cluster with a count of zero is free.
 *
 * Allocation finds a run of free clusters, makes sure refcount blocks
 * exist for it (a new block covers itself: it is placed in the first
 * cluster of the range it describes, which is free because no block
 * counted it), and increments the counts in the refcount cache.  New
 * blocks and a grown table are written and synced before anything points
 * at them.  Decrements of clusters still referenced from disk are deferred
 * to the next flush (see qcow2.h).
 */
#include <errno.h>
#include <string.h>

#include "qcow2.h"

static uint64_t qcow2_rc_get(const Qcow2State *s, const uint8_t *blk, uint64_t i)
{
    switch (s->refcount_order) {
    case 0:
        return (blk[i / 8] >> (i % 8)) & 1;
    case 1:
        return (blk[i / 4] >> (2 * (i % 4))) & 3;
    case 2:
        return (blk[i / 2] >> (4 * (i % 2))) & 15;
    case 3:
        return blk[i];
    case 4:
        return qcow2_be16(blk + 2 * i);
    case 5:
        return qcow2_be32(blk + 4 * i);
    default:
        return qcow2_be64(blk + 8 * i);
    }
}

static void qcow2_rc_set(const Qcow2State *s, uint8_t *blk, uint64_t i, uint64_t v)
{
    switch (s->refcount_order) {
    case 0:
        blk[i / 8] = (uint8_t)((blk[i / 8] & ~(1u << (i % 8))) | (v << (i % 8)));
        break;
    case 1:
        blk[i / 4] = (uint8_t)((blk[i / 4] & ~(3u << (2 * (i % 4)))) | (v << (2 * (i % 4))));
        break;
    case 2:
        blk[i / 2] = (uint8_t)((blk[i / 2] & ~(15u << (4 * (i % 2)))) | (v << (4 * (i % 2))));
        break;
    case 3:
        blk[i] = (uint8_t)v;
        break;
    case 4:
        qcow2_st16(blk + 2 * i, (uint16_t)v);
        break;
    case 5:
        qcow2_st32(blk + 4 * i, (uint32_t)v);
        break;
    default:
        qcow2_st64(blk + 8 * i, v);
        break;
    }
}

int qcow2_refcount_init(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = bs->opaque;
    uint64_t bytes = (uint64_t)s->refcount_table_size * 8;
    uint8_t *buf;
    int64_t flen;
    int ret;

    s->refcount_table = g_new0(uint64_t, MAX(s->refcount_table_size, 1));
    if (!bytes) {
        return 0;
    }
    flen = bdrv_getlength(bs->file);
    if (flen < 0) {
        error_setg_errno(errp, (int)-flen, "Could not get the file size");
        return (int)flen;
    }
    buf = g_malloc(bytes);
    ret = bdrv_co_pread(bs->file, (int64_t)s->refcount_table_offset, (int64_t)bytes, buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read the refcount table");
        g_free(buf);
        return ret;
    }
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t e = qcow2_be64(buf + 8 * i);
        uint64_t off = e & REFT_OFFSET_MASK;
        if (e & ~REFT_OFFSET_MASK) {
            /* Reserved bits: tolerated by QEMU on read, cleared on write. */
            e = off;
        }
        /* Blocks are written before the table points at them: never past EOF. */
        if (off && (qcow2_offset_into_cluster(s, off) || off >= (uint64_t)flen)) {
            if (!(bs->open_flags & BDRV_O_CHECK)) {
                error_setg(errp, "Refcount block %u offset %#" PRIx64 " is invalid", i, off);
                g_free(buf);
                return -EINVAL;
            }
            e = 0;
        }
        if (off == 0 && e) {
            e = 0;
        }
        s->refcount_table[i] = e;
    }
    g_free(buf);
    return 0;
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount)
{
    Qcow2State *s = bs->opaque;
    uint64_t t = cluster_index >> s->refcount_block_bits;
    uint64_t off;
    void *blk;
    int ret;

    *refcount = 0;
    if (t >= s->refcount_table_size) {
        return 0;
    }
    off = s->refcount_table[t] & REFT_OFFSET_MASK;
    if (!off) {
        return 0;
    }
    ret = qcow2_cache_get(bs, s->refcount_cache, off, &blk);
    if (ret < 0) {
        return ret;
    }
    *refcount = qcow2_rc_get(s, blk, cluster_index & (s->refcount_block_size - 1));
    qcow2_cache_put(s->refcount_cache, &blk);
    return 0;
}

int qcow2_sync_file(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    if (s->no_flush) {
        return 0;
    }
    return bdrv_co_flush(bs->file);
}

/* Grow the refcount table so that it has an entry for block index `min_idx`. */
static int qcow2_grow_refcount_table(BlockDriverState *bs, uint64_t min_idx)
{
    Qcow2State *s = bs->opaque;
    uint64_t per_cluster = s->cluster_size / 8;
    uint64_t old_size = s->refcount_table_size;
    uint64_t new_size = MAX(min_idx + 1, old_size + old_size / 2 + 1);
    int64_t flen = bdrv_getlength(bs->file);
    uint64_t a, nb = 0, table_clusters, end, first_idx, last_idx;
    uint64_t *new_table;
    uint8_t *buf, hdr[12];
    int ret;

    if (flen < 0) {
        return (int)flen;
    }
    a = MAX(qcow2_size_to_clusters(s, (uint64_t)flen), old_size << s->refcount_block_bits);
    /* Blocks for the new area, then the table; iterate until the sizes agree. */
    for (;;) {
        new_size = qcow2_align_up(new_size, per_cluster);
        table_clusters = new_size / per_cluster;
        end = a + nb + table_clusters;
        first_idx = a >> s->refcount_block_bits;
        last_idx = (end - 1) >> s->refcount_block_bits;
        if (last_idx + 1 > new_size) {
            new_size = last_idx + 1;
            continue;
        }
        if (last_idx - first_idx + 1 == nb) {
            break;
        }
        nb = last_idx - first_idx + 1;
    }
    if (new_size * 8 > QCOW_MAX_REFTABLE_SIZE ||
        (end << s->cluster_bits) >= QCOW2_MAX_HOST_OFFSET) {
        return -EFBIG;
    }
    buf = blk_blockalign(s->cluster_size);
    for (uint64_t i = 0; i < nb; i++) {
        uint64_t idx = first_idx + i;
        memset(buf, 0, s->cluster_size);
        for (uint64_t c = MAX(a, idx << s->refcount_block_bits);
             c < end && (c >> s->refcount_block_bits) == idx; c++) {
            qcow2_rc_set(s, buf, c & (s->refcount_block_size - 1), 1);
        }
        ret = bdrv_co_pwrite(bs->file, (int64_t)((a + i) << s->cluster_bits), s->cluster_size,
                             buf, 0);
        if (ret < 0) {
            blk_free(buf);
            return ret;
        }
    }
    blk_free(buf);
    new_table = g_new0(uint64_t, new_size);
    memcpy(new_table, s->refcount_table, old_size * 8);
    for (uint64_t i = 0; i < nb; i++) {
        new_table[first_idx + i] = (a + i) << s->cluster_bits;
    }
    buf = blk_blockalign(new_size * 8);
    for (uint64_t i = 0; i < new_size; i++) {
        qcow2_st64(buf + 8 * i, new_table[i]);
    }
    ret = bdrv_co_pwrite(bs->file, (int64_t)((a + nb) << s->cluster_bits),
                         (int64_t)(new_size * 8), buf, 0);
    blk_free(buf);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        g_free(new_table);
        return ret;
    }
    /* Switch the header to the new table: offset and size are adjacent fields. */
    qcow2_st64(hdr, (a + nb) << s->cluster_bits);
    qcow2_st32(hdr + 8, (uint32_t)table_clusters);
    ret = bdrv_co_pwrite(bs->file, 48, sizeof(hdr), hdr, 0);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        g_free(new_table);
        return ret;
    }
    {
        uint64_t old_offset = s->refcount_table_offset;
        uint64_t old_bytes = old_size * 8;

        g_free(s->refcount_table);
        s->refcount_table = new_table;
        s->refcount_table_size = (uint32_t)new_size;
        s->refcount_table_offset = (a + nb) << s->cluster_bits;
        if (old_bytes) {
            ret = qcow2_update_refcount_range(bs, old_offset, old_bytes, -1);
        }
    }
    return ret;
}

/* Make sure block index `idx` has a refcount block; *created tells if one was made. */
static int qcow2_ensure_refcount_block(BlockDriverState *bs, uint64_t idx, bool *created)
{
    Qcow2State *s = bs->opaque;
    uint64_t block_cluster, off;
    uint8_t entry[8];
    void *blk;
    int ret;

    if (idx >= s->refcount_table_size) {
        ret = qcow2_grow_refcount_table(bs, idx);
        if (ret < 0) {
            return ret;
        }
        *created = true;
    }
    if (s->refcount_table[idx] & REFT_OFFSET_MASK) {
        return 0;
    }
    block_cluster = idx << s->refcount_block_bits;
    if (block_cluster == 0) {
        qcow2_signal_corruption(bs, "refcount block for the header cluster is missing");
        return -EIO;
    }
    off = block_cluster << s->cluster_bits;
    if (off >= QCOW2_MAX_HOST_OFFSET) {
        return -EFBIG;
    }
    ret = qcow2_cache_get_empty(bs, s->refcount_cache, off, &blk);
    if (ret < 0) {
        return ret;
    }
    qcow2_rc_set(s, blk, 0, 1);
    qcow2_cache_mark_dirty(s->refcount_cache, blk);
    ret = qcow2_cache_write_table(bs, s->refcount_cache, blk);
    qcow2_cache_put(s->refcount_cache, &blk);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        return ret;
    }
    qcow2_st64(entry, off);
    ret = bdrv_co_pwrite(bs->file, (int64_t)(s->refcount_table_offset + idx * 8), 8, entry, 0);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        return ret;
    }
    s->refcount_table[idx] = off;
    *created = true;
    return 0;
}

/* Read-modify-write one count: v = f(old); the block must exist unless v is 0. */
static int qcow2_modify_refcount(BlockDriverState *bs, uint64_t cluster_index, bool absolute,
                                 uint64_t value, int addend)
{
    Qcow2State *s = bs->opaque;
    uint64_t idx = cluster_index >> s->refcount_block_bits;
    uint64_t off, old, v;
    bool created = false;
    void *blk;
    int ret;

    if (absolute ? value > 0 : addend > 0) {
        ret = qcow2_ensure_refcount_block(bs, idx, &created);
        if (ret < 0) {
            return ret;
        }
    }
    off = idx < s->refcount_table_size ? s->refcount_table[idx] & REFT_OFFSET_MASK : 0;
    if (!off) {
        if (absolute && value == 0) {
            return 0;
        }
        qcow2_signal_corruption(bs, "decrementing the refcount of cluster %#" PRIx64
                                " which has no refcount block", cluster_index);
        return -EIO;
    }
    ret = qcow2_cache_get(bs, s->refcount_cache, off, &blk);
    if (ret < 0) {
        return ret;
    }
    old = qcow2_rc_get(s, blk, cluster_index & (s->refcount_block_size - 1));
    if (absolute) {
        if (value > s->refcount_max) {
            qcow2_cache_put(s->refcount_cache, &blk);
            return -ERANGE;
        }
        v = value;
    } else if (addend < 0 && old < (uint64_t)-(int64_t)addend) {
        qcow2_cache_put(s->refcount_cache, &blk);
        qcow2_signal_corruption(bs, "refcount of cluster %#" PRIx64 " would drop below zero",
                                cluster_index);
        return -EIO;
    } else if (addend > 0 && old > s->refcount_max - (uint64_t)addend) {
        /* Too many snapshots or compressed clusters share the cluster. */
        qcow2_cache_put(s->refcount_cache, &blk);
        return -ERANGE;
    } else {
        v = old + (uint64_t)(int64_t)addend;
    }
    qcow2_rc_set(s, blk, cluster_index & (s->refcount_block_size - 1), v);
    qcow2_cache_mark_dirty(s->refcount_cache, blk);
    qcow2_cache_put(s->refcount_cache, &blk);
    if (v == 0 && old != 0) {
        uint64_t host = cluster_index << s->cluster_bits;
        /* A freed table must never be written back over the cluster's next user. */
        qcow2_cache_discard(s->l2_cache, host);
        qcow2_cache_discard(s->refcount_cache, host);
        if (cluster_index < s->free_cluster_index) {
            s->free_cluster_index = cluster_index;
        }
    }
    return 0;
}

int qcow2_update_cluster_refcount(BlockDriverState *bs, uint64_t cluster_index, int addend)
{
    return qcow2_modify_refcount(bs, cluster_index, false, 0, addend);
}

int qcow2_set_cluster_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t value)
{
    return qcow2_modify_refcount(bs, cluster_index, true, value, 0);
}

int qcow2_update_refcount_range(BlockDriverState *bs, uint64_t offset, uint64_t length,
                                int addend)
{
    Qcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + length - 1) >> s->cluster_bits;

    if (length == 0) {
        return 0;
    }
    for (uint64_t c = first; c <= last; c++) {
        int ret = qcow2_update_cluster_refcount(bs, c, addend);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* First run of `n` free clusters at or after the hint. */
static int64_t qcow2_find_free_clusters(BlockDriverState *bs, uint64_t n)
{
    Qcow2State *s = bs->opaque;
    uint64_t start = MAX(s->free_cluster_index, 1), run = 0;
    uint64_t limit = QCOW2_MAX_HOST_OFFSET >> s->cluster_bits;

    for (uint64_t c = start; c < limit; c++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc) {
            run = 0;
            start = c + 1;
            continue;
        }
        if (++run == n) {
            return (int64_t)start;
        }
    }
    return -EFBIG;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t size)
{
    Qcow2State *s = bs->opaque;
    uint64_t n = qcow2_size_to_clusters(s, size);
    int64_t start;
    int ret;

    if (n == 0) {
        return -EINVAL;
    }
    for (int attempt = 0;; attempt++) {
        bool created = false, busy = false;

        if (attempt > 64) {
            return -EIO;
        }
        start = qcow2_find_free_clusters(bs, n);
        if (start < 0) {
            return start;
        }
        for (uint64_t idx = (uint64_t)start >> s->refcount_block_bits;
             idx <= ((uint64_t)start + n - 1) >> s->refcount_block_bits; idx++) {
            ret = qcow2_ensure_refcount_block(bs, idx, &created);
            if (ret < 0) {
                return ret;
            }
        }
        /* New refcount structures may have landed in the run: check it again. */
        for (uint64_t c = (uint64_t)start; created && c < (uint64_t)start + n; c++) {
            uint64_t rc;
            ret = qcow2_get_refcount(bs, c, &rc);
            if (ret < 0) {
                return ret;
            }
            busy |= rc != 0;
        }
        if (!busy) {
            break;
        }
    }
    for (uint64_t c = (uint64_t)start; c < (uint64_t)start + n; c++) {
        ret = qcow2_update_cluster_refcount(bs, c, 1);
        if (ret < 0) {
            return ret;
        }
    }
    s->free_cluster_index = (uint64_t)start + n;
    return start << s->cluster_bits;
}

int64_t qcow2_alloc_bytes(BlockDriverState *bs, int size)
{
    Qcow2State *s = bs->opaque;
    uint64_t off = s->free_byte_offset;
    int64_t new_off;
    int ret;

    if (off && qcow2_offset_into_cluster(s, off) &&
        qcow2_offset_into_cluster(s, off) + (uint64_t)size <= (uint64_t)s->cluster_size) {
        uint64_t rc;
        ret = qcow2_get_refcount(bs, off >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc > 0 && rc < s->refcount_max) {
            ret = qcow2_update_cluster_refcount(bs, off >> s->cluster_bits, 1);
            if (ret < 0) {
                return ret;
            }
            s->free_byte_offset = off + size;
            if (!qcow2_offset_into_cluster(s, s->free_byte_offset)) {
                s->free_byte_offset = 0;
            }
            return (int64_t)off;
        }
    }
    new_off = qcow2_alloc_clusters(bs, (uint64_t)size);
    if (new_off < 0) {
        return new_off;
    }
    s->free_byte_offset = (uint64_t)new_off + size;
    if (!qcow2_offset_into_cluster(s, s->free_byte_offset)) {
        s->free_byte_offset = 0;
    }
    return new_off;
}

void qcow2_free_clusters_deferred(BlockDriverState *bs, uint64_t offset, uint64_t length)
{
    Qcow2State *s = bs->opaque;
    uint64_t pair[2] = { offset, length };

    if (length) {
        g_array_append_vals(s->pending_frees, pair, 2);
    }
}

void qcow2_free_l2_entry_deferred(BlockDriverState *bs, uint64_t l2_entry)
{
    Qcow2State *s = bs->opaque;

    switch (qcow2_get_cluster_type(s, l2_entry)) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        qcow2_free_clusters_deferred(bs, l2_entry & L2E_OFFSET_MASK, s->cluster_size);
        break;
    case QCOW2_CLUSTER_COMPRESSED: {
        uint64_t host = l2_entry & s->cluster_offset_mask;
        uint64_t nb = ((l2_entry >> s->csize_shift) & s->csize_mask) + 1;
        uint64_t start = host & ~511ULL;
        qcow2_free_clusters_deferred(bs, start, nb * 512);
        break;
    }
    default:
        break;
    }
}

int qcow2_apply_pending_frees(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    int ret = 0;

    for (guint i = 0; i + 1 < s->pending_frees->len; i += 2) {
        uint64_t off = g_array_index(s->pending_frees, uint64_t, i);
        uint64_t len = g_array_index(s->pending_frees, uint64_t, i + 1);
        int r = qcow2_update_refcount_range(bs, off, len, -1);
        if (r < 0 && ret == 0) {
            ret = r;
        }
    }
    g_array_set_size(s->pending_frees, 0);
    /* A partly filled compressed cluster may just have been freed. */
    s->free_byte_offset = 0;
    return ret;
}

int qcow2_update_snapshot_refcount(BlockDriverState *bs, uint64_t *l1_table, uint32_t l1_size,
                                   int addend)
{
    Qcow2State *s = bs->opaque;
    int ret;

    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2_off = l1_table[i] & L1E_OFFSET_MASK;
        uint64_t rc;
        void *l2;

        if (!l2_off) {
            continue;
        }
        if (qcow2_offset_into_cluster(s, l2_off)) {
            qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64 " unaligned", l2_off);
            return -EIO;
        }
        ret = qcow2_cache_get(bs, s->l2_cache, l2_off, &l2);
        if (ret < 0) {
            return ret;
        }
        for (int j = 0; j < s->l2_size; j++) {
            uint8_t *p = (uint8_t *)l2 + 8 * j;
            uint64_t e = qcow2_be64(p), ne = e;
            Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

            if (t == QCOW2_CLUSTER_COMPRESSED) {
                if (addend) {
                    uint64_t host = e & s->cluster_offset_mask;
                    uint64_t nb = ((e >> s->csize_shift) & s->csize_mask) + 1;
                    ret = qcow2_update_refcount_range(bs, host & ~511ULL, nb * 512, addend);
                }
            } else if (t == QCOW2_CLUSTER_NORMAL || t == QCOW2_CLUSTER_ZERO_ALLOC) {
                uint64_t host = e & L2E_OFFSET_MASK;
                if (qcow2_offset_into_cluster(s, host)) {
                    ret = -EIO;
                } else {
                    ret = addend ? qcow2_update_cluster_refcount(bs, host >> s->cluster_bits,
                                                                 addend)
                                 : 0;
                    if (ret == 0) {
                        ret = qcow2_get_refcount(bs, host >> s->cluster_bits, &rc);
                    }
                    if (ret == 0) {
                        ne = rc == 1 ? (e | QCOW_OFLAG_COPIED) : (e & ~QCOW_OFLAG_COPIED);
                    }
                }
            } else {
                ret = 0;
            }
            if (ret < 0) {
                qcow2_cache_put(s->l2_cache, &l2);
                return ret;
            }
            if (ne != e) {
                qcow2_st64(p, ne);
                qcow2_cache_mark_dirty(s->l2_cache, l2);
            }
        }
        qcow2_cache_put(s->l2_cache, &l2);
        if (addend) {
            ret = qcow2_update_cluster_refcount(bs, l2_off >> s->cluster_bits, addend);
            if (ret < 0) {
                return ret;
            }
        }
        ret = qcow2_get_refcount(bs, l2_off >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        l1_table[i] = rc == 1 ? (l1_table[i] | QCOW_OFLAG_COPIED)
                              : (l1_table[i] & ~QCOW_OFLAG_COPIED);
    }
    return 0;
}

int64_t qcow2_refcount_metadata_size(int64_t clusters, int cluster_size, int refcount_order)
{
    int64_t per_table_cluster = cluster_size / 8;
    int64_t per_block = (int64_t)cluster_size * 8 / (1 << refcount_order);
    int64_t table = 0, blocks = 0, n = 0, last;

    /* Refcount structures count themselves: iterate to the fixed point. */
    do {
        last = n;
        blocks = (clusters + table + blocks + per_block - 1) / per_block;
        table = (blocks + per_table_cluster - 1) / per_table_cluster;
        n = clusters + blocks + table;
    } while (n != last);
    return (blocks + table) * cluster_size;
}
