#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Kernel index benchmark: cold builds, cached reloads (fresh JVM) and warm reloads (same JVM), each JVM limited to -Xmx150m and 2 CPUs;
# prints every run and the medians. Usage (from the repository root):
#   server/bench/index-bench.sh [RUNS] -- <IndexBenchmark kernel options>
# e.g. server/bench/index-bench.sh 5 -- --symbols /work/kimg/kallsyms --modules /work/kimg/lib/modules/6.1.0-56-amd64
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
[ "$2" = "--" ] && shift 2 || shift 1
(cd "$here" && mvn -q -B package -DskipTests && mvn -q -B test-compile) >&2
cp="$here/server/target/klp-lsp.jar:$here/server/target/test-classes"
cache=$(mktemp -d "${TMPDIR:-/tmp}/klp-index-bench.XXXXXX")
trap 'rm -rf "$cache"' EXIT
jvm="java -Xmx150m -XX:ActiveProcessorCount=2 -cp $cp dev.klplsp.bench.IndexBenchmark"
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for mode in cold cached warm; do
    out=$(for i in $(seq "$runs"); do $jvm "$mode" "$cache" "$@"; done)
    echo "$out"
    echo "$mode: median $(echo "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | median) ms," \
        "median peak heap $(echo "$out" | sed 's/.*peakHeapMB=\([0-9]*\).*/\1/' | median) MB," \
        "retained $(echo "$out" | sed 's/.*retainedMB=\([0-9]*\).*/\1/' | median) MB"
done
