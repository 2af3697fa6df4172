// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.RelocTypes;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Section;
import dev.klplsp.elf.Symbol;
import dev.klplsp.kernel.KernelSymbol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The functions a built livepatch module replaces, read from its {@code struct klp_func} arrays as the kernel
 * reads them ({@code include/linux/livepatch.h}): an entry starts {@code const char *old_name; void *new_func;
 * unsigned long old_sympos;}, an array is named by a {@code struct klp_object} that starts
 * {@code const char *name; struct klp_func *funcs;} (name NULL: vmlinux). In a relocatable module those pointers
 * are absolute relocations, so an entry is recognised by its relocations — a string, then a function of the module
 * — and its object by the klp_object whose {@code funcs} relocation points at the start of its array. Only the
 * leading fields are read, so the rest of the structures may have any layout. 64-bit objects only: livepatch
 * exists on x86_64, arm64, ppc64le and s390x.
 */
final class KlpFuncTable {
    /** KSYM_NAME_LEN in 6.1: no kernel symbol name is longer. */
    private static final int MAX_NAME = 512;
    private static final Set<String> POINTER_TYPES = Set.of("R_X86_64_64", "R_AARCH64_ABS64", "R_PPC64_ADDR64",
            "R_390_64");

    /**
     * One {@code klp_func} array entry.
     *
     * @param object    the klp_object's name: "vmlinux" for NULL, else the module name as written
     * @param oldName   {@code .old_name}
     * @param oldSympos {@code .old_sympos}
     * @param section   the section holding the entry, and its offset there
     */
    record Entry(String object, String oldName, long oldSympos, Section section, long offset) {
    }

    /** Where an absolute pointer in a section points: a section and an offset in it. */
    private record Target(Section section, long offset, Symbol symbol) {
    }

    private KlpFuncTable() {
    }

    /** Every entry of every klp_func array some klp_object names, in section and offset order. */
    static List<Entry> read(ElfObject module) {
        List<Entry> entries = new ArrayList<>();
        if (!module.is64()) {
            return entries;
        }
        Map<Section, TreeMap<Long, Target>> pointers = pointers(module);
        // Entries by section: offset to (old_name, old_sympos).
        Map<Section, TreeMap<Long, Entry>> candidates = new HashMap<>();
        pointers.forEach((section, bySection) -> bySection.forEach((offset, target) -> {
            Target function = bySection.get(offset + 8);
            Optional<String> name = string(target);
            if (name.isPresent() && function != null && isFunction(function)) {
                long sympos = word(module, section, offset + 16);
                candidates.computeIfAbsent(section, key -> new TreeMap<>()).put(offset,
                        new Entry("", name.get(), sympos, section, offset));
            }
        }));
        // Arrays: a klp_object's funcs points at the first entry; its name pointer is the word before.
        Map<Section, TreeMap<Long, String>> arrays = new HashMap<>();
        pointers.forEach((section, bySection) -> bySection.forEach((offset, target) -> {
            TreeMap<Long, Entry> inTarget = candidates.get(target.section());
            if (inTarget == null || !inTarget.containsKey(target.offset()) || offset < 8) {
                return;
            }
            Target name = bySection.get(offset - 8);
            String object = name == null ? KernelSymbol.VMLINUX : string(name).orElse(null);
            if (object != null) {
                arrays.computeIfAbsent(target.section(), key -> new TreeMap<>()).put(target.offset(), object);
            }
        }));
        for (Section section : module.sections()) {
            TreeMap<Long, Entry> inSection = candidates.get(section);
            TreeMap<Long, String> starts = arrays.get(section);
            if (inSection == null || starts == null) {
                continue;
            }
            // An entry belongs to the array that starts last before it, while the entries run on without a gap
            // (the zeroed terminator has no relocations, so it ends the run).
            Long runStart = null;
            long stride = 0;
            long previous = -1;
            for (Map.Entry<Long, Entry> candidate : inSection.entrySet()) {
                long offset = candidate.getKey();
                if (starts.containsKey(offset)) {
                    runStart = offset;
                    stride = 0;
                } else if (runStart == null || stride != 0 && offset - previous != stride) {
                    runStart = null;
                    continue;
                } else if (stride == 0) {
                    stride = offset - previous;
                }
                previous = offset;
                Entry entry = candidate.getValue();
                entries.add(new Entry(starts.get(runStart), entry.oldName(), entry.oldSympos(), section, offset));
            }
        }
        return entries;
    }

    /** The absolute pointers of each allocated section, by offset. */
    private static Map<Section, TreeMap<Long, Target>> pointers(ElfObject module) {
        Map<Section, TreeMap<Long, Target>> pointers = new HashMap<>();
        for (RelocationSection relocations : module.relocationSections()) {
            Section target = relocations.target();
            if (target == null || !target.isAlloc() || target.type() == Elf.SHT_NOBITS) {
                continue;
            }
            for (Relocation relocation : relocations.relocations()) {
                Symbol symbol = relocation.symbol();
                // The type first: it is in the relocation, the section in the symbol (one more memory access).
                if (symbol == null || !POINTER_TYPES.contains(RelocTypes.name(module.machine(), relocation.type()))
                        || symbol.section() == null) {
                    continue;
                }
                pointers.computeIfAbsent(target, key -> new TreeMap<>()).put(relocation.offset(),
                        new Target(symbol.section(), symbol.value() + relocation.addend(), symbol));
            }
        }
        return pointers;
    }

    /** A function of the module: a defined STT_FUNC, or an offset into executable code (a section symbol). */
    private static boolean isFunction(Target target) {
        return target.symbol().type() == Elf.STT_FUNC
                || target.symbol().type() == Elf.STT_SECTION && (target.section().flags() & Elf.SHF_EXECINSTR) != 0;
    }

    /** The NUL-terminated name a pointer points at: printable ASCII without blanks, at most KSYM_NAME_LEN. */
    private static Optional<String> string(Target target) {
        Section section = target.section();
        if (section.type() == Elf.SHT_NOBITS || (section.flags() & Elf.SHF_EXECINSTR) != 0) {
            return Optional.empty();
        }
        byte[] data = section.data();
        long start = target.offset();
        if (start < 0 || start >= data.length) {
            return Optional.empty();
        }
        int end = (int) start;
        while (end < data.length && data[end] != 0 && end - start < MAX_NAME) {
            if (data[end] <= ' ' || data[end] >= 0x7f) {
                return Optional.empty();
            }
            end++;
        }
        if (end == start || end == data.length || data[end] != 0) {
            return Optional.empty();
        }
        return Optional.of(new String(data, (int) start, end - (int) start, StandardCharsets.US_ASCII));
    }

    /** The unsigned long at an offset (0 beyond the section's data, as a zeroed field reads). */
    private static long word(ElfObject module, Section section, long offset) {
        if (section.type() == Elf.SHT_NOBITS) {
            return 0;
        }
        byte[] data = section.data();
        if (offset < 0 || offset + 8 > data.length) {
            return 0;
        }
        return ByteBuffer.wrap(data).order(module.byteOrder()).getLong((int) offset);
    }
}
