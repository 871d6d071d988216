"""A hostile virtio driver (tests/guest/riscv64/priv/virtio-hostile.c):
bare metal on the virt board, it feeds virtio-blk and virtio-rng bad
descriptors, out-of-range sectors and DMA, wrong register accesses, bad
queue sizes and features, and checks the answers the virtio 1.2 spec gives
(IOERR, UNSUPP, DEVICE_NEEDS_RESET, a refused FEATURES_OK) and that a reset
brings the device back.  It runs under morph and under Debian's
qemu-system-riscv64, the oracle (with modern virtio-mmio, which morph uses
by default); the "strict_" checks are where QEMU leaves the behaviour
undefined (it bounces DMA to non-RAM, takes any queue size and masks
unoffered features), so the oracle run tolerates exactly those."""
import os
import re
import shutil
import tempfile
import unittest

import morphtest

BOARD_ARGS = ["-M", "virt", "-bios", "none", "-nographic", "-m", "128M", "-smp", "1"]


class VirtioHostile(morphtest.MorphTestCase):
    def run_prog(self, emulator, extra):
        prog = morphtest.guest_program("riscv64", "priv-virtio-hostile")
        tmp = tempfile.mkdtemp(prefix="morph-virtio-hostile-")
        try:
            disk = os.path.join(tmp, "disk.img")
            shutil.copy(morphtest.asset("riscv64", "disk-8m.img"), disk)
            os.chmod(disk, 0o644)
            p = self.run_cmd([emulator] + BOARD_ARGS + extra +
                             ["-kernel", prog,
                              "-drive", f"file={disk},format=raw,if=none,id=d0",
                              "-device", "virtio-blk-device,drive=d0",
                              "-device", "virtio-rng-device"], timeout=180, input="")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        out = p.stdout.replace("\r", "")
        fails = set(re.findall(r"^FAIL (\w+)", out, re.M))
        passes = re.findall(r"^PASS (\w+)", out, re.M)
        summary = re.search(r"^(\d+) checks$", out, re.M)
        detail = f"{emulator}: exit {p.returncode}\n{out[-3000:]}{p.stderr[-1500:]}"
        self.assertIsNotNone(summary, "no summary line: " + detail)
        self.assertEqual(int(summary.group(1)), len(passes) + len(fails), detail)
        self.assertGreater(len(passes), 30, detail)
        self.assertEqual(p.returncode, len(fails), detail)
        return fails, detail

    def test_morph(self):
        fails, detail = self.run_prog(morphtest.binary("morph-system-riscv64"), [])
        self.assertEqual(fails, set(), detail)

    def test_qemu_oracle(self):
        qemu = morphtest.tool("qemu-system-riscv64")
        fails, detail = self.run_prog(qemu, ["-global", "virtio-mmio.force-legacy=false"])
        self.assertEqual({f for f in fails if not f.startswith("strict_")}, set(), detail)


if __name__ == "__main__":
    unittest.main()
