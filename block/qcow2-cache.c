/*
 * The metadata cache for L2 tables and refcount blocks (QEMU's
 * block/qcow2-cache.c): a fixed number of cluster-sized tables, kept in
 * on-disk (big-endian) form, found by host offset, evicted least recently
 * used.  Tables are written back lazily; a cache may depend on another:
 * before it writes anything, the other cache is written and the file
 * synced.  That is how refcount increments reach the disk before the L2
 * entries that use the clusters.  Callers hold the qcow2 lock.
 */
#include <errno.h>
#include <string.h>

#include "qcow2.h"

typedef struct Qcow2CacheEntry {
    uint64_t offset;      /* 0: empty slot */
    uint8_t *table;
    int ref;
    bool dirty;
    uint64_t lru;
} Qcow2CacheEntry;

struct Qcow2Cache {
    Qcow2CacheEntry *entries;
    int size;
    int table_size;
    uint64_t lru_counter;
    GHashTable *index;    /* offset -> entry */
    GHashTable *by_table; /* table pointer -> entry */
    Qcow2Cache *depends_on;
};

Qcow2Cache *qcow2_cache_new(BlockDriverState *bs, int entries, Qcow2Cache *depends_on)
{
    Qcow2State *s = bs->opaque;
    Qcow2Cache *c = g_new0(Qcow2Cache, 1);

    c->size = entries;
    c->table_size = s->cluster_size;
    c->entries = g_new0(Qcow2CacheEntry, entries);
    for (int i = 0; i < entries; i++) {
        c->entries[i].table = blk_blockalign(c->table_size);
    }
    c->by_table = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (int i = 0; i < entries; i++) {
        g_hash_table_insert(c->by_table, c->entries[i].table, &c->entries[i]);
    }
    c->index = g_hash_table_new(g_int64_hash, g_int64_equal);
    c->depends_on = depends_on;
    return c;
}

void qcow2_cache_free(Qcow2Cache *c)
{
    if (!c) {
        return;
    }
    for (int i = 0; i < c->size; i++) {
        blk_free(c->entries[i].table);
    }
    g_hash_table_destroy(c->index);
    g_hash_table_destroy(c->by_table);
    g_free(c->entries);
    g_free(c);
}

static Qcow2CacheEntry *qcow2_cache_find_table(Qcow2Cache *c, void *table)
{
    return g_hash_table_lookup(c->by_table, table);
}

static int qcow2_cache_write_entry(BlockDriverState *bs, Qcow2Cache *c, Qcow2CacheEntry *e)
{
    int ret;

    if (!e->dirty) {
        return 0;
    }
    if (c->depends_on) {
        ret = qcow2_cache_flush(bs, c->depends_on);
        if (ret < 0) {
            return ret;
        }
        ret = qcow2_sync_file(bs);
        if (ret < 0) {
            return ret;
        }
    }
    ret = bdrv_co_pwrite(bs->file, (int64_t)e->offset, c->table_size, e->table, 0);
    if (ret < 0) {
        return ret;
    }
    e->dirty = false;
    return 0;
}

int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c)
{
    bool any = false;
    int ret = 0;

    for (int i = 0; i < c->size; i++) {
        any |= c->entries[i].dirty;
    }
    if (!any) {
        return 0;
    }
    if (c->depends_on) {
        ret = qcow2_cache_flush(bs, c->depends_on);
        if (ret == 0) {
            ret = qcow2_sync_file(bs);
        }
        if (ret < 0) {
            return ret;
        }
    }
    for (int i = 0; i < c->size; i++) {
        Qcow2CacheEntry *e = &c->entries[i];
        if (e->dirty) {
            int r = bdrv_co_pwrite(bs->file, (int64_t)e->offset, c->table_size, e->table, 0);
            if (r < 0) {
                ret = r;
            } else {
                e->dirty = false;
            }
        }
    }
    return ret;
}

int qcow2_cache_write_table(BlockDriverState *bs, Qcow2Cache *c, void *table)
{
    Qcow2CacheEntry *e = qcow2_cache_find_table(c, table);

    return e ? qcow2_cache_write_entry(bs, c, e) : -EINVAL;
}

/* A slot for `offset`: the least recently used unreferenced one, written back first. */
static int qcow2_cache_victim(BlockDriverState *bs, Qcow2Cache *c, Qcow2CacheEntry **out)
{
    Qcow2CacheEntry *best = NULL;
    int ret;

    for (int i = 0; i < c->size; i++) {
        Qcow2CacheEntry *e = &c->entries[i];
        if (e->ref) {
            continue;
        }
        if (!e->offset) {
            best = e;
            break;
        }
        if (!best || e->lru < best->lru) {
            best = e;
        }
    }
    if (!best) {
        return -ENOSPC;  /* every table in use: a bug in the caller */
    }
    ret = qcow2_cache_write_entry(bs, c, best);
    if (ret < 0) {
        return ret;
    }
    if (best->offset) {
        g_hash_table_remove(c->index, &best->offset);
        best->offset = 0;
    }
    *out = best;
    return 0;
}

static int qcow2_cache_do_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                              void **table, bool read_from_disk)
{
    Qcow2CacheEntry *e = g_hash_table_lookup(c->index, &offset);
    int ret;

    if (!offset || (offset & (c->table_size - 1))) {
        return -EIO;
    }
    if (!e) {
        ret = qcow2_cache_victim(bs, c, &e);
        if (ret < 0) {
            return ret;
        }
        if (read_from_disk) {
            /* Hold the slot while reading: another request may evict meanwhile. */
            e->ref++;
            ret = bdrv_co_pread(bs->file, (int64_t)offset, c->table_size, e->table, 0);
            e->ref--;
            if (ret < 0) {
                return ret;
            }
        } else {
            memset(e->table, 0, c->table_size);
        }
        e->offset = offset;
        e->dirty = false;
        g_hash_table_insert(c->index, &e->offset, e);
    }
    e->ref++;
    e->lru = ++c->lru_counter;
    *table = e->table;
    return 0;
}

int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, void **table)
{
    return qcow2_cache_do_get(bs, c, offset, table, true);
}

int qcow2_cache_get_empty(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, void **table)
{
    return qcow2_cache_do_get(bs, c, offset, table, false);
}

void qcow2_cache_put(Qcow2Cache *c, void **table)
{
    Qcow2CacheEntry *e = qcow2_cache_find_table(c, *table);

    if (e && e->ref > 0) {
        e->ref--;
    }
    *table = NULL;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table)
{
    Qcow2CacheEntry *e = qcow2_cache_find_table(c, table);

    if (e) {
        e->dirty = true;
    }
}

void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset)
{
    Qcow2CacheEntry *e = g_hash_table_lookup(c->index, &offset);

    if (e && !e->ref) {
        g_hash_table_remove(c->index, &e->offset);
        e->offset = 0;
        e->dirty = false;
    }
}

void qcow2_cache_clear(Qcow2Cache *c)
{
    for (int i = 0; i < c->size; i++) {
        Qcow2CacheEntry *e = &c->entries[i];
        if (e->offset && !e->ref) {
            g_hash_table_remove(c->index, &e->offset);
            e->offset = 0;
            e->dirty = false;
        }
    }
}
