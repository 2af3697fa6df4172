// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.ide.KernelDetection;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.lsp.KlpLanguageServer;
import dev.klplsp.lsp.LspTransport;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code klp-lsp serve}: the language server on stdin/stdout until {@code exit} or end of input. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Run the language server on stdin and stdout.",
        description = {"Speaks the Language Server Protocol on stdin/stdout: livepatch diagnostics, quick fixes,"
                + " hover, convert on save.",
            "Settings come from the editor (section \"klp\") and from .klp-lsp.json at the workspace root."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exit after shutdown, or end of input", "1:exit without shutdown", "2:usage error"},
        footerHeading = "%nExamples:%n",
        footer = {"  klp-lsp serve    (started by the editor; see docs/guide-editors.md)"})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--stdio", description = "Accepted and ignored: stdio is the only transport (VS Code adds it).")
    boolean stdio;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the kernel index cache lives (default: $XDG_CACHE_HOME/klp-lsp or ~/.cache/klp-lsp).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Neither read nor write the kernel index cache.")
    boolean noCache;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The root a kernel release is looked up under, and the running and installed kernels are"
                    + " detected under (default: /).")
    Path root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return serve(System.in, System.out);
    }

    int serve(InputStream in, OutputStream out) throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        KlpLanguageServer server = new KlpLanguageServer(exited::complete,
                new IndexOptions(Optional.ofNullable(cacheDir), !noCache),
                root != null ? root.toAbsolutePath().normalize() : KernelDetection.SYSTEM_ROOT);
        Future<Void> listening = LspTransport.start(server, in, out, spec.commandLine().getErr());
        // End of input without exit is a normal end: Vim's ALE never sends shutdown, it closes the pipe.
        CompletableFuture.runAsync(() -> {
            try {
                listening.get();
            } catch (Exception e) {
                // The pipe broke: same as end of input.
            }
            exited.complete(0);
        });
        return exited.get();
    }
}
