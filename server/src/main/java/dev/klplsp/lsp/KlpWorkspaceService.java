// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.klplsp.ide.ModuleReport;
import dev.klplsp.ide.ModuleService;
import dev.klplsp.ide.WorkspaceNotTrustedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.WorkspaceService;

/** Workspace notifications and commands, translated to the ide service. */
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
        List<ModuleService.FileChange> changes = new ArrayList<>();
        for (FileEvent event : params.getChanges()) {
            FromLsp.path(event.getUri()).ifPresent(path -> changes.add(new ModuleService.FileChange(path,
                    event.getType() == FileChangeType.Deleted)));
        }
        server.service().filesChanged(changes);
    }

    @Override
    public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
        return switch (params.getCommand()) {
            case LspExt.REINDEX -> {
                server.service().startIndexing(true);
                yield CompletableFuture.completedFuture("reindexing");
            }
            case LspExt.KERNELS -> CompletableFuture.<Object>supplyAsync(() -> server.service().installedKernels().stream()
                    .map(LspExt.InstalledKernel::of).toList());
            case LspExt.CHECK -> modules(params).map(modules -> answer(server.service().check(modules)))
                    .orElseGet(() -> invalidArguments(params));
            case LspExt.CONVERT -> modules(params).map(modules -> answer(server.service().convert(modules)))
                    .orElseGet(() -> invalidArguments(params));
            default -> CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                    ResponseErrorCode.InvalidParams, "unknown command " + params.getCommand(), null)));
        };
    }

    /** The modules named by the arguments: paths (relative to the root) or file URIs, strings only. */
    private Optional<List<Path>> modules(ExecuteCommandParams params) {
        List<Path> modules = new ArrayList<>();
        if (params.getArguments() == null) {
            return Optional.of(modules);
        }
        for (Object argument : params.getArguments()) {
            if (!(argument instanceof JsonPrimitive primitive) || !primitive.isString()) {
                return Optional.empty();
            }
            String text = primitive.getAsString();
            modules.add(FromLsp.path(text).orElseGet(() -> server.service().root().resolve(text).toAbsolutePath()
                    .normalize()));
        }
        return Optional.of(modules);
    }

    private static CompletableFuture<Object> invalidArguments(ExecuteCommandParams params) {
        return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                ResponseErrorCode.InvalidParams, params.getCommand() + " takes module paths or file URIs (strings),"
                        + " got " + params.getArguments(), null)));
    }

    /** The reports, or the service's refusal as a ResponseError. */
    private static CompletableFuture<Object> answer(CompletableFuture<List<ModuleReport>> reports) {
        return reports.<Object>thenApply(list -> list).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof WorkspaceNotTrustedException) {
                return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                        ResponseErrorCode.RequestFailed, cause.getMessage(), null)));
            }
            return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                    ResponseErrorCode.InternalError, "klp: internal error, please report: " + cause, null)));
        });
    }
}
