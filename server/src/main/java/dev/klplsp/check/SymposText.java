// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.CopyPin;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The wording of the sympos family ({@code ambiguous-symbol}, {@code bad-sympos}, and across kernels
 * {@code pin-unresolved}, {@code sympos-moved}, {@code copy-unmatched}) and of the fixes that choose a candidate
 * or pin a copy, for the module checks and the editor's source checks alike.
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

    /**
     * Why a pin by identity names no copy: {@code cpumask_weight = vmlinux, near foo (choices.txt:3): vmlinux has no
     * foo}.
     */
    public static String pinUnresolved(String name, String object, CopyPin pin, String origin,
            CopyPin.Resolution resolution) {
        String why = switch (resolution.problem().orElseThrow()) {
            case NO_COPIES -> object + " has no " + name;
            case NO_SUCH_NEIGHBOUR -> object + " has no " + pin.value();
            case NEIGHBOUR_NOT_UNIQUE -> pin.value() + " is not unique in " + object + " (" + resolution.count()
                    + " of them): pin near a name that is";
            case NO_COPY_NEAR -> "no " + name + " sits next to " + pin.value() + " in " + object;
            case TWO_COPIES_NEAR -> "two copies of " + name + " sit equally close to " + pin.value()
                    + ", one before it and one after: pin near another neighbour";
            case NO_FILES -> "the index has no source files for " + object + " (read from an image, System.map or"
                    + " kallsyms): pin near a neighbour, or index the kernel's -dbg vmlinux";
            case NO_COPY_IN_FILE -> "no " + name + " in " + object + " comes from " + pin.value() + " (they come from "
                    + String.join(", ", resolution.files()) + ")";
            case SEVERAL_COPIES_IN_FILE -> resolution.count() + " copies of " + name + " in " + object
                    + " come from a file named " + pin.value() + ": pin near a neighbour";
        };
        return name + " = " + object + ", " + pin + " (" + origin + "): " + why;
    }

    /**
     * The copy a sympos names in the reference kernel has another sympos in other kernels: {@code cpumask_weight:
     * sympos 11 is the copy near clockevents_program_min_delta in 6.1.0-56-amd64, but that copy is sympos 10 in
     * 6.1.0-47-amd64, 6.1.0-52-amd64; pin it by identity: cpumask_weight = vmlinux, near
     * clockevents_program_min_delta}.
     *
     * @param copy how the copy is named ({@code near X}, {@code file F}, {@code after X, before Y})
     */
    public static String moved(String name, String object, long sympos, String copy, String reference,
            long movedTo, List<String> kernels, Optional<CopyPin> pin) {
        return name + ": sympos " + sympos + " is the copy " + copy + " in " + reference + ", but that copy is sympos "
                + movedTo + " in " + String.join(", ", kernels) + pinRemedy(name, object, pin);
    }

    /**
     * No copy in other kernels can be told to be the one a sympos names in the reference kernel (its neighbours
     * or file differ there): {@code cannot tell which cpumask_weight is the copy near X (sympos 11 in 6.1.0-56-amd64)
     * in 6.1.0-47-amd64, where sympos 11 is after Y}.
     */
    public static String unmatched(String name, String object, long sympos, String copy, String reference,
            List<String> kernels, String thereCopy, Optional<CopyPin> pin) {
        return "cannot tell which " + name + " is the copy " + copy + " (sympos " + sympos + " in " + reference
                + ") in " + String.join(", ", kernels) + ", where sympos " + sympos + " is the copy " + thereCopy
                + pinRemedy(name, object, pin);
    }

    private static String pinRemedy(String name, String object, Optional<CopyPin> pin) {
        return pin.map(copy -> "; pin it by identity: " + name + " = " + object + ", " + copy)
                .orElse("; choose it per kernel (no pin by identity names it in every kernel)");
    }

    /**
     * The fix that pins a copy by identity, with what it resolves to:
     * {@code pin: near clockevents_program_min_delta — sympos 11 in 6.1.0-56-amd64; 10 in 6.1.0-47-amd64}.
     */
    public static String pinFix(CopyPin pin, String symposPerKernel) {
        return "pin: " + pin + " \u2014 " + symposPerKernel;
    }
}
