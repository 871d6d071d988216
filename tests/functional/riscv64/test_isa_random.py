"""Differential test of the RISC-V translator: random straight-line
programs (integer ALU, M, Zba/Zbb/Zbc/Zbs; and F/D arithmetic, fused
multiply-add, conversions, comparisons, with every rounding mode, special
operands and improperly NaN-boxed singles) are assembled with the Debian
cross toolchain, run under qemu-riscv64 (the oracle) and morph-riscv64 (with
each TCG backend), and must leave the same registers and fflags.  The seeds
are fixed, so a failure reproduces; the failing program is kept."""
import os
import random
import shutil
import subprocess
import tempfile
import unittest

import morphtest

SEEDS = range(1, 13)
LENGTH = 300

INT_RR = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw",
          "sllw", "srlw", "sraw", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
          "mulw", "divw", "divuw", "remw", "remuw", "sh1add", "sh2add", "sh3add", "add.uw",
          "sh1add.uw", "sh2add.uw", "sh3add.uw", "andn", "orn", "xnor", "max", "maxu", "min",
          "minu", "rol", "ror", "rolw", "rorw", "clmul", "clmulh", "clmulr", "bclr", "bext",
          "binv", "bset"]
# ctzw is left out: QEMU 7.2 gets a zero low word wrong (isa/zbb.S checks it).
INT_R = ["clz", "ctz", "cpop", "clzw", "cpopw", "sext.b", "sext.h", "zext.h", "orc.b", "rev8"]
INT_RI = [("addi", -2048, 2047), ("slti", -2048, 2047), ("sltiu", -2048, 2047),
          ("xori", -2048, 2047), ("ori", -2048, 2047), ("andi", -2048, 2047), ("slli", 0, 63),
          ("srli", 0, 63), ("srai", 0, 63), ("addiw", -2048, 2047), ("slliw", 0, 31),
          ("srliw", 0, 31), ("sraiw", 0, 31), ("slli.uw", 0, 63), ("rori", 0, 63),
          ("roriw", 0, 31), ("bclri", 0, 63), ("bexti", 0, 63), ("binvi", 0, 63),
          ("bseti", 0, 63)]
RMS = ["rne", "rtz", "rdn", "rup", "rmm", "dyn"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def ival(self):
        r = self.r
        c = r.random()
        if c < 0.3:
            return r.getrandbits(64)
        if c < 0.5:
            return r.choice([0, 1, 2**64 - 1, 2**63, 2**63 - 1, 2**31, 2**31 - 1, 0xffffffff])
        return r.getrandbits(r.randint(1, 40))

    def fval(self, double):
        r = self.r
        c = r.random()
        if double:
            special = [0, 2**63, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
                       0x7ff0000000000001, 1, 0x000fffffffffffff, 0x0010000000000000,
                       0x3ff0000000000000, 0x7fefffffffffffff]
            if c < 0.25:
                return r.choice(special)
            if c < 0.6:
                return (r.getrandbits(1) << 63) | (r.randint(1000, 1050) << 52) | r.getrandbits(52)
            if c < 0.7:
                return (r.getrandbits(1) << 63) | (r.randint(0, 3) << 52) | r.getrandbits(52)
            return r.getrandbits(64)
        special = [0, 2**31, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 1, 0x007fffff,
                   0x00800000, 0x3f800000, 0x7f7fffff]
        if c < 0.25:
            v = r.choice(special)
        elif c < 0.6:
            v = (r.getrandbits(1) << 31) | (r.randint(110, 140) << 23) | r.getrandbits(23)
        elif c < 0.7:
            v = (r.getrandbits(1) << 31) | (r.randint(0, 3) << 23) | r.getrandbits(23)
        else:
            v = r.getrandbits(32)
        # A few singles are not NaN-boxed: they must read as the canonical NaN.
        return v if r.random() < 0.03 else 0xffffffff00000000 | v

    def integer(self):
        r = self.r
        regs = [f"x{i}" for i in range(5, 32) if i != 8]
        out = [f"li {x}, {self.ival()}" for x in regs]
        for _ in range(LENGTH):
            c = r.random()
            d, a, b = r.choice(regs), r.choice(regs), r.choice(regs)
            if c < 0.6:
                out.append(f"{r.choice(INT_RR)} {d}, {a}, {b}")
            elif c < 0.75:
                out.append(f"{r.choice(INT_R)} {d}, {a}")
            else:
                op, lo, hi = r.choice(INT_RI)
                out.append(f"{op} {d}, {a}, {r.randint(lo, hi)}")
        out += [f"sd {x}, {8 * i}(s0)" for i, x in enumerate(regs)]
        return out, 8 * len(regs)

    def fp(self):
        r = self.r
        out = []
        for i in range(32):
            out += [f"li t0, {self.fval(r.random() < 0.5)}", f"fmv.d.x f{i}, t0"]
        for _ in range(LENGTH):
            if r.random() < 0.1:
                out.append(f"fsrmi {r.randint(0, 4)}")
            d, a, b, c = (f"f{r.randrange(32)}" for _ in range(4))
            p, rm, k = r.choice("sd"), r.choice(RMS), r.random()
            if k < 0.35:
                op = r.choice(["fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fsgnj", "fsgnjn",
                               "fsgnjx"])
                rounding = f", {rm}" if op in ("fadd", "fsub", "fmul", "fdiv") else ""
                out.append(f"{op}.{p} {d}, {a}, {b}{rounding}")
            elif k < 0.5:
                op = r.choice(["fmadd", "fmsub", "fnmadd", "fnmsub"])
                out.append(f"{op}.{p} {d}, {a}, {b}, {c}, {rm}")
            elif k < 0.55:
                out.append(f"fsqrt.{p} {d}, {a}, {rm}")
            elif k < 0.65:
                x = r.choice(["t1", "t2", "a0", "a1"])
                src = r.choice(["w", "wu", "l", "lu"])
                out.append(f"fcvt.{r.choice(['w', 'wu', 'l', 'lu'])}.{p} {x}, {a}, {rm}")
                exact = p == "d" and src in ("w", "wu")
                out.append(f"fcvt.{p}.{src} {d}, {x}" + ("" if exact else f", {rm}"))
            elif k < 0.75:
                out += [f"{r.choice(['feq', 'flt', 'fle'])}.{p} t1, {a}, {b}",
                        f"fclass.{p} t2, {b}", "add t1, t1, t2", f"fcvt.d.l {d}, t1"]
            elif k < 0.85:
                out.append(f"fcvt.s.d {d}, {a}, {rm}" if p == "s" else f"fcvt.d.s {d}, {a}")
            else:
                out += [f"li t1, {self.ival()}", f"fcvt.{p}.l {d}, t1, {rm}"]
            if r.random() < 0.2:
                # Fold the flags of the last few instructions into t6.
                out += ["frflags t3", "slli t6, t6, 5", "xor t6, t6, t3", "csrwi fflags, 0"]
        out += [f"fsd f{i}, {8 * i}(s0)" for i in range(32)]
        out += ["frflags t3", "sd t3, 256(s0)", "sd t6, 264(s0)"]
        return out, 272


def program(kind, seed):
    body, size = getattr(Gen(seed), kind)()
    return "\n".join([".text", ".globl _start", "_start:", "la s0, dump"] + body +
                     ["li a0, 1", "mv a1, s0", f"li a2, {size}", "li a7, 64", "ecall",
                      "li a0, 0", "li a7, 93", "ecall",
                      ".data", ".balign 8", "dump:", f".space {size}"]) + "\n"


class RandomDifferential(morphtest.MorphTestCase):
    def setUp(self):
        super().setUp()
        self.qemu = morphtest.tool("qemu-riscv64")
        self.gcc = morphtest.tool("riscv64-linux-gnu-gcc")
        self.morph = morphtest.binary("morph-riscv64")
        self.tmp = tempfile.mkdtemp(prefix="morph-isa-random-")

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_kind(self, kind):
        failures = []
        for seed in SEEDS:
            src = os.path.join(self.tmp, f"{kind}-{seed}.S")
            exe = src[:-2]
            with open(src, "w") as f:
                f.write(program(kind, seed))
            self.run_cmd([self.gcc, "-nostdlib", "-static", "-march=rv64gc_zba_zbb_zbc_zbs",
                          "-o", exe, src], check_rc=0)
            want = subprocess.run([self.qemu, exe], stdout=subprocess.PIPE, timeout=60).stdout
            for backend in ("x86_64", "interp"):
                got = subprocess.run([self.morph, "-accel", f"tcg,backend={backend}", exe],
                                     stdout=subprocess.PIPE, timeout=60).stdout
                if got != want:
                    keep = morphtest.build_path("tests", "functional-logs",
                                                f"isa-random-{kind}-{seed}.S")
                    os.makedirs(os.path.dirname(keep), exist_ok=True)
                    shutil.copy(src, keep)
                    failures.append(f"seed {seed} ({backend}): program kept in {keep}")
        self.assertEqual(failures, [])

    def test_integer(self):
        self.run_kind("integer")

    def test_fp(self):
        self.run_kind("fp")


if __name__ == "__main__":
    unittest.main()
