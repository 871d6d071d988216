/*
 * JSON writer (contract: include/monitor/json.h).  Output is byte for byte
 * what QEMU's qobject/json-writer.c prints: ", " and ": " separators in the
 * compact form, 4-space indentation and "{\n}" for an empty container in the
 * pretty form, and the same string escaping.
 *
 * QEMU's QDict is a hash table of 512 buckets chained at the head, so QEMU
 * prints members ordered by bucket, the later-inserted first within one
 * bucket: that is why its greeting reads "micro", "minor", "major".  With
 * JSON_WRITE_QEMU_ORDER the writer reproduces that order (the hash is
 * qobject/qdict.c's tdb_hash), so that members inserted in QAPI schema order
 * come out exactly as QEMU's; tools that compare QMP text keep working.
 */
#include "monitor/json.h"

#include <math.h>
#include <string.h>

#include "qobject-int.h"
#include "utf8.h"

enum {
    QEMU_QDICT_BUCKETS = 512,
};

void json_write_string(GString *out, const char *str)
{
    const char *ptr, *end;
    int cp;

    g_string_append_c(out, '"');
    for (ptr = str; *ptr; ptr = end) {
        cp = utf8_mod_decode(ptr, 6, &end);
        if (end == ptr) {
            break;
        }
        switch (cp) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (cp < 0) {
                cp = 0xFFFD; /* replacement character */
            }
            if (cp > 0xFFFF) {
                g_string_append_printf(out, "\\u%04X\\u%04X", 0xD800 + ((cp - 0x10000) >> 10),
                                       0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else if (cp < 0x20 || cp >= 0x7F) {
                g_string_append_printf(out, "\\u%04X", cp);
            } else {
                g_string_append_c(out, cp);
            }
            break;
        }
    }
    g_string_append_c(out, '"');
}

/* qobject/qdict.c tdb_hash(), reduced to a bucket. */
static unsigned json_qemu_bucket(const char *name)
{
    uint32_t value = 0x238F13AFu * (uint32_t)strlen(name);

    for (unsigned i = 0; name[i]; i++) {
        value += (uint32_t)(unsigned char)name[i] << (i * 5 % 24);
    }
    return (1103515243u * value + 12345u) % QEMU_QDICT_BUCKETS;
}

typedef struct JsonOrderKey {
    unsigned bucket;
    size_t index;
} JsonOrderKey;

static int json_order_cmp(const void *a, const void *b)
{
    const JsonOrderKey *x = a, *y = b;

    if (x->bucket != y->bucket) {
        return x->bucket < y->bucket ? -1 : 1;
    }
    return x->index < y->index ? 1 : (x->index > y->index ? -1 : 0);
}

static void json_newline(GString *out, unsigned flags, int depth)
{
    if (flags & JSON_WRITE_PRETTY) {
        g_string_append_printf(out, "\n%*s", 4 * depth, "");
    }
}

/* Between two members: "," then a space (compact) or a new line (pretty). */
static void json_separator(GString *out, unsigned flags, int depth)
{
    g_string_append_c(out, ',');
    if (flags & JSON_WRITE_PRETTY) {
        json_newline(out, flags, depth);
    } else {
        g_string_append_c(out, ' ');
    }
}

static void json_write_number(GString *out, const QObject *obj)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    switch (obj->num.kind) {
    case QNUM_I64:
        g_string_append_printf(out, "%" G_GINT64_FORMAT, (gint64)obj->num.i64);
        break;
    case QNUM_U64:
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, (guint64)obj->num.u64);
        break;
    default:
        if (!isfinite(obj->num.dbl)) {
            g_string_append(out, "null");
        } else {
            /* 17 significant digits round-trip every double. */
            g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", obj->num.dbl));
        }
        break;
    }
}

static void json_write_value(GString *out, const QObject *obj, unsigned flags, int depth);

static void json_write_dict(GString *out, const QObject *obj, unsigned flags, int depth)
{
    const QDict *dict = (const QDict *)obj;
    size_t n = qdict_size(dict);
    JsonOrderKey *order = g_new(JsonOrderKey, n ? n : 1);

    for (size_t i = 0; i < n; i++) {
        order[i].bucket =
            (flags & JSON_WRITE_QEMU_ORDER) ? json_qemu_bucket(qdict_key_at(dict, i)) : 0;
        order[i].index = i;
    }
    if (flags & JSON_WRITE_QEMU_ORDER) {
        qsort(order, n, sizeof(*order), json_order_cmp);
    }
    g_string_append_c(out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) {
            json_separator(out, flags, depth + 1);
        } else {
            json_newline(out, flags, depth + 1);
        }
        json_write_string(out, qdict_key_at(dict, order[i].index));
        g_string_append(out, ": ");
        json_write_value(out, qdict_value_at(dict, order[i].index), flags, depth + 1);
    }
    json_newline(out, flags, depth);
    g_string_append_c(out, '}');
    g_free(order);
}

static void json_write_list(GString *out, const QObject *obj, unsigned flags, int depth)
{
    const QList *list = (const QList *)obj;
    size_t n = qlist_size(list);

    g_string_append_c(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) {
            json_separator(out, flags, depth + 1);
        } else {
            json_newline(out, flags, depth + 1);
        }
        json_write_value(out, qlist_get(list, i), flags, depth + 1);
    }
    json_newline(out, flags, depth);
    g_string_append_c(out, ']');
}

static void json_write_value(GString *out, const QObject *obj, unsigned flags, int depth)
{
    switch (obj->type) {
    case QTYPE_QNULL:
        g_string_append(out, "null");
        break;
    case QTYPE_QBOOL:
        g_string_append(out, obj->boolean ? "true" : "false");
        break;
    case QTYPE_QNUM:
        json_write_number(out, obj);
        break;
    case QTYPE_QSTRING:
        json_write_string(out, obj->str);
        break;
    case QTYPE_QLIST:
        json_write_list(out, obj, flags, depth);
        break;
    case QTYPE_QDICT:
        json_write_dict(out, obj, flags, depth);
        break;
    }
}

void json_write(GString *out, const QObject *obj, unsigned flags)
{
    json_write_value(out, obj, flags, 0);
}

char *json_to_string(const QObject *obj, unsigned flags)
{
    GString *out = g_string_new(NULL);

    json_write(out, obj, flags);
    return g_string_free(out, FALSE);
}
