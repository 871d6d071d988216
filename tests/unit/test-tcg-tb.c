/*
 * Unit tests of what the IR does beyond computing values, on every
 * registered backend: guest loads and stores of every size, sign and byte
 * order (user mode, and the softmmu TLB fast path against its slow path,
 * with the return address a fault would use), helper calls (argument
 * extension, seven arguments, results, globals synced before and reloaded
 * after, GETPC), branches and loops over globals and TB temps, the TB exits
 * (goto_tb chaining and unchaining, goto_ptr, exit_tb), the code buffer
 * limits, the backend list and the op dump.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "exec/cpu.h"
#include "tcg-harness.h"

#define I32    TCG_TYPE_I32
#define I64    TCG_TYPE_I64
#define check  harness_check
#define report harness_report

static uint64_t get_g(Harness *h, TCGType t, unsigned i)
{
    return t == I32 ? h->env.r32[i] : h->env.r64[i];
}

static uint64_t mask_of(TCGType t)
{
    return t == I32 ? 0xffffffffull : UINT64_MAX;
}

/* Sign-extend the low `bits` bits. */
static int64_t sx(uint64_t v, unsigned bits)
{
    if (bits == 64) {
        return (int64_t)v;
    }
    v &= (1ull << bits) - 1;
    return (v >> (bits - 1)) ? (int64_t)(v | (~0ull << bits)) : (int64_t)v;
}

static const char *type_name(TCGType t)
{
    return t == I32 ? "i32" : "i64";
}

/* ---- guest memory ------------------------------------------------------------ */

static uint64_t ref_guest_load(const uint8_t *p, MemOp mop)
{
    unsigned size = 1u << (mop & MO_SIZE);
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        unsigned byte = (mop & MO_BSWAP) ? i : size - 1 - i;

        v = (v << 8) | p[byte];
    }
    if (mop & MO_SIGN) {
        v = (uint64_t)sx(v, 8 * size);
    }
    return v;
}

static void ref_guest_store(uint8_t *p, uint64_t v, MemOp mop)
{
    unsigned size = 1u << (mop & MO_SIZE);

    for (unsigned i = 0; i < size; i++) {
        unsigned byte = (mop & MO_BSWAP) ? size - 1 - i : i;

        p[byte] = (uint8_t)(v >> (8 * i));
    }
}

static void test_guest_ldst_user(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    char what[128];

    for (int opt = 0; opt < 2; opt++) {
        for (TCGType t = I32; t <= I64; t++) {
            for (unsigned size = MO_8; size <= MO_64; size++) {
                if (t == I32 && size == MO_64) {
                    continue;
                }
                for (unsigned variant = 0; variant < 4; variant++) {
                    MemOp mop = (MemOp)(size | ((variant & 1) ? MO_SIGN : 0) |
                                        ((variant & 2) ? MO_BE : MO_LE));

                    for (unsigned addr = 0x100; addr < 0x100 + 9; addr += 3) {
                        uint8_t expect_mem[16];
                        uint64_t val = 0x8899aabbccddeeffull ^ (addr * 0x0101010101010101ull);
                        uint64_t exp;

                        for (unsigned i = 0; i < HARNESS_GUEST_SIZE; i++) {
                            h->guest[i] = (uint8_t)(i * 37 + 0x80);
                        }
                        exp = ref_guest_load(h->guest + addr, mop) & mask_of(t);
                        harness_begin(h, opt);
                        h->env.r64[1] = addr;
                        h->env.r64[2] = val;
                        h->env.r32[2] = (uint32_t)val;
                        if (t == I32) {
                            tcg_gen_qemu_ld_i32(h->g32[0], h->g64[1], 0, mop);
                            tcg_gen_qemu_st_i32(h->g32[2], h->g64[1], 0, mop);
                        } else {
                            tcg_gen_qemu_ld_i64(h->g64[0], h->g64[1], 0, mop);
                            tcg_gen_qemu_st_i64(h->g64[2], h->g64[1], 0, mop);
                        }
                        /* The same with a constant address. */
                        if (t == I32) {
                            tcg_gen_qemu_st_i32(h->g32[2], tcg_constant_i64(addr + 0x1000), 0, mop);
                        } else {
                            tcg_gen_qemu_st_i64(h->g64[2], tcg_constant_i64(addr + 0x1000), 0, mop);
                        }
                        harness_run(h);
                        snprintf(what, sizeof(what), "qemu_ld %s memop 0x%x addr 0x%x opt=%d",
                                 type_name(t), mop, addr, opt);
                        check(h, what, get_g(h, t, 0), exp);
                        memcpy(expect_mem, h->guest + addr, 16);
                        ref_guest_store(expect_mem, val, mop);
                        snprintf(what, sizeof(what), "qemu_st %s memop 0x%x addr 0x%x opt=%d",
                                 type_name(t), mop, addr, opt);
                        for (unsigned i = 0; i < 16; i++) {
                            check(h, what, h->guest[addr + i], expect_mem[i]);
                        }
                        memcpy(expect_mem, h->guest + addr + 0x1000, 16);
                        ref_guest_store(expect_mem, val, mop);
                        for (unsigned i = 0; i < 16; i++) {
                            check(h, what, h->guest[addr + 0x1000 + i], expect_mem[i]);
                        }
                    }
                }
            }
        }
    }
    report(h, "guest_ldst_user");
    harness_free(h);
}

/* A fake softmmu TLB: 4 entries per MMU index, 4 KiB pages. */
typedef struct FakeTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} FakeTLBEntry;

typedef struct SlowLog {
    unsigned nb_ld, nb_st;
    uint64_t addr;
    MemOpIdx oi;
    uintptr_t retaddr;
    uint64_t st_val;
    void *env;
} SlowLog;

static SlowLog slow_log;

static uint64_t fake_slow_ld(void *env, uint64_t addr, MemOpIdx oi, uintptr_t retaddr)
{
    slow_log.nb_ld++;
    slow_log.addr = addr;
    slow_log.oi = oi;
    slow_log.retaddr = retaddr;
    slow_log.env = env;
    /* Zero-extended, as the contract says: generated code sign-extends. */
    return 0xf1f2f3f4f5f6f7f8ull &
           (memop_size(get_memop(oi)) == 8 ? UINT64_MAX
                                           : (1ull << (8 * memop_size(get_memop(oi)))) - 1);
}

static void fake_slow_st(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t retaddr)
{
    slow_log.nb_st++;
    slow_log.addr = addr;
    slow_log.oi = oi;
    slow_log.retaddr = retaddr;
    slow_log.st_val = val;
    slow_log.env = env;
}

/* The guest instruction a return address belongs to, as accel/tcg finds it. */
static int insn_of_retaddr(Harness *h, uintptr_t ra)
{
    uintptr_t off = ra - 1 - (uintptr_t)h->tc_ptr;

    for (unsigned i = 0; i < h->info.nb_insns; i++) {
        if (h->info.insn_end_offset[i] > off) {
            return (int)i;
        }
    }
    return -1;
}

static void test_guest_ldst_softmmu(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    static FakeTLBEntry table[2][4];
    char what[128];

    h->mem.softmmu = true;
    h->mem.guest_base = 0;
    h->mem.page_bits = 12;
    h->mem.tlb_fast_offset = offsetof(HarnessEnv, tlb_fast);
    h->mem.tlb_fast_stride = sizeof(HarnessTLBFast);
    h->mem.tlb_entry_bits = 5;
    h->mem.tlb_addr_read_offset = offsetof(FakeTLBEntry, addr_read);
    h->mem.tlb_addr_write_offset = offsetof(FakeTLBEntry, addr_write);
    h->mem.tlb_addend_offset = offsetof(FakeTLBEntry, addend);
    h->mem.slow_ld = fake_slow_ld;
    h->mem.slow_st = fake_slow_st;
    G_STATIC_ASSERT(sizeof(FakeTLBEntry) == 32);

    for (unsigned m = 0; m < 2; m++) {
        for (unsigned i = 0; i < 4; i++) {
            table[m][i].addr_read = table[m][i].addr_write = UINT64_MAX;
        }
        h->env.tlb_fast[m].mask = 3 << 5;
        h->env.tlb_fast[m].table = table[m];
    }
    /* MMU index 1 maps guest page 0x5000 (entry 1) to the guest buffer's page 1. */
    table[1][1].addr_read = 0x5000;
    table[1][1].addr_write = 0x5000 | TLB_NOTDIRTY; /* writes go slow */
    table[1][1].addend = (uintptr_t)h->guest + 0x1000 - 0x5000;
    /* And page 0x6000 (entry 2) read-write. */
    table[1][2].addr_read = 0x6000;
    table[1][2].addr_write = 0x6000;
    table[1][2].addend = (uintptr_t)h->guest + 0x2000 - 0x6000;

    for (unsigned i = 0; i < HARNESS_GUEST_SIZE; i++) {
        h->guest[i] = (uint8_t)(i * 13 + 1);
    }

    struct {
        uint64_t addr;
        unsigned mmu;
        MemOp mop;
        bool is_store;
        bool slow;
    } cases[] = {
        {0x5010, 1, MO_LEUQ, false, false},            /* hit */
        {0x5011, 1, MO_LESL, false, false},            /* unaligned allowed: hit */
        {0x5011, 1, MO_LESL | MO_ALIGN, false, true},  /* misaligned MO_ALIGN: slow */
        {0x5010, 1, MO_BEUL | MO_ALIGN, false, false}, /* aligned: hit */
        {0x5ffc, 1, MO_LEUQ, false, true},             /* crosses the page: slow */
        {0x5ffc, 1, MO_LEUL, false, false},            /* ends on the page: hit */
        {0x5010, 0, MO_LEUQ, false, true},             /* other MMU index: miss */
        {0x7010, 1, MO_UB, false, true},               /* no entry: miss */
        {0x5010, 1, MO_SW, false, false},
        {0x5020, 1, MO_LEUL, true, true},  /* NOTDIRTY: store slow */
        {0x6020, 1, MO_LEUL, true, false}, /* store hit */
        {0x6021, 1, MO_BEUW, true, false},
        {0x6021, 1, MO_BEUW | MO_ALIGN, true, true},
        {0x6ffe, 1, MO_LEUL, true, true}, /* crosses: slow */
        {0x6100, 1, MO_LESW, false, false},
        {0x6100, 1, MO_SB, false, false},
    };

    for (int opt = 0; opt < 2; opt++) {
        for (unsigned c = 0; c < G_N_ELEMENTS(cases); c++) {
            uint64_t addr = cases[c].addr;
            MemOp mop = cases[c].mop;
            MemOpIdx oi = make_memop_idx(mop, cases[c].mmu);
            uint64_t exp;

            memset(&slow_log, 0, sizeof(slow_log));
            harness_begin(h, opt);
            h->env.r64[1] = addr;
            h->env.r64[2] = 0x0123456789abcdefull;
            tcg_gen_insn_start(0x1000, 0);
            tcg_gen_movi_i64(h->g64[3], 7);
            tcg_gen_insn_start(0x1004, 0);
            if (cases[c].is_store) {
                tcg_gen_qemu_st_i64(h->g64[2], h->g64[1], cases[c].mmu, mop);
            } else {
                tcg_gen_qemu_ld_i64(h->g64[0], h->g64[1], cases[c].mmu, mop);
            }
            tcg_gen_insn_start(0x1008, 0);
            tcg_gen_addi_i64(h->g64[3], h->g64[3], 1);
            harness_run(h);
            snprintf(what, sizeof(what), "softmmu case %u opt=%d", c, opt);
            check(h, what, h->env.r64[3], 8);
            if (cases[c].slow) {
                check(h, what, cases[c].is_store ? slow_log.nb_st : slow_log.nb_ld, 1);
                check(h, what, slow_log.addr, addr);
                check(h, what, slow_log.oi, oi);
                check(h, what, (uintptr_t)slow_log.env, (uintptr_t)&h->env);
                /* The fault would be reported at the second instruction. */
                check(h, what, insn_of_retaddr(h, slow_log.retaddr), 1);
                if (cases[c].is_store) {
                    check(h, what,
                          slow_log.st_val &
                              ((memop_size(mop) == 8) ? UINT64_MAX
                                                      : (1ull << (8 * memop_size(mop))) - 1),
                          0x0123456789abcdefull &
                              ((memop_size(mop) == 8) ? UINT64_MAX
                                                      : (1ull << (8 * memop_size(mop))) - 1));
                } else {
                    exp = fake_slow_ld(NULL, addr, oi, 0);
                    slow_log.nb_ld--;
                    if (mop & MO_SIGN) {
                        exp = (uint64_t)sx(exp, 8 * memop_size(mop));
                    }
                    check(h, what, h->env.r64[0], exp);
                }
            } else {
                uint8_t *host = h->guest + (addr & 0xfff) + ((addr >> 12) - 4) * 0x1000;

                check(h, what, slow_log.nb_ld + slow_log.nb_st, 0);
                if (cases[c].is_store) {
                    uint8_t e[8];

                    ref_guest_store(e, 0x0123456789abcdefull, mop);
                    for (unsigned i = 0; i < memop_size(mop); i++) {
                        check(h, what, host[i], e[i]);
                    }
                } else {
                    check(h, what, h->env.r64[0], ref_guest_load(host, mop));
                }
            }
        }
    }
    report(h, "guest_ldst_softmmu");
    harness_free(h);
}

/* ---- helper calls ------------------------------------------------------------- */

static uint64_t helper_add3(uint64_t a, uint64_t b, uint64_t c)
{
    return a + b + c;
}

static int64_t helper_ext(uint32_t a, int32_t b)
{
    return (int64_t)a * 3 + (int64_t)b;
}

static uint64_t helper_seven(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f,
                             uint64_t g)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g;
}

static uint32_t helper_ret_u32(uint64_t a)
{
    return (uint32_t)(a >> 8);
}

static int32_t helper_ret_s32(int32_t a)
{
    return -a;
}

/* Reads r64[6] from env and writes r64[5] and r64[7]: globals must be synced and reloaded. */
static void helper_env(void *env, uint64_t v)
{
    HarnessEnv *e = env;

    e->r64[7] = e->r64[6] * 10;
    e->r64[5] = v;
}

static uintptr_t helper_pc_seen;

static void helper_getpc(void)
{
    helper_pc_seen = GETPC();
}

static const TCGHelperInfo info_add3 = {
    .func = (void *)helper_add3,
    .name = "add3",
    .flags = TCG_CALL_PURE,
};
static const TCGHelperInfo info_ext = {.func = (void *)helper_ext, .name = "ext"};
static const TCGHelperInfo info_seven = {.func = (void *)helper_seven, .name = "seven"};
static const TCGHelperInfo info_ret_u32 = {.func = (void *)helper_ret_u32, .name = "ret_u32"};
static const TCGHelperInfo info_ret_s32 = {.func = (void *)helper_ret_s32, .name = "ret_s32"};
static const TCGHelperInfo info_env = {.func = (void *)helper_env, .name = "env"};
static const TCGHelperInfo info_getpc = {.func = (void *)helper_getpc, .name = "getpc"};

static void test_calls(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    TCGHelperInfo add3 = info_add3, ext = info_ext, seven = info_seven, ru = info_ret_u32;
    TCGHelperInfo rs = info_ret_s32, envh = info_env, getpc = info_getpc;

    add3.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64,
                                      TCG_CALL_TYPE_I64);
    ext.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I32, TCG_CALL_TYPE_S32);
    seven.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64,
                                       TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64,
                                       TCG_CALL_TYPE_I64, TCG_CALL_TYPE_I64);
    ru.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_I32, TCG_CALL_TYPE_I64);
    rs.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_S32, TCG_CALL_TYPE_S32);
    envh.typemask = TCG_CALL_TYPEMASK(TCG_CALL_TYPE_VOID, TCG_CALL_TYPE_PTR, TCG_CALL_TYPE_I64);
    getpc.typemask = tcg_call_typemask_(TCG_CALL_TYPE_VOID, (int[]){-1});

    for (int opt = 0; opt < 2; opt++) {
        harness_begin(h, opt);
        h->env.r64[1] = 0x1000000000ull;
        h->env.r64[2] = 0x22;
        h->env.r32[1] = 0xfffffffe;   /* as uint32: 4294967294 */
        h->env.r32[2] = (uint32_t)-5; /* as int32: -5 */
        h->env.r64[6] = 0;
        tcg_gen_callN(&add3, tcgv_i64_idx(h->g64[0]), tcg_arg_i64(h->g64[1]),
                      tcg_arg_i64(h->g64[2]), tcg_arg_i64(tcg_constant_i64(-1)));
        tcg_gen_callN(&ext, tcgv_i64_idx(h->g64[3]), tcg_arg_i32(h->g32[1]),
                      tcg_arg_i32(h->g32[2]));
        tcg_gen_callN(&seven, tcgv_i64_idx(h->g64[4]), tcg_arg_i64(h->g64[1]),
                      tcg_arg_i64(h->g64[2]), tcg_arg_i64(tcg_constant_i64(3)),
                      tcg_arg_i64(tcg_constant_i64(4)), tcg_arg_i64(tcg_constant_i64(5)),
                      tcg_arg_i64(tcg_constant_i64(6)), tcg_arg_i64(tcg_constant_i64(7)));
        tcg_gen_callN(&ru, tcgv_i32_idx(h->g32[3]), tcg_arg_i64(h->g64[1]));
        tcg_gen_callN(&rs, tcgv_i32_idx(h->g32[4]), tcg_arg_i32(h->g32[2]));
        /* A global written just before the call is seen by the helper... */
        tcg_gen_movi_i64(h->g64[6], 42);
        tcg_gen_movi_i64(h->g64[5], 1);
        tcg_gen_callN(&envh, -1, tcg_arg_i64(tcg_env()), tcg_arg_i64(h->g64[2]));
        /* ...and globals the helper wrote are seen after it. */
        tcg_gen_addi_i64(h->g64[5], h->g64[5], 1);
        tcg_gen_addi_i64(h->g64[7], h->g64[7], 1);
        harness_run(h);
        check(h, "add3", h->env.r64[0], 0x1000000000ull + 0x22 - 1);
        check(h, "ext", h->env.r64[3], (uint64_t)(4294967294ll * 3 - 5));
        check(h, "seven", h->env.r64[4], 0x1000000000ull + 2 * 0x22 + 9 + 16 + 25 + 36 + 49);
        check(h, "ret_u32", h->env.r32[3], 0x10000000);
        check(h, "ret_s32", h->env.r32[4], 5);
        check(h, "env write", h->env.r64[5], 0x23);
        check(h, "env read", h->env.r64[7], 421);

        /* GETPC inside a helper identifies the calling guest instruction. */
        harness_begin(h, opt);
        helper_pc_seen = 0;
        tcg_gen_insn_start(0x2000, 0);
        tcg_gen_movi_i64(h->g64[0], 1);
        tcg_gen_insn_start(0x2004, 0);
        tcg_gen_movi_i64(h->g64[0], 2);
        tcg_gen_insn_start(0x2008, 0);
        tcg_gen_call(&getpc, -1, 0, NULL);
        tcg_gen_insn_start(0x200c, 0);
        tcg_gen_movi_i64(h->g64[0], 3);
        harness_run(h);
        g_assert_cmpuint(h->info.nb_insns, ==, 4);
        g_assert_cmpuint(h->info.insn_data[2][0], ==, 0x2008);
        check(h, "getpc insn", insn_of_retaddr(h, helper_pc_seen), 2);
        for (unsigned i = 1; i < h->info.nb_insns; i++) {
            g_assert_cmpuint(h->info.insn_end_offset[i - 1], <=, h->info.insn_end_offset[i]);
        }
        g_assert_cmpuint(h->info.insn_end_offset[3], <=, (unsigned)h->code_size);
        /* Outside generated code GETPC falls back to the real return address. */
        g_assert_cmpuint(tcg_interp_retaddr, ==, 0);
    }
    report(h, "calls");
    harness_free(h);
}

/* ---- branches and loops ---------------------------------------------------------- */

static void test_branches(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);

    for (int opt = 0; opt < 2; opt++) {
        for (uint64_t n = 0; n < 40; n += 13) {
            /* acc = sum 1..n with a TB temp counter and a backward branch. */
            TCGv_i64 i, acc;
            TCGLabel *top, *out;

            harness_begin(h, opt);
            h->env.r64[1] = n;
            i = tcg_temp_new_tb_i64();
            acc = tcg_temp_new_tb_i64();
            top = gen_new_label();
            out = gen_new_label();
            tcg_gen_mov_i64(i, h->g64[1]);
            tcg_gen_movi_i64(acc, 0);
            tcg_gen_brcondi_i64(TCG_COND_EQ, i, 0, out);
            gen_set_label(top);
            tcg_gen_add_i64(acc, acc, i);
            tcg_gen_subi_i64(i, i, 1);
            tcg_gen_brcondi_i64(TCG_COND_NE, i, 0, top);
            gen_set_label(out);
            tcg_gen_mov_i64(h->g64[0], acc);
            harness_run(h);
            check(h, "loop sum", h->env.r64[0], n * (n + 1) / 2);
        }

        /* The same loop on a global counter, and an i32 one. */
        harness_begin(h, opt);
        {
            TCGLabel *top = gen_new_label();

            h->env.r64[2] = 10;
            h->env.r32[2] = 0;
            tcg_gen_movi_i64(h->g64[0], 0);
            gen_set_label(top);
            tcg_gen_add_i64(h->g64[0], h->g64[0], h->g64[2]);
            tcg_gen_addi_i32(h->g32[2], h->g32[2], 3);
            tcg_gen_subi_i64(h->g64[2], h->g64[2], 1);
            tcg_gen_brcondi_i64(TCG_COND_GTU, h->g64[2], 0, top);
        }
        harness_run(h);
        check(h, "global loop", h->env.r64[0], 55);
        check(h, "global loop i32", h->env.r32[2], 30);

        /* if/else, and an EBB temp living along a brcond fall-through. */
        for (uint64_t c = 0; c < 2; c++) {
            TCGLabel *els, *end;
            TCGv_i64 t;

            harness_begin(h, opt);
            els = gen_new_label();
            end = gen_new_label();
            h->env.r64[1] = c;
            h->env.r64[2] = 100;
            t = tcg_temp_new_i64();
            tcg_gen_addi_i64(t, h->g64[2], 5);
            tcg_gen_brcondi_i64(TCG_COND_EQ, h->g64[1], 0, els);
            tcg_gen_add_i64(h->g64[0], t, t);
            tcg_gen_br(end);
            gen_set_label(els);
            tcg_gen_movi_i64(h->g64[0], 7);
            gen_set_label(end);
            harness_run(h);
            check(h, "if/else", h->env.r64[0], c ? 210 : 7);
        }

        /* A branch on constants, folded or not. */
        harness_begin(h, opt);
        {
            TCGLabel *l = gen_new_label();

            tcg_gen_movi_i64(h->g64[0], 1);
            tcg_gen_brcond_i64(TCG_COND_LT, tcg_constant_i64(-1), tcg_constant_i64(0), l);
            tcg_gen_movi_i64(h->g64[0], 2);
            gen_set_label(l);
        }
        harness_run(h);
        check(h, "const branch", h->env.r64[0], 1);

        /* mb and discard are accepted and change nothing visible. */
        harness_begin(h, opt);
        {
            TCGv_i64 t = tcg_temp_new_i64();

            h->env.r64[1] = 9;
            tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
            tcg_gen_addi_i64(t, h->g64[1], 1);
            tcg_gen_mov_i64(h->g64[0], t);
            tcg_gen_discard_i64(t);
        }
        harness_run(h);
        check(h, "mb", h->env.r64[0], 10);
    }
    report(h, "branches");
    harness_free(h);
}

/* ---- TB exits ---------------------------------------------------------------------- */

static void test_exits(const TCGBackend *backend)
{
    Harness *h = harness_new(backend);
    const void *tb_a, *tb_b, *tb_c;
    TCGCodeInfo info_a;
    uintptr_t ret, fake_tb = 0x12345670;

    for (int opt = 0; opt < 2; opt++) {
        /* B: r1 += 1, exit with its own tag. */
        harness_begin(h, opt);
        tcg_gen_addi_i64(h->g64[1], h->g64[1], 1);
        tcg_gen_exit_tb(0xb0b0);
        g_assert_cmpint(harness_gen(h), >, 0);
        tb_b = h->tc_ptr;

        /* A: r0 += 1, then goto_tb 0 / exit_tb(tb | 0). */
        harness_begin(h, opt);
        tcg_gen_addi_i64(h->g64[0], h->g64[0], 1);
        tcg_gen_goto_tb(0);
        tcg_gen_exit_tb(fake_tb | 0);
        g_assert_cmpint(harness_gen(h), >, 0);
        tb_a = h->tc_ptr;
        info_a = h->info;
        g_assert_cmpuint(info_a.jmp_insn_offset[0], !=, UINT16_MAX);
        g_assert_cmpuint(info_a.jmp_insn_offset[1], ==, UINT16_MAX);
        g_assert_cmpuint((uintptr_t)tb_a % 16, ==, 0);

        /* Unchained: falls through to the exit. */
        h->env.r64[0] = h->env.r64[1] = 0;
        ret = harness_exec(h, tb_a);
        g_assert_cmphex(ret, ==, fake_tb);
        g_assert_cmpuint(h->env.r64[0], ==, 1);
        g_assert_cmpuint(h->env.r64[1], ==, 0);

        /* Chained to B. */
        backend->set_jmp_target((uintptr_t)tb_a + info_a.jmp_insn_offset[0], (uintptr_t)tb_b);
        ret = harness_exec(h, tb_a);
        g_assert_cmphex(ret, ==, 0xb0b0);
        g_assert_cmpuint(h->env.r64[0], ==, 2);
        g_assert_cmpuint(h->env.r64[1], ==, 1);

        /* Reset: back to the exit. */
        backend->set_jmp_target((uintptr_t)tb_a + info_a.jmp_insn_offset[0],
                                (uintptr_t)tb_a + info_a.jmp_reset_offset[0]);
        ret = harness_exec(h, tb_a);
        g_assert_cmphex(ret, ==, fake_tb);
        g_assert_cmpuint(h->env.r64[0], ==, 3);
        g_assert_cmpuint(h->env.r64[1], ==, 1);

        /* C: a conditional pair of exits through both slots. */
        harness_begin(h, opt);
        {
            TCGLabel *l = gen_new_label();

            tcg_gen_brcondi_i64(TCG_COND_NE, h->g64[2], 0, l);
            tcg_gen_goto_tb(0);
            tcg_gen_exit_tb(fake_tb | 0);
            gen_set_label(l);
            tcg_gen_goto_tb(1);
            tcg_gen_exit_tb(fake_tb | 1);
        }
        g_assert_cmpint(harness_gen(h), >, 0);
        tb_c = h->tc_ptr;
        h->env.r64[2] = 0;
        g_assert_cmphex(harness_exec(h, tb_c), ==, fake_tb | 0);
        h->env.r64[2] = 1;
        g_assert_cmphex(harness_exec(h, tb_c), ==, fake_tb | 1);
        backend->set_jmp_target((uintptr_t)tb_c + h->info.jmp_insn_offset[1], (uintptr_t)tb_b);
        g_assert_cmphex(harness_exec(h, tb_c), ==, 0xb0b0);
        h->env.r64[2] = 0;
        g_assert_cmphex(harness_exec(h, tb_c), ==, fake_tb | 0);

        /* goto_ptr to another TB, and to the return-zero epilogue. */
        harness_begin(h, opt);
        h->env.r64[3] = (uintptr_t)tb_b;
        h->env.r64[1] = 0;
        tcg_gen_goto_ptr(h->g64[3]);
        g_assert_cmpint(harness_gen(h), >, 0);
        g_assert_cmphex(harness_exec(h, h->tc_ptr), ==, 0xb0b0);
        g_assert_cmpuint(h->env.r64[1], ==, 1);
        h->env.r64[3] = (uintptr_t)backend->epilogue_return_zero(h->s);
        g_assert_cmphex(harness_exec(h, h->tc_ptr), ==, 0);

        /* exit_tb of a full pointer-sized value, and of TB_EXIT_REQUESTED. */
        harness_begin(h, opt);
        tcg_gen_exit_tb((uintptr_t)0xfedcba9876543213ull);
        g_assert_cmpint(harness_gen(h), >, 0);
        g_assert_cmphex(harness_exec(h, h->tc_ptr), ==, (uintptr_t)0xfedcba9876543213ull);
    }
    harness_free(h);
}

/* ---- code buffer limits --------------------------------------------------------- */

static void test_buffer_full(const TCGBackend *backend)
{
    Error *err = NULL;
    TCGContext *s = tcg_context_new(backend, 64 * 1024, &err);
    unsigned n_ok = 0;
    int ret = 0;

    g_assert_nonnull(s);
    tcg_ctx = s;
    while (n_ok < 100000) {
        TCGv_i64 t;
        uint8_t *before;
        TCGCodeInfo info;

        tcg_func_start(s);
        t = tcg_temp_new_i64();
        for (int i = 0; i < 50; i++) {
            tcg_gen_st_i64(tcg_constant_i64(i * 0x123456789ll), tcg_env(), 8 * i);
        }
        tcg_gen_mov_i64(t, t);
        tcg_gen_exit_tb(0);
        before = s->code_ptr;
        if (tcg_code_buffer_full(s)) {
            break;
        }
        ret = tcg_gen_code(s, &info);
        if (ret == -1) {
            g_assert_true(s->code_ptr == before);
            break;
        }
        g_assert_cmpint(ret, >, 0);
        g_assert_true(s->code_ptr >= before + ret);
        g_assert_true(s->code_ptr <= s->code_buf + s->code_buf_size);
        n_ok++;
    }
    g_assert_cmpuint(n_ok, >, 0);
    g_assert_true(ret == -1 || tcg_code_buffer_full(s));
    tcg_code_buffer_reset(s);
    g_assert_false(tcg_code_buffer_full(s));

    /* Too many labels: the TB is reported too large. */
    tcg_func_start(s);
    for (unsigned i = 0; i < TCG_MAX_LABELS + 5; i++) {
        gen_new_label();
    }
    tcg_gen_exit_tb(0);
    {
        TCGCodeInfo info;

        g_assert_cmpint(tcg_gen_code(s, &info), ==, -2);
    }
    tcg_context_free(s);
}

static void test_backend_list(void)
{
    const TCGBackend *def = tcg_backend_default();

    g_assert_nonnull(def);
    g_assert_true(tcg_backend_by_name("interp") == &tcg_backend_interp);
    g_assert_null(tcg_backend_by_name("no-such-backend"));
    g_assert_true(tcg_backend_by_name(def->name) == def);
    if (tcg_backend_by_name("x86_64")) {
        g_assert_cmpstr(def->name, ==, "x86_64");
    } else {
        g_assert_true(def == &tcg_backend_interp);
    }
    g_assert_true(tcg_backend_nth(0) != NULL);
}

static void test_dump(void)
{
    Harness *h = harness_new(&tcg_backend_interp);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    TCGLabel *l;

    harness_begin(h, true);
    l = gen_new_label();
    tcg_gen_insn_start(0x80000000, 0);
    tcg_gen_addi_i64(h->g64[0], h->g64[1], 5);
    tcg_gen_brcondi_i32(TCG_COND_LTU, h->g32[1], 3, l);
    tcg_gen_qemu_ld_i64(h->g64[2], h->g64[1], 1, MO_BEUL | MO_SIGN | MO_ALIGN);
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    tcg_dump_ops(h->s, f, "OP:");
    fclose(f);
    g_assert_nonnull(strstr(buf, "OP:"));
    g_assert_nonnull(strstr(buf, "---- 0000000080000000"));
    g_assert_nonnull(strstr(buf, "add_i64 r0,r1,$0x5"));
    g_assert_nonnull(strstr(buf, "brcond_i32 w1,$0x3,ltu,$L0"));
    g_assert_nonnull(strstr(buf, "qemu_ld_i64 r2,r1,besl+al,1"));
    g_assert_nonnull(strstr(buf, "set_label $L0"));
    g_assert_nonnull(strstr(buf, "exit_tb $0x0"));
    free(buf);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcg/backends", test_backend_list);
    g_test_add_func("/tcg/dump", test_dump);
    harness_add_per_backend("guest-ldst-user", test_guest_ldst_user);
    harness_add_per_backend("guest-ldst-softmmu", test_guest_ldst_softmmu);
    harness_add_per_backend("calls", test_calls);
    harness_add_per_backend("branches", test_branches);
    harness_add_per_backend("exits", test_exits);
    harness_add_per_backend("buffer-full", test_buffer_full);
    return g_test_run();
}
