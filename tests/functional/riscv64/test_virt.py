"""The riscv64 `virt` board of morph-system-riscv64: OpenSBI + U-Boot to its
prompt, the assets' Linux + busybox to MORPH-BOOT-OK with the deterministic
self-test lines (-smp 1 and -smp 2) and a clean poweroff, the interactive
shell on a pty left with C-a x, and the device tree -M virt,dumpdtb= writes.

Images come from the shared assets (morphtest.asset skips when they are
absent); the expected lines are the README's."""
import os
import re
import shutil
import struct
import subprocess
import termios
import time

import morphtest

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"

# Byte-for-byte on any correct RV64GC emulation (assets README, "morph-selftest lines").
DETERMINISTIC = [
    "MORPH-KERNEL-RELEASE: 6.1.192",
    "MORPH-CRC32: bytes=4194304 seed=0x6d6f727068 crc32=0xe96e6475",
    "MORPH-INTMIX: iters=1000000 value=0x74cd56d5d8c1ea24",
    "MORPH-FPSUM: n=1000000 sum=1.6449330668487263",
    "MORPH-SELFTEST-DONE: ok",
]

# The host may be busy with other builds: generous, but finite.
BOOT_TIMEOUT = 240


def linux_assets():
    return (morphtest.asset("riscv64", "Image"), morphtest.asset("riscv64", "rootfs.cpio.gz"))


def fdt_nodes(blob):
    """Node paths and properties of a flattened device tree (DT spec v0.4, chapter 5)."""
    magic, total, off_struct, off_strings = struct.unpack(">IIII", blob[:16])
    assert magic == 0xD00DFEED, hex(magic)
    assert total <= len(blob)
    strings = blob[off_strings:]
    pos, path, nodes = off_struct, [], {}
    while True:
        (token,) = struct.unpack(">I", blob[pos:pos + 4])
        pos += 4
        if token == 1:      # FDT_BEGIN_NODE
            end = blob.index(b"\0", pos)
            path.append(blob[pos:end].decode())
            pos = (end + 4) & ~3
            nodes["/" + "/".join(p for p in path if p)] = {}
        elif token == 2:    # FDT_END_NODE
            path.pop()
        elif token == 3:    # FDT_PROP
            length, nameoff = struct.unpack(">II", blob[pos:pos + 8])
            pos += 8
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            nodes["/" + "/".join(p for p in path if p)][name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif token == 4:    # FDT_NOP
            continue
        elif token == 9:    # FDT_END
            return nodes
        else:
            raise AssertionError(f"bad FDT token {token}")


class VirtBoard(morphtest.MorphTestCase):
    def morph(self):
        return morphtest.binary("morph-system-riscv64")

    def linux_cmd(self, smp, append, extra=()):
        image, initrd = linux_assets()
        return [self.morph(), "-M", "virt", "-smp", str(smp), "-m", "256M", "-nographic",
                "-kernel", image, "-initrd", initrd, "-append", append, *extra]

    def check_selftest_boot(self, smp):
        c = self.launch(self.linux_cmd(smp, "console=ttyS0 morph.test=1"), name=f"smp{smp}")
        c.wait_for("OpenSBI v1.1", timeout=60)
        c.wait_for("MORPH-BOOT-OK", timeout=BOOT_TIMEOUT)
        c.wait_for(f"MORPH-CPUS-ONLINE: {smp}", timeout=60)
        c.wait_for("MORPH-POWEROFF: selftest rc=0", timeout=BOOT_TIMEOUT)
        self.assertEqual(c.wait_exit(60), 0, c.tail())
        out = c.output().replace("\r", "")
        for line in DETERMINISTIC:
            self.assertIn(line + "\n", out)
        self.assertIn("reboot: Power down", out)
        self.assertNotIn("Kernel panic", out)

    def test_linux_smp1(self):
        self.check_selftest_boot(1)

    def test_linux_smp2(self):
        self.check_selftest_boot(2)

    def test_linux_interactive_pty(self):
        c = self.launch(self.linux_cmd(2, "console=ttyS0"), pty_mode=True, name="shell")
        c.wait_for("morph-rv64:/# ", timeout=BOOT_TIMEOUT)
        c.send("echo morph-$((6*7))-ok\r")
        c.wait_for("morph-42-ok", timeout=60)
        c.wait_for("morph-rv64:/# ", timeout=60)
        # The escape keys of QEMU's mux: help, the monitor (not yet), quit.
        c.send("\x01h")
        c.wait_for("C-a x    exit emulator", timeout=30)
        c.send("\x01c")
        c.wait_for("monitor", timeout=30)
        c.send("\x01x")
        self.assertEqual(c.wait_exit(30), 0, c.tail())
        # The terminal is back in cooked mode with echo.
        attrs = termios.tcgetattr(c.master)
        self.assertTrue(attrs[3] & termios.ECHO)
        self.assertTrue(attrs[3] & termios.ICANON)

    def test_opensbi_uboot_prompt(self):
        if not os.path.isfile(UBOOT):
            self.skipTest(f"{UBOOT} is not installed (Debian's u-boot-qemu)")
        c = self.launch([self.morph(), "-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
                         "-kernel", UBOOT], name="uboot")
        c.wait_for("OpenSBI v1.1", timeout=60)
        c.wait_for("Platform HART Count       : 1", timeout=30)
        c.wait_for("U-Boot 2023.01", timeout=60)
        c.wait_for("Model: riscv-virtio,qemu", timeout=30)
        c.wait_for("DRAM:  256 MiB", timeout=30)
        c.wait_for("Hit any key to stop autoboot", timeout=60)
        c.send(" ")
        c.wait_for("=> ", timeout=60)
        c.send("echo morph-$fdtcontroladdr-uboot\r")
        c.wait_for(r"morph-[0-9a-f]+-uboot", timeout=30, regex=True)
        c.wait_for("=> ", timeout=30)
        c.send("poweroff\r")
        self.assertEqual(c.wait_exit(30), 0, c.tail())

    def test_dumpdtb(self):
        path = morphtest.build_path("tests", "functional-logs", f"virt-{os.getpid()}.dtb")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        p = self.run_cmd([self.morph(), "-M", f"virt,dumpdtb={path}", "-smp", "2", "-m", "512M",
                          "-nographic"], timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("dtb dumped to", p.stderr)
        try:
            blob = open(path, "rb").read()
            nodes = fdt_nodes(blob)
            if shutil.which("dtc"):
                d = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", path], capture_output=True,
                                   text=True, timeout=60)
                self.assertEqual(d.returncode, 0, d.stderr)
        finally:
            os.unlink(path)
        for n in ["/cpus/cpu@0", "/cpus/cpu@1", "/cpus/cpu@0/interrupt-controller",
                  "/memory@80000000", "/soc/clint@2000000", "/soc/plic@c000000",
                  "/soc/serial@10000000", "/soc/rtc@101000", "/soc/test@100000", "/poweroff",
                  "/reboot", "/chosen"] + [f"/soc/virtio_mmio@{0x10001000 + i * 0x1000:x}"
                                           for i in range(8)]:
            self.assertIn(n, nodes)
        self.assertEqual(nodes["/"]["model"], b"riscv-virtio,qemu\0")
        self.assertEqual(nodes["/memory@80000000"]["reg"],
                         struct.pack(">IIII", 0, 0x80000000, 0, 512 << 20))
        self.assertEqual(nodes["/chosen"]["stdout-path"], b"/soc/serial@10000000\0")
        self.assertEqual(nodes["/soc/serial@10000000"]["compatible"], b"ns16550a\0")
        self.assertEqual(struct.unpack(">I", nodes["/soc/serial@10000000"]["interrupts"])[0], 10)
        self.assertEqual(struct.unpack(">I", nodes["/soc/plic@c000000"]["riscv,ndev"])[0], 96)
        self.assertEqual(struct.unpack(">I", nodes["/cpus"]["timebase-frequency"])[0], 10000000)
        isa = nodes["/cpus/cpu@0"]["riscv,isa"].decode()
        self.assertTrue(isa.startswith("rv64imafdc"), isa)
        # The DT says Sstc only when the hart has it.
        self.assertIn("sstc", isa)
        p = self.run_cmd([self.morph(), "-M", f"virt,dumpdtb={path}", "-cpu", "rv64,sstc=off",
                          "-nographic"], timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        try:
            nodes = fdt_nodes(open(path, "rb").read())
        finally:
            os.unlink(path)
        self.assertNotIn("sstc", nodes["/cpus/cpu@0"]["riscv,isa"].decode())

    def test_kernel_args_in_dtb(self):
        image, initrd = linux_assets()
        path = morphtest.build_path("tests", "functional-logs", f"virt-args-{os.getpid()}.dtb")
        p = self.run_cmd([self.morph(), "-M", f"virt,dumpdtb={path}", "-m", "256M", "-kernel",
                          image, "-initrd", initrd, "-append", "console=ttyS0 quiet",
                          "-nographic"], timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        try:
            chosen = fdt_nodes(open(path, "rb").read())["/chosen"]
        finally:
            os.unlink(path)
        self.assertEqual(chosen["bootargs"], b"console=ttyS0 quiet\0")
        start = struct.unpack(">Q", chosen["linux,initrd-start"])[0]
        end = struct.unpack(">Q", chosen["linux,initrd-end"])[0]
        # QEMU's placement: kernel entry (0x80200000) + 128 MiB.
        self.assertEqual(start, 0x80200000 + (128 << 20))
        self.assertEqual(end - start, os.path.getsize(initrd))


if __name__ == "__main__":
    import unittest
    unittest.main()
