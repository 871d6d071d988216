/*
 * Making translation blocks: starting the runtime (one shared TCGContext
 * and the description of guest memory tcg/ needs), tb_gen_code() (target
 * front end, then tcg_gen_code, with the retries a full buffer or an
 * oversized TB call for), the index from host code addresses back to TBs
 * that cpu_restore_state() uses, the `info jit` counters, the perf map and
 * the -d in_asm/op/op_opt/out_asm logs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include "config-host.h"
#include "exec/user-page.h"
#include "internal.h"
#include "util/log.h"
#include "util/prefault.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

TCGAccel tcg_accel;
TCGJitStats tcg_stats;

/* Every TB since the last flush, sorted by tc_ptr (tb_lock). */
static GPtrArray *tc_tbs;
/* The TB this thread is translating, freed if the translation longjmps. */
static __thread TranslationBlock *tb_pending;

/*
 * TB descriptors come from one arena, bump-allocated in cache-line units
 * and emptied when the code buffer is (tc_reset): lookups chase hash
 * chains through them, and packed in huge pages they cost a fraction of
 * the TLB and cache misses of separate heap blocks.  Under tb_lock.  When
 * the arena is full, TBs come from the heap until the next reset.
 */
#define TB_ARENA_SIZE ((size_t)256 << 20)
#define TB_ARENA_ALIGN 64
static struct {
    uint8_t *base;
    size_t used;
} tb_arena;

static size_t tb_arena_unit(void)
{
    return (sizeof(TranslationBlock) + TB_ARENA_ALIGN - 1) & ~(size_t)(TB_ARENA_ALIGN - 1);
}

static bool tb_in_arena(const TranslationBlock *tb)
{
    return tb_arena.base && (const uint8_t *)tb >= tb_arena.base &&
           (const uint8_t *)tb < tb_arena.base + TB_ARENA_SIZE;
}

static TranslationBlock *tb_alloc(void)
{
    TranslationBlock *tb;

    if (tb_arena.base && tb_arena.used + tb_arena_unit() <= TB_ARENA_SIZE) {
        tb = (TranslationBlock *)(tb_arena.base + tb_arena.used);
        tb_arena.used += tb_arena_unit();
        if (tcg_accel.softmmu) {
            mem_prefault_ahead(tb_arena.base, TB_ARENA_SIZE, tb_arena.used - tb_arena_unit(),
                               tb_arena.used);
        }
        memset(tb, 0, sizeof(*tb));
        return tb;
    }
    return g_aligned_alloc0(1, sizeof(TranslationBlock), TB_ARENA_ALIGN);
}

static void tb_arena_init(void)
{
    void *p = mmap(NULL, TB_ARENA_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    tb_arena.used = 0;
    tb_arena.base = p == MAP_FAILED ? NULL : p; /* NULL: every TB from the heap */
    if (tb_arena.base) {
        (void)madvise(tb_arena.base, TB_ARENA_SIZE, MADV_HUGEPAGE);
#ifdef __SANITIZE_ADDRESS__
        /* TBs point at heap blocks (their jump lists): let LeakSanitizer see them. */
        __lsan_register_root_region(tb_arena.base, TB_ARENA_SIZE);
#endif
    }
}

static void tb_arena_exit(void)
{
    if (tb_arena.base) {
#ifdef __SANITIZE_ADDRESS__
        __lsan_unregister_root_region(tb_arena.base, TB_ARENA_SIZE);
#endif
        munmap(tb_arena.base, TB_ARENA_SIZE);
        tb_arena.base = NULL;
    }
}

static FILE *perf_map;

/* ---- start and stop */

bool tcg_exec_init(const TCGExecConfig *config, Error **errp)
{
    const TCGBackend *backend = config->backend ? config->backend : tcg_backend_default();
    TCGGuestMemConfig *mem = &tcg_accel.mem;
    TCGContext *s;

    g_assert(!tcg_accel.ctx);
    g_assert(config->ops && config->ops->page_bits >= 10 && config->ops->page_bits <= 16);
    if (!backend) {
        error_setg(errp, "no TCG backend for this host");
        return false;
    }

    tcg_accel.ops = config->ops;
    tcg_accel.softmmu = config->softmmu;
    tcg_accel.page_bits = config->ops->page_bits;
    tcg_accel.page_size = (vaddr)1 << tcg_accel.page_bits;
    tcg_accel.page_mask = ~(tcg_accel.page_size - 1);

    memset(mem, 0, sizeof(*mem));
    mem->softmmu = config->softmmu;
    mem->page_bits = (int)tcg_accel.page_bits;
    if (config->softmmu) {
        /* CPUNegativeOffsetState sits right below env (include/exec/cpu.h). */
        mem->tlb_fast_offset = -(intptr_t)sizeof(CPUNegativeOffsetState) +
                               (intptr_t)offsetof(CPUNegativeOffsetState, tlb_fast);
        mem->tlb_fast_stride = sizeof(CPUTLBFast);
        mem->tlb_entry_bits = CPU_TLB_ENTRY_BITS;
        mem->tlb_addr_read_offset = offsetof(CPUTLBEntry, addr_read);
        mem->tlb_addr_write_offset = offsetof(CPUTLBEntry, addr_write);
        mem->tlb_addend_offset = offsetof(CPUTLBEntry, addend);
        mem->slow_ld = cputlb_slow_ld;
        mem->slow_st = cputlb_slow_st;
    } else {
        if (config->guest_base) {
            guest_base = config->guest_base;
        }
        mem->guest_base = guest_base;
        mem->slow_ld = user_slow_ld;
        mem->slow_st = user_slow_st;
    }

    s = tcg_context_new(backend, config->code_buffer_size, errp);
    if (!s) {
        return false;
    }
    s->mem = mem;
    /* User mode forks: no background threads of ours there. */
    s->prefault = config->softmmu;
    tcg_accel.ctx = s;
    tcg_ctx = s;
    if (config->ops->tcg_init) {
        config->ops->tcg_init(s);
    }
    tc_tbs = g_ptr_array_new();
    tb_arena_init();
    tb_maint_init();
    memset(&tcg_stats, 0, sizeof(tcg_stats));
    return true;
}

void tcg_exec_exit(void)
{
    if (!tcg_accel.ctx) {
        return;
    }
    g_assert(cpu_list_count() == 0);
    tc_reset();
    g_ptr_array_free(tc_tbs, true);
    tc_tbs = NULL;
    tb_arena_exit();
    tb_maint_exit();
    tcg_context_free(tcg_accel.ctx);
    if (tcg_ctx == tcg_accel.ctx) {
        tcg_ctx = NULL;
    }
    memset(&tcg_accel, 0, sizeof(tcg_accel));
}

bool tcg_exec_is_softmmu(void)
{
    return tcg_accel.softmmu;
}

void tcg_set_one_insn_per_tb(bool on)
{
    __atomic_store_n(&tcg_accel.one_insn_per_tb, on, __ATOMIC_RELAXED);
}

/* ---- host code -> TB */

static void tb_free(TranslationBlock *tb)
{
    g_free(tb->jmp_incoming);
    if (!tb_in_arena(tb)) {
        g_aligned_free(tb);
    } else if ((uint8_t *)tb + tb_arena_unit() == tb_arena.base + tb_arena.used) {
        tb_arena.used -= tb_arena_unit(); /* the last one (an aborted translation) */
    }
}

/* Drop every TB (a flush).  A TB being translated must be allocated again after it. */
void tc_reset(void)
{
    for (unsigned i = 0; i < tc_tbs->len; i++) {
        tb_free(g_ptr_array_index(tc_tbs, i));
    }
    g_ptr_array_set_size(tc_tbs, 0);
    tb_arena.used = 0;
}

/* Index of the last TB whose code starts at or before `p`, or -1. */
static int tc_search(uintptr_t p)
{
    int lo = 0, hi = (int)tc_tbs->len - 1, found = -1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const TranslationBlock *tb = g_ptr_array_index(tc_tbs, mid);

        if ((uintptr_t)tb->tc_ptr <= p) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

static void tc_add(TranslationBlock *tb)
{
    const TranslationBlock *last =
        tc_tbs->len ? g_ptr_array_index(tc_tbs, tc_tbs->len - 1) : NULL;

    /* Code is allocated upwards, so this is nearly always an append. */
    if (!last || (uintptr_t)last->tc_ptr <= (uintptr_t)tb->tc_ptr) {
        g_ptr_array_add(tc_tbs, tb);
        return;
    }
    g_ptr_array_insert(tc_tbs, tc_search((uintptr_t)tb->tc_ptr) + 1, tb);
}

TranslationBlock *tc_lookup(uintptr_t host_pc)
{
    int i;
    TranslationBlock *tb;

    g_assert(tb_lock_held());
    if (!tc_tbs) {
        return NULL;
    }
    i = tc_search(host_pc);
    if (i < 0) {
        return NULL;
    }
    tb = g_ptr_array_index(tc_tbs, i);
    return host_pc < (uintptr_t)tb->tc_ptr + tb->tc_size ? tb : NULL;
}

bool cpu_restore_state(CPUState *cs, uintptr_t retaddr)
{
    uint64_t data[TCG_INSN_START_WORDS];
    TranslationBlock *tb;
    bool found = false;
    bool locked = tb_lock_held();

    if (!retaddr || !tcg_accel.ctx) {
        return false;
    }
    if (!locked) {
        tb_lock();
    }
    /*
     * retaddr is a return address: it may already be the first byte of the
     * next instruction's code, so look one byte back, inside the call.
     */
    tb = tc_lookup(retaddr - 1);
    if (tb) {
        uintptr_t off = retaddr - 1 - (uintptr_t)tb->tc_ptr;

        found = tcg_restore_data_find(tb->restore_data, tb->icount, off, data);
    }
    if (!locked) {
        tb_unlock();
    }
    if (found) {
        cs->ops->restore_state_to_opc(cs, tb, data);
    }
    return found;
}

/* ---- logs and the perf map */

static void tb_log_out_asm(const TranslationBlock *tb)
{
    FILE *f = log_file();
    const uint8_t *code = tb->tc_ptr;

    fprintf(f, "OUT: [size=%" PRIu32 "] pc=0x%" PRIx64 "\n", tb->tc_size, tb->pc);
#ifdef CONFIG_CAPSTONE
    if (strcmp(tcg_accel.ctx->backend->name, "x86_64") == 0) {
        csh handle;
        cs_insn *insn;
        size_t n;

        if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) == CS_ERR_OK) {
            n = cs_disasm(handle, code, tb->tc_size, (uint64_t)(uintptr_t)code, 0, &insn);
            for (size_t i = 0; i < n; i++) {
                fprintf(f, "0x%" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic,
                        insn[i].op_str);
            }
            if (n) {
                cs_free(insn, n);
            }
            cs_close(&handle);
            fputc('\n', f);
            return;
        }
    }
#endif
    /* Without a disassembler for the backend: a hex dump. */
    for (uint32_t i = 0; i < tb->tc_size; i++) {
        fprintf(f, "%s%02x", i % 16 ? " " : (i ? "\n  " : "  "), code[i]);
    }
    fputs("\n\n", f);
}

bool tcg_perf_map_open(const char *path, Error **errp)
{
    g_autofree char *def = NULL;

    if (!path) {
        def = g_strdup_printf("/tmp/perf-%d.map", (int)getpid());
        path = def;
    }
    tcg_perf_map_close();
    perf_map = fopen(path, "w");
    if (!perf_map) {
        error_setg_errno(errp, errno, "cannot open perf map '%s'", path);
        return false;
    }
    setvbuf(perf_map, NULL, _IOLBF, 0);
    return true;
}

void tcg_perf_map_close(void)
{
    if (perf_map) {
        fclose(perf_map);
        perf_map = NULL;
    }
}

static void tb_perf_map_write(const TranslationBlock *tb)
{
    fprintf(perf_map, "%" PRIxPTR " %" PRIx32 " guest-%s-0x%" PRIx64 "\n", (uintptr_t)tb->tc_ptr,
            tb->tc_size, tcg_accel.ops->arch_name, tb->pc);
}

/* ---- tb_gen_code */

static uint64_t clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void tb_gen_abort_cleanup(void)
{
    if (tb_pending) {
        tb_free(tb_pending);
        tb_pending = NULL;
    }
}

static void tb_reset_for_translation(TranslationBlock *tb, vaddr pc, uint64_t cs_base,
                                     uint32_t flags, uint32_t cflags)
{
    memset(tb, 0, sizeof(*tb));
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->page_addr[0] = tb->page_addr[1] = (uint64_t)-1;
    tb->jmp_reset_offset[0] = tb->jmp_reset_offset[1] = UINT16_MAX;
    tb->jmp_insn_offset[0] = tb->jmp_insn_offset[1] = UINT16_MAX;
}

/* Take the code tcg_gen_code produced at `code` into the TB. */
static void tb_take_code(TranslationBlock *tb, uint8_t *code, int size, const TCGCodeInfo *info)
{
    TCGContext *s = tcg_accel.ctx;

    tb->tc_ptr = code;
    tb->tc_size = (uint32_t)size;
    /* Backends differ on who advances code_ptr; keep the next TB 16-byte aligned. */
    if (s->code_ptr < info->restore_data + info->restore_size) {
        s->code_ptr = (uint8_t *)info->restore_data + info->restore_size;
    }
    s->code_ptr = (uint8_t *)(((uintptr_t)s->code_ptr + 15) & ~(uintptr_t)15);
    if (s->code_ptr > s->code_buf + s->code_buf_size) {
        s->code_ptr = s->code_buf + s->code_buf_size;
    }
    for (int i = 0; i < 2; i++) {
        tb->jmp_reset_offset[i] = info->jmp_reset_offset[i];
        tb->jmp_insn_offset[i] = info->jmp_insn_offset[i];
    }
    g_assert(info->nb_insns == tb->icount);
    tb->restore_data = info->restore_data;
}

TranslationBlock *tb_gen_code(CPUState *cs, vaddr pc, uint64_t cs_base, uint32_t flags,
                              uint32_t cflags, uint64_t phys_pc)
{
    TCGContext *s = tcg_accel.ctx;
    uint64_t t0 = clock_ns();
    TranslationBlock *tb;
    TCGCodeInfo info;
    unsigned flushes = 0;
    int max_insns, size;
    uint8_t *code;

    g_assert(tb_lock_held());
    max_insns = cflags & CF_COUNT_MASK;
    if (max_insns == 0 || max_insns > TCG_MAX_INSNS) {
        max_insns = TCG_MAX_INSNS;
    }
    if (cflags & CF_SINGLE_STEP) {
        max_insns = 1;
    }

    tb = tb_alloc();
    tb_pending = tb;
    for (;;) {
        tb_reset_for_translation(tb, pc, cs_base, flags, cflags);
        tcg_ctx = s;
        /* tcg_gen_code() dumps the ops itself; out_asm is ours (below). */
        s->log_flags = log_mask & (LOG_OP | LOG_OP_OPT);
        tcg_func_start(s);
        tcg_accel.ops->translate_code(cs, tb, &max_insns);
        g_assert(tb->icount > 0);

        memset(&info, 0, sizeof(info));
        code = s->code_ptr;
        size = tcg_code_buffer_full(s) ? -1 : tcg_gen_code(s, &info);
        if (size >= 0) {
            break;
        }
        if (size == -1 && flushes++ == 0) {
            /*
             * The buffer is full: flush every TB (when no vCPU is in
             * generated code) and translate again.  tb_lock must be
             * dropped meanwhile so that the other vCPUs can leave.
             */
            tb_unlock();
            tb_flush(cs);
            tb_lock();
            /* The flush emptied the arena under the pending TB: take a new one. */
            tb = tb_alloc();
            tb_pending = tb;
            continue;
        }
        /* Too big for the backend (or for an empty buffer): fewer instructions. */
        if (max_insns <= 1) {
            g_error("tcg: a one-instruction TB at pc 0x%" PRIx64 " does not fit", pc);
        }
        max_insns /= 2;
        tcg_stats.retranslations_too_big++;
    }
    tb_pending = NULL;
    tb_take_code(tb, code, size, &info);

    /* A TB that fetched no code (it raises at once) still belongs to its pc's page. */
    if (tb->page_addr[0] == (uint64_t)-1) {
        tb->page_addr[0] = phys_pc & tcg_accel.page_mask;
    }
    tc_add(tb);
    tb_link(tb, tb->page_addr[0] | (pc & ~tcg_accel.page_mask));

    tcg_stats.tb_translated++;
    tcg_stats.tb_count++;
    tcg_stats.code_bytes += tb->tc_size;
    tcg_stats.tb_guest_bytes += tb->size;
    tcg_stats.tb_max_host_bytes = MAX(tcg_stats.tb_max_host_bytes, tb->tc_size);
    tcg_stats.translate_ns += clock_ns() - t0;

    if (log_enabled(LOG_OUT_ASM)) {
        tb_log_out_asm(tb);
    }
    if (perf_map) {
        tb_perf_map_write(tb);
    }
    return tb;
}

/* ---- info jit */

TCGJitStats tcg_jit_stats(void)
{
    TCGJitStats st;

    if (!tcg_accel.ctx) {
        memset(&st, 0, sizeof(st));
        return st;
    }
    tb_lock();
    st = tcg_stats;
    st.code_buffer_size = tcg_accel.ctx->code_buf_size;
    st.code_buffer_used = (uint64_t)(tcg_accel.ctx->code_ptr - tcg_accel.ctx->code_buf);
    tb_unlock();
    return st;
}

void tcg_jit_stats_print(FILE *out)
{
    TCGJitStats st = tcg_jit_stats();

    fprintf(out, "Translation buffer state:\n");
    fprintf(out, "gen code size       %" PRIu64 "/%" PRIu64 "\n", st.code_buffer_used,
            st.code_buffer_size);
    fprintf(out, "TB count            %" PRIu64 "\n", st.tb_count);
    fprintf(out, "TB avg target size  %" PRIu64 " max host size %" PRIu64 " bytes\n",
            st.tb_count ? st.tb_guest_bytes / st.tb_count : 0, st.tb_max_host_bytes);
    fprintf(out, "TB avg host size    %" PRIu64 " bytes\n",
            st.tb_count ? st.code_bytes / st.tb_count : 0);
    fprintf(out, "\nStatistics:\n");
    fprintf(out, "TB translated       %" PRIu64 "\n", st.tb_translated);
    fprintf(out, "TB invalidated      %" PRIu64 "\n", st.tb_invalidated);
    fprintf(out, "TB retranslated     %" PRIu64 " (too big)\n", st.retranslations_too_big);
    fprintf(out, "TB flush count      %" PRIu64 "\n", st.flushes);
    fprintf(out, "jumps chained       %" PRIu64 " unchained %" PRIu64 "\n", st.chained_jumps,
            st.unchained_jumps);
    fprintf(out, "translation time    %" PRIu64 " us\n", st.translate_ns / 1000);
}
