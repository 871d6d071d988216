/*
 * The device model (QEMU's qdev, without QOM): device classes in a
 * registry, typed properties, realize/reset, a state description for
 * migration, and interrupt lines in and out.
 *
 * A device is a state struct that starts with DeviceState (or
 * SysBusDevice, include/hw/sysbus.h) plus a DeviceClass describing it:
 *   DeviceClass.props       typed properties (offsets in the state struct)
 *                           with defaults, set by boards or -device;
 *   DeviceClass.realize     builds what the properties describe (regions,
 *                           lines); errors travel up through errp;
 *   DeviceClass.reset       back to the power-on state (system_reset);
 *   DeviceClass.vmsd        the migratable fields.
 * Classes register themselves at start-up with DEVICE_CLASS_REGISTER.
 * Everything here runs with the big lock held.
 */
#ifndef MORPH_HW_QDEV_H
#define MORPH_HW_QDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "chardev/char.h"
#include "hw/irq.h"
#include "migration/vmstate.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct DeviceState DeviceState;
typedef struct DeviceClass DeviceClass;

typedef enum PropertyKind {
    PROP_BOOL,
    PROP_UINT8,
    PROP_UINT16,
    PROP_UINT32,
    PROP_UINT64,
    PROP_INT32,
    PROP_SIZE,      /* uint64_t with K/M/G suffixes */
    PROP_STRING,    /* char *, owned by the device */
    PROP_CHR,       /* CharBackend: the value names a -chardev id */
    PROP_DRIVE,     /* char *: a -drive id (checked through qdev_backend_check) */
    PROP_NETDEV,    /* char *: a -netdev id (likewise) */
} PropertyKind;

typedef struct Property {
    const char *name;
    PropertyKind kind;
    size_t offset;
    uint64_t defval;        /* integers and bools */
    const char *defstr;     /* strings */
    const char *desc;
} Property;

#define QDEV_PROP_CHECK(state, field, type) (0 * sizeof((type *)0 - &((state *)0)->field))
#define DEFINE_PROP(n, state, field, kind_, type, def)                                             \
    {                                                                                              \
        .name = (n), .kind = (kind_),                                                              \
        .offset = offsetof(state, field) + QDEV_PROP_CHECK(state, field, type), .defval = (def),   \
    }
#define DEFINE_PROP_BOOL(n, s, f, d) DEFINE_PROP(n, s, f, PROP_BOOL, bool, d)
#define DEFINE_PROP_UINT8(n, s, f, d) DEFINE_PROP(n, s, f, PROP_UINT8, uint8_t, d)
#define DEFINE_PROP_UINT16(n, s, f, d) DEFINE_PROP(n, s, f, PROP_UINT16, uint16_t, d)
#define DEFINE_PROP_UINT32(n, s, f, d) DEFINE_PROP(n, s, f, PROP_UINT32, uint32_t, d)
#define DEFINE_PROP_UINT64(n, s, f, d) DEFINE_PROP(n, s, f, PROP_UINT64, uint64_t, d)
#define DEFINE_PROP_INT32(n, s, f, d) DEFINE_PROP(n, s, f, PROP_INT32, int32_t, d)
#define DEFINE_PROP_SIZE(n, s, f, d) DEFINE_PROP(n, s, f, PROP_SIZE, uint64_t, d)
#define DEFINE_PROP_STRING(n, s, f) DEFINE_PROP(n, s, f, PROP_STRING, char *, 0)
#define DEFINE_PROP_CHR(n, s, f) DEFINE_PROP(n, s, f, PROP_CHR, CharBackend, 0)
#define DEFINE_PROP_DRIVE(n, s, f) DEFINE_PROP(n, s, f, PROP_DRIVE, char *, 0)
#define DEFINE_PROP_NETDEV(n, s, f) DEFINE_PROP(n, s, f, PROP_NETDEV, char *, 0)
#define DEFINE_PROP_END_OF_LIST()                                                                  \
    {                                                                                              \
        .name = NULL                                                                               \
    }

struct DeviceClass {
    const char *name;           /* the type name (-device NAME) */
    const char *desc;
    const char *category;       /* -device help heading: "Misc devices", "Storage devices"... */
    size_t instance_size;
    bool user_creatable;        /* may -device create it? */
    bool sysbus;                /* the state starts with SysBusDevice */
    void (*instance_init)(DeviceState *dev);
    void (*realize)(DeviceState *dev, Error **errp);
    void (*unrealize)(DeviceState *dev);
    void (*reset)(DeviceState *dev);
    const Property *props;
    const VMStateDescription *vmsd;
};

struct DeviceState {
    const DeviceClass *dc;
    char *id;                   /* -device id=, or NULL */
    bool realized;
    qemu_irq *gpio_in;          /* input lines (qdev_init_gpio_in) */
    int num_gpio_in;
    DeviceState *next;          /* every device, in creation order */
};

void device_class_register(const DeviceClass *dc);
#define DEVICE_CLASS_REGISTER(dc)                                                                  \
    static void __attribute__((constructor)) dc##_register(void)                                  \
    {                                                                                              \
        device_class_register(&(dc));                                                              \
    }
const DeviceClass *device_class_find(const char *name);
/* In name order. */
void device_class_foreach(void (*fn)(const DeviceClass *dc, void *opaque), void *opaque);

/* A new unrealized device with its properties at their defaults. */
DeviceState *qdev_new(const char *type);
bool qdev_realize(DeviceState *dev, Error **errp);
/* Unrealize (if needed), release properties, free. */
void qdev_free(DeviceState *dev);
/* Reset every realized device, in creation order. */
void qdev_reset_all(void);
void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque);
DeviceState *qdev_find_by_id(const char *id);

/* Setting properties: boards (cannot fail on a correct name: aborts otherwise). */
void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value);
void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value);
void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value);
void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value);
void qdev_prop_set_chr(DeviceState *dev, const char *name, Chardev *chr);
/* From text (-device): QEMU's messages on a bad name or value. */
bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value, Error **errp);
/* Print a class's properties, as `-device TYPE,help` does. */
void qdev_print_props(FILE *out, const DeviceClass *dc);

/*
 * Whether a -drive or -netdev id exists; installed by the system layer
 * (NULL: every id is accepted).
 */
extern bool (*qdev_backend_check)(PropertyKind kind, const char *id);

/* Input lines: `n` lines calling handler(dev, line, level). */
void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);

/*
 * -device DRIVER[,id=ID][,PROP=VALUE...]: create and realize a
 * user-creatable device.  `help` requests are the caller's.
 */
DeviceState *qdev_device_add(const Opts *opts, Error **errp);

#endif
