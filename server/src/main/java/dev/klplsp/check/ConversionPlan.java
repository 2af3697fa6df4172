// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.KlpNames;
import java.util.ArrayList;
import java.util.List;

/**
 * What a conversion does to one module, as data. Symbols and sections are named by their index in the module as
 * read (and their name, which {@code dev.klplsp.convert.Converter} verifies), so a plan can be inspected, printed, tested or
 * hand-edited (tests force a conversion the checker refused) before it is applied.
 *
 * @param symbols         symbols to turn into KLP symbols, with every relocation against them moved
 * @param removedSections annotation sections to delete ({@code .klp.module_relocs.<obj>}, its relocation
 *                        section), with every symbol defined in them
 * @param removedSymbols  undefined symbols to delete because only removed annotations referenced them
 */
public record ConversionPlan(List<SymbolConversion> symbols, List<SectionRef> removedSections,
        List<SymbolRef> removedSymbols) {

    public static final ConversionPlan EMPTY = new ConversionPlan(List.of(), List.of(), List.of());

    public ConversionPlan {
        symbols = List.copyOf(symbols);
        removedSections = List.copyOf(removedSections);
        removedSymbols = List.copyOf(removedSymbols);
    }

    /**
     * One symbol to convert: {@code symbolIndex} (named {@code originalName}) becomes
     * {@code .klp.sym.<object>.<name>,<sympos>} with st_shndx SHN_LIVEPATCH, and its relocations move to
     * {@code .klp.rela.<lpObject>.<base section>}.
     *
     * @param lpObject the klp_object whose loading applies the relocations: the symbol's object, except for
     *                 minimal-style annotations, which name it
     */
    public record SymbolConversion(int symbolIndex, String originalName, String object, String name, long sympos,
            String lpObject) {
        /** {@code .klp.sym.vmlinux.do_poweroff,2}. */
        public String klpName() {
            return KlpNames.symbolName(object, name, sympos);
        }
    }

    /** A section of the input by index and name. */
    public record SectionRef(int index, String name) {
    }

    /** A symbol of the input by symbol-table index and name. */
    public record SymbolRef(int index, String name) {
    }

    public boolean isEmpty() {
        return symbols.isEmpty() && removedSections.isEmpty() && removedSymbols.isEmpty();
    }

    /** This plan with one more conversion (or the given one replacing the conversion of the same symbol). */
    public ConversionPlan with(SymbolConversion conversion) {
        List<SymbolConversion> all = new ArrayList<>();
        for (SymbolConversion existing : symbols) {
            if (existing.symbolIndex() != conversion.symbolIndex()) {
                all.add(existing);
            }
        }
        all.add(conversion);
        return new ConversionPlan(all, removedSections, removedSymbols);
    }
}
