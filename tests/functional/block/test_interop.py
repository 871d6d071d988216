"""Interoperability of morph-img with Debian's qemu-img and qemu-io: images
written by QEMU read byte-identically through morph-img, images written by
morph-img pass `qemu-img check` and `qemu-img compare`, both for plain,
version 2, small-cluster, compressed, backing-chain and snapshot images."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import morphtest  # noqa: E402
from imgutil import (TmpDirMixin, make_data, morph_img, qemu_img, qemu_io, run,
                     run_json)


class QemuWritesMorphReads(TmpDirMixin, morphtest.MorphTestCase):
    def qemu_write(self, img, *cmds):
        args = [qemu_io()]
        for c in cmds:
            args += ["-c", c]
        run(args + [img])

    def assert_same(self, img):
        ours = self.to_raw(morph_img(), img, "ours.raw")
        theirs = self.to_raw(qemu_img(), img, "theirs.raw")
        self.assertEqual(len(ours), len(theirs))
        self.assertTrue(ours == theirs, f"{img}: contents differ")
        self.assert_morph_clean(img)

    def test_plain_v3_and_v2(self):
        for opts in ("compat=1.1", "compat=0.10", "cluster_size=4096",
                     "cluster_size=512,refcount_bits=1", "refcount_bits=64"):
            img = self.path("plain.qcow2")
            run([qemu_img(), "create", "-q", "-f", "qcow2", "-o", opts, img, "8M"])
            self.qemu_write(img, "write -P 0x11 0 100k", "write -P 0x22 1000000 77k",
                            "write -z 20k 8k", "discard 64k 64k", "write -P 0x33 7M 1M")
            self.assert_same(img)

    def test_backing_chain(self):
        base, mid, top = self.path("base.qcow2"), self.path("mid.qcow2"), self.path("top.qcow2")
        run([qemu_img(), "create", "-q", "-f", "qcow2", base, "4M"])
        self.qemu_write(base, "write -P 0x01 0 4M")
        run([qemu_img(), "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2",
             "-o", "compat=0.10", mid])
        self.qemu_write(mid, "write -P 0x02 4k 10k", "write -z 1M 64k")
        run([qemu_img(), "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2",
             top, "6M"])
        self.qemu_write(top, "write -P 0x03 8k 3k", "write -P 0x04 5M 4k")
        self.assert_same(top)
        info = run_json([morph_img(), "info", "--output=json", "--backing-chain", top])
        self.assertEqual([i["filename"] for i in info], [top, mid, base])
        self.assertEqual(info[0]["backing-filename"], "mid.qcow2")
        self.assertEqual(info[0]["backing-filename-format"], "qcow2")

    def test_compressed(self):
        src, img = self.path("src.raw"), self.path("comp.qcow2")
        make_data(src, 6 << 20, seed=7)
        run([qemu_img(), "convert", "-c", "-f", "raw", "-O", "qcow2", src, img])
        self.assert_same(img)
        with open(src, "rb") as f:
            self.assertEqual(self.to_raw(morph_img(), img, "c.raw"), f.read())

    def test_snapshots(self):
        img = self.path("snap.qcow2")
        run([qemu_img(), "create", "-q", "-f", "qcow2", img, "4M"])
        self.qemu_write(img, "write -P 0xa1 0 1M")
        run([qemu_img(), "snapshot", "-c", "one", img])
        self.qemu_write(img, "write -P 0xa2 512k 1M")
        run([qemu_img(), "snapshot", "-c", "two", img])
        self.qemu_write(img, "write -P 0xa3 0 64k")
        self.assert_same(img)
        ours = run([morph_img(), "snapshot", "-l", img]).stdout.splitlines()
        theirs = run([qemu_img(), "snapshot", "-l", img]).stdout.splitlines()
        self.assertEqual(ours, theirs)
        for name in ("one", "two"):
            a, b = self.path("a.qcow2"), self.path("b.qcow2")
            shutil.copy(img, a)
            shutil.copy(img, b)
            run([morph_img(), "snapshot", "-a", name, a])
            run([qemu_img(), "snapshot", "-a", name, b])
            self.assert_qemu_clean(a)
            self.assertEqual(self.to_raw(morph_img(), a, "sa.raw"),
                             self.to_raw(qemu_img(), b, "sb.raw"))

    def test_info_map_measure_match(self):
        img = self.path("i.qcow2")
        run([qemu_img(), "create", "-q", "-f", "qcow2", img, "64M"])
        self.qemu_write(img, "write -P 0x11 0 200k", "write -P 0x22 10M 4k", "write -z 20M 1M")
        for verb in (["info", "--output=json"], ["map", "--output=json"],
                     ["measure", "--output=json", "-O", "qcow2"]):
            ours = run_json([morph_img()] + verb + [img])
            theirs = run_json([qemu_img()] + verb + [img])
            if verb[0] == "info":
                for k in ("actual-size",):
                    ours.pop(k)
                    theirs.pop(k)
            self.assertEqual(ours, theirs, verb)
        for verb in (["info"], ["map"], ["check"]):
            ours = run([morph_img()] + verb + [img]).stdout
            theirs = run([qemu_img()] + verb + [img]).stdout
            strip = [l for l in ours.splitlines() if not l.startswith("disk size")]
            self.assertEqual(strip, [l for l in theirs.splitlines()
                                     if not l.startswith("disk size")], verb)
        for size in ("1G", "100M", "3T"):
            ours = run([morph_img(), "measure", "-O", "qcow2", "--size", size]).stdout
            theirs = run([qemu_img(), "measure", "-O", "qcow2", "--size", size]).stdout
            self.assertEqual(ours, theirs)


class MorphWritesQemuReads(TmpDirMixin, morphtest.MorphTestCase):
    def convert_and_verify(self, opts, compress=False):
        src, img = self.path("src.raw"), self.path("out.qcow2")
        make_data(src, 5 << 20, seed=len(opts))
        cmd = [morph_img(), "convert", "-f", "raw", "-O", "qcow2"]
        cmd += (["-c"] if compress else []) + (["-o", opts] if opts else []) + [src, img]
        run(cmd)
        self.assert_qemu_clean(img)
        p = run([qemu_img(), "compare", "-f", "raw", "-F", "qcow2", src, img], check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        os.unlink(img)

    def test_convert_plain(self):
        for opts in ("", "compat=0.10", "cluster_size=4096", "cluster_size=512,refcount_bits=1",
                     "refcount_bits=64", "cluster_size=2M", "preallocation=metadata"):
            self.convert_and_verify(opts)

    def test_convert_compressed(self):
        for opts in ("", "cluster_size=4096", "compat=0.10"):
            self.convert_and_verify(opts, compress=True)

    def test_create_matches_qemu(self):
        a, b = self.path("a.qcow2"), self.path("b.qcow2")
        for args in (["-f", "qcow2"], ["-f", "qcow2", "-o", "compat=0.10,cluster_size=4k"],
                     ["-f", "raw"]):
            ours = run([morph_img(), "create"] + args + [a, "1G"]).stdout
            theirs = run([qemu_img(), "create"] + args + [b, "1G"]).stdout
            self.assertEqual(ours.replace("a.qcow2", "X"), theirs.replace("b.qcow2", "X"))
            if "qcow2" in args:
                self.assert_qemu_clean(a)
        p = run([morph_img(), "create", "-f", "qcow2", "-b", a, a + "2"], check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Backing file specified without backing format", p.stderr)

    def test_backing_chain_writes(self):
        """Writes through an overlay copy the rest of each cluster from the backing file."""
        src, base, top = self.path("src.raw"), self.path("base.qcow2"), self.path("top.qcow2")
        make_data(src, 4 << 20, seed=3, holes=False)
        run([morph_img(), "convert", "-f", "raw", "-O", "qcow2", "-c", src, base])
        run([morph_img(), "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", top])
        # 4 KiB writes every 69632 bytes: each lands inside a cluster of the base.
        run([morph_img(), "bench", "-q", "-w", "-c", "60", "-d", "8", "-s", "4096",
             "-S", "69632", "--pattern=90", top])
        with open(src, "rb") as f:
            expect = bytearray(f.read())
        size = len(expect)
        off = 0
        for _ in range(60):
            expect[off:off + 4096] = bytes([90]) * 4096
            off = (off + 69632) % (size - 4096)
        exp = self.path("expect.raw")
        with open(exp, "wb") as f:
            f.write(expect)
        self.assert_qemu_clean(top)
        self.assert_qemu_clean(base)
        p = run([qemu_img(), "compare", "-F", "raw", top, exp], check=False)
        self.assertEqual(p.returncode, 0, p.stdout)
        # commit into the base, then the base alone holds the same data.
        run([morph_img(), "commit", "-q", top])
        self.assert_qemu_clean(base)
        self.assertEqual(run([qemu_img(), "compare", "-F", "raw", base, exp],
                             check=False).returncode, 0)
        # rebase onto nothing: the top gets a full copy of what it read through.
        run([morph_img(), "rebase", "-b", "", top])
        self.assert_qemu_clean(top)
        info = run_json([qemu_img(), "info", "--output=json", top])
        self.assertNotIn("backing-filename", info)
        self.assertEqual(run([qemu_img(), "compare", "-F", "raw", top, exp],
                             check=False).returncode, 0)

    def test_snapshots_for_qemu(self):
        img = self.path("s.qcow2")
        run([morph_img(), "create", "-q", "-f", "qcow2", img, "4M"])
        run([qemu_io(), "-c", "write -P 0x61 0 1M", img])
        run([morph_img(), "snapshot", "-c", "first", img])
        run([qemu_io(), "-c", "write -P 0x62 0 512k", img])
        self.assert_qemu_clean(img)
        theirs = run([qemu_img(), "snapshot", "-l", img]).stdout
        self.assertIn("first", theirs)
        run([qemu_img(), "snapshot", "-a", "first", img])
        run([qemu_io(), "-c", "read -P 0x61 0 1M", img])
        run([morph_img(), "snapshot", "-d", "first", img])
        self.assert_qemu_clean(img)
        self.assertNotIn("first", run([qemu_img(), "snapshot", "-l", img]).stdout)

    def test_resize(self):
        img = self.path("r.qcow2")
        run([morph_img(), "create", "-q", "-f", "qcow2", img, "1M"])
        self.assertIn("Image resized.", run([morph_img(), "resize", img, "+1G"]).stdout)
        self.assertEqual(run_json([qemu_img(), "info", "--output=json", img])["virtual-size"],
                         (1 << 30) + (1 << 20))
        self.assert_qemu_clean(img)
        p = run([morph_img(), "resize", img, "1M"], check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--shrink", p.stderr)
        run([morph_img(), "resize", "--shrink", img, "1M"])
        self.assert_qemu_clean(img)


class ExitCodes(TmpDirMixin, morphtest.MorphTestCase):
    def test_compare(self):
        a, b = self.path("a.qcow2"), self.path("b.raw")
        run([qemu_img(), "create", "-q", "-f", "qcow2", a, "1M"])
        run([qemu_img(), "create", "-q", "-f", "raw", b, "1M"])
        p = run([morph_img(), "compare", a, "-F", "raw", b], check=False)
        self.assertEqual((p.returncode, p.stdout.strip()), (0, "Images are identical."))
        run([qemu_io(), "-c", "write -P 1 4608 1", a])
        p = run([morph_img(), "compare", a, "-F", "raw", b], check=False)
        self.assertEqual((p.returncode, p.stdout.strip()), (1, "Content mismatch at offset 4608!"))
        p = run([morph_img(), "compare", a, self.path("missing")], check=False)
        self.assertEqual(p.returncode, 2)

    def test_check_leaks_and_repair(self):
        img = self.path("leak.qcow2")
        run([morph_img(), "create", "-q", "-f", "qcow2", img, "1M"])
        # An extra reference on cluster 6 (in the file, unused): a leak.
        with open(img, "r+b") as f:
            f.truncate(8 * 65536)
            f.seek(2 * 65536 + 6 * 2)
            f.write(b"\x00\x01")
        p = run([morph_img(), "check", img], check=False)
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertIn("1 leaked clusters were found on the image.", p.stdout)
        self.assertEqual(run([qemu_img(), "check", img], check=False).returncode, 3)
        p = run([morph_img(), "check", "-r", "leaks", img], check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("The following inconsistencies were found and repaired", p.stdout)
        self.assert_qemu_clean(img)

    def test_check_corruption(self):
        img = self.path("bad.qcow2")
        run([morph_img(), "create", "-q", "-f", "qcow2", img, "1M"])
        run([qemu_io(), "-c", "write 0 64k", img])
        # Drop the refcount of the data cluster: a cluster in use that looks free.
        out = run_json([qemu_img(), "map", "--output=json", img])
        data = [e for e in out if e["data"]][0]["offset"] // 65536
        with open(img, "r+b") as f:
            f.seek(2 * 65536 + data * 2)
            f.write(b"\x00\x00")
        p = run([morph_img(), "check", img], check=False)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(run([qemu_img(), "check", img], check=False).returncode, 2)
        p = run([morph_img(), "check", "--output=json", img], check=False)
        self.assertEqual(p.returncode, 2)
        self.assertGreater(__import__("json").loads(p.stdout)["corruptions"], 0)
        run([morph_img(), "check", "-r", "all", img], check=False)
        self.assert_qemu_clean(img)

    def test_raw_check_unsupported(self):
        img = self.path("r.raw")
        run([morph_img(), "create", "-q", "-f", "raw", img, "1M"])
        p = run([morph_img(), "check", "-f", "raw", img], check=False)
        self.assertEqual(p.returncode, 63)
        self.assertIn("does not support checks", p.stderr)
