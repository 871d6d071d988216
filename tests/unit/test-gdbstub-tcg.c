/*
 * Unit tests for the gdbstub's breakpoints, watchpoints and memory access
 * on the real TCG runtime in user mode (gdbstub/breakpoints.c,
 * gdbstub/memory.c, accel/tcg/debug.c), on the toy guest of the accel
 * tests and on every backend: a breakpoint stops before its instruction
 * (in mid-TB, at a TB start, in code translated before it was set) without
 * changing guest memory, and removing it lets the code run; single-step
 * runs exactly one instruction (a branch, a trapping instruction) with
 * interrupts masked or not; watchpoints of each kind stop right after the
 * access, from translated code, from helpers and from an atomic; the
 * debugger's memory access never faults and drops stale translations.
 */
#include <inttypes.h>
#include <signal.h>
#include <sys/mman.h>

#include "toy-target.c.inc"
#include "exec/memory.h"
#include "../../gdbstub/internals.h"

#define GUEST_SIZE (64u << 20)
#define CODE       0x10000u
#define DATA       0x800000u
#define RODATA     0x900000u
#define PG         4096u

static CPUState *cs;
static ToyEnv *env;
static vaddr asm_pc;

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

static void setup(gconstpointer data)
{
    TCGExecConfig c = {
        .ops = &toy_ops,
        .backend = tcg_backend_by_name(data),
        .softmmu = false,
    };
    void *mem =
        mmap(NULL, GUEST_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    g_assert(mem != MAP_FAILED);
    guest_base = (uintptr_t)mem;
    g_assert_true(tcg_exec_init(&c, &error_abort));
    cs = tcg_cpu_create(&toy_ops, 0);
    env = toy_env(cs);
    guest_map(CODE, 4 * PG, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    guest_map(DATA, 4 * PG, PAGE_READ | PAGE_WRITE);
    guest_map(RODATA, PG, PAGE_READ);
    asm_pc = CODE;
}

static void teardown(void)
{
    gdb_bp_remove_all(false);
    tcg_cpu_free(cs);
    cs = NULL;
    tcg_exec_exit();
    page_set_flags(0, GUEST_SIZE - 1, 0);
    munmap((void *)guest_base, GUEST_SIZE);
    guest_base = 0;
}

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

static GdbStop stop_reason(void)
{
    GdbStop st = {.kind = GDB_STOP_SIGNAL, .signal = SIGTRAP};

    gdb_bp_stop_reason(cs, &st);
    return st;
}

/* r1 = 1, r2 = 2, r3 = 3, r4 = 4, exit 9 */
static void asm_li_sequence(void)
{
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_LI, 2, 0, 0, 2);
    A(TOY_LI, 3, 0, 0, 3);
    A(TOY_LI, 4, 0, 0, 4);
    A(TOY_EXIT, 0, 0, 0, 9);
}

/* ---- breakpoints */

static void test_break_mid_tb(gconstpointer data)
{
    uint64_t before;

    setup(data);
    asm_li_sequence();
    memcpy(&before, g2h(CODE + 16), 8);
    g_assert_cmpint(gdb_bp_insert(GDB_BP_SW, CODE + 16, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 16);
    g_assert_cmpuint(env->regs[2], ==, 2);
    g_assert_cmpuint(env->regs[3], ==, 0);
    g_assert_cmpint(stop_reason().kind, ==, GDB_STOP_SWBREAK);
    /* Guest memory is untouched. */
    g_assert_cmpmem(&before, 8, g2h(CODE + 16), 8);
    /* Resuming with the breakpoint still there stops again, at once. */
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 16);
    g_assert_cmpuint(env->regs[3], ==, 0);
    g_assert_cmpint(gdb_bp_remove(GDB_BP_SW, CODE + 16, 8, false), ==, 0);
    g_assert_cmpint(gdb_bp_remove(GDB_BP_SW, CODE + 16, 8, false), <, 0);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[4], ==, 4);
    g_assert_cmpuint(env->exit_code, ==, 9);
    teardown();
}

static void test_break_translated(gconstpointer data)
{
    setup(data);
    asm_li_sequence();
    /* The code is translated and cached first... */
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    /* ...then a hardware breakpoint at its first instruction drops it. */
    g_assert_cmpint(gdb_bp_insert(GDB_BP_HW, CODE, 8, false), ==, 0);
    memset(env->regs, 0, sizeof(env->regs));
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE);
    g_assert_cmpuint(env->regs[1], ==, 0);
    g_assert_cmpint(stop_reason().kind, ==, GDB_STOP_HWBREAK);
    g_assert_cmpint(gdb_bp_remove(GDB_BP_HW, CODE, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[4], ==, 4);
    /* Two at once, and remove_all. */
    g_assert_cmpint(gdb_bp_insert(GDB_BP_SW, CODE + 8, 8, false), ==, 0);
    g_assert_cmpint(gdb_bp_insert(GDB_BP_SW, CODE + 24, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    gdb_bp_remove_all(false);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    teardown();
}

/* A loop: the breakpoint inside it stops every iteration, also when chained. */
static void test_break_in_loop(gconstpointer data)
{
    setup(data);
    A(TOY_LI, 1, 0, 0, 5);   /* CODE */
    A(TOY_ADDI, 2, 0, 0, 1); /* CODE + 8: loop */
    A(TOY_ADDI, 1, 0, 0, -1);
    A(TOY_BNEZ, 1, 0, 0, -16);
    A(TOY_EXIT, 0, 0, 0, 0);
    /* Warm the chain up without the breakpoint. */
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpint(gdb_bp_insert(GDB_BP_SW, CODE + 16, 8, false), ==, 0);
    env->regs[2] = 0;
    env->pc = CODE;
    for (int i = 1; i <= 5; i++) {
        g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
        g_assert_cmpuint(env->pc, ==, CODE + 16);
        g_assert_cmpuint(env->regs[2], ==, (uint64_t)i);
        /* Step over it as GDB does: remove, step, insert. */
        gdb_bp_remove(GDB_BP_SW, CODE + 16, 8, false);
        cpu_single_step(cs, SSTEP_ENABLE);
        g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
        cpu_single_step(cs, 0);
        g_assert_cmpuint(env->pc, ==, CODE + 24);
        gdb_bp_insert(GDB_BP_SW, CODE + 16, 8, false);
    }
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    teardown();
}

/* ---- single-step */

static void test_step(gconstpointer data)
{
    setup(data);
    A(TOY_LI, 1, 0, 0, 2);    /* CODE */
    A(TOY_ADDI, 1, 0, 0, -1); /* CODE + 8 */
    A(TOY_BNEZ, 1, 0, 0, -8);
    A(TOY_CHK, 0, 0, 0, 0); /* CODE + 24: traps (r0 == 0) */
    A(TOY_LI, 5, 0, 0, 5);
    A(TOY_EXIT, 0, 0, 0, 0);
    env->pc = CODE;
    cpu_single_step(cs, SSTEP_ENABLE | SSTEP_NOIRQ);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    g_assert_cmpuint(env->regs[1], ==, 2);
    cpu_single_step(cs, SSTEP_ENABLE);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 16);
    g_assert_cmpuint(env->regs[1], ==, 1);
    /* A taken branch. */
    cpu_single_step(cs, SSTEP_ENABLE);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    /* Step to the trapping instruction, then step it: the trap is the step. */
    for (int i = 0; i < 2; i++) {
        cpu_single_step(cs, SSTEP_ENABLE);
        g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    }
    g_assert_cmpuint(env->pc, ==, CODE + 24);
    cpu_single_step(cs, SSTEP_ENABLE);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_CHECK);
    /* (user mode: the caller handles the trap, say it skips the instruction) */
    env->pc += 8;
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 32);
    g_assert_cmpuint(env->regs[5], ==, 0);
    cpu_single_step(cs, 0);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[5], ==, 5);
    teardown();
}

/* An exit request before the step's instruction runs does not count as the step. */
static void test_step_exit_request(gconstpointer data)
{
    setup(data);
    asm_li_sequence();
    env->pc = CODE;
    cpu_single_step(cs, SSTEP_ENABLE);
    cpu_exit(cs);
    g_assert_cmpint(cpu_exec(cs), ==, EXCP_INTERRUPT);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    g_assert_cmpuint(env->regs[1], ==, 1);
    cpu_single_step(cs, 0);
    teardown();
}

static void test_step_irq(gconstpointer data)
{
    setup(data);
    asm_li_sequence();
    asm_pc = CODE + 0x800;
    A(TOY_LI, 6, 0, 0, 6); /* the interrupt handler */
    A(TOY_EXIT, 0, 0, 0, 1);
    env->irq_vector = CODE + 0x800;
    env->irq_enabled = 1;
    env->pc = CODE;
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    /* Masked: the step is the next instruction. */
    cpu_single_step(cs, SSTEP_ENABLE | SSTEP_NOIRQ);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 8);
    g_assert_cmpuint(env->trap_count, ==, 0);
    /* Not masked: the interrupt is taken, the step is the handler's first instruction. */
    cpu_single_step(cs, SSTEP_ENABLE);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->trap_count, ==, 1);
    g_assert_cmpuint(env->pc, ==, CODE + 0x808);
    g_assert_cmpuint(env->regs[6], ==, 6);
    cpu_single_step(cs, 0);
    teardown();
}

/* ---- watchpoints */

static void test_watch_write(gconstpointer data)
{
    GdbStop st;

    setup(data);
    A(TOY_LI, 5, 0, 0, DATA);   /* CODE */
    A(TOY_LI, 1, 0, 0, 42);     /* CODE + 8 */
    A(TOY_ST, 1, 5, MO_64, 0);  /* CODE + 16: not watched */
    A(TOY_ST, 1, 5, MO_32, 12); /* CODE + 24: overlaps the end of the watch */
    A(TOY_LI, 2, 0, 0, 7);      /* CODE + 32 */
    A(TOY_LD, 3, 5, MO_64, 8);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(gdb_bp_insert(GDB_WP_WRITE, DATA + 8, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    /* Stopped after the store: it is done, the next instruction is not. */
    g_assert_cmpuint(env->pc, ==, CODE + 32);
    g_assert_cmpuint(*(uint32_t *)g2h(DATA + 12), ==, 42);
    g_assert_cmpuint(env->regs[2], ==, 0);
    st = stop_reason();
    g_assert_cmpint(st.kind, ==, GDB_STOP_WATCH);
    g_assert_cmpint(st.watch_type, ==, GDB_WP_WRITE);
    g_assert_cmpuint(st.watch_addr, ==, DATA + 12);
    /* Reported once. */
    g_assert_cmpint(stop_reason().kind, ==, GDB_STOP_SIGNAL);
    /* A load does not trigger a write watchpoint. */
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[3], ==, (uint64_t)42 << 32);
    g_assert_cmpint(gdb_bp_remove(GDB_WP_WRITE, DATA + 8, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    teardown();
}

static void test_watch_read_access(gconstpointer data)
{
    GdbStop st;

    setup(data);
    A(TOY_LI, 5, 0, 0, DATA);
    A(TOY_LI, 1, 0, 0, 42);
    A(TOY_ST, 1, 5, MO_64, 0); /* CODE + 16 */
    A(TOY_LD, 3, 5, MO_64, 0); /* CODE + 24 */
    A(TOY_LI, 2, 0, 0, 7);     /* CODE + 32 */
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(gdb_bp_insert(GDB_WP_READ, DATA, 4, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 32);
    g_assert_cmpuint(env->regs[3], ==, 42);
    st = stop_reason();
    g_assert_cmpint(st.watch_type, ==, GDB_WP_READ);
    g_assert_cmpuint(st.watch_addr, ==, DATA);
    gdb_bp_remove_all(false);
    /* An access watchpoint sees the store first, then the load. */
    g_assert_cmpint(gdb_bp_insert(GDB_WP_ACCESS, DATA + 4, 4, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 24);
    g_assert_cmpint(stop_reason().watch_type, ==, GDB_WP_ACCESS);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 32);
    g_assert_cmpint(toy_run(cs), ==, TOY_EXCP_EXIT);
    teardown();
}

static void test_watch_helpers(gconstpointer data)
{
    setup(data);
    A(TOY_LI, 5, 0, 0, DATA);
    A(TOY_LI, 1, 0, 0, 5);
    A(TOY_HST, 1, 5, MO_64, 16);   /* CODE + 16: a store from a helper */
    A(TOY_HLD, 2, 5, MO_64, 16);   /* CODE + 24 */
    A(TOY_LI, 6, 0, 0, DATA + 16); /* CODE + 32 */
    A(TOY_AMOADD, 1, 6, 0, 0);     /* CODE + 40 */
    A(TOY_EXIT, 0, 0, 0, 0);       /* CODE + 48 */
    g_assert_cmpint(gdb_bp_insert(GDB_WP_WRITE, DATA + 16, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 24);
    g_assert_cmpuint(*(uint64_t *)g2h(DATA + 16), ==, 5);
    g_assert_cmpint(stop_reason().kind, ==, GDB_STOP_WATCH);
    /* The atomic writes too; it ran once. */
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 48);
    g_assert_cmpuint(*(uint64_t *)g2h(DATA + 16), ==, 10);
    g_assert_cmpuint(env->regs[1], ==, 5);
    gdb_bp_remove_all(false);
    g_assert_cmpint(gdb_bp_insert(GDB_WP_READ, DATA + 16, 8, false), ==, 0);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->pc, ==, CODE + 32);
    g_assert_cmpuint(env->regs[2], ==, 5);
    teardown();
}

static void test_watch_invalid(gconstpointer data)
{
    setup(data);
    g_assert_cmpint(gdb_bp_insert(GDB_WP_WRITE, DATA, 0, false), <, 0);
    g_assert_cmpint(gdb_bp_insert(GDB_WP_WRITE, UINT64_MAX - 2, 8, false), <, 0);
    g_assert_cmpint(gdb_bp_insert(7, DATA, 8, false), ==, -ENOSYS);
    g_assert_cmpint(gdb_bp_remove(GDB_WP_READ, DATA, 8, false), <, 0);
    teardown();
}

/* ---- memory */

static void test_memory(gconstpointer data)
{
    uint8_t buf[64];

    setup(data);
    memset(g2h(DATA), 0x5a, 16);
    g_assert_cmpuint(gdb_user_memory_rw(cs, DATA, buf, 16, false), ==, 16);
    g_assert_cmpuint(buf[15], ==, 0x5a);
    /* Unmapped: nothing; a range running off the end: the part before. */
    g_assert_cmpuint(gdb_user_memory_rw(cs, 0x100000, buf, 4, false), ==, 0);
    g_assert_cmpuint(gdb_user_memory_rw(cs, DATA + 4 * PG - 8, buf, 64, false), ==, 8);
    g_assert_cmpuint(gdb_user_memory_rw(cs, UINT64_MAX - 4, buf, 16, false), ==, 0);
    g_assert_cmpuint(gdb_user_memory_rw(cs, 0xffffffffffff, buf, 4, false), ==, 0);
    /* A read-only page can be written, as with ptrace. */
    memset(buf, 0xa5, 8);
    g_assert_cmpuint(gdb_user_memory_rw(cs, RODATA, buf, 8, true), ==, 8);
    g_assert_cmpuint(*(uint8_t *)g2h(RODATA + 7), ==, 0xa5);
    teardown();
}

/* A debugger writing code drops what was translated from it. */
static void test_memory_code(gconstpointer data)
{
    uint64_t insn = toy_insn(TOY_LI, 1, 0, 0, 77);

    setup(data);
    A(TOY_LI, 1, 0, 0, 1);
    A(TOY_EXIT, 0, 0, 0, 0);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 1);
    g_assert_cmpuint(gdb_user_memory_rw(cs, CODE, (uint8_t *)&insn, 8, true), ==, 8);
    g_assert_cmpint(run_at(CODE), ==, TOY_EXCP_EXIT);
    g_assert_cmpuint(env->regs[1], ==, 77);
    teardown();
}

/* ---- system mode glue (gdbstub/system.c) over a fake machine */

#define PHYS_RAM  0x80000000u
#define PHYS_MMIO 0x10000000u
#define PHYS_HOLE 0x20000000u

static uint8_t phys_ram[16 * PG];
static MemoryRegionSection *const fake_mmio = (MemoryRegionSection *)&phys_ram[1];
static MemoryRegionSection *const fake_hole = (MemoryRegionSection *)&phys_ram[2];

void address_space_translate_for_tlb(AddressSpace *as, hwaddr paddr, void **host,
                                     MemoryRegionSection **section)
{
    *host = NULL;
    *section = fake_hole;
    if (paddr >= PHYS_RAM && paddr < PHYS_RAM + sizeof(phys_ram)) {
        *host = phys_ram + (paddr - PHYS_RAM);
        *section = NULL;
    } else if (paddr >= PHYS_MMIO && paddr < PHYS_MMIO + PG) {
        *section = fake_mmio;
    }
}

MemTxResult memory_region_dispatch_read(MemoryRegionSection *section, hwaddr addr, uint64_t *val,
                                        MemOp op, MemTxAttrs attrs)
{
    if (section != fake_mmio) {
        return MEMTX_DECODE_ERROR;
    }
    *val = (addr & 0xff) ^ 0x80;
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegionSection *section, hwaddr addr, uint64_t val,
                                         MemOp op, MemTxAttrs attrs)
{
    return section == fake_mmio ? MEMTX_OK : MEMTX_DECODE_ERROR;
}

/* Virtual page v is physical PHYS_RAM + v, for the first 64 KiB. */
static hwaddr toy_phys_page_debug(CPUState *c, vaddr addr)
{
    return addr < sizeof(phys_ram) ? PHYS_RAM + addr : (hwaddr)-1;
}

static struct {
    GString *out;
    int stops, starts, quits;
} vm;

static void vm_send(void *opaque, const uint8_t *buf, size_t len)
{
    g_string_append_len(vm.out, (const char *)buf, (gssize)len);
}

static void vm_stop(void *opaque)
{
    vm.stops++;
}

static void vm_start(void *opaque)
{
    vm.starts++;
}

static void vm_quit(void *opaque)
{
    vm.quits++;
}

static const GdbSystemOps vm_ops = {
    .send = vm_send,
    .vm_stop = vm_stop,
    .vm_start = vm_start,
    .quit = vm_quit,
};

/* Send a packet; return the last packet the stub sent back (acks skipped), or "" if none. */
static char *vm_ask(GdbServer *s, const char *payload)
{
    GString *w = g_string_new(NULL);
    GdbPacketParser *p = g_new(GdbPacketParser, 1);
    char *last = g_strdup("");

    gdb_packet_frame(w, payload, strlen(payload));
    gdb_system_input(s, (const uint8_t *)w->str, w->len);
    gdb_parser_init(p);
    for (size_t i = 0; i < vm.out->len; i++) {
        if (gdb_parser_feed(p, (uint8_t)vm.out->str[i]) == GDB_RX_PACKET) {
            g_free(last);
            last = g_strndup(p->data, p->len);
        }
    }
    g_string_truncate(vm.out, 0);
    g_string_free(w, TRUE);
    g_free(p);
    return last;
}

#define VM_REPLY(s, pkt, want)                                                                     \
    do {                                                                                           \
        g_autofree char *r_ = vm_ask((s), (pkt));                                                  \
        g_assert_cmpstr(r_, ==, (want));                                                           \
    } while (0)

static void vm_stopped(GdbServer *s, CPUState *c, int reason, const char *want)
{
    GdbPacketParser *p = g_new(GdbPacketParser, 1);
    bool found = false;

    gdb_system_vm_stopped(s, c, reason);
    gdb_parser_init(p);
    for (size_t i = 0; i < vm.out->len; i++) {
        if (gdb_parser_feed(p, (uint8_t)vm.out->str[i]) == GDB_RX_PACKET) {
            g_assert_cmpstr(p->data, ==, want);
            found = true;
        }
    }
    g_assert_true(found);
    g_string_truncate(vm.out, 0);
    g_free(p);
}

static void test_system(void)
{
    static TargetOps ops_dbg;
    GdbServer *s;

    setup("interp");
    ops_dbg = toy_ops;
    ops_dbg.get_phys_page_debug = toy_phys_page_debug;
    cs->ops = &ops_dbg;
    asm_li_sequence();
    memset(phys_ram, 0x11, sizeof(phys_ram));
    memset(&vm, 0, sizeof(vm));
    vm.out = g_string_new(NULL);

    s = gdb_system_start(&vm_ops, NULL);
    /* Nothing is served before a connection; a connection stops the machine. */
    gdb_system_input(s, (const uint8_t *)"$?#3f", 5);
    g_assert_cmpuint(vm.out->len, ==, 0);
    gdb_system_connected(s);
    g_assert_cmpint(vm.stops, ==, 1);
    {
        g_autofree char *r = vm_ask(s, "qSupported:swbreak+");

        g_assert_null(strstr(r, "QPassSignals"));
        g_assert_null(strstr(r, "auxv"));
    }
    VM_REPLY(s, "qAttached", "1");
    VM_REPLY(s, "?", "T05thread:1;");
    /* Virtual memory through the target's debug walk. */
    VM_REPLY(s, "m10,2", "1111");
    VM_REPLY(s, "M10,1:ab", "OK");
    g_assert_cmpuint(phys_ram[0x10], ==, 0xab);
    VM_REPLY(s, "mfffe,4", "1111");
    VM_REPLY(s, "m20000,4", "E14");
    /* Physical: RAM, a device, a hole. */
    VM_REPLY(s, "Qqemu.PhyMemMode:1", "OK");
    VM_REPLY(s, "m80000010,1", "ab");
    VM_REPLY(s, "m10000004,2", "8485");
    VM_REPLY(s, "M10000004,1:00", "OK");
    VM_REPLY(s, "m20000000,1", "E14");
    VM_REPLY(s, "M20000000,1:00", "E14");
    VM_REPLY(s, "Qqemu.PhyMemMode:0", "OK");

    /* A breakpoint, the VM runs, a vCPU returns EXCP_DEBUG, the VM stops. */
    {
        g_autofree char *z = g_strdup_printf("Z0,%x,8", CODE + 16);

        VM_REPLY(s, z, "OK");
    }
    VM_REPLY(s, "vCont;c", "");
    g_assert_cmpint(vm.starts, ==, 1);
    g_assert_cmpint(run_at(CODE), ==, EXCP_DEBUG);
    vm_stopped(s, cs, GDB_VM_STOP_DEBUG, "T05thread:1;swbreak:;");
    /* The toy target has no GDB register map. */
    VM_REPLY(s, "p8", "E14");
    {
        g_autofree char *z = g_strdup_printf("z0,%x,8", CODE + 16);

        VM_REPLY(s, z, "OK");
    }
    /* A step. */
    VM_REPLY(s, "s", "");
    g_assert_cmpint(cs->singlestep_enabled & SSTEP_NOIRQ, !=, 0);
    g_assert_cmpint(toy_run(cs), ==, EXCP_DEBUG);
    vm_stopped(s, cs, GDB_VM_STOP_DEBUG, "T05thread:1;");
    g_assert_cmpint(cs->singlestep_enabled, ==, 0);
    g_assert_cmpuint(env->regs[3], ==, 3);
    /* Ctrl-C while running: the VM is stopped, GDB hears SIGINT. */
    VM_REPLY(s, "c", "");
    gdb_system_input(s, (const uint8_t *)"\x03", 1);
    g_assert_cmpint(vm.stops, ==, 2);
    vm_stopped(s, NULL, GDB_VM_STOP_PAUSED, "T02thread:1;");
    /* A stop nobody waits for is not sent, but '?' tells it. */
    gdb_system_vm_stopped(s, cs, GDB_VM_STOP_PAUSED);
    g_assert_cmpuint(vm.out->len, ==, 0);
    VM_REPLY(s, "?", "T02thread:1;");
    VM_REPLY(s, "D", "OK");
    g_assert_cmpint(vm.starts, ==, 4);
    gdb_system_disconnected(s);
    /* A new connection starts afresh. */
    gdb_system_connected(s);
    VM_REPLY(s, "qqemu.PhyMemMode", "0");
    VM_REPLY(s, "k", "");
    g_assert_cmpint(vm.quits, ==, 1);
    gdb_system_free(s);
    g_string_free(vm.out, TRUE);
    teardown();
}

typedef struct DebugTest {
    const char *name;
    GTestDataFunc fn;
} DebugTest;

static const DebugTest debug_tests[] = {
    {"break-mid-tb", test_break_mid_tb},
    {"break-translated", test_break_translated},
    {"break-in-loop", test_break_in_loop},
    {"step", test_step},
    {"step-exit-request", test_step_exit_request},
    {"step-irq", test_step_irq},
    {"watch-write", test_watch_write},
    {"watch-read-access", test_watch_read_access},
    {"watch-helpers", test_watch_helpers},
    {"watch-invalid", test_watch_invalid},
    {"memory", test_memory},
    {"memory-code", test_memory_code},
};

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/system/session", test_system);
    for (unsigned b = 0; b < G_N_ELEMENTS(toy_backend_names); b++) {
        const char *name = toy_backend_names[b];

        if (!tcg_backend_by_name(name)) {
            continue;
        }
        for (unsigned i = 0; i < G_N_ELEMENTS(debug_tests); i++) {
            g_autofree char *path =
                g_strdup_printf("/gdbstub/tcg/%s/%s", name, debug_tests[i].name);

            g_test_add_data_func(path, name, debug_tests[i].fn);
        }
    }
    return g_test_run();
}
