/*
 * How block/ waits for the host: a request coroutine submits a readv,
 * writev, fsync, fallocate or a blocking function to the main loop
 * (util/main-loop.h) and yields; the completion callback re-enters it.
 * Builds without the main loop (BLOCK_HAVE_MAIN_LOOP undefined) run the
 * same calls synchronously, so the format code is the same either way.
 */
#ifndef MORPH_BLOCK_AIO_LOOP_H
#define MORPH_BLOCK_AIO_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

typedef enum BlockAioKind {
    BLOCK_AIO_IO_URING,     /* the loop's own submissions (io_uring or its pool) */
    BLOCK_AIO_THREADS,      /* a worker thread runs the blocking syscall */
} BlockAioKind;

/* Each returns the syscall's result: >= 0, or -errno.  Coroutine context. */
int64_t block_aio_preadv(BlockAioKind kind, int fd, const struct iovec *iov, int iovcnt,
                         int64_t offset);
int64_t block_aio_pwritev(BlockAioKind kind, int fd, const struct iovec *iov, int iovcnt,
                          int64_t offset);
int64_t block_aio_fdatasync(BlockAioKind kind, int fd);
int64_t block_aio_fallocate(BlockAioKind kind, int fd, int mode, int64_t offset, int64_t len);

#endif
