// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import dev.klplsp.testing.Processes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under hostile workspaces and clients: a module that breaks the reader, a symbolic link out of the
 * workspace, a client whose trust arrives late or is pushed piecemeal, a file too large to scan, settings that
 * would plant a link or a broken output name. Every request is answered; nothing outside the workspace is written.
 */
class ServerHardeningTest {
    private static final String FIXED = "extern int irq_thread_check(int irq)"
            + " KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);";
    /**
     * How long the server waits for a configuration answer the test holds back: its own 10 s could pass before the
     * test has looked, on a loaded machine, and the server would then settle without the answer.
     */
    private static final Duration HELD_ANSWER_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path cacheDir;

    private static boolean converted(Path module) {
        return Processes.run(null, List.of("readelf", "-SW", module.toString())).contains(".klp.rela.vmlinux..text");
    }

    /** The sample workspace with its ambiguity fixed, built: a module that converts cleanly. */
    private static Path cleanWorkspace() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, Files.readString(source).replace("extern int irq_thread_check(int irq);", FIXED));
        SampleWorkspaces.buildModule(workspace);
        return workspace;
    }

    private static void projectFile(Path workspace, String extra) throws Exception {
        Files.writeString(workspace.resolve(".klp-lsp.json"), "{\"kernel\": \"../fixture-kernel\"" + extra + "}");
    }

    private static long logged(TestClient client, String text) {
        return client.logs.stream().filter(m -> m.getMessage().contains(text)).count();
    }

    @Test
    void aModuleThatBreaksTheReaderIsStillAnsweredAndLogged() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path bad = workspace.resolve("bad.ko");
        try (RandomAccessFile sparse = new RandomAccessFile(bad.toFile(), "rw")) {
            sparse.setLength(3L << 30); // 3 GiB, sparse: more than any array the reader could hold
        }
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            Object answer = client.remote.getWorkspaceService().executeCommand(new ExecuteCommandParams("klp.check",
                    List.of("bad.ko"))).get(30, TimeUnit.SECONDS);
            String report = new Gson().toJson(answer);
            assertTrue(report.contains("\"module\":\"" + bad + "\"") && report.contains("\"error\":"), report);

            // The module-changed path: the failure is logged and the server keeps answering.
            client.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(List.of(
                    new FileEvent(bad.toUri().toString(), FileChangeType.Changed))));
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            while (client.logs.stream().filter(m -> m.getMessage().contains("bad.ko")).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(logged(client, "bad.ko") >= 2, client.logs.toString());
            assertTrue(client.logs.stream().filter(m -> m.getMessage().contains("bad.ko"))
                    .allMatch(m -> m.getType() == MessageType.Warning || m.getType() == MessageType.Error));
            assertEquals("reindexing", client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.reindex", List.of())).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSymlinkedDirectoryIsNeverWrittenThrough(@TempDir Path elsewhere) throws Exception {
        Path workspace = cleanWorkspace();
        Path victim = elsewhere.resolve("victim.ko");
        Files.copy(workspace.resolve("build/livepatch.ko"), victim);
        byte[] before = Files.readAllBytes(victim);
        Files.createSymbolicLink(workspace.resolve("sub"), elsewhere);
        projectFile(workspace, ", \"convertOnSave\": true, \"output\": \"inPlace\"");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            client.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(List.of(
                    new FileEvent(workspace.resolve("sub/victim.ko").toUri().toString(), FileChangeType.Changed))));
            Thread.sleep(500); // the report is debounced
            client.server.awaitIdle();
            String report = new Gson().toJson(client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.convert", List.of("sub/victim.ko"))).get(30, TimeUnit.SECONDS));
            assertTrue(report.contains("lies outside the workspace"), report);
            assertArrayEquals(before, Files.readAllBytes(victim), "the file outside the workspace is untouched");
            assertTrue(logged(client, "lies outside the workspace") >= 1, client.logs.toString());
            assertTrue(converted(workspace.resolve("build/livepatch.ko")), "the workspace's own module converts");
        }
    }

    @Test
    void anOutputThatIsALinkIsNeverWrittenThrough(@TempDir Path elsewhere) throws Exception {
        Path workspace = cleanWorkspace();
        Path target = Files.writeString(elsewhere.resolve("target.ko"), "not yours");
        Files.createSymbolicLink(workspace.resolve("build/livepatch.klp.ko"), target);
        projectFile(workspace, ", \"output\": \"{name}.klp.ko\"");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            String report = new Gson().toJson(client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.convert", List.of("build/livepatch.ko"))).get(30, TimeUnit.SECONDS));
            assertTrue(report.contains("is a symbolic link"), report);
            assertEquals("not yours", Files.readString(target));
        }
    }

    @Test
    void nothingIsConvertedBeforeTheClientsLateConfigurationAnswer() throws Exception {
        Path workspace = cleanWorkspace();
        Path module = workspace.resolve("build/livepatch.ko");
        projectFile(workspace, ", \"convertOnSave\": true, \"output\": \"inPlace\"");
        try (TestClient client = new TestClient(cacheDir)) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            client.configurationGate = gate;
            client.server.configurationTimeout = HELD_ANSWER_TIMEOUT;
            client.configuration = JsonParser.parseString("{\"workspaceTrusted\": false}").getAsJsonObject();
            client.initialize(workspace, TestClient.capabilities(true, true), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            Thread.sleep(1000);
            client.server.awaitIdle();
            assertFalse(converted(module), "converted before the client said whether it trusts the workspace");
            gate.complete(null);
            Thread.sleep(500);
            client.server.awaitIdle();
            assertFalse(converted(module), "the answer said: not trusted");
        }
        // A trusting answer, late as well: the module changed meanwhile is converted once it arrives.
        try (TestClient client = new TestClient(cacheDir)) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            client.configurationGate = gate;
            client.server.configurationTimeout = HELD_ANSWER_TIMEOUT;
            client.initialize(workspace, TestClient.capabilities(true, true), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            client.server.awaitIdle();
            assertFalse(converted(module));
            gate.complete(null);
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            while (!converted(module) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(converted(module), client.logs.toString());
        }
    }

    @Test
    void anUnrelatedPushDoesNotReTrustTheWorkspace() throws Exception {
        Path workspace = cleanWorkspace();
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"workspaceTrusted\": false}}")));
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"diagnosticsUrl\": \"https://example.org/d.md\"}}")));
            client.server.awaitIdle();
            ExecutionException refused = assertThrows(ExecutionException.class, () -> client.remote
                    .getWorkspaceService().executeCommand(new ExecuteCommandParams("klp.convert", List.of()))
                    .get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof ResponseErrorException, refused.toString());
            assertFalse(converted(workspace.resolve("build/livepatch.ko")));
        }
    }

    @Test
    void aFileTooLargeToScanIsSkippedWithAMessage() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            String uri = workspace.resolve("huge.c").toUri().toString();
            String line = "extern int irq_thread_check(int irq);\n";
            String text = line.repeat((int) (dev.klplsp.ide.Document.MAX_SOURCE_BYTES / line.length()) + 1);
            client.versions.put(uri, 1);
            client.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                    new TextDocumentItem(uri, "c", 1, text)));
            List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, list -> true);
            assertEquals(List.of(), diagnostics);
            assertTrue(client.messages.stream().anyMatch(m -> m.getMessage().contains("huge.c")
                    && m.getMessage().contains("not analysed")), client.messages.toString());
        }
    }

    @Test
    void aJavascriptDocumentationLinkAndANulInTheOutputNameAreRefused() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), JsonParser.parseString(
                    "{\"klp\": {\"diagnosticsUrl\": \"javascript:alert(1)//\", \"output\": \"a\\u0000.ko\"}}"));
            String uri = client.open(workspace.resolve("livepatch.c"));
            Diagnostic ambiguous = client.awaitDiagnostics(uri, list -> !list.isEmpty()).get(0);
            assertTrue(ambiguous.getCodeDescription().getHref().startsWith("https://"),
                    ambiguous.getCodeDescription().getHref());
            assertTrue(logged(client, "diagnosticsUrl: expected an https:, http: or file: URL") == 1,
                    client.logs.toString());
            assertTrue(logged(client, "output: expected \"inPlace\" or a file name pattern") == 1,
                    client.logs.toString());
        }
    }
}
