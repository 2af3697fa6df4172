// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.CopyPin;
import java.util.Optional;

/**
 * One way to fix a finding: resolve the reference as {@code object.name,sympos}, or, with a {@code pin}, as the
 * pinned copy in each kernel. A front end offers each as a quick fix ({@code KLP_SYMPOS(name, sympos)},
 * {@code --sympos name=object:sympos}, a pin in the project file); {@code name} differs from the referenced name
 * when the fix is a rename (a compiler clone such as {@code foo.isra.0}).
 */
public record SymposChoice(String object, String name, long sympos, Optional<CopyPin> pin) {

    public SymposChoice(String object, String name, long sympos) {
        this(object, name, sympos, Optional.empty());
    }

    public static SymposChoice pinned(String object, String name, CopyPin pin) {
        return new SymposChoice(object, name, 0, Optional.of(pin));
    }

    /** The command-line spelling: {@code do_poweroff=vmlinux:2}, {@code cpumask_weight=vmlinux, near foo}. */
    public String toOption() {
        return name + "=" + spec();
    }

    /** The right-hand side, as a {@code sympos} setting's value: {@code vmlinux:2}, {@code vmlinux, near foo}. */
    public String spec() {
        return pin.map(copy -> object + ", " + copy).orElse(object + ":" + sympos);
    }
}
