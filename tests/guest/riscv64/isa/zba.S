/*
 * Zba: address generation (Bit-Manipulation ISA 1.0.0, section 2.1).
 * shNadd rd = rs2 + (rs1 << N); the .uw forms zero-extend rs1 from 32 bits
 * first; slli.uw shifts the zero-extended word; zext.w is add.uw rd, rs, x0.
 */
#include "isa-test.h"

TEST_START
    li a0, 0x10
    li a1, 0x1000
    sh1add a2, a0, a1
    CHECK sh1add, a2, 0x1020
    sh2add a2, a0, a1
    CHECK sh2add, a2, 0x1040
    sh3add a2, a0, a1
    CHECK sh3add, a2, 0x1080
    li a0, 0x8000000000000001
    li a1, 1
    sh1add a2, a0, a1
    CHECK sh1add_drops_top_bit, a2, 3
    li a0, -1
    sh3add a2, a0, zero
    CHECK sh3add_negative, a2, -8

    li a0, 0xffffffff80000001
    li a1, 0x100
    add.uw a2, a0, a1
    CHECK add_uw, a2, 0x80000101
    sh1add.uw a2, a0, a1
    CHECK sh1add_uw, a2, 0x100000102
    sh2add.uw a2, a0, a1
    CHECK sh2add_uw, a2, 0x200000104
    sh3add.uw a2, a0, a1
    CHECK sh3add_uw, a2, 0x400000108
    add.uw a2, a0, zero
    CHECK zext_w, a2, 0x80000001
    zext.w a2, a0
    CHECK zext_w_alias, a2, 0x80000001

    slli.uw a2, a0, 0
    CHECK slli_uw_0, a2, 0x80000001
    slli.uw a2, a0, 4
    CHECK slli_uw_4, a2, 0x800000010
    slli.uw a2, a0, 32
    CHECK slli_uw_32, a2, 0x8000000100000000
    slli.uw a2, a0, 63
    CHECK slli_uw_63, a2, 0x8000000000000000
    /* rd = rs1 */
    li a0, 0x1234567800000003
    sh2add.uw a0, a0, a0
    CHECK sh2add_uw_same_reg, a0, 0x1234567800000003 + 12
TEST_END
