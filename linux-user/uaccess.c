/*
 * Guest memory as system calls see it: every guest pointer a syscall
 * receives is checked against the guest's map (mmap.c) for the access the
 * kernel would make, and only then turned into a host pointer, so a bad
 * pointer gives the guest -EFAULT, as the kernel's copy_from_user does,
 * and never reaches host memory outside the guest reservation.  Before the
 * host kernel writes into a page that accel/tcg has write-protected
 * because it holds translated code, the page is unprotected through
 * mmap_unprotect_hook (its TBs are dropped).
 */
#include "user.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

void *uaccess_ptr(abi_ulong addr, abi_ulong len, int prot)
{
    if (len == 0) {
        return guest_range_in_va(addr, 0) ? g2h(addr) : NULL;
    }
    if (!mmap_check_range(addr, len, prot)) {
        return NULL;
    }
    if ((prot & PROT_WRITE) && mmap_unprotect_hook) {
        mmap_unprotect_hook(addr, len);
    }
    return g2h(addr);
}

int uaccess_get(void *dst, abi_ulong src, size_t len)
{
    void *p = uaccess_ptr(src, len, PROT_READ);

    if (!p) {
        return -EFAULT;
    }
    memcpy(dst, p, len);
    return 0;
}

int uaccess_put(abi_ulong dst, const void *src, size_t len)
{
    void *p = uaccess_ptr(dst, len, PROT_WRITE);

    if (!p) {
        return -EFAULT;
    }
    memcpy(p, src, len);
    return 0;
}

int uaccess_get_u64(uint64_t *val, abi_ulong addr)
{
    return uaccess_get(val, addr, sizeof(*val));
}

int uaccess_put_u64(abi_ulong addr, uint64_t val)
{
    return uaccess_put(addr, &val, sizeof(val));
}

int uaccess_get_u32(uint32_t *val, abi_ulong addr)
{
    return uaccess_get(val, addr, sizeof(*val));
}

int uaccess_put_u32(abi_ulong addr, uint32_t val)
{
    return uaccess_put(addr, &val, sizeof(val));
}

const char *uaccess_str(abi_ulong addr, size_t max, int *err)
{
    size_t done = 0;

    /* Check page by page: the string may end just before an unmapped page. */
    while (done < max) {
        abi_ulong at = addr + done;
        size_t chunk = mmap_guest_page_size - (at & (mmap_guest_page_size - 1));
        const char *p;
        const char *nul;

        if (at < addr) {
            break;
        }
        chunk = chunk < max - done ? chunk : max - done;
        if (!mmap_check_range(at, chunk, PROT_READ)) {
            *err = -EFAULT;
            return NULL;
        }
        p = g2h(at);
        nul = memchr(p, 0, chunk);
        if (nul) {
            return g2h(addr);
        }
        done += chunk;
    }
    *err = done >= max ? -ENAMETOOLONG : -EFAULT;
    return NULL;
}
