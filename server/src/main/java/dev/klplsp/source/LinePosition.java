// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** A 0-based line and a 0-based column counted in UTF-16 code units (what LSP calls a Position). */
public record LinePosition(int line, int column) {
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
