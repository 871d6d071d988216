"""System-mode boot: morph-system-riscv64 against Debian's qemu-system-riscv64.

The guest is the Linux + busybox image of ../shared/assets/riscv64 with
`morph.test=1`: it prints MORPH-BOOT-OK from /init's self-test, runs a fixed
compute workload (CRC-32, integer mix, a floating-point sum; the guest times
it itself and prints MORPH-COMPUTE-US) and powers the machine off.  Both
emulators get the same firmware (Debian's OpenSBI fw_dynamic), kernel, initrd
and command line, back to back in alternating order, and the medians of
several rounds are reported: wall time to MORPH-BOOT-OK, wall time to the
process exit after poweroff, the process's CPU time (user+sys, from wait4) and
the guest-timed compute workload.

No time is reported for a run whose self-test did not pass or whose workload
results (CRC, integer mix, FP sum) differ from QEMU's: a fast wrong answer
does not count.

The idle figure boots to the interactive shell (no morph.test), waits for the
guest to settle, then reads the emulator's CPU time from /proc over 10 s.

The table goes to docs/bench-system.md.
"""
import argparse
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
FW = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
RESULT_LINES = ("MORPH-CRC32:", "MORPH-INTMIX:", "MORPH-FPSUM:")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def find_assets():
    cache = os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))
    cands = [os.path.join(SRC, "..", "shared", "assets", "riscv64"),
             os.path.join(cache, "morph", "assets", "riscv64")]
    if os.environ.get("MORPH_ASSETS"):
        cands.insert(0, os.path.join(os.environ["MORPH_ASSETS"], "riscv64"))
    for d in cands:
        if os.path.isfile(os.path.join(d, "Image")) and \
                os.path.isfile(os.path.join(d, "rootfs.cpio.gz")):
            return os.path.abspath(d)
    return None


def guest_cmd(emu, assets, smp, append, disk=False):
    cmd = [emu, "-M", "virt", "-smp", str(smp), "-m", "256M", "-nographic", "-bios", FW,
           "-kernel", os.path.join(assets, "Image"),
           "-initrd", os.path.join(assets, "rootfs.cpio.gz"), "-append", append]
    if disk:
        cmd += ["-drive", "file=%s,format=raw,if=none,id=d0,readonly=on"
                % os.path.join(assets, "disk-8m.img"),
                "-device", "virtio-blk-device,drive=d0"]
    return cmd


def boot_once(cmd, timeout=600):
    """One self-test boot: marker times, CPU time, the result lines."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, bufsize=0)
    buf = bytearray()
    boot_ok = None
    fd = p.stdout.fileno()
    while True:
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            p.kill()
            break
        r, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        if boot_ok is None and b"MORPH-BOOT-OK" in buf:
            boot_ok = time.monotonic() - t0
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    text = buf.decode("utf-8", "replace")
    results = tuple(line.strip() for line in text.splitlines()
                    if line.startswith(RESULT_LINES))
    m = re.search(r"MORPH-COMPUTE-US: (\d+)", text)
    ok = (p.returncode == 0 and boot_ok is not None and "MORPH-SELFTEST-DONE: ok" in text
          and m is not None and len(results) == len(RESULT_LINES))
    return {"ok": ok, "rc": p.returncode, "boot": boot_ok, "exit": wall,
            "cpu": ru.ru_utime + ru.ru_stime, "compute": int(m.group(1)) / 1e6 if m else None,
            "results": results, "log": text}


def jit_share(cmd):
    """One more morph boot with MORPH_JIT_STATS=1: TBs translated and translation time."""
    env = dict(os.environ, MORPH_JIT_STATS="1")
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, env=env, timeout=600)
    tbs = re.search(r"^TB translated\s+(\d+)", p.stderr, re.M)
    us = re.search(r"^translation time\s+(\d+) us", p.stderr, re.M)
    size = re.search(r"^TB avg host size\s+(\d+)", p.stderr, re.M)
    if p.returncode != 0 or not tbs or not us:
        return None
    return {"tbs": int(tbs.group(1)), "ms": int(us.group(1)) / 1000,
            "host_bytes": int(size.group(1)) if size else None}


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def idle_cpu(cmd, settle=3.0, window=10.0, timeout=600):
    """Boot to the shell prompt, let it settle, then CPU seconds used per second."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, bufsize=0)
    t0 = time.monotonic()
    buf = bytearray()
    fd = p.stdout.fileno()
    try:
        while b"# " not in buf[-4096:] and time.monotonic() - t0 < timeout:
            r, _, _ = select.select([fd], [], [], 1.0)
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                buf += chunk
        if b"# " not in buf[-4096:]:
            return None
        time.sleep(settle)
        c0, w0 = proc_cpu_seconds(p.pid), time.monotonic()
        deadline = w0 + window
        while time.monotonic() < deadline:  # keep draining the console meanwhile
            r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if r and not os.read(fd, 65536):
                return None
        return (proc_cpu_seconds(p.pid) - c0) / (time.monotonic() - w0)
    finally:
        p.kill()
        p.wait()


def med(runs, key):
    vals = [r[key] for r in runs if r[key] is not None]
    return statistics.median(vals) if vals else None


def run(build, args):
    ap = argparse.ArgumentParser(prog="bench/system/suite.py")
    # QEMU's own boot time moves by 10-15% between runs of 5 rounds: 11 steady the medians.
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--config", action="append", default=[],
                    help="only these configurations (smp1, smp2, smp1-disk, idle)")
    opts = ap.parse_args(args)
    morph = os.path.join(build, "morph-system-riscv64")
    qemu = shutil.which("qemu-system-riscv64")
    assets = find_assets()
    for what, ok in (("morph-system-riscv64 (build it)", os.access(morph, os.X_OK)),
                     ("Debian's qemu-system-riscv64 (qemu-system-misc)", qemu),
                     ("OpenSBI fw_dynamic (opensbi)", os.path.isfile(FW)),
                     ("the riscv64 guest images (../shared/assets/riscv64)", assets)):
        if not ok:
            print(f"bench/system: skipped: {what} not found")
            return 0
    append = "console=ttyS0 morph.test=1"
    configs = [("smp1", 1, False), ("smp2", 2, False), ("smp1-disk", 1, True)]
    if opts.config:
        configs = [c for c in configs if c[0] in opts.config]
    rows = []
    jit = None
    failed = False
    for name, smp, disk in configs:
        runs = {"morph": [], "qemu": []}
        for r in range(opts.rounds):
            order = [("morph", morph), ("qemu", qemu)]
            if r % 2:
                order.reverse()
            for who, emu in order:
                res = boot_once(guest_cmd(emu, assets, smp, append, disk))
                if not res["ok"]:
                    print(f"{name} {who} round {r}: self-test boot failed (exit {res['rc']});"
                          f" last output:\n{res['log'][-2000:]}")
                    failed = True
                    continue
                runs[who].append(res)
                print(f"{name} {who} round {r}: boot {res['boot']:.2f}s exit {res['exit']:.2f}s"
                      f" cpu {res['cpu']:.2f}s compute {res['compute']:.3f}s", flush=True)
        if not runs["morph"] or not runs["qemu"]:
            continue
        want = runs["qemu"][0]["results"]
        if any(r["results"] != want for r in runs["morph"] + runs["qemu"]):
            print(f"{name}: workload results differ between morph and QEMU; no time reported")
            failed = True
            continue
        rows.append((name, {k: (med(runs["morph"], k), med(runs["qemu"], k))
                            for k in ("boot", "exit", "cpu", "compute")},
                     len(runs["morph"]), len(runs["qemu"])))
        if name == "smp1":
            jit = jit_share(guest_cmd(morph, assets, smp, append, disk))
            if jit:
                jit["share"] = jit["ms"] / 1000 / med(runs["morph"], "cpu")
    idle = None
    if not opts.config or "idle" in opts.config:
        cmd_args = ("console=ttyS0",)
        idle = (idle_cpu(guest_cmd(morph, assets, 1, *cmd_args)),
                idle_cpu(guest_cmd(qemu, assets, 1, *cmd_args)))
    write_table(rows, idle, jit, opts.rounds)
    return 1 if failed else 0


def write_table(rows, idle, jit, rounds):
    out = ["# System-mode boot benchmark (riscv64 virt)", "",
           "Generated by `python3 bench/run.py --suite system` (bench/system/suite.py):",
           "morph-system-riscv64 against Debian's qemu-system-riscv64 7.2 on the same",
           "OpenSBI fw_dynamic, kernel and initramfs (../shared/assets/riscv64,",
           "`console=ttyS0 morph.test=1`, -m 256M), alternating back to back,",
           f"{rounds} rounds, medians. \"ratio\" is morph / QEMU (below 1: morph is faster).",
           "Workload results (CRC-32, integer mix, FP sum) are checked equal to QEMU's",
           "before any time is reported.", "",
           "| configuration | measure | morph s | QEMU s | ratio |", "|---|---|---|---|---|"]
    labels = {"boot": "wall to `MORPH-BOOT-OK`", "exit": "wall to exit (poweroff)",
              "cpu": "CPU time (user+sys)", "compute": "guest compute workload"}
    for name, meds, nm, nq in rows:
        for k, label in labels.items():
            m, q = meds[k]
            ratio = f"{m / q:.2f}" if m and q else "-"
            out.append(f"| {name} | {label} | {m:.3f} | {q:.3f} | {ratio} |")
    if jit:
        out += ["", f"Translation during the smp1 boot (one more run with MORPH_JIT_STATS=1):"
                    f" {jit['tbs']} TBs translated in {jit['ms']:.0f} ms, about"
                    f" {100 * jit['share']:.0f}% of the median CPU time;"
                    f" {jit['host_bytes']} bytes of host code per TB on average."]
    if idle:
        m, q = idle
        fmt = lambda v: "boot failed" if v is None else f"{100 * v:.1f}%"
        out += ["", "Idle guest at the busybox shell (-smp 1), host CPU over 10 s after a 3 s",
                "settle: morph " + fmt(m) + ", QEMU " + fmt(q) + " of one host CPU."]
    out += ["", f"Host: {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d')}.", ""]
    with open(os.path.join(SRC, "docs", "bench-system.md"), "w") as f:
        f.write("\n".join(out))
    print("\n".join(out))
    print("wrote docs/bench-system.md")
