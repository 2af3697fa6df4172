// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;

/**
 * A module notifier of the file: a function named as {@code .notifier_call} of a {@code struct notifier_block}
 * variable, as run-time lookup patches use to resolve module symbols when that module loads.
 *
 * @param functionSpan the whole function definition
 * @param blockSpan the whole {@code struct notifier_block} declaration
 * @param registrations the {@code register_module_notifier(&block)} and {@code unregister_module_notifier(&block)} calls
 * @param onlyResolves whether the function does nothing but resolve: besides its resolver calls, only the usual
 *     guard on the module state and name, locking, a warning and returns
 * @param blockUsedElsewhere whether the block is named anywhere but in those calls
 */
public record ModuleNotifier(String function, Span functionSpan, String block, Span blockSpan,
        List<CallSite> registrations, boolean onlyResolves, boolean blockUsedElsewhere) {
}
