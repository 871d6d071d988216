"""scripts/decodetree.py: generate decoders for small .decode files, compile
them with the host C compiler and check which trans_ function each
instruction reaches and with which operands; and check that malformed
descriptions are rejected with a message naming the line."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import morphtest

DECODETREE = os.path.join(morphtest.SOURCE_DIR, "scripts", "decodetree.py")

# A 32-bit toy ISA: fields, a multi-part signed field with a transform, a
# field built from another field's value, typed argument sets, formats,
# constants, inferred argument sets, '-' bits, and nested groups.
DECODE32 = r"""
# fields
%a        15:5
%b        20:5
%rd       7:5
%imm12    20:s12
%simm     31:s1 7:4 25:6       !function=times2
%lowa     a:s2

&rr       d a b
&ri       d a imm
&flags    d en:bool big:int64_t
&empty

@rr       ....... ..... ..... ... d:5 ....... &rr %a %b
@ri       ............ ..... ... d:5 ....... &ri imm=%imm12 %a

add       0000000 ..... ..... 000 ..... 0110011 @rr
sub       0100000 ..... ..... 000 ..... 0110011 @rr
addi      ............ ..... 000 ..... 0010011 @ri
movb      0000001 ..... 00000 000 ..... 0110011 @rr a=0
br        . ...... ..... ..... 001 -.... 1100011 imm=%simm %a %b
flg       0000010 ----- ----- 010 ..... 0110011 &flags d=%rd en=1 big=-5
lowa      0000011 ----- ..... 000 ..... 0110011 &ri d=%rd %a imm=%lowa
{
  nop     0000000 00000 00000 111 00000 0110011 &empty
  [
    andx  0000000 ..... ..... 111 ..... 0110011 @rr
    orx   0000001 ..... ..... 111 ..... 0110011 @rr
  ]
  catch   ------- ----- ----- 111 ----- 0110011 &empty
}
"""

# A 16-bit decoder in the same C file, reusing &rr through !extern and
# calling the same trans_add.
DECODE16 = r"""
&rr       d a b      !extern
&empty               !extern
%r3       7:3        !function=plus8
add       100 --- ... b:5 01 &rr d=%r3 a=%r3
nop       000 000 000 00000 01 &empty
"""

DRIVER = r"""
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct DisasContext {
    const char *reject;     /* a trans_ function that refuses (returns false) */
} DisasContext;

static int times2(DisasContext *ctx, int x) { (void)ctx; return x * 2; }
static int plus8(DisasContext *ctx, int x) { (void)ctx; return x + 8; }

#include "decode32.c.inc"
#include "decode16.c.inc"

static bool decode_stub_record(DisasContext *ctx, const char *name,
                               const DecodeStubField *f, int n)
{
    if (ctx->reject && strcmp(ctx->reject, name) == 0) {
        return false;
    }
    printf("%s", name);
    for (int i = 0; i < n; i++) {
        printf(" %s=%lld", f[i].name, (long long)f[i].value);
    }
    printf("\n");
    return true;
}

int main(int argc, char **argv)
{
    DisasContext ctx = {0};
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "reject=", 7) == 0) {
            ctx.reject = argv[i] + 7;
            continue;
        }
        int w16 = argv[i][0] == 'h';
        uint32_t insn = (uint32_t)strtoul(argv[i] + w16, NULL, 16);
        bool ok = w16 ? decode_insn16(&ctx, insn) : decode_insn32(&ctx, insn);
        if (!ok) {
            printf("none\n");
        }
    }
    return 0;
}
"""


def enc(f7, b, a, f3, d, op):
    return (f7 << 25) | (b << 20) | (a << 15) | (f3 << 12) | (d << 7) | op


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


class DecodetreeTest(morphtest.MorphTestCase):
    @classmethod
    def setUpClass(cls):
        cls.cc = shutil.which("cc") or shutil.which("gcc")
        cls.tmp = tempfile.mkdtemp(prefix="morph-decodetree-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def gen(self, name, text, *args):
        src = os.path.join(self.tmp, name + ".decode")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(self.tmp, name + ".c.inc")
        p = subprocess.run([sys.executable, DECODETREE, "-o", out, src] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return p, out

    def build(self):
        if not self.cc:
            self.skipTest("no host C compiler")
        if getattr(type(self), "exe", None):
            return type(self).exe
        p, _ = self.gen("decode32", DECODE32, "--static-decode", "decode_insn32", "--test-stubs")
        self.assertEqual(p.returncode, 0, p.stderr)
        p, _ = self.gen("decode16", DECODE16, "--static-decode", "decode_insn16",
                        "--insnwidth", "16", "--test-stubs")
        self.assertEqual(p.returncode, 0, p.stderr)
        drv = os.path.join(self.tmp, "driver.c")
        with open(drv, "w") as f:
            f.write(DRIVER)
        exe = os.path.join(self.tmp, "driver")
        # The project's warning flags: generated code must build cleanly with them.
        self.run_cmd([self.cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
                      "-Wmissing-prototypes", "-Wstrict-prototypes", "-fsanitize=undefined",
                      "-fno-sanitize-recover", "-I", self.tmp, "-o", exe, drv], check_rc=0)
        type(self).exe = exe
        return exe

    def decode(self, *insns):
        p = self.run_cmd([self.build()] + [i if isinstance(i, str) else "%08x" % i
                                           for i in insns], check_rc=0)
        res = []
        for line in p.stdout.splitlines():
            name, *fields = line.split()
            res.append((name, {k: int(v) for k, v in (x.split("=") for x in fields)}))
        return res

    def test_formats_and_fields(self):
        got = self.decode(enc(0, 11, 10, 0, 5, 0x33), enc(0x20, 1, 2, 0, 3, 0x33),
                          (0xffb << 20) | (7 << 15) | (9 << 7) | 0x13)
        self.assertEqual(got[0], ("add", {"d": 5, "a": 10, "b": 11}))
        self.assertEqual(got[1], ("sub", {"d": 3, "a": 2, "b": 1}))
        self.assertEqual(got[2], ("addi", {"d": 9, "a": 7, "imm": -5}))

    def test_constant_overrides_format_field(self):
        self.assertEqual(self.decode(enc(1, 17, 0, 0, 4, 0x33))[0],
                         ("movb", {"d": 4, "a": 0, "b": 17}))

    def test_multipart_signed_field_with_function(self):
        for bit31, hi6, lo4 in ((0, 0x15, 0x9), (1, 0x2a, 0x3), (1, 0x3f, 0xf), (0, 0, 0)):
            insn = (bit31 << 31) | (hi6 << 25) | (3 << 20) | (4 << 15) | (1 << 12) | \
                   (1 << 11) | (lo4 << 7) | 0x63
            want = sext((bit31 << 10) | (lo4 << 6) | hi6, 11) * 2
            self.assertEqual(self.decode(insn)[0], ("br", {"a": 4, "b": 3, "imm": want}))

    def test_typed_argset_and_constants(self):
        self.assertEqual(self.decode(enc(2, 31, 31, 2, 6, 0x33))[0],
                         ("flg", {"d": 6, "en": 1, "big": -5}))

    def test_field_from_another_field(self):
        # imm = the low 2 bits of a, sign-extended.
        self.assertEqual(self.decode(enc(3, 0, 0b10110, 0, 1, 0x33))[0],
                         ("lowa", {"d": 1, "a": 0b10110, "imm": -2}))
        self.assertEqual(self.decode(enc(3, 0, 0b00101, 0, 1, 0x33))[0],
                         ("lowa", {"d": 1, "a": 5, "imm": 1}))

    def test_overlap_group_order_and_fallthrough(self):
        nop = enc(0, 0, 0, 7, 0, 0x33)
        andx = enc(0, 2, 3, 7, 4, 0x33)
        other = enc(0x7f, 1, 1, 7, 1, 0x33)
        self.assertEqual([g[0] for g in self.decode(nop, andx, other)], ["nop", "andx", "catch"])
        # A trans_ that refuses lets the group try its next member.
        self.assertEqual(self.decode("reject=nop", nop)[0], ("andx", {"d": 0, "a": 0, "b": 0}))
        self.assertEqual(self.decode("reject=andx", andx)[0][0], "catch")

    def test_no_match(self):
        self.assertEqual(self.decode(0xffffffff, enc(0x7f, 0, 0, 0, 0, 0x33)), [("none", {}),
                                                                               ("none", {})])

    def test_second_decoder_with_extern_argset(self):
        got = self.decode("h%04x" % (0b100 << 13 | 3 << 10 | 5 << 7 | 17 << 2 | 1), "h0001",
                          "h0003")
        self.assertEqual(got[0], ("add", {"d": 13, "a": 13, "b": 17}))
        self.assertEqual(got[1][0], "nop")
        self.assertEqual(got[2][0], "none")

    def assertRejected(self, text, message, *args):
        p, _ = self.gen("bad", text, *args)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(message, p.stderr)
        self.assertRegex(p.stderr, r"bad\.decode:\d+: error:")

    def test_global_decoder_builds_cleanly(self):
        if not self.cc:
            self.skipTest("no host C compiler")
        p, out = self.gen("global", "&empty\nnop " + "0" * 32 + " &empty\n",
                          "--decode", "my_decode")
        self.assertEqual(p.returncode, 0, p.stderr)
        src = os.path.join(self.tmp, "global.c")
        with open(src, "w") as f:
            f.write("#include <stdbool.h>\n#include <stdint.h>\n"
                    "typedef struct DisasContext { int n; } DisasContext;\n"
                    f'#include "{out}"\n'
                    "static bool trans_nop(DisasContext *ctx, arg_nop *a)\n"
                    "{ ctx->n++; return true; }\n")
        self.run_cmd([self.cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
                      "-Wmissing-prototypes", "-c", "-o", src + ".o", src], check_rc=0)

    def test_errors(self):
        self.assertRejected("a 0000" + "-" * 28 + "\nb 00" + "-" * 30 + "\n", "overlaps")
        self.assertRejected("x 0000000 ..... ..... 000 ..... 0110011\n", "unspecified")
        self.assertRejected("x 0000 %nope\n", "undefined field")
        self.assertRejected("x 0000\n", "instruction width is 32")
        self.assertRejected("&s a\nx " + "0" * 32 + " &s b=1\n", "not in argument set")
        self.assertRejected("{\nx " + "0" * 32 + "\n", "group not closed")
        self.assertRejected("%f a:2\n%g f:2\n&s a\nx " + "0" * 32 + " &s a=%g\n",
                            "not a field here")


if __name__ == "__main__":
    unittest.main()
