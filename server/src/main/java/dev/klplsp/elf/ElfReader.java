// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.OptionalLong;
import net.fornwall.jelf.ElfFile;

/**
 * Builds an {@link ElfObject} from bytes; the only class that uses jelf.
 *
 * <p>{@link RawElf} validates the headers first, because jelf crashes instead of reporting on several
 * inputs: more than 32,767 sections (e_shnum is a signed short there), extended numbering, entsize 0.
 * jelf then parses the ELF header as a second opinion (its e_shnum must agree with ours). Section headers
 * come from {@link RawElf}; symbols, relocations, SHT_GROUP and SHT_SYMTAB_SHNDX are decoded here with
 * absolute buffer reads (jelf reads entries byte by byte, which made reading a module with 100,000 symbols
 * take longer than the whole conversion): st_shndx is unsigned, section symbols get "", relocation symbols
 * are resolved against the section's sh_link symbol table, names are read with our bounds checks.
 */
final class ElfReader {
    /** jelf stores e_shnum in a signed short. */
    static final int MAX_SECTIONS = Short.MAX_VALUE;
    /** The largest sh_addralign accepted: 64 KiB, the largest page size of a livepatch architecture. */
    static final long MAX_ALIGNMENT = 1L << 16;

    private final Path path;
    private final byte[] bytes;
    private final RawElf raw;
    private final ElfObject object;
    private final Section[] sections;

    private ElfReader(Path path, byte[] bytes) {
        this.path = path;
        this.bytes = bytes;
        ModuleSignature signature = RawElf.findSignature(path, ByteBuffer.wrap(bytes), bytes.length);
        long size = signature == null ? bytes.length : signature.offset();
        this.raw = RawElf.parse(path, ByteBuffer.wrap(bytes), size);
        requireRelocatable();
        this.object = new ElfObject(path, bytes, raw.is64, raw.byteOrder(), raw.type, raw.machine, raw.flags,
                signature);
        this.sections = new Section[raw.shnum];
    }

    static ElfObject read(Path path, byte[] bytes) {
        ElfReader reader = new ElfReader(path, bytes);
        try {
            return reader.build(ElfFile.from(bytes));
        } catch (RuntimeException e) {
            if (e instanceof ElfFormatException format) {
                throw format;
            }
            throw new ElfFormatException(path, OptionalLong.empty(), "corrupt ELF object (jelf: " + e + ")", e);
        }
    }

    private void requireRelocatable() {
        if (raw.type != Elf.ET_REL) {
            String name = switch (raw.type) {
                case Elf.ET_EXEC -> "ET_EXEC (an executable)";
                case Elf.ET_DYN -> "ET_DYN (a shared object)";
                case Elf.ET_CORE -> "ET_CORE (a core dump)";
                default -> "e_type " + raw.type;
            };
            throw new ElfFormatException(path, name + " where a relocatable object (ET_REL) is needed");
        }
        if (raw.shnum == 0) {
            throw new ElfFormatException(path, "a relocatable object without section headers");
        }
        if (raw.extendedNumbering) {
            throw new ElfFormatException(path, String.format(
                    "extended section numbering (e_shnum 0, %,d sections counted in section 0) is not supported",
                    raw.shnum));
        }
        if (raw.shnum > MAX_SECTIONS) {
            throw new ElfFormatException(path, String.format("more than 32,767 sections (%,d) is not supported",
                    raw.shnum));
        }
        RawElf.Header first = raw.sections[0];
        if (first.type() != Elf.SHT_NULL || first.size() != 0 || first.addr() != 0) {
            // The kernel's elf_validity_check() refuses the same ("ELF Spec violation: section 0 ...").
            throw new ElfFormatException(path, raw.shoff, String.format("section 0 must be SHT_NULL with sh_size 0"
                    + " and sh_addr 0 (found type %s, size 0x%x, addr 0x%x)", Elf.sectionTypeName(first.type()),
                    first.size(), first.addr()));
        }
        requireNoOverlap();
        int symtabs = 0;
        for (RawElf.Header h : raw.sections) {
            long align = h.addralign();
            if (align != 0 && (align & (align - 1)) != 0) {
                throw new ElfFormatException(path, String.format("%s has sh_addralign 0x%x, which is not a power of two",
                        h.describe(), align));
            }
            if (Long.compareUnsigned(align, MAX_ALIGNMENT) > 0) {
                // Real modules align to 256 bytes at most (Debian 6.1's 4,023); a section the writer moves is
                // placed at its alignment, which must stay a file offset.
                throw new ElfFormatException(path, String.format("%s has sh_addralign 0x%x; more than 64 KiB (the"
                        + " largest page size) is not supported", h.describe(), align));
            }
            switch (h.type()) {
                case Elf.SHT_SYMTAB -> {
                    symtabs++;
                    raw.requireEntries(h, Elf.symSize(raw.is64), "symbols");
                    raw.requireLink(h, Elf.SHT_STRTAB);
                }
                case Elf.SHT_RELA -> requireRelocationSection(h, Elf.relaSize(raw.is64), "Rela entries");
                case Elf.SHT_REL -> requireRelocationSection(h, Elf.relSize(raw.is64), "Rel entries");
                case Elf.SHT_GROUP -> {
                    raw.requireEntries(h, 4, "group entries");
                    raw.requireLink(h, Elf.SHT_SYMTAB);
                    if (h.size() < 4) {
                        throw new ElfFormatException(path, h.describe() + " is empty (a flag word is required)");
                    }
                }
                case Elf.SHT_SYMTAB_SHNDX -> {
                    raw.requireEntries(h, 4, "section index entries");
                    raw.requireLink(h, Elf.SHT_SYMTAB);
                }
                default -> {
                    if (Integer.toUnsignedLong(h.link()) >= raw.shnum) {
                        throw new ElfFormatException(path, h.describe() + " has sh_link "
                                + Integer.toUnsignedString(h.link()) + ", out of range (" + raw.shnum + " sections)");
                    }
                    if ((h.flags() & Elf.SHF_INFO_LINK) != 0 && Integer.toUnsignedLong(h.info()) >= raw.shnum) {
                        throw new ElfFormatException(path, h.describe() + " has SHF_INFO_LINK and sh_info "
                                + Integer.toUnsignedString(h.info()) + ", out of range (" + raw.shnum + " sections)");
                    }
                }
            }
        }
        if (symtabs > 1) {
            throw new ElfFormatException(path, "more than one symbol table (SHT_SYMTAB)");
        }
    }

    /**
     * Section contents must not overlap each other, the ELF header or the section header table: the writer keeps
     * unchanged bytes where they were and moves changed ones, which is only sound for disjoint ranges (ld never
     * makes others; a section made to overlap the header or another one is a corrupt or hostile file).
     */
    private void requireNoOverlap() {
        java.util.List<long[]> ranges = new java.util.ArrayList<>(); // {start, end, section index or -1, -2}
        ranges.add(new long[] {0, Elf.ehdrSize(raw.is64), -1});
        ranges.add(new long[] {raw.shoff, raw.shoff + (long) raw.shnum * Elf.shdrSize(raw.is64), -2});
        for (RawElf.Header h : raw.sections) {
            if (h.hasFileData() && h.size() > 0) {
                ranges.add(new long[] {h.offset(), h.offset() + h.size(), h.index()});
            }
        }
        // Not Comparator.comparingLong: its JDK-side lambda is spun in every run (the class-data archive lacks it).
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] previous = ranges.get(i - 1);
            long[] range = ranges.get(i);
            if (range[0] < previous[1]) {
                throw new ElfFormatException(path, range[0], describeRange(range) + " overlaps "
                        + describeRange(previous));
            }
        }
    }

    private String describeRange(long[] range) {
        String what = range[2] == -1 ? "the ELF header" : range[2] == -2 ? "the section header table"
                : raw.sections[(int) range[2]].describe();
        return String.format("%s [0x%x, 0x%x)", what, range[0], range[1]);
    }

    private void requireRelocationSection(RawElf.Header h, int entrySize, String what) {
        raw.requireEntries(h, entrySize, what);
        raw.requireLink(h, Elf.SHT_SYMTAB);
        if (Integer.toUnsignedLong(h.info()) >= raw.shnum) {
            throw new ElfFormatException(path, h.describe() + " applies to section (sh_info) "
                    + Integer.toUnsignedString(h.info()) + ", out of range (" + raw.shnum + " sections)");
        }
    }

    private ElfObject build(ElfFile elf) {
        if ((elf.e_shnum & 0xffff) != raw.shnum) {
            throw new ElfFormatException(path, "jelf sees " + (elf.e_shnum & 0xffff) + " sections, we see " + raw.shnum);
        }
        for (int i = 0; i < raw.shnum; i++) {
            sections[i] = createSection(raw.sections[i]);
            object.sections.add(sections[i]);
        }
        object.originalShoff = raw.shoff;
        object.originalShnum = raw.shnum;
        object.sectionNameTable = raw.shstrndx == 0 ? null : sections[raw.shstrndx];
        for (int i = 0; i < raw.shnum; i++) {
            RawElf.Header h = raw.sections[i];
            Section section = sections[i];
            section.setLink(h.link() == 0 ? null : sections[h.link()]);
            if ((h.flags() & Elf.SHF_INFO_LINK) != 0 || section instanceof RelocationSection) {
                section.setInfoSection(h.info() == 0 ? null : sections[h.info()]);
            }
        }
        // Symbols first: relocations and groups refer to them.
        for (int i = 0; i < raw.shnum; i++) {
            if (sections[i] instanceof SymbolTable symbols) {
                readSymbols(symbols, raw.sections[i]);
            }
        }
        for (int i = 0; i < raw.shnum; i++) {
            if (sections[i] instanceof RelocationSection relocations) {
                readRelocations(relocations, raw.sections[i]);
            } else if (sections[i] instanceof GroupSection group) {
                readGroup(group, raw.sections[i]);
            }
        }
        return object;
    }

    private Section createSection(RawElf.Header h) {
        int type = h.type();
        Section section = switch (type) {
            case Elf.SHT_SYMTAB -> new SymbolTable(h.name(), h.flags(), h.addralign(), h.entsize());
            case Elf.SHT_STRTAB -> new StringTable(h.name(), h.flags(), h.addralign(), h.entsize());
            case Elf.SHT_RELA, Elf.SHT_REL -> new RelocationSection(h.name(), type, h.flags(), h.addralign(), h.entsize());
            case Elf.SHT_GROUP -> new GroupSection(h.name(), h.flags(), h.addralign(), h.entsize());
            default -> new Section(h.name(), type, h.flags(), h.addralign(), h.entsize());
        };
        section.setAddr(h.addr());
        section.setInfo(h.info());
        if (type == Elf.SHT_NOBITS) {
            section.setNobitsSize(h.size());
        } else if ((section instanceof SymbolTable || section instanceof RelocationSection) && h.hasFileData()) {
            section.setDataAsRead(bytes, (int) h.offset(), (int) h.size());
        } else if (type != Elf.SHT_NULL) {
            section.setData(raw.bytes(h));
        }
        if (h.hasFileData() && h.size() > 0) {
            object.originalRanges.add(new long[] {h.offset(), h.size()});
        }
        section.originalOffset = h.offset();
        section.originalSize = h.hasFileData() ? h.size() : 0;
        section.originalNameOffset = h.nameOffset();
        return section;
    }

    private void readSymbols(SymbolTable table, RawElf.Header h) {
        StringTable strings = table.strings();
        int[] extendedIndices = extendedIndices(h);
        long count = h.size() / h.entsize();
        if (Integer.toUnsignedLong(h.info()) > count) {
            throw new ElfFormatException(path, h.describe() + " sh_info " + Integer.toUnsignedString(h.info())
                    + " (first non-local symbol) is past its " + count + " symbols");
        }
        int stringsSize = (int) strings.size();
        java.util.List<Symbol> symbols = table.symbols();
        if (symbols instanceof java.util.ArrayList<Symbol> list) {
            list.ensureCapacity((int) count);
        }
        for (int i = 0; i < count; i++) {
            int at = (int) (h.offset() + (long) i * h.entsize());
            long symbolOffset = at;
            RawElf.SymbolFields fields = raw.symbol(at);
            int stName = fields.name();
            int info = fields.info();
            int other = fields.other();
            int stShndx = fields.shndx();
            long value = fields.value();
            long size = fields.size();
            if (Integer.toUnsignedLong(stName) >= stringsSize) {
                throw new ElfFormatException(path, symbolOffset, String.format(
                        "symbol %d name offset 0x%x is past the end of %s (size 0x%x)", i,
                        Integer.toUnsignedLong(stName), strings.name(), stringsSize));
            }
            String name = stName == 0 ? "" : strings.at(stName);
            int shndx = stShndx;
            boolean isSectionIndex = stShndx != Elf.SHN_UNDEF && stShndx < Elf.SHN_LORESERVE;
            if (stShndx == Elf.SHN_XINDEX) {
                if (extendedIndices == null) {
                    throw new ElfFormatException(path, symbolOffset, "symbol " + i + " (" + name
                            + ") has st_shndx SHN_XINDEX, but there is no SHT_SYMTAB_SHNDX section");
                }
                shndx = extendedIndices[i];
                isSectionIndex = true;
            }
            Section section = null;
            int special = stShndx;
            if (isSectionIndex) {
                if (Integer.toUnsignedLong(shndx) >= raw.shnum) {
                    throw new ElfFormatException(path, symbolOffset, "symbol " + i + " (" + name + ") refers to section "
                            + Integer.toUnsignedString(shndx) + ", but there are " + raw.shnum + " sections");
                }
                section = sections[shndx];
                special = 0;
            }
            Symbol symbol = new Symbol(name, info >> 4, info & 0xf, other, value, size, section, special);
            symbol.originalNameOffset = stName;
            symbols.add(symbol);
        }
    }

    /** The SHT_SYMTAB_SHNDX entries for a symbol table, or null when it has none. */
    private int[] extendedIndices(RawElf.Header symtab) {
        for (RawElf.Header h : raw.sections) {
            if (h.type() == Elf.SHT_SYMTAB_SHNDX && h.link() == symtab.index()) {
                long count = symtab.size() / symtab.entsize();
                if (h.size() / 4 != count) {
                    throw new ElfFormatException(path, h.describe() + " has " + h.size() / 4 + " entries, but "
                            + symtab.describe() + " has " + count + " symbols");
                }
                ByteBuffer b = ByteBuffer.wrap(bytes).order(raw.byteOrder());
                int[] indices = new int[(int) count];
                for (int i = 0; i < count; i++) {
                    indices[i] = b.getInt((int) (h.offset() + 4L * i));
                }
                return indices;
            }
        }
        return null;
    }

    private void readRelocations(RelocationSection section, RawElf.Header h) {
        SymbolTable symbols = (SymbolTable) sections[h.link()];
        int symbolCount = symbols.symbols().size();
        boolean rela = h.type() == Elf.SHT_RELA;
        int count = (int) (h.size() / h.entsize());
        ByteBuffer b = raw.buffer;
        java.util.List<Relocation> relocations = section.relocations();
        if (relocations instanceof java.util.ArrayList<Relocation> list) {
            list.ensureCapacity(count);
        }
        for (int i = 0; i < count; i++) {
            int at = (int) (h.offset() + (long) i * h.entsize());
            if (raw.is64) {
                relocations.add(relocation(h, i, b.getLong(at), b.getLong(at + 8), rela ? b.getLong(at + 16) : 0,
                        symbols, symbolCount));
            } else {
                relocations.add(relocation(h, i, b.getInt(at), b.getInt(at + 4), rela ? b.getInt(at + 8) : 0,
                        symbols, symbolCount));
            }
        }
    }

    private Relocation relocation(RawElf.Header h, int index, long offset, long info, long addend,
            SymbolTable symbols, int symbolCount) {
        long symbolIndex;
        int type;
        if (raw.is64) {
            symbolIndex = info >>> 32;
            type = (int) info;
        } else {
            // ELF32_R_SYM / ELF32_R_TYPE on the unsigned 32-bit r_info.
            long info32 = info & 0xffffffffL;
            symbolIndex = info32 >>> 8;
            type = (int) (info32 & 0xff);
            offset &= 0xffffffffL;
        }
        if (symbolIndex >= symbolCount) {
            throw new ElfFormatException(path, h.offset() + (long) index * h.entsize(), "relocation " + index + " of "
                    + h.name() + " refers to symbol " + symbolIndex + ", but " + symbols.name() + " has " + symbolCount
                    + " symbols");
        }
        Relocation relocation = new Relocation(offset, type, symbolIndex == 0 ? null : symbols.symbol((int) symbolIndex),
                addend);
        relocation.symbolIndexHint = (int) symbolIndex;
        return relocation;
    }

    private void readGroup(GroupSection group, RawElf.Header h) {
        SymbolTable symbols = (SymbolTable) sections[h.link()];
        ByteBuffer b = ByteBuffer.wrap(group.data()).order(raw.byteOrder());
        group.setGroupFlags(b.getInt(0));
        for (int i = 1; i < group.data().length / 4; i++) {
            int member = b.getInt(4 * i);
            if (member <= 0 || member >= raw.shnum) {
                throw new ElfFormatException(path, h.offset() + 4L * i, h.describe() + " member " + i + " is section "
                        + Integer.toUnsignedString(member) + ", out of range (" + raw.shnum + " sections)");
            }
            group.members().add(sections[member]);
        }
        if (Integer.toUnsignedLong(h.info()) >= symbols.symbols().size()) {
            throw new ElfFormatException(path, h.describe() + " signature symbol (sh_info) " + Integer.toUnsignedString(
                    h.info()) + " is out of range (" + symbols.symbols().size() + " symbols)");
        }
        group.setSignature(symbols.symbol(h.info()));
    }
}
