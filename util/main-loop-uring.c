/*
 * The main loop's io_uring backend (liburing; the kernel's semantics are
 * those of io_uring_enter(2) and the liburing man pages; QEMU's
 * util/fdmon-io_uring.c and block/io_uring.c do the same jobs).  One ring
 * per loop carries:
 *   - fd readiness: a one-shot IORING_OP_POLL_ADD per handler, armed again
 *     after the handler ran, so an fd with unread data completes again at
 *     once and handlers keep level-triggered meaning;
 *   - the wakeup eventfd, polled the same way;
 *   - readv/writev/fsync/fallocate submissions;
 *   - the sleep itself: io_uring_submit_and_wait_timeout() bounds it by the
 *     nearest timer deadline (the kernel's EXT_ARG timeout, or liburing's
 *     own timeout SQE on kernels without it).
 *
 * A CQE's user_data is a pointer with a tag in its low bits (allocations
 * are 8-byte aligned).  A handler being removed or changing interest gets an
 * IORING_OP_POLL_REMOVE; its node stays allocated while the poll is in
 * flight (the poll holds a reference), so a stale completion lands on a node
 * marked deleted and is dropped.  A poll that completes with nothing the
 * handler wants (cancelled, or for a mask it no longer has) is armed again
 * with the current mask.
 *
 * At most half as many file requests as the completion ring has entries
 * are in the kernel at once; more wait in a local queue, so the completion
 * ring cannot overflow because of I/O.  When the submission ring is full it is
 * submitted and, if the kernel will not take entries, completions are
 * reaped (they are only recorded here, never dispatched) until it does.
 */
#include "main-loop-int.h"

#include <errno.h>
#include <liburing.h>
#include <string.h>

#define URING_SQ_ENTRIES 256
#define URING_CQ_ENTRIES 4096

enum {
    URING_TAG_POLL = 1,   /* an MLFdHandler's poll */
    URING_TAG_REQ = 2,    /* an MLRequest */
    URING_TAG_WAKE = 3,   /* the eventfd's poll */
    URING_TAG_CANCEL = 4, /* a POLL_REMOVE: nothing to do */
    URING_TAG_MASK = 7,
};

typedef struct MLUring {
    struct io_uring ring;
    bool supported[ML_REQ__MAX];
    bool wake_armed;
    unsigned reaped; /* CQEs seen so far (a sleep must not follow new ones) */
    unsigned io_inflight;
    unsigned io_max;
    MLReqQueue io_waiting;   /* beyond io_max */
    MLFdHandler *rearm_head; /* polls to arm again before sleeping */
} MLUring;

static inline uint64_t mluring_udata(void *ptr, unsigned tag)
{
    return (uint64_t)(uintptr_t)ptr | tag;
}

static inline void *mluring_udata_ptr(uint64_t udata)
{
    return (void *)(uintptr_t)(udata & ~(uint64_t)URING_TAG_MASK);
}

/* ---- completions: only recorded here, dispatched by main-loop.c */

static void mluring_rearm_later(MLUring *u, MLFdHandler *h)
{
    if (h->on_rearm_list) {
        main_loop_fd_unref(h);
        return;
    }
    /* Takes over the caller's reference. */
    h->on_rearm_list = true;
    h->rearm_next = u->rearm_head;
    u->rearm_head = h;
}

static void mluring_poll_done(MainLoop *ml, MLUring *u, MLFdHandler *h, int res)
{
    short wanted;

    h->armed = false;
    h->cancel_sent = false;
    if (h->deleted) {
        main_loop_fd_unref(h);
        return;
    }
    if (res == -ECANCELED || res == 0) {
        /* Cancelled for a change of interest: arm with the new mask. */
        mluring_rearm_later(u, h);
        return;
    }
    if (res < 0) {
        /* -EBADF and the like: tell the reader once, then stop polling. */
        main_loop_fd_broken(ml, h);
        main_loop_fd_ready(ml, h, POLLERR | POLLNVAL);
        main_loop_fd_unref(h);
        return;
    }
    if (res & POLLNVAL) {
        main_loop_fd_broken(ml, h);
    }
    wanted = res & (main_loop_fd_interest(h) | POLLERR | POLLHUP | POLLNVAL);
    if (wanted) {
        /* Armed again by mluring_fd_dispatched() once the handler has run. */
        main_loop_fd_ready(ml, h, wanted);
        main_loop_fd_unref(h);
    } else {
        mluring_rearm_later(u, h);
    }
}

static void mluring_cqe(MainLoop *ml, MLUring *u, uint64_t udata, int res)
{
    MLRequest *req;

    switch (udata & URING_TAG_MASK) {
    case URING_TAG_POLL:
        mluring_poll_done(ml, u, mluring_udata_ptr(udata), res);
        break;
    case URING_TAG_REQ:
        req = mluring_udata_ptr(udata);
        req->result = res;
        u->io_inflight--;
        main_loop_complete(ml, req);
        break;
    case URING_TAG_WAKE:
        u->wake_armed = false;
        main_loop_wakeup_received(ml);
        break;
    default:
        /* POLL_REMOVE results, liburing's internal timeout (LIBURING_UDATA_TIMEOUT). */
        break;
    }
}

static unsigned mluring_reap(MainLoop *ml, MLUring *u)
{
    struct io_uring_cqe *cqe;
    unsigned head;
    unsigned n = 0;

    io_uring_for_each_cqe(&u->ring, head, cqe) {
        mluring_cqe(ml, u, cqe->user_data, cqe->res);
        n++;
    }
    io_uring_cq_advance(&u->ring, n);
    u->reaped += n;
    return n;
}

/* ---- submissions */

static struct io_uring_sqe *mluring_get_sqe(MainLoop *ml, MLUring *u)
{
    struct io_uring_sqe *sqe;

    for (;;) {
        sqe = io_uring_get_sqe(&u->ring);
        if (sqe) {
            return sqe;
        }
        if (io_uring_submit(&u->ring) > 0) {
            continue;
        }
        /*
         * The kernel took nothing (-EBUSY: completions overflowed; -EAGAIN:
         * no memory).  Reaping frees room; if nothing is there yet, wait
         * for a completion, with a bound in case nothing is in flight.
         */
        if (mluring_reap(ml, u) == 0) {
            struct __kernel_timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
            struct io_uring_cqe *cqe;

            io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts);
            mluring_reap(ml, u);
        }
    }
}

static void mluring_arm(MainLoop *ml, MLUring *u, MLFdHandler *h)
{
    struct io_uring_sqe *sqe;

    if (h->armed || h->deleted || h->broken || h->on_ready_list || h->dispatching) {
        return;
    }
    sqe = mluring_get_sqe(ml, u);
    /* Reaping inside get_sqe never touches an unarmed node, so h is as checked. */
    h->armed_mask = main_loop_fd_interest(h);
    io_uring_prep_poll_add(sqe, h->fd, h->armed_mask);
    io_uring_sqe_set_data64(sqe, mluring_udata(h, URING_TAG_POLL));
    h->armed = true;
    h->cancel_sent = false;
    main_loop_fd_ref(h);
}

static void mluring_cancel(MainLoop *ml, MLUring *u, MLFdHandler *h)
{
    struct io_uring_sqe *sqe;

    if (!h->armed || h->cancel_sent) {
        return;
    }
    sqe = mluring_get_sqe(ml, u);
    if (!h->armed) {
        /* Its completion was reaped meanwhile: nothing left to cancel. */
        io_uring_prep_nop(sqe);
    } else {
        /* By hand: the helper's argument type changed across liburing versions. */
        io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
        sqe->addr = mluring_udata(h, URING_TAG_POLL);
        h->cancel_sent = true;
    }
    io_uring_sqe_set_data64(sqe, mluring_udata(NULL, URING_TAG_CANCEL));
}

static void mluring_prep_req(MainLoop *ml, MLUring *u, MLRequest *req)
{
    struct io_uring_sqe *sqe = mluring_get_sqe(ml, u);

    switch (req->type) {
    case ML_REQ_READV:
        io_uring_prep_readv(sqe, req->fd, req->iov, req->iovcnt, req->offset);
        break;
    case ML_REQ_WRITEV:
        io_uring_prep_writev(sqe, req->fd, req->iov, req->iovcnt, req->offset);
        break;
    case ML_REQ_FSYNC:
        io_uring_prep_fsync(sqe, req->fd, req->datasync ? IORING_FSYNC_DATASYNC : 0);
        break;
    case ML_REQ_FALLOCATE:
        io_uring_prep_fallocate(sqe, req->fd, req->mode, req->offset, req->len);
        break;
    default:
        g_assert_not_reached();
    }
    io_uring_sqe_set_data64(sqe, mluring_udata(req, URING_TAG_REQ));
    u->io_inflight++;
}

static bool mluring_submit(MainLoop *ml, MLRequest *req)
{
    MLUring *u = ml->backend;

    if (!u->supported[req->type]) {
        return false;
    }
    if (u->io_inflight < u->io_max && !u->io_waiting.head) {
        mluring_prep_req(ml, u, req);
    } else {
        ml_req_queue_push(&u->io_waiting, req);
    }
    return true;
}

/* Everything that must be in the ring before the loop sleeps. */
static void mluring_prepare(MainLoop *ml, MLUring *u)
{
    MLFdHandler *h;

    if (!u->wake_armed) {
        struct io_uring_sqe *sqe = mluring_get_sqe(ml, u);

        io_uring_prep_poll_add(sqe, ml->wake_fd, POLLIN);
        io_uring_sqe_set_data64(sqe, mluring_udata(NULL, URING_TAG_WAKE));
        u->wake_armed = true;
    }
    while ((h = u->rearm_head)) {
        u->rearm_head = h->rearm_next;
        h->rearm_next = NULL;
        h->on_rearm_list = false;
        mluring_arm(ml, u, h);
        main_loop_fd_unref(h);
    }
    while (u->io_inflight < u->io_max && u->io_waiting.head) {
        mluring_prep_req(ml, u, ml_req_queue_pop(&u->io_waiting));
    }
}

static void mluring_flush(MainLoop *ml)
{
    MLUring *u = ml->backend;

    mluring_prepare(ml, u);
    io_uring_submit(&u->ring);
}

/* ---- fd handlers */

static void mluring_fd_update(MainLoop *ml, MLFdHandler *h)
{
    MLUring *u = ml->backend;

    if (h->deleted) {
        mluring_cancel(ml, u, h);
    } else if (h->armed) {
        /* A poll for another mask: cancel it, its completion arms the new one. */
        if (h->armed_mask != main_loop_fd_interest(h)) {
            mluring_cancel(ml, u, h);
        }
    } else {
        mluring_arm(ml, u, h);
    }
}

static void mluring_fd_dispatched(MainLoop *ml, MLFdHandler *h)
{
    mluring_arm(ml, ml->backend, h);
}

/* ---- sleeping */

static void mluring_wait(MainLoop *ml, int64_t timeout_ns)
{
    MLUring *u = ml->backend;
    struct io_uring_cqe *cqe;
    unsigned reaped = u->reaped;

    mluring_prepare(ml, u);
    if (u->reaped != reaped) {
        /* A full ring made prepare reap: what it found must be dispatched first. */
        timeout_ns = 0;
    }
    if (timeout_ns == 0) {
        io_uring_submit(&u->ring);
    } else if (timeout_ns < 0) {
        io_uring_submit_and_wait(&u->ring, 1);
    } else {
        struct __kernel_timespec ts = {
            .tv_sec = timeout_ns / 1000000000,
            .tv_nsec = timeout_ns % 1000000000,
        };

        /* -ETIME, -EINTR: the caller's iteration handles both. */
        io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
    }
    mluring_reap(ml, u);
}

/* ---- setup and teardown */

static bool mluring_init(MainLoop *ml, Error **errp)
{
    static const struct {
        MLRequestType type;
        int op;
    } ops[] = {
        {ML_REQ_READV, IORING_OP_READV},
        {ML_REQ_WRITEV, IORING_OP_WRITEV},
        {ML_REQ_FSYNC, IORING_OP_FSYNC},
        {ML_REQ_FALLOCATE, IORING_OP_FALLOCATE},
    };
    struct io_uring_params params;
    struct io_uring_probe *probe;
    MLUring *u = g_new0(MLUring, 1);
    size_t i;
    int ret;

    memset(&params, 0, sizeof(params));
    params.flags = IORING_SETUP_CQSIZE;
    params.cq_entries = URING_CQ_ENTRIES;
    ret = io_uring_queue_init_params(URING_SQ_ENTRIES, &u->ring, &params);
    if (ret == -ENOMEM) {
        /* Before 5.12 rings count against RLIMIT_MEMLOCK (often 64 KiB): go small. */
        memset(&params, 0, sizeof(params));
        ret = io_uring_queue_init_params(32, &u->ring, &params);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "io_uring unavailable: io_uring_queue_init");
        g_free(u);
        return false;
    }
    ml_req_queue_init(&u->io_waiting);
    u->io_max = MAX(params.cq_entries / 2, 1);

    /* Kernels before 5.6 cannot probe; they have the 5.1 opcodes only. */
    probe = io_uring_get_probe_ring(&u->ring);
    for (i = 0; i < G_N_ELEMENTS(ops); i++) {
        u->supported[ops[i].type] =
            probe ? io_uring_opcode_supported(probe, ops[i].op) : ops[i].op != IORING_OP_FALLOCATE;
    }
    if (probe && (!io_uring_opcode_supported(probe, IORING_OP_POLL_ADD) ||
                  !io_uring_opcode_supported(probe, IORING_OP_POLL_REMOVE))) {
        io_uring_free_probe(probe);
        io_uring_queue_exit(&u->ring);
        g_free(u);
        error_setg(errp, "io_uring unavailable: no IORING_OP_POLL_ADD");
        return false;
    }
    if (probe) {
        io_uring_free_probe(probe);
    }
    ml->backend = u;
    return true;
}

static void mluring_cleanup(MainLoop *ml)
{
    MLUring *u = ml->backend;
    MLRequest *req;

    /* The kernel may still write into callers' buffers: let it finish. */
    while ((req = ml_req_queue_pop(&u->io_waiting))) {
        main_loop_req_free(req);
    }
    if (u->io_inflight > 0) {
        /* A read from a pipe might never end otherwise (needs 5.19; else best effort). */
        struct io_uring_sqe *sqe = mluring_get_sqe(ml, u);

        io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
        io_uring_sqe_set_data64(sqe, mluring_udata(NULL, URING_TAG_CANCEL));
    }
    io_uring_submit(&u->ring);
    while (u->io_inflight > 0) {
        struct io_uring_cqe *cqe;

        io_uring_wait_cqe(&u->ring, &cqe);
        mluring_reap(ml, u);
    }
    /* Polls die with the ring; their nodes are freed by main_loop_free(). */
    io_uring_queue_exit(&u->ring);
    g_free(u);
    ml->backend = NULL;
}

const MainLoopBackendOps main_loop_uring_ops = {
    .name = "io_uring",
    .init = mluring_init,
    .cleanup = mluring_cleanup,
    .fd_update = mluring_fd_update,
    .fd_dispatched = mluring_fd_dispatched,
    .wait = mluring_wait,
    .submit = mluring_submit,
    .flush = mluring_flush,
};
