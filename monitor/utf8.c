/*
 * Modified UTF-8 decoding and encoding (contract: utf8.h; behaviour:
 * QEMU's util/unicode.c mod_utf8_codepoint/mod_utf8_encode, which accept
 * the lead bytes of 5- and 6-byte forms only to reject what they decode).
 */
#include "utf8.h"

#include <stdbool.h>

static bool utf8_valid_codepoint(int cp)
{
    if (cp < 0 || cp > 0x10FFFF) {
        return false;
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
        return false; /* noncharacter */
    }
    return cp < 0xD800 || cp > 0xDFFF; /* surrogates are not characters */
}

int utf8_mod_decode(const char *s, size_t n, const char **end)
{
    static const int min_cp[5] = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};
    const unsigned char *p = (const unsigned char *)s;
    unsigned byte, mask, len, i;
    long cp;

    if (n == 0 || *p == 0) {
        *end = s;
        return -1;
    }
    byte = *p++;
    if (byte < 0x80) {
        *end = (const char *)p;
        return byte;
    }
    if (byte >= 0xFE || (byte & 0x40) == 0) {
        /* impossible byte, or a continuation byte with no lead */
        *end = (const char *)p;
        return -1;
    }
    len = 0;
    for (mask = 0x80; byte & mask; mask >>= 1) {
        len++;
    }
    cp = byte & (mask - 1);
    for (i = 1; i < len; i++) {
        byte = i < n ? *p : 0;
        if ((byte & 0xC0) != 0x80) {
            *end = (const char *)p; /* continuation byte missing */
            return -1;
        }
        p++;
        cp = (cp << 6) | (byte & 0x3F);
    }
    *end = (const char *)p;
    if (cp == 0 && len == 2) {
        return 0; /* C0 80: modified UTF-8's NUL */
    }
    if (cp < min_cp[len - 2] || !utf8_valid_codepoint((int)(cp > 0x7FFFFFFF ? -1 : cp))) {
        return -1;
    }
    return (int)cp;
}

int utf8_mod_encode(char *buf, int cp)
{
    unsigned char *p = (unsigned char *)buf;

    if (!utf8_valid_codepoint(cp)) {
        buf[0] = 0;
        return -1;
    }
    if (cp > 0 && cp < 0x80) {
        p[0] = cp;
        p[1] = 0;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = 0xC0 | (cp >> 6);
        p[1] = 0x80 | (cp & 0x3F);
        p[2] = 0;
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = 0xE0 | (cp >> 12);
        p[1] = 0x80 | ((cp >> 6) & 0x3F);
        p[2] = 0x80 | (cp & 0x3F);
        p[3] = 0;
        return 3;
    }
    p[0] = 0xF0 | (cp >> 18);
    p[1] = 0x80 | ((cp >> 12) & 0x3F);
    p[2] = 0x80 | ((cp >> 6) & 0x3F);
    p[3] = 0x80 | (cp & 0x3F);
    p[4] = 0;
    return 4;
}
