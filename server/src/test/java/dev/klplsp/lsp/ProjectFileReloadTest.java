// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing {@code .klp-lsp.json} while the server runs: the settings are re-read (JDK watcher and the client's
 * didChangeWatchedFiles), the kernel re-indexed when it changed, and the diagnostics published again.
 */
class ProjectFileReloadTest {
    private static final String WITH_KERNEL = """
            {"kernel": "../fixture-kernel", "functionReferences": "warning"}
            """;

    @TempDir
    Path cacheDir;

    private static boolean has(List<Diagnostic> diagnostics, String code) {
        return diagnostics.stream().anyMatch(d -> code.equals(d.getCode().getLeft()));
    }

    private static long count(List<MessageParams> logs, String text) {
        return logs.stream().filter(m -> m.getMessage().contains(text)).count();
    }

    @Test
    void editingTheKernelReindexesAndAMalformedEditKeepsTheOldSettings() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path projectFile = workspace.resolve(".klp-lsp.json");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            String uri = client.open(workspace.resolve("livepatch.c"));
            client.awaitDiagnostics(uri, list -> has(list, "ambiguous-symbol"));
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertTrue(client.registrations.get(0).getRegistrations().get(0).getRegisterOptions().toString()
                    .contains("**/.klp-lsp.json"), client.registrations.toString());

            // The kernel key goes: no index, so no symbol diagnostics; klp/indexStatus says why.
            Files.writeString(projectFile, "{\"functionReferences\": \"warning\"}\n");
            client.awaitDiagnostics(uri, list -> !has(list, "ambiguous-symbol"));
            LspExt.IndexStatusParams error = client.awaitIndexStatus(status -> status.state().equals("error"));
            assertTrue(error.message().startsWith("No kernel configured"), error.message());

            // A malformed edit: logged once (the client reports it too), and the settings stay as they were.
            int statuses = client.indexStatuses.size();
            Files.writeString(projectFile, "{\"kernel\": \"../fixture-kernel\",\n \"functionReferences\": }\n");
            client.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(List.of(
                    new FileEvent(projectFile.toUri().toString(), FileChangeType.Changed))));
            String expected = projectFile + ": line 2, column ";
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            while (count(client.logs, expected) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500); // time for a second (duplicate) report to arrive, and to be ignored
            client.server.awaitIdle();
            List<MessageParams> malformed = client.logs.stream()
                    .filter(m -> m.getMessage().contains(expected)).toList();
            assertEquals(1, malformed.size(), client.logs.toString());
            assertEquals(MessageType.Warning, malformed.get(0).getType());
            assertTrue(malformed.get(0).getMessage().endsWith("; keeping the previous settings"),
                    malformed.get(0).getMessage());
            assertEquals(statuses, client.indexStatuses.size(), "no re-index: " + client.indexStatuses);
            assertTrue(client.server.service().settings().kernels().isEmpty(), "the previous settings stay");
            assertTrue(!has(client.diagnostics.get(uri).getDiagnostics(), "ambiguous-symbol"));

            // Fixed: the kernel is indexed again (indexing, then ready) and the ambiguity is back.
            Files.writeString(projectFile, WITH_KERNEL);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertEquals("indexing", client.indexStatuses.get(client.indexStatuses.size() - 2).state());
            assertEquals("../fixture-kernel", client.indexStatuses.get(client.indexStatuses.size() - 1).kernel());
            client.awaitDiagnostics(uri, list -> has(list, "ambiguous-symbol"));
            assertTrue(!client.progress.isEmpty(), "work-done progress for the re-index");
        }
    }

    @Test
    void editingFunctionReferencesChangesTheBuiltModulesFindings() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, Files.readString(source).replace("extern int irq_thread_check(int irq);",
                "extern int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);"));
        SampleWorkspaces.buildModule(workspace);
        Path projectFile = workspace.resolve(".klp-lsp.json");
        String uri = source.toUri().toString();
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            // Not opened: the module check's findings are published for the declaring file.
            Diagnostic risk = client.awaitDiagnostics(uri, list -> has(list, "function-symbol-risk")).stream()
                    .filter(d -> "function-symbol-risk".equals(d.getCode().getLeft())).findFirst().orElseThrow();
            assertEquals(DiagnosticSeverity.Warning, risk.getSeverity());

            Files.writeString(projectFile, WITH_KERNEL.replace("warning", "info"));
            client.awaitDiagnostics(uri, list -> list.stream().anyMatch(d -> "function-symbol-risk".equals(
                    d.getCode().getLeft()) && d.getSeverity() == DiagnosticSeverity.Information));

            Files.writeString(projectFile, WITH_KERNEL.replace("warning", "off"));
            client.awaitDiagnostics(uri, list -> !has(list, "function-symbol-risk"));
            assertEquals(1, count(client.logs, " symbols in "), "the kernel did not change: no re-index");
        }
    }

    @Test
    void deletingTheFileFallsBackToTheClientSettingsAndANewOneAtTheRootIsRead() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path projectFile = workspace.resolve(".klp-lsp.json");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), JsonParser.parseString(
                    "{\"klp\": {\"diagnosticsUrl\": \"https://example.org/d.md\"}}"));
            String uri = client.open(workspace.resolve("livepatch.c"));
            client.awaitDiagnostics(uri, list -> has(list, "ambiguous-symbol"));

            Files.delete(projectFile);
            client.awaitDiagnostics(uri, list -> !has(list, "ambiguous-symbol"));
            client.awaitIndexStatus(status -> status.state().equals("error")
                    && status.message().startsWith("No kernel configured"));
            assertTrue(count(client.logs, "project file removed, the editor's klp settings apply") == 1,
                    client.logs.toString());

            Files.writeString(projectFile, WITH_KERNEL);
            Diagnostic ambiguous = client.awaitDiagnostics(uri, list -> has(list, "ambiguous-symbol")).stream()
                    .filter(d -> "ambiguous-symbol".equals(d.getCode().getLeft())).findFirst().orElseThrow();
            assertEquals("https://example.org/d.md#ambiguous-symbol", ambiguous.getCodeDescription().getHref(),
                    "the client's settings still win over the project file");
        }
    }
}
