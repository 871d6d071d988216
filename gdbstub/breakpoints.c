/*
 * Breakpoints and watchpoints on the TCG runtime (Z0-Z4): the stub keeps
 * the lists, accel/tcg asks through TCGDebugOps (include/exec/cpu-exec.h)
 * and raises EXCP_DEBUG.  Guest memory is never modified: a breakpoint is
 * an instruction the translator refuses to translate (so the hardware and
 * software kinds are the same thing here, and both work on code in ROM or
 * code the guest checksums), and a watchpoint is a check that the
 * translator puts before every guest access while any watchpoint exists.
 *
 * The lists belong to every vCPU and change only while the guest is
 * stopped (user mode: the session holds an exclusive section; system
 * mode: the VM is stopped), so the vCPUs read them without locking.  A
 * change drops the translated code concerned: the TBs overlapping the
 * address in user mode (where TBs are keyed by virtual address), every TB
 * in system mode (keyed by physical address).
 *
 * A watchpoint hit is recorded per vCPU (the address and kind) when the
 * access happens and read back when the stop is reported.
 */
#include <errno.h>
#include "internals.h"

typedef struct GdbPoint {
    int type;
    uint64_t addr;
    uint64_t len;
} GdbPoint;

typedef struct GdbWatchHit {
    int type;
    uint64_t addr;
} GdbWatchHit;

static GArray *gdb_breakpoints; /* GdbPoint, types GDB_BP_SW and GDB_BP_HW */
static GArray *gdb_watchpoints; /* GdbPoint, types GDB_WP_* */
static GMutex gdb_hits_lock;
static GHashTable *gdb_hits; /* cpu_index -> GdbWatchHit */

/* Longest watched range: GDB splits larger ones. */
#define GDB_WATCH_MAX_LEN (1u << 20)

uint64_t gdb_cpu_pc(CPUState *cs)
{
    vaddr pc = 0;
    uint64_t cs_base;
    uint32_t flags;

    if (cs->ops->get_tb_cpu_state) {
        cs->ops->get_tb_cpu_state(cs, &pc, &cs_base, &flags);
    }
    return pc;
}

static const GdbPoint *gdb_find_breakpoint(uint64_t pc)
{
    if (!gdb_breakpoints) {
        return NULL;
    }
    for (guint i = 0; i < gdb_breakpoints->len; i++) {
        const GdbPoint *bp = &g_array_index(gdb_breakpoints, GdbPoint, i);

        if (bp->addr == pc) {
            return bp;
        }
    }
    return NULL;
}

/* ---- what accel/tcg asks */

static bool gdb_tcg_breakpoint(CPUState *cs, vaddr pc)
{
    return gdb_find_breakpoint(pc) != NULL;
}

static bool gdb_watch_matches(int type, MMUAccessType access)
{
    switch (type) {
    case GDB_WP_WRITE:
        return access == MMU_DATA_STORE;
    case GDB_WP_READ:
        return access == MMU_DATA_LOAD;
    default:
        return access == MMU_DATA_STORE || access == MMU_DATA_LOAD;
    }
}

static bool gdb_tcg_watchpoint(CPUState *cs, vaddr addr, unsigned len, MMUAccessType access)
{
    if (!gdb_watchpoints) {
        return false;
    }
    for (guint i = 0; i < gdb_watchpoints->len; i++) {
        const GdbPoint *wp = &g_array_index(gdb_watchpoints, GdbPoint, i);
        GdbWatchHit *hit;

        if (!gdb_watch_matches(wp->type, access) || addr + len <= wp->addr ||
            addr >= wp->addr + wp->len) {
            continue;
        }
        hit = g_new(GdbWatchHit, 1);
        hit->type = wp->type;
        /* The first watched byte the access touched, as QEMU reports it. */
        hit->addr = MAX(addr, wp->addr);
        g_mutex_lock(&gdb_hits_lock);
        g_hash_table_replace(gdb_hits, GINT_TO_POINTER(cs->cpu_index), hit);
        g_mutex_unlock(&gdb_hits_lock);
        return true;
    }
    return false;
}

static const TCGDebugOps gdb_tcg_debug_ops = {
    .breakpoint = gdb_tcg_breakpoint,
    .watchpoint = gdb_tcg_watchpoint,
};

static void gdb_bp_init(void)
{
    if (!gdb_breakpoints) {
        gdb_breakpoints = g_array_new(FALSE, FALSE, sizeof(GdbPoint));
        gdb_watchpoints = g_array_new(FALSE, FALSE, sizeof(GdbPoint));
        __atomic_store_n(&gdb_hits,
                         g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
                         __ATOMIC_RELEASE);
        tcg_debug_set_ops(&gdb_tcg_debug_ops);
    }
}

/* Drop the translated code a breakpoint at addr changes. */
static void gdb_bp_invalidate(uint64_t addr, bool system)
{
    if (system) {
        tb_flush(current_cpu);
    } else {
        tb_invalidate_phys_range(addr, addr);
    }
}

/* ---- the stub's side */

int gdb_bp_insert(int type, uint64_t addr, uint64_t len, bool system)
{
    GdbPoint p = {.type = type, .addr = addr, .len = len};

    gdb_bp_init();
    switch (type) {
    case GDB_BP_SW:
    case GDB_BP_HW:
        g_array_append_val(gdb_breakpoints, p);
        gdb_bp_invalidate(addr, system);
        return 0;
    case GDB_WP_WRITE:
    case GDB_WP_READ:
    case GDB_WP_ACCESS:
        if (len == 0 || len > GDB_WATCH_MAX_LEN || addr + len < addr) {
            return -EINVAL;
        }
        g_array_append_val(gdb_watchpoints, p);
        tcg_debug_set_watching(true);
        return 0;
    default:
        return -ENOSYS;
    }
}

static bool gdb_points_remove(GArray *list, int type, uint64_t addr, uint64_t len, bool match_len)
{
    for (guint i = 0; i < list->len; i++) {
        const GdbPoint *p = &g_array_index(list, GdbPoint, i);

        if (p->type == type && p->addr == addr && (!match_len || p->len == len)) {
            g_array_remove_index(list, i);
            return true;
        }
    }
    return false;
}

int gdb_bp_remove(int type, uint64_t addr, uint64_t len, bool system)
{
    gdb_bp_init();
    switch (type) {
    case GDB_BP_SW:
    case GDB_BP_HW:
        /* The kind (instruction length) does not name a breakpoint. */
        if (!gdb_points_remove(gdb_breakpoints, type, addr, len, false)) {
            return -ENOENT;
        }
        gdb_bp_invalidate(addr, system);
        return 0;
    case GDB_WP_WRITE:
    case GDB_WP_READ:
    case GDB_WP_ACCESS:
        if (!gdb_points_remove(gdb_watchpoints, type, addr, len, true)) {
            return -ENOENT;
        }
        if (gdb_watchpoints->len == 0) {
            tcg_debug_set_watching(false);
        }
        return 0;
    default:
        return -ENOSYS;
    }
}

void gdb_bp_remove_all(bool system)
{
    gdb_bp_init();
    while (gdb_breakpoints->len) {
        uint64_t addr = g_array_index(gdb_breakpoints, GdbPoint, 0).addr;

        g_array_remove_index(gdb_breakpoints, 0);
        gdb_bp_invalidate(addr, system);
    }
    g_array_set_size(gdb_watchpoints, 0);
    tcg_debug_set_watching(false);
    gdb_bp_reset();
}

void gdb_bp_reset(void)
{
    gdb_bp_init();
    g_mutex_lock(&gdb_hits_lock);
    g_hash_table_remove_all(gdb_hits);
    g_mutex_unlock(&gdb_hits_lock);
}

bool gdb_bp_has_watch_hit(CPUState *cs)
{
    GHashTable *hits = __atomic_load_n(&gdb_hits, __ATOMIC_ACQUIRE);
    bool hit;

    if (!hits) {
        return false;
    }
    g_mutex_lock(&gdb_hits_lock);
    hit = g_hash_table_contains(hits, GINT_TO_POINTER(cs->cpu_index));
    g_mutex_unlock(&gdb_hits_lock);
    return hit;
}

void gdb_bp_stop_reason(CPUState *cs, GdbStop *stop)
{
    const GdbPoint *bp;
    GdbWatchHit *hit;

    gdb_bp_init();
    g_mutex_lock(&gdb_hits_lock);
    hit = g_hash_table_lookup(gdb_hits, GINT_TO_POINTER(cs->cpu_index));
    if (hit) {
        stop->kind = GDB_STOP_WATCH;
        stop->watch_type = hit->type;
        stop->watch_addr = hit->addr;
        g_hash_table_remove(gdb_hits, GINT_TO_POINTER(cs->cpu_index));
    }
    g_mutex_unlock(&gdb_hits_lock);
    if (hit) {
        return;
    }
    bp = gdb_find_breakpoint(gdb_cpu_pc(cs));
    if (bp) {
        stop->kind = bp->type == GDB_BP_HW ? GDB_STOP_HWBREAK : GDB_STOP_SWBREAK;
    }
}
