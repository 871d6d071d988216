/*
 * Coroutines: cooperative threads of control that run on their own stack
 * and give the CPU back explicitly (coroutine_yield).  The block layer
 * writes each request as straight-line code in a coroutine; where it waits
 * for an I/O submission it yields, and the submission's completion callback
 * (on the main loop) re-enters it.  This follows QEMU's model
 * (include/qemu/coroutine.h): a coroutine runs only in the thread that
 * created it, entering one from inside another nests (the callee returns
 * to its caller when it yields), and a coroutine woken from a CoQueue runs
 * as soon as the waker yields back to the code that entered it.
 *
 * CoMutex and CoQueue serialize coroutines without blocking the thread.
 */
#ifndef MORPH_UTIL_COROUTINE_H
#define MORPH_UTIL_COROUTINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Coroutine Coroutine;
typedef void CoroutineEntry(void *opaque);

/* A new coroutine that will run entry(opaque) when first entered. */
Coroutine *coroutine_create(CoroutineEntry *entry, void *opaque);
/*
 * Run `co` until it yields or returns.  A coroutine that returns is freed
 * here.  Entering a coroutine that is already running is a bug (abort).
 */
void coroutine_enter(Coroutine *co);
/* Give control back to whoever entered the current coroutine. */
void coroutine_yield(void);
/* The running coroutine, or NULL on a thread's ordinary stack. */
Coroutine *coroutine_self(void);
bool coroutine_in_coroutine(void);
/* True between the first enter and termination (started, not finished). */
bool coroutine_is_started(const Coroutine *co);

/* A FIFO of coroutines waiting for an event. */
typedef struct CoQueue {
    Coroutine *head;
    Coroutine *tail;
} CoQueue;

typedef struct CoMutex {
    bool locked;
    Coroutine *holder;
    CoQueue waiters;
} CoMutex;

void co_queue_init(CoQueue *q);
/*
 * Wait on `q` (coroutine context only).  If `mutex` is given it is released
 * while waiting and taken again before returning, as a condition variable.
 */
void co_queue_wait(CoQueue *q, CoMutex *mutex);
/* Wake the first waiter; returns false if there was none. */
bool co_queue_next(CoQueue *q);
void co_queue_restart_all(CoQueue *q);
bool co_queue_empty(const CoQueue *q);

void co_mutex_init(CoMutex *m);
void co_mutex_lock(CoMutex *m);
void co_mutex_unlock(CoMutex *m);

/*
 * Wake `co` (which must be waiting in coroutine_yield): from coroutine
 * context it runs after the current coroutine yields; otherwise at once.
 */
void coroutine_wake(Coroutine *co);

#endif
