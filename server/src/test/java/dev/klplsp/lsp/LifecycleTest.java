// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process ({@code klp-lsp serve --stdio}) under the three ways editors end it: shutdown + exit (Neovim),
 * end of input without shutdown (Vim's ALE), shutdown then kill (eglot: nothing to test beyond shutdown).
 */
class LifecycleTest {
    @TempDir
    Path dir;

    private Process start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.klplsp.cli.Main", "serve", "--stdio", "--cache-dir", dir.resolve("cache").toString());
        builder.directory(dir.toFile());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static void send(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException e) {
                // The process ended.
            }
            return all.toString(StandardCharsets.UTF_8);
        });
    }

    private String initialize(Process process) throws IOException {
        String root = dir.toUri().toString();
        send(process.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"processId\":null,\"rootUri\":\"" + root + "\",\"capabilities\":{}}}");
        send(process.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
        return root;
    }

    @Test
    void endOfInputWithoutShutdownExitsWithZero() throws Exception {
        Process process = start();
        CompletableFuture<String> output = drain(process.getInputStream());
        initialize(process);
        process.getOutputStream().close();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "server still running after end of input");
        assertEquals(0, process.exitValue());
        assertTrue(output.get(5, TimeUnit.SECONDS).contains("\"capabilities\""));
    }

    @Test
    void shutdownThenExitExitsWithZeroAndExitAloneWithOne() throws Exception {
        Process process = start();
        CompletableFuture<String> output = drain(process.getInputStream());
        initialize(process);
        send(process.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
        send(process.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "server still running after exit");
        assertEquals(0, process.exitValue());
        assertTrue(output.get(5, TimeUnit.SECONDS).contains("\"id\":2"));

        Process second = start();
        drain(second.getInputStream());
        initialize(second);
        send(second.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "server still running after exit");
        assertEquals(1, second.exitValue());
    }
}
