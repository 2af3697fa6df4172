// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static dev.klplsp.cli.CheckConvertCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.SampleWorkspaces;
import dev.klplsp.ide.Settings;
import dev.klplsp.ide.Workspace;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code klp-lsp check FILE.c}: the editor's source findings on the command line, in the same words and at the
 * same lines, for CI and for editors without LSP. The sample workspace's project file names the gcc-built
 * fixture kernel.
 */
class SourceCheckCommandTest {
    @Test
    void aSourceGetsTheEditorsFindingsAtTheSameLineAndExitsOneOnErrors() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path source = workspace.resolve("livepatch.c");
        CheckConvertCommandTest.Run run = run("check", source.toString(), "--no-cache");
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.out() + run.err());

        // What the editor shows for the same file (same kernel, same settings).
        Workspace editor = new Workspace(workspace);
        editor.setSettings(Settings.DEFAULT);
        editor.setIndex(SampleWorkspaces.fixtureIndex());
        editor.open(source, 1, Files.readString(source));
        Analysis analysis = editor.snapshot();
        List<FileDiagnostic> expected = analysis.diagnostics(source);
        assertEquals(1, expected.size(), expected.toString());
        FileDiagnostic ambiguous = expected.get(0);
        int line = analysis.document(source).orElseThrow().scan().lines().lineOf(ambiguous.span().start()) + 1;
        assertTrue(run.out().startsWith(source + ":" + line + ":12: error[ambiguous-symbol]: "
                + ambiguous.message() + "\n"), run.out());
        assertTrue(run.out().contains("  note: candidate sympos 2: vmlinux irq_thread_check (t, chip.c, .text, 0x"),
                run.out());
        assertTrue(run.out().contains("  note: fix: sympos 1 \u2014 vmlinux, manage.c, t, 0x"), run.out());
        assertTrue(run.out().endsWith(source + ": 1 error, 0 warnings, 0 notes\n"), run.out());
    }

    @Test
    void jsonCarriesLocationsAndFixEditsAndApplyingOneMakesTheSourceClean() throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path source = workspace.resolve("livepatch.c");
        CheckConvertCommandTest.Run run = run("check", source.toString(), "--no-cache", "--json");
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.err());
        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(1, report.get("schemaVersion").getAsInt());
        assertEquals(source.toString(), report.get("source").getAsString());
        JsonObject finding = report.getAsJsonArray("findings").get(0).getAsJsonObject();
        assertEquals("ambiguous-symbol", finding.get("code").getAsString());
        assertEquals(32, finding.getAsJsonObject("location").get("line").getAsInt());
        assertEquals(2, finding.getAsJsonArray("candidates").size());
        JsonObject edit = finding.getAsJsonArray("fixes").get(1).getAsJsonObject().getAsJsonArray("edits").get(0)
                .getAsJsonObject();
        assertEquals(1, report.getAsJsonObject("summary").get("errors").getAsInt());

        // Apply the second fix's edit (an insertion on one line) and check again: clean.
        List<String> lines = new ArrayList<>(Files.readAllLines(source));
        int at = edit.get("line").getAsInt() - 1;
        String text = lines.get(at);
        int column = edit.get("column").getAsInt() - 1;
        assertEquals(edit.get("endColumn").getAsInt() - 1, column, "an insertion");
        lines.set(at, text.substring(0, column) + edit.get("newText").getAsString() + text.substring(column));
        Files.write(source, lines);
        assertTrue(Files.readString(source).contains("KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2)"));
        CheckConvertCommandTest.Run again = run("check", source.toString(), "--no-cache");
        assertEquals(ExitCodes.OK, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().endsWith(source + ": 0 errors, 0 warnings, 0 notes\n"), again.out());
    }

    @Test
    void sourcesAreCheckedTogetherAndModulesBesideThemGiveAnArrayOfReports(@TempDir Path dir) throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path user = workspace.resolve("user.c");
        Path helper = workspace.resolve("helper.c");
        Files.writeString(user, "extern int helper_count;\nint f(void) { return helper_count; }\n");
        Files.writeString(helper, "int helper_count;\n");
        // Alone, the name is looked up in the kernel and is not there; with its definition beside it, it is fine.
        CheckConvertCommandTest.Run alone = run("check", user.toString(), "--no-cache");
        assertEquals(ExitCodes.FINDINGS, alone.exitCode(), alone.out());
        assertTrue(alone.out().contains("error[unresolved-symbol]: helper_count is not in the kernel"), alone.out());
        CheckConvertCommandTest.Run together = run("check", user.toString(), helper.toString(), "--no-cache");
        assertEquals(ExitCodes.OK, together.exitCode(), together.out());

        Path module = SampleWorkspaces.buildModule(workspace);
        CheckConvertCommandTest.Run both = run("check", module.toString(), user.toString(), helper.toString(),
                "--no-cache", "--json");
        JsonArray reports = JsonParser.parseString(both.out()).getAsJsonArray();
        assertEquals(3, reports.size());
        List<String> keys = new ArrayList<>();
        for (JsonElement report : reports) {
            keys.add(report.getAsJsonObject().has("module") ? "module" : "source");
        }
        assertEquals(List.of("module", "source", "source"), keys);
        assertEquals(ExitCodes.FINDINGS, both.exitCode(), "the module's ambiguity is an error");
    }

    @Test
    void badSourcesAreInputErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        Path workspace = SampleWorkspaces.copy("ambiguous");
        Path missing = workspace.resolve("missing.c");
        CheckConvertCommandTest.Run run = run("check", missing.toString(), "--no-cache");
        assertEquals(ExitCodes.INPUT, run.exitCode());
        assertEquals("klp-lsp: error: " + missing + ": cannot read: no such file\n", run.err().substring(run.err().indexOf(
                "klp-lsp: error:")));

        Path directory = Files.createDirectory(workspace.resolve("dir.c"));
        CheckConvertCommandTest.Run dirRun = run("check", directory.toString(), "--no-cache");
        assertEquals(ExitCodes.INPUT, dirRun.exitCode());
        assertTrue(dirRun.err().contains(directory + ": is a directory, not a regular file"), dirRun.err());

        Path fifo = workspace.resolve("fifo.c");
        Processes.run(null, List.of("mkfifo", fifo.toString()));
        CheckConvertCommandTest.Run fifoRun = run("check", fifo.toString(), "--no-cache");
        assertEquals(ExitCodes.INPUT, fifoRun.exitCode(), "read no fifo (it would block forever)");
        assertTrue(fifoRun.err().contains(fifo + ": is a fifo (named pipe), not a regular file"), fifoRun.err());
    }
}
