/*
 * The debugger's access to guest memory (m, M, X, qXfer:auxv), which must
 * never fault: a bad address is an E14 reply, not a guest exception and
 * not a host crash.
 *
 * User mode: guest memory is the host mapping at guest_base.  The page
 * flags say which guest pages exist; the copy itself goes through
 * /proc/self/mem (or process_vm_readv/writev), which report an error
 * instead of raising SIGSEGV or SIGBUS (a file mapping past its end), and
 * -- like ptrace, which GDB expects -- may write a read-only page (to
 * patch code).  Writes drop the TBs made from the bytes written.
 *
 * System mode: a virtual address goes through the target's side-effect
 * free page walk (TargetOps get_phys_page_debug), or is physical with
 * Qqemu.PhyMemMode; the physical page is reached through the memory API:
 * RAM and ROM by their host address (a debugger may write ROM), devices by
 * byte-wide dispatch, which may fail (a hole) and then ends the access.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include "internals.h"
#include "exec/memory.h"
#include "exec/user-page.h"

/* ---- user mode */

#define GDB_USER_UNIT 4096 /* the page flag table's granule */

static int gdb_mem_fd = -2; /* /proc/self/mem: -2 not opened yet, -1 unavailable */

void gdb_memory_fork_child(void)
{
    /* The descriptor names the parent's address space. */
    if (gdb_mem_fd >= 0) {
        close(gdb_mem_fd);
    }
    gdb_mem_fd = -2;
}

static bool gdb_host_copy(uintptr_t host, uint8_t *buf, size_t len, bool is_write)
{
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)host, .iov_len = len};
    ssize_t n;

    if (gdb_mem_fd == -2) {
        gdb_mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    }
    if (gdb_mem_fd >= 0) {
        do {
            n = is_write ? pwrite(gdb_mem_fd, buf, len, (off_t)host)
                         : pread(gdb_mem_fd, buf, len, (off_t)host);
        } while (n < 0 && errno == EINTR);
        return n == (ssize_t)len;
    }
    n = is_write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                 : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return n == (ssize_t)len;
}

size_t gdb_user_memory_rw(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool is_write)
{
    size_t done = 0;

    while (done < len) {
        uint64_t a = addr + done;
        size_t chunk = MIN(len - done, GDB_USER_UNIT - (a & (GDB_USER_UNIT - 1)));
        int f;

        if (a < addr || a > page_max_guest_addr()) {
            break;
        }
        f = page_get_flags(a);
        /* What ptrace would reach: any mapped page the guest can read or run. */
        if (!(f & PAGE_VALID) || !(f & (PAGE_READ | PAGE_EXEC | PAGE_WRITE_ORG))) {
            break;
        }
        if (!gdb_host_copy((uintptr_t)g2h(a), buf + done, chunk, is_write)) {
            break;
        }
        if (is_write) {
            tb_invalidate_phys_range(a, a + chunk - 1);
        }
        done += chunk;
    }
    return done;
}

/* ---- system mode */

static bool gdb_phys_rw(CPUState *cs, hwaddr pa, uint8_t *buf, size_t len, bool is_write)
{
    hwaddr page_mask = ~(((hwaddr)1 << cs->ops->page_bits) - 1);
    MemoryRegionSection *section = NULL;
    void *host = NULL;

    address_space_translate_for_tlb(cs->as, pa & page_mask, &host, &section);
    if (host) {
        uint8_t *p = (uint8_t *)host + (pa & ~page_mask);

        if (is_write) {
            memcpy(p, buf, len);
            tb_invalidate_phys_range(pa, pa + len - 1);
        } else {
            memcpy(buf, p, len);
        }
        return true;
    }
    if (!section) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        uint64_t v = buf[i];
        MemTxResult r;

        if (is_write) {
            r = memory_region_dispatch_write(section, pa + i, v, MO_8, 0);
        } else {
            r = memory_region_dispatch_read(section, pa + i, &v, MO_8, 0);
            buf[i] = (uint8_t)v;
        }
        if (r != MEMTX_OK) {
            return false;
        }
    }
    return true;
}

size_t gdb_system_memory_rw(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool is_write,
                            bool phys)
{
    uint64_t page_size = (uint64_t)1 << cs->ops->page_bits;
    size_t done = 0;

    while (done < len) {
        uint64_t a = addr + done;
        size_t chunk = MIN(len - done, page_size - (a & (page_size - 1)));
        hwaddr pa = a;

        if (a < addr) {
            break;
        }
        if (!phys) {
            if (!cs->ops->get_phys_page_debug) {
                break;
            }
            pa = cs->ops->get_phys_page_debug(cs, a & ~(page_size - 1));
            if (pa == (hwaddr)-1) {
                break;
            }
            pa += a & (page_size - 1);
        }
        if (!gdb_phys_rw(cs, pa, buf + done, chunk, is_write)) {
            break;
        }
        done += chunk;
    }
    return done;
}
