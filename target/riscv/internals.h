/*
 * Definitions shared between the RISC-V translator and its helpers, not
 * used outside target/riscv.
 */
#ifndef MORPH_TARGET_RISCV_INTERNALS_H
#define MORPH_TARGET_RISCV_INTERNALS_H

/* The operation of helper_amo() (the AMO instructions' funct5, renumbered). */
enum {
    RISCV_AMO_SWAP,
    RISCV_AMO_ADD,
    RISCV_AMO_XOR,
    RISCV_AMO_AND,
    RISCV_AMO_OR,
    RISCV_AMO_MIN,
    RISCV_AMO_MAX,
    RISCV_AMO_MINU,
    RISCV_AMO_MAXU,
};

/* helper_sfence_vma() flags: which operands were x0 (meaning "all"). */
#define RISCV_SFENCE_ALL_ADDR 1
#define RISCV_SFENCE_ALL_ASID 2

/* The canonical NaNs and the NaN-boxing of singles in the 64-bit FP registers. */
#define RISCV_DEFAULT_NAN_S 0x7fc00000u
#define RISCV_DEFAULT_NAN_D 0x7ff8000000000000ull
#define RISCV_NANBOX_MASK   0xffffffff00000000ull

#endif
