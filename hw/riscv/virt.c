/*
 * The RISC-V "virt" board, laid out as QEMU 7.2's hw/riscv/virt.c so that
 * firmware and kernels built for it run unchanged: the memory map below,
 * the ACLINT/CLINT, the PLIC with an M and an S context per hart, a
 * 16550A, the SiFive test finisher, a Goldfish RTC, eight virtio-mmio
 * slots, RAM at 0x80000000 and a mask ROM at 0x1000 whose reset vector
 * enters the firmware (hw/riscv/boot.c).  The device tree is the one QEMU
 * generates (node names, compatibles, phandle wiring), built from the
 * same tables that create the devices, so the two cannot disagree.
 *
 * Sources of truth: QEMU's virt memory map and device tree (as `-M
 * virt,dumpdtb=` of QEMU 7.2 shows them), the Devicetree bindings of each
 * device (Linux Documentation/devicetree/bindings: riscv/cpus.yaml,
 * interrupt-controller/sifive,plic-1.0.0.yaml, timer/sifive,clint.yaml,
 * rtc/trivial-rtc.yaml), and the RISC-V Privileged Architecture for the
 * interrupt numbers (MSIP 3, MTIP 7, SEIP 9, MEIP 11).
 */
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <glib.h>
#include "exec/cpu-exec.h"
#include "hw/boards.h"
#include "hw/char/serial-16550.h"
#include "hw/fdt-builder.h"
#include "hw/intc/riscv-aclint.h"
#include "hw/intc/sifive-plic.h"
#include "hw/loader.h"
#include "hw/misc/sifive-test.h"
#include "hw/riscv/boot.h"
#include "hw/rtc/goldfish-rtc.h"
#include "system/bql.h"
#include "target/riscv/cpu.h"

enum {
    VIRT_MROM,
    VIRT_TEST,
    VIRT_RTC,
    VIRT_CLINT,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,
    VIRT_DRAM,
};

static const struct {
    hwaddr base;
    uint64_t size;
} virt_memmap[] = {
    [VIRT_MROM] = {0x1000, 0xf000},
    [VIRT_TEST] = {0x100000, 0x1000},
    [VIRT_RTC] = {0x101000, 0x1000},
    [VIRT_CLINT] = {0x2000000, 0x10000},
    [VIRT_PLIC] = {0xc000000, 0x600000},
    [VIRT_UART0] = {0x10000000, 0x100},
    [VIRT_VIRTIO] = {0x10001000, 0x1000},
    [VIRT_DRAM] = {0x80000000, 0},
};

#define VIRT_MAX_HARTS 8
#define VIRT_MAX_RAM (16ull << 30)
#define VIRT_UART0_IRQ 10
#define VIRT_RTC_IRQ 11
#define VIRT_VIRTIO_IRQ 1
#define VIRT_VIRTIO_COUNT 8
#define VIRT_PLIC_NDEV 96          /* riscv,ndev: sources 1..96 */
#define VIRT_PLIC_PRIORITIES 7
#define VIRT_UART_CLOCK 3686400

/* The virtio-mmio transport's type (hw/virtio/) and an empty slot's registers (virtio 1.2, 4.2.2). */
#define VIRT_VIRTIO_MMIO_TYPE "virtio-mmio"
#define VIRT_VIRTIO_MMIO_SIZE 0x200

typedef struct VirtState VirtState;

/* A hart and the lines the interrupt controllers drive into it. */
typedef struct VirtHart {
    VirtState *s;
    CPUState *cs;
    CPURISCVState *env;
    qemu_irq lines[IRQ_M_EXT + 1];  /* indexed by interrupt number (mip bit) */
    Timer *stimecmp_timer;
} VirtHart;

struct VirtState {
    MachineState *ms;
    bool aclint;
    MemoryRegion ram;
    MemoryRegion mrom;
    VirtHart harts[VIRT_MAX_HARTS];
    unsigned nharts;
    DeviceState *plic;
    DeviceState *swi;
    DeviceState *mtimer;
    DeviceState *uart;
    MemoryRegion empty_slots[VIRT_VIRTIO_COUNT];
    uint32_t intc_phandle[VIRT_MAX_HARTS];
    uint32_t plic_phandle;
    uint32_t next_phandle;
};

/* ---- the simple devices: one region, at most one PLIC source, one DT node */

typedef struct VirtDevice {
    const char *type;
    int mem;                        /* virt_memmap index */
    unsigned count;                 /* instances at base + i * size */
    int irq;                        /* PLIC source of instance 0 (+i), 0: none */
    const char *node;               /* DT node name */
    const char *compatible[3];
    void (*fdt_extra)(VirtState *s, const char *path);
} VirtDevice;

static void virt_fdt_test_extra(VirtState *s, const char *path);
static void virt_fdt_uart_extra(VirtState *s, const char *path);

/* In QEMU's order of creation, which fixes the order of the DT nodes. */
static const VirtDevice virt_devices[] = {
    {VIRT_VIRTIO_MMIO_TYPE, VIRT_VIRTIO, VIRT_VIRTIO_COUNT, VIRT_VIRTIO_IRQ, "virtio_mmio",
     {"virtio,mmio"}, NULL},
    {TYPE_SIFIVE_TEST, VIRT_TEST, 1, 0, "test", {"sifive,test1", "sifive,test0", "syscon"},
     virt_fdt_test_extra},
    {TYPE_SERIAL_16550, VIRT_UART0, 1, VIRT_UART0_IRQ, "serial", {"ns16550a"},
     virt_fdt_uart_extra},
    {TYPE_GOLDFISH_RTC, VIRT_RTC, 1, VIRT_RTC_IRQ, "rtc", {"google,goldfish-rtc"}, NULL},
};

/* ---- harts */

static void virt_hart_line(void *opaque, int n, int level)
{
    VirtHart *h = opaque;
    uint64_t bit = 1ull << n;

    riscv_cpu_update_mip(h->env, bit, level ? bit : 0);
    if (level) {
        machine_cpu_kick(h->cs);
    }
}

/* On the hart's own thread: stimecmp's deadline passed. */
static void virt_stimecmp_fire(CPUState *cs, void *data)
{
    riscv_cpu_stimecmp_expired(cpu_env(cs));
}

static void virt_stimecmp_timer(void *opaque)
{
    VirtHart *h = opaque;

    machine_run_on_cpu(h->cs, virt_stimecmp_fire, NULL);
}

/* The hart asks for a call when mtime reaches `deadline` (Sstc); any thread. */
static void virt_stimecmp_arm(void *opaque, uint64_t deadline)
{
    VirtHart *h = opaque;
    RISCVAclintMTimerState *mt = (RISCVAclintMTimerState *)h->s->mtimer;
    int64_t when;

    if (deadline == UINT64_MAX) {
        timer_del(h->stimecmp_timer);
        return;
    }
    when = riscv_aclint_mtimer_ticks_to_ns(mt, deadline);
    if (when == INT64_MAX) {
        timer_del(h->stimecmp_timer);
    } else {
        timer_mod_ns(h->stimecmp_timer, when);
    }
}

static bool virt_create_harts(VirtState *s, Error **errp)
{
    MachineState *ms = s->ms;
    RISCVCPUConfig cfg;

    riscv_cpu_default_config(&cfg);
    if (ms->cpu_model && !riscv_cpu_parse_model(ms->cpu_model, &cfg, errp)) {
        return false;
    }
    cfg.resetvec = virt_memmap[VIRT_MROM].base;
    s->nharts = ms->smp_cpus;
    ms->ncpus = s->nharts;
    ms->cpus = g_new0(CPUState *, s->nharts);
    for (unsigned i = 0; i < s->nharts; i++) {
        VirtHart *h = &s->harts[i];
        CPUState *cs = tcg_cpu_create(&riscv64_target_ops, (int)i);

        h->s = s;
        h->cs = cs;
        h->env = cpu_env(cs);
        h->env->cfg = cfg;
        h->env->mhartid = i;
        cs->as = address_space_memory();
        cs->opaque = ms;
        riscv_cpu_reset(cs);
        for (int n = 0; n <= IRQ_M_EXT; n++) {
            h->lines[n] = qemu_allocate_irq(virt_hart_line, h, n);
        }
        h->stimecmp_timer = bql_timer_new(MORPH_CLOCK_VIRTUAL, virt_stimecmp_timer, h);
        ms->cpus[i] = cs;
    }
    return true;
}

/* ---- devices */

/*
 * Until the virtio-mmio transport device is built in, a slot is an empty
 * one: the magic value, version 2, device ID 0 ("nothing here", which
 * Linux and U-Boot skip), QEMU's vendor ID; the rest reads 0.
 */
static uint64_t virt_empty_slot_read(void *opaque, hwaddr addr, unsigned size)
{
    switch (addr) {
    case 0x000:
        return 0x74726976;  /* "virt" */
    case 0x004:
        return 2;
    case 0x00c:
        return 0x554d4551;  /* "QEMU" */
    default:
        return 0;
    }
}

static void virt_empty_slot_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps virt_empty_slot_ops = {
    .read = virt_empty_slot_read,
    .write = virt_empty_slot_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static DeviceState *virt_realize_mapped(DeviceState *dev, hwaddr addr, Error **errp)
{
    if (!qdev_realize(dev, errp)) {
        return NULL;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    return dev;
}

static bool virt_create_devices(VirtState *s, Error **errp)
{
    MachineState *ms = s->ms;
    GString *hart_config = g_string_new(NULL);
    RISCVAclintMTimerState *mt;
    DeviceState *dev;

    /* PLIC: contexts 2i (M) and 2i+1 (S) of hart i. */
    for (unsigned i = 0; i < s->nharts; i++) {
        g_string_append(hart_config, i ? ",MS" : "MS");
    }
    dev = qdev_new(TYPE_SIFIVE_PLIC);
    qdev_prop_set_string(dev, "hart-config", hart_config->str);
    g_string_free(hart_config, TRUE);
    qdev_prop_set_uint32(dev, "num-sources", VIRT_PLIC_NDEV + 1);
    qdev_prop_set_uint32(dev, "num-priorities", VIRT_PLIC_PRIORITIES);
    qdev_prop_set_uint32(dev, "aperture-size", (uint32_t)virt_memmap[VIRT_PLIC].size);
    if (!(s->plic = virt_realize_mapped(dev, virt_memmap[VIRT_PLIC].base, errp))) {
        return false;
    }
    for (unsigned i = 0; i < s->nharts; i++) {
        sysbus_connect_irq(SYS_BUS_DEVICE(s->plic), (int)(2 * i), s->harts[i].lines[IRQ_M_EXT]);
        sysbus_connect_irq(SYS_BUS_DEVICE(s->plic), (int)(2 * i + 1),
                           s->harts[i].lines[IRQ_S_EXT]);
    }

    /* ACLINT MSWI and MTIMER in the CLINT's place. */
    dev = qdev_new(TYPE_RISCV_ACLINT_SWI);
    qdev_prop_set_uint32(dev, "num-harts", s->nharts);
    if (!(s->swi = virt_realize_mapped(dev, virt_memmap[VIRT_CLINT].base, errp))) {
        return false;
    }
    dev = qdev_new(TYPE_RISCV_ACLINT_MTIMER);
    qdev_prop_set_uint32(dev, "num-harts", s->nharts);
    if (!(s->mtimer = virt_realize_mapped(dev, virt_memmap[VIRT_CLINT].base +
                                                   RISCV_ACLINT_SWI_SIZE, errp))) {
        return false;
    }
    mt = (RISCVAclintMTimerState *)s->mtimer;
    for (unsigned i = 0; i < s->nharts; i++) {
        sysbus_connect_irq(SYS_BUS_DEVICE(s->swi), (int)i, s->harts[i].lines[IRQ_M_SOFT]);
        sysbus_connect_irq(SYS_BUS_DEVICE(s->mtimer), (int)i, s->harts[i].lines[IRQ_M_TIMER]);
        /* The time CSR reads mtime; Sstc deadlines become virtual-clock timers. */
        riscv_cpu_set_time_source(s->harts[i].env, riscv_aclint_mtimer_read_time, mt,
                                  virt_stimecmp_arm, &s->harts[i]);
    }

    for (size_t d = 0; d < G_N_ELEMENTS(virt_devices); d++) {
        const VirtDevice *vd = &virt_devices[d];

        for (unsigned i = 0; i < vd->count; i++) {
            hwaddr addr = virt_memmap[vd->mem].base + i * virt_memmap[vd->mem].size;

            if (!device_class_find(vd->type) && vd->mem == VIRT_VIRTIO) {
                memory_region_init_io(&s->empty_slots[i], s, &virt_empty_slot_ops, s,
                                      VIRT_VIRTIO_MMIO_TYPE, VIRT_VIRTIO_MMIO_SIZE);
                memory_region_add_subregion(get_system_memory(), addr, &s->empty_slots[i]);
                continue;
            }
            dev = qdev_new(vd->type);
            if (vd->mem == VIRT_UART0) {
                s->uart = dev;
                if (ms->serial[0]) {
                    qdev_prop_set_chr(dev, "chardev", ms->serial[0]);
                }
                qdev_prop_set_uint32(dev, "baudbase", VIRT_UART_CLOCK / 16);
            }
            if (!virt_realize_mapped(dev, addr, errp)) {
                return false;
            }
            if (vd->irq) {
                sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0,
                                   qdev_get_gpio_in(s->plic, vd->irq + (int)i));
            }
        }
    }
    return true;
}

/* ---- device tree */

static void virt_fdt_test_extra(VirtState *s, const char *path)
{
    void *fdt = s->ms->fdt;
    uint32_t ph = s->next_phandle++;

    fdtb_prop_cell(fdt, path, "phandle", ph);
    /* syscon-reboot and syscon-poweroff write the finisher's codes (Linux's fallbacks). */
    fdtb_add_node(fdt, "/reboot");
    fdtb_prop_string(fdt, "/reboot", "compatible", "syscon-reboot");
    fdtb_prop_cell(fdt, "/reboot", "regmap", ph);
    fdtb_prop_cell(fdt, "/reboot", "offset", 0);
    fdtb_prop_cell(fdt, "/reboot", "value", SIFIVE_TEST_RESET);
    fdtb_add_node(fdt, "/poweroff");
    fdtb_prop_string(fdt, "/poweroff", "compatible", "syscon-poweroff");
    fdtb_prop_cell(fdt, "/poweroff", "regmap", ph);
    fdtb_prop_cell(fdt, "/poweroff", "offset", 0);
    fdtb_prop_cell(fdt, "/poweroff", "value", SIFIVE_TEST_PASS);
}

static void virt_fdt_uart_extra(VirtState *s, const char *path)
{
    fdtb_prop_cell(s->ms->fdt, path, "clock-frequency", VIRT_UART_CLOCK);
    fdtb_add_node(s->ms->fdt, "/chosen");
    fdtb_prop_string(s->ms->fdt, "/chosen", "stdout-path", path);
}

static void virt_fdt_reg(void *fdt, const char *path, hwaddr base, uint64_t size)
{
    const uint32_t reg[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                             (uint32_t)size};

    fdtb_prop_cells(fdt, path, "reg", reg, 4);
}

static void virt_fdt_cpus(VirtState *s)
{
    void *fdt = s->ms->fdt;

    fdtb_add_node(fdt, "/cpus");
    fdtb_prop_cell(fdt, "/cpus", "timebase-frequency", RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ);
    fdtb_prop_cell(fdt, "/cpus", "#size-cells", 0);
    fdtb_prop_cell(fdt, "/cpus", "#address-cells", 1);
    fdtb_add_node(fdt, "/cpus/cpu-map");
    fdtb_add_node(fdt, "/cpus/cpu-map/cluster0");
    for (int i = (int)s->nharts - 1; i >= 0; i--) {
        CPURISCVState *env = s->harts[i].env;
        g_autofree char *cpu = g_strdup_printf("/cpus/cpu@%d", i);
        g_autofree char *intc = g_strdup_printf("%s/interrupt-controller", cpu);
        g_autofree char *core = g_strdup_printf("/cpus/cpu-map/cluster0/core%d", i);
        g_autofree char *isa = riscv_isa_string(env);
        uint32_t cpu_phandle = s->next_phandle++;

        fdtb_add_node(fdt, cpu);
        fdtb_prop_string(fdt, cpu, "mmu-type", env->cfg.mmu ? "riscv,sv48" : "riscv,none");
        fdtb_prop_string(fdt, cpu, "riscv,isa", isa);
        fdtb_prop_string(fdt, cpu, "compatible", "riscv");
        fdtb_prop_string(fdt, cpu, "status", "okay");
        fdtb_prop_cell(fdt, cpu, "reg", (uint32_t)i);
        fdtb_prop_string(fdt, cpu, "device_type", "cpu");
        fdtb_prop_cell(fdt, cpu, "phandle", cpu_phandle);
        s->intc_phandle[i] = s->next_phandle++;
        fdtb_add_node(fdt, intc);
        fdtb_prop_cell(fdt, intc, "phandle", s->intc_phandle[i]);
        fdtb_prop_string(fdt, intc, "compatible", "riscv,cpu-intc");
        fdtb_prop_empty(fdt, intc, "interrupt-controller");
        fdtb_prop_cell(fdt, intc, "#interrupt-cells", 1);
        fdtb_add_node(fdt, core);
        fdtb_prop_cell(fdt, core, "cpu", cpu_phandle);
    }
}

/* Per hart, (intc, irq) pairs for the given interrupt numbers. */
static void virt_fdt_hart_irqs(VirtState *s, const char *path, const int *irqs, unsigned n)
{
    uint32_t *cells = g_new(uint32_t, s->nharts * n * 2);

    for (unsigned h = 0; h < s->nharts; h++) {
        for (unsigned k = 0; k < n; k++) {
            cells[(h * n + k) * 2] = s->intc_phandle[h];
            cells[(h * n + k) * 2 + 1] = (uint32_t)irqs[k];
        }
    }
    fdtb_prop_cells(s->ms->fdt, path, "interrupts-extended", cells, s->nharts * n * 2);
    g_free(cells);
}

static void virt_fdt_clint(VirtState *s)
{
    void *fdt = s->ms->fdt;
    hwaddr base = virt_memmap[VIRT_CLINT].base;

    if (!s->aclint) {
        static const char *const compat[] = {"sifive,clint0", "riscv,clint0"};
        static const int irqs[] = {IRQ_M_SOFT, IRQ_M_TIMER};
        g_autofree char *path = g_strdup_printf("/soc/clint@%" PRIx64, base);

        fdtb_add_node(fdt, path);
        fdtb_prop_strings(fdt, path, "compatible", compat, 2);
        virt_fdt_reg(fdt, path, base, virt_memmap[VIRT_CLINT].size);
        virt_fdt_hart_irqs(s, path, irqs, 2);
        return;
    }
    {
        static const int swi_irq[] = {IRQ_M_SOFT};
        static const int mtimer_irq[] = {IRQ_M_TIMER};
        g_autofree char *swi = g_strdup_printf("/soc/mswi@%" PRIx64, base);
        hwaddr mt = base + RISCV_ACLINT_SWI_SIZE;
        g_autofree char *mtimer = g_strdup_printf("/soc/mtimer@%" PRIx64, mt);
        const uint32_t reg[8] = {0, (uint32_t)(mt + RISCV_ACLINT_DEFAULT_MTIME), 0, 8,
                                 0, (uint32_t)(mt + RISCV_ACLINT_DEFAULT_MTIMECMP), 0,
                                 RISCV_ACLINT_DEFAULT_MTIME};

        fdtb_add_node(fdt, swi);
        fdtb_prop_string(fdt, swi, "compatible", "riscv,aclint-mswi");
        virt_fdt_reg(fdt, swi, base, RISCV_ACLINT_SWI_SIZE);
        virt_fdt_hart_irqs(s, swi, swi_irq, 1);
        fdtb_prop_empty(fdt, swi, "interrupt-controller");
        fdtb_prop_cell(fdt, swi, "#interrupt-cells", 0);
        fdtb_add_node(fdt, mtimer);
        fdtb_prop_string(fdt, mtimer, "compatible", "riscv,aclint-mtimer");
        fdtb_prop_cells(fdt, mtimer, "reg", reg, 8);
        virt_fdt_hart_irqs(s, mtimer, mtimer_irq, 1);
    }
}

static void virt_fdt_plic(VirtState *s)
{
    static const char *const compat[] = {"sifive,plic-1.0.0", "riscv,plic0"};
    static const int irqs[] = {IRQ_M_EXT, IRQ_S_EXT};
    void *fdt = s->ms->fdt;
    g_autofree char *path = g_strdup_printf("/soc/plic@%" PRIx64, virt_memmap[VIRT_PLIC].base);

    s->plic_phandle = s->next_phandle++;
    fdtb_add_node(fdt, path);
    fdtb_prop_cell(fdt, path, "#interrupt-cells", 1);
    fdtb_prop_cell(fdt, path, "#address-cells", 0);
    fdtb_prop_strings(fdt, path, "compatible", compat, 2);
    fdtb_prop_empty(fdt, path, "interrupt-controller");
    virt_fdt_hart_irqs(s, path, irqs, 2);
    virt_fdt_reg(fdt, path, virt_memmap[VIRT_PLIC].base, virt_memmap[VIRT_PLIC].size);
    fdtb_prop_cell(fdt, path, "riscv,ndev", VIRT_PLIC_NDEV);
    fdtb_prop_cell(fdt, path, "phandle", s->plic_phandle);
}

static void virt_fdt_devices(VirtState *s)
{
    void *fdt = s->ms->fdt;

    for (size_t d = 0; d < G_N_ELEMENTS(virt_devices); d++) {
        const VirtDevice *vd = &virt_devices[d];
        unsigned ncompat = 0;

        while (ncompat < G_N_ELEMENTS(vd->compatible) && vd->compatible[ncompat]) {
            ncompat++;
        }
        for (unsigned i = 0; i < vd->count; i++) {
            hwaddr addr = virt_memmap[vd->mem].base + i * virt_memmap[vd->mem].size;
            g_autofree char *path = g_strdup_printf("/soc/%s@%" PRIx64, vd->node, addr);

            fdtb_add_node(fdt, path);
            if (ncompat == 1) {
                fdtb_prop_string(fdt, path, "compatible", vd->compatible[0]);
            } else {
                fdtb_prop_strings(fdt, path, "compatible", vd->compatible, ncompat);
            }
            virt_fdt_reg(fdt, path, addr, virt_memmap[vd->mem].size);
            if (vd->irq) {
                fdtb_prop_cell(fdt, path, "interrupt-parent", s->plic_phandle);
                fdtb_prop_cell(fdt, path, "interrupts", (uint32_t)(vd->irq + (int)i));
            }
            if (vd->fdt_extra) {
                vd->fdt_extra(s, path);
            }
        }
    }
}

static void virt_create_fdt(VirtState *s)
{
    MachineState *ms = s->ms;
    g_autofree char *mem = g_strdup_printf("/memory@%" PRIx64, virt_memmap[VIRT_DRAM].base);
    uint8_t seed[32];
    void *fdt;

    ms->fdt = fdt = fdtb_create();
    s->next_phandle = 1;
    fdtb_prop_string(fdt, "/", "model", "riscv-virtio,qemu");
    fdtb_prop_string(fdt, "/", "compatible", "riscv-virtio");
    fdtb_prop_cell(fdt, "/", "#size-cells", 2);
    fdtb_prop_cell(fdt, "/", "#address-cells", 2);
    fdtb_add_node(fdt, "/soc");
    fdtb_prop_empty(fdt, "/soc", "ranges");
    fdtb_prop_string(fdt, "/soc", "compatible", "simple-bus");
    fdtb_prop_cell(fdt, "/soc", "#size-cells", 2);
    fdtb_prop_cell(fdt, "/soc", "#address-cells", 2);

    virt_fdt_cpus(s);
    fdtb_add_node(fdt, mem);
    virt_fdt_reg(fdt, mem, virt_memmap[VIRT_DRAM].base, ms->ram_size);
    fdtb_prop_string(fdt, mem, "device_type", "memory");
    virt_fdt_clint(s);
    virt_fdt_plic(s);
    virt_fdt_devices(s);

    fdtb_add_node(fdt, "/chosen");
    if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
        for (size_t i = 0; i < sizeof(seed); i++) {
            seed[i] = (uint8_t)g_random_int();
        }
    }
    fdtb_prop_bytes(fdt, "/chosen", "rng-seed", seed, sizeof(seed));
}

/* ---- images */

static bool virt_load_images(VirtState *s, Error **errp)
{
    MachineState *ms = s->ms;
    hwaddr dram = virt_memmap[VIRT_DRAM].base;
    hwaddr ram_end = dram + ms->ram_size;
    const char *fw = ms->firmware;
    uint64_t start_addr = dram, fw_end = dram, kernel_entry = 0, kernel_end = 0;
    hwaddr initrd_start = 0, initrd_end = 0, fdt_addr;

    if (!fw || strcmp(fw, "default") == 0) {
        fw = RISCV_BOOT_DEFAULT_FIRMWARE;
    } else if (strcmp(fw, "none") == 0) {
        fw = NULL;
    }
    if (fw && !riscv_boot_load_firmware(fw, dram, &start_addr, &fw_end, errp)) {
        return false;
    }
    if (ms->kernel_filename) {
        /* The next 2 MiB boundary after the firmware (RV64's kernel alignment). */
        hwaddr kstart = (fw_end + (2u << 20) - 1) & ~(hwaddr)((2u << 20) - 1);

        if (!riscv_boot_load_kernel(ms->kernel_filename, kstart, ram_end, &kernel_entry,
                                    &kernel_end, errp)) {
            return false;
        }
        if (!fw) {
            start_addr = kernel_entry;
        }
        if (ms->initrd_filename &&
            !riscv_boot_load_initrd(ms->initrd_filename, dram, ms->ram_size, kernel_entry,
                                    kernel_end, &initrd_start, &initrd_end, errp)) {
            return false;
        }
    }

    if (ms->dtb) {
        ms->fdt = fdtb_load(ms->dtb, errp);
        if (!ms->fdt) {
            return false;
        }
    } else {
        virt_create_fdt(s);
    }
    fdtb_add_node(ms->fdt, "/chosen");
    if (ms->kernel_cmdline && *ms->kernel_cmdline) {
        fdtb_prop_string(ms->fdt, "/chosen", "bootargs", ms->kernel_cmdline);
    }
    if (initrd_end) {
        fdtb_prop_u64(ms->fdt, "/chosen", "linux,initrd-start", initrd_start);
        fdtb_prop_u64(ms->fdt, "/chosen", "linux,initrd-end", initrd_end);
    }
    ms->fdt_size = fdtb_finish(ms->fdt);
    fdt_addr = riscv_boot_fdt_addr(dram, ms->ram_size, ms->fdt_size);
    if (!rom_add_blob("fdt", ms->fdt, ms->fdt_size, ms->fdt_size, fdt_addr, errp)) {
        return false;
    }
    return riscv_boot_setup_rom(virt_memmap[VIRT_MROM].base, start_addr, fdt_addr, kernel_entry,
                                errp);
}

/* ---- the machine */

static bool virt_parse_options(VirtState *s, Error **errp)
{
    const Opts *o = s->ms->opts;
    const char *aia = o ? opts_get(o, "aia") : NULL;
    const char *acpi = o ? opts_get(o, "acpi") : NULL;

    if (o && !opts_get_bool(o, "aclint", false, &s->aclint, errp)) {
        return false;
    }
    if (aia && strcmp(aia, "none") != 0) {
        error_setg(errp, "Invalid AIA mode '%s': only 'none' (the PLIC) is available", aia);
        return false;
    }
    if (acpi && strcmp(acpi, "off") != 0 && strcmp(acpi, "auto") != 0) {
        error_setg(errp, "ACPI is not available on this machine");
        return false;
    }
    return true;
}

static bool virt_init(MachineState *ms, Error **errp)
{
    VirtState *s = g_new0(VirtState, 1);
    MemoryRegion *sysmem = get_system_memory();

    ms->board = s;
    s->ms = ms;
    if (!virt_parse_options(s, errp)) {
        return false;
    }
    if (ms->ram_size > VIRT_MAX_RAM) {
        error_setg(errp, "the virt machine supports at most 16 GiB of RAM (-m %" PRIu64 "M)",
                   ms->ram_size >> 20);
        return false;
    }
    if (!memory_region_init_ram(&s->ram, NULL, "riscv_virt_board.ram", ms->ram_size, errp)) {
        return false;
    }
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_DRAM].base, &s->ram);
    ms->ram = &s->ram;
    if (!memory_region_init_rom(&s->mrom, NULL, "riscv_virt_board.mrom",
                                virt_memmap[VIRT_MROM].size, errp)) {
        return false;
    }
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_MROM].base, &s->mrom);

    return virt_create_harts(s, errp) && virt_create_devices(s, errp) &&
           virt_load_images(s, errp);
}

static void virt_reset(MachineState *ms)
{
    VirtState *s = ms->board;

    for (unsigned i = 0; i < s->nharts; i++) {
        riscv_cpu_reset(s->harts[i].cs);
        timer_del(s->harts[i].stimecmp_timer);
    }
    rom_reset(address_space_memory());
}

/* Firmware (M-mode) keeps the CPU to the end of its window (system/cpus.c). */
static bool virt_cpu_preemptible(MachineState *ms, CPUState *cs)
{
    return ((CPURISCVState *)cpu_env(cs))->priv != PRV_M;
}

static const char *const virt_props[] = {"aclint", "aia", "aia-guests", "acpi", NULL};

static const MachineClass virt_machine = {
    .name = "virt",
    .desc = "RISC-V VirtIO board",
    .is_default = true,
    .max_cpus = VIRT_MAX_HARTS,
    .default_cpus = 1,
    .default_ram_size = 128ull << 20,
    .default_ram_id = "riscv_virt_board.ram",
    .props = virt_props,
    .init = virt_init,
    .reset = virt_reset,
    .cpu_preemptible = virt_cpu_preemptible,
};

MACHINE_CLASS_REGISTER(virt_machine)
