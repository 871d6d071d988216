/*
 * The x86-64 backend's register allocator: a single forward pass over the
 * op list that keeps, for every temp, where its value is (a host register,
 * its memory slot, a known constant, or nowhere) and emits the loads,
 * stores and moves that each op's register constraints (lower.c) require.
 * It follows the shape of QEMU's local allocator (tcg/tcg.c): inputs are
 * loaded into registers that satisfy their constraints, dead inputs are
 * freed, outputs are allocated (possibly reusing a dead input's register),
 * and after the op outputs marked SYNC_ARG are stored and outputs marked
 * DEAD_ARG released.  The liveness bits and the rules at block ends,
 * calls and guest memory accesses are the contract of include/tcg/tcg.h
 * ("Liveness bits in TCGOp.life").
 *
 * Memory homes: a global lives at env + mem_offset; other temps get an
 * 8-byte spill slot in the frame (x64-internal.h) the first time they must
 * be stored.  Slots of EBB temps are recycled once the temp is dead.
 */
#include <string.h>

#include "x64-internal.h"
#include "tcg/tcg-internal.h"

/*
 * Allocation order: callee-saved registers first, so that values survive
 * helper calls; rax, rcx and rdx last because division, double-width
 * multiplication and shifts want them.
 */
static const X64Reg x64ra_order[] = {
    X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15, X64_R10, X64_R9,
    X64_R8,  X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_RAX,
};

static const X64Reg x64ra_arg_regs[6] = {X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8, X64_R9};

static int x64ra_size(TCGTemp *ts)
{
    return ts->type == TCG_TYPE_I64 ? 3 : 2;
}

static X64Reg x64ra_mem_base(TCGTemp *ts)
{
    return ts->kind == TEMP_GLOBAL ? X64_REG_ENV : X64_RSP;
}

/* Give a non-global temp its spill slot. */
static void x64ra_alloc_slot(X64Gen *g, TCGTemp *ts)
{
    if (ts->mem_allocated) {
        return;
    }
    if (g->free_slots->len) {
        ts->mem_offset = g_array_index(g->free_slots, int, g->free_slots->len - 1);
        g_array_set_size(g->free_slots, g->free_slots->len - 1);
    } else if (g->nb_slots < X64_SPILL_SLOTS) {
        ts->mem_offset = X64_SPILL_BASE + 8 * g->nb_slots++;
    } else {
        /* The frame is full: finish the TB for nothing, the caller retries smaller. */
        g->too_large = true;
        ts->mem_offset = X64_SPILL_BASE;
    }
    ts->mem_allocated = true;
}

static void x64ra_release_slot(X64Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_EBB && ts->mem_allocated) {
        int ofs = (int)ts->mem_offset;

        g_array_append_val(g->free_slots, ofs);
        ts->mem_allocated = false;
    }
}

void x64ra_start(X64Gen *g)
{
    TCGContext *s = g->s;

    memset(g->reg_temp, 0, sizeof(g->reg_temp));
    g->cval = tcg_pass_buf(s, TCG_PASS_BUF_RA_CVAL, (s->nb_temps ? s->nb_temps : 1) * sizeof(int64_t));
    g->active = tcg_pass_buf(s, TCG_PASS_BUF_RA_ACTIVE, (s->nb_temps / 64 + 1) * sizeof(uint64_t));
    memset(g->active, 0, (s->nb_temps / 64 + 1) * sizeof(uint64_t));
    g->nb_slots = 0;
    g_array_set_size(g->free_slots, 0);
    for (unsigned i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];

        switch (ts->kind) {
        case TEMP_FIXED:
            ts->val_type = TEMP_VAL_REG;
            ts->alloc_reg = (int8_t)ts->reg;
            break;
        case TEMP_GLOBAL:
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_coherent = true;
            ts->alloc_reg = -1;
            break;
        case TEMP_TB:
            /* Whatever its slot holds (a read before any write is undefined). */
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_allocated = false;
            ts->mem_coherent = true;
            ts->alloc_reg = -1;
            break;
        case TEMP_EBB:
            ts->val_type = TEMP_VAL_DEAD;
            ts->mem_allocated = false;
            ts->alloc_reg = -1;
            break;
        case TEMP_CONST:
            ts->val_type = TEMP_VAL_CONST;
            ts->alloc_reg = -1;
            break;
        }
    }
}

bool x64ra_const_value(X64Gen *g, TCGTemp *ts, int64_t *val)
{
    if (ts->kind == TEMP_CONST) {
        *val = ts->val;
        return true;
    }
    if (ts->val_type == TEMP_VAL_CONST) {
        *val = g->cval[x64_temp_idx(g, ts)];
        return true;
    }
    return false;
}

/* Store a register-held or constant value to the temp's memory home. */
static void x64ra_sync(X64Gen *g, TCGTemp *ts)
{
    X64Emit *e = &g->e;
    int64_t v;

    if (ts->kind == TEMP_FIXED || ts->kind == TEMP_CONST || ts->mem_coherent) {
        return;
    }
    switch (ts->val_type) {
    case TEMP_VAL_REG:
        x64ra_alloc_slot(g, ts);
        x64_store(e, x64ra_size(ts), ts->alloc_reg, x64ra_mem_base(ts), (int32_t)ts->mem_offset);
        ts->mem_coherent = true;
        break;
    case TEMP_VAL_CONST:
        x64ra_alloc_slot(g, ts);
        v = g->cval[x64_temp_idx(g, ts)];
        if (ts->type == TCG_TYPE_I32 || x64_fits_s32(v)) {
            x64_storei(e, x64ra_size(ts), (int32_t)v, x64ra_mem_base(ts), (int32_t)ts->mem_offset);
        } else {
            x64_movi(e, true, X64_REG_TMP, v);
            x64_store(e, 3, X64_REG_TMP, x64ra_mem_base(ts), (int32_t)ts->mem_offset);
        }
        ts->mem_coherent = true;
        break;
    default:
        break;
    }
}

/* The value is no longer needed in a register (nor, for an EBB temp, at all). */
static void x64ra_dead(X64Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_FIXED) {
        return;
    }
    if (ts->val_type == TEMP_VAL_REG) {
        g->reg_temp[ts->alloc_reg] = NULL;
    }
    switch (ts->kind) {
    case TEMP_GLOBAL:
    case TEMP_TB:
        /* Liveness made sure memory holds whatever is still needed. */
        ts->val_type = TEMP_VAL_MEM;
        ts->mem_coherent = true;
        break;
    case TEMP_EBB:
        ts->val_type = TEMP_VAL_DEAD;
        x64ra_release_slot(g, ts);
        break;
    default:
        ts->val_type = TEMP_VAL_CONST;
        break;
    }
}

/* Store the temp if needed and drop its register; it lives on in memory. */
static void x64ra_save(X64Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_FIXED) {
        return;
    }
    x64ra_sync(g, ts);
    if (ts->val_type == TEMP_VAL_REG) {
        g->reg_temp[ts->alloc_reg] = NULL;
        ts->val_type = ts->kind == TEMP_CONST ? TEMP_VAL_CONST : TEMP_VAL_MEM;
    } else if (ts->val_type == TEMP_VAL_CONST && ts->kind != TEMP_CONST) {
        ts->val_type = TEMP_VAL_MEM;
    }
}

/* Empty a register, storing its temp. */
static void x64ra_reg_free(X64Gen *g, X64Reg reg)
{
    TCGTemp *ts = g->reg_temp[reg];

    if (ts) {
        x64ra_save(g, ts);
    }
}

/*
 * A register from `required`, not in `avoid` nor reserved; a free one if
 * possible, else the one whose temp is cheapest to let go (no store).
 */
static X64Reg x64ra_alloc(X64Gen *g, uint16_t required, uint16_t avoid)
{
    uint16_t avail = required & ~avoid & ~g->reserved;
    X64Reg best = X64_NOREG;
    int best_cost = 3;

    g_assert(avail);
    for (unsigned i = 0; i < G_N_ELEMENTS(x64ra_order); i++) {
        X64Reg r = x64ra_order[i];
        TCGTemp *ts;
        int cost;

        if (!(avail & X64_BIT(r))) {
            continue;
        }
        ts = g->reg_temp[r];
        if (!ts) {
            return r;
        }
        cost = ts->kind == TEMP_CONST ? 0 : ts->mem_coherent ? 1 : 2;
        if (cost < best_cost) {
            best_cost = cost;
            best = r;
        }
    }
    g_assert(best != X64_NOREG);
    x64ra_reg_free(g, best);
    return best;
}

static void x64ra_mov_reg(X64Gen *g, TCGType type, X64Reg dst, X64Reg src)
{
    if (dst != src) {
        x64_mov_rr(&g->e, x64_is_w(type), dst, src);
    }
}

/* Materialize a constant outside any op's flag-sensitive sequence. */
static void x64ra_movi(X64Gen *g, TCGType type, X64Reg reg, int64_t val)
{
    if (val == 0) {
        x64_zero(&g->e, reg);
    } else {
        x64lower_movi(g, type, reg, val);
    }
}

/* Put the temp's value into `reg` without changing where the temp lives. */
static void x64ra_copy_into(X64Gen *g, TCGTemp *ts, X64Reg reg)
{
    int64_t v;

    if (x64ra_const_value(g, ts, &v)) {
        x64ra_movi(g, ts->type, reg, v);
    } else if (ts->val_type == TEMP_VAL_REG) {
        x64ra_mov_reg(g, ts->type, reg, ts->alloc_reg);
    } else if (ts->val_type == TEMP_VAL_MEM) {
        x64ra_alloc_slot(g, ts);
        x64_load(&g->e, x64ra_size(ts), false, true, reg, x64ra_mem_base(ts),
                 (int32_t)ts->mem_offset);
    }
}

/* The temp leaves its memory home (see X64Gen.active). */
static void x64ra_note_active(X64Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_GLOBAL || ts->kind == TEMP_TB) {
        unsigned i = x64_temp_idx(g, ts);

        g->active[i / 64] |= UINT64_C(1) << (i % 64);
    }
}

static void x64ra_assign(X64Gen *g, TCGTemp *ts, X64Reg reg)
{
    g->reg_temp[reg] = ts;
    ts->val_type = TEMP_VAL_REG;
    ts->alloc_reg = (int8_t)reg;
    x64ra_note_active(g, ts);
}

/* Make the temp live in a register of `required` (not one of `avoid`). */
static void x64ra_load(X64Gen *g, TCGTemp *ts, uint16_t required, uint16_t avoid)
{
    X64Reg reg;

    if (ts->val_type == TEMP_VAL_REG) {
        if (required & X64_BIT(ts->alloc_reg)) {
            return;
        }
        reg = x64ra_alloc(g, required, avoid | X64_BIT(ts->alloc_reg));
        x64ra_mov_reg(g, ts->type, reg, ts->alloc_reg);
        g->reg_temp[ts->alloc_reg] = NULL;
        x64ra_assign(g, ts, reg);
        return;
    }
    reg = x64ra_alloc(g, required, avoid);
    switch (ts->val_type) {
    case TEMP_VAL_CONST:
        x64ra_copy_into(g, ts, reg);
        break;
    case TEMP_VAL_MEM:
        x64ra_copy_into(g, ts, reg);
        ts->mem_coherent = true;
        break;
    default:
        /* Read before written: any value will do. */
        ts->mem_coherent = false;
        break;
    }
    x64ra_assign(g, ts, reg);
}

/*
 * Move a register's temp out of the way of code that destroys the
 * register: to a free register outside `avoid` if there is one, else to
 * memory.
 */
static void x64ra_evict(X64Gen *g, X64Reg reg, uint16_t avoid)
{
    TCGTemp *ts = g->reg_temp[reg];

    if (!ts) {
        return;
    }
    if (ts->kind == TEMP_CONST) {
        /* Rematerialized when next needed. */
        x64ra_reg_free(g, reg);
        return;
    }
    avoid |= g->reserved | X64_BIT(reg);
    for (unsigned i = 0; i < G_N_ELEMENTS(x64ra_order); i++) {
        X64Reg r = x64ra_order[i];

        if (!(avoid & X64_BIT(r)) && !g->reg_temp[r]) {
            x64ra_mov_reg(g, ts->type, r, reg);
            g->reg_temp[reg] = NULL;
            x64ra_assign(g, ts, r);
            return;
        }
    }
    x64ra_reg_free(g, reg);
}

/* A temp's old register is dropped: the op overwrites its value. */
static void x64ra_forget(X64Gen *g, TCGTemp *ts)
{
    if (ts->val_type == TEMP_VAL_REG) {
        g->reg_temp[ts->alloc_reg] = NULL;
    }
    ts->val_type = TEMP_VAL_DEAD;
}

static void x64ra_set_output(X64Gen *g, TCGTemp *ts, X64Reg reg)
{
    g_assert(ts->kind != TEMP_CONST && ts->kind != TEMP_FIXED);
    if (ts->val_type == TEMP_VAL_REG && ts->alloc_reg != reg) {
        g->reg_temp[ts->alloc_reg] = NULL;
    }
    g_assert(!g->reg_temp[reg] || g->reg_temp[reg] == ts);
    x64ra_assign(g, ts, reg);
    ts->mem_coherent = false;
}

static void x64ra_after_outputs(X64Gen *g, const TCGOp *op, unsigned nb_o)
{
    for (unsigned j = 0; j < nb_o; j++) {
        TCGTemp *ts = x64_arg_temp(g, op, j);

        if (op->life & SYNC_ARG(j)) {
            x64ra_sync(g, ts);
        }
        if (op->life & DEAD_ARG(j)) {
            x64ra_dead(g, ts);
        }
    }
}

static bool x64ra_const_fits(uint8_t cst, TCGType type, int64_t v)
{
    if (cst & X64_CT_ANY) {
        return true;
    }
    return (cst & X64_CT_S32) && (type == TCG_TYPE_I32 || x64_fits_s32(v));
}

/* Is input k's temp also another input of the op? */
static bool x64ra_used_twice(const TCGOp *op, unsigned nb_o, unsigned nb_i, unsigned k)
{
    for (unsigned j = 0; j < nb_i; j++) {
        if (j != k && op->args[nb_o + j] == op->args[nb_o + k]) {
            return true;
        }
    }
    return false;
}

static bool x64ra_is_input(const TCGOp *op, unsigned nb_o, unsigned nb_i, TCGArg t)
{
    for (unsigned j = 0; j < nb_i; j++) {
        if (op->args[nb_o + j] == t) {
            return true;
        }
    }
    return false;
}

static uint16_t x64ra_free_regs(X64Gen *g, uint16_t set)
{
    uint16_t m = 0;

    for (int r = 0; r < X64_NB_REGS; r++) {
        if ((set & X64_BIT(r)) && !g->reg_temp[r]) {
            m |= X64_BIT(r);
        }
    }
    return m & ~g->reserved;
}

/* Load input k of the op per its constraint; returns the register used. */
static X64Reg x64ra_input(X64Gen *g, const TCGOp *op, const X64ArgCt *c, unsigned nb_o,
                          unsigned nb_i, unsigned k, uint16_t i_alloc)
{
    unsigned i = nb_o + k;
    TCGTemp *ts = x64_arg_temp(g, op, i);
    bool copy = false;
    X64Reg reg;

    if (c->aliased) {
        /* The output overwrites this register: it must be ours to lose. */
        copy = ts->kind == TEMP_FIXED || ts->kind == TEMP_CONST || !(op->life & DEAD_ARG(i)) ||
               x64ra_used_twice(op, nb_o, nb_i, k) ||
               (ts->val_type == TEMP_VAL_REG && (i_alloc & X64_BIT(ts->alloc_reg)));
    } else if (ts->kind == TEMP_FIXED && !(c->regs & X64_BIT(ts->alloc_reg))) {
        copy = true;
    }
    if (!copy) {
        x64ra_load(g, ts, c->regs, i_alloc);
        return ts->alloc_reg;
    }
    if (ts->val_type == TEMP_VAL_REG && ts->kind != TEMP_FIXED &&
        (c->regs & ~i_alloc & X64_BIT(ts->alloc_reg)) && !x64ra_free_regs(g, c->regs & ~i_alloc)) {
        /* No spare register: take this one over, the temp lives on in memory. */
        reg = ts->alloc_reg;
        x64ra_reg_free(g, reg);
        return reg;
    }
    reg = x64ra_alloc(g, c->regs, i_alloc);
    x64ra_copy_into(g, ts, reg);
    return reg;
}

void x64ra_op(X64Gen *g, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    const X64OpCt *ct = x64lower_constraints(g, op);
    unsigned nb_o = def->nb_oargs, nb_i = def->nb_iargs;
    uint16_t i_alloc = 0, o_alloc = 0, dead_in = 0, scratch = 0;
    unsigned order[6];
    X64Args a;

    memset(&a, 0, sizeof(a));

    /* Inputs with the fewest allowed registers first, so fixed ones find theirs unclaimed. */
    for (unsigned k = 0; k < nb_i; k++) {
        unsigned j = k;

        while (j > 0 &&
               __builtin_popcount(ct->in[order[j - 1]].regs) > __builtin_popcount(ct->in[k].regs)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    for (unsigned n = 0; n < nb_i; n++) {
        unsigned k = order[n], i = nb_o + k;
        const X64ArgCt *c = &ct->in[k];
        TCGTemp *ts = x64_arg_temp(g, op, i);
        int64_t v;

        if (c->cst && !c->aliased && x64ra_const_value(g, ts, &v) &&
            x64ra_const_fits(c->cst, op->type, v)) {
            a.is_const[i] = true;
            a.val[i] = v;
            continue;
        }
        a.reg[i] = x64ra_input(g, op, c, nb_o, nb_i, k, i_alloc);
        i_alloc |= X64_BIT(a.reg[i]);
    }

    /* Inputs used for the last time release their registers to the outputs. */
    for (unsigned k = 0; k < nb_i; k++) {
        unsigned i = nb_o + k;
        TCGTemp *ts = x64_arg_temp(g, op, i);

        if (op->life & DEAD_ARG(i)) {
            if (!a.is_const[i] && ts->val_type == TEMP_VAL_REG && ts->alloc_reg == a.reg[i]) {
                dead_in |= X64_BIT(a.reg[i]);
            }
            x64ra_dead(g, ts);
        }
    }

    if (def->flags & TCG_OPF_COND_BRANCH) {
        x64ra_sync_globals(g, true);
    } else if (def->flags & TCG_OPF_BB_EXIT) {
        x64ra_exit(g);
    } else if (def->flags & TCG_OPF_GUEST_MEM) {
        /* A fault in the access reads the guest state from env. */
        x64ra_sync_globals(g, false);
    }
    for (int r = 0; r < X64_NB_REGS; r++) {
        if (ct->clobber & X64_BIT(r)) {
            x64ra_evict(g, r, i_alloc | ct->clobber);
        }
    }

    /* Outputs: those tied to an input first, then the rest. */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned j = 0; j < nb_o; j++) {
            const X64ArgCt *c = &ct->out[j];
            TCGTemp *ts = x64_arg_temp(g, op, j);
            X64Reg reg;

            if ((c->alias >= 0) != (pass == 0)) {
                continue;
            }
            if (ts->val_type != TEMP_VAL_REG || !x64ra_is_input(op, nb_o, nb_i, op->args[j])) {
                x64ra_forget(g, ts);
            }
            if (c->alias >= 0) {
                reg = a.reg[nb_o + c->alias];
            } else if (c->newreg) {
                reg = x64ra_alloc(g, c->regs, i_alloc | o_alloc | ct->clobber);
            } else {
                /* A dead input's register is fine; a live input's only as a last resort. */
                uint16_t avoid = o_alloc | (i_alloc & ~dead_in) | ct->clobber;

                if (!(c->regs & ~avoid & ~g->reserved)) {
                    avoid = o_alloc;
                }
                reg = x64ra_alloc(g, c->regs, avoid);
            }
            x64ra_set_output(g, ts, reg);
            o_alloc |= X64_BIT(reg);
            a.reg[j] = reg;
        }
    }
    for (unsigned n = 0; n < ct->nb_scratch; n++) {
        a.scratch[n] = x64ra_alloc(g, X64_ALL_REGS, i_alloc | o_alloc | ct->clobber | scratch);
        scratch |= X64_BIT(a.scratch[n]);
    }

    if (def->flags & TCG_OPF_GUEST_MEM) {
        x64mem_emit(g, op, &a);
    } else {
        x64lower_emit(g, op, &a);
    }
    x64ra_after_outputs(g, op, nb_o);
}

void x64ra_mov(X64Gen *g, const TCGOp *op)
{
    TCGTemp *out = x64_arg_temp(g, op, 0);
    TCGTemp *in = x64_arg_temp(g, op, 1);
    TCGType type = op->type;
    int64_t v;

    if (out == in) {
        x64ra_after_outputs(g, op, 1);
        return;
    }
    if (x64ra_const_value(g, in, &v)) {
        /* Constants propagate lazily: no code until someone needs a register. */
        x64ra_forget(g, out);
        out->val_type = TEMP_VAL_CONST;
        out->mem_coherent = false;
        x64ra_note_active(g, out);
        g->cval[x64_temp_idx(g, out)] = type == TCG_TYPE_I32 ? (int32_t)v : v;
        if (op->life & DEAD_ARG(1)) {
            x64ra_dead(g, in);
        }
        x64ra_after_outputs(g, op, 1);
        return;
    }
    if (in->val_type != TEMP_VAL_REG) {
        x64ra_load(g, in, X64_ALL_REGS, 0);
    }
    if ((op->life & SYNC_ARG(0)) && (op->life & DEAD_ARG(0))) {
        /* The copy only needs to reach memory: store straight from the input. */
        x64ra_forget(g, out);
        x64ra_alloc_slot(g, out);
        x64_store(&g->e, x64ra_size(out), in->alloc_reg, x64ra_mem_base(out),
                  (int32_t)out->mem_offset);
        out->val_type = out->kind == TEMP_EBB ? TEMP_VAL_DEAD : TEMP_VAL_MEM;
        out->mem_coherent = true;
        x64ra_release_slot(g, out);
        if (op->life & DEAD_ARG(1)) {
            x64ra_dead(g, in);
        }
        return;
    }
    if ((op->life & DEAD_ARG(1)) && in->kind != TEMP_FIXED) {
        /* The input dies here: hand its register to the output. */
        X64Reg reg = in->alloc_reg;

        x64ra_dead(g, in);
        x64ra_forget(g, out);
        x64ra_set_output(g, out, reg);
    } else {
        X64Reg reg;

        if (out->val_type == TEMP_VAL_REG) {
            reg = out->alloc_reg;
        } else {
            reg = x64ra_alloc(g, X64_ALL_REGS, X64_BIT(in->alloc_reg));
        }
        x64ra_mov_reg(g, type, reg, in->alloc_reg);
        x64ra_set_output(g, out, reg);
        if (op->life & DEAD_ARG(1)) {
            x64ra_dead(g, in);
        }
    }
    x64ra_after_outputs(g, op, 1);
}

void x64ra_discard(X64Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_GLOBAL) {
        /* The env copy stays the value; a register copy may be newer, keep it. */
        return;
    }
    if (ts->kind == TEMP_TB) {
        x64ra_forget(g, ts);
        ts->val_type = TEMP_VAL_MEM;
        return;
    }
    x64ra_dead(g, ts);
}

/*
 * Call fn on each active temp below `end` (X64Gen.active); a temp back in
 * its memory home afterwards leaves the set.
 */
static void x64ra_foreach_active(X64Gen *g, unsigned end, void (*fn)(X64Gen *g, TCGTemp *ts))
{
    for (unsigned w = 0; w * 64 < end; w++) {
        uint64_t bits = g->active[w];

        while (bits) {
            unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
            TCGTemp *ts = &g->s->temps[i];

            bits &= bits - 1;
            if (i >= end) {
                break;
            }
            fn(g, ts);
            if (ts->val_type == TEMP_VAL_MEM || ts->val_type == TEMP_VAL_DEAD) {
                g->active[w] &= ~(UINT64_C(1) << (i % 64));
            }
        }
    }
}

void x64ra_sync_globals(X64Gen *g, bool tb_temps)
{
    x64ra_foreach_active(g, tb_temps ? g->s->nb_temps : g->s->nb_globals, x64ra_sync);
}

static void x64ra_save_globals(X64Gen *g)
{
    x64ra_foreach_active(g, g->s->nb_globals, x64ra_save);
}

void x64ra_exit(X64Gen *g)
{
    x64ra_sync_globals(g, false);
}

void x64ra_bb_end(X64Gen *g)
{
    TCGContext *s = g->s;

    /* Globals and TB temps: only those away from their memory home have work. */
    x64ra_foreach_active(g, s->nb_temps, x64ra_save);
    for (unsigned i = s->nb_globals; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];

        if ((ts->kind == TEMP_EBB && ts->val_type != TEMP_VAL_DEAD) ||
            (ts->kind == TEMP_CONST && ts->val_type == TEMP_VAL_REG)) {
            x64ra_dead(g, ts);
        }
    }
}

uint16_t x64ra_live_caller_saved(X64Gen *g)
{
    uint16_t m = 0;

    for (int r = 0; r < X64_NB_REGS; r++) {
        if ((X64_CALL_CLOBBER & X64_BIT(r)) && g->reg_temp[r]) {
            m |= X64_BIT(r);
        }
    }
    return m;
}

/* Extend an i32 argument in place as the helper's prototype declares it. */
static void x64ra_extend_arg(X64Gen *g, unsigned type, X64Reg reg)
{
    if (type == TCG_CALL_TYPE_I32) {
        x64_mov_rr(&g->e, false, reg, reg);
    } else if (type == TCG_CALL_TYPE_S32) {
        x64_movsx(&g->e, 2, true, reg, reg);
    }
}

static int64_t x64ra_extend_const(unsigned type, int64_t v)
{
    if (type == TCG_CALL_TYPE_I32) {
        return (uint32_t)v;
    }
    if (type == TCG_CALL_TYPE_S32) {
        return (int32_t)v;
    }
    return v;
}

void x64ra_call(X64Gen *g, const TCGOp *op)
{
    const TCGHelperInfo *info = tcg_op_call_info(op);
    unsigned nb_o = op->call_oargs, nb_i = op->call_iargs;
    X64Emit *e = &g->e;
    uint16_t allocated = 0;
    intptr_t rel;

    /* Stack arguments first: they may pass through any register. */
    for (unsigned k = 6; k < nb_i; k++) {
        TCGTemp *ts = x64_arg_temp(g, op, nb_o + k);
        unsigned type = tcg_call_arg_type(info->typemask, k);
        int32_t ofs = X64_STACK_ARGS_OFS + 8 * (int32_t)(k - 6);
        int64_t v;

        if (x64ra_const_value(g, ts, &v)) {
            v = x64ra_extend_const(type, v);
            if (x64_fits_s32(v)) {
                x64_storei(e, 3, (int32_t)v, X64_RSP, ofs);
            } else {
                x64_movi(e, true, X64_REG_TMP, v);
                x64_store(e, 3, X64_REG_TMP, X64_RSP, ofs);
            }
        } else {
            x64ra_load(g, ts, X64_ALL_REGS, allocated);
            x64_mov_rr(e, true, X64_REG_TMP, ts->alloc_reg);
            x64ra_extend_arg(g, type, X64_REG_TMP);
            x64_store(e, 3, X64_REG_TMP, X64_RSP, ofs);
        }
    }
    for (unsigned k = 0; k < nb_i && k < 6; k++) {
        TCGTemp *ts = x64_arg_temp(g, op, nb_o + k);
        unsigned type = tcg_call_arg_type(info->typemask, k);
        X64Reg reg = x64ra_arg_regs[k];
        int64_t v;

        if (!(ts->val_type == TEMP_VAL_REG && ts->alloc_reg == reg)) {
            x64ra_reg_free(g, reg);
            if (x64ra_const_value(g, ts, &v)) {
                x64ra_movi(g, TCG_TYPE_I64, reg, x64ra_extend_const(type, v));
                type = TCG_CALL_TYPE_I64;
            } else if (ts->val_type == TEMP_VAL_REG) {
                x64_mov_rr(e, true, reg, ts->alloc_reg);
            } else {
                x64ra_load(g, ts, X64_BIT(reg), allocated);
            }
        }
        x64ra_extend_arg(g, type, reg);
        allocated |= X64_BIT(reg);
    }
    for (unsigned k = 0; k < nb_i; k++) {
        if (op->life & DEAD_ARG(nb_o + k)) {
            x64ra_dead(g, x64_arg_temp(g, op, nb_o + k));
        }
    }

    /* The helper may read (and write) guest state through env. */
    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        x64ra_save_globals(g);
    } else if (!(info->flags & TCG_CALL_NO_READ_GLOBALS)) {
        x64ra_sync_globals(g, false);
    }
    /* Values in caller-saved registers move to callee-saved ones, or to memory. */
    for (int r = 0; r < X64_NB_REGS; r++) {
        if (X64_CALL_CLOBBER & X64_BIT(r)) {
            x64ra_evict(g, r, X64_CALL_CLOBBER);
        }
    }

    rel = (intptr_t)info->func - (intptr_t)(e->ptr + 5);
    if (x64_fits_s32(rel)) {
        x64_call32(e, info->func);
    } else {
        x64_movi(e, true, X64_REG_TMP, (int64_t)(uintptr_t)info->func);
        x64_call_reg(e, X64_REG_TMP);
    }

    if (nb_o) {
        TCGTemp *ts = x64_arg_temp(g, op, 0);

        x64ra_forget(g, ts);
        x64ra_set_output(g, ts, X64_RAX);
        x64ra_after_outputs(g, op, 1);
    }
}
