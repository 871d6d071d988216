/*
 * Option strings in QEMU's QemuOpts syntax, `key=val,key2=val2`, with ',,'
 * for a literal comma, an implied key for a bare first item and `key` alone
 * meaning key=on (contract: include/util/keyval.h; behaviour: QEMU's
 * util/qemu-option.c get_opt_name_value/opts_do_parse, qapi_bool_parse and
 * util/cutils.c qemu_strtosz).  Parsing keeps every item in order and knows
 * nothing of which keys a caller accepts; the typed getters and
 * opts_check_keys apply those rules later, with QEMU's error wording.
 * Numbers are parsed strictly: the whole string, no sign, no blanks.
 */
#include "util/keyval.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/*
 * Read a value up to the next lone ',' (or the end), turning each ',,' into
 * ','.  Leaves *pp on the terminating ',' or NUL.
 */
static char *keyval_parse_value(const char **pp)
{
    GString *value = g_string_new(NULL);
    const char *p = *pp;

    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
        g_string_append_c(value, *p);
        p++;
    }
    *pp = p;
    return g_string_free(value, FALSE);
}

Opts *opts_parse(const char *str, const char *implied_key, Error **errp)
{
    GArray *items = g_array_new(FALSE, FALSE, sizeof(KeyValPair));
    Opts *opts = g_new0(Opts, 1);
    const char *p = str ? str : "";
    bool ok = true;

    while (*p) {
        size_t len = strcspn(p, "=,");
        KeyValPair kv;

        if (p[len] == '=') {
            if (len == 0) {
                error_setg(errp, "Empty parameter name before '=' in '%s'", str);
                ok = false;
                break;
            }
            kv.key = g_strndup(p, len);
            p += len + 1;
            kv.value = keyval_parse_value(&p);
        } else if (items->len == 0 && implied_key) {
            kv.key = g_strdup(implied_key);
            kv.value = keyval_parse_value(&p);
        } else {
            /* A flag: names cannot hold ',' so there is no escape to undo. */
            if (len == 0) {
                error_setg(errp, "Empty parameter name in '%s'", str);
                ok = false;
                break;
            }
            kv.key = g_strndup(p, len);
            kv.value = g_strdup("on");
            p += len;
        }
        g_array_append_val(items, kv);
        if (*p == ',') {
            p++;
        }
    }

    opts->count = items->len;
    opts->items = (KeyValPair *)(void *)g_array_free(items, FALSE);
    if (!ok) {
        opts_free(opts);
        return NULL;
    }
    return opts;
}

void opts_free(Opts *opts)
{
    unsigned i;

    if (!opts) {
        return;
    }
    for (i = 0; i < opts->count; i++) {
        g_free(opts->items[i].key);
        g_free(opts->items[i].value);
    }
    g_free(opts->items);
    g_free(opts);
}

const char *opts_get(const Opts *opts, const char *key)
{
    unsigned i;

    if (!opts) {
        return NULL;
    }
    for (i = opts->count; i > 0; i--) {
        if (strcmp(opts->items[i - 1].key, key) == 0) {
            return opts->items[i - 1].value;
        }
    }
    return NULL;
}

const char *opts_get_default(const Opts *opts, const char *key, const char *def)
{
    const char *value = opts_get(opts, key);

    return value ? value : def;
}

bool opts_has(const Opts *opts, const char *key)
{
    return opts_get(opts, key) != NULL;
}

bool opts_get_bool(const Opts *opts, const char *key, bool def, bool *out, Error **errp)
{
    const char *value = opts_get(opts, key);

    if (!value) {
        *out = def;
        return true;
    }
    if (!parse_bool(value, out)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

bool opts_get_number(const Opts *opts, const char *key, uint64_t def, uint64_t *out, Error **errp)
{
    const char *value = opts_get(opts, key);

    if (!value) {
        *out = def;
        return true;
    }
    if (!parse_uint64(value, out)) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    return true;
}

bool opts_get_size(const Opts *opts, const char *key, uint64_t def, uint64_t *out, Error **errp)
{
    const char *value = opts_get(opts, key);

    if (!value) {
        *out = def;
        return true;
    }
    if (!parse_size(value, 1, out)) {
        error_setg(errp,
                   "Parameter '%s' expects a non-negative number below 2^64, "
                   "with an optional suffix B, K, M, G, T, P or E",
                   key);
        return false;
    }
    return true;
}

bool opts_check_keys(const Opts *opts, const char *const *allowed, Error **errp)
{
    unsigned i;

    if (!opts) {
        return true;
    }
    for (i = 0; i < opts->count; i++) {
        const char *const *a = allowed;

        while (a && *a && strcmp(*a, opts->items[i].key) != 0) {
            a++;
        }
        if (!a || !*a) {
            error_setg(errp, "Invalid parameter '%s'", opts->items[i].key);
            return false;
        }
    }
    return true;
}

bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool parse_uint64(const char *s, uint64_t *out)
{
    int saved_errno = errno;
    unsigned long long value;
    bool ok;
    char *end;

    /* strtoull would skip blanks and accept a sign (negating the result). */
    if (!g_ascii_isdigit(s[0])) {
        return false;
    }
    errno = 0;
    value = strtoull(s, &end, 0);
    ok = errno == 0 && *end == '\0';
    errno = saved_errno;
    if (ok) {
        *out = value;
    }
    return ok;
}

/* The multiplier of a size suffix (powers of 1024, any case), or 0. */
static uint64_t size_suffix_unit(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 1;
    case 'K':
        return UINT64_C(1) << 10;
    case 'M':
        return UINT64_C(1) << 20;
    case 'G':
        return UINT64_C(1) << 30;
    case 'T':
        return UINT64_C(1) << 40;
    case 'P':
        return UINT64_C(1) << 50;
    case 'E':
        return UINT64_C(1) << 60;
    default:
        return 0;
    }
}

/*
 * floor(unit * num / den) for num < den <= 10^18, exactly and without a
 * wider type: shift-and-add over the bits of `unit`, keeping the quotient
 * and a remainder below `den` (so 2 * remainder + num never overflows).
 */
static uint64_t size_scale_fraction(uint64_t unit, uint64_t num, uint64_t den)
{
    uint64_t quot = 0;
    uint64_t rem = 0;
    int bit;

    for (bit = 63; bit >= 0; bit--) {
        quot <<= 1;
        rem <<= 1;
        if (rem >= den) {
            rem -= den;
            quot++;
        }
        if ((unit >> bit) & 1) {
            rem += num;
            if (rem >= den) {
                rem -= den;
                quot++;
            }
        }
    }
    return quot;
}

/*
 * A decimal fraction is kept as num/den with at most 18 digits; later digits
 * are below a byte for every suffix up to E and are dropped, as the result
 * is truncated anyway.  Hex ("0x...") takes no fraction.  A leading 0 is
 * decimal, not octal, as in QEMU's qemu_strtosz.
 */
bool parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
    const uint64_t max_den = UINT64_C(1000000000000000000);
    const char *p = s;
    uint64_t whole = 0;
    uint64_t num = 0;
    uint64_t den = 1;
    uint64_t unit = default_unit;
    uint64_t value;
    uint64_t extra;

    if (!g_ascii_isdigit(*p) || default_unit == 0) {
        return false;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (!g_ascii_isxdigit(*p)) {
            return false;
        }
        for (; g_ascii_isxdigit(*p); p++) {
            if (whole > UINT64_MAX >> 4) {
                return false;
            }
            whole = (whole << 4) | (uint64_t)g_ascii_xdigit_value(*p);
        }
    } else {
        for (; g_ascii_isdigit(*p); p++) {
            uint64_t digit = (uint64_t)(*p - '0');

            if (whole > (UINT64_MAX - digit) / 10) {
                return false;
            }
            whole = whole * 10 + digit;
        }
        if (*p == '.') {
            p++;
            if (!g_ascii_isdigit(*p)) {
                return false;
            }
            for (; g_ascii_isdigit(*p); p++) {
                if (den < max_den) {
                    num = num * 10 + (uint64_t)(*p - '0');
                    den *= 10;
                }
            }
        }
    }

    if (*p) {
        unit = size_suffix_unit(*p);
        if (unit == 0 || p[1] != '\0') {
            return false;
        }
    }
    /* A fraction of a byte means nothing. */
    if (num != 0 && unit == 1) {
        return false;
    }
    if (whole > UINT64_MAX / unit) {
        return false;
    }
    value = whole * unit;
    extra = num ? size_scale_fraction(unit, num, den) : 0;
    if (value > UINT64_MAX - extra) {
        return false;
    }
    *out = value + extra;
    return true;
}
