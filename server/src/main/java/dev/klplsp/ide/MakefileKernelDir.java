// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel build directory an out-of-tree module's Makefile or Kbuild builds against, read the way a newcomer
 * would: the {@code -C} of its kernel make call (the one naming the module with {@code M=} or {@code SUBDIRS=}:
 * {@code $(MAKE) -C $(KDIR) M=$(PWD) modules}), else its {@code KDIR}, {@code KERNELDIR}, {@code KERNEL_DIR} or
 * {@code KSRC} variable. Only what make would expand without running anything is
 * expanded: variables set in the file, {@code $(PWD)}, {@code $(CURDIR)}, {@code $(src)} and {@code $(M)} (the
 * module's directory), {@code $(shell uname -r)} (the running release) and {@code $(abspath ...)},
 * {@code $(realpath ...)}, {@code $(strip ...)}; anything else leaves the directory unresolved. Conditionals
 * are not evaluated: the last assignment wins, {@code ?=} only when nothing set the variable before.
 *
 * <p>Tolerant: any text gives a result, never an exception; expansion is bounded in depth and length.
 */
final class MakefileKernelDir {
    /** What the file says. */
    sealed interface Result {
    }

    /** It names no kernel directory. */
    record None() implements Result {
    }

    /**
     * It names one: {@code directory} expanded, {@code written} as in the file, on 1-based {@code line}.
     */
    record Found(String directory, String written, int line) implements Result {
    }

    /** It names one that cannot be expanded without running make. */
    record Unresolved(String written, int line, String why) implements Result {
    }

    private static final int MAX_DEPTH = 16;
    private static final int MAX_LENGTH = 4096;
    private static final int MAX_REFERENCES = 10_000;
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(?:(?:export|override)\\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\\s*(\\?=|::=|:=|\\+=|!=|=)\\s*(.*)$");
    /** {@code -C DIR}, {@code -CDIR} or {@code --directory=DIR} of a make call; DIR is read by {@link #word}. */
    private static final Pattern DIRECTORY_OPTION = Pattern.compile("(?:^|\\s)(?:-C\\s*|--directory=)(?=\\S)");
    private static final Pattern MAKE_CALL = Pattern.compile("\\$[({]MAKE[)}]|(?:^|[\\s;&|(])make(?:\\s|$)");
    /** A kernel make call builds an external module: M= (or SUBDIRS= before 5.3) names it. */
    private static final Pattern EXTERNAL_MODULE = Pattern.compile("(?:^|\\s)(?:M|SUBDIRS)=");
    private static final String UNSET_BY_SHELL = "\u0000shell";

    private MakefileKernelDir() {
    }

    /**
     * @param text           the Makefile or Kbuild
     * @param moduleDir      what {@code $(PWD)}, {@code $(CURDIR)}, {@code $(src)} and {@code $(M)} expand to
     * @param runningRelease what {@code $(shell uname -r)} expands to; empty leaves it unresolved
     */
    static Result find(String text, String moduleDir, Optional<String> runningRelease) {
        Map<String, String> variables = new HashMap<>();
        Candidate makeCall = null;
        String[] lines = text.split("\r?\n", -1);
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            StringBuilder logical = new StringBuilder(lines[index]);
            while (endsWithContinuation(logical) && index + 1 < lines.length && logical.length() < MAX_LENGTH) {
                logical.setLength(logical.length() - 1);
                logical.append(' ').append(lines[++index].strip());
            }
            String line = logical.toString();
            boolean recipe = line.startsWith("\t");
            String code = stripComment(line).strip();
            if (code.isEmpty()) {
                continue;
            }
            Matcher assignment = recipe ? null : ASSIGNMENT.matcher(code);
            if (assignment != null && assignment.matches()) {
                assign(variables, assignment.group(1), assignment.group(2), assignment.group(3).strip());
                continue;
            }
            if (!MAKE_CALL.matcher(code).find()) {
                continue;
            }
            // Only a kernel make call: a plain "$(MAKE) -C subdir" recursion names no kernel.
            Matcher option = DIRECTORY_OPTION.matcher(code);
            if (makeCall == null && EXTERNAL_MODULE.matcher(code).find() && option.find()) {
                makeCall = new Candidate(word(code, option.end()), lineNumber);
            }
        }
        Candidate chosen = makeCall;
        if (chosen == null) {
            for (String name : new String[] {"KDIR", "KERNELDIR", "KERNEL_DIR", "KSRC"}) {
                if (variables.containsKey(name)) {
                    chosen = new Candidate("$(" + name + ")", 0);
                    break;
                }
            }
        }
        if (chosen == null) {
            return new None();
        }
        Map<String, String> builtins = new HashMap<>();
        for (String name : new String[] {"PWD", "CURDIR", "src", "M"}) {
            builtins.put(name, moduleDir);
        }
        Expander expander = new Expander(variables, builtins, runningRelease);
        try {
            String directory = expander.expand(chosen.written, 0).strip();
            if (directory.isEmpty()) {
                return new Unresolved(chosen.written, chosen.line, "it expands to nothing");
            }
            return new Found(directory, chosen.written, chosen.line);
        } catch (UnresolvedException e) {
            return new Unresolved(chosen.written, chosen.line, e.getMessage());
        }
    }

    private record Candidate(String written, int line) {
    }

    /** The make word at {@code start}: up to a blank outside parentheses ({@code $(shell a b)} is one word). */
    private static String word(String text, int start) {
        int level = 0;
        int end = start;
        for (; end < text.length(); end++) {
            char c = text.charAt(end);
            if (c == '(' || c == '{') {
                level++;
            } else if ((c == ')' || c == '}') && level > 0) {
                level--;
            } else if (Character.isWhitespace(c) && level == 0) {
                break;
            }
        }
        return text.substring(start, end);
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) != '\\')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static void assign(Map<String, String> variables, String name, String operator, String value) {
        switch (operator) {
            case "?=" -> variables.putIfAbsent(name, value);
            case "+=" -> variables.merge(name, value, (old, added) -> old.length() > MAX_LENGTH ? old
                    : old + " " + added);
            case "!=" -> variables.put(name, UNSET_BY_SHELL);
            default -> variables.put(name, value);
        }
    }

    /** Thrown inside the expander only; {@link #find} turns it into {@link Unresolved}. */
    private static final class UnresolvedException extends Exception {
        UnresolvedException(String why) {
            super(why, null, false, false);
        }
    }

    private static final class Expander {
        private final Map<String, String> variables;
        private final Map<String, String> builtins;
        private final Optional<String> runningRelease;
        /** References left to expand: many references to empty variables would otherwise multiply per level. */
        private int budget = MAX_REFERENCES;

        Expander(Map<String, String> variables, Map<String, String> builtins, Optional<String> runningRelease) {
            this.variables = variables;
            this.builtins = builtins;
            this.runningRelease = runningRelease;
        }

        String expand(String text, int depth) throws UnresolvedException {
            if (depth > MAX_DEPTH) {
                throw new UnresolvedException("its variables refer to each other too deeply");
            }
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c != '$' || i + 1 >= text.length()) {
                    out.append(c);
                    i++;
                } else {
                    char next = text.charAt(i + 1);
                    if (next == '$') {
                        out.append('$');
                        i += 2;
                    } else if (next == '(' || next == '{') {
                        int end = closing(text, i + 1);
                        if (end < 0) {
                            throw new UnresolvedException("an unclosed " + next + " in " + text);
                        }
                        out.append(reference(text.substring(i + 2, end), depth));
                        i = end + 1;
                    } else {
                        out.append(reference(String.valueOf(next), depth));
                        i += 2;
                    }
                }
                if (out.length() > MAX_LENGTH) {
                    throw new UnresolvedException("it expands to more than " + MAX_LENGTH + " characters");
                }
            }
            return out.toString();
        }

        private String reference(String inner, int depth) throws UnresolvedException {
            if (--budget < 0) {
                throw new UnresolvedException("it takes more than " + MAX_REFERENCES + " variable references");
            }
            String name = inner.strip();
            if (name.replaceAll("\\s+", " ").equals("shell uname -r")) {
                return runningRelease.orElseThrow(() -> new UnresolvedException(
                        "$(shell uname -r) needs the running release, which is unknown"));
            }
            int space = name.indexOf(' ');
            if (space > 0) {
                String function = name.substring(0, space);
                if (function.equals("abspath") || function.equals("realpath") || function.equals("strip")) {
                    return expand(name.substring(space + 1), depth + 1).strip();
                }
                throw new UnresolvedException("$(" + abbreviate(name) + ") would need make to run");
            }
            if (builtins.containsKey(name) && !variables.containsKey(name)) {
                return builtins.get(name);
            }
            String value = variables.get(name);
            if (value == null) {
                throw new UnresolvedException("$(" + abbreviate(name) + ") is not set in the file");
            }
            if (value.equals(UNSET_BY_SHELL)) {
                throw new UnresolvedException("$(" + abbreviate(name) + ") is the output of a shell command");
            }
            return expand(value, depth + 1);
        }

        /** The index of the parenthesis or brace closing the one at {@code open}, or -1. */
        private static int closing(String text, int open) {
            char opening = text.charAt(open);
            char closing = opening == '(' ? ')' : '}';
            int level = 0;
            for (int i = open; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == opening) {
                    level++;
                } else if (c == closing && --level == 0) {
                    return i;
                }
            }
            return -1;
        }

        private static String abbreviate(String text) {
            return text.length() <= 40 ? text : text.substring(0, 40) + "…";
        }
    }
}
