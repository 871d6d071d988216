/*
 * Zicond: integer conditional operations (Zicond 1.0.0).
 *     czero.eqz rd, rs1, rs2: rd = (rs2 == 0) ? 0 : rs1
 *     czero.nez rd, rs1, rs2: rd = (rs2 != 0) ? 0 : rs1
 * Written with .insn (funct7 0000111, funct3 101/111, opcode OP) because
 * older assemblers do not know the mnemonics.
 */
#include "isa-test.h"

#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2

TEST_START
    li a0, 0x1234
    li a1, 0
    li a2, -1
    CZERO_EQZ(a3, a0, a1)
    CHECK czero_eqz_zero, a3, 0
    CZERO_EQZ(a3, a0, a2)
    CHECK czero_eqz_nonzero, a3, 0x1234
    CZERO_NEZ(a3, a0, a1)
    CHECK czero_nez_zero, a3, 0x1234
    CZERO_NEZ(a3, a0, a2)
    CHECK czero_nez_nonzero, a3, 0
    li a2, 0x8000000000000000
    CZERO_NEZ(a3, a0, a2)
    CHECK czero_nez_top_bit, a3, 0
    CZERO_EQZ(a3, a0, zero)
    CHECK czero_eqz_x0, a3, 0
    CZERO_NEZ(a3, a0, zero)
    CHECK czero_nez_x0, a3, 0x1234
    /* rd = rs1 = rs2 */
    li a3, 7
    CZERO_EQZ(a3, a3, a3)
    CHECK czero_eqz_same_reg, a3, 7
    /* the usual select: a4 = cond ? a0 : a1 */
    li a0, 11
    li a1, 22
    li a5, 1
    CZERO_EQZ(t0, a0, a5)
    CZERO_NEZ(t1, a1, a5)
    or a4, t0, t1
    CHECK select_true, a4, 11
    li a5, 0
    CZERO_EQZ(t0, a0, a5)
    CZERO_NEZ(t1, a1, a5)
    or a4, t0, t1
    CHECK select_false, a4, 22
TEST_END
