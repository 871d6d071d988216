/*
 * The list of code generation backends built into this binary, and the
 * choice among them.  A backend registers itself with one line in
 * tcg_backends[]; the x86-64 JIT is preferred when present, the bytecode
 * interpreter is always there (it is the reference the tests hold the JIT
 * against, and the fallback on hosts the JIT does not support).
 */
#include <string.h>

#include "tcg/tcg.h"

static const TCGBackend *const tcg_backends[] = {
    &tcg_backend_x86_64,
    &tcg_backend_interp,
};

#define TCG_NB_BACKENDS (sizeof(tcg_backends) / sizeof(tcg_backends[0]))

const TCGBackend *tcg_backend_nth(unsigned i)
{
    return i < TCG_NB_BACKENDS ? tcg_backends[i] : NULL;
}

const TCGBackend *tcg_backend_by_name(const char *name)
{
    for (unsigned i = 0; i < TCG_NB_BACKENDS; i++) {
        if (name && strcmp(tcg_backends[i]->name, name) == 0) {
            return tcg_backends[i];
        }
    }
    return NULL;
}

const TCGBackend *tcg_backend_default(void)
{
    const TCGBackend *b = tcg_backend_by_name("x86_64");

    return b ? b : &tcg_backend_interp;
}
