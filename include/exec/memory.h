/*
 * The part of the memory API that the softmmu TLB (accel/tcg/cputlb.c)
 * needs: how a guest physical page is reached (host RAM, or a region whose
 * accesses are dispatched to a device), and the dispatch itself.
 *
 * system/memory.c implements this interface over the flattened region tree
 * of an address space; until then the unit tests provide a small stand-in.
 * Everything else about regions (creation, aliases, priorities, access-size
 * rules, the big lock around device callbacks) lives behind these calls.
 */
#ifndef MORPH_EXEC_MEMORY_H
#define MORPH_EXEC_MEMORY_H

#include <stdint.h>
#include "exec/cpu.h"

typedef struct AddressSpace AddressSpace;
/* One flattened piece of the address space with a single region behind it. */
typedef struct MemoryRegionSection MemoryRegionSection;

/* Transaction attributes (CPUTLBEntryFull.attrs): requester, secure bit... */
typedef uint32_t MemTxAttrs;

typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,        /* the device answered with an error */
    MEMTX_DECODE_ERROR = 2, /* nothing at this address */
} MemTxResult;

/*
 * How the guest physical page at `paddr` (aligned to the guest page size)
 * is reached, for tlb_set_page():
 *   RAM:            *host = host address of paddr, *section = NULL
 *   ROM (or ROMD):  *host = host address of paddr, *section = the region
 *                   that handles writes
 *   MMIO, or a hole: *host = NULL, *section = the region (a hole answers
 *                   MEMTX_DECODE_ERROR)
 * A page that is only partly RAM is reported as MMIO, so that every access
 * takes the dispatch path.  *section stays valid until the next TLB flush
 * (the memory API flushes every TLB when the map changes).
 */
void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr, void **host,
                                     MemoryRegionSection **section);

/*
 * An access of memop_size(op) bytes at guest physical address `addr`
 * through `section`.  The value travels in host order; `op`'s MO_BSWAP says
 * how the device sees it.  The memory API takes the big lock around device
 * callbacks when the region needs it.
 */
MemTxResult memory_region_dispatch_read(MemoryRegionSection *section, hwaddr addr, uint64_t *val,
                                        MemOp op, MemTxAttrs attrs);
MemTxResult memory_region_dispatch_write(MemoryRegionSection *section, hwaddr addr, uint64_t val,
                                         MemOp op, MemTxAttrs attrs);

#endif
