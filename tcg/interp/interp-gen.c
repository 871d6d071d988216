/*
 * The interpreter backend's code generator: turns the op list, after the
 * optimizer and liveness, into the bytecode described in interp.h, and the
 * backend description that the rest of tcg/ sees (tcg_backend_interp).
 *
 * Temps get frame slots: the env temp slot 0, each TB temp a slot of its
 * own for the whole TB, EBB temps a slot from their definition to their
 * last use (the liveness DEAD_ARG bits free it), so that the frame stays
 * small whatever the number of temps.  Globals are read and written in env
 * directly, which is trivially coherent with helpers and fault paths.
 */
#include <assert.h>
#include <string.h>

#include <glib.h>

#include "interp.h"
#include "../tcg-internal.h"

typedef struct InterpFixup {
    uint32_t word; /* where to patch (word index from the TB start) */
    uint32_t insn; /* the instruction's header (labels) */
    uint64_t val;  /* label id, or constant value */
} InterpFixup;

typedef struct InterpGen {
    TCGContext *s;
    uint32_t *start;
    uint32_t n;        /* words emitted */
    uint32_t limit;    /* words before code_gen_highwater */
    uint32_t *slot_of; /* per temp: frame slot + 1, 0 = none */
    uint32_t *free_slots;
    unsigned nb_free;
    unsigned next_slot;
    bool too_big;
    int32_t *label_ofs; /* per label: byte offset, -1 = not yet placed */
    GArray *label_fixups;
    GArray *pool_fixups;
} InterpGen;

static void gen_word(InterpGen *g, uint32_t w)
{
    g->start[g->n++] = w;
}

static void gen_word64(InterpGen *g, uint64_t v)
{
    gen_word(g, (uint32_t)v);
    gen_word(g, (uint32_t)(v >> 32));
}

static bool fits_signed(int64_t v, unsigned bits)
{
    return v >= -(INT64_C(1) << (bits - 1)) && v < (INT64_C(1) << (bits - 1));
}

/* ---- frame slots ---------------------------------------------------------- */

static uint32_t gen_slot(InterpGen *g, unsigned idx)
{
    if (g->s->temps[idx].kind == TEMP_FIXED) {
        return 0;
    }
    if (!g->slot_of[idx]) {
        uint32_t slot;

        if (g->nb_free) {
            slot = g->free_slots[--g->nb_free];
        } else if (g->next_slot < INTERP_MAX_SLOTS) {
            slot = g->next_slot++;
        } else {
            g->too_big = true;
            slot = 1;
        }
        g->slot_of[idx] = slot + 1;
    }
    return g->slot_of[idx] - 1;
}

/* The value in EBB temp idx is dead: its slot can serve another temp. */
static void gen_slot_free(InterpGen *g, unsigned idx)
{
    if (g->s->temps[idx].kind == TEMP_EBB && g->slot_of[idx]) {
        g->free_slots[g->nb_free++] = g->slot_of[idx] - 1;
        g->slot_of[idx] = 0;
    }
}

/* ---- operands --------------------------------------------------------------- */

/* The operand word for temp idx, to be stored at word position `at`. */
static uint32_t gen_operand(InterpGen *g, unsigned idx, uint32_t at)
{
    const TCGTemp *ts = &g->s->temps[idx];

    switch (ts->kind) {
    case TEMP_GLOBAL:
        if (!fits_signed(ts->mem_offset, INTERP_OFS_BITS)) {
            g->too_big = true;
            return 0;
        }
        return ((uint32_t)(ts->type == TCG_TYPE_I64 ? INTERP_OPND_G64 : INTERP_OPND_G32)
                << INTERP_OPND_SHIFT) |
               ((uint32_t)ts->mem_offset & ((1u << INTERP_OFS_BITS) - 1));
    case TEMP_CONST:
        if (fits_signed(ts->val, INTERP_IMM_BITS)) {
            return ((uint32_t)INTERP_OPND_CONST << INTERP_OPND_SHIFT) |
                   ((uint32_t)ts->val & ((1u << INTERP_IMM_BITS) - 1));
        } else {
            InterpFixup f = {.word = at, .val = (uint64_t)ts->val};

            g_array_append_val(g->pool_fixups, f);
            return (uint32_t)INTERP_OPND_CONST << INTERP_OPND_SHIFT;
        }
    default:
        return gen_slot(g, idx);
    }
}

/*
 * Emit the operand words of an op (outputs, then inputs) and move the
 * frame slots along: inputs are read before outputs are written, so a slot
 * freed by a dying input may hold an output of the same op.
 */
static void gen_operands(InterpGen *g, const TCGOp *op, unsigned nb_o, unsigned nb_i)
{
    uint32_t base = g->n;
    uint32_t in[TCG_MAX_OP_ARGS];

    for (unsigned k = 0; k < nb_i; k++) {
        in[k] = gen_operand(g, op->args[nb_o + k], base + nb_o + k);
    }
    for (unsigned k = 0; k < nb_i; k++) {
        if (op->life & DEAD_ARG(nb_o + k)) {
            gen_slot_free(g, op->args[nb_o + k]);
        }
    }
    for (unsigned k = 0; k < nb_o; k++) {
        gen_word(g, gen_operand(g, op->args[k], base + k));
    }
    for (unsigned k = 0; k < nb_i; k++) {
        gen_word(g, in[k]);
    }
    for (unsigned k = 0; k < nb_o; k++) {
        if (op->life & DEAD_ARG(k)) {
            gen_slot_free(g, op->args[k]);
        }
    }
}

static void gen_label_ref(InterpGen *g, uint32_t insn, unsigned label)
{
    InterpFixup f = {.word = g->n, .insn = insn, .val = label};

    g_array_append_val(g->label_fixups, f);
    gen_word(g, 0);
}

/* ---- ops ---------------------------------------------------------------------- */

static uint32_t gen_aux(const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
    case INDEX_op_movcond:
        return (uint32_t)tcg_op_carg(op, 0);
    case INDEX_op_extract:
    case INDEX_op_sextract:
    case INDEX_op_deposit:
        return (uint32_t)tcg_op_carg(op, 0) | ((uint32_t)tcg_op_carg(op, 1) << 8);
    case INDEX_op_mb:
        return (uint32_t)op->args[0];
    default:
        return 0;
    }
}

static void gen_call(InterpGen *g, const TCGOp *op)
{
    const TCGHelperInfo *info = tcg_op_call_info(op);
    unsigned nb_o = op->call_oargs, nb_i = op->call_iargs;

    gen_word(g, INTERP_KEY(INDEX_op_call, TCG_TYPE_I64) | (nb_i << 8) | (nb_o << 12));
    gen_operands(g, op, nb_o, nb_i);
    gen_word(g, info->typemask);
    gen_word64(g, (uintptr_t)info->func);
}

static void gen_goto_tb(InterpGen *g, const TCGOp *op, TCGCodeInfo *info)
{
    unsigned slot = op->args[0];
    uint32_t header = g->n;
    uintptr_t slot_addr;
    uint32_t ofs;

    gen_word(g, INTERP_KEY(INDEX_op_goto_tb, TCG_TYPE_I64));
    slot_addr = (uintptr_t)&g->start[g->n];
    if (slot_addr & 7) {
        /* The slot is patched with one atomic store: keep it aligned. */
        g->start[header] |= 1u << 8;
        gen_word(g, 0);
    }
    ofs = g->n * 4;
    gen_word64(g, 0);
    if (ofs + 8 > UINT16_MAX) {
        g->too_big = true;
        return;
    }
    info->jmp_insn_offset[slot] = (uint16_t)ofs;
    info->jmp_reset_offset[slot] = (uint16_t)(ofs + 8);
}

static void gen_op(InterpGen *g, const TCGOp *op, TCGCodeInfo *info)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    uint32_t header = g->n;

    switch (op->opc) {
    case INDEX_op_call:
        gen_call(g, op);
        return;
    case INDEX_op_goto_tb:
        gen_goto_tb(g, op, info);
        return;
    case INDEX_op_exit_tb:
        gen_word(g, INTERP_KEY(INDEX_op_exit_tb, TCG_TYPE_I64));
        gen_word64(g, op->args[0]);
        return;
    case INDEX_op_br:
        gen_word(g, INTERP_KEY(INDEX_op_br, TCG_TYPE_I64));
        gen_label_ref(g, header, op->args[0]);
        return;
    case INDEX_op_brcond:
        gen_word(g, INTERP_KEY(INDEX_op_brcond, op->type) | ((uint32_t)op->args[2] << 8));
        gen_operands(g, op, 0, 2);
        gen_label_ref(g, header, op->args[3]);
        return;
    default:
        break;
    }

    gen_word(g, INTERP_KEY(op->opc, op->type) | (gen_aux(op) << 8));
    gen_operands(g, op, def->nb_oargs, def->nb_iargs);
    switch (op->opc) {
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st:
        if (!fits_signed((int64_t)op->args[2], 32)) {
            g->too_big = true;
        }
        gen_word(g, (uint32_t)op->args[2]);
        break;
    case INDEX_op_qemu_ld:
    case INDEX_op_qemu_st:
        /* accel/tcg describes guest memory before the first translation. */
        assert(g->s->mem != NULL);
        gen_word(g, (uint32_t)op->args[2]);
        break;
    default:
        break;
    }
}

/* Resolve branches, then lay out the constant pool and point operands at it. */
static bool gen_finish(InterpGen *g)
{
    TCGContext *s = g->s;
    uint32_t limit_all;
    GHashTable *pool;

    for (unsigned i = 0; i < g->label_fixups->len; i++) {
        InterpFixup *f = &g_array_index(g->label_fixups, InterpFixup, i);
        int32_t target = g->label_ofs[f->val];

        /* A branch to a label never placed is a translator bug. */
        g_assert(target >= 0);
        g->start[f->word] = (uint32_t)(target - (int32_t)(f->insn * 4));
    }

    if (g->pool_fixups->len == 0) {
        return true;
    }
    if (((uintptr_t)&g->start[g->n]) & 7) {
        gen_word(g, 0);
    }
    limit_all = (uint32_t)((s->code_buf + s->code_buf_size - (uint8_t *)g->start) / 4);
    pool = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (unsigned i = 0; i < g->pool_fixups->len; i++) {
        InterpFixup *f = &g_array_index(g->pool_fixups, InterpFixup, i);
        gpointer found = g_hash_table_lookup(pool, &f->val);
        uint32_t entry;

        if (found) {
            entry = GPOINTER_TO_UINT(found);
        } else {
            if (g->n + 2 > limit_all) {
                g_hash_table_destroy(pool);
                return false;
            }
            entry = g->n;
            gen_word64(g, f->val);
            g_hash_table_insert(pool, &f->val, GUINT_TO_POINTER(entry));
        }
        g->start[f->word] |= INTERP_CONST_POOL | ((entry - f->word) * 4);
    }
    g_hash_table_destroy(pool);
    return true;
}

static int interp_gen_code(TCGContext *s, TCGCodeInfo *info)
{
    InterpGen g = {.s = s};
    unsigned insn = 0;
    int ret = -1;

    g.start = (uint32_t *)s->code_ptr;
    assert(((uintptr_t)g.start & 3) == 0);
    g.limit = (uint32_t)((s->code_gen_highwater - s->code_ptr) / 4);
    g.slot_of = g_new0(uint32_t, s->nb_temps);
    g.free_slots = g_new(uint32_t, s->nb_temps + 1);
    g.next_slot = 1;
    g.label_ofs = g_new(int32_t, s->nb_labels + 1);
    memset(g.label_ofs, -1, (s->nb_labels + 1) * sizeof(int32_t));
    g.label_fixups = g_array_new(false, false, sizeof(InterpFixup));
    g.pool_fixups = g_array_new(false, false, sizeof(InterpFixup));

    for (unsigned i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];

        if (g.n >= g.limit) {
            goto out;
        }
        switch (op->opc) {
        case INDEX_op_insn_start:
            if (insn > 0 && insn <= info->nb_insns) {
                info->insn_end_offset[insn - 1] = g.n * 4;
            }
            insn++;
            break;
        case INDEX_op_set_label:
            g.label_ofs[op->args[0]] = (int32_t)(g.n * 4);
            break;
        case INDEX_op_discard:
            break;
        default:
            gen_op(&g, op, info);
            break;
        }
    }
    if (insn > 0 && insn <= info->nb_insns) {
        info->insn_end_offset[insn - 1] = g.n * 4;
    }
    if (g.too_big || g.n * 4 > INT32_MAX / 2) {
        ret = -2;
        goto out;
    }
    if (!gen_finish(&g)) {
        goto out;
    }
    /* Keep the next TB's start 8-aligned whatever the caller rounds to. */
    if (g.n & 1) {
        gen_word(&g, 0);
    }
    ret = (int)(g.n * 4);

out:
    g_free(g.slot_of);
    g_free(g.free_slots);
    g_free(g.label_ofs);
    g_array_free(g.label_fixups, true);
    g_array_free(g.pool_fixups, true);
    return ret;
}

/* The prologue is one instruction, exit_tb 0: goto_ptr to it leaves with 0. */
static bool interp_init(TCGContext *s, Error **errp)
{
    uint32_t *p = (uint32_t *)s->code_ptr;

    p[0] = INTERP_KEY(INDEX_op_exit_tb, TCG_TYPE_I64);
    p[1] = 0;
    p[2] = 0;
    s->code_ptr += 3 * sizeof(uint32_t);
    return true;
}

static const void *interp_epilogue_return_zero(TCGContext *s)
{
    return s->code_buf;
}

static void interp_set_jmp_target(uintptr_t jmp_addr, uintptr_t target)
{
    __atomic_store_n((uintptr_t *)jmp_addr, target, __ATOMIC_RELEASE);
}

const TCGBackend tcg_backend_interp = {
    .name = "interp",
    .init = interp_init,
    .gen_code = interp_gen_code,
    .exec = interp_exec,
    .set_jmp_target = interp_set_jmp_target,
    .epilogue_return_zero = interp_epilogue_return_zero,
};
