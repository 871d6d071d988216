/*
 * Signal numbers: the guest's are Linux's generic numbering (the riscv64
 * ABI's, and the x86-64 host's), the remote protocol's are GDB's own
 * (include/gdb/signals.def in GDB's sources), which agree only up to 15.
 * Real-time signal n (33..63) is GDB_SIGNAL_REALTIME_n = n + 12; 32 and
 * 64 have numbers of their own.  Signals GDB has no name for travel as
 * GDB_SIGNAL_UNKNOWN.
 */
#include "internals.h"

#define GDB_SIGNAL_UNKNOWN 143

/* Index: Linux signal number 0..31; value: GDB's number. */
static const uint8_t gdb_signal_table[32] = {
    [0] = 0,   [1] = 1,   [2] = 2,   [3] = 3,   [4] = 4,   [5] = 5,   [6] = 6,
    [7] = 10,  /* SIGBUS */
    [8] = 8,   [9] = 9,
    [10] = 30, /* SIGUSR1 */
    [11] = 11,
    [12] = 31, /* SIGUSR2 */
    [13] = 13, [14] = 14, [15] = 15,
    [16] = GDB_SIGNAL_UNKNOWN, /* SIGSTKFLT */
    [17] = 20, /* SIGCHLD */
    [18] = 19, /* SIGCONT */
    [19] = 17, /* SIGSTOP */
    [20] = 18, /* SIGTSTP */
    [21] = 21, [22] = 22,
    [23] = 16, /* SIGURG */
    [24] = 24, [25] = 25, [26] = 26, [27] = 27, [28] = 28,
    [29] = 23, /* SIGIO */
    [30] = 32, /* SIGPWR */
    [31] = 12, /* SIGSYS */
};

int gdb_signal_from_target(int sig)
{
    if (sig >= 0 && sig < 32) {
        return gdb_signal_table[sig];
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
    if (gdbsig == 77) {
        return 32;
    }
    if (gdbsig >= 45 && gdbsig <= 75) {
        return gdbsig - 12;
    }
    if (gdbsig == 78) {
        return 64;
    }
    for (int i = 0; i < 32; i++) {
        if (gdb_signal_table[i] == gdbsig && gdbsig != GDB_SIGNAL_UNKNOWN) {
            return i;
        }
    }
    return -1;
}
