/*
 * The command line of the system emulator, with QEMU's options, syntax
 * and messages (QEMU's qemu-options.hx and softmmu/vl.c; the manual's
 * "Invocation" chapter).  Options are a table: name, whether it takes an
 * argument, and the function that records it in SystemConfig.  Options
 * that name a missing piece of work are parsed and refused with a one-line
 * "not yet" error, so that a script never runs on with a feature silently
 * missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "config-host.h"
#include "net/net.h"
#include "util/log.h"
#include "vl-internal.h"

typedef bool (*OptHandler)(SystemConfig *cfg, const char *arg, Error **errp);

typedef struct SystemOption {
    const char *name;
    bool has_arg;
    OptHandler handler;
    const char *args;       /* for -help */
    const char *help;
} SystemOption;

static bool opt_wants_help(const char *arg)
{
    return strcmp(arg, "help") == 0 || strcmp(arg, "?") == 0;
}

/* ---- machine, CPU, memory */

static bool opt_machine(SystemConfig *cfg, const char *arg, Error **errp)
{
    Opts *o;

    if (opt_wants_help(arg)) {
        cfg->want_machine_help = true;
        return true;
    }
    o = opts_parse(arg, "type", errp);
    if (!o) {
        return false;
    }
    if (opts_get(o, "type") && opt_wants_help(opts_get(o, "type"))) {
        cfg->want_machine_help = true;
    }
    g_ptr_array_add(cfg->machine_opts, o);
    if (cfg->machine_text->len) {
        g_string_append_c(cfg->machine_text, ',');
    }
    g_string_append(cfg->machine_text, arg);
    return true;
}

static bool opt_cpu(SystemConfig *cfg, const char *arg, Error **errp)
{
    if (opt_wants_help(arg)) {
        cfg->want_cpu_help = true;
    }
    cfg->cpu_model = arg;
    return true;
}

static bool opt_m(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"size", "slots", "maxmem", NULL};
    Opts *o = opts_parse(arg, "size", errp);
    const char *size;
    uint64_t v;

    if (!o) {
        return false;
    }
    if (!opts_check_keys(o, keys, errp)) {
        opts_free(o);
        return false;
    }
    size = opts_get(o, "size");
    /* A bare number is MiB (QEMU's -m). */
    if (!size || !parse_size(size, 1024 * 1024, &v)) {
        error_setg(errp, "Parameter 'size' expects a non-negative number below 2^64 "
                         "(optional suffix k, M, G, T, P or E)");
        opts_free(o);
        return false;
    }
    opts_free(o);
    if (v == 0) {
        error_setg(errp, "RAM size must not be zero");
        return false;
    }
    cfg->ram_size = v;
    cfg->ram_arg = arg;
    return true;
}

static bool opt_smp(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"cpus", "maxcpus", "sockets", "dies", "clusters",
                                       "cores", "threads", NULL};
    uint64_t cpus = 0, maxcpus = 0, sockets = 0, dies = 1, clusters = 1, cores = 0,
             threads = 0;
    Opts *o = opts_parse(arg, "cpus", errp);
    bool ok;

    if (!o) {
        return false;
    }
    ok = opts_check_keys(o, keys, errp);
    for (unsigned i = 0; ok && i < o->count; i++) {
        uint64_t v;

        if (!parse_uint64(o->items[i].value, &v)) {
            error_setg(errp, "Parameter 'smp.%s' expects integer", o->items[i].key);
            ok = false;
        }
    }
    ok = ok && opts_get_number(o, "cpus", 0, &cpus, errp) &&
         opts_get_number(o, "maxcpus", 0, &maxcpus, errp) &&
         opts_get_number(o, "sockets", 0, &sockets, errp) &&
         opts_get_number(o, "dies", 1, &dies, errp) &&
         opts_get_number(o, "clusters", 1, &clusters, errp) &&
         opts_get_number(o, "cores", 0, &cores, errp) &&
         opts_get_number(o, "threads", 0, &threads, errp);
    opts_free(o);
    if (!ok) {
        return false;
    }
    /* QEMU's rules: what is missing comes from the rest; the product must match. */
    threads = threads ? threads : 1;
    if (!cpus) {
        cpus = (sockets ? sockets : 1) * dies * clusters * (cores ? cores : 1) * threads;
        if (maxcpus && !sockets && !cores) {
            cpus = maxcpus;
        }
    }
    maxcpus = maxcpus ? maxcpus : cpus;
    if (!sockets && !cores) {
        cores = 1;
        sockets = maxcpus / (dies * clusters * cores * threads);
    } else if (!sockets) {
        sockets = maxcpus / (dies * clusters * cores * threads);
    } else if (!cores) {
        cores = maxcpus / (sockets * dies * clusters * threads);
    }
    if (sockets * dies * clusters * cores * threads != maxcpus) {
        error_setg(errp,
                   "Invalid CPU topology: product of the hierarchy must match maxcpus: "
                   "sockets (%" PRIu64 ") * cores (%" PRIu64 ") * threads (%" PRIu64
                   ") != maxcpus (%" PRIu64 ")",
                   sockets, cores, threads, maxcpus);
        return false;
    }
    if (cpus > maxcpus) {
        error_setg(errp, "Invalid CPUs %" PRIu64 ": it must be less than or equal to maxcpus "
                   "(%" PRIu64 ")", cpus, maxcpus);
        return false;
    }
    if (cpus == 0) {
        warn_report("Deprecated CPU topology (considered invalid): CPU topology parameters "
                    "must be greater than zero");
        cpus = 1;
    }
    cfg->smp_cpus = (unsigned)MIN(cpus, 1u << 16);
    return true;
}

static bool opt_bios(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->firmware = arg;
    return true;
}

static bool opt_kernel(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->kernel = arg;
    return true;
}

static bool opt_initrd(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->initrd = arg;
    return true;
}

static bool opt_append(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->append = arg;
    return true;
}

static bool opt_dtb(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->dtb = arg;
    return true;
}

/* ---- devices and backends */

static bool opt_device(SystemConfig *cfg, const char *arg, Error **errp)
{
    Opts *o;

    if (opt_wants_help(arg)) {
        cfg->want_device_help = true;
        return true;
    }
    o = opts_parse(arg, "driver", errp);
    if (!o) {
        return false;
    }
    if (opts_has(o, "help") || opts_has(o, "?")) {
        cfg->device_help_type = g_strdup(opts_get(o, "driver"));
        opts_free(o);
        return true;
    }
    g_ptr_array_add(cfg->devices, o);
    g_ptr_array_add(cfg->device_args, (gpointer)arg);
    return true;
}

static bool opt_drive(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {
        "file", "format", "if", "id", "index", "bus", "unit", "media", "snapshot", "readonly",
        "read-only", "cache", "aio", "discard", "detect-zeroes", "werror", "rerror", "copy-on-read",
        "node-name", "driver", "cache.direct", "cache.no-flush", "throttling.iops-total",
        "throttling.bps-total", "serial", NULL,
    };
    static const char *const ifs[] = {"none", "virtio", "ide", "scsi", "sd", "mtd", "floppy",
                                      "pflash", NULL};
    Opts *o = opts_parse(arg, "file", errp);
    DriveOpt *d;
    const char *file, *iface;

    if (!o) {
        return false;
    }
    if (!opts_check_keys(o, keys, errp)) {
        opts_free(o);
        return false;
    }
    iface = opts_get_default(o, "if", "ide");
    if (!g_strv_contains(ifs, iface)) {
        error_setg(errp, "unsupported bus type '%s'", iface);
        opts_free(o);
        return false;
    }
    file = opts_get(o, "file");
    if (file && *file && access(file, R_OK) != 0) {
        error_setg(errp, "Could not open '%s': %s", file, strerror(errno));
        opts_free(o);
        return false;
    }
    d = g_new0(DriveOpt, 1);
    d->arg = g_strdup(arg);
    d->opts = o;
    d->id = g_strdup(opts_get(o, "id"));
    d->file = g_strdup(file);
    d->interface = g_strdup(iface);
    g_ptr_array_add(cfg->drives, d);
    return true;
}

static bool opt_netdev(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const types[] = {"user", "tap", "bridge", "socket", "stream", "dgram",
                                        "l2tpv3", "vde", "vhost-user", "vhost-vdpa", "hubport",
                                        "netmap", NULL};
    Opts *o = opts_parse(arg, "type", errp);
    const char *type;

    if (!o) {
        return false;
    }
    type = opts_get(o, "type");
    if (!type || !g_strv_contains(types, type)) {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type ? type : "");
        opts_free(o);
        return false;
    }
    if (!opts_get(o, "id")) {
        error_setg(errp, "Parameter 'id' is missing");
        opts_free(o);
        return false;
    }
    g_ptr_array_add(cfg->netdevs, o);
    return true;
}

static bool opt_nic(SystemConfig *cfg, const char *arg, Error **errp)
{
    /* The back end now; the board's virtio-net-device after -device (net/net.c). */
    return net_nic_add(arg, errp);
}

static bool opt_serial(SystemConfig *cfg, const char *arg, Error **errp)
{
    g_ptr_array_add(cfg->serial, (gpointer)arg);
    return true;
}

static bool opt_chardev(SystemConfig *cfg, const char *arg, Error **errp)
{
    Opts *o;

    if (opt_wants_help(arg)) {
        cfg->want_chardev_help = true;
        return true;
    }
    o = opts_parse(arg, "backend", errp);
    if (!o) {
        return false;
    }
    if (!opts_get(o, "id")) {
        error_setg(errp, "chardev: no id specified");
        opts_free(o);
        return false;
    }
    g_ptr_array_add(cfg->chardevs, o);
    g_ptr_array_add(cfg->chardev_args, (gpointer)arg);
    return true;
}

static void opt_add_monitor(SystemConfig *cfg, const char *arg, const char *dev,
                            const char *chardev, bool qmp, bool pretty)
{
    MonitorOpt *m = g_new0(MonitorOpt, 1);

    m->arg = arg;
    m->dev = dev;
    m->chardev = chardev;
    m->qmp = qmp;
    m->pretty = pretty;
    g_ptr_array_add(cfg->monitors, m);
    cfg->default_monitor = false;
}

/* -monitor DEV: the human monitor on a -serial style device; "none": no monitor. */
static bool opt_monitor(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->default_monitor = false;
    if (strcmp(arg, "none") == 0) {
        return true;
    }
    opt_add_monitor(cfg, arg, arg, NULL, false, false);
    return true;
}

static bool opt_qmp(SystemConfig *cfg, const char *arg, Error **errp)
{
    opt_add_monitor(cfg, arg, arg, NULL, true, false);
    return true;
}

static bool opt_qmp_pretty(SystemConfig *cfg, const char *arg, Error **errp)
{
    opt_add_monitor(cfg, arg, arg, NULL, true, true);
    return true;
}

/* -mon [chardev=]ID[,mode=readline|control][,pretty=on|off] (QEMU's monitor_parse_opts). */
static bool opt_mon(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"chardev", "mode", "pretty", "id", NULL};
    Opts *o = opts_parse(arg, "chardev", errp);
    const char *mode, *chardev;
    bool pretty = false, qmp;

    if (!o) {
        return false;
    }
    if (!opts_check_keys(o, keys, errp) || !opts_get_bool(o, "pretty", false, &pretty, errp)) {
        opts_free(o);
        return false;
    }
    mode = opts_get_default(o, "mode", "readline");
    if (strcmp(mode, "readline") == 0) {
        qmp = false;
    } else if (strcmp(mode, "control") == 0) {
        qmp = true;
    } else {
        error_setg(errp, "unknown monitor mode \"%s\"", mode);
        opts_free(o);
        return false;
    }
    chardev = opts_get(o, "chardev");
    if (!chardev) {
        error_setg(errp, "Parameter 'chardev' is missing");
        opts_free(o);
        return false;
    }
    opt_add_monitor(cfg, arg, NULL, g_strdup(chardev), qmp, pretty);
    opts_free(o);
    return true;
}

static bool opt_gdb(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->gdb_dev = strcmp(arg, "none") == 0 ? NULL : arg;
    return true;
}

static bool opt_s(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_gdb(cfg, "tcp::1234", errp);
}

/* ---- display and run control */

static bool opt_nographic(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->nographic = true;
    cfg->display_none = true;
    return true;
}

static bool opt_display(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = {"gtk", "sdl", "curses", "vnc", "egl-headless", "spice-app",
                                        "cocoa", "dbus", NULL};
    g_autofree char *type = g_strndup(arg, strcspn(arg, ","));

    if (strcmp(type, "none") == 0) {
        cfg->display_none = true;
        return true;
    }
    if (g_strv_contains(known, type)) {
        error_setg(errp, "Display '%s' is not available.", type);
    } else {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
    }
    return false;
}

static bool opt_flag(bool *flag)
{
    *flag = true;
    return true;
}

static bool opt_no_reboot(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->no_reboot);
}

static bool opt_no_shutdown(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->no_shutdown);
}

static bool opt_S(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->start_paused);
}

static bool opt_daemonize(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->daemonize);
}

static bool opt_snapshot(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->snapshot);
}

static bool opt_nodefaults(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->nodefaults);
}

static bool opt_ignored(SystemConfig *cfg, const char *arg, Error **errp)
{
    return true;
}

static bool opt_one_insn(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->one_insn_per_tb);
}

static bool opt_d(SystemConfig *cfg, const char *arg, Error **errp)
{
    bool is_help = false;
    uint32_t mask = log_parse_mask(arg, &is_help, errp);

    if (is_help) {
        log_print_help(stdout);
        exit(0);
    }
    if (!mask && errp && *errp) {
        return false;
    }
    cfg->log_items = arg;
    return true;
}

static bool opt_D(SystemConfig *cfg, const char *arg, Error **errp)
{
    int fd = open(arg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);

    if (fd < 0) {
        error_setg(errp, "Error opening logfile %s: %s", arg, strerror(errno));
        return false;
    }
    close(fd);
    cfg->log_file = arg;
    return true;
}

static bool opt_name(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"guest", "process", "debug-threads", NULL};
    Opts *o = opts_parse(arg, "guest", errp);
    bool ok;

    if (!o) {
        return false;
    }
    ok = opts_check_keys(o, keys, errp);
    if (ok && opts_get(o, "guest")) {
        cfg->name = g_strdup(opts_get(o, "guest"));
    }
    /* process= names the process (what ps and top show), as in QEMU. */
    if (ok && opts_get(o, "process")) {
        prctl(PR_SET_NAME, opts_get(o, "process"));
    }
    opts_free(o);
    return ok;
}

static bool opt_pidfile(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->pidfile = arg;
    return true;
}

static bool opt_accel(SystemConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"accel", "backend", "thread", "tb-size",
                                       "one-insn-per-tb", "split-wx", NULL};
    Opts *o = opts_parse(arg, "accel", errp);
    const char *accel, *backend, *thread;
    bool one = false;

    if (!o) {
        return false;
    }
    accel = opts_get_default(o, "accel", "");
    if (strcmp(accel, "tcg") != 0) {
        error_setg(errp, "invalid accelerator %s", accel);
        opts_free(o);
        return false;
    }
    if (!opts_check_keys(o, keys, errp) ||
        !opts_get_bool(o, "one-insn-per-tb", false, &one, errp)) {
        opts_free(o);
        return false;
    }
    backend = opts_get(o, "backend");
    if (backend && strcmp(backend, "x86_64") != 0 && strcmp(backend, "interp") != 0) {
        error_setg(errp, "Parameter 'backend' does not accept value '%s' (x86_64, interp)",
                   backend);
        opts_free(o);
        return false;
    }
    thread = opts_get(o, "thread");
    if (thread && strcmp(thread, "single") != 0 && strcmp(thread, "multi") != 0) {
        error_setg(errp, "Invalid 'thread' setting %s", thread);
        opts_free(o);
        return false;
    }
    cfg->backend = backend ? g_strdup(backend) : cfg->backend;
    cfg->one_insn_per_tb |= one;
    opts_free(o);
    return true;
}

static bool opt_enable_kvm(SystemConfig *cfg, const char *arg, Error **errp)
{
    error_setg(errp, "invalid accelerator kvm");
    return false;
}

static bool opt_rtc(SystemConfig *cfg, const char *arg, Error **errp)
{
    cfg->rtc_arg = arg;
    return true;
}

static bool opt_help(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->want_help);
}

static bool opt_version(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_flag(&cfg->want_version);
}

static bool opt_vga(SystemConfig *cfg, const char *arg, Error **errp)
{
    if (strcmp(arg, "none") != 0) {
        error_setg(errp, "no display devices are available (only -vga none)");
        return false;
    }
    return true;
}

static bool opt_none_only(const char *what, const char *arg, Error **errp)
{
    if (strcmp(arg, "none") != 0) {
        error_setg(errp, "%s devices are not available on this machine", what);
        return false;
    }
    return true;
}

static bool opt_parallel(SystemConfig *cfg, const char *arg, Error **errp)
{
    return opt_none_only("parallel port", arg, errp);
}

static const SystemOption system_options[] = {
    {"machine", true, opt_machine, "[type=]name[,prop=value...]", "select the machine (-M help)"},
    {"M", true, opt_machine, NULL, NULL},
    {"cpu", true, opt_cpu, "model[,prop=value...]", "select the CPU model (-cpu help)"},
    {"m", true, opt_m, "[size=]megs[,slots=n,maxmem=size]", "guest RAM (default 128M)"},
    {"smp", true, opt_smp, "[cpus=]n[,maxcpus=,sockets=,cores=,threads=]",
     "number of harts (up to 8 on virt)"},
    {"bios", true, opt_bios, "file|default|none", "firmware (default: OpenSBI fw_dynamic)"},
    {"kernel", true, opt_kernel, "bzImage", "Linux Image or ELF to boot"},
    {"initrd", true, opt_initrd, "file", "initial ram disk"},
    {"append", true, opt_append, "cmdline", "kernel command line"},
    {"dtb", true, opt_dtb, "file", "use this device tree instead of the generated one"},
    {"drive", true, opt_drive, "[file=]file[,if=none,id=...,format=...]", "a disk image"},
    {"device", true, opt_device, "driver[,prop=value...]", "add a device (-device help)"},
    {"netdev", true, opt_netdev, "type,id=id[,...]", "a network backend"},
    {"nic", true, opt_nic, "none|type[,...]", "a network card with its backend"},
    {"serial", true, opt_serial, "dev", "serial port backend (stdio, pty, file:F, tcp:..., ...)"},
    {"chardev", true, opt_chardev, "backend,id=id[,...]", "a character device (-chardev help)"},
    {"monitor", true, opt_monitor, "dev", "the human monitor on dev (stdio, unix:..., none)"},
    {"qmp", true, opt_qmp, "dev", "a QMP monitor on dev (unix:PATH,server=on,wait=off, ...)"},
    {"qmp-pretty", true, opt_qmp_pretty, "dev", "the same with indented JSON"},
    {"mon", true, opt_mon, "[chardev=]id[,mode=readline|control][,pretty=on]",
     "a monitor on a -chardev"},
    {"nographic", false, opt_nographic, NULL, "no display; serial and monitor on stdio"},
    {"display", true, opt_display, "none", "display backend (only none)"},
    {"vga", true, opt_vga, "none", NULL},
    {"parallel", true, opt_parallel, "none", NULL},
    {"no-reboot", false, opt_no_reboot, NULL, "exit instead of rebooting"},
    {"no-shutdown", false, opt_no_shutdown, NULL, "stop the VM instead of exiting on poweroff"},
    {"S", false, opt_S, NULL, "do not start the CPUs"},
    {"s", false, opt_s, NULL, "shorthand for -gdb tcp::1234"},
    {"gdb", true, opt_gdb, "dev", "accept a GDB connection on dev (tcp::PORT, unix:PATH,server=on)"},
    {"d", true, opt_d, "item1,...", "log these items (-d help)"},
    {"D", true, opt_D, "logfile", "log to logfile instead of stderr"},
    {"name", true, opt_name, "string[,process=...]", "the guest's name"},
    {"pidfile", true, opt_pidfile, "file", "write the process id to file"},
    {"daemonize", false, opt_daemonize, NULL, "detach from the terminal after start-up"},
    {"snapshot", false, opt_snapshot, NULL, "write to temporary files instead of disk images"},
    {"accel", true, opt_accel, "tcg[,backend=x86_64|interp][,thread=single|multi]",
     "the accelerator (TCG)"},
    {"enable-kvm", false, opt_enable_kvm, NULL, NULL},
    {"rtc", true, opt_rtc, "[base=utc|localtime|date][,clock=host|rt|vm]", "the guest RTC"},
    {"nodefaults", false, opt_nodefaults, NULL, "no default devices"},
    {"no-user-config", false, opt_ignored, NULL, NULL},
    {"L", true, opt_ignored, "path", NULL},
    {"boot", true, opt_ignored, "...", NULL},
    {"k", true, opt_ignored, "language", NULL},
    {"sandbox", true, opt_ignored, "on|off", NULL},
    {"msg", true, opt_ignored, "timestamp=on|off", NULL},
    {"one-insn-per-tb", false, opt_one_insn, NULL, "one guest instruction per block (debug)"},
    {"singlestep", false, opt_one_insn, NULL, NULL},
    {"version", false, opt_version, NULL, "print the version and exit"},
    {"help", false, opt_help, NULL, "print this help and exit"},
    {"h", false, opt_help, NULL, NULL},
};

static const SystemOption *option_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(system_options); i++) {
        if (strcmp(system_options[i].name, name) == 0) {
            return &system_options[i];
        }
    }
    return NULL;
}

void system_print_help(const char *progname)
{
    printf("QEMU-compatible system emulator (morph %s)\n"
           "usage: %s [options] [disk_image]\n\n", MORPH_VERSION, progname);
    for (size_t i = 0; i < G_N_ELEMENTS(system_options); i++) {
        const SystemOption *o = &system_options[i];
        g_autofree char *left = NULL;

        if (!o->help) {
            continue;
        }
        left = g_strdup_printf("-%s%s%s", o->name, o->args ? " " : "", o->args ? o->args : "");
        printf("%-48s %s\n", left, o->help);
    }
    printf("\nDuring emulation with -nographic, C-a h prints the console escape keys.\n");
}

bool system_parse_args(int argc, char **argv, SystemConfig *cfg)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *name;
        const SystemOption *o;
        const char *value = NULL;
        Error *err = NULL;

        if (arg[0] != '-' || arg[1] == '\0') {
            /* A bare argument is a disk image, as -drive file=... would be. */
            g_autofree char *drive = g_strdup_printf("file=%s,index=0,media=disk", arg);

            if (!opt_drive(cfg, drive, &err)) {
                error_report("%s: %s", arg, error_get_pretty(err));
                error_free(err);
                return false;
            }
            continue;
        }
        name = arg + 1 + (arg[1] == '-');
        o = option_find(name);
        if (!o) {
            error_report("%s: invalid option", arg);
            return false;
        }
        if (o->has_arg) {
            if (i + 1 >= argc) {
                error_report("%s: requires an argument", arg);
                return false;
            }
            value = argv[++i];
        }
        if (!o->handler(cfg, value, &err)) {
            if (value) {
                error_report("-%s %s: %s", o->name, value, error_get_pretty(err));
            } else {
                error_report("-%s: %s", o->name, error_get_pretty(err));
            }
            error_free(err);
            return false;
        }
    }
    return true;
}
