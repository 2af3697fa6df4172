// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.IndexStatus;
import dev.klplsp.ide.ModuleService;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.source.LineIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The service's reports as LSP messages: diagnostics under the URI the client opened the file with,
 * {@code klp/indexStatus} to clients that declare it, {@code $/progress}, log and show messages, and a kernel
 * offer as {@code window/showMessageRequest}.
 */
final class ClientNotifier implements ModuleService.Callbacks {
    /** What becomes of the answer to a kernel offer (the server's part: settings sources). */
    interface KernelOfferAnswers {
        /** Whether to offer saving the kernel to a new project file. */
        boolean maySave();

        void accepted(ModuleService.KernelOffer offer, boolean save);
    }

    private final LanguageClient client;
    private final ClientSupport support;
    /** The URI each open file was opened with, so diagnostics go back under the client's own spelling. */
    private final Map<Path, String> uris = new ConcurrentHashMap<>();
    private final AtomicLong progressTokens = new AtomicLong();
    private volatile String diagnosticsUrl = LspConfig.DEFAULT_DIAGNOSTICS_URL;
    private volatile KernelOfferAnswers kernelOfferAnswers;

    ClientNotifier(LanguageClient client, ClientSupport support) {
        this.client = client;
        this.support = support;
    }

    void setKernelOfferAnswers(KernelOfferAnswers answers) {
        kernelOfferAnswers = answers;
    }

    void setDiagnosticsUrl(String url) {
        diagnosticsUrl = url;
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

    @Override
    public void publishDiagnostics(Path file, Optional<Integer> version, LineIndex lines,
            List<FileDiagnostic> diagnostics) {
        String uri = uriOf(file);
        List<Diagnostic> translated = diagnostics.stream()
                .map(finding -> ToLsp.diagnostic(finding, lines, uri, support, diagnosticsUrl)).toList();
        client.publishDiagnostics(new PublishDiagnosticsParams(uri, translated, version.orElse(null)));
    }

    void clearDiagnostics(String uri) {
        client.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    }

    @Override
    public void indexStatus(IndexStatus status) {
        if (client instanceof KlpLanguageClient klpClient) {
            klpClient.indexStatus(LspExt.IndexStatusParams.of(status));
        }
    }

    @Override
    public void log(ModuleService.Level level, String message) {
        client.logMessage(new MessageParams(ToLsp.messageType(level), message));
    }

    @Override
    public void showMessage(ModuleService.Level level, String message) {
        client.showMessage(new MessageParams(ToLsp.messageType(level), message));
    }

    /**
     * "klp: no kernel is configured for this workspace; 6.1.0-56-amd64 is the running kernel. Use
     * 6.1.0-56-amd64?" with the actions "Use 6.1.0-56-amd64", "Use and save to .klp-lsp.json" (when saving is
     * possible) and "Not now"; a client that cannot answer leaves the workspace without a kernel, as before.
     */
    @Override
    public void offerKernel(ModuleService.KernelOffer offer) {
        KernelOfferAnswers answers = kernelOfferAnswers;
        String kernel = offer.kernel().kernel();
        String use = "Use " + kernel;
        String save = "Use and save to " + ProjectFile.NAME;
        String notNow = "Not now";
        boolean maySave = answers != null && answers.maySave();
        List<MessageActionItem> actions = maySave
                ? List.of(new MessageActionItem(use), new MessageActionItem(save), new MessageActionItem(notNow))
                : List.of(new MessageActionItem(use), new MessageActionItem(notNow));
        ShowMessageRequestParams request = new ShowMessageRequestParams(actions);
        request.setType(MessageType.Info);
        request.setMessage("klp: no kernel is configured for this workspace; " + offer.origin() + ". Use " + kernel
                + "?");
        client.showMessageRequest(request).whenComplete((choice, error) -> {
            String title = error == null && choice != null ? choice.getTitle() : null;
            if (answers != null && use.equals(title)) {
                answers.accepted(offer, false);
            } else if (answers != null && maySave && save.equals(title)) {
                answers.accepted(offer, true);
            } else {
                log(MessageType.Info, "klp: " + kernel + " not used" + (error != null ? " (" + error.getMessage()
                        + ")" : "") + "; name a kernel in " + ProjectFile.NAME + " or the editor's klp settings");
            }
        });
    }

    void log(MessageType type, String message) {
        client.logMessage(new MessageParams(type, message));
    }

    /** Work-done progress, when the client supports it and creates the token within 5 seconds. */
    @Override
    public ModuleService.Progress beginProgress(String title) {
        if (!support.workDoneProgress()) {
            return ModuleService.Progress.NONE;
        }
        Either<String, Integer> token = Either.forLeft("klp-index-" + progressTokens.incrementAndGet());
        try {
            client.createProgress(new WorkDoneProgressCreateParams(token)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return ModuleService.Progress.NONE;
        }
        WorkDoneProgressBegin begin = new WorkDoneProgressBegin();
        begin.setTitle(title);
        begin.setCancellable(false);
        notify(token, begin);
        return new ModuleService.Progress() {
            private volatile long lastReport;

            @Override
            public void onProgress(String phase, long done, long total) {
                long now = System.nanoTime();
                if (now - lastReport < 200_000_000L) {
                    return;
                }
                lastReport = now;
                WorkDoneProgressReport report = new WorkDoneProgressReport();
                report.setMessage(total > 0 ? phase + " " + done + "/" + total : phase);
                if (total > 0) {
                    report.setPercentage((int) Math.min(100, done * 100 / total));
                }
                ClientNotifier.this.notify(token, report);
            }

            @Override
            public void end(String message) {
                WorkDoneProgressEnd end = new WorkDoneProgressEnd();
                end.setMessage(message);
                ClientNotifier.this.notify(token, end);
            }
        };
    }

    private void notify(Either<String, Integer> token, WorkDoneProgressNotification value) {
        client.notifyProgress(new ProgressParams(token, Either.forLeft(value)));
    }
}
