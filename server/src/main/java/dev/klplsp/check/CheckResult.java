// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.List;

/** The findings of a check and the conversion it would do; apply the plan only when {@link #hasErrors()} is false. */
public record CheckResult(List<Finding> findings, ConversionPlan plan) {
    public CheckResult {
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
