/*
 * The GDB stub in the system emulator: `-s` (= `-gdb tcp::1234`), `-gdb
 * tcp:[HOST]:PORT`, `-gdb unix:PATH,server=on`, and the HMP `gdbserver`
 * command.  gdbstub/system.c speaks the protocol; this file owns what
 * include/gdbstub/gdbstub.h ("System mode") leaves to the emulator: the
 * listening socket and the one connection on the main loop (QEMU's gdb
 * chardev serves one debugger at a time), and the run state -- stopping
 * and starting the VM for the debugger, and telling it when the VM stops.
 *
 * A stop reaches the debugger three ways: a hart's cpu_exec() returns
 * EXCP_DEBUG (breakpoint, watchpoint, step: cpus.c calls our debug hook
 * on the vCPU thread, which parks the vCPUs and hands the stop to the
 * main loop in a bottom half), the debugger's Ctrl-C (ops->vm_stop), or
 * anything else that stops a running VM (a monitor's `stop`: the
 * runstate stop notifier).  Only a debugger that resumed the VM and waits
 * for a stop reply is told.
 *
 * Every callback here runs on the main loop with the big lock held.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "exec/cpu-exec.h"
#include "gdbstub/gdbstub.h"
#include "monitor/monitor.h"
#include "system/bql.h"
#include "system/cpus.h"
#include "system/runstate.h"
#include "util/log.h"
#include "vl-internal.h"

static struct {
    GdbServer *server;
    int listen_fd;     /* -1: no stub */
    char *unix_path;   /* to unlink at the end */
    int fd;            /* the debugger's connection, -1: none */
    bool resumed;      /* the debugger let the VM run and waits for a stop reply */
    bool stopping;     /* ops->vm_stop is stopping the VM: it reports the stop itself */
    CPUState *debug_cpu; /* the hart whose EXCP_DEBUG waits for debug_bh */
    BH *debug_bh;
} vg = {.listen_fd = -1, .fd = -1};

static void vlg_release_one(CPUState *cs, void *opaque)
{
    cs->stopped = false;
}

/* The debugger's holds (a hart kept stopped while another steps) end with every stop. */
static void vlg_release_holds(void)
{
    cpu_list_foreach(vlg_release_one, NULL);
}

/* ---- GdbSystemOps */

static void vlg_send(void *opaque, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (vg.fd >= 0 && done < len) {
        ssize_t n = send(vg.fd, buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* Replies are small; a debugger that reads nothing for 5 s is gone. */
            struct pollfd p = {.fd = vg.fd, .events = POLLOUT};

            if (poll(&p, 1, 5000) <= 0) {
                return;
            }
        } else {
            /* Broken connection: the read handler sees the end and cleans up. */
            return;
        }
    }
}

static void vlg_vm_stop(void *opaque)
{
    bool report = vg.resumed;

    vg.stopping = true;
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    vg.stopping = false;
    vg.resumed = false;
    vlg_release_holds();
    if (report) {
        gdb_system_vm_stopped(vg.server, NULL, GDB_VM_STOP_PAUSED);
    }
}

static void vlg_vm_start(void *opaque)
{
    vg.resumed = true;
    vm_start();
}

static void vlg_quit(void *opaque)
{
    error_report("QEMU: Terminated via GDBstub");
    runstate_exit(0);
}

static void vlg_cpu_hold(void *opaque, CPUState *cs, bool hold)
{
    cs->stopped = hold;
}

/* `monitor CMD` in GDB: the human monitor's command, its text back. */
static bool vlg_monitor_command(void *opaque, const char *cmd, GString *out)
{
    monitor_hmp_command(cmd, out);
    return true;
}

static const GdbSystemOps vlg_ops = {
    .send = vlg_send,
    .vm_stop = vlg_vm_stop,
    .vm_start = vlg_vm_start,
    .quit = vlg_quit,
    .cpu_hold = vlg_cpu_hold,
    .monitor_command = vlg_monitor_command,
};

/* ---- stops */

/* vCPU thread, big lock held: a hart stopped for the debugger. */
static void vlg_debug_hook(CPUState *cs)
{
    if (vg.fd < 0) {
        /* A stale stop (the debugger left meanwhile): the guest runs on. */
        return;
    }
    cpus_pause();
    vg.debug_cpu = cs;
    bh_schedule(vg.debug_bh);
}

static void vlg_debug_bh(void *opaque)
{
    CPUState *cs = vg.debug_cpu;

    if (!cs) {
        return;
    }
    vg.debug_cpu = NULL;
    vm_stop(RUN_STATE_DEBUG);
    vlg_release_holds();
    if (vg.fd < 0) {
        /* Nobody to report to any more. */
        vm_start();
        return;
    }
    vg.resumed = false;
    gdb_system_vm_stopped(vg.server, cs, GDB_VM_STOP_DEBUG);
}

/* The VM stopped for another reason (a monitor's stop, a shutdown with -no-shutdown). */
static void vlg_stop_notify(void)
{
    if (vg.stopping || !vg.resumed || vg.fd < 0) {
        return;
    }
    vg.resumed = false;
    vlg_release_holds();
    gdb_system_vm_stopped(vg.server, NULL, GDB_VM_STOP_PAUSED);
}

/* ---- the connection */

static void vlg_close_connection(void)
{
    if (vg.fd < 0) {
        return;
    }
    bql_set_fd_handler(vg.fd, NULL, NULL, NULL);
    close(vg.fd);
    vg.fd = -1;
    vg.resumed = false;
    gdb_system_disconnected(vg.server);
    vlg_release_holds();
}

static void vlg_read(void *opaque)
{
    uint8_t buf[4096];
    ssize_t n;

    do {
        n = recv(vg.fd, buf, sizeof(buf), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        gdb_system_input(vg.server, buf, (size_t)n);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        /* The debugger went away; the VM stays as it is (QEMU's behaviour). */
        vlg_close_connection();
    }
}

static void vlg_accept(void *opaque)
{
    Error *err = NULL;
    int fd = gdb_accept(vg.listen_fd, &err);

    if (fd < 0) {
        error_free(err);
        return;
    }
    if (vg.fd >= 0) {
        /* One debugger at a time, as a QEMU chardev serves one client. */
        close(fd);
        return;
    }
    vg.fd = fd;
    vg.resumed = false;
    bql_set_fd_handler(fd, vlg_read, NULL, NULL);
    gdb_system_connected(vg.server);
}

static void vlg_stop_listening(void)
{
    vlg_close_connection();
    if (vg.listen_fd >= 0) {
        bql_set_fd_handler(vg.listen_fd, NULL, NULL, NULL);
        close(vg.listen_fd);
        vg.listen_fd = -1;
    }
    if (vg.unix_path) {
        unlink(vg.unix_path);
        g_free(vg.unix_path);
        vg.unix_path = NULL;
    }
}

bool vl_gdb_start(const char *dev, Error **errp)
{
    char *path = NULL;
    int fd;

    if (strcmp(dev, "none") == 0) {
        vlg_stop_listening();
        return true;
    }
    fd = gdb_listen(dev, &path, errp);
    if (fd < 0) {
        return false;
    }
    vlg_stop_listening();
    if (!vg.server) {
        vg.server = gdb_system_start(&vlg_ops, NULL);
        vg.debug_bh = bql_bh_new(vlg_debug_bh, NULL);
        cpus_set_debug_hook(vlg_debug_hook);
        runstate_set_stop_notify(vlg_stop_notify);
    }
    vg.listen_fd = fd;
    vg.unix_path = path;
    bql_set_fd_handler(fd, vlg_accept, NULL, NULL);
    return true;
}
