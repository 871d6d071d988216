/*
 * The event loop: fd handlers, timers, bottom halves and asynchronous I/O
 * submissions, on io_uring (liburing) with a ppoll fallback.
 *
 * One MainLoop per event-loop thread; main_loop_default() is the main
 * thread's.  Everything registered on a loop runs in that loop's thread:
 * the thread that created it, or the last one that called main_loop_wait()
 * on it (so a loop may be made in one thread and handed to another).
 * The io_uring is shared by fd readiness (one-shot poll, re-armed after each
 * completion so a handler keeps level-triggered meaning), timers (one
 * timeout for the nearest deadline) and file I/O (readv/writev/fsync/
 * fallocate).  When io_uring is refused (old kernel, seccomp, the
 * io_uring_disabled sysctl) or MORPH_MAIN_LOOP=ppoll is set, the loop uses
 * ppoll for readiness and a small thread pool for file I/O, with the same
 * interface.  Nothing busy-polls: an idle loop sleeps in the kernel.
 *
 * Thread safety: main_loop_wakeup(), bh_schedule(), and every
 * main_loop_submit_*() may be called from any thread (so may bh_new,
 * bh_cancel, bh_delete, timer_new_ns, timer_mod_ns, timer_del and the clock
 * functions); a submission from
 * another thread is queued and the owning loop is woken through its eventfd
 * (forgetting that wakeup is the stall QEMU once shipped).  Handlers may add
 * or remove handlers, timers and BHs, including themselves, and may call
 * main_loop_wait() again (a nested wait never re-enters the fd handler that
 * is running).  Everything else (fd handlers, timer_free, main_loop_free)
 * belongs to the loop's thread.  Backend choice is logged under `-d main_loop`.
 */
#ifndef MORPH_UTIL_MAIN_LOOP_H
#define MORPH_UTIL_MAIN_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include "util/error.h"

typedef struct MainLoop MainLoop;
typedef struct Timer Timer;
typedef struct BH BH;

typedef void IOHandler(void *opaque);
typedef void TimerCB(void *opaque);
typedef void BHFunc(void *opaque);
/* Completion of a submission: result >= 0 (bytes, or 0) or -errno. */
typedef void MLCompletionFn(void *opaque, int64_t result);

typedef enum MainLoopBackend {
    MAIN_LOOP_AUTO,         /* io_uring if the kernel allows it, else ppoll */
    MAIN_LOOP_IO_URING,
    MAIN_LOOP_PPOLL,
} MainLoopBackend;

/*
 * Create a loop owned by the calling thread.  MAIN_LOOP_AUTO follows
 * $MORPH_MAIN_LOOP (io_uring, ppoll or auto) when set.
 */
MainLoop *main_loop_new(MainLoopBackend backend, Error **errp);
/*
 * Free a loop (not the default one).  Drain it first: file I/O still in the
 * kernel is cancelled or waited for, and requests not yet completed are
 * dropped without their callbacks; fd handlers are dropped; timers and BHs
 * must have been freed / deleted by their owners.
 */
void main_loop_free(MainLoop *ml);
/* The main thread's loop (created on first use with MAIN_LOOP_AUTO / $MORPH_MAIN_LOOP). */
MainLoop *main_loop_default(void);
/* "io_uring" or "ppoll". */
const char *main_loop_backend_name(MainLoop *ml);

/*
 * Run one iteration: dispatch what is ready; if `blocking`, sleep until
 * something is (an fd, a timer, a BH, a completion or a wakeup).
 * Returns true if anything was dispatched.
 */
bool main_loop_wait(MainLoop *ml, bool blocking);
/* Wake the loop from any thread (it returns from a blocking wait). */
void main_loop_wakeup(MainLoop *ml);

/*
 * Readiness handlers; NULL for both removes the fd. Level-triggered: an fd
 * with unread data calls on_read again in the next iteration.  POLLHUP and
 * POLLERR go to on_read (which sees them in read()), POLLERR also to
 * on_write.  Remove a handler before closing its fd; an fd found closed is
 * reported to on_read once and then no longer polled.
 */
void main_loop_set_fd_handler(MainLoop *ml, int fd, IOHandler *on_read,
                              IOHandler *on_write, void *opaque);

/*
 * Bottom halves: run once in the loop's thread after bh_schedule() (several
 * schedules before it runs: one run).  A BH that schedules itself runs again
 * in the next iteration, not in the same one.  bh_delete() may be called from
 * the BH's own callback; the loop frees it.
 */
BH *bh_new(MainLoop *ml, BHFunc *cb, void *opaque);
void bh_schedule(BH *bh);
void bh_cancel(BH *bh);
void bh_delete(BH *bh);

/*
 * Clocks, in QEMU's model:
 *   REALTIME  monotonic host time, runs always (UI, monitor timeouts);
 *   VIRTUAL   guest time: follows host time, stops while the VM is stopped;
 *   HOST      the host's wall clock (CLOCK_REALTIME), may jump (RTC devices).
 * VIRTUAL reads 0 when first used and starts running; while paused it stands
 * still and its timers do not fire, and it resumes from the same value.
 */
typedef enum MorphClockType {
    MORPH_CLOCK_REALTIME,
    MORPH_CLOCK_VIRTUAL,
    MORPH_CLOCK_HOST,
    MORPH_CLOCK_MAX,
} MorphClockType;

int64_t clock_get_ns(MorphClockType type);
/* Stop / restart the virtual clock (vm_stop / vm_start). Idempotent. */
void clock_virtual_pause(void);
void clock_virtual_resume(void);
bool clock_virtual_is_running(void);

Timer *timer_new_ns(MainLoop *ml, MorphClockType type, TimerCB *cb, void *opaque);
/*
 * (Re)arm at an absolute time of the timer's clock; any thread.  Timers of
 * one clock fire in deadline order, equal deadlines in arming order.
 */
void timer_mod_ns(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
bool timer_pending(Timer *t);
int64_t timer_expire_ns(Timer *t);
void timer_free(Timer *t);
/* The nearest deadline (absolute, in the clock's ns) of a clock's timers on `ml`, or -1. */
int64_t main_loop_clock_deadline_ns(MainLoop *ml, MorphClockType type);

/*
 * Asynchronous file I/O on the loop: the callback runs in the loop's thread.
 * The buffers must stay valid until completion (the iovec array itself is
 * copied).  Returns 0, or -errno if the request could not be queued (the
 * callback is then not called): -EINVAL for a negative offset or iovcnt, or
 * iovcnt > IOV_MAX.  Results are those of preadv/pwritev/fsync/fallocate:
 * a read may be short at end of file; a bad fd completes with -EBADF.
 */
int main_loop_submit_readv(MainLoop *ml, int fd, const struct iovec *iov, int iovcnt,
                           off_t offset, MLCompletionFn *cb, void *opaque);
int main_loop_submit_writev(MainLoop *ml, int fd, const struct iovec *iov, int iovcnt,
                            off_t offset, MLCompletionFn *cb, void *opaque);
int main_loop_submit_fsync(MainLoop *ml, int fd, bool datasync, MLCompletionFn *cb,
                           void *opaque);
/* mode: FALLOC_FL_* (punch hole / zero range / keep size). */
int main_loop_submit_fallocate(MainLoop *ml, int fd, int mode, off_t offset, off_t len,
                               MLCompletionFn *cb, void *opaque);
/* Run `fn(arg)` on a worker thread and complete with its result (aio=threads, blocking calls). */
int main_loop_submit_work(MainLoop *ml, int64_t (*fn)(void *arg), void *arg,
                          MLCompletionFn *cb, void *opaque);

/* Statistics for tests and `info` commands. */
typedef struct MainLoopStats {
    uint64_t iterations;
    uint64_t wakeups;
    uint64_t submissions;
    uint64_t completions;
} MainLoopStats;
void main_loop_get_stats(MainLoop *ml, MainLoopStats *out);

#endif
