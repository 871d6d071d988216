/*
 * The monitor's one command table, shared by QMP and HMP (QEMU keeps two:
 * the QAPI schema and the hmp-commands .hx files).  A row names the QMP command and its
 * argument schema, the handler, the HMP spelling with QEMU's args_type
 * string and help text, and the HMP printer of the handler's result; the
 * HMP line parser (hmp.c) turns a line into the same argument dict QMP
 * would send.  Handlers reach the machine only through MonitorHooks.
 * Results are built in QAPI schema order; wire formats and messages are
 * QEMU 7.2's (the QAPI schema, monitor/hmp-cmds.c, softmmu/cpus.c).
 */
#include "monitor-int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config-host.h"

#define HOOKS monitor_get_hooks()

static bool moncmd_no_hook(const char *cmd, const char *hook, Error **errp)
{
    error_setg(errp, "The command %s is not available: the machine provides no '%s' hook", cmd,
               hook);
    return false;
}

/* Does the machine have this vCPU?  Without a CPU list, trust the caller. */
static bool moncmd_cpu_exists(int64_t cpu_index)
{
    GArray *cpus;
    bool found = false;

    if (!HOOKS->query_cpus) {
        return cpu_index == 0;
    }
    cpus = g_array_new(FALSE, TRUE, sizeof(MonitorCpuInfo));
    HOOKS->query_cpus(HOOKS->opaque, cpus);
    for (guint i = 0; i < cpus->len; i++) {
        found |= g_array_index(cpus, MonitorCpuInfo, i).cpu_index == cpu_index;
    }
    g_array_free(cpus, TRUE);
    return found;
}

/* ---- version, names, status */

QDict *moncmd_version_info(void)
{
    QDict *info = qdict_new();
    QDict *qemu = qdict_new();

    qdict_put_int(qemu, "major", MONITOR_QEMU_MAJOR);
    qdict_put_int(qemu, "minor", MONITOR_QEMU_MINOR);
    qdict_put_int(qemu, "micro", MONITOR_QEMU_MICRO);
    qdict_put_dict(info, "qemu", qemu);
    qdict_put_str(info, "package", " (morph " MORPH_VERSION ")");
    return info;
}

static bool cmd_qmp_capabilities(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    return qmp_negotiate(ctx, args, errp);
}

static bool cmd_query_version(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    *ret = qdict_obj(moncmd_version_info());
    return true;
}

static void hmp_print_version(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QDict *info = qobject_to_dict(ret);
    QDict *qemu = qdict_get_dict(info, "qemu");

    g_string_append_printf(ctx->out, "%" PRId64 ".%" PRId64 ".%" PRId64 "%s\n",
                           qdict_get_int_def(qemu, "major", 0), qdict_get_int_def(qemu, "minor", 0),
                           qdict_get_int_def(qemu, "micro", 0), qdict_get_str(info, "package"));
}

static bool cmd_query_commands(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    QList *list = qlist_new();

    for (const MonCommand *c = monitor_commands; c->fn; c++) {
        if (c->qmp_name) {
            QDict *info = qdict_new();

            qdict_put_str(info, "name", c->qmp_name);
            qlist_append_dict(list, info);
        }
    }
    *ret = qlist_obj(list);
    return true;
}

static bool cmd_query_name(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    QDict *info = qdict_new();
    const char *name = HOOKS->vm_name ? HOOKS->vm_name(HOOKS->opaque) : NULL;

    if (name) {
        qdict_put_str(info, "name", name);
    }
    *ret = qdict_obj(info);
    return true;
}

static void hmp_print_name(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    const char *name = qdict_get_str(qobject_to_dict(ret), "name");

    if (name) {
        g_string_append_printf(ctx->out, "%s\n", name);
    }
}

static bool cmd_query_status(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    QDict *info;
    const char *state;

    if (!HOOKS->run_state) {
        return moncmd_no_hook("query-status", "run_state", errp);
    }
    state = HOOKS->run_state(HOOKS->opaque);
    info = qdict_new();
    qdict_put_bool(info, "running", strcmp(state, "running") == 0);
    qdict_put_bool(info, "singlestep", false);
    qdict_put_str(info, "status", state);
    *ret = qdict_obj(info);
    return true;
}

static void hmp_print_status(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QDict *info = qobject_to_dict(ret);
    bool running = qdict_get_bool_def(info, "running", false);
    const char *status = qdict_get_str(info, "status");

    g_string_append_printf(ctx->out, "VM status: %s", running ? "running" : "paused");
    if (!running && strcmp(status, "paused") != 0) {
        g_string_append_printf(ctx->out, " (%s)", status);
    }
    g_string_append_c(ctx->out, '\n');
}

static bool cmd_query_kvm(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    QDict *info = qdict_new();

    /* morph is a pure translator: there is no KVM to enable. */
    qdict_put_bool(info, "enabled", false);
    qdict_put_bool(info, "present", false);
    *ret = qdict_obj(info);
    return true;
}

static void hmp_print_kvm(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QDict *info = qobject_to_dict(ret);

    g_string_append(ctx->out, "kvm support: ");
    if (qdict_get_bool_def(info, "present", false)) {
        g_string_append_printf(ctx->out, "%s\n",
                               qdict_get_bool_def(info, "enabled", false) ? "enabled" : "disabled");
    } else {
        g_string_append(ctx->out, "not compiled\n");
    }
}

/* ---- lists the machine describes */

static bool cmd_query_machines(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    GArray *machines;
    QList *list;

    if (!HOOKS->query_machines) {
        return moncmd_no_hook("query-machines", "query_machines", errp);
    }
    machines = g_array_new(FALSE, TRUE, sizeof(MonitorMachineInfo));
    HOOKS->query_machines(HOOKS->opaque, machines);
    list = qlist_new();
    for (guint i = 0; i < machines->len; i++) {
        const MonitorMachineInfo *m = &g_array_index(machines, MonitorMachineInfo, i);
        QDict *info = qdict_new();

        qdict_put_str(info, "name", m->name);
        if (m->alias) {
            qdict_put_str(info, "alias", m->alias);
        }
        if (m->is_default) {
            qdict_put_bool(info, "is-default", true);
        }
        qdict_put_int(info, "cpu-max", m->cpu_max);
        qdict_put_bool(info, "hotpluggable-cpus", m->hotpluggable_cpus);
        qdict_put_bool(info, "numa-mem-supported", m->numa_mem_supported);
        qdict_put_bool(info, "deprecated", m->deprecated);
        if (m->default_cpu_type) {
            qdict_put_str(info, "default-cpu-type", m->default_cpu_type);
        }
        if (m->default_ram_id) {
            qdict_put_str(info, "default-ram-id", m->default_ram_id);
        }
        qlist_append_dict(list, info);
    }
    g_array_free(machines, TRUE);
    *ret = qlist_obj(list);
    return true;
}

static bool cmd_query_cpus_fast(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    GArray *cpus;
    QList *list;

    if (!HOOKS->query_cpus) {
        return moncmd_no_hook("query-cpus-fast", "query_cpus", errp);
    }
    cpus = g_array_new(FALSE, TRUE, sizeof(MonitorCpuInfo));
    HOOKS->query_cpus(HOOKS->opaque, cpus);
    list = qlist_new();
    for (guint i = 0; i < cpus->len; i++) {
        const MonitorCpuInfo *c = &g_array_index(cpus, MonitorCpuInfo, i);
        QDict *info = qdict_new();
        QDict *props = qdict_new();

        qdict_put_int(info, "cpu-index", c->cpu_index);
        qdict_put_str(info, "qom-path", c->qom_path ? c->qom_path : "");
        qdict_put_int(info, "thread-id", c->thread_id);
        if (c->node_id >= 0) {
            qdict_put_int(props, "node-id", c->node_id);
        }
        if (c->socket_id >= 0) {
            qdict_put_int(props, "socket-id", c->socket_id);
        }
        if (c->core_id >= 0) {
            qdict_put_int(props, "core-id", c->core_id);
        }
        if (c->thread_id_prop >= 0) {
            qdict_put_int(props, "thread-id", c->thread_id_prop);
        }
        if (qdict_size(props)) {
            qdict_put_dict(info, "props", props);
        } else {
            qobject_unref(qdict_obj(props));
        }
        qdict_put_str(info, "target", c->target ? c->target : "riscv64");
        qlist_append_dict(list, info);
    }
    g_array_free(cpus, TRUE);
    *ret = qlist_obj(list);
    return true;
}

static void hmp_print_cpus(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QList *list = qobject_to_list(ret);

    for (size_t i = 0; i < qlist_size(list); i++) {
        QDict *cpu = qobject_to_dict(qlist_get(list, i));
        int64_t index = qdict_get_int_def(cpu, "cpu-index", 0);

        g_string_append_printf(ctx->out, "%c CPU #%" PRId64 ":",
                               index == ctx->hmp->cpu_index ? '*' : ' ', index);
        g_string_append_printf(ctx->out, " thread_id=%" PRId64 "\n",
                               qdict_get_int_def(cpu, "thread-id", 0));
    }
}

static QDict *moncmd_block_inserted(const MonitorBlockInfo *b)
{
    static const char *const throttles[] = {"bps",  "bps_rd",  "bps_wr",
                                            "iops", "iops_rd", "iops_wr"};
    QDict *ins = qdict_new();
    QDict *image = qdict_new();
    QDict *cache = qdict_new();

    qdict_put_str(ins, "file", b->file ? b->file : "");
    if (b->node_name) {
        qdict_put_str(ins, "node-name", b->node_name);
    }
    qdict_put_bool(ins, "ro", b->ro);
    qdict_put_str(ins, "drv", b->drv ? b->drv : "raw");
    if (b->backing_file) {
        qdict_put_str(ins, "backing_file", b->backing_file);
    }
    qdict_put_int(ins, "backing_file_depth", b->backing_file_depth);
    qdict_put_bool(ins, "encrypted", b->encrypted);
    qdict_put_str(ins, "detect_zeroes", "off");
    for (size_t i = 0; i < G_N_ELEMENTS(throttles); i++) {
        qdict_put_int(ins, throttles[i], 0);
    }
    qdict_put_str(image, "filename", b->file ? b->file : "");
    qdict_put_str(image, "format", b->drv ? b->drv : "raw");
    qdict_put_int(image, "virtual-size", b->virtual_size);
    qdict_put_dict(ins, "image", image);
    qdict_put_int(ins, "write_threshold", 0);
    qdict_put_bool(cache, "writeback", b->cache_writeback);
    qdict_put_bool(cache, "direct", b->cache_direct);
    qdict_put_bool(cache, "no-flush", b->cache_no_flush);
    qdict_put_dict(ins, "cache", cache);
    return ins;
}

static bool cmd_query_block(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    GArray *blocks;
    QList *list;

    if (!HOOKS->query_block) {
        return moncmd_no_hook("query-block", "query_block", errp);
    }
    blocks = g_array_new(FALSE, TRUE, sizeof(MonitorBlockInfo));
    HOOKS->query_block(HOOKS->opaque, blocks);
    list = qlist_new();
    for (guint i = 0; i < blocks->len; i++) {
        const MonitorBlockInfo *b = &g_array_index(blocks, MonitorBlockInfo, i);
        QDict *info = qdict_new();

        qdict_put_str(info, "device", b->device ? b->device : "");
        if (b->qdev) {
            qdict_put_str(info, "qdev", b->qdev);
        }
        qdict_put_str(info, "type", "unknown");
        qdict_put_bool(info, "removable", b->removable);
        qdict_put_bool(info, "locked", b->locked);
        if (b->inserted) {
            qdict_put_dict(info, "inserted", moncmd_block_inserted(b));
        }
        if (b->removable) {
            qdict_put_bool(info, "tray_open", b->tray_open);
        }
        qlist_append_dict(list, info);
    }
    g_array_free(blocks, TRUE);
    *ret = qlist_obj(list);
    return true;
}

/* QEMU's print_block_info(), non-verbose. */
static void hmp_print_block_one(GString *out, QDict *info)
{
    QDict *ins = qdict_get_dict(info, "inserted");
    QDict *cache = ins ? qdict_get_dict(ins, "cache") : NULL;

    g_string_append(out, qdict_get_str(info, "device"));
    if (ins && qdict_get_str(ins, "node-name")) {
        g_string_append_printf(out, " (%s)", qdict_get_str(ins, "node-name"));
    }
    if (ins) {
        g_string_append_printf(out, ": %s (%s%s%s)\n", qdict_get_str(ins, "file"),
                               qdict_get_str(ins, "drv"),
                               qdict_get_bool_def(ins, "ro", false) ? ", read-only" : "",
                               qdict_get_bool_def(ins, "encrypted", false) ? ", encrypted" : "");
    } else {
        g_string_append(out, ": [not inserted]\n");
    }
    if (qdict_get_str(info, "qdev")) {
        g_string_append_printf(out, "    Attached to:      %s\n", qdict_get_str(info, "qdev"));
    }
    if (qdict_get_bool_def(info, "removable", false)) {
        g_string_append_printf(out, "    Removable device: %slocked, tray %s\n",
                               qdict_get_bool_def(info, "locked", false) ? "" : "not ",
                               qdict_get_bool_def(info, "tray_open", false) ? "open" : "closed");
    }
    if (!ins) {
        return;
    }
    g_string_append_printf(out, "    Cache mode:       %s%s%s\n",
                           qdict_get_bool_def(cache, "writeback", false) ? "writeback"
                                                                         : "writethrough",
                           qdict_get_bool_def(cache, "direct", false) ? ", direct" : "",
                           qdict_get_bool_def(cache, "no-flush", false) ? ", ignore flushes" : "");
    if (qdict_get_str(ins, "backing_file")) {
        g_string_append_printf(out, "    Backing file:     %s (chain depth: %" PRId64 ")\n",
                               qdict_get_str(ins, "backing_file"),
                               qdict_get_int_def(ins, "backing_file_depth", 0));
    }
}

static void hmp_print_block(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QList *list = qobject_to_list(ret);
    const char *device = qdict_get_str(args, "device");
    bool first = true;

    for (size_t i = 0; i < qlist_size(list); i++) {
        QDict *info = qobject_to_dict(qlist_get(list, i));

        if (device && strcmp(device, qdict_get_str(info, "device")) != 0) {
            continue;
        }
        if (!first) {
            g_string_append_c(ctx->out, '\n');
        }
        hmp_print_block_one(ctx->out, info);
        first = false;
    }
}

static bool cmd_query_chardev(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    GArray *chardevs;
    QList *list;

    if (!HOOKS->query_chardev) {
        return moncmd_no_hook("query-chardev", "query_chardev", errp);
    }
    chardevs = g_array_new(FALSE, TRUE, sizeof(MonitorChardevInfo));
    HOOKS->query_chardev(HOOKS->opaque, chardevs);
    list = qlist_new();
    for (guint i = 0; i < chardevs->len; i++) {
        const MonitorChardevInfo *c = &g_array_index(chardevs, MonitorChardevInfo, i);
        QDict *info = qdict_new();

        qdict_put_str(info, "label", c->label);
        qdict_put_str(info, "filename", c->filename ? c->filename : "");
        qdict_put_bool(info, "frontend-open", c->frontend_open);
        qlist_append_dict(list, info);
    }
    g_array_free(chardevs, TRUE);
    *ret = qlist_obj(list);
    return true;
}

static void hmp_print_chardev(MonCmdCtx *ctx, const QObject *ret, const QDict *args)
{
    QList *list = qobject_to_list(ret);

    for (size_t i = 0; i < qlist_size(list); i++) {
        QDict *info = qobject_to_dict(qlist_get(list, i));

        g_string_append_printf(ctx->out, "%s: filename=%s\n", qdict_get_str(info, "label"),
                               qdict_get_str(info, "filename"));
    }
}

static bool cmd_device_list_properties(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    const char *type_name = qdict_get_str(args, "typename");
    GArray *props;
    QList *list;
    int rc;

    if (!HOOKS->device_list_properties) {
        return moncmd_no_hook("device-list-properties", "device_list_properties", errp);
    }
    props = g_array_new(FALSE, TRUE, sizeof(MonitorPropInfo));
    rc = HOOKS->device_list_properties(HOOKS->opaque, type_name, props, errp);
    if (rc < 0) {
        g_array_free(props, TRUE);
        if (rc == MONITOR_DEVICE_NOT_FOUND) {
            ctx->err_class = QMP_ERROR_DEVICE_NOT_FOUND;
            error_setg(errp, "Device '%s' not found", type_name);
        } else if (rc == MONITOR_DEVICE_ABSTRACT) {
            error_setg(errp, "Parameter 'typename' expects a non-abstract device type");
        } else if (errp && !*errp) {
            error_setg(errp, "Cannot list the properties of '%s'", type_name);
        }
        return false;
    }
    list = qlist_new();
    for (guint i = 0; i < props->len; i++) {
        const MonitorPropInfo *p = &g_array_index(props, MonitorPropInfo, i);
        QDict *info = qdict_new();

        qdict_put_str(info, "name", p->name);
        qdict_put_str(info, "type", p->type);
        if (p->description) {
            qdict_put_str(info, "description", p->description);
        }
        qlist_append_dict(list, info);
    }
    g_array_free(props, TRUE);
    *ret = qlist_obj(list);
    return true;
}

/* ---- run state */

#define RUNSTATE_CMD(fn_name, cmd, hook)                                                           \
    static bool fn_name(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)                  \
    {                                                                                              \
        if (!HOOKS->hook) {                                                                        \
            return moncmd_no_hook(cmd, #hook, errp);                                               \
        }                                                                                          \
        return HOOKS->hook(HOOKS->opaque, errp);                                                   \
    }

RUNSTATE_CMD(cmd_stop, "stop", stop)
RUNSTATE_CMD(cmd_cont, "cont", cont)
RUNSTATE_CMD(cmd_system_reset, "system_reset", system_reset)
RUNSTATE_CMD(cmd_system_powerdown, "system_powerdown", system_powerdown)

static bool cmd_quit(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    if (!HOOKS->quit) {
        return moncmd_no_hook("quit", "quit", errp);
    }
    HOOKS->quit(HOOKS->opaque);
    return true;
}

/* ---- HMP from QMP, guest memory to files */

static bool cmd_human_monitor_command(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    HmpState st;
    GString *out, *crlf;

    hmp_state_init(&st);
    if (qdict_haskey(args, "cpu-index")) {
        st.cpu_index = qdict_get_int_def(args, "cpu-index", 0);
        if (!moncmd_cpu_exists(st.cpu_index)) {
            error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
            return false;
        }
    }
    out = g_string_new(NULL);
    hmp_execute(NULL, &st, qdict_get_str(args, "command-line"), out);
    /* QEMU's monitor output turns each "\n" into "\r\n", this text included. */
    crlf = g_string_sized_new(out->len + 16);
    for (gsize i = 0; i < out->len; i++) {
        if (out->str[i] == '\n') {
            g_string_append_c(crlf, '\r');
        }
        g_string_append_c(crlf, out->str[i]);
    }
    g_string_free(out, TRUE);
    *ret = qobject_from_str_take(g_string_free(crlf, FALSE));
    return true;
}

/* memsave / pmemsave: QEMU's qmp_memsave and qmp_pmemsave. */
static bool moncmd_save_memory(const char *cmd, QDict *args, bool physical, Error **errp)
{
    int64_t addr = qdict_get_int_def(args, "val", 0);
    int64_t size = qdict_get_int_def(args, "size", 0);
    int64_t cpu_index = qdict_get_int_def(args, "cpu-index", 0);
    const char *filename = qdict_get_str(args, "filename");
    const int64_t orig_addr = addr, orig_size = size;
    uint8_t buf[1024];
    bool ok = true;
    FILE *f;

    if (!HOOKS->memory_read) {
        return moncmd_no_hook(cmd, "memory_read", errp);
    }
    if (!physical && !moncmd_cpu_exists(cpu_index)) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return false;
    }
    f = fopen(filename, "wb");
    if (!f) {
        error_setg_errno(errp, errno, "Could not open '%s'", filename);
        return false;
    }
    while (size > 0) {
        size_t l = MIN((int64_t)sizeof(buf), size);

        if (!HOOKS->memory_read(HOOKS->opaque, cpu_index, (uint64_t)addr, physical, buf, l)) {
            if (physical) {
                memset(buf, 0, l); /* QEMU's pmemsave saves unreadable memory as is */
            } else {
                error_setg(errp, "Invalid addr 0x%016" PRIx64 "/size %" PRId64 " specified",
                           (uint64_t)orig_addr, orig_size);
                ok = false;
                break;
            }
        }
        if (fwrite(buf, 1, l, f) != l) {
            error_setg(errp, "An IO error has occurred");
            ok = false;
            break;
        }
        addr += l;
        size -= l;
    }
    if (size < 0) {
        error_setg(errp, "Invalid addr 0x%016" PRIx64 "/size %" PRId64 " specified",
                   (uint64_t)orig_addr, orig_size);
        ok = false;
    }
    if (fclose(f) != 0 && ok) {
        error_setg(errp, "An IO error has occurred");
        ok = false;
    }
    return ok;
}

static bool cmd_memsave(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    if (!qdict_haskey(args, "cpu-index")) {
        qdict_put_int(args, "cpu-index", ctx->out ? ctx->hmp->cpu_index : 0);
    }
    return moncmd_save_memory("memsave", args, false, errp);
}

static bool cmd_pmemsave(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    return moncmd_save_memory("pmemsave", args, true, errp);
}

/* ---- HMP-only commands that reach a hook */

static bool cmd_gdbserver(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    const char *device = qdict_get_str(args, "device");

    if (!HOOKS->gdbserver) {
        return moncmd_no_hook("gdbserver", "gdbserver", errp);
    }
    if (!device) {
        device = "tcp::1234";
    }
    if (!HOOKS->gdbserver(HOOKS->opaque, device, NULL)) {
        g_string_append_printf(ctx->out, "Could not open gdbserver on device '%s'\n", device);
    } else if (strcmp(device, "none") == 0) {
        g_string_append(ctx->out, "Disabled gdbserver\n");
    } else {
        g_string_append_printf(ctx->out, "Waiting for gdb connection on device '%s'\n", device);
    }
    return true;
}

static bool cmd_info_registers(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    int64_t cpu = ctx->hmp->cpu_index;

    if (!HOOKS->dump_registers) {
        return moncmd_no_hook("info registers", "dump_registers", errp);
    }
    if (qdict_get_bool_def(args, "cpustate_all", false)) {
        cpu = -1;
    } else if (qdict_haskey(args, "vcpu")) {
        cpu = qdict_get_int_def(args, "vcpu", 0);
        if (!moncmd_cpu_exists(cpu)) {
            g_string_append_printf(ctx->out, "CPU#%" PRId64 " not available\n", cpu);
            return true;
        }
    }
    HOOKS->dump_registers(HOOKS->opaque, cpu, ctx->out);
    return true;
}

static bool cmd_info_mtree(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    if (!HOOKS->dump_mtree) {
        return moncmd_no_hook("info mtree", "dump_mtree", errp);
    }
    HOOKS->dump_mtree(HOOKS->opaque, qdict_get_bool_def(args, "flatview", false),
                      qdict_get_bool_def(args, "owner", false),
                      qdict_get_bool_def(args, "disabled", false), ctx->out);
    return true;
}

static bool cmd_info_tlb(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    if (!HOOKS->dump_tlb) {
        return moncmd_no_hook("info tlb", "dump_tlb", errp);
    }
    HOOKS->dump_tlb(HOOKS->opaque, ctx->hmp->cpu_index, ctx->out);
    return true;
}

static bool cmd_info_jit(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    if (!HOOKS->dump_jit) {
        return moncmd_no_hook("info jit", "dump_jit", errp);
    }
    HOOKS->dump_jit(HOOKS->opaque, ctx->out);
    return true;
}

/* ---- the table */

static const MonArg args_capabilities[] = {
    {"enable", MON_ARG_STR_LIST, true},
    {NULL},
};

static const MonArg args_hmp_command[] = {
    {"command-line", MON_ARG_STR},
    {"cpu-index", MON_ARG_INT, true},
    {NULL},
};

static const MonArg args_memsave[] = {
    {"val", MON_ARG_INT},
    {"size", MON_ARG_INT},
    {"filename", MON_ARG_STR},
    {"cpu-index", MON_ARG_INT, true},
    {NULL},
};

static const MonArg args_pmemsave[] = {
    {"val", MON_ARG_INT},
    {"size", MON_ARG_INT},
    {"filename", MON_ARG_STR},
    {NULL},
};

static const MonArg args_typename[] = {
    {"typename", MON_ARG_STR},
    {NULL},
};

/* HMP `help` lists these sorted by name; QMP query-commands in table order. */
const MonCommand monitor_commands[] = {
    /* QMP-only */
    {.qmp_name = "qmp_capabilities", .args = args_capabilities, .fn = cmd_qmp_capabilities},
    {.qmp_name = "query-commands", .fn = cmd_query_commands},
    {.qmp_name = "query-machines", .fn = cmd_query_machines},
    {.qmp_name = "human-monitor-command",
     .args = args_hmp_command,
     .fn = cmd_human_monitor_command},
    {.qmp_name = "device-list-properties", .args = args_typename, .fn = cmd_device_list_properties},

    /* both */
    {.qmp_name = "query-version",
     .fn = cmd_query_version,
     .hmp_name = "version",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show the version of QEMU",
     .hmp_format = hmp_print_version},
    {.qmp_name = "query-name",
     .fn = cmd_query_name,
     .hmp_name = "name",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show the current VM name",
     .hmp_format = hmp_print_name},
    {.qmp_name = "query-status",
     .fn = cmd_query_status,
     .hmp_name = "status",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show the current VM status (running|paused)",
     .hmp_format = hmp_print_status},
    {.qmp_name = "query-kvm",
     .fn = cmd_query_kvm,
     .hmp_name = "kvm",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show KVM information",
     .hmp_format = hmp_print_kvm},
    {.qmp_name = "query-cpus-fast",
     .fn = cmd_query_cpus_fast,
     .hmp_name = "cpus",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show infos for each CPU",
     .hmp_format = hmp_print_cpus},
    {.qmp_name = "query-block",
     .fn = cmd_query_block,
     .hmp_name = "block",
     .hmp_info = true,
     .hmp_args = "nodes:-n,verbose:-v,device:B?",
     .hmp_params = "[-n] [-v] [device]",
     .help = "show info of one block device or all block devices "
             "(-n: show named nodes; -v: show details)",
     .hmp_format = hmp_print_block},
    {.qmp_name = "query-chardev",
     .fn = cmd_query_chardev,
     .hmp_name = "chardev",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show the character devices",
     .hmp_format = hmp_print_chardev},
    {.qmp_name = "stop",
     .fn = cmd_stop,
     .hmp_name = "stop",
     .hmp_args = "",
     .hmp_params = "",
     .help = "stop emulation"},
    {.qmp_name = "cont",
     .fn = cmd_cont,
     .hmp_name = "c|cont",
     .hmp_args = "",
     .hmp_params = "",
     .help = "resume emulation"},
    {.qmp_name = "system_reset",
     .fn = cmd_system_reset,
     .hmp_name = "system_reset",
     .hmp_args = "",
     .hmp_params = "",
     .help = "reset the system"},
    {.qmp_name = "system_powerdown",
     .fn = cmd_system_powerdown,
     .hmp_name = "system_powerdown",
     .hmp_args = "",
     .hmp_params = "",
     .help = "send system power down event"},
    {.qmp_name = "quit",
     .fn = cmd_quit,
     .hmp_name = "q|quit",
     .hmp_args = "",
     .hmp_params = "",
     .help = "quit the emulator"},
    {.qmp_name = "memsave",
     .args = args_memsave,
     .fn = cmd_memsave,
     .hmp_name = "memsave",
     .hmp_args = "val:l,size:i,filename:s",
     .hmp_params = "addr size file",
     .help = "save to disk virtual memory dump starting at 'addr' of size 'size'"},
    {.qmp_name = "pmemsave",
     .args = args_pmemsave,
     .fn = cmd_pmemsave,
     .hmp_name = "pmemsave",
     .hmp_args = "val:l,size:i,filename:s",
     .hmp_params = "addr size file",
     .help = "save to disk physical memory dump starting at 'addr' of size 'size'"},

    /* HMP-only */
    {.fn = hmp_cmd_help,
     .hmp_name = "help|?",
     .hmp_args = "name:S?",
     .hmp_params = "[cmd]",
     .help = "show the help"},
    {.fn = hmp_cmd_info,
     .hmp_name = "info",
     .hmp_args = "item:s?",
     .hmp_params = "[subcommand]",
     .help = "show various information about the system state"},
    {.fn = hmp_cmd_x,
     .hmp_name = "x",
     .hmp_args = "fmt:/,addr:l",
     .hmp_params = "/fmt addr",
     .help = "virtual memory dump starting at 'addr'"},
    {.fn = hmp_cmd_xp,
     .hmp_name = "xp",
     .hmp_args = "fmt:/,addr:l",
     .hmp_params = "/fmt addr",
     .help = "physical memory dump starting at 'addr'"},
    {.fn = cmd_gdbserver,
     .hmp_name = "gdbserver",
     .hmp_args = "device:s?",
     .hmp_params = "[device]",
     .help = "start gdbserver on given device (default 'tcp::1234'), stop with 'none'"},
    {.fn = cmd_info_registers,
     .hmp_name = "registers",
     .hmp_info = true,
     .hmp_args = "cpustate_all:-a,vcpu:i?",
     .hmp_params = "[-a|vcpu]",
     .help = "show the cpu registers (-a: show register info for all cpus;"
             " vcpu: specific vCPU to query; show the current CPU's registers if omitted)"},
    {.fn = cmd_info_mtree,
     .hmp_name = "mtree",
     .hmp_info = true,
     .hmp_args = "flatview:-f,dispatch_tree:-d,owner:-o,disabled:-D",
     .hmp_params = "[-f][-d][-o][-D]",
     .help = "show memory tree (-f: dump flat view for address spaces;"
             "-d: dump dispatch tree, valid with -f only);"
             "-o: dump region owners/parents;"
             "-D: dump disabled regions"},
    {.fn = cmd_info_tlb,
     .hmp_name = "tlb",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show virtual to physical memory mappings"},
    {.fn = cmd_info_jit,
     .hmp_name = "jit",
     .hmp_info = true,
     .hmp_args = "",
     .hmp_params = "",
     .help = "show dynamic compiler info"},
    {0},
};

bool moncmd_name_matches(const char *names, const char *name)
{
    size_t len = strlen(name);
    const char *p = names;

    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);

        if (n == len && strncmp(p, name, len) == 0) {
            return true;
        }
        if (!bar) {
            break;
        }
        p = bar + 1;
    }
    return false;
}

const MonCommand *moncmd_find_qmp(const char *name)
{
    for (const MonCommand *c = monitor_commands; c->fn; c++) {
        if (c->qmp_name && strcmp(c->qmp_name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

const MonCommand *moncmd_find_hmp(const char *name, bool info)
{
    for (const MonCommand *c = monitor_commands; c->fn; c++) {
        if (c->hmp_name && c->hmp_info == info && moncmd_name_matches(c->hmp_name, name)) {
            return c;
        }
    }
    return NULL;
}
