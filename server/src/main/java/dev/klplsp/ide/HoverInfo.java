// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernels have under the name at the cursor.
 *
 * @param span      the name in the file
 * @param rows      every counted symbol of that exact name, kernel by kernel
 * @param clones    compiler clones of the name (shown when there is no exact match, or as a warning)
 * @param kernels   how many kernels are configured: with more than one, each row says its kernel and which copy
 *                  it is (file or neighbour)
 * @param functions what the first kernel's debug information says about the functions behind the name:
 *                  out-of-line copies, clones, inlined copies (empty without debug information)
 */
public record HoverInfo(Span span, String name, List<Row> rows, List<Row> clones, int kernels,
        List<FunctionFacts> functions) {
    /** Inline sites listed per function; the rest are counted. */
    static final int SITES_SHOWN = 20;
    private static final Pattern OPTIMIZATION = Pattern.compile("(?:^|\\s)(-O[0-3sgz]?)(?=\\s|$)");

    public HoverInfo {
        rows = List.copyOf(rows);
        clones = List.copyOf(clones);
        functions = List.copyOf(functions);
    }

    /**
     * One symbol in one kernel.
     *
     * @param copy which copy it is across the kernels: a pin by identity that names it in all of them
     *             ({@code near X}, {@code file F}), else its neighbourhood; empty for a unique name
     */
    public record Row(String kernel, Candidate candidate, String copy) {
    }

    static HoverInfo of(Span span, String name, List<TargetKernel> kernels, List<FunctionFacts> functions) {
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
        return new HoverInfo(span, name, rows, clones, kernels.size(), functions);
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
        for (FunctionFacts function : functions) {
            text.append("\n");
            facts(text, function);
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

    /**
     * {@code Debug information of vmlinux: do_proc_dointvec_conv, declared at kernel/sysctl.c:834}, then its
     * out-of-line copies (with what clones changed and how their unit was compiled) and its inlined copies.
     */
    private static void facts(StringBuilder text, FunctionFacts function) {
        text.append("Debug information of ").append(function.object()).append(": **").append(function.name())
                .append("**").append(function.declaration().map(line -> ", declared at " + line).orElse(""))
                .append("\n\n");
        if (function.instances().isEmpty()) {
            text.append("- no out-of-line copy: only inlined, so there is no symbol to patch\n");
        }
        for (OutOfLineInstance copy : function.instances()) {
            text.append("- ").append(copy.isClone() ? "compiler clone " : "out of line as ")
                    .append(copy.hasSymbol() ? "`" + copy.symbol() + "`" : "(no symbol)")
                    .append(copy.sympos() > 0 ? " sympos " + copy.sympos() : "")
                    .append(" at 0x").append(Long.toHexString(copy.address()))
                    .append(copy.section().map(section -> " (" + section + ")").orElse(""));
            List<String> changes = copy.parameterChanges().stream().map(ParameterChange::describe).toList();
            if (!changes.isEmpty()) {
                text.append(": ").append(String.join(", ", changes));
            }
            if (copy.callingConventionChanged()) {
                text.append(changes.isEmpty() ? ": " : ", ").append("calling convention changed");
            }
            ipaRa(copy).ifPresent(note -> text.append("; ").append(note));
            text.append("\n");
        }
        List<InlineSite> sites = function.sitesInOtherFunctions();
        if (!sites.isEmpty()) {
            text.append("- inlined in ").append(sites.size()).append(sites.size() == 1 ? " place" : " places")
                    .append(" (those copies keep the old code when only this function is replaced):\n");
            for (InlineSite site : sites.subList(0, Math.min(SITES_SHOWN, sites.size()))) {
                text.append("  - ").append(site.container().map(container -> container.hasSymbol()
                        ? container.symbol() : container.function() + " (no symbol)").orElse("unknown function"));
                if (site.container().map(c -> !c.function().equals(site.callingFunction())).orElse(false)
                        && !site.callingFunction().isEmpty()) {
                    text.append(" via ").append(site.callingFunction());
                }
                text.append(site.call().map(call -> " at " + call).orElse("")).append("\n");
            }
            if (sites.size() > SITES_SHOWN) {
                text.append("  - \u2026 and ").append(sites.size() - SITES_SHOWN).append(" more\n");
            }
        }
    }

    /**
     * The compiler flags that matter for a replacement, from the unit's DW_AT_producer: optimized without
     * {@code -fno-ipa-ra} (nor {@code -flive-patching}), callers in the unit may keep values in registers this
     * copy does not clobber, which a new function compiled elsewhere knows nothing of.
     */
    static java.util.Optional<String> ipaRa(OutOfLineInstance copy) {
        String producer = copy.producer();
        Matcher level = OPTIMIZATION.matcher(producer);
        String optimization = null;
        while (level.find()) {
            optimization = level.group(1);
        }
        if (optimization == null || optimization.equals("-O0") || producer.contains("-fno-ipa-ra")
                || producer.contains("-flive-patching")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(copy.unit() + " built " + optimization + " without -fno-ipa-ra: callers there"
                + " may rely on the registers this copy leaves untouched");
    }
}
