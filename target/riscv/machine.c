/*
 * The migration state of the RISC-V hart (machine.h): every architectural
 * field of CPURISCVState (unprivileged registers, the privileged CSRs'
 * storage, PMP, the interrupt lines), as the table riscv_vmstate_fields.
 * Left out: the configuration (the destination is started with the same
 * -cpu), the board's wiring (function pointers), and the exception in
 * flight (badaddr, bins), which never outlives an instruction.
 *
 * The cycle and instret counters are stored as host clock minus value;
 * the stream carries their guest values (pre_save/post_load convert), so
 * they stay continuous across hosts.
 */
#include "exec/cputlb.h"
#include "cpu_helper.h"
#include "csr.h"
#include "machine.h"

/* clang-format off */
#define FIELD(f)                                                                         \
    { #f, (uint32_t)offsetof(CPURISCVState, f), (uint32_t)sizeof(((CPURISCVState *)0)->f), 1 }
#define FIELD_ARRAY(f)                                                                   \
    { #f, (uint32_t)offsetof(CPURISCVState, f), (uint32_t)sizeof(((CPURISCVState *)0)->f[0]), \
      (uint32_t)(sizeof(((CPURISCVState *)0)->f) / sizeof(((CPURISCVState *)0)->f[0])) }
/* clang-format on */

static const RISCVStateField riscv_vmstate_fields[] = {
    FIELD_ARRAY(gpr),
    FIELD_ARRAY(fpr),
    FIELD(pc),
    FIELD(load_res),
    FIELD(load_val),
    FIELD(frm),
    FIELD(fflags),
    FIELD(priv),
    FIELD(misa_ext),
    FIELD(misa_mxl),
    FIELD(mstatus),
    FIELD(medeleg),
    FIELD(mideleg),
    FIELD(mie),
    FIELD(mip),
    FIELD(mtvec),
    FIELD(stvec),
    FIELD(mepc),
    FIELD(sepc),
    FIELD(mcause),
    FIELD(scause),
    FIELD(mtval),
    FIELD(stval),
    FIELD(mscratch),
    FIELD(sscratch),
    FIELD(satp),
    FIELD(menvcfg),
    FIELD(senvcfg),
    FIELD(mcounteren),
    FIELD(scounteren),
    FIELD(mcountinhibit),
    FIELD_ARRAY(mhpmevent),
    FIELD_ARRAY(pmpcfg),
    FIELD_ARRAY(pmpaddr),
    FIELD(stimecmp),
    FIELD(mhartid),
    FIELD(mcycle_base),
    FIELD(minstret_base),
    FIELD(mip_lines),
};

/* A running counter's base <-> its value: the same conversion both ways. */
static void vmstate_flip_counters(CPURISCVState *env)
{
    uint64_t now = riscv_host_cycles();

    if (!(env->mcountinhibit & COUNTEREN_CY)) {
        env->mcycle_base = now - env->mcycle_base;
    }
    if (!(env->mcountinhibit & COUNTEREN_IR)) {
        env->minstret_base = now - env->minstret_base;
    }
}

static void vmstate_post_load(CPURISCVState *env)
{
    vmstate_flip_counters(env);
    /* Translations and pending interrupts follow from the loaded state. */
    tlb_flush(riscv_env_cpu(env));
    riscv_stimecmp_update(env);
    riscv_cpu_update_irq(env);
}

const RISCVStateDescription riscv_vmstate_cpu = {
    .name = "cpu",
    .version_id = 1,
    .fields = riscv_vmstate_fields,
    .nfields = sizeof(riscv_vmstate_fields) / sizeof(riscv_vmstate_fields[0]),
    .pre_save = vmstate_flip_counters,
    .post_save = vmstate_flip_counters,
    .post_load = vmstate_post_load,
};
