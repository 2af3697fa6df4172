#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Drives the klp language server with real editors, headless: Neovim 0.7 (built-in client), Emacs 28 + eglot 1.9,
# Vim 9 + ALE 3.3. Each one opens the sample livepatch (testdata/workspaces/ambiguous), waits for the
# ambiguous-symbol diagnostic, applies the first quick fix, sees the diagnostic clear and saves the file.
# Each sets annotationStyle "v7" in its own client settings (initializationOptions for Neovim and ALE,
# eglot-workspace-configuration for eglot), which must win over the project file's "minimal": the saved file
# must hold the v7 annotation.
#
#   testdata/editors/run-all.sh SERVER_JAR [EDITOR...]      EDITOR: nvim eglot ale (default: all three)
#   KLP_SERVER_CMD="java -cp ... dev.klplsp.cli.Main serve" testdata/editors/run-all.sh - [EDITOR...]
#
# Prints one PASS/FAIL/SKIP line per editor, then "N passed, N failed"; exits 1 when any failed.
# An editor that is not installed is skipped (CI installs: neovim emacs-nox elpa-eglot vim-ale).
set -u
jar=${1:?usage: run-all.sh SERVER_JAR [nvim|eglot|ale...]}
shift
editors=${*:-nvim eglot ale}
here=$(cd "$(dirname "$0")" > /dev/null && pwd)
testdata=$(dirname "$here")
if [ "$jar" != - ]; then
    jar=$(cd "$(dirname "$jar")" > /dev/null && pwd)/$(basename "$jar")
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-editors.XXXXXX")
trap 'rm -rf "$work"' EXIT
timeout_s=${KLP_EDITOR_TIMEOUT:-60}

# The workspace Makefiles find klp_fixture.h at ../../include, so keep testdata's layout.
mkdir -p "$work/testdata/workspaces"
cp -r "$testdata/include" "$work/testdata/"
cp -r "$testdata/workspaces/fixture-kernel" "$work/testdata/workspaces/"
if ! make -s -C "$work/testdata/workspaces/fixture-kernel" >"$work/make.log" 2>&1; then
    cat "$work/make.log"
    echo "FAIL fixture kernel does not build"
    echo "0 passed, 1 failed"
    exit 1
fi

if [ "$jar" != - ]; then
    KLP_SERVER_CMD="java -jar $jar serve --stdio --cache-dir $work/cache"
fi
export KLP_SERVER_CMD=${KLP_SERVER_CMD:?SERVER_JAR is - but KLP_SERVER_CMD is not set}
passed=0
failed=0
for editor in $editors; do
    ws="$work/testdata/workspaces/ambiguous-$editor"
    cp -r "$testdata/workspaces/ambiguous" "$ws"
    # The copied .klp-lsp.json names ../fixture-kernel, which is where the kernel is.
    log="$work/$editor.log"
    case $editor in
        nvim)
            command -v nvim >/dev/null || { echo "SKIP nvim (not installed)"; continue; }
            (cd "$ws" && timeout "$timeout_s" nvim --headless --clean -n -i NONE \
                -c "luafile $here/nvim/klp-probe.lua" livepatch.c) >"$log" 2>&1 ;;
        eglot)
            command -v emacs >/dev/null || { echo "SKIP eglot (emacs not installed)"; continue; }
            (cd "$ws" && timeout "$timeout_s" emacs --batch -q -l "$here/eglot/klp-probe.el" livepatch.c) \
                >"$log" 2>&1 ;;
        ale)
            if ! command -v vim >/dev/null || [ ! -d /usr/share/vim/vimfiles/pack/dist-bundle/opt/ale ] \
                && [ ! -d /usr/share/vim-ale ]; then
                echo "SKIP ale (vim or vim-ale not installed)"; continue
            fi
            (cd "$ws" && timeout "$timeout_s" vim -N -u NONE -i NONE -n -es -S "$here/ale/klp-probe.vim" \
                livepatch.c) >"$log" 2>&1 ;;
        *)
            echo "unknown editor $editor" >&2; exit 2 ;;
    esac
    status=$?
    if [ $status -eq 0 ] && grep -q 'KLP_SYMPOS(irq_thread_check, 1)' "$ws/livepatch.c"; then
        echo "PASS $editor"
        passed=$((passed + 1))
    else
        echo "FAIL $editor (exit $status)"
        sed 's/^/    /' "$log" | tail -n 20
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
