/*
 * Image loading (contract in include/hw/loader.h; the model is QEMU's
 * hw/core/loader.c and include/hw/elf_ops.h).  Sources of truth: the ELF
 * specification (System V ABI, "Object Files", ELF-64 structures in
 * <elf.h>) and Linux's Documentation/riscv/boot-image-header.rst.
 *
 * Blobs are kept in a list sorted by address; adding one checks it against
 * its neighbours and against the memory map, and rom_reset() copies them
 * in, filling each blob's tail (memsz beyond the file data) with zeros.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <string.h>
#include <glib.h>
#include "hw/loader.h"
#include "util/prefault.h"

typedef struct Rom {
    char *name;
    hwaddr addr;
    uint64_t memsz;
    size_t len;
    uint8_t *data;
    struct Rom *next;
} Rom;

static Rom *roms;

/* A file buffer this large (a huge page) is worth advising (load_file). */
#define LOADER_HUGE_BUFFER ((size_t)2 << 20)

/* Is all of [addr, addr + len) RAM or ROM in system memory? */
static bool rom_fits_memory(hwaddr addr, uint64_t len)
{
    AddressSpace *as = address_space_memory();

    while (len > 0) {
        MemoryRegionSection *s = address_space_lookup(as, addr);
        uint64_t n;

        if (!s->mr || s->mr->type != MR_RAM) {
            return false;
        }
        n = s->last - addr;
        if (n >= len - 1) {
            return true;
        }
        len -= n + 1;
        addr = s->last + 1;
    }
    return true;
}

/*
 * Add a blob whose data buffer (g_malloc'd, or NULL when len is 0) the
 * list then owns; on failure the buffer is freed.
 */
static bool rom_insert(const char *name, uint8_t *data, size_t len, uint64_t memsz, hwaddr addr,
                       Error **errp)
{
    Rom **p = &roms;
    Rom *rom;

    g_assert(memsz >= len);
    if (memsz == 0) {
        g_free(data);
        return true;
    }
    if (addr + memsz - 1 < addr) {
        error_setg(errp, "%s: image at 0x%" PRIx64 " wraps around the address space", name, addr);
        g_free(data);
        return false;
    }
    /* The first blob that ends at or after addr. */
    while (*p && (*p)->addr + (*p)->memsz <= addr) {
        p = &(*p)->next;
    }
    if (*p && (*p)->addr < addr + memsz) {
        error_setg(errp,
                   "rom: requested regions overlap (rom %s. free=0x%016" PRIx64
                   ", addr=0x%016" PRIx64 ")",
                   name, (*p)->addr + (*p)->memsz, addr);
        g_free(data);
        return false;
    }
    if (!rom_fits_memory(addr, memsz)) {
        error_setg(errp, "%s: 0x%" PRIx64 "-0x%" PRIx64 " is not in guest RAM or ROM", name, addr,
                   addr + memsz - 1);
        g_free(data);
        return false;
    }
    rom = g_new0(Rom, 1);
    rom->name = g_strdup(name);
    rom->addr = addr;
    rom->memsz = memsz;
    rom->len = len;
    rom->data = data;
    rom->next = *p;
    *p = rom;
    return true;
}

bool rom_add_blob(const char *name, const void *data, size_t len, uint64_t memsz, hwaddr addr,
                  Error **errp)
{
    return rom_insert(name, len ? g_memdup2(data, len) : NULL, len, memsz, addr, errp);
}

bool rom_add_blob_take(const char *name, uint8_t *data, size_t len, uint64_t memsz,
                       hwaddr addr, Error **errp)
{
    return rom_insert(name, data, len, memsz, addr, errp);
}

void rom_reset(AddressSpace *as)
{
    static const uint8_t zeros[4096];

    for (Rom *rom = roms; rom; rom = rom->next) {
        uint64_t done = rom->len;

        if (rom->len >= 2 * MEM_PREFAULT_CHUNK) {
            hwaddr plen = rom->len;
            void *host = address_space_map(as, rom->addr, &plen, false, 0);

            if (host) {
                mem_prefault_for_copy(host, plen);
                address_space_unmap(as, host, plen, false, 0);
            }
        }
        address_space_write_rom(as, rom->addr, 0, rom->data, rom->len);
        while (done < rom->memsz) {
            uint64_t n = MIN(rom->memsz - done, (uint64_t)sizeof(zeros));

            address_space_write_rom(as, rom->addr + done, 0, zeros, n);
            done += n;
        }
    }
}

void rom_free_all(void)
{
    while (roms) {
        Rom *next = roms->next;

        g_free(roms->name);
        g_free(roms->data);
        g_free(roms);
        roms = next;
    }
}

hwaddr rom_top(void)
{
    hwaddr top = 0;

    for (Rom *rom = roms; rom; rom = rom->next) {
        top = MAX(top, rom->addr + rom->memsz);
    }
    return top;
}

/* ---- files */

bool load_file(const char *path, uint8_t **data, size_t *len, size_t max_len, Error **errp)
{
    struct stat st;
    uint8_t *buf;
    size_t done = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        error_setg(errp, "%s", strerror(errno));
        return false;
    }
    if (fstat(fd, &st) < 0) {
        error_setg(errp, "%s", strerror(errno));
        close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error_setg(errp, "%s", S_ISDIR(st.st_mode) ? "Is a directory" : "not a regular file");
        close(fd);
        return false;
    }
    if (max_len && (uint64_t)st.st_size > max_len) {
        error_setg(errp, "file is too large (%" PRIu64 " bytes, at most %zu fit)",
                   (uint64_t)st.st_size, max_len);
        close(fd);
        return false;
    }
    buf = g_malloc((size_t)st.st_size + 1);
    /*
     * A kernel or initrd is megabytes that are read once and copied into
     * guest RAM once: huge pages spare the host a fault per 4 KiB of it.
     */
    if ((size_t)st.st_size >= LOADER_HUGE_BUFFER) {
        uintptr_t lo = ((uintptr_t)buf + LOADER_HUGE_BUFFER - 1) & ~(uintptr_t)(LOADER_HUGE_BUFFER - 1);
        uintptr_t hi = ((uintptr_t)buf + (size_t)st.st_size) & ~(uintptr_t)(LOADER_HUGE_BUFFER - 1);

        if (hi > lo) {
            (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
        }
    }
    mem_prefault_for_copy(buf, (size_t)st.st_size);
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg(errp, "%s", n < 0 ? strerror(errno) : "file shrank while being read");
            g_free(buf);
            close(fd);
            return false;
        }
        done += (size_t)n;
    }
    close(fd);
    *data = buf;
    *len = done;
    return true;
}

/* ---- ELF */

bool elf_is_elf(const uint8_t *data, size_t len)
{
    return len >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/* Largest guest image morph accepts in one segment (the largest RAM it offers). */
#define ELF_MAX_SEGMENT ((uint64_t)16 << 30)
#define ELF_MAX_PHNUM 1024

bool elf_load_buffer(const char *name, const uint8_t *data, size_t len, uint16_t machine,
                     ElfInfo *info, Error **errp)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
    uint64_t low = UINT64_MAX, high = 0;
    unsigned loads = 0;
    Elf64_Ehdr h;

    if (len < sizeof(Elf64_Ehdr) || !elf_is_elf(data, len)) {
        error_setg(errp, "%s: not an ELF file", name);
        return false;
    }
    memcpy(&h, eh, sizeof(h));
    if (h.e_ident[EI_CLASS] != ELFCLASS64 || h.e_ident[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "%s: only 64-bit little-endian ELF files can be loaded", name);
        return false;
    }
    if (h.e_machine != machine) {
        error_setg(errp, "%s: ELF file is for machine %u, not %u", name, h.e_machine, machine);
        return false;
    }
    if (h.e_type != ET_EXEC && h.e_type != ET_DYN) {
        error_setg(errp, "%s: ELF file is not an executable", name);
        return false;
    }
    if (h.e_phentsize != sizeof(Elf64_Phdr) || h.e_phnum == 0 || h.e_phnum > ELF_MAX_PHNUM ||
        h.e_phoff > len || (uint64_t)h.e_phnum * sizeof(Elf64_Phdr) > len - h.e_phoff) {
        error_setg(errp, "%s: invalid ELF program header table", name);
        return false;
    }
    /* Check every segment before adding any. */
    for (unsigned i = 0; i < h.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, data + h.e_phoff + i * sizeof(Elf64_Phdr), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (ph.p_filesz > ph.p_memsz || ph.p_memsz > ELF_MAX_SEGMENT || ph.p_offset > len ||
            ph.p_filesz > len - ph.p_offset || ph.p_paddr + ph.p_memsz - 1 < ph.p_paddr) {
            error_setg(errp, "%s: invalid ELF segment %u", name, i);
            return false;
        }
        low = MIN(low, ph.p_paddr);
        high = MAX(high, ph.p_paddr + ph.p_memsz);
        loads++;
    }
    if (!loads) {
        error_setg(errp, "%s: ELF file has nothing to load", name);
        return false;
    }
    for (unsigned i = 0; i < h.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, data + h.e_phoff + i * sizeof(Elf64_Phdr), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (!rom_add_blob(name, data + ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_paddr, errp)) {
            return false;
        }
    }
    info->entry = h.e_entry;
    info->low = low;
    info->high = high;
    return true;
}

/* ---- RISC-V Linux Image */

bool riscv_image_parse(const uint8_t *data, size_t len, RISCVImageInfo *info)
{
    /*
     * u32 code0, code1; u64 text_offset, image_size, flags; u32 version,
     * res1; u64 res2; u64 magic "RISCV\0\0\0" (deprecated); u32 magic2
     * "RSC\x05"; u32 res3.
     */
    static const uint8_t magic[8] = {'R', 'I', 'S', 'C', 'V', 0, 0, 0};
    static const uint8_t magic2[4] = {'R', 'S', 'C', 0x05};

    if (len < 64) {
        return false;
    }
    if (memcmp(data + 0x30, magic, sizeof(magic)) != 0 &&
        memcmp(data + 0x38, magic2, sizeof(magic2)) != 0) {
        return false;
    }
    memcpy(&info->text_offset, data + 8, 8);
    memcpy(&info->image_size, data + 16, 8);
    return true;
}
