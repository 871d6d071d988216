/*
 * What a block driver implements and what a node holds (QEMU's
 * include/block/block_int-common.h, reduced).  Only block/ includes this.
 * Drivers run their co_* callbacks in coroutines; the generic layer
 * (block/block.c) checks bounds and read-only before calling them.
 */
#ifndef MORPH_BLOCK_BLOCK_INT_H
#define MORPH_BLOCK_BLOCK_INT_H

#include "block/block.h"
#include "util/coroutine.h"

struct BlockDriver {
    const char *format_name;
    size_t instance_size;
    bool is_protocol;          /* opens a host file itself (file) */
    bool supports_backing;
    /* Score 0..100 for how sure the driver is the buffer is its format. */
    int (*probe)(const uint8_t *buf, int len, const char *filename);
    int (*open)(BlockDriverState *bs, const Opts *options, int flags, Error **errp);
    void (*close)(BlockDriverState *bs);
    int (*co_preadv)(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                     int flags);
    int (*co_pwritev)(BlockDriverState *bs, int64_t offset, int64_t bytes, BlkIOV *qiov,
                      int flags);
    int (*co_pwrite_zeroes)(BlockDriverState *bs, int64_t offset, int64_t bytes, int flags);
    int (*co_pdiscard)(BlockDriverState *bs, int64_t offset, int64_t bytes);
    /* Make the node's own state stable (metadata caches); the layer flushes children. */
    int (*co_flush)(BlockDriverState *bs);
    int (*co_block_status)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                           int64_t *pnum, int64_t *map, BlockDriverState **file);
    int (*co_truncate)(BlockDriverState *bs, int64_t offset, bool exact, PreallocMode prealloc,
                       Error **errp);
    int64_t (*getlength)(BlockDriverState *bs);
    int64_t (*get_allocated_file_size)(BlockDriverState *bs);
    int (*get_info)(BlockDriverState *bs, BlockDriverInfo *bdi);
    void (*get_specific_info)(BlockDriverState *bs, BlockSpecificInfo *out);
    int (*co_check)(BlockDriverState *bs, BdrvCheckResult *res, int fix);
    int (*change_backing_file)(BlockDriverState *bs, const char *file, const char *fmt,
                               Error **errp);
    int (*make_empty)(BlockDriverState *bs);
    int (*create)(const BlockCreateOptions *opts, Error **errp);
    int (*measure)(const BlockCreateOptions *opts, BlockDriverState *in, uint64_t *required,
                   uint64_t *fully_allocated, Error **errp);
    const char *create_opts_help;
    int (*snapshot_list)(BlockDriverState *bs, BlockSnapshotInfo **list);
    int (*snapshot_create)(BlockDriverState *bs, BlockSnapshotInfo *sn, Error **errp);
    int (*snapshot_goto)(BlockDriverState *bs, const char *id_or_name, Error **errp);
    int (*snapshot_delete)(BlockDriverState *bs, const char *id, const char *name,
                           Error **errp);
};

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;
    int refcnt;
    int open_flags;
    bool read_only;
    char *filename;
    char *node_name;
    BlockDriverState *file;        /* protocol child (format nodes) */
    BlockDriverState *backing;     /* backing node, or NULL */
    char backing_file[1024];       /* as written in the image */
    char backing_format[16];
    int64_t total_bytes;           /* virtual size cached by the driver */
    /* Requests must be aligned to this (O_DIRECT); the file driver sets it. */
    uint32_t request_alignment;
    int in_flight;
};

extern const BlockDriver bdrv_file;
extern const BlockDriver bdrv_raw;
extern const BlockDriver bdrv_qcow2;

const BlockDriver *bdrv_find_format(const char *name);
/* Open the backing chain named in bs->backing_file (drivers call this at open). */
int bdrv_open_backing(BlockDriverState *bs, const Opts *options, Error **errp);
/* The open node's options with the prefix `prefix.` stripped (g_free'd via opts_free). */
Opts *bdrv_opts_sub(const Opts *options, const char *prefix);
/* Create a file node (for format drivers' create()). */
BlockDriverState *bdrv_file_open_for_create(const char *filename, Error **errp);

/* Run `fn(opaque)` in a coroutine and wait for it (any context). */
void bdrv_run_co(CoroutineEntry *fn, void *opaque, bool *done);

#endif
