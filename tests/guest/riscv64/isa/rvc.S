/*
 * C: compressed instructions (Unprivileged ISA 20191213, chapter 16).
 * Each one behaves as the 32-bit instruction it expands to (tables
 * 16.5-16.7); 16- and 32-bit instructions mix at 2-byte alignment.
 */
#include "isa-test.h"

    .data
    .balign 8
cdata:
    .dword 0x1122334455667788
    .dword 0x99aabbccddeeff00
    .dword 0x3ff8000000000000        /* 1.5 */
    .dword 0

TEST_START
    .option push
    .option rvc
    c.li a0, -32
    CHECK c_li, a0, -32
    c.addi a0, 31
    CHECK c_addi, a0, -1
    c.li a0, 0
    c.addi a0, -1
    CHECK c_addi_negative, a0, -1
    li a0, 0x7fffffff
    c.addiw a0, 1
    CHECK c_addiw, a0, 0xffffffff80000000
    c.lui a0, 0xfffe0
    CHECK c_lui_negative, a0, 0xfffffffffffe0000
    c.lui a1, 1
    CHECK c_lui, a1, 0x1000
    c.li a1, 1
    c.slli a1, 63
    CHECK c_slli, a1, 0x8000000000000000
    mv s0, a1
    c.srai s0, 3
    CHECK c_srai, s0, 0xf000000000000000
    c.srli s0, 60
    CHECK c_srli, s0, 0xf
    li s1, 0x1234
    c.andi s1, -16
    CHECK c_andi, s1, 0x1230
    c.mv a2, s1
    CHECK c_mv, a2, 0x1230
    c.add a2, s0
    CHECK c_add, a2, 0x123f
    c.sub s1, s0
    CHECK c_sub, s1, 0x1221
    li s1, 0xff
    li s0, 0x0f
    c.xor s1, s0
    CHECK c_xor, s1, 0xf0
    c.or s1, s0
    CHECK c_or, s1, 0xff
    c.and s1, s0
    CHECK c_and, s1, 0x0f
    li s0, 0x7fffffff
    li s1, 1
    c.addw s0, s1
    CHECK c_addw, s0, 0xffffffff80000000
    c.subw s0, s1
    CHECK c_subw, s0, 0x7fffffff
    c.nop

    /* stack-pointer forms on a scratch frame */
    mv a3, sp
    c.addi16sp sp, -64
    sub a4, a3, sp
    CHECK c_addi16sp, a4, 64
    c.addi4spn a0, sp, 16
    sub a4, a0, sp
    CHECK c_addi4spn, a4, 16
    li a5, 0x0123456789abcdef
    c.sdsp a5, 8(sp)
    c.ldsp a0, 8(sp)
    CHECK c_sdsp_ldsp, a0, 0x0123456789abcdef
    c.swsp a5, 16(sp)
    c.lwsp a0, 16(sp)
    CHECK c_swsp_lwsp, a0, 0xffffffff89abcdef
    la a0, cdata
    c.fld fa0, 16(a0)
    c.fsdsp fa0, 24(sp)
    c.fldsp fa1, 24(sp)
    CHECKF c_fld_fsdsp_fldsp, fa1, 0x3ff8000000000000
    c.addi16sp sp, 64
    sub a4, a3, sp
    CHECK c_addi16sp_back, a4, 0

    /* register-based loads and stores (x8-x15) */
    la s0, cdata
    c.ld a0, 0(s0)
    CHECK c_ld, a0, 0x1122334455667788
    c.lw a1, 4(s0)
    CHECK c_lw, a1, 0x11223344
    c.lw a1, 8(s0)
    CHECK c_lw_sign_extends, a1, 0xffffffffddeeff00
    li a2, 0x5566
    c.sw a2, 24(s0)
    c.ld a4, 24(s0)
    CHECK c_sw, a4, 0x5566
    li a2, -2
    c.sd a2, 24(s0)
    c.ld a4, 24(s0)
    CHECK c_sd, a4, -2
    c.fsd fa1, 24(s0)
    c.ld a4, 24(s0)
    CHECK c_fsd, a4, 0x3ff8000000000000

    /* control flow */
    li a0, 0
    c.j 1f
    c.addi a0, 1
1:  c.beqz a0, 2f
    c.addi a0, 2
2:  c.li a1, 5
    c.bnez a1, 3f
    c.addi a0, 4
3:  c.bnez a0, 4f
    c.addi a0, 8
4:  c.beqz a1, 5f
    c.addi a0, 16
5:  CHECK c_branches, a0, 24
    lla a1, 6f
    c.jr a1
    c.li a0, 1
6:  CHECK c_jr, a0, 24
    lla a1, 7f
    mv a2, ra
    c.jalr a1
8:  j 9f
7:  lla a3, 8b
    sub a3, ra, a3
    mv ra, a2
    CHECK c_jalr_link, a3, 0
9:
    /* a 32-bit instruction at a 2-byte-aligned address */
    .balign 4
    c.nop
    li a0, 0x12345
    addi a0, a0, 1
    CHECK mixed_alignment, a0, 0x12346
    .option pop
TEST_END
