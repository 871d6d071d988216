"""Add files to a Linux initramfs without root or external tools.

Linux unpacks an initramfs that is several cpio archives (each may be
compressed) laid end to end (Documentation/driver-api/early-userspace/
buffer-format.rst), so a program is added to an existing rootfs.cpio.gz by
appending a second gzipped cpio "newc" archive that holds it.  Standard
library only; the archive is reproducible (fixed mtime, uid 0).
"""
import gzip
import os

NEWC_MAGIC = b"070701"


def _pad4(n):
    return (4 - n % 4) % 4


def _entry(name, mode, data, ino):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0]
    head = NEWC_MAGIC + b"".join(b"%08x" % v for v in fields)
    out = head + name_b + b"\0" * _pad4(len(head) + len(name_b))
    return out + data + b"\0" * _pad4(len(data))


def newc_archive(files):
    """files: [(path inside the archive, mode, bytes)] -> a cpio newc archive."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(files, start=1):
        out += _entry(name, mode, data, ino)
    out += _entry("TRAILER!!!", 0, b"", 0)
    return bytes(out)


def extend_initrd(base, out, programs):
    """Write base (a gzipped initramfs) + a gzipped archive with programs.

    programs: {path inside the guest (e.g. "bin/blkbench"): host file}.
    Parent directories must exist in base.
    """
    files = []
    for dest, src in sorted(programs.items()):
        with open(src, "rb") as f:
            files.append((dest.lstrip("/"), 0o100755, f.read()))
    with open(base, "rb") as f:
        first = f.read()
    extra = gzip.compress(newc_archive(files), mtime=0)
    with open(out, "wb") as f:
        f.write(first)
        f.write(b"\0" * _pad4(len(first)))
        f.write(extra)
    os.chmod(out, 0o644)
