/*
 * Guest memory access (qemu_ld / qemu_st) for the x86-64 backend.  The
 * contract is TCGGuestMemConfig in include/tcg/tcg.h.
 *
 * Softmmu: the TLB lookup is inline.  With T0 = r11 and T1 = a scratch
 * register from the allocator:
 *     T0 = ((addr >> (page_bits - entry_bits)) & mask) + table   entry address
 *     T1 = (addr + s - a) & (page_mask | a)      page of the last byte, or
 *                                                misaligned bits kept
 *     cmp T1, entry->addr_read / addr_write;  jne slow
 *     access [entry->addend + addr]
 * The slow path is a stub placed after the TB body: it saves the
 * caller-saved registers that hold live temps, calls slow_ld / slow_st
 * with the address just after the fast path as retaddr (inside the guest
 * instruction's host code, so a fault restores that instruction), puts the
 * loaded value in place and jumps back.  The allocator therefore treats
 * these ops as not clobbering anything; it only stores the globals first,
 * since a fault reads the guest state from env.
 *
 * User mode: host = guest_base + addr, with guest_base as a 32-bit
 * displacement when it fits, else in r15 (loaded by the prologue).  A
 * MO_ALIGN access tests the low address bits and takes the same kind of
 * stub when they are not zero.
 */
#include "x64-internal.h"

/* The value just loaded into `reg` (size bytes, host order) extended as the op asks. */
static void x64mem_extend(X64Emit *e, MemOp mop, bool w, X64Reg dst, X64Reg src)
{
    int size = mop & MO_SIZE;

    if (size == 3) {
        if (dst != src) {
            x64_mov_rr(e, true, dst, src);
        }
    } else if (mop & MO_SIGN) {
        x64_movsx(e, size, w, dst, src);
    } else {
        x64_movzx(e, size, dst, src);
    }
}

static void x64mem_load(X64Gen *g, MemOp mop, bool w, X64Reg out, X64Reg base, X64Reg index,
                        int32_t disp)
{
    X64Emit *e = &g->e;
    int size = mop & MO_SIZE;
    bool sign = (mop & MO_SIGN) != 0;

    if (!(mop & MO_BSWAP) || size == 0) {
        x64_load_idx(e, size, sign, w, out, base, index, disp);
        return;
    }
    if (g->s->have_movbe) {
        x64_movbe_load(e, size, out, base, index, disp);
        if (size == 1) {
            x64mem_extend(e, mop, w, out, out);
        } else if (size == 2 && sign && w) {
            x64_movsx(e, 2, true, out, out);
        }
        return;
    }
    switch (size) {
    case 1:
        x64_load_idx(e, 1, false, false, out, base, index, disp);
        x64_rot16_ri(e, X64_SH_ROL, out, 8);
        if (sign) {
            x64_movsx(e, 1, w, out, out);
        }
        break;
    case 2:
        x64_load_idx(e, 2, false, false, out, base, index, disp);
        x64_bswap(e, false, out);
        if (sign && w) {
            x64_movsx(e, 2, true, out, out);
        }
        break;
    default:
        x64_load_idx(e, 3, false, true, out, base, index, disp);
        x64_bswap(e, true, out);
        break;
    }
}

static void x64mem_store(X64Gen *g, MemOp mop, X64Reg val, X64Reg tmp, X64Reg base, X64Reg index,
                         int32_t disp)
{
    X64Emit *e = &g->e;
    int size = mop & MO_SIZE;

    if (!(mop & MO_BSWAP) || size == 0) {
        x64_store_idx(e, size, val, base, index, disp);
        return;
    }
    if (g->s->have_movbe) {
        x64_movbe_store(e, size, val, base, index, disp);
        return;
    }
    /* Swap a copy: the value's register may still be live. */
    x64_mov_rr(e, size == 3, tmp, val);
    if (size == 1) {
        x64_rot16_ri(e, X64_SH_ROL, tmp, 8);
    } else {
        x64_bswap(e, size == 3, tmp);
    }
    x64_store_idx(e, size, tmp, base, index, disp);
}

void x64mem_emit(X64Gen *g, const TCGOp *op, const X64Args *a)
{
    const TCGGuestMemConfig *mem = g->s->mem;
    X64Emit *e = &g->e;
    bool is_ld = op->opc == INDEX_op_qemu_ld;
    MemOpIdx oi = (MemOpIdx)op->args[2];
    MemOp mop = get_memop(oi);
    bool w = x64_is_w(op->type);
    X64Reg data = a->reg[0], addr = a->reg[1], t1 = a->scratch[0];
    X64Reg base = addr, index = X64_NOREG;
    int32_t disp = 0;
    unsigned s_bits = mop & MO_SIZE, a_bits = memop_alignment_bits(mop);
    int64_t a_mask = (1 << a_bits) - 1, s_mask = (1 << s_bits) - 1;
    uint8_t *jcc = NULL;

    if (mem && mem->softmmu) {
        int32_t fast = (int32_t)(mem->tlb_fast_offset + get_mmuidx(oi) * mem->tlb_fast_stride);
        int32_t cmp = is_ld ? mem->tlb_addr_read_offset : mem->tlb_addr_write_offset;

        x64_mov_rr(e, true, X64_REG_TMP, addr);
        x64_shift_ri(e, true, X64_SH_SHR, X64_REG_TMP, mem->page_bits - mem->tlb_entry_bits);
        x64_alu_rm(e, true, X64_ALU_AND, X64_REG_TMP, X64_REG_ENV, fast);
        x64_alu_rm(e, true, X64_ALU_ADD, X64_REG_TMP, X64_REG_ENV, fast + 8);
        if (s_mask > a_mask) {
            /* Unaligned allowed: check the page of the last byte. */
            x64_lea(e, true, t1, addr, X64_NOREG, 0, (int32_t)(s_mask - a_mask));
        } else {
            x64_mov_rr(e, true, t1, addr);
        }
        x64_alu_ri(e, true, X64_ALU_AND, t1, (int64_t)(~((1ull << mem->page_bits) - 1)) | a_mask);
        x64_alu_rm(e, true, X64_ALU_CMP, t1, X64_REG_TMP, cmp);
        jcc = x64_jcc32(e, X64_CC_NE, NULL);
        x64_load(e, 3, false, true, X64_REG_TMP, X64_REG_TMP, mem->tlb_addend_offset);
        base = X64_REG_TMP;
        index = addr;
    } else {
        uintptr_t gb = mem ? mem->guest_base : 0;

        if (a_bits && mem && (is_ld ? mem->slow_ld != NULL : mem->slow_st != NULL)) {
            x64_test_ri(e, true, addr, a_mask);
            jcc = x64_jcc32(e, X64_CC_NE, NULL);
        }
        if (gb && x64_fits_s32((int64_t)gb)) {
            disp = (int32_t)gb;
        } else if (gb) {
            base = X64_REG_GUEST_BASE;
            index = addr;
        }
    }

    if (is_ld) {
        x64mem_load(g, mop, w, data, base, index, disp);
    } else {
        x64mem_store(g, mop, data, t1, base, index, disp);
    }

    if (jcc) {
        X64SlowPath sp = {
            .jcc_at = jcc,
            .resume = e->ptr,
            .is_ld = is_ld,
            .type = op->type,
            .oi = oi,
            .addr = addr,
            .data = data,
            .save = x64ra_live_caller_saved(g) & ~(is_ld ? X64_BIT(data) : 0),
        };

        g_array_append_val(g->slow, sp);
    }
}

static void x64mem_call(X64Emit *e, const void *fn)
{
    intptr_t rel = (intptr_t)fn - (intptr_t)(e->ptr + 5);

    if (x64_fits_s32(rel)) {
        x64_call32(e, fn);
    } else {
        x64_movi(e, true, X64_REG_TMP, (int64_t)(uintptr_t)fn);
        x64_call_reg(e, X64_REG_TMP);
    }
}

bool x64mem_emit_stubs(X64Gen *g)
{
    const TCGGuestMemConfig *mem = g->s->mem;
    X64Emit *e = &g->e;

    for (unsigned i = 0; i < g->slow->len; i++) {
        X64SlowPath *sp = &g_array_index(g->slow, X64SlowPath, i);
        MemOp mop = get_memop(sp->oi);

        x64_patch32(e, sp->jcc_at, (uint32_t)(e->ptr - (sp->jcc_at + 4)));
        for (int r = 0; r < X64_NB_REGS; r++) {
            if (sp->save & X64_BIT(r)) {
                x64_store(e, 3, r, X64_RSP, X64_SAVE_AREA_OFS + 8 * r);
            }
        }
        /* rsi = addr and (stores) rdx = value, whatever registers they are in. */
        if (sp->is_ld || sp->data != X64_RSI) {
            if (sp->addr != X64_RSI) {
                x64_mov_rr(e, true, X64_RSI, sp->addr);
            }
            if (!sp->is_ld && sp->data != X64_RDX) {
                x64_mov_rr(e, true, X64_RDX, sp->data);
            }
        } else if (sp->addr == X64_RDX) {
            x64_xchg(e, true, X64_RSI, X64_RDX);
        } else {
            x64_mov_rr(e, true, X64_RDX, X64_RSI);
            x64_mov_rr(e, true, X64_RSI, sp->addr);
        }
        x64_mov_rr(e, true, X64_RDI, X64_REG_ENV);
        if (sp->is_ld) {
            x64_movi(e, false, X64_RDX, sp->oi);
            x64_lea_rip(e, X64_RCX, sp->resume);
            x64mem_call(e, (const void *)mem->slow_ld);
            x64mem_extend(e, mop, x64_is_w(sp->type), sp->data, X64_RAX);
        } else {
            x64_movi(e, false, X64_RCX, sp->oi);
            x64_lea_rip(e, X64_R8, sp->resume);
            x64mem_call(e, (const void *)mem->slow_st);
        }
        for (int r = 0; r < X64_NB_REGS; r++) {
            if (sp->save & X64_BIT(r)) {
                x64_load(e, 3, false, true, r, X64_RSP, X64_SAVE_AREA_OFS + 8 * r);
            }
        }
        x64_jmp32(e, sp->resume);
        if (x64_emit_overflowed(e)) {
            return false;
        }
    }
    return true;
}
