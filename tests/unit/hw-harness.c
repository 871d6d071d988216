/*
 * The device bench (hw-harness.h).
 */
#include <glib.h>
#include "hw-harness.h"
#include "util/main-loop.h"

HWHarness hwh;

static void hwh_line(void *opaque, int n, int level)
{
    if (level && !hwh.level[n]) {
        hwh.rises[n]++;
    }
    hwh.level[n] = level;
}

static void hwh_kick(CPUState *cs)
{
}

static void hwh_shutdown(ShutdownCause cause, int code)
{
    hwh.shutdowns++;
    hwh.shutdown_cause = cause;
    hwh.shutdown_code = code;
}

static void hwh_reset(ShutdownCause cause)
{
    hwh.resets++;
}

void hwh_init(void)
{
    static const MachineSystemOps ops = {
        .cpu_kick = hwh_kick,
        .shutdown = hwh_shutdown,
        .reset = hwh_reset,
    };

    for (int i = 0; i < HWH_MAX_LINES; i++) {
        if (!hwh.lines[i]) {
            hwh.lines[i] = qemu_allocate_irq(hwh_line, NULL, i);
        }
        hwh.level[i] = 0;
        hwh.rises[i] = 0;
    }
    hwh.shutdowns = hwh.resets = 0;
    hwh.shutdown_code = -1;
    machine_set_system_ops(&ops);
}

DeviceState *hwh_create(DeviceState *dev, hwaddr addr)
{
    g_assert_true(qdev_realize(dev, &error_abort));
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    return dev;
}

void hwh_connect(DeviceState *dev, int n, int line)
{
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), n, hwh.lines[line]);
}

MemTxResult hwh_access(hwaddr addr, uint64_t *val, unsigned size, bool is_write)
{
    MemoryRegionSection *s = address_space_lookup(address_space_memory(), addr);
    MemOp op = size == 8 ? MO_64 : size == 4 ? MO_32 : size == 2 ? MO_16 : MO_8;

    return is_write ? memory_region_dispatch_write(s, addr, *val, op, 0)
                    : memory_region_dispatch_read(s, addr, val, op, 0);
}

static uint64_t hwh_read(hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    g_assert_cmpint(hwh_access(addr, &v, size, false), ==, MEMTX_OK);
    return v;
}

static void hwh_write(hwaddr addr, uint64_t v, unsigned size)
{
    g_assert_cmpint(hwh_access(addr, &v, size, true), ==, MEMTX_OK);
}

uint32_t hwh_read32(hwaddr addr)
{
    return (uint32_t)hwh_read(addr, 4);
}

uint8_t hwh_read8(hwaddr addr)
{
    return (uint8_t)hwh_read(addr, 1);
}

uint64_t hwh_read64(hwaddr addr)
{
    return hwh_read(addr, 8);
}

void hwh_write32(hwaddr addr, uint32_t val)
{
    hwh_write(addr, val, 4);
}

void hwh_write8(hwaddr addr, uint8_t val)
{
    hwh_write(addr, val, 1);
}

void hwh_write64(hwaddr addr, uint64_t val)
{
    hwh_write(addr, val, 8);
}

bool hwh_run_until(const int *flag, int timeout_ms)
{
    int64_t deadline = clock_get_ns(MORPH_CLOCK_REALTIME) + (int64_t)timeout_ms * 1000000;

    while (!*flag && clock_get_ns(MORPH_CLOCK_REALTIME) < deadline) {
        main_loop_wait(main_loop_default(), false);
        g_usleep(1000);
    }
    return *flag != 0;
}

void hwh_destroy(DeviceState *dev)
{
    qdev_free(dev);
    memory_reclaim();
}
