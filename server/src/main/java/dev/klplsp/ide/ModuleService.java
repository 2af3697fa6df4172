// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.base.KlpException;
import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.KernelsText;
import dev.klplsp.check.Severity;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.convert.ConversionOutcome;
import dev.klplsp.convert.KernelsConversion;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.DebugInfoIndexes;
import dev.klplsp.kernel.DebugInfoLocator;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.source.LineIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The editor's service, protocol-agnostic (clangd's {@code ClangdServer} to the LSP layer's
 * {@code ClangdLSPServer}): it owns the {@link Workspace}, loads the kernel index in the background (and, as
 * analyses first ask for them, the debug information of the objects a patch touches), finds and
 * watches the workspace's built modules, checks and converts them, runs the build command, remembers its own
 * writes so it never converts them again, and holds the trust state. It reports through {@link Callbacks}.
 *
 * <p>Three single threads keep the order of events: analysis (diagnostics, in the order edits arrived), index
 * (loading), module (builds, checks, conversions). Nothing is built or converted before the front end says the
 * settings are settled ({@link #configure}), nor in an untrusted workspace.
 */
public final class ModuleService implements AutoCloseable {
    /** A linker writes a module in one go; this only merges the watcher's and the client's reports of it. */
    public static final long MODULE_DEBOUNCE_MILLIS = 50;
    /** Enough for any livepatch tree; a huge root (a whole kernel tree) is not walked further. */
    private static final int MAX_WORKSPACE_FILES = 2000;

    /** What the service tells its front end. Called from the service's threads. */
    public interface Callbacks {
        /** The diagnostics of one file (an empty list clears them); {@code version} of the open document. */
        void publishDiagnostics(Path file, Optional<Integer> version, LineIndex lines,
                List<FileDiagnostic> diagnostics);

        void indexStatus(IndexStatus status);

        /** Starts reporting the progress of one long task; {@link Progress#NONE} when the front end cannot. */
        Progress beginProgress(String title);

        /** A line for the log. */
        void log(Level level, String message);

        /** A message the user should see now. */
        void showMessage(Level level, String message);

        /**
         * Nothing is configured and {@code offer} looks like the kernel the workspace builds against: ask the user
         * (once per session) whether to use it; the answer comes back through {@link #useDetectedKernel}.
         */
        void offerKernel(KernelOffer offer);
    }

    /**
     * A kernel found for a workspace that configures none.
     *
     * @param kernel the kernel, usable
     * @param origin how it was found ("6.1.0-56-amd64 is the running kernel", "Makefile builds against ... (line 5)")
     */
    public record KernelOffer(KernelDetection.Candidate kernel, String origin) {
    }

    public enum Level {
        ERROR, WARNING, INFO, LOG
    }

    /** The progress of one task; {@link #end} once. */
    public interface Progress extends ProgressListener {
        Progress NONE = new Progress() {
            @Override
            public void onProgress(String phase, long done, long total) {
            }

            @Override
            public void end(String message) {
            }
        };

        void end(String message);
    }

    /** A change the front end saw on disk (the editor's file events). */
    public record FileChange(Path path, boolean deleted) {
    }

    private final Workspace workspace;
    private final IndexOptions indexOptions;
    /** The root kernel releases are looked up and detected under ({@code /} but in tests). */
    private final Path systemRoot;
    private final Callbacks callbacks;
    private final ExecutorService analysisExecutor = singleThread("klp-analysis");
    private final ExecutorService indexExecutor = singleThread("klp-index");
    private final ExecutorService moduleExecutor = singleThread("klp-module");
    private final AtomicInteger indexGeneration = new AtomicInteger();
    /** Files that had module findings at the last publish, so losing them clears the diagnostics. */
    private final Set<Path> moduleFindingFiles = ConcurrentHashMap.newKeySet();
    /** Size and modification time of each module this service wrote, so the watcher does not convert it again. */
    private final Map<Path, String> ownWrites = new ConcurrentHashMap<>();
    /** Modules that changed before the index was ready or the settings settled. */
    private final Set<Path> pendingModules = ConcurrentHashMap.newKeySet();
    /** Open files too large to analyse, so each is reported once. */
    private final Set<Path> tooLarge = ConcurrentHashMap.newKeySet();
    private final ModuleWatcher watcher;
    private volatile Process build;
    /** The kernels of the current indexes; empty before the first configure (so "no kernel" is said then). */
    private volatile Optional<List<ConfiguredKernel>> indexedKernels = Optional.empty();
    private volatile Optional<String> kernelLabel = Optional.empty();
    /** The settings and kernel label of the last {@link #configure}, as the front end gave them. */
    private volatile Settings configuredSettings = Settings.DEFAULT;
    private volatile Optional<String> configuredKernelLabel = Optional.empty();
    /** The detected kernel the user accepted for this session; used while nothing else names a kernel. */
    private volatile Optional<KernelOffer> acceptedKernel = Optional.empty();
    private volatile boolean kernelDetectionDone;
    /**
     * The debug information of the current (with several, the first) kernel; its objects load in the background as
     * analyses ask.
     */
    private volatile DebugInfoIndexes debugInfo;
    /** Objects whose debug information was asked for (queued or loaded) from {@link #debugInfo}. */
    private final Set<String> debugInfoRequested = ConcurrentHashMap.newKeySet();
    private volatile boolean trusted = true;
    private volatile boolean settled;
    private volatile boolean saidNotReady;

    /**
     * @param systemRoot the root kernel releases are looked up under, and the running kernel and installed kernels
     *                   are detected under ({@code /}; a directory in tests)
     */
    public ModuleService(Path root, IndexOptions indexOptions, Path systemRoot, Callbacks callbacks) {
        this.workspace = new Workspace(root);
        this.indexOptions = indexOptions;
        this.systemRoot = systemRoot;
        this.callbacks = callbacks;
        this.watcher = new ModuleWatcher(workspace.root(), MODULE_DEBOUNCE_MILLIS, this::moduleChanged,
                ModuleWatcher.DEFAULT_MAX_DIRECTORIES, notice -> callbacks.log(Level.WARNING, "klp: " + notice));
    }

    public Path root() {
        return workspace.root();
    }

    /** The state a request is answered from. */
    public Analysis snapshot() {
        return workspace.snapshot();
    }

    public Settings settings() {
        return workspace.settings();
    }

    /** Whether the front end trusts the workspace (true unless it said otherwise). */
    public boolean trusted() {
        return trusted;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    /** Reads the workspace's C sources and starts watching it for modules. */
    public void start() {
        indexExecutor.execute(() -> {
            workspace.scanDisk(WorkspaceFiles.files(workspace.root(), Document::isSource,
                    MAX_WORKSPACE_FILES));
            republishAll();
        });
        try {
            watcher.start();
        } catch (IOException e) {
            callbacks.log(Level.WARNING, "klp: cannot watch " + workspace.root() + " for modules: "
                    + KlpException.reason(e)
                    + "; modules are still checked on save and with klp.check");
        }
    }

    /** Also reports when {@code file} is created, changed or deleted (the project file). */
    public void watchFile(Path file, Runnable onChange) {
        watcher.watchFile(file, onChange);
    }

    @Override
    public void close() {
        watcher.close();
        cancelBuild();
        moduleExecutor.shutdownNow();
        analysisExecutor.shutdownNow();
        indexExecutor.shutdownNow();
    }

    /**
     * Waits until the work still running at {@link #close} has ended (tests: an index being built goes on to write
     * its cache, which must not land in a directory the test is deleting); false when it did not in time.
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ExecutorService executor : List.of(indexExecutor, moduleExecutor, analysisExecutor)) {
            if (!executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every queued task ran (tests and benchmarks). */
    public void awaitIdle() throws Exception {
        indexExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        moduleExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        analysisExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
    }

    // ---- settings -----------------------------------------------------------------------------------------

    /**
     * New settings. The kernel is indexed again when its sources changed, the built modules are checked again
     * when only how they are checked changed, and the diagnostics are published again.
     *
     * @param kernelLabel the kernel as the user named it, for the index status
     * @param trusted     false when the front end does not trust the workspace: no build, no conversion on save
     * @param settled     true once every settings source has answered; before, nothing is built or converted
     */
    public synchronized void configure(Settings settings, Optional<String> kernelLabel, boolean trusted,
            boolean settled) {
        configuredSettings = settings;
        configuredKernelLabel = kernelLabel;
        if (settings.kernels().isEmpty() && acceptedKernel.isPresent()) {
            KernelDetection.Candidate accepted = acceptedKernel.get().kernel();
            settings = settings.withKernels(List.of(new ConfiguredKernel(accepted.sources(), accepted.kernel(),
                    Optional.empty())));
            kernelLabel = Optional.of(accepted.kernel());
        } else {
            settings = settings.withKernels(settings.kernels().stream().map(this::underSystemRoot).toList());
        }
        Settings before = workspace.settings();
        boolean firstTime = indexedKernels.isEmpty();
        this.kernelLabel = kernelLabel;
        boolean wasTrusted = this.trusted;
        this.trusted = trusted;
        if (!trusted && wasTrusted) {
            callbacks.log(Level.INFO, "klp: the workspace is not trusted: no build command runs and nothing is"
                    + " converted on save or on change; diagnostics, hover, quick fixes and klp.check still work");
            cancelBuild();
        }
        workspace.setSettings(trusted ? settings : settings.restrictedForUntrustedWorkspace());
        boolean kernelChanged = startIndexing(false);
        boolean becameSettled = settled && !this.settled;
        this.settled = this.settled || settled;
        if (!firstTime) {
            if (!kernelChanged && !before.debugInfo().equals(workspace.settings().debugInfo())) {
                List<ConfiguredKernel> kernels = workspace.settings().kernels();
                if (!kernels.isEmpty() && workspace.snapshot().isIndexReady()) {
                    indexExecutor.execute(() -> {
                        useDebugInfo(kernels.get(0).sources());
                        recheckModules();
                        republishAll();
                    });
                }
            } else if (!kernelChanged && (before.functionReferences() != workspace.settings().functionReferences()
                    || !before.sympos().equals(workspace.settings().sympos()))) {
                recheckModules();
            }
            republishAll();
        }
        if (becameSettled && !kernelChanged) {
            processPendingModules();
        }
        if (this.settled && workspace.settings().kernels().isEmpty() && (kernelChanged || becameSettled)) {
            noKernelConfigured();
        }
    }

    /** A release is looked up under the system root unless the setting says where (tests serve a fake root). */
    private ConfiguredKernel underSystemRoot(ConfiguredKernel kernel) {
        return kernel.sources().root().isPresent() || systemRoot.equals(KernelDetection.SYSTEM_ROOT) ? kernel
                : kernel.withRoot(systemRoot);
    }

    /**
     * Nothing names a kernel. The first time, look for the one the workspace builds against and offer it;
     * otherwise (or when there is none) say how to configure one.
     */
    private void noKernelConfigured() {
        String howTo = "klp: no kernel configured: set \"kernel\" (or \"symbols\") in .klp-lsp.json or in the"
                + " editor's klp settings; only annotation syntax is checked";
        if (kernelDetectionDone) {
            callbacks.showMessage(Level.INFO, howTo);
            return;
        }
        kernelDetectionDone = true;
        indexExecutor.execute(() -> {
            KernelDetection.Detection detection = KernelDetection.detect(workspace.root(), systemRoot);
            if (!workspace.settings().kernels().isEmpty()) {
                return; // configured meanwhile
            }
            if (detection.offer().isPresent()) {
                KernelDetection.Candidate kernel = detection.offer().get();
                callbacks.log(Level.INFO, "klp: no kernel configured; offering " + kernel.kernel() + " ("
                        + detection.origin() + "): " + kernel.detail());
                callbacks.offerKernel(new KernelOffer(kernel, detection.origin()));
            } else {
                callbacks.log(Level.INFO, "klp: no kernel configured, and none detected: " + detection.explanation());
                callbacks.showMessage(Level.INFO, howTo + " (" + detection.explanation() + ")");
            }
        });
    }

    /**
     * The user accepted a detected kernel: it is used for this session while no setting names a kernel (a
     * project file saved with it names the same kernel).
     */
    public synchronized void useDetectedKernel(KernelOffer offer) {
        acceptedKernel = Optional.of(offer);
        callbacks.log(Level.INFO, "klp: using " + offer.kernel().kernel() + " for this session (" + offer.origin()
                + ")");
        configure(configuredSettings, configuredKernelLabel, trusted, settled);
    }

    /** The kernels installed under the system root, each with whether it can be indexed. */
    public List<KernelDetection.Candidate> installedKernels() {
        return KernelDetection.installed(systemRoot);
    }

    // ---- documents ----------------------------------------------------------------------------------------

    public void open(Path file, int version, String text) {
        workspace.open(file, version, analysable(file, text));
        publish(file);
    }

    /** The whole new text (what a full-sync client sends). */
    public void change(Path file, int version, String text) {
        workspace.change(file, version, analysable(file, text));
        publish(file);
    }

    /**
     * The text to analyse: the text itself, or nothing for a file over {@link Document#MAX_SOURCE_BYTES} (a scan of
     * a 20 MB file once took the server to 815 MB), said once per file.
     */
    private String analysable(Path file, String text) {
        if (text.length() <= Document.MAX_SOURCE_BYTES) {
            tooLarge.remove(file);
            return text;
        }
        if (tooLarge.add(file)) {
            callbacks.showMessage(Level.WARNING, "klp: " + file.getFileName() + " is " + text.length()
                    + " characters; files over " + Document.MAX_SOURCE_BYTES + " are not analysed");
        }
        return "";
    }

    public void close(Path file) {
        workspace.close(file);
    }

    /**
     * A source was saved: with convertOnSave and a build command, run the build (cancelling one still running,
     * its output logged), then check and convert the workspace's modules. Without a build command the watcher
     * converts a module when a build made elsewhere changes it.
     */
    public void saved(Path file) {
        publish(file);
        Settings settings = workspace.settings();
        if (!settled || !settings.convertOnSave() || settings.buildCommand().isEmpty()) {
            return;
        }
        cancelBuild();
        String command = settings.buildCommand().get();
        moduleExecutor.execute(() -> runBuildAndConvert(command));
    }

    // ---- indexing -----------------------------------------------------------------------------------------

    /**
     * Loads the configured kernels' indexes in the background (from the cache when fresh), reporting progress;
     * does nothing when the kernels did not change unless forced. Returns whether an indexing was started.
     */
    public boolean startIndexing(boolean force) {
        List<ConfiguredKernel> kernels = workspace.settings().kernels();
        if (!force && indexedKernels.equals(Optional.of(kernels))) {
            return false;
        }
        indexedKernels = Optional.of(kernels);
        int generation = indexGeneration.incrementAndGet();
        if (kernels.isEmpty()) {
            workspace.setKernels(List.of());
            debugInfo = null;
            workspace.setOptimization(OptimizationFacts.NONE);
            String noKernel = "No kernel configured: set \"kernel\" (or \"symbols\", or \"kernels\") in .klp-lsp.json"
                    + " or in the editor's klp settings.";
            indexStatus(IndexStatus.State.ERROR, OptionalInt.empty(), noKernel);
            return true;
        }
        indexExecutor.execute(() -> loadIndexes(kernels, generation));
        return true;
    }

    private void loadIndexes(List<ConfiguredKernel> kernels, int generation) {
        if (generation != indexGeneration.get()) {
            return;
        }
        String what = kernels.size() == 1 ? "the kernel" : KernelsText.count(kernels.size());
        indexStatus(IndexStatus.State.INDEXING, OptionalInt.empty(), "Indexing the kernel symbols…");
        Progress progress = callbacks.beginProgress("klp: indexing " + what);
        if (!saidNotReady) {
            saidNotReady = true;
            callbacks.log(Level.INFO, "klp: indexing " + what + "; symbol diagnostics follow when it is ready");
        }
        long start = System.nanoTime();
        try {
            List<KernelIndex> indexes = KernelIndexLoader.loadAll(kernels.stream().map(ConfiguredKernel::sources)
                    .toList(), indexOptions, progress);
            if (generation != indexGeneration.get()) {
                progress.end("superseded");
                return;
            }
            List<String> names = ConfiguredKernel.displayNames(kernels, indexes);
            List<TargetKernel> targets = new ArrayList<>();
            for (int k = 0; k < kernels.size(); k++) {
                targets.add(new TargetKernel(names.get(k), indexes.get(k)));
            }
            workspace.setKernels(targets);
            // The debug information is the first (reference) kernel's.
            useDebugInfo(kernels.get(0).sources());
            long symbols = indexes.stream().mapToLong(KernelIndex::symbolCount).sum();
            progress.end(String.format("%,d symbols", symbols));
            boolean cached = indexes.stream().allMatch(index -> index.loadInfo().fromCache());
            String origin = cached ? "loaded from cache" : "indexed";
            Optional<String> release = kernels.size() == 1 ? indexes.get(0).release() : Optional.empty();
            String message = kernels.size() == 1
                    ? String.format("%s, %s", release.map(found -> "release " + found).orElse("release unknown"),
                            origin)
                    : String.format("%s: %s; %s", KernelsText.count(kernels.size()), String.join(", ", names),
                            origin);
            callbacks.indexStatus(new IndexStatus(IndexStatus.State.READY,
                    OptionalInt.of((int) Math.min(Integer.MAX_VALUE, symbols)), message, kernelLabel, names, release));
            callbacks.log(Level.INFO, String.format("klp: %s %s: %,d symbols in %d ms", kernels.size() == 1
                    ? "kernel " + release.orElse("(release unknown)")
                    : KernelsText.count(kernels.size()) + " (" + String.join(", ", names) + ")", origin, symbols,
                    (System.nanoTime() - start) / 1_000_000));
            republishAll();
            checkExistingModules();
        } catch (KlpException e) {
            progress.end("failed");
            indexFailed(generation, e.getMessage());
            callbacks.showMessage(Level.ERROR, "klp: cannot index the kernel: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            progress.end("failed");
            indexFailed(generation, "internal error, please report: " + e);
            callbacks.showMessage(Level.ERROR, "klp: internal error while indexing, please report: " + e);
        }
    }

    /**
     * Where the kernel's debug information is (the debugInfo setting, then what is found for the kernel's release
     * or build tree); each object's index is read in the background when an analysis first asks for it.
     */
    private void useDebugInfo(KernelSources sources) {
        debugInfoRequested.clear();
        try {
            DebugInfoIndexes indexes = new DebugInfoIndexes(DebugInfoLocator.of(sources.resolve(),
                    workspace.settings().debugInfo()), indexOptions);
            debugInfo = indexes;
            workspace.setOptimization(indexes.loadedOnly(object -> debugInfoWanted(indexes, object)));
        } catch (KlpException e) {
            debugInfo = null;
            workspace.setOptimization(OptimizationFacts.NONE);
            callbacks.showMessage(Level.WARNING, "klp: the debug information is not used: " + e.getMessage());
        }
    }

    /** An analysis asked for an object's debug information: read it on the index thread, once. */
    private void debugInfoWanted(DebugInfoIndexes indexes, String object) {
        if (indexes == debugInfo && debugInfoRequested.add(object)) {
            indexExecutor.execute(() -> loadDebugInfo(indexes, object));
        }
    }

    private void loadDebugInfo(DebugInfoIndexes indexes, String object) {
        if (indexes != debugInfo) {
            return; // the kernel or the debugInfo setting changed meanwhile
        }
        List<Path> candidates = indexes.locator().candidates(object);
        Progress progress = candidates.isEmpty() ? Progress.NONE
                : callbacks.beginProgress("klp: reading the debug information of " + object);
        long start = System.nanoTime();
        try {
            Optional<OptimizationIndex> index = indexes.index(object);
            progress.end(index.map(found -> String.format("%,d functions", found.functionCount())).orElse("none"));
            if (index.isPresent()) {
                OptimizationIndex found = index.get();
                callbacks.log(Level.INFO, String.format("klp: debug information of %s %s (%s): %,d functions, %,d"
                        + " inlined copies, in %d ms", object, found.loadInfo().fromCache() ? "loaded from cache"
                        : "indexed", found.debugFile(), found.functionCount(), found.inlineSiteCount(),
                        (System.nanoTime() - start) / 1_000_000));
            } else {
                callbacks.log(Level.INFO, "klp: no debug information for " + object + " (looked in "
                        + (indexes.locator().directories().isEmpty() ? "no directory"
                                : indexes.locator().directories()) + "): function findings say what may have"
                        + " happened, not what did; set debugInfo"
                        + indexes.locator().release().map(release -> " or install linux-image-" + release + "-dbg")
                                .orElse(""));
            }
        } catch (KlpException e) {
            progress.end("failed");
            callbacks.showMessage(Level.WARNING, "klp: cannot read the debug information of " + object + ": "
                    + e.getMessage());
        } catch (RuntimeException | Error e) {
            progress.end("failed");
            callbacks.showMessage(Level.ERROR, "klp: internal error while reading the debug information of " + object
                    + ", please report: " + e);
            return;
        }
        if (indexes != debugInfo) {
            return;
        }
        workspace.setOptimization(indexes.loadedOnly(wanted -> debugInfoWanted(indexes, wanted)));
        if (indexes.loaded(object).isPresent()) {
            republishAll();
            recheckModules();
        }
    }

    private void indexFailed(int generation, String cause) {
        if (generation == indexGeneration.get()) {
            indexStatus(IndexStatus.State.ERROR, OptionalInt.empty(), cause);
        }
    }

    /** A status that is not "ready": no kernel names, no release. */
    private void indexStatus(IndexStatus.State state, OptionalInt symbols, String message) {
        callbacks.indexStatus(new IndexStatus(state, symbols, message, kernelLabel, List.of(), Optional.empty()));
    }

    // ---- diagnostics --------------------------------------------------------------------------------------

    /** Publishes the diagnostics of a file from the newest snapshot, on the analysis thread. */
    public void publish(Path file) {
        analysisExecutor.execute(() -> {
            try {
                Analysis analysis = workspace.snapshot();
                Optional<Document> open = analysis.document(file);
                Optional<Document> document = open.or(() -> analysis.source(file));
                if (document.isPresent()) {
                    callbacks.publishDiagnostics(file, open.map(Document::version),
                            document.get().scan().lines(), analysis.diagnostics(file));
                }
            } catch (RuntimeException | Error e) {
                callbacks.log(Level.ERROR, "klp: internal error while analysing " + file + ", please report: " + e);
            }
        });
    }

    /** Publishes every open file and every file that has (or had) findings from a module check. */
    private void republishAll() {
        Set<Path> files = new HashSet<>(workspace.openFiles());
        Set<Path> withModuleFindings = workspace.snapshot().filesWithModuleFindings();
        files.addAll(withModuleFindings);
        files.addAll(moduleFindingFiles);
        moduleFindingFiles.clear();
        moduleFindingFiles.addAll(withModuleFindings);
        files.forEach(this::publish);
    }

    // ---- modules ------------------------------------------------------------------------------------------

    /** File events the front end saw: the project file goes to its watcher, modules are checked or forgotten. */
    public void filesChanged(List<FileChange> changes) {
        for (FileChange change : changes) {
            Path path = change.path().toAbsolutePath().normalize();
            if (watcher.isWatchedFile(path)) {
                watcher.changed(path); // debounced with the JDK watcher's report of the same change
            } else if (ModuleWatcher.isModule(path)) {
                if (change.deleted()) {
                    moduleExecutor.execute(() -> {
                        workspace.forgetModule(path);
                        republishAll();
                    });
                } else {
                    watcher.changed(path);
                }
            }
        }
    }

    /** A module changed on disk (a build): check it, and convert it when convertOnSave is on. */
    private void moduleChanged(Path module) {
        moduleExecutor.execute(() -> {
            Analysis analysis = workspace.snapshot();
            if (workspace.settings().output().isOutput(module) || isOwnWrite(module)) {
                return;
            }
            if (!analysis.isIndexReady() || !settled) {
                pendingModules.add(module);
                return;
            }
            processModule(module, workspace.settings().convertOnSave());
            republishAll();
        });
    }

    /** Checks the modules checked before again (without converting): their findings depend on the settings. */
    private void recheckModules() {
        moduleExecutor.execute(() -> {
            if (!workspace.snapshot().isIndexReady()) {
                return;
            }
            for (Path module : workspace.modules()) {
                if (Files.isRegularFile(module)) {
                    processModule(module, false);
                }
            }
            republishAll();
        });
    }

    /**
     * After the index is ready: check (and convert) the modules that are already built and those that changed
     * meanwhile; before the settings settled, only remember them.
     */
    private void checkExistingModules() {
        moduleExecutor.execute(() -> {
            if (!settled) {
                pendingModules.addAll(workspaceModules());
                return;
            }
            Set<Path> modules = new TreeSet<>(workspaceModules());
            modules.addAll(pendingModules);
            pendingModules.clear();
            boolean convert = workspace.settings().convertOnSave();
            for (Path module : modules) {
                if (Files.isRegularFile(module)) {
                    processModule(module, convert);
                }
            }
            republishAll();
        });
    }

    /** Once the settings settled: the modules that changed while they were not. */
    private void processPendingModules() {
        moduleExecutor.execute(() -> {
            if (pendingModules.isEmpty() || !workspace.snapshot().isIndexReady()) {
                return;
            }
            Set<Path> modules = new TreeSet<>(pendingModules);
            pendingModules.clear();
            for (Path module : modules) {
                if (Files.isRegularFile(module)) {
                    processModule(module, workspace.settings().convertOnSave());
                }
            }
            republishAll();
        });
    }

    /** Modules in the workspace: every .ko the walk finds that is not converted output. */
    private List<Path> workspaceModules() {
        return WorkspaceFiles.files(workspace.root(), ModuleWatcher::isModule, MAX_WORKSPACE_FILES).stream()
                .map(path -> path.toAbsolutePath().normalize())
                .filter(path -> !workspace.settings().output().isOutput(path)).sorted().toList();
    }

    /**
     * {@code klp.check}: checks the given modules (all of the workspace's when none is given), remembers their
     * findings and answers a report per module.
     */
    public CompletableFuture<List<ModuleReport>> check(List<Path> modules) {
        return onModuleThread(modules, false);
    }

    /**
     * {@code klp.convert}: like {@link #check}, then converts each module without error findings.
     * Fails with {@link WorkspaceNotTrustedException} in an untrusted workspace: converting writes modules.
     */
    public CompletableFuture<List<ModuleReport>> convert(List<Path> modules) {
        if (!trusted) {
            return CompletableFuture.failedFuture(new WorkspaceNotTrustedException());
        }
        return onModuleThread(modules, true);
    }

    private CompletableFuture<List<ModuleReport>> onModuleThread(List<Path> requested, boolean convert) {
        if (moduleExecutor.isShutdown()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the server is shutting down"));
        }
        CompletableFuture<List<ModuleReport>> result = new CompletableFuture<>();
        moduleExecutor.execute(() -> {
            try {
                List<Path> modules = requested.isEmpty() ? workspaceModules() : requested;
                List<ModuleReport> reports = new ArrayList<>();
                for (Path module : modules) {
                    reports.add(processModule(module.toAbsolutePath().normalize(), convert && trusted));
                }
                republishAll();
                result.complete(reports);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Runs on the module thread: check (and convert), remember the findings; the report for commands. */
    private ModuleReport processModule(Path module, boolean convert) {
        Analysis analysis = workspace.snapshot();
        if (!analysis.isIndexReady()) {
            return ModuleReport.failed(module, "the kernel index is not ready");
        }
        List<TargetKernel> kernels = analysis.kernels();
        Settings settings = workspace.settings();
        if (convert && kernels.size() > 1 && !settings.output().namesKernel()) {
            String problem = "not converted: " + kernels.size() + " kernels need one output each; put "
                    + dev.klplsp.convert.OutputRule.KERNEL + " in the \"output\" setting (e.g. \"{name}-{kernel}.ko\")";
            callbacks.log(Level.WARNING, "klp: " + module.getFileName() + ": " + problem);
            convert = false;
        }
        List<Path> targets = new ArrayList<>();
        if (convert) {
            kernels.forEach(kernel -> targets.add(settings.output().targetFor(module, kernel.name())));
        }
        Optional<String> outside = outsideWorkspace(module, targets);
        if (outside.isPresent()) {
            callbacks.log(Level.WARNING, "klp: " + module + ": " + outside.get());
            workspace.forgetModule(module);
            return ModuleReport.failed(module, outside.get());
        }
        CheckConfig config = settings.checkConfig().withOptimization(analysis.optimization());
        try {
            KernelsResult result;
            ModuleReport report;
            if (convert) {
                KernelsConversion conversion = ModuleConversion.convertKernels(module, () -> kernels,
                        config, settings.output());
                result = conversion.check();
                report = ModuleReport.converted(conversion);
                for (ConversionOutcome outcome : conversion.outcomes()) {
                    outcome.written().ifPresent(written -> rememberOwnWrite(written.path()));
                    if (outcome.blocked()) {
                        callbacks.log(Level.WARNING, "klp: " + module.getFileName() + " not converted"
                                + (kernels.size() > 1 ? " for " + outcome.target().getFileName() : "") + ": "
                                + outcome.result().count(Severity.ERROR) + " error(s), see the diagnostics");
                    } else {
                        callbacks.log(Level.INFO, "klp: " + module.getFileName() + ": " + outcome.written()
                                .map(written -> "converted, wrote " + written.path())
                                .orElse("already converted, unchanged"));
                    }
                }
            } else {
                result = ModuleConversion.checkKernels(module, () -> kernels, config);
                report = ModuleReport.checked(module, result);
            }
            workspace.setModuleResult(module, result);
            return report;
        } catch (KlpException e) {
            workspace.forgetModule(module);
            callbacks.log(Level.WARNING, "klp: " + e.getMessage());
            return ModuleReport.failed(module, e.getMessage());
        } catch (RuntimeException | Error e) {
            workspace.forgetModule(module);
            callbacks.log(Level.ERROR, "klp: internal error while checking " + module + ", please report: " + e);
            return ModuleReport.failed(module, "internal error: " + e);
        }
    }

    /**
     * Why a module (or the file its conversion writes) is not one the service may touch: it must be a regular file
     * whose real path, links resolved, lies under the workspace's real root; an output must not be a link and its
     * real directory must lie there too. A repository can hold {@code sub -> /elsewhere}: a change reported under
     * the workspace must never rewrite a file outside it.
     */
    private Optional<String> outsideWorkspace(Path module, List<Path> outputs) {
        try {
            Path root = workspace.root().toRealPath();
            if (!Files.isRegularFile(module)) {
                return Optional.of("not a regular file; skipped");
            }
            Path real = module.toRealPath();
            if (!real.startsWith(root)) {
                return Optional.of("lies outside the workspace (it is " + real + "); klp-lsp reads and writes modules"
                        + " only below " + root);
            }
            for (Path target : outputs) {
                if (Files.isSymbolicLink(target)) {
                    return Optional.of("the output " + target + " is a symbolic link; klp-lsp never writes through"
                            + " one");
                }
                Path directory = target.toAbsolutePath().getParent();
                if (directory == null || !directory.toRealPath().startsWith(root)) {
                    return Optional.of("the output " + target + " lies outside the workspace; klp-lsp writes only"
                            + " below " + root);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be resolved: " + KlpException.reason(e));
        }
    }

    private void rememberOwnWrite(Path written) {
        ownWrites.put(written.toAbsolutePath().normalize(), identity(written));
    }

    private boolean isOwnWrite(Path module) {
        String known = ownWrites.get(module.toAbsolutePath().normalize());
        return known != null && known.equals(identity(module));
    }

    private static String identity(Path file) {
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- the build command --------------------------------------------------------------------------------

    private void cancelBuild() {
        Process running = build;
        if (running != null && running.isAlive()) {
            callbacks.log(Level.INFO, "klp: cancelling the running build");
            running.descendants().forEach(ProcessHandle::destroy);
            running.destroy();
        }
    }

    private void runBuildAndConvert(String command) {
        if (!trusted) {
            return; // trust was withdrawn while the build waited for its turn
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(workspace.root().toFile())
                    .redirectErrorStream(true);
            Process process = builder.start();
            build = process;
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (!output.isBlank()) {
                callbacks.log(Level.LOG, "klp: build output (" + command + "):\n" + output.stripTrailing());
            }
            if (status != 0) {
                callbacks.log(Level.WARNING, "klp: build failed with status " + status + ": " + command);
                return;
            }
            if (!workspace.snapshot().isIndexReady()) {
                return; // the modules are checked when the index is ready
            }
            for (Path module : workspaceModules()) {
                if (!isOwnWrite(module)) {
                    processModule(module, trusted);
                }
            }
            republishAll();
        } catch (IOException e) {
            callbacks.log(Level.ERROR, "klp: cannot run the build command: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One daemon thread working off a queue. After {@link #close} new work is dropped instead of refused: a
     * watcher report or a finished build can still arrive while the server exits, and must not throw there.
     */
    private static ExecutorService singleThread(String name) {
        return new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    }
}
