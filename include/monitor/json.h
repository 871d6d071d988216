/*
 * JSON for the monitor: a streaming parser that QMP feeds with whatever
 * bytes arrive, and a writer that prints values the way QEMU does.
 *
 * The parser follows QEMU's qobject/json-lexer.c, json-streamer.c and
 * json-parser.c behaviour (RFC 8259 plus QEMU's extensions: single-quoted
 * strings and the \' escape; no %-interpolation):
 *  - input may be split anywhere; a value is parsed when its outermost
 *    brace or bracket closes (a top-level scalar as soon as it ends);
 *  - every value and every error is handed to the emit callback, in input
 *    order, exactly one of the two non-NULL; errors read as QEMU's
 *    ("JSON parse error, stray '@'", "JSON parse error, expecting value",
 *    "JSON nesting depth limit exceeded", ...);
 *  - after a lexical error the lexer skips input up to the next structural
 *    character ({ } [ ] : ,), control character (newline...) or byte
 *    0xFE/0xFF, and starts afresh there; after any error the partial value
 *    is dropped.  So a client recovers by sending a newline or 0xFF, as
 *    QEMU's qmp-spec says;
 *  - limits (QEMU's values by default): 1024 levels of nesting, 64 MiB of
 *    token text per value, 2M tokens per value; a single token longer than
 *    the size limit is an error too (and the lexer then resynchronises as
 *    after a lexical error; QEMU restarts mid-token instead).
 * Deviation: "0e5" (valid RFC 8259) is a number here; QEMU's lexer splits it.
 * Strings are validated as (modified) UTF-8 and stored with U+0000 as C0 80.
 * Integers become int64, else uint64, else double (QEMU's rule).
 *
 * The writer escapes as QEMU's json-writer.c does: '"', '\\', \b \f \n \r
 * \t by name, other control characters, DEL and every non-ASCII character
 * as \uXXXX (surrogate pairs beyond the BMP), invalid UTF-8 as \uFFFD;
 * doubles as "%.17g" (locale-independent), non-finite doubles as null (QEMU
 * prints "inf", which no JSON reader takes).
 */
#ifndef MORPH_MONITOR_JSON_H
#define MORPH_MONITOR_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "monitor/qobject.h"
#include "util/error.h"

typedef struct JsonLimits {
    size_t max_size;    /* bytes of token text per value (and per token) */
    size_t max_tokens;  /* tokens per value */
    unsigned max_depth; /* open braces + brackets */
} JsonLimits;

/* QEMU's limits: 64 MiB, 2M tokens, depth 1024. */
extern const JsonLimits json_default_limits;

/*
 * Receives each complete value (value != NULL, err == NULL) or each error
 * (value == NULL, err != NULL); the callee owns what it gets.  It may reset
 * the parser (a session that ends), but must not feed or free it.
 */
typedef void JsonEmitFn(void *opaque, QObject *value, Error *err);

typedef struct JsonParser JsonParser;

JsonParser *json_parser_new(JsonEmitFn *emit, void *opaque);
void json_parser_set_limits(JsonParser *p, const JsonLimits *limits);
void json_parser_feed(JsonParser *p, const void *buf, size_t len);
/* End of input: finish a pending token (a number needs its end) and value. */
void json_parser_flush(JsonParser *p);
/* Drop everything pending (a new client session on the same monitor). */
void json_parser_reset(JsonParser *p);
void json_parser_free(JsonParser *p);

/*
 * Parse one whole value from `str` (NUL-terminated).  Empty input returns
 * NULL without an error; more than one value is "Expecting at most one
 * JSON value".
 */
QObject *json_parse(const char *str, Error **errp);

enum {
    JSON_WRITE_PRETTY = 1 << 0,     /* QEMU's pretty=on layout: 4-space indent */
    JSON_WRITE_QEMU_ORDER = 1 << 1, /* dict members in the order QEMU prints them */
};

/* Append `obj` as JSON to `out`. */
void json_write(GString *out, const QObject *obj, unsigned flags);
/* The same, as a new string (g_free it). */
char *json_to_string(const QObject *obj, unsigned flags);
/* Append `str` as a JSON string literal. */
void json_write_string(GString *out, const char *str);

#endif
