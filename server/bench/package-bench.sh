#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Packaged klp-lsp against ./klp-lsp: sizes, and the start-up and run time of one-shot commands through each
# launcher, in the same rounds. The package side is the release tarball (the same tree the .deb installs under
# /usr/lib/klp-lsp: bin/klp-lsp on the jlinked runtime, lib/klp-lsp.jar, its class-data archive, which the first
# run makes here as postinst does for the .deb); the checkout side is ./klp-lsp (the checkout's own jlinked
# runtime server/target/runtime, the jar of server/target and its archives), and ./klp-lsp with
# KLP_LSP_RUNTIME=jdk (the system's JDK). Both jars come from the same build when the tarball was made from this
# checkout by packaging/release.sh.
# Cases: `--version` (start-up), `elf` and `check` of the example livepatch (testdata/example, built here by gcc).
# Launchers: checkout, checkout on the JDK, package, and the package without its archive (KLP_LSP_CDS=off). Rounds are interleaved
# (every case through every launcher per round) after one unmeasured round; figures are medians of wall and CPU
# (user + system) time, with the load average at the start and the end.
# Usage (from the repository root): server/bench/package-bench.sh [RUNS] TARBALL
set -eu
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=${1:-11}
tarball=${2:-}
[ -f "$tarball" ] || { echo "package-bench: TARBALL '$tarball' is not a file (usage: $0 [RUNS] TARBALL)" >&2; exit 1; }
[ -f "$here/server/target/klp-lsp.jar" ] || { echo "package-bench: build the jar first (mvn package)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "package-bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-package-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
tree=$(echo "$work"/klp-lsp-*)
make -s -C "$here/testdata/example" BUILD="$work/example" > /dev/null
module=$work/example/livepatch-example.ko
kernel=$work/example/kernel
checkout=$here/klp-lsp
package=$tree/bin/klp-lsp
# The archives (one for the kernel commands, one for the others) are made by the first runs of each launcher,
# outside the measurement.
warm() { # [VARIABLE=VALUE...] LAUNCHER
    env "$@" --version > /dev/null 2>&1
    env "$@" check "$module" --kernel "$kernel" > /dev/null 2>&1
}
warm "$checkout"
warm KLP_LSP_RUNTIME=jdk "$checkout"
warm "$package"
for archive in klp-lsp.jsa klp-lsp-kernel.jsa; do
    [ -f "$tree/lib/$archive" ] || { echo "package-bench: the package made no class-data archive $archive" >&2; exit 1; }
done

size() { du -sb "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
echo "sizes:"
echo "  tarball $(mb "$(size "$tarball")"); unpacked with its archives $(mb "$(size "$tree")"): runtime" \
    "$(mb "$(size "$tree/runtime")"), jar $(mb "$(size "$tree/lib/klp-lsp.jar")"), archives $(mb "$(size "$tree/lib/klp-lsp.jsa")") and" \
    "$(mb "$(size "$tree/lib/klp-lsp-kernel.jsa")") (kernel commands)"
for deb in "$(dirname "$tarball")"/klp-lsp_*_amd64.deb; do
    [ -f "$deb" ] && echo "  $(basename "$deb") $(mb "$(size "$deb")"), Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB" \
        "(without the archives postinst makes)"
done
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
target=$here/server/target
echo "  checkout: jar $(mb "$(size "$target/klp-lsp.jar")"), its runtime with its archives $(mb "$(size "$target/runtime")")" \
    "(archives $(mb "$(size "$target/runtime/klp-lsp.jsa")") and $(mb "$(size "$target/runtime/klp-lsp-kernel.jsa")"));" \
    "on the system JDK $java_home ($(mb "$(size "$java_home")")) archives $(mb "$(size "$target/klp-lsp.jsa")") and" \
    "$(mb "$(size "$target/klp-lsp-kernel.jsa")")"

run() { # LABEL CASE LAUNCHER [ENV...] -- prints "LABEL CASE wall cpu" in ms
    label=$1 case=$2 launcher=$3
    shift 3
    case $case in
        version) set -- "$@" "$launcher" --version ;;
        elf) set -- "$@" "$launcher" elf "$module" ;;
        check) set -- "$@" "$launcher" check "$module" --kernel "$kernel" ;;
    esac
    /usr/bin/time -f '%e %U %S' -o "$work/time" env "$@" > /dev/null 2> "$work/err" \
        || { echo "package-bench: $label $case failed:" >&2; cat "$work/err" >&2; exit 1; }
    awk -v l="$label" -v c="$case" '{ printf "%s %s %d %d\n", l, c, $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}
round() {
    for case in version elf check; do
        run checkout "$case" "$checkout"
        run checkout-jdk "$case" "$checkout" KLP_LSP_RUNTIME=jdk
        run package "$case" "$package"
        run package-no-archive "$case" "$package" KLP_LSP_CDS=off
    done
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
round > /dev/null
i=0
while [ "$i" -lt "$runs" ]; do
    round
    i=$((i + 1))
done > "$work/results"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "medians of $runs rounds (wall / CPU ms):"
for case in version elf check; do
    line="  $case:"
    for label in checkout checkout-jdk package package-no-archive; do
        wall=$(awk -v l="$label" -v c="$case" '$1 == l && $2 == c { print $3 }' "$work/results" | median)
        cpu=$(awk -v l="$label" -v c="$case" '$1 == l && $2 == c { print $4 }' "$work/results" | median)
        line="$line $label $wall / $cpu;"
    done
    echo "$line"
done
