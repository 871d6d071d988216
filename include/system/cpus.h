/*
 * Running the vCPUs (system/cpus.c): every hart of the machine on one vCPU
 * thread, in round robin, with the main loop on the main thread.
 *
 * The vCPU thread holds the big lock except while it runs translated code
 * or sleeps.  It switches harts when the running one halts (WFI), when an
 * interrupt line of another hart rises (an IPI, a timer: the running hart
 * is asked to leave at its next block, so a hart spinning on an SBI remote
 * fence sees the other side answer at once), and after a time slice when
 * several harts have work.  With no hart runnable it sleeps until a kick:
 * an idle guest costs no host CPU.
 */
#ifndef MORPH_SYSTEM_CPUS_H
#define MORPH_SYSTEM_CPUS_H

#include <stdbool.h>
#include "exec/cpu.h"
#include "hw/boards.h"

/* Take the machine's vCPUs (not yet running); installs the machine's system hooks. */
void cpus_init(MachineState *ms);
/* Start the vCPU thread (paused until cpus_resume). */
void cpus_start(void);
/* Stop running guest code and wait until no hart runs (big lock held). */
void cpus_pause(void);
void cpus_resume(void);
bool cpus_are_paused(void);
/* Wake the vCPU thread for `cs` (an interrupt, queued work); any thread. */
void cpus_kick(CPUState *cs);
/* Run fn(cs, data) on the vCPU thread between blocks, with the big lock held. */
void cpus_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data);
/* The vCPU side of the machine's requests (kick, run on a vCPU). */
void cpus_machine_ops(MachineSystemOps *ops);
/*
 * A hart's cpu_exec() returned EXCP_DEBUG (breakpoint, watchpoint, step):
 * fn(cs) runs on the vCPU thread with the big lock held; it may call
 * cpus_pause() (which then only asks the thread to park) and hand the
 * stop to the main loop.  A hart with cs->stopped set is not run.
 */
void cpus_set_debug_hook(void (*fn)(CPUState *cs));
/* Host thread id of the vCPU thread (0 before start), for `info cpus`. */
long cpus_thread_id(void);

#endif
