// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Map;
import java.util.Optional;

/**
 * Where a check finds what the compiler did to a kernel object's functions: the {@link OptimizationIndex} of an
 * object ("vmlinux" or a module name), when its debug information is known. A check asks only for the objects a
 * patch touches, so an implementation may load each index on its first request ({@link DebugInfoIndexes}).
 */
@FunctionalInterface
public interface OptimizationFacts {
    /** No debug information for any object: the checks say what they said before debug information existed. */
    OptimizationFacts NONE = object -> Optional.empty();

    /**
     * The index of an object, or empty when no debug information is known for it.
     *
     * @throws dev.klplsp.base.KlpException when the object's debug file cannot be read
     */
    Optional<OptimizationIndex> index(String object);

    /** Fixed indexes by object (tests, and a front end that loaded them itself). */
    static OptimizationFacts of(Map<String, OptimizationIndex> indexes) {
        Map<String, OptimizationIndex> copy = Map.copyOf(indexes);
        return object -> Optional.ofNullable(copy.get(object));
    }
}
