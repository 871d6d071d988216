/*
 * Run state, requests and the ways out (contract in
 * include/system/runstate.h; the model is QEMU's softmmu/runstate.c).
 *
 * Devices and signals only post requests; the main loop carries them out
 * with the big lock held: a guest poweroff ends the process with exit 0
 * (or stops the VM with -no-shutdown), a test device's failure code ends it
 * with that code, a guest reset resets the machine (or exits with
 * -no-reboot), SIGINT/SIGTERM/SIGHUP end it as QEMU does ("terminating on
 * signal N from pid P").  Every exit goes through runstate_exit(), which
 * parks the vCPUs and closes the chardevs first, so the terminal is given
 * back in every case.
 *
 * QMP events, with QEMU 7.2's data (qapi/run-state.json): STOP and RESUME
 * when the VM stops and starts, RESET after a reset, SHUTDOWN before the
 * process ends (or stops with -no-shutdown), POWERDOWN for
 * system_powerdown.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <glib.h>
#include "chardev/char.h"
#include "exec/cpu-exec.h"
#include "hw/qdev.h"
#include "monitor/monitor.h"
#include "system/bql.h"
#include "system/cpus.h"
#include "system/powerdown.h"
#include "system/runstate.h"
#include "util/log.h"
#include "util/main-loop.h"

static struct {
    MachineState *ms;
    RunstateConfig cfg;
    RunState state;
    int shutdown_req;           /* cause + 1, 0: none (atomic) */
    int shutdown_code;
    int reset_req;              /* cause + 1, 0: none (atomic) */
    int signal_fd;
    bool vcpus_started;
    void (*stop_notify)(void);
} rs = {.signal_fd = -1};

/* A reset request from a monitor: not a ShutdownCause of the board's. */
#define RUNSTATE_RESET_QMP (SHUTDOWN_CAUSE_GUEST_PANIC + 1)

/* QEMU's ShutdownCause names (qapi/run-state.json). */
static const char *runstate_cause_name(int cause)
{
    static const char *const names[] = {
        [SHUTDOWN_CAUSE_NONE] = "none",
        [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
        [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
        [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
        [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
        [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
        [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
        [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
        [RUNSTATE_RESET_QMP] = "host-qmp-system-reset",
    };

    return cause >= 0 && cause < (int)G_N_ELEMENTS(names) && names[cause] ? names[cause] : "none";
}

/* {"guest": bool, "reason": str}, the data of SHUTDOWN and RESET. */
static void runstate_emit_cause(const char *event, int cause)
{
    QDict *data = qdict_new();

    qdict_put_bool(data, "guest", cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN &&
                                      cause <= SHUTDOWN_CAUSE_GUEST_PANIC);
    qdict_put_str(data, "reason", runstate_cause_name(cause));
    monitor_event_emit(event, data);
}

static const char *const runstate_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_DEBUG] = "debug",
};

RunState runstate_get(void)
{
    return rs.state;
}

const char *runstate_name(RunState s)
{
    return runstate_names[s];
}

bool runstate_is_running(void)
{
    return rs.state == RUN_STATE_RUNNING;
}

/* ---- start, stop, reset */

void vm_start(void)
{
    if (rs.state == RUN_STATE_RUNNING) {
        return;
    }
    rs.state = RUN_STATE_RUNNING;
    clock_virtual_resume();
    cpus_resume();
    monitor_event_emit("RESUME", NULL);
}

void vm_stop(RunState state)
{
    bool was_running = rs.state == RUN_STATE_RUNNING;

    cpus_pause();
    clock_virtual_pause();
    rs.state = state;
    if (was_running) {
        monitor_event_emit("STOP", NULL);
        if (state != RUN_STATE_DEBUG && rs.stop_notify) {
            rs.stop_notify();
        }
    }
}

void runstate_set_stop_notify(void (*fn)(void))
{
    rs.stop_notify = fn;
}

bool runstate_needs_reset(void)
{
    return rs.state == RUN_STATE_SHUTDOWN;
}

void qemu_system_reset(void)
{
    qdev_reset_all();
    if (rs.ms && rs.ms->mc->reset) {
        rs.ms->mc->reset(rs.ms);
    }
}

/* ---- requests */

void qemu_system_shutdown_request(ShutdownCause cause, int exit_code)
{
    rs.shutdown_code = exit_code;
    __atomic_store_n(&rs.shutdown_req, (int)cause + 1, __ATOMIC_RELEASE);
    /* From a device: no more guest code runs. */
    if (bql_locked()) {
        cpus_pause();
    }
    main_loop_wakeup(main_loop_default());
}

void qemu_system_reset_request(ShutdownCause cause)
{
    __atomic_store_n(&rs.reset_req, (int)cause + 1, __ATOMIC_RELEASE);
    if (bql_locked()) {
        cpus_pause();
    }
    main_loop_wakeup(main_loop_default());
}

void qemu_system_reset_request_qmp(void)
{
    qemu_system_reset_request((ShutdownCause)RUNSTATE_RESET_QMP);
}

void qemu_system_powerdown_request(void)
{
    monitor_event_emit("POWERDOWN", NULL);
    system_powerdown_press(rs.ms);
}

static void runstate_machine_shutdown(ShutdownCause cause, int exit_code)
{
    qemu_system_shutdown_request(cause, exit_code);
}

static void runstate_machine_reset(ShutdownCause cause)
{
    qemu_system_reset_request(cause);
}

/* C-a x */
static void runstate_quit_hook(void)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI, 0);
}

void runstate_exit(int code)
{
    if (!bql_locked()) {
        bql_lock();
    }
    if (rs.vcpus_started) {
        cpus_pause();
    }
    /* What the monitors queued (the reply to quit, SHUTDOWN) goes out first. */
    monitor_flush_all();
    qemu_chr_cleanup();
    if (rs.cfg.pidfile) {
        unlink(rs.cfg.pidfile);
    }
    /* As morph-riscv64 -jit-stats: the translator's figures for bench/system. */
    if (getenv("MORPH_JIT_STATS")) {
        tcg_jit_stats_print(stderr);
    }
    fflush(stdout);
    fflush(stderr);
    if (log_file()) {
        fflush(log_file());
    }
    exit(code);
}

static void runstate_handle_requests(void)
{
    int sd = __atomic_exchange_n(&rs.shutdown_req, 0, __ATOMIC_ACQ_REL);
    int rq;

    if (sd) {
        ShutdownCause cause = (ShutdownCause)(sd - 1);

        bql_lock();
        /* QEMU's sifive_test exits at once on a failure code: no event for it. */
        if (cause != SHUTDOWN_CAUSE_GUEST_PANIC) {
            runstate_emit_cause("SHUTDOWN", (int)cause);
        }
        if (cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN && rs.cfg.no_shutdown) {
            /* -no-shutdown: the VM stays, stopped, for a monitor to look at. */
            vm_stop(RUN_STATE_SHUTDOWN);
            bql_unlock();
            return;
        }
        runstate_exit(cause == SHUTDOWN_CAUSE_GUEST_PANIC ? rs.shutdown_code : 0);
    }
    rq = __atomic_exchange_n(&rs.reset_req, 0, __ATOMIC_ACQ_REL);
    if (rq) {
        ShutdownCause cause = (ShutdownCause)(rq - 1);
        bool was_running;

        bql_lock();
        if (rs.cfg.no_reboot && cause == SHUTDOWN_CAUSE_GUEST_RESET) {
            runstate_emit_cause("SHUTDOWN", (int)cause);
            runstate_exit(0);
        }
        was_running = rs.state == RUN_STATE_RUNNING;
        cpus_pause();
        qemu_system_reset();
        runstate_emit_cause("RESET", (int)cause);
        if (was_running) {
            cpus_resume();
        } else if (rs.state == RUN_STATE_SHUTDOWN) {
            vm_start();
        }
        bql_unlock();
    }
}

/* ---- signals, read on the main loop */

static void runstate_signal_read(void *opaque)
{
    struct signalfd_siginfo si;
    ssize_t n = read(rs.signal_fd, &si, sizeof(si));

    if (n != (ssize_t)sizeof(si)) {
        return;
    }
    if (si.ssi_pid) {
        g_autofree char *path = g_strdup_printf("/proc/%u/comm", si.ssi_pid);
        g_autofree char *comm = NULL;

        if (g_file_get_contents(path, &comm, NULL, NULL)) {
            g_strchomp(comm);
        }
        error_report("terminating on signal %u from pid %u (%s)", si.ssi_signo, si.ssi_pid,
                     comm ? comm : "<unknown process>");
    } else {
        error_report("terminating on signal %u", si.ssi_signo);
    }
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
}

/* Before any thread exists: block the signals everywhere and read them from a signalfd. */
static void runstate_setup_signals(void)
{
    sigset_t set;

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    rs.signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (rs.signal_fd >= 0) {
        main_loop_set_fd_handler(main_loop_default(), rs.signal_fd, runstate_signal_read, NULL,
                                 NULL);
    }
}

void runstate_init(MachineState *ms, const RunstateConfig *cfg)
{
    MachineSystemOps ops = {0};

    rs.ms = ms;
    rs.cfg = *cfg;
    rs.state = RUN_STATE_PRELAUNCH;
    /* Guest time starts when the guest does. */
    clock_virtual_pause();
    runstate_setup_signals();
    cpus_machine_ops(&ops);
    ops.shutdown = runstate_machine_shutdown;
    ops.reset = runstate_machine_reset;
    machine_set_system_ops(&ops);
    qemu_chr_quit_hook = runstate_quit_hook;
}

void runstate_main_loop(void)
{
    MainLoop *ml = main_loop_default();

    bql_lock();
    cpus_start();
    rs.vcpus_started = true;
    bql_unlock();
    for (;;) {
        runstate_handle_requests();
        main_loop_wait(ml, true);
    }
}
