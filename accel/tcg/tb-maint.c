/*
 * The cache of translation blocks: the global hash table that finds a TB
 * by its key (pc, cs_base, flags, cflags and, in system mode, the physical
 * address of the pc), the per-page lists that find the TBs made from a
 * guest page when it is written, the direct jumps between TBs (chaining)
 * and their undoing, invalidation and the full flush.
 *
 * A TB is never freed before a flush: invalidating it only unpublishes it
 * (hash, page lists, jump caches) and unchains it, because another vCPU may
 * still be running its code.  tb_flush() frees everything at a moment when
 * no vCPU is in generated code (an exclusive section).
 */
#include <glib.h>
#include <pthread.h>
#include "internal.h"

/* ---- the lock */

static pthread_mutex_t tb_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread bool tb_lock_owned;

void tb_lock(void)
{
    g_assert(!tb_lock_owned);
    pthread_mutex_lock(&tb_mutex);
    tb_lock_owned = true;
}

void tb_unlock(void)
{
    g_assert(tb_lock_owned);
    tb_lock_owned = false;
    pthread_mutex_unlock(&tb_mutex);
}

bool tb_lock_held(void)
{
    return tb_lock_owned;
}

void tb_lock_reset(void)
{
    if (tb_lock_owned) {
        tb_unlock();
    }
}

/* ---- state */

/* The TBs made from one guest page (physical in system mode), linked through page_next[]. */
typedef struct TBPage {
    uint64_t addr;
    TranslationBlock *first;
    /*
     * Bit i: the page's (1/64)th number i holds code of some TB (a superset
     * once TBs go).  A write to a code page that misses every such part
     * needs no walk of the TB list: data next to code stays cheap to write.
     */
    uint64_t code_parts;
} TBPage;

/*
 * Lock-free hint of which physical pages hold code, for tlb_set_page():
 * a counter per hash bucket of pages, non-zero when some page of the bucket
 * has TBs.  Zero means "certainly no code"; non-zero asks for the exact
 * answer under tb_lock.
 */
#define TB_CODE_HINT_BITS 16

static struct {
    TranslationBlock **buckets;
    size_t nb_buckets; /* a power of two */
    size_t count;
    GHashTable *pages; /* uint64_t page address -> TBPage */
    unsigned flush_count;
    uint32_t *code_hint; /* [1 << TB_CODE_HINT_BITS] */
} tb_cache;

void tb_maint_init(void)
{
    tb_cache.nb_buckets = 1 << 17; /* a Linux boot makes ~40k TBs: no rehash on the way */
    tb_cache.buckets = g_new0(TranslationBlock *, tb_cache.nb_buckets);
    tb_cache.count = 0;
    tb_cache.pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    tb_cache.code_hint = g_new0(uint32_t, 1 << TB_CODE_HINT_BITS);
    tb_cache.flush_count = 0;
}

void tb_maint_exit(void)
{
    g_free(tb_cache.buckets);
    tb_cache.buckets = NULL;
    g_hash_table_destroy(tb_cache.pages);
    tb_cache.pages = NULL;
    g_free(tb_cache.code_hint);
    tb_cache.code_hint = NULL;
}

unsigned tb_flush_count(void)
{
    return __atomic_load_n(&tb_cache.flush_count, __ATOMIC_ACQUIRE);
}

/* ---- hash table */

static uint64_t tb_phys_pc(const TranslationBlock *tb)
{
    return tb->page_addr[0] | (tb->pc & ~tcg_accel.page_mask);
}

static uint32_t tb_hash(uint64_t phys_pc, vaddr pc, uint64_t cs_base, uint32_t flags,
                        uint32_t cflags)
{
    uint64_t h = phys_pc * UINT64_C(0x9e3779b97f4a7c15);

    h ^= (pc ^ (cs_base * UINT64_C(0xc2b2ae3d27d4eb4f))) * UINT64_C(0x165667b19e3779f9);
    h ^= (((uint64_t)flags << 32) | cflags) * UINT64_C(0x27d4eb2f165667c5);
    h ^= h >> 31;
    h *= UINT64_C(0x94d049bb133111eb);
    h ^= h >> 29;
    return (uint32_t)h;
}

static TranslationBlock **tb_bucket(const TranslationBlock *tb)
{
    uint32_t h = tb_hash(tb_phys_pc(tb), tb->pc, tb->cs_base, tb->flags, tb->cflags);

    return &tb_cache.buckets[h & (tb_cache.nb_buckets - 1)];
}

static void tb_hash_grow(void)
{
    TranslationBlock **old = tb_cache.buckets;
    size_t old_n = tb_cache.nb_buckets;

    tb_cache.nb_buckets = old_n * 2;
    tb_cache.buckets = g_new0(TranslationBlock *, tb_cache.nb_buckets);
    for (size_t i = 0; i < old_n; i++) {
        TranslationBlock *tb = old[i];

        while (tb) {
            TranslationBlock *next = tb->hash_next;
            TranslationBlock **b = tb_bucket(tb);

            tb->hash_next = *b;
            *b = tb;
            tb = next;
        }
    }
    g_free(old);
}

static void tb_hash_insert(TranslationBlock *tb)
{
    TranslationBlock **b;

    if (tb_cache.count >= tb_cache.nb_buckets / 2) { /* short chains: each link is a cache miss */
        tb_hash_grow();
    }
    b = tb_bucket(tb);
    tb->hash_next = *b;
    *b = tb;
    tb_cache.count++;
}

static void tb_hash_remove(TranslationBlock *tb)
{
    for (TranslationBlock **p = tb_bucket(tb); *p; p = &(*p)->hash_next) {
        if (*p == tb) {
            *p = tb->hash_next;
            tb->hash_next = NULL;
            tb_cache.count--;
            return;
        }
    }
}

/*
 * In system mode a TB whose code spills onto a second page is only valid
 * while that page still maps to the same physical page.
 */
static bool tb_second_page_matches(CPUState *cs, const TranslationBlock *tb)
{
    uint64_t phys;
    void *host;
    vaddr virt;

    if (tb->page_addr[1] == (uint64_t)-1 || !tcg_accel.softmmu) {
        return true;
    }
    virt = (tb->pc & tcg_accel.page_mask) + tcg_accel.page_size;
    return cputlb_code_page(cs, virt, true, &phys, &host, NULL) && phys == tb->page_addr[1];
}

TranslationBlock *tb_htable_lookup(CPUState *cs, vaddr pc, uint64_t phys_pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags)
{
    uint32_t h = tb_hash(phys_pc, pc, cs_base, flags, cflags);

    g_assert(tb_lock_held());
    for (TranslationBlock *tb = tb_cache.buckets[h & (tb_cache.nb_buckets - 1)]; tb;
         tb = tb->hash_next) {
        if (tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags && tb->cflags == cflags &&
            tb_phys_pc(tb) == phys_pc && tb_second_page_matches(cs, tb)) {
            return tb;
        }
    }
    return NULL;
}

/* ---- per-page lists */

static unsigned tb_code_hint_index(uint64_t page)
{
    return (unsigned)(page >> tcg_accel.page_bits) & ((1u << TB_CODE_HINT_BITS) - 1);
}

bool tb_page_maybe_code(uint64_t page)
{
    return __atomic_load_n(&tb_cache.code_hint[tb_code_hint_index(page)], __ATOMIC_SEQ_CST) != 0;
}

bool tb_page_has_code(uint64_t page)
{
    g_assert(tb_lock_held());
    return g_hash_table_contains(tb_cache.pages, &page);
}

/* Which of the TB's page slots is `page` (a TB never has the same page twice). */
static int tb_page_slot(const TranslationBlock *tb, uint64_t page)
{
    return tb->page_addr[0] == page ? 0 : 1;
}

static void tb_page_range(const TranslationBlock *tb, int slot, uint64_t *lo, uint64_t *hi);

/* The code_parts bits of the bytes [lo, hi] of a page (both inside it). */
static uint64_t tb_page_parts(uint64_t lo, uint64_t hi)
{
    unsigned shift = tcg_accel.page_bits - 6;
    unsigned first = (unsigned)((lo & ~tcg_accel.page_mask) >> shift);
    unsigned last = (unsigned)((hi & ~tcg_accel.page_mask) >> shift);
    uint64_t upto_last = last == 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;

    return upto_last & ~((UINT64_C(1) << first) - 1);
}

static void tb_page_add(TranslationBlock *tb, int slot)
{
    uint64_t page = tb->page_addr[slot];
    TBPage *pd = g_hash_table_lookup(tb_cache.pages, &page);

    if (!pd) {
        pd = g_new0(TBPage, 1);
        pd->addr = page;
        g_hash_table_insert(tb_cache.pages, &pd->addr, pd);
        __atomic_fetch_add(&tb_cache.code_hint[tb_code_hint_index(page)], 1, __ATOMIC_SEQ_CST);
        if (tcg_accel.softmmu) {
            cputlb_protect_code(page);
        }
    }
    tb->page_next[slot] = pd->first;
    pd->first = tb;
    {
        uint64_t lo, hi;

        tb_page_range(tb, slot, &lo, &hi);
        pd->code_parts |= tb_page_parts(lo, hi);
    }
    if (!tcg_accel.softmmu) {
        user_protect_code_page(page);
    }
}

static void tb_page_remove(TranslationBlock *tb, int slot)
{
    uint64_t page = tb->page_addr[slot];
    TBPage *pd = g_hash_table_lookup(tb_cache.pages, &page);
    TranslationBlock **p;

    if (!pd) {
        return;
    }
    for (p = &pd->first; *p; p = &(*p)->page_next[tb_page_slot(*p, page)]) {
        if (*p == tb) {
            *p = tb->page_next[slot];
            tb->page_next[slot] = NULL;
            break;
        }
    }
    if (!pd->first) {
        __atomic_fetch_sub(&tb_cache.code_hint[tb_code_hint_index(page)], 1, __ATOMIC_SEQ_CST);
        g_hash_table_remove(tb_cache.pages, &page);
    }
}

void tb_link(TranslationBlock *tb, uint64_t phys_pc)
{
    g_assert(tb_lock_held());
    g_assert(tb_phys_pc(tb) == phys_pc);
    tb_hash_insert(tb);
    for (int i = 0; i < 2; i++) {
        if (tb->page_addr[i] != (uint64_t)-1) {
            tb_page_add(tb, i);
        }
    }
}

/* ---- jump caches */

void tb_jmp_cache_clear(CPUState *cs)
{
    if (!cs->tb_jmp_cache) {
        return;
    }
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        __atomic_store_n(&cs->tb_jmp_cache[i], NULL, __ATOMIC_RELAXED);
    }
    if (cs->accel) {
        cs->accel->nb_jmp_local = 0;
        memset(cs->accel->jmp_pages, 0, sizeof(cs->accel->jmp_pages));
    }
}

static bool tb_jmp_cache_page_noted(CPUState *cs, vaddr page)
{
    unsigned bit = tb_jmp_page_bit(page);

    return !cs->accel || ((cs->accel->jmp_pages[bit / 64] >> (bit % 64)) & 1);
}

void tb_jmp_cache_clear_local(CPUState *cs)
{
    AccelCPUState *a = cs->accel;

    if (!cs->tb_jmp_cache || !a) {
        return;
    }
    if (a->nb_jmp_local > TB_JMP_LOCAL_MAX) {
        tb_jmp_cache_clear(cs);
        return;
    }
    for (unsigned i = 0; i < a->nb_jmp_local; i++) {
        __atomic_store_n(&cs->tb_jmp_cache[a->jmp_local[i]], NULL, __ATOMIC_RELAXED);
    }
    a->nb_jmp_local = 0;
}

static void tb_jmp_cache_clear_run(CPUState *cs, unsigned run)
{
    for (unsigned i = 0; i < TB_JMP_RUN_SIZE; i++) {
        __atomic_store_n(&cs->tb_jmp_cache[run + i], NULL, __ATOMIC_RELAXED);
    }
}

void tb_jmp_cache_clear_page(CPUState *cs, vaddr addr)
{
    vaddr page = addr & tcg_accel.page_mask;

    if (!cs->tb_jmp_cache) {
        return;
    }
    /* A page whose TBs never entered the cache has nothing in it to forget. */
    if (tb_jmp_cache_page_noted(cs, page)) {
        tb_jmp_cache_clear_run(cs, tb_jmp_cache_run(page));
    }
    if (tb_jmp_cache_page_noted(cs, page - tcg_accel.page_size)) {
        tb_jmp_cache_clear_run(cs, tb_jmp_cache_run(page - tcg_accel.page_size));
    }
}

static void tb_jmp_cache_clear_one(CPUState *cs, void *opaque)
{
    tb_jmp_cache_clear(cs);
}

static void tb_jmp_cache_remove(CPUState *cs, void *opaque)
{
    TranslationBlock *tb = opaque;
    TranslationBlock *expected = tb;

    __atomic_compare_exchange_n(&cs->tb_jmp_cache[tb_jmp_cache_hash(tb->pc)], &expected, NULL,
                                false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* ---- chaining */

static void tb_incoming_add(TranslationBlock *dest, uintptr_t edge)
{
    if (dest->nb_incoming == dest->cap_incoming) {
        dest->cap_incoming = (uint16_t)MIN(dest->cap_incoming ? 2u * dest->cap_incoming : 4u,
                                           (unsigned)UINT16_MAX);
        dest->jmp_incoming = g_renew(uintptr_t, dest->jmp_incoming, dest->cap_incoming);
    }
    dest->jmp_incoming[dest->nb_incoming++] = edge;
}

static void tb_incoming_remove(TranslationBlock *dest, uintptr_t edge)
{
    for (unsigned i = 0; i < dest->nb_incoming; i++) {
        if (dest->jmp_incoming[i] == edge) {
            dest->jmp_incoming[i] = dest->jmp_incoming[--dest->nb_incoming];
            return;
        }
    }
}

/* Point jump slot `slot` of `tb` back at its own exit path. */
static void tb_reset_jump(TranslationBlock *tb, int slot)
{
    uintptr_t base = (uintptr_t)tb->tc_ptr;

    tcg_accel.ctx->backend->set_jmp_target(base + tb->jmp_insn_offset[slot],
                                           base + tb->jmp_reset_offset[slot]);
    __atomic_store_n(&tb->jmp_dest[slot], NULL, __ATOMIC_RELAXED);
    tcg_stats.unchained_jumps++;
}

void tb_add_jump(TranslationBlock *tb, int slot, TranslationBlock *dest)
{
    g_assert(slot == 0 || slot == 1);
    if (__atomic_load_n(&tb->jmp_dest[slot], __ATOMIC_RELAXED)) {
        return;
    }
    tb_lock();
    /* Re-check under the lock: another vCPU may have chained or invalidated meanwhile. */
    if (!tb->jmp_dest[slot] && !tb->invalid && !dest->invalid &&
        tb->jmp_insn_offset[slot] != UINT16_MAX && dest->nb_incoming < UINT16_MAX) {
        uintptr_t base = (uintptr_t)tb->tc_ptr;

        tcg_accel.ctx->backend->set_jmp_target(base + tb->jmp_insn_offset[slot],
                                               (uintptr_t)dest->tc_ptr);
        __atomic_store_n(&tb->jmp_dest[slot], dest, __ATOMIC_RELAXED);
        tb_incoming_add(dest, (uintptr_t)tb | (uintptr_t)slot);
        tcg_stats.chained_jumps++;
    }
    tb_unlock();
}

/* ---- invalidation */

static void tb_invalidate_locked(TranslationBlock *tb)
{
    if (tb->invalid) {
        return;
    }
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELEASE);
    tb_hash_remove(tb);
    for (int i = 0; i < 2; i++) {
        if (tb->page_addr[i] != (uint64_t)-1) {
            tb_page_remove(tb, i);
        }
    }
    cpu_list_foreach(tb_jmp_cache_remove, tb);

    /*
     * Unchain both ways: jumps into this TB go back to their exit paths, and
     * this TB's own jumps too, so that a vCPU still inside its code cannot
     * follow them into a successor that is invalidated later.
     */
    for (int n = 0; n < 2; n++) {
        TranslationBlock *dest = tb->jmp_dest[n];

        if (dest) {
            tb_incoming_remove(dest, (uintptr_t)tb | (uintptr_t)n);
            tb_reset_jump(tb, n);
        }
    }
    for (unsigned i = 0; i < tb->nb_incoming; i++) {
        TranslationBlock *src = (TranslationBlock *)(tb->jmp_incoming[i] & ~(uintptr_t)1);
        int n = (int)(tb->jmp_incoming[i] & 1);

        tb_reset_jump(src, n);
    }
    tb->nb_incoming = 0;

    tcg_stats.tb_count--;
    tcg_stats.tb_invalidated++;
    tcg_stats.code_bytes -= tb->tc_size;
    tcg_stats.tb_guest_bytes -= tb->size;
}

/* The bytes [*lo, *hi] of the TB's guest code that lie on its page `slot`. */
static void tb_page_range(const TranslationBlock *tb, int slot, uint64_t *lo, uint64_t *hi)
{
    vaddr off = tb->pc & ~tcg_accel.page_mask;
    vaddr size = tb->size ? tb->size : 1;

    if (slot == 0) {
        vaddr on_first = MIN(size, tcg_accel.page_size - off);

        *lo = tb->page_addr[0] + off;
        *hi = *lo + on_first - 1;
    } else {
        *lo = tb->page_addr[1];
        *hi = *lo + (size - (tcg_accel.page_size - off)) - 1;
    }
}

bool tb_invalidate_phys_range_locked(uint64_t start, uint64_t last, uintptr_t retaddr)
{
    TranslationBlock *current = NULL;
    bool current_known = false;
    bool modified = false;
    uint64_t page;

    g_assert(tb_lock_held());
    if (last < start) {
        return false;
    }
    for (page = start & tcg_accel.page_mask;; page += tcg_accel.page_size) {
        TBPage *pd = g_hash_table_lookup(tb_cache.pages, &page);
        TranslationBlock *tb = pd ? pd->first : NULL;

        if (pd && !(pd->code_parts & tb_page_parts(MAX(start, page),
                                                   MIN(last, page + tcg_accel.page_size - 1)))) {
            tb = NULL;
        }
        while (tb) {
            int slot = tb_page_slot(tb, page);
            TranslationBlock *next = tb->page_next[slot];
            uint64_t lo, hi;

            tb_page_range(tb, slot, &lo, &hi);
            if (lo <= last && hi >= start) {
                if (!current_known) {
                    current = retaddr ? tc_lookup(retaddr - 1) : NULL;
                    current_known = true;
                }
                if (tb == current && tb->icount > 1) {
                    modified = true;
                }
                tb_invalidate_locked(tb);
            }
            tb = next;
        }
        if (page >= (last & tcg_accel.page_mask)) {
            break;
        }
    }
    return modified;
}

void tb_invalidate_phys_range(uint64_t start, uint64_t last)
{
    if (!tcg_accel.ctx) {
        return;
    }
    tb_lock();
    tb_invalidate_phys_range_locked(start, last, 0);
    tb_unlock();
}

void tb_invalidate_phys_page(uint64_t addr)
{
    uint64_t page = addr & tcg_accel.page_mask;

    tb_invalidate_phys_range(page, page + tcg_accel.page_size - 1);
}

void tb_exit_modified(CPUState *cs, uintptr_t retaddr)
{
    /*
     * The store is the current instruction: run it again in a TB of its
     * own, which the store may invalidate without harm since nothing of it
     * runs afterwards.
     */
    cpu_restore_state(cs, retaddr);
    cs->accel->cflags_next_tb = (curr_cflags(cs) & ~CF_COUNT_MASK) | CF_NOIRQ | 1;
    cpu_loop_exit_noexc(cs);
}

/* ---- flush */

void tb_flush_locked(void)
{
    g_assert(tb_lock_held());
    cpu_list_foreach(tb_jmp_cache_clear_one, NULL);
    memset(tb_cache.buckets, 0, tb_cache.nb_buckets * sizeof(*tb_cache.buckets));
    tb_cache.count = 0;
    g_hash_table_remove_all(tb_cache.pages);
    memset(tb_cache.code_hint, 0, sizeof(uint32_t) << TB_CODE_HINT_BITS);
    tc_reset();
    tcg_code_buffer_reset(tcg_accel.ctx);
    tcg_stats.flushes++;
    tcg_stats.tb_count = 0;
    tcg_stats.code_bytes = 0;
    tcg_stats.tb_guest_bytes = 0;
    __atomic_fetch_add(&tb_cache.flush_count, 1, __ATOMIC_RELEASE);
}

void tb_flush(CPUState *cs)
{
    unsigned gen = tb_flush_count();

    g_assert(!tb_lock_held());
    if (!tcg_accel.ctx) {
        return;
    }
    if (exclusive_held()) {
        tb_lock();
        tb_flush_locked();
        tb_unlock();
        return;
    }
    start_exclusive();
    /* Another vCPU may have flushed while we waited: once is enough. */
    if (tb_flush_count() == gen) {
        tb_lock();
        tb_flush_locked();
        tb_unlock();
    }
    end_exclusive();
}
