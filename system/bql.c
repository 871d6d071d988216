/*
 * The big lock and the main-loop callbacks that run under it (contract in
 * include/system/bql.h; the model is QEMU's qemu_mutex_lock_iothread and
 * its main loop, which drops the lock only while it polls).  Here the main
 * loop never holds the lock while it sleeps, so each callback made through
 * these helpers takes it for its own duration.
 */
#include <glib.h>
#include "system/bql.h"

static pthread_mutex_t bql = PTHREAD_MUTEX_INITIALIZER;
static __thread bool bql_held;

void bql_lock(void)
{
    g_assert(!bql_held);
    pthread_mutex_lock(&bql);
    bql_held = true;
}

void bql_unlock(void)
{
    g_assert(bql_held);
    bql_held = false;
    pthread_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

pthread_mutex_t *bql_mutex(void)
{
    return &bql;
}

void bql_note_released(void)
{
    g_assert(bql_held);
    bql_held = false;
}

void bql_note_reacquired(void)
{
    bql_held = true;
}

/* ---- callbacks under the lock */

typedef struct BQLCallback {
    void (*cb)(void *opaque);
    void *opaque;
} BQLCallback;

static void bql_trampoline(void *opaque)
{
    BQLCallback *c = opaque;
    bool taken = !bql_held;

    if (taken) {
        bql_lock();
    }
    c->cb(c->opaque);
    if (taken) {
        bql_unlock();
    }
}

/* Wrappers by the object made for them, to free them with it. */
static GMutex wrappers_lock;
static GHashTable *wrappers;

static BQLCallback *bql_wrap(void (*cb)(void *), void *opaque)
{
    BQLCallback *c = g_new0(BQLCallback, 1);

    c->cb = cb;
    c->opaque = opaque;
    return c;
}

static void bql_remember(void *obj, BQLCallback *c)
{
    g_mutex_lock(&wrappers_lock);
    if (!wrappers) {
        wrappers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    }
    g_hash_table_insert(wrappers, obj, c);
    g_mutex_unlock(&wrappers_lock);
}

static void bql_forget(void *obj)
{
    g_mutex_lock(&wrappers_lock);
    if (wrappers) {
        g_hash_table_remove(wrappers, obj);
    }
    g_mutex_unlock(&wrappers_lock);
}

Timer *bql_timer_new(MorphClockType type, TimerCB *cb, void *opaque)
{
    BQLCallback *c = bql_wrap(cb, opaque);
    Timer *t = timer_new_ns(main_loop_default(), type, bql_trampoline, c);

    bql_remember(t, c);
    return t;
}

void bql_timer_free(Timer *t)
{
    if (!t) {
        return;
    }
    timer_del(t);
    timer_free(t);
    bql_forget(t);
}

BH *bql_bh_new(BHFunc *cb, void *opaque)
{
    BQLCallback *c = bql_wrap(cb, opaque);
    BH *bh = bh_new(main_loop_default(), bql_trampoline, c);

    bql_remember(bh, c);
    return bh;
}

void bql_bh_delete(BH *bh)
{
    if (!bh) {
        return;
    }
    bh_delete(bh);
    bql_forget(bh);
}

/* fd handlers: one wrapper per fd, holding both directions. */
typedef struct BQLFdHandler {
    IOHandler *on_read;
    IOHandler *on_write;
    void *opaque;
} BQLFdHandler;

static GHashTable *fd_handlers;

static void bql_fd_read(void *opaque)
{
    BQLFdHandler *h = opaque;
    bool taken = !bql_held;

    if (taken) {
        bql_lock();
    }
    if (h->on_read) {
        h->on_read(h->opaque);
    }
    if (taken) {
        bql_unlock();
    }
}

static void bql_fd_write(void *opaque)
{
    BQLFdHandler *h = opaque;
    bool taken = !bql_held;

    if (taken) {
        bql_lock();
    }
    if (h->on_write) {
        h->on_write(h->opaque);
    }
    if (taken) {
        bql_unlock();
    }
}

void bql_set_fd_handler(int fd, IOHandler *on_read, IOHandler *on_write, void *opaque)
{
    BQLFdHandler *h;

    if (!fd_handlers) {
        fd_handlers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, NULL);
    }
    h = g_hash_table_lookup(fd_handlers, GINT_TO_POINTER(fd + 1));
    if (!on_read && !on_write) {
        main_loop_set_fd_handler(main_loop_default(), fd, NULL, NULL, NULL);
        /*
         * The loop may still hold this opaque for the current iteration, so
         * the wrapper stays (reused if the fd comes back), only emptied.
         */
        if (h) {
            h->on_read = h->on_write = NULL;
        }
        return;
    }
    if (!h) {
        h = g_new0(BQLFdHandler, 1);
        g_hash_table_insert(fd_handlers, GINT_TO_POINTER(fd + 1), h);
    }
    h->on_read = on_read;
    h->on_write = on_write;
    h->opaque = opaque;
    main_loop_set_fd_handler(main_loop_default(), fd, on_read ? bql_fd_read : NULL,
                             on_write ? bql_fd_write : NULL, h);
}
