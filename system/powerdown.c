/*
 * What system_powerdown does to the guest: QEMU presses an ACPI or GPIO
 * power button, which the guest kernel turns into an orderly shutdown.
 * QEMU 7.2's riscv `virt` has no such button (it only emits POWERDOWN),
 * and the test assets' kernel could not react to one anyway: it is built
 * without ACPI, GPIO, input devices, magic SysRq and thermal zones
 * (assets README, kernel.config).  What that guest -- and any guest that
 * runs a shell on its console, as the assets' /init does -- understands
 * is its console: leaving the console shell powers it off.
 *
 * So morph's power button is the console: it sends the first serial
 * port's frontend (the UART, even when a mux gives the monitor the focus)
 * C-c, which ends a foreground program or the half-typed line, and a
 * moment later C-d, which ends the shell at its empty prompt; the
 * assets' init then runs `poweroff -f`.  A guest with something else on
 * its console just sees the two characters.  docs/monitor.md says so.
 */
#include <glib.h>
#include "chardev/char.h"
#include "system/bql.h"
#include "system/powerdown.h"

/* C-c now, C-d after the shell had time to print its new prompt. */
#define POWERDOWN_KEY_GAP_NS (300 * 1000 * 1000)
#define POWERDOWN_RETRY_NS (20 * 1000 * 1000)
#define POWERDOWN_MAX_TRIES 100

static struct {
    Chardev *console;
    Timer *timer;
    const char *keys; /* what is left to send */
    int tries;
} pd;

static void powerdown_send(void *opaque)
{
    if (!pd.keys || !*pd.keys) {
        return;
    }
    /* A UART whose FIFO is full takes nothing: try again a little later. */
    if (qemu_chr_send_to_frontend(pd.console, (const uint8_t *)pd.keys, 1) == 1) {
        pd.keys++;
        pd.tries = 0;
        if (*pd.keys) {
            timer_mod_ns(pd.timer, clock_get_ns(MORPH_CLOCK_REALTIME) + POWERDOWN_KEY_GAP_NS);
        }
    } else if (++pd.tries < POWERDOWN_MAX_TRIES) {
        timer_mod_ns(pd.timer, clock_get_ns(MORPH_CLOCK_REALTIME) + POWERDOWN_RETRY_NS);
    }
}

void system_powerdown_press(MachineState *ms)
{
    if (!ms || !ms->serial[0]) {
        return;
    }
    if (!pd.timer) {
        pd.timer = bql_timer_new(MORPH_CLOCK_REALTIME, powerdown_send, NULL);
    }
    pd.console = ms->serial[0];
    pd.keys = "\x03\x04";
    pd.tries = 0;
    powerdown_send(NULL);
}
