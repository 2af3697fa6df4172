// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.elf.ElfSymbolFile.SectionInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The DWARF sections of one ELF file, ready to read: decompressed, and in a relocatable file (a module's
 * debug .ko) with the relocations of every section that holds offsets or addresses applied. Sections a file
 * lacks are empty buffers.
 */
final class DebugSections {
    final Path path;
    final boolean relocatable;
    final ByteBuffer info;
    final ByteBuffer abbrev;
    final ByteBuffer str;
    final ByteBuffer lineStr;
    final ByteBuffer strOffsets;
    final ByteBuffer addr;
    final ByteBuffer rnglists;
    final ByteBuffer ranges;
    final ByteBuffer line;
    final ByteBuffer loclists;
    final ByteBuffer loc;
    /** Where the relocations of {@code .debug_info}, {@code .debug_addr} and the range lists pointed. */
    final ElfSectionFile.Relocated infoRelocations;
    final ElfSectionFile.Relocated addrRelocations;
    final ElfSectionFile.Relocated rnglistsRelocations;
    final ElfSectionFile.Relocated rangesRelocations;
    /** Relocations of types other than absolute data, left unapplied (counted over all debug sections). */
    final int skippedRelocations;

    private DebugSections(ElfSectionFile elf) {
        this.path = elf.path();
        this.relocatable = elf.type() == Elf.ET_REL;
        this.infoRelocations = relocated(elf, ".debug_info");
        this.info = infoRelocations.contents();
        this.abbrev = plain(elf, ".debug_abbrev");
        this.str = plain(elf, ".debug_str");
        this.lineStr = plain(elf, ".debug_line_str");
        ElfSectionFile.Relocated strOffsetsRelocated = relocated(elf, ".debug_str_offsets");
        this.strOffsets = strOffsetsRelocated.contents();
        this.addrRelocations = relocated(elf, ".debug_addr");
        this.addr = addrRelocations.contents();
        this.rnglistsRelocations = relocated(elf, ".debug_rnglists");
        this.rnglists = rnglistsRelocations.contents();
        this.rangesRelocations = relocated(elf, ".debug_ranges");
        this.ranges = rangesRelocations.contents();
        ElfSectionFile.Relocated lineRelocated = relocated(elf, ".debug_line");
        this.line = lineRelocated.contents();
        ElfSectionFile.Relocated loclistsRelocated = relocated(elf, ".debug_loclists");
        this.loclists = loclistsRelocated.contents();
        ElfSectionFile.Relocated locRelocated = relocated(elf, ".debug_loc");
        this.loc = locRelocated.contents();
        this.skippedRelocations = infoRelocations.skipped() + strOffsetsRelocated.skipped() + addrRelocations.skipped()
                + rnglistsRelocations.skipped() + rangesRelocations.skipped() + lineRelocated.skipped()
                + loclistsRelocated.skipped() + locRelocated.skipped();
    }

    /** Reads the debug sections; a file without {@code .debug_info} is an error naming what to install. */
    static DebugSections of(ElfSectionFile elf) {
        Optional<SectionInfo> info = elf.find(".debug_info");
        if (info.isEmpty() || info.get().type() == Elf.SHT_NOBITS) {
            throw new DwarfFormatException(elf.path(), ".debug_info", 0, "the file has no debug information"
                    + " (no .debug_info section; a kernel built with CONFIG_DEBUG_INFO, or the distribution's"
                    + " debug package, has it)");
        }
        return new DebugSections(elf);
    }

    private static ElfSectionFile.Relocated relocated(ElfSectionFile elf, String name) {
        Optional<SectionInfo> section = elf.find(name);
        if (section.isEmpty()) {
            return new ElfSectionFile.Relocated(empty(elf), new long[0], new int[0], 0);
        }
        return elf.relocated(section.get());
    }

    private static ByteBuffer plain(ElfSectionFile elf, String name) {
        return elf.find(name).map(elf::contents).orElseGet(() -> empty(elf));
    }

    private static ByteBuffer empty(ElfSectionFile elf) {
        return ByteBuffer.allocate(0).order(elf.byteOrder());
    }
}
