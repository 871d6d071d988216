/*
 * Entry and trap entry of the privileged tests (see priv-test.h): hart 0
 * starts here in M-mode; traps to M and to S save every register on the
 * current stack, call the C handler, restore and return with xRET.
 * run_in_mode() enters S or U with mret; the function it runs ends with an
 * ecall carrying MODE_EXIT in a7, on which the M handler returns to
 * run_in_mode's caller with the saved M-mode stack.
 */
#define MODE_EXIT 0x4d4f5250
#define FRAME 272

    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrr t0, mhartid
    bnez t0, park
    la sp, __stack_top
    la t0, mtrap_entry
    csrw mtvec, t0
    li t0, (1 << 13)                /* FS = Initial: C code may use FP registers */
    csrs mstatus, t0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call test_main
    call finish
park:
    wfi
    j park

/* Save x1..x31 (x2 as it was) into a frame at sp; a0 = frame. */
.macro SAVE_FRAME
    addi sp, sp, -FRAME
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    addi t0, sp, FRAME
    sd t0, 16(sp)
    mv a0, sp
.endm

.macro RESTORE_FRAME
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    addi sp, sp, FRAME
.endm

    .text
    .balign 4
    .globl mtrap_entry
mtrap_entry:
    SAVE_FRAME
    call mtrap_handler
    bnez a0, mode_return
    RESTORE_FRAME
    mret

    .balign 4
    .globl strap_entry
strap_entry:
    SAVE_FRAME
    call strap_handler
    RESTORE_FRAME
    sret

/*
 * Vector tables for xtvec's vectored mode: slot n (at base + 4n) notes n
 * in xscratch and enters the common handler, which records it.
 */
.macro VECTORS name, scratch, entry
    .balign 256
    .globl \name
\name:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j \name\()_\n
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
\name\()_\n:
    csrwi \scratch, \n
    j \entry
    .endr
    .option pop
.endm

    VECTORS mtrap_vectors, mscratch, mtrap_entry
    VECTORS strap_vectors, sscratch, strap_entry

/* unsigned long run_in_mode(int mode, unsigned long (*fn)(unsigned long), unsigned long arg) */
    .globl run_in_mode
run_in_mode:
    addi sp, sp, -112
    sd ra, 0(sp)
    sd s0, 8(sp)
    sd s1, 16(sp)
    sd s2, 24(sp)
    sd s3, 32(sp)
    sd s4, 40(sp)
    sd s5, 48(sp)
    sd s6, 56(sp)
    sd s7, 64(sp)
    sd s8, 72(sp)
    sd s9, 80(sp)
    sd s10, 88(sp)
    sd s11, 96(sp)
    la t0, mode_saved_sp
    sd sp, 0(t0)
    li t0, (3 << 11)
    csrc mstatus, t0
    slli a0, a0, 11
    csrs mstatus, a0
    csrw mepc, a1
    mv a0, a2
    la ra, mode_exit
    .globl run_in_mode_mret
run_in_mode_mret:
    mret

/* Where the function run by run_in_mode returns to: back to M-mode. */
    .globl mode_exit
mode_exit:
    li a7, MODE_EXIT
    ecall
1:  j 1b

/* The M handler saw MODE_EXIT: a0 = the function's result. */
mode_return:
    la t0, mode_result
    ld a0, 0(t0)
    la t0, mode_saved_sp
    ld sp, 0(t0)
    ld ra, 0(sp)
    ld s0, 8(sp)
    ld s1, 16(sp)
    ld s2, 24(sp)
    ld s3, 32(sp)
    ld s4, 40(sp)
    ld s5, 48(sp)
    ld s6, 56(sp)
    ld s7, 64(sp)
    ld s8, 72(sp)
    ld s9, 80(sp)
    ld s10, 88(sp)
    ld s11, 96(sp)
    addi sp, sp, 112
    ret

/* Loads, stores and jumps that may fault (the handler skips or returns). */
    .globl try_load64
try_load64:
    mv t0, a0
    mv a0, a1
    ld a0, 0(t0)
    ret

    .globl try_load32
try_load32:
    mv t0, a0
    mv a0, a1
    lw a0, 0(t0)
    ret

    .globl try_store64
try_store64:
    sd a1, 0(a0)
    ret

    .globl try_store32
try_store32:
    sw a1, 0(a0)
    ret

    .globl try_fetch
try_fetch:
    jr a0

    .bss
    .balign 8
    .globl mode_saved_sp, mode_result
mode_saved_sp:
    .dword 0
mode_result:
    .dword 0
