/*
 * The network layer: pairs of clients exchanging Ethernet frames, a
 * bounded queue per receiver, and the -netdev / -nic option strings (the
 * model is QEMU's net/net.c and net/queue.c; the option syntax is QEMU's
 * docs/system/invocation "Network options").
 */
#include <string.h>

#include "net/net.h"
#include "util/log.h"

typedef struct NetPacket {
    size_t size;
    uint8_t data[];
} NetPacket;

static NetClientState *net_clients;
static GPtrArray *nic_requests;
static unsigned nic_auto_id;

NetClientState *net_client_new(const NetClientInfo *info, const char *name, bool is_netdev,
                               void *opaque)
{
    NetClientState *nc = g_new0(NetClientState, 1);
    NetClientState **p = &net_clients;

    nc->info = info;
    nc->name = g_strdup(name ? name : info->type);
    nc->is_netdev = is_netdev;
    nc->opaque = opaque;
    g_queue_init(&nc->incoming);
    while (*p) {
        p = &(*p)->next;
    }
    *p = nc;
    return nc;
}

static void net_queue_purge(NetClientState *nc)
{
    NetPacket *pkt;

    while ((pkt = g_queue_pop_head(&nc->incoming))) {
        g_free(pkt);
    }
}

void net_client_free(NetClientState *nc)
{
    NetClientState **p;

    if (!nc) {
        return;
    }
    for (p = &net_clients; *p; p = &(*p)->next) {
        if (*p == nc) {
            *p = nc->next;
            break;
        }
    }
    if (nc->peer) {
        nc->peer->peer = NULL;
        net_queue_purge(nc->peer);
    }
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    net_queue_purge(nc);
    g_free(nc->name);
    g_free(nc);
}

NetClientState *net_find_netdev(const char *id)
{
    NetClientState *nc;

    for (nc = net_clients; nc; nc = nc->next) {
        if (nc->is_netdev && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

bool net_client_connect(NetClientState *nic, NetClientState *netdev, Error **errp)
{
    if (netdev->peer) {
        error_setg(errp, "Property 'netdev' can't take value '%s', it's in use", netdev->name);
        return false;
    }
    nic->peer = netdev;
    netdev->peer = nic;
    return true;
}

static bool net_deliver(NetClientState *to, const uint8_t *buf, size_t size)
{
    if (to->info->can_receive && !to->info->can_receive(to)) {
        return false;
    }
    return to->info->receive(to, buf, size);
}

void net_send_packet(NetClientState *from, const uint8_t *buf, size_t size)
{
    NetClientState *to = from->peer;
    NetPacket *pkt;

    if (!to || from->link_down || to->link_down || size == 0) {
        return;
    }
    /* Keep order: nothing overtakes frames already waiting. */
    if (g_queue_is_empty(&to->incoming) && net_deliver(to, buf, size)) {
        return;
    }
    if (g_queue_get_length(&to->incoming) >= NET_QUEUE_MAX_PACKETS) {
        return;
    }
    pkt = g_malloc(sizeof(*pkt) + size);
    pkt->size = size;
    memcpy(pkt->data, buf, size);
    g_queue_push_tail(&to->incoming, pkt);
}

void net_flush_queued_packets(NetClientState *nc)
{
    NetPacket *pkt;

    while ((pkt = g_queue_peek_head(&nc->incoming))) {
        if (!net_deliver(nc, pkt->data, pkt->size)) {
            return;
        }
        g_queue_pop_head(&nc->incoming);
        g_free(pkt);
    }
}

void net_client_set_link(NetClientState *nc, bool up)
{
    nc->link_down = !up;
    if (nc->info->link_status_changed) {
        nc->info->link_status_changed(nc);
    }
    if (nc->peer && nc->peer->info->link_status_changed) {
        nc->peer->info->link_status_changed(nc->peer);
    }
}

bool net_parse_macaddr(const char *s, uint8_t mac[6])
{
    unsigned i;

    for (i = 0; i < 6; i++) {
        char *end;
        unsigned long v = strtoul(s, &end, 16);

        if (end == s || end - s > 2 || v > 0xff) {
            return false;
        }
        mac[i] = v;
        s = end;
        if (i < 5) {
            if (*s != ':' && *s != '-') {
                return false;
            }
            s++;
        }
    }
    return *s == '\0';
}

void net_default_macaddr(uint8_t mac[6])
{
    static unsigned index;
    const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

    memcpy(mac, base, 6);
    mac[5] += index++;
}

/* ---- -netdev and -nic ----------------------------------------------------- */

static NetClientState *net_backend_new(const char *type, const char *id, const Opts *opts,
                                       Error **errp)
{
    if (!strcmp(type, "user")) {
        return net_slirp_new(id, opts, errp);
    }
    error_setg(errp, "Parameter 'type' expects a netdev backend type");
    return NULL;
}

NetClientState *net_netdev_add(const char *optstr, Error **errp)
{
    Opts *opts = opts_parse(optstr, "type", errp);
    NetClientState *nc;

    if (!opts) {
        return NULL;
    }
    nc = net_netdev_add_opts(opts, errp);
    opts_free(opts);
    return nc;
}

NetClientState *net_netdev_add_opts(const Opts *opts, Error **errp)
{
    NetClientState *nc = NULL;
    const char *type, *id;

    type = opts_get(opts, "type");
    id = opts_get(opts, "id");
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
    } else if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
    } else if (net_find_netdev(id)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", id);
    } else {
        nc = net_backend_new(type, id, opts, errp);
    }
    return nc;
}

bool net_nic_add(const char *optstr, Error **errp)
{
    Opts *opts = opts_parse(optstr, "type", errp);
    NetNICRequest *req;
    NetClientState *nc;
    const char *type;
    char *id;
    uint8_t mac[6];

    if (!opts) {
        return false;
    }
    type = opts_get(opts, "type");
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        opts_free(opts);
        return false;
    }
    if (opts_get(opts, "mac") && !net_parse_macaddr(opts_get(opts, "mac"), mac)) {
        error_setg(errp, "Parameter 'mac' expects a MAC address");
        opts_free(opts);
        return false;
    }
    if (!strcmp(type, "none")) {
        opts_free(opts);
        return true;
    }
    /* QEMU names the back end of -nic after the NIC. */
    id = opts_get(opts, "id") ? g_strdup(opts_get(opts, "id"))
                              : g_strdup_printf("__org.qemu.nic%u", nic_auto_id++);
    nc = net_backend_new(type, id, opts, errp);
    g_free(id);
    if (!nc) {
        opts_free(opts);
        return false;
    }
    req = g_new0(NetNICRequest, 1);
    req->model = g_strdup(opts_get(opts, "model"));
    req->mac = g_strdup(opts_get(opts, "mac"));
    req->netdev = nc;
    if (!nic_requests) {
        nic_requests = g_ptr_array_new();
    }
    g_ptr_array_add(nic_requests, req);
    opts_free(opts);
    return true;
}

GPtrArray *net_nic_requests(void)
{
    if (!nic_requests) {
        nic_requests = g_ptr_array_new();
    }
    return nic_requests;
}

void net_start(void)
{
    NetClientState *nc;

    for (nc = net_clients; nc; nc = nc->next) {
        if (nc->info->start) {
            nc->info->start(nc);
        }
    }
}

void net_cleanup(void)
{
    while (net_clients) {
        net_client_free(net_clients);
    }
}
