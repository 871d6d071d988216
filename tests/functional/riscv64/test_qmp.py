"""QMP on morph-system-riscv64 (docs/monitor.md): the assets' Linux booted
to its shell with `-qmp unix:...,server=on,wait=off`, then driven as a VM
manager would: stop, query-status (paused), cont (running), the
guest still answering on its console, system_powerdown -- the guest
shuts down and morph exits 0 -- with the events in QEMU's order and
shape (STOP, RESUME, POWERDOWN, SHUTDOWN {"guest": true, "reason":
"guest-shutdown"}).  Also the greeting, negotiation, query commands
against the real machine, a TCP QMP, several monitors at once, and quit.
"""
import json
import os
import socket
import time

import morphtest

BOOT_TIMEOUT = 240


class Qmp:
    """A QMP client: one JSON object a line, events kept aside in order."""

    def __init__(self, addr, family=socket.AF_UNIX, timeout=30.0):
        self.sock = morphtest.connect(addr, family, timeout)
        self.buf = b""
        self.events = []

    def recv_msg(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def send_raw(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        """The next message that is not an event."""
        while True:
            m = self.recv_msg()
            if "event" in m:
                self.events.append(m)
            else:
                return m

    def cmd(self, name, msg_id=None, **args):
        msg = {"execute": name}
        if msg_id is not None:
            msg["id"] = msg_id
        if args:
            msg["arguments"] = args
        self.send_raw(json.dumps(msg) + "\n")
        return self.reply()

    def wait_event(self, name, timeout=60.0):
        deadline = time.monotonic() + timeout
        for e in self.events:
            if e["event"] == name:
                return e
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            m = self.recv_msg()
            if "event" in m:
                self.events.append(m)
                if m["event"] == name:
                    return m
        raise AssertionError(f"no {name} event; got {self.events}")

    def close(self):
        self.sock.close()


def sock_path(tag):
    d = morphtest.build_path("tests", "functional-logs")
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, f"qmp-{tag}-{os.getpid()}.sock")
    if os.path.exists(p):
        os.unlink(p)
    return p


class QmpTest(morphtest.MorphTestCase):
    def linux_cmd(self, extra):
        image = morphtest.asset("riscv64", "Image")
        initrd = morphtest.asset("riscv64", "rootfs.cpio.gz")
        return [morphtest.binary("morph-system-riscv64"), "-M", "virt", "-smp", "1", "-m", "256M",
                "-nographic", "-kernel", image, "-initrd", initrd, "-append", "console=ttyS0",
                *extra]

    def negotiate(self, q):
        greeting = q.recv_msg()
        self.assertEqual(greeting["QMP"]["version"]["qemu"], {"micro": 0, "minor": 2, "major": 7})
        self.assertEqual(greeting["QMP"]["capabilities"], ["oob"])
        self.assertEqual(q.cmd("qmp_capabilities"), {"return": {}})

    def test_stop_cont_powerdown(self):
        path = sock_path("run")
        c = self.launch(self.linux_cmd(["-qmp", f"unix:{path},server=on,wait=off"]),
                        pty_mode=True, name="guest")
        q = Qmp(path)
        self.negotiate(q)
        c.wait_for("morph-rv64:/# ", timeout=BOOT_TIMEOUT)

        r = q.cmd("query-status", msg_id="s1")
        self.assertEqual(r, {"return": {"status": "running", "singlestep": False,
                                        "running": True}, "id": "s1"})
        self.assertEqual(q.cmd("stop", msg_id=7), {"return": {}, "id": 7})
        stop = q.wait_event("STOP")
        self.assertEqual(set(stop), {"timestamp", "event"})
        self.assertEqual(set(stop["timestamp"]), {"seconds", "microseconds"})
        self.assertEqual(q.cmd("query-status")["return"]["status"], "paused")
        # Stopped means stopped: typed input is not answered until cont.
        c.send("echo morph-$((6*7))-paused\r")
        time.sleep(1.0)
        self.assertNotIn("morph-42-paused", c.output())
        self.assertEqual(q.cmd("cont"), {"return": {}})
        q.wait_event("RESUME")
        self.assertEqual(q.cmd("query-status")["return"],
                         {"status": "running", "singlestep": False, "running": True})
        c.wait_for("morph-42-paused", timeout=60)
        c.wait_for("morph-rv64:/# ", timeout=60)

        # The real machine behind the queries.
        cpus = q.cmd("query-cpus-fast")["return"]
        self.assertEqual(len(cpus), 1)
        self.assertEqual(cpus[0]["cpu-index"], 0)
        self.assertEqual(cpus[0]["qom-path"], "/machine/soc0/harts[0]")
        self.assertEqual(cpus[0]["target"], "riscv64")
        self.assertEqual(q.cmd("query-kvm")["return"], {"enabled": False, "present": False})
        self.assertEqual(q.cmd("query-name")["return"], {})
        names = {m["name"] for m in q.cmd("query-machines")["return"]}
        self.assertIn("virt", names)
        chardevs = {d["label"]: d for d in q.cmd("query-chardev")["return"]}
        self.assertEqual(chardevs["serial0"]["filename"], "stdio")
        cmds = {x["name"] for x in q.cmd("query-commands")["return"]}
        for name in ["qmp_capabilities", "query-status", "stop", "cont", "system_powerdown",
                     "quit", "human-monitor-command", "memsave", "pmemsave"]:
            self.assertIn(name, cmds)
        hmp = q.cmd("human-monitor-command", **{"command-line": "info status"})
        self.assertEqual(hmp, {"return": "VM status: running\r\n"})
        # pmemsave of the kernel's first bytes: the Image header's "RISCV" magic at 0x30.
        dump = sock_path("pmem") + ".bin"
        self.assertEqual(q.cmd("pmemsave", val=0x80200000, size=0x40, filename=dump),
                         {"return": {}})
        with open(dump, "rb") as f:
            self.assertEqual(f.read()[0x30:0x35], b"RISCV")
        os.unlink(dump)

        # system_powerdown: the guest leaves its shell and powers off; morph exits 0.
        self.assertEqual(q.cmd("system_powerdown"), {"return": {}})
        q.wait_event("POWERDOWN")
        sd = q.wait_event("SHUTDOWN", timeout=120)
        self.assertEqual(sd["data"], {"guest": True, "reason": "guest-shutdown"})
        self.assertEqual(c.wait_exit(60), 0, c.tail())
        order = [e["event"] for e in q.events]
        self.assertEqual(order, ["STOP", "RESUME", "POWERDOWN", "SHUTDOWN"])
        stamps = [e["timestamp"]["seconds"] * 1000000 + e["timestamp"]["microseconds"]
                  for e in q.events]
        self.assertEqual(stamps, sorted(stamps))
        self.assertIn("reboot: Power down", c.output())
        q.close()

    def test_tcp_several_monitors_quit(self):
        path = sock_path("multi")
        hmp = sock_path("multi-hmp")
        port = free_port()
        morph = morphtest.binary("morph-system-riscv64")
        c = self.launch([morph, "-M", "virt", "-S", "-nographic", "-bios", "none",
                         "-qmp", f"tcp:127.0.0.1:{port},server=on,wait=off",
                         "-qmp-pretty", f"unix:{path},server=on,wait=off",
                         "-monitor", f"unix:{hmp},server=on,wait=off", "-name", "qmp-guest"],
                        name="multi")
        q = Qmp(("127.0.0.1", port), socket.AF_INET)
        self.negotiate(q)
        self.assertEqual(q.cmd("query-name"), {"return": {"name": "qmp-guest"}})
        self.assertEqual(q.cmd("query-status")["return"]["status"], "prelaunch")

        # -qmp-pretty: the same JSON, indented over several lines.
        p = Qmp(path)
        self.assertIn("QMP", read_pretty(p))
        p.send_raw('{"execute": "qmp_capabilities"}')
        self.assertEqual(read_pretty(p), {"return": {}})
        p.send_raw('{"execute": "query-status", "id": 1}')
        raw = read_pretty(p, raw=True)
        self.assertIn(b'{\r\n    "return": {\r\n        "status": "prelaunch",', raw)

        s = socket.socket(socket.AF_UNIX)
        s.connect(hmp)
        s.settimeout(10)
        banner = b""
        while b"(qemu) " not in banner:
            banner += s.recv(4096)
        self.assertIn(b"QEMU 7.2.0 monitor", banner)
        s.sendall(b"info name\r\n")
        out = b""
        while b"qmp-guest" not in out or not out.endswith(b"(qemu) "):
            out += s.recv(4096)

        self.assertEqual(q.cmd("cont"), {"return": {}})
        q.wait_event("RESUME")
        self.assertEqual(q.cmd("quit"), {"return": {}})
        sd = q.wait_event("SHUTDOWN")
        self.assertEqual(sd["data"], {"guest": False, "reason": "host-qmp-quit"})
        self.assertEqual(c.wait_exit(30), 0, c.tail())
        s.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_pretty(q, raw=False):
    """One pretty-printed QMP message: read until the braces balance."""
    text = q.buf
    while True:
        depth, in_str, esc, end = 0, False, False, -1
        for i, ch in enumerate(text.decode("utf-8", "replace")):
            if in_str:
                esc, in_str = (not esc and ch == "\\"), in_str and (esc or ch != '"')
                continue
            if ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    end = i + 1
                    break
        if end > 0 and text[end:end + 2] == b"\r\n":
            q.buf = text[end + 2:]
            return text[:end + 2] if raw else json.loads(text[:end])
        chunk = q.sock.recv(65536)
        if not chunk:
            raise EOFError("QMP connection closed")
        text += chunk


if __name__ == "__main__":
    import unittest
    unittest.main()
