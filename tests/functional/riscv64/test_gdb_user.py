"""The gdbstub in user mode: `morph-riscv64 -g PORT prog` under gdb-multiarch.

A debug session in batch mode -- break on main, print locals, read $pc,
$sp and memory, stepi, a watchpoint that triggers, continue to the exit
status -- runs against morph and against Debian's qemu-riscv64 (the
oracle that checks the test itself: qemu-user has no hardware
watchpoints, so there GDB watches in software).  Threads, a fork, a
fatal signal and the read and access watchpoints are checked against
morph too, and a small client of the remote protocol checks what batch
GDB does not send: Ctrl-C while the guest runs and while it is blocked
in a system call, vCont;s, QEMU's qqemu.sstep packets, qRcmd, errors,
and k.
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import morphtest

PROG = "user-gdb-static"
TIMEOUT = 90


def free_port():
    """A TCP port nobody listens on now (bind to port 0, then let it go)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Rsp:
    """Just enough of GDB's side of the remote protocol (acks on)."""

    def __init__(self, port, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.buf = b""

    def _byte(self):
        while not self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("the stub closed the connection")
            self.buf += data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def send(self, payload):
        data = payload.encode("latin-1")
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xff))
        ack = self._byte()
        assert ack == b"+", f"no ack for {payload!r}: {ack!r}"

    def recv(self):
        while self._byte() != b"$":
            pass
        out = b""
        while True:
            b = self._byte()
            if b == b"#":
                break
            out += b
        csum = self._byte() + self._byte()
        assert int(csum, 16) == sum(out) & 0xff, f"bad checksum in {out!r}"
        self.sock.sendall(b"+")
        return out.decode("latin-1")

    def ask(self, payload):
        self.send(payload)
        return self.recv()

    def interrupt(self):
        self.sock.sendall(b"\x03")

    def close(self):
        self.sock.close()


class GdbUserBase(morphtest.MorphTestCase):
    def setUp(self):
        super().setUp()
        self.gdb = morphtest.tool("gdb-multiarch")
        self.prog = morphtest.guest_program("riscv64", PROG)

    def start(self, emulator, args=(), name="emu"):
        port = free_port()
        c = self.launch([emulator, "-g", str(port), self.prog] + list(args), name=name)
        return c, port

    def session(self, port, commands, timeout=TIMEOUT):
        """Run gdb-multiarch in batch mode against the stub; return its output."""
        cmd = [self.gdb, "-batch", "-nx", "-ex", "set architecture riscv:rv64",
               "-ex", "set pagination off", "-ex", f"target remote :{port}"]
        for c in commands:
            cmd += ["-ex", c]
        cmd.append(self.prog)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
        return p.stdout

    def value(self, out, name):
        m = re.search(rf"^{name}=(0x[0-9a-f]+|-?\d+)$", out, re.M)
        self.assertIsNotNone(m, f"{name} not printed; gdb said:\n{out[-3000:]}")
        return int(m.group(1), 0)

    def check_session(self, emulator, hw_watch):
        """The common session; hw_watch: the stub has hardware watchpoints."""
        c, port = self.start(emulator)
        out = self.session(port, [
            "break main",
            "continue",
            "next", "next",
            "printf \"LOCAL=%d\\n\", local",
            "printf \"SUM=%d\\n\", sum",
            "printf \"PC=%#lx\\n\", $pc",
            "printf \"SP=%#lx\\n\", $sp",
            "printf \"MAIN=%#lx\\n\", main",
            "printf \"WORD=%#x\\n\", *(unsigned int *)$sp",
            "x/2xw $sp",
            "printf \"CODE=%#x\\n\", *(unsigned short *)$pc",
            "stepi",
            "printf \"PC2=%#lx\\n\", $pc",
            "set can-use-hw-watchpoints %d" % (1 if hw_watch else 0),
            "watch counter",
            "continue",
            "delete",
            "continue",
        ])
        self.assertIn("Breakpoint 1, main (", out, out)
        self.assertEqual(self.value(out, "LOCAL"), 42)
        self.assertEqual(self.value(out, "SUM"), 55)
        pc, sp, main = self.value(out, "PC"), self.value(out, "SP"), self.value(out, "MAIN")
        self.assertTrue(main < pc < main + 0x100, out)
        self.assertEqual(sp % 16, 0, out)
        self.value(out, "WORD")
        self.assertRegex(out, r"0x[0-9a-f]+(?: <[^>]*>)?:\s+0x[0-9a-f]{8}\s+0x[0-9a-f]{8}")
        self.assertNotEqual(self.value(out, "CODE"), 0)
        self.assertIn(self.value(out, "PC2") - pc, (2, 4), out)
        self.assertRegex(out, ("Hardware w" if hw_watch else "W") +
                         r"atchpoint 2: counter\s+Old value = 0\s+New value = 55", out)
        self.assertRegex(out, r"exited with code 03", out)
        self.assertNotIn("Cannot access memory", out)
        c.wait_for("sum=55 counter=97")
        self.assertEqual(c.wait_exit(TIMEOUT), 3)


class TestGdbSession(GdbUserBase):
    def test_morph(self):
        self.check_session(morphtest.binary("morph-riscv64"), hw_watch=True)

    def test_qemu_oracle(self):
        """The same session against qemu-riscv64: the test's expectations hold there."""
        self.check_session(morphtest.tool("qemu-riscv64"), hw_watch=False)


class TestGdbMorph(GdbUserBase):
    def setUp(self):
        super().setUp()
        self.morph = morphtest.binary("morph-riscv64")

    def test_read_access_watchpoints(self):
        c, port = self.start(self.morph)
        out = self.session(port, ["break main", "continue", "rwatch counter", "continue",
                                  "printf \"SUM=%d\\n\", sum", "delete",
                                  "awatch counter", "continue", "continue", "delete", "continue"])
        self.assertRegex(out, r"Hardware read watchpoint 2: counter\s+Value = 55", out)
        # The read of `counter += local` stops before its store.
        self.assertEqual(self.value(out, "SUM"), 55)
        self.assertRegex(out, r"Hardware access \(read/write\) watchpoint 3: counter\s+"
                              r"Old value = 55\s+New value = 97", out)
        self.assertRegex(out, r"Hardware access \(read/write\) watchpoint 3: counter\s+"
                              r"Value = 97", out)
        self.assertEqual(c.wait_exit(TIMEOUT), 3)

    def test_threads(self):
        c, port = self.start(self.morph, ["thread"])
        out = self.session(port, ["break worker", "continue", "info threads", "bt",
                                  "thread 1", "printf \"WR=%d\\n\", worker_ran", "continue"])
        self.assertIn("Thread 2 hit Breakpoint 1, worker", out, out)
        self.assertRegex(out, r"\n\s+1\s+Thread 1 .*\n\*\s+2\s+Thread 2 .*worker", out)
        self.assertEqual(self.value(out, "WR"), 0)
        self.assertIn("exited with code 03", out)
        c.wait_for("worker_ran=1")
        self.assertEqual(c.wait_exit(TIMEOUT), 3)

    def test_breakpoint_storm(self):
        """Four threads run into one breakpoint 100 times: GDB sees every hit.

        GDB steps each thread over the breakpoint alone (vCont;c:TID, the
        breakpoint removed meanwhile): the other threads must stay stopped.
        """
        c, port = self.start(self.morph, ["storm"])
        fd, script = tempfile.mkstemp(suffix=".gdb")
        with os.fdopen(fd, "w") as f:
            f.write("break hit\nset $n = 0\nwhile $n < 100\n  continue\n  set $n = $n + 1\nend\n"
                    "printf \"N=%d\\n\", $n\nprintf \"HITS=%d\\n\", hits\ndelete\ncontinue\n")
        out = self.session(port, ["source " + script])
        os.unlink(script)
        self.assertEqual(self.value(out, "N"), 100)
        # Stopped at the 100th call, before its increment; each of the other
        # three threads may be stopped between its call and its increment.
        self.assertIn(self.value(out, "HITS"), range(96, 100))
        self.assertNotIn("internal-error", out)
        c.wait_for("hits=100")
        self.assertEqual(c.wait_exit(TIMEOUT), 3)

    def test_fork_child_runs_free(self):
        c, port = self.start(self.morph, ["fork"])
        out = self.session(port, ["break child_work", "continue"])
        self.assertNotIn("Breakpoint 1, child_work", out)
        self.assertIn("exited with code 03", out)
        c.wait_for("child ran")
        c.wait_for("child status 0")
        self.assertEqual(c.wait_exit(TIMEOUT), 3)

    def test_fatal_signal(self):
        c, port = self.start(self.morph, ["segv"])
        out = self.session(port, ["continue", "continue"])
        self.assertIn("Program received signal SIGSEGV", out)
        self.assertIn("Program terminated with signal SIGSEGV", out)
        self.assertEqual(c.wait_exit(TIMEOUT), -11)

    def test_protocol(self):
        c, port = self.start(self.morph, ["spin"])
        r = Rsp(port)
        try:
            sup = r.ask("qSupported:swbreak+;hwbreak+")
            self.assertIn("PacketSize=", sup)
            self.assertIn("qXfer:features:read+", sup)
            self.assertEqual(r.ask("?"), "T05thread:1;")
            self.assertEqual(r.ask("qfThreadInfo"), "m1")
            self.assertTrue(r.ask("qXfer:features:read:target.xml:0,fff").startswith("l<?xml"))
            self.assertEqual(r.ask("qqemu.sstepbits"), "ENABLE=1,NOIRQ=2,NOTIMER=4")
            self.assertEqual(r.ask("qqemu.sstep"), "0x7")
            self.assertEqual(r.ask("m0,4"), "E14")
            self.assertEqual(r.ask("mzz"), "E22")
            self.assertEqual(r.ask("vMustReplyEmpty"), "")
            self.assertEqual(r.ask("qAttached"), "0")
            # qRcmd: no monitor in user mode, said in an O packet, then OK.
            r.send("qRcmd," + b"help".hex())
            self.assertEqual(bytes.fromhex(r.recv()[1:]).decode(),
                             "monitor commands are not available yet\n")
            self.assertEqual(r.recv(), "OK")
            # Run to main (a breakpoint in guest code that is not modified)...
            main = self.symbol("main")
            insn = r.ask("m%x,4" % main)
            self.assertEqual(r.ask("Z0,%x,2" % main), "OK")
            r.send("vCont;c")
            self.assertEqual(r.recv(), "T05thread:1;swbreak:;")
            self.assertEqual(r.ask("m%x,4" % main), insn)
            self.assertEqual(r.ask("z0,%x,2" % main), "OK")
            # ...then vCont;s: one instruction (main starts with no jump), 2 or 4 bytes on.
            pc0 = int.from_bytes(bytes.fromhex(r.ask("p20")), "little")
            self.assertEqual(pc0, main)
            r.send("vCont;s:1")
            self.assertEqual(r.recv(), "T05thread:1;")
            pc1 = int.from_bytes(bytes.fromhex(r.ask("p20")), "little")
            self.assertIn(pc1 - pc0, (2, 4))
            # Ctrl-C while it spins.
            r.send("c")
            c.wait_for("sum=55 counter=97")
            time.sleep(0.3)
            r.interrupt()
            self.assertEqual(r.recv(), "T02thread:1;")
            # `stop = 1`, at its address in the symbol table, lets the loop end.
            stop = self.symbol("stop")
            self.assertEqual(r.ask("M%x,4:01000000" % stop), "OK")
            self.assertEqual(r.ask("m%x,4" % stop), "01000000")
            r.send("c")
            self.assertEqual(r.recv(), "W04")
        finally:
            r.close()
        c.wait_for("stopped")
        self.assertEqual(c.wait_exit(TIMEOUT), 4)

    def test_interrupt_blocked_and_kill(self):
        c, port = self.start(self.morph, ["sleep"])
        r = Rsp(port)
        try:
            self.assertEqual(r.ask("?"), "T05thread:1;")
            r.send("c")
            c.wait_for("sum=55 counter=97")
            time.sleep(0.3)
            # The only thread sleeps in nanosleep: the stub stops it anyway.
            r.interrupt()
            self.assertEqual(r.recv(), "T02thread:1;")
            self.assertTrue(len(r.ask("g")) >= 33 * 16)
            r.sock.sendall(b"$k#6b")
            self.assertEqual(r._byte(), b"+")
        finally:
            r.close()
        # As qemu-user: k ends the process with status 0.
        self.assertEqual(c.wait_exit(TIMEOUT), 0)

    def test_interrupt_threads(self):
        """Ctrl-C again and again with three threads running: one SIGINT stop each time."""
        c, port = self.start(self.morph, ["spinners"])
        r = Rsp(port)
        try:
            self.assertEqual(r.ask("?"), "T05thread:1;")
            r.send("vCont;c")
            c.wait_for("sum=55 counter=97")
            threads = set()
            for i in range(40):
                time.sleep(0.1)
                r.interrupt()
                self.assertRegex(r.recv(), r"^T02thread:[1-4];$")
                threads.add(r.ask("qfThreadInfo"))
                r.send("vCont;c")
                # Eight rounds once every thread exists.
                if "m1,2,3,4" in threads and i >= 8:
                    break
            self.assertIn("m1,2,3,4", threads)
            r.interrupt()
            self.assertRegex(r.recv(), r"^T02thread:[1-4];$")
            r.sock.sendall(b"$k#6b")
            self.assertEqual(r._byte(), b"+")
        finally:
            r.close()
        self.assertEqual(c.wait_exit(TIMEOUT), 0)

    def test_detach(self):
        c, port = self.start(self.morph)
        r = Rsp(port)
        try:
            self.assertEqual(r.ask("Z0,%x,2" % self.symbol("compute")), "OK")
            self.assertEqual(r.ask("D"), "OK")
        finally:
            r.close()
        # Detached: the breakpoint is gone, the program runs to its end.
        c.wait_for("sum=55 counter=97")
        self.assertEqual(c.wait_exit(TIMEOUT), 3)

    def test_bad_port(self):
        p = self.run_cmd([self.morph, "-g", "tcp:nohost.invalid:x", self.prog], timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)

    def symbol(self, name):
        nm = shutil.which("riscv64-linux-gnu-nm") or shutil.which("nm")
        if not nm:
            self.skipTest("no nm to read the symbol table")
        out = subprocess.run([nm, self.prog], stdout=subprocess.PIPE, text=True).stdout
        m = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
        self.assertIsNotNone(m, f"no symbol {name}")
        return int(m.group(1), 16)


if __name__ == "__main__":
    unittest.main()
