// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import dev.klplsp.check.Choice;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.ide.Settings;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings one source gives (an absent component is not set there): the project file, the client's
 * {@code initializationOptions}, {@code workspace/configuration} answer and pushes, the CLI's flags.
 *
 * <p>The one merge rule, for the CLI and the server alike: a higher layer wins key by key over a lower one
 * ({@link #over}); the set of kernels is one key, so a layer that names any kernel source (a kernel, symbol
 * files, module directories, Module.symvers, or a {@code kernels} list) replaces the lower layer's kernels as a
 * whole rather than adding to them: symbols of two kernels are never mixed, and a list is never half replaced.
 * The explicit choices ({@code sympos}) merge name by name: each symbol's choice is its own key.
 *
 * @param kernels          the kernels, in order (the first is the reference for numbers written in sources)
 * @param buildCommand     a command to run; the project file never sets it
 * @param sympos           explicit choices per referenced name (a sympos, or a pin by identity)
 * @param diagnosticsUrl   base of the diagnostics' documentation links (the editor's)
 * @param workspaceTrusted false when the client says the workspace is not trusted; only the client sets it
 * @param debugInfo        the kernel's debug files and directories ({@code debugInfo}, {@code --debug-info}); a
 *                         key of its own: a layer that names the kernel but no debug information keeps the lower
 *                         layer's (automatic discovery for the kernel's release works either way)
 * @param kernelSource     the kernel's source tree ({@code kernelSource}, {@code --kernel-source})
 */
public record SettingsLayer(Optional<List<ConfiguredKernel>> kernels, Optional<AnnotationStyle> annotationStyle,
        Optional<Boolean> convertOnSave, Optional<OutputRule> output, Optional<String> buildCommand,
        Optional<FunctionReferences> functionReferences, Optional<Map<String, Choice>> sympos,
        Optional<String> diagnosticsUrl, Optional<Boolean> workspaceTrusted, Optional<List<Path>> debugInfo,
        Optional<Path> kernelSource) {

    public static final SettingsLayer EMPTY = new SettingsLayer(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public SettingsLayer {
        kernels = kernels.map(List::copyOf);
        sympos = sympos.map(Map::copyOf);
        debugInfo = debugInfo.map(List::copyOf);
    }

    /** This layer over {@code lower}: each key from this layer when set here, else from {@code lower}. */
    public SettingsLayer over(SettingsLayer lower) {
        Optional<Map<String, Choice>> choices = sympos;
        if (lower.sympos.isPresent()) {
            Map<String, Choice> merged = new LinkedHashMap<>(lower.sympos.get());
            sympos.ifPresent(merged::putAll);
            choices = Optional.of(merged);
        }
        return new SettingsLayer(kernels.or(lower::kernels), annotationStyle.or(lower::annotationStyle),
                convertOnSave.or(lower::convertOnSave), output.or(lower::output), buildCommand.or(lower::buildCommand),
                functionReferences.or(lower::functionReferences), choices, diagnosticsUrl.or(lower::diagnosticsUrl),
                workspaceTrusted.or(lower::workspaceTrusted), debugInfo.or(lower::debugInfo),
                kernelSource.or(lower::kernelSource));
    }

    /** The settings with the defaults under this layer. */
    public Settings resolve() {
        Settings defaults = Settings.DEFAULT;
        return new Settings(kernels.orElse(List.of()), annotationStyle.orElse(defaults.annotationStyle()),
                convertOnSave.orElse(defaults.convertOnSave()), output.orElse(defaults.output()),
                buildCommand.filter(command -> !command.isBlank()),
                functionReferences.orElse(defaults.functionReferences()), sympos.orElse(Map.of()),
                debugInfo.orElse(defaults.debugInfo()), kernelSource.or(defaults::kernelSource));
    }

    /** How the user named the kernels, for status lines: the one kernel's label, or {@code 3 kernels}. */
    public Optional<String> kernelLabel() {
        return kernels.filter(list -> !list.isEmpty()).map(list -> list.size() == 1 ? list.get(0).label()
                : dev.klplsp.check.KernelsText.count(list.size()));
    }

    public SettingsLayer withKernels(Optional<List<ConfiguredKernel>> value) {
        return new SettingsLayer(value, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                sympos, diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    public SettingsLayer withOutput(Optional<OutputRule> value) {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, value, buildCommand, functionReferences,
                sympos, diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    public SettingsLayer withFunctionReferences(Optional<FunctionReferences> value) {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, buildCommand, value, sympos,
                diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    public SettingsLayer withSympos(Optional<Map<String, Choice>> value) {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                value, diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    /** This layer without a build command (the project file may never name one). */
    public SettingsLayer withoutBuildCommand() {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, Optional.empty(), functionReferences,
                sympos, diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    /** This layer without a trust value (only the client may say whether it trusts the workspace). */
    public SettingsLayer withoutTrust() {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                sympos, diagnosticsUrl, Optional.empty(), debugInfo, kernelSource);
    }

    public SettingsLayer withDebugInfo(Optional<List<Path>> value) {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                sympos, diagnosticsUrl, workspaceTrusted, value, kernelSource);
    }

    public SettingsLayer withKernelSource(Optional<Path> value) {
        return new SettingsLayer(kernels, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                sympos, diagnosticsUrl, workspaceTrusted, debugInfo, value);
    }
}
