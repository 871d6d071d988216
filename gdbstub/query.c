/*
 * The general queries: what the stub supports (qSupported), the target
 * description and the auxiliary vector (qXfer), the thread list, monitor
 * commands (qRcmd), QEMU's single-step and physical-memory settings
 * (qqemu.sstep*, qqemu.PhyMemMode) and the acknowledgement switch.  These
 * only answer; nothing here runs the guest.
 */
#include <string.h>
#include "internals.h"

/* ---- features */

static void query_supported(GdbServer *s, const char *args, size_t len)
{
    /* GDB's features follow ':' separated by ';': remember the stop reasons it understands. */
    if (*args == ':') {
        char **feat = g_strsplit(args + 1, ";", -1);

        s->gdb_swbreak = s->gdb_hwbreak = false;
        for (char **f = feat; *f; f++) {
            if (strcmp(*f, "swbreak+") == 0) {
                s->gdb_swbreak = true;
            } else if (strcmp(*f, "hwbreak+") == 0) {
                s->gdb_hwbreak = true;
            }
        }
        g_strfreev(feat);
    }
    g_string_printf(s->reply,
                    "PacketSize=%x;qXfer:features:read+;vContSupported+;QStartNoAckMode+;"
                    "swbreak+;hwbreak+",
                    GDB_MAX_PACKET);
    if (s->be->read_auxv) {
        g_string_append(s->reply, ";qXfer:auxv:read+");
    }
    if (!s->be->system) {
        g_string_append(s->reply, ";QPassSignals+");
    }
}

/* QPassSignals:SIG[;SIG]...: signals GDB lets through without a stop. */
static void query_pass_signals(GdbServer *s, const char *args, size_t len)
{
    uint8_t set[sizeof(s->pass_signals)] = {0};
    const char *p = args;
    uint64_t v;

    while (*p) {
        if (!gdb_parse_hex(&p, &v) || v >= 8 * sizeof(set) || (*p && *p != ';')) {
            gdb_reply_error(s, 22);
            return;
        }
        set[v / 8] |= (uint8_t)(1u << (v % 8));
        if (*p == ';') {
            p++;
        }
    }
    memcpy(s->pass_signals, set, sizeof(set));
    gdb_reply_ok(s);
}

static void query_start_noack(GdbServer *s, const char *args, size_t len)
{
    /* The OK still travels (and is acknowledged) in the old mode. */
    gdb_server_send_str(s, "OK");
    s->no_reply = true;
    s->noack = true;
}

static void query_must_reply_empty(GdbServer *s, const char *args, size_t len)
{
}

/* ---- qXfer */

/* Answer "OFFSET,LENGTH" of `data`: 'm' and a part, or 'l' and the rest. */
static void gdb_xfer_reply(GdbServer *s, const char *args, const uint8_t *data, size_t size)
{
    uint64_t off, len;

    if (!gdb_parse_hex(&args, &off) || *args != ',') {
        gdb_reply_error(s, 22);
        return;
    }
    args++;
    if (!gdb_parse_hex(&args, &len) || *args) {
        gdb_reply_error(s, 22);
        return;
    }
    if (off >= size) {
        g_string_assign(s->reply, "l");
        return;
    }
    /* Escaping can double the part: keep the reply inside a packet. */
    len = MIN(len, (uint64_t)(GDB_MAX_PACKET / 2 - 1));
    if (len >= size - off) {
        g_string_assign(s->reply, "l");
        len = size - off;
    } else {
        g_string_assign(s->reply, "m");
    }
    gdb_escape_binary(s->reply, data + off, len);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void query_xfer_features(GdbServer *s, const char *args, size_t len)
{
    CPUState *cs = gdb_server_g_cpu(s);
    const char *colon = strchr(args, ':');
    const char *xml;
    char *annex;

    if (!colon) {
        gdb_reply_error(s, 22);
        return;
    }
    annex = g_strndup(args, (gsize)(colon - args));
    xml = cs && cs->ops->gdb_get_xml ? cs->ops->gdb_get_xml(annex) : NULL;
    g_free(annex);
    if (!xml) {
        /* No such annex. */
        gdb_reply_error(s, 0);
        return;
    }
    gdb_xfer_reply(s, colon + 1, (const uint8_t *)xml, strlen(xml));
}

/* qXfer:auxv:read::OFFSET,LENGTH */
static void query_xfer_auxv(GdbServer *s, const char *args, size_t len)
{
    GByteArray *auxv;

    if (!s->be->read_auxv || *args != ':') {
        return;
    }
    auxv = g_byte_array_new();
    if (!s->be->read_auxv(s->opaque, auxv)) {
        gdb_reply_error(s, 14);
    } else {
        gdb_xfer_reply(s, args + 1, auxv->data, auxv->len);
    }
    g_byte_array_free(auxv, TRUE);
}

/* ---- threads */

static void gdb_append_tid(CPUState *cs, void *data)
{
    GString *out = data;

    if (out->len > 1) {
        g_string_append_c(out, ',');
    }
    /* Stay inside a packet even with thousands of threads. */
    if (out->len < GDB_MAX_PACKET - 16) {
        g_string_append_printf(out, "%x", (unsigned)gdb_cpu_tid(cs));
    }
}

static void query_first_thread(GdbServer *s, const char *args, size_t len)
{
    g_string_assign(s->reply, "m");
    s->be->cpu_foreach(s->opaque, gdb_append_tid, s->reply);
}

static void query_next_thread(GdbServer *s, const char *args, size_t len)
{
    g_string_assign(s->reply, "l");
}

/* The current thread: the one that stopped last. */
static void query_current_thread(GdbServer *s, const char *args, size_t len)
{
    CPUState *cs = s->stop_tid > 0 ? gdb_server_find_cpu(s, s->stop_tid) : NULL;

    if (!cs) {
        cs = gdb_server_first_cpu(s);
    }

    g_string_printf(s->reply, "QC%x", cs ? (unsigned)gdb_cpu_tid(cs) : 1u);
}

static void query_thread_extra(GdbServer *s, const char *args, size_t len)
{
    const char *p = args;
    CPUState *cs;
    char *text;
    int tid;

    if (*p != ',' || (p++, !gdb_parse_thread_id(&p, &tid)) || *p) {
        gdb_reply_error(s, 22);
        return;
    }
    cs = tid > 0 ? gdb_server_find_cpu(s, tid) : NULL;
    if (!cs) {
        gdb_reply_error(s, 22);
        return;
    }
    text = g_strdup_printf("CPU#%d [%s]", cs->cpu_index, cs->halted ? "halted " : "running");
    gdb_hex_encode(s->reply, text, strlen(text));
    g_free(text);
}

/* A system emulator was attached to a running machine; a user-mode guest was started by us. */
static void query_attached(GdbServer *s, const char *args, size_t len)
{
    g_string_assign(s->reply, s->be->system ? "1" : "0");
}

/* ---- monitor commands */

/* Console output for GDB: O packets of hex text, before the final reply. */
static void gdb_send_console(GdbServer *s, const char *text, size_t len)
{
    GString *pkt = g_string_new(NULL);
    size_t chunk = (GDB_MAX_PACKET - 1) / 2;

    for (size_t off = 0; off < len; off += chunk) {
        g_string_assign(pkt, "O");
        gdb_hex_encode(pkt, text + off, MIN(chunk, len - off));
        gdb_server_send_packet(s, pkt->str, pkt->len);
    }
    g_string_free(pkt, TRUE);
}

static void query_rcmd(GdbServer *s, const char *args, size_t len)
{
    static const char unavailable[] = "monitor commands are not available yet\n";
    size_t n = (len - 1) / 2;
    GString *out;
    char *cmd;

    if (*args != ',' || (len - 1) % 2) {
        gdb_reply_error(s, 22);
        return;
    }
    cmd = g_malloc(n + 1);
    if (!gdb_hex_decode(args + 1, n, (uint8_t *)cmd) || memchr(cmd, '\0', n)) {
        g_free(cmd);
        gdb_reply_error(s, 22);
        return;
    }
    cmd[n] = '\0';
    out = g_string_new(NULL);
    if (!s->be->monitor_command) {
        g_string_assign(out, unavailable);
        gdb_send_console(s, out->str, out->len);
        gdb_reply_ok(s);
    } else if (s->be->monitor_command(s->opaque, cmd, out)) {
        gdb_send_console(s, out->str, out->len);
        gdb_reply_ok(s);
    } else {
        gdb_send_console(s, out->str, out->len);
        gdb_reply_error(s, 1);
    }
    g_string_free(out, TRUE);
    g_free(cmd);
}

/* ---- QEMU's packets (what `maint packet` sends) */

static void query_sstep_bits(GdbServer *s, const char *args, size_t len)
{
    g_string_printf(s->reply, "ENABLE=%x,NOIRQ=%x,NOTIMER=%x", SSTEP_ENABLE, SSTEP_NOIRQ,
                    SSTEP_NOTIMER);
}

static void query_sstep(GdbServer *s, const char *args, size_t len)
{
    g_string_printf(s->reply, "0x%x", (unsigned)s->sstep_flags);
}

static void query_set_sstep(GdbServer *s, const char *args, size_t len)
{
    uint64_t v;

    if (!gdb_parse_hex(&args, &v) || *args ||
        (v & ~(uint64_t)(SSTEP_ENABLE | SSTEP_NOIRQ | SSTEP_NOTIMER))) {
        gdb_reply_error(s, 22);
        return;
    }
    s->sstep_flags = (int)v;
    gdb_reply_ok(s);
}

static void query_phys_mode(GdbServer *s, const char *args, size_t len)
{
    if (s->be->system) {
        g_string_assign(s->reply, s->phys_mode ? "1" : "0");
    }
}

static void query_set_phys_mode(GdbServer *s, const char *args, size_t len)
{
    if (!s->be->system) {
        return;
    }
    if ((args[0] != '0' && args[0] != '1') || args[1]) {
        gdb_reply_error(s, 22);
        return;
    }
    s->phys_mode = args[0] == '1';
    gdb_reply_ok(s);
}

const GdbCommand gdb_queries[] = {
    {"qSupported", false, query_supported},
    {"QStartNoAckMode", true, query_start_noack},
    {"QPassSignals:", false, query_pass_signals},
    {"vMustReplyEmpty", true, query_must_reply_empty},
    {"qXfer:features:read:", false, query_xfer_features},
    {"qXfer:auxv:read:", false, query_xfer_auxv},
    {"qfThreadInfo", true, query_first_thread},
    {"qsThreadInfo", true, query_next_thread},
    {"qC", true, query_current_thread},
    {"qThreadExtraInfo", false, query_thread_extra},
    {"qAttached", false, query_attached},
    {"qRcmd", false, query_rcmd},
    {"qqemu.sstepbits", true, query_sstep_bits},
    {"qqemu.sstep", true, query_sstep},
    {"Qqemu.sstep=", false, query_set_sstep},
    {"qqemu.PhyMemMode", true, query_phys_mode},
    {"Qqemu.PhyMemMode:", false, query_set_phys_mode},
};
const size_t gdb_queries_count = G_N_ELEMENTS(gdb_queries);
