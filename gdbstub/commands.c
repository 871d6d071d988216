/*
 * The packet table and the packets that act on the guest: stop reason,
 * registers, memory, run control (c, s, vCont, and their signal forms),
 * threads (H, T), breakpoints and watchpoints (Z, z), detach and kill.
 * query.c has the general queries (q, Q, and the v packets that only
 * answer).  Error numbers follow QEMU's stub: E14 (EFAULT) for memory
 * and registers that cannot be reached, E22 (EINVAL) for malformed
 * packets.  An unknown packet gets the empty reply, as the protocol asks.
 */
#include <errno.h>
#include <string.h>
#include "internals.h"

/* The largest register a target may have (a vector register). */
#define GDB_MAX_REG_BYTES 256

void gdb_reply_ok(GdbServer *s)
{
    g_string_assign(s->reply, "OK");
}

void gdb_reply_error(GdbServer *s, int err)
{
    /* Decimal errno values, as QEMU writes them (E14: EFAULT, E22: EINVAL). */
    g_string_printf(s->reply, "E%02d", err % 100);
}

/* Parse "ADDR,LEN" at *p. */
static bool gdb_parse_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
    if (!gdb_parse_hex(p, addr) || **p != ',') {
        return false;
    }
    (*p)++;
    return gdb_parse_hex(p, len);
}

/* ---- stop reason */

static void cmd_stop_reason(GdbServer *s, const char *args, size_t len)
{
    gdb_server_format_stop(s, s->reply, &s->last_stop, s->stop_tid > 0 ? s->stop_tid : 1);
}

/* ---- registers */

static int gdb_read_reg(CPUState *cs, uint8_t *buf, int n)
{
    if (!cs || !cs->ops->gdb_read_register || n < 0 || n >= cs->ops->gdb_num_regs) {
        return 0;
    }
    return cs->ops->gdb_read_register(cs, buf, n);
}

/*
 * 'g' carries the registers from 0 up to the first the target lacks:
 * GDB places them in the packet by their numbers in the target
 * description and fetches the rest one by one with 'p'.
 */
static void cmd_read_registers(GdbServer *s, const char *args, size_t len)
{
    CPUState *cs = gdb_server_g_cpu(s);
    uint8_t buf[GDB_MAX_REG_BYTES];
    int n, size;

    for (n = 0; (size_t)s->reply->len + 2 * GDB_MAX_REG_BYTES < GDB_MAX_PACKET; n++) {
        size = gdb_read_reg(cs, buf, n);
        if (size <= 0) {
            break;
        }
        gdb_hex_encode(s->reply, buf, (size_t)size);
    }
    if (n == 0) {
        gdb_reply_error(s, 14);
    }
}

static void cmd_write_registers(GdbServer *s, const char *args, size_t len)
{
    CPUState *cs = gdb_server_g_cpu(s);
    uint8_t buf[GDB_MAX_REG_BYTES];
    size_t nbytes = len / 2;

    if (len % 2 || !cs || !cs->ops->gdb_write_register) {
        gdb_reply_error(s, 22);
        return;
    }
    for (int n = 0; nbytes > 0; n++) {
        int size = gdb_read_reg(cs, buf, n);

        if (size <= 0 || (size_t)size > nbytes) {
            break;
        }
        if (!gdb_hex_decode(args, (size_t)size, buf)) {
            gdb_reply_error(s, 22);
            return;
        }
        cs->ops->gdb_write_register(cs, buf, n);
        args += 2 * size;
        nbytes -= (size_t)size;
    }
    gdb_reply_ok(s);
}

static void cmd_read_register(GdbServer *s, const char *args, size_t len)
{
    uint8_t buf[GDB_MAX_REG_BYTES];
    uint64_t n;
    int size;

    if (!gdb_parse_hex(&args, &n) || *args || n > INT32_MAX) {
        gdb_reply_error(s, 22);
        return;
    }
    size = gdb_read_reg(gdb_server_g_cpu(s), buf, (int)n);
    if (size <= 0) {
        gdb_reply_error(s, 14);
        return;
    }
    gdb_hex_encode(s->reply, buf, (size_t)size);
}

static void cmd_write_register(GdbServer *s, const char *args, size_t len)
{
    CPUState *cs = gdb_server_g_cpu(s);
    uint8_t buf[GDB_MAX_REG_BYTES] = {0};
    uint8_t old[GDB_MAX_REG_BYTES];
    uint64_t n;
    size_t hexlen;
    int size;

    if (!gdb_parse_hex(&args, &n) || *args != '=' || n > INT32_MAX) {
        gdb_reply_error(s, 22);
        return;
    }
    args++;
    hexlen = strlen(args);
    size = gdb_read_reg(cs, old, (int)n);
    if (size <= 0 || !cs->ops->gdb_write_register) {
        gdb_reply_error(s, 14);
        return;
    }
    if (hexlen != 2 * (size_t)size || !gdb_hex_decode(args, (size_t)size, buf)) {
        gdb_reply_error(s, 22);
        return;
    }
    if (cs->ops->gdb_write_register(cs, buf, (int)n) <= 0) {
        gdb_reply_error(s, 14);
        return;
    }
    gdb_reply_ok(s);
}

/* ---- memory */

static size_t gdb_memory_rw(GdbServer *s, uint64_t addr, uint8_t *buf, size_t len, bool is_write)
{
    CPUState *cs = gdb_server_g_cpu(s);

    if (!cs || len == 0) {
        return 0;
    }
    return s->be->memory_rw(s->opaque, cs, addr, buf, len, is_write, s->phys_mode);
}

static void cmd_read_memory(GdbServer *s, const char *args, size_t len)
{
    uint64_t addr, n;
    size_t done;
    uint8_t *buf;

    if (!gdb_parse_addr_len(&args, &addr, &n) || *args) {
        gdb_reply_error(s, 22);
        return;
    }
    /* The reply is hex: at most half a packet of memory (GDB asks no more). */
    n = MIN(n, (uint64_t)(GDB_MAX_PACKET / 2));
    if (n == 0) {
        return;
    }
    buf = g_malloc(n);
    done = gdb_memory_rw(s, addr, buf, n, false);
    if (done == 0) {
        gdb_reply_error(s, 14);
    } else {
        gdb_hex_encode(s->reply, buf, done);
    }
    g_free(buf);
}

static void gdb_write_memory(GdbServer *s, uint64_t addr, uint8_t *buf, size_t n)
{
    if (n == 0 || gdb_memory_rw(s, addr, buf, n, true) == n) {
        gdb_reply_ok(s);
    } else {
        gdb_reply_error(s, 14);
    }
}

static void cmd_write_memory_hex(GdbServer *s, const char *args, size_t len)
{
    const char *start = args;
    uint64_t addr, n;
    uint8_t *buf;

    if (!gdb_parse_addr_len(&args, &addr, &n) || *args != ':') {
        gdb_reply_error(s, 22);
        return;
    }
    args++;
    len -= (size_t)(args - start);
    if (n > GDB_MAX_PACKET || len != 2 * n) {
        gdb_reply_error(s, 22);
        return;
    }
    buf = g_malloc(n + 1);
    if (!gdb_hex_decode(args, n, buf)) {
        gdb_reply_error(s, 22);
    } else {
        gdb_write_memory(s, addr, buf, n);
    }
    g_free(buf);
}

/* X: the data is binary (already unescaped by the parser) and may hold NULs. */
static void cmd_write_memory_bin(GdbServer *s, const char *args, size_t len)
{
    const char *start = args;
    uint64_t addr, n;

    if (!gdb_parse_addr_len(&args, &addr, &n) || *args != ':') {
        gdb_reply_error(s, 22);
        return;
    }
    args++;
    len -= (size_t)(args - start);
    if (len != n) {
        gdb_reply_error(s, 22);
        return;
    }
    gdb_write_memory(s, addr, (uint8_t *)args, n);
}

/* ---- run control */

typedef struct GdbResumeCtx {
    GdbServer *s;
    const char *actions; /* vCont actions ";a[:tid]..." or NULL */
    int def_action;      /* without actions: 'c' or 's' for the Hc thread */
    int only_tid;        /* without actions: Hc named one thread (> 0), else all run */
    int step_tid;        /* without actions: the thread 's' steps */
    int sig;             /* the signal for the stopped thread (target numbering) */
    bool bad;
} GdbResumeCtx;

/*
 * The vCont action for thread `tid`: the leftmost one whose thread matches
 * (no thread: every thread).  Returns 'c', 's' or 0 (none: it stays stopped).
 */
static int gdb_vcont_action(GdbResumeCtx *r, int tid, int *sig)
{
    const char *p = r->actions;

    while (p && *p == ';') {
        int act, gsig = 0, t = -1;
        uint64_t v;

        p++;
        act = *p++;
        if (act == 'C' || act == 'S') {
            if (!gdb_parse_hex(&p, &v) || v > 255) {
                r->bad = true;
                return 0;
            }
            gsig = (int)v;
            act = act == 'C' ? 'c' : 's';
        } else if (act != 'c' && act != 's') {
            r->bad = true;
            return 0;
        }
        if (*p == ':') {
            p++;
            if (!gdb_parse_thread_id(&p, &t)) {
                r->bad = true;
                return 0;
            }
        }
        if (*p && *p != ';') {
            r->bad = true;
            return 0;
        }
        if (t == -1 || t == 0 || t == tid) {
            *sig = gsig;
            return act;
        }
    }
    return 0;
}

static void gdb_resume_one(CPUState *cs, void *data)
{
    GdbResumeCtx *r = data;
    GdbServer *s = r->s;
    int tid = gdb_cpu_tid(cs);
    int act, gsig = 0, how;

    if (r->actions) {
        act = gdb_vcont_action(r, tid, &gsig);
    } else if (r->only_tid > 0 && tid != r->only_tid) {
        act = 0;
    } else {
        act = tid == r->step_tid ? r->def_action : 'c';
    }
    if (tid == s->stop_tid && gsig) {
        r->sig = gdb_signal_to_target(gsig);
        if (r->sig < 0) {
            r->sig = 0;
        }
    }
    how = act == 's' ? (s->sstep_flags | SSTEP_ENABLE) : act == 'c' ? 0 : GDB_RESUME_STOPPED;
    s->be->set_resume(s->opaque, cs, how);
}

/* Check a vCont action list before touching any vCPU. */
static bool gdb_vcont_valid(const char *actions)
{
    GdbResumeCtx r = {.actions = actions};
    int sig;

    if (!actions || *actions != ';') {
        return false;
    }
    /* A thread id no vCPU has walks the whole list, checking every action. */
    gdb_vcont_action(&r, -2, &sig);
    return !r.bad;
}

static void gdb_collect_cpu(CPUState *cs, void *data)
{
    g_ptr_array_add(data, cs);
}

void gdb_resume(GdbServer *s, int stop_thread_action, int sig, const char *actions)
{
    CPUState *c_cpu = gdb_server_c_cpu(s);
    GdbResumeCtx r = {
        .s = s,
        .actions = actions,
        .def_action = stop_thread_action,
        .only_tid = s->c_tid,
        .step_tid = c_cpu ? gdb_cpu_tid(c_cpu) : 0,
        .sig = sig,
    };
    GPtrArray *cpus = g_ptr_array_new();

    /* Outside the backend's walk of its vCPU list: set_resume may take locks of its own. */
    s->be->cpu_foreach(s->opaque, gdb_collect_cpu, cpus);
    for (guint i = 0; i < cpus->len; i++) {
        gdb_resume_one(cpus->pdata[i], &r);
    }
    g_ptr_array_free(cpus, TRUE);
    s->running = true;
    s->no_reply = true;
    s->be->resume(s->opaque, r.sig);
}

/*
 * c [addr], s [addr], C sig[;addr], S sig[;addr].  GDB never sends the
 * address (it writes the pc itself); one is accepted and ignored, since
 * the stub has no generic way to set a pc.
 */
static void gdb_cmd_resume(GdbServer *s, const char *args, int action, bool with_signal)
{
    uint64_t v = 0;
    int sig = 0;

    if (with_signal) {
        if (!gdb_parse_hex(&args, &v) || v > 255 || (*args && *args != ';')) {
            gdb_reply_error(s, 22);
            return;
        }
        sig = gdb_signal_to_target((int)v);
        if (sig < 0) {
            sig = 0;
        }
    }
    gdb_resume(s, action, sig, NULL);
}

static void cmd_continue(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_resume(s, args, 'c', false);
}

static void cmd_continue_sig(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_resume(s, args, 'c', true);
}

static void cmd_step(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_resume(s, args, 's', false);
}

static void cmd_step_sig(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_resume(s, args, 's', true);
}

static void cmd_vcont_query(GdbServer *s, const char *args, size_t len)
{
    g_string_assign(s->reply, "vCont;c;C;s;S");
}

static void cmd_vcont(GdbServer *s, const char *args, size_t len)
{
    /* args starts after "vCont": ";action[:thread]..." */
    if (!gdb_vcont_valid(args)) {
        gdb_reply_error(s, 22);
        return;
    }
    gdb_resume(s, 'c', 0, args);
}

/* ---- threads */

static void cmd_set_thread(GdbServer *s, const char *args, size_t len)
{
    char op = args[0];
    const char *p = args + (op ? 1 : 0);
    int tid;

    if ((op != 'g' && op != 'c') || !gdb_parse_thread_id(&p, &tid) || *p) {
        gdb_reply_error(s, 22);
        return;
    }
    if (tid > 0 && !gdb_server_find_cpu(s, tid)) {
        gdb_reply_error(s, 22);
        return;
    }
    if (op == 'g') {
        s->g_tid = tid;
    } else {
        s->c_tid = tid;
    }
    gdb_reply_ok(s);
}

static void cmd_thread_alive(GdbServer *s, const char *args, size_t len)
{
    int tid;

    if (!gdb_parse_thread_id(&args, &tid) || *args) {
        gdb_reply_error(s, 22);
    } else if (tid > 0 && gdb_server_find_cpu(s, tid)) {
        gdb_reply_ok(s);
    } else {
        gdb_reply_error(s, 22);
    }
}

/* ---- breakpoints */

static void gdb_cmd_breakpoint(GdbServer *s, const char *args, bool insert)
{
    uint64_t type, addr, kind;
    int r;

    /* "type,addr,kind" then possibly ";cond..." (conditions are not supported: ignored). */
    if (!gdb_parse_hex(&args, &type) || *args != ',') {
        gdb_reply_error(s, 22);
        return;
    }
    args++;
    if (!gdb_parse_addr_len(&args, &addr, &kind) || (*args && *args != ';')) {
        gdb_reply_error(s, 22);
        return;
    }
    if (type > GDB_WP_ACCESS) {
        return; /* unknown type: unsupported */
    }
    if (insert) {
        r = s->be->breakpoint_insert(s->opaque, (int)type, addr, kind);
    } else {
        r = s->be->breakpoint_remove(s->opaque, (int)type, addr, kind);
    }
    if (r == 0) {
        gdb_reply_ok(s);
    } else if (r != -ENOSYS) {
        gdb_reply_error(s, 22);
    }
}

static void cmd_insert_bp(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_breakpoint(s, args, true);
}

static void cmd_remove_bp(GdbServer *s, const char *args, size_t len)
{
    gdb_cmd_breakpoint(s, args, false);
}

/* ---- leaving */

/* D or D;pid: the guest runs on without breakpoints, the connection ends. */
static void cmd_detach(GdbServer *s, const char *args, size_t len)
{
    gdb_server_send_str(s, "OK");
    s->no_reply = true;
    s->be->breakpoint_remove_all(s->opaque);
    s->attached = false;
    s->be->detach(s->opaque);
}

static void cmd_kill(GdbServer *s, const char *args, size_t len)
{
    s->no_reply = true;
    s->be->breakpoint_remove_all(s->opaque);
    s->attached = false;
    s->be->kill(s->opaque);
}

/* vKill;pid: as k, but it is answered. */
static void cmd_vkill(GdbServer *s, const char *args, size_t len)
{
    gdb_server_send_str(s, "OK");
    cmd_kill(s, args, len);
}

/* ---- the table */

const GdbCommand gdb_commands[] = {
    {"?", true, cmd_stop_reason},
    {"g", true, cmd_read_registers},
    {"G", false, cmd_write_registers},
    {"p", false, cmd_read_register},
    {"P", false, cmd_write_register},
    {"m", false, cmd_read_memory},
    {"M", false, cmd_write_memory_hex},
    {"X", false, cmd_write_memory_bin},
    {"c", false, cmd_continue},
    {"C", false, cmd_continue_sig},
    {"s", false, cmd_step},
    {"S", false, cmd_step_sig},
    {"vCont?", true, cmd_vcont_query},
    {"vCont", false, cmd_vcont},
    {"vKill", false, cmd_vkill},
    {"H", false, cmd_set_thread},
    {"T", false, cmd_thread_alive},
    {"Z", false, cmd_insert_bp},
    {"z", false, cmd_remove_bp},
    {"D", false, cmd_detach},
    {"k", true, cmd_kill},
};
const size_t gdb_commands_count = G_N_ELEMENTS(gdb_commands);

static const GdbCommand *gdb_find(const GdbCommand *table, size_t n, const char *data, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(table[i].name);

        if (len < l || memcmp(data, table[i].name, l) != 0) {
            continue;
        }
        if (table[i].exact && len != l) {
            continue;
        }
        return &table[i];
    }
    return NULL;
}

void gdb_dispatch(GdbServer *s, const char *data, size_t len)
{
    const GdbCommand *c = gdb_find(gdb_commands, gdb_commands_count, data, len);

    if (!c) {
        c = gdb_find(gdb_queries, gdb_queries_count, data, len);
    }
    if (c) {
        size_t l = strlen(c->name);

        c->handler(s, data + l, len - l);
    }
}
