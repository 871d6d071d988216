/*
 * qcow2 internals shared by block/qcow2*.c.  The on-disk format is QEMU's
 * docs/interop/qcow2.txt (versions 2 and 3): a header, a two-level table
 * (L1 -> L2 -> data clusters) per view of the disk (the active one and one
 * per internal snapshot), and reference counts for every host cluster in a
 * refcount table -> refcount block structure.  All integers on disk are
 * big-endian.
 *
 * Consistency: metadata reaches the disk in an order that keeps the image
 * valid at any instant (a crash costs leaked clusters at worst):
 * refcount increments are stable before any table points at the cluster,
 * data is stable before its L2 entry, an L2 table before its L1 entry, and
 * a cluster's refcount is decremented only once nothing on disk points at
 * it (frees are deferred to the next flush, after the L2 tables).
 *
 * Concurrency: s->lock (a CoMutex) guards all metadata.  Data I/O runs
 * without it; a cluster being allocated is published in s->inflight so
 * that overlapping requests wait for it, and s->unlocked_io counts data
 * I/O to clusters whose free the next flush must not apply too early.
 */
#ifndef MORPH_BLOCK_QCOW2_H
#define MORPH_BLOCK_QCOW2_H

#include <inttypes.h>
#include <stdint.h>

#include "block/block_int.h"

#define QCOW_MAGIC 0x514649fbu /* "QFI\xfb" */

#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_DEFAULT_CLUSTER_BITS 16

#define QCOW_OFLAG_COPIED (1ULL << 63)
#define QCOW_OFLAG_COMPRESSED (1ULL << 62)
#define QCOW_OFLAG_ZERO (1ULL << 0)

#define L1E_OFFSET_MASK 0x00fffffffffffe00ULL
#define L2E_OFFSET_MASK 0x00fffffffffffe00ULL
#define REFT_OFFSET_MASK 0xfffffffffffffe00ULL
#define L1E_RESERVED_MASK 0x7f000000000001ffULL
#define L2E_STD_RESERVED_MASK 0x3f000000000001feULL
/* Host offsets are 56-bit: anything above is not an image. */
#define QCOW2_MAX_HOST_OFFSET (1ULL << 56)

/* Limits QEMU enforces too (block/qcow2.h): they bound what we allocate. */
#define QCOW_MAX_L1_SIZE (32u << 20)        /* bytes */
#define QCOW_MAX_REFTABLE_SIZE (8u << 20)   /* bytes */
#define QCOW_MAX_SNAPSHOTS 65536
#define QCOW_MAX_SNAPSHOT_EXTRA_DATA 1024
#define QCOW_MAX_SNAPSHOTS_SIZE (64u << 20)
#define QCOW2_MAX_BACKING_NAME 1023

/* Incompatible feature bits. */
#define QCOW2_INCOMPAT_DIRTY (1ULL << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ULL << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ULL << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ULL << 3)
#define QCOW2_INCOMPAT_EXTL2 (1ULL << 4)
#define QCOW2_INCOMPAT_SUPPORTED                                                              \
    (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_COMPRESSION)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ULL << 0)

/* Header extensions. */
#define QCOW2_EXT_END 0
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u
#define QCOW2_EXT_BITMAPS 0x23852875u
#define QCOW2_EXT_CRYPTO 0x0537be77u
#define QCOW2_EXT_DATA_FILE 0x44415441u

#define QCOW2_V2_HEADER_SIZE 72
#define QCOW2_V3_HEADER_SIZE 104
#define QCOW2_HEADER_SIZE 112 /* v3 with the compression type byte, padded */

typedef enum Qcow2ClusterType {
    QCOW2_CLUSTER_UNALLOCATED,
    QCOW2_CLUSTER_ZERO_PLAIN,
    QCOW2_CLUSTER_ZERO_ALLOC,
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} Qcow2ClusterType;

typedef struct Qcow2Snapshot {
    uint64_t l1_table_offset;
    uint32_t l1_size;
    char *id_str;
    char *name;
    uint64_t disk_size;
    uint64_t vm_state_size;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t icount;
    uint32_t extra_data_size;
    void *unknown_extra;       /* extra data we do not interpret, kept as is */
} Qcow2Snapshot;

typedef struct Qcow2UnknownExt {
    uint32_t type;
    uint32_t len;
    uint8_t *data;
} Qcow2UnknownExt;

typedef struct Qcow2Cache Qcow2Cache;

/* A cluster range being allocated: overlapping requests wait for it. */
typedef struct Qcow2Inflight {
    uint64_t first_cluster;   /* guest cluster index */
    uint64_t nb_clusters;
    struct Qcow2Inflight *next;
} Qcow2Inflight;

typedef struct Qcow2State {
    int qcow_version;
    int cluster_bits;
    int cluster_size;
    int l2_bits;
    int l2_size;               /* entries per L2 table */
    int csize_shift;
    uint64_t csize_mask;
    uint64_t cluster_offset_mask;
    uint64_t size;             /* virtual size */
    int refcount_order;
    int refcount_bits;
    uint64_t refcount_max;
    int refcount_block_bits;   /* log2 of entries per refcount block */
    int refcount_block_size;
    uint64_t incompatible_features;
    uint64_t compatible_features;
    uint64_t autoclear_features;
    uint32_t header_length;
    int compression_type;
    uint64_t *l1_table;        /* host (native) byte order */
    uint32_t l1_size;
    uint64_t l1_table_offset;
    uint64_t *refcount_table;  /* native byte order */
    uint32_t refcount_table_size; /* entries */
    uint64_t refcount_table_offset;
    Qcow2Snapshot *snapshots;
    int nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t snapshots_size;
    Qcow2UnknownExt *unknown_exts;
    int nb_unknown_exts;
    char *feature_names[3][64];  /* from the feature table, for messages */
    Qcow2Cache *l2_cache;
    Qcow2Cache *refcount_cache;
    CoMutex lock;
    uint64_t free_cluster_index;
    uint64_t free_byte_offset;   /* packing point for compressed clusters */
    GArray *pending_frees;       /* uint64_t pairs (host offset, clusters) */
    Qcow2Inflight *inflight;
    CoQueue inflight_wait;
    int unlocked_io;
    CoQueue unlocked_io_wait;
    bool no_flush;               /* cache=unsafe on the file node */
    bool corrupt_reported;
} Qcow2State;

static inline uint64_t qcow2_be64(const void *p)
{
    const uint8_t *b = p;
    return ((uint64_t)b[0] << 56) | ((uint64_t)b[1] << 48) | ((uint64_t)b[2] << 40) |
           ((uint64_t)b[3] << 32) | ((uint64_t)b[4] << 24) | ((uint64_t)b[5] << 16) |
           ((uint64_t)b[6] << 8) | b[7];
}

static inline uint32_t qcow2_be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static inline uint16_t qcow2_be16(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)((b[0] << 8) | b[1]);
}

static inline void qcow2_st64(void *p, uint64_t v)
{
    uint8_t *b = p;
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline void qcow2_st32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static inline void qcow2_st16(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static inline uint64_t qcow2_align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static inline uint64_t qcow2_offset_into_cluster(const Qcow2State *s, uint64_t off)
{
    return off & (s->cluster_size - 1);
}

static inline uint64_t qcow2_start_of_cluster(const Qcow2State *s, uint64_t off)
{
    return off & ~(uint64_t)(s->cluster_size - 1);
}

static inline uint64_t qcow2_size_to_clusters(const Qcow2State *s, uint64_t size)
{
    return (size + s->cluster_size - 1) >> s->cluster_bits;
}

static inline int qcow2_l1_index(const Qcow2State *s, uint64_t guest)
{
    return (int)(guest >> (s->l2_bits + s->cluster_bits));
}

static inline int qcow2_l2_index(const Qcow2State *s, uint64_t guest)
{
    return (int)((guest >> s->cluster_bits) & (s->l2_size - 1));
}

/* Where the VM state of the active layer lives: past the last L1 entry of the disk. */
static inline uint64_t qcow2_vm_state_offset(const Qcow2State *s)
{
    uint64_t l1_span = (uint64_t)s->cluster_size << s->l2_bits;
    return qcow2_align_up(s->size, l1_span);
}

Qcow2ClusterType qcow2_get_cluster_type(const Qcow2State *s, uint64_t l2_entry);

/* qcow2.c */
int qcow2_update_header(BlockDriverState *bs);
void qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int qcow2_co_flush_metadata(BlockDriverState *bs);
int qcow2_sync_file(BlockDriverState *bs);
/* Grow the active L1 table to at least `min_size` entries (lock held). */
int qcow2_grow_l1_table(BlockDriverState *bs, uint64_t min_size);
int qcow2_write_l1_entry(BlockDriverState *bs, int index);

/* qcow2-cache.c */
Qcow2Cache *qcow2_cache_new(BlockDriverState *bs, int entries, Qcow2Cache *depends_on);
void qcow2_cache_free(Qcow2Cache *c);
int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, void **table);
int qcow2_cache_get_empty(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, void **table);
void qcow2_cache_put(Qcow2Cache *c, void **table);
void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table);
int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c);
/* Write one dirty table now (new tables that must precede their pointer). */
int qcow2_cache_write_table(BlockDriverState *bs, Qcow2Cache *c, void *table);
void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset);
void qcow2_cache_clear(Qcow2Cache *c);

/* qcow2-refcount.c */
int qcow2_refcount_init(BlockDriverState *bs, Error **errp);
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t *refcount);
int qcow2_update_cluster_refcount(BlockDriverState *bs, uint64_t cluster_index, int addend);
int qcow2_set_cluster_refcount(BlockDriverState *bs, uint64_t cluster_index, uint64_t value);
int qcow2_update_refcount_range(BlockDriverState *bs, uint64_t offset, uint64_t length,
                                int addend);
/* Allocate `size` bytes worth of contiguous clusters; returns host offset or -errno. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t size);
/* Byte-granular allocation for compressed clusters; returns host offset or -errno. */
int64_t qcow2_alloc_bytes(BlockDriverState *bs, int size);
/* Decrement at the next flush, once no table on disk points there. */
void qcow2_free_clusters_deferred(BlockDriverState *bs, uint64_t offset, uint64_t length);
/* Free the host clusters an L2 entry points at (deferred). */
void qcow2_free_l2_entry_deferred(BlockDriverState *bs, uint64_t l2_entry);
int qcow2_apply_pending_frees(BlockDriverState *bs);
/* Add `addend` to every cluster an L1 tree refers to and recompute COPIED flags. */
int qcow2_update_snapshot_refcount(BlockDriverState *bs, uint64_t *l1_table, uint32_t l1_size,
                                   int addend);
int qcow2_co_check(BlockDriverState *bs, BdrvCheckResult *res, int fix);
/* Refcount metadata bytes needed to cover `clusters` clusters (measure, create). */
int64_t qcow2_refcount_metadata_size(int64_t clusters, int cluster_size, int refcount_order);

/* qcow2-cluster.c */
/*
 * Find the host location of guest bytes [offset, offset+*bytes): shrinks
 * *bytes to the run with the same type and contiguous host offsets.
 */
int qcow2_get_host_offset(BlockDriverState *bs, uint64_t offset, uint64_t *bytes,
                          uint64_t *host_offset, Qcow2ClusterType *type, uint64_t *l2_entry);
int qcow2_co_preadv_part(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                         size_t qiov_offset, int flags);
int qcow2_co_pwritev_part(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                          size_t qiov_offset, int flags);
int qcow2_co_pwritev_compressed(BlockDriverState *bs, int64_t offset, BlkIOV *qiov);
int qcow2_cluster_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes, bool zero,
                          bool full_discard);
int qcow2_preallocate_metadata(BlockDriverState *bs, uint64_t from, uint64_t to);
/* Drop every guest cluster at or above `offset` (shrinking resize). */
int qcow2_inflight_wait(BlockDriverState *bs, uint64_t offset, uint64_t bytes);

/* qcow2-compress.c */
/* Deflate `src` (one cluster); returns compressed length, or -1 if it does not shrink. */
ssize_t qcow2_compress(void *dest, size_t dest_size, const void *src, size_t src_size);
int qcow2_decompress(void *dest, size_t dest_size, const void *src, size_t src_size);

/* qcow2-snapshot.c */
int qcow2_read_snapshots(BlockDriverState *bs, Error **errp);
void qcow2_free_snapshots(BlockDriverState *bs);
int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list);
int qcow2_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn, Error **errp);
int qcow2_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp);
int qcow2_snapshot_delete(BlockDriverState *bs, const char *id, const char *name,
                          Error **errp);
/* Validate an L1 table location read from disk. */
int qcow2_validate_table(BlockDriverState *bs, uint64_t offset, uint64_t entries,
                         size_t entry_len, uint64_t max_size_bytes, const char *what,
                         Error **errp);

/* qcow2-create.c */
int qcow2_co_create(const BlockCreateOptions *opts, Error **errp);
int qcow2_measure(const BlockCreateOptions *opts, BlockDriverState *in, uint64_t *required,
                  uint64_t *fully_allocated, Error **errp);
int qcow2_co_truncate(BlockDriverState *bs, int64_t offset, bool exact, PreallocMode prealloc,
                      Error **errp);

extern const char qcow2_create_opts_help[];

#endif
