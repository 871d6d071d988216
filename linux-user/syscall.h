/*
 * The system call layer of user mode.  Each area file (syscall-file.c,
 * syscall-mem.c, ...) holds small handlers and a table of SyscallDef rows
 * naming them with their guest number and an argument format for
 * -strace; syscall.c merges the tables into one dispatch array indexed by
 * the guest number, so dispatch is a table lookup, not a switch.
 *
 * A handler gets the six raw argument registers and returns the guest
 * result: a value, or a negative guest errno (asm-generic numbering,
 * which is the x86-64 host's too).  Guest pointers are checked with
 * uaccess (user.h) before the host kernel sees them; a blocking call goes
 * through safe_syscall so that a guest signal interrupts it.
 */
#ifndef MORPH_LINUX_USER_SYSCALL_H
#define MORPH_LINUX_USER_SYSCALL_H

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscall-nr.h"
#include "user.h"
#include "util/log.h"

typedef abi_long (*SyscallFn)(CPUState *cs, const abi_ulong *a);

/*
 * Argument formats for -strace, one letter per argument:
 *   d signed   u unsigned   x hex   o octal   f fd   a dirfd (AT_FDCWD)
 *   p pointer  s string (path)   S signal number   - not printed
 */
typedef struct SyscallDef {
    int nr;
    const char *name;
    SyscallFn fn; /* NULL: -ENOSYS (known, not provided) */
    const char *args;
} SyscallDef;

/* The area tables, each ended by a row with name NULL. */
extern const SyscallDef syscall_file_defs[];
extern const SyscallDef syscall_fs_defs[];
extern const SyscallDef syscall_mem_defs[];
extern const SyscallDef syscall_time_defs[];
extern const SyscallDef syscall_proc_defs[];
extern const SyscallDef syscall_net_defs[];
extern const SyscallDef syscall_signal_defs[];
extern const SyscallDef syscall_misc_defs[];
/* The target's own calls (linux-user/<arch>/). */
extern const SyscallDef syscall_target_defs[];

/* Build the dispatch array (once, before the first syscall). */
void syscall_init(void);
/* Run guest syscall `nr`; the result goes to the guest's return register. */
abi_long syscall_do(CPUState *cs, abi_ulong nr, const abi_ulong *args);
/* The definition of guest syscall `nr`, or NULL. */
const SyscallDef *syscall_lookup(abi_ulong nr);

/* A host result (-1 with errno) as a guest result. */
static inline abi_long syscall_ret(long r)
{
    return r == -1 ? -errno : r;
}

/*
 * A host syscall that a guest signal may interrupt: returns the result or
 * -errno, or -USER_ERESTARTSYS if a guest signal arrived before or while
 * it blocked (host/x86_64/safe-syscall.S).
 */
long safe_syscall_base(volatile int *pending, long nr, ...);
long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
#define safe_syscall(nr, ...) safe_syscall_args_(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define safe_syscall_args_(nr, a1, a2, a3, a4, a5, a6, ...)                                        \
    safe_syscall6(nr, (long)(a1), (long)(a2), (long)(a3), (long)(a4), (long)(a5), (long)(a6))
/* The instruction window of safe_syscall_base the host signal handler checks. */
extern char safe_syscall_start[], safe_syscall_end[], safe_syscall_interrupted[];

/*
 * Guest pointer helpers for handlers.  GPTR gives a host pointer for a
 * guest pointer that may be NULL (passed on as NULL so the host kernel
 * decides); otherwise it must be accessible for `len` bytes.
 */
static inline bool syscall_ptr(void **host, abi_ulong g, abi_ulong len, int prot)
{
    if (g == 0) {
        *host = NULL;
        return true;
    }
    *host = uaccess_ptr(g, len, prot);
    return *host != NULL;
}

#define GPTR(var, g, len, prot)                                                                    \
    void *var;                                                                                     \
    if (!syscall_ptr(&var, (g), (len), (prot))) {                                                  \
        return -EFAULT;                                                                            \
    }

/* A guest path string (PATH_MAX), or return its error. */
#define GPATH(var, g)                                                                              \
    const char *var;                                                                               \
    do {                                                                                           \
        int gpath_err_;                                                                            \
        var = uaccess_str((g), 4096, &gpath_err_);                                                 \
        if (!var) {                                                                                \
            return gpath_err_;                                                                     \
        }                                                                                          \
    } while (0)

/* -strace output for one syscall (strace.c). */
void strace_pre(CPUState *cs, const SyscallDef *def, abi_ulong nr, const abi_ulong *args);
void strace_post(const SyscallDef *def, abi_long ret);

/* ---- services the areas share ---- */

/*
 * /proc/self/... emulated on open (syscall-procfs.c): an fd, a negative
 * guest errno, or -1 if `path` is not emulated (-EPERM is never returned).
 */
int syscall_fake_open(const char *path, int flags, mode_t mode);
/* Is `path` the guest's view of its own executable (/proc/self/exe)? */
bool syscall_is_self_exe(const char *path);
/* The thread-exit path: clear_child_tid, then the host thread ends (syscall-proc.c). */
__attribute__((noreturn)) void syscall_thread_exit(CPUState *cs, int status);

#endif
