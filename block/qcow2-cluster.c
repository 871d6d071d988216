/*
 * qcow2 guest-to-host mapping (docs/interop/qcow2.txt, "Cluster mapping"):
 * L1 entries point at L2 tables, L2 entries at data clusters, compressed
 * clusters or "reads as zero".  This file holds the read and write paths:
 * lookups under the lock, data I/O without it, allocation of clusters for
 * writes with copy-on-write of the untouched part of a partially written
 * cluster (from the old cluster, a compressed cluster or the backing
 * file), copy-on-write of L2 tables shared with snapshots, discard and
 * write-zeroes, compressed writes and metadata preallocation.
 */
#include <errno.h>
#include <string.h>

#include "qcow2.h"

Qcow2ClusterType qcow2_get_cluster_type(const Qcow2State *s, uint64_t l2_entry)
{
    if (l2_entry & QCOW_OFLAG_COMPRESSED) {
        return QCOW2_CLUSTER_COMPRESSED;
    }
    if ((l2_entry & QCOW_OFLAG_ZERO) && s->qcow_version >= 3) {
        return (l2_entry & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_ZERO_ALLOC
                                             : QCOW2_CLUSTER_ZERO_PLAIN;
    }
    return (l2_entry & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_NORMAL : QCOW2_CLUSTER_UNALLOCATED;
}

/* A data cluster must not be the header or a table we know of. */
static bool qcow2_host_cluster_is_metadata(Qcow2State *s, uint64_t host)
{
    uint64_t end = host + s->cluster_size;

    if (host < (uint64_t)s->cluster_size) {
        return true;
    }
    if (s->l1_size && host < s->l1_table_offset + (uint64_t)s->l1_size * 8 &&
        end > s->l1_table_offset) {
        return true;
    }
    if (host < s->refcount_table_offset + (uint64_t)s->refcount_table_size * 8 &&
        end > s->refcount_table_offset) {
        return true;
    }
    return false;
}

static void qcow2_unlocked_io_done(Qcow2State *s)
{
    if (--s->unlocked_io == 0) {
        co_queue_restart_all(&s->unlocked_io_wait);
    }
}

int qcow2_get_host_offset(BlockDriverState *bs, uint64_t offset, uint64_t *bytes,
                          uint64_t *host_offset, Qcow2ClusterType *type, uint64_t *l2_entry)
{
    Qcow2State *s = bs->opaque;
    uint64_t in_cluster = qcow2_offset_into_cluster(s, offset);
    int l1i = qcow2_l1_index(s, offset);
    int l2i = qcow2_l2_index(s, offset);
    uint64_t max = ((uint64_t)(s->l2_size - l2i) << s->cluster_bits) - in_cluster;
    uint64_t l2_off, e0, host0 = 0;
    Qcow2ClusterType t0;
    int n = 1, ret;
    void *l2;

    *bytes = MIN(*bytes, max);
    *host_offset = 0;
    *l2_entry = 0;
    if ((uint64_t)l1i >= s->l1_size || !(s->l1_table[l1i] & L1E_OFFSET_MASK)) {
        *type = QCOW2_CLUSTER_UNALLOCATED;
        return 0;
    }
    l2_off = s->l1_table[l1i] & L1E_OFFSET_MASK;
    if (qcow2_offset_into_cluster(s, l2_off) || qcow2_host_cluster_is_metadata(s, l2_off)) {
        qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64 " is invalid "
                                "(L1 index %d)", l2_off, l1i);
        return -EIO;
    }
    ret = qcow2_cache_get(bs, s->l2_cache, l2_off, &l2);
    if (ret < 0) {
        return ret;
    }
    e0 = qcow2_be64((uint8_t *)l2 + 8 * l2i);
    t0 = qcow2_get_cluster_type(s, e0);
    if (t0 == QCOW2_CLUSTER_NORMAL || t0 == QCOW2_CLUSTER_ZERO_ALLOC) {
        host0 = e0 & L2E_OFFSET_MASK;
        if (qcow2_offset_into_cluster(s, host0) || qcow2_host_cluster_is_metadata(s, host0) ||
            (t0 == QCOW2_CLUSTER_NORMAL && (e0 & L2E_STD_RESERVED_MASK & ~1ULL))) {
            qcow2_cache_put(s->l2_cache, &l2);
            qcow2_signal_corruption(bs, "Data cluster offset %#" PRIx64 " is invalid "
                                    "(L2 entry %#" PRIx64 ")", host0, e0);
            return -EIO;
        }
    }
    if (t0 != QCOW2_CLUSTER_COMPRESSED) {
        uint64_t want = qcow2_size_to_clusters(s, in_cluster + *bytes);
        while ((uint64_t)n < want) {
            uint64_t e = qcow2_be64((uint8_t *)l2 + 8 * (l2i + n));
            if (qcow2_get_cluster_type(s, e) != t0) {
                break;
            }
            if (t0 == QCOW2_CLUSTER_NORMAL &&
                ((e & L2E_OFFSET_MASK) != host0 + ((uint64_t)n << s->cluster_bits) ||
                 (e & QCOW_OFLAG_COPIED) != (e0 & QCOW_OFLAG_COPIED) ||
                 qcow2_host_cluster_is_metadata(s, e & L2E_OFFSET_MASK))) {
                break;
            }
            n++;
        }
    }
    qcow2_cache_put(s->l2_cache, &l2);
    *bytes = MIN(*bytes, ((uint64_t)n << s->cluster_bits) - in_cluster);
    *type = t0;
    *l2_entry = e0;
    if (t0 == QCOW2_CLUSTER_NORMAL) {
        *host_offset = host0 + in_cluster;
    } else if (t0 == QCOW2_CLUSTER_COMPRESSED) {
        *host_offset = e0 & s->cluster_offset_mask;
    }
    return 0;
}

/* Decompress the cluster an L2 entry describes into `buf` (cluster_size bytes). */
static int qcow2_read_compressed(BlockDriverState *bs, uint64_t l2_entry, uint8_t *buf)
{
    Qcow2State *s = bs->opaque;
    uint64_t host = l2_entry & s->cluster_offset_mask;
    uint64_t nb = ((l2_entry >> s->csize_shift) & s->csize_mask) + 1;
    uint64_t csize = nb * 512 - (host & 511);
    uint8_t *cbuf;
    int ret;

    if (host < (uint64_t)s->cluster_size || host + csize > QCOW2_MAX_HOST_OFFSET) {
        qcow2_signal_corruption(bs, "Compressed cluster at %#" PRIx64 " is invalid", host);
        return -EIO;
    }
    cbuf = g_malloc(csize);
    ret = bdrv_co_pread(bs->file, (int64_t)host, (int64_t)csize, cbuf, 0);
    if (ret == 0 && qcow2_decompress(buf, s->cluster_size, cbuf, csize) < 0) {
        ret = -EIO;
    }
    g_free(cbuf);
    return ret;
}

/* Read guest bytes that this layer does not hold: backing file or zeroes. */
static int qcow2_read_backing(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                              BlkIOV *qiov, size_t qoff, bool vmstate)
{
    int64_t blen;

    if (!bs->backing || vmstate) {
        blkiov_memset(qiov, qoff, 0, bytes);
        return 0;
    }
    blen = bdrv_getlength(bs->backing);
    if (blen < 0) {
        return (int)blen;
    }
    if ((int64_t)offset < blen) {
        uint64_t n = MIN(bytes, (uint64_t)blen - offset);
        BlkIOV part;
        int ret;

        blkiov_init(&part, qiov->niov);
        blkiov_concat(&part, qiov, qoff, n);
        ret = bdrv_co_preadv(bs->backing, (int64_t)offset, (int64_t)n, &part, 0);
        blkiov_destroy(&part);
        if (ret < 0) {
            return ret;
        }
        qoff += n;
        bytes -= n;
    }
    blkiov_memset(qiov, qoff, 0, bytes);
    return 0;
}

int qcow2_co_preadv_part(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                         size_t qoff, int flags)
{
    Qcow2State *s = bs->opaque;
    bool vmstate = (uint64_t)offset >= s->size;
    uint8_t *cbuf = NULL;
    int ret = 0;

    while (bytes > 0 && ret == 0) {
        uint64_t cur = (uint64_t)bytes, host, entry;
        Qcow2ClusterType type;
        BlkIOV part;

        co_mutex_lock(&s->lock);
        ret = qcow2_get_host_offset(bs, (uint64_t)offset, &cur, &host, &type, &entry);
        if (ret == 0 && (type == QCOW2_CLUSTER_NORMAL || type == QCOW2_CLUSTER_COMPRESSED)) {
            s->unlocked_io++;
        }
        co_mutex_unlock(&s->lock);
        if (ret < 0) {
            break;
        }
        switch (type) {
        case QCOW2_CLUSTER_UNALLOCATED:
            ret = qcow2_read_backing(bs, (uint64_t)offset, cur, qiov, qoff, vmstate);
            break;
        case QCOW2_CLUSTER_ZERO_PLAIN:
        case QCOW2_CLUSTER_ZERO_ALLOC:
            blkiov_memset(qiov, qoff, 0, cur);
            break;
        case QCOW2_CLUSTER_COMPRESSED:
            if (!cbuf) {
                cbuf = g_malloc(s->cluster_size);
            }
            ret = qcow2_read_compressed(bs, entry, cbuf);
            if (ret == 0) {
                blkiov_from_buf(qiov, qoff, cbuf + qcow2_offset_into_cluster(s, offset), cur);
            }
            qcow2_unlocked_io_done(s);
            break;
        case QCOW2_CLUSTER_NORMAL:
            blkiov_init(&part, qiov->niov);
            blkiov_concat(&part, qiov, qoff, cur);
            ret = bdrv_co_preadv(bs->file, (int64_t)host, (int64_t)cur, &part, 0);
            blkiov_destroy(&part);
            qcow2_unlocked_io_done(s);
            break;
        }
        offset += cur;
        bytes -= cur;
        qoff += cur;
    }
    g_free(cbuf);
    return ret;
}

/* ---- allocation ------------------------------------------------------------ */

static bool qcow2_inflight_overlaps(Qcow2State *s, uint64_t first, uint64_t last)
{
    for (Qcow2Inflight *f = s->inflight; f; f = f->next) {
        if (first < f->first_cluster + f->nb_clusters && last >= f->first_cluster) {
            return true;
        }
    }
    return false;
}

/* Wait (lock held) until no allocation overlaps the guest range. */
int qcow2_inflight_wait(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    Qcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + MAX(bytes, 1) - 1) >> s->cluster_bits;

    while (qcow2_inflight_overlaps(s, first, last)) {
        co_queue_wait(&s->inflight_wait, &s->lock);
    }
    return 0;
}

int qcow2_write_l1_entry(BlockDriverState *bs, int index)
{
    Qcow2State *s = bs->opaque;
    uint8_t buf[8];

    qcow2_st64(buf, s->l1_table[index]);
    return bdrv_co_pwrite(bs->file, (int64_t)(s->l1_table_offset + 8ULL * index), 8, buf, 0);
}

/* Make the L2 table of `l1i` exclusively ours (allocate or copy it); lock held. */
static int qcow2_l2_writable(BlockDriverState *bs, int l1i, uint64_t *l2_off_out)
{
    Qcow2State *s = bs->opaque;
    uint64_t old, old_off;
    int64_t new_off;
    void *old_l2, *new_l2;
    int ret;

    if ((uint64_t)l1i >= s->l1_size) {
        ret = qcow2_grow_l1_table(bs, (uint64_t)l1i + 1);
        if (ret < 0) {
            return ret;
        }
    }
    old = s->l1_table[l1i];
    old_off = old & L1E_OFFSET_MASK;
    if (old_off && (old & QCOW_OFLAG_COPIED)) {
        *l2_off_out = old_off;
        return 0;
    }
    if (old_off && (qcow2_offset_into_cluster(s, old_off) ||
                    qcow2_host_cluster_is_metadata(s, old_off))) {
        qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64 " is invalid", old_off);
        return -EIO;
    }
    new_off = qcow2_alloc_clusters(bs, s->cluster_size);
    if (new_off < 0) {
        return (int)new_off;
    }
    ret = qcow2_cache_get_empty(bs, s->l2_cache, (uint64_t)new_off, &new_l2);
    if (ret < 0) {
        return ret;
    }
    if (old_off) {
        ret = qcow2_cache_get(bs, s->l2_cache, old_off, &old_l2);
        if (ret < 0) {
            qcow2_cache_put(s->l2_cache, &new_l2);
            return ret;
        }
        memcpy(new_l2, old_l2, s->cluster_size);
        qcow2_cache_put(s->l2_cache, &old_l2);
    }
    qcow2_cache_mark_dirty(s->l2_cache, new_l2);
    /* The table must be on disk before the L1 entry that points at it. */
    ret = qcow2_cache_write_table(bs, s->l2_cache, new_l2);
    qcow2_cache_put(s->l2_cache, &new_l2);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        return ret;
    }
    s->l1_table[l1i] = (uint64_t)new_off | QCOW_OFLAG_COPIED;
    ret = qcow2_write_l1_entry(bs, l1i);
    if (ret < 0) {
        return ret;
    }
    if (old_off) {
        qcow2_free_clusters_deferred(bs, old_off, s->cluster_size);
    }
    *l2_off_out = (uint64_t)new_off;
    return 0;
}

/* Set `n` L2 entries starting at guest `offset`; old entries are freed (deferred). */
static int qcow2_set_l2_entries(BlockDriverState *bs, uint64_t offset, int n,
                                uint64_t first_entry, uint64_t step, bool free_old)
{
    Qcow2State *s = bs->opaque;
    uint64_t l2_off;
    int l2i = qcow2_l2_index(s, offset);
    void *l2;
    int ret;

    ret = qcow2_l2_writable(bs, qcow2_l1_index(s, offset), &l2_off);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_cache_get(bs, s->l2_cache, l2_off, &l2);
    if (ret < 0) {
        return ret;
    }
    for (int i = 0; i < n; i++) {
        uint8_t *p = (uint8_t *)l2 + 8 * (l2i + i);
        uint64_t old = qcow2_be64(p);
        if (free_old) {
            qcow2_free_l2_entry_deferred(bs, old);
        }
        qcow2_st64(p, first_entry + step * i);
    }
    qcow2_cache_mark_dirty(s->l2_cache, l2);
    qcow2_cache_put(s->l2_cache, &l2);
    return 0;
}

/*
 * Fill `buf` with the current content of guest bytes [offset, offset+len),
 * which lie in a run of type `type` starting at guest `run_start` whose
 * first cluster is described by `entry`.  *is_zero tells the content is
 * zeroes without reading anything.
 */
static int qcow2_cow_read(BlockDriverState *bs, Qcow2ClusterType type, uint64_t entry,
                          uint64_t run_start, uint64_t offset, uint64_t len, uint8_t *buf,
                          bool *is_zero)
{
    Qcow2State *s = bs->opaque;
    BlkIOV q;
    int ret = 0;

    *is_zero = false;
    switch (type) {
    case QCOW2_CLUSTER_UNALLOCATED:
        if (!bs->backing || offset >= s->size) {
            *is_zero = true;
            memset(buf, 0, len);
            return 0;
        }
        blkiov_init_buf(&q, buf, len);
        ret = qcow2_read_backing(bs, offset, len, &q, 0, false);
        blkiov_destroy(&q);
        return ret;
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        *is_zero = true;
        memset(buf, 0, len);
        return 0;
    case QCOW2_CLUSTER_COMPRESSED: {
        uint8_t *c = g_malloc(s->cluster_size);
        ret = qcow2_read_compressed(bs, entry, c);
        if (ret == 0) {
            memcpy(buf, c + qcow2_offset_into_cluster(s, offset), len);
        }
        g_free(c);
        return ret;
    }
    case QCOW2_CLUSTER_NORMAL: {
        uint64_t host = (entry & L2E_OFFSET_MASK) + (offset - qcow2_start_of_cluster(s, run_start));
        return bdrv_co_pread(bs->file, (int64_t)host, (int64_t)len, buf, 0);
    }
    }
    return 0;
}

/*
 * Write [offset, offset+cur) (one run of one type found by the lookup)
 * into newly allocated clusters; called and returns with the lock held.
 */
static int qcow2_alloc_write(BlockDriverState *bs, uint64_t offset, uint64_t cur, BlkIOV *qiov,
                             size_t qoff, Qcow2ClusterType type, uint64_t entry)
{
    Qcow2State *s = bs->opaque;
    uint64_t start = qcow2_start_of_cluster(s, offset);
    uint64_t end = qcow2_align_up(offset + cur, s->cluster_size);
    uint64_t nb = (end - start) >> s->cluster_bits;
    uint64_t head = offset - start, tail = end - (offset + cur);
    uint64_t l2_dummy;
    Qcow2Inflight me = { start >> s->cluster_bits, nb, NULL };
    uint8_t *hbuf = NULL, *tbuf = NULL;
    bool hzero = false, tzero = false;
    int64_t host, flen;
    BlkIOV wq;
    int ret;

    /* The L2 table first: its allocation may sync, better before the data. */
    ret = qcow2_l2_writable(bs, qcow2_l1_index(s, offset), &l2_dummy);
    if (ret < 0) {
        return ret;
    }
    host = qcow2_alloc_clusters(bs, end - start);
    if (host < 0) {
        return (int)host;
    }
    flen = bdrv_getlength(bs->file);
    me.next = s->inflight;
    s->inflight = &me;
    s->unlocked_io++;
    co_mutex_unlock(&s->lock);

    if (head) {
        hbuf = blk_blockalign(head);
        ret = qcow2_cow_read(bs, type, entry, offset, start, head, hbuf, &hzero);
    }
    if (ret == 0 && tail) {
        tbuf = blk_blockalign(tail);
        ret = qcow2_cow_read(bs, type, entry, offset, offset + cur, tail, tbuf, &tzero);
    }
    if (ret == 0) {
        /* Zeroes in a cluster past the end of the file need not be written. */
        bool fresh = flen >= 0 && host >= flen;
        uint64_t wstart = (hzero && fresh) ? head : 0;
        uint64_t wend = (tzero && fresh) ? head + cur : end - start;

        blkiov_init(&wq, qiov->niov + 2);
        if (wstart == 0 && head) {
            blkiov_add(&wq, hbuf, head);
        }
        blkiov_concat(&wq, qiov, qoff, cur);
        if (wend == end - start && tail) {
            blkiov_add(&wq, tbuf, tail);
        }
        ret = bdrv_co_pwritev(bs->file, host + (int64_t)wstart, (int64_t)(wend - wstart), &wq,
                              0);
        blkiov_destroy(&wq);
    }
    blk_free(hbuf);
    blk_free(tbuf);
    qcow2_unlocked_io_done(s);

    co_mutex_lock(&s->lock);
    for (Qcow2Inflight **pp = &s->inflight; *pp; pp = &(*pp)->next) {
        if (*pp == &me) {
            *pp = me.next;
            break;
        }
    }
    co_queue_restart_all(&s->inflight_wait);
    if (ret == 0) {
        ret = qcow2_set_l2_entries(bs, start, (int)nb, (uint64_t)host | QCOW_OFLAG_COPIED,
                                   s->cluster_size, true);
    }
    if (ret < 0) {
        /* Nothing points at the new clusters: give them back. */
        qcow2_free_clusters_deferred(bs, (uint64_t)host, end - start);
    }
    return ret;
}

int qcow2_co_pwritev_part(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                          size_t qoff, int flags)
{
    Qcow2State *s = bs->opaque;
    int ret = 0;

    while (bytes > 0 && ret == 0) {
        uint64_t cur = (uint64_t)bytes, host, entry;
        Qcow2ClusterType type;

        co_mutex_lock(&s->lock);
        qcow2_inflight_wait(bs, (uint64_t)offset, cur);
        ret = qcow2_get_host_offset(bs, (uint64_t)offset, &cur, &host, &type, &entry);
        if (ret < 0) {
            co_mutex_unlock(&s->lock);
            break;
        }
        if (type == QCOW2_CLUSTER_NORMAL && (entry & QCOW_OFLAG_COPIED)) {
            BlkIOV part;

            s->unlocked_io++;
            co_mutex_unlock(&s->lock);
            blkiov_init(&part, qiov->niov);
            blkiov_concat(&part, qiov, qoff, cur);
            ret = bdrv_co_pwritev(bs->file, (int64_t)host, (int64_t)cur, &part, 0);
            blkiov_destroy(&part);
            qcow2_unlocked_io_done(s);
        } else {
            ret = qcow2_alloc_write(bs, (uint64_t)offset, cur, qiov, qoff, type, entry);
            co_mutex_unlock(&s->lock);
        }
        offset += cur;
        bytes -= cur;
        qoff += cur;
    }
    return ret;
}

int qcow2_co_pwritev_compressed(BlockDriverState *bs, int64_t offset, BlkIOV *qiov)
{
    Qcow2State *s = bs->opaque;
    uint8_t *src, *dst;
    ssize_t clen;
    int64_t host;
    uint64_t nb_sectors;
    int ret;

    if (qcow2_offset_into_cluster(s, offset) || qiov->size > (size_t)s->cluster_size ||
        (qiov->size < (size_t)s->cluster_size && offset + qiov->size != s->size)) {
        return -EINVAL;
    }
    src = g_malloc0(s->cluster_size);
    dst = g_malloc(s->cluster_size);
    blkiov_to_buf(qiov, 0, src, qiov->size);
    clen = qcow2_compress(dst, s->cluster_size - 512, src, s->cluster_size);
    if (clen < 0) {
        /* Incompressible: store the cluster as it is. */
        g_free(src);
        g_free(dst);
        return qcow2_co_pwritev_part(bs, offset, (int64_t)qiov->size, qiov, 0, 0);
    }
    co_mutex_lock(&s->lock);
    qcow2_inflight_wait(bs, (uint64_t)offset, s->cluster_size);
    host = qcow2_alloc_bytes(bs, (int)clen);
    ret = host < 0 ? (int)host : 0;
    if (ret == 0) {
        ret = bdrv_co_pwrite(bs->file, host, clen, dst, 0);
    }
    if (ret == 0) {
        nb_sectors = (((uint64_t)host + clen - 1) >> 9) - ((uint64_t)host >> 9);
        ret = qcow2_set_l2_entries(bs, (uint64_t)offset, 1,
                                   QCOW_OFLAG_COMPRESSED | (uint64_t)host |
                                   (nb_sectors << s->csize_shift), 0, true);
    }
    co_mutex_unlock(&s->lock);
    g_free(src);
    g_free(dst);
    return ret;
}

/*
 * Discard or zero whole clusters of [offset, offset+bytes) (cluster aligned
 * by the caller).  `zero`: reads must return zeroes afterwards.
 */
int qcow2_cluster_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes, bool zero,
                          bool full_discard)
{
    Qcow2State *s = bs->opaque;
    uint64_t end = offset + bytes;
    int ret = 0;

    co_mutex_lock(&s->lock);
    qcow2_inflight_wait(bs, offset, bytes);
    while (offset < end && ret == 0) {
        int l1i = qcow2_l1_index(s, offset);
        int l2i = qcow2_l2_index(s, offset);
        int n = (int)MIN((uint64_t)(s->l2_size - l2i), (end - offset) >> s->cluster_bits);
        bool need_zero_flag = zero || (bs->backing && !full_discard);
        uint64_t new_entry = (need_zero_flag && s->qcow_version >= 3) ? QCOW_OFLAG_ZERO : 0;
        uint64_t l2_off;
        void *l2;

        if ((uint64_t)l1i >= s->l1_size || !(s->l1_table[l1i] & L1E_OFFSET_MASK)) {
            if (!new_entry || !bs->backing) {
                /* Unallocated with nothing below reads as zero already. */
                offset += (uint64_t)n << s->cluster_bits;
                continue;
            }
        }
        ret = qcow2_l2_writable(bs, l1i, &l2_off);
        if (ret < 0) {
            break;
        }
        ret = qcow2_cache_get(bs, s->l2_cache, l2_off, &l2);
        if (ret < 0) {
            break;
        }
        for (int i = 0; i < n; i++) {
            uint8_t *p = (uint8_t *)l2 + 8 * (l2i + i);
            uint64_t old = qcow2_be64(p);
            uint64_t ne = new_entry;
            if (!bs->backing && qcow2_get_cluster_type(s, old) == QCOW2_CLUSTER_UNALLOCATED) {
                continue;
            }
            if (old == ne) {
                continue;
            }
            qcow2_free_l2_entry_deferred(bs, old);
            qcow2_st64(p, ne);
            qcow2_cache_mark_dirty(s->l2_cache, l2);
        }
        qcow2_cache_put(s->l2_cache, &l2);
        offset += (uint64_t)n << s->cluster_bits;
    }
    co_mutex_unlock(&s->lock);
    return ret;
}

int qcow2_preallocate_metadata(BlockDriverState *bs, uint64_t from, uint64_t to)
{
    Qcow2State *s = bs->opaque;
    uint64_t offset = qcow2_start_of_cluster(s, from);
    uint64_t host_end = 0;
    int ret = 0;

    co_mutex_lock(&s->lock);
    while (offset < to && ret == 0) {
        uint64_t cur = to - offset, host, entry;
        Qcow2ClusterType type;
        int64_t h;

        ret = qcow2_get_host_offset(bs, offset, &cur, &host, &type, &entry);
        if (ret < 0) {
            break;
        }
        cur = qcow2_align_up(cur, s->cluster_size);
        if (type == QCOW2_CLUSTER_UNALLOCATED) {
            uint64_t l2_dummy;
            ret = qcow2_l2_writable(bs, qcow2_l1_index(s, offset), &l2_dummy);
            if (ret < 0) {
                break;
            }
            h = qcow2_alloc_clusters(bs, cur);
            if (h < 0) {
                ret = (int)h;
                break;
            }
            ret = qcow2_set_l2_entries(bs, offset, (int)(cur >> s->cluster_bits),
                                       (uint64_t)h | QCOW_OFLAG_COPIED, s->cluster_size, false);
            host_end = MAX(host_end, (uint64_t)h + cur);
        }
        offset += cur;
    }
    co_mutex_unlock(&s->lock);
    if (ret == 0 && host_end) {
        /* The clusters read as zeroes once the file covers them. */
        ret = bdrv_truncate(bs->file, (int64_t)host_end, false, PREALLOC_MODE_OFF, NULL);
    }
    return ret;
}
