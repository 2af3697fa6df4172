// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.ide.IndexStatus;
import java.util.List;
import java.util.Locale;

/**
 * The klp parts of the protocol (docs/lsp.md, "Protocol extensions"), twin of vscode-extension/src/lsp_ext.ts;
 * keep both in step. The {@code klp/indexStatus} notification is declared on {@link KlpLanguageClient}; the
 * {@code klp.check} and {@code klp.convert} results are {@link dev.klplsp.ide.ModuleReport} lists.
 */
final class LspExt {
    static final String CONVERT = "klp.convert";
    static final String CHECK = "klp.check";
    static final String REINDEX = "klp.reindex";
    static final List<String> COMMANDS = List.of(CONVERT, CHECK, REINDEX);

    private LspExt() {
    }

    /**
     * The parameters of {@code klp/indexStatus}; null components are left out of the JSON.
     *
     * @param state   {@code indexing}, {@code ready} or {@code error}
     * @param symbols when ready: the number of symbols in the index
     * @param message indexing: what is being read; ready: where the index came from; error: the cause
     * @param kernel  the kernels in use as the user named them: the one kernel's {@code kernel} setting (else its
     *                symbol sources), or {@code 3 kernels}
     * @param kernels when ready with several kernels: their names, in order
     */
    record IndexStatusParams(String state, Integer symbols, String message, String kernel, List<String> kernels) {
        static IndexStatusParams of(IndexStatus status) {
            return new IndexStatusParams(status.state().name().toLowerCase(Locale.ROOT),
                    status.symbols().isPresent() ? status.symbols().getAsInt() : null, status.message(),
                    status.kernel().orElse(null), status.kernels().size() > 1 ? status.kernels() : null);
        }
    }
}
