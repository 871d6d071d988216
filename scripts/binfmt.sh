#!/bin/sh
# Register (or remove) morph-riscv64 with the kernel's binfmt_misc, so that
# riscv64 ELF programs run directly (./prog) under morph, as Debian's
# qemu-user-binfmt does for qemu-riscv64.  Needs root.
#
#   scripts/binfmt.sh [--path /usr/local/bin/morph-riscv64] [--persistent] [--remove]
#
# --persistent adds the F flag: the kernel opens the interpreter now, so it
# also works inside containers and chroots that do not have the file.  The
# C flag is not used: morph runs set-user-id programs with the caller's ids.
# The guest's libraries are found through MORPH_LD_PREFIX (or
# /etc/qemu-binfmt/riscv64 is not consulted: set the variable).
set -e

name=morph-riscv64
path=
flags=P
remove=0
while [ $# -gt 0 ]; do
    case "$1" in
    --path) path=$2; shift ;;
    --persistent) flags=${flags}F ;;
    --remove) remove=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "binfmt.sh: unknown option '$1'" >&2; exit 1 ;;
    esac
    shift
done

mnt=/proc/sys/fs/binfmt_misc
if [ ! -e "$mnt/register" ]; then
    mount -t binfmt_misc binfmt_misc "$mnt" 2>/dev/null || {
        echo "binfmt.sh: binfmt_misc is not available (modprobe binfmt_misc?)" >&2
        exit 1
    }
fi
if [ -e "$mnt/$name" ]; then
    echo -1 > "$mnt/$name"
fi
if [ "$remove" = 1 ]; then
    echo "binfmt.sh: $name removed"
    exit 0
fi
if [ -z "$path" ]; then
    path=$(command -v morph-riscv64 || true)
fi
if [ -z "$path" ] || [ ! -x "$path" ]; then
    echo "binfmt.sh: morph-riscv64 not found (use --path)" >&2
    exit 1
fi

# ELF64, little-endian, version 1, ET_EXEC or ET_DYN (low byte masked), e_machine 243 (RISC-V).
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
printf ':%s:M::%s:%s:%s:%s\n' "$name" "$magic" "$mask" "$path" "$flags" > "$mnt/register"
echo "binfmt.sh: $name registered for riscv64 ELF programs ($path, flags $flags)"
