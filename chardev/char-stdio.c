/*
 * The stdio backend (QEMU's chardev/char-stdio.c): the terminal morph was
 * started from.  When stdin is a terminal it goes to raw mode (no echo, no
 * line editing, 8-bit, output post-processing kept so "\n" still returns
 * the carriage) and signals stay on unless signal=off, as in QEMU.  The
 * terminal is restored on every way out: normal exit and error exits
 * (atexit), fatal signals (a handler that restores and re-raises), and
 * the shutdown path for SIGINT/SIGTERM/SIGHUP, which ends in exit().
 * SIGCONT (after C-z) puts raw mode back.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "char-internal.h"

static struct termios stdio_saved_tty;
static bool stdio_have_tty;
static bool stdio_in_use;
static bool stdio_allow_signal;
static int stdio_saved_fl0 = -1, stdio_saved_fl1 = -1;

static void stdio_term_restore(void)
{
    if (stdio_have_tty) {
        tcsetattr(0, TCSANOW, &stdio_saved_tty);
    }
    if (stdio_saved_fl0 >= 0) {
        fcntl(0, F_SETFL, stdio_saved_fl0);
    }
    if (stdio_saved_fl1 >= 0) {
        fcntl(1, F_SETFL, stdio_saved_fl1);
    }
}

static void stdio_term_exit(void)
{
    if (stdio_in_use) {
        stdio_term_restore();
        stdio_in_use = false;
    }
}

static void stdio_term_raw(void)
{
    struct termios tty = stdio_saved_tty;

    if (!stdio_have_tty) {
        return;
    }
    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!stdio_allow_signal) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &tty);
}

static void stdio_sigcont(int sig)
{
    stdio_term_raw();
}

/* Fatal signals: give the terminal back, then die as the signal says. */
static void stdio_fatal(int sig)
{
    if (stdio_in_use) {
        stdio_term_restore();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void stdio_install_fatal_handlers(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGQUIT};

    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        struct sigaction old, act;

        /* Keep anyone else's handler (a sanitizer's, say). */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
            !(old.sa_flags & SA_SIGINFO)) {
            memset(&act, 0, sizeof(act));
            act.sa_handler = stdio_fatal;
            act.sa_flags = SA_RESETHAND;
            sigaction(sigs[i], &act, NULL);
        }
    }
}

static bool char_stdio_open(Chardev *chr, const Opts *opts, Error **errp)
{
    struct sigaction act;
    bool sig;

    if (chr_daemonized) {
        error_setg(errp, "cannot use stdio with -daemonize");
        return false;
    }
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    if (!opts_get_bool(opts, "signal", true, &sig, errp)) {
        return false;
    }
    stdio_allow_signal = sig;
    stdio_in_use = true;
    stdio_saved_fl0 = fcntl(0, F_GETFL);
    stdio_saved_fl1 = fcntl(1, F_GETFL);
    stdio_have_tty = isatty(0) && tcgetattr(0, &stdio_saved_tty) == 0;
    if (stdio_saved_fl0 >= 0) {
        fcntl(0, F_SETFL, stdio_saved_fl0 | O_NONBLOCK);
    }
    atexit(stdio_term_exit);
    memset(&act, 0, sizeof(act));
    act.sa_handler = stdio_sigcont;
    sigaction(SIGCONT, &act, NULL);
    stdio_install_fatal_handlers();
    stdio_term_raw();

    chr->fd_in = 0;
    chr->fd_out = 1;
    chr->filename = g_strdup("stdio");
    chr->be_open = true;
    chr_fd_start_input(chr);
    return true;
}

static int char_stdio_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write_all(chr->fd_out, buf, len);
}

static void char_stdio_close(Chardev *chr)
{
    chr_fd_stop_input(chr);
    stdio_term_exit();
}

static const char *const char_stdio_keys[] = {"signal", NULL};

const ChardevClass char_stdio_class = {
    .name = "stdio",
    .help = "the terminal morph runs in",
    .keys = char_stdio_keys,
    .open = char_stdio_open,
    .write = char_stdio_write,
    .accept_input = chr_fd_accept_input,
    .close = char_stdio_close,
};
