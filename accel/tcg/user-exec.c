/*
 * User mode: guest memory is the host mapping at guest_base, described by
 * a table of page flags that linux-user's mmap maintains.  Generated code
 * accesses guest_base + addr directly (a bad address faults on the host
 * and linux-user's SIGSEGV handler turns that into the guest's signal);
 * helpers go through cpu_ld/st*_mmu, which check the flags first.
 *
 * Self-modifying code: when a TB is made from a page the guest may write,
 * the host page is made read-only and PAGE_WRITE is cleared (PAGE_WRITE_ORG
 * remembers the right).  The first write faults; the fault, or a helper
 * seeing the cleared flag, drops the page's TBs and gives the write back.
 *
 * The flag table is two-level over the low 48 bits of the guest address
 * space in 4 KiB units (the smallest guest page of any target), so it can
 * be used before the runtime knows the target.  Lookups are lock-free;
 * changes happen under tb_lock.
 */
#include <inttypes.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include <glib.h>
#include "exec/user-page.h"
#include "internal.h"

uintptr_t guest_base;
static UserFaultHook user_fault_hook;

#define UPT_ADDR_BITS 48
#define UPT_PAGE_BITS 12
#define UPT_PAGE      ((vaddr)1 << UPT_PAGE_BITS)
#define UPT_L2_BITS   16
#define UPT_L1_BITS   (UPT_ADDR_BITS - UPT_PAGE_BITS - UPT_L2_BITS)

static uint8_t *upt_l1[1u << UPT_L1_BITS];

vaddr page_max_guest_addr(void)
{
    return ((vaddr)1 << UPT_ADDR_BITS) - 1;
}

/* The flag byte of addr's 4 KiB unit; NULL if never set (flags 0), unless alloc. */
static uint8_t *upt_find(vaddr addr, bool alloc)
{
    uint64_t idx = addr >> UPT_PAGE_BITS;
    uint64_t l1 = idx >> UPT_L2_BITS;
    uint8_t *chunk;

    if (addr > page_max_guest_addr()) {
        return NULL;
    }
    chunk = __atomic_load_n(&upt_l1[l1], __ATOMIC_ACQUIRE);
    if (!chunk) {
        if (!alloc) {
            return NULL;
        }
        chunk = g_malloc0((size_t)1 << UPT_L2_BITS);
        __atomic_store_n(&upt_l1[l1], chunk, __ATOMIC_RELEASE);
    }
    return &chunk[idx & ((1u << UPT_L2_BITS) - 1)];
}

static void upt_set(uint8_t *p, int flags)
{
    __atomic_store_n(p, (uint8_t)flags, __ATOMIC_RELAXED);
}

int page_get_flags(vaddr addr)
{
    uint8_t *p = upt_find(addr, false);

    return p ? __atomic_load_n(p, __ATOMIC_RELAXED) : 0;
}

static size_t host_page_size(void)
{
    static size_t size;

    if (!size) {
        size = (size_t)sysconf(_SC_PAGESIZE);
    }
    return size;
}

/* The span that is protected as a whole: a host page, or a guest page if bigger. */
static vaddr user_protect_unit(void)
{
    vaddr g = tcg_accel.page_size ? tcg_accel.page_size : UPT_PAGE;

    return MAX((vaddr)host_page_size(), g);
}

/* Give each host page in [start, start + len) the protection its guest flags call for. */
static void user_mprotect(vaddr start, vaddr len)
{
    size_t hps = host_page_size();

    for (vaddr h = start; h < start + len; h += hps) {
        int f = 0, prot = PROT_NONE;

        for (vaddr a = h; a < h + hps; a += UPT_PAGE) {
            f |= page_get_flags(a);
        }
        if (f & (PAGE_READ | PAGE_EXEC | PAGE_WRITE_ORG)) {
            prot |= PROT_READ;
        }
        if (f & PAGE_WRITE) {
            prot |= PROT_WRITE;
        }
        /* Failure means no host mapping yet; the guest access faults anyway. */
        mprotect(g2h(h), hps, prot);
    }
}

void page_set_flags(vaddr start, vaddr last, int flags)
{
    bool held = tb_lock_held();

    if (flags & (PAGE_READ | PAGE_WRITE | PAGE_EXEC)) {
        flags |= PAGE_VALID;
    }
    if (flags & PAGE_WRITE) {
        flags |= PAGE_WRITE_ORG;
    }
    flags &= ~PAGE_TB_CODE;
    if (last > page_max_guest_addr()) {
        last = page_max_guest_addr();
    }
    if (start > last) {
        return;
    }
    start &= ~(UPT_PAGE - 1);

    if (!held) {
        tb_lock();
    }
    for (vaddr a = start;; a += UPT_PAGE) {
        uint8_t *p = upt_find(a, flags != 0);

        if (!p) {
            /* Nothing mapped in this whole chunk: skip to the next one. */
            vaddr chunk = (vaddr)1 << (UPT_PAGE_BITS + UPT_L2_BITS);
            vaddr next = (a & ~(chunk - 1)) + chunk;

            if (next == 0 || next > last) {
                break;
            }
            a = next - UPT_PAGE;
            continue;
        }
        if ((*p & PAGE_TB_CODE) && tcg_accel.ctx) {
            vaddr gpage = a & tcg_accel.page_mask;

            tb_invalidate_phys_range_locked(gpage, gpage + tcg_accel.page_size - 1, 0);
        }
        upt_set(p, flags);
        if (a >= (last & ~(UPT_PAGE - 1))) {
            break;
        }
    }
    if (!held) {
        tb_unlock();
    }
}

bool page_check_range(vaddr start, vaddr len, int flags)
{
    vaddr last = start + len - 1;

    if (len == 0) {
        return true;
    }
    if (last < start || last > page_max_guest_addr()) {
        return false;
    }
    for (vaddr a = start & ~(UPT_PAGE - 1);; a += UPT_PAGE) {
        int f = page_get_flags(a);

        if (!(f & PAGE_VALID) || ((flags & PAGE_READ) && !(f & PAGE_READ)) ||
            ((flags & PAGE_EXEC) && !(f & PAGE_EXEC)) ||
            ((flags & PAGE_WRITE) && !(f & PAGE_WRITE_ORG))) {
            return false;
        }
        if ((flags & PAGE_WRITE) && !(f & PAGE_WRITE)) {
            user_page_unprotect(a, 0);
        }
        if (a >= (last & ~(UPT_PAGE - 1))) {
            return true;
        }
    }
}

/* ---- translated code protection */

void user_protect_code_page(vaddr page)
{
    vaddr unit = user_protect_unit();
    vaddr ustart = page & ~(unit - 1);
    bool writable = false;

    g_assert(tb_lock_held());
    for (vaddr a = page; a < page + tcg_accel.page_size; a += UPT_PAGE) {
        uint8_t *p = upt_find(a, false);

        if (p) {
            upt_set(p, *p | PAGE_TB_CODE);
        }
    }
    for (vaddr a = ustart; a < ustart + unit; a += UPT_PAGE) {
        uint8_t *p = upt_find(a, false);

        if (p && (*p & PAGE_WRITE)) {
            upt_set(p, *p & ~PAGE_WRITE);
            writable = true;
        }
    }
    if (writable) {
        user_mprotect(ustart, unit);
    }
}

int user_page_unprotect(vaddr addr, uintptr_t retaddr)
{
    vaddr unit = user_protect_unit();
    vaddr ustart = addr & ~(unit - 1);
    bool modified = false;
    int f;

    tb_lock();
    f = page_get_flags(addr);
    if (!(f & PAGE_WRITE_ORG)) {
        tb_unlock();
        return 0;
    }
    if (f & PAGE_WRITE) {
        /* Another thread was first. */
        tb_unlock();
        return 1;
    }
    for (vaddr a = ustart; a < ustart + unit; a += UPT_PAGE) {
        uint8_t *p = upt_find(a, false);

        if (!p) {
            continue;
        }
        if ((*p & PAGE_TB_CODE) && tcg_accel.ctx) {
            vaddr gpage = a & tcg_accel.page_mask;

            modified |=
                tb_invalidate_phys_range_locked(gpage, gpage + tcg_accel.page_size - 1, retaddr);
        }
        f = *p & ~PAGE_TB_CODE;
        if (f & PAGE_WRITE_ORG) {
            f |= PAGE_WRITE;
        }
        upt_set(p, f);
    }
    user_mprotect(ustart, unit);
    tb_unlock();
    return modified ? 2 : 1;
}

/*
 * The return-address form of the pc a signal interrupted: +1, as the
 * functions that find the guest instruction take return addresses.  The
 * interpreter publishes its own stand-in while it runs an access.
 */
uintptr_t user_signal_retaddr(uintptr_t host_pc)
{
    if (tcg_interp_retaddr) {
        return tcg_interp_retaddr;
    }
    return host_pc ? host_pc + 1 : 0;
}

bool handle_sigsegv_write_to_code(void *host_addr, uintptr_t host_pc)
{
    uintptr_t h = (uintptr_t)host_addr;
    int r;

    if (!tcg_accel.ctx || tcg_accel.softmmu || h < guest_base ||
        h - guest_base > page_max_guest_addr() || tb_lock_held()) {
        return false;
    }
    r = user_page_unprotect(h - guest_base, user_signal_retaddr(host_pc));
    if (r == 0) {
        return false;
    }
    if (r == 2 && current_cpu) {
        sigset_t set;

        /* We leave the handler by longjmp: SIGSEGV must not stay blocked. */
        sigemptyset(&set);
        sigaddset(&set, SIGSEGV);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        tb_exit_modified(current_cpu, user_signal_retaddr(host_pc));
    }
    return true;
}

/* ---- faults */

void user_set_fault_hook(UserFaultHook hook)
{
    user_fault_hook = hook;
}

static __attribute__((noreturn)) void user_raise_fault(CPUState *cs, vaddr addr, MMUAccessType type,
                                                       bool maperr, uintptr_t ra)
{
    if (user_fault_hook) {
        user_fault_hook(cs, addr, type, maperr, ra);
    } else if (cs->ops->tlb_fill) {
        int mmu_idx = cs->ops->mmu_index ? cs->ops->mmu_index(cs, type == MMU_INST_FETCH) : 0;

        cs->ops->tlb_fill(cs, addr, 1, type, mmu_idx, false, ra);
    }
    g_error("unhandled guest fault at 0x%" PRIx64 " (access %d)", addr, type);
}

void cpu_loop_exit_sigsegv(CPUState *cs, vaddr addr, MMUAccessType access_type, bool maperr,
                           uintptr_t host_pc)
{
    user_raise_fault(cs, addr, access_type, maperr, user_signal_retaddr(host_pc));
    g_assert_not_reached();
}

/*
 * Check that [addr, addr + size) allows `need`; raise the fault at the
 * first page that does not.  A write to a page protected for translated
 * code unprotects it (and may leave the current TB, see tb_exit_modified).
 */
static void user_check_access(CPUState *cs, vaddr addr, unsigned size, int need, MMUAccessType type,
                              uintptr_t ra)
{
    vaddr last = addr + size - 1;

    if (last < addr) {
        user_raise_fault(cs, addr, type, true, ra);
    }
    for (vaddr a = addr;; a = (a & ~(UPT_PAGE - 1)) + UPT_PAGE) {
        int f = page_get_flags(a);
        int have = f;

        if (f & PAGE_WRITE_ORG) {
            have |= PAGE_WRITE;
        }
        if (!(f & PAGE_VALID) || (have & need) != need) {
            user_raise_fault(cs, a, type, !(f & PAGE_VALID), ra);
        }
        if ((need & PAGE_WRITE) && !(f & PAGE_WRITE) && user_page_unprotect(a, ra) == 2) {
            tb_exit_modified(cs, ra);
        }
        if ((a & ~(UPT_PAGE - 1)) >= (last & ~(UPT_PAGE - 1))) {
            return;
        }
    }
}

static void user_check_align(CPUState *cs, vaddr addr, unsigned a_bits, MMUAccessType type,
                             int mmu_idx, uintptr_t ra)
{
    if (addr & ((UINT64_C(1) << a_bits) - 1)) {
        if (cs->ops->do_unaligned_access) {
            cs->ops->do_unaligned_access(cs, addr, type, mmu_idx, ra);
        }
        g_error("misaligned access at 0x%" PRIx64 " and no do_unaligned_access", addr);
    }
}

/* ---- loads and stores */

uint64_t user_ld(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    MemOp op = get_memop(oi);

    g_assert((op & MO_SIZE) <= MO_64);
    user_check_align(cs, addr, memop_alignment_bits(op), MMU_DATA_LOAD, (int)get_mmuidx(oi), ra);
    user_check_access(cs, addr, memop_size(op), PAGE_READ, MMU_DATA_LOAD, ra);
    return memop_load_host(g2h(addr), op);
}

void user_st(CPUState *cs, vaddr addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    MemOp op = get_memop(oi);

    g_assert((op & MO_SIZE) <= MO_64);
    user_check_align(cs, addr, memop_alignment_bits(op), MMU_DATA_STORE, (int)get_mmuidx(oi), ra);
    user_check_access(cs, addr, memop_size(op), PAGE_WRITE, MMU_DATA_STORE, ra);
    memop_store_host(g2h(addr), val, op);
}

void *user_atomic_lookup(CPUState *cs, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    MemOp op = get_memop(oi);
    unsigned size = memop_size(op);

    /* Host atomics need natural alignment whatever the memop says. */
    user_check_align(cs, addr, op & MO_SIZE, MMU_DATA_STORE, (int)get_mmuidx(oi), ra);
    user_check_access(cs, addr, size, PAGE_READ | PAGE_WRITE, MMU_DATA_STORE, ra);
    return g2h(addr);
}

uint64_t user_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    return user_ld(accel_env_cpu(env), addr, oi, ra);
}

void user_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    user_st(accel_env_cpu(env), addr, val, oi, ra);
}

bool user_code_page(CPUState *cs, vaddr addr, bool probe, void **host)
{
    int f = page_get_flags(addr);

    if ((f & (PAGE_VALID | PAGE_EXEC)) != (PAGE_VALID | PAGE_EXEC)) {
        if (probe) {
            return false;
        }
        user_raise_fault(cs, addr, MMU_INST_FETCH, !(f & PAGE_VALID), 0);
    }
    *host = g2h(addr & tcg_accel.page_mask);
    return true;
}
