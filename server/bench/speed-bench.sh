#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The CLI speed benchmark of docs/benchmarks.md: a typical conversion, cached lookup, cold index and the
# scaling table (N = 100 ... 100,000 symbols), end to end (a new process per run, wall time and peak RSS) and
# in process, for one or more klp-lsp checkouts (e.g. main and a branch) and, optionally, for locally built
# peers (klp-convert v7, minimal klp-convert v3). Every input is generated here and compiled by gcc; nothing is
# downloaded and nothing of a peer is kept in this repository. Runs are interleaved (round by round, every
# checkout and peer in turn) so load from other processes spreads evenly; each figure is a median, and each
# round also measures same-moment baselines (`java -version`, `cat` of the index cache) and the load average.
#
# Usage (from anywhere):
#   server/bench/speed-bench.sh [options]
#     --checkout DIR[=LABEL]  a klp-lsp checkout to measure through its ./klp-lsp launcher (repeatable;
#                             default: this checkout); its jar must be built
#     --kernel DIR            the real kernel directory (default $KLP_TEST_KERNEL_DIR; as made by
#                             testdata/kernel/fetch-kernel.sh) for the typical, lookup and index cases
#     --sizes "N..."          scaling sizes (default "100 1000 10000 100000")
#     --runs R                measured rounds per case (default 5; an unmeasured warm-up round comes first)
#     --timeout S             per-round limit in seconds (default 120): a round that exceeds it fails the run
#     --timeouts-are-results  record a round that exceeds the limit as "no result within S s" and go on (to show
#                             a quadratic "before" next to its fix); a missing input still fails at once
#     --cases LIST            comma-separated subset of (default all): typical,example,lookup,index,scaling,
#                             inprocess, spread (in process too, each size's module against the largest size's
#                             kernel, its names spread over it as a real livepatch's are over a real kernel: only
#                             the module grows). In process = bench.ConvertScaling in one JVM per size, measured
#                             once warm: the JIT has compiled (2 s) and the JVM's resident set has stopped growing
#                             (2 s without growth; ~12 s for 100,000 symbols with G1)
#     --peer-v7 PATH          klp-convert v7: an executable, or a directory holding its sources
#                             (klp-convert.c, elf.c, ...; built here with gcc -lelf)
#     --peer-minimal PATH     minimal klp-convert v3: likewise
#     --inprocess-java-opts "OPTS"  JVM options of the in-process cases (default none: the JDK's defaults, G1 and
#                             C2); e.g. the language server's, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m
#                             -Xmx1g" (packaging/run-jar), to see a conversion on save as `serve` runs it
#     --work DIR              where inputs and outputs go (default server/target/speed-bench)
set -eu
here=$(cd "$(dirname "$0")/../.." > /dev/null && pwd)
runs=5
timeout_s=120
sizes="100 1000 10000 100000"
cases="typical,example,lookup,index,scaling,inprocess,spread"
kernel_dir=${KLP_TEST_KERNEL_DIR:-}
work=$here/server/target/speed-bench
checkouts=
peer_v7=
peer_minimal=
timeouts_are_results=no
inprocess_opts=
while [ $# -gt 0 ]; do
    case $1 in
        --checkout) checkouts="$checkouts $2"; shift 2 ;;
        --kernel) kernel_dir=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --timeouts-are-results) timeouts_are_results=yes; shift ;;
        --cases) cases=$2; shift 2 ;;
        --peer-v7) peer_v7=$2; shift 2 ;;
        --peer-minimal) peer_minimal=$2; shift 2 ;;
        --inprocess-java-opts) inprocess_opts=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        -h|--help) sed -n '3,/^set -eu/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "speed-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$checkouts" ] || checkouts="$here=this"
fail() {
    echo "speed-bench: $*" >&2
    exit 1
}
wants() {
    case ",$cases," in *",$1,"*) return 0 ;; esac
    return 1
}
for tool in gcc ld awk java javac /usr/bin/time timeout; do
    command -v "$tool" > /dev/null || fail "missing tool: $tool"
done
if wants typical || wants lookup || wants index; then
    [ -n "$kernel_dir" ] || fail "the typical, lookup and index cases need the real kernel: --kernel DIR or" \
        "KLP_TEST_KERNEL_DIR (testdata/kernel/fetch-kernel.sh DIR makes it); or choose --cases example,scaling,inprocess"
    for f in usr/lib/debug/boot/System.map-6.1.0-56-amd64 Module.symvers lib/modules/6.1.0-56-amd64; do
        [ -e "$kernel_dir/$f" ] || fail "$kernel_dir/$f is missing (is the kernel fetched completely?)"
    done
fi
mkdir -p "$work"
work=$(cd "$work" > /dev/null && pwd)

# A checkout's label and directory; its launcher must exist and its jar be built (the benchmark never builds).
label_of() { case $1 in *=*) echo "${1#*=}" ;; *) basename "$1" ;; esac; }
dir_of() { echo "${1%%=*}"; }
for checkout in $checkouts; do
    dir=$(dir_of "$checkout")
    [ -x "$dir/klp-lsp" ] || fail "$dir/klp-lsp is missing: --checkout names a klp-lsp checkout"
    [ -f "$dir/server/target/klp-lsp.jar" ] || fail "$dir/server/target/klp-lsp.jar is missing: run mvn -q -B package -DskipTests in $dir"
done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
load() { cut -d' ' -f1 /proc/loadavg; }

# run CASE LABEL EXPECTED-STATUS COMMAND...: one round, appended to $work/results as
# "CASE LABEL ms rssKB"; a timeout or an unexpected exit status stops the benchmark with the command's stderr.
run() {
    case_name=$1 label=$2 expected=$3
    shift 3
    start=$(now_ms)
    status=0
    timeout "${process_limit:-$timeout_s}" /usr/bin/time -f '%M' -o "$work/time.out" "$@" > "${run_stdout:-$work/stdout}" \
        2> "$work/stderr" || status=$?
    end=$(now_ms)
    if [ "$status" = 124 ]; then
        if [ "$timeouts_are_results" = yes ]; then
            echo "$case_name $label TIMEOUT 0" >> "$work/results"
            echo "TIMEOUT" > "$work/stdout"
            return 0
        fi
        fail "$case_name ($label): no result within ${timeout_s} s (per-round timeout): $*"
    fi
    if [ "$status" != "$expected" ]; then
        cat "$work/stderr" >&2
        fail "$case_name ($label): exit status $status, expected $expected: $*"
    fi
    echo "$case_name $label $((end - start)) $(tail -n 1 "$work/time.out")" >> "$work/results"
}

# The in-process runner's account of its warm-up (rounds, seconds, memory) and of the measured rounds' mean, shown
# with the progress (LABEL, the checkout's, may hold any character).
warmup_note() {
    sed -n 's/^ConvertScaling: //p' "$work/stderr" | while IFS= read -r line; do
        echo "speed-bench: $1: $line" >&2
    done
}

# Baselines of the same moment: JVM start alone, and reading a file the size of the real kernel's index cache.
baselines() {
    run baseline:java-version java 0 java -version
    cache_file=$(ls "$work/cache-real-$(label_of "$(echo $checkouts | cut -d' ' -f1)")"/*.bin 2>/dev/null | head -n 1 || true)
    if [ -n "$cache_file" ]; then
        # Into /dev/null: written to a file, the 40 MB were freed (and written back) during the next round's first
        # run, which made the first checkout's typical conversion ~20 ms slower than the others.
        run_stdout=/dev/null
        run baseline:cat-cache cat 0 cat "$cache_file"
        run_stdout=
    fi
    echo "load - $(load) 0" >> "$work/results"
}

# --- inputs ---------------------------------------------------------------------------------------------

# A livepatch module with N non-exported extern ints, each read twice (2N R_X86_64_PC32), and an exported
# _printk call per function; STYLE minimal names each symbol as KLP_RELOC_SYMBOL_POS does (v3 spelling).
gen_module() {
    n=$1 style=$2 out=$3 stride=${4:-1}
    awk -v n="$n" -v style="$style" -v stride="$stride" 'BEGIN {
        print "/* generated by speed-bench.sh */"
        print "static const char modinfo[] __attribute__((used, section(\".modinfo\"))) = \"livepatch=Y\";"
        print "extern int _printk(const char *fmt, ...);"
        for (s = 0; s < n; s++) {
            if (style == "minimal")
                printf "extern volatile int ksym_%d __asm__(\".klp.sym.rela.vmlinux.vmlinux.ksym_%d.0\");\n", s * stride, s * stride
            else
                printf "extern volatile int ksym_%d;\n", s * stride
        }
        per = 50
        for (f = 0; f * per < n; f++) {
            printf "int bench_fn_%d(void)\n{\n\tint sum = 0;\n", f
            for (s = f * per; s < n && s < (f + 1) * per; s++)
                printf "\tsum += ksym_%d;\n\tsum += ksym_%d;\n", s * stride, s * stride
            print "\treturn sum + _printk(\"x\");\n}"
        }
    }' > "$out.c"
    gcc -c -O1 -fno-pic -mcmodel=kernel -mno-red-zone -fno-asynchronous-unwind-tables -fno-stack-protector \
        -o "$out.o" "$out.c"
    ld -r -o "$out" "$out.o"
    rm -f "$out.o"
}

# The synthetic kernel of the scaling cases: System.map, Module.symvers, and klp-convert v7's symbols.klp.
gen_kernel() {
    n=$1 dir=$2
    mkdir -p "$dir"
    awk -v n="$n" 'BEGIN {
        print "ffffffff81000000 T _printk"
        for (s = 0; s < n; s++)
            printf "ffffffff8%07x D ksym_%d\n", 16 * (s + 1), s
    }' > "$dir/System.map"
    printf '0x00000000\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$dir/Module.symvers"
    { echo "klp-convert-symbol-data.0.1"; echo "*vmlinux"; echo "__ksymtab__printk"
      awk '{ print $3 }' "$dir/System.map"; } > "$dir/symbols.klp"
}

# The real-kernel typical livepatch: 20 calls of non-exported vmlinux functions whose name is unique in the
# whole kernel (vmlinux and every module), so no sympos is needed, and outside the init text the kernel frees;
# names from System.map and the checkout's own symbols.klp.
gen_typical() {
    out=$1 symbols_klp=$2
    awk 'NR == FNR { in_map[$3]++; if ($2 == "T" || $2 == "t") funcs[$3] = $1
                     if ($3 == "_sinittext") init_start = $1; if ($3 == "_einittext") init_end = $1; next }
         FNR == 1 { next }
         /^\*/ { object = substr($0, 2); next }
         /^__ksymtab_/ { exported[substr($0, 11)] = 1; next }
         { count[$0]++; if (object == "vmlinux") in_vmlinux[$0] = 1 }
         END {
            for (name in count)
                if (count[name] == 1 && in_map[name] == 1 && in_vmlinux[name] && (name in funcs) && !(name in exported) \
                        && (funcs[name] < init_start || funcs[name] >= init_end) \
                        && name ~ /^[a-z][a-z0-9_]+$/ && length(name) >= 8 && length(name) <= 30)
                    print name
         }' "$kernel_dir/usr/lib/debug/boot/System.map-6.1.0-56-amd64" "$symbols_klp" | LC_ALL=C sort | awk 'NR % 97 == 0' \
        | head -n 20 > "$out.names"
    [ "$(wc -l < "$out.names")" = 20 ] || fail "could not pick 20 unique non-exported functions from $symbols_klp"
    # The same module twice: plain (klp-lsp, v7) and with minimal klp-convert's symbol names.
    for style in plain minimal; do
        target=$out
        [ "$style" = minimal ] && target=${out%.ko}-minimal.ko
        awk -v style="$style" 'BEGIN {
            print "/* generated by speed-bench.sh */"
            print "static const char modinfo[] __attribute__((used, section(\".modinfo\"))) = \"livepatch=Y\";"
        }
        { names[NR] = $1
          if (style == "minimal")
              printf "extern int %s(int) __asm__(\".klp.sym.rela.vmlinux.vmlinux.%s.0\");\n", $1, $1
          else
              printf "extern int %s(int);\n", $1 }
        END {
            print "int livepatch_calls(int x)\n{\n\tint sum = 0;"
            for (i = 1; i <= NR; i++)
                printf "\tsum += %s(x);\n", names[i]
            print "\treturn sum;\n}"
        }' "$out.names" > "$target.c"
        gcc -c -O2 -fno-pic -mcmodel=kernel -mno-red-zone -fno-asynchronous-unwind-tables -fno-stack-protector \
            -o "$target.o" "$target.c"
        ld -r -o "$target" "$target.o"
        rm -f "$target.o"
    done
}

# A peer: an executable as given, or built from a directory of its sources (the user's own checkout).
peer_binary() {
    name=$1 path=$2
    if [ -f "$path" ] && [ -x "$path" ]; then
        echo "$path"
        return
    fi
    [ -d "$path" ] || fail "--peer-$name $path is neither an executable nor a source directory"
    src=$path
    [ -f "$src/klp-convert.c" ] || src=$path/scripts/livepatch
    [ -f "$src/klp-convert.c" ] || fail "--peer-$name $path: no klp-convert.c there or in scripts/livepatch/"
    include=
    [ -d "$path/include/uapi" ] && include="-I$path/include/uapi"
    [ -d "$path/tools/include" ] && include="$include -I$path/tools/include"
    # shellcheck disable=SC2086
    gcc -O2 $include -o "$work/peer-$name" "$src"/*.c -lelf >&2 \
        || fail "--peer-$name: building $src failed (libelf-dev installed?); build it yourself and pass the binary"
    echo "$work/peer-$name"
}
v7=
minimal=
[ -n "$peer_v7" ] && v7=$(peer_binary v7 "$peer_v7")
[ -n "$peer_minimal" ] && minimal=$(peer_binary minimal "$peer_minimal")

echo "speed-bench: generating inputs in $work (gcc)..." >&2
rm -f "$work/results"
if wants example; then
    make -s -C "$here/testdata/example" BUILD="$work/example" >&2
fi
largest=$(printf '%s\n' $sizes | sort -n | tail -1)
if wants scaling || wants inprocess || wants spread; then
    for n in $sizes; do
        if [ ! -f "$work/n$n/module.ko" ]; then
            gen_kernel "$n" "$work/n$n"
            gen_module "$n" plain "$work/n$n/module.ko"
            gen_module "$n" minimal "$work/n$n/module-minimal.ko"
        fi
        if wants spread && [ ! -f "$work/n$n/module-spread-$largest.ko" ]; then
            gen_module "$n" plain "$work/n$n/module-spread-$largest.ko" $((largest / n))
        fi
    done
fi
if wants inprocess || wants spread; then
    # The in-process runner is compiled here against each checkout's own jar (it uses only API they share), so
    # an older checkout is measured by the same code.
    for checkout in $checkouts; do
        classes=$work/bench-classes-$(label_of "$checkout")
        rm -rf "$classes"
        javac -d "$classes" -cp "$(dir_of "$checkout")/server/target/klp-lsp.jar" \
            "$here/server/src/test/java/dev/klplsp/bench/ConvertScaling.java" \
            "$here/server/src/test/java/dev/klplsp/bench/Rounds.java" >&2 \
            || fail "compiling the in-process runner against $(dir_of "$checkout") failed"
    done
fi
first_dir=$(dir_of "$(echo $checkouts | cut -d' ' -f1)")
real="--kernel $kernel_dir"
if wants typical; then
    if [ ! -f "$work/typical-minimal.ko" ]; then
        "$first_dir/klp-lsp" index $real --cache-dir "$work/cache-names" --write-symbols-klp "$work/real.symbols.klp" \
            > /dev/null || fail "indexing $kernel_dir failed"
        gen_typical "$work/typical.ko" "$work/real.symbols.klp"
    fi
fi

# --- rounds ---------------------------------------------------------------------------------------------

round() {
    measured=$1
    for checkout in $checkouts; do
        dir=$(dir_of "$checkout")
        label=$(label_of "$checkout")
        klp="$dir/klp-lsp"
        cache=$work/cache-real-$label
        if wants example; then
            run example "$label" 0 "$klp" convert "$work/example/livepatch-example.ko" --kernel "$work/example/kernel" \
                --cache-dir "$work/cache-example-$label" -o "$work/out.ko"
        fi
        if wants typical; then
            run typical "$label" 0 "$klp" convert "$work/typical.ko" $real --cache-dir "$cache" -o "$work/out.ko"
        fi
        if wants lookup; then
            run lookup "$label" 0 "$klp" lookup do_poweroff $real --cache-dir "$cache"
        fi
        if wants index; then
            rm -rf "$work/cache-cold-$label"
            run index-cold "$label" 0 "$klp" index $real --cache-dir "$work/cache-cold-$label"
        fi
        if wants scaling; then
            for n in $sizes; do
                k=$work/n$n
                run "convert-$n" "$label" 0 "$klp" convert "$k/module.ko" --symbols "$k/System.map" \
                    --symvers "$k/Module.symvers" --cache-dir "$work/cache-n$n-$label" -o "$work/out.ko"
            done
        fi
        if wants inprocess; then
            for n in $sizes; do
                k=$work/n$n
                # The JVM limits each of its rounds to the per-round limit (exit 124 like timeout(1)); the whole
                # process (warm-up and 5 rounds) gets twelve times that.
                process_limit=$((timeout_s * 12))
                run "inprocess-$n" "$label" 0 java $inprocess_opts -cp "$dir/server/target/klp-lsp.jar:$work/bench-classes-$label" \
                    dev.klplsp.bench.ConvertScaling "$k/module.ko" "$k/System.map" "$k/Module.symvers" "$timeout_s"
                process_limit=
                warmup_note "$label"
                echo "inprocess-ms-$n $label $(cat "$work/stdout") 0" >> "$work/results"
            done
        fi
        if wants spread; then
            # The kernel stays the same (the largest); only the module grows, as a livepatch does.
            for n in $sizes; do
                k=$work/n$largest
                process_limit=$((timeout_s * 12))
                run "inprocess-$n-spread" "$label" 0 java $inprocess_opts -cp "$dir/server/target/klp-lsp.jar:$work/bench-classes-$label" \
                    dev.klplsp.bench.ConvertScaling "$work/n$n/module-spread-$largest.ko" "$k/System.map" \
                    "$k/Module.symvers" "$timeout_s"
                process_limit=
                warmup_note "$label"
                echo "inprocess-spread-ms-$n $label $(cat "$work/stdout") 0" >> "$work/results"
            done
        fi
    done
    if wants typical; then
        [ -n "$v7" ] && run typical v7 0 "$v7" "$work/real.symbols.klp" "$work/typical.ko" "$work/out-v7.ko"
        [ -n "$minimal" ] && run typical minimal-v3 0 "$minimal" "$work/typical-minimal.ko" "$work/out-minimal.ko"
    fi
    if wants scaling; then
        for n in $sizes; do
            k=$work/n$n
            [ -n "$v7" ] && run "convert-$n" v7 0 "$v7" "$k/symbols.klp" "$k/module.ko" "$work/out-v7.ko"
            [ -n "$minimal" ] && run "convert-$n" minimal-v3 0 "$minimal" "$k/module-minimal.ko" "$work/out-minimal.ko"
        done
    fi
    baselines
    if [ "$measured" = no ]; then
        rm -f "$work/results"
    fi
}

echo "speed-bench: warm-up round (not counted), then $runs rounds; load average $(load)" >&2
round no
i=1
while [ "$i" -le "$runs" ]; do
    echo "speed-bench: round $i of $runs (load average $(load))" >&2
    round yes
    i=$((i + 1))
done

# --- report ---------------------------------------------------------------------------------------------

echo
echo "$(date -u +%Y-%m-%d) $(uname -m), $(nproc) CPUs, $(java -version 2>&1 | head -n 1)"
for checkout in $checkouts; do
    dir=$(dir_of "$checkout")
    echo "$(label_of "$checkout"): $dir at $(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo '?')"
done
if wants inprocess || wants spread; then
    echo "in-process JVM options: ${inprocess_opts:-none (the JDK's defaults)}"
fi
echo "load average during the rounds: $(awk '$1 == "load" { print $3 }' "$work/results" | sort -n \
    | awk '{ v[NR] = $1 } END { print "min " v[1] ", median " v[int((NR + 1) / 2)] ", max " v[NR] }')"
echo
echo "| case | who | median | min–max | peak RSS (median) | runs |"
echo "|---|---|---|---|---|---|"
awk -v limit="$timeout_s" '$1 != "load" && $1 !~ /^inprocess-[0-9]/ { key = $1 " " $2; if (!(key in seen)) { seen[key] = 1; order[++k] = key }
        if ($3 == "TIMEOUT") { timedout[key] = 1; next }
        ms[key] = ms[key] " " $3; rss[key] = rss[key] " " $4 }
    function median(list,    n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        lo = v[1]; hi = v[n]
        return v[int((n + 1) / 2)]
    }
    END {
        for (i = 1; i <= k; i++) {
            split(order[i], parts, " ")
            if (order[i] in timedout) {
                printf "| %s | %s | no result within %s s | – | – | – |\n", parts[1], parts[2], limit
                continue
            }
            m = median(ms[order[i]]); l = lo; h = hi
            r = median(rss[order[i]])
            unit = parts[1] ~ /^inprocess-(spread-)?ms/ ? " ms (in process)" : " ms"
            printf "| %s | %s | %s%s | %s–%s | %s | %d |\n", parts[1], parts[2], m, unit, l, h,
                parts[1] ~ /^inprocess-(spread-)?ms/ ? "–" : sprintf("%.0f MB", r / 1024), split(ms[order[i]], x, " ")
        }
    }' "$work/results"
