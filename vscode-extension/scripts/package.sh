#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds the .vsix: typecheck, bundle, copy the server jar in, vsce package.
# The jar is server/target/klp-lsp.jar at the repository root (built with Maven when missing, or
# taken from $KLP_SERVER_JAR). Output: vscode-extension/klp-lsp-<version>.vsix (path printed last).
# Needs the extension's npm dependencies (npm ci).
set -eu
ext=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$ext/.." && pwd)
jar=${KLP_SERVER_JAR:-$repo/server/target/klp-lsp.jar}
if [ ! -f "$jar" ]; then
    echo "package.sh: $jar missing; building it (mvn -q -B package -DskipTests)" >&2
    (cd "$repo" && mvn -q -B package -DskipTests >&2)
fi
cd "$ext"
mkdir -p server
cp "$jar" server/klp-lsp.jar
npx --no-install tsc --noEmit -p .
node scripts/bundle.mjs --minify
version=$(node -p 'require("./package.json").version')
vsix="$ext/klp-lsp-$version.vsix"
npx --no-install vsce package --no-dependencies --skip-license --out "$vsix" >&2
echo "$vsix"
