/*
 * Clocks and timers (contract: include/util/main-loop.h; the model is
 * QEMU's util/qemu-timer.c and the cpu_get_clock() of system/cpu-timers.c).
 *
 * Clocks: REALTIME is CLOCK_MONOTONIC; HOST is CLOCK_REALTIME; VIRTUAL is
 * guest time, REALTIME plus an offset while it runs and a frozen value while
 * it is paused, so guest time is continuous across vm_stop/vm_start and a
 * guest never sees the time it spent stopped.  It reads 0 when the process
 * first asks for it and starts running.
 *
 * Timers: each loop keeps one list per clock, sorted by expiry (equal
 * expiries in arming order), under the loop's lock so that any thread may
 * arm or delete a timer; arming a timer that becomes the earliest of its
 * list from another thread wakes the loop, which recomputes its sleep.
 * Virtual timers neither fire nor bound the sleep while the clock is paused;
 * resuming wakes every loop.
 */
#include "main-loop-int.h"

#include <time.h>

struct Timer {
    MainLoop *ml;
    MorphClockType type;
    TimerCB *cb;
    void *opaque;
    int64_t expire_ns;  /* -1: not pending; under ml->lock */
    uint64_t armed_seq; /* ml->timer_run_seq when last armed */
    Timer *next;
};

static GMutex clock_lock;
static bool clock_virtual_started;
static bool clock_virtual_paused;
static int64_t clock_virtual_offset; /* while running: virtual = realtime + offset */
static int64_t clock_virtual_frozen; /* while paused */

/* Every loop, so that resuming the virtual clock can wake them. */
static GMutex clock_loops_lock;
static GSList *clock_loops;

static int64_t clock_host_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return ts.tv_sec * (int64_t)1000000000 + ts.tv_nsec;
}

/* Called with clock_lock held. */
static void clock_virtual_start_locked(int64_t realtime)
{
    if (!clock_virtual_started) {
        clock_virtual_started = true;
        clock_virtual_offset = -realtime;
    }
}

int64_t clock_get_ns(MorphClockType type)
{
    int64_t realtime;
    int64_t now;

    switch (type) {
    case MORPH_CLOCK_HOST:
        return clock_host_ns(CLOCK_REALTIME);
    case MORPH_CLOCK_VIRTUAL:
        realtime = clock_host_ns(CLOCK_MONOTONIC);
        g_mutex_lock(&clock_lock);
        clock_virtual_start_locked(realtime);
        now = clock_virtual_paused ? clock_virtual_frozen : realtime + clock_virtual_offset;
        g_mutex_unlock(&clock_lock);
        return now;
    case MORPH_CLOCK_REALTIME:
    default:
        return clock_host_ns(CLOCK_MONOTONIC);
    }
}

void clock_virtual_pause(void)
{
    int64_t realtime = clock_host_ns(CLOCK_MONOTONIC);

    g_mutex_lock(&clock_lock);
    clock_virtual_start_locked(realtime);
    if (!clock_virtual_paused) {
        clock_virtual_frozen = realtime + clock_virtual_offset;
        clock_virtual_paused = true;
    }
    g_mutex_unlock(&clock_lock);
    /* Loops sleeping toward a virtual deadline wake then and find it paused. */
}

void clock_virtual_resume(void)
{
    int64_t realtime = clock_host_ns(CLOCK_MONOTONIC);
    bool resumed = false;
    GSList *l;

    g_mutex_lock(&clock_lock);
    clock_virtual_start_locked(realtime);
    if (clock_virtual_paused) {
        clock_virtual_offset = clock_virtual_frozen - realtime;
        clock_virtual_paused = false;
        resumed = true;
    }
    g_mutex_unlock(&clock_lock);

    if (resumed) {
        /* A loop may sleep without a deadline because its virtual timers were held. */
        g_mutex_lock(&clock_loops_lock);
        for (l = clock_loops; l; l = l->next) {
            main_loop_wakeup(l->data);
        }
        g_mutex_unlock(&clock_loops_lock);
    }
}

bool clock_virtual_is_running(void)
{
    bool running;

    g_mutex_lock(&clock_lock);
    running = !clock_virtual_paused;
    g_mutex_unlock(&clock_lock);
    return running;
}

/* ---- timers */

Timer *timer_new_ns(MainLoop *ml, MorphClockType type, TimerCB *cb, void *opaque)
{
    Timer *t = g_new0(Timer, 1);

    g_assert(type >= 0 && type < MORPH_CLOCK_MAX);
    t->ml = ml;
    t->type = type;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_ns = -1;
    return t;
}

/* Called with ml->lock held. */
static void timer_unlink_locked(Timer *t)
{
    Timer **p;

    if (t->expire_ns < 0) {
        return;
    }
    for (p = &t->ml->timers[t->type]; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->next = NULL;
    t->expire_ns = -1;
}

void timer_mod_ns(Timer *t, int64_t expire_ns)
{
    MainLoop *ml = t->ml;
    Timer **p;
    bool first;

    if (expire_ns < 0) {
        expire_ns = 0;
    }
    g_mutex_lock(&ml->lock);
    timer_unlink_locked(t);
    for (p = &ml->timers[t->type]; *p && (*p)->expire_ns <= expire_ns; p = &(*p)->next) {
    }
    t->expire_ns = expire_ns;
    t->armed_seq = ml->timer_run_seq;
    t->next = *p;
    *p = t;
    first = ml->timers[t->type] == t;
    g_mutex_unlock(&ml->lock);

    /* A new earliest deadline: a loop asleep on a later one must recompute. */
    if (first && !main_loop_in_thread(ml)) {
        main_loop_wakeup(ml);
    }
}

void timer_del(Timer *t)
{
    g_mutex_lock(&t->ml->lock);
    timer_unlink_locked(t);
    g_mutex_unlock(&t->ml->lock);
}

bool timer_pending(Timer *t)
{
    return timer_expire_ns(t) >= 0;
}

int64_t timer_expire_ns(Timer *t)
{
    int64_t expire;

    g_mutex_lock(&t->ml->lock);
    expire = t->expire_ns;
    g_mutex_unlock(&t->ml->lock);
    return expire;
}

void timer_free(Timer *t)
{
    if (!t) {
        return;
    }
    timer_del(t);
    g_free(t);
}

int64_t main_loop_clock_deadline_ns(MainLoop *ml, MorphClockType type)
{
    int64_t deadline;

    g_mutex_lock(&ml->lock);
    deadline = ml->timers[type] ? ml->timers[type]->expire_ns : -1;
    g_mutex_unlock(&ml->lock);
    return deadline;
}

/* ---- the loop's side */

void timer_loop_init(MainLoop *ml)
{
    g_mutex_lock(&clock_loops_lock);
    clock_loops = g_slist_prepend(clock_loops, ml);
    g_mutex_unlock(&clock_loops_lock);
}

void timer_loop_cleanup(MainLoop *ml)
{
    int type;

    g_mutex_lock(&clock_loops_lock);
    clock_loops = g_slist_remove(clock_loops, ml);
    g_mutex_unlock(&clock_loops_lock);

    /* Timers still armed belong to their owners; just forget them. */
    g_mutex_lock(&ml->lock);
    for (type = 0; type < MORPH_CLOCK_MAX; type++) {
        while (ml->timers[type]) {
            timer_unlink_locked(ml->timers[type]);
        }
    }
    g_mutex_unlock(&ml->lock);
}

int64_t timer_loop_timeout_ns(MainLoop *ml)
{
    bool virtual_running = clock_virtual_is_running();
    int64_t timeout = -1;
    int type;

    for (type = 0; type < MORPH_CLOCK_MAX; type++) {
        int64_t deadline = main_loop_clock_deadline_ns(ml, type);
        int64_t delta;

        if (deadline < 0 || (type == MORPH_CLOCK_VIRTUAL && !virtual_running)) {
            continue;
        }
        /* Virtual time runs at host speed, so a virtual delta is a host delta. */
        delta = MAX(deadline - clock_get_ns(type), 0);
        if (timeout < 0 || delta < timeout) {
            timeout = delta;
        }
    }
    return timeout;
}

bool timer_loop_run(MainLoop *ml)
{
    bool progress = false;
    uint64_t seq;
    int type;

    g_mutex_lock(&ml->lock);
    seq = ml->timer_run_seq++;
    g_mutex_unlock(&ml->lock);

    for (type = 0; type < MORPH_CLOCK_MAX; type++) {
        int64_t now;

        if (type == MORPH_CLOCK_VIRTUAL && !clock_virtual_is_running()) {
            continue;
        }
        now = clock_get_ns(type);
        for (;;) {
            TimerCB *cb;
            void *opaque;
            Timer *t;

            g_mutex_lock(&ml->lock);
            t = ml->timers[type];
            /* A timer re-armed by this run (catching up, say) waits for the next one. */
            if (!t || t->expire_ns > now || t->armed_seq > seq) {
                g_mutex_unlock(&ml->lock);
                break;
            }
            ml->timers[type] = t->next;
            t->next = NULL;
            t->expire_ns = -1;
            cb = t->cb;
            opaque = t->opaque;
            g_mutex_unlock(&ml->lock);

            /* The callback may free or re-arm t: do not touch it after. */
            cb(opaque);
            progress = true;
        }
    }
    return progress;
}
