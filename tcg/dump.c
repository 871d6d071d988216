/*
 * The readable op listing behind `-d op` and `-d op_opt` (and the failure
 * messages of the IR tests): one op per line, outputs first, temps by name
 * (globals by their registered name, EBB temps as tmpN, TB temps as locN,
 * constants as $value), then the op's constant arguments decoded (conditions,
 * memops, labels), then the liveness bits when the pass has run.
 * Guest instruction boundaries print as "---- pc word1".
 */
#include <inttypes.h>

#include "tcg/tcg.h"
#include "tcg-internal.h"

static int dump_temp(TCGContext *s, FILE *out, TCGArg idx)
{
    const TCGTemp *ts;

    if (idx >= s->nb_temps) {
        return fprintf(out, "<bad temp %" PRIu64 ">", (uint64_t)idx);
    }
    ts = &s->temps[idx];
    switch (ts->kind) {
    case TEMP_GLOBAL:
    case TEMP_FIXED:
        return fprintf(out, "%s", ts->name ? ts->name : "?");
    case TEMP_TB:
        return fprintf(out, "loc%u", (unsigned)idx);
    case TEMP_EBB:
        return fprintf(out, "tmp%u", (unsigned)idx);
    case TEMP_CONST:
        if (ts->type == TCG_TYPE_I32) {
            return fprintf(out, "$0x%" PRIx32, (uint32_t)ts->val);
        }
        return fprintf(out, "$0x%" PRIx64, (uint64_t)ts->val);
    }
    return 0;
}

static int dump_memop(FILE *out, MemOpIdx oi)
{
    static const char size_name[] = "bwlq";
    MemOp mop = get_memop(oi);
    unsigned size = mop & MO_SIZE;

    return fprintf(out, "%s%c%c%s,%u", (mop & MO_BSWAP) ? "be" : "le", (mop & MO_SIGN) ? 's' : 'u',
                   size < 4 ? size_name[size] : '?', memop_alignment_bits(mop) ? "+al" : "",
                   get_mmuidx(oi));
}

static bool op_is_typed(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_set_label:
    case INDEX_op_br:
    case INDEX_op_call:
    case INDEX_op_mb:
    case INDEX_op_insn_start:
    case INDEX_op_exit_tb:
    case INDEX_op_goto_tb:
    case INDEX_op_goto_ptr:
        return false;
    default:
        return true;
    }
}

/* The constant arguments of a non-call op, after its temps. */
static int dump_cargs(TCGContext *s, FILE *out, const TCGOp *op, bool first)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    const char *sep = first ? "" : ",";
    int n = 0;

    switch (op->opc) {
    case INDEX_op_set_label:
    case INDEX_op_br:
        return fprintf(out, "$L%u", (unsigned)op->args[0]);
    case INDEX_op_brcond:
        return fprintf(out, ",%s,$L%u", tcg_cond_name((TCGCond)op->args[2]), (unsigned)op->args[3]);
    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
    case INDEX_op_movcond:
        return fprintf(out, ",%s", tcg_cond_name((TCGCond)tcg_op_carg(op, 0)));
    case INDEX_op_extract:
    case INDEX_op_sextract:
    case INDEX_op_deposit:
        return fprintf(out, ",%u,%u", (unsigned)tcg_op_carg(op, 0), (unsigned)tcg_op_carg(op, 1));
    case INDEX_op_qemu_ld:
    case INDEX_op_qemu_st:
        n = fprintf(out, ",");
        return n + dump_memop(out, (MemOpIdx)op->args[2]);
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st: {
        int64_t ofs = (int64_t)op->args[2];

        return fprintf(out, ",%s$0x%" PRIx64, ofs < 0 ? "-" : "",
                       ofs < 0 ? -(uint64_t)ofs : (uint64_t)ofs);
    }
    case INDEX_op_goto_tb:
        return fprintf(out, "$%u", (unsigned)op->args[0]);
    default:
        for (unsigned k = 0; k < def->nb_cargs; k++) {
            n += fprintf(out, "%s$0x%" PRIx64, sep, (uint64_t)tcg_op_carg(op, k));
            sep = ",";
        }
        return n;
    }
}

static void dump_life(FILE *out, int col, uint16_t life)
{
    if (!life) {
        return;
    }
    for (; col < 48; col++) {
        fputc(' ', out);
    }
    if (life & 0xff) {
        fprintf(out, " dead:");
        for (unsigned i = 0; i < 8; i++) {
            if (life & DEAD_ARG(i)) {
                fprintf(out, " %u", i);
            }
        }
    }
    if (life >> 8) {
        fprintf(out, " sync:");
        for (unsigned i = 0; i < 8; i++) {
            if (life & SYNC_ARG(i)) {
                fprintf(out, " %u", i);
            }
        }
    }
}

void tcg_dump_ops(TCGContext *s, FILE *out, const char *title)
{
    if (title) {
        fprintf(out, "%s\n", title);
    }
    for (unsigned i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        unsigned nout = tcg_op_nb_oargs(op), nin = tcg_op_nb_iargs(op);
        int col;

        if (op->opc == INDEX_op_insn_start) {
            fprintf(out, " ---- %016" PRIx64 " %016" PRIx64 "\n", (uint64_t)op->args[0],
                    (uint64_t)op->args[1]);
            continue;
        }
        if (op->opc == INDEX_op_call) {
            const TCGHelperInfo *info = tcg_op_call_info(op);

            col = fprintf(out, " call %s,$0x%x", info->name ? info->name : "?",
                          (unsigned)info->flags);
            for (unsigned k = 0; k < nout + nin; k++) {
                col += fprintf(out, ",");
                col += dump_temp(s, out, op->args[k]);
            }
            dump_life(out, col, op->life);
            fputc('\n', out);
            continue;
        }
        col = fprintf(out, " %s%s ", def->name,
                      op_is_typed(op->opc) ? (op->type == TCG_TYPE_I32 ? "_i32" : "_i64") : "");
        for (unsigned k = 0; k < nout + nin; k++) {
            if (k) {
                col += fprintf(out, ",");
            }
            col += dump_temp(s, out, op->args[k]);
        }
        col += dump_cargs(s, out, op, nout + nin == 0);
        dump_life(out, col, op->life);
        fputc('\n', out);
    }
    fputc('\n', out);
}
