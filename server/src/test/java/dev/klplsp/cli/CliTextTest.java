// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user reads: the help of every command, the wording of input errors, the lookup table. */
class CliTextTest {
    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err), args).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, CommandLine> commands() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new PrintWriter(sink), new PrintWriter(sink)).getSubcommands();
    }

    @Test
    void everyCommandSummaryIsOneWholeSentenceInTheCommandList() {
        String help = run("--help").out();
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            String[] header = command.getValue().getCommandSpec().usageMessage().header();
            if (command.getKey().equals("help")) {
                continue;
            }
            assertEquals(1, header.length, command.getKey() + ": one summary line");
            String summary = header[0];
            assertTrue(summary.endsWith("."), command.getKey() + ": " + summary);
            assertTrue(summary.length() <= 66, command.getKey() + " summary fits the list: " + summary);
            assertTrue(help.contains("  " + command.getKey() + " ") && help.contains(summary),
                    "the list shows the whole summary of " + command.getKey() + ":\n" + help);
        }
    }

    @Test
    void everyCommandHelpGroupsItsOptionsAndEndsWithExamples() {
        for (String name : commands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Run help = run(name, "--help");
            assertEquals(0, help.exitCode(), help.err());
            String text = help.out();
            int examples = text.indexOf("\nExamples:\n");
            assertTrue(examples > 0, name + " has examples:\n" + text);
            assertTrue(text.substring(examples).contains("klp-lsp " + name), name + "'s examples run it:\n" + text);
            assertTrue(text.indexOf("\nOptions:\n") < examples && text.indexOf("\nOptions:\n") > 0,
                    name + " lists options before the examples:\n" + text);
            for (String example : commands().get(name).getCommandSpec().usageMessage().footer()) {
                assertTrue(example.length() <= 78, name + ": an example picocli need not wrap: " + example);
            }
            for (String line : text.split("\n")) {
                assertTrue(line.length() <= 80, name + " help line is at most 80 columns: " + line);
            }
        }
        String check = run("check", "--help").out();
        int kernelGroup = check.indexOf("\nKernel options:\n");
        assertTrue(kernelGroup > 0, check);
        assertTrue(check.indexOf("--symvers", kernelGroup) > kernelGroup, "--symvers is under Kernel options");
        assertTrue(check.indexOf("\nCheck options:\n") > 0, check);
        assertTrue(check.indexOf("--sympos=", check.indexOf("\nCheck options:\n")) > 0, check);
        String convert = run("convert", "--help").out();
        int output = convert.indexOf("\nOutput options:\n");
        assertTrue(output > 0 && convert.indexOf("-o, --output=OUT", output) > output, convert);
        assertTrue(convert.indexOf("--in-place", output) < convert.indexOf("\nKernel options:\n"), convert);
    }

    @Test
    void aUsageErrorIsTheErrorTheSynopsisAndWhereTheHelpIs() {
        Run missing = run("check");
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.err());
        assertEquals(List.of("klp-lsp: error: Missing required parameter: 'MODULE|SOURCE'",
                "Usage: klp-lsp check [OPTIONS] MODULE|SOURCE...",
                "Try 'klp-lsp check --help' for more information."), missing.err().lines().toList());
        assertEquals("", missing.out());
        Run mistyped = run("convrt");
        assertEquals(ExitCodes.USAGE, mistyped.exitCode(), mistyped.err());
        assertTrue(mistyped.err().startsWith("klp-lsp: error: Unmatched argument at index 0: 'convrt'\n"),
                mistyped.err());
        assertTrue(mistyped.err().contains("convert"), "suggests the command: " + mistyped.err());
        assertTrue(mistyped.err().endsWith("Try 'klp-lsp --help' for more information.\n"), mistyped.err());
    }

    @Test
    void inputErrorsSayWhatCoreutilsSaysAndNameNoJavaClass() throws Exception {
        Path missing = tmp.resolve("nonexistent.ko");
        Path directory = Files.createDirectories(tmp.resolve("a-directory.ko"));
        Path kallsyms = Files.writeString(tmp.resolve("kallsyms"), "ffffffff81000000 T _stext\n");
        List<Map.Entry<String[], String>> cases = List.of(
                Map.entry(new String[] {"elf", missing.toString()}, missing + ": cannot read: no such file"),
                Map.entry(new String[] {"elf", directory.toString()}, directory + ": is a directory"),
                Map.entry(new String[] {"check", "--no-cache", "--symbols", kallsyms.toString(), missing.toString()},
                        missing + ": cannot read: no such file"),
                Map.entry(new String[] {"check", "--no-cache", "--symbols", kallsyms.toString(),
                    directory.toString()}, directory + ": is a directory"),
                Map.entry(new String[] {"index", "--no-cache", "--symbols", missing.toString()}, missing.toString()));
        for (Map.Entry<String[], String> c : cases) {
            Run run = run(c.getKey());
            assertEquals(ExitCodes.INPUT, run.exitCode(), String.join(" ", c.getKey()) + ": " + run.err());
            assertTrue(run.err().startsWith("klp-lsp: error: " + c.getValue()), run.err());
            assertFalse(run.err().contains("java.") || run.err().contains("Exception"), run.err());
        }
    }

    @Test
    void aWriteThatCannotHappenSaysWhyAsTouchWould() throws Exception {
        // -o under a regular file, as `touch a-file/out.ko` says: "Not a directory" (the path said once).
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = file.resolve("out.ko");
        Run run = run(CheckConvertCommandTest.withKernel("convert", dev.klplsp.testing.Fixtures.module("klp_basic")
                .toString(), "-o", out.toString()));
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.err());
        assertEquals("klp-lsp: error: " + out + ": cannot write: not a directory\n", run.err());
    }

    @Test
    void versionNamesTheVersionTheCommitAndTheBuildDate() throws Exception {
        Run run = run("--version");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).matches("klp-lsp \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), run.out());
        Matcher built = Pattern.compile("commit (\\S+), built (\\S+)").matcher(lines.get(1));
        assertTrue(built.matches(), run.out());
        java.time.Instant date = java.time.Instant.parse(built.group(2));
        assertTrue(date.isBefore(java.time.Instant.now().plusSeconds(60)), "built before now: " + date);
        // Built from this checkout by Maven: the commit is one of its history (HEAD, unless something was
        // committed since the build); "unknown" only where git cannot say.
        String commit = built.group(1).replaceFirst("-dirty$", "");
        Path repo = Path.of(System.getProperty("klp.repoRoot", "."));
        if (git(repo, "rev-parse", "--git-dir") == 0) {
            assertTrue(commit.matches("[0-9a-f]{12}"), run.out());
            assertEquals(0, git(repo, "merge-base", "--is-ancestor", commit, "HEAD"), commit + " is in the history");
        } else {
            assertEquals("unknown", built.group(1), run.out());
        }
        assertTrue(lines.get(2).startsWith("Java "), run.out());
    }

    private static int git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    @Test
    void lookupInAKallsymsDumpShowsNoSectionRatherThanTheNmLetter() throws Exception {
        Path kallsyms = Files.writeString(tmp.resolve("kallsyms"), """
                ffffffff81000000 T _stext
                ffffffff81001000 t do_poweroff
                ffffffff81002000 D jiffies
                """);
        Run run = run("lookup", "--no-cache", "--no-project", "--symbols", kallsyms.toString(), "do_poweroff");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        List<String> header = List.of(lines.get(0).split("\\s+"));
        List<String> row = List.of(lines.get(1).split("\\s+"));
        assertEquals("SECTION", header.get(5), run.out());
        assertEquals("do_poweroff", row.get(1), run.out());
        assertEquals("-", row.get(5), "no section is known in a kallsyms dump:\n" + run.out());
    }
}
