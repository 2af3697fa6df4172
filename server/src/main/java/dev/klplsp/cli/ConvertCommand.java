// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.convert.ConversionOutcome;
import dev.klplsp.convert.ConversionSummary;
import dev.klplsp.convert.KernelsConversion;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingsLayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * {@code klp-lsp convert MODULE -o OUT}: the check, then, when it found no error, the module with KLP relocations
 * written atomically. The input is never modified except by {@code --in-place}, which replaces it atomically.
 */
public final class ConvertCommand implements Callable<Integer> {
    Path module;
    /** Neither option given: the project file's {@code output} decides. */
    final OutputOptions output = new OutputOptions();
    final KernelOptions kernel = new KernelOptions();
    final CheckOptions checks = new CheckOptions();
    boolean json;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "convert");
        spec = model.spec();
        return model.header("Make a livepatch module's kernel references KLP relocations.")
                .description("Converts a built livepatch module: references to non-exported kernel symbols become"
                        + " KLP relocations (.klp.rela.<obj>.<section>, .klp.sym.<obj>.<name>,<sympos>). Runs every"
                        + " check first and writes nothing when any error is found. Converting a converted module"
                        + " changes nothing.",
                    "With several --kernel, one output per kernel ({kernel} in the output), each written unless that"
                        + " kernel has errors.")
                .exitCodes("0:converted (warnings allowed)", "1:error findings, nothing written", "2:usage error",
                    "3:an input is missing, unreadable or malformed", "4:internal error")
                .examples("  klp-lsp convert livepatch.ko --kernel 6.1.0-56-amd64 -o livepatch.klp.ko",
                    "  klp-lsp convert livepatch.ko --kernel 6.1.0-56-amd64 --in-place \\",
                    "      --sympos cpumask_weight=vmlinux:2")
                .positional("module", "1", "MODULE", "The livepatch module (.ko) as kbuild linked it.")
                .mixin("output", output.model())
                .mixin("kernel", kernel.model(spec))
                .mixin("checks", checks.model())
                .flag("json", "Print a JSON report (schema in docs/diagnostics.md).", "--json")
                .build();
    }

    @Override
    public Integer call() {
        Optional<ProjectFile> project = kernel.readProject(spec.commandLine().getErr(),
                CheckCommand.moduleDirectory(module));
        kernel.requireKernel(spec.commandLine());
        OutputRule rule = outputRule();
        int kernelCount = kernel.kernels().size();
        if (kernelCount > 1 && !rule.namesKernel()) {
            throw new CommandLine.ParameterException(spec.commandLine(), kernelCount + " kernels need one output each:"
                    + " put " + OutputRule.KERNEL + " in the output (-o 'out/{kernel}/name.ko', or \"output\":"
                    + " \"{name}-{kernel}.ko\" in " + ProjectFile.NAME + "); --in-place takes one kernel");
        }
        CheckConfig config = checks.toConfig(spec.commandLine(), project).withOptimization(kernel.lazyDebugInfo());
        KernelsConversion conversion = ModuleConversion.convertKernels(module,
                () -> kernel.loadKernels(spec.commandLine()), config, rule);
        KernelsResult result = conversion.check();

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> extras = new ArrayList<>();
            for (ConversionOutcome outcome : conversion.outcomes()) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("written", outcome.written().map(written -> written.path().toString()).orElse(null));
                outcome.summary().ifPresent(summary -> {
                    extra.put("symbolsConverted", summary.symbolsConverted());
                    extra.put("relocationsMoved", summary.relocationsMoved());
                    extra.put("klpSections", summary.klpSections());
                    extra.put("sectionsRemoved", summary.sectionsRemoved());
                });
                extras.add(extra);
            }
            out.println(FindingRenderer.json(module.toString(), result, extras));
        } else {
            FindingRenderer.printText(out, module.toString(), result);
            for (int k = 0; k < conversion.outcomes().size(); k++) {
                ConversionOutcome outcome = conversion.outcomes().get(k);
                String shown = module + (kernelCount > 1 ? " [" + result.kernels().get(k).kernel() + "]" : "");
                if (outcome.blocked()) {
                    out.println(shown + ": " + FindingRenderer.summaryLine(outcome.result())
                            + "; not converted, nothing written");
                    continue;
                }
                ConversionSummary summary = outcome.summary().orElseThrow();
                StringBuilder line = new StringBuilder();
                if (outcome.unchanged()) {
                    line.append(rule.isInPlace() ? module + ": already converted, unchanged"
                            : outcome.target() + ": already holds the converted module, unchanged");
                } else {
                    line.append("wrote ").append(outcome.target());
                }
                line.append(": ").append(summary.symbolsConverted()).append(" symbols converted, ")
                        .append(summary.relocationsMoved()).append(" relocations moved");
                summary.klpSections().forEach((name, count) -> line.append("; ").append(name).append(": ")
                        .append(count));
                out.println(line);
                out.println(shown + ": " + FindingRenderer.summaryLine(outcome.result()));
            }
        }
        out.flush();
        return conversion.anyBlocked() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** -o/--in-place win; else the project file's "output" (inPlace or a pattern beside the module). */
    private OutputRule outputRule() {
        Optional<OutputRule> flag = output.rule();
        return SettingsLayer.EMPTY.withOutput(flag).over(kernel.projectLayer()).output().orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "name the output: -o OUT or --in-place"
                        + " (or \"output\" in a " + ProjectFile.NAME + " project file)"));
    }
}
