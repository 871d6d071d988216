/*
 * Time system calls.  struct timespec, timeval, itimerspec, itimerval,
 * timezone and tms have one layout on riscv64 and x86-64 (64-bit
 * fields), so they are passed through once the pointers are checked.
 * POSIX timers carry a struct sigevent whose signal number is mapped.
 */
#include "syscall.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "signal-common.h"
#include "syscall-nr.h"

static abi_long sys_clock_gettime(CPUState *cs, const abi_ulong *a)
{
    struct timespec ts;

    if (clock_gettime(a[0], &ts) != 0) {
        return -errno;
    }
    return uaccess_put(a[1], &ts, sizeof(ts));
}

static abi_long sys_clock_getres(CPUState *cs, const abi_ulong *a)
{
    struct timespec ts;

    if (clock_getres(a[0], &ts) != 0) {
        return -errno;
    }
    return a[1] ? uaccess_put(a[1], &ts, sizeof(ts)) : 0;
}

static abi_long sys_clock_settime(CPUState *cs, const abi_ulong *a)
{
    GPTR(ts, a[1], 16, PROT_READ);
    return syscall_ret(syscall(SYS_clock_settime, a[0], ts));
}

static abi_long sys_clock_nanosleep(CPUState *cs, const abi_ulong *a)
{
    abi_long r;

    GPTR(req, a[2], 16, PROT_READ);
    GPTR(rem, a[3], 16, PROT_WRITE);
    r = safe_syscall(SYS_clock_nanosleep, a[0], a[1], req, rem);
    /* A handler ends the sleep (ERESTART_RESTARTBLOCK becomes EINTR). */
    return r == -USER_ERESTARTSYS ? -EINTR : r;
}

static abi_long sys_nanosleep(CPUState *cs, const abi_ulong *a)
{
    abi_long r;

    GPTR(req, a[0], 16, PROT_READ);
    GPTR(rem, a[1], 16, PROT_WRITE);
    r = safe_syscall(SYS_nanosleep, req, rem);
    return r == -USER_ERESTARTSYS ? -EINTR : r;
}

static abi_long sys_gettimeofday(CPUState *cs, const abi_ulong *a)
{
    GPTR(tv, a[0], 16, PROT_WRITE);
    GPTR(tz, a[1], 8, PROT_WRITE);
    return syscall_ret(syscall(SYS_gettimeofday, tv, tz));
}

static abi_long sys_settimeofday(CPUState *cs, const abi_ulong *a)
{
    GPTR(tv, a[0], 16, PROT_READ);
    GPTR(tz, a[1], 8, PROT_READ);
    return syscall_ret(syscall(SYS_settimeofday, tv, tz));
}

static abi_long sys_times(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[0], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_times, buf));
}

static abi_long sys_getitimer(CPUState *cs, const abi_ulong *a)
{
    GPTR(v, a[1], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_getitimer, a[0], v));
}

static abi_long sys_setitimer(CPUState *cs, const abi_ulong *a)
{
    GPTR(nv, a[1], 32, PROT_READ);
    GPTR(ov, a[2], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_setitimer, a[0], nv, ov));
}

/* struct sigevent: value(8), signo(4), notify(4), then tid or thread fields. */
static abi_long sys_timer_create(CPUState *cs, const abi_ulong *a)
{
    uint8_t sev[64];
    int gsig;

    GPTR(id, a[2], 4, PROT_WRITE);
    if (a[1]) {
        if (uaccess_get(sev, a[1], sizeof(sev)) != 0) {
            return -EFAULT;
        }
        memcpy(&gsig, sev + 8, 4);
        if (gsig) {
            int h = signal_guest_to_host(gsig);

            if (!h) {
                return -EINVAL;
            }
            memcpy(sev + 8, &h, 4);
        }
    }
    return syscall_ret(syscall(SYS_timer_create, a[0], a[1] ? sev : NULL, id));
}

static abi_long sys_timer_settime(CPUState *cs, const abi_ulong *a)
{
    GPTR(nv, a[2], 32, PROT_READ);
    GPTR(ov, a[3], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_timer_settime, a[0], a[1], nv, ov));
}

static abi_long sys_timer_gettime(CPUState *cs, const abi_ulong *a)
{
    GPTR(v, a[1], 32, PROT_WRITE);
    return syscall_ret(syscall(SYS_timer_gettime, a[0], v));
}

static abi_long sys_timer_getoverrun(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_timer_getoverrun, a[0]));
}

static abi_long sys_timer_delete(CPUState *cs, const abi_ulong *a)
{
    return syscall_ret(syscall(SYS_timer_delete, a[0]));
}

const SyscallDef syscall_time_defs[] = {
    {TARGET_NR_clock_gettime, "clock_gettime", sys_clock_gettime, "dp"},
    {TARGET_NR_clock_getres, "clock_getres", sys_clock_getres, "dp"},
    {TARGET_NR_clock_settime, "clock_settime", sys_clock_settime, "dp"},
    {TARGET_NR_clock_nanosleep, "clock_nanosleep", sys_clock_nanosleep, "dxpp"},
    {TARGET_NR_nanosleep, "nanosleep", sys_nanosleep, "pp"},
    {TARGET_NR_gettimeofday, "gettimeofday", sys_gettimeofday, "pp"},
    {TARGET_NR_settimeofday, "settimeofday", sys_settimeofday, "pp"},
    {TARGET_NR_times, "times", sys_times, "p"},
    {TARGET_NR_getitimer, "getitimer", sys_getitimer, "dp"},
    {TARGET_NR_setitimer, "setitimer", sys_setitimer, "dpp"},
    {TARGET_NR_timer_create, "timer_create", sys_timer_create, "dpp"},
    {TARGET_NR_timer_settime, "timer_settime", sys_timer_settime, "dxpp"},
    {TARGET_NR_timer_gettime, "timer_gettime", sys_timer_gettime, "dp"},
    {TARGET_NR_timer_getoverrun, "timer_getoverrun", sys_timer_getoverrun, "d"},
    {TARGET_NR_timer_delete, "timer_delete", sys_timer_delete, "d"},
    {0, NULL, NULL, NULL},
};
