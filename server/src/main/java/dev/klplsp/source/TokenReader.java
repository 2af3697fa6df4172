// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokens of one scan and what every reader of them needs: matched brackets, commas at the top level,
 * spans, literals and asm labels. {@link Parser} (declarations), {@link AnnotationParser} (klp annotations) and
 * {@link KlpStructParser} (klp structures) read the same arrays; brackets are matched once, by the parser.
 */
abstract class TokenReader {
    final String text;
    final byte[] kinds;
    final int[] starts;
    final int[] ends;
    final int n;
    final int[] match;
    final List<ScanProblem> problems;

    TokenReader(String text, Lexer lexer, List<ScanProblem> problems) {
        this.text = text;
        this.kinds = lexer.kinds;
        this.starts = lexer.starts;
        this.ends = lexer.ends;
        this.n = lexer.count;
        this.match = new int[n];
        this.problems = problems;
    }

    /** A reader of the same tokens (the arrays are shared, not copied). */
    TokenReader(TokenReader shared) {
        this.text = shared.text;
        this.kinds = shared.kinds;
        this.starts = shared.starts;
        this.ends = shared.ends;
        this.n = shared.n;
        this.match = shared.match;
        this.problems = shared.problems;
    }

    /** Words that are never a use of a symbol. */
    static final Set<String> KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue",
            "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
            "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
            "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Alignof", "_Alignas",
            "_Atomic", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local", "asm", "__asm", "__asm__",
            "__attribute__", "__attribute", "typeof", "__typeof__", "__typeof", "__extension__", "__volatile__",
            "__inline", "__inline__", "__restrict", "__const", "__signed__", "__alignof__", "bool", "true", "false",
            "NULL");

    static final int MAX_BRACKET_PROBLEMS = 20;
    static final int MAX_BRACKET_SEARCH = 256;

    void matchBrackets() {
        int[] stack = new int[64];
        int depth = 0;
        int reported = 0;
        for (int i = 0; i < n; i++) {
            match[i] = -1;
            if (kinds[i] != Lexer.PUNCT || ends[i] - starts[i] != 1) {
                continue;
            }
            char c = text.charAt(starts[i]);
            if (c == '(' || c == '[' || c == '{') {
                if (depth == stack.length) {
                    stack = Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = i;
            } else if (c == ')' || c == ']' || c == '}') {
                char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                // Look only a bounded way down the stack, so garbage like "((((...}}}}" stays linear.
                int k = depth - 1;
                int floor = Math.max(-1, depth - 1 - MAX_BRACKET_SEARCH);
                while (k > floor && text.charAt(starts[stack[k]]) != open) {
                    k--;
                }
                if (k == floor) {
                    k = -1;
                }
                if (k < 0) {
                    if (reported++ < MAX_BRACKET_PROBLEMS) {
                        problems.add(new ScanProblem(ProblemKind.UNBALANCED_BRACKET, "'" + c + "' has no opening '" + open + "'",
                                new Span(starts[i], ends[i])));
                    }
                    continue;
                }
                for (int m = depth - 1; m > k; m--) {
                    if (reported++ < MAX_BRACKET_PROBLEMS) {
                        reportUnclosed(stack[m]);
                    }
                }
                match[stack[k]] = i;
                match[i] = stack[k];
                depth = k;
            }
        }
        for (int m = depth - 1; m >= 0; m--) {
            if (reported++ < MAX_BRACKET_PROBLEMS) {
                reportUnclosed(stack[m]);
            }
        }
    }

    void reportUnclosed(int token) {
        char c = text.charAt(starts[token]);
        char close = c == '(' ? ')' : c == '[' ? ']' : '}';
        problems.add(new ScanProblem(ProblemKind.UNBALANCED_BRACKET, "'" + c + "' is not closed by '" + close + "'",
                new Span(starts[token], ends[token])));
    }

    /** Index just after the group opened at {@code open}; an unclosed group runs to the end. */
    int groupEnd(int open) {
        return match[open] > open ? match[open] + 1 : n;
    }

    /** Index of the closer of the group opened at {@code open}, or {@code n} when unclosed. */
    int closer(int open) {
        return match[open] > open ? match[open] : n;
    }

    boolean containsWord(int from, int to, String word, String alternative) {
        for (int i = from; i < Math.min(to, n); i++) {
            if (kinds[i] == Lexer.IDENT && (tokenText(i).equals(word) || tokenText(i).equals(alternative))) {
                return true;
            }
        }
        return false;
    }

    /** The label of {@code asm("...")} at token {@code asmToken}, when its parentheses hold only string literals. */
    Optional<AsmLabel> asmLabel(int asmToken) {
        int open = asmToken + 1;
        int close = closer(open);
        if (close <= open + 1) {
            return Optional.empty();
        }
        StringBuilder label = new StringBuilder();
        for (int i = open + 1; i < close; i++) {
            if (kinds[i] != Lexer.STRING || text.charAt(starts[i]) != '"') {
                return Optional.empty();
            }
            label.append(decodeString(i));
        }
        Span contentSpan;
        boolean single = close == open + 2;
        int first = open + 1;
        if (single && isPlainLiteral(first)) {
            contentSpan = new Span(starts[first] + 1, ends[first] - 1);
        } else {
            contentSpan = new Span(starts[first], ends[close - 1]);
        }
        Span span = new Span(starts[asmToken], close < n ? ends[close] : ends[close - 1]);
        return Optional.of(new AsmLabel(label.toString(), contentSpan, span));
    }

    /** Splits tokens {@code [from, to)} at top-level commas; always at least one (maybe empty) range. */
    List<int[]> split(int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int end = Math.min(to, n);
        int partStart = from;
        int i = from;
        while (i < end) {
            if (isPunct(i, ',')) {
                parts.add(new int[] {partStart, i});
                partStart = i + 1;
                i++;
            } else if (isOpener(i)) {
                i = Math.min(groupEnd(i), end);
            } else {
                i++;
            }
        }
        parts.add(new int[] {partStart, Math.max(partStart, end)});
        return parts;
    }

    /** The source span of tokens {@code [from, to)}; an empty range is an empty span after {@code before}. */
    Span rangeSpan(int from, int to, int before) {
        if (from >= to) {
            int anchor = from - 1 >= 0 && from - 1 < n ? from - 1 : before;
            return Span.at(ends[anchor]);
        }
        return new Span(starts[from], ends[to - 1]);
    }

    String rangeText(int[] range) {
        return range[0] >= range[1] ? "" : text.substring(starts[range[0]], ends[range[1] - 1]);
    }

    /** Token indexes {@code [from, to)} covering a span produced from whole tokens. */
    int[] tokensOf(Span span) {
        int from = Arrays.binarySearch(starts, 0, n, span.start());
        if (from < 0) {
            from = -from - 1;
        }
        int to = from;
        while (to < n && ends[to] <= span.end() && starts[to] < span.end()) {
            to++;
        }
        return new int[] {from, Math.max(from, to)};
    }

    /** A C integer literal in tokens {@code [from, to)} (decimal, octal, hex; u/l suffixes) that fits an int. */
    OptionalInt integerLiteral(int from, int to) {
        if (to - from != 1 || kinds[from] != Lexer.NUMBER) {
            return OptionalInt.empty();
        }
        String literal = tokenText(from);
        int end = literal.length();
        while (end > 0 && "uUlL".indexOf(literal.charAt(end - 1)) >= 0) {
            end--;
        }
        String digits = literal.substring(0, end);
        try {
            long value;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                value = Long.parseLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                value = Long.parseLong(digits.substring(1), 8);
            } else {
                value = Long.parseLong(digits);
            }
            return value >= 0 && value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /** Adjacent plain string literals in {@code [from, to)}, concatenated and decoded. */
    Optional<String> stringLiteral(int from, int to) {
        if (from >= to) {
            return Optional.empty();
        }
        StringBuilder value = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (kinds[i] != Lexer.STRING) {
                return Optional.empty();
            }
            value.append(decodeString(i));
        }
        return Optional.of(value.toString());
    }

    boolean isPlainLiteral(int token) {
        int start = starts[token];
        int end = ends[token];
        if (text.charAt(start) != '"' || end - start < 2 || text.charAt(end - 1) != '"') {
            return false;
        }
        int backslash = text.indexOf('\\', start);
        return backslash < 0 || backslash >= end;
    }

    /** Decodes the content of the string literal token (prefix, quotes and common escapes). */
    String decodeString(int token) {
        int i = starts[token];
        int end = ends[token];
        while (i < end && text.charAt(i) != '"') {
            i++; // L, u, U, u8 prefixes
        }
        i++;
        int contentEnd = end > i && text.charAt(end - 1) == '"' ? end - 1 : end;
        StringBuilder out = new StringBuilder(Math.max(0, contentEnd - i));
        while (i < contentEnd) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= contentEnd) {
                out.append(c);
                i++;
                continue;
            }
            char e = text.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = e - '0';
                    int digits = 1;
                    while (digits < 3 && i < contentEnd && text.charAt(i) >= '0' && text.charAt(i) <= '7') {
                        value = value * 8 + text.charAt(i) - '0';
                        i++;
                        digits++;
                    }
                    out.append((char) value);
                }
                case 'x' -> {
                    int value = 0;
                    while (i < contentEnd && Character.digit(text.charAt(i), 16) >= 0) {
                        value = (value * 16 + Character.digit(text.charAt(i), 16)) & 0xFFFF;
                        i++;
                    }
                    out.append((char) value);
                }
                case '\n' -> {
                }
                case '\r' -> {
                    if (i < contentEnd && text.charAt(i) == '\n') {
                        i++;
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    boolean isPunct(int i, char c) {
        return i >= 0 && i < n && kinds[i] == Lexer.PUNCT && ends[i] - starts[i] == 1 && text.charAt(starts[i]) == c;
    }

    boolean isArrow(int i) {
        return kinds[i] == Lexer.PUNCT && ends[i] - starts[i] == 2 && text.charAt(starts[i]) == '-'
                && text.charAt(starts[i] + 1) == '>';
    }

    boolean isOpener(int i) {
        return isPunct(i, '(') || isPunct(i, '[') || isPunct(i, '{');
    }

    boolean isCloser(int i) {
        return isPunct(i, ')') || isPunct(i, ']') || isPunct(i, '}');
    }

    String tokenText(int i) {
        return text.substring(starts[i], ends[i]);
    }

    Span tokenSpan(int i) {
        return new Span(starts[i], ends[i]);
    }
}
