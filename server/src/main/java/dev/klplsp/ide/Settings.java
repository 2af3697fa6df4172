// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.util.Optional;

/**
 * The settings the editor front end works with, resolved from its layers (defaults, the project file
 * {@code .klp-lsp.json}, the client's {@code klp} section; see {@code dev.klplsp.project.SettingsLayer} for the
 * merge rule). Paths are absolute.
 *
 * @param kernel       where the kernel's symbols come from; empty when no kernel is configured
 * @param buildCommand a shell command run before converting on save; only ever from the client's own settings
 */
public record Settings(Optional<KernelSources> kernel, AnnotationStyle annotationStyle, boolean convertOnSave,
        OutputRule output, Optional<String> buildCommand, FunctionReferences functionReferences) {

    public static final Settings DEFAULT = new Settings(Optional.empty(), AnnotationStyle.MINIMAL, false,
            OutputRule.IN_PLACE_RULE, Optional.empty(), FunctionReferences.WARNING);

    public Settings {
        if (annotationStyle == AnnotationStyle.NONE) {
            annotationStyle = AnnotationStyle.MINIMAL;
        }
    }

    /**
     * What an untrusted workspace may do: no build command, no conversion on save or on change (diagnostics,
     * hover, fixes and explicit checks are unaffected).
     */
    public Settings restrictedForUntrustedWorkspace() {
        return new Settings(kernel, annotationStyle, false, output, Optional.empty(), functionReferences);
    }

    public Settings withKernel(Optional<KernelSources> value) {
        return new Settings(value, annotationStyle, convertOnSave, output, buildCommand, functionReferences);
    }

    /** How modules are checked under these settings. */
    public CheckConfig checkConfig() {
        return CheckConfig.DEFAULT.withFunctionReferences(functionReferences);
    }
}
