// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `klp-lsp index` and `klp-lsp lookup` as a user runs them. */
class IndexLookupCommandTest {
    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> kernelArgs() throws Exception {
        Path script = Fixtures.testdata().resolve("c/kernel_vmlinux/vmlinux.lds");
        Path vmlinux = Fixtures.link("kernel_vmlinux", Toolchain.X86_64, List.of("-T", script.toString()), "vmlinux");
        Path modules = tmp.resolve("modules");
        Files.createDirectories(modules);
        if (!Files.exists(modules.resolve("kernel-module.ko"))) {
            Files.copy(Fixtures.module("kernel_module"), modules.resolve("kernel-module.ko"));
        }
        return new ArrayList<>(List.of("--symbols", vmlinux.toString(), "--modules", modules.toString(),
                "--cache-dir", tmp.resolve("cache").toString()));
    }

    @Test
    void indexPrintsASummaryAndReloadsFromTheCache() throws Exception {
        List<String> args = new ArrayList<>(List.of("index"));
        args.addAll(kernelArgs());
        Run first = run(args.toArray(String[]::new));
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("indexed in"), first.out());
        assertTrue(first.out().contains("objects:          2 (vmlinux + 1 modules)"), first.out());
        assertTrue(first.out().contains("duplicated names: 4"), first.out());
        assertEquals("", first.err(), "no progress output without a terminal");
        Run second = run(args.toArray(String[]::new));
        assertTrue(second.out().contains("loaded from cache"), second.out());
    }

    @Test
    void lookupJsonListsCandidatesWithTheDocumentedKeys() throws Exception {
        List<String> args = new ArrayList<>(List.of("lookup", "dup_fn", "--json"));
        args.addAll(kernelArgs());
        Run run = run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        JsonArray array = JsonParser.parseString(run.out()).getAsJsonArray();
        assertEquals(3, array.size());
        JsonObject first = array.get(0).getAsJsonObject();
        for (String key : List.of("object", "name", "sympos", "type", "binding", "section", "file", "address", "size",
                "exported", "init")) {
            assertTrue(first.has(key), key + " missing in " + first);
        }
        assertEquals("vmlinux", first.get("object").getAsString());
        assertEquals(1, first.get("sympos").getAsInt());
        assertEquals("c.c", first.get("file").getAsString());
        assertEquals("FUNC", first.get("type").getAsString());
        assertTrue(first.get("address").getAsString().startsWith("0xffffffff81"), first.toString());
        assertEquals(".klp.sym.vmlinux.dup_fn,1", first.get("klpName").getAsString());
    }

    @Test
    void lookupTableAndModuleNameNormalization() throws Exception {
        List<String> args = new ArrayList<>(List.of("lookup", "homonym", "--object", "kernel-module"));
        args.addAll(kernelArgs());
        Run run = run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].startsWith("OBJECT"), run.out());
        assertTrue(lines[1].matches("kernel_module\\s+homonym\\s+1\\s+OBJECT\\s+LOCAL\\s+\\.data\\s+.*a\\.c\\s+1 of 2"),
                lines[1]);
        assertTrue(lines[2].matches("kernel_module\\s+homonym\\s+2\\s+.*b\\.c\\s+2 of 2"), lines[2]);
    }

    @Test
    void lookupOfAnUnknownNameExitsOneWithCloseNames() throws Exception {
        List<String> args = new ArrayList<>(List.of("lookup", "dup_fm"));
        args.addAll(kernelArgs());
        Run run = run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("no symbol named 'dup_fm'"), run.out());
        assertTrue(run.out().contains("close names: dup_fn"), run.out());
        List<String> json = new ArrayList<>(List.of("lookup", "dup_fm", "--json"));
        json.addAll(kernelArgs());
        Run jsonRun = run(json.toArray(String[]::new));
        assertEquals(1, jsonRun.exitCode());
        assertEquals("[]", jsonRun.out().strip());
    }

    @Test
    void inputErrorsExitThreeWithThePath() {
        Run run = run("lookup", "x", "--symbols", tmp.resolve("missing.map").toString(), "--no-cache");
        assertEquals(3, run.exitCode());
        assertTrue(run.err().contains("missing.map: does not exist"), run.err());
        Run usage = run("index");
        assertEquals(2, usage.exitCode(), usage.err());
    }
}
