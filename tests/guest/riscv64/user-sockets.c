/*
 * User-mode test: sockets on this machine only.  TCP on 127.0.0.1 (an
 * ephemeral port; server in a thread), a UNIX stream socket bound to a
 * path, a socketpair passing a file descriptor with SCM_RIGHTS, poll and
 * epoll readiness, eventfd counting, and socket options.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static void *echo_server(void *arg)
{
    int ls = (int)(intptr_t)arg, c;
    char buf[128];
    ssize_t n;
    struct sockaddr_in peer;
    socklen_t plen = sizeof(peer);

    c = accept4(ls, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    if (c < 0) {
        return NULL;
    }
    while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            buf[i] = (char)(buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i]);
        }
        send(c, buf, n, 0);
    }
    close(c);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    {
        int ls = socket(AF_INET, SOCK_STREAM, 0), s, one = 1, val = 0;
        struct sockaddr_in a = {.sin_family = AF_INET};
        socklen_t alen = sizeof(a), vlen = sizeof(val);
        pthread_t th;
        char buf[64];

        CHECK(ls >= 0);
        CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
        CHECK(getsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &val, &vlen) == 0 && val == 1);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        CHECK(bind(ls, (struct sockaddr *)&a, sizeof(a)) == 0);
        CHECK(listen(ls, 4) == 0);
        CHECK(getsockname(ls, (struct sockaddr *)&a, &alen) == 0 && a.sin_port != 0);
        CHECK(pthread_create(&th, NULL, echo_server, (void *)(intptr_t)ls) == 0);
        s = socket(AF_INET, SOCK_STREAM, 0);
        CHECK(connect(s, (struct sockaddr *)&a, sizeof(a)) == 0);
        CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
        CHECK(send(s, "hello tcp", 9, 0) == 9);
        for (int got = 0; got < 9;) {
            ssize_t n = recv(s, buf + got, sizeof(buf) - got, 0);

            CHECK(n > 0);
            got += n;
        }
        printf("tcp echo: %.9s\n", buf);
        {
            struct sockaddr_in peer;
            socklen_t plen = sizeof(peer);

            CHECK(getpeername(s, (struct sockaddr *)&peer, &plen) == 0);
            printf("peer is loopback: %d\n", peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
        }
        CHECK(shutdown(s, SHUT_WR) == 0);
        CHECK(recv(s, buf, sizeof(buf), 0) == 0);
        pthread_join(th, NULL);
        close(s);
        close(ls);
    }
    {
        char path[] = "/tmp/morph-sock-XXXXXX";
        int fd = mkstemp(path), ls, s, c;
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        char buf[32];

        CHECK(fd >= 0);
        close(fd);
        unlink(path);
        strcpy(a.sun_path, path);
        ls = socket(AF_UNIX, SOCK_STREAM, 0);
        CHECK(bind(ls, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(ls, 1) == 0);
        s = socket(AF_UNIX, SOCK_STREAM, 0);
        CHECK(connect(s, (struct sockaddr *)&a, sizeof(a)) == 0);
        c = accept(ls, NULL, NULL);
        CHECK(c >= 0);
        CHECK(sendto(s, "unix!", 5, 0, NULL, 0) == 5);
        CHECK(recvfrom(c, buf, sizeof(buf), 0, NULL, NULL) == 5);
        printf("unix stream: %.5s\n", buf);
        close(c);
        close(s);
        close(ls);
        unlink(path);
    }
    {
        int sv[2], p[2], got_fd;
        struct msghdr m = {0};
        struct iovec iov = {.iov_base = "F", .iov_len = 1};
        union {
            struct cmsghdr h;
            char buf[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct cmsghdr *cm;
        char c, buf[8];

        CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        CHECK(pipe(p) == 0);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof(ctl.buf);
        cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
        CHECK(sendmsg(sv[0], &m, 0) == 1);
        memset(&m, 0, sizeof(m));
        iov.iov_base = &c;
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof(ctl.buf);
        CHECK(recvmsg(sv[1], &m, 0) == 1);
        cm = CMSG_FIRSTHDR(&m);
        CHECK(cm && cm->cmsg_type == SCM_RIGHTS);
        memcpy(&got_fd, CMSG_DATA(cm), sizeof(int));
        CHECK(write(got_fd, "via fd", 6) == 6);
        CHECK(read(p[0], buf, 6) == 6);
        printf("scm_rights: %c %.6s\n", c, buf);

        {
            struct pollfd pf[2] = {{sv[1], POLLIN, 0}, {sv[0], POLLOUT, 0}};

            CHECK(poll(pf, 2, 0) == 1 && pf[1].revents == POLLOUT);
            CHECK(write(sv[0], "x", 1) == 1);
            CHECK(poll(pf, 2, 1000) == 2 && (pf[0].revents & POLLIN));
        }
        {
            int ep = epoll_create1(EPOLL_CLOEXEC), efd = eventfd(0, 0);
            struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
            struct epoll_event out[4];
            uint64_t v = 5;

            CHECK(ep >= 0 && efd >= 0);
            CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0);
            CHECK(epoll_wait(ep, out, 4, 0) == 0);
            CHECK(write(efd, &v, 8) == 8 && write(efd, &v, 8) == 8);
            CHECK(epoll_wait(ep, out, 4, 1000) == 1);
            printf("epoll data 0x%llx events %u\n", (unsigned long long)out[0].data.u64,
                   out[0].events);
            CHECK(read(efd, &v, 8) == 8);
            printf("eventfd count %llu\n", (unsigned long long)v);
        }
    }
    return 0;
}
