/*
 * The socket backend (QEMU's chardev/char-socket.c): TCP (host=, port=)
 * or a Unix socket (path=), as a server (server=on; one client at a time;
 * wait=on, the default, holds the start of the guest until a client
 * connects) or a client that connects at start.  A client that leaves
 * makes the server listen again; output with nobody connected is dropped.
 * telnet=on is accepted and ignored (no option negotiation is done).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "char-internal.h"
#include "system/bql.h"

typedef struct SocketChardev {
    int listen_fd;          /* server: -1 for a client */
    bool is_unix;
    bool nodelay;
    char *path;             /* unix: unlinked at close when we created it */
    char *desc;             /* "tcp:host:port,server=on" */
} SocketChardev;

static void socket_set_nodelay(SocketChardev *s, int fd)
{
    int one = 1;

    if (!s->is_unix && s->nodelay) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
}

static void socket_connected(Chardev *chr, int fd)
{
    SocketChardev *s = chr->priv;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    socket_set_nodelay(s, fd);
    chr->fd_in = chr->fd_out = fd;
    g_free(chr->filename);
    chr->filename = g_strdup(s->desc);
    chr_fd_start_input(chr);
    chr_be_event(chr, CHR_EVENT_OPENED);
}

static void socket_accept(void *opaque)
{
    Chardev *chr = opaque;
    SocketChardev *s = chr->priv;
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return;
    }
    if (chr->fd_in >= 0) {
        /* One client at a time, as QEMU's chardev. */
        close(fd);
        return;
    }
    /* Stop listening while connected. */
    bql_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
    socket_connected(chr, fd);
}

void char_socket_input_closed(Chardev *chr)
{
    SocketChardev *s = chr->priv;

    if (chr->fd_in >= 0) {
        close(chr->fd_in);
    }
    chr->fd_in = chr->fd_out = -1;
    g_free(chr->filename);
    chr->filename = g_strdup_printf("disconnected:%s", s->desc);
    chr_be_event(chr, CHR_EVENT_CLOSED);
    if (s->listen_fd >= 0) {
        bql_set_fd_handler(s->listen_fd, socket_accept, NULL, chr);
    }
}

static int socket_listen_or_connect(SocketChardev *s, const Opts *opts, bool server,
                                    Error **errp)
{
    const char *path = opts_get(opts, "path");
    int fd;

    if (path) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        if (strlen(path) >= sizeof(sa.sun_path)) {
            error_setg(errp, "UNIX socket path '%s' is too long", path);
            return -1;
        }
        strcpy(sa.sun_path, path);
        s->is_unix = true;
        s->path = g_strdup(path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Failed to create socket");
            return -1;
        }
        if (server) {
            unlink(path);
            if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
                error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
                close(fd);
                return -1;
            }
        } else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
            close(fd);
            return -1;
        }
        return fd;
    }
    {
        const char *host = opts_get_default(opts, "host", server ? "0.0.0.0" : "localhost");
        const char *port = opts_get(opts, "port");
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = server ? AI_PASSIVE : 0};
        struct addrinfo *res, *ai;
        int err, last_errno = 0;

        if (!port) {
            error_setg(errp, "chardev: socket: neither 'path' nor 'port' given");
            return -1;
        }
        if (!*host) {
            host = server ? "0.0.0.0" : "localhost";
        }
        err = getaddrinfo(host, port, &hints, &res);
        if (err) {
            error_setg(errp, "address resolution failed for %s:%s: %s", host, port,
                       gai_strerror(err));
            return -1;
        }
        fd = -1;
        for (ai = res; ai; ai = ai->ai_next) {
            int one = 1;

            fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
            if (fd < 0) {
                last_errno = errno;
                continue;
            }
            if (server) {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
                if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0) {
                    break;
                }
            } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
                break;
            }
            last_errno = errno;
            close(fd);
            fd = -1;
        }
        freeaddrinfo(res);
        if (fd < 0) {
            if (server) {
                error_setg_errno(errp, last_errno, "Failed to bind socket");
            } else {
                error_setg_errno(errp, last_errno, "Failed to connect to '%s:%s'", host, port);
            }
        }
        return fd;
    }
}

static bool char_socket_open(Chardev *chr, const Opts *opts, Error **errp)
{
    SocketChardev *s = g_new0(SocketChardev, 1);
    bool server, wait, nodelay, telnet;
    int fd;

    s->listen_fd = -1;
    chr->priv = s;
    if (!opts_get_bool(opts, "server", false, &server, errp) ||
        !opts_get_bool(opts, "wait", true, &wait, errp) ||
        !opts_get_bool(opts, "nodelay", false, &nodelay, errp) ||
        !opts_get_bool(opts, "telnet", false, &telnet, errp)) {
        return false;
    }
    /* QEMU's old spelling of wait=off. */
    if (opts_has(opts, "nowait")) {
        wait = false;
    }
    s->nodelay = nodelay;
    fd = socket_listen_or_connect(s, opts, server, errp);
    if (fd < 0) {
        return false;
    }
    if (s->is_unix) {
        s->desc = g_strdup_printf("unix:%s%s", s->path, server ? ",server=on" : "");
    } else {
        s->desc = g_strdup_printf("tcp:%s:%s%s", opts_get_default(opts, "host", ""),
                                  opts_get(opts, "port"), server ? ",server=on" : "");
    }
    if (!server) {
        socket_connected(chr, fd);
        return true;
    }
    s->listen_fd = fd;
    chr->filename = g_strdup_printf("disconnected:%s", s->desc);
    if (wait) {
        int cfd;

        /* QEMU's message, then block until the first client. */
        fprintf(stderr, "morph: waiting for connection on: %s\n", chr->filename);
        do {
            cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        } while (cfd < 0 && errno == EINTR);
        if (cfd < 0) {
            error_setg_errno(errp, errno, "Failed to accept a connection");
            return false;
        }
        socket_connected(chr, cfd);
        return true;
    }
    bql_set_fd_handler(fd, socket_accept, NULL, chr);
    return true;
}

static int char_socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    int n;

    if (chr->fd_out < 0) {
        return len;
    }
    n = chr_fd_write_all(chr->fd_out, buf, len);
    return n < 0 ? len : n;
}

static void char_socket_close(Chardev *chr)
{
    SocketChardev *s = chr->priv;

    chr_fd_stop_input(chr);
    if (chr->fd_in >= 0) {
        close(chr->fd_in);
    }
    chr->fd_in = chr->fd_out = -1;
    if (s) {
        if (s->listen_fd >= 0) {
            bql_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
            close(s->listen_fd);
            if (s->is_unix && s->path) {
                unlink(s->path);
            }
        }
        g_free(s->path);
        g_free(s->desc);
        g_free(s);
    }
}

static const char *const char_socket_keys[] = {
    "host", "port", "path", "server", "wait", "nowait", "nodelay", "telnet", "ipv4", "ipv6", "to", NULL,
};

const ChardevClass char_socket_class = {
    .name = "socket",
    .help = "TCP or Unix socket (host=,port= | path=; server=on,wait=off)",
    .keys = char_socket_keys,
    .open = char_socket_open,
    .write = char_socket_write,
    .accept_input = chr_fd_accept_input,
    .close = char_socket_close,
};
