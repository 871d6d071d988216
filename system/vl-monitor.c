/*
 * The monitors of the system emulator: what `-qmp`, `-qmp-pretty`,
 * `-monitor`, `-mon` and `-nographic`'s console ask for (QEMU 7.2's
 * softmmu/vl.c monitor_parse and monitor_init), and the MonitorHooks that
 * connect the command table (monitor/commands.c) to this machine: run
 * state, vCPUs, memory, chardevs, block backends.
 *
 * Where a monitor lives:
 *  - a socket spec (`unix:PATH,server=on[,wait=off]`, `tcp:HOST:PORT,...`)
 *    gets a monitor/server.c listener, one session per client (up to
 *    MONITOR_SERVER_MAX_CLIENTS; a QEMU chardev would serve one);
 *  - anything else (`stdio`, `pty`, `chardev:ID`, `-mon chardev=ID`) is a
 *    chardev frontend: a Monitor fed from the chardev's input, opened and
 *    closed with its peer (CHR_EVENT_OPENED/CLOSED);
 *  - a mux (`-serial mon:stdio`, the -nographic default, a -chardev with
 *    mux=on) gets the monitor as its second frontend, after the serial
 *    port: C-a c moves the focus between them, and the HMP session opens
 *    at its first focus (CHR_EVENT_MUX_IN), as QEMU's does.
 *
 * Hooks run on the main loop, from socket monitors without the big lock
 * and from chardev monitors with it: each takes it if needed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "block/block.h"
#include "chardev/char.h"
#include "exec/cpu-exec.h"
#include "exec/cputlb.h"
#include "hw/boards.h"
#include "hw/qdev.h"
#include "monitor/monitor.h"
#include "system/bql.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "vl-internal.h"

typedef struct VlDrive {
    char *id;
    BlockBackend *blk;
} VlDrive;

/* A monitor on a chardev. */
typedef struct VlChrMonitor {
    CharBackend be;
    Monitor *mon;
    bool on_mux;
} VlChrMonitor;

static struct {
    MachineState *ms;
    const SystemConfig *cfg;
    GPtrArray *drives;  /* VlDrive * */
    GPtrArray *servers; /* MonitorServer * */
    GPtrArray *server_specs; /* their specs, for the wait message */
    GPtrArray *strings; /* what the last hook call lent the monitor */
} vm_ = {0};

/* Take the big lock for a hook unless the caller holds it already. */
static bool vlm_lock(void)
{
    if (bql_locked()) {
        return false;
    }
    bql_lock();
    return true;
}

static void vlm_unlock(bool taken)
{
    if (taken) {
        bql_unlock();
    }
}

/* A string that must live until the hook returns to the monitor (which copies it). */
static const char *vlm_lend(char *s)
{
    if (!vm_.strings) {
        vm_.strings = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(vm_.strings, s);
    return s;
}

static void vlm_forget_strings(void)
{
    if (vm_.strings) {
        g_ptr_array_set_size(vm_.strings, 0);
    }
}

static CPUState *vlm_cpu(int64_t cpu_index)
{
    MachineState *ms = vm_.ms;

    if (cpu_index < 0 || !ms || cpu_index >= (int64_t)ms->ncpus) {
        return NULL;
    }
    return ms->cpus[cpu_index];
}

/* ---- run state */

static const char *vlm_run_state(void *opaque)
{
    return runstate_name(runstate_get());
}

static const char *vlm_vm_name(void *opaque)
{
    return vm_.cfg->name;
}

static bool vlm_stop(void *opaque, Error **errp)
{
    bool t = vlm_lock();

    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    vlm_unlock(t);
    return true;
}

static bool vlm_cont(void *opaque, Error **errp)
{
    bool t = vlm_lock();
    bool ok = true;

    if (runstate_needs_reset()) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        ok = false;
    } else {
        vm_start();
    }
    vlm_unlock(t);
    return ok;
}

static bool vlm_system_reset(void *opaque, Error **errp)
{
    qemu_system_reset_request_qmp();
    return true;
}

static bool vlm_system_powerdown(void *opaque, Error **errp)
{
    bool t = vlm_lock();

    qemu_system_powerdown_request();
    vlm_unlock(t);
    return true;
}

static void vlm_quit(void *opaque)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
}

/* ---- lists */

static void vlm_query_machines(void *opaque, GArray *out)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    char **lines;

    /* The registry has no iterator: its -M help list names every class. */
    machine_class_print_list(f);
    fclose(f);
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *name = g_strndup(*l, strcspn(*l, " "));
        const MachineClass *mc = *name && !strstr(*l, "(alias of ") ? machine_class_find(name)
                                                                     : NULL;

        if (mc && strcmp(mc->name, name) == 0) {
            MonitorMachineInfo m = {
                .name = mc->name,
                .alias = mc->alias,
                .is_default = mc->is_default,
                .cpu_max = mc->max_cpus,
                .default_cpu_type = "rv64-riscv-cpu",
                .default_ram_id = mc->default_ram_id,
            };

            g_array_append_val(out, m);
        }
        g_free(name);
    }
    g_strfreev(lines);
    free(text);
}

static void vlm_query_cpus(void *opaque, GArray *out)
{
    MachineState *ms = vm_.ms;

    vlm_forget_strings();
    for (unsigned i = 0; ms && i < ms->ncpus; i++) {
        /* QEMU 7.2's riscv virt: one socket, "core-id" per hart. */
        MonitorCpuInfo c = {
            .cpu_index = ms->cpus[i]->cpu_index,
            .thread_id = cpus_thread_id(),
            .qom_path = vlm_lend(g_strdup_printf("/machine/soc0/harts[%u]", i)),
            .target = "riscv64",
            .node_id = -1,
            .socket_id = -1,
            .core_id = i,
            .thread_id_prop = -1,
        };

        g_array_append_val(out, c);
    }
}

static void vlm_query_block(void *opaque, GArray *out)
{
    bool t = vlm_lock();

    for (unsigned i = 0; vm_.drives && i < vm_.drives->len; i++) {
        VlDrive *d = g_ptr_array_index(vm_.drives, i);
        BlockDriverState *bs = blk_bs(d->blk);
        MonitorBlockInfo b = {
            .device = d->id,
            .inserted = bs != NULL,
        };

        if (bs) {
            BlockDriverState *backing = bdrv_get_backing(bs);
            int depth = 0;

            for (BlockDriverState *p = backing; p; p = bdrv_get_backing(p)) {
                depth++;
            }
            b.node_name = bdrv_get_node_name(bs);
            b.file = bdrv_get_filename(bs);
            b.drv = bdrv_get_format_name(bs);
            b.ro = bdrv_is_read_only(bs);
            b.backing_file = bdrv_get_backing_filename(bs);
            if (b.backing_file && !*b.backing_file) {
                b.backing_file = NULL;
            }
            b.backing_file_depth = depth;
            b.virtual_size = blk_getlength(d->blk);
            b.cache_writeback = !blk_is_writethrough(d->blk);
        }
        g_array_append_val(out, b);
    }
    vlm_unlock(t);
}

static void vlm_chardev_one(Chardev *chr, void *opaque)
{
    MonitorChardevInfo c = {
        .label = qemu_chr_label(chr),
        .filename = qemu_chr_filename(chr),
        .frontend_open = qemu_chr_has_frontend(chr),
    };

    g_array_append_val((GArray *)opaque, c);
}

static void vlm_query_chardev(void *opaque, GArray *out)
{
    qemu_chr_foreach(vlm_chardev_one, out);
}

static const char *vlm_prop_type(PropertyKind kind)
{
    switch (kind) {
    case PROP_BOOL:
        return "bool";
    case PROP_UINT8:
        return "uint8";
    case PROP_UINT16:
        return "uint16";
    case PROP_UINT32:
        return "uint32";
    case PROP_UINT64:
        return "uint64";
    case PROP_INT32:
        return "int32";
    case PROP_SIZE:
        return "size";
    case PROP_STRING:
        return "str";
    case PROP_CHR:
        return "str";
    case PROP_DRIVE:
        return "str";
    case PROP_NETDEV:
        return "str";
    }
    return "str";
}

static int vlm_device_list_properties(void *opaque, const char *type_name, GArray *out,
                                      Error **errp)
{
    const DeviceClass *dc = device_class_find(type_name);

    if (!dc) {
        return MONITOR_DEVICE_NOT_FOUND;
    }
    for (const Property *p = dc->props; p && p->name; p++) {
        MonitorPropInfo info = {
            .name = p->name,
            .type = vlm_prop_type(p->kind),
            .description = p->desc,
        };

        g_array_append_val(out, info);
    }
    return 0;
}

/* ---- memory and registers */

static bool vlm_memory_read(void *opaque, int64_t cpu_index, uint64_t addr, bool physical,
                            void *buf, size_t len)
{
    CPUState *cs = vlm_cpu(cpu_index);
    uint64_t page = cs ? (uint64_t)1 << cs->ops->page_bits : 4096;
    size_t done = 0;
    bool ok = true;
    bool t;

    if (!cs) {
        return false;
    }
    t = vlm_lock();
    while (ok && done < len) {
        uint64_t a = addr + done;
        size_t chunk = MIN(len - done, page - (a & (page - 1)));
        hwaddr pa = a;

        if (!physical) {
            pa = cs->ops->get_phys_page_debug ? cs->ops->get_phys_page_debug(cs, a & ~(page - 1))
                                              : (hwaddr)-1;
            ok = pa != (hwaddr)-1;
            pa += a & (page - 1);
        }
        ok = ok && address_space_read(cs->as, pa, 0, (uint8_t *)buf + done, chunk) == MEMTX_OK;
        done += chunk;
    }
    vlm_unlock(t);
    return ok;
}

/* $name in HMP expressions: the GDB register numbers of target/riscv/gdbstub.c. */
static bool vlm_get_register(void *opaque, int64_t cpu_index, const char *name, uint64_t *value)
{
    static const char *const abi[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
        "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    CPUState *cs = vlm_cpu(cpu_index);
    uint8_t buf[16] = {0};
    int n = -1;

    if (!cs || !cs->ops->gdb_read_register) {
        return false;
    }
    if (strcmp(name, "pc") == 0) {
        n = 32;
    } else if (strcmp(name, "fp") == 0) {
        n = 8;
    } else if (name[0] == 'x' && g_ascii_isdigit(name[1])) {
        char *end;
        long v = strtol(name + 1, &end, 10);

        n = (*end || v < 0 || v > 31) ? -1 : (int)v;
    }
    for (int i = 0; n < 0 && i < 32; i++) {
        if (strcmp(name, abi[i]) == 0) {
            n = i;
        }
    }
    if (n < 0 || cs->ops->gdb_read_register(cs, buf, n) <= 0) {
        return false;
    }
    *value = 0;
    for (int i = 7; i >= 0; i--) {
        *value = (*value << 8) | buf[i];
    }
    return true;
}

/* Run a FILE * printer into a GString. */
static void vlm_print_to(GString *out, void (*fn)(void *arg, FILE *f), void *arg)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);

    if (!f) {
        return;
    }
    fn(arg, f);
    fclose(f);
    g_string_append_len(out, text, (gssize)size);
    free(text);
}

static void vlm_dump_one_cpu(void *arg, FILE *f)
{
    CPUState *cs = arg;

    cs->ops->dump_state(cs, f, 0);
}

static void vlm_dump_registers(void *opaque, int64_t cpu_index, GString *out)
{
    MachineState *ms = vm_.ms;
    bool t = vlm_lock();

    for (unsigned i = 0; ms && i < ms->ncpus; i++) {
        CPUState *cs = ms->cpus[i];

        if (cpu_index >= 0 && cs->cpu_index != cpu_index) {
            continue;
        }
        /* QEMU's layout: a blank line and CPU#N before each hart. */
        g_string_append_printf(out, "\nCPU#%d\n", cs->cpu_index);
        if (cs->ops->dump_state) {
            vlm_print_to(out, vlm_dump_one_cpu, cs);
        }
    }
    vlm_unlock(t);
}

static void vlm_dump_mtree(void *opaque, bool flatview, bool owner, bool disabled, GString *out)
{
    bool t = vlm_lock();

    memory_mtree_dump(out, flatview, owner, disabled);
    vlm_unlock(t);
}

/*
 * info tlb: the hart's softmmu TLB, one line per valid entry: MMU index,
 * guest virtual page, physical page, and what it allows (r/w/x).  QEMU's
 * riscv has no `info tlb` (it has `info mem`, the page tables); morph
 * shows what its translator actually caches.
 */
static void vlm_dump_tlb(void *opaque, int64_t cpu_index, GString *out)
{
    CPUState *cs = vlm_cpu(cpu_index);
    uint64_t page_mask;
    bool t;
    unsigned count = 0;

    if (!cs || !cs->tlb) {
        g_string_append(out, "no TLB\n");
        return;
    }
    page_mask = ~(((uint64_t)1 << cs->ops->page_bits) - 1);
    t = vlm_lock();
    g_string_append(out, "mmu vaddr            paddr            access\n");
    for (int mmu = 0; mmu < NB_MMU_MODES; mmu++) {
        for (int i = 0; i < CPU_TLB_SIZE; i++) {
            const CPUTLBEntry *e = &cs->tlb[mmu].table[i];
            const CPUTLBEntryFull *full = &cs->tlb[mmu].full[i];
            uint64_t r = e->addr_read, w = e->addr_write, x = e->addr_code;
            uint64_t v = r != (uint64_t)-1 ? r : w != (uint64_t)-1 ? w : x;

            if (v == (uint64_t)-1 || (v & TLB_INVALID_MASK)) {
                continue;
            }
            g_string_append_printf(out, "%-3d %016" PRIx64 " %016" PRIx64 " %c%c%c\n", mmu,
                                   v & page_mask, (uint64_t)full->phys_addr,
                                   r != (uint64_t)-1 ? 'r' : '-', w != (uint64_t)-1 ? 'w' : '-',
                                   x != (uint64_t)-1 ? 'x' : '-');
            count++;
        }
    }
    g_string_append_printf(out, "%u entries\n", count);
    vlm_unlock(t);
}

static void vlm_print_jit(void *arg, FILE *f)
{
    tcg_jit_stats_print(f);
}

static void vlm_dump_jit(void *opaque, GString *out)
{
    bool t = vlm_lock();

    vlm_print_to(out, vlm_print_jit, NULL);
    vlm_unlock(t);
}

static bool vlm_gdbserver(void *opaque, const char *device, Error **errp)
{
    bool t = vlm_lock();
    bool ok = vl_gdb_start(device, errp);

    vlm_unlock(t);
    return ok;
}

void vl_monitor_init(MachineState *ms, const SystemConfig *cfg)
{
    MonitorHooks h = {
        .run_state = vlm_run_state,
        .vm_name = vlm_vm_name,
        .stop = vlm_stop,
        .cont = vlm_cont,
        .system_reset = vlm_system_reset,
        .system_powerdown = vlm_system_powerdown,
        .quit = vlm_quit,
        .query_machines = vlm_query_machines,
        .query_cpus = vlm_query_cpus,
        .query_block = vlm_query_block,
        .query_chardev = vlm_query_chardev,
        .device_list_properties = vlm_device_list_properties,
        .memory_read = vlm_memory_read,
        .get_register = vlm_get_register,
        .dump_registers = vlm_dump_registers,
        .dump_mtree = vlm_dump_mtree,
        .dump_tlb = vlm_dump_tlb,
        .dump_jit = vlm_dump_jit,
        .gdbserver = vlm_gdbserver,
        .target_long_bits = 64,
        .target_big_endian = false,
    };

    vm_.ms = ms;
    vm_.cfg = cfg;
    monitor_set_hooks(&h);
}

void vl_monitor_add_drive(const char *id, BlockBackend *blk)
{
    VlDrive *d = g_new0(VlDrive, 1);

    if (!vm_.drives) {
        vm_.drives = g_ptr_array_new();
    }
    d->id = g_strdup(id);
    d->blk = blk;
    g_ptr_array_add(vm_.drives, d);
}

/* ---- monitors on chardevs */

static ssize_t vlm_chr_write(void *opaque, const void *buf, size_t len)
{
    VlChrMonitor *cm = opaque;
    int n = qemu_chr_fe_write_all(&cm->be, buf, (int)MIN(len, (size_t)INT32_MAX));

    return n < 0 ? -1 : n;
}

static const MonitorChannelOps vlm_chr_ops = {
    .write = vlm_chr_write,
};

static int vlm_chr_can_read(void *opaque)
{
    /* The monitor takes everything; a command runs before the next read. */
    return 4096;
}

static void vlm_chr_read(void *opaque, const uint8_t *buf, int size)
{
    VlChrMonitor *cm = opaque;

    monitor_input(cm->mon, buf, (size_t)size);
}

static void vlm_chr_event(void *opaque, QEMUChrEvent event)
{
    VlChrMonitor *cm = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        /* On a mux the session opens with the focus (C-a c), as in QEMU. */
        if (!cm->on_mux) {
            monitor_open(cm->mon);
        }
        break;
    case CHR_EVENT_CLOSED:
        if (!cm->on_mux) {
            monitor_close(cm->mon);
        }
        break;
    case CHR_EVENT_MUX_IN:
        monitor_mux_focus(cm->mon, true);
        break;
    case CHR_EVENT_MUX_OUT:
        monitor_mux_focus(cm->mon, false);
        break;
    default:
        break;
    }
}

static void vlm_attach_chardev(Chardev *chr, bool qmp, bool pretty, const char *what)
{
    VlChrMonitor *cm = g_new0(VlChrMonitor, 1);
    MonitorOptions o = {.mode = qmp ? MONITOR_MODE_QMP : MONITOR_MODE_HMP, .pretty = pretty};
    Error *err = NULL;

    if (!qemu_chr_fe_init(&cm->be, chr, &err)) {
        error_prepend(&err, "%s", what);
        error_report_err(err);
        exit(1);
    }
    cm->on_mux = qemu_chr_is_mux(chr);
    cm->mon = monitor_new(&o, &vlm_chr_ops, cm);
    qemu_chr_fe_set_handlers(&cm->be, vlm_chr_can_read, vlm_chr_read, vlm_chr_event, cm);
}

static bool vlm_is_socket_spec(const char *dev)
{
    return g_str_has_prefix(dev, "unix:") || g_str_has_prefix(dev, "tcp:");
}

static unsigned vlm_compat_count;

static void vlm_create_one(const MonitorOpt *m)
{
    g_autofree char *what = g_strdup_printf("-%s %s", m->chardev ? "mon" : m->qmp ? "qmp"
                                                                               : "monitor",
                                            m->arg);
    Error *err = NULL;
    Chardev *chr;

    if (m->chardev) {
        chr = qemu_chr_find(m->chardev);
        if (!chr) {
            error_report("%s: chardev \"%s\" not found", what, m->chardev);
            exit(1);
        }
        vlm_attach_chardev(chr, m->qmp, m->pretty, what);
        return;
    }
    if (vlm_is_socket_spec(m->dev)) {
        g_autofree char *spec = m->pretty ? g_strdup_printf("%s,pretty=on", m->dev)
                                          : g_strdup(m->dev);
        MonitorServer *srv = monitor_server_new(main_loop_default(), spec,
                                                m->qmp ? MONITOR_MODE_QMP : MONITOR_MODE_HMP,
                                                &err);

        if (!srv) {
            error_prepend(&err, "%s", what);
            error_report_err(err);
            exit(1);
        }
        if (!vm_.servers) {
            vm_.servers = g_ptr_array_new();
            vm_.server_specs = g_ptr_array_new_with_free_func(g_free);
        }
        g_ptr_array_add(vm_.servers, srv);
        g_ptr_array_add(vm_.server_specs, g_strdup(m->dev));
        return;
    }
    {
        g_autofree char *label = g_strdup_printf("compat_monitor%u", vlm_compat_count++);

        chr = qemu_chr_new(label, m->dev, &err);
        if (!chr) {
            error_prepend(&err, "%s", what);
            error_report_err(err);
            exit(1);
        }
        vlm_attach_chardev(chr, m->qmp, m->pretty, what);
    }
}

void vl_monitor_create(const SystemConfig *cfg, MachineState *ms)
{
    for (unsigned i = 0; i < cfg->monitors->len; i++) {
        vlm_create_one(g_ptr_array_index(cfg->monitors, i));
    }
    /* A "mon:" serial shares its device with a human monitor (QEMU's qemu_chr_new_noreplay). */
    for (unsigned i = 0; i < cfg->serial->len && i < MACHINE_MAX_SERIAL; i++) {
        const char *spec = g_ptr_array_index(cfg->serial, i);

        if (g_str_has_prefix(spec, "mon:") && ms->serial[i]) {
            vlm_attach_chardev(ms->serial[i], false, false, "-serial mon:");
        }
    }
}

void vl_monitor_wait(void)
{
    for (unsigned i = 0; vm_.servers && i < vm_.servers->len; i++) {
        MonitorServer *srv = g_ptr_array_index(vm_.servers, i);

        if (monitor_server_wants_wait(srv)) {
            /* QEMU's message, then block until the first client is there. */
            fprintf(stderr, "%s: info: QEMU waiting for connection on: disconnected:%s\n",
                    g_get_prgname(), (const char *)g_ptr_array_index(vm_.server_specs, i));
            monitor_server_wait(srv);
        }
    }
}
