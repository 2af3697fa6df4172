// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import dev.klplsp.base.KlpException;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.ConvertOutcome;
import dev.klplsp.ide.ModuleWatcher;
import dev.klplsp.ide.Settings;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Finding;
import dev.klplsp.check.Severity;
import dev.klplsp.ide.Workspace;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.project.ProjectFile;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.ConfigurationItem;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The klp language server: lifecycle, settings, background indexing and publishing diagnostics. Requests are
 * answered from an immutable {@link Analysis} snapshot and never wait for the index.
 */
public final class KlpLanguageServer implements LanguageServer, LanguageClientAware {
    static final String CMD_CONVERT = "klp.convert";
    static final String CMD_CHECK = "klp.check";
    static final String CMD_REINDEX = "klp.reindex";
    static final String UNTRUSTED_CONVERT = "klp.convert is disabled because the workspace is not trusted:"
            + " converting writes modules. Trust the workspace to convert; klp.check still works.";
    /** A linker writes a module in one go; this only merges the watcher's and the client's reports of it. */
    static final long MODULE_DEBOUNCE_MILLIS = 50;

    private final IntConsumer onExit;
    private final IndexOptions indexOptions;
    private final KlpTextDocumentService textDocuments = new KlpTextDocumentService(this);
    private final KlpWorkspaceService workspaceService = new KlpWorkspaceService(this);
    /** One thread computes and publishes diagnostics, in the order edits arrived. */
    private final ExecutorService analysisExecutor = Executors.newSingleThreadExecutor(daemon("klp-analysis"));
    private final ExecutorService indexExecutor = Executors.newSingleThreadExecutor(daemon("klp-index"));
    /** The URI each open file was opened with, so diagnostics go back under the client's own spelling. */
    private final Map<Path, String> uris = new ConcurrentHashMap<>();
    private final AtomicInteger indexGeneration = new AtomicInteger();
    private final AtomicLong progressTokens = new AtomicLong();
    /** Builds, checks and conversions run one at a time, off the analysis thread. */
    private final ExecutorService moduleExecutor = Executors.newSingleThreadExecutor(daemon("klp-module"));
    private final Set<Path> moduleFindingFiles = ConcurrentHashMap.newKeySet();
    /** Size and modification time of each module this server wrote, so the watcher does not convert it again. */
    private final Map<Path, String> ownWrites = new ConcurrentHashMap<>();
    private final Set<Path> pendingModules = ConcurrentHashMap.newKeySet();
    private volatile ModuleWatcher watcher;
    private volatile Process build;

    private volatile LanguageClient client;
    private volatile Workspace workspace = new Workspace(Paths.get("").toAbsolutePath());
    private volatile ClientSupport support = ClientSupport.NONE;
    private volatile Optional<ProjectFile> project = Optional.empty();
    private volatile JsonObject initializationSettings = new JsonObject();
    private volatile JsonObject clientSettings = new JsonObject();
    private volatile String diagnosticsUrl = LspConfig.DEFAULT_DIAGNOSTICS_URL;
    /** The sources of the current index; null before the first indexing (so "no kernel" is said at start). */
    private volatile Optional<KernelSources> indexedSources;
    private volatile Optional<String> kernelLabel = Optional.empty();
    /** False when the client says the workspace is not trusted (VS Code's Restricted Mode). */
    private volatile boolean trusted = true;
    private volatile boolean shutdownRequested;
    private volatile boolean saidNotReady;
    /** The last malformed-project-file message, so one bad edit reported twice (JDK and client) logs once. */
    private volatile String lastProjectProblem;

    /**
     * @param onExit called with the process exit status on {@code exit} (0 after shutdown, else 1)
     * @param indexOptions where the kernel index cache lives
     */
    public KlpLanguageServer(IntConsumer onExit, IndexOptions indexOptions) {
        this.onExit = onExit;
        this.indexOptions = indexOptions;
    }

    @Override
    public void connect(LanguageClient languageClient) {
        this.client = languageClient;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        Path root = rootOf(params);
        workspace = new Workspace(root);
        support = ClientSupport.of(params.getCapabilities());
        List<String> problems = new ArrayList<>();
        project = LspConfig.readProjectFile(root, problems);
        initializationSettings = LspConfig.section(params.getInitializationOptions());
        clientSettings = initializationSettings;
        problems.forEach(problem -> log(MessageType.Warning, problem));
        applySettings(false);

        ServerCapabilities capabilities = new ServerCapabilities();
        TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
        sync.setOpenClose(true);
        sync.setChange(TextDocumentSyncKind.Full);
        sync.setSave(new SaveOptions(false));
        capabilities.setTextDocumentSync(sync);
        capabilities.setHoverProvider(true);
        capabilities.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix)));
        capabilities.setCodeLensProvider(new org.eclipse.lsp4j.CodeLensOptions(false));
        capabilities.setExecuteCommandProvider(new ExecuteCommandOptions(List.of(CMD_CONVERT, CMD_CHECK,
                CMD_REINDEX)));
        return CompletableFuture.completedFuture(new InitializeResult(capabilities, new ServerInfo("klp-lsp",
                Version.current())));
    }

    @Override
    public void initialized(InitializedParams params) {
        log(MessageType.Log, "klp: workspace " + workspace.root() + "; client " + String.join(", ",
                support.describe()));
        project.ifPresent(file -> log(MessageType.Log, "klp: project file " + file.file()));
        indexExecutor.execute(() -> {
            workspace.scanDisk();
            republishAll();
        });
        if (support.configuration()) {
            requestConfiguration();
        }
        startWatching();
        startIndexing(false);
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdownRequested = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        ModuleWatcher current = watcher;
        if (current != null) {
            current.close();
        }
        moduleExecutor.shutdownNow();
        analysisExecutor.shutdownNow();
        indexExecutor.shutdownNow();
        onExit.accept(shutdownRequested ? 0 : 1);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return textDocuments;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return workspaceService;
    }

    // ---- state shared with the services -------------------------------------------------------------------

    Workspace workspace() {
        return workspace;
    }

    ClientSupport support() {
        return support;
    }

    String diagnosticsUrl() {
        return diagnosticsUrl;
    }

    void rememberUri(Path path, String uri) {
        uris.put(path, uri);
    }

    String uriOf(Path path) {
        return uris.getOrDefault(path, ToLsp.uri(path));
    }

    void forgetUri(Path path) {
        uris.remove(path);
    }

    // ---- settings -----------------------------------------------------------------------------------------

    /** A new client {@code klp} section (didChangeConfiguration or a workspace/configuration answer). */
    synchronized void clientSettingsChanged(JsonObject section) {
        clientSettings = LspConfig.merge(initializationSettings, section);
        applySettings(true);
    }

    void requestConfiguration() {
        LanguageClient current = client;
        if (current == null) {
            return;
        }
        ConfigurationItem item = new ConfigurationItem();
        item.setSection(LspConfig.SECTION);
        item.setScopeUri(ToLsp.uri(workspace.root()));
        current.configuration(new ConfigurationParams(List.of(item))).orTimeout(10, TimeUnit.SECONDS)
                .whenComplete((answers, error) -> {
                    if (error == null && answers != null && !answers.isEmpty() && answers.get(0) != null) {
                        JsonObject section = LspConfig.section(answers.get(0));
                        if (!section.entrySet().isEmpty()) {
                            clientSettingsChanged(section);
                        }
                    }
                });
    }

    /**
     * The project file was created, changed or deleted (debounced): read the nearest one again and apply the
     * settings as at start. A malformed file is logged once and the previous settings stay.
     */
    synchronized void projectFileChanged() {
        List<String> warnings = new ArrayList<>();
        Optional<ProjectFile> fresh;
        try {
            fresh = LspConfig.findProjectFile(workspace.root(), warnings);
        } catch (KlpException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastProjectProblem)) {
                lastProjectProblem = problem;
                log(MessageType.Warning, "klp: " + problem + "; keeping the previous settings");
            }
            return;
        }
        lastProjectProblem = null;
        if (fresh.equals(project)) {
            return; // the same change reported twice, or an edit that changed nothing
        }
        warnings.forEach(warning -> log(MessageType.Warning, warning));
        log(MessageType.Info, fresh.map(file -> "klp: project file " + file.file() + " changed, settings re-read")
                .orElseGet(() -> "klp: project file removed, the editor's klp settings apply"));
        project = fresh;
        ModuleWatcher current = watcher;
        if (current != null) {
            fresh.ifPresent(file -> current.watchFile(file.file(), this::projectFileChanged));
        }
        applySettings(true);
    }

    private synchronized void applySettings(boolean reindex) {
        Settings before = workspace.settings();
        LspConfig.Result result = LspConfig.settings(workspace.root(), project, clientSettings);
        result.problems().forEach(problem -> log(MessageType.Warning, "klp settings: " + problem));
        diagnosticsUrl = result.diagnosticsUrl();
        kernelLabel = result.kernelLabel();
        boolean wasTrusted = trusted;
        trusted = result.trusted();
        if (!trusted && wasTrusted) {
            log(MessageType.Info, "klp: the workspace is not trusted: no build command runs and nothing is converted"
                    + " on save or on change; diagnostics, hover, quick fixes and klp.check still work");
            cancelBuild();
        }
        workspace.setSettings(trusted ? result.settings() : result.settings().restrictedForUntrustedWorkspace());
        if (reindex) {
            boolean kernelChanged = !workspace.settings().kernelSources().equals(indexedSources);
            startIndexing(false); // a new index re-checks the built modules when ready
            if (!kernelChanged && before.functionReferences() != workspace.settings().functionReferences()) {
                recheckModules();
            }
            republishAll();
        }
    }

    /** Checks the modules checked before again (without converting): their findings depend on the settings. */
    private void recheckModules() {
        moduleExecutor.execute(() -> {
            if (!workspace.snapshot().isIndexReady()) {
                return;
            }
            for (Path module : workspace.modules()) {
                if (java.nio.file.Files.isRegularFile(module)) {
                    processModule(module, false);
                }
            }
            republishAll();
        });
    }

    Settings settings() {
        return workspace.settings();
    }

    /** Whether the client trusts the workspace (true unless it sent {@code workspaceTrusted: false}). */
    boolean trusted() {
        return trusted;
    }

    // ---- indexing -----------------------------------------------------------------------------------------

    /**
     * Loads the configured kernel's index in the background (from the cache when fresh), reporting
     * {@code $/progress} when the client supports it; does nothing when the sources did not change unless forced.
     */
    void startIndexing(boolean force) {
        Optional<KernelSources> sources = workspace.settings().kernelSources();
        if (!force && sources.equals(indexedSources)) {
            return;
        }
        indexedSources = sources;
        int generation = indexGeneration.incrementAndGet();
        if (sources.isEmpty()) {
            workspace.setIndex(null);
            indexStatus(IndexStatusParams.ERROR, null, "No kernel configured: set \"kernel\" (or \"symbols\") in "
                    + LspConfig.PROJECT_FILE + " or in the editor's klp settings.");
            message(MessageType.Info, "klp: no kernel configured: set \"kernel\" (or \"symbols\") in "
                    + LspConfig.PROJECT_FILE + " or in the editor's klp settings; only annotation syntax is checked");
            return;
        }
        indexExecutor.execute(() -> {
            if (generation != indexGeneration.get()) {
                return;
            }
            indexStatus(IndexStatusParams.INDEXING, null, "Indexing the kernel symbols…");
            Progress progress = beginProgress("klp: indexing kernel");
            if (!saidNotReady) {
                saidNotReady = true;
                log(MessageType.Info, "klp: indexing the kernel; symbol diagnostics follow when it is ready");
            }
            long start = System.nanoTime();
            try {
                KernelIndex index = KernelIndexLoader.load(sources.get(), indexOptions, progress);
                if (generation != indexGeneration.get()) {
                    return;
                }
                workspace.setIndex(index);
                progress.end(String.format("%,d symbols", index.symbolCount()));
                indexStatus(IndexStatusParams.READY, index.symbolCount(), String.format("%s, %s",
                        index.release().map(release -> "release " + release).orElse("release unknown"),
                        index.loadInfo().fromCache() ? "loaded from cache" : "indexed"));
                log(MessageType.Info, String.format("klp: kernel %s %s: %,d symbols in %d ms",
                        index.release().orElse("(release unknown)"),
                        index.loadInfo().fromCache() ? "loaded from cache" : "indexed", index.symbolCount(),
                        (System.nanoTime() - start) / 1_000_000));
                republishAll();
                checkExistingModules();
            } catch (KlpException e) {
                progress.end("failed");
                indexFailed(generation, e.getMessage());
                message(MessageType.Error, "klp: cannot index the kernel: " + e.getMessage());
            } catch (RuntimeException e) {
                progress.end("failed");
                indexFailed(generation, "internal error, please report: " + e);
                message(MessageType.Error, "klp: internal error while indexing, please report: " + e);
            }
        });
    }

    private void indexFailed(int generation, String cause) {
        if (generation == indexGeneration.get()) {
            indexStatus(IndexStatusParams.ERROR, null, cause);
        }
    }

    /** Sends {@code klp/indexStatus} to clients that declare it (the others never see it). */
    private void indexStatus(String state, Integer symbols, String text) {
        if (client instanceof KlpLanguageClient klpClient) {
            klpClient.indexStatus(new IndexStatusParams(state, symbols, text, kernelLabel.orElse(null)));
        }
    }

    /** Work-done progress for one indexing run; silent when the client does not support it. */
    private final class Progress implements ProgressListener {
        private final Either<String, Integer> token;
        private volatile long lastReport;

        Progress(Either<String, Integer> token) {
            this.token = token;
        }

        @Override
        public void onProgress(String phase, long done, long total) {
            long now = System.nanoTime();
            if (token == null || now - lastReport < 200_000_000L) {
                return;
            }
            lastReport = now;
            WorkDoneProgressReport report = new WorkDoneProgressReport();
            report.setMessage(total > 0 ? phase + " " + done + "/" + total : phase);
            if (total > 0) {
                report.setPercentage((int) Math.min(100, done * 100 / total));
            }
            notify(report);
        }

        void end(String text) {
            if (token != null) {
                WorkDoneProgressEnd end = new WorkDoneProgressEnd();
                end.setMessage(text);
                notify(end);
            }
        }

        private void notify(Object value) {
            LanguageClient current = client;
            if (current != null) {
                current.notifyProgress(new ProgressParams(token, Either.forLeft(
                        (org.eclipse.lsp4j.WorkDoneProgressNotification) value)));
            }
        }
    }

    private Progress beginProgress(String title) {
        LanguageClient current = client;
        if (current == null || !support.workDoneProgress()) {
            return new Progress(null);
        }
        Either<String, Integer> token = Either.forLeft("klp-index-" + progressTokens.incrementAndGet());
        try {
            current.createProgress(new WorkDoneProgressCreateParams(token)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Progress(null);
        }
        Progress progress = new Progress(token);
        WorkDoneProgressBegin begin = new WorkDoneProgressBegin();
        begin.setTitle(title);
        begin.setCancellable(false);
        progress.notify(begin);
        return progress;
    }

    // ---- diagnostics --------------------------------------------------------------------------------------

    /** Publishes the diagnostics of an open file from the newest snapshot, on the analysis thread. */
    void publish(Path path) {
        analysisExecutor.execute(() -> {
            try {
                Analysis analysis = workspace.snapshot();
                Optional<Document> open = analysis.document(path);
                Optional<Document> document = open.or(() -> analysis.source(path));
                LanguageClient current = client;
                if (document.isEmpty() || current == null) {
                    return;
                }
                String uri = uriOf(path);
                List<Diagnostic> diagnostics = analysis.diagnostics(path).stream()
                        .map(finding -> ToLsp.diagnostic(finding, document.get().scan().lines(), uri, support,
                                diagnosticsUrl))
                        .toList();
                current.publishDiagnostics(new PublishDiagnosticsParams(uri, diagnostics,
                        open.map(Document::version).orElse(null)));
            } catch (RuntimeException e) {
                log(MessageType.Error, "klp: internal error while analysing " + path + ", please report: " + e);
            }
        });
    }

    void clearDiagnostics(Path path, String uri) {
        analysisExecutor.execute(() -> {
            LanguageClient current = client;
            if (current != null) {
                current.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
            }
        });
    }

    /** Publishes every open file and every file that has (or had) findings from a module check. */
    void republishAll() {
        Set<Path> files = new HashSet<>(workspace.openFiles());
        Set<Path> withModuleFindings = workspace.snapshot().filesWithModuleFindings();
        files.addAll(withModuleFindings);
        files.addAll(moduleFindingFiles);
        moduleFindingFiles.clear();
        moduleFindingFiles.addAll(withModuleFindings);
        files.forEach(this::publish);
    }

    /** Waits until every queued analysis ran (tests and benchmarks). */
    void awaitIdle() throws Exception {
        indexExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        moduleExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        analysisExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
    }

    // ---- modules (check and convert) ---------------------------------------------------------------------

    /**
     * Watches the workspace's modules and the project file (the one in use and one created at the root): the JDK
     * watcher always, the client's file events where it offers them.
     */
    private void startWatching() {
        ModuleWatcher moduleWatcher = new ModuleWatcher(workspace.root(), MODULE_DEBOUNCE_MILLIS, this::moduleChanged,
                ModuleWatcher.DEFAULT_MAX_DIRECTORIES, notice -> log(MessageType.Warning, "klp: " + notice));
        moduleWatcher.watchFile(workspace.root().resolve(LspConfig.PROJECT_FILE), this::projectFileChanged);
        project.ifPresent(file -> moduleWatcher.watchFile(file.file(), this::projectFileChanged));
        try {
            moduleWatcher.start();
        } catch (java.io.IOException e) {
            log(MessageType.Warning, "klp: cannot watch " + workspace.root() + " for modules: " + e.getMessage()
                    + "; modules are still checked on save and with klp.check");
        }
        watcher = moduleWatcher;
        LanguageClient current = client;
        if (current != null && support.watchedFilesRegistration()) {
            org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions options =
                    new org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions(List.of(
                            new org.eclipse.lsp4j.FileSystemWatcher(Either.forLeft("**/*.ko")),
                            new org.eclipse.lsp4j.FileSystemWatcher(Either.forLeft("**/" + LspConfig.PROJECT_FILE))));
            current.registerCapability(new org.eclipse.lsp4j.RegistrationParams(List.of(
                    new org.eclipse.lsp4j.Registration("klp-modules", "workspace/didChangeWatchedFiles", options))));
        }
    }

    void watchedFilesChanged(org.eclipse.lsp4j.DidChangeWatchedFilesParams params) {
        ModuleWatcher current = watcher;
        for (org.eclipse.lsp4j.FileEvent event : params.getChanges()) {
            Optional<Path> changed = FromLsp.path(event.getUri());
            if (changed.isPresent() && current != null && current.isWatchedFile(changed.get())) {
                current.changed(changed.get()); // the project file: debounced with the JDK watcher's report
                continue;
            }
            changed.filter(ModuleWatcher::isModule).ifPresent(path -> {
                if (event.getType() == org.eclipse.lsp4j.FileChangeType.Deleted) {
                    moduleExecutor.execute(() -> {
                        workspace.forgetModule(path);
                        republishAll();
                    });
                } else if (current != null) {
                    current.changed(path);
                } else {
                    moduleChanged(path);
                }
            });
        }
    }

    /** A module changed on disk (a build): check it, and convert it when convertOnSave is on. */
    void moduleChanged(Path module) {
        moduleExecutor.execute(() -> {
            Analysis analysis = workspace.snapshot();
            if (analysis.isConvertedOutput(module) || isOwnWrite(module)) {
                return;
            }
            if (!analysis.isIndexReady()) {
                pendingModules.add(module);
                return;
            }
            processModule(module, workspace.settings().convertOnSave());
            republishAll();
        });
    }

    /** Runs on the module thread: check (and convert), remember the findings; returns a summary for commands. */
    private Map<String, Object> processModule(Path module, boolean convert) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("module", module.toString());
        Analysis analysis = workspace.snapshot();
        try {
            CheckResult result;
            if (convert) {
                Optional<ConvertOutcome> outcome = analysis.convert(module);
                if (outcome.isEmpty()) {
                    report.put("error", "the kernel index is not ready");
                    return report;
                }
                result = outcome.get().result();
                report.put("converted", !outcome.get().blocked());
                report.put("written", outcome.get().written().map(Path::toString).orElse(null));
                outcome.get().written().ifPresent(this::rememberOwnWrite);
                outcome.get().summary().ifPresent(summary -> report.put("symbolsConverted",
                        summary.symbolsConverted()));
                if (outcome.get().blocked()) {
                    log(MessageType.Warning, "klp: " + module.getFileName() + " not converted: "
                            + result.count(Severity.ERROR) + " error(s), see the diagnostics");
                } else {
                    log(MessageType.Info, "klp: " + module.getFileName() + ": " + outcome.get().written()
                            .map(path -> "converted, wrote " + path).orElse("already converted, unchanged"));
                }
            } else {
                Optional<CheckResult> checked = analysis.checkModule(module);
                if (checked.isEmpty()) {
                    report.put("error", "the kernel index is not ready");
                    return report;
                }
                result = checked.get();
            }
            workspace.setModuleResult(module, result);
            report.put("errors", result.count(Severity.ERROR));
            report.put("warnings", result.count(Severity.WARNING));
            List<Map<String, String>> findings = new ArrayList<>();
            for (Finding finding : result.findings()) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("code", finding.code().id());
                entry.put("severity", finding.severity().name().toLowerCase(java.util.Locale.ROOT));
                entry.put("message", finding.message());
                findings.add(entry);
            }
            report.put("findings", findings);
        } catch (KlpException e) {
            workspace.forgetModule(module);
            report.put("error", e.getMessage());
            log(MessageType.Warning, "klp: " + e.getMessage());
        } catch (RuntimeException e) {
            report.put("error", "internal error: " + e);
            log(MessageType.Error, "klp: internal error while checking " + module + ", please report: " + e);
        }
        return report;
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
            return java.nio.file.Files.size(file) + "@" + java.nio.file.Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Modules in the workspace: every .ko below the root that is not converted output. */
    private List<Path> workspaceModules() {
        Analysis analysis = workspace.snapshot();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(workspace.root(), 6)) {
            return files.filter(ModuleWatcher::isModule).filter(java.nio.file.Files::isRegularFile)
                    .filter(path -> !analysis.isConvertedOutput(path))
                    .filter(path -> workspace.root().relativize(path).toString().chars().noneMatch(c -> c == '~'))
                    .map(path -> path.toAbsolutePath().normalize()).sorted().toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** After the index is ready: check the modules that are already built, and those that changed meanwhile. */
    private void checkExistingModules() {
        moduleExecutor.execute(() -> {
            Set<Path> modules = new java.util.TreeSet<>(workspaceModules());
            modules.addAll(pendingModules);
            pendingModules.clear();
            boolean convert = workspace.settings().convertOnSave();
            for (Path module : modules) {
                if (java.nio.file.Files.isRegularFile(module)) {
                    processModule(module, convert);
                }
            }
            republishAll();
        });
    }

    /**
     * A source was saved: with convertOnSave and a build command from the client's settings, run the build
     * (cancelling one still running, its output logged), then check and convert the workspace's modules.
     * Without a build command the watcher converts a module when a build made elsewhere changes it.
     */
    void saved(Path path) {
        publish(path);
        Settings settings = workspace.settings();
        if (!settings.convertOnSave() || settings.buildCommand().isEmpty()) {
            return;
        }
        cancelBuild();
        String command = settings.buildCommand().get();
        moduleExecutor.execute(() -> runBuildAndConvert(command));
    }

    private void cancelBuild() {
        Process running = build;
        if (running != null && running.isAlive()) {
            log(MessageType.Info, "klp: cancelling the running build");
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
            String output = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (!output.isBlank()) {
                log(MessageType.Log, "klp: build output (" + command + "):\n" + output.stripTrailing());
            }
            if (status != 0) {
                log(MessageType.Warning, "klp: build failed with status " + status + ": " + command);
                return;
            }
            for (Path module : workspaceModules()) {
                if (!isOwnWrite(module)) {
                    processModule(module, trusted);
                }
            }
            republishAll();
        } catch (java.io.IOException e) {
            log(MessageType.Error, "klp: cannot run the build command: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code klp.check} / {@code klp.convert} with an optional module (path or file URI); default: all modules. */
    CompletableFuture<Object> moduleCommand(String command, List<Object> arguments) {
        if (command.equals(CMD_CONVERT) && !trusted) {
            return CompletableFuture.failedFuture(new org.eclipse.lsp4j.jsonrpc.ResponseErrorException(
                    new org.eclipse.lsp4j.jsonrpc.messages.ResponseError(
                            org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode.RequestFailed, UNTRUSTED_CONVERT,
                            null)));
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        moduleExecutor.execute(() -> {
            try {
                List<Path> modules = new ArrayList<>();
                if (arguments != null) {
                    for (Object argument : arguments) {
                        String text = argument instanceof com.google.gson.JsonPrimitive primitive
                                ? primitive.getAsString() : String.valueOf(argument);
                        modules.add(FromLsp.path(text).orElseGet(() -> workspace.root().resolve(text)
                                .toAbsolutePath().normalize()));
                    }
                }
                if (modules.isEmpty()) {
                    modules.addAll(workspaceModules());
                }
                List<Map<String, Object>> reports = new ArrayList<>();
                for (Path module : modules) {
                    reports.add(processModule(module, command.equals(CMD_CONVERT)));
                }
                republishAll();
                result.complete(reports);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- messages -----------------------------------------------------------------------------------------

    void log(MessageType type, String text) {
        LanguageClient current = client;
        if (current != null) {
            current.logMessage(new MessageParams(type, text));
        }
    }

    void message(MessageType type, String text) {
        LanguageClient current = client;
        if (current != null) {
            current.showMessage(new MessageParams(type, text));
        }
    }

    private static Path rootOf(InitializeParams params) {
        if (params.getWorkspaceFolders() != null && !params.getWorkspaceFolders().isEmpty()) {
            Optional<Path> folder = FromLsp.path(params.getWorkspaceFolders().get(0).getUri());
            if (folder.isPresent()) {
                return folder.get();
            }
        }
        Optional<Path> rootUri = FromLsp.path(params.getRootUri());
        if (rootUri.isPresent()) {
            return rootUri.get();
        }
        if (params.getRootPath() != null) {
            return Paths.get(params.getRootPath()).toAbsolutePath().normalize();
        }
        return Paths.get("").toAbsolutePath();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
