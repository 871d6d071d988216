/*
 * Booting RISC-V machines as QEMU 7.2's hw/riscv/boot.c does, so that the
 * same firmware and kernels find things in the same places: the firmware
 * at the start of RAM, a raw or Image kernel at the next 2 MiB boundary
 * after it (the RISC-V Linux boot protocol, Documentation/riscv/boot.rst,
 * wants 2 MiB alignment on RV64), the initrd 128 MiB after the kernel (or
 * halfway into smaller RAM), the device tree at the top of RAM, and in the
 * mask ROM at 0x1000 a reset vector that enters the firmware with
 * a0 = hartid, a1 = device tree, a2 = OpenSBI's fw_dynamic info
 * (OpenSBI docs/firmware/fw_dynamic.md).
 */
#include <elf.h>
#include <inttypes.h>
#include <string.h>
#include <glib.h>
#include "hw/loader.h"
#include "hw/riscv/boot.h"

#define MiB (1024 * 1024ull)

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

bool riscv_boot_load_firmware(const char *path, hwaddr addr, uint64_t *entry, uint64_t *end,
                              Error **errp)
{
    uint8_t *data;
    size_t len;
    bool ok;

    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || !load_file(path, &data, &len, 0, NULL)) {
        error_setg(errp, "Unable to load the RISC-V firmware \"%s\"", path);
        return false;
    }
    if (elf_is_elf(data, len)) {
        ElfInfo info;

        ok = elf_load_buffer(path, data, len, EM_RISCV, &info, errp);
        *entry = info.entry;
        *end = info.high;
    } else {
        ok = rom_add_blob(path, data, len, len, addr, errp);
        *entry = addr;
        *end = addr + len;
    }
    if (!ok) {
        error_prepend(errp, "could not load firmware '%s'", path);
    }
    g_free(data);
    return ok;
}

bool riscv_boot_load_kernel(const char *path, hwaddr start, hwaddr ram_end, uint64_t *entry,
                            uint64_t *end, Error **errp)
{
    RISCVImageInfo img;
    uint8_t *data;
    size_t len;
    bool ok;

    if (!load_file(path, &data, &len, 0, errp)) {
        error_prepend(errp, "could not load kernel '%s'", path);
        return false;
    }
    if (elf_is_elf(data, len)) {
        ElfInfo info;

        ok = elf_load_buffer(path, data, len, EM_RISCV, &info, errp);
        *entry = info.entry;
        *end = info.high;
    } else {
        uint64_t need = len;

        /* An Image says how much memory it needs beyond the file (its bss). */
        if (riscv_image_parse(data, len, &img) && img.image_size > need) {
            need = img.image_size;
        }
        if (start >= ram_end || need > ram_end - start) {
            error_setg(errp, "kernel needs 0x%" PRIx64 " bytes at 0x%" PRIx64
                       ", beyond the end of RAM (0x%" PRIx64 ")", need, start, ram_end);
            ok = false;
        } else {
            ok = rom_add_blob_take(path, data, len, len, start, errp);
            data = NULL;
        }
        *entry = start;
        *end = start + need;
    }
    g_free(data);
    if (!ok) {
        error_prepend(errp, "could not load kernel '%s'", path);
    }
    return ok;
}

bool riscv_boot_load_initrd(const char *path, hwaddr ram_base, uint64_t ram_size,
                            uint64_t kernel_entry, uint64_t kernel_end, hwaddr *start,
                            hwaddr *end, Error **errp)
{
    hwaddr ram_end = ram_base + ram_size;
    hwaddr at = kernel_entry + MIN(ram_size / 2, 128 * MiB);
    uint8_t *data;
    size_t len;
    bool ok;

    if (!load_file(path, &data, &len, 0, errp)) {
        error_prepend(errp, "could not load ramdisk '%s'", path);
        return false;
    }
    /* Never on top of the kernel's own footprint. */
    if (at < kernel_end) {
        at = align_up(kernel_end, 2 * MiB);
    }
    if (at < ram_base || at >= ram_end || len > ram_end - at) {
        error_setg(errp, "could not load ramdisk '%s': it does not fit in RAM", path);
        g_free(data);
        return false;
    }
    ok = rom_add_blob_take(path, data, len, len, at, errp);
    if (!ok) {
        error_prepend(errp, "could not load ramdisk '%s'", path);
        return false;
    }
    *start = at;
    *end = at + len;
    return true;
}

hwaddr riscv_boot_fdt_addr(hwaddr ram_base, uint64_t ram_size, size_t fdt_size)
{
    hwaddr ram_end = ram_base + ram_size;
    hwaddr top = ram_base < 3072 * MiB ? MIN(ram_end, 3072 * MiB) : ram_end;

    return (top - fdt_size) & ~(2 * MiB - 1);
}

/* The few RV64 instructions of the reset vector (Unprivileged ISA 20191213, chapter 24). */
static uint32_t rv_auipc(unsigned rd, uint32_t imm20)
{
    return (imm20 << 12) | (rd << 7) | 0x17;
}

static uint32_t rv_itype(uint32_t opcode, unsigned funct3, unsigned rd, unsigned rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}

enum { RV_T0 = 5, RV_A0 = 10, RV_A1 = 11, RV_A2 = 12 };
#define RV_CSR_MHARTID 0xf14

bool riscv_boot_setup_rom(hwaddr rom_base, uint64_t start_addr, uint64_t fdt_addr,
                          uint64_t kernel_entry, Error **errp)
{
    /* Code, then the two addresses it loads, then fw_dynamic_info. */
    enum { CODE_WORDS = 6, START_OFF = CODE_WORDS * 4, FDT_OFF = START_OFF + 8,
           INFO_OFF = FDT_OFF + 8 };
    const uint32_t code[CODE_WORDS] = {
        rv_auipc(RV_T0, 0),                                  /* t0 = this address */
        rv_itype(0x13, 0, RV_A2, RV_T0, INFO_OFF),           /* addi a2, t0, info */
        rv_itype(0x73, 2, RV_A0, 0, RV_CSR_MHARTID),         /* csrr a0, mhartid */
        rv_itype(0x03, 3, RV_A1, RV_T0, FDT_OFF),            /* ld a1, fdt(t0) */
        rv_itype(0x03, 3, RV_T0, RV_T0, START_OFF),          /* ld t0, start(t0) */
        rv_itype(0x67, 0, 0, RV_T0, 0),                      /* jr t0 */
    };
    const uint64_t info[6] = {
        FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION, kernel_entry,
        FW_DYNAMIC_INFO_NEXT_MODE_S, 0 /* options */, 0 /* boot hart */,
    };
    uint8_t rom[INFO_OFF + sizeof(info)];

    /* The host is little-endian, as RISC-V memory is. */
    memcpy(rom, code, sizeof(code));
    memcpy(rom + START_OFF, &start_addr, 8);
    memcpy(rom + FDT_OFF, &fdt_addr, 8);
    memcpy(rom + INFO_OFF, info, sizeof(info));
    return rom_add_blob("mrom.reset", rom, sizeof(rom), sizeof(rom), rom_base, errp);
}
