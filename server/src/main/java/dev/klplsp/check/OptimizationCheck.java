// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an object's debug information says about a function a livepatch replaces ({@code klp_func .old_name})
 * or calls, as data both {@link ModuleChecker} and the editor's source checks turn into findings: one decision,
 * worded by {@link OptimizationText}.
 */
public final class OptimizationCheck {
    private OptimizationCheck() {
    }

    /**
     * One finding to report.
     *
     * @param related the out-of-line copies the finding is about (the callers to patch, the other copies, the
     *                transformed copy), for the finding's candidates
     */
    public record Verdict(Code code, String message, List<OutOfLineInstance> related) {
        public Verdict {
            related = List.copyOf(related);
        }
    }

    /** What a call to a function's out-of-line copy means, by what the debug information shows. */
    public enum CallKind {
        /** The copy is a clone with changed parameters or calling convention: {@code function-transformed}. */
        TRANSFORMED,
        /** The copy is the function as written and it has no other copies: informational at most. */
        AS_WRITTEN,
        /** The copy is callable, but the debug information names a risk: other clones, or it is a split part. */
        STILL_RISKY,
        /** The debug information does not describe the symbol (assembly): what it was before. */
        UNDESCRIBED
    }

    /** A call's kind and its text: a message for {@link CallKind#TRANSFORMED}, else a clause. */
    public record Call(CallKind kind, String text, Optional<OutOfLineInstance> copy) {
    }

    /**
     * The copy a symbol and sympos name, as the kernel resolves them: sympos 0 and, as
     * {@code klp_find_object_symbol()} accepts it, sympos 1 both name the only copy of a unique name.
     */
    public static Optional<OutOfLineInstance> copy(OptimizationIndex index, String symbol, long sympos) {
        if (sympos < 0 || sympos > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        Optional<OutOfLineInstance> exact = index.instance(symbol, (int) sympos);
        return exact.isPresent() || sympos != 1 ? exact : index.instance(symbol, 0);
    }

    /** The function a copy belongs to (the same lookup as {@link #copy}). */
    public static Optional<FunctionFacts> function(OptimizationIndex index, String symbol, long sympos) {
        return copy(index, symbol, sympos).flatMap(found -> index.functionOfSymbol(found.symbol(), found.sympos()));
    }

    /** A function a patch replaces: {@code .old_name} and {@code .old_sympos} of one klp_func. */
    public record Replacement(String name, long sympos) {
    }

    /**
     * The findings for a {@code klp_func} that replaces {@code name} at {@code sympos} in the index's object:
     * none when the debug information has nothing to add (or does not know the name), else the copies inlined
     * into other functions, the function's other out-of-line copies, a transformed copy named directly, or, when
     * the function exists only inlined, the error that there is nothing to patch. Copies inside functions the same
     * patch replaces too ({@code patch}, every klp_func of the object) are replaced with them and not reported.
     */
    public static List<Verdict> replaced(OptimizationIndex index, String name, long sympos,
            List<Replacement> patch) {
        List<OutOfLineInstance> patched = new ArrayList<>();
        for (Replacement replacement : patch) {
            copy(index, replacement.name(), replacement.sympos()).ifPresent(patched::add);
        }
        String object = index.object();
        Optional<OutOfLineInstance> copy = copy(index, name, sympos);
        List<Verdict> verdicts = new ArrayList<>();
        if (copy.isEmpty()) {
            if (!index.instances(name).isEmpty()) {
                return verdicts; // a sympos that names no copy: the sympos checks say so
            }
            List<InlineSite> sites = new ArrayList<>();
            for (FunctionFacts facts : index.functions(name)) {
                if (facts.existsOnlyInlined()) {
                    sites.addAll(outside(facts.inlineSites(), patched));
                }
            }
            if (!sites.isEmpty()) {
                verdicts.add(new Verdict(Code.REPLACED_FUNCTION_ONLY_INLINED,
                        OptimizationText.onlyInlined(name, object, sites), containers(sites)));
            }
            return verdicts;
        }
        OutOfLineInstance replaced = copy.get();
        FunctionFacts facts = index.functionOfSymbol(replaced.symbol(), replaced.sympos()).orElseThrow();
        List<InlineSite> inlined = outside(facts.sitesInOtherFunctions(), patched);
        if (!inlined.isEmpty()) {
            verdicts.add(new Verdict(Code.REPLACED_FUNCTION_INLINED, OptimizationText.inlined(name, object, inlined),
                    containers(inlined)));
        }
        List<OutOfLineInstance> others = facts.instances().stream().filter(other -> !other.equals(replaced)
                && other.hasSymbol() && !patched.contains(other)).toList();
        if (!others.isEmpty()) {
            verdicts.add(new Verdict(Code.REPLACED_FUNCTION_CLONED, OptimizationText.otherCopies(name, object, others),
                    others));
        }
        if (!OptimizationText.changes(replaced).isEmpty()) {
            verdicts.add(new Verdict(Code.FUNCTION_TRANSFORMED,
                    OptimizationText.replacedTransformed(replaced, facts.declaration()), List.of(replaced)));
        }
        return verdicts;
    }

    /** What a reference from the patch to the kernel function {@code symbol} at {@code sympos} means. */
    public static Call called(OptimizationIndex index, String symbol, int sympos) {
        Optional<OutOfLineInstance> copy = copy(index, symbol, sympos);
        if (copy.isEmpty()) {
            return new Call(CallKind.UNDESCRIBED, OptimizationText.undescribed(index.object()), Optional.empty());
        }
        OutOfLineInstance called = copy.get();
        FunctionFacts facts = index.functionOfSymbol(called.symbol(), called.sympos()).orElseThrow();
        if (!OptimizationText.changes(called).isEmpty()) {
            return new Call(CallKind.TRANSFORMED, OptimizationText.calledTransformed(called, index.object(),
                    facts.declaration()), copy);
        }
        List<OutOfLineInstance> clones = facts.instances().stream().filter(other -> !other.equals(called)
                && other.hasSymbol() && other.isClone()).toList();
        if (!clones.isEmpty()) {
            return new Call(CallKind.STILL_RISKY, OptimizationText.calledWithCopies(clones), copy);
        }
        if (called.isTransformed()) {
            // A clone whose DWARF names no change (a .part of a split function): no longer the function as written.
            return new Call(CallKind.STILL_RISKY, "it is " + OptimizationText.transformation(called,
                    facts.declaration()) + ", not the function as written", copy);
        }
        return new Call(CallKind.AS_WRITTEN, OptimizationText.asWritten(called, facts.declaration()), copy);
    }

    /** The sites whose code is in no copy the patch replaces. */
    private static List<InlineSite> outside(List<InlineSite> sites, List<OutOfLineInstance> patched) {
        return sites.stream().filter(site -> site.container().map(container -> !patched.contains(container))
                .orElse(true)).toList();
    }

    private static List<OutOfLineInstance> containers(List<InlineSite> sites) {
        List<OutOfLineInstance> containers = new ArrayList<>();
        for (InlineSite site : sites) {
            site.container().filter(container -> !containers.contains(container)).ifPresent(containers::add);
        }
        return containers;
    }
}
