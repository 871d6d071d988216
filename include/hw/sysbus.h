/*
 * Memory-mapped devices (QEMU's sysbus): a device with MMIO regions that
 * the board maps into the system address space, and output interrupt
 * lines the board wires to an interrupt controller.
 */
#ifndef MORPH_HW_SYSBUS_H
#define MORPH_HW_SYSBUS_H

#include "hw/qdev.h"
#include "system/memory.h"

#define SYSBUS_MAX_MMIO 4
#define SYSBUS_MAX_IRQ 32

typedef struct SysBusDevice {
    DeviceState parent;
    struct {
        MemoryRegion *mr;
        hwaddr addr;
        bool mapped;
    } mmio[SYSBUS_MAX_MMIO];
    int num_mmio;
    qemu_irq *irqs[SYSBUS_MAX_IRQ];  /* the device's own qemu_irq fields */
    int num_irq;
} SysBusDevice;

static inline SysBusDevice *SYS_BUS_DEVICE(DeviceState *dev)
{
    return (SysBusDevice *)dev;
}

/* In realize: declare the device's regions and output lines. */
void sysbus_init_mmio(SysBusDevice *sbd, MemoryRegion *mr);
void sysbus_init_irq(SysBusDevice *sbd, qemu_irq *p);
/* Board: map region n into system memory; connect output line n. */
void sysbus_mmio_map(SysBusDevice *sbd, int n, hwaddr addr);
MemoryRegion *sysbus_mmio_get_region(SysBusDevice *sbd, int n);
void sysbus_connect_irq(SysBusDevice *sbd, int n, qemu_irq irq);
/* qdev_new + realize + map region 0 at addr (if addr != -1), errors fatal to the board. */
DeviceState *sysbus_create_simple(const char *type, hwaddr addr, qemu_irq irq, Error **errp);

#endif
