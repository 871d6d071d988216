/*
 * Unit tests for util/bitmap.c.  Word boundaries are where bitmap code goes
 * wrong, so the sizes and ranges here straddle them (63, 64, 65, 127, 128,
 * 129 bits), the bits past nbits in the last word are checked to stay
 * untouched and invisible, every operation is compared against a plain bool
 * array under random operations, and the atomic forms are run from threads.
 */
#include <string.h>

#include <glib.h>

#include "util/bitmap.h"

/* Sizes on both sides of one and two word boundaries, plus a few odd ones. */
static const size_t sizes[] = {1, 2, 31, 63, 64, 65, 127, 128, 129, 200, 1000};

static void test_new_is_zero(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
        unsigned long *map = bitmap_new(sizes[i]);

        g_assert_true(bitmap_empty(map, sizes[i]));
        g_assert_false(bitmap_full(map, sizes[i]));
        g_assert_cmpuint(bitmap_count_one(map, sizes[i]), ==, 0);
        g_assert_cmpuint(find_next_bit(map, sizes[i], 0), ==, sizes[i]);
        g_assert_cmpuint(find_next_zero_bit(map, sizes[i], 0), ==, 0);
        bitmap_free(map);
    }
}

static void test_zero_size(void)
{
    unsigned long *map = bitmap_new(0);

    g_assert_nonnull(map);
    g_assert_true(bitmap_empty(map, 0));
    g_assert_true(bitmap_full(map, 0));
    g_assert_cmpuint(bitmap_count_one(map, 0), ==, 0);
    g_assert_cmpuint(find_next_bit(map, 0, 0), ==, 0);
    g_assert_cmpuint(find_next_zero_bit(map, 0, 0), ==, 0);
    bitmap_fill(map, 0);
    g_assert_cmphex(map[0], ==, 0);
    bitmap_free(map);
    bitmap_free(NULL);
}

static void test_fill_zero(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
        size_t n = sizes[i];
        unsigned long *map = bitmap_new(n);

        bitmap_fill(map, n);
        g_assert_true(bitmap_full(map, n));
        g_assert_false(bitmap_empty(map, n));
        g_assert_cmpuint(bitmap_count_one(map, n), ==, n);
        g_assert_cmpuint(find_next_zero_bit(map, n, 0), ==, n);
        g_assert_cmpuint(find_next_bit(map, n, n - 1), ==, n - 1);
        if (n % BITS_PER_LONG) {
            /* The tail of the last word is not part of the map. */
            g_assert_cmphex(map[n / BITS_PER_LONG] >> (n % BITS_PER_LONG), ==, 0);
        }
        bitmap_zero(map, n);
        g_assert_true(bitmap_empty(map, n));
        bitmap_free(map);
    }
}

static void test_single_bits(void)
{
    unsigned long map[3] = {0};

    set_bit(0, map);
    set_bit(63, map);
    set_bit(64, map);
    set_bit(191, map);
    g_assert_true(test_bit(0, map));
    g_assert_false(test_bit(1, map));
    g_assert_true(test_bit(63, map));
    g_assert_true(test_bit(64, map));
    g_assert_false(test_bit(65, map));
    g_assert_true(test_bit(191, map));
    g_assert_cmpuint(bitmap_count_one(map, 192), ==, 4);
    if (BITS_PER_LONG == 64) {
        g_assert_cmphex(map[0], ==, 0x8000000000000001UL);
        g_assert_cmphex(map[1], ==, 1);
        g_assert_cmphex(map[2], ==, 1UL << 63);
    }
    clear_bit(63, map);
    clear_bit(0, map);
    g_assert_false(test_bit(63, map));
    g_assert_cmpuint(find_next_bit(map, 192, 0), ==, 64);
}

/* Every bit of [0, nbits) equals (start <= bit < start + len). */
static void assert_range(const unsigned long *map, size_t nbits, size_t start, size_t len)
{
    size_t bit;

    for (bit = 0; bit < nbits; bit++) {
        g_assert_cmpint(test_bit(bit, map), ==, bit >= start && bit < start + len);
    }
}

static void test_set_clear_ranges(void)
{
    static const struct {
        size_t start;
        size_t len;
    } ranges[] = {
        {0, 0},  {5, 0},  {0, 1},   {3, 10},  {60, 10},  {63, 1},  {63, 2},  {64, 64},
        {0, 64}, {0, 65}, {1, 127}, {62, 68}, {10, 300}, {0, 320}, {319, 1}, {127, 130},
    };
    const size_t nbits = 320;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(ranges); i++) {
        unsigned long map[BITS_TO_LONGS(320)];
        size_t start = ranges[i].start;
        size_t len = ranges[i].len;

        memset(map, 0, sizeof(map));
        bitmap_set(map, start, len);
        assert_range(map, nbits, start, len);
        g_assert_cmpuint(bitmap_count_one(map, nbits), ==, len);
        g_assert_cmpuint(find_next_bit(map, nbits, 0), ==, len ? start : nbits);

        /* Clearing the same range from a full map leaves its complement. */
        memset(map, 0xff, sizeof(map));
        bitmap_clear(map, start, len);
        g_assert_cmpuint(bitmap_count_one(map, nbits), ==, nbits - len);
        g_assert_cmpuint(find_next_zero_bit(map, nbits, 0), ==, len ? start : nbits);
        if (len) {
            g_assert_cmpuint(find_next_bit(map, nbits, start), ==,
                             start + len == nbits ? nbits : start + len);
        }
    }
}

static void test_set_keeps_neighbours(void)
{
    unsigned long map[3];

    /* Setting and clearing inside a word leaves the bits around it alone. */
    memset(map, 0, sizeof(map));
    set_bit(59, map);
    set_bit(70, map);
    bitmap_set(map, 60, 10);
    assert_range(map, 3 * BITS_PER_LONG, 59, 12);
    bitmap_clear(map, 62, 5);
    g_assert_true(test_bit(61, map));
    g_assert_false(test_bit(62, map));
    g_assert_false(test_bit(66, map));
    g_assert_true(test_bit(67, map));
    g_assert_cmpuint(bitmap_count_one(map, 3 * BITS_PER_LONG), ==, 7);
}

static void test_find_ends(void)
{
    const size_t nbits = 130;
    unsigned long *map = bitmap_new(nbits);

    set_bit(0, map);
    set_bit(63, map);
    set_bit(64, map);
    set_bit(nbits - 1, map);
    g_assert_cmpuint(find_next_bit(map, nbits, 0), ==, 0);
    g_assert_cmpuint(find_next_bit(map, nbits, 1), ==, 63);
    g_assert_cmpuint(find_next_bit(map, nbits, 64), ==, 64);
    g_assert_cmpuint(find_next_bit(map, nbits, 65), ==, nbits - 1);
    g_assert_cmpuint(find_next_bit(map, nbits, nbits - 1), ==, nbits - 1);
    /* At or past the end there is nothing to find. */
    g_assert_cmpuint(find_next_bit(map, nbits, nbits), ==, nbits);
    g_assert_cmpuint(find_next_bit(map, nbits, nbits + 100), ==, nbits);
    g_assert_cmpuint(find_next_zero_bit(map, nbits, nbits), ==, nbits);
    g_assert_cmpuint(find_next_zero_bit(map, nbits, 0), ==, 1);
    g_assert_cmpuint(find_next_zero_bit(map, nbits, 63), ==, 65);

    /* A bit in the tail of the last word is not in the map. */
    clear_bit(nbits - 1, map);
    set_bit(nbits, map);
    set_bit(nbits + 5, map);
    g_assert_cmpuint(find_next_bit(map, nbits, 65), ==, nbits);
    g_assert_cmpuint(bitmap_count_one(map, nbits), ==, 3);

    /* And a clear tail bit is no zero either. */
    bitmap_fill(map, nbits);
    clear_bit(nbits + 1, map);
    g_assert_true(bitmap_full(map, nbits));
    g_assert_cmpuint(find_next_zero_bit(map, nbits, 0), ==, nbits);
    g_assert_cmpuint(find_next_zero_bit(map, nbits, 100), ==, nbits);
    bitmap_free(map);
}

static void test_find_whole_words(void)
{
    const size_t nbits = 4 * BITS_PER_LONG;
    unsigned long *map = bitmap_new(nbits);

    /* Only the last bit set: the search must cross three empty words. */
    set_bit(nbits - 1, map);
    g_assert_cmpuint(find_next_bit(map, nbits, 0), ==, nbits - 1);
    bitmap_fill(map, nbits);
    clear_bit(nbits - 1, map);
    g_assert_cmpuint(find_next_zero_bit(map, nbits, 0), ==, nbits - 1);
    g_assert_false(bitmap_full(map, nbits));
    set_bit(nbits - 1, map);
    g_assert_true(bitmap_full(map, nbits));
    bitmap_free(map);
}

static void test_copy_or_and(void)
{
    unsigned long a[2] = {0};
    unsigned long b[2] = {0};
    unsigned long dst[2];
    const size_t nbits = BITS_PER_LONG + 6;
    const unsigned long tail_mask = ~0UL << 6;

    bitmap_set(a, 0, 10);
    bitmap_set(a, 60, 10);
    bitmap_set(b, 5, 60);

    /* Bits of dst past nbits must come through every operation unchanged. */
    dst[0] = 0;
    dst[1] = tail_mask;
    bitmap_or(dst, a, b, nbits);
    assert_range(dst, nbits, 0, 70);
    g_assert_cmphex(dst[1] & tail_mask, ==, tail_mask);

    dst[1] = tail_mask;
    bitmap_and(dst, a, b, nbits);
    g_assert_cmpuint(bitmap_count_one(dst, nbits), ==, 5 + 5);
    g_assert_cmpuint(find_next_bit(dst, nbits, 0), ==, 5);
    g_assert_cmpuint(find_next_bit(dst, nbits, 10), ==, 60);
    g_assert_cmphex(dst[1] & tail_mask, ==, tail_mask);

    dst[0] = 0;
    dst[1] = tail_mask;
    set_bit(BITS_PER_LONG + 20, a);
    bitmap_copy(dst, a, nbits);
    g_assert_cmphex(dst[0], ==, a[0]);
    g_assert_cmphex(dst[1], ==, (a[1] & ~tail_mask) | tail_mask);
}

/* Random operations on a bitmap and on a bool array must agree. */
static void test_against_model(void)
{
    const size_t nbits = 333;
    unsigned long *map = bitmap_new(nbits);
    unsigned long *other = bitmap_new(nbits);
    bool model[333] = {false};
    GRand *rand = g_rand_new_with_seed(0x6d6f7270);
    int round;

    for (round = 0; round < 2000; round++) {
        size_t start = (size_t)g_rand_int_range(rand, 0, (gint32)nbits);
        size_t len = (size_t)g_rand_int_range(rand, 0, (gint32)(nbits - start + 1));
        size_t off = (size_t)g_rand_int_range(rand, 0, (gint32)nbits + 2);
        size_t count = 0;
        size_t expect_one = nbits;
        size_t expect_zero = nbits;
        size_t i;
        bool set = g_rand_boolean(rand);

        if (set) {
            bitmap_set(map, start, len);
        } else {
            bitmap_clear(map, start, len);
        }
        for (i = start; i < start + len; i++) {
            model[i] = set;
        }
        for (i = 0; i < nbits; i++) {
            g_assert_cmpint(test_bit(i, map), ==, model[i]);
            count += model[i];
        }
        for (i = off; i < nbits; i++) {
            if (model[i] && expect_one == nbits) {
                expect_one = i;
            }
            if (!model[i] && expect_zero == nbits) {
                expect_zero = i;
            }
        }
        g_assert_cmpuint(bitmap_count_one(map, nbits), ==, count);
        g_assert_cmpuint(find_next_bit(map, nbits, off), ==, expect_one);
        g_assert_cmpuint(find_next_zero_bit(map, nbits, off), ==, expect_zero);
        g_assert_cmpint(bitmap_empty(map, nbits), ==, count == 0);
        g_assert_cmpint(bitmap_full(map, nbits), ==, count == nbits);

        bitmap_copy(other, map, nbits);
        g_assert_cmpint(memcmp(other, map, BITS_TO_LONGS(nbits) * sizeof(long)), ==, 0);
    }
    g_rand_free(rand);
    bitmap_free(map);
    bitmap_free(other);
}

static void test_atomic_single(void)
{
    unsigned long map[2] = {0};

    g_assert_false(test_and_set_bit_atomic(70, map));
    g_assert_true(test_and_set_bit_atomic(70, map));
    g_assert_true(test_bit(70, map));
    g_assert_true(test_and_clear_bit_atomic(70, map));
    g_assert_false(test_and_clear_bit_atomic(70, map));
    g_assert_false(test_bit(70, map));

    set_bit_atomic(63, map);
    set_bit_atomic(64, map);
    g_assert_cmpuint(bitmap_count_one(map, 128), ==, 2);
    clear_bit_atomic(63, map);
    g_assert_false(test_bit(63, map));
    g_assert_true(test_bit(64, map));
}

#define ATOMIC_THREADS 8
#define ATOMIC_BITS    4096

typedef struct AtomicJob {
    unsigned long *map;
    unsigned id;
    size_t won;
} AtomicJob;

/* Threads set interleaved bits, so every word is shared by all of them. */
static gpointer atomic_set_thread(gpointer opaque)
{
    AtomicJob *job = opaque;
    size_t bit;

    for (bit = job->id; bit < ATOMIC_BITS; bit += ATOMIC_THREADS) {
        set_bit_atomic(bit, job->map);
    }
    return NULL;
}

/* Every thread tries every bit; exactly one must see each one clear. */
static gpointer atomic_race_thread(gpointer opaque)
{
    AtomicJob *job = opaque;
    size_t bit;

    for (bit = 0; bit < ATOMIC_BITS; bit++) {
        if (!test_and_set_bit_atomic(bit, job->map)) {
            job->won++;
        }
    }
    return NULL;
}

static gpointer atomic_clear_thread(gpointer opaque)
{
    AtomicJob *job = opaque;
    size_t bit;

    for (bit = 0; bit < ATOMIC_BITS; bit++) {
        if (test_and_clear_bit_atomic(bit, job->map)) {
            job->won++;
        }
    }
    return NULL;
}

static size_t run_atomic_threads(unsigned long *map, GThreadFunc fn)
{
    GThread *threads[ATOMIC_THREADS];
    AtomicJob jobs[ATOMIC_THREADS];
    size_t won = 0;
    unsigned i;

    for (i = 0; i < ATOMIC_THREADS; i++) {
        jobs[i] = (AtomicJob){.map = map, .id = i, .won = 0};
        threads[i] = g_thread_new("bitmap", fn, &jobs[i]);
    }
    for (i = 0; i < ATOMIC_THREADS; i++) {
        g_thread_join(threads[i]);
        won += jobs[i].won;
    }
    return won;
}

static void test_atomic_threads(void)
{
    unsigned long *map = bitmap_new(ATOMIC_BITS);

    run_atomic_threads(map, atomic_set_thread);
    g_assert_true(bitmap_full(map, ATOMIC_BITS));

    bitmap_zero(map, ATOMIC_BITS);
    g_assert_cmpuint(run_atomic_threads(map, atomic_race_thread), ==, ATOMIC_BITS);
    g_assert_true(bitmap_full(map, ATOMIC_BITS));

    g_assert_cmpuint(run_atomic_threads(map, atomic_clear_thread), ==, ATOMIC_BITS);
    g_assert_true(bitmap_empty(map, ATOMIC_BITS));
    bitmap_free(map);
}

#define FLIP_WORDS 2
#define FLIP_ITERS 20000

typedef struct FlipJob {
    unsigned long *map;
    unsigned id;
    gint *go;
    size_t wrong;
} FlipJob;

/*
 * Each thread owns the bits with bit % ATOMIC_THREADS == id, interleaved with
 * everyone else's in the same two words, and flips them through every atomic
 * operation.  Only the owner changes a bit, so every result is known in
 * advance; a read-modify-write that is not atomic loses a neighbour's update
 * and shows up as a wrong result.
 */
static gpointer atomic_flip_thread(gpointer opaque)
{
    FlipJob *job = opaque;
    const size_t nbits = FLIP_WORDS * BITS_PER_LONG;
    size_t bit;
    int iter;

    while (!g_atomic_int_get(job->go)) {
        /* Start together, or the threads never overlap. */
    }
    for (iter = 0; iter < FLIP_ITERS; iter++) {
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            job->wrong += test_and_set_bit_atomic(bit, job->map);
        }
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            job->wrong += !test_and_clear_bit_atomic(bit, job->map);
        }
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            set_bit_atomic(bit, job->map);
        }
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            job->wrong += !test_and_clear_bit_atomic(bit, job->map);
        }
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            job->wrong += test_and_set_bit_atomic(bit, job->map);
        }
        for (bit = job->id; bit < nbits; bit += ATOMIC_THREADS) {
            clear_bit_atomic(bit, job->map);
        }
    }
    return NULL;
}

static void test_atomic_contention(void)
{
    unsigned long map[FLIP_WORDS] = {0};
    GThread *threads[ATOMIC_THREADS];
    FlipJob jobs[ATOMIC_THREADS];
    gint go = 0;
    size_t wrong = 0;
    unsigned i;

    for (i = 0; i < ATOMIC_THREADS; i++) {
        jobs[i] = (FlipJob){.map = map, .id = i, .go = &go, .wrong = 0};
        threads[i] = g_thread_new("flip", atomic_flip_thread, &jobs[i]);
    }
    g_atomic_int_set(&go, 1);
    for (i = 0; i < ATOMIC_THREADS; i++) {
        g_thread_join(threads[i]);
        wrong += jobs[i].wrong;
    }
    g_assert_cmpuint(wrong, ==, 0);
    g_assert_true(bitmap_empty(map, FLIP_WORDS * BITS_PER_LONG));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/bitmap/new-is-zero", test_new_is_zero);
    g_test_add_func("/bitmap/zero-size", test_zero_size);
    g_test_add_func("/bitmap/fill-zero", test_fill_zero);
    g_test_add_func("/bitmap/single-bits", test_single_bits);
    g_test_add_func("/bitmap/set-clear-ranges", test_set_clear_ranges);
    g_test_add_func("/bitmap/set-keeps-neighbours", test_set_keeps_neighbours);
    g_test_add_func("/bitmap/find-ends", test_find_ends);
    g_test_add_func("/bitmap/find-whole-words", test_find_whole_words);
    g_test_add_func("/bitmap/copy-or-and", test_copy_or_and);
    g_test_add_func("/bitmap/against-model", test_against_model);
    g_test_add_func("/bitmap/atomic-single", test_atomic_single);
    g_test_add_func("/bitmap/atomic-threads", test_atomic_threads);
    g_test_add_func("/bitmap/atomic-contention", test_atomic_contention);

    return g_test_run();
}
