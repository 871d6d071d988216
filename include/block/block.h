/*
 * The block layer: disk image formats (raw, qcow2) over protocols (file),
 * as a graph of nodes in QEMU's model (include/block/block.h): a format
 * node reads its metadata through its `file` child and falls through to
 * its `backing` child where the image has no data.
 *
 * Requests are asynchronous: each runs in a coroutine and completes on the
 * main loop (util/main-loop.h).  Code that is already in a coroutine calls
 * the bdrv_co_* functions; the bdrv_* and blk_* wrappers without "co" may
 * be called from anywhere (outside a coroutine they run the request and
 * wait for it on the main loop), and blk_aio_* return at once and call
 * back on completion.  Errors are negative errno values; functions that
 * have more to say take Error **errp.
 */
#ifndef MORPH_BLOCK_BLOCK_H
#define MORPH_BLOCK_BLOCK_H

#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>

#include <glib.h>

#include "block/blkiov.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;
typedef struct BlockBackend BlockBackend;

#define BDRV_SECTOR_BITS 9
#define BDRV_SECTOR_SIZE (1ULL << BDRV_SECTOR_BITS)
/* Largest request the layer accepts in one piece; callers split above it. */
#define BDRV_REQUEST_MAX_BYTES (1LL << 30)
/* Longest image (and backing) chain followed before calling it a loop. */
#define BDRV_MAX_CHAIN_DEPTH 64

/* Open flags (QEMU's BDRV_O_*). */
enum {
    BDRV_O_RDWR = 1 << 0,
    BDRV_O_NOCACHE = 1 << 1,       /* O_DIRECT (cache=none, directsync) */
    BDRV_O_NO_FLUSH = 1 << 2,      /* flushes are ignored (cache=unsafe) */
    BDRV_O_UNMAP = 1 << 3,         /* discard=unmap: discards reach the file */
    BDRV_O_NO_BACKING = 1 << 4,    /* do not open the backing chain */
    BDRV_O_SNAPSHOT = 1 << 5,      /* writes go to a temporary overlay */
    BDRV_O_CHECK = 1 << 6,         /* opened to be checked (tolerate more) */
    BDRV_O_AIO_THREADS = 1 << 7,   /* aio=threads: submit through worker threads */
    BDRV_O_AIO_NATIVE = 1 << 8,    /* aio=native (Linux AIO in QEMU; io_uring here) */
    BDRV_O_NO_IO = 1 << 9,         /* metadata only (info, rebase -u) */
    BDRV_O_PROTOCOL = 1 << 10,     /* open the file node itself, no format */
    BDRV_O_NO_PROBE_WARN = 1 << 11,
    BDRV_O_PROBED = 1 << 12,       /* internal: the format was guessed (raw restricts block 0) */
};

/* Request flags. */
enum {
    BDRV_REQ_MAY_UNMAP = 1 << 0,   /* write_zeroes may deallocate */
    BDRV_REQ_FUA = 1 << 1,
    BDRV_REQ_VMSTATE = 1 << 2,     /* qcow2: the VM state area past the disk end */
    BDRV_REQ_WRITE_COMPRESSED = 1 << 3, /* qcow2: store compressed (whole clusters) */
};

/* Block status (QEMU's BDRV_BLOCK_*). */
enum {
    BDRV_BLOCK_DATA = 0x01,         /* reads come from a data area */
    BDRV_BLOCK_ZERO = 0x02,         /* reads return zeroes */
    BDRV_BLOCK_OFFSET_VALID = 0x04, /* *map is the offset in *file */
    BDRV_BLOCK_ALLOCATED = 0x10,    /* this layer decides the content */
    BDRV_BLOCK_COMPRESSED = 0x40,
};

typedef enum PreallocMode {
    PREALLOC_MODE_OFF,
    PREALLOC_MODE_METADATA,
    PREALLOC_MODE_FALLOC,
    PREALLOC_MODE_FULL,
} PreallocMode;

bool prealloc_mode_parse(const char *s, PreallocMode *out);
const char *prealloc_mode_name(PreallocMode m);

/*
 * cache=writeback|none|unsafe|directsync|writethrough: sets the BDRV_O_*
 * flags and whether every write is followed by a flush (writethrough).
 */
bool bdrv_parse_cache_mode(const char *mode, int *flags, bool *writethrough);
/* aio=threads|native|io_uring */
bool bdrv_parse_aio(const char *mode, int *flags);

/* ---- opening ---------------------------------------------------------- */

/*
 * Open `filename` as format `format` (NULL: probe by content; raw with a
 * warning when nothing matches, as QEMU does).  `options` holds extra
 * key=value pairs with QEMU's dotted names ("file.aio", "backing.driver",
 * "cache.direct"...), may be NULL.  Returns a node with one reference.
 */
BlockDriverState *bdrv_open(const char *filename, const char *format, const Opts *options,
                            int flags, Error **errp);
/*
 * -blockdev: "driver=qcow2,node-name=n,file.driver=file,file.filename=x"
 * or "file=<node-name>".  The node is registered under its node-name.
 */
BlockDriverState *bdrv_open_blockdev(const char *optstr, Error **errp);
BlockDriverState *bdrv_find_node(const char *node_name);
void bdrv_ref(BlockDriverState *bs);
void bdrv_unref(BlockDriverState *bs);

const char *bdrv_get_format_name(const BlockDriverState *bs);
const char *bdrv_get_filename(const BlockDriverState *bs);
const char *bdrv_get_node_name(const BlockDriverState *bs);
bool bdrv_is_read_only(const BlockDriverState *bs);
BlockDriverState *bdrv_get_backing(const BlockDriverState *bs);
BlockDriverState *bdrv_get_file(const BlockDriverState *bs);
/* The backing file name written in the image and its format, or NULL. */
const char *bdrv_get_backing_filename(const BlockDriverState *bs);
const char *bdrv_get_backing_format(const BlockDriverState *bs);
/* Backing name resolved against the image's directory (g_free), or NULL. */
char *bdrv_get_full_backing_filename(const BlockDriverState *bs);
/* Resolve `name` relative to the directory of `base_filename` (g_free). */
char *bdrv_path_combine(const char *base_filename, const char *name);
/* Virtual size in bytes, or -errno. */
int64_t bdrv_getlength(BlockDriverState *bs);
/* Bytes the node's file uses on the host (st_blocks), or -errno. */
int64_t bdrv_get_allocated_file_size(BlockDriverState *bs);

/* ---- requests in coroutine context ------------------------------------ */

int bdrv_co_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                   int flags);
int bdrv_co_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                    int flags);
int bdrv_co_pread(BlockDriverState *bs, int64_t offset, int64_t bytes, void *buf, int flags);
int bdrv_co_pwrite(BlockDriverState *bs, int64_t offset, int64_t bytes, const void *buf,
                   int flags);
int bdrv_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags);
int bdrv_co_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes);
int bdrv_co_flush(BlockDriverState *bs);
/*
 * Status of [offset, offset+bytes) in this node only: returns BDRV_BLOCK_*
 * flags for the first *pnum bytes (<= bytes), with *map and *file when
 * OFFSET_VALID.  Unallocated ranges (ALLOCATED clear) come from the backing.
 */
int bdrv_co_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes, int64_t *pnum,
                         int64_t *map, BlockDriverState **file);

/* ---- the same from any context (waits on the main loop) --------------- */

int bdrv_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov, int flags);
int bdrv_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                 int flags);
int bdrv_pread(BlockDriverState *bs, int64_t offset, int64_t bytes, void *buf, int flags);
int bdrv_pwrite(BlockDriverState *bs, int64_t offset, int64_t bytes, const void *buf,
                int flags);
int bdrv_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags);
int bdrv_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes);
int bdrv_flush(BlockDriverState *bs);
int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes, int64_t *pnum,
                      int64_t *map, BlockDriverState **file);
/*
 * Status through the chain from `bs` down (not including `base`): as
 * bdrv_block_status, plus *depth = the chain index that holds the data
 * (0 = bs); unallocated everywhere gives 0 flags and *depth = chain length.
 */
int bdrv_block_status_above(BlockDriverState *bs, BlockDriverState *base, int64_t offset,
                            int64_t bytes, int64_t *pnum, int64_t *map,
                            BlockDriverState **file, int *depth);
/* True if [offset, pnum) is allocated in some node between bs and base. */
int bdrv_is_allocated_above(BlockDriverState *bs, BlockDriverState *base, int64_t offset,
                            int64_t bytes, int64_t *pnum);
int bdrv_truncate(BlockDriverState *bs, int64_t offset, bool exact, PreallocMode prealloc,
                  Error **errp);
/* Rewrite the backing file name/format in the image header (rebase, commit). */
int bdrv_change_backing_file(BlockDriverState *bs, const char *backing_file,
                             const char *backing_fmt, Error **errp);
/* Drop every cluster of the image so that it reads from its backing file (commit). */
int bdrv_make_empty(BlockDriverState *bs);
/* Wait until no request of `bs` is in flight (outside coroutines). */
void bdrv_drain(BlockDriverState *bs);
/* Replace the in-memory backing node (takes a reference to `backing`). */
void bdrv_set_backing_hd(BlockDriverState *bs, BlockDriverState *backing);

/* ---- information and checks ------------------------------------------- */

typedef struct BlockDriverInfo {
    int cluster_size;
    int64_t vm_state_offset;
    bool is_dirty;
} BlockDriverInfo;

/* One line of qemu-img info's "Format specific information". */
typedef enum BlockInfoType {
    BLOCK_INFO_STR,
    BLOCK_INFO_BOOL,
    BLOCK_INFO_INT,
} BlockInfoType;

typedef struct BlockInfoItem {
    const char *human;   /* "refcount bits" */
    const char *json;    /* "refcount-bits" */
    BlockInfoType type;
    const char *str;
    int64_t num;
} BlockInfoItem;

#define BLOCK_INFO_MAX_ITEMS 16

typedef struct BlockSpecificInfo {
    int count;
    BlockInfoItem items[BLOCK_INFO_MAX_ITEMS];
} BlockSpecificInfo;

int bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi);
/* Fills `out` (count 0 when the format has nothing to add). */
void bdrv_get_specific_info(BlockDriverState *bs, BlockSpecificInfo *out);

typedef enum BdrvCheckMode {
    BDRV_FIX_LEAKS = 1,
    BDRV_FIX_ERRORS = 2,
} BdrvCheckMode;

typedef struct BlockFragInfo {
    uint64_t allocated_clusters;
    uint64_t total_clusters;
    uint64_t fragmented_clusters;
    uint64_t compressed_clusters;
} BlockFragInfo;

typedef struct BdrvCheckResult {
    int corruptions;
    int leaks;
    int check_errors;
    int corruptions_fixed;
    int leaks_fixed;
    int64_t image_end_offset;
    BlockFragInfo bfi;
    /* Messages ("Leaked cluster 5 refcount=1 reference=0"), g_free'd by the caller. */
    GPtrArray *messages;
} BdrvCheckResult;

/* Returns 0, -ENOTSUP (format has no check), or -errno (check not completed). */
int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, int fix);
void bdrv_check_result_clear(BdrvCheckResult *res);

/* ---- internal snapshots (qcow2; savevm/loadvm build on these) ---------- */

typedef struct BlockSnapshotInfo {
    char id_str[128];
    char name[256];
    uint64_t vm_state_size;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t icount;       /* -1 (all ones) when unknown */
    uint64_t disk_size;
} BlockSnapshotInfo;

/* Returns the number of snapshots with *list (g_free), or -errno. */
int bdrv_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list);
/* sn->name and VM fields set by the caller; id_str filled in if empty. */
int bdrv_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn, Error **errp);
/* Revert the disk to a snapshot found by id or name. */
int bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp);
int bdrv_snapshot_delete(BlockDriverState *bs, const char *id, const char *name,
                         Error **errp);
/* Find a snapshot by id or name; fills *out. */
bool bdrv_snapshot_find(BlockDriverState *bs, const char *id_or_name, BlockSnapshotInfo *out);
/* The VM state area of the active layer (written before snapshot_create). */
int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, int64_t pos, int64_t size);
int bdrv_load_vmstate(BlockDriverState *bs, void *buf, int64_t pos, int64_t size);

/* ---- image creation ----------------------------------------------------- */

typedef struct BlockCreateOptions {
    const char *filename;
    int64_t size;                 /* -1: take it from the backing file */
    const char *backing_file;
    const char *backing_fmt;
    int cluster_size;             /* 0: format default */
    const char *compat;           /* "0.10"/"v2" or "1.1"/"v3" */
    int refcount_bits;            /* 0: 16 */
    const char *compression_type; /* zlib (default) */
    PreallocMode prealloc;
    bool lazy_refcounts;
    bool extended_l2;
} BlockCreateOptions;

/* Parse qemu-img's -o list into `out` (strings point into opts). */
bool bdrv_create_opts_parse(const char *format, const Opts *opts, BlockCreateOptions *out,
                            Error **errp);
int bdrv_create(const char *format, const BlockCreateOptions *opts, Error **errp);
/* qemu-img's help text for -o ? (NULL for an unknown format). */
const char *bdrv_create_opts_help(const char *format);
/* qemu-img measure: bytes a new image would need. */
int bdrv_measure(const char *format, const BlockCreateOptions *opts, BlockDriverState *in,
                 uint64_t *required, uint64_t *fully_allocated, Error **errp);
bool bdrv_format_is_known(const char *format);
/* Magic/format probing on the first bytes of a file; "raw" when nothing matches. */
const char *bdrv_probe_format(const uint8_t *buf, int len, const char *filename);

/* ---- BlockBackend: a device's view of a node (-drive) ------------------ */

typedef void BlockCompletionFunc(void *opaque, int ret);

BlockBackend *blk_new(BlockDriverState *root, bool writethrough);
/*
 * -drive file=,format=,if=,id=,cache=,aio=,readonly=on,discard=unmap,
 * snapshot=on: opens the chain and returns a backend.  `if` and `id` are
 * recorded for the machine (blk_get_if, blk_get_id).
 */
BlockBackend *blk_new_open_drive(const char *optstr, Error **errp);
/* Open by name with flags (morph-img). */
BlockBackend *blk_new_open(const char *filename, const char *format, const Opts *options,
                           int flags, Error **errp);
void blk_unref(BlockBackend *blk);
BlockDriverState *blk_bs(BlockBackend *blk);
const char *blk_get_id(BlockBackend *blk);
const char *blk_get_if(BlockBackend *blk);
bool blk_is_writethrough(BlockBackend *blk);
int64_t blk_getlength(BlockBackend *blk);

int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf);
int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes, const void *buf, int flags);
int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes, int flags);
int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes);
int blk_flush(BlockBackend *blk);

/* Asynchronous: return at once; cb(opaque, ret) runs later on the main loop. */
void blk_aio_preadv(BlockBackend *blk, int64_t offset, BlkIOV *qiov, int flags,
                    BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwritev(BlockBackend *blk, int64_t offset, BlkIOV *qiov, int flags,
                     BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes, int flags,
                           BlockCompletionFunc *cb, void *opaque);
/* Requests of this backend not yet completed. */
int blk_in_flight(BlockBackend *blk);
/* Run the main loop until every request of `blk` has completed. */
void blk_drain(BlockBackend *blk);

/* ---- the event loop the layer waits on -------------------------------- */

/* Run one blocking iteration of the loop the block layer submits to. */
void block_poll(void);
/* True if I/O goes through util/main-loop (false: synchronous fallback). */
bool block_uses_main_loop(void);
/* Aligned allocation for I/O buffers (O_DIRECT-safe); free with g_free-compatible blk_free. */
void *blk_blockalign(size_t size);
void blk_free(void *p);

#endif
