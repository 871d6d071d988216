/*
 * The RISC-V ACLINT (see hw/intc/riscv-aclint.c): MSWI (machine software
 * interrupts, msip) and MTIMER (mtime/mtimecmp), in the SiFive CLINT
 * layout QEMU's virt board uses at 0x2000000.
 */
#ifndef MORPH_HW_INTC_RISCV_ACLINT_H
#define MORPH_HW_INTC_RISCV_ACLINT_H

#include "hw/sysbus.h"
#include "util/main-loop.h"

#define TYPE_RISCV_ACLINT_SWI "riscv.aclint.swi"
#define TYPE_RISCV_ACLINT_MTIMER "riscv.aclint.mtimer"

#define RISCV_ACLINT_MAX_HARTS 4095
#define RISCV_ACLINT_SWI_SIZE 0x4000
#define RISCV_ACLINT_DEFAULT_MTIMECMP 0x0
#define RISCV_ACLINT_DEFAULT_MTIME 0x7ff8
#define RISCV_ACLINT_DEFAULT_MTIMER_SIZE 0x8000
#define RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ 10000000

/* MSWI: one msip word per hart; bit 0 drives the hart's MSIP line (sysbus irq i). */
typedef struct RISCVAclintSwiState {
    SysBusDevice parent;
    MemoryRegion mmio;
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t *msip;
    qemu_irq *irqs;
} RISCVAclintSwiState;

typedef struct RISCVAclintMTimerState RISCVAclintMTimerState;

/* A hart's timer callback argument. */
typedef struct RISCVAclintMTimerHart {
    RISCVAclintMTimerState *s;
    unsigned i;
} RISCVAclintMTimerHart;

/*
 * MTIMER: mtime (a count at timebase-freq of the virtual clock, plus the
 * offset written to it) and one mtimecmp per hart, which drives the hart's
 * MTIP line (sysbus irq i) while mtime >= mtimecmp.
 */
struct RISCVAclintMTimerState {
    SysBusDevice parent;
    MemoryRegion mmio;
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t timecmp_base;
    uint32_t time_base;
    uint32_t aperture_size;
    uint32_t timebase_freq;
    int64_t time_delta;         /* mtime = ticks(virtual clock) + time_delta */
    uint64_t *timecmp;
    Timer **timers;
    RISCVAclintMTimerHart *harts;
    qemu_irq *irqs;
};

/* The current mtime (the harts' time CSR); any thread. */
uint64_t riscv_aclint_mtimer_read_time(void *opaque);
/* The virtual-clock time (ns) at which mtime reaches `ticks` (INT64_MAX: never). */
int64_t riscv_aclint_mtimer_ticks_to_ns(RISCVAclintMTimerState *s, uint64_t ticks);

#endif
