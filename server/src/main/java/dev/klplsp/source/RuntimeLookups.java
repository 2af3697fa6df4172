// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;
import java.util.Optional;

/**
 * The run-time lookup style of a livepatch source, as source-generated livepatches write it: pointers declared in
 * the file, filled when the patch (or a module) loads from kallsyms, through a table walked by a resolver
 * ({@code klp_kallsyms_reloc} and {@code __klp_resolve_kallsyms_relocs}) or by direct
 * {@code kallsyms_lookup_name("name")} calls, and used through the pointers.
 *
 * @param pointers the declarations of the pointers the tables and lookup calls fill, in source order
 * @param uses every use of those pointers outside the tables and the lookup statements, in source order
 */
public record RuntimeLookups(List<KallsymsRelocTable> tables, List<LookupPointer> pointers, List<PointerUse> uses,
        List<LookupNameCall> lookupNameCalls, List<ResolverCall> resolverCalls, List<ModuleNotifier> notifiers) {

    public static final RuntimeLookups NONE = new RuntimeLookups(List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of());

    public RuntimeLookups {
        tables = List.copyOf(tables);
        pointers = List.copyOf(pointers);
        uses = List.copyOf(uses);
        lookupNameCalls = List.copyOf(lookupNameCalls);
        resolverCalls = List.copyOf(resolverCalls);
        notifiers = List.copyOf(notifiers);
    }

    /** Whether the file looks symbols up at run time at all. */
    public boolean isEmpty() {
        return tables.isEmpty() && lookupNameCalls.isEmpty();
    }

    /** Every table entry, in source order. */
    public List<KallsymsRelocEntry> entries() {
        return tables.stream().flatMap(table -> table.entries().stream()).toList();
    }

    /** The first declaration of a pointer. */
    public Optional<LookupPointer> findPointer(String name) {
        return pointers.stream().filter(pointer -> pointer.name().equals(name)).findFirst();
    }

    /** Every declaration of a pointer (a file may declare it again before a later use). */
    public List<LookupPointer> declarationsOf(String name) {
        return pointers.stream().filter(pointer -> pointer.name().equals(name)).toList();
    }

    public List<PointerUse> usesOf(String pointer) {
        return uses.stream().filter(use -> use.pointer().equals(pointer)).toList();
    }

    /** The table holding an entry. */
    public Optional<KallsymsRelocTable> tableOf(KallsymsRelocEntry entry) {
        return tables.stream().filter(table -> table.entries().contains(entry)).findFirst();
    }

    /**
     * How many places fill {@code pointer}: table entries naming its address and lookup statements assigning it.
     * A pointer filled twice is not one symbol.
     */
    public int fillCount(String pointer) {
        long entries = entries().stream().filter(entry -> entry.pointer().map(pointer::equals).orElse(false)).count();
        long calls = lookupNameCalls.stream().filter(call -> call.assignedPointer().map(pointer::equals).orElse(false))
                .count();
        return (int) (entries + calls);
    }
}
