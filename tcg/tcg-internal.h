/*
 * What the IR core's own files (tcg.c, tcg-op.c, optimize.c, liveness.c,
 * dump.c) and the backends share beyond the public contract of
 * include/tcg/tcg.h: appending ops, interning constants, and reading an
 * op's argument counts (calls carry theirs in the op itself).
 */
#ifndef MORPH_TCG_TCG_INTERNAL_H
#define MORPH_TCG_TCG_INTERNAL_H

#include "tcg/tcg.h"

/* Append an op with `nargs` arguments (filled by the caller) to the TB. */
TCGOp *tcg_emit_op(TCGContext *s, TCGOpcode opc, TCGType type, unsigned nargs);
/* The interned constant temp of (type, val); i32 values are sign-extended. */
unsigned tcg_constant_idx(TCGContext *s, TCGType type, int64_t val);
/* A new non-global temp of the current TB. */
unsigned tcg_temp_new_idx(TCGContext *s, TCGType type, TCGTempKind kind);
/*
 * Work array `which` (TCG_PASS_BUF_*) of at least `bytes` bytes.  It lives
 * as long as the context and keeps its contents when it grows, so a pass
 * may call this again to enlarge the array it is using.
 */
void *tcg_pass_buf(TCGContext *s, unsigned which, size_t bytes);

static inline unsigned tcg_op_nb_oargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->call_oargs : tcg_op_defs[op->opc].nb_oargs;
}

static inline unsigned tcg_op_nb_iargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->call_iargs : tcg_op_defs[op->opc].nb_iargs;
}

/* The constant argument k of a non-call op (after its temps). */
static inline TCGArg tcg_op_carg(const TCGOp *op, unsigned k)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];

    return op->args[def->nb_oargs + def->nb_iargs + k];
}

/* The label a set_label / br / brcond op refers to, as an id. */
static inline unsigned tcg_op_label_id(const TCGOp *op)
{
    return op->opc == INDEX_op_brcond ? (unsigned)op->args[3] : (unsigned)op->args[0];
}

/* The number of declared arguments of a helper (from its typemask). */
static inline unsigned tcg_call_nb_args(uint32_t typemask)
{
    unsigned n = 0;

    for (unsigned i = 1; i <= TCG_MAX_CALL_ARGS; i++) {
        if ((typemask >> (3 * i)) & 7) {
            n = i;
        }
    }
    return n;
}

static inline unsigned tcg_call_arg_type(uint32_t typemask, unsigned i)
{
    return (typemask >> (3 * (i + 1))) & 7;
}

#endif
