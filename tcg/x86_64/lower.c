/*
 * Lowering of the IR's arithmetic, logic, bit-field, extension, condition
 * and host-memory ops (include/tcg/tcg-opc.h, semantics in tcg/tcg-eval.h)
 * to x86-64 instructions.  Each op first declares its register
 * constraints in a short string notation, read once per context:
 *
 *   r  any register          a, c, d  rax, rcx, rdx        D  not rax/rdx
 *   e  a constant that fits the op's immediate (i32: any; i64: sign-
 *      extended 32 bits)      i  any constant
 *   0-5 (outputs) the register of that input      & (outputs) a register
 *      no input uses
 *
 * The allocator (regalloc.c) then hands the lowering registers and
 * constants that satisfy them.  A lowering may find its output in the
 * register of an input that dies here (unless the output is `&`), so it
 * reads every input before it writes the output, or says `&`.  r11 is free
 * for the lowering's own use.
 *
 * Host features (TCGContext.have_*) pick BMI1 andn, BMI2 shlx/shrx/sarx,
 * lzcnt, tzcnt and popcnt when present, with fallbacks (bsr/bsf + cmov, a
 * loop-free bit count) otherwise.
 */
#include <string.h>

#include "x64-internal.h"
#include "tcg/tcg-internal.h"

typedef struct X64CtSpec {
    const char *args[8]; /* outputs, then inputs */
    const char *clobber;
    uint8_t nb_scratch;
} X64CtSpec;

static X64CtSpec x64lower_spec(const TCGContext *s, TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_add:
    case INDEX_op_sub:
    case INDEX_op_mul:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
    case INDEX_op_andc:
    case INDEX_op_orc:
        return (X64CtSpec){{"r", "r", "re"}};
    case INDEX_op_neg:
    case INDEX_op_not:
    case INDEX_op_ext8s:
    case INDEX_op_ext8u:
    case INDEX_op_ext16s:
    case INDEX_op_ext16u:
    case INDEX_op_ext32s:
    case INDEX_op_ext32u:
    case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
    case INDEX_op_extrh_i64_i32:
    case INDEX_op_bswap16:
    case INDEX_op_bswap32:
    case INDEX_op_bswap64:
    case INDEX_op_extract:
    case INDEX_op_sextract:
        return (X64CtSpec){{"r", "r"}};
    case INDEX_op_ctpop:
        return s->have_popcnt ? (X64CtSpec){{"r", "r"}} : (X64CtSpec){{"r", "r"}, NULL, 1};
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
        return s->have_bmi2 ? (X64CtSpec){{"r", "r", "ri"}} : (X64CtSpec){{"0", "r", "ci"}};
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        return (X64CtSpec){{"0", "r", "ci"}};
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        return (X64CtSpec){{"0", "d", "a", "r"}};
    case INDEX_op_div:
    case INDEX_op_divu:
        return (X64CtSpec){{"0", "a", "D"}, "d"};
    case INDEX_op_rem:
    case INDEX_op_remu:
        return (X64CtSpec){{"d", "a", "D"}, "a"};
    case INDEX_op_add2:
    case INDEX_op_sub2:
        return (X64CtSpec){{"0", "1", "r", "r", "re", "re"}};
    case INDEX_op_deposit:
        return (X64CtSpec){{"0", "r", "r"}};
    case INDEX_op_clz:
    case INDEX_op_ctz:
        return (X64CtSpec){{"&r", "r", "ri"}};
    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
        return (X64CtSpec){{"r", "r", "re"}};
    case INDEX_op_movcond:
        return (X64CtSpec){{"3", "r", "re", "r", "r"}};
    case INDEX_op_brcond:
        return (X64CtSpec){{"r", "re"}};
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
        return (X64CtSpec){{"r", "r"}};
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st:
        return (X64CtSpec){{"re", "r"}};
    case INDEX_op_qemu_ld:
        return (X64CtSpec){{"r", "r"}, NULL, 1};
    case INDEX_op_qemu_st:
        return (X64CtSpec){{"r", "r"}, NULL, 1};
    case INDEX_op_goto_ptr:
        return (X64CtSpec){{"r"}};
    default:
        return (X64CtSpec){{NULL}};
    }
}

static uint16_t x64lower_parse_regs(const char *p, uint8_t *cst)
{
    uint16_t regs = 0;

    for (; *p; p++) {
        switch (*p) {
        case 'r':
            regs |= X64_ALL_REGS;
            break;
        case 'a':
            regs |= X64_BIT(X64_RAX);
            break;
        case 'c':
            regs |= X64_BIT(X64_RCX);
            break;
        case 'd':
            regs |= X64_BIT(X64_RDX);
            break;
        case 'D':
            regs |= X64_ALL_REGS & ~X64_BIT(X64_RAX) & ~X64_BIT(X64_RDX);
            break;
        case 'e':
            *cst |= X64_CT_S32;
            break;
        case 'i':
            *cst |= X64_CT_ANY;
            break;
        default:
            break;
        }
    }
    return regs;
}

/* Read an op's constraint strings into an X64OpCt. */
static void x64lower_parse(const TCGContext *s, TCGOpcode opc, X64OpCt *ct)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    X64CtSpec spec = x64lower_spec(s, opc);
    uint8_t dummy = 0;

    memset(ct, 0, sizeof(*ct));
    for (unsigned j = 0; j < def->nb_oargs && j < 2; j++) {
        const char *p = spec.args[j] ? spec.args[j] : "r";

        ct->out[j].alias = -1;
        if (*p == '&') {
            ct->out[j].newreg = true;
            p++;
        }
        if (*p >= '0' && *p <= '5') {
            unsigned k = (unsigned)(*p - '0');

            ct->out[j].alias = (int8_t)k;
            ct->in[k].aliased = true;
        } else {
            ct->out[j].regs = x64lower_parse_regs(p, &dummy);
        }
    }
    for (unsigned k = 0; k < def->nb_iargs && k < 6; k++) {
        const char *p = spec.args[def->nb_oargs + k];

        ct->in[k].alias = -1;
        ct->in[k].regs = x64lower_parse_regs(p ? p : "r", &ct->in[k].cst);
    }
    for (unsigned j = 0; j < def->nb_oargs && j < 2; j++) {
        if (ct->out[j].alias >= 0) {
            ct->out[j].regs = ct->in[ct->out[j].alias].regs;
        }
    }
    if (spec.clobber) {
        ct->clobber = x64lower_parse_regs(spec.clobber, &dummy);
    }
    ct->nb_scratch = spec.nb_scratch;
}

const X64OpCt *x64lower_constraints(X64Gen *g, const TCGOp *op)
{
    X64State *st = g->st;

    if (!st->ct_ready) {
        for (int opc = 0; opc < NB_OPS; opc++) {
            x64lower_parse(g->s, (TCGOpcode)opc, &st->ct[opc]);
        }
        st->ct_ready = true;
    }
    return &st->ct[op->opc];
}

void x64lower_movi(X64Gen *g, TCGType type, X64Reg reg, int64_t val)
{
    x64_movi(&g->e, x64_is_w(type), reg, val);
}

static void x64lower_mov(X64Gen *g, bool w, X64Reg dst, X64Reg src)
{
    if (dst != src) {
        x64_mov_rr(&g->e, w, dst, src);
    }
}

static const X64Cond x64lower_cc[16] = {
    [TCG_COND_EQ] = X64_CC_E,  [TCG_COND_NE] = X64_CC_NE,   [TCG_COND_LT] = X64_CC_L,
    [TCG_COND_GE] = X64_CC_GE, [TCG_COND_LE] = X64_CC_LE,   [TCG_COND_GT] = X64_CC_G,
    [TCG_COND_LTU] = X64_CC_B, [TCG_COND_GEU] = X64_CC_AE,  [TCG_COND_LEU] = X64_CC_BE,
    [TCG_COND_GTU] = X64_CC_A, [TCG_COND_TSTEQ] = X64_CC_E, [TCG_COND_TSTNE] = X64_CC_NE,
};

X64Cond x64lower_compare(X64Gen *g, bool w, TCGCond cond, X64Reg a, bool b_const, int64_t b_val,
                         X64Reg b)
{
    X64Emit *e = &g->e;

    if (cond == TCG_COND_TSTEQ || cond == TCG_COND_TSTNE) {
        if (b_const) {
            x64_test_ri(e, w, a, b_val);
        } else {
            x64_test_rr(e, w, a, b);
        }
    } else if (b_const && (w ? b_val : (int32_t)b_val) == 0) {
        /* test sets OF=CF=0, so every condition against 0 reads right. */
        x64_test_rr(e, w, a, a);
    } else if (b_const) {
        x64_alu_ri(e, w, X64_ALU_CMP, a, b_val);
    } else {
        x64_alu_rr(e, w, X64_ALU_CMP, a, b);
    }
    return x64lower_cc[cond];
}

static X64Alu x64lower_alu_of(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_add:
        return X64_ALU_ADD;
    case INDEX_op_sub:
        return X64_ALU_SUB;
    case INDEX_op_and:
    case INDEX_op_nand:
    case INDEX_op_andc:
        return X64_ALU_AND;
    case INDEX_op_or:
    case INDEX_op_nor:
    case INDEX_op_orc:
        return X64_ALU_OR;
    default:
        return X64_ALU_XOR;
    }
}

/* o = x op y for the commutative and/or/xor (and their negations). */
static void x64lower_logic(X64Gen *g, bool w, X64Alu alu, X64Reg o, X64Reg x, bool yc, int64_t yv,
                           X64Reg y)
{
    X64Emit *e = &g->e;

    if (yc) {
        int64_t m = w ? yv : (uint32_t)yv;

        if (alu == X64_ALU_AND && m == 0xff) {
            x64_movzx(e, 0, o, x);
        } else if (alu == X64_ALU_AND && m == 0xffff) {
            x64_movzx(e, 1, o, x);
        } else if (alu == X64_ALU_AND && !w && m == 0xffffffff) {
            x64lower_mov(g, false, o, x);
        } else {
            x64lower_mov(g, w, o, x);
            x64_alu_ri(e, w, alu, o, yv);
        }
    } else if (o == y) {
        x64_alu_rr(e, w, alu, o, x);
    } else {
        x64lower_mov(g, w, o, x);
        x64_alu_rr(e, w, alu, o, y);
    }
}

static void x64lower_binary(X64Gen *g, TCGOpcode opc, bool w, const X64Args *a)
{
    X64Emit *e = &g->e;
    X64Reg o = a->reg[0], x = a->reg[1], y = a->reg[2];
    bool yc = a->is_const[2];
    int64_t yv = a->val[2];

    switch (opc) {
    case INDEX_op_add:
        if (yc) {
            if (o == x) {
                if ((w ? yv : (int32_t)yv) != 0) {
                    x64_alu_ri(e, w, X64_ALU_ADD, o, yv);
                }
            } else {
                x64_lea(e, w, o, x, X64_NOREG, 0, (int32_t)yv);
            }
        } else if (o == x) {
            x64_alu_rr(e, w, X64_ALU_ADD, o, y);
        } else if (o == y) {
            x64_alu_rr(e, w, X64_ALU_ADD, o, x);
        } else {
            x64_lea(e, w, o, x, y, 0, 0);
        }
        break;
    case INDEX_op_sub:
        if (yc) {
            if (o != x && x64_fits_s32(-(int64_t)(int32_t)yv)) {
                x64_lea(e, w, o, x, X64_NOREG, 0, -(int32_t)yv);
            } else {
                x64lower_mov(g, w, o, x);
                x64_alu_ri(e, w, X64_ALU_SUB, o, yv);
            }
        } else if (x == y) {
            x64_zero(e, o);
        } else if (o == y) {
            /* o = x - o */
            x64_unary(e, w, X64_UN_NEG, o);
            x64_alu_rr(e, w, X64_ALU_ADD, o, x);
        } else {
            x64lower_mov(g, w, o, x);
            x64_alu_rr(e, w, X64_ALU_SUB, o, y);
        }
        break;
    case INDEX_op_mul:
        if (yc) {
            x64_imul_rri(e, w, o, x, (int32_t)yv);
        } else if (o == y) {
            x64_imul_rr(e, w, o, x);
        } else {
            x64lower_mov(g, w, o, x);
            x64_imul_rr(e, w, o, y);
        }
        break;
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
        x64lower_logic(g, w, x64lower_alu_of(opc), o, x, yc, yv, y);
        break;
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
        x64lower_logic(g, w, x64lower_alu_of(opc), o, x, yc, yv, y);
        x64_unary(e, w, X64_UN_NOT, o);
        break;
    case INDEX_op_andc:
    case INDEX_op_orc:
        if (yc) {
            x64lower_logic(g, w, x64lower_alu_of(opc), o, x, true, ~yv, y);
        } else if (opc == INDEX_op_andc && g->s->have_bmi1) {
            x64_andn(e, w, o, y, x);
        } else {
            x64_mov_rr(e, w, X64_REG_TMP, y);
            x64_unary(e, w, X64_UN_NOT, X64_REG_TMP);
            x64lower_mov(g, w, o, x);
            x64_alu_rr(e, w, x64lower_alu_of(opc), o, X64_REG_TMP);
        }
        break;
    default:
        g_assert_not_reached();
    }
}

static void x64lower_shift(X64Gen *g, TCGOpcode opc, bool w, const X64Args *a)
{
    static const X64Shift sh[] = {
        [INDEX_op_shl] = X64_SH_SHL,  [INDEX_op_shr] = X64_SH_SHR,  [INDEX_op_sar] = X64_SH_SAR,
        [INDEX_op_rotl] = X64_SH_ROL, [INDEX_op_rotr] = X64_SH_ROR,
    };
    X64Emit *e = &g->e;
    X64Reg o = a->reg[0], x = a->reg[1];

    if (a->is_const[2]) {
        int n = (int)(a->val[2] & (w ? 63 : 31));

        x64lower_mov(g, w, o, x);
        if (n) {
            x64_shift_ri(e, w, sh[opc], o, n);
        }
    } else if (opc == INDEX_op_rotl || opc == INDEX_op_rotr || !g->s->have_bmi2) {
        /* o is x's register and the count is in cl. */
        x64_shift_cl(e, w, sh[opc], o);
    } else {
        X64ShiftX op = opc == INDEX_op_shl ? X64_SHLX : opc == INDEX_op_shr ? X64_SHRX : X64_SARX;

        x64_shiftx(e, w, op, o, x, a->reg[2]);
    }
}

static void x64lower_extract(X64Gen *g, bool w, bool sign, X64Reg o, X64Reg x, unsigned pos,
                             unsigned len)
{
    X64Emit *e = &g->e;
    unsigned width = w ? 64 : 32;

    if (len == width) {
        x64lower_mov(g, w, o, x);
    } else if (pos == 0 && (len == 8 || len == 16)) {
        if (sign) {
            x64_movsx(e, len == 8 ? 0 : 1, w, o, x);
        } else {
            x64_movzx(e, len == 8 ? 0 : 1, o, x);
        }
    } else if (pos == 0 && len == 32) {
        if (sign) {
            x64_movsx(e, 2, true, o, x);
        } else {
            x64_mov_rr(e, false, o, x);
        }
    } else if (pos + len == width) {
        x64lower_mov(g, w, o, x);
        x64_shift_ri(e, w, sign ? X64_SH_SAR : X64_SH_SHR, o, (int)pos);
    } else if (!sign && len <= 31) {
        x64lower_mov(g, w, o, x);
        if (pos) {
            x64_shift_ri(e, w, X64_SH_SHR, o, (int)pos);
        }
        x64_alu_ri(e, w, X64_ALU_AND, o, (int64_t)((1u << len) - 1));
    } else if (!sign && len == 32) {
        x64lower_mov(g, w, o, x);
        x64_shift_ri(e, true, X64_SH_SHR, o, (int)pos);
        x64_mov_rr(e, false, o, o);
    } else {
        /* Field to the top, then down with zero or sign fill. */
        x64lower_mov(g, w, o, x);
        x64_shift_ri(e, w, X64_SH_SHL, o, (int)(width - pos - len));
        x64_shift_ri(e, w, sign ? X64_SH_SAR : X64_SH_SHR, o, (int)(width - len));
    }
}

static void x64lower_deposit(X64Gen *g, bool w, X64Reg o, X64Reg y, unsigned pos, unsigned len)
{
    X64Emit *e = &g->e;
    unsigned width = w ? 64 : 32;
    uint64_t mask;

    /* o already holds the first operand. */
    if (len == width) {
        x64lower_mov(g, w, o, y);
        return;
    }
    if (pos == 0 && len == 8) {
        x64_mov8_rr(e, o, y);
        return;
    }
    if (pos == 0 && len == 16) {
        x64_mov16_rr(e, o, y);
        return;
    }
    /* r11 = the low len bits of y, moved to pos. */
    x64_mov_rr(e, w, X64_REG_TMP, y);
    x64_shift_ri(e, w, X64_SH_SHL, X64_REG_TMP, (int)(width - len));
    if (width - len - pos) {
        x64_shift_ri(e, w, X64_SH_SHR, X64_REG_TMP, (int)(width - len - pos));
    }
    mask = ((len < 64 ? (1ull << len) : 0) - 1) << pos;
    if (!w || x64_fits_s32((int64_t)~mask)) {
        x64_alu_ri(e, w, X64_ALU_AND, o, (int64_t)~mask);
    } else {
        /* Clear the field without a 64-bit mask: rotate it to the bottom. */
        if (pos) {
            x64_shift_ri(e, w, X64_SH_ROR, o, (int)pos);
        }
        x64_shift_ri(e, w, X64_SH_SHR, o, (int)len);
        x64_shift_ri(e, w, X64_SH_SHL, o, (int)len);
        if (pos) {
            x64_shift_ri(e, w, X64_SH_ROL, o, (int)pos);
        }
    }
    x64_alu_rr(e, w, X64_ALU_OR, o, X64_REG_TMP);
}

/* clz / ctz: o = count(x), or y when x is zero (o is a fresh register). */
static void x64lower_bitcount(X64Gen *g, bool clz, bool w, const X64Args *a)
{
    X64Emit *e = &g->e;
    X64Reg o = a->reg[0], x = a->reg[1], y = a->reg[2];
    bool yc = a->is_const[2];
    int64_t width = w ? 64 : 32;
    int64_t yv = w ? a->val[2] : (uint32_t)a->val[2];
    bool native = clz ? g->s->have_lzcnt : g->s->have_tzcnt;

    if (native) {
        /* lzcnt/tzcnt give the width for zero and set CF then. */
        x64_bitop(e, w, clz ? X64_BIT_LZCNT : X64_BIT_TZCNT, o, x);
        if (yc && yv != width) {
            x64_movi(e, w, X64_REG_TMP, yv);
            x64_cmov(e, w, X64_CC_B, o, X64_REG_TMP);
        } else if (!yc) {
            x64_cmov(e, w, X64_CC_B, o, y);
        }
    } else if (clz) {
        /* bsr gives the index of the top bit (ZF for zero); clz = index ^ (width - 1). */
        if (yc) {
            x64_movi(e, w, X64_REG_TMP, yv ^ (width - 1));
        } else {
            x64_mov_rr(e, w, X64_REG_TMP, y);
            x64_alu_ri(e, w, X64_ALU_XOR, X64_REG_TMP, width - 1);
        }
        x64_bitop(e, w, X64_BIT_BSR, o, x);
        x64_cmov(e, w, X64_CC_E, o, X64_REG_TMP);
        x64_alu_ri(e, w, X64_ALU_XOR, o, width - 1);
    } else {
        x64_bitop(e, w, X64_BIT_BSF, o, x);
        if (yc) {
            x64_movi(e, w, X64_REG_TMP, yv);
            x64_cmov(e, w, X64_CC_E, o, X64_REG_TMP);
        } else {
            x64_cmov(e, w, X64_CC_E, o, y);
        }
    }
}

/* Population count without popcnt: the classic SWAR reduction. */
static void x64lower_ctpop(X64Gen *g, bool w, X64Reg o, X64Reg x, X64Reg t)
{
    X64Emit *e = &g->e;

    if (g->s->have_popcnt) {
        x64_bitop(e, w, X64_BIT_POPCNT, o, x);
        return;
    }
    x64_mov_rr(e, w, o, x);
    if (!w) {
        x64_mov_rr(e, false, t, o);
        x64_shift_ri(e, false, X64_SH_SHR, t, 1);
        x64_alu_ri(e, false, X64_ALU_AND, t, 0x55555555);
        x64_alu_rr(e, false, X64_ALU_SUB, o, t);
        x64_mov_rr(e, false, t, o);
        x64_shift_ri(e, false, X64_SH_SHR, t, 2);
        x64_alu_ri(e, false, X64_ALU_AND, t, 0x33333333);
        x64_alu_ri(e, false, X64_ALU_AND, o, 0x33333333);
        x64_alu_rr(e, false, X64_ALU_ADD, o, t);
        x64_mov_rr(e, false, t, o);
        x64_shift_ri(e, false, X64_SH_SHR, t, 4);
        x64_alu_rr(e, false, X64_ALU_ADD, o, t);
        x64_alu_ri(e, false, X64_ALU_AND, o, 0x0f0f0f0f);
        x64_imul_rri(e, false, o, o, 0x01010101);
        x64_shift_ri(e, false, X64_SH_SHR, o, 24);
        return;
    }
    x64_mov_rr(e, true, t, o);
    x64_shift_ri(e, true, X64_SH_SHR, t, 1);
    x64_movi(e, true, X64_REG_TMP, 0x5555555555555555LL);
    x64_alu_rr(e, true, X64_ALU_AND, t, X64_REG_TMP);
    x64_alu_rr(e, true, X64_ALU_SUB, o, t);
    x64_movi(e, true, X64_REG_TMP, 0x3333333333333333LL);
    x64_mov_rr(e, true, t, o);
    x64_shift_ri(e, true, X64_SH_SHR, t, 2);
    x64_alu_rr(e, true, X64_ALU_AND, t, X64_REG_TMP);
    x64_alu_rr(e, true, X64_ALU_AND, o, X64_REG_TMP);
    x64_alu_rr(e, true, X64_ALU_ADD, o, t);
    x64_mov_rr(e, true, t, o);
    x64_shift_ri(e, true, X64_SH_SHR, t, 4);
    x64_alu_rr(e, true, X64_ALU_ADD, o, t);
    x64_movi(e, true, X64_REG_TMP, 0x0f0f0f0f0f0f0f0fLL);
    x64_alu_rr(e, true, X64_ALU_AND, o, X64_REG_TMP);
    x64_movi(e, true, X64_REG_TMP, 0x0101010101010101LL);
    x64_imul_rr(e, true, o, X64_REG_TMP);
    x64_shift_ri(e, true, X64_SH_SHR, o, 56);
}

static void x64lower_setcond(X64Gen *g, bool neg, bool w, TCGCond cond, const X64Args *a)
{
    X64Emit *e = &g->e;
    X64Reg o = a->reg[0], x = a->reg[1], y = a->reg[2];
    bool yc = a->is_const[2];
    X64Cond cc;

    if (cond == TCG_COND_NEVER || cond == TCG_COND_ALWAYS) {
        x64_movi(e, w, o, cond == TCG_COND_ALWAYS ? (neg ? -1 : 1) : 0);
        return;
    }
    if (o != x && (yc || o != y)) {
        /* Zero first: xor would clobber the flags after the compare. */
        x64_zero(e, o);
        cc = x64lower_compare(g, w, cond, x, yc, a->val[2], y);
        x64_setcc(e, cc, o);
    } else {
        cc = x64lower_compare(g, w, cond, x, yc, a->val[2], y);
        x64_setcc(e, cc, o);
        x64_movzx(e, 0, o, o);
    }
    if (neg) {
        x64_unary(e, w, X64_UN_NEG, o);
    }
}

static void x64lower_ld(X64Gen *g, TCGOpcode opc, bool w, const X64Args *a, intptr_t ofs)
{
    X64Emit *e = &g->e;
    int size;
    bool sign;

    switch (opc) {
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
        size = 0;
        break;
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
        size = 1;
        break;
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
        size = 2;
        break;
    default:
        size = w ? 3 : 2;
        break;
    }
    sign = opc == INDEX_op_ld8s || opc == INDEX_op_ld16s || opc == INDEX_op_ld32s;
    if (x64_fits_s32(ofs)) {
        x64_load(e, size, sign, w, a->reg[0], a->reg[1], (int32_t)ofs);
    } else {
        x64_movi(e, true, X64_REG_TMP, ofs);
        x64_load_idx(e, size, sign, w, a->reg[0], a->reg[1], X64_REG_TMP, 0);
    }
}

static void x64lower_st(X64Gen *g, TCGOpcode opc, bool w, const X64Args *a, intptr_t ofs)
{
    X64Emit *e = &g->e;
    X64Reg base = a->reg[1], index = X64_NOREG;
    int size = opc == INDEX_op_st8    ? 0
               : opc == INDEX_op_st16 ? 1
               : opc == INDEX_op_st32 ? 2
               : w                    ? 3
                                      : 2;

    if (!x64_fits_s32(ofs)) {
        x64_movi(e, true, X64_REG_TMP, ofs);
        index = X64_REG_TMP;
        ofs = 0;
    }
    if (a->is_const[0]) {
        if (index != X64_NOREG) {
            x64_lea(e, true, X64_REG_TMP, base, index, 0, 0);
            base = X64_REG_TMP;
        }
        x64_storei(e, size, (int32_t)a->val[0], base, (int32_t)ofs);
    } else {
        x64_store_idx(e, size, a->reg[0], base, index, (int32_t)ofs);
    }
}

void x64lower_emit(X64Gen *g, const TCGOp *op, const X64Args *a)
{
    X64Emit *e = &g->e;
    TCGOpcode opc = (TCGOpcode)op->opc;
    bool w = x64_is_w(op->type);
    X64Reg o = a->reg[0], x = a->reg[1];
    X64Cond cc;

    switch (opc) {
    case INDEX_op_add:
    case INDEX_op_sub:
    case INDEX_op_mul:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_andc:
    case INDEX_op_orc:
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
        x64lower_binary(g, opc, w, a);
        break;
    case INDEX_op_neg:
    case INDEX_op_not:
        x64lower_mov(g, w, o, x);
        x64_unary(e, w, opc == INDEX_op_neg ? X64_UN_NEG : X64_UN_NOT, o);
        break;
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        x64lower_shift(g, opc, w, a);
        break;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        /* rdx:rax = rax * y */
        x64_unary(e, w, opc == INDEX_op_mulu2 ? X64_UN_MUL : X64_UN_IMUL, a->reg[3]);
        break;
    case INDEX_op_div:
    case INDEX_op_rem:
        x64_cqo(e, w);
        x64_unary(e, w, X64_UN_IDIV, a->reg[2]);
        break;
    case INDEX_op_divu:
    case INDEX_op_remu:
        x64_zero(e, X64_RDX);
        x64_unary(e, w, X64_UN_DIV, a->reg[2]);
        break;
    case INDEX_op_add2:
    case INDEX_op_sub2: {
        bool add = opc == INDEX_op_add2;

        for (int half = 0; half < 2; half++) {
            X64Alu alu =
                half ? (add ? X64_ALU_ADC : X64_ALU_SBB) : (add ? X64_ALU_ADD : X64_ALU_SUB);

            if (a->is_const[4 + half]) {
                x64_alu_ri(e, w, alu, a->reg[half], a->val[4 + half]);
            } else {
                x64_alu_rr(e, w, alu, a->reg[half], a->reg[4 + half]);
            }
        }
        break;
    }
    case INDEX_op_extract:
    case INDEX_op_sextract:
        x64lower_extract(g, w, opc == INDEX_op_sextract, o, x, (unsigned)op->args[2],
                         (unsigned)op->args[3]);
        break;
    case INDEX_op_deposit:
        x64lower_deposit(g, w, o, a->reg[2], (unsigned)op->args[3], (unsigned)op->args[4]);
        break;
    case INDEX_op_ext8s:
        x64_movsx(e, 0, w, o, x);
        break;
    case INDEX_op_ext16s:
        x64_movsx(e, 1, w, o, x);
        break;
    case INDEX_op_ext8u:
        x64_movzx(e, 0, o, x);
        break;
    case INDEX_op_ext16u:
        x64_movzx(e, 1, o, x);
        break;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
        x64_movsx(e, 2, true, o, x);
        break;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        x64_mov_rr(e, false, o, x);
        break;
    case INDEX_op_extrh_i64_i32:
        x64lower_mov(g, true, o, x);
        x64_shift_ri(e, true, X64_SH_SHR, o, 32);
        break;
    case INDEX_op_bswap16:
        x64_movzx(e, 1, o, x);
        x64_rot16_ri(e, X64_SH_ROL, o, 8);
        break;
    case INDEX_op_bswap32:
        x64_mov_rr(e, false, o, x);
        x64_bswap(e, false, o);
        break;
    case INDEX_op_bswap64:
        x64lower_mov(g, true, o, x);
        x64_bswap(e, true, o);
        break;
    case INDEX_op_clz:
    case INDEX_op_ctz:
        x64lower_bitcount(g, opc == INDEX_op_clz, w, a);
        break;
    case INDEX_op_ctpop:
        x64lower_ctpop(g, w, o, x, a->scratch[0]);
        break;
    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
        x64lower_setcond(g, opc == INDEX_op_negsetcond, w, (TCGCond)op->args[3], a);
        break;
    case INDEX_op_movcond: {
        TCGCond cond = (TCGCond)op->args[5];

        /* o already holds v2 (input 3). */
        if (cond == TCG_COND_ALWAYS) {
            x64lower_mov(g, w, o, a->reg[3]);
        } else if (cond != TCG_COND_NEVER) {
            cc = x64lower_compare(g, w, cond, a->reg[1], a->is_const[2], a->val[2], a->reg[2]);
            x64_cmov(e, w, cc, o, a->reg[3]);
        }
        break;
    }
    case INDEX_op_brcond: {
        TCGCond cond = (TCGCond)op->args[2];
        unsigned label = tcg_op_label_id(op);

        if (cond == TCG_COND_ALWAYS) {
            x64be_jump_label(g, -1, label);
        } else if (cond != TCG_COND_NEVER) {
            cc = x64lower_compare(g, w, cond, a->reg[0], a->is_const[1], a->val[1], a->reg[1]);
            x64be_jump_label(g, (int)cc, label);
        }
        break;
    }
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
        x64lower_ld(g, opc, w, a, (intptr_t)op->args[2]);
        break;
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st:
        x64lower_st(g, opc, w, a, (intptr_t)op->args[2]);
        break;
    case INDEX_op_mb:
        /* x86 is TSO: only a store followed by a load needs a fence. */
        if (op->args[0] & TCG_MO_ST_LD) {
            x64_alu_mi(e, false, true, X64_ALU_OR, X64_RSP, 0, 0);
        }
        break;
    case INDEX_op_goto_ptr:
        x64_jmp_reg(e, a->reg[0]);
        break;
    default:
        g_assert_not_reached();
    }
}
