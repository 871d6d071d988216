/*
 * Device-tree building (contract in include/hw/fdt-builder.h; the model is
 * QEMU's softmmu/device_tree.c).  Source of truth: the Devicetree
 * Specification v0.4 (flattened format, chapter 5) as libfdt implements it.
 */
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include "hw/fdt-builder.h"
#include "hw/loader.h"

static void fdtb_check(int err, const char *what, const char *path)
{
    if (err < 0) {
        g_error("device tree: %s %s: %s", what, path, fdt_strerror(err));
    }
}

void *fdtb_create(void)
{
    void *fdt = g_malloc0(FDT_BUILDER_SIZE);

    fdtb_check(fdt_create_empty_tree(fdt, FDT_BUILDER_SIZE), "create", "/");
    return fdt;
}

void *fdtb_load(const char *path, Error **errp)
{
    uint8_t *data;
    size_t len;
    void *fdt;

    if (!load_file(path, &data, &len, FDT_BUILDER_SIZE / 2, errp)) {
        error_prepend(errp, "Unable to get size of device tree file '%s'", path);
        return NULL;
    }
    if (len < sizeof(struct fdt_header) || fdt_check_header(data) != 0 ||
        fdt_totalsize(data) > len) {
        g_free(data);
        error_setg(errp, "%s is not a valid device tree blob", path);
        return NULL;
    }
    fdt = g_malloc0(FDT_BUILDER_SIZE);
    if (fdt_open_into(data, fdt, FDT_BUILDER_SIZE) != 0) {
        g_free(data);
        g_free(fdt);
        error_setg(errp, "%s is not a valid device tree blob", path);
        return NULL;
    }
    g_free(data);
    return fdt;
}

size_t fdtb_finish(void *fdt)
{
    fdtb_check(fdt_pack(fdt), "pack", "/");
    return fdt_totalsize(fdt);
}

static int fdtb_node(void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    fdtb_check(off, "no node", path);
    return off;
}

void fdtb_add_node(void *fdt, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *parent;
    int poff, off;

    if (fdt_path_offset(fdt, path) >= 0) {
        return;
    }
    g_assert(slash);
    parent = slash == path ? g_strdup("/") : g_strndup(path, slash - path);
    poff = fdtb_node(fdt, parent);
    off = fdt_add_subnode(fdt, poff, slash + 1);
    fdtb_check(off, "add node", path);
    g_free(parent);
}

void fdtb_prop_bytes(void *fdt, const char *path, const char *name, const void *data,
                     size_t len)
{
    fdtb_check(fdt_setprop(fdt, fdtb_node(fdt, path), name, data, (int)len), name, path);
}

void fdtb_prop_empty(void *fdt, const char *path, const char *name)
{
    fdtb_prop_bytes(fdt, path, name, NULL, 0);
}

void fdtb_prop_cell(void *fdt, const char *path, const char *name, uint32_t val)
{
    fdtb_check(fdt_setprop_u32(fdt, fdtb_node(fdt, path), name, val), name, path);
}

void fdtb_prop_cells(void *fdt, const char *path, const char *name, const uint32_t *cells,
                     unsigned n)
{
    fdt32_t *be = g_new(fdt32_t, n ? n : 1);

    for (unsigned i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fdtb_prop_bytes(fdt, path, name, be, n * sizeof(fdt32_t));
    g_free(be);
}

void fdtb_prop_u64(void *fdt, const char *path, const char *name, uint64_t val)
{
    fdtb_check(fdt_setprop_u64(fdt, fdtb_node(fdt, path), name, val), name, path);
}

void fdtb_prop_string(void *fdt, const char *path, const char *name, const char *val)
{
    fdtb_check(fdt_setprop_string(fdt, fdtb_node(fdt, path), name, val), name, path);
}

void fdtb_prop_strings(void *fdt, const char *path, const char *name, const char *const *vals,
                       unsigned n)
{
    GString *s = g_string_new(NULL);

    for (unsigned i = 0; i < n; i++) {
        g_string_append_len(s, vals[i], (gssize)strlen(vals[i]) + 1);
    }
    fdtb_prop_bytes(fdt, path, name, s->str, s->len);
    g_string_free(s, TRUE);
}

uint32_t fdtb_alloc_phandle(void *fdt, const char *path)
{
    uint32_t ph = 0;

    fdtb_check(fdt_find_max_phandle(fdt, &ph), "phandle", path);
    ph++;
    fdtb_prop_cell(fdt, path, "phandle", ph);
    return ph;
}
