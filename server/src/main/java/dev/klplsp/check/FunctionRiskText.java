// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.List;
import java.util.Optional;

/** The wording of {@code function-symbol-risk}, for the module checks and the editor's source checks alike. */
public final class FunctionRiskText {
    private FunctionRiskText() {
    }

    /**
     * {@code reference to function f in vmlinux (1 extra risk): without -flive-patching the compiler may have
     * inlined, cloned or changed it; the compiler made clones of it (f.isra.0): ...}.
     *
     * @param reasons the extra risks found, each a clause (see {@link #clones})
     */
    public static String message(String name, String object, List<String> reasons) {
        return message(name, object, reasons, Optional.empty());
    }

    /**
     * {@link #message(String, String, List)} followed by a note that is no risk (how to get exact answers,
     * {@link OptimizationText#debugInfoHint}).
     */
    public static String message(String name, String object, List<String> reasons, Optional<String> note) {
        StringBuilder message = new StringBuilder("reference to function ").append(name).append(" in ")
                .append(object);
        count(message, reasons);
        message.append(": without -flive-patching the compiler may have inlined, cloned or changed it");
        reasons.forEach(reason -> message.append("; ").append(reason));
        note.ifPresent(text -> message.append("; ").append(text));
        return message.toString();
    }

    /**
     * What the debug information says instead of what the compiler may have done: {@code reference to function
     * f in vmlinux: its debug information shows f out of line as written (...)}; the extra risks follow.
     *
     * @param fact a clause of {@link OptimizationText} ({@code asWritten}, {@code calledWithCopies}, ...)
     */
    public static String exact(String name, String object, String fact, List<String> reasons) {
        StringBuilder message = new StringBuilder("reference to function ").append(name).append(" in ")
                .append(object);
        count(message, reasons);
        message.append(": ").append(fact);
        reasons.forEach(reason -> message.append("; ").append(reason));
        return message.toString();
    }

    private static void count(StringBuilder message, List<String> reasons) {
        if (!reasons.isEmpty()) {
            message.append(" (").append(reasons.size()).append(" extra risk").append(reasons.size() > 1 ? "s" : "")
                    .append(")");
        }
    }

    /** The clause for compiler clones of the function in its object. */
    public static String clones(List<String> names) {
        return "the compiler made clones of it (" + String.join(", ", names.stream().distinct().limit(4).toList())
                + "): callers may run a clone, and a clone may have a different ABI";
    }
}
