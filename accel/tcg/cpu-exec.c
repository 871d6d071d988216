/*
 * The execution loop: a vCPU looks up (or translates) the TB for its
 * current state, chains it to the TB it just left, runs it, and between
 * TBs delivers exceptions and interrupts and honours exit requests.  Also
 * the vCPU list, exclusive sections, cpu_exit/cpu_interrupt and the exits
 * helpers take out of generated code (cpu_loop_exit*, a siglongjmp back
 * into cpu_exec).
 *
 * An exit request (neg->exit_request, set from any thread) is checked by
 * every TB on entry (translator_loop emits the test), so a guest spinning
 * in chained code still comes back here; the TB then returns itself with
 * TB_EXIT_REQUESTED and its pc has to be re-synchronised.
 */
#include <inttypes.h>
#include <pthread.h>
#include <glib.h>
#include "internal.h"
#include "exec/cputlb.h"
#include "util/log.h"

__thread CPUState *current_cpu;

/* ---- the vCPU list */

static pthread_mutex_t cpu_list_mutex = PTHREAD_MUTEX_INITIALIZER;
static GPtrArray *cpu_list;
static unsigned cpu_count;

void cpu_list_foreach(void (*fn)(CPUState *cs, void *opaque), void *opaque)
{
    pthread_mutex_lock(&cpu_list_mutex);
    if (cpu_list) {
        for (unsigned i = 0; i < cpu_list->len; i++) {
            fn(g_ptr_array_index(cpu_list, i), opaque);
        }
    }
    pthread_mutex_unlock(&cpu_list_mutex);
}

unsigned cpu_list_count(void)
{
    return __atomic_load_n(&cpu_count, __ATOMIC_RELAXED);
}

void tcg_cpu_init(CPUState *cs)
{
    g_assert(tcg_accel.ctx);
    g_assert(cs->ops && cs->env_ptr && cs->neg);
    /* Generated code finds neg at a fixed negative offset from env. */
    g_assert((char *)(cs->neg + 1) == (char *)cs->env_ptr);

    cs->accel = g_new0(AccelCPUState, 1);
    cs->accel->cflags_next_tb = CF_NONE_NEXT;
    cs->tb_jmp_cache = g_new0(TranslationBlock *, TB_JMP_CACHE_SIZE);
    cs->tcg_ctx = tcg_accel.ctx;
    cs->exception_index = EXCP_NONE;
    if (tcg_accel.softmmu) {
        cputlb_cpu_init(cs);
    }

    pthread_mutex_lock(&cpu_list_mutex);
    if (!cpu_list) {
        cpu_list = g_ptr_array_new();
    }
    g_ptr_array_add(cpu_list, cs);
    __atomic_store_n(&cpu_count, cpu_list->len, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&cpu_list_mutex);
    cs->created = true;
}

void tcg_cpu_destroy(CPUState *cs)
{
    if (!cs->accel) {
        return;
    }
    pthread_mutex_lock(&cpu_list_mutex);
    g_ptr_array_remove(cpu_list, cs);
    __atomic_store_n(&cpu_count, cpu_list->len, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&cpu_list_mutex);

    if (cs->tlb) {
        cputlb_cpu_destroy(cs);
    }
    g_free(cs->tb_jmp_cache);
    cs->tb_jmp_cache = NULL;
    g_free(cs->accel);
    cs->accel = NULL;
    cs->created = false;
}

CPUState *tcg_cpu_create(const TargetOps *ops, int cpu_index)
{
    char *obj;
    CPUState *cs;

    g_assert(ops->cpu_size >= ops->env_offset &&
             ops->env_offset >= sizeof(CPUState) + sizeof(CPUNegativeOffsetState));
    obj = g_malloc0(ops->cpu_size);
    cs = (CPUState *)obj;
    cs->ops = ops;
    cs->cpu_index = cpu_index;
    cs->env_ptr = obj + ops->env_offset;
    cs->neg = (CPUNegativeOffsetState *)cs->env_ptr - 1;
    tcg_cpu_init(cs);
    return cs;
}

void tcg_cpu_free(CPUState *cs)
{
    tcg_cpu_destroy(cs);
    g_free(cs);
}

/* ---- exclusive sections */

static pthread_mutex_t excl_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t excl_idle = PTHREAD_COND_INITIALIZER;   /* running_cpus fell to 0 */
static pthread_cond_t excl_resume = PTHREAD_COND_INITIALIZER; /* no section pending */
static int running_cpus;
static bool excl_pending;
static __thread bool excl_owner;
/* The vCPU that counted itself out to own the section, to count back in. */
static __thread CPUState *excl_owner_cpu;

bool exclusive_held(void)
{
    return excl_owner;
}

static void cpu_exec_start(CPUState *cs)
{
    pthread_mutex_lock(&excl_mutex);
    while (excl_pending) {
        pthread_cond_wait(&excl_resume, &excl_mutex);
    }
    running_cpus++;
    cs->accel->running = true;
    pthread_mutex_unlock(&excl_mutex);
}

static void cpu_exec_end(CPUState *cs)
{
    pthread_mutex_lock(&excl_mutex);
    running_cpus--;
    cs->accel->running = false;
    if (excl_pending && running_cpus == 0) {
        pthread_cond_broadcast(&excl_idle);
    }
    pthread_mutex_unlock(&excl_mutex);
}

static void cpu_exit_if_running(CPUState *cs, void *opaque)
{
    if (cs->accel->running) {
        cpu_exit(cs);
    }
}

void start_exclusive(void)
{
    CPUState *self = current_cpu;

    g_assert(!excl_owner && !tb_lock_held());
    pthread_mutex_lock(&excl_mutex);
    /*
     * A vCPU asking from inside cpu_exec() counts itself out first: two
     * vCPUs asking at once would otherwise each wait for the other.
     */
    excl_owner_cpu = self && self->accel && self->accel->running ? self : NULL;
    if (excl_owner_cpu) {
        self->accel->running = false;
        if (--running_cpus == 0) {
            pthread_cond_broadcast(&excl_idle);
        }
    }
    while (excl_pending) {
        pthread_cond_wait(&excl_resume, &excl_mutex);
    }
    excl_pending = true;
    cpu_list_foreach(cpu_exit_if_running, NULL);
    while (running_cpus > 0) {
        pthread_cond_wait(&excl_idle, &excl_mutex);
    }
    excl_owner = true;
    pthread_mutex_unlock(&excl_mutex);
}

void end_exclusive(void)
{
    g_assert(excl_owner);
    pthread_mutex_lock(&excl_mutex);
    excl_owner = false;
    excl_pending = false;
    if (excl_owner_cpu) {
        /* Back to where it was, even if another section is about to start. */
        running_cpus++;
        excl_owner_cpu->accel->running = true;
        excl_owner_cpu = NULL;
    }
    pthread_cond_broadcast(&excl_resume);
    pthread_mutex_unlock(&excl_mutex);
}

/* ---- requests from other threads */

void cpu_exit(CPUState *cs)
{
    __atomic_store_n(&cs->neg->exit_request, 1, __ATOMIC_SEQ_CST);
}

void cpu_interrupt(CPUState *cs, int mask)
{
    __atomic_fetch_or(&cs->interrupt_request, mask, __ATOMIC_SEQ_CST);
    cpu_exit(cs);
}

void cpu_reset_interrupt(CPUState *cs, int mask)
{
    __atomic_fetch_and(&cs->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

/* ---- leaving generated code from a helper */

void cpu_loop_exit(CPUState *cs)
{
    siglongjmp(cs->jmp_env, 1);
}

void cpu_loop_exit_restore(CPUState *cs, uintptr_t retaddr)
{
    if (retaddr) {
        cpu_restore_state(cs, retaddr);
    }
    cpu_loop_exit(cs);
}

void cpu_loop_exit_noexc(CPUState *cs)
{
    cs->exception_index = EXCP_NONE;
    cpu_loop_exit(cs);
}

void cpu_loop_exit_atomic(CPUState *cs, uintptr_t retaddr)
{
    if (retaddr) {
        cpu_restore_state(cs, retaddr);
    }
    cs->exception_index = EXCP_ATOMIC;
    cpu_loop_exit(cs);
}

/* The landing pad of cpu_loop_exit: undo what a half-done translation held. */
static void cpu_exec_longjmp_cleanup(CPUState *cs)
{
    tb_gen_abort_cleanup();
    tb_lock_reset();
    /* A helper left the interpreter by longjmp: its GETPC() stand-in is stale. */
    tcg_interp_retaddr = 0;
    current_cpu = cs;
}

/* ---- finding TBs */

uint32_t curr_cflags(CPUState *cs)
{
    uint32_t cflags = cpu_list_count() > 1 ? CF_PARALLEL : 0;

    if (cs->singlestep_enabled) {
        cflags |= CF_NO_GOTO_TB | CF_NO_GOTO_PTR | CF_SINGLE_STEP | 1;
    } else if (__atomic_load_n(&tcg_accel.one_insn_per_tb, __ATOMIC_RELAXED)) {
        cflags |= CF_NO_GOTO_TB | 1;
    } else if (log_enabled(LOG_NOCHAIN)) {
        /* Every TB back to the loop, so that -d exec traces them all. */
        cflags |= CF_NO_GOTO_TB | CF_NO_GOTO_PTR;
    }
    return cflags;
}

/*
 * The TB for this key: the vCPU's jump cache, then the hash table, then
 * (if `translate`) a new translation.  Without `translate`, NULL also when
 * the code page is not mapped; with it, a fetch fault longjmps.
 */
static TranslationBlock *tb_find(CPUState *cs, vaddr pc, uint64_t cs_base, uint32_t flags,
                                 uint32_t cflags, bool translate)
{
    unsigned h = tb_jmp_cache_hash(pc);
    TranslationBlock *tb = __atomic_load_n(&cs->tb_jmp_cache[h], __ATOMIC_ACQUIRE);
    uint64_t phys_pc = pc;
    bool global = false;

    if (tb && tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags &&
        tb->cflags == cflags && !__atomic_load_n(&tb->invalid, __ATOMIC_ACQUIRE)) {
        return tb;
    }
    if (tcg_accel.softmmu) {
        void *host;

        if (!cputlb_code_page(cs, pc, !translate, &phys_pc, &host, &global)) {
            return NULL;
        }
        phys_pc |= pc & ~tcg_accel.page_mask;
    }
    tb_lock();
    tb = tb_htable_lookup(cs, pc, phys_pc, cs_base, flags, cflags);
    if (!tb && translate) {
        tb = tb_gen_code(cs, pc, cs_base, flags, cflags, phys_pc);
    }
    tb_unlock();
    if (tb) {
        tb_jmp_cache_note_page(cs, pc);
        __atomic_store_n(&cs->tb_jmp_cache[h], tb, __ATOMIC_RELEASE);
        /* A TB on two pages counts as local: only its first page's mapping was looked at. */
        if (tcg_accel.softmmu && (!global || tb->page_addr[1] != (uint64_t)-1)) {
            AccelCPUState *a = cs->accel;

            if (a->nb_jmp_local < TB_JMP_LOCAL_MAX) {
                a->jmp_local[a->nb_jmp_local] = h;
            }
            if (a->nb_jmp_local <= TB_JMP_LOCAL_MAX) {
                a->nb_jmp_local++;
            }
        }
    }
    return tb;
}

const void *helper_lookup_tb_ptr(void *env)
{
    CPUState *cs = accel_env_cpu(env);
    TranslationBlock *tb = NULL;
    vaddr pc;
    uint64_t cs_base;
    uint32_t flags;

    /* The exec loop must see a forced cflags (and -d nochain); else stay in generated code. */
    if (cs->accel->cflags_next_tb == CF_NONE_NEXT && !log_enabled(LOG_NOCHAIN)) {
        cs->ops->get_tb_cpu_state(cs, &pc, &cs_base, &flags);
        tb = tb_find(cs, pc, cs_base, flags, curr_cflags(cs), false);
    }
    if (!tb) {
        return tcg_accel.ctx->backend->epilogue_return_zero(tcg_accel.ctx);
    }
    return tb->tc_ptr;
}

const TCGHelperInfo helper_info_lookup_tb_ptr = {
    .func = (void *)helper_lookup_tb_ptr,
    .name = "lookup_tb_ptr",
    /* Reads the pc (and mode) globals, writes none, and is pure otherwise. */
    .flags = TCG_CALL_NO_WRITE_GLOBALS | TCG_CALL_NO_SIDE_EFFECTS,
    .typemask = TCG_CALL_TYPE_PTR | (TCG_CALL_TYPE_PTR << 3),
    .nb_args = 1,
};

/* ---- the loop */

static bool cpu_handle_exception(CPUState *cs, int *ret)
{
    if (cs->exception_index < 0) {
        return false;
    }
    if (cs->exception_index >= EXCP_INTERRUPT || !tcg_accel.softmmu) {
        /* For the caller: exit reasons, and every guest exception in user mode. */
        *ret = cs->exception_index;
        cs->exception_index = EXCP_NONE;
        return true;
    }
    if (log_enabled(LOG_INT)) {
        log_printf("exception %d on cpu %d\n", cs->exception_index, cs->cpu_index);
    }
    cs->ops->do_interrupt(cs);
    cs->exception_index = EXCP_NONE;
    return false;
}

/* True to leave the inner loop (cs->exception_index says why). */
static bool cpu_handle_interrupt(CPUState *cs, TranslationBlock **last_tb)
{
    int req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    if (cs->singlestep_enabled & SSTEP_NOIRQ) {
        /* A debugger's step does not wander into an interrupt handler. */
        req &= ~CPU_INTERRUPT_HARD;
    }
    if (req) {
        if (req & CPU_INTERRUPT_DEBUG) {
            cpu_reset_interrupt(cs, CPU_INTERRUPT_DEBUG);
            cs->accel->watch_replay = false;
            cs->exception_index = EXCP_DEBUG;
            return true;
        }
        if (req & CPU_INTERRUPT_HALT) {
            cpu_reset_interrupt(cs, CPU_INTERRUPT_HALT);
            cs->halted = true;
            cs->exception_index = EXCP_HLT;
            return true;
        }
        if (cs->ops->exec_interrupt && cs->ops->exec_interrupt(cs, req)) {
            /* Taken: pc and mode changed behind the last TB, do not chain from it. */
            cs->exception_index = EXCP_NONE;
            *last_tb = NULL;
        }
        if (__atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE) & CPU_INTERRUPT_EXITTB) {
            cpu_reset_interrupt(cs, CPU_INTERRUPT_EXITTB);
            *last_tb = NULL;
        }
    }
    if (__atomic_load_n(&cs->neg->exit_request, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&cs->neg->exit_request, 0, __ATOMIC_SEQ_CST);
        if (cs->exception_index == EXCP_NONE) {
            cs->exception_index = EXCP_INTERRUPT;
        }
        return true;
    }
    return false;
}

/* Run one TB (and whatever it chains to); report where generated code was left. */
static void cpu_loop_exec_tb(CPUState *cs, TranslationBlock *tb, TranslationBlock **last_tb,
                             int *slot)
{
    TCGContext *s = tcg_accel.ctx;
    uintptr_t ret;
    TranslationBlock *last;

    if (log_enabled(LOG_EXEC)) {
        log_printf("Trace %d: %p [%016" PRIx64 "/%08" PRIx32 "/%08" PRIx32 "]\n", cs->cpu_index,
                   tb->tc_ptr, tb->pc, tb->flags, tb->cflags);
    }
    ret = s->backend->exec(s, cs->env_ptr, tb->tc_ptr);
    cs->tb_exec_count++;

    last = (TranslationBlock *)(ret & ~(uintptr_t)TB_EXIT_MASK);
    *slot = (int)(ret & TB_EXIT_MASK);
    if (*slot == TB_EXIT_REQUESTED) {
        /* `last` stopped at its entry check, before storing anything: its pc is current. */
        if (cs->ops->synchronize_from_tb) {
            cs->ops->synchronize_from_tb(cs, last);
        }
        *last_tb = NULL;
    } else {
        *last_tb = last;
    }
}

static int cpu_exec_loop(CPUState *cs)
{
    int ret;

    while (!cpu_handle_exception(cs, &ret)) {
        TranslationBlock *last_tb = NULL;
        int slot = 0;
        unsigned gen = 0;

        while (!cpu_handle_interrupt(cs, &last_tb)) {
            TranslationBlock *tb;
            vaddr pc;
            uint64_t cs_base;
            uint32_t flags, cflags = cs->accel->cflags_next_tb;

            if (cs->singlestep_enabled && cs->accel->sstep_done) {
                /* The step's instruction ran (debug.c): back to the debugger. */
                cs->exception_index = EXCP_DEBUG;
                break;
            }
            if (cflags == CF_NONE_NEXT) {
                cflags = curr_cflags(cs);
            } else {
                cs->accel->cflags_next_tb = CF_NONE_NEXT;
            }
            cs->ops->get_tb_cpu_state(cs, &pc, &cs_base, &flags);
            tb = tb_find(cs, pc, cs_base, flags, cflags, true);
            /* A flush since last_tb ran (while translating, say) freed it. */
            if (last_tb && tb_flush_count() == gen && !(last_tb->cflags & CF_NO_GOTO_TB) &&
                !log_enabled(LOG_NOCHAIN)) {
                tb_add_jump(last_tb, slot, tb);
            }
            gen = tb_flush_count();
            /* Set first: an instruction that traps leaves by longjmp. */
            cs->accel->sstep_done = cs->singlestep_enabled != 0;
            cpu_loop_exec_tb(cs, tb, &last_tb, &slot);
            if (slot == TB_EXIT_REQUESTED) {
                /* Left at its entry check: the instruction did not run. */
                cs->accel->sstep_done = false;
            }
        }
    }
    return ret;
}

static int cpu_exec_setjmp(CPUState *cs)
{
    /* Only `cs` lives across the setjmp, and it is never modified. */
    if (sigsetjmp(cs->jmp_env, 0) != 0) {
        cpu_exec_longjmp_cleanup(cs);
    }
    return cpu_exec_loop(cs);
}

int cpu_exec(CPUState *cs)
{
    CPUState *saved = current_cpu;
    int ret;

    if (cs->halted) {
        if (!cs->ops->has_work || !cs->ops->has_work(cs)) {
            return EXCP_HALTED;
        }
        cs->halted = false;
    }
    current_cpu = cs;
    cpu_exec_start(cs);
    ret = cpu_exec_setjmp(cs);
    cpu_exec_end(cs);
    current_cpu = saved;
    return ret;
}

/* ---- one instruction alone (EXCP_ATOMIC) */

static void cpu_step_atomic_run(CPUState *cs)
{
    TranslationBlock *tb, *last;
    vaddr pc;
    uint64_t cs_base;
    uint32_t flags, cflags;
    int slot;

    /* No other vCPU runs, so the instruction need not be translated atomically. */
    cflags = (curr_cflags(cs) & ~(CF_PARALLEL | CF_COUNT_MASK)) | CF_NOIRQ | 1;
    cs->ops->get_tb_cpu_state(cs, &pc, &cs_base, &flags);
    tb = tb_find(cs, pc, cs_base, flags, cflags, true);
    cs->accel->sstep_done = cs->singlestep_enabled != 0;
    cpu_loop_exec_tb(cs, tb, &last, &slot);
}

static void cpu_step_atomic_setjmp(CPUState *cs)
{
    if (sigsetjmp(cs->jmp_env, 0) == 0) {
        cpu_step_atomic_run(cs);
    } else {
        cpu_exec_longjmp_cleanup(cs);
    }
}

void cpu_exec_step_atomic(CPUState *cs)
{
    CPUState *saved = current_cpu;

    start_exclusive();
    current_cpu = cs;
    cpu_step_atomic_setjmp(cs);
    current_cpu = saved;
    end_exclusive();
}
