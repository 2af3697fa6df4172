// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** A range in (line, UTF-16 column) terms, end exclusive, as LSP's Range. */
public record LineRange(LinePosition start, LinePosition end) {
}
