/*
 * Typed device properties (contract in include/hw/qdev.h; the model and
 * the error messages are QEMU's hw/core/qdev-properties.c and
 * qdev-properties-system.c): defaults, setting from boards, parsing from
 * -device text, and release of what they own.
 */
#include <inttypes.h>
#include <string.h>
#include <glib.h>
#include "hw/qdev.h"

bool (*qdev_backend_check)(PropertyKind kind, const char *id);

/* Used by qdev.c only. */
void qdev_props_set_defaults(DeviceState *dev);
void qdev_props_release(DeviceState *dev);

static void *prop_ptr(DeviceState *dev, const Property *p)
{
    return (char *)dev + p->offset;
}

static const Property *prop_find(const DeviceClass *dc, const char *name)
{
    for (const Property *p = dc->props; p && p->name; p++) {
        if (strcmp(p->name, name) == 0) {
            return p;
        }
    }
    return NULL;
}

static const char *prop_type_name(PropertyKind kind)
{
    static const char *const names[] = {
        [PROP_BOOL] = "bool",     [PROP_UINT8] = "uint8",   [PROP_UINT16] = "uint16",
        [PROP_UINT32] = "uint32", [PROP_UINT64] = "uint64", [PROP_INT32] = "int32",
        [PROP_SIZE] = "size",     [PROP_STRING] = "str",    [PROP_CHR] = "str",
        [PROP_DRIVE] = "str",     [PROP_NETDEV] = "str",
    };

    return names[kind];
}

static void prop_set_uint(DeviceState *dev, const Property *p, uint64_t v)
{
    void *ptr = prop_ptr(dev, p);

    switch (p->kind) {
    case PROP_BOOL:
        *(bool *)ptr = v != 0;
        break;
    case PROP_UINT8:
        *(uint8_t *)ptr = (uint8_t)v;
        break;
    case PROP_UINT16:
        *(uint16_t *)ptr = (uint16_t)v;
        break;
    case PROP_UINT32:
        *(uint32_t *)ptr = (uint32_t)v;
        break;
    case PROP_INT32:
        *(int32_t *)ptr = (int32_t)v;
        break;
    case PROP_UINT64:
    case PROP_SIZE:
        *(uint64_t *)ptr = v;
        break;
    default:
        g_assert_not_reached();
    }
}

void qdev_props_set_defaults(DeviceState *dev)
{
    for (const Property *p = dev->dc->props; p && p->name; p++) {
        switch (p->kind) {
        case PROP_STRING:
        case PROP_DRIVE:
        case PROP_NETDEV:
            *(char **)prop_ptr(dev, p) = g_strdup(p->defstr);
            break;
        case PROP_CHR:
            break;
        default:
            prop_set_uint(dev, p, p->defval);
            break;
        }
    }
}

void qdev_props_release(DeviceState *dev)
{
    for (const Property *p = dev->dc->props; p && p->name; p++) {
        switch (p->kind) {
        case PROP_STRING:
        case PROP_DRIVE:
        case PROP_NETDEV:
            g_free(*(char **)prop_ptr(dev, p));
            *(char **)prop_ptr(dev, p) = NULL;
            break;
        case PROP_CHR:
            qemu_chr_fe_deinit(prop_ptr(dev, p));
            break;
        default:
            break;
        }
    }
}

static const Property *prop_must_find(DeviceState *dev, const char *name, PropertyKind kind)
{
    const Property *p = prop_find(dev->dc, name);

    if (!p) {
        g_error("device '%s' has no property '%s'", dev->dc->name, name);
    }
    (void)kind;
    return p;
}

void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value)
{
    prop_set_uint(dev, prop_must_find(dev, name, PROP_BOOL), value);
}

void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value)
{
    prop_set_uint(dev, prop_must_find(dev, name, PROP_UINT32), value);
}

void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value)
{
    prop_set_uint(dev, prop_must_find(dev, name, PROP_UINT64), value);
}

void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value)
{
    const Property *p = prop_must_find(dev, name, PROP_STRING);
    char **ptr = prop_ptr(dev, p);

    g_assert(p->kind == PROP_STRING || p->kind == PROP_DRIVE || p->kind == PROP_NETDEV);
    g_free(*ptr);
    *ptr = g_strdup(value);
}

void qdev_prop_set_chr(DeviceState *dev, const char *name, Chardev *chr)
{
    const Property *p = prop_must_find(dev, name, PROP_CHR);
    CharBackend *be = prop_ptr(dev, p);

    g_assert(p->kind == PROP_CHR);
    qemu_chr_fe_deinit(be);
    if (chr && !qemu_chr_fe_init(be, chr, NULL)) {
        g_error("chardev '%s' cannot take another frontend", qemu_chr_label(chr));
    }
}

static bool prop_parse_int(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    static const uint64_t max[] = {
        [PROP_BOOL] = 1,          [PROP_UINT8] = UINT8_MAX,  [PROP_UINT16] = UINT16_MAX,
        [PROP_UINT32] = UINT32_MAX, [PROP_UINT64] = UINT64_MAX, [PROP_INT32] = INT32_MAX,
        [PROP_SIZE] = UINT64_MAX,
    };
    uint64_t v;

    if (p->kind == PROP_BOOL) {
        bool b;

        if (!parse_bool(value, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", p->name);
            return false;
        }
        prop_set_uint(dev, p, b);
        return true;
    }
    if (p->kind == PROP_SIZE) {
        if (!parse_size(value, 1, &v)) {
            error_setg(errp, "Parameter '%s' expects a non-negative number below 2^64", p->name);
            return false;
        }
        prop_set_uint(dev, p, v);
        return true;
    }
    if (p->kind == PROP_INT32 && value[0] == '-') {
        uint64_t neg;

        if (!parse_uint64(value + 1, &neg) || neg > (uint64_t)INT32_MAX + 1) {
            error_setg(errp, "Parameter '%s' expects %s", p->name, prop_type_name(p->kind));
            return false;
        }
        prop_set_uint(dev, p, (uint64_t)(-(int64_t)neg));
        return true;
    }
    if (!parse_uint64(value, &v)) {
        error_setg(errp, "Parameter '%s' expects %s", p->name, prop_type_name(p->kind));
        return false;
    }
    if (v > max[p->kind]) {
        error_setg(errp, "Parameter '%s' expects %s", p->name, prop_type_name(p->kind));
        return false;
    }
    prop_set_uint(dev, p, v);
    return true;
}

bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value, Error **errp)
{
    const Property *p = prop_find(dev->dc, name);

    if (!p) {
        error_setg(errp, "Property '%s.%s' not found", dev->dc->name, name);
        return false;
    }
    switch (p->kind) {
    case PROP_STRING:
        qdev_prop_set_string(dev, name, value);
        return true;
    case PROP_DRIVE:
    case PROP_NETDEV:
        if (qdev_backend_check && !qdev_backend_check(p->kind, value)) {
            error_setg(errp, "Property '%s.%s' can't find value '%s'", dev->dc->name, name,
                       value);
            return false;
        }
        qdev_prop_set_string(dev, name, value);
        return true;
    case PROP_CHR: {
        Chardev *chr = qemu_chr_find(value);
        CharBackend *be = prop_ptr(dev, p);

        if (!chr) {
            error_setg(errp, "Property '%s.%s' can't find value '%s'", dev->dc->name, name,
                       value);
            return false;
        }
        qemu_chr_fe_deinit(be);
        if (!qemu_chr_fe_init(be, chr, errp)) {
            error_prepend(errp, "Property '%s.%s' can't take value '%s'", dev->dc->name, name,
                          value);
            return false;
        }
        return true;
    }
    default:
        return prop_parse_int(dev, p, value, errp);
    }
}

void qdev_print_props(FILE *out, const DeviceClass *dc)
{
    if (!dc->props || !dc->props->name) {
        fprintf(out, "There are no options for %s.\n", dc->name);
        return;
    }
    fprintf(out, "%s options:\n", dc->name);
    for (const Property *p = dc->props; p->name; p++) {
        fprintf(out, "  %-24s <%s>", p->name, prop_type_name(p->kind));
        if (p->desc) {
            fprintf(out, " - %s", p->desc);
        }
        if (p->kind == PROP_BOOL) {
            fprintf(out, " (default: %s)", p->defval ? "on" : "off");
        } else if (p->kind != PROP_STRING && p->kind != PROP_CHR && p->kind != PROP_DRIVE &&
                   p->kind != PROP_NETDEV) {
            fprintf(out, " (default: %" PRIu64 ")", p->defval);
        }
        fputc('\n', out);
    }
}
