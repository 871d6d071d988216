#!/bin/sh
# Regenerate the qcow2 seed corpus of tests/fuzz/ with Debian's qemu-img and
# qemu-io (package qemu-utils).  Small clusters keep every seed a few KiB.
# Usage: tests/fuzz/make-corpus.sh [output-dir]   (default: tests/fuzz/corpus/qcow2)
set -eu
out=${1:-$(dirname "$0")/corpus/qcow2}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
img() { qemu-img create -q -f qcow2 "$@"; }
io() { qemu-io -c "$2" "$1" >/dev/null; }

img -o cluster_size=512 "$tmp/empty-v3.qcow2" 1M
img -o cluster_size=512,compat=0.10 "$tmp/empty-v2.qcow2" 1M
img -o cluster_size=512 "$tmp/data.qcow2" 64k
io "$tmp/data.qcow2" "write -P 0x11 0 4k"
io "$tmp/data.qcow2" "write -z 8k 4k"
io "$tmp/data.qcow2" "discard 4k 512"
img -o cluster_size=1024,refcount_bits=1 "$tmp/refcount1.qcow2" 64k
io "$tmp/refcount1.qcow2" "write -P 0x22 1k 3k"
img -o cluster_size=512,refcount_bits=64 "$tmp/refcount64.qcow2" 32k
io "$tmp/refcount64.qcow2" "write -P 0x23 0 2k"
img -o cluster_size=4096 "$tmp/snapshot.qcow2" 64k
io "$tmp/snapshot.qcow2" "write -P 0x33 0 8k"
qemu-img snapshot -c s1 "$tmp/snapshot.qcow2"
io "$tmp/snapshot.qcow2" "write -P 0x44 4k 8k"
qemu-img create -q -f raw "$tmp/base.raw" 64k
img -o cluster_size=512 -b base.raw -F raw "$tmp/backing.qcow2" 64k
io "$tmp/backing.qcow2" "write -P 0x55 100 600"
head -c 8192 /dev/zero | tr '\0' 'A' > "$tmp/text.raw"
qemu-img convert -c -f raw -O qcow2 -o cluster_size=4096 "$tmp/text.raw" "$tmp/compressed.qcow2"
for f in empty-v3 empty-v2 data refcount1 refcount64 snapshot backing compressed; do
    cp "$tmp/$f.qcow2" "$out/$f.qcow2"
done
ls -l "$out"
