/*
 * Inside the monitor: the session object, the command table's row type and
 * the functions the monitor's files share (monitor.c: sessions, output and
 * events; qmp.c: the QMP protocol; hmp.c: the human monitor; commands.c: the
 * table and its handlers; server.c: listening sockets).
 */
#ifndef MORPH_MONITOR_INT_H
#define MORPH_MONITOR_INT_H

#include "monitor/json.h"
#include "monitor/monitor.h"

/* QMP error classes (QEMU's qapi/error.json ErrorClass). */
typedef enum QmpErrorClass {
    QMP_ERROR_GENERIC,
    QMP_ERROR_COMMAND_NOT_FOUND,
    QMP_ERROR_DEVICE_NOT_ACTIVE,
    QMP_ERROR_DEVICE_NOT_FOUND,
    QMP_ERROR_KVM_MISSING_CAP,
} QmpErrorClass;

const char *qmp_error_class_name(QmpErrorClass cls);

/* HMP state that lives as long as a session: x's sticky /fmt, the current CPU. */
typedef struct HmpState {
    int last_format; /* 'x' */
    int last_size;   /* 4 */
    int64_t cpu_index;
} HmpState;

void hmp_state_init(HmpState *st);

struct Monitor {
    MonitorOptions opts;
    const MonitorChannelOps *ops;
    void *opaque;
    GByteArray *outbuf;
    bool open;
    bool want_write;
    int busy;          /* > 0 while input is being processed */
    bool free_pending; /* monitor_free() came while busy */
    /* QMP */
    JsonParser *parser;
    bool negotiated;
    bool oob;
    /* HMP */
    GString *line;
    bool after_cr;
    int esc_state;
    HmpState hmp;
};

/* Queue text for the peer; every "\n" goes out as "\r\n" (QEMU's monitor_puts). */
void monitor_puts(Monitor *mon, const char *text, size_t len);
void monitor_printf(Monitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ---- the command table */

typedef enum MonArgType {
    MON_ARG_STR,
    MON_ARG_INT,    /* QAPI 'int': int64 */
    MON_ARG_UINT64, /* QAPI 'uint64'/'size' */
    MON_ARG_BOOL,
    MON_ARG_NUMBER,
    MON_ARG_ANY,
    MON_ARG_STR_LIST, /* ['str'] (or a list of an enum, checked by the handler) */
} MonArgType;

typedef struct MonArg {
    const char *name;
    MonArgType type;
    bool optional;
} MonArg;

/* What a handler knows of its caller. */
typedef struct MonCmdCtx {
    Monitor *mon;            /* the session, or NULL (human-monitor-command's inner HMP) */
    HmpState *hmp;           /* HMP state of the calling session (never NULL) */
    GString *out;            /* HMP text output; NULL when called from QMP */
    QmpErrorClass err_class; /* set with an error that is not a GenericError */
} MonCmdCtx;

/*
 * A command: check nothing (the caller validated `args` against the row's
 * schema), do the work, store the result in *ret (NULL: QMP answers {}), or
 * return false with *errp set.
 */
typedef bool MonCmdFn(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp);
/* Print a successful result for HMP into ctx->out. */
typedef void MonHmpFormatFn(MonCmdCtx *ctx, const QObject *ret, const QDict *args);

typedef struct MonCommand {
    const char *qmp_name; /* NULL: HMP only */
    const MonArg *args;   /* QMP arguments (schema order); NULL: none */
    MonCmdFn *fn;
    const char *hmp_name;   /* "c|cont"; NULL: QMP only */
    bool hmp_info;          /* a sub-command of `info` */
    const char *hmp_args;   /* QEMU's args_type: "fmt:/,addr:l" */
    const char *hmp_params; /* what `help` shows: "/fmt addr" */
    const char *help;
    MonHmpFormatFn *hmp_format; /* NULL: nothing printed on success */
} MonCommand;

/* The table, ending with a row whose fn is NULL. */
extern const MonCommand monitor_commands[];

const MonCommand *moncmd_find_qmp(const char *name);
/* An HMP command or (info=true) `info` sub-command by name or alias. */
const MonCommand *moncmd_find_hmp(const char *name, bool info);
/* True if the "a|b|c" alias list `names` contains `name`. */
bool moncmd_name_matches(const char *names, const char *name);

/* query-version's answer, also the greeting's "version". */
QDict *moncmd_version_info(void);

/* ---- QMP (qmp.c) */
void qmp_session_open(Monitor *mon);
void qmp_session_close(Monitor *mon);
/*
 * Check `args` against `spec` as QEMU's QObject input visitor does: members
 * in schema order ("Parameter 'x' is missing", "Invalid parameter type for
 * 'x', expected: integer"), then leftovers ("Parameter 'x' is unexpected").
 */
bool qmp_check_args(const MonArg *spec, const QDict *args, Error **errp);
/* qmp_capabilities, run for `mon` (errors carry their class in ctx). */
bool qmp_negotiate(MonCmdCtx *ctx, QDict *args, Error **errp);

/* ---- HMP (hmp.c) */
void hmp_session_open(Monitor *mon);
void hmp_input(Monitor *mon, const uint8_t *buf, size_t len);
/* Run one command line; its output (with "\n" line ends) goes to `out`. */
void hmp_execute(Monitor *mon, HmpState *st, const char *line, GString *out);
/* HMP-only commands the table points at. */
bool hmp_cmd_help(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp);
bool hmp_cmd_info(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp);
bool hmp_cmd_x(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp);
bool hmp_cmd_xp(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp);

#endif
