// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.CheckResult;
import dev.klplsp.convert.ConversionSummary;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What converting a module did: nothing (error findings block it, or the module was converted already), or
 * wrote {@code written}.
 */
public record ConvertOutcome(Path module, CheckResult result, Optional<Path> written,
        Optional<ConversionSummary> summary) {

    public boolean blocked() {
        return result.hasErrors();
    }
}
