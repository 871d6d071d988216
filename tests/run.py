#!/usr/bin/env python3
"""Run morph's whole test suite and print one summary line.

`make check` calls this.  It runs, in order:
  1. the tests registered with meson (`meson test`: GTest unit programs with
     TAP output, and whatever else is registered), counting each TAP case;
  2. the functional tests under tests/functional/ (Python, standard library
     only), each file in its own process, two at a time, counting each case.
It ends with the line `N passed, M failed, K skipped` and exits 1 if
anything failed.  A skip always carries its reason, printed here.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUNCTIONAL = os.path.join(SRC, "tests", "functional")

TAP_LINE = re.compile(r"^(ok|not ok)\s+(\d+)\s*(?:-\s*)?(.*?)(?:\s+#\s*(SKIP|TODO)\b\s*(.*))?$")


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, outcome, name, detail=""):
        if outcome == "pass":
            self.passed += 1
        elif outcome == "skip":
            self.skipped += 1
            print(f"SKIP {name}: {detail}")
        else:
            self.failed += 1
            self.failures.append(name)
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def parse_tap(text):
    """Yield (outcome, case name, reason) for each TAP result line."""
    for line in text.splitlines():
        m = TAP_LINE.match(line.strip())
        if not m:
            continue
        status, _num, desc, directive, reason = m.groups()
        if directive == "SKIP":
            yield "skip", desc, reason or "skipped"
        elif status == "ok" or directive == "TODO":
            yield "pass", desc, ""
        else:
            yield "fail", desc, ""


def run_meson_tests(build, suites, tally):
    cmd = ["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs",
           "--num-processes", str(os.cpu_count() or 2)]
    for s in suites:
        cmd += ["--suite", s]
    print("+ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        sys.stdout.write(proc.stdout)
        tally.add("fail", "meson test", "no testlog.json was written")
        return
    for line in open(log, encoding="utf-8", errors="replace"):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            tally.add("fail", "meson test", f"unreadable record in {log}")
            continue
        name = rec["name"]
        result = rec["result"]
        # meson's log does not say which protocol a test used; TAP output
        # is recognised by its result lines.
        cases = list(parse_tap(rec.get("stdout", "") or ""))
        for outcome, case, reason in cases:
            tally.add(outcome, f"{name}: {case}", reason)
        if result in ("OK", "EXPECTEDFAIL"):
            if not cases:
                tally.add("pass", name)
        elif result == "SKIP":
            if not cases:
                tally.add("skip", name, "skipped by the test program")
        elif not any(c[0] == "fail" for c in cases):
            # Crashed, timed out or exited non-zero without a failing case.
            tally.add("fail", name, f"{result}; log in {log}")
            tail = (rec.get("stdout", "") or "")[-3000:]
            if tail:
                print(tail)


def run_functional_file(path, build):
    """Run one functional test file in its own interpreter; return its records."""
    env = dict(os.environ, MORPH_BUILD_DIR=os.path.abspath(build), MORPH_SOURCE_DIR=SRC,
               PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, os.path.join(FUNCTIONAL, "morphtest.py"), "--run-file", path]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=env, cwd=SRC)
    records = []
    for line in proc.stdout.splitlines():
        if line.startswith("MORPHTEST-RESULT "):
            records.append(json.loads(line[len("MORPHTEST-RESULT "):]))
    if proc.returncode != 0 and not any(r["outcome"] == "fail" for r in records):
        records.append({"outcome": "fail", "name": os.path.relpath(path, SRC),
                        "detail": f"exit status {proc.returncode}"})
    output = "\n".join(l for l in proc.stdout.splitlines()
                       if not l.startswith("MORPHTEST-RESULT "))
    return path, records, output, time.monotonic() - t0


def run_functional(build, tally, pattern):
    files = []
    for root, _dirs, names in os.walk(FUNCTIONAL):
        for n in sorted(names):
            if n.startswith("test_") and n.endswith(".py") and re.search(pattern, n):
                files.append(os.path.join(root, n))
    files.sort()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, records, output, secs in pool.map(lambda p: run_functional_file(p, build),
                                                      files):
            rel = os.path.relpath(path, SRC)
            print(f"--- {rel} ({secs:.1f}s)", flush=True)
            if any(r["outcome"] == "fail" for r in records) and output.strip():
                print(output[-6000:])
            for r in records:
                tally.add(r["outcome"], r["name"], r.get("detail", ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="meson build directory")
    ap.add_argument("--suite", action="append", default=[],
                    help="only these meson suites (unit, guest...); disables functional tests "
                         "unless 'functional' is named")
    ap.add_argument("-k", "--match", default="", help="regex on functional test file names")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.build, "build.ninja")):
        print(f"tests/run.py: {args.build} is not a configured build directory (run make)",
              file=sys.stderr)
        return 1
    tally = Tally()
    meson_suites = [s for s in args.suite if s != "functional"]
    if meson_suites or not args.suite:
        run_meson_tests(args.build, meson_suites, tally)
    if not args.suite or "functional" in args.suite:
        run_functional(args.build, tally, args.match)
    if tally.failures:
        print("failed: " + ", ".join(tally.failures))
    print(f"{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
