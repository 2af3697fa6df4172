// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The wording of the sympos family ({@code ambiguous-symbol}, {@code bad-sympos}) and of the fixes that choose a
 * candidate, for the module checks and the editor's source checks alike.
 */
public final class SymposText {
    /** What an author writes to choose a copy in C (the CLI adds its own --sympos). */
    public static final String ANNOTATE = "choose one with a sympos annotation (KLP_SYMPOS or KLP_RELOC_SYMBOL_POS)";
    /** What an author writes to choose the copy a klp_func replaces. */
    public static final String SET_OLD_SYMPOS = "set .old_sympos";

    private SymposText() {
    }

    /**
     * {@code do_poweroff is ambiguous: 2 symbols of that name in vmlinux; choose one with a sympos annotation (...)}.
     *
     * @param what   "symbols" or "functions"
     * @param remedy {@link #ANNOTATE} or {@link #SET_OLD_SYMPOS}
     */
    public static String ambiguous(String name, List<Candidate> candidates, String what, String remedy) {
        Set<String> objects = new LinkedHashSet<>();
        candidates.forEach(candidate -> objects.add(candidate.object()));
        return name + " is ambiguous: " + candidates.size() + " " + what + " of that name in "
                + String.join(", ", objects) + "; " + remedy;
    }

    /**
     * A duplicated name that a run-time lookup resolves without a sympos: {@code do_poweroff is ambiguous: 2 symbols
     * of that name in vmlinux; the run-time lookup binds the first in kallsyms order (vmlinux, poweroff.c, t,
     * 0xffffffff8111a2f0), which may not be the one you mean; set the entry's sympos}. The kernel does not refuse
     * such a patch as it refuses a KLP relocation with sympos 0: it silently uses that copy.
     *
     * @param binder what does the lookup: "the run-time lookup", "kallsyms_lookup_name"
     * @param first the copy it binds; empty when the index cannot tell (copies in several modules)
     */
    public static String runtimeAmbiguous(String name, List<Candidate> candidates, String binder,
            java.util.Optional<Candidate> first, String remedy) {
        Set<String> objects = new LinkedHashSet<>();
        candidates.forEach(candidate -> objects.add(candidate.object()));
        String binds = first.map(copy -> binder + " binds the first in kallsyms order (" + distinction(copy) + ")")
                .orElse(binder + " binds the copy of whichever of " + String.join(", ", objects) + " was loaded last");
        return name + " is ambiguous: " + candidates.size() + " symbols of that name in " + String.join(", ", objects)
                + "; " + binds + ", which may not be the one you mean; " + remedy;
    }

    /** {@code sympos 0 (KLP_SYMPOS) requires a unique name, but vmlinux has 2 symbols named do_poweroff}. */
    public static String zeroNotUnique(String name, String object, int count, String origin) {
        return "sympos 0 (" + origin + ") requires a unique name, but " + object + " has " + count
                + " symbols named " + name;
    }

    /** {@code sympos 2 for saved_command_line (KLP_SYMPOS) but vmlinux has only one saved_command_line}. */
    public static String beyondCount(String name, String object, long sympos, int count, String origin) {
        return "sympos " + sympos + " for " + name + " (" + origin + ") but " + object + " has "
                + (count == 1 ? "only one " + name : "only " + count + " of them");
    }

    /** {@code conflicting annotations for do_poweroff: vmlinux,1 (line 3) vs vmlinux,2 (line 9)}. */
    public static String conflicting(String name, List<String> choices) {
        return "conflicting annotations for " + name + ": " + String.join(" vs ", choices);
    }

    /** What distinguishes a candidate: {@code vmlinux, manage.c, t, 0xffffffff81660c90}. */
    public static String distinction(Candidate candidate) {
        StringBuilder text = new StringBuilder(candidate.object());
        candidate.sourceFile().ifPresent(file -> text.append(", ").append(file));
        text.append(", ").append(candidate.nmLetter());
        text.append(", 0x").append(Long.toHexString(candidate.address()));
        return text.toString();
    }

    /** The fix that chooses a candidate: {@code sympos 2 — vmlinux, manage.c, t, 0xffffffff81660c90}. */
    public static String chooseFix(Candidate candidate) {
        return "sympos " + candidate.sympos() + " \u2014 " + distinction(candidate);
    }
}
