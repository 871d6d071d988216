"""Hostile images through the command line: morph-img must answer each
broken image with one clear error line and exit status 1 (never a crash,
a hang or a signal), and refuse to follow backing-file loops."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import morphtest  # noqa: E402
from imgutil import TmpDirMixin, morph_img, qemu_img, qemu_io, run  # noqa: E402

# (name, offset, struct format, value, expected error text)
PATCHES = [
    ("magic", 0, ">I", 0x12345678, "Image is not in qcow2 format"),
    ("version", 4, ">I", 9, "Unsupported qcow2 version 9"),
    ("cluster-bits", 20, ">I", 40, "Unsupported cluster size: 2^40"),
    ("incompat", 72, ">Q", 1 << 33, "Unsupported qcow2 feature(s)"),
    ("l1-offset", 40, ">Q", 0x12345, "Active L1 table offset invalid"),
    ("l1-size", 36, ">I", 0xffffffff, "Active L1 table too large"),
    ("reftable-offset", 48, ">Q", 1 << 50, "Reference count table offset invalid"),
    ("reftable-size", 56, ">I", 0x10000000, "Reference count table too large"),
    ("snapshots", 60, ">I", 100000, "Too many snapshots"),
    ("backing-offset", 8, ">Q", 1 << 40, "Invalid backing file offset"),
    ("refcount-order", 96, ">I", 9, "Reference count entry width too large"),
    ("size", 24, ">Q", 1 << 63, "too big"),
]


class HostileImages(TmpDirMixin, morphtest.MorphTestCase):
    def good_image(self):
        img = self.path("good.qcow2")
        run([qemu_img(), "create", "-q", "-f", "qcow2", img, "1M"])
        run([qemu_io(), "-c", "write -P 0x42 0 64k", img])
        with open(img, "rb") as f:
            return f.read()

    def test_header_fields(self):
        good = self.good_image()
        for name, off, fmt, val, msg in PATCHES:
            bad = bytearray(good)
            struct.pack_into(fmt, bad, off, val)
            img = self.path(f"{name}.qcow2")
            with open(img, "wb") as f:
                f.write(bad)
            for verb in (["info"], ["check"], ["convert", "-O", "raw"]):
                args = [morph_img()] + verb + ["-f", "qcow2", img]
                if verb[0] == "convert":
                    args.append(self.path("out.raw"))
                p = run(args, check=False, timeout=60)
                self.assertEqual(p.returncode, 1, f"{name} {verb}: {p.returncode}\n{p.stderr}")
                lines = p.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, f"{name} {verb}: {p.stderr}")
                self.assertIn(msg, lines[0], name)
                self.assertTrue(lines[0].startswith("morph-img: Could not open"), lines[0])

    def test_l2_points_into_metadata(self):
        good = bytearray(self.good_image())
        l1 = struct.unpack_from(">Q", good, 40)[0]
        l2 = struct.unpack_from(">Q", good, l1)[0] & 0x00fffffffffffe00
        struct.pack_into(">Q", good, l2, (1 << 63) | 0x10000)   # the refcount table
        img = self.path("l2.qcow2")
        with open(img, "wb") as f:
            f.write(good)
        before = open(img, "rb").read()
        p = run([morph_img(), "convert", "-O", "raw", img, self.path("o.raw")], check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Data cluster offset 0x10000 is invalid", p.stderr)
        # Reading never changes the image.
        self.assertEqual(open(img, "rb").read(), before)
        p = run([morph_img(), "check", img], check=False)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)

    def test_backing_loop(self):
        a, b = self.path("a.qcow2"), self.path("b.qcow2")
        run([morph_img(), "create", "-q", "-u", "-f", "qcow2", "-b", "b.qcow2", "-F", "qcow2",
             a, "1M"])
        run([morph_img(), "create", "-q", "-u", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2",
             b, "1M"])
        p = run([morph_img(), "convert", "-O", "raw", a, self.path("o.raw")], check=False,
                timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("loop", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        p = run([morph_img(), "info", "--backing-chain", a], check=False, timeout=60)
        self.assertEqual(p.returncode, 1)

    def test_truncated_and_empty(self):
        for size in (0, 10, 100):
            img = self.path(f"t{size}.qcow2")
            with open(img, "wb") as f:
                f.write(self.good_image()[:size])
            p = run([morph_img(), "info", "-f", "qcow2", img], check=False)
            self.assertEqual(p.returncode, 1)
            self.assertRegex(p.stderr, "Image is not in qcow2 format|header too short")

    def test_probe_warns_raw(self):
        img = self.path("plain.img")
        with open(img, "wb") as f:
            f.write(b"\x00" * 65536)
        p = run([morph_img(), "compare", img, img], check=False)
        self.assertEqual(p.returncode, 0)
        self.assertIn("probing guessed raw", p.stderr)
