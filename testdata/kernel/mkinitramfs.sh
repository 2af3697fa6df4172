#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh OUT_INITRD BODY_SCRIPT [FILE...]
#
# Builds a gzip'd newc initramfs for the qemu harness: static busybox, /init (init/init.sh, which mounts
# proc/sys/devtmpfs, prints the init marker, runs /body.sh and powers off), /body.sh = BODY_SCRIPT, and
# every FILE copied into /mods/ under its own basename.
# Shared by dump-kallsyms.sh and the Java test helper RealKernel, so there is one way to build an initramfs.
set -euo pipefail
export LC_ALL=C

if [ $# -lt 2 ]; then
    echo "usage: $0 OUT_INITRD BODY_SCRIPT [FILE...]" >&2
    exit 2
fi
out=$1
body=$2
shift 2
here=$(cd "$(dirname "$0")" > /dev/null && pwd)
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ] || readelf -lW "$busybox" 2>/dev/null | grep -q 'INTERP'; then
    echo "$0: $busybox is missing or not statically linked (install busybox-static)" >&2
    exit 1
fi
command -v cpio >/dev/null || { echo "$0: cpio is not installed" >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/klp-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/mods" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 "$here/init/init.sh" "$root/init"
install -m 0755 "$body" "$root/body.sh"
for f in "$@"; do
    if [ -e "$root/mods/$(basename "$f")" ]; then
        echo "$0: two files named $(basename "$f"); /mods/ is flat" >&2
        exit 1
    fi
    cp "$f" "$root/mods/$(basename "$f")"
done

tmp_out="$out.tmp.$$"
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet | gzip -1) > "$tmp_out"
mv "$tmp_out" "$out"
