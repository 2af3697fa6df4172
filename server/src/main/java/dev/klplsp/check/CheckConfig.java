// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.Map;

/**
 * What the checker should do beyond the kernel's own rules.
 *
 * @param functionReferences   how {@code function-symbol-risk} is reported
 * @param convertModuleExports convert references to symbols exported by a module into KLP relocations with
 *                             sympos 0 (kpatch/objtool behaviour) instead of leaving them to the module loader
 *                             (klp-convert v7 behaviour, the default)
 * @param choices              explicit object and sympos per referenced symbol name (command line, sidecar
 *                             file); they take precedence over annotations in the module
 */
public record CheckConfig(FunctionReferences functionReferences, boolean convertModuleExports,
        Map<String, Choice> choices) {

    public static final CheckConfig DEFAULT = new CheckConfig(FunctionReferences.WARNING, false, Map.of());

    public CheckConfig {
        choices = Map.copyOf(choices);
    }

    public CheckConfig withChoices(Map<String, Choice> newChoices) {
        return new CheckConfig(functionReferences, convertModuleExports, newChoices);
    }

    public CheckConfig withConvertModuleExports(boolean convert) {
        return new CheckConfig(functionReferences, convert, choices);
    }

    public CheckConfig withFunctionReferences(FunctionReferences reported) {
        return new CheckConfig(reported, convertModuleExports, choices);
    }
}
