/*
 * Unit tests for the gdbstub's server and packet table (gdbstub.c,
 * commands.c, query.c) against a fake target: two vCPUs whose TargetOps
 * offer 34 eight-byte registers and a target description, 8 KiB of fake
 * guest memory, and a GdbBackend that records what the stub asks of it.
 * Packets go in as bytes, replies are read back with the packet parser
 * (so their framing and checksums are checked too).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "../../gdbstub/internals.h"

#define NREGS    34
#define MEM_BASE 0x1000
#define MEM_SIZE 0x2000

typedef struct FakeCPU {
    CPUState cs;
    uint64_t regs[NREGS];
} FakeCPU;

static FakeCPU cpus[2];
static uint8_t mem[MEM_SIZE];
static char *big_xml;

/* What the backend saw. */
static struct {
    GString *out;
    int steps[2];
    int resumes, resume_sig, interrupts, kills, detaches, remove_all;
    int bp_calls;
    int bp_type;
    uint64_t bp_addr, bp_len;
    int bp_result;
    bool last_phys;
    bool system;
    bool with_monitor;
} fake;

static GdbServer *srv;

/* ---- the fake target */

static int fake_read_register(CPUState *cs, uint8_t *buf, int n)
{
    FakeCPU *c = (FakeCPU *)cs;

    if (n < 0 || n >= NREGS) {
        return 0;
    }
    memcpy(buf, &c->regs[n], 8);
    return 8;
}

static int fake_write_register(CPUState *cs, const uint8_t *buf, int n)
{
    FakeCPU *c = (FakeCPU *)cs;

    if (n < 0 || n >= NREGS) {
        return 0;
    }
    memcpy(&c->regs[n], buf, 8);
    return 8;
}

static const char *fake_get_xml(const char *annex)
{
    if (strcmp(annex, "target.xml") == 0) {
        return "<?xml version=\"1.0\"?><target><xi:include href=\"big.xml\"/></target>";
    }
    if (strcmp(annex, "big.xml") == 0) {
        return big_xml;
    }
    return NULL;
}

static const TargetOps fake_ops = {
    .arch_name = "fake",
    .gdb_num_regs = 40,
    .gdb_read_register = fake_read_register,
    .gdb_write_register = fake_write_register,
    .gdb_get_xml = fake_get_xml,
};

/* ---- the fake backend */

static void fb_send(void *opaque, const uint8_t *buf, size_t len)
{
    g_string_append_len(fake.out, (const char *)buf, (gssize)len);
}

static void fb_cpu_foreach(void *opaque, void (*fn)(CPUState *cs, void *data), void *data)
{
    for (int i = 0; i < 2; i++) {
        fn(&cpus[i].cs, data);
    }
}

static size_t fb_memory_rw(void *opaque, CPUState *cs, uint64_t addr, uint8_t *buf, size_t len,
                           bool is_write, bool phys)
{
    size_t n;

    fake.last_phys = phys;
    if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE) {
        return 0;
    }
    n = MIN(len, MEM_BASE + MEM_SIZE - addr);
    if (is_write) {
        memcpy(mem + (addr - MEM_BASE), buf, n);
    } else {
        memcpy(buf, mem + (addr - MEM_BASE), n);
    }
    return n;
}

static int fb_bp(void *opaque, int type, uint64_t addr, uint64_t len)
{
    fake.bp_calls++;
    fake.bp_type = type;
    fake.bp_addr = addr;
    fake.bp_len = len;
    return fake.bp_result;
}

static void fb_bp_remove_all(void *opaque)
{
    fake.remove_all++;
}

static void fb_set_resume(void *opaque, CPUState *cs, int how)
{
    fake.steps[cs->cpu_index] = how;
}

static void fb_resume(void *opaque, int sig)
{
    fake.resumes++;
    fake.resume_sig = sig;
}

static void fb_interrupt(void *opaque)
{
    fake.interrupts++;
}

static void fb_kill(void *opaque)
{
    fake.kills++;
}

static void fb_detach(void *opaque)
{
    fake.detaches++;
}

static bool fb_monitor(void *opaque, const char *cmd, GString *out)
{
    g_string_printf(out, "ran '%s'\n", cmd);
    return strcmp(cmd, "fail") != 0;
}

static bool fb_auxv(void *opaque, GByteArray *out)
{
    static const uint8_t auxv[] = {6, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0};

    g_byte_array_append(out, auxv, sizeof(auxv));
    return true;
}

static GdbBackend fake_backend = {
    .send = fb_send,
    .cpu_foreach = fb_cpu_foreach,
    .memory_rw = fb_memory_rw,
    .breakpoint_insert = fb_bp,
    .breakpoint_remove = fb_bp,
    .breakpoint_remove_all = fb_bp_remove_all,
    .set_resume = fb_set_resume,
    .resume = fb_resume,
    .interrupt = fb_interrupt,
    .kill = fb_kill,
    .detach = fb_detach,
    .read_auxv = fb_auxv,
};

/* ---- fixture */

static void setup(bool system, bool monitor)
{
    memset(&fake, 0, sizeof(fake));
    fake.out = g_string_new(NULL);
    for (int i = 0; i < 2; i++) {
        memset(&cpus[i], 0, sizeof(cpus[i]));
        cpus[i].cs.ops = &fake_ops;
        cpus[i].cs.cpu_index = i;
        for (int r = 0; r < NREGS; r++) {
            cpus[i].regs[r] = (uint64_t)(i + 1) << 32 | (uint64_t)r;
        }
    }
    for (int i = 0; i < MEM_SIZE; i++) {
        mem[i] = (uint8_t)i;
    }
    fake_backend.system = system;
    fake_backend.monitor_command = monitor ? fb_monitor : NULL;
    srv = gdb_server_new(&fake_backend, NULL);
    srv->stop_tid = 1;
}

static void teardown(void)
{
    gdb_server_free(srv);
    srv = NULL;
    g_string_free(fake.out, TRUE);
}

/* The packets the stub sent since the last call (checksums checked); acks counted. */
static GPtrArray *take(int *acks)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    GdbPacketParser *p = g_new(GdbPacketParser, 1);

    gdb_parser_init(p);
    if (acks) {
        *acks = 0;
    }
    for (size_t i = 0; i < fake.out->len; i++) {
        GdbRxEvent e = gdb_parser_feed(p, (uint8_t)fake.out->str[i]);

        g_assert_cmpint(e, !=, GDB_RX_BAD);
        if (e == GDB_RX_PACKET) {
            g_ptr_array_add(a, g_strndup(p->data, p->len));
        } else if (e == GDB_RX_ACK && acks) {
            (*acks)++;
        }
    }
    g_string_truncate(fake.out, 0);
    g_free(p);
    return a;
}

static void put_raw(const char *bytes, size_t len)
{
    gdb_server_input(srv, (const uint8_t *)bytes, len);
}

static void put(const char *payload, size_t len)
{
    GString *w = g_string_new(NULL);

    gdb_packet_frame(w, payload, len);
    put_raw(w->str, w->len);
    g_string_free(w, TRUE);
}

/* Send one packet and return its only reply (NULL if none). */
static char *ask_len(const char *payload, size_t len)
{
    GPtrArray *a;
    char *r = NULL;

    put(payload, len);
    a = take(NULL);
    g_assert_cmpuint(a->len, <=, 1);
    if (a->len) {
        r = g_strdup(a->pdata[0]);
    }
    g_ptr_array_free(a, TRUE);
    return r;
}

static char *ask(const char *payload)
{
    return ask_len(payload, strlen(payload));
}

#define ASSERT_REPLY(pkt, expect)                                                                  \
    do {                                                                                           \
        g_autofree char *r_ = ask(pkt);                                                            \
        g_assert_nonnull(r_);                                                                      \
        g_assert_cmpstr(r_, ==, (expect));                                                         \
    } while (0)

/* ---- tests */

static void test_supported(void)
{
    g_autofree char *r = NULL;

    setup(false, false);
    r = ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
    g_assert_nonnull(strstr(r, "PacketSize=4000"));
    g_assert_nonnull(strstr(r, "qXfer:features:read+"));
    g_assert_nonnull(strstr(r, "vContSupported+"));
    g_assert_nonnull(strstr(r, "QStartNoAckMode+"));
    g_assert_nonnull(strstr(r, "swbreak+"));
    g_assert_nonnull(strstr(r, "qXfer:auxv:read+"));
    g_assert_nonnull(strstr(r, "QPassSignals+"));
    g_assert_true(srv->gdb_swbreak && srv->gdb_hwbreak);
    ASSERT_REPLY("vMustReplyEmpty", "");
    ASSERT_REPLY("qTStatus", "");
    ASSERT_REPLY("!", "");
    ASSERT_REPLY("vRun;", "");
    ASSERT_REPLY("qAttached:1", "0");
    ASSERT_REPLY("?", "T05thread:1;");
    teardown();
}

static void test_acks(void)
{
    GPtrArray *a;
    int acks;

    setup(false, false);
    put("?", 1);
    a = take(&acks);
    g_assert_cmpint(acks, ==, 1);
    g_assert_cmpuint(a->len, ==, 1);
    g_ptr_array_free(a, TRUE);
    /* A damaged packet is answered '-'. */
    put_raw("$?#00", 5);
    g_assert_cmpstr(fake.out->str, ==, "-");
    g_string_truncate(fake.out, 0);
    /* A '-' from GDB: the last reply again. */
    put_raw("-", 1);
    g_assert_cmpstr(fake.out->str, ==, "$T05thread:1;#d7");
    g_string_truncate(fake.out, 0);
    /* No-ack mode: the OK is acked, then nothing is. */
    ASSERT_REPLY("QStartNoAckMode", "OK");
    put("?", 1);
    a = take(&acks);
    g_assert_cmpint(acks, ==, 0);
    g_assert_cmpuint(a->len, ==, 1);
    g_ptr_array_free(a, TRUE);
    put_raw("$?#00", 5);
    g_assert_cmpuint(fake.out->len, ==, 0);
    teardown();
}

static void test_registers(void)
{
    g_autofree char *g = NULL;
    g_autofree char *g2 = NULL;
    GString *all = g_string_new(NULL);

    setup(false, false);
    g = ask("g");
    /* 34 registers of 8 bytes: x0.. of CPU 0 is 0x0000000100000000 + n, little-endian. */
    g_assert_cmpuint(strlen(g), ==, NREGS * 16);
    g_assert_true(g_str_has_prefix(g, "0000000001000000"
                                      "0100000001000000"));
    ASSERT_REPLY("p21", "2100000001000000");
    ASSERT_REPLY("p22", "E14"); /* no register 34 */
    ASSERT_REPLY("p1000", "E14");
    ASSERT_REPLY("pxyz", "E22");
    ASSERT_REPLY("P5=efbeadde00000000", "OK");
    g_assert_cmpuint(cpus[0].regs[5], ==, 0xdeadbeef);
    ASSERT_REPLY("P5=efbe", "E22");
    ASSERT_REPLY("P5=zzzzzzzzzzzzzzzz", "E22");
    ASSERT_REPLY("P99=0000000000000000", "E14");
    /* G writes back what g read, with register 3 changed. */
    for (int r = 0; r < NREGS; r++) {
        uint64_t v = r == 3 ? 0x1122334455667788ull : cpus[0].regs[r];

        gdb_hex_encode(all, &v, 8);
    }
    g_string_prepend_c(all, 'G');
    ASSERT_REPLY(all->str, "OK");
    g_assert_cmpuint(cpus[0].regs[3], ==, 0x1122334455667788ull);
    ASSERT_REPLY("G0", "E22");
    /* Hg selects the other vCPU. */
    ASSERT_REPLY("Hg2", "OK");
    g2 = ask("g");
    g_assert_true(g_str_has_prefix(g2, "0000000002000000"));
    ASSERT_REPLY("Hg7", "E22");
    ASSERT_REPLY("Hx1", "E22");
    ASSERT_REPLY("Hg-1", "OK");
    ASSERT_REPLY("Hcp1.2", "OK");
    ASSERT_REPLY("qC", "QC1");
    g_string_free(all, TRUE);
    teardown();
}

static void test_memory(void)
{
    g_autofree char *r = NULL;
    /* X data: ':' then bytes 0x23 ('#'), 0x7d ('}'), 0x00, 0x2a ('*'), escaped as GDB does. */
    const char xpkt[] = "X1100,4:}\x03}\x5d\x00}\x0a";

    setup(false, false);
    ASSERT_REPLY("m1000,4", "00010203");
    ASSERT_REPLY("m1010,0", "");
    /* Past the end: what could be read. */
    ASSERT_REPLY("m2ffe,8", "feff");
    ASSERT_REPLY("m0,4", "E14");
    ASSERT_REPLY("m1000", "E22");
    ASSERT_REPLY("mzz,4", "E22");
    /* A huge length is clamped to what a reply can hold. */
    r = ask("m1000,ffffffffffffffff");
    g_assert_cmpuint(strlen(r), ==, MEM_SIZE * 2);
    ASSERT_REPLY("M1004,2:aabb", "OK");
    g_assert_cmpuint(mem[4], ==, 0xaa);
    g_assert_cmpuint(mem[5], ==, 0xbb);
    ASSERT_REPLY("M1004,2:aa", "E22");
    ASSERT_REPLY("M1004,2:aaxx", "E22");
    ASSERT_REPLY("M0,1:00", "E14");
    ASSERT_REPLY("M2fff,2:0000", "E14");
    {
        g_autofree char *x = ask_len(xpkt, sizeof(xpkt) - 1);

        g_assert_cmpstr(x, ==, "OK");
    }
    g_assert_cmpuint(mem[0x100], ==, 0x23);
    g_assert_cmpuint(mem[0x101], ==, 0x7d);
    g_assert_cmpuint(mem[0x102], ==, 0x00);
    g_assert_cmpuint(mem[0x103], ==, 0x2a);
    ASSERT_REPLY("X1000,0:", "OK");
    ASSERT_REPLY("X1000,2:a", "E22");
    g_assert_false(fake.last_phys);
    teardown();
}

static void test_xfer(void)
{
    GString *got = g_string_new(NULL);
    bool last = false;

    setup(false, false);
    ASSERT_REPLY("qXfer:features:read:target.xml:0,1000",
                 "l<?xml version=\"1.0\"?><target><xi:include href=\"big.xml\"/></target>");
    /* The big annex comes in parts, reassembled by offset. */
    while (!last) {
        g_autofree char *q = g_strdup_printf("qXfer:features:read:big.xml:%zx,7ff", got->len);
        g_autofree char *r = ask(q);

        g_assert_true(r[0] == 'm' || r[0] == 'l');
        last = r[0] == 'l';
        g_string_append(got, r + 1);
        g_assert_cmpuint(strlen(r + 1), <=, 0x7ff);
    }
    g_assert_cmpstr(got->str, ==, big_xml);
    ASSERT_REPLY("qXfer:features:read:big.xml:ffffff,10", "l");
    ASSERT_REPLY("qXfer:features:read:nope.xml:0,10", "E00");
    ASSERT_REPLY("qXfer:features:read:big.xml:0", "E22");
    ASSERT_REPLY("qXfer:features:read:big.xml", "E22");
    {
        g_autofree char *r = ask("qXfer:auxv:read::0,1000");

        /* 'l', then 06 00 ...: the copy stops at the first NUL. */
        g_assert_cmpint(r[0], ==, 'l');
        g_assert_cmpint(r[1], ==, 6);
        g_assert_cmpuint(strlen(r), ==, 2);
    }
    g_string_free(got, TRUE);
    teardown();
}

static void test_threads(void)
{
    setup(false, false);
    ASSERT_REPLY("qfThreadInfo", "m1,2");
    ASSERT_REPLY("qsThreadInfo", "l");
    ASSERT_REPLY("T1", "OK");
    ASSERT_REPLY("T2", "OK");
    ASSERT_REPLY("T3", "E22");
    ASSERT_REPLY("Tp1.2", "OK");
    ASSERT_REPLY("T", "E22");
    {
        g_autofree char *r = ask("qThreadExtraInfo,2");
        g_autofree char *want = NULL;
        GString *h = g_string_new(NULL);

        gdb_hex_encode(h, "CPU#1 [running]", 15);
        want = g_string_free(h, FALSE);
        g_assert_cmpstr(r, ==, want);
    }
    ASSERT_REPLY("qThreadExtraInfo,9", "E22");
    teardown();
}

static void test_resume(void)
{
    GPtrArray *a;

    setup(false, false);
    ASSERT_REPLY("vCont?", "vCont;c;C;s;S");
    /* vCont;s:2;c: CPU 1 (thread 2) steps, CPU 0 continues; no reply until a stop. */
    g_assert_null(ask("vCont;s:2;c"));
    g_assert_cmpint(fake.resumes, ==, 1);
    g_assert_cmpint(fake.steps[1] & SSTEP_ENABLE, !=, 0);
    g_assert_cmpint(fake.steps[1] & SSTEP_NOIRQ, !=, 0);
    g_assert_cmpint(fake.steps[0], ==, 0);
    g_assert_true(srv->running);
    /* While running, a packet waits; Ctrl-C goes to the backend. */
    put("g", 1);
    g_assert_cmpuint(fake.out->len, ==, 1); /* only the ack */
    g_string_truncate(fake.out, 0);
    put_raw("\x03", 1);
    g_assert_cmpint(fake.interrupts, ==, 1);
    {
        GdbStop stop = {.kind = GDB_STOP_SIGNAL, .signal = SIGTRAP};

        gdb_server_stopped(srv, &cpus[1].cs, &stop);
    }
    a = take(NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(a->pdata[0], ==, "T05thread:2;");
    g_assert_true(g_str_has_prefix(a->pdata[1], "0000000002000000"));
    g_ptr_array_free(a, TRUE);
    /* Stopped: Ctrl-C means nothing. */
    put_raw("\x03", 1);
    g_assert_cmpint(fake.interrupts, ==, 1);

    /* 's' steps the Hc thread (the one that stopped), 'c' steps nobody. */
    g_assert_null(ask("s"));
    g_assert_cmpint(fake.steps[1] & SSTEP_ENABLE, !=, 0);
    g_assert_cmpint(fake.steps[0], ==, 0);
    srv->running = false;
    g_assert_null(ask("c"));
    g_assert_cmpint(fake.steps[1], ==, 0);
    g_assert_cmpint(fake.resume_sig, ==, 0);
    srv->running = false;
    /* Signals travel in GDB's numbering and come out in the target's. */
    srv->stop_tid = 2;
    g_assert_null(ask("C1e"));
    g_assert_cmpint(fake.resume_sig, ==, SIGUSR1);
    srv->running = false;
    g_assert_null(ask("vCont;C0e:2;c"));
    g_assert_cmpint(fake.resume_sig, ==, SIGALRM);
    srv->running = false;
    g_assert_null(ask("vCont;S02:p1.2"));
    g_assert_cmpint(fake.resume_sig, ==, SIGINT);
    g_assert_cmpint(fake.steps[1] & SSTEP_ENABLE, !=, 0);
    /* A thread without an action stays stopped (GDB stepping one over a breakpoint). */
    g_assert_cmpint(fake.steps[0], ==, GDB_RESUME_STOPPED);
    srv->running = false;
    g_assert_null(ask("vCont;c:1"));
    g_assert_cmpint(fake.steps[0], ==, 0);
    g_assert_cmpint(fake.steps[1], ==, GDB_RESUME_STOPPED);
    srv->running = false;
    /* Legacy c and s resume the Hc thread only, or all with Hc-1. */
    ASSERT_REPLY("Hc1", "OK");
    g_assert_null(ask("c"));
    g_assert_cmpint(fake.steps[0], ==, 0);
    g_assert_cmpint(fake.steps[1], ==, GDB_RESUME_STOPPED);
    srv->running = false;
    g_assert_null(ask("s"));
    g_assert_cmpint(fake.steps[0] & SSTEP_ENABLE, !=, 0);
    g_assert_cmpint(fake.steps[1], ==, GDB_RESUME_STOPPED);
    srv->running = false;
    ASSERT_REPLY("Hc-1", "OK");
    g_assert_null(ask("c"));
    g_assert_cmpint(fake.steps[0], ==, 0);
    g_assert_cmpint(fake.steps[1], ==, 0);
    srv->running = false;
    ASSERT_REPLY("vCont;x", "E22");
    ASSERT_REPLY("vCont;c:zz", "E22");
    ASSERT_REPLY("vCont;C", "E22");
    ASSERT_REPLY("vCont", "E22");
    ASSERT_REPLY("Cxx", "E22");
    g_assert_false(srv->running);
    teardown();
}

static void test_sstep_settings(void)
{
    setup(false, false);
    ASSERT_REPLY("qqemu.sstepbits", "ENABLE=1,NOIRQ=2,NOTIMER=4");
    ASSERT_REPLY("qqemu.sstep", "0x7");
    ASSERT_REPLY("Qqemu.sstep=1", "OK");
    ASSERT_REPLY("qqemu.sstep", "0x1");
    g_assert_null(ask("s"));
    g_assert_cmpint(fake.steps[0], ==, SSTEP_ENABLE);
    srv->running = false;
    ASSERT_REPLY("Qqemu.sstep=10", "E22");
    ASSERT_REPLY("Qqemu.sstep=", "E22");
    /* Physical memory mode is system mode's. */
    ASSERT_REPLY("qqemu.PhyMemMode", "");
    ASSERT_REPLY("Qqemu.PhyMemMode:1", "");
    teardown();

    setup(true, false);
    ASSERT_REPLY("qAttached", "1");
    ASSERT_REPLY("qqemu.PhyMemMode", "0");
    ASSERT_REPLY("Qqemu.PhyMemMode:1", "OK");
    ASSERT_REPLY("qqemu.PhyMemMode", "1");
    ASSERT_REPLY("m1000,1", "00");
    g_assert_true(fake.last_phys);
    ASSERT_REPLY("Qqemu.PhyMemMode:2", "E22");
    ASSERT_REPLY("Qqemu.PhyMemMode:0", "OK");
    ASSERT_REPLY("m1000,1", "00");
    g_assert_false(fake.last_phys);
    teardown();
}

static void test_breakpoints(void)
{
    setup(false, false);
    ASSERT_REPLY("Z0,10074,4", "OK");
    g_assert_cmpint(fake.bp_type, ==, GDB_BP_SW);
    g_assert_cmpuint(fake.bp_addr, ==, 0x10074);
    g_assert_cmpuint(fake.bp_len, ==, 4);
    ASSERT_REPLY("z1,20,2", "OK");
    g_assert_cmpint(fake.bp_type, ==, GDB_BP_HW);
    ASSERT_REPLY("Z2,3ffff0,8", "OK");
    g_assert_cmpint(fake.bp_type, ==, GDB_WP_WRITE);
    ASSERT_REPLY("Z4,3ffff0,8;X1,0", "OK");
    /* Unknown types are unsupported; the backend's refusals map to E22 or to "". */
    fake.bp_calls = 0;
    ASSERT_REPLY("Z5,0,0", "");
    g_assert_cmpint(fake.bp_calls, ==, 0);
    fake.bp_result = -ENOSYS;
    ASSERT_REPLY("Z3,0,4", "");
    fake.bp_result = -EINVAL;
    ASSERT_REPLY("Z3,0,4", "E22");
    fake.bp_result = 0;
    ASSERT_REPLY("Z0,10074", "E22");
    ASSERT_REPLY("Z,1,1", "E22");
    ASSERT_REPLY("Z0,1,1x", "E22");
    teardown();
}

static void test_stop_replies(void)
{
    GString *g = g_string_new(NULL);
    GdbStop st = {.kind = GDB_STOP_SWBREAK};

    setup(false, false);
    gdb_server_format_stop(srv, g, &st, 1);
    /* GDB did not say swbreak+: a plain trap. */
    g_assert_cmpstr(g->str, ==, "T05thread:1;");
    srv->gdb_swbreak = srv->gdb_hwbreak = true;
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "T05thread:1;swbreak:;");
    st.kind = GDB_STOP_HWBREAK;
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 2);
    g_assert_cmpstr(g->str, ==, "T05thread:2;hwbreak:;");
    st = (GdbStop){.kind = GDB_STOP_WATCH, .watch_type = GDB_WP_READ, .watch_addr = 0x1234};
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "T05thread:1;rwatch:1234;");
    st.watch_type = GDB_WP_WRITE;
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "T05thread:1;watch:1234;");
    st.watch_type = GDB_WP_ACCESS;
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "T05thread:1;awatch:1234;");
    st = (GdbStop){.kind = GDB_STOP_SIGNAL, .signal = SIGUSR1};
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "T1ethread:1;");
    st = (GdbStop){.kind = GDB_STOP_EXITED, .signal = 3};
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "W03");
    st = (GdbStop){.kind = GDB_STOP_KILLED, .signal = SIGSEGV};
    g_string_truncate(g, 0);
    gdb_server_format_stop(srv, g, &st, 1);
    g_assert_cmpstr(g->str, ==, "X0b");
    g_string_free(g, TRUE);
    teardown();
}

static void test_monitor(void)
{
    GPtrArray *a;
    GString *cmd = g_string_new("qRcmd,");
    g_autofree char *want = NULL;
    GString *h = g_string_new(NULL);

    setup(false, false);
    gdb_hex_encode(cmd, "info jit", 8);
    put(cmd->str, cmd->len);
    a = take(NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpint(((char *)a->pdata[0])[0], ==, 'O');
    gdb_hex_encode(h, "monitor commands are not available yet\n", 39);
    g_assert_cmpstr((char *)a->pdata[0] + 1, ==, h->str);
    g_assert_cmpstr(a->pdata[1], ==, "OK");
    g_ptr_array_free(a, TRUE);
    ASSERT_REPLY("qRcmd,6", "E22");
    ASSERT_REPLY("qRcmd,zz", "E22");
    ASSERT_REPLY("qRcmd,0061", "E22"); /* an embedded NUL */
    ASSERT_REPLY("qRcmd", "E22");
    teardown();

    setup(true, true);
    put(cmd->str, cmd->len);
    a = take(NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_string_truncate(h, 0);
    gdb_hex_encode(h, "ran 'info jit'\n", 15);
    want = g_strconcat("O", h->str, NULL);
    g_assert_cmpstr(a->pdata[0], ==, want);
    g_assert_cmpstr(a->pdata[1], ==, "OK");
    g_ptr_array_free(a, TRUE);
    g_string_assign(cmd, "qRcmd,");
    gdb_hex_encode(cmd, "fail", 4);
    put(cmd->str, cmd->len);
    a = take(NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(a->pdata[1], ==, "E01");
    g_ptr_array_free(a, TRUE);
    g_string_free(cmd, TRUE);
    g_string_free(h, TRUE);
    teardown();
}

static void test_pass_signals(void)
{
    setup(false, false);
    ASSERT_REPLY("QPassSignals:e;14;1e", "OK");
    g_assert_true(gdb_server_pass_signal(srv, SIGALRM));
    g_assert_true(gdb_server_pass_signal(srv, SIGUSR1));
    g_assert_true(gdb_server_pass_signal(srv, SIGCHLD));
    g_assert_false(gdb_server_pass_signal(srv, SIGSEGV));
    ASSERT_REPLY("QPassSignals:", "OK");
    g_assert_false(gdb_server_pass_signal(srv, SIGALRM));
    ASSERT_REPLY("QPassSignals:zz", "E22");
    ASSERT_REPLY("QPassSignals:1000", "E22");
    teardown();
}

static void test_detach_kill(void)
{
    setup(false, false);
    ASSERT_REPLY("D", "OK");
    g_assert_cmpint(fake.detaches, ==, 1);
    g_assert_cmpint(fake.remove_all, ==, 1);
    g_assert_false(srv->attached);
    /* Nothing more goes out. */
    put("?", 1);
    g_assert_cmpuint(fake.out->len, ==, 0);
    teardown();

    setup(false, false);
    g_assert_null(ask("k"));
    g_assert_cmpint(fake.kills, ==, 1);
    teardown();

    setup(false, false);
    ASSERT_REPLY("vKill;1", "OK");
    g_assert_cmpint(fake.kills, ==, 1);
    teardown();
}

/* Random packets with good checksums: every one is answered, with a well-formed packet. */
static void test_fuzz_dispatch(void)
{
    GRand *r = g_rand_new_with_seed(1234);
    static const char *const heads[] = {
        "m",
        "M",
        "X",
        "g",
        "G",
        "p",
        "P",
        "Z",
        "z",
        "H",
        "T",
        "q",
        "Q",
        "v",
        "vCont;",
        "qXfer:features:read:",
        "C",
        "S",
        "?",
        "qRcmd,",
        "qThreadExtraInfo,",
        "Qqemu.sstep=",
        "QPassSignals:",
        "qSupported:",
    };
    static const char alphabet[] = "0123456789abcdefxX,:;=-p.}*#$ \x01\xff";

    setup(false, true);
    for (int i = 0; i < 20000; i++) {
        GString *pkt = g_string_new(heads[g_rand_int_range(r, 0, G_N_ELEMENTS(heads))]);
        int n = g_rand_int_range(r, 0, 24);
        GPtrArray *a;

        for (int k = 0; k < n; k++) {
            g_string_append_c(pkt, alphabet[g_rand_int_range(r, 0, sizeof(alphabet) - 1)]);
        }
        {
            GString *esc = g_string_new(NULL);

            gdb_escape_binary(esc, pkt->str, pkt->len);
            put(esc->str, esc->len);
            g_string_free(esc, TRUE);
        }
        a = take(NULL);
        if (srv->running) {
            /* It resumed: stop again so that the next packet is answered. */
            GdbStop stop = {.kind = GDB_STOP_SIGNAL, .signal = SIGTRAP};

            g_ptr_array_free(a, TRUE);
            gdb_server_stopped(srv, NULL, &stop);
            a = take(NULL);
        }
        g_assert_cmpuint(a->len, >=, 1);
        g_ptr_array_free(a, TRUE);
        g_string_free(pkt, TRUE);
        if (!srv->attached) {
            teardown();
            setup(false, true);
        }
    }
    teardown();
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    GString *x = g_string_new("<feature name=\"org.fake\">");

    for (int i = 0; i < 400; i++) {
        g_string_append_printf(x, "<reg name=\"r%d\" bitsize=\"64\" regnum=\"%d\"/>\n", i, i);
    }
    g_string_append(x, "<!-- * # $ } -->\n</feature>\n");
    big_xml = g_string_free(x, FALSE);

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/cmds/supported", test_supported);
    g_test_add_func("/gdbstub/cmds/acks", test_acks);
    g_test_add_func("/gdbstub/cmds/registers", test_registers);
    g_test_add_func("/gdbstub/cmds/memory", test_memory);
    g_test_add_func("/gdbstub/cmds/xfer", test_xfer);
    g_test_add_func("/gdbstub/cmds/threads", test_threads);
    g_test_add_func("/gdbstub/cmds/resume", test_resume);
    g_test_add_func("/gdbstub/cmds/sstep-settings", test_sstep_settings);
    g_test_add_func("/gdbstub/cmds/breakpoints", test_breakpoints);
    g_test_add_func("/gdbstub/cmds/stop-replies", test_stop_replies);
    g_test_add_func("/gdbstub/cmds/monitor", test_monitor);
    g_test_add_func("/gdbstub/cmds/pass-signals", test_pass_signals);
    g_test_add_func("/gdbstub/cmds/detach-kill", test_detach_kill);
    g_test_add_func("/gdbstub/cmds/fuzz-dispatch", test_fuzz_dispatch);
    return g_test_run();
}
