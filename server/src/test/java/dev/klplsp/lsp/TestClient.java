// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * An lsp4j client connected to an in-process {@link KlpLanguageServer} over pipes: the same JSON-RPC an editor
 * speaks, with helpers that wait for published diagnostics.
 */
final class TestClient implements KlpLanguageClient, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Map<String, PublishDiagnosticsParams> diagnostics = new ConcurrentHashMap<>();
    final List<MessageParams> messages = new CopyOnWriteArrayList<>();
    final List<MessageParams> logs = new CopyOnWriteArrayList<>();
    final List<ShowMessageRequestParams> messageRequests = new CopyOnWriteArrayList<>();
    /** How window/showMessageRequest is answered: the title of the action to choose, or null to dismiss. */
    volatile java.util.function.Function<ShowMessageRequestParams, String> messageRequestAnswer = request -> null;
    final List<ProgressParams> progress = new CopyOnWriteArrayList<>();
    final List<RegistrationParams> registrations = new CopyOnWriteArrayList<>();
    final List<LspExt.IndexStatusParams> indexStatuses = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
    volatile JsonObject configuration = new JsonObject();
    /** workspace/configuration is answered when this completes (a slow client holds it). */
    volatile CompletableFuture<Void> configurationGate = CompletableFuture.completedFuture(null);
    final Map<String, String> texts = new ConcurrentHashMap<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();

    final KlpLanguageServer server;
    final LanguageServer remote;
    private final OutputStream toServer;
    private final OutputStream fromServer;

    /** A client of a server whose system root is empty: no test detects the machine's own kernels. */
    TestClient(Path cacheDir) throws IOException {
        this(cacheDir, emptySystemRoot(cacheDir));
    }

    /** A client of a server that looks kernel releases up, and detects them, under {@code systemRoot}. */
    TestClient(Path cacheDir, Path systemRoot) throws IOException {
        // NIO pipes, not java.io's Piped streams: those fail with "Write end dead" once a writing pool thread ends.
        Pipe clientToServer = Pipe.open();
        Pipe serverToClient = Pipe.open();
        InputStream serverIn = Channels.newInputStream(clientToServer.source());
        toServer = Channels.newOutputStream(clientToServer.sink());
        InputStream clientIn = Channels.newInputStream(serverToClient.source());
        fromServer = Channels.newOutputStream(serverToClient.sink());
        server = new KlpLanguageServer(exitStatus::complete, new IndexOptions(Optional.of(cacheDir), true),
                systemRoot);
        // As ServeCommand does.
        LspTransport.start(server, serverIn, fromServer, new java.io.PrintWriter(System.err, true));
        Launcher<LanguageServer> clientLauncher = LSPLauncher.createClientLauncher(this, clientIn, toServer);
        remote = clientLauncher.getRemoteProxy();
        clientLauncher.startListening();
    }

    private static Path emptySystemRoot(Path cacheDir) throws IOException {
        return Files.createDirectories(cacheDir.resolve("empty-system-root"));
    }

    /** Capabilities like Neovim 0.7's, with relatedInformation and workspace/configuration switchable. */
    static ClientCapabilities capabilities(boolean relatedInformation, boolean configuration) {
        JsonObject json = new com.google.gson.Gson().fromJson("""
                {"textDocument": {"publishDiagnostics": {"relatedInformation": %s},
                                  "hover": {"contentFormat": ["markdown", "plaintext"]},
                                  "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
                 "workspace": {"configuration": %s, "didChangeWatchedFiles": {"dynamicRegistration": true}},
                 "window": {"workDoneProgress": true}}
                """.formatted(relatedInformation, configuration), JsonObject.class);
        return new com.google.gson.Gson().fromJson(json, ClientCapabilities.class);
    }

    InitializeResult initialize(Path root, ClientCapabilities capabilities, JsonElement options) throws Exception {
        InitializeParams params = new InitializeParams();
        params.setProcessId((int) ProcessHandle.current().pid());
        params.setRootUri(root.toUri().toString());
        params.setWorkspaceFolders(List.of(new WorkspaceFolder(root.toUri().toString(), "ws")));
        params.setCapabilities(capabilities);
        params.setInitializationOptions(options);
        InitializeResult result = remote.initialize(params).get(30, TimeUnit.SECONDS);
        remote.initialized(new InitializedParams());
        return result;
    }

    String open(Path file) throws IOException {
        String uri = file.toUri().toString();
        String text = Files.readString(file);
        texts.put(uri, text);
        versions.put(uri, 1);
        remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "c", 1, text)));
        return uri;
    }

    void change(String uri, String text) {
        int version = versions.merge(uri, 1, Integer::sum);
        texts.put(uri, text);
        remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** Applies a WorkspaceEdit's changes to our copy of the text and sends it, as an editor does. */
    void apply(WorkspaceEdit edit) {
        edit.getChanges().forEach((uri, edits) -> {
            String text = texts.get(uri);
            LineIndex lines = LineIndex.of(text);
            List<TextEdit> core = new ArrayList<>();
            for (org.eclipse.lsp4j.TextEdit lspEdit : edits) {
                Span span = FromLsp.span(lines, lspEdit.getRange());
                core.add(new TextEdit(span, lspEdit.getNewText()));
            }
            change(uri, TextEdit.apply(text, core));
        });
    }

    /** Waits until the newest diagnostics of {@code uri} satisfy {@code condition}. */
    List<Diagnostic> awaitDiagnostics(String uri, Predicate<List<Diagnostic>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams latest = diagnostics.get(uri);
            // Files the client has not opened get diagnostics without a version.
            Integer expected = versions.get(uri);
            boolean current = latest != null && (expected == null ? latest.getVersion() == null
                    : expected.equals(latest.getVersion()));
            if (current && condition.test(latest.getDiagnostics())) {
                return latest.getDiagnostics();
            }
            synchronized (this) {
                if (diagnostics.get(uri) == latest) {
                    wait(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
                }
            }
        }
        throw new AssertionError("timed out waiting for diagnostics of " + uri + "; last: " + diagnostics.get(uri)
                + "\nmessages: " + messages + "\nlogs: " + logs);
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
        synchronized (this) {
            diagnostics.put(params.getUri(), params);
            notifyAll();
        }
    }

    @Override
    public void indexStatus(LspExt.IndexStatusParams params) {
        synchronized (this) {
            indexStatuses.add(params);
            notifyAll();
        }
    }

    /** Waits until the newest klp/indexStatus satisfies {@code condition}. */
    LspExt.IndexStatusParams awaitIndexStatus(Predicate<LspExt.IndexStatusParams> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (this) {
            while (System.nanoTime() < deadline) {
                if (!indexStatuses.isEmpty() && condition.test(indexStatuses.get(indexStatuses.size() - 1))) {
                    return indexStatuses.get(indexStatuses.size() - 1);
                }
                wait(50);
            }
        }
        throw new AssertionError("timed out waiting for klp/indexStatus; got " + indexStatuses + "\nlogs: " + logs);
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    @Override
    public void showMessage(MessageParams params) {
        messages.add(params);
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
        synchronized (this) {
            messageRequests.add(params);
            notifyAll();
        }
        String title = messageRequestAnswer.apply(params);
        return CompletableFuture.completedFuture(title == null ? null : new MessageActionItem(title));
    }

    /** Waits for the first window/showMessageRequest. */
    ShowMessageRequestParams awaitMessageRequest() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (this) {
            while (messageRequests.isEmpty() && System.nanoTime() < deadline) {
                wait(50);
            }
        }
        if (messageRequests.isEmpty()) {
            throw new AssertionError("no window/showMessageRequest; messages: " + messages + "\nlogs: " + logs);
        }
        return messageRequests.get(0);
    }

    @Override
    public void logMessage(MessageParams params) {
        logs.add(params);
    }

    @Override
    public CompletableFuture<List<Object>> configuration(ConfigurationParams params) {
        return configurationGate.thenApply(ready -> {
            List<Object> answers = new ArrayList<>();
            params.getItems().forEach(item -> answers.add(configuration));
            return answers;
        });
    }

    @Override
    public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void notifyProgress(ProgressParams params) {
        progress.add(params);
    }

    @Override
    public CompletableFuture<Void> registerCapability(RegistrationParams params) {
        registrations.add(params);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() throws Exception {
        // Stop the server's threads first, so nothing writes into the closed pipe afterwards; and wait for the work
        // they were doing (an index goes on to write its cache), so none of it lands in the test's directories
        // while they are deleted.
        if (!exitStatus.isDone()) {
            server.exit();
        }
        server.awaitExited();
        toServer.close();
        fromServer.close(); // the client's reader thread (not a daemon) ends at the end of its input
    }
}
