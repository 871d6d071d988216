/*
 * The device model: class registry, device life cycle, input lines and
 * -device (contract in include/hw/qdev.h; the model is QEMU's
 * hw/core/qdev.c and softmmu/qdev-monitor.c, without QOM).
 */
#include <string.h>
#include <glib.h>
#include "hw/qdev.h"
#include "hw/sysbus.h"

static GHashTable *device_classes;
static DeviceState *devices;

void device_class_register(const DeviceClass *dc)
{
    if (!device_classes) {
        device_classes = g_hash_table_new(g_str_hash, g_str_equal);
    }
    g_assert(!g_hash_table_contains(device_classes, dc->name));
    g_assert(dc->instance_size >= (dc->sysbus ? sizeof(SysBusDevice) : sizeof(DeviceState)));
    g_hash_table_insert(device_classes, (gpointer)dc->name, (gpointer)dc);
}

const DeviceClass *device_class_find(const char *name)
{
    return device_classes ? g_hash_table_lookup(device_classes, name) : NULL;
}

static gint device_class_cmp(gconstpointer a, gconstpointer b)
{
    const DeviceClass *x = *(const DeviceClass *const *)a;
    const DeviceClass *y = *(const DeviceClass *const *)b;

    return strcmp(x->name, y->name);
}

void device_class_foreach(void (*fn)(const DeviceClass *dc, void *opaque), void *opaque)
{
    GPtrArray *all = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (device_classes) {
        g_hash_table_iter_init(&it, device_classes);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            g_ptr_array_add(all, value);
        }
    }
    g_ptr_array_sort(all, device_class_cmp);
    for (unsigned i = 0; i < all->len; i++) {
        fn(g_ptr_array_index(all, i), opaque);
    }
    g_ptr_array_free(all, TRUE);
}

/* qdev-properties.c */
void qdev_props_set_defaults(DeviceState *dev);
void qdev_props_release(DeviceState *dev);

DeviceState *qdev_new(const char *type)
{
    const DeviceClass *dc = device_class_find(type);
    DeviceState *dev;
    DeviceState **p;

    if (!dc) {
        g_error("qdev_new: unknown device type '%s'", type);
    }
    dev = g_malloc0(dc->instance_size);
    dev->dc = dc;
    qdev_props_set_defaults(dev);
    if (dc->instance_init) {
        dc->instance_init(dev);
    }
    for (p = &devices; *p; p = &(*p)->next) {
    }
    *p = dev;
    return dev;
}

bool qdev_realize(DeviceState *dev, Error **errp)
{
    Error *err = NULL;

    g_assert(!dev->realized);
    if (dev->dc->realize) {
        dev->dc->realize(dev, &err);
        if (err) {
            error_propagate(errp, err);
            return false;
        }
    }
    dev->realized = true;
    if (dev->dc->reset) {
        dev->dc->reset(dev);
    }
    return true;
}

void qdev_free(DeviceState *dev)
{
    DeviceState **p;

    if (!dev) {
        return;
    }
    if (dev->realized && dev->dc->unrealize) {
        dev->dc->unrealize(dev);
    }
    for (p = &devices; *p; p = &(*p)->next) {
        if (*p == dev) {
            *p = dev->next;
            break;
        }
    }
    if (dev->dc->sysbus) {
        SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

        for (int i = 0; i < sbd->num_mmio; i++) {
            MemoryRegion *mr = sbd->mmio[i].mr;

            if (mr->container) {
                memory_region_del_subregion(mr->container, mr);
            }
        }
    }
    for (int i = 0; i < dev->num_gpio_in; i++) {
        qemu_free_irq(dev->gpio_in[i]);
    }
    g_free(dev->gpio_in);
    qdev_props_release(dev);
    g_free(dev->id);
    g_free(dev);
}

void qdev_reset_all(void)
{
    for (DeviceState *dev = devices; dev; dev = dev->next) {
        if (dev->realized && dev->dc->reset) {
            dev->dc->reset(dev);
        }
    }
}

void qdev_foreach(void (*fn)(DeviceState *dev, void *opaque), void *opaque)
{
    for (DeviceState *dev = devices; dev; dev = dev->next) {
        fn(dev, opaque);
    }
}

DeviceState *qdev_find_by_id(const char *id)
{
    for (DeviceState *dev = devices; dev; dev = dev->next) {
        if (dev->id && strcmp(dev->id, id) == 0) {
            return dev;
        }
    }
    return NULL;
}

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    dev->gpio_in = g_renew(qemu_irq, dev->gpio_in, dev->num_gpio_in + n);
    for (int i = 0; i < n; i++) {
        dev->gpio_in[dev->num_gpio_in + i] = qemu_allocate_irq(handler, dev, dev->num_gpio_in + i);
    }
    dev->num_gpio_in += n;
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_gpio_in);
    return dev->gpio_in[n];
}

/* ---- -device */

static bool qdev_is_virtio_name(const char *name)
{
    return g_str_has_prefix(name, "virtio-") || strcmp(name, "virtconsole") == 0 ||
           strcmp(name, "virtserialport") == 0;
}

DeviceState *qdev_device_add(const Opts *opts, Error **errp)
{
    const char *driver = opts_get(opts, "driver");
    const char *id = opts_get(opts, "id");
    const DeviceClass *dc;
    DeviceState *dev;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    dc = device_class_find(driver);
    if (!dc && qdev_is_virtio_name(driver)) {
        error_setg(errp, "'%s': virtio devices are not implemented yet", driver);
        return NULL;
    }
    if (!dc) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (!dc->user_creatable) {
        error_setg(errp, "Device '%s' can not be dynamically instantiated", driver);
        return NULL;
    }
    if (id && qdev_find_by_id(id)) {
        error_setg(errp, "Duplicate device ID '%s'", id);
        return NULL;
    }
    dev = qdev_new(driver);
    dev->id = g_strdup(id);
    for (unsigned i = 0; i < opts->count; i++) {
        const KeyValPair *kv = &opts->items[i];

        if (strcmp(kv->key, "driver") == 0 || strcmp(kv->key, "id") == 0) {
            continue;
        }
        if (!qdev_prop_parse(dev, kv->key, kv->value, errp)) {
            qdev_free(dev);
            return NULL;
        }
    }
    if (!qdev_realize(dev, errp)) {
        qdev_free(dev);
        return NULL;
    }
    return dev;
}
