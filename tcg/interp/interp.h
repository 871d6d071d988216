/*
 * The interpreter backend's bytecode, shared by its encoder (interp-gen.c)
 * and its interpreter (interp-exec.c).
 *
 * A TB is a sequence of 32-bit words placed in the code buffer like host
 * code: one instruction per remaining IR op (insn_start, set_label and
 * discard leave no trace but offsets), then an 8-aligned pool of 64-bit
 * constants.  An instruction is a header word, key = opcode * 2 + type in
 * bits 0-7 and a small op-specific field (condition, bit-field position and
 * length, call shape) in bits 8-31, followed by one operand word per output
 * then per input, then the op's extra words:
 *     brcond, br    int32 byte offset of the target from the header word
 *     ld*, st*      int32 offset from the base
 *     qemu_ld/st    MemOpIdx
 *     call          typemask, then the function pointer (2 words)
 *     exit_tb       the 64-bit value (2 words)
 *     goto_tb       an optional pad word, then the 8-aligned pointer-sized
 *                   jump slot (0: fall through to the next instruction)
 * An operand word says where a value lives: a frame slot (the interpreter's
 * per-call array of temp values; slot 0 holds env), a global (an i64 or i32
 * field at a signed offset from env), or a constant (a 29-bit immediate, or
 * a pool entry at a byte offset from the operand word itself, so that
 * constants need no TB base pointer after a chained jump).
 */
#ifndef MORPH_TCG_INTERP_INTERP_H
#define MORPH_TCG_INTERP_INTERP_H

#include <stdint.h>
#include "tcg/tcg.h"

#define INTERP_KEY(opc, type) (((unsigned)(opc) << 1) | (unsigned)(type))
_Static_assert(NB_OPS * 2 <= 256, "the interpreter's opcode key is 8 bits");

/* Frame slots per call of the interpreter (slot 0 is env). */
#define INTERP_MAX_SLOTS 1024

/* Operand words: kind in bits 30-31. */
enum {
    INTERP_OPND_SLOT = 0,  /* bits 0-29: frame slot */
    INTERP_OPND_G64 = 1,   /* bits 0-29: signed env offset of an i64 global */
    INTERP_OPND_G32 = 2,   /* bits 0-29: signed env offset of an i32 global */
    INTERP_OPND_CONST = 3, /* see INTERP_CONST_POOL */
};
#define INTERP_OPND_SHIFT 30
/* In a constant operand: set = pool entry at bits 0-28 bytes ahead; clear = imm29. */
#define INTERP_CONST_POOL (1u << 29)
#define INTERP_IMM_BITS   29
#define INTERP_OFS_BITS   30

/* Call header field: bits 8-11 input count, bit 12 has a result. */
#define INTERP_CALL_NB_IN(w)   (((w) >> 8) & 0xf)
#define INTERP_CALL_HAS_OUT(w) (((w) >> 12) & 1)

uintptr_t interp_exec(TCGContext *s, void *env, const void *code);

#endif
