/*
 * What system/memory.c and system/physmem.c share: the flattened view of
 * an address space (a sorted table of sections covering every address).
 */
#ifndef MORPH_SYSTEM_MEMORY_INTERNAL_H
#define MORPH_SYSTEM_MEMORY_INTERNAL_H

#include "system/memory.h"

struct FlatView {
    MemoryRegionSection *ranges;
    unsigned nr;
    AddressSpace *as;
    /*
     * The range the last lookup found (a hint, raced on freely): page-table
     * walks and TLB fills look up RAM over and over.
     */
    unsigned last_hit;
};

/* The current view of `as` (valid until the next map change and memory_reclaim()). */
static inline FlatView *address_space_view(AddressSpace *as)
{
    return __atomic_load_n(&as->current_map, __ATOMIC_ACQUIRE);
}

#endif
