/*
 * Unit tests for util/log.c: QEMU's `-d` item names and `-d help`, the
 * category mask seen by log_enabled(), and `-D FILE` redirection.  The
 * names are user interface (scripts pass them), so each is checked by
 * spelling; output is checked byte for byte in a file or a subprocess.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util/log.h"

/* The names QEMU users type, with the bit each must select. */
static const struct {
    const char *name;
    uint32_t mask;
} expected_items[] = {
    {"in_asm", LOG_IN_ASM},   {"op", LOG_OP},       {"op_opt", LOG_OP_OPT},
    {"out_asm", LOG_OUT_ASM}, {"exec", LOG_EXEC},   {"int", LOG_INT},
    {"cpu", LOG_CPU},         {"unimp", LOG_UNIMP}, {"guest_errors", LOG_GUEST_ERROR},
    {"mmu", LOG_MMU},         {"page", LOG_PAGE},   {"nochain", LOG_NOCHAIN},
    {"strace", LOG_STRACE},   {"main_loop", LOG_MAIN_LOOP},
};

static char *read_file_or_fail(const char *path)
{
    GError *gerr = NULL;
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, &gerr));
    g_assert_no_error(gerr);
    return text;
}

static void test_items_table(void)
{
    uint32_t seen = 0;
    size_t n = 0;
    const LogItem *item;

    for (item = log_items; item->mask != 0; item++, n++) {
        g_assert_nonnull(item->name);
        g_assert_nonnull(item->help);
        g_assert_cmpuint(strlen(item->help), >, 0);
        /* One bit per item, and no two items share it. */
        g_assert_cmpuint(item->mask & (item->mask - 1), ==, 0);
        g_assert_cmpuint(seen & item->mask, ==, 0);
        seen |= item->mask;
    }
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(expected_items));
    g_assert_null(item->name);
}

static void test_parse_each_item(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(expected_items); i++) {
        Error *err = NULL;
        bool is_help = true;

        g_assert_cmphex(log_parse_mask(expected_items[i].name, &is_help, &err), ==,
                        expected_items[i].mask);
        g_assert_null(err);
        g_assert_false(is_help);
    }
    g_assert_cmphex(LOG_TB_NOCHAIN, ==, LOG_NOCHAIN);
}

static void test_parse_list(void)
{
    Error *err = NULL;
    bool is_help;
    uint32_t all = 0;
    size_t i;

    g_assert_cmphex(log_parse_mask("in_asm,int,guest_errors", &is_help, &err), ==,
                    LOG_IN_ASM | LOG_INT | LOG_GUEST_ERROR);
    g_assert_null(err);
    /* Repeats are harmless. */
    g_assert_cmphex(log_parse_mask("int,int", &is_help, &err), ==, LOG_INT);
    g_assert_null(err);

    for (i = 0; i < G_N_ELEMENTS(expected_items); i++) {
        all |= expected_items[i].mask;
    }
    g_assert_cmphex(log_parse_mask("all", &is_help, &err), ==, all);
    g_assert_null(err);
    g_assert_cmphex(log_parse_mask("cpu,all", NULL, NULL), ==, all);
}

static void test_parse_unknown(void)
{
    Error *err = NULL;
    bool is_help = true;

    g_assert_cmphex(log_parse_mask("in_asm,bogus,int", &is_help, &err), ==, 0);
    g_assert_false(is_help);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), "'bogus'"));
    error_free(err);

    /* Names are case-sensitive, as in QEMU. */
    err = NULL;
    g_assert_cmphex(log_parse_mask("IN_ASM", NULL, &err), ==, 0);
    g_assert_nonnull(err);
    error_free(err);

    /* No trailing-s forgiveness: the item is guest_errors. */
    err = NULL;
    g_assert_cmphex(log_parse_mask("guest_error", NULL, &err), ==, 0);
    g_assert_nonnull(err);
    error_free(err);

    /* A NULL errp still reports failure through the 0 result. */
    g_assert_cmphex(log_parse_mask("nope", NULL, NULL), ==, 0);
}

static void test_parse_empty_items(void)
{
    const char *bad[] = {"", ",", "in_asm,", ",int", "in_asm,,int"};
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        Error *err = NULL;

        g_assert_cmphex(log_parse_mask(bad[i], NULL, &err), ==, 0);
        g_assert_nonnull(err);
        error_free(err);
    }
}

static void test_parse_help(void)
{
    Error *err = NULL;
    bool is_help = false;

    g_assert_cmphex(log_parse_mask("help", &is_help, &err), ==, 0);
    g_assert_true(is_help);
    g_assert_null(err);

    is_help = false;
    g_assert_cmphex(log_parse_mask("?", &is_help, &err), ==, 0);
    g_assert_true(is_help);
    g_assert_null(err);

    /* Help is the whole argument or an unknown item, as in QEMU. */
    g_assert_cmphex(log_parse_mask("in_asm,help", &is_help, &err), ==, 0);
    g_assert_false(is_help);
    g_assert_nonnull(err);
    error_free(err);
}

static void test_print_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char **lines;
    size_t i;

    g_assert_nonnull(out);
    log_print_help(out);
    fclose(out);

    lines = g_strsplit(buf, "\n", -1);
    g_assert_cmpstr(lines[0], ==, "Log items (comma separated):");
    for (i = 0; i < G_N_ELEMENTS(expected_items); i++) {
        char *prefix = g_strdup_printf("%s ", expected_items[i].name);
        bool found = false;
        char **l;

        for (l = lines + 1; *l; l++) {
            found = found || g_str_has_prefix(*l, prefix);
        }
        g_assert_true(found);
        g_free(prefix);
    }
    g_assert_true(g_str_has_suffix(buf, "\n"));
    g_strfreev(lines);
    free(buf);
}

static void test_enabled(void)
{
    log_set_mask(0);
    g_assert_false(log_enabled(LOG_GUEST_ERROR));
    log_set_mask(LOG_GUEST_ERROR | LOG_INT);
    g_assert_cmphex(log_mask, ==, LOG_GUEST_ERROR | LOG_INT);
    g_assert_true(log_enabled(LOG_GUEST_ERROR));
    g_assert_true(log_enabled(LOG_INT));
    g_assert_false(log_enabled(LOG_UNIMP));
    /* Any one category of a multi-bit query is enough. */
    g_assert_true(log_enabled(LOG_UNIMP | LOG_INT));
    log_set_mask(0);
}

static void test_file(void)
{
    char *dir = g_dir_make_tmp("morph-log-XXXXXX", NULL);
    char *path = g_build_filename(dir, "morph.log", NULL);
    Error *err = NULL;
    char *text;

    g_assert_nonnull(dir);
    g_assert_true(log_file() == stderr);
    g_assert_true(log_set_file(path, &err));
    g_assert_null(err);
    g_assert_true(log_file() != stderr);

    log_set_mask(log_parse_mask("guest_errors", NULL, &error_abort));
    log_guest_error("bad register 0x%x\n", 0x40);
    log_unimp("not written: unimp is off\n");
    log_mask_printf(LOG_INT | LOG_GUEST_ERROR, "either category\n");
    log_printf("unconditional %d\n", 3);
    log_set_mask(0);
    log_guest_error("not written: mask is 0\n");

    g_assert_true(log_set_file(NULL, &err));
    g_assert_true(log_file() == stderr);
    text = read_file_or_fail(path);
    g_assert_cmpstr(text, ==, "bad register 0x40\neither category\nunconditional 3\n");
    g_free(text);

    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

static void test_file_switch(void)
{
    char *dir = g_dir_make_tmp("morph-log-XXXXXX", NULL);
    char *a = g_build_filename(dir, "a.log", NULL);
    char *b = g_build_filename(dir, "b.log", NULL);
    char *text;

    g_assert_true(log_set_file(a, &error_abort));
    log_printf("to a\n");
    g_assert_true(log_set_file(b, &error_abort));
    log_printf("to b\n");
    g_assert_true(log_set_file(NULL, &error_abort));

    text = read_file_or_fail(a);
    g_assert_cmpstr(text, ==, "to a\n");
    g_free(text);
    text = read_file_or_fail(b);
    g_assert_cmpstr(text, ==, "to b\n");
    g_free(text);

    /* -D truncates, as QEMU does for a new run. */
    g_assert_true(log_set_file(a, &error_abort));
    log_printf("again\n");
    g_assert_true(log_set_file(NULL, &error_abort));
    text = read_file_or_fail(a);
    g_assert_cmpstr(text, ==, "again\n");
    g_free(text);

    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
    g_free(a);
    g_free(b);
    g_free(dir);
}

static void test_file_bad_path(void)
{
    char *dir = g_dir_make_tmp("morph-log-XXXXXX", NULL);
    char *good = g_build_filename(dir, "good.log", NULL);
    char *bad = g_build_filename(dir, "missing", "x.log", NULL);
    Error *err = NULL;
    FILE *before;
    char *text;

    g_assert_true(log_set_file(good, &error_abort));
    before = log_file();
    g_assert_false(log_set_file(bad, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), bad));
    g_assert_nonnull(strstr(error_get_pretty(err), g_strerror(ENOENT)));
    error_free(err);

    /* A failed -D keeps the previous destination. */
    g_assert_true(log_file() == before);
    log_printf("still here\n");
    g_assert_true(log_set_file(NULL, &error_abort));
    text = read_file_or_fail(good);
    g_assert_cmpstr(text, ==, "still here\n");
    g_free(text);

    g_unlink(good);
    g_rmdir(dir);
    g_free(good);
    g_free(bad);
    g_free(dir);
}

static void test_stderr_default(void)
{
    if (g_test_subprocess()) {
        log_set_mask(LOG_UNIMP);
        log_unimp("csr 0x%03x\n", 0x7c0);
        log_guest_error("not shown\n");
        log_printf("plain\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("");
    g_test_trap_assert_stderr("csr 0x7c0\nplain\n");
}

#define LOG_THREADS 4
#define LOG_LINES   500

static gpointer log_thread(gpointer opaque)
{
    int id = GPOINTER_TO_INT(opaque);
    int i;

    for (i = 0; i < LOG_LINES; i++) {
        log_mask_printf(LOG_EXEC, "thread %d line %d\n", id, i);
    }
    return NULL;
}

static void test_threads(void)
{
    char *dir = g_dir_make_tmp("morph-log-XXXXXX", NULL);
    char *path = g_build_filename(dir, "t.log", NULL);
    GThread *threads[LOG_THREADS];
    int next[LOG_THREADS] = {0};
    char **lines;
    char *text;
    size_t n;
    int i;

    g_assert_true(log_set_file(path, &error_abort));
    log_set_mask(LOG_EXEC);
    for (i = 0; i < LOG_THREADS; i++) {
        threads[i] = g_thread_new("log", log_thread, GINT_TO_POINTER(i));
    }
    for (i = 0; i < LOG_THREADS; i++) {
        g_thread_join(threads[i]);
    }
    log_set_mask(0);
    g_assert_true(log_set_file(NULL, &error_abort));

    /* Every line whole, and each thread's lines in its own order. */
    text = read_file_or_fail(path);
    lines = g_strsplit(text, "\n", -1);
    for (n = 0; lines[n] && lines[n][0]; n++) {
        int id;
        int line;

        g_assert_cmpint(sscanf(lines[n], "thread %d line %d", &id, &line), ==, 2);
        g_assert_cmpint(id, >=, 0);
        g_assert_cmpint(id, <, LOG_THREADS);
        g_assert_cmpint(line, ==, next[id]);
        next[id]++;
    }
    g_assert_cmpuint(n, ==, LOG_THREADS * LOG_LINES);
    g_strfreev(lines);
    g_free(text);

    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/log/items-table", test_items_table);
    g_test_add_func("/log/parse/each-item", test_parse_each_item);
    g_test_add_func("/log/parse/list", test_parse_list);
    g_test_add_func("/log/parse/unknown", test_parse_unknown);
    g_test_add_func("/log/parse/empty-items", test_parse_empty_items);
    g_test_add_func("/log/parse/help", test_parse_help);
    g_test_add_func("/log/print-help", test_print_help);
    g_test_add_func("/log/enabled", test_enabled);
    g_test_add_func("/log/file", test_file);
    g_test_add_func("/log/file-switch", test_file_switch);
    g_test_add_func("/log/file-bad-path", test_file_bad_path);
    g_test_add_func("/log/stderr-default", test_stderr_default);
    g_test_add_func("/log/threads", test_threads);

    return g_test_run();
}
