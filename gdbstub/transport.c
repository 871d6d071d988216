/*
 * The debugger's sockets, in QEMU's spellings: user mode's `-g PORT`
 * (TCP on every IPv4 address, as qemu-user) or `-g PATH` (a Unix socket),
 * and the system emulator's `-gdb tcp:[HOST]:PORT`, `-gdb unix:PATH,...`
 * (`-s` is `-gdb tcp::1234`).  Chardev options after the first ',' are
 * accepted and ignored here: the listening side is always a server and
 * waiting is the caller's business.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "internals.h"

static int gdb_listen_fd(int fd, const struct sockaddr *sa, socklen_t len, const char *what,
                         Error **errp)
{
    if (bind(fd, sa, len) < 0) {
        error_setg_errno(errp, errno, "gdbstub: cannot bind to %s", what);
        close(fd);
        return -1;
    }
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "gdbstub: cannot listen on %s", what);
        close(fd);
        return -1;
    }
    return fd;
}

static int gdb_listen_tcp(const char *host, const char *port, Error **errp)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    struct sockaddr_in any = {.sin_family = AF_INET};
    char *what = g_strdup_printf("%s:%s", host ? host : "", port);
    const struct sockaddr *sa;
    socklen_t salen;
    char *end;
    long p;
    int fd, one = 1, r;

    p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535) {
        error_setg(errp, "gdbstub: invalid port '%s'", port);
        g_free(what);
        return -1;
    }
    if (host && *host) {
        hints.ai_family = AF_UNSPEC;
        r = getaddrinfo(host, port, &hints, &res);
        if (r != 0) {
            error_setg(errp, "gdbstub: cannot resolve '%s': %s", host, gai_strerror(r));
            g_free(what);
            return -1;
        }
        sa = res->ai_addr;
        salen = res->ai_addrlen;
        fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    } else {
        any.sin_port = htons((uint16_t)p);
        any.sin_addr.s_addr = htonl(INADDR_ANY);
        sa = (const struct sockaddr *)&any;
        salen = sizeof(any);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "gdbstub: cannot create a socket");
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        fd = gdb_listen_fd(fd, sa, salen, what, errp);
    }
    if (res) {
        freeaddrinfo(res);
    }
    g_free(what);
    return fd;
}

static int gdb_listen_unix(const char *path, Error **errp)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd;

    if (!*path || strlen(path) >= sizeof(sun.sun_path)) {
        error_setg(errp, "gdbstub: invalid Unix socket path '%s'", path);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    /* A socket left by an earlier run would make bind fail (QEMU unlinks it too). */
    {
        struct stat st;

        if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
            unlink(path);
        }
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "gdbstub: cannot create a socket");
        return -1;
    }
    return gdb_listen_fd(fd, (const struct sockaddr *)&sun, sizeof(sun), path, errp);
}

int gdb_listen(const char *spec, char **unix_path, Error **errp)
{
    char *s = g_strdup(spec);
    char *comma, *colon;
    int fd;

    if (unix_path) {
        *unix_path = NULL;
    }
    /* Chardev options (server=on, wait=off, nodelay...) do not change a listener. */
    comma = strchr(s, ',');
    if (comma && (g_str_has_prefix(s, "tcp:") || g_str_has_prefix(s, "unix:"))) {
        *comma = '\0';
    }
    if (strcmp(s, "none") == 0 || !*s) {
        error_setg(errp, "gdbstub: no socket given ('%s')", spec);
        fd = -1;
    } else if (g_str_has_prefix(s, "tcp:")) {
        colon = strrchr(s + 4, ':');
        if (!colon) {
            error_setg(errp, "gdbstub: '%s' is not tcp:[HOST]:PORT", spec);
            fd = -1;
        } else {
            *colon = '\0';
            fd = gdb_listen_tcp(s + 4, colon + 1, errp);
        }
    } else if (g_str_has_prefix(s, "unix:")) {
        fd = gdb_listen_unix(s + 5, errp);
        if (fd >= 0 && unix_path) {
            *unix_path = g_strdup(s + 5);
        }
    } else if (strspn(s, "0123456789") == strlen(s)) {
        fd = gdb_listen_tcp(NULL, s, errp);
    } else {
        fd = gdb_listen_unix(s, errp);
        if (fd >= 0 && unix_path) {
            *unix_path = g_strdup(s);
        }
    }
    g_free(s);
    return fd;
}

int gdb_accept(int listen_fd, Error **errp)
{
    int fd, one = 1;

    do {
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        error_setg_errno(errp, errno, "gdbstub: accept failed");
        return -1;
    }
    /* Small packets answered one by one: no Nagle delay (harmless failure on Unix sockets). */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}
