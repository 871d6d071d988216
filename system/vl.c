/*
 * main() of morph-system-<arch>: QEMU's start-up sequence (softmmu/vl.c)
 * in order.  Parse the command line (system/options.c), answer the help
 * requests, check what needs the whole line, set up logging, detach with
 * -daemonize, start TCG, create the chardevs, build the machine, load the
 * images, add -device devices, attach the monitors (vl-monitor.c) and the
 * GDB stub (vl-gdb.c), reset everything and run the main loop.
 * Every user mistake ends here with one line naming it and exit status 1
 * (error_report_err); library layers only return errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "chardev/char.h"
#include "config-host.h"
#include "exec/cpu-exec.h"
#include "hw/boards.h"
#include "block/block.h"
#include "hw/qdev.h"
#include "hw/virtio/virtio-bus.h"
#include "net/net.h"
#include "system/bql.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "target/riscv/cpu.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "vl-internal.h"

static SystemConfig config;
static MachineState machine;
static Opts *machine_merged;
static int daemon_pipe = -1;

static __attribute__((noreturn)) void vl_fail(Error *err)
{
    error_report_err(err);
    exit(1);
}

/* ---- help and lists */

static void vl_print_device(const DeviceClass *dc, void *opaque)
{
    /* QEMU's bus names: virtio front ends sit on a virtio-mmio transport's bus. */
    const char *bus = strcmp(dc->name, "virtconsole") == 0      ? "virtio-serial-bus"
                      : g_str_has_prefix(dc->name, "virtio-") && !dc->sysbus ? "virtio-bus"
                                                                             : "System";

    printf("name \"%s\", bus %s%s%s%s\n", dc->name, bus, dc->desc ? ", desc \"" : "",
           dc->desc ? dc->desc : "", dc->desc ? "\"" : "");
}

static void vl_device_help(void)
{
    printf("Devices:\n");
    device_class_foreach(vl_print_device, NULL);
}

static void vl_handle_help_requests(const char *progname)
{
    if (config.want_version) {
        printf("QEMU emulator version 7.2.0 (morph %s)\n"
               "Copyright (c) 2026 the morph developers; command line of QEMU 7.2\n",
               MORPH_VERSION);
        exit(0);
    }
    if (config.want_help) {
        system_print_help(progname);
        exit(0);
    }
    if (config.want_machine_help) {
        machine_class_print_list(stdout);
        exit(0);
    }
    if (config.want_cpu_help) {
        riscv_cpu_list_models(stdout);
        exit(0);
    }
    if (config.want_device_help) {
        vl_device_help();
        exit(0);
    }
    if (config.device_help_type) {
        const DeviceClass *dc = device_class_find(config.device_help_type);

        if (!dc) {
            error_report("-device %s,help: '%s' is not a valid device model name",
                         config.device_help_type, config.device_help_type);
            exit(1);
        }
        qdev_print_props(stdout, dc);
        exit(0);
    }
    if (config.want_chardev_help) {
        qemu_chr_print_help(stdout);
        exit(0);
    }
}

/* ---- -machine */

/* Every -machine occurrence as one option list (later values win). */
static void vl_merge_machine_opts(void)
{
    GString *s = g_string_new(NULL);
    Error *err = NULL;

    for (unsigned i = 0; i < config.machine_opts->len; i++) {
        const Opts *o = g_ptr_array_index(config.machine_opts, i);

        for (unsigned k = 0; k < o->count; k++) {
            g_string_append_printf(s, "%s%s=", s->len ? "," : "", o->items[k].key);
            for (const char *c = o->items[k].value; *c; c++) {
                g_string_append_c(s, *c);
                if (*c == ',') {
                    g_string_append_c(s, ',');
                }
            }
        }
    }
    machine_merged = opts_parse(s->str, NULL, &err);
    g_string_free(s, TRUE);
    if (!machine_merged) {
        vl_fail(err);
    }
}

static const char *const machine_generic_keys[] = {
    "type", "accel", "dumpdtb", "dtb", "kernel", "initrd", "append", "firmware",
    "dump-guest-core", "mem-merge", "graphics", "usb", "suppress-vmdesc", "dt-compatible",
    "memory-backend", NULL,
};

static const MachineClass *vl_select_machine(void)
{
    const char *type = opts_get(machine_merged, "type");
    const MachineClass *mc = type ? machine_class_find(type) : machine_class_default();

    if (!mc) {
        error_report("unsupported machine type (use -machine help to list supported machines)");
        exit(1);
    }
    for (unsigned i = 0; i < machine_merged->count; i++) {
        const char *key = machine_merged->items[i].key;

        if (!g_strv_contains(machine_generic_keys, key) && !machine_class_has_prop(mc, key)) {
            error_report("Property '%s-machine.%s' not found", mc->name, key);
            exit(1);
        }
    }
    if (opts_get(machine_merged, "accel") &&
        strcmp(opts_get(machine_merged, "accel"), "tcg") != 0) {
        error_report("invalid accelerator %s", opts_get(machine_merged, "accel"));
        exit(1);
    }
    if (opts_get(machine_merged, "memory-backend")) {
        error_report("-machine memory-backend: memory backends are not supported yet");
        exit(1);
    }
    return mc;
}

/* ---- -rtc */

static bool vl_parse_rtc(const char *arg, Error **errp)
{
    static const char *const keys[] = {"base", "clock", "driftfix", NULL};
    Opts *o;
    const char *base, *clock;

    if (!arg) {
        return true;
    }
    o = opts_parse(arg, "base", errp);
    if (!o) {
        return false;
    }
    if (!opts_check_keys(o, keys, errp)) {
        opts_free(o);
        return false;
    }
    base = opts_get(o, "base");
    clock = opts_get(o, "clock");
    if (clock) {
        if (strcmp(clock, "host") == 0) {
            machine_rtc_config.clock = MORPH_CLOCK_HOST;
        } else if (strcmp(clock, "rt") == 0) {
            machine_rtc_config.clock = MORPH_CLOCK_REALTIME;
        } else if (strcmp(clock, "vm") == 0) {
            machine_rtc_config.clock = MORPH_CLOCK_VIRTUAL;
        } else {
            error_setg(errp, "invalid option value '%s'", clock);
            opts_free(o);
            return false;
        }
    }
    if (base && strcmp(base, "utc") != 0) {
        time_t now = time(NULL);
        struct tm tm;

        if (strcmp(base, "localtime") == 0) {
            localtime_r(&now, &tm);
            machine_rtc_config.start_offset_s = tm.tm_gmtoff;
        } else {
            memset(&tm, 0, sizeof(tm));
            if (sscanf(base, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 &&
                sscanf(base, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
                error_setg(errp, "invalid datetime format (valid formats: '2006-06-17T16:01:21' "
                                 "or '2006-06-17')");
                opts_free(o);
                return false;
            }
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            machine_rtc_config.start_offset_s = (int64_t)timegm(&tm) - (int64_t)now;
        }
    }
    opts_free(o);
    return true;
}

/* ---- checks that need the whole command line */

static void vl_check_config(void)
{
    if (config.nographic && config.daemonize) {
        error_report("-nographic cannot be used with -daemonize");
        exit(1);
    }
    if (config.append && !config.kernel) {
        error_report("-append only allowed with -kernel option");
        exit(1);
    }
    if (config.initrd && !config.kernel) {
        error_report("-initrd only allowed with -kernel option");
        exit(1);
    }
    for (unsigned i = 0; i < config.drives->len; i++) {
        DriveOpt *d = g_ptr_array_index(config.drives, i);

        if (strcmp(d->interface, "none") == 0 || strcmp(d->interface, "virtio") == 0) {
            continue;
        }
        {
            error_report("-drive %s: machine type does not support if=%s,bus=0,unit=0", d->arg,
                         d->interface);
        }
        exit(1);
    }
}

static bool vl_backend_check(PropertyKind kind, const char *id)
{
    if (kind == PROP_DRIVE) {
        for (unsigned i = 0; i < config.drives->len; i++) {
            DriveOpt *d = g_ptr_array_index(config.drives, i);

            if (d->id && strcmp(d->id, id) == 0) {
                return true;
            }
        }
        return false;
    }
    for (unsigned i = 0; i < config.netdevs->len; i++) {
        const Opts *o = g_ptr_array_index(config.netdevs, i);

        if (strcmp(opts_get(o, "id"), id) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- -daemonize, -pidfile */

static void vl_daemonize(void)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        error_report("cannot daemonize: %s", strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("cannot daemonize: %s", strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        char status = 1;
        ssize_t n;

        /* The parent reports how start-up went, then leaves. */
        close(fds[1]);
        do {
            n = read(fds[0], &status, 1);
        } while (n < 0 && errno == EINTR);
        exit(n == 1 && status == 0 ? 0 : 1);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
    qemu_chr_set_daemonized(true);
}

/* Start-up went well: the daemon's parent may exit, stdio goes to /dev/null. */
static void vl_daemonize_done(void)
{
    char ok = 0;
    int null;

    if (daemon_pipe < 0) {
        return;
    }
    if (chdir("/") < 0) {
        /* Nothing to do about it. */
    }
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        if (!config.log_file) {
            dup2(null, 2);
        }
        close(null);
    }
    if (write(daemon_pipe, &ok, 1) != 1) {
        /* The parent is gone; carry on. */
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

static void vl_write_pidfile(void)
{
    char buf[32];
    int fd;

    if (!config.pidfile) {
        return;
    }
    fd = open(config.pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_report("cannot create PID file: Could not create '%s': %s", config.pidfile,
                     strerror(errno));
        exit(1);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        error_report("cannot create PID file: Cannot lock pid file '%s': %s", config.pidfile,
                     strerror(errno));
        exit(1);
    }
    snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
        error_report("cannot create PID file: Failed to write '%s': %s", config.pidfile,
                     strerror(errno));
        exit(1);
    }
    /* The descriptor stays open (and locked) until the process ends. */
}

/* ---- chardevs and serial ports */

static void vl_create_chardevs(void)
{
    Error *err = NULL;

    for (unsigned i = 0; i < config.chardevs->len; i++) {
        if (!qemu_chr_new_from_opts(g_ptr_array_index(config.chardevs, i), &err)) {
            error_prepend(&err, "-chardev %s", (const char *)g_ptr_array_index(
                                                   config.chardev_args, i));
            vl_fail(err);
        }
    }
    /*
     * QEMU's defaults (qemu_create_default_devices): -nographic puts the
     * serial port and the human monitor on stdio, multiplexed (C-a c)
     * unless -serial, -monitor, -qmp or -mon took one of them elsewhere.
     */
    if (config.nodefaults) {
        config.default_monitor = false;
    }
    if (config.serial->len == 0 && !config.nodefaults) {
        g_ptr_array_add(config.serial, !config.nographic         ? "null"
                                       : config.default_monitor ? "mon:stdio"
                                                                : "stdio");
    } else if (config.nographic && config.default_monitor) {
        MonitorOpt *m = g_new0(MonitorOpt, 1);

        m->arg = m->dev = "stdio";
        g_ptr_array_add(config.monitors, m);
    }
    for (unsigned i = 0; i < config.serial->len && i < MACHINE_MAX_SERIAL; i++) {
        const char *spec = g_ptr_array_index(config.serial, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);

        if (strcmp(spec, "none") == 0) {
            continue;
        }
        machine.serial[i] = qemu_chr_new(label, spec, &err);
        if (!machine.serial[i]) {
            error_prepend(&err, "-serial %s", spec);
            vl_fail(err);
        }
    }
}

/* ---- the machine */

static void vl_build_machine(const MachineClass *mc)
{
    const char *dumpdtb = opts_get(machine_merged, "dumpdtb");
    Error *err = NULL;

    machine.mc = mc;
    machine.opts = machine_merged;
    machine.ram_size = config.ram_size ? config.ram_size : mc->default_ram_size;
    machine.smp_cpus = config.smp_cpus ? config.smp_cpus : mc->default_cpus;
    machine.cpu_model = config.cpu_model;
    machine.firmware = config.firmware ? config.firmware : opts_get(machine_merged, "firmware");
    machine.kernel_filename = config.kernel ? config.kernel : opts_get(machine_merged, "kernel");
    machine.initrd_filename = config.initrd ? config.initrd : opts_get(machine_merged, "initrd");
    machine.kernel_cmdline = config.append ? config.append : opts_get(machine_merged, "append");
    machine.dtb = config.dtb ? config.dtb : opts_get(machine_merged, "dtb");
    machine.dumpdtb = dumpdtb;

    if (machine.smp_cpus > mc->max_cpus) {
        error_report("Invalid SMP CPUs %u. The max CPUs supported by machine '%s' is %u",
                     machine.smp_cpus, mc->name, mc->max_cpus);
        exit(1);
    }
    if (!mc->init(&machine, &err)) {
        vl_fail(err);
    }
    if (dumpdtb) {
        GError *gerr = NULL;

        if (!g_file_set_contents(dumpdtb, machine.fdt, (gssize)machine.fdt_size, &gerr)) {
            error_report("Failed to write dtb to %s: %s", dumpdtb, gerr->message);
            exit(1);
        }
        fprintf(stderr, "%s: info: dtb dumped to %s. Exiting.\n", g_get_prgname(), dumpdtb);
        exit(0);
    }
}

/*
 * -drive and -netdev back ends, before the -device front ends that name
 * them; a -drive if=virtio gets its virtio-blk-device here, as QEMU does.
 */
static void vl_create_backends(void)
{
    Error *err = NULL;

    for (unsigned i = 0; i < config.drives->len; i++) {
        DriveOpt *d = g_ptr_array_index(config.drives, i);
        g_autofree char *id = d->id ? g_strdup(d->id) : g_strdup_printf("virtio%u", i);
        BlockBackend *blk = blk_new_open_drive(d->arg, &err);
        DeviceState *dev;

        if (!blk) {
            error_prepend(&err, "-drive %s", d->arg);
            vl_fail(err);
        }
        virtio_bus_add_drive(id, blk);
        vl_monitor_add_drive(id, blk);
        if (strcmp(d->interface, "virtio") == 0) {
            dev = qdev_new("virtio-blk-device");
            qdev_prop_set_string(dev, "drive", id);
            if (!qdev_realize(dev, &err)) {
                error_prepend(&err, "-drive %s", d->arg);
                vl_fail(err);
            }
        }
    }
    for (unsigned i = 0; i < config.netdevs->len; i++) {
        if (!net_netdev_add_opts(g_ptr_array_index(config.netdevs, i), &err)) {
            error_prepend(&err, "-netdev %s", opts_get(g_ptr_array_index(config.netdevs, i),
                                                       "id"));
            vl_fail(err);
        }
    }
    net_start();
}

static void vl_create_devices(void)
{
    Error *err = NULL;

    qdev_backend_check = vl_backend_check;
    for (unsigned i = 0; i < config.devices->len; i++) {
        if (!qdev_device_add(g_ptr_array_index(config.devices, i), &err)) {
            error_prepend(&err, "-device %s", (const char *)g_ptr_array_index(
                                                  config.device_args, i));
            vl_fail(err);
        }
    }
    if (!virtio_bus_create_nics(&err)) {
        error_prepend(&err, "-nic");
        vl_fail(err);
    }
}

static void vl_start_tcg(void)
{
    TCGExecConfig tc = {
        .ops = &riscv64_target_ops,
        .softmmu = true,
        .backend = config.backend ? tcg_backend_by_name(config.backend) : NULL,
    };
    Error *err = NULL;

    if (!tcg_exec_init(&tc, &err)) {
        vl_fail(err);
    }
    if (config.one_insn_per_tb) {
        tcg_set_one_insn_per_tb(true);
    }
    memory_set_page_bits(riscv64_target_ops.page_bits);
}

static void vl_setup_logging(void)
{
    Error *err = NULL;

    if (config.log_items) {
        bool help = false;
        uint32_t mask = log_parse_mask(config.log_items, &help, &err);

        if (err) {
            vl_fail(err);
        }
        log_set_mask(mask);
    }
    if (config.log_file && !log_set_file(config.log_file, &err)) {
        vl_fail(err);
    }
}

int main(int argc, char **argv)
{
    char *progname = g_path_get_basename(argv[0]);
    RunstateConfig rc = {0};
    const MachineClass *mc;
    Error *err = NULL;

    /* GLib keeps its own copy (a quark); main never returns to free ours. */
    g_set_prgname(progname);
    g_free(progname);
    error_set_progname(argv[0]);
    config.machine_opts = g_ptr_array_new();
    config.machine_text = g_string_new(NULL);
    config.serial = g_ptr_array_new();
    config.chardevs = g_ptr_array_new();
    config.chardev_args = g_ptr_array_new();
    config.devices = g_ptr_array_new();
    config.device_args = g_ptr_array_new();
    config.drives = g_ptr_array_new();
    config.netdevs = g_ptr_array_new();
    config.monitors = g_ptr_array_new();
    config.default_monitor = true;

    if (!system_parse_args(argc, argv, &config)) {
        exit(1);
    }
    vl_handle_help_requests(g_get_prgname());
    vl_merge_machine_opts();
    mc = vl_select_machine();
    vl_check_config();
    if (!vl_parse_rtc(config.rtc_arg, &err)) {
        error_prepend(&err, "-rtc %s", config.rtc_arg);
        vl_fail(err);
    }
    vl_setup_logging();
    if (config.daemonize) {
        vl_daemonize();
    }
    vl_write_pidfile();

    rc.no_reboot = config.no_reboot;
    rc.no_shutdown = config.no_shutdown;
    rc.pidfile = config.pidfile;
    runstate_init(&machine, &rc);

    vl_start_tcg();
    vl_monitor_init(&machine, &config);
    bql_lock();
    vl_create_chardevs();
    vl_build_machine(mc);
    vl_create_backends();
    vl_create_devices();
    cpus_init(&machine);
    vl_monitor_create(&config, &machine);
    if (config.gdb_dev && !vl_gdb_start(config.gdb_dev, &err)) {
        error_prepend(&err, "-gdb %s", config.gdb_dev);
        vl_fail(err);
    }
    qemu_system_reset();
    bql_unlock();
    /* wait=on monitors: the first client comes before the guest starts. */
    vl_monitor_wait();
    bql_lock();
    if (!config.start_paused) {
        vm_start();
    }
    bql_unlock();
    vl_daemonize_done();
    runstate_main_loop();
}
