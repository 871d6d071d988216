/*
 * Processes and threads: clone (a guest thread is a host pthread with its
 * own vCPU; a clone without CLONE_VM is a host fork), vfork (as fork),
 * execve (a guest program runs again under morph with the same options,
 * by re-executing morph itself), wait4/waitid, exit/exit_group,
 * set_tid_address and futex.  Guest thread ids are the host's.
 * riscv64's clone argument order is CLONE_BACKWARDS
 * (flags, newsp, parent_tid, tls, child_tid).
 */
#include "syscall.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "exec/cpu-exec.h"
#include "gdbstub/gdbstub.h"
#include "signal-common.h"
#include "syscall-nr.h"

static __thread UserThread *proc_self;
static GMutex proc_lock;
static int proc_nthreads = 1;

UserThread *user_thread_self(void)
{
    return proc_self;
}

void user_thread_set_self(UserThread *ts)
{
    proc_self = ts;
}

/* ---- clone ---- */

typedef struct ProcCloneStart {
    CPUState *cpu;
    UserThread *ts;
    unsigned long flags;
    abi_ulong ptid, ctid;
    GMutex lock;
    GCond cond;
    pid_t tid;
    sigset_t host_mask; /* the parent's host mask, restored in the child */
} ProcCloneStart;

static void *proc_thread_main(void *opaque)
{
    ProcCloneStart *st = opaque;
    UserThread *ts = st->ts;
    CPUState *cpu = st->cpu;

    ts->tid = gettid();
    user_thread_set_self(ts);
    pthread_sigmask(SIG_SETMASK, &st->host_mask, NULL);
    if (st->flags & CLONE_CHILD_SETTID) {
        uaccess_put_u32(st->ctid, ts->tid);
    }
    if (st->flags & CLONE_PARENT_SETTID) {
        uaccess_put_u32(st->ptid, ts->tid);
    }
    if (st->flags & CLONE_CHILD_CLEARTID) {
        ts->clear_child_tid = st->ctid;
    }
    g_mutex_lock(&st->lock);
    st->tid = ts->tid;
    g_cond_signal(&st->cond);
    g_mutex_unlock(&st->lock);
    /* st belongs to the parent from here. */
    target_cpu_loop(cpu);
}

static abi_long proc_clone_thread(CPUState *cs, unsigned long flags, abi_ulong newsp,
                                  abi_ulong ptid, abi_ulong tls, abi_ulong ctid)
{
    UserThread *parent = user_thread_self();
    ProcCloneStart st;
    pthread_attr_t attr;
    pthread_t th;
    sigset_t all, old;
    int err;

    memset(&st, 0, sizeof(st));
    st.ts = g_new0(UserThread, 1);
    st.ts->sigmask = parent->sigmask;
    st.cpu = target_cpu_clone(cs, newsp, flags & CLONE_SETTLS, tls);
    st.ts->cpu = st.cpu;
    st.flags = flags;
    st.ptid = ptid;
    st.ctid = ctid;
    g_mutex_init(&st.lock);
    g_cond_init(&st.cond);

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 1 << 20);
    /* The new thread starts with signals blocked until it knows who it is. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    st.host_mask = old;
    g_mutex_lock(&st.lock);
    g_mutex_lock(&proc_lock);
    proc_nthreads++;
    g_mutex_unlock(&proc_lock);
    err = pthread_create(&th, &attr, proc_thread_main, &st);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (err) {
        g_mutex_unlock(&st.lock);
        g_mutex_lock(&proc_lock);
        proc_nthreads--;
        g_mutex_unlock(&proc_lock);
        target_cpu_free(st.cpu);
        g_free(st.ts);
        return -EAGAIN;
    }
    while (st.tid == 0) {
        g_cond_wait(&st.cond, &st.lock);
    }
    g_mutex_unlock(&st.lock);
    g_mutex_clear(&st.lock);
    g_cond_clear(&st.cond);
    return st.tid;
}

static abi_long proc_fork(CPUState *cs, unsigned long flags, abi_ulong newsp, abi_ulong ptid,
                          abi_ulong ctid)
{
    int exit_sig = flags & 0xff;
    pid_t pid;

    if (exit_sig && exit_sig != SIGCHLD) {
        /* Other exit signals would need a raw clone behind libc's back. */
        log_unimp("clone: exit signal %d treated as SIGCHLD\n", exit_sig);
    }
    fflush(NULL);
    start_exclusive();
    mmap_lock();
    pid = fork();
    if (pid == 0) {
        UserThread *ts = user_thread_self();

        mmap_fork_child();
        signal_fork_child();
        g_mutex_init(&proc_lock);
        proc_nthreads = 1;
        end_exclusive();
        gdb_fork_child();
        ts->tid = gettid();
        target_cpu_fork_child(cs, newsp);
        if (flags & CLONE_CHILD_SETTID) {
            uaccess_put_u32(ctid, ts->tid);
        }
        if (flags & CLONE_CHILD_CLEARTID) {
            ts->clear_child_tid = ctid;
        }
        return 0;
    }
    mmap_unlock();
    end_exclusive();
    if (pid < 0) {
        return -errno;
    }
    if (flags & CLONE_PARENT_SETTID) {
        uaccess_put_u32(ptid, pid);
    }
    return pid;
}

static abi_long sys_clone(CPUState *cs, const abi_ulong *a)
{
    unsigned long flags = a[0];
    const unsigned long thread_flags =
        CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;

    if ((flags & CLONE_THREAD) && (flags & thread_flags) != thread_flags) {
        /* Threads that do not share everything cannot be host threads. */
        return -EINVAL;
    }
    if (flags & CLONE_THREAD) {
        return proc_clone_thread(cs, flags, a[1], a[2], a[3], a[4]);
    }
    if (flags & (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                 CLONE_NEWUTS | CLONE_NEWCGROUP)) {
        return -EINVAL;
    }
    /*
     * CLONE_VM without CLONE_THREAD (posix_spawn's vfork) runs as a fork;
     * the child still switches to the stack it was given, where libc's
     * clone wrapper left the function it calls.
     */
    return proc_fork(cs, flags, a[1], a[2], a[4]);
}

static abi_long sys_clone3(CPUState *cs, const abi_ulong *a)
{
    /* glibc falls back to clone on ENOSYS. */
    return -ENOSYS;
}

/* ---- execve ---- */

static char **proc_guest_strv(abi_ulong addr, abi_long *err)
{
    GPtrArray *v = g_ptr_array_new();

    *err = 0;
    for (;;) {
        uint64_t p;
        const char *s;
        int e;

        if (!addr) {
            break;
        }
        if (uaccess_get_u64(&p, addr) != 0) {
            *err = -EFAULT;
            break;
        }
        if (!p) {
            break;
        }
        s = uaccess_str(p, 128 * 1024, &e);
        if (!s) {
            *err = e;
            break;
        }
        g_ptr_array_add(v, (char *)s);
        if (v->len > 1000000) {
            *err = -E2BIG;
            break;
        }
        addr += 8;
    }
    g_ptr_array_add(v, NULL);
    if (*err) {
        g_ptr_array_free(v, TRUE);
        return NULL;
    }
    return (char **)g_ptr_array_free(v, FALSE);
}

/* Does the file start like something morph runs (our ELF machine, or #!)? */
static bool proc_is_guest_file(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        return false;
    }
    n = read(fd, h, sizeof(h));
    close(fd);
    if (n >= 2 && h[0] == '#' && h[1] == '!') {
        return true;
    }
    return n == (ssize_t)sizeof(h) && memcmp(h, "\177ELF", 4) == 0 && h[4] == 2 &&
           (h[18] | (h[19] << 8)) == user_target.elf_machine;
}

static abi_long sys_execve(CPUState *cs, const abi_ulong *a)
{
    abi_long err;
    char **argv, **envp;
    const char *path;
    char *host_path;
    GPtrArray *nargv;
    int e, i;

    path = uaccess_str(a[0], 4096, &e);
    if (!path) {
        return e;
    }
    argv = proc_guest_strv(a[1], &err);
    if (!argv) {
        return err;
    }
    envp = proc_guest_strv(a[2], &err);
    if (!envp) {
        g_free(argv);
        return err;
    }
    host_path = g_strdup(syscall_is_self_exe(path) ? user_process.exe_path : path);
    if (path[0] == '/' && user_process.interp_prefix && !syscall_is_self_exe(path)) {
        char *p = g_strconcat(user_process.interp_prefix, path, NULL);

        if (access(p, F_OK) == 0) {
            g_free(host_path);
            host_path = p;
        } else {
            g_free(p);
        }
    }
    /* The kernel's checks first: after a successful exec nothing can be returned. */
    if (access(host_path, X_OK) != 0) {
        err = -errno;
        goto out;
    }
    if (!proc_is_guest_file(host_path)) {
        /* A host program (or not an executable: the host says ENOEXEC). */
        sigset_t hs, old;

        signal_guest_to_host_set(&hs, user_thread_self()->sigmask);
        pthread_sigmask(SIG_SETMASK, &hs, &old);
        err = syscall_ret(execve(host_path, argv, envp));
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        goto out;
    }
    nargv = g_ptr_array_new();
    g_ptr_array_add(nargv, user_process.self_exe);
    for (i = 0; i < user_process.morph_argc; i++) {
        g_ptr_array_add(nargv, user_process.morph_argv[i]);
    }
    if (argv[0]) {
        g_ptr_array_add(nargv, "-0");
        g_ptr_array_add(nargv, argv[0]);
    }
    g_ptr_array_add(nargv, host_path);
    for (i = 1; argv[0] && argv[i]; i++) {
        g_ptr_array_add(nargv, argv[i]);
    }
    g_ptr_array_add(nargv, NULL);
    fflush(NULL);
    {
        /* The guest's blocked mask is inherited through the host's (signal_init). */
        sigset_t hs, old;

        signal_guest_to_host_set(&hs, user_thread_self()->sigmask);
        pthread_sigmask(SIG_SETMASK, &hs, &old);
        err = syscall_ret(execve(user_process.self_exe, (char **)nargv->pdata, envp));
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    g_ptr_array_free(nargv, TRUE);
out:
    g_free(host_path);
    g_free(argv);
    g_free(envp);
    return err;
}

/* ---- wait, exit ---- */

static abi_long sys_wait4(CPUState *cs, const abi_ulong *a)
{
    GPTR(status, a[1], 4, PROT_WRITE);
    GPTR(ru, a[3], 144, PROT_WRITE);
    return safe_syscall(SYS_wait4, (pid_t)a[0], status, (int)a[2], ru);
}

static abi_long sys_waitid(CPUState *cs, const abi_ulong *a)
{
    GPTR(info, a[2], 128, PROT_WRITE);
    GPTR(ru, a[4], 144, PROT_WRITE);
    return safe_syscall(SYS_waitid, (int)a[0], (id_t)a[1], info, (int)a[3], ru);
}

static __attribute__((noreturn)) void proc_exit_group(int status)
{
    gdb_exit(status);
    if (user_process.jit_stats) {
        tcg_jit_stats_print(stderr);
    }
    fflush(NULL);
    _exit(status);
}

void syscall_thread_exit(CPUState *cs, int status)
{
    UserThread *ts = user_thread_self();
    bool last;

    g_mutex_lock(&proc_lock);
    last = --proc_nthreads == 0;
    g_mutex_unlock(&proc_lock);
    if (last) {
        proc_exit_group(status);
    }
    if (ts->clear_child_tid) {
        /* What the kernel does at thread exit for CLONE_CHILD_CLEARTID. */
        uint32_t *p = uaccess_ptr(ts->clear_child_tid, 4, PROT_WRITE);

        if (p) {
            __atomic_store_n(p, 0, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, p, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
        }
    }
    user_thread_set_self(NULL);
    target_cpu_free(cs);
    g_free(ts);
    pthread_exit(NULL);
}

static abi_long sys_exit(CPUState *cs, const abi_ulong *a)
{
    syscall_thread_exit(cs, (int)a[0] & 0xff);
}

static abi_long sys_exit_group(CPUState *cs, const abi_ulong *a)
{
    proc_exit_group((int)a[0] & 0xff);
}

static abi_long sys_set_tid_address(CPUState *cs, const abi_ulong *a)
{
    user_thread_self()->clear_child_tid = a[0];
    return gettid();
}

/* ---- futex ---- */

static bool proc_futex_has_timeout(int cmd)
{
    return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
           cmd == FUTEX_WAIT_REQUEUE_PI || cmd == 13 /* FUTEX_LOCK_PI2 */;
}

static bool proc_futex_has_uaddr2(int cmd)
{
    return cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE || cmd == FUTEX_WAKE_OP ||
           cmd == FUTEX_WAIT_REQUEUE_PI || cmd == FUTEX_CMP_REQUEUE_PI;
}

static abi_long sys_futex(CPUState *cs, const abi_ulong *a)
{
    int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
    void *uaddr = uaccess_ptr(a[0], 4, PROT_READ);
    void *uaddr2 = NULL;
    long arg4 = a[3];

    if (!uaddr || (a[0] & 3)) {
        return uaddr ? -EINVAL : -EFAULT;
    }
    if (proc_futex_has_timeout(cmd) && a[3]) {
        void *t = uaccess_ptr(a[3], 16, PROT_READ);

        if (!t) {
            return -EFAULT;
        }
        arg4 = (long)t;
    }
    if (proc_futex_has_uaddr2(cmd)) {
        uaddr2 = uaccess_ptr(a[4], 4, PROT_READ);
        if (!uaddr2) {
            return -EFAULT;
        }
    }
    return safe_syscall(SYS_futex, uaddr, op, (uint32_t)a[2], arg4, uaddr2, (uint32_t)a[5]);
}

static abi_long sys_enosys(CPUState *cs, const abi_ulong *a)
{
    return -ENOSYS;
}

const SyscallDef syscall_proc_defs[] = {
    {TARGET_NR_clone, "clone", sys_clone, "xppxp"},
    {TARGET_NR_clone3, "clone3", sys_clone3, "pu"},
    {TARGET_NR_execve, "execve", sys_execve, "spp"},
    {TARGET_NR_execveat, "execveat", NULL, "aspps"},
    {TARGET_NR_wait4, "wait4", sys_wait4, "dpxp"},
    {TARGET_NR_waitid, "waitid", sys_waitid, "ddpxp"},
    {TARGET_NR_exit, "exit", sys_exit, "d"},
    {TARGET_NR_exit_group, "exit_group", sys_exit_group, "d"},
    {TARGET_NR_set_tid_address, "set_tid_address", sys_set_tid_address, "p"},
    {TARGET_NR_futex, "futex", sys_futex, "pdupux"},
    /* The kernel walks these lists with guest pointers: not provided (glibc copes). */
    {TARGET_NR_set_robust_list, "set_robust_list", sys_enosys, "pu"},
    {TARGET_NR_get_robust_list, "get_robust_list", sys_enosys, "dpp"},
    {TARGET_NR_rseq, "rseq", sys_enosys, "puxx"},
    {0, NULL, NULL, NULL},
};
