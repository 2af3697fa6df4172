#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-kernel.sh [--no-dbg] DEST   (--no-dbg also skips the kernel source files, of no use without it)
#
# Reproduces the real-kernel directory the tests use (KLP_TEST_KERNEL_DIR) on a Debian 12 machine:
#   DEST/boot/vmlinuz-REL, DEST/lib/modules/REL/...      from linux-image-REL (downloaded, never installed)
#   DEST/usr/lib/debug/boot/{vmlinux,System.map}-REL     from linux-image-REL-dbg (858 MB; skip with --no-dbg)
#   DEST/usr/lib/debug/lib/modules/REL/kernel/...        the same package: debug files of the dump modules
#   DEST/Module.symvers                                  from /usr/src/linux-headers-REL when installed
#   DEST/kallsyms                                        /proc/kallsyms of a qemu boot (dump-kallsyms.sh)
#   DEST/releases/OTHER/linux-image-OTHER_*.deb          other builds' image packages, kept as .deb (about 70 MB
#   DEST/releases/OTHER/kallsyms                         each) and /proc/kallsyms of a qemu boot of each (no modules)
#   DEST/usr/src/linux-source-6.1/{Makefile,kernel/...}  a few files of Debian's kernel source package (139 MB
#   DEST/usr/share/doc/linux-source-6.1/changelog.Debian.gz  .deb, not kept) and its version, where it unpacks them
# REL is $KLP_KERNEL_RELEASE, default 6.1.0-56-amd64; the OTHERs are $KLP_EXTRA_RELEASES, default
# "6.1.0-47-amd64 6.1.0-52-amd64" (empty: none); the tests index each from its .deb alone. Every step is skipped when its output exists, so
# running it again is cheap. Needs apt lists that know the packages (apt-get update; the 6.1.0-56 packages
# come from bookworm-security).
set -euo pipefail
export LC_ALL=C

fetch_dbg=1
if [ "${1:-}" = --no-dbg ]; then
    fetch_dbg=0
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: $0 [--no-dbg] DEST" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" > /dev/null && pwd)
rel=${KLP_KERNEL_RELEASE:-6.1.0-56-amd64}
# Modules without dependencies whose kallsyms contain duplicated names; see README.md for why these.
dump_modules=(minix zstd_compress fat mmc_core libnvdimm)

mkdir -p "$1"
dest=$(cd "$1" > /dev/null && pwd)

step() { printf 'fetch-kernel: %s\n' "$*" >&2; }

# Downloads package $1 into directory $2 (default $dest) unless a .deb of it is already there; prints the
# .deb path. $3 is the package's architecture (default amd64; all for linux-source).
download() {
    local pkg=$1 dir=${2:-$dest} arch=${3:-amd64} deb
    deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*_$arch.deb" -print -quit)
    if [ -z "$deb" ]; then
        step "apt-get download $pkg"
        (cd "$dir" && apt-get download -q "$pkg" >&2)
        deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*_$arch.deb" -print -quit)
        [ -n "$deb" ] || { echo "$0: apt-get download $pkg produced no .deb" >&2; exit 1; }
    fi
    printf '%s\n' "$deb"
}

# Extracts the given members of a .deb into $dest through a temporary directory, so an interrupted run
# never leaves a half-extracted file behind that a later run would take as done.
extract() {
    local deb=$1 tmp
    shift
    tmp=$(mktemp -d "$dest/.extract.XXXXXX")
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "$@"
    cp -a --link "$tmp"/. "$dest"/ 2>/dev/null || cp -a "$tmp"/. "$dest"/
    rm -rf "$tmp"
}

if [ ! -f "$dest/boot/vmlinuz-$rel" ] || [ ! -d "$dest/lib/modules/$rel/kernel" ]; then
    deb=$(download "linux-image-$rel")
    step "extracting boot/ and lib/modules/ from $(basename "$deb")"
    extract "$deb" ./boot ./lib/modules
fi

# From the -dbg package: vmlinux and System.map, and the debug files of the modules the kallsyms dump loads
# (their DWARF is compared with readelf's; 4.8 GB of module debug info are not needed). A member is
# extracted only when it is missing, so the 858 MB .deb is downloaded at most once per missing set.
dbg_dir="$dest/usr/lib/debug/boot"
dbg_members=()
for file in "vmlinux-$rel" "System.map-$rel"; do
    [ -f "$dbg_dir/$file" ] || dbg_members+=("./usr/lib/debug/boot/$file")
done
for module in "${dump_modules[@]}"; do
    shipped=$(find "$dest/lib/modules/$rel/kernel" -name "$module.ko" -print -quit)
    [ -n "$shipped" ] || { echo "$0: no $module.ko under $dest/lib/modules/$rel/kernel" >&2; exit 1; }
    relative=${shipped#"$dest/lib/modules/$rel/"}
    [ -f "$dest/usr/lib/debug/lib/modules/$rel/$relative" ] ||
        dbg_members+=("./usr/lib/debug/lib/modules/$rel/$relative")
done
if [ $fetch_dbg -eq 1 ] && [ ${#dbg_members[@]} -gt 0 ]; then
    deb=$(download "linux-image-$rel-dbg")
    step "extracting ${#dbg_members[@]} file(s) from $(basename "$deb"): ${dbg_members[*]##*/}"
    extract "$deb" "${dbg_members[@]}"
    # The -dbg .deb is 858 MB and everything needed from it is now extracted.
    rm -f "$deb"
fi

headers=/usr/src/linux-headers-$rel
if [ ! -f "$dest/Module.symvers" ]; then
    if [ -f "$headers/Module.symvers" ]; then
        step "copying $headers/Module.symvers"
        cp "$headers/Module.symvers" "$dest/Module.symvers.tmp"
        mv "$dest/Module.symvers.tmp" "$dest/Module.symvers"
    else
        step "no $headers/Module.symvers (install linux-headers-$rel); skipped"
    fi
fi

if [ ! -s "$dest/kallsyms" ]; then
    step "booting to dump /proc/kallsyms with ${dump_modules[*]}"
    "$here/dump-kallsyms.sh" "$dest" "$dest/kallsyms" "${dump_modules[@]}"
fi
# Other builds of the same kernel: the image package as it is (the tests read the .deb itself) and the
# kallsyms of a boot of its vmlinuz, which is extracted to a temporary directory and dropped afterwards.
for other in ${KLP_EXTRA_RELEASES-6.1.0-47-amd64 6.1.0-52-amd64}; do
    odir="$dest/releases/$other"
    mkdir -p "$odir"
    deb=$(download "linux-image-$other" "$odir")
    if [ ! -s "$odir/kallsyms" ]; then
        tmp=$(mktemp -d "$odir/.boot.XXXXXX")
        step "extracting boot/vmlinuz-$other from $(basename "$deb")"
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./boot/vmlinuz-$other"
        step "booting $other to dump /proc/kallsyms"
        "$here/dump-kallsyms.sh" "$tmp" "$odir/kallsyms"
        rm -rf "$tmp"
    fi
done
# A few files of the kernel's source package, where Debian unpacks it (the tests open the kernel's source from
# its debug information). The package's version may differ from the image's (6.1.192-3 against -2): the
# changelog says which. Extracting from the .tar.xz inside reads the whole stream once.
source_pkg=linux-source-${KLP_SOURCE_SERIES:-6.1}
source_files=(Makefile kernel/sysctl.c)
source_dir="$dest/usr/src/$source_pkg"
source_missing=0
for file in "${source_files[@]}"; do
    [ -f "$source_dir/$file" ] || source_missing=1
done
if [ $fetch_dbg -eq 1 ] && [ $source_missing -eq 1 ]; then
    tmp=$(mktemp -d "$dest/.source.XXXXXX")
    deb=$(download "$source_pkg" "$tmp" all)
    step "extracting ${source_files[*]} from $(basename "$deb")"
    dpkg-deb -x "$deb" "$tmp/root"
    tar -xJf "$tmp/root/usr/src/$source_pkg.tar.xz" -C "$tmp" "${source_files[@]/#/$source_pkg/}"
    mkdir -p "$dest/usr/src" "$dest/usr/share/doc/$source_pkg"
    cp "$tmp/root/usr/share/doc/$source_pkg/changelog.Debian.gz" "$dest/usr/share/doc/$source_pkg/"
    rm -rf "$source_dir"
    mv "$tmp/$source_pkg" "$source_dir"
    rm -rf "$tmp"
fi
step "done: $dest"
