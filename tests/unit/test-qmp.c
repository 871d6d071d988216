/*
 * Unit tests for the monitor (monitor/qmp.c, hmp.c, commands.c, monitor.c,
 * server.c) over a fake channel and fake machine hooks: the QMP greeting,
 * capabilities negotiation, id echo, QEMU's error classes and messages,
 * argument checking, events with timestamps, several sessions at once, the
 * output limit that drops stuck peers, HMP parsing and x/xp output against
 * a fake guest memory, human-monitor-command, memsave/pmemsave, and the
 * socket listener on a real MainLoop.  Expected text is QEMU 7.2's, byte
 * for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "monitor/json.h"
#include "monitor/monitor.h"
#include "util/main-loop.h"

/* ---- a channel that records what the monitor sends */

typedef enum ChanMode {
    CHAN_OK,
    CHAN_FULL, /* takes nothing: a stuck client */
    CHAN_DEAD, /* write fails: the peer is gone */
} ChanMode;

typedef struct FakeChan {
    GString *out;
    ChanMode mode;
    int disconnects;
    bool want_write;
} FakeChan;

static ssize_t fake_write(void *opaque, const void *buf, size_t len)
{
    FakeChan *ch = opaque;

    switch (ch->mode) {
    case CHAN_FULL:
        return 0;
    case CHAN_DEAD:
        return -1;
    default:
        g_string_append_len(ch->out, buf, len);
        return (ssize_t)len;
    }
}

static void fake_want_write(void *opaque, bool on)
{
    ((FakeChan *)opaque)->want_write = on;
}

static void fake_disconnect(void *opaque)
{
    ((FakeChan *)opaque)->disconnects++;
}

static const MonitorChannelOps fake_ops = {
    .write = fake_write,
    .want_write = fake_want_write,
    .disconnect = fake_disconnect,
};

typedef struct Session {
    FakeChan ch;
    Monitor *mon;
} Session;

static Session *session_new(MonitorMode mode, bool pretty)
{
    Session *s = g_new0(Session, 1);
    MonitorOptions opts = {.mode = mode, .pretty = pretty};

    s->ch.out = g_string_new(NULL);
    s->mon = monitor_new(&opts, &fake_ops, &s->ch);
    monitor_open(s->mon);
    return s;
}

static void session_free(Session *s)
{
    monitor_free(s->mon);
    g_string_free(s->ch.out, TRUE);
    g_free(s);
}

static void send_str(Session *s, const char *text)
{
    monitor_input(s->mon, text, strlen(text));
}

/* Take the first CRLF-terminated line of output. */
static char *take_line(Session *s)
{
    char *crlf = strstr(s->ch.out->str, "\r\n");
    char *line;

    if (!crlf) {
        g_error("no complete line in output: [%s]", s->ch.out->str);
    }
    line = g_strndup(s->ch.out->str, crlf - s->ch.out->str);
    g_string_erase(s->ch.out, 0, crlf - s->ch.out->str + 2);
    return line;
}

static void skip_line(Session *s)
{
    g_free(take_line(s));
}

static void expect_line(Session *s, const char *expected)
{
    char *line = take_line(s);

    g_assert_cmpstr(line, ==, expected);
    g_free(line);
}

static void expect_nothing(Session *s)
{
    g_assert_cmpstr(s->ch.out->str, ==, "");
}

/* Send a request and check the one-line reply. */
static void qmp_expect(Session *s, const char *request, const char *reply)
{
    send_str(s, request);
    expect_line(s, reply);
    expect_nothing(s);
}

static Session *qmp_session(void)
{
    Session *s = session_new(MONITOR_MODE_QMP, false);

    skip_line(s); /* greeting */
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\"}", "{\"return\": {}}");
    return s;
}

/* ---- a fake machine */

enum {
    MEM_BASE = 0x1000,
    MEM_SIZE = 0x100,
};

static struct {
    const char *state;
    int resets;
    int powerdowns;
    int quits;
    uint8_t mem[MEM_SIZE];
} machine;

static const char *fake_run_state(void *opaque)
{
    return machine.state;
}

static const char *fake_vm_name(void *opaque)
{
    return "guest0";
}

static bool fake_stop(void *opaque, Error **errp)
{
    if (strcmp(machine.state, "running") == 0) {
        machine.state = "paused";
        monitor_event_emit("STOP", NULL);
    }
    return true;
}

static bool fake_cont(void *opaque, Error **errp)
{
    if (strcmp(machine.state, "shutdown") == 0) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return false;
    }
    machine.state = "running";
    monitor_event_emit("RESUME", NULL);
    return true;
}

static bool fake_reset(void *opaque, Error **errp)
{
    QDict *data = qdict_new();

    machine.resets++;
    qdict_put_bool(data, "guest", false);
    qdict_put_str(data, "reason", "host-qmp-system-reset");
    monitor_event_emit("RESET", data);
    return true;
}

static bool fake_powerdown(void *opaque, Error **errp)
{
    machine.powerdowns++;
    monitor_event_emit("POWERDOWN", NULL);
    return true;
}

static void fake_quit(void *opaque)
{
    machine.quits++;
}

static void fake_query_cpus(void *opaque, GArray *out)
{
    MonitorCpuInfo cpu = {.target = "riscv64", .node_id = -1, .socket_id = 0, .thread_id_prop = -1};

    for (int i = 0; i < 2; i++) {
        char path[64];

        g_snprintf(path, sizeof(path), "/machine/soc0/harts[%d]", i);
        cpu.cpu_index = i;
        cpu.thread_id = 1000 + i;
        cpu.core_id = i;
        cpu.qom_path = g_intern_string(path);
        g_array_append_val(out, cpu);
    }
}

static void fake_query_chardev(void *opaque, GArray *out)
{
    MonitorChardevInfo c1 = {"serial0", "stdio", true};
    MonitorChardevInfo c2 = {"compat_monitor0", "unix:/tmp/m.sock,server=on", false};

    g_array_append_val(out, c1);
    g_array_append_val(out, c2);
}

static void fake_query_block(void *opaque, GArray *out)
{
    MonitorBlockInfo b = {
        .device = "virtio0",
        .qdev = "/machine/peripheral-anon/device[0]/virtio-backend",
        .inserted = true,
        .node_name = "#block123",
        .file = "disk.qcow2",
        .drv = "qcow2",
        .virtual_size = 1 << 20,
        .cache_writeback = true,
        .backing_file = "base.raw",
        .backing_file_depth = 1,
    };
    MonitorBlockInfo cd = {.device = "cd0", .removable = true};

    g_array_append_val(out, b);
    g_array_append_val(out, cd);
}

static int fake_device_props(void *opaque, const char *type, GArray *out, Error **errp)
{
    MonitorPropInfo p = {"drive", "str", "Node name or ID of a block device"};

    if (strcmp(type, "virtio-blk-device") != 0) {
        return strcmp(type, "device") == 0 ? MONITOR_DEVICE_ABSTRACT : MONITOR_DEVICE_NOT_FOUND;
    }
    g_array_append_val(out, p);
    return 0;
}

static bool fake_memory_read(void *opaque, int64_t cpu, uint64_t addr, bool physical, void *buf,
                             size_t len)
{
    /* physical memory is the same bytes 0x10000 higher */
    uint64_t base = physical ? MEM_BASE + 0x10000 : MEM_BASE;

    if (addr < base || addr + len > base + MEM_SIZE || addr + len < addr) {
        return false;
    }
    memcpy(buf, machine.mem + (addr - base), len);
    return true;
}

static bool fake_get_register(void *opaque, int64_t cpu, const char *name, uint64_t *value)
{
    if (strcmp(name, "pc") == 0) {
        *value = 0x1010;
        return true;
    }
    return false;
}

static void fake_dump_registers(void *opaque, int64_t cpu, GString *out)
{
    g_string_append_printf(out, "pc       %016x (cpu %d)\n", 0x1010, (int)cpu);
}

static bool fake_gdbserver(void *opaque, const char *device, Error **errp)
{
    return strcmp(device, "bogus") != 0;
}

static void install_machine(void)
{
    static const MonitorHooks hooks = {
        .run_state = fake_run_state,
        .vm_name = fake_vm_name,
        .stop = fake_stop,
        .cont = fake_cont,
        .system_reset = fake_reset,
        .system_powerdown = fake_powerdown,
        .quit = fake_quit,
        .query_cpus = fake_query_cpus,
        .query_block = fake_query_block,
        .query_chardev = fake_query_chardev,
        .device_list_properties = fake_device_props,
        .memory_read = fake_memory_read,
        .get_register = fake_get_register,
        .dump_registers = fake_dump_registers,
        .gdbserver = fake_gdbserver,
    };

    machine.state = "running";
    machine.resets = machine.powerdowns = machine.quits = 0;
    for (int i = 0; i < MEM_SIZE; i++) {
        machine.mem[i] = (uint8_t)i;
    }
    monitor_set_hooks(&hooks);
}

/* ---- QMP */

static void test_greeting(void)
{
    Session *s = session_new(MONITOR_MODE_QMP, false);

    g_assert_cmpstr(s->ch.out->str, ==,
                    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
                    " \"package\": \" (morph "
                    "0.1.0"
                    ")\"}, \"capabilities\": [\"oob\"]}}\r\n");
    /* a new peer on the same monitor gets a fresh session */
    skip_line(s);
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\"}", "{\"return\": {}}");
    monitor_close(s->mon);
    monitor_open(s->mon);
    skip_line(s);
    qmp_expect(s, "{\"execute\": \"query-status\"}",
               "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities "
               "negotiation with 'qmp_capabilities'\"}}");
    session_free(s);
}

static void test_negotiation(void)
{
    Session *s = session_new(MONITOR_MODE_QMP, false);

    skip_line(s);
    qmp_expect(s, "{\"execute\": \"query-version\", \"id\": 1}",
               "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting "
               "capabilities negotiation with 'qmp_capabilities'\"}}");
    qmp_expect(s, "{\"execute\": \"no-such-command\"}",
               "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities "
               "negotiation with 'qmp_capabilities'\"}}");
    /* a bad argument to qmp_capabilities is a plain GenericError */
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"x\"]}}",
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'null' does not "
               "accept value 'x'\"}}");
    /* no events before negotiation */
    monitor_event_emit("STOP", NULL);
    expect_nothing(s);
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\", \"id\": \"neg\"}",
               "{\"return\": {}, \"id\": \"neg\"}");
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\"}",
               "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Capabilities negotiation "
               "is already complete, command ignored\"}}");
    qmp_expect(s, "{\"execute\": \"query-kvm\"}",
               "{\"return\": {\"enabled\": false, \"present\": false}}");
    session_free(s);
}

static void test_id_echo(void)
{
    static const char *const ids[] = {
        "\"libvirt-42\"",
        "0",
        "-7",
        "18446744073709551615",
        "1.5",
        "true",
        "null",
        "[1, \"a\"]",
        "{\"nested\": {\"x\": [true, null]}}",
        "\"\\u00E9\\n\"",
    };
    Session *s = qmp_session();

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        char *req = g_strdup_printf("{\"id\": %s, \"execute\": \"query-kvm\"}", ids[i]);
        char *rsp = g_strdup_printf("{\"return\": {\"enabled\": false, \"present\": false}, "
                                    "\"id\": %s}",
                                    ids[i]);
        char *ereq = g_strdup_printf("{\"execute\": \"nope\", \"id\": %s}", ids[i]);
        char *ersp = g_strdup_printf("{\"id\": %s, \"error\": {\"class\": \"CommandNotFound\", "
                                     "\"desc\": \"The command nope has not been found\"}}",
                                     ids[i]);

        qmp_expect(s, req, rsp);
        qmp_expect(s, ereq, ersp);
        g_free(req);
        g_free(rsp);
        g_free(ereq);
        g_free(ersp);
    }
    /* single quotes, as QEMU's parser takes them */
    qmp_expect(s, "{'execute': 'query-name', 'id': 'sq'}",
               "{\"return\": {\"name\": \"guest0\"}, \"id\": \"sq\"}");
    session_free(s);
}

static void test_request_errors(void)
{
    static const struct {
        const char *req, *rsp;
    } cases[] = {
        {"[]", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON "
               "object\"}}"},
        {"42 ", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON "
                "object\"}}"},
        {"{\"id\": 3}", "{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP "
                        "input lacks member 'execute'\"}}"},
        {"{\"execute\": 1}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input "
                             "member 'execute' must be a string\"}}"},
        {"{\"execute\": \"stop\", \"arguments\": []}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' "
         "must be an object\"}}"},
        {"{\"execute\": \"stop\", \"extra\": 1}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'extra' is "
         "unexpected\"}}"},
        {"{\"exec-oob\": \"stop\"}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP "
                                     "input member 'exec-oob' is unexpected\"}}"},
        {"{\"execute\": \"quert-status\"}",
         "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command quert-status has "
         "not been found\"}}"},
        /* arguments, checked like QEMU's input visitor */
        {"{\"execute\": \"stop\", \"arguments\": {\"now\": true}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'now' is "
         "unexpected\"}}"},
        {"{\"execute\": \"human-monitor-command\"}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'command-line' is "
         "missing\"}}"},
        {"{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": 1}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for "
         "'command-line', expected: string\"}}"},
        {"{\"execute\": \"memsave\", \"arguments\": {\"val\": 1.5, \"size\": 1, \"filename\": "
         "\"f\"}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for "
         "'val', expected: integer\"}}"},
        {"{\"execute\": \"memsave\", \"arguments\": {\"val\": 18446744073709551615, \"size\": 1,"
         " \"filename\": \"f\"}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for "
         "'val', expected: integer\"}}"},
        {"{\"execute\": \"memsave\", \"arguments\": {\"size\": 1, \"bogus\": 2}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'val' is missing\"}}"},
        {"{\"execute\": \"device-list-properties\", \"arguments\": {\"typename\": \"nope\"}}",
         "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'nope' not found\"}}"},
        {"{\"execute\": \"device-list-properties\", \"arguments\": {\"typename\": \"device\"}}",
         "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'typename' expects a "
         "non-abstract device type\"}}"},
        /* syntax errors: answered without id, and the stream goes on */
        {"{\"execute\": @}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse "
                             "error, stray '@'\"}}"},
    };
    Session *s = qmp_session();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        send_str(s, cases[i].req);
        expect_line(s, cases[i].rsp);
        /* "{"execute": @}" leaves a stray "}" behind: one more error */
        if (strchr(cases[i].req, '@')) {
            expect_line(s, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse "
                           "error, expecting value\"}}");
        }
        expect_nothing(s);
    }
    send_str(s, "\xff\n{\"execute\": \"query-kvm\", \"id\": 9}");
    expect_line(s, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, "
                   "stray '\\uFFFD'\"}}");
    expect_line(s, "{\"return\": {\"enabled\": false, \"present\": false}, \"id\": 9}");
    expect_nothing(s);
    session_free(s);
}

static void test_oob(void)
{
    Session *s = session_new(MONITOR_MODE_QMP, false);

    skip_line(s);
    qmp_expect(s, "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}",
               "{\"return\": {}}");
    qmp_expect(s, "{\"exec-oob\": \"query-status\", \"id\": 1}",
               "{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"The command "
               "query-status does not support OOB\"}}");
    qmp_expect(s, "{\"exec-oob\": \"stop\", \"execute\": \"stop\"}",
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' "
               "clashes with 'exec-oob'\"}}");
    session_free(s);
}

static void test_commands(void)
{
    Session *s = qmp_session();
    QObject *v;
    char *line;

    qmp_expect(s, "{\"execute\": \"query-version\"}",
               "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
               "\"package\": \" (morph 0.1.0)\"}}");
    qmp_expect(s, "{\"execute\": \"query-status\"}",
               "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": "
               "true}}");
    qmp_expect(s, "{\"execute\": \"query-name\"}", "{\"return\": {\"name\": \"guest0\"}}");
    qmp_expect(s, "{\"execute\": \"query-chardev\"}",
               "{\"return\": [{\"frontend-open\": true, \"filename\": \"stdio\", \"label\": "
               "\"serial0\"}, {\"frontend-open\": false, \"filename\": "
               "\"unix:/tmp/m.sock,server=on\", \"label\": \"compat_monitor0\"}]}");
    qmp_expect(s,
               "{\"execute\": \"device-list-properties\", \"arguments\": {\"typename\": "
               "\"virtio-blk-device\"}}",
               "{\"return\": [{\"name\": \"drive\", \"description\": \"Node name or ID of a "
               "block device\", \"type\": \"str\"}]}");

    send_str(s, "{\"execute\": \"query-cpus-fast\"}");
    line = take_line(s);
    v = json_parse(line, &error_abort);
    {
        QList *cpus = qdict_get_list(qobject_to_dict(v), "return");
        QDict *cpu1 = qobject_to_dict(qlist_get(cpus, 1));

        g_assert_cmpuint(qlist_size(cpus), ==, 2);
        g_assert_cmpint(qdict_get_int_def(cpu1, "cpu-index", -1), ==, 1);
        g_assert_cmpint(qdict_get_int_def(cpu1, "thread-id", -1), ==, 1001);
        g_assert_cmpstr(qdict_get_str(cpu1, "qom-path"), ==, "/machine/soc0/harts[1]");
        g_assert_cmpstr(qdict_get_str(cpu1, "target"), ==, "riscv64");
        g_assert_cmpint(qdict_get_int_def(qdict_get_dict(cpu1, "props"), "core-id", -1), ==, 1);
        g_assert_false(qdict_haskey(qdict_get_dict(cpu1, "props"), "node-id"));
    }
    qobject_unref(v);
    g_free(line);

    send_str(s, "{\"execute\": \"query-block\"}");
    line = take_line(s);
    v = json_parse(line, &error_abort);
    {
        QList *blocks = qdict_get_list(qobject_to_dict(v), "return");
        QDict *b0 = qobject_to_dict(qlist_get(blocks, 0));
        QDict *ins = qdict_get_dict(b0, "inserted");

        g_assert_cmpstr(qdict_get_str(b0, "device"), ==, "virtio0");
        g_assert_cmpstr(qdict_get_str(ins, "drv"), ==, "qcow2");
        g_assert_cmpint(qdict_get_int_def(qdict_get_dict(ins, "image"), "virtual-size", 0), ==,
                        1 << 20);
        g_assert_true(qdict_get_bool_def(qdict_get_dict(ins, "cache"), "writeback", false));
        g_assert_false(qdict_haskey(qobject_to_dict(qlist_get(blocks, 1)), "inserted"));
    }
    qobject_unref(v);
    g_free(line);

    send_str(s, "{\"execute\": \"query-commands\"}");
    line = take_line(s);
    g_assert_nonnull(strstr(line, "{\"name\": \"qmp_capabilities\"}"));
    g_assert_nonnull(strstr(line, "{\"name\": \"human-monitor-command\"}"));
    g_assert_null(strstr(line, "\"x\""));
    g_free(line);

    send_str(s, "{\"execute\": \"system_reset\"}");
    g_assert_cmpint(machine.resets, ==, 1);
    skip_line(s); /* the RESET event comes before the reply */
    expect_line(s, "{\"return\": {}}");
    qmp_expect(s, "{\"execute\": \"quit\"}", "{\"return\": {}}");
    g_assert_cmpint(machine.quits, ==, 1);
    session_free(s);
}

/* An event line: check its shape and time, return its name and data. */
static void check_event(const char *line, const char *name, const char *data_json)
{
    QObject *v = json_parse(line, &error_abort);
    QDict *msg = qobject_to_dict(v);
    QDict *ts = qdict_get_dict(msg, "timestamp");
    int64_t now = g_get_real_time() / G_USEC_PER_SEC;
    int64_t secs = qdict_get_int_def(ts, "seconds", -1);
    int64_t usecs = qdict_get_int_def(ts, "microseconds", -1);

    g_assert_true(g_str_has_prefix(line, "{\"timestamp\": {\"seconds\": "));
    g_assert_cmpint(secs, >=, now - 5);
    g_assert_cmpint(secs, <=, now + 1);
    g_assert_cmpint(usecs, >=, 0);
    g_assert_cmpint(usecs, <, 1000000);
    g_assert_cmpstr(qdict_get_str(msg, "event"), ==, name);
    if (data_json) {
        char *data = json_to_string(qdict_get(msg, "data"), JSON_WRITE_QEMU_ORDER);

        g_assert_cmpstr(data, ==, data_json);
        g_free(data);
        g_assert_true(g_str_has_suffix(line, "}}"));
    } else {
        g_assert_false(qdict_haskey(msg, "data"));
    }
    qobject_unref(v);
}

static void test_events(void)
{
    Session *a = qmp_session();
    Session *b = qmp_session();
    Session *c = session_new(MONITOR_MODE_QMP, false); /* not negotiated */
    Session *h = session_new(MONITOR_MODE_HMP, false); /* HMP: no events */
    char *line;

    skip_line(c);
    g_string_truncate(h->ch.out, 0);

    /* stop from one monitor: its reply, and the event on both */
    send_str(a, "{\"execute\": \"stop\", \"id\": \"s\"}");
    line = take_line(a);
    check_event(line, "STOP", NULL);
    g_free(line);
    expect_line(a, "{\"return\": {}, \"id\": \"s\"}");
    line = take_line(b);
    check_event(line, "STOP", NULL);
    g_free(line);
    expect_nothing(b);
    expect_nothing(c);
    expect_nothing(h);
    g_assert_cmpstr(machine.state, ==, "paused");

    qmp_expect(b, "{\"execute\": \"query-status\"}",
               "{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}}");
    g_string_truncate(a->ch.out, 0);

    send_str(b, "{\"execute\": \"system_reset\"}");
    line = take_line(b);
    check_event(line, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    g_free(line);
    expect_line(b, "{\"return\": {}}");
    line = take_line(a);
    check_event(line, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    g_free(line);

    /* a session closed and reopened does not get events until negotiated again */
    monitor_close(b->mon);
    monitor_open(b->mon);
    skip_line(b);
    monitor_event_emit("POWERDOWN", NULL);
    expect_nothing(b);
    line = take_line(a);
    check_event(line, "POWERDOWN", NULL);
    g_free(line);

    session_free(a);
    session_free(b);
    session_free(c);
    session_free(h);
}

static void test_missing_hooks(void)
{
    Session *s = qmp_session();

    monitor_set_hooks(NULL);
    qmp_expect(s, "{\"execute\": \"stop\"}",
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"The command stop is not "
               "available: the machine provides no 'stop' hook\"}}");
    qmp_expect(s, "{\"execute\": \"query-status\"}",
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"The command query-status is "
               "not available: the machine provides no 'run_state' hook\"}}");
    qmp_expect(s, "{\"execute\": \"query-name\"}", "{\"return\": {}}");
    qmp_expect(s, "{\"execute\": \"query-kvm\"}",
               "{\"return\": {\"enabled\": false, \"present\": false}}");
    install_machine();
    session_free(s);
}

static void test_split_input(void)
{
    const char *req = "{\"execute\": \"query-name\", \"id\": [1, {\"a\": \"b\"}]}\r\n"
                      "{\"execute\": \"query-kvm\"}";
    Session *s = qmp_session();

    for (size_t i = 0; req[i]; i++) {
        monitor_input(s->mon, req + i, 1);
    }
    expect_line(s, "{\"return\": {\"name\": \"guest0\"}, \"id\": [1, {\"a\": \"b\"}]}");
    expect_line(s, "{\"return\": {\"enabled\": false, \"present\": false}}");
    expect_nothing(s);
    session_free(s);
}

static void test_pretty(void)
{
    Session *s = session_new(MONITOR_MODE_QMP, true);

    g_assert_true(g_str_has_prefix(s->ch.out->str, "{\r\n    \"QMP\": {\r\n        \"version\""));
    g_string_truncate(s->ch.out, 0);
    send_str(s, "{\"execute\": \"qmp_capabilities\", \"id\": 1}");
    g_assert_cmpstr(s->ch.out->str, ==,
                    "{\r\n    \"return\": {\r\n    },\r\n    \"id\": 1\r\n}\r\n");
    session_free(s);
}

static void test_output_limit(void)
{
    MonitorOptions opts = {.mode = MONITOR_MODE_QMP, .max_output = 4096};
    FakeChan ch = {.out = g_string_new(NULL)};
    Monitor *mon = monitor_new(&opts, &fake_ops, &ch);
    char *req = g_strdup("{\"execute\": \"qmp_capabilities\"}");

    monitor_open(mon);
    monitor_input(mon, req, strlen(req));
    /* the client stops reading: output queues, then the client is dropped */
    ch.mode = CHAN_FULL;
    for (int i = 0; i < 200 && ch.disconnects == 0; i++) {
        monitor_event_emit("STOP", NULL);
        if (ch.disconnects == 0) {
            g_assert_true(ch.want_write);
            g_assert_cmpuint(monitor_output_pending(mon), <=, 4096);
        }
    }
    g_assert_cmpint(ch.disconnects, ==, 1);
    g_assert_cmpuint(monitor_output_pending(mon), ==, 0);
    g_assert_false(monitor_qmp_negotiated(mon));
    /* input after the drop is ignored; events no longer go there */
    monitor_input(mon, req, strlen(req));
    monitor_event_emit("STOP", NULL);
    g_assert_cmpint(ch.disconnects, ==, 1);

    /* a channel that drains later delivers everything in order */
    ch.mode = CHAN_OK;
    g_string_truncate(ch.out, 0);
    monitor_open(mon);
    ch.mode = CHAN_FULL;
    monitor_input(mon, req, strlen(req));
    g_assert_cmpuint(monitor_output_pending(mon), >, 0);
    ch.mode = CHAN_OK;
    monitor_output_ready(mon);
    g_assert_false(ch.want_write);
    g_assert_true(g_str_has_suffix(ch.out->str, "}\r\n{\"return\": {}}\r\n"));

    /* a dead peer is dropped at the first write */
    ch.mode = CHAN_DEAD;
    monitor_event_emit("STOP", NULL);
    g_assert_cmpint(ch.disconnects, ==, 2);

    monitor_free(mon);
    g_string_free(ch.out, TRUE);
    g_free(req);
}

/* ---- HMP */

/* Run one HMP line; return what it printed after the echo, without the prompt. */
static char *hmp(Session *s, const char *line)
{
    char *full = g_strdup_printf("%s\r", line);
    char *echo = g_strdup_printf("%s\r\n", line);
    char *out;

    g_string_truncate(s->ch.out, 0);
    send_str(s, full);
    g_assert_true(g_str_has_prefix(s->ch.out->str, echo));
    g_assert_true(g_str_has_suffix(s->ch.out->str, "(qemu) "));
    out =
        g_strndup(s->ch.out->str + strlen(echo), s->ch.out->len - strlen(echo) - strlen("(qemu) "));
    g_free(full);
    g_free(echo);
    return out;
}

static void hmp_expect(Session *s, const char *line, const char *expected)
{
    char *out = hmp(s, line);

    if (strcmp(out, expected) != 0) {
        g_error("HMP '%s': got [%s], expected [%s]", line, out, expected);
    }
    g_free(out);
}

static void test_hmp_session(void)
{
    Session *s = session_new(MONITOR_MODE_HMP, false);

    g_assert_cmpstr(s->ch.out->str, ==,
                    "QEMU 7.2.0 monitor (morph 0.1.0) - type 'help' for more information\r\n"
                    "(qemu) ");
    hmp_expect(s, "info status", "VM status: running\r\n");
    hmp_expect(s, "  info   status  ", "VM status: running\r\n");
    hmp_expect(s, "", "");
    hmp_expect(s, "stop", "");
    hmp_expect(s, "info status", "VM status: paused\r\n");
    hmp_expect(s, "c", "");
    machine.state = "shutdown";
    hmp_expect(s, "info status", "VM status: paused (shutdown)\r\n");
    hmp_expect(s, "cont", "Error: Resetting the Virtual Machine is required\r\n");
    machine.state = "running";
    hmp_expect(s, "info version", "7.2.0 (morph 0.1.0)\r\n");
    hmp_expect(s, "info name", "guest0\r\n");
    hmp_expect(s, "info kvm", "kvm support: not compiled\r\n");
    hmp_expect(s, "info cpus", "* CPU #0: thread_id=1000\r\n  CPU #1: thread_id=1001\r\n");
    hmp_expect(
        s, "info chardev",
        "serial0: filename=stdio\r\ncompat_monitor0: filename=unix:/tmp/m.sock,server=on\r\n");
    hmp_expect(s, "info block",
               "virtio0 (#block123): disk.qcow2 (qcow2)\r\n"
               "    Attached to:      /machine/peripheral-anon/device[0]/virtio-backend\r\n"
               "    Cache mode:       writeback\r\n"
               "    Backing file:     base.raw (chain depth: 1)\r\n"
               "\r\n"
               "cd0: [not inserted]\r\n"
               "    Removable device: not locked, tray closed\r\n");
    hmp_expect(s, "info block cd0",
               "cd0: [not inserted]\r\n    Removable device: not locked, tray closed\r\n");
    hmp_expect(s, "info registers", "pc       0000000000001010 (cpu 0)\r\n");
    hmp_expect(s, "info registers -a", "pc       0000000000001010 (cpu -1)\r\n");
    hmp_expect(s, "info registers 1", "pc       0000000000001010 (cpu 1)\r\n");
    hmp_expect(s, "info registers 7", "CPU#7 not available\r\n");
    hmp_expect(s, "info tlb",
               "Error: The command info tlb is not available: the machine provides no "
               "'dump_tlb' hook\r\n");
    hmp_expect(s, "system_reset", "");
    g_assert_cmpint(machine.resets, ==, 1);
    hmp_expect(s, "system_powerdown", "");
    g_assert_cmpint(machine.powerdowns, ==, 1);
    hmp_expect(s, "gdbserver", "Waiting for gdb connection on device 'tcp::1234'\r\n");
    hmp_expect(s, "gdbserver none", "Disabled gdbserver\r\n");
    hmp_expect(s, "gdbserver bogus", "Could not open gdbserver on device 'bogus'\r\n");
    hmp_expect(s, "q", "");
    g_assert_cmpint(machine.quits, ==, 1);
    session_free(s);
}

static void test_hmp_errors_and_help(void)
{
    Session *s = session_new(MONITOR_MODE_HMP, false);
    char *out;

    hmp_expect(s, "foo", "unknown command: 'foo'\r\n");
    hmp_expect(s, "info foo", "unknown command: 'info foo'\r\n");
    hmp_expect(s, "stop now",
               "stop: extraneous characters at the end of line\r\n"
               "Try \"help stop\" for more information\r\n");
    hmp_expect(s, "x", "unexpected end of expression\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "x/q 0",
               "invalid char in format: 'q'\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "x 0x1000+",
               "unexpected end of expression\r\n"
               "Try \"help x\" for more information\r\n");
    hmp_expect(s, "x (1", "')' expected\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "x 1/0", "division by zero\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "x $nope", "unknown register\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "x #", "invalid char in expression\r\nTry \"help x\" for more information\r\n");
    hmp_expect(s, "info registers -z",
               "registers: unsupported option -z\r\n"
               "Try \"help info registers\" for more information\r\n");
    hmp_expect(s, "memsave 0 0x100000000 f",
               "'memsave' has failed: integer is for 32-bit values\r\n"
               "Try \"help memsave\" for more information\r\n");
    hmp_expect(s, "memsave 0 1",
               "memsave: string expected\r\n"
               "Try \"help memsave\" for more information\r\n");
    hmp_expect(s, "help stop", "stop  -- stop emulation\r\n");
    hmp_expect(s, "help c", "c|cont  -- resume emulation\r\n");
    hmp_expect(s, "help x", "x /fmt addr -- virtual memory dump starting at 'addr'\r\n");
    hmp_expect(s, "help info status",
               "info status  -- show the current VM status (running|paused)\r\n");
    hmp_expect(s, "help nope", "unknown command: 'nope'\r\n");

    /* help: every command, sorted by name */
    out = hmp(s, "help");
    g_assert_true(g_str_has_prefix(out, "c|cont  -- resume emulation\r\n"
                                        "gdbserver [device] -- "));
    g_assert_nonnull(strstr(out, "\r\ninfo [subcommand] -- show various information"));
    g_assert_nonnull(strstr(out, "\r\nxp /fmt addr -- physical memory dump"));
    g_assert_null(strstr(out, "query-"));
    g_free(out);
    out = hmp(s, "info");
    g_assert_true(g_str_has_prefix(out, "info block [-n] [-v] [device] -- show info of one"));
    g_assert_nonnull(strstr(out, "\r\ninfo version  -- show the version of QEMU\r\n"));
    g_free(out);
    session_free(s);
}

static void test_hmp_memory_dump(void)
{
    Session *s = session_new(MONITOR_MODE_HMP, false);

    hmp_expect(s, "x/4xw 0x1000",
               "0000000000001000: 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\r\n");
    /* the format sticks: count 1, same size */
    hmp_expect(s, "x 0x1004", "0000000000001004: 0x07060504\r\n");
    hmp_expect(s, "x/3xb 0x1000", "0000000000001000: 0x00 0x01 0x02\r\n");
    hmp_expect(s, "x/10xb 0x1000",
               "0000000000001000: 0x00 0x01 0x02 0x03 0x04 0x05 0x06 0x07\r\n"
               "0000000000001008: 0x08 0x09\r\n");
    hmp_expect(s, "x/2xh 0x10fe-0xe", "00000000000010f0: 0xf1f0 0xf3f2\r\n");
    hmp_expect(s, "x/3xg 0x1000",
               "0000000000001000: 0x0706050403020100 0x0f0e0d0c0b0a0908\r\n"
               "0000000000001010: 0x1716151413121110\r\n");
    hmp_expect(s, "x/4db 0x10fc", "00000000000010fc: 252 253 254 255\r\n");
    hmp_expect(s, "x/2uw 0x1000", "0000000000001000:   50462976  117835012\r\n");
    hmp_expect(s, "x/3ob 0x1007", "0000000000001007:  07 010 011\r\n");
    hmp_expect(s, "x/5cb 0x1041-0x1", "0000000000001040: '@' 'A' 'B' 'C' 'D'\r\n");
    hmp_expect(s, "x/3cb 0x1009", "0000000000001009: '\\x09' '\\n' '\\x0b'\r\n");
    hmp_expect(s, "x/1xw $pc", "0000000000001010: 0x13121110\r\n");
    hmp_expect(s, "x/1xw ($pc + 2*2) & ~3", "0000000000001014: 0x17161514\r\n");
    /* a line is read whole: one unreadable byte and the line fails */
    hmp_expect(s, "x/2xw 0x10fc", "00000000000010fc: Cannot access memory\r\n");
    hmp_expect(s, "x/4xw 0x2000", "0000000000002000: Cannot access memory\r\n");
    hmp_expect(s, "xp/2xw 0x11000", "0000000000011000: 0x03020100 0x07060504\r\n");
    hmp_expect(s, "xp/1xw 0x1000", "0000000000001000: Cannot access memory\r\n");
    hmp_expect(s, "x/i 0x1000",
               "Error: The command x/i is not available: the machine provides no "
               "'disassemble' hook\r\n");
    session_free(s);
}

static void test_hmp_line_editing(void)
{
    Session *s = session_new(MONITOR_MODE_HMP, false);

    g_string_truncate(s->ch.out, 0);
    /* backspace, an arrow key, CR LF ending one line */
    send_str(s, "info statx\x7fus\x1b[A\r\n");
    g_assert_cmpstr(s->ch.out->str, ==, "info statx\b \bus\r\nVM status: running\r\n(qemu) ");
    g_string_truncate(s->ch.out, 0);
    /* a line split across reads, LF ending */
    send_str(s, "info ");
    send_str(s, "name\n");
    g_assert_cmpstr(s->ch.out->str, ==, "info name\r\nguest0\r\n(qemu) ");
    session_free(s);
}

static void test_human_monitor_command(void)
{
    Session *s = qmp_session();

    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"info status\"}, \"id\": 5}",
               "{\"return\": \"VM status: running\\r\\n\", \"id\": 5}");
    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"x/2xb 0x1000\"}}",
               "{\"return\": \"0000000000001000: 0x00 0x01\\r\\n\"}");
    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"info cpus\", \"cpu-index\": 1}}",
               "{\"return\": \"  CPU #0: thread_id=1000\\r\\n* CPU #1: thread_id=1001\\r\\n\"}");
    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"info cpus\", \"cpu-index\": 9}}",
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'cpu-index' "
               "expects a CPU number\"}}");
    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"bogus\"}}",
               "{\"return\": \"unknown command: 'bogus'\\r\\n\"}");
    qmp_expect(s,
               "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
               "\"\"}}",
               "{\"return\": \"\"}");
    session_free(s);
}

static void test_memsave(void)
{
    Session *s = qmp_session();
    char *dir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
    char *path = g_build_filename(dir, "mem.bin", NULL);
    char *req, *data = NULL, *line;
    gsize len = 0;

    req = g_strdup_printf("{\"execute\": \"memsave\", \"arguments\": {\"val\": 4104, \"size\": "
                          "16, \"filename\": \"%s\"}}",
                          path);
    qmp_expect(s, req, "{\"return\": {}}");
    g_free(req);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, 16);
    g_assert_cmpmem(data, len, machine.mem + 8, 16);
    g_free(data);

    /* beyond what the CPU can read */
    req =
        g_strdup_printf("{\"execute\": \"memsave\", \"arguments\": {\"val\": 4352, \"size\": 2000,"
                        " \"filename\": \"%s\"}}",
                        path);
    qmp_expect(s, req,
               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid addr "
               "0x0000000000001100/size 2000 specified\"}}");
    g_free(req);

    /* physical: 0x11000 is the same bytes; unreadable parts are saved as zeros */
    req = g_strdup_printf("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 69872, \"size\": "
                          "16, \"filename\": \"%s\"}}",
                          path);
    qmp_expect(s, req, "{\"return\": {}}");
    g_free(req);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, 16);
    g_assert_cmpint((uint8_t)data[0], ==, 0xf0);
    g_free(data);
    req = g_strdup_printf("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 69880, \"size\": "
                          "16, \"filename\": \"%s\"}}",
                          path);
    qmp_expect(s, req, "{\"return\": {}}");
    g_free(req);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, 16);
    g_assert_cmpint(data[0] | data[15], ==, 0);
    g_free(data);

    /* HMP spelling */
    req = g_strdup_printf("{\"execute\": \"human-monitor-command\", \"arguments\": "
                          "{\"command-line\": \"memsave 0x1000 4 \\\"%s\\\"\"}}",
                          path);
    send_str(s, req);
    line = take_line(s);
    g_assert_cmpstr(line, ==, "{\"return\": \"\"}");
    g_free(line);
    g_free(req);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, 4);
    g_free(data);

    req = g_strdup_printf("{\"execute\": \"memsave\", \"arguments\": {\"val\": 4096, \"size\": 1,"
                          " \"filename\": \"%s/no/such/dir/f\"}}",
                          dir);
    send_str(s, req);
    line = take_line(s);
    g_assert_nonnull(strstr(line, "Could not open '"));
    g_assert_nonnull(strstr(line, "No such file or directory"));
    g_free(line);
    g_free(req);

    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    session_free(s);
}

/* ---- the socket listener on a real main loop */

static char *sock_read_line(MainLoop *ml, int fd, GString *buf)
{
    for (int i = 0; i < 2000; i++) {
        char *crlf = strstr(buf->str, "\r\n");
        char tmp[4096];
        ssize_t n;

        if (crlf) {
            char *line = g_strndup(buf->str, crlf - buf->str);

            g_string_erase(buf, 0, crlf - buf->str + 2);
            return line;
        }
        main_loop_wait(ml, false);
        n = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);
        if (n > 0) {
            g_string_append_len(buf, tmp, n);
        } else {
            g_usleep(1000);
        }
    }
    g_error("timed out waiting for a line");
    return NULL;
}

static void sock_send(int fd, const char *text)
{
    g_assert_cmpint(send(fd, text, strlen(text), MSG_NOSIGNAL), ==, (ssize_t)strlen(text));
}

static void test_server_unix(void)
{
    MainLoop *ml = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
    char *dir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
    char *path = g_build_filename(dir, "qmp.sock", NULL);
    char *spec = g_strdup_printf("unix:%s,server=on,wait=off", path);
    MonitorServer *srv = monitor_server_new(ml, spec, MONITOR_MODE_QMP, &error_abort);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    GString *buf1 = g_string_new(NULL), *buf2 = g_string_new(NULL);
    int fd1, fd2;
    char *line;

    g_assert_false(monitor_server_wants_wait(srv));
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    fd1 = socket(AF_UNIX, SOCK_STREAM, 0);
    fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(connect(fd1, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(connect(fd2, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);

    line = sock_read_line(ml, fd1, buf1);
    g_assert_true(g_str_has_prefix(line, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0"));
    g_free(line);
    line = sock_read_line(ml, fd2, buf2);
    g_free(line);
    g_assert_cmpuint(monitor_server_clients(srv), ==, 2);

    sock_send(fd1, "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-status\", "
                   "\"id\": \"a\"}\n");
    line = sock_read_line(ml, fd1, buf1);
    g_assert_cmpstr(line, ==, "{\"return\": {}}");
    g_free(line);
    line = sock_read_line(ml, fd1, buf1);
    g_assert_cmpstr(line, ==,
                    "{\"return\": {\"status\": \"running\", \"singlestep\": false, "
                    "\"running\": true}, \"id\": \"a\"}");
    g_free(line);

    /* the second client, negotiated, sees the first one's stop */
    sock_send(fd2, "{\"execute\": \"qmp_capabilities\"}");
    line = sock_read_line(ml, fd2, buf2);
    g_free(line);
    sock_send(fd1, "{\"execute\": \"stop\"}");
    line = sock_read_line(ml, fd2, buf2);
    g_assert_nonnull(strstr(line, "\"event\": \"STOP\""));
    g_free(line);
    fake_cont(NULL, NULL);

    /* a client hangs up: the server notices and frees its monitor */
    close(fd2);
    for (int i = 0; i < 200 && monitor_server_clients(srv) != 1; i++) {
        main_loop_wait(ml, false);
        g_usleep(1000);
    }
    g_assert_cmpuint(monitor_server_clients(srv), ==, 1);
    for (int i = 0; i < 5; i++) {
        main_loop_wait(ml, false);
    }

    close(fd1);
    monitor_server_free(srv);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    main_loop_free(ml);
    g_rmdir(dir);
    g_free(spec);
    g_free(path);
    g_free(dir);
    g_string_free(buf1, TRUE);
    g_string_free(buf2, TRUE);
}

static void test_server_tcp_hmp(void)
{
    MainLoop *ml = main_loop_new(MAIN_LOOP_AUTO, &error_abort);
    MonitorServer *srv =
        monitor_server_new(ml, "tcp:127.0.0.1:0,server,nowait", MONITOR_MODE_HMP, &error_abort);
    struct sockaddr_in sin = {.sin_family = AF_INET};
    GString *buf = g_string_new(NULL);
    Error *err = NULL;
    char *line;
    int fd;

    g_assert_cmpint(monitor_server_port(srv), >, 0);
    sin.sin_port = htons(monitor_server_port(srv));
    sin.sin_addr.s_addr = htonl(0x7f000001);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    line = sock_read_line(ml, fd, buf);
    g_assert_true(g_str_has_prefix(line, "QEMU 7.2.0 monitor"));
    g_free(line);
    sock_send(fd, "info status\r\n");
    line = sock_read_line(ml, fd, buf);
    g_assert_cmpstr(line, ==, "(qemu) info status");
    g_free(line);
    line = sock_read_line(ml, fd, buf);
    g_assert_cmpstr(line, ==, "VM status: running");
    g_free(line);
    close(fd);
    monitor_server_free(srv);

    /* bad specs are one clear error each */
    g_assert_null(monitor_server_new(ml, "tcp:127.0.0.1:0", MONITOR_MODE_QMP, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "only server=on is supported"));
    error_free(err);
    err = NULL;
    g_assert_null(monitor_server_new(ml, "udp:1,server=on", MONITOR_MODE_QMP, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "is not a socket address"));
    error_free(err);
    err = NULL;
    g_assert_null(monitor_server_new(ml, "unix:/x,server=on,bogus=1", MONITOR_MODE_QMP, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "bogus"));
    error_free(err);
    main_loop_free(ml);
    g_string_free(buf, TRUE);
}

/*
 * A monitor behind a mux (-nographic, C-a c): silent until its first
 * focus, which opens it (banner and prompt); later focuses show the
 * prompt again; losing the focus ends the line.  QMP ignores focus.
 */
static void test_mux_focus(void)
{
    MonitorOptions opts = {.mode = MONITOR_MODE_HMP};
    Session *s = g_new0(Session, 1);
    Session *q = qmp_session();

    install_machine();
    s->ch.out = g_string_new(NULL);
    s->mon = monitor_new(&opts, &fake_ops, &s->ch);
    expect_nothing(s);
    monitor_mux_focus(s->mon, true);
    g_assert_true(g_str_has_prefix(s->ch.out->str, "QEMU 7.2.0 monitor"));
    g_assert_true(g_str_has_suffix(s->ch.out->str, "(qemu) "));
    g_string_truncate(s->ch.out, 0);
    send_str(s, "info sta");
    monitor_mux_focus(s->mon, false);
    g_assert_cmpstr(s->ch.out->str, ==, "info sta\r\n");
    g_string_truncate(s->ch.out, 0);
    monitor_mux_focus(s->mon, true);
    g_assert_cmpstr(s->ch.out->str, ==, "(qemu) ");
    /* The half-typed line was dropped with the focus. */
    g_string_truncate(s->ch.out, 0);
    send_str(s, "info name\r");
    g_assert_cmpstr(s->ch.out->str, ==, "info name\r\nguest0\r\n(qemu) ");
    monitor_mux_focus(q->mon, true);
    monitor_mux_focus(q->mon, false);
    expect_nothing(q);
    session_free(s);
    session_free(q);
}

/* GDB's `monitor CMD`: an HMP line outside any session. */
static void test_hmp_command(void)
{
    GString *out = g_string_new(NULL);

    install_machine();
    monitor_hmp_command("info status", out);
    g_assert_cmpstr(out->str, ==, "VM status: running\n");
    g_string_truncate(out, 0);
    monitor_hmp_command("nope", out);
    g_assert_cmpstr(out->str, ==, "unknown command: 'nope'\n");
    g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    install_machine();
    g_test_add_func("/qmp/greeting", test_greeting);
    g_test_add_func("/qmp/negotiation", test_negotiation);
    g_test_add_func("/qmp/id-echo", test_id_echo);
    g_test_add_func("/qmp/request-errors", test_request_errors);
    g_test_add_func("/qmp/oob", test_oob);
    g_test_add_func("/qmp/commands", test_commands);
    g_test_add_func("/qmp/events", test_events);
    g_test_add_func("/qmp/missing-hooks", test_missing_hooks);
    g_test_add_func("/qmp/split-input", test_split_input);
    g_test_add_func("/qmp/pretty", test_pretty);
    g_test_add_func("/qmp/output-limit", test_output_limit);
    g_test_add_func("/qmp/human-monitor-command", test_human_monitor_command);
    g_test_add_func("/qmp/memsave", test_memsave);
    g_test_add_func("/hmp/session", test_hmp_session);
    g_test_add_func("/hmp/errors-and-help", test_hmp_errors_and_help);
    g_test_add_func("/hmp/memory-dump", test_hmp_memory_dump);
    g_test_add_func("/hmp/line-editing", test_hmp_line_editing);
    g_test_add_func("/server/unix-qmp", test_server_unix);
    g_test_add_func("/server/tcp-hmp", test_server_tcp_hmp);
    g_test_add_func("/hmp/mux-focus", test_mux_focus);
    g_test_add_func("/hmp/gdb-monitor-command", test_hmp_command);
    return g_test_run();
}
