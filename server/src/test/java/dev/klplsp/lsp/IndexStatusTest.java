// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** klp/indexStatus: indexing, then ready with the symbol count or error with the cause, again on every kernel change. */
class IndexStatusTest {
    @TempDir
    Path cacheDir;

    @Test
    void indexingThenReadyWithTheSymbolCountThenErrorWhenTheKernelChangesToABadOne() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        int symbols = SampleWorkspaces.fixtureIndex().symbolCount();
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            LspExt.IndexStatusParams ready = client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertEquals(symbols, ready.symbols());
            assertEquals("../fixture-kernel", ready.kernel(), "the kernel as .klp-lsp.json names it");
            LspExt.IndexStatusParams first = client.indexStatuses.get(0);
            assertEquals("indexing", first.state());
            assertEquals("../fixture-kernel", first.kernel());
            assertNull(first.symbols());

            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"kernel\": \"/nonexistent/kernel-tree\"}}")));
            LspExt.IndexStatusParams error = client.awaitIndexStatus(status -> status.state().equals("error"));
            assertEquals("/nonexistent/kernel-tree", error.kernel());
            assertTrue(error.message().contains("/nonexistent/kernel-tree"), error.message());
            assertNull(error.symbols());
            assertEquals("indexing", client.indexStatuses.get(client.indexStatuses.size() - 2).state());

            // Back to the project's kernel, then klp.reindex: indexing and ready again.
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"kernel\": \"../fixture-kernel\"}}")));
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            int before = client.indexStatuses.size();
            assertEquals("reindexing", client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.reindex", List.of())).get(30, TimeUnit.SECONDS));
            client.awaitIndexStatus(status -> status.state().equals("ready")
                    && client.indexStatuses.size() >= before + 2);
            assertEquals(List.of("indexing", "ready"), client.indexStatuses.subList(before, before + 2).stream()
                    .map(LspExt.IndexStatusParams::state).toList());
        }
    }

    @Test
    void noKernelConfiguredIsAnErrorWithAnActionableMessage(@TempDir Path workspace) throws Exception {
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"annotationStyle\": \"v7\"}}")));
            LspExt.IndexStatusParams status = client.awaitIndexStatus(params -> params.state().equals("error"));
            assertTrue(status.message().startsWith("No kernel configured: set \"kernel\""), status.message());
            assertNull(status.kernel());
        }
    }

    /** Absent fields are left out of the JSON (the extension tests {@code symbols !== undefined}). */
    @Test
    void absentFieldsAreOmittedOnTheWire() {
        MessageJsonHandler handler = new MessageJsonHandler(ServiceEndpoints.getSupportedMethods(
                KlpLanguageClient.class));
        NotificationMessage message = new NotificationMessage();
        message.setMethod("klp/indexStatus");
        message.setParams(new LspExt.IndexStatusParams("indexing", null, null, "6.1.0-56-amd64", null, null));
        String json = handler.serialize(message);
        assertTrue(json.contains("\"params\":{\"state\":\"indexing\",\"kernel\":\"6.1.0-56-amd64\"}"), json);
        assertFalse(json.contains("null"), json);
    }
}
