"""Guest-side virtio-blk throughput: morph-system-riscv64 against qemu-system-riscv64.

A Linux guest (../shared/assets/riscv64) runs tests/guest/riscv64/blkbench on
/dev/vda with O_DIRECT: sequential 1 MiB and random 4 KiB reads and writes,
several requests in flight (threads).  The program is added to the assets'
initramfs as a second cpio archive (initrd.py); the guest boots to its
shell, the command is typed on the console, the result lines are read back,
and the guest is powered off.  Both emulators get the same firmware, kernel,
initrd and command line (-drive ...,cache=writeback -device
virtio-blk-device), one boot per emulator, format and round, alternating
which goes first; medians of the guest-timed throughput are reported, with
the emulator's host CPU time per GiB (less sensitive to other jobs on the
host).

One image per boot, fresh from a template, in three regions:
  [0, read)                     data written by the host (read workloads)
  [read, read + seq_write)      unallocated, for the sequential writes
  [.., + rand_write)            unallocated, for the random writes
so every write allocates (qcow2) or fills a hole (raw), like the host-side
suite's fresh images.

Nothing is reported from a run that is not verified: every sector the guest
read must carry its tag (bad=0) and the sum of the sectors' last words must be
the one computed here from the template; after the guest powers off, every
sector it wrote must hold its tag and the tag's complement in the image.
tests/functional/riscv64/test_blkbench.py runs the same at a tiny size.
"""
import importlib.util
import os
import random
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

from initrd import extend_initrd

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def _system_suite():
    """bench/system/suite.py: where the assets are, which firmware (one convention)."""
    spec = importlib.util.spec_from_file_location(
        "bench_system_suite", os.path.join(SRC, "bench", "system", "suite.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_system = _system_suite()
FW = _system.FW
find_assets = _system.find_assets
PROMPT = b"morph-rv64:/# "
MIB = 1 << 20
SECTOR = 512
RAND_STRIDE = 7919  # as in blkbench.c
LINE_RE = re.compile(rb"BLKBENCH (\S+) bytes=(\d+) ns=(\d+) sum=0x([0-9a-f]{16}) bad=(\d+)"
                     rb" sync_ns=(\d+)")
CLK_TCK = os.sysconf("SC_CLK_TCK")
TAG_MUL = 0x9E3779B97F4A7C15
TAG_XOR = 0x6D6F7270682D626B
M64 = (1 << 64) - 1


class Plan:
    """Where the workloads go on the disk, how many requests each makes, how
    many threads: the blkbench command line and what its results must be."""

    def __init__(self, read_mib, seq_write_mib, rand_write_mib, counts, threads=4):
        self.read_mib = read_mib
        self.disk_mib = read_mib + seq_write_mib + rand_write_mib
        self.threads = threads
        # table name, blkbench kind, block bytes, region (offset MiB, length MiB), requests
        self.workloads = [
            ("seq read 1M", "seq-read", MIB, (0, read_mib), counts[0]),
            ("seq write 1M", "seq-write", MIB, (read_mib, seq_write_mib), counts[1]),
            ("rand read 4K", "rand-read", 4096, (0, read_mib), counts[2]),
            ("rand write 4K", "rand-write", 4096,
             (read_mib + seq_write_mib, rand_write_mib), counts[3]),
        ]
        for _, kind, block, (_, length), count in self.workloads:
            # Writes never overwrite their own blocks: each one allocates.
            assert kind.endswith("read") or count <= length * MIB // block

    def names(self):
        """The names blkbench prints, in the order of self.workloads."""
        return [spec_name(kind, block) for _, kind, block, _, _ in self.workloads]

    def command(self, device="/dev/vda"):
        specs = [f"{kind}:{block}:{off}:{length}:{count}"
                 for _, kind, block, (off, length), count in self.workloads]
        return f"blkbench -j {self.threads} {device} {' '.join(specs)}"


# About a second per workload on either emulator.
BENCH = Plan(256, 1024, 256, (4096, 1024, 16384, 16384))


def spec_name(kind, block):
    return f"{kind}-{block // MIB}M" if block % MIB == 0 else f"{kind}-{block // 1024}K"


def tag(sector):
    return ((sector * TAG_MUL) & M64) ^ TAG_XOR


def blocks_of(kind, nblocks, count):
    if kind.startswith("rand"):
        return [i * RAND_STRIDE % nblocks for i in range(count)]
    return [i % nblocks for i in range(count)]


def make_template(path, plan, seed=0x626c6b):
    """Raw template: random data with each sector's tag, then holes.

    Returns the last 64-bit word of every sector of the read region (the
    values the guest adds into sum=)."""
    assert sys.byteorder == "little"  # memoryview casts below, as the guest's words
    rnd = random.Random(seed)
    last = []
    with open(path, "wb") as f:
        for mib in range(plan.read_mib):
            buf = bytearray(rnd.randbytes(MIB))
            first = mib * (MIB // SECTOR)
            for i in range(MIB // SECTOR):
                struct.pack_into("<Q", buf, i * SECTOR, tag(first + i))
            last.extend(memoryview(buf).cast("Q")[63::64].tolist())
            f.write(buf)
        f.truncate(plan.disk_mib * MIB)
    return last


def expected_sum(last, kind, block, region, count):
    off, length = region
    per = block // SECTOR
    first = off * MIB // SECTOR
    total = 0
    for b in blocks_of(kind, length * MIB // block, count):
        s = first + b * per
        total += sum(last[s:s + per])
    return total & M64


def check_written(raw_path, kind, block, region, count):
    """Every sector written holds (tag, ..., ~tag); returns a problem or None."""
    off, length = region
    per = block // SECTOR
    with open(raw_path, "rb") as f:
        for b in sorted(set(blocks_of(kind, length * MIB // block, count))):
            pos = off * MIB + b * block
            f.seek(pos)
            data = f.read(block)
            if len(data) != block:
                return f"{kind}: image too short at byte {pos}"
            words = memoryview(data).cast("Q")
            s0 = pos // SECTOR
            want = [tag(s0 + i) for i in range(per)]
            if words[0::64].tolist() != want or \
                    words[63::64].tolist() != [w ^ M64 for w in want]:
                return f"{kind}: block at byte {pos} does not hold what the guest wrote"
    return None


class Setup:
    """The files one plan needs: the initrd with blkbench, raw and qcow2
    templates, and the read sums the guest must report."""

    def __init__(self, plan, work, assets, blkbench):
        self.plan = plan
        self.work = work
        self.assets = assets
        self.initrd = os.path.join(work, "initrd.gz")
        extend_initrd(os.path.join(assets, "rootfs.cpio.gz"), self.initrd,
                      {"bin/blkbench": blkbench})
        self.template = {"raw": os.path.join(work, "template.raw"),
                         "qcow2": os.path.join(work, "template.qcow2")}
        last = make_template(self.template["raw"], plan)
        subprocess.run(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2",
                        self.template["raw"], self.template["qcow2"]], check=True)
        self.want = {spec_name(kind, block): expected_sum(last, kind, block, region, count)
                     for _, kind, block, region, count in plan.workloads
                     if kind.endswith("read")}

    def fresh_image(self, fmt, image):
        """Copy the template, then write back everything dirty on the host (the
        copy, the previous run's images and checks), so that the guest's fsync
        flushes only what the guest wrote and no writeback of ours competes
        with the run."""
        shutil.copyfile(self.template[fmt], image)
        os.sync()

    def guest_cmd(self, emu, image, fmt):
        return [emu, "-M", "virt", "-smp", "1", "-m", "256M", "-nographic", "-bios", FW,
                "-kernel", os.path.join(self.assets, "Image"), "-initrd", self.initrd,
                "-append", "console=ttyS0",
                "-drive", f"file={image},format={fmt},if=none,id=d0,cache=writeback",
                "-device", "virtio-blk-device,drive=d0"]

    def run_once(self, emu, fmt, name):
        """One boot on a fresh image: (results, None, log) or (None, problem, log)."""
        image = os.path.join(self.work, f"{name}.{fmt}")
        self.fresh_image(fmt, image)
        try:
            res, text = boot_and_bench(self.guest_cmd(emu, image, fmt), self.plan)
            problem = self.verify(res, image, fmt)
        finally:
            os.unlink(image)
        return (None if problem else res), problem, text

    def verify(self, res, image, fmt):
        if res is None:
            return "the guest run failed"
        for _, kind, block, region, count in self.plan.workloads:
            name = spec_name(kind, block)
            if name not in res:
                return f"no result line for {name}"
            got = res[name]
            if got["bytes"] != block * count or got["ns"] <= 0:
                return f"{name}: bytes={got['bytes']} ns={got['ns']}"
            if got["bad"]:
                return f"{name}: {got['bad']} sectors read without their tag"
            if name in self.want and got["sum"] != self.want[name]:
                return f"{name}: sum 0x{got['sum']:016x}, expected 0x{self.want[name]:016x}"
        raw = image
        if fmt != "raw":
            raw = os.path.join(self.work, "check.raw")
            subprocess.run(["qemu-img", "convert", "-q", "-f", fmt, "-O", "raw", image, raw],
                           check=True)
        try:
            for _, kind, block, region, count in self.plan.workloads:
                if kind.endswith("write"):
                    problem = check_written(raw, kind, block, region, count)
                    if problem:
                        return problem
        finally:
            if raw != image:
                os.unlink(raw)
        return None


class Console:
    """The guest's serial console on the emulator's stdio."""

    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, bufsize=0)
        self.buf = bytearray()

    def wait_for(self, pattern, timeout, start=0):
        """Wait for a bytes regex in the output from `start` on; returns the match."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf, start)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], min(left, 1.0))
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    return None
                self.buf += chunk

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def cpu_seconds(self):
        """user + sys of the whole emulator process so far (all its threads)."""
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def close(self, timeout):
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return self.p.returncode


def boot_and_bench(cmd, plan, timeout=900):
    """Boot, run blkbench, power off.

    Returns ({result name: {bytes, ns, sum, bad, sync_ns, cpu}}, console log), or
    (None, log) if anything failed.  `cpu` is the emulator's host CPU time from
    the previous result line (or the command) to this one."""
    c = Console(cmd)
    results, ok = {}, False
    try:
        if not c.wait_for(re.escape(PROMPT), timeout):
            return None, c.buf.decode("utf-8", "replace")
        pos = len(c.buf)
        cpu = c.cpu_seconds()
        c.send(plan.command() + "; echo BLKBENCH-EXIT=$?\n")
        for _ in plan.workloads:
            m = c.wait_for(LINE_RE, timeout, pos)
            if not m:
                break
            now = c.cpu_seconds()
            results[m.group(1).decode()] = {
                "bytes": int(m.group(2)), "ns": int(m.group(3)), "sum": int(m.group(4), 16),
                "bad": int(m.group(5)), "sync_ns": int(m.group(6)), "cpu": now - cpu}
            cpu, pos = now, m.end()
        m = c.wait_for(rb"BLKBENCH-EXIT=(\d+)", timeout, pos)
        ok = m is not None and m.group(1) == b"0"
        if ok:
            c.send("sleep 1; poweroff -f\n")
            ok = c.wait_for(rb"reboot: Power down", 120, m.end()) is not None
    finally:
        rc = c.close(60 if ok else 0)
    return (results if ok and rc == 0 else None), c.buf.decode("utf-8", "replace")


def mib_per_s(r):
    return r["bytes"] / MIB / (r["ns"] / 1e9)


def cpu_per_gib(r):
    return r["cpu"] / (r["bytes"] / (1 << 30))


def run(build, rounds, plan=BENCH, log=lambda s: print(s, flush=True)):
    """Returns (rows, failed); a row is (workload, format, morph MiB/s, QEMU MiB/s,
    morph host CPU s/GiB, QEMU host CPU s/GiB), medians over the rounds.  rows is
    None when something needed is missing (said in one line)."""
    morph = os.path.join(build, "morph-system-riscv64")
    qemu = shutil.which("qemu-system-riscv64")
    blkbench = os.path.join(build, "tests", "guest", "riscv64", "blkbench")
    assets = find_assets()
    for what, ok in (("morph-system-riscv64 (build it)", os.access(morph, os.X_OK)),
                     ("Debian's qemu-system-riscv64 (qemu-system-misc)", qemu),
                     ("qemu-img (qemu-utils)", shutil.which("qemu-img")),
                     ("OpenSBI fw_dynamic (opensbi)", os.path.isfile(FW)),
                     ("blkbench (riscv64 cross compiler: gcc-riscv64-linux-gnu)",
                      os.path.isfile(blkbench)),
                     ("the riscv64 guest images (../shared/assets/riscv64)", assets)):
        if not ok:
            log(f"bench/block guest: skipped: {what} not found")
            return None, False
    work = tempfile.mkdtemp(prefix="morph-bench-guestblk-", dir=os.environ.get("BENCH_DIR"))
    rows, failed = [], False
    names = plan.names()
    try:
        setup = Setup(plan, work, assets, blkbench)
        for fmt in ("raw", "qcow2"):
            runs = {"morph": [], "qemu": []}
            for r in range(rounds):
                order = [("morph", morph), ("qemu", qemu)]
                if r % 2:
                    order.reverse()
                for who, emu in order:
                    res, problem, text = setup.run_once(emu, fmt, who)
                    if problem:
                        log(f"{fmt} {who} round {r}: {problem}; last output:\n{text[-3000:]}")
                        failed = True
                        continue
                    runs[who].append(res)
                    log(f"{fmt:5} {who:5} round {r}: MiB/s " +
                        " ".join(f"{mib_per_s(res[n]):7.1f}" for n in names))
            m, q = runs["morph"], runs["qemu"]
            if not m or not q:
                continue
            for (name, *_), n in zip(plan.workloads, names):
                rows.append((name, fmt,
                             statistics.median(mib_per_s(x[n]) for x in m),
                             statistics.median(mib_per_s(x[n]) for x in q),
                             statistics.median(cpu_per_gib(x[n]) for x in m),
                             statistics.median(cpu_per_gib(x[n]) for x in q)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows, failed
