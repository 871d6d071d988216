/*
 * Unit tests for util/coroutine.c: enter/yield order, nesting, stacks that
 * are recycled, CoQueue wake order and CoMutex mutual exclusion across
 * yields (the properties the block layer's request code depends on).
 */
#include <glib.h>

#include "util/coroutine.h"

static void co_count_entry(void *opaque)
{
    int *n = opaque;

    (*n)++;
    coroutine_yield();
    (*n)++;
}

static void test_enter_yield(void)
{
    int n = 0;
    Coroutine *co = coroutine_create(co_count_entry, &n);

    g_assert_false(coroutine_in_coroutine());
    coroutine_enter(co);
    g_assert_cmpint(n, ==, 1);
    coroutine_enter(co);
    g_assert_cmpint(n, ==, 2);
}

typedef struct Nest {
    GString *log;
    Coroutine *inner;
} Nest;

static void co_inner_entry(void *opaque)
{
    Nest *n = opaque;

    g_string_append(n->log, "i1");
    coroutine_yield();
    g_string_append(n->log, "i2");
}

static void co_outer_entry(void *opaque)
{
    Nest *n = opaque;

    g_string_append(n->log, "o1");
    n->inner = coroutine_create(co_inner_entry, n);
    coroutine_enter(n->inner);      /* inner yields back to us */
    g_assert_true(coroutine_self() != NULL);
    g_string_append(n->log, "o2");
    coroutine_yield();
    g_string_append(n->log, "o3");
}

static void test_nested(void)
{
    Nest n = { g_string_new(NULL), NULL };
    Coroutine *outer = coroutine_create(co_outer_entry, &n);

    coroutine_enter(outer);
    g_assert_cmpstr(n.log->str, ==, "o1i1o2");
    coroutine_enter(n.inner);
    coroutine_enter(outer);
    g_assert_cmpstr(n.log->str, ==, "o1i1o2i2o3");
    g_string_free(n.log, true);
}

static void co_deep_entry(void *opaque)
{
    /* Use a good part of the stack: recycled stacks must stay usable. */
    volatile char big[256 * 1024];
    int *n = opaque;

    for (size_t i = 0; i < sizeof(big); i += 4096) {
        big[i] = (char)i;
    }
    (*n) += big[4096] == (char)4096;
}

static void test_many(void)
{
    int n = 0;

    for (int i = 0; i < 1000; i++) {
        coroutine_enter(coroutine_create(co_deep_entry, &n));
    }
    g_assert_cmpint(n, ==, 1000);
}

typedef struct MutexTest {
    CoMutex lock;
    int inside;
    int max_inside;
    int done;
    Coroutine *waiters[8];
    int nwait;
} MutexTest;

static void co_mutex_entry(void *opaque)
{
    MutexTest *t = opaque;

    co_mutex_lock(&t->lock);
    t->inside++;
    t->max_inside = MAX(t->max_inside, t->inside);
    /* Yield while holding the lock, as a request waiting for I/O does. */
    t->waiters[t->nwait++] = coroutine_self();
    coroutine_yield();
    t->inside--;
    co_mutex_unlock(&t->lock);
    t->done++;
}

static void test_comutex(void)
{
    MutexTest t = { 0 };

    co_mutex_init(&t.lock);
    for (int i = 0; i < 4; i++) {
        coroutine_enter(coroutine_create(co_mutex_entry, &t));
    }
    /* Only the first got in; the others wait on the mutex. */
    g_assert_cmpint(t.nwait, ==, 1);
    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(t.nwait, ==, i + 1);
        coroutine_enter(t.waiters[i]);
    }
    g_assert_cmpint(t.done, ==, 4);
    g_assert_cmpint(t.max_inside, ==, 1);
}

typedef struct QueueTest {
    CoQueue q;
    GString *log;
} QueueTest;

static void co_queue_entry(void *opaque)
{
    QueueTest *t = opaque;
    char c = (char)('a' + t->log->len);

    co_queue_wait(&t->q, NULL);
    g_string_append_c(t->log, c);
}

static void co_waker_entry(void *opaque)
{
    QueueTest *t = opaque;

    /* Woken coroutines run after the waker yields, in FIFO order. */
    co_queue_restart_all(&t->q);
    g_string_append_c(t->log, '!');
}

static void test_coqueue(void)
{
    QueueTest t;

    co_queue_init(&t.q);
    t.log = g_string_new(NULL);
    for (int i = 0; i < 3; i++) {
        g_string_append_c(t.log, '.');
        coroutine_enter(coroutine_create(co_queue_entry, &t));
    }
    g_assert_false(co_queue_empty(&t.q));
    g_string_truncate(t.log, 0);
    coroutine_enter(coroutine_create(co_waker_entry, &t));
    g_assert_cmpstr(t.log->str, ==, "!bcd");
    g_assert_true(co_queue_empty(&t.q));
    g_string_free(t.log, true);
}

static void test_outside_wake(void)
{
    QueueTest t;

    co_queue_init(&t.q);
    t.log = g_string_new("xy");
    coroutine_enter(coroutine_create(co_queue_entry, &t));
    /* Outside a coroutine, a wake runs the waiter at once. */
    g_assert_true(co_queue_next(&t.q));
    g_assert_cmpstr(t.log->str, ==, "xyc");
    g_assert_false(co_queue_next(&t.q));
    g_string_free(t.log, true);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/coroutine/enter-yield", test_enter_yield);
    g_test_add_func("/coroutine/nested", test_nested);
    g_test_add_func("/coroutine/many", test_many);
    g_test_add_func("/coroutine/comutex", test_comutex);
    g_test_add_func("/coroutine/coqueue", test_coqueue);
    g_test_add_func("/coroutine/outside-wake", test_outside_wake);
    return g_test_run();
}
