/*
 * Unit tests for the x86-64 backend's register allocator and the parts of
 * the backend that test-tcg-ops / test-tcg-random do not reach directly:
 * register pressure that forces spills, helper calls with many live values
 * and stack arguments, TB temps and EBB temps across labels and branches,
 * ops whose inputs sit in the registers another op's constraint wants
 * (rax/rdx for division, rcx for shifts), chaining through goto_tb, the
 * softmmu TLB fast path and its slow-path stubs (register preservation,
 * retaddr inside the instruction, page-crossing and alignment misses), the
 * user-mode alignment check, and insn_end_offset.  Every case runs twice:
 * with the host's BMI1/BMI2/LZCNT/POPCNT/MOVBE and with
 * MORPH_TCG_HOST_FEATURES=none.  Results are computed in C alongside.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "exec/cpu.h"
#include "tcg-harness.h"
#include "util/log.h"

static bool no_features;

static Harness *new_harness(void)
{
    Harness *h;

    if (no_features) {
        g_setenv("MORPH_TCG_HOST_FEATURES", "none", TRUE);
    } else {
        g_unsetenv("MORPH_TCG_HOST_FEATURES");
    }
    h = harness_new(&tcg_backend_x86_64);
    g_unsetenv("MORPH_TCG_HOST_FEATURES");
    /* For debugging: TEST_TCG_LOG=1 prints each TB's ops and host code. */
    if (g_getenv("TEST_TCG_LOG")) {
        h->s->log_flags = LOG_OP_OPT | LOG_OUT_ASM;
    }
    if (no_features) {
        g_assert_false(h->s->have_bmi2 || h->s->have_popcnt || h->s->have_movbe);
    }
    return h;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

/* More live values than registers: every one must survive its spill. */
static void test_pressure(void)
{
    enum { N = 40 };
    Harness *h = new_harness();
    TCGv_i64 t[N];
    TCGv_i32 u[N];
    uint64_t expect64 = 0;
    uint32_t expect32 = 0;

    for (int i = 0; i < 8; i++) {
        h->env.r64[i] = mix(i + 1);
        h->env.r32[i] = (uint32_t)mix(i + 100);
    }
    harness_begin(h, false);
    for (int i = 0; i < N; i++) {
        t[i] = tcg_temp_new_i64();
        u[i] = tcg_temp_new_i32();
        tcg_gen_muli_i64(t[i], h->g64[i % 8], 2 * i + 1);
        tcg_gen_xori_i32(u[i], h->g32[i % 8], i * 0x01010101);
    }
    /* Read them back in reverse so all are live at once. */
    tcg_gen_movi_i64(h->g64[0], 0);
    tcg_gen_movi_i32(h->g32[0], 0);
    for (int i = N - 1; i >= 0; i--) {
        tcg_gen_rotli_i64(h->g64[0], h->g64[0], 5);
        tcg_gen_add_i64(h->g64[0], h->g64[0], t[i]);
        tcg_gen_rotli_i32(h->g32[0], h->g32[0], 3);
        tcg_gen_sub_i32(h->g32[0], h->g32[0], u[i]);
    }
    {
        uint64_t r64[8];
        uint32_t r32[8];

        memcpy(r64, h->env.r64, sizeof(r64));
        memcpy(r32, h->env.r32, sizeof(r32));
        for (int i = N - 1; i >= 0; i--) {
            expect64 = (expect64 << 5 | expect64 >> 59) + r64[i % 8] * (uint64_t)(2 * i + 1);
            expect32 = (expect32 << 3 | expect32 >> 29) - (r32[i % 8] ^ (uint32_t)(i * 0x01010101));
        }
    }
    harness_run(h);
    g_assert_cmphex(h->env.r64[0], ==, expect64);
    g_assert_cmphex(h->env.r32[0], ==, expect32);
    harness_free(h);
}

static uint64_t helper_seven(uint64_t a, uint32_t b, int32_t c, uint64_t d, uint64_t e, uint64_t f,
                             int32_t g)
{
    return a * 3 + b + (int64_t)c + (d ^ e) - f + (int64_t)g * 5;
}

static uint64_t clobber_count;

/* Destroys every caller-saved register it can reach. */
static uint64_t helper_clobber(uint64_t x)
{
    clobber_count++;
    __asm__ volatile("mov $-1, %%rax\n\tmov $-1, %%rcx\n\tmov $-1, %%rdx\n\t"
                     "mov $-1, %%rsi\n\tmov $-1, %%rdi\n\tmov $-1, %%r8\n\t"
                     "mov $-1, %%r9\n\tmov $-1, %%r10\n\tmov $-1, %%r11" ::
                         : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");
    return x + 1;
}

static const TCGHelperInfo info_seven = {
    .func = (void *)helper_seven,
    .name = "seven",
    .flags = TCG_CALL_PURE,
    .typemask = 0,
};

static const TCGHelperInfo info_clobber = {
    .func = (void *)helper_clobber,
    .name = "clobber",
    .flags = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
};

/* Helper calls: seven arguments (one on the stack), i32 extension, live values across. */
static void test_calls(void)
{
    enum { N = 20 };
    Harness *h = new_harness();
    TCGHelperInfo seven = info_seven, clob = info_clobber;
    TCGv_i64 t[N], r;
    uint64_t sum = 0;

    seven.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I32,
                                       TCG_CALL_TYPE_S32, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64,
                                       TCG_CALL_TYPE_I64, TCG_CALL_TYPE_S32);
    clob.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64);
    for (int i = 0; i < 8; i++) {
        h->env.r64[i] = mix(i + 7);
        h->env.r32[i] = (uint32_t)mix(i + 70) | 0x80000000u;
    }
    harness_begin(h, false);
    r = tcg_temp_new_i64();
    for (int i = 0; i < N; i++) {
        t[i] = tcg_temp_new_i64();
        tcg_gen_addi_i64(t[i], h->g64[i % 8], i);
        sum += h->env.r64[i % 8] + i;
    }
    tcg_gen_callN(&seven, tcgv_i64_idx(r), tcg_arg_i64(h->g64[0]), tcg_arg_i32(h->g32[1]),
                  tcg_arg_i32(h->g32[2]), tcg_arg_i64(h->g64[3]), tcg_arg_i64(t[4]),
                  tcg_arg_i64(tcg_constant_i64(0x123456789ll)), tcg_arg_i32(tcg_constant_i32(-7)));
    tcg_gen_callN(&clob, tcgv_i64_idx(r), tcg_arg_i64(r));
    for (int i = 0; i < N; i++) {
        tcg_gen_add_i64(r, r, t[i]);
    }
    tcg_gen_mov_i64(h->g64[7], r);
    {
        uint64_t *g = h->env.r64;
        uint64_t expect = helper_seven(g[0], h->env.r32[1], (int32_t)h->env.r32[2], g[3], g[4] + 4,
                                       0x123456789ll, -7) +
                          1 + sum;

        clobber_count = 0;
        harness_run(h);
        g_assert_cmpuint(clobber_count, ==, 1);
        g_assert_cmphex(h->env.r64[7], ==, expect);
    }
    harness_free(h);
}

/* A helper that reads and writes a global through env. */
static void helper_bump_r1(void *env)
{
    ((HarnessEnv *)env)->r64[1] += 100;
}

static void test_call_globals(void)
{
    Harness *h = new_harness();
    TCGHelperInfo bump = {
        .func = (void *)helper_bump_r1,
        .name = "bump",
        .typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_VOID, TCG_CALL_TYPE_PTR),
    };

    h->env.r64[1] = 5;
    harness_begin(h, false);
    /* r1 is dirty in a register at the call: it must be stored, then reloaded. */
    tcg_gen_addi_i64(h->g64[1], h->g64[1], 1);
    tcg_gen_callN(&bump, -1, tcg_arg_i64(tcg_env()));
    tcg_gen_addi_i64(h->g64[1], h->g64[1], 1);
    tcg_gen_mov_i64(h->g64[2], h->g64[1]);
    harness_run(h);
    g_assert_cmpuint(h->env.r64[1], ==, 107);
    g_assert_cmpuint(h->env.r64[2], ==, 107);
    harness_free(h);
}

/* A loop: TB temps across a backward branch, EBB temps across the fall-through. */
static void test_labels(void)
{
    Harness *h = new_harness();
    TCGLabel *top, *out;
    TCGv_i64 acc, cnt, e;

    h->env.r64[0] = 10;
    h->env.r64[1] = 3;
    harness_begin(h, true);
    top = gen_new_label();
    out = gen_new_label();
    acc = tcg_temp_new_tb_i64();
    cnt = tcg_temp_new_tb_i64();
    tcg_gen_movi_i64(acc, 0);
    tcg_gen_mov_i64(cnt, h->g64[0]);
    gen_set_label(top);
    tcg_gen_brcondi_i64(TCG_COND_EQ, cnt, 0, out);
    e = tcg_temp_new_i64();
    tcg_gen_mul_i64(e, cnt, h->g64[1]);
    tcg_gen_brcondi_i64(TCG_COND_GTU, cnt, 1000, out); /* never taken */
    tcg_gen_add_i64(acc, acc, e);                      /* e lives across it */
    tcg_gen_subi_i64(cnt, cnt, 1);
    tcg_gen_br(top);
    gen_set_label(out);
    tcg_gen_mov_i64(h->g64[2], acc);
    harness_run(h);
    g_assert_cmpuint(h->env.r64[2], ==, 3 * (10 * 11 / 2));
    harness_free(h);
}

/* More TB temps than registers, all live around a loop with a helper call inside. */
static void test_loop_pressure(void)
{
    enum { N = 24, ITERS = 5 };
    Harness *h = new_harness();
    TCGHelperInfo clob = info_clobber;
    TCGv_i64 t[N];
    TCGLabel *top;
    uint64_t v[N], acc = 0;

    clob.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64);
    h->env.r64[0] = ITERS;
    h->env.r64[1] = 0x1234;
    harness_begin(h, true);
    top = gen_new_label();
    for (int i = 0; i < N; i++) {
        t[i] = tcg_temp_new_tb_i64();
        tcg_gen_addi_i64(t[i], h->g64[1], i);
        v[i] = 0x1234 + i;
    }
    gen_set_label(top);
    for (int i = 0; i < N; i++) {
        tcg_gen_mul_i64(t[i], t[i], t[(i + 1) % N]);
        tcg_gen_xori_i64(t[i], t[i], i);
    }
    tcg_gen_callN(&clob, tcgv_i64_idx(t[0]), tcg_arg_i64(t[0]));
    tcg_gen_subi_i64(h->g64[0], h->g64[0], 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, h->g64[0], 0, top);
    tcg_gen_movi_i64(h->g64[2], 0);
    for (int i = 0; i < N; i++) {
        tcg_gen_rotli_i64(h->g64[2], h->g64[2], 9);
        tcg_gen_add_i64(h->g64[2], h->g64[2], t[i]);
    }
    for (int it = 0; it < ITERS; it++) {
        for (int i = 0; i < N; i++) {
            v[i] = (v[i] * v[(i + 1) % N]) ^ (uint64_t)i;
        }
        v[0] += 1;
    }
    for (int i = 0; i < N; i++) {
        acc = (acc << 9 | acc >> 55) + v[i];
    }
    clobber_count = 0;
    harness_run(h);
    g_assert_cmpuint(clobber_count, ==, ITERS);
    g_assert_cmphex(h->env.r64[2], ==, acc);
    g_assert_cmpuint(h->env.r64[0], ==, 0);
    harness_free(h);
}

/* Inputs in the registers division, multiplication and shifts want. */
static void test_fixed_regs(void)
{
    Harness *h = new_harness();
    TCGv_i64 q;
    uint64_t a = 0x123456789abcdefull, b = 0x1234567ull;
    uint32_t x = 0x87654321u, y = 13;

    h->env.r64[0] = a;
    h->env.r64[1] = b;
    h->env.r32[0] = x;
    h->env.r32[1] = y;
    harness_begin(h, false);
    q = tcg_temp_new_i64();
    /* Same temp as dividend and divisor, results feeding each other. */
    tcg_gen_divu_i64(q, h->g64[0], h->g64[1]);
    tcg_gen_remu_i64(h->g64[2], h->g64[0], h->g64[1]);
    tcg_gen_div_i64(h->g64[3], h->g64[0], h->g64[0]);
    tcg_gen_rem_i64(h->g64[4], q, h->g64[1]);
    tcg_gen_mulu2_i64(h->g64[5], h->g64[6], h->g64[0], h->g64[0]);
    tcg_gen_shl_i64(h->g64[7], h->g64[1], h->g64[1]);
    tcg_gen_rotr_i32(h->g32[2], h->g32[0], h->g32[0]);
    tcg_gen_sar_i32(h->g32[3], h->g32[0], h->g32[1]);
    tcg_gen_divu_i32(h->g32[4], h->g32[0], h->g32[1]);
    tcg_gen_rem_i32(h->g32[5], h->g32[0], h->g32[1]);
    tcg_gen_add_i64(h->g64[0], q, h->g64[0]);
    harness_run(h);
    {
        unsigned __int128 p = (unsigned __int128)a * a;

        g_assert_cmphex(h->env.r64[0], ==, a / b + a);
        g_assert_cmphex(h->env.r64[2], ==, a % b);
        g_assert_cmphex(h->env.r64[3], ==, 1);
        g_assert_cmphex(h->env.r64[4], ==, (a / b) % b);
        g_assert_cmphex(h->env.r64[5], ==, (uint64_t)p);
        g_assert_cmphex(h->env.r64[6], ==, (uint64_t)(p >> 64));
        g_assert_cmphex(h->env.r64[7], ==, b << (b & 63));
        g_assert_cmphex(h->env.r32[2], ==, (x >> (x & 31)) | (x << (32 - (x & 31))));
        g_assert_cmphex(h->env.r32[3], ==, (uint32_t)((int32_t)x >> y));
        g_assert_cmphex(h->env.r32[4], ==, x / y);
        g_assert_cmphex(h->env.r32[5], ==, (uint32_t)((int32_t)x % (int32_t)y));
    }
    harness_free(h);
}

/* Chaining: goto_tb jumps to the next instruction until set_jmp_target retargets it. */
static void test_goto_tb(void)
{
    Harness *h = new_harness();
    const void *tb1, *tb2;
    TCGCodeInfo info1;
    uintptr_t ret;

    harness_begin(h, true);
    tcg_gen_addi_i64(h->g64[0], h->g64[0], 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(0x1230);
    g_assert_cmpint(harness_gen(h), >, 0);
    tb1 = h->tc_ptr;
    info1 = h->info;
    g_assert_cmpuint(((uintptr_t)tb1 + info1.jmp_insn_offset[0] + 1) % 4, ==, 0);
    g_assert_cmpuint(info1.jmp_reset_offset[0], ==, info1.jmp_insn_offset[0] + 5);

    harness_begin(h, true);
    tcg_gen_addi_i64(h->g64[0], h->g64[0], 10);
    tcg_gen_exit_tb(0x4560);
    g_assert_cmpint(harness_gen(h), >, 0);
    tb2 = h->tc_ptr;

    h->env.r64[0] = 0;
    ret = harness_exec(h, tb1);
    g_assert_cmphex(ret, ==, 0x1230);
    g_assert_cmpuint(h->env.r64[0], ==, 1);

    h->backend->set_jmp_target((uintptr_t)tb1 + info1.jmp_insn_offset[0], (uintptr_t)tb2);
    ret = harness_exec(h, tb1);
    g_assert_cmphex(ret, ==, 0x4560);
    g_assert_cmpuint(h->env.r64[0], ==, 12);

    h->backend->set_jmp_target((uintptr_t)tb1 + info1.jmp_insn_offset[0],
                               (uintptr_t)tb1 + info1.jmp_reset_offset[0]);
    ret = harness_exec(h, tb1);
    g_assert_cmphex(ret, ==, 0x1230);
    g_assert_cmpuint(h->env.r64[0], ==, 13);
    harness_free(h);
}

/* goto_ptr to the epilogue's return-zero entry leaves generated code. */
static void test_goto_ptr(void)
{
    Harness *h = new_harness();
    uintptr_t ret;

    harness_begin(h, true);
    tcg_gen_movi_i64(h->g64[0], 77);
    tcg_gen_goto_ptr(tcg_constant_i64((uintptr_t)h->backend->epilogue_return_zero(h->s)));
    g_assert_cmpint(harness_gen(h), >, 0);
    ret = harness_exec(h, h->tc_ptr);
    g_assert_cmphex(ret, ==, 0);
    g_assert_cmpuint(h->env.r64[0], ==, 77);
    harness_free(h);
}

/* ---- softmmu ---------------------------------------------------------------- */

#define PAGE_BITS   12
#define PAGE_SIZE   (1u << PAGE_BITS)
#define TLB_ENTRIES 16

static CPUTLBEntry tlb[TLB_ENTRIES];
static Harness *mmu_h;
static unsigned slow_calls;
static uint64_t slow_addr;
static MemOpIdx slow_oi;
static uintptr_t slow_ra;
static uint64_t slow_val;

/*
 * Where a guest address is in the harness's buffer: user mode, at its
 * offset; softmmu, virtual page 0x100 + n is buffer page n (wrapping).
 */
static uint8_t *guest_host(uint64_t addr)
{
    if (!mmu_h->mem.softmmu) {
        return mmu_h->guest + addr;
    }
    return mmu_h->guest + ((addr - (0x100ull << PAGE_BITS)) & (HARNESS_GUEST_SIZE - 1));
}

/* The slow path: a plain guest memory model over the harness's buffer. */
static uint64_t test_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    MemOp mop = get_memop(oi);
    uint64_t v = 0;

    g_assert_true(env == &mmu_h->env);
    slow_calls++;
    slow_addr = addr;
    slow_oi = oi;
    slow_ra = ra;
    memcpy(&v, guest_host(addr), memop_size(mop));
    if (mop & MO_BSWAP) {
        v = __builtin_bswap64(v) >> (64 - 8 * memop_size(mop));
    }
    /* Garbage above the access size: generated code must extend. */
    return memop_size(mop) < 8 ? v | (0xdeadull << 48) : v;
}

static void test_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra)
{
    MemOp mop = get_memop(oi);

    g_assert_true(env == &mmu_h->env);
    slow_calls++;
    slow_addr = addr;
    slow_oi = oi;
    slow_ra = ra;
    slow_val = val;
    if (mop & MO_BSWAP) {
        val = __builtin_bswap64(val) >> (64 - 8 * memop_size(mop));
    }
    memcpy(guest_host(addr), &val, memop_size(mop));
}

/* Guest virtual page v maps to guest buffer page v - 0x100 (a non-trivial addend). */
static void map_page(uint64_t vpage, unsigned bufpage, bool writable)
{
    CPUTLBEntry *ent = &tlb[vpage & (TLB_ENTRIES - 1)];

    ent->addr_read = vpage << PAGE_BITS;
    ent->addr_write = writable ? vpage << PAGE_BITS : (uint64_t)-1;
    ent->addend = (uintptr_t)mmu_h->guest + ((uint64_t)bufpage << PAGE_BITS) - (vpage << PAGE_BITS);
}

static Harness *new_softmmu(void)
{
    Harness *h = new_harness();

    mmu_h = h;
    memset(tlb, 0xff, sizeof(tlb));
    h->mem.softmmu = true;
    h->mem.guest_base = 0;
    h->mem.page_bits = PAGE_BITS;
    h->mem.tlb_fast_offset = offsetof(HarnessEnv, tlb_fast);
    h->mem.tlb_fast_stride = sizeof(HarnessTLBFast);
    h->mem.tlb_entry_bits = CPU_TLB_ENTRY_BITS;
    h->mem.tlb_addr_read_offset = offsetof(CPUTLBEntry, addr_read);
    h->mem.tlb_addr_write_offset = offsetof(CPUTLBEntry, addr_write);
    h->mem.tlb_addend_offset = offsetof(CPUTLBEntry, addend);
    h->mem.slow_ld = test_slow_ld;
    h->mem.slow_st = test_slow_st;
    h->env.tlb_fast[1].mask = (TLB_ENTRIES - 1) << CPU_TLB_ENTRY_BITS;
    h->env.tlb_fast[1].table = tlb;
    /* MMU index 0 has an empty table: everything misses. */
    h->env.tlb_fast[0].mask = 0;
    h->env.tlb_fast[0].table = tlb + TLB_ENTRIES - 1;
    return h;
}

typedef struct MemCase {
    MemOp mop;
    uint64_t vaddr; /* guest virtual */
    bool hit;
} MemCase;

/*
 * Load through the fast path (or the stub), with values live in every
 * caller-saved register across it, then store the value back swapped.
 */
static void run_mem_case(const MemCase *c, bool i32)
{
    Harness *h = new_softmmu();
    unsigned size = memop_size(c->mop);
    uint64_t raw = 0, expect;
    TCGv_i64 live[12];
    uint64_t live_sum = 0;

    map_page(0x100, 0, true);
    map_page(0x101, 1, true);
    map_page(0x102, 2, false);
    for (unsigned i = 0; i < HARNESS_GUEST_SIZE; i++) {
        h->guest[i] = (uint8_t)(i * 7 + 3);
    }
    memcpy(&raw, guest_host(c->vaddr), size);
    if (c->mop & MO_BSWAP) {
        raw = __builtin_bswap64(raw) >> (64 - 8 * size);
    }
    if (c->mop & MO_SIGN) {
        expect = (uint64_t)((int64_t)(raw << (64 - 8 * size)) >> (64 - 8 * size));
    } else {
        expect = raw;
    }
    if (i32) {
        expect = (uint32_t)expect;
    }

    h->env.r64[0] = c->vaddr;
    for (int i = 1; i < 8; i++) {
        h->env.r64[i] = mix(i);
    }
    harness_begin(h, false);
    tcg_gen_insn_start(0x1000, 0);
    for (int i = 0; i < 12; i++) {
        live[i] = tcg_temp_new_i64();
        tcg_gen_addi_i64(live[i], h->g64[1 + i % 7], i);
        live_sum += h->env.r64[1 + i % 7] + i;
    }
    tcg_gen_insn_start(0x1004, 0);
    if (i32) {
        tcg_gen_qemu_ld_i32(h->g32[0], h->g64[0], 1, c->mop);
    } else {
        tcg_gen_qemu_ld_i64(h->g64[1], h->g64[0], 1, c->mop);
    }
    tcg_gen_insn_start(0x1008, 0);
    tcg_gen_movi_i64(h->g64[2], 0);
    for (int i = 0; i < 12; i++) {
        tcg_gen_add_i64(h->g64[2], h->g64[2], live[i]);
    }
    slow_calls = 0;
    harness_run(h);
    if (i32) {
        g_assert_cmphex(h->env.r32[0], ==, expect);
    } else {
        g_assert_cmphex(h->env.r64[1], ==, expect);
    }
    g_assert_cmphex(h->env.r64[2], ==, live_sum);
    g_assert_cmpuint(slow_calls, ==, c->hit ? 0 : 1);
    if (!c->hit) {
        uintptr_t ofs = slow_ra - (uintptr_t)h->tc_ptr;

        g_assert_cmphex(slow_addr, ==, c->vaddr);
        g_assert_cmphex(slow_oi, ==, make_memop_idx(c->mop, 1));
        /* retaddr lies inside the code of guest instruction 1 (the load). */
        g_assert_cmpuint(h->info.nb_insns, ==, 3);
        g_assert_cmpuint(ofs, >, h->info.insn_end_offset[0]);
        g_assert_cmpuint(ofs, <=, h->info.insn_end_offset[1]);
    }
    harness_free(h);
}

static void test_softmmu_loads(void)
{
    static const MemCase cases[] = {
        {MO_UB, 0x100123, true},
        {MO_SB, 0x100083, true},
        {MO_LEUW, 0x100ffe, true},
        {MO_LESW, 0x101005, true}, /* unaligned, allowed, same page */
        {MO_BEUW, 0x100200, true},
        {MO_BE | MO_SW | MO_ALIGN, 0x100202, true},
        {MO_LEUL, 0x100ffc, true},
        {MO_LESL, 0x101f01, true},
        {MO_BEUL, 0x102010, true}, /* read-only page reads fine */
        {MO_BE | MO_SL, 0x100004, true},
        {MO_LEUQ, 0x100ff8, true},
        {MO_BEUQ, 0x101008, true},
        {MO_LEUQ, 0x100ffc, false},            /* crosses into the next page */
        {MO_LEUL | MO_ALIGN, 0x100102, false}, /* misaligned */
        {MO_LEUW, 0x100fff, false},            /* crosses */
        {MO_UB, 0x103000, false},              /* not mapped */
        {MO_BEUQ, 0x110008, false},            /* same index as page 0x100: tag mismatch */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        run_mem_case(&cases[i], false);
        if ((cases[i].mop & MO_SIZE) != MO_64) {
            run_mem_case(&cases[i], true);
        }
    }
}

static void test_softmmu_stores(void)
{
    static const struct {
        MemOp mop;
        uint64_t vaddr;
        bool hit;
    } cases[] = {
        {MO_UB, 0x100010, true},
        {MO_LEUW, 0x100020, true},
        {MO_BEUW, 0x100031, true},
        {MO_LEUL, 0x100040, true},
        {MO_BEUL, 0x100050, true},
        {MO_LEUQ, 0x100060, true},
        {MO_BEUQ, 0x100078, true},
        {MO_LEUL, 0x102040, false}, /* read-only page */
        {MO_BEUQ, 0x100ffd, false}, /* crosses */
        {MO_LEUW | MO_ALIGN, 0x100101, false},
    };
    uint64_t val = 0x1122334455667788ull;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Harness *h = new_softmmu();
        unsigned size = memop_size(cases[i].mop);
        uint64_t got = 0, want = val & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);

        map_page(0x100, 0, true);
        map_page(0x101, 1, true);
        map_page(0x102, 2, false);
        h->env.r64[0] = cases[i].vaddr;
        h->env.r64[1] = val;
        harness_begin(h, false);
        tcg_gen_insn_start(0x2000, 0);
        tcg_gen_qemu_st_i64(h->g64[1], h->g64[0], 1, cases[i].mop);
        /* The value register must be intact after a swapped store. */
        tcg_gen_mov_i64(h->g64[2], h->g64[1]);
        slow_calls = 0;
        harness_run(h);
        memcpy(&got, guest_host(cases[i].vaddr), size);
        if (cases[i].mop & MO_BSWAP) {
            got = __builtin_bswap64(got) >> (64 - 8 * size);
        }
        g_assert_cmphex(got, ==, want);
        g_assert_cmphex(h->env.r64[2], ==, val);
        g_assert_cmpuint(slow_calls, ==, cases[i].hit ? 0 : 1);
        harness_free(h);
    }
}

/* MMU index 0's table is empty: every access goes to the slow path. */
static void test_softmmu_all_miss(void)
{
    Harness *h = new_softmmu();
    TCGv_i64 a;

    memcpy(h->guest + 0x40, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    h->env.r64[0] = 0x100040;
    harness_begin(h, false);
    a = tcg_temp_new_i64();
    tcg_gen_qemu_ld_i64(a, h->g64[0], 0, MO_LEUQ);
    tcg_gen_qemu_st_i64(a, h->g64[0], 0, MO_BEUQ);
    tcg_gen_qemu_ld_i64(h->g64[1], h->g64[0], 0, MO_LEUQ);
    tcg_gen_qemu_ld_i64(h->g64[2], h->g64[0], 0, MO_SB);
    slow_calls = 0;
    harness_run(h);
    g_assert_cmpuint(slow_calls, ==, 4);
    g_assert_cmphex(h->env.r64[1], ==, 0x0102030405060708ull);
    g_assert_cmphex(h->env.r64[2], ==, 8);
    harness_free(h);
}

/* ---- user mode ------------------------------------------------------------------ */

static void test_user_align(void)
{
    Harness *h = new_harness();

    mmu_h = h;
    h->mem.slow_ld = test_slow_ld;
    h->mem.slow_st = test_slow_st;
    memcpy(h->guest + 0x100, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
    h->env.r64[0] = 0x102;
    harness_begin(h, false);
    tcg_gen_qemu_ld_i64(h->g64[1], h->g64[0], 0, MO_LEUW | MO_ALIGN); /* aligned: inline */
    tcg_gen_qemu_ld_i64(h->g64[2], h->g64[0], 0, MO_LEUL | MO_ALIGN); /* misaligned: slow */
    tcg_gen_qemu_ld_i64(h->g64[3], h->g64[0], 0, MO_BEUL);            /* unaligned ok */
    tcg_gen_qemu_st_i32(h->g32[0], h->g64[0], 0, MO_LEUL | MO_ALIGN); /* slow */
    h->env.r32[0] = 0xaabbccdd;
    slow_calls = 0;
    harness_run(h);
    g_assert_cmpuint(slow_calls, ==, 2);
    g_assert_cmphex(h->env.r64[1], ==, 0x4433);
    g_assert_cmphex(h->env.r64[2], ==, 0x66554433);
    g_assert_cmphex(h->env.r64[3], ==, 0x33445566);
    g_assert_cmphex(slow_val & 0xffffffff, ==, 0xaabbccdd);
    g_assert_cmpmem(h->guest + 0x102, 4, "\xdd\xcc\xbb\xaa", 4);
    harness_free(h);
}

/* ---- code info ----------------------------------------------------------------- */

static uintptr_t seen_ra;

static void helper_ra(void)
{
    seen_ra = GETPC();
}

static void test_insn_end(void)
{
    Harness *h = new_harness();
    TCGHelperInfo ra = {
        .func = (void *)helper_ra,
        .name = "ra",
        .flags = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
        .typemask = 0, /* void (void) */
    };
    uintptr_t ofs;
    unsigned found = 99;

    harness_begin(h, false);
    for (unsigned i = 0; i < 5; i++) {
        tcg_gen_insn_start(0x100 + 4 * i, i);
        tcg_gen_addi_i64(h->g64[i], h->g64[i], i);
        if (i == 3) {
            tcg_gen_call(&ra, -1, 0, NULL);
            tcg_gen_addi_i64(h->g64[0], h->g64[0], 1);
        }
    }
    harness_run(h);
    g_assert_cmpuint(h->info.nb_insns, ==, 5);
    for (unsigned i = 0; i < 5; i++) {
        g_assert_cmphex(h->info.insn_data[i][0], ==, 0x100 + 4 * i);
        if (i) {
            g_assert_cmpuint(h->info.insn_end_offset[i], >=, h->info.insn_end_offset[i - 1]);
        }
    }
    g_assert_cmpuint(h->info.insn_end_offset[4], <=, (unsigned)h->code_size);
    ofs = seen_ra - (uintptr_t)h->tc_ptr;
    for (unsigned i = 0; i < 5; i++) {
        if (h->info.insn_end_offset[i] > ofs) {
            found = i;
            break;
        }
    }
    g_assert_cmpuint(found, ==, 3);
    harness_free(h);
}

/*
 * Filling the code buffer: generation stops with -1 (or the buffer reads
 * full) without writing past its end, and works again after a reset.
 */
static void test_buffer_full(void)
{
    Harness *h = new_harness();
    TCGContext *s = h->s;
    int ret = 0, tbs = 0;

    tcg_ctx = s;
    while (!tcg_code_buffer_full(s)) {
        tcg_func_start(s);
        for (int i = 0; i < 2000; i++) {
            tcg_gen_muli_i64(h->g64[i % 8], h->g64[(i + 1) % 8], i + 3);
        }
        tcg_gen_exit_tb(0);
        ret = tcg_gen_code(s, &h->info);
        g_assert_true(s->code_ptr <= s->code_buf + s->code_buf_size);
        if (ret < 0) {
            break;
        }
        tbs++;
    }
    g_assert_true(ret == -1 || tcg_code_buffer_full(s));
    g_assert_cmpint(tbs, >, 10);

    tcg_code_buffer_reset(s);
    harness_begin(h, false);
    tcg_gen_movi_i64(h->g64[0], 42);
    harness_run(h);
    g_assert_cmpuint(h->env.r64[0], ==, 42);
    harness_free(h);
}

static void run_case(gconstpointer data)
{
    const uintptr_t *d = data;

    no_features = d[1] != 0;
    ((void (*)(void))d[0])();
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        {"pressure", test_pressure},
        {"calls", test_calls},
        {"call-globals", test_call_globals},
        {"labels", test_labels},
        {"loop-pressure", test_loop_pressure},
        {"fixed-regs", test_fixed_regs},
        {"goto-tb", test_goto_tb},
        {"goto-ptr", test_goto_ptr},
        {"softmmu-loads", test_softmmu_loads},
        {"softmmu-stores", test_softmmu_stores},
        {"softmmu-all-miss", test_softmmu_all_miss},
        {"user-align", test_user_align},
        {"insn-end", test_insn_end},
        {"buffer-full", test_buffer_full},
    };
    static uintptr_t data[G_N_ELEMENTS(cases) * 2][2];

    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (int nf = 0; nf < 2; nf++) {
            char *path =
                g_strdup_printf("/tcg-x86/%s/%s", nf ? "no-features" : "host", cases[i].name);

            data[2 * i + nf][0] = (uintptr_t)cases[i].fn;
            data[2 * i + nf][1] = (uintptr_t)nf;
            g_test_add_data_func(path, data[2 * i + nf], run_case);
            g_free(path);
        }
    }
    return g_test_run();
}
