/*
 * Path system calls: open, stat and statx, access, readlink, rename,
 * unlink, mkdir, mknod, links, permissions, times, the working
 * directory and statfs.  Absolute guest paths that exist under the -L
 * prefix are looked up there first (QEMU's util/path.c rule), so a
 * dynamic guest finds its libraries in the sysroot.  struct stat is the
 * one layout that differs (asm-generic's 128 bytes vs x86-64's) and is
 * converted; statx and statfs are the same on both.
 */
#include "syscall.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <glib.h>

#include "abi-convert.h"
#include "syscall-nr.h"

static __thread char fs_path_buf[PATH_MAX * 2];

/* The guest path as the host should open it (the -L prefix first). */
static const char *fs_path(const char *p)
{
    const char *prefix = user_process.interp_prefix;

    if (!prefix || !prefix[0] || p[0] != '/' || p[1] == '\0') {
        return p;
    }
    if (snprintf(fs_path_buf, sizeof(fs_path_buf), "%s%s", prefix, p) >= (int)sizeof(fs_path_buf)) {
        return p;
    }
    return access(fs_path_buf, F_OK) == 0 ? fs_path_buf : p;
}

static abi_long fs_put_stat(abi_ulong addr, const struct stat *st)
{
    GuestStat g;

    abi_stat_from_host(&g, st);
    return uaccess_put(addr, &g, sizeof(g));
}

static abi_long sys_openat(CPUState *cs, const abi_ulong *a)
{
    int fd;

    GPATH(path, a[1]);
    fd = syscall_fake_open(path, (int)a[2], (mode_t)a[3]);
    if (fd != -1) {
        return fd;
    }
    return safe_syscall(SYS_openat, (int)a[0], fs_path(path), (int)a[2], (mode_t)a[3]);
}

static abi_long sys_newfstatat(CPUState *cs, const abi_ulong *a)
{
    struct stat st;

    GPATH(path, a[1]);
    if (!uaccess_ptr(a[2], sizeof(GuestStat), PROT_WRITE)) {
        return -EFAULT;
    }
    if (fstatat((int)a[0], fs_path(path), &st, (int)a[3]) != 0) {
        return -errno;
    }
    return fs_put_stat(a[2], &st);
}

static abi_long sys_fstat(CPUState *cs, const abi_ulong *a)
{
    struct stat st;

    if (!uaccess_ptr(a[1], sizeof(GuestStat), PROT_WRITE)) {
        return -EFAULT;
    }
    if (fstat((int)a[0], &st) != 0) {
        return -errno;
    }
    return fs_put_stat(a[1], &st);
}

static abi_long sys_statx(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    /* struct statx is 256 bytes with fixed-width fields everywhere. */
    GPTR(buf, a[4], 256, PROT_WRITE);
    return syscall_ret(
        syscall(SYS_statx, (int)a[0], fs_path(path), (int)a[2], (unsigned)a[3], buf));
}

static abi_long sys_faccessat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(syscall(SYS_faccessat, (int)a[0], fs_path(path), (int)a[2]));
}

static abi_long sys_faccessat2(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(syscall(SYS_faccessat2, (int)a[0], fs_path(path), (int)a[2], (int)a[3]));
}

static abi_long sys_readlinkat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    GPTR(buf, a[2], a[3], PROT_WRITE);
    if ((abi_long)a[3] <= 0) {
        return -EINVAL;
    }
    if (syscall_is_self_exe(path)) {
        /* The guest's executable, not morph. */
        size_t n = strlen(user_process.exe_path);

        n = MIN(n, (size_t)a[3]);
        memcpy(buf, user_process.exe_path, n);
        return n;
    }
    return syscall_ret(readlinkat((int)a[0], fs_path(path), buf, a[3]));
}

static abi_long sys_renameat2(CPUState *cs, const abi_ulong *a)
{
    GPATH(from, a[1]);
    GPATH(to, a[3]);
    return syscall_ret(syscall(SYS_renameat2, (int)a[0], from, (int)a[2], to, (unsigned)a[4]));
}

static abi_long sys_unlinkat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(unlinkat((int)a[0], path, (int)a[2]));
}

static abi_long sys_mkdirat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(mkdirat((int)a[0], path, (mode_t)a[2]));
}

static abi_long sys_mknodat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(mknodat((int)a[0], path, (mode_t)a[2], (dev_t)a[3]));
}

static abi_long sys_symlinkat(CPUState *cs, const abi_ulong *a)
{
    GPATH(target, a[0]);
    GPATH(path, a[2]);
    return syscall_ret(symlinkat(target, (int)a[1], path));
}

static abi_long sys_linkat(CPUState *cs, const abi_ulong *a)
{
    GPATH(from, a[1]);
    GPATH(to, a[3]);
    return syscall_ret(linkat((int)a[0], from, (int)a[2], to, (int)a[4]));
}

static abi_long sys_fchmodat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(syscall(SYS_fchmodat, (int)a[0], path, (mode_t)a[2]));
}

static abi_long sys_fchownat(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[1]);
    return syscall_ret(fchownat((int)a[0], path, (uid_t)a[2], (gid_t)a[3], (int)a[4]));
}

static abi_long sys_utimensat(CPUState *cs, const abi_ulong *a)
{
    const char *path = NULL;

    /* A NULL path means the fd itself (futimens). */
    if (a[1]) {
        int err;

        path = uaccess_str(a[1], 4096, &err);
        if (!path) {
            return err;
        }
    }
    GPTR(times, a[2], 32, PROT_READ);
    return syscall_ret(syscall(SYS_utimensat, (int)a[0], path, times, (int)a[3]));
}

static abi_long sys_getcwd(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[0], a[1], PROT_WRITE);
    return syscall_ret(syscall(SYS_getcwd, buf, a[1]));
}

static abi_long sys_chdir(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[0]);
    return syscall_ret(chdir(path));
}

static abi_long sys_chroot(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[0]);
    return syscall_ret(chroot(path));
}

static abi_long sys_statfs(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[0]);
    GPTR(buf, a[1], sizeof(struct statfs), PROT_WRITE);
    return syscall_ret(statfs(fs_path(path), buf));
}

static abi_long sys_fstatfs(CPUState *cs, const abi_ulong *a)
{
    GPTR(buf, a[1], sizeof(struct statfs), PROT_WRITE);
    return syscall_ret(fstatfs((int)a[0], buf));
}

static abi_long sys_truncate(CPUState *cs, const abi_ulong *a)
{
    GPATH(path, a[0]);
    return syscall_ret(truncate(path, a[1]));
}

static abi_long sys_umask(CPUState *cs, const abi_ulong *a)
{
    return umask((mode_t)a[0]);
}

const SyscallDef syscall_fs_defs[] = {
    {TARGET_NR_openat, "openat", sys_openat, "asxo"},
    {TARGET_NR_openat2, "openat2", NULL, "aspu"},
    {TARGET_NR_newfstatat, "newfstatat", sys_newfstatat, "aspx"},
    {TARGET_NR_fstat, "fstat", sys_fstat, "fp"},
    {TARGET_NR_statx, "statx", sys_statx, "asxxp"},
    {TARGET_NR_faccessat, "faccessat", sys_faccessat, "aso"},
    {TARGET_NR_faccessat2, "faccessat2", sys_faccessat2, "asox"},
    {TARGET_NR_readlinkat, "readlinkat", sys_readlinkat, "aspu"},
    {TARGET_NR_renameat2, "renameat2", sys_renameat2, "asasx"},
    {TARGET_NR_unlinkat, "unlinkat", sys_unlinkat, "asx"},
    {TARGET_NR_mkdirat, "mkdirat", sys_mkdirat, "aso"},
    {TARGET_NR_mknodat, "mknodat", sys_mknodat, "asox"},
    {TARGET_NR_symlinkat, "symlinkat", sys_symlinkat, "sas"},
    {TARGET_NR_linkat, "linkat", sys_linkat, "asasx"},
    {TARGET_NR_fchmodat, "fchmodat", sys_fchmodat, "aso"},
    {TARGET_NR_fchownat, "fchownat", sys_fchownat, "asddx"},
    {TARGET_NR_utimensat, "utimensat", sys_utimensat, "aspx"},
    {TARGET_NR_getcwd, "getcwd", sys_getcwd, "pu"},
    {TARGET_NR_chdir, "chdir", sys_chdir, "s"},
    {TARGET_NR_chroot, "chroot", sys_chroot, "s"},
    {TARGET_NR_statfs, "statfs", sys_statfs, "sp"},
    {TARGET_NR_fstatfs, "fstatfs", sys_fstatfs, "fp"},
    {TARGET_NR_truncate, "truncate", sys_truncate, "sd"},
    {TARGET_NR_umask, "umask", sys_umask, "o"},
    {0, NULL, NULL, NULL},
};
