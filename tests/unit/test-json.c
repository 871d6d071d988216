/*
 * Unit tests for the monitor's JSON (monitor/json-*.c, monitor/q*.c): the
 * streaming parser on valid and hostile input fed whole, split at every
 * byte boundary and byte by byte (the result must not depend on how the
 * bytes arrive), QEMU's error messages and resynchronisation, the nesting,
 * size and token-count limits, UTF-8 validation, int64/uint64/double number
 * edges, and the writer's QEMU-compatible escaping, pretty layout and
 * member order, with parse/write round trips.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "monitor/json.h"

/* Everything the parser emitted, as "V:<compact json>" or "E:<message>". */
static void collect_emit(void *opaque, QObject *value, Error *err)
{
    GPtrArray *events = opaque;

    g_assert_true((value == NULL) != (err == NULL));
    if (value) {
        char *text = json_to_string(value, 0);

        g_ptr_array_add(events, g_strdup_printf("V:%s", text));
        g_free(text);
        qobject_unref(value);
    } else {
        g_ptr_array_add(events, g_strdup_printf("E:%s", error_get_pretty(err)));
        error_free(err);
    }
}

/* Feed `in` in pieces: split == 0 whole, split > 0 at that offset, split < 0 byte by byte. */
static GPtrArray *run_parser(const char *in, size_t len, long split, const JsonLimits *limits)
{
    GPtrArray *events = g_ptr_array_new_with_free_func(g_free);
    JsonParser *p = json_parser_new(collect_emit, events);

    if (limits) {
        json_parser_set_limits(p, limits);
    }
    if (split < 0) {
        for (size_t i = 0; i < len; i++) {
            json_parser_feed(p, in + i, 1);
        }
    } else if (split > 0) {
        json_parser_feed(p, in, (size_t)split);
        json_parser_feed(p, in + split, len - (size_t)split);
    } else {
        json_parser_feed(p, in, len);
    }
    json_parser_flush(p);
    json_parser_free(p);
    return events;
}

static char *events_join(GPtrArray *events)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < events->len; i++) {
        g_string_append_printf(s, "%s%s", i ? " | " : "", (char *)events->pdata[i]);
    }
    return g_string_free(s, FALSE);
}

/*
 * Parse `in` every way it can arrive and check each yields `expected`
 * (events joined with " | ").
 */
static void check_stream_len(const char *in, size_t len, const char *expected)
{
    GPtrArray *ev = run_parser(in, len, 0, NULL);
    char *whole = events_join(ev);

    g_ptr_array_free(ev, TRUE);
    if (g_strcmp0(whole, expected) != 0) {
        g_error("input '%.*s': got [%s], expected [%s]", (int)len, in, whole, expected);
    }
    for (long split = -1; split < (long)len; split++) {
        char *got;

        if (split == 0) {
            continue;
        }
        ev = run_parser(in, len, split, NULL);
        got = events_join(ev);
        g_ptr_array_free(ev, TRUE);
        if (strcmp(got, whole) != 0) {
            g_error("input '%.*s' split at %ld: got [%s], whole gave [%s]", (int)len, in, split,
                    got, whole);
        }
        g_free(got);
    }
    g_free(whole);
}

static void check_stream(const char *in, const char *expected)
{
    check_stream_len(in, strlen(in), expected);
}

static void test_valid_values(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"{}", "V:{}"},
        {"[]", "V:[]"},
        {" { \"a\" : 1 } ", "V:{\"a\": 1}"},
        {"{\"execute\":\"qmp_capabilities\"}", "V:{\"execute\": \"qmp_capabilities\"}"},
        {"[1,2,[3,[4,{}]],\"x\"]", "V:[1, 2, [3, [4, {}]], \"x\"]"},
        {"{\"a\":{\"b\":{\"c\":[true,false,null]}}}",
         "V:{\"a\": {\"b\": {\"c\": [true, false, null]}}}"},
        {"\t\r\n{\"k\":\"v\"}\n", "V:{\"k\": \"v\"}"},
        {"'single'", "V:\"single\""},
        {"{'a': 'it\\'s \"q\"'}", "V:{\"a\": \"it's \\\"q\\\"\"}"},
        {"\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "V:\"esc \\\" \\\\ / \\b \\f \\n \\r \\t\""},
        {"\"\\u0041\\u00e9\\u20AC\"", "V:\"A\\u00E9\\u20AC\""},
        {"\"\\uD83D\\uDE00\"", "V:\"\\uD83D\\uDE00\""},
        {"\"\\u0000\"", "V:\"\\u0000\""},
        {"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
         "V:\"caf\\u00E9 \\u20AC \\uD83D\\uDE00\""},
        {"\"\xc0\x80\"", "V:\"\\u0000\""},
        {"true", "V:true"},
        {"false null", "V:false | V:null"},
        {"1 2 3", "V:1 | V:2 | V:3"},
        {"{}{}[]", "V:{} | V:{} | V:[]"},
        {"{\"a\":1}\n{\"b\":2}\n", "V:{\"a\": 1} | V:{\"b\": 2}"},
        {"", ""},
        {"   \n\t ", ""},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_stream(cases[i].in, cases[i].out);
    }
}

static void test_numbers(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0", "V:0"},
        {"-0", "V:0"},
        {"42", "V:42"},
        {"-17", "V:-17"},
        {"9223372036854775807", "V:9223372036854775807"},
        {"-9223372036854775808", "V:-9223372036854775808"},
        {"9223372036854775808", "V:9223372036854775808"},
        {"18446744073709551615", "V:18446744073709551615"},
        {"18446744073709551616", "V:1.8446744073709552e+19"},
        {"-9223372036854775809", "V:-9.2233720368547758e+18"},
        {"1.5", "V:1.5"},
        {"-0.25", "V:-0.25"},
        {"0.1", "V:0.10000000000000001"},
        {"1e3", "V:1000"},
        {"1E+2", "V:100"},
        {"2.5e-3", "V:0.0025000000000000001"},
        {"0e5", "V:0"},
        {"1e400", "V:null"},
        {"[1,-1,1.0]", "V:[1, -1, 1]"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_stream(cases[i].in, cases[i].out);
    }
}

static void test_number_kinds(void)
{
    QObject *v;
    int64_t i;
    uint64_t u;
    double d;

    v = json_parse("9223372036854775807", &error_abort);
    g_assert_cmpint(qobject_num_kind(v), ==, QNUM_I64);
    g_assert_true(qobject_get_int(v, &i));
    g_assert_cmpint(i, ==, INT64_MAX);
    g_assert_true(qobject_get_uint(v, &u));
    qobject_unref(v);

    v = json_parse("18446744073709551615", &error_abort);
    g_assert_cmpint(qobject_num_kind(v), ==, QNUM_U64);
    g_assert_false(qobject_get_int(v, &i));
    g_assert_true(qobject_get_uint(v, &u));
    g_assert_cmpuint(u, ==, UINT64_MAX);
    qobject_unref(v);

    v = json_parse("-1", &error_abort);
    g_assert_false(qobject_get_uint(v, &u));
    qobject_unref(v);

    v = json_parse("1.0", &error_abort);
    g_assert_cmpint(qobject_num_kind(v), ==, QNUM_DOUBLE);
    g_assert_false(qobject_get_int(v, &i));
    g_assert_true(qobject_get_double(v, &d));
    g_assert_cmpfloat(d, ==, 1.0);
    qobject_unref(v);

    v = json_parse("1e400", &error_abort);
    g_assert_true(qobject_get_double(v, &d));
    g_assert_true(isinf(d));
    qobject_unref(v);
}

static void test_errors(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* lexical errors, then resynchronisation at the next structural char */
        {"@", "E:JSON parse error, stray '@'"},
        {"{\"a\": @}", "E:JSON parse error, stray '@' | E:JSON parse error, expecting value"},
        {"garbage\n{\"ok\":1}", "E:JSON parse error, invalid keyword 'garbage' | V:{\"ok\": 1}"},
        {"Garbage\n{}", "E:JSON parse error, stray 'G' | V:{}"},
        {"01", "E:JSON parse error, stray '01'"},
        {"-", "E:JSON parse error, stray '-'"},
        {"1.", "E:JSON parse error, stray '1.'"},
        {".5", "E:JSON parse error, stray '.'"},
        {"1e", "E:JSON parse error, stray '1e'"},
        {"\"abc", "E:JSON parse error, stray '\"abc'"},
        {"\"a\nb\" {}", "E:JSON parse error, stray '\"a\n' | V:{}"},
        {"\xff{}", "E:JSON parse error, stray '\xff' | V:{}"},
        {"{\"a\":1\xfe}", "E:JSON parse error, stray '\xfe' | E:JSON parse error, expecting value"},
        /* grammar errors */
        {"{", "E:JSON parse error, premature EOI"},
        {"[1,", "E:JSON parse error, premature EOI"},
        {"}", "E:JSON parse error, expecting value"},
        {"]", "E:JSON parse error, expecting value"},
        {"[1}", "E:JSON parse error, expected separator in list"},
        {"{\"a\" 1}", "E:JSON parse error, missing : in object pair"},
        {"{1:2}", "E:JSON parse error, key is not a string in object"},
        {"{\"a\":}", "E:JSON parse error, expecting value"},
        {"{\"a\":1 \"b\":2}", "E:JSON parse error, expected separator in dict"},
        {"{\"a\":1,\"a\":2}", "E:JSON parse error, duplicate key"},
        {"[1,]", "E:JSON parse error, expecting value"},
        {"[,1]", "E:JSON parse error, expecting value"},
        {"nul", "E:JSON parse error, invalid keyword 'nul'"},
        {"{\"a\":truex}", "E:JSON parse error, invalid keyword 'truex'"},
        {"\"\\x\"", "E:JSON parse error, invalid escape sequence in string"},
        {"\"\\u12G4\"", "E:JSON parse error, \\u12G4 is not a valid Unicode character"},
        {"\"\\uD800\"", "E:JSON parse error, \\uD800 is not a valid Unicode character"},
        {"\"\\uDC00\"", "E:JSON parse error, \\uDC00 is not a valid Unicode character"},
        {"\"\\uD800\\u0041\"", "E:JSON parse error, \\uD800 is not a valid Unicode character"},
        {"\"\\uFFFF\"", "E:JSON parse error, \\uFFFF is not a valid Unicode character"},
        /* errors do not poison what follows */
        {"[1 2]{\"x\":[]}", "E:JSON parse error, expected separator in list | V:{\"x\": []}"},
        {"}{}", "E:JSON parse error, expecting value | V:{}"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_stream(cases[i].in, cases[i].out);
    }
}

static void test_invalid_utf8(void)
{
    static const char *const bad[] = {
        "\"\xc3\x28\"",             /* lead byte without continuation */
        "\"\x80\"",                 /* lone continuation byte */
        "\"\xc0\xaf\"",             /* overlong '/' */
        "\"\xe0\x80\xaf\"",         /* overlong, 3 bytes */
        "\"\xed\xa0\x80\"",         /* UTF-16 surrogate */
        "\"\xef\xbf\xbf\"",         /* noncharacter U+FFFF */
        "\"\xf4\x90\x80\x80\"",     /* beyond U+10FFFF */
        "\"\xf8\x88\x80\x80\x80\"", /* 5-byte form */
        "\"abc\xe2\x82\"",          /* truncated before the quote */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *in = g_strdup_printf("%s\n{}", bad[i]);

        check_stream(in, "E:JSON parse error, invalid UTF-8 sequence in string | V:{}");
        g_free(in);
    }
    /* NUL cannot appear raw: it ends a token like any control character */
    check_stream_len("\"a\0b\" []", 8, "E:JSON parse error, stray '\"a' | V:[]");
}

static void test_depth_limit(void)
{
    GString *in = g_string_new(NULL);
    GPtrArray *ev;

    /* 1024 levels: accepted */
    for (int i = 0; i < 1024; i++) {
        g_string_append_c(in, '[');
    }
    for (int i = 0; i < 1024; i++) {
        g_string_append_c(in, ']');
    }
    ev = run_parser(in->str, in->len, 0, NULL);
    g_assert_cmpuint(ev->len, ==, 1);
    g_assert_true(g_str_has_prefix(ev->pdata[0], "V:[[[["));
    g_ptr_array_free(ev, TRUE);

    /* 1025: refused, then the stream resynchronises on the next object */
    g_string_truncate(in, 0);
    for (int i = 0; i < 1025; i++) {
        g_string_append(in, "{\"a\":");
    }
    g_string_append(in, "\n");
    ev = run_parser(in->str, in->len, 0, NULL);
    g_assert_cmpuint(ev->len, >=, 1);
    g_assert_cmpstr(ev->pdata[0], ==, "E:JSON nesting depth limit exceeded");
    g_ptr_array_free(ev, TRUE);

    /* mixed braces and brackets count together */
    g_string_truncate(in, 0);
    for (int i = 0; i < 600; i++) {
        g_string_append(in, "[{\"k\":");
    }
    ev = run_parser(in->str, in->len, -1, NULL);
    g_assert_cmpstr(ev->pdata[0], ==, "E:JSON nesting depth limit exceeded");
    g_ptr_array_free(ev, TRUE);
    g_string_free(in, TRUE);
}

static void test_size_limits(void)
{
    JsonLimits small = {.max_size = 1000, .max_tokens = 100, .max_depth = 1024};
    GString *in = g_string_new("[\"");
    GPtrArray *ev;

    /* one long string */
    for (int i = 0; i < 2000; i++) {
        g_string_append_c(in, 'a');
    }
    g_string_append(in, "\"]\n{\"after\":1}");
    ev = run_parser(in->str, in->len, 0, &small);
    g_assert_cmpstr(ev->pdata[0], ==, "E:JSON token size limit exceeded");
    g_assert_cmpstr(ev->pdata[ev->len - 1], ==, "V:{\"after\": 1}");
    g_ptr_array_free(ev, TRUE);

    /* many small tokens adding up */
    g_string_assign(in, "[");
    for (int i = 0; i < 99; i++) {
        g_string_append(in, "1,");
    }
    g_string_append(in, "1]");
    ev = run_parser(in->str, in->len, 0, &small);
    g_assert_cmpstr(ev->pdata[0], ==, "E:JSON token count limit exceeded");
    g_ptr_array_free(ev, TRUE);

    g_string_assign(in, "[");
    for (int i = 0; i < 40; i++) {
        g_string_append(in, "\"0123456789012345678901234\",");
    }
    g_string_append(in, "1]");
    ev = run_parser(in->str, in->len, 0, &small);
    g_assert_cmpstr(ev->pdata[0], ==, "E:JSON token size limit exceeded");
    g_ptr_array_free(ev, TRUE);
    g_string_free(in, TRUE);
}

/* QEMU's real limit: a 65 MiB string is refused without being parsed. */
static void test_huge_input(void)
{
    enum { CHUNK = 1 << 20 };
    GPtrArray *events = g_ptr_array_new_with_free_func(g_free);
    JsonParser *p = json_parser_new(collect_emit, events);
    char *chunk = g_malloc(CHUNK);

    memset(chunk, 'x', CHUNK);
    json_parser_feed(p, "{\"data\": \"", 10);
    for (int i = 0; i < 65; i++) {
        json_parser_feed(p, chunk, CHUNK);
    }
    json_parser_feed(p, "\"}\n{\"ok\": true}", 15);
    json_parser_flush(p);
    g_assert_cmpuint(events->len, >=, 2);
    g_assert_cmpstr(events->pdata[0], ==, "E:JSON token size limit exceeded");
    g_assert_cmpstr(events->pdata[events->len - 1], ==, "V:{\"ok\": true}");
    json_parser_free(p);
    g_ptr_array_free(events, TRUE);
    g_free(chunk);
}

/* Random bytes never crash, hang or leak, and every emit is well formed. */
static void test_garbage(void)
{
    GRand *rand = g_rand_new_with_seed(12345);
    static const char alphabet[] = "{}[]:,\"'\\ \n01-.eE+truefalsn@\xff\xc3\xa9\x80u";
    char buf[256];

    for (int round = 0; round < 2000; round++) {
        size_t len = g_rand_int_range(rand, 1, sizeof(buf));
        GPtrArray *ev;

        for (size_t i = 0; i < len; i++) {
            buf[i] = g_rand_boolean(rand)
                         ? alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)]
                         : (char)g_rand_int_range(rand, 0, 256);
        }
        ev = run_parser(buf, len, (long)g_rand_int_range(rand, -1, (gint32)len), NULL);
        g_ptr_array_free(ev, TRUE);
    }
    g_rand_free(rand);
}

static void test_writer_escapes(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "\"plain\""},
        {"q\"b\\s/", "\"q\\\"b\\\\s/\""},
        {"\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""},
        {"\x01\x1f\x7f", "\"\\u0001\\u001F\\u007F\""},
        {"\xc3\xa9", "\"\\u00E9\""},
        {"\xf0\x9f\x98\x80", "\"\\uD83D\\uDE00\""},
        {"bad\xff!", "\"bad\\uFFFD!\""},
        {"\xc0\x80", "\"\\u0000\""},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GString *out = g_string_new(NULL);

        json_write_string(out, cases[i].in);
        g_assert_cmpstr(out->str, ==, cases[i].out);
        g_string_free(out, TRUE);
    }
}

static void test_writer_layout(void)
{
    QObject *v =
        json_parse("{\"return\": {}, \"list\": [1, {\"a\": []}], \"e\": []}", &error_abort);
    char *s;

    s = json_to_string(v, 0);
    g_assert_cmpstr(s, ==, "{\"return\": {}, \"list\": [1, {\"a\": []}], \"e\": []}");
    g_free(s);
    /* QEMU's pretty=on layout */
    s = json_to_string(v, JSON_WRITE_PRETTY);
    g_assert_cmpstr(
        s, ==,
        "{\n    \"return\": {\n    },\n    \"list\": [\n        1,\n        {\n"
        "            \"a\": [\n            ]\n        }\n    ],\n    \"e\": [\n    ]\n}");
    g_free(s);
    qobject_unref(v);
}

/* QEMU prints dict members in its hash order: reproduce its greeting byte for byte. */
static void test_writer_qemu_order(void)
{
    QObject *v = json_parse("{\"QMP\": {\"version\": {\"qemu\": {\"major\": 7, \"minor\": 2, "
                            "\"micro\": 0}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}",
                            &error_abort);
    char *s = json_to_string(v, JSON_WRITE_QEMU_ORDER);

    g_assert_cmpstr(
        s, ==,
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
        "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}");
    g_free(s);
    qobject_unref(v);

    v = json_parse("{\"id\": 1, \"return\": {}}", &error_abort);
    s = json_to_string(v, JSON_WRITE_QEMU_ORDER);
    g_assert_cmpstr(s, ==, "{\"return\": {}, \"id\": 1}");
    g_free(s);
    qobject_unref(v);

    v = json_parse("{\"error\": {\"class\": \"X\", \"desc\": \"y\"}, \"id\": 1}", &error_abort);
    s = json_to_string(v, JSON_WRITE_QEMU_ORDER);
    g_assert_cmpstr(s, ==, "{\"id\": 1, \"error\": {\"class\": \"X\", \"desc\": \"y\"}}");
    g_free(s);
    qobject_unref(v);
}

static void test_round_trip(void)
{
    static const char *const values[] = {
        "{\"a\": [1, -2, 3.25, true, false, null, \"s\"], \"b\": {\"c\": {}}}",
        "[9223372036854775807, -9223372036854775808, 18446744073709551615]",
        "[0.10000000000000001, 1.7976931348623157e+308, 4.9406564584124654e-324, -0.5]",
        "\"\\u0000\\u0001 \\\" \\\\ \\u00E9 \\uD83D\\uDE00 \\uFFFD\"",
        "[[[[[[[[[[[]]]]]]]]]]]",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        QObject *a = json_parse(values[i], &error_abort);
        char *text = json_to_string(a, 0);
        char *pretty = json_to_string(a, JSON_WRITE_PRETTY);
        QObject *b = json_parse(text, &error_abort);
        QObject *c = json_parse(pretty, &error_abort);

        g_assert_true(qobject_equal(a, b));
        g_assert_true(qobject_equal(a, c));
        g_assert_cmpstr(text, ==, values[i]);
        g_free(text);
        g_free(pretty);
        qobject_unref(a);
        qobject_unref(b);
        qobject_unref(c);
    }
}

static void test_one_shot(void)
{
    Error *err = NULL;

    g_assert_null(json_parse("", &error_abort));
    g_assert_null(json_parse("1 2", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Expecting at most one JSON value");
    error_free(err);
    err = NULL;
    g_assert_null(json_parse("[", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "JSON parse error, premature EOI");
    error_free(err);
}

static void test_dict_model(void)
{
    QDict *d = qdict_new();
    char key[16];

    /* many keys: the hash index takes over and order is kept */
    for (int i = 0; i < 100; i++) {
        g_snprintf(key, sizeof(key), "k%d", i);
        qdict_put_int(d, key, i);
    }
    qdict_put_int(d, "k5", 500); /* replacing keeps the position */
    g_assert_cmpuint(qdict_size(d), ==, 100);
    g_assert_cmpstr(qdict_key_at(d, 5), ==, "k5");
    g_assert_cmpint(qdict_get_int_def(d, "k5", 0), ==, 500);
    g_assert_true(qdict_del(d, "k0"));
    g_assert_false(qdict_haskey(d, "k0"));
    g_assert_cmpstr(qdict_key_at(d, 0), ==, "k1");
    g_assert_cmpint(qdict_get_int_def(d, "k99", 0), ==, 99);
    g_assert_false(qdict_del(d, "nope"));
    qobject_unref(qdict_obj(d));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/valid", test_valid_values);
    g_test_add_func("/json/numbers", test_numbers);
    g_test_add_func("/json/number-kinds", test_number_kinds);
    g_test_add_func("/json/errors", test_errors);
    g_test_add_func("/json/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/json/depth-limit", test_depth_limit);
    g_test_add_func("/json/size-limits", test_size_limits);
    g_test_add_func("/json/huge-input", test_huge_input);
    g_test_add_func("/json/garbage", test_garbage);
    g_test_add_func("/json/writer-escapes", test_writer_escapes);
    g_test_add_func("/json/writer-layout", test_writer_layout);
    g_test_add_func("/json/writer-qemu-order", test_writer_qemu_order);
    g_test_add_func("/json/round-trip", test_round_trip);
    g_test_add_func("/json/one-shot", test_one_shot);
    g_test_add_func("/json/dict-model", test_dict_model);
    return g_test_run();
}
