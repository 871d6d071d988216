/*
 * Raising exceptions from helpers and generated code: record the cause and
 * tval and leave the TB for the exec loop, which delivers the trap (the
 * privileged work's riscv_cpu_do_interrupt in system mode, the cpu loop in
 * linux-user).  The guest pc is that of the faulting instruction: either
 * already stored by generated code, or restored from the helper's host
 * return address.
 */
#include "cpu.h"
#include "helper.h"

void riscv_raise_exception(CPURISCVState *env, RISCVException excp, uint64_t tval,
                           uintptr_t retaddr)
{
    CPUState *cs = riscv_env_cpu(env);

    env->badaddr = tval;
    cs->exception_index = (int)excp;
    if (retaddr) {
        cpu_loop_exit_restore(cs, retaddr);
    }
    cpu_loop_exit(cs);
}

void helper_raise_exception(CPURISCVState *env, uint32_t excp, uint64_t tval)
{
    riscv_raise_exception(env, (RISCVException)excp, tval, 0);
}

/* MemOp asked for alignment (LR/SC/AMO): the address-misaligned exception of the access. */
void riscv_cpu_do_unaligned_access(CPUState *cs, vaddr addr, MMUAccessType access_type, int mmu_idx,
                                   uintptr_t retaddr)
{
    CPURISCVState *env = cpu_env(cs);
    RISCVException excp;

    switch (access_type) {
    case MMU_DATA_LOAD:
        excp = RISCV_EXCP_LOAD_ADDR_MIS;
        break;
    case MMU_DATA_STORE:
        excp = RISCV_EXCP_STORE_AMO_ADDR_MIS;
        break;
    default:
        excp = RISCV_EXCP_INST_ADDR_MIS;
        break;
    }
    riscv_raise_exception(env, excp, addr, retaddr);
}
