// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.KlpNames;
import java.util.Optional;

/**
 * The wording of {@code invalid-object-name} and {@code invalid-symbol-name} (the rules are
 * {@link KlpNames#objectNameProblem} and {@link KlpNames#symbolNameProblem}), and of the object-name fix.
 */
public final class NameText {
    private NameText() {
    }

    /** {@code object name 'kvm-intel' contains '-'; the kernel's module name has '_' instead (use kvm_intel)}. */
    public static Optional<String> objectName(String object) {
        return KlpNames.objectNameProblem(object).map(problem -> "object name '" + object + "' " + problem);
    }

    /** {@code symbol name 'a,b' contains ','...}; long names are cut in the message. */
    public static Optional<String> symbolName(String name) {
        return KlpNames.symbolNameProblem(name).map(problem -> "symbol name '"
                + (name.length() > 80 ? name.substring(0, 77) + "..." : name) + "' " + problem);
    }

    /** The object name the kernel uses for a module file name: '-' becomes '_'. */
    public static String moduleObject(String object) {
        return object.replace('-', '_');
    }

    /** The fix that writes the kernel's spelling of an object name. */
    public static String objectNameFix(String object) {
        return "Use object name '" + moduleObject(object) + "'";
    }
}
