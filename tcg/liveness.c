/*
 * Liveness: one backward pass over the TB's ops that fills TCGOp.life and
 * deletes ops whose results nobody needs.  The register allocator of the
 * JIT follows the same rules, which are the IR's contract about where a
 * value must be in memory (docs/devel/tcg-ir.md, "Liveness"):
 *
 *   - A global lives in env memory; inside a TB it may be cached in a host
 *     register, and must be written back ("synced") wherever something may
 *     read env: at every basic block end, at every TB exit, before a helper
 *     call that may read globals, and before a guest memory access (it may
 *     fault, and the fault path reads the guest state from env).
 *   - set_label, br (BB end): globals and TB temps must be in memory and are
 *     forgotten in registers; EBB temps are dead (they never cross a label).
 *   - brcond (a conditional BB end): globals and TB temps must be in memory
 *     (for the taken edge) but stay valid in registers along the
 *     fall-through; EBB temps keep living along the fall-through.
 *   - exit_tb, goto_tb, goto_ptr (TB exits): globals in memory, every temp
 *     dead.
 *   - call: unless TCG_CALL_NO_WRITE_GLOBALS, globals are synced before and
 *     invalid after (the helper may change env), so they are reloaded;
 *     otherwise, unless TCG_CALL_NO_READ_GLOBALS, they are synced only.
 *   - qemu_ld/qemu_st (TCG_OPF_GUEST_MEM): globals synced, kept in registers.
 *
 * Walking backwards, each temp carries two bits: TS_DEAD (no later op reads
 * the value in a register) and TS_MEM (something later reads its memory
 * copy).  An output in state TS_DEAD gets DEAD_ARG, one in state TS_MEM gets
 * SYNC_ARG; an input found TS_DEAD is the value's last use (DEAD_ARG).  An
 * op without side effects whose outputs are all exactly TS_DEAD is removed;
 * an add2/sub2/mulu2/muls2 whose high half is dead becomes add/sub/mul.
 *
 * EBB temps and constants are killed at every BB end; instead of walking
 * them all, their state carries the number of the block it was set in, and
 * a state from another block reads as TS_DEAD.
 */
#include <string.h>

#include <glib.h>

#include "tcg/tcg.h"
#include "tcg-internal.h"

enum {
    TS_DEAD = 1,
    TS_MEM = 2,
};

typedef struct Liveness {
    TCGContext *s;
    uint32_t epoch;     /* current block (for EBB temps and constants) */
    unsigned *tb_temps; /* indices of the TEMP_TB temps */
    unsigned nb_tb_temps;
    /* Each temp's state, by index. */
    uint32_t *state;
    /*
     * Every guest memory access, call and block end changes the state of
     * all globals, in one of two ways: "dead, in memory" (la_globals_reset)
     * or "also needed in memory" (la_globals_need_mem).  Rather than
     * rewriting every global, each records when it happened on a clock
     * that also stamps each global's own state (state = stamp << 2 | bits),
     * and la_get combines the three.
     */
    uint32_t clock, globals_reset, globals_need_mem;
} Liveness;

static bool la_is_ebb(const TCGTemp *ts)
{
    return ts->kind == TEMP_EBB || ts->kind == TEMP_CONST;
}

static unsigned la_get(const Liveness *l, TCGArg idx)
{
    uint32_t st = l->state[idx];

    if (idx < l->s->nb_globals) {
        unsigned v;

        if ((st >> 2) < l->globals_reset) {
            return TS_DEAD | TS_MEM;
        }
        v = st & 3;
        return (st >> 2) < l->globals_need_mem ? v | TS_MEM : v;
    }
    if (la_is_ebb(&l->s->temps[idx])) {
        return (st >> 2) == l->epoch ? (st & 3) : TS_DEAD;
    }
    return st & 3;
}

static void la_set(Liveness *l, TCGArg idx, unsigned st)
{
    if (idx < l->s->nb_globals) {
        l->state[idx] = (++l->clock << 2) | st;
    } else {
        l->state[idx] = la_is_ebb(&l->s->temps[idx]) ? (l->epoch << 2) | st : st;
    }
}

/* Every global: dead in registers, needed in memory. */
static void la_globals_reset(Liveness *l)
{
    l->globals_reset = ++l->clock;
}

/* Every global: needed in memory too (registers keep their state). */
static void la_globals_need_mem(Liveness *l)
{
    l->globals_need_mem = ++l->clock;
}

static void la_tb_temps(Liveness *l, unsigned set, unsigned keep)
{
    for (unsigned i = 0; i < l->nb_tb_temps; i++) {
        uint32_t *st = &l->state[l->tb_temps[i]];

        *st = (*st & keep) | set;
    }
}

/* A TB exit: globals must be in memory, nothing else lives. */
static void la_func_end(Liveness *l)
{
    l->epoch++;
    la_globals_reset(l);
    la_tb_temps(l, TS_DEAD, 0);
}

/* An unconditional BB end: globals and TB temps go to memory. */
static void la_bb_end(Liveness *l)
{
    l->epoch++;
    la_globals_reset(l);
    la_tb_temps(l, TS_DEAD | TS_MEM, 0);
}

/* A conditional branch: memory copies needed, registers stay valid. */
static void la_bb_sync(Liveness *l)
{
    la_globals_need_mem(l);
    la_tb_temps(l, TS_MEM, 3);
}

static bool la_outputs_dead(const Liveness *l, const TCGOp *op, unsigned nb_oargs)
{
    for (unsigned k = 0; k < nb_oargs; k++) {
        if (la_get(l, op->args[k]) != TS_DEAD) {
            return false;
        }
    }
    return true;
}

/*
 * The high half of a double-width op is dead and the low half is not:
 * compute the low half only.
 */
static void la_narrow_double(Liveness *l, TCGOp *op)
{
    if (la_get(l, op->args[1]) != TS_DEAD || la_get(l, op->args[0]) == TS_DEAD) {
        return;
    }
    switch (op->opc) {
    case INDEX_op_add2:
    case INDEX_op_sub2:
        /* (rl, rh, al, ah, bl, bh) -> (rl, al, bl) */
        op->opc = op->opc == INDEX_op_add2 ? INDEX_op_add : INDEX_op_sub;
        op->args[1] = op->args[2];
        op->args[2] = op->args[4];
        op->nargs = 3;
        break;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        /* (rl, rh, a, b) -> (rl, a, b) */
        op->opc = INDEX_op_mul;
        op->args[1] = op->args[2];
        op->args[2] = op->args[3];
        op->nargs = 3;
        break;
    default:
        break;
    }
}

/* Record the outputs' life bits and kill them. */
static uint16_t la_outputs(Liveness *l, TCGOp *op, unsigned nb_oargs)
{
    uint16_t life = 0;

    for (unsigned k = 0; k < nb_oargs; k++) {
        unsigned st = la_get(l, op->args[k]);

        if (st & TS_DEAD) {
            life |= DEAD_ARG(k);
        }
        if (st & TS_MEM) {
            life |= SYNC_ARG(k);
        }
        la_set(l, op->args[k], TS_DEAD);
    }
    return life;
}

/* Record which inputs die here, then make them live. */
static uint16_t la_inputs(Liveness *l, TCGOp *op, unsigned first, unsigned nb_iargs)
{
    TCGContext *s = l->s;
    uint16_t life = 0;

    for (unsigned k = first; k < first + nb_iargs; k++) {
        if (s->temps[op->args[k]].kind != TEMP_FIXED && (la_get(l, op->args[k]) & TS_DEAD)) {
            life |= DEAD_ARG(k);
        }
    }
    for (unsigned k = first; k < first + nb_iargs; k++) {
        la_set(l, op->args[k], la_get(l, op->args[k]) & ~TS_DEAD);
    }
    return life;
}

/* Returns false if the call is removed. */
static bool la_call(Liveness *l, TCGOp *op)
{
    const TCGHelperInfo *info = tcg_op_call_info(op);
    unsigned nb_o = op->call_oargs, nb_i = op->call_iargs;
    uint16_t life;

    if ((info->flags & TCG_CALL_NO_SIDE_EFFECTS) && !(info->flags & TCG_CALL_NO_RETURN) &&
        la_outputs_dead(l, op, nb_o)) {
        return false;
    }
    life = la_outputs(l, op, nb_o);
    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        la_globals_reset(l);
    } else if (!(info->flags & TCG_CALL_NO_READ_GLOBALS)) {
        la_globals_need_mem(l);
    }
    life |= la_inputs(l, op, nb_o, nb_i);
    op->life = life;
    return true;
}

/* Returns false if the op is removed. */
static bool la_op(Liveness *l, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    uint16_t life;

    switch (op->opc) {
    case INDEX_op_insn_start:
        return true;
    case INDEX_op_discard:
        /* The value is not needed any more, not even in memory. */
        la_set(l, op->args[0], TS_DEAD);
        return true;
    case INDEX_op_call:
        return la_call(l, op);
    case INDEX_op_add2:
    case INDEX_op_sub2:
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        la_narrow_double(l, op);
        def = &tcg_op_defs[op->opc];
        break;
    default:
        break;
    }

    if (def->nb_oargs &&
        !(def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END | TCG_OPF_GUEST_MEM)) &&
        la_outputs_dead(l, op, def->nb_oargs)) {
        return false;
    }
    life = la_outputs(l, op, def->nb_oargs);
    if (def->flags & TCG_OPF_BB_EXIT) {
        la_func_end(l);
    } else if (def->flags & TCG_OPF_COND_BRANCH) {
        la_bb_sync(l);
    } else if (def->flags & TCG_OPF_BB_END) {
        la_bb_end(l);
    } else if (def->flags & TCG_OPF_GUEST_MEM) {
        la_globals_need_mem(l);
    }
    life |= la_inputs(l, op, def->nb_oargs, def->nb_iargs);
    op->life = life;
    return true;
}

void tcg_liveness(TCGContext *s)
{
    Liveness l = {.s = s, .epoch = 1};
    bool *removed = tcg_pass_buf(s, TCG_PASS_BUF_LA_REMOVED, s->nb_ops + 1);
    unsigned j = 0;

    l.tb_temps = tcg_pass_buf(s, TCG_PASS_BUF_LA_TB_TEMPS, (s->nb_temps + 1) * sizeof(unsigned));
    l.state = tcg_pass_buf(s, TCG_PASS_BUF_LA_STATE, (s->nb_temps + 1) * sizeof(uint32_t));
    memset(l.state, 0, (s->nb_temps + 1) * sizeof(uint32_t));
    for (unsigned i = 0; i < s->nb_temps; i++) {
        if (s->temps[i].kind == TEMP_TB) {
            l.tb_temps[l.nb_tb_temps++] = i;
        }
    }
    la_func_end(&l);

    for (unsigned i = s->nb_ops; i-- > 0;) {
        removed[i] = !la_op(&l, &s->ops[i]);
    }

    for (unsigned i = 0; i < s->nb_ops; i++) {
        if (!removed[i]) {
            if (i != j) {
                s->ops[j] = s->ops[i];
            }
            j++;
        }
    }
    s->nb_ops = j;
}
