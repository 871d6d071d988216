/*
 * The IR test harness (see tcg-harness.h): contexts, fake env, guest
 * memory, and per-backend test registration.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "tcg-harness.h"

#define HARNESS_CODE_SIZE (4u << 20)

Harness *harness_new(const TCGBackend *backend)
{
    Harness *h = g_new0(Harness, 1);
    Error *err = NULL;

    h->backend = backend;
    h->s = tcg_context_new(backend, HARNESS_CODE_SIZE, &err);
    if (!h->s) {
        g_error("tcg_context_new(%s): %s", backend->name, error_get_pretty(err));
    }
    h->guest = g_malloc0(HARNESS_GUEST_SIZE);
    h->mem.softmmu = false;
    h->mem.guest_base = (uintptr_t)h->guest;
    h->mem.page_bits = 12;
    h->s->mem = &h->mem;

    for (unsigned i = 0; i < HARNESS_NB_G64; i++) {
        char name[8];

        snprintf(name, sizeof(name), "r%u", i);
        h->g64[i] = tcg_global_mem_new_i64(h->s, offsetof(HarnessEnv, r64) + 8 * i, name);
    }
    for (unsigned i = 0; i < HARNESS_NB_G32; i++) {
        char name[8];

        snprintf(name, sizeof(name), "w%u", i);
        h->g32[i] = tcg_global_mem_new_i32(h->s, offsetof(HarnessEnv, r32) + 4 * i, name);
    }
    return h;
}

void harness_free(Harness *h)
{
    tcg_context_free(h->s);
    g_free(h->guest);
    g_free(h);
}

void harness_begin(Harness *h, bool optimize)
{
    tcg_ctx = h->s;
    h->s->no_optimize = !optimize;
    /* Tests do not keep TBs across many others: start over well before full. */
    if (h->s->code_gen_highwater - h->s->code_ptr < (ptrdiff_t)(HARNESS_CODE_SIZE / 4)) {
        tcg_code_buffer_reset(h->s);
    }
    tcg_func_start(h->s);
}

int harness_gen(Harness *h)
{
    uint8_t *start = h->s->code_ptr;

    h->code_size = tcg_gen_code(h->s, &h->info);
    h->tc_ptr = h->code_size >= 0 ? start : NULL;
    return h->code_size;
}

uintptr_t harness_exec(Harness *h, const void *code)
{
    return h->backend->exec(h->s, &h->env, code);
}

uintptr_t harness_run(Harness *h)
{
    tcg_gen_exit_tb(0);
    if (harness_gen(h) < 0) {
        harness_dump(h, "tcg_gen_code failed on:");
        g_error("tcg_gen_code failed: %d", h->code_size);
    }
    return harness_exec(h, h->tc_ptr);
}

void harness_dump(Harness *h, const char *title)
{
    tcg_dump_ops(h->s, stderr, title);
}

static unsigned harness_nb_checks;

void harness_check(Harness *h, const char *what, uint64_t got, uint64_t exp)
{
    harness_nb_checks++;
    if (got != exp) {
        fprintf(stderr,
                "%s: %s: got 0x%" G_GINT64_MODIFIER "x, expected 0x%" G_GINT64_MODIFIER "x\n",
                h->backend->name, what, got, exp);
        harness_dump(h, "ops as generated:");
        g_assert_cmphex(got, ==, exp);
    }
}

void harness_report(Harness *h, const char *what)
{
    static unsigned last;

    g_test_message("%s on %s: %u result checks", what, h->backend->name, harness_nb_checks - last);
    last = harness_nb_checks;
}

static void harness_trampoline(gconstpointer data)
{
    const void *const *pair = data;
    void (*fn)(const TCGBackend *) = (void (*)(const TCGBackend *))(uintptr_t)pair[0];

    fn(pair[1]);
}

void harness_add_per_backend(const char *name, void (*fn)(const TCGBackend *backend))
{
    /* (fn, backend) pairs live as long as the test program. */
    static const void *pairs[512][2];
    static unsigned nb_pairs;
    const TCGBackend *b;

    for (unsigned i = 0; (b = tcg_backend_nth(i)) != NULL; i++) {
        char *path = g_strdup_printf("/tcg/%s/%s", b->name, name);

        g_assert(nb_pairs < G_N_ELEMENTS(pairs));
        pairs[nb_pairs][0] = (const void *)(uintptr_t)fn;
        pairs[nb_pairs][1] = b;
        g_test_add_data_func(path, pairs[nb_pairs], harness_trampoline);
        nb_pairs++;
        g_free(path);
    }
}
