// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import dev.klplsp.elf.KlpNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the text edits behind quick fixes. Each method returns edits against {@link SourceScan#text()};
 * an empty list means "nothing to change". Edits keep the surrounding formatting (indentation, trailing
 * commas) of the code they touch, and only the annotated part of a declaration is rewritten.
 */
public final class SourceEdits {
    private SourceEdits() {
    }

    // ---- v7: KLP_MODULE_RELOC / KLP_SYMPOS ---------------------------------------------------------------

    /** Sets the position of an existing {@code KLP_SYMPOS} entry, adding it when the entry has none. */
    public static List<TextEdit> setSympos(SourceScan scan, SymposEntry entry, int pos) {
        if (entry.posSpan().isPresent()) {
            return replaceIfDifferent(scan, entry.posSpan().get(), Integer.toString(pos));
        }
        int close = entry.span().end() - 1;
        if (close >= 0 && scan.text().charAt(close) == ')') {
            return List.of(insert(scan, close, ", " + pos));
        }
        return List.of();
    }

    /**
     * Pins {@code symbol} in object {@code objectName} at {@code pos}, v7 style: updates an existing entry,
     * else appends an entry to the object's {@code KLP_MODULE_RELOC} array (when it follows the symbol's
     * declaration, since the entry takes the symbol's address), else creates an array after the symbol's extern
     * declaration (or, when the file has none, before the first definition).
     */
    public static List<TextEdit> addSympos(SourceScan scan, String objectName, String symbol, int pos) {
        Optional<SymposEntry> existing = scan.findSymposEntry(objectName, symbol);
        if (existing.isPresent()) {
            return setSympos(scan, existing.get(), pos);
        }
        String text = scan.text();
        String entryText = "KLP_SYMPOS(" + symbol + ", " + pos + ")";
        Optional<ExternalDeclaration> declared = scan.findExternal(symbol);
        Optional<ModuleRelocBlock> block = scan.findModuleRelocBlock(objectName).filter(found -> declared
                .map(declaration -> declaration.declarationSpan().end() <= found.declarationSpan().start())
                .orElse(true));
        if (block.isPresent()) {
            List<SymposEntry> entries = block.get().entries();
            Span braces = block.get().initializer().orElseThrow();
            if (entries.isEmpty()) {
                return List.of(insert(scan, braces.start() + 1, "\n\t" + entryText + ","));
            }
            SymposEntry last = entries.get(entries.size() - 1);
            String indent = lineIndent(text, last.span().start());
            int after = skipBlanks(text, last.span().end(), braces.end());
            if (after < text.length() && text.charAt(after) == ',') {
                return List.of(insert(scan, after + 1, "\n" + indent + entryText + ","));
            }
            return List.of(insert(scan, last.span().end(), ",\n" + indent + entryText));
        }
        String newBlock = "KLP_MODULE_RELOC(" + objectName + ") " + freshArrayName(scan, objectName) + "[] = {\n\t"
                + entryText + ",\n};";
        if (declared.isPresent()) {
            return List.of(insert(scan, declared.get().declarationSpan().end(), "\n\n" + newBlock));
        }
        if (!scan.moduleRelocBlocks().isEmpty()) {
            ModuleRelocBlock lastBlock = scan.moduleRelocBlocks().get(scan.moduleRelocBlocks().size() - 1);
            return List.of(insert(scan, lastBlock.declarationSpan().end(), "\n\n" + newBlock));
        }
        if (!scan.definitions().isEmpty()) {
            int start = scan.lines().lineStart(scan.lines().lineOf(scan.definitions().get(0).declarationSpan().start()));
            return List.of(insert(scan, start, newBlock + "\n\n"));
        }
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return List.of(insert(scan, text.length(), separator + newBlock + "\n"));
    }

    private static String freshArrayName(SourceScan scan, String objectName) {
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < objectName.length(); i++) {
            char c = objectName.charAt(i);
            base.append(Character.isLetterOrDigit(c) && c < 0x80 ? c : '_');
        }
        if (base.length() == 0 || Character.isDigit(base.charAt(0))) {
            base.insert(0, '_');
        }
        String name = base + "_relocs";
        for (int suffix = 2; isTaken(scan, name); suffix++) {
            name = base + "_relocs_" + suffix;
        }
        return name;
    }

    private static boolean isTaken(SourceScan scan, String name) {
        return scan.isDefined(name) || scan.findExternal(name).isPresent()
                || scan.moduleRelocBlocks().stream().anyMatch(block -> block.arrayName().equals(name));
    }

    // ---- minimal: KLP_RELOC_SYMBOL[_POS] and .klp.sym.rela labels ---------------------------------------

    /**
     * Makes {@code declaration} carry {@code KLP_RELOC_SYMBOL_POS(lpObject, symbolObject, symbolName, pos)}:
     * changes only the differing parts of an existing macro, rewrites an existing label in the dot form
     * (the comma form does not assemble with binutils 2.40), replaces a plain asm label, or adds the macro
     * after the declarator. The rest of the declaration is left as it is.
     */
    public static List<TextEdit> setRelocSymbol(SourceScan scan, ExternalDeclaration declaration, String lpObject,
            String symbolObject, String symbolName, int pos) {
        String macro = "KLP_RELOC_SYMBOL_POS(" + lpObject + ", " + symbolObject + ", " + symbolName + ", " + pos + ")";
        Optional<RelocSymbol> existing = declaration.relocSymbol();
        if (existing.isPresent()) {
            RelocSymbol reloc = existing.get();
            switch (reloc.form()) {
                case MACRO_POS -> {
                    if (reloc.lpObjectSpan().isEmpty() || reloc.posSpan().isEmpty()) {
                        return List.of(new TextEdit(reloc.span(), macro));
                    }
                    List<TextEdit> edits = new ArrayList<>();
                    edits.addAll(replaceIfDifferent(scan, reloc.lpObjectSpan().get(), lpObject));
                    edits.addAll(replaceIfDifferent(scan, reloc.symbolObjectSpan(), symbolObject));
                    edits.addAll(replaceIfDifferent(scan, reloc.symbolNameSpan(), symbolName));
                    edits.addAll(replaceIfDifferent(scan, reloc.posSpan().get(), Integer.toString(pos)));
                    return edits;
                }
                case MACRO -> {
                    boolean same = reloc.lpObject().orElse("").equals(lpObject) && reloc.symbolObject().equals(symbolObject)
                            && reloc.symbolName().equals(symbolName) && pos == 0;
                    return same ? List.of() : List.of(new TextEdit(reloc.span(), macro));
                }
                default -> {
                    String label = KlpNames.minimalName(lpObject, symbolObject, symbolName, Integer.toString(pos));
                    return replaceLabel(scan, declaration.asmLabel().orElseThrow(), label);
                }
            }
        }
        if (declaration.asmLabel().isPresent()) {
            return List.of(new TextEdit(declaration.asmLabel().get().span(), macro));
        }
        return List.of(insert(scan, declaration.declaratorEnd(), " " + macro));
    }

    private static List<TextEdit> replaceLabel(SourceScan scan, AsmLabel label, String newLabel) {
        Span content = label.contentSpan();
        boolean exact = content.textOf(scan.text()).equals(label.label());
        if (exact) {
            return replaceIfDifferent(scan, content, newLabel);
        }
        String keyword = label.span().textOf(scan.text());
        int paren = keyword.indexOf('(');
        String asmWord = paren > 0 ? keyword.substring(0, paren).strip() : "__asm__";
        return List.of(new TextEdit(label.span(), asmWord + "(\"" + newLabel + "\")"));
    }

    // ---- klp_func -----------------------------------------------------------------------------------------

    /** Sets {@code .old_sympos} of a klp_func initializer, adding the field in the element's layout when absent. */
    public static List<TextEdit> setOldSympos(SourceScan scan, KlpFunc func, int pos) {
        if (func.oldSymposSpan().isPresent()) {
            return replaceIfDifferent(scan, func.oldSymposSpan().get(), Integer.toString(pos));
        }
        String text = scan.text();
        String field = ".old_sympos = " + pos;
        int at = func.symposInsertion().start();
        if (func.fields().isEmpty()) {
            return List.of(insert(scan, at, " " + field + ", "));
        }
        DesignatedField last = func.fields().get(func.fields().size() - 1);
        boolean hasComma = at > 0 && text.charAt(at - 1) == ',';
        boolean oneLine = scan.lines().lineOf(func.span().start()) == scan.lines().lineOf(last.span().start());
        if (oneLine) {
            return List.of(insert(scan, at, hasComma ? " " + field + "," : ", " + field));
        }
        String indent = lineIndent(text, last.span().start());
        return List.of(insert(scan, at, hasComma ? "\n" + indent + field + "," : ",\n" + indent + field));
    }

    /** Replaces the string in {@code .old_name = "..."} (a typo fix). */
    public static List<TextEdit> setOldName(SourceScan scan, KlpFunc func, String oldName) {
        return func.oldNameSpan().map(span -> replaceIfDifferent(scan, span, oldName)).orElse(List.of());
    }

    // ---- renames ------------------------------------------------------------------------------------------

    /**
     * Points {@code declaration} at another kernel symbol (a typo fix): edits the name inside a relocation
     * annotation or asm label when there is one, else renames the C identifier everywhere in the file.
     */
    public static List<TextEdit> renameSymbol(SourceScan scan, ExternalDeclaration declaration, String newSymbolName) {
        Optional<RelocSymbol> reloc = declaration.relocSymbol();
        if (reloc.isPresent()) {
            RelocSymbol annotation = reloc.get();
            if (annotation.symbolNameSpan().textOf(scan.text()).equals(annotation.symbolName())) {
                return replaceIfDifferent(scan, annotation.symbolNameSpan(), newSymbolName);
            }
            String label = annotation.form() == RelocSymbol.Form.LABEL_KLP_SYM
                    ? KlpNames.symbolName(annotation.symbolObject(), newSymbolName, annotation.pos().orElse(0))
                    : KlpNames.minimalName(annotation.lpObject().orElse(KlpNames.VMLINUX), annotation.symbolObject(),
                            newSymbolName, Integer.toString(annotation.pos().orElse(0)));
            return replaceLabel(scan, declaration.asmLabel().orElseThrow(), label);
        }
        if (declaration.asmLabel().isPresent()) {
            return replaceLabel(scan, declaration.asmLabel().get(), newSymbolName);
        }
        return renameIdentifier(scan, declaration.name(), newSymbolName);
    }

    /**
     * Renames a C identifier at its declarations, definitions, uses and {@code KLP_SYMPOS} entries in this file.
     */
    public static List<TextEdit> renameIdentifier(SourceScan scan, String oldName, String newName) {
        if (oldName.equals(newName)) {
            return List.of();
        }
        Set<Span> spans = new LinkedHashSet<>();
        scan.externals().stream().filter(external -> external.name().equals(oldName))
                .forEach(external -> spans.add(external.nameSpan()));
        scan.definitions().stream().filter(definition -> definition.name().equals(oldName))
                .forEach(definition -> spans.add(definition.nameSpan()));
        spans.addAll(scan.usesOf(oldName));
        scan.moduleRelocBlocks().forEach(block -> block.entries().stream()
                .filter(entry -> entry.symbol().equals(oldName)).forEach(entry -> spans.add(entry.symbolSpan())));
        List<TextEdit> edits = new ArrayList<>(spans.size());
        for (Span span : spans) {
            edits.add(new TextEdit(span, newName));
        }
        return edits;
    }

    // ---- object names -------------------------------------------------------------------------------------

    /** Rewrites a module name with '-' to the runtime name the kernel compares against ('-' becomes '_'). */
    public static List<TextEdit> normalizeObjectName(SourceScan scan, ObjectNameRef ref) {
        return replaceIfDifferent(scan, ref.span(), ref.name().replace('-', '_'));
    }

    // ---- run-time lookups ----------------------------------------------------------------------------------

    /**
     * Sets the sympos of a run-time lookup entry, adding the field in the entry's own form when absent:
     * {@code { "foo", (void *)&klpe_foo, NULL, 2 }} or {@code .sympos = 2}.
     */
    public static List<TextEdit> setLookupSympos(SourceScan scan, KallsymsRelocEntry entry, int pos) {
        if (entry.symposSpan().isPresent()) {
            return replaceIfDifferent(scan, entry.symposSpan().get(), Integer.toString(pos));
        }
        String text = scan.text();
        String field = entry.designated() ? ".sympos = " + pos
                : entry.positionalFields() == 2 ? "NULL, " + pos : Integer.toString(pos);
        int at = entry.insertion().start();
        boolean hasComma = at > 0 && text.charAt(at - 1) == ',';
        boolean oneLine = scan.lines().lineOf(entry.span().start()) == scan.lines().lineOf(entry.span().end());
        if (oneLine || !entry.designated()) {
            return List.of(insert(scan, at, hasComma ? " " + field + "," : ", " + field));
        }
        String indent = lineIndent(text, lastLineStartBefore(text, at));
        return List.of(insert(scan, at, hasComma ? "\n" + indent + field + "," : ",\n" + indent + field));
    }

    /**
     * Turns run-time lookups into KLP relocations: each pointer's declaration becomes one of the symbol itself,
     * pinned to its object and sympos in the file's annotation style ({@code styleWhenNone} for a file without
     * annotations, with {@code #include "klp_relocs.h"} added), every use of the pointer is rewritten to use the
     * symbol, and what only served the lookups goes (table entries or tables, the calls that walk removed tables,
     * notifiers that did nothing else, {@code kallsyms_lookup_name} statements with their null checks). Lookups
     * not in {@code migrations} are left as they are. The edits are the changed lines, against {@code scan.text()}.
     */
    public static List<TextEdit> migrateLookups(SourceScan scan, List<LookupMigration> migrations,
            AnnotationStyle styleWhenNone) {
        return LookupMigrator.migrate(scan, migrations, styleWhenNone);
    }

    // ---- style-aware entry point --------------------------------------------------------------------------

    /**
     * Pins the symbol of {@code declaration} to {@code symbolObject} and position {@code pos} in the file's own
     * annotation style: an annotation the declaration already has is updated; otherwise the file's style
     * ({@link SourceScan#annotationStyle()}) is used, and {@code styleWhenNone} for a file without annotations
     * (NONE there means MINIMAL).
     *
     * @param lpObject the livepatched object (klp_object) the relocation belongs to; used by the minimal style only
     */
    public static List<TextEdit> pinSymbol(SourceScan scan, ExternalDeclaration declaration, String lpObject,
            String symbolObject, int pos, AnnotationStyle styleWhenNone) {
        if (declaration.relocSymbol().isPresent()) {
            return setRelocSymbol(scan, declaration, lpObject, symbolObject, declaration.relocSymbol().get().symbolName(),
                    pos);
        }
        Optional<SymposEntry> entry = scan.findSymposEntry(symbolObject, declaration.name());
        if (entry.isPresent()) {
            return setSympos(scan, entry.get(), pos);
        }
        AnnotationStyle style = scan.annotationStyle() != AnnotationStyle.NONE ? scan.annotationStyle() : styleWhenNone;
        if (style == AnnotationStyle.V7) {
            return addSympos(scan, symbolObject, declaration.name(), pos);
        }
        String kernelName = declaration.asmLabel().map(AsmLabel::label).orElse(declaration.name());
        return setRelocSymbol(scan, declaration, lpObject, symbolObject, kernelName, pos);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** An insertion whose line breaks follow the file's (CRLF when the file uses it). */
    private static TextEdit insert(SourceScan scan, int offset, String newText) {
        boolean crlf = scan.text().contains("\r\n");
        return TextEdit.insert(offset, crlf ? newText.replace("\n", "\r\n") : newText);
    }

    private static List<TextEdit> replaceIfDifferent(SourceScan scan, Span span, String newText) {
        return span.textOf(scan.text()).equals(newText) ? List.of() : List.of(new TextEdit(span, newText));
    }

    /** The blanks at the start of the line holding {@code offset}. */
    private static String lineIndent(String text, int offset) {
        int start = offset;
        while (start > 0 && text.charAt(start - 1) != '\n' && text.charAt(start - 1) != '\r') {
            start--;
        }
        int end = start;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(start, end);
    }

    /** The start of the line holding the last non-blank character before {@code offset}. */
    private static int lastLineStartBefore(String text, int offset) {
        int i = offset;
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return Math.max(0, i - 1);
    }

    private static int skipBlanks(String text, int from, int limit) {
        int i = from;
        while (i < Math.min(limit, text.length()) && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
