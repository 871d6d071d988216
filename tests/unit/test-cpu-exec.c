/*
 * Unit tests for accel/tcg in user mode, on a toy guest (toy-target.c.inc)
 * and on every registered TCG backend: translation and execution, chaining
 * (a hot loop stops returning to the exec loop), indirect jumps through
 * helper_lookup_tb_ptr, exit requests from another thread, restoring the
 * guest pc after a helper fault, self-modifying code (host writes, guest
 * stores, a TB that rewrites itself) and the unchaining it implies, TBs
 * straddling a page, tb_flush while a vCPU runs, a full code buffer, a TB
 * too big for the backend, two vCPUs sharing TBs, the page flag table,
 * the statistics, the perf map and the -d logs.
 */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "toy-target.c.inc"
#include "util/log.h"

#define GUEST_SIZE (64u << 20)
#define CODE       0x10000u  /* code pages */
#define DATA       0x800000u /* data pages */
#define PG         4096u

static CPUState *cs;
static ToyEnv *env;
static const char *backend_name;

/* ---- fixture */

static void guest_map(vaddr start, vaddr len, int prot)
{
    int hprot = PROT_NONE;

    if (prot & (PAGE_READ | PAGE_EXEC)) {
        hprot |= PROT_READ;
    }
    if (prot & PAGE_WRITE) {
        hprot |= PROT_READ | PROT_WRITE;
    }
    g_assert_cmpint(mprotect(g2h(start), len, hprot), ==, 0);
    page_set_flags(start, start + len - 1, prot);
}

static void setup_with(const char *name, size_t code_size)
{
    TCGExecConfig c = {
        .ops = &toy_ops,
        .backend = tcg_backend_by_name(name),
        .softmmu = false,
        .code_buffer_size = code_size,
    };
    void *mem =
        mmap(NULL, GUEST_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    g_assert(mem != MAP_FAILED);
    g_assert_nonnull(c.backend);
    guest_base = (uintptr_t)mem;
    backend_name = name;
    g_assert_true(tcg_exec_init(&c, &error_abort));
    cs = tcg_cpu_create(&toy_ops, 0);
    env = toy_env(cs);
    guest_map(CODE, 16 * PG, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    guest_map(DATA, 16 * PG, PAGE_READ | PAGE_WRITE);
}

static void setup(gconstpointer data)
{
    setup_with(data, 0);
}

static void teardown(void)
{
    tcg_cpu_free(cs);
    cs = NULL;
    tcg_exec_exit();
    page_set_flags(0, GUEST_SIZE - 1, 0);
    munmap((void *)guest_base, GUEST_SIZE);
    guest_base = 0;
    user_set_fault_hook(NULL);
    log_set_mask(0);
}

static bool is_jit(void)
{
    return strcmp(backend_name, "x86_64") == 0;
}

/* A tiny assembler: emits at `asm_pc` (host write through g2h). */
static vaddr asm_pc;

static void A(unsigned op, unsigned rd, unsigned rs, MemOp memop, int32_t imm)
{
    toy_put(g2h(asm_pc), toy_insn(op, rd, rs, memop, imm));
    asm_pc += 8;
}

static int run_at(vaddr pc)
{
    env->pc = pc;
    return toy_run(cs);
}

/* ---- SIGSEGV: what linux-user's handler will do */

static void segv_handler(int sig, siginfo_t *info, void *ctx)
{
    ucontext_t *uc = ctx;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    bool is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    uintptr_t h = (uintptr_t)info->si_addr;

    if (handle_sigsegv_write_to_code(info->si_addr, pc)) {
        return;
    }
    if (current_cpu && h >= guest_base && h < guest_base + GUEST_SIZE) {
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGSEGV);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        cpu_loop_exit_sigsegv(current_cpu, h2g(info->si_addr),
                              is_write ? MMU_DATA_STORE : MMU_DATA_LOAD, true, pc);
    }
    signal(SIGSEGV, SIG_DFL);
}

/* ---- tests */

static void test_arith(gconstpointer data)
{
    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 40);
    A(TOY_LI, 2, 0, 0, 2);
    A(TOY_ADD, 1, 2, 0, 0);
    A(TOY_LI, 3, 0, 0, DATA);
    A(TOY_ST, 1, 3, MO_LEUQ, 8);
    A(TOY_LD, 4, 3, MO_LEUQ, 8);
    A(TOY_ADDI, 4, 0, 0, -50);
    A(TOY_EXIT, 0, 0, 0, 7);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 42);
    g_assert_cmpuint(env->regs[4], ==, (uint64_t)-8);
    g_assert_cmpuint(*(uint64_t *)g2h(DATA + 8), ==, 42);
    g_assert_cmpuint(env->exit_code, ==, 7);
    /* The exit helper restored the pc of the EXIT instruction. */
    g_assert_cmpuint(env->pc, ==, CODE + 7 * 8);
    teardown();
}

static void test_memops(gconstpointer data)
{
    uint8_t *d;

    setup(data);
    d = g2h(DATA);
    memcpy(d, "\x81\x82\x83\x84\x85\x86\x87\x88", 8);
    asm_pc = CODE;
    A(TOY_LI, 7, 0, 0, DATA);
    A(TOY_LD, 1, 7, MO_SB, 0);
    A(TOY_LD, 2, 7, MO_BEUL, 0);
    A(TOY_HLD, 3, 7, MO_LESW, 2);
    A(TOY_HLD, 4, 7, MO_BEUQ, 0);
    A(TOY_LI, 5, 0, 0, 0x11223344);
    A(TOY_ST, 5, 7, MO_BEUL, 8);
    A(TOY_HST, 5, 7, MO_LEUW, 12);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, (uint64_t)(int64_t)(int8_t)0x81);
    g_assert_cmpuint(env->regs[2], ==, 0x81828384);
    /* cpu_lduw_mmu returns the 16 bits unsigned, whatever MO_SIGN says. */
    g_assert_cmpuint(env->regs[3], ==, 0x8483);
    g_assert_cmpuint(env->regs[4], ==, UINT64_C(0x8182838485868788));
    g_assert_cmpmem(d + 8, 6, "\x11\x22\x33\x44\x44\x33", 6);
    teardown();
}

/* A loop of n iterations: r2 counts them. */
static void asm_counting_loop(vaddr at, int32_t n)
{
    asm_pc = at;
    A(TOY_LI, 1, 0, 0, n);
    A(TOY_ADDI, 2, 0, 0, 1);
    A(TOY_ADDI, 1, 0, 0, -1);
    A(TOY_BNEZ, 1, 0, 0, -16);
    A(TOY_EXIT, 0, 0, 0, 0);
}

static void test_chain(gconstpointer data)
{
    TCGJitStats before, after;
    uint64_t entries;

    setup(data);
    asm_counting_loop(CODE, 100000);
    before = tcg_jit_stats();
    entries = cs->tb_exec_count;
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    after = tcg_jit_stats();
    g_assert_cmpuint(env->regs[2], ==, 100000);
    /* Chained to itself, the loop TB never comes back to the exec loop. */
    g_assert_cmpuint(cs->tb_exec_count - entries, <, 10);
    g_assert_cmpuint(after.chained_jumps, >, before.chained_jumps);
    g_assert_cmpuint(after.tb_count, ==, 3);

    /* -d nochain: every TB returns to the loop. */
    log_set_mask(LOG_NOCHAIN);
    env->regs[2] = 0;
    entries = cs->tb_exec_count;
    asm_counting_loop(CODE + PG, 1000);
    g_assert_cmpint(run_at(CODE + PG), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, 1000);
    g_assert_cmpuint(cs->tb_exec_count - entries, >=, 1000);
    teardown();
}

static void test_indirect(gconstpointer data)
{
    uint64_t entries;

    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 5000);
    A(TOY_LI, 5, 0, 0, CODE + 16);
    A(TOY_ADDI, 2, 0, 0, 1); /* CODE + 16 */
    A(TOY_ADDI, 1, 0, 0, -1);
    A(TOY_BNEZ, 1, 0, 0, 16);
    A(TOY_EXIT, 0, 0, 0, 3);
    A(TOY_JR, 0, 5, 0, 0); /* CODE + 48 */
    entries = cs->tb_exec_count;
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, 5000);
    g_assert_cmpuint(env->exit_code, ==, 3);
    /* goto_ptr finds the loop through helper_lookup_tb_ptr, in generated code. */
    g_assert_cmpuint(cs->tb_exec_count - entries, <, 20);
    teardown();
}

static void *exit_later(void *opaque)
{
    g_usleep(20000);
    cpu_exit(opaque);
    return NULL;
}

static void test_exit_request(gconstpointer data)
{
    pthread_t t;

    setup(data);
    asm_pc = CODE;
    A(TOY_ADDI, 2, 0, 0, 1);
    A(TOY_J, 0, 0, 0, -8);

    /* A request made before entering is seen at once. */
    cpu_exit(cs);
    env->pc = CODE;
    g_assert_cmpint(cpu_exec(cs), ==, EXCP_INTERRUPT);
    g_assert_cmpuint(env->regs[2], ==, 0);

    /* A guest spinning in chained code stops when another thread asks. */
    pthread_create(&t, NULL, exit_later, cs);
    g_assert_cmpint(cpu_exec(cs), ==, EXCP_INTERRUPT);
    pthread_join(t, NULL);
    g_assert_cmpuint(env->regs[2], >, 100);
    /* The pc is exact: at the top of the loop, where the TB entry check fired. */
    g_assert_cmpuint(env->pc, ==, CODE);
    teardown();
}

static void test_restore_state(gconstpointer data)
{
    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 5);
    A(TOY_ADDI, 1, 0, 0, 1);
    A(TOY_CHK, 0, 1, 0, 0);
    A(TOY_CHK, 0, 0, 0, 0); /* r0 == 0: faults */
    A(TOY_ADDI, 1, 0, 0, 100);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_CHECK);
    g_assert_cmpuint(env->pc, ==, CODE + 24);
    g_assert_cmpuint(env->regs[1], ==, 6);
    g_assert_false(cpu_restore_state(cs, 0));
    g_assert_false(cpu_restore_state(cs, (uintptr_t)&test_restore_state));
    teardown();
}

static vaddr hook_addr;
static MMUAccessType hook_type;

static void toy_user_fault_hook(CPUState *c, vaddr addr, MMUAccessType type, bool maperr,
                                uintptr_t ra)
{
    hook_addr = addr;
    hook_type = type;
    toy_env(c)->trap_addr = addr;
    c->exception_index = TOY_EXCP_PAGEFAULT;
    cpu_loop_exit_restore(c, ra);
}

static void test_helper_fault(gconstpointer data)
{
    setup(data);
    guest_map(DATA + PG, PG, PAGE_READ);
    asm_pc = CODE;
    A(TOY_LI, 3, 0, 0, DATA + 100 * PG);
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_HLD, 2, 3, MO_LEUQ, 8);
    A(TOY_EXIT, 0, 0, 0, 0);
    /* Without a hook, the target's tlb_fill raises the fault. */
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->pc, ==, CODE + 16);
    g_assert_cmpuint(env->trap_addr, ==, DATA + 100 * PG + 8);

    /* A store to a read-only page, through the hook linux-user installs. */
    user_set_fault_hook(toy_user_fault_hook);
    asm_pc = CODE + PG;
    A(TOY_LI, 3, 0, 0, DATA + PG);
    A(TOY_HLD, 2, 3, MO_LEUQ, 0);
    A(TOY_HST, 2, 3, MO_LEUL, 4);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE + PG), ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->pc, ==, CODE + PG + 16);
    g_assert_cmpuint(hook_addr, ==, DATA + PG + 4);
    g_assert_cmpint(hook_type, ==, MMU_DATA_STORE);

    /* A misaligned MO_ALIGN access from a helper. */
    asm_pc = CODE + 2 * PG;
    A(TOY_LI, 3, 0, 0, DATA);
    A(TOY_HLD, 2, 3, MO_LEUL | MO_ALIGN, 2);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE + 2 * PG), ==, TOY_EXCP_MISALIGNED);
    g_assert_cmpuint(env->pc, ==, CODE + 2 * PG + 8);
    teardown();
}

static void test_direct_fault(gconstpointer data)
{
    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 3, 0, 0, DATA + 200 * PG);
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_LD, 2, 3, MO_LEUQ, 16);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_PAGEFAULT);
    g_assert_cmpuint(env->trap_addr, ==, DATA + 200 * PG + 16);
    g_assert_cmpuint(env->regs[1], ==, 1);
    if (is_jit()) {
        /* Only the JIT's host pc maps back to the faulting instruction. */
        g_assert_cmpuint(env->pc, ==, CODE + 16);
    }
    teardown();
}

static void test_smc_host_write(gconstpointer data)
{
    TCGJitStats st;

    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    /* The TB protects its page: PAGE_WRITE is cleared, PAGE_WRITE_ORG kept. */
    g_assert_cmpint(page_get_flags(CODE) & (PAGE_WRITE | PAGE_WRITE_ORG), ==, PAGE_WRITE_ORG);

    /* This write faults; the handler drops the TB and the write completes. */
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 2);
    g_assert_cmpint(page_get_flags(CODE) & PAGE_WRITE, ==, PAGE_WRITE);
    st = tcg_jit_stats();
    g_assert_cmpuint(st.tb_invalidated, >=, 1);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 2);

    /* A syscall-like check for write access unprotects too. */
    g_assert_true(page_check_range(CODE, 8, PAGE_READ | PAGE_EXEC));
    g_assert_cmpint(page_get_flags(CODE) & PAGE_WRITE, ==, 0);
    g_assert_true(page_check_range(CODE, 8, PAGE_WRITE));
    g_assert_cmpint(page_get_flags(CODE) & PAGE_WRITE, ==, PAGE_WRITE);
    teardown();
}

static void test_unchain(gconstpointer data)
{
    TCGJitStats before;

    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, 100);
    A(TOY_J, 0, 0, 0, PG - 8); /* to CODE + PG */
    asm_pc = CODE + PG;
    A(TOY_ADDI, 2, 0, 0, 1);
    A(TOY_ADDI, 1, 0, 0, -1);
    A(TOY_BNEZ, 1, 0, 0, -(int32_t)PG - 8); /* back to the J */
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, 100);

    /* Rewrite the loop body: the J chained into it must be reset. */
    before = tcg_jit_stats();
    asm_pc = CODE + PG;
    A(TOY_ADDI, 2, 0, 0, 100);
    g_assert_cmpuint(tcg_jit_stats().unchained_jumps, >, before.unchained_jumps);
    env->regs[2] = 0;
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, 10000);
    teardown();
}

static void test_smc_guest_store(gconstpointer data)
{
    setup(data);
    asm_pc = CODE + 0x100;
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE + 0x100), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);

    /* Guest code patches the immediate of the LI above, then jumps there. */
    asm_pc = CODE;
    A(TOY_LI, 4, 0, 0, 5);
    A(TOY_LI, 5, 0, 0, CODE + 0x104);
    A(TOY_ST, 4, 5, MO_LEUL, 0);
    A(TOY_J, 0, 0, 0, 0x100 - 24);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 5);
    teardown();
}

static void test_smc_self(gconstpointer data)
{
    setup(data);
    if (!is_jit()) {
        /* The interpreter's host pc does not say which TB stored. */
        g_test_skip("needs the JIT's host pc in the SIGSEGV handler");
        teardown();
        return;
    }
    asm_pc = CODE;
    A(TOY_LI, 4, 0, 0, 9);
    A(TOY_LI, 5, 0, 0, CODE + 0x24);
    A(TOY_ST, 4, 5, MO_LEUL, 0);
    A(TOY_NOP, 0, 0, 0, 0);
    A(TOY_LI, 1, 0, 0, 1); /* CODE + 0x20: its immediate is rewritten */
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 9);
    teardown();
}

static void test_helper_store_to_code(gconstpointer data)
{
    setup(data);
    /* Same as the self-modifying TB, but through a helper: every backend is exact. */
    asm_pc = CODE;
    A(TOY_LI, 4, 0, 0, 9);
    A(TOY_LI, 5, 0, 0, CODE + 0x24);
    A(TOY_HST, 4, 5, MO_LEUL, 0);
    A(TOY_NOP, 0, 0, 0, 0);
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 9);
    teardown();
}

static void test_page_straddle(gconstpointer data)
{
    vaddr p = CODE + 8 * PG;

    setup(data);
    page_set_flags(p + PG, p + 2 * PG - 1, 0);
    g_assert_cmpint(mprotect(g2h(p + PG), PG, PROT_NONE), ==, 0);
    asm_pc = p + PG - 12;
    A(TOY_ADDI, 1, 0, 0, 1);
    /* The next one straddles into the unmapped page: only its first half is there. */
    *(uint32_t *)g2h(asm_pc) = (uint32_t)toy_insn(TOY_ADDI, 1, 0, 0, 1);
    g_assert_cmpint(run_at(p + PG - 12), ==, TOY_EXCP_PAGEFAULT);
    /* The first TB ended before it; the fetch fault is the next TB's. */
    g_assert_cmpuint(env->regs[1], ==, 1);
    g_assert_cmpuint(env->pc, ==, p + PG - 4);
    g_assert_cmpuint(env->trap_addr, ==, p + PG);

    /* Map the second page: the straddling instruction now runs. */
    guest_map(p + PG, PG, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    toy_put(g2h(p + PG - 4), toy_insn(TOY_ADDI, 1, 0, 0, 1));
    asm_pc = p + PG + 4;
    A(TOY_EXIT, 0, 0, 0, 1);
    env->regs[1] = 0;
    g_assert_cmpint(run_at(p + PG - 12), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 2);
    g_assert_cmpuint(env->exit_code, ==, 1);

    /* A write to the second page alone drops the straddling TB too. */
    *(uint32_t *)g2h(p + PG) = 0x10; /* the straddler's immediate, on page 2 */
    env->regs[1] = 0;
    g_assert_cmpint(run_at(p + PG - 4), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 0x10);
    teardown();
}

typedef struct Runner {
    CPUState *cs;
    int ret;
    volatile bool done;
} Runner;

static void *runner_thread(void *opaque)
{
    Runner *r = opaque;

    r->ret = toy_run(r->cs);
    r->done = true;
    return NULL;
}

static void test_flush_while_running(gconstpointer data)
{
    uint64_t *flag;
    Runner r = {0};
    pthread_t t;
    unsigned flushes0;

    setup(data);
    flag = g2h(DATA);
    *flag = 1;
    asm_pc = CODE;
    A(TOY_LI, 3, 0, 0, DATA);
    A(TOY_LD, 1, 3, MO_LEUQ, 0); /* loop: */
    A(TOY_ADDI, 2, 0, 0, 1);
    A(TOY_BNEZ, 1, 0, 0, -16);
    A(TOY_EXIT, 0, 0, 0, 0);
    env->pc = CODE;
    r.cs = cs;
    flushes0 = (unsigned)tcg_jit_stats().flushes;
    pthread_create(&t, NULL, runner_thread, &r);
    for (int i = 0; i < 10; i++) {
        g_usleep(2000);
        tb_flush(NULL);
        g_assert_false(r.done);
    }
    __atomic_store_n(flag, 0, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    g_assert_cmpint(r.ret, ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(tcg_jit_stats().flushes, ==, flushes0 + 10);
    g_assert_cmpuint(env->regs[2], >, 10);
    teardown();
}

static void test_buffer_full(gconstpointer data)
{
    const int n = 3000;
    vaddr base = CODE;

    setup_with(data, 64 << 10);
    guest_map(base, 16 * PG, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    asm_pc = base;
    for (int i = 0; i < n; i++) {
        A(TOY_ADDI, 2, 0, 0, 1);
        A(TOY_J, 0, 0, 0, 8);
    }
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpuint(asm_pc, <=, base + 16 * PG);
    g_assert_cmpint(run_at(base), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, (uint64_t)n);
    g_assert_cmpuint(tcg_jit_stats().flushes, >=, 1);
    /* Again, from a flushed and refilled buffer. */
    env->regs[2] = 0;
    g_assert_cmpint(run_at(base), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[2], ==, (uint64_t)n);
    teardown();
}

static void test_too_big(gconstpointer data)
{
    setup(data);
    asm_pc = CODE;
    for (int i = 0; i < 300; i++) {
        A(TOY_BULK, 0, 0, 0, 100);
        A(TOY_ADDI, 1, 0, 0, 1);
    }
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 300);
    g_assert_cmpuint(tcg_jit_stats().retranslations_too_big, >=, 1);
    teardown();
}

static void test_two_vcpus(gconstpointer data)
{
    const int n = 20000;
    CPUState *cs2;
    Runner r[2] = {{0}};
    pthread_t t[2];

    setup(data);
    cs2 = tcg_cpu_create(&toy_ops, 1);
    asm_pc = CODE;
    A(TOY_LI, 1, 0, 0, n);
    A(TOY_LI, 5, 0, 0, DATA);
    A(TOY_LI, 6, 0, 0, 1); /* loop: */
    A(TOY_AMOADD, 6, 5, 0, 0);
    A(TOY_ADDI, 1, 0, 0, -1);
    A(TOY_BNEZ, 1, 0, 0, -24);
    A(TOY_EXIT, 0, 0, 0, 0);
    env->pc = CODE;
    toy_env(cs2)->pc = CODE;
    r[0].cs = cs;
    r[1].cs = cs2;
    for (int i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, runner_thread, &r[i]);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        g_assert_cmpint(r[i].ret, ==, TOY_EXCP_EXIT);
    }
    g_assert_cmpuint(*(uint64_t *)g2h(DATA), ==, 2 * (uint64_t)n);
    tcg_cpu_free(cs2);
    teardown();
}

static void test_step_atomic(gconstpointer data)
{
    setup(data);
    asm_pc = CODE;
    A(TOY_LI, 6, 0, 0, 3);
    A(TOY_EXIT, 0, 0, 0, 4);
    env->pc = CODE;
    cpu_exec_step_atomic(cs);
    g_assert_cmpuint(env->regs[6], ==, 3);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    cpu_exec_step_atomic(cs);
    g_assert_cmpint(cs->exception_index, ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->exit_code, ==, 4);
    cs->exception_index = EXCP_NONE;
    teardown();
}

static void test_perf_map_and_logs(gconstpointer data)
{
    g_autofree char *dir = g_dir_make_tmp("morph-accel-XXXXXX", NULL);
    g_autofree char *map = g_build_filename(dir, "perf.map", NULL);
    g_autofree char *logname = g_build_filename(dir, "log", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    setup(data);
    g_assert_true(tcg_perf_map_open(map, &error_abort));
    g_assert_true(log_set_file(logname, &error_abort));
    log_set_mask(LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM);
    asm_counting_loop(CODE, 10);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    log_set_mask(0);
    g_assert_true(log_set_file(NULL, &error_abort));
    tcg_perf_map_close();

    g_assert_true(g_file_get_contents(map, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4); /* 3 TBs and the last newline */
    for (int i = 0; i < 3; i++) {
        unsigned long addr, size;
        char name[64];

        g_assert_cmpint(sscanf(lines[i], "%lx %lx %63s", &addr, &size, name), ==, 3);
        g_assert_cmpuint(size, >, 0);
        g_assert_true(g_str_has_prefix(name, "guest-toy-0x"));
    }
    g_free(text);
    text = NULL;
    g_assert_true(g_file_get_contents(logname, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "IN: pc=0x10000"));
    g_assert_nonnull(strstr(text, "toy code at 0x10000"));
    g_assert_nonnull(strstr(text, "OP:"));
    g_assert_nonnull(strstr(text, "OP after optimization"));
    g_assert_nonnull(strstr(text, "OUT: [size="));

    f = open_memstream(&buf, &len);
    tcg_jit_stats_print(f);
    fclose(f);
    g_assert_nonnull(strstr(buf, "TB count            3"));
    free(buf);
    unlink(map);
    unlink(logname);
    rmdir(dir);
    teardown();
}

/* ---- the page flag table, without a backend */

static void test_page_flags(void)
{
    page_set_flags(0x100000, 0x102fff, PAGE_READ | PAGE_WRITE);
    g_assert_cmpint(page_get_flags(0x100000), ==,
                    PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_WRITE_ORG);
    g_assert_cmpint(page_get_flags(0x102fff), ==,
                    PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_WRITE_ORG);
    g_assert_cmpint(page_get_flags(0x103000), ==, 0);
    g_assert_true(page_check_range(0x100000, 0x3000, PAGE_READ | PAGE_WRITE));
    g_assert_false(page_check_range(0x100000, 0x3001, PAGE_READ));
    g_assert_false(page_check_range(0x100000, 8, PAGE_EXEC));
    g_assert_true(page_check_range(0x100000, 0, PAGE_EXEC));

    page_set_flags(0x101000, 0x101fff, PAGE_EXEC);
    g_assert_cmpint(page_get_flags(0x101000), ==, PAGE_VALID | PAGE_EXEC);
    g_assert_false(page_check_range(0x100000, 0x3000, PAGE_READ));

    /* Far apart, and a huge unmap that skips empty chunks. */
    page_set_flags(0x7fff00000000, 0x7fff00000fff, PAGE_READ);
    g_assert_cmpint(page_get_flags(0x7fff00000000), ==, PAGE_VALID | PAGE_READ);
    page_set_flags(0, page_max_guest_addr(), 0);
    g_assert_cmpint(page_get_flags(0x100000), ==, 0);
    g_assert_cmpint(page_get_flags(0x7fff00000000), ==, 0);
    g_assert_cmpint(page_get_flags(page_max_guest_addr() + 1), ==, 0);
    g_assert_false(page_check_range(page_max_guest_addr(), 2, PAGE_READ));
}

static void test_skip(gconstpointer data)
{
    g_test_skip(data);
}

typedef struct AccelTest {
    const char *name;
    GTestDataFunc fn;
} AccelTest;

static const AccelTest accel_tests[] = {
    {"arith", test_arith},
    {"memops", test_memops},
    {"chain", test_chain},
    {"indirect", test_indirect},
    {"exit-request", test_exit_request},
    {"restore-state", test_restore_state},
    {"helper-fault", test_helper_fault},
    {"direct-fault", test_direct_fault},
    {"smc-host-write", test_smc_host_write},
    {"unchain", test_unchain},
    {"smc-guest-store", test_smc_guest_store},
    {"smc-self", test_smc_self},
    {"helper-store-to-code", test_helper_store_to_code},
    {"page-straddle", test_page_straddle},
    {"flush-while-running", test_flush_while_running},
    {"buffer-full", test_buffer_full},
    {"too-big", test_too_big},
    {"two-vcpus", test_two_vcpus},
    {"step-atomic", test_step_atomic},
    {"perf-map-and-logs", test_perf_map_and_logs},
};

int main(int argc, char **argv)
{
    struct sigaction sa;

    g_test_init(&argc, &argv, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = segv_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    g_test_add_func("/accel-user/page-flags", test_page_flags);
    for (unsigned b = 0; b < G_N_ELEMENTS(toy_backend_names); b++) {
        const char *name = toy_backend_names[b];

        if (!tcg_backend_by_name(name)) {
            g_autofree char *path = g_strdup_printf("/accel-user/%s/unregistered", name);

            g_test_add_data_func(path, "backend not registered yet", test_skip);
            continue;
        }
        for (unsigned i = 0; i < G_N_ELEMENTS(accel_tests); i++) {
            g_autofree char *path = g_strdup_printf("/accel-user/%s/%s", name, accel_tests[i].name);

            g_test_add_data_func(path, name, accel_tests[i].fn);
        }
    }
    return g_test_run();
}
