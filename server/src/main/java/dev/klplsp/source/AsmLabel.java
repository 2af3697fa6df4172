// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * An {@code __asm__("label")} / {@code asm("label")} on a declaration: the symbol the compiler emits
 * instead of the C name, e.g. {@code extern char klp_string_b[] __asm__("klp_string.12345");}.
 *
 * @param label the decoded string (adjacent literals concatenated)
 * @param contentSpan the characters between the quotes when the label is one literal without escapes,
 *     else the literals including quotes
 * @param span from the asm keyword to the closing parenthesis
 */
public record AsmLabel(String label, Span contentSpan, Span span) {
}
