/*
 * The TCG runtime as the rest of the emulator sees it (accel/tcg/): start
 * it for one target, attach vCPUs, run them, and maintain the cache of
 * translated blocks (flush, invalidation on guest writes, statistics for
 * `info jit`, a perf map).
 *
 * Threads.  Every vCPU runs cpu_exec() in its own thread; all of them share
 * one code buffer and one TB cache, so a TB translated by one vCPU is run
 * and chained by the others.  Translation and every change to the TB cache
 * are serialised by one lock inside accel/tcg.  Whatever must see no vCPU
 * inside generated code (tb_flush, an atomic instruction run alone) uses an
 * exclusive section: start_exclusive() asks every vCPU that is inside
 * cpu_exec() to leave (cpu_exit), waits until none is, and keeps new ones
 * from entering until end_exclusive().  The caller must not hold a lock a
 * running vCPU may wait for (the big lock), or it waits for ever.
 */
#ifndef MORPH_EXEC_CPU_EXEC_H
#define MORPH_EXEC_CPU_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "exec/cpu.h"
#include "tcg/tcg.h"
#include "util/error.h"

typedef struct TCGExecConfig {
    const TargetOps *ops;
    const TCGBackend *backend; /* NULL: tcg_backend_default() */
    bool softmmu;              /* system mode (TLB) or user mode (guest_base) */
    uintptr_t guest_base;      /* user mode: sets the guest_base global if non-zero */
    size_t code_buffer_size;   /* 0: the backend's default */
} TCGExecConfig;

/*
 * Start the runtime: create the shared translation context, register the
 * target's globals, describe guest memory to tcg/.  Once per process
 * (tcg_exec_exit() undoes it, for tests).  In user mode guest_base must be
 * final here: backends may build it into their prologue.
 */
bool tcg_exec_init(const TCGExecConfig *config, Error **errp);
void tcg_exec_exit(void);
bool tcg_exec_is_softmmu(void);

/*
 * Attach a vCPU to the runtime (jump cache, TLB in system mode) once the
 * target has set cs->ops, cs->env_ptr and cs->neg; cs->neg must sit right
 * below env (include/exec/cpu.h).  tcg_cpu_destroy() detaches it.
 */
void tcg_cpu_init(CPUState *cs);
void tcg_cpu_destroy(CPUState *cs);
/* Allocate a target's CPU object (ops->cpu_size bytes), lay it out and attach it. */
CPUState *tcg_cpu_create(const TargetOps *ops, int cpu_index);
void tcg_cpu_free(CPUState *cs);

/* The vCPU the calling thread is running (NULL outside cpu_exec). */
extern __thread CPUState *current_cpu;

/*
 * Run guest code until something needs the caller: returns an EXCP_*
 * reason (EXCP_INTERRUPT after cpu_exit, EXCP_HALTED, EXCP_DEBUG,
 * EXCP_ATOMIC...) or, in user mode, the target's exception number (a
 * syscall, a fault) for linux-user to handle.  In system mode guest
 * exceptions are delivered through ops->do_interrupt without returning.
 */
int cpu_exec(CPUState *cs);
/* After EXCP_ATOMIC: run the next instruction with every other vCPU stopped. */
void cpu_exec_step_atomic(CPUState *cs);

/* Leave to the exec loop with no exception (the state is already exact). */
__attribute__((noreturn)) void cpu_loop_exit_noexc(CPUState *cs);
/* Restart the instruction at `retaddr` alone, with no other vCPU running. */
__attribute__((noreturn)) void cpu_loop_exit_atomic(CPUState *cs, uintptr_t retaddr);

/* Exclusive sections (see the top of this file); they do not nest. */
void start_exclusive(void);
void end_exclusive(void);

/* The attached vCPUs: call fn on each (the list's lock is held meanwhile), and count them. */
void cpu_list_foreach(void (*fn)(CPUState *cs, void *opaque), void *opaque);
unsigned cpu_list_count(void);

/*
 * Debugging, for the gdbstub (accel/tcg/debug.c).  A debugger installs
 * TCGDebugOps; then:
 *   - the translator asks breakpoint() before each guest instruction: a
 *     TB ends before an instruction where it says yes, and a TB that
 *     starts there returns EXCP_DEBUG from cpu_exec() before the
 *     instruction runs (the guest pc is the breakpoint's);
 *   - while watching is on, every guest access of translated code (and
 *     of helpers, through cpu_ld/st*_mmu and cpu_atomic_mmu_lookup) is
 *     offered to watchpoint(); on a hit the instruction completes and
 *     cpu_exec() returns EXCP_DEBUG after it;
 *   - a vCPU with cpu_single_step(cs, SSTEP_ENABLE...) returns EXCP_DEBUG
 *     from cpu_exec() once one instruction ran since the call (a trap it
 *     took, or a system call it made, counts as that instruction), with
 *     hardware interrupts masked if SSTEP_NOIRQ.
 * Breakpoints are read when translating: after adding or removing one the
 * debugger drops the TBs concerned (tb_invalidate_phys_range in user mode,
 * tb_flush in system mode).  tcg_debug_set_watching() flushes by itself.
 */
typedef struct TCGDebugOps {
    bool (*breakpoint)(CPUState *cs, vaddr pc);
    bool (*watchpoint)(CPUState *cs, vaddr addr, unsigned len, MMUAccessType type);
} TCGDebugOps;

void tcg_debug_set_ops(const TCGDebugOps *ops);
void tcg_debug_set_watching(bool on);

/* Single-step flags, QEMU's (the gdbstub's qqemu.sstep bits). */
enum {
    SSTEP_ENABLE = 0x1,  /* step */
    SSTEP_NOIRQ = 0x2,   /* take no hardware interrupt during the step */
    SSTEP_NOTIMER = 0x4, /* let no guest timer run during the step (system mode) */
};
/* Step one instruction (flags != 0) or stop stepping (0); also forgets a pending watch hit. */
void cpu_single_step(CPUState *cs, int flags);

/* One guest instruction per TB (-one-insn-per-tb), for debugging the translator. */
void tcg_set_one_insn_per_tb(bool on);

/*
 * TB cache maintenance.  tb_flush() drops every TB at a moment when no vCPU
 * is in generated code (cs: the calling vCPU, or NULL from another thread);
 * a helper that calls it must leave generated code at once afterwards
 * (cpu_loop_exit), since the code it returns into is gone.
 * The invalidation functions drop the TBs whose guest code overlaps the
 * range [start, last] (physical addresses in system mode, virtual in user
 * mode); the memory API calls them for writes that do not go through a
 * vCPU's TLB (DMA, loaders).
 */
void tb_flush(CPUState *cs);
void tb_invalidate_phys_range(uint64_t start, uint64_t last);
void tb_invalidate_phys_page(uint64_t addr);

/* Counters for `info jit`. */
typedef struct TCGJitStats {
    uint64_t tb_count;          /* TBs in the cache now */
    uint64_t tb_translated;     /* translations since start */
    uint64_t tb_invalidated;    /* TBs dropped by guest writes or unmaps */
    uint64_t tb_guest_bytes;    /* guest code bytes covered by cached TBs */
    uint64_t tb_max_host_bytes; /* largest TB */
    uint64_t code_bytes;        /* host code of cached TBs */
    uint64_t code_buffer_size;
    uint64_t code_buffer_used;
    uint64_t chained_jumps;   /* direct jumps patched (cumulative) */
    uint64_t unchained_jumps; /* jumps reset by invalidation (cumulative) */
    uint64_t flushes;
    uint64_t retranslations_too_big; /* TBs retried with fewer instructions */
    uint64_t translate_ns;           /* time spent translating */
} TCGJitStats;

TCGJitStats tcg_jit_stats(void);
/* The human-readable form, as `info jit` prints it. */
void tcg_jit_stats_print(FILE *out);

/*
 * Write "/tmp/perf-<pid>.map" (or `path`) as TBs are translated, one line
 * "hostaddr size name" per TB, so that `perf report` names JIT code.
 */
bool tcg_perf_map_open(const char *path, Error **errp);
void tcg_perf_map_close(void);

#endif
