/*
 * RISC-V (RV64GC + Zba/Zbb/Zbc/Zbs/Zicond) to TCG IR translation.
 *
 * The decoders are generated from insn32.decode and insn16.decode by
 * scripts/decodetree.py; each calls one trans_<insn>() in the
 * trans_<extension>.c.inc file of its extension, which mostly hands the
 * decoded operands to one of the shared generators below (gen_arith,
 * gen_load, gen_branch, ...).  A compressed instruction calls the trans_
 * function of the 32-bit instruction it expands to.
 *
 * Source of truth: the RISC-V Unprivileged ISA 20191213, the bit
 * manipulation 1.0.0 and Zicond 1.0 specifications, and the Privileged
 * Architecture 20211203 for ECALL/EBREAK/xRET/WFI/SFENCE.VMA.
 */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "exec/translator.h"
#include "tcg/tcg-op.h"
#include "cpu.h"
#include "helper-gen.h"
#include "internals.h"

/* Guest registers as TCG globals.  gpr[0] stays unset: x0 reads as ctx->zero. */
static TCGv_i64 cpu_gpr[32];
static TCGv_i64 cpu_fpr[32];
static TCGv_i64 cpu_pc;
static TCGv_i64 load_res;
static TCGv_i64 load_val;

static const char *const riscv_gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const riscv_fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* How a generator widens 32-bit source operands (the *W instructions). */
typedef enum DisasExtend {
    EXT_NONE,
    EXT_SIGN,
    EXT_ZERO,
} DisasExtend;

typedef struct DisasContext {
    DisasContextBase base;
    uint64_t pc_succ_insn; /* pc of the next instruction */
    uint32_t opcode;       /* bits of the current instruction (illegal tval) */
    uint32_t misa_ext;
    const RISCVCPUConfig *cfg;
    int priv;
    int mem_idx;
    int mstatus_fs; /* mstatus.FS as this TB knows it */
    bool frm_valid; /* the dynamic rounding mode was checked in this TB */
    bool w;         /* a *W instruction: the result is sign-extended from 32 bits */
    TCGv_i64 zero;
} DisasContext;

static inline bool has_ext(const DisasContext *ctx, uint32_t ext)
{
    return (ctx->misa_ext & ext) != 0;
}

/* The decoders' field transforms (shared with the decoder unit test). */
#include "decode-ex.h"

/* Reject the instruction (illegal instruction) unless the hart has the feature. */
#define REQUIRE_EXT(ctx, ext)                                                                      \
    do {                                                                                           \
        if (!has_ext(ctx, ext)) {                                                                  \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

#define REQUIRE_CFG(ctx, field)                                                                    \
    do {                                                                                           \
        if (!(ctx)->cfg->field) {                                                                  \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

/* ---- Registers ---- */

static TCGv_i64 get_gpr(DisasContext *ctx, int reg, DisasExtend ext)
{
    TCGv_i64 t;

    if (reg == 0) {
        return ctx->zero;
    }
    switch (ext) {
    case EXT_SIGN:
        t = tcg_temp_new_i64();
        tcg_gen_ext32s_i64(t, cpu_gpr[reg]);
        return t;
    case EXT_ZERO:
        t = tcg_temp_new_i64();
        tcg_gen_ext32u_i64(t, cpu_gpr[reg]);
        return t;
    default:
        return cpu_gpr[reg];
    }
}

/*
 * Where a generator may write its result: the register itself when that is
 * the final value, otherwise a temp that gen_set_gpr() then writes back.
 * Generators write the destination last, after reading all sources.
 */
static TCGv_i64 dest_gpr(DisasContext *ctx, int reg)
{
    if (reg == 0 || ctx->w) {
        return tcg_temp_new_i64();
    }
    return cpu_gpr[reg];
}

static void gen_set_gpr(DisasContext *ctx, int reg, TCGv_i64 t)
{
    if (reg == 0) {
        return;
    }
    if (ctx->w) {
        tcg_gen_ext32s_i64(cpu_gpr[reg], t);
    } else if (t.n != cpu_gpr[reg].n) {
        tcg_gen_mov_i64(cpu_gpr[reg], t);
    }
}

static void gen_set_gpri(DisasContext *ctx, int reg, int64_t imm)
{
    if (reg != 0) {
        tcg_gen_movi_i64(cpu_gpr[reg], imm);
    }
}

/* Mark the instruction as a *W form: 32-bit operation, sign-extended result. */
static void set_w(DisasContext *ctx)
{
    ctx->w = true;
}

/* ---- Control flow and exceptions ---- */

static void gen_update_pc(DisasContext *ctx, int64_t diff)
{
    tcg_gen_movi_i64(cpu_pc, ctx->base.pc_next + diff);
}

/*
 * Leave through the run-time TB lookup (indirect jumps stay in generated
 * code).  Every instruction that changes what the TB flags are made of
 * (privilege, mstatus through a CSR, MRET/SRET) ends its TB through the
 * main loop instead, except the FS Dirty transition of an FP instruction,
 * which this TB's translation has tracked in mstatus_fs: so the key here
 * is the TB's own flags with that FS.
 */
static void gen_lookup_and_goto_ptr(DisasContext *ctx)
{
    uint32_t flags = ctx->base.tb->flags;

    if (ctx->base.tb->cflags & CF_NO_GOTO_PTR) {
        tcg_gen_exit_tb(0);
        return;
    }
    flags &= ~((uint32_t)TB_FLAGS_FS_MASK << TB_FLAGS_FS_SHIFT);
    flags |= ((uint32_t)ctx->mstatus_fs & TB_FLAGS_FS_MASK) << TB_FLAGS_FS_SHIFT;
    translator_gen_lookup_and_goto_ptr(&ctx->base, cpu_pc, 0, flags);
}

/* Jump to `dest`: chained directly when allowed, else through the lookup. */
static void gen_goto_tb(DisasContext *ctx, unsigned slot, uint64_t dest)
{
    if (translator_use_goto_tb(&ctx->base, dest)) {
        tcg_gen_goto_tb(slot);
        tcg_gen_movi_i64(cpu_pc, dest);
        tcg_gen_exit_tb((uintptr_t)ctx->base.tb | slot);
    } else {
        tcg_gen_movi_i64(cpu_pc, dest);
        gen_lookup_and_goto_ptr(ctx);
    }
}

/* Raise `excp` at the current instruction; code after it is unreachable. */
static void gen_exception_at(DisasContext *ctx, RISCVException excp, TCGv_i64 tval)
{
    gen_update_pc(ctx, 0);
    gen_helper_raise_exception(tcg_env(), tcg_constant_i32(excp), tval);
}

static void gen_exception(DisasContext *ctx, RISCVException excp, uint64_t tval)
{
    gen_exception_at(ctx, excp, tcg_constant_i64((int64_t)tval));
    ctx->base.is_jmp = DISAS_NORETURN;
}

static void gen_exception_illegal(DisasContext *ctx)
{
    gen_exception(ctx, RISCV_EXCP_ILLEGAL_INST, ctx->opcode);
}

/*
 * Helpers that may raise illegal-instruction (CSR access, xRET, WFI) take
 * its tval from env->bins.
 */
static void gen_save_opc(DisasContext *ctx)
{
    tcg_gen_st_i32(tcg_constant_i32((int32_t)ctx->opcode), tcg_env(),
                   offsetof(CPURISCVState, bins));
}

/* Without C, jump targets must be 4-byte aligned (the low bit is always 0). */
static bool target_misaligned(DisasContext *ctx, uint64_t target)
{
    return !has_ext(ctx, RVC) && (target & 2);
}

/* End the TB after this instruction and go back to the exec loop (mode or state change). */
static void gen_exit_to_loop(DisasContext *ctx)
{
    gen_update_pc(ctx, (int64_t)(ctx->pc_succ_insn - ctx->base.pc_next));
    tcg_gen_exit_tb(0);
    ctx->base.is_jmp = DISAS_NORETURN;
}

/* End the TB after this instruction and continue at the next one through the lookup. */
static void gen_goto_next_via_lookup(DisasContext *ctx)
{
    gen_update_pc(ctx, (int64_t)(ctx->pc_succ_insn - ctx->base.pc_next));
    gen_lookup_and_goto_ptr(ctx);
    ctx->base.is_jmp = DISAS_NORETURN;
}

static bool gen_jal(DisasContext *ctx, int rd, int64_t imm)
{
    uint64_t dest = ctx->base.pc_next + imm;

    if (target_misaligned(ctx, dest)) {
        gen_exception(ctx, RISCV_EXCP_INST_ADDR_MIS, dest);
        return true;
    }
    gen_set_gpri(ctx, rd, (int64_t)ctx->pc_succ_insn);
    gen_goto_tb(ctx, 0, dest);
    ctx->base.is_jmp = DISAS_NORETURN;
    return true;
}

static bool gen_jalr(DisasContext *ctx, int rd, int rs1, int64_t imm)
{
    /* A TB temp: it is used after the misalignment check's label. */
    TCGv_i64 target = tcg_temp_new_tb_i64();

    tcg_gen_addi_i64(target, get_gpr(ctx, rs1, EXT_NONE), imm);
    tcg_gen_andi_i64(target, target, -2);
    if (!has_ext(ctx, RVC)) {
        TCGLabel *ok = gen_new_label();
        TCGv_i64 low = tcg_temp_new_i64();

        tcg_gen_andi_i64(low, target, 2);
        tcg_gen_brcondi_i64(TCG_COND_EQ, low, 0, ok);
        gen_exception_at(ctx, RISCV_EXCP_INST_ADDR_MIS, target);
        gen_set_label(ok);
    }
    gen_set_gpri(ctx, rd, (int64_t)ctx->pc_succ_insn);
    tcg_gen_mov_i64(cpu_pc, target);
    gen_lookup_and_goto_ptr(ctx);
    ctx->base.is_jmp = DISAS_NORETURN;
    return true;
}

static bool gen_branch(DisasContext *ctx, int rs1, int rs2, int64_t imm, TCGCond cond)
{
    TCGLabel *taken = gen_new_label();
    uint64_t dest = ctx->base.pc_next + imm;

    tcg_gen_brcond_i64(cond, get_gpr(ctx, rs1, EXT_NONE), get_gpr(ctx, rs2, EXT_NONE), taken);
    gen_goto_tb(ctx, 1, ctx->pc_succ_insn);
    gen_set_label(taken);
    if (target_misaligned(ctx, dest)) {
        gen_exception_at(ctx, RISCV_EXCP_INST_ADDR_MIS, tcg_constant_i64((int64_t)dest));
    } else {
        gen_goto_tb(ctx, 0, dest);
    }
    ctx->base.is_jmp = DISAS_NORETURN;
    return true;
}

/* ---- Integer generators ---- */

typedef void GenBinFn(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
typedef void GenBinImmFn(TCGv_i64 ret, TCGv_i64 a, int64_t imm);
typedef void GenUnaryFn(TCGv_i64 ret, TCGv_i64 a);

/* rd = fn(rs1, rs2) */
static bool gen_arith(DisasContext *ctx, int rd, int rs1, int rs2, DisasExtend ext, GenBinFn *fn)
{
    TCGv_i64 s1 = get_gpr(ctx, rs1, ext);
    TCGv_i64 s2 = get_gpr(ctx, rs2, ext);
    TCGv_i64 dest = dest_gpr(ctx, rd);

    fn(dest, s1, s2);
    gen_set_gpr(ctx, rd, dest);
    return true;
}

/* rd = fn(rs1, imm) */
static bool gen_arith_imm(DisasContext *ctx, int rd, int rs1, int64_t imm, DisasExtend ext,
                          GenBinImmFn *fn)
{
    TCGv_i64 s1 = get_gpr(ctx, rs1, ext);
    TCGv_i64 dest = dest_gpr(ctx, rd);

    fn(dest, s1, imm);
    gen_set_gpr(ctx, rd, dest);
    return true;
}

/* rd = fn(rs1, constant imm) for generators without an immediate form. */
static bool gen_arith_imm_tl(DisasContext *ctx, int rd, int rs1, int64_t imm, DisasExtend ext,
                             GenBinFn *fn)
{
    TCGv_i64 s1 = get_gpr(ctx, rs1, ext);
    TCGv_i64 dest = dest_gpr(ctx, rd);

    fn(dest, s1, tcg_constant_i64(imm));
    gen_set_gpr(ctx, rd, dest);
    return true;
}

/* Shift by a register: only the low 6 (5 for *W) bits of rs2 count. */
static bool gen_shift(DisasContext *ctx, int rd, int rs1, int rs2, DisasExtend ext, GenBinFn *fn)
{
    TCGv_i64 s1 = get_gpr(ctx, rs1, ext);
    TCGv_i64 amt = tcg_temp_new_i64();
    TCGv_i64 dest = dest_gpr(ctx, rd);

    tcg_gen_andi_i64(amt, get_gpr(ctx, rs2, EXT_NONE), ctx->w ? 31 : 63);
    fn(dest, s1, amt);
    gen_set_gpr(ctx, rd, dest);
    return true;
}

/* Shift by an immediate; a shamt the width cannot take is reserved (illegal). */
static bool gen_shift_imm(DisasContext *ctx, int rd, int rs1, int shamt, DisasExtend ext,
                          GenBinImmFn *fn)
{
    if (shamt >= (ctx->w ? 32 : 64)) {
        return false;
    }
    return gen_arith_imm(ctx, rd, rs1, shamt, ext, fn);
}

/* rd = fn(rs1) */
static bool gen_unary(DisasContext *ctx, int rd, int rs1, DisasExtend ext, GenUnaryFn *fn)
{
    TCGv_i64 s1 = get_gpr(ctx, rs1, ext);
    TCGv_i64 dest = dest_gpr(ctx, rd);

    fn(dest, s1);
    gen_set_gpr(ctx, rd, dest);
    return true;
}

/* ---- Memory ---- */

static TCGv_i64 gen_addr(DisasContext *ctx, int rs1, int64_t imm)
{
    TCGv_i64 addr = tcg_temp_new_i64();

    tcg_gen_addi_i64(addr, get_gpr(ctx, rs1, EXT_NONE), imm);
    return addr;
}

/* Regular loads and stores may be misaligned: user-visible RISC-V allows it. */
static bool gen_load(DisasContext *ctx, int rd, int rs1, int64_t imm, MemOp memop)
{
    TCGv_i64 addr = gen_addr(ctx, rs1, imm);
    TCGv_i64 dest = dest_gpr(ctx, rd);

    tcg_gen_qemu_ld_i64(dest, addr, (unsigned)ctx->mem_idx, memop);
    gen_set_gpr(ctx, rd, dest);
    return true;
}

static bool gen_store(DisasContext *ctx, int rs1, int rs2, int64_t imm, MemOp memop)
{
    TCGv_i64 addr = gen_addr(ctx, rs1, imm);

    tcg_gen_qemu_st_i64(get_gpr(ctx, rs2, EXT_NONE), addr, (unsigned)ctx->mem_idx, memop);
    return true;
}

/* ---- Floating point state ---- */

/* Reject FP instructions while mstatus.FS is Off. */
#define REQUIRE_FPU(ctx)                                                                           \
    do {                                                                                           \
        if ((ctx)->mstatus_fs == EXT_STATUS_OFF) {                                                 \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

/* The instruction changes FP state: mstatus.FS becomes Dirty (once per TB). */
static void mark_fs_dirty(DisasContext *ctx)
{
    TCGv_i64 t;

    if (ctx->mstatus_fs == EXT_STATUS_DIRTY) {
        return;
    }
    ctx->mstatus_fs = EXT_STATUS_DIRTY;
    t = tcg_temp_new_i64();
    tcg_gen_ld_i64(t, tcg_env(), offsetof(CPURISCVState, mstatus));
    tcg_gen_ori_i64(t, t, (int64_t)(MSTATUS_FS | MSTATUS_SD));
    tcg_gen_st_i64(t, tcg_env(), offsetof(CPURISCVState, mstatus));
}

/*
 * A rounding-mode field: 5 and 6 are reserved (illegal at translate time);
 * DYN uses frm, which is checked at run time (illegal if frm holds 5..7),
 * once per TB since only CSR writes change it and they end the TB.
 */
static bool gen_check_rm(DisasContext *ctx, int rm)
{
    TCGLabel *ok;
    TCGv_i32 frm;

    if (rm == 5 || rm == 6) {
        return false;
    }
    if (rm != RISCV_FRM_DYN || ctx->frm_valid) {
        return true;
    }
    ctx->frm_valid = true;
    ok = gen_new_label();
    frm = tcg_temp_new_i32();
    tcg_gen_ld_i32(frm, tcg_env(), offsetof(CPURISCVState, frm));
    tcg_gen_brcondi_i32(TCG_COND_LEU, frm, RISCV_FRM_RMM, ok);
    gen_exception_at(ctx, RISCV_EXCP_ILLEGAL_INST, tcg_constant_i64(ctx->opcode));
    gen_set_label(ok);
    return true;
}

typedef void GenFPBinFn(TCGv_i64 ret, TCGv_ptr env, TCGv_i64 a, TCGv_i64 b, TCGv_i32 rm);
typedef void GenFPUnFn(TCGv_i64 ret, TCGv_ptr env, TCGv_i64 a, TCGv_i32 rm);
typedef void GenFPFmaFn(TCGv_i64 ret, TCGv_ptr env, TCGv_i64 a, TCGv_i64 b, TCGv_i64 c,
                        TCGv_i32 rm);
typedef void GenFPCmpFn(TCGv_i64 ret, TCGv_ptr env, TCGv_i64 a, TCGv_i64 b);

/* fd = fn(fs1, fs2) with rounding mode rm */
static bool gen_fp_arith(DisasContext *ctx, int rd, int rs1, int rs2, int rm, GenFPBinFn *fn)
{
    if (!gen_check_rm(ctx, rm)) {
        return false;
    }
    fn(cpu_fpr[rd], tcg_env(), cpu_fpr[rs1], cpu_fpr[rs2], tcg_constant_i32(rm));
    mark_fs_dirty(ctx);
    return true;
}

/* fd = fn(fs1, fs2, fs3) */
static bool gen_fp_fma(DisasContext *ctx, int rd, int rs1, int rs2, int rs3, int rm, GenFPFmaFn *fn)
{
    if (!gen_check_rm(ctx, rm)) {
        return false;
    }
    fn(cpu_fpr[rd], tcg_env(), cpu_fpr[rs1], cpu_fpr[rs2], cpu_fpr[rs3], tcg_constant_i32(rm));
    mark_fs_dirty(ctx);
    return true;
}

/* fd = fn(fs1) (square root, FP to FP conversions) */
static bool gen_fp_unary(DisasContext *ctx, int rd, int rs1, int rm, GenFPUnFn *fn)
{
    if (!gen_check_rm(ctx, rm)) {
        return false;
    }
    fn(cpu_fpr[rd], tcg_env(), cpu_fpr[rs1], tcg_constant_i32(rm));
    mark_fs_dirty(ctx);
    return true;
}

/* fd = fn(fs1, fs2) without rounding (fmin/fmax) */
static bool gen_fp_minmax(DisasContext *ctx, int rd, int rs1, int rs2, GenFPCmpFn *fn)
{
    fn(cpu_fpr[rd], tcg_env(), cpu_fpr[rs1], cpu_fpr[rs2]);
    mark_fs_dirty(ctx);
    return true;
}

/* rd = fn(fs1, fs2): comparisons (they may set NV) */
static bool gen_fp_cmp(DisasContext *ctx, int rd, int rs1, int rs2, GenFPCmpFn *fn)
{
    TCGv_i64 dest = dest_gpr(ctx, rd);

    fn(dest, tcg_env(), cpu_fpr[rs1], cpu_fpr[rs2]);
    gen_set_gpr(ctx, rd, dest);
    mark_fs_dirty(ctx);
    return true;
}

/* rd = fn(fs1) with rounding mode: FP to integer conversions */
static bool gen_fp_to_int(DisasContext *ctx, int rd, int rs1, int rm, GenFPUnFn *fn)
{
    TCGv_i64 dest;

    if (!gen_check_rm(ctx, rm)) {
        return false;
    }
    dest = dest_gpr(ctx, rd);
    fn(dest, tcg_env(), cpu_fpr[rs1], tcg_constant_i32(rm));
    gen_set_gpr(ctx, rd, dest);
    mark_fs_dirty(ctx);
    return true;
}

/* fd = fn(rs1) with rounding mode: integer to FP conversions */
static bool gen_int_to_fp(DisasContext *ctx, int rd, int rs1, int rm, GenFPUnFn *fn)
{
    if (!gen_check_rm(ctx, rm)) {
        return false;
    }
    fn(cpu_fpr[rd], tcg_env(), get_gpr(ctx, rs1, EXT_NONE), tcg_constant_i32(rm));
    mark_fs_dirty(ctx);
    return true;
}

static bool gen_fp_load(DisasContext *ctx, int rd, int rs1, int64_t imm, MemOp memop)
{
    TCGv_i64 addr = gen_addr(ctx, rs1, imm);

    tcg_gen_qemu_ld_i64(cpu_fpr[rd], addr, (unsigned)ctx->mem_idx, memop);
    if ((memop & MO_SIZE) == MO_32) {
        /* NaN-box the single. */
        tcg_gen_ori_i64(cpu_fpr[rd], cpu_fpr[rd], (int64_t)0xffffffff00000000ull);
    }
    mark_fs_dirty(ctx);
    return true;
}

static bool gen_fp_store(DisasContext *ctx, int rs1, int rs2, int64_t imm, MemOp memop)
{
    TCGv_i64 addr = gen_addr(ctx, rs1, imm);

    tcg_gen_qemu_st_i64(cpu_fpr[rs2], addr, (unsigned)ctx->mem_idx, memop);
    return true;
}

/* ---- The generated decoders and the per-extension translators ---- */

#include "decode-insn32.c.inc"
#include "decode-insn16.c.inc"

#include "trans_rvi.c.inc"
#include "trans_rvm.c.inc"
#include "trans_rva.c.inc"
#include "trans_rvf.c.inc"
#include "trans_rvd.c.inc"
#include "trans_rvzb.c.inc"
#include "trans_rvzicond.c.inc"
#include "trans_rvzicsr.c.inc"
#include "trans_privileged.c.inc"

/* ---- TranslatorOps ---- */

static void riscv_tr_init_disas_context(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;
    CPURISCVState *env = cpu_env(cs);
    uint32_t flags = db->tb->flags;

    ctx->cfg = &env->cfg;
    ctx->misa_ext = env->misa_ext;
    ctx->mem_idx = (int)((flags >> TB_FLAGS_MEM_IDX_SHIFT) & TB_FLAGS_MEM_IDX_MASK);
    ctx->priv = (int)((flags >> TB_FLAGS_PRIV_SHIFT) & TB_FLAGS_PRIV_MASK);
    ctx->mstatus_fs = (int)((flags >> TB_FLAGS_FS_SHIFT) & TB_FLAGS_FS_MASK);
    ctx->frm_valid = false;
    ctx->zero = tcg_constant_i64(0);
}

static void riscv_tr_tb_start(DisasContextBase *db, CPUState *cs)
{
}

static void riscv_tr_insn_start(DisasContextBase *db, CPUState *cs)
{
    tcg_gen_insn_start(db->pc_next, 0);
}

/*
 * Would the instruction at `pc` straddle the end of its page?  Then it must
 * start a TB of its own, so that a fault on the second page is taken with
 * the earlier instructions completed.
 */
static bool insn_crosses_page(CPUState *cs, DisasContext *ctx, uint64_t pc)
{
    if ((pc & (RISCV_PAGE_SIZE - 1)) != RISCV_PAGE_SIZE - 2) {
        return false;
    }
    return (translator_lduw(cs, &ctx->base, pc) & 3) == 3;
}

static void riscv_tr_translate_insn(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;
    uint64_t pc = db->pc_next;
    uint32_t insn = translator_lduw(cs, db, pc);
    bool ok;

    ctx->w = false;
    if ((insn & 3) != 3) {
        ctx->opcode = insn;
        ctx->pc_succ_insn = pc + 2;
        ok = has_ext(ctx, RVC) && decode_insn16(ctx, insn);
    } else {
        insn |= (uint32_t)translator_lduw(cs, db, pc + 2) << 16;
        ctx->opcode = insn;
        ctx->pc_succ_insn = pc + 4;
        ok = decode_insn32(ctx, insn);
    }
    if (!ok) {
        gen_exception_illegal(ctx);
    }
    db->pc_next = ctx->pc_succ_insn;

    if (db->is_jmp == DISAS_NEXT && insn_crosses_page(cs, ctx, db->pc_next)) {
        db->is_jmp = DISAS_TOO_MANY;
    }
}

static void riscv_tr_tb_stop(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;

    switch (db->is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb(ctx, 0, db->pc_next);
        break;
    case DISAS_NORETURN:
        break;
    default:
        /* Every other way of ending a TB emits its own exit. */
        gen_goto_tb(ctx, 0, db->pc_next);
        break;
    }
}

static void riscv_tr_disas_log(const DisasContextBase *db, CPUState *cs, FILE *out)
{
    fprintf(out, "IN: 0x%016llx..0x%016llx (%d insns)\n", (unsigned long long)db->pc_first,
            (unsigned long long)db->pc_next, db->num_insns);
}

static const TranslatorOps riscv_tr_ops = {
    .init_disas_context = riscv_tr_init_disas_context,
    .tb_start = riscv_tr_tb_start,
    .insn_start = riscv_tr_insn_start,
    .translate_insn = riscv_tr_translate_insn,
    .tb_stop = riscv_tr_tb_stop,
    .disas_log = riscv_tr_disas_log,
};

void riscv_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns)
{
    DisasContext ctx = {0};

    translator_loop(cs, tb, max_insns, tb->pc, &riscv_tr_ops, &ctx.base);
}

/*
 * Called for every new TCG context (one per translating thread).  The
 * globals get the same handles in every context, so the file-scope handles
 * are set once; later contexts only register theirs.
 */
void riscv_tcg_init(TCGContext *s)
{
    static gsize handles_set;
    TCGv_i64 gpr[32], fpr[32], pc, res, val;

    gpr[0] = TCGV_NONE_I64;
    for (int i = 1; i < 32; i++) {
        gpr[i] = tcg_global_mem_new_i64(s, offsetof(CPURISCVState, gpr[i]), riscv_gpr_names[i]);
    }
    for (int i = 0; i < 32; i++) {
        fpr[i] = tcg_global_mem_new_i64(s, offsetof(CPURISCVState, fpr[i]), riscv_fpr_names[i]);
    }
    pc = tcg_global_mem_new_i64(s, offsetof(CPURISCVState, pc), "pc");
    res = tcg_global_mem_new_i64(s, offsetof(CPURISCVState, load_res), "load_res");
    val = tcg_global_mem_new_i64(s, offsetof(CPURISCVState, load_val), "load_val");

    if (g_once_init_enter(&handles_set)) {
        memcpy(cpu_gpr, gpr, sizeof(gpr));
        memcpy(cpu_fpr, fpr, sizeof(fpr));
        cpu_pc = pc;
        load_res = res;
        load_val = val;
        g_once_init_leave(&handles_set, 1);
    }
    g_assert(cpu_pc.n == pc.n && load_val.n == val.n);
}

void riscv_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb, const uint64_t *data)
{
    CPURISCVState *env = cpu_env(cs);

    env->pc = data[0];
}

void riscv_synchronize_from_tb(CPUState *cs, const TranslationBlock *tb)
{
    CPURISCVState *env = cpu_env(cs);

    env->pc = tb->pc;
}
