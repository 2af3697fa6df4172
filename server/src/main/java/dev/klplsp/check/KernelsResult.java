// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.List;

/**
 * The check of one module against several kernels: each kernel's own result (its findings, including those that
 * compare it with the other kernels, and its conversion plan), and the findings merged across kernels, each with
 * the kernels it holds in.
 *
 * @param kernels  one entry per kernel, in the order they were given
 * @param findings every distinct finding once (same code, symbol, object, location and message), in the order
 *                 of the kernels, then of their findings
 */
public record KernelsResult(List<PerKernel> kernels, List<Merged> findings) {

    /** One kernel's result. */
    public record PerKernel(String kernel, CheckResult result) {
    }

    /** A finding and the kernels (names, in kernel order) in which it holds. */
    public record Merged(Finding finding, List<String> kernels) {
        public Merged {
            kernels = List.copyOf(kernels);
        }
    }

    public KernelsResult {
        kernels = List.copyOf(kernels);
        findings = List.copyOf(findings);
    }

    /** The kernels' names, in order. */
    public List<String> names() {
        return kernels.stream().map(PerKernel::kernel).toList();
    }

    /** Whether any kernel has an error finding: the exit status is the worst over the kernels. */
    public boolean hasErrors() {
        return kernels.stream().anyMatch(kernel -> kernel.result().hasErrors());
    }

    /** The distinct findings of a severity, each counted once however many kernels it holds in. */
    public long count(Severity severity) {
        return findings.stream().filter(merged -> merged.finding().severity() == severity).count();
    }

    /** The result for one kernel. */
    public CheckResult resultFor(String kernel) {
        return kernels.stream().filter(each -> each.kernel().equals(kernel)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no kernel " + kernel)).result();
    }
}
