/*
 * What the files of gdbstub/ share.  The stub is in three layers:
 *   packet.c    the wire: framing ($data#cs), acks, escapes, hex, numbers;
 *   gdbstub.c   the server: one connection's state, input bytes to
 *               packets, replies, stop replies, threads;
 *   commands.c / query.c   one handler per packet, found in a table;
 * below which a GdbBackend says how this emulator runs, stops and reads
 * its guest: user.c (linux-user: one socket, the session runs in the vCPU
 * thread that stopped) and system.c (the system emulator's main loop).
 * breakpoints.c and memory.c are the parts of a backend both modes share;
 * signals.c maps signal numbers, transport.c makes the sockets.
 *
 * The protocol is GDB's remote serial protocol ("Remote Protocol" and
 * "Target Description Format" in the GDB manual); QEMU's gdbstub sets the
 * conventions for the qqemu.* packets and for what an emulator answers.
 */
#ifndef MORPH_GDBSTUB_INTERNALS_H
#define MORPH_GDBSTUB_INTERNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "exec/cpu-exec.h"
#include "gdbstub/gdbstub.h"

/*
 * The most data bytes one packet may carry in either direction (our
 * qSupported PacketSize).  Longer input is answered with '-' and dropped.
 */
#define GDB_MAX_PACKET 16384

/* ---- packet.c ---- */

typedef enum GdbRxEvent {
    GDB_RX_NONE,      /* byte taken, nothing complete */
    GDB_RX_PACKET,    /* a packet with a good checksum: parser data/len */
    GDB_RX_BAD,       /* a packet with a bad checksum, too long or malformed: answer '-' */
    GDB_RX_ACK,       /* '+' */
    GDB_RX_NACK,      /* '-': send the last packet again */
    GDB_RX_INTERRUPT, /* 0x03 between packets (Ctrl-C) */
} GdbRxEvent;

typedef struct GdbPacketParser {
    int state;
    uint8_t sum;  /* checksum of the raw bytes so far */
    uint8_t csum; /* the checksum received */
    bool bad;     /* too long or malformed: nack at its end */
    size_t len;
    /* The payload, unescaped and run-length expanded; NUL-terminated. */
    char data[GDB_MAX_PACKET + 1];
} GdbPacketParser;

void gdb_parser_init(GdbPacketParser *p);
GdbRxEvent gdb_parser_feed(GdbPacketParser *p, uint8_t ch);

/* Append "$payload#cs" (payload already escaped where it has to be). */
void gdb_packet_frame(GString *out, const char *payload, size_t len);
/* Append binary data escaped for a reply ('#', '$', '}' and '*'). */
void gdb_escape_binary(GString *out, const void *data, size_t len);
void gdb_hex_encode(GString *out, const void *data, size_t len);
/* Decode exactly 2 * n hex digits into out; false on anything else. */
bool gdb_hex_decode(const char *hex, size_t n, uint8_t *out);
/*
 * A hex number at *p (at least one digit, at most 64 bits); advances *p.
 * False, *p unchanged, if there is none or it overflows.
 */
bool gdb_parse_hex(const char **p, uint64_t *out);
/* A thread id "TID", "-1" (all), "0" (any) or "pPID.TID" (PID ignored). */
bool gdb_parse_thread_id(const char **p, int *tid);

/* ---- signals.c: guest (Linux) signal numbers <-> GDB's ---- */

int gdb_signal_from_target(int sig);
int gdb_signal_to_target(int gdbsig);

enum {
    GDB_SIGNAL_0 = 0,
    GDB_SIGNAL_INT = 2,
    GDB_SIGNAL_TRAP = 5,
    GDB_SIGNAL_KILL = 9,
};

/* ---- the backend a server runs over ---- */

#define GDB_RESUME_STOPPED (-1)

/* Z/z types. */
enum {
    GDB_BP_SW = 0,
    GDB_BP_HW = 1,
    GDB_WP_WRITE = 2,
    GDB_WP_READ = 3,
    GDB_WP_ACCESS = 4,
};

typedef struct GdbBackend {
    bool system; /* system mode: qAttached 1, qqemu.PhyMemMode */
    /* Write bytes to the debugger's connection. */
    void (*send)(void *opaque, const uint8_t *buf, size_t len);
    /* The vCPUs, in order (one per guest thread in user mode). */
    void (*cpu_foreach)(void *opaque, void (*fn)(CPUState *cs, void *data), void *data);
    /*
     * Copy guest memory at `addr` (virtual through cs's MMU, or physical)
     * to or from buf; returns the bytes done from the start, which is
     * fewer than len only where an inaccessible page begins.  Never
     * faults the guest.
     */
    size_t (*memory_rw)(void *opaque, CPUState *cs, uint64_t addr, uint8_t *buf, size_t len,
                        bool is_write, bool phys);
    /* 0, -ENOSYS (type not supported: empty reply), or another -errno (E22). */
    int (*breakpoint_insert)(void *opaque, int type, uint64_t addr, uint64_t len);
    int (*breakpoint_remove)(void *opaque, int type, uint64_t addr, uint64_t len);
    void (*breakpoint_remove_all)(void *opaque);
    /*
     * How cs takes the next resume: GDB_RESUME_STOPPED (it stays stopped:
     * GDB resumes some threads only, to step one over a breakpoint), 0 (it
     * runs) or SSTEP_* flags (it steps one instruction).
     */
    void (*set_resume)(void *opaque, CPUState *cs, int how);
    /*
     * Let the guest run; `sig` (a target signal number, 0 for none) goes
     * to the thread that stopped.  The backend calls gdb_server_stopped()
     * when something stops it again.
     */
    void (*resume)(void *opaque, int sig);
    /* Ctrl-C while running: stop the guest (then gdb_server_stopped, SIGINT). */
    void (*interrupt)(void *opaque);
    /* 'k' (does not return in user mode); 'D' (after the OK went out). */
    void (*kill)(void *opaque);
    void (*detach)(void *opaque);
    /* Optional.  qRcmd: run a monitor command, its output to `out`. */
    bool (*monitor_command)(void *opaque, const char *cmd, GString *out);
    /* Optional.  qXfer:auxv:read: the process's auxiliary vector. */
    bool (*read_auxv)(void *opaque, GByteArray *out);
} GdbBackend;

/* ---- gdbstub.c: the server ---- */

typedef struct GdbServer GdbServer;

/* Why a thread stopped, for its stop reply. */
typedef enum GdbStopKind {
    GDB_STOP_SIGNAL,  /* T<sig>: a signal, a step, or a stop request */
    GDB_STOP_SWBREAK, /* T05 swbreak */
    GDB_STOP_HWBREAK, /* T05 hwbreak */
    GDB_STOP_WATCH,   /* T05 watch:addr / rwatch / awatch */
    GDB_STOP_EXITED,  /* W<code> */
    GDB_STOP_KILLED,  /* X<sig> */
} GdbStopKind;

typedef struct GdbStop {
    GdbStopKind kind;
    int signal;     /* target signal number (GDB_STOP_SIGNAL, _KILLED), or exit code */
    int watch_type; /* GDB_WP_* */
    uint64_t watch_addr;
} GdbStop;

struct GdbServer {
    const GdbBackend *be;
    void *opaque;
    GdbPacketParser parser;
    GString *reply; /* the reply being built */
    GString *wire;  /* the framed form of the last packet sent, for a '-' */
    bool noack;     /* QStartNoAckMode */
    bool running;   /* resumed: only Ctrl-C means something */
    bool attached;  /* a debugger is there (false after D, k, or a lost connection) */
    /* What gdb told us in qSupported. */
    bool gdb_swbreak, gdb_hwbreak;
    int c_tid, g_tid; /* Hc / Hg: 0 any, -1 all */
    int stop_tid;     /* the thread of the last stop */
    GdbStop last_stop;
    int sstep_flags;          /* qqemu.sstep */
    bool phys_mode;           /* Qqemu.PhyMemMode */
    bool no_reply;            /* the handler answered itself (or must not: resume, k) */
    GPtrArray *deferred;      /* packets received while running (GString), for the next stop */
    uint8_t pass_signals[32]; /* QPassSignals: bit per GDB signal number */
};

GdbServer *gdb_server_new(const GdbBackend *be, void *opaque);
void gdb_server_free(GdbServer *s);
/* Bytes from the connection (packets are handled as they complete). */
void gdb_server_input(GdbServer *s, const uint8_t *buf, size_t len);
/* The guest stopped: cs (NULL: the first vCPU) and why.  Sends the stop reply. */
void gdb_server_stopped(GdbServer *s, CPUState *cs, const GdbStop *stop);
/* Dispatch one packet now and send its reply. */
void gdb_server_handle_packet(GdbServer *s, const char *data, size_t len);
/* Send one packet (framed, remembered for a nack). */
void gdb_server_send_packet(GdbServer *s, const char *payload, size_t len);
void gdb_server_send_str(GdbServer *s, const char *payload);

/* Does GDB want target signal sig delivered without a stop (QPassSignals)? */
bool gdb_server_pass_signal(GdbServer *s, int sig);

/* Thread ids: vCPU cpu_index + 1. */
int gdb_cpu_tid(CPUState *cs);
CPUState *gdb_server_find_cpu(GdbServer *s, int tid);
CPUState *gdb_server_first_cpu(GdbServer *s);
/* The CPU of Hg (registers, memory) and of Hc (resume). */
CPUState *gdb_server_g_cpu(GdbServer *s);
CPUState *gdb_server_c_cpu(GdbServer *s);
/* Append "T.." / "W.." / "X.." for stop to s->reply. */
void gdb_server_format_stop(GdbServer *s, GString *out, const GdbStop *stop, int tid);

/* ---- commands.c / query.c: the packet table ---- */

typedef void (*GdbCmdHandler)(GdbServer *s, const char *args, size_t len);

typedef struct GdbCommand {
    const char *name;
    bool exact; /* the whole packet, else a prefix */
    GdbCmdHandler handler;
} GdbCommand;

extern const GdbCommand gdb_commands[];
extern const size_t gdb_commands_count;
extern const GdbCommand gdb_queries[];
extern const size_t gdb_queries_count;

/* Run the handler of the packet in data[0..len) (reply "" if none). */
void gdb_dispatch(GdbServer *s, const char *data, size_t len);
/* Reply helpers: the handler's answer goes to s->reply. */
void gdb_reply_ok(GdbServer *s);
void gdb_reply_error(GdbServer *s, int err);

/* Resume as vCont would: action per thread id ('c', 's'), signal for the stopped one. */
void gdb_resume(GdbServer *s, int stop_thread_action, int sig, const char *actions);

/* ---- breakpoints.c: breakpoints and watchpoints on the TCG runtime ---- */

/*
 * Global lists (every vCPU), changed only while the guest is stopped and
 * read by the vCPUs while they translate and run.
 */
int gdb_bp_insert(int type, uint64_t addr, uint64_t len, bool system);
int gdb_bp_remove(int type, uint64_t addr, uint64_t len, bool system);
void gdb_bp_remove_all(bool system);
/*
 * cs returned EXCP_DEBUG or took SIGTRAP: fill in the reason if it was a
 * breakpoint or a watchpoint (kind GDB_STOP_SIGNAL otherwise); forgets it.
 */
void gdb_bp_stop_reason(CPUState *cs, GdbStop *stop);
/* Has cs hit a watchpoint not reported yet?  (Any thread, any time.) */
bool gdb_bp_has_watch_hit(CPUState *cs);
/* Forget every vCPU's recorded watchpoint hit (a new session, a fork). */
void gdb_bp_reset(void);
/* The guest pc of cs (for breakpoint matching). */
uint64_t gdb_cpu_pc(CPUState *cs);

/* ---- memory.c: debugger access to guest memory ---- */

/* User mode: through the page flags, never faulting (process_vm_readv on ourselves). */
size_t gdb_user_memory_rw(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool is_write);
/*
 * System mode: through the target's debug page walk (TargetOps
 * get_phys_page_debug) unless phys, then the memory API.
 */
/* In a forked child: forget the parent's /proc/self/mem. */
void gdb_memory_fork_child(void);
size_t gdb_system_memory_rw(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool is_write,
                            bool phys);

#endif
