// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.kernel.IndexOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz target of the server's message handling: each input becomes a run of well-framed JSON-RPC
 * messages (the LSP methods with generated or mutated params, and arbitrary bodies) sent to a fresh server behind
 * {@link LspTransport}, with the fixture kernel indexed. Every request must be answered, and the server must still
 * answer a hover afterwards: no message may leave it deaf, dead or silent. Under {@code mvn test} it replays its
 * committed inputs; {@code server/fuzz.sh LspMessageFuzzTest#messages} fuzzes it.
 */
class LspMessageFuzzTest {
    private static final long ANSWER_SECONDS = 20;
    private static final String[] METHODS = {"textDocument/didOpen", "textDocument/didChange",
        "textDocument/didClose", "textDocument/didSave", "textDocument/hover", "textDocument/codeAction",
        "textDocument/codeLens", "workspace/executeCommand", "workspace/didChangeConfiguration",
        "workspace/didChangeWatchedFiles", "$/cancelRequest", "initialize", "initialized", "shutdown",
        "klp/unknown", "textDocument/definition"};
    private static final String[] WORDS = {"uri", "textDocument", "position", "range", "start", "end", "line",
        "character", "text", "version", "command", "arguments", "settings", "klp", "kernel", "symbols",
        "contentChanges", "context", "diagnostics", "changes", "type", "id", "languageId", "workspaceTrusted",
        "convertOnSave", "output", "functionReferences", "annotationStyle", "diagnosticsUrl"};
    private static final String[] SOURCES = {
        "extern int irq_thread_check(int irq);\nint f(void) { return irq_thread_check(1); }\n",
        "extern int x KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, state_count, 3);\n",
        "KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(state_count, 1), };\nextern int state_count;\n",
        "static struct klp_func funcs[] = { { .old_name = \"irq_thread_check\", .old_sympos = 9 }, { } };\n",
        "extern char *s __asm__(\".klp.sym.rela.vmlinux.vmlinux.saved_command_line.0\");\n",
        "static int *klpe_s;\nint f(void) { return *klpe_s; }\nstatic struct klp_kallsyms_reloc t[] = {\n"
            + "\t{ \"state_count\", (void *)&klpe_s, NULL, 2 },\n};\n"};
    private static Path workspace;

    private static synchronized Path workspace() throws IOException {
        if (workspace == null) {
            workspace = Files.createTempDirectory("klp-fuzz-ws");
            Files.writeString(workspace.resolve(".klp-lsp.json"), "{\"kernel\": \"" + FixtureKernel.kernelDir()
                    + "\"}");
        }
        return workspace;
    }

    /** The workspace is shared by every input of a run; it goes with the run (each run left one in /tmp before). */
    @AfterAll
    static void deleteWorkspace() throws IOException {
        if (workspace == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        workspace = null;
    }

    @FuzzTest
    void messages(FuzzedDataProvider data) throws Exception {
        Path root = workspace();
        String uri = root.resolve("livepatch.c").toUri().toString();
        try (Session session = new Session(root)) {
            session.request("initialize", initializeParams(root));
            session.notify("initialized", new JsonObject());
            int count = data.consumeInt(0, 12);
            for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
                if (data.consumeInt(0, 9) == 0) {
                    session.sendBody(data.consumeBytes(data.consumeInt(0, 512)));
                    continue;
                }
                String method = data.pickValue(METHODS);
                JsonElement params = data.consumeBoolean() ? paramsFor(method, uri, data) : randomJson(data, 0);
                if (data.consumeBoolean()) {
                    session.request(method, params);
                } else {
                    session.notify(method, params);
                }
            }
            session.requireAnswers();
            session.requireAlive(uri);
        }
    }

    private static JsonObject initializeParams(Path root) {
        return JsonParser.parseString("{\"processId\":null,\"rootUri\":\"" + root.toUri() + "\",\"capabilities\":"
                + "{\"textDocument\":{\"publishDiagnostics\":{\"relatedInformation\":true}},"
                + "\"workspace\":{\"configuration\":false}}}").getAsJsonObject();
    }

    /** Params shaped like the method's, with fuzzed values: the paths past the validation get exercised. */
    private static JsonElement paramsFor(String method, String uri, FuzzedDataProvider data) {
        JsonObject document = new JsonObject();
        document.addProperty("uri", data.consumeBoolean() ? uri : data.consumeString(40));
        JsonObject params = new JsonObject();
        switch (method) {
            case "textDocument/didOpen" -> {
                document.addProperty("languageId", "c");
                document.addProperty("version", data.consumeInt());
                document.addProperty("text", data.consumeBoolean() ? data.pickValue(SOURCES) : data.consumeString(400));
                params.add("textDocument", document);
            }
            case "textDocument/didChange" -> {
                document.addProperty("version", data.consumeInt());
                params.add("textDocument", document);
                JsonArray changes = new JsonArray();
                JsonObject change = new JsonObject();
                change.addProperty("text", data.consumeBoolean() ? data.pickValue(SOURCES) : data.consumeString(400));
                changes.add(change);
                params.add("contentChanges", changes);
            }
            case "textDocument/hover", "textDocument/definition" -> {
                params.add("textDocument", document);
                params.add("position", position(data));
            }
            case "textDocument/codeAction" -> {
                params.add("textDocument", document);
                JsonObject range = new JsonObject();
                range.add("start", position(data));
                range.add("end", position(data));
                params.add("range", range);
                JsonObject context = new JsonObject();
                context.add("diagnostics", new JsonArray());
                params.add("context", context);
            }
            case "workspace/executeCommand" -> {
                params.addProperty("command", data.pickValue(new String[] {"klp.check", "klp.convert",
                    "klp.reindex", data.consumeString(12)}));
                JsonArray arguments = new JsonArray();
                if (data.consumeBoolean()) {
                    arguments.add(data.consumeBoolean() ? data.consumeString(60) : "livepatch.ko");
                }
                params.add("arguments", arguments);
            }
            case "workspace/didChangeConfiguration" -> {
                JsonObject settings = new JsonObject();
                settings.add("klp", randomJson(data, 1));
                params.add("settings", settings);
            }
            case "workspace/didChangeWatchedFiles" -> {
                JsonArray changes = new JsonArray();
                JsonObject change = new JsonObject();
                change.addProperty("uri", data.consumeString(60));
                change.addProperty("type", data.consumeInt(0, 4));
                changes.add(change);
                params.add("changes", changes);
            }
            default -> params.add("textDocument", document);
        }
        return params;
    }

    private static JsonObject position(FuzzedDataProvider data) {
        JsonObject position = new JsonObject();
        position.addProperty("line", data.consumeInt(-2, 40));
        position.addProperty("character", data.consumeInt(-2, 200));
        return position;
    }

    /** Any JSON value, nested a few levels, with the protocol's words as keys. */
    private static JsonElement randomJson(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth > 4 ? 3 : 5);
        return switch (kind) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> new JsonPrimitive(data.consumeBoolean());
            case 2 -> new JsonPrimitive(data.consumeLong());
            case 3 -> new JsonPrimitive(data.consumeString(30));
            case 4 -> {
                JsonArray array = new JsonArray();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    array.add(randomJson(data, depth + 1));
                }
                yield array;
            }
            default -> {
                JsonObject object = new JsonObject();
                int n = data.consumeInt(0, 5);
                for (int i = 0; i < n; i++) {
                    object.add(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(8),
                            randomJson(data, depth + 1));
                }
                yield object;
            }
        };
    }

    /** One server behind the real transport over NIO pipes, and the wire's other end. */
    private static final class Session implements AutoCloseable {
        private final KlpLanguageServer server;
        private final Pipe in;
        private final Pipe out;
        private final java.util.concurrent.Future<Void> listening;
        private final Thread reader;
        private final OutputStream toServer;
        private final Set<Long> answered = ConcurrentHashMap.newKeySet();
        private final List<Long> pending = new ArrayList<>();
        private final CompletableFuture<Integer> exited = new CompletableFuture<>();
        private final StringWriter log = new StringWriter();
        private long nextId = 1;

        Session(Path root) throws IOException {
            in = Pipe.open();
            out = Pipe.open();
            toServer = Channels.newOutputStream(in.sink());
            // An empty system root: the fuzzed server never looks at the machine's own kernels.
            server = new KlpLanguageServer(exited::complete, new IndexOptions(Optional.of(root.resolve(".cache")),
                    true), Files.createDirectories(root.resolve(".cache/system-root")));
            listening = LspTransport.start(server, Channels.newInputStream(in.source()),
                    Channels.newOutputStream(out.sink()), new PrintWriter(log, true));
            reader = new Thread(() -> read(Channels.newInputStream(out.source())), "fuzz-wire");
            reader.setDaemon(true);
            reader.start();
        }

        void request(String method, JsonElement params) throws IOException {
            long id = nextId++;
            JsonObject message = envelope(method, params);
            message.addProperty("id", id);
            pending.add(id);
            sendBody(message.toString().getBytes(StandardCharsets.UTF_8));
        }

        void notify(String method, JsonElement params) throws IOException {
            sendBody(envelope(method, params).toString().getBytes(StandardCharsets.UTF_8));
        }

        private static JsonObject envelope(String method, JsonElement params) {
            JsonObject message = new JsonObject();
            message.addProperty("jsonrpc", "2.0");
            message.addProperty("method", method);
            message.add("params", params);
            return message;
        }

        void sendBody(byte[] body) throws IOException {
            toServer.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            toServer.write(body);
            toServer.flush();
        }

        /** Every request sent so far was answered (a result or an error). */
        void requireAnswers() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
            while (!answered.containsAll(pending) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (!answered.containsAll(pending)) {
                List<Long> missing = new ArrayList<>(pending);
                missing.removeAll(answered);
                throw new AssertionError("requests " + missing + " were never answered; server log:\n" + log);
            }
        }

        /** The server still reads and answers (unless the input shut it down, which it must also answer). */
        void requireAlive(String uri) throws Exception {
            request("textDocument/hover", JsonParser.parseString("{\"textDocument\":{\"uri\":\"" + uri
                    + "\"},\"position\":{\"line\":0,\"character\":0}}"));
            requireAnswers();
        }

        private void read(InputStream in) {
            try {
                while (true) {
                    int length = -1;
                    ByteArrayOutputStream line = new ByteArrayOutputStream();
                    int c;
                    while ((c = in.read()) != -1) {
                        if (c == '\n') {
                            String header = line.toString(StandardCharsets.US_ASCII).strip();
                            line.reset();
                            if (header.isEmpty()) {
                                break;
                            }
                            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                                length = Integer.parseInt(header.substring(15).strip());
                            }
                        } else {
                            line.write(c);
                        }
                    }
                    if (c == -1 || length < 0) {
                        return;
                    }
                    JsonObject message = JsonParser.parseString(new String(in.readNBytes(length),
                            StandardCharsets.UTF_8)).getAsJsonObject();
                    if (!message.has("method") && message.has("id") && message.get("id").isJsonPrimitive()) {
                        answered.add(message.get("id").getAsLong());
                    }
                }
            } catch (IOException e) {
                // The pipe closed with the session.
            }
        }

        /** Ends the server and both pipes, so a fuzzing run of thousands of sessions holds no file or thread. */
        @Override
        public void close() throws Exception {
            server.exit();
            server.awaitExited();
            toServer.close();
            try {
                listening.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                listening.cancel(true);
            }
            in.source().close();
            out.sink().close();
            out.source().close();
            reader.join(10_000);
        }
    }
}
