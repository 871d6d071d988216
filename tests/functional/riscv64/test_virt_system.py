"""The system emulator's command line and run control, QEMU's way: bad
options and missing files give one line and exit 1; help and lists exit 0;
chardev backends (-serial file:, pty, socket server, -chardev + mux);
-S, -no-shutdown, -no-reboot, -pidfile, -daemonize, signals.

The guests here are a few bytes of RV64 assembled below and booted with
-bios none -kernel, so the tests need no image but the board itself."""
import os
import select
import signal
import socket
import struct
import subprocess
import tempfile
import time

import morphtest

UART = 0x10000000
TEST_DEV = 0x100000


# ---- a tiny RV64 assembler (Unprivileged ISA 20191213, chapter 24 encodings)

T0, T1, T2, T3 = 5, 6, 7, 28


def lui(rd, imm20):
    return (imm20 & 0xFFFFF) << 12 | rd << 7 | 0x37


def addi(rd, rs1, imm):
    return (imm & 0xFFF) << 20 | rs1 << 15 | rd << 7 | 0x13


def andi(rd, rs1, imm):
    return (imm & 0xFFF) << 20 | rs1 << 15 | 7 << 12 | rd << 7 | 0x13


def lbu(rd, rs1, imm):
    return (imm & 0xFFF) << 20 | rs1 << 15 | 4 << 12 | rd << 7 | 0x03


def store(funct3, rs2, rs1, imm):
    return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1F) << 7 | 0x23


def sb(rs2, rs1, imm):
    return store(0, rs2, rs1, imm)


def sw(rs2, rs1, imm):
    return store(2, rs2, rs1, imm)


def branch(funct3, rs1, rs2, off):
    return (((off >> 12) & 1) << 31 | ((off >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15
            | funct3 << 12 | ((off >> 1) & 0xF) << 8 | ((off >> 11) & 1) << 7 | 0x63)


def jal0(off):
    return (((off >> 20) & 1) << 31 | ((off >> 1) & 0x3FF) << 21 | ((off >> 11) & 1) << 20
            | ((off >> 12) & 0xFF) << 12 | 0x6F)


def li(rd, value):
    """rd = value for values that fit lui + addi."""
    lo = value & 0xFFF
    hi = (value >> 12) + (1 if lo & 0x800 else 0)
    return [lui(rd, hi), addi(rd, rd, lo - (0x1000 if lo & 0x800 else 0))]


def finisher(code):
    """Write `code` to the SiFive test device, then spin."""
    return li(T0, TEST_DEV) + li(T1, code) + [sw(T1, T0, 0), jal0(0)]


def prog_print(text, then=0x5555):
    insns = li(T0, UART)
    for ch in text.encode():
        insns += [addi(T1, 0, ch), sb(T1, T0, 0)]
    return insns + finisher(then)


def prog_echo():
    """Echo what the UART receives until 'q', then power off."""
    insns = li(T0, UART) + [addi(T3, 0, ord("q"))]
    loop = len(insns)
    insns += [lbu(T1, T0, 5), andi(T1, T1, 1)]
    insns += [branch(0, T1, 0, (loop - len(insns)) * 4)]        # beqz t1, loop
    insns += [lbu(T2, T0, 0)]
    insns += [branch(0, T2, T3, 4 * 3)]                         # beq t2, t3, out
    insns += [sb(T2, T0, 0)]
    insns += [jal0((loop - len(insns)) * 4)]                    # j loop
    return insns + finisher(0x5555)


class SystemOptions(morphtest.MorphTestCase):
    def setUp(self):
        super().setUp()
        self.morph = morphtest.binary("morph-system-riscv64")
        self.tmp = tempfile.mkdtemp(prefix="morph-sys-")

    def tearDown(self):
        super().tearDown()
        for f in os.listdir(self.tmp):
            os.unlink(os.path.join(self.tmp, f))
        os.rmdir(self.tmp)

    def guest(self, insns, name="guest.bin"):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(b"".join(struct.pack("<I", i) for i in insns))
        return path

    def board(self, *args):
        return [self.morph, "-M", "virt", "-bios", "none", "-m", "64M", *args]

    # ---- mistakes: one line, exit 1

    def one_line_error(self, args, fragment):
        """What is wrong with the answer to a bad command line ("" if nothing)."""
        p = self.run_cmd([self.morph] + args, timeout=60, input="")
        lines = p.stderr.strip().splitlines()
        if p.returncode != 1:
            return f"{args}: exit {p.returncode}, stderr {p.stderr!r}"
        if len(lines) != 1 or not lines[0].startswith("morph-system-riscv64: "):
            return f"{args}: not one 'morph-system-riscv64: ...' line: {p.stderr!r}"
        if fragment not in lines[0]:
            return f"{args}: {lines[0]!r} does not say {fragment!r}"
        return ""

    def test_bad_options(self):
        image = morphtest.asset("riscv64", "Image")
        bad_elf = os.path.join(self.tmp, "bad.elf")
        with open(bad_elf, "wb") as f:
            f.write(b"\x7fELF\x02\x01\x01" + b"\0" * 20)
        cases = [
            (["-foo"], "-foo: invalid option"),
            (["--bogus-option"], "invalid option"),
            (["-kernel"], "-kernel: requires an argument"),
            (["-M", "foo"], "unsupported machine type"),
            (["-M", "virt,foo=bar"], "Property 'virt-machine.foo' not found"),
            (["-M", "virt,aclint=maybe"], "aclint"),
            (["-smp", "9"], "Invalid SMP CPUs 9. The max CPUs supported by machine 'virt' is 8"),
            (["-smp", "foo"], "Parameter 'smp.cpus' expects integer"),
            (["-m", "abc"], "-m abc: Parameter 'size'"),
            (["-m", "32G"], "at most 16 GiB"),
            (["-cpu", "foo"], "unable to find CPU model 'foo'"),
            (["-device", "foo"], "'foo' is not a valid device model name"),
            (["-device", "virtio-blk-device,drive=d0"], "can't find value 'd0'"),
            (["-device", "goldfish_rtc"], "can not be dynamically instantiated"),
            (["-serial", "foo:bar"], "'foo:bar' is not a valid char driver"),
            (["-chardev", "foo,id=x"], "'foo' is not a valid char driver name"),
            (["-chardev", "null"], "no id specified"),
            (["-accel", "kvm"], "invalid accelerator kvm"),
            (["-enable-kvm"], "invalid accelerator kvm"),
            (["-d", "nosuchitem"], "nosuchitem"),
            (["-append", "x"], "-append only allowed with -kernel option"),
            (["-initrd", "x"], "-initrd only allowed with -kernel option"),
            (["-nographic", "-daemonize"], "-nographic cannot be used with -daemonize"),
            (["-bios", "/nonexistent/fw.bin"], "/nonexistent/fw.bin"),
            (["-kernel", "/nonexistent/Image"], "could not load kernel '/nonexistent/Image'"),
            (["-kernel", bad_elf], "could not load kernel"),
            (["-kernel", image, "-initrd", "/nonexistent/initrd"],
             "could not load ramdisk '/nonexistent/initrd'"),
            (["-dtb", "/nonexistent/x.dtb"], "/nonexistent/x.dtb"),
            (["-drive", "file=/nonexistent/d.img,if=none,id=d0"], "Could not open '/nonexistent/d.img'"),
            (["-netdev", "foo,id=n0"], "Parameter 'type' does not accept value 'foo'"),
            (["-nic", "user,model=e1000"], "Unsupported NIC model: e1000"),
            (["-mon", "chardev=nope"], 'chardev "nope" not found'),
            (["-mon", "chardev=nope,mode=bogus"], 'unknown monitor mode "bogus"'),
            (["-qmp", "unix:/nonexistent/dir/q.sock,server=on,wait=off"], "Failed to bind socket"),
            (["-monitor", "tcp:127.0.0.1:1234"], "only server=on is supported"),
            (["-gdb", "tcp::99999"], "invalid port '99999'"),
            (["-display", "gtk"], "Display 'gtk' is not available"),
            (["-rtc", "base=foo"], "invalid datetime format"),
            (["-pidfile", "/nonexistent/dir/morph.pid"], "cannot create PID file"),
            (["-D", "/nonexistent/dir/log"], "/nonexistent/dir/log"),
        ]
        problems = [m for m in (self.one_line_error(a, f) for a, f in cases) if m]
        self.assertEqual(problems, [], "\n".join(problems))

    def test_help_and_lists(self):
        for args, fragment in [
            (["-version"], "QEMU emulator version"),
            (["-help"], "-nographic"),
            (["-M", "help"], "virt"),
            (["-machine", "help"], "RISC-V VirtIO board"),
            (["-cpu", "help"], "rv64"),
            (["-device", "help"], "serial-mm"),
            (["-device", "serial-mm,help"], "chardev"),
            (["-chardev", "help"], "socket"),
            (["-d", "help"], "guest_errors"),
        ]:
            p = self.run_cmd([self.morph] + args, timeout=30)
            self.assertEqual(p.returncode, 0, f"{args}: {p.stderr}")
            self.assertIn(fragment, p.stdout, f"{args}")

    # ---- run control

    def test_poweroff_and_fail_code(self):
        p = self.run_cmd(self.board("-nographic", "-kernel", self.guest(prog_print("hi\n"))),
                         timeout=60, input="")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("hi", p.stdout)
        p = self.run_cmd(self.board("-nographic", "-kernel",
                                    self.guest(prog_print("", then=(7 << 16) | 0x3333))),
                         timeout=60, input="")
        self.assertEqual(p.returncode, 7, p.stderr)

    def test_no_reboot(self):
        reset = self.guest(finisher(0x7777))
        p = self.run_cmd(self.board("-nographic", "-no-reboot", "-kernel", reset), timeout=60,
                         input="")
        self.assertEqual(p.returncode, 0, p.stderr)
        # Without it the guest resets (and so writes the reset again) until stopped.
        c = self.launch(self.board("-nographic", "-kernel", reset), name="resets")
        time.sleep(1.5)
        self.assertIsNone(c.proc.poll())
        c.proc.send_signal(signal.SIGTERM)
        self.assertEqual(c.wait_exit(30), 0)
        self.assertIn("terminating on signal 15", c.output())

    def test_no_shutdown_and_S(self):
        hello = self.guest(prog_print("up\n"))
        c = self.launch(self.board("-nographic", "-no-shutdown", "-kernel", hello),
                        name="noshutdown")
        c.wait_for("up", timeout=60)
        time.sleep(1)
        self.assertIsNone(c.proc.poll(), "-no-shutdown exited on poweroff")
        c.proc.send_signal(signal.SIGINT)
        self.assertEqual(c.wait_exit(30), 0)
        # -S: nothing runs.
        c = self.launch(self.board("-nographic", "-S", "-kernel", hello), name="paused")
        time.sleep(1.5)
        self.assertIsNone(c.proc.poll())
        self.assertNotIn("up", c.output())
        c.proc.send_signal(signal.SIGTERM)
        self.assertEqual(c.wait_exit(30), 0)

    def test_pidfile_and_daemonize(self):
        pidfile = os.path.join(self.tmp, "morph.pid")
        out = os.path.join(self.tmp, "serial.out")
        slow = self.guest(prog_echo())
        p = subprocess.run(self.board("-display", "none", "-daemonize", "-pidfile", pidfile,
                                      "-serial", f"file:{out}", "-kernel", slow),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        pid = int(open(pidfile).read())
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            self.fail("the daemon is not running")
        os.kill(pid, signal.SIGTERM)
        for _ in range(300):
            if not os.path.exists(pidfile):
                break
            time.sleep(0.1)
        self.assertFalse(os.path.exists(pidfile), "the pid file outlived the daemon")
        # stdio cannot be used by a daemon.
        p = self.run_cmd(self.board("-display", "none", "-daemonize", "-serial", "stdio",
                                    "-kernel", slow), timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot use stdio with -daemonize", p.stderr)

    # ---- chardevs

    def test_serial_file(self):
        out = os.path.join(self.tmp, "serial.out")
        p = self.run_cmd(self.board("-display", "none", "-serial", f"file:{out}", "-kernel",
                                    self.guest(prog_print("to-a-file\n"))), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out).read(), "to-a-file\n")
        # The same through -chardev, with a log copy.
        log = os.path.join(self.tmp, "serial.log")
        p = self.run_cmd(self.board("-display", "none", "-chardev",
                                    f"file,id=c0,path={out},logfile={log}", "-serial",
                                    "chardev:c0", "-kernel", self.guest(prog_print("again\n"))),
                         timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out).read(), "again\n")
        self.assertEqual(open(log).read(), "again\n")

    def test_serial_stdio_echo(self):
        c = self.launch(self.board("-nographic", "-kernel", self.guest(prog_echo())), name="echo")
        time.sleep(0.5)
        c.send("ping\n")
        c.wait_for("ping", timeout=60)
        c.send("q")
        self.assertEqual(c.wait_exit(60), 0)

    def test_serial_pty(self):
        c = self.launch(self.board("-display", "none", "-serial", "pty", "-kernel",
                                   self.guest(prog_echo())), name="pty")
        path = c.wait_for(r"/dev/pts/[0-9]+", timeout=30, regex=True)
        c.wait_for("(label serial0)", timeout=10)
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        try:
            os.write(fd, b"over-pty")
            got = b""
            deadline = time.monotonic() + 60
            while b"over-pty" not in got and time.monotonic() < deadline:
                r, _, _ = select.select([fd], [], [], 1)
                if r:
                    got += os.read(fd, 100)
            self.assertIn(b"over-pty", got)
            os.write(fd, b"q")
            self.assertEqual(c.wait_exit(60), 0)
        finally:
            os.close(fd)

    def test_serial_socket_server(self):
        path = os.path.join(self.tmp, "serial.sock")
        c = self.launch(self.board("-display", "none", "-chardev",
                                   f"socket,id=s0,path={path},server=on,wait=off",
                                   "-serial", "chardev:s0", "-kernel", self.guest(prog_echo())),
                        name="socket")
        deadline = time.monotonic() + 30
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.settimeout(60)
        try:
            s.sendall(b"via-socket")
            self.assertIn(b"via-socket", morphtest.recv_until(s, b"via-socket"))
            s.sendall(b"q")
            self.assertEqual(c.wait_exit(60), 0)
        finally:
            s.close()

    def test_tcp_wait_for_client(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        c = self.launch(self.board("-display", "none", "-serial",
                                   f"tcp:127.0.0.1:{port},server=on", "-kernel",
                                   self.guest(prog_print("after-connect\n"))), name="tcpwait")
        c.wait_for("waiting for connection", timeout=30)
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        try:
            got = b""
            while b"after-connect" not in got:
                chunk = s.recv(100)
                if not chunk:
                    break
                got += chunk
            self.assertIn(b"after-connect", got)
        finally:
            s.close()
        self.assertEqual(c.wait_exit(60), 0)


if __name__ == "__main__":
    import unittest
    unittest.main()
