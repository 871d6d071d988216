/*
 * What the exec loop does for a debugger (include/exec/cpu-exec.h,
 * "Debugging"): breakpoints the translator honours, watchpoints checked on
 * every guest access, and single-stepping.  The debugger (the gdbstub)
 * owns the lists and answers through TCGDebugOps; this file turns its
 * answers into EXCP_DEBUG at the right guest instruction.
 *
 * Breakpoints cost nothing at run time: an instruction at a breakpoint is
 * never part of a TB, and a TB that starts at one is a call to a helper
 * that leaves with EXCP_DEBUG before the instruction runs.
 *
 * Watchpoints: in user mode translated code reaches guest memory directly
 * (guest_base + addr), so there is no slow path to hook.  While a
 * debugger watches, every TB is translated with a helper call before each
 * of its guest accesses, which asks the debugger.  On a hit the guest
 * state is taken back to the start of the instruction and that instruction
 * runs again in a TB of its own; its access hits again, now lets the
 * access happen and requests CPU_INTERRUPT_DEBUG, so cpu_exec() returns
 * EXCP_DEBUG right after the instruction, as GDB expects of a watchpoint
 * on a target where they are continuable (the write is done when GDB
 * reads the new value).  In system mode the same instrumentation works on
 * virtual addresses; the TLB watchpoint flag can replace it later.
 */
#include <glib.h>
#include "internal.h"
#include "tcg/tcg-op.h"

static const TCGDebugOps *tcg_debug_ops;
bool tcg_debug_watching;

static const TCGDebugOps *tcg_debug_get_ops(void)
{
    return __atomic_load_n(&tcg_debug_ops, __ATOMIC_ACQUIRE);
}

void tcg_debug_set_ops(const TCGDebugOps *ops)
{
    __atomic_store_n(&tcg_debug_ops, ops, __ATOMIC_RELEASE);
}

void tcg_debug_set_watching(bool on)
{
    if (__atomic_load_n(&tcg_debug_watching, __ATOMIC_ACQUIRE) == on) {
        return;
    }
    __atomic_store_n(&tcg_debug_watching, on, __ATOMIC_RELEASE);
    /* TBs are instrumented or not when translated: start afresh. */
    tb_flush(current_cpu);
}

void cpu_single_step(CPUState *cs, int flags)
{
    cs->singlestep_enabled = flags;
    if (cs->accel) {
        cs->accel->sstep_done = false;
        cs->accel->watch_replay = false;
    }
}

/* ---- breakpoints */

static void helper_debug_breakpoint(void *env)
{
    CPUState *cs = accel_env_cpu(env);

    cs->exception_index = EXCP_DEBUG;
    /* Restores the pc of the breakpoint's instruction from its insn_start. */
    cpu_loop_exit_restore(cs, GETPC());
}

static const TCGHelperInfo helper_info_debug_breakpoint = {
    .func = (void *)helper_debug_breakpoint,
    .name = "debug_breakpoint",
    .flags = TCG_CALL_NO_RETURN,
    .typemask = TCG_CALL_TYPE_VOID | (TCG_CALL_TYPE_PTR << 3),
    .nb_args = 1,
};

bool tcg_debug_check_breakpoint(DisasContextBase *db, CPUState *cs, const TranslatorOps *ops)
{
    const TCGDebugOps *d = tcg_debug_get_ops();

    if (!d || !d->breakpoint || !d->breakpoint(cs, db->pc_next)) {
        return false;
    }
    if (db->num_insns > 0) {
        /* The next TB starts at the breakpoint. */
        db->is_jmp = DISAS_TOO_MANY;
        return true;
    }
    /*
     * Fetch a byte so that the TB is on its page's list: removing the
     * breakpoint must find and drop it.  (A page that cannot be executed
     * raises its fault here, as the instruction itself would.)
     */
    translator_ldub(cs, db, db->pc_next);
    db->num_insns++;
    if (ops->insn_start) {
        ops->insn_start(db, cs);
    }
    tcg_gen_callN(&helper_info_debug_breakpoint, -1, tcg_arg_i64(tcg_env()));
    /* A TB of one byte: never empty, so page invalidation sees it. */
    db->pc_next++;
    db->is_jmp = DISAS_NORETURN;
    return true;
}

/* ---- watchpoints */

void tcg_debug_check_access(CPUState *cs, vaddr addr, unsigned len, MMUAccessType type,
                            uintptr_t ra)
{
    const TCGDebugOps *d;

    if (!__atomic_load_n(&tcg_debug_watching, __ATOMIC_ACQUIRE)) {
        return;
    }
    d = tcg_debug_get_ops();
    if (!d || !d->watchpoint || !d->watchpoint(cs, addr, len, type)) {
        return;
    }
    if (cs->accel->watch_replay || !ra) {
        /*
         * The instruction runs alone now (or this is no guest instruction's
         * access): let the access happen and stop after the instruction.
         * The replay ends when the exec loop takes the interrupt.
         */
        cpu_interrupt(cs, CPU_INTERRUPT_DEBUG);
        return;
    }
    /* Back to the instruction's start, then run it in a TB of its own. */
    cpu_restore_state(cs, ra);
    cs->accel->watch_replay = true;
    cs->accel->cflags_next_tb = (curr_cflags(cs) & ~CF_COUNT_MASK) | CF_NOIRQ | 1;
    cpu_loop_exit_noexc(cs);
}

static void helper_debug_watch(void *env, uint64_t addr, uint32_t oi, uint32_t type)
{
    tcg_debug_check_access(accel_env_cpu(env), addr, memop_size(get_memop(oi)), (MMUAccessType)type,
                           GETPC());
}

static const TCGHelperInfo helper_info_debug_watch = {
    .func = (void *)helper_debug_watch,
    .name = "debug_watch",
    /* Reads the guest state only to restore it (globals are stored first). */
    .flags = TCG_CALL_NO_WRITE_GLOBALS,
    .typemask = TCG_CALL_TYPE_VOID | (TCG_CALL_TYPE_PTR << 3) | (TCG_CALL_TYPE_I64 << 6) |
                (TCG_CALL_TYPE_I32 << 9) | (TCG_CALL_TYPE_I32 << 12),
    .nb_args = 4,
};

/*
 * Put a call to helper_debug_watch before each guest access among the ops
 * from first_op on.  tcg_gen_call appends the call; it is then rotated
 * into place, in front of the access whose address temp it reads.
 */
void tcg_debug_instrument_insn(unsigned first_op)
{
    TCGContext *s = tcg_ctx;

    if (!__atomic_load_n(&tcg_debug_watching, __ATOMIC_ACQUIRE)) {
        return;
    }
    for (unsigned i = first_op; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        bool is_store = op->opc == INDEX_op_qemu_st;
        TCGCallArg addr;
        uint32_t oi;
        TCGOp call;

        if (op->opc != INDEX_op_qemu_ld && !is_store) {
            continue;
        }
        /* qemu_ld: args = val (out), addr, oi; qemu_st: val, addr, oi. */
        addr.idx = (unsigned)op->args[1];
        oi = (uint32_t)op->args[2];
        tcg_gen_callN(&helper_info_debug_watch, -1, tcg_arg_i64(tcg_env()), addr,
                      tcg_arg_i32(tcg_constant_i32((int32_t)oi)),
                      tcg_arg_i32(tcg_constant_i32(is_store ? MMU_DATA_STORE : MMU_DATA_LOAD)));
        call = s->ops[s->nb_ops - 1];
        memmove(&s->ops[i + 1], &s->ops[i], (s->nb_ops - 1 - i) * sizeof(TCGOp));
        s->ops[i] = call;
        i++;
    }
}
