"""The README's quick start: `make run` boots the default guest (the riscv64
virt machine, OpenSBI, the assets' Linux + busybox) to an interactive shell,
and says so in one line when it cannot: no binary, or no guest images."""
import os
import shutil
import tempfile

import morphtest

SCRIPT = os.path.join(morphtest.SOURCE_DIR, "scripts", "run-default-guest.sh")


class QuickStartTest(morphtest.MorphTestCase):
    def test_run_default_guest(self):
        morphtest.binary("morph-system-riscv64")
        morphtest.asset("riscv64", "Image")
        morphtest.asset("riscv64", "rootfs.cpio.gz")
        c = self.launch([SCRIPT, morphtest.BUILD_DIR], pty_mode=True, name="make-run")
        c.wait_for("OpenSBI v1.1", timeout=60)
        c.wait_for("morph-rv64:/# ", timeout=240)
        c.send("cat /proc/cpuinfo | grep -c ^processor\r")
        c.wait_for("\n2\r", timeout=60)
        c.send("\x01x")
        self.assertEqual(c.wait_exit(30), 0, c.tail())

    def test_missing_assets(self):
        morphtest.binary("morph-system-riscv64")
        empty = tempfile.mkdtemp(prefix="morph-noassets-")
        # A copy of the script outside the tree, so ../shared/assets is not beside it.
        tree = tempfile.mkdtemp(prefix="morph-tree-")
        try:
            os.makedirs(os.path.join(tree, "src", "scripts"))
            script = os.path.join(tree, "src", "scripts", "run-default-guest.sh")
            shutil.copy(SCRIPT, script)
            env = dict(os.environ, MORPH_ASSETS=empty, XDG_CACHE_HOME=empty)
            p = self.run_cmd(["env"] + [f"{k}={v}" for k, v in env.items()
                                        if k in ("MORPH_ASSETS", "XDG_CACHE_HOME")]
                             + [script, morphtest.BUILD_DIR], timeout=30)
            self.assertEqual(p.returncode, 1)
            lines = p.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn("not found", lines[0])
            self.assertIn("get-assets.sh", lines[0])
        finally:
            shutil.rmtree(empty)
            shutil.rmtree(tree)

    def test_missing_binary(self):
        empty = tempfile.mkdtemp(prefix="morph-nobuild-")
        try:
            p = self.run_cmd([SCRIPT, empty], timeout=30)
            self.assertEqual(p.returncode, 1)
            lines = p.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn("not built", lines[0])
        finally:
            os.rmdir(empty)
