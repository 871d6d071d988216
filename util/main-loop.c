/*
 * The event loop's common part (contract: include/util/main-loop.h; the
 * model is QEMU's util/async.c and util/aio-posix.c): the fd-handler table,
 * bottom halves, the wakeup eventfd, the queues that carry work from other
 * threads, backend choice and the dispatch order of one iteration.  The
 * backends only sleep and report readiness and completions; everything a
 * caller's callback can observe is decided here, so both behave the same.
 *
 * An iteration: hand queued submissions to the backend, compute the timeout
 * (0 if a BH, a completion or a ready fd is waiting, else the nearest
 * timer), sleep in the backend, then run BHs, fd handlers, completions and
 * timers.  Each list is consumed up to the length it had when its turn came,
 * so a callback that re-arms itself runs again in the next iteration rather
 * than starving the others, and a nested main_loop_wait() from inside a
 * callback sees the rest of the list.
 *
 * Lost wakeups: work from another thread is published under ml->lock before
 * main_loop_wakeup() is called; the loop drains the eventfd before clearing
 * `notified`, and looks at the queues after that (see
 * main_loop_wakeup_received()).
 */
#include "main-loop-int.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/log.h"

enum {
    BH_SCHEDULED = 1 << 0, /* the callback should run */
    BH_QUEUED = 1 << 1,    /* on ml->bh_head: the loop will look at it */
    BH_DELETED = 1 << 2,   /* the loop frees it when it pops it */
};

struct BH {
    MainLoop *ml;
    BHFunc *cb;
    void *opaque;
    int flags; /* BH_*, atomic */
    BH *next;  /* ml->bh_head, under ml->lock */
};

/* A number per thread, never reused (a TLS address could be, after a thread exits). */
static uint64_t main_loop_thread_count;
static __thread uint64_t main_loop_thread_id_tls;

static uint64_t main_loop_thread_id(void)
{
    if (!main_loop_thread_id_tls) {
        main_loop_thread_id_tls = __atomic_add_fetch(&main_loop_thread_count, 1, __ATOMIC_RELAXED);
    }
    return main_loop_thread_id_tls;
}

static void main_loop_log_once(const char *msg)
{
    static int logged;

    if (!__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED)) {
        log_mask_printf(LOG_MAIN_LOOP, "main_loop: %s\n", msg);
    }
}

bool main_loop_in_thread(MainLoop *ml)
{
    return __atomic_load_n(&ml->owner, __ATOMIC_RELAXED) == main_loop_thread_id();
}

/* ---- backend choice */

static MainLoopBackend main_loop_env_backend(void)
{
    static int warned;
    const char *env = g_getenv("MORPH_MAIN_LOOP");

    if (!env || env[0] == '\0' || strcmp(env, "auto") == 0) {
        return MAIN_LOOP_AUTO;
    }
    if (strcmp(env, "io_uring") == 0) {
        return MAIN_LOOP_IO_URING;
    }
    if (strcmp(env, "ppoll") == 0) {
        return MAIN_LOOP_PPOLL;
    }
    if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED)) {
        warn_report("MORPH_MAIN_LOOP=%s is not io_uring, ppoll or auto; ignored", env);
    }
    return MAIN_LOOP_AUTO;
}

static bool main_loop_try_backend(MainLoop *ml, const MainLoopBackendOps *ops, Error **errp)
{
    ml->ops = ops;
    if (!ops->init(ml, errp)) {
        ml->ops = NULL;
        return false;
    }
    return true;
}

static bool main_loop_init_backend(MainLoop *ml, MainLoopBackend backend, Error **errp)
{
    if (backend == MAIN_LOOP_AUTO) {
        backend = main_loop_env_backend();
    }
    switch (backend) {
    case MAIN_LOOP_PPOLL:
        return main_loop_try_backend(ml, &main_loop_ppoll_ops, errp);
    case MAIN_LOOP_IO_URING:
#ifdef CONFIG_LIBURING
        return main_loop_try_backend(ml, &main_loop_uring_ops, errp);
#else
        error_setg(errp, "io_uring main loop: morph was built without liburing");
        return false;
#endif
    case MAIN_LOOP_AUTO:
    default: {
#ifdef CONFIG_LIBURING
        Error *err = NULL;
        char *msg;

        if (main_loop_try_backend(ml, &main_loop_uring_ops, &err)) {
            return true;
        }
        /* Expected on old kernels and in sandboxes: say it once, under -d. */
        msg = g_strdup_printf("%s; using ppoll", error_get_pretty(err));
        main_loop_log_once(msg);
        g_free(msg);
        error_free(err);
#else
        main_loop_log_once("built without liburing; using ppoll");
#endif
        return main_loop_try_backend(ml, &main_loop_ppoll_ops, errp);
    }
    }
}

/* ---- creation and teardown */

MainLoop *main_loop_new(MainLoopBackend backend, Error **errp)
{
    MainLoop *ml = g_new0(MainLoop, 1);

    ml->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (ml->wake_fd < 0) {
        error_setg_errno(errp, errno, "Cannot create the main loop's eventfd");
        g_free(ml);
        return NULL;
    }
    ml->owner = main_loop_thread_id();
    ml->fds = g_hash_table_new(NULL, NULL);
    ml->ready_tail = &ml->ready_head;
    g_mutex_init(&ml->lock);
    ml->bh_tail = &ml->bh_head;
    ml_req_queue_init(&ml->incoming);
    ml_req_queue_init(&ml->done);

    if (!main_loop_init_backend(ml, backend, errp)) {
        g_mutex_clear(&ml->lock);
        g_hash_table_destroy(ml->fds);
        close(ml->wake_fd);
        g_free(ml);
        return NULL;
    }
    ml->pool = thread_pool_new(ml);
    timer_loop_init(ml);
    return ml;
}

static void main_loop_free_queue(MLReqQueue *q)
{
    MLRequest *req;

    while ((req = ml_req_queue_pop(q))) {
        main_loop_req_free(req);
    }
}

void main_loop_free(MainLoop *ml)
{
    MLFdHandler *h;
    BH *bh;

    if (!ml) {
        return;
    }
    __atomic_store_n(&ml->owner, main_loop_thread_id(), __ATOMIC_RELAXED);
    /* Nothing may post to the loop once the workers are gone. */
    thread_pool_free(ml->pool);
    timer_loop_cleanup(ml);
    ml->ops->cleanup(ml);

    main_loop_free_queue(&ml->incoming);
    main_loop_free_queue(&ml->done);
    while ((bh = ml->bh_head)) {
        ml->bh_head = bh->next;
        /* A BH not deleted belongs to its owner, who must not use it after this. */
        if (__atomic_load_n(&bh->flags, __ATOMIC_RELAXED) & BH_DELETED) {
            g_free(bh);
        } else {
            __atomic_and_fetch(&bh->flags, ~(BH_QUEUED | BH_SCHEDULED), __ATOMIC_RELAXED);
        }
    }
    while ((h = ml->all_handlers)) {
        ml->all_handlers = h->all_next;
        g_free(h);
    }
    g_hash_table_destroy(ml->fds);
    g_mutex_clear(&ml->lock);
    close(ml->wake_fd);
    g_free(ml);
}

static gsize main_loop_default_once;
static MainLoop *main_loop_default_loop;

MainLoop *main_loop_default(void)
{
    if (g_once_init_enter(&main_loop_default_once)) {
        main_loop_default_loop = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
        g_once_init_leave(&main_loop_default_once, 1);
    }
    return main_loop_default_loop;
}

const char *main_loop_backend_name(MainLoop *ml)
{
    return ml->ops->name;
}

/* ---- wakeup */

void main_loop_wakeup(MainLoop *ml)
{
    static const uint64_t one = 1;
    ssize_t r;

    /* One write per sleep is enough; the loop clears the flag after draining. */
    if (__atomic_exchange_n(&ml->notified, 1, __ATOMIC_SEQ_CST)) {
        return;
    }
    do {
        r = write(ml->wake_fd, &one, sizeof(one));
    } while (r < 0 && errno == EINTR);
    /* EAGAIN: the counter is saturated, so the eventfd is readable anyway. */
}

void main_loop_wakeup_received(MainLoop *ml)
{
    uint64_t value;

    /*
     * Drain first, clear the flag second: a waker that still sees the flag
     * set published its work before our caller looks at the queues; one
     * that sees it clear writes the eventfd again.
     */
    if (read(ml->wake_fd, &value, sizeof(value)) == sizeof(value)) {
        __atomic_add_fetch(&ml->stats.wakeups, 1, __ATOMIC_RELAXED);
    }
    __atomic_exchange_n(&ml->notified, 0, __ATOMIC_SEQ_CST);
}

/* ---- fd handlers */

short main_loop_fd_interest(const MLFdHandler *h)
{
    return (h->on_read ? POLLIN : 0) | (h->on_write ? POLLOUT : 0);
}

void main_loop_fd_ref(MLFdHandler *h)
{
    h->refcnt++;
}

void main_loop_fd_unref(MLFdHandler *h)
{
    MainLoop *ml = h->ml;

    g_assert(h->refcnt > 0);
    if (--h->refcnt > 0) {
        return;
    }
    g_assert(h->deleted);
    if (h->all_prev) {
        h->all_prev->all_next = h->all_next;
    } else {
        ml->all_handlers = h->all_next;
    }
    if (h->all_next) {
        h->all_next->all_prev = h->all_prev;
    }
    g_free(h);
}

void main_loop_fd_ready(MainLoop *ml, MLFdHandler *h, short revents)
{
    h->revents |= revents;
    if (h->on_ready_list) {
        return;
    }
    h->on_ready_list = true;
    main_loop_fd_ref(h);
    h->ready_next = NULL;
    *ml->ready_tail = h;
    ml->ready_tail = &h->ready_next;
    ml->ready_len++;
}

void main_loop_fd_broken(MainLoop *ml, MLFdHandler *h)
{
    if (h->broken) {
        return;
    }
    /* Polling a closed fd would complete at once, forever: stop instead. */
    h->broken = true;
    log_mask_printf(LOG_MAIN_LOOP,
                    "main_loop: fd %d is not open; its handler is no longer polled "
                    "(remove a handler before closing its fd)\n",
                    h->fd);
}

void main_loop_set_fd_handler(MainLoop *ml, int fd, IOHandler *on_read, IOHandler *on_write,
                              void *opaque)
{
    MLFdHandler *h;

    if (fd < 0) {
        return;
    }
    h = g_hash_table_lookup(ml->fds, GINT_TO_POINTER(fd));
    if (!on_read && !on_write) {
        if (h) {
            g_hash_table_remove(ml->fds, GINT_TO_POINTER(fd));
            h->deleted = true;
            ml->ops->fd_update(ml, h);
            main_loop_fd_unref(h);
        }
        return;
    }
    if (!h) {
        h = g_new0(MLFdHandler, 1);
        h->ml = ml;
        h->fd = fd;
        h->refcnt = 1;
        h->all_next = ml->all_handlers;
        if (ml->all_handlers) {
            ml->all_handlers->all_prev = h;
        }
        ml->all_handlers = h;
        g_hash_table_insert(ml->fds, GINT_TO_POINTER(fd), h);
    }
    h->on_read = on_read;
    h->on_write = on_write;
    h->opaque = opaque;
    h->broken = false;
    ml->ops->fd_update(ml, h);
}

static MLFdHandler *main_loop_pop_ready(MainLoop *ml)
{
    MLFdHandler *h = ml->ready_head;

    if (h) {
        ml->ready_head = h->ready_next;
        if (!ml->ready_head) {
            ml->ready_tail = &ml->ready_head;
        }
        ml->ready_len--;
        h->on_ready_list = false;
        h->ready_next = NULL;
    }
    return h;
}

static bool main_loop_run_fds(MainLoop *ml)
{
    unsigned n = ml->ready_len;
    bool progress = false;
    MLFdHandler *h;

    while (n-- > 0 && (h = main_loop_pop_ready(ml))) {
        short ev = h->revents;

        h->revents = 0;
        if (!h->deleted && !h->dispatching) {
            /* As QEMU: errors and hangups go to the reader, who sees them in read(). */
            h->dispatching = true;
            if (h->on_read && (ev & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) {
                h->on_read(h->opaque);
                progress = true;
            }
            if (!h->deleted && h->on_write && (ev & (POLLOUT | POLLERR))) {
                h->on_write(h->opaque);
                progress = true;
            }
            h->dispatching = false;
            if (!h->deleted) {
                ml->ops->fd_dispatched(ml, h);
            }
        }
        main_loop_fd_unref(h);
    }
    return progress;
}

/* ---- bottom halves */

BH *bh_new(MainLoop *ml, BHFunc *cb, void *opaque)
{
    BH *bh = g_new0(BH, 1);

    bh->ml = ml;
    bh->cb = cb;
    bh->opaque = opaque;
    return bh;
}

static void bh_enqueue(BH *bh)
{
    MainLoop *ml = bh->ml;

    g_mutex_lock(&ml->lock);
    bh->next = NULL;
    *ml->bh_tail = bh;
    ml->bh_tail = &bh->next;
    ml->bh_len++;
    g_mutex_unlock(&ml->lock);
}

void bh_schedule(BH *bh)
{
    int old = __atomic_fetch_or(&bh->flags, BH_SCHEDULED | BH_QUEUED, __ATOMIC_SEQ_CST);

    if (!(old & BH_QUEUED)) {
        bh_enqueue(bh);
    }
    /* Already scheduled: whoever scheduled it has woken the loop. */
    if (!(old & BH_SCHEDULED) && !main_loop_in_thread(bh->ml)) {
        main_loop_wakeup(bh->ml);
    }
}

void bh_cancel(BH *bh)
{
    __atomic_and_fetch(&bh->flags, ~BH_SCHEDULED, __ATOMIC_SEQ_CST);
}

void bh_delete(BH *bh)
{
    int old;

    if (!bh) {
        return;
    }
    /* Freed by the loop when it pops it, so a queued pointer never dangles. */
    old = __atomic_fetch_or(&bh->flags, BH_DELETED | BH_QUEUED, __ATOMIC_SEQ_CST);
    if (!(old & BH_QUEUED)) {
        bh_enqueue(bh);
    }
}

static BH *main_loop_pop_bh(MainLoop *ml)
{
    BH *bh;

    g_mutex_lock(&ml->lock);
    bh = ml->bh_head;
    if (bh) {
        ml->bh_head = bh->next;
        if (!ml->bh_head) {
            ml->bh_tail = &ml->bh_head;
        }
        ml->bh_len--;
    }
    g_mutex_unlock(&ml->lock);
    return bh;
}

static bool main_loop_run_bhs(MainLoop *ml)
{
    bool progress = false;
    unsigned n;
    BH *bh;

    g_mutex_lock(&ml->lock);
    n = ml->bh_len;
    g_mutex_unlock(&ml->lock);

    while (n-- > 0 && (bh = main_loop_pop_bh(ml))) {
        /* Clearing QUEUED first lets the callback (or another thread) requeue it. */
        int old = __atomic_fetch_and(&bh->flags, ~(BH_QUEUED | BH_SCHEDULED), __ATOMIC_SEQ_CST);

        if (old & BH_DELETED) {
            g_free(bh);
        } else if (old & BH_SCHEDULED) {
            bh->cb(bh->opaque);
            progress = true;
        }
    }
    return progress;
}

/* ---- submissions */

void main_loop_req_free(MLRequest *req)
{
    if (req->iov != req->iov_inline) {
        g_free(req->iov);
    }
    g_free(req);
}

void main_loop_complete(MainLoop *ml, MLRequest *req)
{
    g_mutex_lock(&ml->lock);
    ml_req_queue_push(&ml->done, req);
    g_mutex_unlock(&ml->lock);
    if (!main_loop_in_thread(ml)) {
        main_loop_wakeup(ml);
    }
}

static void main_loop_hand_to_backend(MainLoop *ml, MLRequest *req)
{
    if (req->type == ML_REQ_WORK || !ml->ops->submit || !ml->ops->submit(ml, req)) {
        thread_pool_submit(ml->pool, req);
    }
}

static int main_loop_submit(MainLoop *ml, MLRequest *req)
{
    __atomic_add_fetch(&ml->stats.submissions, 1, __ATOMIC_RELAXED);
    if (req->type == ML_REQ_WORK || !ml->ops->submit) {
        /* The pool is thread-safe: no detour through the loop. */
        thread_pool_submit(ml->pool, req);
    } else if (main_loop_in_thread(ml)) {
        main_loop_hand_to_backend(ml, req);
    } else {
        /* The ring belongs to the loop's thread: queue, then wake it. */
        g_mutex_lock(&ml->lock);
        ml_req_queue_push(&ml->incoming, req);
        g_mutex_unlock(&ml->lock);
        main_loop_wakeup(ml);
    }
    return 0;
}

/* Move cross-thread submissions into the backend (loop thread). */
static void main_loop_take_incoming(MainLoop *ml)
{
    MLReqQueue q;
    MLRequest *req;

    g_mutex_lock(&ml->lock);
    q = ml->incoming;
    ml_req_queue_init(&ml->incoming);
    g_mutex_unlock(&ml->lock);

    if (!q.head) {
        return;
    }
    while ((req = ml_req_queue_pop(&q))) {
        main_loop_hand_to_backend(ml, req);
    }
    if (ml->ops->flush) {
        ml->ops->flush(ml);
    }
}

static MLRequest *main_loop_req_new(MLRequestType type, MLCompletionFn *cb, void *opaque)
{
    MLRequest *req = g_new0(MLRequest, 1);

    req->type = type;
    req->fd = -1;
    req->cb = cb;
    req->opaque = opaque;
    req->iov = req->iov_inline;
    return req;
}

static int main_loop_submit_rw(MainLoop *ml, MLRequestType type, int fd, const struct iovec *iov,
                               int iovcnt, off_t offset, MLCompletionFn *cb, void *opaque)
{
    MLRequest *req;

    /* A negative offset would mean "the file position" to io_uring. */
    if (iovcnt < 0 || iovcnt > IOV_MAX || offset < 0 || (iovcnt > 0 && !iov)) {
        return -EINVAL;
    }
    req = main_loop_req_new(type, cb, opaque);
    req->fd = fd;
    req->offset = offset;
    req->iovcnt = iovcnt;
    if (iovcnt > ML_REQ_INLINE_IOV) {
        req->iov = g_new(struct iovec, iovcnt);
    }
    if (iovcnt > 0) {
        memcpy(req->iov, iov, sizeof(*iov) * iovcnt);
    }
    return main_loop_submit(ml, req);
}

int main_loop_submit_readv(MainLoop *ml, int fd, const struct iovec *iov, int iovcnt, off_t offset,
                           MLCompletionFn *cb, void *opaque)
{
    return main_loop_submit_rw(ml, ML_REQ_READV, fd, iov, iovcnt, offset, cb, opaque);
}

int main_loop_submit_writev(MainLoop *ml, int fd, const struct iovec *iov, int iovcnt, off_t offset,
                            MLCompletionFn *cb, void *opaque)
{
    return main_loop_submit_rw(ml, ML_REQ_WRITEV, fd, iov, iovcnt, offset, cb, opaque);
}

int main_loop_submit_fsync(MainLoop *ml, int fd, bool datasync, MLCompletionFn *cb, void *opaque)
{
    MLRequest *req = main_loop_req_new(ML_REQ_FSYNC, cb, opaque);

    req->fd = fd;
    req->datasync = datasync;
    return main_loop_submit(ml, req);
}

int main_loop_submit_fallocate(MainLoop *ml, int fd, int mode, off_t offset, off_t len,
                               MLCompletionFn *cb, void *opaque)
{
    MLRequest *req;

    if (offset < 0) {
        return -EINVAL;
    }
    req = main_loop_req_new(ML_REQ_FALLOCATE, cb, opaque);
    req->fd = fd;
    req->mode = mode;
    req->offset = offset;
    req->len = len;
    return main_loop_submit(ml, req);
}

int main_loop_submit_work(MainLoop *ml, int64_t (*fn)(void *arg), void *arg, MLCompletionFn *cb,
                          void *opaque)
{
    MLRequest *req;

    if (!fn) {
        return -EINVAL;
    }
    req = main_loop_req_new(ML_REQ_WORK, cb, opaque);
    req->fn = fn;
    req->arg = arg;
    return main_loop_submit(ml, req);
}

static bool main_loop_run_completions(MainLoop *ml)
{
    bool progress = false;
    MLRequest *req;
    unsigned n;

    g_mutex_lock(&ml->lock);
    n = ml->done.len;
    g_mutex_unlock(&ml->lock);

    while (n-- > 0) {
        g_mutex_lock(&ml->lock);
        req = ml_req_queue_pop(&ml->done);
        g_mutex_unlock(&ml->lock);
        if (!req) {
            break;
        }
        __atomic_add_fetch(&ml->stats.completions, 1, __ATOMIC_RELAXED);
        if (req->cb) {
            req->cb(req->opaque, req->result);
        }
        main_loop_req_free(req);
        progress = true;
    }
    return progress;
}

/* ---- one iteration */

static int64_t main_loop_timeout_ns(MainLoop *ml)
{
    bool pending;

    if (ml->ready_head) {
        return 0;
    }
    g_mutex_lock(&ml->lock);
    pending = ml->bh_head || ml->incoming.head || ml->done.head;
    g_mutex_unlock(&ml->lock);
    if (pending) {
        return 0;
    }
    return timer_loop_timeout_ns(ml);
}

bool main_loop_wait(MainLoop *ml, bool blocking)
{
    bool progress = false;

    /* Whoever runs the loop owns it (a loop may be made in one thread, run in another). */
    __atomic_store_n(&ml->owner, main_loop_thread_id(), __ATOMIC_RELAXED);
    __atomic_add_fetch(&ml->stats.iterations, 1, __ATOMIC_RELAXED);

    main_loop_take_incoming(ml);
    ml->ops->wait(ml, blocking ? main_loop_timeout_ns(ml) : 0);
    /* A wakeup may have been for a submission: start it before dispatching. */
    main_loop_take_incoming(ml);

    progress |= main_loop_run_bhs(ml);
    progress |= main_loop_run_fds(ml);
    progress |= main_loop_run_completions(ml);
    progress |= timer_loop_run(ml);
    return progress;
}

void main_loop_get_stats(MainLoop *ml, MainLoopStats *out)
{
    out->iterations = __atomic_load_n(&ml->stats.iterations, __ATOMIC_RELAXED);
    out->wakeups = __atomic_load_n(&ml->stats.wakeups, __ATOMIC_RELAXED);
    out->submissions = __atomic_load_n(&ml->stats.submissions, __ATOMIC_RELAXED);
    out->completions = __atomic_load_n(&ml->stats.completions, __ATOMIC_RELAXED);
}
