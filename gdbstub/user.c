/*
 * The stub in user mode (linux-user), after QEMU's gdbstub/user.c: one
 * connection, accepted before the guest runs; every stop reaches the stub
 * as a guest signal of a vCPU thread (gdb_handlesig), and that thread
 * serves the debugger until it resumes the guest.
 *
 * All-stop.  A session holds an exclusive section (start_exclusive), so
 * no other vCPU runs translated code meanwhile: GDB may read and change
 * any thread, and breakpoint lists change with nobody reading them.  A
 * thread blocked in a host system call keeps its state as it was at the
 * ecall; when the call returns it waits at the next cpu_exec().  Two
 * threads that stop at once are served one after the other.
 *
 * GDB may resume some threads only (vCont;c:TID steps one thread over a
 * breakpoint): the others are held.  A held thread is sent
 * CPU_INTERRUPT_DEBUG, so it leaves translated code at once; its SIGTRAP
 * brings it to gdb_handlesig, where it waits, reporting nothing, until a
 * resume lets it go.
 *
 * Ctrl-C.  While the guest runs, a watcher thread polls the socket.  A
 * 0x03 byte requests CPU_INTERRUPT_DEBUG on every vCPU: the first to
 * notice returns EXCP_DEBUG, which linux-user turns into SIGTRAP, and the
 * stub reports SIGINT for it.  If no vCPU notices within 100 ms (all of
 * them are blocked in system calls), the watcher takes the exclusive
 * section and serves the session itself.  The other vCPUs' later
 * EXCP_DEBUG from the same request are dropped silently.  A connection
 * lost while running is handled the same way, then the stub detaches.
 *
 * All writes to the socket go out under one lock, with MSG_NOSIGNAL (a
 * SIGPIPE would be taken as the guest's).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include "internals.h"
#include "exec/user-page.h"

#define GDB_TAKEOVER_MS 100

typedef struct GdbUser {
    GdbServer *server;
    int fd;            /* the connection, -1 when none */
    char *socket_path; /* a Unix socket to unlink at exit */
    bool attached;     /* a debugger is being served */
    uint64_t auxv_addr, auxv_len;
    /* The session (owned by whoever holds the exclusive section). */
    bool resumed;
    int resume_sig;
    /* Shared with the watcher, under lock. */
    GMutex lock;
    GCond cond;
    bool running;           /* the guest runs: the watcher owns the socket's input */
    bool watcher_busy;      /* the watcher is reading or feeding the server */
    bool interrupt_pending; /* Ctrl-C not yet reported */
    bool lost_pending;      /* the connection ended while running */
    gint64 interrupt_time;
    /* Sets of cpu_index. */
    GHashTable *ctrlc_kicked; /* sent CPU_INTERRUPT_DEBUG for a Ctrl-C */
    GHashTable *held;         /* left stopped by the last resume */
    GHashTable *hold_kicked;  /* sent CPU_INTERRUPT_DEBUG to hold it */
    int wake_fd;
    GThread *watcher;
    GMutex send_lock;
} GdbUser;

static GdbUser gdb_user = {.fd = -1, .wake_fd = -1};

bool gdbserver_attached(void)
{
    return __atomic_load_n(&gdb_user.attached, __ATOMIC_ACQUIRE);
}

void gdbserver_set_auxv(uint64_t addr, uint64_t len)
{
    gdb_user.auxv_addr = addr;
    gdb_user.auxv_len = len;
}

/* ---- the socket */

static void gdb_user_write(const uint8_t *buf, size_t len)
{
    GdbUser *u = &gdb_user;

    g_mutex_lock(&u->send_lock);
    while (len > 0 && u->fd >= 0) {
        ssize_t n = send(u->fd, buf, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            /* The reader side notices the end and detaches. */
            break;
        }
        buf += n;
        len -= (size_t)n;
    }
    g_mutex_unlock(&u->send_lock);
}

/* Forget the connection (after D, k, or when it ended). */
static void gdb_user_close(void)
{
    GdbUser *u = &gdb_user;

    __atomic_store_n(&u->attached, false, __ATOMIC_RELEASE);
    g_mutex_lock(&u->send_lock);
    if (u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
    }
    g_mutex_unlock(&u->send_lock);
    if (u->server) {
        u->server->attached = false;
    }
}

/* ---- the backend */

static void gdbu_send(void *opaque, const uint8_t *buf, size_t len)
{
    gdb_user_write(buf, len);
}

static void gdbu_cpu_foreach(void *opaque, void (*fn)(CPUState *cs, void *data), void *data)
{
    cpu_list_foreach(fn, data);
}

static size_t gdbu_memory_rw(void *opaque, CPUState *cs, uint64_t addr, uint8_t *buf, size_t len,
                             bool is_write, bool phys)
{
    return gdb_user_memory_rw(cs, addr, buf, len, is_write);
}

static int gdbu_bp_insert(void *opaque, int type, uint64_t addr, uint64_t len)
{
    return gdb_bp_insert(type, addr, len, false);
}

static int gdbu_bp_remove(void *opaque, int type, uint64_t addr, uint64_t len)
{
    return gdb_bp_remove(type, addr, len, false);
}

static void gdbu_bp_remove_all(void *opaque)
{
    gdb_bp_remove_all(false);
}

static void gdbu_set_resume(void *opaque, CPUState *cs, int how)
{
    GdbUser *u = &gdb_user;
    gpointer key = GINT_TO_POINTER(cs->cpu_index);

    g_mutex_lock(&u->lock);
    if (how == GDB_RESUME_STOPPED) {
        g_hash_table_add(u->held, key);
        g_hash_table_add(u->hold_kicked, key);
        cpu_single_step(cs, 0);
        cpu_interrupt(cs, CPU_INTERRUPT_DEBUG);
    } else {
        g_hash_table_remove(u->held, key);
        g_cond_broadcast(&u->cond);
        cpu_single_step(cs, how);
    }
    g_mutex_unlock(&u->lock);
}

/* Let every held thread go (detach, the end of the connection, a fork). */
static void gdbu_release_all(void)
{
    GdbUser *u = &gdb_user;

    g_mutex_lock(&u->lock);
    g_hash_table_remove_all(u->held);
    g_cond_broadcast(&u->cond);
    g_mutex_unlock(&u->lock);
}

/* A held thread waits here, out of any exclusive section (lock held). */
static void gdbu_wait_released(CPUState *cs)
{
    GdbUser *u = &gdb_user;

    while (g_hash_table_contains(u->held, GINT_TO_POINTER(cs->cpu_index)) && gdbserver_attached()) {
        g_cond_wait(&u->cond, &u->lock);
    }
}

static void gdbu_resume(void *opaque, int sig)
{
    gdb_user.resumed = true;
    gdb_user.resume_sig = sig;
}

static void gdbu_interrupt_one(CPUState *cs, void *data)
{
    gpointer key = GINT_TO_POINTER(cs->cpu_index);

    /* A held vCPU is stopped already. */
    if (!g_hash_table_contains(gdb_user.held, key)) {
        g_hash_table_add(gdb_user.ctrlc_kicked, key);
        cpu_interrupt(cs, CPU_INTERRUPT_DEBUG);
    }
}

/* Ctrl-C, from the watcher (lock held). */
static void gdbu_interrupt(void *opaque)
{
    GdbUser *u = &gdb_user;

    if (!u->interrupt_pending) {
        u->interrupt_pending = true;
        u->interrupt_time = g_get_monotonic_time();
        cpu_list_foreach(gdbu_interrupt_one, NULL);
    }
}

static void gdbu_step_off(CPUState *cs, void *data)
{
    cpu_single_step(cs, 0);
}

static void gdbu_detach(void *opaque)
{
    cpu_list_foreach(gdbu_step_off, NULL);
    gdb_user.resumed = true;
    gdb_user.resume_sig = 0;
    gdb_user_close();
    gdbu_release_all();
}

/* As qemu-user: status 0.  _exit: the other threads are stopped mid-flight, run no atexit. */
static void gdbu_kill(void *opaque)
{
    gdb_user_close();
    error_report("terminated via GDBstub");
    fflush(NULL);
    _exit(0);
}

static bool gdbu_read_auxv(void *opaque, GByteArray *out)
{
    GdbUser *u = &gdb_user;
    CPUState *cs;

    if (!u->auxv_len || u->auxv_len > 65536) {
        return false;
    }
    cs = gdb_server_first_cpu(u->server);
    g_byte_array_set_size(out, (guint)u->auxv_len);
    return cs && gdb_user_memory_rw(cs, u->auxv_addr, out->data, u->auxv_len, false) == u->auxv_len;
}

static const GdbBackend gdb_user_backend = {
    .system = false,
    .send = gdbu_send,
    .cpu_foreach = gdbu_cpu_foreach,
    .memory_rw = gdbu_memory_rw,
    .breakpoint_insert = gdbu_bp_insert,
    .breakpoint_remove = gdbu_bp_remove,
    .breakpoint_remove_all = gdbu_bp_remove_all,
    .set_resume = gdbu_set_resume,
    .resume = gdbu_resume,
    .interrupt = gdbu_interrupt,
    .kill = gdbu_kill,
    .detach = gdbu_detach,
    .read_auxv = gdbu_read_auxv,
};

/* ---- the watcher: input while the guest runs */

static void gdb_watcher_wake(void)
{
    uint64_t one = 1;

    if (gdb_user.wake_fd >= 0 && write(gdb_user.wake_fd, &one, sizeof(one)) < 0) {
        /* The counter is already non-zero: the watcher will wake anyway. */
    }
}

static void gdb_user_session_begin(void);
static void gdb_user_session_end(void);
static int gdb_user_serve(CPUState *cs, const GdbStop *stop);

/* Nobody stopped for a Ctrl-C or a lost connection: serve it from here. */
static void gdb_watcher_takeover(void)
{
    GdbUser *u = &gdb_user;
    GdbStop stop = {.kind = GDB_STOP_SIGNAL, .signal = SIGINT};
    bool lost;

    gdb_user_session_begin();
    g_mutex_lock(&u->lock);
    lost = u->lost_pending;
    if (!u->interrupt_pending && !lost) {
        /* A vCPU was faster. */
        g_mutex_unlock(&u->lock);
        gdb_user_session_end();
        return;
    }
    u->interrupt_pending = false;
    u->lost_pending = false;
    g_mutex_unlock(&u->lock);
    if (lost) {
        gdb_bp_remove_all(false);
        gdbu_detach(NULL);
    } else {
        gdb_user_serve(gdb_server_c_cpu(u->server), &stop);
    }
    gdb_user_session_end();
}

static gpointer gdb_watcher_main(gpointer opaque)
{
    GdbUser *u = &gdb_user;
    uint8_t buf[4096];

    g_mutex_lock(&u->lock);
    for (;;) {
        struct pollfd pfd[2];
        int fd, timeout;
        bool takeover = false;

        while (!u->running || u->fd < 0) {
            g_cond_wait(&u->cond, &u->lock);
        }
        fd = u->fd;
        u->watcher_busy = true;
        timeout = u->interrupt_pending || u->lost_pending ? GDB_TAKEOVER_MS / 2 : -1;
        g_mutex_unlock(&u->lock);

        /* After the end of the connection only the wakeup and the timeout matter. */
        pfd[0] = (struct pollfd){.fd = u->wake_fd, .events = POLLIN};
        pfd[1] = (struct pollfd){.fd = fd, .events = POLLIN};
        poll(pfd, u->lost_pending ? 1 : 2, timeout);
        if (pfd[0].revents & POLLIN) {
            uint64_t v;

            if (read(u->wake_fd, &v, sizeof(v)) < 0) {
                /* Nothing was pending after all. */
            }
        }

        g_mutex_lock(&u->lock);
        if (u->running && !u->lost_pending && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

            if (n > 0) {
                /* Ctrl-C calls gdbu_interrupt; a packet is kept for the next stop. */
                gdb_server_input(u->server, buf, (size_t)n);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                u->lost_pending = true;
                u->interrupt_time = g_get_monotonic_time();
                cpu_list_foreach(gdbu_interrupt_one, NULL);
            }
        }
        if (u->running && (u->interrupt_pending || u->lost_pending) &&
            g_get_monotonic_time() - u->interrupt_time >= GDB_TAKEOVER_MS * 1000) {
            takeover = true;
        }
        u->watcher_busy = false;
        g_cond_broadcast(&u->cond);
        if (takeover) {
            /* Never wait for the exclusive section while counted busy. */
            g_mutex_unlock(&u->lock);
            gdb_watcher_takeover();
            g_mutex_lock(&u->lock);
        }
    }
    return NULL;
}

static void gdb_watcher_start(void)
{
    GdbUser *u = &gdb_user;
    sigset_t all, old;

    if (u->watcher) {
        return;
    }
    u->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    /* The watcher must take no host signal: they are the guest's. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    u->watcher = g_thread_new("gdbstub", gdb_watcher_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- sessions */

/*
 * Take back a Ctrl-C's request (lock held), unless it also holds the vCPU.
 * A vCPU that took it already has its SIGTRAP on the way to
 * gdb_handlesig: it stays in the set, to be recognised there.
 */
static void gdbu_clear_interrupt(CPUState *cs, void *data)
{
    GHashTable *set = data;
    gpointer key = GINT_TO_POINTER(cs->cpu_index);
    int old;

    if (!g_hash_table_contains(set, key) || g_hash_table_contains(gdb_user.hold_kicked, key)) {
        return;
    }
    old = __atomic_fetch_and(&cs->interrupt_request, ~CPU_INTERRUPT_DEBUG, __ATOMIC_SEQ_CST);
    if (!(old & CPU_INTERRUPT_DEBUG)) {
        g_hash_table_add(gdb_user.ctrlc_kicked, key);
    }
}

/* Stop the world: no vCPU in translated code, the watcher off the socket. */
static void gdb_user_session_begin(void)
{
    GdbUser *u = &gdb_user;

    start_exclusive();
    g_mutex_lock(&u->lock);
    u->running = false;
    gdb_watcher_wake();
    while (u->watcher_busy) {
        g_cond_wait(&u->cond, &u->lock);
    }
    g_mutex_unlock(&u->lock);
}

static void gdb_user_session_end(void)
{
    GdbUser *u = &gdb_user;

    g_mutex_lock(&u->lock);
    u->running = u->fd >= 0;
    if (u->running) {
        /* From now on a packet waits for the next stop (gdbstub.c). */
        u->server->running = true;
    }
    g_cond_broadcast(&u->cond);
    g_mutex_unlock(&u->lock);
    if (u->fd >= 0) {
        gdb_watcher_start();
    }
    end_exclusive();
}

/* Serve the debugger until it resumes; returns the signal it wants delivered. */
static int gdb_user_serve(CPUState *cs, const GdbStop *stop)
{
    GdbUser *u = &gdb_user;
    GHashTable *sent;
    uint8_t buf[4096];

    /* A Ctrl-C's requests that no vCPU took are void once anything stops. */
    g_mutex_lock(&u->lock);
    sent = u->ctrlc_kicked;
    u->ctrlc_kicked = g_hash_table_new(g_direct_hash, g_direct_equal);
    u->interrupt_pending = false;
    cpu_list_foreach(gdbu_clear_interrupt, sent);
    g_mutex_unlock(&u->lock);
    g_hash_table_destroy(sent);
    cpu_list_foreach(gdbu_step_off, NULL);

    u->resumed = false;
    u->resume_sig = 0;
    if (stop) {
        gdb_server_stopped(u->server, cs, stop);
    } else {
        /* The first stop: GDB asks '?' itself. */
        u->server->running = false;
        u->server->stop_tid = u->server->g_tid = gdb_cpu_tid(cs);
    }
    while (!u->resumed && u->fd >= 0) {
        ssize_t n = recv(u->fd, buf, sizeof(buf), 0);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            /* The debugger went away: run on without it. */
            gdb_bp_remove_all(false);
            gdbu_detach(NULL);
            break;
        }
        gdb_server_input(u->server, buf, (size_t)n);
    }
    return u->resume_sig;
}

int gdb_handlesig(CPUState *cs, int sig)
{
    GdbUser *u = &gdb_user;
    gpointer key = GINT_TO_POINTER(cs->cpu_index);
    GdbStop stop = {.kind = GDB_STOP_SIGNAL, .signal = sig};
    bool stepping, ctrlc, holdkick, ours = false;
    int r;

    if (!gdbserver_attached()) {
        return sig;
    }
    if (sig != SIGTRAP && gdb_server_pass_signal(u->server, sig)) {
        /* QPassSignals: GDB would only resume with it. */
        return sig;
    }
    stepping = cs->singlestep_enabled != 0;
    g_mutex_lock(&u->lock);
    ctrlc = g_hash_table_remove(u->ctrlc_kicked, key);
    holdkick = g_hash_table_remove(u->hold_kicked, key);
    gdbu_wait_released(cs);
    g_mutex_unlock(&u->lock);
    if (sig == SIGTRAP && holdkick && !ctrlc && !stepping && !gdb_bp_has_watch_hit(cs)) {
        /* It was only held, and is free again: no stop to report. */
        return 0;
    }

    for (;;) {
        gdb_user_session_begin();
        g_mutex_lock(&u->lock);
        if (!g_hash_table_contains(u->held, key)) {
            break;
        }
        /* The session before ours held this thread: its stop waits for the release. */
        g_mutex_unlock(&u->lock);
        gdb_user_session_end();
        g_mutex_lock(&u->lock);
        gdbu_wait_released(cs);
        g_mutex_unlock(&u->lock);
    }
    if (sig == SIGTRAP) {
        gdb_bp_stop_reason(cs, &stop);
        if (stop.kind != GDB_STOP_SIGNAL || stepping) {
            ours = true;
        } else if (ctrlc || holdkick) {
            /* EXCP_DEBUG from a Ctrl-C request (or from a lost connection). */
            ours = true;
            if (u->interrupt_pending) {
                stop.signal = SIGINT;
            } else if (!u->lost_pending) {
                /* Another stop answered that Ctrl-C already. */
                g_mutex_unlock(&u->lock);
                gdb_user_session_end();
                return 0;
            }
        }
    }
    if (u->lost_pending) {
        u->lost_pending = false;
        u->interrupt_pending = false;
        g_mutex_unlock(&u->lock);
        gdb_bp_remove_all(false);
        gdbu_detach(NULL);
        gdb_user_session_end();
        return ours ? 0 : sig;
    }
    g_mutex_unlock(&u->lock);
    if (!gdbserver_attached()) {
        gdb_user_session_end();
        return ours ? 0 : sig;
    }
    r = gdb_user_serve(cs, sig ? &stop : NULL);
    gdb_user_session_end();
    /* GDB may have resumed other threads only. */
    g_mutex_lock(&u->lock);
    gdbu_wait_released(cs);
    g_mutex_unlock(&u->lock);
    return r;
}

/* ---- start, exit, fork */

bool gdbserver_start(const char *port_or_path, Error **errp)
{
    GdbUser *u = &gdb_user;
    int lfd = gdb_listen(port_or_path, &u->socket_path, errp);

    if (lfd < 0) {
        return false;
    }
    u->fd = gdb_accept(lfd, errp);
    close(lfd);
    if (u->fd < 0) {
        return false;
    }
    u->ctrlc_kicked = g_hash_table_new(g_direct_hash, g_direct_equal);
    u->held = g_hash_table_new(g_direct_hash, g_direct_equal);
    u->hold_kicked = g_hash_table_new(g_direct_hash, g_direct_equal);
    u->server = gdb_server_new(&gdb_user_backend, u);
    __atomic_store_n(&u->attached, true, __ATOMIC_RELEASE);
    return true;
}

/* W or X while the debugger waits for a stop; nothing if it is not waiting. */
static void gdb_user_final(const GdbStop *stop)
{
    GdbUser *u = &gdb_user;
    GString *payload, *wire;
    bool running;

    if (u->socket_path) {
        unlink(u->socket_path);
    }
    if (!gdbserver_attached()) {
        return;
    }
    g_mutex_lock(&u->lock);
    running = u->running;
    g_mutex_unlock(&u->lock);
    if (!running) {
        return;
    }
    payload = g_string_new(NULL);
    wire = g_string_new(NULL);
    gdb_server_format_stop(u->server, payload, stop, 1);
    gdb_packet_frame(wire, payload->str, payload->len);
    gdb_user_write((const uint8_t *)wire->str, wire->len);
    g_string_free(payload, TRUE);
    g_string_free(wire, TRUE);
}

void gdb_exit(int code)
{
    GdbStop stop = {.kind = GDB_STOP_EXITED, .signal = code};

    gdb_user_final(&stop);
}

void gdb_signalled(int sig)
{
    GdbStop stop = {.kind = GDB_STOP_KILLED, .signal = sig};

    gdb_user_final(&stop);
}

void gdb_fork_child(void)
{
    GdbUser *u = &gdb_user;

    gdb_memory_fork_child();
    if (!u->server) {
        return;
    }
    /* Only this thread exists here: no watcher, no lock holder. */
    g_mutex_init(&u->lock);
    g_cond_init(&u->cond);
    g_mutex_init(&u->send_lock);
    u->watcher = NULL;
    u->watcher_busy = false;
    u->running = false;
    if (u->wake_fd >= 0) {
        close(u->wake_fd);
        u->wake_fd = -1;
    }
    g_free(u->socket_path);
    u->socket_path = NULL;
    g_hash_table_remove_all(u->held);
    g_hash_table_remove_all(u->hold_kicked);
    g_hash_table_remove_all(u->ctrlc_kicked);
    gdb_user_close();
    /* The child's code is its own: no breakpoints, no watchpoints, no step. */
    gdb_bp_remove_all(false);
    cpu_list_foreach(gdbu_step_off, NULL);
}
