// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.MarkupKind;

/**
 * What the client said it can do, reduced to the switches the server uses. Neovim 0.7 and eglot 1.9 leave out
 * most of these; every switch defaults to the behaviour that works without it.
 */
record ClientSupport(boolean relatedInformation, boolean markdownHover, boolean workDoneProgress,
        boolean configuration, boolean watchedFilesRegistration, boolean createFiles) {

    static final ClientSupport NONE = new ClientSupport(false, false, false, false, false, false);

    static ClientSupport of(ClientCapabilities capabilities) {
        if (capabilities == null) {
            return NONE;
        }
        var text = Optional.ofNullable(capabilities.getTextDocument());
        var workspace = Optional.ofNullable(capabilities.getWorkspace());
        boolean related = text.map(t -> t.getPublishDiagnostics())
                .map(p -> Boolean.TRUE.equals(p.getRelatedInformation())).orElse(false);
        boolean markdown = text.map(t -> t.getHover()).map(h -> h.getContentFormat())
                .map(formats -> formats.contains(MarkupKind.MARKDOWN)).orElse(false);
        boolean progress = Optional.ofNullable(capabilities.getWindow())
                .map(w -> Boolean.TRUE.equals(w.getWorkDoneProgress())).orElse(false);
        boolean configuration = workspace.map(w -> Boolean.TRUE.equals(w.getConfiguration())).orElse(false);
        boolean watched = workspace.map(w -> w.getDidChangeWatchedFiles())
                .map(d -> Boolean.TRUE.equals(d.getDynamicRegistration())).orElse(false);
        // A quick fix that writes a project file where there is none needs a CreateFile in documentChanges.
        boolean create = workspace.map(w -> w.getWorkspaceEdit()).filter(e -> Boolean.TRUE.equals(e.getDocumentChanges()))
                .map(e -> e.getResourceOperations()).map(operations -> operations.contains("create")).orElse(false);
        return new ClientSupport(related, markdown, progress, configuration, watched, create);
    }

    List<String> describe() {
        return List.of("relatedInformation=" + relatedInformation, "markdownHover=" + markdownHover,
                "workDoneProgress=" + workDoneProgress, "configuration=" + configuration,
                "watchedFilesRegistration=" + watchedFilesRegistration, "createFiles=" + createFiles);
    }
}
