// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-RPC between an lsp4j client and the server, on the gcc-built sample workspace and fixture kernel. */
class ProtocolTest {
    @TempDir
    Path cacheDir;

    private static boolean isAmbiguous(Diagnostic diagnostic) {
        return "ambiguous-symbol".equals(diagnostic.getCode().getLeft());
    }

    private static List<CodeAction> codeActions(TestClient client, String uri, Diagnostic diagnostic)
            throws Exception {
        CodeActionParams params = new CodeActionParams(new TextDocumentIdentifier(uri), diagnostic.getRange(),
                new CodeActionContext(List.of(diagnostic)));
        List<Either<Command, CodeAction>> actions = client.remote.getTextDocumentService().codeAction(params)
                .get(30, TimeUnit.SECONDS);
        return actions.stream().map(Either::getRight).toList();
    }

    @Test
    void ambiguousSymbolRoundTripDiagnosticQuickFixCleared() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        try (TestClient client = new TestClient(cacheDir)) {
            InitializeResult result = client.initialize(workspace, TestClient.capabilities(true, false), null);
            assertTrue(result.getCapabilities().getHoverProvider().getLeft());
            assertEquals(List.of("klp.convert", "klp.check", "klp.reindex", "klp.kernels"),
                    result.getCapabilities().getExecuteCommandProvider().getCommands());
            String uri = client.open(workspace.resolve("livepatch.c"));

            List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, list -> list.stream().anyMatch(
                    ProtocolTest::isAmbiguous));
            assertEquals(1, diagnostics.size(), diagnostics.toString());
            Diagnostic ambiguous = diagnostics.get(0);
            assertEquals("klp", ambiguous.getSource());
            assertEquals(DiagnosticSeverity.Error, ambiguous.getSeverity());
            assertEquals("https://github.com/klp-lsp/klp-lsp/blob/main/docs/diagnostics.md#ambiguous-symbol",
                    ambiguous.getCodeDescription().getHref());
            assertEquals(new Position(31, 11), ambiguous.getRange().getStart());
            assertEquals(new Position(31, 27), ambiguous.getRange().getEnd());
            assertEquals(2, ambiguous.getRelatedInformation().size());
            assertTrue(ambiguous.getRelatedInformation().get(1).getMessage()
                    .startsWith("candidate: irq_thread_check sympos 2 \u2014 vmlinux, chip.c, t, 0xffffffff81"),
                    ambiguous.getRelatedInformation().get(1).getMessage());
            JsonObject data = JsonParser.parseString(ambiguous.getData().toString()).getAsJsonObject();
            assertEquals("ambiguous-symbol", data.get("code").getAsString());
            assertFalse(data.has("fingerprint"), "written and never read, so no longer sent: " + data);

            List<CodeAction> actions = codeActions(client, uri, ambiguous);
            assertEquals(2, actions.size());
            assertTrue(actions.get(0).getTitle().startsWith("sympos 1 \u2014 vmlinux, manage.c, t, 0x"),
                    actions.get(0).getTitle());
            assertEquals("quickfix", actions.get(0).getKind());
            client.apply(actions.get(1).getEdit());
            client.awaitDiagnostics(uri, List::isEmpty);
            assertTrue(client.texts.get(uri).contains(
                    "extern int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);"));

            Hover hover = client.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri),
                    new Position(35, 12))).get(30, TimeUnit.SECONDS);
            assertEquals("markdown", hover.getContents().getRight().getKind());
            assertTrue(hover.getContents().getRight().getValue().contains("| vmlinux | 1 | FUNC (t) | LOCAL | manage.c"),
                    hover.getContents().getRight().getValue());
            assertNull(client.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri),
                    new Position(0, 0))).get(30, TimeUnit.SECONDS));

            var lenses = client.remote.getTextDocumentService().codeLens(new org.eclipse.lsp4j.CodeLensParams(
                    new TextDocumentIdentifier(uri))).get(30, TimeUnit.SECONDS);
            assertEquals(1, lenses.size());
            assertEquals("klp.convert", lenses.get(0).getCommand().getCommand());
            assertEquals(52, lenses.get(0).getRange().getStart().getLine());

            client.remote.shutdown().get(30, TimeUnit.SECONDS);
            client.remote.exit();
            assertEquals(0, client.exitStatus.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void runTimeLookupsConvertWithOneRefactorRewriteActionAndOneLookupWithAQuickFix() throws Exception {
        Path workspace = SampleWorkspaces.copy("runtime-lookups");
        try (TestClient client = new TestClient(cacheDir)) {
            InitializeResult result = client.initialize(workspace, TestClient.capabilities(true, false), null);
            assertEquals(List.of("quickfix", "refactor.rewrite"),
                    result.getCapabilities().getCodeActionProvider().getRight().getCodeActionKinds());
            String uri = client.open(workspace.resolve("livepatch.c"));
            List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, list -> list.size() == 3);
            assertTrue(diagnostics.stream().allMatch(d -> "runtime-lookup".equals(d.getCode().getLeft())
                    && d.getSeverity() == DiagnosticSeverity.Information), diagnostics.toString());

            // On an entry: its quick fix (converting that lookup) and the file's refactoring.
            Diagnostic entry = diagnostics.get(1);
            List<CodeAction> all = codeActions(client, uri, entry);
            assertEquals(List.of("quickfix", "refactor.rewrite"), all.stream().map(CodeAction::getKind).toList());
            assertEquals("Convert klpe_irq_thread_check to a KLP relocation (vmlinux irq_thread_check, sympos 2)",
                    all.get(0).getTitle());
            assertEquals(List.of(entry), all.get(0).getDiagnostics());
            assertNull(all.get(1).getDiagnostics());
            CodeActionContext quickFixesOnly = new CodeActionContext(List.of(entry));
            quickFixesOnly.setOnly(List.of("quickfix"));
            assertEquals(List.of("quickfix"), client.remote.getTextDocumentService().codeAction(new CodeActionParams(
                    new TextDocumentIdentifier(uri), entry.getRange(), quickFixesOnly)).get(30, TimeUnit.SECONDS)
                    .stream().map(action -> action.getRight().getKind()).toList());
            CodeActionContext refactorings = new CodeActionContext(List.of());
            refactorings.setOnly(List.of("refactor"));
            List<Either<Command, CodeAction>> rewrites = client.remote.getTextDocumentService().codeAction(
                    new CodeActionParams(new TextDocumentIdentifier(uri), entry.getRange(), refactorings))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(1, rewrites.size());
            CodeAction convert = rewrites.get(0).getRight();
            assertEquals("Convert run-time lookups to KLP relocations", convert.getTitle());
            assertEquals(1, convert.getEdit().getChanges().size(), "one WorkspaceEdit of this file");

            client.apply(convert.getEdit());
            client.awaitDiagnostics(uri, List::isEmpty);
            assertEquals(java.nio.file.Files.readString(dev.klplsp.testing.Fixtures.testdata()
                    .resolve("editors/expected/runtime-lookups.c")), client.texts.get(uri));
        }
    }

    @Test
    void withoutRelatedInformationTheCandidatesAreInTheMessage() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(false, false), null);
            String uri = client.open(workspace.resolve("livepatch.c"));
            Diagnostic ambiguous = client.awaitDiagnostics(uri, list -> list.stream().anyMatch(
                    ProtocolTest::isAmbiguous)).get(0);
            assertNull(ambiguous.getRelatedInformation());
            String message = ambiguous.getMessage().getLeft();
            assertTrue(message.startsWith("irq_thread_check is ambiguous: 2 symbols of that name in vmlinux"), message);
            assertTrue(message.contains("\n  candidate: irq_thread_check sympos 1 \u2014 vmlinux, manage.c, t, 0x"),
                    message);
            client.remote.exit();
            assertEquals(1, client.exitStatus.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void clientSettingsOverrideTheProjectFileAndAreAskedForWhenPushedEmpty() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        try (TestClient client = new TestClient(cacheDir)) {
            // No kernel in the client's settings yet: the project file's ../fixture-kernel applies.
            JsonObject options = JsonParser.parseString("{\"klp\": {\"annotationStyle\": \"v7\"}}").getAsJsonObject();
            client.configuration = JsonParser.parseString("{\"annotationStyle\": \"v7\", \"diagnosticsUrl\":"
                    + " \"https://example.org/d.md\"}").getAsJsonObject();
            client.initialize(workspace, TestClient.capabilities(true, true), options);
            String uri = client.open(workspace.resolve("livepatch.c"));
            // eglot 1.9 pushes empty settings after didOpen: the server asks with workspace/configuration.
            client.remote.getWorkspaceService().didChangeConfiguration(
                    new org.eclipse.lsp4j.DidChangeConfigurationParams(new JsonObject()));
            Diagnostic ambiguous = client.awaitDiagnostics(uri, list -> list.stream().anyMatch(
                    d -> isAmbiguous(d) && d.getCodeDescription().getHref().startsWith("https://example.org/"))).get(0);
            assertEquals("https://example.org/d.md#ambiguous-symbol", ambiguous.getCodeDescription().getHref());
            List<CodeAction> actions = codeActions(client, uri, ambiguous);
            String inserted = actions.get(0).getEdit().getChanges().get(uri).get(0).getNewText();
            assertTrue(inserted.contains("KLP_MODULE_RELOC(vmlinux)") && inserted.contains("KLP_SYMPOS(irq_thread_check, 1)"),
                    inserted);
            assertFalse(client.progress.isEmpty(), "work-done progress for indexing");

            Object answer = client.remote.getWorkspaceService().executeCommand(
                    new org.eclipse.lsp4j.ExecuteCommandParams("klp.reindex", List.of())).get(30, TimeUnit.SECONDS);
            assertEquals("reindexing", answer.toString().replace("\"", ""));
            client.server.awaitIdle();
            // The log crosses the pipe after the server is idle: wait for it rather than race it.
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            while (client.logs.stream().filter(m -> m.getMessage().contains(" symbols in ")).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, client.logs.stream().filter(m -> m.getMessage().contains(" symbols in ")).count(),
                    client.logs.toString());
        }
    }
}
