// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.IndexWarning;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.SymbolsKlpFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** {@code klp-lsp index}: builds or refreshes the cached symbol index of each kernel named and summarizes it. */
public final class IndexCommand implements Callable<Integer> {
    final KernelOptions kernel = new KernelOptions();
    Path symbolsKlp;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "index");
        spec = model.spec();
        return model.header("Build or reload a kernel's symbol index and summarize it.")
                .description("Builds the symbol index of a kernel (or reloads it from the cache) and prints a"
                        + " summary: objects, symbols, duplicated names.",
                    "The cache is keyed by the inputs' paths, sizes and modification times; a changed input rebuilds"
                        + " it.")
                .exitCodes("0:the index was built or loaded", "2:usage error",
                    "3:an input is missing, unreadable or malformed", "4:internal error")
                .examples("  klp-lsp index --kernel 6.1.0-56-amd64",
                    "  klp-lsp index --kernel /proc/kallsyms --write-symbols-klp symbols.klp")
                .mixin("kernel", kernel.model(spec))
                .option("symbolsKlp", "FILE", "Also write the index as klp-convert's symbols.klp"
                        + " (klp-convert-symbol-data.0.1).", "--write-symbols-klp")
                .build();
    }

    @Override
    public Integer call() {
        kernel.readProject(spec.commandLine().getErr(), java.nio.file.Path.of("").toAbsolutePath());
        kernel.requireKernel(spec.commandLine());
        List<ConfiguredKernel> kernels = kernel.kernels();
        if (symbolsKlp != null && kernels.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--write-symbols-klp writes one kernel's"
                    + " symbols; name one kernel");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (ConfiguredKernel configured : kernels) {
            long start = System.nanoTime();
            KernelIndex index = kernel.load(configured, spec.commandLine());
            summarize(out, index, System.nanoTime() - start);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void summarize(PrintWriter out, KernelIndex index, long elapsed) {
        if (symbolsKlp != null) {
            SymbolsKlpFile.write(index, symbolsKlp);
        }
        KernelIndex.LoadInfo info = index.loadInfo();
        out.printf("Kernel %s: %s in %.2f s%n", index.release().orElse("(release unknown)"),
                info.fromCache() ? "loaded from cache" : "indexed", elapsed / 1e9);
        info.cacheFile().ifPresent(file -> out.println("  cache:            " + file));
        int modules = index.objects().size() - (index.hasObject(KernelSymbol.VMLINUX) ? 1 : 0);
        out.printf("  objects:          %,d (%s%,d modules)%n", index.objects().size(),
                index.hasObject(KernelSymbol.VMLINUX) ? "vmlinux + " : "no vmlinux, ", modules);
        out.printf("  symbols:          %,d (vmlinux %,d)%n", index.symbolCount(),
                index.symbolCount(KernelSymbol.VMLINUX));
        out.printf("  distinct names:   %,d%n", index.distinctNameCount());
        out.printf("  duplicated names: %,d (same name more than once in one object: sympos needed)%n",
                index.duplicatedNameCount());
        out.printf("  exports:          %,d%n", index.exportCount());
        if (!index.builtinModules().isEmpty()) {
            out.printf("  built-in modules: %,d%n", index.builtinModules().size());
        }
        if (symbolsKlp != null) {
            out.println("  symbols.klp:      " + symbolsKlp);
        }
        for (String note : info.notes()) {
            out.println("  note: " + note);
        }
        out.printf("  warnings:         %,d%n", index.warnings().size());
        for (IndexWarning warning : index.warnings()) {
            out.println("    " + warning);
        }
    }
}
