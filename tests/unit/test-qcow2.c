/*
 * Unit tests for the qcow2 driver (block/qcow2*.c) through the public
 * block API.  The core is a model test: random writes, write-zeroes,
 * discards, flushes and reopens against an in-memory copy of the disk,
 * for several cluster sizes, refcount widths, both versions and with and
 * without a backing file, ending with a consistency check that must find
 * nothing.  Further cases cover compression, snapshots with VM state,
 * resize, and concurrent requests to one cluster.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "block/block.h"

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static void create_qcow2(const char *path, int64_t size, int cluster_size, int refcount_bits,
                         const char *compat, const char *backing, const char *backing_fmt)
{
    BlockCreateOptions co = {
        .filename = path, .size = size, .cluster_size = cluster_size,
        .refcount_bits = refcount_bits, .compat = compat, .backing_file = backing,
        .backing_fmt = backing_fmt,
    };
    Error *err = NULL;

    if (bdrv_create("qcow2", &co, &err) < 0) {
        g_error("create %s: %s", path, error_get_pretty(err));
    }
}

static BlockBackend *open_rw(const char *path)
{
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, "qcow2", NULL, BDRV_O_RDWR | BDRV_O_UNMAP, &err);

    if (!blk) {
        g_error("open %s: %s", path, error_get_pretty(err));
    }
    return blk;
}

static void assert_clean(BlockBackend *blk)
{
    BdrvCheckResult res;
    int ret = bdrv_check(blk_bs(blk), &res, 0);

    for (guint i = 0; i < res.messages->len; i++) {
        g_printerr("%s\n", (char *)g_ptr_array_index(res.messages, i));
    }
    g_assert_cmpint(ret, ==, 0);
    g_assert_cmpint(res.corruptions, ==, 0);
    g_assert_cmpint(res.leaks, ==, 0);
    g_assert_cmpint(res.check_errors, ==, 0);
    bdrv_check_result_clear(&res);
}

static void assert_content(BlockBackend *blk, const uint8_t *model, int64_t size)
{
    uint8_t *buf = g_malloc(size);

    g_assert_cmpint(blk_pread(blk, 0, size, buf), ==, 0);
    for (int64_t i = 0; i < size; i++) {
        if (buf[i] != model[i]) {
            g_error("content differs at %" G_GINT64_FORMAT ": %#x != %#x", i, buf[i],
                    model[i]);
        }
    }
    g_free(buf);
}

typedef struct ModelParams {
    int cluster_size;
    int refcount_bits;
    const char *compat;
    bool backing;
} ModelParams;

static void test_model(gconstpointer data)
{
    const ModelParams *p = data;
    const int64_t size = MAX(4 << 20, 8LL * p->cluster_size);
    char *path = tmp_path("model.qcow2"), *base = NULL;
    uint8_t *model = g_malloc0(size), *basedata = g_malloc0(size), *buf = g_malloc(size);
    GRand *r = g_rand_new_with_seed(0x5eed + p->cluster_size + p->refcount_bits);
    bool v3 = strcmp(p->compat, "0.10") != 0;
    BlockBackend *blk;

    if (p->backing) {
        base = tmp_path("model-base.raw");
        for (int64_t i = 0; i < size; i++) {
            basedata[i] = (uint8_t)g_rand_int(r);
        }
        g_assert_true(g_file_set_contents(base, (char *)basedata, size, NULL));
        memcpy(model, basedata, size);
    }
    create_qcow2(path, size, p->cluster_size, p->refcount_bits, p->compat,
                 p->backing ? "model-base.raw" : NULL, p->backing ? "raw" : NULL);
    blk = open_rw(path);
    for (int op = 0; op < 400; op++) {
        int kind = g_rand_int_range(r, 0, 100);
        int64_t len = g_rand_int_range(r, 1, (gint32)MIN(3LL * p->cluster_size + 700, size / 2));
        int64_t off = g_rand_int_range(r, 0, (gint32)(size - len));

        if (kind < 60) {
            uint8_t v = (uint8_t)g_rand_int(r);
            for (int64_t i = 0; i < len; i++) {
                buf[i] = (uint8_t)(v + i * 7);
            }
            g_assert_cmpint(blk_pwrite(blk, off, len, buf, 0), ==, 0);
            memcpy(model + off, buf, len);
        } else if (kind < 75) {
            g_assert_cmpint(blk_pwrite_zeroes(blk, off, len, BDRV_REQ_MAY_UNMAP), ==, 0);
            memset(model + off, 0, len);
        } else if (kind < 85) {
            int64_t cs = p->cluster_size;
            int64_t s = (off + cs - 1) / cs * cs, e = (off + len) / cs * cs;
            g_assert_cmpint(blk_pdiscard(blk, off, len), ==, 0);
            if (e > s) {
                if (p->backing && !v3) {
                    memcpy(model + s, basedata + s, e - s);
                } else {
                    memset(model + s, 0, e - s);
                }
            }
        } else if (kind < 95) {
            g_assert_cmpint(blk_flush(blk), ==, 0);
        } else {
            blk_unref(blk);
            blk = open_rw(path);
        }
        if (op % 50 == 49) {
            assert_content(blk, model, size);
        }
    }
    assert_content(blk, model, size);
    assert_clean(blk);
    blk_unref(blk);
    blk = open_rw(path);
    assert_content(blk, model, size);
    assert_clean(blk);
    blk_unref(blk);
    g_rand_free(r);
    g_free(model);
    g_free(basedata);
    g_free(buf);
    g_unlink(path);
    if (base) {
        g_unlink(base);
    }
    g_free(path);
    g_free(base);
}

static void test_compressed(void)
{
    char *path = tmp_path("comp.qcow2");
    const int64_t size = 1 << 20;
    uint8_t *data = g_malloc(size), *back = g_malloc(size);
    BlockBackend *blk;
    int64_t pnum;

    for (int64_t i = 0; i < size; i++) {
        data[i] = (uint8_t)((i / 1000) & 0x0f);
    }
    create_qcow2(path, size, 65536, 16, NULL, NULL, NULL);
    blk = open_rw(path);
    g_assert_cmpint(blk_pwrite(blk, 0, size, data, BDRV_REQ_WRITE_COMPRESSED), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    g_assert_cmpint(bdrv_block_status(blk_bs(blk), 0, size, &pnum, NULL, NULL) &
                    BDRV_BLOCK_COMPRESSED, !=, 0);
    g_assert_cmpint(blk_pread(blk, 0, size, back), ==, 0);
    g_assert_cmpmem(data, size, back, size);
    g_assert_cmpint(bdrv_get_allocated_file_size(blk_bs(blk)), <, size / 2);
    /* A partial overwrite copies the rest of the cluster out of the compressed one. */
    memset(data + 70000, 0xee, 100);
    g_assert_cmpint(blk_pwrite(blk, 70000, 100, data + 70000, 0), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    g_assert_cmpint(blk_pread(blk, 0, size, back), ==, 0);
    g_assert_cmpmem(data, size, back, size);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(path);
    g_free(path);
    g_free(data);
    g_free(back);
}

static void fill(BlockBackend *blk, int64_t off, int64_t len, int v)
{
    uint8_t *b = g_malloc(len);

    memset(b, v, len);
    g_assert_cmpint(blk_pwrite(blk, off, len, b, 0), ==, 0);
    g_free(b);
}

static void expect(BlockBackend *blk, int64_t off, int64_t len, int v)
{
    uint8_t *b = g_malloc(len);

    g_assert_cmpint(blk_pread(blk, off, len, b), ==, 0);
    for (int64_t i = 0; i < len; i++) {
        g_assert_cmpint(b[i], ==, v);
    }
    g_free(b);
}

static void test_snapshots(void)
{
    char *path = tmp_path("snap.qcow2");
    BlockBackend *blk;
    BlockSnapshotInfo sn = { 0 }, *list;
    Error *err = NULL;
    uint8_t vm[100000], vmback[100000];

    create_qcow2(path, 8 << 20, 65536, 16, NULL, NULL, NULL);
    blk = open_rw(path);
    fill(blk, 0, 1 << 20, 0xaa);
    for (size_t i = 0; i < sizeof(vm); i++) {
        vm[i] = (uint8_t)(i * 13);
    }
    g_assert_cmpint(bdrv_save_vmstate(blk_bs(blk), vm, 0, sizeof(vm)), ==, 0);
    g_strlcpy(sn.name, "first", sizeof(sn.name));
    sn.vm_state_size = sizeof(vm);
    sn.icount = UINT64_MAX;
    g_assert_cmpint(bdrv_snapshot_create(blk_bs(blk), &sn, &err), ==, 0);
    g_assert_cmpstr(sn.id_str, ==, "1");
    assert_clean(blk);
    fill(blk, 65536, 1 << 20, 0xbb);
    memset(&sn, 0, sizeof(sn));
    g_strlcpy(sn.name, "second", sizeof(sn.name));
    g_assert_cmpint(bdrv_snapshot_create(blk_bs(blk), &sn, &err), ==, 0);
    fill(blk, 0, 4096, 0xcc);
    assert_clean(blk);
    g_assert_cmpint(bdrv_snapshot_list(blk_bs(blk), &list), ==, 2);
    g_assert_cmpstr(list[1].name, ==, "second");
    g_assert_cmpuint(list[0].vm_state_size, ==, sizeof(vm));
    g_free(list);

    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "first", &err), ==, 0);
    expect(blk, 0, 1 << 20, 0xaa);
    expect(blk, 1 << 20, 65536, 0);
    g_assert_cmpint(bdrv_load_vmstate(blk_bs(blk), vmback, 0, sizeof(vmback)), ==, 0);
    g_assert_cmpmem(vm, sizeof(vm), vmback, sizeof(vmback));
    assert_clean(blk);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), "1", NULL, &err), ==, 0);
    assert_clean(blk);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "second", &err), ==, 0);
    expect(blk, 0, 65536, 0xaa);
    expect(blk, 65536, 1 << 20, 0xbb);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "nosuch", &err), <, 0);
    error_free(err);
    err = NULL;
    /* Writing after apply must not disturb the snapshot. */
    fill(blk, 0, 2 << 20, 0xdd);
    g_assert_cmpint(bdrv_snapshot_goto(blk_bs(blk), "second", &err), ==, 0);
    expect(blk, 65536, 1 << 20, 0xbb);
    g_assert_cmpint(bdrv_snapshot_delete(blk_bs(blk), NULL, "second", &err), ==, 0);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(path);
    g_free(path);
}

static void test_refcount_overflow(void)
{
    char *path = tmp_path("rc1.qcow2");
    BlockBackend *blk;
    BlockSnapshotInfo sn = { .name = "x" };
    Error *err = NULL;

    /* 1-bit refcounts cannot share a cluster: the snapshot must fail cleanly. */
    create_qcow2(path, 1 << 20, 65536, 1, NULL, NULL, NULL);
    blk = open_rw(path);
    fill(blk, 0, 65536, 1);
    g_assert_cmpint(bdrv_snapshot_create(blk_bs(blk), &sn, &err), <, 0);
    error_free(err);
    expect(blk, 0, 65536, 1);
    blk_unref(blk);
    g_unlink(path);
    g_free(path);
}

static void test_resize(void)
{
    char *path = tmp_path("resize.qcow2");
    BlockBackend *blk;
    Error *err = NULL;

    create_qcow2(path, 1 << 20, 4096, 16, NULL, NULL, NULL);
    blk = open_rw(path);
    fill(blk, 0, 1 << 20, 0x12);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 64 << 20, false, PREALLOC_MODE_OFF, &err), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, 64 << 20);
    fill(blk, 60 << 20, 8192, 0x34);
    expect(blk, 0, 1 << 20, 0x12);
    expect(blk, 1 << 20, 4096, 0);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 512 << 10, false, PREALLOC_MODE_OFF, &err), ==, 0);
    expect(blk, 0, 512 << 10, 0x12);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 1 << 20, false, PREALLOC_MODE_OFF, &err), ==, 0);
    expect(blk, 512 << 10, 512 << 10, 0);
    g_assert_cmpint(bdrv_truncate(blk_bs(blk), 1000, false, PREALLOC_MODE_OFF, &err), <, 0);
    error_free(err);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(path);
    g_free(path);
}

static void test_prealloc_metadata(void)
{
    char *path = tmp_path("prealloc.qcow2");
    BlockCreateOptions co = { .filename = path, .size = 4 << 20,
                              .prealloc = PREALLOC_MODE_METADATA };
    Error *err = NULL;
    BlockBackend *blk;
    int64_t pnum;

    g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    blk = open_rw(path);
    g_assert_cmpint(bdrv_block_status(blk_bs(blk), 0, 4 << 20, &pnum, NULL, NULL) &
                    BDRV_BLOCK_DATA, !=, 0);
    g_assert_cmpint(pnum, ==, 4 << 20);
    expect(blk, 0, 4 << 20, 0);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(path);
    g_free(path);
}

typedef struct ConcTest {
    int done;
    int errors;
} ConcTest;

static void conc_cb(void *opaque, int ret)
{
    ConcTest *t = opaque;

    t->done++;
    t->errors += ret < 0;
}

static void test_concurrent_same_cluster(void)
{
    char *path = tmp_path("conc.qcow2"), *base = tmp_path("conc-base.qcow2");
    static uint8_t bufs[64][512];
    BlkIOV q[64];
    ConcTest t = { 0 };
    BlockBackend *blk;

    /* A backing file makes every partial write copy-on-write. */
    create_qcow2(base, 1 << 20, 65536, 16, NULL, NULL, NULL);
    blk = open_rw(base);
    fill(blk, 0, 1 << 20, 0x99);
    blk_unref(blk);
    create_qcow2(path, 1 << 20, 65536, 16, NULL, "conc-base.qcow2", "qcow2");
    blk = open_rw(path);
    for (int i = 0; i < 64; i++) {
        memset(bufs[i], i + 1, 512);
        blkiov_init_buf(&q[i], bufs[i], 512);
        /* Every other sector of two clusters, all in flight at once. */
        blk_aio_pwritev(blk, 65536 + i * 1024 + (i & 1) * 65536, &q[i], 0, conc_cb, &t);
    }
    blk_drain(blk);
    g_assert_cmpint(t.done, ==, 64);
    g_assert_cmpint(t.errors, ==, 0);
    for (int i = 0; i < 64; i++) {
        int64_t off = 65536 + i * 1024 + (i & 1) * 65536;
        expect(blk, off, 512, i + 1);
        expect(blk, off + 512, 512, 0x99);
        blkiov_destroy(&q[i]);
    }
    expect(blk, 0, 65536, 0x99);
    /* Overlapping writes to the same bytes: one of them wins, the image stays sound. */
    for (int i = 0; i < 16; i++) {
        blkiov_init_buf(&q[i], bufs[i], 512);
        blk_aio_pwritev(blk, 300000, &q[i], 0, conc_cb, &t);
    }
    blk_drain(blk);
    for (int i = 0; i < 16; i++) {
        blkiov_destroy(&q[i]);
    }
    g_assert_cmpint(t.errors, ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(path);
    g_unlink(base);
    g_free(path);
    g_free(base);
}

static void test_backing_chain(void)
{
    char *a = tmp_path("chain-a.qcow2"), *b = tmp_path("chain-b.qcow2");
    char *c = tmp_path("chain-c.qcow2");
    BlockBackend *blk;

    create_qcow2(a, 2 << 20, 65536, 16, NULL, NULL, NULL);
    blk = open_rw(a);
    fill(blk, 0, 2 << 20, 0x0a);
    blk_unref(blk);
    /* The middle image is smaller: reads past its end are zeroes. */
    create_qcow2(b, 1 << 20, 65536, 16, "0.10", "chain-a.qcow2", "qcow2");
    blk = open_rw(b);
    fill(blk, 4096, 4096, 0x0b);
    blk_unref(blk);
    create_qcow2(c, 2 << 20, 65536, 16, NULL, "chain-b.qcow2", "qcow2");
    blk = open_rw(c);
    expect(blk, 0, 4096, 0x0a);
    expect(blk, 4096, 4096, 0x0b);
    expect(blk, 8192, (1 << 20) - 8192, 0x0a);
    expect(blk, 1 << 20, 1 << 20, 0);
    fill(blk, 1000, 100, 0x0c);
    expect(blk, 0, 1000, 0x0a);
    expect(blk, 1000, 100, 0x0c);
    expect(blk, 1100, 4096 - 1100, 0x0a);
    assert_clean(blk);
    blk_unref(blk);
    g_unlink(a);
    g_unlink(b);
    g_unlink(c);
    g_free(a);
    g_free(b);
    g_free(c);
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

static const ModelParams model_params[] = {
    { 65536, 16, "1.1", false },
    { 65536, 16, "1.1", true },
    { 65536, 16, "0.10", true },
    { 4096, 16, "0.10", false },
    { 512, 16, "1.1", false },
    { 512, 1, "1.1", true },
    { 1024, 8, "1.1", false },
    { 4096, 64, "1.1", true },
    { 2 << 20, 32, "1.1", false },
};

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("morph-test-qcow2-XXXXXX", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(model_params); i++) {
        const ModelParams *p = &model_params[i];
        char *name = g_strdup_printf("/qcow2/model/cs%d-rc%d-v%s%s", p->cluster_size,
                                     p->refcount_bits, p->compat,
                                     p->backing ? "-backing" : "");
        g_test_add_data_func(name, p, test_model);
        g_free(name);
    }
    g_test_add_func("/qcow2/compressed", test_compressed);
    g_test_add_func("/qcow2/snapshots", test_snapshots);
    g_test_add_func("/qcow2/refcount-overflow", test_refcount_overflow);
    g_test_add_func("/qcow2/resize", test_resize);
    g_test_add_func("/qcow2/prealloc-metadata", test_prealloc_metadata);
    g_test_add_func("/qcow2/concurrent-same-cluster", test_concurrent_same_cluster);
    g_test_add_func("/qcow2/backing-chain", test_backing_chain);
    ret = g_test_run();
    rm_rf(tmpdir);
    g_free(tmpdir);
    return ret;
}
