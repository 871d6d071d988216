/*
 * Tests of the RISC-V decoders generated from target/riscv/insn32.decode
 * and insn16.decode: for known encodings, which trans_ function fires and
 * with which operands.  The decoders are built here with --test-stubs, so
 * every trans_ function records its name and fields instead of emitting
 * IR; no translator is involved.
 *
 * The encodings were produced by the GNU assembler from the listed source
 * line; the expected operands are what that line means per the RISC-V
 * Unprivileged ISA (a compressed instruction expands to the 32-bit
 * instruction of the spec's tables 16.5-16.7).
 */
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MAX_FIELDS 8

typedef struct DisasContext {
    const char *name; /* the trans_ function that fired, or NULL */
    int calls;
    int nfields;
    struct {
        const char *name;
        int64_t value;
    } fields[MAX_FIELDS];
} DisasContext;

#include "decode-ex.h"
#include "decode-insn32-stubs.c.inc"
#include "decode-insn16-stubs.c.inc"

static bool decode_stub_record(DisasContext *ctx, const char *name, const DecodeStubField *f, int n)
{
    ctx->name = name;
    ctx->calls++;
    ctx->nfields = n;
    g_assert_cmpint(n, <=, MAX_FIELDS);
    for (int i = 0; i < n; i++) {
        ctx->fields[i].name = f[i].name;
        ctx->fields[i].value = f[i].value;
    }
    return true;
}

typedef struct DecodeCase {
    uint32_t insn;
    int width;
    const char *source;
    const char *trans;
    int nfields;
    struct {
        const char *name;
        int64_t value;
    } fields[MAX_FIELDS];
} DecodeCase;

static const DecodeCase cases[] = {
    {0x12345537, 32, "lui a0, 0x12345", "lui", 2, {{"rd", 10}, {"imm", 305418240}}},
    {0xffffffb7, 32, "lui t6, 0xfffff", "lui", 2, {{"rd", 31}, {"imm", -4096}}},
    {0x00001097, 32, "auipc ra, 1", "auipc", 2, {{"rd", 1}, {"imm", 4096}}},
    {0x001000ef, 32, "jal ra, .+2048", "jal", 2, {{"rd", 1}, {"imm", 2048}}},
    {0xffdff06f, 32, "jal zero, .-4", "jal", 2, {{"rd", 0}, {"imm", -4}}},
    {0xfff582e7, 32, "jalr t0, -1(a1)", "jalr", 3, {{"rd", 5}, {"rs1", 11}, {"imm", -1}}},
    {0x7eb50fe3, 32, "beq a0, a1, .+4094", "beq", 3, {{"rs1", 10}, {"rs2", 11}, {"imm", 4094}}},
    {0x80941063, 32, "bne s0, s1, .-4096", "bne", 3, {{"rs1", 8}, {"rs2", 9}, {"imm", -4096}}},
    {0x00d64863, 32, "blt a2, a3, .+16", "blt", 3, {{"rs1", 12}, {"rs2", 13}, {"imm", 16}}},
    {0xfe737fe3, 32, "bgeu t1, t2, .-2", "bgeu", 3, {{"rs1", 6}, {"rs2", 7}, {"imm", -2}}},
    {0x80010503, 32, "lb a0, -2048(sp)", "lb", 3, {{"rd", 10}, {"rs1", 2}, {"imm", -2048}}},
    {0x7ff76783, 32, "lwu a5, 2047(a4)", "lwu", 3, {{"rd", 15}, {"rs1", 14}, {"imm", 2047}}},
    {0x0081bd83, 32, "ld s11, 8(gp)", "ld", 3, {{"rd", 27}, {"rs1", 3}, {"imm", 8}}},
    {0xfea10fa3, 32, "sb a0, -1(sp)", "sb", 3, {{"rs1", 2}, {"rs2", 10}, {"imm", -1}}},
    {0x7e113c23, 32, "sd ra, 2040(sp)", "sd", 3, {{"rs1", 2}, {"rs2", 1}, {"imm", 2040}}},
    {0xffb58513, 32, "addi a0, a1, -5", "addi", 3, {{"rd", 10}, {"rs1", 11}, {"imm", -5}}},
    {0xfff5b513, 32, "sltiu a0, a1, -1", "sltiu", 3, {{"rd", 10}, {"rs1", 11}, {"imm", -1}}},
    {0x7ff37293, 32, "andi t0, t1, 0x7ff", "andi", 3, {{"rd", 5}, {"rs1", 6}, {"imm", 2047}}},
    {0x03f51513, 32, "slli a0, a0, 63", "slli", 3, {{"rd", 10}, {"rs1", 10}, {"shamt", 63}}},
    {0x42165593, 32, "srai a1, a2, 33", "srai", 3, {{"rd", 11}, {"rs1", 12}, {"shamt", 33}}},
    {0x00165593, 32, "srli a1, a2, 1", "srli", 3, {{"rd", 11}, {"rs1", 12}, {"shamt", 1}}},
    {0x41498933, 32, "sub s2, s3, s4", "sub", 3, {{"rd", 18}, {"rs1", 19}, {"rs2", 20}}},
    {0x41eede33, 32, "sra t3, t4, t5", "sra", 3, {{"rd", 28}, {"rs1", 29}, {"rs2", 30}}},
    {0x7ff5851b, 32, "addiw a0, a1, 2047", "addiw", 3, {{"rd", 10}, {"rs1", 11}, {"imm", 2047}}},
    {0x41f5d51b, 32, "sraiw a0, a1, 31", "sraiw", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 31}}},
    {0x40c5853b, 32, "subw a0, a1, a2", "subw", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x0310000f, 32, "fence rw, w", "fence", 2, {{"pred", 3}, {"succ", 1}}},
    {0x8330000f, 32, "fence.tso", "fence", 2, {{"pred", 3}, {"succ", 3}}},
    {0x0100000f, 32, "pause", "pause", 0, {}},
    {0x0000100f, 32, "fence.i", "fence_i", 0, {}},
    {0x00000073, 32, "ecall", "ecall", 0, {}},
    {0x00100073, 32, "ebreak", "ebreak", 0, {}},
    {0x30200073, 32, "mret", "mret", 0, {}},
    {0x10200073, 32, "sret", "sret", 0, {}},
    {0x10500073, 32, "wfi", "wfi", 0, {}},
    {0x12b50073, 32, "sfence.vma a0, a1", "sfence_vma", 2, {{"rs1", 10}, {"rs2", 11}}},
    {0x30059573, 32, "csrrw a0, mstatus, a1", "csrrw", 3, {{"rd", 10}, {"rs1", 11}, {"csr", 768}}},
    {0x00102573, 32, "csrrs a0, fflags, zero", "csrrs", 3, {{"rd", 10}, {"rs1", 0}, {"csr", 1}}},
    {0x002ff073, 32, "csrrci zero, frm, 31", "csrrci", 3, {{"rd", 0}, {"rs1", 31}, {"csr", 2}}},
    {0xc000e573, 32, "csrrsi a0, cycle, 1", "csrrsi", 3, {{"rd", 10}, {"rs1", 1}, {"csr", 3072}}},
    {0x02c58533, 32, "mul a0, a1, a2", "mul", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x02c5a533, 32, "mulhsu a0, a1, a2", "mulhsu", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x02c5f53b, 32, "remuw a0, a1, a2", "remuw", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x1405a52f,
     32,
     "lr.w.aq a0, (a1)",
     "lr_w",
     5,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 0}, {"aq", 1}, {"rl", 0}}},
    {0x1ac5b52f,
     32,
     "sc.d.rl a0, a2, (a1)",
     "sc_d",
     5,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"aq", 0}, {"rl", 1}}},
    {0xe6c5b52f,
     32,
     "amomaxu.d.aqrl a0, a2, (a1)",
     "amomaxu_d",
     5,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"aq", 1}, {"rl", 1}}},
    {0x08c5a52f,
     32,
     "amoswap.w a0, a2, (a1)",
     "amoswap_w",
     5,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"aq", 0}, {"rl", 0}}},
    {0xffc12507, 32, "flw fa0, -4(sp)", "flw", 3, {{"rd", 10}, {"rs1", 2}, {"imm", -4}}},
    {0x00853827, 32, "fsd fs0, 16(a0)", "fsd", 3, {{"rs1", 10}, {"rs2", 8}, {"imm", 16}}},
    {0x68c5c543,
     32,
     "fmadd.s fa0, fa1, fa2, fa3, rmm",
     "fmadd_s",
     5,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"rs3", 13}, {"rm", 4}}},
    {0x1a20f04f,
     32,
     "fnmadd.d ft0, ft1, ft2, ft3, dyn",
     "fnmadd_d",
     5,
     {{"rd", 0}, {"rs1", 1}, {"rs2", 2}, {"rs3", 3}, {"rm", 7}}},
    {0x00c59553,
     32,
     "fadd.s fa0, fa1, fa2, rtz",
     "fadd_s",
     4,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"rm", 1}}},
    {0x1ac58553,
     32,
     "fdiv.d fa0, fa1, fa2, rne",
     "fdiv_d",
     4,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}, {"rm", 0}}},
    {0x5a05b553, 32, "fsqrt.d fa0, fa1, rup", "fsqrt_d", 3, {{"rd", 10}, {"rs1", 11}, {"rm", 3}}},
    {0x20c5a553,
     32,
     "fsgnjx.s fa0, fa1, fa2",
     "fsgnjx_s",
     3,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x2ac59553, 32, "fmax.d fa0, fa1, fa2", "fmax_d", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0xc015a553,
     32,
     "fcvt.wu.s a0, fa1, rdn",
     "fcvt_wu_s",
     3,
     {{"rd", 10}, {"rs1", 11}, {"rm", 2}}},
    {0xd0358553,
     32,
     "fcvt.s.lu fa0, a1, rne",
     "fcvt_s_lu",
     3,
     {{"rd", 10}, {"rs1", 11}, {"rm", 0}}},
    {0x40158553, 32, "fcvt.s.d fa0, fa1, rne", "fcvt_s_d", 3, {{"rd", 10}, {"rs1", 11}, {"rm", 0}}},
    {0x42058553, 32, "fcvt.d.s fa0, fa1", "fcvt_d_s", 3, {{"rd", 10}, {"rs1", 11}, {"rm", 0}}},
    {0xe0058553, 32, "fmv.x.w a0, fa1", "fmv_x_w", 2, {{"rd", 10}, {"rs1", 11}}},
    {0xf2058553, 32, "fmv.d.x fa0, a1", "fmv_d_x", 2, {{"rd", 10}, {"rs1", 11}}},
    {0xa0c5a553, 32, "feq.s a0, fa1, fa2", "feq_s", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0xa2c58553, 32, "fle.d a0, fa1, fa2", "fle_d", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0xe2059553, 32, "fclass.d a0, fa1", "fclass_d", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x20c5c533, 32, "sh2add a0, a1, a2", "sh2add", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x08c5853b, 32, "add.uw a0, a1, a2", "add_uw", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x20c5e53b,
     32,
     "sh3add.uw a0, a1, a2",
     "sh3add_uw",
     3,
     {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x0a85951b, 32, "slli.uw a0, a1, 40", "slli_uw", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 40}}},
    {0x0805853b, 32, "zext.w a0, a1", "add_uw", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 0}}},
    {0x40c5f533, 32, "andn a0, a1, a2", "andn", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x60059513, 32, "clz a0, a1", "clz", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x6015951b, 32, "ctzw a0, a1", "ctzw", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x60259513, 32, "cpop a0, a1", "cpop", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x60559513, 32, "sext.h a0, a1", "sext_h", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x0805c53b, 32, "zext.h a0, a1", "zext_h", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x0ac5d533, 32, "minu a0, a1, a2", "minu", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x60c5953b, 32, "rolw a0, a1, a2", "rolw", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x63f5d513, 32, "rori a0, a1, 63", "rori", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 63}}},
    {0x61f5d51b, 32, "roriw a0, a1, 31", "roriw", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 31}}},
    {0x2875d513, 32, "orc.b a0, a1", "orc_b", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x6b85d513, 32, "rev8 a0, a1", "rev8", 2, {{"rd", 10}, {"rs1", 11}}},
    {0x0ac5a533, 32, "clmulr a0, a1, a2", "clmulr", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x48c59533, 32, "bclr a0, a1, a2", "bclr", 3, {{"rd", 10}, {"rs1", 11}, {"rs2", 12}}},
    {0x4bf5d513, 32, "bexti a0, a1, 63", "bexti", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 63}}},
    {0x68559513, 32, "binvi a0, a1, 5", "binvi", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 5}}},
    {0x2a059513, 32, "bseti a0, a1, 32", "bseti", 3, {{"rd", 10}, {"rs1", 11}, {"shamt", 32}}},
    {0x1fe0, 16, "c.addi4spn s0, sp, 1020", "addi", 3, {{"rd", 8}, {"rs1", 2}, {"imm", 1020}}},
    {0x3d7c, 16, "c.fld fa5, 248(a0)", "fld", 3, {{"rd", 15}, {"rs1", 10}, {"imm", 248}}},
    {0x5fe4, 16, "c.lw s1, 124(a5)", "lw", 3, {{"rd", 9}, {"rs1", 15}, {"imm", 124}}},
    {0x6588, 16, "c.ld a0, 8(a1)", "ld", 3, {{"rd", 10}, {"rs1", 11}, {"imm", 8}}},
    {0xa004, 16, "c.fsd fs1, 0(s0)", "fsd", 3, {{"rs1", 8}, {"rs2", 9}, {"imm", 0}}},
    {0xc2b0, 16, "c.sw a2, 64(a3)", "sw", 3, {{"rs1", 13}, {"rs2", 12}, {"imm", 64}}},
    {0xe3d8, 16, "c.sd a4, 128(a5)", "sd", 3, {{"rs1", 15}, {"rs2", 14}, {"imm", 128}}},
    {0x0001, 16, "c.nop", "addi", 3, {{"rd", 0}, {"rs1", 0}, {"imm", 0}}},
    {0x1501, 16, "c.addi a0, -32", "addi", 3, {{"rd", 10}, {"rs1", 10}, {"imm", -32}}},
    {0x257d, 16, "c.addiw a0, 31", "addiw", 3, {{"rd", 10}, {"rs1", 10}, {"imm", 31}}},
    {0x52fd, 16, "c.li t0, -1", "addi", 3, {{"rd", 5}, {"rs1", 0}, {"imm", -1}}},
    {0x7101, 16, "c.addi16sp sp, -512", "addi", 3, {{"rd", 2}, {"rs1", 2}, {"imm", -512}}},
    {0x617d, 16, "c.addi16sp sp, 496", "addi", 3, {{"rd", 2}, {"rs1", 2}, {"imm", 496}}},
    {0x7501, 16, "c.lui a0, 0xfffe0", "lui", 2, {{"rd", 10}, {"imm", -131072}}},
    {0x6485, 16, "c.lui s1, 1", "lui", 2, {{"rd", 9}, {"imm", 4096}}},
    {0x917d, 16, "c.srli a0, 63", "srli", 3, {{"rd", 10}, {"rs1", 10}, {"shamt", 63}}},
    {0x8485, 16, "c.srai s1, 1", "srai", 3, {{"rd", 9}, {"rs1", 9}, {"shamt", 1}}},
    {0x9bfd, 16, "c.andi a5, -1", "andi", 3, {{"rd", 15}, {"rs1", 15}, {"imm", -1}}},
    {0x8c05, 16, "c.sub s0, s1", "sub", 3, {{"rd", 8}, {"rs1", 8}, {"rs2", 9}}},
    {0x8d2d, 16, "c.xor a0, a1", "xor", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0x8d4d, 16, "c.or a0, a1", "or", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0x8d6d, 16, "c.and a0, a1", "and", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0x9d0d, 16, "c.subw a0, a1", "subw", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0x9d2d, 16, "c.addw a0, a1", "addw", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0xb001, 16, "c.j .-2048", "jal", 2, {{"rd", 0}, {"imm", -2048}}},
    {0xaffd, 16, "c.j .+2046", "jal", 2, {{"rd", 0}, {"imm", 2046}}},
    {0xd101, 16, "c.beqz a0, .-256", "beq", 3, {{"rs1", 10}, {"rs2", 0}, {"imm", -256}}},
    {0xecfd, 16, "c.bnez s1, .+254", "bne", 3, {{"rs1", 9}, {"rs2", 0}, {"imm", 254}}},
    {0x157e, 16, "c.slli a0, 63", "slli", 3, {{"rd", 10}, {"rs1", 10}, {"shamt", 63}}},
    {0x357e, 16, "c.fldsp fa0, 504(sp)", "fld", 3, {{"rd", 10}, {"rs1", 2}, {"imm", 504}}},
    {0x50fe, 16, "c.lwsp ra, 252(sp)", "lw", 3, {{"rd", 1}, {"rs1", 2}, {"imm", 252}}},
    {0x747e, 16, "c.ldsp s0, 504(sp)", "ld", 3, {{"rd", 8}, {"rs1", 2}, {"imm", 504}}},
    {0x8082, 16, "c.jr ra", "jalr", 3, {{"rd", 0}, {"rs1", 1}, {"imm", 0}}},
    {0x852e, 16, "c.mv a0, a1", "add", 3, {{"rd", 10}, {"rs1", 0}, {"rs2", 11}}},
    {0x9002, 16, "c.ebreak", "ebreak", 0, {}},
    {0x9282, 16, "c.jalr t0", "jalr", 3, {{"rd", 1}, {"rs1", 5}, {"imm", 0}}},
    {0x952e, 16, "c.add a0, a1", "add", 3, {{"rd", 10}, {"rs1", 10}, {"rs2", 11}}},
    {0xbfa2, 16, "c.fsdsp fs0, 504(sp)", "fsd", 3, {{"rs1", 2}, {"rs2", 8}, {"imm", 504}}},
    {0xdf86, 16, "c.swsp ra, 252(sp)", "sw", 3, {{"rs1", 2}, {"rs2", 1}, {"imm", 252}}},
    {0xe422, 16, "c.sdsp s0, 8(sp)", "sd", 3, {{"rs1", 2}, {"rs2", 8}, {"imm", 8}}},
};

static bool decode(DisasContext *ctx, uint32_t insn, int width)
{
    memset(ctx, 0, sizeof(*ctx));
    return width == 16 ? decode_insn16(ctx, insn) : decode_insn32(ctx, insn);
}

static int64_t field(const DisasContext *ctx, const char *name, bool *found)
{
    for (int i = 0; i < ctx->nfields; i++) {
        if (strcmp(ctx->fields[i].name, name) == 0) {
            *found = true;
            return ctx->fields[i].value;
        }
    }
    *found = false;
    return 0;
}

static void check_case(const DecodeCase *c)
{
    DisasContext ctx;

    if (!decode(&ctx, c->insn, c->width)) {
        g_test_message("%s (%08x): not decoded", c->source, c->insn);
        g_test_fail();
        return;
    }
    g_assert_cmpint(ctx.calls, ==, 1);
    if (strcmp(ctx.name, c->trans) != 0) {
        g_test_message("%s (%08x): trans_%s fired, want trans_%s", c->source, c->insn, ctx.name,
                       c->trans);
        g_test_fail();
        return;
    }
    for (int i = 0; i < c->nfields; i++) {
        bool found;
        int64_t v = field(&ctx, c->fields[i].name, &found);

        if (!found || v != c->fields[i].value) {
            g_test_message("%s (%08x): %s = %" G_GINT64_FORMAT "%s, want %" G_GINT64_FORMAT,
                           c->source, c->insn, c->fields[i].name, v, found ? "" : " (absent)",
                           c->fields[i].value);
            g_test_fail();
        }
    }
}

static void test_insn32(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (cases[i].width == 32) {
            check_case(&cases[i]);
        }
    }
}

static void test_insn16(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (cases[i].width == 16) {
            check_case(&cases[i]);
        }
    }
}

/* Reserved compressed encodings call trans_illegal (an overlap group tries it first). */
static void test_insn16_reserved(void)
{
    static const struct {
        uint16_t insn;
        const char *what;
    } reserved[] = {
        {0x0000, "all zero (c.addi4spn, nzuimm = 0)"},
        {0x0004, "c.addi4spn s1, sp, 0"},
        {0x2005, "c.addiw with rd = 0"},
        {0x6501, "c.lui a0, 0"},
        {0x6101, "c.addi16sp sp, 0"},
        {0x4002, "c.lwsp with rd = 0"},
        {0x6002, "c.ldsp with rd = 0"},
        {0x8002, "c.jr with rs1 = 0"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++) {
        DisasContext ctx;

        g_assert_true(decode(&ctx, reserved[i].insn, 16));
        if (strcmp(ctx.name, "illegal") != 0) {
            g_test_message("%s (%04x): trans_%s fired", reserved[i].what, reserved[i].insn,
                           ctx.name);
            g_test_fail();
        }
    }
}

/* Encodings no pattern covers: the decoder returns false and calls nothing. */
static void test_undecoded(void)
{
    static const struct {
        uint32_t insn;
        int width;
        const char *what;
    } none[] = {
        {0x8000, 16, "quadrant 0, funct3 100 (reserved)"},
        {0x9c41, 16, "c.subw slot 10 (reserved)"},
        {0xffffffff, 32, "all ones"},
        {0x06c5c543, 32, "fmadd with fmt = 11 (Q, not implemented)"},
        {0x0215951b, 32, "slliw with shamt[5] set"},
        {0x5815f553, 32, "fsqrt.s with rs2 = 1"},
        {0x0005a52f & 0xfe0fffff, 32, "AMO funct5 00000 with funct3 010 is amoadd.w: control"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(none); i++) {
        DisasContext ctx;
        bool ok = decode(&ctx, none[i].insn, none[i].width);

        if (i == G_N_ELEMENTS(none) - 1) {
            /* The control case does decode. */
            g_assert_true(ok);
            g_assert_cmpstr(ctx.name, ==, "amoadd_w");
            continue;
        }
        if (ok || ctx.calls != 0) {
            g_test_message("%s (%08x): decoded as trans_%s", none[i].what, none[i].insn, ctx.name);
            g_test_fail();
        }
    }
}

/*
 * Every 16-bit encoding decodes to at most one trans_ call, and a
 * quadrant-3 value (low bits 11) is never a compressed instruction.
 */
static void test_insn16_exhaustive(void)
{
    int decoded = 0;

    for (uint32_t insn = 0; insn < 0x10000; insn++) {
        DisasContext ctx;
        bool ok = decode(&ctx, insn, 16);

        g_assert_cmpint(ctx.calls, <=, 1);
        if ((insn & 3) == 3) {
            g_assert_false(ok);
        }
        decoded += ok;
    }
    /* Quadrants 0-2 less the reserved slots: Q0 funct3 100 (2^11), Q1 100 1 11 .. 1x (2 * 2^6). */
    g_assert_cmpint(decoded, ==, 3 * 16384 - 2048 - 2 * 64);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-decode/insn32", test_insn32);
    g_test_add_func("/riscv-decode/insn16", test_insn16);
    g_test_add_func("/riscv-decode/insn16-reserved", test_insn16_reserved);
    g_test_add_func("/riscv-decode/undecoded", test_undecoded);
    g_test_add_func("/riscv-decode/insn16-exhaustive", test_insn16_exhaustive);
    return g_test_run();
}
