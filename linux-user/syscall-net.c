/*
 * Socket system calls.  Socket addresses, struct msghdr, struct mmsghdr,
 * control messages (cmsghdr) and the SOL_SOCKET option values have one
 * layout on riscv64 and x86-64, so the work is checking every guest
 * buffer and rebuilding struct msghdr with host pointers.  Calls that
 * may block go through safe_syscall.
 */
#include "syscall.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <glib.h>

#include "syscall-nr.h"

/* An in/out socklen_t and the address buffer it sizes. */
static abi_long net_addr_out(abi_ulong addr, abi_ulong lenp, void **host_addr, socklen_t **host_len)
{
    uint32_t len;

    *host_addr = NULL;
    *host_len = NULL;
    if (!addr) {
        return 0;
    }
    *host_len = uaccess_ptr(lenp, 4, PROT_READ | PROT_WRITE);
    if (!*host_len) {
        return -EFAULT;
    }
    len = **host_len;
    if ((int32_t)len < 0) {
        return -EINVAL;
    }
    *host_addr = uaccess_ptr(addr, len, PROT_WRITE);
    return *host_addr || len == 0 ? 0 : -EFAULT;
}

static abi_long sys_socket(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(socket((int)a[0], (int)a[1], (int)a[2]));
}

static abi_long sys_socketpair(CPUState *cs, const abi_ulong *a)
{
    GPTR(sv, a[3], 8, PROT_WRITE);
    return syscall_ret(socketpair((int)a[0], (int)a[1], (int)a[2], sv));
}

static abi_long sys_bind(CPUState *cs, const abi_ulong *a)
{
    GPTR(addr, a[1], (uint32_t)a[2], PROT_READ);
    return syscall_ret(bind((int)a[0], addr, (socklen_t)a[2]));
}

static abi_long sys_connect(CPUState *cs, const abi_ulong *a)
{
    GPTR(addr, a[1], (uint32_t)a[2], PROT_READ);
    return safe_syscall(SYS_connect, (int)a[0], addr, (socklen_t)a[2]);
}

static abi_long sys_listen(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(listen((int)a[0], (int)a[1]));
}

static abi_long sys_accept4(CPUState *cs, const abi_ulong *a)
{
    void *addr;
    socklen_t *len;
    abi_long r = net_addr_out(a[1], a[2], &addr, &len);

    return r ? r : safe_syscall(SYS_accept4, (int)a[0], addr, len, (int)a[3]);
}

static abi_long sys_accept(CPUState *cs, const abi_ulong *a)
{
    void *addr;
    socklen_t *len;
    abi_long r = net_addr_out(a[1], a[2], &addr, &len);

    return r ? r : safe_syscall(SYS_accept4, (int)a[0], addr, len, 0);
}

static abi_long sys_getsockname(CPUState *cs, const abi_ulong *a)
{
    void *addr;
    socklen_t *len;
    abi_long r = net_addr_out(a[1], a[2], &addr, &len);

    return r ? r : syscall_ret(getsockname((int)a[0], addr, len));
}

static abi_long sys_getpeername(CPUState *cs, const abi_ulong *a)
{
    void *addr;
    socklen_t *len;
    abi_long r = net_addr_out(a[1], a[2], &addr, &len);

    return r ? r : syscall_ret(getpeername((int)a[0], addr, len));
}

static abi_long sys_sendto(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], a[2], PROT_READ);
    GPTR(addr, a[4], (uint32_t)a[5], PROT_READ);
    return safe_syscall(SYS_sendto, (int)a[0], buf, a[2], (int)a[3], addr, (socklen_t)a[5]);
}

static abi_long sys_recvfrom(CPUState *cs, const abi_ulong *a)
{
    void *addr;
    socklen_t *len;
    abi_long r = net_addr_out(a[4], a[5], &addr, &len);

    if (r) {
        return r;
    }
    GPTR(buf, a[1], a[2], PROT_WRITE);
    return safe_syscall(SYS_recvfrom, (int)a[0], buf, a[2], (int)a[3], addr, len);
}

static abi_long sys_setsockopt(CPUState *cs, const abi_ulong *a)
{
    GPTR(val, a[3], (uint32_t)a[4], PROT_READ);
    return syscall_ret(setsockopt((int)a[0], (int)a[1], (int)a[2], val, (socklen_t)a[4]));
}

static abi_long sys_getsockopt(CPUState *cs, const abi_ulong *a)
{
    void *val;
    socklen_t *len;
    abi_long r = net_addr_out(a[3], a[4], &val, &len);

    return r ? r : syscall_ret(getsockopt((int)a[0], (int)a[1], (int)a[2], val, len));
}

static abi_long sys_shutdown(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(shutdown((int)a[0], (int)a[1]));
}

/* Guest struct msghdr (56 bytes) -> host, pointers checked; iov is g_free'd by the caller. */
static abi_long net_msghdr(struct msghdr *m, abi_ulong gmsg, bool is_recv)
{
    uint64_t g[7];
    struct iovec *iov;
    abi_ulong i, n;
    int prot = is_recv ? PROT_WRITE : PROT_READ;
    const uint64_t *giov;

    if (uaccess_get(g, gmsg, sizeof(g)) != 0) {
        return -EFAULT;
    }
    memset(m, 0, sizeof(*m));
    m->msg_namelen = (uint32_t)g[1];
    if (g[0] && !(m->msg_name = uaccess_ptr(g[0], m->msg_namelen, prot))) {
        return -EFAULT;
    }
    n = g[3];
    if (n > 1024) {
        return -EMSGSIZE;
    }
    m->msg_controllen = g[5];
    if (g[4] && !(m->msg_control = uaccess_ptr(g[4], g[5], prot | PROT_READ))) {
        return -EFAULT;
    }
    m->msg_flags = (int)g[6];
    giov = uaccess_ptr(g[2], n * 16, PROT_READ);
    if (n && !giov) {
        return -EFAULT;
    }
    iov = g_new0(struct iovec, n ? n : 1);
    for (i = 0; i < n; i++) {
        iov[i].iov_len = giov[2 * i + 1];
        if (iov[i].iov_len && !(iov[i].iov_base = uaccess_ptr(giov[2 * i], iov[i].iov_len, prot))) {
            g_free(iov);
            return -EFAULT;
        }
    }
    m->msg_iov = iov;
    m->msg_iovlen = n;
    return 0;
}

static abi_long sys_sendmsg(CPUState *cs, const abi_ulong *a)
{
    struct msghdr m;
    abi_long r = net_msghdr(&m, a[1], false);

    if (r) {
        return r;
    }
    r = safe_syscall(SYS_sendmsg, (int)a[0], &m, (int)a[2]);
    g_free(m.msg_iov);
    return r;
}

static abi_long sys_recvmsg(CPUState *cs, const abi_ulong *a)
{
    struct msghdr m;
    abi_long r = net_msghdr(&m, a[1], true);

    if (r) {
        return r;
    }
    r = safe_syscall(SYS_recvmsg, (int)a[0], &m, (int)a[2]);
    if (r >= 0) {
        /* The kernel updates namelen, controllen and flags. */
        uint32_t namelen = m.msg_namelen;
        uint64_t controllen = m.msg_controllen;
        int32_t flags = m.msg_flags;

        if (uaccess_put(a[1] + 8, &namelen, 4) || uaccess_put(a[1] + 40, &controllen, 8) ||
            uaccess_put(a[1] + 48, &flags, 4)) {
            r = -EFAULT;
        }
    }
    g_free(m.msg_iov);
    return r;
}

const SyscallDef syscall_net_defs[] = {
    {TARGET_NR_socket, "socket", sys_socket, "ddd"},
    {TARGET_NR_socketpair, "socketpair", sys_socketpair, "dddp"},
    {TARGET_NR_bind, "bind", sys_bind, "fpu"},
    {TARGET_NR_listen, "listen", sys_listen, "fd"},
    {TARGET_NR_accept, "accept", sys_accept, "fpp"},
    {TARGET_NR_accept4, "accept4", sys_accept4, "fppx"},
    {TARGET_NR_connect, "connect", sys_connect, "fpu"},
    {TARGET_NR_getsockname, "getsockname", sys_getsockname, "fpp"},
    {TARGET_NR_getpeername, "getpeername", sys_getpeername, "fpp"},
    {TARGET_NR_sendto, "sendto", sys_sendto, "fpuxpu"},
    {TARGET_NR_recvfrom, "recvfrom", sys_recvfrom, "fpuxpp"},
    {TARGET_NR_setsockopt, "setsockopt", sys_setsockopt, "fddpu"},
    {TARGET_NR_getsockopt, "getsockopt", sys_getsockopt, "fddpp"},
    {TARGET_NR_shutdown, "shutdown", sys_shutdown, "fd"},
    {TARGET_NR_sendmsg, "sendmsg", sys_sendmsg, "fpx"},
    {TARGET_NR_recvmsg, "recvmsg", sys_recvmsg, "fpx"},
    {0, NULL, NULL, NULL},
};
