// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.source.Span;
import java.util.List;

/**
 * What the kernel has under the name at the cursor.
 *
 * @param span the name in the file
 * @param candidates every counted symbol of that exact name
 * @param clones compiler clones of the name (shown when there is no exact match, or as a warning)
 */
public record HoverInfo(Span span, String name, List<Candidate> candidates, List<Candidate> clones) {
    public HoverInfo {
        candidates = List.copyOf(candidates);
        clones = List.copyOf(clones);
    }

    /** A Markdown table of the candidates, readable as plain text too. */
    public String markdown() {
        StringBuilder text = new StringBuilder();
        text.append("**").append(name).append("**: ");
        if (candidates.isEmpty()) {
            text.append("no kernel symbol of that name");
        } else {
            text.append(candidates.size()).append(candidates.size() == 1 ? " kernel symbol" : " kernel symbols");
        }
        text.append("\n\n");
        if (!candidates.isEmpty()) {
            table(text, candidates);
        }
        if (!clones.isEmpty()) {
            text.append(candidates.isEmpty() ? "" : "\n").append("Compiler clones:\n\n");
            table(text, clones);
        }
        return text.toString();
    }

    private static void table(StringBuilder text, List<Candidate> rows) {
        text.append("| object | sympos | type | binding | source file | section | exported |\n");
        text.append("|---|---|---|---|---|---|---|\n");
        for (Candidate row : rows) {
            text.append("| ").append(row.object())
                    .append(" | ").append(row.sympos())
                    .append(" | ").append(row.type()).append(" (").append(row.nmLetter()).append(")")
                    .append(" | ").append(row.binding())
                    .append(" | ").append(row.sourceFile().orElse("\u2014"))
                    .append(" | ").append(row.section().orElse("\u2014"))
                    .append(" | ").append(row.exported() ? "yes" : "no")
                    .append(" |\n");
        }
    }
}
