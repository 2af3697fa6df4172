// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;

/**
 * A declaration of a name this file uses but does not define: an {@code extern} variable, or a function
 * prototype with no body in the file (static prototypes included).
 * Uses are looked up with {@link SourceScan#usesOf(String)} by {@link #name()}.
 *
 * @param name the C identifier
 * @param symbolName the ELF symbol the compiler emits: the asm label when there is one, else the name
 * @param explicitExtern whether the declaration says {@code extern}
 * @param nameSpan the identifier in the declarator
 * @param declarationSpan the whole declaration including its ';'
 * @param declaratorEnd offset just after this declarator (name plus array/parameter suffixes), where an
 *     asm label goes
 */
public record ExternalDeclaration(
        String name,
        String symbolName,
        SymbolKind kind,
        boolean explicitExtern,
        boolean isStatic,
        Span nameSpan,
        Span declarationSpan,
        int declaratorEnd,
        Optional<AsmLabel> asmLabel,
        Optional<RelocSymbol> relocSymbol) {
}
