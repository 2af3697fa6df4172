// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check, convert and header commands as a user runs them: output, exit codes, files written or not. */
class CheckConvertCommandTest {
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] withKernel(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kernel", FixtureKernel.kernelDir().toString(), "--no-cache"));
        return all.toArray(String[]::new);
    }

    @Test
    void checkPrintsCompilerStyleFindingsWithCandidatesAndExitsOneOnErrors() {
        Path module = Fixtures.module("klp_ambiguous");
        Run run = run(withKernel("check", module.toString()));
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.err());
        assertTrue(run.out().contains(module + ": error[ambiguous-symbol]: do_poweroff is ambiguous: 2 symbols of that name in vmlinux"), run.out());
        assertTrue(run.out().matches("(?s).*\n  note: candidate sympos 1: vmlinux do_poweroff \\(t, c_poweroff\\.c,"
                + " \\.text, 0xffffffff810000[0-9a-f]{2}\\)\n.*"), run.out());
        assertTrue(run.out().contains("  note: candidate sympos 2: vmlinux do_poweroff (t, d_manage.c, .text, 0x"),
                run.out());
        assertTrue(run.out().contains("  note: the kernel would say: livepatch: unresolvable ambiguity for symbol"
                + " 'do_poweroff' in object '(null)'"), run.out());
    }

    @Test
    void checkJsonHasFindingsWithCodeSeverityAndCandidates() {
        Run run = run(withKernel("check", Fixtures.module("klp_ambiguous").toString(), "--json"));
        assertEquals(ExitCodes.FINDINGS, run.exitCode());
        JsonObject root = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(1, root.get("schemaVersion").getAsInt());
        JsonArray findings = root.getAsJsonArray("findings");
        JsonObject finding = findings.get(0).getAsJsonObject();
        assertEquals("ambiguous-symbol", finding.get("code").getAsString());
        assertEquals("error", finding.get("severity").getAsString());
        assertEquals("do_poweroff", finding.get("symbol").getAsString());
        assertEquals("vmlinux", finding.get("object").getAsString());
        JsonArray candidates = finding.getAsJsonArray("candidates");
        assertEquals(2, candidates.get(1).getAsJsonObject().get("sympos").getAsInt());
        assertEquals("d_manage.c", candidates.get(1).getAsJsonObject().get("sourceFile").getAsString());
        assertEquals(".text", finding.getAsJsonObject("location").get("section").getAsString());
        assertEquals(1, root.getAsJsonObject("summary").get("errors").getAsInt());
    }

    @Test
    void checkOfACleanModuleExitsZeroWithWarnings() {
        Run run = run(withKernel("check", Fixtures.module("klp_basic").toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("warning[function-symbol-risk]"), run.out());
        assertTrue(run.out().contains("0 errors, 1 warning, 0 notes; 3 symbols to convert"), run.out());
    }

    @Test
    void convertWritesNothingWhenThereAreErrors(@TempDir Path dir) throws Exception {
        Path module = Fixtures.module("klp_ambiguous");
        byte[] before = Files.readAllBytes(module);
        Path out = dir.resolve("out.ko");
        Run run = run(withKernel("convert", module.toString(), "-o", out.toString()));
        assertEquals(ExitCodes.FINDINGS, run.exitCode());
        assertTrue(run.out().contains("not converted, nothing written"), run.out());
        assertFalse(Files.exists(out));
        assertArrayEquals(before, Files.readAllBytes(module));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void convertWithSymposOptionWritesTheOutputAndLeavesTheInput(@TempDir Path dir) throws Exception {
        Path module = Fixtures.module("klp_ambiguous");
        byte[] before = Files.readAllBytes(module);
        Path out = dir.resolve("out.ko");
        Run run = run(withKernel("convert", module.toString(), "-o", out.toString(), "--sympos",
                "do_poweroff=vmlinux:2"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("wrote " + out + ": 1 symbols converted, 1 relocations moved;"
                + " .klp.rela.vmlinux..text: 1"), run.out());
        assertTrue(Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(".klp.sym.vmlinux.do_poweroff,2"));
        assertArrayEquals(before, Files.readAllBytes(module));
    }

    @Test
    void convertInPlaceOfAConvertedModuleLeavesTheFileAlone(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("basic.ko");
        Files.copy(Fixtures.module("klp_basic"), copy);
        assertEquals(ExitCodes.OK, run(withKernel("convert", copy.toString(), "--in-place")).exitCode());
        byte[] converted = Files.readAllBytes(copy);
        FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(copy, stamp);
        Run again = run(withKernel("convert", copy.toString(), "--in-place"));
        assertEquals(ExitCodes.OK, again.exitCode(), again.out());
        assertTrue(again.out().contains("already converted, unchanged"), again.out());
        assertArrayEquals(converted, Files.readAllBytes(copy));
        assertEquals(stamp, Files.getLastModifiedTime(copy));
    }

    @Test
    void symposFileErrorsNameFileAndLine(@TempDir Path dir) throws Exception {
        Path choices = dir.resolve("choices.txt");
        Files.writeString(choices, "# choices\ndo_poweroff=vmlinux:2\nbroken line\n");
        Run run = run(withKernel("check", Fixtures.module("klp_ambiguous").toString(), "--sympos-file",
                choices.toString()));
        assertEquals(ExitCodes.INPUT, run.exitCode());
        assertTrue(run.err().contains(choices + ":3: expected NAME=OBJECT:SYMPOS"), run.err());

        Files.writeString(choices, "# choices\ndo_poweroff=vmlinux:2   # manage.c\n");
        Run good = run(withKernel("check", Fixtures.module("klp_ambiguous").toString(), "--sympos-file",
                choices.toString()));
        assertEquals(ExitCodes.OK, good.exitCode(), good.out() + good.err());
    }

    @Test
    void usageAndInputErrorsHaveTheirExitCodes(@TempDir Path dir) throws Exception {
        assertEquals(ExitCodes.USAGE, run(withKernel("check", Fixtures.module("klp_basic").toString(), "--sympos",
                "do_poweroff")).exitCode());
        assertEquals(ExitCodes.USAGE, run(withKernel("convert", Fixtures.module("klp_basic").toString())).exitCode(),
                "-o or --in-place is required");
        assertEquals(ExitCodes.USAGE, run("check", Fixtures.module("klp_basic").toString()).exitCode(),
                "a kernel is required");
        Path garbage = dir.resolve("garbage.ko");
        Files.writeString(garbage, "not an ELF file");
        Run bad = run(withKernel("check", garbage.toString()));
        assertEquals(ExitCodes.INPUT, bad.exitCode());
        assertTrue(bad.err().contains(garbage.toString()), bad.err());
    }

    @Test
    void a32BitObjectWithRelSectionsIsRefusedAsInputAndNothingIsWritten(@TempDir Path dir) throws Exception {
        // i386 objects carry SHT_REL; livepatch only applies SHT_RELA KLP relocations.
        Path object = dir.resolve("i386.o");
        dev.klplsp.testing.Processes.run(dir, List.of("gcc", "-m32", "-O2", "-fno-pic", "-c", "-I",
                Fixtures.testdata().resolve("include").toString(), "-o", object.toString(),
                Fixtures.testdata().resolve("c/hello/hello.c").toString()));
        Path out = dir.resolve("out.ko");
        Run run = run(withKernel("convert", object.toString(), "-o", out.toString()));
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(object + ": .rel.text holds SHT_REL relocations"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void headerPrintsTheAnnotationMacros() {
        Run run = run("header");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().contains("#define KLP_MODULE_RELOC(obj)"), run.out());
        assertTrue(run.out().contains("#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS)"));
    }

    /** The README's first command: the bundled example checked and converted against the bundled kernel. */
    @Test
    void bundledExampleConvertsAgainstTheBundledKernel(@TempDir Path dir) {
        Path out = dir.resolve("livepatch-example.klp.ko");
        Run run = run("convert", FixtureKernel.exampleModule().toString(), "--kernel",
                FixtureKernel.kernelDir().toString(), "--no-cache", "-o", out.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("4 symbols converted"), run.out());
        assertTrue(run.out().contains("candidate sympos 2: vmlinux do_poweroff (t, d_manage.c"), run.out());
        Run check = run("check", out.toString(), "--kernel", FixtureKernel.kernelDir().toString(), "--no-cache");
        assertEquals(ExitCodes.OK, check.exitCode(), check.out());
        assertTrue(check.out().contains("0 symbols to convert"), check.out());
    }

    /** The example and two builds of its kernel: kernel-next has one more do_poweroff before manage.c's. */
    static String[] withTwoKernels(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kernel", FixtureKernel.kernelDir().toString(), "--kernel",
                FixtureKernel.nextKernelDir().toString(), "--no-cache"));
        return all.toArray(String[]::new);
    }

    @Test
    void checkAgainstTwoKernelsSaysWhereEachFindingHoldsAndExitsWithTheWorst() {
        Path module = FixtureKernel.exampleModule();
        Run run = run(withTwoKernels("check", module.toString()));
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains(module + ": error[sympos-moved]: do_poweroff: sympos 2 is the copy file"
                + " d_manage.c in kernel, but that copy is sympos 3 in kernel-next; pin it by identity: do_poweroff ="
                + " vmlinux, file d_manage.c\n  note: in kernel-next (not in kernel)\n"), run.out());
        assertTrue(run.out().contains("  note: or choose on the command line: --sympos 'do_poweroff=vmlinux, file"
                + " d_manage.c'"), run.out());
        assertTrue(run.out().contains(module + " [kernel]: 0 errors, 2 warnings, 0 notes; 4 symbols to convert"),
                run.out());
        assertTrue(run.out().contains(module + " [kernel-next]: 1 error, 2 warnings, 0 notes; 4 symbols to convert"),
                run.out());
        // A finding that holds in both kernels is printed once, without a note.
        assertEquals(1, run.out().split("reference to function nr_processes in vmlinux:", -1).length - 1, run.out());
    }

    @Test
    void checkJsonAgainstTwoKernelsGivesFindingsPerKernel() {
        Run run = run(withTwoKernels("check", FixtureKernel.exampleModule().toString(), "--json"));
        JsonObject root = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonArray kernels = root.getAsJsonArray("kernels");
        assertEquals(2, kernels.size());
        assertEquals("kernel", kernels.get(0).getAsJsonObject().get("kernel").getAsString());
        assertEquals(0, kernels.get(0).getAsJsonObject().getAsJsonObject("summary").get("errors").getAsInt());
        assertEquals(1, kernels.get(1).getAsJsonObject().getAsJsonObject("summary").get("errors").getAsInt());
        JsonObject moved = root.getAsJsonArray("findings").asList().stream().map(JsonObject.class::cast)
                .filter(f -> f.get("code").getAsString().equals("sympos-moved")).findFirst().orElseThrow();
        assertEquals("[\"kernel-next\"]", moved.getAsJsonArray("kernels").toString());
        assertEquals("file d_manage.c", moved.getAsJsonArray("fixes").get(0).getAsJsonObject().get("pin")
                .getAsString());
    }

    @Test
    void convertForTwoKernelsWithAPinWritesOneOutputPerKernel(@TempDir Path dir) throws Exception {
        Path choices = dir.resolve("choices.txt");
        Files.writeString(choices, "do_poweroff = vmlinux, file d_manage.c   # drivers/xen/manage.c\n");
        Run run = run(withTwoKernels("convert", FixtureKernel.exampleModule().toString(), "--sympos-file",
                choices.toString(), "-o", dir.resolve("{kernel}/livepatch-example.ko").toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        String first = Files.readString(dir.resolve("kernel/livepatch-example.ko"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        String next = Files.readString(dir.resolve("kernel-next/livepatch-example.ko"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(first.contains(".klp.sym.vmlinux.do_poweroff,2") && !first.contains("do_poweroff,3"));
        assertTrue(next.contains(".klp.sym.vmlinux.do_poweroff,3") && !next.contains("do_poweroff,2"));

        // Numbers only: the first kernel's output is written, the other is blocked; the exit status is the worst.
        Path numbered = dir.resolve("numbered");
        Run blocked = run(withTwoKernels("convert", FixtureKernel.exampleModule().toString(), "-o",
                numbered.resolve("{kernel}.ko").toString()));
        assertEquals(ExitCodes.FINDINGS, blocked.exitCode(), blocked.out());
        assertTrue(Files.exists(numbered.resolve("kernel.ko")));
        assertFalse(Files.exists(numbered.resolve("kernel-next.ko")));
        assertTrue(blocked.out().contains("[kernel-next]: 1 error, 2 warnings, 0 notes; not converted, nothing"
                + " written"), blocked.out());
    }

    @Test
    void severalKernelsNeedOneOutputEachAndTheirFilesAfterTheirKernel(@TempDir Path dir) {
        Run oneOutput = run(withTwoKernels("convert", FixtureKernel.exampleModule().toString(), "-o",
                dir.resolve("out.ko").toString()));
        assertEquals(ExitCodes.USAGE, oneOutput.exitCode());
        assertTrue(oneOutput.err().contains("2 kernels need one output each: put {kernel} in the output"),
                oneOutput.err());
        Run before = run("check", FixtureKernel.exampleModule().toString(), "--symvers",
                FixtureKernel.kernelDir().resolve("Module.symvers").toString(), "--kernel",
                FixtureKernel.kernelDir().toString(), "--kernel", FixtureKernel.nextKernelDir().toString());
        assertEquals(ExitCodes.USAGE, before.exitCode());
        assertTrue(before.err().contains("comes before the first --kernel"), before.err());
        // Each --symvers after its own --kernel is fine.
        Run grouped = run("check", FixtureKernel.exampleModule().toString(), "--no-cache", "--kernel",
                FixtureKernel.kernelDir().toString(), "--symvers",
                FixtureKernel.kernelDir().resolve("Module.symvers").toString(), "--kernel",
                FixtureKernel.nextKernelDir().toString(), "--symvers",
                FixtureKernel.nextKernelDir().resolve("Module.symvers").toString());
        assertEquals(ExitCodes.FINDINGS, grouped.exitCode(), grouped.err());
    }
}
