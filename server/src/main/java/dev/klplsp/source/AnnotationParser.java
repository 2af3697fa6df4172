// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import dev.klplsp.elf.KlpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the klp annotations of declarations: v7 {@code KLP_MODULE_RELOC(obj) name[] = { KLP_SYMPOS(sym, pos), };}
 * arrays, minimal {@code KLP_RELOC_SYMBOL[_POS](lp, obj, sym[, pos])} macros and the {@code .klp.sym*} asm labels
 * they expand to (fields as {@link KlpNames} splits them).
 */
final class AnnotationParser extends TokenReader {
    final List<RelocSymbol> relocSymbols = new ArrayList<>();
    final List<ModuleRelocBlock> moduleRelocBlocks = new ArrayList<>();

    AnnotationParser(TokenReader shared) {
        super(shared);
    }

    /** The label KLP_RELOC_SYMBOL[_POS] expands to with the fixture/kernel header: the dot form. */
    static String expandedLabel(RelocSymbol reloc) {
        return KlpNames.minimalName(reloc.lpObject().orElse(""), reloc.symbolObject(), reloc.symbolName(),
                reloc.pos().isPresent() ? Integer.toString(reloc.pos().getAsInt()) : "?");
    }

    void moduleRelocBlock(int macroToken, Declarator declarator, Span declarationSpan) {
        int open = macroToken + 1;
        int close = closer(open);
        String objectName;
        Span objectSpan;
        if (close <= open + 1) {
            objectName = "";
            objectSpan = Span.at(ends[open]);
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_OBJECT_SYNTAX, "KLP_MODULE_RELOC() needs an object name",
                    new Span(starts[macroToken], close < n ? ends[close] : ends[open])));
        } else {
            objectSpan = new Span(starts[open + 1], ends[close - 1]);
            objectName = objectSpan.textOf(text);
            if (!isObjectNameSyntax(objectName)) {
                problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_OBJECT_SYNTAX,
                        "KLP_MODULE_RELOC(" + objectName + "): the object must be a bare name such as vmlinux or a module name",
                        objectSpan));
            }
        }
        String arrayName = declarator.nameToken >= 0 ? tokenText(declarator.nameToken) : "";
        Span arrayNameSpan = declarator.nameToken >= 0 ? tokenSpan(declarator.nameToken) : Span.at(declarationSpan.end());
        List<SymposEntry> entries = new ArrayList<>();
        Optional<Span> initializer = Optional.empty();
        if (declarator.initStart >= 0 && declarator.initStart < n && isPunct(declarator.initStart, '{')) {
            int brace = declarator.initStart;
            int braceClose = closer(brace);
            initializer = Optional.of(new Span(starts[brace], braceClose < n ? ends[braceClose] : text.length()));
            for (int[] element : split(brace + 1, braceClose)) {
                if (element[0] < element[1]) {
                    symposEntry(element[0], element[1]).ifPresent(entries::add);
                }
            }
        }
        moduleRelocBlocks.add(new ModuleRelocBlock(objectName, objectSpan, arrayName, arrayNameSpan, declarationSpan,
                initializer, List.copyOf(entries)));
    }

    private static boolean isObjectNameSyntax(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Lexer.isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private Optional<SymposEntry> symposEntry(int from, int to) {
        Span entrySpan = new Span(starts[from], ends[to - 1]);
        if (!(kinds[from] == Lexer.IDENT && tokenText(from).equals("KLP_SYMPOS") && from + 1 < to && isPunct(from + 1, '(')
                && groupEnd(from + 1) == to)) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX,
                    "expected KLP_SYMPOS(symbol, pos) in a KLP_MODULE_RELOC array", entrySpan));
            return Optional.empty();
        }
        List<int[]> args = split(from + 2, closer(from + 1));
        int[] symbolArg = args.get(0);
        if (symbolArg[0] >= symbolArg[1]) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX, "KLP_SYMPOS needs a symbol", entrySpan));
            return Optional.empty();
        }
        String symbol = rangeText(symbolArg);
        Span symbolSpan = rangeSpan(symbolArg[0], symbolArg[1], from + 1);
        if (args.size() > 2) {
            problems.add(new ScanProblem(ProblemKind.MODULE_RELOC_ENTRY_SYNTAX,
                    "KLP_SYMPOS takes two arguments: a symbol and a position", entrySpan));
        }
        if (args.size() < 2 || args.get(1)[0] >= args.get(1)[1]) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "KLP_SYMPOS(" + symbol + ") has no position", entrySpan));
            return Optional.of(new SymposEntry(symbol, symbolSpan, OptionalInt.empty(), Optional.empty(), entrySpan));
        }
        int[] posArg = args.get(1);
        Span posSpan = rangeSpan(posArg[0], posArg[1], from + 1);
        OptionalInt pos = integerLiteral(posArg[0], posArg[1]);
        if (pos.isEmpty()) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER,
                    "position '" + posSpan.textOf(text) + "' of " + symbol + " is not a non-negative integer", posSpan));
        }
        return Optional.of(new SymposEntry(symbol, symbolSpan, pos, Optional.of(posSpan), entrySpan));
    }

    Optional<RelocSymbol> relocSymbol(Declarator declarator, String name, Span nameSpan) {
        if (declarator.relocMacroToken >= 0) {
            return relocMacro(declarator.relocMacroToken, name, nameSpan);
        }
        if (declarator.asmLabel != null && declarator.asmLabel.label().startsWith(".klp.sym.")) {
            return relocLabel(declarator.asmLabel, name, nameSpan);
        }
        return Optional.empty();
    }

    private Optional<RelocSymbol> relocMacro(int macroToken, String name, Span nameSpan) {
        boolean withPos = tokenText(macroToken).equals("KLP_RELOC_SYMBOL_POS");
        int open = macroToken + 1;
        int close = closer(open);
        Span span = new Span(starts[macroToken], close < n ? ends[close] : text.length());
        List<int[]> args = split(open + 1, close);
        int expected = withPos ? 4 : 3;
        if (args.size() != expected) {
            problems.add(new ScanProblem(ProblemKind.RELOC_SYMBOL_ARGUMENTS, tokenText(macroToken) + " takes " + expected
                    + " arguments (" + (withPos ? "lp_obj, sym_obj, name, pos" : "lp_obj, sym_obj, name") + "), found "
                    + args.size(), span));
            if (args.size() < 3) {
                return Optional.empty();
            }
        }
        for (int a = 0; a < 3; a++) {
            int[] arg = args.get(a);
            if (!(arg[1] - arg[0] >= 1 && isObjectOrSymbolTokens(arg[0], arg[1]))) {
                problems.add(new ScanProblem(ProblemKind.RELOC_SYMBOL_ARGUMENTS,
                        "argument " + (a + 1) + " of " + tokenText(macroToken) + " must be a bare name",
                        rangeSpan(arg[0], arg[1], open)));
            }
        }
        OptionalInt pos = OptionalInt.of(0);
        Optional<Span> posSpan = Optional.empty();
        if (withPos && args.size() >= 4) {
            int[] posArg = args.get(3);
            posSpan = Optional.of(rangeSpan(posArg[0], posArg[1], open));
            pos = integerLiteral(posArg[0], posArg[1]);
            if (posArg[0] >= posArg[1]) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "KLP_RELOC_SYMBOL_POS has no position", span));
            } else if (pos.isEmpty()) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER,
                        "position '" + posSpan.get().textOf(text) + "' is not a non-negative integer", posSpan.get()));
            }
        } else if (withPos) {
            pos = OptionalInt.empty();
        }
        Span lpSpan = rangeSpan(args.get(0)[0], args.get(0)[1], open);
        Span objSpan = rangeSpan(args.get(1)[0], args.get(1)[1], open);
        Span symSpan = rangeSpan(args.get(2)[0], args.get(2)[1], open);
        return Optional.of(new RelocSymbol(withPos ? RelocSymbol.Form.MACRO_POS : RelocSymbol.Form.MACRO, name, nameSpan,
                Optional.of(lpSpan.textOf(text)), Optional.of(lpSpan), objSpan.textOf(text), objSpan, symSpan.textOf(text),
                symSpan, pos, posSpan, span));
    }

    /** Tokens that stringify to a name: identifiers, numbers, '-' and '.' written without spaces. */
    private boolean isObjectOrSymbolTokens(int from, int to) {
        for (int i = from; i < to; i++) {
            boolean nameish = kinds[i] == Lexer.IDENT || kinds[i] == Lexer.NUMBER || isPunct(i, '-') || isPunct(i, '.');
            if (!nameish || (i > from && starts[i] != ends[i - 1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a label such as {@code .klp.sym.rela.lp.mod.foo.isra.0.2} (dot form), {@code .klp.sym.rela.lp.mod.foo,2}
     * (comma form) or the kernel's {@code .klp.sym.mod.foo,2}; the fields are {@link KlpNames#split}'s.
     */
    private Optional<RelocSymbol> relocLabel(AsmLabel label, String name, Span nameSpan) {
        String value = label.label();
        KlpNames.Split split = KlpNames.split(value);
        if (split.fields().isEmpty()) {
            return malformedLabel(label, split.problem().orElse("is malformed"));
        }
        KlpNames.Fields fields = split.fields().get();
        LabelOffsets offsets = labelOffsets(label);
        RelocSymbol.Form form = switch (fields.form()) {
            case KLP_SYM -> RelocSymbol.Form.LABEL_KLP_SYM;
            case MINIMAL_COMMA -> RelocSymbol.Form.LABEL_COMMA;
            case MINIMAL_DOT -> RelocSymbol.Form.LABEL_DOT;
        };
        Optional<Span> lpSpan = fields.lpStart() < 0 ? Optional.empty()
                : Optional.of(offsets.span(fields.lpStart(), fields.lpEnd()));
        OptionalInt pos = OptionalInt.empty();
        Optional<Span> posSpan = Optional.empty();
        if (fields.posStart() < 0) {
            problems.add(new ScanProblem(ProblemKind.SYMPOS_MISSING, "label '" + value + "' has no position ("
                    + (fields.lpStart() >= 0 ? "'.<pos>' or ',<pos>'" : "',<pos>'") + " at the end)",
                    label.contentSpan()));
        } else {
            String posText = fields.pos(value).orElseThrow();
            posSpan = Optional.of(offsets.span(fields.posStart(), value.length()));
            pos = sympos(posText);
            if (pos.isEmpty()) {
                problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER, "position '" + posText + "' in label '"
                        + value + "' is not a decimal number", posSpan.get()));
            }
        }
        return Optional.of(new RelocSymbol(form, name, nameSpan, fields.lpObject(value), lpSpan, fields.object(value),
                offsets.span(fields.objectStart(), fields.objectEnd()), fields.name(value),
                offsets.span(fields.nameStart(), fields.nameEnd()), pos, posSpan, label.span()));
    }

    private Optional<RelocSymbol> malformedLabel(AsmLabel label, String what) {
        problems.add(new ScanProblem(ProblemKind.RELOC_LABEL_MALFORMED, "label '" + label.label() + "' " + what,
                label.contentSpan()));
        return Optional.empty();
    }

    /** Maps label character indexes to source offsets (exact for one escape-free literal, else the literal span). */
    private record LabelOffsets(int contentStart, boolean exact, Span whole) {
        Span span(int from, int to) {
            return exact ? new Span(contentStart + from, contentStart + to) : whole;
        }
    }

    private LabelOffsets labelOffsets(AsmLabel label) {
        Span content = label.contentSpan();
        boolean exact = content.length() == label.label().length()
                && text.regionMatches(content.start(), label.label(), 0, label.label().length());
        return new LabelOffsets(content.start(), exact, content);
    }

    /** A position as the kernel's {@code %lu} reads it (KlpNames' one parser), when it fits an int. */
    private static OptionalInt sympos(String digits) {
        OptionalLong value = KlpNames.parseSympos(digits);
        return value.isPresent() && value.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) value.getAsLong())
                : OptionalInt.empty();
    }
}
