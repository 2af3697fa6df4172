// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.Objects;

/**
 * One symbol table entry ({@code Elf32_Sym}/{@code Elf64_Sym}). The defining section is a reference;
 * special indices (SHN_UNDEF, SHN_ABS, SHN_COMMON, SHN_LIVEPATCH...) are kept in {@link #specialIndex()}.
 */
public final class Symbol {
    private String name;
    private int bind;
    private int type;
    private int other;
    private long value;
    private long size;
    private Section section;
    private int specialIndex;

    /** st_name as read, reused on write while the string there is still {@link #name()}. */
    int originalNameOffset = -1;

    /**
     * Where {@link SymbolTable#indexOf} last found this symbol: a hint it checks against the table before using,
     * so a stale one (after the table changed) only costs a re-index, never a wrong answer.
     */
    int indexHint = -1;

    public Symbol(String name, int bind, int type, int other, long value, long size, Section section,
            int specialIndex) {
        this.name = Objects.requireNonNull(name, "name");
        this.bind = bind;
        this.type = type;
        this.other = other;
        this.value = value;
        this.size = size;
        this.section = section;
        this.specialIndex = section != null ? 0 : specialIndex;
    }

    /** A symbol defined in {@code section} (or undefined when section is null). */
    public static Symbol defined(String name, int bind, int type, long value, long size, Section section) {
        return new Symbol(name, bind, type, Elf.STV_DEFAULT, value, size, section, Elf.SHN_UNDEF);
    }

    /** A symbol with a special st_shndx such as SHN_UNDEF, SHN_ABS or SHN_LIVEPATCH. */
    public static Symbol special(String name, int bind, int type, long value, long size, int specialIndex) {
        return new Symbol(name, bind, type, Elf.STV_DEFAULT, value, size, null, specialIndex);
    }

    /** The name from st_name; "" for section symbols and the null symbol (never null). */
    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** ELF_ST_BIND(st_info). */
    public int bind() {
        return bind;
    }

    /** Changes the binding; the writer moves locals before non-locals (stable) to keep sh_info right. */
    public void setBind(int bind) {
        this.bind = bind;
    }

    /** ELF_ST_TYPE(st_info). */
    public int type() {
        return type;
    }

    public void setType(int type) {
        this.type = type;
    }

    /** ELF_ST_VISIBILITY(st_other). */
    public int visibility() {
        return other & 0x3;
    }

    /** st_other as a whole. */
    public int other() {
        return other;
    }

    public void setOther(int other) {
        this.other = other;
    }

    public long value() {
        return value;
    }

    public void setValue(long value) {
        this.value = value;
    }

    public long size() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    /** The defining section, or null for SHN_UNDEF and the special indices. */
    public Section section() {
        return section;
    }

    /** The st_shndx when {@link #section()} is null (SHN_UNDEF, SHN_ABS, SHN_COMMON, SHN_LIVEPATCH...), else 0. */
    public int specialIndex() {
        return specialIndex;
    }

    public void setSection(Section section) {
        this.section = Objects.requireNonNull(section, "section (use setSpecialIndex for SHN_*)");
        this.specialIndex = 0;
    }

    public void setSpecialIndex(int specialIndex) {
        this.section = null;
        this.specialIndex = specialIndex;
    }

    /** Defined means not SHN_UNDEF (SHN_ABS and SHN_COMMON count as defined, SHN_LIVEPATCH does not). */
    public boolean isDefined() {
        return section != null || (specialIndex != Elf.SHN_UNDEF && specialIndex != Elf.SHN_LIVEPATCH);
    }

    public boolean isLocal() {
        return bind == Elf.STB_LOCAL;
    }

    /** The name readelf shows: the section's name for STT_SECTION symbols (whose st_name is 0). */
    public String displayName() {
        if (type == Elf.STT_SECTION && name.isEmpty() && section != null) {
            return section.name();
        }
        return name;
    }

    @Override
    public String toString() {
        return displayName();
    }
}
