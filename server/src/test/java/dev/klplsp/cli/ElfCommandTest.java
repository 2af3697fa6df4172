// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.elf.ElfTesting;
import dev.klplsp.elf.ReadelfView;
import dev.klplsp.elf.RealModulesTest;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** `klp-lsp elf` through {@link Main#commandLine}, checked against readelf -SW/-sW/-rW. */
class ElfCommandTest {
    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void jsonMatchesReadelfOnFixtures(Toolchain toolchain) {
        ElfTesting.requireToolchain(toolchain);
        for (String caseName : List.of("elf_sections", "dup_statics")) {
            assertJsonMatchesReadelf(Fixtures.module(caseName, toolchain));
        }
    }

    @Test
    void jsonMatchesReadelfOnRealModules() throws Exception {
        Path kernelDir = ElfTesting.kernelDir();
        List<Path> sample = RealModulesTest.sample(kernelDir);
        for (Path module : List.of(sample.get(0), sample.get(40), sample.get(80))) {
            JsonObject json = assertJsonMatchesReadelf(module);
            assertTrue(json.get("signature").isJsonObject(), "Debian modules are signed: " + module);
        }
    }

    private static JsonObject assertJsonMatchesReadelf(Path file) {
        Run run = run("elf", "--json", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        ReadelfView view = ReadelfView.of(file);

        JsonArray sections = json.getAsJsonArray("sections");
        assertEquals(view.sections().size(), sections.size());
        for (ReadelfView.SectionRow row : view.sections()) {
            JsonObject s = sections.get(row.index()).getAsJsonObject();
            String where = file + " section " + row.index();
            assertEquals(row.index(), s.get("index").getAsInt(), where);
            assertEquals(row.name(), s.get("name").getAsString(), where);
            assertEquals(row.addr(), s.get("addr").getAsLong(), where);
            assertEquals(row.offset(), s.get("offset").getAsLong(), where);
            assertEquals(row.size(), s.get("size").getAsLong(), where);
            assertEquals(row.entsize(), s.get("entsize").getAsLong(), where);
            assertEquals(row.flags(), ElfCommand.flags(s.get("flags").getAsLong()).replace("o", row.flags()
                    .contains("o") ? "o" : ""), where);
            assertEquals(row.link(), s.get("link").getAsInt(), where);
            assertEquals(row.info(), s.get("info").getAsInt(), where);
            assertEquals(row.align(), s.get("addralign").getAsLong(), where);
            assertTrue(s.get("type").isJsonPrimitive() && s.get("type").getAsJsonPrimitive().isNumber(), where);
        }

        JsonArray symbols = json.getAsJsonArray("symbols");
        assertEquals(view.symbols().size(), symbols.size());
        for (ReadelfView.SymbolRow row : view.symbols()) {
            JsonObject s = symbols.get(row.index()).getAsJsonObject();
            String where = file + " symbol " + row.index();
            assertEquals(row.name(), s.get("name").getAsString(), where);
            assertEquals(row.value(), s.get("value").getAsLong(), where);
            assertEquals(row.size(), s.get("size").getAsLong(), where);
            String ndx = row.ndx();
            int expectedShndx = switch (ndx) {
                case "UND" -> 0;
                case "ABS" -> 0xfff1;
                case "COM" -> 0xfff2;
                default -> ndx.startsWith("OS [") ? Integer.parseInt(ndx.substring(6, ndx.length() - 1), 16)
                        : Integer.parseInt(ndx);
            };
            assertEquals(expectedShndx, s.get("shndx").getAsInt(), where);
        }

        JsonArray relocations = json.getAsJsonArray("relocations");
        int next = 0;
        for (ReadelfView.RelocationBlock block : view.relocationBlocks()) {
            for (ReadelfView.RelocationRow row : block.rows()) {
                JsonObject r = relocations.get(next++).getAsJsonObject();
                String where = file + " " + block.section() + " entry " + next;
                assertEquals(block.section(), r.get("section").getAsString(), where);
                assertEquals(row.offset(), r.get("offset").getAsLong(), where);
                assertEquals(row.type(), r.get("typeName").getAsString(), where);
                long symbolIndex = json.get("class").getAsInt() == 64 ? row.info() >>> 32 : row.info() >>> 8;
                assertEquals(symbolIndex, r.get("symbolIndex").getAsLong(), where);
                assertEquals(row.symbolName(), r.get("symbolName").getAsString(), where);
                assertEquals(row.addend(), r.get("addend").getAsLong(), where);
            }
        }
        assertEquals(relocations.size(), next);
        return json;
    }

    @Test
    void textOutputListsSectionsSymbolsRelocationsAndSignature() {
        Path module = Fixtures.module("dup_statics");
        Run run = run("elf", module.toString());
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("Module signature: none"), out);
        assertTrue(out.contains("Relocations in .rela.text ("), out);
        // Both files' statics are there: readelf shows two "homonym" and two "homonym_fn" locals.
        long homonyms = out.lines().filter(l -> l.endsWith(" homonym")).count();
        long readelfHomonyms = Processes.run("readelf", "-sW", module.toString()).lines()
                .filter(l -> l.endsWith(" homonym")).count();
        assertEquals(2, readelfHomonyms);
        assertEquals(readelfHomonyms, homonyms, out);
        // readelf -rW: 0000000000000002  0000000200000002 R_X86_64_PC32  0000000000000000 .data - 4
        assertTrue(out.contains("  0000000000000002 R_X86_64_PC32                 2 .data - 4\n"), out);
    }

    @Test
    void nonRelocatableInputIsAnInputErrorWithExitCode3() throws Exception {
        Path source = Files.writeString(temp.resolve("exe.c"), "void _start(void) { for (;;); }\n");
        Processes.run(temp, List.of("gcc", "-nostdlib", "-static", "-o", "exe", source.toString()));
        Run run = run("elf", temp.resolve("exe").toString());
        assertEquals(ExitCodes.INPUT, run.exitCode());
        assertEquals("klp-lsp: error: " + temp.resolve("exe")
                + ": ET_EXEC (an executable) where a relocatable object (ET_REL) is needed", run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void missingFileIsAnInputError() {
        Run run = run("elf", temp.resolve("absent.ko").toString());
        assertEquals(ExitCodes.INPUT, run.exitCode());
        assertTrue(run.err().startsWith("klp-lsp: error: " + temp.resolve("absent.ko") + ": cannot read"), run.err());
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run("elf").exitCode());
    }

}
