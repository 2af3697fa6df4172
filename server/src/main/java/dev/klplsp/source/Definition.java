// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * A function with a body, or a variable defined at file scope (static or not, initialized or tentative),
 * so the name is "defined in the workspace" rather than external.
 *
 * @param declarationSpan the whole declaration, from its first specifier to its ';' or closing '}'
 */
public record Definition(String name, SymbolKind kind, boolean isStatic, Span nameSpan, Span declarationSpan) {
}
