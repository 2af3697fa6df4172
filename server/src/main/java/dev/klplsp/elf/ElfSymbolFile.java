// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * The symbol table of any ELF file (ET_REL, ET_EXEC, ET_DYN), read cheaply: only headers, .symtab, its
 * string table, SHT_SYMTAB_SHNDX and .modinfo are touched. Used for vmlinux (hundreds of MB) and for
 * thousands of modules: a file up to 1 MB (nine modules in ten) is read into a reusable buffer of the reading
 * thread, a larger one is memory-mapped (no copy of the file). Mapping every module made indexing a kernel keep
 * a thousand mappings alive until the garbage collector released them, about 90 MB of resident memory.
 */
public record ElfSymbolFile(Path path, boolean is64, int machine, int type, List<SectionInfo> sections,
        List<SymbolEntry> symbols, List<ModinfoEntry> modinfo) {

    /** A section header: what the index needs to classify symbols (e.g. .text vs .data). */
    public record SectionInfo(int index, String name, int type, long flags, long addr, long size) {
    }

    /**
     * One symbol: {@code shndx} is the st_shndx masked to 0..0xffff, or the real index from
     * SHT_SYMTAB_SHNDX when st_shndx is SHN_XINDEX.
     */
    public record SymbolEntry(int index, String name, long value, long size, int type, int bind, int visibility,
            int shndx) {
        public boolean isDefined() {
            return shndx != Elf.SHN_UNDEF;
        }
    }

    private static final int READ_LIMIT = 1 << 20;
    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_LIMIT));

    /** Reads the symbols of a file: small files through a reused buffer, large ones through a memory map. */
    public static ElfSymbolFile read(Path path) {
        long size = InputFile.requireRegular(path, InputFile.ELF_SYMBOLS, ElfFormatException::new);
        if (size > READ_LIMIT) {
            ByteBuffer map = InputFile.map(path, InputFile.ELF_SYMBOLS, ElfFormatException::new);
            return read(path, map, map.capacity());
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            // Small files are read into a reused buffer: nothing read keeps it (names become strings,
            // sections records), and a map per module cost resident memory.
            ByteBuffer scratch = SCRATCH.get().clear().limit((int) size);
            while (scratch.hasRemaining() && channel.read(scratch) >= 0) {
                // read until full or end of file
            }
            return read(path, scratch.flip(), scratch.limit());
        } catch (IOException e) {
            throw new ElfFormatException(path, OptionalLong.empty(), "cannot read: " + KlpException.reason(e), e);
        }
    }

    /** Reads the symbols of an ELF image in memory (e.g. a decompressed .ko.xz). */
    public static ElfSymbolFile read(Path displayPath, byte[] bytes) {
        return read(displayPath, ByteBuffer.wrap(bytes), bytes.length);
    }

    private static ElfSymbolFile read(Path path, ByteBuffer buffer, long size) {
        ModuleSignature signature = RawElf.findSignature(path, buffer, size);
        return of(RawElf.parse(path, buffer, signature == null ? size : signature.offset()));
    }

    /** The symbols of an already parsed file (shares its buffer). */
    static ElfSymbolFile of(RawElf raw) {
        Path path = raw.path;
        List<SectionInfo> sections = new ArrayList<>(raw.shnum);
        RawElf.Header symtab = null;
        RawElf.Header dynsym = null;
        RawElf.Header modinfo = null;
        for (RawElf.Header h : raw.sections) {
            sections.add(h.sectionInfo());
            if (h.type() == Elf.SHT_SYMTAB && symtab == null) {
                symtab = h;
            } else if (h.type() == Elf.SHT_DYNSYM && dynsym == null) {
                dynsym = h;
            } else if (h.name().equals(".modinfo") && h.hasFileData()) {
                modinfo = h;
            }
        }
        RawElf.Header table = symtab != null ? symtab : dynsym;
        List<SymbolEntry> symbols = table == null ? List.of() : readSymbols(raw, table);
        List<ModinfoEntry> modinfoEntries = modinfo == null ? List.of() : ElfObject.parseModinfo(raw.bytes(modinfo));
        return new ElfSymbolFile(path, raw.is64, raw.machine, raw.type, Collections.unmodifiableList(sections),
                symbols, modinfoEntries);
    }

    private static List<SymbolEntry> readSymbols(RawElf raw, RawElf.Header table) {
        Path path = raw.path;
        int entrySize = Elf.symSize(raw.is64);
        raw.requireEntries(table, entrySize, "symbols");
        RawElf.Header stringsHeader = raw.requireLink(table, Elf.SHT_STRTAB);
        // The string table is the one copy made: names are decoded from it (vmlinux: a few MB).
        byte[] strings = raw.bytes(stringsHeader);
        int[] extended = null;
        for (RawElf.Header h : raw.sections) {
            if (h.type() == Elf.SHT_SYMTAB_SHNDX && h.link() == table.index()) {
                if (h.size() != table.size() / entrySize * 4) {
                    throw new ElfFormatException(path, h.describe() + " does not have one entry per symbol of "
                            + table.describe());
                }
                extended = new int[(int) (h.size() / 4)];
                for (int i = 0; i < extended.length; i++) {
                    extended[i] = raw.buffer.getInt((int) (h.offset() + 4L * i));
                }
            }
        }
        int count = (int) (table.size() / entrySize);
        List<SymbolEntry> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (int) (table.offset() + (long) i * entrySize);
            RawElf.SymbolFields fields = raw.symbol(at);
            int name = fields.name();
            int info = fields.info();
            int other = fields.other();
            int shndx = fields.shndx();
            long value = fields.value();
            long size = fields.size();
            if (Integer.toUnsignedLong(name) >= strings.length) {
                throw new ElfFormatException(path, at, String.format(
                        "symbol %d name offset 0x%x is past the end of %s (size 0x%x)", i,
                        Integer.toUnsignedLong(name), stringsHeader.name(), strings.length));
            }
            if (shndx == Elf.SHN_XINDEX && extended != null) {
                shndx = extended[i];
            }
            symbols.add(new SymbolEntry(i, string(strings, name), value, size, info & 0xf, info >> 4, other & 0x3,
                    shndx));
        }
        return Collections.unmodifiableList(symbols);
    }

    private static String string(byte[] strings, int offset) {
        if (offset == 0) {
            return "";
        }
        int end = offset;
        while (end < strings.length && strings[end] != 0) {
            end++;
        }
        return new String(strings, offset, end - offset, StandardCharsets.UTF_8);
    }
}
