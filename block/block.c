/*
 * Nodes of the block graph: the driver table, format probing, opening a
 * format over its file and its backing chain, -blockdev option strings,
 * the temporary overlay of -snapshot, and the dispatch of metadata
 * operations (info, check, snapshots, create) to the drivers.  Behaviour
 * follows QEMU's block.c: a missing format is probed, and raw is chosen
 * with a warning when no format recognises the file; backing file names
 * are relative to the image that names them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block_int.h"

enum {
    BDRV_PROBE_BYTES = 2048,
};

static const BlockDriver *const bdrv_drivers[] = {
    &bdrv_qcow2,
    &bdrv_raw,
    &bdrv_file,
};

static GHashTable *bdrv_node_table;
static unsigned bdrv_node_counter;
/* Filenames of the chain being opened, innermost last: loop detection. */
static GPtrArray *bdrv_opening_chain;

static BlockDriverState *bdrv_temp_snapshot_overlay(BlockDriverState *bs, Error **errp);

const BlockDriver *bdrv_find_format(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bdrv_drivers); i++) {
        if (!strcmp(bdrv_drivers[i]->format_name, name)) {
            return bdrv_drivers[i];
        }
    }
    return NULL;
}

bool bdrv_format_is_known(const char *format)
{
    return bdrv_find_format(format) != NULL;
}

const char *bdrv_probe_format(const uint8_t *buf, int len, const char *filename)
{
    const BlockDriver *best = &bdrv_raw;
    int best_score = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(bdrv_drivers); i++) {
        const BlockDriver *d = bdrv_drivers[i];
        if (d->probe) {
            int score = d->probe(buf, len, filename);
            if (score > best_score) {
                best_score = score;
                best = d;
            }
        }
    }
    return best->format_name;
}

bool prealloc_mode_parse(const char *s, PreallocMode *out)
{
    static const char *const names[] = { "off", "metadata", "falloc", "full" };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!strcmp(s, names[i])) {
            *out = (PreallocMode)i;
            return true;
        }
    }
    return false;
}

const char *prealloc_mode_name(PreallocMode m)
{
    static const char *const names[] = { "off", "metadata", "falloc", "full" };

    return names[m];
}

bool bdrv_parse_cache_mode(const char *mode, int *flags, bool *writethrough)
{
    *flags &= ~(BDRV_O_NOCACHE | BDRV_O_NO_FLUSH);
    if (!strcmp(mode, "off") || !strcmp(mode, "none")) {
        *flags |= BDRV_O_NOCACHE;
        *writethrough = false;
    } else if (!strcmp(mode, "directsync")) {
        *flags |= BDRV_O_NOCACHE;
        *writethrough = true;
    } else if (!strcmp(mode, "writeback")) {
        *writethrough = false;
    } else if (!strcmp(mode, "unsafe")) {
        *flags |= BDRV_O_NO_FLUSH;
        *writethrough = false;
    } else if (!strcmp(mode, "writethrough")) {
        *writethrough = true;
    } else {
        return false;
    }
    return true;
}

bool bdrv_parse_aio(const char *mode, int *flags)
{
    *flags &= ~(BDRV_O_AIO_THREADS | BDRV_O_AIO_NATIVE);
    if (!strcmp(mode, "threads")) {
        *flags |= BDRV_O_AIO_THREADS;
    } else if (!strcmp(mode, "native")) {
        *flags |= BDRV_O_AIO_NATIVE;
    } else if (strcmp(mode, "io_uring") != 0) {
        return false;
    }
    return true;
}

char *bdrv_path_combine(const char *base_filename, const char *name)
{
    const char *slash;

    if (name[0] == '/' || strstr(name, "://")) {
        return g_strdup(name);
    }
    slash = strrchr(base_filename, '/');
    if (!slash) {
        return g_strdup(name);
    }
    return g_strdup_printf("%.*s%s", (int)(slash - base_filename + 1), base_filename, name);
}

Opts *bdrv_opts_sub(const Opts *options, const char *prefix)
{
    Opts *o = g_new0(Opts, 1);
    size_t plen = strlen(prefix);

    if (!options) {
        return o;
    }
    o->items = g_new0(KeyValPair, options->count + 1);
    for (unsigned i = 0; i < options->count; i++) {
        const char *k = options->items[i].key;
        if (!strncmp(k, prefix, plen) && k[plen] == '.') {
            o->items[o->count].key = g_strdup(k + plen + 1);
            o->items[o->count].value = g_strdup(options->items[i].value);
            o->count++;
        }
    }
    return o;
}

static void bdrv_register_node(BlockDriverState *bs, const char *name)
{
    if (!bdrv_node_table) {
        bdrv_node_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (name) {
        bs->node_name = g_strdup(name);
    } else {
        bs->node_name = g_strdup_printf("#block%03u", bdrv_node_counter++);
    }
    g_hash_table_insert(bdrv_node_table, bs->node_name, bs);
}

BlockDriverState *bdrv_find_node(const char *node_name)
{
    return bdrv_node_table ? g_hash_table_lookup(bdrv_node_table, node_name) : NULL;
}

static BlockDriverState *bdrv_new_node(const BlockDriver *drv, const char *filename,
                                       const char *node_name, int flags)
{
    BlockDriverState *bs = g_new0(BlockDriverState, 1);

    bs->drv = drv;
    bs->refcnt = 1;
    bs->filename = g_strdup(filename ? filename : "");
    bs->open_flags = flags;
    bs->read_only = !(flags & BDRV_O_RDWR);
    bs->request_alignment = 1;
    bs->opaque = drv->instance_size ? g_malloc0(drv->instance_size) : NULL;
    bdrv_register_node(bs, node_name);
    return bs;
}

static void bdrv_free_node(BlockDriverState *bs)
{
    if (bdrv_node_table) {
        g_hash_table_remove(bdrv_node_table, bs->node_name);
    }
    g_free(bs->opaque);
    g_free(bs->filename);
    g_free(bs->node_name);
    g_free(bs);
}

void bdrv_ref(BlockDriverState *bs)
{
    bs->refcnt++;
}

void bdrv_unref(BlockDriverState *bs)
{
    if (!bs || --bs->refcnt > 0) {
        return;
    }
    if (!bs->read_only && bs->drv) {
        bdrv_flush(bs);
    }
    if (bs->drv && bs->drv->close) {
        bs->drv->close(bs);
    }
    bdrv_unref(bs->backing);
    bdrv_unref(bs->file);
    bdrv_free_node(bs);
}

static BlockDriverState *bdrv_open_protocol(const char *filename, const Opts *options,
                                            const char *node_name, int flags, Error **errp)
{
    BlockDriverState *bs;
    int ret;

    if (!filename || !*filename) {
        error_setg(errp, "The 'file' block driver requires a file name");
        return NULL;
    }
    bs = bdrv_new_node(&bdrv_file, filename, node_name, flags);
    ret = bdrv_file.open(bs, options, flags, errp);
    if (ret < 0) {
        bs->drv = NULL;
        bdrv_free_node(bs);
        return NULL;
    }
    return bs;
}

BlockDriverState *bdrv_file_open_for_create(const char *filename, Error **errp)
{
    int fd = open(filename, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", filename);
        return NULL;
    }
    close(fd);
    return bdrv_open_protocol(filename, NULL, NULL, BDRV_O_RDWR, errp);
}

/* Open the format node `drv` over an open file node (takes the file's reference). */
static BlockDriverState *bdrv_open_format(const BlockDriver *drv, BlockDriverState *file,
                                          const char *filename, const Opts *options,
                                          const char *node_name, int flags, Error **errp)
{
    BlockDriverState *bs = bdrv_new_node(drv, filename, node_name, flags);
    int ret;

    bs->file = file;
    ret = drv->open(bs, options, flags, errp);
    if (ret < 0) {
        bdrv_unref(bs->backing);
        bdrv_unref(bs->file);
        bs->drv = NULL;
        bdrv_free_node(bs);
        return NULL;
    }
    return bs;
}

static const BlockDriver *bdrv_probe_file(BlockDriverState *file, const char *filename,
                                          int flags, Error **errp)
{
    uint8_t buf[BDRV_PROBE_BYTES];
    int64_t len = bdrv_getlength(file);
    int n = (int)MIN(len < 0 ? 0 : len, (int64_t)sizeof(buf));
    const char *fmt;
    int ret;

    memset(buf, 0, sizeof(buf));
    ret = bdrv_pread(file, 0, (n + 511) & ~511, buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read image for determining its format");
        return NULL;
    }
    fmt = bdrv_probe_format(buf, n, filename);
    if (!strcmp(fmt, "raw") && !(flags & BDRV_O_NO_PROBE_WARN)) {
        warn_report("Image format was not specified for '%s' and probing guessed raw.\n"
                    "         Automatically detecting the format is dangerous for raw "
                    "images, write operations on block 0 will be restricted.\n"
                    "         Specify the 'raw' format explicitly to remove the "
                    "restrictions.", filename);
    }
    return bdrv_find_format(fmt);
}

static bool bdrv_chain_contains(const char *path)
{
    char *real = realpath(path, NULL);
    bool found = false;

    if (!real || !bdrv_opening_chain) {
        free(real);
        return false;
    }
    for (unsigned i = 0; i < bdrv_opening_chain->len; i++) {
        if (!strcmp(g_ptr_array_index(bdrv_opening_chain, i), real)) {
            found = true;
        }
    }
    free(real);
    return found;
}

static void bdrv_chain_push(const char *path)
{
    char *real = realpath(path, NULL);

    if (!bdrv_opening_chain) {
        bdrv_opening_chain = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(bdrv_opening_chain, g_strdup(real ? real : path));
    free(real);
}

static void bdrv_chain_pop(void)
{
    g_ptr_array_remove_index(bdrv_opening_chain, bdrv_opening_chain->len - 1);
}

BlockDriverState *bdrv_open(const char *filename, const char *format, const Opts *options,
                            int flags, Error **errp)
{
    const BlockDriver *drv = NULL;
    BlockDriverState *file, *bs;
    Opts *file_opts;
    const char *node_name = opts_get(options, "node-name");

    if (format) {
        drv = bdrv_find_format(format);
        if (!drv) {
            error_setg(errp, "Unknown driver '%s'", format);
            return NULL;
        }
    }
    if ((flags & BDRV_O_PROTOCOL) || (drv && drv->is_protocol)) {
        return bdrv_open_protocol(filename, options, node_name, flags, errp);
    }
    if (bdrv_opening_chain && bdrv_opening_chain->len >= BDRV_MAX_CHAIN_DEPTH) {
        error_setg(errp, "Backing chain of '%s' is deeper than %d images", filename,
                   BDRV_MAX_CHAIN_DEPTH);
        return NULL;
    }
    file_opts = bdrv_opts_sub(options, "file");
    if (!opts_get(file_opts, "aio") && opts_get(options, "aio")) {
        /* -drive aio= applies to the protocol node. */
        opts_free(file_opts);
        file_opts = bdrv_opts_sub(options, "file");
        file_opts->items = g_renew(KeyValPair, file_opts->items, file_opts->count + 1);
        file_opts->items[file_opts->count].key = g_strdup("aio");
        file_opts->items[file_opts->count].value = g_strdup(opts_get(options, "aio"));
        file_opts->count++;
    }
    file = bdrv_open_protocol(filename, file_opts, opts_get(file_opts, "node-name"), flags,
                              errp);
    opts_free(file_opts);
    if (!file) {
        return NULL;
    }
    if (!drv) {
        drv = bdrv_probe_file(file, filename, flags, errp);
        if (!drv) {
            bdrv_unref(file);
            return NULL;
        }
        flags |= BDRV_O_PROBED;
    }
    bdrv_chain_push(filename);
    bs = bdrv_open_format(drv, file, filename, options, node_name, flags, errp);
    bdrv_chain_pop();
    if (bs && (flags & BDRV_O_SNAPSHOT)) {
        BlockDriverState *overlay;

        overlay = bdrv_temp_snapshot_overlay(bs, errp);
        bdrv_unref(bs);
        return overlay;
    }
    return bs;
}

int bdrv_open_backing(BlockDriverState *bs, const Opts *options, Error **errp)
{
    Opts *bopts;
    char *path;
    int bflags;
    const char *fmt;
    Error *local_err = NULL;

    if (!bs->backing_file[0] || (bs->open_flags & BDRV_O_NO_BACKING)) {
        return 0;
    }
    path = bdrv_path_combine(bs->filename, bs->backing_file);
    if (bdrv_chain_contains(path)) {
        error_setg(errp, "Could not open backing file: backing chain loop: '%s' is already "
                   "in the chain of '%s'", path, bs->filename);
        g_free(path);
        return -ELOOP;
    }
    bopts = bdrv_opts_sub(options, "backing");
    /* Backing files are opened read-only, with the same cache policy. */
    bflags = (bs->open_flags & ~(BDRV_O_RDWR | BDRV_O_SNAPSHOT | BDRV_O_PROBED)) |
             BDRV_O_NO_PROBE_WARN;
    fmt = opts_get(bopts, "driver");
    if (!fmt && bs->backing_format[0]) {
        fmt = bs->backing_format;
    }
    bs->backing = bdrv_open(path, fmt, bopts, bflags, &local_err);
    opts_free(bopts);
    if (!bs->backing) {
        error_setg(errp, "Could not open backing file: %s", error_get_pretty(local_err));
        error_free(local_err);
        g_free(path);
        return -EINVAL;
    }
    g_free(path);
    return 0;
}

void bdrv_set_backing_hd(BlockDriverState *bs, BlockDriverState *backing)
{
    if (backing) {
        bdrv_ref(backing);
    }
    bdrv_unref(bs->backing);
    bs->backing = backing;
}

/* ---- -blockdev ---------------------------------------------------------- */

static int bdrv_blockdev_flags(const Opts *o, int flags, Error **errp)
{
    bool ro = false, direct = false, no_flush = false;
    const char *discard = opts_get(o, "discard");
    const char *aio = opts_get(o, "aio");

    if (!opts_get_bool(o, "read-only", false, &ro, errp) ||
        !opts_get_bool(o, "cache.direct", false, &direct, errp) ||
        !opts_get_bool(o, "cache.no-flush", false, &no_flush, errp)) {
        return -1;
    }
    flags = ro ? (flags & ~BDRV_O_RDWR) : flags;
    flags |= direct ? BDRV_O_NOCACHE : 0;
    flags |= no_flush ? BDRV_O_NO_FLUSH : 0;
    if (discard) {
        if (!strcmp(discard, "unmap") || !strcmp(discard, "on")) {
            flags |= BDRV_O_UNMAP;
        } else if (strcmp(discard, "ignore") && strcmp(discard, "off")) {
            error_setg(errp, "Invalid discard option");
            return -1;
        }
    }
    if (aio && !bdrv_parse_aio(aio, &flags)) {
        error_setg(errp, "Parameter 'aio' does not accept value '%s'", aio);
        return -1;
    }
    return flags;
}

static BlockDriverState *bdrv_blockdev_child(const Opts *o, const char *key, int flags,
                                             Error **errp);

static BlockDriverState *bdrv_open_blockdev_opts(const Opts *o, int flags, Error **errp)
{
    const char *driver = opts_get(o, "driver");
    const char *node_name = opts_get(o, "node-name");
    const BlockDriver *drv;
    BlockDriverState *file, *bs;
    const char *backing;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    drv = bdrv_find_format(driver);
    if (!drv) {
        error_setg(errp, "Parameter 'driver' does not accept value '%s'", driver);
        return NULL;
    }
    if (node_name && bdrv_find_node(node_name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", node_name);
        return NULL;
    }
    flags = bdrv_blockdev_flags(o, flags, errp);
    if (flags < 0) {
        return NULL;
    }
    if (drv->is_protocol) {
        const char *filename = opts_get(o, "filename");
        if (!filename) {
            error_setg(errp, "Parameter 'filename' is missing");
            return NULL;
        }
        return bdrv_open_protocol(filename, o, node_name, flags, errp);
    }
    file = bdrv_blockdev_child(o, "file", flags, errp);
    if (!file) {
        return NULL;
    }
    backing = opts_get(o, "backing");
    if (backing) {
        flags |= BDRV_O_NO_BACKING;
    }
    bdrv_chain_push(file->filename);
    bs = bdrv_open_format(drv, file, file->filename, o, node_name, flags, errp);
    bdrv_chain_pop();
    if (bs && backing && *backing && strcmp(backing, "null") != 0) {
        BlockDriverState *b = bdrv_find_node(backing);
        if (!b) {
            error_setg(errp, "Cannot find device='' nor node-name='%s'", backing);
            bdrv_unref(bs);
            return NULL;
        }
        bdrv_set_backing_hd(bs, b);
    }
    return bs;
}

/* A child given as a node-name reference ("file=n0") or inline ("file.driver=..."). */
static BlockDriverState *bdrv_blockdev_child(const Opts *o, const char *key, int flags,
                                             Error **errp)
{
    const char *ref = opts_get(o, key);
    Opts *sub;
    BlockDriverState *bs;

    if (ref) {
        bs = bdrv_find_node(ref);
        if (!bs) {
            error_setg(errp, "Cannot find device='' nor node-name='%s'", ref);
            return NULL;
        }
        bdrv_ref(bs);
        return bs;
    }
    sub = bdrv_opts_sub(o, key);
    if (sub->count == 0) {
        error_setg(errp, "A block device must be specified for \"%s\"", key);
        opts_free(sub);
        return NULL;
    }
    bs = bdrv_open_blockdev_opts(sub, flags, errp);
    opts_free(sub);
    return bs;
}

BlockDriverState *bdrv_open_blockdev(const char *optstr, Error **errp)
{
    Opts *o = opts_parse(optstr, NULL, errp);
    BlockDriverState *bs;

    if (!o) {
        return NULL;
    }
    bs = bdrv_open_blockdev_opts(o, BDRV_O_RDWR, errp);
    opts_free(o);
    return bs;
}

/* ---- -snapshot: a temporary qcow2 overlay ------------------------------ */

static BlockDriverState *bdrv_temp_snapshot_overlay(BlockDriverState *bs, Error **errp)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path = g_strdup_printf("%s/vl.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/var/tmp");
    BlockCreateOptions co = { 0 };
    BlockDriverState *overlay;
    int fd, ret;

    fd = mkstemp(path);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not get temporary filename");
        g_free(path);
        return NULL;
    }
    close(fd);
    co.filename = path;
    co.size = bdrv_getlength(bs);
    co.compat = "1.1";
    ret = bdrv_create("qcow2", &co, errp);
    if (ret < 0) {
        unlink(path);
        g_free(path);
        return NULL;
    }
    overlay = bdrv_open(path, "qcow2", NULL,
                        BDRV_O_RDWR | BDRV_O_NO_BACKING |
                        (bs->open_flags & (BDRV_O_NOCACHE | BDRV_O_NO_FLUSH | BDRV_O_UNMAP |
                                           BDRV_O_AIO_THREADS | BDRV_O_AIO_NATIVE)),
                        errp);
    /* The overlay lives as long as the open file: nobody else should find it. */
    unlink(path);
    g_free(path);
    if (!overlay) {
        return NULL;
    }
    bdrv_set_backing_hd(overlay, bs);
    return overlay;
}

/* ---- properties --------------------------------------------------------- */

const char *bdrv_get_format_name(const BlockDriverState *bs)
{
    return bs->drv ? bs->drv->format_name : NULL;
}

const char *bdrv_get_filename(const BlockDriverState *bs)
{
    return bs->filename;
}

const char *bdrv_get_node_name(const BlockDriverState *bs)
{
    return bs->node_name;
}

bool bdrv_is_read_only(const BlockDriverState *bs)
{
    return bs->read_only;
}

BlockDriverState *bdrv_get_backing(const BlockDriverState *bs)
{
    return bs->backing;
}

BlockDriverState *bdrv_get_file(const BlockDriverState *bs)
{
    return bs->file;
}

const char *bdrv_get_backing_filename(const BlockDriverState *bs)
{
    return bs->backing_file[0] ? bs->backing_file : NULL;
}

const char *bdrv_get_backing_format(const BlockDriverState *bs)
{
    return bs->backing_format[0] ? bs->backing_format : NULL;
}

char *bdrv_get_full_backing_filename(const BlockDriverState *bs)
{
    if (!bs->backing_file[0]) {
        return NULL;
    }
    return bdrv_path_combine(bs->filename, bs->backing_file);
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (bs->drv->getlength) {
        return bs->drv->getlength(bs);
    }
    return bs->total_bytes;
}

int64_t bdrv_get_allocated_file_size(BlockDriverState *bs)
{
    int64_t total = 0;

    if (bs->drv && bs->drv->get_allocated_file_size) {
        return bs->drv->get_allocated_file_size(bs);
    }
    if (bs->file) {
        total = bdrv_get_allocated_file_size(bs->file);
    }
    return total;
}

int bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    memset(bdi, 0, sizeof(*bdi));
    if (!bs->drv || !bs->drv->get_info) {
        return -ENOTSUP;
    }
    return bs->drv->get_info(bs, bdi);
}

void bdrv_get_specific_info(BlockDriverState *bs, BlockSpecificInfo *out)
{
    memset(out, 0, sizeof(*out));
    if (bs->drv && bs->drv->get_specific_info) {
        bs->drv->get_specific_info(bs, out);
    }
}

int bdrv_change_backing_file(BlockDriverState *bs, const char *backing_file,
                             const char *backing_fmt, Error **errp)
{
    int ret;

    if (!bs->drv->change_backing_file) {
        error_setg(errp, "Format '%s' does not support backing files", bs->drv->format_name);
        return -ENOTSUP;
    }
    if (bs->read_only) {
        error_setg(errp, "Image is read-only");
        return -EACCES;
    }
    ret = bs->drv->change_backing_file(bs, backing_file, backing_fmt, errp);
    if (ret == 0) {
        g_strlcpy(bs->backing_file, backing_file ? backing_file : "",
                  sizeof(bs->backing_file));
        g_strlcpy(bs->backing_format, backing_fmt ? backing_fmt : "",
                  sizeof(bs->backing_format));
    }
    return ret;
}

/* ---- snapshots ---------------------------------------------------------- */

int bdrv_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    *list = NULL;
    if (!bs->drv->snapshot_list) {
        return 0;
    }
    return bs->drv->snapshot_list(bs, list);
}

void bdrv_drain(BlockDriverState *bs)
{
    while (!coroutine_in_coroutine() && bs->in_flight > 0) {
        block_poll();
    }
}

typedef enum SnapOp {
    SNAP_CREATE,
    SNAP_GOTO,
    SNAP_DELETE,
    SNAP_MAKE_EMPTY,
} SnapOp;

typedef struct SnapCo {
    SnapOp op;
    BlockDriverState *bs;
    BlockSnapshotInfo *sn;
    const char *a;
    const char *b;
    Error **errp;
    int ret;
    bool done;
} SnapCo;

static void bdrv_snapshot_entry(void *opaque)
{
    SnapCo *c = opaque;
    const BlockDriver *drv = c->bs->drv;

    switch (c->op) {
    case SNAP_CREATE:
        c->ret = drv->snapshot_create(c->bs, c->sn, c->errp);
        break;
    case SNAP_GOTO:
        c->ret = drv->snapshot_goto(c->bs, c->a, c->errp);
        break;
    case SNAP_DELETE:
        c->ret = drv->snapshot_delete(c->bs, c->a, c->b, c->errp);
        break;
    case SNAP_MAKE_EMPTY:
        c->ret = drv->make_empty(c->bs);
        break;
    }
    c->done = true;
}

/* Snapshot operations change whole tables: no request may be running. */
static int bdrv_snapshot_run(SnapCo *c)
{
    const BlockDriver *drv = c->bs->drv;
    bool supported = c->op == SNAP_CREATE ? drv->snapshot_create != NULL :
                     c->op == SNAP_GOTO ? drv->snapshot_goto != NULL :
                     c->op == SNAP_DELETE ? drv->snapshot_delete != NULL :
                     drv->make_empty != NULL;

    if (!supported) {
        error_setg(c->errp, "Block format '%s' used by device '%s' does not support internal "
                   "snapshots", drv->format_name, c->bs->node_name);
        return -ENOTSUP;
    }
    if (c->bs->read_only) {
        error_setg(c->errp, "Device '%s' is read only", c->bs->node_name);
        return -EACCES;
    }
    bdrv_drain(c->bs);
    bdrv_run_co(bdrv_snapshot_entry, c, &c->done);
    return c->ret;
}

int bdrv_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn, Error **errp)
{
    SnapCo c = { .op = SNAP_CREATE, .bs = bs, .sn = sn, .errp = errp };

    return bdrv_snapshot_run(&c);
}

int bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    SnapCo c = { .op = SNAP_GOTO, .bs = bs, .a = id_or_name, .errp = errp };

    return bdrv_snapshot_run(&c);
}

int bdrv_snapshot_delete(BlockDriverState *bs, const char *id, const char *name, Error **errp)
{
    SnapCo c = { .op = SNAP_DELETE, .bs = bs, .a = id, .b = name, .errp = errp };

    return bdrv_snapshot_run(&c);
}

int bdrv_make_empty(BlockDriverState *bs)
{
    SnapCo c = { .op = SNAP_MAKE_EMPTY, .bs = bs, .errp = NULL };

    return bdrv_snapshot_run(&c);
}

int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, int64_t pos, int64_t size)
{
    if (strcmp(bs->drv->format_name, "qcow2")) {
        return -ENOTSUP;
    }
    return bdrv_pwrite(bs, pos, size, buf, BDRV_REQ_VMSTATE);
}

int bdrv_load_vmstate(BlockDriverState *bs, void *buf, int64_t pos, int64_t size)
{
    if (strcmp(bs->drv->format_name, "qcow2")) {
        return -ENOTSUP;
    }
    return bdrv_pread(bs, pos, size, buf, BDRV_REQ_VMSTATE);
}

bool bdrv_snapshot_find(BlockDriverState *bs, const char *id_or_name, BlockSnapshotInfo *out)
{
    BlockSnapshotInfo *list;
    int n = bdrv_snapshot_list(bs, &list);
    bool found = false;

    /* An id match wins over a name match, as in QEMU. */
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (int i = 0; i < n; i++) {
            const char *key = pass == 0 ? list[i].id_str : list[i].name;
            if (!strcmp(key, id_or_name)) {
                *out = list[i];
                found = true;
                break;
            }
        }
    }
    g_free(list);
    return found;
}

/* ---- check ---------------------------------------------------------------- */

typedef struct CheckCo {
    BlockDriverState *bs;
    BdrvCheckResult *res;
    int fix;
    int ret;
    bool done;
} CheckCo;

static void bdrv_check_entry(void *opaque)
{
    CheckCo *cc = opaque;

    cc->ret = cc->bs->drv->co_check(cc->bs, cc->res, cc->fix);
    cc->done = true;
}

int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, int fix)
{
    CheckCo c = { bs, res, fix, 0, false };

    memset(res, 0, sizeof(*res));
    res->messages = g_ptr_array_new_with_free_func(g_free);
    if (!bs->drv->co_check) {
        return -ENOTSUP;
    }
    bdrv_run_co(bdrv_check_entry, &c, &c.done);
    return c.ret;
}

void bdrv_check_result_clear(BdrvCheckResult *res)
{
    if (res->messages) {
        g_ptr_array_free(res->messages, true);
        res->messages = NULL;
    }
}

/* ---- create -------------------------------------------------------------- */

bool bdrv_create_opts_parse(const char *format, const Opts *opts, BlockCreateOptions *out,
                            Error **errp)
{
    static const char *const qcow2_keys[] = {
        "size", "compat", "backing_file", "backing_fmt", "encryption", "encrypt.format",
        "cluster_size", "preallocation", "lazy_refcounts", "refcount_bits",
        "compression_type", "extended_l2", "data_file", "data_file_raw", NULL
    };
    static const char *const raw_keys[] = { "size", "preallocation", NULL };
    const char *p;
    uint64_t v;
    bool b;

    if (!opts_check_keys(opts, !strcmp(format, "qcow2") ? qcow2_keys : raw_keys, errp)) {
        return false;
    }
    if (opts_has(opts, "size")) {
        if (!opts_get_size(opts, "size", 0, &v, errp)) {
            return false;
        }
        out->size = (int64_t)v;
    }
    if ((p = opts_get(opts, "backing_file"))) {
        out->backing_file = p;
    }
    if ((p = opts_get(opts, "backing_fmt"))) {
        out->backing_fmt = p;
    }
    if ((p = opts_get(opts, "compat"))) {
        out->compat = p;
    }
    if ((p = opts_get(opts, "compression_type"))) {
        out->compression_type = p;
    }
    if (opts_has(opts, "cluster_size")) {
        if (!opts_get_size(opts, "cluster_size", 0, &v, errp)) {
            return false;
        }
        out->cluster_size = (int)MIN(v, (uint64_t)INT_MAX);
    }
    if (opts_has(opts, "refcount_bits")) {
        if (!opts_get_number(opts, "refcount_bits", 16, &v, errp)) {
            return false;
        }
        out->refcount_bits = (int)MIN(v, (uint64_t)INT_MAX);
    }
    if ((p = opts_get(opts, "preallocation"))) {
        if (!prealloc_mode_parse(p, &out->prealloc)) {
            error_setg(errp, "Parameter 'preallocation' does not accept value '%s'", p);
            return false;
        }
    }
    if (!opts_get_bool(opts, "lazy_refcounts", false, &b, errp)) {
        return false;
    }
    out->lazy_refcounts = b;
    if (!opts_get_bool(opts, "extended_l2", false, &b, errp)) {
        return false;
    }
    out->extended_l2 = b;
    if (opts_has(opts, "data_file") || opts_has(opts, "encrypt.format") ||
        (opts_has(opts, "encryption") && opts_get_bool(opts, "encryption", false, &b, NULL) &&
         b)) {
        error_setg(errp, "External data files and encryption are not supported by morph");
        return false;
    }
    return true;
}

typedef struct CreateCo {
    const BlockDriver *drv;
    const BlockCreateOptions *opts;
    Error **errp;
    int ret;
    bool done;
} CreateCo;

static void bdrv_create_entry(void *opaque)
{
    CreateCo *cc = opaque;

    cc->ret = cc->drv->create(cc->opts, cc->errp);
    cc->done = true;
}

int bdrv_create(const char *format, const BlockCreateOptions *opts, Error **errp)
{
    const BlockDriver *drv = bdrv_find_format(format);
    CreateCo c = { drv, opts, errp, 0, false };

    if (!drv) {
        error_setg(errp, "Unknown file format '%s'", format);
        return -EINVAL;
    }
    if (!drv->create) {
        error_setg(errp, "Format driver '%s' does not support image creation", format);
        return -ENOTSUP;
    }
    bdrv_run_co(bdrv_create_entry, &c, &c.done);
    return c.ret;
}

const char *bdrv_create_opts_help(const char *format)
{
    const BlockDriver *drv = bdrv_find_format(format);

    return drv ? drv->create_opts_help : NULL;
}

int bdrv_measure(const char *format, const BlockCreateOptions *opts, BlockDriverState *in,
                 uint64_t *required, uint64_t *fully_allocated, Error **errp)
{
    const BlockDriver *drv = bdrv_find_format(format);

    if (!drv || !drv->measure) {
        error_setg(errp, "Format driver '%s' does not support size measurement", format);
        return -ENOTSUP;
    }
    return drv->measure(opts, in, required, fully_allocated, errp);
}
