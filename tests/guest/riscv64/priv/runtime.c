/*
 * The C half of the privileged tests' runtime (priv-test.h): UART output,
 * checks, power-off, and the M and S trap handlers.
 */
#include "priv-test.h"

#define MODE_EXIT 0x4d4f5250

volatile TrapRecord trap_last;
volatile unsigned long trap_count;
void (*volatile irq_hook)(unsigned long cause);
static unsigned long checks, failures;
extern unsigned long mode_result;
extern char mode_exit[], run_in_mode_mret[];

typedef struct TrapFrame {
    unsigned long x[32];
} TrapFrame;

#define REG_RA 1
#define REG_A0 10
#define REG_A7 17

void putchar_uart(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

    /* LSR.THRE: the transmit holding register is empty. */
    while (!(uart[5] & 0x20)) {
    }
    uart[0] = (uint8_t)c;
}

void puts_uart(const char *s)
{
    while (*s) {
        if (*s == '\n') {
            putchar_uart('\r');
        }
        putchar_uart(*s++);
    }
}

void puthex(unsigned long v)
{
    puts_uart("0x");
    for (int i = 60; i >= 0; i -= 4) {
        putchar_uart("0123456789abcdef"[(v >> i) & 15]);
    }
}

static void putdec(unsigned long v)
{
    char buf[24];
    int n = 0;

    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        putchar_uart(buf[--n]);
    }
}

void check(const char *name, int ok)
{
    checks++;
    if (!ok) {
        failures++;
    }
    puts_uart(ok ? "PASS " : "FAIL ");
    puts_uart(name);
    puts_uart("\n");
}

void check_eq(const char *name, unsigned long got, unsigned long want)
{
    checks++;
    if (got == want) {
        puts_uart("PASS ");
        puts_uart(name);
        puts_uart("\n");
        return;
    }
    failures++;
    puts_uart("FAIL ");
    puts_uart(name);
    puts_uart(": got ");
    puthex(got);
    puts_uart(" want ");
    puthex(want);
    puts_uart("\n");
}

void check_trap(const char *name, unsigned long cause, unsigned long tval)
{
    int ok = trap_count == 1 && trap_last.cause == cause && trap_last.tval == tval;

    checks++;
    if (ok) {
        puts_uart("PASS ");
        puts_uart(name);
        puts_uart("\n");
        return;
    }
    failures++;
    puts_uart("FAIL ");
    puts_uart(name);
    puts_uart(": traps ");
    putdec(trap_count);
    puts_uart(" cause ");
    puthex(trap_last.cause);
    puts_uart(" tval ");
    puthex(trap_last.tval);
    puts_uart(" want cause ");
    puthex(cause);
    puts_uart(" tval ");
    puthex(tval);
    puts_uart("\n");
}

void trap_reset(void)
{
    trap_count = 0;
    trap_last.cause = trap_last.epc = trap_last.tval = ~0ul;
    trap_last.from_mode = trap_last.to_mode = ~0ul;
    csr_write(mscratch, 0xff);
    csr_write(sscratch, 0xff);
    trap_last.vector = ~0ul;
}

void pmp_allow_all(void)
{
    csr_write(pmpaddr15, ~0ul);
    csr_write(pmpcfg2, 0x1ful << 56);
}

__attribute__((noreturn)) void finish(void);

void finish(void)
{
    volatile uint32_t *test = (volatile uint32_t *)SIFIVE_TEST;

    putdec(checks);
    puts_uart(" checks\n");
    puts_uart(failures ? "FAIL\n" : "PASS\n");
    /* 0x5555: pass (exit 0); code << 16 | 0x3333: fail with exit status `code`. */
    *test = failures ? (uint32_t)(failures << 16) | 0x3333 : 0x5555;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static void unexpected(const char *who, unsigned long cause, unsigned long epc, unsigned long tval)
{
    puts_uart("FAIL unexpected trap in ");
    puts_uart(who);
    puts_uart(": cause ");
    puthex(cause);
    puts_uart(" epc ");
    puthex(epc);
    puts_uart(" tval ");
    puthex(tval);
    puts_uart("\n");
    failures++;
    finish();
}

/* The pc to resume at after exception `cause` at epc (see priv-test.h). */
static unsigned long resume_pc(const TrapFrame *f, unsigned long cause, unsigned long epc)
{
    if (cause == CAUSE_FETCH_ACCESS || cause == CAUSE_FETCH_PAGE) {
        return f->x[REG_RA];
    }
    /* The instruction's length from its low bits (readable here: code is identity-mapped). */
    return epc + (((*(volatile uint16_t *)epc) & 3) == 3 ? 4 : 2);
}

static void record(unsigned long cause, unsigned long epc, unsigned long tval, unsigned long from,
                   unsigned long to)
{
    trap_last.cause = cause;
    trap_last.epc = epc;
    trap_last.tval = tval;
    trap_last.from_mode = from;
    trap_last.to_mode = to;
    trap_last.vector = to == PRV_M ? csr_read(mscratch) : csr_read(sscratch);
    trap_count++;
}

/* Returns 1 to go back to run_in_mode's caller (MODE_EXIT), else 0 to mret. */
int mtrap_handler(TrapFrame *f);

int mtrap_handler(TrapFrame *f)
{
    unsigned long cause = csr_read(mcause);
    unsigned long epc = csr_read(mepc);
    unsigned long tval = csr_read(mtval);
    unsigned long from = (csr_read(mstatus) & MSTATUS_MPP) >> 11;

    if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && f->x[REG_A7] == MODE_EXIT) {
        mode_result = f->x[REG_A0];
        /* Back in M-mode for good: MPP = M so that nothing returns below by accident. */
        csr_set(mstatus, MSTATUS_MPP);
        return 1;
    }
    /*
     * Even mode_exit cannot be fetched (PMP denies S/U everything), or the
     * mret into the mode was refused (QEMU 7.2 does that while no PMP entry
     * is set, where the spec has the fetch fail): give up on the call.
     */
    if (((cause == CAUSE_FETCH_ACCESS || cause == CAUSE_FETCH_PAGE) &&
         epc == (unsigned long)mode_exit) ||
        (cause == CAUSE_ILLEGAL && epc == (unsigned long)run_in_mode_mret)) {
        record(cause, epc, tval, from, PRV_M);
        mode_result = ~0ul;
        /* Back in M-mode for good: MPP = M so that nothing returns below by accident. */
        csr_set(mstatus, MSTATUS_MPP);
        return 1;
    }
    record(cause, epc, tval, from, PRV_M);
    if (cause & INT_FLAG) {
        if (!irq_hook) {
            unexpected("M (interrupt)", cause, epc, tval);
        }
        irq_hook(cause);
        return 0;
    }
    if (cause == CAUSE_ECALL_M && f->x[REG_A7] == MODE_EXIT) {
        unexpected("M (mode exit from M)", cause, epc, tval);
    }
    csr_write(mepc, resume_pc(f, cause, epc));
    return 0;
}

void strap_handler(TrapFrame *f);

void strap_handler(TrapFrame *f)
{
    unsigned long cause = csr_read(scause);
    unsigned long epc = csr_read(sepc);
    unsigned long tval = csr_read(stval);
    unsigned long from = (csr_read(sstatus) & MSTATUS_SPP) ? PRV_S : PRV_U;

    if (cause == CAUSE_ECALL_U && f->x[REG_A7] == MODE_EXIT) {
        /* A U function ended while U ecalls go to S: pass the exit on to M. */
        register unsigned long a0 __asm__("a0") = f->x[REG_A0];
        register unsigned long a7 __asm__("a7") = MODE_EXIT;

        __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    }
    record(cause, epc, tval, from, PRV_S);
    if (cause & INT_FLAG) {
        if (!irq_hook) {
            unexpected("S (interrupt)", cause, epc, tval);
        }
        irq_hook(cause);
        return;
    }
    csr_write(sepc, resume_pc(f, cause, epc));
}
