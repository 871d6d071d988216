/*
 * The QMP protocol engine of one session (QEMU's monitor/qmp.c and
 * qapi/qmp-dispatch.c behaviour, docs/interop/qmp-spec.rst):
 *  - on connect, the greeting {"QMP": {"version": ..., "capabilities": ["oob"]}};
 *  - until qmp_capabilities succeeds, any other command fails with
 *    CommandNotFound "Expecting capabilities negotiation with
 *    'qmp_capabilities'", and no events are sent;
 *  - each request is a JSON object with "execute" (or "exec-oob" once the
 *    oob capability is on), optional "arguments" and "id"; the reply is
 *    {"return": ...} or {"error": {"class": ..., "desc": ...}}, with "id"
 *    echoed verbatim whatever JSON value it is;
 *  - JSON syntax errors are answered as GenericError without "id";
 *  - arguments are checked against the command's schema with the messages
 *    of QEMU's QObject input visitor.
 * Every reply is one line of JSON (or QEMU's pretty layout) ended by CRLF,
 * members in the order QEMU prints them (JSON_WRITE_QEMU_ORDER).
 * Commands run to completion in order; none supports out-of-band execution
 * (exec-oob answers "The command X does not support OOB", as QEMU does for
 * commands without allow-oob).
 */
#include "monitor-int.h"

#include <string.h>

const char *qmp_error_class_name(QmpErrorClass cls)
{
    static const char *const names[] = {
        [QMP_ERROR_GENERIC] = "GenericError",
        [QMP_ERROR_COMMAND_NOT_FOUND] = "CommandNotFound",
        [QMP_ERROR_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
        [QMP_ERROR_DEVICE_NOT_FOUND] = "DeviceNotFound",
        [QMP_ERROR_KVM_MISSING_CAP] = "KVMMissingCap",
    };

    return names[cls];
}

static void qmp_send(Monitor *mon, QDict *msg)
{
    GString *text = g_string_new(NULL);
    unsigned flags = JSON_WRITE_QEMU_ORDER | (mon->opts.pretty ? JSON_WRITE_PRETTY : 0);

    json_write(text, qdict_obj(msg), flags);
    g_string_append_c(text, '\n');
    monitor_puts(mon, text->str, text->len);
    g_string_free(text, TRUE);
}

static QDict *qmp_error_response(QmpErrorClass cls, const char *desc)
{
    QDict *rsp = qdict_new();
    QDict *error = qdict_new();

    qdict_put_str(error, "class", qmp_error_class_name(cls));
    qdict_put_str(error, "desc", desc);
    qdict_put_dict(rsp, "error", error);
    return rsp;
}

/* ---- argument checking (QEMU's qobject-input-visitor.c messages) */

static bool qmp_check_type(const MonArg *arg, const QObject *value, Error **errp)
{
    const char *expected = NULL;
    int64_t i;
    uint64_t u;

    switch (arg->type) {
    case MON_ARG_STR:
        if (qobject_type(value) != QTYPE_QSTRING) {
            expected = "string";
        }
        break;
    case MON_ARG_INT:
        if (!qobject_get_int(value, &i)) {
            expected = "integer";
        }
        break;
    case MON_ARG_UINT64:
        /* Negative values pass, for backward compatibility (QEMU's words). */
        if (!qobject_get_uint(value, &u) && !qobject_get_int(value, &i)) {
            error_setg(errp, "Parameter '%s' expects uint64", arg->name);
            return false;
        }
        break;
    case MON_ARG_BOOL:
        if (qobject_type(value) != QTYPE_QBOOL) {
            expected = "boolean";
        }
        break;
    case MON_ARG_NUMBER:
        if (qobject_type(value) != QTYPE_QNUM) {
            expected = "number";
        }
        break;
    case MON_ARG_ANY:
        break;
    case MON_ARG_STR_LIST: {
        const QList *list = qobject_to_list(value);

        if (!list) {
            expected = "array";
            break;
        }
        for (size_t n = 0; n < qlist_size(list); n++) {
            if (qobject_type(qlist_get(list, n)) != QTYPE_QSTRING) {
                error_setg(errp, "Invalid parameter type for '%s[%zu]', expected: string",
                           arg->name, n);
                return false;
            }
        }
        break;
    }
    }
    if (expected) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s", arg->name, expected);
        return false;
    }
    return true;
}

bool qmp_check_args(const MonArg *spec, const QDict *args, Error **errp)
{
    size_t n = qdict_size(args);

    for (const MonArg *a = spec; a && a->name; a++) {
        QObject *value = qdict_get(args, a->name);

        if (!value) {
            if (!a->optional) {
                error_setg(errp, "Parameter '%s' is missing", a->name);
                return false;
            }
            continue;
        }
        if (!qmp_check_type(a, value, errp)) {
            return false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *key = qdict_key_at(args, i);
        bool known = false;

        for (const MonArg *a = spec; a && a->name; a++) {
            if (strcmp(a->name, key) == 0) {
                known = true;
                break;
            }
        }
        if (!known) {
            error_setg(errp, "Parameter '%s' is unexpected", key);
            return false;
        }
    }
    return true;
}

/* ---- negotiation */

bool qmp_negotiate(MonCmdCtx *ctx, QDict *args, Error **errp)
{
    Monitor *mon = ctx->mon;
    QList *enable = qdict_get_list(args, "enable");
    bool oob = false;

    if (!mon || mon->opts.mode != MONITOR_MODE_QMP) {
        error_setg(errp, "Capabilities negotiation is only for QMP");
        return false;
    }
    if (mon->negotiated) {
        ctx->err_class = QMP_ERROR_COMMAND_NOT_FOUND;
        error_setg(errp, "Capabilities negotiation is already complete, command ignored");
        return false;
    }
    for (size_t i = 0; enable && i < qlist_size(enable); i++) {
        const char *cap = qobject_get_str(qlist_get(enable, i));

        if (strcmp(cap, "oob") != 0) {
            /* QEMU names list members of an enum "null" in this message. */
            error_setg(errp, "Parameter 'null' does not accept value '%s'", cap);
            return false;
        }
        oob = true;
    }
    mon->oob = oob;
    mon->negotiated = true;
    return true;
}

/* ---- dispatch (QEMU's qmp_dispatch and qmp_dispatch_check_obj) */

/* Validate the request's own members; returns the command name or NULL. */
static const char *qmp_check_request(Monitor *mon, const QDict *req, bool *oob, Error **errp)
{
    const char *exec_key = NULL;
    size_t n = qdict_size(req);

    for (size_t i = 0; i < n; i++) {
        const char *key = qdict_key_at(req, i);
        QObject *value = qdict_value_at(req, i);

        if (strcmp(key, "execute") == 0 || (strcmp(key, "exec-oob") == 0 && mon->oob)) {
            if (qobject_type(value) != QTYPE_QSTRING) {
                error_setg(errp, "QMP input member '%s' must be a string", key);
                return NULL;
            }
            if (exec_key) {
                error_setg(errp, "QMP input member '%s' clashes with '%s'", key, exec_key);
                return NULL;
            }
            exec_key = key;
        } else if (strcmp(key, "arguments") == 0) {
            if (qobject_type(value) != QTYPE_QDICT) {
                error_setg(errp, "QMP input member 'arguments' must be an object");
                return NULL;
            }
        } else if (strcmp(key, "id") != 0) {
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return NULL;
        }
    }
    if (!exec_key) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return NULL;
    }
    *oob = strcmp(exec_key, "exec-oob") == 0;
    return qdict_get_str(req, exec_key);
}

static QDict *qmp_dispatch(Monitor *mon, QObject *request)
{
    QDict *req = qobject_to_dict(request);
    MonCmdCtx ctx = {.mon = mon, .hmp = &mon->hmp};
    const MonCommand *cmd;
    const char *name;
    QObject *id = NULL;
    QObject *ret = NULL;
    QDict *args, *rsp;
    Error *err = NULL;
    bool oob = false;

    if (!req) {
        error_setg(&err, "QMP input must be a JSON object");
        goto out;
    }
    id = qdict_get(req, "id");
    name = qmp_check_request(mon, req, &oob, &err);
    if (!name) {
        goto out;
    }
    cmd = moncmd_find_qmp(name);
    /* Before negotiation only qmp_capabilities exists (QEMU's second table). */
    if (!cmd || (!mon->negotiated && strcmp(name, "qmp_capabilities") != 0)) {
        ctx.err_class = QMP_ERROR_COMMAND_NOT_FOUND;
        error_setg(&err, "The command %s has not been found", name);
        goto out;
    }
    if (oob) {
        error_setg(&err, "The command %s does not support OOB", name);
        goto out;
    }
    args = qdict_get_dict(req, "arguments");
    args = args ? (QDict *)qobject_ref(qdict_obj(args)) : qdict_new();
    if (qmp_check_args(cmd->args, args, &err)) {
        cmd->fn(&ctx, args, &ret, &err);
    }
    qobject_unref(qdict_obj(args));

out:
    if (err) {
        qobject_unref(ret);
        if (!mon->negotiated && ctx.err_class == QMP_ERROR_COMMAND_NOT_FOUND) {
            /* QEMU replaces the text to point the client at negotiation. */
            rsp = qmp_error_response(ctx.err_class,
                                     "Expecting capabilities negotiation with 'qmp_capabilities'");
        } else {
            rsp = qmp_error_response(ctx.err_class, error_get_pretty(err));
        }
        error_free(err);
    } else {
        rsp = qdict_new();
        qdict_put_obj(rsp, "return", ret ? ret : qdict_obj(qdict_new()));
    }
    if (id) {
        qdict_put_obj(rsp, "id", qobject_ref(id));
    }
    return rsp;
}

/* The JSON parser's consumer: one request or one syntax error. */
static void qmp_handle_request(void *opaque, QObject *req, Error *err)
{
    Monitor *mon = opaque;
    QDict *rsp;

    if (!mon->open) {
        /* The peer was dropped while its pipelined input was being parsed. */
        qobject_unref(req);
        error_free(err);
        return;
    }
    if (err) {
        rsp = qmp_error_response(QMP_ERROR_GENERIC, error_get_pretty(err));
        error_free(err);
    } else {
        rsp = qmp_dispatch(mon, req);
        qobject_unref(req);
    }
    qmp_send(mon, rsp);
    qobject_unref(qdict_obj(rsp));
}

static QDict *qmp_greeting(void)
{
    QDict *msg = qdict_new();
    QDict *qmp = qdict_new();
    QList *caps = qlist_new();

    qlist_append_str(caps, "oob");
    qdict_put_dict(qmp, "version", moncmd_version_info());
    qdict_put_list(qmp, "capabilities", caps);
    qdict_put_dict(msg, "QMP", qmp);
    return msg;
}

void qmp_session_open(Monitor *mon)
{
    QDict *greeting = qmp_greeting();

    if (!mon->parser) {
        mon->parser = json_parser_new(qmp_handle_request, mon);
    }
    json_parser_reset(mon->parser);
    mon->negotiated = false;
    mon->oob = false;
    qmp_send(mon, greeting);
    qobject_unref(qdict_obj(greeting));
}

void qmp_session_close(Monitor *mon)
{
    if (mon->parser) {
        json_parser_reset(mon->parser);
    }
    mon->negotiated = false;
    mon->oob = false;
}
