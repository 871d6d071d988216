/*
 * The main loop's fallback backend, for hosts that refuse io_uring (old
 * kernels, seccomp filters, the kernel.io_uring_disabled sysctl) or when
 * MORPH_MAIN_LOOP=ppoll asks for it.  Readiness comes from ppoll(2) over
 * every registered fd plus the wakeup eventfd, with the timeout in
 * nanoseconds so timers keep their precision; ppoll is level-triggered by
 * nature.  File I/O and work items go to the worker pool (thread-pool.c),
 * which posts each completion back to the loop through the eventfd.
 */
#include "main-loop-int.h"

#include <errno.h>
#include <time.h>

typedef struct MLPpoll {
    GArray *pfds;        /* struct pollfd; [0] is the eventfd */
    GPtrArray *handlers; /* MLFdHandler for pfds[i], [0] is NULL */
} MLPpoll;

static bool mlppoll_init(MainLoop *ml, Error **errp)
{
    MLPpoll *p = g_new0(MLPpoll, 1);

    p->pfds = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
    p->handlers = g_ptr_array_new();
    ml->backend = p;
    return true;
}

static void mlppoll_cleanup(MainLoop *ml)
{
    MLPpoll *p = ml->backend;

    g_array_free(p->pfds, TRUE);
    g_ptr_array_free(p->handlers, TRUE);
    g_free(p);
    ml->backend = NULL;
}

/* The pollfd set is rebuilt before each sleep, so changes need no bookkeeping. */
static void mlppoll_fd_update(MainLoop *ml, MLFdHandler *h)
{
}

static void mlppoll_fd_dispatched(MainLoop *ml, MLFdHandler *h)
{
}

static void mlppoll_add(MLPpoll *p, int fd, short events, MLFdHandler *h)
{
    struct pollfd pfd = {.fd = fd, .events = events};

    g_array_append_val(p->pfds, pfd);
    g_ptr_array_add(p->handlers, h);
}

static void mlppoll_wait(MainLoop *ml, int64_t timeout_ns)
{
    MLPpoll *p = ml->backend;
    struct timespec ts;
    GHashTableIter iter;
    gpointer value;
    struct pollfd *pfds;
    guint i;
    int n;

    g_array_set_size(p->pfds, 0);
    g_ptr_array_set_size(p->handlers, 0);
    mlppoll_add(p, ml->wake_fd, POLLIN, NULL);
    g_hash_table_iter_init(&iter, ml->fds);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        MLFdHandler *h = value;

        /* Waiting on the ready list, or running: a nested wait must not report it again. */
        if (h->broken || h->dispatching || h->on_ready_list) {
            continue;
        }
        mlppoll_add(p, h->fd, main_loop_fd_interest(h), h);
    }

    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
    }
    pfds = (struct pollfd *)p->pfds->data;
    n = ppoll(pfds, p->pfds->len, timeout_ns >= 0 ? &ts : NULL, NULL);
    if (n <= 0) {
        /* Timeout, or EINTR: the caller's iteration handles both. */
        return;
    }
    if (pfds[0].revents) {
        main_loop_wakeup_received(ml);
    }
    for (i = 1; i < p->pfds->len; i++) {
        MLFdHandler *h = g_ptr_array_index(p->handlers, i);
        short ev = pfds[i].revents;

        if (!ev) {
            continue;
        }
        if (ev & POLLNVAL) {
            main_loop_fd_broken(ml, h);
        }
        main_loop_fd_ready(ml, h, ev);
    }
}

const MainLoopBackendOps main_loop_ppoll_ops = {
    .name = "ppoll",
    .init = mlppoll_init,
    .cleanup = mlppoll_cleanup,
    .fd_update = mlppoll_fd_update,
    .fd_dispatched = mlppoll_fd_dispatched,
    .wait = mlppoll_wait,
    .submit = NULL,
    .flush = NULL,
};
