/*
 * Booting a RISC-V machine (see hw/riscv/boot.c): firmware, kernel, initrd
 * and device-tree placement, and the reset vector in the mask ROM.
 */
#ifndef MORPH_HW_RISCV_BOOT_H
#define MORPH_HW_RISCV_BOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "system/memory.h"
#include "util/error.h"

/* Debian's OpenSBI, the firmware -bios default (or no -bios) loads. */
#define RISCV_BOOT_DEFAULT_FIRMWARE "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

/* OpenSBI's struct fw_dynamic_info (firmware/fw_dynamic.S, version 2). */
#define FW_DYNAMIC_INFO_MAGIC 0x4942534f   /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_INFO_NEXT_MODE_S 1

/*
 * Load -bios `path` (an ELF, or raw at `addr`).  *entry gets where it
 * starts, *end the first byte after it.
 */
bool riscv_boot_load_firmware(const char *path, hwaddr addr, uint64_t *entry, uint64_t *end,
                              Error **errp);
/*
 * Load -kernel `path`: an ELF at its addresses, else a Linux Image or a
 * raw image at `start` (which must leave image_size bytes in RAM below
 * ram_end).  *entry gets the entry point, *end the end of what it uses.
 */
bool riscv_boot_load_kernel(const char *path, hwaddr start, hwaddr ram_end, uint64_t *entry,
                            uint64_t *end, Error **errp);
/*
 * Load -initrd `path` where QEMU puts it: kernel_entry + min(RAM/2, 128 MiB),
 * after `kernel_end`; [*start, *end) is where it went.
 */
bool riscv_boot_load_initrd(const char *path, hwaddr ram_base, uint64_t ram_size,
                            uint64_t kernel_entry, uint64_t kernel_end, hwaddr *start,
                            hwaddr *end, Error **errp);
/* Where QEMU puts the device tree: 2 MiB aligned, at the top of RAM (below 3 GiB). */
hwaddr riscv_boot_fdt_addr(hwaddr ram_base, uint64_t ram_size, size_t fdt_size);
/*
 * The reset vector at `rom_base`: a0 = mhartid, a1 = fdt_addr, a2 = the
 * fw_dynamic info that follows it (next stage: kernel_entry in S-mode),
 * then a jump to start_addr.
 */
bool riscv_boot_setup_rom(hwaddr rom_base, uint64_t start_addr, uint64_t fdt_addr,
                          uint64_t kernel_entry, Error **errp);

#endif
