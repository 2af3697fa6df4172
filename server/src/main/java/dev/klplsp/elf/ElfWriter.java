// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes an {@link ElfObject}. Layout rule: start from the input bytes (without any module signature);
 * a section whose encoded contents still fit where it was read (an unchanged one always does) is written at
 * its offset, a grown one is appended (aligned); the section header table likewise. Bytes of sections that
 * moved or vanished are zeroed. So an unmodified object comes out byte-identical (minus the signature), and a
 * modified one keeps every unchanged byte where it was. The layout needs only the encoded sizes, so symbol,
 * relocation and group sections are encoded straight into the output buffer, not into arrays of their own
 * first (at 100,000 symbols those were 7.4 MB, a fifth of what writing allocated).
 */
final class ElfWriter {
    private final ElfObject object;
    private final boolean is64;
    private final ByteOrder order;
    private final List<Section> sections;
    private final Map<Section, Integer> sectionIndex = new IdentityHashMap<>();
    private SymbolTable symtab;
    private ByteBuffer out;
    private long end;

    ElfWriter(ElfObject object) {
        this.object = object;
        this.is64 = object.is64();
        this.order = object.byteOrder();
        this.sections = object.sections;
    }

    byte[] write() {
        if (sections.size() >= Elf.SHN_LORESERVE) {
            throw new IllegalStateException(object.path() + ": writing " + sections.size()
                    + " sections needs extended numbering, which the writer does not support");
        }
        for (int i = 0; i < sections.size(); i++) {
            sectionIndex.put(sections.get(i), i);
        }
        symtab = object.symbolTable().orElse(null);
        if (symtab != null) {
            symtab.sortLocalsFirst();
        }
        int[] nameOffsets = sectionNameOffsets();
        int[] symbolNameOffsets = symtab == null ? null : symbolNameOffsets(symtab);

        long[] sizes = new long[sections.size()];
        for (int i = 1; i < sections.size(); i++) {
            sizes[i] = encodedSize(sections.get(i));
        }
        long[] offsets = layout(sizes);
        for (int i = 1; i < sections.size(); i++) {
            Section section = sections.get(i);
            if (hasFileData(section)) {
                ByteBuffer at = out.duplicate().order(order).position((int) offsets[i]);
                encode(section, symbolNameOffsets, at);
                if (at.position() != offsets[i] + sizes[i]) {
                    throw new IllegalStateException(object.path() + ": section " + section.name() + " encoded to "
                            + (at.position() - offsets[i]) + " bytes, laid out for " + sizes[i]);
                }
            }
        }
        writeSectionHeaders(nameOffsets, sizes, offsets);
        return out.array(); // allocated at exactly the final size by layout()
    }

    private int[] sectionNameOffsets() {
        Section names = object.sectionNameTable;
        int[] offsets = new int[sections.size()];
        if (names == null) {
            return offsets;
        }
        if (!(names instanceof StringTable table) || sectionIndex.get(names) == null) {
            throw new IllegalStateException(object.path() + ": the section name table was removed");
        }
        for (int i = 1; i < sections.size(); i++) {
            Section section = sections.get(i);
            offsets[i] = section.originalNameOffset >= 0 && table.hasAt(section.originalNameOffset, section.name())
                    ? section.originalNameOffset : table.add(section.name());
        }
        return offsets;
    }

    /**
     * st_name of every symbol: the offset it was read from while the string there is still its name, otherwise a
     * string appended to the table (all of them in one batch, so the table grows once).
     */
    private int[] symbolNameOffsets(SymbolTable symtab) {
        StringTable strings = symtab.strings();
        List<Symbol> symbols = symtab.symbols();
        int[] offsets = new int[symbols.size()];
        List<String> renamed = new ArrayList<>();
        for (int i = 1; i < symbols.size(); i++) {
            Symbol symbol = symbols.get(i);
            if (symbol.originalNameOffset >= 0 && (symbol.name().isEmpty() ? symbol.originalNameOffset == 0
                    || strings.hasAt(symbol.originalNameOffset, "") : strings.hasAt(symbol.originalNameOffset,
                    symbol.name()))) {
                offsets[i] = symbol.originalNameOffset;
            } else {
                offsets[i] = -1;
                renamed.add(symbol.name());
            }
        }
        if (!renamed.isEmpty()) {
            int[] appended = strings.addAll(renamed);
            for (int i = 1, next = 0; i < symbols.size(); i++) {
                if (offsets[i] < 0) {
                    offsets[i] = appended[next++];
                }
            }
        }
        return offsets;
    }

    /**
     * The index of a section that {@code role} of {@code owner} (e.g. "sh_link of" a section) refers to; the
     * message is only put together when the reference dangles, since this runs for every symbol.
     */
    private int index(Section section, String role, Object owner) {
        if (section == null) {
            return 0;
        }
        Integer index = sectionIndex.get(section);
        if (index == null) {
            throw new IllegalStateException(object.path() + ": " + describe(role, owner) + " refers to section "
                    + section.name() + ", which is not part of the object (removed?)");
        }
        return index;
    }

    /** The symbol-table index of a symbol; like {@link #index(Section, String, Object)}, once per relocation. */
    private int index(Symbol symbol, String role, Object owner) {
        if (symbol == null) {
            return 0;
        }
        int index = symtab == null ? -1 : symtab.indexOf(symbol);
        if (index < 0) {
            throw new IllegalStateException(object.path() + ": " + describe(role, owner) + " refers to symbol "
                    + symbol.displayName() + ", which is not in the symbol table (removed?)");
        }
        return index;
    }

    /** r_sym: 0 for none, else the index of the relocation's symbol, which must be in the symbol table. */
    private int symbolIndex(Relocation relocation, RelocationSection section) {
        int index = symtab == null ? -1 : symtab.indexOfSymbol(relocation);
        return index >= 0 ? index : index(relocation.symbol(), "a relocation in", section.name());
    }

    private static String describe(String role, Object owner) {
        return owner == null ? role : role + " " + owner;
    }

    private ByteBuffer buffer(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(order);
    }

    /** The bytes {@link #encode} writes for a section: sh_size, except for SHT_NOBITS (nothing in the file). */
    private long encodedSize(Section section) {
        if (section instanceof SymbolTable table) {
            return (long) table.symbols().size() * Elf.symSize(is64);
        }
        if (section instanceof RelocationSection relocations) {
            return (long) relocations.relocations().size() * requireEntrySize(relocations);
        }
        if (section instanceof GroupSection group) {
            return group.size();
        }
        if (section.type() == Elf.SHT_SYMTAB_SHNDX && section.link() instanceof SymbolTable table) {
            return 4L * table.symbols().size();
        }
        return section.type() == Elf.SHT_NOBITS ? 0 : section.data().length;
    }

    /** Writes a section's contents at {@code b}'s position, {@link #encodedSize} bytes. */
    private void encode(Section section, int[] symbolNameOffsets, ByteBuffer b) {
        if (section instanceof SymbolTable table) {
            encodeSymbols(table, symbolNameOffsets, b);
        } else if (section instanceof RelocationSection relocations) {
            encodeRelocations(relocations, b);
        } else if (section instanceof GroupSection group) {
            b.putInt(group.groupFlags());
            for (Section member : group.members()) {
                b.putInt(index(member, "group", group.name()));
            }
        } else if (section.type() == Elf.SHT_SYMTAB_SHNDX && section.link() instanceof SymbolTable table) {
            encodeExtendedIndices(table, b);
        } else if (section.type() != Elf.SHT_NOBITS) {
            b.put(section.data());
        }
    }

    private int symbolShndx(Symbol symbol) {
        if (symbol.section() == null) {
            return symbol.specialIndex();
        }
        return index(symbol.section(), "symbol", symbol);
    }

    private void encodeSymbols(SymbolTable table, int[] nameOffsets, ByteBuffer b) {
        List<Symbol> symbols = table.symbols();
        boolean hasExtendedIndices = hasExtendedIndexSection(table);
        for (int i = 0; i < symbols.size(); i++) {
            Symbol symbol = symbols.get(i);
            int shndx = symbolShndx(symbol);
            if (symbol.section() != null && shndx >= Elf.SHN_LORESERVE) {
                if (!hasExtendedIndices) {
                    throw new IllegalStateException(object.path() + ": symbol " + symbol.displayName()
                            + " needs SHT_SYMTAB_SHNDX (section index " + shndx + ")");
                }
                shndx = Elf.SHN_XINDEX;
            }
            int info = (symbol.bind() << 4) | (symbol.type() & 0xf);
            int name = i == 0 ? 0 : nameOffsets[i];
            if (is64) {
                b.putInt(name).put((byte) info).put((byte) symbol.other()).putShort((short) shndx)
                        .putLong(symbol.value()).putLong(symbol.size());
            } else {
                b.putInt(name).putInt((int) symbol.value()).putInt((int) symbol.size()).put((byte) info)
                        .put((byte) symbol.other()).putShort((short) shndx);
            }
        }
    }

    private boolean hasExtendedIndexSection(SymbolTable table) {
        for (Section section : sections) {
            if (section.type() == Elf.SHT_SYMTAB_SHNDX && section.link() == table) {
                return true;
            }
        }
        return false;
    }

    private void encodeExtendedIndices(SymbolTable table, ByteBuffer b) {
        for (Symbol symbol : table.symbols()) {
            int shndx = symbolShndx(symbol);
            b.putInt(symbol.section() != null && shndx >= Elf.SHN_LORESERVE ? shndx : 0);
        }
    }

    /** The entry size of a relocation section, after checking it is linked to the object's symbol table. */
    private int requireEntrySize(RelocationSection section) {
        int entrySize = section.isRela() ? Elf.relaSize(is64) : Elf.relSize(is64);
        if (section.entsize() != entrySize) {
            throw new IllegalStateException(object.path() + ": " + section.name() + " has entsize "
                    + section.entsize() + ", expected " + entrySize);
        }
        if (section.link() != object.symbolTable().orElse(null)) {
            throw new IllegalStateException(object.path() + ": " + section.name()
                    + " is not linked to the object's symbol table");
        }
        return entrySize;
    }

    private void encodeRelocations(RelocationSection section, ByteBuffer b) {
        boolean rela = section.isRela();
        for (Relocation relocation : section.relocations()) {
            long symbol = symbolIndex(relocation, section);
            if (is64) {
                b.putLong(relocation.offset()).putLong(symbol << 32 | (relocation.type() & 0xffffffffL));
                if (rela) {
                    b.putLong(relocation.addend());
                }
            } else {
                b.putInt((int) relocation.offset()).putInt((int) (symbol << 8 | (relocation.type() & 0xff)));
                if (rela) {
                    b.putInt((int) relocation.addend());
                }
            }
        }
    }

    private long[] layout(long[] sizes) {
        byte[] original = object.original;
        long originalEnd = object.signature().map(ModuleSignature::offset).orElse((long) original.length);
        long shdrSize = Elf.shdrSize(is64);
        long tableSize = shdrSize * sections.size();
        long originalTableSize = shdrSize * object.originalShnum;

        // First decide every offset, then fill a buffer of exactly the final size.
        long[] offsets = new long[sections.size()];
        end = originalEnd;
        for (int i = 1; i < sections.size(); i++) {
            Section section = sections.get(i);
            if (!hasFileData(section)) {
                offsets[i] = section.originalOffset;
            } else if (section.originalOffset >= 0 && sizes[i] <= section.originalSize) {
                // Unchanged, or changed but still fits where it was (nothing else lived there).
                offsets[i] = section.originalOffset;
            } else {
                offsets[i] = align(end, section.addralign());
                end = offsets[i] + sizes[i];
            }
        }
        for (int i = 1; i < sections.size(); i++) {
            if (!hasFileData(sections.get(i)) && offsets[i] < 0) {
                offsets[i] = align(end, sections.get(i).addralign());
            }
        }
        shoff = object.originalShoff > 0 && tableSize <= originalTableSize ? object.originalShoff
                : align(end, is64 ? 8 : 4);
        end = Math.max(end, shoff + tableSize);
        if (end > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(object.path() + ": the output would be " + end
                    + " bytes; more than 2 GiB is not supported");
        }

        out = buffer(end);
        out.put(0, original, 0, (int) Math.min(originalEnd, end));
        // Free every byte range the input's sections and header table used; write() then encodes every section:
        // unchanged ones land on their own bytes, so what stays zeroed is exactly what moved or vanished.
        if (object.originalShoff > 0) {
            Arrays.fill(out.array(), (int) object.originalShoff, (int) (object.originalShoff + originalTableSize), (byte) 0);
        }
        for (long[] range : object.originalRanges) {
            Arrays.fill(out.array(), (int) range[0], (int) (range[0] + range[1]), (byte) 0);
        }
        return offsets;
    }

    /**
     * Whether a section's contents are in the file: not SHT_NOBITS, and not an inactive SHT_NULL header past
     * index 0, whose sh_offset means nothing (the reader checks neither against the file size).
     */
    private static boolean hasFileData(Section section) {
        return section.type() != Elf.SHT_NOBITS && section.type() != Elf.SHT_NULL;
    }

    private long shoff;

    private long align(long offset, long alignment) {
        if (alignment <= 1) {
            return offset;
        }
        if (alignment > Integer.MAX_VALUE) {
            throw new IllegalStateException(object.path() + ": cannot place a section with sh_addralign 0x"
                    + Long.toHexString(alignment));
        }
        return (offset + alignment - 1) / alignment * alignment;
    }

    private void writeSectionHeaders(int[] nameOffsets, long[] sizes, long[] offsets) {
        int shdrSize = Elf.shdrSize(is64);
        for (int i = 0; i < sections.size(); i++) {
            int at = (int) (shoff + (long) i * shdrSize);
            if (i == 0) {
                // Keep the null section header as read (it is all zeros unless extended numbering is used).
                if (object.originalShoff > 0) {
                    out.put(at, object.original, (int) object.originalShoff, shdrSize);
                }
                continue;
            }
            Section section = sections.get(i);
            long size = section.type() == Elf.SHT_NOBITS ? section.size() : sizes[i];
            int link = index(section.link(), "sh_link of", section.name());
            int info = info(section);
            ByteBuffer b = out.duplicate().order(order).position(at);
            if (is64) {
                b.putInt(nameOffsets[i]).putInt(section.type()).putLong(section.flags()).putLong(section.addr())
                        .putLong(offsets[i]).putLong(size).putInt(link).putInt(info).putLong(section.addralign())
                        .putLong(section.entsize());
            } else {
                b.putInt(nameOffsets[i]).putInt(section.type()).putInt((int) section.flags()).putInt((int) section.addr())
                        .putInt((int) offsets[i]).putInt((int) size).putInt(link).putInt(info)
                        .putInt((int) section.addralign()).putInt((int) section.entsize());
            }
        }
        int shstrndx = object.sectionNameTable == null ? 0 : index(object.sectionNameTable, "e_shstrndx", null);
        if (is64) {
            out.putLong(40, shoff);
            out.putShort(58, (short) shdrSize).putShort(60, (short) sections.size()).putShort(62, (short) shstrndx);
        } else {
            out.putInt(32, (int) shoff);
            out.putShort(46, (short) shdrSize).putShort(48, (short) sections.size()).putShort(50, (short) shstrndx);
        }
    }

    private int info(Section section) {
        if (section instanceof SymbolTable table) {
            return table.firstNonLocal();
        }
        if (section instanceof RelocationSection relocations) {
            return index(relocations.target(), "sh_info of", section.name());
        }
        if (section instanceof GroupSection group) {
            return index(group.signature(), "group", group.name());
        }
        if (section.infoSection() != null) {
            return index(section.infoSection(), "sh_info of", section.name());
        }
        return section.info();
    }
}
