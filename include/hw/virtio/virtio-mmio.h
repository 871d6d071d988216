/*
 * The virtio-mmio transport (virtio 1.2 section 4.2): one 0x200-byte
 * register window per device, version 2 (modern) or version 1 (legacy,
 * 4.2.4: GuestPageSize / QueueAlign / QueuePFN), with the device's
 * configuration space at 0x100.  A transport with no device plugged in
 * reads as an empty slot (device ID 0), as QEMU's does, so that boards can
 * offer a fixed set of slots.
 *
 * VirtIOMMIO is the register model (hw/virtio/virtio-mmio.c, no device
 * model needed, unit-tested alone); VirtIOMMIOState is the sysbus device
 * "virtio-mmio" that boards map (hw/virtio/virtio-bus.c).
 */
#ifndef MORPH_HW_VIRTIO_VIRTIO_MMIO_H
#define MORPH_HW_VIRTIO_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/sysbus.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define VIRTIO_MMIO_SIZE 0x200
#define VIRTIO_MMIO_MAGIC 0x74726976  /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x554d4551 /* "QEMU", as QEMU reports */

/* Register offsets (4.2.2, 4.2.4). */
enum {
    VIRTIO_MMIO_MAGIC_VALUE = 0x000,
    VIRTIO_MMIO_VERSION = 0x004,
    VIRTIO_MMIO_DEVICE_ID = 0x008,
    VIRTIO_MMIO_VENDOR_ID = 0x00c,
    VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
    VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
    VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
    VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
    VIRTIO_MMIO_GUEST_PAGE_SIZE = 0x028,
    VIRTIO_MMIO_QUEUE_SEL = 0x030,
    VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
    VIRTIO_MMIO_QUEUE_NUM = 0x038,
    VIRTIO_MMIO_QUEUE_ALIGN = 0x03c,
    VIRTIO_MMIO_QUEUE_PFN = 0x040,
    VIRTIO_MMIO_QUEUE_READY = 0x044,
    VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
    VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
    VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
    VIRTIO_MMIO_STATUS = 0x070,
    VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
    VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
    VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
    VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
    VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
    VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
    VIRTIO_MMIO_SHM_SEL = 0x0ac,
    VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
    VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4,
    VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
    VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
    VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
    VIRTIO_MMIO_CONFIG = 0x100,
};

typedef struct VirtIOMMIO {
    /* The plugged device, or NULL for an empty slot. */
    VirtIODevice *vdev;
    /* Speak version 1 (QEMU's force-legacy property). */
    bool legacy;
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint32_t queue_sel;
    uint32_t guest_page_shift;
    uint32_t queue_align[VIRTIO_QUEUE_MAX];
    /* The interrupt line: level = InterruptStatus != 0. */
    void (*set_irq)(void *opaque, int level);
    void *irq_opaque;
} VirtIOMMIO;

/* An empty slot raising its line through set_irq(irq_opaque, level). */
void virtio_mmio_init(VirtIOMMIO *m, bool legacy, void (*set_irq)(void *opaque, int level),
                      void *irq_opaque);
/* Plug a device (its DMA path must be set); NULL unplugs. */
void virtio_mmio_plug(VirtIOMMIO *m, VirtIODevice *vdev);
/* Power-on reset of the transport and its device. */
void virtio_mmio_reset(VirtIOMMIO *m);
/* Register accesses at `offset` in the window (sizes 1, 2 and 4). */
uint64_t virtio_mmio_read(VirtIOMMIO *m, uint64_t offset, unsigned size);
void virtio_mmio_write(VirtIOMMIO *m, uint64_t offset, uint64_t val, unsigned size);

/* The sysbus device a board maps at each slot (region 0, irq 0). */
typedef struct VirtIOMMIOState {
    SysBusDevice parent;
    MemoryRegion mmio;
    qemu_irq irq;
    VirtIOMMIO transport;
    /* Property force-legacy: version 1 registers (QEMU's default is on). */
    bool force_legacy;
    /* The device plugged in by -device (a qdev of its own), or NULL. */
    DeviceState *backend;
} VirtIOMMIOState;

#endif
