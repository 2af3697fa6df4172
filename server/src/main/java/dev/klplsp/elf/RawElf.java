// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The ELF header and section header table, decoded with our own bounds checks from a buffer (a byte array
 * or a memory map). Everything a later stage indexes with is validated here, so neither jelf nor our
 * decoders ever see an offset past the end of the file.
 */
final class RawElf {
    /** One section header, with the name resolved from the section name string table. */
    record Header(int index, int nameOffset, String name, int type, long flags, long addr, long offset, long size,
            int link, int info, long addralign, long entsize) {
        String describe() {
            return "section " + index + " (" + (name.isEmpty() ? Elf.sectionTypeName(type) : name) + ")";
        }

        boolean hasFileData() {
            return type != Elf.SHT_NOBITS && type != Elf.SHT_NULL;
        }

        ElfSymbolFile.SectionInfo sectionInfo() {
            return new ElfSymbolFile.SectionInfo(index, name, type, flags, addr, size);
        }
    }

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};

    final Path path;
    final ByteBuffer buffer;
    /** Bytes that belong to the ELF image (an appended module signature excluded). */
    final long size;
    final boolean is64;
    final int type;
    final int machine;
    final long flags;
    final long shoff;
    final int shnum;
    final int shstrndx;
    /** e_shnum was 0 and the count came from section 0's sh_size (extended numbering). */
    final boolean extendedNumbering;
    final Header[] sections;

    private RawElf(Path path, ByteBuffer buffer, long size) {
        this.path = path;
        this.size = size;
        if (size == 0) {
            throw new ElfFormatException(path, "empty file (0 bytes), not an ELF object");
        }
        if (size < Elf.EI_NIDENT) {
            throw new ElfFormatException(path, "truncated: file is " + size + " bytes, the ELF identification needs "
                    + Elf.EI_NIDENT);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (buffer.get(i) != MAGIC[i]) {
                throw new ElfFormatException(path, 0, String.format(
                        "not an ELF file (magic 7f 45 4c 46 expected, found %02x %02x %02x %02x)",
                        buffer.get(0), buffer.get(1), buffer.get(2), buffer.get(3)));
            }
        }
        int elfClass = buffer.get(Elf.EI_CLASS);
        if (elfClass != Elf.ELFCLASS32 && elfClass != Elf.ELFCLASS64) {
            throw new ElfFormatException(path, Elf.EI_CLASS,
                    "unknown ELF class " + elfClass + " (1 = ELF32 or 2 = ELF64 expected)");
        }
        int data = buffer.get(Elf.EI_DATA);
        if (data != Elf.ELFDATA2LSB && data != Elf.ELFDATA2MSB) {
            throw new ElfFormatException(path, Elf.EI_DATA,
                    "unknown ELF data encoding " + data + " (1 = little or 2 = big endian expected)");
        }
        this.is64 = elfClass == Elf.ELFCLASS64;
        this.buffer = buffer.duplicate().order(data == Elf.ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ehdrSize = Elf.ehdrSize(is64);
        if (size < ehdrSize) {
            throw new ElfFormatException(path, "truncated: file is " + size + " bytes, ELF" + (is64 ? 64 : 32)
                    + " header needs " + ehdrSize);
        }
        ByteBuffer b = this.buffer;
        this.type = u16(16);
        this.machine = u16(18);
        this.shoff = is64 ? b.getLong(40) : u32(32);
        this.flags = u32(is64 ? 48 : 36);
        int shentsize = u16(is64 ? 58 : 46);
        int headerShnum = u16(is64 ? 60 : 48);
        int headerShstrndx = u16(is64 ? 62 : 50);
        int shdrSize = Elf.shdrSize(is64);
        if (shoff == 0) {
            this.shnum = 0;
            this.shstrndx = 0;
            this.extendedNumbering = false;
            this.sections = new Header[0];
            return;
        }
        if (shentsize != shdrSize) {
            throw new ElfFormatException(path, is64 ? 58 : 46, "e_shentsize is " + shentsize + ", ELF"
                    + (is64 ? 64 : 32) + " section headers are " + shdrSize + " bytes");
        }
        if (shoff < 0 || shoff > size - shdrSize) {
            throw new ElfFormatException(path, String.format(
                    "section header table at 0x%x lies past the end of the file (size 0x%x)", shoff, size));
        }
        Header first = header(0, shoff);
        this.extendedNumbering = headerShnum == 0;
        long count = extendedNumbering ? first.size() : headerShnum;
        if (count <= 0 || count > Integer.MAX_VALUE / shdrSize) {
            throw new ElfFormatException(path, String.format("bad section count %d (e_shnum %d)", count, headerShnum));
        }
        long tableEnd = shoff + count * shdrSize;
        if (tableEnd > size) {
            throw new ElfFormatException(path, String.format(
                    "section header table [0x%x, +0x%x) lies past the end of the file (size 0x%x)",
                    shoff, count * shdrSize, size));
        }
        this.shnum = (int) count;
        this.shstrndx = headerShstrndx == Elf.SHN_XINDEX ? first.link() : headerShstrndx;
        if (shstrndx >= shnum) {
            throw new ElfFormatException(path, "e_shstrndx " + shstrndx + " is out of range (" + shnum
                    + " sections)");
        }
        Header[] headers = new Header[shnum];
        for (int i = 0; i < shnum; i++) {
            headers[i] = header(i, shoff + (long) i * shdrSize);
        }
        Header names = shstrndx == 0 ? null : headers[shstrndx];
        if (names != null) {
            requireInFile(names, size);
        }
        if (names != null && names.type() != Elf.SHT_STRTAB) {
            throw new ElfFormatException(path, "e_shstrndx " + shstrndx + " is " + Elf.sectionTypeName(names.type())
                    + ", not a string table (SHT_STRTAB)");
        }
        for (int i = 0; i < shnum; i++) {
            Header h = headers[i];
            String name = "";
            if (names != null && (h.nameOffset() != 0 || i != 0)) {
                if (Integer.toUnsignedLong(h.nameOffset()) >= names.size()) {
                    throw new ElfFormatException(path, String.format(
                            "section %d name offset 0x%x is past the end of the section name table (size 0x%x)",
                            i, h.nameOffset(), names.size()));
                }
                name = string(names, h.nameOffset());
            }
            headers[i] = new Header(i, h.nameOffset(), name, h.type(), h.flags(), h.addr(), h.offset(), h.size(),
                    h.link(), h.info(), h.addralign(), h.entsize());
        }
        for (Header h : headers) {
            requireInFile(h, size);
        }
        this.sections = headers;
    }

    private void requireInFile(Header h, long size) {
        if (h.hasFileData() && (h.size() < 0 || h.offset() < 0 || h.offset() > size || h.size() > size - h.offset())) {
            throw new ElfFormatException(path, String.format(
                    "%s data [0x%x, +0x%x) lies past the end of the file (size 0x%x)",
                    h.describe(), h.offset(), h.size(), size));
        }
    }

    static RawElf parse(Path path, ByteBuffer buffer, long size) {
        try {
            return new RawElf(path, buffer, size);
        } catch (IndexOutOfBoundsException e) {
            // Every access is bounds-checked above; this is the safety net that keeps a bug an input error.
            throw new ElfFormatException(path, java.util.OptionalLong.empty(), "truncated or corrupt ELF: " + e, e);
        }
    }

    ByteOrder byteOrder() {
        return buffer.order();
    }

    private Header header(int index, long at) {
        int p = (int) at;
        ByteBuffer b = buffer;
        if (is64) {
            return new Header(index, b.getInt(p), "", b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
                    b.getLong(p + 24), b.getLong(p + 32), b.getInt(p + 40), b.getInt(p + 44), b.getLong(p + 48),
                    b.getLong(p + 56));
        }
        return new Header(index, b.getInt(p), "", b.getInt(p + 4), u32(p + 8), u32(p + 12), u32(p + 16), u32(p + 20),
                b.getInt(p + 24), b.getInt(p + 28), u32(p + 32), u32(p + 36));
    }

    /**
     * One {@code Elf32_Sym}/{@code Elf64_Sym} as stored, widened: st_name, st_info, st_other, st_shndx
     * (unsigned; SHN_XINDEX not resolved), st_value and st_size (unsigned in ELF32).
     */
    record SymbolFields(int name, int info, int other, int shndx, long value, long size) {
    }

    /** The symbol table entry at byte offset {@code at} (bounds checked by the caller's requireEntries). */
    SymbolFields symbol(int at) {
        ByteBuffer b = buffer;
        if (is64) {
            return new SymbolFields(b.getInt(at), b.get(at + 4) & 0xff, b.get(at + 5) & 0xff,
                    b.getShort(at + 6) & 0xffff, b.getLong(at + 8), b.getLong(at + 16));
        }
        return new SymbolFields(b.getInt(at), b.get(at + 12) & 0xff, b.get(at + 13) & 0xff,
                b.getShort(at + 14) & 0xffff, b.getInt(at + 4) & 0xffffffffL, b.getInt(at + 8) & 0xffffffffL);
    }

    int u16(int at) {
        return buffer.getShort(at) & 0xffff;
    }

    long u32(int at) {
        return buffer.getInt(at) & 0xffffffffL;
    }

    /** The NUL-terminated string at {@code offset} of a (validated) string table section. */
    String string(Header table, int offset) {
        int start = (int) (table.offset() + offset);
        int end = (int) (table.offset() + table.size());
        int nul = start;
        while (nul < end && buffer.get(nul) != 0) {
            nul++;
        }
        byte[] bytes = new byte[nul - start];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The file bytes of a (validated) section. */
    byte[] bytes(Header section) {
        if (!section.hasFileData()) {
            return new byte[0];
        }
        byte[] bytes = new byte[(int) section.size()];
        buffer.get((int) section.offset(), bytes);
        return bytes;
    }

    /** Checks that a section's entsize and size fit its entries (e.g. 24-byte Elf64_Sym). */
    void requireEntries(Header section, int entrySize, String what) {
        if (section.entsize() != entrySize) {
            throw new ElfFormatException(path, String.format(
                    "%s has sh_entsize %d, but ELF%d %s are %d bytes", section.describe(), section.entsize(),
                    is64 ? 64 : 32, what, entrySize));
        }
        if (section.size() % entrySize != 0) {
            throw new ElfFormatException(path, String.format("%s size 0x%x is not a multiple of sh_entsize %d",
                    section.describe(), section.size(), entrySize));
        }
    }

    /** Checks that sh_link names a section of the expected type. */
    Header requireLink(Header section, int expectedType) {
        int link = section.link();
        if (link <= 0 || link >= shnum) {
            throw new ElfFormatException(path, section.describe() + " has sh_link " + Integer.toUnsignedString(link)
                    + ", out of range (" + shnum + " sections); a " + Elf.sectionTypeName(expectedType)
                    + " section is expected");
        }
        Header linked = sections[link];
        if (linked.type() != expectedType) {
            throw new ElfFormatException(path, section.describe() + " has sh_link " + link + " ("
                    + Elf.sectionTypeName(linked.type()) + "), but a " + Elf.sectionTypeName(expectedType)
                    + " section is expected");
        }
        return linked;
    }

    /** Finds an appended module signature: the kernel's mod_verify_sig() layout, validated. */
    static ModuleSignature findSignature(Path path, ByteBuffer buffer, long size) {
        byte[] magic = ModuleSignature.MAGIC.getBytes(StandardCharsets.US_ASCII);
        if (size < magic.length + 12) {
            return null;
        }
        int magicAt = (int) (size - magic.length);
        for (int i = 0; i < magic.length; i++) {
            if (buffer.get(magicAt + i) != magic[i]) {
                return null;
            }
        }
        // struct module_signature { u8 algo, hash, id_type, signer_len, key_id_len; u8 __pad[3]; __be32 sig_len; }
        int info = magicAt - 12;
        int signerLength = buffer.get(info + 3) & 0xff;
        int keyIdLength = buffer.get(info + 4) & 0xff;
        long signatureLength = buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(info + 8) & 0xffffffffL;
        long start = info - signatureLength - signerLength - keyIdLength;
        if (start < Elf.EI_NIDENT) {
            throw new ElfFormatException(path, info, "module signature trailer found, but its sig_len "
                    + signatureLength + " reaches before the start of the file");
        }
        return new ModuleSignature(start, size - start);
    }
}
