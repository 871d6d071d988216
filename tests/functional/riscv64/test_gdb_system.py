"""The gdbstub in system mode: gdb-multiarch (batch mode) against
`morph-system-riscv64 -M virt -gdb tcp::PORT -S` booting the assets' Linux
with OpenSBI fw_dynamic (docs/devel/gdbstub.md, "System mode").

One session: $pc at the reset vector (0x1000), a breakpoint at the kernel
entry (0x80200000, where fw_dynamic jumps) reached with continue, stepi
(the Image starts with the 2-byte c.li of its "MZ" header), memory and
CSRs ($mhartid, $satp, $mstatus), the two harts as threads, an access
watchpoint on the kernel's BSS (cleared by head.S with the MMU off) that
triggers, `monitor info status` through HMP, physical-memory mode, then
detach: the guest runs on to MORPH-BOOT-OK and powers off (exit 0).
A second case checks a Unix socket, Ctrl-C style interruption of a
running guest with the protocol itself, and kill.
"""
import os
import re
import shutil
import socket
import subprocess
import time

import morphtest

BOOT_TIMEOUT = 240
KERNEL_ENTRY = 0x80200000
# Inside the Image's BSS: the file is 0xcaa000 bytes, the header's
# image_size 0xd02000; head.S clears [__bss_start, __bss_stop) before the MMU is on.
BSS_WORD = 0x80ec0000


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def gdb():
    path = shutil.which("gdb-multiarch")
    if not path:
        raise morphtest.unittest.SkipTest("gdb-multiarch is not installed")
    return path


class Rsp:
    """GDB's side of the remote protocol, acks on, enough for a few packets."""

    def __init__(self, family, addr, timeout=20):
        self.sock = morphtest.connect(addr, family, timeout, retry=0.05)
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(4096)
        if not data:
            raise EOFError("the stub closed the connection")
        self.buf += data

    def packet(self):
        while True:
            while b"$" not in self.buf:
                self._fill()
            start = self.buf.index(b"$")
            while b"#" not in self.buf[start:] or len(self.buf) < self.buf.index(b"#", start) + 3:
                self._fill()
            end = self.buf.index(b"#", start)
            data = self.buf[start + 1:end]
            self.buf = self.buf[end + 3:]
            self.sock.sendall(b"+")
            return data.decode()

    def send(self, payload):
        cs = sum(payload.encode()) & 0xFF
        self.sock.sendall(b"$" + payload.encode() + b"#" + b"%02x" % cs)

    def cmd(self, payload):
        self.send(payload)
        return self.packet()


class GdbSystem(morphtest.MorphTestCase):
    def linux_cmd(self, extra, smp=2, append="console=ttyS0 morph.test=1"):
        image = morphtest.asset("riscv64", "Image")
        initrd = morphtest.asset("riscv64", "rootfs.cpio.gz")
        return [morphtest.binary("morph-system-riscv64"), "-M", "virt", "-smp", str(smp),
                "-m", "256M", "-nographic", "-kernel", image, "-initrd", initrd,
                "-append", append, *extra]

    def test_session_to_boot(self):
        gdb_bin = gdb()
        port = free_port()
        c = self.launch(self.linux_cmd(["-S", "-gdb", f"tcp::{port}"]), name="guest")
        script = [
            "set architecture riscv:rv64",
            "set pagination off",
            "set confirm off",
            f"target remote 127.0.0.1:{port}",
            "printf \"PC0=%#lx\\n\", $pc",
            "info threads",
            f"break *{KERNEL_ENTRY:#x}",
            "continue",
            "printf \"PC1=%#lx\\n\", $pc",
            "printf \"A0=%#lx\\n\", $a0",
            "stepi",
            "printf \"PC2=%#lx\\n\", $pc",
            f"x/2xh {KERNEL_ENTRY:#x}",
            "printf \"HART=%#lx\\n\", $mhartid",
            "printf \"SATP=%#lx\\n\", $satp",
            "printf \"MSTATUS=%#lx\\n\", $mstatus",
            "delete",
            f"awatch *(long *){BSS_WORD:#x}",
            "continue",
            "printf \"PC3=%#lx\\n\", $pc",
            "delete",
            "monitor info status",
            "maint packet Qqemu.PhyMemMode:1",
            f"x/2xh {KERNEL_ENTRY:#x}",
            "maint packet Qqemu.PhyMemMode:0",
            "detach",
        ]
        args = [gdb_bin, "-nx", "-batch"]
        for line in script:
            args += ["-ex", line]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=BOOT_TIMEOUT)
        out = p.stdout
        self.assertIn("PC0=0x1000\n", out, out)
        # Two harts, two threads.
        self.assertRegex(out, r"Thread 1 .*\n.*Thread 2 ", out)
        self.assertIn(f"Breakpoint 1, {KERNEL_ENTRY:#018x}", out, out)
        self.assertIn(f"PC1={KERNEL_ENTRY:#x}\n", out, out)
        self.assertIn(f"PC2={KERNEL_ENTRY + 2:#x}\n", out, out)
        # "MZ" (c.li s4,-13) then the jump to _start_kernel, read twice: virtual then physical.
        mem = re.findall(rf"{KERNEL_ENTRY:#x}:\s+0x5a4d\s+0x(\w+)", out)
        self.assertEqual(len(mem), 2, out)
        self.assertIn("HART=0\n", out, out)
        self.assertIn("SATP=0\n", out, out)
        self.assertRegex(out, r"MSTATUS=0x[0-9a-f]+\n")
        self.assertRegex(out, rf"Hardware access \(read/write\) watchpoint 2: \*\(long \*\)"
                              rf"{BSS_WORD:#x}", out)
        pc3 = int(re.search(r"PC3=(0x[0-9a-f]+)", out).group(1), 16)
        self.assertTrue(KERNEL_ENTRY <= pc3 < KERNEL_ENTRY + 0x1000000, out)
        self.assertIn("VM status: paused (debug)", out, out)
        self.assertIn("[Inferior 1 (Remote target) detached]", out, out)
        # Without the debugger the guest goes on.
        c.wait_for("MORPH-BOOT-OK", timeout=BOOT_TIMEOUT)
        c.wait_for("MORPH-POWEROFF: selftest rc=0", timeout=BOOT_TIMEOUT)
        self.assertEqual(c.wait_exit(60), 0, c.tail())

    def test_unix_interrupt_kill(self):
        path = morphtest.build_path("tests", "functional-logs", f"gdb-{os.getpid()}.sock")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        c = self.launch(self.linux_cmd(["-gdb", f"unix:{path},server=on"], smp=1,
                                       append="console=ttyS0"), name="unix")
        r = Rsp(socket.AF_UNIX, path)
        # Attaching stops the running VM; '?' reports it.
        self.assertTrue(r.cmd("?").startswith("T05"))
        self.assertEqual(r.cmd("qAttached"), "1")
        self.assertTrue(r.cmd("qSupported:swbreak+").startswith("PacketSize="))
        xml = r.cmd("qXfer:features:read:target.xml:0,1000")
        self.assertIn("riscv", xml)
        # Run, interrupt with Ctrl-C: a SIGINT stop.
        r.send("c")
        time.sleep(1.0)
        r.sock.sendall(b"\x03")
        self.assertTrue(r.packet().startswith("T02"))
        # qRcmd: HMP's text, hex-encoded in O packets, then OK.
        r.send("qRcmd," + "info status".encode().hex())
        text = ""
        while True:
            pkt = r.packet()
            if pkt == "OK":
                break
            if pkt.startswith("O"):
                text += bytes.fromhex(pkt[1:]).decode()
            else:
                text += bytes.fromhex(pkt).decode()
        self.assertIn("VM status: paused", text)
        r.send("k")
        self.assertEqual(c.wait_exit(30), 0, c.tail())
        self.assertIn("Terminated via GDBstub", c.output())


if __name__ == "__main__":
    import unittest
    unittest.main()
