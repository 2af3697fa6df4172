// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.WorkspaceService;

/** Workspace notifications and commands. */
final class KlpWorkspaceService implements WorkspaceService {
    private final KlpLanguageServer server;

    KlpWorkspaceService(KlpLanguageServer server) {
        this.server = server;
    }

    /**
     * Settings pushed by the client. eglot 1.9 sends {@code {settings: {}}} right after didOpen: an empty push
     * means "ask me", so the server asks with workspace/configuration when the client supports it.
     */
    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
        JsonObject section = LspConfig.section(params.getSettings());
        if (!section.entrySet().isEmpty()) {
            server.clientSettingsChanged(section);
        } else if (server.support().configuration()) {
            server.requestConfiguration();
        }
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
        server.watchedFilesChanged(params);
    }

    @Override
    public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
        return switch (params.getCommand()) {
            case KlpLanguageServer.CMD_REINDEX -> {
                server.startIndexing(true);
                yield CompletableFuture.completedFuture("reindexing");
            }
            case KlpLanguageServer.CMD_CHECK, KlpLanguageServer.CMD_CONVERT -> server.moduleCommand(
                    params.getCommand(), params.getArguments());
            default -> CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                    ResponseErrorCode.InvalidParams, "unknown command " + params.getCommand(), null)));
        };
    }
}
