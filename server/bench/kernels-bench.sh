#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Several-kernels benchmark: checking one livepatch against 11 cached kernels (Debian's 6.1.0-47 ... 6.1.0-57, each
# indexed from its image package) against checking it against one, in the same run. A fresh JVM per measurement
# (-Xmx1g, 2 CPUs), the two cases alternating, the index cache filled beforehand (a warm-up indexes every package
# once: about 1 minute each on 2 cores). Per run it prints the in-process time (ms=: load the cached indexes, then
# the check; loadMs= and checkMs= split it), the end-to-end time of the java process (e2e=), the heap used after a
# full collection (heapMB=), the resident set size (rssMB=) and the size of the mapped cache files (mappedMB=); then
# the medians and the ratios 11/1.
# Usage (from the repository root):
#   server/bench/kernels-bench.sh [RUNS] DEB_DIR [MODULE]
# DEB_DIR receives the 11 linux-image packages (apt-get download, about 70 MB each, 780 MB in all, fetched once);
# MODULE defaults to testdata/kernel/modules/livepatch-nonexported built with kbuild against the installed
# linux-headers-6.1.0-56-amd64 (a typical livepatch: four non-exported references, one of them duplicated).
set -e
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=${1:-5}
debs=$(cd "$2" > /dev/null && pwd)
module=$3
releases="47 48 49 50 51 52 53 54 55 56 57"
if [ -z "$KLP_BENCH_CP" ]; then
    (cd "$here" && mvn -q -B package -DskipTests && mvn -q -B test-compile) >&2
fi
cp=${KLP_BENCH_CP:-"$here/server/target/klp-lsp.jar:$here/server/target/test-classes"}
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-kernels-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache=$debs/index-cache
for r in $releases; do
    if ! ls "$debs"/linux-image-6.1.0-$r-amd64_*_amd64.deb >/dev/null 2>&1; then
        (cd "$debs" && apt-get download -q "linux-image-6.1.0-$r-amd64" >&2)
    fi
done
packages=$(for r in $releases; do ls "$debs"/linux-image-6.1.0-$r-amd64_*_amd64.deb; done)
first=$(echo "$packages" | head -n 1)
if [ -z "$module" ]; then
    cp -r "$here/testdata/kernel/modules/livepatch-nonexported" "$work/module"
    make -s -C /usr/src/linux-headers-6.1.0-56-amd64 M="$work/module" KBUILD_MODPOST_WARN=1 modules >&2 2>/dev/null
    module=$work/module/livepatch-nonexported.ko
fi
choice=do_poweroff=vmlinux:2
# Warm-up: every package indexed into the cache once (not timed).
java -Xmx1g -cp "$cp" dev.klplsp.cli.Main index --cache-dir "$cache" $(for p in $packages; do printf -- '--kernel %s ' "$p"; done) \
    | grep '^Kernel ' >&2
jvm="java -Xmx1g -XX:ActiveProcessorCount=2 -cp $cp dev.klplsp.bench.KernelsBenchmark $cache $module $choice"
now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { grep "kernels=$1 " | sed "s/.* $2=\([0-9]*\).*/\1/" | median; }
timed() {
    start=$(now)
    line=$("$@")
    end=$(now)
    echo "$line e2e=$(( (end - start) / 1000000 ))"
}
out=$(for i in $(seq "$runs"); do
    timed $jvm "$first"
    timed $jvm $packages
done)
echo "$out"
for n in 1 11; do
    echo "$n kernel(s): median ms $(echo "$out" | field $n ms) (load $(echo "$out" | field $n loadMs), check" \
        "$(echo "$out" | field $n checkMs)), end-to-end $(echo "$out" | field $n e2e) ms; heap $(echo "$out" | field $n heapMB)" \
        "MB, RSS $(echo "$out" | field $n rssMB) MB, mapped cache files $(echo "$out" | field $n mappedMB) MB"
done
echo "ratio 11/1: in-process $(echo "$out" | field 11 ms) / $(echo "$out" | field 1 ms)," \
    "end-to-end $(echo "$out" | field 11 e2e) / $(echo "$out" | field 1 e2e)"
