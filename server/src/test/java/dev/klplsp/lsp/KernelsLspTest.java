// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.TextEdit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language server with two kernels in the project file (the example's fixture kernel and its next build):
 * {@code klp/indexStatus} says "2 kernels" and names them, a diagnostic says in which kernels it holds, and the pin
 * by identity is a quick fix that edits the project file, after which the diagnostic is gone.
 */
class KernelsLspTest {
    @TempDir
    Path cacheDir;

    @Test
    void twoKernelsAreIndexedAndThePinByIdentityIsAProjectFileEdit(@TempDir Path workspace) throws Exception {
        Path project = workspace.resolve(ProjectFile.NAME);
        Files.writeString(project, "{\"kernels\": [{\"kernel\": \"" + FixtureKernel.kernelDir() + "\", \"name\": "
                + "\"first\"}, {\"kernel\": \"" + FixtureKernel.nextKernelDir() + "\", \"name\": \"next\"}]}\n");
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, "extern void do_poweroff(void *work) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux,"
                + " do_poweroff, 2);\nvoid *f(void) { return do_poweroff; }\n");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            LspExt.IndexStatusParams ready = client.awaitIndexStatus(status -> status.state().equals("ready"));
            assertEquals("2 kernels", ready.kernel());
            assertEquals(List.of("first", "next"), ready.kernels());
            assertNull(ready.release(), "a release is one kernel's; a client shows \"2 kernels\"");
            assertEquals(FixtureKernel.index().symbolCount() + FixtureKernel.nextIndex().symbolCount(),
                    ready.symbols());

            String uri = client.open(source);
            List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, list -> list.stream()
                    .anyMatch(d -> "sympos-moved".equals(d.getCode().getLeft())));
            Diagnostic moved = diagnostics.stream().filter(d -> "sympos-moved".equals(d.getCode().getLeft()))
                    .findFirst().orElseThrow();
            JsonObject data = JsonParser.parseString(moved.getData().toString()).getAsJsonObject();
            assertEquals("[\"next\"]", data.getAsJsonArray("kernels").toString());

            List<CodeAction> actions = client.remote.getTextDocumentService().codeAction(new CodeActionParams(
                    new TextDocumentIdentifier(uri), moved.getRange(), new CodeActionContext(List.of(moved))))
                    .get(30, TimeUnit.SECONDS).stream().map(Either::getRight).toList();
            assertEquals(1, actions.size(), actions.toString());
            assertEquals("pin: file d_manage.c \u2014 sympos 2 in first; 3 in next", actions.get(0).getTitle());
            String projectUri = project.toUri().toString();
            List<org.eclipse.lsp4j.TextEdit> edits = actions.get(0).getEdit().getChanges().get(projectUri);
            assertEquals(1, edits.size(), actions.get(0).getEdit().toString());
            // Apply it as the editor would, to the file on disk: the server rereads the project file.
            String before = Files.readString(project);
            String after = TextEdit.apply(before, List.of(new TextEdit(FromLsp.span(LineIndex.of(before),
                    edits.get(0).getRange()), edits.get(0).getNewText())));
            assertTrue(after.contains("\"do_poweroff\": \"vmlinux, file d_manage.c\""), after);
            assertTrue(after.contains("\"name\": \"next\""), after);
            Files.writeString(project, after);
            client.awaitDiagnostics(uri, list -> list.stream().noneMatch(d -> d.getSeverity()
                    == org.eclipse.lsp4j.DiagnosticSeverity.Error));
        }
    }

    @Test
    void klpConvertWritesOneOutputPerKernelWithEachKernelsSympos(@TempDir Path workspace) throws Exception {
        Files.writeString(workspace.resolve(ProjectFile.NAME), "{\"kernels\": [{\"kernel\": \""
                + FixtureKernel.kernelDir() + "\", \"name\": \"first\"}, {\"kernel\": \"" + FixtureKernel.nextKernelDir()
                + "\", \"name\": \"next\"}], \"output\": \"{name}-{kernel}.ko\","
                + " \"sympos\": {\"do_poweroff\": \"vmlinux, file d_manage.c\"}}\n");
        Path module = workspace.resolve("livepatch-example.ko");
        Files.copy(FixtureKernel.exampleModule(), module);
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            Object answer = client.remote.getWorkspaceService().executeCommand(new org.eclipse.lsp4j.ExecuteCommandParams(
                    "klp.convert", List.of(module.toString()))).get(30, TimeUnit.SECONDS);
            JsonObject report = JsonParser.parseString(new com.google.gson.Gson().toJson(answer)).getAsJsonArray()
                    .get(0).getAsJsonObject();
            assertTrue(report.get("converted").getAsBoolean(), report.toString());
            assertEquals(2, report.getAsJsonArray("kernels").size(), report.toString());
            String first = Files.readString(workspace.resolve("livepatch-example-first.ko"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            String next = Files.readString(workspace.resolve("livepatch-example-next.ko"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(first.contains(".klp.sym.vmlinux.do_poweroff,2"), "first");
            assertTrue(next.contains(".klp.sym.vmlinux.do_poweroff,3"), "next");
        }
    }
}
