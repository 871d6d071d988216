/*
 * System call dispatch: the area tables (syscall-*.c) merged into one
 * array indexed by the guest syscall number, the -strace hooks, and the
 * rule for what the kernel does not have here: an unknown or unprovided
 * number returns -ENOSYS and is named once under -strace or -d unimp,
 * never aborts.  Also the C side of safe_syscall (the per-thread pending
 * flag it watches).
 */
#include "syscall.h"

#include <stdarg.h>

#include <glib.h>

#include "util/log.h"

static const SyscallDef *syscall_table[TARGET_NR_MAX];
static unsigned char syscall_unimp_reported[TARGET_NR_MAX];

static void syscall_add(const SyscallDef *defs)
{
    for (; defs->name; defs++) {
        g_assert(defs->nr >= 0 && defs->nr < TARGET_NR_MAX);
        g_assert(!syscall_table[defs->nr]);
        syscall_table[defs->nr] = defs;
    }
}

void syscall_init(void)
{
    static const SyscallDef *const areas[] = {
        syscall_file_defs,   syscall_fs_defs,   syscall_mem_defs,
        syscall_time_defs,   syscall_proc_defs, syscall_net_defs,
        syscall_signal_defs, syscall_misc_defs, syscall_target_defs,
    };
    size_t i;

    if (syscall_table[TARGET_NR_exit]) {
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(areas); i++) {
        syscall_add(areas[i]);
    }
}

const SyscallDef *syscall_lookup(abi_ulong nr)
{
    return nr < TARGET_NR_MAX ? syscall_table[nr] : NULL;
}

abi_long syscall_do(CPUState *cs, abi_ulong nr, const abi_ulong *args)
{
    const SyscallDef *def = syscall_lookup(nr);
    bool trace = user_process.strace || log_enabled(LOG_STRACE);
    abi_long ret;

    if (trace) {
        strace_pre(cs, def, nr, args);
    }
    if (def && def->fn) {
        ret = def->fn(cs, args);
    } else {
        /* Named once, so a loop probing for a syscall does not flood the log. */
        if (nr >= TARGET_NR_MAX || !syscall_unimp_reported[nr]) {
            if (nr < TARGET_NR_MAX) {
                syscall_unimp_reported[nr] = 1;
            }
            log_mask_printf(LOG_UNIMP | LOG_STRACE, "Unsupported syscall: %llu (%s)\n",
                            (unsigned long long)nr, def ? def->name : "unknown");
        }
        ret = -ENOSYS;
    }
    if (trace) {
        strace_post(def, ret);
    }
    return ret;
}

long safe_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    UserThread *ts = user_thread_self();
    static volatile int never;

    return safe_syscall_base(ts ? &ts->signal_pending : &never, nr, a1, a2, a3, a4, a5, a6);
}
