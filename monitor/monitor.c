/*
 * Monitor sessions: the byte-level life of one QMP or HMP peer (contract:
 * include/monitor/monitor.h).  Input goes to the QMP or HMP engine; output
 * is queued here and handed to the channel without ever blocking, as QEMU's
 * monitor_flush does through a chardev watch.  A peer whose backlog passes
 * the limit is dropped: one stuck client must not make the emulator buffer
 * without bound or stall.  Events are formatted once and queued to every
 * QMP session past negotiation, as QEMU's monitor_qapi_event_emit does
 * (without its rate limiting, which only some events need).
 */
#include "monitor-int.h"

#include <stdarg.h>
#include <string.h>

static MonitorHooks monitor_hooks;
static GList *monitor_list; /* every Monitor, for events and flushes */

void monitor_set_hooks(const MonitorHooks *hooks)
{
    if (hooks) {
        monitor_hooks = *hooks;
    } else {
        memset(&monitor_hooks, 0, sizeof(monitor_hooks));
    }
}

const MonitorHooks *monitor_get_hooks(void)
{
    return &monitor_hooks;
}

Monitor *monitor_new(const MonitorOptions *opts, const MonitorChannelOps *ops, void *opaque)
{
    Monitor *mon = g_new0(Monitor, 1);

    mon->opts = *opts;
    if (!mon->opts.max_output) {
        mon->opts.max_output = MONITOR_MAX_OUTPUT;
    }
    mon->ops = ops;
    mon->opaque = opaque;
    mon->outbuf = g_byte_array_new();
    mon->line = g_string_new(NULL);
    hmp_state_init(&mon->hmp);
    monitor_list = g_list_prepend(monitor_list, mon);
    return mon;
}

static void monitor_destroy(Monitor *mon)
{
    monitor_list = g_list_remove(monitor_list, mon);
    if (mon->want_write && mon->ops->want_write) {
        mon->ops->want_write(mon->opaque, false);
    }
    json_parser_free(mon->parser);
    g_byte_array_free(mon->outbuf, TRUE);
    g_string_free(mon->line, TRUE);
    g_free(mon);
}

void monitor_free(Monitor *mon)
{
    if (!mon) {
        return;
    }
    if (mon->busy) {
        mon->free_pending = true;
        return;
    }
    monitor_destroy(mon);
}

MonitorMode monitor_mode(const Monitor *mon)
{
    return mon->opts.mode;
}

bool monitor_qmp_negotiated(const Monitor *mon)
{
    return mon->opts.mode == MONITOR_MODE_QMP && mon->open && mon->negotiated;
}

size_t monitor_output_pending(const Monitor *mon)
{
    return mon->outbuf->len;
}

static void monitor_set_want_write(Monitor *mon, bool on)
{
    if (mon->want_write != on && mon->ops->want_write) {
        mon->ops->want_write(mon->opaque, on);
    }
    mon->want_write = on;
}

/* End the session from our side: the peer is gone or hopeless. */
static void monitor_drop_peer(Monitor *mon)
{
    if (!mon->open) {
        return;
    }
    monitor_close(mon);
    if (mon->ops->disconnect) {
        mon->ops->disconnect(mon->opaque);
    }
}

/* Hand as much queued output to the channel as it takes now. */
static void monitor_flush(Monitor *mon)
{
    while (mon->open && mon->outbuf->len) {
        ssize_t n = mon->ops->write(mon->opaque, mon->outbuf->data, mon->outbuf->len);

        if (n < 0) {
            monitor_drop_peer(mon);
            return;
        }
        if (n == 0) {
            break;
        }
        g_byte_array_remove_range(mon->outbuf, 0, (guint)n);
    }
    monitor_set_want_write(mon, mon->open && mon->outbuf->len > 0);
}

void monitor_output_ready(Monitor *mon)
{
    monitor_flush(mon);
}

void monitor_flush_all(void)
{
    for (GList *l = monitor_list; l; l = l->next) {
        monitor_flush(l->data);
    }
}

void monitor_puts(Monitor *mon, const char *text, size_t len)
{
    size_t start = 0;

    if (!mon->open) {
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            g_byte_array_append(mon->outbuf, (const guint8 *)text + start, i - start);
            g_byte_array_append(mon->outbuf, (const guint8 *)"\r\n", 2);
            start = i + 1;
        }
    }
    g_byte_array_append(mon->outbuf, (const guint8 *)text + start, len - start);
    if (mon->outbuf->len > mon->opts.max_output) {
        /* Try the channel first: the backlog may drain at once. */
        monitor_flush(mon);
        if (mon->outbuf->len > mon->opts.max_output) {
            monitor_drop_peer(mon);
        }
        return;
    }
    monitor_flush(mon);
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_puts(mon, text, strlen(text));
    g_free(text);
}

void monitor_open(Monitor *mon)
{
    if (mon->open) {
        monitor_close(mon);
    }
    mon->open = true;
    if (mon->opts.mode == MONITOR_MODE_QMP) {
        qmp_session_open(mon);
    } else {
        hmp_session_open(mon);
    }
}

void monitor_close(Monitor *mon)
{
    mon->open = false;
    g_byte_array_set_size(mon->outbuf, 0);
    monitor_set_want_write(mon, false);
    if (mon->opts.mode == MONITOR_MODE_QMP) {
        qmp_session_close(mon);
    } else {
        g_string_truncate(mon->line, 0);
        mon->after_cr = false;
        mon->esc_state = 0;
        hmp_state_init(&mon->hmp);
    }
}

void monitor_input(Monitor *mon, const void *buf, size_t len)
{
    if (!mon->open) {
        return;
    }
    mon->busy++;
    if (mon->opts.mode == MONITOR_MODE_QMP) {
        json_parser_feed(mon->parser, buf, len);
    } else {
        hmp_input(mon, buf, len);
    }
    mon->busy--;
    if (!mon->busy && mon->free_pending) {
        monitor_destroy(mon);
    }
}

void monitor_event_emit(const char *event, QDict *data)
{
    gint64 now = g_get_real_time();
    QDict *msg = qdict_new();
    QDict *ts = qdict_new();
    GString *text = g_string_new(NULL);
    GString *pretty = NULL;
    GList *l, *next;

    qdict_put_int(ts, "seconds", now / G_USEC_PER_SEC);
    qdict_put_int(ts, "microseconds", now % G_USEC_PER_SEC);
    qdict_put_dict(msg, "timestamp", ts);
    qdict_put_str(msg, "event", event);
    if (data) {
        qdict_put_dict(msg, "data", data);
    }
    json_write(text, qdict_obj(msg), JSON_WRITE_QEMU_ORDER);
    g_string_append_c(text, '\n');

    for (l = monitor_list; l; l = next) {
        Monitor *mon = l->data;

        next = l->next; /* a dropped peer does not leave the list */
        if (!monitor_qmp_negotiated(mon)) {
            continue;
        }
        if (mon->opts.pretty) {
            if (!pretty) {
                pretty = g_string_new(NULL);
                json_write(pretty, qdict_obj(msg), JSON_WRITE_QEMU_ORDER | JSON_WRITE_PRETTY);
                g_string_append_c(pretty, '\n');
            }
            monitor_puts(mon, pretty->str, pretty->len);
        } else {
            monitor_puts(mon, text->str, text->len);
        }
    }
    g_string_free(text, TRUE);
    if (pretty) {
        g_string_free(pretty, TRUE);
    }
    qobject_unref(qdict_obj(msg));
}
