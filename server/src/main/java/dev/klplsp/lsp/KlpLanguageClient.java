// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The client as the klp server sees it: LSP plus the klp notifications ({@link LspExt}). Clients that do not
 * know a klp notification ignore it, as JSON-RPC lets them.
 */
public interface KlpLanguageClient extends LanguageClient {
    /** The state of the kernel index: sent when indexing starts, when it ends and when the kernel settings change. */
    @JsonNotification("klp/indexStatus")
    void indexStatus(LspExt.IndexStatusParams params);
}
