"""morph-riscv64 (user mode) against Debian's qemu-riscv64.

Each guest program from tests/guest/riscv64 runs under both; their
output and exit status must match (a few lines that the oracle cannot
produce, such as execve of a riscv64 program without binfmt_misc, are
checked against morph alone).  The command-line contract is checked too:
a missing program, a bad ELF file or an unknown option is one line on
stderr and exit status 1, as qemu-riscv64 behaves.
"""
import gzip
import os
import shutil
import stat
import tempfile
import unittest

import morphtest

SYSROOT = "/usr/riscv64-linux-gnu"
TIMEOUT = 120


class UserModeBase(morphtest.MorphTestCase):
    def morph(self):
        return morphtest.binary("morph-riscv64")

    def run_under(self, emulator, prog, args=(), dynamic=False, extra=(), env=None):
        cmd = [emulator] + list(extra)
        if dynamic:
            if not os.path.isdir(SYSROOT):
                self.skipTest(f"riscv64 sysroot {SYSROOT} is not installed")
            cmd += ["-L", SYSROOT]
        cmd += [prog] + list(args)
        return self.run_cmd(cmd, timeout=TIMEOUT) if env is None else \
            self._run_env(cmd, env)

    def _run_env(self, cmd, env):
        import subprocess
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=TIMEOUT, env=env)

    def compare(self, name, args=(), dynamic=None, drop=()):
        """Run `name` under morph and qemu; return morph's result after comparing."""
        prog = morphtest.guest_program("riscv64", name)
        dynamic = name.endswith("dynamic") if dynamic is None else dynamic
        got = self.run_under(self.morph(), prog, args, dynamic)
        qemu = shutil.which("qemu-riscv64")
        if qemu:
            want = self.run_under(qemu, prog, args, dynamic)

            def keep(text):
                return [l for l in text.splitlines() if not any(l.startswith(d) for d in drop)]
            self.assertEqual(keep(got.stdout), keep(want.stdout),
                             f"{name}: output differs from qemu-riscv64; morph stderr:\n"
                             f"{got.stderr[-2000:]}")
            self.assertEqual(got.returncode, want.returncode,
                             f"{name}: exit status differs; morph stderr:\n{got.stderr[-2000:]}")
        self.assertNotIn("FAIL", got.stdout)
        return got


class GuestPrograms(UserModeBase):
    def test_hello_static(self):
        r = self.compare("hello-static", ["a", "bc"])
        self.assertEqual(r.returncode, 3)
        self.assertIn("argv[2]=bc len=2", r.stdout)

    def test_hello_dynamic(self):
        r = self.compare("hello-dynamic", ["x"])
        self.assertEqual(r.returncode, 2)

    def test_files(self):
        r = self.compare("user-files-static")
        self.assertIn("cleanup ok", r.stdout)
        self.assertIn("machine riscv64", r.stdout)

    def test_files_dynamic(self):
        self.compare("user-files-dynamic")

    def test_procs(self):
        # qemu-riscv64 cannot execve a riscv64 program without binfmt_misc.
        r = self.compare("user-procs-static",
                         drop=("execve failed", "exec child", "spawn child"))
        self.assertIn("exec child: argc=3 arg2=two env=passed usr2 blocked=1", r.stdout)
        self.assertIn("exec child: argc=3 arg2=spawned env=(unset) usr2 blocked=0", r.stdout)
        self.assertIn("spawn child exit: 7", r.stdout)
        self.assertIn("exec child exit: 7", r.stdout)
        self.assertIn("procs done", r.stdout)

    def test_threads(self):
        r = self.compare("user-threads-static")
        self.assertIn("counter 120000 atomic 240000 joined 55", r.stdout)

    def test_threads_dynamic(self):
        self.compare("user-threads-dynamic")

    def test_signals(self):
        r = self.compare("user-signals-static")
        self.assertIn("signals done", r.stdout)

    def test_signals_dynamic(self):
        self.compare("user-signals-dynamic")

    def test_timers(self):
        self.compare("user-timers-static")

    def test_sockets(self):
        r = self.compare("user-sockets-static")
        self.assertIn("tcp echo: HELLO TCP", r.stdout)

    def test_memory(self):
        r = self.compare("user-memory-static")
        self.assertIn("recursion: 75000", r.stdout)

    def test_fenv(self):
        self.compare("user-fenv-static")

    def test_self_modifying_code(self):
        r = self.compare("user-smc-static")
        self.assertIn("second: 22", r.stdout)
        self.assertIn("loop sum: 19900", r.stdout)

    def test_exit_status(self):
        for args, code in ((["exit", "9"], 9), (["abort"], -6), (["segv"], -11),
                           (["thread-exit"], 5)):
            r = self.compare("user-exit-static", args)
            self.assertEqual(r.returncode, code, args)


    def test_wild_addresses_fault_in_guest(self):
        # Not compared with qemu-riscv64: with its guest_base these reach host memory.
        prog = morphtest.guest_program("riscv64", "user-exit-static")
        r = self.run_cmd([self.morph(), prog, "wild"], timeout=TIMEOUT, check_rc=0)
        for a in ("0xfffffffffffffff8", "0x8000000000", "0xc000000000"):
            self.assertIn(f"wild load {a}: faulted=1 at {a}", r.stdout)
        # Non-canonical on the host: a fault all the same (the host does not say where).
        self.assertIn("wild load 0x4000000000000000: faulted=1", r.stdout)

    def test_host_signal_kills_spinning_guest(self):
        # A guest in a tight loop still sees a host SIGTERM (exit request at TB entry).
        prog = morphtest.guest_program("riscv64", "user-exit-static")
        c = self.launch([self.morph(), prog, "spin"])
        c.wait_for("spinning", timeout=60)
        c.proc.send_signal(15)
        self.assertEqual(c.wait_exit(timeout=30), -15)


def extract_cpio(data, dest):
    """Unpack a newc cpio archive (the boot rootfs) without a cpio binary."""
    off = 0
    while data[off:off + 6] == b"070701":
        fields = [int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name = data[off + 110:off + 110 + namesize - 1].decode()
        off = (off + 110 + namesize + 3) & ~3
        body = data[off:off + size]
        off = (off + size + 3) & ~3
        if name == "TRAILER!!!":
            break
        path = os.path.join(dest, name)
        if stat.S_ISDIR(mode):
            os.makedirs(path, exist_ok=True)
        elif stat.S_ISLNK(mode) or stat.S_ISREG(mode):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(body.rstrip(b"\0").decode(), path)
            else:
                with open(path, "wb") as f:
                    f.write(body)
                os.chmod(path, mode & 0o7777)


class Busybox(UserModeBase):
    """The boot test's static riscv64 busybox, as a real-world program."""

    SCRIPT = ("echo hi; X=$((6*7)); echo $X; for i in 1 2 3; do echo n$i; done | sort -r | "
              "tr n N; printf '%s\\n' b a c | sort | md5sum; echo abc | sed s/b/B/; "
              "seq 1 5 | awk '{s+=$1} END {print s}'; uname -m; (sleep 0.1; echo sub); "
              "wait; test -d / && echo dir; echo done")

    def setUp(self):
        super().setUp()
        cpio = morphtest.asset("riscv64", "rootfs.cpio.gz")
        self.root = tempfile.mkdtemp(prefix="morph-rootfs-")
        with gzip.open(cpio, "rb") as f:
            extract_cpio(f.read(), self.root)
        self.busybox = os.path.join(self.root, "bin", "busybox")
        if not os.path.isfile(self.busybox):
            self.skipTest("the rootfs has no bin/busybox")

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)
        super().tearDown()

    def test_shell_script_matches_qemu(self):
        got = self.run_cmd([self.morph(), self.busybox, "sh", "-c", self.SCRIPT],
                           timeout=TIMEOUT)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertIn("riscv64", got.stdout)
        self.assertTrue(got.stdout.endswith("done\n"), got.stdout)
        qemu = shutil.which("qemu-riscv64")
        if qemu:
            want = self.run_cmd([qemu, self.busybox, "sh", "-c", self.SCRIPT], timeout=TIMEOUT)
            self.assertEqual(got.stdout, want.stdout)

    def test_exec_applets_under_prefix(self):
        # Applets run by path are riscv64 programs: execve runs them under morph again.
        script = "/bin/echo via-exec; /bin/sh -c 'echo nested'; ls /bin | grep -c busybox"
        r = self.run_cmd([self.morph(), "-L", self.root, self.busybox, "sh", "-c", script],
                         timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["via-exec", "nested", "1"])


class CommandLine(UserModeBase):
    def assert_one_line_error(self, r, *words):
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        for w in words:
            self.assertIn(w, lines[0])

    def test_missing_program(self):
        r = self.run_cmd([self.morph(), "/nonexistent/prog"])
        self.assert_one_line_error(r, "/nonexistent/prog", "No such file")

    def test_no_program(self):
        r = self.run_cmd([self.morph()])
        self.assert_one_line_error(r, "no user program")

    def test_bad_option(self):
        r = self.run_cmd([self.morph(), "-bogus", "x"])
        self.assert_one_line_error(r, "bogus")

    def test_bad_cpu(self):
        r = self.run_cmd([self.morph(), "-cpu", "nosuchcpu", "x"])
        self.assert_one_line_error(r, "nosuchcpu")

    def test_bad_log_item(self):
        r = self.run_cmd([self.morph(), "-d", "nosuchitem", "x"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("nosuchitem", r.stderr)

    def test_bad_elf(self):
        with tempfile.TemporaryDirectory() as d:
            cases = {
                "text": b"hello\n",
                "truncated": b"\x7fELF\x02\x01\x01",
                "x86": open("/bin/true", "rb").read(),
                "phoff": None,
            }
            hello = open(morphtest.guest_program("riscv64", "hello-static"), "rb").read()
            bad = bytearray(hello)
            bad[0x20:0x28] = (0xFFFFFFFFFFFF0000).to_bytes(8, "little")  # e_phoff
            cases["phoff"] = bytes(bad)
            for name, data in cases.items():
                path = os.path.join(d, name)
                with open(path, "wb") as f:
                    f.write(data)
                os.chmod(path, 0o755)
                r = self.run_cmd([self.morph(), path])
                self.assert_one_line_error(r, name)

    def test_dynamic_without_sysroot(self):
        if os.path.exists("/lib/ld-linux-riscv64-lp64d.so.1"):
            self.skipTest("the host has a riscv64 ld.so at /lib")
        prog = morphtest.guest_program("riscv64", "hello-dynamic")
        env = {k: v for k, v in os.environ.items() if k != "MORPH_LD_PREFIX"}
        r = self._run_env([self.morph(), prog], env)
        self.assert_one_line_error(r, "ld-linux-riscv64-lp64d.so.1", "-L")
        r = self._run_env([self.morph(), "-L", "/nonexistent-root", prog], env)
        self.assert_one_line_error(r, "/nonexistent-root")

    def test_help_version_lists(self):
        r = self.run_cmd([self.morph(), "-help"], check_rc=0)
        self.assertIn("-L path", r.stdout)
        self.assertIn("MORPH_LD_PREFIX", r.stdout)
        r = self.run_cmd([self.morph(), "-version"], check_rc=0)
        self.assertIn("morph-riscv64 version", r.stdout)
        r = self.run_cmd([self.morph(), "-cpu", "help"], check_rc=0)
        self.assertIn("rv64", r.stdout.split())
        r = self.run_cmd([self.morph(), "-d", "help"], check_rc=0)
        self.assertIn("strace", r.stdout)

    def test_strace(self):
        prog = morphtest.guest_program("riscv64", "hello-static")
        r = self.run_cmd([self.morph(), "-strace", prog], check_rc=0)
        self.assertRegex(r.stderr, r"\d+ write\(1,0x[0-9a-f]+,\d+\) = \d+")
        self.assertRegex(r.stderr, r"\d+ exit_group\(0\)")
        self.assertIn("hello from riscv64", r.stdout)

    def test_env_options(self):
        prog = morphtest.guest_program("riscv64", "user-procs-static")
        env = dict(os.environ, MORPH_STRACE="1")
        r = self._run_env([self.morph(), prog, "exec-child", "z"], env)
        self.assertIn("exec child: argc=3 arg2=z", r.stdout)
        self.assertIn("exit_group", r.stderr)
        r = self.run_cmd([self.morph(), "-E", "MORPH_TEST_VAR=fromE", prog, "exec-child"])
        self.assertIn("env=fromE", r.stdout)
        r = self.run_cmd([self.morph(), "-0", "renamed", prog, "exec-child", "q"])
        self.assertEqual(r.returncode, 7)

    def test_backends_agree(self):
        # The interpreter backend runs the same programs with the same results.
        for name in ("hello-static", "user-signals-static", "user-smc-static",
                     "user-threads-static"):
            prog = morphtest.guest_program("riscv64", name)
            outs = []
            for backend in ("x86_64", "interp"):
                r = self.run_cmd([self.morph(), "-accel", f"tcg,backend={backend}", prog],
                                 timeout=TIMEOUT)
                self.assertEqual(r.returncode, 0, f"{name} {backend}: {r.stderr[-2000:]}")
                outs.append(r.stdout)
            self.assertEqual(outs[0], outs[1], name)
        r = self.run_cmd([self.morph(), "-accel", "tcg,backend=nope", "x"])
        self.assert_one_line_error(r, "nope")


if __name__ == "__main__":
    unittest.main()
