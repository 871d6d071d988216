/*
 * Unit tests for gdbstub/packet.c (the remote protocol's framing) and
 * gdbstub/signals.c: packets, checksums, acks, Ctrl-C, escapes, run-length
 * input, hex and number parsing, thread ids; then hostile input -- bad
 * checksums, overlong packets, truncated escapes and repeats, a '$' in
 * mid-packet, random bytes -- fed byte by byte, with the invariants that
 * the parser never writes past its buffer, reports only packets whose
 * checksum matches, and still finds every well-formed packet that follows
 * garbage.
 */
#include <stdio.h>
#include <string.h>
#include "../../gdbstub/internals.h"

/* Feed a whole string; return the last event that was not NONE. */
static GdbRxEvent feed(GdbPacketParser *p, const char *s, size_t len)
{
    GdbRxEvent last = GDB_RX_NONE;

    for (size_t i = 0; i < len; i++) {
        GdbRxEvent e = gdb_parser_feed(p, (uint8_t)s[i]);

        if (e != GDB_RX_NONE) {
            last = e;
        }
    }
    return last;
}

static GdbRxEvent feeds(GdbPacketParser *p, const char *s)
{
    return feed(p, s, strlen(s));
}

static char *frame(const char *payload, size_t len)
{
    GString *g = g_string_new(NULL);

    gdb_packet_frame(g, payload, len);
    return g_string_free(g, FALSE);
}

static void test_frame(void)
{
    g_autofree char *ok = frame("OK", 2);
    g_autofree char *empty = frame("", 0);

    g_assert_cmpstr(ok, ==, "$OK#9a");
    g_assert_cmpstr(empty, ==, "$#00");
}

static void test_parse_simple(void)
{
    GdbPacketParser p;

    gdb_parser_init(&p);
    g_assert_cmpint(feeds(&p, "$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(p.data, ==, "g");
    g_assert_cmpuint(p.len, ==, 1);
    /* Upper-case checksum digits are fine. */
    g_assert_cmpint(feeds(&p, "$OK#9A"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(p.data, ==, "OK");
    g_assert_cmpint(feeds(&p, "$#00"), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, 0);
}

static void test_parse_events(void)
{
    GdbPacketParser p;

    gdb_parser_init(&p);
    g_assert_cmpint(gdb_parser_feed(&p, '+'), ==, GDB_RX_ACK);
    g_assert_cmpint(gdb_parser_feed(&p, '-'), ==, GDB_RX_NACK);
    g_assert_cmpint(gdb_parser_feed(&p, 0x03), ==, GDB_RX_INTERRUPT);
    /* Noise between packets is ignored. */
    g_assert_cmpint(feeds(&p, "hello\r\n"), ==, GDB_RX_NONE);
    /* Inside a packet 0x03 and '+' are data. */
    g_assert_cmpint(feed(&p, "$\x03+#2e", 6), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, 2);
    g_assert_cmpint(p.data[0], ==, 0x03);
    g_assert_cmpint(p.data[1], ==, '+');
}

static void test_parse_bad_checksum(void)
{
    GdbPacketParser p;

    gdb_parser_init(&p);
    g_assert_cmpint(feeds(&p, "$g#68"), ==, GDB_RX_BAD);
    g_assert_cmpuint(p.len, ==, 0);
    g_assert_cmpint(feeds(&p, "$g#6z"), ==, GDB_RX_BAD);
    g_assert_cmpint(feeds(&p, "$g#zz"), ==, GDB_RX_BAD);
    /* And the next good packet still parses. */
    g_assert_cmpint(feeds(&p, "$g#67"), ==, GDB_RX_PACKET);
}

static void test_parse_escape(void)
{
    GdbPacketParser p;
    const uint8_t bin[] = {'#', '$', '}', '*', 0, 0x03, 0xff, 'A'};
    GString *esc = g_string_new(NULL);
    g_autofree char *pkt = NULL;

    gdb_escape_binary(esc, bin, sizeof(bin));
    /* Four bytes needed escaping. */
    g_assert_cmpuint(esc->len, ==, sizeof(bin) + 4);
    g_assert_null(memchr(esc->str, '#', esc->len));
    g_assert_null(memchr(esc->str, '$', esc->len));
    g_assert_null(memchr(esc->str, '*', esc->len));
    pkt = frame(esc->str, esc->len);
    /* The payload holds a NUL: feed by length ('$', '#' and two digits around it). */
    gdb_parser_init(&p);
    g_assert_cmpint(feed(&p, pkt, esc->len + 4), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, sizeof(bin));
    g_assert_cmpmem(p.data, p.len, bin, sizeof(bin));
    g_string_free(esc, TRUE);
}

static void test_parse_repeat(void)
{
    GdbPacketParser p;
    g_autofree char *pkt = frame("0* 1*\"", 6);

    /* '*' ' ' = 3 more, '*' '"' = 5 more. */
    gdb_parser_init(&p);
    g_assert_cmpint(feeds(&p, pkt), ==, GDB_RX_PACKET);
    g_assert_cmpstr(p.data, ==, "0000111111");
}

static void test_parse_malformed(void)
{
    GdbPacketParser p;
    g_autofree char *rep0 = frame("*!", 2);
    g_autofree char *repcnt = frame("a*\x01", 3);
    g_autofree char *escend = frame("a}", 2);

    gdb_parser_init(&p);
    /* A repeat with nothing before it, a count GDB never sends, an escape at the end. */
    g_assert_cmpint(feeds(&p, rep0), ==, GDB_RX_BAD);
    g_assert_cmpint(feeds(&p, repcnt), ==, GDB_RX_BAD);
    g_assert_cmpint(feeds(&p, escend), ==, GDB_RX_BAD);
    g_assert_cmpint(feeds(&p, "$a*#00"), ==, GDB_RX_BAD);
    /* A '$' in the middle starts over: the first packet is lost, the second counts. */
    g_assert_cmpint(feeds(&p, "$abc$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpstr(p.data, ==, "g");
}

static void test_parse_too_long(void)
{
    GdbPacketParser p;
    GString *big = g_string_new(NULL);
    g_autofree char *pkt = NULL;

    for (int i = 0; i < GDB_MAX_PACKET + 100; i++) {
        g_string_append_c(big, 'a');
    }
    pkt = frame(big->str, big->len);
    gdb_parser_init(&p);
    g_assert_cmpint(feeds(&p, pkt), ==, GDB_RX_BAD);
    /* Exactly the limit is fine. */
    g_string_truncate(big, GDB_MAX_PACKET);
    g_free(pkt);
    pkt = frame(big->str, big->len);
    g_assert_cmpint(feeds(&p, pkt), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, GDB_MAX_PACKET);
    /* A repeat that would overflow is bad too. */
    g_string_truncate(big, GDB_MAX_PACKET - 2);
    g_string_append(big, "*~");
    g_free(pkt);
    pkt = frame(big->str, big->len);
    g_assert_cmpint(feeds(&p, pkt), ==, GDB_RX_BAD);
    g_string_free(big, TRUE);
}

static void test_hex(void)
{
    GString *g = g_string_new(NULL);
    const uint8_t bytes[] = {0x00, 0x7f, 0x80, 0xff};
    uint8_t out[4];

    gdb_hex_encode(g, bytes, sizeof(bytes));
    g_assert_cmpstr(g->str, ==, "007f80ff");
    g_assert_true(gdb_hex_decode("007F80fF", 4, out));
    g_assert_cmpmem(out, 4, bytes, 4);
    g_assert_false(gdb_hex_decode("0g", 1, out));
    g_assert_false(gdb_hex_decode("0", 1, out));
    g_string_free(g, TRUE);
}

static void test_parse_numbers(void)
{
    const char *s;
    uint64_t v;
    int tid;

    s = "1f,x";
    g_assert_true(gdb_parse_hex(&s, &v));
    g_assert_cmpuint(v, ==, 0x1f);
    g_assert_cmpstr(s, ==, ",x");
    s = "ffffffffffffffff";
    g_assert_true(gdb_parse_hex(&s, &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    s = "00000000000000000000001";
    g_assert_true(gdb_parse_hex(&s, &v));
    g_assert_cmpuint(v, ==, 1);
    s = "10000000000000000";
    g_assert_false(gdb_parse_hex(&s, &v));
    g_assert_cmpstr(s, ==, "10000000000000000");
    s = ",";
    g_assert_false(gdb_parse_hex(&s, &v));

    s = "-1";
    g_assert_true(gdb_parse_thread_id(&s, &tid));
    g_assert_cmpint(tid, ==, -1);
    s = "1a";
    g_assert_true(gdb_parse_thread_id(&s, &tid));
    g_assert_cmpint(tid, ==, 0x1a);
    s = "p1.2";
    g_assert_true(gdb_parse_thread_id(&s, &tid));
    g_assert_cmpint(tid, ==, 2);
    s = "p1.-1";
    g_assert_true(gdb_parse_thread_id(&s, &tid));
    g_assert_cmpint(tid, ==, -1);
    s = "p5";
    g_assert_true(gdb_parse_thread_id(&s, &tid));
    g_assert_cmpint(tid, ==, -1);
    s = "ffffffffff";
    g_assert_false(gdb_parse_thread_id(&s, &tid));
    s = "p.1";
    g_assert_false(gdb_parse_thread_id(&s, &tid));
}

static void test_signals(void)
{
    /* GDB's numbers (include/gdb/signals.def) for Linux's. */
    g_assert_cmpint(gdb_signal_from_target(5), ==, 5);
    g_assert_cmpint(gdb_signal_from_target(2), ==, 2);
    g_assert_cmpint(gdb_signal_from_target(10), ==, 30); /* SIGUSR1 */
    g_assert_cmpint(gdb_signal_from_target(7), ==, 10);  /* SIGBUS */
    g_assert_cmpint(gdb_signal_from_target(17), ==, 20); /* SIGCHLD */
    g_assert_cmpint(gdb_signal_from_target(32), ==, 77);
    g_assert_cmpint(gdb_signal_from_target(34), ==, 46);
    g_assert_cmpint(gdb_signal_from_target(64), ==, 78);
    g_assert_cmpint(gdb_signal_from_target(16), ==, 143); /* no SIGSTKFLT in GDB */
    for (int sig = 1; sig <= 64; sig++) {
        if (sig != 16) {
            g_assert_cmpint(gdb_signal_to_target(gdb_signal_from_target(sig)), ==, sig);
        }
    }
    g_assert_cmpint(gdb_signal_to_target(143), ==, -1);
    g_assert_cmpint(gdb_signal_to_target(1000), ==, -1);
}

/* ---- hostile input */

/* Nothing past the buffer; a packet's payload is NUL-terminated. */
static void check_invariants(GdbPacketParser *p, GdbRxEvent e)
{
    g_assert_cmpuint(p->len, <=, GDB_MAX_PACKET);
    if (e == GDB_RX_PACKET) {
        g_assert_cmpint(p->data[p->len], ==, '\0');
    }
}

static void test_fuzz_random(void)
{
    GRand *r = g_rand_new_with_seed(20240607);
    GdbPacketParser *p = g_new(GdbPacketParser, 1);
    /* Bytes the protocol cares about come often, so that every state is visited. */
    static const uint8_t special[] = {'$', '#', '}', '*', '+', '-', 0x03, '0', 'a', 'f'};
    unsigned counts[GDB_RX_INTERRUPT + 1] = {0};

    GString *raw = g_string_new(NULL); /* the bytes since the last '$' */

    gdb_parser_init(p);
    for (int i = 0; i < 2000000; i++) {
        uint8_t b = g_rand_boolean(r) ? special[g_rand_int_range(r, 0, sizeof(special))]
                                      : (uint8_t)g_rand_int_range(r, 0, 256);
        GdbRxEvent e = gdb_parser_feed(p, b);

        if (b == '$') {
            g_string_truncate(raw, 0);
        }
        g_string_append_c(raw, (char)b);
        counts[e]++;
        check_invariants(p, e);
        if (e == GDB_RX_PACKET) {
            /* A packet is reported only if its checksum is right: "$...#xy". */
            const char *hash = memrchr(raw->str, '#', raw->len);
            uint8_t sum = 0;
            unsigned cs;

            g_assert_nonnull(hash);
            for (const char *c = raw->str + 1; c < hash; c++) {
                sum += (uint8_t)*c;
            }
            g_assert_cmpint(sscanf(hash + 1, "%2x", &cs), ==, 1);
            g_assert_cmpuint(sum, ==, cs);
        }
    }
    g_string_free(raw, TRUE);
    /* The stream reached every outcome. */
    g_assert_cmpuint(counts[GDB_RX_PACKET], >, 0);
    g_assert_cmpuint(counts[GDB_RX_BAD], >, 0);
    g_assert_cmpuint(counts[GDB_RX_ACK], >, 0);
    g_assert_cmpuint(counts[GDB_RX_INTERRUPT], >, 0);
    g_free(p);
    g_rand_free(r);
}

/* Long runs without '#' (overlong packets), then random long payloads. */
static void test_fuzz_long(void)
{
    GRand *r = g_rand_new_with_seed(7);
    GdbPacketParser *p = g_new(GdbPacketParser, 1);

    gdb_parser_init(p);
    for (int round = 0; round < 20; round++) {
        GdbRxEvent e = gdb_parser_feed(p, '$');
        int n = g_rand_int_range(r, GDB_MAX_PACKET - 10, 3 * GDB_MAX_PACKET);

        for (int i = 0; i < n; i++) {
            static const uint8_t body[] = {'a', '}', '*', '~', 'z'};

            e = gdb_parser_feed(p, body[g_rand_int_range(r, 0, sizeof(body))]);
            check_invariants(p, e);
        }
        feeds(p, "#00");
    }
    g_free(p);
    g_rand_free(r);
}

/* Good packets between chunks of garbage free of '$' and '#': none is lost. */
static void test_fuzz_resync(void)
{
    GRand *r = g_rand_new_with_seed(99);
    GdbPacketParser *p = g_new(GdbPacketParser, 1);
    int found = 0, sent = 0;

    gdb_parser_init(p);
    for (int round = 0; round < 5000; round++) {
        int glen = g_rand_int_range(r, 0, 40);
        GString *payload = g_string_new(NULL);
        GString *esc = g_string_new(NULL);
        g_autofree char *pkt = NULL;
        int plen = g_rand_int_range(r, 0, 64);
        GString *wire;

        for (int i = 0; i < glen; i++) {
            uint8_t b = (uint8_t)g_rand_int_range(r, 0, 256);

            if (b != '$' && b != '#') {
                check_invariants(p, gdb_parser_feed(p, b));
            }
        }
        for (int i = 0; i < plen; i++) {
            g_string_append_c(payload, (char)g_rand_int_range(r, 1, 256));
        }
        gdb_escape_binary(esc, payload->str, payload->len);
        wire = g_string_new(NULL);
        gdb_packet_frame(wire, esc->str, esc->len);
        sent++;
        for (size_t i = 0; i < wire->len; i++) {
            GdbRxEvent e = gdb_parser_feed(p, (uint8_t)wire->str[i]);

            if (e == GDB_RX_PACKET) {
                g_assert_cmpmem(p->data, p->len, payload->str, payload->len);
                found++;
            }
        }
        g_string_free(wire, TRUE);
        g_string_free(esc, TRUE);
        g_string_free(payload, TRUE);
    }
    g_assert_cmpint(found, ==, sent);
    g_free(p);
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/packet/frame", test_frame);
    g_test_add_func("/gdbstub/packet/parse-simple", test_parse_simple);
    g_test_add_func("/gdbstub/packet/parse-events", test_parse_events);
    g_test_add_func("/gdbstub/packet/bad-checksum", test_parse_bad_checksum);
    g_test_add_func("/gdbstub/packet/escape", test_parse_escape);
    g_test_add_func("/gdbstub/packet/repeat", test_parse_repeat);
    g_test_add_func("/gdbstub/packet/malformed", test_parse_malformed);
    g_test_add_func("/gdbstub/packet/too-long", test_parse_too_long);
    g_test_add_func("/gdbstub/packet/hex", test_hex);
    g_test_add_func("/gdbstub/packet/numbers", test_parse_numbers);
    g_test_add_func("/gdbstub/signals", test_signals);
    g_test_add_func("/gdbstub/packet/fuzz-random", test_fuzz_random);
    g_test_add_func("/gdbstub/packet/fuzz-long", test_fuzz_long);
    g_test_add_func("/gdbstub/packet/fuzz-resync", test_fuzz_resync);
    return g_test_run();
}
