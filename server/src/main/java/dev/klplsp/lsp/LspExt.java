// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.ide.IndexStatus;
import dev.klplsp.ide.KernelDetection;
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
    static final String KERNELS = "klp.kernels";
    static final List<String> COMMANDS = List.of(CONVERT, CHECK, REINDEX, KERNELS);

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
     * @param release when ready with one kernel: the release its index found ({@code 6.1.0-56-amd64}), when it
     *                found one
     */
    record IndexStatusParams(String state, Integer symbols, String message, String kernel, List<String> kernels,
            String release) {
        static IndexStatusParams of(IndexStatus status) {
            return new IndexStatusParams(status.state().name().toLowerCase(Locale.ROOT),
                    status.symbols().isPresent() ? status.symbols().getAsInt() : null, status.message(),
                    status.kernel().orElse(null), status.kernels().size() > 1 ? status.kernels() : null,
                    status.release().orElse(null));
        }
    }

    /**
     * One entry of the {@code klp.kernels} result.
     *
     * @param kernel  the release, as a {@code kernel} setting names it
     * @param running whether it is the running kernel
     * @param usable  whether klp-lsp can index it (a module tree and vmlinux symbols)
     * @param detail  usable: what would be read; else what is missing
     */
    record InstalledKernel(String kernel, boolean running, boolean usable, String detail) {
        static InstalledKernel of(KernelDetection.Candidate candidate) {
            return new InstalledKernel(candidate.kernel(), candidate.running(), candidate.usable(), candidate.detail());
        }
    }
}
