// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.Choice;
import dev.klplsp.check.Choices;
import dev.klplsp.check.Severity;
import dev.klplsp.project.ProjectFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code check} and {@code convert} share: {@code @Mixin CheckOptions checks;}. */
public final class CheckOptions {
    @Option(names = "--sympos", paramLabel = "NAME=OBJECT:POS",
            description = "Resolve NAME in OBJECT (vmlinux or a module name) at sympos POS (0 = unique, N = N-th"
                    + " in kallsyms order). Repeatable; overrides annotations in the module.")
    List<String> sympos = new ArrayList<>();

    @Option(names = "--sympos-file", paramLabel = "FILE",
            description = "A file of NAME=OBJECT:POS lines (# starts a comment), as for --sympos.")
    Path symposFile;

    @Option(names = "--convert-module-exports",
            description = "Also convert references to symbols exported by modules (sympos 0), so the patch can"
                    + " load before those modules; needs a klp_object for each such module.")
    boolean convertModuleExports;

    @Option(names = "--function-refs", paramLabel = "warning|info|off",
            description = "Severity of function-symbol-risk findings (default: \"functionReferences\" in the"
                    + " project file, else warning).")
    String functionRefs;

    /**
     * The check configuration; a malformed option is a usage error, a bad sidecar file an input error. Absent
     * flags fall back to the project file.
     */
    CheckConfig toConfig(CommandLine commandLine, Optional<ProjectFile> project) {
        String functionRefs = this.functionRefs != null ? this.functionRefs
                : project.flatMap(ProjectFile::functionReferences).orElse("warning");
        Map<String, Choice> choices = new LinkedHashMap<>();
        if (symposFile != null) {
            choices.putAll(Choices.readFile(symposFile));
        }
        for (String spec : sympos) {
            Map.Entry<String, Choice> entry = Choices.parse(spec, "--sympos " + spec).orElseThrow(
                    () -> new CommandLine.ParameterException(commandLine, "--sympos expects NAME=OBJECT:POS"
                            + " (e.g. do_poweroff=vmlinux:2), got '" + spec + "'"));
            choices.put(entry.getKey(), entry.getValue());
        }
        Optional<Severity> functions = switch (functionRefs) {
            case "warning" -> Optional.of(Severity.WARNING);
            case "info" -> Optional.of(Severity.INFO);
            case "error" -> Optional.of(Severity.ERROR);
            case "off" -> Optional.empty();
            default -> throw new CommandLine.ParameterException(commandLine,
                    "--function-refs expects warning, info, error or off, got '" + functionRefs + "'");
        };
        return new CheckConfig(functions, convertModuleExports, choices);
    }
}
