#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Kernel image benchmark: indexing vmlinux from a vmlinuz, cold (a fresh JVM per run, no index cache, each JVM
# limited to 2 CPUs), against two floors measured in the same runs: the xz decompression of the payload alone with
# the same Java library (xz=), and with the native xz (native=). Optionally a whole image package (.deb). Per run
# it prints the in-process time (ms=, measured in the JVM) and the end-to-end time of the java process (e2e=); then
# the medians. Usage (from the repository root):
#   server/bench/image-bench.sh [RUNS] VMLINUZ [IMAGE_PACKAGE.deb]
# e.g. server/bench/image-bench.sh 5 $KLP_TEST_KERNEL_DIR/boot/vmlinuz-6.1.0-56-amd64
# A missing input stops it before anything is measured; a JVM run longer than KLP_BENCH_TIMEOUT seconds (default
# 300) stops it too.
set -e
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=${1:-5}
vmlinuz=${2:-}
deb=${3:-}
[ -f "$vmlinuz" ] || { echo "image-bench: VMLINUZ '$vmlinuz' is not a file (usage: $0 [RUNS] VMLINUZ [PACKAGE.deb])" >&2; exit 1; }
[ -z "$deb" ] || [ -f "$deb" ] || { echo "image-bench: image package '$deb' is not a file" >&2; exit 1; }
if [ -z "$KLP_BENCH_CP" ]; then
    (cd "$here" && mvn -q -B package -DskipTests && mvn -q -B test-compile) >&2
fi
cp=${KLP_BENCH_CP:-"$here/server/target/klp-lsp.jar:$here/server/target/test-classes"}
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-image-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
jvm="timeout ${KLP_BENCH_TIMEOUT:-300} java -Xmx1g -XX:ActiveProcessorCount=2 -cp $cp dev.klplsp.bench.ImageBenchmark"
$jvm payload "$vmlinuz" "$work/payload.xz" > /dev/null
now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { sed "s/.* $1=\([0-9]*\).*/\1/" | median; }
timed() {
    start=$(now)
    line=$("$@") || { echo "image-bench: $* failed or timed out" >&2; exit 1; }
    end=$(now)
    echo "$line e2e=$(( (end - start) / 1000000 ))"
}
out=$(for i in $(seq "$runs"); do
    index=$(timed $jvm index "$vmlinuz")
    xz=$(timed $jvm xz "$vmlinuz")
    n0=$(now)
    xz -dc "$work/payload.xz" > /dev/null
    n1=$(now)
    echo "$index xz=$(echo "$xz" | sed 's/.* ms=\([0-9]*\).*/\1/') xzE2e=$(echo "$xz" | sed 's/.*e2e=//') native=$(( (n1 - n0) / 1000000 ))"
done)
echo "$out"
echo "index from vmlinuz: median in-process $(echo "$out" | field ms) ms, end-to-end $(echo "$out" | field e2e) ms;" \
    "floors: Java xz in-process $(echo "$out" | field xz) ms (end-to-end $(echo "$out" | field xzE2e) ms)," \
    "native xz $(echo "$out" | field native) ms"
if [ -n "$deb" ]; then
    out=$(for i in $(seq "$runs"); do
        package=$(timed $jvm package "$deb")
        n0=$(now)
        dpkg-deb --fsys-tarfile "$deb" > /dev/null
        n1=$(now)
        echo "$package dpkg=$(( (n1 - n0) / 1000000 ))"
    done)
    echo "$out"
    echo "index from image package: median in-process $(echo "$out" | field ms) ms, end-to-end $(echo "$out" | field e2e)" \
        "ms; floor: dpkg-deb --fsys-tarfile $(echo "$out" | field dpkg) ms"
fi
