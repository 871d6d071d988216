/*
 * Unit tests for the main loop (util/main-loop*.c, util/timer.c,
 * util/thread-pool.c; contract: include/util/main-loop.h).  Every case runs
 * on both backends, io_uring (skipped when the kernel refuses a ring) and
 * ppoll, because callers must not be able to tell them apart.
 *
 * Latency bounds (100 ms) are correctness bounds, not benchmarks: a lost
 * wakeup shows up as a wait that only ends when a guard timer fires, long
 * after the bound.  Every blocking wait here has such a guard, so a broken
 * loop fails a test instead of hanging the suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config-host.h"
#include "util/log.h"
#include "util/main-loop.h"

#define NS_PER_MS        1000000LL
#define LATENCY_BOUND_NS (100 * NS_PER_MS)

static int64_t now_ns(void)
{
    return clock_get_ns(MORPH_CLOCK_REALTIME);
}

static void set_flag(void *opaque)
{
    __atomic_store_n((bool *)opaque, true, __ATOMIC_SEQ_CST);
}

static bool get_flag(const bool *flag)
{
    return __atomic_load_n(flag, __ATOMIC_SEQ_CST);
}

/* NULL (and the case skipped) if this backend cannot run here. */
static MainLoop *loop_new(gconstpointer data)
{
    MainLoopBackend backend = GPOINTER_TO_INT(data);
    Error *err = NULL;
    MainLoop *ml = main_loop_new(backend, &err);

    if (!ml) {
        g_assert_cmpint(backend, ==, MAIN_LOOP_IO_URING);
        g_test_skip(error_get_pretty(err));
        error_free(err);
        return NULL;
    }
    g_assert_null(err);
    g_assert_cmpstr(main_loop_backend_name(ml), ==,
                    backend == MAIN_LOOP_IO_URING ? "io_uring" : "ppoll");
    return ml;
}

/*
 * Blocking iterations until *done or `ms` have passed.  A REALTIME guard
 * timer ends the last sleep, so a lost wakeup costs `ms`, not a hang.
 */
static bool run_until(MainLoop *ml, const bool *done, int ms)
{
    bool expired = false;
    Timer *guard = timer_new_ns(ml, MORPH_CLOCK_REALTIME, set_flag, &expired);

    timer_mod_ns(guard, now_ns() + ms * NS_PER_MS);
    while (!get_flag(done) && !expired) {
        main_loop_wait(ml, true);
    }
    timer_free(guard);
    return get_flag(done);
}

/* Blocking iterations for `ms`, whatever happens. */
static void run_for(MainLoop *ml, int ms)
{
    bool never = false;

    run_until(ml, &never, ms);
}

static void make_pipe(int fds[2])
{
    g_assert_cmpint(pipe2(fds, O_NONBLOCK | O_CLOEXEC), ==, 0);
}

static void write_byte(int fd)
{
    g_assert_cmpint(write(fd, "x", 1), ==, 1);
}

static int tmp_file(void)
{
    GError *gerr = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("morph-test-main-loop-XXXXXX", &path, &gerr);

    g_assert_no_error(gerr);
    g_assert_cmpint(fd, >=, 0);
    g_unlink(path);
    g_free(path);
    return fd;
}

/* ---- fd handlers */

typedef struct FdCounter {
    MainLoop *ml;
    int fd;
    int count;
    bool consume;
    bool done;
} FdCounter;

static void fd_counter_read(void *opaque)
{
    FdCounter *c = opaque;
    char buf[64];

    c->count++;
    if (c->consume) {
        while (read(c->fd, buf, sizeof(buf)) > 0) {
        }
    }
}

static void test_fd_level_triggered(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    FdCounter c = {0};
    int p[2];
    int i;

    if (!ml) {
        return;
    }
    make_pipe(p);
    c.ml = ml;
    c.fd = p[0];
    main_loop_set_fd_handler(ml, p[0], fd_counter_read, NULL, &c);

    /* Nothing to read: a short wait dispatches nothing. */
    g_assert_false(main_loop_wait(ml, false));
    run_for(ml, 20);
    g_assert_cmpint(c.count, ==, 0);

    /* Data left unread fires again in every iteration. */
    write_byte(p[1]);
    for (i = 1; i <= 5; i++) {
        bool dispatched = false;
        Timer *guard = timer_new_ns(ml, MORPH_CLOCK_REALTIME, set_flag, &dispatched);

        timer_mod_ns(guard, now_ns() + 2000 * NS_PER_MS);
        g_assert_true(main_loop_wait(ml, true));
        g_assert_false(dispatched);
        g_assert_cmpint(c.count, ==, i);
        timer_free(guard);
    }

    /* Once consumed, it stays quiet. */
    c.consume = true;
    g_assert_true(main_loop_wait(ml, true));
    g_assert_cmpint(c.count, ==, 6);
    run_for(ml, 50);
    g_assert_cmpint(c.count, ==, 6);

    /* And fires again for new data. */
    write_byte(p[1]);
    run_for(ml, 20);
    g_assert_cmpint(c.count, ==, 7);

    main_loop_set_fd_handler(ml, p[0], NULL, NULL, NULL);
    write_byte(p[1]);
    run_for(ml, 20);
    g_assert_cmpint(c.count, ==, 7);

    close(p[0]);
    close(p[1]);
    main_loop_free(ml);
}

typedef struct SelfRemove {
    MainLoop *ml;
    int fd;
    int other_fd;
    int a_count;
    int b_count;
    int c_count;
    bool b_done;
    bool c_done;
} SelfRemove;

static void self_remove_b(void *opaque)
{
    SelfRemove *s = opaque;
    char buf[16];

    s->b_count++;
    g_assert_cmpint(read(s->fd, buf, sizeof(buf)), ==, 1);
    main_loop_set_fd_handler(s->ml, s->fd, NULL, NULL, NULL);
    s->b_done = true;
}

static void self_remove_c(void *opaque)
{
    SelfRemove *s = opaque;
    char buf[16];

    s->c_count++;
    g_assert_cmpint(read(s->other_fd, buf, sizeof(buf)), ==, 1);
    main_loop_set_fd_handler(s->ml, s->other_fd, NULL, NULL, NULL);
    s->c_done = true;
}

static void self_remove_a(void *opaque)
{
    SelfRemove *s = opaque;

    /* Remove ourselves, then put another handler on the same fd and on a new one. */
    s->a_count++;
    main_loop_set_fd_handler(s->ml, s->fd, NULL, NULL, NULL);
    main_loop_set_fd_handler(s->ml, s->fd, self_remove_b, NULL, s);
    main_loop_set_fd_handler(s->ml, s->other_fd, self_remove_c, NULL, s);
}

typedef struct Rivals {
    MainLoop *ml;
    int fd[2];
    int count[2];
} Rivals;

static void rival_read(Rivals *r, int me)
{
    /* Remove the other one: it is ready too, and must not run afterwards. */
    r->count[me]++;
    main_loop_set_fd_handler(r->ml, r->fd[!me], NULL, NULL, NULL);
    main_loop_set_fd_handler(r->ml, r->fd[me], NULL, NULL, NULL);
}

static void rival0_read(void *opaque)
{
    rival_read(opaque, 0);
}

static void rival1_read(void *opaque)
{
    rival_read(opaque, 1);
}

static void test_fd_remove_inside_handler(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    SelfRemove s = {0};
    Rivals r = {0};
    int p[2];
    int q[2];
    int x[2];
    int y[2];

    if (!ml) {
        return;
    }
    make_pipe(p);
    make_pipe(q);
    s.ml = ml;
    s.fd = p[0];
    s.other_fd = q[0];
    write_byte(p[1]);
    write_byte(q[1]);
    main_loop_set_fd_handler(ml, p[0], self_remove_a, NULL, &s);

    g_assert_true(run_until(ml, &s.b_done, 2000));
    g_assert_true(run_until(ml, &s.c_done, 2000));
    run_for(ml, 20);
    g_assert_cmpint(s.a_count, ==, 1);
    g_assert_cmpint(s.b_count, ==, 1);
    g_assert_cmpint(s.c_count, ==, 1);

    /* Two ready handlers, each removing the other: exactly one runs. */
    make_pipe(x);
    make_pipe(y);
    r.ml = ml;
    r.fd[0] = x[0];
    r.fd[1] = y[0];
    write_byte(x[1]);
    write_byte(y[1]);
    main_loop_set_fd_handler(ml, x[0], rival0_read, NULL, &r);
    main_loop_set_fd_handler(ml, y[0], rival1_read, NULL, &r);
    run_for(ml, 50);
    g_assert_cmpint(r.count[0] + r.count[1], ==, 1);

    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    close(x[0]);
    close(x[1]);
    close(y[0]);
    close(y[1]);
    main_loop_free(ml);
}

static void count_write(void *opaque)
{
    FdCounter *c = opaque;

    c->count++;
    main_loop_set_fd_handler(c->ml, c->fd, NULL, NULL, NULL);
    c->done = true;
}

static void never_read(void *opaque)
{
    g_assert_not_reached();
}

static void test_fd_interest_change(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    FdCounter c = {0};
    int p[2];

    if (!ml) {
        return;
    }
    make_pipe(p);
    c.ml = ml;
    c.fd = p[1];
    /* The write end never becomes readable: this poll just sits there... */
    main_loop_set_fd_handler(ml, p[1], never_read, NULL, &c);
    run_for(ml, 20);
    /* ...until a writer is added, which must take effect while it sleeps. */
    main_loop_set_fd_handler(ml, p[1], never_read, count_write, &c);
    g_assert_true(run_until(ml, &c.done, 2000));
    g_assert_cmpint(c.count, ==, 1);
    run_for(ml, 20);
    g_assert_cmpint(c.count, ==, 1);

    close(p[0]);
    close(p[1]);
    main_loop_free(ml);
}

/* ---- bottom halves */

typedef struct BHState {
    MainLoop *ml;
    BH *bh;
    BH *other;
    int count;
    int other_count;
    int reschedule;
    bool done;
    int64_t ran_ns;
} BHState;

static void bh_count(void *opaque)
{
    BHState *s = opaque;

    s->count++;
    if (s->reschedule > 0) {
        s->reschedule--;
        bh_schedule(s->bh);
    }
}

static void bh_count_delete_self(void *opaque)
{
    BHState *s = opaque;

    s->count++;
    bh_delete(s->bh);
    s->bh = NULL;
}

static void test_bh_basics(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    BHState s = {0};
    MainLoopStats st;
    int i;

    if (!ml) {
        return;
    }
    s.ml = ml;
    s.bh = bh_new(ml, bh_count, &s);

    /* Scheduled twice before it runs: runs once. */
    bh_schedule(s.bh);
    bh_schedule(s.bh);
    g_assert_true(main_loop_wait(ml, true));
    g_assert_cmpint(s.count, ==, 1);
    g_assert_false(main_loop_wait(ml, false));

    /* Cancelled: does not run. */
    bh_schedule(s.bh);
    bh_cancel(s.bh);
    main_loop_wait(ml, false);
    g_assert_cmpint(s.count, ==, 1);

    /* Rescheduling itself runs once per iteration, not forever in one. */
    s.reschedule = 3;
    bh_schedule(s.bh);
    for (i = 2; i <= 5; i++) {
        g_assert_true(main_loop_wait(ml, true));
        g_assert_cmpint(s.count, ==, i);
    }
    g_assert_false(main_loop_wait(ml, false));

    /* Deleted while scheduled: never runs. */
    bh_schedule(s.bh);
    bh_delete(s.bh);
    main_loop_wait(ml, false);
    g_assert_cmpint(s.count, ==, 5);

    /* Deleting itself from its own callback. */
    s.bh = bh_new(ml, bh_count_delete_self, &s);
    bh_schedule(s.bh);
    g_assert_true(main_loop_wait(ml, true));
    g_assert_cmpint(s.count, ==, 6);
    g_assert_null(s.bh);
    main_loop_wait(ml, false);

    main_loop_get_stats(ml, &st);
    g_assert_cmpuint(st.iterations, >=, 10);
    main_loop_free(ml);
}

static void bh_nested_outer(void *opaque)
{
    BHState *s = opaque;
    bool expired = false;
    Timer *guard = timer_new_ns(s->ml, MORPH_CLOCK_REALTIME, set_flag, &expired);

    /* Wait, from inside a callback, for a BH scheduled after this one. */
    s->count++;
    timer_mod_ns(guard, now_ns() + 2000 * NS_PER_MS);
    while (s->other_count == 0 && !expired) {
        main_loop_wait(s->ml, true);
    }
    timer_free(guard);
    s->done = true;
}

static void bh_nested_inner(void *opaque)
{
    BHState *s = opaque;

    s->other_count++;
}

static void test_bh_nested_wait(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    BHState s = {0};

    if (!ml) {
        return;
    }
    s.ml = ml;
    s.bh = bh_new(ml, bh_nested_outer, &s);
    s.other = bh_new(ml, bh_nested_inner, &s);
    bh_schedule(s.bh);
    bh_schedule(s.other);
    g_assert_true(run_until(ml, &s.done, 3000));
    g_assert_cmpint(s.count, ==, 1);
    g_assert_cmpint(s.other_count, ==, 1);
    run_for(ml, 10);
    g_assert_cmpint(s.other_count, ==, 1);
    bh_delete(s.bh);
    bh_delete(s.other);
    main_loop_free(ml);
}

typedef struct Remote {
    MainLoop *ml;
    BH *bh;
    Timer *timer;
    int delay_us;
    int64_t sent_ns;
    int64_t done_ns;
    bool done;
    int fd;
    char buf[64];
} Remote;

static void remote_bh(void *opaque)
{
    Remote *r = opaque;

    r->done_ns = now_ns();
    set_flag(&r->done);
}

static gpointer remote_schedule_bh(gpointer opaque)
{
    Remote *r = opaque;

    g_usleep(r->delay_us);
    __atomic_store_n(&r->sent_ns, now_ns(), __ATOMIC_SEQ_CST);
    bh_schedule(r->bh);
    return NULL;
}

static void test_bh_cross_thread(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    MainLoopStats st;
    int i;

    if (!ml) {
        return;
    }
    /* Varying delays put the schedule before, during and after the sleep. */
    for (i = 0; i < 100; i++) {
        Remote r = {.ml = ml, .delay_us = (i % 10) * 300 + (i == 0 ? 30000 : 0)};
        GThread *thread;

        r.bh = bh_new(ml, remote_bh, &r);
        thread = g_thread_new("bh-scheduler", remote_schedule_bh, &r);
        g_assert_true(run_until(ml, &r.done, 1000));
        g_thread_join(thread);
        g_assert_cmpint(r.done_ns - r.sent_ns, <, LATENCY_BOUND_NS);
        bh_delete(r.bh);
    }
    main_loop_get_stats(ml, &st);
    g_assert_cmpuint(st.wakeups, >, 0);
    main_loop_wait(ml, false);
    main_loop_free(ml);
}

/* ---- submissions from another thread */

static void remote_io_done(void *opaque, int64_t result)
{
    Remote *r = opaque;

    g_assert_cmpint(result, ==, 8);
    r->done_ns = now_ns();
    set_flag(&r->done);
}

static gpointer remote_submit(gpointer opaque)
{
    Remote *r = opaque;
    struct iovec iov = {.iov_base = r->buf, .iov_len = 8};

    g_usleep(r->delay_us);
    __atomic_store_n(&r->sent_ns, now_ns(), __ATOMIC_SEQ_CST);
    g_assert_cmpint(main_loop_submit_writev(r->ml, r->fd, &iov, 1, 0, remote_io_done, r), ==, 0);
    return NULL;
}

static void test_submit_cross_thread(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    int fd = tmp_file();
    int i;

    if (!ml) {
        close(fd);
        return;
    }
    /* Nothing else happens on the loop: only the submission can wake it. */
    for (i = 0; i < 50; i++) {
        Remote r = {.ml = ml, .fd = fd, .delay_us = (i % 10) * 300 + (i == 0 ? 30000 : 0)};
        GThread *thread;

        memcpy(r.buf, "abcdefgh", 8);
        thread = g_thread_new("submitter", remote_submit, &r);
        g_assert_true(run_until(ml, &r.done, 1000));
        g_thread_join(thread);
        g_assert_cmpint(r.done_ns - r.sent_ns, <, LATENCY_BOUND_NS);
    }
    close(fd);
    main_loop_free(ml);
}

/* ---- timers */

typedef struct Order {
    int fired[8];
    int n;
} Order;

typedef struct OrderItem {
    Order *order;
    int id;
} OrderItem;

static void order_cb(void *opaque)
{
    OrderItem *item = opaque;

    item->order->fired[item->order->n++] = item->id;
}

static void test_timer_order(gconstpointer data)
{
    static const int delay_ms[] = {30, 10, 20, 10, 0, 15};
    MainLoop *ml = loop_new(data);
    OrderItem items[G_N_ELEMENTS(delay_ms)];
    Timer *timers[G_N_ELEMENTS(delay_ms)];
    Order order = {{0}, 0};
    int64_t base = now_ns();
    size_t i;

    if (!ml) {
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(delay_ms); i++) {
        items[i].order = &order;
        items[i].id = i;
        timers[i] = timer_new_ns(ml, MORPH_CLOCK_REALTIME, order_cb, &items[i]);
        g_assert_false(timer_pending(timers[i]));
        g_assert_cmpint(timer_expire_ns(timers[i]), ==, -1);
        timer_mod_ns(timers[i], base + delay_ms[i] * NS_PER_MS);
        g_assert_true(timer_pending(timers[i]));
        g_assert_cmpint(timer_expire_ns(timers[i]), ==, base + delay_ms[i] * NS_PER_MS);
    }
    g_assert_cmpint(main_loop_clock_deadline_ns(ml, MORPH_CLOCK_REALTIME), ==, base);
    g_assert_cmpint(main_loop_clock_deadline_ns(ml, MORPH_CLOCK_HOST), ==, -1);
    /* Deleted: never fires.  Re-armed: fires at its new time only. */
    timer_del(timers[5]);
    g_assert_false(timer_pending(timers[5]));
    timer_mod_ns(timers[2], base + 25 * NS_PER_MS);

    run_for(ml, 60);
    g_assert_cmpint(order.n, ==, 5);
    /* Equal deadlines fire in arming order. */
    g_assert_cmpint(order.fired[0], ==, 4);
    g_assert_cmpint(order.fired[1], ==, 1);
    g_assert_cmpint(order.fired[2], ==, 3);
    g_assert_cmpint(order.fired[3], ==, 2);
    g_assert_cmpint(order.fired[4], ==, 0);
    for (i = 0; i < G_N_ELEMENTS(delay_ms); i++) {
        g_assert_false(timer_pending(timers[i]));
        timer_free(timers[i]);
    }
    main_loop_free(ml);
}

typedef struct Expiry {
    Timer *timer;
    int64_t expire_ns;
    int64_t fired_ns;
    bool fired;
    int count;
} Expiry;

static void expiry_cb(void *opaque)
{
    Expiry *e = opaque;

    e->fired_ns = now_ns();
    e->count++;
    set_flag(&e->fired);
}

static void test_timer_fires_on_time(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    Expiry e = {0};

    if (!ml) {
        return;
    }
    e.timer = timer_new_ns(ml, MORPH_CLOCK_HOST, expiry_cb, &e);
    e.expire_ns = clock_get_ns(MORPH_CLOCK_HOST) + 20 * NS_PER_MS;
    timer_mod_ns(e.timer, e.expire_ns);
    g_assert_true(run_until(ml, &e.fired, 2000));
    g_assert_cmpint(clock_get_ns(MORPH_CLOCK_HOST), >=, e.expire_ns);
    g_assert_cmpint(e.count, ==, 1);
    timer_free(e.timer);
    main_loop_free(ml);
}

static gpointer remote_timer_mod(gpointer opaque)
{
    Remote *r = opaque;

    g_usleep(r->delay_us);
    __atomic_store_n(&r->sent_ns, now_ns() + 10 * NS_PER_MS, __ATOMIC_SEQ_CST);
    timer_mod_ns(r->timer, r->sent_ns);
    return NULL;
}

static void test_timer_mod_cross_thread(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    Remote r = {0};
    GThread *thread;

    if (!ml) {
        return;
    }
    /* The loop sleeps toward the 2 s guard; the new, earlier deadline must wake it. */
    r.ml = ml;
    r.delay_us = 30000;
    r.timer = timer_new_ns(ml, MORPH_CLOCK_REALTIME, remote_bh, &r);
    thread = g_thread_new("timer-mod", remote_timer_mod, &r);
    g_assert_true(run_until(ml, &r.done, 2000));
    g_thread_join(thread);
    g_assert_cmpint(r.done_ns, >=, r.sent_ns);
    g_assert_cmpint(r.done_ns - r.sent_ns, <, LATENCY_BOUND_NS);
    timer_free(r.timer);
    main_loop_free(ml);
}

/* ---- the virtual clock */

static gpointer remote_resume(gpointer opaque)
{
    Remote *r = opaque;

    g_usleep(r->delay_us);
    __atomic_store_n(&r->sent_ns, now_ns(), __ATOMIC_SEQ_CST);
    clock_virtual_resume();
    return NULL;
}

static void test_virtual_clock_pause(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    Expiry e = {0};
    Remote r = {0};
    GThread *thread;
    int64_t v0;
    int64_t v1;

    if (!ml) {
        return;
    }
    g_assert_true(clock_virtual_is_running());
    clock_virtual_pause();
    clock_virtual_pause(); /* idempotent */
    g_assert_false(clock_virtual_is_running());
    v0 = clock_get_ns(MORPH_CLOCK_VIRTUAL);

    e.timer = timer_new_ns(ml, MORPH_CLOCK_VIRTUAL, expiry_cb, &e);
    timer_mod_ns(e.timer, v0 + 10 * NS_PER_MS);
    g_assert_cmpint(main_loop_clock_deadline_ns(ml, MORPH_CLOCK_VIRTUAL), ==, v0 + 10 * NS_PER_MS);
    run_for(ml, 60);
    g_assert_false(e.fired);
    g_assert_cmpint(clock_get_ns(MORPH_CLOCK_VIRTUAL), ==, v0);

    /* Resumed: time continues from where it stopped, and the timer fires. */
    clock_virtual_resume();
    clock_virtual_resume(); /* idempotent */
    g_assert_true(clock_virtual_is_running());
    v1 = clock_get_ns(MORPH_CLOCK_VIRTUAL);
    g_assert_cmpint(v1, >=, v0);
    g_assert_cmpint(v1 - v0, <, 20 * NS_PER_MS);
    g_assert_true(run_until(ml, &e.fired, 2000));
    g_assert_cmpint(clock_get_ns(MORPH_CLOCK_VIRTUAL), >=, v0 + 10 * NS_PER_MS);

    /* Paused with only a virtual timer: a resume from another thread must wake the loop. */
    e.fired = false;
    clock_virtual_pause();
    v0 = clock_get_ns(MORPH_CLOCK_VIRTUAL);
    timer_mod_ns(e.timer, v0 + 5 * NS_PER_MS);
    r.delay_us = 30000;
    thread = g_thread_new("resume", remote_resume, &r);
    g_assert_true(run_until(ml, &e.fired, 2000));
    g_thread_join(thread);
    g_assert_cmpint(e.fired_ns - r.sent_ns, <, LATENCY_BOUND_NS);
    g_assert_cmpint(e.fired_ns - r.sent_ns, >=, 5 * NS_PER_MS);

    g_assert_true(clock_virtual_is_running());
    timer_free(e.timer);
    main_loop_free(ml);
}

/* ---- file I/O */

typedef struct IOResult {
    int64_t result;
    bool done;
} IOResult;

static void io_done(void *opaque, int64_t result)
{
    IOResult *r = opaque;

    r->result = result;
    r->done = true;
}

static int64_t io_wait(MainLoop *ml, IOResult *r)
{
    g_assert_true(run_until(ml, &r->done, 5000));
    return r->result;
}

static int64_t do_readv(MainLoop *ml, int fd, struct iovec *iov, int n, off_t off)
{
    IOResult r = {0};

    g_assert_cmpint(main_loop_submit_readv(ml, fd, iov, n, off, io_done, &r), ==, 0);
    return io_wait(ml, &r);
}

static int64_t do_writev(MainLoop *ml, int fd, struct iovec *iov, int n, off_t off)
{
    IOResult r = {0};

    g_assert_cmpint(main_loop_submit_writev(ml, fd, iov, n, off, io_done, &r), ==, 0);
    return io_wait(ml, &r);
}

static int64_t do_fsync(MainLoop *ml, int fd, bool datasync)
{
    IOResult r = {0};

    g_assert_cmpint(main_loop_submit_fsync(ml, fd, datasync, io_done, &r), ==, 0);
    return io_wait(ml, &r);
}

static int64_t do_fallocate(MainLoop *ml, int fd, int mode, off_t off, off_t len)
{
    IOResult r = {0};

    g_assert_cmpint(main_loop_submit_fallocate(ml, fd, mode, off, len, io_done, &r), ==, 0);
    return io_wait(ml, &r);
}

#define FILE_SIZE 65536

/*
 * fallocate through the loop must do what the system call does on a twin
 * file: the same result (some file systems lack a mode) and the same bytes.
 */
static void check_fallocate(MainLoop *ml, int fd, int mode, off_t off, off_t len)
{
    static char got[FILE_SIZE];
    static char want[FILE_SIZE];
    int twin = tmp_file();
    int64_t expect;
    int64_t r;

    g_assert_cmpint(pread(fd, want, FILE_SIZE, 0), ==, FILE_SIZE);
    g_assert_cmpint(pwrite(twin, want, FILE_SIZE, 0), ==, FILE_SIZE);
    expect = fallocate(twin, mode, off, len) < 0 ? -errno : 0;
    r = do_fallocate(ml, fd, mode, off, len);
    g_assert_cmpint(r, ==, expect);
    if (r == 0) {
        g_assert_cmpint(pread(twin, want, FILE_SIZE, 0), ==, FILE_SIZE);
        g_assert_cmpint(pread(fd, got, FILE_SIZE, 0), ==, FILE_SIZE);
        g_assert_true(memcmp(got, want, FILE_SIZE) == 0);
        g_assert_cmpint(got[off], ==, 0);
        g_assert_cmpint(got[off + len - 1], ==, 0);
        g_assert_cmpint((unsigned char)got[off - 1], ==, 0xaa);
        g_assert_cmpint((unsigned char)got[off + len], ==, 0xaa);
    } else {
        g_test_message("fallocate mode %#x: %s on this file system", mode, g_strerror(-r));
    }
    close(twin);
}

static void test_file_io(gconstpointer data)
{
    static char fill[FILE_SIZE];
    MainLoop *ml = loop_new(data);
    char a[6] = "hello ";
    char b[5] = "world";
    char ra[6];
    char rb[5];
    struct iovec wiov[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    struct iovec riov[2] = {{ra, sizeof(ra)}, {rb, sizeof(rb)}};
    char *many[8];
    struct iovec miov[8];
    char check[8 * 3];
    int bad_fd;
    int fd;
    int i;

    if (!ml) {
        return;
    }
    fd = tmp_file();
    g_assert_cmpint(do_writev(ml, fd, wiov, 2, 4096), ==, 11);
    g_assert_cmpint(do_readv(ml, fd, riov, 2, 4096), ==, 11);
    g_assert_true(memcmp(ra, "hello ", 6) == 0);
    g_assert_true(memcmp(rb, "world", 5) == 0);
    /* Short read at end of file, and nothing past it, as preadv. */
    g_assert_cmpint(do_readv(ml, fd, riov, 2, 4096 + 6), ==, 5);
    g_assert_cmpint(do_readv(ml, fd, riov, 2, 1 << 20), ==, 0);
    /* More vectors than fit inline in a request. */
    for (i = 0; i < 8; i++) {
        many[i] = g_strdup_printf("%c%c%c", 'a' + i, 'A' + i, '0' + i);
        miov[i].iov_base = many[i];
        miov[i].iov_len = 3;
    }
    g_assert_cmpint(do_writev(ml, fd, miov, 8, 100), ==, 24);
    g_assert_cmpint(pread(fd, check, sizeof(check), 100), ==, 24);
    g_assert_true(memcmp(check, "aA0bB1cC2dD3eE4fF5gG6hH7", 24) == 0);
    for (i = 0; i < 8; i++) {
        g_free(many[i]);
    }
    g_assert_cmpint(do_fsync(ml, fd, false), ==, 0);
    g_assert_cmpint(do_fsync(ml, fd, true), ==, 0);

    memset(fill, 0xaa, sizeof(fill));
    g_assert_cmpint(pwrite(fd, fill, sizeof(fill), 0), ==, sizeof(fill));
    check_fallocate(ml, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 8192);
    check_fallocate(ml, fd, FALLOC_FL_ZERO_RANGE, 20000, 5000);
    /* Growing the file with mode 0. */
    g_assert_cmpint(do_fallocate(ml, fd, 0, FILE_SIZE, 4096), ==, 0);
    g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, FILE_SIZE + 4096);

    /* A closed fd fails each kind with -EBADF, through the callback. */
    bad_fd = tmp_file();
    close(bad_fd);
    g_assert_cmpint(do_readv(ml, bad_fd, riov, 2, 0), ==, -EBADF);
    g_assert_cmpint(do_writev(ml, bad_fd, wiov, 2, 0), ==, -EBADF);
    g_assert_cmpint(do_fsync(ml, bad_fd, false), ==, -EBADF);
    g_assert_cmpint(do_fallocate(ml, bad_fd, 0, 0, 4096), ==, -EBADF);
    /* Refused at submission: the callback is not called. */
    g_assert_cmpint(main_loop_submit_readv(ml, fd, riov, -1, 0, NULL, NULL), ==, -EINVAL);
    g_assert_cmpint(main_loop_submit_readv(ml, fd, riov, 2, -1, NULL, NULL), ==, -EINVAL);

    close(fd);
    main_loop_free(ml);
}

/* ---- work items */

typedef struct Work {
    GThread *loop_thread;
    int64_t calls;
    int done;
    bool all;
} Work;

static int64_t work_fn(void *arg)
{
    Work *w = arg;

    /* On a worker, not on the loop. */
    g_assert_true(g_thread_self() != w->loop_thread);
    g_usleep(1000);
    __atomic_add_fetch(&w->calls, 1, __ATOMIC_SEQ_CST);
    return 42;
}

static void work_done(void *opaque, int64_t result)
{
    Work *w = opaque;

    g_assert_true(g_thread_self() == w->loop_thread);
    g_assert_cmpint(result, ==, 42);
    if (++w->done == 100) {
        w->all = true;
    }
}

static int64_t work_errno(void *arg)
{
    return -ENOSPC;
}

static void test_submit_work(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    Work w = {0};
    IOResult r = {0};
    int i;

    if (!ml) {
        return;
    }
    w.loop_thread = g_thread_self();
    for (i = 0; i < 100; i++) {
        g_assert_cmpint(main_loop_submit_work(ml, work_fn, &w, work_done, &w), ==, 0);
    }
    g_assert_true(run_until(ml, &w.all, 5000));
    g_assert_cmpint(w.calls, ==, 100);
    g_assert_cmpint(w.done, ==, 100);
    g_assert_cmpint(main_loop_submit_work(ml, work_errno, NULL, io_done, &r), ==, 0);
    g_assert_cmpint(io_wait(ml, &r), ==, -ENOSPC);
    g_assert_cmpint(main_loop_submit_work(ml, NULL, NULL, io_done, &r), ==, -EINVAL);
    main_loop_free(ml);
}

/* ---- many requests in flight */

#define MANY       10000
#define MANY_BLOCK 512

typedef struct Many {
    int done;
    int errors;
    bool all;
} Many;

static void many_done(void *opaque, int64_t result)
{
    Many *m = opaque;

    if (result != MANY_BLOCK) {
        m->errors++;
    }
    if (++m->done == MANY) {
        m->all = true;
    }
}

static void test_many_in_flight(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    char *wbuf = g_malloc(MANY * MANY_BLOCK);
    char *rbuf = g_malloc0(MANY * MANY_BLOCK);
    MainLoopStats before;
    MainLoopStats after;
    Many m = {0};
    int fd;
    int i;

    if (!ml) {
        g_free(wbuf);
        g_free(rbuf);
        return;
    }
    fd = tmp_file();
    for (i = 0; i < MANY * MANY_BLOCK; i++) {
        wbuf[i] = (char)(i / MANY_BLOCK * 7 + i);
    }
    main_loop_get_stats(ml, &before);
    /* All queued before the loop runs once. */
    for (i = 0; i < MANY; i++) {
        struct iovec iov = {wbuf + i * MANY_BLOCK, MANY_BLOCK};

        g_assert_cmpint(
            main_loop_submit_writev(ml, fd, &iov, 1, (off_t)i * MANY_BLOCK, many_done, &m), ==, 0);
    }
    g_assert_true(run_until(ml, &m.all, 30000));
    g_assert_cmpint(m.errors, ==, 0);

    memset(&m, 0, sizeof(m));
    for (i = 0; i < MANY; i++) {
        struct iovec iov = {rbuf + i * MANY_BLOCK, MANY_BLOCK};

        g_assert_cmpint(
            main_loop_submit_readv(ml, fd, &iov, 1, (off_t)i * MANY_BLOCK, many_done, &m), ==, 0);
    }
    g_assert_true(run_until(ml, &m.all, 30000));
    g_assert_cmpint(m.errors, ==, 0);
    g_assert_true(memcmp(wbuf, rbuf, MANY * MANY_BLOCK) == 0);

    main_loop_get_stats(ml, &after);
    g_assert_cmpuint(after.submissions - before.submissions, ==, 2 * MANY);
    g_assert_cmpuint(after.completions - before.completions, ==, 2 * MANY);
    close(fd);
    g_free(wbuf);
    g_free(rbuf);
    main_loop_free(ml);
}

/* ---- idle */

static int64_t cpu_ns(void)
{
    struct rusage ru;

    g_assert_cmpint(getrusage(RUSAGE_SELF, &ru), ==, 0);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static void test_idle_costs_nothing(gconstpointer data)
{
    MainLoop *ml = loop_new(data);
    Expiry e = {0};
    MainLoopStats before;
    MainLoopStats after;
    int64_t start;
    int64_t cpu;
    int p[2];

    if (!ml) {
        return;
    }
    /* A quiet fd and a worker pool that has run once, as a real loop has. */
    make_pipe(p);
    main_loop_set_fd_handler(ml, p[0], never_read, NULL, NULL);
    {
        IOResult r = {0};

        main_loop_submit_work(ml, work_errno, NULL, io_done, &r);
        io_wait(ml, &r);
    }

    e.timer = timer_new_ns(ml, MORPH_CLOCK_REALTIME, expiry_cb, &e);
    main_loop_get_stats(ml, &before);
    start = now_ns();
    cpu = cpu_ns();
    timer_mod_ns(e.timer, start + 200 * NS_PER_MS);
    while (!e.fired) {
        main_loop_wait(ml, true);
    }
    cpu = cpu_ns() - cpu;
    main_loop_get_stats(ml, &after);

    g_assert_cmpint(now_ns() - start, >=, 200 * NS_PER_MS);
    g_assert_cmpint(cpu, <, 20 * NS_PER_MS);
    /* One sleep; a few more would still be fine, a spinning loop is not. */
    g_assert_cmpuint(after.iterations - before.iterations, <=, 3);

    main_loop_set_fd_handler(ml, p[0], NULL, NULL, NULL);
    close(p[0]);
    close(p[1]);
    timer_free(e.timer);
    main_loop_free(ml);
}

/* ---- backend choice */

static void test_backend_choice(void)
{
    MainLoop *ml;
    MainLoop *def;

    g_setenv("MORPH_MAIN_LOOP", "ppoll", TRUE);
    ml = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
    g_assert_cmpstr(main_loop_backend_name(ml), ==, "ppoll");
    main_loop_free(ml);
    g_unsetenv("MORPH_MAIN_LOOP");

    ml = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
    g_assert_nonnull(main_loop_backend_name(ml));
    main_loop_free(ml);

    def = main_loop_default();
    g_assert_true(def == main_loop_default());
    g_assert_false(main_loop_wait(def, false));
}

#if defined(__x86_64__) && defined(__NR_io_uring_setup)
/* Make io_uring_setup fail with EPERM in this process, as a seccomp sandbox would. */
static bool refuse_io_uring(void)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = G_N_ELEMENTS(filter), .filter = filter};

    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

/*
 * Refused io_uring: AUTO falls back to ppoll and says so in one `-d
 * main_loop` line, however many loops are made; asking for io_uring fails.
 */
static void test_fallback(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;
        MainLoop *a;
        MainLoop *b;

        g_assert_true(refuse_io_uring());
        log_set_mask(LOG_MAIN_LOOP);
        a = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
        b = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
        g_assert_cmpstr(main_loop_backend_name(a), ==, "ppoll");
        g_assert_cmpstr(main_loop_backend_name(b), ==, "ppoll");
        g_assert_null(main_loop_new(MAIN_LOOP_IO_URING, &err));
        g_assert_nonnull(err);
        error_free(err);
        main_loop_free(a);
        main_loop_free(b);
        return;
    }
    if (!g_file_test("/proc/sys/kernel/seccomp/actions_avail", G_FILE_TEST_EXISTS)) {
        g_test_skip("no seccomp filters in this kernel");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
#ifdef CONFIG_LIBURING
    g_test_trap_assert_stderr("main_loop: io_uring unavailable: io_uring_queue_init: "
                              "Operation not permitted; using ppoll\n");
#else
    g_test_trap_assert_stderr("main_loop: built without liburing; using ppoll\n");
#endif
}
#endif

typedef struct BackendCase {
    const char *name;
    GTestDataFunc fn;
} BackendCase;

static const BackendCase backend_cases[] = {
    {"fd/level-triggered", test_fd_level_triggered},
    {"fd/remove-inside-handler", test_fd_remove_inside_handler},
    {"fd/interest-change", test_fd_interest_change},
    {"bh/basics", test_bh_basics},
    {"bh/nested-wait", test_bh_nested_wait},
    {"bh/cross-thread-wakeup", test_bh_cross_thread},
    {"submit/cross-thread", test_submit_cross_thread},
    {"timer/order", test_timer_order},
    {"timer/host-clock", test_timer_fires_on_time},
    {"timer/mod-cross-thread", test_timer_mod_cross_thread},
    {"timer/virtual-pause", test_virtual_clock_pause},
    {"io/file", test_file_io},
    {"io/work", test_submit_work},
    {"io/many-in-flight", test_many_in_flight},
    {"idle/no-cpu", test_idle_costs_nothing},
};

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        MainLoopBackend backend;
    } backends[] = {
        {"io_uring", MAIN_LOOP_IO_URING},
        {"ppoll", MAIN_LOOP_PPOLL},
    };
    size_t b;
    size_t i;

    g_test_init(&argc, &argv, NULL);
    for (b = 0; b < G_N_ELEMENTS(backends); b++) {
        for (i = 0; i < G_N_ELEMENTS(backend_cases); i++) {
            char *path =
                g_strdup_printf("/main-loop/%s/%s", backends[b].name, backend_cases[i].name);

            g_test_add_data_func(path, GINT_TO_POINTER(backends[b].backend), backend_cases[i].fn);
            g_free(path);
        }
    }
    g_test_add_func("/main-loop/backend-choice", test_backend_choice);
#if defined(__x86_64__) && defined(__NR_io_uring_setup)
    g_test_add_func("/main-loop/fallback", test_fallback);
#endif
    return g_test_run();
}
