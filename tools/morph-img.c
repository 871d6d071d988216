/*
 * morph-img: create, inspect, check, convert and modify disk images, with
 * the verbs, options, output and exit codes of QEMU's qemu-img
 * (docs/tools/qemu-img.rst).  This file dispatches; each group of verbs
 * lives in tools/img-*.c over the block layer.
 */
#include <stdio.h>
#include <string.h>

#include "config-host.h"
#include "img.h"

static const struct {
    const char *name;
    ImgVerbFn *fn;
    const char *synopsis;
} img_verbs[] = {
    { "bench", img_bench, "bench [-c count] [-d depth] [-f fmt] [--flush-interval=flush_interval] "
      "[-i aio] [-n] [-o offset] [--pattern=pattern] [-q] [-s buffer_size] [-S step_size] "
      "[-t cache] [-w] filename" },
    { "check", img_check, "check [--output=ofmt] [-f fmt] [-r [leaks | all]] [-T src_cache] "
      "[-q] filename" },
    { "commit", img_commit, "commit [-q] [-f fmt] [-t cache] [-b base] [-d] [-p] filename" },
    { "compare", img_compare, "compare [-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] "
      "filename1 filename2" },
    { "convert", img_convert, "convert [-c] [-p] [-q] [-n] [-f fmt] [-t cache] [-T src_cache] "
      "[-O output_fmt] [-B backing_file [-F backing_fmt]] [-o options] [-S sparse_size] "
      "filename [filename2 [...]] output_filename" },
    { "create", img_create, "create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] "
      "[-u] [-o options] filename [size]" },
    { "info", img_info, "info [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename" },
    { "map", img_map, "map [--output=ofmt] [-f fmt] [--start-offset=offset] "
      "[--max-length=len] filename" },
    { "measure", img_measure, "measure [--output=ofmt] [-O output_fmt] [-o options] "
      "[--size N | [-f fmt] filename]" },
    { "snapshot", img_snapshot, "snapshot [-q] [-l | -a snapshot | -c snapshot | "
      "-d snapshot] filename" },
    { "rebase", img_rebase, "rebase [-q] [-f fmt] [-t cache] [-T src_cache] [-p] [-u] "
      "-b backing_file [-F backing_fmt] filename" },
    { "resize", img_resize, "resize [-f fmt] [--preallocation=prealloc] [-q] [--shrink] "
      "filename [+ | -]size" },
    /* Hidden: a heavy writer for the crash-consistency test (tests/functional/block). */
    { "x-writer", img_x_writer, NULL },
};

static void img_help(void)
{
    printf("morph-img version " MORPH_VERSION "\n"
           "usage: morph-img [standard options] command [command options]\n"
           "QEMU disk image utility\n\n"
           "    '-h', '--help'       display this help and exit\n"
           "    '-V', '--version'    output version information and exit\n\n"
           "Command syntax:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(img_verbs); i++) {
        if (img_verbs[i].synopsis) {
            printf("  %s\n", img_verbs[i].synopsis);
        }
    }
    printf("\nSupported formats: qcow2 raw\n");
}

int main(int argc, char **argv)
{
    const char *cmd;

    error_set_progname("morph-img");
    if (argc < 2) {
        error_report("Not enough arguments");
        error_report("Try 'morph-img --help' for more information");
        return 1;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        img_help();
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("morph-img version " MORPH_VERSION "\n");
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(img_verbs); i++) {
        if (!strcmp(cmd, img_verbs[i].name)) {
            return img_verbs[i].fn(argc - 1, argv + 1);
        }
    }
    error_report("Command not found: %s", cmd);
    return 1;
}
