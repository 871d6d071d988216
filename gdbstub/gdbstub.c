/*
 * One debugger connection: bytes in, packets dispatched to the command
 * table (commands.c), replies framed and remembered until acknowledged,
 * stop replies when the guest stops.  Everything about how the guest runs
 * is behind GdbBackend (internals.h), so this file serves user mode,
 * system mode and the unit tests alike.
 *
 * All-stop protocol: while the guest runs, the debugger sends nothing but
 * Ctrl-C (0x03); a packet that arrives anyway is kept and answered after
 * the next stop reply, since answering it would mean touching running
 * vCPUs.  Thread ids are vCPU indexes + 1 (GDB reserves 0 and -1).
 */
#include <string.h>
#include "internals.h"

static void gdb_server_free_gstring(gpointer p)
{
    g_string_free(p, TRUE);
}

GdbServer *gdb_server_new(const GdbBackend *be, void *opaque)
{
    GdbServer *s = g_new0(GdbServer, 1);

    s->be = be;
    s->opaque = opaque;
    gdb_parser_init(&s->parser);
    s->reply = g_string_new(NULL);
    s->wire = g_string_new(NULL);
    s->deferred = g_ptr_array_new_with_free_func(gdb_server_free_gstring);
    s->attached = true;
    s->sstep_flags = SSTEP_ENABLE | SSTEP_NOIRQ | SSTEP_NOTIMER;
    s->last_stop.kind = GDB_STOP_SIGNAL;
    s->last_stop.signal = 5; /* SIGTRAP: the guest has not run yet */
    return s;
}

void gdb_server_free(GdbServer *s)
{
    if (!s) {
        return;
    }
    g_string_free(s->reply, TRUE);
    g_string_free(s->wire, TRUE);
    g_ptr_array_free(s->deferred, TRUE);
    g_free(s);
}

/* ---- sending */

static void gdb_server_send_raw(GdbServer *s, const char *buf, size_t len)
{
    if (s->attached) {
        s->be->send(s->opaque, (const uint8_t *)buf, len);
    }
}

void gdb_server_send_packet(GdbServer *s, const char *payload, size_t len)
{
    g_string_truncate(s->wire, 0);
    gdb_packet_frame(s->wire, payload, len);
    gdb_server_send_raw(s, s->wire->str, s->wire->len);
}

void gdb_server_send_str(GdbServer *s, const char *payload)
{
    gdb_server_send_packet(s, payload, strlen(payload));
}

/* ---- threads */

int gdb_cpu_tid(CPUState *cs)
{
    return cs->cpu_index + 1;
}

typedef struct GdbFindCpu {
    int tid;
    CPUState *found;
    CPUState *first;
} GdbFindCpu;

static void gdb_find_cpu_fn(CPUState *cs, void *data)
{
    GdbFindCpu *f = data;

    if (!f->first) {
        f->first = cs;
    }
    if (!f->found && gdb_cpu_tid(cs) == f->tid) {
        f->found = cs;
    }
}

CPUState *gdb_server_find_cpu(GdbServer *s, int tid)
{
    GdbFindCpu f = {.tid = tid};

    s->be->cpu_foreach(s->opaque, gdb_find_cpu_fn, &f);
    return f.found;
}

CPUState *gdb_server_first_cpu(GdbServer *s)
{
    GdbFindCpu f = {.tid = 0};

    s->be->cpu_foreach(s->opaque, gdb_find_cpu_fn, &f);
    return f.first;
}

/* A thread named by H (0: any, -1: all) or a stop: the thread, else the one that stopped. */
static CPUState *gdb_server_cpu_for(GdbServer *s, int tid)
{
    CPUState *cs = NULL;

    if (tid > 0) {
        cs = gdb_server_find_cpu(s, tid);
    }
    if (!cs && s->stop_tid > 0) {
        cs = gdb_server_find_cpu(s, s->stop_tid);
    }
    return cs ? cs : gdb_server_first_cpu(s);
}

CPUState *gdb_server_g_cpu(GdbServer *s)
{
    return gdb_server_cpu_for(s, s->g_tid);
}

CPUState *gdb_server_c_cpu(GdbServer *s)
{
    return gdb_server_cpu_for(s, s->c_tid);
}

/* ---- stops */

static const char *const gdb_watch_names[] = {
    [GDB_WP_WRITE] = "watch",
    [GDB_WP_READ] = "rwatch",
    [GDB_WP_ACCESS] = "awatch",
};

void gdb_server_format_stop(GdbServer *s, GString *out, const GdbStop *stop, int tid)
{
    int sig = stop->kind == GDB_STOP_SIGNAL ? stop->signal : 5;

    switch (stop->kind) {
    case GDB_STOP_EXITED:
        g_string_append_printf(out, "W%02x", (unsigned)stop->signal & 0xff);
        return;
    case GDB_STOP_KILLED:
        g_string_append_printf(out, "X%02x", (unsigned)gdb_signal_from_target(stop->signal));
        return;
    default:
        break;
    }
    g_string_append_printf(out, "T%02xthread:%x;", (unsigned)gdb_signal_from_target(sig),
                           (unsigned)tid);
    switch (stop->kind) {
    case GDB_STOP_SWBREAK:
        /* Only for a GDB that said swbreak+ (it then needs no pc adjustment). */
        if (s->gdb_swbreak) {
            g_string_append(out, "swbreak:;");
        }
        break;
    case GDB_STOP_HWBREAK:
        if (s->gdb_hwbreak) {
            g_string_append(out, "hwbreak:;");
        }
        break;
    case GDB_STOP_WATCH:
        if (stop->watch_type >= GDB_WP_WRITE && stop->watch_type <= GDB_WP_ACCESS) {
            g_string_append_printf(out, "%s:%" G_GINT64_MODIFIER "x;",
                                   gdb_watch_names[stop->watch_type], stop->watch_addr);
        }
        break;
    default:
        break;
    }
}

static void gdb_server_run_deferred(GdbServer *s)
{
    while (s->deferred->len && !s->running && s->attached) {
        GString *p = g_ptr_array_steal_index(s->deferred, 0);

        gdb_server_handle_packet(s, p->str, p->len);
        g_string_free(p, TRUE);
    }
}

void gdb_server_stopped(GdbServer *s, CPUState *cs, const GdbStop *stop)
{
    int tid;

    if (!cs) {
        cs = gdb_server_cpu_for(s, 0);
    }
    tid = cs ? gdb_cpu_tid(cs) : 1;
    s->running = false;
    s->last_stop = *stop;
    s->stop_tid = tid;
    /*
     * GDB takes the thread of a stop reply as the one Hg names now; Hc it
     * keeps (and sends again only when it changes).
     */
    s->g_tid = tid;
    if (!s->attached) {
        return;
    }
    g_string_truncate(s->reply, 0);
    gdb_server_format_stop(s, s->reply, stop, tid);
    gdb_server_send_packet(s, s->reply->str, s->reply->len);
    gdb_server_run_deferred(s);
}

bool gdb_server_pass_signal(GdbServer *s, int sig)
{
    int g = gdb_signal_from_target(sig);

    return g > 0 && g < 256 && (s->pass_signals[g / 8] & (1u << (g % 8)));
}

/* ---- receiving */

void gdb_server_handle_packet(GdbServer *s, const char *data, size_t len)
{
    g_string_truncate(s->reply, 0);
    s->no_reply = false;
    gdb_dispatch(s, data, len);
    if (!s->no_reply) {
        gdb_server_send_packet(s, s->reply->str, s->reply->len);
    }
}

void gdb_server_input(GdbServer *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len && s->attached; i++) {
        switch (gdb_parser_feed(&s->parser, buf[i])) {
        case GDB_RX_PACKET:
            if (!s->noack) {
                gdb_server_send_raw(s, "+", 1);
            }
            if (s->running) {
                g_ptr_array_add(s->deferred,
                                g_string_new_len(s->parser.data, (gssize)s->parser.len));
            } else {
                gdb_server_handle_packet(s, s->parser.data, s->parser.len);
            }
            break;
        case GDB_RX_BAD:
            if (!s->noack) {
                gdb_server_send_raw(s, "-", 1);
            }
            break;
        case GDB_RX_NACK:
            /* The last packet arrived damaged: once more. */
            if (!s->noack && s->wire->len) {
                gdb_server_send_raw(s, s->wire->str, s->wire->len);
            }
            break;
        case GDB_RX_INTERRUPT:
            if (s->running && s->be->interrupt) {
                s->be->interrupt(s->opaque);
            }
            break;
        default:
            break;
        }
    }
}
