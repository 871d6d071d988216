/*
 * The interpreter backend's execution loop: runs the bytecode of
 * interp.h with a per-call frame of temp values, following chained jumps
 * between TBs, until an exit_tb.  The value semantics of each op are those
 * of tcg-eval.h (shared with the optimizer); guest memory accesses do the
 * same softmmu TLB fast-path check the JIT emits (tcg.h,
 * TCGGuestMemConfig) and call the slow path on a miss, and helpers are
 * called as the SysV x86-64 ABI passes up to TCG_MAX_CALL_ARGS integers.
 *
 * While a helper or a slow path runs, tcg_interp_retaddr holds the address
 * of the calling instruction + 1: it plays the part of the host return
 * address that GETPC() gives under the JIT, and the TB's insn_end_offset[]
 * (bytecode offsets) map it to the guest instruction.
 */
#include <assert.h>
#include <string.h>

#include "interp.h"
#include "../tcg-eval.h"

__thread uintptr_t tcg_interp_retaddr;

/* ---- operands ----------------------------------------------------------------- */

static inline uint8_t *interp_env(const uint64_t *frame)
{
    return (uint8_t *)(uintptr_t)frame[0];
}

static inline intptr_t interp_env_ofs(uint32_t w)
{
    return (int32_t)(w << (32 - INTERP_OFS_BITS)) >> (32 - INTERP_OFS_BITS);
}

static inline uint64_t interp_rd(const uint32_t *p, const uint64_t *frame)
{
    uint32_t w = *p;

    switch (w >> INTERP_OPND_SHIFT) {
    case INTERP_OPND_SLOT:
        return frame[w];
    case INTERP_OPND_G64: {
        uint64_t v;

        memcpy(&v, interp_env(frame) + interp_env_ofs(w), sizeof(v));
        return v;
    }
    case INTERP_OPND_G32: {
        uint32_t v;

        memcpy(&v, interp_env(frame) + interp_env_ofs(w), sizeof(v));
        return v;
    }
    default:
        if (w & INTERP_CONST_POOL) {
            uint64_t v;

            memcpy(&v, (const uint8_t *)p + (w & (INTERP_CONST_POOL - 1)), sizeof(v));
            return v;
        }
        return (uint64_t)(int64_t)((int32_t)(w << (32 - INTERP_IMM_BITS)) >>
                                   (32 - INTERP_IMM_BITS));
    }
}

static inline void interp_wr(const uint32_t *p, uint64_t *frame, uint64_t v)
{
    uint32_t w = *p;

    switch (w >> INTERP_OPND_SHIFT) {
    case INTERP_OPND_SLOT:
        frame[w] = v;
        break;
    case INTERP_OPND_G64:
        memcpy(interp_env(frame) + interp_env_ofs(w), &v, sizeof(v));
        break;
    case INTERP_OPND_G32: {
        uint32_t v32 = (uint32_t)v;

        memcpy(interp_env(frame) + interp_env_ofs(w), &v32, sizeof(v32));
        break;
    }
    default:
        /* Outputs are never constants: the encoder does not produce this. */
        break;
    }
}

/* ---- guest memory --------------------------------------------------------------- */

static uint64_t interp_host_load(const void *host, MemOp mop)
{
    switch (mop & MO_SIZE) {
    case MO_8:
        return *(const uint8_t *)host;
    case MO_16: {
        uint16_t v;

        memcpy(&v, host, sizeof(v));
        return (mop & MO_BSWAP) ? __builtin_bswap16(v) : v;
    }
    case MO_32: {
        uint32_t v;

        memcpy(&v, host, sizeof(v));
        return (mop & MO_BSWAP) ? __builtin_bswap32(v) : v;
    }
    default: {
        uint64_t v;

        memcpy(&v, host, sizeof(v));
        return (mop & MO_BSWAP) ? __builtin_bswap64(v) : v;
    }
    }
}

static void interp_host_store(void *host, uint64_t val, MemOp mop)
{
    switch (mop & MO_SIZE) {
    case MO_8:
        *(uint8_t *)host = (uint8_t)val;
        break;
    case MO_16: {
        uint16_t v = (mop & MO_BSWAP) ? __builtin_bswap16((uint16_t)val) : (uint16_t)val;

        memcpy(host, &v, sizeof(v));
        break;
    }
    case MO_32: {
        uint32_t v = (mop & MO_BSWAP) ? __builtin_bswap32((uint32_t)val) : (uint32_t)val;

        memcpy(host, &v, sizeof(v));
        break;
    }
    default: {
        uint64_t v = (mop & MO_BSWAP) ? __builtin_bswap64(val) : val;

        memcpy(host, &v, sizeof(v));
        break;
    }
    }
}

/* Truncate a loaded value to the access size and extend it as the memop says. */
static uint64_t interp_extend(uint64_t v, MemOp mop)
{
    unsigned bits = 8u << (mop & MO_SIZE);

    if (bits == 64) {
        return v;
    }
    v &= (1ull << bits) - 1;
    if ((mop & MO_SIGN) && (v >> (bits - 1))) {
        v |= ~0ull << bits;
    }
    return v;
}

/*
 * The host address of a guest access, or NULL when it must take the slow
 * path (TLB miss, flagged page, misaligned MO_ALIGN, page crossing).
 */
static void *interp_guest_host(const TCGGuestMemConfig *mem, uint8_t *env, uint64_t addr,
                               MemOpIdx oi, bool is_store)
{
    MemOp mop = get_memop(oi);
    uint64_t a_mask = (1ull << memop_alignment_bits(mop)) - 1;
    uint64_t s_mask = memop_size(mop) - 1;
    const uint8_t *fast, *entry;
    uintptr_t mask, table, addend;
    uint64_t page_mask, cmp, tlb;

    if (!mem->softmmu) {
        if ((addr & a_mask) && (is_store ? mem->slow_st != NULL : mem->slow_ld != NULL)) {
            return NULL;
        }
        return (void *)(mem->guest_base + (uintptr_t)addr);
    }

    fast = env + mem->tlb_fast_offset + (intptr_t)get_mmuidx(oi) * mem->tlb_fast_stride;
    memcpy(&mask, fast, sizeof(mask));
    memcpy(&table, fast + sizeof(uintptr_t), sizeof(table));
    entry = (const uint8_t *)(table + (((addr >> mem->page_bits) << mem->tlb_entry_bits) & mask));

    page_mask = ~((1ull << mem->page_bits) - 1);
    cmp = (addr + (s_mask > a_mask ? s_mask - a_mask : 0)) & (page_mask | a_mask);
    memcpy(&tlb, entry + (is_store ? mem->tlb_addr_write_offset : mem->tlb_addr_read_offset),
           sizeof(tlb));
    if (cmp != tlb) {
        return NULL;
    }
    memcpy(&addend, entry + mem->tlb_addend_offset, sizeof(addend));
    return (void *)((uintptr_t)addr + addend);
}

static uint64_t interp_qemu_ld(const TCGGuestMemConfig *mem, uint8_t *env, uint64_t addr,
                               MemOpIdx oi, const uint32_t *pc)
{
    void *host = interp_guest_host(mem, env, addr, oi, false);
    uint64_t v;

    if (host) {
        v = interp_host_load(host, get_memop(oi));
    } else {
        tcg_interp_retaddr = (uintptr_t)pc + 1;
        v = mem->slow_ld(env, addr, oi, tcg_interp_retaddr);
        tcg_interp_retaddr = 0;
    }
    return interp_extend(v, get_memop(oi));
}

static void interp_qemu_st(const TCGGuestMemConfig *mem, uint8_t *env, uint64_t addr, uint64_t val,
                           MemOpIdx oi, const uint32_t *pc)
{
    void *host = interp_guest_host(mem, env, addr, oi, true);

    if (host) {
        interp_host_store(host, val, get_memop(oi));
    } else {
        tcg_interp_retaddr = (uintptr_t)pc + 1;
        mem->slow_st(env, addr, val, oi, tcg_interp_retaddr);
        tcg_interp_retaddr = 0;
    }
}

/* ---- helper calls ------------------------------------------------------------------ */

typedef uint64_t (*InterpHelper)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                 uint64_t);

/* Returns the instruction after the call. */
static const uint32_t *interp_call(const uint32_t *pc, uint64_t *frame)
{
    unsigned nb_i = INTERP_CALL_NB_IN(pc[0]), nb_o = INTERP_CALL_HAS_OUT(pc[0]);
    const uint32_t *in = pc + 1 + nb_o;
    uint32_t typemask = in[nb_i];
    uint64_t args[TCG_MAX_CALL_ARGS] = {0};
    InterpHelper fn;
    uint64_t ret;

    for (unsigned i = 0; i < nb_i; i++) {
        uint64_t v = interp_rd(in + i, frame);

        switch ((typemask >> (3 * (i + 1))) & 7) {
        case TCG_CALL_TYPE_I32:
            v = (uint32_t)v;
            break;
        case TCG_CALL_TYPE_S32:
            v = (uint64_t)(int64_t)(int32_t)v;
            break;
        default:
            break;
        }
        args[i] = v;
    }
    memcpy(&fn, in + nb_i + 1, sizeof(fn));

    /*
     * Every helper is called with seven integer arguments: under the SysV
     * x86-64 ABI the ones it does not declare are ignored.
     */
    tcg_interp_retaddr = (uintptr_t)pc + 1;
    ret = fn(args[0], args[1], args[2], args[3], args[4], args[5], args[6]);
    tcg_interp_retaddr = 0;
    if (nb_o) {
        interp_wr(pc + 1, frame, ret);
    }
    return in + nb_i + 3;
}

/* ---- the loop ------------------------------------------------------------------------ */

#define RD(k)        interp_rd(pc + (k), frame)
#define WR(k, v)     interp_wr(pc + (k), frame, (v))
#define KEY(name, T) INTERP_KEY(INDEX_op_##name, TCG_TYPE_##T)
#define AUX          (w0 >> 8)

/* Each op's cases for both types; T is the type as a compile-time constant. */
#define UNARY_T(name, T)                                                                           \
    case KEY(name, T):                                                                             \
        WR(1, tcg_eval_unary(INDEX_op_##name, TCG_TYPE_##T, RD(2)));                               \
        pc += 3;                                                                                   \
        continue;
#define UNARY(name) UNARY_T(name, I32) UNARY_T(name, I64)

#define BINARY_T(name, T)                                                                          \
    case KEY(name, T):                                                                             \
        WR(1, tcg_eval_binary(INDEX_op_##name, TCG_TYPE_##T, RD(2), RD(3)));                       \
        pc += 4;                                                                                   \
        continue;
#define BINARY(name) BINARY_T(name, I32) BINARY_T(name, I64)

/* The IR contract rules out these divisions; a release build gives 0. */
#define DIVIDE_T(name, T)                                                                          \
    case KEY(name, T): {                                                                           \
        uint64_t x = RD(2), y = RD(3);                                                             \
        assert(tcg_eval_div_ok(INDEX_op_##name, TCG_TYPE_##T, x, y));                              \
        WR(1, tcg_eval_binary(INDEX_op_##name, TCG_TYPE_##T, x, y));                               \
        pc += 4;                                                                                   \
        continue;                                                                                  \
    }
#define DIVIDE(name) DIVIDE_T(name, I32) DIVIDE_T(name, I64)

#define DOUBLE_T(name, T, nin)                                                                     \
    case KEY(name, T): {                                                                           \
        uint64_t lo, hi;                                                                           \
        if ((nin) == 2) {                                                                          \
            tcg_eval_mul2(INDEX_op_##name, TCG_TYPE_##T, RD(3), RD(4), &lo, &hi);                  \
        } else {                                                                                   \
            tcg_eval_addsub2(INDEX_op_##name, TCG_TYPE_##T, RD(3), RD(4), RD(5), RD(6), &lo, &hi); \
        }                                                                                          \
        WR(1, lo);                                                                                 \
        WR(2, hi);                                                                                 \
        pc += 3 + (nin);                                                                           \
        continue;                                                                                  \
    }
#define DOUBLE(name, nin) DOUBLE_T(name, I32, nin) DOUBLE_T(name, I64, nin)

#define COND_T(T)                                                                                  \
    case KEY(setcond, T):                                                                          \
        WR(1, tcg_eval_cond_inline(TCG_TYPE_##T, (TCGCond)AUX, RD(2), RD(3)));                     \
        pc += 4;                                                                                   \
        continue;                                                                                  \
    case KEY(negsetcond, T):                                                                       \
        WR(1, -(uint64_t)tcg_eval_cond_inline(TCG_TYPE_##T, (TCGCond)AUX, RD(2), RD(3)));          \
        pc += 4;                                                                                   \
        continue;                                                                                  \
    case KEY(movcond, T):                                                                          \
        if (tcg_eval_cond_inline(TCG_TYPE_##T, (TCGCond)AUX, RD(2), RD(3))) {                      \
            WR(1, RD(4));                                                                          \
        } else {                                                                                   \
            WR(1, RD(5));                                                                          \
        }                                                                                          \
        pc += 6;                                                                                   \
        continue;                                                                                  \
    case KEY(brcond, T):                                                                           \
        if (tcg_eval_cond_inline(TCG_TYPE_##T, (TCGCond)AUX, RD(1), RD(2))) {                      \
            pc = (const uint32_t *)((const uint8_t *)pc + (int32_t)pc[3]);                         \
        } else {                                                                                   \
            pc += 4;                                                                               \
        }                                                                                          \
        continue;

#define FIELD_T(T)                                                                                 \
    case KEY(extract, T):                                                                          \
        WR(1, tcg_eval_extract(TCG_TYPE_##T, RD(2), AUX & 0xff, AUX >> 8));                        \
        pc += 3;                                                                                   \
        continue;                                                                                  \
    case KEY(sextract, T):                                                                         \
        WR(1, tcg_eval_sextract(TCG_TYPE_##T, RD(2), AUX & 0xff, AUX >> 8));                       \
        pc += 3;                                                                                   \
        continue;                                                                                  \
    case KEY(deposit, T):                                                                          \
        WR(1, tcg_eval_deposit(TCG_TYPE_##T, RD(2), RD(3), AUX & 0xff, AUX >> 8));                 \
        pc += 4;                                                                                   \
        continue;

/* Host loads and stores: base + int32 offset. */
#define HOST_LD_T(name, T, ctype)                                                                  \
    case KEY(name, T): {                                                                           \
        ctype v;                                                                                   \
        memcpy(&v, (const uint8_t *)(uintptr_t)RD(2) + (int32_t)pc[3], sizeof(v));                 \
        WR(1, (uint64_t)(int64_t)v);                                                               \
        pc += 4;                                                                                   \
        continue;                                                                                  \
    }
#define HOST_ST_T(name, T, ctype)                                                                  \
    case KEY(name, T): {                                                                           \
        ctype v = (ctype)RD(1);                                                                    \
        memcpy((uint8_t *)(uintptr_t)RD(2) + (int32_t)pc[3], &v, sizeof(v));                       \
        pc += 4;                                                                                   \
        continue;                                                                                  \
    }

/* clang-format off */
uintptr_t interp_exec(TCGContext *s, void *env, const void *code)
{
    const TCGGuestMemConfig *mem = s->mem;
    const uint32_t *pc = code;
    uint64_t frame[INTERP_MAX_SLOTS];

    frame[0] = (uintptr_t)env;
    tcg_interp_retaddr = 0;
    for (;;) {
        uint32_t w0 = pc[0];

        switch (w0 & 0xff) {
        /* One line per op, expanded by the macros above. */
        UNARY(mov)
        UNARY(neg)
        UNARY(not)
        UNARY(ext8s)
        UNARY(ext8u)
        UNARY(ext16s)
        UNARY(ext16u)
        UNARY_T(ext32s, I64)
        UNARY_T(ext32u, I64)
        UNARY_T(ext_i32_i64, I64)
        UNARY_T(extu_i32_i64, I64)
        UNARY_T(extrl_i64_i32, I32)
        UNARY_T(extrh_i64_i32, I32)
        UNARY(bswap16)
        UNARY(bswap32)
        UNARY_T(bswap64, I64)
        UNARY(ctpop)

        BINARY(add)
        BINARY(sub)
        BINARY(mul)
        BINARY(and)
        BINARY(or)
        BINARY(xor)
        BINARY(andc)
        BINARY(orc)
        BINARY(eqv)
        BINARY(nand)
        BINARY(nor)
        BINARY(shl)
        BINARY(shr)
        BINARY(sar)
        BINARY(rotl)
        BINARY(rotr)
        BINARY(clz)
        BINARY(ctz)
        DIVIDE(div)
        DIVIDE(divu)
        DIVIDE(rem)
        DIVIDE(remu)

        DOUBLE(mulu2, 2)
        DOUBLE(muls2, 2)
        DOUBLE(add2, 4)
        DOUBLE(sub2, 4)

        COND_T(I32)
        COND_T(I64)
        FIELD_T(I32)
        FIELD_T(I64)

        HOST_LD_T(ld8u, I32, uint8_t)
        HOST_LD_T(ld8s, I32, int8_t)
        HOST_LD_T(ld16u, I32, uint16_t)
        HOST_LD_T(ld16s, I32, int16_t)
        HOST_LD_T(ld, I32, uint32_t)
        HOST_LD_T(ld8u, I64, uint8_t)
        HOST_LD_T(ld8s, I64, int8_t)
        HOST_LD_T(ld16u, I64, uint16_t)
        HOST_LD_T(ld16s, I64, int16_t)
        HOST_LD_T(ld32u, I64, uint32_t)
        HOST_LD_T(ld32s, I64, int32_t)
        HOST_LD_T(ld, I64, uint64_t)
        HOST_ST_T(st8, I32, uint8_t)
        HOST_ST_T(st16, I32, uint16_t)
        HOST_ST_T(st, I32, uint32_t)
        HOST_ST_T(st8, I64, uint8_t)
        HOST_ST_T(st16, I64, uint16_t)
        HOST_ST_T(st32, I64, uint32_t)
        HOST_ST_T(st, I64, uint64_t)

        case KEY(qemu_ld, I32):
        case KEY(qemu_ld, I64):
            WR(1, interp_qemu_ld(mem, interp_env(frame), RD(2), pc[3], pc));
            pc += 4;
            continue;
        case KEY(qemu_st, I32):
        case KEY(qemu_st, I64):
            interp_qemu_st(mem, interp_env(frame), RD(2), RD(1), pc[3], pc);
            pc += 4;
            continue;

        case KEY(call, I64):
            pc = interp_call(pc, frame);
            continue;
        case KEY(mb, I64):
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            pc += 1;
            continue;
        case KEY(br, I64):
            pc = (const uint32_t *)((const uint8_t *)pc + (int32_t)pc[1]);
            continue;

        case KEY(exit_tb, I64): {
            uint64_t v;

            memcpy(&v, pc + 1, sizeof(v));
            return (uintptr_t)v;
        }
        case KEY(goto_tb, I64): {
            const uint32_t *slot = pc + 1 + (AUX & 1);
            uintptr_t target = __atomic_load_n((const uintptr_t *)slot, __ATOMIC_ACQUIRE);

            pc = target ? (const uint32_t *)target : slot + 2;
            continue;
        }
        case KEY(goto_ptr, I64): {
            uintptr_t target = (uintptr_t)RD(1);

            if (!target) {
                return 0;
            }
            pc = (const uint32_t *)target;
            continue;
        }
        default:
            /* Not produced by the encoder. */
            assert(false);
            return 0;
        }
    }
}
/* clang-format on */
