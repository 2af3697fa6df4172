// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutations of a gcc-built module, each checked with readelf: the re-indexed file must mean the same as the
 * input plus exactly the change (compared index-free via {@link ReadelfView#semantic()}).
 */
class ElfMutationTest {
    @TempDir
    Path temp;

    private final Path input = Fixtures.module("elf_sections");

    private Path write(ElfObject object) {
        Path output = temp.resolve("out.ko");
        object.write(output);
        return output;
    }

    private static Symbol symbol(ElfObject object, String name) {
        return object.symbolTable().orElseThrow().findSymbol(name).orElseThrow();
    }

    private static Section section(ElfObject object, String name) {
        return object.findSection(name).orElseThrow();
    }

    private static List<String> replace(List<String> lines, UnaryOperator<String> change) {
        return lines.stream().map(change).toList();
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    @Test
    void renamingASymbolAppendsTheNewNameAndKeepsTheOldString() {
        ElfObject object = ElfObject.read(input);
        long strtabSize = section(object, ".strtab").size();
        symbol(object, "main_entry").setName("main_entry_v2");
        Path output = write(object);

        // 48: 0000000000000000    71 FUNC    GLOBAL DEFAULT    7 main_entry_v2
        String symbols = ElfTesting.readelf("-sW", output);
        assertEquals(List.of("48: 0000000000000000    71 FUNC    GLOBAL DEFAULT    7 main_entry_v2"),
                ElfTesting.lines(symbols, "main_entry_v2"));
        String strings = ElfTesting.readelf("-p .strtab", output);
        assertTrue(strings.contains("]  main_entry\n") && strings.contains("]  main_entry_v2\n"), strings);
        assertEquals(strtabSize + "main_entry_v2".length() + 1,
                ReadelfView.of(output).sections().stream().filter(s -> s.name().equals(".strtab")).findFirst()
                        .orElseThrow().size());
        List<String> expected = replace(ReadelfView.of(input).semantic(), line -> line.replace(" main_entry ",
                " main_entry_v2 ").replaceFirst("^(section \\.strtab STRTAB flags= size=)\\d+", "$1" + (strtabSize
                        + 14)));
        assertEquals(expected, ReadelfView.of(output).semantic());
    }

    @Test
    void renamingASectionAppendsToShstrtab() {
        ElfObject object = ElfObject.read(input);
        section(object, ".text.weak_hook").setName(".text.weak_hook_renamed");
        Path output = write(object);
        //   [ 6] .text.weak_hook_renamed PROGBITS        0000000000000000 000080 000004 00  AX  0   0 16
        assertEquals(List.of("[ 6] .text.weak_hook_renamed PROGBITS        0000000000000000 000080 000004 00  AX  0   0 16"),
                ElfTesting.lines(ElfTesting.readelf("-SW", output), ".text.weak_hook_renamed"));
    }

    @Test
    void addingAKlpRelocationSectionAndSymbolMovesARelocationIntoIt() {
        ElfObject object = ElfObject.read(input);
        SymbolTable symtab = object.symbolTable().orElseThrow();
        Section text = section(object, ".text.main_entry");
        RelocationSection rela = (RelocationSection) section(object, ".rela.text.main_entry");
        Symbol klpSymbol = symtab.add(Symbol.special(".klp.sym.vmlinux.printk,0", Elf.STB_GLOBAL, Elf.STT_FUNC, 0, 0,
                Elf.SHN_LIVEPATCH));
        RelocationSection klp = object.addSection(RelocationSection.create(object, ".klp.rela.vmlinux..text.main_entry",
                true, Elf.SHF_ALLOC | Elf.SHF_RELA_LIVEPATCH, text));
        Relocation printk = rela.relocations().stream().filter(r -> r.symbol() != null
                && r.symbol().name().equals("printk")).findFirst().orElseThrow();
        rela.relocations().remove(printk);
        printk.setSymbol(klpSymbol);
        klp.relocations().add(printk);
        Path output = write(object);

        ReadelfView view = ReadelfView.of(output);
        String sections = ElfTesting.readelf("-SW", output);
        //   [48] .klp.rela.vmlinux..text.main_entry RELA     0000000000000000 00a8c0 000018 18 AIo 45   7  8
        List<String> klpLines = ElfTesting.lines(sections, ".klp.rela.vmlinux..text.main_entry");
        assertEquals(1, klpLines.size(), sections);
        assertTrue(klpLines.get(0).matches("\\[48\\] \\.klp\\.rela\\.vmlinux\\.\\.text\\.main_entry RELA +0{16} [0-9a-f]{6}"
                + " 000018 18 AIo 45   7  8"), klpLines.get(0));
        // readelf shows SHN_LIVEPATCH (0xff20) as "OS [0xff20]".
        String symbols = ElfTesting.readelf("-sW", output);
        assertEquals(List.of("50: 0000000000000000     0 FUNC    GLOBAL DEFAULT OS [0xff20] .klp.sym.vmlinux.printk,0"),
                ElfTesting.lines(symbols, ".klp.sym."));
        // 000000000000003d  0000003200000004 R_X86_64_PLT32 0000000000000000 .klp.sym.vmlinux.printk,0 - 4
        var klpRows = view.relocations(".klp.rela.vmlinux..text.main_entry");
        assertEquals(List.of(new ReadelfView.RelocationRow(printk.offset(), (50L << 32) | printk.type(),
                "R_X86_64_PLT32", ".klp.sym.vmlinux.printk,0", -4)), klpRows);
        assertEquals(7, view.relocations(".rela.text.main_entry").size());

        // Everything else means what it meant before.
        List<String> before = new ArrayList<>(ReadelfView.of(input).semantic());
        List<String> after = new ArrayList<>(view.semantic());
        before.removeIf(line -> line.contains(" printk -4") || line.startsWith("section .strtab")
                || line.startsWith("section .shstrtab") || line.startsWith("section .symtab")
                || line.startsWith("section .rela.text.main_entry"));
        after.removeIf(line -> line.contains(".klp.") || line.startsWith("section .strtab")
                || line.startsWith("section .shstrtab") || line.startsWith("section .symtab")
                || line.startsWith("section .rela.text.main_entry"));
        assertEquals(before, after);
    }

    @Test
    void turningAGlobalIntoALocalMovesItBeforeTheGlobalsAndKeepsRelocationsRight() {
        ElfObject object = ElfObject.read(input);
        int firstGlobalBefore = object.symbolTable().orElseThrow().firstNonLocal();
        symbol(object, "second_entry").setBind(Elf.STB_LOCAL);
        Path output = write(object);

        ReadelfView view = ReadelfView.of(output);
        // [45] .symtab SYMTAB 0000000000000000 0071d0 0004b0 18 46 42 8 : sh_info grew by one
        assertEquals(firstGlobalBefore + 1, view.sections().stream().filter(s -> s.name().equals(".symtab"))
                .findFirst().orElseThrow().info());
        //     41: 0000000000000000    32 FUNC    LOCAL  DEFAULT    9 second_entry
        assertEquals(List.of("41: 0000000000000000    32 FUNC    LOCAL  DEFAULT    9 second_entry"),
                ElfTesting.lines(ElfTesting.readelf("-sW", output), "second_entry").stream()
                        .filter(l -> l.endsWith(" second_entry")).toList());
        List<String> expected = replace(ReadelfView.of(input).semantic(), line -> line.startsWith("symbol second_entry ")
                ? line.replace(" GLOBAL ", " LOCAL ") : line);
        assertEquals(sorted(expected), sorted(view.semantic()));
    }

    @Test
    void removingAnUnreferencedSymbolShrinksTheTable() {
        ElfObject object = ElfObject.read(input);
        SymbolTable symtab = object.symbolTable().orElseThrow();
        assertTrue(symtab.remove(symbol(object, "external_counter")));
        Path output = temp.resolve("unused.ko");
        // external_counter is referenced, so the writer must refuse (a bug in the caller, not bad input).
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> object.write(output));
        assertTrue(refused.getMessage().contains("external_counter"), refused.getMessage());
        assertFalse(Files.exists(output));
        assertNoTempFiles();

        ElfObject fresh = ElfObject.read(input);
        Symbol custom = symbol(fresh, "custom_placed");
        fresh.symbolTable().orElseThrow().remove(custom);
        Path written = write(fresh);
        List<String> expected = new ArrayList<>(ReadelfView.of(input).semantic());
        expected.removeIf(line -> line.startsWith("symbol custom_placed "));
        List<String> actual = new ArrayList<>(ReadelfView.of(written).semantic());
        expected.removeIf(line -> line.startsWith("section .symtab"));
        actual.removeIf(line -> line.startsWith("section .symtab"));
        assertEquals(expected, actual);
        assertTrue(ElfTesting.lines(ElfTesting.readelf("-sW", written), " custom_placed").isEmpty());
    }

    @Test
    void removingSectionsReferencedByNothingReindexesLinksSymbolsRelocationsAndGroups() {
        ElfObject object = ElfObject.read(input);
        // .comment and .note.GNU-stack sit before the debug sections, the group members and .symtab, so those
        // section indices (sh_link/sh_info, group members, st_shndx) shift by two, and dropping their section
        // symbols shifts every later symbol index (relocation r_sym) by two.
        object.removeSection(section(object, ".comment"));
        object.removeSection(section(object, ".note.GNU-stack"));
        Path output = write(object);

        List<String> expected = new ArrayList<>(ReadelfView.of(input).semantic());
        expected.removeIf(line -> line.contains(" .comment ") || line.contains(" .note.GNU-stack ")
                || line.startsWith("section .symtab"));
        List<String> actual = new ArrayList<>(ReadelfView.of(output).semantic());
        actual.removeIf(line -> line.startsWith("section .symtab"));
        assertEquals(expected, actual);
        String sections = ElfTesting.readelf("-SW", output);
        //   [22] .debug_aranges    PROGBITS        0000000000000000 0001f0 000090 00      0   0  1
        assertEquals(List.of("[22] .debug_aranges    PROGBITS        0000000000000000 0001f0 000090 00      0   0  1"),
                ElfTesting.lines(sections, ".debug_aranges").subList(0, 1));
        assertFalse(sections.contains(".comment"));
        // COMDAT group section [    1] `.group' [wm4...] contains 2 sections: [   39]   .debug_macro ...
        String groups = ElfTesting.readelf("-gW", output);
        assertTrue(groups.contains("[   39]   .debug_macro") && groups.contains("[   40]   .rela.debug_macro"), groups);
        // Relocations in debug sections against section symbols after the removed ones still name the same sections.
        String relocations = ElfTesting.readelf("-rW", output);
        assertTrue(relocations.contains(".text.custom_placed + 0"), relocations);
    }

    @Test
    void removingASectionThatIsStillReferencedFailsWithoutOutput() {
        ElfObject object = ElfObject.read(input);
        object.removeSection(section(object, ".text.main_entry"));
        Path output = temp.resolve("refused.ko");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> object.write(output));
        assertTrue(refused.getMessage().contains(".text.main_entry"), refused.getMessage());
        assertFalse(Files.exists(output));
        assertNoTempFiles();
    }

    @Test
    void addingAPlainSectionKeepsEveryOtherByteInPlace() throws Exception {
        ElfObject object = ElfObject.read(input);
        Section added = object.addSection(Section.create(".klp.test", Elf.SHT_PROGBITS, Elf.SHF_ALLOC, 8, 0));
        added.setData(new byte[] {1, 2, 3, 4, 5});
        Path output = write(object);
        //   [48] .klp.test         PROGBITS        0000000000000000 00a8c0 000005 00   A  0   0  8
        List<String> lines = ElfTesting.lines(ElfTesting.readelf("-SW", output), ".klp.test");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).matches("\\[48\\] \\.klp\\.test +PROGBITS +0{16} [0-9a-f]{6} 000005 00   A  0   0  8"),
                lines.get(0));
        ElfObject reread = ElfObject.read(output);
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5), toList(section(reread, ".klp.test").data()));
        // Unchanged sections kept their offsets: readelf -SW lines of the old sections only differ for .shstrtab.
        List<String> before = ElfTesting.readelf("-SW", input).lines().filter(l -> l.startsWith("  [")).toList();
        List<String> after = ElfTesting.readelf("-SW", output).lines().filter(l -> l.startsWith("  [")).toList();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).contains(".shstrtab")) {
                assertEquals(before.get(i), after.get(i));
            }
        }
        byte[] in = Files.readAllBytes(input);
        byte[] out = Files.readAllBytes(output);
        long textOffset = section(object, ".text.main_entry").fileOffset();
        assertEquals(in[(int) textOffset + 3], out[(int) textOffset + 3]);
    }

    @Test
    void aWriteThatFailsOnDiskLeavesNoOutputAndNoTempFile() throws Exception {
        ElfObject object = ElfObject.read(input);
        symbol(object, "main_entry").setName("main_entry_v2");
        Path blocked = Files.createDirectory(temp.resolve("blocked.ko"));
        Files.writeString(blocked.resolve("keep"), "a directory where the output should go");
        dev.klplsp.base.KlpException error = assertThrows(dev.klplsp.base.KlpException.class,
                () -> object.write(blocked));
        assertTrue(error.getMessage().startsWith(blocked + ": is a directory; klp-lsp writes only regular files"),
                error.getMessage());
        assertTrue(Files.isDirectory(blocked));
        assertNoTempFiles();
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    private void assertNoTempFiles() {
        try (Stream<Path> files = Files.list(temp)) {
            List<Path> leftovers = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(leftovers.isEmpty(), leftovers.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
