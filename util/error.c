/*
 * Error objects in QEMU's `Error **errp` style (contract: include/util/error.h,
 * behaviour: QEMU's util/error.c and util/error-report.c).  An Error carries
 * one formatted message.  Two sentinel addresses turn "set an error" into a
 * decision taken on the spot: &error_fatal reports "progname: message" and
 * exits 1, &error_abort reports and aborts.  Setting an error keeps errno
 * intact, so a caller may still `return -errno` after error_setg().
 */
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

struct Error {
    char *msg;
};

/* Only their addresses matter; they are never set. */
Error *error_fatal;
Error *error_abort;

static char *error_progname;

void error_set_progname(const char *name)
{
    const char *slash = name ? strrchr(name, '/') : NULL;

    /* Callers pass argv[0]; reports name the program, not its path. */
    g_free(error_progname);
    error_progname = name ? g_strdup(slash ? slash + 1 : name) : NULL;
}

static const char *error_get_progname(void)
{
    return error_progname ? error_progname : "morph";
}

/* One fprintf per line, so reports from several threads do not interleave. */
static void error_print_line(const char *prefix, const char *msg)
{
    fprintf(stderr, "%s: %s%s\n", error_get_progname(), prefix, msg);
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        g_free(err);
    }
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_report_err(Error *err)
{
    if (err) {
        error_print_line("", err->msg);
        error_free(err);
    }
}

/*
 * Deliver a new error to its destination.  `from` names the caller, for the
 * message printed when an error would overwrite one that nobody consumed:
 * that is a bug in the caller, so it aborts as QEMU's assertion does.
 */
static void error_deliver(Error **errp, Error *err, const char *from)
{
    if (errp == &error_abort) {
        error_print_line("unexpected error: ", err->msg);
        error_free(err);
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
    if (!errp) {
        error_free(err);
        return;
    }
    if (*errp) {
        fprintf(stderr, "%s: %s: error already set (\"%s\"), cannot set \"%s\"\n",
                error_get_progname(), from, (*errp)->msg, err->msg);
        abort();
    }
    *errp = err;
}

static Error *error_new(char *msg)
{
    Error *err = g_new0(Error, 1);

    err->msg = msg;
    return err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_deliver(errp, error_new(msg), "error_setg");
    errno = saved_errno;
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (os_errno != 0) {
        char *with_errno = g_strdup_printf("%s: %s", msg, g_strerror(os_errno));

        g_free(msg);
        msg = with_errno;
    }
    error_deliver(errp, error_new(msg), "error_setg_errno");
    errno = saved_errno;
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    char *prefix;
    char *msg;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strdup_printf("%s: %s", prefix, (*errp)->msg);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
    errno = saved_errno;
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    /* The first error wins: a later one is usually a consequence of it. */
    if (dst_errp && dst_errp != &error_abort && dst_errp != &error_fatal && *dst_errp) {
        error_free(local_err);
        return;
    }
    error_deliver(dst_errp, local_err, "error_propagate");
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_print_line("", msg);
    g_free(msg);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_print_line("warning: ", msg);
    g_free(msg);
}
