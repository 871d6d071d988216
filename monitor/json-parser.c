/*
 * JSON parser: groups the lexer's tokens into whole values and parses each
 * (contract: include/monitor/json.h).  The grouping and the limits are those
 * of QEMU's qobject/json-streamer.c: a value is complete when the counts of
 * open braces and brackets return to zero (or one goes negative, which the
 * parser then reports); the grammar and its error messages are those of
 * qobject/json-parser.c.  Tokens of the pending value live in one text
 * buffer plus an array of (type, offset, length), so a value with millions
 * of tokens costs no per-token allocation.
 */
#include "monitor/json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json-int.h"
#include "utf8.h"

const JsonLimits json_default_limits = {
    .max_size = (size_t)64 << 20,
    .max_tokens = (size_t)2 << 20,
    .max_depth = 1024,
};

typedef struct JsonToken {
    JsonTokenType type;
    size_t offset;
    size_t len;
} JsonToken;

struct JsonParser {
    JsonLexer lexer;
    JsonLimits limits;
    GArray *tokens; /* of JsonToken */
    GString *text;  /* their text, each NUL-terminated */
    int brace_count;
    int bracket_count;
    JsonEmitFn *emit;
    void *opaque;
};

/* Recursive descent over the tokens of one value. */
typedef struct JsonParseCtx {
    JsonParser *p;
    size_t pos;
    Error *err;
} JsonParseCtx;

static QObject *json_parse_value(JsonParseCtx *ctx);

static void G_GNUC_PRINTF(2, 3) json_parse_error(JsonParseCtx *ctx, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (ctx->err) {
        return; /* the first error is the one worth reporting */
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&ctx->err, "JSON parse error, %s", msg);
    g_free(msg);
}

static JsonToken *json_peek(JsonParseCtx *ctx)
{
    GArray *tokens = ctx->p->tokens;

    return ctx->pos < tokens->len ? &g_array_index(tokens, JsonToken, ctx->pos) : NULL;
}

static JsonToken *json_pop(JsonParseCtx *ctx)
{
    JsonToken *t = json_peek(ctx);

    if (t) {
        ctx->pos++;
    }
    return t;
}

static const char *json_token_text(JsonParseCtx *ctx, const JsonToken *t)
{
    return ctx->p->text->str + t->offset;
}

static int json_hex4(const char *s)
{
    int cp = 0;

    for (int i = 0; i < 4; i++) {
        if (!g_ascii_isxdigit(s[i])) {
            return -1;
        }
        cp = (cp << 4) | g_ascii_xdigit_value(s[i]);
    }
    return cp;
}

/* Decode a string token: escapes, then UTF-8 validation of everything else. */
static QObject *json_parse_string(JsonParseCtx *ctx, const JsonToken *t)
{
    const char *ptr = json_token_text(ctx, t);
    const char *tok_end = ptr + t->len;
    char quote = *ptr++;
    GString *str = g_string_sized_new(t->len);
    char utf8[5];

    while (ptr < tok_end && *ptr != quote) {
        const char *beg = ptr;
        const char *end;
        int cp, trailing;

        if (*ptr == '\\') {
            ptr++;
            switch (*ptr++) {
            case '"':
                g_string_append_c(str, '"');
                continue;
            case '\'':
                g_string_append_c(str, '\'');
                continue;
            case '\\':
                g_string_append_c(str, '\\');
                continue;
            case '/':
                g_string_append_c(str, '/');
                continue;
            case 'b':
                g_string_append_c(str, '\b');
                continue;
            case 'f':
                g_string_append_c(str, '\f');
                continue;
            case 'n':
                g_string_append_c(str, '\n');
                continue;
            case 'r':
                g_string_append_c(str, '\r');
                continue;
            case 't':
                g_string_append_c(str, '\t');
                continue;
            case 'u':
                if (tok_end - ptr < 4) {
                    cp = -1;
                    ptr = tok_end - 1;
                } else {
                    cp = json_hex4(ptr);
                    ptr += 4;
                }
                /* A leading surrogate must pair with a trailing one. */
                if (cp >= 0xD800 && cp <= 0xDBFF && tok_end - ptr >= 6 && ptr[0] == '\\' &&
                    ptr[1] == 'u') {
                    trailing = json_hex4(ptr + 2);
                    if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                        cp = 0x10000 + ((cp & 0x3FF) << 10) + (trailing & 0x3FF);
                        ptr += 6;
                    } else {
                        cp = -1;
                    }
                }
                if (utf8_mod_encode(utf8, cp) < 0) {
                    json_parse_error(ctx, "%.*s is not a valid Unicode character", (int)(ptr - beg),
                                     beg);
                    goto fail;
                }
                g_string_append(str, utf8);
                continue;
            default:
                json_parse_error(ctx, "invalid escape sequence in string");
                goto fail;
            }
        }
        cp = utf8_mod_decode(ptr, tok_end - ptr, &end);
        if (cp < 0) {
            json_parse_error(ctx, "invalid UTF-8 sequence in string");
            goto fail;
        }
        /* Store as modified UTF-8: a raw C0 80 stays, and so does all else. */
        g_string_append_len(str, ptr, end - ptr);
        ptr = end;
    }
    return qobject_from_str_take(g_string_free(str, FALSE));

fail:
    g_string_free(str, TRUE);
    return NULL;
}

/* int64 if it fits, else uint64 (non-negative), else double: QEMU's rule. */
static QObject *json_parse_number(JsonParseCtx *ctx, const JsonToken *t)
{
    const char *s = json_token_text(ctx, t);
    char *end;

    if (t->type == JSON_INTEGER) {
        long long v;
        unsigned long long u;

        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno == 0 && *end == 0) {
            return qobject_from_int(v);
        }
        if (s[0] != '-') {
            errno = 0;
            u = strtoull(s, &end, 10);
            if (errno == 0 && *end == 0) {
                return qobject_from_uint(u);
            }
        }
    }
    /* g_ascii_strtod: a number's meaning must not depend on the locale. */
    return qobject_from_double(g_ascii_strtod(s, NULL));
}

static QObject *json_parse_keyword(JsonParseCtx *ctx, const JsonToken *t)
{
    const char *s = json_token_text(ctx, t);

    if (strcmp(s, "true") == 0) {
        return qobject_from_bool(true);
    } else if (strcmp(s, "false") == 0) {
        return qobject_from_bool(false);
    } else if (strcmp(s, "null") == 0) {
        return qobject_null();
    }
    json_parse_error(ctx, "invalid keyword '%s'", s);
    return NULL;
}

static bool json_parse_pair(JsonParseCtx *ctx, QDict *dict)
{
    JsonToken *t;
    QObject *key, *value;

    if (!json_peek(ctx)) {
        json_parse_error(ctx, "premature EOI");
        return false;
    }
    key = json_parse_value(ctx);
    if (!key || qobject_type(key) != QTYPE_QSTRING) {
        json_parse_error(ctx, "key is not a string in object");
        qobject_unref(key);
        return false;
    }
    t = json_pop(ctx);
    if (!t) {
        json_parse_error(ctx, "premature EOI");
        goto fail;
    }
    if (t->type != JSON_COLON) {
        json_parse_error(ctx, "missing : in object pair");
        goto fail;
    }
    value = json_parse_value(ctx);
    if (!value) {
        json_parse_error(ctx, "Missing value in dict");
        goto fail;
    }
    if (qdict_haskey(dict, qobject_get_str(key))) {
        json_parse_error(ctx, "duplicate key");
        qobject_unref(value);
        goto fail;
    }
    qdict_put_obj(dict, qobject_get_str(key), value);
    qobject_unref(key);
    return true;

fail:
    qobject_unref(key);
    return false;
}

static QObject *json_parse_object(JsonParseCtx *ctx)
{
    QDict *dict = qdict_new();
    JsonToken *t, *peek;

    json_pop(ctx); /* { */
    peek = json_peek(ctx);
    if (!peek) {
        json_parse_error(ctx, "premature EOI");
        goto fail;
    }
    if (peek->type == JSON_RCURLY) {
        json_pop(ctx);
        return qdict_obj(dict);
    }
    for (;;) {
        if (!json_parse_pair(ctx, dict)) {
            goto fail;
        }
        t = json_pop(ctx);
        if (!t) {
            json_parse_error(ctx, "premature EOI");
            goto fail;
        }
        if (t->type == JSON_RCURLY) {
            return qdict_obj(dict);
        }
        if (t->type != JSON_COMMA) {
            json_parse_error(ctx, "expected separator in dict");
            goto fail;
        }
    }

fail:
    qobject_unref(qdict_obj(dict));
    return NULL;
}

static QObject *json_parse_array(JsonParseCtx *ctx)
{
    QList *list = qlist_new();
    JsonToken *t, *peek;
    QObject *elem;

    json_pop(ctx); /* [ */
    peek = json_peek(ctx);
    if (!peek) {
        json_parse_error(ctx, "premature EOI");
        goto fail;
    }
    if (peek->type == JSON_RSQUARE) {
        json_pop(ctx);
        return qlist_obj(list);
    }
    for (;;) {
        elem = json_parse_value(ctx);
        if (!elem) {
            json_parse_error(ctx, "expecting value");
            goto fail;
        }
        qlist_append_obj(list, elem);
        t = json_pop(ctx);
        if (!t) {
            json_parse_error(ctx, "premature EOI");
            goto fail;
        }
        if (t->type == JSON_RSQUARE) {
            return qlist_obj(list);
        }
        if (t->type != JSON_COMMA) {
            json_parse_error(ctx, "expected separator in list");
            goto fail;
        }
    }

fail:
    qobject_unref(qlist_obj(list));
    return NULL;
}

static QObject *json_parse_value(JsonParseCtx *ctx)
{
    JsonToken *t = json_peek(ctx);

    if (!t) {
        json_parse_error(ctx, "premature EOI");
        return NULL;
    }
    switch (t->type) {
    case JSON_LCURLY:
        return json_parse_object(ctx);
    case JSON_LSQUARE:
        return json_parse_array(ctx);
    case JSON_STRING:
        return json_parse_string(ctx, json_pop(ctx));
    case JSON_INTEGER:
    case JSON_FLOAT:
        return json_parse_number(ctx, json_pop(ctx));
    case JSON_KEYWORD:
        return json_parse_keyword(ctx, json_pop(ctx));
    default:
        json_parse_error(ctx, "expecting value");
        return NULL;
    }
}

/* ---- grouping tokens into values */

static void json_parser_clear(JsonParser *p)
{
    g_array_set_size(p->tokens, 0);
    g_string_truncate(p->text, 0);
    p->brace_count = 0;
    p->bracket_count = 0;
}

/* Hand the pending value (or `err`) to the consumer and start afresh. */
static void json_parser_finish(JsonParser *p, Error *err)
{
    QObject *value = NULL;

    if (!err) {
        JsonParseCtx ctx = {.p = p};

        value = json_parse_value(&ctx);
        err = ctx.err;
        if (value && err) {
            qobject_unref(value);
            value = NULL;
        }
    }
    json_parser_clear(p);
    p->emit(p->opaque, value, err);
}

static void json_parser_token(void *opaque, JsonTokenType type, const char *text, size_t len)
{
    JsonParser *p = opaque;
    JsonToken t;
    Error *err = NULL;

    switch (type) {
    case JSON_LCURLY:
        p->brace_count++;
        break;
    case JSON_RCURLY:
        p->brace_count--;
        break;
    case JSON_LSQUARE:
        p->bracket_count++;
        break;
    case JSON_RSQUARE:
        p->bracket_count--;
        break;
    case JSON_ERROR:
        /* text holds printable bytes and at most the offending one */
        error_setg(&err, "JSON parse error, stray '%.*s'", (int)MIN(len, 1024), text);
        json_parser_finish(p, err);
        return;
    case JSON_TOO_LONG:
        error_setg(&err, "JSON token size limit exceeded");
        json_parser_finish(p, err);
        return;
    case JSON_END_OF_INPUT:
        if (p->tokens->len) {
            json_parser_finish(p, NULL);
        }
        return;
    default:
        break;
    }

    /* Security: bound the memory and the recursion one value can force. */
    if (p->text->len + len + 1 > p->limits.max_size) {
        error_setg(&err, "JSON token size limit exceeded");
    } else if (p->tokens->len + 1 > p->limits.max_tokens) {
        error_setg(&err, "JSON token count limit exceeded");
    } else if (p->brace_count + p->bracket_count > (int)p->limits.max_depth) {
        error_setg(&err, "JSON nesting depth limit exceeded");
    }
    if (err) {
        json_parser_finish(p, err);
        return;
    }

    t.type = type;
    t.offset = p->text->len;
    t.len = len;
    g_string_append_len(p->text, text, len);
    g_string_append_c(p->text, 0);
    g_array_append_val(p->tokens, t);

    if ((p->brace_count > 0 || p->bracket_count > 0) && p->brace_count >= 0 &&
        p->bracket_count >= 0) {
        return; /* inside a container: wait for its end */
    }
    json_parser_finish(p, NULL);
}

JsonParser *json_parser_new(JsonEmitFn *emit, void *opaque)
{
    JsonParser *p = g_new0(JsonParser, 1);

    p->limits = json_default_limits;
    p->tokens = g_array_new(FALSE, FALSE, sizeof(JsonToken));
    p->text = g_string_new(NULL);
    p->emit = emit;
    p->opaque = opaque;
    json_lexer_init(&p->lexer, json_parser_token, p);
    p->lexer.max_token = p->limits.max_size;
    return p;
}

void json_parser_set_limits(JsonParser *p, const JsonLimits *limits)
{
    p->limits = *limits;
    p->lexer.max_token = limits->max_size;
}

void json_parser_feed(JsonParser *p, const void *buf, size_t len)
{
    json_lexer_feed(&p->lexer, buf, len);
}

void json_parser_flush(JsonParser *p)
{
    json_lexer_flush(&p->lexer);
}

void json_parser_reset(JsonParser *p)
{
    json_lexer_reset(&p->lexer);
    json_parser_clear(p);
}

void json_parser_free(JsonParser *p)
{
    if (!p) {
        return;
    }
    json_lexer_destroy(&p->lexer);
    g_array_free(p->tokens, TRUE);
    g_string_free(p->text, TRUE);
    g_free(p);
}

/* ---- one-shot parse */

typedef struct JsonOneShot {
    QObject *value;
    Error *err;
    unsigned count;
} JsonOneShot;

static void json_oneshot_emit(void *opaque, QObject *value, Error *err)
{
    JsonOneShot *s = opaque;

    s->count++;
    if (s->err || s->count > 1) {
        qobject_unref(value);
        if (!s->err) {
            qobject_unref(s->value);
            s->value = NULL;
            if (err) {
                s->err = err;
            } else {
                error_setg(&s->err, "Expecting at most one JSON value");
            }
        } else {
            error_free(err);
        }
        return;
    }
    s->value = value;
    s->err = err;
}

QObject *json_parse(const char *str, Error **errp)
{
    JsonOneShot s = {0};
    JsonParser *p = json_parser_new(json_oneshot_emit, &s);

    json_parser_feed(p, str, strlen(str));
    json_parser_flush(p);
    json_parser_free(p);
    if (s.err) {
        error_propagate(errp, s.err);
        return NULL;
    }
    return s.value;
}
