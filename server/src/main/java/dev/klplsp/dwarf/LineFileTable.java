// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.nio.ByteBuffer;

/**
 * The file name table of one {@code .debug_line} program header (DWARF 2-5), which {@code DW_AT_decl_file}
 * and {@code DW_AT_call_file} index; the line program itself is never read. DWARF 5 numbers files from 0
 * (file 0 is the primary source) and its directory 0 is the compilation directory; DWARF 2-4 number files
 * from 1 and directories from 1, directory 0 meaning the compilation directory.
 */
final class LineFileTable {
    static final LineFileTable EMPTY = new LineFileTable(5, new String[0], new String[0], new int[0], null);

    private final int version;
    private final String[] directories;
    private final String[] names;
    private final int[] directoryOfFile;
    private final String compDir;
    private final String[] paths;

    private LineFileTable(int version, String[] directories, String[] names, int[] directoryOfFile, String compDir) {
        this.version = version;
        this.directories = directories;
        this.names = names;
        this.directoryOfFile = directoryOfFile;
        this.compDir = compDir;
        this.paths = new String[names.length];
    }

    /** The normalized path of a file index as a DIE gives it; null for "no file" or an index out of range. */
    String path(long fileIndex, Strings strings) {
        long index = version >= 5 ? fileIndex : fileIndex - 1;
        if (index < 0 || index >= names.length) {
            return null;
        }
        int i = (int) index;
        String path = paths[i];
        if (path == null) {
            int dir = directoryOfFile[i];
            String directory;
            if (version >= 5) {
                directory = dir >= 1 && dir < directories.length ? directories[dir] : null;
            } else {
                directory = dir >= 1 && dir <= directories.length ? directories[dir - 1] : null;
            }
            String base = version >= 5 && directories.length > 0 ? directories[0] : compDir;
            path = strings.path(base, directory, names[i]);
            paths[i] = path;
        }
        return path;
    }

    /** Parses the header at {@code offset}; {@code compDir} is the unit's DW_AT_comp_dir (DWARF 2-4 need it). */
    static LineFileTable parse(DebugSections sections, long offset, String compDir, Strings strings) {
        ByteBuffer b = sections.line;
        if (offset < 0 || offset >= b.limit()) {
            throw new DwarfFormatException(sections.path, ".debug_line", offset, String.format(
                    "DW_AT_stmt_list points past the end of the section (size 0x%x)", b.limit()));
        }
        Cursor in = new Cursor(b, (int) offset);
        try {
            long length = in.u32();
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = in.u64();
                offsetSize = 8;
            }
            long end = in.pos + length;
            if (length < 0 || end > b.limit()) {
                throw new DwarfFormatException(sections.path, ".debug_line", offset, String.format(
                        "line program length 0x%x runs past the end of the section", length));
            }
            int version = in.u16();
            if (version < 2 || version > 5) {
                throw new DwarfFormatException(sections.path, ".debug_line", offset,
                        "line table version " + version + " (2 to 5 expected)");
            }
            if (version >= 5) {
                in.u8(); // address_size
                in.u8(); // segment_selector_size
            }
            in.unsigned(offsetSize); // header_length
            in.u8(); // minimum_instruction_length
            if (version >= 4) {
                in.u8(); // maximum_operations_per_instruction
            }
            in.u8(); // default_is_stmt
            in.u8(); // line_base
            in.u8(); // line_range
            int opcodeBase = in.u8();
            in.skip(Math.max(0, opcodeBase - 1));
            if (version >= 5) {
                Entries directories = entries(sections, in, offsetSize, end, strings, false);
                Entries files = entries(sections, in, offsetSize, end, strings, true);
                return new LineFileTable(version, directories.paths, files.paths, files.directories, compDir);
            }
            java.util.List<String> directories = new java.util.ArrayList<>();
            while (true) {
                int start = in.pos;
                if (in.u8() == 0) {
                    break;
                }
                directories.add(strings.get(Strings.handle(Strings.LINE, start)));
                in.pos = start;
                in.skipString();
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            java.util.List<Integer> dirs = new java.util.ArrayList<>();
            while (true) {
                int start = in.pos;
                if (in.u8() == 0) {
                    break;
                }
                names.add(strings.get(Strings.handle(Strings.LINE, start)));
                in.pos = start;
                in.skipString();
                dirs.add((int) Math.min(in.uleb(), Integer.MAX_VALUE));
                in.uleb(); // modification time
                in.uleb(); // length
            }
            int[] dirOfFile = new int[dirs.size()];
            for (int i = 0; i < dirOfFile.length; i++) {
                dirOfFile[i] = dirs.get(i);
            }
            return new LineFileTable(version, directories.toArray(String[]::new), names.toArray(String[]::new),
                    dirOfFile, compDir);
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfFormatException(sections.path, ".debug_line", in.pos, "truncated line table header", e);
        }
    }

    /** DWARF 5 directory or file name entries: paths ("" when absent) and directory indexes (0 when absent). */
    private record Entries(String[] paths, int[] directories) {
    }

    /** Reads DWARF 5 entries: the format (content type, form pairs), the count, the entries. */
    private static Entries entries(DebugSections sections, Cursor in, int offsetSize, long end, Strings strings,
            boolean files) {
        int formatCount = in.u8();
        long[] types = new long[formatCount];
        int[] forms = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            types[i] = in.uleb();
            forms[i] = (int) Math.min(in.uleb(), Integer.MAX_VALUE);
        }
        long count = in.uleb();
        // Every entry takes at least one byte unless it has no fields at all: no count beyond the header's end.
        if (count < 0 || count > end - in.pos || (formatCount == 0 && count > 0)) {
            throw new DwarfFormatException(sections.path, ".debug_line", in.pos, "implausible " + (files ? "file"
                    : "directory") + " count " + count);
        }
        String[] paths = new String[(int) count];
        int[] directories = new int[(int) count];
        java.util.Arrays.fill(paths, "");
        for (int e = 0; e < count; e++) {
            for (int f = 0; f < formatCount; f++) {
                int form = forms[f];
                if (types[f] == Dwarf.DW_LNCT_path) {
                    long handle = switch (form) {
                        case Dwarf.DW_FORM_string -> {
                            long at = in.pos;
                            in.skipString();
                            yield Strings.handle(Strings.LINE, at);
                        }
                        case Dwarf.DW_FORM_line_strp -> Strings.handle(Strings.LINE_STR, in.unsigned(offsetSize));
                        case Dwarf.DW_FORM_strp -> Strings.handle(Strings.STR, in.unsigned(offsetSize));
                        default -> throw new DwarfFormatException(sections.path, ".debug_line", in.pos,
                                String.format("path in form 0x%x is not supported", form));
                    };
                    String path = strings.get(handle);
                    paths[e] = path == null ? "" : path;
                } else if (types[f] == Dwarf.DW_LNCT_directory_index) {
                    long value = switch (form) {
                        case Dwarf.DW_FORM_data1 -> in.u8();
                        case Dwarf.DW_FORM_data2 -> in.u16();
                        case Dwarf.DW_FORM_udata -> in.uleb();
                        default -> throw new DwarfFormatException(sections.path, ".debug_line", in.pos,
                                String.format("directory index in form 0x%x is not supported", form));
                    };
                    directories[e] = (int) Math.min(value, Integer.MAX_VALUE);
                } else {
                    skipForm(sections, in, form, offsetSize);
                }
            }
        }
        return new Entries(paths, directories);
    }

    private static void skipForm(DebugSections sections, Cursor in, int form, int offsetSize) {
        switch (form) {
            case Dwarf.DW_FORM_string -> in.skipString();
            case Dwarf.DW_FORM_udata, Dwarf.DW_FORM_sdata, Dwarf.DW_FORM_strx -> in.skipLeb();
            case Dwarf.DW_FORM_block -> in.skip(in.uleb());
            case Dwarf.DW_FORM_block1 -> in.skip(in.u8());
            case Dwarf.DW_FORM_block2 -> in.skip(in.u16());
            case Dwarf.DW_FORM_block4 -> in.skip(in.u32());
            default -> {
                int size = Abbreviations.fixedFormSize(form, 8, offsetSize, 5);
                if (size < 0) {
                    throw new DwarfFormatException(sections.path, ".debug_line", in.pos,
                            String.format("unknown form 0x%x in a line table entry format", form));
                }
                in.skip(size);
            }
        }
    }
}
