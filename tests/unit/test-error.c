/*
 * Unit tests for util/error.c: the `Error **errp` contract of
 * include/util/error.h as QEMU defines it.  Messages must be formatted once
 * and travel unchanged; NULL discards; the first error wins on propagation;
 * &error_fatal prints "progname: message" and exits 1 and &error_abort
 * aborts, which the tests observe from a subprocess.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "util/error.h"

/* A library-style function: fails for negative input. */
static bool check_positive(int v, Error **errp)
{
    if (v < 0) {
        error_setg(errp, "value %d is negative", v);
        return false;
    }
    return true;
}

/* A caller that adds context on the way up. */
static bool check_config(int v, Error **errp)
{
    Error *local_err = NULL;

    if (!check_positive(v, &local_err)) {
        error_propagate(errp, local_err);
        error_prepend(errp, "config item %s", "cpus");
        return false;
    }
    return true;
}

static void test_setg(void)
{
    Error *err = NULL;

    error_setg(&err, "bad %s at %d", "thing", 42);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "bad thing at 42");
    error_free(err);
}

static void test_setg_null_errp(void)
{
    /* Discarded, without touching errno (callers return -errno afterwards). */
    errno = EBUSY;
    error_setg(NULL, "ignored %d", 1);
    g_assert_cmpint(errno, ==, EBUSY);
    error_setg_errno(NULL, ENOENT, "ignored");
    g_assert_cmpint(errno, ==, EBUSY);
    g_assert_false(check_positive(-1, NULL));
    g_assert_true(check_positive(1, NULL));
}

static void test_setg_keeps_errno(void)
{
    Error *err = NULL;

    errno = EAGAIN;
    error_setg_errno(&err, EIO, "read failed");
    g_assert_cmpint(errno, ==, EAGAIN);
    error_prepend(&err, "disk0");
    g_assert_cmpint(errno, ==, EAGAIN);
    error_free(err);
}

static void test_setg_errno(void)
{
    Error *err = NULL;
    char *expect = g_strdup_printf("Could not open 'x.img': %s", g_strerror(ENOENT));

    error_setg_errno(&err, ENOENT, "Could not open '%s'", "x.img");
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    error_free(err);
    g_free(expect);

    /* errno 0 adds no suffix. */
    err = NULL;
    error_setg_errno(&err, 0, "plain");
    g_assert_cmpstr(error_get_pretty(err), ==, "plain");
    error_free(err);
}

static void test_prepend(void)
{
    Error *err = NULL;

    error_setg(&err, "base");
    error_prepend(&err, "inner %d", 1);
    g_assert_cmpstr(error_get_pretty(err), ==, "inner 1: base");
    error_prepend(&err, "outer");
    g_assert_cmpstr(error_get_pretty(err), ==, "outer: inner 1: base");
    error_free(err);
}

static void test_prepend_nothing(void)
{
    Error *err = NULL;

    /* No error to prefix: both forms are no-ops. */
    error_prepend(NULL, "x");
    error_prepend(&err, "x");
    g_assert_null(err);
}

static void test_propagate(void)
{
    Error *err = NULL;

    g_assert_false(check_config(-5, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "config item cpus: value -5 is negative");
    error_free(err);

    err = NULL;
    g_assert_true(check_config(5, &err));
    g_assert_null(err);

    /* Propagating no error leaves the destination alone. */
    error_propagate(&err, NULL);
    g_assert_null(err);
}

static void test_propagate_to_null(void)
{
    Error *local_err = NULL;

    /* The error is freed (the sanitizer build would report a leak). */
    error_setg(&local_err, "dropped");
    error_propagate(NULL, local_err);
    g_assert_false(check_config(-1, NULL));
}

static void test_propagate_first_wins(void)
{
    Error *err = NULL;
    Error *first = NULL;
    Error *second = NULL;

    error_setg(&first, "first");
    error_setg(&second, "second");
    error_propagate(&err, first);
    error_propagate(&err, second);
    g_assert_true(err == first);
    g_assert_cmpstr(error_get_pretty(err), ==, "first");
    error_free(err);
}

static void test_free_null(void)
{
    error_free(NULL);
    error_report_err(NULL);
}

/*
 * The &error_fatal cases must end with exit status exactly 1, which a GLib
 * 2.74 test trap cannot tell from an abort, so they run as a child of this
 * same binary (`test-error --child NAME`) whose wait status is checked.
 */
static const char *self_path;

static void child_fatal(void)
{
    error_set_progname("/usr/local/bin/morph-system-riscv64");
    error_setg(&error_fatal, "cannot boot: %s", "no kernel");
}

static void child_fatal_errno(void)
{
    error_setg_errno(&error_fatal, ENOENT, "open %s", "a.img");
}

static void child_fatal_propagate(void)
{
    check_config(-3, &error_fatal);
}

static const struct {
    const char *name;
    void (*run)(void);
} children[] = {
    {"fatal", child_fatal},
    {"fatal-errno", child_fatal_errno},
    {"fatal-propagate", child_fatal_propagate},
};

static int run_child(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(children); i++) {
        if (strcmp(children[i].name, name) == 0) {
            children[i].run();
            /* Reaching here means the error did not end the process. */
            return 0;
        }
    }
    return 99;
}

/* Run child `name`; assert it exited with `status` and printed `stderr_text`. */
static void assert_child_exits(const char *name, int status, const char *stderr_text)
{
    char *argv[] = {(char *)self_path, (char *)"--child", (char *)name, NULL};
    GError *gerr = NULL;
    char *out = NULL;
    char *err = NULL;
    int wait_status = 0;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &gerr));
    g_assert_no_error(gerr);
    g_assert_true(WIFEXITED(wait_status));
    g_assert_cmpint(WEXITSTATUS(wait_status), ==, status);
    g_assert_cmpstr(out, ==, "");
    g_assert_cmpstr(err, ==, stderr_text);
    g_free(out);
    g_free(err);
}

static void test_fatal(void)
{
    assert_child_exits("fatal", 1, "morph-system-riscv64: cannot boot: no kernel\n");
}

static void test_fatal_errno(void)
{
    char *expect = g_strdup_printf("morph: open a.img: %s\n", g_strerror(ENOENT));

    assert_child_exits("fatal-errno", 1, expect);
    g_free(expect);
}

static void test_fatal_propagate(void)
{
    /*
     * error_propagate() exits before check_config() adds its prefix, as in
     * QEMU without ERRP_GUARD: callers that prepend must use a local Error.
     */
    assert_child_exits("fatal-propagate", 1, "morph: value -3 is negative\n");
}

static void test_fatal_success_is_silent(void)
{
    if (g_test_subprocess()) {
        g_assert_true(check_config(3, &error_fatal));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

static void test_abort(void)
{
    if (g_test_subprocess()) {
        check_positive(-7, &error_abort);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*value -7 is negative*");
}

static void test_abort_propagate(void)
{
    if (g_test_subprocess()) {
        Error *local_err = NULL;

        error_setg(&local_err, "cannot fail, but did");
        error_propagate(&error_abort, local_err);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*cannot fail, but did*");
}

static void test_set_twice_aborts(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_setg(&err, "one");
        error_setg(&err, "two");
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*already set*one*two*");
}

static void test_report(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_report("disk %s missing", "hd0");
        warn_report("deprecated option %d", 7);
        error_set_progname("tool");
        error_setg(&err, "from an Error");
        error_report_err(err);
        error_set_progname(NULL);
        error_report("back to default");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("");
    g_test_trap_assert_stderr("morph: disk hd0 missing\n"
                              "morph: warning: deprecated option 7\n"
                              "tool: from an Error\n"
                              "morph: back to default\n");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        return run_child(argv[2]);
    }
    self_path = argv[0];
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/error/setg", test_setg);
    g_test_add_func("/error/setg-null-errp", test_setg_null_errp);
    g_test_add_func("/error/setg-keeps-errno", test_setg_keeps_errno);
    g_test_add_func("/error/setg-errno", test_setg_errno);
    g_test_add_func("/error/prepend", test_prepend);
    g_test_add_func("/error/prepend-nothing", test_prepend_nothing);
    g_test_add_func("/error/propagate", test_propagate);
    g_test_add_func("/error/propagate-to-null", test_propagate_to_null);
    g_test_add_func("/error/propagate-first-wins", test_propagate_first_wins);
    g_test_add_func("/error/free-null", test_free_null);
    g_test_add_func("/error/fatal", test_fatal);
    g_test_add_func("/error/fatal-errno", test_fatal_errno);
    g_test_add_func("/error/fatal-propagate", test_fatal_propagate);
    g_test_add_func("/error/fatal-success-is-silent", test_fatal_success_is_silent);
    g_test_add_func("/error/abort", test_abort);
    g_test_add_func("/error/abort-propagate", test_abort_propagate);
    g_test_add_func("/error/set-twice-aborts", test_set_twice_aborts);
    g_test_add_func("/error/report", test_report);

    return g_test_run();
}
