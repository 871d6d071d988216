/*
 * Modified UTF-8, as QEMU's util/unicode.c defines it for QObject strings:
 * UTF-8 without overlong forms, surrogates or noncharacters, except that
 * U+0000 is the two bytes C0 80 so that strings stay NUL-terminated.
 * Used by the JSON parser (validate, encode \u escapes) and writer (decode).
 */
#ifndef MORPH_MONITOR_UTF8_H
#define MORPH_MONITOR_UTF8_H

#include <stddef.h>

/*
 * Decode the code point at `s` (at most `n` bytes); *end is set past what
 * was consumed.  Returns -1 for an invalid sequence (then at least one byte
 * is consumed unless `s` is empty or at NUL).
 */
int utf8_mod_decode(const char *s, size_t n, const char **end);
/* Encode `cp` into buf[5] (NUL-terminated); returns the length or -1 if invalid. */
int utf8_mod_encode(char *buf, int cp);

#endif
