// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * One kallsyms-visible symbol of the kernel, materialized from the index on query.
 *
 * @param object         "vmlinux" or the runtime module name ({@code kvm-intel.ko} → {@code kvm_intel})
 * @param sympos         0 when the name is unique in its object, else the 1-based position in the order the
 *                       kernel counts (see {@link Sympos}); -1 for a module symbol the kernel drops from
 *                       kallsyms after the module's init (init or non-allocated section): no sympos reaches it
 * @param occurrences    how many counted symbols of this name the object has (sympos 0 ⇔ occurrences 1)
 * @param nmLetter       the nm/kallsyms type letter (t, T, d, D, b, B, r, R, W, V...)
 * @param section        section name when an ELF symbol table was the source
 * @param init           in an init section (freed after boot or module init)
 * @param roAfterInit    in {@code .data..ro_after_init} (written only during init)
 * @param specialSection in a section the kernel interprets (__jump_table, .altinstructions, __ksymtab...)
 * @param address        vmlinux: the link-time (or dumped) address; module: st_value, section-relative
 * @param size           st_size, 0 if unknown
 * @param sourceFile     the STT_FILE basename a local symbol follows in an ELF symbol table
 * @param export         set when this symbol is the exported one of its name
 */
public record KernelSymbol(String object, String name, int sympos, int occurrences, SymbolType type,
        SymbolBinding binding, char nmLetter, Optional<String> section, boolean init, boolean roAfterInit,
        boolean specialSection, long address, long size, Optional<String> sourceFile, Optional<Export> export) {

    public static final String VMLINUX = dev.klplsp.elf.KlpNames.VMLINUX;

    public boolean isVmlinux() {
        return object.equals(VMLINUX);
    }

    public boolean isExported() {
        return export.isPresent();
    }

    /** Whether a KLP relocation can name this symbol at all (module init symbols cannot). */
    public boolean isCounted() {
        return sympos >= 0;
    }

    /** The livepatch symbol name the kernel resolves to this symbol: {@code .klp.sym.vmlinux.foo,2}. */
    public String klpSymbolName() {
        return dev.klplsp.elf.KlpNames.symbolName(object, name, sympos);
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof KernelSymbol that && Objects.equals(object, that.object)
                && Objects.equals(name, that.name) && sympos == that.sympos && occurrences == that.occurrences
                && Objects.equals(type, that.type) && Objects.equals(binding, that.binding)
                && nmLetter == that.nmLetter && Objects.equals(section, that.section) && init == that.init
                && roAfterInit == that.roAfterInit && specialSection == that.specialSection && address == that.address
                && size == that.size && Objects.equals(sourceFile, that.sourceFile)
                && Objects.equals(export, that.export);
    }

    @Override
    public int hashCode() {
        return Objects.hash(object, name, sympos, occurrences, type, binding, nmLetter, section, init, roAfterInit,
                specialSection, address, size, sourceFile, export);
    }
}
