// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import com.google.gson.GsonBuilder;
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
            "When nothing has that exact name, show its compiler clones (NAME.isra.0...) and close names."},
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

    @Override
    public Integer call() {
        kernel.readProject(spec.commandLine().getErr(), java.nio.file.Path.of("").toAbsolutePath());
        kernel.requireKernel(spec.commandLine());
        KernelIndex index = kernel.loadIndex(spec.commandLine());
        String objectName = object == null ? null : object.replace('-', '_');
        List<KernelSymbol> found = objectName == null ? index.lookup(name) : index.lookup(objectName, name);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (KernelSymbol symbol : found) {
                rows.add(toJson(symbol));
            }
            out.println(new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(rows));
        } else if (!found.isEmpty()) {
            printTable(out, found);
            index.export(name).filter(e -> found.stream().noneMatch(KernelSymbol::isExported))
                    .ifPresent(e -> out.println("exported by " + e.object() + " (" + e.exportType() + ")"));
        } else {
            out.println("no symbol named '" + name + "'" + (objectName == null ? "" : " in " + objectName)
                    + " in " + index.release().orElse("this kernel"));
            List<KernelSymbol> clones = index.cloneFamily(name);
            if (objectName != null) {
                clones = clones.stream().filter(s -> s.object().equals(objectName)).toList();
            }
            if (!clones.isEmpty()) {
                out.println("compiler clones of " + name + ":");
                printTable(out, clones);
            }
            List<String> close = index.closeNames(name, 8);
            if (!close.isEmpty()) {
                out.println("close names: " + String.join(", ", close));
            }
        }
        out.flush();
        return found.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
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

    private static void printTable(PrintWriter out, List<KernelSymbol> symbols) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"OBJECT", "NAME", "SYMPOS", "TYPE", "BIND", "SECTION", "ADDRESS", "SIZE", "FILE",
            "NOTES"});
        for (KernelSymbol s : symbols) {
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
            rows.add(new String[] {s.object(), s.name(), s.isCounted() ? Integer.toString(s.sympos()) : "-",
                s.type().name(), s.binding().name(), s.section().orElse(String.valueOf(s.nmLetter())),
                "0x" + Long.toHexString(s.address()), Long.toString(s.size()), s.sourceFile().orElse("-"),
                String.join(", ", notes)});
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
