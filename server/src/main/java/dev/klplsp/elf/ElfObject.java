// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import dev.klplsp.base.AtomicFile;
import dev.klplsp.base.InputFile;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A relocatable ELF object (ET_REL: .o or .ko) as a mutable model. Read with {@link #read(Path)}, change
 * sections, symbols and relocations through the model, then {@link #write(Path)}.
 */
public final class ElfObject {
    private final Path path;
    private final boolean is64;
    private final ByteOrder byteOrder;
    private final int type;
    private final int machine;
    private final long flags;
    /** The input bytes: the writer keeps unchanged sections at their offsets and the header's other fields. */
    final byte[] original;
    final List<Section> sections = new ArrayList<>();
    private final ModuleSignature signature;
    /** e_shoff and e_shstrndx's section as read. */
    long originalShoff;
    int originalShnum;
    Section sectionNameTable;
    /** [offset, size] of every section's contents in the input, for the writer to free what moved. */
    final List<long[]> originalRanges = new ArrayList<>();

    ElfObject(Path path, byte[] original, boolean is64, ByteOrder byteOrder, int type, int machine, long flags,
            ModuleSignature signature) {
        this.path = path;
        this.original = original;
        this.is64 = is64;
        this.byteOrder = byteOrder;
        this.type = type;
        this.machine = machine;
        this.flags = flags;
        this.signature = signature;
    }

    /** Reads a whole relocatable object; anything else is an {@link ElfFormatException}. */
    public static ElfObject read(Path path) {
        return read(path, InputFile.readAllBytes(path, InputFile.ELF_OBJECT, ElfFormatException::new));
    }

    /** Reads an object from memory (e.g. a decompressed .ko.xz); {@code displayPath} names it in errors. */
    public static ElfObject read(Path displayPath, byte[] bytes) {
        return ElfReader.read(displayPath, bytes);
    }

    public Path path() {
        return path;
    }

    public boolean is64() {
        return is64;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** e_machine (Elf.EM_*). */
    public int machine() {
        return machine;
    }

    /** e_type; always ET_REL for a model read by this class. */
    public int type() {
        return type;
    }

    /** e_flags. */
    public long flags() {
        return flags;
    }

    /** All sections in index order; index 0 is the null section. Unmodifiable: use add/removeSection. */
    public List<Section> sections() {
        return Collections.unmodifiableList(sections);
    }

    public Section section(int index) {
        return sections.get(index);
    }

    /** The index of a section (by identity), or -1 when it is not part of this object. */
    public int indexOf(Section section) {
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i) == section) {
                return i;
            }
        }
        return -1;
    }

    /** The first section with this name. */
    public Optional<Section> findSection(String name) {
        for (Section section : sections) {
            if (section.name().equals(name)) {
                return Optional.of(section);
            }
        }
        return Optional.empty();
    }

    public List<Section> sectionsOfType(int sectionType) {
        List<Section> matches = new ArrayList<>();
        for (Section section : sections) {
            if (section.type() == sectionType) {
                matches.add(section);
            }
        }
        return matches;
    }

    /** The SHT_SYMTAB section, if the object has one. */
    public Optional<SymbolTable> symbolTable() {
        for (Section section : sections) {
            if (section instanceof SymbolTable symbols) {
                return Optional.of(symbols);
            }
        }
        return Optional.empty();
    }

    /** Every SHT_RELA and SHT_REL section, in index order. */
    public List<RelocationSection> relocationSections() {
        List<RelocationSection> matches = new ArrayList<>();
        for (Section section : sections) {
            if (section instanceof RelocationSection relocations) {
                matches.add(relocations);
            }
        }
        return matches;
    }

    /** The relocation sections whose target (sh_info) is {@code target}. */
    public List<RelocationSection> relocationSectionsFor(Section target) {
        List<RelocationSection> matches = new ArrayList<>();
        for (RelocationSection relocations : relocationSections()) {
            if (relocations.target() == target) {
                matches.add(relocations);
            }
        }
        return matches;
    }

    /** The "key=value" strings of .modinfo, in order (empty when there is no .modinfo). */
    public List<ModinfoEntry> modinfo() {
        return findSection(".modinfo").map(s -> parseModinfo(s.data())).orElse(List.of());
    }

    /** The first .modinfo value for a key, e.g. {@code modinfo("livepatch")} gives "Y". */
    public Optional<String> modinfo(String key) {
        for (ModinfoEntry entry : modinfo()) {
            if (entry.key().equals(key)) {
                return Optional.of(entry.value());
            }
        }
        return Optional.empty();
    }

    static List<ModinfoEntry> parseModinfo(byte[] data) {
        List<ModinfoEntry> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start) {
                    String entry = new String(data, start, i - start, StandardCharsets.UTF_8);
                    int equals = entry.indexOf('=');
                    entries.add(equals < 0 ? new ModinfoEntry(entry, "")
                            : new ModinfoEntry(entry.substring(0, equals), entry.substring(equals + 1)));
                }
                start = i + 1;
            }
        }
        return entries;
    }

    /** The appended module signature of the input, if it had one. */
    public Optional<ModuleSignature> signature() {
        return Optional.ofNullable(signature);
    }

    /** Appends a section (its index becomes the current section count). Returns it. */
    public <S extends Section> S addSection(S section) {
        if (indexOf(section) >= 0) {
            throw new IllegalArgumentException(section.name() + " is already part of " + path);
        }
        if (section instanceof SymbolTable && symbolTable().isPresent()) {
            throw new IllegalArgumentException(path + " already has a symbol table");
        }
        sections.add(section);
        return section;
    }

    /**
     * Removes a section. References to it (relocation sections targeting it, symbols defined in it, group
     * membership, sh_link) are the caller's to drop first; the writer fails with IllegalStateException on
     * any that remain, except that a removed section's own section symbol (STT_SECTION) is dropped too.
     */
    public void removeSection(Section section) {
        int index = indexOf(section);
        if (index <= 0) {
            throw new IllegalArgumentException(section.name() + " is not a removable section of " + path);
        }
        sections.remove(index);
        symbolTable().ifPresent(symbols -> symbols.symbols().removeIf(
                symbol -> symbol.type() == Elf.STT_SECTION && symbol.section() == section && isUnreferenced(symbol)));
    }

    private boolean isUnreferenced(Symbol symbol) {
        for (RelocationSection relocations : relocationSections()) {
            for (Relocation relocation : relocations.relocations()) {
                if (relocation.symbol() == symbol) {
                    return false;
                }
            }
        }
        return true;
    }

    /** sh_link as an index, as the writer would write it (0 for none). */
    public int linkIndex(Section section) {
        return section.link() == null ? 0 : indexOf(section.link());
    }

    /**
     * sh_info as the writer would write it: the first non-local symbol of a symbol table, the target index
     * of a relocation section, the signature symbol index of a group, the section index of other
     * SHF_INFO_LINK sections, otherwise the raw value.
     */
    public int infoIndex(Section section) {
        if (section instanceof SymbolTable symbols) {
            return symbols.firstNonLocal();
        }
        if (section instanceof RelocationSection relocations) {
            return relocations.target() == null ? 0 : indexOf(relocations.target());
        }
        if (section instanceof GroupSection group) {
            return group.symbols().indexOf(group.signature());
        }
        if (section.infoSection() != null) {
            return indexOf(section.infoSection());
        }
        return section.info();
    }

    /** st_shndx of a symbol as the writer would write it (before SHN_XINDEX escaping). */
    public int shndxOf(Symbol symbol) {
        return symbol.section() == null ? symbol.specialIndex() : indexOf(symbol.section());
    }

    /** Encodes the object as it now is. The module signature is never kept. */
    public byte[] toBytes() {
        return new ElfWriter(this).write();
    }

    /** Writes the object atomically (temp file + rename); the input file is never touched. */
    public WriteResult write(Path out) {
        byte[] bytes = toBytes();
        AtomicFile.write(out, bytes);
        return new WriteResult(out, bytes.length, signature());
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
