// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingsLayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The kernel options every command that needs a kernel's symbols shares: {@code @Mixin KernelOptions kernel;}.
 * Without any kernel flag, the kernel comes from the project file {@code .klp-lsp.json} ({@link #readProject});
 * any kernel flag replaces the project file's kernel, symbols, modules and symvers as a whole (the kernel is one
 * key of {@link SettingsLayer}'s merge rule, the same in the editor).
 */
public final class KernelOptions {
    @Option(names = "--kernel", paramLabel = "PATH|RELEASE",
            description = "A kernel build tree, a modules directory (/lib/modules/<release>), a root holding"
                    + " boot/ and lib/modules/, or a release such as 6.1.0-56-amd64 (looked up under --root:"
                    + " usr/lib/debug/boot/vmlinux-<release>, boot/System.map-<release>, lib/modules/<release>,"
                    + " usr/src/linux-headers-<release>/Module.symvers).")
    String kernel;

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "A symbol file, detected by content: vmlinux (ELF), System.map, a /proc/kallsyms dump,"
                    + " klp-convert symbols.klp, Module.symvers, modules.builtin or a module. Repeatable; the first"
                    + " vmlinux source counts sympos, later ones are cross-checked.")
    List<Path> symbols = new ArrayList<>();

    @Option(names = "--modules", paramLabel = "DIR",
            description = "A directory searched recursively for .ko, .ko.xz, .ko.zst and .ko.gz. Repeatable.")
    List<Path> modules = new ArrayList<>();

    @Option(names = "--symvers", paramLabel = "FILE", description = "Module.symvers (exports with namespaces).")
    Path symvers;

    @Option(names = "--modules-builtin", paramLabel = "FILE", description = "modules.builtin.")
    Path modulesBuiltin;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The root a --kernel release is looked up under (default: /).")
    Path root;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the index cache lives (default: $XDG_CACHE_HOME/klp-lsp or ~/.cache/klp-lsp).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Build the index from the inputs; neither read nor write the cache.")
    boolean noCache;

    @Option(names = "--no-project",
            description = "Ignore the project file .klp-lsp.json (by default the nearest one, looked up from the"
                    + " module's directory, or the current directory for index and lookup, supplies what no flag"
                    + " gives).")
    boolean noProject;

    private Optional<ProjectFile> project = Optional.empty();

    /** The message of the usage error when no kernel is named anywhere. */
    static final String NAME_A_KERNEL = "name a kernel: --kernel PATH|RELEASE, or --symbols/--modules/--symvers,"
            + " or \"kernel\" in a " + ProjectFile.NAME + " project file";

    /**
     * Reads the nearest project file from {@code startDir} up (unless {@code --no-project}) as the fallback for
     * absent flags, and says on stderr which file is used and what in it is ignored.
     *
     * @throws dev.klplsp.base.KlpException when the file is malformed (exit 3, naming the file and line)
     */
    Optional<ProjectFile> readProject(PrintWriter err, Path startDir) {
        project = noProject ? Optional.empty() : ProjectFile.findAndRead(startDir);
        project.ifPresent(file -> {
            err.println("klp-lsp: using project file " + file.file());
            file.warnings().forEach(warning -> err.println("klp-lsp: warning: " + warning));
            err.flush();
        });
        return project;
    }

    /** Whether any kernel flag was given. */
    boolean flagsGiven() {
        return kernel != null || !symbols.isEmpty() || !modules.isEmpty() || symvers != null
                || modulesBuiltin != null;
    }

    /** The settings the kernel flags give: the kernel, when any kernel flag names one. */
    SettingsLayer flagLayer() {
        if (!flagsGiven()) {
            return SettingsLayer.EMPTY;
        }
        KernelSources sources = new KernelSources(Optional.ofNullable(kernel), symbols, modules,
                Optional.ofNullable(symvers), Optional.ofNullable(modulesBuiltin));
        return SettingsLayer.EMPTY.withKernel(Optional.of(new SettingsLayer.KernelSetting(sources,
                kernel != null ? kernel : "command-line symbol files")));
    }

    /** What the project file read by {@link #readProject} sets (nothing without one). */
    SettingsLayer projectLayer() {
        return project.map(ProjectFile::settings).orElse(SettingsLayer.EMPTY);
    }

    /** The kernel the flags over the project file name (SettingsLayer's merge rule), under {@code --root}. */
    Optional<KernelSources> sources() {
        return flagLayer().over(projectLayer()).kernel().map(setting -> root == null ? setting.sources()
                : setting.sources().withRoot(root));
    }

    /** Whether a kernel is named: by a flag, or by the project file read with {@link #readProject}. */
    public boolean isGiven() {
        return sources().isPresent();
    }

    public KernelSources toSources() {
        return sources().orElseThrow(() -> new IllegalStateException("no kernel named; call requireKernel first"));
    }

    public IndexOptions indexOptions() {
        return new IndexOptions(Optional.ofNullable(cacheDir), !noCache);
    }

    /** Loads (from the cache when fresh) or builds the index; input errors are KlpExceptions (exit 3). */
    public KernelIndex loadIndex(ProgressListener progress) {
        return KernelIndexLoader.load(toSources(), indexOptions(), progress);
    }

    /** The usage error (exit 2) when neither a flag nor the project file names a kernel. */
    void requireKernel(CommandLine commandLine) {
        if (!isGiven()) {
            throw new CommandLine.ParameterException(commandLine, NAME_A_KERNEL);
        }
    }

    /** {@link #loadIndex(ProgressListener)} with progress on the command's stderr when it is a terminal. */
    KernelIndex loadIndex(CommandLine commandLine) {
        ProgressListener progress = ConsoleProgress.forTerminal(commandLine.getErr());
        try {
            return loadIndex(progress);
        } finally {
            ConsoleProgress.clear(progress);
        }
    }
}
