/*
 * The debug log selected by QEMU's `-d item,...` and redirected by `-D FILE`
 * (contract: include/util/log.h, item names and `-d help` layout: QEMU's
 * util/log.c).  The category mask is a plain global so that hot paths test it
 * with one load; the destination stream is guarded by a mutex because vCPU
 * threads write to it while the main thread may switch files.
 */
#include "util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

const LogItem log_items[] = {
    {LOG_OUT_ASM, "out_asm", "show the host code generated for each translated block"},
    {LOG_IN_ASM, "in_asm", "show the guest code of each translated block"},
    {LOG_OP, "op", "show the IR ops of each translated block"},
    {LOG_OP_OPT, "op_opt", "show the IR ops after optimization"},
    {LOG_INT, "int", "show interrupts and exceptions in short form"},
    {LOG_EXEC, "exec", "show a line before each executed block (very verbose)"},
    {LOG_CPU, "cpu", "show the CPU registers before each executed block (very verbose)"},
    {LOG_MMU, "mmu", "log MMU activity (page walks, faults)"},
    {LOG_UNIMP, "unimp", "log features the guest used that are not implemented"},
    {LOG_GUEST_ERROR, "guest_errors",
     "log invalid guest actions (e.g. accesses to registers that do not exist)"},
    {LOG_PAGE, "page", "dump the page mappings when a user-mode program starts"},
    {LOG_NOCHAIN, "nochain",
     "do not chain translated blocks, so that exec and cpu show every block"},
    {LOG_STRACE, "strace", "log every user-mode system call, its arguments and result"},
    {LOG_MAIN_LOOP, "main_loop",
     "log the main loop's backend choice (io_uring or ppoll) and fds it stops polling"},
    {0, NULL, NULL},
};

uint32_t log_mask;

static GMutex log_lock;
/* NULL means stderr; only touched with log_lock held. */
static FILE *log_stream;

static const LogItem *log_find_item(const char *name)
{
    const LogItem *item;

    for (item = log_items; item->mask != 0; item++) {
        if (strcmp(item->name, name) == 0) {
            return item;
        }
    }
    return NULL;
}

static uint32_t log_all_items(void)
{
    const LogItem *item;
    uint32_t mask = 0;

    for (item = log_items; item->mask != 0; item++) {
        mask |= item->mask;
    }
    return mask;
}

uint32_t log_parse_mask(const char *str, bool *is_help, Error **errp)
{
    uint32_t mask = 0;
    char **parts;
    char **part;

    if (is_help) {
        *is_help = false;
    }
    /* As QEMU's is_help_option(): only the whole argument asks for help. */
    if (strcmp(str, "help") == 0 || strcmp(str, "?") == 0) {
        if (is_help) {
            *is_help = true;
        }
        return 0;
    }
    if (str[0] == '\0') {
        error_setg(errp, "Empty log item list (use -d help for a list)");
        return 0;
    }

    parts = g_strsplit(str, ",", -1);
    for (part = parts; *part; part++) {
        const LogItem *item;

        if (strcmp(*part, "all") == 0) {
            mask |= log_all_items();
            continue;
        }
        item = log_find_item(*part);
        if (!item) {
            error_setg(errp, "Unknown log item '%s' (use -d help for a list)", *part);
            g_strfreev(parts);
            return 0;
        }
        mask |= item->mask;
    }
    g_strfreev(parts);
    return mask;
}

void log_print_help(FILE *out)
{
    const LogItem *item;

    fprintf(out, "Log items (comma separated):\n");
    for (item = log_items; item->mask != 0; item++) {
        fprintf(out, "%-15s %s\n", item->name, item->help);
    }
    fprintf(out, "%-15s %s\n", "all", "enable every item above");
}

void log_set_mask(uint32_t mask)
{
    log_mask = mask;
}

bool log_set_file(const char *path, Error **errp)
{
    FILE *f = NULL;
    FILE *old;

    if (path) {
        f = fopen(path, "w");
        if (!f) {
            error_setg_errno(errp, errno, "Cannot open log file '%s'", path);
            return false;
        }
        /* Line buffered, so the log is complete up to the last line if we crash. */
        setvbuf(f, NULL, _IOLBF, 0);
    }

    g_mutex_lock(&log_lock);
    old = log_stream;
    log_stream = f;
    g_mutex_unlock(&log_lock);

    if (old) {
        fclose(old);
    }
    return true;
}

FILE *log_file(void)
{
    FILE *f;

    g_mutex_lock(&log_lock);
    f = log_stream ? log_stream : stderr;
    g_mutex_unlock(&log_lock);
    return f;
}

static void log_vprintf(const char *fmt, va_list ap)
{
    g_mutex_lock(&log_lock);
    vfprintf(log_stream ? log_stream : stderr, fmt, ap);
    g_mutex_unlock(&log_lock);
}

void log_mask_printf(uint32_t mask, const char *fmt, ...)
{
    va_list ap;

    if (!log_enabled(mask)) {
        return;
    }
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}
