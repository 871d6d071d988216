/*
 * The stub in system mode: the glue between the server and a system
 * emulator's main loop, as include/gdbstub/gdbstub.h ("System mode")
 * describes it.  The emulator owns the connection and the run state; the
 * stub only reacts: bytes in, VM stops reported, VM starts requested.
 * Everything runs on the main loop, and the vCPUs are stopped whenever a
 * packet other than Ctrl-C is handled, so the breakpoint lists and the
 * vCPU state are the stub's to change.
 */
#include <signal.h>
#include "internals.h"

typedef struct GdbSystem {
    const GdbSystemOps *ops;
    void *opaque;
    GdbServer *server;
    bool connected;
} GdbSystem;

static void gdbs_send(void *opaque, const uint8_t *buf, size_t len)
{
    GdbSystem *g = opaque;

    if (g->connected) {
        g->ops->send(g->opaque, buf, len);
    }
}

static void gdbs_cpu_foreach(void *opaque, void (*fn)(CPUState *cs, void *data), void *data)
{
    cpu_list_foreach(fn, data);
}

static size_t gdbs_memory_rw(void *opaque, CPUState *cs, uint64_t addr, uint8_t *buf, size_t len,
                             bool is_write, bool phys)
{
    return gdb_system_memory_rw(cs, addr, buf, len, is_write, phys);
}

static int gdbs_bp_insert(void *opaque, int type, uint64_t addr, uint64_t len)
{
    return gdb_bp_insert(type, addr, len, true);
}

static int gdbs_bp_remove(void *opaque, int type, uint64_t addr, uint64_t len)
{
    return gdb_bp_remove(type, addr, len, true);
}

static void gdbs_bp_remove_all(void *opaque)
{
    gdb_bp_remove_all(true);
}

static void gdbs_set_resume(void *opaque, CPUState *cs, int how)
{
    GdbSystem *g = opaque;

    cpu_single_step(cs, how > 0 ? how : 0);
    if (g->ops->cpu_hold) {
        g->ops->cpu_hold(g->opaque, cs, how == GDB_RESUME_STOPPED);
    }
}

/* The guest has no signals to receive from the debugger in system mode. */
static void gdbs_resume(void *opaque, int sig)
{
    GdbSystem *g = opaque;

    g->ops->vm_start(g->opaque);
}

static void gdbs_interrupt(void *opaque)
{
    GdbSystem *g = opaque;

    g->ops->vm_stop(g->opaque);
}

static void gdbs_kill(void *opaque)
{
    GdbSystem *g = opaque;

    g->ops->quit(g->opaque);
}

static void gdbs_step_off(CPUState *cs, void *data)
{
    cpu_single_step(cs, 0);
}

/* D: the machine runs on without the debugger. */
static void gdbs_detach(void *opaque)
{
    GdbSystem *g = opaque;

    cpu_list_foreach(gdbs_step_off, NULL);
    g->connected = false;
    g->ops->vm_start(g->opaque);
}

static bool gdbs_monitor(void *opaque, const char *cmd, GString *out)
{
    GdbSystem *g = opaque;

    return g->ops->monitor_command(g->opaque, cmd, out);
}

static const GdbBackend gdb_system_backend = {
    .system = true,
    .send = gdbs_send,
    .cpu_foreach = gdbs_cpu_foreach,
    .memory_rw = gdbs_memory_rw,
    .breakpoint_insert = gdbs_bp_insert,
    .breakpoint_remove = gdbs_bp_remove,
    .breakpoint_remove_all = gdbs_bp_remove_all,
    .set_resume = gdbs_set_resume,
    .resume = gdbs_resume,
    .interrupt = gdbs_interrupt,
    .kill = gdbs_kill,
    .detach = gdbs_detach,
};

/* The same backend with qRcmd, when the monitor offers it. */
static const GdbBackend gdb_system_backend_monitor = {
    .system = true,
    .send = gdbs_send,
    .cpu_foreach = gdbs_cpu_foreach,
    .memory_rw = gdbs_memory_rw,
    .breakpoint_insert = gdbs_bp_insert,
    .breakpoint_remove = gdbs_bp_remove,
    .breakpoint_remove_all = gdbs_bp_remove_all,
    .set_resume = gdbs_set_resume,
    .resume = gdbs_resume,
    .interrupt = gdbs_interrupt,
    .kill = gdbs_kill,
    .detach = gdbs_detach,
    .monitor_command = gdbs_monitor,
};

GdbServer *gdb_system_start(const GdbSystemOps *ops, void *opaque)
{
    GdbSystem *g = g_new0(GdbSystem, 1);

    g->ops = ops;
    g->opaque = opaque;
    g->server =
        gdb_server_new(ops->monitor_command ? &gdb_system_backend_monitor : &gdb_system_backend, g);
    g->server->attached = false;
    return g->server;
}

void gdb_system_free(GdbServer *s)
{
    if (s) {
        gdb_system_disconnected(s);
        g_free(s->opaque);
        gdb_server_free(s);
    }
}

void gdb_system_input(GdbServer *s, const uint8_t *buf, size_t len)
{
    GdbSystem *g = s->opaque;

    if (g->connected) {
        gdb_server_input(s, buf, len);
    }
}

void gdb_system_connected(GdbServer *s)
{
    GdbSystem *g = s->opaque;

    /* A fresh session: acknowledgements back on, nothing learnt from a previous GDB. */
    gdb_parser_init(&s->parser);
    g_ptr_array_set_size(s->deferred, 0);
    s->noack = false;
    s->phys_mode = false;
    s->gdb_swbreak = s->gdb_hwbreak = false;
    s->c_tid = s->g_tid = s->stop_tid = 0;
    s->last_stop = (GdbStop){.kind = GDB_STOP_SIGNAL, .signal = SIGTRAP};
    s->running = false;
    s->attached = true;
    g->connected = true;
    gdb_bp_reset();
    /* GDB expects a stopped target when it attaches. */
    g->ops->vm_stop(g->opaque);
}

void gdb_system_disconnected(GdbServer *s)
{
    GdbSystem *g = s->opaque;

    if (!g->connected) {
        return;
    }
    g->connected = false;
    s->attached = false;
    gdb_bp_remove_all(true);
    cpu_list_foreach(gdbs_step_off, NULL);
}

void gdb_system_vm_stopped(GdbServer *s, CPUState *cs, int reason)
{
    GdbSystem *g = s->opaque;
    GdbStop stop = {.kind = GDB_STOP_SIGNAL, .signal = SIGTRAP};
    bool waiting = s->running;

    if (!g->connected) {
        return;
    }
    cpu_list_foreach(gdbs_step_off, NULL);
    if (reason == GDB_VM_STOP_DEBUG && cs) {
        gdb_bp_stop_reason(cs, &stop);
    } else {
        stop.signal = SIGINT;
    }
    if (waiting) {
        gdb_server_stopped(s, cs, &stop);
    } else {
        /* GDB is not waiting for a stop reply: '?' tells it later. */
        s->last_stop = stop;
    }
}
