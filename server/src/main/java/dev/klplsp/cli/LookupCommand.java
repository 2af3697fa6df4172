// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.ide.KernelSourceTree;
import dev.klplsp.ide.SourceLocation;
import dev.klplsp.kernel.DebugInfoIndexes;
import dev.klplsp.kernel.Export;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SourceLine;
import dev.klplsp.kernel.SymbolSourceException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** {@code klp-lsp lookup NAME}: every candidate of a symbol name across vmlinux and modules, with its sympos. */
public final class LookupCommand implements Callable<Integer> {
    String name;
    final KernelOptions kernel = new KernelOptions();
    String object;
    boolean json;
    boolean inlines;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "lookup");
        spec = model.spec();
        return model.header("Show every kernel symbol of a name, with its sympos.")
                .description("Shows every kallsyms-visible symbol named NAME in the kernel: object, sympos (the"
                        + " position the kernel counts; 0 = unique), type, binding, section (- when the source has"
                        + " none, as in a kallsyms dump), address, size, source file, export.",
                    "When nothing has that exact name, shows its compiler clones (NAME.isra.0...) and close names.",
                    "With several --kernel, one row per kernel and copy, and which copy it is across the kernels (a"
                        + " pin by identity such as 'near clockevents_program_min_delta' that names it in every"
                        + " kernel).",
                    "With --inlines, what the kernel's debug information says: copies, clones and every inlined copy"
                        + " (the first kernel's, with several).")
                .exitCodes("0:at least one symbol has that name", "1:no symbol has that name (clones and close"
                        + " names are still shown; --json prints [])", "2:usage error",
                    "3:an input is missing, unreadable or malformed", "4:internal error")
                .examples("  klp-lsp lookup do_poweroff --kernel 6.1.0-56-amd64",
                    "  klp-lsp lookup --object nvram nvram_read --kernel /lib/modules/$(uname -r)",
                    "  klp-lsp lookup --inlines cpumask_weight --kernel 6.1.0-56-amd64")
                .positional("name", "1", "NAME", "The exact symbol name, e.g. do_poweroff.")
                .mixin("kernel", kernel.model(spec))
                .option("object", "OBJECT", "Only this object (vmlinux or a module name).", "--object")
                .flag("json", "Print a JSON array of candidates instead of a table (with --inlines: an object with"
                        + " the candidates as \"symbols\" and the debug information's \"functions\").", "--json")
                .flag("inlines", "Also show what the kernel's debug information says about the functions of that"
                        + " name (--debug-info, or found for the kernel's release): where each is declared, its"
                        + " out-of-line copies and compiler clones with what they changed, and every place it was"
                        + " inlined.", "--inlines")
                .build();
    }

    /** One symbol of one kernel, with the copy it is across the kernels (empty for a unique name). */
    private record Row(String kernel, KernelSymbol symbol, String copy) {
    }

    @Override
    public Integer call() {
        kernel.readProject(spec.commandLine().getErr(), java.nio.file.Path.of("").toAbsolutePath());
        kernel.requireKernel(spec.commandLine());
        List<TargetKernel> kernels = kernel.loadKernels(spec.commandLine());
        String objectName = object == null ? null : object.replace('-', '_');
        boolean several = kernels.size() > 1;
        List<Row> found = new ArrayList<>();
        Map<String, List<CopyAcross>> copies = new LinkedHashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            KernelIndex index = kernels.get(k).index();
            for (KernelSymbol symbol : objectName == null ? index.lookup(name) : index.lookup(objectName, name)) {
                found.add(new Row(kernels.get(k).name(), symbol, copyOf(kernels, k, symbol, copies)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (inlines) {
            // The debug information is the first (reference) kernel's.
            KernelIndex index = kernels.get(0).index();
            List<FunctionFacts> functions = functions(index, objectName);
            Optional<KernelSourceTree> tree = KernelSourceTree.of(kernel.settings().kernelSource());
            String build = KernelSourceTree.build(index.release());
            Function<SourceLine, Optional<SourceLocation>> source = line -> KernelSourceTree.locate(tree, line, build);
            if (json) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("symbols", found.stream().map(LookupCommand::toJson).toList());
                report.put("functions", functions.stream().map(function -> toJson(function, source)).toList());
                out.println(FindingRenderer.jsonText(report));
            } else {
                if (!found.isEmpty()) {
                    printTable(out, found, several);
                } else {
                    out.println("no symbol named '" + name + "'" + (objectName == null ? "" : " in " + objectName)
                            + " in " + index.release().orElse("this kernel"));
                }
                for (FunctionFacts function : functions) {
                    out.println();
                    printFacts(out, function, source);
                }
                if (functions.isEmpty()) {
                    out.println("the debug information has no function named '" + name + "'");
                }
            }
            out.flush();
            return found.isEmpty() && functions.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Row row : found) {
                rows.add(toJson(row));
            }
            out.println(FindingRenderer.jsonText(rows));
            out.flush();
            return found.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
        if (!found.isEmpty()) {
            printTable(out, found, several);
        }
        for (TargetKernel target : kernels) {
            KernelIndex index = target.index();
            List<Row> inThis = found.stream().filter(row -> row.kernel().equals(target.name())).toList();
            if (!inThis.isEmpty()) {
                index.export(name).filter(e -> inThis.stream().noneMatch(row -> row.symbol().isExported()))
                        .ifPresent(e -> out.println("exported by " + e.object() + " (" + e.exportType() + ")"
                                + (several ? " in " + target.name() : "")));
                continue;
            }
            out.println("no symbol named '" + name + "'" + (objectName == null ? "" : " in " + objectName)
                    + " in " + (several ? target.name() : index.release().orElse("this kernel")));
            List<KernelSymbol> clones = index.cloneFamily(name);
            if (objectName != null) {
                clones = clones.stream().filter(s -> s.object().equals(objectName)).toList();
            }
            if (!clones.isEmpty()) {
                out.println("compiler clones of " + name + ":");
                printTable(out, clones.stream().map(clone -> new Row(target.name(), clone, "")).toList(), several);
            }
            List<String> close = index.closeNames(name, 8);
            if (!close.isEmpty()) {
                out.println("close names: " + String.join(", ", close));
            }
        }
        out.flush();
        return found.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /**
     * The functions of that name in the debug information of each object the name may be in (the given one, else
     * vmlinux and the objects with a symbol or clone of it); an input error when none of them has any.
     */
    private List<FunctionFacts> functions(KernelIndex index, String objectName) {
        Set<String> objects = new LinkedHashSet<>();
        if (objectName != null) {
            objects.add(objectName);
        } else {
            objects.add(KernelSymbol.VMLINUX);
            index.lookup(name).forEach(symbol -> objects.add(symbol.object()));
            index.cloneFamily(name).forEach(symbol -> objects.add(symbol.object()));
        }
        DebugInfoIndexes debugInfo = kernel.debugInfo();
        Set<FunctionFacts> functions = new LinkedHashSet<>();
        boolean anyDebugInfo = false;
        for (String object : objects) {
            Optional<OptimizationIndex> facts = debugInfo.index(object);
            if (facts.isEmpty()) {
                continue;
            }
            anyDebugInfo = true;
            for (OutOfLineInstance copy : facts.get().instances(name)) {
                facts.get().functionOfSymbol(copy.symbol(), copy.sympos()).ifPresent(functions::add);
            }
            functions.addAll(facts.get().functions(name));
        }
        if (!anyDebugInfo) {
            List<Path> looked = new ArrayList<>();
            objects.forEach(object -> looked.addAll(debugInfo.locator().candidates(object)));
            throw new SymbolSourceException(null, "no debug information for " + String.join(", ", objects)
                    + (looked.isEmpty() ? "" : " (none in " + looked + ")") + ": give --debug-info FILE|DIR"
                    + debugInfo.locator().release().map(release -> ", or install linux-image-" + release
                            + "-dbg (Debian)").orElse(""));
        }
        return List.copyOf(functions);
    }

    /**
     * One function as the debug information has it: declaration, copies, inlined copies; with a kernel source tree,
     * where its lines are there.
     */
    private static void printFacts(PrintWriter out, FunctionFacts function,
            Function<SourceLine, Optional<SourceLocation>> source) {
        out.println(function.name() + " in " + function.object() + function.declaration().map(line -> ", declared at "
                + line + source.apply(line).map(found -> " (" + where(found) + ", " + found.version() + ")")
                        .orElse("")).orElse(""));
        if (function.instances().isEmpty()) {
            out.println("  no out-of-line copy: only inlined, so no symbol to patch");
        }
        for (OutOfLineInstance copy : function.instances()) {
            StringBuilder line = new StringBuilder("  ").append(copy.isClone() ? "compiler clone " : "out of line ")
                    .append(copy.hasSymbol() ? copy.symbol() : "(no symbol)")
                    .append(copy.sympos() >= 0 ? " sympos " + copy.sympos() : "")
                    .append(" at 0x").append(Long.toHexString(copy.address()))
                    .append(copy.section().map(section -> " (" + section + ")").orElse(""))
                    .append(", unit ").append(copy.unit());
            List<String> changes = changes(copy);
            if (!changes.isEmpty()) {
                line.append(": ").append(String.join(", ", changes));
            }
            if (!copy.coldParts().isEmpty()) {
                line.append("; split-off parts ").append(String.join(", ", copy.coldParts()));
            }
            out.println(line);
        }
        List<InlineSite> sites = function.inlineSites();
        if (!sites.isEmpty()) {
            out.println("  inlined in " + sites.size() + (sites.size() == 1 ? " place:" : " places:"));
            for (InlineSite site : sites) {
                out.println("    " + caller(site) + site.call().map(call -> " at " + call + source.apply(call)
                        .map(found -> " (" + where(found) + ")").orElse("")).orElse("")
                        + (site.insideOwnCopy() ? " (inside its own copy)" : ""));
            }
        }
    }

    /** {@code /usr/src/linux-source-6.1/kernel/sysctl.c:846}. */
    private static String where(SourceLocation location) {
        return location.file() + ":" + location.line();
    }

    /** {@code do_proc_dointvec_minmax_conv}, {@code state_store via decode_state}, {@code foo,2}. */
    private static String caller(InlineSite site) {
        String container = site.container().map(copy -> copy.hasSymbol() ? copy.symbol()
                + (copy.sympos() > 0 ? "," + copy.sympos() : "") : copy.function() + " (no symbol)")
                .orElse("(unknown function)");
        String function = site.container().map(OutOfLineInstance::function).orElse("");
        return !site.callingFunction().isEmpty() && !site.callingFunction().equals(function)
                ? container + " via " + site.callingFunction() : container;
    }

    private static List<String> changes(OutOfLineInstance copy) {
        List<String> changes = new ArrayList<>(copy.parameterChanges().stream().map(ParameterChange::describe)
                .toList());
        if (copy.callingConventionChanged()) {
            changes.add("calling convention changed (DW_CC_nocall)");
        }
        return changes;
    }

    static Map<String, Object> toJson(FunctionFacts function, Function<SourceLine, Optional<SourceLocation>> source) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("object", function.object());
        row.put("name", function.name());
        row.put("declaration", function.declaration().map(Object::toString).orElse(null));
        row.put("declarationSource", function.declaration().flatMap(source).map(LookupCommand::where).orElse(null));
        List<Map<String, Object>> copies = new ArrayList<>();
        for (OutOfLineInstance copy : function.instances()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("symbol", copy.hasSymbol() ? copy.symbol() : null);
            entry.put("sympos", copy.sympos());
            entry.put("address", "0x" + Long.toHexString(copy.address()));
            entry.put("section", copy.section().orElse(null));
            entry.put("unit", copy.unit());
            entry.put("clone", copy.isClone());
            entry.put("transformed", copy.isTransformed());
            entry.put("changes", changes(copy));
            entry.put("coldParts", copy.coldParts());
            entry.put("producer", copy.producer());
            copies.add(entry);
        }
        row.put("instances", copies);
        List<Map<String, Object>> sites = new ArrayList<>();
        for (InlineSite site : function.inlineSites()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("container", site.container().filter(OutOfLineInstance::hasSymbol)
                    .map(OutOfLineInstance::symbol).orElse(null));
            entry.put("containerSympos", site.container().map(OutOfLineInstance::sympos).orElse(null));
            entry.put("callingFunction", site.callingFunction());
            entry.put("call", site.call().map(Object::toString).orElse(null));
            entry.put("callSource", site.call().flatMap(source).map(LookupCommand::where).orElse(null));
            entry.put("insideOwnCopy", site.insideOwnCopy());
            sites.add(entry);
        }
        row.put("inlineSites", sites);
        return row;
    }

    /**
     * How a copy of a duplicated name is told apart across the kernels: its pin by identity ({@code near X},
     * {@code file F}) when one names it in every kernel, else its neighbourhood; empty for a name unique
     * everywhere.
     */
    private String copyOf(List<TargetKernel> kernels, int k, KernelSymbol symbol, Map<String, List<CopyAcross>> cache) {
        if (!symbol.isCounted() || !CopyAcross.duplicatedSomewhere(kernels, symbol.object(), symbol.name())) {
            return "";
        }
        List<CopyAcross> rows = cache.computeIfAbsent(symbol.object(), object -> CopyAcross.of(kernels, object,
                symbol.name()));
        return CopyAcross.rowOf(rows, k, symbol).map(row -> row.pin().map(Object::toString)
                .orElse(row.identity().describe())).orElse("");
    }

    /** A row of the JSON answer: the kernel, the symbol, which copy it is across the kernels. */
    private static Map<String, Object> toJson(Row row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kernel", row.kernel());
        json.putAll(toJson(row.symbol()));
        json.put("copy", row.copy().isEmpty() ? null : row.copy());
        return json;
    }

    static Map<String, Object> toJson(KernelSymbol symbol) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("object", symbol.object());
        row.put("name", symbol.name());
        row.put("sympos", symbol.sympos());
        row.put("occurrences", symbol.occurrences());
        row.put("klpName", symbol.isCounted() ? symbol.klpSymbolName() : null);
        row.put("type", symbol.type().name());
        row.put("binding", symbol.binding().name());
        row.put("nmLetter", String.valueOf(symbol.nmLetter()));
        row.put("section", symbol.section().orElse(null));
        row.put("file", symbol.sourceFile().orElse(null));
        row.put("address", "0x" + Long.toHexString(symbol.address()));
        row.put("size", symbol.size());
        row.put("exported", symbol.isExported());
        Export export = symbol.export().orElse(null);
        row.put("exportType", export == null ? null : export.exportType());
        row.put("namespace", export == null ? null : export.namespace().orElse(null));
        row.put("init", symbol.init());
        row.put("roAfterInit", symbol.roAfterInit());
        row.put("specialSection", symbol.specialSection());
        return row;
    }

    private static void printTable(PrintWriter out, List<Row> symbols, boolean several) {
        List<String[]> rows = new ArrayList<>();
        rows.add(several ? new String[] {"KERNEL", "OBJECT", "NAME", "SYMPOS", "TYPE", "BIND", "SECTION", "ADDRESS",
            "SIZE", "FILE", "COPY", "NOTES"} : new String[] {"OBJECT", "NAME", "SYMPOS", "TYPE", "BIND", "SECTION",
                "ADDRESS", "SIZE", "FILE", "NOTES"});
        for (Row row : symbols) {
            KernelSymbol s = row.symbol();
            List<String> notes = new ArrayList<>();
            s.export().ifPresent(e -> notes.add(e.exportType().isEmpty() ? "exported" : e.exportType()
                    + e.namespace().map(ns -> " ns " + ns).orElse("")));
            if (s.init()) {
                notes.add("init");
            }
            if (s.roAfterInit()) {
                notes.add("ro_after_init");
            }
            if (s.specialSection()) {
                notes.add("special section");
            }
            if (!s.isCounted()) {
                notes.add("not in kallsyms after module init");
            } else if (s.occurrences() > 1) {
                notes.add(s.sympos() + " of " + s.occurrences());
            }
            List<String> cells = new ArrayList<>();
            if (several) {
                cells.add(row.kernel());
            }
            cells.addAll(List.of(s.object(), s.name(), s.isCounted() ? Integer.toString(s.sympos()) : "-",
                    s.type().name(), s.binding().name(), s.section().orElse("-"),
                    "0x" + Long.toHexString(s.address()), Long.toString(s.size()), s.sourceFile().orElse("-")));
            if (several) {
                cells.add(row.copy().isEmpty() ? "-" : row.copy());
            }
            cells.add(String.join(", ", notes));
            rows.add(cells.toArray(String[]::new));
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    // Padded by hand: the first String.format of a JVM costs milliseconds (format parsing).
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
