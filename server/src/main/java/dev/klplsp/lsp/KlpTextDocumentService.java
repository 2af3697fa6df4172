// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;

/** Text document requests: each one is FromLsp, then the ide service or snapshot, then ToLsp. */
final class KlpTextDocumentService implements TextDocumentService {
    private final KlpLanguageServer server;

    KlpTextDocumentService(KlpLanguageServer server) {
        this.server = server;
    }

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        FromLsp.path(uri).ifPresent(path -> {
            server.notifier().rememberUri(path, uri);
            server.service().open(path, params.getTextDocument().getVersion(), params.getTextDocument().getText());
        });
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        List<TextDocumentContentChangeEvent> changes = params.getContentChanges();
        if (changes == null || changes.isEmpty()) {
            return;
        }
        FromLsp.path(params.getTextDocument().getUri()).ifPresent(path -> {
            // Full sync: the last change holds the whole text.
            Integer version = params.getTextDocument().getVersion();
            server.service().change(path, version == null ? 0 : version, changes.get(changes.size() - 1).getText());
        });
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        FromLsp.path(uri).ifPresent(path -> {
            server.service().close(path);
            server.notifier().forgetUri(path);
            server.notifier().clearDiagnostics(uri);
        });
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        FromLsp.path(params.getTextDocument().getUri()).ifPresent(server.service()::saved);
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<Path> path = FromLsp.path(params.getTextDocument().getUri());
            Analysis analysis = server.service().snapshot();
            Optional<Document> document = path.flatMap(analysis::document);
            if (document.isEmpty()) {
                return null;
            }
            LineIndex lines = document.get().scan().lines();
            return analysis.hover(path.get(), FromLsp.offset(lines, params.getPosition()))
                    .map(info -> ToLsp.hover(info, lines, server.support().markdownHover())).orElse(null);
        });
    }

    /**
     * Go to the kernel's source: the declaration of the copy of the kernel function at the cursor that the
     * annotation selects (every copy when none is selected); nothing without debug information.
     */
    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<Path> path = FromLsp.path(params.getTextDocument().getUri());
            Analysis analysis = server.service().snapshot();
            Optional<Document> document = path.flatMap(analysis::document);
            if (document.isEmpty()) {
                return Either.forLeft(List.of());
            }
            LineIndex lines = document.get().scan().lines();
            return Either.forLeft(analysis.definition(path.get(), FromLsp.offset(lines, params.getPosition()))
                    .stream().map(ToLsp::location).toList());
        });
    }

    /** A "check and convert" command on the patch definition ("check" only in an untrusted workspace). */
    @Override
    public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<Path> path = FromLsp.path(params.getTextDocument().getUri());
            Analysis analysis = server.service().snapshot();
            Optional<Document> document = path.flatMap(analysis::document);
            if (document.isEmpty()) {
                return List.of();
            }
            Command command = server.service().trusted()
                    ? new Command("klp: check and convert the module", LspExt.CONVERT)
                    : new Command("klp: check the module (untrusted workspace: no conversion)", LspExt.CHECK);
            return analysis.patchDefinition(path.get())
                    .map(span -> List.of(new CodeLens(ToLsp.range(document.get().scan().lines(), span), command,
                            null)))
                    .orElse(List.of());
        });
    }

    /**
     * Quick fixes of the diagnostics touching the range, and the refactorings of the file there (converting
     * run-time lookups to KLP relocations: {@code refactor.rewrite}), each as one WorkspaceEdit.
     */
    @Override
    public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
        return CompletableFuture.supplyAsync(() -> {
            List<Either<Command, CodeAction>> actions = new ArrayList<>();
            List<String> only = params.getContext() == null ? null : params.getContext().getOnly();
            boolean quickFixes = wanted(only, CodeActionKind.QuickFix);
            boolean rewrites = wanted(only, CodeActionKind.RefactorRewrite);
            if (!quickFixes && !rewrites) {
                return actions;
            }
            String uri = params.getTextDocument().getUri();
            Optional<Path> path = FromLsp.path(uri);
            Analysis analysis = server.service().snapshot();
            Optional<Document> document = path.flatMap(analysis::document);
            if (document.isEmpty()) {
                return actions;
            }
            LineIndex lines = document.get().scan().lines();
            Span range = FromLsp.span(lines, params.getRange());
            if (quickFixes) {
                for (FileDiagnostic finding : analysis.diagnosticsTouching(path.get(), range)) {
                    Diagnostic diagnostic = ToLsp.diagnostic(finding, lines, uri, server.support(),
                            server.notifier().diagnosticsUrl());
                    for (Fix fix : finding.fixes()) {
                        if (fix.setting().isEmpty()) {
                            actions.add(Either.forRight(ToLsp.codeAction(fix, CodeActionKind.QuickFix, lines, uri,
                                    List.of(diagnostic))));
                            continue;
                        }
                        server.projectFileEdit(fix.setting().get()).ifPresent(edit -> actions.add(Either.forRight(
                                ToLsp.settingAction(fix, ToLsp.uri(edit.file()), edit.oldText(), edit.newText(),
                                        List.of(diagnostic)))));
                    }
                }
            }
            if (rewrites) {
                for (Fix refactoring : analysis.refactorings(path.get(), range)) {
                    actions.add(Either.forRight(ToLsp.codeAction(refactoring, CodeActionKind.RefactorRewrite, lines,
                            uri, List.of())));
                }
            }
            return actions;
        });
    }

    /** Whether the client's {@code only} filter lets actions of {@code kind} through ("refactor" covers its kinds). */
    private static boolean wanted(List<String> only, String kind) {
        return only == null || only.isEmpty()
                || only.stream().anyMatch(filter -> kind.equals(filter) || kind.startsWith(filter + "."));
    }
}
