/*
 * The migration state of the RISC-V hart, described as data: which fields
 * of CPURISCVState make up its state, where they are and how big.  The
 * migration layer (migration/) walks the table to save and load a hart;
 * until it has a generic field type, this one is self-describing.
 */
#ifndef MORPH_TARGET_RISCV_MACHINE_H
#define MORPH_TARGET_RISCV_MACHINE_H

#include <stddef.h>
#include <stdint.h>
#include "cpu.h"

/* `count` elements of `size` bytes each at `offset` in CPURISCVState, host byte order. */
typedef struct RISCVStateField {
    const char *name;
    uint32_t offset;
    uint32_t size;
    uint32_t count;
} RISCVStateField;

typedef struct RISCVStateDescription {
    const char *name;
    int version_id;
    const RISCVStateField *fields;
    unsigned nfields;
    /*
     * Around saving and after loading: fields that hold host-relative
     * values (the counter bases) are turned into guest values for the
     * stream and back.  post_save undoes pre_save on a hart that goes on.
     */
    void (*pre_save)(CPURISCVState *env);
    void (*post_save)(CPURISCVState *env);
    void (*post_load)(CPURISCVState *env);
} RISCVStateDescription;

extern const RISCVStateDescription riscv_vmstate_cpu;

#endif
