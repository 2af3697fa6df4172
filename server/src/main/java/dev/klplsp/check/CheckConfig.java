// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.OptimizationFacts;
import java.util.Map;
import java.util.Objects;

/**
 * What the checker should do beyond the kernel's own rules.
 *
 * @param functionReferences   how {@code function-symbol-risk} is reported
 * @param convertModuleExports convert references to symbols exported by a module into KLP relocations with
 *                             sympos 0 (kpatch/objtool behaviour) instead of leaving them to the module loader
 *                             (klp-convert v7 behaviour, the default)
 * @param choices              explicit object and sympos per referenced symbol name (command line, sidecar
 *                             file); they take precedence over annotations in the module
 * @param optimization         what the kernel's debug information says about its functions, per object (asked
 *                             only for the objects the module touches); {@link OptimizationFacts#NONE} without
 */
public record CheckConfig(FunctionReferences functionReferences, boolean convertModuleExports,
        Map<String, Choice> choices, OptimizationFacts optimization) {

    public static final CheckConfig DEFAULT = new CheckConfig(FunctionReferences.WARNING, false, Map.of());

    public CheckConfig {
        choices = Map.copyOf(choices);
        Objects.requireNonNull(optimization, "optimization");
    }

    public CheckConfig(FunctionReferences functionReferences, boolean convertModuleExports,
            Map<String, Choice> choices) {
        this(functionReferences, convertModuleExports, choices, OptimizationFacts.NONE);
    }

    public CheckConfig withChoices(Map<String, Choice> newChoices) {
        return new CheckConfig(functionReferences, convertModuleExports, newChoices, optimization);
    }

    public CheckConfig withConvertModuleExports(boolean convert) {
        return new CheckConfig(functionReferences, convert, choices, optimization);
    }

    public CheckConfig withFunctionReferences(FunctionReferences reported) {
        return new CheckConfig(reported, convertModuleExports, choices, optimization);
    }

    public CheckConfig withOptimization(OptimizationFacts facts) {
        return new CheckConfig(functionReferences, convertModuleExports, choices, facts);
    }
}
