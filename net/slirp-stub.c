/*
 * -netdev user in a build without libslirp: a clear error instead.
 */
#include "net/net.h"

NetClientState *net_slirp_new(const char *id, const Opts *opts, Error **errp)
{
    error_setg(errp, "user mode networking is not built in (libslirp was not found)");
    return NULL;
}
