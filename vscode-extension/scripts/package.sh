#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the .vsix: typecheck, bundle, copy the server jar, the walkthrough's pictures (docs/images) and the
# license text in, vsce package. Fails when vsce warns about anything (a published extension packages cleanly).
# The jar is server/target/klp-lsp.jar at the repository root (built with Maven when missing, or
# taken from $KLP_SERVER_JAR). Output: vscode-extension/klp-lsp-<version>.vsix (path printed last).
# Needs the extension's npm dependencies (npm ci).
set -eu
ext=$(cd "$(dirname "$0")/.." > /dev/null && pwd)
repo=$(cd "$ext/.." > /dev/null && pwd)
jar=${KLP_SERVER_JAR:-$repo/server/target/klp-lsp.jar}
if [ ! -f "$jar" ]; then
    echo "package.sh: $jar missing; building it (mvn -q -B package -DskipTests)" >&2
    (cd "$repo" && mvn -q -B package -DskipTests >&2)
fi
cd "$ext"
mkdir -p server media/walkthrough
cp "$jar" server/klp-lsp.jar
for shot in pick-kernel problems convert; do
    cp "$repo/docs/images/vscode-$shot.png" "media/walkthrough/$shot.png"
done
# The GPL-2.0 text, as Debian ships it (base-files); without it the .vsix names its license by SPDX id only.
license_option=--skip-license
if [ -f /usr/share/common-licenses/GPL-2 ]; then
    cp /usr/share/common-licenses/GPL-2 LICENSE
    license_option=
fi
npx --no-install tsc --noEmit -p .
node scripts/bundle.mjs --minify
version=$(node -p 'require("./package.json").version')
vsix="$ext/klp-lsp-$version.vsix"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# stdin is not a terminal: vsce's "Do you want to continue?" after a warning reads end of input and aborts.
status=0
npx --no-install vsce package --no-dependencies $license_option --out "$vsix" </dev/null >"$log" 2>&1 || status=$?
cat "$log" >&2
if [ $status -ne 0 ] || grep -q WARNING "$log"; then
    echo "package.sh: vsce package failed or warned (status $status); see above" >&2
    exit 1
fi
echo "package.sh: vsce package: no warnings" >&2
echo "$vsix"
