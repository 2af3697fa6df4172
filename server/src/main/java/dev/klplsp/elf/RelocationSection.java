// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * A SHT_RELA or SHT_REL section with decoded entries: sh_link is its symbol table, sh_info its target.
 */
public final class RelocationSection extends Section {
    private final List<Relocation> relocations = new ArrayList<>();

    RelocationSection(String name, int type, long flags, long addralign, long entsize) {
        super(name, type, flags, addralign, entsize);
        if (type != Elf.SHT_RELA && type != Elf.SHT_REL) {
            throw new IllegalArgumentException("not a relocation type: " + type);
        }
    }

    /**
     * A new, empty relocation section for {@code target}, linked to the object's symbol table, with
     * entsize and alignment for the object's class and flags SHF_INFO_LINK | {@code extraFlags}
     * (e.g. SHF_ALLOC | SHF_RELA_LIVEPATCH for {@code .klp.rela.<obj>.<sec>}). Add it with
     * {@link ElfObject#addSection}.
     */
    public static RelocationSection create(ElfObject object, String name, boolean rela, long extraFlags,
            Section target) {
        boolean is64 = object.is64();
        int entsize = rela ? Elf.relaSize(is64) : Elf.relSize(is64);
        RelocationSection section = new RelocationSection(name, rela ? Elf.SHT_RELA : Elf.SHT_REL,
                Elf.SHF_INFO_LINK | extraFlags, is64 ? 8 : 4, entsize);
        section.setLink(object.symbolTable().orElseThrow(
                () -> new IllegalStateException(object.path() + " has no symbol table")));
        section.setTarget(target);
        return section;
    }

    public boolean isRela() {
        return type() == Elf.SHT_RELA;
    }

    /** The section the relocations apply to (sh_info). */
    public Section target() {
        return infoSection();
    }

    public void setTarget(Section target) {
        setInfoSection(target);
    }

    /** The symbol table the entries index (sh_link). */
    public SymbolTable symbols() {
        return (SymbolTable) link();
    }

    /** The entries, in file order; mutable. */
    public List<Relocation> relocations() {
        return relocations;
    }

    /** sh_size of the encoded entries (the contents are encoded by the writer). */
    @Override
    public long size() {
        return (long) relocations.size() * entsize();
    }
}
