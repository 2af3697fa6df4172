// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.convert.OutputRule;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command that rewrites its input writes the result: {@code -o OUT} or {@code --in-place}, exclusive, both
 * optional. Absent, the command decides (convert: the project file's {@code output}; migrate: print only).
 */
final class OutputOptions {
    Path out;
    boolean inPlace;

    /** The options, mixed into a command with {@code .mixin("output", output.model())}. */
    CommandModel model() {
        return CommandModel.options(this)
                .option("out", "OUT", "Write the result here (convert: {kernel} in it is the kernel's name, which"
                        + " several kernels need, one output each; without -o and --in-place: \"output\" in the"
                        + " project file .klp-lsp.json).", "-o", "--output")
                .flag("inPlace", "Replace the input (atomically) with the result.", "--in-place")
                .exclusive();
    }

    /** Whether -o or --in-place was given. */
    boolean given() {
        return inPlace || out != null;
    }

    /** The rule these options name: empty when neither was given. */
    Optional<OutputRule> rule() {
        return inPlace ? Optional.of(OutputRule.IN_PLACE_RULE)
                : out != null ? Optional.of(OutputRule.file(out)) : Optional.empty();
    }
}
