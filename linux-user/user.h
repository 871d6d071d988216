/*
 * What the pieces of user mode share: the guest ABI scalar types, the
 * guest address space (guest_base + addr inside one host reservation), the
 * process and per-thread state, and the interface a target's linux-user
 * bits (linux-user/<arch>/) provide to the generic code.  The model is
 * QEMU's linux-user/qemu.h; the facts about the guest ABI come from the
 * Linux kernel's asm-generic headers, which riscv64 uses unchanged.
 */
#ifndef MORPH_LINUX_USER_USER_H
#define MORPH_LINUX_USER_USER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "exec/cpu.h"
#include "exec/user-page.h"
#include "util/error.h"

/* The guest is a 64-bit little-endian Linux ABI (riscv64 LP64). */
typedef uint64_t abi_ulong;
typedef int64_t abi_long;

/* Guest errno values are asm-generic's, which are the x86-64 host's too. */
#define USER_ERESTARTSYS 512 /* interrupted: restart or -EINTR, as the kernel decides */
#define USER_ESIGRETURN  513 /* rt_sigreturn: the registers are already set */

/* ---- guest memory (mmap.c) ---- */

/*
 * Host address of guest address 0 is guest_base (exec/user-page.h, with
 * g2h/h2g); mmap_reserved_va is the size of the reservation there.
 */
extern uint64_t mmap_reserved_va;
/* Guest page size (from the target) and the host's. */
extern uint64_t mmap_guest_page_size;
extern uint64_t mmap_host_page_size;

/* Is [addr, addr + len) inside the reservation (no wrap)? */
static inline bool guest_range_in_va(abi_ulong addr, abi_ulong len)
{
    return addr <= mmap_reserved_va && len <= mmap_reserved_va - addr;
}

#define GUEST_PAGE_ALIGN(x) (((x) + mmap_guest_page_size - 1) & ~(mmap_guest_page_size - 1))
#define GUEST_PAGE_MASK     (~(mmap_guest_page_size - 1))

/* Guest protection bits are the PROT_* values; a mapping's VMA flags add these. */
enum {
    VMA_ANON = 1 << 0, /* anonymous (else file-backed) */
    VMA_SHARED = 1 << 1,
    VMA_STACK = 1 << 2,    /* the main stack: [stack] in /proc/self/maps */
    VMA_HEAP = 1 << 3,     /* the brk area: [heap] */
    VMA_RESERVED = 1 << 4, /* morph's own (signal trampoline page) */
};

typedef struct MmapVma {
    abi_ulong start, end; /* guest page aligned, end exclusive */
    int prot;             /* PROT_READ | PROT_WRITE | PROT_EXEC */
    int flags;            /* VMA_* */
    uint64_t offset;      /* file offset of `start` */
    uint64_t dev, inode;
    char *name; /* path for file mappings, or NULL */
} MmapVma;

/*
 * Reserve the guest address space: `size` bytes of host VA (PROT_NONE,
 * nothing committed) at `base_hint` (0: anywhere; else exactly there).
 */
bool mmap_reserve(uint64_t base_hint, uint64_t size, uint64_t guest_page_size, Error **errp);
/* Is a host address in the guest space or its guard regions (a guest access)? */
bool mmap_host_in_guest_area(uintptr_t host);
/* Forget every mapping and release the reservation (tests). */
void mmap_teardown(void);

/*
 * The guest system calls.  Return the guest address or a negative guest
 * errno.  All take the mmap lock themselves.
 */
abi_long mmap_map(abi_ulong addr, abi_ulong len, int prot, int flags, int fd, uint64_t offset);
abi_long mmap_unmap(abi_ulong addr, abi_ulong len);
abi_long mmap_protect(abi_ulong addr, abi_ulong len, int prot);
abi_long mmap_remap(abi_ulong old_addr, abi_ulong old_len, abi_ulong new_len, int flags,
                    abi_ulong new_addr);
abi_long mmap_advise(abi_ulong addr, abi_ulong len, int advice);
abi_long mmap_sync(abi_ulong addr, abi_ulong len, int flags);
abi_long mmap_brk(abi_ulong new_brk);
/* Where brk starts (after the executable's bss). */
void mmap_set_brk(abi_ulong start);
/* Lowest address mmap may choose, and the top of the mmap area (below the stack). */
void mmap_set_layout(abi_ulong min_addr, abi_ulong top);
/* Name the mapping that covers [start, end) (the loader names its segments). */
void mmap_set_name(abi_ulong start, abi_ulong end, const char *name, uint64_t offset,
                   int vma_flags);
/*
 * Find a free guest range of `len` bytes aligned to `align`, searching down
 * from the mmap top (as Linux's top-down layout), or -1.
 */
abi_ulong mmap_find_free(abi_ulong hint, abi_ulong len, abi_ulong align);
/*
 * Is [addr, addr + len) mapped with at least `prot` in the guest's view?
 * (len 0 is always valid.)
 */
bool mmap_check_range(abi_ulong addr, abi_ulong len, int prot);
/* Call fn for each mapping in address order (under the lock). */
void mmap_foreach(void (*fn)(const MmapVma *vma, void *opaque), void *opaque);
void mmap_lock(void);
void mmap_unlock(void);
/* After fork: the child's lock is free. */
void mmap_fork_child(void);

/*
 * How guest protections become host protections.  accel/tcg may
 * write-protect code pages itself; a hook lets uaccess make a page
 * writable again (and drop its TBs) before the host kernel writes into it.
 */
extern bool (*mmap_unprotect_hook)(abi_ulong addr, abi_ulong len);
/* Told about every change of the guest map (accel/tcg's page flags). */
extern void (*mmap_page_flags_hook)(abi_ulong start, abi_ulong end, int prot, bool mapped);

/* ---- guest memory access from syscalls (uaccess.c) ---- */

/*
 * A host pointer for guest [addr, addr + len) if the guest may access it
 * with `prot` (PROT_READ / PROT_WRITE), else NULL.  len 0 gives g2h(addr).
 */
void *uaccess_ptr(abi_ulong addr, abi_ulong len, int prot);
/* Copy from / to the guest; 0 or -EFAULT (guest errno). */
int uaccess_get(void *dst, abi_ulong src, size_t len);
int uaccess_put(abi_ulong dst, const void *src, size_t len);
int uaccess_get_u64(uint64_t *val, abi_ulong addr);
int uaccess_put_u64(abi_ulong addr, uint64_t val);
int uaccess_get_u32(uint32_t *val, abi_ulong addr);
int uaccess_put_u32(abi_ulong addr, uint32_t val);
/*
 * A guest NUL-terminated string of at most `max` bytes (including the
 * NUL): a host pointer into guest memory, or NULL (*err = -EFAULT or
 * -ENAMETOOLONG).
 */
const char *uaccess_str(abi_ulong addr, size_t max, int *err);

/* ---- process and threads ---- */

/* Guest signal set: one bit per signal 1..64 (bit n-1). */
typedef uint64_t GuestSigset;
#define GUEST_NSIG 64

typedef struct GuestSigaction {
    abi_ulong handler; /* SIG_DFL 0, SIG_IGN 1, or the guest function */
    abi_ulong flags;
    abi_ulong restorer; /* SA_RESTORER (riscv has none: 0) */
    GuestSigset mask;
} GuestSigaction;

typedef struct GuestSiginfo {
    int signo, errno_, code;
    /* The union as 112 bytes in guest layout (what the frame holds). */
    union {
        uint8_t raw[112];
        struct {
            abi_ulong addr;
        } fault;
    } u;
} GuestSiginfo;

/* Per guest thread (QEMU's TaskState). */
typedef struct UserThread {
    CPUState *cpu;
    pid_t tid;
    abi_ulong clear_child_tid; /* set_tid_address / CLONE_CHILD_CLEARTID */
    GuestSigset sigmask;       /* blocked */
    GuestSigset host_mask;     /* what the host thread mask was last set from */
    bool host_mask_valid;
    /* Saved mask while rt_sigsuspend / pselect / ppoll run with a temporary one. */
    GuestSigset saved_sigmask;
    bool in_sigsuspend;
    /* sigaltstack */
    abi_ulong ss_sp, ss_size;
    int ss_flags;
    /*
     * Signals sent to this thread, one per number (bit n-1 of pend_set),
     * written by the host signal handler: no allocation there.
     */
    GuestSiginfo pend_info[GUEST_NSIG + 1];
    volatile uint64_t pend_set;
    /* A synchronous fault to deliver before anything else. */
    bool sync_pending;
    GuestSiginfo sync_info;
    /* Non-zero: something may be deliverable; checked by safe_syscall and the loop. */
    volatile int signal_pending;
    /* The last syscall returned USER_ERESTARTSYS (decided at delivery). */
    bool syscall_restart;
} UserThread;

/* The emulated process: options that an execve passes on, and files. */
typedef struct UserProcess {
    char *exe_path;      /* absolute host path of the guest executable */
    int exe_fd;          /* kept open: /proc/self/exe, AT_EXECFD */
    char *interp_prefix; /* -L */
    char **morph_argv; /* morph's own options, for execve */
    int morph_argc;
    char *self_exe;                /* host path of morph itself */
    abi_ulong auxv_addr, auxv_len; /* the auxv on the guest stack (/proc/self/auxv) */
    abi_ulong sigtramp;            /* rt_sigreturn trampoline (guest address) */
    abi_ulong stack_limit;         /* lowest address of the main stack */
    uint64_t stack_size;           /* -s */
    char *uname_release;           /* -r */
    char **guest_argv;             /* as the guest was started (/proc/self/cmdline) */
    bool strace;
    bool jit_stats; /* -jit-stats: translator statistics at exit */
} UserProcess;

extern UserProcess user_process;

UserThread *user_thread_self(void);
void user_thread_set_self(UserThread *ts);

/* ---- what the target's linux-user bits provide (linux-user/<arch>/) ---- */

typedef struct UserTargetInfo {
    const char *name;     /* "riscv64" */
    uint16_t elf_machine; /* EM_RISCV */
    const char *platform; /* AT_PLATFORM or NULL */
    unsigned page_bits;
    abi_ulong task_size;     /* top of the user address space */
    abi_ulong et_dyn_base;   /* where a PIE main program goes */
    abi_ulong mmap_base_gap; /* minimum gap between the stack and the mmap area */
    const TargetOps *ops;    /* the target's hooks for accel/tcg */
} UserTargetInfo;

extern const UserTargetInfo user_target;

/* Select the CPU model (-cpu); NULL: the default.  `-cpu help` lists them. */
bool target_cpu_select(const char *model, Error **errp);
void target_cpu_list(FILE *out);
/* A new vCPU for the main thread, in user mode, registers zeroed. */
CPUState *target_cpu_create(void);
/* A vCPU for a new thread: a copy of `parent` with the clone ABI applied. */
CPUState *target_cpu_clone(CPUState *parent, abi_ulong newsp, bool set_tls, abi_ulong tls);
void target_cpu_free(CPUState *cs);
/* Start state: pc and sp (argc at sp); the ABI's other registers zero. */
void target_cpu_set_start(CPUState *cs, abi_ulong pc, abi_ulong sp);
/* The child's side of a fork-like clone: return 0, optionally a new sp. */
void target_cpu_fork_child(CPUState *cs, abi_ulong newsp);
/* AT_HWCAP, and the ISA string for /proc/cpuinfo. */
abi_ulong target_hwcap(CPUState *cs);
char *target_cpuinfo(CPUState *cs, int ncpus);
/* The guest's stack pointer, and the pc (for messages). */
abi_ulong target_cpu_sp(CPUState *cs);
abi_ulong target_cpu_pc(CPUState *cs);
/*
 * The last syscall returned USER_ERESTARTSYS and a handler without
 * SA_RESTART runs: make it return -EINTR instead of re-executing.
 */
void target_cpu_syscall_eintr(CPUState *cs);
/* Run the guest for ever (the cpu loop); only exit/exit_group/signals end it. */
__attribute__((noreturn)) void target_cpu_loop(CPUState *cs);
/* The code of the rt_sigreturn trampoline (placed in a guest page). */
extern const uint8_t target_sigtramp_code[];
extern const size_t target_sigtramp_size;

#endif
