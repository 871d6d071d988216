/*
 * The virtio-mmio transport (virtio 1.2 section 4.2): the register layout
 * of 4.2.2 (version 2) and the legacy one of 4.2.4 (version 1:
 * GuestPageSize, QueueAlign, QueuePFN), with the device-specific
 * configuration space from offset 0x100.
 *
 * Registers are 32 bits wide and must be accessed as such (4.2.2.2); the
 * configuration space takes 1, 2 and 4 byte accesses.  A wrong-size or
 * misaligned register access, a read of a write-only register, a write of
 * a read-only one, or a register the transport's version does not have is
 * a guest error: logged, the read answers 0 and the write is dropped, as
 * QEMU's hw/virtio/virtio-mmio.c does.  An empty slot (no device) reads as
 * device ID 0 with the magic, version and vendor in place, and ignores
 * writes, so that Linux probes it and moves on.
 *
 * This is the register model alone; the sysbus device that boards map is
 * in virtio-bus.c.
 */
#include <string.h>

#include <glib.h>

#include "hw/virtio/virtio-mmio.h"
#include "util/log.h"

/* Who may access a register, and in which version of the interface. */
enum {
    REG_R = 1,
    REG_W = 2,
    REG_RW = REG_R | REG_W,
};

enum {
    REG_BOTH,
    REG_MODERN,
    REG_LEGACY,
};

typedef struct VirtIOMMIOReg {
    uint32_t offset;
    const char *name;
    uint8_t access;
    uint8_t version;
} VirtIOMMIOReg;

static const VirtIOMMIOReg virtio_mmio_regs[] = {
    { VIRTIO_MMIO_MAGIC_VALUE, "MagicValue", REG_R, REG_BOTH },
    { VIRTIO_MMIO_VERSION, "Version", REG_R, REG_BOTH },
    { VIRTIO_MMIO_DEVICE_ID, "DeviceID", REG_R, REG_BOTH },
    { VIRTIO_MMIO_VENDOR_ID, "VendorID", REG_R, REG_BOTH },
    { VIRTIO_MMIO_DEVICE_FEATURES, "DeviceFeatures", REG_R, REG_BOTH },
    { VIRTIO_MMIO_DEVICE_FEATURES_SEL, "DeviceFeaturesSel", REG_W, REG_BOTH },
    { VIRTIO_MMIO_DRIVER_FEATURES, "DriverFeatures", REG_W, REG_BOTH },
    { VIRTIO_MMIO_DRIVER_FEATURES_SEL, "DriverFeaturesSel", REG_W, REG_BOTH },
    { VIRTIO_MMIO_GUEST_PAGE_SIZE, "GuestPageSize", REG_W, REG_LEGACY },
    { VIRTIO_MMIO_QUEUE_SEL, "QueueSel", REG_W, REG_BOTH },
    { VIRTIO_MMIO_QUEUE_NUM_MAX, "QueueNumMax", REG_R, REG_BOTH },
    { VIRTIO_MMIO_QUEUE_NUM, "QueueNum", REG_W, REG_BOTH },
    { VIRTIO_MMIO_QUEUE_ALIGN, "QueueAlign", REG_W, REG_LEGACY },
    { VIRTIO_MMIO_QUEUE_PFN, "QueuePFN", REG_RW, REG_LEGACY },
    { VIRTIO_MMIO_QUEUE_READY, "QueueReady", REG_RW, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_NOTIFY, "QueueNotify", REG_W, REG_BOTH },
    { VIRTIO_MMIO_INTERRUPT_STATUS, "InterruptStatus", REG_R, REG_BOTH },
    { VIRTIO_MMIO_INTERRUPT_ACK, "InterruptACK", REG_W, REG_BOTH },
    { VIRTIO_MMIO_STATUS, "Status", REG_RW, REG_BOTH },
    { VIRTIO_MMIO_QUEUE_DESC_LOW, "QueueDescLow", REG_W, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_DESC_HIGH, "QueueDescHigh", REG_W, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_DRIVER_LOW, "QueueDriverLow", REG_W, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_DRIVER_HIGH, "QueueDriverHigh", REG_W, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_DEVICE_LOW, "QueueDeviceLow", REG_W, REG_MODERN },
    { VIRTIO_MMIO_QUEUE_DEVICE_HIGH, "QueueDeviceHigh", REG_W, REG_MODERN },
    { VIRTIO_MMIO_SHM_SEL, "SHMSel", REG_W, REG_MODERN },
    { VIRTIO_MMIO_SHM_LEN_LOW, "SHMLenLow", REG_R, REG_MODERN },
    { VIRTIO_MMIO_SHM_LEN_HIGH, "SHMLenHigh", REG_R, REG_MODERN },
    { VIRTIO_MMIO_SHM_BASE_LOW, "SHMBaseLow", REG_R, REG_MODERN },
    { VIRTIO_MMIO_SHM_BASE_HIGH, "SHMBaseHigh", REG_R, REG_MODERN },
    { VIRTIO_MMIO_CONFIG_GENERATION, "ConfigGeneration", REG_R, REG_MODERN },
};

static const VirtIOMMIOReg *virtio_mmio_find_reg(uint64_t offset)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virtio_mmio_regs); i++) {
        if (virtio_mmio_regs[i].offset == offset) {
            return &virtio_mmio_regs[i];
        }
    }
    return NULL;
}

/*
 * Check a register access against the table; false (after logging) when
 * the guest got it wrong.
 */
static bool virtio_mmio_reg_ok(VirtIOMMIO *m, uint64_t offset, unsigned size, bool is_write)
{
    const VirtIOMMIOReg *reg = virtio_mmio_find_reg(offset);
    const char *dir = is_write ? "write" : "read";

    if (!reg) {
        log_guest_error("virtio-mmio: %s of unknown register 0x%" PRIx64 "\n", dir, offset);
        return false;
    }
    if (size != 4) {
        log_guest_error("virtio-mmio: wrong size access to register %s: %s of %u bytes\n",
                        reg->name, dir, size);
        return false;
    }
    if ((reg->version == REG_MODERN && m->legacy) || (reg->version == REG_LEGACY && !m->legacy)) {
        log_guest_error("virtio-mmio: %s of %s, which a version %d device does not have\n", dir,
                        reg->name, m->legacy ? 1 : 2);
        return false;
    }
    if (!(reg->access & (is_write ? REG_W : REG_R))) {
        log_guest_error("virtio-mmio: %s of %s-only register %s\n", dir,
                        is_write ? "read" : "write", reg->name);
        return false;
    }
    return true;
}

static void virtio_mmio_update_irq(void *transport, VirtIODevice *vdev)
{
    VirtIOMMIO *m = transport;

    if (m->set_irq) {
        m->set_irq(m->irq_opaque, vdev->isr != 0);
    }
}

static const VirtIOTransportOps virtio_mmio_transport_ops = {
    .update_irq = virtio_mmio_update_irq,
};

void virtio_mmio_init(VirtIOMMIO *m, bool legacy, void (*set_irq)(void *opaque, int level),
                      void *irq_opaque)
{
    memset(m, 0, sizeof(*m));
    m->legacy = legacy;
    m->set_irq = set_irq;
    m->irq_opaque = irq_opaque;
    virtio_mmio_reset(m);
}

void virtio_mmio_plug(VirtIOMMIO *m, VirtIODevice *vdev)
{
    m->vdev = vdev;
    if (vdev) {
        vdev->legacy = m->legacy;
        virtio_bind_transport(vdev, &virtio_mmio_transport_ops, m);
        virtio_reset(vdev);
    }
}

void virtio_mmio_reset(VirtIOMMIO *m)
{
    unsigned i;

    m->host_features_sel = 0;
    m->guest_features_sel = 0;
    m->queue_sel = 0;
    m->guest_page_shift = 0;
    for (i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        m->queue_align[i] = VIRTIO_LEGACY_VRING_ALIGN;
    }
    if (m->vdev) {
        virtio_reset(m->vdev);
    } else if (m->set_irq) {
        m->set_irq(m->irq_opaque, 0);
    }
}

static uint64_t virtio_mmio_empty_read(VirtIOMMIO *m, uint64_t offset)
{
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return m->legacy ? 1 : 2;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    default:
        return 0;
    }
}

uint64_t virtio_mmio_read(VirtIOMMIO *m, uint64_t offset, unsigned size)
{
    VirtIODevice *vdev = m->vdev;
    uint64_t addr;

    if (!vdev) {
        return virtio_mmio_empty_read(m, offset);
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        return virtio_config_read(vdev, offset - VIRTIO_MMIO_CONFIG, size);
    }
    if (!virtio_mmio_reg_ok(m, offset, size, false)) {
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return m->legacy ? 1 : 2;
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev->device_id;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return virtio_get_host_features_word(vdev, m->host_features_sel);
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return virtio_queue_get_max_num(vdev, m->queue_sel);
    case VIRTIO_MMIO_QUEUE_PFN:
        addr = virtio_queue_get_desc_addr(vdev, m->queue_sel);
        return virtio_queue_ready(vdev, m->queue_sel) ? addr >> m->guest_page_shift : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        return virtio_queue_ready(vdev, m->queue_sel);
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        /* 4.2.2.1: no shared memory regions; a missing region has length -1. */
        return 0xffffffffu;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vdev->generation;
    default:
        return 0;
    }
}

/* Replace the low or high half of a 64-bit queue address. */
static uint64_t half(uint64_t old, uint32_t val, bool high)
{
    return high ? (old & 0xffffffffULL) | ((uint64_t)val << 32)
                : (old & ~0xffffffffULL) | val;
}

static void virtio_mmio_set_queue_addr(VirtIOMMIO *m, uint64_t offset, uint32_t val)
{
    VirtIODevice *vdev = m->vdev;
    unsigned n = m->queue_sel;
    uint64_t d = virtio_queue_get_desc_addr(vdev, n);
    uint64_t a = virtio_queue_get_avail_addr(vdev, n);
    uint64_t u = virtio_queue_get_used_addr(vdev, n);
    bool high = offset & 4;

    switch (offset & ~4ULL) {
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        d = half(d, val, high);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        a = half(a, val, high);
        break;
    default:
        u = half(u, val, high);
        break;
    }
    virtio_queue_set_addrs(vdev, n, d, a, u);
}

void virtio_mmio_write(VirtIOMMIO *m, uint64_t offset, uint64_t val64, unsigned size)
{
    VirtIODevice *vdev = m->vdev;
    uint32_t val = val64;
    unsigned n;

    if (!vdev) {
        return;
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, offset - VIRTIO_MMIO_CONFIG, size, val);
        return;
    }
    if (!virtio_mmio_reg_ok(m, offset, size, true)) {
        return;
    }
    n = m->queue_sel;
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        m->host_features_sel = val;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        virtio_set_guest_features_word(vdev, m->guest_features_sel, val);
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        m->guest_features_sel = val;
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (val == 0 || (val & (val - 1))) {
            log_guest_error("virtio-mmio: GuestPageSize %u is not a power of 2\n", val);
            break;
        }
        m->guest_page_shift = __builtin_ctz(val);
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        m->queue_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        virtio_queue_set_num(vdev, n, val);
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if (n >= VIRTIO_QUEUE_MAX || val == 0 || (val & (val - 1))) {
            log_guest_error("virtio-mmio: QueueAlign %u for queue %u refused\n", val, n);
            break;
        }
        m->queue_align[n] = val;
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (val == 0) {
            virtio_queue_disable(vdev, n);
        } else if (n < VIRTIO_QUEUE_MAX) {
            virtio_queue_disable(vdev, n);
            virtio_queue_set_legacy_layout(vdev, n, (uint64_t)val << m->guest_page_shift,
                                           m->queue_align[n]);
            virtio_queue_enable(vdev, n);
        } else {
            log_guest_error("virtio-mmio: QueuePFN for queue %u, device has none\n", n);
        }
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (val & 1) {
            virtio_queue_enable(vdev, n);
        } else {
            virtio_queue_disable(vdev, n);
        }
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        /* Without VIRTIO_F_NOTIFICATION_DATA only the low 16 bits name the queue. */
        virtio_queue_notify(vdev, val & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        virtio_isr_ack(vdev, val);
        break;
    case VIRTIO_MMIO_STATUS:
        virtio_set_status(vdev, val & 0xff);
        if (vdev->status == 0) {
            m->host_features_sel = 0;
            m->guest_features_sel = 0;
            m->queue_sel = 0;
        }
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        virtio_mmio_set_queue_addr(m, offset, val);
        break;
    default:
        /* SHMSel: there are no shared memory regions to select. */
        break;
    }
}
