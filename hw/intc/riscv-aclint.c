/*
 * The RISC-V ACLINT's MSWI and MTIMER devices, laid out as the SiFive
 * CLINT that QEMU's virt board provides at 0x2000000 (msip at +0x0,
 * mtimecmp at +0x4000, mtime at +0xbff8).  Source of truth: the RISC-V
 * ACLINT specification v1.0 (chapters 2 "MTIMER" and 3 "MSWI") and the
 * Privileged Architecture 20211203, 3.2.1 (mtime/mtimecmp, MTIP).
 *
 * mtime counts at timebase-freq (10 MHz on virt) from the virtual clock,
 * so it stands still while the VM is paused.  Each hart's MTIP line is a
 * level: up while mtime >= mtimecmp.  A timer per hart raises it when
 * mtime catches up; guests reprogram mtimecmp (OpenSBI's sbi_set_timer)
 * to lower it.  Registers take 4- and 8-byte accesses, as QEMU's do.
 */
#include <string.h>
#include "hw/intc/riscv-aclint.h"
#include "system/bql.h"
#include "util/log.h"

/* ---- MSWI */

static uint64_t riscv_aclint_swi_read(void *opaque, hwaddr addr, unsigned size)
{
    RISCVAclintSwiState *s = opaque;
    unsigned hart = (unsigned)(addr >> 2);

    if (hart < s->num_harts && !(addr & 3)) {
        return s->msip[hart];
    }
    log_guest_error("aclint-swi: invalid read at 0x%x\n", (unsigned)addr);
    return 0;
}

static void riscv_aclint_swi_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    RISCVAclintSwiState *s = opaque;
    unsigned hart = (unsigned)(addr >> 2);

    if (hart >= s->num_harts || (addr & 3)) {
        log_guest_error("aclint-swi: invalid write at 0x%x\n", (unsigned)addr);
        return;
    }
    /* Only bit 0 is writable (ACLINT 3.2). */
    s->msip[hart] = val & 1;
    qemu_set_irq(s->irqs[hart], (int)(val & 1));
}

static const MemoryRegionOps riscv_aclint_swi_ops = {
    .read = riscv_aclint_swi_read,
    .write = riscv_aclint_swi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
};

static void riscv_aclint_swi_realize(DeviceState *dev, Error **errp)
{
    RISCVAclintSwiState *s = (RISCVAclintSwiState *)dev;

    if (s->num_harts == 0 || s->num_harts > RISCV_ACLINT_MAX_HARTS) {
        error_setg(errp, "invalid number of HARTs");
        return;
    }
    memory_region_init_io(&s->mmio, s, &riscv_aclint_swi_ops, s, TYPE_RISCV_ACLINT_SWI,
                          RISCV_ACLINT_SWI_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    s->msip = g_new0(uint32_t, s->num_harts);
    s->irqs = g_new0(qemu_irq, s->num_harts);
    for (uint32_t i = 0; i < s->num_harts && i < SYSBUS_MAX_IRQ; i++) {
        sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irqs[i]);
    }
}

static void riscv_aclint_swi_unrealize(DeviceState *dev)
{
    RISCVAclintSwiState *s = (RISCVAclintSwiState *)dev;

    memory_region_finalize(&s->mmio);
    g_free(s->msip);
    g_free(s->irqs);
}

static void riscv_aclint_swi_reset(DeviceState *dev)
{
    RISCVAclintSwiState *s = (RISCVAclintSwiState *)dev;

    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->msip[i] = 0;
        qemu_set_irq(s->irqs[i], 0);
    }
}

static const Property riscv_aclint_swi_props[] = {
    DEFINE_PROP_UINT32("hartid-base", RISCVAclintSwiState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", RISCVAclintSwiState, num_harts, 1),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateField riscv_aclint_swi_fields[] = {
    VMSTATE_VARRAY_UINT32(msip, RISCVAclintSwiState, num_harts),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription riscv_aclint_swi_vmsd = {
    .name = TYPE_RISCV_ACLINT_SWI,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = riscv_aclint_swi_fields,
};

static const DeviceClass riscv_aclint_swi_class = {
    .name = TYPE_RISCV_ACLINT_SWI,
    .desc = "RISC-V ACLINT machine software interrupts (MSWI)",
    .category = "Misc devices",
    .instance_size = sizeof(RISCVAclintSwiState),
    .sysbus = true,
    .realize = riscv_aclint_swi_realize,
    .unrealize = riscv_aclint_swi_unrealize,
    .reset = riscv_aclint_swi_reset,
    .props = riscv_aclint_swi_props,
    .vmsd = &riscv_aclint_swi_vmsd,
};

DEVICE_CLASS_REGISTER(riscv_aclint_swi_class)

/* ---- MTIMER */

#define NS_PER_SEC 1000000000ll

static uint64_t mtimer_ticks(const RISCVAclintMTimerState *s, int64_t ns)
{
    return (uint64_t)((__int128)ns * s->timebase_freq / NS_PER_SEC);
}

uint64_t riscv_aclint_mtimer_read_time(void *opaque)
{
    RISCVAclintMTimerState *s = opaque;
    int64_t delta = __atomic_load_n(&s->time_delta, __ATOMIC_RELAXED);

    return mtimer_ticks(s, clock_get_ns(MORPH_CLOCK_VIRTUAL)) + (uint64_t)delta;
}

int64_t riscv_aclint_mtimer_ticks_to_ns(RISCVAclintMTimerState *s, uint64_t ticks)
{
    __int128 rel = (__int128)ticks - s->time_delta;
    __int128 ns;

    if (rel <= 0) {
        return 0;
    }
    /* The first ns at which the count reaches `rel` (round up). */
    ns = (rel * NS_PER_SEC + s->timebase_freq - 1) / s->timebase_freq;
    return ns > INT64_MAX ? INT64_MAX : (int64_t)ns;
}

/* Re-evaluate hart i's MTIP against mtimecmp, and arm its timer if it is still ahead. */
static void mtimer_update(RISCVAclintMTimerState *s, unsigned i)
{
    uint64_t now = riscv_aclint_mtimer_read_time(s);
    int64_t when;

    if (now >= s->timecmp[i]) {
        timer_del(s->timers[i]);
        qemu_set_irq(s->irqs[i], 1);
        return;
    }
    qemu_set_irq(s->irqs[i], 0);
    when = riscv_aclint_mtimer_ticks_to_ns(s, s->timecmp[i]);
    if (when == INT64_MAX) {
        timer_del(s->timers[i]);
    } else {
        timer_mod_ns(s->timers[i], when);
    }
}

static void mtimer_expired(void *opaque)
{
    RISCVAclintMTimerHart *h = opaque;

    mtimer_update(h->s, h->i);
}

static uint64_t riscv_aclint_mtimer_read(void *opaque, hwaddr addr, unsigned size)
{
    RISCVAclintMTimerState *s = opaque;
    uint64_t val;
    unsigned shift;

    if (addr >= s->timecmp_base && addr < s->timecmp_base + (uint64_t)s->num_harts * 8) {
        unsigned hart = (unsigned)((addr - s->timecmp_base) >> 3);

        val = s->timecmp[hart];
        shift = (unsigned)(addr & 7) * 8;
    } else if (addr >= s->time_base && addr < s->time_base + 8) {
        val = riscv_aclint_mtimer_read_time(s);
        shift = (unsigned)(addr - s->time_base) * 8;
    } else {
        log_guest_error("aclint-mtimer: invalid read at 0x%x\n", (unsigned)addr);
        return 0;
    }
    val >>= shift;
    return size == 8 ? val : (uint32_t)val;
}

/* Replace `size` bytes at byte `byte` of a 64-bit register. */
static uint64_t mtimer_deposit(uint64_t old, unsigned byte, unsigned size, uint64_t val)
{
    uint64_t mask = size == 8 ? UINT64_MAX : ((UINT64_C(1) << (size * 8)) - 1) << (byte * 8);

    return (old & ~mask) | ((val << (byte * 8)) & mask);
}

static void riscv_aclint_mtimer_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    RISCVAclintMTimerState *s = opaque;

    if (addr >= s->timecmp_base && addr < s->timecmp_base + (uint64_t)s->num_harts * 8) {
        unsigned hart = (unsigned)((addr - s->timecmp_base) >> 3);

        s->timecmp[hart] = mtimer_deposit(s->timecmp[hart], (unsigned)(addr & 7), size, val);
        mtimer_update(s, hart);
    } else if (addr >= s->time_base && addr < s->time_base + 8) {
        uint64_t now = riscv_aclint_mtimer_read_time(s);
        uint64_t next = mtimer_deposit(now, (unsigned)(addr - s->time_base), size, val);

        __atomic_store_n(&s->time_delta, s->time_delta + (int64_t)(next - now), __ATOMIC_RELAXED);
        for (unsigned i = 0; i < s->num_harts; i++) {
            mtimer_update(s, i);
        }
    } else {
        log_guest_error("aclint-mtimer: invalid write at 0x%x\n", (unsigned)addr);
    }
}

static const MemoryRegionOps riscv_aclint_mtimer_ops = {
    .read = riscv_aclint_mtimer_read,
    .write = riscv_aclint_mtimer_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 8},
};

static void riscv_aclint_mtimer_realize(DeviceState *dev, Error **errp)
{
    RISCVAclintMTimerState *s = (RISCVAclintMTimerState *)dev;

    if (s->num_harts == 0 || s->num_harts > RISCV_ACLINT_MAX_HARTS) {
        error_setg(errp, "invalid number of HARTs");
        return;
    }
    if (s->timebase_freq == 0) {
        error_setg(errp, "timebase-freq must not be zero");
        return;
    }
    if ((uint64_t)s->timecmp_base + s->num_harts * 8ull > s->aperture_size ||
        (uint64_t)s->time_base + 8 > s->aperture_size) {
        error_setg(errp, "mtimer registers do not fit the aperture");
        return;
    }
    memory_region_init_io(&s->mmio, s, &riscv_aclint_mtimer_ops, s, TYPE_RISCV_ACLINT_MTIMER,
                          s->aperture_size);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    s->timecmp = g_new0(uint64_t, s->num_harts);
    s->timers = g_new0(Timer *, s->num_harts);
    s->irqs = g_new0(qemu_irq, s->num_harts);
    s->harts = g_new0(RISCVAclintMTimerHart, s->num_harts);
    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->harts[i].s = s;
        s->harts[i].i = i;
        s->timers[i] = bql_timer_new(MORPH_CLOCK_VIRTUAL, mtimer_expired, &s->harts[i]);
        if (i < SYSBUS_MAX_IRQ) {
            sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irqs[i]);
        }
    }
}

static void riscv_aclint_mtimer_unrealize(DeviceState *dev)
{
    RISCVAclintMTimerState *s = (RISCVAclintMTimerState *)dev;

    for (uint32_t i = 0; i < s->num_harts; i++) {
        bql_timer_free(s->timers[i]);
    }
    memory_region_finalize(&s->mmio);
    g_free(s->timecmp);
    g_free(s->timers);
    g_free(s->irqs);
    g_free(s->harts);
}

static void riscv_aclint_mtimer_reset(DeviceState *dev)
{
    RISCVAclintMTimerState *s = (RISCVAclintMTimerState *)dev;

    /* mtimecmp resets to all ones here (the spec leaves it unspecified): no interrupt. */
    s->time_delta = -(int64_t)mtimer_ticks(s, clock_get_ns(MORPH_CLOCK_VIRTUAL));
    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->timecmp[i] = UINT64_MAX;
        timer_del(s->timers[i]);
        qemu_set_irq(s->irqs[i], 0);
    }
}

static const Property riscv_aclint_mtimer_props[] = {
    DEFINE_PROP_UINT32("hartid-base", RISCVAclintMTimerState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", RISCVAclintMTimerState, num_harts, 1),
    DEFINE_PROP_UINT32("timecmp-base", RISCVAclintMTimerState, timecmp_base,
                       RISCV_ACLINT_DEFAULT_MTIMECMP),
    DEFINE_PROP_UINT32("time-base", RISCVAclintMTimerState, time_base,
                       RISCV_ACLINT_DEFAULT_MTIME),
    DEFINE_PROP_UINT32("aperture-size", RISCVAclintMTimerState, aperture_size,
                       RISCV_ACLINT_DEFAULT_MTIMER_SIZE),
    DEFINE_PROP_UINT32("timebase-freq", RISCVAclintMTimerState, timebase_freq,
                       RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateField riscv_aclint_mtimer_fields[] = {
    VMSTATE_INT64(time_delta, RISCVAclintMTimerState),
    VMSTATE_VARRAY_UINT64(timecmp, RISCVAclintMTimerState, num_harts),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription riscv_aclint_mtimer_vmsd = {
    .name = TYPE_RISCV_ACLINT_MTIMER,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = riscv_aclint_mtimer_fields,
};

static const DeviceClass riscv_aclint_mtimer_class = {
    .name = TYPE_RISCV_ACLINT_MTIMER,
    .desc = "RISC-V ACLINT machine timer (MTIMER)",
    .category = "Misc devices",
    .instance_size = sizeof(RISCVAclintMTimerState),
    .sysbus = true,
    .realize = riscv_aclint_mtimer_realize,
    .unrealize = riscv_aclint_mtimer_unrealize,
    .reset = riscv_aclint_mtimer_reset,
    .props = riscv_aclint_mtimer_props,
    .vmsd = &riscv_aclint_mtimer_vmsd,
};

DEVICE_CLASS_REGISTER(riscv_aclint_mtimer_class)
