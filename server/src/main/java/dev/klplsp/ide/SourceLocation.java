// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

/**
 * A line of the kernel's sources for the editor to open: a function's declaration as the debug information
 * names it, found in the kernel source tree.
 *
 * @param file    the existing file (absolute)
 * @param line    1-based
 * @param version which sources the line refers to, for a reader who opens a tree of another version, e.g.
 *                {@code line of the 6.1.0-56-amd64 build's sources; this tree is Debian 6.1.192-3}
 */
public record SourceLocation(java.nio.file.Path file, int line, String version) {
}
