#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Kernel index benchmark: cold builds, cached reloads (fresh JVM) and warm reloads (same JVM), each JVM limited to
# -Xmx150m and 2 CPUs. Per run it prints the in-process load time (ms=, loader start to index ready, measured in the
# JVM), the end-to-end time of the whole java process (e2e=, JVM start included), and two same-moment baselines for
# scaling on a shared machine: find=, a `find` of the module tree printing size and mtime (what the cache check
# stats), and cat=, a `cat` of the cache file. Then the medians. Usage (from the repository root):
#   server/bench/index-bench.sh [RUNS] -- <IndexBenchmark kernel options>
# e.g. server/bench/index-bench.sh 5 -- --symbols /work/kimg/kallsyms --modules /work/kimg/lib/modules/6.1.0-56-amd64
# A missing input stops it before anything is measured; a run longer than KLP_BENCH_TIMEOUT seconds (default 120)
# stops it too.
set -e
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=${1:-5}
[ "$2" = "--" ] && shift 2 || shift 1
if [ -z "$KLP_BENCH_CP" ]; then
    (cd "$here" && mvn -q -B package -DskipTests && mvn -q -B test-compile) >&2
fi
cp=${KLP_BENCH_CP:-"$here/server/target/klp-lsp.jar:$here/server/target/test-classes"}
cache=$(mktemp -d "${TMPDIR:-/tmp}/klp-index-bench.XXXXXX")
trap 'rm -rf "$cache"' EXIT
modules=
prev=
for arg in "$@"; do
    [ "$prev" = "--modules" ] && modules="$modules $arg"
    case $prev in
        --symbols|--modules|--symvers)
            [ -e "$arg" ] || { echo "index-bench: $prev $arg: no such file or directory" >&2; exit 1; } ;;
    esac
    prev=$arg
done
jvm="timeout ${KLP_BENCH_TIMEOUT:-120} java -Xmx150m -XX:ActiveProcessorCount=2 -cp $cp dev.klplsp.bench.IndexBenchmark"
now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { sed "s/.* $1=\([0-9]*\).*/\1/" | median; }
for mode in cold cached warm; do
    out=$(for i in $(seq "$runs"); do
        start=$(now)
        line=$($jvm "$mode" "$cache" "$@") || { echo "index-bench: $mode run failed or timed out" >&2; exit 1; }
        end=$(now)
        f0=$(now)
        [ -n "$modules" ] && find $modules -name '*.ko*' -printf '%s %T@\n' > /dev/null
        f1=$(now)
        cat "$cache"/* > /dev/null
        f2=$(now)
        echo "$line e2e=$(( (end - start) / 1000000 )) find=$(( (f1 - f0) / 1000000 )) cat=$(( (f2 - f1) / 1000000 ))"
    done)
    echo "$out"
    echo "$mode: median in-process $(echo "$out" | field ms) ms, end-to-end $(echo "$out" | field e2e) ms" \
        "(baselines: find $(echo "$out" | field find) ms, cat $(echo "$out" | field cat) ms)," \
        "peak heap $(echo "$out" | field peakHeapMB) MB, retained $(echo "$out" | field retainedMB) MB," \
        "cache $(du -m "$cache" | cut -f1) MB"
done
