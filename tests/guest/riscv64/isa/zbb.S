/*
 * Zbb: basic bit manipulation (Bit-Manipulation ISA 1.0.0, section 2.2).
 * Counts of a zero input give the width (64, or 32 for the W forms);
 * rotates use the low 6 (5) bits of the amount; orc.b sets each non-zero
 * byte to 0xff; rev8 reverses the bytes.
 */
#include "isa-test.h"

TEST_START
    li a0, 0xff00ff00ff00ff00
    li a1, 0x0ff00ff00ff00ff0
    andn a2, a0, a1
    CHECK andn, a2, 0xf000f000f000f000
    orn a2, a0, a1
    CHECK orn, a2, 0xff0fff0fff0fff0f
    xnor a2, a0, a1
    CHECK xnor, a2, 0x0f0f0f0f0f0f0f0f

    li a0, 0
    clz a1, a0
    CHECK clz_zero, a1, 64
    ctz a1, a0
    CHECK ctz_zero, a1, 64
    cpop a1, a0
    CHECK cpop_zero, a1, 0
    clzw a1, a0
    CHECK clzw_zero, a1, 32
    ctzw a1, a0
    CHECK ctzw_zero, a1, 32
    li a0, 0x0000100000000000
    clz a1, a0
    CHECK clz, a1, 19
    ctz a1, a0
    CHECK ctz, a1, 44
    clzw a1, a0
    CHECK clzw_ignores_high, a1, 32
    ctzw a1, a0
    CHECK ctzw_ignores_high, a1, 32
    li a0, 0xffffffff00010000
    clzw a1, a0
    CHECK clzw, a1, 15
    ctzw a1, a0
    CHECK ctzw, a1, 16
    cpopw a1, a0
    CHECK cpopw, a1, 1
    cpop a1, a0
    CHECK cpop, a1, 33
    li a0, -1
    cpop a1, a0
    CHECK cpop_all, a1, 64
    clz a1, a0
    CHECK clz_negative, a1, 0

    li a0, -5
    li a1, 3
    max a2, a0, a1
    CHECK max, a2, 3
    min a2, a0, a1
    CHECK min, a2, -5
    maxu a2, a0, a1
    CHECK maxu, a2, -5
    minu a2, a0, a1
    CHECK minu, a2, 3
    max a2, a0, a0
    CHECK max_equal, a2, -5

    li a0, 0x12345680
    sext.b a1, a0
    CHECK sext_b, a1, 0xffffffffffffff80
    li a0, 0x1234567f
    sext.b a1, a0
    CHECK sext_b_positive, a1, 0x7f
    li a0, 0x12348765
    sext.h a1, a0
    CHECK sext_h, a1, 0xffffffffffff8765
    li a0, -1
    zext.h a1, a0
    CHECK zext_h, a1, 0xffff

    li a0, 0x8000000000000001
    li a1, 1
    rol a2, a0, a1
    CHECK rol, a2, 3
    ror a2, a0, a1
    CHECK ror, a2, 0xc000000000000000
    li a1, 65
    rol a2, a0, a1
    CHECK rol_low_6_bits, a2, 3
    rori a2, a0, 4
    CHECK rori, a2, 0x1800000000000000
    rori a2, a0, 0
    CHECK rori_0, a2, 0x8000000000000001
    li a0, 0x0000000080000001
    li a1, 1
    rolw a2, a0, a1
    CHECK rolw, a2, 3
    rorw a2, a0, a1
    CHECK rorw, a2, 0xffffffffc0000000
    li a1, 33
    rorw a2, a0, a1
    CHECK rorw_low_5_bits, a2, 0xffffffffc0000000
    li a0, 0xabcdef0012345678
    roriw a2, a0, 8
    CHECK roriw, a2, 0x0000000078123456
    roriw a2, a0, 4
    CHECK roriw_sign_extends, a2, 0xffffffff81234567

    li a0, 0x0001000010ff0080
    orc.b a1, a0
    CHECK orc_b, a1, 0x00ff0000ffff00ff
    li a0, 0
    orc.b a1, a0
    CHECK orc_b_zero, a1, 0
    li a0, 0x0102030405060708
    rev8 a1, a0
    CHECK rev8, a1, 0x0807060504030201
TEST_END
