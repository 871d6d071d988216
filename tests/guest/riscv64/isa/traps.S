/*
 * Instructions that trap, seen from Linux user mode as signals: illegal
 * and reserved encodings (Unprivileged ISA 20191213: the all-zero
 * instruction, reserved rounding modes 5 and 6, DYN with an invalid frm,
 * a CSR that does not exist), EBREAK and C.EBREAK (breakpoint) and a
 * misaligned AMO (address-misaligned, which Linux reports as SIGBUS).
 *
 * The handler (SA_SIGINFO) records the signal number and skips the
 * trapping instruction by advancing the pc saved in the ucontext
 * (riscv64 Linux: uc_mcontext starts at offset 176, pc first); the kernel
 * or emulator provides the return trampoline.
 */
#include "isa-test.h"

#define SYS_rt_sigaction 134
#define SA_SIGINFO 4
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define UC_PC 176

    .data
    .balign 16
/* struct sigaction for the kernel: handler, flags, mask */
act:
    .dword 0, SA_SIGINFO, 0
last_signal:
    .dword 0
    .balign 8
misaligned:
    .dword 0, 0

/* Install the handler for \sig. */
    .macro CATCH sig
    li a0, \sig
    la a1, act
    li a2, 0
    li a3, 8
    li a7, SYS_rt_sigaction
    ecall
    .endm

/* Check which signal the code before raised (0: none) and reset; uses t0, t1. */
    .macro EXPECT_SIGNAL name, sig
    la t0, last_signal
    ld t1, 0(t0)
    sd zero, 0(t0)
    CHECK \name, t1, \sig
    .endm

TEST_START
    la t0, act
    la t1, handler
    sd t1, 0(t0)
    CATCH SIGILL
    CATCH SIGTRAP
    CATCH SIGBUS

    .insn 0x00000013            /* addi x0, x0, 0: a control, no signal */
    EXPECT_SIGNAL nop_no_signal, 0
    .option push
    .option rvc
    .2byte 0x0000               /* the all-zero instruction */
    .option pop
    EXPECT_SIGNAL all_zero_illegal, SIGILL
    .4byte 0xffffffff           /* bits 4:2 = 111: a longer encoding morph lacks */
    EXPECT_SIGNAL all_ones_illegal, SIGILL
    /* fadd.s fa0, fa1, fa2 with rm = 5 and 6 (reserved) */
    .insn r 0x53, 5, 0, fa0, fa1, fa2
    EXPECT_SIGNAL reserved_rm_5, SIGILL
    .insn r 0x53, 6, 0, fa0, fa1, fa2
    EXPECT_SIGNAL reserved_rm_6, SIGILL
    /* DYN with frm = 5: illegal at the instruction that uses it */
    fsrmi 5
    fadd.s fa0, fa1, fa2        /* rm = dyn */
    EXPECT_SIGNAL dyn_invalid_frm, SIGILL
    fsrmi 7
    fadd.d fa0, fa1, fa2
    EXPECT_SIGNAL dyn_frm_7, SIGILL
    fsrmi 0
    fadd.s fa0, fa1, fa2, rne   /* a static mode does not look at frm */
    fsrmi 6
    fadd.s fa0, fa1, fa2, rtz
    EXPECT_SIGNAL static_rm_ignores_frm, 0
    fsrmi 0
    fadd.s fa0, fa1, fa2
    EXPECT_SIGNAL dyn_valid_again, 0
    /* a CSR that does not exist, and a write to a read-only one */
    csrr a0, 0x7ff
    EXPECT_SIGNAL missing_csr, SIGILL
    csrw cycle, zero
    EXPECT_SIGNAL read_only_csr, SIGILL
    /* M-mode only from U-mode */
    mret
    EXPECT_SIGNAL mret_in_user, SIGILL
    csrr a0, mstatus
    EXPECT_SIGNAL mstatus_in_user, SIGILL
    /* breakpoints */
    ebreak
    EXPECT_SIGNAL ebreak, SIGTRAP
    .option push
    .option rvc
    c.ebreak
    .option pop
    EXPECT_SIGNAL c_ebreak, SIGTRAP
    /* a misaligned AMO */
    la s1, misaligned
    addi s1, s1, 2
    li a1, 1
    amoadd.w a0, a1, (s1)
    EXPECT_SIGNAL misaligned_amo, SIGBUS
    lr.d a0, (s1)
    EXPECT_SIGNAL misaligned_lr, SIGBUS
    /* regular loads and stores may be misaligned */
    li a1, 0x1122334455667788
    sd a1, 0(s1)
    ld a2, 0(s1)
    EXPECT_SIGNAL misaligned_ld_sd_allowed, 0
    CHECK misaligned_ld_value, a2, 0x1122334455667788
TEST_END

/* handler(sig, info, ucontext): record sig, step over the instruction. */
handler:
    la t0, last_signal
    sd a0, 0(t0)
    ld t1, UC_PC(a2)
    lhu t2, 0(t1)
    andi t2, t2, 3
    addi t1, t1, 2
    li t3, 3
    bne t2, t3, 1f
    addi t1, t1, 2
1:  sd t1, UC_PC(a2)
    ret
