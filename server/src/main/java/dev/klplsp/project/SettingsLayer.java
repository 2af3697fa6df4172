// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.ide.Settings;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The settings one source gives (an absent component is not set there): the project file, the client's
 * {@code initializationOptions}, {@code workspace/configuration} answer and pushes, the CLI's flags.
 *
 * <p>The one merge rule, for the CLI and the server alike: a higher layer wins key by key over a lower one
 * ({@link #over}); the kernel is one key, so a layer that names any kernel source (a kernel, symbol files,
 * module directories, Module.symvers) replaces the lower layer's kernel as a whole rather than adding to it:
 * symbols of two kernels are never mixed.
 *
 * @param kernel           the kernel's symbol sources and how the user named them
 * @param buildCommand     a command to run; the project file never sets it
 * @param diagnosticsUrl   base of the diagnostics' documentation links (the editor's)
 * @param workspaceTrusted false when the client says the workspace is not trusted; only the client sets it
 * @param debugInfo        the kernel's debug files and directories ({@code debugInfo}, {@code --debug-info}); a
 *                         key of its own: a layer that names the kernel but no debug information keeps the lower
 *                         layer's (automatic discovery for the kernel's release works either way)
 * @param kernelSource     the kernel's source tree ({@code kernelSource}, {@code --kernel-source})
 */
public record SettingsLayer(Optional<KernelSetting> kernel, Optional<AnnotationStyle> annotationStyle,
        Optional<Boolean> convertOnSave, Optional<OutputRule> output, Optional<String> buildCommand,
        Optional<FunctionReferences> functionReferences, Optional<String> diagnosticsUrl,
        Optional<Boolean> workspaceTrusted, Optional<List<Path>> debugInfo, Optional<Path> kernelSource) {

    public static final SettingsLayer EMPTY = new SettingsLayer(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public SettingsLayer {
        debugInfo = debugInfo.map(List::copyOf);
    }

    /**
     * A kernel as a setting: its sources, and its name as the user wrote it for status lines
     * ({@code 6.1.0-56-amd64}, {@code ../kernel-tree}, {@code System.map, Module.symvers}).
     */
    public record KernelSetting(KernelSources sources, String label) {
    }

    /** This layer over {@code lower}: each key from this layer when set here, else from {@code lower}. */
    public SettingsLayer over(SettingsLayer lower) {
        return new SettingsLayer(kernel.or(lower::kernel), annotationStyle.or(lower::annotationStyle),
                convertOnSave.or(lower::convertOnSave), output.or(lower::output), buildCommand.or(lower::buildCommand),
                functionReferences.or(lower::functionReferences), diagnosticsUrl.or(lower::diagnosticsUrl),
                workspaceTrusted.or(lower::workspaceTrusted), debugInfo.or(lower::debugInfo),
                kernelSource.or(lower::kernelSource));
    }

    /** The settings with the defaults under this layer. */
    public Settings resolve() {
        Settings defaults = Settings.DEFAULT;
        return new Settings(kernel.map(KernelSetting::sources), annotationStyle.orElse(defaults.annotationStyle()),
                convertOnSave.orElse(defaults.convertOnSave()), output.orElse(defaults.output()),
                buildCommand.filter(command -> !command.isBlank()),
                functionReferences.orElse(defaults.functionReferences()), debugInfo.orElse(defaults.debugInfo()),
                kernelSource.or(defaults::kernelSource));
    }

    public SettingsLayer withKernel(Optional<KernelSetting> value) {
        return new SettingsLayer(value, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    public SettingsLayer withOutput(Optional<OutputRule> value) {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, value, buildCommand, functionReferences,
                diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    public SettingsLayer withFunctionReferences(Optional<FunctionReferences> value) {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, output, buildCommand, value, diagnosticsUrl,
                workspaceTrusted, debugInfo, kernelSource);
    }

    /** This layer without a build command (the project file may never name one). */
    public SettingsLayer withoutBuildCommand() {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, output, Optional.empty(), functionReferences,
                diagnosticsUrl, workspaceTrusted, debugInfo, kernelSource);
    }

    /** This layer without a trust value (only the client may say whether it trusts the workspace). */
    public SettingsLayer withoutTrust() {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                diagnosticsUrl, Optional.empty(), debugInfo, kernelSource);
    }

    public SettingsLayer withDebugInfo(Optional<List<Path>> value) {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                diagnosticsUrl, workspaceTrusted, value, kernelSource);
    }

    public SettingsLayer withKernelSource(Optional<Path> value) {
        return new SettingsLayer(kernel, annotationStyle, convertOnSave, output, buildCommand, functionReferences,
                diagnosticsUrl, workspaceTrusted, debugInfo, value);
    }
}
