/*
 * The SiFive test finisher, as QEMU's virt board has it at 0x100000
 * (hw/misc/sifive_test.c there; "sifive,test0/test1" in the device tree).
 * A 32-bit write at offset 0 holds a status in bits 15:0 and, for FAIL, an
 * exit code in bits 31:16: PASS powers off (the process exits 0), FAIL
 * exits with the code, RESET resets the system.  Reads return 0.  This is
 * how OpenSBI's SRST and Linux's syscon-poweroff turn the machine off.
 */
#include "hw/boards.h"
#include "hw/misc/sifive-test.h"
#include "util/log.h"

static uint64_t sifive_test_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void sifive_test_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    unsigned status = val & 0xffff;
    int code = (int)((val >> 16) & 0xffff);

    if (addr != 0) {
        log_guest_error("sifive_test: write to unknown offset 0x%x\n", (unsigned)addr);
        return;
    }
    switch (status) {
    case SIFIVE_TEST_FAIL:
        machine_request_shutdown(SHUTDOWN_CAUSE_GUEST_PANIC, code);
        break;
    case SIFIVE_TEST_PASS:
        machine_request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 0);
        break;
    case SIFIVE_TEST_RESET:
        machine_request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        log_guest_error("sifive_test: unknown status 0x%x\n", status);
        break;
    }
}

static const MemoryRegionOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = {.min_access_size = 2, .max_access_size = 4},
};

static void sifive_test_realize(DeviceState *dev, Error **errp)
{
    SiFiveTestState *s = (SiFiveTestState *)dev;

    memory_region_init_io(&s->mmio, s, &sifive_test_ops, s, TYPE_SIFIVE_TEST, SIFIVE_TEST_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
}

static void sifive_test_unrealize(DeviceState *dev)
{
    SiFiveTestState *s = (SiFiveTestState *)dev;

    memory_region_finalize(&s->mmio);
}

/* No state: the device only acts. */
static const VMStateField sifive_test_fields[] = {
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription sifive_test_vmsd = {
    .name = TYPE_SIFIVE_TEST,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = sifive_test_fields,
};

static const DeviceClass sifive_test_class = {
    .name = TYPE_SIFIVE_TEST,
    .desc = "SiFive test finisher",
    .category = "Misc devices",
    .instance_size = sizeof(SiFiveTestState),
    .sysbus = true,
    .realize = sifive_test_realize,
    .unrealize = sifive_test_unrealize,
    .vmsd = &sifive_test_vmsd,
};

DEVICE_CLASS_REGISTER(sifive_test_class)
