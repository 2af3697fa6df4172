#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# packaging/set-version.sh VERSION: sets klp-lsp's version everywhere it is written, so the jar, the .deb, the
# tarball and the .vsix agree (release.sh refuses to run when they do not): the parent's <version> in pom.xml,
# the <parent> version in server/pom.xml, and, for a release version (X.Y.Z, no -SNAPSHOT), the extension's
# package.json and package-lock.json. E.g. `packaging/set-version.sh 0.1.0` to release, then
# `packaging/set-version.sh 0.1.1-SNAPSHOT` after it (the extension keeps 0.1.0 until the next release).
set -eu
repo=$(cd "$(dirname "$0")/.." > /dev/null && pwd)
version=${1:-}
if ! printf '%s\n' "$version" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+(-SNAPSHOT)?'; then
    echo "usage: packaging/set-version.sh X.Y.Z[-SNAPSHOT]" >&2
    exit 2
fi
# The first <version> after the artifactId of the parent is the project's (pom.xml) or its parent's (server).
for pom in "$repo/pom.xml" "$repo/server/pom.xml"; do
    awk -v v="$version" '/<artifactId>klp-lsp-parent<\/artifactId>/ { found = 1 }
        found == 1 && /<version>/ { sub(/<version>[^<]*<\/version>/, "<version>" v "</version>"); found = 2 }
        { print }' "$pom" > "$pom.tmp"
    mv "$pom.tmp" "$pom"
done
case $version in
    *-SNAPSHOT) ;;
    *)
        # package.json's own version (line "  "version": ...") and the lock file's two copies of it (the top
        # level and packages[""]), not the versions of dependencies.
        sed -i "0,/^  \"version\": \"[^\"]*\",$/s//  \"version\": \"$version\",/" "$repo/vscode-extension/package.json"
        sed -i "0,/^  \"version\": \"[^\"]*\",$/s//  \"version\": \"$version\",/; 0,/^      \"version\": \"[^\"]*\",$/s//      \"version\": \"$version\",/" \
            "$repo/vscode-extension/package-lock.json"
        ;;
esac
git -C "$repo" diff --stat -- pom.xml server/pom.xml vscode-extension/package.json vscode-extension/package-lock.json >&2
