/*
 * What the pieces of the main loop share and nobody else sees: the MainLoop
 * structure, the fd-handler node, the queued I/O request, the backend
 * operations (io_uring in main-loop-uring.c, ppoll in main-loop-ppoll.c), the
 * worker pool (thread-pool.c) and the per-loop timer lists (timer.c).
 *
 * Who may touch what:
 *   - the loop's thread alone: the fd table, the ready list, the backend;
 *   - any thread, under MainLoop.lock: the BH queue, the incoming and done
 *     request queues and the timer lists.
 * A thread that makes work for the loop publishes it under the lock first and
 * calls main_loop_wakeup() after, so the loop either sees the work when it
 * computes its timeout or is woken by the eventfd.
 */
#ifndef MORPH_UTIL_MAIN_LOOP_INT_H
#define MORPH_UTIL_MAIN_LOOP_INT_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "config-host.h"
#include "util/main-loop.h"

typedef struct MLFdHandler MLFdHandler;
typedef struct MLRequest MLRequest;
typedef struct ThreadPool ThreadPool;

/*
 * One registered fd.  Removal only marks it deleted and drops the table's
 * reference: the ready list, a dispatch in progress and an io_uring poll in
 * flight each hold their own, so a handler may remove itself (or any other)
 * and a stale completion still finds valid memory.
 */
struct MLFdHandler {
    MainLoop *ml;
    int fd;
    IOHandler *on_read;
    IOHandler *on_write;
    void *opaque;
    unsigned refcnt;
    bool deleted;
    /* The handler runs: a nested main_loop_wait must not re-enter it. */
    bool dispatching;
    /* The fd was reported closed (POLLNVAL / -EBADF): not polled again. */
    bool broken;
    bool on_ready_list;
    short revents;
    MLFdHandler *ready_next;
    MLFdHandler *all_prev;
    MLFdHandler *all_next;

    /* io_uring backend state (main-loop-uring.c). */
    bool armed;
    bool cancel_sent;
    bool on_rearm_list;
    short armed_mask;
    MLFdHandler *rearm_next;
};

typedef enum MLRequestType {
    ML_REQ_READV,
    ML_REQ_WRITEV,
    ML_REQ_FSYNC,
    ML_REQ_FALLOCATE,
    ML_REQ_WORK,
    ML_REQ__MAX,
} MLRequestType;

#define ML_REQ_INLINE_IOV 4

/* A submission, from main_loop_submit_*() until its callback has run. */
struct MLRequest {
    MLRequestType type;
    int fd;
    int iovcnt;
    int mode;      /* fallocate */
    bool datasync; /* fsync */
    off_t offset;
    off_t len;         /* fallocate */
    struct iovec *iov; /* a copy: the caller's array may go away */
    int64_t (*fn)(void *arg);
    void *arg;
    MLCompletionFn *cb;
    void *opaque;
    int64_t result;
    MLRequest *next;
    struct iovec iov_inline[ML_REQ_INLINE_IOV];
};

typedef struct MLReqQueue {
    MLRequest *head;
    MLRequest **tail;
    unsigned len;
} MLReqQueue;

static inline void ml_req_queue_init(MLReqQueue *q)
{
    q->head = NULL;
    q->tail = &q->head;
    q->len = 0;
}

static inline void ml_req_queue_push(MLReqQueue *q, MLRequest *req)
{
    req->next = NULL;
    *q->tail = req;
    q->tail = &req->next;
    q->len++;
}

static inline MLRequest *ml_req_queue_pop(MLReqQueue *q)
{
    MLRequest *req = q->head;

    if (req) {
        q->head = req->next;
        if (!q->head) {
            q->tail = &q->head;
        }
        q->len--;
        req->next = NULL;
    }
    return req;
}

typedef struct MainLoopBackendOps {
    const char *name;
    bool (*init)(MainLoop *ml, Error **errp);
    /* Waits for the kernel's in-flight requests, then releases everything. */
    void (*cleanup)(MainLoop *ml);
    /* A handler was added, changed its interest, or was deleted. */
    void (*fd_update)(MainLoop *ml, MLFdHandler *h);
    /* A handler has been dispatched and is still registered: poll it again. */
    void (*fd_dispatched)(MainLoop *ml, MLFdHandler *h);
    /*
     * Sleep at most timeout_ns (-1: no limit, 0: just look), then report
     * ready fds with main_loop_fd_ready(), finished requests with
     * main_loop_complete() and the eventfd with main_loop_wakeup_received().
     */
    void (*wait)(MainLoop *ml, int64_t timeout_ns);
    /*
     * Take a request, in the loop's thread.  false: the backend cannot do
     * this kind of request and the worker pool runs it.  NULL: the pool
     * runs every request.
     */
    bool (*submit)(MainLoop *ml, MLRequest *req);
    /* Hand queued submissions to the kernel now, without waiting. */
    void (*flush)(MainLoop *ml);
} MainLoopBackendOps;

extern const MainLoopBackendOps main_loop_ppoll_ops;
#ifdef CONFIG_LIBURING
extern const MainLoopBackendOps main_loop_uring_ops;
#endif

struct MainLoop {
    const MainLoopBackendOps *ops;
    void *backend;
    int wake_fd;
    /* Id of the loop's thread (see main_loop_in_thread()). */
    uint64_t owner;
    /* An eventfd write is outstanding: other wakers need not write again. */
    int notified;

    GHashTable *fds;           /* fd -> live MLFdHandler */
    MLFdHandler *all_handlers; /* live and deleted-but-referenced */
    MLFdHandler *ready_head;
    MLFdHandler **ready_tail;
    unsigned ready_len;

    GMutex lock;
    BH *bh_head;
    BH **bh_tail;
    unsigned bh_len;
    MLReqQueue incoming; /* submitted from other threads */
    MLReqQueue done;     /* finished, callback not yet run */
    Timer *timers[MORPH_CLOCK_MAX];
    uint64_t timer_run_seq;

    ThreadPool *pool;
    MainLoopStats stats; /* updated with atomics */
};

/* main-loop.c, for the backends and the pool. */
bool main_loop_in_thread(MainLoop *ml);
short main_loop_fd_interest(const MLFdHandler *h);
void main_loop_fd_ref(MLFdHandler *h);
void main_loop_fd_unref(MLFdHandler *h);
void main_loop_fd_ready(MainLoop *ml, MLFdHandler *h, short revents);
void main_loop_fd_broken(MainLoop *ml, MLFdHandler *h);
void main_loop_wakeup_received(MainLoop *ml);
void main_loop_complete(MainLoop *ml, MLRequest *req);
void main_loop_req_free(MLRequest *req);

/* thread-pool.c: workers for blocking requests, started on demand. */
ThreadPool *thread_pool_new(MainLoop *ml);
/* Any thread. The result is posted with main_loop_complete(). */
void thread_pool_submit(ThreadPool *pool, MLRequest *req);
/* Joins the workers; requests not yet started are freed without callback. */
void thread_pool_free(ThreadPool *pool);

/* timer.c: the loop's timer lists. */
void timer_loop_init(MainLoop *ml);
void timer_loop_cleanup(MainLoop *ml);
/* ns until the nearest deadline of a clock that runs, or -1. */
int64_t timer_loop_timeout_ns(MainLoop *ml);
/* Run the expired timers; true if any ran. */
bool timer_loop_run(MainLoop *ml);

#endif
