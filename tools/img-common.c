/*
 * Helpers shared by the morph-img verbs: opening an image with qemu-img's
 * error wording, sizes in qemu's human form (size_to_str), JSON strings,
 * progress output and the snapshot table layout of `info`/`snapshot -l`.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "img.h"

int img_usage_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    g_free(msg);
    return 1;
}

bool img_parse_output(const char *arg, ImgOutput *out)
{
    if (!strcmp(arg, "json")) {
        *out = IMG_OUTPUT_JSON;
    } else if (!strcmp(arg, "human")) {
        *out = IMG_OUTPUT_HUMAN;
    } else {
        error_report("--output must be used with human or json as argument.");
        return false;
    }
    return true;
}

bool img_parse_cache(const char *mode, int *flags, bool *writethrough)
{
    if (!bdrv_parse_cache_mode(mode, flags, writethrough)) {
        error_report("Invalid cache option: %s", mode);
        return false;
    }
    return true;
}

BlockBackend *img_open(const char *filename, const char *fmt, int flags, bool quiet)
{
    Error *err = NULL;
    BlockBackend *blk;

    blk = blk_new_open(filename, fmt, NULL, flags, &err);
    if (!blk) {
        error_report("Could not open '%s': %s", filename, error_get_pretty(err));
        error_free(err);
    }
    return blk;
}

char *img_size_to_str(uint64_t val)
{
    static const char *const suffixes[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
    int i;
    uint64_t div;

    /* The unit is the largest power of 1024 that keeps three significant digits. */
    frexp(val / (1000.0 / 1024.0), &i);
    i = (i - 1) / 10;
    if (i < 0) {
        i = 0;
    }
    if (i > 6) {
        i = 6;
    }
    div = 1ULL << (i * 10);
    return g_strdup_printf("%0.3g %sB", (double)val / div, suffixes[i]);
}

char *img_json_str(const char *s)
{
    GString *g = g_string_new("\"");

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(g, "\\\"");
            break;
        case '\\':
            g_string_append(g, "\\\\");
            break;
        case '\n':
            g_string_append(g, "\\n");
            break;
        case '\t':
            g_string_append(g, "\\t");
            break;
        default:
            if (*p < 0x20) {
                g_string_append_printf(g, "\\u%04x", *p);
            } else {
                g_string_append_c(g, (char)*p);
            }
        }
    }
    g_string_append_c(g, '"');
    return g_string_free(g, false);
}

void img_progress(bool enabled, double percent)
{
    if (enabled) {
        printf("    (%3.2f/100%%)\r", percent);
        fflush(stdout);
    }
}

char *img_join_opts(char *acc, const char *more)
{
    char *r;

    if (!acc) {
        return g_strdup(more);
    }
    r = g_strdup_printf("%s,%s", acc, more);
    g_free(acc);
    return r;
}

void img_dump_snapshot_header(void)
{
    printf("%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK",
           "ICOUNT");
}

void img_dump_snapshot(const BlockSnapshotInfo *sn)
{
    char date[128], clock[128], icount[128] = "";
    time_t ti = sn->date_sec;
    struct tm tm;
    uint64_t secs = sn->vm_clock_nsec / 1000000000ULL;
    char *size = img_size_to_str(sn->vm_state_size);

    localtime_r(&ti, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(clock, sizeof(clock), "%02d:%02d:%02d.%03d", (int)(secs / 3600),
             (int)((secs / 60) % 60), (int)(secs % 60),
             (int)((sn->vm_clock_nsec / 1000000) % 1000));
    if (sn->icount != UINT64_MAX) {
        snprintf(icount, sizeof(icount), "%" PRIu64, sn->icount);
    }
    printf("%-9s %-16s %8s%20s%13s%11s\n", sn->id_str, sn->name, size, date, clock, icount);
    g_free(size);
}

int img_read_all(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf)
{
    while (bytes > 0) {
        int64_t n = MIN(bytes, (int64_t)64 << 20);
        int ret = blk_pread(blk, offset, n, buf);
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
        buf = (char *)buf + n;
    }
    return 0;
}
