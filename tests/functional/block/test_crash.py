"""Crash consistency: SIGKILL a morph-img writer (the hidden x-writer verb:
concurrent random writes with periodic flushes, logging every write it
issues, every completion and every completed flush) at a random moment,
then require that `qemu-img check` and `morph-img check` find no corruption
(leaked clusters are allowed: they are the documented cost of a crash) and
that every write completed before the last finished flush is on disk."""
import os
import random
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import morphtest  # noqa: E402
from imgutil import TmpDirMixin, morph_img, qemu_img, run  # noqa: E402


def parse_log(text):
    writes, completions, stable = [], [], 0
    lines = text.split("\n")
    for line in lines[:-1]:          # the last line may be cut by the kill
        m = re.fullmatch(r"W (\d+) (\d+)", line)
        if m:
            writes.append((int(m.group(1)), int(m.group(2))))
            continue
        m = re.fullmatch(r"C (\d+)", line)
        if m:
            completions.append(int(m.group(1)))
            continue
        m = re.fullmatch(r"F (\d+)", line)
        if m:
            stable = max(stable, int(m.group(1)))
    return writes, completions, stable


class CrashConsistency(TmpDirMixin, morphtest.MorphTestCase):
    def verify(self, img, log, bsize):
        writes, completions, stable = parse_log(log)
        self.assertGreater(stable, 0, "no flush completed before the kill")
        durable = set(completions[:stable])
        for tool in (qemu_img(), morph_img()):
            p = run([tool, "check", img], check=False)
            self.assertIn(p.returncode, (0, 3), f"{tool} check:\n{p.stdout}{p.stderr}")
            self.assertNotIn("ERROR", p.stdout + p.stderr)
        raw = self.to_raw(qemu_img(), img, "after.raw")
        per_block = {}
        for idx, block in writes:
            per_block.setdefault(block, []).append(idx)
        checked = 0
        for block, idxs in per_block.items():
            last = 0
            for i, idx in enumerate(idxs):
                if idx in durable:
                    last, first_after = idx, i + 1
            allowed = {last} | set(idxs[idxs.index(last) + 1:] if last else idxs)
            base = block * bsize
            for sec in range(0, bsize, 512):
                word = struct.unpack_from("<Q", raw, base + sec)[0]
                idx, blk = word >> 24, word & 0xffffff
                if word == 0:
                    idx = 0
                else:
                    self.assertEqual(blk, block, f"block {block} holds data of block {blk}")
                self.assertEqual(raw[base + sec:base + sec + 512],
                                 struct.pack("<Q", word) * 64, f"torn sector in block {block}")
                self.assertIn(idx, allowed, f"block {block} sector {sec}: write {idx}, "
                              f"expected one of {sorted(allowed)[:5]} (last stable {last})")
                checked += 1
        self.assertGreater(checked, 0)
        return stable

    def crash_round(self, opts, seed, flushes):
        img = self.path("crash.qcow2")
        bsize = 16384
        run([morph_img(), "create", "-q", "-f", "qcow2", "-o", opts, img, "64M"])
        c = self.launch([morph_img(), "x-writer", "-s", str(seed), "-b", str(bsize), "-d", "8",
                         "-F", "48", img], name=f"writer-{seed}")
        for _ in range(flushes):
            c.wait_for(r"F \d+\n", timeout=60, regex=True)
        rnd = random.Random(seed)
        # Kill somewhere between flushes, with requests and metadata in flight.
        c.wait_for(r"C \d+\n", timeout=60, regex=True)
        for _ in range(rnd.randint(0, 200)):
            c.wait_for(r"W \d+ \d+\n", timeout=60, regex=True)
        c.kill()
        stable = self.verify(img, c.output(), bsize)
        os.unlink(img)
        return stable

    def test_kill_64k_clusters(self):
        for seed, flushes in ((11, 3), (12, 8), (13, 15)):
            self.crash_round("cluster_size=65536", seed, flushes)

    def test_kill_small_clusters(self):
        # 4 KiB clusters with 1-bit refcounts: refcount blocks and the table grow often.
        for seed, flushes in ((21, 4), (22, 12)):
            self.crash_round("cluster_size=4096,refcount_bits=1", seed, flushes)

    def test_kill_v2(self):
        self.crash_round("compat=0.10,cluster_size=16384", 31, 6)
