// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A minimal-style klp relocation annotation on a declaration, as a macro or as the label it expands to:
 * <pre>
 * extern char *saved_command_line KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);      MACRO
 * extern int x KLP_RELOC_SYMBOL_POS(lp, mod, x, 2);                                            MACRO_POS
 * extern int x __asm__(".klp.sym.rela.lp.mod.x.2");              (dot form, name may hold dots) LABEL_DOT
 * extern int x __asm__(".klp.sym.rela.lp.mod.x,2");                                            LABEL_COMMA
 * extern int x __asm__(".klp.sym.mod.x,2");                      (kernel form, no lp object)   LABEL_KLP_SYM
 * </pre>
 * All parts are as written; spans of label parts point into the string literal.
 *
 * @param declaredName the C identifier the annotation is attached to
 * @param lpObject the livepatched object whose klp_object gates the relocation; empty for LABEL_KLP_SYM
 * @param pos the position, 0 for {@code KLP_RELOC_SYMBOL}; empty when missing or not a number
 * @param posSpan where the position is written; empty for {@code KLP_RELOC_SYMBOL} and when missing
 * @param span the macro use from its name to ')' or the whole asm label
 */
public record RelocSymbol(
        Form form,
        String declaredName,
        Span declaredNameSpan,
        Optional<String> lpObject,
        Optional<Span> lpObjectSpan,
        String symbolObject,
        Span symbolObjectSpan,
        String symbolName,
        Span symbolNameSpan,
        OptionalInt pos,
        Optional<Span> posSpan,
        Span span) {

    public enum Form {
        MACRO_POS,
        MACRO,
        LABEL_DOT,
        LABEL_COMMA,
        LABEL_KLP_SYM;

        public boolean isMacro() {
            return this == MACRO_POS || this == MACRO;
        }
    }
}
