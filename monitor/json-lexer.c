/*
 * JSON lexer: bytes in, tokens out, as a table-driven state machine (the
 * design of QEMU's qobject/json-lexer.c, whose behaviour this follows:
 * RFC 8259 tokens, single-quoted strings, [a-z]+ keywords checked later by
 * the parser, control characters and bytes 0xFE/0xFF never inside a token).
 *
 * Each table entry is the next state for one input byte.  A value >= JSON_MIN
 * finishes a token of that type; LOOKAHEAD marks a finish that did not
 * consume the byte (a number ends at the first non-digit, which then starts
 * the next token).  An entry left 0 is JSON_ERROR: the token so far plus the
 * offending byte are reported, and the lexer skips to a resynchronisation
 * point in IN_RECOVERY.  Validating UTF-8 and escapes is the parser's job.
 */
#include "json-int.h"

#include <stdint.h>

enum {
    IN_RECOVERY = 1,
    IN_DQ_STRING_ESCAPE,
    IN_DQ_STRING,
    IN_SQ_STRING_ESCAPE,
    IN_SQ_STRING,
    IN_ZERO,
    IN_EXP_DIGITS,
    IN_EXP_SIGN,
    IN_EXP_E,
    IN_MANTISSA,
    IN_MANTISSA_DIGITS,
    IN_DIGITS,
    IN_SIGN,
    IN_KEYWORD,
    IN_START,
    IN_NSTATES,
};

G_STATIC_ASSERT((int)IN_NSTATES <= (int)JSON_MIN);
G_STATIC_ASSERT(JSON_MAX < 0x80);

#define LOOKAHEAD 0x80
/* Any byte not listed ends the token without being consumed. */
#define TERMINAL(type) [0 ... 0xFF] = ((type) | LOOKAHEAD)

/*
 * The table is written as a default range followed by exceptions, so later
 * designated initializers deliberately override earlier ones.
 */
/* clang-format off */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

static const uint8_t json_lexer_table[IN_NSTATES][256] = {
    /* Skip to a structural character, a control character other than tab,
     * or 0xFE/0xFF (which a client may send on purpose to resynchronise). */
    [IN_RECOVERY] = {
        [0 ... 0x1F] = IN_START | LOOKAHEAD,
        [0x20 ... 0xFD] = IN_RECOVERY,
        [0xFE ... 0xFF] = IN_START | LOOKAHEAD,
        ['\t'] = IN_RECOVERY,
        ['['] = IN_START | LOOKAHEAD,
        [']'] = IN_START | LOOKAHEAD,
        ['{'] = IN_START | LOOKAHEAD,
        ['}'] = IN_START | LOOKAHEAD,
        [':'] = IN_START | LOOKAHEAD,
        [','] = IN_START | LOOKAHEAD,
    },

    [IN_DQ_STRING_ESCAPE] = {
        [0x20 ... 0xFD] = IN_DQ_STRING,
    },
    [IN_DQ_STRING] = {
        [0x20 ... 0xFD] = IN_DQ_STRING,
        ['\\'] = IN_DQ_STRING_ESCAPE,
        ['"'] = JSON_STRING,
    },
    [IN_SQ_STRING_ESCAPE] = {
        [0x20 ... 0xFD] = IN_SQ_STRING,
    },
    [IN_SQ_STRING] = {
        [0x20 ... 0xFD] = IN_SQ_STRING,
        ['\\'] = IN_SQ_STRING_ESCAPE,
        ['\''] = JSON_STRING,
    },

    /* Numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
    [IN_ZERO] = {
        TERMINAL(JSON_INTEGER),
        ['0' ... '9'] = JSON_ERROR,
        ['.'] = IN_MANTISSA,
        ['e'] = IN_EXP_E,
        ['E'] = IN_EXP_E,
    },
    [IN_EXP_DIGITS] = {
        TERMINAL(JSON_FLOAT),
        ['0' ... '9'] = IN_EXP_DIGITS,
    },
    [IN_EXP_SIGN] = {
        ['0' ... '9'] = IN_EXP_DIGITS,
    },
    [IN_EXP_E] = {
        ['-'] = IN_EXP_SIGN,
        ['+'] = IN_EXP_SIGN,
        ['0' ... '9'] = IN_EXP_DIGITS,
    },
    [IN_MANTISSA_DIGITS] = {
        TERMINAL(JSON_FLOAT),
        ['0' ... '9'] = IN_MANTISSA_DIGITS,
        ['e'] = IN_EXP_E,
        ['E'] = IN_EXP_E,
    },
    [IN_MANTISSA] = {
        ['0' ... '9'] = IN_MANTISSA_DIGITS,
    },
    [IN_DIGITS] = {
        TERMINAL(JSON_INTEGER),
        ['0' ... '9'] = IN_DIGITS,
        ['e'] = IN_EXP_E,
        ['E'] = IN_EXP_E,
        ['.'] = IN_MANTISSA,
    },
    [IN_SIGN] = {
        ['0'] = IN_ZERO,
        ['1' ... '9'] = IN_DIGITS,
    },

    [IN_KEYWORD] = {
        TERMINAL(JSON_KEYWORD),
        ['a' ... 'z'] = IN_KEYWORD,
    },

    [IN_START] = {
        ['"'] = IN_DQ_STRING,
        ['\''] = IN_SQ_STRING,
        ['0'] = IN_ZERO,
        ['1' ... '9'] = IN_DIGITS,
        ['-'] = IN_SIGN,
        ['{'] = JSON_LCURLY,
        ['}'] = JSON_RCURLY,
        ['['] = JSON_LSQUARE,
        [']'] = JSON_RSQUARE,
        [','] = JSON_COMMA,
        [':'] = JSON_COLON,
        ['a' ... 'z'] = IN_KEYWORD,
        [' '] = IN_START,
        ['\t'] = IN_START,
        ['\r'] = IN_START,
        ['\n'] = IN_START,
    },
};
#pragma GCC diagnostic pop
/* clang-format on */

void json_lexer_init(JsonLexer *lx, JsonTokenFn *emit, void *opaque)
{
    lx->state = IN_START;
    lx->token = g_string_sized_new(64);
    lx->max_token = (size_t)64 << 20;
    lx->emit = emit;
    lx->opaque = opaque;
}

void json_lexer_reset(JsonLexer *lx)
{
    lx->state = IN_START;
    g_string_truncate(lx->token, 0);
}

void json_lexer_destroy(JsonLexer *lx)
{
    g_string_free(lx->token, TRUE);
    lx->token = NULL;
}

static void json_lexer_emit(JsonLexer *lx, JsonTokenType type)
{
    lx->emit(lx->opaque, type, lx->token->str, lx->token->len);
    g_string_truncate(lx->token, 0);
}

/*
 * Run one byte through the machine.  With `flush`, the byte is a virtual
 * end of input: it finishes whatever token can finish and is never
 * consumed.
 */
static void json_lexer_feed_char(JsonLexer *lx, unsigned char ch, bool flush)
{
    bool consumed = false;

    while (flush ? lx->state != IN_START : !consumed) {
        int next = json_lexer_table[lx->state][ch];

        consumed = !flush && !(next & LOOKAHEAD);
        next &= ~LOOKAHEAD;
        if (consumed) {
            g_string_append_c(lx->token, ch);
        }
        if (next >= JSON_MIN) {
            json_lexer_emit(lx, next);
            next = IN_START;
        } else if (next == JSON_ERROR) {
            json_lexer_emit(lx, JSON_ERROR);
            next = IN_RECOVERY;
        } else if (next == IN_START || next == IN_RECOVERY) {
            /* whitespace and skipped bytes are no part of any token */
            g_string_truncate(lx->token, 0);
        }
        lx->state = next;
    }

    /* Nothing grows without bound: an endless string or number is an error. */
    if (lx->token->len > lx->max_token) {
        json_lexer_emit(lx, JSON_TOO_LONG);
        lx->state = IN_RECOVERY;
    }
}

void json_lexer_feed(JsonLexer *lx, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        json_lexer_feed_char(lx, (unsigned char)buf[i], false);
    }
}

void json_lexer_flush(JsonLexer *lx)
{
    json_lexer_feed_char(lx, 0, true);
    lx->emit(lx->opaque, JSON_END_OF_INPUT, "", 0);
}
