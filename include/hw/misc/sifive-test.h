/*
 * The SiFive test finisher ("sifive,test0"): a register a guest writes to
 * end the simulation (see hw/misc/sifive-test.c).
 */
#ifndef MORPH_HW_MISC_SIFIVE_TEST_H
#define MORPH_HW_MISC_SIFIVE_TEST_H

#include "hw/sysbus.h"

#define TYPE_SIFIVE_TEST "riscv.sifive.test"
#define SIFIVE_TEST_SIZE 0x1000

/* Values of the status half-word. */
enum {
    SIFIVE_TEST_FAIL = 0x3333,      /* exit with the code in bits 31:16 */
    SIFIVE_TEST_PASS = 0x5555,      /* power off, exit 0 */
    SIFIVE_TEST_RESET = 0x7777,     /* system reset */
};

typedef struct SiFiveTestState {
    SysBusDevice parent;
    MemoryRegion mmio;
} SiFiveTestState;

#endif
