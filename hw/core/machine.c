/*
 * The machine registry and the hooks a board's devices use to reach the
 * system layer (contract in include/hw/boards.h).  Without hooks (unit
 * tests), requests are recorded in the log and otherwise ignored.
 */
#include <string.h>
#include <glib.h>
#include "hw/boards.h"
#include "util/log.h"

static GPtrArray *machine_classes;

RtcConfig machine_rtc_config = {.clock = MORPH_CLOCK_HOST};

/* Add this to the RTC clock's reading to get the guest's date in ns since the epoch. */
int64_t machine_rtc_offset_ns(void)
{
    int64_t host_utc = clock_get_ns(MORPH_CLOCK_HOST);

    return host_utc + machine_rtc_config.start_offset_s * 1000000000ll -
           clock_get_ns(machine_rtc_config.clock);
}
static MachineSystemOps system_ops;

void machine_class_register(const MachineClass *mc)
{
    if (!machine_classes) {
        machine_classes = g_ptr_array_new();
    }
    g_ptr_array_add(machine_classes, (gpointer)mc);
}

const MachineClass *machine_class_find(const char *name)
{
    for (unsigned i = 0; machine_classes && i < machine_classes->len; i++) {
        const MachineClass *mc = g_ptr_array_index(machine_classes, i);

        if (strcmp(mc->name, name) == 0 || (mc->alias && strcmp(mc->alias, name) == 0)) {
            return mc;
        }
    }
    return NULL;
}

const MachineClass *machine_class_default(void)
{
    for (unsigned i = 0; machine_classes && i < machine_classes->len; i++) {
        const MachineClass *mc = g_ptr_array_index(machine_classes, i);

        if (mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

void machine_class_print_list(FILE *out)
{
    fprintf(out, "Supported machines are:\n");
    for (unsigned i = 0; machine_classes && i < machine_classes->len; i++) {
        const MachineClass *mc = g_ptr_array_index(machine_classes, i);

        if (mc->alias) {
            fprintf(out, "%-20s %s (alias of %s)\n", mc->alias, mc->desc, mc->name);
        }
        fprintf(out, "%-20s %s%s\n", mc->name, mc->desc, mc->is_default ? " (default)" : "");
    }
}

bool machine_class_has_prop(const MachineClass *mc, const char *key)
{
    for (const char *const *p = mc->props; p && *p; p++) {
        if (strcmp(*p, key) == 0) {
            return true;
        }
    }
    return false;
}

void machine_set_system_ops(const MachineSystemOps *ops)
{
    if (ops) {
        system_ops = *ops;
    } else {
        memset(&system_ops, 0, sizeof(system_ops));
    }
}

void machine_cpu_kick(CPUState *cs)
{
    if (system_ops.cpu_kick) {
        system_ops.cpu_kick(cs);
    }
}

void machine_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data)
{
    if (system_ops.run_on_cpu) {
        system_ops.run_on_cpu(cs, fn, data);
    } else {
        fn(cs, data);
    }
}

void machine_request_shutdown(ShutdownCause cause, int exit_code)
{
    if (system_ops.shutdown) {
        system_ops.shutdown(cause, exit_code);
    } else {
        log_printf("machine: shutdown requested (cause %d, code %d)\n", cause, exit_code);
    }
}

void machine_request_reset(ShutdownCause cause)
{
    if (system_ops.reset) {
        system_ops.reset(cause);
    } else {
        log_printf("machine: reset requested (cause %d)\n", cause);
    }
}
