#!/usr/bin/env python3
"""Run morph's benchmarks (`make bench`).

Each suite lives in bench/<suite>/ with a `suite.py` defining `run(build, args)`;
suites compare morph against Debian's QEMU and native back to back, check a
checksum before reporting any time, and write their tables under docs/.
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def suites():
    for name in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, name, "suite.py")
        if os.path.isfile(path):
            yield name, path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--suite", action="append", default=[], help="only these suites")
    args, rest = ap.parse_known_args()
    found = [(n, p) for n, p in suites() if not args.suite or n in args.suite]
    if not found:
        print("bench/run.py: no benchmark suites yet (they arrive with user mode and the virt machine)")
        return 0
    rc = 0
    for name, path in found:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        print(f"=== {name}")
        rc |= mod.run(os.path.abspath(args.build), rest) or 0
    return rc


if __name__ == "__main__":
    sys.exit(main())
