/*
 * The bare-metal runtime of the privileged-architecture tests
 * (tests/guest/riscv64/priv): output on the virt board's 16550 UART,
 * checks that print PASS/FAIL, power-off through the SiFive test device
 * with the number of failures as the exit code, CSR access, running a
 * function in S- or U-mode, and trap handlers (M and S) that record each
 * trap and resume after it.
 *
 * A trap that a test provokes is resumed as follows: an instruction fetch
 * fault (cause 1 or 12) returns to the caller (ra), since the faulting pc
 * is not code; an interrupt returns to where it struck, after the
 * registered irq_hook has silenced its source; any other exception resumes
 * after the faulting instruction.  trap_last and trap_count say what
 * happened.  Written for the Privileged Architecture 20211203; the tests
 * must pass on QEMU 7.2's virt board, the reference.
 */
#ifndef PRIV_TEST_H
#define PRIV_TEST_H

#include <stdint.h>

#define UART_BASE      0x10000000ul
#define SIFIVE_TEST    0x100000ul
#define CLINT_BASE     0x2000000ul
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
/* Nothing answers here on the virt board: an access faults. */
#define HOLE_ADDR 0x200000ul

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE  (1ul << 1)
#define MSTATUS_MIE  (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP  (1ul << 8)
#define MSTATUS_MPP  (3ul << 11)
#define MSTATUS_FS   (3ul << 13)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_SUM  (1ul << 18)
#define MSTATUS_MXR  (1ul << 19)
#define MSTATUS_TVM  (1ul << 20)
#define MSTATUS_TW   (1ul << 21)
#define MSTATUS_TSR  (1ul << 22)

#define IRQ_SSI  1
#define IRQ_MSI  3
#define IRQ_STI  5
#define IRQ_MTI  7
#define IRQ_SEI  9
#define IRQ_MEI  11
#define INT_FLAG (1ul << 63)

#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_LOAD_MISALIGNED  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

#define STR(x)  #x
#define XSTR(x) STR(x)
#define csr_read(csr)                                                                              \
    ({                                                                                             \
        unsigned long __v;                                                                         \
        __asm__ volatile("csrr %0, " XSTR(csr) : "=r"(__v)::"memory");                             \
        __v;                                                                                       \
    })
#define csr_write(csr, val) __asm__ volatile("csrw " XSTR(csr) ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " XSTR(csr) ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " XSTR(csr) ", %0" ::"rK"(val) : "memory")

/* What the last trap was, as the handler that took it saw it. */
typedef struct TrapRecord {
    unsigned long cause, epc, tval;
    unsigned long from_mode; /* xPP: the mode the trap came from */
    unsigned long to_mode;   /* PRV_M or PRV_S: which handler took it */
    unsigned long vector;    /* xscratch: the vector slot, in vectored mode */
} TrapRecord;

/* Vectored-mode tables (crt0.S): slot n writes n to xscratch. */
extern char mtrap_vectors[], strap_vectors[], mtrap_entry[], strap_entry[];

extern volatile TrapRecord trap_last;
extern volatile unsigned long trap_count;
/* Called for interrupts (in the mode that takes them) to silence the source. */
extern void (*volatile irq_hook)(unsigned long cause);

void trap_reset(void);

/* Output. */
void putchar_uart(char c);
void puts_uart(const char *s);
void puthex(unsigned long v);

/* Checks: print "PASS name" or "FAIL name ...", count failures. */
void check(const char *name, int ok);
void check_eq(const char *name, unsigned long got, unsigned long want);
/* Check that the last trap (since trap_reset) was `cause` with tval, from mode. */
void check_trap(const char *name, unsigned long cause, unsigned long tval);

/*
 * Run fn(arg) in `mode` (PRV_S or PRV_U) and return its result in M-mode.
 * The function runs on the same stack with whatever satp and PMP allow.
 */
unsigned long run_in_mode(int mode, unsigned long (*fn)(unsigned long), unsigned long arg);

/* Let S and U reach all memory (the last PMP entry, 15: NAPOT over everything). */
void pmp_allow_all(void);

/* Accesses that may fault: the value read, or `dflt` when the load trapped. */
unsigned long try_load64(unsigned long addr, unsigned long dflt);
unsigned long try_load32(unsigned long addr, unsigned long dflt);
void try_store64(unsigned long addr, unsigned long val);
void try_store32(unsigned long addr, unsigned long val);
/* Jump to addr as a function; a fetch fault comes back here. */
void try_fetch(unsigned long addr);

/* The test's body; returns nothing, failures are counted by the checks. */
void test_main(void);

#endif
