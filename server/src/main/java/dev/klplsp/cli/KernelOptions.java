// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.kernel.DebugInfoIndexes;
import dev.klplsp.kernel.DebugInfoLocator;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.OptimizationFacts;
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

    @Option(names = "--debug-info", paramLabel = "FILE|DIR",
            description = "The kernel's debug information: a vmlinux or module .ko with debug sections, or a"
                    + " directory of them (such as /usr/lib/debug). Repeatable; looked in before what is found for"
                    + " the kernel's release (usr/lib/debug/boot/vmlinux-<release>, usr/lib/debug/lib/modules/"
                    + "<release>) or in its build tree. Checks then say what the compiler inlined, cloned or changed.")
    List<Path> debugInfo = new ArrayList<>();

    @Option(names = "--kernel-source", paramLabel = "DIR",
            description = "The kernel's source tree (an unpacked linux-source, a build tree), where the debug"
                    + " information's source paths point.")
    Path kernelSource;

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

    /**
     * The settings the kernel flags give: the kernel, when any kernel flag names one; the debug information and
     * the source tree, each when given.
     */
    SettingsLayer flagLayer() {
        SettingsLayer debug = SettingsLayer.EMPTY
                .withDebugInfo(debugInfo.isEmpty() ? Optional.empty() : Optional.of(absolute(debugInfo)))
                .withKernelSource(Optional.ofNullable(kernelSource).map(KernelOptions::absolute));
        if (!flagsGiven()) {
            return debug;
        }
        KernelSources sources = new KernelSources(Optional.ofNullable(kernel), symbols, modules,
                Optional.ofNullable(symvers), Optional.ofNullable(modulesBuiltin));
        return debug.withKernel(Optional.of(new SettingsLayer.KernelSetting(sources,
                kernel != null ? kernel : "command-line symbol files")));
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static List<Path> absolute(List<Path> paths) {
        return paths.stream().map(KernelOptions::absolute).toList();
    }

    /** The settings of the flags over the project file's (SettingsLayer's merge rule). */
    SettingsLayer settings() {
        return flagLayer().over(projectLayer());
    }

    /**
     * The kernel's debug information: the {@code --debug-info} files and directories (else the project file's
     * {@code debugInfo}), then what is found for the kernel's release or build tree; each object's index is read
     * on its first use. The explicit paths must exist (else an input error, exit 3).
     */
    public DebugInfoIndexes debugInfo() {
        DebugInfoLocator locator = DebugInfoLocator.of(toSources().resolve(),
                settings().debugInfo().orElse(List.of()));
        return new DebugInfoIndexes(locator, indexOptions());
    }

    /**
     * {@link #debugInfo()} made on the first request, so a module that cannot be read fails before the kernel's
     * files are looked at, and a check that asks nothing reads nothing.
     */
    OptimizationFacts lazyDebugInfo() {
        DebugInfoIndexes[] made = new DebugInfoIndexes[1];
        return object -> {
            synchronized (made) {
                if (made[0] == null) {
                    made[0] = debugInfo();
                }
            }
            return made[0].index(object);
        };
    }

    /** What the project file read by {@link #readProject} sets (nothing without one). */
    SettingsLayer projectLayer() {
        return project.map(ProjectFile::settings).orElse(SettingsLayer.EMPTY);
    }

    /** The kernel the flags over the project file name (SettingsLayer's merge rule), under {@code --root}. */
    Optional<KernelSources> sources() {
        return settings().kernel().map(setting -> root == null ? setting.sources()
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
