/*
 * File-descriptor system calls: read/write and their vector and
 * positioned forms, pipes and dup, fcntl, the terminal and FIONREAD
 * ioctls, ppoll/pselect6, epoll, eventfd, timerfd, signalfd, inotify,
 * memfd, sendfile and copy_file_range.  The fd numbers are the host's.  Layouts of the
 * riscv64 (asm-generic) structures equal x86-64's except struct
 * epoll_event, which x86-64 packs (12 bytes) and riscv64 does not (16).
 * Calls that may block go through safe_syscall.
 */
#include "syscall.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <termios.h>

#include <glib.h>

#include "abi-convert.h"
#include "signal-common.h"
#include "syscall-nr.h"
#include "util/log.h"

#define IOV_MAX_GUEST 1024

/* Guest struct iovec array -> host iovecs with checked buffers. */
static abi_long file_iovec(struct iovec **out, abi_ulong giov, abi_ulong count, int prot)
{
    struct iovec *iov;
    const uint64_t *g;
    abi_ulong i;

    if (count > IOV_MAX_GUEST) {
        return -EINVAL;
    }
    if (count == 0) {
        *out = NULL;
        return 0;
    }
    g = uaccess_ptr(giov, count * 16, PROT_READ);
    if (!g) {
        return -EFAULT;
    }
    iov = g_new(struct iovec, count);
    for (i = 0; i < count; i++) {
        abi_ulong base = g[2 * i], len = g[2 * i + 1];

        if ((abi_long)len < 0) {
            g_free(iov);
            return -EINVAL;
        }
        iov[i].iov_len = len;
        iov[i].iov_base = len ? uaccess_ptr(base, len, prot) : NULL;
        if (len && !iov[i].iov_base) {
            /* As the kernel: a bad buffer after good ones ends the transfer there. */
            if (i == 0) {
                g_free(iov);
                return -EFAULT;
            }
            count = i;
            break;
        }
    }
    *out = iov;
    return count;
}

static abi_long sys_read(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], a[2], PROT_WRITE);
    return safe_syscall(SYS_read, a[0], buf, a[2]);
}

static abi_long sys_write(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], a[2], PROT_READ);
    return safe_syscall(SYS_write, a[0], buf, a[2]);
}

static abi_long sys_pread64(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], a[2], PROT_WRITE);
    return safe_syscall(SYS_pread64, a[0], buf, a[2], a[3]);
}

static abi_long sys_pwrite64(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], a[2], PROT_READ);
    return safe_syscall(SYS_pwrite64, a[0], buf, a[2], a[3]);
}

/* readv/writev/preadv/pwritev/preadv2/pwritev2 share the conversion. */
static abi_long file_vector_io(long host_nr, const abi_ulong *a, int prot, int nargs)
{
    struct iovec *iov;
    abi_long n = file_iovec(&iov, a[1], a[2], prot), r;

    if (n < 0) {
        return n;
    }
    r = safe_syscall(host_nr, a[0], iov, n, nargs > 3 ? a[3] : 0, nargs > 4 ? a[4] : 0,
                     nargs > 5 ? a[5] : 0);
    g_free(iov);
    return r;
}

static abi_long sys_readv(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_readv, a, PROT_WRITE, 3);
}

static abi_long sys_writev(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_writev, a, PROT_READ, 3);
}

static abi_long sys_preadv(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_preadv, a, PROT_WRITE, 5);
}

static abi_long sys_pwritev(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_pwritev, a, PROT_READ, 5);
}

static abi_long sys_preadv2(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_preadv2, a, PROT_WRITE, 6);
}

static abi_long sys_pwritev2(CPUState *cs, const abi_ulong *a)
{
    return file_vector_io(SYS_pwritev2, a, PROT_READ, 6);
}

static abi_long sys_lseek(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_lseek, a[0], a[1], a[2]));
}

static abi_long sys_close(CPUState *cs, const abi_ulong *a)
{
    /* morph's own descriptor for /proc/self/exe stays open. */
    if ((int)a[0] == user_process.exe_fd && user_process.exe_fd >= 0) {
        return 0;
    }
    return syscall_ret(close(a[0]));
}

static abi_long sys_close_range(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_close_range, a[0], a[1], a[2]));
}

static abi_long sys_pipe2(CPUState *cs, const abi_ulong *a)
{
    int fds[2];
    GPTR(out, a[0], 8, PROT_WRITE);
    if (pipe2(fds, a[1]) != 0) {
        return -errno;
    }
    memcpy(out, fds, sizeof(fds));
    return 0;
}

static abi_long sys_dup(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(dup(a[0]));
}

static abi_long sys_dup3(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(dup3(a[0], a[1], a[2]));
}

static abi_long sys_fcntl(CPUState *cs, const abi_ulong *a)
{
    int cmd = a[1];

    switch (cmd) {
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW: {
        /* struct flock: same 32-byte layout on both. */
        GPTR(fl, a[2], 32, cmd == F_GETLK || cmd == F_OFD_GETLK ? PROT_WRITE : PROT_READ);
        return safe_syscall(SYS_fcntl, a[0], cmd, fl);
    }
    case F_GETOWN_EX:
    case F_SETOWN_EX: {
        GPTR(p, a[2], 8, cmd == F_GETOWN_EX ? PROT_WRITE : PROT_READ);
        return syscall_ret(syscall(SYS_fcntl, a[0], cmd, p));
    }
    default:
        /* The other commands take an integer (or nothing). */
        return syscall_ret(syscall(SYS_fcntl, a[0], cmd, a[2]));
    }
}

/* ioctl: the requests a libc and common programs use, by argument shape. */
typedef enum IoctlArg {
    IOCTL_INT, /* integer argument */
    IOCTL_NONE,
    IOCTL_IN,  /* pointer to `size` bytes read by the kernel */
    IOCTL_OUT, /* written by the kernel */
    IOCTL_INOUT,
} IoctlArg;

typedef struct IoctlDef {
    unsigned long request;
    IoctlArg arg;
    unsigned size;
} IoctlDef;

static const IoctlDef file_ioctls[] = {
    {TCGETS, IOCTL_OUT, 36},    {TCSETS, IOCTL_IN, 36},     {TCSETSW, IOCTL_IN, 36},
    {TCSETSF, IOCTL_IN, 36},    {TIOCGWINSZ, IOCTL_OUT, 8}, {TIOCSWINSZ, IOCTL_IN, 8},
    {FIONREAD, IOCTL_OUT, 4},   {TIOCOUTQ, IOCTL_OUT, 4},   {TIOCGPGRP, IOCTL_OUT, 4},
    {TIOCSPGRP, IOCTL_IN, 4},   {TIOCGSID, IOCTL_OUT, 4},   {TIOCGPTN, IOCTL_OUT, 4},
    {TIOCSPTLCK, IOCTL_IN, 4},  {FIONBIO, IOCTL_IN, 4},     {FIOASYNC, IOCTL_IN, 4},
    {FIOCLEX, IOCTL_NONE, 0},   {FIONCLEX, IOCTL_NONE, 0},  {TIOCSCTTY, IOCTL_INT, 0},
    {TIOCNOTTY, IOCTL_NONE, 0}, {TIOCEXCL, IOCTL_NONE, 0},  {TIOCNXCL, IOCTL_NONE, 0},
    {TCFLSH, IOCTL_INT, 0},     {TCXONC, IOCTL_INT, 0},     {TCSBRK, IOCTL_INT, 0},
    {TIOCMGET, IOCTL_OUT, 4},   {TIOCMSET, IOCTL_IN, 4},    {TIOCINQ, IOCTL_OUT, 4},
};

static abi_long sys_ioctl(CPUState *cs, const abi_ulong *a)
{
    unsigned long req = (uint32_t)a[1];
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(file_ioctls); i++) {
        const IoctlDef *d = &file_ioctls[i];
        void *p;

        if (d->request != req) {
            continue;
        }
        switch (d->arg) {
        case IOCTL_INT:
            return safe_syscall(SYS_ioctl, a[0], req, a[2]);
        case IOCTL_NONE:
            return syscall_ret(ioctl(a[0], req));
        default:
            p = uaccess_ptr(a[2], d->size, d->arg == IOCTL_IN ? PROT_READ : PROT_READ | PROT_WRITE);
            if (!p) {
                return -EFAULT;
            }
            return safe_syscall(SYS_ioctl, a[0], req, p);
        }
    }
    log_mask_printf(LOG_UNIMP, "ioctl: unsupported request 0x%lx on fd %d\n", req, (int)a[0]);
    return -ENOTTY;
}

/* A guest sigset (8 bytes) -> host sigset for the p* calls' temporary masks. */
static bool file_host_sigset(sigset_t *out, abi_ulong gset)
{
    uint64_t m;

    if (uaccess_get(&m, gset, 8) != 0) {
        return false;
    }
    signal_guest_to_host_set(out, m);
    return true;
}

static abi_long sys_ppoll(CPUState *cs, const abi_ulong *a)
{
    GuestSigset mask;
    abi_long r;

    if (a[1] > 1 << 20) {
        return -EINVAL;
    }
    GPTR(fds, a[0], a[1] * sizeof(struct pollfd), PROT_READ | PROT_WRITE);
    GPTR(ts, a[2], 16, PROT_READ | PROT_WRITE);
    if (a[3]) {
        /*
         * The temporary mask is a guest mask: it replaces the guest's for
         * the call; the host keeps every signal open, so the call is
         * interrupted and the signal is then judged against it.
         */
        if (a[4] != 8) {
            return -EINVAL;
        }
        if (uaccess_get(&mask, a[3], 8) != 0) {
            return -EFAULT;
        }
        signal_suspend_begin(mask);
    }
    r = safe_syscall(SYS_ppoll, fds, a[1], ts, NULL, 8);
    if (a[3]) {
        signal_suspend_end(r == -USER_ERESTARTSYS || r == -EINTR);
    }
    /* ppoll is not restarted after a handler runs (ERESTARTNOHAND): -EINTR. */
    return r == -USER_ERESTARTSYS ? -EINTR : r;
}

static abi_long sys_pselect6(CPUState *cs, const abi_ulong *a)
{
    int nfds = a[0];
    size_t setlen = nfds > 0 ? ((size_t)nfds + 63) / 64 * 8 : 0;
    uint64_t sigdata[2] = {0, 0};
    abi_long r;

    if (nfds < 0 || nfds > 65536) {
        return -EINVAL;
    }
    GPTR(rd, a[1], setlen, PROT_READ | PROT_WRITE);
    GPTR(wr, a[2], setlen, PROT_READ | PROT_WRITE);
    GPTR(ex, a[3], setlen, PROT_READ | PROT_WRITE);
    GPTR(ts, a[4], 16, PROT_READ | PROT_WRITE);
    /* The 6th argument points at {const sigset_t *ss; size_t ss_len}. */
    if (a[5] && uaccess_get(sigdata, a[5], 16) != 0) {
        return -EFAULT;
    }
    if (sigdata[0]) {
        GuestSigset mask;

        if (sigdata[1] != 8) {
            return -EINVAL;
        }
        if (uaccess_get(&mask, sigdata[0], 8) != 0) {
            return -EFAULT;
        }
        signal_suspend_begin(mask);
    }
    r = safe_syscall(SYS_pselect6, nfds, rd, wr, ex, ts, NULL);
    if (sigdata[0]) {
        signal_suspend_end(r == -USER_ERESTARTSYS || r == -EINTR);
    }
    return r == -USER_ERESTARTSYS ? -EINTR : r;
}

static abi_long sys_epoll_create1(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(epoll_create1(a[0]));
}

static abi_long sys_epoll_ctl(CPUState *cs, const abi_ulong *a)
{
    struct epoll_event ev, *evp = NULL;

    if (a[3]) {
        GuestEpollEvent g;

        if (uaccess_get(&g, a[3], sizeof(g)) != 0) {
            return -EFAULT;
        }
        abi_epoll_to_host(&ev, &g);
        evp = &ev;
    }
    return syscall_ret(epoll_ctl(a[0], a[1], a[2], evp));
}

static abi_long sys_epoll_pwait(CPUState *cs, const abi_ulong *a)
{
    int max = a[2];
    struct epoll_event *ev;
    GuestEpollEvent *out;
    abi_long r;
    GuestSigset mask;
    int i;

    if (max <= 0 || max > (int)(INT32_MAX / sizeof(GuestEpollEvent))) {
        return -EINVAL;
    }
    out = uaccess_ptr(a[1], (abi_ulong)max * sizeof(*out), PROT_WRITE);
    if (!out) {
        return -EFAULT;
    }
    if (a[4]) {
        if (a[5] != 8) {
            return -EINVAL;
        }
        if (uaccess_get(&mask, a[4], 8) != 0) {
            return -EFAULT;
        }
        signal_suspend_begin(mask);
    }
    ev = g_new(struct epoll_event, max);
    r = safe_syscall(SYS_epoll_pwait, a[0], ev, max, (int)a[3], NULL, 8);
    if (a[4]) {
        signal_suspend_end(r == -USER_ERESTARTSYS || r == -EINTR);
    }
    for (i = 0; i < r; i++) {
        abi_epoll_from_host(&out[i], &ev[i]);
    }
    g_free(ev);
    return r == -USER_ERESTARTSYS ? -EINTR : r;
}

static abi_long sys_eventfd2(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_eventfd2, a[0], a[1]));
}

static abi_long sys_timerfd_create(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_timerfd_create, a[0], a[1]));
}

static abi_long sys_timerfd_settime(CPUState *cs, const abi_ulong *a)
{
    GPTR(nv, a[2], 32, PROT_READ);
    GPTR(ov, a[3], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_timerfd_settime, a[0], a[1], nv, ov));
}

static abi_long sys_timerfd_gettime(CPUState *cs, const abi_ulong *a)
{
    GPTR(cur, a[1], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_timerfd_gettime, a[0], cur));
}

static abi_long sys_signalfd4(CPUState *cs, const abi_ulong *a)
{
    sigset_t hs;

    if (a[2] != 8) {
        return -EINVAL;
    }
    if (!file_host_sigset(&hs, a[1])) {
        return -EFAULT;
    }
    /* The host mask mirrors the guest's, so what the guest blocks reaches the fd. */
    return syscall_ret(syscall(SYS_signalfd4, (int)a[0], &hs, 8, (int)a[3]));
}

static abi_long sys_sendfile(CPUState *cs, const abi_ulong *a)
{
    GPTR(off, a[2], 8, PROT_READ | PROT_WRITE);
    return safe_syscall(SYS_sendfile, a[0], a[1], off, a[3]);
}

static abi_long sys_copy_file_range(CPUState *cs, const abi_ulong *a)
{
    GPTR(off_in, a[1], 8, PROT_READ | PROT_WRITE);
    GPTR(off_out, a[3], 8, PROT_READ | PROT_WRITE);
    return safe_syscall(SYS_copy_file_range, a[0], off_in, a[2], off_out, a[4], a[5]);
}

static abi_long sys_splice(CPUState *cs, const abi_ulong *a)
{
    GPTR(off_in, a[1], 8, PROT_READ | PROT_WRITE);
    GPTR(off_out, a[3], 8, PROT_READ | PROT_WRITE);
    return safe_syscall(SYS_splice, a[0], off_in, a[2], off_out, a[4], a[5]);
}

static abi_long sys_tee(CPUState *cs, const abi_ulong *a)
{
    return safe_syscall(SYS_tee, a[0], a[1], a[2], a[3]);
}

static abi_long sys_flock(CPUState *cs, const abi_ulong *a)
{
    return safe_syscall(SYS_flock, a[0], a[1]);
}

static abi_long sys_fsync(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(fsync(a[0]));
}

static abi_long sys_fdatasync(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(fdatasync(a[0]));
}

static abi_long sys_sync(CPUState *cs, const abi_ulong *a)
{
    sync();
    return 0;
}

static abi_long sys_syncfs(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_syncfs, a[0]));
}

static abi_long sys_ftruncate(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(ftruncate(a[0], a[1]));
}

static abi_long sys_fallocate(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_fallocate, a[0], a[1], a[2], a[3]));
}

static abi_long sys_fadvise64(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_fadvise64, a[0], a[1], a[2], a[3]));
}

static abi_long sys_sync_file_range(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_sync_file_range, a[0], a[1], a[2], a[3]));
}

static abi_long sys_fchmod(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(fchmod(a[0], a[1]));
}

static abi_long sys_fchown(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(fchown(a[0], a[1], a[2]));
}

static abi_long sys_fchdir(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(fchdir(a[0]));
}

static abi_long sys_getdents64(CPUState *cs, const abi_ulong *a)
{
    /* struct linux_dirent64 is the same on both. */
    GPTR(buf, a[1], a[2], PROT_WRITE);
    return syscall_ret(syscall(SYS_getdents64, a[0], buf, a[2]));
}

static abi_long sys_memfd_create(CPUState *cs, const abi_ulong *a)
{
    GPATH(name, a[0]);
    return syscall_ret(syscall(SYS_memfd_create, name, (unsigned)a[1]));
}

static abi_long sys_inotify_init1(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_inotify_init1, (int)a[0]));
}

static abi_long sys_inotify_add_watch(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(syscall(SYS_inotify_add_watch, (int)a[0], path, (uint32_t)a[2]));
}

static abi_long sys_inotify_rm_watch(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_inotify_rm_watch, (int)a[0], (int)a[1]));
}

static abi_long sys_readahead(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_readahead, (int)a[0], a[1], a[2]));
}

static abi_long sys_pidfd_open(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_pidfd_open, (pid_t)a[0], (unsigned)a[1]));
}

const SyscallDef syscall_file_defs[] = {
    {TARGET_NR_read, "read", sys_read, "fpu"},
    {TARGET_NR_write, "write", sys_write, "fpu"},
    {TARGET_NR_pread64, "pread64", sys_pread64, "fpud"},
    {TARGET_NR_pwrite64, "pwrite64", sys_pwrite64, "fpud"},
    {TARGET_NR_readv, "readv", sys_readv, "fpu"},
    {TARGET_NR_writev, "writev", sys_writev, "fpu"},
    {TARGET_NR_preadv, "preadv", sys_preadv, "fpud"},
    {TARGET_NR_pwritev, "pwritev", sys_pwritev, "fpud"},
    {TARGET_NR_preadv2, "preadv2", sys_preadv2, "fpudx"},
    {TARGET_NR_pwritev2, "pwritev2", sys_pwritev2, "fpudx"},
    {TARGET_NR_lseek, "lseek", sys_lseek, "fdd"},
    {TARGET_NR_close, "close", sys_close, "f"},
    {TARGET_NR_close_range, "close_range", sys_close_range, "uux"},
    {TARGET_NR_pipe2, "pipe2", sys_pipe2, "px"},
    {TARGET_NR_dup, "dup", sys_dup, "f"},
    {TARGET_NR_dup3, "dup3", sys_dup3, "ffx"},
    {TARGET_NR_fcntl, "fcntl", sys_fcntl, "fdx"},
    {TARGET_NR_ioctl, "ioctl", sys_ioctl, "fxx"},
    {TARGET_NR_ppoll, "ppoll", sys_ppoll, "pupp"},
    {TARGET_NR_pselect6, "pselect6", sys_pselect6, "dpppp"},
    {TARGET_NR_epoll_create1, "epoll_create1", sys_epoll_create1, "x"},
    {TARGET_NR_epoll_ctl, "epoll_ctl", sys_epoll_ctl, "fdfp"},
    {TARGET_NR_epoll_pwait, "epoll_pwait", sys_epoll_pwait, "fpddpu"},
    {TARGET_NR_eventfd2, "eventfd2", sys_eventfd2, "ux"},
    {TARGET_NR_timerfd_create, "timerfd_create", sys_timerfd_create, "dx"},
    {TARGET_NR_timerfd_settime, "timerfd_settime", sys_timerfd_settime, "fxpp"},
    {TARGET_NR_timerfd_gettime, "timerfd_gettime", sys_timerfd_gettime, "fp"},
    {TARGET_NR_signalfd4, "signalfd4", sys_signalfd4, "fpux"},
    {TARGET_NR_sendfile, "sendfile", sys_sendfile, "ffpu"},
    {TARGET_NR_copy_file_range, "copy_file_range", sys_copy_file_range, "fpfpux"},
    {TARGET_NR_splice, "splice", sys_splice, "fpfpux"},
    {TARGET_NR_tee, "tee", sys_tee, "ffux"},
    {TARGET_NR_flock, "flock", sys_flock, "fx"},
    {TARGET_NR_fsync, "fsync", sys_fsync, "f"},
    {TARGET_NR_fdatasync, "fdatasync", sys_fdatasync, "f"},
    {TARGET_NR_sync, "sync", sys_sync, ""},
    {TARGET_NR_syncfs, "syncfs", sys_syncfs, "f"},
    {TARGET_NR_ftruncate, "ftruncate", sys_ftruncate, "fd"},
    {TARGET_NR_fallocate, "fallocate", sys_fallocate, "fxdd"},
    {TARGET_NR_fadvise64, "fadvise64", sys_fadvise64, "fddd"},
    {TARGET_NR_sync_file_range, "sync_file_range", sys_sync_file_range, "fddx"},
    {TARGET_NR_fchmod, "fchmod", sys_fchmod, "fo"},
    {TARGET_NR_fchown, "fchown", sys_fchown, "fdd"},
    {TARGET_NR_fchdir, "fchdir", sys_fchdir, "f"},
    {TARGET_NR_getdents64, "getdents64", sys_getdents64, "fpu"},
    {TARGET_NR_memfd_create, "memfd_create", sys_memfd_create, "sx"},
    {TARGET_NR_inotify_init1, "inotify_init1", sys_inotify_init1, "x"},
    {TARGET_NR_inotify_add_watch, "inotify_add_watch", sys_inotify_add_watch, "fsx"},
    {TARGET_NR_inotify_rm_watch, "inotify_rm_watch", sys_inotify_rm_watch, "fd"},
    {TARGET_NR_readahead, "readahead", sys_readahead, "fdu"},
    {TARGET_NR_pidfd_open, "pidfd_open", sys_pidfd_open, "dx"},
    {0, NULL, NULL, NULL},
};
