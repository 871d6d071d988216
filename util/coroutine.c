/*
 * Coroutines on ucontext and sigsetjmp, after QEMU's util/coroutine-ucontext.c
 * and util/qemu-coroutine*.c.  makecontext/swapcontext are used once per
 * stack, to start the trampoline on it; every later switch is a
 * sigsetjmp/siglongjmp pair, which does not touch the signal mask and so
 * costs no system call.  Stacks are mmap'd with a guard page below them and
 * kept in a small per-thread pool, so a request does not pay for an mmap.
 *
 * Under AddressSanitizer every switch is announced with the fiber
 * annotations, otherwise ASan reports false stack errors.
 */
#undef _FORTIFY_SOURCE /* longjmp_chk rejects jumps between stacks */
#include "util/coroutine.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <glib.h>

#if defined(__SANITIZE_ADDRESS__)
#define CO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CO_ASAN 1
#endif
#endif
#ifdef CO_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

enum {
    CO_STACK_SIZE = 1 << 20,
    CO_POOL_MAX = 64,
};

typedef enum CoAction {
    CO_ENTER = 1,
    CO_YIELD = 2,
    CO_TERMINATE = 3,
} CoAction;

struct Coroutine {
    CoroutineEntry *entry;
    void *opaque;
    Coroutine *caller;      /* who entered us; NULL while not running */
    sigjmp_buf env;
    void *map;              /* mmap'd area: guard page + stack */
    size_t map_size;
    const void *stack_bottom;
    size_t stack_size;
    bool started;
    bool waking;            /* on the wake list */
    Coroutine *queue_next;  /* CoQueue link */
    Coroutine *wake_next;   /* wake list link */
    Coroutine *pool_next;
};

/* Where coroutine_create waits while the trampoline sets itself up. */
typedef struct CoCreateCtx {
    sigjmp_buf env;
    Coroutine *co;
    Coroutine *creator;
} CoCreateCtx;

static __thread Coroutine co_leader;   /* the thread's own stack */
static __thread Coroutine *co_current;
static __thread Coroutine *co_switch_from;
static __thread Coroutine *co_pool;
static __thread unsigned co_pool_size;
static __thread Coroutine *co_wake_head;
static __thread Coroutine *co_wake_tail;
static __thread CoCreateCtx *co_create_ctx;

static Coroutine *coroutine_current(void)
{
    return co_current ? co_current : &co_leader;
}

Coroutine *coroutine_self(void)
{
    Coroutine *c = coroutine_current();

    return c == &co_leader ? NULL : c;
}

bool coroutine_in_coroutine(void)
{
    return coroutine_self() != NULL;
}

bool coroutine_is_started(const Coroutine *co)
{
    return co->started;
}

static void coroutine_asan_start(void **fake, const Coroutine *to)
{
#ifdef CO_ASAN
    __sanitizer_start_switch_fiber(fake, to->stack_bottom, to->stack_size);
#endif
}

/* Record the stack we came from (the leader learns its bounds this way). */
static void coroutine_asan_finish(void *fake)
{
#ifdef CO_ASAN
    const void *bottom = NULL;
    size_t size = 0;

    __sanitizer_finish_switch_fiber(fake, &bottom, &size);
    if (co_switch_from) {
        co_switch_from->stack_bottom = bottom;
        co_switch_from->stack_size = size;
    }
#endif
}

static CoAction coroutine_switch(Coroutine *from, Coroutine *to, CoAction action)
{
    void *fake = NULL;
    int ret;

    co_current = to;
    co_switch_from = from;
    ret = sigsetjmp(from->env, 0);
    if (ret == 0) {
        coroutine_asan_start(action == CO_TERMINATE ? NULL : &fake, to);
        siglongjmp(to->env, action);
    }
    coroutine_asan_finish(fake);
    return (CoAction)ret;
}

static void coroutine_trampoline(int lo, int hi)
{
    Coroutine *self = (Coroutine *)(((uintptr_t)(uint32_t)hi << 32) | (uint32_t)lo);
    CoCreateCtx *ctx = co_create_ctx;
    void *fake = NULL;

    co_switch_from = ctx->creator;
    coroutine_asan_finish(NULL);
    /* Save a context to start from, then go back to coroutine_create(). */
    if (!sigsetjmp(self->env, 0)) {
        coroutine_asan_start(&fake, ctx->creator);
        siglongjmp(ctx->env, 1);
    }
    coroutine_asan_finish(fake);
    for (;;) {
        self->entry(self->opaque);
        coroutine_switch(self, self->caller, CO_TERMINATE);
    }
}

static Coroutine *coroutine_new_stack(void)
{
    long page = sysconf(_SC_PAGESIZE);
    Coroutine *co = g_new0(Coroutine, 1);
    Coroutine *creator = coroutine_current();
    CoCreateCtx ctx;
    ucontext_t old_uc, uc;
    uintptr_t p = (uintptr_t)co;
    void *fake = NULL;

    co->map_size = CO_STACK_SIZE + page;
    co->map = mmap(NULL, co->map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (co->map == MAP_FAILED) {
        fprintf(stderr, "coroutine: cannot allocate a stack\n");
        abort();
    }
    /* A guard page under the stack turns an overflow into a clean fault. */
    mprotect(co->map, page, PROT_NONE);
    co->stack_bottom = (char *)co->map + page;
    co->stack_size = CO_STACK_SIZE;

    if (getcontext(&uc) == -1) {
        abort();
    }
    uc.uc_link = NULL;
    uc.uc_stack.ss_sp = (void *)co->stack_bottom;
    uc.uc_stack.ss_size = co->stack_size;
    uc.uc_stack.ss_flags = 0;
    makecontext(&uc, (void (*)(void))coroutine_trampoline, 2, (int)(uint32_t)p,
                (int)(uint32_t)(p >> 32));
    ctx.co = co;
    ctx.creator = creator;
    co_create_ctx = &ctx;
    if (!sigsetjmp(ctx.env, 0)) {
        coroutine_asan_start(&fake, co);
        swapcontext(&old_uc, &uc);
    }
    co_switch_from = NULL;
    coroutine_asan_finish(fake);
    co_create_ctx = NULL;
    return co;
}

Coroutine *coroutine_create(CoroutineEntry *entry, void *opaque)
{
    Coroutine *co = co_pool;

    if (co) {
        co_pool = co->pool_next;
        co_pool_size--;
    } else {
        co = coroutine_new_stack();
    }
    co->entry = entry;
    co->opaque = opaque;
    co->caller = NULL;
    co->started = false;
    co->waking = false;
    co->queue_next = co->wake_next = co->pool_next = NULL;
    return co;
}

static void coroutine_release(Coroutine *co)
{
    co->started = false;
    if (co_pool_size < CO_POOL_MAX) {
        co->pool_next = co_pool;
        co_pool = co;
        co_pool_size++;
        return;
    }
    munmap(co->map, co->map_size);
    g_free(co);
}

static void coroutine_run(Coroutine *caller, Coroutine *co)
{
    if (co->caller) {
        fprintf(stderr, "coroutine: entered while already running\n");
        abort();
    }
    co->caller = caller;
    co->started = true;
    if (coroutine_switch(caller, co, CO_ENTER) == CO_TERMINATE) {
        coroutine_release(co);
    }
}

static Coroutine *coroutine_wake_pop(void)
{
    Coroutine *co = co_wake_head;

    if (co) {
        co_wake_head = co->wake_next;
        if (!co_wake_head) {
            co_wake_tail = NULL;
        }
        co->wake_next = NULL;
        co->waking = false;
    }
    return co;
}

void coroutine_enter(Coroutine *co)
{
    Coroutine *self = coroutine_current();
    Coroutine *w;

    coroutine_run(self, co);
    if (self != &co_leader) {
        return;
    }
    /* Back on the thread's stack: run whoever was woken meanwhile. */
    while ((w = coroutine_wake_pop())) {
        coroutine_run(&co_leader, w);
    }
}

void coroutine_yield(void)
{
    Coroutine *self = coroutine_current();
    Coroutine *to = self->caller;

    if (self == &co_leader || !to) {
        fprintf(stderr, "coroutine: yield outside a coroutine\n");
        abort();
    }
    self->caller = NULL;
    coroutine_switch(self, to, CO_YIELD);
}

void coroutine_wake(Coroutine *co)
{
    if (!coroutine_in_coroutine()) {
        coroutine_enter(co);
        return;
    }
    if (co->waking) {
        return;
    }
    co->waking = true;
    co->wake_next = NULL;
    if (co_wake_tail) {
        co_wake_tail->wake_next = co;
    } else {
        co_wake_head = co;
    }
    co_wake_tail = co;
}

void co_queue_init(CoQueue *q)
{
    q->head = q->tail = NULL;
}

bool co_queue_empty(const CoQueue *q)
{
    return q->head == NULL;
}

void co_queue_wait(CoQueue *q, CoMutex *mutex)
{
    Coroutine *self = coroutine_self();

    if (!self) {
        fprintf(stderr, "coroutine: co_queue_wait outside a coroutine\n");
        abort();
    }
    self->queue_next = NULL;
    if (q->tail) {
        q->tail->queue_next = self;
    } else {
        q->head = self;
    }
    q->tail = self;
    if (mutex) {
        co_mutex_unlock(mutex);
    }
    coroutine_yield();
    if (mutex) {
        co_mutex_lock(mutex);
    }
}

bool co_queue_next(CoQueue *q)
{
    Coroutine *co = q->head;

    if (!co) {
        return false;
    }
    q->head = co->queue_next;
    if (!q->head) {
        q->tail = NULL;
    }
    co->queue_next = NULL;
    coroutine_wake(co);
    return true;
}

void co_queue_restart_all(CoQueue *q)
{
    while (co_queue_next(q)) {
    }
}

void co_mutex_init(CoMutex *m)
{
    m->locked = false;
    m->holder = NULL;
    co_queue_init(&m->waiters);
}

void co_mutex_lock(CoMutex *m)
{
    while (m->locked) {
        co_queue_wait(&m->waiters, NULL);
    }
    m->locked = true;
    m->holder = coroutine_self();
}

void co_mutex_unlock(CoMutex *m)
{
    m->locked = false;
    m->holder = NULL;
    co_queue_next(&m->waiters);
}
