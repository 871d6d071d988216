/*
 * ELF64 loader for user mode, after Linux's fs/binfmt_elf.c (load_elf_binary,
 * elf_map, padzero, create_elf_tables).  An ELF file is hostile input: the
 * header fields, the program header count and size, every segment's offset,
 * size and alignment and the interpreter path are checked before anything
 * is mapped, and a bad file is one error message, never a crash.
 *
 * Layout of the initial stack (highest address first): the AT_EXECFN
 * string and a zero word, the envp and argv strings, the AT_PLATFORM
 * string, 16 AT_RANDOM bytes, then 16-byte aligned: auxv pairs, envp
 * pointers + NULL, argv pointers + NULL, argc at sp.
 */
#include "elfload.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

/* Auxiliary vector types (include/uapi/linux/auxvec.h). */
enum {
    ELF_AT_NULL = 0,
    ELF_AT_PHDR = 3,
    ELF_AT_PHENT = 4,
    ELF_AT_PHNUM = 5,
    ELF_AT_PAGESZ = 6,
    ELF_AT_BASE = 7,
    ELF_AT_FLAGS = 8,
    ELF_AT_ENTRY = 9,
    ELF_AT_UID = 11,
    ELF_AT_EUID = 12,
    ELF_AT_GID = 13,
    ELF_AT_EGID = 14,
    ELF_AT_PLATFORM = 15,
    ELF_AT_HWCAP = 16,
    ELF_AT_CLKTCK = 17,
    ELF_AT_SECURE = 23,
    ELF_AT_RANDOM = 25,
    ELF_AT_EXECFN = 31,
};

#define ELF_MAX_AUXV 20
/* Linux limits a single argument or environment string to 32 pages. */
#define ELF_MAX_ARG_STRLEN (32 * 4096)
/* Largest segment alignment honoured for ET_DYN placement. */
#define ELF_MAX_ALIGN (1ULL << 30)

/* Segments must fit the guest address space (the target's, before it is reserved). */
static bool elf_fits_va(uint64_t addr, uint64_t len)
{
    uint64_t limit = mmap_reserved_va ? mmap_reserved_va : user_target.task_size;

    return addr <= limit && len <= limit - addr;
}

static bool elf_read_at(int fd, void *buf, size_t len, uint64_t off)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += n;
    }
    return true;
}

/* Header and program headers, validated.  *phdrs is g_free'd by the caller. */
static bool elf_read_headers(int fd, const char *path, uint16_t machine, Elf64_Ehdr *eh,
                             Elf64_Phdr **phdrs, uint64_t *file_size, Error **errp)
{
    struct stat st;
    uint64_t ph_bytes;
    unsigned i;
    Elf64_Phdr *ph;

    if (fstat(fd, &st) != 0) {
        error_setg_errno(errp, errno, "%s", path);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error_setg(errp, "%s: not a regular file", path);
        return false;
    }
    *file_size = st.st_size;
    if ((uint64_t)st.st_size < sizeof(*eh) || !elf_read_at(fd, eh, sizeof(*eh), 0) ||
        memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
        error_setg(errp, "%s: not an ELF file", path);
        return false;
    }
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        eh->e_machine != machine) {
        error_setg(errp, "%s: Invalid ELF image for this architecture", path);
        return false;
    }
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT ||
        (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)) {
        error_setg(errp, "%s: not an executable ELF file (type %u)", path, eh->e_type);
        return false;
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum < 1 ||
        eh->e_phnum > 65536 / sizeof(Elf64_Phdr)) {
        error_setg(errp, "%s: bad program header table (%u entries of %u bytes)", path, eh->e_phnum,
                   eh->e_phentsize);
        return false;
    }
    ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > *file_size || ph_bytes > *file_size - eh->e_phoff) {
        error_setg(errp, "%s: program headers lie outside the file", path);
        return false;
    }
    ph = g_malloc(ph_bytes);
    if (!elf_read_at(fd, ph, ph_bytes, eh->e_phoff)) {
        g_free(ph);
        error_setg(errp, "%s: cannot read the program headers", path);
        return false;
    }
    for (i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *p = &ph[i];

        if (p->p_type != PT_LOAD && p->p_type != PT_INTERP) {
            continue;
        }
        if (p->p_offset > *file_size || p->p_filesz > *file_size - p->p_offset) {
            error_setg(errp, "%s: segment %u lies outside the file", path, i);
            g_free(ph);
            return false;
        }
        if (p->p_type != PT_LOAD) {
            continue;
        }
        if (p->p_filesz > p->p_memsz || p->p_vaddr + p->p_memsz < p->p_vaddr ||
            !elf_fits_va(p->p_vaddr, p->p_memsz)) {
            error_setg(errp, "%s: segment %u has a bad size or address", path, i);
            g_free(ph);
            return false;
        }
        if ((p->p_vaddr - p->p_offset) & (mmap_guest_page_size - 1)) {
            error_setg(errp, "%s: segment %u is not page-congruent with its file offset", path, i);
            g_free(ph);
            return false;
        }
        if (p->p_align > 1 && (p->p_align & (p->p_align - 1))) {
            error_setg(errp, "%s: segment %u has a bad alignment", path, i);
            g_free(ph);
            return false;
        }
    }
    *phdrs = ph;
    return true;
}

bool elf_check_file(int fd, const char *path, uint16_t machine, Error **errp)
{
    Elf64_Ehdr eh;
    Elf64_Phdr *ph;
    uint64_t size;

    if (!elf_read_headers(fd, path, machine, &eh, &ph, &size, errp)) {
        return false;
    }
    g_free(ph);
    return true;
}

/* The PT_INTERP string, checked (NUL-terminated, no embedded NUL, sane length). */
static char *elf_read_interp(int fd, const char *path, const Elf64_Phdr *p, Error **errp)
{
    char *s;

    if (p->p_filesz < 2 || p->p_filesz > PATH_MAX) {
        error_setg(errp, "%s: bad interpreter path length", path);
        return NULL;
    }
    s = g_malloc(p->p_filesz);
    if (!elf_read_at(fd, s, p->p_filesz, p->p_offset) || s[p->p_filesz - 1] != '\0' ||
        strlen(s) != p->p_filesz - 1) {
        g_free(s);
        error_setg(errp, "%s: bad interpreter path", path);
        return NULL;
    }
    return s;
}

static int elf_prot(uint32_t pflags)
{
    return ((pflags & PF_R) ? PROT_READ : 0) | ((pflags & PF_W) ? PROT_WRITE : 0) |
           ((pflags & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD at bias: file pages, zeroed tail of the last one, anonymous rest. */
static bool elf_map_segment(int fd, const char *path, const Elf64_Phdr *p, abi_ulong bias,
                            Error **errp)
{
    abi_ulong page = mmap_guest_page_size;
    abi_ulong vaddr = p->p_vaddr + bias;
    abi_ulong start = vaddr & ~(page - 1);
    abi_ulong file_end = vaddr + p->p_filesz;
    abi_ulong mem_end = GUEST_PAGE_ALIGN(vaddr + p->p_memsz);
    abi_ulong map_end = GUEST_PAGE_ALIGN(file_end);
    int prot = elf_prot(p->p_flags);
    abi_long r;

    if (p->p_memsz == 0) {
        return true;
    }
    if (p->p_filesz) {
        r = mmap_map(start, map_end - start, prot | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
                     p->p_offset - (vaddr - start));
        if (r < 0) {
            error_setg_errno(errp, (int)-r, "%s: cannot map a segment", path);
            return false;
        }
        /* padzero: the bytes after the file data in its last page belong to bss. */
        if (map_end > file_end && p->p_memsz > p->p_filesz) {
            memset(g2h(file_end), 0, map_end - file_end);
        }
    } else {
        map_end = start;
    }
    if (mem_end > map_end) {
        r = mmap_map(map_end, mem_end - map_end, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                     0);
        if (r < 0) {
            error_setg_errno(errp, (int)-r, "%s: cannot map bss", path);
            return false;
        }
    }
    if (p->p_filesz && !(prot & PROT_WRITE)) {
        mmap_protect(start, GUEST_PAGE_ALIGN(file_end) - start, prot);
    }
    return true;
}

bool elf_load_image(int fd, const char *path, uint16_t machine, abi_ulong dyn_hint, ElfImage *img,
                    Error **errp)
{
    Elf64_Ehdr eh;
    Elf64_Phdr *ph;
    uint64_t fsize;
    abi_ulong lo = (abi_ulong)-1, hi = 0, align = mmap_guest_page_size, bias = 0;
    unsigned i;
    bool ok = false;

    memset(img, 0, sizeof(*img));
    if (!elf_read_headers(fd, path, machine, &eh, &ph, &fsize, errp)) {
        return false;
    }
    for (i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz) {
            lo = MIN(lo, ph[i].p_vaddr & GUEST_PAGE_MASK);
            hi = MAX(hi, GUEST_PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz));
            if (ph[i].p_align > align && ph[i].p_align <= ELF_MAX_ALIGN) {
                align = ph[i].p_align;
            }
        } else if (ph[i].p_type == PT_INTERP) {
            if (img->interp) {
                error_setg(errp, "%s: more than one PT_INTERP", path);
                goto out;
            }
            img->interp = elf_read_interp(fd, path, &ph[i], errp);
            if (!img->interp) {
                goto out;
            }
        } else if (ph[i].p_type == PT_GNU_STACK) {
            img->exec_stack = (ph[i].p_flags & PF_X) != 0;
        }
    }
    if (hi == 0) {
        error_setg(errp, "%s: no loadable segment", path);
        goto out;
    }

    mmap_lock();
    if (eh.e_type == ET_DYN) {
        abi_ulong at;

        img->is_dyn = true;
        at = mmap_find_free(dyn_hint ? dyn_hint - lo : 0, hi - lo, align);
        if (at == (abi_ulong)-1) {
            mmap_unlock();
            error_setg(errp, "%s: no room for the image in the guest address space", path);
            goto out;
        }
        bias = at - lo;
    } else {
        /* A fixed image must not land on page zero or on something already there. */
        if (lo < mmap_guest_page_size || mmap_find_free(lo, hi - lo, 0) != lo) {
            mmap_unlock();
            error_setg(errp,
                       "%s: image at 0x%llx-0x%llx overlaps an existing mapping or "
                       "page zero",
                       path, (unsigned long long)lo, (unsigned long long)hi);
            goto out;
        }
    }
    for (i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !elf_map_segment(fd, path, &ph[i], bias, errp)) {
            mmap_unlock();
            goto out;
        }
    }
    mmap_unlock();

    img->load_bias = bias;
    img->load_addr = lo + bias;
    img->entry = eh.e_entry + bias;
    img->phnum = eh.e_phnum;
    img->e_flags = eh.e_flags;
    img->phdr_addr = lo + bias + eh.e_phoff;
    for (i = 0; i < eh.e_phnum; i++) {
        const Elf64_Phdr *p = &ph[i];

        if (p->p_type == PT_PHDR) {
            img->phdr_addr = p->p_vaddr + bias;
            break;
        }
        if (p->p_type == PT_LOAD && eh.e_phoff >= p->p_offset &&
            eh.e_phoff - p->p_offset < p->p_filesz) {
            img->phdr_addr = p->p_vaddr + (eh.e_phoff - p->p_offset) + bias;
        }
    }
    for (i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD) {
            abi_ulong fe = ph[i].p_vaddr + ph[i].p_filesz + bias;
            abi_ulong me = ph[i].p_vaddr + ph[i].p_memsz + bias;

            img->end_code = MAX(img->end_code, fe);
            img->end_data = MAX(img->end_data, me);
        }
    }
    if (!guest_range_in_va(img->entry, 1)) {
        error_setg(errp, "%s: entry point outside the address space", path);
        goto out;
    }
    ok = true;
out:
    g_free(ph);
    if (!ok) {
        g_free(img->interp);
        img->interp = NULL;
    }
    return ok;
}

/* Open the interpreter: under the prefix first, then as named (QEMU's path()). */
static int elf_open_interp(const char *interp, const char *prefix, char **found)
{
    int fd;

    if (prefix && prefix[0] && interp[0] == '/') {
        char *p = g_strconcat(prefix, interp, NULL);

        fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            *found = p;
            return fd;
        }
        g_free(p);
    }
    fd = open(interp, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        *found = g_strdup(interp);
    }
    return fd;
}

bool elf_load_program(int fd, const char *path, const char *interp_prefix, ElfProgram *prog,
                      Error **errp)
{
    memset(prog, 0, sizeof(*prog));
    if (!elf_load_image(fd, path, user_target.elf_machine, user_target.et_dyn_base, &prog->exe,
                        errp)) {
        return false;
    }
    prog->start_pc = prog->exe.entry;
    if (prog->exe.interp) {
        int ifd = elf_open_interp(prog->exe.interp, interp_prefix, &prog->interp_path);
        bool ok;

        if (ifd < 0) {
            int err = errno;

            if (interp_prefix) {
                error_setg(errp, "%s: cannot open the ELF interpreter %s under %s: %s", path,
                           prog->exe.interp, interp_prefix, strerror(err));
            } else {
                error_setg(errp,
                           "%s: cannot open the ELF interpreter %s: %s "
                           "(-L gives the guest's root)",
                           path, prog->exe.interp, strerror(err));
            }
            return false;
        }
        ok =
            elf_load_image(ifd, prog->interp_path, user_target.elf_machine, 0, &prog->interp, errp);
        close(ifd);
        if (!ok) {
            return false;
        }
        if (prog->interp.interp) {
            error_setg(errp, "%s: the interpreter asks for an interpreter", prog->interp_path);
            return false;
        }
        prog->has_interp = true;
        prog->start_pc = prog->interp.entry;
    }
    mmap_set_brk(GUEST_PAGE_ALIGN(prog->exe.end_data));
    return true;
}

void elf_program_free(ElfProgram *prog)
{
    g_free(prog->exe.interp);
    g_free(prog->interp.interp);
    g_free(prog->interp_path);
    memset(prog, 0, sizeof(*prog));
}

/* Copy a string to just below *p (moving *p down); false if below limit. */
static bool elf_push_string(abi_ulong *p, abi_ulong limit, const char *s, abi_ulong *where)
{
    size_t len = strlen(s) + 1;

    if (len > ELF_MAX_ARG_STRLEN || *p - limit < len) {
        return false;
    }
    *p -= len;
    memcpy(g2h(*p), s, len);
    *where = *p;
    return true;
}

abi_ulong elf_build_stack(const ElfProgram *prog, int argc, char *const *argv, char *const *envp,
                          ElfStackInfo *info, Error **errp)
{
    abi_ulong p = info->stack_top, limit = info->stack_limit;
    abi_ulong execfn_addr, platform_addr = 0, random_addr, sp, *argv_addr, *envp_addr;
    abi_ulong auxv[ELF_MAX_AUXV * 2];
    uint64_t *out;
    int envc = 0, i, na = 0;
    size_t words;

    while (envp && envp[envc]) {
        envc++;
    }
    argv_addr = g_new(abi_ulong, argc + 1);
    envp_addr = g_new(abi_ulong, envc + 1);

    /* A zero word at the very top, then the execfn string. */
    p -= sizeof(uint64_t);
    memset(g2h(p), 0, sizeof(uint64_t));
    if (!elf_push_string(&p, limit, info->execfn, &execfn_addr)) {
        goto too_big;
    }
    for (i = envc - 1; i >= 0; i--) {
        if (!elf_push_string(&p, limit, envp[i], &envp_addr[i])) {
            goto too_big;
        }
    }
    for (i = argc - 1; i >= 0; i--) {
        if (!elf_push_string(&p, limit, argv[i], &argv_addr[i])) {
            goto too_big;
        }
    }
    p &= ~(abi_ulong)15;
    if (info->platform && !elf_push_string(&p, limit, info->platform, &platform_addr)) {
        goto too_big;
    }
    if (p - limit < 16 + 16) {
        goto too_big;
    }
    p = (p - 16) & ~(abi_ulong)15;
    memcpy(g2h(p), info->random, 16);
    random_addr = p;

#define ELF_AUX(type, val)                                                                         \
    do {                                                                                           \
        auxv[na++] = (type);                                                                       \
        auxv[na++] = (val);                                                                        \
    } while (0)
    ELF_AUX(ELF_AT_PHDR, prog->exe.phdr_addr);
    ELF_AUX(ELF_AT_PHENT, sizeof(Elf64_Phdr));
    ELF_AUX(ELF_AT_PHNUM, prog->exe.phnum);
    ELF_AUX(ELF_AT_PAGESZ, mmap_guest_page_size);
    ELF_AUX(ELF_AT_BASE, prog->has_interp ? prog->interp.load_addr : 0);
    ELF_AUX(ELF_AT_FLAGS, 0);
    ELF_AUX(ELF_AT_ENTRY, prog->exe.entry);
    ELF_AUX(ELF_AT_UID, getuid());
    ELF_AUX(ELF_AT_EUID, geteuid());
    ELF_AUX(ELF_AT_GID, getgid());
    ELF_AUX(ELF_AT_EGID, getegid());
    ELF_AUX(ELF_AT_HWCAP, info->hwcap);
    ELF_AUX(ELF_AT_CLKTCK, sysconf(_SC_CLK_TCK));
    ELF_AUX(ELF_AT_RANDOM, random_addr);
    ELF_AUX(ELF_AT_SECURE, 0);
    ELF_AUX(ELF_AT_EXECFN, execfn_addr);
    if (platform_addr) {
        ELF_AUX(ELF_AT_PLATFORM, platform_addr);
    }
    ELF_AUX(ELF_AT_NULL, 0);
#undef ELF_AUX

    words = 1 + (argc + 1) + (envc + 1) + na;
    if ((p - limit) / 8 < words + 2) {
        goto too_big;
    }
    sp = (p - words * 8) & ~(abi_ulong)15;
    out = g2h(sp);
    *out++ = argc;
    for (i = 0; i < argc; i++) {
        *out++ = argv_addr[i];
    }
    *out++ = 0;
    for (i = 0; i < envc; i++) {
        *out++ = envp_addr[i];
    }
    *out++ = 0;
    info->auxv_addr = h2g(out);
    info->auxv_len = na * 8;
    memcpy(out, auxv, na * 8);
    g_free(argv_addr);
    g_free(envp_addr);
    return sp;

too_big:
    g_free(argv_addr);
    g_free(envp_addr);
    error_setg(errp, "arguments and environment do not fit on the stack: %s", strerror(E2BIG));
    return 0;
}
