/*
 * Process attributes and system information: ids and groups, resource
 * limits and usage, scheduling, prctl, capabilities, uname (machine
 * "riscv64"), sysinfo, getrandom, membarrier.  The structures involved
 * (rlimit, rusage, sysinfo, utsname, cap headers, cpu sets) have one
 * layout on riscv64 and x86-64.  Limits that would constrain morph
 * itself (address space, data, stack) are accepted without being applied
 * to the host, as QEMU does.
 */
#include "syscall.h"

#include <linux/capability.h>
#include <sched.h>
#include <sys/personality.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include <glib.h>

#include "signal-common.h"
#include "syscall-nr.h"

/* ---- ids: no arguments or integer arguments, straight to the host ---- */

#define MISC_PASS0(name)                                                                           \
    static abi_long sys_##name(CPUState *cs, const abi_ulong *a)                                   \
    {                                                                                              \
        return syscall_ret(syscall(SYS_##name));                                                   \
    }
#define MISC_PASS1(name)                                                                           \
    static abi_long sys_##name(CPUState *cs, const abi_ulong *a)                                   \
    {                                                                                              \
        return syscall_ret(syscall(SYS_##name, a[0]));                                             \
    }
#define MISC_PASS2(name)                                                                           \
    static abi_long sys_##name(CPUState *cs, const abi_ulong *a)                                   \
    {                                                                                              \
        return syscall_ret(syscall(SYS_##name, a[0], a[1]));                                       \
    }
#define MISC_PASS3(name)                                                                           \
    static abi_long sys_##name(CPUState *cs, const abi_ulong *a)                                   \
    {                                                                                              \
        return syscall_ret(syscall(SYS_##name, a[0], a[1], a[2]));                                 \
    }

MISC_PASS0(getpid)
MISC_PASS0(getppid)
MISC_PASS0(gettid)
MISC_PASS0(getuid)
MISC_PASS0(geteuid)
MISC_PASS0(getgid)
MISC_PASS0(getegid)
MISC_PASS0(setsid)
MISC_PASS0(sched_yield)
MISC_PASS1(getpgid)
MISC_PASS1(getsid)
MISC_PASS1(setuid)
MISC_PASS1(setgid)
MISC_PASS1(setfsuid)
MISC_PASS1(setfsgid)
MISC_PASS1(sched_get_priority_max)
MISC_PASS1(sched_get_priority_min)
MISC_PASS1(sched_getscheduler)
MISC_PASS2(setpgid)
MISC_PASS2(setreuid)
MISC_PASS2(setregid)
MISC_PASS2(getpriority)
MISC_PASS2(ioprio_get)
MISC_PASS3(setresuid)
MISC_PASS3(setresgid)
MISC_PASS3(setpriority)
MISC_PASS3(ioprio_set)

static abi_long sys_getresuid(CPUState *cs, const abi_ulong *a)
{
    GPTR(r, a[0], 4, PROT_WRITE);
    GPTR(e, a[1], 4, PROT_WRITE);
    GPTR(s, a[2], 4, PROT_WRITE);
    return syscall_ret(syscall(SYS_getresuid, r, e, s));
}

static abi_long sys_getresgid(CPUState *cs, const abi_ulong *a)
{
    GPTR(r, a[0], 4, PROT_WRITE);
    GPTR(e, a[1], 4, PROT_WRITE);
    GPTR(s, a[2], 4, PROT_WRITE);
    return syscall_ret(syscall(SYS_getresgid, r, e, s));
}

static abi_long sys_getgroups(CPUState *cs, const abi_ulong *a)
{
    if ((int)a[0] < 0) {
        return -EINVAL;
    }
    GPTR(list, a[1], (abi_ulong)(int)a[0] * 4, PROT_WRITE);
    return syscall_ret(syscall(SYS_getgroups, (int)a[0], list));
}

static abi_long sys_setgroups(CPUState *cs, const abi_ulong *a)
{
    if ((int)a[0] < 0 || a[0] > 65536) {
        return -EINVAL;
    }
    GPTR(list, a[1], (abi_ulong)a[0] * 4, PROT_READ);
    return syscall_ret(syscall(SYS_setgroups, (int)a[0], list));
}

static abi_long sys_capget(CPUState *cs, const abi_ulong *a)
{
    GPTR(hdr, a[0], 8, PROT_READ | PROT_WRITE);
    GPTR(data, a[1], 24, PROT_WRITE);
    return syscall_ret(syscall(SYS_capget, hdr, data));
}

static abi_long sys_capset(CPUState *cs, const abi_ulong *a)
{
    GPTR(hdr, a[0], 8, PROT_READ | PROT_WRITE);
    GPTR(data, a[1], 24, PROT_READ);
    return syscall_ret(syscall(SYS_capset, hdr, data));
}

/* ---- limits and usage ---- */

static bool misc_rlimit_is_morphs(int resource)
{
    return resource == RLIMIT_AS || resource == RLIMIT_DATA || resource == RLIMIT_STACK;
}

static abi_long sys_prlimit64(CPUState *cs, const abi_ulong *a)
{
    struct rlimit nl;

    GPTR(old, a[3], 16, PROT_WRITE);
    if (a[2] && uaccess_get(&nl, a[2], 16) != 0) {
        return -EFAULT;
    }
    if (a[2] && misc_rlimit_is_morphs((int)a[1]) && (a[0] == 0 || (pid_t)a[0] == getpid())) {
        /* Report the old value, keep morph's own limit. */
        return syscall_ret(syscall(SYS_prlimit64, a[0], a[1], NULL, old));
    }
    return syscall_ret(syscall(SYS_prlimit64, a[0], a[1], a[2] ? &nl : NULL, old));
}

static abi_long sys_getrlimit(CPUState *cs, const abi_ulong *a)
{
    GPTR(r, a[1], 16, PROT_WRITE);
    return syscall_ret(getrlimit((int)a[0], r));
}

static abi_long sys_setrlimit(CPUState *cs, const abi_ulong *a)
{
    GPTR(r, a[1], 16, PROT_READ);
    if (misc_rlimit_is_morphs((int)a[0])) {
        return 0;
    }
    return syscall_ret(setrlimit((int)a[0], r));
}

static abi_long sys_getrusage(CPUState *cs, const abi_ulong *a)
{
    GPTR(ru, a[1], 144, PROT_WRITE);
    return syscall_ret(getrusage((int)a[0], ru));
}

/* ---- scheduling ---- */

static abi_long sys_sched_getaffinity(CPUState *cs, const abi_ulong *a)
{
    GPTR(mask, a[2], a[1], PROT_WRITE);
    return syscall_ret(syscall(SYS_sched_getaffinity, (pid_t)a[0], a[1], mask));
}

static abi_long sys_sched_setaffinity(CPUState *cs, const abi_ulong *a)
{
    GPTR(mask, a[2], a[1], PROT_READ);
    return syscall_ret(syscall(SYS_sched_setaffinity, (pid_t)a[0], a[1], mask));
}

static abi_long sys_sched_getparam(CPUState *cs, const abi_ulong *a)
{
    GPTR(p, a[1], 4, PROT_WRITE);
    return syscall_ret(syscall(SYS_sched_getparam, (pid_t)a[0], p));
}

static abi_long sys_sched_setparam(CPUState *cs, const abi_ulong *a)
{
    GPTR(p, a[1], 4, PROT_READ);
    return syscall_ret(syscall(SYS_sched_setparam, (pid_t)a[0], p));
}

static abi_long sys_sched_setscheduler(CPUState *cs, const abi_ulong *a)
{
    GPTR(p, a[2], 4, PROT_READ);
    return syscall_ret(syscall(SYS_sched_setscheduler, (pid_t)a[0], (int)a[1], p));
}

static abi_long sys_sched_rr_get_interval(CPUState *cs, const abi_ulong *a)
{
    GPTR(t, a[1], 16, PROT_WRITE);
    return syscall_ret(syscall(SYS_sched_rr_get_interval, (pid_t)a[0], t));
}

static abi_long sys_getcpu(CPUState *cs, const abi_ulong *a)
{
    GPTR(cpu, a[0], 4, PROT_WRITE);
    GPTR(node, a[1], 4, PROT_WRITE);
    return syscall_ret(syscall(SYS_getcpu, cpu, node, NULL));
}

/* ---- prctl ---- */

static abi_long sys_prctl(CPUState *cs, const abi_ulong *a)
{
    int opt = (int)a[0];

    switch (opt) {
    case PR_SET_NAME: {
        char name[16];
        int err;
        const char *s = uaccess_str(a[1], 4096, &err);

        if (!s) {
            return err;
        }
        g_strlcpy(name, s, sizeof(name));
        return syscall_ret(prctl(PR_SET_NAME, name, 0, 0, 0));
    }
    case PR_GET_NAME: {
        GPTR(buf, a[1], 16, PROT_WRITE);
        return syscall_ret(prctl(PR_GET_NAME, buf, 0, 0, 0));
    }
    case PR_SET_PDEATHSIG: {
        int h = a[1] ? signal_guest_to_host((int)a[1]) : 0;

        if (a[1] && !h) {
            return -EINVAL;
        }
        return syscall_ret(prctl(PR_SET_PDEATHSIG, h, 0, 0, 0));
    }
    case PR_GET_PDEATHSIG: {
        int h;

        if (prctl(PR_GET_PDEATHSIG, &h, 0, 0, 0) != 0) {
            return -errno;
        }
        h = h ? signal_host_to_guest(h) : 0;
        return uaccess_put(a[1], &h, 4);
    }
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS:
    case PR_GET_NO_NEW_PRIVS:
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_CHILD_SUBREAPER:
    case PR_SET_CHILD_SUBREAPER:
    case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK:
    case PR_CAPBSET_READ:
    case PR_GET_SECUREBITS:
        if (opt == PR_GET_CHILD_SUBREAPER) {
            int v;

            if (prctl(opt, &v, 0, 0, 0) != 0) {
                return -errno;
            }
            return uaccess_put(a[1], &v, 4);
        }
        return syscall_ret(prctl(opt, a[1], a[2], a[3], a[4]));
    case PR_SET_SECCOMP:
    case PR_GET_SECCOMP:
        /* A guest filter would apply to morph's own system calls. */
        return -EINVAL;
    default:
        log_unimp("prctl: unsupported option %d\n", opt);
        return -EINVAL;
    }
}

/* ---- system information ---- */

static abi_long sys_uname(CPUState *cs, const abi_ulong *a)
{
    struct utsname u;

    if (uname(&u) != 0) {
        return -errno;
    }
    g_strlcpy(u.machine, user_target.name, sizeof(u.machine));
    if (user_process.uname_release) {
        g_strlcpy(u.release, user_process.uname_release, sizeof(u.release));
    }
    return uaccess_put(a[0], &u, sizeof(u));
}

static abi_long sys_sethostname(CPUState *cs, const abi_ulong *a)
{
    GPTR(name, a[0], a[1], PROT_READ);
    return syscall_ret(sethostname(name, a[1]));
}

static abi_long sys_sysinfo(CPUState *cs, const abi_ulong *a)
{
    struct sysinfo si;

    if (sysinfo(&si) != 0) {
        return -errno;
    }
    return uaccess_put(a[0], &si, sizeof(si));
}

static abi_long sys_getrandom(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[0], a[1], PROT_WRITE);
    return safe_syscall(SYS_getrandom, buf, a[1], (unsigned)a[2]);
}

static abi_long sys_membarrier(CPUState *cs, const abi_ulong *a)
{
    /* Guest threads are host threads: the host's barrier covers them. */
    return syscall_ret(syscall(SYS_membarrier, (int)a[0], (unsigned)a[1], (int)a[2]));
}

static abi_long sys_personality(CPUState *cs, const abi_ulong *a)
{
    /* Query only: a personality change would apply to morph. */
    return syscall_ret(personality(0xffffffff));
}

static abi_long sys_eperm(CPUState *cs, const abi_ulong *a)
{
    return -EPERM;
}

const SyscallDef syscall_misc_defs[] = {
    {TARGET_NR_getpid, "getpid", sys_getpid, ""},
    {TARGET_NR_getppid, "getppid", sys_getppid, ""},
    {TARGET_NR_gettid, "gettid", sys_gettid, ""},
    {TARGET_NR_getuid, "getuid", sys_getuid, ""},
    {TARGET_NR_geteuid, "geteuid", sys_geteuid, ""},
    {TARGET_NR_getgid, "getgid", sys_getgid, ""},
    {TARGET_NR_getegid, "getegid", sys_getegid, ""},
    {TARGET_NR_setsid, "setsid", sys_setsid, ""},
    {TARGET_NR_getpgid, "getpgid", sys_getpgid, "d"},
    {TARGET_NR_getsid, "getsid", sys_getsid, "d"},
    {TARGET_NR_setpgid, "setpgid", sys_setpgid, "dd"},
    {TARGET_NR_setuid, "setuid", sys_setuid, "d"},
    {TARGET_NR_setgid, "setgid", sys_setgid, "d"},
    {TARGET_NR_setfsuid, "setfsuid", sys_setfsuid, "d"},
    {TARGET_NR_setfsgid, "setfsgid", sys_setfsgid, "d"},
    {TARGET_NR_setreuid, "setreuid", sys_setreuid, "dd"},
    {TARGET_NR_setregid, "setregid", sys_setregid, "dd"},
    {TARGET_NR_setresuid, "setresuid", sys_setresuid, "ddd"},
    {TARGET_NR_setresgid, "setresgid", sys_setresgid, "ddd"},
    {TARGET_NR_getresuid, "getresuid", sys_getresuid, "ppp"},
    {TARGET_NR_getresgid, "getresgid", sys_getresgid, "ppp"},
    {TARGET_NR_getgroups, "getgroups", sys_getgroups, "dp"},
    {TARGET_NR_setgroups, "setgroups", sys_setgroups, "dp"},
    {TARGET_NR_capget, "capget", sys_capget, "pp"},
    {TARGET_NR_capset, "capset", sys_capset, "pp"},
    {TARGET_NR_prlimit64, "prlimit64", sys_prlimit64, "ddpp"},
    {TARGET_NR_getrlimit, "getrlimit", sys_getrlimit, "dp"},
    {TARGET_NR_setrlimit, "setrlimit", sys_setrlimit, "dp"},
    {TARGET_NR_getrusage, "getrusage", sys_getrusage, "dp"},
    {TARGET_NR_getpriority, "getpriority", sys_getpriority, "dd"},
    {TARGET_NR_setpriority, "setpriority", sys_setpriority, "ddd"},
    {TARGET_NR_ioprio_get, "ioprio_get", sys_ioprio_get, "dd"},
    {TARGET_NR_ioprio_set, "ioprio_set", sys_ioprio_set, "ddd"},
    {TARGET_NR_sched_yield, "sched_yield", sys_sched_yield, ""},
    {TARGET_NR_sched_getaffinity, "sched_getaffinity", sys_sched_getaffinity, "dup"},
    {TARGET_NR_sched_setaffinity, "sched_setaffinity", sys_sched_setaffinity, "dup"},
    {TARGET_NR_sched_get_priority_max, "sched_get_priority_max", sys_sched_get_priority_max, "d"},
    {TARGET_NR_sched_get_priority_min, "sched_get_priority_min", sys_sched_get_priority_min, "d"},
    {TARGET_NR_sched_getscheduler, "sched_getscheduler", sys_sched_getscheduler, "d"},
    {TARGET_NR_sched_getparam, "sched_getparam", sys_sched_getparam, "dp"},
    {TARGET_NR_sched_setparam, "sched_setparam", sys_sched_setparam, "dp"},
    {TARGET_NR_sched_setscheduler, "sched_setscheduler", sys_sched_setscheduler, "ddp"},
    {TARGET_NR_sched_rr_get_interval, "sched_rr_get_interval", sys_sched_rr_get_interval, "dp"},
    {TARGET_NR_getcpu, "getcpu", sys_getcpu, "ppp"},
    {TARGET_NR_prctl, "prctl", sys_prctl, "dxxxx"},
    {TARGET_NR_uname, "uname", sys_uname, "p"},
    {TARGET_NR_sethostname, "sethostname", sys_sethostname, "pu"},
    {TARGET_NR_sysinfo, "sysinfo", sys_sysinfo, "p"},
    {TARGET_NR_getrandom, "getrandom", sys_getrandom, "pux"},
    {TARGET_NR_membarrier, "membarrier", sys_membarrier, "dxd"},
    {TARGET_NR_personality, "personality", sys_personality, "x"},
    {TARGET_NR_reboot, "reboot", sys_eperm, "xxxp"},
    {TARGET_NR_syslog, "syslog", sys_eperm, "dpd"},
    {0, NULL, NULL, NULL},
};
