// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One abbreviation table of {@code .debug_abbrev}, decoded for one unit's address and offset size: per code,
 * the tag, whether children follow, and the attribute specifications, with the byte size of every attribute
 * whose form has a fixed size, so that a DIE of no interest is skipped in one step.
 */
final class Abbreviations {
    /** How the scanner treats DIEs of an abbreviation. */
    static final int KIND_OTHER = 0;
    static final int KIND_UNIT = 1;
    static final int KIND_SUBPROGRAM = 2;
    static final int KIND_INLINED = 3;
    static final int KIND_PARAMETER = 4;
    /** A scope that may hold inlined subroutines (lexical blocks). */
    static final int KIND_SCOPE = 5;

    static final class Abbrev {
        final int tag;
        final boolean hasChildren;
        final int kind;
        final int[] attributes;
        final int[] forms;
        final long[] implicitConsts;
        /** Byte size of each attribute value, -1 when it depends on the data. */
        final int[] sizes;
        /** Byte size of the whole DIE after the code, -1 when any attribute's size depends on the data. */
        final int fixedSize;
        /** Index of DW_AT_sibling among the attributes, -1 when absent. */
        final int sibling;

        Abbrev(int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitConsts, int addressSize,
                int offsetSize, int version) {
            this.tag = tag;
            this.hasChildren = hasChildren;
            this.attributes = attributes;
            this.forms = forms;
            this.implicitConsts = implicitConsts;
            this.kind = switch (tag) {
                case Dwarf.DW_TAG_compile_unit, Dwarf.DW_TAG_partial_unit -> KIND_UNIT;
                case Dwarf.DW_TAG_subprogram -> KIND_SUBPROGRAM;
                case Dwarf.DW_TAG_inlined_subroutine -> KIND_INLINED;
                case Dwarf.DW_TAG_formal_parameter -> KIND_PARAMETER;
                case Dwarf.DW_TAG_lexical_block -> KIND_SCOPE;
                default -> KIND_OTHER;
            };
            this.sizes = new int[forms.length];
            int total = 0;
            int siblingIndex = -1;
            for (int i = 0; i < forms.length; i++) {
                sizes[i] = fixedFormSize(forms[i], addressSize, offsetSize, version);
                total = total < 0 || sizes[i] < 0 ? -1 : total + sizes[i];
                if (attributes[i] == Dwarf.DW_AT_sibling && siblingIndex < 0) {
                    siblingIndex = i;
                }
            }
            this.fixedSize = total;
            this.sibling = siblingIndex;
        }
    }

    /** The implicit constants of an abbreviation without DW_FORM_implicit_const: shared, all 0. */
    private static final long[] NO_CONSTS = new long[256];

    private final Abbrev[] dense;
    private final Map<Long, Abbrev> sparse;

    private Abbreviations(Abbrev[] dense, Map<Long, Abbrev> sparse) {
        this.dense = dense;
        this.sparse = sparse;
    }

    /** The abbreviation of a code, or null when the table has none. */
    Abbrev get(long code) {
        if (code > 0 && code < dense.length) {
            return dense[(int) code];
        }
        return sparse == null ? null : sparse.get(code);
    }

    /**
     * Decodes the table at {@code offset} of {@code .debug_abbrev}. Every read is bounds-checked by the buffer;
     * the caller turns an {@link IndexOutOfBoundsException} into a {@link DwarfFormatException}.
     */
    static Abbreviations parse(DebugSections sections, long offset, int addressSize, int offsetSize, int version) {
        ByteBuffer b = sections.abbrev;
        if (offset < 0 || offset >= b.limit()) {
            throw new DwarfFormatException(sections.path, ".debug_abbrev", offset, String.format(
                    "abbreviation table offset is past the end of the section (size 0x%x)", b.limit()));
        }
        Cursor in = new Cursor(b, (int) offset);
        java.util.List<Abbrev> abbrevs = new java.util.ArrayList<>();
        java.util.List<Long> codes = new java.util.ArrayList<>();
        long maxCode = 0;
        int[] attributes = new int[16];
        int[] forms = new int[16];
        long[] consts = new long[16];
        while (true) {
            long code = in.uleb();
            if (code == 0) {
                break;
            }
            int start = in.pos;
            long tag = in.uleb();
            boolean children = in.u8() != 0;
            int count = 0;
            while (true) {
                long attribute = in.uleb();
                long form = in.uleb();
                if (attribute == 0 && form == 0) {
                    break;
                }
                long value = form == Dwarf.DW_FORM_implicit_const ? in.sleb() : 0;
                if (form == Dwarf.DW_FORM_indirect) {
                    // The form is in the DIE; this reader does not meet it in practice and keeps the fast path simple.
                    throw new DwarfFormatException(sections.path, ".debug_abbrev", start,
                            "DW_FORM_indirect is not supported");
                }
                if (count == attributes.length) {
                    attributes = java.util.Arrays.copyOf(attributes, count * 2);
                    forms = java.util.Arrays.copyOf(forms, count * 2);
                    consts = java.util.Arrays.copyOf(consts, count * 2);
                }
                attributes[count] = (int) Math.min(attribute, Integer.MAX_VALUE);
                forms[count] = (int) Math.min(form, Integer.MAX_VALUE);
                consts[count] = value;
                count++;
            }
            boolean implicit = false;
            for (int i = 0; i < count && !implicit; i++) {
                implicit = forms[i] == Dwarf.DW_FORM_implicit_const;
            }
            Abbrev abbrev = new Abbrev((int) Math.min(tag, Integer.MAX_VALUE), children,
                    java.util.Arrays.copyOf(attributes, count), java.util.Arrays.copyOf(forms, count),
                    implicit || count > NO_CONSTS.length ? java.util.Arrays.copyOf(consts, count) : NO_CONSTS,
                    addressSize, offsetSize, version);
            abbrevs.add(abbrev);
            codes.add(code);
            maxCode = Math.max(maxCode, code);
        }
        // Codes are 1..n in every producer we know; a table with wild codes falls back to a map.
        boolean dense = maxCode <= abbrevs.size() * 2L + 64;
        Abbrev[] byCode = new Abbrev[dense ? (int) maxCode + 1 : 0];
        Map<Long, Abbrev> sparse = dense ? null : new HashMap<>();
        for (int i = 0; i < abbrevs.size(); i++) {
            long code = codes.get(i);
            Abbrev previous = dense ? byCode[(int) code] : sparse.get(code);
            if (previous != null) {
                throw new DwarfFormatException(sections.path, ".debug_abbrev", offset,
                        "abbreviation code " + code + " defined twice in the table at this offset");
            }
            if (dense) {
                byCode[(int) code] = abbrevs.get(i);
            } else {
                sparse.put(code, abbrevs.get(i));
            }
        }
        return new Abbreviations(byCode, sparse);
    }

    /** The byte size of a form's value when it does not depend on the data, else -1; -2 for an unknown form. */
    static int fixedFormSize(int form, int addressSize, int offsetSize, int version) {
        return switch (form) {
            case Dwarf.DW_FORM_addr -> addressSize;
            case Dwarf.DW_FORM_data1, Dwarf.DW_FORM_ref1, Dwarf.DW_FORM_flag, Dwarf.DW_FORM_strx1,
                    Dwarf.DW_FORM_addrx1 -> 1;
            case Dwarf.DW_FORM_data2, Dwarf.DW_FORM_ref2, Dwarf.DW_FORM_strx2, Dwarf.DW_FORM_addrx2 -> 2;
            case Dwarf.DW_FORM_strx3, Dwarf.DW_FORM_addrx3 -> 3;
            case Dwarf.DW_FORM_data4, Dwarf.DW_FORM_ref4, Dwarf.DW_FORM_ref_sup4, Dwarf.DW_FORM_strx4,
                    Dwarf.DW_FORM_addrx4 -> 4;
            case Dwarf.DW_FORM_data8, Dwarf.DW_FORM_ref8, Dwarf.DW_FORM_ref_sig8, Dwarf.DW_FORM_ref_sup8 -> 8;
            case Dwarf.DW_FORM_data16 -> 16;
            case Dwarf.DW_FORM_strp, Dwarf.DW_FORM_sec_offset, Dwarf.DW_FORM_line_strp, Dwarf.DW_FORM_strp_sup,
                    Dwarf.DW_FORM_GNU_ref_alt, Dwarf.DW_FORM_GNU_strp_alt -> offsetSize;
            // DWARF 2 wrote DW_FORM_ref_addr with the address size.
            case Dwarf.DW_FORM_ref_addr -> version <= 2 ? addressSize : offsetSize;
            case Dwarf.DW_FORM_flag_present, Dwarf.DW_FORM_implicit_const -> 0;
            case Dwarf.DW_FORM_block, Dwarf.DW_FORM_block1, Dwarf.DW_FORM_block2, Dwarf.DW_FORM_block4,
                    Dwarf.DW_FORM_string, Dwarf.DW_FORM_sdata, Dwarf.DW_FORM_udata, Dwarf.DW_FORM_ref_udata,
                    Dwarf.DW_FORM_exprloc, Dwarf.DW_FORM_strx, Dwarf.DW_FORM_addrx, Dwarf.DW_FORM_loclistx,
                    Dwarf.DW_FORM_rnglistx, Dwarf.DW_FORM_GNU_addr_index, Dwarf.DW_FORM_GNU_str_index -> -1;
            default -> -2;
        };
    }
}
