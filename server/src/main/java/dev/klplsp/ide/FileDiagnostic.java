// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Code;
import dev.klplsp.check.Severity;
import dev.klplsp.check.Candidate;
import dev.klplsp.source.Span;
import java.util.List;

/**
 * A finding placed in a source file.
 *
 * @param span char range in the file's current text
 * @param symbol the kernel name the finding is about (empty string when none)
 * @param candidates the symbols the reference could mean (ambiguous) or the close names (unresolved)
 * @param fixes alternatives, one per candidate or rename target
 */
public record FileDiagnostic(Span span, Code code, Severity severity, String message, String symbol,
        List<Candidate> candidates, List<Fix> fixes) {
    public FileDiagnostic {
        candidates = List.copyOf(candidates);
        fixes = List.copyOf(fixes);
    }
}
