/*
 * State descriptions: what a device's migratable state is, as data.
 *
 * A VMStateDescription names a device's state and lists its fields
 * (offset, element size, count, kind) in the device's state struct; the
 * migration layer walks the table to save and load, in the order given,
 * in little-endian.  Nothing here runs code: devices only describe.
 * The model is QEMU's include/migration/vmstate.h, reduced to the field
 * kinds morph's devices use.
 */
#ifndef MORPH_MIGRATION_VMSTATE_H
#define MORPH_MIGRATION_VMSTATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum VMStateKind {
    VMS_BOOL,       /* bool, saved as one byte */
    VMS_UINT,       /* unsigned integer of `size` bytes (1, 2, 4, 8) */
    VMS_INT,        /* signed integer of `size` bytes */
    VMS_BUFFER,     /* `size` raw bytes */
    VMS_TIMER,      /* a Timer *: its expiry (-1: not armed), 8 bytes */
    VMS_STRUCT,     /* a nested struct described by `vmsd` */
} VMStateKind;

typedef struct VMStateDescription VMStateDescription;

typedef struct VMStateField {
    const char *name;
    size_t offset;
    VMStateKind kind;
    size_t size;                    /* of one element */
    unsigned count;                 /* elements (1 for a scalar) */
    const VMStateDescription *vmsd; /* VMS_STRUCT */
    /*
     * Arrays allocated at realize: the field is a pointer to the elements
     * and their number is the uint32_t field at count_offset.
     */
    bool pointer;
    size_t count_offset;
} VMStateField;

struct VMStateDescription {
    const char *name;
    int version_id;
    int minimum_version_id;
    /* Optional hooks around the table (0 = success). */
    int (*pre_save)(void *opaque);
    int (*post_load)(void *opaque, int version_id);
    const VMStateField *fields;     /* ends with VMSTATE_END_OF_LIST() */
};

/* Compile-time check that `field` of `state` has type `type`. */
#define VMSTATE_CHECK(state, field, type)                                                          \
    (0 * sizeof((type *)0 - &((state *)0)->field))

#define VMSTATE_SCALAR(field_, state, kind_, type)                                                 \
    {                                                                                              \
        .name = #field_, .offset = offsetof(state, field_) + VMSTATE_CHECK(state, field_, type),   \
        .kind = kind_, .size = sizeof(type), .count = 1,                                           \
    }

#define VMSTATE_ARRAY(field_, state, n, kind_, type)                                               \
    {                                                                                              \
        .name = #field_,                                                                           \
        .offset = offsetof(state, field_) + VMSTATE_CHECK(state, field_[0], type),                 \
        .kind = kind_, .size = sizeof(type), .count = (n),                                         \
    }

/* A realize-time array: `f` points to elements of `type`; their count is uint32_t field `n`. */
#define VMSTATE_VARRAY(field_, state, n, kind_, type)                                              \
    {                                                                                              \
        .name = #field_,                                                                           \
        .offset = offsetof(state, field_) + VMSTATE_CHECK(state, field_, type *),                  \
        .kind = kind_, .size = sizeof(type), .pointer = true,                                      \
        .count_offset = offsetof(state, n) + VMSTATE_CHECK(state, n, uint32_t),                    \
    }

#define VMSTATE_BOOL(f, s) VMSTATE_SCALAR(f, s, VMS_BOOL, bool)
#define VMSTATE_UINT8(f, s) VMSTATE_SCALAR(f, s, VMS_UINT, uint8_t)
#define VMSTATE_UINT16(f, s) VMSTATE_SCALAR(f, s, VMS_UINT, uint16_t)
#define VMSTATE_UINT32(f, s) VMSTATE_SCALAR(f, s, VMS_UINT, uint32_t)
#define VMSTATE_UINT64(f, s) VMSTATE_SCALAR(f, s, VMS_UINT, uint64_t)
#define VMSTATE_INT32(f, s) VMSTATE_SCALAR(f, s, VMS_INT, int32_t)
#define VMSTATE_INT64(f, s) VMSTATE_SCALAR(f, s, VMS_INT, int64_t)
#define VMSTATE_UINT8_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, VMS_UINT, uint8_t)
#define VMSTATE_UINT32_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, VMS_UINT, uint32_t)
#define VMSTATE_UINT64_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, VMS_UINT, uint64_t)
#define VMSTATE_VARRAY_UINT32(f, s, n) VMSTATE_VARRAY(f, s, n, VMS_UINT, uint32_t)
#define VMSTATE_VARRAY_UINT64(f, s, n) VMSTATE_VARRAY(f, s, n, VMS_UINT, uint64_t)
#define VMSTATE_VARRAY_BOOL(f, s, n) VMSTATE_VARRAY(f, s, n, VMS_BOOL, bool)
#define VMSTATE_BOOL_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, VMS_BOOL, bool)
#define VMSTATE_BUFFER(f, s)                                                                       \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f), .kind = VMS_BUFFER,                                  \
        .size = sizeof(((s *)0)->f), .count = 1,                                                   \
    }
#define VMSTATE_TIMER_PTR(f, s)                                                                    \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f), .kind = VMS_TIMER, .size = sizeof(void *),           \
        .count = 1,                                                                                \
    }
#define VMSTATE_STRUCT(f, s, desc, type)                                                           \
    {                                                                                              \
        .name = #f, .offset = offsetof(s, f) + VMSTATE_CHECK(s, f, type), .kind = VMS_STRUCT,      \
        .size = sizeof(type), .count = 1, .vmsd = &(desc),                                         \
    }
#define VMSTATE_END_OF_LIST()                                                                      \
    {                                                                                              \
        .name = NULL                                                                               \
    }

#endif
