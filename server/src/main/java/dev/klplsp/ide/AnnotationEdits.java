// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.DesignatedField;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the text edits of the quick fixes, in the file's own annotation style and indentation. */
final class AnnotationEdits {
    private AnnotationEdits() {
    }

    /**
     * Pins {@code external} to {@code object} and {@code sympos}:
     * minimal style {@code extern int foo(void) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, foo, 2);}, or v7 style
     * {@code KLP_MODULE_RELOC(vmlinux) klp_relocs_vmlinux[] = { KLP_SYMPOS(foo, 2), };}.
     */
    static List<TextEdit> annotate(SourceScan scan, ExternalDeclaration external, String object, int sympos,
            AnnotationStyle style) {
        String symbol = external.symbolName();
        if (style == AnnotationStyle.MINIMAL && external.asmLabel().isEmpty()) {
            return List.of(TextEdit.insert(external.declaratorEnd(),
                    " KLP_RELOC_SYMBOL_POS(" + object + ", " + object + ", " + symbol + ", " + sympos + ")"));
        }
        String entry = "KLP_SYMPOS(" + external.name() + ", " + sympos + ")";
        Optional<ModuleRelocBlock> block = scan.findModuleRelocBlock(object);
        if (block.isPresent() && block.get().initializer().isPresent()) {
            return List.of(appendEntry(scan.text(), block.get().initializer().get(), entry));
        }
        String array = "klp_relocs_" + object.replaceAll("[^A-Za-z0-9_]", "_");
        return List.of(TextEdit.insert(external.declarationSpan().end(),
                "\nKLP_MODULE_RELOC(" + object + ") " + array + "[] = {\n\t" + entry + ",\n};"));
    }

    /** Adds an entry before the closing brace of a v7 array, keeping one entry per line when the array does. */
    private static TextEdit appendEntry(String text, Span initializer, String entry) {
        int close = initializer.end() - 1;
        int lineStart = close;
        while (lineStart > initializer.start() && (text.charAt(lineStart - 1) == ' '
                || text.charAt(lineStart - 1) == '\t')) {
            lineStart--;
        }
        if (lineStart > initializer.start() && text.charAt(lineStart - 1) == '\n') {
            return TextEdit.insert(lineStart, "\t" + entry + ",\n");
        }
        int last = close - 1;
        while (last > initializer.start() && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        char before = text.charAt(last);
        return TextEdit.insert(close, before == ',' || before == '{' ? " " + entry + " " : ", " + entry + " ");
    }

    /** Sets {@code .old_sympos} of a klp_func: replaces the written value, or adds the field after the last one. */
    static TextEdit setOldSympos(SourceScan scan, KlpFunc func, int sympos) {
        if (func.oldSymposSpan().isPresent()) {
            return new TextEdit(func.oldSymposSpan().get(), Integer.toString(sympos));
        }
        String text = scan.text();
        int at = func.symposInsertion().start();
        String field = ".old_sympos = " + sympos;
        List<DesignatedField> fields = func.fields();
        boolean afterComma = at > 0 && lastNonSpace(text, at) == ',';
        if (fields.isEmpty() || sameLine(text, func.span().start(), fields.get(fields.size() - 1).span().start())) {
            return TextEdit.insert(at, (afterComma ? " " : ", ") + field);
        }
        String indent = indentOf(text, fields.get(fields.size() - 1).span().start());
        return TextEdit.insert(at, (afterComma ? "" : ",") + "\n" + indent + field + ",");
    }

    /** Gives a declaration the asm label of the only compiler clone: {@code int f(void) __asm__("f.isra.0");}. */
    static List<TextEdit> asmLabel(SourceScan scan, ExternalDeclaration external, String label) {
        if (external.asmLabel().isPresent()) {
            return List.of(new TextEdit(external.asmLabel().get().span(), "__asm__(\"" + label + "\")"));
        }
        return List.of(TextEdit.insert(external.declaratorEnd(), " __asm__(\"" + label + "\")"));
    }

    /** Renames a declared name and its uses in this file. */
    static List<TextEdit> rename(SourceScan scan, String from, String to) {
        List<TextEdit> edits = new ArrayList<>();
        scan.findExternal(from).ifPresent(external -> edits.add(new TextEdit(external.nameSpan(), to)));
        for (Span use : scan.usesOf(from)) {
            if (edits.stream().noneMatch(edit -> edit.range().equals(use))) {
                edits.add(new TextEdit(use, to));
            }
        }
        return edits;
    }

    private static char lastNonSpace(String text, int before) {
        int i = before - 1;
        while (i > 0 && Character.isWhitespace(text.charAt(i))) {
            i--;
        }
        return text.charAt(Math.max(i, 0));
    }

    private static boolean sameLine(String text, int a, int b) {
        for (int i = Math.min(a, b); i < Math.max(a, b); i++) {
            if (text.charAt(i) == '\n') {
                return false;
            }
        }
        return true;
    }

    private static String indentOf(String text, int offset) {
        int start = offset;
        while (start > 0 && text.charAt(start - 1) != '\n') {
            start--;
        }
        int end = start;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(start, end);
    }
}
