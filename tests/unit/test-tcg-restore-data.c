/*
 * The packed restore data of a TB (tcg/restore-data.c): what
 * cpu_restore_state decodes after a fault must be exactly what the
 * translator recorded, for every host offset, including pcs that go
 * backwards, words that change sign and full 64-bit values; and a buffer
 * too small is reported, never overrun.
 */
#include <glib.h>
#include <string.h>

#include "tcg/tcg.h"

enum { MAX_INSNS = 64 };

typedef struct RestoreCase {
    uint32_t ends[MAX_INSNS];
    uint64_t data[MAX_INSNS][TCG_INSN_START_WORDS];
    TCGCodeInfo info;
} RestoreCase;

static void restore_case_fill(RestoreCase *c, GRand *r, uint32_t n)
{
    uint32_t end = 0;

    memset(c, 0, sizeof(*c));
    for (uint32_t i = 0; i < n; i++) {
        end += (uint32_t)g_rand_int_range(r, 0, i % 7 == 6 ? 70000 : 200);
        c->ends[i] = end;
        for (unsigned w = 0; w < TCG_INSN_START_WORDS; w++) {
            switch (g_rand_int_range(r, 0, 4)) {
            case 0: /* anything */
                c->data[i][w] = ((uint64_t)g_rand_int(r) << 32) | g_rand_int(r);
                break;
            case 1: /* a step back */
                c->data[i][w] = (i ? c->data[i - 1][w] : 0) - (uint64_t)g_rand_int_range(r, 1, 9);
                break;
            case 2: /* extremes */
                c->data[i][w] = g_rand_boolean(r) ? UINT64_MAX : (UINT64_C(1) << 63);
                break;
            default: /* a pc moving on by 2 or 4 */
                c->data[i][w] = (i ? c->data[i - 1][w] : 0xffffffff80000000u) +
                                (g_rand_boolean(r) ? 2 : 4);
                break;
            }
        }
    }
    c->info.nb_insns = n;
    c->info.insn_end_offset = c->ends;
    c->info.insn_data = c->data;
}

/* The instruction the raw arrays say contains `off`, or -1. */
static int restore_case_expect(const RestoreCase *c, uint32_t off)
{
    for (uint32_t i = 0; i < c->info.nb_insns; i++) {
        if (c->ends[i] > off) {
            return (int)i;
        }
    }
    return -1;
}

static void test_round_trip(void)
{
    GRand *r = g_rand_new_with_seed(20261124);
    static uint8_t buf[MAX_INSNS * (5 + 10 * TCG_INSN_START_WORDS)];

    for (int iter = 0; iter < 2000; iter++) {
        RestoreCase c;
        uint32_t n = (uint32_t)g_rand_int_range(r, 1, MAX_INSNS + 1);
        size_t len = 0;

        restore_case_fill(&c, r, n);
        g_assert_true(tcg_restore_data_encode(&c.info, buf, sizeof(buf), &len));
        g_assert_cmpuint(len, >, 0);
        g_assert_cmpuint(len, <=, sizeof(buf));
        for (int k = 0; k < 40; k++) {
            uint32_t off = (uint32_t)g_rand_int_range(r, 0, (gint32)(c.ends[n - 1] + 2));
            uint64_t words[TCG_INSN_START_WORDS];
            int want = restore_case_expect(&c, off);
            bool found = tcg_restore_data_find(buf, n, off, words);

            g_assert_cmpint(found, ==, want >= 0);
            if (found) {
                for (unsigned w = 0; w < TCG_INSN_START_WORDS; w++) {
                    g_assert_cmphex(words[w], ==, c.data[want][w]);
                }
            }
        }
    }
    g_rand_free(r);
}

/* Typical code (pc += 4, second word 0, ~60 host bytes each) packs into a few bytes per insn. */
static void test_compact(void)
{
    RestoreCase c;
    uint8_t buf[256];
    size_t len = 0;

    memset(&c, 0, sizeof(c));
    for (uint32_t i = 0; i < 8; i++) {
        c.ends[i] = 60 * (i + 1);
        c.data[i][0] = 0xffffffff80200000u + 4 * i;
    }
    c.info.nb_insns = 8;
    c.info.insn_end_offset = c.ends;
    c.info.insn_data = c.data;
    g_assert_true(tcg_restore_data_encode(&c.info, buf, sizeof(buf), &len));
    g_assert_cmpuint(len, <=, 8 * 3 + 8);
}

/* Every buffer size short of the packed length fails without writing past it. */
static void test_short_buffer(void)
{
    GRand *r = g_rand_new_with_seed(7);
    RestoreCase c;
    uint8_t buf[MAX_INSNS * (5 + 10 * TCG_INSN_START_WORDS) + 16];
    size_t len = 0, len2 = 0;

    restore_case_fill(&c, r, 20);
    g_assert_true(tcg_restore_data_encode(&c.info, buf, sizeof(buf), &len));
    for (size_t cap = 0; cap < len; cap++) {
        memset(buf, 0xa5, sizeof(buf));
        g_assert_false(tcg_restore_data_encode(&c.info, buf, cap, &len2));
        for (size_t i = cap; i < sizeof(buf); i++) {
            g_assert_cmpuint(buf[i], ==, 0xa5);
        }
    }
    g_assert_true(tcg_restore_data_encode(&c.info, buf, len, &len2));
    g_assert_cmpuint(len2, ==, len);
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcg/restore-data/round-trip", test_round_trip);
    g_test_add_func("/tcg/restore-data/compact", test_compact);
    g_test_add_func("/tcg/restore-data/short-buffer", test_short_buffer);
    return g_test_run();
}
