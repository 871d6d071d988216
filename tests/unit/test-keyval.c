/*
 * Unit tests for util/keyval.c: QEMU's option-string syntax as users write
 * it after -machine, -drive, -netdev ... (implied first key, ',,' escapes,
 * bare flags, repeated keys), QEMU's boolean spellings, and the strict
 * number and size parsers behind -m and size= properties.  Expected values
 * are what QEMU accepts or rejects for the same strings.
 */
#include <string.h>

#include <glib.h>

#include "util/keyval.h"

/* Parse, asserting success and the number of items. */
static Opts *parse_ok(const char *str, const char *implied, unsigned count)
{
    Error *err = NULL;
    Opts *opts = opts_parse(str, implied, &err);

    if (err) {
        g_error("opts_parse(\"%s\") failed: %s", str, error_get_pretty(err));
    }
    g_assert_nonnull(opts);
    g_assert_cmpuint(opts->count, ==, count);
    return opts;
}

static void assert_item(const Opts *opts, unsigned i, const char *key, const char *value)
{
    g_assert_cmpuint(i, <, opts->count);
    g_assert_cmpstr(opts->items[i].key, ==, key);
    g_assert_cmpstr(opts->items[i].value, ==, value);
}

/* Parse, asserting failure with an error whose text contains `needle`. */
static void parse_fails(const char *str, const char *implied, const char *needle)
{
    Error *err = NULL;

    g_assert_null(opts_parse(str, implied, &err));
    g_assert_nonnull(err);
    if (needle) {
        g_assert_nonnull(strstr(error_get_pretty(err), needle));
    }
    error_free(err);
    /* And with errp NULL it fails the same way, without leaking. */
    g_assert_null(opts_parse(str, implied, NULL));
}

static void test_basic(void)
{
    Opts *opts = parse_ok("a=1,b=two,c=", NULL, 3);

    assert_item(opts, 0, "a", "1");
    assert_item(opts, 1, "b", "two");
    assert_item(opts, 2, "c", "");
    g_assert_cmpstr(opts_get(opts, "b"), ==, "two");
    g_assert_cmpstr(opts_get(opts, "c"), ==, "");
    g_assert_null(opts_get(opts, "d"));
    g_assert_true(opts_has(opts, "c"));
    g_assert_false(opts_has(opts, "d"));
    g_assert_false(opts_has(opts, "A"));
    g_assert_cmpstr(opts_get_default(opts, "a", "x"), ==, "1");
    g_assert_cmpstr(opts_get_default(opts, "d", "x"), ==, "x");
    g_assert_null(opts_get_default(opts, "d", NULL));
    opts_free(opts);
}

static void test_value_with_equals(void)
{
    /* Only the first '=' separates; the rest belongs to the value. */
    Opts *opts = parse_ok("append=console=ttyS0 root=/dev/vda,x=a=b", NULL, 2);

    assert_item(opts, 0, "append", "console=ttyS0 root=/dev/vda");
    assert_item(opts, 1, "x", "a=b");
    opts_free(opts);
}

static void test_empty(void)
{
    Opts *opts = parse_ok("", NULL, 0);

    g_assert_null(opts_get(opts, "a"));
    opts_free(opts);
    opts = parse_ok("", "type", 0);
    g_assert_false(opts_has(opts, "type"));
    opts_free(opts);
    opts_free(NULL);
}

static void test_implied_key(void)
{
    Opts *opts = parse_ok("virt,dumpdtb=x.dtb", "type", 2);

    assert_item(opts, 0, "type", "virt");
    assert_item(opts, 1, "dumpdtb", "x.dtb");
    opts_free(opts);

    /* The implied key may still be written out. */
    opts = parse_ok("type=virt,acpi=off", "type", 2);
    assert_item(opts, 0, "type", "virt");
    opts_free(opts);

    /* Only the first item is implied; later bare items are flags. */
    opts = parse_ok("rv64,zbb,v=false", "model", 3);
    assert_item(opts, 0, "model", "rv64");
    assert_item(opts, 1, "zbb", "on");
    assert_item(opts, 2, "v", "false");
    opts_free(opts);

    opts = parse_ok("user", "type", 1);
    assert_item(opts, 0, "type", "user");
    opts_free(opts);
}

static void test_escapes(void)
{
    Opts *opts = parse_ok("file=a,,b,if=virtio", NULL, 2);

    assert_item(opts, 0, "file", "a,b");
    assert_item(opts, 1, "if", "virtio");
    opts_free(opts);

    opts = parse_ok("x=,,,,,y=,,", NULL, 2);
    assert_item(opts, 0, "x", ",,");
    assert_item(opts, 1, "y", ",");
    opts_free(opts);

    /* An odd run: ",,," is an escaped comma and then the separator. */
    opts = parse_ok("a=1,,,b", NULL, 2);
    assert_item(opts, 0, "a", "1,");
    assert_item(opts, 1, "b", "on");
    opts_free(opts);

    /* The implied value is escaped the same way. */
    opts = parse_ok("my,,disk.img,format=raw", "file", 2);
    assert_item(opts, 0, "file", "my,disk.img");
    assert_item(opts, 1, "format", "raw");
    opts_free(opts);
}

static void test_trailing_comma(void)
{
    Opts *opts = parse_ok("a=1,", NULL, 1);

    assert_item(opts, 0, "a", "1");
    opts_free(opts);
}

static void test_flags(void)
{
    Opts *opts = parse_ok("acpi,noacpi,x=1,help", NULL, 4);

    assert_item(opts, 0, "acpi", "on");
    /* "nokey" is an ordinary key, not key=off. */
    assert_item(opts, 1, "noacpi", "on");
    assert_item(opts, 2, "x", "1");
    assert_item(opts, 3, "help", "on");
    g_assert_false(opts_has(opts, "no"));
    opts_free(opts);
}

static void test_repeated_keys(void)
{
    Opts *opts = parse_ok("dev=a,x=1,dev=b,dev=c", NULL, 4);

    assert_item(opts, 0, "dev", "a");
    assert_item(opts, 2, "dev", "b");
    assert_item(opts, 3, "dev", "c");
    /* opts_get sees the last one, as QEMU does. */
    g_assert_cmpstr(opts_get(opts, "dev"), ==, "c");
    opts_free(opts);
}

static void test_bad_syntax(void)
{
    parse_fails(",=x", NULL, "Empty parameter name");
    parse_fails(",=x", "type", "Empty parameter name");
    parse_fails("=x", NULL, "Empty parameter name");
    parse_fails("a=1,=2", NULL, "Empty parameter name");
    parse_fails(",a=1", NULL, "Empty parameter name");
    /* ',,' escapes only inside values; between flags it is an empty item. */
    parse_fails("a,,b", NULL, "Empty parameter name");
}

static void test_parse_bool(void)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};
    static const char *const bad[] = {"", "On", "ON", "1", "0", "enable", "tru", "yess", " on"};
    size_t i;
    bool b;

    for (i = 0; i < G_N_ELEMENTS(yes); i++) {
        b = false;
        g_assert_true(parse_bool(yes[i], &b));
        g_assert_true(b);
        b = true;
        g_assert_true(parse_bool(no[i], &b));
        g_assert_false(b);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        b = true;
        g_assert_false(parse_bool(bad[i], &b));
        g_assert_true(b);
    }
}

static void test_get_bool(void)
{
    Opts *opts = parse_ok("acpi,smp=off,hpet=yes,bad=maybe", NULL, 4);
    Error *err = NULL;
    bool b;

    g_assert_true(opts_get_bool(opts, "acpi", false, &b, &err));
    g_assert_true(b);
    g_assert_true(opts_get_bool(opts, "smp", true, &b, &err));
    g_assert_false(b);
    g_assert_true(opts_get_bool(opts, "hpet", false, &b, &err));
    g_assert_true(b);
    g_assert_true(opts_get_bool(opts, "absent", true, &b, &err));
    g_assert_true(b);
    g_assert_true(opts_get_bool(opts, "absent", false, &b, &err));
    g_assert_false(b);
    g_assert_null(err);

    b = true;
    g_assert_false(opts_get_bool(opts, "bad", false, &b, &err));
    g_assert_true(b);
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'bad' expects 'on' or 'off'");
    error_free(err);
    g_assert_false(opts_get_bool(opts, "bad", false, &b, NULL));
    opts_free(opts);
}

static void test_parse_uint64(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"0", 0},
        {"42", 42},
        {"0x10", 16},
        {"0X1f", 31},
        {"010", 8},
        {"4294967296", UINT64_C(4294967296)},
        {"18446744073709551615", UINT64_MAX},
        {"0xffffffffffffffff", UINT64_MAX},
    };
    static const char *const bad[] = {
        "",
        "-1",
        "-0",
        "+1",
        " 1",
        "1 ",
        "1k",
        "12abc",
        "0x",
        "0xg",
        "08",
        "1.0",
        "18446744073709551616",
        "0x10000000000000000",
        "99999999999999999999999",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        uint64_t v = 12345;

        g_assert_true(parse_uint64(good[i].s, &v));
        g_assert_cmphex(v, ==, good[i].v);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        uint64_t v = 12345;

        if (parse_uint64(bad[i], &v)) {
            g_error("parse_uint64 accepted \"%s\"", bad[i]);
        }
        g_assert_cmpuint(v, ==, 12345);
    }
}

static void test_get_number(void)
{
    Opts *opts = parse_ok("cpus=4,addr=0x1000,neg=-1,junk=4x", NULL, 4);
    Error *err = NULL;
    uint64_t v;

    g_assert_true(opts_get_number(opts, "cpus", 1, &v, &err));
    g_assert_cmpuint(v, ==, 4);
    g_assert_true(opts_get_number(opts, "addr", 0, &v, &err));
    g_assert_cmphex(v, ==, 0x1000);
    g_assert_true(opts_get_number(opts, "absent", 7, &v, &err));
    g_assert_cmpuint(v, ==, 7);
    g_assert_null(err);

    g_assert_false(opts_get_number(opts, "neg", 0, &v, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'neg' expects a number");
    error_free(err);
    err = NULL;
    g_assert_false(opts_get_number(opts, "junk", 0, &v, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'junk' expects a number");
    error_free(err);
    opts_free(opts);
}

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define TiB (UINT64_C(1) << 40)
#define PiB (UINT64_C(1) << 50)
#define EiB (UINT64_C(1) << 60)

static void test_parse_size(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"0", 0},
        {"512", 512},
        {"512B", 512},
        {"512b", 512},
        {"1k", KiB},
        {"1K", KiB},
        {"64M", 64 * MiB},
        {"2m", 2 * MiB},
        {"16G", 16 * GiB},
        {"1.5G", GiB + GiB / 2},
        {"0.5K", 512},
        {"1.25M", MiB + MiB / 4},
        /* Truncated toward zero, as qemu_strtosz does. */
        {"12.345M", UINT64_C(12944670)},
        {"1.0", 1},
        {"3T", 3 * TiB},
        {"7P", 7 * PiB},
        {"15E", 15 * EiB},
        {"15.5E", 15 * EiB + EiB / 2},
        /* A leading zero is decimal here, unlike parse_uint64. */
        {"010", 10},
        {"0x10", 16},
        {"0x10M", 16 * MiB},
        {"18446744073709551615", UINT64_MAX},
        {"16383.99999999999999999999P", 16384 * PiB - 1},
        /* Digits past the 18th are dropped, not allowed to overflow. */
        {"1.1234567890123456789012345K", 1150},
    };
    static const char *const bad[] = {
        "",
        "-1",
        "-1G",
        "+1",
        " 1",
        "1 ",
        "G",
        "1X",
        "1KB",
        "1kib",
        "1.5",
        "0.5B",
        "1.",
        ".5G",
        "1..5G",
        "1.5.G",
        "0x",
        "0x1.5G",
        "1e3",
        /* Overflow, in every way it can happen. */
        "16E",
        "99999999999E",
        "18446744073709551616",
        "16384P",
        "0x10000000000000000",
        "16.0E",
        "1E0",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        uint64_t v = 12345;

        if (!parse_size(good[i].s, 1, &v)) {
            g_error("parse_size rejected \"%s\"", good[i].s);
        }
        g_assert_cmpuint(v, ==, good[i].v);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        uint64_t v = 12345;

        if (parse_size(bad[i], 1, &v)) {
            g_error("parse_size accepted \"%s\" as %" G_GUINT64_FORMAT, bad[i], v);
        }
        g_assert_cmpuint(v, ==, 12345);
    }
}

static void test_parse_size_default_unit(void)
{
    uint64_t v;

    /* -m: a bare number is in MiB, a suffix still wins. */
    g_assert_true(parse_size("512", MiB, &v));
    g_assert_cmpuint(v, ==, 512 * MiB);
    g_assert_true(parse_size("1.5", MiB, &v));
    g_assert_cmpuint(v, ==, MiB + MiB / 2);
    g_assert_true(parse_size("2G", MiB, &v));
    g_assert_cmpuint(v, ==, 2 * GiB);
    g_assert_true(parse_size("4096B", MiB, &v));
    g_assert_cmpuint(v, ==, 4096);
    g_assert_false(parse_size("17592186044416", MiB, &v));
    g_assert_false(parse_size("1", 0, &v));

    /* Other units work too, and their fractions can be what overflows. */
    g_assert_true(parse_size("3.3", 1000, &v));
    g_assert_cmpuint(v, ==, 3300);
    g_assert_true(parse_size("18446744073709551.615", 1000, &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    g_assert_true(parse_size("6148914691236517205", 3, &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    g_assert_false(parse_size("6148914691236517205.5", 3, &v));
    g_assert_false(parse_size("18446744073709551.616", 1000, &v));
}

static void test_get_size(void)
{
    Opts *opts = parse_ok("size=1.5G,small=512,big=99999999999E,neg=-1,suf=1Q", NULL, 5);
    Error *err = NULL;
    uint64_t v;

    g_assert_true(opts_get_size(opts, "size", 0, &v, &err));
    g_assert_cmpuint(v, ==, UINT64_C(1610612736));
    g_assert_true(opts_get_size(opts, "small", 0, &v, &err));
    g_assert_cmpuint(v, ==, 512);
    g_assert_true(opts_get_size(opts, "absent", 64 * MiB, &v, &err));
    g_assert_cmpuint(v, ==, 64 * MiB);
    g_assert_null(err);

    g_assert_false(opts_get_size(opts, "big", 0, &v, &err));
    g_assert_true(g_str_has_prefix(error_get_pretty(err), "Parameter 'big' expects "));
    error_free(err);
    err = NULL;
    g_assert_false(opts_get_size(opts, "neg", 0, &v, &err));
    g_assert_true(g_str_has_prefix(error_get_pretty(err), "Parameter 'neg' expects "));
    error_free(err);
    err = NULL;
    g_assert_false(opts_get_size(opts, "suf", 0, &v, &err));
    g_assert_true(g_str_has_prefix(error_get_pretty(err), "Parameter 'suf' expects "));
    error_free(err);
    opts_free(opts);
}

static void test_check_keys(void)
{
    static const char *const allowed[] = {"type", "acpi", "dumpdtb", NULL};
    static const char *const none[] = {NULL};
    Opts *opts = parse_ok("virt,acpi=off", "type", 2);
    Error *err = NULL;

    g_assert_true(opts_check_keys(opts, allowed, &err));
    g_assert_null(err);
    g_assert_false(opts_check_keys(opts, none, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'type'");
    error_free(err);
    opts_free(opts);

    /* The first unknown key is named; matching is exact. */
    err = NULL;
    opts = parse_ok("virt,acpi=on,x=1,Acpi=2", "type", 4);
    g_assert_false(opts_check_keys(opts, allowed, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'x'");
    error_free(err);
    g_assert_false(opts_check_keys(opts, allowed, NULL));
    opts_free(opts);

    opts = parse_ok("", NULL, 0);
    g_assert_true(opts_check_keys(opts, none, &error_abort));
    opts_free(opts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/keyval/parse/basic", test_basic);
    g_test_add_func("/keyval/parse/value-with-equals", test_value_with_equals);
    g_test_add_func("/keyval/parse/empty", test_empty);
    g_test_add_func("/keyval/parse/implied-key", test_implied_key);
    g_test_add_func("/keyval/parse/escapes", test_escapes);
    g_test_add_func("/keyval/parse/trailing-comma", test_trailing_comma);
    g_test_add_func("/keyval/parse/flags", test_flags);
    g_test_add_func("/keyval/parse/repeated-keys", test_repeated_keys);
    g_test_add_func("/keyval/parse/bad-syntax", test_bad_syntax);
    g_test_add_func("/keyval/bool/parse", test_parse_bool);
    g_test_add_func("/keyval/bool/get", test_get_bool);
    g_test_add_func("/keyval/number/parse", test_parse_uint64);
    g_test_add_func("/keyval/number/get", test_get_number);
    g_test_add_func("/keyval/size/parse", test_parse_size);
    g_test_add_func("/keyval/size/default-unit", test_parse_size_default_unit);
    g_test_add_func("/keyval/size/get", test_get_size);
    g_test_add_func("/keyval/check-keys", test_check_keys);

    return g_test_run();
}
