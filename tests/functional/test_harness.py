"""Tests of the functional-test helper itself (morphtest.py): waiting for
console text, sending input, exit status, timeouts that fail with the
console tail, logs, pty mode and reaping.  Every boot test relies on these."""
import os
import sys
import time
import unittest

import morphtest

ECHO = ("import sys\n"
        "print('READY', flush=True)\n"
        "for line in sys.stdin:\n"
        "    line = line.strip()\n"
        "    if line == 'quit':\n"
        "        print('BYE', flush=True); sys.exit(3)\n"
        "    print('echo:' + line, flush=True)\n")


class HarnessTest(morphtest.MorphTestCase):
    def test_wait_send_exit(self):
        c = self.launch([sys.executable, "-c", ECHO])
        c.wait_for("READY", timeout=10)
        c.send("hello\n")
        self.assertEqual(c.wait_for("echo:hello", timeout=10), "echo:hello")
        c.send("quit\n")
        c.wait_for("BYE", timeout=10)
        self.assertEqual(c.wait_exit(10), 3)

    def test_matches_in_order(self):
        c = self.launch([sys.executable, "-c", "print('A1 B A2', flush=True)"])
        c.wait_for("B", timeout=10)
        # "A1" is before the previous match, so only A2 can match now.
        self.assertEqual(c.wait_for(r"A\d", timeout=10, regex=True), "A2")
        self.assertEqual(c.wait_exit(10), 0)

    def test_timeout_fails_with_tail(self):
        c = self.launch([sys.executable, "-c", "import time; print('only this', flush=True); "
                         "time.sleep(30)"])
        with self.assertRaises(AssertionError) as cm:
            c.wait_for("never printed", timeout=1)
        self.assertIn("only this", str(cm.exception))
        self.assertIn("timed out", str(cm.exception))

    def test_process_end_fails_wait(self):
        c = self.launch([sys.executable, "-c", "print('bye')"])
        with self.assertRaises(AssertionError) as cm:
            c.wait_for("never printed", timeout=10)
        self.assertIn("process ended", str(cm.exception))

    def test_log_file_has_output(self):
        c = self.launch([sys.executable, "-c", "print('logged line')"])
        c.wait_exit(10)
        c.kill()
        with open(c.log_path, "rb") as f:
            self.assertIn(b"logged line", f.read())

    def test_pty_mode_is_a_tty(self):
        c = self.launch([sys.executable, "-c", "import os,sys; print('tty', os.isatty(0), "
                         "os.isatty(1), flush=True)"], pty_mode=True)
        c.wait_for("tty True True", timeout=10)
        self.assertEqual(c.wait_exit(10), 0)

    def test_kill_reaps(self):
        c = self.launch([sys.executable, "-c", "import time; time.sleep(60)"])
        pid = c.proc.pid
        c.kill()
        self.assertIsNotNone(c.proc.returncode)
        with self.assertRaises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

    def test_missing_asset_skips(self):
        with self.assertRaises(unittest.SkipTest):
            morphtest.asset("riscv64", "no-such-file.img")
        with self.assertRaises(unittest.SkipTest):
            morphtest.binary("no-such-binary")


if __name__ == "__main__":
    unittest.main()
