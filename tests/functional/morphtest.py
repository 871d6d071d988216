"""The one helper every functional (boot, console, tool) test uses.

It finds the built binaries, the guest assets and the peer tools (Debian's
QEMU, qemu-img, gdb-multiarch), and drives a process as a person at a
console would: launch it, wait for text with a timeout, type input, check
the exit status.  Every process is reaped whatever happens; its console
output goes to a log file that is kept (and named in the failure) when the
test fails, and removed when it passes.

A test that lacks its binary, asset or tool raises unittest.SkipTest with
the reason, so it is reported as skipped, never as passed.

Run as `morphtest.py --run-file tests/functional/x/test_y.py` (what
tests/run.py does) to run one file and print one MORPHTEST-RESULT line per case.
"""
import hashlib
import importlib.util
import json
import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import unittest

SOURCE_DIR = os.environ.get("MORPH_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_DIR = os.environ.get("MORPH_BUILD_DIR") or os.path.join(SOURCE_DIR, "build")


def build_path(*parts):
    return os.path.join(BUILD_DIR, *parts)


def binary(name):
    """Path of a binary built by meson, or skip the test if it was not built."""
    path = build_path(name)
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest(f"{name} is not built in {BUILD_DIR}")
    return path


def tool(name):
    """Path of a host tool (a peer such as qemu-riscv64), or skip."""
    path = shutil.which(name)
    if not path:
        raise unittest.SkipTest(f"host tool '{name}' is not installed "
                                "(scripts/install-deps.sh test installs it)")
    return path


def asset_dirs(arch):
    """Where guest images are looked for, in order."""
    dirs = []
    if os.environ.get("MORPH_ASSETS"):
        dirs.append(os.path.join(os.environ["MORPH_ASSETS"], arch))
    dirs.append(os.path.join(os.path.dirname(SOURCE_DIR), "shared", "assets", arch))
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    dirs.append(os.path.join(cache, "morph", "assets", arch))
    return dirs


def asset(arch, name, sha256=None):
    """Path of a guest asset, checked against its SHA-256 when given, or skip."""
    for d in asset_dirs(arch):
        path = os.path.join(d, name)
        if os.path.isfile(path):
            if sha256 and file_sha256(path) != sha256:
                raise AssertionError(f"asset {path} does not match its pinned SHA-256")
            return path
    raise unittest.SkipTest(f"asset {arch}/{name} not found (looked in "
                            + ", ".join(asset_dirs(arch)) + "; see scripts/get-assets.sh)")


def guest_program(arch, name):
    """Path of a guest-side program built from tests/guest/, or skip."""
    path = build_path("tests", "guest", arch, name)
    if not os.path.isfile(path):
        raise unittest.SkipTest(f"guest program {arch}/{name} not built "
                                f"(needs the {arch} cross compiler)")
    return path


def connect(addr, family=None, timeout=30.0, retry=0.1):
    """A stream socket connected to `addr` (a path: AF_UNIX; (host, port): AF_INET),
    retrying until the emulator listens or `timeout` passes; its timeout set."""
    if family is None:
        family = socket.AF_UNIX if isinstance(addr, str) else socket.AF_INET
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.connect(addr)
            break
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(retry)
    sock.settimeout(timeout)
    return sock


def recv_until(sock, marker, size=4096):
    """Read from `sock` until `marker` (bytes) arrives or the peer closes; all it read."""
    got = b""
    while marker not in got:
        chunk = sock.recv(size)
        if not chunk:
            break
        got += chunk
    return got


def file_sha256(path, limit=None):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        left = limit
        while True:
            n = 1 << 20 if left is None else min(1 << 20, left)
            if n == 0:
                break
            chunk = f.read(n)
            if not chunk:
                break
            h.update(chunk)
            if left is not None:
                left -= len(chunk)
    return h.hexdigest()


class Console:
    """A running process whose output is read as a console.

    Output (stdout and stderr together) is collected by a thread into a
    buffer and a log file.  wait_for() searches from where the previous
    match ended, so a test reads the console in order.  With pty=True the
    process gets a pseudo-terminal (for programs that check isatty, or for
    escape sequences such as QEMU's C-a x).
    """

    def __init__(self, cmd, log_path, pty_mode=False, env=None, cwd=None):
        self.cmd = [str(c) for c in cmd]
        self.log_path = log_path
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        self.log = open(log_path, "wb")
        self.log.write(("$ " + " ".join(self.cmd) + "\n").encode())
        self.buf = bytearray()
        self.pos = 0
        self.cond = threading.Condition()
        self.eof = False
        self.returncode = None
        self.master = None
        if pty_mode:
            self.master, slave = pty.openpty()
            self.proc = subprocess.Popen(self.cmd, stdin=slave, stdout=slave, stderr=slave,
                                         env=env, cwd=cwd, start_new_session=True)
            os.close(slave)
            self.out_fd = self.in_fd = self.master
        else:
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                         start_new_session=True, bufsize=0)
            self.out_fd = self.proc.stdout.fileno()
            self.in_fd = self.proc.stdin.fileno()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.out_fd, 65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.buf += chunk
                self.log.write(chunk)
                self.log.flush()
                self.cond.notify_all()

    def output(self):
        with self.cond:
            return bytes(self.buf).decode("utf-8", "replace")

    def tail(self, n=2000):
        return self.output()[-n:]

    def wait_for(self, pattern, timeout=30.0, regex=False):
        """Wait until `pattern` appears after the previous match; return the match text.

        Fails the test (AssertionError with the console's tail) on timeout or
        if the process ends first.
        """
        deadline = time.monotonic() + timeout
        pat = pattern.encode() if isinstance(pattern, str) else pattern
        rx = re.compile(pat) if regex else None
        with self.cond:
            while True:
                if rx:
                    m = rx.search(self.buf, self.pos)
                    if m:
                        self.pos = m.end()
                        return m.group(0).decode("utf-8", "replace")
                else:
                    i = self.buf.find(pat, self.pos)
                    if i >= 0:
                        self.pos = i + len(pat)
                        return pattern if isinstance(pattern, str) else pat.decode()
                left = deadline - time.monotonic()
                if self.eof:
                    raise AssertionError(f"process ended before {pattern!r} appeared; "
                                         f"console tail:\n{self.tail()}")
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {pattern!r}; "
                                         f"console tail:\n{self.tail()}")
                self.cond.wait(min(left, 0.5))

    def send(self, text):
        data = text.encode() if isinstance(text, str) else text
        os.write(self.in_fd, data)

    def close_input(self):
        if self.master is None and self.proc.stdin:
            self.proc.stdin.close()

    def wait_exit(self, timeout=30.0):
        """Wait for the process to exit and return its exit status (-N for signal N)."""
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"process did not exit within {timeout}s; console tail:\n"
                                 f"{self.tail()}") from None
        self.reader.join(5)
        return self.returncode

    def kill(self):
        """Always safe: kill the process group and reap it."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self.reader.join(2)
        for f in (self.proc.stdin, self.proc.stdout):
            if f:
                try:
                    f.close()
                except OSError:
                    pass
        if self.master is not None:
            try:
                os.close(self.master)
            except OSError:
                pass
            self.master = None
        if not self.log.closed:
            self.log.close()


class MorphTestCase(unittest.TestCase):
    """Base class: launch() gives a Console that is always reaped at the end."""

    def setUp(self):
        self._consoles = []
        self.morph_logs = []

    def tearDown(self):
        for c in self._consoles:
            c.kill()

    def launch(self, cmd, pty_mode=False, env=None, cwd=None, name=None):
        tag = name or str(len(self._consoles))
        log = build_path("tests", "functional-logs", f"{self.id()}.{tag}.log")
        c = Console(cmd, log, pty_mode=pty_mode, env=env, cwd=cwd)
        self._consoles.append(c)
        self.morph_logs.append(log)
        return c

    def run_cmd(self, cmd, timeout=60, input=None, check_rc=None):
        """Run a command to completion; return CompletedProcess (text mode)."""
        p = subprocess.run([str(c) for c in cmd], input=input, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check_rc is not None:
            self.assertEqual(p.returncode, check_rc,
                             f"{cmd} exited {p.returncode}; stderr:\n{p.stderr[-2000:]}")
        return p


class _RecordingResult(unittest.TestResult):
    """Prints one MORPHTEST-RESULT JSON line per test case; manages logs."""

    def _emit(self, test, outcome, detail=""):
        rec = {"name": test.id(), "outcome": outcome, "detail": detail}
        print("MORPHTEST-RESULT " + json.dumps(rec), flush=True)

    def _logs(self, test):
        logs = [l for l in getattr(test, "morph_logs", []) if os.path.exists(l)]
        return ("; logs: " + ", ".join(logs)) if logs else ""

    def addSuccess(self, test):
        super().addSuccess(test)
        for l in getattr(test, "morph_logs", []):
            if os.path.exists(l):
                os.unlink(l)
        self._emit(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print("".join(traceback.format_exception(*err)), flush=True)
        self._emit(test, "fail", str(err[1]).splitlines()[0][:300] + self._logs(test))

    def addError(self, test, err):
        super().addError(test, err)
        print("".join(traceback.format_exception(*err)), flush=True)
        name = test.id() if hasattr(test, "id") else str(test)
        rec = {"name": name, "outcome": "fail",
               "detail": f"{err[0].__name__}: {str(err[1])[:300]}" + self._logs(test)}
        print("MORPHTEST-RESULT " + json.dumps(rec), flush=True)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._emit(test, "skip", reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._emit(test, "pass")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._emit(test, "fail", "unexpected success")


def _run_file(path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    # Name cases by their path under tests/functional: riscv64.test_x.Class.test_y
    rel = os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(__file__)))
    modname = re.sub(r"\.py$", "", rel).replace(os.sep, ".")
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    suite = unittest.defaultTestLoader.loadTestsFromModule(mod)
    result = _RecordingResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--run-file":
        sys.exit(_run_file(sys.argv[2]))
    print("usage: morphtest.py --run-file FILE", file=sys.stderr)
    sys.exit(2)
