/*
 * Unit tests for linux-user/elfload.c.  Small ELF files are built here
 * byte by byte: a good one is loaded and its segments, bss, entry and
 * program header address are checked in guest memory; each broken header
 * field gives an error (never a crash); random corruption of a good file
 * is loaded many times under the same rule; the Debian riscv64 sysroot's
 * ld.so (a real ET_DYN) loads when it is installed; and the initial stack
 * is parsed back (argc, argv, envp, auxv, alignment, AT_RANDOM, AT_EXECFN).
 */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "elfload.h"

#define VA_SIZE (1ULL << 34)
#define PG      4096ULL

/* accel/tcg defines it in the binary. */
uintptr_t guest_base;

const UserTargetInfo user_target = {
    .name = "test",
    .elf_machine = EM_RISCV,
    .page_bits = 12,
    .task_size = VA_SIZE,
    .et_dyn_base = (VA_SIZE / 3 * 2) & ~(PG - 1),
};

/* A test file: header, 3 program headers, text page, data page. */
typedef struct TestElf {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[3];
    uint8_t pad[PG - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr)];
    uint8_t text[PG];
    uint8_t data[100];
} TestElf;

static void make_elf(TestElf *e, uint16_t type)
{
    abi_ulong base = type == ET_EXEC ? 0x10000 : 0;

    memset(e, 0, sizeof(*e));
    memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
    e->eh.e_ident[EI_CLASS] = ELFCLASS64;
    e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    e->eh.e_ident[EI_VERSION] = EV_CURRENT;
    e->eh.e_type = type;
    e->eh.e_machine = EM_RISCV;
    e->eh.e_version = EV_CURRENT;
    e->eh.e_entry = base + PG + 0x10;
    e->eh.e_phoff = offsetof(TestElf, ph);
    e->eh.e_ehsize = sizeof(Elf64_Ehdr);
    e->eh.e_phentsize = sizeof(Elf64_Phdr);
    e->eh.e_phnum = 3;
    /* Text: headers + code, RX, file offset 0. */
    e->ph[0] = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_X,
                            .p_offset = 0,
                            .p_vaddr = base,
                            .p_filesz = 2 * PG,
                            .p_memsz = 2 * PG,
                            .p_align = PG};
    /* Data: 100 bytes of file then bss to 3 pages, RW, at a different page offset. */
    e->ph[1] = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_W,
                            .p_offset = offsetof(TestElf, data),
                            .p_vaddr = base + 0x10000 + 2 * PG,
                            .p_filesz = 100,
                            .p_memsz = 3 * PG,
                            .p_align = PG};
    e->ph[2] = (Elf64_Phdr){.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
    memset(e->text, 0x13, sizeof(e->text));
    memset(e->data, 0xdd, sizeof(e->data));
}

static int write_tmp(const void *buf, size_t len, char *path)
{
    int fd;

    strcpy(path, "/tmp/morph-test-elf-XXXXXX");
    fd = mkstemp(path);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, buf, len), ==, (ssize_t)len);
    return fd;
}

static void setup(void)
{
    g_assert_true(mmap_reserve(0, VA_SIZE, PG, NULL));
    mmap_set_layout(0x10000, VA_SIZE - (128 << 20));
}

/* Load buf; returns whether it loaded; err text in *msg (g_free). */
static bool try_load(const void *buf, size_t len, ElfImage *img, char **msg)
{
    char path[64];
    int fd = write_tmp(buf, len, path);
    Error *err = NULL;
    bool ok;

    setup();
    ok = elf_load_image(fd, path, EM_RISCV, 0, img, &err);
    if (!ok) {
        g_assert_nonnull(err);
        if (msg) {
            *msg = g_strdup(error_get_pretty(err));
        }
        g_assert_null(strchr(error_get_pretty(err), '\n'));
        error_free(err);
    }
    close(fd);
    unlink(path);
    return ok;
}

static void test_load_exec(void)
{
    TestElf e;
    ElfImage img;
    const uint8_t *data;

    make_elf(&e, ET_EXEC);
    g_assert_true(try_load(&e, sizeof(e), &img, NULL));
    g_assert_false(img.is_dyn);
    g_assert_cmphex(img.load_bias, ==, 0);
    g_assert_cmphex(img.entry, ==, 0x11010);
    g_assert_cmphex(img.phdr_addr, ==, 0x10000 + offsetof(TestElf, ph));
    g_assert_cmpuint(img.phnum, ==, 3);
    g_assert_false(img.exec_stack);
    g_assert_cmpint(((uint8_t *)g2h(0x11000))[5], ==, 0x13);
    g_assert_true(mmap_check_range(0x10000, 2 * PG, PROT_READ | PROT_EXEC));
    g_assert_false(mmap_check_range(0x10000, 1, PROT_WRITE));
    /* Data: the file bytes, then zeroes (padzero + anonymous bss). */
    data = g2h(0x20000 + 2 * PG + (offsetof(TestElf, data) & (PG - 1)));
    g_assert_cmpint(data[0], ==, 0xdd);
    g_assert_cmpint(data[99], ==, 0xdd);
    g_assert_cmpint(data[100], ==, 0);
    g_assert_true(mmap_check_range(0x20000 + 2 * PG, 3 * PG, PROT_READ | PROT_WRITE));
    g_assert_cmphex(img.end_data, ==,
                    0x20000 + 2 * PG + (offsetof(TestElf, data) & (PG - 1)) + 3 * PG);
    g_free(img.interp);
    mmap_teardown();
}

static void test_load_dyn_interp(void)
{
    struct {
        TestElf e;
        char interp[32];
    } f;
    ElfImage img;

    make_elf(&f.e, ET_DYN);
    f.e.ph[2] = (Elf64_Phdr){.p_type = PT_INTERP,
                             .p_offset = offsetof(typeof(f), interp),
                             .p_filesz = strlen("/lib/ld.so") + 1};
    strcpy(f.interp, "/lib/ld.so");
    g_assert_true(try_load(&f, sizeof(f), &img, NULL));
    g_assert_true(img.is_dyn);
    g_assert_cmphex(img.load_bias, !=, 0);
    g_assert_cmphex(img.load_bias & (PG - 1), ==, 0);
    g_assert_cmphex(img.entry, ==, img.load_bias + PG + 0x10);
    g_assert_cmpstr(img.interp, ==, "/lib/ld.so");
    g_assert_cmpint(((uint8_t *)g2h(img.load_bias + PG))[0], ==, 0x13);
    g_free(img.interp);
    mmap_teardown();
}

/* A PIE main program whose PT_INTERP is found under the -L prefix. */
static void test_program_with_interp(void)
{
    char root[] = "/tmp/morph-test-root-XXXXXX";
    char *libdir, *ldso, path[64];
    struct {
        TestElf e;
        char interp[32];
    } f;
    TestElf ld;
    ElfProgram prog;
    Error *err = NULL;
    int fd;

    g_assert_nonnull(mkdtemp(root));
    libdir = g_build_filename(root, "lib", NULL);
    g_assert_cmpint(g_mkdir_with_parents(libdir, 0755), ==, 0);
    ldso = g_build_filename(libdir, "ld-test.so", NULL);
    make_elf(&ld, ET_DYN);
    ld.eh.e_entry = PG + 0x20;
    g_assert_true(g_file_set_contents(ldso, (const char *)&ld, sizeof(ld), NULL));

    make_elf(&f.e, ET_DYN);
    f.e.ph[2] = (Elf64_Phdr){.p_type = PT_INTERP,
                             .p_offset = offsetof(typeof(f), interp),
                             .p_filesz = strlen("/lib/ld-test.so") + 1};
    strcpy(f.interp, "/lib/ld-test.so");
    fd = write_tmp(&f, sizeof(f), path);
    setup();
    g_assert_true(elf_load_program(fd, path, root, &prog, &err));
    g_assert_true(prog.has_interp);
    g_assert_cmpstr(prog.interp_path, ==, ldso);
    /* The main program goes to ELF_ET_DYN_BASE, the interpreter elsewhere. */
    g_assert_cmphex(prog.exe.load_addr, ==, user_target.et_dyn_base);
    g_assert_cmphex(prog.interp.load_addr, !=, prog.exe.load_addr);
    g_assert_cmphex(prog.start_pc, ==, prog.interp.load_bias + PG + 0x20);
    g_assert_cmphex(prog.exe.entry, ==, prog.exe.load_bias + PG + 0x10);
    elf_program_free(&prog);
    mmap_teardown();

    /* Not under the prefix, not on the host: one error naming it. */
    g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
    unlink(ldso);
    setup();
    g_assert_false(elf_load_program(fd, path, root, &prog, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "/lib/ld-test.so"));
    error_free(err);
    elf_program_free(&prog);
    mmap_teardown();

    close(fd);
    unlink(path);
    rmdir(libdir);
    rmdir(root);
    g_free(libdir);
    g_free(ldso);
}

typedef void (*Breaker)(TestElf *e);

static void br_magic(TestElf *e)
{
    e->eh.e_ident[1] = 'X';
}
static void br_class(TestElf *e)
{
    e->eh.e_ident[EI_CLASS] = ELFCLASS32;
}
static void br_data(TestElf *e)
{
    e->eh.e_ident[EI_DATA] = ELFDATA2MSB;
}
static void br_machine(TestElf *e)
{
    e->eh.e_machine = EM_X86_64;
}
static void br_type(TestElf *e)
{
    e->eh.e_type = ET_REL;
}
static void br_version(TestElf *e)
{
    e->eh.e_version = 0;
}
static void br_phentsize(TestElf *e)
{
    e->eh.e_phentsize = 40;
}
static void br_phnum0(TestElf *e)
{
    e->eh.e_phnum = 0;
}
static void br_phnum_big(TestElf *e)
{
    e->eh.e_phnum = 0xffff;
}
static void br_phoff(TestElf *e)
{
    e->eh.e_phoff = ~0ULL - 8;
}
static void br_seg_off(TestElf *e)
{
    e->ph[1].p_offset = 1ULL << 40;
}
static void br_seg_filesz(TestElf *e)
{
    e->ph[1].p_filesz = 1ULL << 20;
}
static void br_filesz_gt_memsz(TestElf *e)
{
    e->ph[1].p_memsz = 50;
}
static void br_congruent(TestElf *e)
{
    e->ph[1].p_vaddr += 8;
}
static void br_vaddr_wrap(TestElf *e)
{
    e->ph[1].p_vaddr = ~0ULL - PG + 1;
}
static void br_vaddr_huge(TestElf *e)
{
    e->ph[1].p_vaddr = 1ULL << 50;
}
static void br_align(TestElf *e)
{
    e->ph[1].p_align = 3 * PG;
}
static void br_page_zero(TestElf *e)
{
    e->ph[0].p_vaddr = 0;
}
static void br_no_load(TestElf *e)
{
    e->ph[0].p_type = e->ph[1].p_type = PT_NOTE;
}
static void br_interp_nonul(TestElf *e)
{
    e->ph[2] =
        (Elf64_Phdr){.p_type = PT_INTERP, .p_offset = offsetof(TestElf, data), .p_filesz = 10};
}
static void br_interp_len(TestElf *e)
{
    e->ph[2] = (Elf64_Phdr){.p_type = PT_INTERP, .p_offset = 0, .p_filesz = 1};
}

static void test_bad_headers(void)
{
    static const Breaker breakers[] = {
        br_magic,           br_class,        br_data,
        br_machine,         br_type,         br_version,
        br_phentsize,       br_phnum0,       br_phnum_big,
        br_phoff,           br_seg_off,      br_seg_filesz,
        br_filesz_gt_memsz, br_congruent,    br_vaddr_wrap,
        br_vaddr_huge,      br_align,        br_page_zero,
        br_no_load,         br_interp_nonul, br_interp_len,
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(breakers); i++) {
        TestElf e;
        ElfImage img;
        char *msg = NULL;

        make_elf(&e, ET_EXEC);
        breakers[i](&e);
        if (try_load(&e, sizeof(e), &img, &msg)) {
            g_error("broken file %zu loaded", i);
        }
        g_test_message("case %zu: %s", i, msg);
        g_free(msg);
        mmap_teardown();
    }
}

static void test_truncated(void)
{
    TestElf e;
    ElfImage img;
    size_t cut[] = {0, 4, 63, 64, 100, offsetof(TestElf, pad), PG + 10};
    size_t i;

    make_elf(&e, ET_EXEC);
    for (i = 0; i < G_N_ELEMENTS(cut); i++) {
        g_assert_false(try_load(&e, cut[i], &img, NULL));
        mmap_teardown();
    }
}

static void test_random_corruption(void)
{
    GRand *r = g_rand_new_with_seed(1234);
    int n;

    for (n = 0; n < 300; n++) {
        TestElf e;
        ElfImage img;
        int k, flips = g_rand_int_range(r, 1, 6);

        make_elf(&e, g_rand_boolean(r) ? ET_EXEC : ET_DYN);
        for (k = 0; k < flips; k++) {
            /* Corrupt the headers, where the checks are. */
            size_t at = g_rand_int_range(r, 0, offsetof(TestElf, pad));

            ((uint8_t *)&e)[at] = g_rand_int(r);
        }
        if (try_load(&e, sizeof(e), &img, NULL)) {
            g_free(img.interp);
        }
        mmap_teardown();
    }
    g_rand_free(r);
}

static void test_real_ld_so(void)
{
    const char *path = "/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1";
    int fd = open(path, O_RDONLY);
    ElfImage img;
    Error *err = NULL;

    if (fd < 0) {
        g_test_skip("riscv64 sysroot not installed");
        return;
    }
    setup();
    g_assert_true(elf_load_image(fd, path, EM_RISCV, 0, &img, &err));
    g_assert_true(img.is_dyn);
    g_assert_null(img.interp);
    g_assert_true(mmap_check_range(img.entry, 4, PROT_READ | PROT_EXEC));
    g_assert_cmpmem(g2h(img.load_addr), 4, ELFMAG, 4);
    close(fd);
    mmap_teardown();
}

static void test_stack(void)
{
    char *argv[] = {"prog", "a", "", "third arg", NULL};
    char *envp[] = {"A=1", "PATH=/bin", NULL};
    const uint8_t rnd[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    abi_ulong top = VA_SIZE, stack = 1 << 20, sp;
    ElfProgram prog = {0};
    ElfStackInfo info = {
        .hwcap = 0x112d,
        .platform = "riscv64",
        .execfn = "/path/prog",
        .random = rnd,
        .stack_top = top,
        .stack_limit = top - stack,
    };
    uint64_t *w, at_random = 0, at_execfn = 0, at_hwcap = 0, at_phnum = 0, at_platform = 0;
    int i;

    setup();
    g_assert_cmpint(mmap_map(top - stack, stack, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                    ==, top - stack);
    prog.exe.phnum = 7;
    sp = elf_build_stack(&prog, 4, argv, envp, &info, NULL);
    g_assert_cmphex(sp, !=, 0);
    g_assert_cmphex(sp & 15, ==, 0);
    w = g2h(sp);
    g_assert_cmpuint(w[0], ==, 4);
    for (i = 0; i < 4; i++) {
        g_assert_cmpstr(g2h(w[1 + i]), ==, argv[i]);
    }
    g_assert_cmpuint(w[5], ==, 0);
    g_assert_cmpstr(g2h(w[6]), ==, "A=1");
    g_assert_cmpstr(g2h(w[7]), ==, "PATH=/bin");
    g_assert_cmpuint(w[8], ==, 0);
    g_assert_cmphex(info.auxv_addr, ==, sp + 9 * 8);
    for (w = g2h(info.auxv_addr); w[0] != 0; w += 2) {
        switch (w[0]) {
        case 25:
            at_random = w[1];
            break;
        case 31:
            at_execfn = w[1];
            break;
        case 16:
            at_hwcap = w[1];
            break;
        case 5:
            at_phnum = w[1];
            break;
        case 15:
            at_platform = w[1];
            break;
        }
    }
    g_assert_cmpuint(info.auxv_len, ==,
                     (uint64_t)((uint8_t *)w + 16 - (uint8_t *)g2h(info.auxv_addr)));
    g_assert_cmpmem(g2h(at_random), 16, rnd, 16);
    g_assert_cmpstr(g2h(at_execfn), ==, "/path/prog");
    g_assert_cmpstr(g2h(at_platform), ==, "riscv64");
    g_assert_cmphex(at_hwcap, ==, 0x112d);
    g_assert_cmpuint(at_phnum, ==, 7);
    /* Too much: E2BIG as an error, not an overflow. */
    info.stack_limit = top - 64;
    g_assert_cmphex(elf_build_stack(&prog, 4, argv, envp, &info, NULL), ==, 0);
    mmap_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/elfload/exec", test_load_exec);
    g_test_add_func("/elfload/dyn-interp", test_load_dyn_interp);
    g_test_add_func("/elfload/program-interp", test_program_with_interp);
    g_test_add_func("/elfload/bad-headers", test_bad_headers);
    g_test_add_func("/elfload/truncated", test_truncated);
    g_test_add_func("/elfload/random-corruption", test_random_corruption);
    g_test_add_func("/elfload/real-ld-so", test_real_ld_so);
    g_test_add_func("/elfload/stack", test_stack);
    return g_test_run();
}
