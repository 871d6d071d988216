"""User-mode CPU benchmarks: riscv64 programs under morph-riscv64 and under
Debian's qemu-riscv64, against the same sources built natively for the host.

The programs (bench/user/src/, built by bench/user/meson.build) each print
one line ending in "checksum=<hex>".  For every program the suite first runs
the native build once for the reference line, then N rounds in which the
native build, morph and QEMU run back to back (the order rotates each round,
so no configuration always runs on a warm or a cold machine).  Every run's
stdout must equal the reference, or that configuration is reported as FAIL
and gets no time: a miscompiling translator cannot post a score.  Times are
the median wall time and the median user+sys CPU time (os.wait4 rusage).

Then, per program, morph runs twice more for the translator's own figures:
once with MORPH_JIT_STATS=1 (TBs, host code size, translation time, from
tcg_jit_stats_print at exit) and once with `-d in_asm` (whose per-TB header
gives the guest instructions translated; both runs see the same guest
environment, so they translate the same blocks, threads aside).

Results: a markdown table (docs/bench-user.md; bench/results/user-quick.md
for --quick) and the raw records as JSON under bench/results/.
Options: --rounds N, --quick (1 round, small sizes), --programs a,b,
--no-jit-stats, --md PATH, --timeout SECONDS, --report JSON (write the
markdown again from an earlier run's records, running nothing).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))


class Program:
    def __init__(self, name, stresses, quick, tiny):
        self.name = name
        self.stresses = stresses
        self.default = []       # the program's built-in size (printed in its line)
        self.quick = quick      # --quick: a few hundred ms under emulation
        self.tiny = tiny        # tests/functional/riscv64/test_bench_programs.py


# The one list of programs and their sizes; the functional test reads it too.
PROGRAMS = [
    Program("intmix", "64-bit mul/mulh/div/rem, shifts, rotates, 32-bit ops",
            ["4000000"], ["20000"]),
    Program("hash", "SHA-256 and XXH64 over a 1 MiB buffer", ["4"], ["1"]),
    Program("sort", "glibc qsort (indirect calls) and a merge sort, 32-bit ints",
            ["200000"], ["20000"]),
    Program("fp", "n-body in double: add/mul/div/sqrt", ["1000000"], ["10000"]),
    Program("fpsingle", "single-precision matrix multiply, sqrtf", ["256"], ["48"]),
    Program("membw", "memset/memcpy/triad over 3 x 64 MiB", ["1", "16"], ["1", "2"]),
    Program("syscall", "getpid, clock_gettime, write /dev/null, pipe write+read",
            ["20000"], ["1000"]),
    Program("interp", "bytecode VM, switch and computed-goto dispatch",
            ["2000000"], ["20000"]),
    Program("ptrchase", "dependent loads over a random 64 MiB ring", ["300000", "16"],
            ["20000", "2"]),
    Program("threads", "4 pthreads: atomic add, CAS loop, mutex", ["1000000"], ["20000"]),
]

CONFIGS = ["native", "morph", "qemu"]
LABEL = {"native": "native", "morph": "morph-riscv64", "qemu": "qemu-riscv64"}


# ---- running one process

class Run:
    """One finished process: its times, status and output."""

    def __init__(self, wall, user, sys_, status, timed_out, stdout, stderr):
        self.wall = wall
        self.cpu = user + sys_
        self.user = user
        self.sys = sys_
        self.status = status        # exit code, or -N for signal N
        self.timed_out = timed_out
        self.stdout = stdout
        self.stderr = stderr


def run_process(cmd, timeout, env=None):
    """Run cmd to completion (killed after `timeout` s); times from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                start_new_session=True)
        expired = threading.Event()

        def kill():
            expired.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, ru.ru_utime, ru.ru_stime, proc.returncode, expired.is_set(),
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def describe_failure(run, reference):
    """Why a run does not count, or None if it does."""
    if run.timed_out:
        return f"timed out after {run.wall:.0f} s"
    if run.status < 0:
        try:
            name = signal.Signals(-run.status).name
        except ValueError:
            name = f"signal {-run.status}"
        why = f"killed by {name}"
    elif run.status != 0:
        why = f"exit status {run.status}"
    elif "checksum=" not in run.stdout:
        why = "no checksum line"
    elif run.stdout != reference:
        return (f"WRONG CHECKSUM: printed {run.stdout.strip()!r}, "
                f"native printed {reference.strip()!r}")
    else:
        return None
    tail = " | ".join(l for l in run.stderr.strip().splitlines()[-3:])
    return why + (f"; stderr: {tail}" if tail else "")


# ---- the host and the tools

def first_line(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
        return p.stdout.strip().splitlines()[0] if p.stdout.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def host_info(tools):
    git = first_line(["git", "-C", SOURCE_DIR, "describe", "--always", "--dirty"])
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "source": git,
        "morph": first_line([tools["morph"], "-version"]) if tools["morph"] else "missing",
        "qemu": first_line([tools["qemu"], "--version"]) if tools["qemu"] else "missing",
        "cc": first_line(["cc", "--version"]),
        "cross_cc": first_line(["riscv64-linux-gnu-gcc", "--version"]),
        "python": platform.python_version(),
    }


# ---- the translator's statistics

STAT_PATTERNS = {
    "code_used": r"^gen code size\s+(\d+)/\d+",
    "tb_translated": r"^TB translated\s+(\d+)",
    "retranslated": r"^TB retranslated\s+(\d+)",
    "flushes": r"^TB flush count\s+(\d+)",
    "translate_us": r"^translation time\s+(\d+) us",
}
IN_ASM_TB = re.compile(r"^IN: pc=0x[0-9a-f]+ insns=(\d+)", re.M)


def jit_stats(tools, prog, args, reference, timeout):
    """One run with MORPH_JIT_STATS=1 and one with -d in_asm; a dict or an error string."""
    guest = program_path(tools, prog, "riscv64")
    env = dict(os.environ, MORPH_JIT_STATS="1")
    run = run_process([tools["morph"], guest] + args, timeout, env=env)
    why = describe_failure(run, reference)
    if why:
        return f"stats run failed: {why}"
    st = {}
    for key, pat in STAT_PATTERNS.items():
        m = re.search(pat, run.stderr, re.M)
        if not m:
            return "no statistics on stderr (morph-riscv64 without MORPH_JIT_STATS?)"
        st[key] = int(m.group(1))
    st["wall"] = run.wall
    with tempfile.TemporaryDirectory() as d:
        # The same guest environment as the stats run (MORPH_* reach the
        # guest), so that it translates the same blocks.
        log = os.path.join(d, "in_asm.log")
        run = run_process([tools["morph"], "-d", "in_asm", "-D", log, guest] + args, timeout,
                          env=env)
        why = describe_failure(run, reference)
        if why:
            return f"-d in_asm run failed: {why}"
        with open(log, errors="replace") as f:
            counts = [int(n) for n in IN_ASM_TB.findall(f.read())]
    if not counts:
        return "-d in_asm logged no TB headers"
    st["guest_insns"] = sum(counts)
    st["tb_logged"] = len(counts)
    m = re.search(STAT_PATTERNS["tb_translated"], run.stderr, re.M)
    st["tb_translated_logged_run"] = int(m.group(1)) if m else None
    return st


# ---- one program, all configurations

def program_path(tools, prog, kind):
    return os.path.join(tools["build"], "bench", "user", f"{prog.name}-{kind}")


def command(tools, prog, config, args):
    if config == "native":
        return [program_path(tools, prog, "native")] + args
    return [tools[config], program_path(tools, prog, "riscv64")] + args


def record(prog, config, rnd, args, run, why):
    """The raw JSON record of one run (round -1: the native reference run)."""
    return {"program": prog.name, "config": config, "round": rnd, "args": args,
            "wall": run.wall, "user": run.user, "sys": run.sys, "status": run.status,
            "timed_out": run.timed_out, "ok": why is None, "failure": why,
            "stdout": run.stdout, "stderr_tail": run.stderr[-2000:]}


def results_from_records(names, records, present):
    """Per program and configuration: the times of the passing runs, or why it failed."""
    results = {}
    for name in names:
        res = {c: ({"wall": [], "cpu": []} if present[c] else {"missing": True})
               for c in CONFIGS}
        res["_reference"] = ""
        for rec in records:
            if rec["program"] != name:
                continue
            c = res[rec["config"]]
            if rec["round"] < 0:
                if rec["ok"]:
                    res["_reference"] = rec["stdout"]
                else:
                    for cfg in CONFIGS:
                        res[cfg] = {"fail": f"native build failed: {rec['failure']}"}
                    break
            elif not rec["ok"]:
                c.setdefault("fail", f"round {rec['round'] + 1}: {rec['failure']}")
            elif "fail" not in c:
                c["wall"].append(rec["wall"])
                c["cpu"].append(rec["user"] + rec["sys"])
        if not res["_reference"]:
            # Files written before the reference run was recorded: a passing native run.
            res["_reference"] = next((r["stdout"] for r in records if r["program"] == name
                                      and r["config"] == "native" and r["ok"]), "")
        results[name] = res
    return results


def bench_program(tools, prog, args, rounds, timeout_floor, records, loads):
    """Time one program; returns {config: {"wall": [...], "cpu": [...]} or {"fail": why}}."""
    ref = run_process(command(tools, prog, "native", args), timeout_floor)
    why = describe_failure(ref, ref.stdout)
    records.append(record(prog, "native", -1, args, ref, why))
    if why:
        print(f"  FAIL native {prog.name}: {why}", flush=True)
        return {c: {"fail": f"native build failed: {why}"} for c in CONFIGS}, None
    reference = ref.stdout
    # Generous: a hung emulator is caught, a slow one (helper-bound FP) still finishes.
    timeout = max(timeout_floor, 300 * ref.wall)
    result = {c: ({"wall": [], "cpu": []} if tools[c] else {"missing": True}) for c in CONFIGS}
    for r in range(rounds):
        order = CONFIGS[r % 3:] + CONFIGS[:r % 3]
        for config in order:
            res = result[config]
            if "missing" in res or "fail" in res:
                continue
            loads.append(os.getloadavg()[0])
            run = run_process(command(tools, prog, config, args), timeout)
            why = describe_failure(run, reference)
            records.append(record(prog, config, r, args, run, why))
            if why:
                res["fail"] = f"round {r + 1}: {why}"
                print(f"  FAIL {LABEL[config]} {prog.name} {' '.join(args)}: "
                      f"{res['fail']}", flush=True)
                continue
            res["wall"].append(run.wall)
            res["cpu"].append(run.cpu)
    return result, reference


# ---- the report

def median(xs):
    return statistics.median(xs) if xs else None


def slowest_wall(res):
    """The slowest passing configuration's median wall time (for a stats run's timeout)."""
    walls = [median(r["wall"]) for r in res.values() if isinstance(r, dict) and r.get("wall")]
    return max(walls) if walls else 0


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def cell_time(res, key):
    if "missing" in res:
        return "missing"
    if "fail" in res:
        return "**FAIL**"
    return f"{median(res[key]):.3f}"


def ratio(results, name, num, den, key):
    a, b = results[name][num], results[name][den]
    if any(k in r for r in (a, b) for k in ("missing", "fail")):
        return None
    return median(a[key]) / median(b[key])


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}"


PAIRS = [("morph", "native"), ("qemu", "native"), ("qemu", "morph")]


def time_table(results, names, key):
    lines = ["| program | native s | morph-riscv64 s | qemu-riscv64 s | morph/native "
             "| qemu/native | qemu/morph |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    cols = {p: [] for p in PAIRS}
    summary = {}
    for name in names:
        res = results[name]
        rs = [ratio(results, name, a, b, key) for a, b in PAIRS]
        for p, x in zip(PAIRS, rs):
            cols[p].append(x)
        lines.append(f"| {name} | " + " | ".join(cell_time(res[c], key) for c in CONFIGS) +
                     " | " + " | ".join(fmt_ratio(x) for x in rs) + " |")
    gms = []
    for p in PAIRS:
        n = sum(1 for x in cols[p] if x)
        g = geomean(cols[p])
        summary[f"{p[0]}/{p[1]}"] = g
        gms.append(f"**{fmt_ratio(g)}** ({n})" if g else "–")
    lines.append("| **geomean** (programs) | | | | " + " | ".join(gms) + " |")
    return lines, summary


def jit_table(stats, names):
    lines = ["| program | guest insns translated | TBs | insns/TB | host bytes/guest insn "
             "| translation ms | share of run | M guest insns/s translated |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    per_insn, rate, share = [], [], []
    for name in names:
        st = stats.get(name)
        if st is None:
            continue
        if isinstance(st, str):
            lines.append(f"| {name} | {st} | | | | | | |")
            continue
        insns = st["guest_insns"]
        bpi = st["code_used"] / insns
        secs = st["translate_us"] / 1e6
        mips = insns / secs / 1e6 if secs else None
        sh = secs / st["wall"] if st["wall"] else None
        per_insn.append(bpi)
        rate.append(mips)
        share.append(sh)
        note = f" ({st['flushes']} flushes)" if st["flushes"] else ""
        if st["tb_logged"] != st["tb_translated"]:
            note += f" (in_asm run: {st['tb_logged']})"
        lines.append(f"| {name} | {insns} | {st['tb_translated']}{note} | "
                     f"{insns / st['tb_logged']:.1f} | {bpi:.1f} | {secs * 1e3:.1f} | "
                     f"{sh * 100:.2g}% | {fmt_ratio(mips)} |")
    if per_insn:
        lines.append(f"| **geomean** | | | | **{geomean(per_insn):.1f}** | | "
                     f"**{geomean(share) * 100:.2g}%** | **{fmt_ratio(geomean(rate))}** |")
    return lines


def write_markdown(path, meta, names, results, stats, failures):
    """The report; `meta` is the JSON file's header (host, command, rounds, loads)."""
    host, loads = meta["host"], meta["loadavg_samples"]
    wall_lines, wall_sum = time_table(results, names, "wall")
    cpu_lines, cpu_sum = time_table(results, names, "cpu")
    out = [
        "# User-mode CPU benchmarks",
        "",
        "Written by `bench/user/suite.py` (`make bench`); regenerate it, do not edit it.",
        "riscv64 programs (bench/user/src, `riscv64-linux-gnu-gcc -O2 -static`) under",
        "morph-riscv64 and Debian's qemu-riscv64, against the same sources built",
        "natively (`cc -O2`), both with `-ffp-contract=off`.",
        "",
        f"- Command: `{meta['command']}` (in `{meta.get('cwd', SOURCE_DIR)}`)"
        + (f"; this page rendered again from its raw records by `{meta['rendered_by']}`"
           if meta.get("rendered_by") else ""),
        f"- Date: {host['date']}; source: `{host['source']}`",
        f"- Host: {host['cpu']}, {host['cpus']} CPUs, Linux {host['kernel']}",
        f"- Load average (1 min) while running: start {loads[0]:.2f}, mean "
        f"{statistics.mean(loads):.2f}, max {max(loads):.2f}, end {loads[-1]:.2f}",
        f"- morph: `{host['morph']}`; QEMU: `{host['qemu']}`",
        f"- Compilers: `{host['cc']}`; `{host['cross_cc']}`",
        f"- Method: {meta['rounds']} round(s) per program, native/morph/QEMU back to back, "
        "the order rotated each round; every run's output must equal the native "
        "reference run's (checksum) or the configuration is FAIL and gets no time. "
        "Medians; ratios > 1 in qemu/morph mean morph is faster."
        + (" **Quick mode: small sizes, not comparable with full runs.**" if meta["quick"]
           else ""),
        "",
        "## Wall time (median, seconds)",
        "",
        *wall_lines,
        "",
        "## CPU time, user + sys (median, seconds)",
        "",
        *cpu_lines,
        "",
    ]
    if stats:
        out += [
            "## Translation (morph-riscv64)",
            "",
            "One run with `MORPH_JIT_STATS=1` (TBs translated, host code emitted = code",
            "buffer used, translation time) and one with `-d in_asm` (guest instructions",
            "translated, from each TB's header), at the same size as the timed runs.",
            "Share of run = translation time / that run's wall time.",
            "",
            *jit_table(stats, names),
            "",
        ]
    out += ["## Programs", ""]
    for p in PROGRAMS:
        if p.name in names:
            out.append(f"- **{p.name}**: {p.stresses}; reference output "
                       f"`{results[p.name].get('_reference', '').strip()}`")
    out += ["", "## Failures", ""]
    out += [f"- {f}" for f in failures] or ["None: every run printed the native checksum."]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return wall_sum, cpu_sum


def parse_args(args):
    ap = argparse.ArgumentParser(prog="bench/run.py --suite user",
                                 description="user-mode CPU benchmarks")
    ap.add_argument("--rounds", type=int, default=None, help="rounds per program (default 5)")
    ap.add_argument("--quick", action="store_true", help="1 round at small sizes (smoke check)")
    ap.add_argument("--programs", default="", help="comma-separated subset")
    ap.add_argument("--no-jit-stats", action="store_true", help="skip the translation table")
    ap.add_argument("--md", default=None, help="markdown output (default docs/bench-user.md; "
                    "bench/results/user-quick.md with --quick)")
    ap.add_argument("--report", metavar="JSON", default=None,
                    help="run nothing: write the markdown again from a results JSON file")
    ap.add_argument("--timeout", type=float, default=600,
                    help="minimum per-run timeout in seconds (default 600)")
    opts, unknown = ap.parse_known_args(args)
    if unknown:
        print(f"bench/user: ignoring unknown options {unknown}")
    if opts.rounds is None:
        opts.rounds = 1 if opts.quick else 5
    return opts


def markdown_path(opts, quick):
    if opts.md:
        return opts.md
    if quick:
        return os.path.join(SOURCE_DIR, "bench", "results", "user-quick.md")
    return os.path.join(SOURCE_DIR, "docs", "bench-user.md")


def print_summary(md, jpath, wall_sum, cpu_sum, failures):
    print(f"bench/user: wrote {os.path.relpath(md, SOURCE_DIR)}"
          + (f" and {os.path.relpath(jpath, SOURCE_DIR)}" if jpath else ""))
    print("geomean wall: " + ", ".join(f"{k} {fmt_ratio(v)}" for k, v in wall_sum.items()))
    print("geomean cpu:  " + ", ".join(f"{k} {fmt_ratio(v)}" for k, v in cpu_sum.items()))
    if failures:
        print("\n*** bench/user FAILURES (no time reported for these) ***")
        for f in failures:
            print("  FAIL " + f.replace("**", ""))
        return 1
    return 0


def report_again(opts):
    """--report: the markdown from a JSON file of an earlier run, nothing run."""
    with open(opts.report) as f:
        meta = json.load(f)
    names = meta.get("programs") or list(dict.fromkeys(r["program"] for r in meta["records"]))
    present = {"native": True, "morph": meta["host"]["morph"] != "missing",
               "qemu": meta["host"]["qemu"] != "missing"}
    results = results_from_records(names, meta["records"], present)
    meta["rendered_by"] = "python3 " + " ".join(shlex.quote(a) for a in sys.argv)
    md = markdown_path(opts, meta["quick"])
    wall_sum, cpu_sum = write_markdown(md, meta, names, results, meta["jit_stats"],
                                       meta["failures"])
    return print_summary(md, None, wall_sum, cpu_sum, meta["failures"])


def run(build, args):
    opts = parse_args(args)
    if opts.report:
        return report_again(opts)
    morph = os.path.join(build, "morph-riscv64")
    tools = {"build": build, "native": "native",
             "morph": morph if os.access(morph, os.X_OK) else None,
             "qemu": shutil.which("qemu-riscv64")}
    wanted = [p for p in PROGRAMS if not opts.programs or p.name in opts.programs.split(",")]
    missing = [p.name for p in wanted for kind in ("native", "riscv64")
               if not os.path.isfile(program_path(tools, p, kind))]
    if missing:
        print(f"SKIP bench/user: programs not built in {build}/bench/user ({', '.join(missing)}); "
              "they need riscv64-linux-gnu-gcc (scripts/install-deps.sh)")
        return 0
    for c in ("morph", "qemu"):
        if not tools[c]:
            print(f"bench/user: {LABEL[c]} is missing; its column is reported as missing")
    host = host_info(tools)
    cmdline = "python3 " + " ".join(shlex.quote(a) for a in sys.argv)
    loads = [os.getloadavg()[0]]
    print(f"bench/user: {opts.rounds} round(s), {'quick' if opts.quick else 'default'} sizes; "
          f"load average {loads[0]:.2f} on {host['cpus']} CPUs", flush=True)
    stats, records, failures = {}, [], []
    for prog in wanted:
        args_ = prog.quick if opts.quick else prog.default
        res, reference = bench_program(tools, prog, args_, opts.rounds, opts.timeout, records,
                                       loads)
        for c in CONFIGS:
            if "fail" in res[c]:
                failures.append(f"**{LABEL[c]}** `{prog.name} {' '.join(args_)}`: {res[c]['fail']}")
        cells = []
        for c in CONFIGS:
            cells.append(f"{c} " + cell_time(res[c], "wall").replace("**", ""))
        if tools["morph"] and "fail" not in res["morph"] and not opts.no_jit_stats and reference:
            st = jit_stats(tools, prog, args_, reference, max(opts.timeout, 3 * slowest_wall(res)))
            stats[prog.name] = st
            if isinstance(st, str):
                failures.append(f"**morph-riscv64** `{prog.name}` (translation stats): {st}")
                cells.append(f"stats: {st}")
            else:
                cells.append(f"{st['guest_insns']} insns translated in "
                             f"{st['translate_us'] / 1e3:.1f} ms")
        print(f"  {prog.name:9s} " + ", ".join(cells), flush=True)
    loads.append(os.getloadavg()[0])
    names = [p.name for p in wanted]
    meta = {"host": host, "command": cmdline, "cwd": os.getcwd(), "rounds": opts.rounds,
            "quick": opts.quick, "programs": names, "loadavg_samples": loads,
            "records": records, "jit_stats": stats, "failures": failures}
    # The report is drawn from the records, as --report draws it again later.
    present = {c: bool(tools[c]) for c in CONFIGS}
    md = markdown_path(opts, opts.quick)
    wall_sum, cpu_sum = write_markdown(md, meta, names,
                                       results_from_records(names, records, present), stats,
                                       failures)
    meta.update(geomean_wall=wall_sum, geomean_cpu=cpu_sum)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    jpath = os.path.join(SOURCE_DIR, "bench", "results",
                         f"user-{'quick-' if opts.quick else ''}{stamp}.json")
    os.makedirs(os.path.dirname(jpath), exist_ok=True)
    with open(jpath, "w") as f:
        json.dump(meta, f, indent=1)
    return print_summary(md, jpath, wall_sum, cpu_sum, failures)
