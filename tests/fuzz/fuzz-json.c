/*
 * Fuzz target for the monitor's input side: every input goes through the
 * streaming JSON parser (whole, split in two, and byte by byte: the results
 * must agree), each parsed value through write/parse round trips (the
 * text must settle after one), then into a QMP session (after negotiation)
 * and an HMP session, with no machine hooks installed.  Any crash,
 * sanitizer report, hang or disagreement is a bug: QMP and HMP input is
 * untrusted (design.md, "Errors and hostile input").
 *
 * Built two ways, like fuzz-qcow2.c: with -DFUZZ_LIBFUZZER and
 * -fsanitize=fuzzer it is a libFuzzer target (LLVMFuzzerTestOneInput);
 * otherwise main() replays a corpus (files or directories) and, with
 * --mutate N, N deterministic mutations of each input, reporting TAP so
 * that `meson test` runs it (tests/fuzz/corpus/json/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "monitor/json.h"
#include "monitor/monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each emitted value or error, as text, to compare the ways of feeding. */
static void fuzz_collect(void *opaque, QObject *value, Error *err)
{
    GString *log = opaque;

    if (value) {
        /*
         * write -> parse -> write reaches a fixed point after one round:
         * -0.0 prints as "-0" and comes back as the integer 0, an infinity
         * prints as null.
         */
        char *text = json_to_string(value, 0);
        QObject *back = json_parse(text, &error_abort);
        char *text2 = json_to_string(back, 0);
        QObject *back2 = json_parse(text2, &error_abort);
        char *text3 = json_to_string(back2, 0);

        if (strcmp(text2, text3) != 0 || !qobject_equal(back, back2)) {
            fprintf(stderr, "round trip is unstable: [%s] -> [%s] -> [%s]\n", text, text2, text3);
            abort();
        }
        g_string_append_printf(log, "V%s\n", text);
        g_free(text);
        g_free(text2);
        g_free(text3);
        qobject_unref(back);
        qobject_unref(back2);
        qobject_unref(value);
    } else {
        g_string_append_printf(log, "E%s\n", error_get_pretty(err));
        error_free(err);
    }
}

static char *fuzz_parse(const uint8_t *data, size_t size, size_t step)
{
    GString *log = g_string_new(NULL);
    JsonParser *p = json_parser_new(fuzz_collect, log);

    for (size_t off = 0; off < size; off += step) {
        json_parser_feed(p, data + off, MIN(step, size - off));
    }
    json_parser_flush(p);
    json_parser_free(p);
    return g_string_free(log, FALSE);
}

static ssize_t fuzz_chan_write(void *opaque, const void *buf, size_t len)
{
    return (ssize_t)len; /* a reader as fast as we like */
}

static const MonitorChannelOps fuzz_chan_ops = {
    .write = fuzz_chan_write,
};

static void fuzz_session(MonitorMode mode, const char *prologue, const uint8_t *data, size_t size)
{
    MonitorOptions opts = {.mode = mode};
    Monitor *mon = monitor_new(&opts, &fuzz_chan_ops, NULL);

    monitor_open(mon);
    monitor_input(mon, prologue, strlen(prologue));
    monitor_input(mon, data, size);
    monitor_input(mon, "\n", 1);
    monitor_close(mon);
    monitor_free(mon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *whole = fuzz_parse(data, size, size ? size : 1);
    char *halves = fuzz_parse(data, size, size / 2 + 1);

    if (strcmp(whole, halves) != 0) {
        fprintf(stderr, "split input disagrees:\n%s---\n%s", whole, halves);
        abort();
    }
    if (size <= 4096) {
        char *bytes = fuzz_parse(data, size, 1);

        if (strcmp(whole, bytes) != 0) {
            fprintf(stderr, "byte-by-byte input disagrees:\n%s---\n%s", whole, bytes);
            abort();
        }
        g_free(bytes);
    }
    g_free(whole);
    g_free(halves);

    monitor_set_hooks(NULL);
    fuzz_session(MONITOR_MODE_QMP, "{\"execute\": \"qmp_capabilities\"}", data, size);
    fuzz_session(MONITOR_MODE_HMP, "", data, size);
    return 0;
}

#ifndef FUZZ_LIBFUZZER
static uint64_t fuzz_rng = 0x9e3779b97f4a7c15ULL;

static uint64_t fuzz_rand(void)
{
    fuzz_rng ^= fuzz_rng >> 12;
    fuzz_rng ^= fuzz_rng << 25;
    fuzz_rng ^= fuzz_rng >> 27;
    return fuzz_rng * 2685821657736338717ULL;
}

static void fuzz_insert(GByteArray *b, guint pos, const void *data, guint len)
{
    guint old = b->len;

    g_byte_array_set_size(b, old + len);
    memmove(b->data + pos + len, b->data + pos, old - pos);
    memcpy(b->data + pos, data, len);
}

/* Mutations aimed at a tokenizer: structural bytes, quotes, escapes, bad UTF-8, splices. */
static uint8_t *fuzz_mutate(const uint8_t *in, size_t n, size_t *out_len)
{
    static const char *const snippets[] = {
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "'",
        "\\",
        "\\u",
        "\\uD800",
        "\n",
        "\xff",
        "\xc3",
        "\xc0\x80",
        "-",
        "0",
        "1e999",
        "18446744073709551616",
        "true",
        "nul",
        "%d",
        "/",
        "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"x/8xb 0\"}}",
        "{\"execute\": \"query-status\", \"id\": [",
    };
    GByteArray *b = g_byte_array_new();
    int edits = 1 + (int)(fuzz_rand() % 4);

    g_byte_array_append(b, in, (guint)n);
    for (int e = 0; e < edits; e++) {
        size_t pos = b->len ? fuzz_rand() % (b->len + 1) : 0;

        switch (fuzz_rand() % 5) {
        case 0:
            if (pos < b->len) {
                b->data[pos] ^= (uint8_t)(1u << (fuzz_rand() % 8));
            }
            break;
        case 1: {
            const char *s = snippets[fuzz_rand() % G_N_ELEMENTS(snippets)];

            fuzz_insert(b, (guint)pos, s, (guint)strlen(s));
            break;
        }
        case 2:
            if (pos < b->len) {
                size_t cut = 1 + fuzz_rand() % 8; /* not inside MIN(): it evaluates twice */

                g_byte_array_remove_range(b, (guint)pos, (guint)MIN(b->len - pos, cut));
            }
            break;
        case 3:
            /* duplicate a slice: deeper nesting, repeated keys */
            if (pos < b->len) {
                size_t want = 1 + fuzz_rand() % 32;
                guint len = (guint)MIN(b->len - pos, want);
                uint8_t *slice = g_memdup2(b->data + pos, len);

                fuzz_insert(b, (guint)pos, slice, len);
                g_free(slice);
            }
            break;
        default:
            if (pos < b->len) {
                b->data[pos] = (uint8_t)fuzz_rand();
            }
            break;
        }
    }
    *out_len = b->len;
    return g_byte_array_free(b, FALSE);
}

static int fuzz_run_file(const char *path, int mutations, int *tap_n, bool tap)
{
    gchar *data;
    gsize len;

    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "fuzz-json: cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((uint8_t *)data, len);
    for (int m = 0; m < mutations; m++) {
        size_t n;
        uint8_t *copy = fuzz_mutate((uint8_t *)data, len, &n);

        LLVMFuzzerTestOneInput(copy, n);
        g_free(copy);
    }
    if (tap) {
        printf("ok %d - %s (+%d mutations)\n", ++*tap_n, path, mutations);
        fflush(stdout);
    }
    g_free(data);
    return 0;
}

static gint fuzz_path_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    int mutations = 0, n = 0, ret = 0;
    bool tap = false;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tap")) {
            tap = true;
        } else if (!strcmp(argv[i], "--mutate") && i + 1 < argc) {
            mutations = atoi(argv[++i]);
        } else if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            GDir *d = g_dir_open(argv[i], 0, NULL);
            GPtrArray *sorted = g_ptr_array_new();
            const char *name;

            while (d && (name = g_dir_read_name(d))) {
                g_ptr_array_add(sorted, g_build_filename(argv[i], name, NULL));
            }
            g_ptr_array_sort(sorted, fuzz_path_cmp);
            for (guint j = 0; j < sorted->len; j++) {
                g_ptr_array_add(files, g_ptr_array_index(sorted, j));
            }
            g_free(g_ptr_array_free(sorted, FALSE));
            if (d) {
                g_dir_close(d);
            }
        } else {
            g_ptr_array_add(files, g_strdup(argv[i]));
        }
    }
    if (files->len == 0) {
        fprintf(stderr, "usage: fuzz-json [--tap] [--mutate N] CORPUS_DIR_OR_FILE...\n");
        return 1;
    }
    if (tap) {
        printf("1..%u\n", files->len);
    }
    for (guint i = 0; i < files->len; i++) {
        ret |= fuzz_run_file(g_ptr_array_index(files, i), mutations, &n, tap);
    }
    g_ptr_array_free(files, TRUE);
    return ret;
}
#endif
