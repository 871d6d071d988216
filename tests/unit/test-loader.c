/*
 * The loader (hw/core/loader.c) on hostile input: ELF headers, program
 * headers and segments that lie about their sizes, blobs that overlap or
 * fall outside memory; a good ELF's segments and bss after rom_reset();
 * the RISC-V Image header; and the device-tree builder's output.
 */
#include <elf.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include "hw/fdt-builder.h"
#include "hw/loader.h"

#define RAM_BASE 0x80000000
#define RAM_SIZE 0x100000

static MemoryRegion ram;

static void setup_ram(void)
{
    static bool done;

    if (!done) {
        g_assert_true(memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE, &error_abort));
        memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram);
        done = true;
    }
    rom_free_all();
}

/* An ELF64 RISC-V executable: one PT_LOAD of 16 bytes of data + 16 of bss. */
static GByteArray *make_elf(void)
{
    GByteArray *b = g_byte_array_new();
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    uint8_t data[16];

    memset(&eh, 0, sizeof(eh));
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = RAM_BASE + 0x1000;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(ph);
    eh.e_phnum = 1;
    memset(&ph, 0, sizeof(ph));
    ph.p_type = PT_LOAD;
    ph.p_offset = sizeof(eh) + sizeof(ph);
    ph.p_paddr = ph.p_vaddr = RAM_BASE + 0x1000;
    ph.p_filesz = 16;
    ph.p_memsz = 32;
    for (int i = 0; i < 16; i++) {
        data[i] = (uint8_t)(0xa0 + i);
    }
    g_byte_array_append(b, (const uint8_t *)&eh, sizeof(eh));
    g_byte_array_append(b, (const uint8_t *)&ph, sizeof(ph));
    g_byte_array_append(b, data, sizeof(data));
    return b;
}

static Elf64_Ehdr *ehdr(GByteArray *b)
{
    return (Elf64_Ehdr *)b->data;
}

static Elf64_Phdr *phdr(GByteArray *b)
{
    return (Elf64_Phdr *)(b->data + sizeof(Elf64_Ehdr));
}

static bool try_load(GByteArray *b, size_t len)
{
    ElfInfo info;
    Error *err = NULL;
    bool ok = elf_load_buffer("test.elf", b->data, len, EM_RISCV, &info, &err);

    if (!ok) {
        g_assert_nonnull(err);
        error_free(err);
    }
    rom_free_all();
    return ok;
}

static void test_elf_good(void)
{
    GByteArray *b = make_elf();
    ElfInfo info;
    uint8_t buf[32];

    setup_ram();
    /* Dirty the bss area: reset must zero it. */
    memset(buf, 0xff, sizeof(buf));
    address_space_write(address_space_memory(), RAM_BASE + 0x1000, 0, buf, sizeof(buf));
    g_assert_true(elf_load_buffer("test.elf", b->data, b->len, EM_RISCV, &info, &error_abort));
    g_assert_cmphex(info.entry, ==, RAM_BASE + 0x1000);
    g_assert_cmphex(info.low, ==, RAM_BASE + 0x1000);
    g_assert_cmphex(info.high, ==, RAM_BASE + 0x1020);
    rom_reset(address_space_memory());
    address_space_read(address_space_memory(), RAM_BASE + 0x1000, 0, buf, sizeof(buf));
    g_assert_cmphex(buf[0], ==, 0xa0);
    g_assert_cmphex(buf[15], ==, 0xaf);
    g_assert_cmphex(buf[16], ==, 0);
    g_assert_cmphex(buf[31], ==, 0);
    g_assert_cmphex(rom_top(), ==, RAM_BASE + 0x1020);
    rom_free_all();
    g_byte_array_free(b, TRUE);
}

static void test_elf_hostile(void)
{
    GByteArray *b = make_elf();

    setup_ram();
    g_assert_true(try_load(b, b->len));
    /* Truncated anywhere in the headers or the data. */
    for (size_t len = 0; len < b->len; len++) {
        g_assert_false(try_load(b, len));
    }
    ehdr(b)->e_ident[EI_CLASS] = ELFCLASS32;
    g_assert_false(try_load(b, b->len));
    ehdr(b)->e_ident[EI_CLASS] = ELFCLASS64;
    ehdr(b)->e_machine = EM_X86_64;
    g_assert_false(try_load(b, b->len));
    ehdr(b)->e_machine = EM_RISCV;
    ehdr(b)->e_phoff = UINT64_MAX - 8;
    g_assert_false(try_load(b, b->len));
    ehdr(b)->e_phoff = sizeof(Elf64_Ehdr);
    ehdr(b)->e_phnum = 0xffff;
    g_assert_false(try_load(b, b->len));
    ehdr(b)->e_phnum = 1;
    ehdr(b)->e_phentsize = 8;
    g_assert_false(try_load(b, b->len));
    ehdr(b)->e_phentsize = sizeof(Elf64_Phdr);
    /* Segment lies. */
    phdr(b)->p_filesz = 64;
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_memsz = 64;
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_filesz = 16;
    phdr(b)->p_offset = UINT64_MAX - 4;
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_offset = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
    phdr(b)->p_paddr = UINT64_MAX - 8;
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_paddr = 0x1000;  /* no memory there */
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_paddr = RAM_BASE + RAM_SIZE - 16;  /* runs off the end of RAM */
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_memsz = (uint64_t)64 << 30;
    g_assert_false(try_load(b, b->len));
    phdr(b)->p_type = PT_NOTE;
    g_assert_false(try_load(b, b->len));
    g_byte_array_free(b, TRUE);
}

static void test_blob_overlap(void)
{
    static const uint8_t data[64];
    Error *err = NULL;

    setup_ram();
    g_assert_true(rom_add_blob("a", data, 32, 64, RAM_BASE + 0x100, &error_abort));
    g_assert_true(rom_add_blob("b", data, 16, 16, RAM_BASE + 0x140, &error_abort));
    g_assert_true(rom_add_blob("c", data, 16, 16, RAM_BASE + 0xf0, &error_abort));
    g_assert_false(rom_add_blob("d", data, 16, 16, RAM_BASE + 0x13f, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "overlap"));
    error_free(err);
    err = NULL;
    g_assert_false(rom_add_blob("e", data, 64, 64, RAM_BASE + 0xc8, &err));
    error_free(err);
    rom_free_all();
}

static void test_riscv_image(void)
{
    uint8_t hdr[64];
    RISCVImageInfo info;
    uint64_t text = 0x200000, size = 0xd02000;

    memset(hdr, 0, sizeof(hdr));
    g_assert_false(riscv_image_parse(hdr, sizeof(hdr), &info));
    memcpy(hdr + 8, &text, 8);
    memcpy(hdr + 16, &size, 8);
    memcpy(hdr + 0x38, "RSC\x05", 4);
    g_assert_true(riscv_image_parse(hdr, sizeof(hdr), &info));
    g_assert_cmphex(info.text_offset, ==, 0x200000);
    g_assert_cmphex(info.image_size, ==, 0xd02000);
    g_assert_false(riscv_image_parse(hdr, 63, &info));
}

static void test_fdt_builder(void)
{
    static const char *const compat[] = {"a,b", "c"};
    void *fdt = fdtb_create();
    const fdt32_t *cells;
    const char *str;
    int len, off;
    uint32_t ph;

    fdtb_add_node(fdt, "/soc");
    fdtb_add_node(fdt, "/soc/dev@1000");
    fdtb_prop_strings(fdt, "/soc/dev@1000", "compatible", compat, 2);
    fdtb_prop_cells(fdt, "/soc/dev@1000", "reg", (const uint32_t[]){0, 0x1000, 0, 0x100}, 4);
    fdtb_prop_u64(fdt, "/soc/dev@1000", "big", 0x123456789ull);
    ph = fdtb_alloc_phandle(fdt, "/soc/dev@1000");
    g_assert_cmpuint(ph, ==, 1);
    g_assert_cmpuint(fdtb_alloc_phandle(fdt, "/soc"), ==, 2);
    fdtb_finish(fdt);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    off = fdt_path_offset(fdt, "/soc/dev@1000");
    g_assert_cmpint(off, >=, 0);
    str = fdt_getprop(fdt, off, "compatible", &len);
    g_assert_cmpint(len, ==, 6);
    g_assert_cmpstr(str, ==, "a,b");
    cells = fdt_getprop(fdt, off, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt32_to_cpu(cells[1]), ==, 0x1000);
    cells = fdt_getprop(fdt, off, "big", &len);
    g_assert_cmphex(fdt32_to_cpu(cells[0]), ==, 0x1);
    g_assert_cmphex(fdt32_to_cpu(cells[1]), ==, 0x23456789);
    g_free(fdt);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/loader/elf/good", test_elf_good);
    g_test_add_func("/loader/elf/hostile", test_elf_hostile);
    g_test_add_func("/loader/blob-overlap", test_blob_overlap);
    g_test_add_func("/loader/riscv-image", test_riscv_image);
    g_test_add_func("/loader/fdt-builder", test_fdt_builder);
    return g_test_run();
}
