/*
 * riscv64 user mode: the address space layout (Sv39: 256 GiB of user
 * space), the vCPU in U-mode, the clone/fork register ABI, AT_HWCAP and
 * /proc/cpuinfo, the cpu loop that turns RISC-V exceptions into system
 * calls and signals, and the riscv-only system calls (riscv_flush_icache,
 * riscv_hwprobe).  Facts: the Linux kernel's arch/riscv (entry.S for the
 * syscall ABI: a7 = number, a0..a5 = arguments, result in a0;
 * include/uapi/asm/hwprobe.h; kernel/sys_hwprobe.c).
 */
#include <elf.h>
#include <string.h>

#include <glib.h>

#include "cpu.h"
#include "exec/cpu-exec.h"
#include "signal-common.h"
#include "syscall.h"
#include "syscall-nr.h"
#include "util/log.h"

/* Register numbers of the calling convention. */
enum {
    RV_RA = 1,
    RV_SP = 2,
    RV_TP = 4,
    RV_A0 = 10,
    RV_A7 = 17,
};

const UserTargetInfo user_target = {
    .name = "riscv64",
    .elf_machine = EM_RISCV,
    .platform = NULL,
    .page_bits = RISCV_PAGE_BITS,
    .task_size = 1ULL << 38,
    /* ELF_ET_DYN_BASE: 2/3 of the address space, page aligned. */
    .et_dyn_base = ((1ULL << 38) / 3 * 2) & ~(RISCV_PAGE_SIZE - 1),
    .mmap_base_gap = 128ULL << 20,
    .ops = &riscv64_target_ops,
};

/* li a7, 139 (rt_sigreturn); ecall */
const uint8_t target_sigtramp_code[] = {
    0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00,
};
const size_t target_sigtramp_size = sizeof(target_sigtramp_code);

/* The configuration -cpu selected (target/riscv/cpu-models.c parses it). */
static RISCVCPUConfig target_cfg;
static bool target_cfg_ready;

static void target_cfg_init(void)
{
    if (!target_cfg_ready) {
        riscv_cpu_default_config(&target_cfg);
        target_cfg_ready = true;
    }
}

bool target_cpu_select(const char *model, Error **errp)
{
    RISCVCPUConfig cfg;

    target_cfg_init();
    if (!model) {
        return true;
    }
    if (!riscv_cpu_parse_model(model, &cfg, errp)) {
        return false;
    }
    target_cfg = cfg;
    return true;
}

void target_cpu_list(FILE *out)
{
    riscv_cpu_list_models(out);
}

static int target_next_cpu_index;

CPUState *target_cpu_create(void)
{
    CPUState *cs = tcg_cpu_create(&riscv64_target_ops,
                                  __atomic_fetch_add(&target_next_cpu_index, 1, __ATOMIC_RELAXED));
    CPURISCVState *env = cpu_env(cs);

    target_cfg_init();
    env->cfg = target_cfg;
    riscv_cpu_reset(cs);
    riscv_cpu_set_user_mode(env);
    return cs;
}

CPUState *target_cpu_clone(CPUState *parent, abi_ulong newsp, bool set_tls, abi_ulong tls)
{
    CPUState *cs = target_cpu_create();
    CPURISCVState *env = cpu_env(cs), *penv = cpu_env(parent);
    int idx = env->mhartid;

    /* The whole unprivileged state is the parent's at the clone. */
    memcpy(env->gpr, penv->gpr, sizeof(env->gpr));
    memcpy(env->fpr, penv->fpr, sizeof(env->fpr));
    env->frm = penv->frm;
    env->fflags = penv->fflags;
    env->mstatus = penv->mstatus;
    env->mhartid = idx;
    /* The child resumes after the ecall with a0 = 0. */
    env->pc = penv->pc + 4;
    env->gpr[RV_A0] = 0;
    if (newsp) {
        env->gpr[RV_SP] = newsp;
    }
    if (set_tls) {
        env->gpr[RV_TP] = tls;
    }
    return cs;
}

void target_cpu_free(CPUState *cs)
{
    tcg_cpu_free(cs);
}

void target_cpu_set_start(CPUState *cs, abi_ulong pc, abi_ulong sp)
{
    CPURISCVState *env = cpu_env(cs);

    memset(env->gpr, 0, sizeof(env->gpr));
    env->gpr[RV_SP] = sp;
    env->pc = pc;
}

void target_cpu_fork_child(CPUState *cs, abi_ulong newsp)
{
    CPURISCVState *env = cpu_env(cs);

    if (newsp) {
        env->gpr[RV_SP] = newsp;
    }
}

abi_ulong target_hwcap(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);
    static const char letters[] = "IMAFDC";
    abi_ulong hw = 0;

    /* One bit per single-letter extension, bit (letter - 'A'). */
    for (const char *c = letters; *c; c++) {
        if (riscv_has_ext(env, RV(*c))) {
            hw |= 1ULL << (*c - 'A');
        }
    }
    return hw;
}

char *target_cpuinfo(CPUState *cs, int ncpus)
{
    CPUState *tmp = cs ? NULL : target_cpu_create();
    CPURISCVState *env = cpu_env(cs ? cs : tmp);
    char *isa = riscv_isa_string(env);
    GString *s = g_string_new(NULL);
    int i;

    for (i = 0; i < ncpus; i++) {
        g_string_append_printf(s, "processor\t: %d\nhart\t\t: %d\nisa\t\t: %s\nmmu\t\t: sv39\n\n",
                               i, i, isa);
    }
    g_free(isa);
    if (tmp) {
        tcg_cpu_free(tmp);
    }
    return g_string_free(s, FALSE);
}

abi_ulong target_cpu_sp(CPUState *cs)
{
    return ((CPURISCVState *)cpu_env(cs))->gpr[RV_SP];
}

abi_ulong target_cpu_pc(CPUState *cs)
{
    return ((CPURISCVState *)cpu_env(cs))->pc;
}

void target_cpu_syscall_eintr(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);

    env->gpr[RV_A0] = (abi_ulong)-EINTR;
    env->pc += 4;
}

static void target_do_syscall(CPUState *cs, CPURISCVState *env)
{
    UserThread *ts = user_thread_self();
    abi_long ret;

    env->pc += 4;
    ret = syscall_do(cs, env->gpr[RV_A7], &env->gpr[RV_A0]);
    if (ret == -USER_ERESTARTSYS) {
        /* Re-execute the ecall unless a handler without SA_RESTART runs first. */
        env->pc -= 4;
        ts->syscall_restart = true;
    } else if (ret != -USER_ESIGRETURN) {
        env->gpr[RV_A0] = ret;
    }
}

void target_cpu_loop(CPUState *cs)
{
    CPURISCVState *env = cpu_env(cs);

    for (;;) {
        int trapnr = cpu_exec(cs);

        switch (trapnr) {
        case RISCV_EXCP_U_ECALL:
            target_do_syscall(cs, env);
            break;
        case EXCP_INTERRUPT:
        case EXCP_YIELD:
            break;
        case EXCP_ATOMIC:
            cpu_exec_step_atomic(cs);
            break;
        case EXCP_DEBUG:
        case RISCV_EXCP_BREAKPOINT:
            signal_force(SIGTRAP, GUEST_TRAP_BRKPT, env->pc);
            break;
        case RISCV_EXCP_ILLEGAL_INST:
            signal_force(SIGILL, GUEST_ILL_ILLOPC, env->pc);
            break;
        case RISCV_EXCP_INST_ADDR_MIS:
        case RISCV_EXCP_LOAD_ADDR_MIS:
        case RISCV_EXCP_STORE_AMO_ADDR_MIS:
            signal_force(SIGBUS, GUEST_BUS_ADRALN, env->badaddr);
            break;
        case RISCV_EXCP_INST_ACCESS_FAULT:
        case RISCV_EXCP_LOAD_ACCESS_FAULT:
        case RISCV_EXCP_STORE_AMO_ACCESS_FAULT:
            signal_force(SIGSEGV, GUEST_SEGV_ACCERR, env->badaddr);
            break;
        case RISCV_EXCP_INST_PAGE_FAULT:
        case RISCV_EXCP_LOAD_PAGE_FAULT:
        case RISCV_EXCP_STORE_PAGE_FAULT:
            signal_force(SIGSEGV, GUEST_SEGV_MAPERR, env->badaddr);
            break;
        default:
            fprintf(stderr, "morph: unhandled CPU exception %d at pc 0x%llx\n", trapnr,
                    (unsigned long long)env->pc);
            if (cs->ops->dump_state) {
                cs->ops->dump_state(cs, stderr, 0);
            }
            abort();
        }
        signal_process_pending(cs);
    }
}

/* ---- riscv-only system calls ---- */

static abi_long sys_riscv_flush_icache(CPUState *cs, const abi_ulong *a)
{
    abi_ulong start = a[0], end = a[1];

    if (a[2] & ~1ULL) {
        return -EINVAL;
    }
    /* Writes to code pages already drop their TBs; this covers the rest. */
    if (end > start && start < mmap_reserved_va) {
        end = MIN(end, mmap_reserved_va);
        tb_invalidate_phys_range(start, end - 1);
    }
    return 0;
}

/* include/uapi/asm/hwprobe.h */
enum {
    HWPROBE_KEY_MVENDORID = 0,
    HWPROBE_KEY_MARCHID = 1,
    HWPROBE_KEY_MIMPID = 2,
    HWPROBE_KEY_BASE_BEHAVIOR = 3,
    HWPROBE_KEY_IMA_EXT_0 = 4,
    HWPROBE_KEY_CPUPERF_0 = 5,
    HWPROBE_BASE_BEHAVIOR_IMA = 1,
    HWPROBE_IMA_FD = 1 << 0,
    HWPROBE_IMA_C = 1 << 1,
    HWPROBE_EXT_ZBA = 1 << 3,
    HWPROBE_EXT_ZBB = 1 << 4,
    HWPROBE_EXT_ZBS = 1 << 5,
    HWPROBE_MISALIGNED_UNKNOWN = 0,
};

static abi_long sys_riscv_hwprobe(CPUState *cs, const abi_ulong *a)
{
    CPURISCVState *env = cpu_env(cs);
    abi_ulong n = a[1], i;
    int64_t *pairs;

    if (a[4] != 0) {
        return -EINVAL;
    }
    if (n > 4096) {
        return -EINVAL;
    }
    pairs = uaccess_ptr(a[0], n * 16, PROT_READ | PROT_WRITE);
    if (n && !pairs) {
        return -EFAULT;
    }
    for (i = 0; i < n; i++) {
        int64_t key = pairs[2 * i];
        uint64_t v = 0;

        switch (key) {
        case HWPROBE_KEY_MVENDORID:
            v = env->cfg.mvendorid;
            break;
        case HWPROBE_KEY_MARCHID:
            v = env->cfg.marchid;
            break;
        case HWPROBE_KEY_MIMPID:
            v = env->cfg.mimpid;
            break;
        case HWPROBE_KEY_BASE_BEHAVIOR:
            v = HWPROBE_BASE_BEHAVIOR_IMA;
            break;
        case HWPROBE_KEY_IMA_EXT_0:
            v |= (riscv_has_ext(env, RVF) && riscv_has_ext(env, RVD)) ? HWPROBE_IMA_FD : 0;
            v |= riscv_has_ext(env, RVC) ? HWPROBE_IMA_C : 0;
            v |= env->cfg.ext_zba ? HWPROBE_EXT_ZBA : 0;
            v |= env->cfg.ext_zbb ? HWPROBE_EXT_ZBB : 0;
            v |= env->cfg.ext_zbs ? HWPROBE_EXT_ZBS : 0;
            break;
        case HWPROBE_KEY_CPUPERF_0:
            v = HWPROBE_MISALIGNED_UNKNOWN;
            break;
        default:
            /* An unknown key is answered with key -1. */
            pairs[2 * i] = -1;
            v = 0;
            break;
        }
        pairs[2 * i + 1] = (int64_t)v;
    }
    return 0;
}

const SyscallDef syscall_target_defs[] = {
    {TARGET_NR_riscv_flush_icache, "riscv_flush_icache", sys_riscv_flush_icache, "xxx"},
    {TARGET_NR_riscv_hwprobe, "riscv_hwprobe", sys_riscv_hwprobe, "puupx"},
    {0, NULL, NULL, NULL},
};
