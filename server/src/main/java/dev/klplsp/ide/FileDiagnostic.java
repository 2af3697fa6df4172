// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Code;
import dev.klplsp.check.Severity;
import dev.klplsp.check.Candidate;
import dev.klplsp.source.Span;
import java.util.List;
import java.util.Map;

/**
 * A finding placed in a source file.
 *
 * @param span char range in the file's current text
 * @param symbol the kernel name the finding is about (empty string when none)
 * @param candidates the symbols the reference could mean (ambiguous) or the close names (unresolved)
 * @param fixes alternatives, one per candidate or rename target
 * @param candidateSources where in the kernel's sources each candidate's function is declared, when the debug
 *     information and the kernel source tree say (a front end points the candidate there)
 */
public record FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
        List<Candidate> candidates, List<Fix> fixes, Map<Candidate, SourceLocation> candidateSources) {
    public FileDiagnostic {
        candidates = List.copyOf(candidates);
        fixes = List.copyOf(fixes);
        candidateSources = Map.copyOf(candidateSources);
    }

    public FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
            List<Candidate> candidates, List<Fix> fixes) {
        this(span, code, severity, message, symbol, candidates, fixes, Map.of());
    }

    public FileDiagnostic withCandidateSources(Map<Candidate, SourceLocation> sources) {
        return new FileDiagnostic(span, code, severity, message, symbol, candidates, fixes, sources);
    }
}
