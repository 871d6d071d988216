/*
 * The layout behind include/monitor/qobject.h, shared by qobject.c, qdict.c
 * and qlist.c only.  A QDict and a QList are a QObject of that type; the
 * casts between them are free.  A dict keeps its members in an array (the
 * insertion order) and indexes them by key in a hash table once it grows
 * past a handful, so that small dicts (nearly all of QMP) stay cheap.
 */
#ifndef MORPH_MONITOR_QOBJECT_INT_H
#define MORPH_MONITOR_QOBJECT_INT_H

#include <glib.h>

#include "monitor/qobject.h"

typedef struct QDictEntry {
    char *key;
    QObject *value;
} QDictEntry;

struct QObject {
    QType type;
    int refcnt;
    union {
        bool boolean;
        struct {
            QNumKind kind;
            union {
                int64_t i64;
                uint64_t u64;
                double dbl;
            };
        } num;
        char *str;
        GPtrArray *list; /* of QObject * */
        struct {
            GArray *entries;   /* of QDictEntry, insertion order */
            GHashTable *index; /* key -> position + 1, built lazily */
        } dict;
    };
};

struct QDict {
    QObject base;
};

struct QList {
    QObject base;
};

QObject *qobject_alloc(QType type);
void qdict_destroy(QObject *obj);
void qlist_destroy(QObject *obj);

#endif
