/*
 * Unit tests for virtio-blk (hw/virtio/virtio-blk.c) through the
 * virtio-mmio transport, against temporary raw and qcow2 images opened by
 * the block layer: every request type, the error statuses (IOERR for
 * ranges and read-only drives, UNSUPP for unknown types), requests in
 * flight together, any header layout, driver errors and reset.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "hw/virtio/virtio-blk.h"
#include "util/main-loop.h"
#include "virtio-harness.h"

#define DISK_SECTORS 2048 /* 1 MiB */

static char *tmpdir;

typedef struct Fixture {
    char *path;
    BlockBackend *blk;
    VirtIOBlock blkdev;
    VHDriver d;
} Fixture;

static void fill_pattern(uint8_t *buf, uint64_t sector, unsigned n)
{
    unsigned i;

    for (i = 0; i < n * 512; i++) {
        buf[i] = (uint8_t)((sector * 512 + i) * 7 + ((sector * 512 + i) >> 9));
    }
}

static void fixture_open(Fixture *f, const char *format, bool read_only, bool legacy)
{
    Error *err = NULL;
    uint8_t *buf = g_malloc(DISK_SECTORS * 512);
    BlockBackend *w;
    uint32_t status;

    memset(f, 0, sizeof(*f));
    f->path = g_build_filename(tmpdir, format, NULL);
    g_unlink(f->path);
    if (!strcmp(format, "qcow2")) {
        BlockCreateOptions co = { .filename = f->path, .size = DISK_SECTORS * 512 };

        g_assert_cmpint(bdrv_create("qcow2", &co, &err), ==, 0);
    } else {
        g_assert_true(g_file_set_contents(f->path, "", 0, NULL));
        g_assert_cmpint(truncate(f->path, DISK_SECTORS * 512), ==, 0);
    }
    w = blk_new_open(f->path, format, NULL, BDRV_O_RDWR, &err);
    g_assert_nonnull(w);
    fill_pattern(buf, 0, DISK_SECTORS);
    g_assert_cmpint(blk_pwrite(w, 0, DISK_SECTORS * 512, buf, 0), >=, 0);
    blk_unref(w);
    g_free(buf);

    f->blk = blk_new_open(f->path, format, NULL,
                          (read_only ? 0 : BDRV_O_RDWR) | BDRV_O_UNMAP, &err);
    g_assert_nonnull(f->blk);
    vh_ram_reset();
    g_assert_true(virtio_blk_realize(&f->blkdev, f->blk, "morph-serial-0123", &err));
    vh_driver_init(&f->d, &f->blkdev.parent, legacy);
    status = vh_driver_setup(&f->d, ~0ULL, 1, 128);
    g_assert_cmpuint(status & VIRTIO_CONFIG_S_DRIVER_OK, !=, 0);
    g_assert_cmpuint(status & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
}

static void fixture_close(Fixture *f)
{
    vh_write(&f->d, VIRTIO_MMIO_STATUS, 0);
    virtio_blk_unrealize(&f->blkdev);
    g_assert_cmpint(vh_live_maps(), ==, 0);
    blk_unref(f->blk);
    g_unlink(f->path);
    g_free(f->path);
}

/* Build header + data + status; returns the head. */
static uint16_t submit(Fixture *f, uint32_t type, uint64_t sector, uint64_t data, uint32_t len,
                       bool data_in, uint64_t *status_gpa)
{
    uint64_t hdr = vh_alloc(&f->d, 16);
    uint64_t st = vh_alloc(&f->d, 1);
    uint8_t *h = vh_gpa(hdr);
    uint32_t t = GUINT32_TO_LE(type);
    uint64_t s = GUINT64_TO_LE(sector);
    VHBuf b[3];
    unsigned n = 0;

    memcpy(h, &t, 4);
    memset(h + 4, 0, 4);
    memcpy(h + 8, &s, 8);
    *vh_gpa(st) = 0xee;
    b[n++] = (VHBuf){ hdr, 16, false };
    if (len) {
        b[n++] = (VHBuf){ data, len, data_in };
    }
    b[n++] = (VHBuf){ st, 1, true };
    *status_gpa = st;
    return vh_add_chain(&f->d, 0, b, n);
}

static uint8_t do_req(Fixture *f, uint32_t type, uint64_t sector, uint64_t data, uint32_t len,
                      bool data_in, uint32_t *used_len)
{
    uint64_t st;
    uint32_t id, ulen;
    uint16_t head = submit(f, type, sector, data, len, data_in, &st);

    vh_kick(&f->d, 0);
    g_assert_true(vh_wait_used(&f->d, 0, &id, &ulen, 10000));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpint(f->d.irq_level, ==, 1);
    vh_write(&f->d, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_VQ);
    g_assert_cmpint(f->d.irq_level, ==, 0);
    if (used_len) {
        *used_len = ulen;
    }
    return *vh_gpa(st);
}

static void check_config(Fixture *f, bool read_only)
{
    uint64_t cap;
    uint32_t feat;

    g_assert_cmphex(vh_read(&f->d, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_BLOCK);
    cap = vh_read(&f->d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY) |
          (uint64_t)vh_read(&f->d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
    g_assert_cmpuint(cap, ==, DISK_SECTORS);
    g_assert_cmpuint(vh_read(&f->d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX), ==, 254);
    g_assert_cmpuint(vh_read(&f->d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_BLK_SIZE), ==, 512);
    g_assert_cmpuint(virtio_mmio_read(&f->d.mmio, VIRTIO_MMIO_CONFIG +
                                                      VIRTIO_BLK_CFG_WZ_MAY_UNMAP, 1), ==, 1);
    vh_write(&f->d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    feat = vh_read(&f->d, VIRTIO_MMIO_DEVICE_FEATURES);
    g_assert_cmpuint(!!(feat & (1u << VIRTIO_BLK_F_RO)), ==, read_only);
    g_assert_cmpuint(feat & (1u << VIRTIO_BLK_F_FLUSH), !=, 0);
    g_assert_cmpuint(feat & (1u << VIRTIO_BLK_F_DISCARD), !=, 0);
}

static void test_rw(const char *format, bool legacy)
{
    Fixture f;
    uint64_t buf;
    uint8_t expect[8 * 512], back[8 * 512];
    uint32_t ulen;

    fixture_open(&f, format, false, legacy);
    check_config(&f, false);
    /* Read sectors 100..107. */
    buf = vh_alloc(&f.d, 8 * 512);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, 100, buf, 8 * 512, true, &ulen), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(ulen, ==, 8 * 512 + 1);
    fill_pattern(expect, 100, 8);
    g_assert_cmpmem(vh_gpa(buf), 8 * 512, expect, 8 * 512);
    /* Write sectors 2040..2047 (the last ones), then read back from the image. */
    memset(vh_gpa(buf), 0xa5, 8 * 512);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_OUT, DISK_SECTORS - 8, buf, 8 * 512, false, &ulen),
                     ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(ulen, ==, 1);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f.blk, (DISK_SECTORS - 8) * 512, sizeof(back), back), >=, 0);
    memset(expect, 0xa5, sizeof(expect));
    g_assert_cmpmem(back, sizeof(back), expect, sizeof(expect));
    fixture_close(&f);
}

static void test_rw_raw(void)
{
    test_rw("raw", false);
}

static void test_rw_qcow2(void)
{
    test_rw("qcow2", false);
}

static void test_rw_raw_legacy(void)
{
    test_rw("raw", true);
}

static void test_get_id(void)
{
    Fixture f;
    uint64_t buf;
    uint32_t ulen;

    fixture_open(&f, "raw", false, false);
    buf = vh_alloc(&f.d, 20);
    memset(vh_gpa(buf), 0x77, 20);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_GET_ID, 0, buf, 20, true, &ulen), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpstr((char *)vh_gpa(buf), ==, "morph-serial-0123");
    g_assert_cmpuint(ulen, ==, strlen("morph-serial-0123") + 1 + 1);
    fixture_close(&f);
}

static uint64_t dwz_seg(Fixture *f, uint64_t sector, uint32_t n, uint32_t flags)
{
    uint64_t a = vh_alloc(&f->d, 16);
    uint8_t *p = vh_gpa(a);
    uint64_t s = GUINT64_TO_LE(sector);

    n = GUINT32_TO_LE(n);
    flags = GUINT32_TO_LE(flags);
    memcpy(p, &s, 8);
    memcpy(p + 8, &n, 4);
    memcpy(p + 12, &flags, 4);
    return a;
}

static void test_discard_write_zeroes(const char *format)
{
    Fixture f;
    uint8_t back[16 * 512], zero[16 * 512] = { 0 };

    fixture_open(&f, format, false, false);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_WRITE_ZEROES, 0, dwz_seg(&f, 64, 16, 0), 16, false,
                            NULL), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f.blk, 64 * 512, sizeof(back), back), >=, 0);
    g_assert_cmpmem(back, sizeof(back), zero, sizeof(zero));
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_WRITE_ZEROES, 0,
                            dwz_seg(&f, 128, 16, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP), 16, false,
                            NULL), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f.blk, 128 * 512, sizeof(back), back), >=, 0);
    g_assert_cmpmem(back, sizeof(back), zero, sizeof(zero));
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_DISCARD, 0, dwz_seg(&f, 256, 64, 0), 16, false,
                            NULL), ==, VIRTIO_BLK_S_OK);
    /* Unmap is not a discard flag; unknown flags neither. */
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_DISCARD, 0,
                            dwz_seg(&f, 256, 64, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP), 16, false,
                            NULL), ==, VIRTIO_BLK_S_UNSUPP);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_WRITE_ZEROES, 0, dwz_seg(&f, 0, 1, 0x10), 16, false,
                            NULL), ==, VIRTIO_BLK_S_UNSUPP);
    /* Past the end. */
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_DISCARD, 0, dwz_seg(&f, DISK_SECTORS - 1, 2, 0), 16,
                            false, NULL), ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_WRITE_ZEROES, 0,
                            dwz_seg(&f, UINT64_MAX - 1, 4, 0), 16, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    /* Two segments: more than max_discard_seg. */
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_DISCARD, 0, dwz_seg(&f, 0, 1, 0), 32, false, NULL),
                     ==, VIRTIO_BLK_S_UNSUPP);
    fixture_close(&f);
}

static void test_dwz_raw(void)
{
    test_discard_write_zeroes("raw");
}

static void test_dwz_qcow2(void)
{
    test_discard_write_zeroes("qcow2");
}

static void test_errors(void)
{
    Fixture f;
    uint64_t buf;

    fixture_open(&f, "qcow2", false, false);
    buf = vh_alloc(&f.d, 4096);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, DISK_SECTORS, buf, 512, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, buf, 1024, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, UINT64_MAX, buf, 512, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_OUT, UINT64_MAX / 512, buf, 512, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, 0, buf, 100, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_OUT, 0, buf, 513, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, 77, 0, buf, 512, true, NULL), ==, VIRTIO_BLK_S_UNSUPP);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_GET_LIFETIME, 0, buf, 16, true, NULL), ==,
                     VIRTIO_BLK_S_UNSUPP);
    /* Still healthy after all of that. */
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                     0);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, 0, buf, 4096, true, NULL), ==, VIRTIO_BLK_S_OK);
    fixture_close(&f);
}

static void test_read_only(void)
{
    Fixture f;
    uint64_t buf;

    fixture_open(&f, "raw", true, false);
    check_config(&f, true);
    buf = vh_alloc(&f.d, 512);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_OUT, 0, buf, 512, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_WRITE_ZEROES, 0, dwz_seg(&f, 0, 1, 0), 16, false,
                            NULL), ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_IN, 0, buf, 512, true, NULL), ==, VIRTIO_BLK_S_OK);
    fixture_close(&f);
}

static void test_many_in_flight(void)
{
    enum { N = 40 }; /* 3 descriptors each in a 128-entry ring */
    Fixture f;
    uint64_t bufs[N], st[N];
    uint16_t heads[N];
    bool seen[N] = { false };
    uint8_t expect[2 * 512];
    unsigned i, done = 0;

    fixture_open(&f, "qcow2", false, false);
    for (i = 0; i < N; i++) {
        bufs[i] = vh_alloc(&f.d, 1024);
        heads[i] = submit(&f, VIRTIO_BLK_T_IN, 2 * i + 1, bufs[i], 1024, true, &st[i]);
    }
    vh_kick(&f.d, 0);
    while (done < N) {
        uint32_t id;

        g_assert_true(vh_wait_used(&f.d, 0, &id, NULL, 10000));
        for (i = 0; i < N; i++) {
            if (heads[i] == id) {
                g_assert_false(seen[i]);
                seen[i] = true;
                break;
            }
        }
        g_assert_cmpuint(i, <, N);
        done++;
    }
    for (i = 0; i < N; i++) {
        g_assert_cmpuint(*vh_gpa(st[i]), ==, VIRTIO_BLK_S_OK);
        fill_pattern(expect, 2 * i + 1, 2);
        g_assert_cmpmem(vh_gpa(bufs[i]), 1024, expect, 1024);
    }
    fixture_close(&f);
}

static void test_any_layout(void)
{
    Fixture f;
    uint64_t hdr, data;
    uint8_t expect[512];
    uint32_t t = 0, id;
    uint64_t sector = GUINT64_TO_LE(5);
    VHBuf b[4];

    fixture_open(&f, "raw", false, false);
    /* The header in two pieces, the status in the same buffer as the data. */
    hdr = vh_alloc(&f.d, 16);
    data = vh_alloc(&f.d, 513);
    memcpy(vh_gpa(hdr), &t, 4);
    memcpy(vh_gpa(hdr + 8), &sector, 8);
    b[0] = (VHBuf){ hdr, 6, false };
    b[1] = (VHBuf){ hdr + 6, 10, false };
    b[2] = (VHBuf){ data, 513, true };
    vh_add_chain(&f.d, 0, b, 3);
    vh_kick(&f.d, 0);
    g_assert_true(vh_wait_used(&f.d, 0, &id, NULL, 10000));
    fill_pattern(expect, 5, 1);
    g_assert_cmpmem(vh_gpa(data), 512, expect, 512);
    g_assert_cmpuint(*vh_gpa(data + 512), ==, VIRTIO_BLK_S_OK);
    fixture_close(&f);
}

static void test_no_status_is_driver_error(void)
{
    Fixture f;
    uint64_t hdr;
    VHBuf b[1];
    uint32_t id;

    fixture_open(&f, "raw", false, false);
    hdr = vh_alloc(&f.d, 16);
    b[0] = (VHBuf){ hdr, 16, false };
    vh_add_chain(&f.d, 0, b, 1);
    vh_kick(&f.d, 0);
    g_assert_false(vh_wait_used(&f.d, 0, &id, NULL, 200));
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, !=,
                     0);
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG, !=, 0);
    /* A reset and a new setup bring it back. */
    f.d.heap = VH_RAM_BASE + 0x100000;
    vh_driver_setup(&f.d, ~0ULL, 1, 128);
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                     0);
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), ==, VIRTIO_BLK_S_OK);
    fixture_close(&f);
}

static void test_reset_in_flight(void)
{
    Fixture f;
    uint64_t buf, st;
    uint32_t id;
    unsigned i;

    fixture_open(&f, "qcow2", false, false);
    buf = vh_alloc(&f.d, 64 * 512);
    for (i = 0; i < 8; i++) {
        submit(&f, VIRTIO_BLK_T_IN, 0, buf, 64 * 512, true, &st);
    }
    vh_kick(&f.d, 0);
    /* Let the handler submit, then reset before the completions arrive. */
    main_loop_wait(main_loop_default(), false);
    vh_write(&f.d, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpuint(vh_read(&f.d, VIRTIO_MMIO_STATUS), ==, 0);
    blk_drain(f.blk);
    f.d.heap = VH_RAM_BASE + 0x100000 + 64 * 1024;
    vh_driver_setup(&f.d, ~0ULL, 1, 128);
    g_assert_false(vh_get_used(&f.d, 0, &id, NULL));
    g_assert_cmpuint(do_req(&f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), ==, VIRTIO_BLK_S_OK);
    fixture_close(&f);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("morph-virtio-blk-XXXXXX", NULL);
    g_test_add_func("/virtio-blk/rw-raw", test_rw_raw);
    g_test_add_func("/virtio-blk/rw-qcow2", test_rw_qcow2);
    g_test_add_func("/virtio-blk/rw-raw-legacy", test_rw_raw_legacy);
    g_test_add_func("/virtio-blk/get-id", test_get_id);
    g_test_add_func("/virtio-blk/discard-write-zeroes-raw", test_dwz_raw);
    g_test_add_func("/virtio-blk/discard-write-zeroes-qcow2", test_dwz_qcow2);
    g_test_add_func("/virtio-blk/errors", test_errors);
    g_test_add_func("/virtio-blk/read-only", test_read_only);
    g_test_add_func("/virtio-blk/many-in-flight", test_many_in_flight);
    g_test_add_func("/virtio-blk/any-layout", test_any_layout);
    g_test_add_func("/virtio-blk/no-status-driver-error", test_no_status_is_driver_error);
    g_test_add_func("/virtio-blk/reset-in-flight", test_reset_in_flight);
    ret = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
