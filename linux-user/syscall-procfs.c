/*
 * The /proc files a guest reads about itself, emulated on open because
 * the host's would describe morph: /proc/self/maps (the guest map, in
 * the kernel's format), /proc/self/auxv, /proc/self/cmdline,
 * /proc/self/exe and /proc/cpuinfo (the target's).  Each is generated
 * into a memfd at open time, as QEMU's linux-user does.
 */
#include "syscall.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

/* "/proc/self/<name>", "/proc/thread-self/<name>" or "/proc/<our pid>/<name>"? */
static bool procfs_is_self(const char *path, const char *name)
{
    const char *rest;
    char pid[32];

    if (strncmp(path, "/proc/", 6) != 0) {
        return false;
    }
    rest = path + 6;
    snprintf(pid, sizeof(pid), "%d/", (int)getpid());
    if (g_str_has_prefix(rest, "self/")) {
        rest += 5;
    } else if (g_str_has_prefix(rest, "thread-self/")) {
        rest += 12;
    } else if (g_str_has_prefix(rest, pid)) {
        rest += strlen(pid);
    } else {
        return false;
    }
    return strcmp(rest, name) == 0;
}

bool syscall_is_self_exe(const char *path)
{
    return procfs_is_self(path, "exe");
}

static void procfs_map_line(const MmapVma *v, void *opaque)
{
    GString *s = opaque;
    size_t start = s->len;
    const char *name = v->name;

    if (v->flags & VMA_STACK) {
        name = "[stack]";
    } else if (v->flags & VMA_HEAP) {
        name = "[heap]";
    }
    g_string_append_printf(s, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu",
                           (unsigned long long)v->start, (unsigned long long)v->end,
                           (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
                           (v->prot & PROT_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p',
                           (unsigned long long)v->offset, (unsigned)((v->dev >> 8) & 0xfff),
                           (unsigned)(v->dev & 0xff), (unsigned long long)v->inode);
    if (name) {
        /* The kernel pads the name to column 73. */
        while (s->len - start < 73) {
            g_string_append_c(s, ' ');
        }
        g_string_append(s, name);
    }
    g_string_append_c(s, '\n');
}

static int procfs_memfd(const void *data, size_t len)
{
    int fd = memfd_create("morph-procfs", MFD_CLOEXEC);
    size_t done = 0;

    if (fd < 0) {
        return -errno;
    }
    while (done < len) {
        ssize_t n = write(fd, (const char *)data + done, len - done);

        if (n <= 0) {
            close(fd);
            return -EIO;
        }
        done += n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

int syscall_fake_open(const char *path, int flags, mode_t mode)
{
    GString *s;
    int fd;

    if (procfs_is_self(path, "maps")) {
        s = g_string_new(NULL);
        mmap_foreach(procfs_map_line, s);
    } else if (procfs_is_self(path, "auxv")) {
        void *p = uaccess_ptr(user_process.auxv_addr, user_process.auxv_len, PROT_READ);

        return p ? procfs_memfd(p, user_process.auxv_len) : -EIO;
    } else if (procfs_is_self(path, "cmdline")) {
        s = g_string_new(NULL);
        for (char **a = user_process.guest_argv; a && *a; a++) {
            g_string_append_len(s, *a, strlen(*a) + 1);
        }
    } else if (procfs_is_self(path, "exe")) {
        fd = open(user_process.exe_path, flags & ~(O_CREAT | O_TRUNC | O_WRONLY | O_RDWR), mode);
        return fd < 0 ? -errno : fd;
    } else if (strcmp(path, "/proc/cpuinfo") == 0) {
        char *text = target_cpuinfo(NULL, (int)sysconf(_SC_NPROCESSORS_ONLN));

        s = g_string_new(text);
        g_free(text);
    } else {
        return -1;
    }
    fd = procfs_memfd(s->str, s->len);
    g_string_free(s, TRUE);
    return fd;
}
