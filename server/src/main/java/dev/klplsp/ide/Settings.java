// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.Choice;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the editor front end works with, resolved from its layers (defaults, the project file
 * {@code .klp-lsp.json}, the client's {@code klp} section; see {@code dev.klplsp.project.SettingsLayer} for the
 * merge rule). Paths are absolute.
 *
 * @param kernels      the kernels the livepatch is for, in order (the first is the reference for numbers written
 *                     in sources); empty when no kernel is configured
 * @param buildCommand a shell command run before converting on save; only ever from the client's own settings
 * @param sympos       explicit choices per referenced name: a sympos, or a pin by identity resolved per kernel
 * @param debugInfo    the kernels' debug files and directories, looked in before the ones found for each kernel's
 *                     release ({@link dev.klplsp.kernel.DebugInfoLocator})
 * @param kernelSource the kernel's source tree, where the debug information's source paths point
 */
public record Settings(List<ConfiguredKernel> kernels, AnnotationStyle annotationStyle, boolean convertOnSave,
        OutputRule output, Optional<String> buildCommand, FunctionReferences functionReferences,
        Map<String, Choice> sympos, List<Path> debugInfo, Optional<Path> kernelSource) {

    public static final Settings DEFAULT = new Settings(List.of(), AnnotationStyle.MINIMAL, false,
            OutputRule.IN_PLACE_RULE, Optional.empty(), FunctionReferences.WARNING, Map.of(), List.of(),
            Optional.empty());

    public Settings {
        kernels = List.copyOf(kernels);
        sympos = Map.copyOf(sympos);
        if (annotationStyle == AnnotationStyle.NONE) {
            annotationStyle = AnnotationStyle.MINIMAL;
        }
        debugInfo = List.copyOf(debugInfo);
    }

    /** The settings without debug information or kernel sources (tests and callers that do not use them). */
    public Settings(List<ConfiguredKernel> kernels, AnnotationStyle annotationStyle, boolean convertOnSave,
            OutputRule output, Optional<String> buildCommand, FunctionReferences functionReferences,
            Map<String, Choice> sympos) {
        this(kernels, annotationStyle, convertOnSave, output, buildCommand, functionReferences, sympos, List.of(),
                Optional.empty());
    }

    /**
     * What an untrusted workspace may do: no build command, no conversion on save or on change (diagnostics,
     * hover, fixes and explicit checks are unaffected).
     */
    public Settings restrictedForUntrustedWorkspace() {
        return new Settings(kernels, annotationStyle, false, output, Optional.empty(), functionReferences, sympos,
                debugInfo, kernelSource);
    }

    public Settings withKernels(List<ConfiguredKernel> value) {
        return new Settings(value, annotationStyle, convertOnSave, output, buildCommand, functionReferences, sympos,
                debugInfo, kernelSource);
    }

    /** How modules are checked under these settings. */
    public CheckConfig checkConfig() {
        return CheckConfig.DEFAULT.withFunctionReferences(functionReferences).withChoices(sympos);
    }
}
