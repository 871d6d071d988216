/*
 * What the files of the x86-64 backend share: the per-TB code generation
 * state (X64Gen), the register constraints an op's lowering declares
 * (X64OpCt) and the host registers the allocator hands it (X64Args), and
 * the frame layout the prologue sets up.
 *
 *   backend.c   TCGBackend: prologue/epilogue, the op loop, labels, exits
 *   regalloc.c  the register allocator (temps <-> host registers, spills)
 *   lower.c     per-op constraints and host code for arithmetic ops
 *   guestmem.c  qemu_ld/qemu_st: softmmu TLB fast path, user mode, stubs
 *   emit.c      the instruction encoder
 *
 * Host register roles (System V AMD64 ABI): rbp holds env (callee-saved,
 * and [rbp + disp8] reaches the fields below env in short form), rsp the
 * frame, r11 is a scratch the lowering may use between two instructions
 * (never holds a temp), r15 holds guest_base in user mode when it does not
 * fit a 32-bit displacement.  The rest are allocated.
 */
#ifndef MORPH_TCG_X86_64_X64_INTERNAL_H
#define MORPH_TCG_X86_64_X64_INTERNAL_H

#include <glib.h>

#include "tcg/tcg.h"
#include "emit.h"

#define X64_REG_ENV        X64_RBP
#define X64_REG_TMP        X64_R11
#define X64_REG_GUEST_BASE X64_R15

#define X64_BIT(r)   ((uint16_t)(1u << (r)))
#define X64_ALL_REGS 0xffffu
/* Registers a call may clobber (SysV): rax rcx rdx rsi rdi r8-r11. */
#define X64_CALL_CLOBBER                                                                           \
    (X64_BIT(X64_RAX) | X64_BIT(X64_RCX) | X64_BIT(X64_RDX) | X64_BIT(X64_RSI) |                   \
     X64_BIT(X64_RDI) | X64_BIT(X64_R8) | X64_BIT(X64_R9) | X64_BIT(X64_R10) | X64_BIT(X64_R11))

/*
 * The frame below the pushed callee-saved registers:
 *   [rsp + 0, 16)                 outgoing stack arguments of helper calls
 *   [rsp + 16, 16 + 16*8)         slow-path register save area, by register
 *   [rsp + X64_SPILL_BASE, ...)   spill slots, 8 bytes each
 * The total keeps rsp 16-byte aligned at calls: 8 (return address) + 6
 * pushes * 8 + X64_FRAME_SIZE is a multiple of 16.
 */
#define X64_STACK_ARGS_OFS 0
#define X64_SAVE_AREA_OFS  16
#define X64_SPILL_BASE     (X64_SAVE_AREA_OFS + 16 * 8)
#define X64_SPILL_SLOTS    512
#define X64_FRAME_SIZE     (X64_SPILL_BASE + X64_SPILL_SLOTS * 8 + 8)

/* Constant forms an input accepts instead of a register. */
enum {
    X64_CT_S32 = 1, /* fits the op's immediate (any i32; i64: sign-extended 32) */
    X64_CT_ANY = 2, /* any constant (the lowering copes) */
};

typedef struct X64ArgCt {
    uint16_t regs; /* allowed registers */
    uint8_t cst;   /* X64_CT_* */
    int8_t alias;  /* output: the input index sharing its register; else -1 */
    bool newreg;   /* output: no input's register */
    bool aliased;  /* input: an output shares its register */
} X64ArgCt;

typedef struct X64OpCt {
    X64ArgCt out[2];
    X64ArgCt in[6];
    uint16_t clobber;   /* registers the lowering destroys */
    uint8_t nb_scratch; /* extra registers the lowering needs (X64Args.scratch) */
} X64OpCt;

/* Where the allocator put an op's arguments (index as in TCGOp.args). */
typedef struct X64Args {
    X64Reg reg[8];
    bool is_const[8];
    int64_t val[8];
    X64Reg scratch[2];
} X64Args;

/* Per-context backend state (TCGContext.backend_state). */
typedef struct X64State {
    uint8_t *prologue;
    uint8_t *epilogue;    /* exit_tb with the value in rax jumps here */
    uint8_t *return_zero; /* xor eax, eax; then the epilogue */
    uintptr_t guest_base; /* loaded into r15 by the prologue */
    bool ct_ready;
    X64OpCt ct[NB_OPS]; /* per-op constraints for this context's host features */
    /* X64Gen's arrays, emptied for each TB rather than allocated per TB. */
    GArray *relocs, *slow, *free_slots;
} X64State;

/* A rel32 waiting for a label's address. */
typedef struct X64Reloc {
    unsigned label;
    uint8_t *at;
} X64Reloc;

/* A guest memory access's out-of-line slow path, emitted after the TB body. */
typedef struct X64SlowPath {
    uint8_t *jcc_at; /* the rel32 of the jump to the stub */
    uint8_t *resume; /* where the stub returns (also the retaddr it passes) */
    bool is_ld;
    TCGType type;
    MemOpIdx oi;
    X64Reg addr;
    X64Reg data;   /* loaded value (ld) or value to store (st) */
    uint16_t save; /* caller-saved registers holding live temps */
} X64SlowPath;

typedef struct X64Gen {
    TCGContext *s;
    X64State *st;
    X64Emit e;
    TCGCodeInfo *info;
    TCGTemp *reg_temp[X64_NB_REGS]; /* the temp each host register holds */
    uint16_t reserved;              /* never allocated */
    int64_t *cval;                  /* value of a temp in TEMP_VAL_CONST state */
    /*
     * Bit per temp: a global or TB temp that may be held somewhere other
     * than its memory home (a register, a lazy constant).  A superset, cleaned
     * as it is walked, so that syncing the globals at every guest memory
     * access costs the few that moved, not all of them.
     */
    uint64_t *active;
    unsigned nb_slots;              /* spill slots handed out */
    GArray *free_slots;             /* slots of dead EBB temps, for reuse */
    GArray *relocs;
    GArray *slow;
    int cur_insn;
    size_t jmp_insn[2], jmp_reset[2]; /* goto_tb n: offsets for TCGCodeInfo */
    bool too_large;
} X64Gen;

static inline unsigned x64_temp_idx(X64Gen *g, TCGTemp *ts)
{
    return (unsigned)(ts - g->s->temps);
}

static inline TCGTemp *x64_arg_temp(X64Gen *g, const TCGOp *op, unsigned i)
{
    return &g->s->temps[op->args[i]];
}

static inline bool x64_is_w(TCGType type)
{
    return type == TCG_TYPE_I64;
}

/* regalloc.c */
void x64ra_start(X64Gen *g);
bool x64ra_const_value(X64Gen *g, TCGTemp *ts, int64_t *val);
void x64ra_op(X64Gen *g, const TCGOp *op);
void x64ra_mov(X64Gen *g, const TCGOp *op);
void x64ra_discard(X64Gen *g, TCGTemp *ts);
void x64ra_call(X64Gen *g, const TCGOp *op);
/* Store globals and TB temps, forget every register (set_label, br). */
void x64ra_bb_end(X64Gen *g);
/* Store globals, keep them (brcond stores TB temps too). */
void x64ra_sync_globals(X64Gen *g, bool tb_temps);
/* Store globals; the TB ends (exit_tb, goto_tb, goto_ptr). */
void x64ra_exit(X64Gen *g);
/* The caller-saved registers that hold a temp now. */
uint16_t x64ra_live_caller_saved(X64Gen *g);

/* lower.c */
/* The constraints of an op for this context's host features. */
const X64OpCt *x64lower_constraints(X64Gen *g, const TCGOp *op);
void x64lower_emit(X64Gen *g, const TCGOp *op, const X64Args *a);
/* Compare a with b (register or constant) for cond; return the x86 condition. */
X64Cond x64lower_compare(X64Gen *g, bool w, TCGCond cond, X64Reg a, bool b_const, int64_t b_val,
                         X64Reg b);
/* reg = imm, shortest form, flags untouched. */
void x64lower_movi(X64Gen *g, TCGType type, X64Reg reg, int64_t val);

/* guestmem.c */
void x64mem_emit(X64Gen *g, const TCGOp *op, const X64Args *a);
/* Emit the slow-path stubs; false if the code buffer ran out. */
bool x64mem_emit_stubs(X64Gen *g);

/* backend.c */
/* Emit a jump to label `id` (jcc when cc >= 0, else jmp). */
void x64be_jump_label(X64Gen *g, int cc, unsigned id);

#endif
