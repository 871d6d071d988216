/*
 * RV64I: every base instruction, with results from the Unprivileged ISA
 * 20191213 chapters 2 and 5 (sign extension of immediates and of the *W
 * results, shift amounts taken from the low 6/5 bits, x0 hard-wired to 0).
 */
#include "isa-test.h"

    .data
    .balign 16
buf:
    .dword 0x8081828384858687
    .dword 0
bytes:
    .byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15

TEST_START
    /* lui, auipc */
    lui a0, 0x12345
    CHECK lui, a0, 0x12345000
    lui a0, 0x80000
    CHECK lui_sign_extends, a0, 0xffffffff80000000
1:  auipc a0, 1
    lla a1, 1b
    sub a0, a0, a1
    CHECK auipc, a0, 0x1000

    /* register-immediate */
    li a0, 0x7fffffffffffffff
    addi a1, a0, 1
    CHECK addi_wraps, a1, 0x8000000000000000
    li a0, 10
    addi a1, a0, -2048
    CHECK addi_min_imm, a1, -2038
    li a0, -5
    slti a1, a0, -4
    CHECK slti_true, a1, 1
    slti a1, a0, -5
    CHECK slti_equal, a1, 0
    li a0, -1
    sltiu a1, a0, -1
    CHECK sltiu_equal, a1, 0
    sltiu a1, zero, -1
    CHECK sltiu_imm_is_max, a1, 1
    li a0, 0x0f0f
    xori a1, a0, -1
    CHECK xori_not, a1, 0xfffffffffffff0f0
    li a0, 0x100
    ori a1, a0, 0xff
    CHECK ori, a1, 0x1ff
    li a0, -1
    andi a1, a0, -2048
    CHECK andi_sign_extended, a1, 0xfffffffffffff800

    /* shifts */
    li a0, 1
    slli a1, a0, 63
    CHECK slli_63, a1, 0x8000000000000000
    srli a2, a1, 63
    CHECK srli_63, a2, 1
    srai a2, a1, 63
    CHECK srai_63, a2, -1
    li a2, 65
    sll a3, a0, a2
    CHECK sll_uses_low_6_bits, a3, 2
    li a0, -1
    li a2, 124
    srl a3, a0, a2
    CHECK srl_124_is_60, a3, 0xf
    li a0, 0x8000000000000000
    li a2, 4
    sra a3, a0, a2
    CHECK sra, a3, 0xf800000000000000

    /* register-register */
    li a0, 0
    li a1, 1
    sub a2, a0, a1
    CHECK sub, a2, -1
    li a0, -1
    slt a2, a0, a1
    CHECK slt, a2, 1
    sltu a2, a0, a1
    CHECK sltu, a2, 0
    li a0, 0xff00ff00ff00ff00
    li a1, 0x0ff00ff00ff00ff0
    xor a2, a0, a1
    CHECK xor, a2, 0xf0f0f0f0f0f0f0f0
    or a2, a0, a1
    CHECK or, a2, 0xfff0fff0fff0fff0
    and a2, a0, a1
    CHECK and, a2, 0x0f000f000f000f00
    add a2, a0, a1
    CHECK add, a2, 0x0ef10ef10ef10ef0

    /* *W: 32-bit operations, results sign-extended */
    li a0, 0x7fffffff
    addiw a1, a0, 1
    CHECK addiw_overflow, a1, 0xffffffff80000000
    li a0, 0x123456789
    addiw a1, a0, 0
    CHECK addiw_sext_w, a1, 0x23456789
    li a0, 0xffffffff
    li a1, 1
    addw a2, a0, a1
    CHECK addw, a2, 0
    li a0, 0
    li a1, 0x80000000
    subw a2, a0, a1
    CHECK subw, a2, 0xffffffff80000000
    li a0, 1
    li a1, 63
    sllw a2, a0, a1
    CHECK sllw_uses_low_5_bits, a2, 0xffffffff80000000
    li a0, 0xffffffff80000000
    li a1, 31
    srlw a2, a0, a1
    CHECK srlw, a2, 1
    li a0, 0x1234567887654321
    srliw a1, a0, 4
    CHECK srliw, a1, 0x08765432
    sraiw a1, a0, 4
    CHECK sraiw, a1, 0xfffffffff8765432
    slliw a1, a0, 4
    CHECK slliw, a1, 0x76543210
    li a2, 36
    sraw a1, a0, a2
    CHECK sraw, a1, 0xfffffffff8765432

    /* loads (little endian, sign or zero extension) */
    la t0, buf
    lb a0, 0(t0)
    CHECK lb, a0, 0xffffffffffffff87
    lbu a0, 0(t0)
    CHECK lbu, a0, 0x87
    lh a0, 0(t0)
    CHECK lh, a0, 0xffffffffffff8687
    lhu a0, 0(t0)
    CHECK lhu, a0, 0x8687
    lw a0, 0(t0)
    CHECK lw, a0, 0xffffffff84858687
    lwu a0, 0(t0)
    CHECK lwu, a0, 0x84858687
    ld a0, 0(t0)
    CHECK ld, a0, 0x8081828384858687
    addi t1, t0, 8
    ld a0, -8(t1)
    CHECK ld_negative_offset, a0, 0x8081828384858687
    la t1, bytes
    ld a0, 1(t1)
    CHECK ld_misaligned, a0, 0x0807060504030201
    lw a0, 3(t1)
    CHECK lw_misaligned, a0, 0x06050403

    /* stores */
    li a0, 0x11
    sb a0, 1(t0)
    ld a1, 0(t0)
    CHECK sb, a1, 0x8081828384851187
    li a0, 0xaabbccdd
    sh a0, 2(t0)
    ld a1, 0(t0)
    CHECK sh, a1, 0x80818283ccdd1187
    sw a0, 4(t0)
    ld a1, 0(t0)
    CHECK sw, a1, 0xaabbccddccdd1187
    li a0, 0x0123456789abcdef
    sd a0, 8(t0)
    ld a1, 8(t0)
    CHECK sd, a1, 0x0123456789abcdef

    /* branches: taken ones skip an addi, untaken ones execute it */
    li a0, 0
    li a1, 1
    li a2, -1
    beq a1, a1, 1f
    addi a0, a0, 1
1:  bne a1, a2, 2f
    addi a0, a0, 2
2:  blt a2, a1, 3f
    addi a0, a0, 4
3:  bge a1, a2, 4f
    addi a0, a0, 8
4:  bltu a1, a2, 5f
    addi a0, a0, 16
5:  bgeu a2, a1, 6f
    addi a0, a0, 32
6:  beq a1, a2, 7f
    addi a0, a0, 64
7:  bltu a2, a1, 8f
    addi a0, a0, 128
8:  bge a2, a1, 9f
    addi a0, a0, 256
9:  CHECK branches, a0, 448
    /* a backward branch: a loop of 10 */
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK loop, a0, 30

    /* jumps: the link is the address of the next instruction */
    jal t0, 1f
1:  lla t1, 1b
    sub a0, t0, t1
    CHECK jal_link, a0, 0
    lla t1, 2f
    jalr t0, 0(t1)
3:  j 4f
2:  lla t2, 3b
    sub a0, t0, t2
    CHECK jalr_link, a0, 0
4:  lla t1, 5f
    addi t1, t1, 1
    li a0, 1
    jalr zero, 0(t1)
    li a0, 2
5:  CHECK jalr_clears_bit_0, a0, 1
    lla t1, 6f
    jalr t1, 0(t1)
7:  j 8f
6:  lla t2, 7b
    sub a0, t1, t2
    CHECK jalr_rd_is_rs1, a0, 0
8:  lla t1, 9f
    jalr t0, 4(t1)
9:  nop
    nop
    CHECK jalr_offset, zero, 0

    /* x0 */
    addi zero, zero, 5
    lui zero, 0x12345
    CHECK x0_stays_zero, zero, 0

    /* FENCE, FENCE.I and the Zicntr counters */
    fence rw, rw
    fence.i
    rdtime a0
    rdtime a1
    sltu a2, a1, a0
    CHECK time_monotonic, a2, 0
    rdcycle a0
    rdinstret a1
    CHECK counters_read, zero, 0
TEST_END
