/*
 * The worker threads behind main_loop_submit_work() (QEMU's aio=threads),
 * and behind file I/O when the loop has no io_uring or the kernel lacks an
 * opcode.  Each loop has its own small pool; threads start on demand, when
 * more requests wait than threads idle, up to THREAD_POOL_MAX, and live
 * until the loop is freed (an idle worker sleeps on a condition variable and
 * costs nothing).  A finished request goes to the loop's done queue and the
 * loop is woken through its eventfd; callbacks run in the loop's thread.
 * Workers block every signal, so signals reach the threads that expect them.
 */
#include "main-loop-int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#define THREAD_POOL_MAX 16

struct ThreadPool {
    MainLoop *ml;
    GMutex lock;
    GCond cond;
    MLReqQueue queue;
    GPtrArray *threads; /* GThread * */
    unsigned idle;
    bool stopping;
};

ThreadPool *thread_pool_new(MainLoop *ml)
{
    ThreadPool *pool = g_new0(ThreadPool, 1);

    pool->ml = ml;
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->cond);
    ml_req_queue_init(&pool->queue);
    pool->threads = g_ptr_array_new();
    return pool;
}

/* The blocking system call (or function) a request stands for: >= 0 or -errno. */
static int64_t thread_pool_run(MLRequest *req)
{
    int64_t r;

    if (req->type == ML_REQ_WORK) {
        return req->fn(req->arg);
    }
    do {
        switch (req->type) {
        case ML_REQ_READV:
            r = preadv(req->fd, req->iov, req->iovcnt, req->offset);
            break;
        case ML_REQ_WRITEV:
            r = pwritev(req->fd, req->iov, req->iovcnt, req->offset);
            break;
        case ML_REQ_FSYNC:
            r = req->datasync ? fdatasync(req->fd) : fsync(req->fd);
            break;
        case ML_REQ_FALLOCATE:
            r = fallocate(req->fd, req->mode, req->offset, req->len);
            break;
        default:
            errno = EINVAL;
            r = -1;
            break;
        }
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static gpointer thread_pool_worker(gpointer opaque)
{
    ThreadPool *pool = opaque;
    MLRequest *req;

    g_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->queue.head && !pool->stopping) {
            pool->idle++;
            g_cond_wait(&pool->cond, &pool->lock);
            pool->idle--;
        }
        if (pool->stopping) {
            break;
        }
        req = ml_req_queue_pop(&pool->queue);
        g_mutex_unlock(&pool->lock);

        req->result = thread_pool_run(req);
        main_loop_complete(pool->ml, req);

        g_mutex_lock(&pool->lock);
    }
    g_mutex_unlock(&pool->lock);
    return NULL;
}

/* Called with pool->lock held. */
static bool thread_pool_spawn(ThreadPool *pool)
{
    sigset_t all;
    sigset_t old;
    GThread *thread;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    thread = g_thread_try_new("morph-worker", thread_pool_worker, pool, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!thread) {
        return false;
    }
    g_ptr_array_add(pool->threads, thread);
    return true;
}

void thread_pool_submit(ThreadPool *pool, MLRequest *req)
{
    bool orphan = false;

    g_mutex_lock(&pool->lock);
    ml_req_queue_push(&pool->queue, req);
    if (pool->queue.len > pool->idle && pool->threads->len < THREAD_POOL_MAX) {
        /* With no thread at all the request could never run: fail it. */
        if (!thread_pool_spawn(pool) && pool->threads->len == 0) {
            ml_req_queue_pop(&pool->queue);
            orphan = true;
        }
    }
    g_cond_signal(&pool->cond);
    g_mutex_unlock(&pool->lock);

    if (orphan) {
        req->result = -EAGAIN;
        main_loop_complete(pool->ml, req);
    }
}

void thread_pool_free(ThreadPool *pool)
{
    MLRequest *req;
    guint i;

    g_mutex_lock(&pool->lock);
    pool->stopping = true;
    g_cond_broadcast(&pool->cond);
    g_mutex_unlock(&pool->lock);

    for (i = 0; i < pool->threads->len; i++) {
        g_thread_join(g_ptr_array_index(pool->threads, i));
    }
    while ((req = ml_req_queue_pop(&pool->queue))) {
        main_loop_req_free(req);
    }
    g_ptr_array_free(pool->threads, TRUE);
    g_cond_clear(&pool->cond);
    g_mutex_clear(&pool->lock);
    g_free(pool);
}
