// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.Objects;

/**
 * One section: its header fields and raw contents. Subclasses decode the contents the writer must
 * re-index ({@link SymbolTable}, {@link StringTable}, {@link RelocationSection}, {@link GroupSection});
 * every other section is kept as bytes. {@code sh_link} (and {@code sh_info} of SHF_INFO_LINK sections) are
 * held as references to sections, so re-indexing on write is automatic.
 */
public class Section {
    private String name;
    private final int type;
    private long flags;
    private long addr;
    private long addralign;
    private long entsize;
    private Section link;
    private Section infoSection;
    private int info;
    private byte[] data;
    private long nobitsSize;
    /**
     * For a section whose entries are decoded (symbols, relocations): the input its contents are in, at
     * {@link #readOffset}, copied out only if {@link #data()} is asked for; null once copied or replaced.
     */
    private byte[] readFrom;
    private int readOffset;
    private int readLength;

    /** Where the section was read from; -1 for a section created in memory. */
    long originalOffset = -1;
    long originalSize = -1;
    int originalNameOffset = -1;

    Section(String name, int type, long flags, long addralign, long entsize) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.flags = flags;
        this.addralign = addralign;
        this.entsize = entsize;
        this.data = new byte[0];
    }

    /** A new section with empty contents; add it with {@link ElfObject#addSection}. */
    public static Section create(String name, int type, long flags, long addralign, long entsize) {
        return switch (type) {
            case Elf.SHT_SYMTAB -> throw new IllegalArgumentException("an object has one symbol table; use symbolTable()");
            case Elf.SHT_STRTAB -> new StringTable(name, flags, addralign, entsize);
            case Elf.SHT_REL, Elf.SHT_RELA ->
                throw new IllegalArgumentException("create relocation sections with RelocationSection.create");
            case Elf.SHT_GROUP -> throw new IllegalArgumentException("creating SHT_GROUP sections is not supported");
            default -> new Section(name, type, flags, addralign, entsize);
        };
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** sh_type. */
    public int type() {
        return type;
    }

    /** sh_flags. */
    public long flags() {
        return flags;
    }

    public void setFlags(long flags) {
        this.flags = flags;
    }

    /** sh_addr (0 in relocatable objects, kept as read). */
    public long addr() {
        return addr;
    }

    void setAddr(long addr) {
        this.addr = addr;
    }

    public long addralign() {
        return addralign;
    }

    public void setAddralign(long addralign) {
        this.addralign = addralign;
    }

    public long entsize() {
        return entsize;
    }

    void setEntsize(long entsize) {
        this.entsize = entsize;
    }

    /** The section sh_link names, or null when sh_link is 0. */
    public Section link() {
        return link;
    }

    public void setLink(Section link) {
        this.link = link;
    }

    /**
     * The raw sh_info as read (or set). For sections whose sh_info is an index (relocation targets, symbol
     * counts, group signatures, SHF_INFO_LINK) the writer computes it and this value is not used.
     */
    public int info() {
        return info;
    }

    public void setInfo(int info) {
        this.info = info;
    }

    /** For SHF_INFO_LINK sections other than relocation sections: the section sh_info names, or null. */
    public Section infoSection() {
        return infoSection;
    }

    public void setInfoSection(Section infoSection) {
        this.infoSection = infoSection;
    }

    /**
     * The contents (not a copy; do not modify in place, use {@link #setData}). Empty for SHT_NOBITS.
     * For decoded sections (symbols, relocations, groups) this is what was read, until the writer
     * encodes the current entries.
     */
    public byte[] data() {
        if (readFrom != null) {
            data = java.util.Arrays.copyOfRange(readFrom, readOffset, readOffset + readLength);
            readFrom = null;
        }
        return data;
    }

    public void setData(byte[] data) {
        this.data = Objects.requireNonNull(data, "data");
        this.readFrom = null;
    }

    /**
     * The contents as read, at {@code offset} in {@code input}, without copying them yet: the reader decodes
     * symbol and relocation sections straight from the input, so a copy (megabytes in a large module) is made only
     * for a caller that asks for the raw bytes.
     */
    void setDataAsRead(byte[] input, int offset, int length) {
        this.data = null;
        this.readFrom = input;
        this.readOffset = offset;
        this.readLength = length;
    }

    /** sh_size: the contents' length, or the declared size of a SHT_NOBITS section. */
    public long size() {
        return type == Elf.SHT_NOBITS ? nobitsSize : readFrom != null ? readLength : data.length;
    }

    /** Sets the declared size of a SHT_NOBITS section. */
    public void setNobitsSize(long size) {
        if (type != Elf.SHT_NOBITS) {
            throw new IllegalStateException(name + " is not SHT_NOBITS");
        }
        this.nobitsSize = size;
    }

    public boolean isAlloc() {
        return (flags & Elf.SHF_ALLOC) != 0;
    }

    /** sh_offset as read from the input (for messages), or -1 for a section created in memory. */
    public long fileOffset() {
        return originalOffset;
    }

    @Override
    public String toString() {
        return name.isEmpty() ? "<" + Elf.sectionTypeName(type) + ">" : name;
    }
}
