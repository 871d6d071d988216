/*
 * Guest RAM and access to guest memory for devices and loaders (contract
 * in include/system/memory.h; the model is QEMU's softmmu/physmem.c).
 *
 * RAM blocks are anonymous private memory (sparse until touched) with
 * transparent huge pages requested, as QEMU's default RAM: Debian's kernel
 * gives huge pages to anonymous memory on request but not to a memfd
 * (shmem_enabled=never), and with 4 KiB pages the host's page faults were
 * a fifth of a Linux boot.  A RAMBlock keeps an `fd` for a file- or
 * memfd-backed block (cpr-exec, a shared memory backend) when one exists.
 * Device accesses (DMA) find RAM through the flattened view and
 * copy; whatever else lies under them is reached through the regions'
 * dispatch, so the same rules hold as for a vCPU.  Writes to RAM drop the
 * translated code made from the bytes written.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "exec/cpu-exec.h"
#include "util/log.h"
#include "memory-internal.h"

/* ---- RAM blocks */

static GMutex ram_list_lock;
static RAMBlock *ram_list;

RAMBlock *ram_block_new(const char *name, uint64_t size, Error **errp)
{
    RAMBlock *rb;
    void *host;

    if (size == 0) {
        error_setg(errp, "cannot set up guest memory '%s': size is zero", name);
        return NULL;
    }
    host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                -1, 0);
    if (host == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'", name);
        return NULL;
    }
    /*
     * Transparent huge pages: a guest touches its RAM a page at a time, and
     * a 4 KiB host fault per guest page is a large part of a boot (QEMU
     * asks for the same).  Advice only; refusal changes nothing else.
     */
    (void)madvise(host, size, MADV_HUGEPAGE);
    rb = g_new0(RAMBlock, 1);
    rb->name = g_strdup(name);
    rb->host = host;
    rb->size = size;
    rb->fd = -1;
    rb->owned = true;

    g_mutex_lock(&ram_list_lock);
    {
        RAMBlock **p = &ram_list;

        while (*p) {
            p = &(*p)->next;
        }
        *p = rb;
    }
    g_mutex_unlock(&ram_list_lock);
    return rb;
}

void ram_block_free(RAMBlock *rb)
{
    RAMBlock **p;

    if (!rb) {
        return;
    }
    g_mutex_lock(&ram_list_lock);
    for (p = &ram_list; *p; p = &(*p)->next) {
        if (*p == rb) {
            *p = rb->next;
            break;
        }
    }
    g_mutex_unlock(&ram_list_lock);
    if (rb->owned) {
        munmap(rb->host, rb->size);
    }
    if (rb->fd >= 0) {
        close(rb->fd);
    }
    g_free(rb->name);
    g_free(rb);
}

void ram_block_foreach(void (*fn)(RAMBlock *rb, void *opaque), void *opaque)
{
    g_mutex_lock(&ram_list_lock);
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        fn(rb, opaque);
    }
    g_mutex_unlock(&ram_list_lock);
}

/* ---- reads and writes */

static bool section_is_ram(const MemoryRegionSection *s)
{
    return s->mr && s->mr->type == MR_RAM;
}

static uint8_t *section_host(const MemoryRegionSection *s, hwaddr addr)
{
    return s->mr->ram_ptr + s->offset_in_region + (addr - s->start);
}

/* The largest naturally aligned power of two <= 8 that fits at addr within len. */
static unsigned io_chunk(hwaddr addr, hwaddr len)
{
    unsigned n = 8;

    while (n > 1 && ((addr & (n - 1)) || n > len)) {
        n >>= 1;
    }
    return n;
}

static MemOp size_memop(unsigned n)
{
    return n == 8 ? MO_64 : n == 4 ? MO_32 : n == 2 ? MO_16 : MO_8;
}

/* rom: loader writes, which also fill ROM and skip I/O. */
static MemTxResult as_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, uint8_t *buf,
                         hwaddr len, bool is_write, bool rom)
{
    MemTxResult result = MEMTX_OK;

    while (len > 0) {
        MemoryRegionSection *s = address_space_lookup(as, addr);
        hwaddr avail = s->last - addr;
        hwaddr n = avail >= len - 1 ? len : avail + 1;

        if (section_is_ram(s)) {
            if (!is_write) {
                memcpy(buf, section_host(s, addr), n);
            } else if (!s->readonly || rom) {
                memcpy(section_host(s, addr), buf, n);
                tb_invalidate_phys_range(addr, addr + n - 1);
            }
        } else if (rom) {
            /* A loader skips what is not memory. */
        } else {
            unsigned c = io_chunk(addr, n);
            uint64_t v = 0;

            n = c;
            if (is_write) {
                memcpy(&v, buf, c);
                result |= memory_region_dispatch_write(s, addr, v, size_memop(c), attrs);
            } else {
                result |= memory_region_dispatch_read(s, addr, &v, size_memop(c), attrs);
                memcpy(buf, &v, c);
            }
        }
        buf += n;
        addr += n;
        len -= n;
    }
    return result;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, void *buf,
                             hwaddr len, bool is_write)
{
    return as_rw(as, addr, attrs, buf, len, is_write, false);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, void *buf,
                               hwaddr len)
{
    return as_rw(as, addr, attrs, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                                const void *buf, hwaddr len)
{
    return as_rw(as, addr, attrs, (uint8_t *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                                    const void *buf, hwaddr len)
{
    return as_rw(as, addr, attrs, (uint8_t *)buf, len, true, true);
}

bool address_space_access_valid(AddressSpace *as, hwaddr addr, hwaddr len, bool is_write,
                                MemTxAttrs attrs)
{
    while (len > 0) {
        MemoryRegionSection *s = address_space_lookup(as, addr);
        hwaddr avail = s->last - addr;
        hwaddr n = avail >= len - 1 ? len : avail + 1;

        if (!s->mr || (is_write && s->readonly && section_is_ram(s))) {
            return false;
        }
        if (s->mr->type == MR_IO) {
            const MemoryRegionOps *ops = s->mr->ops;

            if (ops->valid.accepts &&
                !ops->valid.accepts(s->mr->opaque, addr - s->start + s->offset_in_region,
                                    io_chunk(addr, n), is_write, attrs)) {
                return false;
            }
        }
        addr += n;
        len -= n;
    }
    return true;
}

/* ---- single values, little-endian */

#define AS_LOAD(name, type)                                                                        \
    type address_space_##name(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, MemTxResult *res)   \
    {                                                                                              \
        type v = 0;                                                                                \
        MemTxResult r = address_space_read(as, addr, attrs, &v, sizeof(v));                        \
                                                                                                   \
        if (res) {                                                                                 \
            *res = r;                                                                              \
        }                                                                                          \
        return v;                                                                                  \
    }

#define AS_STORE(name, type)                                                                       \
    void address_space_##name(AddressSpace *as, hwaddr addr, type val, MemTxAttrs attrs,           \
                              MemTxResult *res)                                                    \
    {                                                                                              \
        MemTxResult r = address_space_write(as, addr, attrs, &val, sizeof(val));                   \
                                                                                                   \
        if (res) {                                                                                 \
            *res = r;                                                                              \
        }                                                                                          \
    }

/* The host is little-endian (x86-64), so a host-order copy is the guest's LE value. */
AS_LOAD(ldub, uint8_t)
AS_LOAD(lduw_le, uint16_t)
AS_LOAD(ldl_le, uint32_t)
AS_LOAD(ldq_le, uint64_t)
AS_STORE(stb, uint8_t)
AS_STORE(stw_le, uint16_t)
AS_STORE(stl_le, uint32_t)
AS_STORE(stq_le, uint64_t)

/* ---- map / unmap */

#define BOUNCE_SIZE 4096

static struct {
    uint8_t buffer[BOUNCE_SIZE];
    bool in_use;
    AddressSpace *as;
    hwaddr addr;
    hwaddr len;
    MemTxAttrs attrs;
} bounce;
static GMutex bounce_lock;

void *address_space_map(AddressSpace *as, hwaddr addr, hwaddr *plen, bool is_write,
                        MemTxAttrs attrs)
{
    hwaddr len = *plen, done = 0;
    MemoryRegionSection *s;
    uint8_t *host;

    if (len == 0) {
        return NULL;
    }
    s = address_space_lookup(as, addr);
    if (!section_is_ram(s) || (is_write && s->readonly)) {
        g_mutex_lock(&bounce_lock);
        if (bounce.in_use) {
            g_mutex_unlock(&bounce_lock);
            *plen = 0;
            return NULL;
        }
        bounce.in_use = true;
        g_mutex_unlock(&bounce_lock);
        bounce.as = as;
        bounce.addr = addr;
        bounce.len = MIN(len, (hwaddr)BOUNCE_SIZE);
        bounce.attrs = attrs;
        if (!is_write) {
            address_space_read(as, addr, attrs, bounce.buffer, bounce.len);
        }
        *plen = bounce.len;
        return bounce.buffer;
    }
    /* As much contiguous host RAM as the sections that follow give. */
    host = section_host(s, addr);
    while (done < len) {
        hwaddr avail = s->last - (addr + done);
        hwaddr n = avail >= len - done - 1 ? len - done : avail + 1;

        done += n;
        if (done >= len || addr + done == 0) {
            break;
        }
        s = address_space_lookup(as, addr + done);
        if (!section_is_ram(s) || (is_write && s->readonly) ||
            section_host(s, addr + done) != host + done) {
            break;
        }
    }
    *plen = done;
    return host;
}

void address_space_unmap(AddressSpace *as, void *buffer, hwaddr len, bool is_write,
                         hwaddr access_len)
{
    if (buffer == bounce.buffer) {
        if (is_write && access_len) {
            address_space_write(bounce.as, bounce.addr, bounce.attrs, bounce.buffer,
                                MIN(access_len, bounce.len));
        }
        g_mutex_lock(&bounce_lock);
        bounce.in_use = false;
        g_mutex_unlock(&bounce_lock);
        return;
    }
    if (is_write && access_len) {
        /* Find the guest address of the buffer again to drop stale translations. */
        MemoryRegionSection *s = NULL;
        FlatView *fv = address_space_view(as);

        for (unsigned i = 0; fv && i < fv->nr; i++) {
            MemoryRegionSection *c = &fv->ranges[i];

            if (section_is_ram(c) && (uint8_t *)buffer >= section_host(c, c->start) &&
                (uint8_t *)buffer - section_host(c, c->start) <= (ptrdiff_t)(c->last - c->start)) {
                s = c;
                break;
            }
        }
        if (s) {
            hwaddr addr = s->start + (hwaddr)((uint8_t *)buffer - section_host(s, s->start));

            tb_invalidate_phys_range(addr, addr + access_len - 1);
        }
    }
}
