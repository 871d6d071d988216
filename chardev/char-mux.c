/*
 * The multiplexer (QEMU's chardev/char-mux.c): one backend shared by
 * several frontends (the serial port and the monitor with -nographic or
 * "mon:stdio"), one of which has the input focus, switched with QEMU's
 * escape keys:
 *   C-a h  help          C-a x  quit            C-a s  flush disks
 *   C-a b  send break    C-a c  serial/monitor  C-a C-a  a literal C-a
 * Input for the focused frontend waits in a small buffer when the frontend
 * has no room, so that an escape typed meanwhile is still seen.
 */
#include <string.h>
#include "char-internal.h"
#include "system/bql.h"

#define MUX_MAX 4
#define MUX_BUFFER_SIZE 32
#define MUX_ESCAPE 0x01     /* C-a */

typedef struct MuxChardev {
    Chardev *drv;
    CharBackend *backends[MUX_MAX];
    int count;
    int focus;
    bool got_escape;
    uint8_t buf[MUX_BUFFER_SIZE];
    int buf_len;
    BH *flush_bh;
} MuxChardev;

static MuxChardev *mux_of(Chardev *chr)
{
    return chr->priv;
}

static void mux_write_str(Chardev *chr, const char *s)
{
    MuxChardev *m = mux_of(chr);

    m->drv->cc->write(m->drv, (const uint8_t *)s, (int)strlen(s));
}

static void mux_print_help(Chardev *chr)
{
    static const char *const lines[] = {
        "C-a h    print this help\n\r",
        "C-a x    exit emulator\n\r",
        "C-a s    save disk data back to file (if -snapshot)\n\r",
        "C-a b    send break (magic sysrq)\n\r",
        "C-a c    switch between console and monitor\n\r",
        "C-a C-a  sends C-a\n\r",
    };

    mux_write_str(chr, "\n\r");
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        mux_write_str(chr, lines[i]);
    }
}

static void mux_send_event(MuxChardev *m, int i, QEMUChrEvent event)
{
    CharBackend *be = m->backends[i];

    if (be && be->event) {
        be->event(be->opaque, event);
    }
}

static void mux_set_focus(Chardev *chr, int focus)
{
    MuxChardev *m = mux_of(chr);

    if (m->focus >= 0) {
        mux_send_event(m, m->focus, CHR_EVENT_MUX_OUT);
    }
    m->focus = focus;
    m->buf_len = 0;
    mux_send_event(m, focus, CHR_EVENT_MUX_IN);
    /*
     * The backend may have stopped reading because the old frontend had
     * no room (a stopped guest's full UART FIFO): the new one may have.
     */
    bh_schedule(m->flush_bh);
}

/* Give buffered input to the focused frontend, as far as it takes it. */
static void mux_flush(MuxChardev *m)
{
    CharBackend *be = m->focus >= 0 ? m->backends[m->focus] : NULL;

    while (be && be->can_read && be->read && m->buf_len > 0) {
        int room = be->can_read(be->opaque);
        int n = MIN(room, m->buf_len);

        if (n <= 0) {
            break;
        }
        be->read(be->opaque, m->buf, n);
        memmove(m->buf, m->buf + n, (size_t)(m->buf_len - n));
        m->buf_len -= n;
    }
}

/* true: the byte was an escape command, consumed. */
static bool mux_escape(Chardev *chr, uint8_t ch)
{
    MuxChardev *m = mux_of(chr);

    if (m->got_escape) {
        m->got_escape = false;
        switch (ch) {
        case 'h':
        case '?':
            mux_print_help(chr);
            return true;
        case 'x':
            mux_write_str(chr, "morph: Terminated\n\r");
            if (qemu_chr_quit_hook) {
                qemu_chr_quit_hook();
            }
            return true;
        case 's':
            /* -snapshot writes go nowhere yet: nothing to flush. */
            return true;
        case 'b':
            if (m->focus >= 0) {
                mux_send_event(m, m->focus, CHR_EVENT_BREAK);
            }
            return true;
        case 'c':
            if (qemu_chr_mux_monitor_hook) {
                qemu_chr_mux_monitor_hook(chr);
            } else if (m->count > 1) {
                mux_set_focus(chr, (m->focus + 1) % m->count);
            } else {
                mux_write_str(chr, "\n\rmorph: the monitor is not available yet\n\r");
            }
            return true;
        case MUX_ESCAPE:
            return false;
        default:
            return true;
        }
    }
    if (ch == MUX_ESCAPE) {
        m->got_escape = true;
        return true;
    }
    return false;
}

int chr_mux_can_read(Chardev *chr)
{
    MuxChardev *m = mux_of(chr);

    mux_flush(m);
    return MUX_BUFFER_SIZE - m->buf_len;
}

void chr_mux_read(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *m = mux_of(chr);

    for (int i = 0; i < len; i++) {
        /*
         * What was typed before an escape command goes to the frontend that
         * had the focus then: "cont\r" and C-a c in one read must reach the
         * monitor before the focus moves to the serial port.
         */
        if (m->got_escape) {
            mux_flush(m);
        }
        if (mux_escape(chr, buf[i])) {
            continue;
        }
        if (m->buf_len < MUX_BUFFER_SIZE) {
            m->buf[m->buf_len++] = buf[i];
        }
    }
    mux_flush(m);
}

void chr_mux_event(Chardev *chr, QEMUChrEvent event)
{
    MuxChardev *m = mux_of(chr);

    for (int i = 0; i < m->count; i++) {
        mux_send_event(m, i, event);
    }
}

CharBackend *chr_mux_frontend(Chardev *chr, int tag)
{
    MuxChardev *m = mux_of(chr);

    return tag >= 0 && tag < m->count ? m->backends[tag] : NULL;
}

static int char_mux_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *m = mux_of(chr);

    return m->drv->cc->write ? m->drv->cc->write(m->drv, buf, len) : len;
}

/* On the main loop: what waited in the buffer first, then more from the backend. */
static void mux_accept_bh(void *opaque)
{
    Chardev *chr = opaque;
    MuxChardev *m = mux_of(chr);

    mux_flush(m);
    if (m->drv->cc->accept_input) {
        m->drv->cc->accept_input(m->drv);
    }
}

static void char_mux_accept_input(Chardev *chr)
{
    MuxChardev *m = mux_of(chr);

    bh_schedule(m->flush_bh);
}

static bool char_mux_attach(Chardev *chr, CharBackend *be, Error **errp)
{
    MuxChardev *m = mux_of(chr);

    if (m->count >= MUX_MAX) {
        error_setg(errp, "too many uses of multiplexed chardev '%s' (maximum is %d)",
                   chr->label, MUX_MAX);
        return false;
    }
    be->tag = m->count;
    m->backends[m->count++] = be;
    if (m->focus < 0) {
        m->focus = be->tag;
    }
    return true;
}

static void char_mux_detach(Chardev *chr, CharBackend *be)
{
    MuxChardev *m = mux_of(chr);

    if (be->tag >= 0 && be->tag < MUX_MAX && m->backends[be->tag] == be) {
        m->backends[be->tag] = NULL;
    }
}

static void char_mux_close(Chardev *chr)
{
    MuxChardev *m = mux_of(chr);

    if (m) {
        m->drv->mux = NULL;
        bql_bh_delete(m->flush_bh);
        g_free(m);
    }
}

const ChardevClass char_mux_class = {
    .name = "mux",
    .help = "several frontends on one backend",
    .write = char_mux_write,
    .accept_input = char_mux_accept_input,
    .attach = char_mux_attach,
    .detach = char_mux_detach,
    .close = char_mux_close,
};

Chardev *chr_mux_new(const char *label, Chardev *drv, Error **errp)
{
    Chardev *chr;
    MuxChardev *m;

    if (drv->be || drv->mux) {
        error_setg(errp, "chardev '%s' is already in use", drv->label);
        return NULL;
    }
    chr = chr_new(&char_mux_class, label);
    m = g_new0(MuxChardev, 1);
    m->drv = drv;
    m->focus = -1;
    m->flush_bh = bql_bh_new(mux_accept_bh, chr);
    chr->priv = m;
    chr->filename = g_strdup(qemu_chr_filename(drv));
    chr->be_open = drv->be_open;
    drv->mux = chr;
    return chr;
}
