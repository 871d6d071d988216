/*
 * Fuzz target for the qcow2 driver: every input is written to a file and
 * opened as a qcow2 image (backing files are not followed), then read,
 * block-status-walked, checked and, on a copy, written to and checked
 * again.  Any crash, sanitizer report or hang is a bug: hostile images
 * must end in clean errors (docs/fuzzing.md).
 *
 * Built two ways: with -DFUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target (LLVMFuzzerTestOneInput); otherwise main() replays a
 * corpus (files or directories) and, with --mutate N, N deterministic
 * mutations of each input, reporting TAP so that `meson test` runs it.
 */
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_path;

/* Read at most this much guest data per input: claimed sizes can be huge. */
enum {
    FUZZ_READ_LIMIT = 4 << 20,
    FUZZ_CHUNK = 256 * 1024,
    FUZZ_CHECK_LIMIT = 64 << 20,
};

static void fuzz_exercise(BlockDriverState *bs, bool writable)
{
    int64_t len = bdrv_getlength(bs);
    uint8_t *buf = g_malloc(FUZZ_CHUNK);
    BdrvCheckResult res;
    BlockSnapshotInfo *sn;
    int64_t off;

    if (len < 0) {
        g_free(buf);
        return;
    }
    /* The beginning of the disk, and a few probes across the claimed size. */
    for (off = 0; off < MIN(len, FUZZ_READ_LIMIT); off += FUZZ_CHUNK) {
        bdrv_pread(bs, off, MIN(FUZZ_CHUNK, len - off), buf, 0);
    }
    for (int i = 1; i < 8 && len > FUZZ_CHUNK; i++) {
        int64_t p = (len / 8) * i & ~511LL;
        bdrv_pread(bs, p, MIN(4096, len - p), buf, 0);
    }
    for (off = 0; off < MIN(len, FUZZ_READ_LIMIT * 4);) {
        int64_t pnum = 0;
        if (bdrv_block_status_above(bs, NULL, off, len - off, &pnum, NULL, NULL, NULL) < 0 ||
            pnum <= 0) {
            break;
        }
        off += pnum;
    }
    g_free(bdrv_snapshot_list(bs, &sn) >= 0 ? sn : NULL);
    /* A check walks every cluster of the file: keep it to files of fuzzing size. */
    if (bdrv_getlength(bdrv_get_file(bs)) > FUZZ_CHECK_LIMIT) {
        g_free(buf);
        return;
    }
    bdrv_check(bs, &res, 0);
    bdrv_check_result_clear(&res);
    if (writable && len >= 8192 && bdrv_getlength(bdrv_get_file(bs)) <= FUZZ_CHECK_LIMIT) {
        memset(buf, 0x5a, 8192);
        bdrv_pwrite(bs, 0, 4096, buf, 0);
        bdrv_pwrite(bs, (len / 2) & ~511LL, 4096, buf, 0);
        bdrv_pwrite_zeroes(bs, 0, MIN(len, 1 << 20), 0);
        bdrv_flush(bs);
        if (bdrv_getlength(bdrv_get_file(bs)) <= FUZZ_CHECK_LIMIT) {
            bdrv_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
            bdrv_check_result_clear(&res);
        }
    }
    g_free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Error *err = NULL;
    BlockDriverState *bs;

    if (!fuzz_path) {
        const char *dir = g_get_tmp_dir();
        fuzz_path = g_strdup_printf("%s/morph-fuzz-qcow2-%d.img", dir, (int)getpid());
    }
    if (!g_file_set_contents(fuzz_path, (const char *)data, (gssize)size, NULL)) {
        return 0;
    }
    bs = bdrv_open(fuzz_path, "qcow2", NULL, BDRV_O_NO_BACKING, &err);
    error_free(err);
    err = NULL;
    if (bs) {
        fuzz_exercise(bs, false);
        bdrv_unref(bs);
    }
    /* Writable open on the same bytes: allocation paths on hostile metadata. */
    bs = bdrv_open(fuzz_path, "qcow2", NULL, BDRV_O_NO_BACKING | BDRV_O_RDWR | BDRV_O_NO_FLUSH,
                   &err);
    error_free(err);
    if (bs) {
        fuzz_exercise(bs, true);
        bdrv_unref(bs);
    }
    unlink(fuzz_path);
    return 0;
}

#ifndef FUZZ_LIBFUZZER
static uint64_t fuzz_rng = 0x9e3779b97f4a7c15ULL;

static uint64_t fuzz_rand(void)
{
    fuzz_rng ^= fuzz_rng >> 12;
    fuzz_rng ^= fuzz_rng << 25;
    fuzz_rng ^= fuzz_rng >> 27;
    return fuzz_rng * 2685821657736338717ULL;
}

/* Mutations aimed at metadata: the header cluster and 8-byte table entries. */
static void fuzz_mutate(uint8_t *d, size_t n)
{
    int edits = 1 + (int)(fuzz_rand() % 4);

    for (int e = 0; e < edits; e++) {
        size_t pos = (fuzz_rand() % 2) ? fuzz_rand() % MIN(n, 512) : fuzz_rand() % n;
        switch (fuzz_rand() % 4) {
        case 0:
            d[pos] ^= (uint8_t)(1u << (fuzz_rand() % 8));
            break;
        case 1:
            d[pos] = (uint8_t)fuzz_rand();
            break;
        case 2: {
            /* An "interesting" 64-bit value at an aligned place. */
            static const uint64_t vals[] = { 0, 1, 0x200, 0x10000, 0x7fffffffffffffffULL,
                                             0xffffffffffffffffULL, 0x8000000000000000ULL,
                                             0x4000000000000000ULL, 0x00fffffffffffe00ULL };
            uint64_t v = vals[fuzz_rand() % G_N_ELEMENTS(vals)];
            pos &= ~(size_t)7;
            for (int i = 0; i < 8 && pos + i < n; i++) {
                d[pos + i] = (uint8_t)(v >> (56 - 8 * i));
            }
            break;
        }
        default:
            d[pos] = 0xff;
            break;
        }
    }
}

static int fuzz_run_file(const char *path, int mutations, int *tap_n, bool tap)
{
    gchar *data;
    gsize len;

    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "fuzz-qcow2: cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((uint8_t *)data, len);
    for (int m = 0; m < mutations && len > 0; m++) {
        uint8_t *copy = g_memdup2(data, len);
        gint64 t0 = g_get_monotonic_time();
        fuzz_mutate(copy, len);
        LLVMFuzzerTestOneInput(copy, len);
        if (g_getenv("FUZZ_SLOW") && g_get_monotonic_time() - t0 > 500000) {
            char *p = g_strdup_printf("%s/slow-%d.qcow2", g_getenv("FUZZ_SLOW"), m);
            g_file_set_contents(p, (char *)copy, (gssize)len, NULL);
            fprintf(stderr, "slow input (%d ms): %s\n",
                    (int)((g_get_monotonic_time() - t0) / 1000), p);
            g_free(p);
        }
        g_free(copy);
    }
    if (tap) {
        printf("ok %d - %s (+%d mutations)\n", ++*tap_n, path, mutations);
        fflush(stdout);
    }
    g_free(data);
    return 0;
}

static gint fuzz_path_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    int mutations = 0, n = 0, ret = 0;
    bool tap = false;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tap")) {
            tap = true;
        } else if (!strcmp(argv[i], "--mutate") && i + 1 < argc) {
            mutations = atoi(argv[++i]);
        } else if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            GDir *d = g_dir_open(argv[i], 0, NULL);
            const char *name;
            GPtrArray *sorted = g_ptr_array_new();
            while (d && (name = g_dir_read_name(d))) {
                g_ptr_array_add(sorted, g_build_filename(argv[i], name, NULL));
            }
            g_ptr_array_sort(sorted, fuzz_path_cmp);
            for (guint j = 0; j < sorted->len; j++) {
                g_ptr_array_add(files, g_ptr_array_index(sorted, j));
            }
            g_free(g_ptr_array_free(sorted, false));
            if (d) {
                g_dir_close(d);
            }
        } else {
            g_ptr_array_add(files, g_strdup(argv[i]));
        }
    }
    if (files->len == 0) {
        fprintf(stderr, "usage: fuzz-qcow2 [--tap] [--mutate N] CORPUS_DIR_OR_FILE...\n");
        return 1;
    }
    if (tap) {
        printf("1..%u\n", files->len);
    }
    for (guint i = 0; i < files->len; i++) {
        ret |= fuzz_run_file(g_ptr_array_index(files, i), mutations, &n, tap);
    }
    g_ptr_array_free(files, true);
    return ret;
}
#endif
