// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workspaceTrusted: false} (VS Code's Restricted Mode): diagnostics, hover, quick fixes and klp.check work;
 * no build command runs, nothing is converted on save or on change, klp.convert is refused. Trusting the
 * workspace later switches building and converting on without a restart.
 */
class WorkspaceTrustTest {
    private static final String BUILD = "touch built-marker && make -s";
    private static final String FIXED = "extern int irq_thread_check(int irq)"
            + " KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);";

    @TempDir
    Path cacheDir;

    private static boolean has(List<Diagnostic> diagnostics, String code) {
        return diagnostics.stream().anyMatch(d -> code.equals(d.getCode().getLeft()));
    }

    private static boolean converted(Path module) {
        return Processes.run(null, List.of("readelf", "-SW", module.toString())).contains(".klp.rela.vmlinux..text");
    }

    private static String settings(boolean trusted) {
        return "{\"klp\": {\"convertOnSave\": true, \"buildCommand\": \"" + BUILD + "\", \"workspaceTrusted\": "
                + trusted + "}}";
    }

    @Test
    void untrustedWorkspaceGetsDiagnosticsButNoBuildAndNoConversionUntilTrusted() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path module = SampleWorkspaces.buildModule(workspace);
        Path source = workspace.resolve("livepatch.c");
        Path marker = workspace.resolve("built-marker");
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), JsonParser.parseString(settings(false)));
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            String uri = client.open(source);

            // Diagnostics, quick fixes and hover keep working.
            Diagnostic ambiguous = client.awaitDiagnostics(uri, list -> has(list, "ambiguous-symbol")).stream()
                    .filter(d -> "ambiguous-symbol".equals(d.getCode().getLeft())).findFirst().orElseThrow();
            assertEquals(2, client.remote.getTextDocumentService().codeAction(new CodeActionParams(
                    new TextDocumentIdentifier(uri), ambiguous.getRange(), new CodeActionContext(List.of(ambiguous))))
                    .get(30, TimeUnit.SECONDS).size());
            Hover hover = client.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri),
                    ambiguous.getRange().getStart())).get(30, TimeUnit.SECONDS);
            assertTrue(hover.getContents().getRight().getValue().contains("manage.c"), hover.toString());
            List<? extends CodeLens> lenses = client.remote.getTextDocumentService().codeLens(new CodeLensParams(
                    new TextDocumentIdentifier(uri))).get(30, TimeUnit.SECONDS);
            assertEquals("klp.check", lenses.get(0).getCommand().getCommand(), "no convert lens when untrusted");

            // A build made elsewhere: checked, not converted.
            String fixed = client.texts.get(uri).replace("extern int irq_thread_check(int irq);", FIXED);
            client.change(uri, fixed);
            Files.writeString(source, fixed);
            SampleWorkspaces.buildModule(workspace);
            client.awaitDiagnostics(uri, list -> !has(list, "ambiguous-symbol"));
            Thread.sleep(1000); // the watcher's report (debounced) must have arrived
            client.server.awaitIdle();
            assertFalse(converted(module), "untrusted: not converted on change");

            // Save: the build command does not run, nothing is converted.
            client.remote.getTextDocumentService().didSave(new DidSaveTextDocumentParams(
                    new TextDocumentIdentifier(uri)));
            Thread.sleep(500);
            client.server.awaitIdle();
            assertFalse(Files.exists(marker), "untrusted: the build command must not run");
            assertFalse(converted(module));
            assertFalse(client.logs.stream().anyMatch(m -> m.getMessage().contains("converted, wrote")),
                    client.logs.toString());

            // klp.convert is refused with a clear message; klp.check works.
            ExecutionException refused = assertThrows(ExecutionException.class, () -> client.remote
                    .getWorkspaceService().executeCommand(new ExecuteCommandParams("klp.convert", List.of()))
                    .get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof ResponseErrorException, refused.toString());
            assertTrue(refused.getCause().getMessage().contains("the workspace is not trusted"),
                    refused.getCause().getMessage());
            assertFalse(converted(module));
            String check = new com.google.gson.Gson().toJson(client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.check", List.of(module.toString()))).get(30, TimeUnit.SECONDS));
            assertTrue(check.contains("\"errors\":0"), check);

            // Trusted now (no restart): saving builds and converts.
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString(settings(true))));
            client.server.awaitIdle();
            client.remote.getTextDocumentService().didSave(new DidSaveTextDocumentParams(
                    new TextDocumentIdentifier(uri)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(marker) && converted(module)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(marker), "trusted: the build command runs");
            assertTrue(converted(module), client.logs.toString());
        }
    }

    @Test
    void trustedWorkspaceConvertsOnDemand() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, Files.readString(source).replace("extern int irq_thread_check(int irq);", FIXED));
        Path module = SampleWorkspaces.buildModule(workspace);
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false),
                    JsonParser.parseString("{\"workspaceTrusted\": true}"));
            client.awaitIndexStatus(status -> status.state().equals("ready"));
            String report = new com.google.gson.Gson().toJson(client.remote.getWorkspaceService().executeCommand(
                    new ExecuteCommandParams("klp.convert", List.of(module.toUri().toString())))
                    .get(30, TimeUnit.SECONDS));
            assertTrue(report.contains("\"converted\":true"), report);
            assertTrue(converted(module));
        }
    }
}
