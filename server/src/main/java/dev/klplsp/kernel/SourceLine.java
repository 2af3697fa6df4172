// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

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
}
