/*
 * Between the JSON lexer and the parser (json-lexer.c, json-parser.c): the
 * token types and the lexer's state.  Token types start above the lexer's
 * own states so that one byte-indexed table holds both (QEMU's layout).
 */
#ifndef MORPH_MONITOR_JSON_INT_H
#define MORPH_MONITOR_JSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

typedef enum JsonTokenType {
    JSON_ERROR = 0, /* must be 0: the lexer table's default entry */
    JSON_MIN = 32,
    JSON_LCURLY = JSON_MIN,
    JSON_RCURLY,
    JSON_LSQUARE,
    JSON_RSQUARE,
    JSON_COLON,
    JSON_COMMA,
    JSON_INTEGER,
    JSON_FLOAT,
    JSON_KEYWORD,
    JSON_STRING,
    JSON_TOO_LONG,     /* a token outgrew the size limit */
    JSON_END_OF_INPUT, /* json_lexer_flush() */
    JSON_MAX,
} JsonTokenType;

/* One token: its text is not NUL-terminated at `len`. */
typedef void JsonTokenFn(void *opaque, JsonTokenType type, const char *text, size_t len);

typedef struct JsonLexer {
    int state;
    GString *token;
    size_t max_token;
    JsonTokenFn *emit;
    void *opaque;
} JsonLexer;

void json_lexer_init(JsonLexer *lx, JsonTokenFn *emit, void *opaque);
void json_lexer_feed(JsonLexer *lx, const char *buf, size_t len);
void json_lexer_flush(JsonLexer *lx);
void json_lexer_reset(JsonLexer *lx);
void json_lexer_destroy(JsonLexer *lx);

#endif
