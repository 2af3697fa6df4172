// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernels have under the name at the cursor.
 *
 * @param span    the name in the file
 * @param rows    every counted symbol of that exact name, kernel by kernel
 * @param clones  compiler clones of the name (shown when there is no exact match, or as a warning)
 * @param kernels how many kernels are configured: with more than one, each row says its kernel and which copy
 *                it is (file or neighbour)
 */
public record HoverInfo(Span span, String name, List<Row> rows, List<Row> clones, int kernels) {
    public HoverInfo {
        rows = List.copyOf(rows);
        clones = List.copyOf(clones);
    }

    /**
     * One symbol in one kernel.
     *
     * @param copy which copy it is across the kernels: a pin by identity that names it in all of them
     *             ({@code near X}, {@code file F}), else its neighbourhood; empty for a unique name
     */
    public record Row(String kernel, Candidate candidate, String copy) {
    }

    static HoverInfo of(Span span, String name, List<TargetKernel> kernels) {
        List<Row> rows = new ArrayList<>();
        List<Row> clones = new ArrayList<>();
        Map<String, List<CopyAcross>> copies = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            KernelIndex index = kernels.get(k).index();
            for (KernelSymbol symbol : index.lookup(name)) {
                if (symbol.isCounted()) {
                    rows.add(new Row(kernels.get(k).name(), Candidate.of(symbol), copy(kernels, k, symbol, copies)));
                }
            }
            for (KernelSymbol clone : index.cloneFamily(name)) {
                if (clone.isCounted()) {
                    clones.add(new Row(kernels.get(k).name(), Candidate.of(clone), ""));
                }
            }
        }
        return new HoverInfo(span, name, rows, clones, kernels.size());
    }

    private static String copy(List<TargetKernel> kernels, int k, KernelSymbol symbol,
            Map<String, List<CopyAcross>> cache) {
        if (kernels.size() < 2 || !CopyAcross.duplicatedSomewhere(kernels, symbol.object(), symbol.name())) {
            return "";
        }
        List<CopyAcross> rows = cache.computeIfAbsent(symbol.object(), object -> CopyAcross.of(kernels, object,
                symbol.name()));
        return CopyAcross.rowOf(rows, k, symbol).map(row -> row.pin().map(Object::toString)
                .orElse(row.identity().describe())).orElse("");
    }

    /** The candidates of the first kernel (the one kernel's, when only one is configured). */
    public List<Candidate> candidates() {
        return rows.stream().filter(row -> row.kernel().equals(rows.get(0).kernel())).map(Row::candidate).toList();
    }

    /** A Markdown table of the candidates, readable as plain text too. */
    public String markdown() {
        StringBuilder text = new StringBuilder();
        text.append("**").append(name).append("**: ");
        long distinct = rows.stream().map(Row::kernel).distinct().count();
        if (rows.isEmpty()) {
            text.append(kernels > 1 ? "no symbol of that name in any of the " + kernels + " kernels"
                    : "no kernel symbol of that name");
        } else if (kernels > 1) {
            text.append(rows.size()).append(" symbols in ").append(distinct).append(" of ").append(kernels)
                    .append(" kernels");
        } else {
            text.append(rows.size()).append(rows.size() == 1 ? " kernel symbol" : " kernel symbols");
        }
        text.append("\n\n");
        if (!rows.isEmpty()) {
            table(text, rows);
        }
        if (!clones.isEmpty()) {
            text.append(rows.isEmpty() ? "" : "\n").append("Compiler clones:\n\n");
            table(text, clones);
        }
        return text.toString();
    }

    private void table(StringBuilder text, List<Row> table) {
        if (kernels > 1) {
            text.append("| kernel | object | sympos | type | binding | file/neighbour | section | exported |\n");
            text.append("|---|---|---|---|---|---|---|---|\n");
        } else {
            text.append("| object | sympos | type | binding | source file | section | exported |\n");
            text.append("|---|---|---|---|---|---|---|\n");
        }
        for (Row row : table) {
            Candidate candidate = row.candidate();
            text.append("| ");
            if (kernels > 1) {
                text.append(row.kernel()).append(" | ");
            }
            String where = kernels > 1 && !row.copy().isEmpty() ? row.copy()
                    : candidate.sourceFile().orElse("\u2014");
            text.append(candidate.object())
                    .append(" | ").append(candidate.sympos())
                    .append(" | ").append(candidate.type()).append(" (").append(candidate.nmLetter()).append(")")
                    .append(" | ").append(candidate.binding())
                    .append(" | ").append(where)
                    .append(" | ").append(candidate.section().orElse("\u2014"))
                    .append(" | ").append(candidate.exported() ? "yes" : "no")
                    .append(" |\n");
        }
    }
}
