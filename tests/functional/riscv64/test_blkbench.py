"""The guest-side block benchmark (bench/block/guest.py) at a tiny size.

One boot per image format runs tests/guest/riscv64/blkbench in the assets'
Linux on morph-system-riscv64: four threads doing O_DIRECT sequential 1 MiB
and random 4 KiB reads and writes on /dev/vda through virtio-blk, several
requests in flight.  Every sector read must carry its tag and the read sums
must match the host's; every sector written must be in the image afterwards
(guest.py's own checks), so the benchmark cannot rot and a virtio-blk or
qcow2 change that misplaces or loses data under concurrent requests fails
here, in `make check`.  The program's error lines are checked under
morph-riscv64 (user mode), which is quick.
"""
import os
import shutil
import sys
import tempfile
import unittest

import morphtest

ARCH = "riscv64"
sys.path.insert(0, os.path.join(morphtest.SOURCE_DIR, "bench", "block"))
import guest  # noqa: E402  (bench/block/guest.py)

SPEC = "seq-read:1048576:0:8:4"


class BlkBench(morphtest.MorphTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="morph-blkbench-")

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check_format(self, fmt):
        morph = morphtest.binary("morph-system-riscv64")
        morphtest.tool("qemu-img")
        blkbench = morphtest.guest_program(ARCH, "blkbench")
        morphtest.asset(ARCH, "Image")
        if not os.path.isfile(guest.FW):
            self.skipTest(f"OpenSBI firmware {guest.FW} not installed")
        plan = guest.Plan(8, 8, 8, (16, 8, 256, 256))
        setup = guest.Setup(plan, self.tmp, os.path.dirname(morphtest.asset(ARCH, "Image")),
                            blkbench)
        res, problem, log = setup.run_once(morph, fmt, "disk")
        self.assertIsNone(problem, f"{fmt}: {problem}; console:\n{log[-3000:]}")
        self.assertEqual(sorted(res), sorted(plan.names()))

    def test_raw(self):
        self.check_format("raw")

    def test_qcow2(self):
        self.check_format("qcow2")

    def test_error_lines(self):
        morph = morphtest.binary("morph-riscv64")
        blkbench = morphtest.guest_program(ARCH, "blkbench")
        plain = os.path.join(self.tmp, "plain")
        with open(plain, "wb") as f:
            f.truncate(1 << 20)
        cases = [
            ([os.path.join(self.tmp, "missing"), SPEC], "cannot open"),
            ([plain, SPEC], "is not a block device"),
            ([], "usage: blkbench"),
            (["-j", "0", plain, SPEC], "-j wants"),
        ]
        for args, want in cases:
            r = self.run_cmd([morph, blkbench] + args, timeout=60)
            self.assertEqual(r.returncode, 1, f"{args}: {r.stdout}{r.stderr}")
            self.assertTrue(r.stdout.startswith("BLKBENCH error: "), f"{args}: {r.stdout!r}")
            self.assertIn(want, r.stdout, f"{args}")


if __name__ == "__main__":
    unittest.main()
