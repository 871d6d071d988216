/*
 * The -cpu option of the RISC-V machines: CPU models and the extension
 * properties that adjust them, spelled as QEMU 7.2 spells them
 * (`-cpu rv64,zbb=false,Zicsr=on,sstc=off,pmp=on,priv_spec=v1.12.0`), with
 * QEMU's error messages, so that command lines written for QEMU work.
 *
 * Models are a base configuration; properties are a table of names and
 * where each one lives in RISCVCPUConfig.  QEMU properties for features
 * morph lacks (H, V, Zfh, ...) are accepted when they ask for the feature
 * to be off, and refused when on.  The checks after parsing are QEMU's
 * (riscv_cpu_realize): I or E, D needs F, F needs Zicsr, S needs U.
 */
#include <glib.h>
#include <stddef.h>
#include <string.h>
#include "util/keyval.h"
#include "cpu.h"

typedef struct RISCVCPUModel {
    const char *name;
    const char *help;
    void (*init)(RISCVCPUConfig *cfg);
} RISCVCPUModel;

static void model_max(RISCVCPUConfig *cfg)
{
    riscv_cpu_default_config(cfg);
    cfg->ext_zihpm = true;
    cfg->ext_svpbmt = true;
    cfg->pmp_regions = 64;
}

static const RISCVCPUModel riscv_cpu_models[] = {
    {"rv64", "RV64GC with Zba/Zbb/Zbc/Zbs, Zicond, Sstc, Sv57, 16 PMP entries (default)",
     riscv_cpu_default_config},
    {"any", "the same as rv64", riscv_cpu_default_config},
    {"max", "every extension morph implements: rv64 + Zihpm, Svpbmt, 64 PMP entries", model_max},
};

#define MODEL_COUNT (sizeof(riscv_cpu_models) / sizeof(riscv_cpu_models[0]))

typedef enum PropKind {
    PROP_BOOL,      /* a bool in RISCVCPUConfig */
    PROP_U32,       /* a uint32_t */
    PROP_U64,       /* a uint64_t */
    PROP_UNSIGNED,  /* an unsigned */
    PROP_PRIV_SPEC, /* priv_spec: only v1.12.0 is modelled */
    PROP_ABSENT,    /* a QEMU feature morph lacks: off is fine, on is refused */
    PROP_IGNORED,   /* a QEMU knob without effect here: any value */
} PropKind;

typedef struct RISCVCPUProp {
    const char *name;
    PropKind kind;
    size_t offset;
    const char *help;
} RISCVCPUProp;

#define BOOL_PROP(n, f, h)                                                                         \
    {                                                                                              \
        n, PROP_BOOL, offsetof(RISCVCPUConfig, f), h                                               \
    }

static const RISCVCPUProp riscv_cpu_props[] = {
    BOOL_PROP("i", ext_i, "base integer ISA"),
    BOOL_PROP("e", ext_e, "embedded base (16 registers)"),
    BOOL_PROP("m", ext_m, "multiply and divide"),
    BOOL_PROP("a", ext_a, "atomics"),
    BOOL_PROP("f", ext_f, "single-precision floating point"),
    BOOL_PROP("d", ext_d, "double-precision floating point"),
    BOOL_PROP("c", ext_c, "compressed instructions"),
    BOOL_PROP("s", ext_s, "supervisor mode"),
    BOOL_PROP("u", ext_u, "user mode"),
    BOOL_PROP("zba", ext_zba, "address generation"),
    BOOL_PROP("zbb", ext_zbb, "basic bit manipulation"),
    BOOL_PROP("zbc", ext_zbc, "carry-less multiplication"),
    BOOL_PROP("zbs", ext_zbs, "single-bit instructions"),
    BOOL_PROP("zicond", ext_zicond, "integer conditional operations"),
    BOOL_PROP("Zicsr", ext_zicsr, "CSR instructions"),
    BOOL_PROP("Zifencei", ext_zifencei, "instruction-fetch fence"),
    BOOL_PROP("Zihintpause", ext_zihintpause, "pause hint"),
    BOOL_PROP("zicntr", ext_zicntr, "base counters (cycle, time, instret)"),
    BOOL_PROP("zihpm", ext_zihpm, "hardware performance counters"),
    BOOL_PROP("sstc", ext_sstc, "supervisor timer compare (stimecmp)"),
    BOOL_PROP("svpbmt", ext_svpbmt, "page-based memory types"),
    BOOL_PROP("mmu", mmu, "virtual memory (Sv39/Sv48/Sv57)"),
    BOOL_PROP("pmp", pmp, "physical memory protection"),
    {"pmp-regions", PROP_UNSIGNED, offsetof(RISCVCPUConfig, pmp_regions),
     "number of PMP entries: 0, 16 or 64"},
    {"mvendorid", PROP_U32, offsetof(RISCVCPUConfig, mvendorid), "mvendorid value"},
    {"marchid", PROP_U64, offsetof(RISCVCPUConfig, marchid), "marchid value"},
    {"mimpid", PROP_U64, offsetof(RISCVCPUConfig, mimpid), "mimpid value"},
    {"resetvec", PROP_U64, offsetof(RISCVCPUConfig, resetvec), "pc at reset"},
    {"priv_spec", PROP_PRIV_SPEC, 0, "privileged spec version (v1.12.0)"},
    {"h", PROP_ABSENT, 0, NULL},
    {"v", PROP_ABSENT, 0, NULL},
    {"g", PROP_ABSENT, 0, NULL},
    {"Zfh", PROP_ABSENT, 0, NULL},
    {"Zfhmin", PROP_ABSENT, 0, NULL},
    {"Zve32f", PROP_ABSENT, 0, NULL},
    {"Zve64f", PROP_ABSENT, 0, NULL},
    {"sscofpmf", PROP_ABSENT, 0, NULL},
    {"svinval", PROP_ABSENT, 0, NULL},
    {"svnapot", PROP_ABSENT, 0, NULL},
    {"zbkb", PROP_ABSENT, 0, NULL},
    {"zbkc", PROP_ABSENT, 0, NULL},
    {"zbkx", PROP_ABSENT, 0, NULL},
    {"zk", PROP_ABSENT, 0, NULL},
    {"zkn", PROP_ABSENT, 0, NULL},
    {"zknd", PROP_ABSENT, 0, NULL},
    {"zkne", PROP_ABSENT, 0, NULL},
    {"zknh", PROP_ABSENT, 0, NULL},
    {"zkr", PROP_ABSENT, 0, NULL},
    {"zks", PROP_ABSENT, 0, NULL},
    {"zksed", PROP_ABSENT, 0, NULL},
    {"zksh", PROP_ABSENT, 0, NULL},
    {"zkt", PROP_ABSENT, 0, NULL},
    {"zmmul", PROP_ABSENT, 0, NULL},
    {"zdinx", PROP_ABSENT, 0, NULL},
    {"zfinx", PROP_ABSENT, 0, NULL},
    {"zhinx", PROP_ABSENT, 0, NULL},
    {"zhinxmin", PROP_ABSENT, 0, NULL},
    {"debug", PROP_IGNORED, 0, NULL},
    {"pmu-num", PROP_IGNORED, 0, NULL},
    {"short-isa-string", PROP_IGNORED, 0, NULL},
    {"vlen", PROP_IGNORED, 0, NULL},
    {"elen", PROP_IGNORED, 0, NULL},
    {"vext_spec", PROP_IGNORED, 0, NULL},
};

#define PROP_COUNT (sizeof(riscv_cpu_props) / sizeof(riscv_cpu_props[0]))

static const RISCVCPUModel *find_model(const char *name)
{
    for (size_t i = 0; i < MODEL_COUNT; i++) {
        if (strcmp(riscv_cpu_models[i].name, name) == 0) {
            return &riscv_cpu_models[i];
        }
    }
    return NULL;
}

/* Exact names first; then without regard to case (QEMU later renamed Zicsr to zicsr). */
static const RISCVCPUProp *find_prop(const char *name)
{
    for (size_t i = 0; i < PROP_COUNT; i++) {
        if (strcmp(riscv_cpu_props[i].name, name) == 0) {
            return &riscv_cpu_props[i];
        }
    }
    for (size_t i = 0; i < PROP_COUNT; i++) {
        if (g_ascii_strcasecmp(riscv_cpu_props[i].name, name) == 0) {
            return &riscv_cpu_props[i];
        }
    }
    return NULL;
}

static bool apply_prop(RISCVCPUConfig *cfg, const RISCVCPUProp *p, const char *key,
                       const char *value, Error **errp)
{
    void *field = (char *)cfg + p->offset;
    uint64_t n;
    bool b;

    switch (p->kind) {
    case PROP_BOOL:
    case PROP_ABSENT:
        if (!parse_bool(value, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
            return false;
        }
        if (p->kind == PROP_ABSENT) {
            if (b) {
                error_setg(errp, "Property '%s' is not supported by morph", key);
                return false;
            }
            return true;
        }
        *(bool *)field = b;
        return true;
    case PROP_U32:
        if (!parse_uint64(value, &n) || n > UINT32_MAX) {
            error_setg(errp, "Parameter '%s' expects uint32", key);
            return false;
        }
        *(uint32_t *)field = (uint32_t)n;
        return true;
    case PROP_U64:
    case PROP_UNSIGNED:
        if (!parse_uint64(value, &n) || (p->kind == PROP_UNSIGNED && n > UINT32_MAX)) {
            error_setg(errp, "Parameter '%s' expects uint64", key);
            return false;
        }
        if (p->kind == PROP_UNSIGNED) {
            *(unsigned *)field = (unsigned)n;
        } else {
            *(uint64_t *)field = n;
        }
        return true;
    case PROP_PRIV_SPEC:
        if (strcmp(value, "v1.12.0") != 0) {
            error_setg(errp, "Unsupported privilege spec version '%s'", value);
            return false;
        }
        return true;
    default:
        return true;
    }
}

/* The consistency rules QEMU checks when it realizes the hart. */
static bool check_config(const RISCVCPUConfig *cfg, Error **errp)
{
    if (cfg->ext_i && cfg->ext_e) {
        error_setg(errp, "I and E extensions are incompatible");
        return false;
    }
    if (!cfg->ext_i && !cfg->ext_e) {
        error_setg(errp, "Either I or E extension must be set");
        return false;
    }
    if (cfg->ext_e) {
        error_setg(errp, "E extension is not supported by morph");
        return false;
    }
    if (cfg->ext_s && !cfg->ext_u) {
        error_setg(errp, "Setting S extension without U extension is illegal");
        return false;
    }
    if (cfg->ext_d && !cfg->ext_f) {
        error_setg(errp, "D extension requires F extension");
        return false;
    }
    if (cfg->ext_f && !cfg->ext_zicsr) {
        error_setg(errp, "F extension requires Zicsr");
        return false;
    }
    if (cfg->pmp_regions != 0 && cfg->pmp_regions != 16 && cfg->pmp_regions != 64) {
        error_setg(errp, "pmp-regions must be 0, 16 or 64");
        return false;
    }
    return true;
}

bool riscv_cpu_model_is_help(const char *str)
{
    return strcmp(str, "help") == 0 || strcmp(str, "?") == 0;
}

bool riscv_cpu_parse_model(const char *str, RISCVCPUConfig *cfg, Error **errp)
{
    Opts *opts = opts_parse(str, "model", errp);
    const RISCVCPUModel *model;
    const char *name;
    bool ok = false;

    if (!opts) {
        return false;
    }
    name = opts->count > 0 && strcmp(opts->items[0].key, "model") == 0 ? opts->items[0].value : "";
    model = find_model(name);
    if (!model) {
        error_setg(errp, "unable to find CPU model '%s'", name);
        goto out;
    }
    model->init(cfg);
    for (unsigned i = 1; i < opts->count; i++) {
        const char *key = opts->items[i].key;
        const char *value = opts->items[i].value;
        const RISCVCPUProp *p = find_prop(key);
        Error *err = NULL;

        if (!p) {
            error_setg(errp,
                       "can't apply global %s-riscv-cpu.%s=%s: Property "
                       "'%s-riscv-cpu.%s' not found",
                       model->name, key, value, model->name, key);
            goto out;
        }
        if (!apply_prop(cfg, p, key, value, &err)) {
            error_propagate(errp, err);
            /* QEMU checks priv_spec at realize time, without naming the global. */
            if (p->kind != PROP_PRIV_SPEC) {
                error_prepend(errp, "can't apply global %s-riscv-cpu.%s=%s", model->name, key,
                              value);
            }
            goto out;
        }
    }
    ok = check_config(cfg, errp);
out:
    opts_free(opts);
    return ok;
}

void riscv_cpu_list_models(FILE *out)
{
    fprintf(out, "Available CPUs:\n");
    for (size_t i = 0; i < MODEL_COUNT; i++) {
        fprintf(out, "  %-8s %s\n", riscv_cpu_models[i].name, riscv_cpu_models[i].help);
    }
    fprintf(out, "\nProperties (-cpu MODEL,NAME=VALUE,...):\n");
    for (size_t i = 0; i < PROP_COUNT; i++) {
        const RISCVCPUProp *p = &riscv_cpu_props[i];
        const char *type = p->kind == PROP_PRIV_SPEC ? "<str>"
                           : p->kind == PROP_BOOL    ? "<bool>"
                                                     : "<uint>";

        if (p->help) {
            fprintf(out, "  %-16s %-7s %s\n", p->name, type, p->help);
        }
    }
}
