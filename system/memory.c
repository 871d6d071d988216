/*
 * The memory API (contract in include/system/memory.h, model QEMU's
 * softmmu/memory.c and docs/devel/memory.rst): the region tree, its
 * flattening into a sorted range table per address space, dispatch of
 * accesses to I/O regions with their access-size rules and byte order,
 * and the functions the softmmu TLB calls (include/exec/memory.h).
 *
 * Flattening renders a region's subregions from the highest priority
 * down, then the region's own content, each piece filling only what is
 * still uncovered: so the highest-priority region wins an overlap.  The
 * table covers all 2^64 addresses; what nothing claims is a hole section
 * (mr NULL), which answers MEMTX_DECODE_ERROR.  Tables are replaced, never
 * changed, so a vCPU may keep using a section until its TLB is flushed.
 */
#include <inttypes.h>
#include <string.h>
#include "exec/cpu-exec.h"
#include "system/bql.h"
#include "util/log.h"
#include "memory-internal.h"

typedef __int128 Int128;

static AddressSpace *address_spaces;
static unsigned transaction_depth;
static bool transaction_pending;
static unsigned page_bits = 12;
static void (*map_notifier)(void *opaque);
static void *map_notifier_opaque;
/* Tables replaced but perhaps still in a TLB, freed by memory_reclaim(). */
static GPtrArray *old_views;

static void memory_update(void);

/* ---- regions */

static void memory_region_init_common(MemoryRegion *mr, void *owner, const char *name,
                                      uint64_t size, MemoryRegionType type)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name ? name : "anonymous");
    mr->owner = owner;
    mr->size = size;
    mr->type = type;
    mr->enabled = true;
    mr->global_locking = true;
    mr->initialized = true;
}

void memory_region_init(MemoryRegion *mr, void *owner, const char *name, uint64_t size)
{
    memory_region_init_common(mr, owner, name, size, MR_CONTAINER);
}

void memory_region_init_io(MemoryRegion *mr, void *owner, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size)
{
    memory_region_init_common(mr, owner, name, size, MR_IO);
    mr->ops = ops;
    mr->opaque = opaque;
}

bool memory_region_init_ram(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                            Error **errp)
{
    RAMBlock *rb = ram_block_new(name, size, errp);

    if (!rb) {
        return false;
    }
    memory_region_init_common(mr, owner, name, size, MR_RAM);
    mr->ram_block = rb;
    mr->ram_ptr = rb->host;
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                            Error **errp)
{
    if (!memory_region_init_ram(mr, owner, name, size, errp)) {
        return false;
    }
    mr->readonly = true;
    return true;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                                void *ptr)
{
    memory_region_init_common(mr, owner, name, size, MR_RAM);
    mr->ram_ptr = ptr;
}

void memory_region_init_alias(MemoryRegion *mr, void *owner, const char *name,
                              MemoryRegion *orig, uint64_t offset, uint64_t size)
{
    memory_region_init_common(mr, owner, name, size, MR_ALIAS);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (!mr->initialized) {
        return;
    }
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    while (mr->subregions) {
        memory_region_del_subregion(mr, mr->subregions);
    }
    if (mr->ram_block) {
        ram_block_free(mr->ram_block);
    }
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
}

/* Higher priority first; a newcomer goes before older siblings of its priority. */
static void memory_region_link(MemoryRegion *container, MemoryRegion *sub)
{
    MemoryRegion **p = &container->subregions;

    while (*p && (*p)->priority > sub->priority) {
        p = &(*p)->next;
    }
    sub->next = *p;
    *p = sub;
}

static void memory_region_add_subregion_common(MemoryRegion *container, uint64_t offset,
                                               MemoryRegion *sub)
{
    g_assert(sub->initialized && !sub->container);
    sub->container = container;
    sub->addr = offset;
    memory_region_link(container, sub);
    memory_update();
}

void memory_region_add_subregion(MemoryRegion *container, uint64_t offset, MemoryRegion *sub)
{
    sub->may_overlap = false;
    sub->priority = 0;
    memory_region_add_subregion_common(container, offset, sub);
}

void memory_region_add_subregion_overlap(MemoryRegion *container, uint64_t offset,
                                         MemoryRegion *sub, int priority)
{
    sub->may_overlap = true;
    sub->priority = priority;
    memory_region_add_subregion_common(container, offset, sub);
}

void memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub)
{
    MemoryRegion **p = &container->subregions;

    g_assert(sub->container == container);
    while (*p && *p != sub) {
        p = &(*p)->next;
    }
    g_assert(*p);
    *p = sub->next;
    sub->next = NULL;
    sub->container = NULL;
    memory_update();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_update();
    }
}

void memory_region_set_address(MemoryRegion *mr, uint64_t addr)
{
    MemoryRegion *container = mr->container;

    if (mr->addr == addr) {
        return;
    }
    if (!container) {
        mr->addr = addr;
        return;
    }
    memory_region_transaction_begin();
    memory_region_del_subregion(container, mr);
    mr->addr = addr;
    mr->container = container;
    memory_region_link(container, mr);
    memory_update();
    memory_region_transaction_commit();
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size != size) {
        mr->size = size;
        memory_update();
    }
}

void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset)
{
    g_assert(mr->type == MR_ALIAS);
    if (mr->alias_offset != offset) {
        mr->alias_offset = offset;
        memory_update();
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        memory_update();
    }
}

void memory_region_set_global_locking(MemoryRegion *mr, bool on)
{
    mr->global_locking = on;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    while (mr->type == MR_ALIAS) {
        mr = mr->alias;
    }
    return mr->type == MR_RAM ? mr->ram_ptr : NULL;
}

RAMBlock *memory_region_get_ram_block(MemoryRegion *mr)
{
    while (mr->type == MR_ALIAS) {
        mr = mr->alias;
    }
    return mr->ram_block;
}

/* ---- flattening */

/*
 * Add [start, last] -> (mr, offset of `start` in mr) where the table has
 * nothing yet.  The table is sorted and its ranges do not overlap.
 */
static void flat_insert(GArray *a, hwaddr start, hwaddr last, MemoryRegion *mr, hwaddr offset,
                        bool readonly)
{
    hwaddr p = start;
    unsigned lo = 0, hi = a->len;

    /* The first range that ends at or after start. */
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;

        if (g_array_index(a, MemoryRegionSection, mid).last < start) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (unsigned i = lo;;) {
        MemoryRegionSection s;
        hwaddr gap_last = last;

        if (i < a->len && g_array_index(a, MemoryRegionSection, i).start <= p) {
            hwaddr covered = g_array_index(a, MemoryRegionSection, i).last;

            if (covered >= last) {
                return;
            }
            p = covered + 1;
            i++;
            continue;
        }
        if (i < a->len && g_array_index(a, MemoryRegionSection, i).start - 1 < gap_last) {
            gap_last = g_array_index(a, MemoryRegionSection, i).start - 1;
        }
        memset(&s, 0, sizeof(s));
        s.start = p;
        s.last = gap_last;
        s.mr = mr;
        s.offset_in_region = offset + (p - start);
        s.readonly = readonly;
        g_array_insert_val(a, i, s);
        i++;
        if (gap_last == last) {
            return;
        }
        p = gap_last + 1;
    }
}

/*
 * Render `mr` placed at `base` (which may lie outside the 64-bit space
 * when an alias shifts its target), limited to [clip_start, clip_last].
 */
static void flat_render(GArray *a, MemoryRegion *mr, Int128 base, hwaddr clip_start,
                        hwaddr clip_last, bool readonly)
{
    Int128 start, last;
    hwaddr cs, cl;

    if (!mr->enabled || mr->size == 0) {
        return;
    }
    start = base;
    last = mr->size == UINT64_MAX ? base + (Int128)UINT64_MAX : base + (Int128)mr->size - 1;
    if (start < (Int128)clip_start) {
        start = clip_start;
    }
    if (last > (Int128)clip_last) {
        last = clip_last;
    }
    if (start > last) {
        return;
    }
    cs = (hwaddr)start;
    cl = (hwaddr)last;
    readonly = readonly || mr->readonly;
    if (mr->type == MR_ALIAS) {
        flat_render(a, mr->alias, base - (Int128)mr->alias_offset, cs, cl, readonly);
        return;
    }
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next) {
        flat_render(a, sub, base + (Int128)sub->addr, cs, cl, readonly);
    }
    if (mr->type == MR_RAM || mr->type == MR_IO) {
        flat_insert(a, cs, cl, mr, (hwaddr)((Int128)cs - base), readonly);
    }
}

static FlatView *flatview_build(AddressSpace *as)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(MemoryRegionSection));
    FlatView *fv = g_new0(FlatView, 1);

    flat_render(a, as->root, 0, 0, UINT64_MAX, false);
    /* Holes everywhere else, so that every address has a section. */
    flat_insert(a, 0, UINT64_MAX, NULL, 0, false);
    fv->nr = a->len;
    fv->ranges = (MemoryRegionSection *)g_array_free(a, FALSE);
    fv->as = as;
    for (unsigned i = 0; i < fv->nr; i++) {
        fv->ranges[i].fv = fv;
    }
    return fv;
}

static void flatview_free(FlatView *fv)
{
    if (fv) {
        g_free(fv->ranges);
        g_free(fv);
    }
}

static MemoryRegionSection *flatview_lookup(FlatView *fv, hwaddr addr)
{
    unsigned lo = 0, hi = fv->nr;
    unsigned hint = __atomic_load_n(&fv->last_hit, __ATOMIC_RELAXED);

    if (hint < fv->nr && fv->ranges[hint].start <= addr && addr <= fv->ranges[hint].last) {
        return &fv->ranges[hint];
    }

    /* The last range starting at or before addr; ranges cover every address. */
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;

        if (fv->ranges[mid].start <= addr) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    __atomic_store_n(&fv->last_hit, lo, __ATOMIC_RELAXED);
    return &fv->ranges[lo];
}

static bool flatview_equal(const FlatView *a, const FlatView *b)
{
    if (!a || !b || a->nr != b->nr) {
        return false;
    }
    for (unsigned i = 0; i < a->nr; i++) {
        const MemoryRegionSection *x = &a->ranges[i], *y = &b->ranges[i];

        if (x->start != y->start || x->last != y->last || x->mr != y->mr ||
            x->offset_in_region != y->offset_in_region || x->readonly != y->readonly) {
            return false;
        }
    }
    return true;
}

/* Flatten every address space again; tell the vCPUs if a view changed. */
static void memory_update(void)
{
    bool changed = false;

    if (transaction_depth) {
        transaction_pending = true;
        return;
    }
    for (AddressSpace *as = address_spaces; as; as = as->next) {
        FlatView *old = as->current_map;
        FlatView *fv = flatview_build(as);

        if (flatview_equal(old, fv)) {
            flatview_free(fv);
            continue;
        }
        __atomic_store_n(&as->current_map, fv, __ATOMIC_RELEASE);
        if (old) {
            if (!old_views) {
                old_views = g_ptr_array_new();
            }
            g_ptr_array_add(old_views, old);
        }
        changed = true;
    }
    if (!changed) {
        return;
    }
    if (map_notifier) {
        map_notifier(map_notifier_opaque);
    } else {
        /* No vCPU can hold a section: nothing to wait for. */
        memory_reclaim();
    }
}

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    g_assert(transaction_depth > 0);
    if (--transaction_depth == 0 && transaction_pending) {
        transaction_pending = false;
        memory_update();
    }
}

void memory_set_map_notifier(void (*fn)(void *opaque), void *opaque)
{
    map_notifier = fn;
    map_notifier_opaque = opaque;
}

void memory_reclaim(void)
{
    if (!old_views) {
        return;
    }
    for (unsigned i = 0; i < old_views->len; i++) {
        flatview_free(g_ptr_array_index(old_views, i));
    }
    g_ptr_array_set_size(old_views, 0);
}

void memory_set_page_bits(unsigned bits)
{
    page_bits = bits;
}

/* ---- address spaces */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    AddressSpace **p = &address_spaces;

    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
    while (*p) {
        p = &(*p)->next;
    }
    *p = as;
    as->current_map = flatview_build(as);
}

void address_space_destroy(AddressSpace *as)
{
    AddressSpace **p = &address_spaces;

    while (*p && *p != as) {
        p = &(*p)->next;
    }
    if (*p) {
        *p = as->next;
    }
    if (!old_views) {
        old_views = g_ptr_array_new();
    }
    g_ptr_array_add(old_views, as->current_map);
    as->current_map = NULL;
    g_free(as->name);
    as->name = NULL;
}

static MemoryRegion system_memory;
static AddressSpace system_as;

MemoryRegion *get_system_memory(void)
{
    if (!system_memory.initialized) {
        memory_region_init(&system_memory, NULL, "system", UINT64_MAX);
        address_space_init(&system_as, &system_memory, "memory");
    }
    return &system_memory;
}

AddressSpace *address_space_memory(void)
{
    get_system_memory();
    return &system_as;
}

MemoryRegionSection *address_space_lookup(AddressSpace *as, hwaddr addr)
{
    return flatview_lookup(__atomic_load_n(&as->current_map, __ATOMIC_ACQUIRE), addr);
}

/* ---- dispatch */

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static uint64_t bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return __builtin_bswap16((uint16_t)v);
    case 4:
        return __builtin_bswap32((uint32_t)v);
    case 8:
        return __builtin_bswap64(v);
    default:
        return v;
    }
}

static bool device_is_big_endian(const MemoryRegionOps *ops)
{
    /* DEVICE_NATIVE_ENDIAN is the target's order; morph's targets are little-endian. */
    return ops->endianness == DEVICE_BIG_ENDIAN;
}

static MemTxResult io_read_one(MemoryRegion *mr, hwaddr addr, uint64_t *val, unsigned size,
                               MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;

    if (ops->read_with_attrs) {
        return ops->read_with_attrs(mr->opaque, addr, val, size, attrs);
    }
    *val = ops->read ? ops->read(mr->opaque, addr, size) : 0;
    return MEMTX_OK;
}

static MemTxResult io_write_one(MemoryRegion *mr, hwaddr addr, uint64_t val, unsigned size,
                                MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;

    if (ops->write_with_attrs) {
        return ops->write_with_attrs(mr->opaque, addr, val, size, attrs);
    }
    if (ops->write) {
        ops->write(mr->opaque, addr, val, size);
    }
    return MEMTX_OK;
}

/* Split or widen an access to the sizes the callbacks implement (ops->impl). */
static MemTxResult io_access_adjusted(MemoryRegion *mr, hwaddr addr, uint64_t *val,
                                      unsigned size, bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size : 4;
    unsigned asz = MAX(MIN(size, imax), imin);
    bool be = device_is_big_endian(ops);
    MemTxResult r = MEMTX_OK;

    if (asz > size) {
        /* The device only takes wider accesses: use the one holding these bytes. */
        hwaddr base = ops->impl.unaligned ? addr : addr & ~(hwaddr)(asz - 1);
        unsigned byte = (unsigned)(addr - base);
        unsigned shift = be ? (asz - size - byte) * 8 : byte * 8;
        uint64_t v = 0;

        if (is_write) {
            return io_write_one(mr, base, (*val & size_mask(size)) << shift, asz, attrs);
        }
        r = io_read_one(mr, base, &v, asz, attrs);
        *val = (v >> shift) & size_mask(size);
        return r;
    }
    if (asz == size) {
        return is_write ? io_write_one(mr, addr, *val & size_mask(size), size, attrs)
                        : io_read_one(mr, addr, val, size, attrs);
    }
    if (!is_write) {
        *val = 0;
    }
    for (unsigned i = 0; i < size; i += asz) {
        unsigned shift = be ? (size - asz - i) * 8 : i * 8;

        if (is_write) {
            r |= io_write_one(mr, addr + i, (*val >> shift) & size_mask(asz), asz, attrs);
        } else {
            uint64_t v = 0;

            r |= io_read_one(mr, addr + i, &v, asz, attrs);
            *val |= (v & size_mask(asz)) << shift;
        }
    }
    return r;
}

static bool io_access_valid(MemoryRegion *mr, hwaddr addr, unsigned size, bool is_write,
                            MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned vmin = ops->valid.min_access_size ? ops->valid.min_access_size : 1;
    unsigned vmax = ops->valid.max_access_size ? ops->valid.max_access_size : 4;
    const char *reason = NULL;

    if (size < vmin || size > vmax) {
        reason = "invalid size";
    } else if (!ops->valid.unaligned && (addr & (size - 1))) {
        reason = "unaligned";
    } else if (ops->valid.accepts && !ops->valid.accepts(mr->opaque, addr, size, is_write, attrs)) {
        reason = "rejected";
    }
    if (reason) {
        log_guest_error("Invalid %s at addr 0x%" PRIx64 ", size %u, region '%s', reason: %s\n",
                        is_write ? "write" : "read", addr, size, mr->name, reason);
        return false;
    }
    return true;
}

MemTxResult memory_region_dispatch_io(MemoryRegion *mr, hwaddr addr, uint64_t *val,
                                      unsigned size, bool is_write, MemTxAttrs attrs)
{
    bool locked = false;
    MemTxResult r;

    if (!io_access_valid(mr, addr, size, is_write, attrs)) {
        if (!is_write) {
            *val = 0;
        }
        return MEMTX_DECODE_ERROR;
    }
    if (mr->global_locking && !bql_locked()) {
        bql_lock();
        locked = true;
    }
    r = io_access_adjusted(mr, addr, val, size, is_write, attrs);
    if (locked) {
        bql_unlock();
    }
    return r;
}

static MemTxResult section_access(MemoryRegionSection *sec, hwaddr addr, uint64_t *val,
                                  MemOp op, MemTxAttrs attrs, bool is_write);

/* An access that spans sections: byte by byte, each through its own section. */
static MemTxResult section_access_bytes(FlatView *fv, hwaddr addr, uint64_t *val, MemOp op,
                                        MemTxAttrs attrs, bool is_write)
{
    unsigned size = memop_size(op);
    bool be = (op & MO_BSWAP) != 0;
    MemTxResult r = MEMTX_OK;

    if (!is_write) {
        *val = 0;
    }
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = be ? (size - 1 - i) * 8 : i * 8;
        uint64_t b = is_write ? (*val >> shift) & 0xff : 0;

        r |= section_access(flatview_lookup(fv, addr + i), addr + i, &b, MO_8, attrs, is_write);
        if (!is_write) {
            *val |= (b & 0xff) << shift;
        }
    }
    return r;
}

static MemTxResult section_access(MemoryRegionSection *sec, hwaddr addr, uint64_t *val,
                                  MemOp op, MemTxAttrs attrs, bool is_write)
{
    unsigned size = memop_size(op);
    MemoryRegion *mr;
    hwaddr off;
    MemTxResult r;
    bool swap;

    if (addr < sec->start || addr > sec->last) {
        sec = flatview_lookup(sec->fv, addr);
    }
    if (size - 1 > sec->last - addr) {
        return section_access_bytes(sec->fv, addr, val, op, attrs, is_write);
    }
    mr = sec->mr;
    if (!mr) {
        log_guest_error("Invalid %s at addr 0x%" PRIx64 ", size %u: nothing is mapped there\n",
                        is_write ? "write" : "read", addr, size);
        if (!is_write) {
            *val = 0;
        }
        return MEMTX_DECODE_ERROR;
    }
    off = addr - sec->start + sec->offset_in_region;
    if (mr->type == MR_RAM) {
        uint8_t *p = mr->ram_ptr + off;
        uint64_t v;

        if (is_write) {
            if (sec->readonly) {
                return MEMTX_OK;
            }
            v = (op & MO_BSWAP) ? bswap_size(*val, size) : *val;
            memcpy(p, &v, size);
            tb_invalidate_phys_range(addr, addr + size - 1);
            return MEMTX_OK;
        }
        v = 0;
        memcpy(&v, p, size);
        *val = (op & MO_BSWAP) ? bswap_size(v, size) : v;
        return MEMTX_OK;
    }
    /* The value is in the access's byte order; the device wants its own. */
    swap = ((op & MO_BSWAP) != 0) != device_is_big_endian(mr->ops);
    if (is_write) {
        uint64_t v = swap ? bswap_size(*val, size) : *val;

        return memory_region_dispatch_io(mr, off, &v, size, true, attrs);
    }
    r = memory_region_dispatch_io(mr, off, val, size, false, attrs);
    if (swap) {
        *val = bswap_size(*val, size);
    }
    return r;
}

/* ---- what the softmmu TLB calls (exec/memory.h) */

void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr, void **host,
                                     MemoryRegionSection **section)
{
    MemoryRegionSection *sec = address_space_lookup(as, paddr);
    hwaddr page_last = paddr + ((hwaddr)1 << page_bits) - 1;

    *host = NULL;
    *section = sec;
    /* A page only partly RAM takes the dispatch path for every access. */
    if (sec->mr && sec->mr->type == MR_RAM && sec->start <= paddr && sec->last >= page_last) {
        *host = sec->mr->ram_ptr + sec->offset_in_region + (paddr - sec->start);
        *section = sec->readonly ? sec : NULL;
    }
}

MemTxResult memory_region_dispatch_read(MemoryRegionSection *section, hwaddr addr, uint64_t *val,
                                        MemOp op, MemTxAttrs attrs)
{
    return section_access(section, addr, val, op, attrs, false);
}

MemTxResult memory_region_dispatch_write(MemoryRegionSection *section, hwaddr addr, uint64_t val,
                                         MemOp op, MemTxAttrs attrs)
{
    return section_access(section, addr, &val, op, attrs, true);
}

/* ---- info mtree */

static const char *mtree_kind(const MemoryRegion *mr)
{
    switch (mr->type) {
    case MR_RAM:
        return mr->readonly ? "rom" : "ram";
    default:
        return "i/o";
    }
}

static void mtree_owner(GString *out, const MemoryRegion *mr)
{
    g_string_append_printf(out, " owner:{%s}", mr->owner ? "dev" : "machine");
}

static void mtree_region(GString *out, const MemoryRegion *mr, Int128 base, int level,
                         bool owner, bool disabled)
{
    hwaddr start = (hwaddr)base;
    hwaddr last = mr->size == UINT64_MAX ? UINT64_MAX : start + mr->size - 1;

    if (!mr->enabled && !disabled) {
        return;
    }
    g_string_append_printf(out, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s): ", level * 2,
                           "", start, last, mr->priority,
                           mr->type == MR_ALIAS ? mtree_kind(mr->alias) : mtree_kind(mr),
                           mr->enabled ? "" : ", disabled");
    if (mr->type == MR_ALIAS) {
        g_string_append_printf(out, "alias %s @%s %016" PRIx64 "-%016" PRIx64, mr->name,
                               mr->alias->name, mr->alias_offset,
                               mr->alias_offset + mr->size - 1);
    } else {
        g_string_append(out, mr->name);
    }
    if (owner) {
        mtree_owner(out, mr);
    }
    g_string_append_c(out, '\n');
    for (const MemoryRegion *sub = mr->subregions; sub; sub = sub->next) {
        mtree_region(out, sub, base + (Int128)sub->addr, level + 1, owner, disabled);
    }
}

void memory_mtree_dump(GString *out, bool flatview, bool owner, bool disabled)
{
    unsigned n = 0;

    for (AddressSpace *as = address_spaces; as; as = as->next) {
        if (!flatview) {
            g_string_append_printf(out, "address-space: %s\n", as->name);
            mtree_region(out, as->root, 0, 1, owner, disabled);
            g_string_append_c(out, '\n');
            continue;
        }
        g_string_append_printf(out, "FlatView #%u\n AS \"%s\", root: %s\n Root memory region: %s\n",
                               n++, as->name, as->root->name, as->root->name);
        for (unsigned i = 0; i < as->current_map->nr; i++) {
            const MemoryRegionSection *s = &as->current_map->ranges[i];

            if (!s->mr) {
                continue;
            }
            g_string_append_printf(out, "  %016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s): %s",
                                   s->start, s->last, s->mr->priority, mtree_kind(s->mr),
                                   s->readonly && s->mr->type != MR_RAM ? " rom" : "",
                                   s->mr->name);
            if (s->offset_in_region) {
                g_string_append_printf(out, " @%016" PRIx64, s->offset_in_region);
            }
            if (owner) {
                mtree_owner(out, s->mr);
            }
            g_string_append_c(out, '\n');
        }
        g_string_append_c(out, '\n');
    }
}
