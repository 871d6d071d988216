/*
 * Control and status registers of the RISC-V hart (RV64, M/S/U modes).
 *
 * Source of truth: the Privileged Architecture 20211203 (chapter 2 for the
 * address map and access rules, chapter 3 for the machine CSRs, chapter 4
 * for the supervisor CSRs, 3.7 for PMP), the Sstc and Svpbmt extensions,
 * and the unprivileged ISA for fcsr and the counters (Zicntr, Zihpm).
 *
 * The CSRs are a table (csr_table, sorted by number): each entry names a
 * CSR or a run of numbered ones (hpmcounter3..31, pmpaddr0..63), the
 * predicate that says whether the hart has it and the current mode may use
 * it, and how to read and write it.  Plain storage needs no code: an entry
 * may give the offset of its env field instead of functions.  The access
 * rules common to all CSRs come first (csr_access): the number's bits 9:8
 * are the lowest privilege that may access it, bits 11:10 = 3 mark it
 * read-only; anything the table lacks or refuses is an illegal instruction
 * whose tval is the instruction (env->bins).
 *
 * WARL fields are legalised by each write function, as QEMU does for the
 * same CSRs, so that OpenSBI, Linux and U-Boot probe the same answers:
 * MPP keeps its old value when given a mode the hart lacks, satp ignores a
 * write with an unsupported MODE (Linux probes Sv57, Sv48, Sv39), mtvec
 * and stvec ignore a reserved mode, and so on.
 */
#include <stdio.h>
#include <time.h>
#include "exec/cpu-exec.h"
#include "exec/cputlb.h"
#include "util/log.h"
#include "cpu_helper.h"
#include "csr.h"
#include "helper.h"
#include "pmp.h"

/* ---- host-derived counters and fcsr (the unprivileged part) */

uint64_t riscv_host_cycles(void)
{
    struct timespec ts;

    /* One "cycle" per host nanosecond: monotonic and plausible. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t riscv_host_time(void)
{
    return riscv_host_cycles() / (1000000000ull / RISCV_TIMEBASE_FREQ);
}

uint32_t riscv_get_fcsr(const CPURISCVState *env)
{
    return (env->frm << FSR_RD_SHIFT) | (env->fflags & FSR_AEXC);
}

void riscv_set_fcsr(CPURISCVState *env, uint32_t fcsr)
{
    env->frm = (fcsr & FSR_RD) >> FSR_RD_SHIFT;
    env->fflags = fcsr & FSR_AEXC;
}

/* ---- the table's types */

typedef RISCVException (*CSRPredicate)(CPURISCVState *env, int csrno, bool debug);
typedef RISCVException (*CSRRead)(CPURISCVState *env, int csrno, uint64_t *val);
typedef RISCVException (*CSRWrite)(CPURISCVState *env, int csrno, uint64_t val);
/* One read-modify-write, for CSRs whose read value is not what a write stores (mip). */
typedef RISCVException (*CSRRmw)(CPURISCVState *env, int csrno, uint64_t *old, uint64_t val,
                                 uint64_t mask);

typedef struct CSREntry {
    uint16_t first, last; /* the CSR numbers covered */
    const char *name;     /* a run's names are name + (csrno - name_base) */
    uint16_t name_base;
    CSRPredicate pred; /* NULL: every hart has it */
    CSRRead read;      /* NULL with field: read the 64-bit env field */
    CSRWrite write;    /* NULL with field: store to it; NULL without: writes ignored */
    CSRRmw rmw;        /* instead of read/write */
    uint16_t field;    /* offsetof(CPURISCVState, ...) of plain storage, or 0 */
} CSREntry;

#define FIELD(f) ((uint16_t)offsetof(CPURISCVState, f))

/* ---- predicates */

static RISCVException pred_fp(CPURISCVState *env, int csrno, bool debug)
{
    if (!riscv_has_ext(env, RVF)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (!debug && (env->mstatus & MSTATUS_FS) == 0) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    return RISCV_EXCP_NONE;
}

static RISCVException pred_s(CPURISCVState *env, int csrno, bool debug)
{
    return riscv_has_ext(env, RVS) ? RISCV_EXCP_NONE : RISCV_EXCP_ILLEGAL_INST;
}

static RISCVException pred_u(CPURISCVState *env, int csrno, bool debug)
{
    return riscv_has_ext(env, RVU) ? RISCV_EXCP_NONE : RISCV_EXCP_ILLEGAL_INST;
}

/*
 * The user counters (cycle, time, instret, hpmcounterN): the extension,
 * then below M-mode bit N of mcounteren, and in U-mode (with S) also of
 * scounteren.
 */
static RISCVException pred_counter(CPURISCVState *env, int csrno, bool debug)
{
    uint32_t bit = 1u << (csrno & 0x1f);

    if (csrno <= CSR_INSTRET ? !env->cfg.ext_zicntr : false) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (debug || env->priv == PRV_M) {
        return RISCV_EXCP_NONE;
    }
    if (!(env->mcounteren & bit)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (env->priv == PRV_U && riscv_has_ext(env, RVS) && !(env->scounteren & bit)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    return RISCV_EXCP_NONE;
}

/* satp: S-mode traps on it while mstatus.TVM is set. */
static RISCVException pred_satp(CPURISCVState *env, int csrno, bool debug)
{
    if (!riscv_has_ext(env, RVS)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (!debug && env->priv == PRV_S && (env->mstatus & MSTATUS_TVM)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    return RISCV_EXCP_NONE;
}

/* stimecmp (Sstc): below M-mode only with menvcfg.STCE and mcounteren.TM. */
static RISCVException pred_sstc(CPURISCVState *env, int csrno, bool debug)
{
    if (!env->cfg.ext_sstc || !riscv_has_ext(env, RVS)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (debug || env->priv == PRV_M) {
        return RISCV_EXCP_NONE;
    }
    if (!(env->menvcfg & MENVCFG_STCE) || !(env->mcounteren & COUNTEREN_TM)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    return RISCV_EXCP_NONE;
}

/* PMP CSRs exist with PMP; on RV64 only the even pmpcfg numbers do. */
static RISCVException pred_pmp(CPURISCVState *env, int csrno, bool debug)
{
    if (!env->cfg.pmp) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (csrno <= CSR_PMPCFG15 && (csrno & 1)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    return RISCV_EXCP_NONE;
}

/* ---- floating point: fflags, frm, fcsr */

static void mark_fs_dirty(CPURISCVState *env)
{
    env->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

static RISCVException read_fp(CPURISCVState *env, int csrno, uint64_t *val)
{
    switch (csrno) {
    case CSR_FFLAGS:
        *val = env->fflags;
        break;
    case CSR_FRM:
        *val = env->frm;
        break;
    default:
        *val = riscv_get_fcsr(env);
        break;
    }
    return RISCV_EXCP_NONE;
}

static RISCVException write_fp(CPURISCVState *env, int csrno, uint64_t val)
{
    switch (csrno) {
    case CSR_FFLAGS:
        env->fflags = val & FSR_AEXC;
        break;
    case CSR_FRM:
        /* Any 3-bit value is kept; an invalid one traps when DYN uses it. */
        env->frm = val & 7;
        break;
    default:
        riscv_set_fcsr(env, (uint32_t)val);
        break;
    }
    mark_fs_dirty(env);
    return RISCV_EXCP_NONE;
}

/* ---- counters */

/*
 * A running counter reads host - base; an inhibited one holds its value in
 * base.  So starting or stopping one is the same conversion, base = host - base.
 */
static uint64_t *counter_base(CPURISCVState *env, int csrno)
{
    return (csrno & 0x1f) == 0 ? &env->mcycle_base : &env->minstret_base;
}

static bool counter_inhibited(const CPURISCVState *env, int csrno)
{
    return (env->mcountinhibit >> (csrno & 0x1f)) & 1;
}

static RISCVException read_counter(CPURISCVState *env, int csrno, uint64_t *val)
{
    uint64_t *base = counter_base(env, csrno);

    *val = counter_inhibited(env, csrno) ? *base : riscv_host_cycles() - *base;
    return RISCV_EXCP_NONE;
}

static RISCVException write_counter(CPURISCVState *env, int csrno, uint64_t val)
{
    uint64_t *base = counter_base(env, csrno);

    *base = counter_inhibited(env, csrno) ? val : riscv_host_cycles() - val;
    return RISCV_EXCP_NONE;
}

static RISCVException read_time(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = riscv_cpu_read_time(env);
    return RISCV_EXCP_NONE;
}

/* hpmcounter3..31 and mhpmcounter3..31: no events are counted, they read zero. */
static RISCVException read_zero(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = 0;
    return RISCV_EXCP_NONE;
}

static RISCVException read_mhpmevent(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->mhpmevent[csrno & 0x1f];
    return RISCV_EXCP_NONE;
}

static RISCVException write_mhpmevent(CPURISCVState *env, int csrno, uint64_t val)
{
    env->mhpmevent[csrno & 0x1f] = val;
    return RISCV_EXCP_NONE;
}

static RISCVException read_counteren(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = csrno == CSR_MCOUNTEREN ? env->mcounteren : env->scounteren;
    return RISCV_EXCP_NONE;
}

static RISCVException write_counteren(CPURISCVState *env, int csrno, uint64_t val)
{
    *(csrno == CSR_MCOUNTEREN ? &env->mcounteren : &env->scounteren) = (uint32_t)val;
    return RISCV_EXCP_NONE;
}

static RISCVException read_mcountinhibit(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->mcountinhibit;
    return RISCV_EXCP_NONE;
}

static RISCVException write_mcountinhibit(CPURISCVState *env, int csrno, uint64_t val)
{
    /* Bit 1 (time) cannot be inhibited. */
    uint32_t new = (uint32_t)val & ~COUNTEREN_TM;
    uint32_t changed = new ^ env->mcountinhibit;
    uint64_t now = riscv_host_cycles();

    if (changed & COUNTEREN_CY) {
        env->mcycle_base = now - env->mcycle_base;
    }
    if (changed & COUNTEREN_IR) {
        env->minstret_base = now - env->minstret_base;
    }
    env->mcountinhibit = new;
    return RISCV_EXCP_NONE;
}

/* ---- machine information */

static RISCVException read_mvendorid(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->cfg.mvendorid;
    return RISCV_EXCP_NONE;
}

static RISCVException read_marchid(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->cfg.marchid;
    return RISCV_EXCP_NONE;
}

static RISCVException read_mimpid(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->cfg.mimpid;
    return RISCV_EXCP_NONE;
}

/* ---- mstatus, sstatus, misa */

#define SSTATUS_READ_MASK                                                                          \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS |            \
     MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

/* The mstatus bits software may change on this hart. */
static uint64_t mstatus_writable(const CPURISCVState *env)
{
    uint64_t mask = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP;

    if (riscv_has_ext(env, RVS)) {
        mask |= MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR;
        if (env->cfg.mmu) {
            mask |= MSTATUS_SUM;
        }
    }
    if (riscv_has_ext(env, RVU)) {
        mask |= MSTATUS_MPRV | MSTATUS_TW;
    }
    if (riscv_has_ext(env, RVF)) {
        mask |= MSTATUS_FS;
    }
    return mask;
}

/* mstatus with its computed fields: SD, and UXL/SXL fixed at 64 bits. */
static uint64_t mstatus_value(const CPURISCVState *env)
{
    uint64_t s = env->mstatus & ~(MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL);

    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_XS) == MSTATUS_XS ||
        (s & MSTATUS_VS) == MSTATUS_VS) {
        s |= MSTATUS_SD;
    }
    if (riscv_has_ext(env, RVU)) {
        s |= (uint64_t)MXL_RV64 << 32;
    }
    if (riscv_has_ext(env, RVS)) {
        s |= (uint64_t)MXL_RV64 << 34;
    }
    return s;
}

/* MPP is WARL: a mode the hart lacks (or 2, reserved) leaves it unchanged. */
static uint64_t legalize_mpp(const CPURISCVState *env, uint64_t old, uint64_t val)
{
    uint64_t mpp = (val & MSTATUS_MPP) >> 11;
    bool valid = mpp == PRV_M || (mpp == PRV_S && riscv_has_ext(env, RVS)) ||
                 (mpp == PRV_U && riscv_has_ext(env, RVU));

    return valid ? val : (val & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
}

static void mstatus_store(CPURISCVState *env, uint64_t val, uint64_t mask)
{
    uint64_t old = env->mstatus;

    env->mstatus = (old & ~mask) | (legalize_mpp(env, old, val) & mask);
    env->mstatus = mstatus_value(env);
    /* MXR is not part of the MMU index: entries made without it are stale. */
    if ((old ^ env->mstatus) & MSTATUS_MXR) {
        tlb_flush(riscv_env_cpu(env));
    }
}

static RISCVException read_mstatus(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = mstatus_value(env);
    return RISCV_EXCP_NONE;
}

static RISCVException write_mstatus(CPURISCVState *env, int csrno, uint64_t val)
{
    mstatus_store(env, val, mstatus_writable(env));
    return RISCV_EXCP_NONE;
}

static RISCVException read_sstatus(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = mstatus_value(env) & SSTATUS_READ_MASK;
    return RISCV_EXCP_NONE;
}

static RISCVException write_sstatus(CPURISCVState *env, int csrno, uint64_t val)
{
    uint64_t mask = mstatus_writable(env) & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS |
                                             MSTATUS_SUM | MSTATUS_MXR);

    mstatus_store(env, val, mask);
    return RISCV_EXCP_NONE;
}

/* The extensions of the configuration: what misa may hold at most. */
static uint32_t misa_configured(const RISCVCPUConfig *cfg)
{
    return (cfg->ext_i ? RVI : 0) | (cfg->ext_e ? RVE : 0) | (cfg->ext_m ? RVM : 0) |
           (cfg->ext_a ? RVA : 0) | (cfg->ext_f ? RVF : 0) | (cfg->ext_d ? RVD : 0) |
           (cfg->ext_c ? RVC : 0) | (cfg->ext_s ? RVS : 0) | (cfg->ext_u ? RVU : 0);
}

static RISCVException read_misa(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = ((uint64_t)env->misa_mxl << 62) | env->misa_ext;
    return RISCV_EXCP_NONE;
}

/*
 * misa: M, A, F, D and C may be switched off and on again (within the
 * configuration); I, S, U and MXL are fixed.  D needs F.  Turning C off is
 * ignored when the next instruction is not 4-byte aligned (IALIGN would
 * rise under it).  The translator reads the extensions, so a change drops
 * every translation (and helper_csrrw leaves the running one at once).
 */
static RISCVException write_misa(CPURISCVState *env, int csrno, uint64_t val)
{
    uint32_t toggle = (RVM | RVA | RVF | RVD | RVC) & misa_configured(&env->cfg);
    uint32_t ext = (env->misa_ext & ~toggle) | ((uint32_t)val & toggle);

    if (!(ext & RVF)) {
        ext &= ~RVD;
    }
    if (!(ext & RVC) && ((env->pc + 4) & 3)) {
        ext |= env->misa_ext & RVC;
    }
    if (ext == env->misa_ext) {
        return RISCV_EXCP_NONE;
    }
    if (!(ext & RVF)) {
        env->mstatus &= ~(MSTATUS_FS | MSTATUS_SD);
    }
    env->misa_ext = ext;
    tb_flush(riscv_env_cpu(env));
    tlb_flush(riscv_env_cpu(env));
    return RISCV_EXCP_NONE;
}

/* ---- delegation and interrupt enables/pending */

/* Exceptions S-mode may handle: all but ecall from M (11) and from VS (10). */
#define DELEGABLE_EXCPS                                                                            \
    ((1ull << RISCV_EXCP_INST_ADDR_MIS) | (1ull << RISCV_EXCP_INST_ACCESS_FAULT) |                 \
     (1ull << RISCV_EXCP_ILLEGAL_INST) | (1ull << RISCV_EXCP_BREAKPOINT) |                         \
     (1ull << RISCV_EXCP_LOAD_ADDR_MIS) | (1ull << RISCV_EXCP_LOAD_ACCESS_FAULT) |                 \
     (1ull << RISCV_EXCP_STORE_AMO_ADDR_MIS) | (1ull << RISCV_EXCP_STORE_AMO_ACCESS_FAULT) |       \
     (1ull << RISCV_EXCP_U_ECALL) | (1ull << RISCV_EXCP_S_ECALL) |                                 \
     (1ull << RISCV_EXCP_INST_PAGE_FAULT) | (1ull << RISCV_EXCP_LOAD_PAGE_FAULT) |                 \
     (1ull << RISCV_EXCP_STORE_PAGE_FAULT))

static RISCVException write_medeleg(CPURISCVState *env, int csrno, uint64_t val)
{
    env->medeleg = val & DELEGABLE_EXCPS;
    return RISCV_EXCP_NONE;
}

/* Only the supervisor interrupts can be delegated (to S-mode). */
static RISCVException write_mideleg(CPURISCVState *env, int csrno, uint64_t val)
{
    env->mideleg = val & S_MODE_INTERRUPTS;
    return RISCV_EXCP_NONE;
}

static uint64_t mie_writable(const CPURISCVState *env)
{
    return M_MODE_INTERRUPTS | (riscv_has_ext(env, RVS) ? S_MODE_INTERRUPTS : 0);
}

static RISCVException write_mie(CPURISCVState *env, int csrno, uint64_t val)
{
    env->mie = val & mie_writable(env);
    riscv_cpu_update_irq(env);
    return RISCV_EXCP_NONE;
}

/* sie is mie restricted to the interrupts delegated to S-mode. */
static RISCVException read_sie(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = env->mie & env->mideleg & S_MODE_INTERRUPTS;
    return RISCV_EXCP_NONE;
}

static RISCVException write_sie(CPURISCVState *env, int csrno, uint64_t val)
{
    uint64_t mask = env->mideleg & S_MODE_INTERRUPTS;

    env->mie = (env->mie & ~mask) | (val & mask);
    riscv_cpu_update_irq(env);
    return RISCV_EXCP_NONE;
}

/*
 * The bits of mip software writes: SSIP, STIP (unless Sstc's stimecmp
 * drives it), and the software half of SEIP; MSIP/MTIP/MEIP are the
 * devices' (read-only).
 */
static uint64_t mip_writable(const CPURISCVState *env)
{
    uint64_t mask;

    if (!riscv_has_ext(env, RVS)) {
        return 0;
    }
    mask = S_MODE_INTERRUPTS;
    if (env->cfg.ext_sstc && (env->menvcfg & MENVCFG_STCE)) {
        mask &= ~MIP_STIP;
    }
    return mask;
}

/*
 * A read-modify-write of mip sees the software bits alone (so CSRRS on
 * SEIP does not latch the controller's line into them); the read value
 * is the OR with the lines.
 */
static RISCVException rmw_mip_masked(CPURISCVState *env, uint64_t *old, uint64_t val, uint64_t mask,
                                     uint64_t visible, uint64_t writable)
{
    if (old) {
        *old = riscv_cpu_mip(env) & visible;
    }
    mask &= writable;
    if (mask) {
        env->mip = (env->mip & ~mask) | (val & mask);
        riscv_cpu_update_irq(env);
    }
    return RISCV_EXCP_NONE;
}

static RISCVException rmw_mip(CPURISCVState *env, int csrno, uint64_t *old, uint64_t val,
                              uint64_t mask)
{
    return rmw_mip_masked(env, old, val, mask, ~0ull, mip_writable(env));
}

/* sip: the delegated interrupts; S-mode may only set or clear SSIP. */
static RISCVException rmw_sip(CPURISCVState *env, int csrno, uint64_t *old, uint64_t val,
                              uint64_t mask)
{
    uint64_t deleg = env->mideleg & S_MODE_INTERRUPTS;

    return rmw_mip_masked(env, old, val, mask, deleg, deleg & MIP_SSIP);
}

/* ---- trap setup and handling: xtvec, xepc */

/* Direct (0) or vectored (1); a reserved mode leaves the register unchanged. */
static RISCVException write_xtvec(CPURISCVState *env, int csrno, uint64_t val)
{
    if ((val & XTVEC_MODE) > XTVEC_VECTORED) {
        log_guest_error("riscv: %s write 0x%llx with a reserved mode ignored\n",
                        csrno == CSR_MTVEC ? "mtvec" : "stvec", (unsigned long long)val);
        return RISCV_EXCP_NONE;
    }
    *(csrno == CSR_MTVEC ? &env->mtvec : &env->stvec) = val;
    return RISCV_EXCP_NONE;
}

static RISCVException read_xepc(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = riscv_xepc_read(env, csrno == CSR_MEPC ? env->mepc : env->sepc);
    return RISCV_EXCP_NONE;
}

static RISCVException write_xepc(CPURISCVState *env, int csrno, uint64_t val)
{
    *(csrno == CSR_MEPC ? &env->mepc : &env->sepc) = val & ~1ull;
    return RISCV_EXCP_NONE;
}

/* ---- environment configuration, Sstc */

static uint64_t menvcfg_writable(const CPURISCVState *env)
{
    return MENVCFG_FIOM | (env->cfg.ext_svpbmt ? MENVCFG_PBMTE : 0) |
           (env->cfg.ext_sstc ? MENVCFG_STCE : 0);
}

static RISCVException write_menvcfg(CPURISCVState *env, int csrno, uint64_t val)
{
    uint64_t old = env->menvcfg;

    env->menvcfg = val & menvcfg_writable(env);
    /* PBMTE changes which PTEs are valid. */
    if ((old ^ env->menvcfg) & MENVCFG_PBMTE) {
        tlb_flush(riscv_env_cpu(env));
    }
    if ((old ^ env->menvcfg) & MENVCFG_STCE) {
        riscv_stimecmp_update(env);
        riscv_cpu_update_irq(env);
    }
    return RISCV_EXCP_NONE;
}

static RISCVException write_senvcfg(CPURISCVState *env, int csrno, uint64_t val)
{
    env->senvcfg = val & SENVCFG_FIOM;
    return RISCV_EXCP_NONE;
}

static RISCVException write_stimecmp(CPURISCVState *env, int csrno, uint64_t val)
{
    env->stimecmp = val;
    riscv_stimecmp_update(env);
    return RISCV_EXCP_NONE;
}

/* ---- address translation and protection */

/*
 * satp: MODE is WARL over Bare, Sv39, Sv48 and Sv57; a write with any
 * other mode changes nothing (that is how Linux finds the widest mode).
 * Without an MMU satp is read-only zero.  A change flushes the TLB's
 * non-global entries: they are not tagged with the ASID.
 */
static RISCVException write_satp(CPURISCVState *env, int csrno, uint64_t val)
{
    unsigned vm = (unsigned)(val >> 60);

    if (!env->cfg.mmu) {
        return RISCV_EXCP_NONE;
    }
    if (vm != VM_1_10_MBARE && vm != VM_1_10_SV39 && vm != VM_1_10_SV48 && vm != VM_1_10_SV57) {
        return RISCV_EXCP_NONE;
    }
    if (val != env->satp) {
        bool same_mode = (val >> 60) == (env->satp >> 60);

        env->satp = val;
        /*
         * A new address space: its global mappings are, by the G bit's
         * contract, those of the old one, so the TLB may keep them (and
         * the jump cache its kernel TBs).  A new MODE changes them all.
         */
        if (same_mode) {
            tlb_flush_nonglobal_by_mmuidx(riscv_env_cpu(env), RISCV_MMU_IDXMAP_TRANSLATED);
        } else {
            tlb_flush(riscv_env_cpu(env));
        }
    }
    return RISCV_EXCP_NONE;
}

static RISCVException read_pmpcfg(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = riscv_pmpcfg_read(env, (unsigned)(csrno - CSR_PMPCFG0));
    return RISCV_EXCP_NONE;
}

static RISCVException write_pmpcfg(CPURISCVState *env, int csrno, uint64_t val)
{
    riscv_pmpcfg_write(env, (unsigned)(csrno - CSR_PMPCFG0), val);
    return RISCV_EXCP_NONE;
}

static RISCVException read_pmpaddr(CPURISCVState *env, int csrno, uint64_t *val)
{
    *val = riscv_pmpaddr_read(env, (unsigned)(csrno - CSR_PMPADDR0));
    return RISCV_EXCP_NONE;
}

static RISCVException write_pmpaddr(CPURISCVState *env, int csrno, uint64_t val)
{
    riscv_pmpaddr_write(env, (unsigned)(csrno - CSR_PMPADDR0), val);
    return RISCV_EXCP_NONE;
}

/* ---- the table, sorted by number */

static const CSREntry csr_table[] = {
    /* Unprivileged: floating point. */
    {CSR_FFLAGS, CSR_FFLAGS, "fflags", 0, pred_fp, read_fp, write_fp},
    {CSR_FRM, CSR_FRM, "frm", 0, pred_fp, read_fp, write_fp},
    {CSR_FCSR, CSR_FCSR, "fcsr", 0, pred_fp, read_fp, write_fp},

    /* Supervisor. */
    {CSR_SSTATUS, CSR_SSTATUS, "sstatus", 0, pred_s, read_sstatus, write_sstatus},
    {CSR_SIE, CSR_SIE, "sie", 0, pred_s, read_sie, write_sie},
    {CSR_STVEC, CSR_STVEC, "stvec", 0, pred_s, NULL, write_xtvec, .field = FIELD(stvec)},
    {CSR_SCOUNTEREN, CSR_SCOUNTEREN, "scounteren", 0, pred_s, read_counteren, write_counteren},
    {CSR_SENVCFG, CSR_SENVCFG, "senvcfg", 0, pred_s, NULL, write_senvcfg, .field = FIELD(senvcfg)},
    {CSR_SSCRATCH, CSR_SSCRATCH, "sscratch", 0, pred_s, .field = FIELD(sscratch)},
    {CSR_SEPC, CSR_SEPC, "sepc", 0, pred_s, read_xepc, write_xepc},
    {CSR_SCAUSE, CSR_SCAUSE, "scause", 0, pred_s, .field = FIELD(scause)},
    {CSR_STVAL, CSR_STVAL, "stval", 0, pred_s, .field = FIELD(stval)},
    {CSR_SIP, CSR_SIP, "sip", 0, pred_s, .rmw = rmw_sip},
    {CSR_STIMECMP, CSR_STIMECMP, "stimecmp", 0, pred_sstc, NULL, write_stimecmp,
     .field = FIELD(stimecmp)},
    {CSR_SATP, CSR_SATP, "satp", 0, pred_satp, NULL, write_satp, .field = FIELD(satp)},

    /* Machine trap setup. */
    {CSR_MSTATUS, CSR_MSTATUS, "mstatus", 0, NULL, read_mstatus, write_mstatus},
    {CSR_MISA, CSR_MISA, "misa", 0, NULL, read_misa, write_misa},
    {CSR_MEDELEG, CSR_MEDELEG, "medeleg", 0, pred_s, NULL, write_medeleg, .field = FIELD(medeleg)},
    {CSR_MIDELEG, CSR_MIDELEG, "mideleg", 0, pred_s, NULL, write_mideleg, .field = FIELD(mideleg)},
    {CSR_MIE, CSR_MIE, "mie", 0, NULL, NULL, write_mie, .field = FIELD(mie)},
    {CSR_MTVEC, CSR_MTVEC, "mtvec", 0, NULL, NULL, write_xtvec, .field = FIELD(mtvec)},
    {CSR_MCOUNTEREN, CSR_MCOUNTEREN, "mcounteren", 0, pred_u, read_counteren, write_counteren},
    {CSR_MENVCFG, CSR_MENVCFG, "menvcfg", 0, pred_u, NULL, write_menvcfg, .field = FIELD(menvcfg)},
    {CSR_MCOUNTINHIBIT, CSR_MCOUNTINHIBIT, "mcountinhibit", 0, NULL, read_mcountinhibit,
     write_mcountinhibit},
    {CSR_MHPMEVENT3, CSR_MHPMEVENT31, "mhpmevent", 0x320, NULL, read_mhpmevent, write_mhpmevent},

    /* Machine trap handling. */
    {CSR_MSCRATCH, CSR_MSCRATCH, "mscratch", 0, NULL, .field = FIELD(mscratch)},
    {CSR_MEPC, CSR_MEPC, "mepc", 0, NULL, read_xepc, write_xepc},
    {CSR_MCAUSE, CSR_MCAUSE, "mcause", 0, NULL, .field = FIELD(mcause)},
    {CSR_MTVAL, CSR_MTVAL, "mtval", 0, NULL, .field = FIELD(mtval)},
    {CSR_MIP, CSR_MIP, "mip", 0, NULL, .rmw = rmw_mip},

    /* Memory protection. */
    {CSR_PMPCFG0, CSR_PMPCFG15, "pmpcfg", CSR_PMPCFG0, pred_pmp, read_pmpcfg, write_pmpcfg},
    {CSR_PMPADDR0, CSR_PMPADDR63, "pmpaddr", CSR_PMPADDR0, pred_pmp, read_pmpaddr, write_pmpaddr},

    /* Machine counters. */
    {CSR_MCYCLE, CSR_MCYCLE, "mcycle", 0, NULL, read_counter, write_counter},
    {CSR_MINSTRET, CSR_MINSTRET, "minstret", 0, NULL, read_counter, write_counter},
    {CSR_MHPMCOUNTER3, CSR_MHPMCOUNTER31, "mhpmcounter", 0xb00, NULL, read_zero, NULL},

    /* User counters (read-only by number). */
    {CSR_CYCLE, CSR_CYCLE, "cycle", 0, pred_counter, read_counter},
    {CSR_TIME, CSR_TIME, "time", 0, pred_counter, read_time},
    {CSR_INSTRET, CSR_INSTRET, "instret", 0, pred_counter, read_counter},
    {CSR_HPMCOUNTER3, CSR_HPMCOUNTER31, "hpmcounter", 0xc00, pred_counter, read_zero},

    /* Machine information (read-only by number). */
    {CSR_MVENDORID, CSR_MVENDORID, "mvendorid", 0, NULL, read_mvendorid},
    {CSR_MARCHID, CSR_MARCHID, "marchid", 0, NULL, read_marchid},
    {CSR_MIMPID, CSR_MIMPID, "mimpid", 0, NULL, read_mimpid},
    {CSR_MHARTID, CSR_MHARTID, "mhartid", 0, NULL, .field = FIELD(mhartid)},
    {CSR_MCONFIGPTR, CSR_MCONFIGPTR, "mconfigptr", 0, NULL, read_zero},
};

#define CSR_TABLE_LEN (sizeof(csr_table) / sizeof(csr_table[0]))

static const CSREntry *csr_lookup(int csrno)
{
    size_t lo = 0, hi = CSR_TABLE_LEN;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const CSREntry *c = &csr_table[mid];

        if (csrno < c->first) {
            hi = mid;
        } else if (csrno > c->last) {
            lo = mid + 1;
        } else {
            return c;
        }
    }
    return NULL;
}

const char *riscv_csr_name(int csrno, char *buf, size_t len)
{
    const CSREntry *c = csrno >= 0 && csrno <= 0xfff ? csr_lookup(csrno) : NULL;

    if (!c) {
        return NULL;
    }
    if (c->first == c->last) {
        return c->name;
    }
    snprintf(buf, len, "%s%d", c->name, csrno - c->name_base);
    return buf;
}

/* ---- access */

static RISCVException csr_read(CPURISCVState *env, const CSREntry *c, int csrno, uint64_t *val)
{
    if (c->read) {
        return c->read(env, csrno, val);
    }
    *val = *(uint64_t *)((char *)env + c->field);
    return RISCV_EXCP_NONE;
}

static RISCVException csr_write(CPURISCVState *env, const CSREntry *c, int csrno, uint64_t val)
{
    if (c->write) {
        return c->write(env, csrno, val);
    }
    if (c->field && !c->read) {
        *(uint64_t *)((char *)env + c->field) = val;
    }
    /* Otherwise the CSR is read-only zero or ignores writes (WARL). */
    return RISCV_EXCP_NONE;
}

/*
 * `write` says whether the instruction writes (CSRRW always does, CSRRS and
 * CSRRC unless rs1 is x0), which is what makes a read-only CSR illegal;
 * the value written is (old & ~mask) | (value & mask).
 */
static RISCVException csr_access(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t value,
                                 uint64_t mask, bool write, bool debug)
{
    const CSREntry *c;
    RISCVException e;
    uint64_t old;

    if (csrno < 0 || csrno > 0xfff) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    c = csr_lookup(csrno);
    if (!c) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (!debug) {
        if ((int)env->priv < ((csrno >> 8) & 3)) {
            return RISCV_EXCP_ILLEGAL_INST;
        }
        if (write && ((csrno >> 10) & 3) == 3) {
            return RISCV_EXCP_ILLEGAL_INST;
        }
    }
    if (c->pred) {
        e = c->pred(env, csrno, debug);
        if (e != RISCV_EXCP_NONE) {
            return e;
        }
    }
    if (c->rmw) {
        return c->rmw(env, csrno, ret_value, value, mask);
    }
    e = csr_read(env, c, csrno, &old);
    if (e != RISCV_EXCP_NONE) {
        return e;
    }
    /* A debugger's write to a read-only CSR is dropped. */
    if (mask && !(debug && ((csrno >> 10) & 3) == 3)) {
        e = csr_write(env, c, csrno, (old & ~mask) | (value & mask));
        if (e != RISCV_EXCP_NONE) {
            return e;
        }
    }
    if (ret_value) {
        *ret_value = old;
    }
    return RISCV_EXCP_NONE;
}

RISCVException riscv_csrrw(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t new_value,
                           uint64_t write_mask)
{
    return csr_access(env, csrno, ret_value, new_value, write_mask, write_mask != 0, false);
}

RISCVException riscv_csrrw_debug(CPURISCVState *env, int csrno, uint64_t *ret_value,
                                 uint64_t new_value, uint64_t write_mask)
{
    return csr_access(env, csrno, ret_value, new_value, write_mask, write_mask != 0, true);
}

/* Does the CSR instruction in `insn` write?  CSRRS/CSRRC[I] with rs1 = x0 (or 0) do not. */
static bool csr_insn_writes(uint32_t insn)
{
    unsigned funct3 = (insn >> 12) & 7;
    unsigned rs1 = (insn >> 15) & 0x1f;

    return (funct3 & 3) == 1 || rs1 != 0;
}

/*
 * A write to misa changed the extensions and dropped every translation,
 * the running one included, whose code must not be returned to: finish
 * the instruction here (rd, pc) and leave for the exec loop.
 */
static __attribute__((noreturn)) void csr_misa_changed(CPURISCVState *env, uint64_t old)
{
    CPUState *cs = riscv_env_cpu(env);
    unsigned rd = (env->bins >> 7) & 0x1f;

    if (rd) {
        env->gpr[rd] = old;
    }
    env->pc += 4;
    cpu_loop_exit_noexc(cs);
}

uint64_t helper_csrrw(CPURISCVState *env, uint32_t csrno, uint64_t new_value, uint64_t mask)
{
    uintptr_t ra = GETPC();
    uint32_t misa = env->misa_ext;
    uint64_t old = 0;
    RISCVException e;

    /* write_misa needs the pc of this instruction, which generated code did not store. */
    if (csrno == CSR_MISA && mask) {
        cpu_restore_state(riscv_env_cpu(env), ra);
    }
    e = csr_access(env, (int)csrno, &old, new_value, mask, csr_insn_writes(env->bins), false);
    if (e != RISCV_EXCP_NONE) {
        /* The translator stored the instruction bits in env->bins: the tval. */
        riscv_raise_exception(env, e, e == RISCV_EXCP_ILLEGAL_INST ? env->bins : 0, ra);
    }
    if (env->misa_ext != misa) {
        csr_misa_changed(env, old);
    }
    return old;
}
