/*
 * morph-img internals: the verbs (one file per group) and the helpers they
 * share.  The command line, messages, human output and exit codes follow
 * QEMU's qemu-img (docs/tools/qemu-img.rst), so scripts written for
 * qemu-img keep working.
 */
#ifndef MORPH_TOOLS_IMG_H
#define MORPH_TOOLS_IMG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "block/block.h"

typedef int ImgVerbFn(int argc, char **argv);

int img_create(int argc, char **argv);
int img_info(int argc, char **argv);
int img_check(int argc, char **argv);
int img_convert(int argc, char **argv);
int img_compare(int argc, char **argv);
int img_snapshot(int argc, char **argv);
int img_commit(int argc, char **argv);
int img_rebase(int argc, char **argv);
int img_resize(int argc, char **argv);
int img_map(int argc, char **argv);
int img_measure(int argc, char **argv);
int img_bench(int argc, char **argv);
int img_x_writer(int argc, char **argv);

typedef enum ImgOutput {
    IMG_OUTPUT_HUMAN,
    IMG_OUTPUT_JSON,
} ImgOutput;

/* Parse --output=human|json; prints the error and returns false on a bad value. */
bool img_parse_output(const char *arg, ImgOutput *out);
/* Open an image for a verb; prints the error (qemu-img style) on failure. */
BlockBackend *img_open(const char *filename, const char *fmt, int flags, bool quiet);
/* Parse a -t cache mode into flags (exits on error like qemu-img). */
bool img_parse_cache(const char *mode, int *flags, bool *writethrough);
/* qemu's size_to_str: "64 MiB", "196 KiB", "1.5 GiB" (g_free). */
char *img_size_to_str(uint64_t val);
/* A JSON string literal with escapes (g_free). */
char *img_json_str(const char *s);
/* Print the "(xx.xx/100%)" progress line. */
void img_progress(bool enabled, double percent);
/* Join -o option strings: "a=1" + "b=2" -> "a=1,b=2" (g_free). */
char *img_join_opts(char *acc, const char *more);
/* Print the header and rows of a snapshot list (qemu's bdrv_snapshot_dump). */
void img_dump_snapshot_header(void);
void img_dump_snapshot(const BlockSnapshotInfo *sn);
/* Read `bytes` from a backend in pieces, fails on error. */
int img_read_all(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf);

/* Exit status for a usage error after printing the message. */
int img_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
