/*
 * morph-img resize, map and measure (qemu-img's img_resize, img_map and
 * img_measure), with qemu-img's output layout.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "img.h"

int img_resize(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "preallocation", required_argument, NULL, 'P' },
        { "shrink", no_argument, NULL, 'S' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *size_str, *filename;
    bool quiet = false, shrink = false;
    PreallocMode prealloc = PREALLOC_MODE_OFF;
    BlockBackend *blk;
    Error *err = NULL;
    int64_t cur, size;
    uint64_t v;
    int c, ret = 1, relative = 0;

    /* A negative size looks like an option: take it off before getopt sees it. */
    if (argc < 3) {
        return img_usage_error("Expecting image file name and size");
    }
    size_str = argv[--argc];
    optind = 0;
    while ((c = getopt_long(argc, argv, ":f:hqU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'P':
            if (!prealloc_mode_parse(optarg, &prealloc)) {
                return img_usage_error("Invalid preallocation mode '%s'", optarg);
            }
            break;
        case 'S':
            shrink = true;
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img resize [-f fmt] [--preallocation=prealloc] [-q] "
                   "[--shrink] filename [+ | -]size\n");
            return 0;
        case ':':
            return img_usage_error("argument to '%s' is missing", argv[optind - 1]);
        default:
            return img_usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error("Expecting image file name and size");
    }
    filename = argv[optind];
    if (size_str[0] == '+' || size_str[0] == '-') {
        relative = size_str[0] == '+' ? 1 : -1;
        size_str++;
    }
    if (!parse_size(size_str, 1, &v) || v > INT64_MAX) {
        error_report("Invalid image size specified. You may use k, M, G, T, P or E suffixes "
                     "for ");
        error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        return 1;
    }
    blk = img_open(filename, fmt, BDRV_O_RDWR, quiet);
    if (!blk) {
        return 1;
    }
    cur = blk_getlength(blk);
    size = relative ? cur + relative * (int64_t)v : (int64_t)v;
    if (size < 0) {
        error_report("New image size must be positive");
        goto out;
    }
    if (size < cur && !shrink) {
        warn_report("Shrinking an image will delete all data beyond the shrunken image's end. "
                    "Before performing such an operation, make sure there is no important "
                    "data there.");
        error_report("Use the --shrink option to perform a shrink operation.");
        goto out;
    }
    if (bdrv_truncate(blk_bs(blk), size, false, prealloc, &err) < 0) {
        error_report("%s", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (!quiet) {
        printf("Image resized.\n");
    }
    ret = 0;
out:
    blk_unref(blk);
    return ret;
}

typedef struct ImgMapEntry {
    int64_t start;
    int64_t length;
    int depth;
    bool present;
    bool zero;
    bool data;
    bool has_offset;
    int64_t offset;
    const char *filename;
} ImgMapEntry;

static void img_map_print(const ImgMapEntry *e, ImgOutput output, bool first)
{
    if (output == IMG_OUTPUT_HUMAN) {
        if (e->data && e->has_offset) {
            printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n", e->start, e->length,
                   e->offset, e->filename);
        }
        return;
    }
    printf("%s{ \"start\": %" PRId64 ", \"length\": %" PRId64 ", \"depth\": %d, "
           "\"present\": %s, \"zero\": %s, \"data\": %s",
           first ? "" : ",\n", e->start, e->length, e->depth, e->present ? "true" : "false",
           e->zero ? "true" : "false", e->data ? "true" : "false");
    if (e->has_offset) {
        printf(", \"offset\": %" PRId64, e->offset);
    }
    printf("}");
}

int img_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "start-offset", required_argument, NULL, 's' },
        { "max-length", required_argument, NULL, 'l' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    ImgOutput output = IMG_OUTPUT_HUMAN;
    uint64_t start = 0, maxlen = UINT64_MAX;
    BlockBackend *blk;
    ImgMapEntry cur = { 0 };
    bool have = false, first = true;
    int64_t len, off;
    int c, chain_len = 0;

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
        case 's':
            if (!parse_size(optarg, 1, &start)) {
                return img_usage_error("Invalid start offset specified! You may use k, M, G, "
                                       "T, P or E suffixes for ");
            }
            break;
        case 'l':
            if (!parse_size(optarg, 1, &maxlen)) {
                return img_usage_error("Invalid length specified! You may use k, M, G, T, P "
                                       "or E suffixes for ");
            }
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img map [--output=ofmt] [-f fmt] [--start-offset=offset] "
                   "[--max-length=len] filename\n");
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
    blk = img_open(argv[optind], fmt, 0, false);
    if (!blk) {
        return 1;
    }
    for (BlockDriverState *p = blk_bs(blk); p; p = bdrv_get_backing(p)) {
        chain_len++;
    }
    len = blk_getlength(blk);
    if (maxlen != UINT64_MAX && start + maxlen < (uint64_t)len) {
        len = (int64_t)(start + maxlen);
    }
    if (output == IMG_OUTPUT_HUMAN) {
        printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to", "File");
    } else {
        printf("[");
    }
    for (off = (int64_t)start; off < len;) {
        int64_t pnum, map = 0;
        BlockDriverState *file = NULL;
        int depth = 0;
        int st = bdrv_block_status_above(blk_bs(blk), NULL, off, MIN(len - off, 1LL << 30),
                                         &pnum, &map, &file, &depth);
        ImgMapEntry e;

        if (st < 0) {
            error_report("Could not read file metadata: %s", strerror(-st));
            blk_unref(blk);
            return 1;
        }
        pnum = MAX(pnum, 1);
        e.start = off;
        e.length = pnum;
        e.depth = MIN(depth, chain_len - 1);
        e.present = (st & BDRV_BLOCK_ALLOCATED) != 0;
        e.zero = (st & BDRV_BLOCK_ZERO) != 0 || !e.present;
        e.data = (st & BDRV_BLOCK_DATA) != 0;
        e.has_offset = (st & BDRV_BLOCK_OFFSET_VALID) != 0;
        e.offset = map;
        e.filename = file ? bdrv_get_filename(file) : "";
        if (have && cur.depth == e.depth && cur.present == e.present && cur.zero == e.zero &&
            cur.data == e.data && cur.has_offset == e.has_offset &&
            (!e.has_offset || (cur.offset + cur.length == e.offset &&
                               !strcmp(cur.filename, e.filename)))) {
            cur.length += e.length;
        } else {
            if (have) {
                img_map_print(&cur, output, first);
                first = false;
            }
            cur = e;
            have = true;
        }
        off += pnum;
    }
    if (have) {
        img_map_print(&cur, output, first);
    }
    if (output == IMG_OUTPUT_JSON) {
        printf("]\n");
    }
    blk_unref(blk);
    return 0;
}

int img_measure(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'O' + 256 },
        { "size", required_argument, NULL, 's' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { "object", required_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *size_str = NULL;
    char *optstr = NULL;
    ImgOutput output = IMG_OUTPUT_HUMAN;
    BlockCreateOptions co = { .size = -1 };
    BlockBackend *in = NULL;
    Opts *opts = NULL;
    Error *err = NULL;
    uint64_t required, full;
    int c, ret = 1;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hf:O:o:l:U", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'O':
            out_fmt = optarg;
            break;
        case 'o':
            optstr = img_join_opts(optstr, optarg);
            break;
        case 'O' + 256:
            if (!img_parse_output(optarg, &output)) {
                goto out;
            }
            break;
        case 's':
            size_str = optarg;
            break;
        case 'l':
        case 'U':
        case 'I':
        case 'j':
            break;
        case 'h':
            printf("usage: morph-img measure [--output=ofmt] [-O output_fmt] [-o options] "
                   "[--size N | [-f fmt] filename]\n");
            return 0;
        case ':':
            img_usage_error("argument to '%s' is missing", argv[optind - 1]);
            goto out;
        default:
            img_usage_error("unrecognized option '%s'", argv[optind - 1]);
            goto out;
        }
    }
    if (size_str && optind < argc) {
        error_report("--size N cannot be used together with a filename.");
        goto out;
    }
    if (!size_str && optind != argc - 1) {
        error_report("Either --size N or one filename must be specified.");
        goto out;
    }
    if (!bdrv_format_is_known(out_fmt) || !strcmp(out_fmt, "file")) {
        error_report("Unknown file format '%s'", out_fmt);
        goto out;
    }
    opts = opts_parse(optstr ? optstr : "", NULL, &err);
    if (!opts || !bdrv_create_opts_parse(out_fmt, opts, &co, &err)) {
        error_report("%s", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (size_str) {
        uint64_t v;
        if (!parse_size(size_str, 1, &v) || v > INT64_MAX) {
            error_report("Invalid image size specified. You may use k, M, G, T, P or E "
                         "suffixes for ");
            error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes and "
                         "exabytes.");
            goto out;
        }
        co.size = (int64_t)v;
    } else {
        in = img_open(argv[optind], fmt, 0, false);
        if (!in) {
            goto out;
        }
    }
    if (bdrv_measure(out_fmt, &co, in ? blk_bs(in) : NULL, &required, &full, &err) < 0) {
        error_report("%s", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    {
        bool bitmaps = in && !strcmp(out_fmt, "qcow2") &&
                       !strcmp(bdrv_get_format_name(blk_bs(in)), "qcow2");
        if (output == IMG_OUTPUT_JSON) {
            printf("{\n");
            if (bitmaps) {
                printf("    \"bitmaps\": 0,\n");
            }
            printf("    \"required\": %" PRIu64 ",\n    \"fully-allocated\": %" PRIu64 "\n}\n",
                   required, full);
        } else {
            printf("required size: %" PRIu64 "\nfully allocated size: %" PRIu64 "\n", required,
                   full);
            if (bitmaps) {
                printf("bitmaps size: 0\n");
            }
        }
    }
    ret = 0;
out:
    if (in) {
        blk_unref(in);
    }
    opts_free(opts);
    g_free(optstr);
    return ret;
}
