#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs klp-lsp's coverage-guided fuzz targets (Jazzer @FuzzTest methods) for real; see docs/fuzzing.md.
# `mvn verify` only replays their committed inputs (regression mode); this script fuzzes.
#
#   server/fuzz.sh list                          the targets
#   server/fuzz.sh [-t SECONDS] TARGET...        fuzz each target for SECONDS (default 60), one after the other
#   server/fuzz.sh -t 600 all                    every target
#   server/fuzz.sh --merge TARGET...             add the generated inputs that reach new coverage to the
#                                                committed corpus (src/test/resources/.../<Class>Inputs/<method>)
#
# TARGET is Class#method, e.g. ElfFuzzTest#elfObject. The generated corpus grows in target/fuzz/corpus (kept
# between runs, not committed); logs go to target/fuzz/logs. A crash stops the target and leaves its input in
# the committed inputs directory as crash-<sha1>: fix the bug, keep the file (it is replayed by `mvn verify`).
# FUZZ_JAVA_OPTS (default -Xmx2g) and nice keep the run friendly to a shared machine; FUZZ_ARGS adds Jazzer or
# libFuzzer flags (e.g. --keep_going=10 to go on after distinct findings).
set -eu
here=$(cd "$(dirname "$0")" > /dev/null && pwd)
cd "$here"
seconds=60
merge=0
targets=""
while [ $# -gt 0 ]; do
    case "$1" in
        -t) seconds=$2; shift 2 ;;
        --merge) merge=1; shift ;;
        -h|--help) sed -n '3,16p' "$0"; exit 0 ;;
        *) targets="$targets $1"; shift ;;
    esac
done

list_targets() {
    # Every @FuzzTest method: Class#method.
    grep -rl '@FuzzTest' src/test/java | sort | while read -r file; do
        class=$(basename "$file" .java)
        awk -v class="$class" '/@FuzzTest/ { want = 1; next }
            want && /void [a-zA-Z0-9_]+\(/ { sub(/.*void /, ""); sub(/\(.*/, ""); print class "#" $0; want = 0 }' "$file"
    done
}

if [ "$targets" = " list" ]; then
    list_targets
    exit 0
fi
if [ "$targets" = " all" ]; then
    targets=$(list_targets)
fi
if [ -z "$targets" ]; then
    sed -n '3,16p' "$0"
    exit 2
fi

mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz/classpath.txt -Dmdep.includeScope=test >&2
# A copy of the classes, so a build while fuzzing (the fuzzer loads classes lazily) cannot pull them away.
run="$here/target/fuzz/classes-$$"
rm -rf "$run"
mkdir -p "$run" target/fuzz/logs
cp -r target/classes "$run/classes"
cp -r target/test-classes "$run/test-classes"
trap 'rm -rf "$run"' EXIT
classpath="$run/test-classes:$run/classes:$(cat target/fuzz/classpath.txt)"
# libFuzzer runs a merge in a child process started as argv[0], "jazzer": this is it.
mkdir -p "$run/bin"
printf '#!/bin/sh\nexec java %s -cp "%s" com.code_intelligence.jazzer.Jazzer "$@"\n' \
    "${FUZZ_JAVA_OPTS:--Xmx2g}" "$classpath" > "$run/bin/jazzer"
chmod +x "$run/bin/jazzer"
PATH="$run/bin:$PATH"

status=0
for target in $targets; do
    class=${target%%#*}
    method=${target#*#}
    source=$(grep -rl "class $class\b" src/test/java | head -n 1)
    if [ -z "$source" ]; then
        echo "fuzz.sh: no test class $class" >&2
        exit 2
    fi
    package_dir=$(dirname "${source#src/test/java/}")
    fqcn=$(echo "$package_dir/$class" | tr / .)
    inputs="src/test/resources/$package_dir/${class}Inputs/$method"
    corpus="target/fuzz/corpus/$class/$method"
    log="target/fuzz/logs/$class#$method.log"
    mkdir -p "$inputs" "$corpus"
    if [ $merge -eq 1 ]; then
        # -set_cover_merge=1 copies into the first directory a small set of the others' inputs that covers all
        # they cover (set cover of the features, fewer files than -merge=1).
        set -- -set_cover_merge=1 "$inputs" "$corpus"
        echo "merging $corpus into $inputs" >&2
    else
        set -- -max_total_time="$seconds" "$corpus"
        echo "fuzzing $target for $seconds s (log: $log)" >&2
    fi
    # shellcheck disable=SC2086
    if nice -n 10 jazzer \
            --target_class="$fqcn" --target_method="$method" \
            --instrument='dev.klplsp.**,net.fornwall.jelf.**,com.google.gson.**,org.tukaani.xz.**' \
            ${FUZZ_ARGS:-} "$@" >"$log" 2>&1; then
        :
    else
        status=1
        echo "fuzz.sh: $target stopped with a finding or an error; see $log and $inputs" >&2
    fi
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^Done [0-9]+ runs|== Java Exception|MERGE-OUTER: [0-9]+ new files' "$log" \
        | sed "s|^|$target: |" || true
done
exit $status
