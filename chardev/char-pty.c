/*
 * The pty backend (QEMU's chardev/char-pty.c): a new pseudo-terminal whose
 * slave side (/dev/pts/N) a user attaches to with screen or minicom.
 * morph keeps a slave descriptor open itself, so the master never reports
 * a hang-up while nobody is attached; output that nobody reads fills the
 * pty's buffer and is then dropped, as QEMU drops output to a
 * disconnected pty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include "char-internal.h"

typedef struct PtyChardev {
    int slave_fd;
} PtyChardev;

static bool char_pty_open(Chardev *chr, const Opts *opts, Error **errp)
{
    PtyChardev *p;
    struct termios tty;
    const char *name;
    int master, slave;

    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(name = ptsname(master))) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        if (master >= 0) {
            close(master);
        }
        return false;
    }
    slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
        error_setg_errno(errp, errno, "Failed to open PTY %s", name);
        close(master);
        return false;
    }
    if (tcgetattr(slave, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(slave, TCSANOW, &tty);
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    p = g_new0(PtyChardev, 1);
    p->slave_fd = slave;
    chr->priv = p;
    chr->fd_in = chr->fd_out = master;
    chr->filename = g_strdup_printf("pty:%s", name);
    chr->be_open = true;
    /* QEMU's line, which scripts parse to find the pty. */
    fprintf(stderr, "char device redirected to %s (label %s)\n", name, chr->label);
    chr_fd_start_input(chr);
    return true;
}

static int char_pty_write(Chardev *chr, const uint8_t *buf, int len)
{
    ssize_t n = write(chr->fd_out, buf, (size_t)len);

    /* Full (nobody reading): drop, as a disconnected pty does in QEMU. */
    return n < 0 ? len : (int)n;
}

static void char_pty_close(Chardev *chr)
{
    PtyChardev *p = chr->priv;

    chr_fd_stop_input(chr);
    if (chr->fd_in >= 0) {
        close(chr->fd_in);
    }
    if (p) {
        close(p->slave_fd);
        g_free(p);
    }
    chr->fd_in = chr->fd_out = -1;
}

const ChardevClass char_pty_class = {
    .name = "pty",
    .help = "a new pseudo-terminal",
    .open = char_pty_open,
    .write = char_pty_write,
    .accept_input = chr_fd_accept_input,
    .close = char_pty_close,
};
