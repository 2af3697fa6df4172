// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Code;
import dev.klplsp.check.Severity;
import dev.klplsp.source.Span;
import java.util.List;

/**
 * A finding placed in a source file.
 *
 * @param span       char range in the file's current text
 * @param symbol     the kernel name the finding is about (empty string when none)
 * @param candidates the symbols the reference could mean (ambiguous) or the close names (unresolved)
 * @param fixes      alternatives, one per candidate or rename target
 * @param kernels    the kernels (their names, in order) in which the finding holds; empty when no kernel is
 *                   configured. When it holds in only some of the configured kernels, the message says which.
 */
public record FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
        List<Candidate> candidates, List<Fix> fixes, List<String> kernels) {
    public FileDiagnostic {
        candidates = List.copyOf(candidates);
        fixes = List.copyOf(fixes);
        kernels = List.copyOf(kernels);
    }

    public FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
            List<Candidate> candidates, List<Fix> fixes) {
        this(span, code, severity, message, symbol, candidates, fixes, List.of());
    }

    FileDiagnostic withKernels(String newMessage, List<String> inKernels, List<Fix> newFixes) {
        return new FileDiagnostic(span, code, severity, newMessage, symbol, candidates, newFixes, inKernels);
    }
}
