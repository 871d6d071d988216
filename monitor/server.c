/*
 * Listening sockets for monitors: `-qmp unix:PATH,server=on,wait=off`,
 * `-qmp tcp:HOST:PORT,server=on,wait=off` and the same for `-monitor`
 * (contract: include/monitor/monitor.h).  The listener and every client
 * live on a MainLoop as fd handlers: reads feed the client's Monitor,
 * writes are non-blocking and resumed on POLLOUT, so QMP works before (and
 * without) the chardev layer.  A client that hangs up, fails a write or
 * lets its output pile up is closed, and its Monitor freed from a bottom
 * half, never from inside the Monitor's own call chain.
 */
#include "monitor-int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/keyval.h"
#include "util/main-loop.h"

enum {
    SERVER_READ_CHUNK = 64 * 1024,
};

typedef struct MonitorClient {
    MonitorServer *srv;
    int fd;
    Monitor *mon;
    bool dead;
} MonitorClient;

struct MonitorServer {
    MainLoop *ml;
    int listen_fd;
    char *unix_path;
    int port;
    MonitorOptions mon_opts;
    bool wait;
    unsigned accepted;
    GList *clients; /* of MonitorClient, live and dead */
    BH *reap_bh;
};

/* ---- one client */

static void monitor_server_client_read(void *opaque);
static void monitor_server_client_write(void *opaque);

static void monitor_server_client_kill(MonitorClient *c)
{
    if (c->dead) {
        return;
    }
    c->dead = true;
    main_loop_set_fd_handler(c->srv->ml, c->fd, NULL, NULL, NULL);
    close(c->fd);
    c->fd = -1;
    bh_schedule(c->srv->reap_bh);
}

static ssize_t monitor_server_chan_write(void *opaque, const void *buf, size_t len)
{
    MonitorClient *c = opaque;
    ssize_t n;

    if (c->dead) {
        return -1;
    }
    do {
        n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    }
    return n;
}

static void monitor_server_chan_want_write(void *opaque, bool on)
{
    MonitorClient *c = opaque;

    if (!c->dead) {
        main_loop_set_fd_handler(c->srv->ml, c->fd, monitor_server_client_read,
                                 on ? monitor_server_client_write : NULL, c);
    }
}

static void monitor_server_chan_disconnect(void *opaque)
{
    monitor_server_client_kill(opaque);
}

static const MonitorChannelOps monitor_server_chan_ops = {
    .write = monitor_server_chan_write,
    .want_write = monitor_server_chan_want_write,
    .disconnect = monitor_server_chan_disconnect,
};

static void monitor_server_client_read(void *opaque)
{
    MonitorClient *c = opaque;
    char *buf;
    ssize_t n;

    if (c->dead) {
        return;
    }
    buf = g_malloc(SERVER_READ_CHUNK);
    do {
        n = recv(c->fd, buf, SERVER_READ_CHUNK, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        monitor_input(c->mon, buf, (size_t)n);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        /* hang-up; replies to what it sent were written as they were made */
        monitor_close(c->mon);
        monitor_server_client_kill(c);
    }
    g_free(buf);
}

static void monitor_server_client_write(void *opaque)
{
    MonitorClient *c = opaque;

    if (!c->dead) {
        monitor_output_ready(c->mon);
    }
}

/* Free the clients that died: their Monitors are idle by now. */
static void monitor_server_reap(void *opaque)
{
    MonitorServer *srv = opaque;
    GList *l = srv->clients, *next;

    for (; l; l = next) {
        MonitorClient *c = l->data;

        next = l->next;
        if (c->dead) {
            srv->clients = g_list_delete_link(srv->clients, l);
            monitor_close(c->mon); /* withdraws want_write while c is alive */
            monitor_free(c->mon);
            g_free(c);
        }
    }
}

static void monitor_server_accept(void *opaque)
{
    MonitorServer *srv = opaque;
    MonitorClient *c;
    int fd, one = 1;

    fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        return;
    }
    if (monitor_server_clients(srv) >= MONITOR_SERVER_MAX_CLIENTS) {
        close(fd);
        return;
    }
    if (!srv->unix_path) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    c = g_new0(MonitorClient, 1);
    c->srv = srv;
    c->fd = fd;
    c->mon = monitor_new(&srv->mon_opts, &monitor_server_chan_ops, c);
    srv->clients = g_list_append(srv->clients, c);
    srv->accepted++;
    main_loop_set_fd_handler(srv->ml, fd, monitor_server_client_read, NULL, c);
    monitor_open(c->mon);
}

/* ---- listening */

static int monitor_server_listen_unix(const char *path, Error **errp)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sun.sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    strcpy(sun.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create Unix socket");
        return -1;
    }
    unlink(path); /* a stale socket from an earlier run, as QEMU does */
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        close(fd);
        return -1;
    }
    if (listen(fd, 8) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket");
        close(fd);
        return -1;
    }
    return fd;
}

static int monitor_server_listen_tcp(const char *hostport, int *port, Error **errp)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL, *ai;
    const char *colon = strrchr(hostport, ':');
    char *host;
    int fd = -1, rc, one = 1, saved_errno = 0;

    if (!colon) {
        error_setg(errp, "host and/or port not specified in 'tcp:%s'", hostport);
        return -1;
    }
    host = g_strndup(hostport, colon - hostport);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host) - 2);
        host[strlen(host) - 2] = 0;
    }
    rc = getaddrinfo(*host ? host : NULL, colon + 1, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s", host, colon + 1,
                   gai_strerror(rc));
        g_free(host);
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            saved_errno = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 8) == 0) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof(ss);

            if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
                *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                       : ((struct sockaddr_in *)&ss)->sin_port);
            }
            break;
        }
        saved_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, saved_errno, "Failed to bind socket for %s", hostport);
    }
    g_free(host);
    return fd;
}

MonitorServer *monitor_server_new(MainLoop *ml, const char *spec, MonitorMode mode, Error **errp)
{
    static const char *const keys[] = {"path", "server", "wait", "nowait", "pretty", NULL};
    Opts *opts = opts_parse(spec, "path", errp);
    MonitorServer *srv;
    const char *addr;
    bool server = false, wait = true, nowait = false, pretty = false;
    int fd, port = -1;

    if (!opts) {
        return NULL;
    }
    if (!opts_check_keys(opts, keys, errp) ||
        !opts_get_bool(opts, "server", false, &server, errp) ||
        !opts_get_bool(opts, "wait", true, &wait, errp) ||
        !opts_get_bool(opts, "nowait", false, &nowait, errp) ||
        !opts_get_bool(opts, "pretty", false, &pretty, errp)) {
        opts_free(opts);
        return NULL;
    }
    addr = opts_get_default(opts, "path", "");
    if (!server) {
        error_setg(errp, "'%s': only server=on is supported for a monitor socket", spec);
        opts_free(opts);
        return NULL;
    }
    if (g_str_has_prefix(addr, "unix:")) {
        fd = monitor_server_listen_unix(addr + 5, errp);
    } else if (g_str_has_prefix(addr, "tcp:")) {
        fd = monitor_server_listen_tcp(addr + 4, &port, errp);
    } else {
        error_setg(errp, "'%s' is not a socket address (unix:PATH or tcp:HOST:PORT)", addr);
        fd = -1;
    }
    if (fd < 0) {
        opts_free(opts);
        return NULL;
    }
    srv = g_new0(MonitorServer, 1);
    srv->ml = ml;
    srv->listen_fd = fd;
    srv->port = port;
    srv->unix_path = g_str_has_prefix(addr, "unix:") ? g_strdup(addr + 5) : NULL;
    srv->mon_opts.mode = mode;
    srv->mon_opts.pretty = pretty;
    srv->wait = wait && !nowait;
    srv->reap_bh = bh_new(ml, monitor_server_reap, srv);
    main_loop_set_fd_handler(ml, fd, monitor_server_accept, NULL, srv);
    opts_free(opts);
    return srv;
}

bool monitor_server_wants_wait(const MonitorServer *srv)
{
    return srv->wait;
}

void monitor_server_wait(MonitorServer *srv)
{
    unsigned before = srv->accepted;

    while (srv->accepted == before) {
        main_loop_wait(srv->ml, true);
    }
}

int monitor_server_port(const MonitorServer *srv)
{
    return srv->port;
}

unsigned monitor_server_clients(const MonitorServer *srv)
{
    unsigned n = 0;

    for (GList *l = srv->clients; l; l = l->next) {
        n += !((MonitorClient *)l->data)->dead;
    }
    return n;
}

void monitor_server_free(MonitorServer *srv)
{
    if (!srv) {
        return;
    }
    for (GList *l = srv->clients; l; l = l->next) {
        monitor_server_client_kill(l->data);
    }
    monitor_server_reap(srv);
    bh_delete(srv->reap_bh);
    main_loop_set_fd_handler(srv->ml, srv->listen_fd, NULL, NULL, NULL);
    close(srv->listen_fd);
    if (srv->unix_path) {
        unlink(srv->unix_path);
        g_free(srv->unix_path);
    }
    g_free(srv);
}
