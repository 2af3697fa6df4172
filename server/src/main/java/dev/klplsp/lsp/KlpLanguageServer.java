// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import dev.klplsp.base.KlpException;
import dev.klplsp.base.Version;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.ide.ModuleService;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.project.ProjectFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.ConfigurationItem;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The klp language server: the LSP lifecycle, the settings sources (the project file and the client's) and the
 * translation between LSP and the {@link ModuleService}, which does the work (clangd's ClangdLSPServer to its
 * ClangdServer). Requests are answered from immutable snapshots and never wait for the index.
 */
public final class KlpLanguageServer implements LanguageServer, LanguageClientAware {
    /**
     * How long the server waits for the client's workspace/configuration answer before settling without it (a test
     * that holds the answer back while it looks lengthens it: on a loaded machine its steps can take longer).
     */
    volatile Duration configurationTimeout = Duration.ofSeconds(10);

    private final IntConsumer onExit;
    private final IndexOptions indexOptions;
    private final Path systemRoot;
    private final KlpTextDocumentService textDocuments = new KlpTextDocumentService(this);
    private final KlpWorkspaceService workspaceService = new KlpWorkspaceService(this);
    private volatile LanguageClient client;
    private volatile ClientSupport support = ClientSupport.NONE;
    private volatile ClientNotifier notifier;
    private volatile ModuleService service;
    private volatile Optional<ProjectFile> project = Optional.empty();
    /** Everything the client sent for the {@code klp} section so far, merged key by key (LspConfig.merge). */
    private volatile JsonObject clientSettings = new JsonObject();
    private volatile boolean settled;
    private volatile boolean shutdownRequested;
    /** The last malformed-project-file message, so one bad edit reported twice (JDK and client) logs once. */
    private volatile String lastProjectProblem;

    /**
     * @param onExit       called with the process exit status on {@code exit} (0 after shutdown, else 1)
     * @param indexOptions where the kernel index cache lives
     * @param systemRoot   the root kernel releases are looked up and detected under ({@code /}; see
     *                     {@link dev.klplsp.ide.KernelDetection})
     */
    public KlpLanguageServer(IntConsumer onExit, IndexOptions indexOptions, Path systemRoot) {
        this.onExit = onExit;
        this.indexOptions = indexOptions;
        this.systemRoot = systemRoot;
    }

    @Override
    public void connect(LanguageClient languageClient) {
        this.client = languageClient;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        Path root = rootOf(params);
        support = ClientSupport.of(params.getCapabilities());
        notifier = new ClientNotifier(client, support);
        service = new ModuleService(root, indexOptions, systemRoot, notifier);
        notifier.setKernelOfferAnswers(new ClientNotifier.KernelOfferAnswers() {
            @Override
            public boolean maySave() {
                return service.trusted() && ProjectFile.find(service.root()).isEmpty();
            }

            @Override
            public void accepted(ModuleService.KernelOffer offer, boolean save) {
                kernelOfferAccepted(offer, save);
            }
        });
        List<String> problems = new ArrayList<>();
        project = LspConfig.readProjectFile(root, problems);
        clientSettings = LspConfig.section(params.getInitializationOptions());
        problems.forEach(problem -> notifier.log(MessageType.Warning, problem));

        ServerCapabilities capabilities = new ServerCapabilities();
        TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
        sync.setOpenClose(true);
        sync.setChange(TextDocumentSyncKind.Full);
        sync.setSave(new SaveOptions(false));
        capabilities.setTextDocumentSync(sync);
        capabilities.setHoverProvider(true);
        capabilities.setDefinitionProvider(true);
        capabilities.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix,
                CodeActionKind.RefactorRewrite)));
        capabilities.setCodeLensProvider(new CodeLensOptions(false));
        capabilities.setExecuteCommandProvider(new ExecuteCommandOptions(LspExt.COMMANDS));
        return CompletableFuture.completedFuture(new InitializeResult(capabilities, new ServerInfo("klp-lsp",
                Version.current())));
    }

    @Override
    public void initialized(InitializedParams params) {
        notifier.log(MessageType.Log, "klp: workspace " + service.root() + "; client " + String.join(", ",
                support.describe()));
        project.ifPresent(file -> notifier.log(MessageType.Log, "klp: project file " + file.file()));
        service.watchFile(service.root().resolve(ProjectFile.NAME), this::projectFileChanged);
        project.ifPresent(file -> service.watchFile(file.file(), this::projectFileChanged));
        service.start();
        registerWatchedFiles();
        // Without workspace/configuration, what the client sent at initialize is all it will say for now.
        settled = !support.configuration();
        applySettings();
        if (support.configuration()) {
            requestConfiguration();
        }
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdownRequested = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        if (service != null) {
            service.close();
        }
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

    ModuleService service() {
        return service;
    }

    ClientNotifier notifier() {
        return notifier;
    }

    ClientSupport support() {
        return support;
    }

    /** Waits until every queued task ran (tests and benchmarks). */
    void awaitIdle() throws Exception {
        service.awaitIdle();
    }

    /** After {@link #exit}: waits until the work still running then has ended (tests, before their cleanup). */
    void awaitExited() throws InterruptedException {
        if (service != null && !service.awaitClosed(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the server's work still runs 60 s after exit");
        }
    }

    // ---- settings -----------------------------------------------------------------------------------------

    /** A client {@code klp} section (didChangeConfiguration or a workspace/configuration answer), merged in. */
    synchronized void clientSettingsChanged(JsonObject section) {
        clientSettings = LspConfig.merge(clientSettings, section);
        applySettings();
    }

    /**
     * Asks the client for its {@code klp} section. Until the first answer (or a failure, or the timeout) the
     * settings are not settled: nothing is built or converted on a value the client may still override.
     */
    void requestConfiguration() {
        ConfigurationItem item = new ConfigurationItem();
        item.setSection(LspConfig.SECTION);
        item.setScopeUri(ToLsp.uri(service.root()));
        client.configuration(new ConfigurationParams(List.of(item)))
                .orTimeout(configurationTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answers, error) -> {
                    JsonObject section = error == null && answers != null && !answers.isEmpty()
                            ? LspConfig.section(answers.get(0)) : new JsonObject();
                    synchronized (this) {
                        settled = true;
                        clientSettingsChanged(section);
                    }
                });
    }

    /**
     * The project file was created, changed or deleted (debounced): read the nearest one again and apply the
     * settings as at start. A malformed file is logged once and the previous settings stay.
     */
    synchronized void projectFileChanged() {
        Optional<ProjectFile> fresh;
        try {
            fresh = ProjectFile.findAndRead(service.root());
        } catch (KlpException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastProjectProblem)) {
                lastProjectProblem = problem;
                notifier.log(MessageType.Warning, "klp: " + problem + "; keeping the previous settings");
            }
            return;
        }
        lastProjectProblem = null;
        if (fresh.equals(project)) {
            return; // the same change reported twice, or an edit that changed nothing
        }
        fresh.ifPresent(file -> file.warnings().forEach(warning -> notifier.log(MessageType.Warning, warning)));
        notifier.log(MessageType.Info, fresh.map(file -> "klp: project file " + file.file()
                + " changed, settings re-read").orElse("klp: project file removed, the editor's klp settings apply"));
        project = fresh;
        fresh.ifPresent(file -> service.watchFile(file.file(), this::projectFileChanged));
        applySettings();
    }

    /**
     * The user took the detected kernel: for this session, and with {@code save} also in a new project file at
     * the root, which the CLI reads too (the watcher then reads it back; it names the same kernel).
     */
    private void kernelOfferAccepted(ModuleService.KernelOffer offer, boolean save) {
        if (save) {
            try {
                Path written = ProjectFile.create(service.root(), offer.kernel().kernel());
                notifier.log(MessageType.Info, "klp: wrote " + written);
            } catch (KlpException e) {
                notifier.showMessage(ModuleService.Level.WARNING, "klp: " + e.getMessage());
            }
        }
        service.useDetectedKernel(offer);
    }

    private synchronized void applySettings() {
        LspConfig.Result result = LspConfig.settings(service.root(), project, clientSettings);
        result.problems().forEach(problem -> notifier.log(MessageType.Warning, "klp settings: " + problem));
        notifier.setDiagnosticsUrl(result.diagnosticsUrl());
        service.configure(result.settings(), result.kernelLabel(), result.trusted(), settled);
    }

    /**
     * A change of the project file that sets a {@code sympos} choice: the file the settings come from (the nearest
     * {@code .klp-lsp.json}, else a new one at the workspace root), its text now (null when it does not exist) and
     * with the choice. Empty when the file cannot be edited safely (unreadable, over 1 MiB, not a JSON object) or
     * must be created and the client cannot create files.
     */
    Optional<ProjectFileEdit> projectFileEdit(SymposChoice choice) {
        Path file = project.map(ProjectFile::file).orElse(service.root().resolve(ProjectFile.NAME));
        String oldText = null;
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_PROJECT_FILE) {
                    return Optional.empty();
                }
                oldText = Files.readString(file, StandardCharsets.UTF_8);
            } else if (!support.createFiles()) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        String before = oldText;
        return ProjectFile.withSympos(oldText == null ? "" : oldText, choice.name(), choice.spec())
                .map(newText -> new ProjectFileEdit(file, before, newText));
    }

    /** What {@link #projectFileEdit} changes; {@code oldText} null when the file is to be created. */
    record ProjectFileEdit(Path file, String oldText, String newText) {
    }

    /** A project file is a few settings; anything larger is not one a quick fix rewrites. */
    private static final long MAX_PROJECT_FILE = 1 << 20;

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The client's file events for modules and project files, where it offers dynamic registration. */
    private void registerWatchedFiles() {
        if (!support.watchedFilesRegistration()) {
            return;
        }
        DidChangeWatchedFilesRegistrationOptions options = new DidChangeWatchedFilesRegistrationOptions(List.of(
                new FileSystemWatcher(Either.forLeft("**/*.ko")),
                new FileSystemWatcher(Either.forLeft("**/" + ProjectFile.NAME))));
        client.registerCapability(new RegistrationParams(List.of(new Registration("klp-modules",
                "workspace/didChangeWatchedFiles", options))));
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
}
