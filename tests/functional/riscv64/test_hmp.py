"""The human monitor (HMP) of morph-system-riscv64 (docs/monitor.md): over
`-monitor unix:...,server=on,wait=off` on the assets' Linux at its shell
-- info status, info registers, x through the kernel's page tables (Sv57)
and xp on physical memory (both read the Image's "MZ" header), info
mtree, info version, info cpus, info chardev, info tlb, info jit, stop
and cont, gdbserver -- and on the -nographic console, where C-a c
switches between the serial port and the monitor.
"""
import os
import re
import socket
import time

import morphtest

BOOT_TIMEOUT = 240
PROMPT = b"(qemu) "


class Hmp:
    def __init__(self, path, timeout=30.0):
        self.sock = morphtest.connect(path, timeout=timeout)
        self.banner = self.until_prompt()

    def until_prompt(self):
        data = b""
        while not data.endswith(PROMPT):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(f"HMP closed; got {data!r}")
            data += chunk
        return data.decode()

    def cmd(self, line):
        """The command's output: what follows the echoed line, before the next prompt."""
        self.sock.sendall(line.encode() + b"\r")
        out = self.until_prompt()
        echo = line + "\r\n"
        assert out.startswith(echo), (line, out)
        return out[len(echo):-len(PROMPT)].replace("\r\n", "\n")


class HmpTest(morphtest.MorphTestCase):
    def linux_cmd(self, extra):
        image = morphtest.asset("riscv64", "Image")
        initrd = morphtest.asset("riscv64", "rootfs.cpio.gz")
        return [morphtest.binary("morph-system-riscv64"), "-M", "virt", "-smp", "1", "-m", "256M",
                "-nographic", "-kernel", image, "-initrd", initrd, "-append", "console=ttyS0",
                *extra]

    def test_unix_socket(self):
        d = morphtest.build_path("tests", "functional-logs")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"hmp-{os.getpid()}.sock")
        c = self.launch(self.linux_cmd(["-monitor", f"unix:{path},server=on,wait=off"]),
                        pty_mode=True, name="guest")
        h = Hmp(path)
        self.assertRegex(h.banner, r"^QEMU 7\.2\.0 monitor .*- type 'help' for more information")
        c.wait_for("morph-rv64:/# ", timeout=BOOT_TIMEOUT)

        self.assertEqual(h.cmd("info status"), "VM status: running\n")
        self.assertRegex(h.cmd("info version"), r"^7\.2\.0 \(morph [0-9.]+\)\n$")
        regs = h.cmd("info registers")
        self.assertIn("CPU#0", regs)
        pc = int(re.search(r"pc\s+([0-9a-f]{16})", regs).group(1), 16)
        # At the shell the hart is idle in the kernel: a kernel virtual address.
        self.assertGreaterEqual(pc, 0xffffffff00000000, regs)
        # xp: the physical Image header; x: the same bytes where Linux maps its image
        # (riscv64 KERNEL_LINK_ADDR), through the hart's page tables.
        phys = h.cmd("xp/4x 0x80200000")
        self.assertRegex(phys, r"^0000000080200000: 0x106f5a4d( 0x[0-9a-f]{8}){3}\n$")
        virt = h.cmd("x/4x 0xffffffff80000000")
        self.assertEqual(virt, "ffffffff80000000" + phys[16:])
        self.assertEqual(h.cmd("x/4xb 0xffffffff80000000"),
                         "ffffffff80000000: 0x4d 0x5a 0x6f 0x10\n")
        # $pc in an expression: the instruction the hart is at (it runs on meanwhile).
        self.assertRegex(h.cmd("x/1xw $pc"), r"^ffffffff[0-9a-f]{8}: 0x[0-9a-f]{8}\n$")
        # An unmapped user address: QEMU's message.
        self.assertIn("Cannot access memory", h.cmd("x/1x 0x1000"))
        mtree = h.cmd("info mtree")
        self.assertIn("address-space: memory", mtree)
        self.assertIn("0000000080000000-000000008fffffff", mtree)
        cpus = h.cmd("info cpus")
        self.assertRegex(cpus, r"\* CPU #0: thread_id=\d+")
        self.assertIn("serial0: filename=stdio", h.cmd("info chardev"))
        self.assertIn("entries", h.cmd("info tlb"))
        self.assertTrue(h.cmd("info jit").strip())
        self.assertIn("info status", h.cmd("help info"))
        self.assertEqual(h.cmd("foo"), "unknown command: 'foo'\n")

        # stop: the shell does not answer; cont: it does.
        self.assertEqual(h.cmd("stop"), "")
        self.assertEqual(h.cmd("info status"), "VM status: paused\n")
        c.send("echo morph-$((6*7))-hmp\r")
        time.sleep(1.0)
        self.assertNotIn("morph-42-hmp", c.output())
        self.assertEqual(h.cmd("cont"), "")
        self.assertEqual(h.cmd("info status"), "VM status: running\n")
        c.wait_for("morph-42-hmp", timeout=60)

        # gdbserver starts the stub on a port of our choice, and "none" stops it.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        h.cmd(f"gdbserver tcp::{port}")
        g = socket.create_connection(("127.0.0.1", port), timeout=10)
        # A debugger that connects stops the VM (QEMU does the same).
        deadline = time.monotonic() + 10
        while h.cmd("info status") != "VM status: paused\n" and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(h.cmd("info status"), "VM status: paused\n")
        g.close()
        h.cmd("gdbserver none")
        self.assertEqual(h.cmd("cont"), "")
        self.assertEqual(h.cmd("info status"), "VM status: running\n")

        h.sock.sendall(b"quit\r")
        self.assertEqual(c.wait_exit(30), 0, c.tail())

    def test_console_mux(self):
        c = self.launch(self.linux_cmd([]), pty_mode=True, name="mux")
        c.wait_for("morph-rv64:/# ", timeout=BOOT_TIMEOUT)
        # The monitor is not shown until C-a c gives it the focus.
        self.assertNotIn("(qemu)", c.output())
        c.send("\x01c")
        c.wait_for("monitor (morph", timeout=30)
        c.wait_for("- type 'help' for more information", timeout=30)
        c.wait_for("(qemu) ", timeout=30)
        c.send("info status\r")
        c.wait_for("VM status: running", timeout=30)
        c.wait_for("(qemu) ", timeout=30)
        c.send("stop\r")
        c.wait_for("(qemu) ", timeout=30)
        c.send("info status\r")
        c.wait_for("VM status: paused", timeout=30)
        c.send("cont\r")
        c.wait_for("(qemu) ", timeout=30)
        # Back to the serial port: the shell answers.
        c.send("\x01c")
        time.sleep(0.3)
        c.send("echo morph-$((6*7))-mux\r")
        c.wait_for("morph-42-mux", timeout=60)
        # And the monitor again: the prompt comes back.
        c.send("\x01c")
        c.wait_for("(qemu) ", timeout=30)
        c.send("quit\r")
        self.assertEqual(c.wait_exit(30), 0, c.tail())


if __name__ == "__main__":
    import unittest
    unittest.main()
