/*
 * What the chardev backends share (the files of chardev/ only): the Chardev object,
 * the backend class table, and the helpers for backends built on file
 * descriptors (input gated by the frontend's room, output written fully).
 */
#ifndef MORPH_CHARDEV_CHAR_INTERNAL_H
#define MORPH_CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"
#include "util/main-loop.h"

struct ChardevClass {
    const char *name;
    const char *help;
    /* Keys of -chardev this backend takes (besides id, backend, mux, logfile, logappend). */
    const char *const *keys;
    bool (*open)(Chardev *chr, const Opts *opts, Error **errp);
    /* Write what can be written; -1: the peer is gone (the data is dropped). */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /* The frontend (or the mux above) has room again. */
    void (*accept_input)(Chardev *chr);
    /* A frontend attached (a mux takes several). */
    bool (*attach)(Chardev *chr, CharBackend *be, Error **errp);
    void (*detach)(Chardev *chr, CharBackend *be);
    void (*close)(Chardev *chr);
};

struct Chardev {
    const ChardevClass *cc;
    char *label;
    char *filename;         /* QEMU's description (info chardev) */
    CharBackend *be;        /* the frontend (muxes keep their own list) */
    Chardev *mux;           /* a mux that owns this backend: input goes there */
    bool be_open;           /* the backend is connected (CHR_EVENT_OPENED sent) */
    int log_fd;             /* logfile=: a copy of the output, -1: none */

    /* File-descriptor backends */
    int fd_in, fd_out;
    bool input_on;          /* the read handler is installed */
    BH *accept_bh;

    void *priv;             /* the backend's own state */
    Chardev *next;
};

/* -daemonize: stdio is gone. */
extern bool chr_daemonized;

extern const ChardevClass char_null_class;
extern const ChardevClass char_stdio_class;
extern const ChardevClass char_file_class;
extern const ChardevClass char_pty_class;
extern const ChardevClass char_socket_class;
extern const ChardevClass char_serial_class;
extern const ChardevClass char_mux_class;

/* Deliver input to the frontend (or the mux): how much it takes now, and the bytes. */
int chr_be_can_write(Chardev *chr);
void chr_be_write(Chardev *chr, const uint8_t *buf, int len);
void chr_be_event(Chardev *chr, QEMUChrEvent event);

/* fd backends: start reading `fd` (main thread); writes go to fd_out. */
void chr_fd_start_input(Chardev *chr);
void chr_fd_stop_input(Chardev *chr);
/* accept_input for fd backends (any thread). */
void chr_fd_accept_input(Chardev *chr);
/* Write everything to fd_out, waiting when it is full; -1 on a hard error. */
int chr_fd_write_all(int fd, const uint8_t *buf, int len);
/* Called by the fd input path at end of file / error; backends may override (sockets). */
void chr_fd_input_closed(Chardev *chr);

/* A new chardev of class cc under `label` (not opened). */
Chardev *chr_new(const ChardevClass *cc, const char *label);
/* The mux around `drv` (for "mon:" and mux=on), and the input it gets from drv. */
Chardev *chr_mux_new(const char *label, Chardev *drv, Error **errp);
int chr_mux_can_read(Chardev *mux);
void chr_mux_read(Chardev *mux, const uint8_t *buf, int len);
void chr_mux_event(Chardev *mux, QEMUChrEvent event);
/* The mux's frontend number `tag`, or NULL. */
CharBackend *chr_mux_frontend(Chardev *mux, int tag);

/* Socket backends: hook for input end. */
void char_socket_input_closed(Chardev *chr);

#endif
