/*
 * The RISC-V hart as morph's exec loop sees it: its default configuration
 * (RV64GC with Zba/Zbb/Zbc/Zbs/Zicond), reset, the TB key, the MMU index,
 * the state dump, and the TargetOps that tie the translator, the helpers
 * and the privileged work's hooks together.
 *
 * Reset state: Privileged Architecture 20211203, section 3.4 (M-mode,
 * mstatus.MIE = MPRV = 0, misa at its widest, pc at the reset vector).
 */
#include <glib.h>
#include <inttypes.h>
#include <string.h>
#include "cpu.h"
#include "csr.h"

void riscv_cpu_default_config(RISCVCPUConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ext_i = cfg->ext_m = cfg->ext_a = cfg->ext_f = cfg->ext_d = cfg->ext_c = true;
    cfg->ext_s = cfg->ext_u = true;
    cfg->ext_zba = cfg->ext_zbb = cfg->ext_zbc = cfg->ext_zbs = true;
    cfg->ext_zicond = true;
    cfg->ext_zicsr = cfg->ext_zifencei = cfg->ext_zihintpause = true;
    cfg->ext_zicntr = true;
    cfg->ext_sstc = true;
    cfg->mmu = cfg->pmp = true;
    cfg->pmp_regions = 16;
    cfg->resetvec = 0x1000;
}

static uint32_t riscv_misa_from_config(const RISCVCPUConfig *cfg)
{
    uint32_t ext = 0;

    ext |= cfg->ext_i ? RVI : 0;
    ext |= cfg->ext_e ? RVE : 0;
    ext |= cfg->ext_m ? RVM : 0;
    ext |= cfg->ext_a ? RVA : 0;
    ext |= cfg->ext_f ? RVF : 0;
    ext |= cfg->ext_d ? RVD : 0;
    ext |= cfg->ext_c ? RVC : 0;
    ext |= cfg->ext_s ? RVS : 0;
    ext |= cfg->ext_u ? RVU : 0;
    return ext;
}

void riscv_cpu_reset(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);
    RISCVCPUConfig cfg = env->cfg;
    uint64_t hartid = env->mhartid;

    /* Everything architectural goes back to zero except the configuration. */
    memset(env, 0, offsetof(CPURISCVState, cfg));
    env->cfg = cfg;
    env->mhartid = hartid;
    env->misa_mxl = MXL_RV64;
    env->misa_ext = riscv_misa_from_config(&cfg);
    env->priv = PRV_M;
    env->pc = cfg.resetvec;
    env->load_res = -1;
    /* UXL and SXL are read-only 2 (64-bit) on an RV64-only hart. */
    env->mstatus = ((uint64_t)MXL_RV64 << 32) | ((uint64_t)MXL_RV64 << 34);
    cs->exception_index = EXCP_NONE;
    cs->halted = false;
}

void riscv_cpu_set_user_mode(CPURISCVState *env)
{
    env->priv = PRV_U;
    env->mstatus &= ~MSTATUS_FS;
    if (riscv_has_ext(env, RVF) || riscv_has_ext(env, RVD)) {
        env->mstatus |= (uint64_t)EXT_STATUS_INITIAL << MSTATUS_FS_SHIFT;
    }
    /* The user counters cycle, time and instret are readable, as under qemu-user. */
    env->mcounteren |= 7;
    env->scounteren |= 7;
}

int riscv_cpu_mmu_index(CPUState *cs, bool ifetch)
{
    /* The effective mode, MPRV and SUM: cpu_helper.c. */
    return riscv_env_mmu_index(cpu_env(cs), ifetch);
}

void riscv_get_tb_cpu_state(CPUState *cs, vaddr *pc, uint64_t *cs_base, uint32_t *flags)
{
    CPURISCVState *env = cpu_env(cs);
    uint32_t fs = (uint32_t)((env->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT);
    uint32_t f = 0;

    f |= ((uint32_t)riscv_cpu_mmu_index(cs, false) & TB_FLAGS_MEM_IDX_MASK)
         << TB_FLAGS_MEM_IDX_SHIFT;
    f |= ((uint32_t)env->priv & TB_FLAGS_PRIV_MASK) << TB_FLAGS_PRIV_SHIFT;
    f |= (fs & TB_FLAGS_FS_MASK) << TB_FLAGS_FS_SHIFT;
    *pc = env->pc;
    *cs_base = 0;
    *flags = f;
}

char *riscv_isa_string(const CPURISCVState *env)
{
    static const char order[] = "IEMAFDC";
    const RISCVCPUConfig *cfg = &env->cfg;
    GString *s = g_string_new("rv64");

    for (const char *c = order; *c; c++) {
        if (riscv_has_ext(env, RV(*c))) {
            g_string_append_c(s, (char)g_ascii_tolower(*c));
        }
    }
    if (cfg->ext_zicond) {
        g_string_append(s, "_zicond");
    }
    if (cfg->ext_zicntr) {
        g_string_append(s, "_zicntr");
    }
    if (cfg->ext_zicsr) {
        g_string_append(s, "_zicsr");
    }
    if (cfg->ext_zifencei) {
        g_string_append(s, "_zifencei");
    }
    if (cfg->ext_zihintpause) {
        g_string_append(s, "_zihintpause");
    }
    if (cfg->ext_zihpm) {
        g_string_append(s, "_zihpm");
    }
    if (cfg->ext_zba) {
        g_string_append(s, "_zba");
    }
    if (cfg->ext_zbb) {
        g_string_append(s, "_zbb");
    }
    if (cfg->ext_zbc) {
        g_string_append(s, "_zbc");
    }
    if (cfg->ext_zbs) {
        g_string_append(s, "_zbs");
    }
    if (cfg->ext_sstc) {
        g_string_append(s, "_sstc");
    }
    return g_string_free(s, FALSE);
}

void riscv_cpu_dump_state(CPUState *cs, FILE *out, int flags)
{
    static const char *const abi[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
        "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    CPURISCVState *env = cpu_env(cs);

    fprintf(out, " pc       %016" PRIx64 "  priv %" PRIu64 "\n", env->pc, env->priv);
    fprintf(out, " mstatus  %016" PRIx64 "  fcsr %08x\n", env->mstatus, riscv_get_fcsr(env));
    for (int i = 0; i < 32; i++) {
        fprintf(out, " x%-2d/%-4s %016" PRIx64 "%s", i, abi[i], env->gpr[i],
                (i % 4) == 3 ? "\n" : " ");
    }
    for (int i = 0; i < 32; i++) {
        fprintf(out, " f%-2d      %016" PRIx64 "%s", i, env->fpr[i], (i % 4) == 3 ? "\n" : " ");
    }
}

const TargetOps riscv64_target_ops = {
    .arch_name = "riscv64",
    .cpu_size = sizeof(RISCVCPU),
    .env_offset = offsetof(RISCVCPU, env),
    .insn_start_words = 2,
    .page_bits = RISCV_PAGE_BITS,
    .tcg_init = riscv_tcg_init,
    .get_tb_cpu_state = riscv_get_tb_cpu_state,
    .translate_code = riscv_translate_code,
    .restore_state_to_opc = riscv_restore_state_to_opc,
    .synchronize_from_tb = riscv_synchronize_from_tb,
    .exec_interrupt = riscv_cpu_exec_interrupt,
    .do_interrupt = riscv_cpu_do_interrupt,
    .has_work = riscv_cpu_has_work,
    .mmu_index = riscv_cpu_mmu_index,
    .tlb_fill = riscv_cpu_tlb_fill,
    .do_unaligned_access = riscv_cpu_do_unaligned_access,
    .do_transaction_failed = riscv_cpu_do_transaction_failed,
    .dump_state = riscv_cpu_dump_state,
    .reset = riscv_cpu_reset,
    .gdb_num_regs = RISCV_GDB_NUM_REGS,
    .gdb_read_register = riscv_gdb_read_register,
    .gdb_write_register = riscv_gdb_write_register,
    .gdb_get_xml = riscv_gdb_xml,
    .get_phys_page_debug = riscv_cpu_get_phys_page_debug,
};
