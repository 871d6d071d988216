/*
 * The RISC-V privileged tests' bench (riscv-harness.h): the memory API
 * stand-in and a hart on the real softmmu runtime.
 */
#include <glib.h>
#include <setjmp.h>
#include <string.h>
#include "exec/cpu-exec.h"
#include "riscv-harness.h"

RVHarness rvh;

struct AddressSpace {
    int unused;
};

struct MemoryRegionSection {
    const char *name;
};

static AddressSpace rvh_as;
static MemoryRegionSection rvh_rom_section = {"rom"};
static MemoryRegionSection rvh_mmio_section = {"mmio"};
static MemoryRegionSection rvh_hole_section = {"hole"};

void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr, void **host,
                                     MemoryRegionSection **section)
{
    g_assert(as == &rvh_as);
    if (paddr >= RVH_RAM_BASE && paddr < RVH_RAM_BASE + RVH_RAM_SIZE) {
        *host = rvh.ram + (paddr - RVH_RAM_BASE);
        *section = NULL;
    } else if (paddr >= RVH_ROM_BASE && paddr < RVH_ROM_BASE + RVH_ROM_SIZE) {
        *host = rvh.rom + (paddr - RVH_ROM_BASE);
        *section = &rvh_rom_section;
    } else if (paddr >= RVH_MMIO_BASE && paddr < RVH_MMIO_BASE + RVH_MMIO_SIZE) {
        *host = NULL;
        *section = &rvh_mmio_section;
    } else {
        *host = NULL;
        *section = &rvh_hole_section;
    }
}

/* The device reads 0xd0d0_0000 + offset. */
MemTxResult memory_region_dispatch_read(MemoryRegionSection *section, hwaddr addr, uint64_t *val,
                                        MemOp op, MemTxAttrs attrs)
{
    if (section != &rvh_mmio_section) {
        return MEMTX_DECODE_ERROR;
    }
    rvh.dev_reads++;
    *val = UINT64_C(0xd0d00000) + (addr - RVH_MMIO_BASE);
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegionSection *section, hwaddr addr, uint64_t val,
                                         MemOp op, MemTxAttrs attrs)
{
    if (section == &rvh_rom_section) {
        return MEMTX_OK;
    }
    if (section != &rvh_mmio_section) {
        return MEMTX_DECODE_ERROR;
    }
    rvh.dev_writes++;
    return MEMTX_OK;
}

void rvh_setup(void)
{
    rvh_setup_backend(NULL);
}

void rvh_setup_backend(const char *backend)
{
    TCGExecConfig c = {
        .ops = &riscv64_target_ops,
        .backend = backend ? tcg_backend_by_name(backend) : NULL,
        .softmmu = true,
    };

    g_assert(!backend || c.backend);
    memset(&rvh, 0, sizeof(rvh));
    rvh.ram = g_malloc0(RVH_RAM_SIZE);
    rvh.rom = g_malloc0(RVH_ROM_SIZE);
    g_assert_true(tcg_exec_init(&c, &error_abort));
    rvh.cs = tcg_cpu_create(&riscv64_target_ops, 0);
    rvh.cs->as = &rvh_as;
    rvh.env = cpu_env(rvh.cs);
    riscv_cpu_default_config(&rvh.env->cfg);
    riscv_cpu_reset(rvh.cs);
}

void rvh_teardown(void)
{
    tcg_cpu_free(rvh.cs);
    tcg_exec_exit();
    g_free(rvh.ram);
    g_free(rvh.rom);
    memset(&rvh, 0, sizeof(rvh));
}

void *rvh_phys(uint64_t pa)
{
    if (pa >= RVH_RAM_BASE && pa < RVH_RAM_BASE + RVH_RAM_SIZE) {
        return rvh.ram + (pa - RVH_RAM_BASE);
    }
    g_assert(pa >= RVH_ROM_BASE && pa < RVH_ROM_BASE + RVH_ROM_SIZE);
    return rvh.rom + (pa - RVH_ROM_BASE);
}

uint64_t rvh_ld64(uint64_t pa)
{
    uint64_t v;

    memcpy(&v, rvh_phys(pa), 8);
    return v;
}

void rvh_st64(uint64_t pa, uint64_t v)
{
    memcpy(rvh_phys(pa), &v, 8);
}

/* Run fn; a guest exception longjmps back here through cpu_loop_exit. */
int rvh_try(void (*fn)(void *), void *arg)
{
    CPUState *cs = rvh.cs;

    cs->exception_index = EXCP_NONE;
    if (sigsetjmp(cs->jmp_env, 0) == 0) {
        fn(arg);
        return RISCV_EXCP_NONE;
    }
    return cs->exception_index;
}

typedef struct RVHAccess {
    uint64_t va;
    MemOp op;
    int mmu_idx;
    uint64_t val;
} RVHAccess;

static void rvh_do_load(void *p)
{
    RVHAccess *a = p;
    MemOpIdx oi = make_memop_idx(a->op, (unsigned)a->mmu_idx);

    switch (a->op & MO_SIZE) {
    case MO_8:
        a->val = cpu_ldub_mmu(rvh.cs, a->va, oi, 0);
        break;
    case MO_16:
        a->val = cpu_lduw_mmu(rvh.cs, a->va, oi, 0);
        break;
    case MO_32:
        a->val = cpu_ldl_mmu(rvh.cs, a->va, oi, 0);
        break;
    default:
        a->val = cpu_ldq_mmu(rvh.cs, a->va, oi, 0);
        break;
    }
}

static void rvh_do_store(void *p)
{
    RVHAccess *a = p;
    MemOpIdx oi = make_memop_idx(a->op, (unsigned)a->mmu_idx);

    switch (a->op & MO_SIZE) {
    case MO_8:
        cpu_stb_mmu(rvh.cs, a->va, (uint8_t)a->val, oi, 0);
        break;
    case MO_16:
        cpu_stw_mmu(rvh.cs, a->va, (uint16_t)a->val, oi, 0);
        break;
    case MO_32:
        cpu_stl_mmu(rvh.cs, a->va, (uint32_t)a->val, oi, 0);
        break;
    default:
        cpu_stq_mmu(rvh.cs, a->va, a->val, oi, 0);
        break;
    }
}

static void rvh_do_fetch(void *p)
{
    RVHAccess *a = p;

    riscv_cpu_tlb_fill(rvh.cs, a->va, 1, MMU_INST_FETCH, a->mmu_idx, false, 0);
}

int rvh_load(uint64_t va, MemOp op, int mmu_idx, uint64_t *val)
{
    RVHAccess a = {va, op, mmu_idx, 0};
    int e = rvh_try(rvh_do_load, &a);

    if (val) {
        *val = a.val;
    }
    return e;
}

int rvh_store(uint64_t va, MemOp op, int mmu_idx, uint64_t val)
{
    RVHAccess a = {va, op, mmu_idx, val};

    return rvh_try(rvh_do_store, &a);
}

int rvh_fetch(uint64_t va, int mmu_idx)
{
    RVHAccess a = {va, MO_8, mmu_idx, 0};

    return rvh_try(rvh_do_fetch, &a);
}
