/*
 * The Goldfish RTC ("google,goldfish-rtc" at 0x101000 on QEMU's virt,
 * PLIC source 11).  Source of truth: Android's GOLDFISH-VIRTUAL-HARDWARE.TXT
 * ("Goldfish real-time clock"): a 64-bit count of nanoseconds since the
 * epoch, read low word first (which latches the high word), and a one-shot
 * alarm with an interrupt; the register behaviour follows QEMU's
 * hw/rtc/goldfish_rtc.c.  The count follows the -rtc clock (the host's
 * wall clock by default) from the date -rtc base gives.
 */
#include "hw/boards.h"
#include "hw/rtc/goldfish-rtc.h"
#include "system/bql.h"
#include "util/log.h"

static uint64_t goldfish_rtc_count(GoldfishRTCState *s)
{
    return (uint64_t)(clock_get_ns(s->clock) + s->tick_offset);
}

static void goldfish_rtc_update(GoldfishRTCState *s)
{
    qemu_set_irq(s->irq, (s->irq_pending & s->irq_enabled) ? 1 : 0);
}

static void goldfish_rtc_interrupt(void *opaque)
{
    GoldfishRTCState *s = opaque;

    s->alarm_running = 0;
    s->irq_pending = 1;
    goldfish_rtc_update(s);
}

static void goldfish_rtc_clear_alarm(GoldfishRTCState *s)
{
    timer_del(s->timer);
    s->alarm_running = 0;
}

static void goldfish_rtc_set_alarm(GoldfishRTCState *s)
{
    uint64_t now = goldfish_rtc_count(s);

    if (s->alarm_next <= now) {
        goldfish_rtc_clear_alarm(s);
        goldfish_rtc_interrupt(s);
        return;
    }
    timer_mod_ns(s->timer, (int64_t)(s->alarm_next - (uint64_t)s->tick_offset));
    s->alarm_running = 1;
}

static uint64_t goldfish_rtc_read(void *opaque, hwaddr addr, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint64_t r;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
        r = goldfish_rtc_count(s);
        s->time_high = (uint32_t)(r >> 32);
        return (uint32_t)r;
    case GOLDFISH_RTC_TIME_HIGH:
        return s->time_high;
    case GOLDFISH_RTC_ALARM_LOW:
        return (uint32_t)s->alarm_next;
    case GOLDFISH_RTC_ALARM_HIGH:
        return (uint32_t)(s->alarm_next >> 32);
    case GOLDFISH_RTC_IRQ_ENABLED:
        return s->irq_enabled;
    case GOLDFISH_RTC_ALARM_STATUS:
        return s->alarm_running;
    default:
        log_guest_error("goldfish_rtc: read of unimplemented offset 0x%x\n", (unsigned)addr);
        return 0;
    }
}

static uint64_t deposit32_of64(uint64_t old, unsigned shift, uint64_t val)
{
    return (old & ~((uint64_t)UINT32_MAX << shift)) | ((val & UINT32_MAX) << shift);
}

static void goldfish_rtc_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint64_t now;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
    case GOLDFISH_RTC_TIME_HIGH:
        /* Setting the clock moves the offset; the alarm keeps its absolute time. */
        now = goldfish_rtc_count(s);
        s->tick_offset += (int64_t)(deposit32_of64(now, addr == GOLDFISH_RTC_TIME_LOW ? 0 : 32,
                                                   val) - now);
        if (s->alarm_running) {
            goldfish_rtc_set_alarm(s);
        }
        break;
    case GOLDFISH_RTC_ALARM_LOW:
        s->alarm_next = deposit32_of64(s->alarm_next, 0, val);
        goldfish_rtc_set_alarm(s);
        break;
    case GOLDFISH_RTC_ALARM_HIGH:
        s->alarm_next = deposit32_of64(s->alarm_next, 32, val);
        break;
    case GOLDFISH_RTC_IRQ_ENABLED:
        s->irq_enabled = (uint32_t)(val & 1);
        goldfish_rtc_update(s);
        break;
    case GOLDFISH_RTC_CLEAR_ALARM:
        goldfish_rtc_clear_alarm(s);
        break;
    case GOLDFISH_RTC_CLEAR_INTERRUPT:
        s->irq_pending = 0;
        goldfish_rtc_update(s);
        break;
    default:
        log_guest_error("goldfish_rtc: write to unimplemented offset 0x%x\n", (unsigned)addr);
        break;
    }
}

static const MemoryRegionOps goldfish_rtc_ops = {
    .read = goldfish_rtc_read,
    .write = goldfish_rtc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
};

static void goldfish_rtc_realize(DeviceState *dev, Error **errp)
{
    GoldfishRTCState *s = (GoldfishRTCState *)dev;

    memory_region_init_io(&s->mmio, s, &goldfish_rtc_ops, s, "goldfish_rtc", 0x24);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irq);
    s->clock = machine_rtc_config.clock;
    s->timer = bql_timer_new(s->clock, goldfish_rtc_interrupt, s);
    s->tick_offset = machine_rtc_offset_ns();
}

static void goldfish_rtc_unrealize(DeviceState *dev)
{
    GoldfishRTCState *s = (GoldfishRTCState *)dev;

    bql_timer_free(s->timer);
    memory_region_finalize(&s->mmio);
}

static void goldfish_rtc_reset(DeviceState *dev)
{
    GoldfishRTCState *s = (GoldfishRTCState *)dev;

    timer_del(s->timer);
    s->alarm_next = 0;
    s->alarm_running = 0;
    s->irq_pending = 0;
    s->irq_enabled = 0;
    goldfish_rtc_update(s);
}

static const VMStateField goldfish_rtc_fields[] = {
    VMSTATE_INT64(tick_offset, GoldfishRTCState),
    VMSTATE_UINT64(alarm_next, GoldfishRTCState),
    VMSTATE_UINT32(alarm_running, GoldfishRTCState),
    VMSTATE_UINT32(irq_pending, GoldfishRTCState),
    VMSTATE_UINT32(irq_enabled, GoldfishRTCState),
    VMSTATE_UINT32(time_high, GoldfishRTCState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription goldfish_rtc_vmsd = {
    .name = TYPE_GOLDFISH_RTC,
    .version_id = 3,
    .minimum_version_id = 3,
    .fields = goldfish_rtc_fields,
};

static const DeviceClass goldfish_rtc_class = {
    .name = TYPE_GOLDFISH_RTC,
    .desc = "Goldfish real-time clock",
    .category = "Misc devices",
    .instance_size = sizeof(GoldfishRTCState),
    .sysbus = true,
    .realize = goldfish_rtc_realize,
    .unrealize = goldfish_rtc_unrealize,
    .reset = goldfish_rtc_reset,
    .vmsd = &goldfish_rtc_vmsd,
};

DEVICE_CLASS_REGISTER(goldfish_rtc_class)
