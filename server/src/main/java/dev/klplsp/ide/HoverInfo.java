// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.source.Span;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel has under the name at the cursor.
 *
 * @param span the name in the file
 * @param candidates every counted symbol of that exact name
 * @param clones compiler clones of the name (shown when there is no exact match, or as a warning)
 * @param functions what the kernel's debug information says about the functions behind the name: out-of-line
 *     copies, clones, inlined copies (empty without debug information)
 */
public record HoverInfo(Span span, String name, List<Candidate> candidates, List<Candidate> clones,
        List<FunctionFacts> functions) {
    /** Inline sites listed per function; the rest are counted. */
    static final int SITES_SHOWN = 20;
    private static final Pattern OPTIMIZATION = Pattern.compile("(?:^|\\s)(-O[0-3sgz]?)(?=\\s|$)");

    public HoverInfo {
        candidates = List.copyOf(candidates);
        clones = List.copyOf(clones);
        functions = List.copyOf(functions);
    }

    public HoverInfo(Span span, String name, List<Candidate> candidates, List<Candidate> clones) {
        this(span, name, candidates, clones, List.of());
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
        for (FunctionFacts function : functions) {
            text.append("\n");
            facts(text, function);
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
