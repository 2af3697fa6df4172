// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.klplsp.ide.SampleWorkspaces;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a build: the server checks the gcc-built module, puts its findings on the source lines, and with
 * convertOnSave converts the module in place when it changes, without converting its own output again.
 */
class ModuleTest {
    @TempDir
    Path cacheDir;

    private static boolean has(List<Diagnostic> diagnostics, String code) {
        return diagnostics.stream().anyMatch(d -> code.equals(d.getCode().getLeft()));
    }

    private static String readelfSections(Path module) {
        return Processes.run(null, List.of("readelf", "-SW", module.toString()));
    }

    @Test
    void builtModuleFindingsLandOnTheDeclarationAndConvertOnChangeDoesNotLoop() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path module = SampleWorkspaces.buildModule(workspace);
        Path source = workspace.resolve("livepatch.c");
        String sourceUri = source.toUri().toString();
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false),
                    JsonParser.parseString("{\"convertOnSave\": true}"));
            // Not opened: the module's findings are published for the file that declares the symbol.
            List<Diagnostic> fromModule = client.awaitDiagnostics(sourceUri, list -> has(list, "ambiguous-symbol"));
            Diagnostic ambiguous = fromModule.stream().filter(d -> "ambiguous-symbol".equals(d.getCode().getLeft()))
                    .findFirst().orElseThrow();
            assertEquals(31, ambiguous.getRange().getStart().getLine());
            assertTrue(ambiguous.getMessage().getLeft().contains("(livepatch.ko, .text+0x"),
                    ambiguous.getMessage().getLeft());
            assertTrue(!readelfSections(module).contains(".klp.rela"), "errors block the conversion");

            // The author fixes the declaration and rebuilds elsewhere: the watcher converts the new module.
            String fixed = Files.readString(source).replace("extern int irq_thread_check(int irq);",
                    "extern int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);");
            Files.writeString(source, fixed);
            SampleWorkspaces.buildModule(workspace);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!readelfSections(module).contains(".klp.rela.vmlinux..text") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(readelfSections(module).contains(".klp.rela.vmlinux..text"), readelfSections(module));
            client.awaitDiagnostics(sourceUri, list -> !has(list, "ambiguous-symbol"));
            // Our own write is seen by the watcher; give it time to (not) convert again.
            Thread.sleep(1500);
            client.server.awaitIdle();
            long conversions = client.logs.stream().filter(m -> m.getMessage().contains("converted, wrote")).count();
            assertEquals(1, conversions, client.logs.toString());
            String symbols = Processes.run(null, List.of("readelf", "-sW", module.toString()));
            assertTrue(symbols.contains(".klp.sym.vmlinux.irq_thread_check,2"), symbols);

            // klp.check on demand reports the converted module as clean of errors.
            Object answer = client.remote.getWorkspaceService().executeCommand(new ExecuteCommandParams("klp.check",
                    List.of(module.toString()))).get(30, TimeUnit.SECONDS);
            String json = new com.google.gson.Gson().toJson(answer);
            assertTrue(json.contains("\"errors\":0"), json);
        }
    }

    @Test
    void convertCommandRefusesAModuleWithErrors() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path module = SampleWorkspaces.buildModule(workspace);
        try (TestClient client = new TestClient(cacheDir)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            client.awaitDiagnostics(workspace.resolve("livepatch.c").toUri().toString(),
                    list -> has(list, "ambiguous-symbol"));
            Object answer = client.remote.getWorkspaceService().executeCommand(new ExecuteCommandParams("klp.convert",
                    List.of())).get(30, TimeUnit.SECONDS);
            String json = new com.google.gson.Gson().toJson(answer);
            assertTrue(json.contains("\"converted\":false") && json.contains("ambiguous-symbol"), json);
            assertTrue(!readelfSections(module).contains(".klp.rela"));
            assertTrue(answer instanceof List<?> list && list.size() == 1 && list.get(0) instanceof Map<?, ?>, json);
        }
    }
}
