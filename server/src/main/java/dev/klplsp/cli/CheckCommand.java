// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.Severity;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Settings;
import dev.klplsp.ide.Workspace;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingsLayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code klp-lsp check INPUT...}: for a built module, what a conversion would do and every problem the kernel would
 * reject or crash on; for C sources ({@code .c}, {@code .h}), the editor's as-you-type findings, so CI and editors
 * without LSP get the same answers before anything is built.
 */
public final class CheckCommand implements Callable<Integer> {
    List<Path> inputs;
    final KernelOptions kernel = new KernelOptions();
    final CheckOptions checks = new CheckOptions();
    boolean json;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "check");
        spec = model.spec();
        return model.header("Check livepatch modules or their C sources against a kernel.")
                .description("For a built livepatch module: unresolved, ambiguous or wrongly positioned symbols,"
                        + " risky function references, relocations in sections the kernel mishandles, problems in KLP"
                        + " relocations already there. For C sources: what the editor shows as you type.",
                    "Codes: docs/diagnostics.md.")
                .exitCodes("0:no error findings (warnings allowed)", "1:error findings", "2:usage error",
                    "3:an input is missing, unreadable or malformed", "4:internal error")
                .examples("  klp-lsp check livepatch.ko --kernel 6.1.0-56-amd64",
                    "  klp-lsp check livepatch.c --kernel 6.1.0-56-amd64 --json",
                    "  klp-lsp check livepatch.ko --kernel linux-image-6.1.0-56-amd64_*.deb \\",
                    "      --kernel 6.1.0-47-amd64")
                .positional("inputs", "1..*", "MODULE|SOURCE", "Livepatch modules (.ko) and C sources (.c, .h;"
                        + " checked together, so a name one source defines is not looked up in the kernel for"
                        + " another).")
                .mixin("kernel", kernel.model(spec))
                .mixin("checks", checks.model())
                .flag("json", "Print a JSON report (schema in docs/diagnostics.md): the findings, each with the"
                        + " kernels it holds in, and per kernel its own; several inputs give an array of reports.",
                        "--json")
                .build();
    }

    @Override
    public Integer call() {
        Optional<ProjectFile> project = kernel.readProject(spec.commandLine().getErr(), moduleDirectory(inputs.get(0)));
        kernel.requireKernel(spec.commandLine());
        CheckConfig config = checks.toConfig(spec.commandLine(), project).withOptimization(kernel.lazyDebugInfo());
        List<Path> sources = inputs.stream().filter(Document::isSource).toList();
        List<Path> modules = inputs.stream().filter(input -> !Document.isSource(input)).toList();
        // Read every source before indexing, so a missing or unreadable one fails first.
        List<Document> documents = sources.stream().map(Document::read).toList();
        Supplier<List<TargetKernel>> kernels = memoized(() -> kernel.loadKernels(spec.commandLine()));

        PrintWriter out = spec.commandLine().getOut();
        List<String> reports = new ArrayList<>();
        boolean errors = false;
        for (Path module : modules) {
            KernelsResult result = ModuleConversion.checkKernels(module, kernels, config);
            errors |= result.hasErrors();
            if (json) {
                reports.add(FindingRenderer.json(module.toString(), result, List.of()));
            } else {
                FindingRenderer.printText(out, module.toString(), result);
                FindingRenderer.summaryLines(module.toString(), result).forEach(out::println);
            }
        }
        if (!documents.isEmpty()) {
            SettingsLayer flags = SettingsLayer.EMPTY.withFunctionReferences(Optional.of(config.functionReferences()))
                    .withSympos(Optional.of(config.choices()));
            Analysis analysis = analyze(documents, kernels.get(), flags.over(kernel.settings()).resolve(),
                    config.optimization());
            for (Document document : documents) {
                List<FileDiagnostic> findings = analysis.diagnostics(document.path());
                errors |= findings.stream().anyMatch(finding -> finding.severity() == Severity.ERROR);
                Path shown = sources.get(documents.indexOf(document));
                if (json) {
                    reports.add(FindingRenderer.sourceJson(shown.toString(), document, findings));
                } else {
                    FindingRenderer.printSourceText(out, shown.toString(), document, findings);
                }
            }
        }
        if (json) {
            out.println(reports.size() == 1 ? reports.get(0) : "[\n" + String.join(",\n", reports) + "\n]");
        }
        out.flush();
        return errors ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /**
     * The editor's analysis of the sources as one workspace, under the settings the flags and project file give,
     * with the first (reference) kernel's debug information.
     */
    static Analysis analyze(List<Document> documents, List<TargetKernel> kernels, Settings settings,
            OptimizationFacts optimization) {
        Workspace workspace = new Workspace(Path.of("").toAbsolutePath());
        workspace.setSettings(settings);
        workspace.setKernels(kernels);
        workspace.setOptimization(optimization);
        for (Document document : documents) {
            workspace.open(document);
        }
        return workspace.snapshot();
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        Object[] value = new Object[1];
        return () -> {
            if (value[0] == null) {
                value[0] = supplier.get();
            }
            @SuppressWarnings("unchecked")
            T result = (T) value[0];
            return result;
        };
    }

    /** Where the project file search starts: the input's directory (the current one for a bare file name). */
    static Path moduleDirectory(Path module) {
        Path parent = module.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }
}
