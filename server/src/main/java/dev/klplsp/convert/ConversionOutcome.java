// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.check.CheckResult;
import dev.klplsp.elf.WriteResult;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link ModuleConversion#convert} did with one module.
 *
 * @param target  where the output goes (written or not)
 * @param summary what the conversion changed in the model; empty when error findings blocked it
 * @param written the write; empty when blocked, or when {@code target} already held the converted bytes
 */
public record ConversionOutcome(Path module, Path target, CheckResult result, Optional<ConversionSummary> summary,
        Optional<WriteResult> written) {

    /** Error findings stopped the conversion: nothing was written. */
    public boolean blocked() {
        return result.hasErrors();
    }

    /** Converted, and the target already held exactly that: nothing was written. */
    public boolean unchanged() {
        return !blocked() && written.isEmpty();
    }
}
