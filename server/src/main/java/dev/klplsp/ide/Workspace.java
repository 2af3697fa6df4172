// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.base.KlpException;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.source.Definition;
import dev.klplsp.source.MacroDefinition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mutable state of one workspace: open documents, the definitions of the workspace's other C files,
 * the settings and the kernel indexes (one per configured kernel, in order). Thread-safe; every query goes
 * through an immutable {@link #snapshot()}.
 */
public final class Workspace {
    private final Path root;
    private final Map<Path, Document> open = new ConcurrentHashMap<>();
    private final Map<Path, Document> disk = new ConcurrentHashMap<>();
    private final Map<Path, KernelsResult> moduleResults = new ConcurrentHashMap<>();
    private volatile Settings settings = Settings.DEFAULT;
    private volatile List<TargetKernel> kernels = List.of();
    private volatile List<KernelLookups> lookups = List.of();
    private volatile OptimizationFacts optimization = OptimizationFacts.NONE;

    public Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Settings settings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public List<TargetKernel> kernels() {
        return kernels;
    }

    /** The kernels' indexes, in the configured order; empty while none is ready. */
    public synchronized void setKernels(List<TargetKernel> ready) {
        this.lookups = ready.stream().map(kernel -> new KernelLookups(kernel.index())).toList();
        this.kernels = List.copyOf(ready);
    }

    /** One kernel, named by its release (tests and single-kernel callers); null clears the indexes. */
    public void setIndex(KernelIndex index) {
        setKernels(index == null ? List.of() : List.of(new TargetKernel(index.release().orElse("kernel"), index)));
    }

    /**
     * What the first kernel's debug information says, per object, for the analyses of later snapshots
     * ({@link OptimizationFacts#NONE} without debug information).
     */
    public void setOptimization(OptimizationFacts facts) {
        this.optimization = facts;
    }

    public Document open(Path file, int version, String text) {
        return open(Document.of(normalize(file), version, text));
    }

    /** Opens a document scanned already (the CLI's sources). */
    public Document open(Document document) {
        open.put(normalize(document.path()), document);
        return document;
    }

    /** Replaces the whole text (what a full-sync client sends). */
    public Document change(Path file, int version, String text) {
        return open(file, version, text);
    }

    public void close(Path file) {
        Path path = normalize(file);
        Document closed = open.remove(path);
        if (closed != null) {
            disk.put(path, closed);
        }
    }

    public Set<Path> openFiles() {
        return Set.copyOf(open.keySet());
    }

    /**
     * Reads the workspace's C files on disk (the {@link WorkspaceFiles} walk), so names a sibling file defines
     * are not looked up in the kernel. Unreadable files are skipped: they cannot define anything we could see.
     */
    public void scanDisk(List<Path> sources) {
        Map<Path, Document> found = new HashMap<>();
        for (Path file : sources) {
            try {
                Document document = Document.read(file);
                found.put(document.path(), document);
            } catch (KlpException e) {
                // Unreadable, or too large to analyse: it defines nothing we can use.
            }
        }
        disk.clear();
        disk.putAll(found);
    }

    /** Remembers the newest check of a built module, so its findings show on the source lines. */
    public void setModuleResult(Path module, KernelsResult result) {
        moduleResults.put(normalize(module), result);
    }

    public void forgetModule(Path module) {
        moduleResults.remove(normalize(module));
    }

    public Set<Path> modules() {
        return Set.copyOf(moduleResults.keySet());
    }

    /** An immutable view for one request or one analysis run. */
    public Analysis snapshot() {
        Map<Path, Set<String>> definitions = new HashMap<>();
        Map<Path, Document> documents = Map.copyOf(open);
        Map<Path, Document> all = new HashMap<>(disk);
        all.putAll(documents);
        all.forEach((path, document) -> definitions.put(path, definitionsOf(document)));
        List<KernelLookups> currentLookups;
        List<TargetKernel> currentKernels;
        synchronized (this) {
            currentLookups = lookups;
            currentKernels = kernels;
        }
        return new Analysis(root, documents, Map.copyOf(all), definitions, Map.copyOf(moduleResults), settings,
                currentKernels, currentLookups, optimization);
    }

    private static Set<String> definitionsOf(Document document) {
        Set<String> names = new HashSet<>();
        for (Definition definition : document.scan().definitions()) {
            if (!definition.isStatic()) {
                names.add(definition.name());
            }
        }
        for (MacroDefinition macro : document.scan().macroDefinitions()) {
            names.add(macro.name());
        }
        return names;
    }

    private static Path normalize(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
