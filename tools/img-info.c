/*
 * morph-img create and info (qemu-img's img_create/img_info and the
 * human and JSON image info of QEMU's block/qapi.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "img.h"

static bool img_parse_image_size(const char *s, int64_t *out)
{
    uint64_t v;

    if (s[0] == '-') {
        error_report("Image size must be less than 8 EiB!");
        return false;
    }
    if (!parse_size(s, 1, &v)) {
        error_report("Invalid image size specified. You may use k, M, G, T, P or E suffixes "
                     "for");
        error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        return false;
    }
    if (v > INT64_MAX) {
        error_report("Image size must be less than 8 EiB!");
        return false;
    }
    *out = (int64_t)v;
    return true;
}

static void img_print_formatting(const char *filename, const char *fmt,
                                 const BlockCreateOptions *co)
{
    printf("Formatting '%s', fmt=%s", filename, fmt);
    if (!strcmp(fmt, "qcow2")) {
        printf(" cluster_size=%d", co->cluster_size ? co->cluster_size : 65536);
        printf(" extended_l2=off compression_type=%s",
               co->compression_type ? co->compression_type : "zlib");
    }
    printf(" size=%" PRId64, co->size);
    if (co->compat) {
        printf(" compat=%s", co->compat);
    }
    if (co->backing_file) {
        printf(" backing_file=%s", co->backing_file);
    }
    if (co->backing_fmt) {
        printf(" backing_fmt=%s", co->backing_fmt);
    }
    if (co->prealloc != PREALLOC_MODE_OFF) {
        printf(" preallocation=%s", prealloc_mode_name(co->prealloc));
    }
    if (!strcmp(fmt, "qcow2")) {
        printf(" lazy_refcounts=%s refcount_bits=%d", co->lazy_refcounts ? "on" : "off",
               co->refcount_bits ? co->refcount_bits : 16);
    }
    printf("\n");
}

int img_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, 'O' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = "raw", *base = NULL, *base_fmt = NULL, *filename;
    char *optstr = NULL;
    bool quiet = false, unsafe = false;
    BlockCreateOptions co = { .size = -1 };
    Opts *opts = NULL;
    Error *err = NULL;
    int c, ret = 1;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":F:b:f:ho:qu", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'b':
            base = optarg;
            break;
        case 'F':
            base_fmt = optarg;
            break;
        case 'o':
            if (!strcmp(optarg, "help") || !strcmp(optarg, "?")) {
                const char *help = bdrv_create_opts_help(fmt);
                if (!help) {
                    error_report("Unknown file format '%s'", fmt);
                    return 1;
                }
                printf("Creation options for '%s':\n%s", fmt, strstr(help, "\n") + 1);
                return 0;
            }
            optstr = img_join_opts(optstr, optarg);
            break;
        case 'q':
            quiet = true;
            break;
        case 'u':
            unsafe = true;
            break;
        case 'h':
            printf("usage: morph-img create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] "
                   "[-u] [-o options] filename [size]\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        return img_usage_error("Expecting image file name");
    }
    filename = argv[optind++];
    if (!bdrv_format_is_known(fmt) || !strcmp(fmt, "file")) {
        error_report("Unknown file format '%s'", fmt);
        return 1;
    }
    opts = opts_parse(optstr ? optstr : "", NULL, &err);
    if (!opts || !bdrv_create_opts_parse(fmt, opts, &co, &err)) {
        error_report("%s", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (optind < argc) {
        if (!img_parse_image_size(argv[optind++], &co.size)) {
            goto out;
        }
    }
    if (optind < argc) {
        error_report("Unexpected argument: %s", argv[optind]);
        goto out;
    }
    co.filename = filename;
    if (base) {
        co.backing_file = base;
    }
    if (base_fmt) {
        co.backing_fmt = base_fmt;
    }
    if (co.backing_file && strcmp(fmt, "qcow2")) {
        error_report("%s: Backing file not supported for file format '%s'", filename, fmt);
        goto out;
    }
    if (co.backing_file && !co.backing_fmt) {
        error_report("%s: Backing file specified without backing format", filename);
        goto out;
    }
    if (co.backing_fmt && !bdrv_format_is_known(co.backing_fmt)) {
        error_report("%s: Unknown backing file format '%s'", filename, co.backing_fmt);
        goto out;
    }
    if (co.backing_file && !unsafe) {
        /* The backing file must open; its size is the default. */
        char *path = bdrv_path_combine(filename, co.backing_file);
        BlockDriverState *b = bdrv_open(path, co.backing_fmt, NULL,
                                        BDRV_O_NO_BACKING | BDRV_O_NO_PROBE_WARN, &err);
        g_free(path);
        if (!b) {
            error_report("%s: Could not open backing image: %s", filename,
                         error_get_pretty(err));
            error_free(err);
            goto out;
        }
        if (co.size < 0) {
            co.size = bdrv_getlength(b);
        }
        bdrv_unref(b);
    }
    if (co.size < 0) {
        error_report("%s: Image creation needs a size parameter", filename);
        goto out;
    }
    if (!quiet) {
        img_print_formatting(filename, fmt, &co);
        fflush(stdout);
    }
    if (bdrv_create(fmt, &co, &err) < 0) {
        error_report("%s: %s", filename, error_get_pretty(err));
        error_free(err);
        goto out;
    }
    ret = 0;
out:
    opts_free(opts);
    g_free(optstr);
    return ret;
}

/* ---- info ------------------------------------------------------------------- */

static void img_info_human(BlockDriverState *bs, const char *filename)
{
    BlockDriverInfo bdi;
    BlockSpecificInfo spec;
    BlockSnapshotInfo *sn;
    int64_t vsize = bdrv_getlength(bs);
    int64_t dsize = bdrv_get_allocated_file_size(bs);
    char *vs = img_size_to_str((uint64_t)MAX(vsize, 0));
    int nsn;

    printf("image: %s\nfile format: %s\n", filename, bdrv_get_format_name(bs));
    printf("virtual size: %s (%" PRId64 " bytes)\n", vs, vsize);
    g_free(vs);
    if (dsize >= 0) {
        char *ds = img_size_to_str((uint64_t)dsize);
        printf("disk size: %s\n", ds);
        g_free(ds);
    } else {
        printf("disk size: unavailable\n");
    }
    if (bdrv_get_info(bs, &bdi) == 0 && bdi.cluster_size) {
        printf("cluster_size: %d\n", bdi.cluster_size);
        if (bdi.is_dirty) {
            printf("cleanly shut down: no\n");
        }
    }
    if (bdrv_get_backing_filename(bs)) {
        char *full = bdrv_get_full_backing_filename(bs);
        printf("backing file: %s", bdrv_get_backing_filename(bs));
        if (full && strcmp(full, bdrv_get_backing_filename(bs))) {
            printf(" (actual path: %s)", full);
        }
        printf("\n");
        g_free(full);
        if (bdrv_get_backing_format(bs)) {
            printf("backing file format: %s\n", bdrv_get_backing_format(bs));
        }
    }
    nsn = bdrv_snapshot_list(bs, &sn);
    if (nsn > 0) {
        printf("Snapshot list:\n");
        img_dump_snapshot_header();
        for (int i = 0; i < nsn; i++) {
            img_dump_snapshot(&sn[i]);
        }
    }
    g_free(sn);
    bdrv_get_specific_info(bs, &spec);
    if (spec.count) {
        printf("Format specific information:\n");
        for (int i = 0; i < spec.count; i++) {
            BlockInfoItem *it = &spec.items[i];
            if (it->type == BLOCK_INFO_STR) {
                printf("    %s: %s\n", it->human, it->str);
            } else if (it->type == BLOCK_INFO_BOOL) {
                printf("    %s: %s\n", it->human, it->num ? "true" : "false");
            } else {
                printf("    %s: %" PRId64 "\n", it->human, it->num);
            }
        }
    }
}

static void img_info_json(BlockDriverState *bs, const char *filename, const char *indent)
{
    BlockDriverInfo bdi;
    BlockSpecificInfo spec;
    BlockSnapshotInfo *sn;
    int64_t dsize = bdrv_get_allocated_file_size(bs);
    char *fn = img_json_str(filename);
    int nsn;
    const char *in = indent;

    printf("%s{\n", in);
    if (bdrv_get_backing_format(bs)) {
        char *s = img_json_str(bdrv_get_backing_format(bs));
        printf("%s    \"backing-filename-format\": %s,\n", in, s);
        g_free(s);
    }
    nsn = bdrv_snapshot_list(bs, &sn);
    if (nsn > 0) {
        printf("%s    \"snapshots\": [\n", in);
        for (int i = 0; i < nsn; i++) {
            char *name = img_json_str(sn[i].name), *id = img_json_str(sn[i].id_str);
            printf("%s        {\n", in);
            if (sn[i].icount != UINT64_MAX) {
                printf("%s            \"icount\": %" PRIu64 ",\n", in, sn[i].icount);
            }
            printf("%s            \"vm-clock-nsec\": %" PRIu64 ",\n", in,
                   (uint64_t)(sn[i].vm_clock_nsec % 1000000000ULL));
            printf("%s            \"name\": %s,\n", in, name);
            printf("%s            \"date-sec\": %u,\n", in, sn[i].date_sec);
            printf("%s            \"date-nsec\": %u,\n", in, sn[i].date_nsec);
            printf("%s            \"vm-clock-sec\": %" PRIu64 ",\n", in,
                   (uint64_t)(sn[i].vm_clock_nsec / 1000000000ULL));
            printf("%s            \"id\": %s,\n", in, id);
            printf("%s            \"vm-state-size\": %" PRIu64 "\n", in, sn[i].vm_state_size);
            printf("%s        }%s\n", in, i + 1 < nsn ? "," : "");
            g_free(name);
            g_free(id);
        }
        printf("%s    ],\n", in);
    }
    g_free(sn);
    printf("%s    \"virtual-size\": %" PRId64 ",\n", in, bdrv_getlength(bs));
    printf("%s    \"filename\": %s,\n", in, fn);
    if (bdrv_get_info(bs, &bdi) == 0 && bdi.cluster_size) {
        printf("%s    \"cluster-size\": %d,\n", in, bdi.cluster_size);
    }
    printf("%s    \"format\": \"%s\",\n", in, bdrv_get_format_name(bs));
    if (dsize >= 0) {
        printf("%s    \"actual-size\": %" PRId64 ",\n", in, dsize);
    }
    bdrv_get_specific_info(bs, &spec);
    if (spec.count) {
        printf("%s    \"format-specific\": {\n%s        \"type\": \"%s\",\n"
               "%s        \"data\": {\n", in, in, bdrv_get_format_name(bs), in);
        for (int i = 0; i < spec.count; i++) {
            BlockInfoItem *it = &spec.items[i];
            const char *sep = i + 1 < spec.count ? "," : "";
            if (it->type == BLOCK_INFO_STR) {
                printf("%s            \"%s\": \"%s\"%s\n", in, it->json, it->str, sep);
            } else if (it->type == BLOCK_INFO_BOOL) {
                printf("%s            \"%s\": %s%s\n", in, it->json, it->num ? "true" : "false",
                       sep);
            } else {
                printf("%s            \"%s\": %" PRId64 "%s\n", in, it->json, it->num, sep);
            }
        }
        printf("%s        }\n%s    },\n", in, in);
    }
    if (bdrv_get_backing_filename(bs)) {
        char *full = bdrv_get_full_backing_filename(bs);
        char *fj = img_json_str(full), *bj = img_json_str(bdrv_get_backing_filename(bs));
        printf("%s    \"full-backing-filename\": %s,\n", in, fj);
        printf("%s    \"backing-filename\": %s,\n", in, bj);
        g_free(full);
        g_free(fj);
        g_free(bj);
    }
    printf("%s    \"dirty-flag\": %s\n%s}", in, bdi.is_dirty ? "true" : "false", in);
    g_free(fn);
}

int img_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "backing-chain", no_argument, NULL, 'B' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    char *fmt_owned = NULL;
    ImgOutput output = IMG_OUTPUT_HUMAN;
    bool chain = false;
    char *filename;
    int c, n = 0, ret = 0;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":f:hU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'o':
            if (!img_parse_output(optarg, &output)) {
                return 1;
            }
            break;
        case 'B':
            chain = true;
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img info [-f fmt] [--output=ofmt] [--backing-chain] "
                   "filename\n");
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
    filename = g_strdup(argv[optind]);
    if (chain && output == IMG_OUTPUT_JSON) {
        printf("[\n");
    }
    for (;;) {
        Error *err = NULL;
        BlockDriverState *bs = bdrv_open(filename, fmt, NULL, BDRV_O_NO_BACKING | BDRV_O_NO_IO,
                                         &err);
        char *next;

        if (!bs) {
            error_report("Could not open '%s': %s", filename, error_get_pretty(err));
            error_free(err);
            ret = 1;
            break;
        }
        if (output == IMG_OUTPUT_JSON) {
            if (n) {
                printf(",\n");
            }
            img_info_json(bs, filename, chain ? "    " : "");
        } else {
            if (n) {
                printf("\n");
            }
            img_info_human(bs, filename);
        }
        n++;
        next = chain ? bdrv_get_full_backing_filename(bs) : NULL;
        g_free(fmt_owned);
        fmt_owned = g_strdup(bdrv_get_backing_format(bs));
        fmt = fmt_owned;
        bdrv_unref(bs);
        g_free(filename);
        filename = next;
        if (!filename) {
            break;
        }
        if (n >= BDRV_MAX_CHAIN_DEPTH) {
            error_report("Backing file chain too long or circular");
            ret = 1;
            break;
        }
    }
    g_free(filename);
    g_free(fmt_owned);
    if (output == IMG_OUTPUT_JSON) {
        printf(chain ? "\n]\n" : "\n");
    }
    return ret;
}
