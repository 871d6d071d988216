/*
 * The command line of morph-system-<arch> as system/options.c parses it
 * and system/vl.c acts on it.  Only these two files see it.
 */
#ifndef MORPH_SYSTEM_VL_INTERNAL_H
#define MORPH_SYSTEM_VL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "util/keyval.h"

/*
 * One monitor the command line asked for: -monitor DEV, -qmp DEV,
 * -qmp-pretty DEV (a -serial style spec in `dev`), or -mon chardev=ID
 * (`chardev` names a -chardev).
 */
typedef struct MonitorOpt {
    const char *arg;    /* the option as given, for messages */
    const char *dev;    /* -monitor/-qmp: the chardev spec; NULL with -mon */
    const char *chardev;/* -mon: the -chardev id */
    bool qmp;           /* mode=control */
    bool pretty;
} MonitorOpt;

/* One -drive, kept for the block devices to come. */
typedef struct DriveOpt {
    char *arg;          /* the option text, for messages */
    Opts *opts;
    char *id;
    char *file;
    char *interface;    /* if=: "none", "virtio", ... */
} DriveOpt;

typedef struct SystemConfig {
    /* -M/-machine: every occurrence, merged (the last value of a key wins) */
    GPtrArray *machine_opts;    /* Opts *, implied key "type" */
    GString *machine_text;      /* all of them, for messages */
    const char *cpu_model;
    uint64_t ram_size;          /* 0: the machine's default */
    const char *ram_arg;
    unsigned smp_cpus;          /* 0: the machine's default */
    const char *firmware;
    const char *kernel;
    const char *initrd;
    const char *append;
    const char *dtb;

    GPtrArray *serial;          /* const char * specs, in order */
    GPtrArray *chardevs;        /* Opts * */
    GPtrArray *chardev_args;    /* const char *, for messages */
    GPtrArray *devices;         /* Opts *, implied key "driver" */
    GPtrArray *device_args;
    GPtrArray *drives;          /* DriveOpt * */
    GPtrArray *netdevs;         /* Opts *, implied key "type" */
    GPtrArray *monitors;        /* MonitorOpt *, in order */
    bool default_monitor;       /* no -monitor/-qmp/-mon: the default one (stdio with -nographic) */
    const char *gdb_dev;        /* -gdb DEV / -s; NULL: no stub */

    bool nographic;
    bool display_none;
    bool no_reboot;
    bool no_shutdown;
    bool start_paused;          /* -S */
    bool daemonize;
    bool snapshot;
    bool nodefaults;
    bool one_insn_per_tb;
    const char *log_items;      /* -d */
    const char *log_file;       /* -D */
    const char *name;           /* -name guest name */
    const char *pidfile;
    const char *backend;        /* -accel tcg,backend= */
    const char *rtc_arg;        /* -rtc */

    /* Requests for lists: print and exit 0. */
    bool want_help, want_version, want_machine_help, want_cpu_help, want_device_help;
    const char *device_help_type;   /* -device TYPE,help */
    bool want_chardev_help;
} SystemConfig;

/*
 * Parse argv into *cfg.  On a mistake, print one line naming the option
 * ("morph-system-riscv64: -foo: invalid option") and return false.
 */
bool system_parse_args(int argc, char **argv, SystemConfig *cfg);
/* The -help text. */
void system_print_help(const char *progname);

/* ---- vl-monitor.c: monitors and their hooks */

typedef struct MachineState MachineState;
typedef struct BlockBackend BlockBackend;

/* Install the MonitorHooks over this machine (before any monitor exists). */
void vl_monitor_init(MachineState *ms, const SystemConfig *cfg);
/*
 * Create every monitor of cfg->monitors, and an HMP on each "mon:" serial
 * (after the machine, so that the serial port has the mux's focus).
 * Exits with a message on a bad spec.  Returns true if one of them asked
 * for wait=on: the caller runs vl_monitor_wait() before starting the guest.
 */
void vl_monitor_create(const SystemConfig *cfg, MachineState *ms);
void vl_monitor_wait(void);
/* A -drive backend, for query-block. */
void vl_monitor_add_drive(const char *id, BlockBackend *blk);

/* ---- vl-gdb.c: the GDB stub on the main loop */

/* -gdb DEV: listen; false with *errp set.  "none" stops a running stub. */
bool vl_gdb_start(const char *dev, Error **errp);

#endif
