// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Objects;

/**
 * A place in the kernel's sources as its debug information names it: a path as the line tables give it
 * (relative to the kernel source tree for Debian's prefix-mapped builds, e.g. {@code kernel/power/suspend.c};
 * absolute for a build tree compiled in place) and a 1-based line.
 */
public record SourceLine(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof SourceLine that && Objects.equals(file, that.file) && line == that.line;
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, line);
    }
}
