// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.convert.OutputRule;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command that rewrites its input writes the result: {@code -o OUT} or {@code --in-place} (exclusive:
 * {@code @ArgGroup(exclusive = true) OutputOptions output;}). Absent, the command decides (convert: the project
 * file's {@code output}; migrate: print only).
 */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the result here (convert: {kernel} in it is the kernel's name, which several kernels"
                    + " need, one output each; without -o and --in-place: \"output\" in the project file"
                    + " .klp-lsp.json).")
    Path out;

    @Option(names = "--in-place", description = "Replace the input (atomically) with the result.")
    boolean inPlace;

    /** The rule these options name. */
    OutputRule rule() {
        return inPlace ? OutputRule.IN_PLACE_RULE : OutputRule.file(out);
    }

    /** The rule the (optional) group names: empty when neither option was given. */
    static Optional<OutputRule> ruleOf(OutputOptions options) {
        return Optional.ofNullable(options).map(OutputOptions::rule);
    }
}
