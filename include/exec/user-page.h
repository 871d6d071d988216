/*
 * User mode (linux-user): guest memory is one host mapping at guest_base,
 * and a table of guest page flags says which guest pages are mapped and
 * how.  linux-user's mmap/mprotect/munmap keep the table up to date;
 * accel/tcg reads it for code fetch and helper accesses, and uses it to
 * catch writes to guest pages it translated code from (self-modifying
 * code): such a page is made read-only on the host, and the write fault
 * drops the page's TBs and makes it writable again.
 */
#ifndef MORPH_EXEC_USER_PAGE_H
#define MORPH_EXEC_USER_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "exec/cpu.h"
#include "exec/cputlb.h"

/* Page flags, beyond PAGE_READ/WRITE/EXEC of exec/cputlb.h. */
enum {
    PAGE_VALID = 0x08, /* mapped (possibly with no access) */
    /*
     * The guest may write the page.  PAGE_WRITE is cleared while
     * translated code protects the page; PAGE_WRITE_ORG remembers it.
     */
    PAGE_WRITE_ORG = 0x10,
    PAGE_TB_CODE = 0x80, /* private to accel/tcg: TBs were made from the page */
};

extern uintptr_t guest_base;

static inline void *g2h(vaddr addr)
{
    return (void *)(guest_base + (uintptr_t)addr);
}

static inline vaddr h2g(const void *host)
{
    return (vaddr)((uintptr_t)host - guest_base);
}

/* The highest guest address the flag table covers (the guest address space size - 1). */
vaddr page_max_guest_addr(void);

/*
 * Set the flags of the guest pages in [start, last] (`last` inclusive,
 * both rounded to pages).  Any of PAGE_READ/WRITE/EXEC implies PAGE_VALID;
 * PAGE_WRITE implies PAGE_WRITE_ORG; flags 0 unmaps.  TBs made from pages
 * whose flags change are dropped.  The caller sets the host protection.
 */
void page_set_flags(vaddr start, vaddr last, int flags);
int page_get_flags(vaddr addr);
/*
 * True if every page of [start, start + len) has all of `flags`.  Asking
 * for PAGE_WRITE on a page only protected for translated code unprotects
 * it (so a syscall may write it).
 */
bool page_check_range(vaddr start, vaddr len, int flags);

/*
 * Called by linux-user's SIGSEGV handler for a fault at host address
 * `host_addr` raised at host pc `host_pc` (the faulting instruction).
 * If the fault is a write to a guest page protected for translated code,
 * drop the page's TBs, make it writable and return true: returning from
 * the handler retries the write.  If the write came from a TB on that
 * very page, this does not return: SIGSEGV is unblocked and the vCPU
 * leaves to the exec loop to re-execute the write from fresh code.
 * Returns false for any other fault.
 */
bool handle_sigsegv_write_to_code(void *host_addr, uintptr_t host_pc);

/*
 * A guest access that the page flags do not allow.  linux-user installs
 * a hook that records the SIGSEGV for the guest and leaves to the exec
 * loop (cpu_loop_exit_restore); it must not return.  Without a hook the
 * target's tlb_fill is asked to raise its fault.
 */
typedef void (*UserFaultHook)(CPUState *cs, vaddr addr, MMUAccessType access_type, bool maperr,
                              uintptr_t retaddr);
void user_set_fault_hook(UserFaultHook hook);
/*
 * The return address cpu_loop_exit_restore() wants for a signal that
 * interrupted generated code at host pc `host_pc` (the pc itself is not
 * one: it may be the first byte of an instruction's code).
 */
uintptr_t user_signal_retaddr(uintptr_t host_pc);
/* Raise that fault for a host SIGSEGV in generated code at host pc `host_pc`. */
__attribute__((noreturn)) void cpu_loop_exit_sigsegv(CPUState *cs, vaddr addr,
                                                     MMUAccessType access_type, bool maperr,
                                                     uintptr_t host_pc);

#endif
