// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and writing an unmodified object gives the same file, for every fixture and toolchain. */
class ElfRoundTripTest {
    @TempDir
    Path temp;

    static Stream<Arguments> fixtures() {
        return Toolchain.ALL.stream().flatMap(tc -> ElfTesting.CASES.stream().map(c -> Arguments.of(tc, c)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("fixtures")
    void unmodifiedWriteOfALinkedModuleIsByteIdenticalAndReadelfIdentical(Toolchain toolchain, String caseName)
            throws Exception {
        ElfTesting.requireToolchain(toolchain);
        Path input = Fixtures.module(caseName, toolchain);
        byte[] before = Files.readAllBytes(input);
        ElfObject object = ElfObject.read(input);
        Path output = temp.resolve(caseName + ".ko");
        WriteResult result = object.write(output);

        assertFalse(result.signatureDropped());
        ModelAssertions.assertModelMatchesReadelf(object, ReadelfView.of(input));
        ElfTesting.assertSameReadelf("-aW", input, output);
        assertArrayEquals(before, Files.readAllBytes(output), "unmodified write must be byte-identical");
        assertArrayEquals(before, Files.readAllBytes(input), "the input must be untouched");
    }

    @ParameterizedTest(name = "{1} objects on {0}")
    @MethodSource("fixtures")
    void unmodifiedWriteOfEachCompiledObjectIsByteIdentical(Toolchain toolchain, String caseName) throws Exception {
        ElfTesting.requireToolchain(toolchain);
        Path dir = Fixtures.build(caseName, toolchain);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path object : files.filter(p -> p.toString().endsWith(".o")).sorted().toList()) {
                Path output = temp.resolve(object.getFileName());
                ElfObject.read(object).write(output);
                ElfTesting.assertSameReadelf("-aW", object, output);
                assertArrayEquals(Files.readAllBytes(object), Files.readAllBytes(output), object.toString());
            }
        }
    }

    /**
     * A symbol name that is not UTF-8 (gcc writes an asm label's bytes as they are) reads with U+FFFD, which encodes
     * to other bytes: the writer keeps the name's own bytes instead of appending a different name.
     */
    @Test
    void aSymbolNameThatIsNotUtf8KeepsItsBytes() throws Exception {
        Path input = Fixtures.moduleFromSources("not_utf8_name", Map.of("not_utf8.c", """
                int bad_name __asm__("bad\\xff\\xfe_name") = 2;
                int use(void) { return bad_name; }
                """));
        byte[] before = Files.readAllBytes(input);
        ElfObject object = ElfObject.read(input);
        assertTrue(object.symbolTable().orElseThrow().symbols().stream()
                .anyMatch(symbol -> symbol.name().equals("bad\ufffd\ufffd_name")), "the name as read");
        Path output = temp.resolve("not_utf8_name.ko");
        object.write(output);
        assertArrayEquals(before, Files.readAllBytes(output), "unmodified write must be byte-identical");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void comdatGroupsFromDebugMacroInfoAreDecoded(Toolchain toolchain) {
        ElfTesting.requireToolchain(toolchain);
        Path input = Fixtures.module("elf_sections", toolchain);
        ElfObject object = ElfObject.read(input);
        var groups = object.sectionsOfType(Elf.SHT_GROUP);
        assertFalse(groups.isEmpty(), "gcc -g3 puts .debug_macro into COMDAT groups");
        String readelf = ElfTesting.readelf("-gW", input);
        for (Section section : groups) {
            GroupSection group = (GroupSection) section;
            assertEquals(Elf.GRP_COMDAT, group.groupFlags());
            // COMDAT group section [    1] `.group' [wm4.0.07cd...] contains 2 sections:
            String expected = "COMDAT group section [" + String.format("%5d", object.indexOf(group)) + "] `.group' ["
                    + group.signature().name() + "] contains " + group.members().size() + " sections:";
            assertTrue(readelf.contains(expected), expected + "\n" + readelf);
        }
    }

    static Stream<Toolchain> toolchains() {
        return Toolchain.ALL.stream();
    }
}
