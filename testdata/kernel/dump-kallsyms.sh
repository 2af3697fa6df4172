#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dump-kallsyms.sh KERNEL_DIR OUT_FILE [MODULE...]
#
# Boots KERNEL_DIR/boot/vmlinuz-* under qemu (nokaslr, so addresses match System.map), insmods each MODULE
# (a module name such as "minix", resolved to KERNEL_DIR/lib/modules/*/kernel/**/<name>.ko, or a path to a
# .ko), and writes the guest's /proc/kallsyms to OUT_FILE. Modules must have no dependencies: nothing
# resolves them, and a module whose insmod fails makes this script fail.
# See README.md in this directory for the module list used for the checked-in recipe.
set -euo pipefail
export LC_ALL=C

if [ $# -lt 2 ]; then
    echo "usage: $0 KERNEL_DIR OUT_FILE [MODULE...]" >&2
    exit 2
fi
kdir=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" > /dev/null && pwd)

shopt -s nullglob
vmlinuz=("$kdir"/boot/vmlinuz-*)
[ ${#vmlinuz[@]} -eq 1 ] || { echo "$0: expected exactly one $kdir/boot/vmlinuz-*, found ${#vmlinuz[@]}" >&2; exit 1; }
moddirs=("$kdir"/lib/modules/*/kernel)

# Prints the depends= value of a .ko's .modinfo (modinfo from kmod may be missing, objcopy is not).
module_depends() {
    local tmp
    tmp=$(mktemp)
    objcopy -O binary --only-section=.modinfo "$1" "$tmp"
    tr '\0' '\n' <"$tmp" | sed -n 's/^depends=//p'
    rm -f "$tmp"
}

kos=()
for m in "$@"; do
    if [ -f "$m" ]; then
        ko=$m
    else
        [ ${#moddirs[@]} -ge 1 ] || { echo "$0: no $kdir/lib/modules/*/kernel to resolve module $m" >&2; exit 1; }
        ko=$(find "${moddirs[@]}" -name "$m.ko" -print -quit)
        [ -n "$ko" ] || { echo "$0: module $m not found under ${moddirs[*]}" >&2; exit 1; }
    fi
    deps=$(module_depends "$ko")
    if [ -n "$deps" ]; then
        echo "$0: module $m depends on '$deps'; pick modules without dependencies" >&2
        exit 1
    fi
    kos+=("$ko")
done

work=$(mktemp -d "${TMPDIR:-/tmp}/klp-kallsyms.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The body insmods in the given order and stops at the first failure so the dump is never silently short.
{
    echo 'set -e'
    echo 'stty -F /dev/ttyS1 raw -echo 2>/dev/null || true'
    for ko in "${kos[@]}"; do
        echo "insmod /mods/$(basename "$ko") && echo 'KLP-DUMP: loaded $(basename "$ko" .ko)'"
    done
    # shellcheck disable=SC2016 # expanded in the guest, not here
    echo 'echo "KLP-DUMP: kallsyms lines $(wc -l < /proc/kallsyms)"'
    echo 'cat /proc/kallsyms > /dev/ttyS1'
    echo 'echo KLP-DUMP-END > /dev/ttyS1'
    echo 'echo "KLP-DUMP: written"'
} >"$work/body.sh"

"$here/mkinitramfs.sh" "$work/initrd.gz" "$work/body.sh" "${kos[@]}"
start=$(date +%s.%N)
rc=0
"$here/boot.sh" "${vmlinuz[0]}" "$work/initrd.gz" "$work/serial.log" "$work/ttyS1.raw" || rc=$?
end=$(date +%s.%N)

if [ $rc -ne 0 ] || ! grep -q 'KLP-DUMP: written' "$work/serial.log"; then
    echo "$0: boot failed (qemu exit $rc); serial log tail:" >&2
    tail -n 40 "$work/serial.log" >&2
    exit 1
fi
tr -d '\r' <"$work/ttyS1.raw" >"$work/ttyS1.txt"
if [ "$(tail -n 1 "$work/ttyS1.txt")" != KLP-DUMP-END ]; then
    echo "$0: the kallsyms dump is truncated (no end marker)" >&2
    exit 1
fi
expected=$(sed -n 's/.*KLP-DUMP: kallsyms lines \([0-9]*\).*/\1/p' "$work/serial.log" | tr -d '\r')
sed '$d' "$work/ttyS1.txt" >"$out.tmp.$$"
got=$(wc -l <"$out.tmp.$$")
if [ "$got" -ne "$expected" ]; then
    rm -f "$out.tmp.$$"
    echo "$0: guest reported $expected kallsyms lines but $got arrived" >&2
    exit 1
fi
mv "$out.tmp.$$" "$out"
printf '%s: %s lines (%s [module] lines) in %.1f s boot\n' "$out" "$got" \
    "$(grep -c '\]$' "$out" || true)" "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" >&2
