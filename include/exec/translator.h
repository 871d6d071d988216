/*
 * Translation blocks and the generic translator loop a target plugs into.
 *
 * translator_loop() drives a target's TranslatorOps: it emits the TB
 * prologue (the exit-request check), then calls insn_start/translate_insn
 * for each guest instruction until the target ends the TB (a jump, a mode
 * change), the instruction limit is reached, or the next instruction would
 * start on another guest page.  Guest code is read through translator_ld*,
 * which also records the pages the TB covers (for invalidation on write).
 */
#ifndef MORPH_EXEC_TRANSLATOR_H
#define MORPH_EXEC_TRANSLATOR_H

#include "exec/cpu.h"
#include "tcg/tcg.h"

/* TB exit codes carried in the low bits of exit_tb's value. */
enum {
    TB_EXIT_IDX0 = 0,
    TB_EXIT_IDX1 = 1,
    TB_EXIT_REQUESTED = 3,
    TB_EXIT_MASK = 3,
};

/* cflags: how a TB was compiled. */
enum {
    CF_COUNT_MASK = 0x000001ff,     /* max instructions (0 = default) */
    CF_SINGLE_STEP = 0x00000200,    /* one instruction, for the gdbstub */
    CF_NO_GOTO_TB = 0x00000400,     /* do not chain out of this TB */
    CF_NO_GOTO_PTR = 0x00000800,
    CF_PARALLEL = 0x00001000,       /* other vCPUs run at the same time */
    CF_NOIRQ = 0x00002000,          /* do not check for interrupts at the start */
};

struct TranslationBlock {
    /*
     * What a lookup reads comes first, in one cache line (TBs are allocated
     * cache-line aligned): the key, the hash chain and the host code.
     */
    vaddr pc;                       /* guest virtual pc of the first instruction */
    uint64_t cs_base;
    uint32_t flags;                 /* target's TB flags (mode, FS, ...) */
    uint32_t cflags;
    uint32_t size;                  /* guest bytes covered */
    uint16_t icount;                /* guest instructions */
    bool invalid;
    TranslationBlock *hash_next;    /* global hash bucket chain */
    /* Guest physical page(s) the code is on (system mode) or virtual (user mode); -1: none. */
    uint64_t page_addr[2];
    const void *tc_ptr;             /* host code */

    uint32_t tc_size;

    /* Chaining. */
    uint16_t jmp_reset_offset[2];
    uint16_t jmp_insn_offset[2];
    /*
     * TBs jumping into this one: jmp_incoming lists (tb, slot) encoded as
     * tb | slot.  16-bit counts keep the TB at two cache lines (128 bytes);
     * past UINT16_MAX incoming jumps, more jumps to it are not chained.
     */
    uint16_t nb_incoming, cap_incoming;
    TranslationBlock *jmp_dest[2];  /* chained successor, NULL if unchained */
    uintptr_t *jmp_incoming;

    /* Restore data in the code buffer after the code (TCGCodeInfo.restore_data). */
    const uint8_t *restore_data;

    TranslationBlock *page_next[2]; /* per-page lists for invalidation */
};
_Static_assert(sizeof(struct TranslationBlock) <= 128, "a TB fits two cache lines");

typedef enum DisasJumpType {
    DISAS_NEXT,                     /* go on with the next instruction */
    DISAS_TOO_MANY,                 /* limit reached: the loop ends the TB at pc_next */
    DISAS_NORETURN,                 /* the TB already ended (exception, exit emitted) */
    DISAS_TARGET_0,                 /* targets define their own from here */
    DISAS_TARGET_1,
    DISAS_TARGET_2,
    DISAS_TARGET_3,
    DISAS_TARGET_4,
    DISAS_TARGET_5,
} DisasJumpType;

typedef struct DisasContextBase {
    TranslationBlock *tb;
    vaddr pc_first;
    vaddr pc_next;
    DisasJumpType is_jmp;
    int num_insns;
    int max_insns;
    bool singlestep_enabled;
    /* Private to translator_loop: host view of the code pages. */
    void *host_addr[2];
    vaddr page_start[2];
    CPUState *cpu;
} DisasContextBase;

typedef struct TranslatorOps {
    void (*init_disas_context)(DisasContextBase *db, CPUState *cs);
    void (*tb_start)(DisasContextBase *db, CPUState *cs);
    void (*insn_start)(DisasContextBase *db, CPUState *cs);
    void (*translate_insn)(DisasContextBase *db, CPUState *cs);
    void (*tb_stop)(DisasContextBase *db, CPUState *cs);
    void (*disas_log)(const DisasContextBase *db, CPUState *cs, FILE *out);
} TranslatorOps;

void translator_loop(CPUState *cs, TranslationBlock *tb, int *max_insns, vaddr pc,
                     const TranslatorOps *ops, DisasContextBase *db);

/*
 * Fetch guest code for the instruction at `pc`.  A fetch that fails (no
 * mapping, no execute permission) raises the target's instruction fault
 * through tlb_fill; if it happens for an instruction after the first, the
 * TB simply ends before it.
 */
uint8_t translator_ldub(CPUState *cs, DisasContextBase *db, vaddr pc);
uint16_t translator_lduw(CPUState *cs, DisasContextBase *db, vaddr pc);
uint32_t translator_ldl(CPUState *cs, DisasContextBase *db, vaddr pc);
/* True if `pc` is on the guest page of the TB's first instruction. */
bool translator_is_same_page(const DisasContextBase *db, vaddr pc);

/*
 * Can the TB jump directly (goto_tb) to `dest`?  Only within the same guest
 * page as the TB start in system mode (the mapping of another page may
 * change); always in user mode unless single-stepping.
 */
bool translator_use_goto_tb(DisasContextBase *db, vaddr dest);

/*
 * Leave the TB through the run-time lookup of the TB at `pc`: the vCPU's
 * jump cache is probed inline and helper_lookup_tb_ptr runs only on a
 * miss.  The caller guarantees that the rest of the TB key at this point
 * is (cs_base, flags): nothing since the TB start changed the state they
 * are made from, or the caller accounted for the change (a target whose
 * TB flags track a change made inside the TB passes the flags as they
 * are now).  After an instruction that may change them in ways it cannot
 * know, a target calls the helper instead.
 */
void translator_gen_lookup_and_goto_ptr(DisasContextBase *db, TCGv_i64 pc, uint64_t cs_base,
                                        uint32_t flags);

/* Helper for goto_ptr: find the TB for the current state, or the epilogue. */
const void *helper_lookup_tb_ptr(void *env);
extern const TCGHelperInfo helper_info_lookup_tb_ptr;

#endif
