// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.List;

/**
 * The wording of the names a livepatch cannot reference at all ({@code unresolved-symbol}, {@code init-symbol})
 * and of their fixes, for the module checks and the editor's source checks alike.
 */
public final class UnresolvedText {
    private UnresolvedText() {
    }

    /**
     * {@code saved_comand_line is not in the kernel; did you mean saved_command_line?},
     * {@code foo is not in nvram, but in vmlinux}, {@code copy_process is not in the kernel; compiler clones exist:
     * vmlinux copy_process.isra.0}.
     *
     * @param object    where the reference looked (empty: anywhere in the kernel)
     * @param builtin   the object is built into vmlinux (modules.builtin), so it never loads as a module
     * @param elsewhere the objects that do have the name
     * @param clones    "object name" of each compiler clone, at most a few
     * @param close     close names, used when there are no clones and no other objects
     */
    public static String unresolved(String name, java.util.Optional<String> object, boolean builtin,
            List<String> elsewhere, List<String> clones, List<String> close) {
        StringBuilder message = new StringBuilder(name).append(" is not ")
                .append(object.map(in -> "in " + in).orElse("in the kernel"));
        if (builtin) {
            message.append(" (").append(object.orElseThrow()).append(" is built into vmlinux per modules.builtin:"
                    + " name vmlinux as the object)");
        }
        if (!elsewhere.isEmpty()) {
            message.append(", but in ").append(String.join(", ", elsewhere));
        }
        if (!clones.isEmpty()) {
            message.append("; compiler clones exist: ").append(String.join(", ", clones));
        } else if (elsewhere.isEmpty() && !close.isEmpty()) {
            message.append("; did you mean ").append(String.join(", ", close)).append('?');
        }
        return message.toString();
    }

    /** {@code setup_arch in vmlinux lives in an init section, which the kernel frees after init: ...}. */
    public static String init(String name, String object) {
        return name + " in " + object + " lives in an init section, which the kernel frees after init: a livepatch"
                + " cannot reference it";
    }

    /** The fix that points a reference at a compiler clone. */
    public static String useCloneFix(String clone) {
        return "Use clone " + clone;
    }

    /** The fix that renames a reference to a close name. */
    public static String renameFix(String name) {
        return "Rename to " + name;
    }
}
