// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfFormatException;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Broken debug information is an input error naming the file, the section and the offset — hand-written
 * DWARF assembled by gcc (testdata/c/dwarf_malformed, one object per problem), and gcc-built modules with one
 * field overwritten — and absurd sizes are refused before anything is allocated for them.
 */
class DwarfMalformedInputTest {
    @TempDir
    Path temp;

    private static Path malformed(String name) {
        return Fixtures.build("dwarf_malformed", Toolchain.X86_64).resolve(name + ".o");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated_unit      | .debug_info | 0x0    | unit length 0x1000 runs past the end of the section (size 0x",
        "bad_version         | .debug_info | 0x4    | unit version 9 (2 to 5 expected)",
        "unknown_form        | .debug_info | 0xd    | unknown attribute form 0x7f",
        "unknown_code        | .debug_info | 0xd    | abbreviation code 9 is not in the unit's table",
        "sibling_backwards   | .debug_info | 0xd    | DW_AT_sibling 0xc does not point forward inside the unit",
        "deep_nesting        | .debug_info | 0x100d | DIEs nested deeper than 4096 levels",
        "bad_strp            | .debug_str  | 0x5000 | string offset is past the end of the section (size 0x6)",
        "unterminated_string | .debug_info | 0xc    | DIE runs past the end of its unit [0x0, 0x10)",
    })
    void brokenDebugInfoNamesFileSectionAndOffset(String name, String section, String offset, String message) {
        Path object = malformed(name);
        DwarfFormatException e = assertThrows(DwarfFormatException.class,
                () -> DebugInfo.read(ElfSectionFile.open(object), 2));
        assertEquals(section, e.section());
        assertEquals(Long.decode(offset), e.offset());
        String expected = object + ": " + section + " at offset " + offset + ": " + message;
        assertTrue(e.getMessage().startsWith(expected), e.getMessage() + "\nexpected to start with\n" + expected);
    }

    @Test
    void aFileWithoutDebugInformationSaysWhatToInstall() {
        Path object = malformed("no_debug_info");
        DwarfFormatException e = assertThrows(DwarfFormatException.class,
                () -> DebugInfo.read(ElfSectionFile.open(object), 1));
        assertEquals(object + ": .debug_info at offset 0x0: the file has no debug information (no .debug_info"
                + " section; a kernel built with CONFIG_DEBUG_INFO, or the distribution's debug package, has it)",
                e.getMessage());
    }

    @Test
    void aDirectoryIsNotRead() {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfSectionFile.open(temp));
        assertEquals(temp + ": not a regular file", e.getMessage());
    }

    /** A relocation of .debug_info whose offset lies past the section. */
    @Test
    void aRelocationOutsideItsSectionIsAnElfError() throws Exception {
        Path module = Fixtures.module("dwarf_facts", Toolchain.X86_64);
        byte[] bytes = Files.readAllBytes(module);
        SectionHeader rela = SectionHeader.of(module, ".rela.debug_info");
        // Elf64_Rela: r_offset first.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) rela.offset, 0x7fff_fff0L);
        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> DebugInfo.read(ElfSectionFile.of(module, bytes), 1));
        assertTrue(e.getMessage().startsWith(module + String.format(": at offset 0x%x: section %d (.rela.debug_info)"
                + " entry 0: offset 0x7ffffff0 lies outside section ", rela.offset, rela.index)), e.getMessage());
    }

    /** A zstd-compressed .debug_info whose header claims 64 GiB: refused, nothing allocated. */
    @Test
    void aCompressedSectionClaimingAbsurdSizeIsRefused() throws Exception {
        Path module = Fixtures.module("dwarf_facts", Toolchain.X86_64);
        Path compressed = temp.resolve("compressed.ko");
        Processes.run(null, List.of("objcopy", "--compress-debug-sections=zstd", module.toString(),
                compressed.toString()));
        byte[] bytes = Files.readAllBytes(compressed);
        SectionHeader info = SectionHeader.of(compressed, ".debug_info");
        // Elf64_Chdr: ch_type, ch_reserved, ch_size.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) info.offset + 8, 64L << 30);
        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> DebugInfo.read(ElfSectionFile.of(compressed, bytes), 1));
        assertTrue(e.getMessage().matches(".*: at offset 0x[0-9a-f]+: section \\d+ \\(\\.debug_info\\) claims"
                + " 68,719,476,736 decompressed bytes from [0-9,]+ compressed; more than [0-9,]+ is refused"),
                e.getMessage());
    }

    /** Corrupt compressed data is an error, not a crash of the decompressor. */
    @Test
    void corruptCompressedDataIsAnError() throws Exception {
        Path module = Fixtures.module("dwarf_facts", Toolchain.X86_64);
        for (String kind : List.of("zlib", "zstd")) {
            Path compressed = temp.resolve(kind + ".ko");
            Processes.run(null, List.of("objcopy", "--compress-debug-sections=" + kind, module.toString(),
                    compressed.toString()));
            byte[] bytes = Files.readAllBytes(compressed);
            SectionHeader info = SectionHeader.of(compressed, ".debug_info");
            for (int i = 24; i < 40; i++) {
                bytes[(int) info.offset + i] = (byte) 0xa5;
            }
            KlpException e = assertThrows(KlpException.class,
                    () -> DebugInfo.read(ElfSectionFile.of(compressed, bytes), 1));
            assertTrue(e.getMessage().contains("(.debug_info): corrupt " + kind + " data")
                    || e.getMessage().contains("(.debug_info): " + kind + " data"), e.getMessage());
        }
    }

    /** A section's index and file offset, from readelf (the oracle, not our reader). */
    record SectionHeader(int index, long offset) {
        static SectionHeader of(Path file, String name) {
            for (String line : Processes.run("readelf", "-SW", file.toString()).split("\n")) {
                String trimmed = line.replace("[ ", "[").trim();
                String[] fields = trimmed.split("\\s+");
                if (fields.length > 4 && fields[1].equals(name)) {
                    return new SectionHeader(Integer.parseInt(fields[0].replaceAll("[\\[\\]]", "")),
                            Long.parseLong(fields[4], 16));
                }
            }
            throw new AssertionError("no section " + name + " in " + file);
        }
    }
}
