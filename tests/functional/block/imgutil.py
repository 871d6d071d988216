"""Helpers shared by the block functional tests: temporary directories,
deterministic test data, and running morph-img / qemu-img / qemu-io."""
import json
import os
import random
import shutil
import subprocess
import tempfile

import morphtest


def morph_img():
    return morphtest.binary("morph-img")


def qemu_img():
    return morphtest.tool("qemu-img")


def qemu_io():
    return morphtest.tool("qemu-io")


def run(cmd, check=True, timeout=300):
    p = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n"
                             f"{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    return p


def run_json(cmd):
    return json.loads(run(cmd).stdout)


def make_data(path, size, seed, holes=True):
    """A raw file of `size` bytes: random runs, text runs and holes."""
    rng = random.Random(seed)
    with open(path, "wb") as f:
        f.truncate(size)
        off = 0
        while off < size:
            n = min(size - off, rng.choice([512, 4096, 65536, 300000]))
            kind = rng.random()
            if kind < 0.4:
                f.seek(off)
                f.write(rng.randbytes(n))
            elif kind < 0.7 or not holes:
                f.seek(off)
                f.write((b"morph-%d " % off) * (n // 12 + 1))
            off += n
        f.truncate(size)


class TmpDirMixin:
    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="morph-block-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        super().tearDown()

    def path(self, name):
        return os.path.join(self.dir, name)

    def to_raw(self, tool, img, name, fmt=None):
        out = self.path(name)
        cmd = [tool, "convert"] + (["-f", fmt] if fmt else []) + ["-O", "raw", img, out]
        run(cmd)
        with open(out, "rb") as f:
            return f.read()

    def assert_qemu_clean(self, img):
        p = run([qemu_img(), "check", img], check=False)
        self.assertEqual(p.returncode, 0, f"qemu-img check {img}:\n{p.stdout}{p.stderr}")
        self.assertIn("No errors were found on the image.", p.stdout)

    def assert_morph_clean(self, img):
        p = run([morph_img(), "check", img], check=False)
        self.assertEqual(p.returncode, 0, f"morph-img check {img}:\n{p.stdout}{p.stderr}")
        self.assertIn("No errors were found on the image.", p.stdout)
