// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import dev.klplsp.elf.ElfSectionFile;
import java.nio.ByteBuffer;

/**
 * The little of location and range lists this reader needs: the first operation of a parameter's location
 * list ({@code .debug_loclists}, DWARF 5; {@code .debug_loc}, DWARF 2-4) and the start addresses of a
 * subprogram's ranges ({@code .debug_rnglists}; {@code .debug_ranges}), each with its section in a
 * relocatable file. Lists are walked at most {@link #MAX_ENTRIES} entries far.
 */
final class LocationLists {
    static final int MAX_ENTRIES = 4096;
    /** GCC's location view pair in a DWARF 5 location list (DW_LLE_GNU_view_pair). */
    private static final int DW_LLE_GNU_view_pair = 0x09;

    private LocationLists() {
    }

    /** The first operation of the first expression of the list at {@code offset}; -1 when there is none. */
    static int firstOperation(DebugSections sections, UnitRecords unit, long offset) {
        boolean dwarf5 = unit.version >= 5;
        ByteBuffer b = dwarf5 ? sections.loclists : sections.loc;
        if (offset < 0 || offset >= b.limit()) {
            return -1;
        }
        Cursor in = new Cursor(b, (int) offset);
        try {
            for (int entry = 0; entry < MAX_ENTRIES; entry++) {
                if (!dwarf5) {
                    long begin = in.unsigned(unit.addressSize);
                    long end = in.unsigned(unit.addressSize);
                    if (begin == 0 && end == 0) {
                        return -1;
                    }
                    if (begin == allOnes(unit.addressSize)) {
                        continue; // base address selection
                    }
                    int length = in.u16();
                    return length > 0 ? in.u8() : -1;
                }
                int kind = in.u8();
                switch (kind) {
                    case Dwarf.DW_LLE_end_of_list:
                        return -1;
                    case Dwarf.DW_LLE_base_addressx:
                        in.skipLeb();
                        continue;
                    case Dwarf.DW_LLE_base_address:
                        in.unsigned(unit.addressSize);
                        continue;
                    case DW_LLE_GNU_view_pair:
                        in.skipLeb();
                        in.skipLeb();
                        continue;
                    case Dwarf.DW_LLE_startx_endx, Dwarf.DW_LLE_startx_length, Dwarf.DW_LLE_offset_pair:
                        in.skipLeb();
                        in.skipLeb();
                        break;
                    case Dwarf.DW_LLE_default_location:
                        break;
                    case Dwarf.DW_LLE_start_end:
                        in.unsigned(unit.addressSize);
                        in.unsigned(unit.addressSize);
                        break;
                    case Dwarf.DW_LLE_start_length:
                        in.unsigned(unit.addressSize);
                        in.skipLeb();
                        break;
                    default:
                        return -1;
                }
                long length = in.uleb();
                return length > 0 ? in.u8() : -1;
            }
            return -1;
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfFormatException(sections.path, dwarf5 ? ".debug_loclists" : ".debug_loc", in.pos,
                    "location list runs past the end of the section", e);
        }
    }

    /**
     * The starts of the non-empty ranges of the list at {@code offset}, at most {@code max}: addresses into
     * {@code starts}, their sections (relocatable files; else -1) into {@code startSections}.
     *
     * @return how many starts were stored
     */
    static int rangeStarts(DebugSections sections, UnitRecords unit, long offset, long[] starts, int[] startSections,
            int max) {
        boolean dwarf5 = unit.version >= 5;
        ByteBuffer b = dwarf5 ? sections.rnglists : sections.ranges;
        String name = dwarf5 ? ".debug_rnglists" : ".debug_ranges";
        if (offset < 0 || offset >= b.limit()) {
            throw new DwarfFormatException(sections.path, name, offset, String.format(
                    "range list offset is past the end of the section (size 0x%x)", b.limit()));
        }
        ElfSectionFile.Relocated relocations = dwarf5 ? sections.rnglistsRelocations : sections.rangesRelocations;
        Cursor in = new Cursor(b, (int) offset);
        long base = unit.lowPc;
        int baseSection = unit.lowPcSection;
        int count = 0;
        try {
            for (int entry = 0; entry < MAX_ENTRIES && count < max; entry++) {
                long start;
                long end;
                int section;
                if (!dwarf5) {
                    int at = in.pos;
                    start = in.unsigned(unit.addressSize);
                    end = in.unsigned(unit.addressSize);
                    if (start == 0 && end == 0 && relocations.sectionAt(at) < 0) {
                        break;
                    }
                    if (start == allOnes(unit.addressSize)) {
                        base = end;
                        baseSection = relocations.sectionAt(at + unit.addressSize);
                        continue;
                    }
                    int relocated = relocations.sectionAt(at);
                    section = relocated >= 0 ? relocated : baseSection;
                    if (relocated < 0) {
                        start += base;
                        end += base;
                    }
                } else {
                    int kind = in.u8();
                    switch (kind) {
                        case Dwarf.DW_RLE_end_of_list -> {
                            return count;
                        }
                        case Dwarf.DW_RLE_base_addressx -> {
                            int[] sectionOut = new int[1];
                            base = indexedAddress(sections, unit, in.uleb(), sectionOut);
                            baseSection = sectionOut[0];
                            continue;
                        }
                        case Dwarf.DW_RLE_startx_endx, Dwarf.DW_RLE_startx_length -> {
                            int[] sectionOut = new int[1];
                            start = indexedAddress(sections, unit, in.uleb(), sectionOut);
                            section = sectionOut[0];
                            long second = in.uleb();
                            end = kind == Dwarf.DW_RLE_startx_length ? start + second
                                    : indexedAddress(sections, unit, second, sectionOut);
                        }
                        case Dwarf.DW_RLE_offset_pair -> {
                            start = base + in.uleb();
                            end = base + in.uleb();
                            section = baseSection;
                        }
                        case Dwarf.DW_RLE_base_address -> {
                            int at = in.pos;
                            base = in.unsigned(unit.addressSize);
                            baseSection = relocations.sectionAt(at);
                            continue;
                        }
                        case Dwarf.DW_RLE_start_end, Dwarf.DW_RLE_start_length -> {
                            int at = in.pos;
                            start = in.unsigned(unit.addressSize);
                            section = relocations.sectionAt(at);
                            end = kind == Dwarf.DW_RLE_start_length ? start + in.uleb()
                                    : in.unsigned(unit.addressSize);
                        }
                        default -> throw new DwarfFormatException(sections.path, name, in.pos - 1,
                                "unknown range list entry kind " + kind);
                    }
                }
                if (end != start) {
                    starts[count] = start;
                    startSections[count] = section;
                    count++;
                }
            }
            return count;
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfFormatException(sections.path, name, in.pos, "range list runs past the end of the section",
                    e);
        }
    }

    private static long indexedAddress(DebugSections sections, UnitRecords unit, long index, int[] sectionOut) {
        long at = unit.addrBase + index * unit.addressSize;
        ByteBuffer table = sections.addr;
        if (index < 0 || at < 0 || at > table.limit() - unit.addressSize) {
            throw new DwarfFormatException(sections.path, ".debug_addr", at, String.format(
                    "address index %d is past the end of the section (size 0x%x)", index, table.limit()));
        }
        sectionOut[0] = sections.relocatable ? sections.addrRelocations.sectionAt(at) : -1;
        return new Cursor(table, (int) at).unsigned(unit.addressSize);
    }

    private static long allOnes(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }
}
