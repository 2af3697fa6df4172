// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits C text into tokens of active code, handling comments, literals, line continuations,
 * preprocessor lines and {@code #if 0} blocks. Tokens live in parallel int arrays (no object per token)
 * because the LSP rescans on every keystroke.
 *
 * <p>Conditionals: {@code #if 0} (and an {@code #elif 0}) is inactive, so is an {@code #else} after a
 * branch that was {@code #if 1}. Every other condition is unknown and treated as active, so both
 * branches of an {@code #ifdef X ... #else ... #endif} are scanned.
 */
final class Lexer {
    static final byte IDENT = 1;
    static final byte NUMBER = 2;
    static final byte STRING = 3;
    static final byte CHAR = 4;
    static final byte PUNCT = 5;

    private static final int FALSE = 0;
    private static final int TRUE = 1;
    private static final int UNKNOWN = 2;

    private final String text;
    private final int length;

    byte[] kinds = new byte[256];
    int[] starts = new int[256];
    int[] ends = new int[256];
    int count;

    final List<MacroDefinition> macros = new ArrayList<>();
    final List<IncludeDirective> includes = new ArrayList<>();
    final List<Span> inactiveRegions = new ArrayList<>();
    final List<ScanProblem> problems = new ArrayList<>();

    /** Conditional stack: whether the enclosing region is active, whether this branch is, whether a branch was definitely true. */
    private boolean[] condParentActive = new boolean[8];
    private boolean[] condSawTrue = new boolean[8];
    private int[] condStart = new int[8];
    private int condDepth;
    private boolean active = true;
    private int inactiveStart = -1;

    Lexer(String text) {
        this.text = text;
        this.length = text.length();
    }

    void run() {
        int pos = 0;
        boolean lineStart = true;
        while (pos < length) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                lineStart = true;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B || c == '\uFEFF') {
                pos++; // a byte order mark counts as a blank, so a first-line #include stays a directive
                continue;
            }
            if (c == '\\') {
                int after = continuationEnd(pos);
                if (after > pos) {
                    pos = after;
                    continue;
                }
            }
            if (c == '/' && pos + 1 < length) {
                char next = text.charAt(pos + 1);
                if (next == '/') {
                    pos = skipLineComment(pos);
                    continue;
                }
                if (next == '*') {
                    pos = skipBlockComment(pos, active);
                    continue;
                }
            }
            if (c == '#' && lineStart) {
                pos = directive(pos);
                continue;
            }
            lineStart = false;
            int start = pos;
            byte kind;
            if (isIdentStart(c)) {
                pos = identEnd(pos);
                kind = IDENT;
                if (pos < length && (text.charAt(pos) == '"' || text.charAt(pos) == '\'') && isLiteralPrefix(start, pos)) {
                    char quote = text.charAt(pos);
                    pos = literalEnd(pos, quote, active);
                    kind = quote == '"' ? STRING : CHAR;
                }
            } else if (isDigit(c) || (c == '.' && pos + 1 < length && isDigit(text.charAt(pos + 1)))) {
                pos = numberEnd(pos);
                kind = NUMBER;
            } else if (c == '"' || c == '\'') {
                pos = literalEnd(pos, c, active);
                kind = c == '"' ? STRING : CHAR;
            } else {
                pos = punctEnd(pos);
                kind = PUNCT;
            }
            if (active) {
                add(kind, start, pos);
            }
        }
        if (!active && inactiveStart >= 0) {
            inactiveRegions.add(new Span(inactiveStart, length));
        }
        // Innermost first; a file of thousands of open #ifs reports only the first few.
        for (int i = condDepth - 1; i >= Math.max(0, condDepth - 20); i--) {
            int start = condStart[i];
            problems.add(new ScanProblem(ProblemKind.UNTERMINATED_CONDITIONAL, "#if without #endif",
                    new Span(start, lineEnd(start))));
        }
    }

    private void add(byte kind, int start, int end) {
        if (count == kinds.length) {
            int capacity = count * 2;
            kinds = Arrays.copyOf(kinds, capacity);
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
        }
        kinds[count] = kind;
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** If a backslash-newline starts at {@code pos}, the offset after it; else {@code pos}. */
    private int continuationEnd(int pos) {
        int i = pos + 1;
        // gcc accepts trailing blanks between the backslash and the newline (with a warning).
        while (i < length && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i < length && text.charAt(i) == '\r') {
            i++;
            if (i < length && text.charAt(i) == '\n') {
                i++;
            }
            return i;
        }
        if (i < length && text.charAt(i) == '\n') {
            return i + 1;
        }
        return pos;
    }

    /** Skips a // comment up to (not including) its newline; a backslash-newline continues it. */
    private int skipLineComment(int pos) {
        int i = pos + 2;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\\') {
                int after = continuationEnd(i);
                if (after > i) {
                    i = after;
                    continue;
                }
            }
            if (c == '\n' || c == '\r') {
                return i;
            }
            i++;
        }
        return length;
    }

    private int skipBlockComment(int pos, boolean report) {
        int close = text.indexOf("*/", pos + 2);
        if (close < 0) {
            if (report) {
                problems.add(new ScanProblem(ProblemKind.UNTERMINATED_COMMENT, "comment is not closed",
                        new Span(pos, Math.min(length, pos + 2))));
            }
            return length;
        }
        return close + 2;
    }

    /** End of a string or char literal starting at the quote; an unterminated one ends at its line's end. */
    private int literalEnd(int quotePos, char quote, boolean report) {
        int i = quotePos + 1;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\\') {
                int after = continuationEnd(i);
                i = after > i ? after : i + 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            if (c == '\n' || c == '\r') {
                break;
            }
            i++;
        }
        i = Math.min(i, length);
        if (report) {
            problems.add(new ScanProblem(ProblemKind.UNTERMINATED_LITERAL,
                    (quote == '"' ? "string" : "character") + " literal is not closed", new Span(quotePos, i)));
        }
        return i;
    }

    private boolean isLiteralPrefix(int start, int end) {
        int len = end - start;
        if (len == 1) {
            char c = text.charAt(start);
            return c == 'L' || c == 'u' || c == 'U';
        }
        return len == 2 && text.charAt(start) == 'u' && text.charAt(start + 1) == '8';
    }

    private int identEnd(int pos) {
        int i = pos + 1;
        while (i < length && isIdentPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A C preprocessing number: digits, letters, '_', '.', and signs after e/E/p/P. */
    private int numberEnd(int pos) {
        int i = pos + 1;
        while (i < length) {
            char c = text.charAt(i);
            if ((c == '+' || c == '-') && isExponent(text.charAt(i - 1))) {
                i++;
            } else if (isIdentPart(c) || c == '.') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isExponent(char c) {
        return c == 'e' || c == 'E' || c == 'p' || c == 'P';
    }

    private int punctEnd(int pos) {
        char c = text.charAt(pos);
        char next = pos + 1 < length ? text.charAt(pos + 1) : 0;
        if (c == '-' && next == '>') {
            return pos + 2;
        }
        if (c == '#' && next == '#') {
            return pos + 2;
        }
        if (c == '.' && next == '.' && pos + 2 < length && text.charAt(pos + 2) == '.') {
            return pos + 3;
        }
        if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
            return pos + 2;
        }
        return pos + 1;
    }

    /** Handles one preprocessor line starting at '#'; returns the offset of its terminating newline. */
    private int directive(int hashPos) {
        int i = skipDirectiveBlanks(hashPos + 1);
        int nameStart = i;
        if (i < length && isIdentStart(text.charAt(i))) {
            i = identEnd(i);
        }
        String name = text.substring(nameStart, i);
        int end = directiveEnd(i);
        switch (name) {
            case "if" -> pushConditional(hashPos, end, evaluate(i, end));
            case "ifdef", "ifndef" -> pushConditional(hashPos, end, UNKNOWN);
            case "elif" -> elseBranch(hashPos, end, evaluate(i, end), "#elif");
            case "else" -> elseBranch(hashPos, end, UNKNOWN, "#else");
            case "endif" -> popConditional(hashPos, end);
            case "define" -> {
                if (active) {
                    int macroStart = skipDirectiveBlanks(i);
                    if (macroStart < end && isIdentStart(text.charAt(macroStart))) {
                        int macroEnd = identEnd(macroStart);
                        macros.add(new MacroDefinition(text.substring(macroStart, macroEnd),
                                new Span(macroStart, macroEnd), new Span(hashPos, end)));
                    }
                }
            }
            case "include" -> {
                if (active) {
                    include(i, end, hashPos);
                }
            }
            default -> {
                // #undef, #pragma, #error, line markers: nothing to record.
            }
        }
        return end;
    }

    /** Records {@code #include "path"} or {@code <path>}; a computed include (a macro) is not recorded. */
    private void include(int from, int end, int hashPos) {
        int open = skipDirectiveBlanks(from);
        if (open >= end) {
            return;
        }
        char quote = text.charAt(open);
        char close = quote == '<' ? '>' : quote == '"' ? '"' : 0;
        int closeAt = close == 0 ? -1 : text.indexOf(close, open + 1);
        if (closeAt > open && closeAt < end) {
            includes.add(new IncludeDirective(text.substring(open + 1, closeAt), new Span(hashPos, end)));
        }
    }

    private int skipDirectiveBlanks(int pos) {
        int i = pos;
        while (i < length) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B) {
                i++;
            } else if (c == '\\' && continuationEnd(i) > i) {
                i = continuationEnd(i);
            } else if (c == '/' && i + 1 < length && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    return length;
                }
                i = close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /** The offset of the newline ending a directive, honouring continuations, comments and literals. */
    private int directiveEnd(int pos) {
        int i = pos;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
            if (c == '\\') {
                int after = continuationEnd(i);
                i = after > i ? after : i + 1;
                continue;
            }
            if (c == '/' && i + 1 < length) {
                char next = text.charAt(i + 1);
                if (next == '/') {
                    return skipLineComment(i);
                }
                if (next == '*') {
                    i = skipBlockComment(i, active);
                    continue;
                }
            }
            if (c == '"' || c == '\'') {
                // A lone apostrophe in #error text must not swallow the next lines.
                i = literalEnd(i, c, false);
                continue;
            }
            i++;
        }
        return length;
    }

    /** Evaluates an #if condition just far enough: 0 is false, 1 is true, anything else unknown. */
    private int evaluate(int from, int to) {
        StringBuilder condition = new StringBuilder();
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < to && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? to : close + 2;
                condition.append(' ');
                continue;
            }
            if (c == '/' && i + 1 < to && text.charAt(i + 1) == '/') {
                break;
            }
            if (c == '\\' && continuationEnd(i) > i) {
                i = continuationEnd(i);
                continue;
            }
            condition.append(c);
            i++;
        }
        String value = condition.toString().strip();
        while (value.length() >= 2 && value.charAt(0) == '(' && value.charAt(value.length() - 1) == ')') {
            value = value.substring(1, value.length() - 1).strip();
        }
        if (value.equals("0")) {
            return FALSE;
        }
        if (value.equals("1")) {
            return TRUE;
        }
        return UNKNOWN;
    }

    private void pushConditional(int hashPos, int end, int value) {
        if (condDepth == condParentActive.length) {
            condParentActive = Arrays.copyOf(condParentActive, condDepth * 2);
            condSawTrue = Arrays.copyOf(condSawTrue, condDepth * 2);
            condStart = Arrays.copyOf(condStart, condDepth * 2);
        }
        condParentActive[condDepth] = active;
        condSawTrue[condDepth] = value == TRUE;
        condStart[condDepth] = hashPos;
        condDepth++;
        setActive(active && value != FALSE, hashPos, end);
    }

    private void elseBranch(int hashPos, int end, int value, String directive) {
        if (condDepth == 0) {
            problems.add(new ScanProblem(ProblemKind.STRAY_CONDITIONAL, directive + " without #if", new Span(hashPos, end)));
            return;
        }
        int top = condDepth - 1;
        boolean branchActive = condParentActive[top] && !condSawTrue[top] && value != FALSE;
        condSawTrue[top] |= value == TRUE;
        setActive(branchActive, hashPos, end);
    }

    private void popConditional(int hashPos, int end) {
        if (condDepth == 0) {
            problems.add(new ScanProblem(ProblemKind.STRAY_CONDITIONAL, "#endif without #if", new Span(hashPos, end)));
            return;
        }
        condDepth--;
        setActive(condParentActive[condDepth], hashPos, end);
    }

    /** Switches activity at the directive starting at {@code hashPos}; an inactive region runs from the end of its opening directive line. */
    private void setActive(boolean nowActive, int hashPos, int directiveEnd) {
        if (active && !nowActive) {
            inactiveStart = directiveEnd;
        } else if (!active && nowActive) {
            if (inactiveStart >= 0 && inactiveStart <= hashPos) {
                inactiveRegions.add(new Span(inactiveStart, hashPos));
            }
            inactiveStart = -1;
        }
        active = nowActive;
    }

    private int lineEnd(int pos) {
        int i = pos;
        while (i < length && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || (c >= 0x80 && !Character.isWhitespace(c));
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
