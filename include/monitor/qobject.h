/*
 * The monitor's value model: the JSON values QMP carries, as QEMU's QObject
 * family models them (include/qapi/qmp/q*.h): null, bool, number (kept as
 * int64, uint64 or double, the way QEMU's QNum keeps it so that 2^64-1 and
 * -2^63 survive a round trip), string, list, and dict.  Dicts keep their
 * members in insertion order; the writer can reproduce QEMU's own output
 * order instead (json.h).  Values are reference counted; every function that
 * takes a QObject * to store it ("_obj" puts, appends) takes over the
 * caller's reference.  Strings are NUL-terminated modified UTF-8, as QEMU's
 * are: U+0000 is stored as the two bytes C0 80.
 *
 * Files: monitor/qobject.c (base and scalars, qobject_), monitor/qdict.c
 * (qdict_), monitor/qlist.c (qlist_).
 */
#ifndef MORPH_MONITOR_QOBJECT_H
#define MORPH_MONITOR_QOBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum QType {
    QTYPE_QNULL,
    QTYPE_QBOOL,
    QTYPE_QNUM,
    QTYPE_QSTRING,
    QTYPE_QLIST,
    QTYPE_QDICT,
} QType;

/* How a QTYPE_QNUM holds its value (QEMU's QNumKind). */
typedef enum QNumKind {
    QNUM_I64,
    QNUM_U64, /* only for values above INT64_MAX */
    QNUM_DOUBLE,
} QNumKind;

typedef struct QObject QObject;
typedef struct QDict QDict;
typedef struct QList QList;

/* ---- every value (monitor/qobject.c) */
QObject *qobject_ref(QObject *obj);
void qobject_unref(QObject *obj);
QType qobject_type(const QObject *obj);
/* "null", "bool", "number", "string", "array", "object". */
const char *qobject_type_name(QType type);
/*
 * Deep equality.  Numbers compare by value across kinds (1 == 1.0 ==
 * uint 1), as QEMU's qnum_is_equal does not; that is what tests need.
 */
bool qobject_equal(const QObject *a, const QObject *b);

QObject *qobject_null(void);
QObject *qobject_from_bool(bool value);
QObject *qobject_from_int(int64_t value);
/* Stored as QNUM_I64 when it fits, else QNUM_U64. */
QObject *qobject_from_uint(uint64_t value);
QObject *qobject_from_double(double value);
QObject *qobject_from_str(const char *str);
/* Takes ownership of a g_malloc'ed string. */
QObject *qobject_from_str_take(char *str);
QObject *qobject_from_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Typed views; NULL / false when the value is of another type. */
QDict *qobject_to_dict(const QObject *obj);
QList *qobject_to_list(const QObject *obj);
const char *qobject_get_str(const QObject *obj);
bool qobject_get_bool(const QObject *obj, bool *value);
QNumKind qobject_num_kind(const QObject *obj);
/* The number as int64 / uint64 if it is an integer that fits (QEMU's qnum_get_try_*). */
bool qobject_get_int(const QObject *obj, int64_t *value);
bool qobject_get_uint(const QObject *obj, uint64_t *value);
/* Any number as a double (with rounding beyond 53 bits). */
bool qobject_get_double(const QObject *obj, double *value);

/* ---- dict (monitor/qdict.c): string keys, insertion order, unique keys */
QDict *qdict_new(void);
QObject *qdict_obj(QDict *dict);
size_t qdict_size(const QDict *dict);
/* Store `value` under `key`; an existing key keeps its position and gets the new value. */
void qdict_put_obj(QDict *dict, const char *key, QObject *value);
void qdict_put_str(QDict *dict, const char *key, const char *value);
void qdict_put_int(QDict *dict, const char *key, int64_t value);
void qdict_put_uint(QDict *dict, const char *key, uint64_t value);
void qdict_put_bool(QDict *dict, const char *key, bool value);
void qdict_put_null(QDict *dict, const char *key);
void qdict_put_dict(QDict *dict, const char *key, QDict *value);
void qdict_put_list(QDict *dict, const char *key, QList *value);
/* Borrowed reference, or NULL. */
QObject *qdict_get(const QDict *dict, const char *key);
bool qdict_haskey(const QDict *dict, const char *key);
/* Typed gets: NULL / `def` when absent or of another type. */
const char *qdict_get_str(const QDict *dict, const char *key);
int64_t qdict_get_int_def(const QDict *dict, const char *key, int64_t def);
bool qdict_get_bool_def(const QDict *dict, const char *key, bool def);
QDict *qdict_get_dict(const QDict *dict, const char *key);
QList *qdict_get_list(const QDict *dict, const char *key);
bool qdict_del(QDict *dict, const char *key);
/* Members by position, 0 .. qdict_size()-1 (insertion order). */
const char *qdict_key_at(const QDict *dict, size_t i);
QObject *qdict_value_at(const QDict *dict, size_t i);

/* ---- list (monitor/qlist.c) */
QList *qlist_new(void);
QObject *qlist_obj(QList *list);
size_t qlist_size(const QList *list);
void qlist_append_obj(QList *list, QObject *value);
void qlist_append_str(QList *list, const char *value);
void qlist_append_int(QList *list, int64_t value);
void qlist_append_dict(QList *list, QDict *value);
/* Borrowed reference, or NULL past the end. */
QObject *qlist_get(const QList *list, size_t i);

#endif
