/*
 * Unit tests of the IR passes themselves (tcg/optimize.c, tcg/liveness.c):
 * not whether results are right (test-tcg-ops and test-tcg-random check
 * that on every backend) but whether the work is done: every op with
 * constant inputs is folded, the algebraic identities fire, copies are
 * propagated, knowledge is dropped where it must be (labels, calls that
 * write globals), unreachable code and dead labels go away, and liveness
 * removes dead ops, narrows double-width ops and sets the life bits the
 * register allocator relies on.
 */
#include <string.h>

#include <glib.h>

#include "tcg-harness.h"

static Harness *h;

/* Ops of the current TB other than insn_start, optionally of one opcode only. */
static unsigned count_ops(int opc)
{
    unsigned n = 0;

    for (unsigned i = 0; i < h->s->nb_ops; i++) {
        const TCGOp *op = &h->s->ops[i];

        if (op->opc != INDEX_op_insn_start && (opc < 0 || op->opc == opc)) {
            n++;
        }
    }
    return n;
}

static const TCGOp *find_op(int opc)
{
    for (unsigned i = 0; i < h->s->nb_ops; i++) {
        if (h->s->ops[i].opc == opc) {
            return &h->s->ops[i];
        }
    }
    return NULL;
}

static void begin(void)
{
    harness_begin(h, true);
}

static void passes(void)
{
    tcg_optimize(h->s);
    tcg_liveness(h->s);
}

static void expect_ops(unsigned total, const char *what)
{
    if (count_ops(-1) != total) {
        g_printerr("%s: expected %u ops\n", what, total);
        harness_dump(h, "after the passes:");
    }
    g_assert_cmpuint(count_ops(-1), ==, total);
}

/* r0 = const as a single mov, then exit_tb. */
static void expect_folded_to(TCGType type, uint64_t val, const char *what)
{
    const TCGOp *op;
    const TCGTemp *src;

    expect_ops(2, what);
    op = find_op(INDEX_op_mov);
    g_assert_nonnull(op);
    src = &h->s->temps[op->args[1]];
    g_assert_cmpint(src->kind, ==, TEMP_CONST);
    if (type == TCG_TYPE_I32) {
        g_assert_cmphex((uint32_t)src->val, ==, (uint32_t)val);
    } else {
        g_assert_cmphex((uint64_t)src->val, ==, val);
    }
}

/* ---- every op with constant inputs folds --------------------------------- */

typedef void (*Bin64)(TCGv_i64, TCGv_i64, TCGv_i64);
typedef void (*Bin32)(TCGv_i32, TCGv_i32, TCGv_i32);

static void test_fold_every_op(void)
{
    static const Bin64 b64[] = {
        tcg_gen_add_i64,  tcg_gen_sub_i64,  tcg_gen_mul_i64,  tcg_gen_and_i64, tcg_gen_or_i64,
        tcg_gen_xor_i64,  tcg_gen_andc_i64, tcg_gen_orc_i64,  tcg_gen_eqv_i64, tcg_gen_nand_i64,
        tcg_gen_nor_i64,  tcg_gen_shl_i64,  tcg_gen_shr_i64,  tcg_gen_sar_i64, tcg_gen_rotl_i64,
        tcg_gen_rotr_i64, tcg_gen_div_i64,  tcg_gen_divu_i64, tcg_gen_rem_i64, tcg_gen_remu_i64,
        tcg_gen_clz_i64,  tcg_gen_ctz_i64,
    };
    static const Bin32 b32[] = {
        tcg_gen_add_i32,  tcg_gen_sub_i32,  tcg_gen_mul_i32,  tcg_gen_and_i32, tcg_gen_or_i32,
        tcg_gen_xor_i32,  tcg_gen_andc_i32, tcg_gen_orc_i32,  tcg_gen_eqv_i32, tcg_gen_nand_i32,
        tcg_gen_nor_i32,  tcg_gen_shl_i32,  tcg_gen_shr_i32,  tcg_gen_sar_i32, tcg_gen_rotl_i32,
        tcg_gen_rotr_i32, tcg_gen_div_i32,  tcg_gen_divu_i32, tcg_gen_rem_i32, tcg_gen_remu_i32,
        tcg_gen_clz_i32,  tcg_gen_ctz_i32,
    };
    static void (*const u64[])(TCGv_i64, TCGv_i64) = {
        tcg_gen_neg_i64,     tcg_gen_not_i64,     tcg_gen_ext8s_i64,   tcg_gen_ext8u_i64,
        tcg_gen_ext16s_i64,  tcg_gen_ext16u_i64,  tcg_gen_ext32s_i64,  tcg_gen_ext32u_i64,
        tcg_gen_bswap16_i64, tcg_gen_bswap32_i64, tcg_gen_bswap64_i64, tcg_gen_ctpop_i64,
    };
    static void (*const u32[])(TCGv_i32, TCGv_i32) = {
        tcg_gen_neg_i32,     tcg_gen_not_i32,     tcg_gen_ext8s_i32,
        tcg_gen_ext8u_i32,   tcg_gen_ext16s_i32,  tcg_gen_ext16u_i32,
        tcg_gen_bswap16_i32, tcg_gen_bswap32_i32, tcg_gen_ctpop_i32,
    };
    TCGv_i64 a64, b64c;
    TCGv_i32 a32, b32c;
    unsigned n = 0;

    for (unsigned i = 0; i < G_N_ELEMENTS(b64); i++) {
        begin();
        a64 = tcg_constant_i64(-1234567);
        b64c = tcg_constant_i64(13);
        b64[i](h->g64[0], a64, b64c);
        tcg_gen_exit_tb(0);
        passes();
        expect_ops(2, "binary i64");
        g_assert_nonnull(find_op(INDEX_op_mov));
        begin();
        a32 = tcg_constant_i32(-1234567);
        b32c = tcg_constant_i32(13);
        b32[i](h->g32[0], a32, b32c);
        tcg_gen_exit_tb(0);
        passes();
        expect_ops(2, "binary i32");
        n += 2;
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(u64); i++) {
        begin();
        u64[i](h->g64[0], tcg_constant_i64(0x8123456789abcdefll));
        tcg_gen_exit_tb(0);
        passes();
        expect_ops(2, "unary i64");
        n++;
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(u32); i++) {
        begin();
        u32[i](h->g32[0], tcg_constant_i32(0x89abcdef));
        tcg_gen_exit_tb(0);
        passes();
        expect_ops(2, "unary i32");
        n++;
    }

    /* Conversions between types. */
    begin();
    tcg_gen_ext_i32_i64(h->g64[0], tcg_constant_i32(-5));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, (uint64_t)-5, "ext_i32_i64");
    begin();
    tcg_gen_extu_i32_i64(h->g64[0], tcg_constant_i32(-5));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 0xfffffffb, "extu_i32_i64");
    begin();
    tcg_gen_extrh_i64_i32(h->g32[0], tcg_constant_i64(0x1234567800000000ll));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I32, 0x12345678, "extrh");
    begin();
    tcg_gen_extrl_i64_i32(h->g32[0], tcg_constant_i64(0x1234567887654321ll));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I32, 0x87654321, "extrl");

    /* Bit fields, conditions, double-width. */
    begin();
    tcg_gen_extract_i64(h->g64[0], tcg_constant_i64(0xabcd00), 8, 12);
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 0xbcd, "extract");
    begin();
    tcg_gen_sextract_i32(h->g32[0], tcg_constant_i32(0xf00), 8, 4);
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I32, 0xffffffff, "sextract");
    begin();
    tcg_gen_deposit_i64(h->g64[0], tcg_constant_i64(-1), tcg_constant_i64(0), 60, 4);
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 0x0fffffffffffffffull, "deposit");
    begin();
    tcg_gen_setcond_i64(TCG_COND_LTU, h->g64[0], tcg_constant_i64(1), tcg_constant_i64(-1));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 1, "setcond");
    begin();
    tcg_gen_negsetcond_i32(TCG_COND_GT, h->g32[0], tcg_constant_i32(1), tcg_constant_i32(-1));
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I32, 0xffffffff, "negsetcond");
    begin();
    tcg_gen_movcond_i64(TCG_COND_EQ, h->g64[0], tcg_constant_i64(3), tcg_constant_i64(3), h->g64[1],
                        h->g64[2]);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(2, "movcond");
    g_assert_cmpuint(find_op(INDEX_op_mov)->args[1], ==, tcgv_i64_idx(h->g64[1]));
    begin();
    tcg_gen_mulu2_i64(h->g64[0], h->g64[1], tcg_constant_i64(-1), tcg_constant_i64(-1));
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(3, "mulu2");
    g_assert_cmphex(h->env.r64[0], ==, 0); /* untouched: nothing ran */
    begin();
    tcg_gen_add2_i32(h->g32[0], h->g32[1], tcg_constant_i32(-1), tcg_constant_i32(0),
                     tcg_constant_i32(1), tcg_constant_i32(0));
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(3, "add2");
    n += 12;
    g_test_message("%u ops folded", n);
}

/* ---- identities ---------------------------------------------------------- */

static void test_identities(void)
{
    TCGv_i64 a, b;

    /* x + 0, x - 0, x | 0, x ^ 0, x * 1, x & -1, shifts by 0: a mov of x. */
    for (int k = 0; k < 10; k++) {
        begin();
        a = h->g64[1];
        switch (k) {
        case 0:
            tcg_gen_add_i64(h->g64[0], a, tcg_constant_i64(0));
            break;
        case 1:
            tcg_gen_sub_i64(h->g64[0], a, tcg_constant_i64(0));
            break;
        case 2:
            tcg_gen_or_i64(h->g64[0], tcg_constant_i64(0), a);
            break;
        case 3:
            tcg_gen_xor_i64(h->g64[0], a, tcg_constant_i64(0));
            break;
        case 4:
            tcg_gen_mul_i64(h->g64[0], tcg_constant_i64(1), a);
            break;
        case 5:
            tcg_gen_and_i64(h->g64[0], a, tcg_constant_i64(-1));
            break;
        case 6:
            tcg_gen_shl_i64(h->g64[0], a, tcg_constant_i64(0));
            break;
        case 7:
            tcg_gen_rotr_i64(h->g64[0], a, tcg_constant_i64(64));
            break;
        case 8:
            tcg_gen_and_i64(h->g64[0], a, a);
            break;
        case 9:
            tcg_gen_divu_i64(h->g64[0], a, tcg_constant_i64(1));
            break;
        }
        tcg_gen_exit_tb(0);
        passes();
        expect_ops(2, "identity to mov");
        g_assert_cmpuint(find_op(INDEX_op_mov)->args[1], ==, tcgv_i64_idx(a));
    }

    /* x - x, x ^ x, x & 0, x * 0, 0 << x, x rem 1: zero; x orc x, x | -1: all ones. */
    for (int k = 0; k < 8; k++) {
        uint64_t expect = 0;

        begin();
        a = h->g64[1];
        switch (k) {
        case 0:
            tcg_gen_sub_i64(h->g64[0], a, a);
            break;
        case 1:
            tcg_gen_xor_i64(h->g64[0], a, a);
            break;
        case 2:
            tcg_gen_and_i64(h->g64[0], a, tcg_constant_i64(0));
            break;
        case 3:
            tcg_gen_mul_i64(h->g64[0], tcg_constant_i64(0), a);
            break;
        case 4:
            tcg_gen_shl_i64(h->g64[0], tcg_constant_i64(0), a);
            break;
        case 5:
            tcg_gen_rem_i64(h->g64[0], a, tcg_constant_i64(1));
            break;
        case 6:
            tcg_gen_orc_i64(h->g64[0], a, a);
            expect = UINT64_MAX;
            break;
        case 7:
            tcg_gen_or_i64(h->g64[0], a, tcg_constant_i64(-1));
            expect = UINT64_MAX;
            break;
        }
        tcg_gen_exit_tb(0);
        passes();
        expect_folded_to(TCG_TYPE_I64, expect, "identity to constant");
    }

    /* Equal operands decide a condition. */
    begin();
    b = tcg_temp_new_i64();
    tcg_gen_mov_i64(b, h->g64[1]);
    tcg_gen_setcond_i64(TCG_COND_GEU, h->g64[0], h->g64[1], b);
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 1, "setcond of copies");

    /* 0 - x is a neg. */
    begin();
    tcg_gen_sub_i32(h->g32[0], tcg_constant_i32(0), h->g32[1]);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(2, "0 - x");
    g_assert_nonnull(find_op(INDEX_op_neg));

    /* An undefined division by a constant zero is left alone. */
    begin();
    tcg_gen_div_i64(h->g64[0], tcg_constant_i64(5), tcg_constant_i64(0));
    tcg_gen_exit_tb(0);
    passes();
    g_assert_nonnull(find_op(INDEX_op_div));
}

/* ---- copy propagation and constant chains --------------------------------- */

static void test_propagation(void)
{
    TCGv_i64 t, u, v;

    /* t = 3; u = t + 4; v = u * 2; r0 = v: all folded into r0 = 14. */
    begin();
    t = tcg_temp_new_i64();
    u = tcg_temp_new_i64();
    v = tcg_temp_new_i64();
    tcg_gen_movi_i64(t, 3);
    tcg_gen_addi_i64(u, t, 4);
    tcg_gen_add_i64(v, u, u);
    tcg_gen_mov_i64(h->g64[0], v);
    tcg_gen_exit_tb(0);
    passes();
    expect_folded_to(TCG_TYPE_I64, 14, "constant chain");

    /* A copy of a global is replaced by the global, and the copy dies. */
    begin();
    t = tcg_temp_new_i64();
    tcg_gen_mov_i64(t, h->g64[1]);
    tcg_gen_add_i64(h->g64[0], t, h->g64[2]);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(2, "copy propagation");
    g_assert_cmpuint(find_op(INDEX_op_add)->args[1], ==, tcgv_i64_idx(h->g64[1]));

    /* Redefining the source ends the copy. */
    begin();
    t = tcg_temp_new_i64();
    tcg_gen_mov_i64(t, h->g64[1]);
    tcg_gen_addi_i64(h->g64[1], h->g64[1], 1);
    tcg_gen_add_i64(h->g64[0], t, h->g64[2]);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(4, "copy ended");
    g_assert_cmpuint(h->s->ops[2].opc, ==, INDEX_op_add);
    g_assert_cmpuint(h->s->ops[2].args[1], ==, tcgv_i64_idx(t));

    /* Knowledge does not cross a label... */
    begin();
    {
        TCGLabel *l = gen_new_label();

        tcg_gen_movi_i64(h->g64[1], 5);
        tcg_gen_brcondi_i64(TCG_COND_EQ, h->g64[2], 0, l);
        tcg_gen_movi_i64(h->g64[1], 6);
        gen_set_label(l);
        tcg_gen_addi_i64(h->g64[0], h->g64[1], 1);
        tcg_gen_exit_tb(0);
    }
    passes();
    g_assert_nonnull(find_op(INDEX_op_add));

    /* ...but survives a conditional branch's fall-through. */
    begin();
    {
        TCGLabel *l = gen_new_label();

        tcg_gen_movi_i64(h->g64[1], 5);
        tcg_gen_brcondi_i64(TCG_COND_EQ, h->g64[2], 0, l);
        tcg_gen_addi_i64(h->g64[0], h->g64[1], 1);
        gen_set_label(l);
        tcg_gen_exit_tb(0);
    }
    passes();
    g_assert_null(find_op(INDEX_op_add));
}

/* ---- calls ------------------------------------------------------------------ */

static unsigned helper_calls;

static uint64_t helper_count(uint64_t a)
{
    helper_calls++;
    return a + 1;
}

static void test_calls(void)
{
    TCGHelperInfo clobber = {.func = (void *)helper_count, .name = "clobber", .flags = 0};
    TCGHelperInfo keep = {
        .func = (void *)helper_count, .name = "keep", .flags = TCG_CALL_NO_WRITE_GLOBALS};
    TCGHelperInfo pure = {.func = (void *)helper_count, .name = "pure", .flags = TCG_CALL_PURE};
    uint32_t tm = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64);
    const TCGOp *op;

    clobber.typemask = keep.typemask = pure.typemask = tm;

    /* A helper that may write globals: r1's known value is forgotten. */
    begin();
    tcg_gen_movi_i64(h->g64[1], 5);
    tcg_gen_callN(&clobber, tcgv_i64_idx(h->g64[3]), tcg_arg_i64(h->g64[2]));
    tcg_gen_addi_i64(h->g64[0], h->g64[1], 1);
    tcg_gen_exit_tb(0);
    passes();
    g_assert_nonnull(find_op(INDEX_op_add));
    /* The global was synced before the call (SYNC on its mov). */
    op = find_op(INDEX_op_mov);
    g_assert_nonnull(op);
    g_assert_true(op->life & SYNC_ARG(0));

    /* One declared not to write globals: the add folds. */
    begin();
    tcg_gen_movi_i64(h->g64[1], 5);
    tcg_gen_callN(&keep, tcgv_i64_idx(h->g64[3]), tcg_arg_i64(h->g64[2]));
    tcg_gen_addi_i64(h->g64[0], h->g64[1], 1);
    tcg_gen_exit_tb(0);
    passes();
    g_assert_null(find_op(INDEX_op_add));

    /* A pure call whose result is unused is removed; a non-pure one stays. */
    begin();
    {
        TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();

        tcg_gen_callN(&pure, tcgv_i64_idx(t), tcg_arg_i64(h->g64[2]));
        tcg_gen_callN(&clobber, tcgv_i64_idx(u), tcg_arg_i64(h->g64[2]));
        tcg_gen_exit_tb(0);
    }
    passes();
    g_assert_cmpuint(count_ops(INDEX_op_call), ==, 1);
    g_assert_true(tcg_op_call_info(find_op(INDEX_op_call)) == &clobber);

    /* And the program still runs with the call that was kept. */
    begin();
    {
        TCGv_i64 t = tcg_temp_new_i64();

        tcg_gen_callN(&pure, tcgv_i64_idx(t), tcg_arg_i64(h->g64[2]));
        tcg_gen_callN(&clobber, tcgv_i64_idx(h->g64[0]), tcg_arg_i64(h->g64[2]));
    }
    helper_calls = 0;
    h->env.r64[2] = 41;
    harness_run(h);
    g_assert_cmpuint(helper_calls, ==, 1);
    g_assert_cmpuint(h->env.r64[0], ==, 42);
}

/* ---- branches and dead code ---------------------------------------------- */

static void test_branches(void)
{
    TCGLabel *l, *m;

    /* An always-taken branch on constants becomes br; the code it skips and
     * then the branch to the next label and the label itself go away. */
    begin();
    l = gen_new_label();
    tcg_gen_movi_i64(h->g64[0], 1);
    tcg_gen_brcond_i64(TCG_COND_LT, tcg_constant_i64(-1), tcg_constant_i64(0), l);
    tcg_gen_movi_i64(h->g64[0], 2);
    tcg_gen_movi_i64(h->g64[1], 2);
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(2, "always-taken branch");
    g_assert_null(find_op(INDEX_op_set_label));
    g_assert_null(find_op(INDEX_op_brcond));
    g_assert_null(find_op(INDEX_op_br));

    /* A never-taken one disappears with its label. */
    begin();
    l = gen_new_label();
    tcg_gen_brcond_i32(TCG_COND_GTU, tcg_constant_i32(0), h->g32[1], l);
    tcg_gen_movi_i64(h->g64[0], 2);
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(2, "never-taken branch");

    /* Code after exit_tb up to a used label is unreachable; the label stays. */
    begin();
    l = gen_new_label();
    m = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, h->g64[1], 0, l);
    tcg_gen_exit_tb(1);
    tcg_gen_movi_i64(h->g64[0], 2);
    tcg_gen_br(m);
    gen_set_label(l);
    tcg_gen_movi_i64(h->g64[0], 3);
    gen_set_label(m);
    tcg_gen_exit_tb(0);
    passes();
    expect_ops(5, "unreachable after exit");
    g_assert_cmpuint(count_ops(INDEX_op_set_label), ==, 1);

    /* insn_start survives in unreachable code: it counts instructions. */
    begin();
    tcg_gen_insn_start(0x10, 0);
    tcg_gen_exit_tb(0);
    tcg_gen_insn_start(0x14, 0);
    tcg_gen_movi_i64(h->g64[0], 1);
    passes();
    {
        unsigned n = 0;

        for (unsigned i = 0; i < h->s->nb_ops; i++) {
            n += h->s->ops[i].opc == INDEX_op_insn_start;
        }
        g_assert_cmpuint(n, ==, 2);
    }
}

/* ---- liveness ---------------------------------------------------------------- */

static void test_liveness(void)
{
    TCGv_i64 t, u, lo, hi;
    const TCGOp *op;

    /* Dead pure computations and host loads go; guest loads and stores stay. */
    begin();
    h->s->no_optimize = true;
    t = tcg_temp_new_i64();
    u = tcg_temp_new_i64();
    tcg_gen_add_i64(t, h->g64[1], h->g64[2]);
    tcg_gen_ld_i64(u, tcg_env(), 0);
    tcg_gen_qemu_ld_i64(u, h->g64[1], 0, MO_LEUQ);
    tcg_gen_st_i64(h->g64[1], tcg_env(), 64);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    expect_ops(3, "dead ops removed");
    g_assert_nonnull(find_op(INDEX_op_qemu_ld));
    g_assert_nonnull(find_op(INDEX_op_st));

    /* A dead chain goes entirely. */
    begin();
    t = tcg_temp_new_i64();
    u = tcg_temp_new_i64();
    tcg_gen_add_i64(t, h->g64[1], h->g64[2]);
    tcg_gen_mul_i64(u, t, t);
    tcg_gen_neg_i64(t, u);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    expect_ops(1, "dead chain");

    /* add2 whose high half is dead becomes add; mulu2 becomes mul. */
    begin();
    lo = tcg_temp_new_i64();
    hi = tcg_temp_new_i64();
    tcg_gen_add2_i64(h->g64[0], hi, h->g64[1], h->g64[2], h->g64[3], h->g64[4]);
    tcg_gen_mulu2_i64(h->g64[5], lo, h->g64[1], h->g64[2]);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    g_assert_nonnull(find_op(INDEX_op_add));
    g_assert_nonnull(find_op(INDEX_op_mul));
    g_assert_null(find_op(INDEX_op_add2));
    g_assert_null(find_op(INDEX_op_mulu2));

    /* Life bits: last use of a temp is dead, a global written before an exit is synced. */
    begin();
    t = tcg_temp_new_i64();
    tcg_gen_addi_i64(t, h->g64[1], 1);
    tcg_gen_add_i64(h->g64[0], t, h->g64[1]);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    op = &h->s->ops[1];
    g_assert_cmpint(op->opc, ==, INDEX_op_add);
    g_assert_true(op->life & DEAD_ARG(1)); /* t dies here */
    g_assert_true(op->life & SYNC_ARG(0)); /* r0 must reach env */
    g_assert_true(op->life & DEAD_ARG(0)); /* and is not read again */
    op = &h->s->ops[0];
    g_assert_false(op->life & DEAD_ARG(0)); /* t is read later */
    g_assert_false(op->life & DEAD_ARG(1)); /* so is r1 */
    g_assert_false(op->life & SYNC_ARG(0)); /* an EBB temp has no memory */

    /* Before a guest load, a written global is synced but kept live. */
    begin();
    tcg_gen_movi_i64(h->g64[1], 0x40);
    tcg_gen_qemu_ld_i64(h->g64[0], h->g64[2], 0, MO_LEUQ);
    tcg_gen_addi_i64(h->g64[3], h->g64[1], 1);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    op = &h->s->ops[0];
    g_assert_true(op->life & SYNC_ARG(0));
    g_assert_false(op->life & DEAD_ARG(0));

    /* A TB temp live across a label is synced at its definition. */
    begin();
    {
        TCGLabel *l = gen_new_label();

        t = tcg_temp_new_tb_i64();
        tcg_gen_mov_i64(t, h->g64[1]);
        gen_set_label(l);
        tcg_gen_mov_i64(h->g64[0], t);
        tcg_gen_exit_tb(0);
    }
    tcg_liveness(h->s);
    g_assert_true(h->s->ops[0].life & SYNC_ARG(0));

    /* A discarded temp's last use is its death. */
    begin();
    t = tcg_temp_new_i64();
    tcg_gen_mov_i64(t, h->g64[1]);
    tcg_gen_mov_i64(h->g64[0], t);
    tcg_gen_discard_i64(t);
    tcg_gen_exit_tb(0);
    tcg_liveness(h->s);
    g_assert_true(h->s->ops[1].life & DEAD_ARG(1));
}

/* ---- the emitters fold trivial immediates at once -------------------------- */

static void test_emitter_folding(void)
{
    begin();
    tcg_gen_addi_i64(h->g64[0], h->g64[1], 0);
    tcg_gen_andi_i64(h->g64[0], h->g64[1], 0);
    tcg_gen_andi_i64(h->g64[0], h->g64[1], -1);
    tcg_gen_ori_i32(h->g32[0], h->g32[1], 0);
    tcg_gen_xori_i32(h->g32[0], h->g32[1], -1);
    tcg_gen_shli_i64(h->g64[0], h->g64[1], 0);
    tcg_gen_muli_i64(h->g64[0], h->g64[1], 8);
    tcg_gen_andi_i64(h->g64[0], h->g64[1], 0xff);
    tcg_gen_mov_i64(h->g64[0], h->g64[0]);
    tcg_gen_extract_i64(h->g64[0], h->g64[1], 0, 64);
    tcg_gen_setcond_i64(TCG_COND_ALWAYS, h->g64[0], h->g64[1], h->g64[2]);
    tcg_gen_brcond_i64(TCG_COND_NEVER, h->g64[1], h->g64[2], gen_new_label());
    g_assert_cmpuint(count_ops(INDEX_op_mov), ==, 7);
    g_assert_cmpuint(count_ops(INDEX_op_not), ==, 1);
    g_assert_cmpuint(count_ops(INDEX_op_shl), ==, 1);
    g_assert_cmpuint(count_ops(INDEX_op_ext8u), ==, 1);
    expect_ops(10, "emitter folding");
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    h = harness_new(&tcg_backend_interp);
    g_test_add_func("/tcg/optimize/fold-every-op", test_fold_every_op);
    g_test_add_func("/tcg/optimize/identities", test_identities);
    g_test_add_func("/tcg/optimize/propagation", test_propagation);
    g_test_add_func("/tcg/optimize/calls", test_calls);
    g_test_add_func("/tcg/optimize/branches", test_branches);
    g_test_add_func("/tcg/liveness", test_liveness);
    g_test_add_func("/tcg/emitters/fold", test_emitter_folding);
    ret = g_test_run();
    harness_free(h);
    return ret;
}
