// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

/**
 * One way to fix a finding: resolve the reference as {@code object.name,sympos}. A front end offers each as a
 * quick fix ({@code KLP_SYMPOS(name, sympos)}, {@code --sympos name=object:sympos}); {@code name} differs from
 * the referenced name when the fix is a rename (a compiler clone such as {@code foo.isra.0}).
 */
public record SymposChoice(String object, String name, long sympos) {
    /** The command-line spelling: {@code do_poweroff=vmlinux:2}. */
    public String toOption() {
        return name + "=" + object + ":" + sympos;
    }
}
