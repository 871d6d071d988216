/*
 * The harness of the self-checking ISA tests: static Linux user-mode
 * programs without libc.  Each check compares a register with the value the
 * specification gives, prints "PASS <name>" or "FAIL <name> got <hex> want
 * <hex>" through the write system call, and the program exits with the
 * number of failed checks.
 *
 *     #include "isa-test.h"
 *     TEST_START
 *         li a0, 2
 *         addi a1, a0, -3
 *         CHECK addi_neg, a1, -1
 *     TEST_END
 *
 * CHECK clobbers only t3-t6 (the FP macros t4 too); s11 holds the failure
 * count and s10 the check count: tests leave t3-t6, s10 and s11 alone.
 * CHECKF compares the 64-bit pattern of an FP register (singles are
 * NaN-boxed: 0xffffffff in the upper half).  CHECK_FLAGS reads and clears
 * fflags.  Code is assembled without compressed instructions unless a test
 * says `.option rvc`.
 */
#define SYS_write 64
#define SYS_exit 93

    .macro TEST_START
    .text
    /* 32-bit encodings only, unless a test asks for compressed ones (rvc.S). */
    .option norvc
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    li s11, 0
    li s10, 0
    csrwi fflags, 0
    .endm

    .macro TEST_END
    /* "N checks" summary, then exit with the failure count. */
    mv a0, s10
    call isa_print_count
    mv a0, s11
    li a7, SYS_exit
    ecall
    ISA_TEST_SUPPORT
    .endm

/* Compare \reg with \expect (any 64-bit constant). */
    .macro CHECK name, reg, expect
    mv t5, \reg
    li t6, \expect
    .pushsection .rodata.isa_names, "a"
77701:
    .asciz "\name"
    .popsection
    la t4, 77701b
    jal t3, isa_report
    .endm

/* Compare the 64 bits of FP register \freg with \expect. */
    .macro CHECKF name, freg, expect
    fmv.x.d t5, \freg
    li t6, \expect
    .pushsection .rodata.isa_names, "a"
77703:
    .asciz "\name"
    .popsection
    la t4, 77703b
    jal t3, isa_report
    .endm

/* Compare the accrued flags (NV=16 DZ=8 OF=4 UF=2 NX=1) with \expect, then clear them. */
    .macro CHECK_FLAGS name, expect
    csrrw t4, fflags, zero
    CHECK \name, t4, \expect
    .endm

/* Load a 64-bit pattern into an FP register (through t4). */
    .macro FLI freg, bits
    li t4, \bits
    fmv.d.x \freg, t4
    .endm

/* Load a single-precision pattern, NaN-boxed. */
    .macro FLIS freg, bits
    li t4, \bits
    fmv.w.x \freg, t4
    .endm

    .macro ISA_TEST_SUPPORT
/*
 * isa_report: t5 = got, t6 = want, t4 = name (NUL-terminated), returns
 * through t3.  Every other register is preserved.
 */
isa_report:
    addi sp, sp, -96
    sd ra, 0(sp)
    sd a0, 8(sp)
    sd a1, 16(sp)
    sd a2, 24(sp)
    sd a3, 32(sp)
    sd a4, 40(sp)
    sd a5, 48(sp)
    sd a6, 56(sp)
    sd a7, 64(sp)
    addi s10, s10, 1
    la a1, isa_pass
    beq t5, t6, 1f
    addi s11, s11, 1
    la a1, isa_fail
1:
    li a0, 1
    li a2, 5
    li a7, SYS_write
    ecall
    mv a1, t4
    mv a2, t4
0:
    lbu a0, 0(a2)
    beqz a0, 0f
    addi a2, a2, 1
    j 0b
0:
    sub a2, a2, a1
    li a0, 1
    li a7, SYS_write
    ecall
    beq t5, t6, 2f
    la a1, isa_got
    li a2, 5
    li a0, 1
    li a7, SYS_write
    ecall
    mv a0, t5
    call isa_print_hex
    la a1, isa_want
    li a2, 6
    li a0, 1
    li a7, SYS_write
    ecall
    mv a0, t6
    call isa_print_hex
2:
    la a1, isa_nl
    li a2, 1
    li a0, 1
    li a7, SYS_write
    ecall
    ld ra, 0(sp)
    ld a0, 8(sp)
    ld a1, 16(sp)
    ld a2, 24(sp)
    ld a3, 32(sp)
    ld a4, 40(sp)
    ld a5, 48(sp)
    ld a6, 56(sp)
    ld a7, 64(sp)
    addi sp, sp, 96
    jr t3

/* isa_print_hex: a0 as 16 hex digits. */
isa_print_hex:
    la a1, isa_buf
    li a2, 16
3:
    addi a2, a2, -1
    andi a3, a0, 15
    li a4, 10
    blt a3, a4, 4f
    addi a3, a3, 'a' - 10 - '0'
4:
    addi a3, a3, '0'
    add a4, a1, a2
    sb a3, 0(a4)
    srli a0, a0, 4
    bnez a2, 3b
    li a0, 1
    li a2, 16
    li a7, SYS_write
    ecall
    ret

/* isa_print_count: "<a0, three decimal digits> checks\n" (no M extension needed). */
isa_print_count:
    la a1, isa_buf
    li a3, 100
    li a5, 3
5:
    li a4, '0'
6:
    bltu a0, a3, 7f
    sub a0, a0, a3
    addi a4, a4, 1
    j 6b
7:
    sb a4, 0(a1)
    addi a1, a1, 1
    /* 100 -> 10 -> 1 */
    li a4, 10
    bne a3, a4, 8f
    li a3, 1
    j 9f
8:
    li a3, 10
9:
    addi a5, a5, -1
    bnez a5, 5b
    la a1, isa_buf
    li a2, 3
    li a0, 1
    li a7, SYS_write
    ecall
    la a1, isa_checks
    li a2, 8
    li a0, 1
    li a7, SYS_write
    ecall
    ret

    .pushsection .rodata.isa_strings, "a"
isa_pass: .ascii "PASS "
isa_fail: .ascii "FAIL "
isa_got: .ascii " got "
isa_want: .ascii " want "
isa_nl: .ascii "\n"
isa_checks: .ascii " checks\n"
    .popsection
    .pushsection .bss
    .balign 8
isa_buf: .space 32
    .popsection
    .endm
