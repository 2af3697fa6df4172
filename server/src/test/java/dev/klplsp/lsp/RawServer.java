// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real process ({@code klp-lsp serve --stdio}) driven over a raw wire: framed messages in, framed messages out,
 * so a test can send what no well-behaved client library would (bad JSON, missing params, a half message).
 */
final class RawServer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Process process;
    private final OutputStream toServer;
    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> stderr;

    RawServer(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.klplsp.cli.Main", "serve", "--stdio", "--cache-dir", dir.resolve("cache").toString());
        builder.directory(dir.toFile());
        process = builder.start();
        toServer = process.getOutputStream();
        stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        Thread reader = new Thread(this::readMessages, "raw-server-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void send(String json) throws IOException {
        sendRaw(json.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] body) throws IOException {
        toServer.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        toServer.write(body);
        toServer.flush();
    }

    /** Bytes as they are, no framing added. */
    void write(byte[] bytes) throws IOException {
        toServer.write(bytes);
        toServer.flush();
    }

    void closeInput() throws IOException {
        toServer.close();
    }

    /** The response to request {@code id} (notifications and other responses on the way are skipped). */
    JsonObject response(Object id) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject message = messages.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && message.has("id") && !message.has("method")
                    && String.valueOf(message.get("id")).equals(id == null ? "null" : String.valueOf(
                            id instanceof String ? "\"" + id + "\"" : id))) {
                return message;
            }
        }
        throw new AssertionError("no response to " + id + "; stderr so far is not available until the process ends");
    }

    /** The error code of the response to {@code id}, or 0 when it succeeded. */
    int errorCode(Object id) throws InterruptedException {
        JsonObject response = response(id);
        return response.has("error") ? response.getAsJsonObject("error").get("code").getAsInt() : 0;
    }

    String initialize(Path root) throws IOException, InterruptedException {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,\"rootUri\":\""
                + root.toUri() + "\",\"capabilities\":{}}}");
        response(1);
        send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
        return root.toUri().toString();
    }

    /** Everything the process wrote to stderr, once it has ended. */
    String stderr() throws Exception {
        return stderr.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void readMessages() {
        InputStream in = process.getInputStream();
        try {
            while (true) {
                int length = -1;
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != -1) {
                    if (c == '\n') {
                        String header = line.toString().strip();
                        line.setLength(0);
                        if (header.isEmpty()) {
                            break;
                        }
                        if (header.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(header.substring(15).strip());
                        }
                    } else {
                        line.append((char) c);
                    }
                }
                if (c == -1 || length < 0) {
                    return;
                }
                byte[] body = in.readNBytes(length);
                messages.add(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException e) {
            // The process ended.
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
