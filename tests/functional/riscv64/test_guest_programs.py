"""Guest programs built from tests/guest/riscv64 run under Debian's
qemu-riscv64, the oracle morph's user mode is held against: this checks the
cross-build pipeline and pins the expected output."""
import os
import unittest

import morphtest

# The same source built natively for x86-64 prints this value.
EXPECTED_MIX = "mix=0x1199b6146a66ffc7"


class GuestProgramsUnderQemu(morphtest.MorphTestCase):
    def run_guest(self, name, *args):
        prog = morphtest.guest_program("riscv64", name)
        qemu = morphtest.tool("qemu-riscv64")
        cmd = [qemu]
        if name.endswith("dynamic"):
            sysroot = "/usr/riscv64-linux-gnu"
            if not os.path.isdir(sysroot):
                self.skipTest("riscv64 sysroot /usr/riscv64-linux-gnu is not installed")
            cmd += ["-L", sysroot]
        return self.run_cmd(cmd + [prog] + list(args), timeout=60)

    def test_static(self):
        p = self.run_guest("hello-static", "a", "bc")
        self.assertEqual(p.returncode, 3)
        self.assertIn("hello from riscv64: argc=3", p.stdout)
        self.assertIn("argv[2]=bc len=2", p.stdout)
        self.assertIn(EXPECTED_MIX, p.stdout)

    def test_dynamic_matches_static(self):
        s = self.run_guest("hello-static")
        d = self.run_guest("hello-dynamic")
        self.assertEqual(s.returncode, 0)
        self.assertEqual(d.returncode, 0)
        self.assertEqual(s.stdout, d.stdout)


if __name__ == "__main__":
    unittest.main()
