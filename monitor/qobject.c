/*
 * QObject: reference counting, the scalar values (null, bool, number,
 * string) and deep equality, after QEMU's qobject/ (qnum.c keeps integers
 * as int64 or uint64 and only turns to double when neither holds them).
 * Dicts and lists live in qdict.c and qlist.c.
 */
#include "qobject-int.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

QObject *qobject_alloc(QType type)
{
    QObject *obj = g_new0(QObject, 1);

    obj->type = type;
    obj->refcnt = 1;
    return obj;
}

QObject *qobject_ref(QObject *obj)
{
    if (obj) {
        obj->refcnt++;
    }
    return obj;
}

void qobject_unref(QObject *obj)
{
    if (!obj || --obj->refcnt > 0) {
        return;
    }
    switch (obj->type) {
    case QTYPE_QSTRING:
        g_free(obj->str);
        break;
    case QTYPE_QLIST:
        qlist_destroy(obj);
        break;
    case QTYPE_QDICT:
        qdict_destroy(obj);
        break;
    default:
        break;
    }
    g_free(obj);
}

QType qobject_type(const QObject *obj)
{
    return obj->type;
}

const char *qobject_type_name(QType type)
{
    static const char *const names[] = {
        [QTYPE_QNULL] = "null",     [QTYPE_QBOOL] = "bool",  [QTYPE_QNUM] = "number",
        [QTYPE_QSTRING] = "string", [QTYPE_QLIST] = "array", [QTYPE_QDICT] = "object",
    };

    return names[type];
}

QObject *qobject_null(void)
{
    return qobject_alloc(QTYPE_QNULL);
}

QObject *qobject_from_bool(bool value)
{
    QObject *obj = qobject_alloc(QTYPE_QBOOL);

    obj->boolean = value;
    return obj;
}

QObject *qobject_from_int(int64_t value)
{
    QObject *obj = qobject_alloc(QTYPE_QNUM);

    obj->num.kind = QNUM_I64;
    obj->num.i64 = value;
    return obj;
}

QObject *qobject_from_uint(uint64_t value)
{
    QObject *obj;

    if (value <= INT64_MAX) {
        return qobject_from_int((int64_t)value);
    }
    obj = qobject_alloc(QTYPE_QNUM);
    obj->num.kind = QNUM_U64;
    obj->num.u64 = value;
    return obj;
}

QObject *qobject_from_double(double value)
{
    QObject *obj = qobject_alloc(QTYPE_QNUM);

    obj->num.kind = QNUM_DOUBLE;
    obj->num.dbl = value;
    return obj;
}

QObject *qobject_from_str_take(char *str)
{
    QObject *obj = qobject_alloc(QTYPE_QSTRING);

    obj->str = str;
    return obj;
}

QObject *qobject_from_str(const char *str)
{
    return qobject_from_str_take(g_strdup(str));
}

QObject *qobject_from_strf(const char *fmt, ...)
{
    va_list ap;
    char *str;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qobject_from_str_take(str);
}

QDict *qobject_to_dict(const QObject *obj)
{
    return obj && obj->type == QTYPE_QDICT ? (QDict *)obj : NULL;
}

QList *qobject_to_list(const QObject *obj)
{
    return obj && obj->type == QTYPE_QLIST ? (QList *)obj : NULL;
}

const char *qobject_get_str(const QObject *obj)
{
    return obj && obj->type == QTYPE_QSTRING ? obj->str : NULL;
}

bool qobject_get_bool(const QObject *obj, bool *value)
{
    if (!obj || obj->type != QTYPE_QBOOL) {
        return false;
    }
    *value = obj->boolean;
    return true;
}

QNumKind qobject_num_kind(const QObject *obj)
{
    return obj->num.kind;
}

bool qobject_get_int(const QObject *obj, int64_t *value)
{
    if (!obj || obj->type != QTYPE_QNUM || obj->num.kind != QNUM_I64) {
        return false;
    }
    *value = obj->num.i64;
    return true;
}

bool qobject_get_uint(const QObject *obj, uint64_t *value)
{
    if (!obj || obj->type != QTYPE_QNUM) {
        return false;
    }
    if (obj->num.kind == QNUM_I64 && obj->num.i64 >= 0) {
        *value = (uint64_t)obj->num.i64;
        return true;
    }
    if (obj->num.kind == QNUM_U64) {
        *value = obj->num.u64;
        return true;
    }
    return false;
}

bool qobject_get_double(const QObject *obj, double *value)
{
    if (!obj || obj->type != QTYPE_QNUM) {
        return false;
    }
    switch (obj->num.kind) {
    case QNUM_I64:
        *value = (double)obj->num.i64;
        break;
    case QNUM_U64:
        *value = (double)obj->num.u64;
        break;
    default:
        *value = obj->num.dbl;
        break;
    }
    return true;
}

static bool qobject_num_equal(const QObject *a, const QObject *b)
{
    double da, db;

    if (a->num.kind != QNUM_DOUBLE && b->num.kind != QNUM_DOUBLE) {
        /* Integers: equal kinds compare bits; I64 vs U64 never meet (U64 > INT64_MAX). */
        return a->num.kind == b->num.kind && a->num.u64 == b->num.u64;
    }
    qobject_get_double(a, &da);
    qobject_get_double(b, &db);
    return da == db || (isnan(da) && isnan(db));
}

bool qobject_equal(const QObject *a, const QObject *b)
{
    size_t i, n;

    if (!a || !b) {
        return a == b;
    }
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case QTYPE_QNULL:
        return true;
    case QTYPE_QBOOL:
        return a->boolean == b->boolean;
    case QTYPE_QNUM:
        return qobject_num_equal(a, b);
    case QTYPE_QSTRING:
        return strcmp(a->str, b->str) == 0;
    case QTYPE_QLIST:
        n = a->list->len;
        if (n != b->list->len) {
            return false;
        }
        for (i = 0; i < n; i++) {
            if (!qobject_equal(a->list->pdata[i], b->list->pdata[i])) {
                return false;
            }
        }
        return true;
    case QTYPE_QDICT:
        n = qdict_size((const QDict *)a);
        if (n != qdict_size((const QDict *)b)) {
            return false;
        }
        for (i = 0; i < n; i++) {
            const char *key = qdict_key_at((const QDict *)a, i);
            QObject *other = qdict_get((const QDict *)b, key);

            if (!other || !qobject_equal(qdict_value_at((const QDict *)a, i), other)) {
                return false;
            }
        }
        return true;
    }
    return false;
}
