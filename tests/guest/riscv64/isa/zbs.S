/*
 * Zbs: single-bit instructions (Bit-Manipulation ISA 1.0.0, section 2.4).
 * The bit index is the low 6 bits of rs2 (or the shamt).
 */
#include "isa-test.h"

TEST_START
    li a0, 0
    li a1, 63
    bset a2, a0, a1
    CHECK bset_63, a2, 0x8000000000000000
    li a1, 65
    bset a2, a0, a1
    CHECK bset_index_wraps, a2, 2
    bseti a2, a0, 32
    CHECK bseti, a2, 0x100000000
    li a0, -1
    li a1, 0
    bclr a2, a0, a1
    CHECK bclr, a2, 0xfffffffffffffffe
    bclri a2, a0, 63
    CHECK bclri, a2, 0x7fffffffffffffff
    li a0, 0x5
    li a1, 2
    binv a2, a0, a1
    CHECK binv_clear, a2, 1
    binvi a2, a0, 1
    CHECK binvi_set, a2, 7
    li a1, 66
    binv a2, a0, a1
    CHECK binv_index_wraps, a2, 1
    li a0, 0x8000000000000004
    li a1, 2
    bext a2, a0, a1
    CHECK bext_set, a2, 1
    li a1, 3
    bext a2, a0, a1
    CHECK bext_clear, a2, 0
    bexti a2, a0, 63
    CHECK bexti_63, a2, 1
    li a1, 127
    bext a2, a0, a1
    CHECK bext_index_wraps, a2, 1
    /* rd = rs1 = rs2 */
    li a0, 3
    bset a0, a0, a0
    CHECK bset_same_reg, a0, 11
TEST_END
