#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# packaging/release.sh: every release artifact from one command, into target/release/ (or $KLP_RELEASE_OUT):
#   klp-lsp_<version>_amd64.deb            /usr/bin/klp-lsp on its own jlinked Java runtime (no Java needed on the
#                                          host), man pages, bash and zsh completion; postinst makes the class-data
#                                          archive, prerm removes it
#   klp-lsp-<version>-linux-amd64.tar.gz   the same tree for other distributions: bin/ lib/ runtime/ share/
#   klp-lsp-<version>.vsix                 the VS Code extension, same version (skipped with --no-vsix)
# Run on Debian 12 amd64 with openjdk-17-jdk-headless (jlink, jdeps, the jmods), maven, asciidoctor and, for the
# .vsix, Node.js 20 (the extension's npm dependencies are installed with `npm ci` when missing).
# <version> is the Maven project version; a -SNAPSHOT version becomes ~SNAPSHOT in the Debian version, so the
# release that follows it sorts after it. README.md, "Cutting a release", says how a release is made.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "$0")/.." > /dev/null && pwd)
out=${KLP_RELEASE_OUT:-$repo/target/release}
vsix=1
for arg in "$@"; do
    case $arg in
        --no-vsix) vsix= ;;
        *) echo "usage: packaging/release.sh [--no-vsix]" >&2; exit 2 ;;
    esac
done
for tool in mvn jlink jdeps asciidoctor dpkg-deb dpkg ldd gzip tar; do
    if ! command -v "$tool" > /dev/null; then
        echo "release.sh: $tool is missing (apt-get install openjdk-17-jdk-headless maven asciidoctor dpkg-dev)" >&2
        exit 2
    fi
done
version=$(awk '/<artifactId>klp-lsp-parent<\/artifactId>/ { found = 1 }
    found && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' "$repo/pom.xml")
deb_version=${version/-SNAPSHOT/~SNAPSHOT}
# jlink's runtime must be the Java that built the jar's class files (17): take jlink from the JDK of `java`.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")

echo "release.sh: klp-lsp $version into $out" >&2
rm -rf "$out"
mkdir -p "$out"
stage=$out/stage
tree=$stage/klp-lsp-$version

# The jar, and the man pages and completion generated from its command-line model (target/reference).
(cd "$repo" && mvn -B -q package -DskipTests)
jar=$repo/server/target/klp-lsp.jar
reference=$repo/server/target/reference

# The runtime: only the modules the jar uses (packaging/make-runtime; uncompressed, the .deb and the tarball
# compress it).
mkdir -p "$tree/bin" "$tree/lib" "$tree/share/man/man1" "$tree/share/bash-completion/completions" \
    "$tree/share/zsh/vendor-completions" "$tree/share/doc/klp-lsp"
"$repo/packaging/make-runtime" "$java_home" "$jar" "$tree/runtime" > /dev/null
cp "$jar" "$tree/lib/klp-lsp.jar"
install -m 755 "$repo/packaging/run-jar" "$tree/lib/run-jar"
install -m 755 "$repo/packaging/launcher" "$tree/bin/klp-lsp"
asciidoctor -b manpage -a "revnumber=$version" -a "mansource=klp-lsp $version" -a "manmanual=klp-lsp Manual" \
    -D "$tree/share/man/man1" "$reference"/man/*.adoc
gzip -9n "$tree"/share/man/man1/*.1
install -m 644 "$reference/completion/klp-lsp" "$tree/share/bash-completion/completions/klp-lsp"
install -m 644 "$repo/packaging/zsh-completion" "$tree/share/zsh/vendor-completions/_klp-lsp"
install -m 644 "$repo/packaging/copyright" "$tree/share/doc/klp-lsp/copyright"
gzip -9nc "$repo/CHANGELOG.md" > "$tree/share/doc/klp-lsp/changelog.gz"
install -m 644 "$repo/README.md" "$tree/share/doc/klp-lsp/README.md"

# Reproducible archives: files sorted, owned by root, dated by the last commit.
epoch=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
tarball=$out/klp-lsp-$version-linux-amd64.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - "klp-lsp-$version" \
    | gzip -9n > "$tarball"

# The Debian package: the tree under /usr/lib/klp-lsp, its bin/klp-lsp linked from /usr/bin, the rest of share/
# where Debian looks for it. Depends: the packages of the shared libraries the runtime links (libc6, zlib1g).
root=$stage/deb
mkdir -p "$root/usr/lib/klp-lsp" "$root/usr/bin" "$root/DEBIAN"
cp -a "$tree/bin" "$tree/lib" "$tree/runtime" "$root/usr/lib/klp-lsp/"
cp -a "$tree/share" "$root/usr/"
ln -s ../lib/klp-lsp/bin/klp-lsp "$root/usr/bin/klp-lsp"
# dpkg knows a library by the path its package ships (/lib/... or /usr/lib/..., merged /usr or not), so each
# path ldd prints is asked for as it is, resolved, and with or without /usr.
package_of() {
    local path candidate
    for path in "$1" "$(readlink -f "$1")"; do
        for candidate in "$path" "${path#/usr}" "/usr$path"; do
            if dpkg -S "$candidate" 2> /dev/null | head -1 | cut -d: -f1; then
                return
            fi
        done
    done
    echo "release.sh: no package ships $1, which the runtime links" >&2
    exit 1
}
libraries=$(find "$tree/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2> /dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u)
depends=$(for library in $libraries; do
    case $library in "$tree"/*) ;; *) package_of "$library" ;; esac
done | sort -u | paste -sd, | sed 's/,/, /g')
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: klp-lsp
Version: $deb_version
Architecture: amd64
Maintainer: klp-lsp developers <klp-lsp@example.invalid>
Installed-Size: $installed_size
Depends: $depends
Section: devel
Priority: optional
Description: kernel livepatch relocations: check and convert livepatch modules
 klp-lsp converts built Linux kernel livepatch modules so references to non-exported kernel symbols become
 KLP relocations, checks modules and their C sources against a real kernel's symbols, and serves the same
 checks to editors as a language server. It runs on its own Java runtime, installed with it.
CONTROL
install -m 755 "$repo/packaging/postinst" "$root/DEBIAN/postinst"
install -m 755 "$repo/packaging/prerm" "$root/DEBIAN/prerm"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
find "$root" -exec touch -h -d "@$epoch" {} +
deb=$out/klp-lsp_${deb_version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null

if [ -n "$vsix" ]; then
    extension_version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$repo/vscode-extension/package.json")
    if [ "$extension_version" != "${version%-SNAPSHOT}" ]; then
        echo "release.sh: vscode-extension/package.json says $extension_version, the Maven version is $version;" \
            "set both (README.md, Cutting a release)" >&2
        exit 2
    fi
    if [ ! -d "$repo/vscode-extension/node_modules" ]; then
        (cd "$repo/vscode-extension" && npm ci --no-audit --no-fund > /dev/null)
    fi
    built=$(KLP_SERVER_JAR=$jar "$repo/vscode-extension/scripts/package.sh")
    mv "$built" "$out/klp-lsp-$version.vsix"
fi

rm -rf "$stage"
echo "release.sh: done" >&2
ls -l "$out" >&2
