// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

/**
 * The wording of run-time lookups ({@code runtime-lookup}, {@code kallsyms-lookup-name}) and of the action that
 * turns them into KLP relocations, for the editor and the command line alike. The index problems of a looked-up
 * name (unresolved, ambiguous, bad sympos) are worded by {@link UnresolvedText} and {@link SymposText}.
 */
public final class LookupText {
    /** What a lookup table entry asks for when its name is duplicated: the helper takes the first copy without it. */
    public static final String SET_ENTRY_SYMPOS = "set the entry's sympos";
    /** What a kallsyms_lookup_name call can do about a duplicated name: nothing but become a KLP relocation. */
    public static final String CHOOSE_COPY = "choose the copy with a KLP relocation instead";

    private LookupText() {
    }

    /**
     * {@code klpe_foo is filled at run time by a kallsyms lookup of foo in vmlinux; as a KLP relocation the kernel
     * resolves it when the patch loads, and refuses a name that is missing or ambiguous}.
     */
    public static String runtime(String pointer, String name, String object) {
        return pointer + " is filled at run time by a kallsyms lookup of " + name + " in " + object
                + "; as a KLP relocation the kernel resolves it when the patch loads, and refuses a name that is"
                + " missing or ambiguous";
    }

    /** {@code the run-time lookup of foo cannot become a KLP relocation automatically: klpe_foo is assigned (line 40)}. */
    public static String notConvertible(String name, String reason) {
        return "the run-time lookup of " + name + " cannot become a KLP relocation automatically: " + reason;
    }

    /**
     * {@code kallsyms_lookup_name is not exported by this kernel (not since Linux 5.7): the module loader refuses
     * the patch; look foo up with a KLP relocation instead}.
     */
    public static String lookupNameNotExported(String name) {
        return "kallsyms_lookup_name is not exported by this kernel (not since Linux 5.7): the module loader refuses"
                + " the patch; look " + (name.isEmpty() ? "the symbol" : name) + " up with a KLP relocation instead";
    }

    /**
     * The fix that turns one lookup into a KLP relocation:
     * {@code Convert klpe_foo to a KLP relocation (vmlinux foo, sympos 0)}.
     */
    public static String convertFix(String pointer, String name, String object, int sympos) {
        return "Convert " + pointer + " to a KLP relocation (" + object + " " + name + ", sympos " + sympos + ")";
    }

    /**
     * The action that converts a file: {@code Convert run-time lookups to KLP relocations}, or
     * {@code Convert 3 of 4 run-time lookups to KLP relocations (1 needs a fix first)}.
     */
    public static String convertAll(int converted, int left) {
        if (left == 0) {
            return "Convert run-time lookups to KLP relocations";
        }
        return "Convert " + converted + " of " + (converted + left) + " run-time lookups to KLP relocations (" + left
                + " need" + (left == 1 ? "s" : "") + " a fix first)";
    }
}
