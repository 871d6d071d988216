"""The user-mode benchmark programs (bench/user) at a tiny size under
morph-riscv64, each held against the same source built natively: the line
it prints carries a checksum of all its work, so a translator that
miscompiles integer, floating-point, atomic or indirect-jump code fails
here, in `make check`, before it can post a benchmark score.  The sizes are
the `tiny` ones of bench/user/suite.py (well under a second each)."""
import importlib.util
import os
import unittest

import morphtest


def _bench_programs():
    path = os.path.join(morphtest.SOURCE_DIR, "bench", "user", "suite.py")
    spec = importlib.util.spec_from_file_location("bench_user_suite", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.PROGRAMS


class BenchProgramsUnderMorph(morphtest.MorphTestCase):
    def check(self, prog):
        morph = morphtest.binary("morph-riscv64")
        guest = morphtest.build_path("bench", "user", f"{prog.name}-riscv64")
        native = morphtest.build_path("bench", "user", f"{prog.name}-native")
        for p in (guest, native):
            if not os.path.isfile(p):
                self.skipTest(f"{os.path.basename(p)} not built (needs riscv64-linux-gnu-gcc)")
        want = self.run_cmd([native] + prog.tiny, timeout=30, check_rc=0)
        self.assertIn("checksum=", want.stdout)
        got = self.run_cmd([morph, guest] + prog.tiny, timeout=60)
        self.assertEqual(got.returncode, 0,
                         f"{prog.name} {' '.join(prog.tiny)} under morph-riscv64 exited "
                         f"{got.returncode}; stderr:\n{got.stderr[-2000:]}")
        self.assertEqual(got.stdout, want.stdout,
                         f"{prog.name} {' '.join(prog.tiny)}: morph-riscv64 printed a different "
                         "checksum than the native build")


def _add_case(prog):
    def test(self):
        self.check(prog)
    test.__doc__ = f"{prog.name}: {prog.stresses}"
    setattr(BenchProgramsUnderMorph, f"test_{prog.name}", test)


for _prog in _bench_programs():
    _add_case(_prog)


if __name__ == "__main__":
    unittest.main()
