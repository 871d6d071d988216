/*
 * -strace: one line per guest system call in QEMU's form,
 *     <pid> name(arg,arg,...) = result
 * with the arguments printed from the format letters of the SyscallDef
 * (syscall.h) and a failing call as "= -1 errno=N (message)", as QEMU's
 * linux-user/strace.c prints them.  Lines go to the log (stderr or -D).
 */
#include "syscall.h"

#include <fcntl.h>
#include <string.h>

#include <glib.h>

#include "util/log.h"

static void strace_string(GString *out, abi_ulong addr)
{
    int err;
    const char *s = addr ? uaccess_str(addr, 4096, &err) : NULL;

    if (!s) {
        g_string_append_printf(out, "0x%llx", (unsigned long long)addr);
        return;
    }
    g_string_append_c(out, '"');
    for (; *s && out->len < 200; s++) {
        if (*s == '\n') {
            g_string_append(out, "\\n");
        } else if (*s == '"' || *s == '\\') {
            g_string_append_printf(out, "\\%c", *s);
        } else if ((unsigned char)*s < 32) {
            g_string_append_printf(out, "\\%o", (unsigned char)*s);
        } else {
            g_string_append_c(out, *s);
        }
    }
    g_string_append(out, *s ? "\"..." : "\"");
}

void strace_pre(CPUState *cs, const SyscallDef *def, abi_ulong nr, const abi_ulong *args)
{
    GString *out = g_string_new(NULL);
    const char *f;
    int i;

    g_string_append_printf(out, "%d ", (int)getpid());
    if (!def) {
        g_string_append_printf(out, "Unknown syscall %llu", (unsigned long long)nr);
        log_printf("%s\n", out->str);
        g_string_free(out, TRUE);
        return;
    }
    g_string_append_printf(out, "%s(", def->name);
    for (f = def->args ? def->args : "", i = 0; *f && i < 6; f++, i++) {
        abi_ulong v = args[i];

        if (i) {
            g_string_append_c(out, ',');
        }
        switch (*f) {
        case 'd':
        case 'f':
        case 'S':
            g_string_append_printf(out, "%d", (int)v);
            break;
        case 'a':
            if ((int)v == AT_FDCWD) {
                g_string_append(out, "AT_FDCWD");
            } else {
                g_string_append_printf(out, "%d", (int)v);
            }
            break;
        case 'u':
            g_string_append_printf(out, "%llu", (unsigned long long)v);
            break;
        case 'o':
            g_string_append_printf(out, "0%llo", (unsigned long long)v);
            break;
        case 's':
            strace_string(out, v);
            break;
        case 'p':
        case 'x':
        default:
            g_string_append_printf(out, "0x%llx", (unsigned long long)v);
            break;
        }
    }
    g_string_append_c(out, ')');
    /* The result follows on the same line (strace_post), as QEMU prints it. */
    log_printf("%s", out->str);
    g_string_free(out, TRUE);
}

void strace_post(const SyscallDef *def, abi_long ret)
{
    if (!def) {
        log_printf("\n");
        return;
    }
    if (ret < 0 && ret >= -4095) {
        if (ret == -USER_ESIGRETURN) {
            /* rt_sigreturn: the registers were replaced, there is no result. */
            log_printf(" = ?\n");
        } else if (ret == -USER_ERESTARTSYS) {
            log_printf(" = -1 errno=%d (To be restarted)\n", USER_ERESTARTSYS);
        } else {
            log_printf(" = -1 errno=%d (%s)\n", (int)-ret, strerror((int)-ret));
        }
    } else if (def->args && strcmp(def->name, "mmap") == 0) {
        log_printf(" = 0x%llx\n", (unsigned long long)ret);
    } else {
        log_printf(" = %lld\n", (long long)ret);
    }
}
