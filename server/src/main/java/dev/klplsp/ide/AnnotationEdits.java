// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.SourceEdits;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.TextEdit;
import java.util.List;

/**
 * The text edits of the quick fixes, in the file's own annotation style: a thin layer over the scanner's
 * {@link SourceEdits} that adds the choices the analysis makes (the relocation's livepatched object).
 */
final class AnnotationEdits {
    private AnnotationEdits() {
    }

    /**
     * Pins {@code external} to {@code object} and {@code sympos}: minimal style
     * {@code extern int foo(void) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, foo, 2);} or v7 style
     * {@code KLP_MODULE_RELOC(vmlinux) ...[] = { KLP_SYMPOS(foo, 2), };}; the livepatched object is the
     * symbol's own object (a klp_object for that object gates the relocation).
     */
    static List<TextEdit> annotate(SourceScan scan, ExternalDeclaration external, String object, int sympos,
            AnnotationStyle style) {
        return SourceEdits.pinSymbol(scan, external, object, object, sympos, style);
    }

    static List<TextEdit> setOldSympos(SourceScan scan, KlpFunc func, int sympos) {
        return SourceEdits.setOldSympos(scan, func, sympos);
    }

    /** Gives a declaration the asm label of the only compiler clone: {@code int f(void) __asm__("f.isra.0");}. */
    static List<TextEdit> asmLabel(SourceScan scan, ExternalDeclaration external, String label) {
        if (external.asmLabel().isPresent()) {
            return SourceEdits.renameSymbol(scan, external, label);
        }
        return List.of(TextEdit.insert(external.declaratorEnd(), " __asm__(\"" + label + "\")"));
    }

    /** Points a declaration at a close kernel name: renames it (and its uses) or edits its label. */
    static List<TextEdit> rename(SourceScan scan, ExternalDeclaration external, String to) {
        return SourceEdits.renameSymbol(scan, external, to);
    }
}
