// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Code;
import dev.klplsp.check.Severity;
import dev.klplsp.source.Span;
import java.util.List;
import java.util.Map;

/**
 * A finding placed in a source file.
 *
 * @param span             char range in the file's current text
 * @param symbol           the kernel name the finding is about (empty string when none)
 * @param candidates       the symbols the reference could mean (ambiguous) or the close names (unresolved)
 * @param fixes            alternatives, one per candidate or rename target
 * @param kernels          the kernels (their names, in order) in which the finding holds; empty when no kernel is
 *                         configured. When it holds in only some of the configured kernels, the message says which.
 * @param candidateSources where in the kernel's sources each candidate's function is declared, when the debug
 *                         information and the kernel source tree say (a front end points the candidate there)
 */
public record FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
        List<Candidate> candidates, List<Fix> fixes, List<String> kernels,
        Map<Candidate, SourceLocation> candidateSources) {
    public FileDiagnostic {
        candidates = List.copyOf(candidates);
        fixes = List.copyOf(fixes);
        kernels = List.copyOf(kernels);
        candidateSources = Map.copyOf(candidateSources);
    }

    public FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
            List<Candidate> candidates, List<Fix> fixes, List<String> kernels) {
        this(span, code, severity, message, symbol, candidates, fixes, kernels, Map.of());
    }

    public FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
            List<Candidate> candidates, List<Fix> fixes) {
        this(span, code, severity, message, symbol, candidates, fixes, List.of(), Map.of());
    }

    FileDiagnostic withKernels(String newMessage, List<String> inKernels, List<Fix> newFixes) {
        return new FileDiagnostic(span, code, severity, newMessage, symbol, candidates, newFixes, inKernels,
                candidateSources);
    }

    public FileDiagnostic withCandidateSources(Map<Candidate, SourceLocation> sources) {
        return new FileDiagnostic(span, code, severity, message, symbol, candidates, fixes, kernels, sources);
    }
}
