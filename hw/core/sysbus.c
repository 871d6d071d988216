/*
 * Memory-mapped devices (contract in include/hw/sysbus.h; the model is
 * QEMU's hw/core/sysbus.c): the regions a device declares, mapped into
 * system memory by the board, and its output lines.
 */
#include <glib.h>
#include "hw/sysbus.h"

void sysbus_init_mmio(SysBusDevice *sbd, MemoryRegion *mr)
{
    g_assert(sbd->num_mmio < SYSBUS_MAX_MMIO);
    sbd->mmio[sbd->num_mmio].mr = mr;
    sbd->mmio[sbd->num_mmio].addr = (hwaddr)-1;
    sbd->num_mmio++;
}

void sysbus_init_irq(SysBusDevice *sbd, qemu_irq *p)
{
    g_assert(sbd->num_irq < SYSBUS_MAX_IRQ);
    sbd->irqs[sbd->num_irq++] = p;
}

void sysbus_mmio_map(SysBusDevice *sbd, int n, hwaddr addr)
{
    g_assert(n >= 0 && n < sbd->num_mmio);
    if (sbd->mmio[n].mapped) {
        if (sbd->mmio[n].addr == addr) {
            return;
        }
        memory_region_del_subregion(get_system_memory(), sbd->mmio[n].mr);
    }
    sbd->mmio[n].addr = addr;
    sbd->mmio[n].mapped = true;
    memory_region_add_subregion(get_system_memory(), addr, sbd->mmio[n].mr);
}

MemoryRegion *sysbus_mmio_get_region(SysBusDevice *sbd, int n)
{
    g_assert(n >= 0 && n < sbd->num_mmio);
    return sbd->mmio[n].mr;
}

void sysbus_connect_irq(SysBusDevice *sbd, int n, qemu_irq irq)
{
    g_assert(n >= 0 && n < sbd->num_irq);
    *sbd->irqs[n] = irq;
}

DeviceState *sysbus_create_simple(const char *type, hwaddr addr, qemu_irq irq, Error **errp)
{
    DeviceState *dev = qdev_new(type);

    if (!qdev_realize(dev, errp)) {
        qdev_free(dev);
        return NULL;
    }
    if (addr != (hwaddr)-1) {
        sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    }
    if (irq) {
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, irq);
    }
    return dev;
}
