/*
 * The network layer (QEMU's net/): network clients joined in pairs, a
 * front end (a NIC such as virtio-net) and a back end (a -netdev such as
 * user-mode networking over libslirp).  A client sends Ethernet frames to
 * its peer; a peer that cannot take a frame now gets it queued (a bounded
 * queue, then frames are dropped as a real wire would) and offered again
 * when it calls net_flush_queued_packets().
 *
 * Also here: the -netdev and -nic option strings, in QEMU's syntax
 * (docs/system/invocation "Network options").  Everything runs with the
 * big lock held (system/bql.h); back ends that use threads hand frames
 * over through a bottom half.
 */
#ifndef MORPH_NET_NET_H
#define MORPH_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "util/error.h"
#include "util/keyval.h"

/* Frames waiting for a busy receiver, at most (then they are dropped). */
#define NET_QUEUE_MAX_PACKETS 512
#define NET_MAX_FRAME 65536

typedef struct NetClientState NetClientState;

typedef struct NetClientInfo {
    const char *type;
    /* Can a frame be taken now?  (NULL: always.) */
    bool (*can_receive)(NetClientState *nc);
    /*
     * Take a frame from the peer.  false: not now, keep it queued (the
     * client calls net_flush_queued_packets when it has room again).
     */
    bool (*receive)(NetClientState *nc, const uint8_t *buf, size_t size);
    /* Start threads and the like (net_start: after -daemonize has forked). */
    void (*start)(NetClientState *nc);
    /* The link went up or down (net_client_set_link). */
    void (*link_status_changed)(NetClientState *nc);
    void (*cleanup)(NetClientState *nc);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    char *name;
    NetClientState *peer;
    void *opaque;
    bool link_down;
    /* A -netdev (back end) rather than a NIC. */
    bool is_netdev;
    /* Frames sent to this client and not yet taken. */
    GQueue incoming;
    NetClientState *next;
};

NetClientState *net_client_new(const NetClientInfo *info, const char *name, bool is_netdev,
                               void *opaque);
void net_client_free(NetClientState *nc);
/* Join a NIC to a -netdev; the netdev must be free. */
bool net_client_connect(NetClientState *nic, NetClientState *netdev, Error **errp);
/* Send a frame to the peer (dropped without a peer or with a link down). */
void net_send_packet(NetClientState *from, const uint8_t *buf, size_t size);
/* Offer nc the frames queued for it. */
void net_flush_queued_packets(NetClientState *nc);
void net_client_set_link(NetClientState *nc, bool up);
NetClientState *net_find_netdev(const char *id);

/* ---- options ---------------------------------------------------------- */

/* -netdev TYPE,id=ID[,...]: creates the back end. */
NetClientState *net_netdev_add(const char *optstr, Error **errp);
/* The same from options already parsed (implied key "type"). */
NetClientState *net_netdev_add_opts(const Opts *opts, Error **errp);

/* A NIC that -nic asked for, for the board to create. */
typedef struct NetNICRequest {
    char *model;        /* NULL: the board's default */
    char *mac;          /* NULL: automatic */
    NetClientState *netdev;
} NetNICRequest;

/* -nic TYPE[,model=M][,mac=...][,netdev options]: a back end plus a NIC request. */
bool net_nic_add(const char *optstr, Error **errp);
/* The requests so far, in order (the board takes them). */
GPtrArray *net_nic_requests(void);

/* "52:54:00:12:34:56" -> bytes. */
bool net_parse_macaddr(const char *s, uint8_t mac[6]);
/* QEMU's default MACs: 52:54:00:12:34:56, then ...:57, ... */
void net_default_macaddr(uint8_t mac[6]);
/*
 * Start the back ends' threads.  Options are parsed before -daemonize
 * forks, and threads do not survive a fork, so this comes after it.
 */
void net_start(void);
/* Close every back end (at exit). */
void net_cleanup(void);

/* Back ends (net/slirp.c). */
NetClientState *net_slirp_new(const char *id, const Opts *opts, Error **errp);

#endif
