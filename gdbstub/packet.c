/*
 * The remote protocol on the wire (GDB manual, "Overview" of the Remote
 * Protocol): a packet is '$' payload '#' and two hex digits of the modulo
 * 256 sum of the payload's bytes as sent; the receiver answers '+' or '-'
 * (until QStartNoAckMode).  Inside a payload '}' escapes the next byte
 * (sent XORed with 0x20) and '*' repeats the previous byte (count = next
 * byte - 29).  A 0x03 byte between packets is an interrupt request.
 *
 * The parser takes one byte at a time and trusts nothing: payloads past
 * GDB_MAX_PACKET, a '*' with nothing to repeat, or a bad checksum make the
 * packet bad (the caller answers '-') without ever writing past its buffer;
 * a '$' in the middle of a packet starts a new one; bytes between packets
 * other than '+', '-' and 0x03 are ignored.
 */
#include <string.h>
#include "internals.h"

enum {
    RX_IDLE,
    RX_DATA,
    RX_ESCAPE,
    RX_REPEAT,
    RX_CSUM1,
    RX_CSUM2,
};

void gdb_parser_init(GdbPacketParser *p)
{
    p->state = RX_IDLE;
    p->len = 0;
    p->sum = 0;
    p->csum = 0;
    p->bad = false;
    p->data[0] = '\0';
}

static int gdb_hexval(uint8_t ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

static void gdb_parser_start(GdbPacketParser *p)
{
    p->state = RX_DATA;
    p->len = 0;
    p->sum = 0;
    p->bad = false;
}

static void gdb_parser_put(GdbPacketParser *p, uint8_t ch)
{
    if (p->len >= GDB_MAX_PACKET) {
        p->bad = true;
        return;
    }
    p->data[p->len++] = (char)ch;
}

GdbRxEvent gdb_parser_feed(GdbPacketParser *p, uint8_t ch)
{
    int v;

    switch (p->state) {
    case RX_IDLE:
        if (ch == '$') {
            gdb_parser_start(p);
        } else if (ch == '+') {
            return GDB_RX_ACK;
        } else if (ch == '-') {
            return GDB_RX_NACK;
        } else if (ch == 0x03) {
            return GDB_RX_INTERRUPT;
        }
        return GDB_RX_NONE;
    case RX_DATA:
        if (ch == '#') {
            p->state = RX_CSUM1;
        } else if (ch == '$') {
            /* The rest of the previous packet was lost: this one replaces it. */
            gdb_parser_start(p);
        } else {
            p->sum += ch;
            if (ch == '}') {
                p->state = RX_ESCAPE;
            } else if (ch == '*') {
                p->state = RX_REPEAT;
            } else {
                gdb_parser_put(p, ch);
            }
        }
        return GDB_RX_NONE;
    case RX_ESCAPE:
        if (ch == '#' || ch == '$') {
            /* An escape with nothing after it. */
            p->bad = true;
            if (ch == '$') {
                gdb_parser_start(p);
            } else {
                p->state = RX_CSUM1;
            }
            return GDB_RX_NONE;
        }
        p->sum += ch;
        gdb_parser_put(p, ch ^ 0x20);
        p->state = RX_DATA;
        return GDB_RX_NONE;
    case RX_REPEAT:
        if (ch == '#' || ch == '$') {
            p->bad = true;
            if (ch == '$') {
                gdb_parser_start(p);
            } else {
                p->state = RX_CSUM1;
            }
            return GDB_RX_NONE;
        }
        p->sum += ch;
        p->state = RX_DATA;
        if (p->len == 0 || ch < 29 + 3 || ch > 126) {
            /* Nothing to repeat, or a count GDB never sends. */
            p->bad = true;
            return GDB_RX_NONE;
        }
        for (int n = ch - 29; n > 0 && !p->bad; n--) {
            gdb_parser_put(p, (uint8_t)p->data[p->len - 1]);
        }
        return GDB_RX_NONE;
    case RX_CSUM1:
        v = gdb_hexval(ch);
        if (v < 0) {
            p->bad = true;
            v = 0;
        }
        p->csum = (uint8_t)(v << 4);
        p->state = RX_CSUM2;
        return GDB_RX_NONE;
    default:
        v = gdb_hexval(ch);
        if (v < 0) {
            p->bad = true;
            v = 0;
        }
        p->csum |= (uint8_t)v;
        p->state = RX_IDLE;
        p->data[p->len] = '\0';
        if (p->bad || p->csum != p->sum) {
            p->len = 0;
            p->data[0] = '\0';
            return GDB_RX_BAD;
        }
        return GDB_RX_PACKET;
    }
}

void gdb_packet_frame(GString *out, const char *payload, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += (uint8_t)payload[i];
    }
    g_string_append_c(out, '$');
    g_string_append_len(out, payload, (gssize)len);
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_escape_binary(GString *out, const void *data, size_t len)
{
    const uint8_t *b = data;

    for (size_t i = 0; i < len; i++) {
        if (b[i] == '#' || b[i] == '$' || b[i] == '}' || b[i] == '*') {
            g_string_append_c(out, '}');
            g_string_append_c(out, (char)(b[i] ^ 0x20));
        } else {
            g_string_append_c(out, (char)b[i]);
        }
    }
}

void gdb_hex_encode(GString *out, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *b = data;

    for (size_t i = 0; i < len; i++) {
        g_string_append_c(out, digits[b[i] >> 4]);
        g_string_append_c(out, digits[b[i] & 15]);
    }
}

bool gdb_hex_decode(const char *hex, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hexval((uint8_t)hex[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hexval((uint8_t)hex[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool gdb_parse_hex(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int d;

    if (gdb_hexval((uint8_t)*s) < 0) {
        return false;
    }
    while ((d = gdb_hexval((uint8_t)*s)) >= 0) {
        if (v >> 60) {
            return false;
        }
        v = v << 4 | (uint64_t)d;
        s++;
    }
    *p = s;
    *out = v;
    return true;
}

/* "-1" or a hex number that fits in an int. */
static bool gdb_parse_tid_part(const char **p, int *tid)
{
    uint64_t v;

    if ((*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *tid = -1;
        return true;
    }
    if (!gdb_parse_hex(p, &v) || v > INT32_MAX) {
        return false;
    }
    *tid = (int)v;
    return true;
}

bool gdb_parse_thread_id(const char **p, int *tid)
{
    const char *s = *p;
    int pid;

    if (*s == 'p') {
        s++;
        if (!gdb_parse_tid_part(&s, &pid)) {
            return false;
        }
        if (*s != '.') {
            /* "pPID": every thread of the process. */
            *tid = -1;
            *p = s;
            return true;
        }
        s++;
    }
    if (!gdb_parse_tid_part(&s, tid)) {
        return false;
    }
    *p = s;
    return true;
}
