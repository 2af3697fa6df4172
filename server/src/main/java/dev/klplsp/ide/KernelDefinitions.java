// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.OptimizationCheck;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the kernel's debug information puts kernel functions, for the editor: the functions behind a name (hover),
 * the declaration of the copy an annotation selects, or of every copy when none is selected (go to definition),
 * and of each candidate of a finding (its related information), found in the kernel source tree.
 */
final class KernelDefinitions {
    private final OptimizationFacts facts;
    private final Optional<KernelSourceTree> tree;
    private final String build;

    /**
     * @param build the kernel build the debug information describes, for the locations' version note
     *              ({@code the 6.1.0-56-amd64 build})
     */
    KernelDefinitions(OptimizationFacts facts, Optional<KernelSourceTree> tree, String build) {
        this.facts = facts;
        this.tree = tree;
        this.build = build;
    }

    /** The declaration of the function whose copy {@code symbol} at {@code sympos} is, in {@code object}. */
    Optional<SourceLocation> copy(String object, String symbol, long sympos) {
        return facts.index(object).flatMap(index -> OptimizationCheck.function(index, symbol, sympos))
                .flatMap(this::declaration);
    }

    /**
     * The declarations of every function behind {@code name} in the objects: of each out-of-line copy named so
     * (several static functions of one name), or of the function when it exists only inlined.
     */
    List<SourceLocation> all(String name, List<String> objects) {
        Set<SourceLocation> locations = new LinkedHashSet<>();
        for (FunctionFacts function : functions(name, objects)) {
            declaration(function).ifPresent(locations::add);
        }
        return List.copyOf(locations);
    }

    /**
     * The functions behind a name in the objects: those of that source name, and the function a symbol of that
     * name is a copy of (a clone's name, {@code read_through.isra.0}, is its function's).
     */
    List<FunctionFacts> functions(String name, List<String> objects) {
        Set<FunctionFacts> found = new LinkedHashSet<>();
        for (String object : new LinkedHashSet<>(objects)) {
            Optional<OptimizationIndex> index = facts.index(object);
            if (index.isEmpty()) {
                continue;
            }
            for (OutOfLineInstance copy : index.get().instances(name)) {
                index.get().functionOfSymbol(copy.symbol(), copy.sympos()).ifPresent(found::add);
            }
            found.addAll(index.get().functions(name));
        }
        return new ArrayList<>(found);
    }

    /** The index of an object, when its debug information is known (and, in the editor, loaded). */
    Optional<OptimizationIndex> index(String object) {
        return facts.index(object);
    }

    private Optional<SourceLocation> declaration(FunctionFacts function) {
        return function.declaration().flatMap(line -> KernelSourceTree.locate(tree, line, build));
    }
}
