/*
 * The IR context: the code buffer, temps (globals, per-TB temps, interned
 * constants), labels, the op list, the op table, and the tcg_gen_code()
 * pipeline that runs the passes (optimize.c, liveness.c) and hands the
 * result to a backend.  The contract is include/tcg/tcg.h and
 * docs/devel/tcg-ir.md; this file only keeps the books.
 *
 * The code buffer is one RWX anonymous mapping: the backend's prologue at
 * its start, then TBs one after another until code_gen_highwater, when
 * accel/tcg flushes everything (tcg_code_buffer_reset) and starts over.
 */
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#include "tcg/tcg.h"
#include "tcg-eval.h"
#include "tcg-internal.h"
#include "util/log.h"
#include "util/prefault.h"

#define TCG_DEFAULT_CODE_SIZE (64u << 20)
#define TCG_MIN_CODE_SIZE     (64u << 10)

__thread TCGContext *tcg_ctx;

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(name, oargs, iargs, cargs, flags)                                                      \
    [INDEX_op_##name] = {#name, oargs, iargs, cargs, flags},
#include "tcg/tcg-opc.h"
#undef DEF
};

/* ---- conditions ---------------------------------------------------------- */

TCGCond tcg_swap_cond(TCGCond c)
{
    switch (c) {
    case TCG_COND_LT:
        return TCG_COND_GT;
    case TCG_COND_GT:
        return TCG_COND_LT;
    case TCG_COND_LE:
        return TCG_COND_GE;
    case TCG_COND_GE:
        return TCG_COND_LE;
    case TCG_COND_LTU:
        return TCG_COND_GTU;
    case TCG_COND_GTU:
        return TCG_COND_LTU;
    case TCG_COND_LEU:
        return TCG_COND_GEU;
    case TCG_COND_GEU:
        return TCG_COND_LEU;
    default:
        /* NEVER, ALWAYS, EQ, NE, TSTEQ, TSTNE are symmetric. */
        return c;
    }
}

bool tcg_eval_cond(TCGType type, TCGCond c, uint64_t a, uint64_t b)
{
    return tcg_eval_cond_inline(type, c, a, b);
}

const char *tcg_cond_name(TCGCond c)
{
    switch (c) {
    case TCG_COND_NEVER:
        return "never";
    case TCG_COND_ALWAYS:
        return "always";
    case TCG_COND_EQ:
        return "eq";
    case TCG_COND_NE:
        return "ne";
    case TCG_COND_LT:
        return "lt";
    case TCG_COND_GE:
        return "ge";
    case TCG_COND_LE:
        return "le";
    case TCG_COND_GT:
        return "gt";
    case TCG_COND_LTU:
        return "ltu";
    case TCG_COND_GEU:
        return "geu";
    case TCG_COND_LEU:
        return "leu";
    case TCG_COND_GTU:
        return "gtu";
    case TCG_COND_TSTEQ:
        return "tsteq";
    case TCG_COND_TSTNE:
        return "tstne";
    }
    return "?";
}

uint32_t tcg_call_typemask_(int ret, const int *args)
{
    uint32_t mask = (uint32_t)ret & 7;

    for (unsigned i = 0; args[i] >= 0; i++) {
        g_assert(i < TCG_MAX_CALL_ARGS);
        mask |= ((uint32_t)args[i] & 7) << (3 * (i + 1));
    }
    return mask;
}

/* ---- the context ---------------------------------------------------------- */

/* Interned constants: an open-addressing table of temp index + 1. */
typedef struct TCGConstTable {
    uint32_t *slots;
    unsigned cap; /* a power of two */
    unsigned count;
} TCGConstTable;

/* What the JIT may use beyond baseline x86-64 (the interpreter ignores it). */
static void tcg_probe_host(TCGContext *s)
{
    unsigned a, b, c, d;

    if (__get_cpuid(1, &a, &b, &c, &d)) {
        s->have_popcnt = (c >> 23) & 1;
        s->have_movbe = (c >> 22) & 1;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        s->have_bmi1 = (b >> 3) & 1;
        s->have_bmi2 = (b >> 8) & 1;
        s->have_tzcnt = s->have_bmi1;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        s->have_lzcnt = (c >> 5) & 1;
    }
}

static TCGTemp *tcg_temp_alloc(TCGContext *s)
{
    TCGTemp *ts;

    if (s->nb_temps == s->temps_cap) {
        s->temps_cap = s->temps_cap ? s->temps_cap * 2 : 256;
        s->temps = g_renew(TCGTemp, s->temps, s->temps_cap);
    }
    ts = &s->temps[s->nb_temps++];
    memset(ts, 0, sizeof(*ts));
    ts->reg = -1;
    ts->alloc_reg = -1;
    return ts;
}

TCGContext *tcg_context_new(const TCGBackend *backend, size_t code_size, Error **errp)
{
    TCGContext *s;
    TCGTemp *env;
    size_t page = 4096;
    void *buf;

    if (!backend) {
        backend = tcg_backend_default();
    }
    if (code_size == 0) {
        code_size = TCG_DEFAULT_CODE_SIZE;
    }
    if (code_size < TCG_MIN_CODE_SIZE) {
        code_size = TCG_MIN_CODE_SIZE;
    }
    code_size = (code_size + page - 1) & ~(page - 1);
    buf = mmap(NULL, code_size, PROT_READ | PROT_WRITE | PROT_EXEC,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (buf == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot map %zu bytes of executable code buffer", code_size);
        return NULL;
    }
    /* Huge pages: fewer host faults as the buffer fills, fewer iTLB misses running it. */
    (void)madvise(buf, code_size, MADV_HUGEPAGE);

    s = g_new0(TCGContext, 1);
    s->backend = backend;
    s->code_buf = buf;
    s->code_buf_size = code_size;
    s->code_ptr = buf;
    s->code_gen_highwater = s->code_buf + code_size - TCG_HIGHWATER;
    s->labels = g_new0(TCGLabel, TCG_MAX_LABELS);
    s->label_refs = g_new0(unsigned, TCG_MAX_LABELS);
    tcg_probe_host(s);

    env = tcg_temp_alloc(s);
    env->type = TCG_TYPE_PTR;
    env->kind = TEMP_FIXED;
    env->name = "env";
    env->val_type = TEMP_VAL_REG;
    s->nb_globals = 1;

    if (backend->init && !backend->init(s, errp)) {
        tcg_context_free(s);
        return NULL;
    }
    s->prologue_end = (uint8_t *)(((uintptr_t)s->code_ptr + 15) & ~(uintptr_t)15);
    s->code_ptr = s->prologue_end;
    tcg_func_start(s);
    return s;
}

void tcg_context_free(TCGContext *s)
{
    if (!s) {
        return;
    }
    if (tcg_ctx == s) {
        tcg_ctx = NULL;
    }
    for (unsigned i = 1; i < s->nb_globals; i++) {
        g_free((char *)s->temps[i].name);
    }
    munmap(s->code_buf, s->code_buf_size);
    g_free(s->temps);
    g_free(s->ops);
    g_free(s->ops_spare);
    g_free(s->labels);
    g_free(s->label_refs);
    g_free(s->insn_end_buf);
    g_free(s->insn_data_buf);
    if (s->const_table) {
        g_free(((TCGConstTable *)s->const_table)->slots);
        g_free(s->const_table);
    }
    for (unsigned i = 0; i < TCG_PASS_BUF_COUNT; i++) {
        g_free(s->pass_buf[i].ptr);
    }
    if (s->backend && s->backend->fini) {
        s->backend->fini(s);
    }
    g_free(s->backend_state);
    g_free(s);
}

void *tcg_pass_buf(TCGContext *s, unsigned which, size_t bytes)
{
    g_assert(which < TCG_PASS_BUF_COUNT);
    if (bytes > s->pass_buf[which].size) {
        size_t size = MAX(bytes, 2 * s->pass_buf[which].size);

        s->pass_buf[which].ptr = g_realloc(s->pass_buf[which].ptr, MAX(size, 256));
        s->pass_buf[which].size = MAX(size, 256);
    }
    return s->pass_buf[which].ptr;
}

static TCGv_i64 tcg_global_new(TCGContext *s, TCGType type, intptr_t env_offset, const char *name)
{
    TCGTemp *ts;

    /* Globals come first: none may be added once a TB has temps. */
    g_assert(s->nb_temps == s->nb_globals);
    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = TEMP_GLOBAL;
    ts->mem_offset = env_offset;
    ts->name = g_strdup(name);
    ts->val_type = TEMP_VAL_MEM;
    ts->mem_allocated = true;
    ts->mem_coherent = true;
    s->nb_globals++;
    s->opt_globals_clean = false;
    return (TCGv_i64){s->nb_temps};
}

TCGv_i32 tcg_global_mem_new_i32(TCGContext *s, intptr_t env_offset, const char *name)
{
    return (TCGv_i32){tcg_global_new(s, TCG_TYPE_I32, env_offset, name).n};
}

TCGv_i64 tcg_global_mem_new_i64(TCGContext *s, intptr_t env_offset, const char *name)
{
    return tcg_global_new(s, TCG_TYPE_I64, env_offset, name);
}

/* ---- constants ------------------------------------------------------------ */

static unsigned tcg_const_hash(TCGType type, int64_t val, unsigned cap)
{
    uint64_t h = ((uint64_t)val ^ ((uint64_t)type << 63)) * 0x9e3779b97f4a7c15ull;

    return (unsigned)(h >> 32) & (cap - 1);
}

static void tcg_const_insert(TCGContext *s, TCGConstTable *t, unsigned idx)
{
    unsigned h = tcg_const_hash(s->temps[idx].type, s->temps[idx].val, t->cap);

    while (t->slots[h]) {
        h = (h + 1) & (t->cap - 1);
    }
    t->slots[h] = idx + 1;
    t->count++;
}

unsigned tcg_constant_idx(TCGContext *s, TCGType type, int64_t val)
{
    TCGConstTable *t = s->const_table;
    TCGTemp *ts;
    unsigned h, idx;

    if (type == TCG_TYPE_I32) {
        val = (int32_t)val;
    }
    h = tcg_const_hash(type, val, t->cap);
    while (t->slots[h]) {
        ts = &s->temps[t->slots[h] - 1];
        if (ts->type == type && ts->val == val) {
            return t->slots[h] - 1;
        }
        h = (h + 1) & (t->cap - 1);
    }

    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = TEMP_CONST;
    ts->val = val;
    ts->val_type = TEMP_VAL_CONST;
    idx = s->nb_temps - 1;

    if ((t->count + 1) * 2 > t->cap) {
        uint32_t *old = t->slots;
        unsigned old_cap = t->cap;

        t->cap *= 2;
        t->slots = g_new0(uint32_t, t->cap);
        t->count = 0;
        for (unsigned i = 0; i < old_cap; i++) {
            if (old[i]) {
                tcg_const_insert(s, t, old[i] - 1);
            }
        }
        g_free(old);
    }
    tcg_const_insert(s, t, idx);
    return idx;
}

unsigned tcg_temp_new_idx(TCGContext *s, TCGType type, TCGTempKind kind)
{
    TCGTemp *ts = tcg_temp_alloc(s);

    ts->type = type;
    ts->kind = kind;
    ts->val_type = TEMP_VAL_DEAD;
    return s->nb_temps - 1;
}

/* ---- per-TB state --------------------------------------------------------- */

void tcg_func_start(TCGContext *s)
{
    TCGConstTable *t = s->const_table;

    /* The globals' register-allocator state is the backend's to reset (gen_code). */
    s->nb_temps = s->nb_globals;
    s->nb_ops = 0;
    memset(s->labels, 0, s->nb_labels * sizeof(TCGLabel));
    memset(s->label_refs, 0, s->nb_labels * sizeof(unsigned));
    s->nb_labels = 0;
    s->nb_insns = 0;
    s->tb_overflow = false;

    if (!t) {
        t = g_new0(TCGConstTable, 1);
        t->cap = 256;
        t->slots = g_new0(uint32_t, t->cap);
        s->const_table = t;
    } else if (t->count) {
        memset(t->slots, 0, t->cap * sizeof(uint32_t));
        t->count = 0;
    }
}

TCGOp *tcg_emit_op(TCGContext *s, TCGOpcode opc, TCGType type, unsigned nargs)
{
    TCGOp *op;

    g_assert(nargs <= TCG_MAX_OP_ARGS);
    if (s->nb_ops == s->ops_cap) {
        s->ops_cap = s->ops_cap ? s->ops_cap * 2 : 1024;
        s->ops = g_renew(TCGOp, s->ops, s->ops_cap);
    }
    op = &s->ops[s->nb_ops++];
    op->opc = opc;
    op->type = type;
    op->nargs = nargs;
    op->call_oargs = 0;
    op->call_iargs = 0;
    op->life = 0;
    return op;
}

TCGv_i32 tcg_temp_new_i32(void)
{
    return (TCGv_i32){tcg_temp_new_idx(tcg_ctx, TCG_TYPE_I32, TEMP_EBB) + 1};
}

TCGv_i64 tcg_temp_new_i64(void)
{
    return (TCGv_i64){tcg_temp_new_idx(tcg_ctx, TCG_TYPE_I64, TEMP_EBB) + 1};
}

TCGv_i32 tcg_temp_new_tb_i32(void)
{
    return (TCGv_i32){tcg_temp_new_idx(tcg_ctx, TCG_TYPE_I32, TEMP_TB) + 1};
}

TCGv_i64 tcg_temp_new_tb_i64(void)
{
    return (TCGv_i64){tcg_temp_new_idx(tcg_ctx, TCG_TYPE_I64, TEMP_TB) + 1};
}

TCGv_i32 tcg_constant_i32(int32_t val)
{
    return (TCGv_i32){tcg_constant_idx(tcg_ctx, TCG_TYPE_I32, val) + 1};
}

TCGv_i64 tcg_constant_i64(int64_t val)
{
    return (TCGv_i64){tcg_constant_idx(tcg_ctx, TCG_TYPE_I64, val) + 1};
}

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l;

    if (s->nb_labels == TCG_MAX_LABELS) {
        /*
         * Too many labels for one TB: hand out the last one again (the IR
         * is then wrong) and make tcg_gen_code() report the TB as too
         * large, so the caller retries with fewer instructions.
         */
        s->tb_overflow = true;
        return &s->labels[TCG_MAX_LABELS - 1];
    }
    l = &s->labels[s->nb_labels];
    memset(l, 0, sizeof(*l));
    l->id = s->nb_labels++;
    return l;
}

/* ---- code generation ------------------------------------------------------ */

/* The core's share of TCGCodeInfo: restore words and the end-offset array. */
static void tcg_prepare_code_info(TCGContext *s, TCGCodeInfo *info)
{
    unsigned n = 0;

    if (s->nb_insns > s->insn_buf_cap) {
        s->insn_buf_cap = MAX(s->nb_insns, 2 * s->insn_buf_cap);
        s->insn_end_buf = g_renew(uint32_t, s->insn_end_buf, s->insn_buf_cap);
        s->insn_data_buf = g_realloc(s->insn_data_buf, s->insn_buf_cap * sizeof(*s->insn_data_buf));
    }
    for (unsigned i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];

        if (op->opc == INDEX_op_insn_start && n < s->nb_insns) {
            for (unsigned w = 0; w < TCG_INSN_START_WORDS; w++) {
                s->insn_data_buf[n][w] = op->args[w];
            }
            s->insn_end_buf[n] = 0;
            n++;
        }
    }
    memset(info, 0, sizeof(*info));
    for (unsigned i = 0; i < 2; i++) {
        info->jmp_reset_offset[i] = UINT16_MAX;
        info->jmp_insn_offset[i] = UINT16_MAX;
    }
    info->nb_insns = n;
    info->insn_end_offset = s->insn_end_buf;
    info->insn_data = s->insn_data_buf;
}

int tcg_gen_code(TCGContext *s, TCGCodeInfo *info)
{
    uint8_t *start = s->code_ptr;
    FILE *log = NULL;
    int ret;

    if (s->tb_overflow) {
        return -2;
    }
    if (start >= s->code_gen_highwater) {
        return -1;
    }
    if (s->log_flags & (LOG_OP | LOG_OP_OPT)) {
        log = log_file();
    }
    if (log && (s->log_flags & LOG_OP)) {
        tcg_dump_ops(s, log, "OP:");
    }
    if (!s->no_optimize) {
        tcg_optimize(s);
    }
    tcg_liveness(s);
    if (log && (s->log_flags & LOG_OP_OPT)) {
        tcg_dump_ops(s, log, "OP after optimization and liveness analysis:");
    }

    tcg_prepare_code_info(s, info);
    ret = s->backend->gen_code(s, info);
    if (ret < 0) {
        s->code_ptr = start;
        return ret;
    }
    info->code_size = (size_t)ret;
    if (!tcg_restore_data_encode(info, start + ret,
                                 (size_t)(s->code_buf + s->code_buf_size - (start + ret)),
                                 &info->restore_size)) {
        s->code_ptr = start;
        return -1;
    }
    info->restore_data = start + ret;
    s->code_ptr = (uint8_t *)(((uintptr_t)start + (size_t)ret + info->restore_size + 15) &
                              ~(uintptr_t)15);
    if (s->prefault) {
        mem_prefault_ahead(s->code_buf, s->code_buf_size, (size_t)(start - s->code_buf),
                           (size_t)(s->code_ptr - s->code_buf));
    }
    return ret;
}

bool tcg_code_buffer_full(TCGContext *s)
{
    return s->code_ptr >= s->code_gen_highwater;
}

void tcg_code_buffer_reset(TCGContext *s)
{
    s->code_ptr = s->prologue_end;
}
