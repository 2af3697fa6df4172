// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.check.KernelsResult;
import java.util.List;

/**
 * What {@link ModuleConversion#convertKernels} did with one module for several kernels: the check across them, and one outcome per
 * kernel (in kernel order), each blocked by its own kernel's error findings only.
 */
public record KernelsConversion(KernelsResult check, List<ConversionOutcome> outcomes) {
    public KernelsConversion {
        outcomes = List.copyOf(outcomes);
    }

    /** Whether any kernel's conversion was blocked: the exit status is the worst over the kernels. */
    public boolean anyBlocked() {
        return outcomes.stream().anyMatch(ConversionOutcome::blocked);
    }
}
