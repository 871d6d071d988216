/*
 * CPUState: what every emulated CPU has whatever its architecture (run
 * state, pending interrupts, exception in flight, the softmmu TLB, the TB
 * jump cache), and TargetOps: the hooks a target registers so that
 * accel/tcg can run it without knowing the architecture.
 *
 * A target's CPU object is laid out as
 *     struct <Arch>CPU { CPUState parent; CPUNegativeOffsetState neg; <Arch>State env; };
 * Generated code holds a pointer to `env`; the fields it reads on every TB
 * (exit request, TLB fast table) sit just below it at small negative
 * offsets, so the host instructions that reach them stay short.
 */
#ifndef MORPH_EXEC_CPU_H
#define MORPH_EXEC_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "exec/memop.h"

typedef uint64_t vaddr;
typedef uint64_t hwaddr;

#define NB_MMU_MODES 8
/*
 * 4096 entries per MMU index: a guest streaming through a few MiB of
 * buffers (virtio-blk at 1 MiB requests, memcpy) overflowed 1024 entries
 * and spent almost half its time refilling them (bench/block guest part:
 * seq read 2350 -> 5490 MiB/s).  Flushes skip the indexes not used since
 * the last one, so the size costs little there.
 */
#define CPU_TLB_BITS 12
#define CPU_TLB_SIZE (1 << CPU_TLB_BITS)
#define CPU_TLB_ENTRY_BITS 5                 /* sizeof(CPUTLBEntry) == 32 */
#define TB_JMP_CACHE_BITS 16
#define TB_JMP_CACHE_SIZE (1 << TB_JMP_CACHE_BITS)

typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

/*
 * A TLB entry.  The comparators hold the page address of the guest virtual
 * page, or -1 when that access kind is not allowed through the fast path;
 * flag bits below the page size send the access to the slow path:
 * TLB_INVALID (no mapping), TLB_MMIO (I/O region), TLB_NOTDIRTY (a code
 * page: writes invalidate TBs), TLB_WATCHPOINT.  addend turns a guest
 * virtual address into a host pointer for RAM.
 */
typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} CPUTLBEntry;

#define TLB_INVALID_MASK (1 << 0)
#define TLB_NOTDIRTY (1 << 1)
#define TLB_MMIO (1 << 2)
#define TLB_WATCHPOINT (1 << 3)
#define TLB_FLAGS_MASK 0xf

/* The part of the TLB the fast path reads: mask = (entries - 1) << CPU_TLB_ENTRY_BITS. */
typedef struct CPUTLBFast {
    uintptr_t mask;
    CPUTLBEntry *table;
} CPUTLBFast;

/* Lives immediately below env. */
typedef struct CPUNegativeOffsetState {
    CPUTLBFast tlb_fast[NB_MMU_MODES];
    int32_t exit_request;           /* non-zero: leave generated code at the next TB start */
    int32_t can_do_io;
} CPUNegativeOffsetState;

/* Interrupt request bits (CPUState.interrupt_request). */
enum {
    CPU_INTERRUPT_HARD = 0x1,       /* the target's interrupt lines have something pending */
    CPU_INTERRUPT_EXITTB = 0x2,     /* re-evaluate TB flags (mode change from outside) */
    CPU_INTERRUPT_HALT = 0x4,
    CPU_INTERRUPT_DEBUG = 0x8,
};

/* Special values of exception_index understood by the exec loop. */
enum {
    EXCP_NONE = -1,
    EXCP_INTERRUPT = 0x10000,       /* exit request: return to the loop */
    EXCP_HLT = 0x10001,             /* the CPU halted (WFI) */
    EXCP_DEBUG = 0x10002,           /* breakpoint/watchpoint/single-step for the gdbstub */
    EXCP_HALTED = 0x10003,
    EXCP_YIELD = 0x10004,           /* give other vCPUs a turn (round-robin) */
    EXCP_ATOMIC = 0x10005,          /* run one instruction exclusively */
};

typedef struct CPUState CPUState;
typedef struct TranslationBlock TranslationBlock;
typedef struct TCGContext TCGContext;

/* Per-index I/O/physical information of a TLB entry, for the slow path. */
typedef struct CPUTLBEntryFull {
    hwaddr phys_addr;               /* physical page address */
    void *section;                  /* memory API section for MMIO (system mode) */
    int prot;
    uint32_t attrs;
    uint8_t lg_page_size;
} CPUTLBEntryFull;

#define CPU_TLB_WRITE_BLOOM_BITS 12

typedef struct CPUTLBDesc {
    CPUTLBEntry table[CPU_TLB_SIZE];
    CPUTLBEntryFull full[CPU_TLB_SIZE];
    /* Large pages cause page flushes to flush the whole index. */
    vaddr large_page_addr, large_page_mask;
    /* An entry was filled since the last flush of this index (else a flush has nothing to do). */
    bool dirty;
    /*
     * Bit (physical page number mod 2^CPU_TLB_WRITE_BLOOM_BITS) set when a
     * writable RAM entry for such a page was filled since the last flush:
     * protecting a new code page scans only the indexes that may map it.
     */
    uint64_t write_bloom[(1u << CPU_TLB_WRITE_BLOOM_BITS) / 64];
} CPUTLBDesc;

/*
 * What a target provides.  Every hook is called with the vCPU thread
 * holding its CPUState; hooks that touch devices take the big lock.
 */
typedef struct TargetOps {
    const char *arch_name;               /* "riscv64" */
    size_t cpu_size;                     /* sizeof(<Arch>CPU) */
    size_t env_offset;                   /* offsetof(<Arch>CPU, env) */
    int insn_start_words;                /* restore words used (<= TCG_INSN_START_WORDS) */
    unsigned page_bits;                  /* guest page size */

    /* Register the target's TCG globals in a new context. */
    void (*tcg_init)(TCGContext *s);
    /* The TB key of the current state. */
    void (*get_tb_cpu_state)(CPUState *cs, vaddr *pc, uint64_t *cs_base, uint32_t *flags);
    /* Translate the TB (fills tcg_ctx through translator_loop). */
    void (*translate_code)(CPUState *cs, TranslationBlock *tb, int *max_insns);
    /* Restore the state of the instruction whose insn_start words are `data`. */
    void (*restore_state_to_opc)(CPUState *cs, const TranslationBlock *tb, const uint64_t *data);
    /* Set the pc after a TB exit that did not store it (unchained exit). */
    void (*synchronize_from_tb)(CPUState *cs, const TranslationBlock *tb);
    /* Take a pending interrupt if one is enabled; true if state changed. */
    bool (*exec_interrupt)(CPUState *cs, int interrupt_request);
    /* Deliver cs->exception_index (trap entry). */
    void (*do_interrupt)(CPUState *cs);
    /* Does the CPU have something to do (leave WFI)? */
    bool (*has_work)(CPUState *cs);
    /* The MMU index of the current mode. */
    int (*mmu_index)(CPUState *cs, bool ifetch);
    /*
     * Translate and install a TLB entry for `addr`, or raise the fault
     * (never returns then, unless probe: returns false).
     */
    bool (*tlb_fill)(CPUState *cs, vaddr addr, int size, MMUAccessType access_type,
                     int mmu_idx, bool probe, uintptr_t retaddr);
    /* A misaligned access that MemOp says must be aligned; does not return. */
    void (*do_unaligned_access)(CPUState *cs, vaddr addr, MMUAccessType access_type,
                                int mmu_idx, uintptr_t retaddr);
    /* A bus error at a physical address (no device); does not return. */
    void (*do_transaction_failed)(CPUState *cs, hwaddr physaddr, vaddr addr, unsigned size,
                                  MMUAccessType access_type, int mmu_idx, uintptr_t retaddr);
    void (*dump_state)(CPUState *cs, FILE *out, int flags);
    void (*reset)(CPUState *cs);

    /*
     * The GDB register map, for the gdbstub (all optional: 0/NULL when the
     * target offers none).  Registers are numbered 0..gdb_num_regs-1 as in
     * the target description's regnum attributes.  gdb_read_register
     * stores register n in buf (target byte order) and returns its size in
     * bytes, 0 if there is no such register; gdb_write_register returns the
     * bytes consumed, 0 if not written.  gdb_get_xml returns the target
     * description file `annex` ("target.xml" and the files it includes),
     * NULL if there is none.
     */
    int gdb_num_regs;
    int (*gdb_read_register)(CPUState *cs, uint8_t *buf, int n);
    int (*gdb_write_register)(CPUState *cs, const uint8_t *buf, int n);
    const char *(*gdb_get_xml)(const char *annex);
    /*
     * The debugger's view of virtual memory (system mode, optional): the
     * physical address of the page holding `addr` in the current
     * translation regime, found without side effects (no A/D bit
     * updates, no TLB fill, no fault), or -1 if it is not mapped.
     */
    hwaddr (*get_phys_page_debug)(CPUState *cs, vaddr addr);
} TargetOps;

struct CPUState {
    const TargetOps *ops;
    int cpu_index;
    void *env_ptr;                       /* the target's env */
    CPUNegativeOffsetState *neg;

    /* Run state. */
    bool halted;                         /* in WFI / stopped waiting for work */
    bool stopped;                        /* paused by the monitor or the gdbstub */
    bool created;
    volatile int interrupt_request;
    int exception_index;
    int singlestep_enabled;

    /* Exec loop. */
    sigjmp_buf jmp_env;
    TranslationBlock **tb_jmp_cache;     /* [TB_JMP_CACHE_SIZE], indexed by pc hash */
    TCGContext *tcg_ctx;
    void *opaque;                        /* the machine or linux-user process */

    /* Softmmu (system mode). */
    CPUTLBDesc *tlb;                     /* [NB_MMU_MODES] */
    void *as;                            /* AddressSpace the CPU sees */

    /* Statistics. */
    uint64_t tb_exec_count;              /* entries into generated code from the exec loop */

    /* accel/tcg's private per-vCPU state (exclusive sections, next TB's cflags). */
    struct AccelCPUState *accel;
};

static inline CPUState *env_cpu(void *env, size_t env_offset)
{
    return (CPUState *)((char *)env - env_offset);
}

static inline void *cpu_env(CPUState *cs)
{
    return cs->env_ptr;
}

/* Ask the vCPU to leave generated code soon (any thread). */
void cpu_exit(CPUState *cs);
/* Raise / clear interrupt request bits (any thread); raising also exits. */
void cpu_interrupt(CPUState *cs, int mask);
void cpu_reset_interrupt(CPUState *cs, int mask);

/*
 * Leave the current TB from a helper and return to the exec loop.  The
 * _restore form first restores the guest state of the instruction that
 * called the helper (from its host return address `retaddr`, 0 = none).
 */
__attribute__((noreturn)) void cpu_loop_exit(CPUState *cs);
__attribute__((noreturn)) void cpu_loop_exit_restore(CPUState *cs, uintptr_t retaddr);
/* Restore the guest state of the instruction at host pc `retaddr`; false if not in a TB. */
bool cpu_restore_state(CPUState *cs, uintptr_t retaddr);

/*
 * The host return address of a helper called from generated code.  Under
 * the interpreter backend the helper's real return address is inside the
 * interpreter, so the interpreter publishes the bytecode address of the
 * calling op (+ 1) in tcg_interp_retaddr (declared in tcg/tcg.h too) while
 * the helper runs; it is 0 otherwise.
 */
extern __thread uintptr_t tcg_interp_retaddr;
#define GETPC()                                                              \
    (tcg_interp_retaddr ? tcg_interp_retaddr                                 \
                        : (uintptr_t)__builtin_extract_return_addr(          \
                              __builtin_return_address(0)))

#endif
