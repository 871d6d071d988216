#!/bin/sh
# install-deps.sh: install the Debian 12 packages morph needs, idempotently.
#   scripts/install-deps.sh [build|test|all]   (default: all)
# "build" is what compiling needs; "test" adds the cross compilers, Debian's
# QEMU (used as an oracle), firmware and gdb-multiarch.  As root it runs
# apt-get for the missing packages only; otherwise it prints the command.
set -e
what=${1:-all}

BUILD_PKGS="gcc make meson ninja-build pkg-config python3 libglib2.0-dev zlib1g-dev
 libpixman-1-dev libslirp-dev liburing-dev libfdt-dev libcapstone-dev"
TEST_PKGS="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user qemu-system-misc
 qemu-utils opensbi u-boot-qemu gdb-multiarch"

case "$what" in
build) pkgs=$BUILD_PKGS ;;
test|all) pkgs="$BUILD_PKGS $TEST_PKGS" ;;
*) echo "install-deps.sh: unknown set '$what' (build, test or all)" >&2; exit 1 ;;
esac

missing=
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "morph: missing Debian packages; as root run: apt-get install -y$missing" >&2
    exit 1
fi
echo "morph: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list makes "apt-get install" fail; refresh first.
apt-get update -q >/dev/null || apt-get update
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
