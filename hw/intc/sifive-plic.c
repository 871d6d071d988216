/*
 * The SiFive PLIC as QEMU's virt board has it ("sifive,plic-1.0.0" at
 * 0xc000000: 96 sources, 7 priority levels, an M and an S context per
 * hart).  Source of truth: the RISC-V PLIC Specification 1.0.0 (memory
 * map in chapter 3; gateways, claim and completion in chapter 1).
 *
 * Each source's line is a level.  While a source is not in service its
 * pending bit follows the line (as QEMU's gateway does, so a device that
 * lowers its line before the claim leaves nothing behind); a claim takes
 * the highest-priority pending source enabled for the context above its
 * threshold (lowest id on ties), clears its pending bit and puts it in
 * service; completion ends the service, and a line still high makes the
 * source pending again.  A context's output line (the hart's MEIP or
 * SEIP) is up while some source could be claimed by it.
 */
#include <string.h>
#include "hw/intc/sifive-plic.h"
#include "util/log.h"

static bool plic_bit(const uint32_t *map, uint32_t id)
{
    return (map[id / 32] >> (id % 32)) & 1;
}

static void plic_set_bit(uint32_t *map, uint32_t id, bool on)
{
    if (on) {
        map[id / 32] |= 1u << (id % 32);
    } else {
        map[id / 32] &= ~(1u << (id % 32));
    }
}

/* The source context c would claim now, or 0. */
static uint32_t plic_best(const SiFivePLICState *s, uint32_t c)
{
    const uint32_t *en = &s->enable[c * s->words];
    uint32_t best = 0, best_prio = s->threshold[c];

    for (uint32_t w = 0; w < s->words; w++) {
        uint32_t bits = s->pending[w] & ~s->claimed[w] & en[w];

        while (bits) {
            uint32_t id = w * 32 + (uint32_t)__builtin_ctz(bits);

            bits &= bits - 1;
            if (id == 0 || id >= s->num_sources) {
                continue;
            }
            if (s->priority[id] > best_prio) {
                best = id;
                best_prio = s->priority[id];
            }
        }
    }
    return best;
}

static void plic_update(SiFivePLICState *s)
{
    for (uint32_t c = 0; c < s->num_contexts; c++) {
        qemu_set_irq(s->irqs[c], plic_best(s, c) != 0);
    }
}

/* An input line changed (the device's side of the gateway). */
static void plic_irq_request(void *opaque, int n, int level)
{
    SiFivePLICState *s = opaque;
    uint32_t id = (uint32_t)n;

    if (id == 0 || id >= s->num_sources) {
        return;
    }
    plic_set_bit(s->level, id, level != 0);
    if (!plic_bit(s->claimed, id)) {
        plic_set_bit(s->pending, id, level != 0);
    }
    plic_update(s);
}

static uint32_t plic_claim(SiFivePLICState *s, uint32_t c)
{
    uint32_t id = plic_best(s, c);

    if (id) {
        plic_set_bit(s->pending, id, false);
        plic_set_bit(s->claimed, id, true);
        plic_update(s);
    }
    return id;
}

static void plic_complete(SiFivePLICState *s, uint32_t c, uint32_t id)
{
    /* A completion for a source not enabled for the context is ignored (spec 1.0.0, 9.9). */
    if (id == 0 || id >= s->num_sources || !plic_bit(&s->enable[c * s->words], id)) {
        log_guest_error("plic: completion of %u ignored by context %u\n", id, c);
        return;
    }
    plic_set_bit(s->claimed, id, false);
    plic_set_bit(s->pending, id, plic_bit(s->level, id));
    plic_update(s);
}

static uint64_t plic_read(void *opaque, hwaddr addr, unsigned size)
{
    SiFivePLICState *s = opaque;

    if (addr < SIFIVE_PLIC_PENDING_BASE) {
        uint32_t id = (uint32_t)(addr >> 2);

        return id < s->num_sources ? s->priority[id] : 0;
    }
    if (addr < SIFIVE_PLIC_PENDING_BASE + s->words * 4) {
        return s->pending[(addr - SIFIVE_PLIC_PENDING_BASE) >> 2];
    }
    if (addr >= SIFIVE_PLIC_ENABLE_BASE && addr < SIFIVE_PLIC_CONTEXT_BASE) {
        uint32_t c = (uint32_t)((addr - SIFIVE_PLIC_ENABLE_BASE) / SIFIVE_PLIC_ENABLE_STRIDE);
        uint32_t w = (uint32_t)((addr - SIFIVE_PLIC_ENABLE_BASE) % SIFIVE_PLIC_ENABLE_STRIDE) >> 2;

        if (c < s->num_contexts && w < s->words) {
            return s->enable[c * s->words + w];
        }
    } else if (addr >= SIFIVE_PLIC_CONTEXT_BASE) {
        uint32_t c = (uint32_t)((addr - SIFIVE_PLIC_CONTEXT_BASE) / SIFIVE_PLIC_CONTEXT_STRIDE);
        hwaddr reg = (addr - SIFIVE_PLIC_CONTEXT_BASE) % SIFIVE_PLIC_CONTEXT_STRIDE;

        if (c < s->num_contexts && reg == 0) {
            return s->threshold[c];
        }
        if (c < s->num_contexts && reg == 4) {
            return plic_claim(s, c);
        }
    }
    log_guest_error("plic: invalid read at 0x%x\n", (unsigned)addr);
    return 0;
}

static void plic_write(void *opaque, hwaddr addr, uint64_t val64, unsigned size)
{
    SiFivePLICState *s = opaque;
    uint32_t val = (uint32_t)val64;

    if (addr < SIFIVE_PLIC_PENDING_BASE) {
        uint32_t id = (uint32_t)(addr >> 2);

        if (id == 0 || id >= s->num_sources) {
            log_guest_error("plic: priority of source %u ignored\n", id);
            return;
        }
        /* WARL: keep the bits a priority has. */
        s->priority[id] = val <= s->num_priorities ? val : s->num_priorities;
        plic_update(s);
        return;
    }
    if (addr < SIFIVE_PLIC_ENABLE_BASE) {
        log_guest_error("plic: pending bits are read-only (0x%x)\n", (unsigned)addr);
        return;
    }
    if (addr < SIFIVE_PLIC_CONTEXT_BASE) {
        uint32_t c = (uint32_t)((addr - SIFIVE_PLIC_ENABLE_BASE) / SIFIVE_PLIC_ENABLE_STRIDE);
        uint32_t w = (uint32_t)((addr - SIFIVE_PLIC_ENABLE_BASE) % SIFIVE_PLIC_ENABLE_STRIDE) >> 2;

        if (c < s->num_contexts && w < s->words) {
            uint32_t mask = UINT32_MAX;

            if (w == 0) {
                mask &= ~1u;        /* source 0 does not exist */
            }
            if ((w + 1) * 32 > s->num_sources) {
                uint32_t valid = s->num_sources - w * 32;

                mask &= valid >= 32 ? UINT32_MAX : (1u << valid) - 1;
            }
            s->enable[c * s->words + w] = val & mask;
            plic_update(s);
            return;
        }
    } else {
        uint32_t c = (uint32_t)((addr - SIFIVE_PLIC_CONTEXT_BASE) / SIFIVE_PLIC_CONTEXT_STRIDE);
        hwaddr reg = (addr - SIFIVE_PLIC_CONTEXT_BASE) % SIFIVE_PLIC_CONTEXT_STRIDE;

        if (c < s->num_contexts && reg == 0) {
            s->threshold[c] = val <= s->num_priorities ? val : s->num_priorities;
            plic_update(s);
            return;
        }
        if (c < s->num_contexts && reg == 4) {
            plic_complete(s, c, val);
            return;
        }
    }
    log_guest_error("plic: invalid write at 0x%x\n", (unsigned)addr);
}

static const MemoryRegionOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
};

/* "MS,MS": one context per letter, harts in order from hartid-base. */
static bool plic_parse_hart_config(SiFivePLICState *s, Error **errp)
{
    const char *p = s->hart_config ? s->hart_config : "MS";
    uint32_t hart = s->hartid_base;
    GArray *ctx = g_array_new(FALSE, TRUE, sizeof(SiFivePLICContext));

    for (; *p; p++) {
        SiFivePLICContext c;

        if (*p == ',') {
            hart++;
            continue;
        }
        if (*p != 'M' && *p != 'S' && *p != 'U') {
            g_array_free(ctx, TRUE);
            error_setg(errp, "plic: invalid hart-config mode '%c'", *p);
            return false;
        }
        c.hartid = hart;
        c.mode = *p;
        g_array_append_val(ctx, c);
    }
    s->num_contexts = ctx->len;
    s->contexts = (SiFivePLICContext *)g_array_free(ctx, FALSE);
    return true;
}

static void plic_realize(DeviceState *dev, Error **errp)
{
    SiFivePLICState *s = (SiFivePLICState *)dev;

    if (s->num_sources < 2 || s->num_sources > SIFIVE_PLIC_MAX_SOURCES) {
        error_setg(errp, "plic: num-sources must be 2..%u", SIFIVE_PLIC_MAX_SOURCES);
        return;
    }
    if (!plic_parse_hart_config(s, errp)) {
        return;
    }
    if (s->num_contexts == 0 || s->num_contexts > SYSBUS_MAX_IRQ ||
        SIFIVE_PLIC_CONTEXT_BASE + (uint64_t)s->num_contexts * SIFIVE_PLIC_CONTEXT_STRIDE >
            s->aperture_size) {
        error_setg(errp, "plic: %u contexts do not fit", s->num_contexts);
        return;
    }
    s->words = (s->num_sources + 31) / 32;
    s->enable_words = s->num_contexts * s->words;
    s->priority = g_new0(uint32_t, s->num_sources);
    s->threshold = g_new0(uint32_t, s->num_contexts);
    s->pending = g_new0(uint32_t, s->words);
    s->claimed = g_new0(uint32_t, s->words);
    s->level = g_new0(uint32_t, s->words);
    s->enable = g_new0(uint32_t, s->enable_words);
    s->irqs = g_new0(qemu_irq, s->num_contexts);
    memory_region_init_io(&s->mmio, s, &plic_ops, s, TYPE_SIFIVE_PLIC, s->aperture_size);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    for (uint32_t c = 0; c < s->num_contexts; c++) {
        sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irqs[c]);
    }
    qdev_init_gpio_in(dev, plic_irq_request, (int)s->num_sources);
}

static void plic_unrealize(DeviceState *dev)
{
    SiFivePLICState *s = (SiFivePLICState *)dev;

    memory_region_finalize(&s->mmio);
    g_free(s->contexts);
    g_free(s->priority);
    g_free(s->threshold);
    g_free(s->pending);
    g_free(s->claimed);
    g_free(s->level);
    g_free(s->enable);
    g_free(s->irqs);
}

static void plic_reset(DeviceState *dev)
{
    SiFivePLICState *s = (SiFivePLICState *)dev;

    memset(s->priority, 0, s->num_sources * sizeof(uint32_t));
    memset(s->threshold, 0, s->num_contexts * sizeof(uint32_t));
    memset(s->claimed, 0, s->words * sizeof(uint32_t));
    memset(s->enable, 0, s->enable_words * sizeof(uint32_t));
    /* Lines keep their level across reset; pending follows them. */
    memcpy(s->pending, s->level, s->words * sizeof(uint32_t));
    plic_update(s);
}

static const Property plic_props[] = {
    DEFINE_PROP_STRING("hart-config", SiFivePLICState, hart_config),
    DEFINE_PROP_UINT32("hartid-base", SiFivePLICState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-sources", SiFivePLICState, num_sources, 97),
    DEFINE_PROP_UINT32("num-priorities", SiFivePLICState, num_priorities, 7),
    DEFINE_PROP_UINT32("aperture-size", SiFivePLICState, aperture_size, 0x600000),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateField plic_fields[] = {
    VMSTATE_VARRAY_UINT32(priority, SiFivePLICState, num_sources),
    VMSTATE_VARRAY_UINT32(threshold, SiFivePLICState, num_contexts),
    VMSTATE_VARRAY_UINT32(pending, SiFivePLICState, words),
    VMSTATE_VARRAY_UINT32(claimed, SiFivePLICState, words),
    VMSTATE_VARRAY_UINT32(level, SiFivePLICState, words),
    VMSTATE_VARRAY_UINT32(enable, SiFivePLICState, enable_words),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription plic_vmsd = {
    .name = TYPE_SIFIVE_PLIC,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = plic_fields,
};

static const DeviceClass plic_class = {
    .name = TYPE_SIFIVE_PLIC,
    .desc = "SiFive platform-level interrupt controller",
    .category = "Misc devices",
    .instance_size = sizeof(SiFivePLICState),
    .sysbus = true,
    .realize = plic_realize,
    .unrealize = plic_unrealize,
    .reset = plic_reset,
    .props = plic_props,
    .vmsd = &plic_vmsd,
};

DEVICE_CLASS_REGISTER(plic_class)
