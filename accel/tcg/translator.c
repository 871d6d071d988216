/*
 * The generic part of translating one TB: translator_loop() drives a
 * target's TranslatorOps over the guest instructions and wraps them in the
 * TB prologue (the exit-request check) and epilogue; translator_ld*()
 * fetch guest code and record the pages the TB is made from, so that a
 * write to them finds the TB.
 *
 * A TB covers at most one guest page plus the tail of an instruction that
 * straddles into the next.  When fetching a later instruction faults (its
 * second page is not mapped or not executable), the TB simply ends before
 * that instruction: the op list is cut back to where the instruction began
 * and the fault is left for the TB that starts with it.  Targets should
 * therefore fetch all of an instruction's bytes before changing their
 * DisasContext.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <glib.h>
#include "internal.h"
#include "tcg/tcg-op.h"
#include "util/log.h"

/* Where a fetch fault in a later instruction goes: back to its start. */
typedef struct TranslatorRewind {
    sigjmp_buf jmp;
    unsigned nb_ops;
    unsigned nb_insns;
    vaddr pc;
} TranslatorRewind;

static __thread TranslatorRewind *translator_rewind;

#define PAGE_NONE ((vaddr)-1)

static vaddr translator_page(vaddr pc)
{
    return pc & tcg_accel.page_mask;
}

/* Load neg->exit_request and leave at once (TB_EXIT_REQUESTED) if it is set. */
static TCGLabel *translator_gen_exit_check(CPUState *cs)
{
    TCGv_i32 flag = tcg_temp_new_i32();
    TCGLabel *exit_label = gen_new_label();
    intptr_t ofs = (intptr_t)((char *)&cs->neg->exit_request - (char *)cs->env_ptr);

    tcg_gen_ld_i32(flag, tcg_env(), ofs);
    tcg_gen_brcondi_i32(TCG_COND_NE, flag, 0, exit_label);
    return exit_label;
}

/* Translate one instruction; false if its fetch faulted and it was taken back. */
static bool translator_one_insn(DisasContextBase *db, CPUState *cs, const TranslatorOps *ops)
{
    TranslatorRewind rw;

    rw.nb_ops = tcg_ctx->nb_ops;
    rw.nb_insns = tcg_ctx->nb_insns;
    rw.pc = db->pc_next;
    if (sigsetjmp(rw.jmp, 0) != 0) {
        translator_rewind = NULL;
        tcg_ctx->nb_ops = rw.nb_ops;
        tcg_ctx->nb_insns = rw.nb_insns;
        db->pc_next = rw.pc;
        db->num_insns--;
        return false;
    }
    translator_rewind = &rw;
    db->num_insns++;
    if (ops->insn_start) {
        ops->insn_start(db, cs);
    }
    ops->translate_insn(db, cs);
    translator_rewind = NULL;
    return true;
}

void translator_loop(CPUState *cs, TranslationBlock *tb, int *max_insns, vaddr pc,
                     const TranslatorOps *ops, DisasContextBase *db)
{
    TCGLabel *exit_label = NULL;

    db->tb = tb;
    db->pc_first = pc;
    db->pc_next = pc;
    db->is_jmp = DISAS_NEXT;
    db->num_insns = 0;
    db->max_insns = *max_insns;
    db->singlestep_enabled = (tb->cflags & CF_SINGLE_STEP) != 0;
    db->host_addr[0] = db->host_addr[1] = NULL;
    db->page_start[0] = db->page_start[1] = PAGE_NONE;
    db->cpu = cs;
    /* A first-instruction fault may have left the previous TB's rewind point behind. */
    translator_rewind = NULL;

    if (ops->init_disas_context) {
        ops->init_disas_context(db, cs);
    }
    if (!(tb->cflags & CF_NOIRQ)) {
        exit_label = translator_gen_exit_check(cs);
    }
    if (ops->tb_start) {
        ops->tb_start(db, cs);
    }

    for (;;) {
        unsigned first_op = tcg_ctx->nb_ops;

        /* A debugger's breakpoint ends the TB before its instruction (debug.c). */
        if (tcg_debug_check_breakpoint(db, cs, ops)) {
            break;
        }
        if (!translator_one_insn(db, cs, ops)) {
            g_assert(db->num_insns > 0);
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
        tcg_debug_instrument_insn(first_op);
        if (db->is_jmp != DISAS_NEXT) {
            break;
        }
        if (db->num_insns >= db->max_insns || db->singlestep_enabled ||
            translator_page(db->pc_next) != translator_page(db->pc_first)) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
    }

    if (ops->tb_stop) {
        ops->tb_stop(db, cs);
    }
    if (exit_label) {
        gen_set_label(exit_label);
        tcg_gen_exit_tb((uintptr_t)tb | TB_EXIT_REQUESTED);
    }
    tb->size = (uint32_t)(db->pc_next - db->pc_first);
    tb->icount = (uint16_t)db->num_insns;

    if (log_enabled(LOG_IN_ASM)) {
        FILE *f = log_file();

        fprintf(f, "----------------\nIN: pc=0x%" PRIx64 " insns=%d\n", db->pc_first,
                db->num_insns);
        if (ops->disas_log) {
            ops->disas_log(db, cs, f);
        }
        fputc('\n', f);
    }
}

/*
 * Map the page of `pc` for fetching: slot 0 is the page of the TB start,
 * slot 1 the page an instruction straddles into.
 */
static int translator_map_page(CPUState *cs, DisasContextBase *db, vaddr pc)
{
    vaddr page = translator_page(pc);
    int slot = page == translator_page(db->pc_first) ? 0 : 1;
    /* A fault is the TB's own only for its first instruction. */
    bool probe = db->num_insns > 1 && translator_rewind;
    uint64_t phys = page;
    void *host;
    bool ok;

    g_assert(db->page_start[slot] == PAGE_NONE);
    if (tcg_accel.softmmu) {
        ok = cputlb_code_page(cs, pc, probe, &phys, &host, NULL);
    } else {
        ok = user_code_page(cs, pc, probe, &host);
    }
    if (!ok) {
        siglongjmp(translator_rewind->jmp, 1);
    }
    db->page_start[slot] = page;
    db->host_addr[slot] = host;
    db->tb->page_addr[slot] = phys & tcg_accel.page_mask;
    return slot;
}

static uint8_t translator_fetch_byte(CPUState *cs, DisasContextBase *db, vaddr pc)
{
    vaddr page = translator_page(pc);
    int slot;

    if (page == db->page_start[0]) {
        slot = 0;
    } else if (page == db->page_start[1]) {
        slot = 1;
    } else {
        slot = translator_map_page(cs, db, pc);
    }
    if (db->host_addr[slot]) {
        return ((const uint8_t *)db->host_addr[slot])[pc - page];
    }
    /* Code in an I/O region (a ROM device): through the memory API. */
    return cputlb_code_read_byte(cs, pc);
}

/* Guest code is little-endian in every target this runtime serves so far. */
static uint64_t translator_fetch(CPUState *cs, DisasContextBase *db, vaddr pc, unsigned len)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < len; i++) {
        v |= (uint64_t)translator_fetch_byte(cs, db, pc + i) << (8 * i);
    }
    return v;
}

uint8_t translator_ldub(CPUState *cs, DisasContextBase *db, vaddr pc)
{
    return (uint8_t)translator_fetch(cs, db, pc, 1);
}

uint16_t translator_lduw(CPUState *cs, DisasContextBase *db, vaddr pc)
{
    return (uint16_t)translator_fetch(cs, db, pc, 2);
}

uint32_t translator_ldl(CPUState *cs, DisasContextBase *db, vaddr pc)
{
    return (uint32_t)translator_fetch(cs, db, pc, 4);
}

bool translator_is_same_page(const DisasContextBase *db, vaddr pc)
{
    return translator_page(pc) == translator_page(db->pc_first);
}

bool translator_use_goto_tb(DisasContextBase *db, vaddr dest)
{
    if (db->tb->cflags & CF_NO_GOTO_TB) {
        return false;
    }
    /* In system mode another page's mapping may change under the chained jump. */
    return !tcg_accel.softmmu || translator_is_same_page(db, dest);
}

/*
 * The inline probe mirrors tb_find's first step: index the jump cache with
 * tb_jmp_cache_hash(pc) (computed here in IR, so the two must agree; a
 * disagreement only costs misses), check the TB found against the whole
 * key and that it is still valid, and jump to its code.  Anything else
 * takes the helper, which also translates.  TBs made with special cflags
 * (single-step, a count, no IRQs) never probe: the TB at the target must
 * be an ordinary one.
 */
void translator_gen_lookup_and_goto_ptr(DisasContextBase *db, TCGv_i64 pc, uint64_t cs_base,
                                        uint32_t flags)
{
    CPUState *cs = db->cpu;
    TranslationBlock *tb = db->tb;
    TCGv_ptr ptr = tcg_temp_new_tb_i64();
    TCGv_i64 idx, off, entry, val;
    TCGLabel *slow = gen_new_label(), *done = gen_new_label();
    const unsigned page_runs = TB_JMP_CACHE_BITS - TB_JMP_RUN_BITS;
    uint64_t key = ((uint64_t)tb->cflags << 32) | flags;

    _Static_assert(offsetof(TranslationBlock, cflags) == offsetof(TranslationBlock, flags) + 4,
                   "the probe compares flags and cflags as one 64-bit word");
    if (tb->cflags & ~(uint32_t)CF_PARALLEL) {
        tcg_gen_callN(&helper_info_lookup_tb_ptr, (int)tcgv_i64_idx(ptr), tcg_arg_i64(tcg_env()));
        tcg_gen_goto_ptr(ptr);
        return;
    }
    /* The run: a multiplicative hash of the page number, top bits. */
    idx = tcg_temp_new_i64();
    tcg_gen_shri_i64(idx, pc, (int64_t)tcg_accel.page_bits);
    tcg_gen_muli_i64(idx, idx, (int64_t)UINT64_C(0x9e3779b97f4a7c15));
    tcg_gen_shri_i64(idx, idx, 64 - page_runs);
    tcg_gen_shli_i64(idx, idx, TB_JMP_RUN_BITS);
    /* The slot: (pc >> 1) folded. */
    off = tcg_temp_new_i64();
    val = tcg_temp_new_i64();
    tcg_gen_shri_i64(off, pc, 1);
    tcg_gen_shri_i64(val, off, TB_JMP_RUN_BITS);
    tcg_gen_xor_i64(off, off, val);
    tcg_gen_andi_i64(off, off, TB_JMP_RUN_SIZE - 1);
    tcg_gen_or_i64(idx, idx, off);
    tcg_gen_shli_i64(idx, idx, 3);
    /* entry = cs->tb_jmp_cache[idx] */
    entry = tcg_temp_new_i64();
    tcg_gen_ld_i64(entry, tcg_env(),
                   (intptr_t)((char *)&cs->tb_jmp_cache - (char *)cs->env_ptr));
    tcg_gen_add_i64(entry, entry, idx);
    tcg_gen_ld_i64(entry, entry, 0);
    tcg_gen_brcondi_i64(TCG_COND_EQ, entry, 0, slow);
    tcg_gen_ld_i64(val, entry, offsetof(TranslationBlock, pc));
    tcg_gen_brcond_i64(TCG_COND_NE, val, pc, slow);
    tcg_gen_ld_i64(val, entry, offsetof(TranslationBlock, flags));
    tcg_gen_brcondi_i64(TCG_COND_NE, val, (int64_t)key, slow);
    tcg_gen_ld_i64(val, entry, offsetof(TranslationBlock, cs_base));
    tcg_gen_brcondi_i64(TCG_COND_NE, val, (int64_t)cs_base, slow);
    tcg_gen_ld8u_i64(val, entry, offsetof(TranslationBlock, invalid));
    tcg_gen_brcondi_i64(TCG_COND_NE, val, 0, slow);
    tcg_gen_ld_i64(ptr, entry, offsetof(TranslationBlock, tc_ptr));
    tcg_gen_br(done);
    gen_set_label(slow);
    tcg_gen_callN(&helper_info_lookup_tb_ptr, (int)tcgv_i64_idx(ptr), tcg_arg_i64(tcg_env()));
    gen_set_label(done);
    tcg_gen_goto_ptr(ptr);
}
