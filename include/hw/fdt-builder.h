/*
 * Building a flattened device tree with libfdt, addressing nodes by path
 * as QEMU's qemu_fdt_* helpers do.  Boards describe their hardware with
 * these from the same tables that create the devices.
 *
 * The tree lives in a buffer of fixed capacity (FDT_BUILDER_SIZE); running
 * out of it, or naming a node whose parent does not exist, is a bug in
 * the board, not a user error, and aborts.
 */
#ifndef MORPH_HW_FDT_BUILDER_H
#define MORPH_HW_FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define FDT_BUILDER_SIZE (1 << 20)

/* An empty tree (just "/") in a new buffer (g_free it). */
void *fdtb_create(void);
/* Load a .dtb file and make room to add to it (-dtb). */
void *fdtb_load(const char *path, Error **errp);
/* Pack the tree; returns its size. */
size_t fdtb_finish(void *fdt);

/* Add node `path` (its parent must exist); no-op if present. */
void fdtb_add_node(void *fdt, const char *path);
void fdtb_prop_empty(void *fdt, const char *path, const char *name);
void fdtb_prop_cell(void *fdt, const char *path, const char *name, uint32_t val);
void fdtb_prop_cells(void *fdt, const char *path, const char *name, const uint32_t *cells,
                     unsigned n);
void fdtb_prop_string(void *fdt, const char *path, const char *name, const char *val);
/* A string list ("a\0b\0"). */
void fdtb_prop_strings(void *fdt, const char *path, const char *name, const char *const *vals,
                       unsigned n);
void fdtb_prop_bytes(void *fdt, const char *path, const char *name, const void *data,
                     size_t len);
/* A 64-bit value as two cells (linux,initrd-start on 64-bit hosts' boards). */
void fdtb_prop_u64(void *fdt, const char *path, const char *name, uint64_t val);
/* A fresh phandle for node `path`, stored in its "phandle" property. */
uint32_t fdtb_alloc_phandle(void *fdt, const char *path);

#endif
