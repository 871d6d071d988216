/*
 * The 16550A (hw/char/serial-16550.c): the divisor latch, transmit to the
 * chardev with THRE and its interrupt, receive through the FIFO with the
 * trigger level and the character timeout, IIR priorities and
 * acknowledgement, LSR errors, loopback, and the frontend's flow control.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "hw-harness.h"
#include "hw/char/serial-16550.h"

#define BASE 0x10000000
#define REG(r) (BASE + (r))

static char *out_path;

/* A UART with its output going to a temporary file. */
static Serial16550State *uart_setup(const char *label)
{
    g_autofree char *spec = NULL;
    DeviceState *dev = qdev_new(TYPE_SERIAL_16550);
    Chardev *chr;
    Error *err = NULL;

    hwh_init();
    g_free(out_path);
    out_path = g_strdup_printf("%s/morph-serial-%d-%s.out", g_get_tmp_dir(), (int)getpid(), label);
    spec = g_strdup_printf("file:%s", out_path);
    chr = qemu_chr_new(label, spec, &err);
    g_assert_null(err);
    g_assert_nonnull(chr);
    qdev_prop_set_chr(dev, "chardev", chr);
    hwh_create(dev, BASE);
    hwh_connect(dev, 0, 0);
    return (Serial16550State *)dev;
}

static void uart_teardown(Serial16550State *s)
{
    hwh_destroy(&s->parent.parent);
    qemu_chr_cleanup();
    unlink(out_path);
}

static char *uart_output(void)
{
    gchar *contents = NULL;

    g_assert_true(g_file_get_contents(out_path, &contents, NULL, NULL));
    return contents;
}

/* What the chardev would deliver to the UART. */
static int uart_room(Serial16550State *s)
{
    return s->chr.can_read(s->chr.opaque);
}

static void uart_input(Serial16550State *s, const char *text)
{
    s->chr.read(s->chr.opaque, (const uint8_t *)text, (int)strlen(text));
}

static void test_reset_and_divisor(void)
{
    Serial16550State *s = uart_setup("div");

    g_assert_cmphex(hwh_read8(REG(UART_LSR)), ==, UART_LSR_THRE | UART_LSR_TEMT);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)), ==, UART_IIR_NO_INT);
    g_assert_cmphex(hwh_read8(REG(UART_MSR)), ==, UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
    hwh_write8(REG(UART_LCR), UART_LCR_DLAB | 3);
    hwh_write8(REG(UART_RBR), 0x02);
    hwh_write8(REG(UART_IER), 0x01);
    g_assert_cmphex(hwh_read8(REG(UART_RBR)), ==, 0x02);
    g_assert_cmphex(hwh_read8(REG(UART_IER)), ==, 0x01);
    hwh_write8(REG(UART_LCR), 3);
    g_assert_cmphex(s->divider, ==, 0x102);
    /* The divisor writes did not touch IER. */
    g_assert_cmphex(hwh_read8(REG(UART_IER)), ==, 0);
    hwh_write8(REG(UART_SCR), 0x5a);
    g_assert_cmphex(hwh_read8(REG(UART_SCR)), ==, 0x5a);
    uart_teardown(s);
}

static void test_transmit(void)
{
    Serial16550State *s = uart_setup("tx");
    g_autofree char *out = NULL;

    hwh_write8(REG(UART_RBR), 'h');
    hwh_write8(REG(UART_RBR), 'i');
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & (UART_LSR_THRE | UART_LSR_TEMT), ==,
                    UART_LSR_THRE | UART_LSR_TEMT);
    /* No interrupt while IER is 0. */
    g_assert_cmpint(hwh.level[0], ==, 0);
    /* Enabling THRI with THR empty raises it; reading IIR acknowledges it. */
    hwh_write8(REG(UART_IER), UART_IER_THRI);
    g_assert_cmpint(hwh.level[0], ==, 1);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_THRI);
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_NO_INT);
    /* Each transmitted byte empties THR again: interrupt. */
    hwh_write8(REG(UART_RBR), '!');
    g_assert_cmpint(hwh.level[0], ==, 1);
    out = uart_output();
    g_assert_cmpstr(out, ==, "hi!");
    uart_teardown(s);
}

static void test_receive_fifo(void)
{
    Serial16550State *s = uart_setup("rx");

    hwh_write8(REG(UART_IER), UART_IER_RDI);
    /* Without FIFOs: one byte of room, interrupt at once. */
    g_assert_cmpint(uart_room(s), ==, 1);
    uart_input(s, "a");
    g_assert_cmpint(uart_room(s), ==, 0);
    g_assert_cmpint(hwh.level[0], ==, 1);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)), ==, UART_IIR_RDI);
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & UART_LSR_DR, ==, UART_LSR_DR);
    g_assert_cmphex(hwh_read8(REG(UART_RBR)), ==, 'a');
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & UART_LSR_DR, ==, 0);

    /* FIFOs on with a trigger level of 8. */
    hwh_write8(REG(UART_IIR), UART_FCR_FE | 0x80);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & UART_IIR_FE, ==, UART_IIR_FE);
    g_assert_cmpint(uart_room(s), ==, 16);
    uart_input(s, "1234567");
    /* Below the trigger: no interrupt yet, until the character timeout. */
    g_assert_cmpint(hwh.level[0], ==, 0);
    g_assert_true(hwh_run_until(&hwh.level[0], 2000));
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_CTI);
    for (const char *c = "1234567"; *c; c++) {
        g_assert_cmphex(hwh_read8(REG(UART_RBR)), ==, *c);
    }
    g_assert_cmpint(hwh.level[0], ==, 0);
    /* At the trigger level: at once. */
    uart_input(s, "abcdefgh");
    g_assert_cmpint(hwh.level[0], ==, 1);
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_RDI);
    /* Overflow: the extra byte is lost and LSR says so (once). */
    uart_input(s, "ABCDEFGHI");
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & UART_LSR_OE, ==, UART_LSR_OE);
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & UART_LSR_OE, ==, 0);
    /* Clearing the receive FIFO. */
    hwh_write8(REG(UART_IIR), UART_FCR_FE | UART_FCR_RFR);
    g_assert_cmphex(hwh_read8(REG(UART_LSR)) & UART_LSR_DR, ==, 0);
    g_assert_cmpint(uart_room(s), ==, 16);
    uart_teardown(s);
}

static void test_priorities_and_loopback(void)
{
    Serial16550State *s = uart_setup("prio");

    hwh_write8(REG(UART_IER), UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI);
    uart_input(s, "x");
    uart_input(s, "y");
    /* Receiver line status (overrun) outranks data available, which outranks THR empty. */
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_RLSI);
    hwh_read8(REG(UART_LSR));
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_RDI);
    hwh_read8(REG(UART_RBR));
    g_assert_cmphex(hwh_read8(REG(UART_IIR)) & 0x0f, ==, UART_IIR_THRI);

    /* Loopback: what is sent is received, the outside is cut off. */
    hwh_write8(REG(UART_MCR), UART_MCR_LOOP);
    g_assert_cmpint(uart_room(s), ==, 0);
    hwh_write8(REG(UART_RBR), 'L');
    g_assert_cmphex(hwh_read8(REG(UART_RBR)), ==, 'L');
    hwh_write8(REG(UART_MCR), 0);
    {
        g_autofree char *out = uart_output();

        g_assert_cmpstr(out, ==, "");
    }
    uart_teardown(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/serial-16550/reset-divisor", test_reset_and_divisor);
    g_test_add_func("/serial-16550/transmit", test_transmit);
    g_test_add_func("/serial-16550/receive-fifo", test_receive_fifo);
    g_test_add_func("/serial-16550/priorities-loopback", test_priorities_and_loopback);
    return g_test_run();
}
