// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.check.OptimizedKernel;
import dev.klplsp.kernel.SourceLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with the kernel's debug information: the opt_kernel fixture (its vmlinux's own debug sections found
 * automatically, the module's debug file from the debugInfo setting, its sources as kernelSource). The debug
 * information loads in the background with progress; then the replaced functions' findings appear, their
 * candidates point into the kernel's sources, hover shows the facts and go to definition opens the source.
 */
class DebugInfoTest {
    @TempDir
    Path cacheDir;

    @TempDir
    Path workspace;

    private static final String PATCH = """
            struct klp_func { const char *old_name; void *new_func; unsigned long old_sympos; };
            struct klp_object { const char *name; struct klp_func *funcs; };
            static int new_conv(int *valp, int write, int value) { return value; }
            static struct klp_func funcs[] = {
            	{ .old_name = "dointvec_conv", .new_func = new_conv },
            	{ }
            };
            static struct klp_func module_funcs[] = {
            	{ .old_name = "dup_helper", .new_func = new_conv, .old_sympos = 2 },
            	{ }
            };
            static struct klp_object objs[] = {
            	{ .funcs = funcs },
            	{ .name = "dwarf_facts", .funcs = module_funcs },
            	{ }
            };
            """;

    private static boolean has(List<Diagnostic> diagnostics, String code) {
        return diagnostics.stream().anyMatch(d -> code.equals(d.getCode().getLeft()));
    }

    private static Position position(String text, String needle) {
        int offset = text.indexOf(needle) + 1;
        String before = text.substring(0, offset);
        int line = (int) before.chars().filter(c -> c == '\n').count();
        return new Position(line, offset - before.lastIndexOf('\n') - 1);
    }

    @Test
    void debugInformationLoadsInTheBackgroundAndLeadsIntoTheKernelSources() throws Exception {
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, PATCH);
        JsonObject settings = new JsonObject();
        JsonArray symbols = new JsonArray();
        symbols.add(OptimizedKernel.vmlinux().toString());
        symbols.add(OptimizedKernel.module().toString());
        settings.add("symbols", symbols);
        settings.addProperty("debugInfo", OptimizedKernel.module().toString());
        settings.addProperty("kernelSource", OptimizedKernel.sourceTree().toString());
        try (TestClient client = new TestClient(cacheDir)) {
            InitializeResult result = client.initialize(workspace, TestClient.capabilities(true, false), settings);
            assertEquals(Boolean.TRUE, result.getCapabilities().getDefinitionProvider().getLeft());
            String uri = client.open(source);
            List<Diagnostic> diagnostics = client.awaitDiagnostics(uri, list -> has(list, "replaced-function-inlined")
                    && list.stream().filter(d -> "replaced-function-inlined".equals(d.getCode().getLeft())).count() == 2);

            Diagnostic vmlinux = diagnostics.stream().filter(d -> d.getMessage().getLeft().contains("dointvec_conv"))
                    .findFirst().orElseThrow();
            assertEquals(4, vmlinux.getRange().getStart().getLine());
            // The candidate (the caller that keeps the old code) points at its declaration in the kernel's sources.
            DiagnosticRelatedInformation caller = vmlinux.getRelatedInformation().get(0);
            SourceLine declared = OptimizedKernel.declaration("dointvec_minmax_conv");
            assertEquals(OptimizedKernel.sourceTree().resolve(declared.file()).toUri().toString(),
                    caller.getLocation().getUri());
            assertEquals(declared.line() - 1, caller.getLocation().getRange().getStart().getLine());
            assertTrue(caller.getMessage().startsWith("candidate: dointvec_minmax_conv sympos 0"), caller.getMessage());
            assertTrue(caller.getMessage().contains("declared at " + OptimizedKernel.sourceTree().resolve(
                    declared.file()) + ":" + declared.line() + " (line of the kernel build's sources)"),
                    caller.getMessage());
            // The module's copy, from the module's debug file (the debugInfo setting).
            assertTrue(diagnostics.stream().anyMatch(d -> d.getMessage().getLeft().startsWith(
                    "klp_func replaces dup_helper, but dwarf_facts also has 1 inlined copy of it, in b_caller")),
                    diagnostics.toString());

            assertTrue(client.progress.stream().anyMatch(p -> p.getValue().getLeft() instanceof WorkDoneProgressBegin
                    begin && begin.getTitle().equals("klp: reading the debug information of vmlinux")),
                    client.progress.toString());
            assertTrue(client.logs.stream().anyMatch(m -> m.getMessage().startsWith("klp: debug information of"
                    + " vmlinux ")), client.logs.toString());

            TextDocumentIdentifier document = new TextDocumentIdentifier(uri);
            List<? extends Location> definition = client.remote.getTextDocumentService().definition(
                    new DefinitionParams(document, position(PATCH, "dointvec_conv\""))).get(30, TimeUnit.SECONDS)
                    .getLeft();
            SourceLine conv = OptimizedKernel.declaration("dointvec_conv");
            assertEquals(1, definition.size(), definition.toString());
            assertEquals(OptimizedKernel.sourceTree().resolve(conv.file()).toUri().toString(),
                    definition.get(0).getUri());
            assertEquals(conv.line() - 1, definition.get(0).getRange().getStart().getLine());

            String hover = client.remote.getTextDocumentService().hover(new HoverParams(document,
                    position(PATCH, "dointvec_conv\""))).get(30, TimeUnit.SECONDS).getContents().getRight().getValue();
            assertTrue(hover.contains("Debug information of vmlinux: **dointvec_conv**"), hover);

            // Without the module's debug file (debugInfo set to none) the module's finding goes; vmlinux's stays.
            client.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"klp\": {\"debugInfo\": []}}")));
            List<Diagnostic> without = client.awaitDiagnostics(uri, list -> list.stream().noneMatch(d -> d.getMessage()
                    .getLeft().contains("dup_helper")) && has(list, "replaced-function-inlined"));
            assertEquals(1, without.size(), without.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.logs.stream().noneMatch(m -> m.getMessage().startsWith("klp: no debug information for"
                    + " dwarf_facts")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(client.logs.stream().anyMatch(m -> m.getMessage().startsWith("klp: no debug information for"
                    + " dwarf_facts")), client.logs.toString());
        }
    }
}
