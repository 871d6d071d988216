#!/bin/sh
# run-default-guest.sh BUILD: what `make run` does, boot the default guest
# (the riscv64 virt machine through OpenSBI into Linux + busybox) to a shell.
# No machine can boot yet: the system emulator arrives with the riscv64 virt
# machine work, and this script then starts it.
build=${1:-build}
if [ ! -x "$build/morph-system-riscv64" ]; then
    echo "morph: make run: not yet - no machine can boot yet (morph-system-riscv64 and the riscv64 virt board are not built)" >&2
    exit 1
fi
exec "$build/morph-system-riscv64" -M virt -nographic
