/*
 * QList: an ordered array of values (QEMU's qobject/qlist.c), backed by a
 * GPtrArray so that indexing is O(1) for the argument checker and writer.
 */
#include "qobject-int.h"

QList *qlist_new(void)
{
    QObject *obj = qobject_alloc(QTYPE_QLIST);

    obj->list = g_ptr_array_new();
    return (QList *)obj;
}

void qlist_destroy(QObject *obj)
{
    for (guint i = 0; i < obj->list->len; i++) {
        qobject_unref(obj->list->pdata[i]);
    }
    g_ptr_array_free(obj->list, TRUE);
}

QObject *qlist_obj(QList *list)
{
    return &list->base;
}

size_t qlist_size(const QList *list)
{
    return list->base.list->len;
}

void qlist_append_obj(QList *list, QObject *value)
{
    g_ptr_array_add(list->base.list, value);
}

void qlist_append_str(QList *list, const char *value)
{
    qlist_append_obj(list, qobject_from_str(value));
}

void qlist_append_int(QList *list, int64_t value)
{
    qlist_append_obj(list, qobject_from_int(value));
}

void qlist_append_dict(QList *list, QDict *value)
{
    qlist_append_obj(list, &value->base);
}

QObject *qlist_get(const QList *list, size_t i)
{
    return i < list->base.list->len ? list->base.list->pdata[i] : NULL;
}
