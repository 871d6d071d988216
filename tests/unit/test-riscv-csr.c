/*
 * Unit tests for target/riscv/csr.c and pmp.c: the access rules (privilege
 * by number, read-only CSRs, what counts as a write), the WARL rules of
 * each CSR (mstatus/sstatus, misa, medeleg/mideleg, mie/mip/sie/sip,
 * xtvec, xepc, satp mode probing, menvcfg, counters and their enables,
 * mcountinhibit, stimecmp, fcsr), and PMP matching, priority and locking.
 *
 * Reference: Privileged Architecture 20211203, chapters 2-4 and 3.7; Sstc.
 */
#include <glib.h>
#include <string.h>
#include "riscv-harness.h"
#include "cpu_helper.h"
#include "csr.h"
#include "helper.h"
#include "pmp.h"

static CPURISCVState *env;

static void setup(void)
{
    rvh_setup();
    env = rvh.env;
}

static uint64_t rd(int csrno)
{
    uint64_t v = 0;
    RISCVException e = riscv_csrrw(env, csrno, &v, 0, 0);

    if (e != RISCV_EXCP_NONE) {
        g_error("read of CSR 0x%x at priv %d failed", csrno, (int)env->priv);
    }
    return v;
}

static void wr(int csrno, uint64_t val)
{
    RISCVException e = riscv_csrrw(env, csrno, NULL, val, ~0ull);

    if (e != RISCV_EXCP_NONE) {
        g_error("write of CSR 0x%x at priv %d failed", csrno, (int)env->priv);
    }
}

/* Write, then read back. */
static uint64_t wr_rd(int csrno, uint64_t val)
{
    wr(csrno, val);
    return rd(csrno);
}

static RISCVException try_rd(int csrno)
{
    uint64_t v;

    return riscv_csrrw(env, csrno, &v, 0, 0);
}

static RISCVException try_wr(int csrno, uint64_t val)
{
    return riscv_csrrw(env, csrno, NULL, val, ~0ull);
}

/* ---- access rules */

static void test_access_rules(void)
{
    setup();
    /* Unknown numbers. */
    g_assert_cmpint(try_rd(0x7c0), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(0x000), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(0x310), ==, RISCV_EXCP_ILLEGAL_INST); /* mstatush: RV32 only */
    g_assert_cmpint(try_rd(0x1000), ==, RISCV_EXCP_ILLEGAL_INST);
    /* Read-only by number: reads fine, writes illegal even in M-mode. */
    env->mhartid = 3;
    g_assert_cmphex(rd(CSR_MHARTID), ==, 3);
    g_assert_cmpint(try_wr(CSR_MHARTID, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_wr(CSR_CYCLE, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(rd(CSR_MCONFIGPTR), ==, 0);
    /* Privilege by number. */
    env->priv = PRV_S;
    g_assert_cmpint(try_rd(CSR_MSTATUS), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_SSTATUS), ==, RISCV_EXCP_NONE);
    env->priv = PRV_U;
    g_assert_cmpint(try_rd(CSR_SSTATUS), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_SATP), ==, RISCV_EXCP_ILLEGAL_INST);
    rvh_teardown();
}

/* The table: every CSR the hart has is found by number and named. */
static void test_table(void)
{
    static const struct {
        int csrno;
        const char *name;
    } known[] = {
        {CSR_FFLAGS, "fflags"},
        {CSR_FCSR, "fcsr"},
        {CSR_SSTATUS, "sstatus"},
        {CSR_SIE, "sie"},
        {CSR_STVEC, "stvec"},
        {CSR_SCOUNTEREN, "scounteren"},
        {CSR_SENVCFG, "senvcfg"},
        {CSR_SSCRATCH, "sscratch"},
        {CSR_SEPC, "sepc"},
        {CSR_SCAUSE, "scause"},
        {CSR_STVAL, "stval"},
        {CSR_SIP, "sip"},
        {CSR_STIMECMP, "stimecmp"},
        {CSR_SATP, "satp"},
        {CSR_MSTATUS, "mstatus"},
        {CSR_MISA, "misa"},
        {CSR_MEDELEG, "medeleg"},
        {CSR_MIDELEG, "mideleg"},
        {CSR_MIE, "mie"},
        {CSR_MTVEC, "mtvec"},
        {CSR_MCOUNTEREN, "mcounteren"},
        {CSR_MENVCFG, "menvcfg"},
        {CSR_MCOUNTINHIBIT, "mcountinhibit"},
        {CSR_MHPMEVENT3, "mhpmevent3"},
        {CSR_MHPMEVENT31, "mhpmevent31"},
        {CSR_MSCRATCH, "mscratch"},
        {CSR_MEPC, "mepc"},
        {CSR_MCAUSE, "mcause"},
        {CSR_MTVAL, "mtval"},
        {CSR_MIP, "mip"},
        {CSR_PMPCFG0, "pmpcfg0"},
        {CSR_PMPCFG15, "pmpcfg15"},
        {CSR_PMPADDR0, "pmpaddr0"},
        {CSR_PMPADDR63, "pmpaddr63"},
        {CSR_MCYCLE, "mcycle"},
        {CSR_MINSTRET, "minstret"},
        {CSR_MHPMCOUNTER3, "mhpmcounter3"},
        {CSR_CYCLE, "cycle"},
        {CSR_TIME, "time"},
        {CSR_INSTRET, "instret"},
        {CSR_HPMCOUNTER31, "hpmcounter31"},
        {CSR_MVENDORID, "mvendorid"},
        {CSR_MHARTID, "mhartid"},
        {CSR_MCONFIGPTR, "mconfigptr"},
    };
    char buf[32];
    unsigned count = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        g_assert_cmpstr(riscv_csr_name(known[i].csrno, buf, sizeof(buf)), ==, known[i].name);
    }
    for (int csrno = -1; csrno <= 0x1000; csrno++) {
        count += riscv_csr_name(csrno, buf, sizeof(buf)) != NULL;
    }
    /* 3 FP, 12 S, 9 + 29 M setup, 5 M handling, 16 + 64 PMP, 2 + 29 + 3 + 29 counters, 5 info. */
    g_assert_cmpuint(count, ==, 3 + 12 + 9 + 29 + 5 + 16 + 64 + 2 + 29 + 3 + 29 + 5);
}

/* helper_csrrw: what counts as a write comes from the instruction, tval is its bits. */
typedef struct HelperCall {
    uint32_t insn;
    uint32_t csrno;
    uint64_t value, mask, ret;
} HelperCall;

static void call_helper(void *p)
{
    HelperCall *h = p;

    env->bins = h->insn;
    h->ret = helper_csrrw(env, h->csrno, h->value, h->mask);
}

/* csr<op> rd, csr, rs1 */
static uint32_t csr_insn(unsigned funct3, unsigned rd, unsigned rs1, unsigned csr)
{
    return (csr << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x73;
}

static void test_helper_write_intent(void)
{
    HelperCall h;

    setup();
    env->mhartid = 7;
    /* csrrs a0, mhartid, x0: a read. */
    h = (HelperCall){csr_insn(2, 10, 0, CSR_MHARTID), CSR_MHARTID, 0, 0, 0};
    g_assert_cmpint(rvh_try(call_helper, &h), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(h.ret, ==, 7);
    /* csrrs a0, mhartid, a1 with a1 = 0: still a write attempt, illegal. */
    h = (HelperCall){csr_insn(2, 10, 11, CSR_MHARTID), CSR_MHARTID, 0, 0, 0};
    g_assert_cmpint(rvh_try(call_helper, &h), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->badaddr, ==, csr_insn(2, 10, 11, CSR_MHARTID));
    /* csrrci a0, mhartid, 0: a read. */
    h = (HelperCall){csr_insn(7, 10, 0, CSR_MHARTID), CSR_MHARTID, 0, 0, 0};
    g_assert_cmpint(rvh_try(call_helper, &h), ==, RISCV_EXCP_NONE);
    /* csrrw x0, mscratch, a1: writes. */
    h = (HelperCall){csr_insn(1, 0, 11, CSR_MSCRATCH), CSR_MSCRATCH, 0x55, ~0ull, 0};
    g_assert_cmpint(rvh_try(call_helper, &h), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(env->mscratch, ==, 0x55);
    /* An unknown CSR: illegal with the instruction as tval. */
    h = (HelperCall){csr_insn(2, 10, 0, 0x7c0), 0x7c0, 0, 0, 0};
    g_assert_cmpint(rvh_try(call_helper, &h), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->badaddr, ==, csr_insn(2, 10, 0, 0x7c0));
    rvh_teardown();
}

/* ---- mstatus, sstatus */

static void test_mstatus_warl(void)
{
    uint64_t v, want;

    setup();
    want = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |
           MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |
           MSTATUS_TSR | MSTATUS_SD | (2ull << 32) | (2ull << 34);
    v = wr_rd(CSR_MSTATUS, ~0ull);
    g_assert_cmphex(v, ==, want);
    /* UXL/SXL read 2, UBE/VS/XS read 0, whatever was written. */
    v = wr_rd(CSR_MSTATUS, 0);
    g_assert_cmphex(v, ==, (2ull << 32) | (2ull << 34));
    /* SD follows FS. */
    g_assert_false(wr_rd(CSR_MSTATUS, 1ull << 13) & MSTATUS_SD);
    g_assert_true(wr_rd(CSR_MSTATUS, 3ull << 13) & MSTATUS_SD);
    /* MPP: reserved 2 keeps the old value; S and U are kept. */
    wr(CSR_MSTATUS, 1ull << 11);
    g_assert_cmphex(wr_rd(CSR_MSTATUS, 2ull << 11) & MSTATUS_MPP, ==, 1ull << 11);
    g_assert_cmphex(wr_rd(CSR_MSTATUS, 0) & MSTATUS_MPP, ==, 0);
    /* Without S-mode, MPP = S is not a mode the hart has, and S fields are read-only 0. */
    env->misa_ext &= ~RVS;
    wr(CSR_MSTATUS, 3ull << 11);
    v = wr_rd(CSR_MSTATUS, (~0ull & ~MSTATUS_MPP) | (1ull << 11));
    g_assert_cmphex(v & MSTATUS_MPP, ==, 3ull << 11);
    g_assert_cmphex(v & (MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_TVM), ==, 0);
    g_assert_cmphex(v & (3ull << 34), ==, 0);
    rvh_teardown();
}

static void test_sstatus_view(void)
{
    uint64_t v;

    setup();
    wr(CSR_MSTATUS, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TVM | (3ull << 11));
    v = wr_rd(CSR_SSTATUS, ~0ull);
    g_assert_cmphex(v, ==,
                    MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM |
                        MSTATUS_MXR | MSTATUS_SD | (2ull << 32));
    /* M-only fields untouched by sstatus writes, and invisible in it. */
    v = rd(CSR_MSTATUS);
    g_assert_true(v & MSTATUS_MIE);
    g_assert_true(v & MSTATUS_TVM);
    g_assert_cmphex(v & MSTATUS_MPP, ==, 3ull << 11);
    wr(CSR_SSTATUS, 0);
    g_assert_cmphex(rd(CSR_MSTATUS) & (MSTATUS_SIE | MSTATUS_SUM | MSTATUS_FS), ==, 0);
    g_assert_true(rd(CSR_MSTATUS) & MSTATUS_MPIE);
    rvh_teardown();
}

/* ---- misa */

static void test_misa(void)
{
    uint64_t v;

    setup();
    v = rd(CSR_MISA);
    g_assert_cmphex(v >> 62, ==, MXL_RV64);
    g_assert_cmphex(v & 0x3ffffff, ==, RVI | RVM | RVA | RVF | RVD | RVC | RVS | RVU);
    /* I, S, U and MXL are fixed. */
    g_assert_cmphex(wr_rd(CSR_MISA, v & ~(uint64_t)(RVI | RVS | RVU)) & (RVI | RVS | RVU), ==,
                    RVI | RVS | RVU);
    /* Without F, D goes too and FS is off. */
    wr(CSR_MSTATUS, MSTATUS_FS);
    v = wr_rd(CSR_MISA, rd(CSR_MISA) & ~(uint64_t)RVF);
    g_assert_cmphex(v & (RVF | RVD), ==, 0);
    g_assert_cmphex(rd(CSR_MSTATUS) & MSTATUS_FS, ==, 0);
    g_assert_cmpint(try_rd(CSR_FCSR), ==, RISCV_EXCP_ILLEGAL_INST);
    v = wr_rd(CSR_MISA, v | RVF | RVD);
    g_assert_cmphex(v & (RVF | RVD), ==, RVF | RVD);
    /* Turning C off is ignored while the next instruction is only 2-byte aligned. */
    env->pc = 0x80000002;
    g_assert_true(wr_rd(CSR_MISA, v & ~(uint64_t)RVC) & RVC);
    env->pc = 0x80000004;
    g_assert_false(wr_rd(CSR_MISA, v & ~(uint64_t)RVC) & RVC);
    /* And xepc bit 1 reads 0 without C. */
    wr(CSR_MEPC, 0x80000006);
    g_assert_cmphex(rd(CSR_MEPC), ==, 0x80000004);
    /* Extensions the configuration lacks cannot be turned on. */
    env->cfg.ext_m = false;
    riscv_cpu_reset(rvh.cs);
    g_assert_false(rd(CSR_MISA) & RVM);
    g_assert_false(wr_rd(CSR_MISA, v | RVM) & RVM);
    rvh_teardown();
}

/* ---- delegation and interrupts */

static void test_deleg_masks(void)
{
    setup();
    g_assert_cmphex(wr_rd(CSR_MEDELEG, ~0ull), ==, 0xb3ff);
    g_assert_cmphex(wr_rd(CSR_MIDELEG, ~0ull), ==, MIP_SSIP | MIP_STIP | MIP_SEIP);
    g_assert_cmphex(wr_rd(CSR_MIE, ~0ull), ==, 0xaaa);
    /* Without S: nothing to delegate to. */
    env->misa_ext &= ~RVS;
    g_assert_cmpint(try_rd(CSR_MEDELEG), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_MIDELEG), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(wr_rd(CSR_MIE, ~0ull), ==, 0x888);
    rvh_teardown();
}

static void test_mip_sip(void)
{
    uint64_t v;

    setup();
    /* M-mode writes SSIP, STIP and the software SEIP; MSIP/MTIP/MEIP are the devices'. */
    g_assert_cmphex(wr_rd(CSR_MIP, ~0ull), ==, MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(CSR_MIP, 0);
    riscv_cpu_update_mip(env, MIP_MTIP | MIP_SEIP, MIP_MTIP | MIP_SEIP);
    g_assert_cmphex(rd(CSR_MIP), ==, MIP_MTIP | MIP_SEIP);
    g_assert_cmphex(wr_rd(CSR_MIP, 0), ==, MIP_MTIP | MIP_SEIP);
    /* SEIP reads as the OR of the line and the software bit; CSRRC clears only the latter. */
    wr(CSR_MIP, MIP_SEIP);
    riscv_cpu_update_mip(env, MIP_SEIP, 0);
    g_assert_cmphex(rd(CSR_MIP) & MIP_SEIP, ==, MIP_SEIP);
    riscv_cpu_update_mip(env, MIP_SEIP, MIP_SEIP);
    g_assert_cmpint(riscv_csrrw(env, CSR_MIP, &v, 0, MIP_SEIP), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(v & MIP_SEIP, ==, MIP_SEIP);
    g_assert_cmphex(env->mip & MIP_SEIP, ==, 0);
    g_assert_cmphex(rd(CSR_MIP) & MIP_SEIP, ==, MIP_SEIP);
    riscv_cpu_update_mip(env, MIP_SEIP, 0);
    g_assert_cmphex(rd(CSR_MIP) & MIP_SEIP, ==, 0);
    /* sip/sie: only what mideleg delegates; S writes only SSIP. */
    wr(CSR_MIP, MIP_STIP);
    wr(CSR_MIE, S_MODE_INTERRUPTS);
    g_assert_cmphex(rd(CSR_SIP), ==, 0);
    g_assert_cmphex(rd(CSR_SIE), ==, 0);
    wr(CSR_MIDELEG, MIP_SSIP | MIP_STIP);
    g_assert_cmphex(rd(CSR_SIP), ==, MIP_STIP);
    g_assert_cmphex(rd(CSR_SIE), ==, MIP_SSIP | MIP_STIP);
    env->priv = PRV_S;
    g_assert_cmphex(wr_rd(CSR_SIP, ~0ull), ==, MIP_SSIP | MIP_STIP);
    g_assert_cmphex(wr_rd(CSR_SIP, 0), ==, MIP_STIP);
    /* sie writes reach only delegated bits of mie. */
    wr(CSR_SIE, 0);
    env->priv = PRV_M;
    g_assert_cmphex(rd(CSR_MIE), ==, MIP_SEIP);
    rvh_teardown();
}

static void test_xtvec_xepc(void)
{
    setup();
    g_assert_cmphex(wr_rd(CSR_MTVEC, 0x80001001), ==, 0x80001001);
    /* Reserved modes leave it unchanged. */
    g_assert_cmphex(wr_rd(CSR_MTVEC, 0x80002002), ==, 0x80001001);
    g_assert_cmphex(wr_rd(CSR_MTVEC, 0x80002003), ==, 0x80001001);
    g_assert_cmphex(wr_rd(CSR_MTVEC, 0x80002000), ==, 0x80002000);
    g_assert_cmphex(wr_rd(CSR_STVEC, 0xffffffff80000001ull), ==, 0xffffffff80000001ull);
    g_assert_cmphex(wr_rd(CSR_STVEC, 3), ==, 0xffffffff80000001ull);
    /* xepc bit 0 is always 0. */
    g_assert_cmphex(wr_rd(CSR_MEPC, 0x80000003), ==, 0x80000002);
    g_assert_cmphex(wr_rd(CSR_SEPC, ~0ull), ==, ~1ull);
    g_assert_cmphex(wr_rd(CSR_MCAUSE, 0x800000000000000bull), ==, 0x800000000000000bull);
    g_assert_cmphex(wr_rd(CSR_MTVAL, 0x1234), ==, 0x1234);
    g_assert_cmphex(wr_rd(CSR_STVAL, 0x4321), ==, 0x4321);
    g_assert_cmphex(wr_rd(CSR_SSCRATCH, 5), ==, 5);
    g_assert_cmphex(wr_rd(CSR_MSCRATCH, 6), ==, 6);
    rvh_teardown();
}

/* ---- satp */

static void test_satp_probe(void)
{
    uint64_t base = 0x80123ull | (0x5aull << 44);

    setup();
    /* Linux's probe: Sv57, then Sv48, then Sv39; each sticks here. */
    for (unsigned vm = VM_1_10_SV57; vm >= VM_1_10_SV39; vm--) {
        g_assert_cmphex(wr_rd(CSR_SATP, ((uint64_t)vm << 60) | base), ==,
                        ((uint64_t)vm << 60) | base);
    }
    /* Unsupported modes (Sv64 = 11, reserved 1..7, 12..15) leave satp unchanged. */
    for (unsigned vm = 1; vm < 16; vm++) {
        if (vm >= VM_1_10_SV39 && vm <= VM_1_10_SV57) {
            continue;
        }
        g_assert_cmphex(wr_rd(CSR_SATP, ((uint64_t)vm << 60) | 1), ==,
                        ((uint64_t)VM_1_10_SV39 << 60) | base);
    }
    /* All 16 ASID bits exist. */
    g_assert_cmphex(wr_rd(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | SATP64_ASID) & SATP64_ASID, ==,
                    SATP64_ASID);
    g_assert_cmphex(wr_rd(CSR_SATP, 0), ==, 0);
    /* TVM: S-mode may not touch satp; M-mode may. */
    wr(CSR_MSTATUS, MSTATUS_TVM);
    env->priv = PRV_S;
    g_assert_cmpint(try_rd(CSR_SATP), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_wr(CSR_SATP, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    env->priv = PRV_M;
    g_assert_cmpint(try_rd(CSR_SATP), ==, RISCV_EXCP_NONE);
    wr(CSR_MSTATUS, 0);
    env->priv = PRV_S;
    g_assert_cmpint(try_rd(CSR_SATP), ==, RISCV_EXCP_NONE);
    /* Without an MMU satp is read-only zero. */
    env->priv = PRV_M;
    env->cfg.mmu = false;
    g_assert_cmphex(wr_rd(CSR_SATP, ((uint64_t)VM_1_10_SV39 << 60) | 1), ==, 0);
    rvh_teardown();
}

/* ---- counters */

static uint64_t fake_time;

static uint64_t fake_rdtime(void *opaque)
{
    return fake_time;
}

static void test_counter_enables(void)
{
    static const int ctrs[] = {CSR_CYCLE, CSR_TIME, CSR_INSTRET, CSR_HPMCOUNTER3 + 2};

    setup();
    riscv_cpu_set_time_source(env, fake_rdtime, NULL, NULL, NULL);
    fake_time = 12345;
    g_assert_cmphex(rd(CSR_TIME), ==, 12345);
    g_assert_cmphex(rd(CSR_HPMCOUNTER3 + 2), ==, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(ctrs); i++) {
        uint32_t bit = 1u << (ctrs[i] & 0x1f);

        wr(CSR_MCOUNTEREN, 0);
        wr(CSR_SCOUNTEREN, 0);
        env->priv = PRV_S;
        g_assert_cmpint(try_rd(ctrs[i]), ==, RISCV_EXCP_ILLEGAL_INST);
        env->priv = PRV_M;
        wr(CSR_MCOUNTEREN, bit);
        env->priv = PRV_S;
        g_assert_cmpint(try_rd(ctrs[i]), ==, RISCV_EXCP_NONE);
        env->priv = PRV_U;
        g_assert_cmpint(try_rd(ctrs[i]), ==, RISCV_EXCP_ILLEGAL_INST);
        env->priv = PRV_S;
        wr(CSR_SCOUNTEREN, bit);
        env->priv = PRV_U;
        g_assert_cmpint(try_rd(ctrs[i]), ==, RISCV_EXCP_NONE);
        env->priv = PRV_M;
    }
    /* Without Zicntr the base counters are gone (hpmcounters stay, reading 0). */
    env->cfg.ext_zicntr = false;
    g_assert_cmpint(try_rd(CSR_CYCLE), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_TIME), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_HPMCOUNTER3), ==, RISCV_EXCP_NONE);
    g_assert_cmpint(try_rd(CSR_MCYCLE), ==, RISCV_EXCP_NONE);
    rvh_teardown();
}

static void test_counter_values(void)
{
    uint64_t a, b;

    setup();
    /* mcycle counts from what was written. */
    a = wr_rd(CSR_MCYCLE, 1000000);
    g_assert_cmpuint(a, >=, 1000000);
    g_assert_cmpuint(a, <, 1000000 + 1000000000ull);
    g_assert_cmpuint(rd(CSR_CYCLE), >=, a);
    /* Inhibited, it stands still and keeps what is written. */
    g_assert_cmphex(wr_rd(CSR_MCOUNTINHIBIT, ~0ull), ==, 0xfffffffd);
    a = rd(CSR_MINSTRET);
    g_usleep(2000);
    g_assert_cmphex(rd(CSR_MINSTRET), ==, a);
    g_assert_cmphex(wr_rd(CSR_MCYCLE, 77), ==, 77);
    g_usleep(2000);
    g_assert_cmphex(rd(CSR_MCYCLE), ==, 77);
    /* Running again, from there. */
    wr(CSR_MCOUNTINHIBIT, 0);
    g_usleep(2000);
    b = rd(CSR_MCYCLE);
    g_assert_cmpuint(b, >, 77);
    g_assert_cmpuint(b, <, 77 + 1000000000ull);
    /* mhpmcounters read 0, mhpmevents keep their value. */
    g_assert_cmphex(wr_rd(CSR_MHPMCOUNTER3 + 4, 55), ==, 0);
    g_assert_cmphex(wr_rd(CSR_MHPMEVENT3 + 28, 0x1234), ==, 0x1234);
    g_assert_cmphex(wr_rd(CSR_MCOUNTEREN, ~0ull), ==, 0xffffffff);
    g_assert_cmphex(wr_rd(CSR_SCOUNTEREN, ~0ull), ==, 0xffffffff);
    rvh_teardown();
}

/* ---- environment configuration and Sstc */

static uint64_t armed_deadline;
static unsigned armed_count;

static void fake_arm(void *opaque, uint64_t deadline)
{
    armed_deadline = deadline;
    armed_count++;
}

static void test_menvcfg(void)
{
    setup();
    g_assert_cmphex(wr_rd(CSR_MENVCFG, ~0ull), ==, MENVCFG_FIOM | MENVCFG_STCE);
    env->cfg.ext_svpbmt = true;
    g_assert_cmphex(wr_rd(CSR_MENVCFG, ~0ull), ==, MENVCFG_FIOM | MENVCFG_STCE | MENVCFG_PBMTE);
    env->cfg.ext_sstc = false;
    g_assert_cmphex(wr_rd(CSR_MENVCFG, ~0ull), ==, MENVCFG_FIOM | MENVCFG_PBMTE);
    g_assert_cmphex(wr_rd(CSR_SENVCFG, ~0ull), ==, SENVCFG_FIOM);
    rvh_teardown();
}

static void test_stimecmp(void)
{
    setup();
    riscv_cpu_set_time_source(env, fake_rdtime, NULL, fake_arm, NULL);
    fake_time = 1000;
    /* S-mode needs menvcfg.STCE and mcounteren.TM. */
    env->priv = PRV_S;
    g_assert_cmpint(try_rd(CSR_STIMECMP), ==, RISCV_EXCP_ILLEGAL_INST);
    env->priv = PRV_M;
    wr(CSR_MENVCFG, MENVCFG_STCE);
    env->priv = PRV_S;
    g_assert_cmpint(try_rd(CSR_STIMECMP), ==, RISCV_EXCP_ILLEGAL_INST);
    env->priv = PRV_M;
    wr(CSR_MCOUNTEREN, COUNTEREN_TM);
    env->priv = PRV_S;
    /* A deadline in the future: STIP clear, the board's timer armed for it. */
    wr(CSR_STIMECMP, 5000);
    g_assert_cmphex(rd(CSR_SIP) & MIP_STIP, ==, 0);
    env->priv = PRV_M;
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, 0);
    g_assert_cmpuint(armed_deadline, ==, 5000);
    /* STIP is read-only while stimecmp drives it. */
    wr(CSR_MIP, MIP_STIP);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, 0);
    /* The timer fires: STIP rises, and with STIE enabled an interrupt is requested. */
    wr(CSR_MIE, MIP_STIP);
    g_assert_false(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    fake_time = 5000;
    riscv_cpu_stimecmp_expired(env);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, MIP_STIP);
    g_assert_true(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    g_assert_cmphex(armed_deadline, ==, UINT64_MAX);
    /* Writing a later deadline clears it. */
    wr(CSR_STIMECMP, UINT64_MAX);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, 0);
    g_assert_false(rvh.cs->interrupt_request & CPU_INTERRUPT_HARD);
    /* STCE off: the software STIP bit is M-mode's again (written above: ignored). */
    wr(CSR_STIMECMP, 0);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, MIP_STIP);
    wr(CSR_MENVCFG, 0);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, env->mip & MIP_STIP);
    wr(CSR_MIP, MIP_STIP);
    g_assert_cmphex(rd(CSR_MIP) & MIP_STIP, ==, MIP_STIP);
    /* Without Sstc there is no stimecmp. */
    env->cfg.ext_sstc = false;
    g_assert_cmpint(try_rd(CSR_STIMECMP), ==, RISCV_EXCP_ILLEGAL_INST);
    rvh_teardown();
}

/* ---- floating point CSRs */

static void test_fcsr(void)
{
    setup();
    wr(CSR_MSTATUS, 0);
    g_assert_cmpint(try_rd(CSR_FFLAGS), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_FRM), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_FCSR), ==, RISCV_EXCP_ILLEGAL_INST);
    wr(CSR_MSTATUS, 1ull << 13);
    g_assert_cmphex(wr_rd(CSR_FCSR, ~0ull), ==, 0xff);
    g_assert_cmphex(rd(CSR_MSTATUS) & (MSTATUS_FS | MSTATUS_SD), ==, MSTATUS_FS | MSTATUS_SD);
    g_assert_cmphex(wr_rd(CSR_FFLAGS, 0x3), ==, 0x3);
    g_assert_cmphex(rd(CSR_FRM), ==, 7);
    g_assert_cmphex(rd(CSR_FCSR), ==, 0xe3);
    /* U-mode uses them too. */
    env->priv = PRV_U;
    g_assert_cmphex(wr_rd(CSR_FRM, 1), ==, 1);
    rvh_teardown();
}

/* ---- PMP */

#define NAPOT(base, size) (((base) >> 2) | (((size) >> 3) - 1))
#define CFG(a, rwx)       ((uint64_t)(((a) << 3) | (rwx)))
#define R                 PMP_R
#define W                 PMP_W
#define X                 PMP_X

static bool allows(uint64_t addr, uint64_t size, MMUAccessType t, int priv)
{
    return riscv_pmp_allows(env, addr, size, t, priv);
}

static void test_pmp_csrs(void)
{
    setup();
    /* Odd pmpcfg numbers do not exist on RV64. */
    g_assert_cmpint(try_rd(CSR_PMPCFG0 + 1), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_PMPCFG0 + 2), ==, RISCV_EXCP_NONE);
    /* pmpaddr keeps bits 53:0. */
    g_assert_cmphex(wr_rd(CSR_PMPADDR0, ~0ull), ==, (1ull << 54) - 1);
    /* Bits 6:5 read 0; R=0 W=1 is reserved: that byte keeps its value. */
    g_assert_cmphex(wr_rd(CSR_PMPCFG0, 0x0f0e0d0c0b0a0961ull), ==, 0x0f000d0c0b000901ull);
    /* 16 entries here: entries 16.. read 0 and ignore writes. */
    g_assert_cmphex(wr_rd(CSR_PMPCFG0 + 4, 0x1f), ==, 0);
    g_assert_cmphex(wr_rd(CSR_PMPADDR0 + 16, 0x1234), ==, 0);
    g_assert_cmphex(wr_rd(CSR_PMPADDR0 + 15, 0x1234), ==, 0x1234);
    /* With 64 entries they exist. */
    env->cfg.pmp_regions = 64;
    g_assert_cmphex(wr_rd(CSR_PMPCFG0 + 14, 0x1f), ==, 0x1f);
    g_assert_cmphex(wr_rd(CSR_PMPADDR0 + 63, 0x1234), ==, 0x1234);
    /* Without PMP there are no such CSRs. */
    env->cfg.pmp = false;
    g_assert_cmpint(try_rd(CSR_PMPADDR0), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(try_rd(CSR_PMPCFG0), ==, RISCV_EXCP_ILLEGAL_INST);
    rvh_teardown();
}

static void test_pmp_lock(void)
{
    setup();
    wr(CSR_PMPADDR0, 0x100);
    wr((CSR_PMPADDR0 + 1), 0x200);
    /* Entry 1: locked TOR; entry 0 off. */
    wr(CSR_PMPCFG0, (CFG(PMP_A_TOR, R) | PMP_L) << 8);
    /* A locked entry ignores writes to its cfg and address, and locks the TOR bottom. */
    g_assert_cmphex(wr_rd(CSR_PMPCFG0, 0x1f1f) >> 8, ==, CFG(PMP_A_TOR, R) | PMP_L);
    g_assert_cmphex(rd(CSR_PMPCFG0) & 0xff, ==, 0x1f);
    g_assert_cmphex(wr_rd((CSR_PMPADDR0 + 1), 0x999), ==, 0x200);
    g_assert_cmphex(wr_rd(CSR_PMPADDR0, 0x999), ==, 0x100);
    /* Entry 0 itself (not locked) takes cfg writes. */
    g_assert_cmphex(wr_rd(CSR_PMPCFG0, 0x0) & 0xff, ==, 0);
    /* L makes the rule bind M-mode too: [0x400, 0x800) is read-only for M. */
    g_assert_true(allows(0x400, 8, MMU_DATA_LOAD, PRV_M));
    g_assert_false(allows(0x400, 8, MMU_DATA_STORE, PRV_M));
    g_assert_false(allows(0x7f8, 8, MMU_INST_FETCH, PRV_M));
    g_assert_true(allows(0x800, 8, MMU_DATA_STORE, PRV_M));
    rvh_teardown();
}

static void test_pmp_match(void)
{
    setup();
    /* No entry active: M everything, S and U nothing. */
    g_assert_true(allows(0x80000000, 8, MMU_DATA_STORE, PRV_M));
    g_assert_false(allows(0x80000000, 8, MMU_DATA_LOAD, PRV_S));
    g_assert_false(allows(0x80000000, 8, MMU_INST_FETCH, PRV_U));
    /* 0: NA4 at 0x1000 RW; 1: NAPOT 64 KiB at 0x80000000 X; 2: TOR up to 0x80100000 R; 3: all. */
    wr(CSR_PMPADDR0, 0x1000 >> 2);
    wr((CSR_PMPADDR0 + 1), NAPOT(0x80000000ull, 0x10000));
    wr((CSR_PMPADDR0 + 2), 0x80100000ull >> 2);
    wr((CSR_PMPADDR0 + 3), NAPOT(0ull, 1ull << 56));
    wr(CSR_PMPCFG0, CFG(PMP_A_NA4, R | W) | (CFG(PMP_A_NAPOT, X) << 8) | (CFG(PMP_A_TOR, R) << 16) |
                        (CFG(PMP_A_NAPOT, R | W | X) << 24));
    /* NA4: exactly 4 bytes. */
    g_assert_true(allows(0x1000, 4, MMU_DATA_STORE, PRV_U));
    g_assert_false(allows(0x1000, 4, MMU_INST_FETCH, PRV_U));
    /* Straddling the NA4's end: entry 0 matches only part, so it fails. */
    g_assert_false(allows(0x1002, 4, MMU_DATA_LOAD, PRV_U));
    /* Just after: entry 3 (everything RWX). */
    g_assert_true(allows(0x1004, 4, MMU_INST_FETCH, PRV_U));
    /* NAPOT 64 KiB: execute only; the lowest-numbered match wins over entry 3. */
    g_assert_true(allows(0x8000fff8, 8, MMU_INST_FETCH, PRV_S));
    g_assert_false(allows(0x80000000, 8, MMU_DATA_LOAD, PRV_S));
    /* TOR from pmpaddr1's value (0x80000000 | 0x1fff) << 2: read-only up to 0x80100000. */
    g_assert_true(allows(0x80010000, 8, MMU_DATA_LOAD, PRV_S));
    g_assert_false(allows(0x80010000, 8, MMU_DATA_STORE, PRV_S));
    g_assert_true(allows(0x80100000, 8, MMU_DATA_STORE, PRV_S));
    /* M-mode ignores unlocked entries. */
    g_assert_true(allows(0x80000000, 8, MMU_DATA_STORE, PRV_M));
    /* An empty TOR (bottom >= top) matches nothing. */
    wr((CSR_PMPADDR0 + 2), 0x1000 >> 2);
    g_assert_true(allows(0x80010000, 8, MMU_DATA_STORE, PRV_S));
    rvh_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-csr/table", test_table);
    g_test_add_func("/riscv-csr/access-rules", test_access_rules);
    g_test_add_func("/riscv-csr/helper-write-intent", test_helper_write_intent);
    g_test_add_func("/riscv-csr/mstatus", test_mstatus_warl);
    g_test_add_func("/riscv-csr/sstatus", test_sstatus_view);
    g_test_add_func("/riscv-csr/misa", test_misa);
    g_test_add_func("/riscv-csr/deleg-masks", test_deleg_masks);
    g_test_add_func("/riscv-csr/mip-sip", test_mip_sip);
    g_test_add_func("/riscv-csr/xtvec-xepc", test_xtvec_xepc);
    g_test_add_func("/riscv-csr/satp-probe", test_satp_probe);
    g_test_add_func("/riscv-csr/counter-enables", test_counter_enables);
    g_test_add_func("/riscv-csr/counter-values", test_counter_values);
    g_test_add_func("/riscv-csr/menvcfg", test_menvcfg);
    g_test_add_func("/riscv-csr/stimecmp", test_stimecmp);
    g_test_add_func("/riscv-csr/fcsr", test_fcsr);
    g_test_add_func("/riscv-csr/pmp/csrs", test_pmp_csrs);
    g_test_add_func("/riscv-csr/pmp/lock", test_pmp_lock);
    g_test_add_func("/riscv-csr/pmp/match", test_pmp_match);
    return g_test_run();
}
