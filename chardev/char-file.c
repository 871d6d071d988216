/*
 * The file and serial backends (QEMU's chardev/char-file.c and
 * char-serial.c): output to a file (optionally appending, with input from
 * another file), or a host serial device / terminal opened read-write.
 */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include "char-internal.h"

static bool char_file_open(Chardev *chr, const Opts *opts, Error **errp)
{
    const char *path = opts_get(opts, "path");
    const char *in_path = opts_get(opts, "input-path");
    bool append;
    int fd;

    if (!path) {
        error_setg(errp, "chardev: file: no filename given");
        return false;
    }
    if (!opts_get_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    chr->fd_out = fd;
    if (in_path) {
        fd = open(in_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", in_path);
            return false;
        }
        chr->fd_in = fd;
        chr_fd_start_input(chr);
    }
    chr->filename = g_strdup("file");
    chr->be_open = true;
    return true;
}

static int char_fd_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write_all(chr->fd_out, buf, len);
}

static void char_fd_close(Chardev *chr)
{
    chr_fd_stop_input(chr);
    if (chr->fd_in >= 0 && chr->fd_in != chr->fd_out) {
        close(chr->fd_in);
    }
    if (chr->fd_out >= 0) {
        close(chr->fd_out);
    }
    chr->fd_in = chr->fd_out = -1;
}

static const char *const char_file_keys[] = {"path", "append", "input-path", NULL};

const ChardevClass char_file_class = {
    .name = "file",
    .help = "output to a file (path=, append=)",
    .keys = char_file_keys,
    .open = char_file_open,
    .write = char_fd_write,
    .accept_input = chr_fd_accept_input,
    .close = char_fd_close,
};

static bool char_serial_open(Chardev *chr, const Opts *opts, Error **errp)
{
    const char *path = opts_get(opts, "path");
    struct termios tty;
    int fd;

    if (!path) {
        error_setg(errp, "chardev: serial/tty: no device path given");
        return false;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    if (tcgetattr(fd, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(fd, TCSANOW, &tty);
    }
    chr->fd_in = chr->fd_out = fd;
    chr->filename = g_strdup(path);
    chr->be_open = true;
    chr_fd_start_input(chr);
    return true;
}

static const char *const char_serial_keys[] = {"path", NULL};

const ChardevClass char_serial_class = {
    .name = "serial",
    .help = "a host serial device or terminal (path=)",
    .keys = char_serial_keys,
    .open = char_serial_open,
    .write = char_fd_write,
    .accept_input = chr_fd_accept_input,
    .close = char_fd_close,
};
