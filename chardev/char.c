/*
 * Character devices: the registry, frontends, option parsing for
 * -chardev and -serial, and the file-descriptor plumbing shared by the
 * stdio, file, pty, serial and socket backends (contract in
 * include/chardev/char.h; the model is QEMU's chardev/char.c,
 * char-fe.c and char-fd.c, and its option syntax in the QEMU manual,
 * "Character device options").
 *
 * Input is read on the main loop only as far as the frontend has room:
 * when it has none the read handler is removed, and put back (through a
 * bottom half, from any thread) when the frontend calls
 * qemu_chr_fe_accept_input().  So a guest that does not read its UART
 * costs nothing and loses nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "char-internal.h"
#include "system/bql.h"

void (*qemu_chr_mux_monitor_hook)(Chardev *mux);
void (*qemu_chr_quit_hook)(void);

static Chardev *chardevs;
bool chr_daemonized;

static const ChardevClass *const chardev_classes[] = {
    &char_null_class, &char_stdio_class, &char_file_class, &char_pty_class,
    &char_socket_class, &char_serial_class,
};

void qemu_chr_set_daemonized(bool on)
{
    chr_daemonized = on;
}

static const ChardevClass *chr_class_find(const char *name)
{
    /* QEMU's aliases. */
    if (strcmp(name, "tcp") == 0 || strcmp(name, "unix") == 0 ||
        strcmp(name, "telnet") == 0) {
        name = "socket";
    } else if (strcmp(name, "tty") == 0) {
        name = "serial";
    }
    for (size_t i = 0; i < G_N_ELEMENTS(chardev_classes); i++) {
        if (strcmp(chardev_classes[i]->name, name) == 0) {
            return chardev_classes[i];
        }
    }
    return NULL;
}

void qemu_chr_print_help(FILE *out)
{
    fprintf(out, "Available chardev backend types:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(chardev_classes); i++) {
        fprintf(out, "  %s\n", chardev_classes[i]->name);
    }
}

Chardev *chr_new(const ChardevClass *cc, const char *label)
{
    Chardev *chr = g_new0(Chardev, 1);
    Chardev **p;

    chr->cc = cc;
    chr->label = g_strdup(label);
    chr->fd_in = chr->fd_out = chr->log_fd = -1;
    for (p = &chardevs; *p; p = &(*p)->next) {
    }
    *p = chr;
    return chr;
}

static void chr_free(Chardev *chr)
{
    Chardev **p;

    for (p = &chardevs; *p; p = &(*p)->next) {
        if (*p == chr) {
            *p = chr->next;
            break;
        }
    }
    if (chr->cc->close) {
        chr->cc->close(chr);
    }
    if (chr->log_fd >= 0) {
        close(chr->log_fd);
    }
    if (chr->accept_bh) {
        bql_bh_delete(chr->accept_bh);
    }
    g_free(chr->label);
    g_free(chr->filename);
    g_free(chr);
}

Chardev *qemu_chr_find(const char *label)
{
    for (Chardev *chr = chardevs; chr; chr = chr->next) {
        if (chr->label && strcmp(chr->label, label) == 0) {
            return chr;
        }
    }
    return NULL;
}

const char *qemu_chr_label(const Chardev *chr)
{
    return chr->label;
}

const char *qemu_chr_filename(const Chardev *chr)
{
    return chr->filename ? chr->filename : chr->cc->name;
}

bool qemu_chr_is_mux(const Chardev *chr)
{
    return chr->cc == &char_mux_class;
}

bool qemu_chr_has_frontend(const Chardev *chr)
{
    return chr->be || chr->mux || (qemu_chr_is_mux(chr) && chr_mux_frontend((Chardev *)chr, 0));
}

int qemu_chr_send_to_frontend(Chardev *chr, const uint8_t *buf, int len)
{
    CharBackend *be = qemu_chr_is_mux(chr) ? chr_mux_frontend(chr, 0) : chr->be;
    int n;

    if (!be || !be->can_read || !be->read) {
        return 0;
    }
    n = MIN(len, be->can_read(be->opaque));
    if (n > 0) {
        be->read(be->opaque, buf, n);
    }
    return MAX(n, 0);
}

void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    for (Chardev *chr = chardevs; chr; chr = chr->next) {
        fn(chr, opaque);
    }
}

void qemu_chr_cleanup(void)
{
    /* Muxes first (they sit on top of the others), then the rest. */
    for (Chardev *chr = chardevs; chr;) {
        Chardev *next = chr->next;

        if (chr->cc == &char_mux_class) {
            chr_free(chr);
        }
        chr = next;
    }
    while (chardevs) {
        chr_free(chardevs);
    }
}

/* ---- -chardev */

static const char *const chr_common_keys[] = {"backend", "id", "mux", "logfile", "logappend",
                                              NULL};

static bool chr_check_keys(const ChardevClass *cc, const Opts *opts, Error **errp)
{
    for (unsigned i = 0; i < opts->count; i++) {
        const char *key = opts->items[i].key;
        bool ok = g_strv_contains(chr_common_keys, key);

        for (const char *const *k = cc->keys; !ok && k && *k; k++) {
            ok = strcmp(*k, key) == 0;
        }
        if (!ok) {
            error_setg(errp, "Invalid parameter '%s'", key);
            return false;
        }
    }
    return true;
}

static bool chr_open_logfile(Chardev *chr, const Opts *opts, Error **errp)
{
    const char *path = opts_get(opts, "logfile");
    bool append;
    int fd;

    if (!path) {
        return true;
    }
    if (!opts_get_bool(opts, "logappend", false, &append, errp)) {
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    chr->log_fd = fd;
    return true;
}

Chardev *qemu_chr_new_from_opts(const Opts *opts, Error **errp)
{
    const char *backend = opts_get(opts, "backend");
    const char *id = opts_get(opts, "id");
    const ChardevClass *cc;
    Chardev *chr;
    bool mux;

    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", id ? id : "");
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    cc = chr_class_find(backend);
    if (!cc) {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type 'container')",
                   id);
        return NULL;
    }
    if (!chr_check_keys(cc, opts, errp) || !opts_get_bool(opts, "mux", false, &mux, errp)) {
        return NULL;
    }
    chr = chr_new(cc, mux ? NULL : id);
    if (mux) {
        chr->label = g_strdup_printf("%s-base", id);
    }
    if (!chr_open_logfile(chr, opts, errp) || !cc->open(chr, opts, errp)) {
        chr_free(chr);
        return NULL;
    }
    if (mux) {
        Chardev *m = chr_mux_new(id, chr, errp);

        if (!m) {
            chr_free(chr);
            return NULL;
        }
        return m;
    }
    return chr;
}

/*
 * -serial style: the part before ':' (or the whole) names the backend, the
 * rest is its address, then ",key=value" options.
 */
static Opts *chr_spec_to_opts(const char *label, const char *spec, bool *mux, Error **errp)
{
    GString *s = g_string_new(NULL);
    const char *rest;
    Opts *opts;

    *mux = false;
    if (g_str_has_prefix(spec, "mon:")) {
        *mux = true;
        spec += 4;
    }
    if ((rest = g_str_has_prefix(spec, "file:") ? spec + 5 : NULL)) {
        g_string_append(s, "file,path=");
        for (const char *c = rest; *c; c++) {
            g_string_append_c(s, *c);
            if (*c == ',') {
                g_string_append_c(s, ',');
            }
        }
    } else if (g_str_has_prefix(spec, "tcp:") || g_str_has_prefix(spec, "telnet:")) {
        const char *addr = strchr(spec, ':') + 1;
        const char *opts_part = strchr(addr, ',');
        g_autofree char *hostport = opts_part ? g_strndup(addr, opts_part - addr) : g_strdup(addr);
        char *colon = strrchr(hostport, ':');

        if (!colon) {
            error_setg(errp, "chardev: '%s': missing port", spec);
            g_string_free(s, TRUE);
            return NULL;
        }
        *colon = '\0';
        g_string_append_printf(s, "socket,host=%s,port=%s", hostport, colon + 1);
        if (g_str_has_prefix(spec, "telnet:")) {
            g_string_append(s, ",telnet=on");
        }
        if (opts_part) {
            g_string_append(s, opts_part);
        }
    } else if (g_str_has_prefix(spec, "unix:")) {
        const char *addr = spec + 5;
        const char *opts_part = strchr(addr, ',');

        g_string_append(s, "socket,path=");
        g_string_append_len(s, addr, opts_part ? opts_part - addr : (gssize)strlen(addr));
        if (opts_part) {
            g_string_append(s, opts_part);
        }
    } else if (strcmp(spec, "stdio") == 0 || strcmp(spec, "null") == 0 ||
               strcmp(spec, "pty") == 0) {
        g_string_append(s, spec);
    } else if (strcmp(spec, "vc") == 0 || g_str_has_prefix(spec, "vc:")) {
        /* No graphical console here: QEMU's vc shows nowhere either with -display none. */
        g_string_append(s, "null");
    } else if (g_str_has_prefix(spec, "/dev/")) {
        g_string_append(s, "serial,path=");
        g_string_append(s, spec);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", spec);
        g_string_free(s, TRUE);
        return NULL;
    }
    g_string_append_printf(s, ",id=%s", label);
    opts = opts_parse(s->str, "backend", errp);
    g_string_free(s, TRUE);
    return opts;
}

Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp)
{
    Chardev *chr, *base;
    Opts *opts;
    bool mux;

    if (g_str_has_prefix(spec, "chardev:")) {
        chr = qemu_chr_find(spec + 8);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", spec + 8);
        }
        return chr;
    }
    opts = chr_spec_to_opts(label, spec, &mux, errp);
    if (!opts) {
        return NULL;
    }
    base = qemu_chr_new_from_opts(opts, errp);
    opts_free(opts);
    if (!base || !mux) {
        return base;
    }
    /* "mon:": the mux takes the label, the backend moves aside. */
    g_free(base->label);
    base->label = g_strdup_printf("%s-base", label);
    chr = chr_mux_new(label, base, errp);
    if (!chr) {
        chr_free(base);
    }
    return chr;
}

/* ---- frontends */

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    memset(be, 0, sizeof(*be));
    if (chr->cc->attach) {
        if (!chr->cc->attach(chr, be, errp)) {
            return false;
        }
    } else {
        if (chr->be || chr->mux) {
            error_setg(errp, "chardev '%s' is already in use", chr->label);
            return false;
        }
        chr->be = be;
    }
    be->chr = chr;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (!chr) {
        return;
    }
    if (chr->cc->detach) {
        chr->cc->detach(chr, be);
    } else if (chr->be == be) {
        chr->be = NULL;
    }
    memset(be, 0, sizeof(*be));
}

void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read, IOReadHandler *read,
                              IOEventHandler *event, void *opaque)
{
    be->can_read = can_read;
    be->read = read;
    be->event = event;
    be->opaque = opaque;
    if (be->chr && be->chr->be_open && event) {
        event(opaque, CHR_EVENT_OPENED);
    }
    if (be->chr && read) {
        qemu_chr_fe_accept_input(be);
    }
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    Chardev *chr = be->chr;
    int n;

    if (!chr) {
        return -1;
    }
    n = chr->cc->write ? chr->cc->write(chr, buf, len) : len;
    if (chr->log_fd >= 0 && n > 0) {
        chr_fd_write_all(chr->log_fd, buf, n);
    }
    return n;
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    if (be->chr && be->chr->cc->accept_input) {
        be->chr->cc->accept_input(be->chr);
    }
}

/* ---- delivering input */

int chr_be_can_write(Chardev *chr)
{
    if (chr->mux) {
        return chr_mux_can_read(chr->mux);
    }
    if (!chr->be || !chr->be->can_read || !chr->be->read) {
        return 0;
    }
    return chr->be->can_read(chr->be->opaque);
}

void chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->mux) {
        chr_mux_read(chr->mux, buf, len);
    } else if (chr->be && chr->be->read) {
        chr->be->read(chr->be->opaque, buf, len);
    }
}

void chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    if (event == CHR_EVENT_OPENED) {
        chr->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = false;
    }
    if (chr->mux) {
        chr_mux_event(chr->mux, event);
    } else if (chr->be && chr->be->event) {
        chr->be->event(chr->be->opaque, event);
    }
}

/* ---- file-descriptor backends */

static void chr_fd_read(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[4096];
    int room = chr_be_can_write(chr);
    ssize_t n;

    if (room <= 0) {
        /* Wait for accept_input instead of spinning on a readable fd. */
        chr_fd_stop_input(chr);
        return;
    }
    n = read(chr->fd_in, buf, MIN((size_t)room, sizeof(buf)));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
    }
    if (n <= 0) {
        chr_fd_stop_input(chr);
        chr_fd_input_closed(chr);
        return;
    }
    chr_be_write(chr, buf, (int)n);
}

void chr_fd_start_input(Chardev *chr)
{
    if (chr->fd_in < 0 || chr->input_on) {
        return;
    }
    chr->input_on = true;
    bql_set_fd_handler(chr->fd_in, chr_fd_read, NULL, chr);
}

void chr_fd_stop_input(Chardev *chr)
{
    if (chr->input_on) {
        chr->input_on = false;
        bql_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    }
}

static void chr_fd_accept_bh(void *opaque)
{
    chr_fd_start_input(opaque);
}

void chr_fd_accept_input(Chardev *chr)
{
    /*
     * input_on changes under the big lock: a caller holding it sees it
     * right, and most calls (a UART read with input already flowing) end here.
     */
    if (chr->fd_in < 0 || (bql_locked() && chr->input_on)) {
        return;
    }
    if (!chr->accept_bh) {
        chr->accept_bh = bql_bh_new(chr_fd_accept_bh, chr);
    }
    bh_schedule(chr->accept_bh);
}

void chr_fd_input_closed(Chardev *chr)
{
    if (chr->cc == &char_socket_class) {
        char_socket_input_closed(chr);
        return;
    }
    /* End of input (a closed pipe, a file): nothing more will come. */
    chr_be_event(chr, CHR_EVENT_CLOSED);
}

int chr_fd_write_all(int fd, const uint8_t *buf, int len)
{
    int done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, (size_t)(len - done));

        if (n > 0) {
            done += (int)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};

            poll(&p, 1, -1);
        } else {
            return done ? done : -1;
        }
    }
    return done;
}

/* ---- null */

static bool char_null_open(Chardev *chr, const Opts *opts, Error **errp)
{
    chr->filename = g_strdup("null");
    return true;
}

static int char_null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevClass char_null_class = {
    .name = "null",
    .help = "discards output, gives no input",
    .open = char_null_open,
    .write = char_null_write,
};
