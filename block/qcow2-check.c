/*
 * qemu-img check for qcow2 (QEMU's qcow2_check_refcounts): rebuild every
 * cluster's reference count from the metadata (header, L1/L2 tables of
 * the active image and of each snapshot, data and compressed clusters,
 * refcount structures, snapshot table), compare with the stored counts,
 * and check the COPIED flags of the active tables.  A stored count above
 * the computed one is a leak (wasted space), below it a corruption (a
 * cluster could be reused while still in use).  With fix flags the stored
 * counts and flags are rewritten.  Reports use QEMU's wording.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "qcow2.h"

typedef struct Qcow2CheckState {
    BdrvCheckResult *res;
    uint64_t nb_clusters;
    uint64_t *refs;
    int64_t file_len;
    uint64_t prev_data;       /* fragmentation: previous host cluster */
} Qcow2CheckState;

static void qcow2_check_msg(Qcow2CheckState *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void qcow2_check_msg(Qcow2CheckState *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    /* Hostile images could make millions of lines; the counts stay exact. */
    if (c->res->messages->len < 10000) {
        g_ptr_array_add(c->res->messages, g_strdup_vprintf(fmt, ap));
    }
    va_end(ap);
}

static void qcow2_check_inc(Qcow2State *s, Qcow2CheckState *c, uint64_t offset, uint64_t size)
{
    uint64_t first, last;

    if (size == 0) {
        return;
    }
    first = offset >> s->cluster_bits;
    last = (offset + size - 1) >> s->cluster_bits;
    for (uint64_t k = first; k <= last; k++) {
        if (k >= c->nb_clusters) {
            qcow2_check_msg(c, "ERROR: cluster %" PRIu64 " (offset %#" PRIx64
                            ") is beyond the end of the image file", k, k << s->cluster_bits);
            c->res->corruptions++;
            return;
        }
        if (c->refs[k] != UINT64_MAX) {
            c->refs[k]++;
        }
    }
}

static int qcow2_check_l2(BlockDriverState *bs, Qcow2CheckState *c, uint64_t l2_off,
                          bool active)
{
    Qcow2State *s = bs->opaque;
    void *l2;
    int ret = qcow2_cache_get(bs, s->l2_cache, l2_off, &l2);

    if (ret < 0) {
        qcow2_check_msg(c, "ERROR: I/O error in check_refcounts_l2");
        c->res->check_errors++;
        return ret;
    }
    for (int j = 0; j < s->l2_size; j++) {
        uint64_t e = qcow2_be64((uint8_t *)l2 + 8 * j);
        Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

        if (t == QCOW2_CLUSTER_COMPRESSED) {
            uint64_t host = e & s->cluster_offset_mask;
            uint64_t nb = ((e >> s->csize_shift) & s->csize_mask) + 1;
            if (e & QCOW_OFLAG_COPIED) {
                qcow2_check_msg(c, "ERROR: coffset=%#" PRIx64 ": copied flag must never be "
                                "set for compressed clusters", host);
                c->res->corruptions++;
            }
            qcow2_check_inc(s, c, host & ~511ULL, nb * 512);
            if (active) {
                c->res->bfi.allocated_clusters++;
                c->res->bfi.compressed_clusters++;
                c->res->bfi.fragmented_clusters++;
            }
        } else if (t == QCOW2_CLUSTER_NORMAL || t == QCOW2_CLUSTER_ZERO_ALLOC) {
            uint64_t host = e & L2E_OFFSET_MASK;
            if (qcow2_offset_into_cluster(s, host)) {
                qcow2_check_msg(c, "ERROR offset=%" PRIx64 ": Cluster is not properly "
                                "aligned; L2 entry corrupted.", host);
                c->res->corruptions++;
                continue;
            }
            if (active) {
                c->res->bfi.allocated_clusters++;
                if (c->prev_data && host != c->prev_data + s->cluster_size) {
                    c->res->bfi.fragmented_clusters++;
                }
                c->prev_data = host;
            }
            qcow2_check_inc(s, c, host, s->cluster_size);
        }
    }
    qcow2_cache_put(s->l2_cache, &l2);
    return 0;
}

static void qcow2_check_l1(BlockDriverState *bs, Qcow2CheckState *c, const uint64_t *l1,
                           uint32_t l1_size, bool active)
{
    Qcow2State *s = bs->opaque;

    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2_off = l1[i] & L1E_OFFSET_MASK;
        if (!l2_off) {
            continue;
        }
        if (qcow2_offset_into_cluster(s, l2_off)) {
            qcow2_check_msg(c, "ERROR l2_offset=%" PRIx64 ": Table is not cluster aligned; "
                            "L1 entry corrupted", l2_off);
            c->res->corruptions++;
            continue;
        }
        if (l2_off + s->cluster_size > (uint64_t)c->file_len ||
            l2_off < (uint64_t)s->cluster_size) {
            qcow2_check_msg(c, "ERROR l2_offset=%" PRIx64 ": Table is outside the image "
                            "file; L1 entry corrupted", l2_off);
            c->res->corruptions++;
            continue;
        }
        qcow2_check_inc(s, c, l2_off, s->cluster_size);
        qcow2_check_l2(bs, c, l2_off, active);
    }
}

/* Set a stored count to `want` (grow through the allocator when a block is missing). */
static int qcow2_check_set_refcount(BlockDriverState *bs, uint64_t k, uint64_t have,
                                    uint64_t want)
{
    return have == want ? 0 : qcow2_set_cluster_refcount(bs, k, want);
}

static void qcow2_check_copied(BlockDriverState *bs, Qcow2CheckState *c, int fix)
{
    Qcow2State *s = bs->opaque;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t e = s->l1_table[i], l2_off = e & L1E_OFFSET_MASK, rc;
        void *l2;

        if (!l2_off || qcow2_offset_into_cluster(s, l2_off) ||
            l2_off + s->cluster_size > (uint64_t)c->file_len ||
            l2_off < (uint64_t)s->cluster_size) {
            continue;
        }
        if (qcow2_get_refcount(bs, l2_off >> s->cluster_bits, &rc) < 0) {
            c->res->check_errors++;
            continue;
        }
        if ((rc == 1) != ((e & QCOW_OFLAG_COPIED) != 0)) {
            qcow2_check_msg(c, "%s OFLAG_COPIED L2 cluster: l1_index=%u l1_entry=%" PRIx64
                            " refcount=%" PRIu64, (fix & BDRV_FIX_ERRORS) ? "Repairing" :
                            "ERROR", i, e, rc);
            if (fix & BDRV_FIX_ERRORS) {
                s->l1_table[i] = rc == 1 ? (e | QCOW_OFLAG_COPIED) : (e & ~QCOW_OFLAG_COPIED);
                if (qcow2_write_l1_entry(bs, (int)i) == 0) {
                    c->res->corruptions_fixed++;
                } else {
                    c->res->check_errors++;
                }
            } else {
                c->res->corruptions++;
            }
        }
        if (qcow2_cache_get(bs, s->l2_cache, l2_off, &l2) < 0) {
            c->res->check_errors++;
            continue;
        }
        for (int j = 0; j < s->l2_size; j++) {
            uint8_t *p = (uint8_t *)l2 + 8 * j;
            uint64_t le = qcow2_be64(p), drc;
            Qcow2ClusterType t = qcow2_get_cluster_type(s, le);
            uint64_t host = le & L2E_OFFSET_MASK;

            if ((t != QCOW2_CLUSTER_NORMAL && t != QCOW2_CLUSTER_ZERO_ALLOC) ||
                qcow2_offset_into_cluster(s, host)) {
                continue;
            }
            if (qcow2_get_refcount(bs, host >> s->cluster_bits, &drc) < 0) {
                c->res->check_errors++;
                continue;
            }
            if ((drc == 1) != ((le & QCOW_OFLAG_COPIED) != 0)) {
                qcow2_check_msg(c, "%s OFLAG_COPIED data cluster: l2_entry=%" PRIx64
                                " refcount=%" PRIu64, (fix & BDRV_FIX_ERRORS) && rc == 1 ?
                                "Repairing" : "ERROR", le, drc);
                if ((fix & BDRV_FIX_ERRORS) && rc == 1) {
                    qcow2_st64(p, drc == 1 ? (le | QCOW_OFLAG_COPIED) :
                                             (le & ~QCOW_OFLAG_COPIED));
                    qcow2_cache_mark_dirty(s->l2_cache, l2);
                    c->res->corruptions_fixed++;
                } else {
                    c->res->corruptions++;
                }
            }
        }
        qcow2_cache_put(s->l2_cache, &l2);
    }
}

int qcow2_co_check(BlockDriverState *bs, BdrvCheckResult *res, int fix)
{
    Qcow2State *s = bs->opaque;
    Qcow2CheckState c = { .res = res };
    uint64_t highest = 0;
    int ret;

    if (bs->read_only) {
        fix = 0;
    }
    co_mutex_lock(&s->lock);
    if (!bs->read_only) {
        ret = qcow2_co_flush_metadata(bs);
        if (ret < 0) {
            res->check_errors++;
            co_mutex_unlock(&s->lock);
            return ret;
        }
    }
    c.file_len = bdrv_getlength(bs->file);
    if (c.file_len < 0) {
        co_mutex_unlock(&s->lock);
        return (int)c.file_len;
    }
    c.nb_clusters = qcow2_size_to_clusters(s, (uint64_t)c.file_len);
    c.refs = g_try_new0(uint64_t, MAX(c.nb_clusters, 1));
    if (!c.refs) {
        co_mutex_unlock(&s->lock);
        return -ENOMEM;
    }
    res->bfi.total_clusters = qcow2_size_to_clusters(s, s->size);

    qcow2_check_inc(s, &c, 0, s->cluster_size);
    qcow2_check_inc(s, &c, s->l1_table_offset, (uint64_t)s->l1_size * 8);
    qcow2_check_l1(bs, &c, s->l1_table, s->l1_size, true);
    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        uint64_t *l1;
        uint8_t *buf;
        Error *err = NULL;

        if (qcow2_validate_table(bs, sn->l1_table_offset, sn->l1_size, 8, QCOW_MAX_L1_SIZE,
                                 "Snapshot L1 table", &err) < 0) {
            qcow2_check_msg(&c, "ERROR snapshot %s (%s) l1_offset=%#" PRIx64 ": %s",
                            sn->id_str, sn->name, sn->l1_table_offset, error_get_pretty(err));
            error_free(err);
            res->corruptions++;
            continue;
        }
        qcow2_check_inc(s, &c, sn->l1_table_offset, (uint64_t)sn->l1_size * 8);
        if (!sn->l1_size) {
            continue;
        }
        buf = g_malloc((size_t)sn->l1_size * 8);
        l1 = g_new(uint64_t, sn->l1_size);
        if (bdrv_co_pread(bs->file, (int64_t)sn->l1_table_offset, (int64_t)sn->l1_size * 8, buf,
                          0) < 0) {
            res->check_errors++;
        } else {
            for (uint32_t j = 0; j < sn->l1_size; j++) {
                l1[j] = qcow2_be64(buf + 8 * j);
            }
            qcow2_check_l1(bs, &c, l1, sn->l1_size, false);
        }
        g_free(buf);
        g_free(l1);
    }
    qcow2_check_inc(s, &c, s->snapshots_offset, s->snapshots_size);
    qcow2_check_inc(s, &c, s->refcount_table_offset, (uint64_t)s->refcount_table_size * 8);
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t off = s->refcount_table[i] & REFT_OFFSET_MASK;
        if (!off) {
            continue;
        }
        if (off >= (uint64_t)c.file_len) {
            qcow2_check_msg(&c, "ERROR refcount block %u is outside image", i);
            res->corruptions++;
            continue;
        }
        qcow2_check_inc(s, &c, off, s->cluster_size);
    }

    /* Compare the stored counts with what the metadata says. */
    for (uint64_t k = 0; k < c.nb_clusters; k++) {
        uint64_t have;
        if (qcow2_get_refcount(bs, k, &have) < 0) {
            qcow2_check_msg(&c, "ERROR: could not read the refcount of cluster %" PRIu64, k);
            res->check_errors++;
            continue;
        }
        if (c.refs[k] || have) {
            highest = k + 1;  /* QEMU counts leaked clusters in the image end too */
        }
        if (have == c.refs[k]) {
            continue;
        }
        if (have > c.refs[k]) {
            bool repair = fix & BDRV_FIX_LEAKS;
            qcow2_check_msg(&c, "%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64,
                            repair ? "Repairing" : "Leaked", k, have, c.refs[k]);
            if (repair && qcow2_check_set_refcount(bs, k, have, c.refs[k]) == 0) {
                res->leaks_fixed++;
            } else {
                res->leaks++;
            }
        } else {
            bool repair = fix & BDRV_FIX_ERRORS;
            qcow2_check_msg(&c, "%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64,
                            repair ? "Repairing" : "ERROR", k, have, c.refs[k]);
            if (repair && qcow2_check_set_refcount(bs, k, have, c.refs[k]) == 0) {
                res->corruptions_fixed++;
            } else {
                res->corruptions++;
            }
        }
    }
    /*
     * Counts for clusters past the end of the file are not reported, as in
     * QEMU: an allocation that never reached the disk wastes no space.
     */
    qcow2_check_copied(bs, &c, fix);
    res->image_end_offset = (int64_t)(highest << s->cluster_bits);
    g_free(c.refs);
    if (!bs->read_only) {
        ret = qcow2_co_flush_metadata(bs);
        if (ret < 0) {
            res->check_errors++;
        }
    }
    co_mutex_unlock(&s->lock);
    return 0;
}
