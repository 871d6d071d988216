/*
 * Zbc: carry-less multiplication (Bit-Manipulation ISA 1.0.0, section
 * 2.3).  Of the 128-bit carry-less product, clmul gives bits 63..0,
 * clmulh bits 127..64 and clmulr bits 126..63.  The expected values follow
 * the spec's definitions (xor of rs1 << i for every set bit i of rs2).
 */
#include "isa-test.h"

TEST_START
    li a0, 3
    li a1, 5
    clmul a2, a0, a1
    CHECK clmul_small, a2, 0xf
    clmulh a2, a0, a1
    CHECK clmulh_small, a2, 0
    li a0, 0x1234567890abcdef
    li a1, 0xfedcba0987654321
    clmul a2, a0, a1
    CHECK clmul, a2, 0x1f31f87ebb8c810f
    clmulh a2, a0, a1
    CHECK clmulh, a2, 0x0e038d8eab3af47a
    clmulr a2, a0, a1
    CHECK clmulr, a2, 0x1c071b1d5675e8f4
    li a0, -1
    clmul a2, a0, a0
    CHECK clmul_ones, a2, 0x5555555555555555
    clmulh a2, a0, a0
    CHECK clmulh_ones, a2, 0x5555555555555555
    clmulr a2, a0, a0
    CHECK clmulr_ones, a2, 0xaaaaaaaaaaaaaaaa
    li a0, 0x8000000000000000
    clmul a2, a0, a0
    CHECK clmul_top_bits, a2, 0
    clmulh a2, a0, a0
    CHECK clmulh_top_bits, a2, 0x4000000000000000
    clmulr a2, a0, a0
    CHECK clmulr_top_bits, a2, 0x8000000000000000
    li a0, 0x8000000000000001
    li a1, 3
    clmul a2, a0, a1
    CHECK clmul_wrap, a2, 0x8000000000000003
    clmulh a2, a0, a1
    CHECK clmulh_carry_out, a2, 1
    clmulr a2, a0, a1
    CHECK clmulr, a2, 3
    clmul a2, a0, zero
    CHECK clmul_zero, a2, 0
TEST_END
