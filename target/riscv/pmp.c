/*
 * Physical memory protection (Privileged Architecture 20211203, section
 * 3.7): up to 64 entries, each a pmpcfg byte (R, W, X, the address-matching
 * mode A and the lock bit L) and a pmpaddr register (address bits 55:2).
 * Granularity is 4 bytes (G = 0), so NA4 exists and pmpaddr reads back as
 * written.
 *
 * The rules implemented here:
 *  - entries are searched from 0 up; the first whose range holds any byte
 *    of the access decides, and if it does not hold every byte the access
 *    fails whatever the mode;
 *  - a matching entry grants its R/W/X to S and U always, and to M only if
 *    it is locked (M is otherwise unrestricted);
 *  - no match: M succeeds, S and U fail (the hart implements entries);
 *  - a locked entry ignores writes to its pmpcfg byte and pmpaddr, and a
 *    locked TOR entry also locks the pmpaddr below it (its bottom);
 *  - R = 0 with W = 1 is reserved: such a pmpcfg byte write is ignored.
 * The check runs when a TLB entry is filled (mmu.c); so every write to a
 * PMP CSR that changes something flushes the TLB.
 */
#include "exec/cputlb.h"
#include "pmp.h"

static unsigned pmp_count(const CPURISCVState *env)
{
    if (!env->cfg.pmp) {
        return 0;
    }
    return env->cfg.pmp_regions < RISCV_MAX_PMP ? env->cfg.pmp_regions : RISCV_MAX_PMP;
}

static unsigned pmp_mode(uint8_t cfg)
{
    return (cfg & PMP_A) >> PMP_A_SHIFT;
}

static bool pmp_locked(const CPURISCVState *env, unsigned i)
{
    return (env->pmpcfg[i] & PMP_L) != 0;
}

static void pmp_changed(CPURISCVState *env)
{
    tlb_flush(riscv_env_cpu(env));
}

/* ---- CSRs */

uint64_t riscv_pmpcfg_read(const CPURISCVState *env, unsigned reg)
{
    uint64_t v = 0;

    for (unsigned b = 0; b < 8; b++) {
        unsigned i = reg * 4 + b;

        if (i < pmp_count(env)) {
            v |= (uint64_t)env->pmpcfg[i] << (8 * b);
        }
    }
    return v;
}

void riscv_pmpcfg_write(CPURISCVState *env, unsigned reg, uint64_t val)
{
    bool changed = false;

    for (unsigned b = 0; b < 8; b++) {
        unsigned i = reg * 4 + b;
        uint8_t cfg = (uint8_t)(val >> (8 * b)) & (PMP_R | PMP_W | PMP_X | PMP_A | PMP_L);

        if (i >= pmp_count(env) || pmp_locked(env, i)) {
            continue;
        }
        if ((cfg & (PMP_R | PMP_W)) == PMP_W) {
            /* Reserved encoding: the entry keeps its old value. */
            continue;
        }
        if (env->pmpcfg[i] != cfg) {
            env->pmpcfg[i] = cfg;
            changed = true;
        }
    }
    if (changed) {
        pmp_changed(env);
    }
}

uint64_t riscv_pmpaddr_read(const CPURISCVState *env, unsigned i)
{
    return i < pmp_count(env) ? env->pmpaddr[i] : 0;
}

void riscv_pmpaddr_write(CPURISCVState *env, unsigned i, uint64_t val)
{
    if (i >= pmp_count(env) || pmp_locked(env, i)) {
        return;
    }
    /* The top of a locked TOR entry is locked with it. */
    if (i + 1 < pmp_count(env) && pmp_locked(env, i + 1) &&
        pmp_mode(env->pmpcfg[i + 1]) == PMP_A_TOR) {
        return;
    }
    val &= PMP_ADDR_MASK;
    if (env->pmpaddr[i] != val) {
        env->pmpaddr[i] = val;
        pmp_changed(env);
    }
}

/* ---- checks */

/* The inclusive byte range of entry i; false if it matches nothing (OFF, empty TOR). */
static bool pmp_range(const CPURISCVState *env, unsigned i, uint64_t *start, uint64_t *last)
{
    uint64_t a = env->pmpaddr[i];

    switch (pmp_mode(env->pmpcfg[i])) {
    case PMP_A_TOR: {
        uint64_t bottom = i == 0 ? 0 : env->pmpaddr[i - 1] << 2;
        uint64_t top = a << 2;

        if (bottom >= top) {
            return false;
        }
        *start = bottom;
        *last = top - 1;
        return true;
    }
    case PMP_A_NA4:
        *start = a << 2;
        *last = *start + 3;
        return true;
    case PMP_A_NAPOT: {
        /* t trailing ones: a region of 2^(t+3) bytes (a is at most 54 bits wide). */
        unsigned t = (unsigned)__builtin_ctzll(~a);

        *start = (a & ~((1ull << t) - 1)) << 2;
        *last = *start + (1ull << (t + 3)) - 1;
        return true;
    }
    default:
        return false;
    }
}

static int pmp_cfg_prot(uint8_t cfg)
{
    return ((cfg & PMP_R) ? PAGE_READ : 0) | ((cfg & PMP_W) ? PAGE_WRITE : 0) |
           ((cfg & PMP_X) ? PAGE_EXEC : 0);
}

RISCVPMPResult riscv_pmp_prot(const CPURISCVState *env, hwaddr addr, uint64_t size, int priv,
                              int *prot)
{
    unsigned n = pmp_count(env);
    uint64_t last = addr + size - 1;

    for (unsigned i = 0; i < n; i++) {
        uint64_t s, e;

        if (!pmp_range(env, i, &s, &e) || last < s || addr > e) {
            continue;
        }
        if (addr < s || last > e) {
            *prot = 0;
            return RISCV_PMP_PARTIAL;
        }
        if (priv == PRV_M && !pmp_locked(env, i)) {
            *prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        } else {
            *prot = pmp_cfg_prot(env->pmpcfg[i]);
        }
        return RISCV_PMP_MATCH;
    }
    /* No match: M-mode is unrestricted; S and U get nothing if PMP exists at all. */
    *prot = (priv == PRV_M || n == 0) ? PAGE_READ | PAGE_WRITE | PAGE_EXEC : 0;
    return RISCV_PMP_DEFAULT;
}

bool riscv_pmp_allows(const CPURISCVState *env, hwaddr addr, uint64_t size,
                      MMUAccessType access_type, int priv)
{
    static const int need[] = {
        [MMU_DATA_LOAD] = PAGE_READ,
        [MMU_DATA_STORE] = PAGE_WRITE,
        [MMU_INST_FETCH] = PAGE_EXEC,
    };
    int prot;

    riscv_pmp_prot(env, addr, size, priv, &prot);
    return (prot & need[access_type]) != 0;
}
