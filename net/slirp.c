/*
 * User-mode networking (-netdev user): libslirp as the back end, with
 * QEMU's defaults (docs/system/devices/net.rst, "Using the user mode
 * network stack"): network 10.0.2.0/24, gateway and host 10.0.2.2, DNS
 * 10.0.2.3, DHCP leases from 10.0.2.15, and hostfwd rules in QEMU's
 * syntax [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport.
 *
 * libslirp wants its sockets polled and its timers run by the embedder.
 * Here a thread of its own does that (poll(2) on what slirp_pollfds_fill
 * asks for, plus an eventfd to wake it), so the main loop needs no
 * pre/post-poll hooks.  Every libslirp call is made with `lock` held.
 * Frames from slirp to the guest are queued and handed to the NIC by a
 * bottom half under the big lock; frames from the guest enter slirp from
 * the NIC's thread (big lock held), which takes `lock` and wakes the
 * poller.  The thread never takes the big lock, so the two locks cannot
 * deadlock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "net/net.h"
#include "system/bql.h"
#include "util/log.h"
#include "util/main-loop.h"

typedef struct SlirpTimer {
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms; /* -1: not armed */
    struct SlirpTimer *next;
} SlirpTimer;

typedef struct SlirpState {
    NetClientState *nc;
    Slirp *slirp;
    GMutex lock;
    GThread *thread;
    int wake_fd;
    bool stop;
    /* Poll set being built by slirp_pollfds_fill (thread only). */
    GArray *pollfds;
    SlirpTimer *timers;
    /* Frames for the guest, handed over by `deliver_bh`. */
    GMutex out_lock;
    GQueue out;
    BH *deliver_bh;
    char *hostname;
} SlirpState;

static int64_t slirp_now_ms(void)
{
    return clock_get_ns(MORPH_CLOCK_REALTIME) / 1000000;
}

static void slirp_wake(SlirpState *s)
{
    uint64_t one = 1;

    if (write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN) {
        log_mask_printf(LOG_MAIN_LOOP, "slirp: wakeup failed: %s\n", g_strerror(errno));
    }
}

/* ---- callbacks from libslirp (lock held) ----------------------------------- */

static ssize_t net_slirp_send_packet(const void *buf, size_t len, void *opaque)
{
    SlirpState *s = opaque;
    GBytes *b = g_bytes_new(buf, len);

    g_mutex_lock(&s->out_lock);
    if (g_queue_get_length(&s->out) < NET_QUEUE_MAX_PACKETS) {
        g_queue_push_tail(&s->out, b);
        b = NULL;
    }
    g_mutex_unlock(&s->out_lock);
    if (b) {
        g_bytes_unref(b);
    } else {
        bh_schedule(s->deliver_bh);
    }
    return len;
}

static void net_slirp_guest_error(const char *msg, void *opaque)
{
    log_guest_error("slirp: %s\n", msg);
}

static int64_t net_slirp_clock_get_ns(void *opaque)
{
    return clock_get_ns(MORPH_CLOCK_REALTIME);
}

static void *net_slirp_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    SlirpState *s = opaque;
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->id = id;
    t->cb_opaque = cb_opaque;
    t->expire_ms = -1;
    t->next = s->timers;
    s->timers = t;
    return t;
}

static void net_slirp_timer_free(void *timer, void *opaque)
{
    SlirpState *s = opaque;
    SlirpTimer **p;

    for (p = &s->timers; *p; p = &(*p)->next) {
        if (*p == timer) {
            *p = ((SlirpTimer *)timer)->next;
            break;
        }
    }
    g_free(timer);
}

static void net_slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    ((SlirpTimer *)timer)->expire_ms = expire_ms;
    slirp_wake(opaque);
}

static void net_slirp_register_poll_fd(int fd, void *opaque)
{
}

static void net_slirp_unregister_poll_fd(int fd, void *opaque)
{
}

static void net_slirp_notify(void *opaque)
{
    slirp_wake(opaque);
}

static const SlirpCb net_slirp_cb = {
    .send_packet = net_slirp_send_packet,
    .guest_error = net_slirp_guest_error,
    .clock_get_ns = net_slirp_clock_get_ns,
    .timer_free = net_slirp_timer_free,
    .timer_mod = net_slirp_timer_mod,
    .register_poll_fd = net_slirp_register_poll_fd,
    .unregister_poll_fd = net_slirp_unregister_poll_fd,
    .notify = net_slirp_notify,
    .timer_new_opaque = net_slirp_timer_new_opaque,
};

/* ---- the poller thread ------------------------------------------------------- */

static int net_slirp_add_poll(int fd, int events, void *opaque)
{
    SlirpState *s = opaque;
    struct pollfd p = { .fd = fd };

    if (events & SLIRP_POLL_IN) {
        p.events |= POLLIN;
    }
    if (events & SLIRP_POLL_OUT) {
        p.events |= POLLOUT;
    }
    if (events & SLIRP_POLL_PRI) {
        p.events |= POLLPRI;
    }
    g_array_append_val(s->pollfds, p);
    return s->pollfds->len - 1;
}

static int net_slirp_get_revents(int idx, void *opaque)
{
    SlirpState *s = opaque;
    short r;
    int ev = 0;

    if (idx < 0 || (guint)idx >= s->pollfds->len) {
        return 0;
    }
    r = g_array_index(s->pollfds, struct pollfd, idx).revents;
    if (r & POLLIN) {
        ev |= SLIRP_POLL_IN;
    }
    if (r & POLLOUT) {
        ev |= SLIRP_POLL_OUT;
    }
    if (r & POLLPRI) {
        ev |= SLIRP_POLL_PRI;
    }
    if (r & POLLERR) {
        ev |= SLIRP_POLL_ERR;
    }
    if (r & POLLHUP) {
        ev |= SLIRP_POLL_HUP;
    }
    return ev;
}

static void net_slirp_run_timers(SlirpState *s)
{
    int64_t now = slirp_now_ms();
    SlirpTimer *t;

restart:
    for (t = s->timers; t; t = t->next) {
        if (t->expire_ms >= 0 && t->expire_ms <= now) {
            t->expire_ms = -1;
            slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
            /* The callback may have changed the list. */
            goto restart;
        }
    }
}

static gpointer net_slirp_thread(gpointer opaque)
{
    SlirpState *s = opaque;

    g_mutex_lock(&s->lock);
    while (!s->stop) {
        uint32_t timeout = 1000;
        int64_t now = slirp_now_ms();
        struct pollfd wake = { .fd = s->wake_fd, .events = POLLIN };
        SlirpTimer *t;
        int n;

        g_array_set_size(s->pollfds, 0);
        g_array_append_val(s->pollfds, wake);
        slirp_pollfds_fill(s->slirp, &timeout, net_slirp_add_poll, s);
        for (t = s->timers; t; t = t->next) {
            if (t->expire_ms >= 0) {
                int64_t left = MAX(t->expire_ms - now, 0);

                timeout = MIN(timeout, (uint32_t)MIN(left, 1000));
            }
        }
        g_mutex_unlock(&s->lock);
        n = poll((struct pollfd *)s->pollfds->data, s->pollfds->len, timeout);
        g_mutex_lock(&s->lock);
        if (g_array_index(s->pollfds, struct pollfd, 0).revents & POLLIN) {
            uint64_t v;

            if (read(s->wake_fd, &v, sizeof(v)) < 0) {
                /* EAGAIN: someone else drained it; nothing to do. */
            }
        }
        slirp_pollfds_poll(s->slirp, n < 0, net_slirp_get_revents, s);
        net_slirp_run_timers(s);
    }
    g_mutex_unlock(&s->lock);
    return NULL;
}

/* ---- the client ------------------------------------------------------------ */

/* Bottom half with the big lock: hand slirp's frames to the NIC. */
static void net_slirp_deliver(void *opaque)
{
    SlirpState *s = opaque;
    GBytes *b;

    for (;;) {
        gsize len;
        const uint8_t *data;

        g_mutex_lock(&s->out_lock);
        b = g_queue_pop_head(&s->out);
        g_mutex_unlock(&s->out_lock);
        if (!b) {
            break;
        }
        data = g_bytes_get_data(b, &len);
        net_send_packet(s->nc, data, len);
        g_bytes_unref(b);
    }
}

static bool net_slirp_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    SlirpState *s = nc->opaque;

    if (size > NET_MAX_FRAME) {
        return true;
    }
    g_mutex_lock(&s->lock);
    slirp_input(s->slirp, buf, size);
    g_mutex_unlock(&s->lock);
    slirp_wake(s);
    return true;
}

static void net_slirp_cleanup(NetClientState *nc)
{
    SlirpState *s = nc->opaque;
    GBytes *b;

    g_mutex_lock(&s->lock);
    s->stop = true;
    g_mutex_unlock(&s->lock);
    slirp_wake(s);
    if (s->thread) {
        g_thread_join(s->thread);
    }
    slirp_cleanup(s->slirp);
    while (s->timers) {
        net_slirp_timer_free(s->timers, s);
    }
    bql_bh_delete(s->deliver_bh);
    while ((b = g_queue_pop_head(&s->out))) {
        g_bytes_unref(b);
    }
    close(s->wake_fd);
    g_array_free(s->pollfds, true);
    g_mutex_clear(&s->lock);
    g_mutex_clear(&s->out_lock);
    g_free(s->hostname);
    g_free(s);
}

static void net_slirp_start(NetClientState *nc)
{
    SlirpState *s = nc->opaque;

    if (!s->thread) {
        s->thread = g_thread_new("slirp", net_slirp_thread, s);
    }
}

static const NetClientInfo net_slirp_info = {
    .type = "user",
    .start = net_slirp_start,
    .receive = net_slirp_receive,
    .cleanup = net_slirp_cleanup,
};

/* ---- options ------------------------------------------------------------------ */

static bool parse_addr(const char *s, struct in_addr *a)
{
    return inet_pton(AF_INET, s, a) == 1;
}

/* "10.0.2.0/24" or "10.0.2.0/255.255.255.0" or "10.0.2.0" (a /24). */
static bool parse_net(const char *s, struct in_addr *net, struct in_addr *mask)
{
    g_auto(GStrv) parts = g_strsplit(s, "/", 2);
    uint64_t bits;

    if (!parse_addr(parts[0], net)) {
        return false;
    }
    if (!parts[1]) {
        mask->s_addr = htonl(0xffffff00);
    } else if (parse_uint64(parts[1], &bits) && bits <= 32) {
        mask->s_addr = htonl(bits ? 0xffffffffu << (32 - bits) : 0);
    } else if (!parse_addr(parts[1], mask)) {
        return false;
    }
    net->s_addr &= mask->s_addr;
    return true;
}

/* [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport, as QEMU's slirp_hostfwd(). */
static bool net_slirp_hostfwd(SlirpState *s, const char *rule, struct in_addr dhcp,
                              Error **errp)
{
    g_auto(GStrv) sides = g_strsplit(rule, "-", 2);
    g_auto(GStrv) host = NULL;
    g_auto(GStrv) guest = NULL;
    struct in_addr host_addr = { .s_addr = INADDR_ANY }, guest_addr = dhcp;
    uint64_t host_port, guest_port;
    bool is_udp = false;
    const char *why = NULL;
    int r;

    if (!sides[0] || !sides[1]) {
        why = "No guest address";
        goto fail;
    }
    host = g_strsplit(sides[0], ":", 3);
    guest = g_strsplit(sides[1], ":", 2);
    if (!host[0] || !host[1] || !host[2]) {
        why = "No host port";
        goto fail;
    }
    if (!strcmp(host[0], "udp")) {
        is_udp = true;
    } else if (host[0][0] && strcmp(host[0], "tcp")) {
        why = "Bad protocol name";
        goto fail;
    }
    if (host[1][0] && !parse_addr(host[1], &host_addr)) {
        why = "Bad host address";
        goto fail;
    }
    if (!parse_uint64(host[2], &host_port) || host_port > 65535) {
        why = "Bad host port";
        goto fail;
    }
    if (!guest[1]) {
        why = "Missing guest port";
        goto fail;
    }
    if (guest[0][0] && !parse_addr(guest[0], &guest_addr)) {
        why = "Bad guest address";
        goto fail;
    }
    if (!parse_uint64(guest[1], &guest_port) || guest_port < 1 || guest_port > 65535) {
        why = "Bad guest port";
        goto fail;
    }
    r = slirp_add_hostfwd(s->slirp, is_udp, host_addr, host_port, guest_addr, guest_port);
    if (r < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;
fail:
    error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, why);
    return false;
}

static const char *const net_slirp_keys[] = {
    "type", "id", "net", "host", "dhcpstart", "dns", "hostfwd", "restrict", "ipv4", "ipv6",
    "hostname", "domainname", "model", "mac", NULL,
};

NetClientState *net_slirp_new(const char *id, const Opts *opts, Error **errp)
{
    SlirpConfig cfg = { .version = 4 };
    SlirpState *s;
    bool restricted = false, ipv4 = true;
    const char *v;
    unsigned i;

    if (!opts_check_keys(opts, net_slirp_keys, errp) ||
        !opts_get_bool(opts, "restrict", false, &restricted, errp) ||
        !opts_get_bool(opts, "ipv4", true, &ipv4, errp)) {
        return NULL;
    }
    if (!ipv4) {
        error_setg(errp, "IPv4 must be enabled for -netdev user");
        return NULL;
    }
    cfg.restricted = restricted;
    cfg.in_enabled = true;
    cfg.vnetwork.s_addr = htonl(0x0a000200);
    cfg.vnetmask.s_addr = htonl(0xffffff00);
    if ((v = opts_get(opts, "net")) && !parse_net(v, &cfg.vnetwork, &cfg.vnetmask)) {
        error_setg(errp, "Parameter 'net' expects an IPv4 network");
        return NULL;
    }
    /* Defaults inside the network: .2 host, .3 DNS, .15 first lease. */
    cfg.vhost.s_addr = cfg.vnetwork.s_addr | htonl(2);
    cfg.vnameserver.s_addr = cfg.vnetwork.s_addr | htonl(3);
    cfg.vdhcp_start.s_addr = cfg.vnetwork.s_addr | htonl(15);
    if ((v = opts_get(opts, "host")) && !parse_addr(v, &cfg.vhost)) {
        error_setg(errp, "Parameter 'host' expects an IPv4 address");
        return NULL;
    }
    if ((v = opts_get(opts, "dns")) && !parse_addr(v, &cfg.vnameserver)) {
        error_setg(errp, "Parameter 'dns' expects an IPv4 address");
        return NULL;
    }
    if ((v = opts_get(opts, "dhcpstart")) && !parse_addr(v, &cfg.vdhcp_start)) {
        error_setg(errp, "Parameter 'dhcpstart' expects an IPv4 address");
        return NULL;
    }
    cfg.in6_enabled = false;
    cfg.vdomainname = opts_get(opts, "domainname");

    s = g_new0(SlirpState, 1);
    g_mutex_init(&s->lock);
    g_mutex_init(&s->out_lock);
    g_queue_init(&s->out);
    s->hostname = g_strdup(opts_get(opts, "hostname"));
    cfg.vhostname = s->hostname;
    s->pollfds = g_array_new(false, false, sizeof(struct pollfd));
    s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->wake_fd < 0) {
        error_setg_errno(errp, errno, "eventfd");
        g_array_free(s->pollfds, true);
        g_free(s->hostname);
        g_free(s);
        return NULL;
    }
    s->slirp = slirp_new(&cfg, &net_slirp_cb, s);
    s->deliver_bh = bql_bh_new(net_slirp_deliver, s);
    s->nc = net_client_new(&net_slirp_info, id, true, s);
    for (i = 0; i < opts->count; i++) {
        if (!strcmp(opts->items[i].key, "hostfwd") &&
            !net_slirp_hostfwd(s, opts->items[i].value, cfg.vdhcp_start, errp)) {
            net_client_free(s->nc);
            return NULL;
        }
    }
    /* The poller thread starts with net_start(), after any -daemonize fork. */
    return s->nc;
}
