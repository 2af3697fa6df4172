#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Where a one-shot klp-lsp command's time goes: runs it RUNS times through ./klp-lsp with class-loading logged
# (-Xlog:class+load with uptime) and prints, per step, the median time between the first loads of the classes
# that start each step, plus how many classes came from the class-data archive and how many were loaded from
# the jar. The log costs a little itself; compare steps, not totals, with speed-bench.sh's figures.
# Usage (from anywhere):
#   server/bench/startup-profile.sh [RUNS] -- <klp-lsp arguments>
# e.g. server/bench/startup-profile.sh 7 -- convert my.ko --kernel "$KLP_TEST_KERNEL_DIR" -o /tmp/out.ko
# KLP_LSP_LAUNCHER=OTHER/klp-lsp profiles another checkout (its launcher must pass KLP_LSP_JAVA_OPTS to java).
set -eu
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
launcher=${KLP_LSP_LAUNCHER:-$here/klp-lsp}
runs=${1:-7}
[ "${2:-}" = "--" ] && shift 2 || { echo "usage: $0 [RUNS] -- <klp-lsp arguments>" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$launcher" "$@" > /dev/null 2>&1 || true # builds the jar and the archive if needed, warms the page cache
# step name, then the class whose first load starts it
steps="command-line:dev.klplsp.cli.Main settings+module:dev.klplsp.project.ProjectFile
index:dev.klplsp.kernel.KernelIndexLoader check+convert:dev.klplsp.check.ModuleChecker
write+report+exit:dev.klplsp.elf.ElfWriter"
i=1
while [ "$i" -le "$runs" ]; do
    KLP_LSP_JAVA_OPTS="${KLP_LSP_JAVA_OPTS:-} -Xlog:class+load:file=$work/run$i.log:uptime" \
        timeout 120 "$launcher" "$@" > /dev/null 2>&1 || true
    i=$((i + 1))
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
# Per run: the uptime (ms) of each marker's first load and of the last line (the exit).
for log in "$work"/run*.log; do
    awk -v steps="$steps" '
        BEGIN { n = split(steps, list, /[ \n]+/); for (i = 1; i <= n; i++) { split(list[i], p, ":"); name[i] = p[1]; cls[i] = p[2] } }
        { t = substr($1, 2) + 0; last = t
          for (i = 1; i <= n; i++) if (!(i in at) && $2 == cls[i]) at[i] = t
          if ($0 ~ /shared objects file/) shared++; else other++ }
        END { prev = 0; label = "jvm-start"
              for (i = 1; i <= n; i++) if (i in at) { printf "%s %d\n", label, (at[i] - prev) * 1000; prev = at[i]; label = name[i] }
              printf "%s %d\n", label, (last - prev) * 1000
              printf "total %d\nclasses-from-archive %d\nclasses-loaded %d\n", last * 1000, shared, other }' "$log"
done > "$work/all"
echo "$launcher $*: median of $runs runs (load average $(cut -d' ' -f1 /proc/loadavg))"
for step in jvm-start command-line settings+module index check+convert write+report+exit total \
        classes-from-archive classes-loaded; do
    value=$(awk -v s="$step" '$1 == s { print $2 }' "$work/all" | median)
    [ "$value" = "-" ] || printf '  %-22s %s\n' "$step" "$value"
done
