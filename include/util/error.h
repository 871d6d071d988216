/*
 * Error propagation in the `Error **errp` style that QEMU uses: a library
 * function that can fail takes `Error **errp` as its last argument, fills it
 * with a message on failure and returns false/NULL/-1.  Only main() and the
 * command-line layer decide to print and exit.  Passing NULL discards the
 * error; passing &error_fatal prints it and exits 1 (for use in main only);
 * passing &error_abort aborts (for "cannot fail" internal calls).
 */
#ifndef MORPH_UTIL_ERROR_H
#define MORPH_UTIL_ERROR_H

#include <stdbool.h>
#include <stdarg.h>

typedef struct Error Error;

extern Error *error_fatal;
extern Error *error_abort;

/* Set *errp to a new error with a printf-style message (if errp != NULL). */
void error_setg(Error **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As error_setg, appending ": strerror(os_errno)". */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Prefix an existing error's message: "prefix: old message".  The ": " is
 * added here, so `fmt` does not end with one.  No-op if none.
 */
void error_prepend(Error **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Move local_err into *dst_errp (or free it if dst is NULL / already set). */
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);
/* Print "prog: message" to stderr and free the error. */
void error_report_err(Error *err);
/* Print "prog: message" to stderr (one line, newline appended). */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Program name used as the prefix of reports (defaults to "morph"); a path
 * such as argv[0] is reduced to its last component, NULL restores the default.
 */
void error_set_progname(const char *name);

#endif
