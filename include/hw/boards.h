/*
 * Machines (boards): a registry of machine types for -M, the state the
 * command line fills in for the board (RAM size, CPUs, images, consoles),
 * and the few requests a board's devices make of the system layer above
 * it (wake a vCPU, power off, reset), which that layer installs as hooks
 * so that hw/ never includes system/.  The model is QEMU's
 * include/hw/boards.h and hw/core/machine.c.
 */
#ifndef MORPH_HW_BOARDS_H
#define MORPH_HW_BOARDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "chardev/char.h"
#include "exec/cpu.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"
#include "util/main-loop.h"

typedef struct MachineState MachineState;

typedef struct MachineClass {
    const char *name;
    const char *alias;              /* another accepted name, or NULL */
    const char *desc;
    bool is_default;
    unsigned max_cpus;
    unsigned default_cpus;
    uint64_t default_ram_size;
    const char *default_ram_id;     /* QEMU's name of the RAM region */
    /* -machine keys the board reads from MachineState.opts (NULL-terminated). */
    const char *const *props;
    /* Build the machine: CPUs, memory, devices, images, device tree. */
    bool (*init)(MachineState *ms, Error **errp);
    /* Back to power-on: CPUs and images (devices are reset by qdev_reset_all). */
    void (*reset)(MachineState *ms);
    /*
     * Optional, for the round robin of harts on one host thread: may the
     * time slice end for `cs` now?  false while it runs firmware (M-mode),
     * whose critical windows assume the other harts run alongside; called
     * on the vCPU thread between blocks.
     */
    bool (*cpu_preemptible)(MachineState *ms, CPUState *cs);
} MachineClass;

#define MACHINE_MAX_SERIAL 4

struct MachineState {
    const MachineClass *mc;
    const Opts *opts;               /* -machine, for the board's own keys */
    uint64_t ram_size;
    unsigned smp_cpus;
    const char *cpu_model;          /* -cpu, NULL: the board's default */
    const char *firmware;           /* -bios: a path, "default" or "none"; NULL: default */
    const char *kernel_filename;
    const char *initrd_filename;
    const char *kernel_cmdline;
    const char *dtb;                /* -dtb: replaces the generated tree */
    const char *dumpdtb;            /* -M ...,dumpdtb=FILE: write the tree and exit */
    Chardev *serial[MACHINE_MAX_SERIAL];

    /* Filled in by the board. */
    MemoryRegion *ram;
    void *fdt;
    size_t fdt_size;
    CPUState **cpus;
    unsigned ncpus;
    void *board;
};

void machine_class_register(const MachineClass *mc);
#define MACHINE_CLASS_REGISTER(mc)                                                                 \
    static void __attribute__((constructor)) mc##_register(void)                                  \
    {                                                                                              \
        machine_class_register(&(mc));                                                             \
    }
/* By name or alias. */
const MachineClass *machine_class_find(const char *name);
const MachineClass *machine_class_default(void);
/* `-M help`. */
void machine_class_print_list(FILE *out);
/* Is `key` one of the board's -machine keys? */
bool machine_class_has_prop(const MachineClass *mc, const char *key);

/*
 * -rtc: the clock guest RTCs follow (host: the host's wall clock, the
 * default; rt: monotonic; vm: the virtual clock, stopped with the VM) and
 * how far their date is from the host's UTC time at start (localtime,
 * base=DATE).
 */
typedef struct RtcConfig {
    MorphClockType clock;
    int64_t start_offset_s;
} RtcConfig;

extern RtcConfig machine_rtc_config;
/* What to add to the -rtc clock's reading (ns) to get the guest's date in ns since the epoch. */
int64_t machine_rtc_offset_ns(void);

/* ---- requests of the system layer */

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,     /* a test device's failure code */
} ShutdownCause;

typedef struct MachineSystemOps {
    /* A vCPU may have work (an interrupt line rose): wake it, let it run soon. */
    void (*cpu_kick)(CPUState *cs);
    /* Run fn(cs, data) on the vCPU's thread between translated blocks, soon. */
    void (*run_on_cpu)(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data);
    /* Power off (exit code for the process: 0, or a test device's code). */
    void (*shutdown)(ShutdownCause cause, int exit_code);
    void (*reset)(ShutdownCause cause);
} MachineSystemOps;

void machine_set_system_ops(const MachineSystemOps *ops);
void machine_cpu_kick(CPUState *cs);
void machine_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data);
void machine_request_shutdown(ShutdownCause cause, int exit_code);
void machine_request_reset(ShutdownCause cause);

#endif
