// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.KlpException;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gives an {@link ElfFormatException} naming the file and the problem, leaves the input
 * untouched and writes nothing. Corruptions are applied to a gcc-built module at offsets found from its
 * real headers.
 */
class ElfMalformedInputTest {
    @TempDir
    Path temp;

    private final Path module = Fixtures.module("elf_sections");

    /** Reads {@code file}, expecting a format error whose message contains every fragment. */
    private ElfFormatException assertRejected(Path file, String... fragments) throws IOException {
        byte[] before = Files.readAllBytes(file);
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfObject.read(file));
        assertTrue(error instanceof KlpException);
        assertTrue(error.getMessage().startsWith(file + ": "), error.getMessage());
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "'" + fragment + "' not in: " + error.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file), "input must be untouched");
        try (Stream<Path> files = Files.list(temp)) {
            List<Path> others = files.filter(p -> !p.equals(file) && !Files.isDirectory(p)
                    && !p.getFileName().toString().matches(".*\\.(c|o|so)$|exe")).toList();
            assertTrue(others.isEmpty(), "no output or temp file may be left: " + others);
        }
        return error;
    }

    /** A copy of the module with a corruption applied to its bytes, located through its parsed headers. */
    private Path corrupt(String name, BiConsumer<ByteBuffer, RawElf> change) throws IOException {
        byte[] bytes = Files.readAllBytes(module);
        RawElf raw = RawElf.parse(module, ByteBuffer.wrap(bytes), bytes.length);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        change.accept(buffer, raw);
        Path file = temp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static RawElf.Header header(RawElf raw, String name) {
        return Arrays.stream(raw.sections).filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    private static int headerOffset(RawElf raw, RawElf.Header h) {
        return (int) (raw.shoff + 64L * h.index());
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(temp.resolve("empty.ko"), new byte[0]);
        assertRejected(file, "empty file (0 bytes), not an ELF object");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path file = Files.write(temp.resolve("short.ko"), Arrays.copyOf(Files.readAllBytes(module), 40));
        assertRejected(file, "truncated: file is 40 bytes, ELF64 header needs 64");
    }

    @Test
    void truncatedFileLosesTheSectionHeaderTable() throws IOException {
        byte[] bytes = Files.readAllBytes(module);
        Path file = Files.write(temp.resolve("half.ko"), Arrays.copyOf(bytes, bytes.length / 2));
        assertRejected(file, "section header table", "lies past the end of the file (size 0x"
                + Integer.toHexString(bytes.length / 2) + ")");
    }

    @Test
    void wrongMagic() throws IOException {
        Path file = Files.writeString(temp.resolve("text.ko"), "#!/bin/sh\necho this is not an ELF object\n");
        assertRejected(file, "not an ELF file (magic 7f 45 4c 46 expected, found 23 21 2f 62)");
    }

    @Test
    void executableIsNotRelocatable() throws IOException {
        Path source = Files.writeString(temp.resolve("exe.c"), "void _start(void) { for (;;); }\n");
        Processes.run(temp, List.of("gcc", "-nostdlib", "-static", "-o", "exe", source.toString()));
        assertRejected(temp.resolve("exe"), "ET_EXEC (an executable) where a relocatable object (ET_REL) is needed");
    }

    @Test
    void sharedObjectIsNotRelocatable() throws IOException {
        Path source = Files.writeString(temp.resolve("lib.c"), "int shared_function(void) { return 1; }\n");
        Processes.run(temp, List.of("gcc", "-shared", "-fPIC", "-nostdlib", "-o", "lib.so", source.toString()));
        assertRejected(temp.resolve("lib.so"), "ET_DYN (a shared object) where a relocatable object (ET_REL) is needed");
    }

    @Test
    void sectionDataPastEndOfFile() throws IOException {
        Path file = corrupt("data-past-eof.ko", (b, raw) -> {
            RawElf.Header text = header(raw, ".rela.text.main_entry");
            b.putLong(headerOffset(raw, text) + 24, raw.size - 0x10);
        });
        assertRejected(file, "section 8 (.rela.text.main_entry) data [0x", ", +0xc0) lies past the end of the file");
    }

    @Test
    void symbolSectionIndexOutOfRange() throws IOException {
        Path file = corrupt("bad-shndx.ko", (b, raw) -> {
            RawElf.Header symtab = header(raw, ".symtab");
            int symbol = 33; // local_helper
            b.putShort((int) (symtab.offset() + 24L * symbol + 6), (short) 200);
        });
        assertRejected(file, "symbol 33 (local_helper) refers to section 200, but there are 48 sections");
    }

    @Test
    void relocationSymbolIndexOutOfRange() throws IOException {
        Path file = corrupt("bad-rsym.ko", (b, raw) -> {
            RawElf.Header rela = header(raw, ".rela.text.main_entry");
            long info = b.getLong((int) rela.offset() + 8);
            b.putLong((int) rela.offset() + 8, (9999L << 32) | (info & 0xffffffffL));
        });
        assertRejected(file, "relocation 0 of .rela.text.main_entry refers to symbol 9999, but .symtab has 50 symbols");
    }

    @Test
    void symbolNameOffsetPastStringTable() throws IOException {
        Path file = corrupt("bad-stname.ko", (b, raw) -> {
            RawElf.Header symtab = header(raw, ".symtab");
            b.putInt((int) (symtab.offset() + 24L * 33), 0x7fff0);
        });
        assertRejected(file, "symbol 33 name offset 0x7fff0 is past the end of .strtab");
    }

    @Test
    void badRelocationLink() throws IOException {
        Path file = corrupt("bad-link.ko", (b, raw) -> {
            RawElf.Header rela = header(raw, ".rela.text.main_entry");
            b.putInt(headerOffset(raw, rela) + 40, 7); // sh_link -> .text.main_entry
        });
        assertRejected(file, "section 8 (.rela.text.main_entry) has sh_link 7 (PROGBITS), but a SYMTAB section is expected");
    }

    @Test
    void badRelocationInfo() throws IOException {
        Path file = corrupt("bad-info.ko", (b, raw) -> {
            RawElf.Header rela = header(raw, ".rela.text.main_entry");
            b.putInt(headerOffset(raw, rela) + 44, 4000);
        });
        assertRejected(file, "section 8 (.rela.text.main_entry) applies to section (sh_info) 4000, out of range (48 sections)");
    }

    @Test
    void symbolTableEntsizeMismatch() throws IOException {
        Path file = corrupt("bad-entsize.ko", (b, raw) -> {
            RawElf.Header symtab = header(raw, ".symtab");
            b.putLong(headerOffset(raw, symtab) + 56, 16);
        });
        assertRejected(file, "(.symtab) has sh_entsize 16, but ELF64 symbols are 24 bytes");
    }

    @Test
    void relocationEntsizeZeroDoesNotReachJelf() throws IOException {
        Path file = corrupt("entsize-zero.ko", (b, raw) -> {
            RawElf.Header rela = header(raw, ".rela.text.main_entry");
            b.putLong(headerOffset(raw, rela) + 56, 0);
        });
        assertRejected(file, "(.rela.text.main_entry) has sh_entsize 0, but ELF64 Rela entries are 24 bytes");
    }

    @Test
    void moreThan32767SectionsIsReportedNotCrashed() throws IOException {
        String source = IntStream.range(0, 40_000)
                .mapToObj(i -> "__attribute__((section(\".s" + i + "\"))) int v" + i + " = " + i + ";")
                .collect(Collectors.joining("\n"));
        Path c = Files.writeString(temp.resolve("many.c"), source);
        Processes.run(temp, List.of("gcc", "-c", "-o", "many.o", c.toString()));
        ElfFormatException error = assertRejected(temp.resolve("many.o"), "more than 32,767 sections (40,009) is not supported");
        assertFalse(error.getMessage().contains("Exception"), error.getMessage());
        // The symbol-only reader has no such limit.
        assertEquals(40_009, ElfSymbolFile.read(temp.resolve("many.o")).sections().size());
    }

    @Test
    void extendedSectionNumberingIsReportedAsUnsupported() throws IOException {
        String source = IntStream.range(0, 66_000)
                .mapToObj(i -> "__attribute__((section(\".s" + i + "\"))) int v" + i + " = " + i + ";")
                .collect(Collectors.joining("\n"));
        Path c = Files.writeString(temp.resolve("huge.c"), source);
        Processes.run(temp, List.of("gcc", "-c", "-o", "huge.o", c.toString()));
        assertRejected(temp.resolve("huge.o"), "extended section numbering (e_shnum 0, 66,010 sections counted in section 0)",
                "is not supported");
        // ElfSymbolFile follows extended numbering (e_shnum 0, e_shstrndx SHN_XINDEX, SHT_SYMTAB_SHNDX).
        ElfSymbolFile symbols = ElfSymbolFile.read(temp.resolve("huge.o"));
        assertEquals(66_010, symbols.sections().size());
        ElfSymbolFile.SymbolEntry last = symbols.symbols().stream().filter(s -> s.name().equals("v65999"))
                .findFirst().orElseThrow();
        assertEquals(".s65999", symbols.sections().get(last.shndx()).name());
        //  66011: 0000000000000000     4 OBJECT  GLOBAL DEFAULT 66003 v65999 (readelf resolves SHN_XINDEX too)
        String readelf = Processes.run("readelf", "-sW", temp.resolve("huge.o").toString());
        assertTrue(ElfTesting.lines(readelf, " v65999").get(0).endsWith(last.shndx() + " v65999"),
                ElfTesting.lines(readelf, " v65999").toString());
    }
}
