/*
 * QDict: string-keyed members in insertion order (QEMU's qobject/qdict.c
 * keeps a hash order instead; json-writer.c can reproduce that order on
 * output, see json.h).  Lookups scan the array while the dict is small and
 * go through a hash index past QDICT_INDEX_MIN members, so a hostile
 * request with a million keys is not quadratic to build.
 */
#include "qobject-int.h"

#include <string.h>

enum {
    QDICT_INDEX_MIN = 16,
};

QDict *qdict_new(void)
{
    QObject *obj = qobject_alloc(QTYPE_QDICT);

    obj->dict.entries = g_array_new(FALSE, FALSE, sizeof(QDictEntry));
    return (QDict *)obj;
}

void qdict_destroy(QObject *obj)
{
    GArray *entries = obj->dict.entries;

    for (guint i = 0; i < entries->len; i++) {
        QDictEntry *e = &g_array_index(entries, QDictEntry, i);

        g_free(e->key);
        qobject_unref(e->value);
    }
    g_array_free(entries, TRUE);
    if (obj->dict.index) {
        g_hash_table_destroy(obj->dict.index);
    }
}

QObject *qdict_obj(QDict *dict)
{
    return &dict->base;
}

size_t qdict_size(const QDict *dict)
{
    return dict->base.dict.entries->len;
}

static void qdict_rebuild_index(QDict *dict)
{
    GArray *entries = dict->base.dict.entries;

    if (dict->base.dict.index) {
        g_hash_table_destroy(dict->base.dict.index);
        dict->base.dict.index = NULL;
    }
    if (entries->len < QDICT_INDEX_MIN) {
        return;
    }
    dict->base.dict.index = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < entries->len; i++) {
        g_hash_table_insert(dict->base.dict.index, g_array_index(entries, QDictEntry, i).key,
                            GUINT_TO_POINTER(i + 1));
    }
}

/* Position of `key`, or -1. */
static long qdict_find(const QDict *dict, const char *key)
{
    GArray *entries = dict->base.dict.entries;

    if (dict->base.dict.index) {
        gpointer pos = g_hash_table_lookup(dict->base.dict.index, key);

        return pos ? (long)GPOINTER_TO_UINT(pos) - 1 : -1;
    }
    for (guint i = 0; i < entries->len; i++) {
        if (strcmp(g_array_index(entries, QDictEntry, i).key, key) == 0) {
            return i;
        }
    }
    return -1;
}

void qdict_put_obj(QDict *dict, const char *key, QObject *value)
{
    GArray *entries = dict->base.dict.entries;
    long pos = qdict_find(dict, key);
    QDictEntry e;

    if (pos >= 0) {
        QDictEntry *old = &g_array_index(entries, QDictEntry, pos);

        qobject_unref(old->value);
        old->value = value;
        return;
    }
    e.key = g_strdup(key);
    e.value = value;
    g_array_append_val(entries, e);
    if (dict->base.dict.index) {
        g_hash_table_insert(dict->base.dict.index, e.key, GUINT_TO_POINTER(entries->len));
    } else if (entries->len >= QDICT_INDEX_MIN) {
        qdict_rebuild_index(dict);
    }
}

void qdict_put_str(QDict *dict, const char *key, const char *value)
{
    qdict_put_obj(dict, key, qobject_from_str(value));
}

void qdict_put_int(QDict *dict, const char *key, int64_t value)
{
    qdict_put_obj(dict, key, qobject_from_int(value));
}

void qdict_put_uint(QDict *dict, const char *key, uint64_t value)
{
    qdict_put_obj(dict, key, qobject_from_uint(value));
}

void qdict_put_bool(QDict *dict, const char *key, bool value)
{
    qdict_put_obj(dict, key, qobject_from_bool(value));
}

void qdict_put_null(QDict *dict, const char *key)
{
    qdict_put_obj(dict, key, qobject_null());
}

void qdict_put_dict(QDict *dict, const char *key, QDict *value)
{
    qdict_put_obj(dict, key, &value->base);
}

void qdict_put_list(QDict *dict, const char *key, QList *value)
{
    qdict_put_obj(dict, key, &value->base);
}

QObject *qdict_get(const QDict *dict, const char *key)
{
    long pos = qdict_find(dict, key);

    return pos < 0 ? NULL : g_array_index(dict->base.dict.entries, QDictEntry, pos).value;
}

bool qdict_haskey(const QDict *dict, const char *key)
{
    return qdict_find(dict, key) >= 0;
}

const char *qdict_get_str(const QDict *dict, const char *key)
{
    return qobject_get_str(qdict_get(dict, key));
}

int64_t qdict_get_int_def(const QDict *dict, const char *key, int64_t def)
{
    int64_t v;

    return qobject_get_int(qdict_get(dict, key), &v) ? v : def;
}

bool qdict_get_bool_def(const QDict *dict, const char *key, bool def)
{
    bool v;

    return qobject_get_bool(qdict_get(dict, key), &v) ? v : def;
}

QDict *qdict_get_dict(const QDict *dict, const char *key)
{
    return qobject_to_dict(qdict_get(dict, key));
}

QList *qdict_get_list(const QDict *dict, const char *key)
{
    return qobject_to_list(qdict_get(dict, key));
}

bool qdict_del(QDict *dict, const char *key)
{
    GArray *entries = dict->base.dict.entries;
    long pos = qdict_find(dict, key);
    QDictEntry *e;

    if (pos < 0) {
        return false;
    }
    e = &g_array_index(entries, QDictEntry, pos);
    g_free(e->key);
    qobject_unref(e->value);
    g_array_remove_index(entries, pos);
    qdict_rebuild_index(dict);
    return true;
}

const char *qdict_key_at(const QDict *dict, size_t i)
{
    return g_array_index(dict->base.dict.entries, QDictEntry, i).key;
}

QObject *qdict_value_at(const QDict *dict, size_t i)
{
    return g_array_index(dict->base.dict.entries, QDictEntry, i).value;
}
