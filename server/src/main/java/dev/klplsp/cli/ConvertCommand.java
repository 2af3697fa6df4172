// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckResult;
import dev.klplsp.convert.ConversionSummary;
import dev.klplsp.convert.Converter;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.WriteResult;
import dev.klplsp.project.ProjectFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code klp-lsp convert MODULE -o OUT}: the check, then, when it found no error, the module with KLP relocations
 * written atomically. The input is never modified except by {@code --in-place}, which replaces it atomically.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a built livepatch module: references to non-exported kernel symbols become KLP",
            "relocations (.klp.rela.<obj>.<section>, .klp.sym.<obj>.<name>,<sympos>). Runs every check first and",
            "writes nothing when any error is found. Converting a converted module changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:converted (warnings allowed)", "1:error findings, nothing written", "2:usage error",
            "3:an input is missing, unreadable or malformed", "4:internal error"})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODULE", description = "The livepatch module (.ko) as kbuild linked it.")
    Path module;

    static final class Output {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the converted module here (without -o and --in-place:"
                + " \"output\" in the project file .klp-lsp.json).")
        Path out;

        @Option(names = "--in-place", description = "Replace MODULE (atomically) with the converted module.")
        boolean inPlace;
    }

    /** Absent: the project file's {@code output} decides. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Output output;

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
        Optional<ProjectFile> project = kernel.readProject(spec.commandLine().getErr(),
                CheckCommand.moduleDirectory(module));
        kernel.requireKernel(spec.commandLine());
        // -o/--in-place win; else the project file's "output" (inPlace or a pattern beside the module).
        boolean inPlace;
        Path target;
        if (output != null) {
            inPlace = output.inPlace;
            target = output.inPlace ? module : output.out;
        } else {
            String pattern = project.flatMap(ProjectFile::output).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "name the output: -o OUT or --in-place"
                            + " (or \"output\" in a " + ProjectFile.NAME + " project file)"));
            inPlace = pattern.equals(ProjectFile.IN_PLACE);
            target = inPlace ? module : patternTarget(module, pattern);
        }
        CheckCommand.Checked checked = CheckCommand.run(spec, kernel, checks, project, module);
        ElfObject elf = checked.module();
        CheckResult result = checked.result();

        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> extra = new LinkedHashMap<>();
        int status;
        if (result.hasErrors()) {
            extra.put("written", null);
            status = ExitCodes.FINDINGS;
        } else {
            ConversionSummary summary = Converter.apply(elf, result.plan());
            if (inPlace && !summary.changed() && elf.signature().isEmpty()) {
                extra.put("written", null); // already converted: leave the file alone
            } else {
                WriteResult written = elf.write(target);
                extra.put("written", written.path().toString());
            }
            extra.put("symbolsConverted", summary.symbolsConverted());
            extra.put("relocationsMoved", summary.relocationsMoved());
            extra.put("klpSections", summary.klpSections());
            extra.put("sectionsRemoved", summary.sectionsRemoved());
            status = ExitCodes.OK;
        }
        if (json) {
            out.println(FindingRenderer.json(module.toString(), result, extra));
        } else {
            FindingRenderer.printText(out, module.toString(), result.findings());
            if (status == ExitCodes.FINDINGS) {
                out.println(module + ": " + FindingRenderer.summaryLine(result) + "; not converted, nothing written");
            } else {
                StringBuilder line = new StringBuilder();
                line.append(extra.get("written") == null ? module + ": already converted, unchanged"
                        : "wrote " + extra.get("written"));
                line.append(": ").append(extra.get("symbolsConverted")).append(" symbols converted, ")
                        .append(extra.get("relocationsMoved")).append(" relocations moved");
                @SuppressWarnings("unchecked")
                Map<String, Integer> sections = (Map<String, Integer>) extra.get("klpSections");
                sections.forEach((name, count) -> line.append("; ").append(name).append(": ").append(count));
                out.println(line);
                out.println(module + ": " + FindingRenderer.summaryLine(result));
            }
        }
        out.flush();
        return status;
    }

    /** A project-file output pattern: {@code {name}} is the module's name without {@code .ko}, beside it. */
    static Path patternTarget(Path module, String pattern) {
        String name = module.getFileName().toString();
        String base = name.endsWith(".ko") ? name.substring(0, name.length() - 3) : name;
        return module.resolveSibling(pattern.replace("{name}", base));
    }
}
