// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The server's settings, merged from defaults, the project file {@code .klp-lsp.json} and the client's
 * {@code klp} section (in that order; later wins). Paths are absolute (resolved against the workspace root
 * by whoever parsed them).
 *
 * @param kernel a kernel build tree, modules directory or release (the CLI's {@code --kernel})
 * @param output {@code inPlace} or a file-name pattern such as {@code {name}.klp.ko}
 * @param buildCommand a shell command run before converting on save; only ever from the client's own settings
 */
public record Settings(Optional<String> kernel, List<Path> symbols, List<Path> modules, Optional<Path> symvers,
        AnnotationStyle annotationStyle, boolean convertOnSave, String output, Optional<String> buildCommand,
        FunctionReferences functionReferences) {

    public static final String IN_PLACE = "inPlace";
    public static final Settings DEFAULT = new Settings(Optional.empty(), List.of(), List.of(), Optional.empty(),
            AnnotationStyle.MINIMAL, false, IN_PLACE, Optional.empty(), FunctionReferences.WARNING);

    public Settings {
        symbols = List.copyOf(symbols);
        modules = List.copyOf(modules);
        if (annotationStyle == AnnotationStyle.NONE) {
            annotationStyle = AnnotationStyle.MINIMAL;
        }
    }

    /** How function references are reported: as warnings, as information, or not at all. */
    public enum FunctionReferences {
        WARNING, INFO, OFF
    }

    public boolean hasKernel() {
        return kernel.isPresent() || !symbols.isEmpty() || !modules.isEmpty() || symvers.isPresent();
    }

    /** The kernel sources to index, as the CLI's kernel options would give them. */
    public Optional<KernelSources> kernelSources() {
        if (!hasKernel()) {
            return Optional.empty();
        }
        return Optional.of(new KernelSources(kernel, symbols, modules, symvers, Optional.empty()));
    }

    /**
     * What an untrusted workspace may do: no build command, no conversion on save or on change (diagnostics,
     * hover, fixes and explicit checks are unaffected).
     */
    public Settings restrictedForUntrustedWorkspace() {
        return new Settings(kernel, symbols, modules, symvers, annotationStyle, false, output, Optional.empty(),
                functionReferences);
    }

    public Settings withBuildCommand(Optional<String> command) {
        return new Settings(kernel, symbols, modules, symvers, annotationStyle, convertOnSave, output, command,
                functionReferences);
    }
}
