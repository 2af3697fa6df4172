// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import java.util.List;

/** A gcc + binutils toolchain the fixtures are built with: the host one, or a Debian cross compiler. */
public enum Toolchain {
    X86_64("", List.of("-mcmodel=kernel", "-mno-red-zone")),
    AARCH64("aarch64-linux-gnu-", List.of()),
    PPC64LE("powerpc64le-linux-gnu-", List.of("-mcmodel=large")),
    S390X("s390x-linux-gnu-", List.of());

    /** Every toolchain; the cross ones must be installed (.ci/run does). */
    public static final List<Toolchain> ALL = List.of(values());

    private final String prefix;
    private final List<String> archFlags;

    Toolchain(String prefix, List<String> archFlags) {
        this.prefix = prefix;
        this.archFlags = archFlags;
    }

    public String gcc() {
        return prefix + "gcc";
    }

    public String ld() {
        return prefix + "ld";
    }

    public String objcopy() {
        return prefix + "objcopy";
    }

    public String readelf() {
        // binutils' readelf understands every architecture; the host one is the oracle for all.
        return "readelf";
    }

    /** Flags close to what kbuild passes for module objects on this architecture. */
    public List<String> archFlags() {
        return archFlags;
    }

    public String dirName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
