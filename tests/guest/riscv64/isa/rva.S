/*
 * A: LR/SC and the AMOs (Unprivileged ISA 20191213, chapter 8).  An AMO
 * returns the old memory value (sign-extended for .W) and stores
 * op(old, rs2); SC writes 0 to rd on success and a non-zero code on
 * failure, and always ends the reservation.
 */
#include "isa-test.h"

    .data
    .balign 16
word:
    .dword 0
dword:
    .dword 0
pair:
    .dword 0x1111111122222222

TEST_START
    la t0, word
    la t1, dword

    li a0, 5
    sw a0, 0(t0)
    li a1, 7
    amoswap.w a2, a1, (t0)
    CHECK amoswap_w_old, a2, 5
    lw a3, 0(t0)
    CHECK amoswap_w_new, a3, 7

    li a0, 0x7fffffff
    sw a0, 0(t0)
    li a1, 1
    amoadd.w a2, a1, (t0)
    CHECK amoadd_w_old, a2, 0x7fffffff
    amoadd.w a2, a1, (t0)
    CHECK amoadd_w_old_sign_extended, a2, 0xffffffff80000000
    lw a3, 0(t0)
    CHECK amoadd_w_new, a3, 0xffffffff80000001

    li a0, 0xff00ff00ff00ff00
    li a1, 0x0ff00ff00ff00ff0
    sd a0, 0(t1)
    amoxor.d a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amoxor_d_old, a2, 0xff00ff00ff00ff00
    CHECK amoxor_d_new, a3, 0xf0f0f0f0f0f0f0f0
    sd a0, 0(t1)
    amoand.d.aq a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amoand_d_new, a3, 0x0f000f000f000f00
    sd a0, 0(t1)
    amoor.d.rl a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amoor_d_new, a3, 0xfff0fff0fff0fff0
    sd a0, 0(t1)
    amoadd.d.aqrl a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amoadd_d_new, a3, 0x0ef10ef10ef10ef0

    li a0, -5
    sw a0, 0(t0)
    li a1, 3
    amomin.w a2, a1, (t0)
    lw a3, 0(t0)
    CHECK amomin_w_old, a2, -5
    CHECK amomin_w_keeps, a3, -5
    amominu.w a2, a1, (t0)
    lw a3, 0(t0)
    CHECK amominu_w_new, a3, 3
    amomaxu.w a2, a0, (t0)
    lwu a3, 0(t0)
    CHECK amomaxu_w_new, a3, 0xfffffffb
    amomax.w a2, a1, (t0)
    lw a3, 0(t0)
    CHECK amomax_w_new, a3, 3

    li a0, -1
    sd a0, 0(t1)
    li a1, 1
    amomax.d a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amomax_d_new, a3, 1
    amomaxu.d a2, a0, (t1)
    ld a3, 0(t1)
    CHECK amomaxu_d_new, a3, -1
    amomin.d a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amomin_d_keeps, a3, -1
    amominu.d a2, a1, (t1)
    ld a3, 0(t1)
    CHECK amominu_d_new, a3, 1
    li a1, 42
    amoswap.d a2, a1, (t1)
    CHECK amoswap_d_old, a2, 1
    amoswap.d zero, a1, (t1)
    ld a3, 0(t1)
    CHECK amo_rd_zero_still_stores, a3, 42

    /* LR/SC */
    li a0, 100
    sd a0, 0(t1)
    lr.d a2, (t1)
    CHECK lr_d, a2, 100
    addi a2, a2, 1
    sc.d a3, a2, (t1)
    CHECK sc_d_success, a3, 0
    ld a4, 0(t1)
    CHECK sc_d_stored, a4, 101
    li a2, 55
    sc.d a3, a2, (t1)
    snez a3, a3
    CHECK sc_d_without_reservation_fails, a3, 1
    ld a4, 0(t1)
    CHECK sc_d_failure_keeps_memory, a4, 101

    li a0, 0x80000000
    sw a0, 0(t0)
    lr.w.aq a2, (t0)
    CHECK lr_w_sign_extends, a2, 0xffffffff80000000
    li a2, 0x12345678
    sc.w.rl a3, a2, (t0)
    CHECK sc_w_success, a3, 0
    lw a4, 0(t0)
    CHECK sc_w_stored, a4, 0x12345678

    la t2, pair
    lr.w a2, (t2)
    CHECK lr_w_low_word, a2, 0x22222222
    li a2, 0x33333333
    sc.w a3, a2, (t2)
    ld a4, 0(t2)
    CHECK sc_w_writes_32_bits, a4, 0x1111111133333333

    /* The usual LR/SC retry loop: 20 increments by 3. */
    li a0, 0
    sd a0, 0(t1)
    li a5, 20
1:  lr.d a2, (t1)
    addi a2, a2, 3
    sc.d a3, a2, (t1)
    bnez a3, 1b
    addi a5, a5, -1
    bnez a5, 1b
    ld a4, 0(t1)
    CHECK lr_sc_loop, a4, 60
TEST_END
