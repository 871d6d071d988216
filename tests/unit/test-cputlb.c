/*
 * Unit tests for accel/tcg in system mode (the softmmu TLB), on the toy
 * guest of toy-target.c.inc and every registered backend.  A stand-in for
 * the memory API (include/exec/memory.h) gives RAM, a ROM, one device and
 * a hole; the toy's page table maps guest pages onto them.  Checked: the
 * fast path and fills, I/O dispatch, bus errors, page faults, alignment
 * faults, accesses straddling two discontiguous pages, ROM, code writes
 * through TLB_NOTDIRTY (including a TB that rewrites itself), DMA-style
 * invalidation, flushes by page, by MMU index and of large pages, use-once
 * entries, helper and atomic accesses, interrupts, and a TB whose second
 * page is remapped.
 */
#include <inttypes.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "toy-target.c.inc"
#include "exec/memory.h"
#include "../../accel/tcg/internal.h" /* the jump cache's index (white box) */

#define PG        4096u
#define RAM_BASE  UINT64_C(0x80000000)
#define RAM_SIZE  (4u << 20)
#define ROM_BASE  UINT64_C(0x20000000)
#define ROM_SIZE  (64u << 10)
#define MMIO_BASE UINT64_C(0x10000000)
#define HOLE_BASE UINT64_C(0x30000000)

#define CODE_VA 0x10000u
#define DATA_VA 0x40000u
#define MMIO_VA 0x50000u
#define ROM_VA  0x60000u
#define HOLE_VA 0x70000u
#define TRAP_VA 0x8000u
#define IRQ_VA  0x9000u

/* ---- the memory API stand-in */

struct AddressSpace {
    int unused;
};

struct MemoryRegionSection {
    const char *name;
};

static AddressSpace test_as;
static MemoryRegionSection rom_section = {"rom"};
static MemoryRegionSection mmio_section = {"mmio"};
static MemoryRegionSection hole_section = {"hole"};
static uint8_t *ram, *rom;

typedef struct DevAccess {
    bool write;
    hwaddr addr;
    uint64_t val;
    unsigned size;
} DevAccess;

static DevAccess dev_log[64];
static unsigned dev_count, rom_writes;

void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr, void **host,
                                     MemoryRegionSection **section)
{
    g_assert(as == &test_as);
    if (paddr >= RAM_BASE && paddr < RAM_BASE + RAM_SIZE) {
        *host = ram + (paddr - RAM_BASE);
        *section = NULL;
    } else if (paddr >= ROM_BASE && paddr < ROM_BASE + ROM_SIZE) {
        *host = rom + (paddr - ROM_BASE);
        *section = &rom_section;
    } else if (paddr >= MMIO_BASE && paddr < MMIO_BASE + PG) {
        *host = NULL;
        *section = &mmio_section;
    } else {
        *host = NULL;
        *section = &hole_section;
    }
}

/* The device answers 0xd0d0_0000 + offset; every access is logged. */
MemTxResult memory_region_dispatch_read(MemoryRegionSection *section, hwaddr addr, uint64_t *val,
                                        MemOp op, MemTxAttrs attrs)
{
    if (section != &mmio_section) {
        return MEMTX_DECODE_ERROR;
    }
    *val = (UINT64_C(0xd0d00000) + (addr - MMIO_BASE)) & (UINT64_MAX >> (64 - 8 * memop_size(op)));
    dev_log[dev_count++ % 64] = (DevAccess){false, addr, *val, memop_size(op)};
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegionSection *section, hwaddr addr, uint64_t val,
                                         MemOp op, MemTxAttrs attrs)
{
    if (section == &rom_section) {
        rom_writes++;
        return MEMTX_OK;
    }
    if (section != &mmio_section) {
        return MEMTX_DECODE_ERROR;
    }
    dev_log[dev_count++ % 64] = (DevAccess){true, addr, val, memop_size(op)};
    return MEMTX_OK;
}

/* ---- fixture */

static CPUState *cs;
static ToyEnv *env;
static const char *backend_name;

static void *ram_at(uint64_t paddr)
{
    return ram + (paddr - RAM_BASE);
}

static void setup(gconstpointer data)
{
    TCGExecConfig c = {
        .ops = &toy_ops,
        .backend = tcg_backend_by_name(data),
        .softmmu = true,
    };

    backend_name = data;
    ram = g_malloc0(RAM_SIZE);
    rom = g_malloc0(ROM_SIZE);
    dev_count = rom_writes = 0;
    g_assert_true(tcg_exec_init(&c, &error_abort));
    cs = tcg_cpu_create(&toy_ops, 0);
    cs->as = &test_as;
    env = toy_env(cs);
    toy_ptable = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    for (unsigned i = 0; i < 16; i++) {
        toy_map(CODE_VA + i * PG, RAM_BASE + CODE_VA + i * PG, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
        toy_map(DATA_VA + i * PG, RAM_BASE + DATA_VA + i * PG, PAGE_READ | PAGE_WRITE);
    }
    toy_map(MMIO_VA, MMIO_BASE, PAGE_READ | PAGE_WRITE);
    toy_map(ROM_VA, ROM_BASE, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    toy_map(HOLE_VA, HOLE_BASE, PAGE_READ | PAGE_WRITE);
    toy_map(TRAP_VA, RAM_BASE + TRAP_VA, PAGE_READ | PAGE_EXEC);
    toy_map(IRQ_VA, RAM_BASE + IRQ_VA, PAGE_READ | PAGE_EXEC);
    /* Traps end the run with exit code 0xdead, interrupts with 0x1a. */
    toy_put(ram_at(RAM_BASE + TRAP_VA), toy_insn(TOY_EXIT, 0, 0, 0, 0xdead));
    toy_put(ram_at(RAM_BASE + IRQ_VA), toy_insn(TOY_EXIT, 0, 0, 0, 0x1a));
    env->trap_vector = TRAP_VA;
    env->irq_vector = IRQ_VA;
}

static void teardown(void)
{
    tcg_cpu_free(cs);
    cs = NULL;
    tcg_exec_exit();
    g_hash_table_destroy(toy_ptable);
    toy_ptable = NULL;
    g_free(ram);
    g_free(rom);
}

/* Assemble at guest virtual `asm_va`, through the page table into RAM or ROM. */
static vaddr asm_va;

static void *va_host(vaddr va)
{
    uint64_t key = va & ~(uint64_t)0xfff;
    ToyPte *pte = g_hash_table_lookup(toy_ptable, &key);
    uint64_t pa;

    g_assert_nonnull(pte);
    pa = pte->paddr | (va & 0xfff);
    return pa >= ROM_BASE && pa < ROM_BASE + ROM_SIZE ? rom + (pa - ROM_BASE) : ram_at(pa);
}

static void A(unsigned op, unsigned rd, unsigned rs, MemOp memop, int32_t imm)
{
    toy_put(va_host(asm_va), toy_insn(op, rd, rs, memop, imm));
    asm_va += 8;
}

static int run_at(vaddr pc)
{
    env->pc = pc;
    return toy_run(cs);
}

static CPUTLBEntry *tlb_entry_of(int mmu_idx, vaddr va)
{
    return &cs->tlb[mmu_idx].table[(va >> 12) & (CPU_TLB_SIZE - 1)];
}

/* ---- tests */

static void test_ram(gconstpointer data)
{
    unsigned fills;

    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 3, 0, 0, DATA_VA);
    A(TOY_LI, 1, 0, 0, 0x1234);
    A(TOY_ST, 1, 3, MO_LEUQ, 16);
    A(TOY_LD, 2, 3, MO_LEUQ, 16);
    A(TOY_ST, 1, 3, MO_BEUL, 24);
    A(TOY_LD, 4, 3, MO_SB, 27);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, 0x1234);
    g_assert_cmpuint(*(uint64_t *)ram_at(RAM_BASE + DATA_VA + 16), ==, 0x1234);
    g_assert_cmpmem(ram_at(RAM_BASE + DATA_VA + 24), 4, "\x00\x00\x12\x34", 4);
    g_assert_cmpuint(env->regs[4], ==, 0x34);

    /* Again: everything hits the TLB, no fill. */
    fills = toy_fill_count;
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(toy_fill_count, ==, fills);
    teardown();
}

static void test_mmio(gconstpointer data)
{
    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 3, 0, 0, MMIO_VA);
    A(TOY_LI, 1, 0, 0, 0x55aa);
    A(TOY_ST, 1, 3, MO_LEUL, 8);
    A(TOY_LD, 2, 3, MO_LEUW, 0x10);
    A(TOY_HLD, 4, 3, MO_8, 0x21);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(dev_count, ==, 3);
    g_assert_true(dev_log[0].write);
    g_assert_cmpuint(dev_log[0].addr, ==, MMIO_BASE + 8);
    g_assert_cmpuint(dev_log[0].val, ==, 0x55aa);
    g_assert_cmpuint(dev_log[0].size, ==, 4);
    g_assert_false(dev_log[1].write);
    g_assert_cmpuint(dev_log[1].size, ==, 2);
    g_assert_cmpuint(env->regs[2], ==, 0x0010);
    g_assert_cmpuint(env->regs[4], ==, 0x21);
    /* The entry is flagged: I/O never takes the fast path. */
    g_assert_cmpuint(tlb_entry_of(0, MMIO_VA)->addr_read & TLB_MMIO, ==, TLB_MMIO);
    teardown();
}

static void test_bus_error(gconstpointer data)
{
    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 3, 0, 0, HOLE_VA);
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_LD, 2, 3, MO_LEUQ, 8);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->exit_code, ==, 0xdead);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_BUSERR);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA + 16);
    g_assert_cmpuint(env->trap_addr, ==, HOLE_VA + 8);
    teardown();
}

static void test_page_fault(gconstpointer data)
{
    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 3, 0, 0, 0x123000);
    A(TOY_LI, 1, 0, 0, 7);
    A(TOY_ST, 1, 3, MO_LEUQ, 0x10);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA + 16);
    g_assert_cmpuint(env->trap_addr, ==, 0x123010);
    g_assert_cmpuint(env->regs[1], ==, 7);

    /* A store to a read-only page. */
    asm_va = CODE_VA + PG;
    A(TOY_LI, 3, 0, 0, TRAP_VA);
    A(TOY_ST, 3, 3, MO_8, 0);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA + PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA + PG + 8);

    /* Fetching from an unmapped page. */
    g_assert_cmpint(run_at(0x555000), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->trap_pc, ==, 0x555000);
    g_assert_cmpuint(env->trap_addr, ==, 0x555000);
    teardown();
}

static void test_alignment_and_crossing(gconstpointer data)
{
    vaddr last = DATA_VA + 15 * PG;

    setup(data);
    /* The page after DATA_VA + PG - 1 lives far away in RAM. */
    toy_map(DATA_VA + PG, RAM_BASE + 0x300000, PAGE_READ | PAGE_WRITE);
    asm_va = CODE_VA;
    A(TOY_LI, 3, 0, 0, DATA_VA + PG - 3);
    A(TOY_LI, 1, 0, 0, 0x11223344);
    A(TOY_ST, 1, 3, MO_LEUQ, 0); /* LE, crossing */
    A(TOY_LD, 2, 3, MO_LEUQ, 0);
    A(TOY_LI, 4, 0, 0, DATA_VA + PG - 2);
    A(TOY_ST, 1, 4, MO_BEUL, 0); /* BE, crossing */
    A(TOY_LD, 5, 4, MO_BEUL, 0);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->exit_code, ==, 1);
    g_assert_cmpuint(env->regs[2], ==, 0x11223344);
    g_assert_cmpmem(ram_at(RAM_BASE + DATA_VA + PG - 2), 2, "\x11\x22", 2);
    g_assert_cmpmem(ram_at(RAM_BASE + 0x300000), 2, "\x33\x44", 2);
    g_assert_cmpuint(env->regs[5], ==, 0x11223344);

    /* MO_ALIGN on a misaligned address: the target's alignment fault. */
    asm_va = CODE_VA + PG;
    A(TOY_LI, 3, 0, 0, DATA_VA + 4);
    A(TOY_LD, 2, 3, MO_LEUQ | MO_ALIGN, 0);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA + PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_MISALIGNED);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA + PG + 8);

    /* Crossing into an unmapped page: the fault comes before any byte is written. */
    toy_unmap(last + PG);
    memset(ram_at(RAM_BASE + last + PG - 4), 0x77, 4);
    asm_va = CODE_VA + 2 * PG;
    A(TOY_LI, 3, 0, 0, last + PG - 4);
    A(TOY_ST, 3, 3, MO_LEUQ, 0);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(CODE_VA + 2 * PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->trap_addr, ==, last + PG);
    g_assert_cmpmem(ram_at(RAM_BASE + last + PG - 4), 4, "\x77\x77\x77\x77", 4);
    teardown();
}

static void test_rom(gconstpointer data)
{
    setup(data);
    memcpy(rom + 0x800, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    /* The program itself runs from the ROM. */
    asm_va = ROM_VA;
    A(TOY_LI, 3, 0, 0, ROM_VA + 0x800);
    A(TOY_LD, 1, 3, MO_LEUQ, 0);
    A(TOY_LI, 2, 0, 0, -1);
    A(TOY_ST, 2, 3, MO_LEUQ, 0);
    A(TOY_LD, 4, 3, MO_LEUQ, 0);
    A(TOY_EXIT, 0, 0, 0, 1);
    g_assert_cmpint(run_at(ROM_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->exit_code, ==, 1);
    g_assert_cmpuint(env->regs[1], ==, UINT64_C(0x0807060504030201));
    /* The write went to the region (which drops it), not to the bytes. */
    g_assert_cmpuint(rom_writes, ==, 1);
    g_assert_cmpuint(env->regs[4], ==, UINT64_C(0x0807060504030201));
    teardown();
}

static void test_code_write(gconstpointer data)
{
    vaddr tbpc = CODE_VA + 0x100;
    CPUTLBEntry *e;

    setup(data);
    asm_va = tbpc;
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(tbpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);

    /* Code on another page writes the LI's immediate, then jumps there. */
    asm_va = CODE_VA + PG;
    A(TOY_LI, 4, 0, 0, 5);
    A(TOY_LI, 5, 0, 0, tbpc + 4);
    A(TOY_ST, 4, 5, MO_LEUL, 0);
    A(TOY_LI, 6, 0, 0, tbpc);
    A(TOY_JR, 0, 6, 0, 0);
    g_assert_cmpint(run_at(CODE_VA + PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 5);
    g_assert_cmpuint(tcg_jit_stats().tb_invalidated, >=, 1);

    /*
     * Writes beside the code keep the page's write entry on the slow path;
     * once the code is gone, the entry is fast again.
     */
    e = tlb_entry_of(0, CODE_VA);
    g_assert_cmpuint(e->addr_write & TLB_NOTDIRTY, ==, TLB_NOTDIRTY);
    asm_va = CODE_VA + 2 * PG;
    A(TOY_LI, 5, 0, 0, CODE_VA + 0x800);
    A(TOY_ST, 4, 5, MO_LEUQ, 0);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE_VA + 2 * PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(e->addr_write & TLB_NOTDIRTY, ==, TLB_NOTDIRTY);
    asm_va = CODE_VA + 3 * PG;
    A(TOY_LI, 5, 0, 0, tbpc);
    A(TOY_ST, 4, 5, MO_LEUQ, 0);
    A(TOY_ST, 4, 5, MO_LEUQ, 8);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE_VA + 3 * PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(e->addr_write & TLB_NOTDIRTY, ==, 0);
    teardown();
}

static void test_self_modifying_tb(gconstpointer data)
{
    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 4, 0, 0, 9);
    A(TOY_LI, 5, 0, 0, CODE_VA + 0x24);
    A(TOY_ST, 4, 5, MO_LEUL, 0);
    A(TOY_NOP, 0, 0, 0, 0);
    A(TOY_LI, 1, 0, 0, 1); /* CODE_VA + 0x20: rewritten before it runs */
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 9);
    teardown();
}

static void test_dma_invalidate(gconstpointer data)
{
    setup(data);
    asm_va = CODE_VA;
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    /* A device writes the code behind the TLB's back, then tells the TB cache. */
    toy_put(ram_at(RAM_BASE + CODE_VA), toy_insn(TOY_LI, 1, 0, 0, 2));
    tb_invalidate_phys_range(RAM_BASE + CODE_VA, RAM_BASE + CODE_VA + 7);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 2);
    /* tb_invalidate_phys_page covers the whole page. */
    toy_put(ram_at(RAM_BASE + CODE_VA), toy_insn(TOY_LI, 1, 0, 0, 3));
    tb_invalidate_phys_page(RAM_BASE + CODE_VA + 0x700);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 3);
    teardown();
}

static void test_flushes(gconstpointer data)
{
    const int rwx = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    CPUTLBEntry *e;

    setup(data);
    tlb_set_page(cs, 0x1234, RAM_BASE + 0x1000, 0, rwx, 0, 12);
    e = tlb_entry_of(0, 0x1000);
    g_assert_cmpuint(e->addr_read, ==, 0x1000);
    g_assert_cmpuint(e->addr_write, ==, 0x1000);
    g_assert_cmpuint(e->addr_code, ==, 0x1000);
    g_assert_cmpuint(e->addend + 0x1000, ==, (uintptr_t)ram_at(RAM_BASE + 0x1000));
    tlb_set_page(cs, 0x1000, RAM_BASE + 0x1000, 0, PAGE_READ, 1, 12);
    g_assert_cmpuint(tlb_entry_of(1, 0x1000)->addr_write, ==, UINT64_MAX);
    tlb_set_page(cs, 0x2000, MMIO_BASE, 0, PAGE_READ | PAGE_WRITE, 0, 12);
    g_assert_cmpuint(tlb_entry_of(0, 0x2000)->addr_read, ==, 0x2000 | TLB_MMIO);

    /* By page and MMU index. */
    tlb_flush_page_by_mmuidx(cs, 0x1fff, 1 << 1);
    g_assert_cmpuint(tlb_entry_of(1, 0x1000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(0, 0x1000)->addr_read, ==, 0x1000);
    tlb_flush_page(cs, 0x1000);
    g_assert_cmpuint(tlb_entry_of(0, 0x1000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(0, 0x2000)->addr_read, ==, 0x2000 | TLB_MMIO);

    /* A large page: flushing any page inside it flushes its MMU index. */
    tlb_set_page(cs, 0x200000, RAM_BASE, 0, rwx, 2, 21);
    tlb_set_page(cs, 0x3ff000, RAM_BASE + 0x1ff000, 0, rwx, 2, 21);
    tlb_set_page(cs, 0x800000, RAM_BASE, 0, rwx, 2, 12);
    tlb_set_page(cs, 0x800000, RAM_BASE, 0, rwx, 3, 12);
    tlb_flush_page(cs, 0x300000);
    g_assert_cmpuint(tlb_entry_of(2, 0x200000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(2, 0x3ff000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(2, 0x800000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(3, 0x800000)->addr_read, ==, 0x800000);

    /* By MMU index. */
    tlb_set_page(cs, 0x800000, RAM_BASE, 0, rwx, 2, 12);
    tlb_flush_by_mmuidx(cs, 1 << 3);
    g_assert_cmpuint(tlb_entry_of(3, 0x800000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(2, 0x800000)->addr_read, ==, 0x800000);

    /*
     * A page flush forgets the jump-cache slots of pcs in that page and in
     * the page before (a TB may spill over), and leaves other pages' slots.
     * Only pages whose TBs entered the cache (noted by tb_find) are looked
     * at: a flush of a page that never held code clears nothing.
     */
    tb_jmp_cache_clear(cs);
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        cs->tb_jmp_cache[i] = (TranslationBlock *)cs;
    }
    tlb_flush_page(cs, 0x9123);
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        g_assert_nonnull(cs->tb_jmp_cache[i]);
    }
    tb_jmp_cache_note_page(cs, 0x4ffc);
    tb_jmp_cache_note_page(cs, 0x5000);
    tlb_flush_page(cs, 0x5123);
    g_assert_null(cs->tb_jmp_cache[tb_jmp_cache_hash(0x5000)]);
    g_assert_null(cs->tb_jmp_cache[tb_jmp_cache_hash(0x5ffe)]);
    g_assert_null(cs->tb_jmp_cache[tb_jmp_cache_hash(0x4ffc)]);
    {
        unsigned cleared = 0;

        for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
            cleared += cs->tb_jmp_cache[i] == NULL;
        }
        g_assert_cmpuint(cleared, <=, 2 * TB_JMP_RUN_SIZE);
    }
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        cs->tb_jmp_cache[i] = NULL;
    }

    /* Everything, including the jump cache (keyed by virtual pc). */
    cs->tb_jmp_cache[7] = (TranslationBlock *)cs;
    tlb_flush(cs);
    g_assert_null(cs->tb_jmp_cache[7]);
    g_assert_cmpuint(tlb_entry_of(2, 0x800000)->addr_read, ==, UINT64_MAX);
    g_assert_cmpuint(tlb_entry_of(0, 0x2000)->addr_read, ==, UINT64_MAX);
    teardown();
}

static void test_helper_access(gconstpointer data)
{
    uint64_t v, *p;
    unsigned fills;

    setup(data);
    /* From outside generated code (ra 0), filling through the target. */
    cpu_stl_mmu(cs, DATA_VA + 4, 0x11223344, make_memop_idx(MO_BEUL, 0), 0);
    g_assert_cmpmem(ram_at(RAM_BASE + DATA_VA + 4), 4, "\x11\x22\x33\x44", 4);
    g_assert_cmpuint(cpu_ldl_mmu(cs, DATA_VA + 4, make_memop_idx(MO_LEUL, 0), 0), ==, 0x44332211);
    g_assert_cmpuint(cpu_lduw_mmu(cs, MMIO_VA + 0x42, make_memop_idx(MO_LEUW, 0), 0), ==, 0x0042);
    cpu_stq_mmu(cs, DATA_VA + PG - 4, UINT64_C(0x0102030405060708), make_memop_idx(MO_LEUQ, 0), 0);
    g_assert_cmpuint(cpu_ldq_mmu(cs, DATA_VA + PG - 4, make_memop_idx(MO_LEUQ, 0), 0), ==,
                     UINT64_C(0x0102030405060708));
    cpu_stb_mmu(cs, DATA_VA, 0xfe, make_memop_idx(MO_8, 0), 0);
    g_assert_cmpuint(cpu_ldub_mmu(cs, DATA_VA, make_memop_idx(MO_8, 0), 0), ==, 0xfe);
    cpu_stw_mmu(cs, DATA_VA, 0xbeef, make_memop_idx(MO_LEUW, 0), 0);
    g_assert_cmpuint(*(uint16_t *)ram_at(RAM_BASE + DATA_VA), ==, 0xbeef);

    p = cpu_atomic_mmu_lookup(cs, DATA_VA + 8, make_memop_idx(MO_LEUQ | MO_ALIGN, 0), 0);
    g_assert_true(p == ram_at(RAM_BASE + DATA_VA + 8));

    /* Use-once entries (a mapping smaller than a page) are filled on every access. */
    tlb_set_page(cs, 0x90000, RAM_BASE + 0x90000, 0, PAGE_READ, 5, 10);
    g_assert_cmpuint(tlb_entry_of(5, 0x90000)->addr_read & TLB_INVALID_MASK, !=, 0);
    toy_map(0x90000, RAM_BASE + 0x90000, PAGE_READ);
    fills = toy_fill_count;
    v = cpu_ldq_mmu(cs, 0x90008, make_memop_idx(MO_LEUQ, 5), 0);
    g_assert_cmpuint(v, ==, 0);
    g_assert_cmpuint(toy_fill_count, ==, fills + 1);
    teardown();
}

static void test_atomic(gconstpointer data)
{
    setup(data);
    *(uint64_t *)ram_at(RAM_BASE + DATA_VA + 8) = 40;
    asm_va = CODE_VA;
    A(TOY_LI, 5, 0, 0, DATA_VA + 8);
    A(TOY_LI, 6, 0, 0, 2);
    A(TOY_AMOADD, 6, 5, 0, 0);
    A(TOY_LI, 5, 0, 0, MMIO_VA);
    A(TOY_AMOADD, 6, 5, 0, 0); /* not on I/O: a bus error */
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(*(uint64_t *)ram_at(RAM_BASE + DATA_VA + 8), ==, 42);
    g_assert_cmpuint(env->regs[6], ==, 40);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_BUSERR);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA + 32);
    teardown();
}

static void *interrupt_later(void *opaque)
{
    g_usleep(20000);
    cpu_interrupt(opaque, CPU_INTERRUPT_HARD);
    return NULL;
}

static void test_interrupt(gconstpointer data)
{
    pthread_t t;

    setup(data);
    asm_va = CODE_VA;
    A(TOY_ADDI, 2, 0, 0, 1);
    A(TOY_J, 0, 0, 0, -8);
    env->irq_enabled = 1;

    /* Halted with nothing pending: no work. */
    cs->halted = true;
    env->pc = CODE_VA;
    g_assert_cmpint(cpu_exec(cs), ==, EXCP_HALTED);

    pthread_create(&t, NULL, interrupt_later, cs);
    while (cpu_exec(cs) == EXCP_HALTED) {
        g_usleep(1000);
    }
    pthread_join(t, NULL);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->exit_code, ==, 0x1a);
    g_assert_cmpuint(env->trap_cause, ==, TOY_EXCP_IRQ);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA);

    /* Now while the guest spins in chained code. */
    env->regs[2] = 0;
    pthread_create(&t, NULL, interrupt_later, cs);
    g_assert_cmpint(run_at(CODE_VA), ==, TOY_EXCP_EXIT);
    pthread_join(t, NULL);
    g_assert_cmpuint(env->exit_code, ==, 0x1a);
    g_assert_cmpuint(env->regs[2], >, 100);
    g_assert_cmpuint(env->trap_pc, ==, CODE_VA);
    teardown();
}

/*
 * An address-space switch (tlb_flush_nonglobal_by_mmuidx) keeps the TLB
 * entries filled with PAGE_GLOBAL and the jump-cache slots of TBs reached
 * through them; it drops the others, so that code remapped behind a
 * non-global address is found anew.  A full flush drops everything.
 */
static void test_nonglobal_flush(gconstpointer data)
{
    const int rwx = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    vaddr gpc = CODE_VA + 4 * PG, lpc = CODE_VA + 5 * PG;
    uint64_t other = RAM_BASE + CODE_VA + 6 * PG;

    setup(data);
    toy_map(gpc, RAM_BASE + gpc, rwx | PAGE_GLOBAL);
    asm_va = gpc;
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    asm_va = lpc;
    A(TOY_LI, 1, 0, 0, 2);
    A(TOY_EXIT, 0, 0, 0, 0);
    asm_va = CODE_VA + 6 * PG; /* identity-mapped: the bytes at `other` */
    A(TOY_LI, 1, 0, 0, 3);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(gpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    g_assert_cmpint(run_at(lpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 2);
    g_assert_nonnull(cs->tb_jmp_cache[tb_jmp_cache_hash(gpc)]);
    g_assert_nonnull(cs->tb_jmp_cache[tb_jmp_cache_hash(lpc)]);

    /* Both pages remapped; then the switch. */
    toy_map(gpc, other, rwx | PAGE_GLOBAL);
    toy_map(lpc, other, rwx);
    tlb_flush_nonglobal_by_mmuidx(cs, 0xff);
    g_assert_nonnull(cs->tb_jmp_cache[tb_jmp_cache_hash(gpc)]);
    g_assert_null(cs->tb_jmp_cache[tb_jmp_cache_hash(lpc)]);
    g_assert_cmpuint(tlb_entry_of(0, gpc)->addr_code, ==, gpc);
    g_assert_cmpuint(tlb_entry_of(0, lpc)->addr_code, ==, UINT64_MAX);
    /* The global translation is kept (as a TLB may); the other is walked again. */
    g_assert_cmpint(run_at(gpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    g_assert_cmpint(run_at(lpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 3);

    /* Many non-global TBs overflow the list of their slots: then the whole cache goes. */
    for (unsigned i = 0; i < 1100; i++) {
        cs->tb_jmp_cache[i * 7] = (TranslationBlock *)cs;
    }
    cs->accel->nb_jmp_local = TB_JMP_LOCAL_MAX + 1;
    tlb_flush_nonglobal_by_mmuidx(cs, 0xff);
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        g_assert_null(cs->tb_jmp_cache[i]);
    }

    /* A full flush forgets the global translation too. */
    tlb_flush(cs);
    g_assert_cmpint(run_at(gpc), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 3);
    teardown();
}

static void test_cross_page_code(gconstpointer data)
{
    vaddr p = CODE_VA + 5 * PG;
    uint64_t other = RAM_BASE + 0x200000;
    uint64_t entries;

    setup(data);
    /* An instruction straddling into a page that is then remapped. */
    asm_va = p - 4;
    A(TOY_ADDI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    memcpy(ram_at(other), va_host(p), 16);
    *(uint32_t *)ram_at(other) = 100; /* the straddler's immediate, elsewhere */
    g_assert_cmpint(run_at(p - 4), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    toy_map(p, other, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    tlb_flush(cs);
    env->regs[1] = 0;
    g_assert_cmpint(run_at(p - 4), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 100);

    /* In system mode jumps across pages go through the lookup, not chaining. */
    asm_va = CODE_VA + 8 * PG - 8;
    A(TOY_J, 0, 0, 0, 8);
    A(TOY_ADDI, 1, 0, 0, -1); /* next page */
    A(TOY_BNEZ, 1, 0, 0, -16);
    A(TOY_EXIT, 0, 0, 0, 0);
    env->regs[1] = 1000;
    entries = cs->tb_exec_count;
    g_assert_cmpint(run_at(CODE_VA + 8 * PG - 8), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 0);
    g_assert_cmpuint(cs->tb_exec_count - entries, <, 20);
    teardown();
}

static void test_skip(gconstpointer data)
{
    g_test_skip(data);
}

typedef struct TLBTest {
    const char *name;
    GTestDataFunc fn;
} TLBTest;

static const TLBTest tlb_tests[] = {
    {"ram", test_ram},
    {"mmio", test_mmio},
    {"bus-error", test_bus_error},
    {"page-fault", test_page_fault},
    {"alignment-and-crossing", test_alignment_and_crossing},
    {"rom", test_rom},
    {"code-write", test_code_write},
    {"self-modifying-tb", test_self_modifying_tb},
    {"dma-invalidate", test_dma_invalidate},
    {"flushes", test_flushes},
    {"helper-access", test_helper_access},
    {"atomic", test_atomic},
    {"interrupt", test_interrupt},
    {"cross-page-code", test_cross_page_code},
    {"nonglobal-flush", test_nonglobal_flush},
};

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (unsigned b = 0; b < G_N_ELEMENTS(toy_backend_names); b++) {
        const char *name = toy_backend_names[b];

        if (!tcg_backend_by_name(name)) {
            g_autofree char *path = g_strdup_printf("/cputlb/%s/unregistered", name);

            g_test_add_data_func(path, "backend not registered yet", test_skip);
            continue;
        }
        for (unsigned i = 0; i < G_N_ELEMENTS(tlb_tests); i++) {
            g_autofree char *path = g_strdup_printf("/cputlb/%s/%s", name, tlb_tests[i].name);

            g_test_add_data_func(path, name, tlb_tests[i].fn);
        }
    }
    return g_test_run();
}
