/*
 * A small harness for the IR tests: a TCG context on a chosen backend, a
 * fake CPU state (env) with a few i64 and i32 globals and scratch memory,
 * user-mode guest memory (guest_base = a host buffer), and helpers to emit
 * a TB, generate it, run it and read the globals back.  Tests register one
 * case per registered backend (harness_add_per_backend), so a backend is
 * tested as soon as it is listed in tcg/backends.c.
 */
#ifndef MORPH_TESTS_TCG_HARNESS_H
#define MORPH_TESTS_TCG_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "tcg/tcg-op.h"

#define HARNESS_NB_G64     8
#define HARNESS_NB_G32     8
#define HARNESS_GUEST_SIZE 0x4000

typedef struct HarnessTLBFast {
    uintptr_t mask;
    void *table;
} HarnessTLBFast;

/* The fake CPU state the TBs run on. */
typedef struct HarnessEnv {
    uint64_t r64[HARNESS_NB_G64];
    uint32_t r32[HARNESS_NB_G32];
    uint64_t scratch[16];       /* for host ld/st ops */
    HarnessTLBFast tlb_fast[2]; /* softmmu tests: per MMU index */
} HarnessEnv;

typedef struct Harness {
    const TCGBackend *backend;
    TCGContext *s;
    TCGGuestMemConfig mem;
    HarnessEnv env;
    uint8_t *guest;               /* HARNESS_GUEST_SIZE bytes of guest memory */
    TCGv_i64 g64[HARNESS_NB_G64]; /* globals over env.r64[] ("r0".."r7") */
    TCGv_i32 g32[HARNESS_NB_G32]; /* globals over env.r32[] ("w0".."w7") */
    /* The last TB generated. */
    const void *tc_ptr;
    int code_size;
    TCGCodeInfo info;
} Harness;

Harness *harness_new(const TCGBackend *backend);
void harness_free(Harness *h);
/* Start a TB (sets tcg_ctx); `optimize` false skips the optimizer. */
void harness_begin(Harness *h, bool optimize);
/* Generate the TB as emitted; returns tcg_gen_code()'s result. */
int harness_gen(Harness *h);
/* Run code generated earlier. */
uintptr_t harness_exec(Harness *h, const void *code);
/* Append exit_tb(0), generate (must succeed), run. */
uintptr_t harness_run(Harness *h);
/* Print the current op list (for failure messages). */
void harness_dump(Harness *h, const char *title);
/* Compare a result; on a mismatch print `what`, the ops, and fail. */
void harness_check(Harness *h, const char *what, uint64_t got, uint64_t exp);
/* Log how many checks passed since the last report. */
void harness_report(Harness *h, const char *what);

/*
 * Register `fn` as test case "<prefix>/<backend>/<name>" for every
 * registered backend; fn receives the backend.
 */
void harness_add_per_backend(const char *name, void (*fn)(const TCGBackend *backend));

#endif
