// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.nio.ByteBuffer;

/**
 * Streams the DIEs of one unit, driven by its abbreviations, into {@link UnitRecords}: only subprograms,
 * their formal parameters and inlined subroutines are decoded; every other DIE is skipped by its fixed size
 * or its DW_AT_sibling without looking at its attributes. One instance per worker thread.
 *
 * <p>Reads through a slice of {@code .debug_info} that ends with the unit, so a DIE that runs past its unit
 * throws {@link IndexOutOfBoundsException}, which {@link #scan} reports as a {@link DwarfFormatException}
 * naming the offset.
 */
final class UnitScanner {
    /** Deeper nesting than this is refused (gcc nests a few dozen levels at most). */
    static final int MAX_DEPTH = 4096;

    private final DebugSections sections;
    /**
     * The last abbreviation table and its key: units that share a table are adjacent (gcc gives each unit its
     * own), and keeping every table would hold 40 MB for Debian's vmlinux.
     */
    private long lastAbbreviationKey = -1;
    private Abbreviations lastAbbreviations;

    // State of the unit being scanned: a cursor over a slice of .debug_info that ends with the unit.
    private Cursor in;
    /** Where the DIE being read starts (unit-relative), for messages. */
    private int dieStart;
    private long unitOffset;
    private UnitRecords records;
    private int addressSize;
    private int offsetSize;
    /** The section of the last address read (relocatable files), -1 when none. */
    private int addressSection;

    private Abbreviations currentTable;
    private int[] scopeSubprogram = new int[64];
    private int[] scopeContainer = new int[64];
    private int[] scopeSite = new int[64];

    UnitScanner(DebugSections sections) {
        this.sections = sections;
    }

    /** The offsets of the units in {@code .debug_info}: start of each, and the end of the last. */
    static long[] unitBounds(DebugSections sections) {
        ByteBuffer info = sections.info;
        long[] bounds = new long[64];
        int count = 0;
        long at = 0;
        while (at < info.limit()) {
            if (count + 1 >= bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[count++] = at;
            if (info.limit() - at < 4) {
                throw new DwarfFormatException(sections.path, ".debug_info", at, "truncated unit header");
            }
            long length = info.getInt((int) at) & 0xffffffffL;
            long headerSize = 4;
            if (length == 0xffffffffL) {
                if (info.limit() - at < 12) {
                    throw new DwarfFormatException(sections.path, ".debug_info", at, "truncated unit header");
                }
                length = info.getLong((int) at + 4);
                headerSize = 12;
            } else if (length >= 0xfffffff0L) {
                throw new DwarfFormatException(sections.path, ".debug_info", at, String.format(
                        "reserved unit length 0x%x", length));
            }
            if (length < 0 || length > info.limit() - at - headerSize) {
                throw new DwarfFormatException(sections.path, ".debug_info", at, String.format(
                        "unit length 0x%x runs past the end of the section (size 0x%x)", length, info.limit()));
            }
            at += headerSize + length;
        }
        bounds[count++] = at;
        return java.util.Arrays.copyOf(bounds, count);
    }

    /** Scans the unit [start, end) of {@code .debug_info}. */
    UnitRecords scan(long start, long end) {
        UnitRecords r = new UnitRecords(end - start);
        r.offset = start;
        r.end = end;
        this.records = r;
        this.unitOffset = start;
        this.in = new Cursor(sections.info.slice((int) start, (int) (end - start)).order(sections.info.order()), 0);
        this.dieStart = 0;
        try {
            long length = in.buffer.getInt(0) & 0xffffffffL;
            offsetSize = 4;
            in.pos = 4;
            if (length == 0xffffffffL) {
                offsetSize = 8;
                in.pos = 12;
            }
            int version = in.u16();
            if (version < 2 || version > 5) {
                throw error(start + 4 + (offsetSize == 8 ? 8 : 0), "unit version " + version + " (2 to 5 expected)");
            }
            long abbrevOffset;
            int unitType = Dwarf.DW_UT_compile;
            if (version >= 5) {
                unitType = in.u8();
                addressSize = in.u8();
                abbrevOffset = offset();
                switch (unitType) {
                    case Dwarf.DW_UT_compile, Dwarf.DW_UT_partial -> {
                    }
                    case Dwarf.DW_UT_skeleton, Dwarf.DW_UT_split_compile -> in.pos += 8;
                    case Dwarf.DW_UT_type, Dwarf.DW_UT_split_type -> {
                        in.pos += 8;
                        offset();
                    }
                    default -> throw error(start + in.pos - 1, "unknown unit type " + unitType);
                }
            } else {
                abbrevOffset = offset();
                addressSize = in.u8();
            }
            if (addressSize != 1 && addressSize != 2 && addressSize != 4 && addressSize != 8) {
                throw error(start + in.pos, "address size " + addressSize + " (1, 2, 4 or 8 expected)");
            }
            r.version = version;
            r.addressSize = addressSize;
            r.offsetSize = offsetSize;
            if (unitType != Dwarf.DW_UT_compile && unitType != Dwarf.DW_UT_partial) {
                // Type units hold types only; split units refer to .dwo files, which are not read.
                r.skipped = true;
                return r;
            }
            long key = abbrevOffset * 64 + addressSize * 4L + offsetSize / 4 + (version <= 2 ? 32 : 0);
            if (key != lastAbbreviationKey) {
                try {
                    lastAbbreviations = Abbreviations.parse(sections, abbrevOffset, addressSize, offsetSize, version);
                } catch (IndexOutOfBoundsException e) {
                    throw new DwarfFormatException(sections.path, ".debug_abbrev", abbrevOffset,
                            "abbreviation table runs past the end of the section", e);
                }
                lastAbbreviationKey = key;
            }
            walk(lastAbbreviations);
            return r;
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfFormatException(sections.path, ".debug_info", start + dieStart, String.format(
                    "DIE runs past the end of its unit [0x%x, 0x%x)", start, end), e);
        }
    }

    private DwarfFormatException error(long at, String message) {
        return new DwarfFormatException(sections.path, ".debug_info", at, message);
    }

    private void walk(Abbreviations abbreviations) {
        currentTable = abbreviations;
        int limit = in.buffer.limit();
        int depth = 0;
        while (in.pos < limit) {
            int dieStart = in.pos;
            Abbreviations.Abbrev a = nextDie();
            if (a == null) {
                if (depth > 0) {
                    depth--;
                }
                continue;
            }
            int container = depth > 0 ? scopeContainer[depth - 1] : -1;
            int site = depth > 0 ? scopeSite[depth - 1] : -1;
            switch (a.kind) {
                case Abbreviations.KIND_SUBPROGRAM -> {
                    int record = subprogram(a, dieStart);
                    if (a.hasChildren) {
                        boolean code_ = (records.flags[record] & UnitRecords.HAS_CODE) != 0;
                        boolean declaration = (records.flags[record] & UnitRecords.DECLARATION) != 0;
                        depth = push(depth, declaration ? -1 : record, code_ ? record : container,
                                code_ ? -1 : site);
                    }
                }
                case Abbreviations.KIND_INLINED -> {
                    int newSite = inlined(a, container, site);
                    if (a.hasChildren) {
                        depth = push(depth, -1, container, newSite);
                    }
                }
                case Abbreviations.KIND_PARAMETER -> {
                    int owner = depth > 0 ? scopeSubprogram[depth - 1] : -1;
                    if (owner < 0) {
                        skipDie(a, dieStart);
                    } else {
                        parameter(a, owner, dieStart);
                        if (a.hasChildren) {
                            skipChildren();
                        }
                    }
                }
                case Abbreviations.KIND_SCOPE -> {
                    skipAttributes(a);
                    if (a.hasChildren) {
                        depth = push(depth, -1, container, site);
                    }
                }
                case Abbreviations.KIND_UNIT -> {
                    unitDie(a, dieStart);
                    if (a.hasChildren) {
                        depth = push(depth, -1, -1, -1);
                    }
                }
                default -> skipDie(a, dieStart);
            }
        }
        if (in.pos != limit) {
            throw error(unitOffset + in.pos, String.format("DIE runs past the end of its unit (0x%x)",
                    unitOffset + limit));
        }
    }

    private int push(int depth, int subprogram, int container, int site) {
        if (depth == scopeSubprogram.length) {
            if (depth >= MAX_DEPTH) {
                throw error(unitOffset + in.pos, "DIEs nested deeper than " + MAX_DEPTH + " levels");
            }
            scopeSubprogram = java.util.Arrays.copyOf(scopeSubprogram, depth * 2);
            scopeContainer = java.util.Arrays.copyOf(scopeContainer, depth * 2);
            scopeSite = java.util.Arrays.copyOf(scopeSite, depth * 2);
        }
        scopeSubprogram[depth] = subprogram;
        scopeContainer[depth] = container;
        scopeSite[depth] = site;
        return depth + 1;
    }

    /** Skips a DIE of no interest and, when it has children, its whole subtree. */
    private void skipDie(Abbreviations.Abbrev a, int dieStart) {
        if (!a.hasChildren) {
            if (a.fixedSize >= 0) {
                in.pos += a.fixedSize;
            } else {
                skipAttributes(a);
            }
            return;
        }
        long sibling = skipAttributes(a);
        if (sibling >= 0) {
            jumpTo(sibling, dieStart);
        } else {
            skipChildren();
        }
    }

    /** Moves to a DW_AT_sibling target, which must lie after the DIE and inside the unit. */
    private void jumpTo(long sibling, int dieStart) {
        // Forward only: a sibling pointing back would loop forever on hostile input.
        long target = sibling - unitOffset;
        if (target < in.pos || target > in.buffer.limit()) {
            throw error(unitOffset + dieStart, String.format("DW_AT_sibling 0x%x does not point forward inside"
                    + " the unit", sibling));
        }
        in.pos = (int) target;
    }

    /** Reads a DIE's abbreviation code: its abbreviation, or null for the null entry that ends a children list. */
    private Abbreviations.Abbrev nextDie() {
        dieStart = in.pos;
        int first = in.buffer.get(in.pos);
        long code;
        if (first >= 0) {
            in.pos++;
            code = first;
        } else {
            code = in.uleb();
        }
        if (code == 0) {
            return null;
        }
        Abbreviations.Abbrev a = currentTable.get(code);
        if (a == null) {
            throw error(unitOffset + dieStart, "abbreviation code " + code + " is not in the unit's table");
        }
        return a;
    }

    /** Skips DIEs up to and including the null entry that ends the current children list. */
    private void skipChildren() {
        int depth = 1;
        while (depth > 0) {
            int dieStart = in.pos;
            Abbreviations.Abbrev a = nextDie();
            if (a == null) {
                depth--;
                continue;
            }
            if (!a.hasChildren) {
                if (a.fixedSize >= 0) {
                    in.pos += a.fixedSize;
                } else {
                    skipAttributes(a);
                }
                continue;
            }
            long sibling = skipAttributes(a);
            if (sibling >= 0) {
                jumpTo(sibling, dieStart);
            } else {
                if (++depth > MAX_DEPTH) {
                    throw error(unitOffset + dieStart, "DIEs nested deeper than " + MAX_DEPTH + " levels");
                }
            }
        }
    }

    /** Skips a DIE's attributes; returns its DW_AT_sibling as a global offset, or -1. */
    private long skipAttributes(Abbreviations.Abbrev a) {
        long sibling = -1;
        int[] sizes = a.sizes;
        int[] forms = a.forms;
        for (int i = 0; i < sizes.length; i++) {
            if (i == a.sibling) {
                sibling = reference(forms[i]);
            } else if (sizes[i] >= 0) {
                in.pos += sizes[i];
            } else {
                skipForm(forms[i]);
            }
        }
        return sibling;
    }

    /** Skips the value of a DIE's i-th attribute. */
    private void skipValue(Abbreviations.Abbrev a, int i) {
        if (a.sizes[i] >= 0) {
            in.pos += a.sizes[i];
        } else {
            skipForm(a.forms[i]);
        }
    }

    private void skipForm(int form) {
        switch (form) {
            case Dwarf.DW_FORM_string -> in.skipString();
            case Dwarf.DW_FORM_udata, Dwarf.DW_FORM_sdata, Dwarf.DW_FORM_ref_udata, Dwarf.DW_FORM_strx,
                    Dwarf.DW_FORM_addrx, Dwarf.DW_FORM_loclistx, Dwarf.DW_FORM_rnglistx,
                    Dwarf.DW_FORM_GNU_addr_index, Dwarf.DW_FORM_GNU_str_index -> in.skipLeb();
            case Dwarf.DW_FORM_block, Dwarf.DW_FORM_exprloc -> advance(in.uleb());
            case Dwarf.DW_FORM_block1 -> advance(in.u8());
            case Dwarf.DW_FORM_block2 -> advance(in.u16());
            case Dwarf.DW_FORM_block4 -> advance(in.u32());
            default -> {
                int size = Abbreviations.fixedFormSize(form, addressSize, offsetSize, records.version);
                if (size < 0) {
                    throw error(unitOffset + in.pos, String.format("unknown attribute form 0x%x", form));
                }
                in.pos += size;
            }
        }
    }

    private void advance(long count) {
        if (count < 0 || count > in.buffer.limit() - in.pos) {
            throw error(unitOffset + in.pos, String.format("block of 0x%x bytes runs past the end of its unit", count));
        }
        in.pos += (int) count;
    }

    private int subprogram(Abbreviations.Abbrev a, int dieStart) {
        UnitRecords r = records;
        int record = r.addSubprogram(unitOffset + dieStart);
        int flags = 0;
        boolean hasLowPc = false;
        for (int i = 0; i < a.forms.length; i++) {
            int form = a.forms[i];
            switch (a.attributes[i]) {
                case Dwarf.DW_AT_name -> r.subprogramName[record] = string(form);
                case Dwarf.DW_AT_decl_file -> r.declFile[record] = clampInt(constant(form, a.implicitConsts[i]));
                case Dwarf.DW_AT_decl_line -> r.declLine[record] = clampInt(constant(form, a.implicitConsts[i]));
                case Dwarf.DW_AT_abstract_origin -> r.origin[record] = reference(form);
                case Dwarf.DW_AT_specification -> r.specification[record] = reference(form);
                case Dwarf.DW_AT_declaration -> {
                    if (flag(form, a.implicitConsts[i])) {
                        flags |= UnitRecords.DECLARATION;
                    }
                }
                case Dwarf.DW_AT_external -> {
                    if (flag(form, a.implicitConsts[i])) {
                        flags |= UnitRecords.EXTERNAL;
                    }
                }
                case Dwarf.DW_AT_calling_convention -> {
                    if (constant(form, a.implicitConsts[i]) == Dwarf.DW_CC_nocall) {
                        flags |= UnitRecords.NOCALL;
                    }
                }
                case Dwarf.DW_AT_low_pc -> {
                    r.entry[record] = address(form);
                    r.entrySection[record] = addressSection;
                    hasLowPc = true;
                    flags |= UnitRecords.HAS_CODE;
                }
                case Dwarf.DW_AT_ranges -> {
                    long offset = rangeList(form);
                    if (!hasLowPc) {
                        r.rangesOffset[record] = offset;
                    }
                    flags |= UnitRecords.HAS_CODE;
                }
                default -> skipValue(a, i);
            }
        }
        if (hasLowPc) {
            r.rangesOffset[record] = -1;
        }
        if ((flags & UnitRecords.DECLARATION) != 0) {
            flags &= ~UnitRecords.HAS_CODE;
        }
        r.flags[record] = flags;
        return record;
    }

    private int inlined(Abbreviations.Abbrev a, int container, int parent) {
        long origin = -1;
        int file = -1;
        int line = 0;
        for (int i = 0; i < a.forms.length; i++) {
            int form = a.forms[i];
            switch (a.attributes[i]) {
                case Dwarf.DW_AT_abstract_origin -> origin = reference(form);
                case Dwarf.DW_AT_call_file -> file = clampInt(constant(form, a.implicitConsts[i]));
                case Dwarf.DW_AT_call_line -> line = clampInt(constant(form, a.implicitConsts[i]));
                default -> skipValue(a, i);
            }
        }
        int site = records.addSite(origin, container, parent);
        records.siteFile[site] = file;
        records.siteLine[site] = line;
        return site;
    }

    private void parameter(Abbreviations.Abbrev a, int owner, int dieStart) {
        UnitRecords r = records;
        int parameter = r.addParameter(owner, unitOffset + dieStart);
        for (int i = 0; i < a.forms.length; i++) {
            int form = a.forms[i];
            switch (a.attributes[i]) {
                case Dwarf.DW_AT_name -> r.parameterName[parameter] = string(form);
                case Dwarf.DW_AT_abstract_origin -> r.parameterOrigin[parameter] = reference(form);
                case Dwarf.DW_AT_const_value -> {
                    r.parameterState[parameter] = UnitRecords.PARAMETER_CONSTANT;
                    if (form == Dwarf.DW_FORM_implicit_const) {
                        r.parameterConstant[parameter] = a.implicitConsts[i];
                    } else if (a.sizes[i] > 0 && a.sizes[i] <= 8 || form == Dwarf.DW_FORM_udata
                            || form == Dwarf.DW_FORM_sdata) {
                        r.parameterConstant[parameter] = constant(form, 0);
                    } else {
                        skipForm(form);
                    }
                }
                case Dwarf.DW_AT_location -> {
                    if (firstLocationOperation(form) == Dwarf.DW_OP_GNU_parameter_ref) {
                        r.parameterState[parameter] = UnitRecords.PARAMETER_NOT_PASSED;
                    }
                }
                default -> skipValue(a, i);
            }
        }
    }

    private void unitDie(Abbreviations.Abbrev a, int dieStart) {
        UnitRecords r = records;
        // The bases come first in practice, but a string in DW_FORM_strx may precede DW_AT_str_offsets_base:
        // read the bases in a first pass.
        int start = in.pos;
        for (int i = 0; i < a.forms.length; i++) {
            int form = a.forms[i];
            switch (a.attributes[i]) {
                case Dwarf.DW_AT_str_offsets_base -> r.strOffsetsBase = constant(form, a.implicitConsts[i]);
                case Dwarf.DW_AT_addr_base, Dwarf.DW_AT_GNU_addr_base -> r.addrBase = constant(form,
                        a.implicitConsts[i]);
                case Dwarf.DW_AT_rnglists_base -> r.rnglistsBase = constant(form, a.implicitConsts[i]);
                case Dwarf.DW_AT_loclists_base -> r.loclistsBase = constant(form, a.implicitConsts[i]);
                default -> skipValue(a, i);
            }
        }
        in.pos = start;
        for (int i = 0; i < a.forms.length; i++) {
            int form = a.forms[i];
            switch (a.attributes[i]) {
                case Dwarf.DW_AT_name -> r.nameHandle = string(form);
                case Dwarf.DW_AT_comp_dir -> r.compDirHandle = string(form);
                case Dwarf.DW_AT_producer -> r.producerHandle = string(form);
                case Dwarf.DW_AT_stmt_list -> r.stmtList = constant(form, a.implicitConsts[i]);
                case Dwarf.DW_AT_low_pc -> {
                    r.lowPc = address(form);
                    r.lowPcSection = addressSection;
                }
                default -> skipValue(a, i);
            }
        }
    }

    // Attribute values.





    private long offset() {
        return offsetSize == 8 ? in.u64() : in.u32();
    }



    private static int clampInt(long value) {
        return value < 0 ? -1 : (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** A constant-class value (data, udata, sdata, implicit_const, sec_offset). */
    private long constant(int form, long implicitConst) {
        return switch (form) {
            case Dwarf.DW_FORM_data1 -> in.u8();
            case Dwarf.DW_FORM_data2 -> in.u16();
            case Dwarf.DW_FORM_data4 -> in.u32();
            case Dwarf.DW_FORM_data8 -> in.u64();
            case Dwarf.DW_FORM_udata -> in.uleb();
            case Dwarf.DW_FORM_sdata -> in.sleb();
            case Dwarf.DW_FORM_implicit_const -> implicitConst;
            case Dwarf.DW_FORM_sec_offset -> offset();
            default -> {
                skipForm(form);
                yield -1;
            }
        };
    }

    private boolean flag(int form, long implicitConst) {
        return switch (form) {
            case Dwarf.DW_FORM_flag_present -> true;
            case Dwarf.DW_FORM_flag -> in.u8() != 0;
            default -> constant(form, implicitConst) != 0;
        };
    }

    /** A reference as a global .debug_info offset; -1 for forms into other files or type units. */
    private long reference(int form) {
        return switch (form) {
            case Dwarf.DW_FORM_ref1 -> unitOffset + in.u8();
            case Dwarf.DW_FORM_ref2 -> unitOffset + in.u16();
            case Dwarf.DW_FORM_ref4 -> unitOffset + in.u32();
            case Dwarf.DW_FORM_ref8 -> unitOffset + in.u64();
            case Dwarf.DW_FORM_ref_udata -> unitOffset + in.uleb();
            case Dwarf.DW_FORM_ref_addr -> records.version <= 2 ? in.unsigned(addressSize) : offset();
            default -> {
                skipForm(form);
                yield -1;
            }
        };
    }


    /** A string attribute as a {@link Strings} handle. */
    private long string(int form) {
        switch (form) {
            case Dwarf.DW_FORM_strp:
                return Strings.handle(Strings.STR, offset());
            case Dwarf.DW_FORM_line_strp:
                return Strings.handle(Strings.LINE_STR, offset());
            case Dwarf.DW_FORM_string: {
                long at = unitOffset + in.pos;
                skipForm(form);
                return Strings.handle(Strings.INFO, at);
            }
            case Dwarf.DW_FORM_strx, Dwarf.DW_FORM_GNU_str_index:
                return indexedString(in.uleb());
            case Dwarf.DW_FORM_strx1:
                return indexedString(in.u8());
            case Dwarf.DW_FORM_strx2:
                return indexedString(in.u16());
            case Dwarf.DW_FORM_strx3:
                return indexedString(in.u24());
            case Dwarf.DW_FORM_strx4:
                return indexedString(in.u32());
            default:
                skipForm(form);
                return Strings.NONE;
        }
    }


    private long indexedString(long index) {
        long at = records.strOffsetsBase + index * offsetSize;
        ByteBuffer table = sections.strOffsets;
        if (index < 0 || at < 0 || at > table.limit() - offsetSize) {
            throw new DwarfFormatException(sections.path, ".debug_str_offsets", at, String.format(
                    "string index %d is past the end of the section (size 0x%x)", index, table.limit()));
        }
        long offset = offsetSize == 8 ? table.getLong((int) at) : table.getInt((int) at) & 0xffffffffL;
        return Strings.handle(Strings.STR, offset);
    }

    /** An address attribute; sets {@link #addressSection} to the section it is relative to (relocatable files). */
    private long address(int form) {
        addressSection = -1;
        if (form == Dwarf.DW_FORM_addr) {
            long at = unitOffset + in.pos;
            long value = in.unsigned(addressSize);
            if (sections.relocatable) {
                addressSection = sections.infoRelocations.sectionAt(at);
            }
            return value;
        }
        long index = switch (form) {
            case Dwarf.DW_FORM_addrx, Dwarf.DW_FORM_GNU_addr_index -> in.uleb();
            case Dwarf.DW_FORM_addrx1 -> in.u8();
            case Dwarf.DW_FORM_addrx2 -> in.u16();
            case Dwarf.DW_FORM_addrx3 -> in.u24();
            case Dwarf.DW_FORM_addrx4 -> in.u32();
            default -> {
                skipForm(form);
                yield -1;
            }
        };
        return index < 0 ? 0 : indexedAddress(index);
    }

    private long indexedAddress(long index) {
        long at = records.addrBase + index * addressSize;
        ByteBuffer table = sections.addr;
        if (index < 0 || at < 0 || at > table.limit() - addressSize) {
            throw new DwarfFormatException(sections.path, ".debug_addr", at, String.format(
                    "address index %d is past the end of the section (size 0x%x)", index, table.limit()));
        }
        if (sections.relocatable) {
            addressSection = sections.addrRelocations.sectionAt(at);
        }
        return addressSize == 8 ? table.getLong((int) at) : addressSize == 4 ? table.getInt((int) at) & 0xffffffffL
                : new Cursor(table, (int) at).unsigned(addressSize);
    }

    /** DW_AT_ranges as an offset into .debug_rnglists (DWARF 5) or .debug_ranges (DWARF 2-4). */
    private long rangeList(int form) {
        if (form == Dwarf.DW_FORM_rnglistx) {
            long index = in.uleb();
            long at = records.rnglistsBase + index * offsetSize;
            ByteBuffer table = sections.rnglists;
            if (index < 0 || at < 0 || at > table.limit() - offsetSize) {
                throw new DwarfFormatException(sections.path, ".debug_rnglists", at, String.format(
                        "range list index %d is past the end of the section (size 0x%x)", index, table.limit()));
            }
            long relative = offsetSize == 8 ? table.getLong((int) at) : table.getInt((int) at) & 0xffffffffL;
            return records.rnglistsBase + relative;
        }
        return constant(form, 0);
    }

    /**
     * The first operation of a location description: an exprloc or block inline, or the first expression of a
     * location list. -1 when there is none or the list is of a kind this reader does not decode.
     */
    private int firstLocationOperation(int form) {
        switch (form) {
            case Dwarf.DW_FORM_exprloc, Dwarf.DW_FORM_block: {
                long length = in.uleb();
                int first = length > 0 ? in.buffer.get(in.pos) & 0xff : -1;
                advance(length);
                return first;
            }
            case Dwarf.DW_FORM_block1: {
                int length = in.u8();
                int first = length > 0 ? in.buffer.get(in.pos) & 0xff : -1;
                advance(length);
                return first;
            }
            case Dwarf.DW_FORM_sec_offset, Dwarf.DW_FORM_data4, Dwarf.DW_FORM_data8:
                return LocationLists.firstOperation(sections, records, form == Dwarf.DW_FORM_data4 ? in.u32()
                        : form == Dwarf.DW_FORM_data8 ? in.u64() : offset());
            case Dwarf.DW_FORM_loclistx: {
                long index = in.uleb();
                long at = records.loclistsBase + index * offsetSize;
                ByteBuffer table = sections.loclists;
                if (index < 0 || at < 0 || at > table.limit() - offsetSize) {
                    return -1;
                }
                long relative = offsetSize == 8 ? table.getLong((int) at) : table.getInt((int) at) & 0xffffffffL;
                return LocationLists.firstOperation(sections, records, records.loclistsBase + relative);
            }
            default:
                skipForm(form);
                return -1;
        }
    }

}
