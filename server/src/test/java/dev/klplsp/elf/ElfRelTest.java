// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ELF32 with SHT_REL: the elf_sections sources compiled with {@code gcc -m32} (i386 uses REL, not RELA)
 * and linked with {@code ld -r -m elf_i386}. Fixtures only know 64-bit toolchains, so this test compiles
 * itself.
 */
class ElfRelTest {
    @TempDir
    Path temp;

    private Path module;

    @BeforeEach
    void compileI386() throws Exception {
        Path sources = Fixtures.testdata().resolve("c/elf_sections");
        List<String> link = new ArrayList<>(List.of("ld", "-r", "-m", "elf_i386", "-o", "i386.ko"));
        for (String name : List.of("main.c", "second.c")) {
            Processes.run(temp, List.of("gcc", "-m32", "-c", "-O2", "-fno-pic", "-ffreestanding",
                    "-fno-asynchronous-unwind-tables", "-ffunction-sections", "-fdata-sections", "-g3",
                    "-I", Fixtures.testdata().resolve("include").toString(), "-o", name + ".o",
                    sources.resolve(name).toString()));
            link.add(name + ".o");
        }
        Processes.run(temp, link);
        module = temp.resolve("i386.ko");
    }

    @Test
    void i386ObjectHasRelSectionsAndRoundTripsByteIdentical() throws Exception {
        ElfObject object = ElfObject.read(module);
        assertFalse(object.is64());
        assertEquals(Elf.EM_386, object.machine());
        RelocationSection rel = (RelocationSection) object.findSection(".rel.text.main_entry").orElseThrow();
        assertFalse(rel.isRela());
        assertEquals(8, rel.entsize());

        Path output = temp.resolve("out.ko");
        object.write(output);
        ElfTesting.assertSameReadelf("-aW", module, output);
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(output));

        // Our decoded entries agree with readelf: offset, type name, symbol name (REL has no addend).
        var rows = ReadelfView.of(module).relocations(".rel.text.main_entry");
        assertEquals(rows.size(), rel.relocations().size());
        for (int i = 0; i < rows.size(); i++) {
            Relocation ours = rel.relocations().get(i);
            assertEquals(rows.get(i).offset(), ours.offset());
            assertEquals(rows.get(i).type(), RelocTypes.name(Elf.EM_386, ours.type()));
            assertEquals(rows.get(i).symbolName(), ours.symbol() == null ? "" : ours.symbol().displayName());
        }
    }

    @Test
    void addedRelSectionIsWrittenWithElf32Entries() {
        ElfObject object = ElfObject.read(module);
        Section text = object.findSection(".text.second_entry").orElseThrow();
        SymbolTable symtab = object.symbolTable().orElseThrow();
        Symbol target = symtab.add(Symbol.special("added_target", Elf.STB_GLOBAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_UNDEF));
        RelocationSection rel = object.addSection(RelocationSection.create(object, ".rel.added", false, 0, text));
        assertEquals(8, rel.entsize());
        assertEquals(4, rel.addralign());
        rel.relocations().add(new Relocation(0x10, 1 /* R_386_32 */, target, 0));
        Path output = temp.resolve("added.ko");
        object.write(output);

        String readelf = Processes.run("readelf", "-rW", output.toString());
        // Relocation section '.rel.added' at offset 0x... contains 1 entry:
        //  Offset     Info    Type                Sym. Value  Symbol's Name
        // 00000010  00003301 R_386_32               00000000   added_target
        int index = symtab.indexOf(target);
        String expected = String.format("00000010  %08x R_386_32               00000000   added_target", index << 8 | 1);
        assertTrue(readelf.contains("Relocation section '.rel.added' at offset"), readelf);
        assertTrue(readelf.contains(expected), expected + "\n" + readelf);
        String sections = Processes.run("readelf", "-SW", output.toString());
        //   [NN] .rel.added        REL             00000000 00xxxx 000008 08   I LL  9  4
        List<String> lines = ElfTesting.lines(sections, ".rel.added");
        assertTrue(lines.get(0).matches("\\[\\d+\\] \\.rel\\.added +REL +00000000 [0-9a-f]{6} 000008 08   I \\d+ +"
                + object.indexOf(text) + "  4"), lines.get(0));
    }
}
