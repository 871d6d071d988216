/*
 * The Goldfish RTC (see hw/rtc/goldfish-rtc.c).
 */
#ifndef MORPH_HW_RTC_GOLDFISH_RTC_H
#define MORPH_HW_RTC_GOLDFISH_RTC_H

#include "hw/sysbus.h"
#include "util/main-loop.h"

#define TYPE_GOLDFISH_RTC "goldfish_rtc"

enum {
    GOLDFISH_RTC_TIME_LOW = 0x00,
    GOLDFISH_RTC_TIME_HIGH = 0x04,
    GOLDFISH_RTC_ALARM_LOW = 0x08,
    GOLDFISH_RTC_ALARM_HIGH = 0x0c,
    GOLDFISH_RTC_IRQ_ENABLED = 0x10,
    GOLDFISH_RTC_CLEAR_ALARM = 0x14,
    GOLDFISH_RTC_ALARM_STATUS = 0x18,
    GOLDFISH_RTC_CLEAR_INTERRUPT = 0x1c,
};

typedef struct GoldfishRTCState {
    SysBusDevice parent;
    MemoryRegion mmio;
    qemu_irq irq;
    Timer *timer;
    MorphClockType clock;       /* the -rtc clock */
    int64_t tick_offset;        /* guest time (ns since the epoch) = clock + tick_offset */
    uint64_t alarm_next;
    uint32_t alarm_running;
    uint32_t irq_pending;
    uint32_t irq_enabled;
    uint32_t time_high;         /* latched by reading TIME_LOW */
} GoldfishRTCState;

#endif
