#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Optimization index benchmark: cold builds from a debug file (fresh JVM, no cache), cached reloads (fresh
# JVM) and warm reloads (same JVM), each JVM limited to -Xmx300m and 2 CPUs. Every cold run is followed by
# the baseline, `readelf --debug-dump=info FILE > /dev/null`, timed in the same round, so the ratio holds on a
# shared machine. Per run it prints the in-process time (ms=, loader start to index ready), the whole java
# process (e2e=, JVM start included) and, for cold runs, readelf= and ratio= (readelf / e2e), and the CPU
# seconds (user + system, from /usr/bin/time) of both, cpu= and readelfCpu=, which a loaded machine distorts
# less than wall time. Then the medians.
# Usage (from the repository root):
#   server/bench/optimization-bench.sh [RUNS] -- DEBUG_FILE
# e.g. server/bench/optimization-bench.sh 5 -- $KLP_TEST_KERNEL_DIR/usr/lib/debug/boot/vmlinux-6.1.0-56-amd64
# A missing input stops it before anything is measured; a JVM run longer than KLP_BENCH_TIMEOUT seconds (default
# 300) stops it too.
set -e
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=${1:-5}
[ "$2" = "--" ] && shift 2 || shift 1
file=${1:-}
[ -f "$file" ] || { echo "optimization-bench: DEBUG_FILE '$file' is not a file (usage: $0 [RUNS] -- DEBUG_FILE)" >&2; exit 1; }
if [ -z "$KLP_BENCH_CP" ]; then
    (cd "$here" && mvn -q -B package -DskipTests && mvn -q -B test-compile) >&2
fi
cp=${KLP_BENCH_CP:-"$here/server/target/klp-lsp.jar:$here/server/target/test-classes"}
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-optimization-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache=$work/cache
mkdir "$cache"
jvm="timeout ${KLP_BENCH_TIMEOUT:-300} java -Xmx300m -XX:ActiveProcessorCount=2 -cp $cp dev.klplsp.bench.OptimizationBenchmark"
now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | median; }
times=$work/times
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$times"; }
for mode in cold cached warm; do
    out=$(for i in $(seq "$runs"); do
        start=$(now)
        line=$(/usr/bin/time -o "$times" -f '%U %S' $jvm "$mode" "$cache" "$file")
        end=$(now)
        e2e=$(( (end - start) / 1000000 ))
        extra=" cpu=$(cpu)"
        if [ "$mode" = cold ]; then
            jvmCpu=$(cpu)
            r0=$(now)
            LC_ALL=C /usr/bin/time -o "$times" -f '%U %S' readelf --debug-dump=info "$file" > /dev/null 2>&1
            r1=$(now)
            readelf=$(( (r1 - r0) / 1000000 ))
            extra="$extra readelf=$readelf ratio=$(awk -v r="$readelf" -v e="$e2e" 'BEGIN { printf "%.1f", r / e }')"
            extra="$extra readelfCpu=$(cpu) cpuRatio=$(awk -v r="$(cpu)" -v j="$jvmCpu" 'BEGIN { printf "%.1f", r / j }')"
        fi
        echo "$line e2e=$e2e$extra"
    done)
    echo "$out"
    summary="$mode: median in-process $(echo "$out" | field ms) ms, end-to-end $(echo "$out" | field e2e) ms"
    summary="$summary, CPU $(echo "$out" | field cpu) s"
    if [ "$mode" = cold ]; then
        summary="$summary; readelf $(echo "$out" | field readelf) ms, CPU $(echo "$out" | field readelfCpu) s;"
        summary="$summary ratio $(echo "$out" | field ratio)x wall, $(echo "$out" | field cpuRatio)x CPU"
    fi
    echo "$summary, peak heap $(echo "$out" | field peakHeapMB) MB, retained $(echo "$out" | field retainedMB) MB," \
        "cache $(echo "$out" | field cacheKB) KB"
done
