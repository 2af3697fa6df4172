// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import dev.klplsp.project.ProjectFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace that configures no kernel is offered the one it builds against in one window/showMessageRequest
 * ("Use 6.1.0-56-amd64?"), detected under a fake system root; what each answer does.
 */
class KernelOfferTest {
    private static final String RELEASE = "6.1.0-56-amd64";
    private static final String USE = "Use " + RELEASE;
    private static final String SAVE = "Use and save to .klp-lsp.json";

    @TempDir
    Path cacheDir;
    @TempDir
    Path systemRoot;
    Path workspace;

    @BeforeEach
    void workspaceWithoutAKernel() throws Exception {
        workspace = SampleWorkspaces.copy("ambiguous");
        Files.delete(workspace.resolve(ProjectFile.NAME));
        SampleWorkspaces.installKernel(systemRoot, RELEASE, true);
        SampleWorkspaces.setRunning(systemRoot, RELEASE);
    }

    @Test
    void theRunningKernelIsOfferedOnceAndUsingItIndexesItUnderItsRelease() throws Exception {
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.messageRequestAnswer = request -> USE;
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            ShowMessageRequestParams request = client.awaitMessageRequest();
            assertEquals(MessageType.Info, request.getType());
            assertEquals("klp: no kernel is configured for this workspace; " + RELEASE + " is the running kernel. Use "
                    + RELEASE + "?", request.getMessage());
            assertEquals(List.of(USE, SAVE, "Not now"), titles(request));

            LspExt.IndexStatusParams ready = client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertEquals(RELEASE, ready.kernel());
            assertEquals(RELEASE, ready.release(), "the release the index found");
            assertEquals(SampleWorkspaces.fixtureIndex().symbolCount(), ready.symbols());
            String uri = client.open(workspace.resolve("livepatch.c"));
            client.awaitDiagnostics(uri, diagnostics -> diagnostics.stream()
                    .anyMatch(d -> d.getCode().getLeft().equals("ambiguous-symbol")));
            assertFalse(Files.exists(workspace.resolve(ProjectFile.NAME)), "\"Use\" writes no project file");

            // Later settings changes do not ask again.
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"annotationStyle\": \"v7\"}}")));
            client.server.awaitIdle();
            assertEquals(1, client.messageRequests.size());
            await(client.logs, "klp: using " + RELEASE + " for this session (" + RELEASE + " is the running kernel)");
        }
    }

    @Test
    void savingWritesAProjectFileThatNamesTheKernelForTheCliToo() throws Exception {
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.messageRequestAnswer = request -> SAVE;
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            LspExt.IndexStatusParams ready = client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertEquals(RELEASE, ready.release());
            Path file = workspace.resolve(ProjectFile.NAME);
            assertEquals("{\n  \"kernel\": \"" + RELEASE + "\"\n}\n", Files.readString(file));
            assertTrue(ProjectFile.read(file).hasKernel());
            // The watcher reads the new file back: the same kernel, so no second indexing.
            await(client.logs, "klp: project file " + file + " changed, settings re-read");
            client.server.awaitIdle();
            assertEquals(1, client.indexStatuses.stream().filter(status -> status.state().equals("ready")).count(),
                    client.indexStatuses.toString());
        }
    }

    @Test
    void notNowLeavesTheWorkspaceWithoutAKernelAndLaterLossesOfTheKernelOnlySaySo() throws Exception {
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.messageRequestAnswer = request -> "Not now";
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitMessageRequest();
            client.server.awaitIdle();
            assertEquals("error", client.indexStatuses.get(client.indexStatuses.size() - 1).state());
            await(client.logs, "klp: " + RELEASE + " not used; name a kernel in .klp-lsp.json or the editor's klp"
                    + " settings");

            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"kernel\": \"" + RELEASE + "\"}}")));
            assertEquals(RELEASE, client.awaitIndexStatus(status -> status.state().equals("ready")).release(),
                    "a release setting is looked up under the server's root");
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"kernel\": \"\"}}")));
            client.awaitIndexStatus(status -> status.state().equals("error"));
            await(client.messages, "klp: no kernel configured: set \"kernel\" (or \"symbols\") in .klp-lsp.json or in"
                    + " the editor's klp settings; only annotation syntax is checked");
            assertEquals(1, client.messageRequests.size(), "asked once per session");
        }
    }

    @Test
    void anUntrustedWorkspaceIsOfferedTheKernelForTheSessionButNotTheProjectFile() throws Exception {
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.messageRequestAnswer = request -> SAVE;
            client.initialize(workspace, TestClient.capabilities(true, false),
                    JsonParser.parseString("{\"workspaceTrusted\": false}"));
            assertEquals(List.of(USE, "Not now"), titles(client.awaitMessageRequest()));
            client.server.awaitIdle();
            assertFalse(Files.exists(workspace.resolve(ProjectFile.NAME)));
        }
    }

    @Test
    void aProjectFileWithoutAKernelIsNeverRewritten() throws Exception {
        Files.writeString(workspace.resolve(ProjectFile.NAME), "{\"annotationStyle\": \"v7\"}\n");
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.messageRequestAnswer = request -> USE;
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            assertEquals(List.of(USE, "Not now"), titles(client.awaitMessageRequest()));
            assertEquals(RELEASE, client.awaitIndexStatus(status -> status.state().equals("ready")).kernel());
            assertEquals("{\"annotationStyle\": \"v7\"}\n", Files.readString(workspace.resolve(ProjectFile.NAME)));
        }
    }

    @Test
    void withNothingUsableTheNoKernelMessageSaysWhy(@TempDir Path emptyRoot) throws Exception {
        try (TestClient client = new TestClient(cacheDir, emptyRoot)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("error"));
            await(client.messages, "klp: no kernel configured: set \"kernel\" (or \"symbols\") in .klp-lsp.json or in"
                    + " the editor's klp settings; only annotation syntax is checked (the running kernel's release is"
                    + " unknown (no " + emptyRoot.resolve("proc/sys/kernel/osrelease") + "))");
            assertEquals(List.of(), client.messageRequests);
        }
    }

    @Test
    void klpKernelsListsTheInstalledKernelsWithWhatEachLacks() throws Exception {
        SampleWorkspaces.installKernel(systemRoot, "6.1.0-47-amd64", false);
        try (TestClient client = new TestClient(cacheDir, systemRoot)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            Object result = client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.kernels", List.of())).get(30, TimeUnit.SECONDS);
            JsonArray kernels = new Gson().toJsonTree(result).getAsJsonArray();
            assertEquals(2, kernels.size(), kernels.toString());
            JsonObject running = kernels.get(0).getAsJsonObject();
            assertEquals(RELEASE, running.get("kernel").getAsString());
            assertTrue(running.get("running").getAsBoolean());
            assertTrue(running.get("usable").getAsBoolean());
            JsonObject other = kernels.get(1).getAsJsonObject();
            assertEquals("6.1.0-47-amd64", other.get("kernel").getAsString());
            assertFalse(other.get("usable").getAsBoolean());
            assertTrue(other.get("detail").getAsString().contains("-dbg"), other.toString());
        }
    }

    private static List<String> titles(ShowMessageRequestParams request) {
        return request.getActions().stream().map(MessageActionItem::getTitle).toList();
    }

    /** Waits until a message (or log line) with exactly this text arrived: it travels the pipe after the work. */
    private static void await(List<MessageParams> received, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (received.stream().anyMatch(message -> message.getMessage().equals(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in " + received);
    }
}
