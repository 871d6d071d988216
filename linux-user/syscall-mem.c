/*
 * Memory system calls: the mmap family on the guest map (mmap.c), brk,
 * and the mlock family, which succeed without doing anything, as a
 * kernel with enough lockable memory would.
 */
#include "syscall.h"

#include <sys/mman.h>

#include "syscall-nr.h"

static abi_long sys_mmap(CPUState *cs, const abi_ulong *a)
{
    return mmap_map(a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
}

static abi_long sys_munmap(CPUState *cs, const abi_ulong *a)
{
    return mmap_unmap(a[0], a[1]);
}

static abi_long sys_mprotect(CPUState *cs, const abi_ulong *a)
{
    return mmap_protect(a[0], a[1], (int)a[2]);
}

static abi_long sys_mremap(CPUState *cs, const abi_ulong *a)
{
    return mmap_remap(a[0], a[1], a[2], (int)a[3], a[4]);
}

static abi_long sys_madvise(CPUState *cs, const abi_ulong *a)
{
    return mmap_advise(a[0], a[1], (int)a[2]);
}

static abi_long sys_msync(CPUState *cs, const abi_ulong *a)
{
    return mmap_sync(a[0], a[1], (int)a[2]);
}

static abi_long sys_brk(CPUState *cs, const abi_ulong *a)
{
    return mmap_brk(a[0]);
}

static abi_long sys_mlock_family(CPUState *cs, const abi_ulong *a)
{
    return 0;
}

static abi_long sys_mincore(CPUState *cs, const abi_ulong *a)
{
    abi_ulong pages = GUEST_PAGE_ALIGN(a[1]) / mmap_guest_page_size;

    if (a[0] & (mmap_guest_page_size - 1)) {
        return -EINVAL;
    }
    if (!mmap_check_range(a[0], a[1], 0)) {
        return -ENOMEM;
    }
    GPTR(vec, a[2], pages, PROT_WRITE);
    return syscall_ret(mincore(g2h(a[0]), a[1], vec));
}

const SyscallDef syscall_mem_defs[] = {
    {TARGET_NR_mmap, "mmap", sys_mmap, "xuxxfx"},
    {TARGET_NR_munmap, "munmap", sys_munmap, "xu"},
    {TARGET_NR_mprotect, "mprotect", sys_mprotect, "xux"},
    {TARGET_NR_mremap, "mremap", sys_mremap, "xuuxx"},
    {TARGET_NR_madvise, "madvise", sys_madvise, "xud"},
    {TARGET_NR_msync, "msync", sys_msync, "xux"},
    {TARGET_NR_brk, "brk", sys_brk, "x"},
    {TARGET_NR_mlock, "mlock", sys_mlock_family, "xu"},
    {TARGET_NR_mlock2, "mlock2", sys_mlock_family, "xux"},
    {TARGET_NR_munlock, "munlock", sys_mlock_family, "xu"},
    {TARGET_NR_mlockall, "mlockall", sys_mlock_family, "x"},
    {TARGET_NR_munlockall, "munlockall", sys_mlock_family, ""},
    {TARGET_NR_mincore, "mincore", sys_mincore, "xup"},
    {0, NULL, NULL, NULL},
};
