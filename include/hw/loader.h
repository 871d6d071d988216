/*
 * Loading guest images (QEMU's hw/core/loader.c): firmware, kernels and
 * initrds become ROM blobs that are copied into guest memory at every
 * system reset, so a reset guest starts from the same images.
 *
 * Every file is untrusted: ELF headers, segment tables, offsets and sizes
 * are checked against the file and the blob table before anything is
 * copied, and each failure is one message naming the file.
 */
#ifndef MORPH_HW_LOADER_H
#define MORPH_HW_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "system/memory.h"
#include "util/error.h"

/*
 * Add a blob: `len` bytes of data (copied) at `addr`, followed by
 * `memsz - len` zero bytes (memsz >= len).  Fails if it overlaps a blob
 * already added, or if memory at [addr, addr + memsz) is not all RAM/ROM.
 */
bool rom_add_blob(const char *name, const void *data, size_t len, uint64_t memsz, hwaddr addr,
                  Error **errp);
/*
 * The same without the copy, for the megabytes of a kernel or initrd:
 * `data` (from g_malloc or load_file) belongs to the blob list from now on,
 * and is freed at once if the blob is refused.
 */
bool rom_add_blob_take(const char *name, uint8_t *data, size_t len, uint64_t memsz,
                       hwaddr addr, Error **errp);
/* Copy every blob into `as` (the machine's reset does this). */
void rom_reset(AddressSpace *as);
/* Drop every blob (tests). */
void rom_free_all(void);
/* Where a file could go: the highest address a blob ends at, + 1 (0: none). */
hwaddr rom_top(void);

typedef struct ElfInfo {
    uint64_t entry;
    uint64_t low;       /* lowest load address */
    uint64_t high;      /* end of the highest segment (exclusive) */
} ElfInfo;

/* Does the buffer start with the ELF magic? */
bool elf_is_elf(const uint8_t *data, size_t len);
/*
 * Load an ELF64 little-endian image of machine `machine` (EM_RISCV...)
 * from memory: its PT_LOAD segments at their physical addresses as blobs
 * named `name`.  Everything is checked before any blob is added.
 */
bool elf_load_buffer(const char *name, const uint8_t *data, size_t len, uint16_t machine,
                     ElfInfo *info, Error **errp);

/* The RISC-V Linux "Image" header (Documentation/riscv/boot-image-header.rst). */
typedef struct RISCVImageInfo {
    uint64_t text_offset;   /* where in RAM (from a 2 MiB boundary) it wants to be */
    uint64_t image_size;    /* bytes of memory it needs, bss included (0: unknown) */
} RISCVImageInfo;
/* Is this an Image (magic "RISCV\0\0\0" or "RSC\x05")?  Fills info. */
bool riscv_image_parse(const uint8_t *data, size_t len, RISCVImageInfo *info);

/* Read a whole file (with QEMU's messages on failure; max_len 0: any size). */
bool load_file(const char *path, uint8_t **data, size_t *len, size_t max_len, Error **errp);

#endif
