// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.ConfiguredKernel;
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
import picocli.CommandLine.Model.CommandSpec;

/**
 * The kernel options every command that needs a kernel's symbols shares: {@link #model}.
 *
 * <p>Each {@code --kernel} is one kernel. With at most one {@code --kernel}, every {@code --symbols},
 * {@code --modules}, {@code --symvers} and {@code --modules-builtin} belongs to that one kernel (or makes it, without
 * {@code --kernel}). With several, each of those flags belongs to the {@code --kernel} before it, and one before the
 * first {@code --kernel} is a usage error: {@code --kernel A --symvers a.symvers --kernel B --symvers b.symvers}.
 * The first kernel is the reference for numbers written in the livepatch (see {@code KernelsCheck}).
 *
 * <p>Without any kernel flag, the kernels come from the project file {@code .klp-lsp.json} ({@link #readProject});
 * any kernel flag replaces the project file's kernels as a whole (the set of kernels is one key of
 * {@link SettingsLayer}'s merge rule, the same in the editor).
 */
public final class KernelOptions {
    List<String> kernel = new ArrayList<>();
    List<Path> symbols = new ArrayList<>();
    List<Path> modules = new ArrayList<>();
    List<Path> symvers = new ArrayList<>();
    List<Path> modulesBuiltin = new ArrayList<>();
    Path root;
    List<Path> debugInfo = new ArrayList<>();
    Path kernelSource;
    Path cacheDir;
    boolean noCache;
    boolean noProject;

    /** The command these options are part of (its parse result orders the kernel flags, its usage errors). */
    private CommandSpec command;

    /** The options, setting the fields above, mixed into {@code command}: {@code .mixin("kernel", ...)}. */
    CommandModel model(CommandSpec command) {
        this.command = command;
        return CommandModel.options(this)
                .option("kernel", "PATH|RELEASE", "A kernel: a build tree, a modules directory"
                        + " (/lib/modules/<release>), a root holding boot/ and lib/modules/ (such as where dpkg-deb -x"
                        + " unpacked an image package), a kernel image package"
                        + " (linux-image-<release>_<version>_<arch>.deb) itself, its vmlinuz (or a vmlinux, System.map"
                        + " or kallsyms dump) alone, or a release such as 6.1.0-56-amd64 (looked up under --root:"
                        + " usr/lib/debug/boot/vmlinux-<release>, boot/vmlinuz-<release>, boot/System.map-<release>,"
                        + " lib/modules/<release>, usr/src/linux-headers-<release>/Module.symvers). Repeatable: each"
                        + " --kernel is one kernel, and the file options after it belong to it; the first is the"
                        + " reference for sympos numbers.", "--kernel")
                .option("symbols", "FILE", "A symbol file, detected by content: vmlinux (ELF), vmlinuz, System.map,"
                        + " a /proc/kallsyms dump, klp-convert symbols.klp, Module.symvers, modules.builtin or a"
                        + " module. Repeatable; the first vmlinux source counts sympos, later ones are cross-checked.",
                        "--symbols")
                .option("modules", "DIR", "A directory searched recursively for .ko, .ko.xz, .ko.zst and .ko.gz."
                        + " Repeatable.", "--modules")
                .option("symvers", "FILE", "Module.symvers (exports with namespaces); one per kernel.", "--symvers")
                .option("modulesBuiltin", "FILE", "modules.builtin; one per kernel.", "--modules-builtin")
                .option("root", "DIR", "The root a --kernel release is looked up under (default: /).", "--root")
                .option("debugInfo", "FILE|DIR", "The kernel's debug information: a vmlinux or module .ko with debug"
                        + " sections, or a directory of them (such as /usr/lib/debug). Repeatable; looked in before"
                        + " what is found for the kernel's release (usr/lib/debug/boot/vmlinux-<release>,"
                        + " usr/lib/debug/lib/modules/<release>) or in its build tree. Checks then say what the"
                        + " compiler inlined, cloned or changed.", "--debug-info")
                .option("kernelSource", "DIR", "The kernel's source tree (an unpacked linux-source, a build tree),"
                        + " where the debug information's source paths point.", "--kernel-source")
                .option("cacheDir", "DIR", "Where the index cache lives (default: $XDG_CACHE_HOME/klp-lsp or"
                        + " ~/.cache/klp-lsp).", "--cache-dir")
                .flag("noCache", "Build the index from the inputs; neither read nor write the cache.", "--no-cache")
                .flag("noProject", "Ignore the project file .klp-lsp.json (by default the nearest one, looked up from"
                        + " the module's directory, or the current directory for index and lookup, supplies what no"
                        + " flag gives).", "--no-project");
    }

    private Optional<ProjectFile> project = Optional.empty();

    /** The message of the usage error when no kernel is named anywhere. */
    static final String NAME_A_KERNEL = "name a kernel: --kernel PATH|RELEASE, or --symbols/--modules/--symvers,"
            + " or \"kernel\" or \"kernels\" in a " + ProjectFile.NAME + " project file";

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
        return !kernel.isEmpty() || !symbols.isEmpty() || !modules.isEmpty() || !symvers.isEmpty()
                || !modulesBuiltin.isEmpty();
    }

    /** One kernel's flags while they are grouped. */
    private static final class Group {
        final String kernel;
        final List<Path> symbols = new ArrayList<>();
        final List<Path> modules = new ArrayList<>();
        final List<Path> symvers = new ArrayList<>();
        final List<Path> modulesBuiltin = new ArrayList<>();

        Group(String kernel) {
            this.kernel = kernel;
        }

        ConfiguredKernel toKernel(CommandLine commandLine) {
            if (symvers.size() > 1 || modulesBuiltin.size() > 1) {
                throw new CommandLine.ParameterException(commandLine, (symvers.size() > 1 ? "--symvers"
                        : "--modules-builtin") + " is given twice for " + (kernel != null ? "--kernel " + kernel
                        : "one kernel") + "; each kernel takes one");
            }
            KernelSources sources = new KernelSources(Optional.ofNullable(kernel), symbols, modules,
                    symvers.stream().findFirst(), modulesBuiltin.stream().findFirst());
            return new ConfiguredKernel(sources, kernel != null ? kernel : "command-line symbol files",
                    Optional.empty());
        }
    }

    /**
     * The kernels the flags name, in order: each {@code --kernel} with the file flags after it (with at most one
     * {@code --kernel}, all file flags belong to the one kernel).
     */
    List<ConfiguredKernel> flagKernels() {
        CommandLine commandLine = command.commandLine();
        if (kernel.size() <= 1) {
            Group one = new Group(kernel.isEmpty() ? null : kernel.get(0));
            one.symbols.addAll(symbols);
            one.modules.addAll(modules);
            one.symvers.addAll(symvers);
            one.modulesBuiltin.addAll(modulesBuiltin);
            return List.of(one.toKernel(commandLine));
        }
        // Several kernels: follow the command line's order, each file flag going to the --kernel before it.
        List<Group> groups = new ArrayList<>();
        java.util.Map<String, Integer> used = new java.util.HashMap<>();
        for (CommandLine.Model.ArgSpec arg : commandLine.getParseResult().matchedArgs()) {
            if (!(arg instanceof CommandLine.Model.OptionSpec option)) {
                continue;
            }
            String name = option.longestName();
            List<?> values = switch (name) {
                case "--kernel" -> kernel;
                case "--symbols" -> symbols;
                case "--modules" -> modules;
                case "--symvers" -> symvers;
                case "--modules-builtin" -> modulesBuiltin;
                default -> null;
            };
            if (values == null) {
                continue;
            }
            Object value = values.get(used.merge(name, 1, Integer::sum) - 1);
            if (name.equals("--kernel")) {
                groups.add(new Group((String) value));
                continue;
            }
            if (groups.isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, name + " " + value + " comes before the first"
                        + " --kernel: with several kernels, give each kernel's files after its --kernel");
            }
            Group group = groups.get(groups.size() - 1);
            switch (name) {
                case "--symbols" -> group.symbols.add((Path) value);
                case "--modules" -> group.modules.add((Path) value);
                case "--symvers" -> group.symvers.add((Path) value);
                default -> group.modulesBuiltin.add((Path) value);
            }
        }
        return groups.stream().map(group -> group.toKernel(commandLine)).toList();
    }

    /**
     * The settings the kernel flags give: the kernels, when any kernel flag names one; the debug information and
     * the source tree, each when given.
     */
    SettingsLayer flagLayer() {
        SettingsLayer debug = SettingsLayer.EMPTY
                .withDebugInfo(debugInfo.isEmpty() ? Optional.empty() : Optional.of(absolute(debugInfo)))
                .withKernelSource(Optional.ofNullable(kernelSource).map(KernelOptions::absolute));
        return flagsGiven() ? debug.withKernels(Optional.of(flagKernels())) : debug;
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
     * The first (reference) kernel's debug information: the {@code --debug-info} files and directories (else the
     * project file's {@code debugInfo}), then what is found for the kernel's release or build tree; each object's
     * index is read on its first use. The explicit paths must exist (else an input error, exit 3). With several
     * kernels, the others are checked without debug information.
     */
    public DebugInfoIndexes debugInfo() {
        DebugInfoLocator locator = DebugInfoLocator.of(kernels().get(0).sources().resolve(),
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

    /** The kernels the flags over the project file name (SettingsLayer's merge rule), under {@code --root}. */
    public List<ConfiguredKernel> kernels() {
        List<ConfiguredKernel> kernels = flagLayer().over(projectLayer()).kernels().orElse(List.of());
        return root == null ? kernels : kernels.stream().map(each -> each.withRoot(root)).toList();
    }

    /** Whether a kernel is named: by a flag, or by the project file read with {@link #readProject}. */
    public boolean isGiven() {
        return !kernels().isEmpty();
    }

    public IndexOptions indexOptions() {
        return new IndexOptions(Optional.ofNullable(cacheDir), !noCache);
    }

    /** The usage error (exit 2) when neither a flag nor the project file names a kernel. */
    void requireKernel(CommandLine commandLine) {
        if (!isGiven()) {
            throw new CommandLine.ParameterException(commandLine, NAME_A_KERNEL);
        }
    }

    /** Loads one kernel's index (from the cache when fresh), with progress on stderr when it is a terminal. */
    KernelIndex load(ConfiguredKernel configured, CommandLine commandLine) {
        ProgressListener progress = ConsoleProgress.forTerminal(commandLine.getErr());
        try {
            return KernelIndexLoader.load(configured.sources(), indexOptions(), progress);
        } finally {
            ConsoleProgress.clear(progress);
        }
    }

    /**
     * Loads (from the cache when fresh) or builds each kernel's index, in order, with progress on the command's
     * stderr when it is a terminal; input errors are KlpExceptions (exit 3). The kernels are named by
     * {@link ConfiguredKernel#displayNames}.
     */
    List<TargetKernel> loadKernels(CommandLine commandLine) {
        List<ConfiguredKernel> kernels = kernels();
        ProgressListener progress = ConsoleProgress.forTerminal(commandLine.getErr());
        List<KernelIndex> indexes;
        try {
            indexes = KernelIndexLoader.loadAll(kernels.stream().map(ConfiguredKernel::sources).toList(),
                    indexOptions(), progress);
        } finally {
            ConsoleProgress.clear(progress);
        }
        List<String> names = ConfiguredKernel.displayNames(kernels, indexes);
        List<TargetKernel> targets = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            targets.add(new TargetKernel(names.get(k), indexes.get(k)));
        }
        return targets;
    }
}
