/*
 * The 16550A UART (see hw/char/serial-16550.c): state and register map.
 */
#ifndef MORPH_HW_CHAR_SERIAL_16550_H
#define MORPH_HW_CHAR_SERIAL_16550_H

#include "hw/sysbus.h"
#include "util/main-loop.h"

#define TYPE_SERIAL_16550 "serial-mm"
#define SERIAL16550_FIFO_SIZE 16

/* Register offsets (with regshift 0). */
enum {
    UART_RBR = 0,   /* read, DLAB=0; THR on write; DLL with DLAB=1 */
    UART_IER = 1,   /* DLM with DLAB=1 */
    UART_IIR = 2,   /* read; FCR on write */
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};

#define UART_IER_RDI 0x01       /* received data available */
#define UART_IER_THRI 0x02      /* transmitter holding register empty */
#define UART_IER_RLSI 0x04      /* receiver line status */
#define UART_IER_MSI 0x08       /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID 0x0e
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_CTI 0x0c       /* character timeout */
#define UART_IIR_FE 0xc0        /* FIFOs enabled */

#define UART_FCR_FE 0x01
#define UART_FCR_RFR 0x02
#define UART_FCR_XFR 0x04
#define UART_FCR_ITL_MASK 0xc0

#define UART_LCR_DLAB 0x80

#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_INT_ANY 0x1e

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_ANY_DELTA 0x0f
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80

typedef struct Serial16550State {
    SysBusDevice parent;
    MemoryRegion mmio;
    qemu_irq irq;
    CharBackend chr;
    uint32_t baudbase;

    uint16_t divider;
    uint8_t ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    bool thr_ipending;
    bool timeout_ipending;
    uint8_t rx_fifo[SERIAL16550_FIFO_SIZE];
    uint8_t rx_head;        /* index of the oldest byte */
    uint8_t rx_count;
    Timer *timeout_timer;   /* character timeout (FIFO below its trigger level) */
} Serial16550State;

#endif
