// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SourceLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wording of what a kernel's debug information says about a function a livepatch replaces or calls
 * ({@code replaced-function-inlined}, {@code replaced-function-cloned}, {@code replaced-function-only-inlined},
 * {@code function-transformed}, and the exact clauses of {@code function-symbol-risk}), for the module checks and
 * the editor's source checks alike.
 */
public final class OptimizationText {
    /** Callers named in one message; the rest are counted. */
    static final int CALLERS_SHOWN = 8;

    private OptimizationText() {
    }

    /**
     * {@code klp_func replaces do_proc_dointvec_conv, but vmlinux also has 1 inlined copy of it, in
     * do_proc_dointvec_minmax_conv (kernel/sysctl.c:858): those copies keep the old code: patch the callers too}.
     */
    public static String inlined(String name, String object, List<InlineSite> sites) {
        Map<String, List<String>> callers = callers(sites);
        return "klp_func replaces " + name + ", but " + object + " also has " + copies(sites.size(), "inlined copy")
                + " of it, in " + (callers.size() == 1 ? "" : callers.size() + " functions: ") + list(callers)
                + ": those copies keep the old code: patch the callers too";
    }

    /**
     * {@code klp_func replaces always_inlined, but vmlinux has no out-of-line copy of it: the compiler inlined it
     * in 1 place, in flattened_caller (a.c:33): the kernel finds no symbol to patch; replace the callers instead}.
     */
    public static String onlyInlined(String name, String object, List<InlineSite> sites) {
        Map<String, List<String>> callers = callers(sites);
        return "klp_func replaces " + name + ", but " + object + " has no out-of-line copy of it: the compiler"
                + " inlined it in " + sites.size() + (sites.size() == 1 ? " place" : " places") + ", in "
                + (callers.size() == 1 ? "" : callers.size() + " functions: ") + list(callers)
                + ": the kernel finds no symbol to patch; replace the callers instead";
    }

    /**
     * {@code klp_func replaces scaled, but vmlinux has 1 other copy of it: scaled.constprop.0 (compiler clone:
     * 'factor' replaced by the constant 4): code that calls another copy keeps the old code: replace each copy
     * with its own klp_func, taking that copy's parameters}.
     */
    public static String otherCopies(String name, String object, List<OutOfLineInstance> copies) {
        List<String> described = new ArrayList<>();
        for (OutOfLineInstance copy : copies) {
            described.add(copy(copy));
        }
        return "klp_func replaces " + name + ", but " + object + " has " + copies(copies.size(), "other copy")
                + " of it: " + String.join(", ", described) + ": code that calls another copy keeps the old code:"
                + " replace each copy with its own klp_func, taking that copy's parameters";
    }

    /**
     * {@code klp_func replaces read_through.isra.0, a compiler clone of read_through (a.c:55) with 'unused'
     * dropped, 'p' no longer passed: the new function must take the clone's parameters, not read_through's}.
     */
    public static String replacedTransformed(OutOfLineInstance copy, Optional<SourceLine> declaration) {
        return "klp_func replaces " + copy.symbol() + ", " + transformation(copy, declaration)
                + ": the new function must take the clone's parameters, not " + copy.function() + "'s";
    }

    /**
     * {@code reference to read_through.isra.0 in vmlinux: a compiler clone of read_through (a.c:55) with 'unused'
     * dropped, 'p' no longer passed: declare and call it with the clone's parameters, not read_through's}.
     */
    public static String calledTransformed(OutOfLineInstance copy, String object,
            Optional<SourceLine> declaration) {
        return "reference to " + copy.symbol() + " in " + object + ": " + transformation(copy, declaration)
                + ": declare and call it with the clone's parameters, not " + copy.function() + "'s";
    }

    /** The fact behind an informational {@code function-symbol-risk}: the copy called is the function as written. */
    public static String asWritten(OutOfLineInstance copy, Optional<SourceLine> declaration) {
        return "its debug information shows " + copy.symbol() + " out of line as written"
                + declaration.map(line -> " (" + line + ")").orElse("")
                + ", without compiler clones or changed parameters";
    }

    /** The {@code function-symbol-risk} clause for the other copies of a called function. */
    public static String calledWithCopies(List<OutOfLineInstance> copies) {
        List<String> described = new ArrayList<>();
        for (OutOfLineInstance copy : copies) {
            described.add(copy(copy));
        }
        return "its debug information shows other copies of it (" + String.join(", ", described)
                + "): the kernel's own callers may run one of those instead";
    }

    /** The {@code function-symbol-risk} clause for a function its object's debug information does not describe. */
    public static String undescribed(String object) {
        return "the debug information of " + object + " does not describe it (assembly, or code without debug"
                + " information), so what the compiler did is unknown";
    }

    /**
     * How to get exact answers instead of risks: {@code for exact answers give the kernel's debug information
     * (debugInfo, --debug-info; on Debian: linux-image-6.1.0-56-amd64-dbg)}.
     */
    public static String debugInfoHint(Optional<String> release) {
        return "for exact answers give the kernel's debug information (the debugInfo setting or --debug-info"
                + release.map(r -> "; on Debian: apt-get install linux-image-" + r + "-dbg").orElse("") + ")";
    }

    /** {@code a compiler clone of read_through (a.c:55) with 'unused' dropped, 'p' no longer passed}. */
    static String transformation(OutOfLineInstance copy, Optional<SourceLine> declaration) {
        StringBuilder text = new StringBuilder(copy.isClone() ? "a compiler clone of " : "a copy of ")
                .append(copy.function()).append(declaration.map(line -> " (" + line + ")").orElse(""));
        List<String> changes = changes(copy);
        if (!changes.isEmpty()) {
            text.append(" with ").append(String.join(", ", changes));
        }
        return text.toString();
    }

    /** What a copy changed: its parameters, and the calling convention when DWARF says so. */
    static List<String> changes(OutOfLineInstance copy) {
        List<String> changes = new ArrayList<>();
        for (ParameterChange change : copy.parameterChanges()) {
            changes.add(change.describe());
        }
        if (copy.callingConventionChanged()) {
            changes.add("its calling convention changed (DW_CC_nocall)");
        }
        return changes;
    }

    /** {@code foo.isra.0 (compiler clone: 'p' no longer passed)}, {@code foo,2 (another copy, in drivers/x.c)}. */
    private static String copy(OutOfLineInstance copy) {
        String symbol = copy.symbol().isEmpty() ? copy.function() + " (no symbol)" : copy.symbol();
        if (copy.sympos() > 0) {
            symbol += "," + copy.sympos();
        }
        if (copy.isClone()) {
            List<String> changes = changes(copy);
            return symbol + " (compiler clone" + (changes.isEmpty() ? "" : ": " + String.join(", ", changes))
                    + ")";
        }
        return symbol + " (another copy, in " + copy.unit() + ")";
    }

    /** "1 inlined copy", "3 other copies". */
    private static String copies(int count, String what) {
        return count + " " + (count == 1 ? what : what.substring(0, what.length() - 1) + "ies");
    }

    /**
     * The callers by the function whose code holds the copy (what a livepatch would replace), with their call
     * lines: {@code state_store} to {@code [kernel/power/main.c:620, ...]}; a call written in another inlined
     * function says so ({@code state_store via decode_state}).
     */
    private static Map<String, List<String>> callers(List<InlineSite> sites) {
        Map<String, List<String>> callers = new LinkedHashMap<>();
        for (InlineSite site : sites) {
            String container = site.container().map(copy -> copy.symbol().isEmpty()
                    ? copy.function() + " (no symbol)" : copy.symbol() + (copy.sympos() > 0 ? "," + copy.sympos()
                            : "")).orElse("an unknown function");
            String function = site.container().map(OutOfLineInstance::function).orElse("");
            if (!site.callingFunction().isEmpty() && !site.callingFunction().equals(function)) {
                container += " via " + site.callingFunction();
            }
            callers.computeIfAbsent(container, key -> new ArrayList<>())
                    .add(site.call().map(SourceLine::toString).orElse("line unknown"));
        }
        return callers;
    }

    /** {@code a (x.c:1, x.c:4 ×2), b (y.c:2)}, at most {@link #CALLERS_SHOWN} callers and a count of the rest. */
    private static String list(Map<String, List<String>> callers) {
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, List<String>> caller : callers.entrySet()) {
            if (shown.size() == CALLERS_SHOWN) {
                shown.add("and " + (callers.size() - CALLERS_SHOWN) + " more");
                break;
            }
            Map<String, Integer> lines = new LinkedHashMap<>();
            caller.getValue().forEach(line -> lines.merge(line, 1, Integer::sum));
            List<String> counted = new ArrayList<>();
            lines.forEach((line, count) -> counted.add(count == 1 ? line : line + " \u00d7" + count));
            shown.add(caller.getKey() + " (" + String.join(", ", counted) + ")");
        }
        return String.join(", ", shown);
    }
}
