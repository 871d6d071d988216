"""The self-checking RISC-V ISA programs (tests/guest/riscv64/isa/), one per
extension, run as Linux user-mode programs: under Debian's qemu-riscv64, the
oracle that the expected values (taken from the specifications) are held
against, and under morph-riscv64 when it is built.  Each program prints
PASS/FAIL per check and exits with the number of failures."""
import re
import unittest

import morphtest

PROGRAMS = [
    "rvi", "rvm", "rva", "rvf", "rvd", "rvc", "zba", "zbb", "zbc", "zbs", "zicond",
    "traps",    # illegal/reserved encodings, breakpoints, misaligned AMOs, as signals
]

# Where the oracle disagrees with the specification, the check stays (morph
# must pass it) and the oracle run tolerates exactly these failures.
ORACLE_DEVIATIONS = {
    # Zbb 1.0.0: ctzw of a zero low word is 32; QEMU 7.2 counts into the
    # upper word.
    "zbb": {"ctzw_ignores_high"},
}
# Extensions the oracle does not implement at all (the program dies of SIGILL).
ORACLE_MISSING = {
    "zicond": "QEMU 7.2 has no Zicond",
}

SIGILL = 4


class IsaUserMode(morphtest.MorphTestCase):
    def run_isa(self, emulator, name):
        prog = morphtest.guest_program("riscv64", "isa-" + name)
        p = self.run_cmd([emulator, prog], timeout=120)
        fails = set(re.findall(r"^FAIL (\S+)", p.stdout, re.M))
        passes = re.findall(r"^PASS (\S+)", p.stdout, re.M)
        m = re.search(r"^(\d+) checks$", p.stdout, re.M)
        return p, fails, passes, m

    def check(self, emulator, name, tolerated=frozenset()):
        p, fails, passes, summary = self.run_isa(emulator, name)
        detail = f"{emulator} isa-{name}: exit {p.returncode}\n{p.stdout[-3000:]}{p.stderr[-1000:]}"
        self.assertIsNotNone(summary, "no summary line: " + detail)
        self.assertEqual(int(summary.group(1)), len(passes) + len(fails), detail)
        self.assertGreater(len(passes), 5, detail)
        self.assertEqual(fails - tolerated, set(), detail)
        self.assertEqual(p.returncode, len(fails), detail)


def _make(name):
    def test_qemu(self):
        qemu = morphtest.tool("qemu-riscv64")
        if name in ORACLE_MISSING:
            p = self.run_cmd([qemu, morphtest.guest_program("riscv64", "isa-" + name)],
                             timeout=60)
            if p.returncode in (-SIGILL, 128 + SIGILL):
                self.skipTest(ORACLE_MISSING[name])
        self.check(qemu, name, frozenset(ORACLE_DEVIATIONS.get(name, ())))

    def test_morph(self):
        self.check(morphtest.binary("morph-riscv64"), name)

    return test_qemu, test_morph


for _name in PROGRAMS:
    _q, _m = _make(_name)
    setattr(IsaUserMode, f"test_{_name}_qemu", _q)
    setattr(IsaUserMode, f"test_{_name}_morph", _m)


if __name__ == "__main__":
    unittest.main()
