/*
 * Signal numbers: the guest's are Linux's generic numbering (the riscv64
 * ABI's, and the x86-64 host's), the remote protocol's are GDB's own
 * (include/gdb/signals.def in GDB's sources), which agree with Linux's
 * for most numbers below 16, not all (SIGBUS, SIGUSR1, SIGUSR2 differ).
 * Real-time signal n (33..63) is GDB_SIGNAL_REALTIME_n = n + 12; 32 and
 * 64 have numbers of their own.  Signals GDB has no name for travel as
 * GDB_SIGNAL_UNKNOWN.
 */
#include <signal.h>
#include "internals.h"

#define GDB_SIGNAL_UNKNOWN 143

/*
 * The standard signals, by name: the host's <signal.h> numbers are the
 * guest's (both Linux, asm-generic numbering).
 */
static const struct {
    int target;
    int gdb;
} gdb_signal_map[] = {
    {SIGHUP, 1},     {SIGINT, 2},   {SIGQUIT, 3},   {SIGILL, 4},   {SIGTRAP, 5},  {SIGABRT, 6},
    {SIGBUS, 10},    {SIGFPE, 8},   {SIGKILL, 9},   {SIGUSR1, 30}, {SIGSEGV, 11}, {SIGUSR2, 31},
    {SIGPIPE, 13},   {SIGALRM, 14}, {SIGTERM, 15},  {SIGCHLD, 20}, {SIGCONT, 19}, {SIGSTOP, 17},
    {SIGTSTP, 18},   {SIGTTIN, 21}, {SIGTTOU, 22},  {SIGURG, 16},  {SIGXCPU, 24}, {SIGXFSZ, 25},
    {SIGVTALRM, 26}, {SIGPROF, 27}, {SIGWINCH, 28}, {SIGIO, 23},   {SIGPWR, 32},  {SIGSYS, 12},
};

int gdb_signal_from_target(int sig)
{
    if (sig == 0) {
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(gdb_signal_map); i++) {
        if (gdb_signal_map[i].target == sig) {
            return gdb_signal_map[i].gdb;
        }
    }
    if (sig == 32) {
        return 77;
    }
    if (sig >= 33 && sig <= 63) {
        return sig + 12;
    }
    if (sig == 64) {
        return 78;
    }
    return GDB_SIGNAL_UNKNOWN;
}

int gdb_signal_to_target(int gdbsig)
{
    if (gdbsig == 0) {
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(gdb_signal_map); i++) {
        if (gdb_signal_map[i].gdb == gdbsig) {
            return gdb_signal_map[i].target;
        }
    }
    if (gdbsig == 77) {
        return 32;
    }
    if (gdbsig >= 45 && gdbsig <= 75) {
        return gdbsig - 12;
    }
    if (gdbsig == 78) {
        return 64;
    }
    return -1;
}
