// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;
import java.util.Optional;

/**
 * A v7 annotation array {@code KLP_MODULE_RELOC(obj) name[] = { KLP_SYMPOS(sym, pos), ... };}.
 *
 * @param objectName the object as written between the parentheses (may hold a '-' to be flagged)
 * @param initializer the braces of the initializer, '{' to '}' inclusive; empty when there is none
 */
public record ModuleRelocBlock(
        String objectName,
        Span objectSpan,
        String arrayName,
        Span arrayNameSpan,
        Span declarationSpan,
        Optional<Span> initializer,
        List<SymposEntry> entries) {
}
