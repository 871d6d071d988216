/*
 * The 16550A UART as QEMU's virt board has it ("ns16550a" at 0x10000000,
 * byte registers, PLIC source 10).  Source of truth: the TI/National
 * PC16550D datasheet (register set, interrupt priorities in the IIR table,
 * FIFO trigger levels and the character timeout), with QEMU's choices
 * where it is silent (hw/char/serial.c): transmission completes at once,
 * so THR is empty again right after a write; enabling the THR-empty
 * interrupt while THR is empty raises it; modem lines read as connected.
 *
 * Received bytes go into a 16-byte FIFO (one byte without FIFOs).  The
 * "data available" interrupt waits for the trigger level; below it, a
 * timer of four character times raises the character timeout interrupt,
 * as the hardware does, so a driver using a trigger level of 8 still sees
 * a single typed key.
 */
#include <string.h>
#include "hw/char/serial-16550.h"
#include "system/bql.h"
#include "util/log.h"

static const uint8_t serial16550_trigger_levels[4] = {1, 4, 8, 14};

static bool serial16550_fifo_on(const Serial16550State *s)
{
    return (s->fcr & UART_FCR_FE) != 0;
}

static unsigned serial16550_rx_capacity(const Serial16550State *s)
{
    return serial16550_fifo_on(s) ? SERIAL16550_FIFO_SIZE : 1;
}

static void serial16550_update_irq(Serial16550State *s)
{
    uint8_t id = UART_IIR_NO_INT;
    unsigned trigger = serial16550_trigger_levels[s->fcr >> 6];

    /* Highest priority first (datasheet, IIR table). */
    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        id = UART_IIR_CTI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR) &&
               (!serial16550_fifo_on(s) || s->rx_count >= trigger)) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        id = UART_IIR_MSI;
    }
    s->iir = id | (serial16550_fifo_on(s) ? UART_IIR_FE : 0);
    qemu_set_irq(s->irq, id != UART_IIR_NO_INT);
}

/* Four character times at the programmed rate (10 bits a character). */
static int64_t serial16550_timeout_ns(const Serial16550State *s)
{
    uint64_t div = s->divider ? s->divider : 1;
    uint64_t baud = s->baudbase / div;

    if (baud == 0) {
        baud = 1;
    }
    return (int64_t)(4 * 10 * 1000000000ull / baud);
}

static void serial16550_timeout(void *opaque)
{
    Serial16550State *s = opaque;

    if (s->rx_count) {
        s->timeout_ipending = true;
        serial16550_update_irq(s);
    }
}

static void serial16550_arm_timeout(Serial16550State *s)
{
    if (serial16550_fifo_on(s) && s->rx_count) {
        timer_mod_ns(s->timeout_timer,
                     clock_get_ns(MORPH_CLOCK_VIRTUAL) + serial16550_timeout_ns(s));
    } else {
        timer_del(s->timeout_timer);
    }
}

static void serial16550_rx_clear(Serial16550State *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
    s->timeout_ipending = false;
    timer_del(s->timeout_timer);
}

static void serial16550_receive_byte(Serial16550State *s, uint8_t b)
{
    if (s->rx_count >= serial16550_rx_capacity(s)) {
        s->lsr |= UART_LSR_OE;
    } else {
        unsigned tail = (s->rx_head + s->rx_count) % SERIAL16550_FIFO_SIZE;

        s->rx_fifo[tail] = b;
        s->rx_count++;
    }
    s->lsr |= UART_LSR_DR;
}

static int serial16550_can_receive(void *opaque)
{
    Serial16550State *s = opaque;

    /* In loopback the outside world is disconnected from the receiver. */
    if (s->mcr & UART_MCR_LOOP) {
        return 0;
    }
    return (int)(serial16550_rx_capacity(s) - s->rx_count);
}

static void serial16550_receive(void *opaque, const uint8_t *buf, int size)
{
    Serial16550State *s = opaque;

    for (int i = 0; i < size; i++) {
        serial16550_receive_byte(s, buf[i]);
    }
    serial16550_arm_timeout(s);
    serial16550_update_irq(s);
}

static void serial16550_event(void *opaque, QEMUChrEvent event)
{
    Serial16550State *s = opaque;

    if (event == CHR_EVENT_BREAK) {
        s->lsr |= UART_LSR_BI | UART_LSR_DR;
        serial16550_update_irq(s);
    }
}

static void serial16550_transmit(Serial16550State *s, uint8_t b)
{
    if (s->mcr & UART_MCR_LOOP) {
        serial16550_receive_byte(s, b);
        serial16550_arm_timeout(s);
    } else {
        qemu_chr_fe_write_all(&s->chr, &b, 1);
    }
    /* The byte left at once: THR and the shift register are empty again. */
    s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
    s->thr_ipending = true;
    serial16550_update_irq(s);
}

static uint64_t serial16550_read(void *opaque, hwaddr addr, unsigned size)
{
    Serial16550State *s = opaque;
    uint8_t ret = 0;

    switch (addr & 7) {
    case UART_RBR:
        if (s->lcr & UART_LCR_DLAB) {
            return s->divider & 0xff;
        }
        if (s->rx_count) {
            ret = s->rx_fifo[s->rx_head];
            s->rx_head = (s->rx_head + 1) % SERIAL16550_FIFO_SIZE;
            s->rx_count--;
        }
        s->timeout_ipending = false;
        if (!s->rx_count) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        }
        serial16550_arm_timeout(s);
        serial16550_update_irq(s);
        if (!(s->mcr & UART_MCR_LOOP)) {
            qemu_chr_fe_accept_input(&s->chr);
        }
        return ret;
    case UART_IER:
        return (s->lcr & UART_LCR_DLAB) ? s->divider >> 8 : s->ier;
    case UART_IIR:
        ret = s->iir;
        /* Reading IIR while it reports THR empty acknowledges that interrupt. */
        if ((ret & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = false;
            serial16550_update_irq(s);
        }
        return ret;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        ret = s->lsr;
        if (s->lsr & (UART_LSR_BI | UART_LSR_OE)) {
            s->lsr &= ~(UART_LSR_BI | UART_LSR_OE);
            serial16550_update_irq(s);
        }
        return ret;
    case UART_MSR:
        if (s->mcr & UART_MCR_LOOP) {
            /* Loopback: the modem inputs follow the modem outputs. */
            ret = (uint8_t)((s->mcr & 0x0c) << 4) | (uint8_t)((s->mcr & 0x02) << 3) |
                  (uint8_t)((s->mcr & 0x01) << 5);
        } else {
            ret = s->msr;
            if (s->msr & UART_MSR_ANY_DELTA) {
                s->msr &= ~UART_MSR_ANY_DELTA;
                serial16550_update_irq(s);
            }
        }
        return ret;
    default:
        return s->scr;
    }
}

static void serial16550_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    Serial16550State *s = opaque;
    uint8_t v = (uint8_t)val;

    switch (addr & 7) {
    case UART_RBR:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | v;
            return;
        }
        s->thr_ipending = false;
        s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
        serial16550_transmit(s, v);
        break;
    case UART_IER:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0x00ff) | (v << 8));
            return;
        }
        {
            uint8_t changed = (s->ier ^ v) & 0x0f;

            s->ier = v & 0x0f;
            /* Enabling THRI with THR empty raises it (QEMU, and what drivers probe for). */
            if (changed & UART_IER_THRI) {
                s->thr_ipending = (s->ier & UART_IER_THRI) && (s->lsr & UART_LSR_THRE);
            }
            if (changed) {
                serial16550_update_irq(s);
            }
        }
        break;
    case UART_IIR: {
        /* FCR.  Turning the FIFOs on or off clears them (datasheet, FCR bit 0). */
        bool enable = (v & UART_FCR_FE) != 0;

        if (enable != serial16550_fifo_on(s) || (v & UART_FCR_RFR)) {
            serial16550_rx_clear(s);
        }
        s->fcr = enable ? (v & (UART_FCR_FE | UART_FCR_ITL_MASK)) : 0;
        serial16550_update_irq(s);
        if (!(s->mcr & UART_MCR_LOOP)) {
            qemu_chr_fe_accept_input(&s->chr);
        }
        break;
    }
    case UART_LCR:
        s->lcr = v;
        break;
    case UART_MCR: {
        bool was_loop = (s->mcr & UART_MCR_LOOP) != 0;

        s->mcr = v & 0x1f;
        if (was_loop && !(s->mcr & UART_MCR_LOOP)) {
            qemu_chr_fe_accept_input(&s->chr);
        }
        break;
    }
    case UART_LSR:
    case UART_MSR:
        /* Read-only (factory test registers on some parts). */
        log_guest_error("serial: write 0x%02x to read-only register %u\n", v,
                        (unsigned)(addr & 7));
        break;
    default:
        s->scr = v;
        break;
    }
}

static const MemoryRegionOps serial16550_ops = {
    .read = serial16550_read,
    .write = serial16550_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void serial16550_reset(DeviceState *dev)
{
    Serial16550State *s = (Serial16550State *)dev;

    s->divider = 0x0c;
    s->ier = 0;
    s->lcr = 0;
    s->mcr = UART_MCR_OUT2;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    serial16550_rx_clear(s);
    serial16550_update_irq(s);
}

static void serial16550_realize(DeviceState *dev, Error **errp)
{
    Serial16550State *s = (Serial16550State *)dev;

    memory_region_init_io(&s->mmio, s, &serial16550_ops, s, "serial", 0x100);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irq);
    s->timeout_timer = bql_timer_new(MORPH_CLOCK_VIRTUAL, serial16550_timeout, s);
    qemu_chr_fe_set_handlers(&s->chr, serial16550_can_receive, serial16550_receive,
                             serial16550_event, s);
}

static void serial16550_unrealize(DeviceState *dev)
{
    Serial16550State *s = (Serial16550State *)dev;

    qemu_chr_fe_set_handlers(&s->chr, NULL, NULL, NULL, NULL);
    bql_timer_free(s->timeout_timer);
    s->timeout_timer = NULL;
    memory_region_finalize(&s->mmio);
}

static const VMStateField serial16550_fields[] = {
    VMSTATE_UINT16(divider, Serial16550State),
    VMSTATE_UINT8(ier, Serial16550State),
    VMSTATE_UINT8(iir, Serial16550State),
    VMSTATE_UINT8(lcr, Serial16550State),
    VMSTATE_UINT8(mcr, Serial16550State),
    VMSTATE_UINT8(lsr, Serial16550State),
    VMSTATE_UINT8(msr, Serial16550State),
    VMSTATE_UINT8(scr, Serial16550State),
    VMSTATE_UINT8(fcr, Serial16550State),
    VMSTATE_BOOL(thr_ipending, Serial16550State),
    VMSTATE_BOOL(timeout_ipending, Serial16550State),
    VMSTATE_UINT8_ARRAY(rx_fifo, Serial16550State, SERIAL16550_FIFO_SIZE),
    VMSTATE_UINT8(rx_head, Serial16550State),
    VMSTATE_UINT8(rx_count, Serial16550State),
    VMSTATE_TIMER_PTR(timeout_timer, Serial16550State),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription serial16550_vmsd = {
    .name = "serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = serial16550_fields,
};

static const Property serial16550_props[] = {
    DEFINE_PROP_CHR("chardev", Serial16550State, chr),
    DEFINE_PROP_UINT32("baudbase", Serial16550State, baudbase, 115200),
    DEFINE_PROP_END_OF_LIST(),
};

static const DeviceClass serial16550_class = {
    .name = TYPE_SERIAL_16550,
    .desc = "16550A UART (memory-mapped)",
    .category = "Input devices",
    .instance_size = sizeof(Serial16550State),
    .sysbus = true,
    .realize = serial16550_realize,
    .unrealize = serial16550_unrealize,
    .reset = serial16550_reset,
    .props = serial16550_props,
    .vmsd = &serial16550_vmsd,
};

DEVICE_CLASS_REGISTER(serial16550_class)
