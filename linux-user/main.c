/*
 * morph-<arch>: run one foreign Linux program on this host, as
 * qemu-<arch> does, with the same options (QEMU's linux-user/main.c
 * option table and its messages) and MORPH_* environment variables in
 * place of QEMU_*.  A user mistake (unknown option, missing program, bad
 * ELF) is one line on stderr and exit status 1; otherwise the guest's
 * exit status becomes morph's, and a guest killed by a signal kills morph
 * by the same signal.
 *
 * Start-up: parse the options, reserve the guest address space, start
 * the translator with the final guest_base, load the program (and its
 * interpreter), map the stack and the signal trampoline, build argv,
 * envp and auxv, and enter the cpu loop on a vCPU in U-mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <unistd.h>

#include <glib.h>

#include "config-host.h"
#include "elfload.h"
#include "exec/cpu-exec.h"
#include "exec/user-page.h"
#include "gdbstub/gdbstub.h"
#include "signal-common.h"
#include "syscall.h"
#include "util/keyval.h"
#include "util/log.h"

/* AT_FLAGS bit the kernel sets for a binfmt_misc interpreter registered with P. */
#define MAIN_AT_FLAGS_PRESERVE_ARGV0 1

UserProcess user_process = {.exe_fd = -1};

typedef struct MainOptions {
    const char *interp_prefix;
    const char *cpu_model;
    const char *argv0;
    const char *log_items;
    const char *log_file;
    const char *accel;
    uint64_t guest_base;
    bool have_guest_base;
    uint64_t reserved_va;
    uint64_t stack_size;
    uint64_t seed;
    bool have_seed;
    bool strace;
    bool one_insn_per_tb;
    const char *gdb;             /* -g PORT|PATH */
    GPtrArray *env_set;   /* "VAR=VALUE" */
    GPtrArray *env_unset; /* "VAR" */
    GPtrArray *passed;    /* options kept for execve */
} MainOptions;

typedef bool (*MainOptFn)(MainOptions *o, const char *arg, Error **errp);

typedef struct MainOpt {
    const char *name;
    const char *env; /* MORPH_* equivalent, or NULL */
    bool has_arg;
    bool pass_on; /* given again to a guest's execve */
    MainOptFn fn;
    const char *argname;
    const char *help;
} MainOpt;

static void main_usage(FILE *out);

static bool opt_help(MainOptions *o, const char *arg, Error **errp)
{
    main_usage(stdout);
    exit(0);
}

static bool opt_version(MainOptions *o, const char *arg, Error **errp)
{
    printf("morph-%s version %s\nCopyright (c) the morph developers\n", user_target.name,
           MORPH_VERSION);
    exit(0);
}

static bool opt_L(MainOptions *o, const char *arg, Error **errp)
{
    o->interp_prefix = arg;
    return true;
}

static bool opt_cpu(MainOptions *o, const char *arg, Error **errp)
{
    if (strcmp(arg, "help") == 0 || strcmp(arg, "?") == 0) {
        target_cpu_list(stdout);
        exit(0);
    }
    o->cpu_model = arg;
    return target_cpu_select(arg, errp);
}

/* -E and -U take comma-separated lists (getsubopt style), as QEMU's. */
static bool opt_E(MainOptions *o, const char *arg, Error **errp)
{
    char **items = g_strsplit(arg, ",", -1);

    for (char **i = items; *i; i++) {
        if (!strchr(*i, '=')) {
            error_setg(errp, "-E: '%s' is not of the form VAR=VALUE", *i);
            g_strfreev(items);
            return false;
        }
        g_ptr_array_add(o->env_set, g_strdup(*i));
    }
    g_strfreev(items);
    return true;
}

static bool opt_U(MainOptions *o, const char *arg, Error **errp)
{
    char **items = g_strsplit(arg, ",", -1);

    for (char **i = items; *i; i++) {
        g_ptr_array_add(o->env_unset, g_strdup(*i));
    }
    g_strfreev(items);
    return true;
}

static bool opt_0(MainOptions *o, const char *arg, Error **errp)
{
    o->argv0 = arg;
    return true;
}

static bool opt_r(MainOptions *o, const char *arg, Error **errp)
{
    user_process.uname_release = g_strdup(arg);
    return true;
}

static bool opt_s(MainOptions *o, const char *arg, Error **errp)
{
    if (!parse_size(arg, 1, &o->stack_size) || o->stack_size < 65536 ||
        o->stack_size > (1ULL << 32)) {
        error_setg(errp, "invalid stack size '%s'", arg);
        return false;
    }
    o->stack_size = (o->stack_size + 4095) & ~4095ULL;
    return true;
}

static bool opt_B(MainOptions *o, const char *arg, Error **errp)
{
    if (!parse_uint64(arg, &o->guest_base) || o->guest_base % 4096) {
        error_setg(errp, "invalid guest_base address '%s'", arg);
        return false;
    }
    o->have_guest_base = true;
    return true;
}

static bool opt_R(MainOptions *o, const char *arg, Error **errp)
{
    if (!parse_size(arg, 1, &o->reserved_va) || o->reserved_va < (16ULL << 20) ||
        o->reserved_va > (1ULL << 46) || o->reserved_va % 4096) {
        error_setg(errp, "invalid reserved_va size '%s'", arg);
        return false;
    }
    return true;
}

static bool opt_d(MainOptions *o, const char *arg, Error **errp)
{
    bool help;
    uint32_t mask = log_parse_mask(arg, &help, errp);

    if (help) {
        log_print_help(stdout);
        exit(0);
    }
    if (!mask && *errp) {
        return false;
    }
    o->log_items = arg;
    log_set_mask(mask | (o->strace ? LOG_STRACE : 0));
    return true;
}

static bool opt_D(MainOptions *o, const char *arg, Error **errp)
{
    o->log_file = arg;
    return true;
}

static bool opt_strace(MainOptions *o, const char *arg, Error **errp)
{
    o->strace = true;
    return true;
}

static bool opt_g(MainOptions *o, const char *arg, Error **errp)
{
    o->gdb = arg;
    return true;
}

static bool opt_seed(MainOptions *o, const char *arg, Error **errp)
{
    if (!parse_uint64(arg, &o->seed)) {
        error_setg(errp, "invalid seed '%s'", arg);
        return false;
    }
    o->have_seed = true;
    return true;
}

static bool opt_one_insn(MainOptions *o, const char *arg, Error **errp)
{
    o->one_insn_per_tb = true;
    return true;
}

static bool opt_jit_stats(MainOptions *o, const char *arg, Error **errp)
{
    user_process.jit_stats = true;
    return true;
}

static bool opt_accel(MainOptions *o, const char *arg, Error **errp)
{
    static const char *const keys[] = {"accel", "backend", NULL};
    Opts *opts = opts_parse(arg, "accel", errp);
    const char *backend;

    if (!opts) {
        return false;
    }
    if (!opts_check_keys(opts, keys, errp)) {
        opts_free(opts);
        return false;
    }
    if (g_strcmp0(opts_get(opts, "accel"), "tcg") != 0) {
        error_setg(errp, "-accel: only 'tcg' is available");
        opts_free(opts);
        return false;
    }
    backend = opts_get(opts, "backend");
    if (backend && !tcg_backend_by_name(backend)) {
        error_setg(errp, "-accel: unknown TCG backend '%s' (x86_64, interp)", backend);
        opts_free(opts);
        return false;
    }
    opts_free(opts);
    o->accel = arg;
    return true;
}

static const MainOpt main_opts[] = {
    {"h", NULL, false, false, opt_help, NULL, "print this help"},
    {"help", NULL, false, false, opt_help, NULL, ""},
    {"g", "MORPH_GDB", true, false, opt_g, "port", "wait gdb connection to 'port'"},
    {"L", "MORPH_LD_PREFIX", true, true, opt_L, "path", "set the elf interpreter prefix to 'path'"},
    {"s", "MORPH_STACK_SIZE", true, true, opt_s, "size", "set the stack size to 'size' bytes"},
    {"cpu", "MORPH_CPU", true, true, opt_cpu, "model", "select CPU (-cpu help for list)"},
    {"E", "MORPH_SET_ENV", true, false, opt_E, "var=value",
     "sets targets environment variable (see below)"},
    {"U", "MORPH_UNSET_ENV", true, false, opt_U, "var",
     "unsets targets environment variable (see below)"},
    {"0", "MORPH_ARGV0", true, false, opt_0, "argv0",
     "forces target process argv[0] to be 'argv0'"},
    {"r", "MORPH_UNAME", true, true, opt_r, "uname", "set the uname release string to 'uname'"},
    {"B", "MORPH_GUEST_BASE", true, true, opt_B, "address", "set guest_base address to 'address'"},
    {"R", "MORPH_RESERVED_VA", true, true, opt_R, "size",
     "reserve 'size' bytes for guest virtual address space"},
    {"d", "MORPH_LOG", true, true, opt_d, "item[,...]",
     "enable logging of specified items (use '-d help' for a list of items)"},
    {"D", "MORPH_LOG_FILENAME", true, true, opt_D, "logfile",
     "write logs to 'logfile' (default stderr)"},
    {"one-insn-per-tb", "MORPH_ONE_INSN_PER_TB", false, true, opt_one_insn, NULL,
     "run with one guest instruction per translation block"},
    {"singlestep", NULL, false, true, opt_one_insn, NULL, "deprecated synonym of -one-insn-per-tb"},
    {"strace", "MORPH_STRACE", false, true, opt_strace, NULL, "log system calls"},
    {"seed", "MORPH_RAND_SEED", true, true, opt_seed, "seed",
     "seed for the AT_RANDOM bytes (deterministic runs)"},
    {"accel", "MORPH_ACCEL", true, true, opt_accel, "tcg[,backend=x86_64|interp]",
     "select the TCG backend (morph extension)"},
    {"jit-stats", "MORPH_JIT_STATS", false, true, opt_jit_stats, NULL,
     "print the translator's statistics to stderr at exit (morph extension)"},
    {"version", "MORPH_VERSION", false, false, opt_version, NULL,
     "display version information and exit"},
};

static void main_usage(FILE *out)
{
    size_t i;

    fprintf(out,
            "usage: morph-%s [options] program [arguments...]\n"
            "Linux CPU emulator (compiled for %s emulation)\n\n"
            "Options and associated environment variables:\n\n"
            "Argument             Env-variable      Description\n",
            user_target.name, user_target.name);
    for (i = 0; i < G_N_ELEMENTS(main_opts); i++) {
        const MainOpt *m = &main_opts[i];
        char *left = g_strdup_printf("-%s%s%s", m->name, m->argname ? " " : "",
                                     m->argname ? m->argname : "");

        fprintf(out, "%-20s %-17s %s\n", left, m->env ? m->env : "", m->help);
        g_free(left);
    }
    fprintf(out, "\nDefaults:\nMORPH_LD_PREFIX  = (none)\nMORPH_STACK_SIZE = 8388608 byte\n\n"
                 "You can use -E and -U options or the MORPH_SET_ENV and\n"
                 "MORPH_UNSET_ENV environment variables to set and unset\n"
                 "environment variables for the target process.\n"
                 "It is possible to provide several variables by separating them\n"
                 "by commas in getsubopt(3) style. Additionally it is possible to\n"
                 "provide the -E and -U options multiple times.\n");
}

static const MainOpt *main_find_opt(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(main_opts); i++) {
        if (strcmp(main_opts[i].name, name) == 0) {
            return &main_opts[i];
        }
    }
    return NULL;
}

/* The MORPH_* environment first, then the command line (which wins). */
static int main_parse(MainOptions *o, int argc, char **argv)
{
    Error *err = NULL;
    size_t i;
    int optind = 1;

    for (i = 0; i < G_N_ELEMENTS(main_opts); i++) {
        const MainOpt *m = &main_opts[i];
        const char *v = m->env ? getenv(m->env) : NULL;

        if (!v || m->fn == opt_help || m->fn == opt_version) {
            continue;
        }
        if (!m->fn(o, m->has_arg ? v : NULL, &err)) {
            error_prepend(&err, "%s", m->env);
            error_report_err(err);
            exit(1);
        }
    }
    while (optind < argc) {
        const char *r = argv[optind];
        const MainOpt *m;
        const char *arg = NULL;

        if (r[0] != '-') {
            break;
        }
        optind++;
        r++;
        if (strcmp(r, "-") == 0) {
            break;
        }
        /* QEMU accepts --option as -option. */
        if (r[0] == '-') {
            r++;
        }
        m = main_find_opt(r);
        if (!m) {
            error_report("unknown option '%s'", r);
            exit(1);
        }
        if (m->has_arg) {
            if (optind >= argc) {
                error_report("missing argument for option '%s'", r);
                exit(1);
            }
            arg = argv[optind++];
        }
        if (!m->fn(o, arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        if (m->pass_on) {
            g_ptr_array_add(o->passed, g_strdup(argv[optind - (m->has_arg ? 2 : 1)]));
            if (m->has_arg) {
                g_ptr_array_add(o->passed, g_strdup(arg));
            }
        }
    }
    return optind;
}

/* The guest's environment: morph's own (MORPH_* included, as QEMU passes QEMU_*), -E, -U. */
static char **main_guest_env(MainOptions *o)
{
    char **env = g_get_environ();
    guint i;

    for (i = 0; i < o->env_set->len; i++) {
        const char *kv = o->env_set->pdata[i];
        char *name = g_strndup(kv, strchr(kv, '=') - kv);

        env = g_environ_setenv(env, name, strchr(kv, '=') + 1, TRUE);
        g_free(name);
    }
    for (i = 0; i < o->env_unset->len; i++) {
        env = g_environ_unsetenv(env, o->env_unset->pdata[i]);
    }
    return env;
}

static void main_page_hook(abi_ulong start, abi_ulong end, int prot, bool mapped)
{
    int flags = 0;

    if (mapped) {
        flags = PAGE_VALID | ((prot & PROT_READ) ? PAGE_READ : 0) |
                ((prot & PROT_WRITE) ? PAGE_WRITE : 0) | ((prot & PROT_EXEC) ? PAGE_EXEC : 0);
    }
    page_set_flags(start, end - 1, flags);
}

static bool main_unprotect_hook(abi_ulong addr, abi_ulong len)
{
    return page_check_range(addr, len, PAGE_WRITE);
}

static void main_dump_vma(const MmapVma *v, void *opaque)
{
    log_printf("%016llx-%016llx %c%c%c %s\n", (unsigned long long)v->start,
               (unsigned long long)v->end, (v->prot & PROT_READ) ? 'r' : '-',
               (v->prot & PROT_WRITE) ? 'w' : '-', (v->prot & PROT_EXEC) ? 'x' : '-',
               v->name ? v->name : "");
}

/*
 * "#!interpreter [arg]" scripts: run the interpreter (a guest program)
 * with the script as its argument, as binfmt_script does.
 */
static bool main_script(const char *path, char **interp, char **iarg)
{
    char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n;
    char *p, *end;

    if (fd < 0) {
        return false;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n < 3 || buf[0] != '#' || buf[1] != '!') {
        return false;
    }
    buf[n] = '\0';
    end = strchr(buf, '\n');
    if (end) {
        *end = '\0';
    }
    p = g_strstrip(buf + 2);
    if (!*p) {
        return false;
    }
    end = p + strcspn(p, " \t");
    *iarg = NULL;
    if (*end) {
        *end++ = '\0';
        end = g_strstrip(end);
        *iarg = *end ? g_strdup(end) : NULL;
    }
    *interp = g_strdup(p);
    return true;
}

int main(int argc, char **argv)
{
    MainOptions o = {0};
    Error *err = NULL;
    ElfProgram prog;
    ElfStackInfo si = {0};
    GPtrArray *gargv;
    char **genv;
    char *exe_path, *interp = NULL, *iarg = NULL;
    const char *filename;
    uint8_t rnd[16];
    abi_ulong task_size, stack_top, sp, tramp;
    CPUState *cs;
    UserThread *ts;
    TCGExecConfig cfg = {0};
    int optind, fd, i;

    error_set_progname(g_strdup_printf("morph-%s", user_target.name));
    o.env_set = g_ptr_array_new();
    o.env_unset = g_ptr_array_new();
    o.passed = g_ptr_array_new();
    o.stack_size = 8ULL << 20;
    optind = main_parse(&o, argc, argv);
    if (optind >= argc) {
        error_report("no user program specified");
        exit(1);
    }
    if (o.log_file && !log_set_file(o.log_file, &err)) {
        error_report_err(err);
        exit(1);
    }
    if (o.strace) {
        log_set_mask(log_mask | LOG_STRACE);
    }
    user_process.strace = o.strace;
    user_process.interp_prefix = o.interp_prefix ? g_strdup(o.interp_prefix) : NULL;
    user_process.stack_size = o.stack_size;
    user_process.self_exe = g_file_read_link("/proc/self/exe", NULL);
    user_process.morph_argv = (char **)o.passed->pdata;
    user_process.morph_argc = o.passed->len;

    filename = argv[optind];
    /*
     * Started by binfmt_misc with the P flag (scripts/binfmt.sh): the
     * kernel passes the program's path, then its original argv[0].
     */
    if ((getauxval(AT_FLAGS) & MAIN_AT_FLAGS_PRESERVE_ARGV0) && optind + 1 < argc) {
        if (!o.argv0) {
            o.argv0 = argv[optind + 1];
        }
        argv[optind + 1] = argv[optind];
        optind++;
    }
    gargv = g_ptr_array_new();
    if (main_script(filename, &interp, &iarg)) {
        char *ipath = interp;

        if (o.interp_prefix && interp[0] == '/') {
            char *p = g_strconcat(o.interp_prefix, interp, NULL);

            if (access(p, F_OK) == 0) {
                ipath = p;
            } else {
                g_free(p);
            }
        }
        g_ptr_array_add(gargv, interp);
        if (iarg) {
            g_ptr_array_add(gargv, iarg);
        }
        g_ptr_array_add(gargv, (char *)filename);
        filename = ipath;
    } else {
        g_ptr_array_add(gargv, (char *)(o.argv0 ? o.argv0 : argv[optind]));
    }
    for (i = optind + 1; i < argc; i++) {
        g_ptr_array_add(gargv, argv[i]);
    }
    g_ptr_array_add(gargv, NULL);
    user_process.guest_argv = (char **)gargv->pdata;

    fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error_report("Error while loading %s: %s", filename, strerror(errno));
        exit(1);
    }
    if (!elf_check_file(fd, filename, user_target.elf_machine, &err)) {
        error_report_err(err);
        exit(1);
    }
    exe_path = realpath(filename, NULL);
    user_process.exe_path = exe_path ? exe_path : g_strdup(filename);
    user_process.exe_fd = fd;

    /* The guest address space, then the translator (guest_base is final now). */
    task_size = o.reserved_va ? o.reserved_va : user_target.task_size;
    if (!mmap_reserve(o.have_guest_base ? o.guest_base : 0, task_size,
                      1ULL << user_target.page_bits, &err)) {
        error_report_err(err);
        exit(1);
    }
    mmap_page_flags_hook = main_page_hook;
    mmap_unprotect_hook = main_unprotect_hook;
    cfg.ops = user_target.ops;
    cfg.softmmu = false;
    cfg.guest_base = guest_base;
    if (o.accel) {
        Opts *opts = opts_parse(o.accel, "accel", NULL);

        cfg.backend = tcg_backend_by_name(opts_get_default(opts, "backend", "x86_64"));
        opts_free(opts);
    }
    if (!tcg_exec_init(&cfg, &err)) {
        error_report_err(err);
        exit(1);
    }
    if (o.one_insn_per_tb) {
        tcg_set_one_insn_per_tb(true);
    }
    user_set_fault_hook(signal_user_fault);

    /* The stack at the top, the mmap area below it (Linux's top-down layout). */
    stack_top = task_size;
    if (user_process.stack_size > task_size / 4) {
        user_process.stack_size = task_size / 4 & ~4095ULL;
    }
    mmap_set_layout(0x10000, stack_top - MAX(user_process.stack_size + (1 << 20),
                                             MIN(user_target.mmap_base_gap, task_size / 4)));
    if (mmap_map(stack_top - user_process.stack_size, user_process.stack_size,
                 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
                 -1, 0) < 0) {
        error_report("cannot map the guest stack");
        exit(1);
    }
    mmap_set_name(stack_top - user_process.stack_size, stack_top, NULL, 0, VMA_ANON | VMA_STACK);
    user_process.stack_limit = stack_top - user_process.stack_size;

    if (!elf_load_program(fd, filename, o.interp_prefix, &prog, &err)) {
        error_report_err(err);
        exit(1);
    }

    /* The rt_sigreturn trampoline (the kernel's is in the vDSO). */
    tramp = mmap_map(0, mmap_guest_page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if ((abi_long)tramp < 0) {
        error_report("cannot map the signal trampoline");
        exit(1);
    }
    memcpy(g2h(tramp), target_sigtramp_code, target_sigtramp_size);
    mmap_protect(tramp, mmap_guest_page_size, PROT_READ | PROT_EXEC);
    user_process.sigtramp = tramp;

    cs = target_cpu_create();
    if (o.have_seed) {
        GRand *r = g_rand_new_with_seed((guint32)o.seed);

        for (i = 0; i < 16; i++) {
            rnd[i] = (uint8_t)g_rand_int(r);
        }
        g_rand_free(r);
    } else if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
        memset(rnd, 0x5a, sizeof(rnd));
    }
    genv = main_guest_env(&o);
    si.hwcap = target_hwcap(cs);
    si.platform = user_target.platform;
    si.execfn = argv[optind];
    si.random = rnd;
    si.stack_top = stack_top;
    si.stack_limit = user_process.stack_limit;
    sp = elf_build_stack(&prog, (int)gargv->len - 1, user_process.guest_argv, genv, &si, &err);
    if (!sp) {
        error_report_err(err);
        exit(1);
    }
    user_process.auxv_addr = si.auxv_addr;
    user_process.auxv_len = si.auxv_len;
    target_cpu_set_start(cs, prog.start_pc, sp);

    ts = g_new0(UserThread, 1);
    ts->cpu = cs;
    ts->tid = gettid();
    user_thread_set_self(ts);
    syscall_init();
    signal_init();
    if (log_enabled(LOG_PAGE)) {
        log_printf("guest_base  0x%llx\nstart_brk   0x%llx\nentry       0x%llx\n"
                   "start_stack 0x%llx\n",
                   (unsigned long long)guest_base,
                   (unsigned long long)GUEST_PAGE_ALIGN(prog.exe.end_data),
                   (unsigned long long)prog.start_pc, (unsigned long long)sp);
        mmap_foreach(main_dump_vma, NULL);
    }
    if (o.gdb) {
        /* As qemu-user: wait for the debugger before the first instruction. */
        gdbserver_set_auxv(user_process.auxv_addr, user_process.auxv_len);
        if (!gdbserver_start(o.gdb, &err)) {
            error_report_err(err);
            exit(1);
        }
        gdb_handlesig(cs, 0);
    }
    target_cpu_loop(cs);
}
