/*
 * The memory API: how guest physical memory is put together and reached.
 *
 * A MemoryRegion is RAM (host memory, anonymous with huge pages requested;
 * migration reads it through its host pointer), ROM (RAM the guest cannot write), I/O (a
 * device's read/write callbacks with access-size rules and a byte order),
 * an alias (a window onto part of another region) or a container (a node
 * that only holds subregions).  Subregions sit at an offset in their
 * container with a priority: where two overlap, the higher priority wins,
 * and between equal priorities the one added last.  Disabled regions take
 * no part.
 *
 * An AddressSpace is the view from one root region.  Whenever the tree
 * changes, each address space is flattened again into a sorted table of
 * non-overlapping ranges (a FlatView), and every vCPU's TLB is flushed
 * (through the hook memory_set_map_notifier installs), since TLB entries
 * point at the old table's sections.  Old tables are freed by
 * memory_reclaim() once nothing can point at them any more.
 *
 * The model is QEMU's softmmu/memory.c (docs/devel/memory.rst); this file
 * adds the calls devices and boards use to include/exec/memory.h's part,
 * which is what the softmmu TLB uses.  Callbacks of I/O regions run with
 * the big lock held (system/bql.h) unless the region opts out.
 */
#ifndef MORPH_SYSTEM_MEMORY_H
#define MORPH_SYSTEM_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include "exec/memory.h"
#include "util/error.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct RAMBlock RAMBlock;
typedef struct FlatView FlatView;

/* How a device's registers are laid out in bytes (DEVICE_NATIVE: the target's order, LE). */
typedef enum DeviceEndian {
    DEVICE_NATIVE_ENDIAN,
    DEVICE_LITTLE_ENDIAN,
    DEVICE_BIG_ENDIAN,
} DeviceEndian;

/*
 * An I/O region's behaviour.  `valid` says which accesses the device
 * accepts at all (others are a bus error for the guest: logged under
 * guest_errors, MEMTX_DECODE_ERROR); `impl` says which sizes the callbacks
 * handle, and the memory API splits or widens accesses to fit.  Zero sizes
 * mean QEMU's defaults: 1 for a minimum, 4 for a maximum.
 */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    /* Alternatives that see the attributes and may fail the transaction; used when set. */
    MemTxResult (*read_with_attrs)(void *opaque, hwaddr addr, uint64_t *data, unsigned size,
                                   MemTxAttrs attrs);
    MemTxResult (*write_with_attrs)(void *opaque, hwaddr addr, uint64_t data, unsigned size,
                                    MemTxAttrs attrs);
    DeviceEndian endianness;
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
        bool (*accepts)(void *opaque, hwaddr addr, unsigned size, bool is_write,
                        MemTxAttrs attrs);
    } valid;
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
    } impl;
} MemoryRegionOps;

typedef enum MemoryRegionType {
    MR_CONTAINER,
    MR_RAM,
    MR_IO,
    MR_ALIAS,
} MemoryRegionType;

/*
 * Fields are the memory API's; owners embed the struct and use the
 * functions below.  `size` UINT64_MAX stands for the whole 64-bit space.
 */
struct MemoryRegion {
    char *name;
    MemoryRegionType type;
    uint64_t size;
    void *owner;                /* the device (or board) it belongs to, for `info mtree -o` */
    bool initialized;

    /* I/O */
    const MemoryRegionOps *ops;
    void *opaque;
    bool global_locking;        /* take the big lock around the callbacks (default) */

    /* RAM and ROM */
    RAMBlock *ram_block;
    uint8_t *ram_ptr;
    bool readonly;              /* ROM: writes are dropped */

    /* Alias */
    MemoryRegion *alias;
    uint64_t alias_offset;

    /* Place in the tree */
    MemoryRegion *container;
    uint64_t addr;              /* offset in the container */
    int priority;
    bool enabled;
    bool may_overlap;
    MemoryRegion *subregions;   /* highest priority first */
    MemoryRegion *next;         /* sibling in the container's list */
};

/*
 * A piece of a FlatView: the addresses [start, last] of the address space
 * reach `mr` at offset `offset_in_region` (or nothing when mr is NULL).
 * This is the MemoryRegionSection the TLB keeps (exec/memory.h).
 */
struct MemoryRegionSection {
    hwaddr start;
    hwaddr last;
    MemoryRegion *mr;
    hwaddr offset_in_region;
    bool readonly;
    FlatView *fv;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;
    AddressSpace *next;
};

/* ---- regions */

/* A container: holds subregions, answers nothing itself. */
void memory_region_init(MemoryRegion *mr, void *owner, const char *name, uint64_t size);
void memory_region_init_io(MemoryRegion *mr, void *owner, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size);
/* RAM from a new RAMBlock (anonymous memory, huge pages requested). */
bool memory_region_init_ram(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                            Error **errp);
/* ROM: as RAM, but guest writes are ignored (loaders write with address_space_write_rom). */
bool memory_region_init_rom(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                            Error **errp);
/* RAM at a host pointer the caller owns (tests, special memory). */
void memory_region_init_ram_ptr(MemoryRegion *mr, void *owner, const char *name, uint64_t size,
                                void *ptr);
/* A window [offset, offset + size) of `orig`. */
void memory_region_init_alias(MemoryRegion *mr, void *owner, const char *name,
                              MemoryRegion *orig, uint64_t offset, uint64_t size);
/* Take the region out of its container and release what it holds (RAM). */
void memory_region_finalize(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *container, uint64_t offset, MemoryRegion *sub);
void memory_region_add_subregion_overlap(MemoryRegion *container, uint64_t offset,
                                         MemoryRegion *sub, int priority);
void memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, uint64_t addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
/* false: the callbacks run without the big lock (the device locks for itself). */
void memory_region_set_global_locking(MemoryRegion *mr, bool on);

static inline uint64_t memory_region_size(const MemoryRegion *mr)
{
    return mr->size;
}

static inline const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

/* Host address of a RAM/ROM region's first byte (NULL for others). */
void *memory_region_get_ram_ptr(MemoryRegion *mr);
RAMBlock *memory_region_get_ram_block(MemoryRegion *mr);

/*
 * Batch tree changes: the address spaces are flattened once at the
 * outermost commit.  Nests.
 */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/*
 * An access of `size` bytes at offset `addr` of an I/O region, with its
 * access rules applied (what dispatch does once the region is found);
 * the value is in the device's interpretation (no byte swap).  For tests
 * and for devices that forward to another region.
 */
MemTxResult memory_region_dispatch_io(MemoryRegion *mr, hwaddr addr, uint64_t *val,
                                      unsigned size, bool is_write, MemTxAttrs attrs);

/* ---- address spaces */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
void address_space_destroy(AddressSpace *as);

/* The system memory container and its address space (created on first use). */
MemoryRegion *get_system_memory(void);
AddressSpace *address_space_memory(void);

/*
 * The section that holds `addr` (a hole has mr == NULL).  Valid until the
 * next map change and memory_reclaim().
 */
MemoryRegionSection *address_space_lookup(AddressSpace *as, hwaddr addr);

/*
 * Called after every map change, with no lock of the memory API held:
 * the vCPUs' TLBs must be flushed before the next access through them,
 * then memory_reclaim() frees the old tables.
 */
void memory_set_map_notifier(void (*fn)(void *opaque), void *opaque);
void memory_reclaim(void);
/* The guest page size the TLB uses (address_space_translate_for_tlb); 12 by default. */
void memory_set_page_bits(unsigned bits);

/*
 * `info mtree` in QEMU's format: the region tree of every address space,
 * or with `flatview` the flattened ranges; `owner` adds owners, `disabled`
 * shows disabled regions.
 */
void memory_mtree_dump(GString *out, bool flatview, bool owner, bool disabled);

/* ---- guest memory for devices and loaders (system/physmem.c) */

/*
 * Read or write `len` bytes at `addr`.  RAM is copied; I/O goes through
 * the device in the largest naturally aligned pieces it accepts, up to 8
 * bytes (little-endian, as a bus master sees memory).  Holes and refused
 * accesses make the result MEMTX_DECODE_ERROR/MEMTX_ERROR, but the rest of
 * the transfer is still done (reads of failed parts give 0).
 */
MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, void *buf,
                             hwaddr len, bool is_write);
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, void *buf,
                               hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                                const void *buf, hwaddr len);
/* As address_space_write, but ROM is written too (loaders); I/O and holes are skipped. */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                                    const void *buf, hwaddr len);
/* Is every byte of [addr, addr + len) backed by something that takes this access? */
bool address_space_access_valid(AddressSpace *as, hwaddr addr, hwaddr len, bool is_write,
                                MemTxAttrs attrs);

/* Little-endian loads and stores of one value (virtio rings, descriptors). */
uint8_t address_space_ldub(AddressSpace *as, hwaddr addr, MemTxAttrs attrs, MemTxResult *res);
uint16_t address_space_lduw_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                               MemTxResult *res);
uint32_t address_space_ldl_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *res);
uint64_t address_space_ldq_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *res);
void address_space_stb(AddressSpace *as, hwaddr addr, uint8_t val, MemTxAttrs attrs,
                       MemTxResult *res);
void address_space_stw_le(AddressSpace *as, hwaddr addr, uint16_t val, MemTxAttrs attrs,
                          MemTxResult *res);
void address_space_stl_le(AddressSpace *as, hwaddr addr, uint32_t val, MemTxAttrs attrs,
                          MemTxResult *res);
void address_space_stq_le(AddressSpace *as, hwaddr addr, uint64_t val, MemTxAttrs attrs,
                          MemTxResult *res);

/*
 * Map guest memory for direct access by a device (virtio queues, block
 * I/O buffers).  *plen is shortened to the part that is contiguous RAM;
 * if `addr` itself is not RAM, a bounce buffer of at most one page is
 * used instead (filled from the guest for reads; written back at unmap),
 * and NULL is returned when the bounce buffer is in use.  Every map is
 * paired with an unmap, which, for a write mapping, drops translated code
 * overlapping the `access_len` bytes written.
 */
void *address_space_map(AddressSpace *as, hwaddr addr, hwaddr *plen, bool is_write,
                        MemTxAttrs attrs);
void address_space_unmap(AddressSpace *as, void *buffer, hwaddr len, bool is_write,
                         hwaddr access_len);

/* ---- RAM blocks (system/physmem.c) */

struct RAMBlock {
    char *name;
    uint8_t *host;
    uint64_t size;
    int fd;             /* a backing file or memfd (-1: anonymous memory, or the caller's) */
    bool owned;         /* host was mapped by ram_block_new */
    RAMBlock *next;
};

/* A zero-filled block of `size` bytes, anonymous memory with huge pages requested. */
RAMBlock *ram_block_new(const char *name, uint64_t size, Error **errp);
void ram_block_free(RAMBlock *rb);
/* Every block, in creation order (migration, cpr-exec). */
void ram_block_foreach(void (*fn)(RAMBlock *rb, void *opaque), void *opaque);

#endif
