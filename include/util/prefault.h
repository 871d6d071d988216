/*
 * Populate memory that is about to be written on a background thread
 * (util/prefault.c), so that the first-touch page faults are not paid by
 * the thread that writes it.  A hint: it may do nothing.  Not for processes
 * that fork.
 */
#ifndef MORPH_UTIL_PREFAULT_H
#define MORPH_UTIL_PREFAULT_H

#include <stddef.h>
#include <stdint.h>

/* The whole pages inside [addr, addr + len): populate them writable, soon. */
void mem_prefault_async(void *addr, size_t len);
/* The chunk a front-to-back writer keeps populated ahead of itself. */
#define MEM_PREFAULT_CHUNK ((size_t)2 << 20)

/*
 * A buffer of `size` bytes at `base` is filled front to back and its fill
 * level went from `old_used` to `new_used`: when that entered a new chunk
 * (or started the buffer), populate the chunk after it.
 */
static inline void mem_prefault_ahead(uint8_t *base, size_t size, size_t old_used, size_t new_used)
{
    size_t next = (new_used / MEM_PREFAULT_CHUNK + 1) * MEM_PREFAULT_CHUNK;

    if ((old_used / MEM_PREFAULT_CHUNK != new_used / MEM_PREFAULT_CHUNK || old_used == 0) &&
        next < size) {
        mem_prefault_async(base + next, size - next < MEM_PREFAULT_CHUNK ? size - next
                                                                        : MEM_PREFAULT_CHUNK);
    }
}

/*
 * The caller is about to fill [dst, dst + len) front to back (a memcpy, a
 * read): populate it from the back, so that the writer and the background
 * thread each zero about half of the fresh pages and meet in the middle.
 */
void mem_prefault_for_copy(void *dst, size_t len);

/* Bytes populated so far (statistics and tests). */
uint64_t mem_prefault_done_bytes(void);

#endif
