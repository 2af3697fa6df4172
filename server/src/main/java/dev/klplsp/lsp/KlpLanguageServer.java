// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import dev.klplsp.base.KlpException;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.Settings;
import dev.klplsp.ide.Workspace;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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

    private volatile LanguageClient client;
    private volatile Workspace workspace = new Workspace(Paths.get("").toAbsolutePath());
    private volatile ClientSupport support = ClientSupport.NONE;
    private volatile JsonObject projectSettings = new JsonObject();
    private volatile JsonObject initializationSettings = new JsonObject();
    private volatile JsonObject clientSettings = new JsonObject();
    private volatile String diagnosticsUrl = LspConfig.DEFAULT_DIAGNOSTICS_URL;
    private volatile Optional<KernelSources> indexedSources = Optional.empty();
    private volatile boolean shutdownRequested;
    private volatile boolean saidNotReady;

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
        projectSettings = LspConfig.readProjectFile(root, problems);
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
        capabilities.setExecuteCommandProvider(new ExecuteCommandOptions(List.of(CMD_CONVERT, CMD_CHECK,
                CMD_REINDEX)));
        return CompletableFuture.completedFuture(new InitializeResult(capabilities, new ServerInfo("klp-lsp",
                Version.current())));
    }

    @Override
    public void initialized(InitializedParams params) {
        log(MessageType.Log, "klp: workspace " + workspace.root() + "; client " + String.join(", ",
                support.describe()));
        indexExecutor.execute(() -> {
            workspace.scanDisk();
            republishAll();
        });
        if (support.configuration()) {
            requestConfiguration();
        }
        startIndexing(false);
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdownRequested = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
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
    void clientSettingsChanged(JsonObject section) {
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

    private void applySettings(boolean reindex) {
        LspConfig.Result result = LspConfig.settings(workspace.root(), projectSettings, clientSettings);
        result.problems().forEach(problem -> log(MessageType.Warning, "klp settings: " + problem));
        diagnosticsUrl = result.diagnosticsUrl();
        workspace.setSettings(result.settings());
        if (reindex) {
            startIndexing(false);
            republishAll();
        }
    }

    Settings settings() {
        return workspace.settings();
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
            message(MessageType.Info, "klp: no kernel configured: set \"kernel\" (or \"symbols\") in "
                    + LspConfig.PROJECT_FILE + " or in the editor's klp settings; only annotation syntax is checked");
            return;
        }
        indexExecutor.execute(() -> {
            if (generation != indexGeneration.get()) {
                return;
            }
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
                log(MessageType.Info, String.format("klp: kernel %s %s: %,d symbols in %d ms",
                        index.release().orElse("(release unknown)"),
                        index.loadInfo().fromCache() ? "loaded from cache" : "indexed", index.symbolCount(),
                        (System.nanoTime() - start) / 1_000_000));
                republishAll();
            } catch (KlpException e) {
                progress.end("failed");
                message(MessageType.Error, "klp: cannot index the kernel: " + e.getMessage());
            } catch (RuntimeException e) {
                progress.end("failed");
                message(MessageType.Error, "klp: internal error while indexing, please report: " + e);
            }
        });
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
                Optional<Document> document = analysis.document(path);
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
                        document.get().version()));
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

    void republishAll() {
        workspace.openFiles().forEach(this::publish);
    }

    /** Waits until every queued analysis ran (tests and benchmarks). */
    void awaitIdle() throws Exception {
        indexExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        analysisExecutor.submit(() -> { }).get(60, TimeUnit.SECONDS);
    }

    // ---- modules (check and convert) ---------------------------------------------------------------------

    /** A source was saved: with convertOnSave, build (when configured), check and convert the module. */
    void saved(Path path) {
        // FIXME(check): convert on save needs dev.klplsp.check/convert; until that branch lands a save only re-analyses.
        publish(path);
    }

    void watchedFilesChanged(org.eclipse.lsp4j.DidChangeWatchedFilesParams params) {
        // FIXME(check): module changes are checked once dev.klplsp.check lands.
    }

    CompletableFuture<Object> moduleCommand(String command, List<Object> arguments) {
        return CompletableFuture.failedFuture(new org.eclipse.lsp4j.jsonrpc.ResponseErrorException(
                new org.eclipse.lsp4j.jsonrpc.messages.ResponseError(
                        org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode.RequestFailed,
                        command + " is not available in this build", null)));
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
