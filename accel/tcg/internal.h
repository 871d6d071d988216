/*
 * What the files of accel/tcg share and nobody else sees: the runtime's
 * global state, the per-vCPU private state, the TB cache lock and the
 * entry points each file offers the others.
 *
 * Locking.  tb_lock serialises translation (one shared TCGContext), the TB
 * hash table, the per-page TB lists, chaining, the code-range index and, in
 * user mode, writes to the page flag table.  The CPU list has its own lock,
 * always taken last.  A vCPU never holds tb_lock while running generated
 * code; a longjmp out of a translation (an instruction fetch fault) drops
 * it in the exec loop's landing pad (tb_lock_reset).
 */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include <string.h>
#include "exec/cpu.h"
#include "exec/cpu-exec.h"
#include "exec/memory.h"
#include "exec/translator.h"
#include "tcg/tcg.h"

typedef struct TCGAccel {
    const TargetOps *ops;
    TCGContext *ctx; /* the one translation context, under tb_lock */
    bool softmmu;
    unsigned page_bits;
    vaddr page_size;
    vaddr page_mask; /* ~(page_size - 1) */
    TCGGuestMemConfig mem;
    bool one_insn_per_tb;
} TCGAccel;

extern TCGAccel tcg_accel;

#define TB_JMP_LOCAL_MAX 1024
#define TB_JMP_PAGE_BLOOM_BITS 4096

typedef struct AccelCPUState {
    bool running;            /* inside cpu_exec(): counted by exclusive sections */
    uint32_t cflags_next_tb; /* cflags forced for the next TB, or CF_NONE_NEXT */
    bool sstep_done;         /* single-stepping: the step's instruction ran */
    bool watch_replay;       /* a watchpoint hit: its instruction runs again alone */
    /*
     * Jump cache slots filled with a TB reached through a non-global
     * mapping since the last clear (system mode): an address-space switch
     * clears just these.  Past TB_JMP_LOCAL_MAX, it clears everything.
     */
    unsigned nb_jmp_local;
    uint32_t jmp_local[TB_JMP_LOCAL_MAX];
    /*
     * Bit (virtual page number mod TB_JMP_PAGE_BLOOM_BITS) set when a TB
     * starting on such a page entered the jump cache since it was last
     * cleared whole.  Linux fences many single pages that hold no code
     * (copy-on-write, unmaps); tb_jmp_cache_clear_page() skips those
     * instead of clearing two runs of the cache for each.
     */
    uint64_t jmp_pages[TB_JMP_PAGE_BLOOM_BITS / 64];
} AccelCPUState;

#define CF_NONE_NEXT UINT32_MAX

static inline CPUState *accel_env_cpu(void *env)
{
    return env_cpu(env, tcg_accel.ops->env_offset);
}

/* ---- translate-all.c: making TBs, the code-range index, statistics */

/*
 * Translate a TB for the given key (phys_pc: the pc's physical address
 * in system mode, the pc in user mode).  Called and returns with tb_lock held;
 * may drop it to flush a full code buffer (tb_flush_count() changes then).
 * An instruction fetch fault on the first instruction longjmps out.
 */
TranslationBlock *tb_gen_code(CPUState *cs, vaddr pc, uint64_t cs_base, uint32_t flags,
                              uint32_t cflags, uint64_t phys_pc);
/* The TB whose host code contains `host_pc` (flush resets the index); tb_lock held. */
TranslationBlock *tc_lookup(uintptr_t host_pc);
/* Free every TB and empty the index (a flush, or the runtime's end). */
void tc_reset(void);
/* Free a TB that was never published (a translation that longjmped). */
void tb_gen_abort_cleanup(void);
/* Counters updated by the other files, under tb_lock. */
extern TCGJitStats tcg_stats;

/* ---- tb-maint.c: the TB cache */

void tb_lock(void);
void tb_unlock(void);
bool tb_lock_held(void);
/* After a longjmp: release tb_lock if this thread held it. */
void tb_lock_reset(void);
void tb_maint_init(void);
void tb_maint_exit(void);

/* Physical pc (system) or pc (user) of a TB, as the hash sees it. */
TranslationBlock *tb_htable_lookup(CPUState *cs, vaddr pc, uint64_t phys_pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags);
/* Publish a finished TB: hash table and page lists (and page protection). */
void tb_link(TranslationBlock *tb, uint64_t phys_pc);
void tb_add_jump(TranslationBlock *tb, int slot, TranslationBlock *dest);
unsigned tb_flush_count(void);
void tb_flush_locked(void);
/* Does the physical page hold TBs?  Exact, under tb_lock. */
bool tb_page_has_code(uint64_t page);
/* Lock-free hint: false means the page certainly holds no TB. */
bool tb_page_maybe_code(uint64_t page);
/*
 * Drop the TBs overlapping [start, last] (tb_lock held).  Returns true if
 * one of them contains host pc `retaddr` (a return address into generated
 * code, 0 = none) and has more than one instruction: its remaining
 * instructions may be stale, so the caller must leave it.
 */
bool tb_invalidate_phys_range_locked(uint64_t start, uint64_t last, uintptr_t retaddr);
/*
 * The caller's TB was modified under it: restore the state of the
 * instruction at `retaddr` and leave to run that instruction alone.
 */
__attribute__((noreturn)) void tb_exit_modified(CPUState *cs, uintptr_t retaddr);

/*
 * The jump cache index has two halves: a hash of the pc's page picks a run
 * of TB_JMP_RUN_SIZE slots, the pc's offset in the page a slot in the run.
 * Every pc of a page thus lives in one run, and flushing one page's
 * mapping (an SFENCE.VMA with an address: thousands in a Linux boot)
 * clears that run instead of the whole cache.
 */
#define TB_JMP_RUN_BITS 10
#define TB_JMP_RUN_SIZE (1u << TB_JMP_RUN_BITS)

static inline unsigned tb_jmp_cache_run(vaddr pc)
{
    uint64_t page = (pc >> tcg_accel.page_bits) * UINT64_C(0x9e3779b97f4a7c15);

    return (unsigned)(page >> (64 - (TB_JMP_CACHE_BITS - TB_JMP_RUN_BITS))) << TB_JMP_RUN_BITS;
}

static inline unsigned tb_jmp_cache_hash(vaddr pc)
{
    uint64_t off = pc >> 1;

    off ^= off >> TB_JMP_RUN_BITS;
    return tb_jmp_cache_run(pc) | (unsigned)(off & (TB_JMP_RUN_SIZE - 1));
}

void tb_jmp_cache_clear(CPUState *cs);
/* The bit of AccelCPUState.jmp_pages for the page of `addr`. */
static inline unsigned tb_jmp_page_bit(vaddr addr)
{
    return (unsigned)(addr >> tcg_accel.page_bits) & (TB_JMP_PAGE_BLOOM_BITS - 1);
}

/* The jump cache is getting a TB at `pc`: note its page (AccelCPUState.jmp_pages). */
static inline void tb_jmp_cache_note_page(CPUState *cs, vaddr pc)
{
    unsigned bit = tb_jmp_page_bit(pc);

    cs->accel->jmp_pages[bit / 64] |= UINT64_C(1) << (bit % 64);
}
/* Forget the TBs that were reached through non-global mappings (AccelCPUState.jmp_local). */
void tb_jmp_cache_clear_local(CPUState *cs);
/* Forget the TBs of the page at `addr`, and of the page before (a TB may spill over). */
void tb_jmp_cache_clear_page(CPUState *cs, vaddr addr);

/* ---- cpu-exec.c: vCPUs */

uint32_t curr_cflags(CPUState *cs);
/* Does the calling thread own the exclusive section? */
bool exclusive_held(void);

/* ---- debug.c: breakpoints, watchpoints (include/exec/cpu-exec.h) */

/*
 * Before translating the instruction at db->pc_next: true if it is a
 * breakpoint, and then the TB ends there (a TB starting there got the
 * code that raises EXCP_DEBUG).
 */
bool tcg_debug_check_breakpoint(DisasContextBase *db, CPUState *cs, const TranslatorOps *ops);
/* After translating an instruction whose ops start at first_op: watch its accesses. */
void tcg_debug_instrument_insn(unsigned first_op);
/* A helper's access (cpu_ld/st*_mmu): offer it to the watchpoints. */
void tcg_debug_check_access(CPUState *cs, vaddr addr, unsigned len, MMUAccessType type,
                            uintptr_t ra);
extern bool tcg_debug_watching;

/* ---- cputlb.c: the softmmu TLB (system mode) */

void cputlb_cpu_init(CPUState *cs);
void cputlb_cpu_destroy(CPUState *cs);
/*
 * The page of code at `addr` (mapped through ops->tlb_fill on a miss):
 * its physical page, and its host address if it is RAM (NULL: read it
 * through cputlb_code_read).  With probe, false instead of the fault.
 */
bool cputlb_code_page(CPUState *cs, vaddr addr, bool probe, uint64_t *phys, void **host,
                      bool *global);
uint8_t cputlb_code_read_byte(CPUState *cs, vaddr addr);
/* A page just got its first TB: make every vCPU's writes to it take the slow path. */
void cputlb_protect_code(uint64_t phys_page);
uint64_t cputlb_ld(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
void cputlb_st(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra);
void *cputlb_atomic_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint64_t cputlb_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra);
void cputlb_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra);

/* ---- user-exec.c: user mode */

bool user_code_page(CPUState *cs, vaddr addr, bool probe, void **host);
/* A TB was made from `page`: write-protect it if the guest may write it (tb_lock held). */
void user_protect_code_page(vaddr page);
uint64_t user_ld(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
void user_st(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra);
void *user_atomic_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint64_t user_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra);
void user_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra);
/*
 * Give the guest back write access to the protection unit holding addr,
 * dropping its TBs.  Returns 0 if the page is not writable for the guest at
 * all, 1 if done, 2 if done and the TB holding `retaddr` was dropped.
 */
int user_page_unprotect(vaddr addr, uintptr_t retaddr);

/* ---- host access with a MemOp (both modes) */

static inline uint64_t memop_load_host(const void *p, MemOp op)
{
    uint64_t v;

    switch (op & MO_SIZE) {
    case MO_8: {
        uint8_t x;
        memcpy(&x, p, 1);
        v = (op & MO_SIGN) ? (uint64_t)(int64_t)(int8_t)x : x;
        break;
    }
    case MO_16: {
        uint16_t x;
        memcpy(&x, p, 2);
        if (op & MO_BSWAP) {
            x = __builtin_bswap16(x);
        }
        v = (op & MO_SIGN) ? (uint64_t)(int64_t)(int16_t)x : x;
        break;
    }
    case MO_32: {
        uint32_t x;
        memcpy(&x, p, 4);
        if (op & MO_BSWAP) {
            x = __builtin_bswap32(x);
        }
        v = (op & MO_SIGN) ? (uint64_t)(int64_t)(int32_t)x : x;
        break;
    }
    default: {
        uint64_t x;
        memcpy(&x, p, 8);
        v = (op & MO_BSWAP) ? __builtin_bswap64(x) : x;
        break;
    }
    }
    return v;
}

static inline void memop_store_host(void *p, uint64_t v, MemOp op)
{
    switch (op & MO_SIZE) {
    case MO_8: {
        uint8_t x = (uint8_t)v;
        memcpy(p, &x, 1);
        break;
    }
    case MO_16: {
        uint16_t x = (uint16_t)v;
        if (op & MO_BSWAP) {
            x = __builtin_bswap16(x);
        }
        memcpy(p, &x, 2);
        break;
    }
    case MO_32: {
        uint32_t x = (uint32_t)v;
        if (op & MO_BSWAP) {
            x = __builtin_bswap32(x);
        }
        memcpy(p, &x, 4);
        break;
    }
    default: {
        uint64_t x = (op & MO_BSWAP) ? __builtin_bswap64(v) : v;
        memcpy(p, &x, 8);
        break;
    }
    }
}

/* Sign-extend (MO_SIGN) or zero-extend a value of the memop's size. */
static inline uint64_t memop_extend(uint64_t v, MemOp op)
{
    unsigned bits = 8u << (op & MO_SIZE);

    if (bits >= 64) {
        return v;
    }
    if (op & MO_SIGN) {
        return (uint64_t)(((int64_t)(v << (64 - bits))) >> (64 - bits));
    }
    return v & ((UINT64_C(1) << bits) - 1);
}

#endif
