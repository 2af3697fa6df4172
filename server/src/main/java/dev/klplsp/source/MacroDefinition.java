// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** A {@code #define NAME ...} in active code; the name counts as defined in the workspace. */
public record MacroDefinition(String name, Span nameSpan, Span directiveSpan) {
}
