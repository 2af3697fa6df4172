// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import dev.klplsp.elf.KlpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads the klp structures of a livepatch: {@code struct klp_func} arrays and {@code struct klp_object}s. */
final class KlpStructParser extends TokenReader {
    final List<PendingFunc> pendingFuncs = new ArrayList<>();
    final List<KlpObject> klpObjects = new ArrayList<>();

    KlpStructParser(TokenReader shared) {
        super(shared);
    }

    record PendingFunc(String arrayName, Optional<String> oldName, Optional<Span> oldNameSpan,
            Optional<String> newFunc, Optional<Span> newFuncSpan, OptionalInt oldSympos, Optional<Span> oldSymposSpan,
            Span symposInsertion, List<DesignatedField> fields, Span span) {
    }

    void klpFuncs(String arrayName, Declarator declarator) {
        if (!isPunct(declarator.initStart, '{')) {
            return;
        }
        int brace = declarator.initStart;
        for (int[] element : split(brace + 1, closer(brace))) {
            if (element[0] >= element[1] || !isPunct(element[0], '{')) {
                continue;
            }
            List<DesignatedField> fields = fields(element[0]);
            int elementClose = closer(element[0]);
            if (fields.isEmpty()) {
                // The { } terminator, or positional initializers, where adding a designated field would
                // shift the positional ones: not reported.
                continue;
            }
            Optional<String> oldName = Optional.empty();
            Optional<Span> oldNameSpan = Optional.empty();
            Optional<String> newFunc = Optional.empty();
            Optional<Span> newFuncSpan = Optional.empty();
            OptionalInt oldSympos = OptionalInt.empty();
            Optional<Span> oldSymposSpan = Optional.empty();
            for (DesignatedField field : fields) {
                int[] value = tokensOf(field.valueSpan());
                switch (field.name()) {
                    case "old_name" -> {
                        Optional<String> literal = stringLiteral(value[0], value[1]);
                        if (literal.isPresent()) {
                            oldName = literal;
                            oldNameSpan = Optional.of(value[1] - value[0] == 1 && isPlainLiteral(value[0])
                                    ? new Span(starts[value[0]] + 1, ends[value[0]] - 1)
                                    : field.valueSpan());
                        }
                    }
                    case "new_func" -> {
                        for (int t = value[0]; t < value[1]; t++) {
                            if (kinds[t] == Lexer.IDENT && !KEYWORDS.contains(tokenText(t))) {
                                newFunc = Optional.of(tokenText(t));
                                newFuncSpan = Optional.of(tokenSpan(t));
                                break;
                            }
                        }
                    }
                    case "old_sympos" -> {
                        oldSymposSpan = Optional.of(field.valueSpan());
                        oldSympos = integerLiteral(value[0], value[1]);
                        if (oldSympos.isEmpty()) {
                            problems.add(new ScanProblem(ProblemKind.SYMPOS_NOT_A_NUMBER, "old_sympos '"
                                    + field.valueSpan().textOf(text) + "' is not a non-negative integer", field.valueSpan()));
                        }
                    }
                    default -> {
                    }
                }
            }
            int insertion;
            if (fields.isEmpty()) {
                insertion = ends[element[0]];
            } else {
                int afterLast = tokensOf(fields.get(fields.size() - 1).span())[1];
                insertion = afterLast < elementClose && isPunct(afterLast, ',') ? ends[afterLast]
                        : fields.get(fields.size() - 1).span().end();
            }
            Span span = new Span(starts[element[0]], elementClose < n ? ends[elementClose] : text.length());
            pendingFuncs.add(new PendingFunc(arrayName, oldName, oldNameSpan, newFunc, newFuncSpan, oldSympos,
                    oldSymposSpan, Span.at(insertion), List.copyOf(fields), span));
        }
    }

    void klpObjects(String variableName, Declarator declarator) {
        if (!isPunct(declarator.initStart, '{')) {
            return;
        }
        int brace = declarator.initStart;
        List<int[]> elements = new ArrayList<>();
        if (declarator.isArray) {
            elements.addAll(split(brace + 1, closer(brace)));
        } else {
            elements.add(new int[] {brace, groupEnd(brace)});
        }
        for (int[] element : elements) {
            if (element[0] >= element[1] || !isPunct(element[0], '{')) {
                continue;
            }
            List<DesignatedField> fields = fields(element[0]);
            if (fields.isEmpty()) {
                continue;
            }
            String objectName = KlpNames.VMLINUX;
            boolean vmlinux = true;
            Optional<Span> nameSpan = Optional.empty();
            Optional<String> funcs = Optional.empty();
            Optional<Span> funcsSpan = Optional.empty();
            for (DesignatedField field : fields) {
                int[] value = tokensOf(field.valueSpan());
                if (field.name().equals("name")) {
                    Optional<String> literal = stringLiteral(value[0], value[1]);
                    if (literal.isPresent()) {
                        objectName = literal.get();
                        vmlinux = false;
                        nameSpan = Optional.of(value[1] - value[0] == 1 && isPlainLiteral(value[0])
                                ? new Span(starts[value[0]] + 1, ends[value[0]] - 1)
                                : field.valueSpan());
                    } else if (!(value[1] - value[0] == 1 && tokenText(value[0]).equals("NULL")) && value[1] > value[0]) {
                        objectName = field.valueSpan().textOf(text);
                        vmlinux = false;
                    }
                } else if (field.name().equals("funcs")) {
                    for (int t = value[0]; t < value[1]; t++) {
                        if (kinds[t] == Lexer.IDENT) {
                            funcs = Optional.of(tokenText(t));
                            funcsSpan = Optional.of(tokenSpan(t));
                            break;
                        }
                    }
                }
            }
            int elementClose = closer(element[0]);
            Span span = new Span(starts[element[0]], elementClose < n ? ends[elementClose] : text.length());
            klpObjects.add(new KlpObject(variableName, objectName, vmlinux, nameSpan, funcs, funcsSpan, span));
        }
    }

    /** The {@code .name = value} fields directly inside the braces opened at {@code brace}. */
    private List<DesignatedField> fields(int brace) {
        List<DesignatedField> fields = new ArrayList<>();
        for (int[] item : split(brace + 1, closer(brace))) {
            int a = item[0];
            if (item[1] - a >= 3 && isPunct(a, '.') && kinds[a + 1] == Lexer.IDENT && isPunct(a + 2, '=')) {
                Span valueSpan = item[1] > a + 3 ? new Span(starts[a + 3], ends[item[1] - 1]) : Span.at(ends[a + 2]);
                fields.add(new DesignatedField(tokenText(a + 1), tokenSpan(a + 1), valueSpan,
                        new Span(starts[a], valueSpan.end())));
            }
        }
        return fields;
    }
}
