/*
 * The vCPU thread (contract in include/system/cpus.h).  The model is
 * QEMU's single-threaded TCG round robin (accel/tcg/tcg-accel-ops-rr.c),
 * with its lesson from the assets' README applied: switching harts only on
 * a 100 ms kick makes every SBI remote fence or IPI wait that long, so
 * here a hart leaves as soon as another hart's interrupt line rises, and
 * the time slice, used only while two harts have work, is short.
 *
 * Synchronisation.  Fields marked (bql) change under the big lock.  The
 * vCPU thread sleeps on `wake_cond` with `wake_lock`; whoever makes work
 * for it sets `kick` under that lock and signals.  `current` is the hart
 * in cpu_exec (read by other threads to ask it to leave).
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <glib.h>
#include "exec/cpu-exec.h"
#include "exec/cputlb.h"
#include "hw/boards.h"
#include "system/bql.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "util/log.h"

/* A slice long enough to run many blocks, short enough that a spinning hart yields soon. */
#define CPUS_SLICE_NS (2 * 1000 * 1000)
/*
 * How many slices a hart the machine calls not preemptible (in firmware)
 * keeps the CPU before it is preempted anyway.  Firmware is written for
 * harts that run side by side and has short windows it assumes the others
 * do not see (OpenSBI 1.1 publishes a hart's START_PENDING state before its
 * start address); taking the CPU away inside one lets another hart run far
 * ahead.  Firmware that waits for another hart either kicks it (an IPI:
 * switch at once) or executes WFI (which yields), so the bound only matters
 * for a spin on a lock.
 */
#define CPUS_FIRMWARE_SLICES 16

typedef struct CPUWork {
    CPUState *cs;
    void (*fn)(CPUState *cs, void *data);
    void *data;
    struct CPUWork *next;
} CPUWork;

static struct {
    CPUState **cpus;
    unsigned n;
    unsigned next;              /* (bql) round-robin position */
    bool started;
    pthread_t thread;
    long tid;

    pthread_mutex_t wake_lock;
    pthread_cond_t wake_cond;
    bool kick;                  /* (wake_lock) something for the sleeping thread */

    bool run;                   /* (bql) the VM should run */
    bool paused;                /* (bql) the thread is parked, no hart runs */
    pthread_cond_t paused_cond; /* with the big lock */

    CPUState *current;          /* the hart in cpu_exec (atomic) */
    int yield;                  /* leave the current hart for another at its next exit (atomic) */
    int slice_over;             /* the slice timer fired for the current hart (atomic) */
    unsigned deferred;          /* slices the current hart kept, being in firmware */
    MachineState *ms;

    GMutex work_lock;
    CPUWork *work_head, *work_tail;
    Timer *slice_timer;
    int slice_armed;            /* the slice timer is pending (atomic) */
    void (*debug_hook)(CPUState *cs);
} rr = {
    .wake_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake_cond = PTHREAD_COND_INITIALIZER,
    .paused_cond = PTHREAD_COND_INITIALIZER,
};

static bool cpus_on_vcpu_thread(void)
{
    return rr.started && pthread_equal(pthread_self(), rr.thread);
}

/* ---- kicks and work */

static void cpus_wake_thread(void)
{
    pthread_mutex_lock(&rr.wake_lock);
    rr.kick = true;
    pthread_cond_signal(&rr.wake_cond);
    pthread_mutex_unlock(&rr.wake_lock);
}

void cpus_kick(CPUState *cs)
{
    CPUState *cur = __atomic_load_n(&rr.current, __ATOMIC_ACQUIRE);

    /* Another hart has something to do: let it run at once. */
    if (cur && cur != cs) {
        __atomic_store_n(&rr.yield, 1, __ATOMIC_RELEASE);
        cpu_exit(cur);
    }
    cpus_wake_thread();
}

void cpus_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data)
{
    CPUWork *w = g_new0(CPUWork, 1);
    CPUState *cur;

    w->cs = cs;
    w->fn = fn;
    w->data = data;
    g_mutex_lock(&rr.work_lock);
    if (rr.work_tail) {
        rr.work_tail->next = w;
    } else {
        rr.work_head = w;
    }
    rr.work_tail = w;
    g_mutex_unlock(&rr.work_lock);
    /* Whatever hart runs must come back to the loop, where work is done. */
    cur = __atomic_load_n(&rr.current, __ATOMIC_ACQUIRE);
    if (cur) {
        cpu_exit(cur);
    }
    cpus_wake_thread();
}

static void cpus_run_work(void)
{
    CPUWork *w;

    g_mutex_lock(&rr.work_lock);
    w = rr.work_head;
    rr.work_head = rr.work_tail = NULL;
    g_mutex_unlock(&rr.work_lock);
    while (w) {
        CPUWork *next = w->next;

        w->fn(w->cs, w->data);
        g_free(w);
        w = next;
    }
}

/* ---- memory map changes: every TLB forgets the old sections */

static void cpus_flush_all_tlbs(CPUState *unused, void *data)
{
    for (unsigned i = 0; i < rr.n; i++) {
        tlb_flush(rr.cpus[i]);
    }
    memory_reclaim();
}

static void cpus_map_changed(void *opaque)
{
    /* On the vCPU thread between blocks, or before it exists: no hart is using the TLBs. */
    if (!rr.started || (cpus_on_vcpu_thread() && !__atomic_load_n(&rr.current, __ATOMIC_ACQUIRE))) {
        cpus_flush_all_tlbs(NULL, NULL);
        return;
    }
    if (cpus_on_vcpu_thread()) {
        /* From an I/O callback of the running hart: its TLBs can go now, the rest too. */
        cpus_flush_all_tlbs(NULL, NULL);
        return;
    }
    cpus_run_on_cpu(rr.cpus[0], cpus_flush_all_tlbs, NULL);
}

/* ---- the round robin */

static bool cpus_runnable(CPUState *cs)
{
    /* Held by the debugger while it steps another hart. */
    if (cs->stopped) {
        return false;
    }
    return !cs->halted || (cs->ops->has_work && cs->ops->has_work(cs));
}

/* The first runnable hart from the round-robin position, or NULL. */
static CPUState *cpus_pick(void)
{
    for (unsigned k = 0; k < rr.n; k++) {
        unsigned i = (rr.next + k) % rr.n;

        if (cpus_runnable(rr.cpus[i])) {
            rr.next = i;
            return rr.cpus[i];
        }
    }
    return NULL;
}

static bool cpus_others_runnable(CPUState *cs)
{
    for (unsigned i = 0; i < rr.n; i++) {
        if (rr.cpus[i] != cs && cpus_runnable(rr.cpus[i])) {
            return true;
        }
    }
    return false;
}

/*
 * Main loop: the slice is over; make the running hart give way.  The
 * timer is disarmed before `current` is read, and the vCPU thread
 * publishes `current` before it tests whether a timer is armed (both
 * sequentially consistent), so a hart that starts running as the timer
 * fires is either seen here or arms a timer of its own.
 */
static void cpus_slice_expired(void *opaque)
{
    CPUState *cur;

    __atomic_store_n(&rr.slice_armed, 0, __ATOMIC_SEQ_CST);
    cur = __atomic_load_n(&rr.current, __ATOMIC_SEQ_CST);
    if (cur) {
        /* The vCPU thread decides whether it switches (cpus_slice_switch). */
        __atomic_store_n(&rr.slice_over, 1, __ATOMIC_RELEASE);
        cpu_exit(cur);
    }
}

/* The slice of `cs` is over: may another hart have the CPU now? */
static bool cpus_slice_switch(CPUState *cs)
{
    const MachineClass *mc = rr.ms ? rr.ms->mc : NULL;

    if (mc && mc->cpu_preemptible && !mc->cpu_preemptible(rr.ms, cs) &&
        rr.deferred < CPUS_FIRMWARE_SLICES) {
        rr.deferred++;
        return false;
    }
    rr.deferred = 0;
    return true;
}

/* Sleep (without the big lock) until kicked. */
static void cpus_wait_for_kick(void)
{
    pthread_mutex_lock(&rr.wake_lock);
    if (!rr.kick) {
        bql_unlock();
        while (!rr.kick) {
            pthread_cond_wait(&rr.wake_cond, &rr.wake_lock);
        }
        rr.kick = false;
        pthread_mutex_unlock(&rr.wake_lock);
        bql_lock();
        return;
    }
    rr.kick = false;
    pthread_mutex_unlock(&rr.wake_lock);
}

static void cpus_park(void)
{
    rr.paused = true;
    pthread_cond_broadcast(&rr.paused_cond);
    while (!rr.run) {
        cpus_run_work();
        if (rr.run) {
            break;
        }
        cpus_wait_for_kick();
    }
    rr.paused = false;
}

static void cpus_exec_one(CPUState *cs)
{
    int r;

    __atomic_store_n(&rr.current, cs, __ATOMIC_SEQ_CST);
    if (rr.n > 1 && cpus_others_runnable(cs) &&
        !__atomic_exchange_n(&rr.slice_armed, 1, __ATOMIC_SEQ_CST)) {
        timer_mod_ns(rr.slice_timer, clock_get_ns(MORPH_CLOCK_REALTIME) + CPUS_SLICE_NS);
    }
    bql_unlock();
    r = cpu_exec(cs);
    bql_lock();
    __atomic_store_n(&rr.current, NULL, __ATOMIC_RELEASE);

    switch (r) {
    case EXCP_ATOMIC:
        bql_unlock();
        cpu_exec_step_atomic(cs);
        bql_lock();
        break;
    case EXCP_HLT:
    case EXCP_HALTED:
    case EXCP_YIELD:
        rr.next = (rr.next + 1) % rr.n;
        break;
    case EXCP_DEBUG:
        /* The debugger's stop (it parks the VM), or nobody's: carry on. */
        if (rr.debug_hook) {
            rr.debug_hook(cs);
        }
        break;
    default:
        break;
    }
    if (r == EXCP_HLT || r == EXCP_HALTED || r == EXCP_YIELD) {
        /* Gave way by itself: nothing pending applies to it any more. */
        __atomic_store_n(&rr.yield, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&rr.slice_over, 0, __ATOMIC_RELEASE);
        rr.deferred = 0;
        return;
    }
    if (__atomic_exchange_n(&rr.yield, 0, __ATOMIC_ACQ_REL)) {
        /* Another hart's interrupt: switch now. */
        __atomic_store_n(&rr.slice_over, 0, __ATOMIC_RELEASE);
        rr.deferred = 0;
        rr.next = (rr.next + 1) % rr.n;
    } else if (__atomic_exchange_n(&rr.slice_over, 0, __ATOMIC_ACQ_REL) &&
               cpus_slice_switch(cs)) {
        rr.next = (rr.next + 1) % rr.n;
    }
}

static void *cpus_thread_fn(void *arg)
{
    rr.tid = (long)syscall(SYS_gettid);
    bql_lock();
    for (;;) {
        CPUState *cs;

        cpus_run_work();
        if (!rr.run) {
            cpus_park();
            continue;
        }
        cs = cpus_pick();
        if (!cs) {
            cpus_wait_for_kick();
            continue;
        }
        cpus_exec_one(cs);
    }
    return NULL;
}

/* ---- what the machine's devices call (MachineSystemOps) */

static void cpus_machine_kick(CPUState *cs)
{
    cpus_kick(cs);
}

void cpus_init(MachineState *ms)
{
    rr.ms = ms;
    rr.cpus = ms->cpus;
    rr.n = ms->ncpus;
    rr.slice_timer = timer_new_ns(main_loop_default(), MORPH_CLOCK_REALTIME, cpus_slice_expired,
                                  NULL);
    memory_set_map_notifier(cpus_map_changed, NULL);
}

void cpus_start(void)
{
    g_assert(bql_locked());
    g_assert(rr.n > 0);
    rr.started = true;
    /* It runs the harts if the VM runs (vm_start), and parks otherwise. */
    if (pthread_create(&rr.thread, NULL, cpus_thread_fn, NULL) != 0) {
        g_error("cannot create the vCPU thread");
    }
}

void cpus_pause(void)
{
    g_assert(bql_locked());
    rr.run = false;
    if (!rr.started || cpus_on_vcpu_thread()) {
        /* The vCPU thread parks by itself when it is back in its loop. */
        CPUState *cur = __atomic_load_n(&rr.current, __ATOMIC_ACQUIRE);

        if (cur) {
            cpu_exit(cur);
        }
        return;
    }
    {
        CPUState *cur = __atomic_load_n(&rr.current, __ATOMIC_ACQUIRE);

        if (cur) {
            cpu_exit(cur);
        }
    }
    cpus_wake_thread();
    while (!rr.paused) {
        bql_note_released();
        pthread_cond_wait(&rr.paused_cond, bql_mutex());
        bql_note_reacquired();
    }
}

void cpus_resume(void)
{
    g_assert(bql_locked());
    rr.run = true;
    cpus_wake_thread();
}

bool cpus_are_paused(void)
{
    return !rr.run;
}

void cpus_set_debug_hook(void (*fn)(CPUState *cs))
{
    rr.debug_hook = fn;
}

long cpus_thread_id(void)
{
    return rr.tid;
}

void cpus_machine_ops(MachineSystemOps *ops)
{
    ops->cpu_kick = cpus_machine_kick;
    ops->run_on_cpu = cpus_run_on_cpu;
}
