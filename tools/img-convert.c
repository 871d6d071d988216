/*
 * morph-img convert and compare (qemu-img's img_convert/img_compare).
 * convert copies guest data between formats, skipping what reads as zero
 * (block status, then -S sparse detection) when the new target is known
 * to read as zero, and writes compressed clusters with -c.  compare exits
 * 0 when the guest-visible contents are equal, 1 when they differ and 2
 * on error, naming the first differing sector.
 */
#include <getopt.h>
#include <string.h>

#include "img.h"

enum {
    IMG_CONVERT_CHUNK = 2 << 20,
    IMG_COMPARE_CHUNK = 1 << 20,
};

typedef struct ImgConvert {
    BlockBackend *target;
    int64_t cluster_size;    /* -c: data is written in whole clusters */
    bool compress;
    bool target_zero;        /* the target reads as zeroes where we write nothing */
    int64_t sparse;          /* -S: zero runs of this many bytes are not written */
    int64_t done;
    int64_t total;
    bool progress;
} ImgConvert;

/* Write one chunk of data, leaving out zero runs of at least -S bytes. */
static int img_convert_write(ImgConvert *cv, int64_t off, uint8_t *buf, int64_t len)
{
    int flags = cv->compress ? BDRV_REQ_WRITE_COMPRESSED : 0;
    int64_t unit = cv->sparse > 0 ? cv->sparse : len;
    int64_t pos = 0;

    if (cv->compress) {
        /* Compressed writes go cluster by cluster; zero clusters are left out. */
        unit = cv->cluster_size;
    }
    while (pos < len) {
        int64_t n = MIN(unit - (off + pos) % unit, len - pos);
        bool zero = (cv->sparse > 0 || cv->compress) && blkiov_buffer_is_zero(buf + pos, n);
        int ret;

        if (zero && cv->target_zero) {
            ret = 0;
        } else if (zero) {
            ret = blk_pwrite_zeroes(cv->target, off + pos, n, 0);
        } else {
            ret = blk_pwrite(cv->target, off + pos, n, buf + pos, flags);
        }
        if (ret < 0) {
            return ret;
        }
        pos += n;
    }
    return 0;
}

static int img_convert_source(ImgConvert *cv, BlockBackend *src, int64_t dst_off, uint8_t *buf)
{
    int64_t len = blk_getlength(src), off = 0;

    while (off < len) {
        int64_t pnum, n;
        int st = bdrv_block_status_above(blk_bs(src), NULL, off, MIN(len - off, IMG_CONVERT_CHUNK),
                                         &pnum, NULL, NULL, NULL);
        int ret;

        if (st < 0) {
            return st;
        }
        n = MAX(pnum, 1);
        if (cv->compress && ((dst_off + off + n) % cv->cluster_size) && off + n < len) {
            /* Compressed clusters are written whole: extend data to the boundary. */
            int64_t end = ((dst_off + off + n) / cv->cluster_size + 1) * cv->cluster_size;
            n = MIN(end - dst_off, len) - off;
            st = BDRV_BLOCK_DATA;
        }
        if ((st & BDRV_BLOCK_ZERO) || !(st & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED))) {
            ret = cv->target_zero ? 0 : blk_pwrite_zeroes(cv->target, dst_off + off, n, 0);
        } else {
            ret = blk_pread(src, off, n, buf);
            if (ret == 0) {
                ret = img_convert_write(cv, dst_off + off, buf, n);
            }
        }
        if (ret < 0) {
            return ret;
        }
        off += n;
        cv->done += n;
        img_progress(cv->progress, cv->total ? cv->done * 100.0 / cv->total : 100.0);
    }
    return 0;
}

int img_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { "target-is-zero", no_argument, NULL, 'Z' },
        { "salvage", no_argument, NULL, 'V' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *backing = NULL, *backing_fmt = NULL;
    const char *cache = "unsafe", *src_cache = NULL, *out_name;
    char *optstr = NULL;
    bool quiet = false, skip_create = false, target_is_zero = false, wt = false;
    ImgConvert cv = { .sparse = 4096 };
    BlockCreateOptions co = { .size = -1 };
    BlockBackend **srcs = NULL;
    Opts *opts = NULL;
    Error *err = NULL;
    int nsrc, c, ret = 1, src_flags = 0, flags = BDRV_O_RDWR;
    uint8_t *buf = NULL;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hf:O:B:F:co:l:S:pt:T:qnm:WUr:C", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'O':
            out_fmt = optarg;
            break;
        case 'B':
            backing = optarg;
            break;
        case 'F':
            backing_fmt = optarg;
            break;
        case 'c':
            cv.compress = true;
            break;
        case 'o':
            optstr = img_join_opts(optstr, optarg);
            break;
        case 'S': {
            uint64_t v;
            if (!parse_size(optarg, 1, &v) || v > INT32_MAX || (v && v % 512)) {
                error_report("Invalid buffer size for sparse output specified. Valid sizes "
                             "are multiples of 512 up to 2147483136.");
                goto out;
            }
            cv.sparse = (int64_t)v;
            break;
        }
        case 'p':
            cv.progress = true;
            break;
        case 't':
            cache = optarg;
            break;
        case 'T':
            src_cache = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'n':
            skip_create = true;
            break;
        case 'Z':
            target_is_zero = true;
            break;
        case 'l':
            error_report("Converting from an internal snapshot (-l) is not supported; apply it "
                         "with 'snapshot -a' on a copy first");
            goto out;
        case 'm':
        case 'W':
        case 'U':
        case 'r':
        case 'C':
        case 'V':
        case 'I':
            /* Performance and sharing hints: accepted, nothing to change here. */
            break;
        case 'h':
            printf("usage: morph-img convert [-c] [-p] [-q] [-n] [-f fmt] [-O output_fmt] "
                   "[-B backing_file [-F backing_fmt]] [-o options] [-S sparse_size] "
                   "filename [filename2 [...]] output_filename\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (quiet) {
        cv.progress = false;
    }
    nsrc = argc - optind - 1;
    if (nsrc < 1) {
        error_report("Expecting image file name");
        goto out;
    }
    out_name = argv[argc - 1];
    if (!bdrv_format_is_known(out_fmt) || !strcmp(out_fmt, "file")) {
        error_report("Unknown file format '%s'", out_fmt);
        goto out;
    }
    if (cv.compress && strcmp(out_fmt, "qcow2")) {
        error_report("Compression not supported for this file format");
        goto out;
    }
    if (src_cache && !img_parse_cache(src_cache, &src_flags, &wt)) {
        goto out;
    }
    if (!img_parse_cache(cache, &flags, &wt)) {
        goto out;
    }
    srcs = g_new0(BlockBackend *, nsrc);
    co.size = 0;
    for (int i = 0; i < nsrc; i++) {
        srcs[i] = img_open(argv[optind + i], fmt, src_flags, quiet);
        if (!srcs[i]) {
            goto out;
        }
        co.size += blk_getlength(srcs[i]);
    }
    cv.total = co.size;
    if (!skip_create) {
        opts = opts_parse(optstr ? optstr : "", NULL, &err);
        if (!opts || !bdrv_create_opts_parse(out_fmt, opts, &co, &err)) {
            error_report("%s", error_get_pretty(err));
            error_free(err);
            goto out;
        }
        co.filename = out_name;
        if (backing) {
            co.backing_file = backing;
            co.backing_fmt = backing_fmt;
        }
        if (co.backing_file && !co.backing_fmt) {
            error_report("%s: Backing file specified without backing format", out_name);
            goto out;
        }
        if (bdrv_create(out_fmt, &co, &err) < 0) {
            error_report("%s: %s", out_name, error_get_pretty(err));
            error_free(err);
            goto out;
        }
    }
    cv.target = img_open(out_name, skip_create ? NULL : out_fmt, flags | BDRV_O_NO_PROBE_WARN,
                         quiet);
    if (!cv.target) {
        goto out;
    }
    if (skip_create && blk_getlength(cv.target) < co.size) {
        error_report("Output image is too small");
        goto out;
    }
    if (cv.compress) {
        BlockDriverInfo bdi;
        cv.cluster_size = bdrv_get_info(blk_bs(cv.target), &bdi) == 0 && bdi.cluster_size ?
                          bdi.cluster_size : 65536;
    }
    cv.target_zero = (!skip_create && !co.backing_file) || target_is_zero;
    buf = blk_blockalign(2 * IMG_CONVERT_CHUNK); /* a chunk may grow to a cluster end */
    img_progress(cv.progress, 0.0);
    {
        int64_t off = 0;
        for (int i = 0; i < nsrc; i++) {
            int r = img_convert_source(&cv, srcs[i], off, buf);
            if (r < 0) {
                error_report("error while converting %s: %s", out_fmt, strerror(-r));
                goto out;
            }
            off += blk_getlength(srcs[i]);
        }
    }
    if (blk_flush(cv.target) < 0) {
        error_report("error while flushing %s", out_name);
        goto out;
    }
    img_progress(cv.progress, 100.0);
    if (cv.progress) {
        printf("\n");
    }
    ret = 0;
out:
    blk_free(buf);
    if (cv.target) {
        blk_unref(cv.target);
    }
    for (int i = 0; srcs && i < nsrc; i++) {
        if (srcs[i]) {
            blk_unref(srcs[i]);
        }
    }
    g_free(srcs);
    opts_free(opts);
    g_free(optstr);
    return ret;
}

/* ---- compare ------------------------------------------------------------------- */

/* First differing 512-byte sector between two buffers, or -1. */
static int64_t img_first_diff(const uint8_t *a, const uint8_t *b, int64_t len)
{
    for (int64_t i = 0; i < len; i += 512) {
        int64_t n = MIN(512, len - i);
        if (memcmp(a + i, b + i, n)) {
            return i;
        }
    }
    return -1;
}

/* Returns 0 equal, 1 different (message printed), <0 error. */
static int img_compare_rest(BlockBackend *blk, int64_t from, int64_t to, uint8_t *buf, bool quiet)
{
    while (from < to) {
        int64_t pnum, n;
        int st = bdrv_block_status_above(blk_bs(blk), NULL, from, to - from, &pnum, NULL, NULL,
                                         NULL);
        if (st < 0) {
            return st;
        }
        n = MIN(MAX(pnum, 1), IMG_COMPARE_CHUNK);
        if (!(st & BDRV_BLOCK_ZERO) && (st & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED))) {
            int ret = blk_pread(blk, from, n, buf);
            if (ret < 0) {
                return ret;
            }
            for (int64_t i = 0; i < n; i += 512) {
                if (!blkiov_buffer_is_zero(buf + i, MIN(512, n - i))) {
                    if (!quiet) {
                        printf("Content mismatch at offset %" PRId64 "!\n", from + i);
                    }
                    return 1;
                }
            }
        }
        from += n;
    }
    return 0;
}

int img_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt1 = NULL, *fmt2 = NULL, *cache = NULL;
    bool quiet = false, strict = false, progress = false, wt = false;
    BlockBackend *b1 = NULL, *b2 = NULL;
    uint8_t *buf1 = NULL, *buf2 = NULL;
    int64_t len1, len2, common, off = 0;
    int c, ret = 2, flags = 0;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hf:F:T:pqsU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt1 = optarg;
            break;
        case 'F':
            fmt2 = optarg;
            break;
        case 'T':
            cache = optarg;
            break;
        case 'p':
            progress = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            strict = true;
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img compare [-f fmt] [-F fmt] [-p] [-q] [-s] filename1 "
                   "filename2\n");
            return 0;
        case ':':
            img_usage_error("argument to '%s' is missing", argv[optind - 1]);
            return 2;
        default:
            img_usage_error("unrecognized option '%s'", argv[optind - 1]);
            return 2;
        }
    }
    if (quiet) {
        progress = false;
    }
    if (optind != argc - 2) {
        error_report("Expecting two image file names");
        return 2;
    }
    if (cache && !img_parse_cache(cache, &flags, &wt)) {
        return 2;
    }
    b1 = img_open(argv[optind], fmt1, flags, quiet);
    if (!b1) {
        return 2;
    }
    b2 = img_open(argv[optind + 1], fmt2, flags, quiet);
    if (!b2) {
        goto out;
    }
    len1 = blk_getlength(b1);
    len2 = blk_getlength(b2);
    if (len1 < 0 || len2 < 0) {
        error_report("Can't get size of image");
        goto out;
    }
    if (strict && len1 != len2) {
        if (!quiet) {
            printf("Strict mode: Image size mismatch!\n");
        }
        ret = 1;
        goto out;
    }
    common = MIN(len1, len2);
    buf1 = blk_blockalign(IMG_COMPARE_CHUNK);
    buf2 = blk_blockalign(IMG_COMPARE_CHUNK);
    img_progress(progress, 0.0);
    while (off < common) {
        int64_t p1, p2, n;
        int s1 = bdrv_block_status_above(blk_bs(b1), NULL, off, common - off, &p1, NULL, NULL,
                                         NULL);
        int s2 = bdrv_block_status_above(blk_bs(b2), NULL, off, common - off, &p2, NULL, NULL,
                                         NULL);
        bool z1, z2;

        if (s1 < 0 || s2 < 0) {
            error_report("Sector allocation test failed for %s",
                         s1 < 0 ? argv[optind] : argv[optind + 1]);
            goto out;
        }
        n = MIN(MIN(MAX(p1, 1), MAX(p2, 1)), IMG_COMPARE_CHUNK);
        z1 = (s1 & BDRV_BLOCK_ZERO) || !(s1 & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED));
        z2 = (s2 & BDRV_BLOCK_ZERO) || !(s2 & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED));
        if (strict && ((s1 & BDRV_BLOCK_ALLOCATED) != (s2 & BDRV_BLOCK_ALLOCATED))) {
            if (!quiet) {
                printf("Strict mode: Offset %" PRId64 " block status mismatch!\n", off);
            }
            ret = 1;
            goto out;
        }
        if (!(z1 && z2)) {
            int64_t d;
            if (blk_pread(b1, off, n, buf1) < 0) {
                error_report("Error while reading offset %" PRId64 " of %s", off, argv[optind]);
                goto out;
            }
            if (blk_pread(b2, off, n, buf2) < 0) {
                error_report("Error while reading offset %" PRId64 " of %s", off,
                             argv[optind + 1]);
                goto out;
            }
            d = img_first_diff(buf1, buf2, n);
            if (d >= 0) {
                if (!quiet) {
                    printf("Content mismatch at offset %" PRId64 "!\n", off + d);
                }
                ret = 1;
                goto out;
            }
        }
        off += n;
        img_progress(progress, off * 100.0 / MAX(common, 1));
    }
    if (len1 != len2) {
        int r;
        if (!quiet) {
            printf("Warning: Image size mismatch!\n");
        }
        r = len1 > len2 ? img_compare_rest(b1, common, len1, buf1, quiet)
                        : img_compare_rest(b2, common, len2, buf1, quiet);
        if (r != 0) {
            ret = r < 0 ? 2 : 1;
            goto out;
        }
    }
    img_progress(progress, 100.0);
    if (!quiet) {
        printf("Images are identical.\n");
    }
    ret = 0;
out:
    blk_free(buf1);
    blk_free(buf2);
    if (b2) {
        blk_unref(b2);
    }
    blk_unref(b1);
    return ret;
}
