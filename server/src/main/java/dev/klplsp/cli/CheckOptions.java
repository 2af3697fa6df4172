// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.Choice;
import dev.klplsp.check.Choices;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingsLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** The options {@code check} and {@code convert} share: {@code .mixin("checks", checks.model())}. */
public final class CheckOptions {
    List<String> sympos = new ArrayList<>();
    Path symposFile;
    boolean convertModuleExports;
    String functionRefs;

    /** The options, setting the fields above. */
    CommandModel model() {
        return CommandModel.options(this)
                .option("sympos", "NAME=OBJECT:POS", "Resolve NAME in OBJECT (vmlinux or a module name) at sympos POS"
                        + " (0 = unique, N = N-th in kallsyms order), or pin the copy by identity, resolved in each"
                        + " kernel: 'NAME=OBJECT, near SYMBOL' (the copy next to that unique symbol) or 'NAME=OBJECT,"
                        + " file PATH' (its source file). Repeatable; overrides annotations in the module and"
                        + " \"sympos\" in the project file.", "--sympos")
                .option("symposFile", "FILE", "A file of choices as for --sympos, one per line (# starts a comment),"
                        + " e.g. 'cpumask_weight = vmlinux, near clockevents_program_min_delta'.", "--sympos-file")
                .flag("convertModuleExports", "Also convert references to symbols exported by modules (sympos 0), so"
                        + " the patch can load before those modules; needs a klp_object for each such module.",
                        "--convert-module-exports")
                .option("functionRefs", "error|warning|info|off", "Severity of function-symbol-risk findings"
                        + " (default: \"functionReferences\" in the project file, else warning).", "--function-refs");
    }

    /**
     * The check configuration; a malformed option is a usage error, a bad sidecar file an input error. Absent
     * flags fall back to the project file.
     */
    CheckConfig toConfig(CommandLine commandLine, Optional<ProjectFile> project) {
        Optional<FunctionReferences> flag = Optional.ofNullable(functionRefs).map(value -> FunctionReferences
                .parse(value).orElseThrow(() -> new CommandLine.ParameterException(commandLine,
                        "--function-refs expects " + FunctionReferences.choices() + ", got '" + value + "'")));
        FunctionReferences functions = SettingsLayer.EMPTY.withFunctionReferences(flag)
                .over(project.map(ProjectFile::settings).orElse(SettingsLayer.EMPTY)).resolve().functionReferences();
        Map<String, Choice> choices = new LinkedHashMap<>(project.map(ProjectFile::settings)
                .flatMap(SettingsLayer::sympos).orElse(Map.of()));
        if (symposFile != null) {
            choices.putAll(Choices.readFile(symposFile));
        }
        for (String spec : sympos) {
            Map.Entry<String, Choice> entry = Choices.parse(spec, "--sympos " + spec).orElseThrow(
                    () -> new CommandLine.ParameterException(commandLine, "--sympos expects " + Choices.EXPECTED
                            + ", got '" + spec + "'"));
            choices.put(entry.getKey(), entry.getValue());
        }
        return new CheckConfig(functions, convertModuleExports, choices);
    }
}
