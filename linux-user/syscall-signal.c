/*
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, rt_sigqueueinfo, rt_tgsigqueueinfo,
 * rt_sigreturn, sigaltstack and kill/tkill/tgkill.  The guest
 * struct sigaction of riscv64 is {handler, flags, mask} (no sa_restorer:
 * the kernel returns through the vDSO); sigset_t is 8 bytes.
 */
#include "syscall.h"

#include <signal.h>
#include <string.h>

#include "signal-common.h"
#include "syscall-nr.h"

typedef struct GuestKernelSigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t mask;
} GuestKernelSigaction;

static abi_long sys_rt_sigaction(CPUState *cs, const abi_ulong *a)
{
    GuestKernelSigaction g;
    GuestSigaction act, old;
    abi_long r;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (a[1]) {
        if (uaccess_get(&g, a[1], sizeof(g)) != 0) {
            return -EFAULT;
        }
        act.handler = g.handler;
        act.flags = g.flags;
        act.restorer = 0;
        act.mask = g.mask;
    }
    r = signal_do_sigaction((int)a[0], a[1] ? &act : NULL, a[2] ? &old : NULL);
    if (r == 0 && a[2]) {
        g.handler = old.handler;
        g.flags = old.flags;
        g.mask = old.mask;
        if (uaccess_put(a[2], &g, sizeof(g)) != 0) {
            return -EFAULT;
        }
    }
    return r;
}

static abi_long sys_rt_sigprocmask(CPUState *cs, const abi_ulong *a)
{
    GuestSigset set, old;
    abi_long r;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (a[1] && uaccess_get(&set, a[1], 8) != 0) {
        return -EFAULT;
    }
    r = signal_do_sigprocmask((int)a[0], a[1] ? &set : NULL, &old);
    if (r == 0 && a[2] && uaccess_put(a[2], &old, 8) != 0) {
        return -EFAULT;
    }
    return r;
}

static abi_long sys_rt_sigpending(CPUState *cs, const abi_ulong *a)
{
    GuestSigset p = signal_pending_set();

    if (a[1] != 8) {
        return -EINVAL;
    }
    return uaccess_put(a[0], &p, 8);
}

static abi_long sys_rt_sigsuspend(CPUState *cs, const abi_ulong *a)
{
    GuestSigset mask;

    if (a[1] != 8) {
        return -EINVAL;
    }
    if (uaccess_get(&mask, a[0], 8) != 0) {
        return -EFAULT;
    }
    return signal_do_sigsuspend(mask);
}

static abi_long sys_rt_sigtimedwait(CPUState *cs, const abi_ulong *a)
{
    GuestSigset set;
    GuestSiginfo info;
    struct timespec ts;
    abi_long r;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (uaccess_get(&set, a[0], 8) != 0 || (a[2] && uaccess_get(&ts, a[2], 16) != 0)) {
        return -EFAULT;
    }
    r = signal_do_sigtimedwait(set, &info, a[2] ? &ts : NULL);
    if (r > 0 && a[1]) {
        uint8_t out[128];

        memset(out, 0, sizeof(out));
        memcpy(out, &info.signo, 4);
        memcpy(out + 4, &info.errno_, 4);
        memcpy(out + 8, &info.code, 4);
        memcpy(out + 16, info.u.raw, sizeof(info.u.raw));
        if (uaccess_put(a[1], out, sizeof(out)) != 0) {
            return -EFAULT;
        }
    }
    return r;
}

/* A guest siginfo for rt_sigqueueinfo: the host gets it with its signal number. */
static abi_long signal_queue(long nr, const abi_ulong *a, int nargs)
{
    siginfo_t hi;
    int gsig = (int)a[nargs - 2], hsig = signal_guest_to_host(gsig);

    if (!hsig) {
        return -EINVAL;
    }
    if (uaccess_get(&hi, a[nargs - 1], sizeof(hi)) != 0) {
        return -EFAULT;
    }
    hi.si_signo = hsig;
    return nargs == 3 ? syscall_ret(syscall(nr, a[0], hsig, &hi))
                      : syscall_ret(syscall(nr, a[0], a[1], hsig, &hi));
}

static abi_long sys_rt_sigqueueinfo(CPUState *cs, const abi_ulong *a)
{
    return signal_queue(SYS_rt_sigqueueinfo, a, 3);
}

static abi_long sys_rt_tgsigqueueinfo(CPUState *cs, const abi_ulong *a)
{
    return signal_queue(SYS_rt_tgsigqueueinfo, a, 4);
}

static abi_long sys_rt_sigreturn(CPUState *cs, const abi_ulong *a)
{
    return target_rt_sigreturn(cs);
}

static abi_long sys_sigaltstack(CPUState *cs, const abi_ulong *a)
{
    uint64_t ss[3], old[3];
    abi_long r;

    if (a[0] && uaccess_get(ss, a[0], 24) != 0) {
        return -EFAULT;
    }
    r = signal_do_sigaltstack(a[0] ? ss : NULL, old, target_cpu_sp(cs));
    if (r == 0 && a[1]) {
        uint8_t out[24];
        uint32_t flags = old[1];

        memset(out, 0, sizeof(out));
        memcpy(out, &old[0], 8);
        memcpy(out + 8, &flags, 4);
        memcpy(out + 16, &old[2], 8);
        if (uaccess_put(a[1], out, 24) != 0) {
            return -EFAULT;
        }
    }
    return r;
}

/* Signal 0 probes; others need a host counterpart. */
static int signal_arg(abi_ulong g)
{
    if (g == 0) {
        return 0;
    }
    if (g > GUEST_NSIG) {
        return -1;
    }
    return signal_guest_to_host(g) ? signal_guest_to_host(g) : -1;
}

static abi_long sys_kill(CPUState *cs, const abi_ulong *a)
{
    int h = signal_arg(a[1]);

    return h < 0 ? -EINVAL : syscall_ret(kill(a[0], h));
}

static abi_long sys_tkill(CPUState *cs, const abi_ulong *a)
{
    int h = signal_arg(a[1]);

    return h < 0 ? -EINVAL : syscall_ret(syscall(SYS_tkill, a[0], h));
}

static abi_long sys_tgkill(CPUState *cs, const abi_ulong *a)
{
    int h = signal_arg(a[2]);

    return h < 0 ? -EINVAL : syscall_ret(syscall(SYS_tgkill, a[0], a[1], h));
}

const SyscallDef syscall_signal_defs[] = {
    {TARGET_NR_rt_sigaction, "rt_sigaction", sys_rt_sigaction, "Sppu"},
    {TARGET_NR_rt_sigprocmask, "rt_sigprocmask", sys_rt_sigprocmask, "dppu"},
    {TARGET_NR_rt_sigpending, "rt_sigpending", sys_rt_sigpending, "pu"},
    {TARGET_NR_rt_sigsuspend, "rt_sigsuspend", sys_rt_sigsuspend, "pu"},
    {TARGET_NR_rt_sigtimedwait, "rt_sigtimedwait", sys_rt_sigtimedwait, "pppu"},
    {TARGET_NR_rt_sigqueueinfo, "rt_sigqueueinfo", sys_rt_sigqueueinfo, "dSp"},
    {TARGET_NR_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo, "ddSp"},
    {TARGET_NR_rt_sigreturn, "rt_sigreturn", sys_rt_sigreturn, ""},
    {TARGET_NR_sigaltstack, "sigaltstack", sys_sigaltstack, "pp"},
    {TARGET_NR_kill, "kill", sys_kill, "dS"},
    {TARGET_NR_tkill, "tkill", sys_tkill, "dS"},
    {TARGET_NR_tgkill, "tgkill", sys_tgkill, "ddS"},
    {0, NULL, NULL, NULL},
};
