"""QMP under hostile input, on morph-system-riscv64 running the assets'
Linux at its shell: broken JSON in many shapes (truncated, split across
writes, byte by byte, deeply nested, a huge string, invalid UTF-8,
garbage and control bytes), requests of the wrong shape or types, an
unknown command, missing `execute`, clients that vanish mid-message and
more clients than the server takes.  Every answer is QEMU 7.2's (class
and text, checked against Debian's qemu-system-riscv64 when this test
was written), no `id` on a parse error, and afterwards the VM still runs:
query-status says running and the guest's shell answers.
"""
import json
import os
import time

import morphtest

BOOT_TIMEOUT = 240

GENERIC = "GenericError"
NOT_FOUND = "CommandNotFound"

# (bytes sent, [(class, desc), ...] expected in order; None desc: any)
CASES = [
    (b'{"execute": }\n', [(GENERIC, "JSON parse error, expecting value")]),
    (b'{"execute" "x"}\n', [(GENERIC, "JSON parse error, missing : in object pair")]),
    (b'@@@\n', [(GENERIC, "JSON parse error, stray '@'")]),
    (b'\xff\xfe garbage\n', [(GENERIC, "JSON parse error, stray '\ufffd'")] * 2),
    (b'{"execute": "\xc3\x28"}\n',
     [(GENERIC, "JSON parse error, invalid UTF-8 sequence in string")]),
    (b'{"execute": "query-status", "id": "\xed\xa0\x80"}\n',
     [(GENERIC, "JSON parse error, invalid UTF-8 sequence in string")]),
    (b'{"execute": "' + b'a' * 100000 + b'"}\n',
     [(NOT_FOUND, "The command " + "a" * 100000 + " has not been found")]),
    (b'[1, 2]\n', [(GENERIC, "QMP input must be a JSON object")]),
    (b'"str"\n', [(GENERIC, "QMP input must be a JSON object")]),
    (b'1e999999\n', [(GENERIC, "QMP input must be a JSON object")]),
    (b'{}\n', [(GENERIC, "QMP input lacks member 'execute'")]),
    (b'{"arguments": {}}\n', [(GENERIC, "QMP input lacks member 'execute'")]),
    (b'{"execute": 1}\n', [(GENERIC, "QMP input member 'execute' must be a string")]),
    (b'{"execute": "query-status", "arguments": []}\n',
     [(GENERIC, "QMP input member 'arguments' must be an object")]),
    (b'{"execute": "query-status", "foo": 1}\n',
     [(GENERIC, "QMP input member 'foo' is unexpected")]),
    (b'{"execute": "nope-nope"}\n', [(NOT_FOUND, "The command nope-nope has not been found")]),
    (b'{"execute": "\\u0000"}\n', [(NOT_FOUND, "The command \u0000 has not been found")]),
    (b'{"execute": "stop", "arguments": {"x": 1}}\n', [(GENERIC, "Parameter 'x' is unexpected")]),
    (b'{"execute": "memsave", "arguments": {"val": "a", "size": 1, "filename": "/dev/null"}}\n',
     [(GENERIC, "Invalid parameter type for 'val', expected: integer")]),
    (b'{"execute": "pmemsave", "arguments": {"val": 0, "size": 1}}\n',
     [(GENERIC, "Parameter 'filename' is missing")]),
    (b'{"execute": "human-monitor-command", "arguments": {"command-line": 5}}\n',
     [(GENERIC, "Invalid parameter type for 'command-line', expected: string")]),
    (b'{"execute": "device-list-properties", "arguments": {"typename": "nope"}}\n',
     [("DeviceNotFound", "Device 'nope' not found")]),
    (b'{"execute": "qmp_capabilities"}\n',
     [(NOT_FOUND, "Capabilities negotiation is already complete, command ignored")]),
    (b'\x00\x01\x02\n', [(GENERIC, None)] * 3),
]


class Client:
    def __init__(self, path, timeout=30.0):
        self.sock = morphtest.connect(path, timeout=timeout)
        self.buf = b""

    def msg(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("QMP closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        m = json.loads(line)
        return self.msg() if "event" in m else m

    def send(self, data):
        self.sock.sendall(data)

    def cmd(self, obj):
        self.send(json.dumps(obj).encode() + b"\n")
        return self.msg()


class QmpHostile(morphtest.MorphTestCase):
    def test_hostile_input(self):
        image = morphtest.asset("riscv64", "Image")
        initrd = morphtest.asset("riscv64", "rootfs.cpio.gz")
        d = morphtest.build_path("tests", "functional-logs")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"qmp-hostile-{os.getpid()}.sock")
        c = self.launch([morphtest.binary("morph-system-riscv64"), "-M", "virt", "-smp", "1",
                         "-m", "256M", "-nographic", "-kernel", image, "-initrd", initrd,
                         "-append", "console=ttyS0",
                         "-qmp", f"unix:{path},server=on,wait=off"], pty_mode=True, name="guest")
        q = Client(path)
        self.assertIn("QMP", q.msg())
        # Before negotiation: everything else is refused, as QEMU does.
        self.assertEqual(q.cmd({"execute": "query-status"}),
                         {"error": {"class": NOT_FOUND, "desc": "Expecting capabilities "
                                    "negotiation with 'qmp_capabilities'"}})
        self.assertEqual(q.cmd({"execute": "qmp_capabilities"}), {"return": {}})
        c.wait_for("morph-rv64:/# ", timeout=BOOT_TIMEOUT)

        for data, expected in CASES:
            q.send(data)
            for cls, desc in expected:
                r = q.msg()
                self.assertNotIn("id", r, data[:80])
                self.assertEqual(r["error"]["class"], cls, (data[:80], r))
                if desc is not None:
                    self.assertEqual(r["error"]["desc"], desc, data[:80])
            # In step again: the next request is answered normally.
            self.assertEqual(q.cmd({"execute": "query-kvm", "id": "sync"}),
                             {"return": {"enabled": False, "present": False}, "id": "sync"},
                             data[:80])

        # Nesting beyond QEMU's limit of 1024: one error, then the rest of the brackets.
        q.send(b"[" * 2000 + b"]" * 2000 + b"\n")
        r = q.msg()
        self.assertEqual(r["error"]["desc"], "JSON nesting depth limit exceeded")
        # What follows the error (QEMU answers the leftover closers too) is skipped
        # up to the answer of the next good request.
        q.send(b'\xff\n{"execute": "query-kvm", "id": "after-nest"}\n')
        while "error" in r:
            r = q.msg()
        self.assertEqual(r, {"return": {"enabled": False, "present": False}, "id": "after-nest"})

        # Split anywhere, and byte by byte.
        for part in [b'{"exec', b'ute": "query-', b'status", "id"', b': 3}\n']:
            q.send(part)
            time.sleep(0.05)
        self.assertEqual(q.msg()["id"], 3)
        for b in b'{"execute": "query-status", "id": "slow"}':
            q.send(bytes([b]))
        self.assertEqual(q.msg()["return"]["status"], "running")
        # Single quotes and two requests in one write, as QEMU accepts them.
        q.send(b"{'execute': 'query-name'} {\"execute\": \"query-kvm\"}\n")
        self.assertEqual(q.msg(), {"return": {}})
        self.assertEqual(q.msg()["return"]["present"], False)

        # Clients that leave in the middle of a message, or send garbage and go.
        for junk in [b'{"execute": "query-sta', b'\xff' * 1000, os.urandom(4096)]:
            j = Client(path)
            j.msg()
            j.send(junk)
            j.sock.close()
        # More clients than the server takes: the extra ones are closed, the rest work.
        many = [Client(path) for _ in range(20)]
        served = 0
        for m in many:
            try:
                m.sock.settimeout(2)
                if "QMP" in m.msg():
                    served += 1
            except (EOFError, OSError):
                pass
        self.assertGreaterEqual(served, 14)
        self.assertLessEqual(served, 16)
        for m in many:
            m.sock.close()

        # The VM went on through all of it.
        self.assertEqual(q.cmd({"execute": "query-status"})["return"],
                         {"status": "running", "singlestep": False, "running": True})
        c.send("echo morph-$((6*7))-alive\r")
        c.wait_for("morph-42-alive", timeout=60)
        self.assertEqual(q.cmd({"execute": "quit"}), {"return": {}})
        self.assertEqual(c.wait_exit(30), 0, c.tail())


if __name__ == "__main__":
    import unittest
    unittest.main()
