/*
 * The memory API (system/memory.c, system/physmem.c): flattening with
 * priorities, overlaps, aliases and disabled regions; dispatch with
 * access-size rules (valid/impl), splitting and widening, byte order;
 * what the TLB is told about a page; DMA helpers; map/unmap; `info mtree`.
 */
#include <string.h>
#include <glib.h>
#include "system/bql.h"
#include "system/memory.h"

/* A test device: registers are bytes [0, 64) of `regs`; every callback is logged. */
typedef struct TestDev {
    MemoryRegion mr;
    uint8_t regs[64];
    GString *log;
    bool saw_bql;
} TestDev;

static uint64_t testdev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;
    uint64_t v = 0;

    g_string_append_printf(d->log, "r%u@%u ", size, (unsigned)addr);
    d->saw_bql = bql_locked();
    memcpy(&v, d->regs + addr, size);
    return v;
}

static void testdev_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    TestDev *d = opaque;

    g_string_append_printf(d->log, "w%u@%u=%llx ", size, (unsigned)addr,
                           (unsigned long long)val);
    memcpy(d->regs + addr, &val, size);
}

static TestDev *testdev_new(const MemoryRegionOps *ops, const char *name)
{
    TestDev *d = g_new0(TestDev, 1);

    d->log = g_string_new(NULL);
    for (int i = 0; i < 64; i++) {
        d->regs[i] = (uint8_t)(0x10 + i);
    }
    memory_region_init_io(&d->mr, d, ops, d, name, 64);
    return d;
}

static void testdev_free(TestDev *d)
{
    memory_region_finalize(&d->mr);
    g_string_free(d->log, TRUE);
    g_free(d);
}

static const MemoryRegionOps ops_4byte = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_strict = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_be = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

/* The region name at `addr` of the view of `as` ("-" for a hole). */
static const char *name_at(AddressSpace *as, hwaddr addr)
{
    MemoryRegionSection *s = address_space_lookup(as, addr);

    return s->mr ? s->mr->name : "-";
}

static void test_flatten_priorities(void)
{
    MemoryRegion root, low, high, ram;
    AddressSpace as;
    static uint8_t backing[0x3000];

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_init_ram_ptr(&ram, NULL, "ram", sizeof(backing), backing);
    memory_region_init_io(&low, NULL, &ops_strict, NULL, "low", 0x2000);
    memory_region_init_io(&high, NULL, &ops_strict, NULL, "high", 0x1000);

    memory_region_add_subregion(&root, 0x10000, &ram);
    memory_region_add_subregion_overlap(&root, 0x10800, &low, 1);
    memory_region_add_subregion_overlap(&root, 0x11000, &high, 2);

    g_assert_cmpstr(name_at(&as, 0xffff), ==, "-");
    g_assert_cmpstr(name_at(&as, 0x10000), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x107ff), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x10800), ==, "low");
    g_assert_cmpstr(name_at(&as, 0x10fff), ==, "low");
    g_assert_cmpstr(name_at(&as, 0x11000), ==, "high");
    g_assert_cmpstr(name_at(&as, 0x11fff), ==, "high");
    g_assert_cmpstr(name_at(&as, 0x12000), ==, "low");
    g_assert_cmpstr(name_at(&as, 0x127ff), ==, "low");
    g_assert_cmpstr(name_at(&as, 0x12800), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x12fff), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x13000), ==, "-");
    /* RAM under an overlap keeps its offsets. */
    g_assert_cmpuint(address_space_lookup(&as, 0x12800)->offset_in_region, ==, 0x2800);

    /* Disabling the top layer uncovers the one below. */
    memory_region_set_enabled(&high, false);
    g_assert_cmpstr(name_at(&as, 0x11000), ==, "low");
    memory_region_set_enabled(&high, true);
    /* Moving it. */
    memory_region_set_address(&high, 0x20000);
    g_assert_cmpstr(name_at(&as, 0x11000), ==, "low");
    g_assert_cmpstr(name_at(&as, 0x20000), ==, "high");

    memory_region_del_subregion(&root, &low);
    g_assert_cmpstr(name_at(&as, 0x10800), ==, "ram");
    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&high);
    memory_region_finalize(&low);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

/* Between equal priorities the subregion added last wins (QEMU's rule). */
static void test_flatten_equal_priority(void)
{
    MemoryRegion root, a, b;
    AddressSpace as;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_init_io(&a, NULL, &ops_strict, NULL, "a", 0x1000);
    memory_region_init_io(&b, NULL, &ops_strict, NULL, "b", 0x1000);
    memory_region_add_subregion_overlap(&root, 0x1000, &a, 0);
    memory_region_add_subregion_overlap(&root, 0x1800, &b, 0);
    g_assert_cmpstr(name_at(&as, 0x17ff), ==, "a");
    g_assert_cmpstr(name_at(&as, 0x1800), ==, "b");
    g_assert_cmpstr(name_at(&as, 0x1fff), ==, "b");
    g_assert_cmpstr(name_at(&as, 0x2000), ==, "b");
    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&a);
    memory_region_finalize(&b);
    memory_region_finalize(&root);
}

static void test_flatten_alias_and_containers(void)
{
    MemoryRegion root, box, ram, alias, alias_low;
    AddressSpace as;
    static uint8_t backing[0x4000];

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_init_ram_ptr(&ram, NULL, "ram", sizeof(backing), backing);
    memory_region_init(&box, NULL, "box", 0x10000);
    /* The box at 0x100000 holds the RAM at +0x8000. */
    memory_region_add_subregion(&box, 0x8000, &ram);
    memory_region_add_subregion(&root, 0x100000, &box);
    /* A window onto RAM bytes [0x1000, 0x3000) at 0x200000. */
    memory_region_init_alias(&alias, NULL, "window", &ram, 0x1000, 0x2000);
    memory_region_add_subregion(&root, 0x200000, &alias);
    /* An alias whose target starts below address 0: only its window counts. */
    memory_region_init_alias(&alias_low, NULL, "low-window", &ram, 0x3000, 0x1000);
    memory_region_add_subregion(&root, 0x1000, &alias_low);

    g_assert_cmpstr(name_at(&as, 0x107fff), ==, "-");
    g_assert_cmpstr(name_at(&as, 0x108000), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x10bfff), ==, "ram");
    g_assert_cmpstr(name_at(&as, 0x10c000), ==, "-");
    g_assert_cmpstr(name_at(&as, 0x200000), ==, "ram");
    g_assert_cmpuint(address_space_lookup(&as, 0x200000)->offset_in_region, ==, 0x1000);
    g_assert_cmpstr(name_at(&as, 0x202000), ==, "-");
    g_assert_cmpstr(name_at(&as, 0x0fff), ==, "-");
    g_assert_cmpuint(address_space_lookup(&as, 0x1000)->offset_in_region, ==, 0x3000);
    g_assert_cmpstr(name_at(&as, 0x2000), ==, "-");

    /* The alias and the RAM are the same bytes. */
    backing[0x1234] = 0xab;
    {
        uint8_t b = 0;

        g_assert_cmpint(address_space_read(&as, 0x200234, 0, &b, 1), ==, MEMTX_OK);
        g_assert_cmpuint(b, ==, 0xab);
        b = 0xcd;
        g_assert_cmpint(address_space_write(&as, 0x109234, 0, &b, 1), ==, MEMTX_OK);
        g_assert_cmpuint(backing[0x1234], ==, 0xcd);
    }
    memory_region_set_alias_offset(&alias, 0);
    g_assert_cmpuint(address_space_lookup(&as, 0x200000)->offset_in_region, ==, 0);

    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&alias_low);
    memory_region_finalize(&alias);
    memory_region_finalize(&box);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

static void test_dispatch_split_and_widen(void)
{
    TestDev *d = testdev_new(&ops_4byte, "dev4");
    MemoryRegion root;
    AddressSpace as;
    MemoryRegionSection *s;
    uint64_t v = 0;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_add_subregion(&root, 0x1000, &d->mr);
    s = address_space_lookup(&as, 0x1000);

    /* An 8-byte read of a 4-byte device: two accesses, low word first. */
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1008, &v, MO_64, 0), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x1f1e1d1c1b1a1918ull);
    g_assert_cmpstr(d->log->str, ==, "r4@8 r4@12 ");
    g_string_truncate(d->log, 0);

    /* A byte read is served by the aligned word that holds it. */
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1006, &v, MO_8, 0), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x16);
    g_assert_cmpstr(d->log->str, ==, "r4@4 ");
    g_string_truncate(d->log, 0);

    /* An 8-byte write splits the same way. */
    g_assert_cmpint(memory_region_dispatch_write(s, 0x1010, 0x1122334455667788ull, MO_64, 0), ==,
                    MEMTX_OK);
    g_assert_cmpstr(d->log->str, ==, "w4@16=55667788 w4@20=11223344 ");
    /* Callbacks run under the big lock. */
    g_assert_true(d->saw_bql);
    g_assert_false(bql_locked());

    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&root);
    testdev_free(d);
}

static void test_dispatch_valid_rules(void)
{
    TestDev *d = testdev_new(&ops_strict, "strict");
    MemoryRegion root;
    AddressSpace as;
    MemoryRegionSection *s;
    uint64_t v = 0;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_add_subregion(&root, 0x1000, &d->mr);
    s = address_space_lookup(&as, 0x1000);

    /* Wrong size and misalignment are refused before reaching the device. */
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1000, &v, MO_8, 0), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1000, &v, MO_64, 0), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1002, &v, MO_32, 0), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmpstr(d->log->str, ==, "");
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1004, &v, MO_32, 0), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x17161514);
    /* A hole answers a decode error. */
    g_assert_cmpint(memory_region_dispatch_read(address_space_lookup(&as, 0x5000), 0x5000, &v,
                                                MO_32, 0), ==, MEMTX_DECODE_ERROR);

    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&root);
    testdev_free(d);
}

static void test_dispatch_endianness(void)
{
    TestDev *d = testdev_new(&ops_be, "be");
    MemoryRegion root;
    AddressSpace as;
    MemoryRegionSection *s;
    uint64_t v = 0;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_region_add_subregion(&root, 0x1000, &d->mr);
    s = address_space_lookup(&as, 0x1000);
    /* The device's callback returns 0x13121110 (host order); a LE access sees it swapped. */
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1000, &v, MO_32, 0), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x10111213);
    /* A big-endian access of a big-endian device: no swap. */
    g_assert_cmpint(memory_region_dispatch_read(s, 0x1000, &v, MO_32 | MO_BE, 0), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x13121110);
    g_assert_cmpint(memory_region_dispatch_write(s, 0x1008, 0xaabbccdd, MO_32, 0), ==, MEMTX_OK);
    g_assert_cmphex(d->regs[8], ==, 0xaa);
    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&root);
    testdev_free(d);
}

static void test_translate_for_tlb(void)
{
    MemoryRegion root, ram, rom, small;
    AddressSpace as;
    MemoryRegionSection *sec;
    void *host;
    Error *err = NULL;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    g_assert_true(memory_region_init_ram(&ram, NULL, "ram", 0x4000, &err));
    g_assert_true(memory_region_init_rom(&rom, NULL, "rom", 0x2000, &err));
    memory_region_init_io(&small, NULL, &ops_strict, NULL, "small", 0x100);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    memory_region_add_subregion(&root, 0x1000, &rom);
    memory_region_add_subregion(&root, 0x80003000, &small);
    /* memfd-backed, zeroed */
    g_assert_nonnull(memory_region_get_ram_block(&ram));
    g_assert_cmpuint(((uint8_t *)memory_region_get_ram_ptr(&ram))[0x100], ==, 0);

    address_space_translate_for_tlb(&as, 0x80001000, &host, &sec);
    g_assert_true(host == (uint8_t *)memory_region_get_ram_ptr(&ram) + 0x1000);
    g_assert_null(sec);
    /* ROM: read through the host pointer, written through the region (dropped). */
    address_space_translate_for_tlb(&as, 0x2000, &host, &sec);
    g_assert_nonnull(host);
    g_assert_nonnull(sec);
    g_assert_cmpint(memory_region_dispatch_write(sec, 0x2000, 0x55, MO_8, 0), ==, MEMTX_OK);
    g_assert_cmpuint(*(uint8_t *)host, ==, 0);
    /* A page only partly RAM is dispatched access by access. */
    address_space_translate_for_tlb(&as, 0x80003000, &host, &sec);
    g_assert_null(host);
    g_assert_nonnull(sec);
    /* A hole. */
    address_space_translate_for_tlb(&as, 0x40000000, &host, &sec);
    g_assert_null(host);
    g_assert_null(sec->mr);

    /* Loaders write ROM; the guest cannot. */
    {
        uint32_t w = 0x12345678, r = 0;

        g_assert_cmpint(address_space_write_rom(&as, 0x1004, 0, &w, 4), ==, MEMTX_OK);
        g_assert_cmpint(address_space_read(&as, 0x1004, 0, &r, 4), ==, MEMTX_OK);
        g_assert_cmphex(r, ==, 0x12345678);
        w = 0;
        address_space_write(&as, 0x1004, 0, &w, 4);
        address_space_read(&as, 0x1004, 0, &r, 4);
        g_assert_cmphex(r, ==, 0x12345678);
    }
    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&small);
    memory_region_finalize(&rom);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

static void test_dma_helpers(void)
{
    TestDev *d = testdev_new(&ops_4byte, "dev");
    MemoryRegion root, ram;
    AddressSpace as;
    Error *err = NULL;
    uint8_t buf[16];
    hwaddr len;
    void *p;
    MemTxResult r;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    g_assert_true(memory_region_init_ram(&ram, NULL, "ram", 0x2000, &err));
    memory_region_add_subregion(&root, 0x10000, &ram);
    memory_region_add_subregion(&root, 0x12000, &d->mr);

    g_assert_cmpuint(address_space_ldq_le(&as, 0x10000, 0, &r), ==, 0);
    address_space_stq_le(&as, 0x10008, 0x0102030405060708ull, 0, &r);
    g_assert_cmpint(r, ==, MEMTX_OK);
    g_assert_cmphex(address_space_ldl_le(&as, 0x1000c, 0, NULL), ==, 0x01020304);
    g_assert_cmphex(address_space_lduw_le(&as, 0x10008, 0, NULL), ==, 0x0708);

    /* A read across the RAM's end into the device: RAM copied, then device accesses. */
    r = address_space_read(&as, 0x11ffc, 0, buf, 8);
    g_assert_cmpint(r, ==, MEMTX_OK);
    g_assert_cmphex(buf[4], ==, 0x10);
    g_assert_cmpstr(d->log->str, ==, "r4@0 ");
    /* Beyond everything: the error is reported. */
    g_assert_cmpint(address_space_read(&as, 0x12040, 0, buf, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_false(address_space_access_valid(&as, 0x11ff0, 0x100, false, 0));
    g_assert_true(address_space_access_valid(&as, 0x10000, 0x2000, true, 0));

    /* map: contiguous RAM only; then a bounce buffer for the device. */
    len = 0x4000;
    p = address_space_map(&as, 0x11000, &len, true, 0);
    g_assert_nonnull(p);
    g_assert_cmpuint(len, ==, 0x1000);
    memset(p, 0xee, len);
    address_space_unmap(&as, p, len, true, len);
    g_assert_cmphex(address_space_ldub(&as, 0x11fff, 0, NULL), ==, 0xee);
    len = 8;
    p = address_space_map(&as, 0x12000, &len, false, 0);
    g_assert_nonnull(p);
    g_assert_cmphex(((uint8_t *)p)[1], ==, 0x11);
    {
        hwaddr len2 = 8;

        /* The bounce buffer is in use. */
        g_assert_null(address_space_map(&as, 0x12000, &len2, false, 0));
    }
    address_space_unmap(&as, p, len, false, 0);

    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
    testdev_free(d);
}

static void test_mtree(void)
{
    MemoryRegion *sys = get_system_memory();
    MemoryRegion ram, alias;
    static uint8_t backing[0x1000];
    GString *out = g_string_new(NULL);

    memory_region_init_ram_ptr(&ram, NULL, "board.ram", sizeof(backing), backing);
    memory_region_init_alias(&alias, NULL, "ram.alias", &ram, 0, 0x800);
    memory_region_add_subregion(sys, 0x80000000, &ram);
    memory_region_add_subregion(sys, 0x1000, &alias);
    memory_mtree_dump(out, false, false, false);
    g_assert_nonnull(strstr(out->str, "address-space: memory\n"));
    g_assert_nonnull(strstr(out->str, "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"));
    g_assert_nonnull(strstr(out->str,
                            "    0000000080000000-0000000080000fff (prio 0, ram): board.ram\n"));
    g_assert_nonnull(strstr(out->str, "(prio 0, ram): alias ram.alias @board.ram "
                                      "0000000000000000-00000000000007ff"));
    g_string_truncate(out, 0);
    memory_mtree_dump(out, true, false, false);
    g_assert_nonnull(strstr(out->str, "FlatView #0\n AS \"memory\", root: system\n"));
    g_assert_nonnull(strstr(out->str, "  0000000000001000-00000000000017ff (prio 0, ram): board.ram"));
    g_string_free(out, TRUE);
    memory_region_finalize(&alias);
    memory_region_finalize(&ram);
    memory_reclaim();
}

/* Changes in a transaction flatten once, at the end, and the notifier hears once. */
static int notified;

static void count_notify(void *opaque)
{
    notified++;
    memory_reclaim();
}

static void test_transaction(void)
{
    MemoryRegion root, a, b;
    AddressSpace as;

    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
    memory_set_map_notifier(count_notify, NULL);
    memory_region_init_io(&a, NULL, &ops_strict, NULL, "a", 0x100);
    memory_region_init_io(&b, NULL, &ops_strict, NULL, "b", 0x100);
    notified = 0;
    memory_region_transaction_begin();
    memory_region_add_subregion(&root, 0x1000, &a);
    memory_region_add_subregion(&root, 0x2000, &b);
    g_assert_cmpstr(name_at(&as, 0x1000), ==, "-");
    memory_region_transaction_commit();
    g_assert_cmpint(notified, ==, 1);
    g_assert_cmpstr(name_at(&as, 0x1000), ==, "a");
    g_assert_cmpstr(name_at(&as, 0x2000), ==, "b");
    /* A change that changes nothing does not notify. */
    memory_region_set_enabled(&a, true);
    g_assert_cmpint(notified, ==, 1);
    memory_set_map_notifier(NULL, NULL);
    address_space_destroy(&as);
    memory_reclaim();
    memory_region_finalize(&a);
    memory_region_finalize(&b);
    memory_region_finalize(&root);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/flatten/priorities", test_flatten_priorities);
    g_test_add_func("/memory/flatten/equal-priority", test_flatten_equal_priority);
    g_test_add_func("/memory/flatten/alias-containers", test_flatten_alias_and_containers);
    g_test_add_func("/memory/dispatch/split-widen", test_dispatch_split_and_widen);
    g_test_add_func("/memory/dispatch/valid", test_dispatch_valid_rules);
    g_test_add_func("/memory/dispatch/endianness", test_dispatch_endianness);
    g_test_add_func("/memory/tlb/translate", test_translate_for_tlb);
    g_test_add_func("/memory/dma", test_dma_helpers);
    g_test_add_func("/memory/mtree", test_mtree);
    g_test_add_func("/memory/transaction", test_transaction);
    return g_test_run();
}
