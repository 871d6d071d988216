/*
 * Logging in QEMU's style: `-d item,item,...` selects categories (a bit mask),
 * `-D FILE` redirects the log from stderr to a file.  Categories are the ones
 * QEMU users type: in_asm, op, op_opt, out_asm, exec, int, cpu, unimp,
 * guest_errors, mmu, page, nochain, strace, plus `-d help`; morph adds
 * main_loop (event-loop backend choice and its trouble).
 */
#ifndef MORPH_UTIL_LOG_H
#define MORPH_UTIL_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"

enum {
    LOG_IN_ASM       = 1u << 0,
    LOG_OP           = 1u << 1,
    LOG_OP_OPT       = 1u << 2,
    LOG_OUT_ASM      = 1u << 3,
    LOG_EXEC         = 1u << 4,
    LOG_INT          = 1u << 5,
    LOG_CPU          = 1u << 6,
    LOG_UNIMP        = 1u << 7,
    LOG_GUEST_ERROR  = 1u << 8,
    LOG_MMU          = 1u << 9,
    LOG_PAGE         = 1u << 10,
    LOG_NOCHAIN      = 1u << 11,
    LOG_STRACE       = 1u << 12,
    LOG_MAIN_LOOP    = 1u << 13,
    LOG_TB_NOCHAIN   = LOG_NOCHAIN,
};

typedef struct LogItem {
    uint32_t mask;
    const char *name;
    const char *help;
} LogItem;

/* The table of categories, terminated by an entry with mask 0. */
extern const LogItem log_items[];
/* The active mask; read directly on hot paths through log_enabled(). */
extern uint32_t log_mask;

static inline bool log_enabled(uint32_t mask)
{
    return (log_mask & mask) != 0;
}

/*
 * Parse a `-d` argument ("in_asm,int" or "help").  Returns the mask, or 0
 * with *errp set for an unknown item.  "help" returns 0 without error and
 * sets *is_help.
 */
uint32_t log_parse_mask(const char *str, bool *is_help, Error **errp);
/* Print the categories to `out`, as `-d help` does. */
void log_print_help(FILE *out);
void log_set_mask(uint32_t mask);
/* Redirect the log to `path` (NULL: back to stderr). */
bool log_set_file(const char *path, Error **errp);
FILE *log_file(void);
/* Write to the log if any category of `mask` is enabled. */
void log_mask_printf(uint32_t mask, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A guest mistake (bad register access...): logged under guest_errors. */
#define log_guest_error(...) log_mask_printf(LOG_GUEST_ERROR, __VA_ARGS__)
/* Something the guest used that is not implemented: logged under unimp. */
#define log_unimp(...) log_mask_printf(LOG_UNIMP, __VA_ARGS__)

#endif
