// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import com.github.luben.zstd.Zstd;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfSymbolFile.SectionInfo;
import dev.klplsp.elf.ElfSymbolFile.SymbolEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The section contents of any ELF file (ET_REL, ET_EXEC, ET_DYN), read through a memory map: for the debug
 * sections of a 633 MB vmlinux nothing is copied. Compressed sections (SHF_COMPRESSED, zlib or zstd) are
 * decompressed off the heap; in a relocatable file the absolute data relocations of a section (what debug
 * sections carry: {@code S + A} stored as a word) can be applied to a copy.
 *
 * <p>Headers are decoded and bounds-checked by {@code RawElf}, symbols by {@link ElfSymbolFile}: this class
 * adds no second header parser.
 */
public final class ElfSectionFile {
    /**
     * A decompressed section may be at most this many times larger than its compressed bytes (real debug
     * info compresses 3-10 times), and never larger than {@link #MAX_COPY}: a zip bomb is refused, not
     * inflated.
     */
    static final long MAX_COMPRESSION_RATIO = 100;
    /** The largest section copy (decompressed or relocated) this reader makes. */
    static final long MAX_COPY = 1L << 30;

    private final RawElf raw;
    private final List<SectionInfo> sections;
    private volatile ElfSymbolFile symbols;

    private ElfSectionFile(RawElf raw) {
        this.raw = raw;
        SectionInfo[] infos = new SectionInfo[raw.shnum];
        for (RawElf.Header h : raw.sections) {
            infos[h.index()] = h.sectionInfo();
        }
        this.sections = List.of(infos);
    }

    /** Maps a regular file read-only. */
    public static ElfSectionFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ElfFormatException(path, Files.exists(path) ? "not a regular file" : "no such file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path, String.format("%,d bytes: files over 2 GiB are not supported",
                        size));
            }
            ByteBuffer map = size == 0 ? ByteBuffer.allocate(0) : channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new ElfSectionFile(RawElf.parse(path, map, size));
        } catch (IOException e) {
            throw new ElfFormatException(path, OptionalLong.empty(), "cannot read: " + KlpException.reason(e), e);
        }
    }

    /** An ELF image in memory (tests, fuzzing); {@code displayPath} names it in messages. */
    public static ElfSectionFile of(Path displayPath, byte[] bytes) {
        return new ElfSectionFile(RawElf.parse(displayPath, ByteBuffer.wrap(bytes), bytes.length));
    }

    public Path path() {
        return raw.path;
    }

    /** e_type: {@link Elf#ET_REL}, {@link Elf#ET_EXEC}... */
    public int type() {
        return raw.type;
    }

    public int machine() {
        return raw.machine;
    }

    public boolean is64() {
        return raw.is64;
    }

    public ByteOrder byteOrder() {
        return raw.byteOrder();
    }

    public List<SectionInfo> sections() {
        return sections;
    }

    /** The first section of this name. */
    public Optional<SectionInfo> find(String name) {
        for (RawElf.Header h : raw.sections) {
            if (h.name().equals(name)) {
                return Optional.of(sections.get(h.index()));
            }
        }
        return Optional.empty();
    }

    /** The symbol table, read on first use from the same map. */
    public ElfSymbolFile symbols() {
        ElfSymbolFile file = symbols;
        if (file == null) {
            file = ElfSymbolFile.of(raw);
            symbols = file;
        }
        return file;
    }

    /**
     * A section's bytes in the file's byte order, positioned at 0: a view of the map, or, for an
     * SHF_COMPRESSED section, its decompressed bytes. Empty for SHT_NOBITS.
     */
    public ByteBuffer contents(SectionInfo section) {
        RawElf.Header h = raw.sections[section.index()];
        if (!h.hasFileData() || h.size() == 0) {
            return ByteBuffer.allocate(0).order(raw.byteOrder());
        }
        ByteBuffer bytes = raw.buffer.slice((int) h.offset(), (int) h.size()).order(raw.byteOrder());
        if ((h.flags() & Elf.SHF_COMPRESSED) == 0) {
            return bytes;
        }
        return decompress(h, bytes);
    }

    /**
     * A section's bytes with the absolute data relocations of every SHT_RELA/SHT_REL section that applies to
     * it, for a relocatable file (where offsets into other debug sections and addresses are only right after
     * relocation); for other files, {@link #contents} unchanged. Relocation types other than absolute data
     * are left alone and counted.
     */
    public Relocated relocated(SectionInfo section) {
        ByteBuffer original = contents(section);
        if (raw.type != Elf.ET_REL) {
            return new Relocated(original, new long[0], new int[0], 0);
        }
        RawElf.Header target = raw.sections[section.index()];
        int relocationCount = 0;
        for (RawElf.Header h : raw.sections) {
            if ((h.type() == Elf.SHT_RELA || h.type() == Elf.SHT_REL) && h.info() == target.index()) {
                relocationCount += (int) (h.size() / Math.max(1, h.entsize()));
            }
        }
        if (relocationCount == 0) {
            return new Relocated(original, new long[0], new int[0], 0);
        }
        long size = original.capacity();
        if (size > MAX_COPY) {
            throw new ElfFormatException(raw.path, String.format("%s is %,d bytes; relocating more than %,d is refused",
                    target.describe(), size, MAX_COPY));
        }
        ByteBuffer copy = ByteBuffer.allocateDirect((int) size).order(raw.byteOrder());
        copy.put(0, original, 0, (int) size);
        long[] offsets = new long[relocationCount];
        int[] sections = new int[relocationCount];
        int applied = 0;
        int skipped = 0;
        List<SymbolEntry> symbolList = symbols().symbols();
        for (RawElf.Header h : raw.sections) {
            if ((h.type() != Elf.SHT_RELA && h.type() != Elf.SHT_REL) || h.info() != target.index()) {
                continue;
            }
            boolean rela = h.type() == Elf.SHT_RELA;
            int entrySize = rela ? Elf.relaSize(raw.is64) : Elf.relSize(raw.is64);
            raw.requireEntries(h, entrySize, rela ? "RELA entries" : "REL entries");
            ByteBuffer b = raw.buffer;
            int count = (int) (h.size() / entrySize);
            for (int i = 0; i < count; i++) {
                int at = (int) (h.offset() + (long) i * entrySize);
                long offset;
                long symbolIndex;
                int type;
                long addend = 0;
                if (raw.is64) {
                    offset = b.getLong(at);
                    long info = b.getLong(at + 8);
                    symbolIndex = info >>> 32;
                    type = (int) info;
                    if (rela) {
                        addend = b.getLong(at + 16);
                    }
                } else {
                    offset = b.getInt(at) & 0xffffffffL;
                    int info = b.getInt(at + 4);
                    symbolIndex = info >>> 8;
                    type = info & 0xff;
                    if (rela) {
                        addend = b.getInt(at + 8);
                    }
                }
                int width = RelocTypes.absoluteDataSize(raw.machine, type);
                if (width == 0) {
                    if (!RelocTypes.isNone(raw.machine, type)) {
                        skipped++;
                    }
                    continue;
                }
                if (offset < 0 || offset > size - width) {
                    throw new ElfFormatException(raw.path, at, String.format(
                            "%s entry %d: offset 0x%x lies outside %s (size 0x%x)", h.describe(), i, offset,
                            target.describe(), size));
                }
                if (symbolIndex >= symbolList.size()) {
                    throw new ElfFormatException(raw.path, at, String.format(
                            "%s entry %d: symbol %d is out of range (%d symbols)", h.describe(), i, symbolIndex,
                            symbolList.size()));
                }
                SymbolEntry symbol = symbolList.get((int) symbolIndex);
                if (!rela) {
                    addend = width == 8 ? copy.getLong((int) offset)
                            : raw.machine == Elf.EM_X86_64 && type == 11 ? copy.getInt((int) offset)
                            : copy.getInt((int) offset) & 0xffffffffL;
                }
                long value = (symbol.isDefined() ? symbol.value() : 0) + addend;
                if (width == 8) {
                    copy.putLong((int) offset, value);
                } else {
                    copy.putInt((int) offset, (int) value);
                }
                offsets[applied] = offset;
                sections[applied] = symbol.isDefined() && symbol.shndx() < Elf.SHN_LORESERVE ? symbol.shndx() : -1;
                applied++;
            }
        }
        return Relocated.sorted(copy, Arrays.copyOf(offsets, applied), Arrays.copyOf(sections, applied), skipped);
    }

    /**
     * A section after relocation, with where each absolute relocation pointed: in a relocatable file an address
     * is a section offset, and the relocation says which section.
     *
     * @param offsets        the relocated offsets, ascending
     * @param symbolSections the section index of each relocation's symbol (-1: absolute or undefined)
     * @param skipped        relocations of other types, left unapplied
     */
    public record Relocated(ByteBuffer contents, long[] offsets, int[] symbolSections, int skipped) {
        static Relocated sorted(ByteBuffer contents, long[] offsets, int[] sections, int skipped) {
            boolean ascending = true;
            for (int i = 1; i < offsets.length && ascending; i++) {
                ascending = offsets[i - 1] < offsets[i];
            }
            if (!ascending) {
                Integer[] order = new Integer[offsets.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Long.compare(offsets[a], offsets[b]));
                long[] sortedOffsets = new long[offsets.length];
                int[] sortedSections = new int[offsets.length];
                for (int i = 0; i < order.length; i++) {
                    sortedOffsets[i] = offsets[order[i]];
                    sortedSections[i] = sections[order[i]];
                }
                return new Relocated(contents, sortedOffsets, sortedSections, skipped);
            }
            return new Relocated(contents, offsets, sections, skipped);
        }

        /** The section a relocation at exactly {@code offset} refers to; -1 when none was applied there. */
        public int sectionAt(long offset) {
            int at = Arrays.binarySearch(offsets, offset);
            return at < 0 ? -1 : symbolSections[at];
        }
    }

    /** The GNU build ID ({@code .note.gnu.build-id}) in hex, when the file has one. */
    public Optional<String> buildId() {
        Optional<SectionInfo> note = find(".note.gnu.build-id");
        if (note.isEmpty() || note.get().type() != Elf.SHT_NOTE) {
            return Optional.empty();
        }
        ByteBuffer b = contents(note.get());
        // Elf_Nhdr: namesz, descsz, type (3 = NT_GNU_BUILD_ID), name "GNU\0" padded to 4, desc.
        if (b.capacity() < 12) {
            return Optional.empty();
        }
        int nameSize = b.getInt(0);
        int descSize = b.getInt(4);
        int type = b.getInt(8);
        long descStart = 12L + ((nameSize + 3L) & ~3L);
        if (type != 3 || nameSize < 0 || descSize <= 0 || descStart + descSize > b.capacity()) {
            return Optional.empty();
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < descSize; i++) {
            hex.append(String.format("%02x", b.get((int) descStart + i)));
        }
        return Optional.of(hex.toString());
    }

    private ByteBuffer decompress(RawElf.Header h, ByteBuffer bytes) {
        // Elf64_Chdr: ch_type u32, ch_reserved u32, ch_size u64, ch_addralign u64; Elf32_Chdr: type, size, align.
        int headerSize = raw.is64 ? 24 : 12;
        if (bytes.capacity() < headerSize) {
            throw new ElfFormatException(raw.path, h.offset(), h.describe()
                    + " is SHF_COMPRESSED but too short for its compression header");
        }
        int type = bytes.getInt(0);
        long size = raw.is64 ? bytes.getLong(8) : bytes.getInt(4) & 0xffffffffL;
        long compressed = bytes.capacity() - headerSize;
        long allowed = Math.min(MAX_COPY, Math.max(1 << 20, compressed * MAX_COMPRESSION_RATIO));
        if (size < 0 || size > allowed) {
            throw new ElfFormatException(raw.path, h.offset(), String.format(
                    "%s claims %,d decompressed bytes from %,d compressed; more than %,d is refused",
                    h.describe(), size, compressed, allowed));
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) size);
        ByteBuffer in = bytes.slice(headerSize, (int) compressed);
        switch (type) {
            case 1 -> inflate(h, in, out);
            case 2 -> unzstd(h, in, out);
            default -> throw new ElfFormatException(raw.path, h.offset(), h.describe() + " has compression type "
                    + type + " (1 = ELFCOMPRESS_ZLIB or 2 = ELFCOMPRESS_ZSTD expected)");
        }
        return out.clear().order(raw.byteOrder());
    }

    private void inflate(RawElf.Header h, ByteBuffer in, ByteBuffer out) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in);
            while (out.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            if (out.hasRemaining()) {
                throw new ElfFormatException(raw.path, h.offset(), String.format(
                        "%s: zlib data ends after %,d of the %,d bytes its header announces", h.describe(),
                        out.position(), out.capacity()));
            }
        } catch (DataFormatException e) {
            throw new ElfFormatException(raw.path, OptionalLong.of(h.offset()), h.describe() + ": corrupt zlib data ("
                    + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private void unzstd(RawElf.Header h, ByteBuffer in, ByteBuffer out) {
        ByteBuffer source = in;
        if (!source.isDirect()) {
            source = ByteBuffer.allocateDirect(in.capacity());
            source.put(0, in, 0, in.capacity());
        }
        long result;
        try {
            result = Zstd.decompressDirectByteBuffer(out, 0, out.capacity(), source, 0, source.capacity());
        } catch (RuntimeException e) {
            throw new ElfFormatException(raw.path, OptionalLong.of(h.offset()), h.describe() + ": corrupt zstd data ("
                    + e.getMessage() + ")", e);
        }
        if (Zstd.isError(result)) {
            throw new ElfFormatException(raw.path, h.offset(), h.describe() + ": corrupt zstd data ("
                    + Zstd.getErrorName(result) + ")");
        }
        if (result != out.capacity()) {
            throw new ElfFormatException(raw.path, h.offset(), String.format(
                    "%s: zstd data holds %,d bytes, its header announces %,d", h.describe(), result, out.capacity()));
        }
    }
}
