/*
 * Submissions of the file protocol to the main loop (see aio-loop.h).
 * One AioWait lives on the requesting coroutine's stack for the duration
 * of the submission; the completion stores the result and re-enters the
 * coroutine if it has already yielded.
 */
#include "aio-loop.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "block/block.h"
#include "util/coroutine.h"
#ifdef BLOCK_HAVE_MAIN_LOOP
#include "util/main-loop.h"
#endif

typedef enum AioOp {
    AIO_OP_READ,
    AIO_OP_WRITE,
    AIO_OP_FSYNC,
    AIO_OP_FALLOCATE,
} AioOp;

typedef struct AioWait {
    Coroutine *co;
    bool done;
    bool waiting;
    int64_t ret;
    AioOp op;
    int fd;
    const struct iovec *iov;
    int iovcnt;
    int64_t offset;
    int64_t len;
    int mode;
} AioWait;

/* The blocking call itself; also what a worker thread runs for aio=threads. */
static int64_t aio_loop_syscall(void *arg)
{
    AioWait *w = arg;
    ssize_t r;

    switch (w->op) {
    case AIO_OP_READ:
        r = preadv(w->fd, w->iov, w->iovcnt, w->offset);
        break;
    case AIO_OP_WRITE:
        r = pwritev(w->fd, w->iov, w->iovcnt, w->offset);
        break;
    case AIO_OP_FSYNC:
        r = fdatasync(w->fd);
        break;
    default:
        r = fallocate(w->fd, w->mode, w->offset, w->len);
        break;
    }
    return r < 0 ? -errno : r;
}

#ifdef BLOCK_HAVE_MAIN_LOOP
static void aio_loop_complete(void *opaque, int64_t result)
{
    AioWait *w = opaque;

    w->ret = result;
    w->done = true;
    if (w->waiting) {
        coroutine_enter(w->co);
    }
}

bool block_uses_main_loop(void)
{
    return true;
}

void block_poll(void)
{
    main_loop_wait(main_loop_default(), true);
}

static int64_t aio_loop_run(BlockAioKind kind, AioWait *w)
{
    MainLoop *ml = main_loop_default();
    int r;

    w->co = coroutine_self();
    if (!w->co) {
        /* Not in a request coroutine (a tool's direct call): block here. */
        return aio_loop_syscall(w);
    }
    if (kind == BLOCK_AIO_THREADS) {
        r = main_loop_submit_work(ml, aio_loop_syscall, w, aio_loop_complete, w);
    } else {
        switch (w->op) {
        case AIO_OP_READ:
            r = main_loop_submit_readv(ml, w->fd, w->iov, w->iovcnt, w->offset,
                                       aio_loop_complete, w);
            break;
        case AIO_OP_WRITE:
            r = main_loop_submit_writev(ml, w->fd, w->iov, w->iovcnt, w->offset,
                                        aio_loop_complete, w);
            break;
        case AIO_OP_FSYNC:
            r = main_loop_submit_fsync(ml, w->fd, true, aio_loop_complete, w);
            break;
        default:
            r = main_loop_submit_fallocate(ml, w->fd, w->mode, w->offset, w->len,
                                           aio_loop_complete, w);
            break;
        }
    }
    if (r < 0) {
        return r;
    }
    while (!w->done) {
        w->waiting = true;
        coroutine_yield();
        w->waiting = false;
    }
    return w->ret;
}
#else
bool block_uses_main_loop(void)
{
    return false;
}

void block_poll(void)
{
    /* Every request completes before it returns; nothing can be pending. */
}

static int64_t aio_loop_run(BlockAioKind kind, AioWait *w)
{
    return aio_loop_syscall(w);
}
#endif

int64_t block_aio_preadv(BlockAioKind kind, int fd, const struct iovec *iov, int iovcnt,
                         int64_t offset)
{
    AioWait w = { .op = AIO_OP_READ, .fd = fd, .iov = iov, .iovcnt = iovcnt,
                  .offset = offset };

    return aio_loop_run(kind, &w);
}

int64_t block_aio_pwritev(BlockAioKind kind, int fd, const struct iovec *iov, int iovcnt,
                          int64_t offset)
{
    AioWait w = { .op = AIO_OP_WRITE, .fd = fd, .iov = iov, .iovcnt = iovcnt,
                  .offset = offset };

    return aio_loop_run(kind, &w);
}

int64_t block_aio_fdatasync(BlockAioKind kind, int fd)
{
    AioWait w = { .op = AIO_OP_FSYNC, .fd = fd };

    return aio_loop_run(kind, &w);
}

int64_t block_aio_fallocate(BlockAioKind kind, int fd, int mode, int64_t offset, int64_t len)
{
    AioWait w = { .op = AIO_OP_FALLOCATE, .fd = fd, .mode = mode, .offset = offset,
                  .len = len };

    return aio_loop_run(kind, &w);
}
