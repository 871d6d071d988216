/*
 * The GDB stub as the front ends see it: a GDB (gdb-multiarch, or any
 * client of GDB's remote serial protocol) connects over a socket and
 * debugs the guest -- registers, memory, breakpoints, watchpoints,
 * single-step, threads -- as it would with QEMU's stub.
 *
 * User mode (linux-user): `morph-<arch> -g PORT prog` (or -g PATH for a
 * Unix socket) listens, waits for the debugger before the guest's first
 * instruction, then the guest runs under it.  The stub has no thread of
 * its own while the guest is stopped: every stop comes to it as a guest
 * signal of some vCPU thread (gdb_handlesig), which holds an exclusive
 * section -- so every other vCPU is stopped too (all-stop) -- and serves
 * the debugger until it resumes.  A helper thread watches the socket
 * while the guest runs, for Ctrl-C.
 *
 * System mode (the system emulator's main loop; see "System mode" below):
 * the stub is fed the bytes its chardev receives, calls back to stop and
 * start the VM, and is told when the VM stops.
 */
#ifndef MORPH_GDBSTUB_GDBSTUB_H
#define MORPH_GDBSTUB_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "exec/cpu.h"
#include "util/error.h"

typedef struct GdbServer GdbServer;

/* ---- User mode ---- */

/*
 * -g PORT or -g PATH: listen on TCP port PORT (every address) or on the
 * Unix socket PATH, and wait for the debugger to connect.  false with
 * *errp set if the socket cannot be made.
 */
bool gdbserver_start(const char *port_or_path, Error **errp);
/* Is a debugger connected (and not detached)? */
bool gdbserver_attached(void);
/* Where the guest's auxiliary vector is (for qXfer:auxv:read). */
void gdbserver_set_auxv(uint64_t addr, uint64_t len);

/*
 * Every guest signal on its way to the guest thread of `cs`, and the
 * first stop (sig 0, before the guest runs), go through here: with a
 * debugger attached, the signal is reported as a stop and the debugger is
 * served until it resumes the guest.  Returns the signal to deliver (a
 * target signal number; 0: none, the debugger dropped it).  A SIGTRAP from
 * EXCP_DEBUG (a breakpoint, watchpoint, step, or Ctrl-C) is the stub's own
 * and is never delivered.  Without a debugger returns sig.
 */
int gdb_handlesig(CPUState *cs, int sig);
/* The guest process exits with `code` (W), or dies of target signal `sig` (X). */
void gdb_exit(int code);
void gdb_signalled(int sig);
/* In the child of a guest fork: the debugger stays with the parent. */
void gdb_fork_child(void);

/* ---- System mode ----
 *
 * The system emulator owns the connection (a chardev on its main loop,
 * made from `-s` = `-gdb tcp::1234`, `-gdb tcp::PORT`,
 * `-gdb unix:PATH,server=on`; gdb_listen() and gdb_accept() below make
 * the sockets) and the run state.  It plugs in as follows:
 *   - gdb_system_start(ops, opaque) once, when the option is given;
 *   - gdb_system_input() with every byte the connection receives, on the
 *     main loop; replies go out through ops->send;
 *   - ops->vm_stop when the debugger interrupts (Ctrl-C): stop every vCPU,
 *     then call gdb_system_vm_stopped(NULL, GDB_VM_STOP_PAUSED);
 *   - a vCPU thread whose cpu_exec() returns EXCP_DEBUG stops the VM and
 *     then (main loop) calls gdb_system_vm_stopped(cs, GDB_VM_STOP_DEBUG);
 *     a stop for another reason (monitor `stop`) GDB_VM_STOP_PAUSED;
 *   - ops->vm_start when the debugger resumes: the single-step flags of
 *     the vCPUs are set already (cpu_single_step), start them all but
 *     those ops->cpu_hold said to keep stopped;
 *   - gdb_system_connected()/gdb_system_disconnected() as the chardev
 *     opens and closes (a new connection stops the VM, as QEMU does).
 * Every call is made on the main loop, with the VM stopped except for
 * gdb_system_input().  Guest memory is read through TargetOps
 * get_phys_page_debug and the memory API (never faulting the guest);
 * `maint packet Qqemu.PhyMemMode:1` switches to physical addresses.
 */
typedef struct GdbSystemOps {
    void (*send)(void *opaque, const uint8_t *buf, size_t len);
    void (*vm_stop)(void *opaque);
    void (*vm_start)(void *opaque);
    /* 'k': quit the emulator (QEMU exits with status 0). */
    void (*quit)(void *opaque);
    /*
     * Optional: before vm_start, whether cs must stay stopped while the
     * others run (GDB steps one thread over a breakpoint that way).
     * Without it every vCPU starts.
     */
    void (*cpu_hold)(void *opaque, CPUState *cs, bool hold);
    /* Optional: qRcmd ("monitor CMD" in GDB): the human monitor's output in `out`. */
    bool (*monitor_command)(void *opaque, const char *cmd, GString *out);
} GdbSystemOps;

enum {
    GDB_VM_STOP_DEBUG,  /* cs stopped on EXCP_DEBUG (breakpoint, watchpoint, step) */
    GDB_VM_STOP_PAUSED, /* a stop request (Ctrl-C, monitor stop): SIGINT to GDB */
};

GdbServer *gdb_system_start(const GdbSystemOps *ops, void *opaque);
/* The end (machine shutdown, tests). */
void gdb_system_free(GdbServer *s);
void gdb_system_input(GdbServer *s, const uint8_t *buf, size_t len);
void gdb_system_connected(GdbServer *s);
void gdb_system_disconnected(GdbServer *s);
void gdb_system_vm_stopped(GdbServer *s, CPUState *cs, int reason);

/* ---- Sockets ---- */

/*
 * Listen as a -gdb / -g argument says: "PORT", "tcp::PORT",
 * "tcp:HOST:PORT", "unix:PATH[,server=on][,wait=off]", or a path
 * (user mode's -g PATH).  Returns the listening fd (close-on-exec), or
 * -1 with *errp set.  *unix_path (if not NULL) gets the Unix socket's
 * path to unlink at the end, or NULL.
 */
int gdb_listen(const char *spec, char **unix_path, Error **errp);
/* Wait for one connection on a listening fd; -1 with *errp set on failure. */
int gdb_accept(int listen_fd, Error **errp);

#endif
