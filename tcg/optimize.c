/*
 * The IR optimizer: one forward pass over the TB's ops doing constant
 * folding (every op whose inputs are all known constants becomes a mov of
 * the result, with the semantics of tcg-eval.h), copy propagation (an input
 * that holds the same value as a constant, a global or an older temp is
 * replaced by it, so that the copy can die), and algebraic simplification
 * (x + 0, x * 1, x & x, x ^ x, shifts by 0, conditions on equal or constant
 * operands, branches that became unconditional or impossible).  Then a
 * short cleanup removes code made unreachable and labels nobody branches to.
 *
 * What is known about a temp is only valid inside an extended basic block:
 * everything is forgotten at a label (other predecessors may arrive with
 * other values) and after an unconditional block end; along the
 * fall-through of a conditional branch it stays valid.  A helper call
 * forgets the globals unless it is declared TCG_CALL_NO_WRITE_GLOBALS.
 * ld/st must not alias a global's storage (tcg-ir.md), so host memory ops
 * change nothing but their outputs.
 *
 * Copies are kept as rings: all temps holding the same (non-constant) value
 * are linked together, so redefining one unlinks it in O(1).
 */
#include <string.h>

#include <glib.h>

#include "tcg/tcg.h"
#include "tcg-eval.h"
#include "tcg-internal.h"

typedef struct OptTemp {
    bool is_const;
    bool touched;        /* on the touched list (not in its reset state) */
    uint64_t val;        /* if is_const; i32 values sign-extended */
    unsigned prev, next; /* ring of temps holding the same value */
} OptTemp;

typedef struct Opt {
    TCGContext *s;
    OptTemp *t;
    unsigned nb_t;
    unsigned *touched;
    unsigned nb_touched, touched_cap;
    TCGOp *out;
    unsigned nb_out, out_cap;
} Opt;

/* ---- what is known about temps ---------------------------------------------- */

static void opt_init_temp(Opt *o, unsigned idx)
{
    const TCGTemp *ts = &o->s->temps[idx];
    OptTemp *ti = &o->t[idx];

    ti->is_const = ts->kind == TEMP_CONST;
    ti->val = ti->is_const ? (uint64_t)ts->val : 0;
    ti->touched = false;
    ti->prev = ti->next = idx;
}

/* Temps created during the pass (constants) get their default state. */
static OptTemp *opt_info(Opt *o, unsigned idx)
{
    if (idx >= o->nb_t) {
        unsigned n = MAX(o->s->nb_temps, idx + 1);

        o->t = tcg_pass_buf(o->s, TCG_PASS_BUF_OPT_TEMPS, n * sizeof(OptTemp));
        for (unsigned i = o->nb_t; i < n; i++) {
            opt_init_temp(o, i);
        }
        o->nb_t = n;
    }
    return &o->t[idx];
}

static void opt_touch(Opt *o, unsigned idx)
{
    OptTemp *ti = opt_info(o, idx);

    if (!ti->touched) {
        ti->touched = true;
        if (o->nb_touched == o->touched_cap) {
            o->touched_cap = o->touched_cap ? 2 * o->touched_cap : 256;
            o->touched = tcg_pass_buf(o->s, TCG_PASS_BUF_OPT_TOUCHED,
                                      o->touched_cap * sizeof(unsigned));
        }
        o->touched[o->nb_touched++] = idx;
    }
}

/* `idx` gets a new value: forget what was known and leave its copy ring. */
static void opt_reset_temp(Opt *o, unsigned idx)
{
    OptTemp *ti = opt_info(o, idx);

    if (ti->next != idx) {
        opt_info(o, ti->prev)->next = ti->next;
        opt_info(o, ti->next)->prev = ti->prev;
        ti->prev = ti->next = idx;
    }
    if (o->s->temps[idx].kind != TEMP_CONST) {
        ti->is_const = false;
    }
}

static void opt_reset_all(Opt *o)
{
    for (unsigned i = 0; i < o->nb_touched; i++) {
        opt_init_temp(o, o->touched[i]);
    }
    o->nb_touched = 0;
}

/* Only touched temps differ from their initial state (opt_touch). */
static void opt_reset_globals(Opt *o)
{
    for (unsigned i = 0; i < o->nb_touched; i++) {
        if (o->touched[i] < o->s->nb_globals) {
            opt_reset_temp(o, o->touched[i]);
        }
    }
}

static bool opt_is_const(Opt *o, unsigned idx, uint64_t *val)
{
    OptTemp *ti = opt_info(o, idx);

    if (ti->is_const) {
        *val = ti->val;
        return true;
    }
    return false;
}

static bool opt_are_copies(Opt *o, unsigned a, unsigned b)
{
    uint64_t va, vb;

    if (a == b) {
        return true;
    }
    if (opt_is_const(o, a, &va) && opt_is_const(o, b, &vb)) {
        return va == vb;
    }
    for (unsigned i = opt_info(o, a)->next; i != a; i = opt_info(o, i)->next) {
        if (i == b) {
            return true;
        }
    }
    return false;
}

static int opt_kind_rank(TCGTempKind kind)
{
    switch (kind) {
    case TEMP_FIXED:
    case TEMP_GLOBAL:
        return 3;
    case TEMP_TB:
        return 2;
    default:
        return 1;
    }
}

/*
 * The best temp to read instead of `idx`: the interned constant if its value
 * is known, else the longest-living member of its copy ring (a global, then
 * a TB temp), so that short-lived copies die early.
 */
static unsigned opt_better_copy(Opt *o, unsigned idx)
{
    TCGContext *s = o->s;
    unsigned best = idx;
    uint64_t val;

    if (s->temps[idx].kind == TEMP_CONST) {
        return idx;
    }
    if (opt_is_const(o, idx, &val)) {
        return tcg_constant_idx(s, s->temps[idx].type, (int64_t)val);
    }
    for (unsigned i = opt_info(o, idx)->next; i != idx; i = opt_info(o, i)->next) {
        if (opt_kind_rank(s->temps[i].kind) > opt_kind_rank(s->temps[best].kind)) {
            best = i;
        }
    }
    return best;
}

/* ---- emitting the optimized list --------------------------------------------- */

static void opt_emit(Opt *o, const TCGOp *op)
{
    if (o->nb_out == o->out_cap) {
        o->out_cap = o->out_cap ? 2 * o->out_cap : 1024;
        o->out = g_renew(TCGOp, o->out, o->out_cap);
    }
    o->out[o->nb_out++] = *op;
}

static void opt_emit_mov_raw(Opt *o, TCGType type, unsigned dst, unsigned src)
{
    TCGOp op = {.opc = INDEX_op_mov, .type = type, .nargs = 2};

    op.args[0] = dst;
    op.args[1] = src;
    opt_emit(o, &op);
}

/* dst = constant val: emitted unless dst is already known to hold it. */
static void opt_emit_movi(Opt *o, TCGType type, unsigned dst, uint64_t val)
{
    uint64_t old;

    val = tcg_eval_canon(type, val);
    if (opt_is_const(o, dst, &old) && old == val) {
        return;
    }
    opt_reset_temp(o, dst);
    opt_emit_mov_raw(o, type, dst, tcg_constant_idx(o->s, type, (int64_t)val));
    opt_info(o, dst)->is_const = true;
    opt_info(o, dst)->val = val;
    opt_touch(o, dst);
}

/* dst = src: emitted unless dst already holds src's value. */
static void opt_emit_mov(Opt *o, TCGType type, unsigned dst, unsigned src)
{
    uint64_t val;
    OptTemp *td, *ts;

    if (opt_is_const(o, src, &val)) {
        opt_emit_movi(o, type, dst, val);
        return;
    }
    if (opt_are_copies(o, dst, src)) {
        return;
    }
    opt_reset_temp(o, dst);
    opt_emit_mov_raw(o, type, dst, src);
    /* Link dst into src's ring, right after src. */
    td = opt_info(o, dst);
    ts = opt_info(o, src);
    td->next = ts->next;
    td->prev = src;
    opt_info(o, ts->next)->prev = dst;
    opt_info(o, src)->next = dst;
    opt_touch(o, dst);
    opt_touch(o, src);
}

/* An op that is kept: its outputs get unknown values. */
static void opt_emit_plain(Opt *o, const TCGOp *op, unsigned nb_oargs)
{
    for (unsigned k = 0; k < nb_oargs; k++) {
        opt_reset_temp(o, (unsigned)op->args[k]);
    }
    opt_emit(o, op);
}

/* ---- folding ---------------------------------------------------------------- */

static bool opt_is_commutative(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_add:
    case INDEX_op_mul:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        return true;
    default:
        return false;
    }
}

/* Put a constant operand second (the forms backends and this pass prefer). */
static void opt_swap_const_second(Opt *o, TCGArg *a, TCGArg *b, TCGCond *cond)
{
    uint64_t v;

    if (opt_is_const(o, *a, &v) && !opt_is_const(o, *b, &v)) {
        TCGArg t = *a;

        *a = *b;
        *b = t;
        if (cond) {
            *cond = tcg_swap_cond(*cond);
        }
    }
}

/*
 * A condition decided without knowing the values: 1 true, 0 false, -1
 * unknown.  Equal operands, or an unsigned comparison against zero.
 */
static int opt_decide_cond(Opt *o, TCGType type, TCGCond c, unsigned a, unsigned b)
{
    uint64_t va, vb;

    if (opt_is_const(o, a, &va) && opt_is_const(o, b, &vb)) {
        return tcg_eval_cond_inline(type, c, va, vb);
    }
    if (opt_are_copies(o, a, b)) {
        switch (c) {
        case TCG_COND_EQ:
        case TCG_COND_LE:
        case TCG_COND_GE:
        case TCG_COND_LEU:
        case TCG_COND_GEU:
            return 1;
        case TCG_COND_NE:
        case TCG_COND_LT:
        case TCG_COND_GT:
        case TCG_COND_LTU:
        case TCG_COND_GTU:
            return 0;
        default:
            return -1;
        }
    }
    if (opt_is_const(o, b, &vb) && tcg_eval_canon(type, vb) == 0) {
        if (c == TCG_COND_LTU || c == TCG_COND_TSTNE) {
            return 0;
        }
        if (c == TCG_COND_GEU || c == TCG_COND_TSTEQ) {
            return 1;
        }
    }
    return -1;
}

/* Two-operand ops: fold, simplify, or keep.  Inputs are already substituted. */
static void opt_binary(Opt *o, TCGOp *op)
{
    TCGOpcode opc = op->opc;
    TCGType type = op->type;
    unsigned r = op->args[0];
    uint64_t x = 0, y = 0, ones = tcg_eval_canon(type, ~0ull);
    unsigned bits = type == TCG_TYPE_I32 ? 32 : 64;
    bool cx, cy;

    if (opt_is_commutative(opc)) {
        opt_swap_const_second(o, &op->args[1], &op->args[2], NULL);
    }
    cx = opt_is_const(o, op->args[1], &x);
    cy = opt_is_const(o, op->args[2], &y);

    if (opc == INDEX_op_clz || opc == INDEX_op_ctz) {
        if (!cx) {
            opt_emit_plain(o, op, 1);
        } else if (x != 0) {
            opt_emit_movi(o, type, r, tcg_eval_binary(opc, type, x, 0));
        } else {
            opt_emit_mov(o, type, r, op->args[2]);
        }
        return;
    }

    if (cx && cy) {
        bool is_div = opc == INDEX_op_div || opc == INDEX_op_divu || opc == INDEX_op_rem ||
                      opc == INDEX_op_remu;

        /* An undefined division is left for the backend to diagnose. */
        if (!is_div || tcg_eval_div_ok(opc, type, x, y)) {
            opt_emit_movi(o, type, r, tcg_eval_binary(opc, type, x, y));
            return;
        }
    }

    /* Identities with a constant second operand: a result of a, or a constant. */
    if (cy) {
        bool keep_a = false, to_zero = false, to_ones = false;

        switch (opc) {
        case INDEX_op_add:
        case INDEX_op_sub:
        case INDEX_op_xor:
            keep_a = y == 0;
            break;
        case INDEX_op_or:
            keep_a = y == 0;
            to_ones = y == ones;
            break;
        case INDEX_op_shl:
        case INDEX_op_shr:
        case INDEX_op_sar:
        case INDEX_op_rotl:
        case INDEX_op_rotr:
            keep_a = (y & (bits - 1)) == 0;
            break;
        case INDEX_op_mul:
            keep_a = y == 1;
            to_zero = y == 0;
            break;
        case INDEX_op_and:
            keep_a = y == ones;
            to_zero = y == 0;
            break;
        case INDEX_op_andc:
            keep_a = y == 0;
            to_zero = y == ones;
            break;
        case INDEX_op_orc:
            keep_a = y == ones;
            to_ones = y == 0;
            break;
        case INDEX_op_eqv:
            keep_a = y == ones;
            break;
        case INDEX_op_div:
        case INDEX_op_divu:
            keep_a = y == 1;
            break;
        case INDEX_op_rem:
        case INDEX_op_remu:
            to_zero = y == 1;
            break;
        default:
            break;
        }
        if (keep_a) {
            opt_emit_mov(o, type, r, op->args[1]);
            return;
        }
        if (to_zero || to_ones) {
            opt_emit_movi(o, type, r, to_zero ? 0 : ones);
            return;
        }
    }

    /* Shifting or rotating zero gives zero; 0 - b is -b. */
    if (cx && x == 0) {
        switch (opc) {
        case INDEX_op_shl:
        case INDEX_op_shr:
        case INDEX_op_sar:
        case INDEX_op_rotl:
        case INDEX_op_rotr:
            opt_emit_movi(o, type, r, 0);
            return;
        case INDEX_op_sub:
            op->opc = INDEX_op_neg;
            op->args[1] = op->args[2];
            op->nargs = 2;
            opt_emit_plain(o, op, 1);
            return;
        default:
            break;
        }
    }

    /* Both operands hold the same value. */
    if (opt_are_copies(o, op->args[1], op->args[2])) {
        switch (opc) {
        case INDEX_op_and:
        case INDEX_op_or:
            opt_emit_mov(o, type, r, op->args[1]);
            return;
        case INDEX_op_sub:
        case INDEX_op_xor:
        case INDEX_op_andc:
            opt_emit_movi(o, type, r, 0);
            return;
        case INDEX_op_orc:
        case INDEX_op_eqv:
            opt_emit_movi(o, type, r, ones);
            return;
        case INDEX_op_nand:
        case INDEX_op_nor:
            op->opc = INDEX_op_not;
            op->nargs = 2;
            opt_emit_plain(o, op, 1);
            return;
        default:
            break;
        }
    }
    opt_emit_plain(o, op, 1);
}

static void opt_unary(Opt *o, TCGOp *op)
{
    uint64_t x;

    if (op->opc == INDEX_op_mov) {
        opt_emit_mov(o, op->type, op->args[0], op->args[1]);
    } else if (opt_is_const(o, op->args[1], &x)) {
        opt_emit_movi(o, op->type, op->args[0], tcg_eval_unary(op->opc, op->type, x));
    } else {
        opt_emit_plain(o, op, 1);
    }
}

static void opt_bitfield(Opt *o, TCGOp *op)
{
    TCGType type = op->type;
    uint64_t a, b;

    if (op->opc == INDEX_op_deposit) {
        unsigned pos = op->args[3], len = op->args[4];

        if (opt_is_const(o, op->args[1], &a) && opt_is_const(o, op->args[2], &b)) {
            opt_emit_movi(o, type, op->args[0], tcg_eval_deposit(type, a, b, pos, len));
            return;
        }
    } else if (opt_is_const(o, op->args[1], &a)) {
        unsigned pos = op->args[2], len = op->args[3];

        opt_emit_movi(o, type, op->args[0],
                      op->opc == INDEX_op_extract ? tcg_eval_extract(type, a, pos, len)
                                                  : tcg_eval_sextract(type, a, pos, len));
        return;
    }
    opt_emit_plain(o, op, 1);
}

static void opt_setcond(Opt *o, TCGOp *op)
{
    TCGCond c = (TCGCond)op->args[3];
    int res;

    opt_swap_const_second(o, &op->args[1], &op->args[2], &c);
    op->args[3] = c;
    res = opt_decide_cond(o, op->type, c, op->args[1], op->args[2]);
    if (res >= 0) {
        uint64_t one = op->opc == INDEX_op_negsetcond ? ~0ull : 1;

        opt_emit_movi(o, op->type, op->args[0], res ? one : 0);
        return;
    }
    opt_emit_plain(o, op, 1);
}

static void opt_movcond(Opt *o, TCGOp *op)
{
    TCGCond c = (TCGCond)op->args[5];
    int res;

    opt_swap_const_second(o, &op->args[1], &op->args[2], &c);
    op->args[5] = c;
    res = opt_decide_cond(o, op->type, c, op->args[1], op->args[2]);
    if (res >= 0) {
        opt_emit_mov(o, op->type, op->args[0], op->args[res ? 3 : 4]);
        return;
    }
    if (opt_are_copies(o, op->args[3], op->args[4])) {
        opt_emit_mov(o, op->type, op->args[0], op->args[3]);
        return;
    }
    opt_emit_plain(o, op, 1);
}

/* brcond: becomes br, disappears, or stays (knowledge survives its fall-through). */
static void opt_brcond(Opt *o, TCGOp *op)
{
    TCGCond c = (TCGCond)op->args[2];
    unsigned label = op->args[3];
    int res;

    opt_swap_const_second(o, &op->args[0], &op->args[1], &c);
    op->args[2] = c;
    res = opt_decide_cond(o, op->type, c, op->args[0], op->args[1]);
    if (res == 0) {
        o->s->label_refs[label]--;
        return;
    }
    if (res == 1) {
        TCGOp br = {.opc = INDEX_op_br, .type = TCG_TYPE_I64, .nargs = 1};

        br.args[0] = label;
        opt_emit(o, &br);
        opt_reset_all(o);
        return;
    }
    opt_emit(o, op);
}

static void opt_double(Opt *o, TCGOp *op)
{
    TCGType type = op->type;
    uint64_t v[4], lo, hi;
    unsigned nb_i = tcg_op_defs[op->opc].nb_iargs;

    if (opt_is_commutative(op->opc)) {
        opt_swap_const_second(o, &op->args[2], &op->args[3], NULL);
    }
    for (unsigned k = 0; k < nb_i; k++) {
        if (!opt_is_const(o, op->args[2 + k], &v[k])) {
            opt_emit_plain(o, op, 2);
            return;
        }
    }
    if (nb_i == 2) {
        tcg_eval_mul2(op->opc, type, v[0], v[1], &lo, &hi);
    } else {
        tcg_eval_addsub2(op->opc, type, v[0], v[1], v[2], v[3], &lo, &hi);
    }
    opt_emit_movi(o, type, op->args[0], lo);
    opt_emit_movi(o, type, op->args[1], hi);
}

/* One op of the input list, with its inputs already substituted. */
static void opt_op(Opt *o, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];

    switch (op->opc) {
    case INDEX_op_mov:
    case INDEX_op_neg:
    case INDEX_op_not:
    case INDEX_op_ext8s:
    case INDEX_op_ext8u:
    case INDEX_op_ext16s:
    case INDEX_op_ext16u:
    case INDEX_op_ext32s:
    case INDEX_op_ext32u:
    case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
    case INDEX_op_extrh_i64_i32:
    case INDEX_op_bswap16:
    case INDEX_op_bswap32:
    case INDEX_op_bswap64:
    case INDEX_op_ctpop:
        opt_unary(o, op);
        return;
    case INDEX_op_add:
    case INDEX_op_sub:
    case INDEX_op_mul:
    case INDEX_op_div:
    case INDEX_op_divu:
    case INDEX_op_rem:
    case INDEX_op_remu:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_andc:
    case INDEX_op_orc:
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
    case INDEX_op_clz:
    case INDEX_op_ctz:
        opt_binary(o, op);
        return;
    case INDEX_op_extract:
    case INDEX_op_sextract:
    case INDEX_op_deposit:
        opt_bitfield(o, op);
        return;
    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
        opt_setcond(o, op);
        return;
    case INDEX_op_movcond:
        opt_movcond(o, op);
        return;
    case INDEX_op_brcond:
        opt_brcond(o, op);
        return;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
    case INDEX_op_add2:
    case INDEX_op_sub2:
        opt_double(o, op);
        return;
    default:
        /* Memory, barriers, exits: kept; outputs unknown. */
        opt_emit_plain(o, op, def->nb_oargs);
        if ((def->flags & TCG_OPF_BB_END) && !(def->flags & TCG_OPF_COND_BRANCH)) {
            opt_reset_all(o);
        }
        return;
    }
}

/*
 * Is `label` placed right after op i?  Only labels and insn_start may come
 * between, plus, after an unconditional branch, code that cannot run
 * (up to a label something branches to).
 */
static bool opt_label_follows(TCGContext *s, unsigned i, unsigned label, bool skip_code)
{
    for (unsigned j = i + 1; j < s->nb_ops; j++) {
        const TCGOp *op = &s->ops[j];

        if (op->opc == INDEX_op_set_label) {
            if (op->args[0] == label) {
                return true;
            }
            if (s->label_refs[op->args[0]]) {
                skip_code = false;
            }
        } else if (op->opc != INDEX_op_insn_start && !skip_code) {
            return false;
        }
    }
    return false;
}

/*
 * After folding: drop code that cannot run (after br, exit_tb, goto_ptr, up
 * to the next label something branches to), labels nobody branches to, and
 * branches to the label that follows them.  insn_start ops stay: they count
 * the guest instructions whose end offsets the backend reports.
 */
static void opt_cleanup(TCGContext *s)
{
    bool reachable = true;
    int64_t fallthrough_to = -1; /* a dropped br's label: reached by falling through */
    unsigned j = 0;

    for (unsigned i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        bool is_branch = op->opc == INDEX_op_br || op->opc == INDEX_op_brcond;
        bool keep = true;

        switch (op->opc) {
        case INDEX_op_set_label:
            if ((int64_t)op->args[0] == fallthrough_to) {
                reachable = true;
                fallthrough_to = -1;
            }
            if (s->label_refs[op->args[0]] == 0) {
                keep = false;
            } else {
                reachable = true;
            }
            break;
        case INDEX_op_insn_start:
            break;
        default:
            if (!reachable) {
                keep = false;
            } else if (is_branch &&
                       opt_label_follows(s, i, tcg_op_label_id(op), op->opc == INDEX_op_br)) {
                keep = false;
                if (op->opc == INDEX_op_br) {
                    /* What lies between is dead; the label is reached by falling through. */
                    reachable = false;
                    fallthrough_to = tcg_op_label_id(op);
                }
            }
            if (!keep && is_branch) {
                s->label_refs[tcg_op_label_id(op)]--;
            }
            if (keep && (op->opc == INDEX_op_br || op->opc == INDEX_op_exit_tb ||
                         op->opc == INDEX_op_goto_ptr)) {
                reachable = false;
            }
            break;
        }
        if (keep) {
            if (i != j) {
                s->ops[j] = *op;
            }
            j++;
        }
    }
    s->nb_ops = j;
}

void tcg_optimize(TCGContext *s)
{
    Opt o = {.s = s};

    o.nb_t = s->nb_temps;
    o.t = tcg_pass_buf(s, TCG_PASS_BUF_OPT_TEMPS, (o.nb_t ? o.nb_t : 1) * sizeof(OptTemp));
    /* The globals' entries were left in their initial state by the last pass (below). */
    for (unsigned i = s->opt_globals_clean ? s->nb_globals : 0; i < o.nb_t; i++) {
        opt_init_temp(&o, i);
    }
    if (s->ops_spare_cap < s->nb_ops + 16) {
        s->ops_spare_cap = MAX(s->nb_ops + 16, 1024);
        s->ops_spare = g_renew(TCGOp, s->ops_spare, s->ops_spare_cap);
    }
    o.out = s->ops_spare;
    o.out_cap = s->ops_spare_cap;

    for (unsigned i = 0; i < s->nb_ops; i++) {
        TCGOp op = s->ops[i];
        unsigned nb_o, nb_i;

        switch (op.opc) {
        case INDEX_op_set_label:
            opt_reset_all(&o);
            opt_emit(&o, &op);
            continue;
        case INDEX_op_insn_start:
            opt_emit(&o, &op);
            continue;
        case INDEX_op_discard:
            opt_reset_temp(&o, op.args[0]);
            opt_emit(&o, &op);
            continue;
        default:
            break;
        }

        nb_o = tcg_op_nb_oargs(&op);
        nb_i = tcg_op_nb_iargs(&op);
        for (unsigned k = nb_o; k < nb_o + nb_i; k++) {
            op.args[k] = opt_better_copy(&o, op.args[k]);
        }
        if (op.opc == INDEX_op_call) {
            const TCGHelperInfo *info = tcg_op_call_info(&op);

            opt_emit_plain(&o, &op, nb_o);
            if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                opt_reset_globals(&o);
            }
            continue;
        }
        opt_op(&o, &op);
    }

    /* Every entry that left its initial state is on the touched list. */
    opt_reset_all(&o);
    s->opt_globals_clean = true;
    s->ops_spare = s->ops;
    s->ops_spare_cap = s->ops_cap;
    s->ops = o.out;
    s->nb_ops = o.nb_out;
    s->ops_cap = o.out_cap;
    opt_cleanup(s);
}
