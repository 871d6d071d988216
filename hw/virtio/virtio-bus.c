/*
 * virtio in the device model (QEMU's hw/virtio/virtio-mmio.c transport
 * device and the *-device front ends): the sysbus device "virtio-mmio"
 * that boards map at each slot, and the -device classes
 * virtio-blk-device, virtio-net-device, virtio-rng-device,
 * virtio-serial-device and virtconsole.  A front end plugs into the free
 * slot with the highest address, as QEMU's virt boards do (they create
 * their transports from the last slot down and a device takes the first
 * free bus).
 *
 * The core (virtio.c, virtqueue.c) reaches guest memory through
 * virtio_system_mem, over address_space_map(): only RAM is mapped (a DMA
 * address in MMIO or a hole is the driver's error, not a bounce-buffer
 * case), and unmap drops translated code that a device write touched.
 * Queue bottom halves and block/net completions run with the big lock.
 */
#include <string.h>

#include <glib.h>

#include "block/block.h"
#include "exec/memory.h"
#include "hw/qdev.h"
#include "hw/sysbus.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-bus.h"
#include "hw/virtio/virtio-console.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-rng.h"
#include "net/net.h"
#include "system/bql.h"
#include "system/memory.h"
#include "util/log.h"

#define VIRTIO_BUS_PAGE 4096

/* ---- guest memory and the big lock ------------------------------------------ */

static void *virtio_system_map(void *opaque, uint64_t addr, uint64_t *plen, bool is_write)
{
    AddressSpace *as = address_space_memory();
    MemoryRegionSection *section;
    void *host;
    hwaddr len = *plen;
    void *p;

    if (addr + *plen < addr) {
        return NULL;
    }
    /*
     * Plain RAM only: address_space_map() would bounce anything else
     * through its single buffer, which a ring must never hold.
     */
    address_space_translate_for_tlb(as, addr & ~(uint64_t)(VIRTIO_BUS_PAGE - 1), &host,
                                    &section);
    if (!host || section) {
        return NULL;
    }
    p = address_space_map(as, addr, &len, is_write, 0);
    if (p && p != (uint8_t *)host + (addr & (VIRTIO_BUS_PAGE - 1))) {
        address_space_unmap(as, p, len, false, 0);
        return NULL;
    }
    *plen = len;
    return p;
}

static void virtio_system_unmap(void *opaque, void *host, uint64_t addr, uint64_t len,
                                uint64_t written)
{
    address_space_unmap(address_space_memory(), host, len, written != 0, written);
}

static bool virtio_system_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    return address_space_read(address_space_memory(), addr, 0, buf, len) == MEMTX_OK;
}

static bool virtio_system_write(void *opaque, uint64_t addr, const void *buf, uint64_t len)
{
    return address_space_write(address_space_memory(), addr, 0, buf, len) == MEMTX_OK;
}

static const VirtIOGuestMem virtio_system_mem = {
    .map = virtio_system_map,
    .unmap = virtio_system_unmap,
    .read = virtio_system_read,
    .write = virtio_system_write,
};

static const VirtIOLockOps virtio_bql_ops = {
    .lock = bql_lock,
    .unlock = bql_unlock,
    .locked = bql_locked,
    .bh_new = bql_bh_new,
    .bh_delete = bql_bh_delete,
};

static void __attribute__((constructor)) virtio_bus_init(void)
{
    virtio_set_lock_ops(&virtio_bql_ops);
}

/* ---- back ends the command line opened ----------------------------------------- */

static GHashTable *virtio_drives;

void virtio_bus_add_drive(const char *id, BlockBackend *blk)
{
    if (!virtio_drives) {
        virtio_drives = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    g_hash_table_insert(virtio_drives, g_strdup(id), blk);
}

static BlockBackend *virtio_bus_find_drive(const char *id)
{
    return virtio_drives ? g_hash_table_lookup(virtio_drives, id) : NULL;
}

/* ---- the transport device ------------------------------------------------------- */

static GPtrArray *virtio_transports;

static uint64_t virtio_mmio_dev_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOMMIOState *s = opaque;

    return virtio_mmio_read(&s->transport, addr, size);
}

static void virtio_mmio_dev_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    VirtIOMMIOState *s = opaque;

    virtio_mmio_write(&s->transport, addr, val, size);
}

static const MemoryRegionOps virtio_mmio_dev_ops = {
    .read = virtio_mmio_dev_read,
    .write = virtio_mmio_dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

static void virtio_mmio_dev_set_irq(void *opaque, int level)
{
    VirtIOMMIOState *s = opaque;

    qemu_set_irq(s->irq, level);
}

static void virtio_mmio_dev_realize(DeviceState *dev, Error **errp)
{
    VirtIOMMIOState *s = (VirtIOMMIOState *)dev;

    memory_region_init_io(&s->mmio, s, &virtio_mmio_dev_ops, s, TYPE_VIRTIO_MMIO,
                          VIRTIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irq);
    virtio_mmio_init(&s->transport, s->force_legacy, virtio_mmio_dev_set_irq, s);
    if (!virtio_transports) {
        virtio_transports = g_ptr_array_new();
    }
    g_ptr_array_add(virtio_transports, s);
}

static void virtio_mmio_dev_unrealize(DeviceState *dev)
{
    VirtIOMMIOState *s = (VirtIOMMIOState *)dev;

    g_ptr_array_remove(virtio_transports, s);
    memory_region_finalize(&s->mmio);
}

static void virtio_mmio_dev_reset(DeviceState *dev)
{
    VirtIOMMIOState *s = (VirtIOMMIOState *)dev;

    virtio_mmio_reset(&s->transport);
}

static const Property virtio_mmio_dev_props[] = {
    DEFINE_PROP_BOOL("force-legacy", VirtIOMMIOState, force_legacy, false),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtio_mmio_class = {
    .name = TYPE_VIRTIO_MMIO,
    .desc = "virtio-mmio transport",
    .category = "Misc devices",
    .instance_size = sizeof(VirtIOMMIOState),
    .sysbus = true,
    .realize = virtio_mmio_dev_realize,
    .unrealize = virtio_mmio_dev_unrealize,
    .reset = virtio_mmio_dev_reset,
    .props = virtio_mmio_dev_props,
};

DEVICE_CLASS_REGISTER(virtio_mmio_class)

/* The free mapped slot with the highest address. */
static VirtIOMMIOState *virtio_bus_free_slot(Error **errp)
{
    VirtIOMMIOState *best = NULL;
    unsigned i;

    for (i = 0; virtio_transports && i < virtio_transports->len; i++) {
        VirtIOMMIOState *s = g_ptr_array_index(virtio_transports, i);
        SysBusDevice *sbd = &s->parent;

        if (s->backend || !sbd->mmio[0].mapped) {
            continue;
        }
        if (!best || sbd->mmio[0].addr > best->parent.mmio[0].addr) {
            best = s;
        }
    }
    if (!best) {
        error_setg(errp, "No 'virtio-bus' bus found for device");
    }
    return best;
}

static bool virtio_bus_plug(DeviceState *dev, VirtIODevice *vdev, VirtIOMMIOState *slot)
{
    virtio_set_guest_mem(vdev, &virtio_system_mem);
    slot->backend = dev;
    virtio_mmio_plug(&slot->transport, vdev);
    return true;
}

static void virtio_bus_unplug(VirtIOMMIOState *slot)
{
    if (slot) {
        virtio_mmio_plug(&slot->transport, NULL);
        slot->backend = NULL;
    }
}

/* ---- virtio-blk-device ---------------------------------------------------------- */

typedef struct VirtIOBlkDev {
    DeviceState parent;
    char *drive;
    char *serial;
    VirtIOBlock blk;
    VirtIOMMIOState *slot;
} VirtIOBlkDev;

static void virtio_blk_dev_realize(DeviceState *dev, Error **errp)
{
    VirtIOBlkDev *d = (VirtIOBlkDev *)dev;
    BlockBackend *blk;

    if (!d->drive) {
        error_setg(errp, "drive property not set");
        return;
    }
    blk = virtio_bus_find_drive(d->drive);
    if (!blk) {
        error_setg(errp, "Property 'virtio-blk-device.drive' can't find value '%s'", d->drive);
        return;
    }
    if (!(d->slot = virtio_bus_free_slot(errp)) ||
        !virtio_blk_realize(&d->blk, blk, d->serial, errp)) {
        return;
    }
    virtio_bus_plug(dev, &d->blk.parent, d->slot);
}

static void virtio_blk_dev_unrealize(DeviceState *dev)
{
    VirtIOBlkDev *d = (VirtIOBlkDev *)dev;

    virtio_bus_unplug(d->slot);
    virtio_blk_unrealize(&d->blk);
}

static const Property virtio_blk_dev_props[] = {
    DEFINE_PROP_DRIVE("drive", VirtIOBlkDev, drive),
    DEFINE_PROP_STRING("serial", VirtIOBlkDev, serial),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtio_blk_dev_class = {
    .name = "virtio-blk-device",
    .desc = "virtio block device (virtio-mmio)",
    .category = "Storage devices",
    .instance_size = sizeof(VirtIOBlkDev),
    .user_creatable = true,
    .realize = virtio_blk_dev_realize,
    .unrealize = virtio_blk_dev_unrealize,
    .props = virtio_blk_dev_props,
};

DEVICE_CLASS_REGISTER(virtio_blk_dev_class)

/* ---- virtio-net-device ---------------------------------------------------------- */

typedef struct VirtIONetDev {
    DeviceState parent;
    char *netdev;
    char *mac;
    bool mrg_rxbuf;
    VirtIONet net;
    VirtIOMMIOState *slot;
} VirtIONetDev;

static void virtio_net_dev_realize(DeviceState *dev, Error **errp)
{
    VirtIONetDev *d = (VirtIONetDev *)dev;
    NetClientState *nc = NULL;
    uint8_t mac[6];

    if (d->mac && !net_parse_macaddr(d->mac, mac)) {
        error_setg(errp, "Property 'virtio-net-device.mac' doesn't take value '%s'", d->mac);
        return;
    }
    if (d->netdev && !(nc = net_find_netdev(d->netdev))) {
        error_setg(errp, "Property 'virtio-net-device.netdev' can't find value '%s'",
                   d->netdev);
        return;
    }
    if (!(d->slot = virtio_bus_free_slot(errp)) ||
        !virtio_net_realize(&d->net, nc, d->mac ? mac : NULL, d->mrg_rxbuf, errp)) {
        return;
    }
    virtio_bus_plug(dev, &d->net.parent, d->slot);
}

static void virtio_net_dev_unrealize(DeviceState *dev)
{
    VirtIONetDev *d = (VirtIONetDev *)dev;

    virtio_bus_unplug(d->slot);
    virtio_net_unrealize(&d->net);
}

static const Property virtio_net_dev_props[] = {
    DEFINE_PROP_NETDEV("netdev", VirtIONetDev, netdev),
    DEFINE_PROP_STRING("mac", VirtIONetDev, mac),
    DEFINE_PROP_BOOL("mrg_rxbuf", VirtIONetDev, mrg_rxbuf, true),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtio_net_dev_class = {
    .name = "virtio-net-device",
    .desc = "virtio network device (virtio-mmio)",
    .category = "Network devices",
    .instance_size = sizeof(VirtIONetDev),
    .user_creatable = true,
    .realize = virtio_net_dev_realize,
    .unrealize = virtio_net_dev_unrealize,
    .props = virtio_net_dev_props,
};

DEVICE_CLASS_REGISTER(virtio_net_dev_class)

bool virtio_bus_create_nics(Error **errp)
{
    GPtrArray *reqs = net_nic_requests();
    unsigned i;

    for (i = 0; i < reqs->len; i++) {
        NetNICRequest *r = g_ptr_array_index(reqs, i);
        DeviceState *dev;

        if (r->model && strcmp(r->model, "virtio-net-device") && strcmp(r->model, "virtio")) {
            error_setg(errp, "Unsupported NIC model: %s", r->model);
            return false;
        }
        dev = qdev_new("virtio-net-device");
        qdev_prop_set_string(dev, "netdev", r->netdev->name);
        if (r->mac) {
            qdev_prop_set_string(dev, "mac", r->mac);
        }
        if (!qdev_realize(dev, errp)) {
            qdev_free(dev);
            return false;
        }
    }
    return true;
}

/* ---- virtio-rng-device ------------------------------------------------------------ */

typedef struct VirtIORNGDev {
    DeviceState parent;
    VirtIORNG rng;
    VirtIOMMIOState *slot;
} VirtIORNGDev;

static void virtio_rng_dev_realize(DeviceState *dev, Error **errp)
{
    VirtIORNGDev *d = (VirtIORNGDev *)dev;

    if (!(d->slot = virtio_bus_free_slot(errp))) {
        return;
    }
    virtio_rng_realize(&d->rng);
    virtio_bus_plug(dev, &d->rng.parent, d->slot);
}

static void virtio_rng_dev_unrealize(DeviceState *dev)
{
    VirtIORNGDev *d = (VirtIORNGDev *)dev;

    virtio_bus_unplug(d->slot);
    virtio_rng_unrealize(&d->rng);
}

static const DeviceClass virtio_rng_dev_class = {
    .name = "virtio-rng-device",
    .desc = "virtio entropy source (virtio-mmio), from the host's getrandom()",
    .category = "Misc devices",
    .instance_size = sizeof(VirtIORNGDev),
    .user_creatable = true,
    .realize = virtio_rng_dev_realize,
    .unrealize = virtio_rng_dev_unrealize,
};

DEVICE_CLASS_REGISTER(virtio_rng_dev_class)

/* ---- virtio-serial-device and virtconsole ------------------------------------------- */

typedef struct VirtIOSerialDev {
    DeviceState parent;
    VirtIOConsole console;
    VirtIOMMIOState *slot;
    bool port_taken;
} VirtIOSerialDev;

static GPtrArray *virtio_serial_devs;

static void virtio_serial_dev_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialDev *d = (VirtIOSerialDev *)dev;

    if (!(d->slot = virtio_bus_free_slot(errp))) {
        return;
    }
    virtio_console_realize(&d->console);
    virtio_bus_plug(dev, &d->console.parent, d->slot);
    if (!virtio_serial_devs) {
        virtio_serial_devs = g_ptr_array_new();
    }
    g_ptr_array_add(virtio_serial_devs, d);
}

static void virtio_serial_dev_unrealize(DeviceState *dev)
{
    VirtIOSerialDev *d = (VirtIOSerialDev *)dev;

    g_ptr_array_remove(virtio_serial_devs, d);
    virtio_bus_unplug(d->slot);
    virtio_console_unrealize(&d->console);
}

static const DeviceClass virtio_serial_dev_class = {
    .name = "virtio-serial-device",
    .desc = "virtio serial/console device with one port (virtio-mmio)",
    .category = "Input devices",
    .instance_size = sizeof(VirtIOSerialDev),
    .user_creatable = true,
    .realize = virtio_serial_dev_realize,
    .unrealize = virtio_serial_dev_unrealize,
};

DEVICE_CLASS_REGISTER(virtio_serial_dev_class)

typedef struct VirtConsoleDev {
    DeviceState parent;
    CharBackend chr;
    VirtIOSerialDev *serial;
} VirtConsoleDev;

static void virtconsole_realize(DeviceState *dev, Error **errp)
{
    VirtConsoleDev *c = (VirtConsoleDev *)dev;
    VirtIOSerialDev *d = NULL;
    unsigned i;

    /* The first virtio-serial-device whose port is free. */
    for (i = 0; virtio_serial_devs && i < virtio_serial_devs->len; i++) {
        VirtIOSerialDev *s = g_ptr_array_index(virtio_serial_devs, i);

        if (!s->port_taken) {
            d = s;
            break;
        }
    }
    if (!d) {
        error_setg(errp, "No 'virtio-serial-bus' bus found for device 'virtconsole'");
        return;
    }
    d->port_taken = true;
    c->serial = d;
    if (qemu_chr_fe_backend_connected(&c->chr)) {
        virtio_console_attach(&d->console, &c->chr);
    }
}

static void virtconsole_unrealize(DeviceState *dev)
{
    VirtConsoleDev *c = (VirtConsoleDev *)dev;

    if (c->serial) {
        if (c->serial->console.chr == &c->chr) {
            qemu_chr_fe_set_handlers(&c->chr, NULL, NULL, NULL, NULL);
            c->serial->console.chr = NULL;
        }
        c->serial->port_taken = false;
    }
}

static const Property virtconsole_props[] = {
    DEFINE_PROP_CHR("chardev", VirtConsoleDev, chr),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass virtconsole_class = {
    .name = "virtconsole",
    .desc = "the console port of a virtio-serial-device",
    .category = "Input devices",
    .instance_size = sizeof(VirtConsoleDev),
    .user_creatable = true,
    .realize = virtconsole_realize,
    .unrealize = virtconsole_unrealize,
    .props = virtconsole_props,
};

DEVICE_CLASS_REGISTER(virtconsole_class)
