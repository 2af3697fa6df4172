// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static dev.klplsp.cli.CheckConvertCommandTest.run;
import static dev.klplsp.cli.CheckConvertCommandTest.withKernel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code klp-lsp migrate FILE.c}: the editor's conversion of run-time lookups as a unified diff, written atomically
 * with -o or --in-place, against the fixture kernel of testdata/example.
 */
class MigrateCommandTest {
    @TempDir
    Path dir;

    private Path copy(String fixture) throws Exception {
        Path source = dir.resolve("patch.c");
        Files.copy(Fixtures.testdata().resolve("c").resolve(fixture).resolve("patch.c"), source);
        return source;
    }

    @Test
    void printsTheConversionAsAUnifiedDiffThatPatchApplies() throws Exception {
        Path source = copy("runtime_table");
        byte[] original = Files.readAllBytes(source);
        CheckConvertCommandTest.Run run = run(withKernel("migrate", source.toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("--- a/" + source + "\n+++ b/" + source + "\n@@ -6,75 +6,46 @@\n"), run.out());
        assertTrue(run.out().contains("\n-static int (*klpe_nr_processes)(void);\n"), run.out());
        assertTrue(run.out().contains("\n+int nr_processes(void) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, nr_processes,"
                + " 0);\n"), run.out());
        assertTrue(run.err().endsWith(source + ": 6 run-time lookups converted to KLP relocations\n"), run.err());
        // Printing writes nothing; the diff applies with patch(1) and gives what --in-place writes.
        assertArrayEquals(original, Files.readAllBytes(source));
        Path patched = dir.resolve("patched.c");
        Files.copy(source, patched);
        Path diff = dir.resolve("migrate.diff");
        Files.writeString(diff, run.out());
        Processes.run(dir, List.of("patch", "-s", patched.toString(), diff.toString()));

        CheckConvertCommandTest.Run inPlace = run(withKernel("migrate", source.toString(), "--in-place"));
        assertEquals(ExitCodes.OK, inPlace.exitCode(), inPlace.err());
        assertTrue(inPlace.err().endsWith("wrote " + source + "\n"), inPlace.err());
        assertEquals(Files.readString(patched), Files.readString(source));
        // Converting the converted file changes nothing.
        CheckConvertCommandTest.Run again = run(withKernel("migrate", source.toString(), "--in-place"));
        assertEquals(ExitCodes.OK, again.exitCode(), again.err());
        assertEquals("", again.out());
        assertTrue(again.err().endsWith(source + ": no run-time lookups to convert\n"), again.err());
    }

    @Test
    void anAmbiguousNameKeepsItsLookupAndNothingIsWritten() throws Exception {
        Path source = copy("runtime_table");
        Files.writeString(source, Files.readString(source).replace(
                "{ \"do_poweroff\", (void *)&klpe_do_poweroff, NULL, 2 },",
                "{ \"do_poweroff\", (void *)&klpe_do_poweroff },"));
        byte[] before = Files.readAllBytes(source);
        Path out = dir.resolve("out.c");
        CheckConvertCommandTest.Run run = run(withKernel("migrate", source.toString(), "-o", out.toString()));
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.err());
        assertTrue(run.err().contains(": error[ambiguous-symbol]: do_poweroff is ambiguous: 2 symbols of that name in"
                + " vmlinux; the run-time lookup binds the first in kallsyms order (vmlinux, c_poweroff.c, t, 0x"),
                run.err());
        assertTrue(run.err().contains("  note: fix: sympos 2 \u2014 vmlinux, d_manage.c, t, 0x"), run.err());
        assertTrue(run.err().contains(source + ": 5 run-time lookups converted to KLP relocations, 1 left as it is"
                + " (above)\n"), run.err());
        assertTrue(run.err().endsWith("nothing written: an error finding above keeps a lookup back (an ambiguous"
                + " name needs its copy chosen first)\n"), run.err());
        // The diff shows the five that can go; the file and the output stay untouched.
        assertTrue(run.out().contains("\n-static int (*klpe_nr_processes)(void);\n"), run.out());
        assertFalse(run.out().contains("-static void (*klpe_do_poweroff)"), run.out());
        assertFalse(Files.exists(out));
        assertArrayEquals(before, Files.readAllBytes(source));
    }

    @Test
    void aKallsymsLookupNameCallThatMustStayKeepsItsErrorAndNothingIsWritten() throws Exception {
        Path source = copy("runtime_lookup_name");
        // The code changes klpe_max_threads itself: that lookup stays, and with it the unexported call.
        Files.writeString(source, Files.readString(source).replace("int klpp_show(void)\n{",
                "void klpp_reset(void)\n{\n\tklpe_max_threads = NULL;\n}\n\nint klpp_show(void)\n{"));
        Path out = dir.resolve("out.c");
        CheckConvertCommandTest.Run run = run(withKernel("migrate", source.toString(), "-o", out.toString()));
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.err());
        assertTrue(run.err().contains(": info[runtime-lookup]: the run-time lookup of max_threads cannot become a KLP"
                + " relocation automatically: the code changes klpe_max_threads itself (line 15)"), run.err());
        assertTrue(run.err().contains(": error[kallsyms-lookup-name]: kallsyms_lookup_name is not exported by this"
                + " kernel"), run.err());
        assertTrue(run.err().contains(source + ": 2 run-time lookups converted to KLP relocations, 1 left as it is"
                + " (above)\n"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputIsAnInputErrorAndBadOptionsAUsageError() throws Exception {
        CheckConvertCommandTest.Run missing = run(withKernel("migrate", dir.resolve("nope.c").toString()));
        assertEquals(ExitCodes.INPUT, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains(dir.resolve("nope.c") + ": ") && missing.err().contains("no such file"),
                missing.err());

        Path source = copy("runtime_lookup_name");
        CheckConvertCommandTest.Run both = run(withKernel("migrate", source.toString(), "-o", "x.c", "--in-place"));
        assertEquals(ExitCodes.USAGE, both.exitCode(), both.err());

        // Bytes that are not UTF-8 would not survive a rewrite: the diff is printed, the file is not touched.
        byte[] latin1 = (Files.readString(source) + "/* caf\u00e9 */\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(source, latin1);
        CheckConvertCommandTest.Run rewrite = run(withKernel("migrate", source.toString(), "--in-place"));
        assertEquals(ExitCodes.INPUT, rewrite.exitCode(), rewrite.err());
        assertTrue(rewrite.err().contains(source + ": is not valid UTF-8; klp-lsp does not rewrite it"), rewrite.err());
        assertTrue(rewrite.out().contains("+#include \"klp_relocs.h\""), rewrite.out());
        assertArrayEquals(latin1, Files.readAllBytes(source));
    }
}
