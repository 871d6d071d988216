/*
 * The guest address space of user mode: one host reservation of
 * mmap_reserved_va bytes at guest_base, inside which every guest
 * mapping lives at guest_base + addr, and the guest's map of it (the VMA
 * list that mmap, munmap, mprotect, mremap and brk edit and that
 * /proc/self/maps shows).  Pages the guest has not mapped stay reserved
 * PROT_NONE, so a stray guest access faults instead of reaching host
 * memory, and nothing of morph's own is ever placed inside the range.
 *
 * Semantics follow Linux's mm/mmap.c, mm/mprotect.c and mm/mremap.c
 * (error codes, top-down placement of non-fixed mappings).  Sizes are in
 * guest pages; the host page must not be larger than the guest page (the
 * host maps at guest-page granularity then), which mmap_reserve() checks.
 */
#include "user.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

uint64_t mmap_reserved_va;
uint64_t mmap_guest_page_size = 4096;
uint64_t mmap_host_page_size = 4096;
bool (*mmap_unprotect_hook)(abi_ulong addr, abi_ulong len);
void (*mmap_page_flags_hook)(abi_ulong start, abi_ulong end, int prot, bool mapped);

static GRecMutex mmap_mutex;
/* Sorted by start, non-overlapping. */
static GArray *mmap_vmas;
static abi_ulong mmap_min_addr = 0x10000;
static abi_ulong mmap_top;
static abi_ulong mmap_brk_start, mmap_brk_cur;

void mmap_lock(void)
{
    g_rec_mutex_lock(&mmap_mutex);
}

void mmap_unlock(void)
{
    g_rec_mutex_unlock(&mmap_mutex);
}

void mmap_fork_child(void)
{
    g_rec_mutex_init(&mmap_mutex);
}

static MmapVma *mmap_vma_at(guint i)
{
    return &g_array_index(mmap_vmas, MmapVma, i);
}

static void mmap_vma_clear(gpointer p)
{
    MmapVma *v = p;

    g_free(v->name);
    v->name = NULL;
}

/*
 * Guard regions on both sides of the guest space when morph picks the
 * place: generated code adds guest_base to any 64-bit guest address, so a
 * wild address a little outside the space (a small negative one, or one
 * just past the top) lands on PROT_NONE pages and faults instead of
 * reaching morph's own memory.  (A deliberately far address is not caught
 * this way; that would take a bound in the generated code.)
 */
#define MMAP_GUARD (1ULL << 40)

static uint64_t mmap_guard_lo, mmap_guard_hi;

bool mmap_reserve(uint64_t base_hint, uint64_t size, uint64_t guest_page_size, Error **errp)
{
    long hps = sysconf(_SC_PAGESIZE);
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    uint64_t guard = base_hint ? 0 : MMAP_GUARD;
    void *p;

    if (hps <= 0 || (uint64_t)hps > guest_page_size) {
        error_setg(errp, "host page size %ld is larger than the guest page size %llu", hps,
                   (unsigned long long)guest_page_size);
        return false;
    }
    if (size == 0 || size % guest_page_size || base_hint % (uint64_t)hps) {
        error_setg(errp, "invalid guest address space reservation 0x%llx at 0x%llx",
                   (unsigned long long)size, (unsigned long long)base_hint);
        return false;
    }
    if (base_hint) {
        flags |= MAP_FIXED_NOREPLACE;
    }
    /* With guards if the host has room for them, else without. */
    p = mmap((void *)(uintptr_t)base_hint, size + 2 * guard, PROT_NONE, flags, -1, 0);
    if (p == MAP_FAILED && guard) {
        guard = 0;
        p = mmap(NULL, size, PROT_NONE, flags, -1, 0);
    }
    if (p == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot reserve 0x%llx bytes of guest address space",
                         (unsigned long long)size);
        return false;
    }
    if (base_hint && p != (void *)(uintptr_t)base_hint) {
        munmap(p, size);
        error_setg(errp, "cannot reserve guest address space at 0x%llx",
                   (unsigned long long)base_hint);
        return false;
    }
    mmap_guard_lo = mmap_guard_hi = guard;
    guest_base = (uintptr_t)p + guard;
    mmap_reserved_va = size;
    mmap_guest_page_size = guest_page_size;
    mmap_host_page_size = hps;
    mmap_top = size;
    if (mmap_min_addr >= size) {
        mmap_min_addr = guest_page_size;
    }
    mmap_vmas = g_array_new(FALSE, TRUE, sizeof(MmapVma));
    g_array_set_clear_func(mmap_vmas, mmap_vma_clear);
    return true;
}

void mmap_teardown(void)
{
    if (mmap_vmas) {
        g_array_free(mmap_vmas, TRUE);
        mmap_vmas = NULL;
    }
    if (mmap_reserved_va) {
        munmap((void *)(guest_base - mmap_guard_lo),
               mmap_reserved_va + mmap_guard_lo + mmap_guard_hi);
    }
    guest_base = 0;
    mmap_reserved_va = 0;
    mmap_guard_lo = mmap_guard_hi = 0;
    mmap_min_addr = 0x10000;
    mmap_top = 0;
    mmap_brk_start = mmap_brk_cur = 0;
}

bool mmap_host_in_guest_area(uintptr_t host)
{
    return host - (guest_base - mmap_guard_lo) < mmap_reserved_va + mmap_guard_lo + mmap_guard_hi;
}

void mmap_set_layout(abi_ulong min_addr, abi_ulong top)
{
    mmap_min_addr = min_addr;
    mmap_top = MIN(top, mmap_reserved_va);
}

/* Index of the first VMA whose end is above addr (== len if none). */
static guint mmap_vma_search(abi_ulong addr)
{
    guint lo = 0, hi = mmap_vmas->len;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;

        if (mmap_vma_at(mid)->end <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Make addr a VMA boundary (split the VMA that straddles it). */
static void mmap_vma_split(abi_ulong addr)
{
    guint i = mmap_vma_search(addr);
    MmapVma *v, tail;

    if (i == mmap_vmas->len) {
        return;
    }
    v = mmap_vma_at(i);
    if (v->start >= addr) {
        return;
    }
    tail = *v;
    tail.start = addr;
    if (!(tail.flags & VMA_ANON) || tail.name) {
        tail.offset += addr - v->start;
    }
    tail.name = g_strdup(v->name);
    v->end = addr;
    g_array_insert_val(mmap_vmas, i + 1, tail);
}

static bool mmap_vma_mergeable(const MmapVma *a, const MmapVma *b)
{
    if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->dev != b->dev ||
        a->inode != b->inode || g_strcmp0(a->name, b->name) != 0) {
        return false;
    }
    return (a->flags & VMA_ANON) || a->offset + (a->end - a->start) == b->offset;
}

/* Merge neighbours around [start, end) that Linux would merge too. */
static void mmap_vma_merge_around(abi_ulong start, abi_ulong end)
{
    guint i = mmap_vma_search(start > 0 ? start - 1 : 0);

    while (i + 1 < mmap_vmas->len && mmap_vma_at(i)->start <= end) {
        MmapVma *a = mmap_vma_at(i), *b = mmap_vma_at(i + 1);

        if (mmap_vma_mergeable(a, b)) {
            a->end = b->end;
            g_array_remove_index(mmap_vmas, i + 1);
        } else {
            i++;
        }
    }
}

static void mmap_vma_remove(abi_ulong start, abi_ulong end)
{
    guint i, n = 0;

    mmap_vma_split(start);
    mmap_vma_split(end);
    i = mmap_vma_search(start);
    while (i + n < mmap_vmas->len && mmap_vma_at(i + n)->start < end) {
        n++;
    }
    if (n) {
        g_array_remove_range(mmap_vmas, i, n);
    }
}

static void mmap_vma_add(const MmapVma *v)
{
    mmap_vma_remove(v->start, v->end);
    g_array_insert_val(mmap_vmas, mmap_vma_search(v->start), *v);
    mmap_vma_merge_around(v->start, v->end);
}

static bool mmap_range_free(abi_ulong start, abi_ulong end)
{
    guint i = mmap_vma_search(start);

    return i == mmap_vmas->len || mmap_vma_at(i)->start >= end;
}

static bool mmap_range_mapped(abi_ulong start, abi_ulong end, int prot)
{
    guint i = mmap_vma_search(start);
    abi_ulong at = start;

    for (; at < end; i++) {
        MmapVma *v;

        if (i == mmap_vmas->len) {
            return false;
        }
        v = mmap_vma_at(i);
        if (v->start > at || (v->prot & prot) != prot) {
            return false;
        }
        at = v->end;
    }
    return true;
}

bool mmap_check_range(abi_ulong addr, abi_ulong len, int prot)
{
    abi_ulong start, end;
    bool ok;

    if (len == 0) {
        return true;
    }
    if (!guest_range_in_va(addr, len)) {
        return false;
    }
    start = addr & GUEST_PAGE_MASK;
    end = GUEST_PAGE_ALIGN(addr + len);
    mmap_lock();
    ok = mmap_range_mapped(start, end, prot);
    mmap_unlock();
    return ok;
}

abi_ulong mmap_find_free(abi_ulong hint, abi_ulong len, abi_ulong align)
{
    abi_ulong top = mmap_top;
    guint i;

    if (align < mmap_guest_page_size) {
        align = mmap_guest_page_size;
    }
    if (len == 0 || len > mmap_reserved_va) {
        return (abi_ulong)-1;
    }
    if (hint && hint % align == 0 && hint >= mmap_min_addr && guest_range_in_va(hint, len) &&
        mmap_range_free(hint, hint + len)) {
        return hint;
    }
    /* Walk the gaps from the top of the mmap area down. */
    i = mmap_vma_search(top);
    for (;;) {
        abi_ulong gap_lo = i == 0 ? 0 : mmap_vma_at(i - 1)->end;
        abi_ulong gap_hi = top;

        if (i < mmap_vmas->len && mmap_vma_at(i)->start < gap_hi) {
            gap_hi = mmap_vma_at(i)->start;
        }
        gap_lo = MAX(gap_lo, mmap_min_addr);
        if (gap_hi > gap_lo && gap_hi - gap_lo >= len) {
            abi_ulong a = (gap_hi - len) & ~(align - 1);

            if (a >= gap_lo) {
                return a;
            }
        }
        if (i == 0 || mmap_vma_at(i - 1)->end <= mmap_min_addr) {
            return (abi_ulong)-1;
        }
        top = mmap_vma_at(i - 1)->start;
        i--;
    }
}

static int mmap_host_prot(int prot)
{
    int p = prot & (PROT_READ | PROT_WRITE);

    /* The translator reads guest code through the host mapping. */
    if (prot & PROT_EXEC) {
        p |= PROT_READ;
    }
    return p;
}

/* Put [start, end) back to reserved PROT_NONE in the host. */
static void mmap_host_reserve(abi_ulong start, abi_ulong end)
{
    void *p = mmap(g2h(start), end - start, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

    if (p == MAP_FAILED) {
        /* The range is ours; losing it would let host mappings in. */
        fprintf(stderr, "morph: cannot re-reserve guest range 0x%llx-0x%llx: %s\n",
                (unsigned long long)start, (unsigned long long)end, strerror(errno));
        abort();
    }
}

static void mmap_notify(abi_ulong start, abi_ulong end, int prot, bool mapped)
{
    if (mmap_page_flags_hook) {
        mmap_page_flags_hook(start, end, prot, mapped);
    }
}

static void mmap_describe_fd(MmapVma *v, int fd)
{
    struct stat st;
    char link[64], path[4096];
    ssize_t n;

    if (fstat(fd, &st) == 0) {
        v->dev = st.st_dev;
        v->inode = st.st_ino;
    }
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, path, sizeof(path) - 1);
    if (n > 0) {
        path[n] = '\0';
        v->name = g_strdup(path);
    }
}

abi_long mmap_map(abi_ulong addr, abi_ulong len, int prot, int flags, int fd, uint64_t offset)
{
    int type = flags & MAP_SHARED_VALIDATE;
    int hflags;
    abi_ulong alen;
    MmapVma v = {0};
    void *p;

    if (len == 0 || (offset & (mmap_guest_page_size - 1)) ||
        (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE) ||
        (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))) {
        return -EINVAL;
    }
    alen = GUEST_PAGE_ALIGN(len);
    if (alen < len || alen > mmap_reserved_va) {
        return -ENOMEM;
    }
    if (!(flags & MAP_ANONYMOUS) && offset + alen < offset) {
        return -EOVERFLOW;
    }
    hflags = type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED;
    hflags |= flags & (MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE | MAP_LOCKED | MAP_NONBLOCK);

    mmap_lock();
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (mmap_guest_page_size - 1)) {
            mmap_unlock();
            return -EINVAL;
        }
        if (!guest_range_in_va(addr, alen)) {
            mmap_unlock();
            return -ENOMEM;
        }
        if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
            !mmap_range_free(addr, addr + alen)) {
            mmap_unlock();
            return -EEXIST;
        }
    } else {
        addr = mmap_find_free(addr & GUEST_PAGE_MASK, alen, 0);
        if (addr == (abi_ulong)-1) {
            mmap_unlock();
            return -ENOMEM;
        }
    }

    p = mmap(g2h(addr), alen, mmap_host_prot(prot), hflags | MAP_FIXED,
             (flags & MAP_ANONYMOUS) ? -1 : fd, (flags & MAP_ANONYMOUS) ? 0 : offset);
    if (p == MAP_FAILED) {
        int err = errno;

        /* The old contents of a MAP_FIXED range are gone only on success. */
        mmap_unlock();
        return -err;
    }
    v.start = addr;
    v.end = addr + alen;
    v.prot = prot;
    if (flags & MAP_ANONYMOUS) {
        v.flags |= VMA_ANON;
    } else {
        v.offset = offset;
        mmap_describe_fd(&v, fd);
    }
    if (type != MAP_PRIVATE) {
        v.flags |= VMA_SHARED;
    }
    mmap_vma_add(&v);
    mmap_notify(v.start, v.end, prot, true);
    mmap_unlock();
    return addr;
}

abi_long mmap_unmap(abi_ulong addr, abi_ulong len)
{
    abi_ulong end;

    if ((addr & (mmap_guest_page_size - 1)) || len == 0) {
        return -EINVAL;
    }
    end = GUEST_PAGE_ALIGN(addr + len);
    if (end < addr || !guest_range_in_va(addr, end - addr)) {
        return -EINVAL;
    }
    mmap_lock();
    if (!mmap_range_free(addr, end)) {
        mmap_host_reserve(addr, end);
        mmap_vma_remove(addr, end);
        mmap_notify(addr, end, 0, false);
    }
    mmap_unlock();
    return 0;
}

abi_long mmap_protect(abi_ulong addr, abi_ulong len, int prot)
{
    abi_ulong end;
    guint i;

    prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
    if ((addr & (mmap_guest_page_size - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    end = GUEST_PAGE_ALIGN(addr + len);
    if (end <= addr || !guest_range_in_va(addr, end - addr)) {
        return -ENOMEM;
    }
    mmap_lock();
    if (!mmap_range_mapped(addr, end, 0)) {
        mmap_unlock();
        return -ENOMEM;
    }
    if (mprotect(g2h(addr), end - addr, mmap_host_prot(prot)) != 0) {
        int err = errno;

        mmap_unlock();
        return -err;
    }
    mmap_vma_split(addr);
    mmap_vma_split(end);
    for (i = mmap_vma_search(addr); i < mmap_vmas->len && mmap_vma_at(i)->start < end; i++) {
        mmap_vma_at(i)->prot = prot;
    }
    mmap_vma_merge_around(addr, end);
    mmap_notify(addr, end, prot, true);
    mmap_unlock();
    return 0;
}

/* The VMA that holds all of [start, end), or NULL. */
static MmapVma *mmap_vma_covering(abi_ulong start, abi_ulong end)
{
    guint i = mmap_vma_search(start);
    MmapVma *v;

    if (i == mmap_vmas->len) {
        return NULL;
    }
    v = mmap_vma_at(i);
    return v->start <= start && v->end >= end ? v : NULL;
}

abi_long mmap_remap(abi_ulong old_addr, abi_ulong old_len, abi_ulong new_len, int flags,
                    abi_ulong new_addr)
{
    abi_ulong old_end, dest;
    MmapVma *v, moved;
    void *p;

    if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) ||
        (old_addr & (mmap_guest_page_size - 1)) ||
        ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || (flags & MREMAP_DONTUNMAP) ||
        new_len == 0) {
        /* DONTUNMAP (a userfaultfd aid) is not provided. */
        return -EINVAL;
    }
    old_len = GUEST_PAGE_ALIGN(old_len);
    new_len = GUEST_PAGE_ALIGN(new_len);
    if (new_len == 0 || !guest_range_in_va(old_addr, old_len) || old_len == 0) {
        return old_len == 0 ? -EINVAL : -EFAULT;
    }
    old_end = old_addr + old_len;

    mmap_lock();
    v = mmap_vma_covering(old_addr, old_end);
    if (!v) {
        mmap_unlock();
        return -EFAULT;
    }
    if (!(flags & MREMAP_FIXED)) {
        if (new_len <= old_len) {
            if (new_len < old_len) {
                mmap_host_reserve(old_addr + new_len, old_end);
                mmap_vma_remove(old_addr + new_len, old_end);
                mmap_notify(old_addr + new_len, old_end, 0, false);
            }
            mmap_unlock();
            return old_addr;
        }
        /* Grow in place when the pages after it are free and it is not shared anon. */
        if (guest_range_in_va(old_addr, new_len) && mmap_range_free(old_end, old_addr + new_len) &&
            !((v->flags & VMA_ANON) && (v->flags & VMA_SHARED))) {
            MmapVma ext = *v;
            int fd = -1;

            ext.start = old_end;
            ext.end = old_addr + new_len;
            ext.name = g_strdup(v->name);
            if (!(v->flags & VMA_ANON)) {
                ext.offset = v->offset + (old_end - v->start);
                /* Re-open the file through the existing mapping's path. */
                fd = v->name ? open(v->name, (v->prot & PROT_WRITE) && (v->flags & VMA_SHARED)
                                                 ? O_RDWR
                                                 : O_RDONLY)
                             : -1;
            }
            if ((v->flags & VMA_ANON) || fd >= 0) {
                p = mmap(g2h(ext.start), ext.end - ext.start, mmap_host_prot(ext.prot),
                         ((v->flags & VMA_SHARED) ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED |
                             (fd < 0 ? MAP_ANONYMOUS : 0),
                         fd, fd < 0 ? 0 : ext.offset);
                if (fd >= 0) {
                    close(fd);
                }
                if (p != MAP_FAILED) {
                    mmap_vma_add(&ext);
                    mmap_notify(ext.start, ext.end, ext.prot, true);
                    mmap_unlock();
                    return old_addr;
                }
            }
            g_free(ext.name);
        }
        if (!(flags & MREMAP_MAYMOVE)) {
            mmap_unlock();
            return -ENOMEM;
        }
        dest = mmap_find_free(0, new_len, 0);
        if (dest == (abi_ulong)-1) {
            mmap_unlock();
            return -ENOMEM;
        }
    } else {
        dest = new_addr;
        if ((dest & (mmap_guest_page_size - 1)) || !guest_range_in_va(dest, new_len)) {
            mmap_unlock();
            return -EINVAL;
        }
        if (dest < old_end && old_addr < dest + new_len) {
            mmap_unlock();
            return -EINVAL;
        }
    }
    /* The host moves the pages; the old range is then re-reserved at once. */
    p = mremap(g2h(old_addr), old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, g2h(dest));
    if (p == MAP_FAILED) {
        int err = errno;

        mmap_unlock();
        return -err;
    }
    mmap_host_reserve(old_addr, old_end);
    moved = *v;
    moved.name = g_strdup(v->name);
    moved.offset = v->offset + (old_addr - v->start);
    moved.start = dest;
    moved.end = dest + new_len;
    mmap_vma_remove(old_addr, old_end);
    mmap_vma_add(&moved);
    mmap_notify(old_addr, old_end, 0, false);
    mmap_notify(moved.start, moved.end, moved.prot, true);
    mmap_unlock();
    return dest;
}

abi_long mmap_advise(abi_ulong addr, abi_ulong len, int advice)
{
    abi_ulong end;

    if (addr & (mmap_guest_page_size - 1)) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    end = GUEST_PAGE_ALIGN(addr + len);
    if (end <= addr || !guest_range_in_va(addr, end - addr)) {
        return -EINVAL;
    }
    switch (advice) {
    case MADV_DONTNEED:
    case MADV_FREE:
    case MADV_WILLNEED:
    case MADV_REMOVE:
        /* These change contents or paging: the host must see them. */
        mmap_lock();
        if (!mmap_range_mapped(addr, end, 0)) {
            mmap_unlock();
            return -ENOMEM;
        }
        if (madvise(g2h(addr), end - addr, advice) != 0) {
            int err = errno;

            mmap_unlock();
            return -err;
        }
        mmap_unlock();
        return 0;
    default:
        /* Hints (HUGEPAGE, DONTFORK, MERGEABLE...): accepted, as a kernel without them does. */
        return 0;
    }
}

abi_long mmap_sync(abi_ulong addr, abi_ulong len, int flags)
{
    abi_ulong end;

    if ((addr & (mmap_guest_page_size - 1)) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC))) {
        return -EINVAL;
    }
    end = GUEST_PAGE_ALIGN(addr + len);
    if (end < addr || !guest_range_in_va(addr, end - addr)) {
        return -ENOMEM;
    }
    if (end == addr) {
        return 0;
    }
    if (!mmap_check_range(addr, end - addr, 0)) {
        return -ENOMEM;
    }
    return msync(g2h(addr), end - addr, flags) == 0 ? 0 : -errno;
}

void mmap_set_brk(abi_ulong start)
{
    mmap_brk_start = mmap_brk_cur = start;
}

abi_long mmap_brk(abi_ulong new_brk)
{
    abi_ulong old_top, new_top;
    abi_long r;

    mmap_lock();
    if (new_brk < mmap_brk_start || new_brk > mmap_reserved_va) {
        r = mmap_brk_cur;
        mmap_unlock();
        return r;
    }
    old_top = GUEST_PAGE_ALIGN(mmap_brk_cur);
    new_top = GUEST_PAGE_ALIGN(new_brk);
    if (new_top > old_top) {
        if (!mmap_range_free(old_top, new_top) ||
            mmap_map(old_top, new_top - old_top, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) < 0) {
            r = mmap_brk_cur;
            mmap_unlock();
            return r;
        }
        mmap_set_name(old_top, new_top, NULL, 0, VMA_ANON | VMA_HEAP);
    } else if (new_top < old_top) {
        mmap_unmap(new_top, old_top - new_top);
    }
    mmap_brk_cur = new_brk;
    mmap_unlock();
    return new_brk;
}

void mmap_set_name(abi_ulong start, abi_ulong end, const char *name, uint64_t offset, int vma_flags)
{
    guint i;

    mmap_lock();
    mmap_vma_split(start);
    mmap_vma_split(end);
    for (i = mmap_vma_search(start); i < mmap_vmas->len && mmap_vma_at(i)->start < end; i++) {
        MmapVma *v = mmap_vma_at(i);

        if (name) {
            g_free(v->name);
            v->name = g_strdup(name);
            v->offset = offset + (v->start - start);
        }
        v->flags = vma_flags;
    }
    mmap_vma_merge_around(start, end);
    mmap_unlock();
}

void mmap_foreach(void (*fn)(const MmapVma *vma, void *opaque), void *opaque)
{
    guint i;

    mmap_lock();
    for (i = 0; i < mmap_vmas->len; i++) {
        fn(mmap_vma_at(i), opaque);
    }
    mmap_unlock();
}
