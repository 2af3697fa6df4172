// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites run-time lookups as declarations of the symbols themselves, what {@link SourceEdits#migrateLookups}
 * promises. Two passes over text: the first turns each pointer declaration into a declaration of its symbol
 * (named like the symbol unless the file already uses that name; then the pointer's name stays, with a minimal
 * annotation naming the symbol), rewrites every use ({@code (*p)(x)} to {@code sym(x)}, {@code *p} to {@code sym},
 * {@code p} to {@code &sym}), and removes what only served the lookups: table entries or whole tables, the
 * calls that walk removed tables, notifiers that did nothing else, and {@code kallsyms_lookup_name}
 * statements with their null checks; the second pins each new declaration to its object and sympos with
 * {@link SourceEdits#pinSymbol}, in the file's annotation style, rescanning between pins.
 */
final class LookupMigrator {
    /** The header with the annotation macros ({@code klp-lsp header}). */
    static final String RELOCS_HEADER = "klp_relocs.h";
    static final String NOTE = "/* klp-lsp: the kallsyms lookups of this notifier are KLP relocations now, which the"
            + " kernel resolves when the module loads; the rest of the notifier is kept. */";
    private static final Pattern STORAGE = Pattern.compile("\\b(static|extern|register|auto)\\b\\s*");

    private final SourceScan scan;
    private final String text;
    private final RuntimeLookups lookups;
    private final Map<String, LookupMigration> byPointer = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final List<TextEdit> edits = new ArrayList<>();
    private final List<Span> removed = new ArrayList<>();

    private LookupMigrator(SourceScan scan, List<LookupMigration> migrations) {
        this.scan = scan;
        this.text = scan.text();
        this.lookups = scan.runtimeLookups();
        for (LookupMigration migration : migrations) {
            if (lookups.findPointer(migration.pointer()).isPresent()) {
                byPointer.putIfAbsent(migration.pointer(), migration);
            }
        }
    }

    static List<TextEdit> migrate(SourceScan scan, List<LookupMigration> migrations, AnnotationStyle styleWhenNone) {
        LookupMigrator migrator = new LookupMigrator(scan, migrations);
        if (migrator.byPointer.isEmpty()) {
            return List.of();
        }
        String rewritten = TextEdit.apply(scan.text(), migrator.rewrite());
        // Removals at the end may leave the blank line that separated the last constructs.
        String newline = migrator.lineBreak();
        while (rewritten.endsWith(newline + newline) && !scan.text().endsWith(newline + newline)) {
            rewritten = rewritten.substring(0, rewritten.length() - newline.length());
        }
        AnnotationStyle style = scan.annotationStyle() != AnnotationStyle.NONE ? scan.annotationStyle() : styleWhenNone;
        // Pinned from the last declaration up: a v7 array made for the first pin of an object then follows every
        // declaration it will name.
        SourceScan first = SourceScanner.scan(rewritten);
        List<LookupMigration> order = new ArrayList<>(migrator.byPointer.values());
        order.sort(Comparator.comparingInt((LookupMigration migration) -> first.findExternal(
                migrator.names.get(migration.pointer())).map(d -> d.declarationSpan().start()).orElse(-1)).reversed());
        for (LookupMigration migration : order) {
            SourceScan current = SourceScanner.scan(rewritten);
            Optional<ExternalDeclaration> declaration = current.findExternal(migrator.names.get(migration.pointer()));
            if (declaration.isPresent()) {
                rewritten = TextEdit.apply(rewritten, SourceEdits.pinSymbol(current, declaration.get(),
                        migration.lpObject(), migration.symbolObject(), migration.sympos(), style));
            }
        }
        return TextDiff.edits(scan.text(), rewritten);
    }

    /** The first pass: every edit but the annotations, against the original text. */
    private List<TextEdit> rewrite() {
        chooseNames();
        declarations();
        uses();
        boolean anyTableRemoved = tables();
        if (anyTableRemoved) {
            resolverCalls();
        }
        lookupNameStatements();
        include();
        List<TextEdit> kept = new ArrayList<>();
        for (TextEdit edit : edits) {
            // An insertion at the edge of a removed range stays; anything within one goes with it.
            boolean inside = removed.stream().anyMatch(span -> edit.range().isEmpty()
                    ? span.start() < edit.range().start() && edit.range().end() < span.end()
                    : span.contains(edit.range()) && !span.equals(edit.range()));
            if (!inside) {
                kept.add(edit);
            }
        }
        return withoutOverlaps(kept);
    }

    /**
     * Merges removals that overlap (neighbouring constructs may each take the blank line between them) and keeps the
     * first of other edits that overlap: text the scanner read as intended yields no others (the analysis offers no
     * conversion for text with unbalanced brackets and such), but broken text must not make this throw.
     */
    private static List<TextEdit> withoutOverlaps(List<TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt((TextEdit edit) -> edit.range().start())
                .thenComparingInt(edit -> edit.range().end()));
        List<TextEdit> kept = new ArrayList<>();
        int end = -1;
        for (TextEdit edit : sorted) {
            if (edit.range().start() < end) {
                TextEdit last = kept.get(kept.size() - 1);
                if (last.newText().isEmpty() && edit.newText().isEmpty()) {
                    kept.set(kept.size() - 1, new TextEdit(new Span(last.range().start(),
                            Math.max(last.range().end(), edit.range().end())), ""));
                    end = Math.max(end, edit.range().end());
                }
                continue;
            }
            kept.add(edit);
            end = Math.max(end, edit.range().end());
        }
        return kept;
    }

    // ---- names ---------------------------------------------------------------------------------------------

    /** The symbol's own name, unless the file already gives that name another meaning; then the pointer's name. */
    private void chooseNames() {
        Set<String> chosen = new HashSet<>();
        for (LookupMigration migration : byPointer.values()) {
            String symbol = migration.symbolName();
            boolean free = isIdentifier(symbol) && !chosen.contains(symbol) && !scan.isDefined(symbol)
                    && scan.findExternal(symbol).isEmpty() && lookups.findPointer(symbol).isEmpty()
                    && scan.usesOf(symbol).stream().allMatch(this::isTagName);
            String name = free ? symbol : migration.pointer();
            chosen.add(name);
            names.put(migration.pointer(), name);
        }
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || !Lexer.isIdentStart(name.charAt(0)) || name.charAt(0) >= 0x80) {
            return false;
        }
        return name.chars().allMatch(c -> c < 0x80 && Lexer.isIdentPart((char) c));
    }

    /** A use that is really a struct/union/enum tag ({@code struct net *n}): tags do not clash with names. */
    private boolean isTagName(Span use) {
        int i = use.start();
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        int wordStart = i;
        while (wordStart > 0 && Lexer.isIdentPart(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        String word = text.substring(wordStart, i);
        return word.equals("struct") || word.equals("union") || word.equals("enum");
    }

    // ---- declarations --------------------------------------------------------------------------------------

    /** Each migrated pointer's first declaration becomes the symbol's; later ones go. */
    private void declarations() {
        Map<Span, List<LookupPointer>> byDeclaration = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<LookupPointer> duplicates = new ArrayList<>();
        for (LookupPointer pointer : lookups.pointers()) {
            if (!byPointer.containsKey(pointer.name())) {
                continue;
            }
            if (seen.add(pointer.name())) {
                byDeclaration.computeIfAbsent(pointer.declarationSpan(), key -> new ArrayList<>()).add(pointer);
            } else {
                duplicates.add(pointer);
            }
        }
        byDeclaration.forEach((declaration, pointers) -> {
            List<String> replacements = pointers.stream().map(this::symbolDeclaration).toList();
            int count = pointers.get(0).declaratorCount();
            long duplicatesHere = duplicates.stream().filter(d -> d.declarationSpan().equals(declaration)).count();
            if (pointers.size() + duplicatesHere == count) {
                String indent = lineIndent(declaration.start());
                edits.add(new TextEdit(declaration, String.join(lineBreak() + indent, replacements)));
                removed.add(declaration);
            } else {
                pointers.forEach(pointer -> removeDeclarator(pointer));
                edits.add(TextEdit.insert(declaration.end(), lineBreak() + lineIndent(declaration.start())
                        + String.join(lineBreak() + lineIndent(declaration.start()), replacements)));
            }
        });
        Map<Span, List<LookupPointer>> duplicateDeclarations = new LinkedHashMap<>();
        duplicates.forEach(pointer -> duplicateDeclarations.computeIfAbsent(pointer.declarationSpan(),
                key -> new ArrayList<>()).add(pointer));
        duplicateDeclarations.forEach((declaration, pointers) -> {
            if (byDeclaration.containsKey(declaration)) {
                return; // handled with the declaration's first pointers
            }
            if (pointers.size() == pointers.get(0).declaratorCount()) {
                removeLines(declaration);
            } else {
                pointers.forEach(this::removeDeclarator);
            }
        });
    }

    /**
     * {@code int foo(struct bar *b);}, {@code extern unsigned long baz;}, or with the pointer's name kept:
     * {@code extern unsigned long klpe_baz KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, baz, 0);}.
     */
    private String symbolDeclaration(LookupPointer pointer) {
        LookupMigration migration = byPointer.get(pointer.name());
        String name = names.get(pointer.name());
        String specifiers = STORAGE.matcher(pointer.specifiersSpan().textOf(text)).replaceAll("").strip();
        String prefix = pointer.targetPrefix();
        String declarator = prefix + name + pointer.targetSuffix();
        // A kept name gets the minimal annotation in any style: a plain asm label naming the symbol would bind to
        // the patch's own definition of that name.
        String label = name.equals(migration.symbolName()) ? "" : " KLP_RELOC_SYMBOL_POS(" + migration.lpObject() + ", "
                + migration.symbolObject() + ", " + migration.symbolName() + ", " + migration.sympos() + ")";
        String storage = pointer.kind() == SymbolKind.FUNCTION ? "" : "extern ";
        return storage + specifiers + (specifiers.isEmpty() ? "" : " ") + declarator + label + ";";
    }

    /** Removes one declarator of a declaration that keeps others, with its comma and initializer. */
    private void removeDeclarator(LookupPointer pointer) {
        Span declarator = pointer.declaratorSpan();
        int end = partEnd(declarator.end(), pointer.declarationSpan().end());
        if (end < text.length() && text.charAt(end) == ',') {
            int after = end + 1;
            while (after < pointer.declarationSpan().end() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            edits.add(new TextEdit(new Span(declarator.start(), after), ""));
        } else {
            int comma = declarator.start() - 1;
            while (comma > pointer.declarationSpan().start() && text.charAt(comma) != ',') {
                comma--;
            }
            edits.add(new TextEdit(new Span(comma, end), ""));
        }
    }

    /** The end of a declarator's part of a declaration: its ',' or ';' outside brackets. */
    private int partEnd(int from, int limit) {
        int depth = 0;
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if ((c == ',' || c == ';') && depth == 0) {
                return i;
            }
        }
        return limit - 1;
    }

    // ---- uses ----------------------------------------------------------------------------------------------

    private void uses() {
        for (PointerUse use : lookups.uses()) {
            LookupMigration migration = byPointer.get(use.pointer());
            if (migration == null) {
                continue;
            }
            String name = names.get(use.pointer());
            boolean function = lookups.findPointer(use.pointer()).map(p -> p.kind() == SymbolKind.FUNCTION)
                    .orElse(false);
            String replacement = switch (use.shape()) {
                case CALL, DEREF -> name;
                case MEMBER -> name + ".";
                case INDEX -> "(&" + name + ")";
                case VALUE -> function ? name : "&" + name;
                default -> null;
            };
            if (replacement != null) {
                edits.add(new TextEdit(use.span(), replacement));
            }
        }
    }

    // ---- tables, resolvers, notifiers ------------------------------------------------------------------------

    private final Set<String> removedTables = new HashSet<>();

    /** Removes migrated entries, or whole tables when every entry goes; returns whether a table went. */
    private boolean tables() {
        for (KallsymsRelocTable table : lookups.tables()) {
            List<KallsymsRelocEntry> going = table.entries().stream()
                    .filter(entry -> entry.pointer().map(byPointer::containsKey).orElse(false)).toList();
            if (going.isEmpty()) {
                continue;
            }
            if (going.size() == table.entries().size()) {
                removeLines(table.declarationSpan());
                removedTables.add(table.name());
            } else {
                going.forEach(entry -> removeListItem(entry.span()));
            }
        }
        return !removedTables.isEmpty();
    }

    /** Calls that walk a removed table go; notifiers that did nothing else go with their registrations. */
    private void resolverCalls() {
        Set<String> removedFunctions = new HashSet<>();
        for (ModuleNotifier notifier : lookups.notifiers()) {
            List<ResolverCall> inside = lookups.resolverCalls().stream()
                    .filter(call -> notifier.functionSpan().contains(call.site().callSpan())).toList();
            if (inside.isEmpty() || !inside.stream().allMatch(call -> removedTables.contains(call.table()))) {
                continue;
            }
            if (notifier.onlyResolves() && !notifier.blockUsedElsewhere()) {
                removeLines(notifier.functionSpan());
                removeLines(notifier.blockSpan());
                removedFunctions.add(notifier.function());
                notifier.registrations().forEach(call -> neutralize(call, "0"));
            } else {
                int lineStart = lineStart(notifier.functionSpan().start());
                edits.add(TextEdit.insert(lineStart, NOTE + lineBreak()));
            }
        }
        for (ResolverCall call : lookups.resolverCalls()) {
            if (removedTables.contains(call.table())
                    && !call.site().function().map(removedFunctions::contains).orElse(false)) {
                neutralize(call.site(), "0");
            }
        }
    }

    /** Takes a call away: a statement goes, a required statement becomes empty, a value becomes {@code value}. */
    private void neutralize(CallSite site, String value) {
        switch (site.placement()) {
            case STATEMENT -> removeLines(site.statementSpan());
            case CONTROL_BODY -> edits.add(new TextEdit(site.statementSpan(), "{ }"));
            case AFTER_LABEL -> edits.add(new TextEdit(site.statementSpan(), ";"));
            case EXPRESSION -> edits.add(new TextEdit(site.callSpan(), value));
        }
    }

    private void lookupNameStatements() {
        for (LookupNameCall call : lookups.lookupNameCalls()) {
            if (call.assignedPointer().map(byPointer::containsKey).orElse(false)) {
                neutralize(call.site(), "0");
                call.nullCheckSpan().ifPresent(this::removeLines);
            }
        }
    }

    /** Adds {@code #include "klp_relocs.h"} when the file has no annotation macros yet. */
    private void include() {
        boolean available = scan.annotationStyle() != AnnotationStyle.NONE
                || scan.includes().stream().anyMatch(include -> include.path().endsWith(RELOCS_HEADER))
                || scan.macroDefinitions().stream().anyMatch(macro -> macro.name().equals("KLP_RELOC_SYMBOL_POS")
                        || macro.name().equals("KLP_MODULE_RELOC"));
        if (available) {
            return;
        }
        String directive = "#include \"" + RELOCS_HEADER + "\"";
        if (!scan.includes().isEmpty()) {
            Span last = scan.includes().get(scan.includes().size() - 1).span();
            edits.add(TextEdit.insert(last.end(), lineBreak() + directive));
        } else {
            int first = scan.definitions().isEmpty() ? 0 : lineStart(scan.definitions().get(0).declarationSpan().start());
            edits.add(TextEdit.insert(first, directive + lineBreak() + lineBreak()));
        }
    }

    // ---- text helpers ----------------------------------------------------------------------------------------

    /**
     * Removes a span; when it is alone on its lines, the lines go too, and a blank line after it when one is
     * before it as well, so no double blank line is left.
     */
    private void removeLines(Span span) {
        int start = lineStart(span.start());
        int end = span.end();
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t' || text.charAt(end) == '\r')) {
            end++;
        }
        boolean aloneBefore = text.substring(start, span.start()).isBlank();
        boolean aloneAfter = end >= text.length() || text.charAt(end) == '\n';
        Span range = span;
        if (aloneBefore && aloneAfter) {
            int lineEnd = end < text.length() ? end + 1 : end;
            boolean blankBefore = start >= 2 && text.charAt(start - 1) == '\n'
                    && text.substring(lineStart(start - 1), start - 1).isBlank();
            if (blankBefore) {
                int next = lineEnd;
                while (next < text.length() && (text.charAt(next) == ' ' || text.charAt(next) == '\t'
                        || text.charAt(next) == '\r')) {
                    next++;
                }
                if (next < text.length() && text.charAt(next) == '\n') {
                    lineEnd = next + 1;
                } else if (next >= text.length() || text.charAt(next) == '}') {
                    start = lineStart(start - 1); // nothing follows in this block: the blank before goes
                }
            }
            range = new Span(start, lineEnd);
        }
        edits.add(new TextEdit(range, ""));
        removed.add(range);
    }

    /** Removes an element of a braced list with its comma (and its lines when it has them to itself). */
    private void removeListItem(Span item) {
        int end = item.end();
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        if (end < text.length() && text.charAt(end) == ',') {
            end++;
        }
        removeLines(new Span(item.start(), end));
    }

    private int lineStart(int offset) {
        int start = offset;
        while (start > 0 && text.charAt(start - 1) != '\n') {
            start--;
        }
        return start;
    }

    private String lineIndent(int offset) {
        int start = lineStart(offset);
        int end = start;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(start, Math.min(end, offset));
    }

    private String lineBreak() {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }
}
