/*
 * interp: a small register bytecode machine run twice over the same
 * program, once dispatched by a switch (a bounds check and a jump table)
 * and once by computed goto (one indirect jump per bytecode, GCC's
 * labels-as-values): the indirect-jump-heavy loop of every interpreter.
 * Both runs must end in the same state.
 *
 * usage: interp [loop iterations per dispatcher]
 */
#include <string.h>

#include "bench.h"

enum { LI, ADD, ADDI, SUB, MUL, XOR, SHRI, ANDI, LD, ST, BNZ, HALT, NOPS };

typedef struct Insn {
    uint8_t op, a, b, c;
    int32_t imm;
} Insn;

typedef struct Vm {
    uint64_t r[8];
    uint64_t mem[256];
} Vm;

/* r0 counts down; r1 is an LCG, r2 the result, mem a table of sums. */
static const Insn program[] = {
    {LI, 7, 0, 0, 0x5851f42d}, /* r7 = multiplier */
    {LI, 1, 0, 0, 12345},
    {LI, 2, 0, 0, 0},
    /* 3: loop */
    {MUL, 3, 1, 7, 0},
    {ADD, 1, 3, 0, 0},
    {SHRI, 4, 1, 0, 33},
    {ANDI, 5, 4, 0, 255},
    {LD, 6, 5, 0, 0},
    {ADD, 6, 6, 4, 0},
    {ST, 6, 5, 0, 0},
    {XOR, 2, 2, 6, 0},
    {ANDI, 3, 4, 0, 1},
    {BNZ, 3, 0, 0, 14},
    {SUB, 2, 2, 1, 0},
    /* 14: skip */
    {ADDI, 0, 0, 0, -1},
    {BNZ, 0, 0, 0, 3},
    {HALT, 0, 0, 0, 0},
};

static void run_switch(Vm *vm, const Insn *code)
{
    const Insn *pc = code;
    uint64_t *r = vm->r;

    for (;;) {
        const Insn *i = pc++;

        switch (i->op) {
        case LI:
            r[i->a] = (uint64_t)(int64_t)i->imm;
            break;
        case ADD:
            r[i->a] = r[i->b] + r[i->c];
            break;
        case ADDI:
            r[i->a] = r[i->b] + (uint64_t)(int64_t)i->imm;
            break;
        case SUB:
            r[i->a] = r[i->b] - r[i->c];
            break;
        case MUL:
            r[i->a] = r[i->b] * r[i->c];
            break;
        case XOR:
            r[i->a] = r[i->b] ^ r[i->c];
            break;
        case SHRI:
            r[i->a] = r[i->b] >> (i->imm & 63);
            break;
        case ANDI:
            r[i->a] = r[i->b] & (uint64_t)(int64_t)i->imm;
            break;
        case LD:
            r[i->a] = vm->mem[r[i->b] & 255];
            break;
        case ST:
            vm->mem[r[i->b] & 255] = r[i->a];
            break;
        case BNZ:
            if (r[i->a]) {
                pc = code + i->imm;
            }
            break;
        case HALT:
            return;
        }
    }
}

static void run_goto(Vm *vm, const Insn *code)
{
    static void *const labels[NOPS] = {&&op_li,  &&op_add, &&op_addi, &&op_sub,
                                       &&op_mul, &&op_xor, &&op_shri, &&op_andi,
                                       &&op_ld,  &&op_st,  &&op_bnz,  &&op_halt};
    const Insn *pc = code, *i;
    uint64_t *r = vm->r;

#define NEXT                                                                                       \
    do {                                                                                           \
        i = pc++;                                                                                  \
        goto *labels[i->op];                                                                       \
    } while (0)

    NEXT;
op_li:
    r[i->a] = (uint64_t)(int64_t)i->imm;
    NEXT;
op_add:
    r[i->a] = r[i->b] + r[i->c];
    NEXT;
op_addi:
    r[i->a] = r[i->b] + (uint64_t)(int64_t)i->imm;
    NEXT;
op_sub:
    r[i->a] = r[i->b] - r[i->c];
    NEXT;
op_mul:
    r[i->a] = r[i->b] * r[i->c];
    NEXT;
op_xor:
    r[i->a] = r[i->b] ^ r[i->c];
    NEXT;
op_shri:
    r[i->a] = r[i->b] >> (i->imm & 63);
    NEXT;
op_andi:
    r[i->a] = r[i->b] & (uint64_t)(int64_t)i->imm;
    NEXT;
op_ld:
    r[i->a] = vm->mem[r[i->b] & 255];
    NEXT;
op_st:
    vm->mem[r[i->b] & 255] = r[i->a];
    NEXT;
op_bnz:
    if (r[i->a]) {
        pc = code + i->imm;
    }
    NEXT;
op_halt:
    return;
#undef NEXT
}

static uint64_t vm_sum(const Vm *vm)
{
    uint64_t h = 0;

    for (int i = 0; i < 8; i++) {
        h = bench_mix(h, vm->r[i]);
    }
    for (int i = 0; i < 256; i++) {
        h = bench_mix(h, vm->mem[i]);
    }
    return h;
}

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 20000000);
    Vm vs, vg;

    memset(&vs, 0, sizeof(vs));
    vs.r[0] = n;
    vg = vs;
    run_switch(&vs, program);
    run_goto(&vg, program);
    if (vm_sum(&vs) != vm_sum(&vg)) {
        printf("interp n=%" PRIu64 " WRONG: switch and goto dispatch disagree\n", n);
        return 1;
    }
    printf("interp n=%" PRIu64 " r2=%016" PRIx64 " checksum=%016" PRIx64 "\n", n, vs.r[2],
           vm_sum(&vs));
    return 0;
}
