/*
 * The x86-64 JIT backend (TCGBackend tcg_backend_x86_64): the prologue
 * and epilogue that enter and leave generated code, the per-TB loop that
 * hands each op to the register allocator (regalloc.c) and the lowering
 * (lower.c, guestmem.c), labels, TB exits and chaining, and the code info
 * the runtime needs (include/tcg/tcg.h, TCGCodeInfo).
 *
 * Entering: exec() calls the prologue as `uintptr_t fn(env, code)`; it
 * pushes the callee-saved registers, reserves the frame (x64-internal.h),
 * puts env in rbp and guest_base in r15, and jumps to the TB.  Leaving:
 * exit_tb puts its value in rax and jumps to the epilogue, which undoes
 * the prologue and returns to exec().  goto_tb is a 5-byte jmp whose
 * rel32 sits on a 4-byte boundary, so set_jmp_target() can retarget it
 * with one atomic store while other threads run the code.
 *
 * MORPH_TCG_HOST_FEATURES=none (read when a context is created) makes the
 * backend ignore BMI1/BMI2/LZCNT/POPCNT/MOVBE, so tests cover the
 * fallbacks on any host; a list ("bmi2,popcnt") keeps only those.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config-host.h"
#include "x64-internal.h"
#include "tcg/tcg-internal.h"
#include "util/log.h"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

static const X64Reg x64be_saved[] = {X64_RBP, X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15};

/*
 * MORPH_TCG_HOST_FEATURES: "none", or a comma-separated list of the
 * features to keep (lzcnt, tzcnt, popcnt, bmi1, bmi2, movbe); features the
 * host lacks stay off.
 */
static void x64be_apply_feature_env(TCGContext *s)
{
    const char *v = getenv("MORPH_TCG_HOST_FEATURES");
    bool keep[6] = {false};
    static const char *const names[6] = {"lzcnt", "tzcnt", "popcnt", "bmi1", "bmi2", "movbe"};
    bool *have[6] = {&s->have_lzcnt, &s->have_tzcnt, &s->have_popcnt,
                     &s->have_bmi1,  &s->have_bmi2,  &s->have_movbe};
    char **list;

    if (!v) {
        return;
    }
    list = g_strsplit(v, ",", -1);
    for (char **p = list; *p; p++) {
        for (int i = 0; i < 6; i++) {
            if (strcmp(g_strstrip(*p), names[i]) == 0) {
                keep[i] = true;
            }
        }
    }
    g_strfreev(list);
    for (int i = 0; i < 6; i++) {
        *have[i] = *have[i] && keep[i];
    }
}

static bool x64be_init(TCGContext *s, Error **errp)
{
    X64State *st = g_new0(X64State, 1);
    X64Emit e;

    s->backend_state = st;
    st->relocs = g_array_new(FALSE, FALSE, sizeof(X64Reloc));
    st->slow = g_array_new(FALSE, FALSE, sizeof(X64SlowPath));
    st->free_slots = g_array_new(FALSE, FALSE, sizeof(int));
    x64be_apply_feature_env(s);
    s->temps[TCG_ENV_TEMP_INDEX].reg = X64_REG_ENV;
    s->temps[TCG_ENV_TEMP_INDEX].alloc_reg = X64_REG_ENV;

    x64_emit_init(&e, s->code_ptr, (size_t)(s->code_buf + s->code_buf_size - s->code_ptr));
    st->prologue = e.ptr;
    for (unsigned i = 0; i < G_N_ELEMENTS(x64be_saved); i++) {
        x64_push(&e, x64be_saved[i]);
    }
    x64_alu_ri(&e, true, X64_ALU_SUB, X64_RSP, X64_FRAME_SIZE);
    x64_mov_rr(&e, true, X64_REG_ENV, X64_RDI);
    x64_movi(&e, true, X64_REG_TMP, (int64_t)(uintptr_t)&st->guest_base);
    x64_load(&e, 3, false, true, X64_REG_GUEST_BASE, X64_REG_TMP, 0);
    x64_jmp_reg(&e, X64_RSI);

    st->return_zero = e.ptr;
    x64_zero(&e, X64_RAX);
    st->epilogue = e.ptr;
    x64_alu_ri(&e, true, X64_ALU_ADD, X64_RSP, X64_FRAME_SIZE);
    for (int i = (int)G_N_ELEMENTS(x64be_saved) - 1; i >= 0; i--) {
        x64_pop(&e, x64be_saved[i]);
    }
    x64_ret(&e);
    if (x64_emit_overflowed(&e)) {
        error_setg(errp, "code buffer too small for the x86-64 prologue");
        return false;
    }
    s->code_ptr = e.ptr;
    return true;
}

static uintptr_t x64be_exec(TCGContext *s, void *env, const void *code)
{
    X64State *st = s->backend_state;
    uintptr_t (*enter)(void *, const void *) = (uintptr_t(*)(void *, const void *))st->prologue;

    return enter(env, code);
}

static void x64be_set_jmp_target(uintptr_t jmp_addr, uintptr_t target)
{
    /* The rel32 after the E9 opcode is 4-byte aligned: one store retargets it. */
    uint32_t *disp = (uint32_t *)(jmp_addr + 1);

    __atomic_store_n(disp, (uint32_t)(target - (jmp_addr + 5)), __ATOMIC_RELEASE);
}

static const void *x64be_epilogue_return_zero(TCGContext *s)
{
    return ((X64State *)s->backend_state)->return_zero;
}

void x64be_jump_label(X64Gen *g, int cc, unsigned id)
{
    TCGLabel *l = &g->s->labels[id];
    X64Emit *e = &g->e;

    if (l->has_value) {
        /* Backward: the target is known, use the short form when it reaches. */
        const uint8_t *target = e->start + l->value;
        intptr_t rel = target - (e->ptr + 2);

        if (x64_fits_s8(rel)) {
            if (cc >= 0) {
                x64_jcc8(e, (X64Cond)cc, target);
            } else {
                x64_jmp8(e, target);
            }
        } else if (cc >= 0) {
            x64_jcc32(e, (X64Cond)cc, target);
        } else {
            x64_jmp32(e, target);
        }
        return;
    }
    X64Reloc r = {
        .label = id,
        .at = cc >= 0 ? x64_jcc32(e, (X64Cond)cc, NULL) : x64_jmp32(e, NULL),
    };
    g_array_append_val(g->relocs, r);
}

static void x64be_set_label(X64Gen *g, unsigned id)
{
    TCGLabel *l = &g->s->labels[id];

    x64ra_bb_end(g);
    l->has_value = true;
    l->value = x64_emit_offset(&g->e);
}

static void x64be_exit_tb(X64Gen *g, uintptr_t val)
{
    X64Emit *e = &g->e;

    x64ra_exit(g);
    if (val == 0) {
        x64_jmp32(e, g->st->return_zero);
    } else {
        x64_movi(e, true, X64_RAX, (int64_t)val);
        x64_jmp32(e, g->st->epilogue);
    }
}

static void x64be_goto_tb(X64Gen *g, unsigned n)
{
    X64Emit *e = &g->e;
    size_t pad = (4 - ((uintptr_t)(e->ptr + 1) & 3)) & 3;

    x64ra_exit(g);
    x64_nops(e, (int)pad);
    g->jmp_insn[n] = x64_emit_offset(e);
    /* Unchained, the jump goes to the next instruction (the exit_tb that follows). */
    x64_jmp32(e, e->ptr + 5);
    g->jmp_reset[n] = x64_emit_offset(e);
}

static void x64be_log_code(TCGContext *s, const uint8_t *code, size_t size, size_t body)
{
#ifdef CONFIG_CAPSTONE
    FILE *out = log_file();
    cs_insn *insn;
    size_t count;
    csh cs;

    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        return;
    }
    count = cs_disasm(cs, code, size, (uint64_t)(uintptr_t)code, 0, &insn);
    fprintf(out, "OUT: [size=%zu]\n", size);
    for (size_t i = 0; i < count; i++) {
        if (insn[i].address == (uint64_t)(uintptr_t)code + body) {
            fprintf(out, "  -- slow paths\n");
        }
        fprintf(out, "  0x%012" PRIx64 ":  %s %s\n", insn[i].address, insn[i].mnemonic,
                insn[i].op_str);
    }
    fprintf(out, "\n");
    cs_free(insn, count);
    cs_close(&cs);
#else
    (void)s;
    (void)code;
    (void)size;
    (void)body;
#endif
}

static int x64be_body(X64Gen *g)
{
    TCGContext *s = g->s;
    X64Emit *e = &g->e;

    for (unsigned i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];

        switch (op->opc) {
        case INDEX_op_insn_start:
            if (g->cur_insn >= 0 && (uint32_t)g->cur_insn < g->info->nb_insns) {
                g->info->insn_end_offset[g->cur_insn] = (uint32_t)x64_emit_offset(e);
            }
            g->cur_insn++;
            break;
        case INDEX_op_set_label:
            x64be_set_label(g, tcg_op_label_id(op));
            break;
        case INDEX_op_br:
            x64ra_bb_end(g);
            x64be_jump_label(g, -1, tcg_op_label_id(op));
            break;
        case INDEX_op_mov:
            x64ra_mov(g, op);
            break;
        case INDEX_op_discard:
            x64ra_discard(g, x64_arg_temp(g, op, 0));
            break;
        case INDEX_op_call:
            x64ra_call(g, op);
            break;
        case INDEX_op_exit_tb:
            x64be_exit_tb(g, (uintptr_t)op->args[0]);
            break;
        case INDEX_op_goto_tb:
            x64be_goto_tb(g, (unsigned)op->args[0] & 1);
            break;
        default:
            x64ra_op(g, op);
            break;
        }
        /*
         * The emitter never writes past the buffer, so the TB may use the
         * slack beyond code_gen_highwater; only the real end stops it.
         */
        if (x64_emit_overflowed(e)) {
            return -1;
        }
    }
    if (g->cur_insn >= 0 && (uint32_t)g->cur_insn < g->info->nb_insns) {
        g->info->insn_end_offset[g->cur_insn] = (uint32_t)x64_emit_offset(e);
    }
    return 0;
}

static int x64be_gen_code(TCGContext *s, TCGCodeInfo *info)
{
    X64State *st = s->backend_state;
    const TCGGuestMemConfig *mem = s->mem;
    X64Gen g = {
        .s = s,
        .st = st,
        .info = info,
        .cur_insn = -1,
        .reserved = X64_BIT(X64_RSP) | X64_BIT(X64_REG_ENV) | X64_BIT(X64_REG_TMP),
    };
    size_t body;
    int ret;

    x64_emit_init(&g.e, s->code_ptr, (size_t)(s->code_buf + s->code_buf_size - s->code_ptr));
    if (mem && !mem->softmmu && mem->guest_base && !x64_fits_s32((int64_t)mem->guest_base)) {
        g.reserved |= X64_BIT(X64_REG_GUEST_BASE);
        st->guest_base = mem->guest_base;
    }
    g.relocs = st->relocs;
    g.slow = st->slow;
    g.free_slots = st->free_slots;
    g_array_set_size(g.relocs, 0);
    g_array_set_size(g.slow, 0);
    x64ra_start(&g);

    ret = x64be_body(&g);
    body = x64_emit_offset(&g.e);
    if (ret == 0) {
        for (unsigned i = 0; i < g.relocs->len; i++) {
            X64Reloc *r = &g_array_index(g.relocs, X64Reloc, i);
            TCGLabel *l = &s->labels[r->label];

            g_assert(l->has_value);
            x64_patch32(&g.e, r->at, (uint32_t)(g.e.start + l->value - (r->at + 4)));
        }
        if (!x64mem_emit_stubs(&g) || x64_emit_overflowed(&g.e)) {
            ret = -1;
        } else if (g.too_large || g.jmp_reset[0] > UINT16_MAX || g.jmp_reset[1] > UINT16_MAX) {
            /* Frame slots or the 16-bit jump offsets of TCGCodeInfo ran out. */
            ret = -2;
        } else {
            ret = (int)x64_emit_offset(&g.e);
            for (int n = 0; n < 2; n++) {
                if (g.jmp_reset[n]) {
                    info->jmp_insn_offset[n] = (uint16_t)g.jmp_insn[n];
                    info->jmp_reset_offset[n] = (uint16_t)g.jmp_reset[n];
                }
            }
        }
    }
    if (ret > 0 && (s->log_flags & LOG_OUT_ASM)) {
        x64be_log_code(s, g.e.start, (size_t)ret, body);
    }
    return ret;
}

static void x64be_fini(TCGContext *s)
{
    X64State *st = s->backend_state;

    if (st) {
        g_array_free(st->relocs, TRUE);
        g_array_free(st->slow, TRUE);
        g_array_free(st->free_slots, TRUE);
    }
}

const TCGBackend tcg_backend_x86_64 = {
    .name = "x86_64",
    .init = x64be_init,
    .gen_code = x64be_gen_code,
    .exec = x64be_exec,
    .set_jmp_target = x64be_set_jmp_target,
    .epilogue_return_zero = x64be_epilogue_return_zero,
    .fini = x64be_fini,
};
