/*
 * A extension: SC and the AMOs (Unprivileged ISA 20191213, chapter 8),
 * atomic on the host.  cpu_atomic_mmu_lookup() checks alignment and write
 * permission (raising the guest's fault) and gives a host pointer to guest
 * RAM; the operation is then one host atomic instruction (or a
 * compare-and-swap loop for min/max), so it is atomic with respect to
 * other vCPU threads.
 *
 * SC succeeds if the reservation is on this address and the memory still
 * holds the value LR read (compared and swapped atomically); like QEMU we
 * accept the ABA case, which no software can tell apart from a reservation
 * that was kept.  Every SC clears the reservation.
 */
#include "exec/cputlb.h"
#include "cpu.h"
#include "helper.h"
#include "internals.h"

uint64_t helper_sc(CPURISCVState *env, uint64_t addr, uint64_t val, uint32_t oi)
{
    uintptr_t ra = GETPC();
    unsigned size = memop_size(get_memop(oi));
    bool ok;
    void *host;

    if (addr & (size - 1)) {
        riscv_raise_exception(env, RISCV_EXCP_STORE_AMO_ADDR_MIS, addr, ra);
    }
    if (env->load_res != addr) {
        env->load_res = -1;
        return 1;
    }
    host = cpu_atomic_mmu_lookup(riscv_env_cpu(env), addr, oi, ra);
    if (size == 4) {
        uint32_t expected = (uint32_t)env->load_val;

        ok = __atomic_compare_exchange_n((uint32_t *)host, &expected, (uint32_t)val, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    } else {
        uint64_t expected = env->load_val;

        ok = __atomic_compare_exchange_n((uint64_t *)host, &expected, val, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST);
    }
    env->load_res = -1;
    return ok ? 0 : 1;
}

/* The new memory value of a min/max AMO. */
static uint64_t amo_pick(int op, uint64_t old, uint64_t val, bool is32)
{
    int64_t so = is32 ? (int32_t)old : (int64_t)old;
    int64_t sv = is32 ? (int32_t)val : (int64_t)val;
    uint64_t uo = is32 ? (uint32_t)old : old;
    uint64_t uv = is32 ? (uint32_t)val : val;

    switch (op) {
    case RISCV_AMO_MIN:
        return so < sv ? old : val;
    case RISCV_AMO_MAX:
        return so > sv ? old : val;
    case RISCV_AMO_MINU:
        return uo < uv ? old : val;
    default:
        return uo > uv ? old : val;
    }
}

static uint32_t amo32(uint32_t *p, uint32_t v, int op)
{
    uint32_t old;

    switch (op) {
    case RISCV_AMO_SWAP:
        return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_ADD:
        return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_XOR:
        return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_AND:
        return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_OR:
        return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    default:
        old = __atomic_load_n(p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(p, &old, (uint32_t)amo_pick(op, old, v, true), true,
                                            __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        }
        return old;
    }
}

static uint64_t amo64(uint64_t *p, uint64_t v, int op)
{
    uint64_t old;

    switch (op) {
    case RISCV_AMO_SWAP:
        return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_ADD:
        return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_XOR:
        return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_AND:
        return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case RISCV_AMO_OR:
        return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    default:
        old = __atomic_load_n(p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(p, &old, amo_pick(op, old, v, false), true,
                                            __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        }
        return old;
    }
}

/* Returns the old memory value (a 32-bit one sign-extended), which goes to rd. */
uint64_t helper_amo(CPURISCVState *env, uint64_t addr, uint64_t val, uint32_t oi, uint32_t op)
{
    uintptr_t ra = GETPC();
    void *host = cpu_atomic_mmu_lookup(riscv_env_cpu(env), addr, oi, ra);

    if (memop_size(get_memop(oi)) == 4) {
        return (uint64_t)(int64_t)(int32_t)amo32((uint32_t *)host, (uint32_t)val, (int)op);
    }
    return amo64((uint64_t *)host, val, (int)op);
}
