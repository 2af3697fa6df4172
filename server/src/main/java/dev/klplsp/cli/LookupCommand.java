// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import com.google.gson.GsonBuilder;
import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.Export;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code klp-lsp lookup NAME}: every candidate of a symbol name across vmlinux and modules, with its sympos. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = {"Show every kallsyms-visible symbol named NAME in the kernel: object, sympos (the",
            "position the kernel counts; 0 = unique), type, binding, section, address, size, source file, export.",
            "When nothing has that exact name, show its compiler clones (NAME.isra.0...) and close names.",
            "With several --kernel, one row per kernel and copy, and which copy it is across the kernels (a pin by",
            "identity such as 'near clockevents_program_min_delta' that names it in every kernel)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:at least one symbol has that name", "1:no symbol has that name (clones and close"
                + " names are still shown; --json prints [])", "2:usage error",
            "3:an input is missing, unreadable or malformed", "4:internal error"})
public final class LookupCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The exact symbol name, e.g. do_poweroff.")
    String name;

    @Mixin
    KernelOptions kernel;

    @Option(names = "--object", paramLabel = "OBJECT", description = "Only this object (vmlinux or a module name).")
    String object;

    @Option(names = "--json", description = "Print a JSON array of candidates instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Row row : found) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("kernel", row.kernel());
                json.putAll(toJson(row.symbol()));
                json.put("copy", row.copy().isEmpty() ? null : row.copy());
                rows.add(json);
            }
            out.println(new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(rows));
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
                    s.type().name(), s.binding().name(), s.section().orElse(String.valueOf(s.nmLetter())),
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
