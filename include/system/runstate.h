/*
 * Run state of the VM and the requests that change it (system/runstate.c):
 * QEMU's RunState names, vm_start/vm_stop, system reset, and the shutdown
 * path that ends the process.  Requests may come from any thread (a
 * device on the vCPU thread, a signal); the main loop acts on them.
 */
#ifndef MORPH_SYSTEM_RUNSTATE_H
#define MORPH_SYSTEM_RUNSTATE_H

#include <stdbool.h>
#include "hw/boards.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_DEBUG,            /* stopped by the GDB stub (breakpoint, step, Ctrl-C) */
} RunState;

/* What the command line said about shutdown and reboot. */
typedef struct RunstateConfig {
    bool no_shutdown;   /* -no-shutdown: a guest poweroff stops the VM instead of exiting */
    bool no_reboot;     /* -no-reboot: a guest reset exits instead */
    const char *pidfile;
} RunstateConfig;

void runstate_init(MachineState *ms, const RunstateConfig *cfg);
RunState runstate_get(void);
const char *runstate_name(RunState s);
bool runstate_is_running(void);

/*
 * Start or stop the guest (the virtual clock stops with it); big lock
 * held, main loop.  They emit QMP's RESUME and STOP when the state
 * changes between running and not running, as QEMU does.
 */
void vm_start(void);
void vm_stop(RunState state);
/*
 * Called after vm_stop() stopped a running VM (not for RUN_STATE_DEBUG,
 * which the stub reports itself): the GDB stub tells a waiting debugger.
 */
void runstate_set_stop_notify(void (*fn)(void));
/* The VM is stopped, and a reset is needed before `cont` (shutdown with -no-shutdown). */
bool runstate_needs_reset(void);
/* Reset every device, the harts and the images (vCPUs paused around it). */
void qemu_system_reset(void);

/* Requests (any thread); the main loop carries them out. */
void qemu_system_shutdown_request(ShutdownCause cause, int exit_code);
void qemu_system_reset_request(ShutdownCause cause);
/* system_reset from a monitor: RESET says "host-qmp-system-reset". */
void qemu_system_reset_request_qmp(void);
/*
 * system_powerdown: emit POWERDOWN and press the machine's power button
 * (system/powerdown.c); main loop, big lock held.
 */
void qemu_system_powerdown_request(void);

/* The main loop, until a shutdown ends the process (does not return). */
__attribute__((noreturn)) void runstate_main_loop(void);
/* Leave now: stop the vCPUs, close chardevs (the terminal comes back), exit. */
__attribute__((noreturn)) void runstate_exit(int code);

#endif
