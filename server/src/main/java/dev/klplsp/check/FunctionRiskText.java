// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.List;

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
        StringBuilder message = new StringBuilder("reference to function ").append(name).append(" in ")
                .append(object);
        if (!reasons.isEmpty()) {
            message.append(" (").append(reasons.size()).append(" extra risk").append(reasons.size() > 1 ? "s" : "")
                    .append(")");
        }
        message.append(": without -flive-patching the compiler may have inlined, cloned or changed it");
        reasons.forEach(reason -> message.append("; ").append(reason));
        return message.toString();
    }

    /** The clause for compiler clones of the function in its object. */
    public static String clones(List<String> names) {
        return "the compiler made clones of it (" + String.join(", ", names.stream().distinct().limit(4).toList())
                + "): callers may run a clone, and a clone may have a different ABI";
    }
}
