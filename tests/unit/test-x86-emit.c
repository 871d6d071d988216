/*
 * Unit tests for tcg/x86_64/emit.c, the x86-64 instruction encoder.  Every
 * encoding is disassembled with capstone and its text compared with what
 * Intel syntax says it should be, for every register (the REX.R/X/B bits,
 * the spl/bpl/sil/dil byte registers) and for the ModRM addressing quirks
 * (rsp/r12 as a base need a SIB byte, rbp/r13 have no displacement-free
 * form, no base at all means an absolute disp32).  The whole emitted
 * length must decode, so a stray or missing byte shows up too.
 */
#include <inttypes.h>
#include <string.h>

#include <capstone/capstone.h>
#include <glib.h>

#include "tcg/x86_64/emit.h"

static csh cs;

static const char *const r64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const r32[16] = {"eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
                                    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const r16[16] = {"ax",  "cx",  "dx",   "bx",   "sp",   "bp",   "si",   "di",
                                    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const r8[16] = {"al",  "cl",  "dl",   "bl",   "spl",  "bpl",  "sil",  "dil",
                                   "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const ccs[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                    "s", "ns", "p", "np", "l", "ge", "le", "g"};
static const char *const alus[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

static uint8_t buf[256];
static X64Emit em;

static X64Emit *start(void)
{
    memset(buf, 0xcc, sizeof(buf));
    x64_emit_init(&em, buf, sizeof(buf));
    return &em;
}

/* Disassemble what was emitted: "mnemonic operands; ..." covering every byte. */
static char *disasm(void)
{
    cs_insn *insn;
    size_t n = x64_emit_offset(&em);
    size_t count = cs_disasm(cs, buf, n, (uint64_t)(uintptr_t)buf, 0, &insn);
    GString *s = g_string_new(NULL);
    size_t used = 0;

    for (size_t i = 0; i < count; i++) {
        if (i) {
            g_string_append(s, "; ");
        }
        g_string_append(s, insn[i].mnemonic);
        if (insn[i].op_str[0]) {
            g_string_append_printf(s, " %s", insn[i].op_str);
        }
        used += insn[i].size;
    }
    cs_free(insn, count);
    if (used != n) {
        g_string_append_printf(s, " <decoded %zu of %zu bytes>", used, n);
    }
    return g_string_free(s, FALSE);
}

static void check(const char *expect)
{
    char *got = disasm();

    g_assert_false(x64_emit_overflowed(&em));
    g_assert_cmpstr(got, ==, expect);
    g_free(got);
}

/* Capstone prints small numbers in decimal and the rest in hex. */
static char *num(int64_t v)
{
    uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
    const char *sign = v < 0 ? "-" : "";

    return a <= 9 ? g_strdup_printf("%s%" PRIu64, sign, a)
                  : g_strdup_printf("%s0x%" PRIx64, sign, a);
}

/* "[base + index*scale + disp]" as capstone prints it. */
static char *mem(int base, int index, int shift, int32_t disp)
{
    GString *s = g_string_new("[");
    bool any = false;

    if (base >= 0) {
        g_string_append(s, r64[base]);
        any = true;
    }
    if (index >= 0) {
        g_string_append_printf(s, "%s%s", any ? " + " : "", r64[index]);
        if (shift) {
            g_string_append_printf(s, "*%d", 1 << shift);
        }
        any = true;
    }
    if (disp || !any) {
        char *d = num(disp < 0 ? -(int64_t)disp : disp);

        if (any) {
            g_string_append_printf(s, " %c %s", disp < 0 ? '-' : '+', d);
        } else {
            g_string_append(s, d);
        }
        g_free(d);
    }
    g_string_append_c(s, ']');
    return g_string_free(s, FALSE);
}

static const char *const ptrsz[4] = {"byte", "word", "dword", "qword"};
static const int32_t disps[] = {0, 1, 8, -8, 127, -128, 128, -129, 0x1000, -0x12345678};

static void test_mov_rr(void)
{
    for (int w = 0; w < 2; w++) {
        for (int d = 0; d < 16; d++) {
            for (int s = 0; s < 16; s++) {
                const char *const *n = w ? r64 : r32;
                char *exp = g_strdup_printf("mov %s, %s", n[d], n[s]);

                x64_mov_rr(start(), w, d, s);
                check(exp);
                g_free(exp);
            }
        }
    }
}

static void test_movi(void)
{
    for (int r = 0; r < 16; r++) {
        char *exp;

        x64_movi(start(), true, r, 0);
        exp = g_strdup_printf("mov %s, 0", r32[r]);
        check(exp);
        g_free(exp);

        /* Zero-extending 32-bit form for values below 2^32. */
        x64_movi(start(), true, r, 0xfedcba98);
        exp = g_strdup_printf("mov %s, 0xfedcba98", r32[r]);
        check(exp);
        g_free(exp);

        /* Sign-extended imm32. */
        x64_movi(start(), true, r, -5);
        exp = g_strdup_printf("mov %s, -5", r64[r]);
        check(exp);
        g_free(exp);

        x64_movi(start(), true, r, 0x123456789abcdefLL);
        exp = g_strdup_printf("movabs %s, 0x123456789abcdef", r64[r]);
        check(exp);
        g_free(exp);

        /* 32-bit: only the low half counts. */
        x64_movi(start(), false, r, 0x1234567812345678LL);
        exp = g_strdup_printf("mov %s, 0x12345678", r32[r]);
        check(exp);
        g_free(exp);

        x64_zero(start(), r);
        exp = g_strdup_printf("xor %s, %s", r32[r], r32[r]);
        check(exp);
        g_free(exp);
    }
}

static void test_load_store(void)
{
    static const int indices[] = {X64_NOREG, X64_RAX, X64_RBP, X64_R9, X64_R12, X64_R13};

    for (int b = 0; b < 16; b++) {
        for (size_t di = 0; di < G_N_ELEMENTS(disps); di++) {
            for (size_t ii = 0; ii < G_N_ELEMENTS(indices); ii++) {
                int32_t disp = disps[di];
                int idx = indices[ii];
                int r = (b * 7 + (int)di) & 15;
                char *m = mem(b, idx, 0, disp);
                char *exp;

                /* Plain 64-bit load and store. */
                x64_load_idx(start(), 3, false, true, r, b, idx, disp);
                exp = g_strdup_printf("mov %s, qword ptr %s", r64[r], m);
                check(exp);
                g_free(exp);

                for (int size = 0; size < 4; size++) {
                    const char *const *rn = size == 0   ? r8
                                            : size == 1 ? r16
                                            : size == 2 ? r32
                                                        : r64;

                    x64_store_idx(start(), size, r, b, idx, disp);
                    exp = g_strdup_printf("mov %s ptr %s, %s", ptrsz[size], m, rn[r]);
                    check(exp);
                    g_free(exp);
                }
                x64_lea(start(), true, r, b, idx, idx >= 0 ? 2 : 0, disp);
                g_free(m);
                m = mem(b, idx, idx >= 0 ? 2 : 0, disp);
                exp = g_strdup_printf("lea %s, %s", r64[r], m);
                check(exp);
                g_free(exp);
                g_free(m);
            }
        }
    }
}

static void test_load_extend(void)
{
    for (int b = 0; b < 16; b++) {
        int r = 15 - b;
        char *m = mem(b, -1, 0, 16);
        char *exp;

        x64_load(start(), 0, false, true, r, b, 16);
        exp = g_strdup_printf("movzx %s, byte ptr %s", r32[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 0, true, true, r, b, 16);
        exp = g_strdup_printf("movsx %s, byte ptr %s", r64[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 0, true, false, r, b, 16);
        exp = g_strdup_printf("movsx %s, byte ptr %s", r32[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 1, false, true, r, b, 16);
        exp = g_strdup_printf("movzx %s, word ptr %s", r32[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 1, true, true, r, b, 16);
        exp = g_strdup_printf("movsx %s, word ptr %s", r64[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 2, false, true, r, b, 16);
        exp = g_strdup_printf("mov %s, dword ptr %s", r32[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 2, true, true, r, b, 16);
        exp = g_strdup_printf("movsxd %s, dword ptr %s", r64[r], m);
        check(exp);
        g_free(exp);
        x64_load(start(), 2, true, false, r, b, 16);
        exp = g_strdup_printf("mov %s, dword ptr %s", r32[r], m);
        check(exp);
        g_free(exp);

        for (int size = 1; size < 4; size++) {
            const char *const *rn = size == 1 ? r16 : size == 2 ? r32 : r64;

            x64_movbe_load(start(), size, r, b, X64_NOREG, 16);
            exp = g_strdup_printf("movbe %s, %s ptr %s", rn[r], ptrsz[size], m);
            check(exp);
            g_free(exp);
            x64_movbe_store(start(), size, r, b, X64_NOREG, 16);
            exp = g_strdup_printf("movbe %s ptr %s, %s", ptrsz[size], m, rn[r]);
            check(exp);
            g_free(exp);
        }
        g_free(m);
    }
}

static void test_store_imm(void)
{
    for (int b = 0; b < 16; b++) {
        char *m = mem(b, -1, 0, -0x20);
        char *exp;

        x64_storei(start(), 0, 0x12, b, -0x20);
        exp = g_strdup_printf("mov byte ptr %s, 0x12", m);
        check(exp);
        g_free(exp);
        x64_storei(start(), 1, 0x1234, b, -0x20);
        exp = g_strdup_printf("mov word ptr %s, 0x1234", m);
        check(exp);
        g_free(exp);
        x64_storei(start(), 2, 0x12345678, b, -0x20);
        exp = g_strdup_printf("mov dword ptr %s, 0x12345678", m);
        check(exp);
        g_free(exp);
        x64_storei(start(), 3, 0x7654321, b, -0x20);
        exp = g_strdup_printf("mov qword ptr %s, 0x7654321", m);
        check(exp);
        g_free(exp);
        g_free(m);
    }
}

static void test_absolute(void)
{
    x64_load(start(), 3, false, true, X64_R9, X64_NOREG, 0x1000);
    check("mov r9, qword ptr [0x1000]");
    x64_lea(start(), false, X64_RAX, X64_NOREG, X64_R12, 3, -16);
    check("lea eax, [r12*8 - 0x10]");
    x64_lea_rip(start(), X64_R10, buf + 100);
    /* buf + 100 relative to the end of the 7-byte lea. */
    check("lea r10, [rip + 0x5d]");
}

static void test_alu(void)
{
    static const int64_t imms[] = {1, 0x7f, 0x80, 0x12345678};

    for (int op = 0; op < 8; op++) {
        for (int w = 0; w < 2; w++) {
            const char *const *n = w ? r64 : r32;

            for (int d = 0; d < 16; d++) {
                int s = (d * 5 + 3) & 15;
                char *exp = g_strdup_printf("%s %s, %s", alus[op], n[d], n[s]);

                x64_alu_rr(start(), w, op, d, s);
                check(exp);
                g_free(exp);

                for (size_t i = 0; i < G_N_ELEMENTS(imms); i++) {
                    char *v = num(imms[i]);

                    exp = g_strdup_printf("%s %s, %s", alus[op], n[d], v);
                    x64_alu_ri(start(), w, op, d, imms[i]);
                    check(exp);
                    g_free(exp);
                    g_free(v);
                }

                char *m = mem(s, -1, 0, 0x40);
                exp = g_strdup_printf("%s %s, %s ptr %s", alus[op], n[d], w ? "qword" : "dword", m);
                x64_alu_rm(start(), w, op, d, s, 0x40);
                check(exp);
                g_free(exp);
                g_free(m);
            }
        }
    }
    /* Sign-extended imm8 and imm32. */
    x64_alu_ri(start(), true, X64_ALU_ADD, X64_RAX, -1);
    check("add rax, -1");
    x64_alu_ri(start(), false, X64_ALU_SUB, X64_R13, 0xffffffff);
    check("sub r13d, -1");
    x64_alu_ri(start(), true, X64_ALU_AND, X64_R12, -4096);
    check("and r12, 0xfffffffffffff000");
    x64_alu_mi(start(), false, true, X64_ALU_OR, X64_RSP, 0, 0);
    check("lock or dword ptr [rsp], 0");
    x64_alu_mi(start(), true, false, X64_ALU_CMP, X64_R13, 8, 0x1000);
    check("cmp qword ptr [r13 + 8], 0x1000");
}

static void test_test(void)
{
    for (int a = 0; a < 16; a++) {
        int b = 15 - a;
        char *exp;

        x64_test_rr(start(), true, a, b);
        exp = g_strdup_printf("test %s, %s", r64[a], r64[b]);
        check(exp);
        g_free(exp);
        x64_test_rr(start(), false, a, b);
        exp = g_strdup_printf("test %s, %s", r32[a], r32[b]);
        check(exp);
        g_free(exp);
        /* Masks below 256 test the low byte only. */
        x64_test_ri(start(), true, a, 0x80);
        exp = g_strdup_printf("test %s, 0x80", r8[a]);
        check(exp);
        g_free(exp);
        x64_test_ri(start(), true, a, 0x10000);
        exp = g_strdup_printf("test %s, 0x10000", r64[a]);
        check(exp);
        g_free(exp);
        x64_test_ri(start(), false, a, 0x100);
        exp = g_strdup_printf("test %s, 0x100", r32[a]);
        check(exp);
        g_free(exp);
    }
}

static void test_mul_div(void)
{
    static const char *const un[8] = {NULL, NULL, "not", "neg", "mul", "imul", "div", "idiv"};

    for (int w = 0; w < 2; w++) {
        const char *const *n = w ? r64 : r32;

        for (int r = 0; r < 16; r++) {
            int s = (r + 9) & 15;
            char *exp;

            for (int op = 2; op < 8; op++) {
                x64_unary(start(), w, op, r);
                exp = g_strdup_printf("%s %s", un[op], n[r]);
                check(exp);
                g_free(exp);
            }
            x64_imul_rr(start(), w, r, s);
            exp = g_strdup_printf("imul %s, %s", n[r], n[s]);
            check(exp);
            g_free(exp);
            x64_imul_rri(start(), w, r, s, 100);
            exp = g_strdup_printf("imul %s, %s, 0x64", n[r], n[s]);
            check(exp);
            g_free(exp);
            x64_imul_rri(start(), w, r, s, 0x10000);
            exp = g_strdup_printf("imul %s, %s, 0x10000", n[r], n[s]);
            check(exp);
            g_free(exp);
        }
        x64_cqo(start(), w);
        check(w ? "cqo" : "cdq");
    }
}

static void test_shifts(void)
{
    static const char *const sh[8] = {"rol", "ror", NULL, NULL, "shl", "shr", NULL, "sar"};
    static const int ops[] = {X64_SH_ROL, X64_SH_ROR, X64_SH_SHL, X64_SH_SHR, X64_SH_SAR};
    static const char *const shx[3] = {"shlx", "shrx", "sarx"};

    for (int w = 0; w < 2; w++) {
        const char *const *n = w ? r64 : r32;

        for (int r = 0; r < 16; r++) {
            char *exp;

            for (size_t i = 0; i < G_N_ELEMENTS(ops); i++) {
                int op = ops[i];

                x64_shift_ri(start(), w, op, r, 1);
                exp = g_strdup_printf("%s %s, 1", sh[op], n[r]);
                check(exp);
                g_free(exp);
                x64_shift_ri(start(), w, op, r, w ? 63 : 31);
                exp = g_strdup_printf("%s %s, %s", sh[op], n[r], w ? "0x3f" : "0x1f");
                check(exp);
                g_free(exp);
                x64_shift_cl(start(), w, op, r);
                exp = g_strdup_printf("%s %s, cl", sh[op], n[r]);
                check(exp);
                g_free(exp);
            }
            for (int op = 0; op < 3; op++) {
                int s = (r + 3) & 15, c = (r + 11) & 15;

                x64_shiftx(start(), w, op, r, s, c);
                exp = g_strdup_printf("%s %s, %s, %s", shx[op], n[r], n[s], n[c]);
                check(exp);
                g_free(exp);
            }
            x64_rorx(start(), w, r, 15 - r, 7);
            exp = g_strdup_printf("rorx %s, %s, 7", n[r], n[15 - r]);
            check(exp);
            g_free(exp);
            x64_andn(start(), w, r, (r + 1) & 15, (r + 2) & 15);
            exp = g_strdup_printf("andn %s, %s, %s", n[r], n[(r + 1) & 15], n[(r + 2) & 15]);
            check(exp);
            g_free(exp);
        }
    }
    for (int r = 0; r < 16; r++) {
        char *exp = g_strdup_printf("rol %s, 8", r16[r]);

        x64_rot16_ri(start(), X64_SH_ROL, r, 8);
        check(exp);
        g_free(exp);
    }
}

static void test_extend(void)
{
    for (int d = 0; d < 16; d++) {
        for (int s = 0; s < 16; s++) {
            char *exp;

            x64_movzx(start(), 0, d, s);
            exp = g_strdup_printf("movzx %s, %s", r32[d], r8[s]);
            check(exp);
            g_free(exp);
            x64_movzx(start(), 1, d, s);
            exp = g_strdup_printf("movzx %s, %s", r32[d], r16[s]);
            check(exp);
            g_free(exp);
            x64_movzx(start(), 2, d, s);
            exp = g_strdup_printf("mov %s, %s", r32[d], r32[s]);
            check(exp);
            g_free(exp);
            x64_movsx(start(), 0, true, d, s);
            exp = g_strdup_printf("movsx %s, %s", r64[d], r8[s]);
            check(exp);
            g_free(exp);
            x64_movsx(start(), 0, false, d, s);
            exp = g_strdup_printf("movsx %s, %s", r32[d], r8[s]);
            check(exp);
            g_free(exp);
            x64_movsx(start(), 1, true, d, s);
            exp = g_strdup_printf("movsx %s, %s", r64[d], r16[s]);
            check(exp);
            g_free(exp);
            x64_movsx(start(), 2, true, d, s);
            exp = g_strdup_printf("movsxd %s, %s", r64[d], r32[s]);
            check(exp);
            g_free(exp);
            x64_mov8_rr(start(), d, s);
            exp = g_strdup_printf("mov %s, %s", r8[d], r8[s]);
            check(exp);
            g_free(exp);
            x64_mov16_rr(start(), d, s);
            exp = g_strdup_printf("mov %s, %s", r16[d], r16[s]);
            check(exp);
            g_free(exp);
            x64_xchg(start(), true, d, s);
            exp = g_strdup_printf("xchg %s, %s", r64[d], r64[s]);
            check(exp);
            g_free(exp);
        }
    }
}

static void test_bits(void)
{
    static const char *const bit[] = {"bsf", "bsr", "tzcnt", "lzcnt", "popcnt"};

    for (int w = 0; w < 2; w++) {
        const char *const *n = w ? r64 : r32;

        for (int r = 0; r < 16; r++) {
            int s = (r + 6) & 15;
            char *exp;

            for (int op = 0; op < 5; op++) {
                x64_bitop(start(), w, op, r, s);
                exp = g_strdup_printf("%s %s, %s", bit[op], n[r], n[s]);
                check(exp);
                g_free(exp);
            }
            x64_bswap(start(), w, r);
            exp = g_strdup_printf("bswap %s", n[r]);
            check(exp);
            g_free(exp);
            for (int cc = 0; cc < 16; cc++) {
                x64_cmov(start(), w, cc, r, s);
                exp = g_strdup_printf("cmov%s %s, %s", ccs[cc], n[r], n[s]);
                check(exp);
                g_free(exp);
                if (w) {
                    x64_setcc(start(), cc, r);
                    exp = g_strdup_printf("set%s %s", ccs[cc], r8[r]);
                    check(exp);
                    g_free(exp);
                }
            }
        }
    }
}

static void test_control(void)
{
    char *exp;
    uint8_t *at;

    for (int cc = 0; cc < 16; cc++) {
        x64_jcc32(start(), cc, buf + 0x100);
        exp = g_strdup_printf("j%s 0x%" PRIxPTR, ccs[cc], (uintptr_t)(buf + 0x100));
        check(exp);
        g_free(exp);
        x64_jcc8(start(), cc, buf + 0x10);
        exp = g_strdup_printf("j%s 0x%" PRIxPTR, ccs[cc], (uintptr_t)(buf + 0x10));
        check(exp);
        g_free(exp);
    }
    at = x64_jmp32(start(), buf);
    g_assert_true(at == buf + 1);
    exp = g_strdup_printf("jmp 0x%" PRIxPTR, (uintptr_t)buf);
    check(exp);
    g_free(exp);
    x64_jmp8(start(), buf + 100);
    exp = g_strdup_printf("jmp 0x%" PRIxPTR, (uintptr_t)(buf + 100));
    check(exp);
    g_free(exp);
    x64_call32(start(), buf + 0x80);
    exp = g_strdup_printf("call 0x%" PRIxPTR, (uintptr_t)(buf + 0x80));
    check(exp);
    g_free(exp);

    /* Patching a rel32 later retargets the jump. */
    at = x64_jcc32(start(), X64_CC_NE, NULL);
    x64_patch32(&em, at, (uint32_t)((buf + 0x40) - (at + 4)));
    exp = g_strdup_printf("jne 0x%" PRIxPTR, (uintptr_t)(buf + 0x40));
    check(exp);
    g_free(exp);

    for (int r = 0; r < 16; r++) {
        x64_jmp_reg(start(), r);
        exp = g_strdup_printf("jmp %s", r64[r]);
        check(exp);
        g_free(exp);
        x64_call_reg(start(), r);
        exp = g_strdup_printf("call %s", r64[r]);
        check(exp);
        g_free(exp);
        x64_push(start(), r);
        exp = g_strdup_printf("push %s", r64[r]);
        check(exp);
        g_free(exp);
        x64_pop(start(), r);
        exp = g_strdup_printf("pop %s", r64[r]);
        check(exp);
        g_free(exp);
    }
    x64_ret(start());
    check("ret");
    x64_mfence(start());
    check("mfence");
    x64_ud2(start());
    check("ud2");
}

static void test_nops(void)
{
    for (int n = 1; n <= 40; n++) {
        cs_insn *insn;
        size_t count, used = 0;

        x64_nops(start(), n);
        g_assert_cmpuint(x64_emit_offset(&em), ==, n);
        count = cs_disasm(cs, buf, n, 0, 0, &insn);
        for (size_t i = 0; i < count; i++) {
            g_assert_cmpstr(insn[i].mnemonic, ==, "nop");
            used += insn[i].size;
        }
        g_assert_cmpuint(count, ==, (n + 8) / 9);
        g_assert_cmpuint(used, ==, n);
        cs_free(insn, count);
    }
}

static void test_overflow(void)
{
    uint8_t small[8];
    X64Emit e;

    memset(small, 0xcc, sizeof(small));
    x64_emit_init(&e, small, 4);
    x64_movi(&e, true, X64_RAX, 0x123456789abcdefLL);
    g_assert_true(x64_emit_overflowed(&e));
    g_assert_cmpuint(x64_emit_offset(&e), ==, 10);
    /* Nothing written past the end. */
    for (int i = 4; i < 8; i++) {
        g_assert_cmphex(small[i], ==, 0xcc);
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_assert_cmpint(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), ==, CS_ERR_OK);
    g_test_add_func("/x86-emit/mov-rr", test_mov_rr);
    g_test_add_func("/x86-emit/movi", test_movi);
    g_test_add_func("/x86-emit/load-store", test_load_store);
    g_test_add_func("/x86-emit/load-extend", test_load_extend);
    g_test_add_func("/x86-emit/store-imm", test_store_imm);
    g_test_add_func("/x86-emit/absolute", test_absolute);
    g_test_add_func("/x86-emit/alu", test_alu);
    g_test_add_func("/x86-emit/test", test_test);
    g_test_add_func("/x86-emit/mul-div", test_mul_div);
    g_test_add_func("/x86-emit/shifts", test_shifts);
    g_test_add_func("/x86-emit/extend", test_extend);
    g_test_add_func("/x86-emit/bits", test_bits);
    g_test_add_func("/x86-emit/control", test_control);
    g_test_add_func("/x86-emit/nops", test_nops);
    g_test_add_func("/x86-emit/overflow", test_overflow);
    ret = g_test_run();
    cs_close(&cs);
    return ret;
}
