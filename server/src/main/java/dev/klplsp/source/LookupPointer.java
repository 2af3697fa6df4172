// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;

/**
 * A file-scope pointer variable a run-time lookup fills, e.g. {@code static int (*klpe_foo)(struct bar *b);} or
 * {@code static unsigned long *klpe_baz;}, with what turning it into a declaration of the symbol itself needs.
 * A pointer declared twice in the file has one record per declaration.
 *
 * @param kind FUNCTION for a pointer to a function, VARIABLE for a pointer to data
 * @param declaredType the pointer's type as written, without storage class and name: {@code int (*)(struct bar *b)}
 * @param specifiersSpan the declaration's specifiers, shared by all its declarators ({@code static int})
 * @param declaratorSpan this declarator: the name with its pointer and suffixes, without an initializer
 * @param targetPrefix the declarator of the symbol itself before the name: {@code *} for {@code *(*p)(int)}
 * @param targetSuffix the declarator of the symbol itself after the name: {@code (struct bar *b)}, {@code [16]}
 * @param declaratorCount how many declarators the declaration has
 * @param problem why the declaration cannot be rewritten as one of the symbol (e.g. a typedef'd pointer type)
 */
public record LookupPointer(
        String name,
        Span nameSpan,
        SymbolKind kind,
        String declaredType,
        Span declarationSpan,
        Span specifiersSpan,
        Span declaratorSpan,
        String targetPrefix,
        String targetSuffix,
        int declaratorCount,
        boolean isStatic,
        Optional<String> problem) {
}
