/*
 * M: multiplication and division (Unprivileged ISA 20191213, chapter 7).
 * Division by zero gives all ones (quotient) and the dividend (remainder);
 * the signed overflow MIN / -1 gives MIN with remainder 0; *W forms use
 * the low 32 bits and sign-extend the 32-bit result.
 */
#include "isa-test.h"

TEST_START
    li a0, 7
    li a1, -3
    mul a2, a0, a1
    CHECK mul, a2, -21
    li a0, 0x7fffffffffffffff
    li a1, 2
    mul a2, a0, a1
    CHECK mul_wraps, a2, 0xfffffffffffffffe

    li a0, -1
    mulh a2, a0, a0
    CHECK mulh_minus1_squared, a2, 0
    li a0, 0x8000000000000000
    mulh a2, a0, a0
    CHECK mulh_min_squared, a2, 0x4000000000000000
    li a0, -1
    mulhu a2, a0, a0
    CHECK mulhu_max_squared, a2, 0xfffffffffffffffe
    li a1, -1
    mulhsu a2, a0, a1
    CHECK mulhsu_minus1_times_max, a2, -1
    li a0, 2
    li a1, 0x8000000000000000
    mulhsu a2, a0, a1
    CHECK mulhsu_2_times_2p63, a2, 1
    mulh a2, a0, a1
    CHECK mulh_2_times_min, a2, -1

    li a0, 0x7fffffff
    li a1, 2
    mulw a2, a0, a1
    CHECK mulw_sign_extends, a2, 0xfffffffffffffffe
    li a0, 0x100000003
    li a1, 5
    mulw a2, a0, a1
    CHECK mulw_low_word, a2, 15

    li a0, -7
    li a1, 2
    div a2, a0, a1
    CHECK div_truncates, a2, -3
    rem a2, a0, a1
    CHECK rem_sign_of_dividend, a2, -1
    li a0, 7
    divu a2, a0, a1
    CHECK divu, a2, 3
    remu a2, a0, a1
    CHECK remu, a2, 1
    li a0, -7
    divu a2, a0, a1
    CHECK divu_large, a2, 0x7ffffffffffffffc

    li a0, 5
    div a2, a0, zero
    CHECK div_by_zero, a2, -1
    divu a2, a0, zero
    CHECK divu_by_zero, a2, 0xffffffffffffffff
    rem a2, a0, zero
    CHECK rem_by_zero, a2, 5
    remu a2, a0, zero
    CHECK remu_by_zero, a2, 5
    li a0, 0x8000000000000000
    li a1, -1
    div a2, a0, a1
    CHECK div_overflow, a2, 0x8000000000000000
    rem a2, a0, a1
    CHECK rem_overflow, a2, 0

    li a0, -7
    li a1, 2
    divw a2, a0, a1
    CHECK divw, a2, -3
    remw a2, a0, a1
    CHECK remw, a2, -1
    li a0, 0x10000000f
    li a1, 0x200000004
    divw a2, a0, a1
    CHECK divw_low_words, a2, 3
    remw a2, a0, a1
    CHECK remw_low_words, a2, 3
    li a0, 0x80000000
    li a1, -1
    divw a2, a0, a1
    CHECK divw_overflow, a2, 0xffffffff80000000
    remw a2, a0, a1
    CHECK remw_overflow, a2, 0
    divw a2, a0, zero
    CHECK divw_by_zero, a2, -1
    li a0, 0xffffffff
    li a1, 2
    divuw a2, a0, a1
    CHECK divuw, a2, 0x7fffffff
    divuw a2, a0, zero
    CHECK divuw_by_zero, a2, 0xffffffffffffffff
    li a0, 0x80000005
    remuw a2, a0, zero
    CHECK remuw_by_zero, a2, 0xffffffff80000005
    remw a2, a0, zero
    CHECK remw_by_zero, a2, 0xffffffff80000005
    li a0, 0xffffffff00000010
    li a1, 3
    divuw a2, a0, a1
    CHECK divuw_low_word, a2, 5
    remuw a2, a0, a1
    CHECK remuw_low_word, a2, 1
    /* rd = rs1 = rs2 */
    li a0, 9
    mul a0, a0, a0
    CHECK mul_same_regs, a0, 81
    div a0, a0, a0
    CHECK div_same_regs, a0, 1
TEST_END
