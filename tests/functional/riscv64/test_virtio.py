"""virtio-mmio devices on the riscv64 virt board, driven by the assets' Linux.

virtio-blk: the self-test hashes /dev/vda (MORPH-VDA-SHA256 must be the
README's value) and a write made in the guest is in the image afterwards.
virtio-net over -netdev user: a DHCP lease (busybox udhcpc), a download
from a Python HTTP server on the host through 10.0.2.2, and a hostfwd port
reaching a server in the guest (busybox nc).  virtio-rng feeds /dev/hwrng,
and virtconsole gives the guest an hvc0 that reaches a host chardev.
"""
import hashlib
import http.server
import os
import shutil
import socket
import tempfile
import threading
import time
import unittest

import morphtest

ARCH = "riscv64"
VDA_SHA256 = "2515db8a17402577dddf67d3278e8e8132ea72488ef37bf6c61408df3e4ebd05"
PROMPT = "morph-rv64:/# "


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VirtioBoot(morphtest.MorphTestCase):
    def setUp(self):
        super().setUp()
        self.morph = morphtest.binary("morph-system-riscv64")
        self.kernel = morphtest.asset(ARCH, "Image")
        self.initrd = morphtest.asset(ARCH, "rootfs.cpio.gz")
        self.tmp = tempfile.mkdtemp(prefix="morph-virtio-")

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def disk_copy(self):
        path = os.path.join(self.tmp, "disk.img")
        shutil.copy(morphtest.asset(ARCH, "disk-8m.img"), path)
        os.chmod(path, 0o644)
        return path

    def boot(self, extra, append="console=ttyS0", name=None):
        cmd = [self.morph, "-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
               "-kernel", self.kernel, "-initrd", self.initrd, "-append", append] + extra
        return self.launch(cmd, name=name)

    def shell(self, c, line, expect=None, timeout=60):
        """Type a command; wait for `expect` (or the next prompt)."""
        c.send(line + "\n")
        return c.wait_for(expect or PROMPT, timeout=timeout)

    def boot_shell(self, extra):
        c = self.boot(extra)
        c.wait_for("MORPH-SELFTEST-DONE", timeout=300)
        c.wait_for(PROMPT, timeout=60)
        return c

    def poweroff(self, c):
        c.send("sleep 1; poweroff -f\n")
        c.wait_for("reboot: Power down", timeout=60)
        self.assertEqual(c.wait_exit(30), 0)

    def test_blk_selftest_hash(self):
        disk = self.disk_copy()
        c = self.boot(["-drive", f"file={disk},format=raw,if=none,id=d0",
                       "-device", "virtio-blk-device,drive=d0"],
                      append="console=ttyS0 morph.test=1")
        c.wait_for("virtio_blk virtio0: [vda] 16384 512-byte logical blocks", timeout=300)
        c.wait_for(f"MORPH-VDA-SHA256: bytes=1048576 sha256={VDA_SHA256}", timeout=300)
        c.wait_for("MORPH-SELFTEST-DONE: ok", timeout=60)
        self.assertEqual(c.wait_exit(60), 0)

    def test_blk_if_virtio(self):
        # -drive if=virtio makes its own virtio-blk-device.
        disk = self.disk_copy()
        c = self.boot(["-drive", f"file={disk},format=raw,if=virtio"],
                      append="console=ttyS0 morph.test=1")
        c.wait_for(f"MORPH-VDA-SHA256: bytes=1048576 sha256={VDA_SHA256}", timeout=300)
        self.assertEqual(c.wait_exit(120), 0)

    def test_blk_guest_write(self):
        disk = self.disk_copy()
        c = self.boot_shell(["-drive", f"file={disk},format=raw,if=none,id=d0",
                             "-device", "virtio-blk-device,drive=d0"])
        self.shell(c, "echo MORPH-GUEST-WROTE-THIS | dd of=/dev/vda bs=512 seek=4000 "
                      "conv=notrunc,fsync 2>/dev/null; sync; echo WRITE-$((40+2))",
                   expect="WRITE-42")
        c.wait_for(PROMPT)
        self.poweroff(c)
        with open(disk, "rb") as f:
            f.seek(4000 * 512)
            self.assertEqual(f.read(23), b"MORPH-GUEST-WROTE-THIS\n")
            f.seek(4001 * 512)
            self.assertTrue(f.read(32).startswith(b"MORPH-DISK sector=0000004001"))

    def test_blk_read_only_drive(self):
        disk = self.disk_copy()
        c = self.boot_shell(["-drive", f"file={disk},format=raw,if=none,id=d0,readonly=on",
                             "-device", "virtio-blk-device,drive=d0"])
        self.shell(c, "cat /sys/block/vda/ro; echo RO-$((1+1))", expect="RO-2")
        self.assertIn("1", c.output()[-40:])
        self.poweroff(c)

    def test_net_dhcp_and_wget(self):
        root = os.path.join(self.tmp, "www")
        os.makedirs(root)
        payload = os.urandom(100000)
        with open(os.path.join(root, "file"), "wb") as f:
            f.write(payload)
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=root, **k)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            c = self.boot_shell(["-netdev", "user,id=n0",
                                 "-device", "virtio-net-device,netdev=n0"])
            self.dhcp(c)
            self.shell(c, f"wget -q -O /tmp/file http://10.0.2.2:{port}/file; "
                          "sha256sum /tmp/file; echo WGET-$((6*7))", expect="WGET-42",
                       timeout=120)
            self.assertIn(hashlib.sha256(payload).hexdigest(), c.output())
            c.wait_for(PROMPT)
            self.poweroff(c)
        finally:
            server.shutdown()
            server.server_close()

    def dhcp(self, c):
        # busybox udhcpc runs a script on a lease; the initramfs has none.
        self.shell(c, "printf '#!/bin/sh\\n[ \"$1\" = bound ] || exit 0\\n"
                      "ifconfig $interface $ip netmask $subnet up\\n"
                      "route add default gw $router\\necho LEASE=$ip GW=$router DNS=$dns\\n'"
                      " > /tmp/dhcp.sh; chmod +x /tmp/dhcp.sh")
        self.shell(c, "ifconfig eth0 up; udhcpc -i eth0 -n -q -s /tmp/dhcp.sh",
                   expect="LEASE=10.0.2.15 GW=10.0.2.2 DNS=10.0.2.3", timeout=60)
        c.wait_for(PROMPT)

    def test_net_nic_hostfwd(self):
        port = free_port()
        c = self.boot_shell(["-nic", f"user,model=virtio-net-device,hostfwd=tcp:127.0.0.1:{port}-:7777"])
        self.dhcp(c)
        self.shell(c, "(echo MORPH-FROM-GUEST | nc -l -p 7777 > /tmp/got) &")
        data = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                    s.sendall(b"MORPH-FROM-HOST\n")
                    s.shutdown(socket.SHUT_WR)
                    while True:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                if data:
                    break
            except OSError:
                pass
            time.sleep(1)
        self.assertEqual(data, b"MORPH-FROM-GUEST\n")
        self.shell(c, "sleep 1; cat /tmp/got", expect="MORPH-FROM-HOST")
        c.wait_for(PROMPT)
        self.poweroff(c)

    def test_rng(self):
        c = self.boot_shell(["-device", "virtio-rng-device"])
        self.shell(c, "cat /sys/class/misc/hw_random/rng_current", expect="virtio_rng")
        self.shell(c, "dd if=/dev/hwrng bs=64 count=4 2>/dev/null | od -An -tx1 | wc -l; "
                      "echo N=$((2*2))", expect="N=4")
        self.shell(c, "dd if=/dev/hwrng bs=256 count=1 2>/dev/null | od -An -tx1 | "
                      "tr -d ' \\n' | wc -c", expect="512")
        c.wait_for(PROMPT)
        self.poweroff(c)

    def test_virtconsole(self):
        out = os.path.join(self.tmp, "hvc.txt")
        c = self.boot_shell(["-device", "virtio-serial-device",
                             "-chardev", f"file,id=vc0,path={out}",
                             "-device", "virtconsole,chardev=vc0"])
        # hvc0 is the SBI console (HVC_RISCV_SBI); the virtio port comes next.
        self.shell(c, "ls /dev/hvc1 && echo MORPH-ON-HVC1 > /dev/hvc1; echo DONE-$((3+4))",
                   expect="DONE-7")
        c.wait_for(PROMPT)
        self.poweroff(c)
        with open(out, "rb") as f:
            self.assertIn(b"MORPH-ON-HVC1", f.read())

    def test_virtconsole_input(self):
        sock = os.path.join(self.tmp, "hvc.sock")
        c = self.boot_shell(["-device", "virtio-serial-device",
                             "-chardev", f"socket,id=vc0,path={sock},server=on,wait=off",
                             "-device", "virtconsole,chardev=vc0"])
        self.shell(c, "stty -F /dev/hvc1 -echo; (read x < /dev/hvc1; echo GOT-$x) &")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
            s.sendall(b"MORPH-TO-GUEST\n")
            c.wait_for("GOT-MORPH-TO-GUEST", timeout=60)
            self.shell(c, "echo MORPH-TO-HOST > /dev/hvc1")
            s.settimeout(30)
            self.assertIn(b"MORPH-TO-HOST", morphtest.recv_until(s, b"MORPH-TO-HOST"))
        self.poweroff(c)

    def test_all_devices_together(self):
        disk = self.disk_copy()
        c = self.boot_shell(["-drive", f"file={disk},format=raw,if=none,id=d0",
                             "-device", "virtio-blk-device,drive=d0",
                             "-device", "virtio-rng-device",
                             "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
                             "-device", "virtio-serial-device",
                             "-chardev", "null,id=vc0", "-device", "virtconsole,chardev=vc0"])
        self.shell(c, "ls /dev/vda /dev/hvc1 /dev/hwrng && ip link show eth0 && echo ALL-$((5+5))",
                   expect="ALL-10")
        c.wait_for(PROMPT)
        self.poweroff(c)

    def test_bad_device_options(self):
        p = self.run_cmd([self.morph, "-M", "virt", "-nographic",
                          "-device", "virtio-blk-device,drive=nope"], timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("nope", p.stderr)
        p = self.run_cmd([self.morph, "-M", "virt", "-nographic",
                          "-netdev", "user,id=n0,hostfwd=tcp::x-:22"], timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Invalid host forwarding rule", p.stderr)
        p = self.run_cmd([self.morph, "-M", "virt", "-nographic",
                          "-nic", "user,model=e1000"], timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Unsupported NIC model: e1000", p.stderr)


if __name__ == "__main__":
    unittest.main()
