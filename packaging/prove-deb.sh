#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# packaging/prove-deb.sh DEB [WORK]: proves the Debian package on a machine that has never seen Java. In a clean
# Debian 12 minbase chroot (debootstrap; no Java, no compiler): dpkg -i DEB; klp-lsp --version on the packaged
# runtime with its class-data archive in use (-Xshare:on fails otherwise); a real check and convert of the
# example livepatch (built here on the host by gcc, from testdata/example); the bash completion and the man pages
# in place; then dpkg -r DEB must leave every file of the chroot as it was before dpkg -i. When the release
# tarball lies beside DEB, it is then unpacked in /opt and run the same way.
# The minbase tree is made once by debootstrap and kept as WORK/debian12-minbase.tar (WORK defaults to .ci/work;
# about 1 minute and 32 MB downloaded the first time); every run unpacks a fresh copy of it. Needs root.
set -euo pipefail
export LC_ALL=C

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: packaging/prove-deb.sh DEB [WORK]" >&2
    exit 2
fi
repo=$(cd "$(dirname "$0")/.." > /dev/null && pwd)
deb=$(readlink -f "$1")
work=$(mkdir -p "${2:-$repo/.ci/work}" && cd "${2:-$repo/.ci/work}" && pwd)
mirror=${KLP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ "$(id -u)" -ne 0 ]; then
    echo "prove-deb.sh: needs root (debootstrap, chroot, mount)" >&2
    exit 2
fi
version=$(dpkg-deb -f "$deb" Version)
upstream=${version/~SNAPSHOT/-SNAPSHOT}

base=$work/debian12-minbase.tar
if [ ! -f "$base" ]; then
    echo "prove-deb.sh: making $base (debootstrap --variant=minbase bookworm)" >&2
    build=$work/debian12-minbase.build
    rm -rf "$build"
    debootstrap --variant=minbase bookworm "$build" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    tar --numeric-owner -C "$build" -cf "$base.tmp" .
    mv "$base.tmp" "$base"
    rm -rf "$build"
fi

root=$(mktemp -d "$work/prove-deb.XXXXXX")
cleanup() {
    umount "$root/proc" 2> /dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
tar --numeric-owner -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
fail() {
    echo "prove-deb.sh: FAILED: $*" >&2
    exit 1
}

if in_root sh -c 'command -v java || ls -d /usr/lib/jvm' > /dev/null 2>&1; then
    fail "the chroot has a Java already"
fi
# Every file of the chroot outside the scratch areas and dpkg's own records, with its type and size.
snapshot() {
    in_root find / -xdev \( -path /proc -o -path /tmp -o -path /root -o -path /var/lib/dpkg -o -path /var/log \
        -o -path /var/cache/debconf \) -prune -o -printf '%y %s %p\n' | sort
}
snapshot > "$root/tmp/before"
make -s -C "$repo/testdata/example" BUILD="$root/root/example" > /dev/null
cp "$deb" "$root/tmp/klp-lsp.deb"

echo "=== dpkg -i $(basename "$deb")"
in_root dpkg -i /tmp/klp-lsp.deb
echo "=== klp-lsp --version"
in_root klp-lsp --version | tee "$root/tmp/version"
grep -qx "klp-lsp $upstream" "$root/tmp/version" || fail "--version does not say klp-lsp $upstream"
grep -q "^Java .*(/usr/lib/klp-lsp/runtime)$" "$root/tmp/version" || fail "not on the packaged runtime"
for archive in klp-lsp.jsa klp-lsp-kernel.jsa; do
    [ -f "$root/usr/lib/klp-lsp/lib/$archive" ] || fail "postinst made no class-data archive $archive"
done
in_root env KLP_LSP_JAVA_OPTS=-Xshare:on klp-lsp --version > /dev/null || fail "the class-data archive is not usable"
in_root env KLP_LSP_JAVA_OPTS=-Xshare:on klp-lsp lookup --help > /dev/null \
    || fail "the kernel commands' class-data archive is not usable"

echo "=== klp-lsp check / convert of the example"
in_root sh -c 'cd /root/example && klp-lsp check livepatch-example.ko --kernel kernel' | tee "$root/tmp/check"
grep -q "^livepatch-example.ko: 0 errors, .*4 symbols to convert$" "$root/tmp/check" || fail "check"
in_root sh -c 'cd /root/example && klp-lsp convert livepatch-example.ko --kernel kernel -o patched.ko' > /dev/null
in_root klp-lsp elf /root/example/patched.ko | grep -q '\.klp\.rela\.vmlinux\.' \
    || fail "convert wrote no KLP relocations"

echo "=== completion and man pages"
completed=$(in_root bash -c 'source /usr/share/bash-completion/completions/klp-lsp
    COMP_WORDS=(klp-lsp conv); COMP_CWORD=1; COMP_LINE="klp-lsp conv"; COMP_POINT=${#COMP_LINE}
    _complete_klp-lsp klp-lsp conv klp-lsp; echo "${COMPREPLY[*]}"')
[ "$completed" = convert ] || fail "bash completion of 'klp-lsp conv' gave '$completed'"
for page in klp-lsp klp-lsp-check klp-lsp-convert klp-lsp-lookup; do
    [ -f "$root/usr/share/man/man1/$page.1.gz" ] || fail "no man page $page(1)"
done

echo "=== dpkg -r klp-lsp"
in_root dpkg -r klp-lsp
snapshot > "$root/tmp/after"
if ! diff -u "$root/tmp/before" "$root/tmp/after"; then
    fail "dpkg -r left the files above behind (+) or removed others (-)"
fi
echo "prove-deb.sh: $(basename "$deb") installs, runs without a system Java, and removes cleanly"

# The tarball of the same release, when it lies beside the package: unpacked anywhere, it runs the same.
tarball=$(dirname "$deb")/klp-lsp-$upstream-linux-amd64.tar.gz
if [ -f "$tarball" ]; then
    echo "=== $(basename "$tarball") unpacked in /opt"
    tar -C "$root/opt" -xzf "$tarball"
    in_root /opt/klp-lsp-"$upstream"/bin/klp-lsp --version | grep -qx "klp-lsp $upstream" || fail "tarball --version"
    [ -f "$root/opt/klp-lsp-$upstream/lib/klp-lsp.jsa" ] || fail "the tarball's first run made no class-data archive"
    in_root sh -c "cd /root/example && /opt/klp-lsp-$upstream/bin/klp-lsp check livepatch-example.ko --kernel kernel" \
        | grep -q "^livepatch-example.ko: 0 errors, .*4 symbols to convert$" || fail "tarball check"
    [ -f "$root/opt/klp-lsp-$upstream/lib/klp-lsp-kernel.jsa" ] \
        || fail "the tarball's first check made no class-data archive of the kernel commands"
    echo "prove-deb.sh: $(basename "$tarball") runs without a system Java"
fi
