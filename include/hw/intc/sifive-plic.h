/*
 * The SiFive PLIC (see hw/intc/sifive-plic.c): the platform-level
 * interrupt controller of QEMU's virt board at 0xc000000.
 */
#ifndef MORPH_HW_INTC_SIFIVE_PLIC_H
#define MORPH_HW_INTC_SIFIVE_PLIC_H

#include "hw/sysbus.h"

#define TYPE_SIFIVE_PLIC "riscv.sifive.plic"

/* The register map of QEMU's virt board (riscv-plic-spec 1.0.0, chapter 3). */
#define SIFIVE_PLIC_PRIORITY_BASE 0x0
#define SIFIVE_PLIC_PENDING_BASE 0x1000
#define SIFIVE_PLIC_ENABLE_BASE 0x2000
#define SIFIVE_PLIC_ENABLE_STRIDE 0x80
#define SIFIVE_PLIC_CONTEXT_BASE 0x200000
#define SIFIVE_PLIC_CONTEXT_STRIDE 0x1000
#define SIFIVE_PLIC_MAX_SOURCES 1024

/* A context: one hart in one privilege mode, with its own enables, threshold and line. */
typedef struct SiFivePLICContext {
    uint32_t hartid;
    char mode;                  /* 'M', 'S' or 'U' */
} SiFivePLICContext;

typedef struct SiFivePLICState {
    SysBusDevice parent;
    MemoryRegion mmio;

    /* Properties */
    char *hart_config;          /* per hart, the modes it has contexts for: "MS,MS" */
    uint32_t hartid_base;
    uint32_t num_sources;       /* sources 1..num_sources-1 exist (0 is "none") */
    uint32_t num_priorities;    /* highest priority value (7: three bits) */
    uint32_t aperture_size;

    /* Derived at realize */
    uint32_t num_contexts;
    uint32_t words;             /* 32-bit words of a source bitmap */
    SiFivePLICContext *contexts;

    /* State */
    uint32_t *priority;         /* [num_sources] */
    uint32_t *threshold;        /* [num_contexts] */
    uint32_t *pending;          /* [words] */
    uint32_t *claimed;          /* [words]: in service, between claim and complete */
    uint32_t *level;            /* [words]: the input lines as the devices drive them */
    uint32_t *enable;           /* [num_contexts * words] */
    uint32_t enable_words;      /* num_contexts * words, for the state description */
    qemu_irq *irqs;             /* [num_contexts]: MEIP/SEIP of the context's hart */
} SiFivePLICState;

#endif
