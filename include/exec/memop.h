/*
 * MemOp: how a guest memory access is done (size, sign extension, byte
 * order, alignment), and MemOpIdx, a MemOp packed with the MMU index the
 * access uses.  Shared by targets (which emit accesses), tcg/ (which encodes
 * them into the IR and the fast path) and accel/tcg (the slow path).
 */
#ifndef MORPH_EXEC_MEMOP_H
#define MORPH_EXEC_MEMOP_H

#include <stdbool.h>
#include <stdint.h>

typedef enum MemOp {
    MO_8 = 0,
    MO_16 = 1,
    MO_32 = 2,
    MO_64 = 3,
    MO_128 = 4,
    MO_SIZE = 7,

    MO_SIGN = 8,            /* sign-extend the loaded value */

    MO_BSWAP = 16,          /* the access is in the other byte order than the host's */
    MO_LE = 0,              /* the host (x86-64) is little-endian */
    MO_BE = MO_BSWAP,

    /*
     * Alignment: MO_UNALN allows any address; MO_ALIGN requires natural
     * alignment and raises the target's alignment fault otherwise.
     */
    MO_ASHIFT = 5,
    MO_AMASK = 7 << MO_ASHIFT,
    MO_UNALN = 0,
    MO_ALIGN = 1 << MO_ASHIFT,

    /* Convenience names. */
    MO_UB = MO_8,
    MO_UW = MO_16,
    MO_UL = MO_32,
    MO_UQ = MO_64,
    MO_SB = MO_SIGN | MO_8,
    MO_SW = MO_SIGN | MO_16,
    MO_SL = MO_SIGN | MO_32,
    MO_SQ = MO_SIGN | MO_64,
    MO_LEUW = MO_LE | MO_UW,
    MO_LEUL = MO_LE | MO_UL,
    MO_LEUQ = MO_LE | MO_UQ,
    MO_LESW = MO_LE | MO_SW,
    MO_LESL = MO_LE | MO_SL,
    MO_BEUW = MO_BE | MO_UW,
    MO_BEUL = MO_BE | MO_UL,
    MO_BEUQ = MO_BE | MO_UQ,
} MemOp;

static inline unsigned memop_size(MemOp op)
{
    return 1u << (op & MO_SIZE);
}

static inline unsigned memop_alignment_bits(MemOp op)
{
    return (op & MO_AMASK) == MO_ALIGN ? (op & MO_SIZE) : 0;
}

/* MemOp in the low 8 bits, MMU index above. */
typedef uint32_t MemOpIdx;

static inline MemOpIdx make_memop_idx(MemOp op, unsigned mmu_idx)
{
    return (MemOpIdx)op | (mmu_idx << 8);
}

static inline MemOp get_memop(MemOpIdx oi)
{
    return (MemOp)(oi & 0xff);
}

static inline unsigned get_mmuidx(MemOpIdx oi)
{
    return oi >> 8;
}

#endif
