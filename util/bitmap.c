/*
 * Bitmaps stored in arrays of unsigned long (contract: include/util/bitmap.h,
 * semantics as QEMU's util/bitmap.c and Linux's lib/bitmap.c).  Every
 * operation reads and writes only bits [0, nbits): the bits past nbits in the
 * last word are left as they are, so a map may share its last word with other
 * state and a caller never sees a "bit" beyond the end.  The atomic forms use
 * sequentially consistent read-modify-writes on the word that holds the bit.
 */
#include "util/bitmap.h"

#include <string.h>

#include <glib.h>

/* Bits of the word holding `start` that are at or above it. */
static inline unsigned long bitmap_first_word_mask(size_t start)
{
    return ~0UL << (start % BITS_PER_LONG);
}

/* Bits of the last word of an `nbits` map that are below nbits. */
static inline unsigned long bitmap_last_word_mask(size_t nbits)
{
    return ~0UL >> (-nbits % BITS_PER_LONG);
}

unsigned long *bitmap_new(size_t nbits)
{
    /* At least one word, so that a zero-sized map is still a valid pointer. */
    return g_new0(unsigned long, MAX(BITS_TO_LONGS(nbits), 1));
}

void bitmap_free(unsigned long *map)
{
    g_free(map);
}

void bitmap_set(unsigned long *map, size_t start, size_t len)
{
    size_t first;
    size_t last;
    size_t i;

    if (len == 0) {
        return;
    }
    first = start / BITS_PER_LONG;
    last = (start + len - 1) / BITS_PER_LONG;
    if (first == last) {
        map[first] |= bitmap_first_word_mask(start) & bitmap_last_word_mask(start + len);
        return;
    }
    map[first] |= bitmap_first_word_mask(start);
    for (i = first + 1; i < last; i++) {
        map[i] = ~0UL;
    }
    map[last] |= bitmap_last_word_mask(start + len);
}

void bitmap_clear(unsigned long *map, size_t start, size_t len)
{
    size_t first;
    size_t last;
    size_t i;

    if (len == 0) {
        return;
    }
    first = start / BITS_PER_LONG;
    last = (start + len - 1) / BITS_PER_LONG;
    if (first == last) {
        map[first] &= ~(bitmap_first_word_mask(start) & bitmap_last_word_mask(start + len));
        return;
    }
    map[first] &= ~bitmap_first_word_mask(start);
    for (i = first + 1; i < last; i++) {
        map[i] = 0;
    }
    map[last] &= ~bitmap_last_word_mask(start + len);
}

void bitmap_zero(unsigned long *map, size_t nbits)
{
    bitmap_clear(map, 0, nbits);
}

void bitmap_fill(unsigned long *map, size_t nbits)
{
    bitmap_set(map, 0, nbits);
}

/* Store `val` into the bits of `*word` selected by `mask`, keeping the rest. */
static inline void bitmap_merge_word(unsigned long *word, unsigned long val, unsigned long mask)
{
    *word = (*word & ~mask) | (val & mask);
}

void bitmap_copy(unsigned long *dst, const unsigned long *src, size_t nbits)
{
    size_t full = nbits / BITS_PER_LONG;

    memmove(dst, src, full * sizeof(unsigned long));
    if (nbits % BITS_PER_LONG) {
        bitmap_merge_word(&dst[full], src[full], bitmap_last_word_mask(nbits));
    }
}

void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits)
{
    size_t full = nbits / BITS_PER_LONG;
    size_t i;

    for (i = 0; i < full; i++) {
        dst[i] = a[i] | b[i];
    }
    if (nbits % BITS_PER_LONG) {
        bitmap_merge_word(&dst[full], a[full] | b[full], bitmap_last_word_mask(nbits));
    }
}

void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, size_t nbits)
{
    size_t full = nbits / BITS_PER_LONG;
    size_t i;

    for (i = 0; i < full; i++) {
        dst[i] = a[i] & b[i];
    }
    if (nbits % BITS_PER_LONG) {
        bitmap_merge_word(&dst[full], a[full] & b[full], bitmap_last_word_mask(nbits));
    }
}

bool bitmap_empty(const unsigned long *map, size_t nbits)
{
    return find_next_bit(map, nbits, 0) == nbits;
}

bool bitmap_full(const unsigned long *map, size_t nbits)
{
    return find_next_zero_bit(map, nbits, 0) == nbits;
}

size_t bitmap_count_one(const unsigned long *map, size_t nbits)
{
    size_t full = nbits / BITS_PER_LONG;
    size_t count = 0;
    size_t i;

    for (i = 0; i < full; i++) {
        count += (size_t)__builtin_popcountl(map[i]);
    }
    if (nbits % BITS_PER_LONG) {
        count += (size_t)__builtin_popcountl(map[full] & bitmap_last_word_mask(nbits));
    }
    return count;
}

/*
 * The search behind find_next_bit and find_next_zero_bit: `invert` flips
 * each word as it is loaded, so both look for a one.
 */
static size_t bitmap_find_next(const unsigned long *map, size_t nbits, size_t offset,
                               unsigned long invert)
{
    size_t idx;
    size_t last;
    unsigned long word;

    if (offset >= nbits) {
        return nbits;
    }
    idx = offset / BITS_PER_LONG;
    last = (nbits - 1) / BITS_PER_LONG;
    word = (map[idx] ^ invert) & bitmap_first_word_mask(offset);
    for (;;) {
        if (idx == last) {
            word &= bitmap_last_word_mask(nbits);
        }
        if (word) {
            return idx * BITS_PER_LONG + (size_t)__builtin_ctzl(word);
        }
        if (idx == last) {
            return nbits;
        }
        idx++;
        word = map[idx] ^ invert;
    }
}

size_t find_next_bit(const unsigned long *map, size_t nbits, size_t offset)
{
    return bitmap_find_next(map, nbits, offset, 0);
}

size_t find_next_zero_bit(const unsigned long *map, size_t nbits, size_t offset)
{
    return bitmap_find_next(map, nbits, offset, ~0UL);
}

bool test_and_set_bit_atomic(size_t nr, unsigned long *map)
{
    unsigned long mask = 1UL << (nr % BITS_PER_LONG);

    return (__atomic_fetch_or(&map[nr / BITS_PER_LONG], mask, __ATOMIC_SEQ_CST) & mask) != 0;
}

bool test_and_clear_bit_atomic(size_t nr, unsigned long *map)
{
    unsigned long mask = 1UL << (nr % BITS_PER_LONG);

    return (__atomic_fetch_and(&map[nr / BITS_PER_LONG], ~mask, __ATOMIC_SEQ_CST) & mask) != 0;
}

void set_bit_atomic(size_t nr, unsigned long *map)
{
    __atomic_fetch_or(&map[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

void clear_bit_atomic(size_t nr, unsigned long *map)
{
    __atomic_fetch_and(&map[nr / BITS_PER_LONG], ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}
