/*
 * Hostile qcow2 images: each case takes a valid image, breaks one field
 * (header values, table offsets, feature bits, extensions, L1/L2 entries
 * that point into metadata, a backing file that names itself) and checks
 * that the driver answers with one clear error rather than a crash, a hang
 * or a write outside the image.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "block/block.h"

static char *tmpdir;
static char *good_path;
static uint8_t *good;
static gsize good_len;

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void st64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static void st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Write `img` to a file and open it read-only (or rw); return the node or NULL. */
static BlockDriverState *try_open(const uint8_t *img, gsize len, int flags, char **errmsg)
{
    char *path = g_build_filename(tmpdir, "bad.qcow2", NULL);
    Error *err = NULL;
    BlockDriverState *bs;

    g_assert_true(g_file_set_contents(path, (const char *)img, (gssize)len, NULL));
    bs = bdrv_open(path, "qcow2", NULL, flags, &err);
    *errmsg = err ? g_strdup(error_get_pretty(err)) : NULL;
    error_free(err);
    g_free(path);
    return bs;
}

typedef void PatchFn(uint8_t *img, gsize *len);

typedef struct HostileCase {
    const char *name;
    PatchFn *patch;
    const char *error;   /* expected substring of the open error */
} HostileCase;

static void p_magic(uint8_t *img, gsize *len)
{
    img[0] = 'X';
}

static void p_version(uint8_t *img, gsize *len)
{
    st32(img + 4, 4);
}

static void p_cluster_bits(uint8_t *img, gsize *len)
{
    st32(img + 20, 31);
}

static void p_incompat(uint8_t *img, gsize *len)
{
    st64(img + 72, 1ULL << 40);
}

static void p_extl2(uint8_t *img, gsize *len)
{
    st64(img + 72, 1ULL << 4);
}

static void p_l1_unaligned(uint8_t *img, gsize *len)
{
    st64(img + 40, be64(img + 40) + 8);
}

static void p_l1_huge(uint8_t *img, gsize *len)
{
    st32(img + 36, 0x10000000);
}

static void p_l1_beyond_eof(uint8_t *img, gsize *len)
{
    st64(img + 40, 1ULL << 40);
}

static void p_l1_small(uint8_t *img, gsize *len)
{
    st32(img + 36, 0);
}

static void p_reftable_eof(uint8_t *img, gsize *len)
{
    st64(img + 48, 1ULL << 40);
}

static void p_reftable_huge(uint8_t *img, gsize *len)
{
    st32(img + 56, 0x7fffffff);
}

static void p_reftable_zero(uint8_t *img, gsize *len)
{
    st32(img + 56, 0);
}

static void p_snapshots_many(uint8_t *img, gsize *len)
{
    st32(img + 60, 0xffffffff);
    st64(img + 64, 0x10000);
}

static void p_snapshots_eof(uint8_t *img, gsize *len)
{
    st32(img + 60, 3);
    st64(img + 64, 1ULL << 45);
}

static void p_backing_offset(uint8_t *img, gsize *len)
{
    st64(img + 8, 0x100000);
    st32(img + 16, 10);
}

static void p_backing_long(uint8_t *img, gsize *len)
{
    st64(img + 8, 0x200);
    st32(img + 16, 4000);
}

static void p_size_huge(uint8_t *img, gsize *len)
{
    st64(img + 24, 1ULL << 63);
}

static void p_refcount_order(uint8_t *img, gsize *len)
{
    st32(img + 96, 7);
}

static void p_header_short(uint8_t *img, gsize *len)
{
    st32(img + 100, 80);
}

static void p_header_long(uint8_t *img, gsize *len)
{
    st32(img + 100, 0x20000);
}

static void p_zstd(uint8_t *img, gsize *len)
{
    img[104] = 1;
    st64(img + 72, 1ULL << 3);
}

static void p_ext_len(uint8_t *img, gsize *len)
{
    /* The first extension after the header claims more bytes than the cluster has. */
    st32(img + 112 + 4, 0x7fffffff);
}

static void p_crypt(uint8_t *img, gsize *len)
{
    st32(img + 32, 2);
}

static void p_truncated(uint8_t *img, gsize *len)
{
    *len = 50;
}

static const HostileCase cases[] = {
    { "bad-magic", p_magic, "not in qcow2 format" },
    { "version", p_version, "Unsupported qcow2 version 4" },
    { "cluster-bits", p_cluster_bits, "Unsupported cluster size" },
    { "incompat-unknown", p_incompat, "Unknown incompatible feature: 40" },
    { "incompat-extl2", p_extl2, "extended L2" },
    { "l1-unaligned", p_l1_unaligned, "Active L1 table offset invalid" },
    { "l1-huge", p_l1_huge, "Active L1 table too large" },
    { "l1-beyond-eof", p_l1_beyond_eof, "Active L1 table offset invalid" },
    { "l1-too-small", p_l1_small, "L1 table is too small" },
    { "reftable-eof", p_reftable_eof, "Reference count table offset invalid" },
    { "reftable-huge", p_reftable_huge, "Reference count table too large" },
    { "reftable-zero", p_reftable_zero, "does not contain a reference count table" },
    { "snapshots-many", p_snapshots_many, "Too many snapshots" },
    { "snapshots-eof", p_snapshots_eof, "Snapshot table offset invalid" },
    { "backing-offset", p_backing_offset, "Invalid backing file offset" },
    { "backing-long", p_backing_long, "Backing file name too long" },
    { "size-huge", p_size_huge, "too big" },
    { "refcount-order", p_refcount_order, "Reference count entry width too large" },
    { "header-short", p_header_short, "qcow2 header too short" },
    { "header-long", p_header_long, "qcow2 header exceeds cluster size" },
    { "zstd", p_zstd, "compression type" },
    { "ext-len", p_ext_len, "Header extension" },
    { "encrypted", p_crypt, "Encrypted" },
    { "truncated", p_truncated, "not in qcow2 format" },
};

static void test_case(gconstpointer data)
{
    const HostileCase *c = data;
    uint8_t *img = g_memdup2(good, good_len);
    gsize len = good_len;
    char *msg = NULL;
    BlockDriverState *bs;

    c->patch(img, &len);
    bs = try_open(img, len, 0, &msg);
    if (bs) {
        g_error("%s: opened", c->name);
    }
    if (!strstr(msg, c->error)) {
        g_error("%s: error '%s' does not mention '%s'", c->name, msg, c->error);
    }
    g_free(msg);
    g_free(img);
}

/* L1/L2 entries of the first data cluster, as offsets into the image. */
static void find_l2_entry(const uint8_t *img, uint64_t *l1e_off, uint64_t *l2e_off)
{
    uint64_t l1 = be64(img + 40);
    uint64_t l2 = be64(img + l1) & 0x00fffffffffffe00ULL;

    *l1e_off = l1;
    *l2e_off = l2;
}

static void test_l2_into_metadata(void)
{
    uint8_t *img = g_memdup2(good, good_len);
    uint64_t l1e, l2e;
    char *msg = NULL, buf[512];
    BlockDriverState *bs;

    find_l2_entry(img, &l1e, &l2e);
    /* Data cluster 0 pointing at the refcount table (cluster 1). */
    st64(img + l2e, (1ULL << 63) | 65536);
    bs = try_open(img, good_len, BDRV_O_RDWR | BDRV_O_CHECK, &msg);
    g_assert_nonnull(bs);
    g_assert_cmpint(bdrv_pread(bs, 0, sizeof(buf), buf, 0), ==, -EIO);
    /* A write there would overwrite the refcount table: refused as well. */
    g_assert_cmpint(bdrv_pwrite(bs, 0, sizeof(buf), buf, 0), ==, -EIO);
    bdrv_unref(bs);
    g_free(img);
}

static void test_l1_into_header(void)
{
    uint8_t *img = g_memdup2(good, good_len);
    uint64_t l1e, l2e;
    char *msg = NULL, buf[512];
    BlockDriverState *bs;
    BdrvCheckResult res;

    find_l2_entry(img, &l1e, &l2e);
    st64(img + l1e, (1ULL << 63) | 0x200);   /* unaligned, inside the header */
    bs = try_open(img, good_len, 0, &msg);
    g_assert_nonnull(bs);
    g_assert_cmpint(bdrv_pread(bs, 0, sizeof(buf), buf, 0), ==, -EIO);
    g_assert_cmpint(bdrv_check(bs, &res, 0), ==, 0);
    g_assert_cmpint(res.corruptions, >, 0);
    bdrv_check_result_clear(&res);
    bdrv_unref(bs);
    g_free(img);
}

static void test_compressed_garbage(void)
{
    uint8_t *img = g_memdup2(good, good_len);
    uint64_t l1e, l2e;
    char *msg = NULL, buf[512];
    BlockDriverState *bs;

    find_l2_entry(img, &l1e, &l2e);
    /* A compressed cluster whose "data" is the L1 table: inflate must fail cleanly. */
    st64(img + l2e, (1ULL << 62) | be64(img + 40) | (3ULL << 54));
    bs = try_open(img, good_len, 0, &msg);
    g_assert_nonnull(bs);
    g_assert_cmpint(bdrv_pread(bs, 0, sizeof(buf), buf, 0), ==, -EIO);
    bdrv_unref(bs);
    g_free(img);
}

static void test_corrupt_bit(void)
{
    uint8_t *img = g_memdup2(good, good_len);
    char *msg = NULL;
    BlockDriverState *bs;

    st64(img + 72, 1ULL << 1);
    g_assert_null(try_open(img, good_len, BDRV_O_RDWR, &msg));
    g_assert_nonnull(strstr(msg, "corrupt"));
    g_free(msg);
    bs = try_open(img, good_len, 0, &msg);   /* read-only is allowed */
    g_assert_nonnull(bs);
    bdrv_unref(bs);
    g_free(img);
}

static void test_backing_loop(void)
{
    char *a = g_build_filename(tmpdir, "loop-a.qcow2", NULL);
    char *b = g_build_filename(tmpdir, "loop-b.qcow2", NULL);
    BlockCreateOptions co = { .filename = a, .size = 1 << 20, .backing_file = "loop-b.qcow2",
                              .backing_fmt = "qcow2" };
    Error *err = NULL;
    BlockDriverState *bs;

    /* a -> b -> a: create both with -u semantics (no backing opened). */
    g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    co.filename = b;
    co.backing_file = "loop-a.qcow2";
    g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    bs = bdrv_open(a, "qcow2", NULL, 0, &err);
    g_assert_null(bs);
    g_assert_nonnull(strstr(error_get_pretty(err), "loop"));
    error_free(err);
    g_unlink(a);
    g_unlink(b);
    g_free(a);
    g_free(b);
}

static void test_refcount_block_missing(void)
{
    uint8_t *img = g_memdup2(good, good_len);
    uint64_t rt = be64(img + 48);
    char *msg = NULL;
    BlockDriverState *bs;
    BdrvCheckResult res;

    /* No refcount block at all: every cluster looks free and in use. */
    st64(img + rt, 0);
    bs = try_open(img, good_len, 0, &msg);
    g_assert_nonnull(bs);
    g_assert_cmpint(bdrv_check(bs, &res, 0), ==, 0);
    g_assert_cmpint(res.corruptions, >, 0);
    bdrv_check_result_clear(&res);
    bdrv_unref(bs);
    g_free(img);
}

static void rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, n, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d) {
        g_dir_close(d);
    }
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    BlockCreateOptions co = { .size = 1 << 20 };
    Error *err = NULL;
    BlockBackend *blk;
    uint8_t data[4096];
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("morph-test-hostile-XXXXXX", NULL);
    good_path = g_build_filename(tmpdir, "good.qcow2", NULL);
    co.filename = good_path;
    g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    blk = blk_new_open(good_path, "qcow2", NULL, BDRV_O_RDWR, &err);
    memset(data, 0x42, sizeof(data));
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(data), data, 0), ==, 0);
    blk_unref(blk);
    g_assert_true(g_file_get_contents(good_path, (char **)&good, &good_len, NULL));

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *name = g_strdup_printf("/qcow2-hostile/header/%s", cases[i].name);
        g_test_add_data_func(name, &cases[i], test_case);
        g_free(name);
    }
    g_test_add_func("/qcow2-hostile/l2-into-metadata", test_l2_into_metadata);
    g_test_add_func("/qcow2-hostile/l1-into-header", test_l1_into_header);
    g_test_add_func("/qcow2-hostile/compressed-garbage", test_compressed_garbage);
    g_test_add_func("/qcow2-hostile/corrupt-bit", test_corrupt_bit);
    g_test_add_func("/qcow2-hostile/backing-loop", test_backing_loop);
    g_test_add_func("/qcow2-hostile/refcount-block-missing", test_refcount_block_missing);
    ret = g_test_run();
    rm_rf(tmpdir);
    g_free(good);
    return ret;
}
