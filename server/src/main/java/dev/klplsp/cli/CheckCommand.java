// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.project.ProjectFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code klp-lsp check MODULE}: what a conversion would do and every problem the kernel would reject or crash on. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a built livepatch module against a kernel's symbols: unresolved, ambiguous or",
            "wrongly positioned symbols, risky function references, relocations in sections the kernel mishandles,",
            "and problems in KLP relocations that are already there. Codes: docs/diagnostics.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no error findings (warnings allowed)", "1:error findings", "2:usage error",
            "3:an input is missing, unreadable or malformed", "4:internal error"})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODULE", description = "The livepatch module (.ko).")
    Path module;

    @Mixin
    KernelOptions kernel;

    @Mixin
    CheckOptions checks;

    @Option(names = "--json", description = "Print a JSON report (schema in docs/diagnostics.md).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Optional<ProjectFile> project = kernel.readProject(spec.commandLine().getErr(), moduleDirectory(module));
        kernel.requireKernel(spec.commandLine());
        CheckConfig config = checks.toConfig(spec.commandLine(), project);
        CheckResult result = ModuleConversion.check(module, () -> kernel.loadIndex(spec.commandLine()), config);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(FindingRenderer.json(module.toString(), result, Map.of()));
        } else {
            FindingRenderer.printText(out, module.toString(), result.findings());
            out.println(module + ": " + FindingRenderer.summaryLine(result) + "; " + result.plan().symbols().size()
                    + " symbol" + (result.plan().symbols().size() == 1 ? "" : "s") + " to convert");
        }
        out.flush();
        return result.hasErrors() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** Where the project file search starts: the module's directory (the current one for a bare file name). */
    static Path moduleDirectory(Path module) {
        Path parent = module.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }
}
