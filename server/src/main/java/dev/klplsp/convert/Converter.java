// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.check.ConversionPlan;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.KlpNames;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Section;
import dev.klplsp.elf.Symbol;
import dev.klplsp.elf.SymbolTable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@link ConversionPlan} to a module model. The output format is the one kernel 6.1 documents
 * (Documentation/livepatch/module-elf-format.rst) and klp-convert v7 writes:
 * <ul>
 * <li>one {@code .klp.rela.<lpObject>.<base>} section per (object, target section), e.g.
 * {@code .klp.rela.vmlinux..text}: SHT_RELA, SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH, entsize and
 * alignment of the ELF class, sh_link .symtab, sh_info the target; an existing one is appended to;</li>
 * <li>converted entries move there in their order with offset, type and addend unchanged;</li>
 * <li>each converted symbol is renamed once to {@code .klp.sym.<object>.<name>,<sympos>} with st_shndx
 * SHN_LIVEPATCH; binding and type stay.</li>
 * </ul>
 */
public final class Converter {
    private Converter() {
    }

    /**
     * Mutates {@code module}. A plan that does not match the module (index and name disagree) is a bug in the
     * caller: IllegalStateException, with the module unchanged.
     */
    public static ConversionSummary apply(ElfObject module, ConversionPlan plan) {
        if (plan.isEmpty()) {
            return new ConversionSummary(0, 0, Map.of(), 0, 0);
        }
        SymbolTable symtab = module.symbolTable()
                .orElseThrow(() -> new IllegalStateException(module.path() + " has no symbol table"));
        List<Symbol> symbols = symtab.symbols();

        // Resolve every reference before the first change, so a bad plan leaves the model untouched.
        boolean[] planned = new boolean[symbols.size()];
        List<Symbol> converted = new ArrayList<>(plan.symbols().size());
        for (ConversionPlan.SymbolConversion conversion : plan.symbols()) {
            Symbol symbol = requireSymbol(module, symbols, conversion.symbolIndex(), conversion.originalName());
            if (planned[conversion.symbolIndex()]) {
                throw new IllegalStateException(module.path() + ": symbol " + conversion.originalName()
                        + " is converted twice by the plan");
            }
            planned[conversion.symbolIndex()] = true;
            converted.add(symbol);
        }
        List<Section> removedSections = new ArrayList<>();
        for (ConversionPlan.SectionRef ref : plan.removedSections()) {
            Section section = requireSection(module, ref);
            removedSections.add(section);
        }
        List<Symbol> removedSymbols = new ArrayList<>();
        for (ConversionPlan.SymbolRef ref : plan.removedSymbols()) {
            removedSymbols.add(requireSymbol(module, symbols, ref.index(), ref.name()));
        }

        int sectionsRemoved = removeSections(module, symtab, removedSections);
        if (!removedSymbols.isEmpty()) {
            Set<Symbol> dropped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            dropped.addAll(removedSymbols);
            symbols.removeIf(dropped::contains);
        }

        // The klp_object each converted symbol's relocations go to, by its index now (removals above shifted
        // indexes); null for a symbol not converted. The relocation loop below asks once per relocation, and an
        // array beats a hash map probed at random (and the plan's entries, spread over the heap).
        String[] lpObjects = new String[symbols.size()];
        for (int i = 0; i < converted.size(); i++) {
            Symbol symbol = converted.get(i);
            int index = symtab.indexOf(symbol);
            if (index >= 0) {
                lpObjects[index] = plan.symbols().get(i).lpObject();
            }
            symbol.setName(plan.symbols().get(i).klpName());
            symbol.setSpecialIndex(Elf.SHN_LIVEPATCH);
            symbol.setValue(0);
        }

        Map<String, RelocationSection> klpSections = new LinkedHashMap<>();
        for (RelocationSection existing : module.relocationSections()) {
            if (KlpNames.isKlpSection(existing)) {
                klpSections.put(existing.name(), existing);
            }
        }
        // Each KLP section's entry count before the first move into it, in the order moves first reach them.
        Map<RelocationSection, Integer> sizeBefore = new LinkedHashMap<>();
        int relocationsMoved = 0;
        for (RelocationSection relocations : List.copyOf(module.relocationSections())) {
            if (KlpNames.isKlpSection(relocations)) {
                continue;
            }
            List<Relocation> entries = relocations.relocations();
            // Entries that stay are compacted in place: kept counts them, and nothing is copied until one moves.
            int kept = 0;
            // The KLP sections this section's relocations move to, by klp_object: one name built per pair.
            Map<String, RelocationSection> targets = new java.util.HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                Relocation relocation = entries.get(i);
                int symbol = symtab.indexOfSymbol(relocation);
                String lpObject = symbol < 0 ? null : lpObjects[symbol];
                if (lpObject == null) {
                    if (kept != i) {
                        entries.set(kept, relocation);
                    }
                    kept++;
                    continue;
                }
                if (!relocations.isRela()) {
                    throw new IllegalStateException(module.path() + ": " + relocations.name()
                            + " is SHT_REL; KLP relocations must be SHT_RELA");
                }
                RelocationSection klp = targets.get(lpObject);
                if (klp == null) {
                    Section target = relocations.target();
                    String name = KlpNames.sectionName(lpObject, target.name());
                    klp = klpSections.get(name);
                    if (klp == null) {
                        klp = module.addSection(RelocationSection.create(module, name, true,
                                Elf.SHF_ALLOC | Elf.SHF_RELA_LIVEPATCH, target));
                        klpSections.put(name, klp);
                    }
                    targets.put(lpObject, klp);
                    sizeBefore.putIfAbsent(klp, klp.relocations().size());
                }
                klp.relocations().add(relocation);
                relocationsMoved++;
            }
            if (kept < entries.size()) {
                entries.subList(kept, entries.size()).clear();
            }
        }
        Map<String, Integer> movedByName = new LinkedHashMap<>();
        sizeBefore.forEach((section, before) -> movedByName.merge(section.name(),
                section.relocations().size() - before, Integer::sum));
        return new ConversionSummary(converted.size(), relocationsMoved, movedByName, sectionsRemoved,
                removedSymbols.size());
    }

    private static int removeSections(ElfObject module, SymbolTable symtab, List<Section> removed) {
        if (removed.isEmpty()) {
            return 0;
        }
        Set<Section> gone = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(removed);
        // Relocation sections of removed sections go with them.
        for (RelocationSection relocations : module.relocationSections()) {
            if (gone.contains(relocations.target())) {
                gone.add(relocations);
            }
        }
        Set<Symbol> definedThere = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Symbol symbol : symtab.symbols()) {
            if (symbol.section() != null && gone.contains(symbol.section())) {
                definedThere.add(symbol);
            }
        }
        for (RelocationSection relocations : module.relocationSections()) {
            if (!gone.contains(relocations)) {
                relocations.relocations().removeIf(r -> r.symbol() != null && definedThere.contains(r.symbol()));
            }
        }
        symtab.symbols().removeIf(definedThere::contains);
        int count = 0;
        // Relocation sections first: the writer refuses a relocation section whose target vanished.
        for (Section section : List.copyOf(module.sections())) {
            if (gone.contains(section) && section instanceof RelocationSection) {
                module.removeSection(section);
                count++;
            }
        }
        for (Section section : List.copyOf(module.sections())) {
            if (gone.contains(section)) {
                module.removeSection(section);
                count++;
            }
        }
        return count;
    }

    private static Symbol requireSymbol(ElfObject module, List<Symbol> symbols, int index, String name) {
        if (index <= 0 || index >= symbols.size() || !symbols.get(index).name().equals(name)) {
            throw new IllegalStateException(module.path() + ": the plan names symbol " + index + " '" + name
                    + "', which the module does not have there");
        }
        return symbols.get(index);
    }

    private static Section requireSection(ElfObject module, ConversionPlan.SectionRef ref) {
        if (ref.index() <= 0 || ref.index() >= module.sections().size()
                || !module.section(ref.index()).name().equals(ref.name())) {
            throw new IllegalStateException(module.path() + ": the plan names section " + ref.index() + " '"
                    + ref.name() + "', which the module does not have there");
        }
        return module.section(ref.index());
    }
}
