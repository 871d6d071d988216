/*
 * The human monitor (HMP): QEMU's text monitor as scripts and people drive
 * it (behaviour: QEMU 7.2 monitor/hmp.c, util/readline.c, hmp-commands*.hx).
 *  - A session opens with a banner and the prompt "(qemu) ".  morph keeps
 *    QEMU's prompt text on purpose: expect scripts, CI harnesses and
 *    pexpect-based tests wait for exactly "(qemu) ".
 *  - Input is echoed and edited as a line (backspace; escape sequences such
 *    as arrow keys are ignored); CR, LF or CR LF end a line.
 *  - A line is "command args...", "info subcommand args..."; arguments
 *    follow each command's QEMU args_type string (s, S, F, B, i, l, /, -x
 *    flags, '?' optional), integers are expressions (+ - * / % & | ^ ~,
 *    parentheses, 'c' constants, $register), with QEMU's error messages and
 *    its "Try "help x" for more information" line.
 *  - x and xp dump guest memory with QEMU's layout (address, then 8 bytes or
 *    16 bytes' worth of values per line); /fmt is sticky per session.
 * Output is produced with "\n" line ends; monitor_puts sends "\r\n".
 */
#include "monitor-int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config-host.h"

enum {
    HMP_LINE_MAX = 4095,       /* QEMU's readline buffer */
    HMP_EXPR_DEPTH_MAX = 256,  /* nested ( / unary operators in one expression */
    HMP_DUMP_MAX = 256 * 1024, /* bytes one x/xp shows: its text must fit the output queue */
};

#define HMP_PROMPT "(qemu) "

void hmp_state_init(HmpState *st)
{
    st->last_format = 'x';
    st->last_size = 4;
    st->cpu_index = 0;
}

/* ---- expressions (QEMU's expr_sum / expr_logic / expr_prod / expr_unary) */

typedef struct HmpExpr {
    const char *p;
    const char *err;
    int depth;
    int64_t cpu_index;
} HmpExpr;

static int64_t hmp_expr_sum(HmpExpr *e);

static void hmp_expr_next(HmpExpr *e)
{
    if (*e->p) {
        e->p++;
        while (g_ascii_isspace(*e->p)) {
            e->p++;
        }
    }
}

static int64_t hmp_expr_fail(HmpExpr *e, const char *msg)
{
    if (!e->err) {
        e->err = msg;
    }
    return 0;
}

static int64_t hmp_expr_register(HmpExpr *e)
{
    const MonitorHooks *hooks = monitor_get_hooks();
    char name[128];
    size_t n = 0;
    uint64_t value;

    e->p++;
    while (g_ascii_isalnum(*e->p) || *e->p == '_' || *e->p == '.') {
        if (n < sizeof(name) - 1) {
            name[n++] = *e->p;
        }
        e->p++;
    }
    name[n] = 0;
    while (g_ascii_isspace(*e->p)) {
        e->p++;
    }
    if (!hooks->get_register || !hooks->get_register(hooks->opaque, e->cpu_index, name, &value)) {
        return hmp_expr_fail(e, "unknown register");
    }
    return (int64_t)value;
}

static int64_t hmp_expr_unary(HmpExpr *e)
{
    int64_t n = 0;
    char *end;

    if (e->err) {
        return 0;
    }
    if (++e->depth > HMP_EXPR_DEPTH_MAX) {
        return hmp_expr_fail(e, "expression too deeply nested");
    }
    switch (*e->p) {
    case '+':
        hmp_expr_next(e);
        n = hmp_expr_unary(e);
        break;
    case '-':
        hmp_expr_next(e);
        n = (int64_t)(0 - (uint64_t)hmp_expr_unary(e));
        break;
    case '~':
        hmp_expr_next(e);
        n = ~hmp_expr_unary(e);
        break;
    case '(':
        hmp_expr_next(e);
        n = hmp_expr_sum(e);
        if (!e->err && *e->p != ')') {
            return hmp_expr_fail(e, "')' expected");
        }
        hmp_expr_next(e);
        break;
    case '\'':
        e->p++;
        if (*e->p == 0) {
            return hmp_expr_fail(e, "character constant expected");
        }
        n = (unsigned char)*e->p++;
        if (*e->p != '\'') {
            return hmp_expr_fail(e, "missing terminating ' character");
        }
        hmp_expr_next(e);
        break;
    case '$':
        n = hmp_expr_register(e);
        break;
    case 0:
        return hmp_expr_fail(e, "unexpected end of expression");
    default:
        errno = 0;
        n = (int64_t)strtoull(e->p, &end, 0);
        if (errno == ERANGE) {
            return hmp_expr_fail(e, "number too large");
        }
        if (end == e->p) {
            return hmp_expr_fail(e, "invalid char in expression");
        }
        e->p = end;
        while (g_ascii_isspace(*e->p)) {
            e->p++;
        }
        break;
    }
    e->depth--;
    return n;
}

static int64_t hmp_expr_prod(HmpExpr *e)
{
    int64_t val = hmp_expr_unary(e), val2;
    char op;

    while (!e->err && (*e->p == '*' || *e->p == '/' || *e->p == '%')) {
        op = *e->p;
        hmp_expr_next(e);
        val2 = hmp_expr_unary(e);
        if (op == '*') {
            val = (int64_t)((uint64_t)val * (uint64_t)val2);
        } else if (val2 == 0) {
            return hmp_expr_fail(e, "division by zero");
        } else if (val2 == -1) {
            /* INT64_MIN / -1 traps on x86: compute it the wrapping way */
            val = op == '/' ? (int64_t)(0 - (uint64_t)val) : 0;
        } else {
            val = op == '/' ? val / val2 : val % val2;
        }
    }
    return val;
}

/* QEMU binds & | ^ tighter than + - and looser than * / %. */
static int64_t hmp_expr_logic(HmpExpr *e)
{
    int64_t val = hmp_expr_prod(e), val2;
    char op;

    while (!e->err && (*e->p == '&' || *e->p == '|' || *e->p == '^')) {
        op = *e->p;
        hmp_expr_next(e);
        val2 = hmp_expr_prod(e);
        val = op == '&' ? (val & val2) : op == '|' ? (val | val2) : (val ^ val2);
    }
    return val;
}

static int64_t hmp_expr_sum(HmpExpr *e)
{
    int64_t val = hmp_expr_logic(e), val2;
    char op;

    while (!e->err && (*e->p == '+' || *e->p == '-')) {
        op = *e->p;
        hmp_expr_next(e);
        val2 = hmp_expr_logic(e);
        val =
            (int64_t)(op == '+' ? (uint64_t)val + (uint64_t)val2 : (uint64_t)val - (uint64_t)val2);
    }
    return val;
}

/* Parse an expression at *pp; on error print QEMU's message and return false. */
static bool hmp_get_expr(HmpState *st, GString *out, const char **pp, int64_t *val)
{
    HmpExpr e = {.p = *pp, .cpu_index = st->cpu_index};

    while (g_ascii_isspace(*e.p)) {
        e.p++;
    }
    *val = hmp_expr_sum(&e);
    if (e.err) {
        g_string_append_printf(out, "%s\n", e.err);
        return false;
    }
    *pp = e.p;
    return true;
}

/* ---- strings (QEMU's get_str: a word, or a "quoted string" with escapes) */

static char *hmp_get_str(GString *out, const char **pp, bool *bad)
{
    const char *p = *pp;
    GString *s;

    *bad = false;
    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p == 0) {
        return NULL;
    }
    s = g_string_new(NULL);
    if (*p == '"') {
        p++;
        while (*p && *p != '"') {
            char c = *p++;

            if (c == '\\') {
                c = *p++;
                switch (c) {
                case 'n':
                    c = '\n';
                    break;
                case 'r':
                    c = '\r';
                    break;
                case '\\':
                case '\'':
                case '"':
                    break;
                default:
                    g_string_append_printf(out, "unsupported escape code: '\\%c'\n", c);
                    goto fail;
                }
            }
            g_string_append_c(s, c);
        }
        if (*p != '"') {
            g_string_append(out, "unterminated string\n");
            goto fail;
        }
        p++;
    } else {
        while (*p && !g_ascii_isspace(*p)) {
            g_string_append_c(s, *p++);
        }
    }
    *pp = p;
    return g_string_free(s, FALSE);

fail:
    *bad = true;
    g_string_free(s, TRUE);
    return NULL;
}

/* ---- arguments by args_type (QEMU's monitor_parse_arguments) */

/* Is `-c` one of the flags of the spec entries from `spec` on? */
static bool hmp_flag_in_spec(char **spec, char c)
{
    for (; *spec; spec++) {
        const char *type = strchr(*spec, ':');

        if (type && type[1] == '-' && type[2] == c) {
            return true;
        }
    }
    return false;
}

/* The x/xp format: /[count][format][size], QEMU's rules and its sticky defaults. */
static bool hmp_parse_format(HmpState *st, GString *out, const char **pp, QDict *args)
{
    const char *p = *pp;
    int count = 1, format = -1, size = -1;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p == '/') {
        p++;
        if (g_ascii_isdigit(*p)) {
            count = 0;
            while (g_ascii_isdigit(*p)) {
                count = count < 100000000 ? count * 10 + (*p - '0') : count;
                p++;
            }
        }
        for (;;) {
            switch (*p) {
            case 'o':
            case 'd':
            case 'u':
            case 'x':
            case 'i':
            case 'c':
                format = *p++;
                continue;
            case 'b':
                size = 1;
                p++;
                continue;
            case 'h':
                size = 2;
                p++;
                continue;
            case 'w':
                size = 4;
                p++;
                continue;
            case 'g':
            case 'L':
                size = 8;
                p++;
                continue;
            default:
                break;
            }
            break;
        }
        if (*p && !g_ascii_isspace(*p)) {
            g_string_append_printf(out, "invalid char in format: '%c'\n", *p);
            return false;
        }
        if (format < 0) {
            format = st->last_format;
        }
        if (format != 'i') {
            /* for 'i', not giving a size leaves it -1 */
            if (size < 0) {
                size = st->last_size;
            }
            st->last_size = size;
        }
        st->last_format = format;
    } else {
        format = st->last_format;
        size = format == 'i' ? -1 : st->last_size;
    }
    qdict_put_int(args, "count", count);
    qdict_put_int(args, "format", format);
    qdict_put_int(args, "size", size);
    *pp = p;
    return true;
}

static QDict *hmp_parse_args(HmpState *st, GString *out, const MonCommand *cmd, const char **pp)
{
    char **spec = g_strsplit(cmd->hmp_args ? cmd->hmp_args : "", ",", -1);
    QDict *args = qdict_new();
    const char *p = *pp;

    for (char **s = spec; *s && **s; s++) {
        char *colon = strchr(*s, ':');
        const char *key, *type;
        bool optional;
        char c;

        if (!colon) {
            continue;
        }
        *colon = 0;
        key = *s;
        type = colon + 1;
        c = type[0];
        optional = type[1] == '?';
        while (g_ascii_isspace(*p)) {
            p++;
        }
        switch (c) {
        case 's':
        case 'F':
        case 'B': {
            bool bad;
            char *str;

            if (optional && *p == 0) {
                break;
            }
            str = hmp_get_str(out, &p, &bad);
            if (!str) {
                if (!bad) {
                    g_string_append_printf(out, "%s: %s expected\n", cmd->hmp_name,
                                           c == 'F'   ? "filename"
                                           : c == 'B' ? "block device name"
                                                      : "string");
                }
                goto fail;
            }
            qdict_put_obj(args, key, qobject_from_str_take(str));
            break;
        }
        case 'S':
            if (*p == 0) {
                if (optional) {
                    break;
                }
                g_string_append_printf(out, "%s: string expected\n", cmd->hmp_name);
                goto fail;
            }
            qdict_put_str(args, key, p);
            p += strlen(p);
            break;
        case 'i':
        case 'l': {
            int64_t val;

            if (optional && *p == 0) {
                break;
            }
            if (!hmp_get_expr(st, out, &p, &val)) {
                goto fail;
            }
            if (c == 'i' && ((val >> 32) & 0xffffffff)) {
                g_string_append_printf(out, "'%s' has failed: integer is for 32-bit values\n",
                                       cmd->hmp_name);
                goto fail;
            }
            qdict_put_int(args, key, val);
            break;
        }
        case '/':
            if (!hmp_parse_format(st, out, &p, args)) {
                goto fail;
            }
            break;
        case 'b': {
            bool bad, on;
            char *str;

            if (optional && *p == 0) {
                break;
            }
            str = hmp_get_str(out, &p, &bad);
            if (!str || (strcmp(str, "on") != 0 && strcmp(str, "off") != 0)) {
                if (!bad) {
                    g_string_append_printf(out, "Expected 'on' or 'off'\n");
                }
                g_free(str);
                goto fail;
            }
            on = strcmp(str, "on") == 0;
            g_free(str);
            qdict_put_bool(args, key, on);
            break;
        }
        case '-':
            if (p[0] == '-' && p[1] == type[1] && (p[2] == 0 || g_ascii_isspace(p[2]))) {
                qdict_put_bool(args, key, true);
                p += 2;
            } else if (p[0] == '-' && g_ascii_isalpha(p[1]) && !hmp_flag_in_spec(s + 1, p[1])) {
                g_string_append_printf(out, "%s: unsupported option -%c\n", cmd->hmp_name, p[1]);
                goto fail;
            }
            break;
        default:
            g_string_append_printf(out, "%s: unknown type '%c'\n", cmd->hmp_name, c);
            goto fail;
        }
    }
    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p) {
        g_string_append_printf(out, "%s: extraneous characters at the end of line\n",
                               cmd->hmp_name);
        goto fail;
    }
    g_strfreev(spec);
    *pp = p;
    return args;

fail:
    g_strfreev(spec);
    qobject_unref(qdict_obj(args));
    return NULL;
}

/* ---- help */

static int hmp_cmd_compare(const void *a, const void *b)
{
    const MonCommand *const *x = a, *const *y = b;

    return strcmp((*x)->hmp_name, (*y)->hmp_name);
}

/* HMP commands (or `info` sub-commands), sorted by name as QEMU lists them. */
static GPtrArray *hmp_sorted_commands(bool info)
{
    GPtrArray *cmds = g_ptr_array_new();

    for (const MonCommand *c = monitor_commands; c->fn; c++) {
        if (c->hmp_name && c->hmp_info == info) {
            g_ptr_array_add(cmds, (gpointer)c);
        }
    }
    g_ptr_array_sort(cmds, hmp_cmd_compare);
    return cmds;
}

static void hmp_help_one(GString *out, const char *prefix, const MonCommand *c)
{
    g_string_append_printf(out, "%s%s %s -- %s\n", prefix, c->hmp_name, c->hmp_params, c->help);
}

static void hmp_help_list(GString *out, bool info)
{
    GPtrArray *cmds = hmp_sorted_commands(info);

    for (guint i = 0; i < cmds->len; i++) {
        hmp_help_one(out, info ? "info " : "", cmds->pdata[i]);
    }
    g_ptr_array_free(cmds, TRUE);
}

bool hmp_cmd_help(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    const char *name = qdict_get_str(args, "name");
    char **words;
    const MonCommand *c;
    int n;

    if (!name) {
        hmp_help_list(ctx->out, false);
        return true;
    }
    words = g_strsplit_set(name, " \t", -1);
    /* drop empty words from repeated blanks */
    n = 0;
    for (int i = 0; words[i]; i++) {
        if (*words[i]) {
            words[n++] = words[i];
        } else {
            g_free(words[i]);
        }
    }
    words[n] = NULL;
    if (n == 0) {
        hmp_help_list(ctx->out, false);
    } else if (!(c = moncmd_find_hmp(words[0], false))) {
        g_string_append_printf(ctx->out, "unknown command: '%s'\n", words[0]);
    } else if (c->fn != hmp_cmd_info) {
        hmp_help_one(ctx->out, "", c);
    } else if (n == 1) {
        hmp_help_list(ctx->out, true);
    } else if ((c = moncmd_find_hmp(words[1], true))) {
        hmp_help_one(ctx->out, "info ", c);
    } else {
        g_string_append_printf(ctx->out, "unknown command: '%s %s'\n", words[0], words[1]);
    }
    g_strfreev(words);
    return true;
}

/* `info` alone: the list of what it can show (sub-commands are dispatched by the parser). */
bool hmp_cmd_info(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    hmp_help_list(ctx->out, true);
    return true;
}

/* ---- x / xp (QEMU's memory_dump) */

static void hmp_printc(GString *out, int c)
{
    g_string_append_c(out, '\'');
    switch (c) {
    case '\'':
        g_string_append(out, "\\'");
        break;
    case '\\':
        g_string_append(out, "\\\\");
        break;
    case '\n':
        g_string_append(out, "\\n");
        break;
    case '\r':
        g_string_append(out, "\\r");
        break;
    default:
        if (c >= 32 && c <= 126) {
            g_string_append_c(out, c);
        } else {
            g_string_append_printf(out, "\\x%02x", c);
        }
        break;
    }
    g_string_append_c(out, '\'');
}

static uint64_t hmp_load(const uint8_t *p, int size, bool big_endian)
{
    uint64_t v = 0;

    for (int i = 0; i < size; i++) {
        v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
    }
    return v;
}

static bool hmp_memory_dump(MonCmdCtx *ctx, QDict *args, bool physical, Error **errp)
{
    const MonitorHooks *hooks = monitor_get_hooks();
    int count = (int)qdict_get_int_def(args, "count", 1);
    int format = (int)qdict_get_int_def(args, "format", 'x');
    int wsize = (int)qdict_get_int_def(args, "size", 4);
    uint64_t addr = (uint64_t)qdict_get_int_def(args, "addr", 0);
    bool wide = hooks->target_long_bits != 32;
    GString *out = ctx->out;
    int max_digits = 0, line_size;
    int64_t len;
    uint8_t buf[16];

    if (format == 'i') {
        if (!hooks->disassemble) {
            error_setg(errp,
                       "The command %s is not available: the machine provides no "
                       "'disassemble' hook",
                       physical ? "xp/i" : "x/i");
            return false;
        }
        return hooks->disassemble(hooks->opaque, ctx->hmp->cpu_index, addr, physical, count, out,
                                  errp);
    }
    if (!hooks->memory_read) {
        error_setg(errp,
                   "The command %s is not available: the machine provides no "
                   "'memory_read' hook",
                   physical ? "xp" : "x");
        return false;
    }
    if (!physical && !wide) {
        addr = (uint32_t)addr;
    }
    len = MIN((int64_t)wsize * count, (int64_t)HMP_DUMP_MAX);
    line_size = wsize == 1 ? 8 : 16;
    switch (format) {
    case 'o':
        max_digits = (wsize * 8 + 2) / 3;
        break;
    case 'u':
    case 'd':
        max_digits = (wsize * 8 * 10 + 32) / 33;
        break;
    case 'c':
        wsize = 1;
        break;
    default:
        max_digits = (wsize * 8) / 4;
        break;
    }
    while (len > 0) {
        int l = (int)MIN(len, (int64_t)line_size);

        if (physical || wide) {
            g_string_append_printf(out, "%016" PRIx64 ":", addr);
        } else {
            g_string_append_printf(out, "%08" PRIx64 ":", addr);
        }
        if (!hooks->memory_read(hooks->opaque, ctx->hmp->cpu_index, addr, physical, buf, l)) {
            g_string_append(out, " Cannot access memory\n");
            break;
        }
        for (int i = 0; i + wsize <= l; i += wsize) {
            uint64_t v = hmp_load(buf + i, wsize, hooks->target_big_endian);

            g_string_append_c(out, ' ');
            switch (format) {
            case 'o':
                g_string_append_printf(out, "%#*" PRIo64, max_digits, v);
                break;
            case 'u':
                g_string_append_printf(out, "%*" PRIu64, max_digits, v);
                break;
            case 'd':
                /* QEMU prints the zero-extended word as signed 64-bit */
                g_string_append_printf(out, "%*" PRId64, max_digits, (int64_t)v);
                break;
            case 'c':
                hmp_printc(out, (int)v);
                break;
            default:
                g_string_append_printf(out, "0x%0*" PRIx64, max_digits, v);
                break;
            }
        }
        g_string_append_c(out, '\n');
        addr += l;
        len -= l;
    }
    return true;
}

bool hmp_cmd_x(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    return hmp_memory_dump(ctx, args, false, errp);
}

bool hmp_cmd_xp(MonCmdCtx *ctx, QDict *args, QObject **ret, Error **errp)
{
    return hmp_memory_dump(ctx, args, true, errp);
}

/* ---- one command line (QEMU's handle_hmp_command) */

/*
 * The next command name at *pp (after blanks): its start and length, or 0
 * at the end.  A name ends at a blank or a '/', so that "x/4x" is x + /4x.
 */
static size_t hmp_word(const char **pp, const char **start)
{
    const char *p = *pp;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    *start = p;
    while (*p && *p != '/' && !g_ascii_isspace(*p)) {
        p++;
    }
    *pp = p;
    return (size_t)(p - *start);
}

void hmp_execute(Monitor *mon, HmpState *st, const char *line, GString *out)
{
    const char *p = line, *word, *after_name;
    const MonCommand *cmd;
    MonCmdCtx ctx = {.mon = mon, .hmp = st, .out = out};
    QObject *ret = NULL;
    Error *err = NULL;
    QDict *args;
    size_t n;
    char *name;

    n = hmp_word(&p, &word);
    if (!n) {
        return;
    }
    name = g_strndup(word, n);
    cmd = moncmd_find_hmp(name, false);
    g_free(name);
    if (cmd && cmd->fn == hmp_cmd_info) {
        const char *save = p;

        n = hmp_word(&p, &word);
        if (!n) {
            p = save;
        } else {
            name = g_strndup(word, n);
            cmd = moncmd_find_hmp(name, true);
            g_free(name);
        }
    }
    if (!cmd) {
        g_string_append_printf(out, "unknown command: '%.*s'\n", (int)(p - line), line);
        return;
    }
    after_name = p;
    args = hmp_parse_args(st, out, cmd, &p);
    if (!args) {
        while (after_name > line && g_ascii_isspace(after_name[-1])) {
            after_name--;
        }
        g_string_append_printf(out, "Try \"help %.*s\" for more information\n",
                               (int)(after_name - line), line);
        return;
    }
    if (!cmd->fn(&ctx, args, &ret, &err)) {
        g_string_append_printf(out, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    } else if (cmd->hmp_format) {
        cmd->hmp_format(&ctx, ret, args);
    }
    qobject_unref(ret);
    qobject_unref(qdict_obj(args));
}

/* ---- the session: banner, prompt, line input */

static void hmp_prompt(Monitor *mon)
{
    monitor_puts(mon, HMP_PROMPT, strlen(HMP_PROMPT));
}

void hmp_session_open(Monitor *mon)
{
    monitor_printf(mon, "QEMU %d.%d.%d monitor (morph %s) - type 'help' for more information\n",
                   MONITOR_QEMU_MAJOR, MONITOR_QEMU_MINOR, MONITOR_QEMU_MICRO, MORPH_VERSION);
    hmp_prompt(mon);
}

void monitor_hmp_command(const char *line, GString *out)
{
    HmpState st;

    hmp_state_init(&st);
    hmp_execute(NULL, &st, line, out);
}

void monitor_mux_focus(Monitor *mon, bool in)
{
    if (mon->opts.mode != MONITOR_MODE_HMP) {
        return;
    }
    if (!in) {
        if (mon->open) {
            monitor_puts(mon, "\n", 1);
        }
        return;
    }
    if (!mon->open) {
        monitor_open(mon);
        return;
    }
    g_string_truncate(mon->line, 0);
    hmp_prompt(mon);
}

static void hmp_run_line(Monitor *mon)
{
    GString *out = g_string_new(NULL);
    char *line = g_strdup(mon->line->str);

    g_string_truncate(mon->line, 0);
    if (!mon->opts.no_echo) {
        monitor_puts(mon, "\n", 1);
    }
    hmp_execute(mon, &mon->hmp, line, out);
    monitor_puts(mon, out->str, out->len);
    g_string_free(out, TRUE);
    g_free(line);
    hmp_prompt(mon);
}

void hmp_input(Monitor *mon, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len && mon->open; i++) {
        uint8_t c = buf[i];

        /* ESC [ ... final, ESC O x: cursor keys and friends, ignored */
        if (mon->esc_state == 1) {
            mon->esc_state = (c == '[') ? 2 : (c == 'O') ? 3 : 0;
            continue;
        }
        if (mon->esc_state == 2) {
            if (c >= 0x40 && c <= 0x7E) {
                mon->esc_state = 0;
            }
            continue;
        }
        if (mon->esc_state == 3) {
            mon->esc_state = 0;
            continue;
        }
        if (c == '\n' && mon->after_cr) {
            mon->after_cr = false; /* CR LF ends one line, not two */
            continue;
        }
        mon->after_cr = c == '\r';
        if (c == '\r' || c == '\n') {
            hmp_run_line(mon);
        } else if (c == 0x1B) {
            mon->esc_state = 1;
        } else if (c == 0x7F || c == 0x08) {
            if (mon->line->len) {
                g_string_truncate(mon->line, mon->line->len - 1);
                if (!mon->opts.no_echo) {
                    monitor_puts(mon, "\b \b", 3);
                }
            }
        } else if ((c >= 0x20 || c == '\t') && mon->line->len < HMP_LINE_MAX) {
            g_string_append_c(mon->line, (char)c);
            if (!mon->opts.no_echo) {
                monitor_puts(mon, (const char *)&c, 1);
            }
        }
    }
}
