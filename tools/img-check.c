/*
 * morph-img check (qemu-img's img_check): run the format's consistency
 * check, optionally repair, and report with qemu-img's wording and exit
 * codes: 0 clean, 1 check not completed, 2 corruptions, 3 leaks only,
 * 63 format without checks.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "img.h"

static void img_check_human(const BdrvCheckResult *r)
{
    if (r->corruptions == 0 && r->leaks == 0 && r->check_errors == 0) {
        printf("No errors were found on the image.\n");
    } else {
        if (r->corruptions) {
            printf("\n%d errors were found on the image.\n"
                   "Data may be corrupted, or further writes to the image may corrupt it.\n",
                   r->corruptions);
        }
        if (r->leaks) {
            printf("\n%d leaked clusters were found on the image.\n"
                   "This means waste of disk space, but no harm to data.\n", r->leaks);
        }
        if (r->check_errors) {
            printf("\n%d internal errors have occurred during the check.\n", r->check_errors);
        }
    }
    if (r->bfi.total_clusters != 0 && r->bfi.allocated_clusters != 0) {
        printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% fragmented, %0.2f%% "
               "compressed clusters\n", r->bfi.allocated_clusters, r->bfi.total_clusters,
               r->bfi.allocated_clusters * 100.0 / r->bfi.total_clusters,
               r->bfi.fragmented_clusters * 100.0 / r->bfi.allocated_clusters,
               r->bfi.compressed_clusters * 100.0 / r->bfi.allocated_clusters);
    }
    if (r->image_end_offset) {
        printf("Image end offset: %" PRId64 "\n", r->image_end_offset);
    }
}

/* Key order as qemu-img 7.2 prints it (its QDict order), for byte-equal output. */
static void img_check_json(const BdrvCheckResult *r, const char *filename, const char *fmt)
{
    char *fn = img_json_str(filename);

    printf("{\n");
    if (r->image_end_offset) {
        printf("    \"image-end-offset\": %" PRId64 ",\n", r->image_end_offset);
    }
    if (r->bfi.compressed_clusters) {
        printf("    \"compressed-clusters\": %" PRIu64 ",\n", r->bfi.compressed_clusters);
    }
    if (r->bfi.total_clusters) {
        printf("    \"total-clusters\": %" PRIu64 ",\n", r->bfi.total_clusters);
    }
    printf("    \"check-errors\": %d,\n", r->check_errors);
    if (r->corruptions) {
        printf("    \"corruptions\": %d,\n", r->corruptions);
    }
    if (r->leaks) {
        printf("    \"leaks\": %d,\n", r->leaks);
    }
    if (r->corruptions_fixed) {
        printf("    \"corruptions-fixed\": %d,\n", r->corruptions_fixed);
    }
    if (r->leaks_fixed) {
        printf("    \"leaks-fixed\": %d,\n", r->leaks_fixed);
    }
    if (r->bfi.allocated_clusters) {
        printf("    \"allocated-clusters\": %" PRIu64 ",\n", r->bfi.allocated_clusters);
    }
    printf("    \"filename\": %s,\n    \"format\": \"%s\"", fn, fmt);
    if (r->bfi.fragmented_clusters) {
        printf(",\n    \"fragmented-clusters\": %" PRIu64, r->bfi.fragmented_clusters);
    }
    printf("\n}\n");
    g_free(fn);
}

static void img_check_print_messages(const BdrvCheckResult *r, bool quiet)
{
    for (guint i = 0; !quiet && r->messages && i < r->messages->len; i++) {
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(r->messages, i));
    }
}

int img_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "repair", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "force-share", no_argument, NULL, 'U' },
        { "image-opts", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *filename, *cache = NULL;
    ImgOutput output = IMG_OUTPUT_HUMAN;
    bool quiet = false, wt = false;
    int fix = 0, flags = 0, c, ret;
    BdrvCheckResult res;
    BlockBackend *blk;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":hf:r:T:qU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'r':
            flags |= BDRV_O_RDWR;
            if (!strcmp(optarg, "leaks")) {
                fix = BDRV_FIX_LEAKS;
            } else if (!strcmp(optarg, "all")) {
                fix = BDRV_FIX_LEAKS | BDRV_FIX_ERRORS;
            } else {
                return img_usage_error("Unknown option value for -r (expecting 'leaks' or "
                                       "'all'): %s", optarg);
            }
            break;
        case 'o':
            if (!img_parse_output(optarg, &output)) {
                return 1;
            }
            break;
        case 'T':
            cache = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'U':
        case 'I':
            break;
        case 'h':
            printf("usage: morph-img check [--output=ofmt] [-f fmt] [-r [leaks | all]] [-q] "
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
    filename = argv[optind];
    if (cache && !img_parse_cache(cache, &flags, &wt)) {
        return 1;
    }
    blk = img_open(filename, fmt, flags | BDRV_O_CHECK | BDRV_O_NO_BACKING, quiet);
    if (!blk) {
        return 1;
    }
    ret = bdrv_check(blk_bs(blk), &res, fix);
    if (ret == -ENOTSUP) {
        error_report("This image format does not support checks");
        bdrv_check_result_clear(&res);
        blk_unref(blk);
        return 63;
    }
    img_check_print_messages(&res, quiet);
    if (ret == 0 && (res.leaks_fixed || res.corruptions_fixed)) {
        /* Repairs happened: report them, then check the result afresh. */
        if (output == IMG_OUTPUT_HUMAN && !quiet) {
            printf("The following inconsistencies were found and repaired:\n\n"
                   "    %d leaked clusters\n    %d corruptions\n\n"
                   "Double checking the fixed image now...\n",
                   res.leaks_fixed, res.corruptions_fixed);
        }
        int lf = res.leaks_fixed, cf = res.corruptions_fixed;
        bdrv_check_result_clear(&res);
        ret = bdrv_check(blk_bs(blk), &res, 0);
        img_check_print_messages(&res, quiet);
        res.leaks_fixed = lf;
        res.corruptions_fixed = cf;
    }
    if (!quiet) {
        if (output == IMG_OUTPUT_JSON) {
            img_check_json(&res, filename, bdrv_get_format_name(blk_bs(blk)));
        } else {
            img_check_human(&res);
        }
    }
    if (ret < 0 || res.check_errors) {
        if (ret < 0) {
            error_report("Check failed: %s", strerror(-ret));
        } else {
            error_report("Check failed");
        }
        ret = 1;
    } else if (res.corruptions) {
        ret = 2;
    } else if (res.leaks) {
        ret = 3;
    } else {
        ret = 0;
    }
    bdrv_check_result_clear(&res);
    blk_unref(blk);
    return ret;
}
