/*
 * The Goldfish RTC (hw/rtc/goldfish-rtc.c): time in ns since the epoch
 * with TIME_LOW latching TIME_HIGH, setting the time, the alarm and its
 * interrupt, clearing.
 */
#include <time.h>
#include <glib.h>
#include "hw-harness.h"
#include "hw/rtc/goldfish-rtc.h"

#define BASE 0x101000

static uint64_t rtc_now(void)
{
    uint64_t lo = hwh_read32(BASE + GOLDFISH_RTC_TIME_LOW);

    return ((uint64_t)hwh_read32(BASE + GOLDFISH_RTC_TIME_HIGH) << 32) | lo;
}

static void test_time(void)
{
    DeviceState *dev;
    uint64_t t, host;

    hwh_init();
    dev = hwh_create(qdev_new(TYPE_GOLDFISH_RTC), BASE);
    t = rtc_now();
    host = (uint64_t)time(NULL) * 1000000000ull;
    /* The host's UTC time, by default. */
    g_assert_cmpuint(t + 5000000000ull, >, host);
    g_assert_cmpuint(t, <, host + 5000000000ull);
    /* Setting it: high word, then low. */
    hwh_write32(BASE + GOLDFISH_RTC_TIME_HIGH, 1);
    hwh_write32(BASE + GOLDFISH_RTC_TIME_LOW, 0);
    t = rtc_now();
    g_assert_cmpuint(t, >=, 1ull << 32);
    g_assert_cmpuint(t, <, (1ull << 32) + 1000000000ull);
    hwh_destroy(dev);
}

static void test_alarm(void)
{
    DeviceState *dev;
    uint64_t t;

    hwh_init();
    dev = hwh_create(qdev_new(TYPE_GOLDFISH_RTC), BASE);
    hwh_connect(dev, 0, 0);
    hwh_write32(BASE + GOLDFISH_RTC_IRQ_ENABLED, 1);
    /* An alarm 10 ms ahead fires by itself. */
    t = rtc_now() + 10000000;
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(t >> 32));
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_LOW, (uint32_t)t);
    g_assert_cmpuint(hwh_read32(BASE + GOLDFISH_RTC_ALARM_STATUS), ==, 1);
    g_assert_true(hwh_run_until(&hwh.level[0], 2000));
    g_assert_cmpuint(hwh_read32(BASE + GOLDFISH_RTC_ALARM_STATUS), ==, 0);
    hwh_write32(BASE + GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
    g_assert_cmpint(hwh.level[0], ==, 0);
    /* An alarm in the past fires at once; with the interrupt off the line stays down. */
    hwh_write32(BASE + GOLDFISH_RTC_IRQ_ENABLED, 0);
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_HIGH, 0);
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_LOW, 1);
    g_assert_cmpint(hwh.level[0], ==, 0);
    hwh_write32(BASE + GOLDFISH_RTC_IRQ_ENABLED, 1);
    g_assert_cmpint(hwh.level[0], ==, 1);
    hwh_write32(BASE + GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
    /* A far alarm, cleared. */
    t = rtc_now() + 3600000000000ull;
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(t >> 32));
    hwh_write32(BASE + GOLDFISH_RTC_ALARM_LOW, (uint32_t)t);
    g_assert_cmpuint(hwh_read32(BASE + GOLDFISH_RTC_ALARM_STATUS), ==, 1);
    hwh_write32(BASE + GOLDFISH_RTC_CLEAR_ALARM, 1);
    g_assert_cmpuint(hwh_read32(BASE + GOLDFISH_RTC_ALARM_STATUS), ==, 0);
    hwh_destroy(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/goldfish-rtc/time", test_time);
    g_test_add_func("/goldfish-rtc/alarm", test_alarm);
    return g_test_run();
}
