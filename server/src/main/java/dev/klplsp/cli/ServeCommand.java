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
import picocli.CommandLine.Model.CommandSpec;

/** {@code klp-lsp serve}: the language server on stdin/stdout until {@code exit} or end of input. */
public final class ServeCommand implements Callable<Integer> {
    boolean stdio;
    Path cacheDir;
    boolean noCache;
    Path root;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "serve");
        spec = model.spec();
        return model.header("Run the language server on stdin and stdout.")
                .description("Speaks the Language Server Protocol on stdin/stdout: livepatch diagnostics, quick"
                        + " fixes, hover, convert on save.",
                    "Settings come from the editor (section \"klp\") and from .klp-lsp.json at the workspace root.")
                .exitCodes("0:exit after shutdown, or end of input", "1:exit without shutdown", "2:usage error")
                .examples("  klp-lsp serve    (started by the editor; see docs/guide-editors.md)")
                .flag("stdio", "Accepted and ignored: stdio is the only transport (VS Code adds it).", "--stdio")
                .option("cacheDir", "DIR", "Where the kernel index cache lives (default: $XDG_CACHE_HOME/klp-lsp or"
                        + " ~/.cache/klp-lsp).", "--cache-dir")
                .flag("noCache", "Neither read nor write the kernel index cache.", "--no-cache")
                .option("root", "DIR", "The root a kernel release is looked up under, and the running and installed"
                        + " kernels are detected under (default: /).", "--root")
                .build();
    }

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
