// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.elf.Elf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the small x86-64 ELF files the CDS training generates (its livepatch module, its vmlinux with debug
 * information), so that the training needs no compiler: the ELF header, the sections' contents in the order they
 * were added, then the section headers; the section name table is added last. No program headers: klp-lsp reads
 * sections only.
 */
final class TrainingElf {
    private final List<byte[]> contents = new ArrayList<>();
    /** Per section: name offset, type, flags, address, link, info, alignment, entry size. */
    private final List<long[]> headers = new ArrayList<>();
    private final Strings sectionNames = new Strings();

    TrainingElf() {
        contents.add(new byte[0]);
        headers.add(new long[8]);
    }

    /** Adds a section; returns its index. */
    int section(String name, int type, long flags, long address, int link, int info, long align, long entrySize,
            byte[] bytes) {
        contents.add(bytes);
        headers.add(new long[] {sectionNames.add(name), type, flags, address, link, info, align, entrySize});
        return contents.size() - 1;
    }

    /** The file: {@code type} is {@code ET_REL} or {@code ET_EXEC}. */
    byte[] write(int type) {
        int name = sectionNames.add(".shstrtab");
        contents.add(sectionNames.bytes());
        headers.add(new long[] {name, Elf.SHT_STRTAB, 0, 0, 0, 0, 1, 0});
        int count = contents.size();
        long[] offsets = new long[count];
        int offset = 64;
        for (int i = 1; i < count; i++) {
            offset = (offset + 7) & ~7;
            offsets[i] = offset;
            offset += contents.get(i).length;
        }
        int shoff = (offset + 7) & ~7;
        ByteBuffer elf = ByteBuffer.allocate(shoff + 64 * count).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', Elf.ELFCLASS64, Elf.ELFDATA2LSB, 1, 0});
        elf.position(16);
        // e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize, e_phentsize, e_phnum,
        // e_shentsize, e_shnum, e_shstrndx
        elf.putShort((short) type).putShort((short) Elf.EM_X86_64).putInt(1).putLong(0).putLong(0).putLong(shoff)
                .putInt(0).putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) count).putShort((short) (count - 1));
        for (int i = 1; i < count; i++) {
            elf.put((int) offsets[i], contents.get(i));
        }
        elf.position(shoff);
        for (int i = 0; i < count; i++) {
            long[] h = headers.get(i);
            // sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
            elf.putInt((int) h[0]).putInt((int) h[1]).putLong(h[2]).putLong(h[3]).putLong(offsets[i])
                    .putLong(contents.get(i).length).putInt((int) h[4]).putInt((int) h[5]).putLong(h[6])
                    .putLong(h[7]);
        }
        return elf.array();
    }

    /** A string table: NUL-separated, starting with the empty string. */
    static final class Strings {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Strings() {
            bytes.write(0);
        }

        /** Adds a string; returns its offset. */
        int add(String string) {
            int offset = bytes.size();
            bytes.writeBytes(string.getBytes(StandardCharsets.US_ASCII));
            bytes.write(0);
            return offset;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** A symbol table: Elf64_Sym entries after the null one; locals must come before globals. */
    static final class Symbols {
        private final Strings names = new Strings();
        private final ByteArrayOutputStream entries = new ByteArrayOutputStream();
        private int count = 1;
        private int locals = 1;

        Symbols() {
            entries.writeBytes(new byte[24]);
        }

        /** Adds a symbol; returns its index. */
        int add(String name, int bind, int type, int section, long value, long size) {
            ByteBuffer entry = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            entry.putInt(name.isEmpty() ? 0 : names.add(name)).put((byte) (bind << 4 | type)).put((byte) 0)
                    .putShort((short) section).putLong(value).putLong(size);
            entries.writeBytes(entry.array());
            if (bind == Elf.STB_LOCAL) {
                if (locals != count) {
                    throw new IllegalStateException("local symbol " + name + " after a global one");
                }
                locals++;
            }
            return count++;
        }

        /** Adds {@code .symtab} and its {@code .strtab} to {@code elf}. */
        void addTo(TrainingElf elf) {
            int strtab = elf.contents.size() + 1;
            elf.section(".symtab", Elf.SHT_SYMTAB, 0, 0, strtab, locals, 8, 24, entries.toByteArray());
            elf.section(".strtab", Elf.SHT_STRTAB, 0, 0, 0, 0, 1, 0, names.bytes());
        }
    }
}
