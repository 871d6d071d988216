/*
 * morph-img snapshot, commit and rebase (qemu-img's img_snapshot,
 * img_commit, img_rebase): the verbs that change how images relate,
 * internally (snapshots) or along a backing chain.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "img.h"

int img_snapshot(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    enum { SN_NONE, SN_LIST, SN_CREATE, SN_APPLY, SN_DELETE } action = SN_NONE;
    const char *name = NULL, *fmt = NULL;
    bool quiet = false;
    BlockBackend *blk;
    Error *err = NULL;
    int c, ret = 0;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":la:c:d:f:hqU", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
        case 'a':
        case 'c':
        case 'd':
            if (action != SN_NONE) {
                return img_usage_error("Cannot mix '-l', '-a', '-c', '-d'");
            }
            action = c == 'l' ? SN_LIST : c == 'a' ? SN_APPLY : c == 'c' ? SN_CREATE : SN_DELETE;
            name = optarg;
            break;
        case 'f':
            fmt = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img snapshot [-q] [-l | -a snapshot | -c snapshot | "
                   "-d snapshot] filename\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error("Expecting one image file name");
    }
    if (action == SN_NONE) {
        action = SN_LIST;
    }
    blk = img_open(argv[optind], fmt,
                   (action == SN_LIST ? 0 : BDRV_O_RDWR) | BDRV_O_NO_BACKING, quiet);
    if (!blk) {
        return 1;
    }
    switch (action) {
    case SN_LIST: {
        BlockSnapshotInfo *sn;
        int n = bdrv_snapshot_list(blk_bs(blk), &sn);
        if (n > 0) {
            printf("Snapshot list:\n");
            img_dump_snapshot_header();
            for (int i = 0; i < n; i++) {
                img_dump_snapshot(&sn[i]);
            }
        }
        g_free(sn);
        break;
    }
    case SN_CREATE: {
        BlockSnapshotInfo sn = { 0 };
        int64_t now = g_get_real_time();
        g_strlcpy(sn.name, name, sizeof(sn.name));
        sn.date_sec = (uint32_t)(now / 1000000);
        sn.date_nsec = (uint32_t)(now % 1000000) * 1000;
        sn.icount = 0;
        if (bdrv_snapshot_create(blk_bs(blk), &sn, &err) < 0) {
            error_report("Could not create snapshot '%s': %s", name, error_get_pretty(err));
            error_free(err);
            ret = 1;
        }
        break;
    }
    case SN_APPLY:
        if (bdrv_snapshot_goto(blk_bs(blk), name, &err) < 0) {
            error_report("Could not apply snapshot '%s': %s", name, error_get_pretty(err));
            error_free(err);
            ret = 1;
        }
        break;
    case SN_DELETE:
        if (bdrv_snapshot_delete(blk_bs(blk), name, NULL, &err) < 0) {
            error_report("Could not delete snapshot '%s': %s", name, error_get_pretty(err));
            error_free(err);
            ret = 1;
        }
        break;
    default:
        break;
    }
    blk_unref(blk);
    return ret;
}

int img_commit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *base = NULL, *cache = "writeback";
    bool quiet = false, drop = false, progress = false, wt = false;
    BlockBackend *top = NULL;
    BlockDriverState *base_ro, *base_rw = NULL;
    Error *err = NULL;
    uint8_t *buf = NULL;
    int c, ret = 1, flags = BDRV_O_RDWR;
    int64_t len, off = 0;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":f:ht:b:dpqr:U", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 't':
            cache = optarg;
            break;
        case 'b':
            base = optarg;
            drop = true;   /* -b implies -d, as in qemu-img */
            break;
        case 'd':
            drop = true;
            break;
        case 'p':
            progress = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'r':
        case 'U':
            break;
        case 'h':
            printf("usage: morph-img commit [-q] [-f fmt] [-t cache] [-b base] [-d] [-p] "
                   "filename\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (quiet) {
        progress = false;
    }
    if (optind != argc - 1) {
        return img_usage_error("Expecting one image file name");
    }
    if (!img_parse_cache(cache, &flags, &wt)) {
        return 1;
    }
    top = img_open(argv[optind], fmt, flags, quiet);
    if (!top) {
        return 1;
    }
    base_ro = bdrv_get_backing(blk_bs(top));
    if (!base_ro) {
        error_report("Image does not have a backing file");
        goto out;
    }
    if (base) {
        /* Find the named base along the chain. */
        BlockDriverState *p = base_ro;
        char *want = realpath(base, NULL);
        while (p) {
            char *have = realpath(bdrv_get_filename(p), NULL);
            bool match = want && have && !strcmp(want, have);
            free(have);
            if (match) {
                break;
            }
            p = bdrv_get_backing(p);
        }
        free(want);
        if (!p) {
            error_report("Did not find '%s' in the backing chain of '%s'", base, argv[optind]);
            goto out;
        }
        base_ro = p;
    }
    base_rw = bdrv_open(bdrv_get_filename(base_ro), bdrv_get_format_name(base_ro), NULL,
                        (flags & ~BDRV_O_SNAPSHOT) | BDRV_O_NO_BACKING | BDRV_O_NO_PROBE_WARN,
                        &err);
    if (!base_rw) {
        error_report("Could not open the base image for writing: %s", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    len = blk_getlength(top);
    if (bdrv_getlength(base_rw) < len) {
        if (bdrv_truncate(base_rw, len, false, PREALLOC_MODE_OFF, &err) < 0) {
            error_report("Top image is larger than base image, and base image could not be "
                         "resized: %s", error_get_pretty(err));
            error_free(err);
            goto out;
        }
    }
    buf = blk_blockalign(2 << 20);
    while (off < len) {
        int64_t pnum;
        int r = bdrv_is_allocated_above(blk_bs(top), base_ro, off, MIN(len - off, 2 << 20),
                                        &pnum);
        if (r < 0) {
            error_report("Block status failed: %s", strerror(-r));
            goto out;
        }
        if (r) {
            r = blk_pread(top, off, pnum, buf);
            if (r == 0) {
                r = bdrv_pwrite(base_rw, off, pnum, buf, 0);
            }
            if (r < 0) {
                error_report("Error while committing: %s", strerror(-r));
                goto out;
            }
        }
        off += MAX(pnum, 1);
        img_progress(progress, off * 100.0 / len);
    }
    if (bdrv_flush(base_rw) < 0) {
        error_report("Error while flushing the base image");
        goto out;
    }
    if (!drop && base_ro == bdrv_get_backing(blk_bs(top))) {
        if (bdrv_make_empty(blk_bs(top)) < 0) {
            error_report("Could not empty %s", argv[optind]);
            goto out;
        }
    }
    if (progress) {
        printf("\n");
    }
    if (!quiet) {
        printf("Image committed.\n");
    }
    ret = 0;
out:
    blk_free(buf);
    bdrv_unref(base_rw);
    blk_unref(top);
    return ret;
}

int img_rebase(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_base = NULL, *out_fmt = NULL, *cache = "writeback";
    bool quiet = false, unsafe = false, progress = false, wt = false;
    BlockBackend *blk = NULL;
    BlockDriverState *newb = NULL;
    Error *err = NULL;
    uint8_t *b1 = NULL, *b2 = NULL;
    int c, ret = 1, flags = BDRV_O_RDWR;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hf:F:b:upt:T:qU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'F':
            out_fmt = optarg;
            break;
        case 'b':
            out_base = optarg;
            break;
        case 'u':
            unsafe = true;
            break;
        case 'p':
            progress = true;
            break;
        case 't':
            cache = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'T':
        case 'U':
            break;
        case 'h':
            printf("usage: morph-img rebase [-q] [-f fmt] [-t cache] [-p] [-u] -b backing_file "
                   "[-F backing_fmt] filename\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (quiet) {
        progress = false;
    }
    if (optind != argc - 1) {
        return img_usage_error("Expecting one image file name");
    }
    if (!out_base) {
        return img_usage_error("Must specify backing file (-b) or use unsafe mode (-u)");
    }
    if (!img_parse_cache(cache, &flags, &wt)) {
        return 1;
    }
    blk = img_open(argv[optind], fmt, flags | (unsafe ? BDRV_O_NO_BACKING : 0), quiet);
    if (!blk) {
        return 1;
    }
    if (*out_base && !out_fmt && !unsafe) {
        /* The format is recorded in the image: probe it now, as qemu-img does. */
        char *path = bdrv_path_combine(argv[optind], out_base);
        newb = bdrv_open(path, NULL, NULL, BDRV_O_NO_PROBE_WARN, &err);
        g_free(path);
        if (newb) {
            out_fmt = bdrv_get_format_name(newb);
        }
    } else if (*out_base && !unsafe) {
        char *path = bdrv_path_combine(argv[optind], out_base);
        newb = bdrv_open(path, out_fmt, NULL, BDRV_O_NO_PROBE_WARN, &err);
        g_free(path);
    }
    if (*out_base && !unsafe && !newb) {
        error_report("Could not open new backing file '%s': %s", out_base,
                     error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (!unsafe) {
        /* Where the image falls through, old and new backing must read the same. */
        int64_t len = blk_getlength(blk), off = 0;
        int64_t nlen = newb ? bdrv_getlength(newb) : 0;
        BlockDriverState *bs = blk_bs(blk);
        const int64_t chunk = 64 * 1024;

        b1 = blk_blockalign(chunk);
        b2 = blk_blockalign(chunk);
        while (off < len) {
            int64_t pnum, n;
            int r = bdrv_block_status(bs, off, MIN(len - off, chunk), &pnum, NULL, NULL);
            if (r < 0) {
                error_report("error while reading image metadata: %s", strerror(-r));
                goto out;
            }
            n = MAX(pnum, 1);
            if (!(r & BDRV_BLOCK_ALLOCATED)) {
                int64_t in_new = MAX(0, MIN(n, nlen - off));
                r = blk_pread(blk, off, n, b1);
                memset(b2, 0, n);
                if (r == 0 && in_new > 0) {
                    r = bdrv_pread(newb, off, in_new, b2, 0);
                }
                if (r == 0 && memcmp(b1, b2, n)) {
                    r = blk_pwrite(blk, off, n, b1, 0);
                }
                if (r < 0) {
                    error_report("error while rebasing at offset %" PRId64 ": %s", off,
                                 strerror(-r));
                    goto out;
                }
            }
            off += n;
            img_progress(progress, off * 100.0 / len);
        }
    }
    if (bdrv_change_backing_file(blk_bs(blk), *out_base ? out_base : NULL,
                                 *out_base ? out_fmt : NULL, &err) < 0) {
        error_report("Could not change the backing file to '%s': %s", out_base,
                     error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (progress) {
        printf("\n");
    }
    ret = 0;
out:
    blk_free(b1);
    blk_free(b2);
    bdrv_unref(newb);
    blk_unref(blk);
    return ret;
}
