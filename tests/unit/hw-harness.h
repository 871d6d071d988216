/*
 * A bench for device unit tests: devices are realized and mapped into
 * system memory as a board would, the guest's accesses go through the
 * memory API (access-size rules included), interrupt lines end in a
 * recorder, and requests to the system layer (shutdown, reset, kicks)
 * are recorded instead of acted on.
 */
#ifndef MORPH_TESTS_HW_HARNESS_H
#define MORPH_TESTS_HW_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/boards.h"
#include "hw/sysbus.h"

#define HWH_MAX_LINES 32

typedef struct HWHarness {
    int level[HWH_MAX_LINES];       /* current level of each recorded line */
    int rises[HWH_MAX_LINES];       /* 0 -> 1 transitions */
    qemu_irq lines[HWH_MAX_LINES];
    int shutdowns;
    ShutdownCause shutdown_cause;
    int shutdown_code;
    int resets;
} HWHarness;

extern HWHarness hwh;

/* Reset the recorder and install the system hooks. */
void hwh_init(void);
/* qdev_new + realize (must succeed) + map region 0 at addr. */
DeviceState *hwh_create(DeviceState *dev, hwaddr addr);
/* Connect output line n of dev to recorder line `line`. */
void hwh_connect(DeviceState *dev, int n, int line);
/* Guest accesses through system memory. */
uint32_t hwh_read32(hwaddr addr);
uint8_t hwh_read8(hwaddr addr);
uint64_t hwh_read64(hwaddr addr);
void hwh_write32(hwaddr addr, uint32_t val);
void hwh_write8(hwaddr addr, uint8_t val);
void hwh_write64(hwaddr addr, uint64_t val);
/* A raw access with a MemTxResult (to check refused sizes). */
MemTxResult hwh_access(hwaddr addr, uint64_t *val, unsigned size, bool is_write);
/* Run the main loop until *flag becomes true or `timeout_ms` passes; returns *flag. */
bool hwh_run_until(const int *flag, int timeout_ms);
/* Unmap and free the device. */
void hwh_destroy(DeviceState *dev);

#endif
