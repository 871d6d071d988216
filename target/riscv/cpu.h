/*
 * The RISC-V hart: its architectural state (CPURISCVState), its
 * configuration (which extensions it implements) and what the rest of
 * morph calls on it.
 *
 * morph models RV64 harts (misa.MXL = 2).  Source of truth: the RISC-V
 * Unprivileged ISA (20191213) and Privileged Architecture (20211203).
 * Generated code reaches the fields through env; gpr/fpr/pc and the LR
 * reservation are TCG globals (translate.c), the rest is read by helpers.
 */
#ifndef MORPH_TARGET_RISCV_CPU_H
#define MORPH_TARGET_RISCV_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "exec/cpu.h"
#include "util/error.h"
#include "cpu_bits.h"

#define RISCV_PAGE_BITS 12
#define RISCV_PAGE_SIZE (1ull << RISCV_PAGE_BITS)

/* Up to 64 PMP entries (the privileged spec allows 0, 16 or 64). */
#define RISCV_MAX_PMP 64

/*
 * MMU indexes: the privilege level data accesses are made at, and what
 * else changes their permissions.  An index names the *effective* mode:
 * M-mode with mstatus.MPRV set makes its loads and stores at MPP's index
 * (an S index shares the TLB entries S-mode itself would make, which is
 * exact: same satp, same permission rules, same PMP mode).  S-mode with
 * mstatus.SUM set may touch U pages, so it has an index of its own.
 * Instruction fetch ignores MPRV and SUM (riscv_cpu_mmu_index(cs, true)).
 * mstatus.MXR, satp and PMP are not part of the index: changing them
 * flushes the TLB.
 */
#define RISCV_MMU_IDX_U PRV_U           /* 0 */
#define RISCV_MMU_IDX_S PRV_S           /* 1 */
#define RISCV_MMU_IDX_S_SUM 2           /* S-mode data access with mstatus.SUM */
#define RISCV_MMU_IDX_M PRV_M           /* 3: no translation */
/* The indexes whose entries satp decides. */
#define RISCV_MMU_IDXMAP_TRANSLATED \
    ((1u << RISCV_MMU_IDX_U) | (1u << RISCV_MMU_IDX_S) | (1u << RISCV_MMU_IDX_S_SUM))

/* Which extensions the hart implements (set before reset; read at translate time). */
typedef struct RISCVCPUConfig {
    bool ext_i, ext_e, ext_m, ext_a, ext_f, ext_d, ext_c;
    bool ext_s, ext_u;
    bool ext_zba, ext_zbb, ext_zbc, ext_zbs;
    bool ext_zicond;
    bool ext_zicsr, ext_zifencei, ext_zihintpause;
    bool ext_zicntr, ext_zihpm;
    bool ext_sstc, ext_svadu, ext_svpbmt;
    bool mmu, pmp;
    unsigned pmp_regions;           /* 0, 16 or 64 */
    uint32_t mvendorid;
    uint64_t marchid, mimpid;
    uint64_t resetvec;              /* pc at reset */
} RISCVCPUConfig;

typedef struct CPURISCVState {
    /* ---- Unprivileged state (translate.c, the trans_*.c.inc files) ---- */
    uint64_t gpr[32];               /* x0 is never written, so it reads 0 */
    /*
     * F/D registers, 64 bits wide: a single-precision value is NaN-boxed
     * (upper 32 bits all ones); an improperly boxed input of a single
     * precision operation reads as the canonical NaN.
     */
    uint64_t fpr[32];
    uint64_t pc;
    /* LR/SC reservation: address (-1: none) and the value LR loaded. */
    uint64_t load_res;
    uint64_t load_val;
    uint32_t frm;                   /* fcsr.frm: dynamic rounding mode */
    uint32_t fflags;                /* fcsr.fflags: accrued exceptions (FPEXC_*) */

    /*
     * Exception in flight: the value for mtval/stval (trap entry reads it),
     * and the bits of the instruction that called a helper which may raise
     * an illegal-instruction exception (its tval).
     */
    uint64_t badaddr;
    uint32_t bins;

    uint64_t priv;                  /* PRV_U, PRV_S or PRV_M */

    /*
     * ---- Privileged architecture ----
     * Owned by the privileged work: target/riscv/{csr.c,cpu_helper.c,mmu.c,pmp.c}.
     * Named as the CSRs are.  Whoever changes misa, mstatus.FS or anything
     * else that riscv_get_tb_cpu_state() or the translator reads must make
     * stale translations unreachable (new TB flags, or tb_flush).
     */
    uint32_t misa_ext;              /* RVI | RVM | ... */
    uint32_t misa_mxl;              /* MXL_RV64 */
    uint64_t mstatus;
    uint64_t medeleg;
    uint64_t mideleg;
    uint64_t mie;
    uint64_t mip;
    uint64_t mtvec;
    uint64_t stvec;
    uint64_t mepc;
    uint64_t sepc;
    uint64_t mcause;
    uint64_t scause;
    uint64_t mtval;
    uint64_t stval;
    uint64_t mscratch;
    uint64_t sscratch;
    uint64_t satp;
    uint64_t menvcfg;
    uint64_t senvcfg;
    uint32_t mcounteren;
    uint32_t scounteren;
    uint32_t mcountinhibit;
    uint64_t mhpmevent[32];         /* [3..31] used */
    uint8_t pmpcfg[RISCV_MAX_PMP];  /* one byte per entry (pmpcfgN packs 8 on RV64) */
    uint64_t pmpaddr[RISCV_MAX_PMP];
    uint64_t stimecmp;
    uint64_t mhartid;
    /*
     * Counters: value = host-derived count - base (written by CSR writes).
     * While mcountinhibit stops a counter, its base holds the frozen value.
     */
    uint64_t mcycle_base;
    uint64_t minstret_base;
    bool wfi_pending;               /* for the privileged work's WFI handling */

    /* The hart's configuration (extensions, vendor ids, reset vector). */
    RISCVCPUConfig cfg;

    /*
     * ---- Wiring to the board (privileged work; kept by reset) ----
     * Interrupt lines driven by devices (riscv_cpu_update_mip) and Sstc's
     * STIP.  Software reads mip | mip_lines in mip: for SEIP that is the OR
     * of the software-writable bit and the controller's line, as the spec
     * asks; MSIP/MTIP/MEIP only ever come from here.
     */
    uint64_t mip_lines;
    /*
     * Time base (the time CSR, Sstc): the board points rdtime_fn at its
     * mtime (NULL: a 10 MHz host clock).  With Sstc the hart asks the board
     * through stimecmp_timer_fn to call riscv_cpu_stimecmp_expired() once
     * time >= deadline (UINT64_MAX: cancel); NULL: nothing is armed.  Both
     * are called from the vCPU thread, and from any thread that asks
     * riscv_cpu_has_work(), so they must be thread-safe.
     */
    uint64_t (*rdtime_fn)(void *opaque);
    void *rdtime_opaque;
    void (*stimecmp_timer_fn)(void *opaque, uint64_t deadline);
    void *stimecmp_timer_opaque;
} CPURISCVState;

/* The CPU object: generated code holds &env; neg sits just below it. */
typedef struct RISCVCPU {
    CPUState parent;
    CPUNegativeOffsetState neg;
    CPURISCVState env;
} RISCVCPU;

static inline RISCVCPU *env_archcpu(CPURISCVState *env)
{
    return (RISCVCPU *)((char *)env - offsetof(RISCVCPU, env));
}

static inline CPUState *riscv_env_cpu(CPURISCVState *env)
{
    return &env_archcpu(env)->parent;
}

static inline bool riscv_has_ext(const CPURISCVState *env, uint32_t ext)
{
    return (env->misa_ext & ext) != 0;
}

/*
 * TB flags: what the translator assumes about the state beyond the pc.
 * A TB is only reused when all of them match.
 */
#define TB_FLAGS_MEM_IDX_SHIFT 0
#define TB_FLAGS_MEM_IDX_MASK 0x7
#define TB_FLAGS_PRIV_SHIFT 3
#define TB_FLAGS_PRIV_MASK 0x3
#define TB_FLAGS_FS_SHIFT 5         /* mstatus.FS */
#define TB_FLAGS_FS_MASK 0x3

/* ---- cpu.c ---- */
extern const TargetOps riscv64_target_ops;
/* Fill cfg with the default RV64GC + Zba/Zbb/Zbc/Zbs/Zicond hart. */
void riscv_cpu_default_config(RISCVCPUConfig *cfg);
/* Reset to the architectural reset state (M-mode at cfg.resetvec). */
void riscv_cpu_reset(CPUState *cs);
/* User-mode emulation: U-mode with the FPU enabled (linux-user calls this after reset). */
void riscv_cpu_set_user_mode(CPURISCVState *env);
int riscv_cpu_mmu_index(CPUState *cs, bool ifetch);
void riscv_get_tb_cpu_state(CPUState *cs, vaddr *pc, uint64_t *cs_base, uint32_t *flags);
void riscv_cpu_dump_state(CPUState *cs, FILE *out, int flags);
/* The ISA string ("rv64imafdc_zba_..."), for the device tree and /proc/cpuinfo. */
char *riscv_isa_string(const CPURISCVState *env);

/* ---- translate.c ---- */
void riscv_tcg_init(TCGContext *s);
void riscv_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns);
void riscv_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb, const uint64_t *data);
void riscv_synchronize_from_tb(CPUState *cs, const TranslationBlock *tb);

/* ---- excp_helper.c ---- */
/*
 * Raise exception `excp` with tval `tval`.  retaddr: the host return
 * address of the helper (GETPC()) so that the guest pc is restored to the
 * faulting instruction, or 0 when env->pc is already right.
 */
__attribute__((noreturn)) void riscv_raise_exception(CPURISCVState *env, RISCVException excp,
                                                     uint64_t tval, uintptr_t retaddr);

/*
 * ---- The privileged work's hooks (cpu_helper.c, mmu.c, pmp.c) ----
 * riscv64_target_ops refers to them.
 */
bool riscv_cpu_exec_interrupt(CPUState *cs, int interrupt_request);
void riscv_cpu_do_interrupt(CPUState *cs);
bool riscv_cpu_has_work(CPUState *cs);
bool riscv_cpu_tlb_fill(CPUState *cs, vaddr addr, int size, MMUAccessType access_type,
                        int mmu_idx, bool probe, uintptr_t retaddr);
/* The debugger's page walk: no side effects, -1 if unmapped (mmu.c). */
hwaddr riscv_cpu_get_phys_page_debug(CPUState *cs, vaddr addr);
void riscv_cpu_do_transaction_failed(CPUState *cs, hwaddr physaddr, vaddr addr, unsigned size,
                                     MMUAccessType access_type, int mmu_idx, uintptr_t retaddr);

/*
 * ---- The privileged work's interface for boards and the gdbstub ----
 * (cpu_helper.c; csr.h has the CSR access functions)
 */
/*
 * Set (value bit 1) or clear the device interrupt lines in `mask` (MIP_*)
 * and request or drop CPU_INTERRUPT_HARD; returns the previous lines.
 * Any thread.  Lines are levels: a device keeps its line up while its
 * cause lasts.
 */
uint64_t riscv_cpu_update_mip(CPURISCVState *env, uint64_t mask, uint64_t value);
/* The board's time base (rdtime = mtime) and its Sstc timer; see CPURISCVState. */
void riscv_cpu_set_time_source(CPURISCVState *env, uint64_t (*rdtime_fn)(void *opaque),
                               void *rdtime_opaque,
                               void (*stimecmp_timer_fn)(void *opaque, uint64_t deadline),
                               void *stimecmp_timer_opaque);
/* The value of the time CSR now. */
uint64_t riscv_cpu_read_time(CPURISCVState *env);
/* The board's Sstc timer fired: re-evaluate STIP against stimecmp. */
void riscv_cpu_stimecmp_expired(CPURISCVState *env);
/* The MMU index of data accesses (ifetch false) or instruction fetch in env's state. */
int riscv_env_mmu_index(const CPURISCVState *env, bool ifetch);

/*
 * ---- cpu-models.c: -cpu MODEL[,PROP=VALUE...] in QEMU's spelling ----
 * Parse fills cfg from the model and its properties (false with *errp set,
 * in QEMU's words, for an unknown model or property or a bad value).
 */
bool riscv_cpu_parse_model(const char *str, RISCVCPUConfig *cfg, Error **errp);
/* Is the -cpu argument a request for the list ("help", "?")? */
bool riscv_cpu_model_is_help(const char *str);
/* The models and properties, as `-cpu help` prints them. */
void riscv_cpu_list_models(FILE *out);

/* ---- gdbstub.c: the GDB register map (riscv64_target_ops' gdb hooks) ---- */
int riscv_gdb_read_register(CPUState *cs, uint8_t *buf, int n);
int riscv_gdb_write_register(CPUState *cs, const uint8_t *buf, int n);
const char *riscv_gdb_xml(const char *annex);
#define RISCV_GDB_NUM_REGS 4162         /* x0-x31, pc, f0-f31, 4096 CSRs, priv */

/* ---- excp_helper.c: misaligned accesses that MemOp marks as aligned (AMOs, LR/SC). ---- */
void riscv_cpu_do_unaligned_access(CPUState *cs, vaddr addr, MMUAccessType access_type,
                                   int mmu_idx, uintptr_t retaddr);

#endif
