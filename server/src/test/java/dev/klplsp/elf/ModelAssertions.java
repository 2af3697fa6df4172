// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Compares our model of an object with readelf's view of the same file, field by field. */
final class ModelAssertions {
    private ModelAssertions() {
    }

    static void assertModelMatchesReadelf(ElfObject object, ReadelfView view) {
        String file = object.path().toString();
        assertEquals(view.sections().size(), object.sections().size(), file + ": section count");
        for (ReadelfView.SectionRow row : view.sections()) {
            Section section = object.section(row.index());
            String where = file + " section " + row.index();
            assertEquals(row.name(), section.name(), where);
            assertEquals(row.size(), section.size(), where + " size");
            assertEquals(row.offset(), section.fileOffset(), where + " offset");
            assertEquals(row.entsize(), section.entsize(), where + " entsize");
            assertEquals(row.align(), section.addralign(), where + " align");
            assertEquals(row.link(), section.link() == null ? 0 : object.indexOf(section.link()), where + " link");
        }
        SymbolTable symtab = object.symbolTable().orElseThrow();
        List<Symbol> symbols = symtab.symbols();
        assertEquals(view.symbols().size(), symbols.size(), file + ": symbol count");
        for (ReadelfView.SymbolRow row : view.symbols()) {
            Symbol symbol = symbols.get(row.index());
            String where = file + " symbol " + row.index() + " " + row.name();
            assertEquals(row.name(), symbol.displayName(), where);
            assertEquals(row.value(), symbol.value(), where);
            assertEquals(row.size(), symbol.size(), where);
            assertEquals(row.type(), Elf.symbolTypeName(symbol.type()), where);
            assertEquals(row.bind(), Elf.bindName(symbol.bind()), where);
            assertEquals(row.visibility(), Elf.visibilityName(symbol.visibility()), where);
            String ndx = symbol.section() != null ? Integer.toString(object.indexOf(symbol.section()))
                    : readelfSpecialIndex(symbol.specialIndex());
            assertEquals(row.ndx(), ndx, where);
        }
        for (RelocationSection section : object.relocationSections()) {
            List<ReadelfView.RelocationRow> rows = view.relocationsAt(section.fileOffset());
            List<Relocation> relocations = section.relocations();
            assertEquals(rows.size(), relocations.size(), file + " " + section.name() + " count");
            for (int i = 0; i < rows.size(); i++) {
                ReadelfView.RelocationRow row = rows.get(i);
                Relocation relocation = relocations.get(i);
                String where = file + " " + section.name() + " #" + i;
                assertEquals(row.offset(), relocation.offset(), where);
                assertEquals(row.type(), RelocTypes.name(object.machine(), relocation.type()), where);
                assertEquals(row.symbolName(), relocation.symbol() == null ? "" : relocation.symbol().displayName(),
                        where);
                assertEquals(row.addend(), section.isRela() ? relocation.addend() : 0, where);
                int symbolIndex = relocation.symbol() == null ? 0 : symtab.indexOf(relocation.symbol());
                long info = object.is64() ? (long) symbolIndex << 32 | relocation.type()
                        : (long) symbolIndex << 8 | relocation.type();
                assertEquals(row.info(), info, where + " r_info");
            }
        }
    }

    /** readelf's -sW spelling of a special st_shndx. */
    static String readelfSpecialIndex(int shndx) {
        return switch (shndx) {
            case Elf.SHN_UNDEF -> "UND";
            case Elf.SHN_ABS -> "ABS";
            case Elf.SHN_COMMON -> "COM";
            default -> String.format("OS [0x%x]", shndx);
        };
    }
}
