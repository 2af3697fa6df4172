// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The kernel options every command that needs a kernel's symbols shares: {@code @Mixin KernelOptions kernel;}. */
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

    /** Whether any kernel option was given at all. */
    public boolean isGiven() {
        return kernel != null || !symbols.isEmpty() || !modules.isEmpty() || symvers != null
                || modulesBuiltin != null;
    }

    public KernelSources toSources() {
        return new KernelSources(Optional.ofNullable(kernel), symbols, modules, Optional.ofNullable(symvers),
                Optional.ofNullable(modulesBuiltin), Optional.ofNullable(root));
    }

    public IndexOptions indexOptions() {
        return new IndexOptions(Optional.ofNullable(cacheDir), !noCache);
    }

    /** Loads (from the cache when fresh) or builds the index; input errors are KlpExceptions (exit 3). */
    public KernelIndex loadIndex(ProgressListener progress) {
        return KernelIndexLoader.load(toSources(), indexOptions(), progress);
    }
}
