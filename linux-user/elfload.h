/*
 * The ELF loader of user mode: maps a guest executable (static or
 * dynamic, PIE or not) and its interpreter into the guest address space
 * and builds the initial stack (argc, argv, envp, auxv) the way Linux's
 * fs/binfmt_elf.c does.
 */
#ifndef MORPH_LINUX_USER_ELFLOAD_H
#define MORPH_LINUX_USER_ELFLOAD_H

#include "user.h"

/* One mapped ELF image. */
typedef struct ElfImage {
    abi_ulong load_bias;          /* added to every p_vaddr (0 for ET_EXEC) */
    abi_ulong load_addr;          /* lowest mapped address */
    abi_ulong end_code, end_data; /* highest file-backed / memory end (brk starts after) */
    abi_ulong entry;
    abi_ulong phdr_addr; /* where the program headers are in guest memory */
    unsigned phnum;
    bool is_dyn;
    bool exec_stack; /* PT_GNU_STACK asks for an executable stack */
    uint32_t e_flags;
    char *interp; /* PT_INTERP path (g_free), or NULL */
} ElfImage;

/* The main program, its interpreter if any, and where the process starts. */
typedef struct ElfProgram {
    ElfImage exe;
    ElfImage interp;
    bool has_interp;
    char *interp_path;  /* host path the interpreter was opened from */
    abi_ulong start_pc; /* interpreter entry, else the program's */
} ElfProgram;

/*
 * Check the ELF header and program headers in `fd` (the file is `path`,
 * used in messages).  Loads nothing.
 */
bool elf_check_file(int fd, const char *path, uint16_t machine, Error **errp);

/*
 * Map one image.  `dyn_hint` is where an ET_DYN image should go if free
 * (0: the loader picks).
 */
bool elf_load_image(int fd, const char *path, uint16_t machine, abi_ulong dyn_hint, ElfImage *img,
                    Error **errp);

/*
 * Load the program in `fd` and, if it asks for one, its interpreter
 * (looked up under `interp_prefix` first, as QEMU's -L).  Sets the brk.
 */
bool elf_load_program(int fd, const char *path, const char *interp_prefix, ElfProgram *prog,
                      Error **errp);
void elf_program_free(ElfProgram *prog);

typedef struct ElfStackInfo {
    abi_ulong hwcap;
    const char *platform;  /* AT_PLATFORM or NULL */
    const char *execfn;    /* AT_EXECFN string (the path the guest was started as) */
    const uint8_t *random; /* 16 bytes for AT_RANDOM */
    abi_ulong stack_top;   /* highest stack address (exclusive) */
    abi_ulong stack_limit; /* lowest usable stack address */
    /* Out: where auxv ended up (for /proc/self/auxv). */
    abi_ulong auxv_addr, auxv_len;
} ElfStackInfo;

/*
 * Write argc/argv/envp/auxv and their strings below info->stack_top
 * (already mapped).  Returns the initial sp, or 0 with *errp set if it
 * does not fit (E2BIG, as execve).
 */
abi_ulong elf_build_stack(const ElfProgram *prog, int argc, char *const *argv, char *const *envp,
                          ElfStackInfo *info, Error **errp);

#endif
