/*
 * Unit tests for the generic block layer (block/block.c, io.c,
 * block-backend.c, file-posix.c, raw.c): scatter/gather lists, format
 * probing, -drive and -blockdev option strings, cache modes, the raw
 * format and the asynchronous completion contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static void test_blkiov(void)
{
    char a[8] = "abcdefg", b[8] = "ABCDEFG", out[16];
    BlkIOV q, s;

    blkiov_init(&q, 1);
    blkiov_add(&q, a, 7);
    blkiov_add(&q, b, 7);
    g_assert_cmpuint(q.size, ==, 14);
    blkiov_init(&s, 1);
    blkiov_concat(&s, &q, 5, 4);
    g_assert_cmpuint(s.size, ==, 4);
    g_assert_cmpuint(blkiov_to_buf(&s, 0, out, 4), ==, 4);
    g_assert_cmpmem(out, 4, "fgAB", 4);
    blkiov_memset(&q, 6, 0, 2);
    g_assert_true(blkiov_is_zero(&q, 6, 2));
    g_assert_false(blkiov_is_zero(&q, 5, 2));
    blkiov_from_buf(&q, 12, "zz", 2);
    g_assert_cmpint(b[5], ==, 'z');
    blkiov_destroy(&s);
    blkiov_destroy(&q);
    g_assert_true(blkiov_buffer_is_zero("\0\0\0\0\0\0\0\0\0\0", 10));
}

static void test_probe(void)
{
    uint8_t q[16] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    uint8_t r[16] = { 0 };

    g_assert_cmpstr(bdrv_probe_format(q, sizeof(q), "x"), ==, "qcow2");
    g_assert_cmpstr(bdrv_probe_format(r, sizeof(r), "x"), ==, "raw");
}

static void test_cache_modes(void)
{
    int flags = 0;
    bool wt = false;

    g_assert_true(bdrv_parse_cache_mode("none", &flags, &wt));
    g_assert_true(flags & BDRV_O_NOCACHE);
    g_assert_false(wt);
    g_assert_true(bdrv_parse_cache_mode("directsync", &flags, &wt));
    g_assert_true((flags & BDRV_O_NOCACHE) && wt);
    g_assert_true(bdrv_parse_cache_mode("unsafe", &flags, &wt));
    g_assert_true((flags & BDRV_O_NO_FLUSH) && !(flags & BDRV_O_NOCACHE) && !wt);
    g_assert_true(bdrv_parse_cache_mode("writethrough", &flags, &wt));
    g_assert_true(wt && !(flags & (BDRV_O_NO_FLUSH | BDRV_O_NOCACHE)));
    g_assert_true(bdrv_parse_cache_mode("writeback", &flags, &wt));
    g_assert_false(wt);
    g_assert_false(bdrv_parse_cache_mode("bogus", &flags, &wt));
    g_assert_true(bdrv_parse_aio("threads", &flags));
    g_assert_true(flags & BDRV_O_AIO_THREADS);
    g_assert_true(bdrv_parse_aio("io_uring", &flags));
    g_assert_false(flags & BDRV_O_AIO_THREADS);
    g_assert_false(bdrv_parse_aio("posix", &flags));
}

static char *make_raw(const char *name, size_t size, int fill)
{
    char *path = tmp_path(name);
    char *buf = g_malloc(size);

    memset(buf, fill, size);
    g_assert_true(g_file_set_contents(path, buf, (gssize)size, NULL));
    g_free(buf);
    return path;
}

static void test_raw_rw(void)
{
    char *path = make_raw("raw.img", 1 << 20, 0);
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, "raw", NULL, BDRV_O_RDWR, &err);
    char buf[4096], back[4096];

    g_assert_nonnull(blk);
    g_assert_cmpint(blk_getlength(blk), ==, 1 << 20);
    memset(buf, 0x5a, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 1000, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 1000, sizeof(back), back), ==, 0);
    g_assert_cmpmem(buf, sizeof(buf), back, sizeof(back));
    /* Past the end: an error, not a short read. */
    g_assert_cmpint(blk_pread(blk, (1 << 20) - 100, sizeof(back), back), <, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);
    g_free(path);
}

static void test_drive_opts(void)
{
    char *path = make_raw("drive.img", 65536, 0x11);
    char *opt;
    Error *err = NULL;
    BlockBackend *blk;
    char buf[512];

    opt = g_strdup_printf("file=%s,format=raw,if=virtio,id=disk0,cache=writethrough,"
                          "aio=threads,discard=unmap", path);
    blk = blk_new_open_drive(opt, &err);
    g_assert_null(err);
    g_assert_nonnull(blk);
    g_assert_cmpstr(blk_get_id(blk), ==, "disk0");
    g_assert_cmpstr(blk_get_if(blk), ==, "virtio");
    g_assert_true(blk_is_writethrough(blk));
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x11);
    blk_unref(blk);
    g_free(opt);

    opt = g_strdup_printf("file=%s,format=raw,readonly=on", path);
    blk = blk_new_open_drive(opt, &err);
    g_assert_nonnull(blk);
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(buf), buf, 0), <, 0);
    blk_unref(blk);
    g_free(opt);

    opt = g_strdup_printf("file=%s,format=raw,bogus=1", path);
    g_assert_null(blk_new_open_drive(opt, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "bogus"));
    error_free(err);
    err = NULL;
    g_free(opt);

    opt = g_strdup_printf("file=%s,format=raw,cache=sometimes", path);
    g_assert_null(blk_new_open_drive(opt, &err));
    error_free(err);
    err = NULL;
    g_free(opt);

    /* cache=none: O_DIRECT, with unaligned requests bounced. */
    opt = g_strdup_printf("file=%s,format=raw,cache=none", path);
    blk = blk_new_open_drive(opt, &err);
    g_assert_nonnull(blk);
    memset(buf, 0x77, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 3, 100, buf, 0), ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(blk_pread(blk, 0, 200, buf), ==, 0);
    g_assert_cmpint(buf[2], ==, 0x11);
    g_assert_cmpint(buf[3], ==, 0x77);
    g_assert_cmpint(buf[102], ==, 0x77);
    g_assert_cmpint(buf[103], ==, 0x11);
    blk_unref(blk);
    g_free(opt);
    g_free(path);
}

static void test_blockdev(void)
{
    char *path = make_raw("bdev.img", 65536, 0x22);
    char *opt = g_strdup_printf("driver=file,node-name=f0,filename=%s", path);
    Error *err = NULL;
    BlockDriverState *file, *fmt;
    char buf[16];

    file = bdrv_open_blockdev(opt, &err);
    g_assert_nonnull(file);
    g_assert_true(bdrv_find_node("f0") == file);
    fmt = bdrv_open_blockdev("driver=raw,node-name=r0,file=f0", &err);
    g_assert_nonnull(fmt);
    g_assert_cmpint(bdrv_pread(fmt, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x22);
    g_assert_null(bdrv_open_blockdev("driver=raw,file=nonexistent-node", &err));
    error_free(err);
    err = NULL;
    g_assert_null(bdrv_open_blockdev("node-name=x", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'driver' is missing");
    error_free(err);
    err = NULL;
    bdrv_unref(fmt);
    bdrv_unref(file);
    g_free(opt);

    opt = g_strdup_printf("driver=raw,node-name=r1,file.driver=file,file.filename=%s", path);
    fmt = bdrv_open_blockdev(opt, &err);
    g_assert_nonnull(fmt);
    bdrv_unref(fmt);
    g_free(opt);
    g_free(path);
}

static void test_blockdev_qcow2(void)
{
    char *base = make_raw("bd-base.raw", 1 << 20, 0x66);
    char *top = tmp_path("bd-top.qcow2");
    BlockCreateOptions co = { .filename = top, .size = 1 << 20, .backing_file = "bd-base.raw",
                              .backing_fmt = "raw" };
    Error *err = NULL;
    BlockDriverState *bs;
    char *opt;
    char buf[16];

    g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    /* The backing file named in the header is opened... */
    opt = g_strdup_printf("driver=qcow2,node-name=q0,file.driver=file,file.filename=%s", top);
    bs = bdrv_open_blockdev(opt, &err);
    g_assert_nonnull(bs);
    g_assert_nonnull(bdrv_get_backing(bs));
    g_assert_cmpint(bdrv_pread(bs, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x66);
    bdrv_unref(bs);
    g_free(opt);
    /* ...unless backing=null says there is none. */
    opt = g_strdup_printf("driver=qcow2,node-name=q1,backing=null,file.driver=file,"
                          "file.filename=%s", top);
    bs = bdrv_open_blockdev(opt, &err);
    g_assert_nonnull(bs);
    g_assert_null(bdrv_get_backing(bs));
    g_assert_cmpint(bdrv_pread(bs, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 0);
    bdrv_unref(bs);
    g_free(opt);
    g_free(base);
    g_free(top);
}

typedef struct AioTest {
    int done;
    int ret;
} AioTest;

static void aio_cb(void *opaque, int ret)
{
    AioTest *t = opaque;

    t->done++;
    t->ret = ret;
}

static void test_aio(void)
{
    char *path = make_raw("aio.img", 1 << 20, 0);
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, "raw", NULL, BDRV_O_RDWR, &err);
    static uint8_t bufs[16][4096];
    BlkIOV q[16];
    AioTest t = { 0 };

    for (int i = 0; i < 16; i++) {
        memset(bufs[i], i + 1, sizeof(bufs[i]));
        blkiov_init_buf(&q[i], bufs[i], sizeof(bufs[i]));
        blk_aio_pwritev(blk, i * 8192, &q[i], 0, aio_cb, &t);
    }
    if (block_uses_main_loop()) {
        /* Completions come from the loop, never inside the submitting call. */
        g_assert_cmpint(t.done, ==, 0);
    }
    blk_drain(blk);
    g_assert_cmpint(t.done, ==, 16);
    g_assert_cmpint(t.ret, ==, 0);
    for (int i = 0; i < 16; i++) {
        uint8_t back[4096];
        g_assert_cmpint(blk_pread(blk, i * 8192, sizeof(back), back), ==, 0);
        g_assert_cmpint(back[100], ==, i + 1);
        blkiov_destroy(&q[i]);
    }
    blk_aio_flush(blk, aio_cb, &t);
    blk_drain(blk);
    g_assert_cmpint(t.done, ==, 17);
    blk_unref(blk);
    g_free(path);
}

static void test_probe_warning_raw(void)
{
    char *path = make_raw("probe.img", 65536, 0x33);
    Error *err = NULL;
    /* No format: probing finds raw (the warning goes to stderr). */
    BlockDriverState *bs = bdrv_open(path, NULL, NULL, BDRV_O_NO_PROBE_WARN, &err);

    g_assert_nonnull(bs);
    g_assert_cmpstr(bdrv_get_format_name(bs), ==, "raw");
    bdrv_unref(bs);
    /* Probed raw: a write that would turn block 0 into a qcow2 header is refused. */
    bs = bdrv_open(path, NULL, NULL, BDRV_O_RDWR | BDRV_O_NO_PROBE_WARN, &err);
    g_assert_nonnull(bs);
    {
        uint8_t magic[8] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
        g_assert_cmpint(bdrv_pwrite(bs, 0, sizeof(magic), magic, 0), ==, -EPERM);
        g_assert_cmpint(bdrv_pwrite(bs, 8, sizeof(magic), magic, 0), ==, 0);
    }
    bdrv_unref(bs);
    g_assert_null(bdrv_open(path, "vmdk", NULL, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Unknown driver 'vmdk'");
    error_free(err);
    g_free(path);
}

static void test_snapshot_mode(void)
{
    char *path = make_raw("snap.img", 1 << 20, 0x44);
    char *opt = g_strdup_printf("file=%s,format=raw,snapshot=on", path);
    Error *err = NULL;
    BlockBackend *blk = blk_new_open_drive(opt, &err);
    char buf[512], *content;
    gsize len;

    g_assert_nonnull(blk);
    memset(buf, 0x55, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(buf), buf, 0), ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x55);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);
    /* The file itself never saw the write. */
    g_assert_true(g_file_get_contents(path, &content, &len, NULL));
    g_assert_cmpint(content[0], ==, 0x44);
    g_free(content);
    g_free(opt);
    g_free(path);
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
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("morph-test-block-XXXXXX", NULL);
    g_setenv("TMPDIR", tmpdir, true);
    g_test_add_func("/block/blkiov", test_blkiov);
    g_test_add_func("/block/probe", test_probe);
    g_test_add_func("/block/cache-modes", test_cache_modes);
    g_test_add_func("/block/raw-rw", test_raw_rw);
    g_test_add_func("/block/drive-opts", test_drive_opts);
    g_test_add_func("/block/blockdev", test_blockdev);
    g_test_add_func("/block/blockdev-qcow2", test_blockdev_qcow2);
    g_test_add_func("/block/aio", test_aio);
    g_test_add_func("/block/probe-raw", test_probe_warning_raw);
    g_test_add_func("/block/snapshot-mode", test_snapshot_mode);
    ret = g_test_run();
    rm_rf(tmpdir);
    g_free(tmpdir);
    return ret;
}
