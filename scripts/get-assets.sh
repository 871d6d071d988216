#!/bin/sh
# get-assets.sh [ARCH...]: make the guest images for boot tests available.
# Tests look in $MORPH_ASSETS/ARCH, ../shared/assets/ARCH, then
# ~/.cache/morph/assets/ARCH.  When none has them, this rebuilds them into
# the cache from Debian packages with the recipe in scripts/assets/ARCH/
# (the same recipe that made ../shared/assets; about 30 minutes, as root),
# then checks them against the pinned SHA256SUMS.
set -e
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/morph/assets
[ $# -eq 0 ] && set -- riscv64

for arch in "$@"; do
    recipe=$src/scripts/assets/$arch
    if [ ! -x "$recipe/build.sh" ]; then
        echo "get-assets.sh: no recipe for '$arch'" >&2
        exit 1
    fi
    for dir in ${MORPH_ASSETS:+$MORPH_ASSETS/$arch} "$src/../shared/assets/$arch" "$cache/$arch"; do
        if [ -f "$dir/SHA256SUMS" ] && (cd "$dir" && sha256sum --quiet -c SHA256SUMS) 2>/dev/null; then
            echo "get-assets.sh: $arch assets present in $dir"
            continue 2
        fi
    done
    if [ "$(id -u)" != 0 ]; then
        echo "get-assets.sh: building the $arch assets needs root (apt-get); run it as root" >&2
        exit 1
    fi
    mkdir -p "$cache/$arch"
    echo "get-assets.sh: building $arch assets into $cache/$arch (about 30 minutes)"
    "$recipe/build.sh" "$cache/$arch"
    (cd "$cache/$arch" && sha256sum -c "$recipe/SHA256SUMS")
done
