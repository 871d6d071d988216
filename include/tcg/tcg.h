/*
 * The translator's intermediate representation and its context.
 *
 * A target's translator emits ops (include/tcg/tcg-op.h) into a TCGContext
 * for one translation block; tcg_gen_code() then runs the optimizer and
 * liveness and hands the op list to the selected backend (x86_64/ emits
 * host machine code, interp/ emits a compact form it interprets).  tcg/
 * knows nothing about guests: what it needs to know of guest memory (the
 * softmmu TLB layout, the slow-path helpers, guest_base in user mode) is
 * given to it by accel/tcg in a TCGGuestMemConfig.
 *
 * The semantics of each op are in docs/devel/tcg-ir.md.
 */
#ifndef MORPH_TCG_TCG_H
#define MORPH_TCG_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "exec/memop.h"
#include "util/error.h"

/* How many restore words each insn_start carries (the target's pc, and more). */
#define TCG_INSN_START_WORDS 2
/*
 * The widest op is a call: at most two outputs, TCG_MAX_CALL_ARGS inputs
 * and the helper.  Every pass copies ops, so TCGOp stays that small.
 */
#define TCG_MAX_CALL_ARGS 7
#define TCG_MAX_OP_ARGS (2 + TCG_MAX_CALL_ARGS + 1)
#define TCG_MAX_INSNS 512
/*
 * Labels live in one array allocated with the context and never moved, so
 * the TCGLabel pointers a translator holds stay valid for the whole TB.
 */
#define TCG_MAX_LABELS 16384
/*
 * The slack kept between code_gen_highwater and the end of the buffer.
 * tcg_gen_code() does not start a TB at or past code_gen_highwater; a
 * backend never writes past the real end of the buffer and returns -1 when
 * a TB would (the interpreter stops at highwater, the x86-64 emitter
 * bounds-checks every write against the end and may use the slack).
 */
#define TCG_HIGHWATER 4096
/* The host register holding the env pointer is a fixed temp, always index 0. */
#define TCG_ENV_TEMP_INDEX 0

typedef enum TCGType {
    TCG_TYPE_I32 = 0,
    TCG_TYPE_I64 = 1,
    TCG_TYPE_PTR = TCG_TYPE_I64,      /* the host is 64-bit */
} TCGType;

/*
 * Conditions.  Bit 0 inverts; the encoding makes tcg_invert_cond() a xor.
 * Signed and unsigned comparisons, plus TSTEQ/TSTNE: (a & b) == 0 / != 0.
 */
typedef enum TCGCond {
    TCG_COND_NEVER = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ = 8,
    TCG_COND_NE = 8 | 1,
    TCG_COND_LT = 2,
    TCG_COND_GE = 2 | 1,
    TCG_COND_LE = 4,
    TCG_COND_GT = 4 | 1,
    TCG_COND_LTU = 6,
    TCG_COND_GEU = 6 | 1,
    TCG_COND_LEU = 10,
    TCG_COND_GTU = 10 | 1,
    TCG_COND_TSTEQ = 12,
    TCG_COND_TSTNE = 12 | 1,
} TCGCond;

static inline TCGCond tcg_invert_cond(TCGCond c)
{
    return (TCGCond)(c ^ 1);
}

/* The condition that gives the same result with the operands swapped. */
TCGCond tcg_swap_cond(TCGCond c);
/* Evaluate a condition on constants of the given type (used by the optimizer and tests). */
bool tcg_eval_cond(TCGType type, TCGCond c, uint64_t a, uint64_t b);
const char *tcg_cond_name(TCGCond c);

/* Memory barrier kinds for the mb op (the bits combine). */
typedef enum TCGBar {
    TCG_MO_LD_LD = 1,
    TCG_MO_ST_LD = 2,
    TCG_MO_LD_ST = 4,
    TCG_MO_ST_ST = 8,
    TCG_MO_ALL = 0xf,
    TCG_BAR_SC = 0x10,   /* sequentially consistent fence */
} TCGBar;

typedef enum TCGOpcode {
#define DEF(name, oargs, iargs, cargs, flags) INDEX_op_##name,
#include "tcg/tcg-opc.h"
#undef DEF
    NB_OPS,
} TCGOpcode;

enum {
    TCG_OPF_BB_END = 0x01,        /* ends a basic block */
    TCG_OPF_BB_EXIT = 0x02,       /* leaves the TB */
    TCG_OPF_CALL_CLOBBER = 0x04,  /* clobbers call-clobbered host registers */
    TCG_OPF_SIDE_EFFECTS = 0x08,  /* never removed as dead */
    TCG_OPF_NOT_PRESENT = 0x10,   /* handled by the core, not the backend */
    TCG_OPF_COND_BRANCH = 0x20,
    TCG_OPF_GUEST_MEM = 0x40,     /* guest memory access: may fault, globals synced */
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

/*
 * Temps.  A global is a field of the CPU state that the IR reads and writes
 * as a value; the register allocator may keep it in a host register inside
 * a TB and writes it back where a helper, an exit or a possible fault needs
 * it.  TB temps live across the whole TB (across labels); EBB temps die at
 * the end of their extended basic block (at a label); constants are
 * interned per TB.
 */
typedef enum TCGTempKind {
    TEMP_EBB,
    TEMP_TB,
    TEMP_GLOBAL,
    TEMP_FIXED,
    TEMP_CONST,
} TCGTempKind;

typedef enum TCGTempVal {
    TEMP_VAL_DEAD,
    TEMP_VAL_REG,
    TEMP_VAL_MEM,
    TEMP_VAL_CONST,
} TCGTempVal;

/*
 * Any input of any op may be a TEMP_CONST temp (translators pass
 * tcg_constant_*() directly and the optimizer substitutes known constants);
 * a backend materializes it when the host instruction has no immediate
 * form.  Outputs are never TEMP_CONST or TEMP_FIXED.
 *
 * The env temp (index 0, TEMP_FIXED) is created by tcg_context_new() with
 * reg = -1; the backend's init() sets reg to the host register it keeps env
 * in.
 */
typedef struct TCGTemp {
    TCGType type;
    TCGTempKind kind;
    int64_t val;                /* TEMP_CONST: the value (i32 values sign-extended) */
    intptr_t mem_offset;        /* TEMP_GLOBAL: offset from env; others: spill slot */
    const char *name;           /* globals and fixed temps */
    int reg;                    /* TEMP_FIXED: host register */
    /* Register allocator state, owned by the backend pass. */
    TCGTempVal val_type;
    int8_t alloc_reg;
    bool mem_coherent;          /* the memory copy equals the register copy */
    bool mem_allocated;
} TCGTemp;

/*
 * Typed handles, so that an i32 value cannot be passed where an i64 is
 * expected.  They hold the temp's index in the context plus one (0 = none).
 */
typedef struct TCGv_i32 {
    uint32_t n;
} TCGv_i32;
typedef struct TCGv_i64 {
    uint32_t n;
} TCGv_i64;
typedef TCGv_i64 TCGv_ptr;

#define TCGV_NONE_I32 ((TCGv_i32){0})
#define TCGV_NONE_I64 ((TCGv_i64){0})

typedef struct TCGLabel {
    unsigned id;
    bool present;       /* set_label was emitted */
    bool has_value;     /* backend: code address known */
    uintptr_t value;    /* backend: code offset once placed */
    void *relocs;       /* backend: patch sites waiting for the value */
} TCGLabel;

typedef uint64_t TCGArg;

/*
 * A helper call's description.  typemask packs 3 bits per slot: slot 0 is
 * the return value, slot i+1 argument i.  Argument types say how to pass a
 * value; an i32 argument is extended as the C prototype declares it.
 */
enum {
    TCG_CALL_TYPE_VOID = 0,
    TCG_CALL_TYPE_I32 = 1,      /* uint32_t */
    TCG_CALL_TYPE_S32 = 2,      /* int32_t */
    TCG_CALL_TYPE_I64 = 3,
    TCG_CALL_TYPE_PTR = 4,
};
#define TCG_CALL_TYPEMASK(ret, ...) tcg_call_typemask_((ret), (int[]){__VA_ARGS__, -1})

enum {
    TCG_CALL_NO_READ_GLOBALS = 0x1,   /* does not read globals from env */
    TCG_CALL_NO_WRITE_GLOBALS = 0x2,  /* does not write globals in env */
    TCG_CALL_NO_SIDE_EFFECTS = 0x4,   /* may be removed when its result is unused */
    /* A pure function of its arguments: may be folded or removed. */
    TCG_CALL_PURE = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS |
                    TCG_CALL_NO_SIDE_EFFECTS,
    /* Never returns normally (raises an exception with a longjmp). */
    TCG_CALL_NO_RETURN = 0x8,
};

typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    uint32_t flags;
    uint32_t typemask;
    uint8_t nb_args;            /* filled in on first use */
} TCGHelperInfo;

uint32_t tcg_call_typemask_(int ret, const int *args);

/*
 * One IR op.  args[] holds, in order: the output temps, the input temps
 * (both as temp indices into s->temps) and the constant arguments of
 * tcg-opc.h.  A label argument (set_label, br, brcond) is the label's id:
 * use tcg_op_label().  TCGOp.type is the type of the output (of the
 * compared operands for brcond, of the value for ld/st/qemu_ld/qemu_st);
 * so ext_i32_i64 and extu_i32_i64 are I64 ops with an I32 input, and
 * extrl_i64_i32 / extrh_i64_i32 are I32 ops with an I64 input.
 *
 * A call has call_oargs outputs (0 or 1), then call_iargs inputs, then one
 * constant: the const TCGHelperInfo pointer (tcg_op_call_info()); nargs is
 * their total.  tcg/tcg-internal.h has the accessors the passes and the
 * backends share (argument counts, constant arguments, label ids).
 */
typedef struct TCGOp {
    uint16_t opc;               /* TCGOpcode */
    uint8_t type;               /* TCGType of the operation */
    uint8_t nargs;              /* number of used args (call: outputs + inputs + 1) */
    uint8_t call_oargs;         /* call only */
    uint8_t call_iargs;         /* call only */
    uint16_t life;              /* liveness: bit i = arg i dies; bit 8+i = arg i synced */
    /* args: outputs first (temp indices), then inputs, then constants. */
    TCGArg args[TCG_MAX_OP_ARGS];
} TCGOp;

/*
 * Liveness bits in TCGOp.life, filled by the liveness pass just before the
 * backend runs (n is the position in args[], so outputs come first):
 *   DEAD_ARG(n)  the temp in args[n] is not read again before being
 *                redefined (for an input: this op is its last use; for an
 *                output: nothing reads the new value in a register).  The
 *                backend may free its register once the op is done.
 *   SYNC_ARG(n)  output args[n] must also be stored to its memory slot
 *                (env field of a global, spill slot of a TB temp) right
 *                after the op, because something later reads the memory
 *                copy (a BB end, an exit, a helper or a possible fault).
 * Besides these bits, the backend's register allocator follows the same
 * rules the pass assumes (docs/devel/tcg-ir.md, "Liveness"):
 *   - set_label, br: globals and TB temps are stored to memory and
 *     forgotten (registers free); EBB temps are dead.
 *   - brcond: globals and TB temps are stored to memory but may stay in
 *     registers along the fall-through; EBB temps keep their registers.
 *   - exit_tb, goto_tb, goto_ptr: globals are stored; all temps are dead.
 *   - call: unless TCG_CALL_NO_WRITE_GLOBALS, globals are stored and
 *     forgotten (the helper may change them); else unless
 *     TCG_CALL_NO_READ_GLOBALS they are stored but kept.
 *   - qemu_ld/qemu_st (TCG_OPF_GUEST_MEM): globals are stored but kept
 *     (a fault reads them from env).
 * The pass only knows 8 argument positions; no op has more than 8 temps.
 */
#define DEAD_ARG(n) (1u << (n))
#define SYNC_ARG(n) (1u << ((n) + 8))

static inline const TCGHelperInfo *tcg_op_call_info(const TCGOp *op)
{
    return (const TCGHelperInfo *)(uintptr_t)op->args[op->call_oargs + op->call_iargs];
}

/*
 * What tcg/ needs to know about guest memory.  Filled by accel/tcg before
 * the first translation.  The TLB layout is the one accel/tcg/cputlb.c uses:
 * per MMU index, a (mask, table) pair reachable from env; each entry holds
 * comparators for read, write and code, and the host addend.
 *
 * The softmmu fast path, exactly (docs/devel/tcg-ir.md, "Guest memory"):
 *   fast  = env + tlb_fast_offset + mmu_idx * tlb_fast_stride
 *   mask  = *(uintptr_t *)fast, table = *(uintptr_t *)(fast + 8)
 *   entry = table + (((addr >> page_bits) << tlb_entry_bits) & mask)
 *   a     = (1 << memop_alignment_bits(memop)) - 1, s = memop_size(memop) - 1
 *   cmp   = (addr + (s > a ? s - a : 0)) & (~((1 << page_bits) - 1) | a)
 *   hit  iff cmp == 64-bit comparator (addr_read for loads, addr_write
 *        for stores): host = addr + entry->addend.
 * (A misaligned MO_ALIGN access, a page-crossing one, a flagged or absent
 * entry all miss.)  A miss calls slow_ld / slow_st.  slow_ld returns the
 * value in host byte order, zero-extended from the access size; generated
 * code applies MO_SIGN itself.
 *
 * User mode (!softmmu): host = guest_base + addr.  A MO_ALIGN access that
 * is misaligned calls slow_ld / slow_st if they are set (they raise the
 * target's alignment fault), else is done as is.
 */
typedef struct TCGGuestMemConfig {
    bool softmmu;
    uintptr_t guest_base;           /* user mode: host address of guest address 0 */
    int page_bits;                  /* guest page size */
    intptr_t tlb_fast_offset;       /* env-relative offset of CPUTLBFast[0] (mask, table) */
    int tlb_fast_stride;            /* sizeof(CPUTLBFast) */
    int tlb_entry_bits;             /* log2(sizeof(CPUTLBEntry)) */
    int tlb_addr_read_offset;       /* offsets inside an entry */
    int tlb_addr_write_offset;
    int tlb_addend_offset;
    /*
     * Slow paths, called from generated code with the host return address so
     * that a fault can restore the guest state of the faulting instruction.
     */
    uint64_t (*slow_ld)(void *env, uint64_t addr, MemOpIdx oi, uintptr_t retaddr);
    void (*slow_st)(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t retaddr);
} TCGGuestMemConfig;

/*
 * Where tcg_gen_code() reports what the runtime needs about the code it
 * emitted: size, jump slots to patch for chaining, and for each guest
 * instruction the host code offset where it ends plus its restore words.
 * Offsets are from the start of the TB's code.  insn_end_offset and
 * insn_data point into arrays owned by the context, valid until the next
 * tcg_gen_code() / tcg_func_start(): the caller copies them.  The core
 * fills insn_data, nb_insns and code_size and sets both jump offsets of a
 * slot to UINT16_MAX; the backend fills the offsets of each goto_tb it
 * emits and insn_end_offset[i] = the offset just past the code of guest
 * instruction i (its last op).  The instruction of a host return address
 * `ra` inside the TB is the first i with insn_end_offset[i] > ra - 1 - tc_ptr
 * (ra - 1 is inside the call that produced ra).
 */
typedef struct TCGCodeInfo {
    size_t code_size;
    uint16_t jmp_reset_offset[2];   /* where goto_tb n jumps when unchained */
    uint16_t jmp_insn_offset[2];    /* the patchable jump of goto_tb n */
    uint32_t nb_insns;
    uint32_t *insn_end_offset;      /* [nb_insns] */
    uint64_t (*insn_data)[TCG_INSN_START_WORDS];   /* [nb_insns] */
    /*
     * The same two arrays packed by tcg_gen_code() into the code buffer
     * after the code (tcg/restore-data.c); they stay valid as long as the
     * code does.  Read them with tcg_restore_data_find().
     */
    const uint8_t *restore_data;
    size_t restore_size;
} TCGCodeInfo;

/* Pack info's insn_end_offset/insn_data into buf; false if cap bytes are too few. */
bool tcg_restore_data_encode(const TCGCodeInfo *info, uint8_t *buf, size_t cap, size_t *len);
/*
 * The restore words of the instruction whose code contains host offset
 * `off` (the first with an end offset > off), from packed data of nb_insns
 * instructions; false if off is past the last one.
 */
bool tcg_restore_data_find(const uint8_t *data, uint32_t nb_insns, uintptr_t off,
                           uint64_t words[TCG_INSN_START_WORDS]);

typedef struct TCGContext TCGContext;

/*
 * A backend turns the finished op list into executable code.  Backends are
 * listed in tcg/backends.c (one line each).
 */
typedef struct TCGBackend {
    const char *name;
    /*
     * Emit the prologue/epilogue at s->code_ptr (== s->code_buf) and
     * advance s->code_ptr past it; once per context.  Also sets the env
     * temp's host register (s->temps[0].reg).
     */
    bool (*init)(TCGContext *s, Error **errp);
    /*
     * Emit the TB at s->code_ptr (16-byte aligned); return bytes used, -1
     * if past code_gen_highwater, -2 if the TB is too large for the backend
     * (e.g. a jump offset does not fit in 16 bits).  The backend may use
     * s->code_ptr as its emission cursor: tcg_gen_code() sets it afterwards.
     */
    int (*gen_code)(TCGContext *s, TCGCodeInfo *info);
    /* Enter generated code: returns the exit_tb value. */
    uintptr_t (*exec)(TCGContext *s, void *env, const void *code);
    /* Point jump slot `jmp_addr` (a jmp_insn_offset inside a TB) at `target`. */
    void (*set_jmp_target)(uintptr_t jmp_addr, uintptr_t target);
    /* The address exec returns 0 from (goto_ptr to it leaves generated code). */
    const void *(*epilogue_return_zero)(TCGContext *s);
    /* Release what init put in s->backend_state besides the block itself (optional). */
    void (*fini)(TCGContext *s);
} TCGBackend;

extern const TCGBackend tcg_backend_interp;
extern const TCGBackend tcg_backend_x86_64;

/*
 * The interpreter's host "return address" while it calls a helper or a
 * slow path: the bytecode address of the current op + 1, else 0.  GETPC()
 * (exec/cpu.h) prefers it when non-zero.  A helper that longjmps out
 * leaves it set until the interpreter is entered again (which clears it).
 */
extern __thread uintptr_t tcg_interp_retaddr;

/* The work arrays a TCGContext keeps for its passes (tcg_pass_buf). */
enum {
    TCG_PASS_BUF_OPT_TEMPS,
    TCG_PASS_BUF_OPT_TOUCHED,
    TCG_PASS_BUF_LA_REMOVED,
    TCG_PASS_BUF_LA_TB_TEMPS,
    TCG_PASS_BUF_LA_STATE,
    TCG_PASS_BUF_RA_CVAL,
    TCG_PASS_BUF_RA_ACTIVE,
    TCG_PASS_BUF_COUNT
};

struct TCGContext {
    /* Temps: globals first (index 0 is env), then per-TB temps. */
    TCGTemp *temps;
    unsigned nb_temps, nb_globals, temps_cap;
    /* Ops of the TB being built. */
    TCGOp *ops;
    unsigned nb_ops, ops_cap;
    /*
     * The optimizer's output buffer, swapped with `ops` after each pass:
     * both keep their capacity from TB to TB, so translating does not
     * allocate (and, past malloc's mmap threshold, fault in) op arrays.
     */
    TCGOp *ops_spare;
    unsigned ops_spare_cap;
    TCGLabel *labels;
    unsigned nb_labels, labels_cap;
    unsigned nb_insns;              /* insn_start ops emitted */

    const TCGBackend *backend;
    const TCGGuestMemConfig *mem;

    /* Code buffer (RWX mapping), owned by the context. */
    uint8_t *code_buf;
    size_t code_buf_size;
    uint8_t *code_ptr;              /* where the next TB goes */
    uint8_t *code_gen_highwater;    /* past it, the buffer is considered full */
    uint8_t *prologue_end;
    void *backend_state;            /* backend-private (prologue addresses, ...) */

    /* Host CPU features, probed once (cpuid). */
    bool have_lzcnt, have_tzcnt, have_popcnt, have_bmi1, have_bmi2, have_movbe;

    uint32_t log_flags;             /* LOG_OP, LOG_OP_OPT, LOG_OUT_ASM for this TB */
    /*
     * Work arrays of the passes (optimizer, liveness, register allocator),
     * kept from TB to TB: see tcg_pass_buf().  A TB of a few guest
     * instructions costs microseconds, and a malloc/free pair per array
     * per TB was a tenth of that.
     */
    struct {
        void *ptr;
        size_t size;
    } pass_buf[TCG_PASS_BUF_COUNT];
    /* The optimizer's entries for the globals are in their initial state. */
    bool opt_globals_clean;

    /*
     * Populate the code buffer ahead of code_ptr on a background thread
     * (util/prefault.h); only for processes that do not fork.
     */
    bool prefault;
    /* Skip the optimizer in tcg_gen_code() (tests; liveness still runs). */
    bool no_optimize;
    /* The TB ran out of labels: tcg_gen_code() returns -2. */
    bool tb_overflow;
    /* Constants of the current TB, interned: (type, value) -> temp index + 1. */
    void *const_table;
    /* Per-label reference count (branches to it), for dead label removal. */
    unsigned *label_refs;
    /* Restore data of the TB being generated (see TCGCodeInfo). */
    uint32_t *insn_end_buf;
    uint64_t (*insn_data_buf)[TCG_INSN_START_WORDS];
    unsigned insn_buf_cap;
};

/* Create a context with a code buffer of `code_size` bytes (0: default). */
TCGContext *tcg_context_new(const TCGBackend *backend, size_t code_size, Error **errp);
void tcg_context_free(TCGContext *s);
/* Select a backend by name ("x86_64", "interp"); NULL if unknown. */
const TCGBackend *tcg_backend_by_name(const char *name);
/* The default backend for this host: x86_64 when built in, else interp. */
const TCGBackend *tcg_backend_default(void);
/* The i-th registered backend (tests iterate over them); NULL past the end. */
const TCGBackend *tcg_backend_nth(unsigned i);

/*
 * Globals are registered once per context, before the first TB, and in the
 * same order in every context so that their handles are the same.
 */
TCGv_i32 tcg_global_mem_new_i32(TCGContext *s, intptr_t env_offset, const char *name);
TCGv_i64 tcg_global_mem_new_i64(TCGContext *s, intptr_t env_offset, const char *name);
static inline TCGv_ptr tcg_env(void)
{
    return (TCGv_ptr){TCG_ENV_TEMP_INDEX + 1};
}

/* Start a new TB: drops the previous TB's temps, ops and labels. */
void tcg_func_start(TCGContext *s);
/*
 * Optimize, run liveness and emit code for the current op list at
 * s->code_ptr.  Returns the code size, -1 if the code buffer is full (the
 * caller flushes and retries), or -2 if the TB is too large for the backend
 * (the caller retries with fewer instructions).  On success the TB's code
 * starts at the value s->code_ptr had before the call, and s->code_ptr has
 * been advanced past it (rounded up to 16 bytes); on failure it is
 * unchanged.
 */
int tcg_gen_code(TCGContext *s, TCGCodeInfo *info);
/* The passes tcg_gen_code() runs, exposed for tests. */
void tcg_optimize(TCGContext *s);
void tcg_liveness(TCGContext *s);
/* Print the op list (for -d op / op_opt). */
void tcg_dump_ops(TCGContext *s, FILE *out, const char *title);

/*
 * The context the op emitters (tcg-op.h) and the temp/label constructors
 * below work on: one per translating thread, set by accel/tcg around a
 * translation.  Translators read better without a context argument on
 * every emitted op.
 */
extern __thread TCGContext *tcg_ctx;

/* Temps and labels of the current TB (in tcg_ctx). */
TCGv_i32 tcg_temp_new_i32(void);
TCGv_i64 tcg_temp_new_i64(void);
TCGv_i32 tcg_temp_new_tb_i32(void);
TCGv_i64 tcg_temp_new_tb_i64(void);
TCGv_i32 tcg_constant_i32(int32_t val);
TCGv_i64 tcg_constant_i64(int64_t val);
TCGLabel *gen_new_label(void);

static inline TCGTemp *tcg_temp(TCGContext *s, unsigned idx)
{
    return &s->temps[idx];
}
static inline TCGLabel *tcg_op_label(TCGContext *s, TCGArg arg)
{
    return &s->labels[arg];
}
static inline unsigned tcgv_i32_idx(TCGv_i32 v)
{
    return v.n - 1;
}
static inline unsigned tcgv_i64_idx(TCGv_i64 v)
{
    return v.n - 1;
}

/* Host code address helpers for the runtime. */
bool tcg_code_buffer_full(TCGContext *s);
/* Forget every TB (the caller has already dropped references to them). */
void tcg_code_buffer_reset(TCGContext *s);

#endif
