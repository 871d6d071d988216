/*
 * Character devices (QEMU's chardev/): the host side of a serial port or
 * a console.  A Chardev is a backend (stdio, a file, a pty, a socket,
 * null, or a mux that shares one backend between several frontends); a
 * CharBackend is a frontend's handle on it (a UART holds one).
 *
 * Input flows from the backend to the frontend on the main loop, with the
 * big lock held: the backend asks can_read() how much the frontend takes
 * now and calls read() with at most that; when the frontend has room again
 * it calls qemu_chr_fe_accept_input() (any thread).  Output is
 * qemu_chr_fe_write_all() from the frontend (vCPU or main thread, big lock
 * held): it blocks until written for stdio and files, and drops what a
 * disconnected socket or pty cannot take, as QEMU does.
 *
 * Options follow QEMU's -chardev and -serial syntax (docs/system/
 * invocation: "Character device options"); errors use QEMU's wording.
 */
#ifndef MORPH_CHARDEV_CHAR_H
#define MORPH_CHARDEV_CHAR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include "util/error.h"
#include "util/keyval.h"

typedef struct Chardev Chardev;
typedef struct ChardevClass ChardevClass;

typedef enum QEMUChrEvent {
    CHR_EVENT_BREAK,    /* serial break (C-a b) */
    CHR_EVENT_OPENED,   /* the backend connected */
    CHR_EVENT_MUX_IN,   /* a mux gave this frontend the input focus */
    CHR_EVENT_MUX_OUT,  /* ... and took it away */
    CHR_EVENT_CLOSED,   /* the backend disconnected */
} QEMUChrEvent;

typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

typedef struct CharBackend {
    Chardev *chr;
    IOCanReadHandler *can_read;
    IOReadHandler *read;
    IOEventHandler *event;
    void *opaque;
    int tag;            /* index among a mux's frontends */
} CharBackend;

/* ---- frontends */

/* Attach `be` to `chr` (a mux takes several, any other backend one). */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);
void qemu_chr_fe_deinit(CharBackend *be);
void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read, IOReadHandler *read,
                              IOEventHandler *event, void *opaque);
/* Write everything (returns len) or what the backend takes; -1 without a backend. */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);
/* The frontend can take input again: the backend reads on (any thread). */
void qemu_chr_fe_accept_input(CharBackend *be);
static inline bool qemu_chr_fe_backend_connected(const CharBackend *be)
{
    return be->chr != NULL;
}

/* ---- backends */

/*
 * -chardev BACKEND,id=ID[,options] (opts already parsed with implied key
 * "backend").  The label is the id.
 */
Chardev *qemu_chr_new_from_opts(const Opts *opts, Error **errp);
/*
 * -serial / -gdb style specifications: "stdio", "mon:stdio", "null",
 * "file:PATH", "pty", "tcp:HOST:PORT[,server=on,wait=off]",
 * "unix:PATH[,server=on,...]", "chardev:ID", "vc[:WxH]" (no display: null).
 * A "mon:" prefix makes a mux shared with the monitor.
 */
Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp);
Chardev *qemu_chr_find(const char *label);
const char *qemu_chr_label(const Chardev *chr);
/* QEMU's description for `info chardev` ("stdio", "pty:/dev/pts/3", ...). */
const char *qemu_chr_filename(const Chardev *chr);
/* Is chr a mux (several frontends, C-a escapes)? */
bool qemu_chr_is_mux(const Chardev *chr);
/* Has a frontend attached to chr (QEMU's frontend-open in query-chardev)? */
bool qemu_chr_has_frontend(const Chardev *chr);
/*
 * Give the first frontend of chr (a mux's first frontend, whatever has
 * the focus) bytes as if the backend had received them: the system
 * layer's console power button.  Returns how many it took (only what
 * its can_read allows).  Main loop, big lock held.
 */
int qemu_chr_send_to_frontend(Chardev *chr, const uint8_t *buf, int len);
/* Call fn for every chardev, in creation order. */
void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque);
/* Close every backend (restores the terminal); at exit. */
void qemu_chr_cleanup(void);
/* Print the backend names, as `-chardev help` does. */
void qemu_chr_print_help(FILE *out);

/*
 * The mux escape (C-a c) asks for the monitor.  Until one exists the hook
 * is NULL and the mux prints a line saying so; the monitor work installs it.
 */
extern void (*qemu_chr_mux_monitor_hook)(Chardev *mux);
/* C-a x and friends ask the system layer to quit (set by the system layer). */
extern void (*qemu_chr_quit_hook)(void);

/*
 * -daemonize: stdio cannot be used.  Set before creating chardevs.
 */
void qemu_chr_set_daemonized(bool on);

#endif
