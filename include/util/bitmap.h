/*
 * Bitmaps of unsigned longs, used for dirty-page tracking, TB page flags,
 * interrupt pending sets and free lists.  Bit n lives in word n / BITS_PER_LONG.
 * Atomic variants exist for bitmaps shared between vCPU threads and the main loop.
 */
#ifndef MORPH_UTIL_BITMAP_H
#define MORPH_UTIL_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>

#define BITS_PER_LONG (sizeof(unsigned long) * CHAR_BIT)
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

unsigned long *bitmap_new(size_t nbits);
void bitmap_free(unsigned long *map);
void bitmap_zero(unsigned long *map, size_t nbits);
void bitmap_fill(unsigned long *map, size_t nbits);
void bitmap_copy(unsigned long *dst, const unsigned long *src, size_t nbits);
bool bitmap_empty(const unsigned long *map, size_t nbits);
bool bitmap_full(const unsigned long *map, size_t nbits);
size_t bitmap_count_one(const unsigned long *map, size_t nbits);
/* Set/clear `len` bits starting at `start`. */
void bitmap_set(unsigned long *map, size_t start, size_t len);
void bitmap_clear(unsigned long *map, size_t start, size_t len);
void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits);
void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits);
/* First set (or clear) bit at index >= offset, or nbits if none. */
size_t find_next_bit(const unsigned long *map, size_t nbits, size_t offset);
size_t find_next_zero_bit(const unsigned long *map, size_t nbits, size_t offset);

static inline void set_bit(size_t nr, unsigned long *map)
{
    map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit(size_t nr, unsigned long *map)
{
    map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool test_bit(size_t nr, const unsigned long *map)
{
    return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/* Atomic forms for maps shared between threads; return the old value. */
bool test_and_set_bit_atomic(size_t nr, unsigned long *map);
bool test_and_clear_bit_atomic(size_t nr, unsigned long *map);
void set_bit_atomic(size_t nr, unsigned long *map);
void clear_bit_atomic(size_t nr, unsigned long *map);

#endif
