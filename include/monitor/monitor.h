/*
 * The monitor: QEMU's machine protocol (QMP, docs/interop/qmp-spec.rst)
 * and its human monitor (HMP), over one command table (monitor/commands.c).
 *
 * A Monitor is one session with one peer.  It knows nothing of sockets or
 * chardevs: its owner feeds it the bytes the peer sent (monitor_input) and
 * gives it a non-blocking way to send bytes back (MonitorChannelOps.write).
 * What the channel does not take at once is queued in the monitor and
 * written when the owner calls monitor_output_ready(); a peer that lets
 * more than `max_output` bytes pile up (a dead or stuck client) is dropped
 * through MonitorChannelOps.disconnect, so a monitor never blocks the VM.
 *
 * Attaching a monitor:
 *  - `-qmp unix:PATH,server=on,wait=off`, `-qmp tcp:HOST:PORT,server=on,
 *    wait=off` and `-monitor ...` (HMP): monitor_server_new() below listens
 *    on the main loop and runs one Monitor per accepted client;
 *  - `-mon chardev=ID,mode=control[,pretty=on]` (or mode=readline): the
 *    chardev layer creates a Monitor with ops that write to the chardev
 *    backend without blocking (want_write: ask the backend for a POLLOUT
 *    callback that calls monitor_output_ready), calls monitor_open() when
 *    the backend connects (CHR_EVENT_OPENED: greeting or banner),
 *    monitor_input() with what it reads, and monitor_close() when the peer
 *    goes (CHR_EVENT_CLOSED: the next peer starts a fresh session).  A mux
 *    chardev (stdio with -serial mon:stdio) does the same for its monitor
 *    frontend.
 *
 * The system layer plugs in through MonitorHooks (monitor_set_hooks) and
 * reports run-state changes with monitor_event_emit().  Commands whose
 * hook is missing answer a GenericError that says so.
 *
 * Threading: every function here runs in the main loop thread (or with the
 * big lock held); hooks are called there too.  Hooks must not block for
 * long: the monitor runs inside the main loop.
 *
 * Version: QMP and HMP report the QEMU version whose protocol morph speaks
 * (MONITOR_QEMU_MAJOR.MINOR.MICRO = 7.2.0) so that tools which gate features
 * on the QEMU version (libvirt, Avocado, CI scripts) accept morph; morph's
 * own version is in "package": " (morph 0.1.0)", which HMP `info version`
 * prints as "7.2.0 (morph 0.1.0)".
 */
#ifndef MORPH_MONITOR_MONITOR_H
#define MORPH_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#include "monitor/qobject.h"
#include "util/error.h"

#define MONITOR_QEMU_MAJOR 7
#define MONITOR_QEMU_MINOR 2
#define MONITOR_QEMU_MICRO 0

typedef struct Monitor Monitor;

typedef enum MonitorMode {
    MONITOR_MODE_QMP, /* mode=control */
    MONITOR_MODE_HMP, /* mode=readline */
} MonitorMode;

typedef struct MonitorOptions {
    MonitorMode mode;
    bool pretty;       /* QMP: pretty=on output */
    bool no_echo;      /* HMP: do not echo input (a terminal that echoes itself) */
    size_t max_output; /* queued output that drops the peer; 0: MONITOR_MAX_OUTPUT */
} MonitorOptions;

/* Default limit of queued output per monitor. */
#define MONITOR_MAX_OUTPUT ((size_t)4 << 20)

typedef struct MonitorChannelOps {
    /*
     * Send up to `len` bytes without blocking.  Returns how many were taken
     * (0 when the channel is full), or -1 if the peer is gone.
     */
    ssize_t (*write)(void *opaque, const void *buf, size_t len);
    /*
     * Optional: on=true asks for monitor_output_ready() when the channel
     * can take more; on=false withdraws the request.
     */
    void (*want_write)(void *opaque, bool on);
    /*
     * Optional: the monitor gives up on the peer (write failed, or more than
     * max_output queued).  Close the channel; the monitor has already ended
     * the session.  Free the monitor later (a bottom half), not from inside
     * this callback: it may run in the middle of an event broadcast.
     */
    void (*disconnect)(void *opaque);
} MonitorChannelOps;

Monitor *monitor_new(const MonitorOptions *opts, const MonitorChannelOps *ops, void *opaque);
/* Free a monitor (deferred until its current command returns, if any). */
void monitor_free(Monitor *mon);
/* A peer connected: QMP greeting, or HMP banner and "(qemu) " prompt. */
void monitor_open(Monitor *mon);
/* The peer left: drop pending input and output, back to capabilities negotiation. */
void monitor_close(Monitor *mon);
/* Bytes from the peer, split anywhere. */
void monitor_input(Monitor *mon, const void *buf, size_t len);
/* The channel can take more output. */
void monitor_output_ready(Monitor *mon);
/* Bytes queued and not yet taken by the channel. */
size_t monitor_output_pending(const Monitor *mon);
MonitorMode monitor_mode(const Monitor *mon);
/* A QMP session that finished capabilities negotiation (it receives events). */
bool monitor_qmp_negotiated(const Monitor *mon);

/*
 * A mux (the serial console shared with the monitor, C-a c) gave this
 * HMP session the input focus (in) or took it away, as QEMU's
 * CHR_EVENT_MUX_IN/OUT: the first focus opens the session (banner and
 * prompt), later ones show the prompt again; losing it ends the line.
 */
void monitor_mux_focus(Monitor *mon, bool in);

/*
 * Run one HMP command line outside any session (GDB's `monitor CMD`):
 * its text, "\n"-terminated lines, is appended to `out`.
 */
void monitor_hmp_command(const char *line, GString *out);

/*
 * Send an event to every QMP monitor past capabilities negotiation, as
 * {"timestamp": {"seconds": S, "microseconds": U}, "event": NAME, "data": DATA}
 * with the host's wall-clock time.  `data` (may be NULL: no "data" member)
 * is taken over.  Events morph's system layer emits, with QEMU's data:
 * STOP, RESUME, RESET {"guest": bool, "reason": str}, POWERDOWN,
 * SHUTDOWN {"guest": bool, "reason": str}.
 */
void monitor_event_emit(const char *event, QDict *data);

/* ---- hooks: what the system layer provides */

/* query-cpus-fast / info cpus: one per vCPU. */
typedef struct MonitorCpuInfo {
    int64_t cpu_index;
    int64_t thread_id;    /* host thread id of the vCPU */
    const char *qom_path; /* "/machine/soc0/harts[0]"... */
    const char *target;   /* QEMU's SysEmuTarget: "riscv64" */
    /* "props" members; -1: absent (all -1: no "props") */
    int64_t node_id;
    int64_t socket_id;
    int64_t core_id;
    int64_t thread_id_prop;
} MonitorCpuInfo;

/* query-machines: one per machine type. */
typedef struct MonitorMachineInfo {
    const char *name;
    const char *alias; /* NULL: none */
    bool is_default;
    int64_t cpu_max;
    bool hotpluggable_cpus;
    bool numa_mem_supported;
    bool deprecated;
    const char *default_cpu_type; /* NULL: none */
    const char *default_ram_id;   /* NULL: none */
} MonitorMachineInfo;

/* query-chardev / info chardev. */
typedef struct MonitorChardevInfo {
    const char *label;
    const char *filename; /* QEMU's description: "unix:/tmp/s,server=on", "stdio" */
    bool frontend_open;
} MonitorChardevInfo;

/* query-block / info block: one per block backend. */
typedef struct MonitorBlockInfo {
    const char *device; /* "virtio0"; "" for an anonymous backend */
    const char *qdev;   /* attached device's path, or NULL */
    bool removable;
    bool locked;
    bool tray_open;
    bool inserted; /* a medium is present: the fields below apply */
    const char *node_name;
    const char *file;
    const char *drv; /* "qcow2", "raw" */
    bool ro;
    bool encrypted;
    const char *backing_file; /* NULL: none */
    int64_t backing_file_depth;
    int64_t virtual_size;
    bool cache_writeback;
    bool cache_direct;
    bool cache_no_flush;
} MonitorBlockInfo;

/* device-list-properties: one per property. */
typedef struct MonitorPropInfo {
    const char *name;
    const char *type;
    const char *description; /* NULL: none */
} MonitorPropInfo;

/* device-list-properties hook results beside 0 (and -1 with *errp set). */
enum {
    MONITOR_DEVICE_NOT_FOUND = -2, /* DeviceNotFound "Device 'x' not found" */
    MONITOR_DEVICE_ABSTRACT = -3,  /* "Parameter 'typename' expects a non-abstract device type" */
};

/*
 * Every member is optional (NULL: the commands that need it answer
 * GenericError "The command X is not available: the machine provides no
 * 'hook' hook").  Strings in the structs a hook appends to an array are
 * borrowed: they must stay valid until the hook returns to the monitor,
 * which copies them at once.  A cpu_index argument is the session's current
 * CPU (0 unless human-monitor-command chose another) or, for
 * dump_registers, -1 for all CPUs.
 */
typedef struct MonitorHooks {
    void *opaque;
    /* QEMU RunState name: "running", "paused", "shutdown", "prelaunch", ... */
    const char *(*run_state)(void *opaque);
    /* -name; NULL: none */
    const char *(*vm_name)(void *opaque);
    bool (*stop)(void *opaque, Error **errp);
    bool (*cont)(void *opaque, Error **errp);
    bool (*system_reset)(void *opaque, Error **errp);
    bool (*system_powerdown)(void *opaque, Error **errp);
    /* Request an orderly exit (after the reply is queued; flush with monitor_cleanup). */
    void (*quit)(void *opaque);
    void (*query_machines)(void *opaque, GArray *out /* of MonitorMachineInfo */);
    void (*query_cpus)(void *opaque, GArray *out /* of MonitorCpuInfo */);
    void (*query_block)(void *opaque, GArray *out /* of MonitorBlockInfo */);
    void (*query_chardev)(void *opaque, GArray *out /* of MonitorChardevInfo */);
    /* 0, a MONITOR_DEVICE_* code, or -1 with *errp set. */
    int (*device_list_properties)(void *opaque, const char *type_name,
                                  GArray *out /* of MonitorPropInfo */, Error **errp);
    /*
     * Read guest memory for x, xp, memsave, pmemsave: virtual addresses
     * through cpu_index's MMU (physical=false), or guest-physical.  Returns
     * false if any byte cannot be read.
     */
    bool (*memory_read)(void *opaque, int64_t cpu_index, uint64_t addr, bool physical, void *buf,
                        size_t len);
    /* $name in HMP expressions ("pc", "sp", "a0", ...); false: unknown. */
    bool (*get_register)(void *opaque, int64_t cpu_index, const char *name, uint64_t *value);
    /* info registers [-a]: cpu_index -1 for all CPUs. */
    void (*dump_registers)(void *opaque, int64_t cpu_index, GString *out);
    /* info mtree [-f] [-o] [-D] */
    void (*dump_mtree)(void *opaque, bool flatview, bool owner, bool disabled, GString *out);
    void (*dump_tlb)(void *opaque, int64_t cpu_index, GString *out);
    /* info jit: translator statistics */
    void (*dump_jit)(void *opaque, GString *out);
    /* x/i and xp/i: `count` instructions, QEMU's "0x%016llx:  insn" lines. */
    bool (*disassemble)(void *opaque, int64_t cpu_index, uint64_t addr, bool physical, int count,
                        GString *out, Error **errp);
    /* gdbserver [device]: "none" stops it. */
    bool (*gdbserver)(void *opaque, const char *device, Error **errp);
    /* Guest word layout for x/xp: 32 or 64 (0 means 64); byte order. */
    unsigned target_long_bits;
    bool target_big_endian;
} MonitorHooks;

/* Install the hooks (copied); NULL removes them all. */
void monitor_set_hooks(const MonitorHooks *hooks);
const MonitorHooks *monitor_get_hooks(void);

/*
 * Try once more to write every monitor's queued output (before exit, after
 * `quit`), without blocking.
 */
void monitor_flush_all(void);

/* ---- listening sockets (monitor/server.c) */

typedef struct MainLoop MainLoop;
typedef struct MonitorServer MonitorServer;

/*
 * Listen on a QEMU chardev-style address and serve each client with its own
 * Monitor on `ml`:
 *   unix:PATH[,server=on][,wait=off]
 *   tcp:[HOST]:PORT[,server=on][,wait=off]    (HOST may be [v6addr]; PORT 0: any)
 * plus pretty=on (QMP).  server=on is required (morph does not connect out);
 * wait=on (QEMU's default) means the caller should monitor_server_wait()
 * for a first client before starting the guest.  QEMU's old "server" and
 * "nowait" flags are accepted.  Unlike a QEMU chardev, which serves one
 * client at a time, a server takes up to MONITOR_SERVER_MAX_CLIENTS at once.
 */
#define MONITOR_SERVER_MAX_CLIENTS 16
MonitorServer *monitor_server_new(MainLoop *ml, const char *spec, MonitorMode mode, Error **errp);
/* wait=on was asked for. */
bool monitor_server_wants_wait(const MonitorServer *srv);
/* Run `ml` until a client connects. */
void monitor_server_wait(MonitorServer *srv);
/* The bound TCP port (for tcp:...:0), or -1. */
int monitor_server_port(const MonitorServer *srv);
/* Clients connected now. */
unsigned monitor_server_clients(const MonitorServer *srv);
void monitor_server_free(MonitorServer *srv);

#endif
