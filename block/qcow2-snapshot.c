/*
 * qcow2 internal snapshots (docs/interop/qcow2.txt, "Snapshots"): a table
 * of entries, each with its own copy of the L1 table, sharing clusters
 * with the active image through reference counts.  Creating a snapshot
 * adds one reference to every cluster the active L1 reaches; applying one
 * copies its L1 into the active table; deleting one drops its references.
 * The COPIED flags (refcount == 1) of the active tables are recomputed
 * after each change, since the write path trusts them.
 *
 * Every change is ordered so that a crash leaves at most leaked clusters:
 * references are added and flushed before a table points at them, and
 * removed only after the table that pointed at them is gone from disk.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qcow2.h"

enum {
    QCOW2_SNAPSHOT_FIXED = 40,
    QCOW2_SNAPSHOT_EXTRA = 24,   /* vm_state_size_large, disk_size, icount */
};

void qcow2_free_snapshots(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    for (int i = 0; i < s->nb_snapshots && s->snapshots; i++) {
        g_free(s->snapshots[i].id_str);
        g_free(s->snapshots[i].name);
        g_free(s->snapshots[i].unknown_extra);
    }
    g_free(s->snapshots);
    s->snapshots = NULL;
}

int qcow2_read_snapshots(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = bs->opaque;
    int64_t flen = bdrv_getlength(bs->file);
    uint64_t off = s->snapshots_offset;
    int n = s->nb_snapshots;
    int ret = 0;

    s->snapshots = NULL;
    if (n == 0) {
        s->snapshots_size = 0;
        return 0;
    }
    if (n > QCOW_MAX_SNAPSHOTS) {
        error_setg(errp, "Too many snapshots");
        s->nb_snapshots = 0;
        return -EFBIG;
    }
    if (off == 0 || qcow2_offset_into_cluster(s, off) || flen < 0 || off >= (uint64_t)flen) {
        error_setg(errp, "Snapshot table offset invalid");
        s->nb_snapshots = 0;
        return -EINVAL;
    }
    s->snapshots = g_new0(Qcow2Snapshot, n);
    for (int i = 0; i < n; i++) {
        uint8_t fixed[QCOW2_SNAPSHOT_FIXED];
        Qcow2Snapshot *sn = &s->snapshots[i];
        uint16_t id_len, name_len;
        uint8_t *extra = NULL;

        if (off + QCOW2_SNAPSHOT_FIXED > (uint64_t)flen ||
            off - s->snapshots_offset > QCOW_MAX_SNAPSHOTS_SIZE) {
            error_setg(errp, "Snapshot table exceeds the image file");
            ret = -EINVAL;
            break;
        }
        ret = bdrv_co_pread(bs->file, (int64_t)off, sizeof(fixed), fixed, 0);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read the snapshot table");
            break;
        }
        sn->l1_table_offset = qcow2_be64(fixed);
        sn->l1_size = qcow2_be32(fixed + 8);
        id_len = qcow2_be16(fixed + 12);
        name_len = qcow2_be16(fixed + 14);
        sn->date_sec = qcow2_be32(fixed + 16);
        sn->date_nsec = qcow2_be32(fixed + 20);
        sn->vm_clock_nsec = qcow2_be64(fixed + 24);
        sn->vm_state_size = qcow2_be32(fixed + 32);
        sn->extra_data_size = qcow2_be32(fixed + 36);
        sn->disk_size = s->size;
        sn->icount = UINT64_MAX;
        off += QCOW2_SNAPSHOT_FIXED;
        if (sn->extra_data_size > QCOW_MAX_SNAPSHOT_EXTRA_DATA) {
            error_setg(errp, "Too much extra metadata in snapshot table entry %d", i);
            ret = -EFBIG;
            break;
        }
        if (off + sn->extra_data_size + id_len + name_len > (uint64_t)flen) {
            error_setg(errp, "Snapshot table exceeds the image file");
            ret = -EINVAL;
            break;
        }
        extra = g_malloc0(MAX(sn->extra_data_size, QCOW2_SNAPSHOT_EXTRA));
        sn->id_str = g_malloc0(id_len + 1);
        sn->name = g_malloc0(name_len + 1);
        ret = bdrv_co_pread(bs->file, (int64_t)off, sn->extra_data_size, extra, 0);
        off += sn->extra_data_size;
        if (ret == 0) {
            ret = bdrv_co_pread(bs->file, (int64_t)off, id_len, sn->id_str, 0);
        }
        off += id_len;
        if (ret == 0) {
            ret = bdrv_co_pread(bs->file, (int64_t)off, name_len, sn->name, 0);
        }
        off += name_len;
        off = qcow2_align_up(off, 8);
        if (ret < 0) {
            g_free(extra);
            error_setg_errno(errp, -ret, "Could not read the snapshot table");
            break;
        }
        if (sn->extra_data_size >= 8) {
            sn->vm_state_size = qcow2_be64(extra);
        }
        if (sn->extra_data_size >= 16) {
            sn->disk_size = qcow2_be64(extra + 8);
        } else if (s->qcow_version >= 3) {
            error_setg(errp, "Snapshot table entry %d is too short for a version 3 image", i);
            g_free(extra);
            ret = -EINVAL;
            break;
        }
        if (sn->extra_data_size >= 24) {
            sn->icount = qcow2_be64(extra + 16);
        }
        if (sn->extra_data_size > QCOW2_SNAPSHOT_EXTRA) {
            sn->unknown_extra = g_memdup2(extra + QCOW2_SNAPSHOT_EXTRA,
                                          sn->extra_data_size - QCOW2_SNAPSHOT_EXTRA);
        }
        g_free(extra);
        if (sn->l1_size > QCOW_MAX_L1_SIZE / 8) {
            error_setg(errp, "Snapshot L1 table too large");
            ret = -EFBIG;
            break;
        }
    }
    if (ret < 0) {
        qcow2_free_snapshots(bs);
        s->nb_snapshots = 0;
        return ret;
    }
    s->snapshots_size = off - s->snapshots_offset;
    return 0;
}

/* Write the whole table to new clusters, switch the header to it, free the old one. */
static int qcow2_write_snapshots(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    uint64_t size = 0, off = 0, old_off = s->snapshots_offset, old_size = s->snapshots_size;
    int64_t new_off = 0;
    uint8_t *buf, hdr[12];
    int ret;

    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        size += QCOW2_SNAPSHOT_FIXED + MAX(sn->extra_data_size, QCOW2_SNAPSHOT_EXTRA) +
                strlen(sn->id_str) + strlen(sn->name);
        size = qcow2_align_up(size, 8);
    }
    if (size > QCOW_MAX_SNAPSHOTS_SIZE) {
        return -EFBIG;
    }
    buf = g_malloc0(MAX(size, 1));
    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        uint32_t extra = MAX(sn->extra_data_size, QCOW2_SNAPSHOT_EXTRA);
        size_t idl = strlen(sn->id_str), nl = strlen(sn->name);

        qcow2_st64(buf + off, sn->l1_table_offset);
        qcow2_st32(buf + off + 8, sn->l1_size);
        qcow2_st16(buf + off + 12, (uint16_t)idl);
        qcow2_st16(buf + off + 14, (uint16_t)nl);
        qcow2_st32(buf + off + 16, sn->date_sec);
        qcow2_st32(buf + off + 20, sn->date_nsec);
        qcow2_st64(buf + off + 24, sn->vm_clock_nsec);
        qcow2_st32(buf + off + 32, (uint32_t)MIN(sn->vm_state_size, UINT32_MAX));
        qcow2_st32(buf + off + 36, extra);
        off += QCOW2_SNAPSHOT_FIXED;
        qcow2_st64(buf + off, sn->vm_state_size);
        qcow2_st64(buf + off + 8, sn->disk_size);
        qcow2_st64(buf + off + 16, sn->icount);
        if (sn->unknown_extra) {
            memcpy(buf + off + QCOW2_SNAPSHOT_EXTRA, sn->unknown_extra,
                   extra - QCOW2_SNAPSHOT_EXTRA);
        }
        off += extra;
        memcpy(buf + off, sn->id_str, idl);
        off += idl;
        memcpy(buf + off, sn->name, nl);
        off += nl;
        off = qcow2_align_up(off, 8);
    }
    if (size) {
        new_off = qcow2_alloc_clusters(bs, size);
        if (new_off < 0) {
            g_free(buf);
            return (int)new_off;
        }
        ret = qcow2_cache_flush(bs, s->refcount_cache);
        if (ret == 0) {
            ret = bdrv_co_pwrite(bs->file, new_off, (int64_t)size, buf, 0);
        }
        if (ret == 0) {
            ret = qcow2_sync_file(bs);
        }
        if (ret < 0) {
            g_free(buf);
            return ret;
        }
    }
    g_free(buf);
    /* nb_snapshots and snapshots_offset are adjacent: switch in one write. */
    qcow2_st32(hdr, (uint32_t)s->nb_snapshots);
    qcow2_st64(hdr + 4, (uint64_t)new_off);
    ret = bdrv_co_pwrite(bs->file, 60, sizeof(hdr), hdr, 0);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    if (ret < 0) {
        return ret;
    }
    s->snapshots_offset = (uint64_t)new_off;
    s->snapshots_size = size;
    if (old_off && old_size) {
        ret = qcow2_update_refcount_range(bs, old_off, old_size, -1);
    }
    return ret;
}

static int qcow2_find_snapshot(Qcow2State *s, const char *id, const char *name)
{
    for (int i = 0; i < s->nb_snapshots; i++) {
        if ((!id || !strcmp(s->snapshots[i].id_str, id)) &&
            (!name || !strcmp(s->snapshots[i].name, name))) {
            return i;
        }
    }
    return -1;
}

static int qcow2_find_snapshot_by_id_or_name(Qcow2State *s, const char *key)
{
    int i = qcow2_find_snapshot(s, key, NULL);

    return i >= 0 ? i : qcow2_find_snapshot(s, NULL, key);
}

static int qcow2_read_l1(BlockDriverState *bs, uint64_t offset, uint32_t size, uint64_t **out,
                         Error **errp)
{
    uint8_t *buf;
    uint64_t *t;
    int ret = qcow2_validate_table(bs, offset, size, 8, QCOW_MAX_L1_SIZE, "Snapshot L1 table",
                                   errp);

    if (ret < 0) {
        return ret;
    }
    t = g_new0(uint64_t, MAX(size, 1));
    if (size) {
        buf = g_malloc((size_t)size * 8);
        ret = bdrv_co_pread(bs->file, (int64_t)offset, (int64_t)size * 8, buf, 0);
        for (uint32_t i = 0; ret == 0 && i < size; i++) {
            t[i] = qcow2_be64(buf + 8 * i);
        }
        g_free(buf);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read snapshot L1 table");
            g_free(t);
            return ret;
        }
    }
    *out = t;
    return 0;
}

static int qcow2_write_active_l1(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    uint8_t *buf;
    int ret;

    if (!s->l1_size) {
        return 0;
    }
    buf = g_malloc((size_t)s->l1_size * 8);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        qcow2_st64(buf + 8 * i, s->l1_table[i]);
    }
    ret = bdrv_co_pwrite(bs->file, (int64_t)s->l1_table_offset, (int64_t)s->l1_size * 8, buf, 0);
    g_free(buf);
    return ret;
}

/* Metadata is flushed and frees applied, so refcounts are exact from here on. */
static int qcow2_snapshot_begin(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    co_mutex_lock(&s->lock);
    return qcow2_co_flush_metadata(bs);
}

static int qcow2_snapshot_end(BlockDriverState *bs, int ret)
{
    Qcow2State *s = bs->opaque;
    int r = qcow2_co_flush_metadata(bs);

    co_mutex_unlock(&s->lock);
    return ret < 0 ? ret : r;
}

int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    Qcow2State *s = bs->opaque;
    BlockSnapshotInfo *l = g_new0(BlockSnapshotInfo, MAX(s->nb_snapshots, 1));

    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        g_strlcpy(l[i].id_str, sn->id_str, sizeof(l[i].id_str));
        g_strlcpy(l[i].name, sn->name, sizeof(l[i].name));
        l[i].vm_state_size = sn->vm_state_size;
        l[i].date_sec = sn->date_sec;
        l[i].date_nsec = sn->date_nsec;
        l[i].vm_clock_nsec = sn->vm_clock_nsec;
        l[i].icount = sn->icount;
        l[i].disk_size = sn->disk_size;
    }
    *list = l;
    return s->nb_snapshots;
}

int qcow2_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *info, Error **errp)
{
    Qcow2State *s = bs->opaque;
    Qcow2Snapshot sn = { 0 };
    uint64_t *l1_copy = NULL;
    int64_t l1_off = 0;
    int ret;

    ret = qcow2_snapshot_begin(bs);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not flush the image");
        return qcow2_snapshot_end(bs, ret);
    }
    if (s->nb_snapshots >= QCOW_MAX_SNAPSHOTS) {
        error_setg(errp, "Too many snapshots");
        return qcow2_snapshot_end(bs, -EFBIG);
    }
    if (!info->id_str[0]) {
        uint64_t max = 0;
        for (int i = 0; i < s->nb_snapshots; i++) {
            uint64_t v = g_ascii_strtoull(s->snapshots[i].id_str, NULL, 10);
            max = MAX(max, v);
        }
        snprintf(info->id_str, sizeof(info->id_str), "%" PRIu64, max + 1);
    } else if (qcow2_find_snapshot(s, info->id_str, NULL) >= 0) {
        error_setg(errp, "Snapshot with id '%s' already exists", info->id_str);
        return qcow2_snapshot_end(bs, -EEXIST);
    }
    /* Every cluster of the active view gains the snapshot as an owner. */
    ret = qcow2_update_snapshot_refcount(bs, s->l1_table, s->l1_size, 1);
    if (ret == 0) {
        ret = qcow2_write_active_l1(bs);
    }
    if (ret == 0 && s->l1_size) {
        l1_off = qcow2_alloc_clusters(bs, (uint64_t)s->l1_size * 8);
        ret = l1_off < 0 ? (int)l1_off : 0;
    }
    if (ret == 0 && s->l1_size) {
        uint8_t *buf = g_malloc((size_t)s->l1_size * 8);
        for (uint32_t i = 0; i < s->l1_size; i++) {
            qcow2_st64(buf + 8 * i, s->l1_table[i]);
        }
        ret = bdrv_co_pwrite(bs->file, l1_off, (int64_t)s->l1_size * 8, buf, 0);
        g_free(buf);
    }
    if (ret == 0) {
        ret = qcow2_co_flush_metadata(bs);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not create snapshot");
        g_free(l1_copy);
        return qcow2_snapshot_end(bs, ret);
    }
    sn.l1_table_offset = (uint64_t)l1_off;
    sn.l1_size = s->l1_size;
    sn.id_str = g_strdup(info->id_str);
    sn.name = g_strdup(info->name);
    sn.disk_size = s->size;
    sn.vm_state_size = info->vm_state_size;
    sn.date_sec = info->date_sec;
    sn.date_nsec = info->date_nsec;
    sn.vm_clock_nsec = info->vm_clock_nsec;
    sn.icount = info->icount;
    sn.extra_data_size = QCOW2_SNAPSHOT_EXTRA;
    s->snapshots = g_renew(Qcow2Snapshot, s->snapshots, s->nb_snapshots + 1);
    s->snapshots[s->nb_snapshots++] = sn;
    ret = qcow2_write_snapshots(bs);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not write the snapshot table");
        return qcow2_snapshot_end(bs, ret);
    }
    if (info->vm_state_size) {
        /* The snapshot owns the VM state now; the active view lets it go. */
        co_mutex_unlock(&s->lock);
        ret = qcow2_cluster_discard(bs, qcow2_vm_state_offset(s),
                                    qcow2_align_up(info->vm_state_size, s->cluster_size),
                                    false, true);
        co_mutex_lock(&s->lock);
    }
    return qcow2_snapshot_end(bs, ret);
}

int qcow2_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    Qcow2State *s = bs->opaque;
    uint64_t *sn_l1 = NULL, *old_l1 = NULL;
    uint32_t old_size;
    Qcow2Snapshot *sn;
    int i, ret;

    ret = qcow2_snapshot_begin(bs);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not flush the image");
        return qcow2_snapshot_end(bs, ret);
    }
    i = qcow2_find_snapshot_by_id_or_name(s, id_or_name);
    if (i < 0) {
        error_setg(errp, "Can't find snapshot");
        return qcow2_snapshot_end(bs, -ENOENT);
    }
    sn = &s->snapshots[i];
    ret = qcow2_read_l1(bs, sn->l1_table_offset, sn->l1_size, &sn_l1, errp);
    if (ret < 0) {
        return qcow2_snapshot_end(bs, ret);
    }
    if (sn->l1_size > s->l1_size) {
        ret = qcow2_grow_l1_table(bs, sn->l1_size);
    }
    /* References of the snapshot's view first: the active L1 is about to use them. */
    if (ret == 0) {
        ret = qcow2_update_snapshot_refcount(bs, sn_l1, sn->l1_size, 1);
    }
    if (ret == 0) {
        ret = qcow2_co_flush_metadata(bs);
    }
    if (ret < 0) {
        g_free(sn_l1);
        error_setg_errno(errp, -ret, "Could not apply snapshot");
        return qcow2_snapshot_end(bs, ret);
    }
    old_size = s->l1_size;
    old_l1 = g_memdup2(s->l1_table, (size_t)old_size * 8);
    memset(s->l1_table, 0, (size_t)s->l1_size * 8);
    memcpy(s->l1_table, sn_l1, (size_t)sn->l1_size * 8);
    ret = qcow2_write_active_l1(bs);
    if (ret == 0) {
        ret = qcow2_sync_file(bs);
    }
    /* The old view's references go once nothing on disk uses them. */
    if (ret == 0) {
        ret = qcow2_update_snapshot_refcount(bs, old_l1, old_size, -1);
    }
    if (ret == 0) {
        ret = qcow2_update_snapshot_refcount(bs, s->l1_table, s->l1_size, 0);
    }
    if (ret == 0) {
        ret = qcow2_write_active_l1(bs);
    }
    if (ret == 0 && sn->disk_size && sn->disk_size != s->size) {
        s->size = sn->disk_size;
        bs->total_bytes = (int64_t)s->size;
        ret = qcow2_update_header(bs);
    }
    g_free(old_l1);
    g_free(sn_l1);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not apply snapshot");
    }
    return qcow2_snapshot_end(bs, ret);
}

int qcow2_snapshot_delete(BlockDriverState *bs, const char *id, const char *name,
                          Error **errp)
{
    Qcow2State *s = bs->opaque;
    Qcow2Snapshot sn;
    uint64_t *sn_l1 = NULL;
    int i, ret;

    ret = qcow2_snapshot_begin(bs);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not flush the image");
        return qcow2_snapshot_end(bs, ret);
    }
    i = (id && name) ? qcow2_find_snapshot(s, id, name)
                     : qcow2_find_snapshot_by_id_or_name(s, id ? id : name);
    if (i < 0) {
        error_setg(errp, "Can't find the snapshot");
        return qcow2_snapshot_end(bs, -ENOENT);
    }
    sn = s->snapshots[i];
    ret = qcow2_read_l1(bs, sn.l1_table_offset, sn.l1_size, &sn_l1, errp);
    if (ret < 0) {
        return qcow2_snapshot_end(bs, ret);
    }
    memmove(&s->snapshots[i], &s->snapshots[i + 1],
            (size_t)(s->nb_snapshots - i - 1) * sizeof(Qcow2Snapshot));
    s->nb_snapshots--;
    ret = qcow2_write_snapshots(bs);
    if (ret == 0) {
        ret = qcow2_update_snapshot_refcount(bs, sn_l1, sn.l1_size, -1);
    }
    if (ret == 0 && sn.l1_size) {
        ret = qcow2_update_refcount_range(bs, sn.l1_table_offset, (uint64_t)sn.l1_size * 8, -1);
    }
    if (ret == 0) {
        ret = qcow2_update_snapshot_refcount(bs, s->l1_table, s->l1_size, 0);
    }
    if (ret == 0) {
        ret = qcow2_write_active_l1(bs);
    }
    g_free(sn.id_str);
    g_free(sn.name);
    g_free(sn.unknown_extra);
    g_free(sn_l1);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not delete snapshot");
    }
    return qcow2_snapshot_end(bs, ret);
}
