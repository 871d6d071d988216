#!/bin/sh
# run-default-guest.sh [BUILD]: what `make run` does.  Boot the default guest,
# the riscv64 virt machine through OpenSBI into the assets' Linux + busybox,
# to an interactive shell on this terminal (C-a x quits, C-a h lists the keys):
#   morph-system-riscv64 -M virt -smp 2 -m 256M -nographic \
#       -kernel Image -initrd rootfs.cpio.gz -append console=ttyS0
# The assets are looked for where the tests look (tests/functional/morphtest.py):
# $MORPH_ASSETS/riscv64, ../shared/assets/riscv64 beside the source tree, then
# ${XDG_CACHE_HOME:-~/.cache}/morph/assets/riscv64 (scripts/get-assets.sh fills it).
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/morph-system-riscv64"
if [ ! -x "$bin" ]; then
    echo "morph: make run: $bin is not built (is riscv64-softmmu in target_list?)" >&2
    exit 1
fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}
for dir in ${MORPH_ASSETS:+"$MORPH_ASSETS/riscv64"} "$src/../shared/assets/riscv64" \
           "$cache/morph/assets/riscv64"; do
    if [ -f "$dir/Image" ] && [ -f "$dir/rootfs.cpio.gz" ]; then
        exec "$bin" -M virt -smp 2 -m 256M -nographic \
            -kernel "$dir/Image" -initrd "$dir/rootfs.cpio.gz" -append console=ttyS0
    fi
done
echo "morph: make run: the riscv64 guest images (Image, rootfs.cpio.gz) were not found in" \
     "${MORPH_ASSETS:+$MORPH_ASSETS/riscv64, }$src/../shared/assets/riscv64 or" \
     "$cache/morph/assets/riscv64; run scripts/get-assets.sh or set MORPH_ASSETS" >&2
exit 1
