// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle of the DWARF tests: what binutils' {@code readelf --debug-dump=info} and
 * {@code --debug-dump=rawline} print about a file's functions, re-derived from their text (so nothing is
 * typed in): per function (name, declaration file and line, resolved through DW_AT_abstract_origin and
 * DW_AT_specification like any DWARF consumer) its inline sites — the calling function, DW_AT_call_file
 * (resolved in the unit's file name table) and DW_AT_call_line, the function whose out-of-line code holds the
 * copy — and the DW_AT_low_pc of its out-of-line instances.
 *
 * <p>readelf prints 4 GB for Debian's vmlinux: lines are scanned as bytes, and only those of subprograms,
 * inlined subroutines and units become strings.
 */
public final class ReadelfDwarf {
    /** A function as the index keys it: name, declaring file, declaration line. */
    public record Key(String name, String file, int line) {
        @Override
        public String toString() {
            return name + " (" + file + ":" + line + ")";
        }
    }

    private static final Pattern STRING_VALUE = Pattern.compile("^\\((?:indirect (?:line )?string|indexed string|"
            + "strx\\d?|strp)[^)]*\\): (.*)$");

    private static final class Subprogram {
        String name;
        long origin = -1;
        long specification = -1;
        int declFile = -1;
        int declLine = -1;
        boolean hasCode;
        long lowPc = -1;
        int unit;
    }

    private static final class Site {
        long origin = -1;
        int unit;
        int callFile = -1;
        int callLine;
        long container = -1;
        long parent = -1;
    }

    private static final class Unit {
        long stmtList = -1;
        String compDir;
        int version;
    }

    private static final class LineTable {
        int version;
        final List<String> directories = new ArrayList<>();
        final List<Integer> fileDirectories = new ArrayList<>();
        final List<String> fileNames = new ArrayList<>();
    }

    private final Map<Long, Subprogram> subprograms = new HashMap<>();
    private final Map<Long, Site> sites = new HashMap<>();
    private final List<Long> siteOrder = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();
    private final Map<Long, LineTable> lineTables = new HashMap<>();

    /** Inline sites per function: "calling function | call file:line | function of the containing code". */
    public final Map<Key, List<String>> sitesByFunction = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
    /** DW_AT_low_pc of the out-of-line instances per function. */
    public final Map<Key, List<Long>> lowPcsByFunction = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
    /** Out-of-line instances per function, those with DW_AT_ranges included. */
    public final Map<Key, Integer> instanceCounts = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
    public int siteCount;

    /** Runs both readelf dumps of a file (concurrently) and derives the facts. */
    public static ReadelfDwarf of(Path file) {
        ReadelfDwarf model = new ReadelfDwarf();
        RuntimeException[] failure = new RuntimeException[1];
        Thread lines = new Thread(() -> {
            try {
                model.readLineTables(file);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "readelf-rawline");
        lines.start();
        model.readInfo(file);
        try {
            lines.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        model.derive();
        return model;
    }

    private static InputStream start(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            return process.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedReader run(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(Path file) {
        return "'" + file.toString().replace("'", "'\\''") + "'";
    }

    private void readInfo(Path file) {
        Subprogram[] subprogramAt = new Subprogram[4096];
        long[] offsetAt = new long[4096];
        int[] tagAt = new int[4096];
        Object current = null;
        try (InputStream in = start("LC_ALL=C readelf --debug-dump=info " + quote(file))) {
            LineScanner lines = new LineScanner(in);
            while (lines.next()) {
                byte[] b = lines.buffer;
                int at = lines.start;
                int end = lines.end;
                if (lines.startsWith("  Compilation Unit")) {
                    units.add(new Unit());
                    current = null;
                } else if (lines.startsWith("   Version:")) {
                    units.get(units.size() - 1).version = Integer.parseInt(lines.string(at + 11).trim());
                } else if (end - at > 3 && b[at] == ' ' && b[at + 1] == '<' && b[at + 2] >= '0' && b[at + 2] <= '9') {
                    // " <depth><offset>: Abbrev Number: N (DW_TAG_...)"
                    int p = at + 2;
                    int depth = 0;
                    while (b[p] != '>') {
                        depth = depth * 10 + (b[p++] - '0');
                    }
                    p += 2;
                    long offset = 0;
                    while (b[p] != '>') {
                        offset = offset * 16 + Character.digit(b[p++], 16);
                    }
                    int tag = lines.indexOf("(DW_TAG_", p);
                    if (tag < 0) {
                        continue; // a null entry ends a list of children
                    }
                    int kind = lines.regionEquals(tag + 8, "subprogram)") ? 1
                            : lines.regionEquals(tag + 8, "inlined_subroutine)") ? 2
                            : lines.regionEquals(tag + 8, "compile_unit)") || lines.regionEquals(tag + 8, "partial_unit)")
                            ? 3 : 0;
                    tagAt[depth] = kind;
                    offsetAt[depth] = offset;
                    subprogramAt[depth] = null;
                    int unit = units.size() - 1;
                    if (kind == 1) {
                        Subprogram s = new Subprogram();
                        s.unit = unit;
                        subprograms.put(offset, s);
                        subprogramAt[depth] = s;
                        current = s;
                    } else if (kind == 2) {
                        Site s = new Site();
                        s.unit = unit;
                        for (int d = depth - 1; d >= 0; d--) {
                            if (s.parent < 0 && tagAt[d] == 2) {
                                s.parent = offsetAt[d];
                            }
                            if (tagAt[d] == 1 && subprogramAt[d] != null && subprogramAt[d].hasCode) {
                                s.container = offsetAt[d];
                                break;
                            }
                        }
                        sites.put(offset, s);
                        siteOrder.add(offset);
                        current = s;
                    } else {
                        current = kind == 3 ? units.get(unit) : null;
                    }
                } else if (current != null) {
                    // "    <offset>   DW_AT_name        : value"
                    int name = lines.indexOf("DW_AT_", at);
                    if (name < 0) {
                        continue;
                    }
                    int nameEnd = name;
                    while (nameEnd < end && b[nameEnd] != ' ' && b[nameEnd] != ':') {
                        nameEnd++;
                    }
                    int colon = lines.indexOf(": ", nameEnd);
                    String attribute = lines.string(name, nameEnd);
                    String value = colon < 0 ? "" : lines.string(colon + 2).trim();
                    attribute(current, attribute, value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void attribute(Object current, String name, String value) {
        if (current instanceof Subprogram s) {
            switch (name) {
                case "DW_AT_name" -> s.name = string(value);
                case "DW_AT_abstract_origin" -> s.origin = reference(value);
                case "DW_AT_specification" -> s.specification = reference(value);
                case "DW_AT_decl_file" -> s.declFile = Integer.parseInt(value);
                case "DW_AT_decl_line" -> s.declLine = Integer.parseInt(value);
                case "DW_AT_low_pc" -> {
                    s.hasCode = true;
                    s.lowPc = value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16)
                            : Long.parseLong(value);
                }
                case "DW_AT_ranges" -> s.hasCode = true;
                case "DW_AT_declaration" -> s.hasCode = false;
                default -> {
                }
            }
        } else if (current instanceof Site s) {
            switch (name) {
                case "DW_AT_abstract_origin" -> s.origin = reference(value);
                case "DW_AT_call_file" -> s.callFile = Integer.parseInt(value);
                case "DW_AT_call_line" -> s.callLine = Integer.parseInt(value);
                default -> {
                }
            }
        } else if (current instanceof Unit u) {
            switch (name) {
                case "DW_AT_stmt_list" -> u.stmtList = Long.decode(value);
                case "DW_AT_comp_dir" -> u.compDir = string(value);
                default -> {
                }
            }
        }
    }

    /** Lines of a byte stream without a String per line (readelf prints 84 million lines for vmlinux). */
    private static final class LineScanner {
        private final InputStream in;
        byte[] buffer = new byte[1 << 20];
        private int filled;
        private int next;
        int start;
        int end;

        LineScanner(InputStream in) {
            this.in = in;
        }

        boolean next() throws IOException {
            while (true) {
                for (int i = next; i < filled; i++) {
                    if (buffer[i] == '\n') {
                        start = next;
                        end = i;
                        next = i + 1;
                        return true;
                    }
                }
                if (next > 0) {
                    System.arraycopy(buffer, next, buffer, 0, filled - next);
                    filled -= next;
                    next = 0;
                } else if (filled == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    if (filled > next) {
                        start = next;
                        end = filled;
                        next = filled;
                        return true;
                    }
                    return false;
                }
                filled += read;
            }
        }

        boolean startsWith(String prefix) {
            return regionEquals(start, prefix);
        }

        boolean regionEquals(int at, String text) {
            if (at + text.length() > end) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (buffer[at + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        int indexOf(String text, int from) {
            for (int i = from; i + text.length() <= end; i++) {
                if (regionEquals(i, text)) {
                    return i;
                }
            }
            return -1;
        }

        String string(int from) {
            return string(from, end);
        }

        String string(int from, int to) {
            return new String(buffer, from, to - from, StandardCharsets.UTF_8);
        }
    }

    private static String string(String value) {
        Matcher m = STRING_VALUE.matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static long reference(String value) {
        // "<0x2ab>" (unit-relative forms are printed as section offsets by readelf)
        return Long.parseLong(value.substring(3, value.length() - 1), 16);
    }

    private void readLineTables(Path file) {
        Pattern offsetLine = Pattern.compile("^  Offset: +(0x[0-9a-f]+|0)$");
        Pattern entry = Pattern.compile("^  (\\d+)\\t(.*)$");
        LineTable table = null;
        String section = "";
        try (BufferedReader in = run("LC_ALL=C readelf --debug-dump=rawline " + quote(file)
                + " | grep -v -E '^  \\[0x|^  Opcode|^  Special|^  Advance|^  Extended|^  Set |^  Copy'")) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = offsetLine.matcher(line);
                if (m.matches()) {
                    table = new LineTable();
                    lineTables.put(Long.decode(m.group(1)), table);
                    section = "";
                    continue;
                }
                if (table == null) {
                    continue;
                }
                if (line.startsWith("  DWARF Version:")) {
                    table.version = Integer.parseInt(line.substring(16).trim());
                } else if (line.startsWith(" The Directory Table")) {
                    section = "dirs";
                } else if (line.startsWith(" The File Name Table")) {
                    section = "files";
                } else if (line.startsWith(" No Line Number Statements") || line.startsWith(" Line Number Statements")) {
                    section = "";
                } else {
                    Matcher e = entry.matcher(line);
                    if (!e.matches() || section.isEmpty()) {
                        continue;
                    }
                    String[] fields = e.group(2).split("\t");
                    if (section.equals("dirs")) {
                        table.directories.add(string(fields[fields.length - 1]));
                    } else {
                        // DWARF 5: Entry Dir Name (MD5 may follow); DWARF 2-4: Entry Dir Time Size Name.
                        table.fileDirectories.add(Integer.parseInt(fields[0]));
                        table.fileNames.add(string(table.version >= 5 ? fields[1] : fields[fields.length - 1]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file index of a unit as a path: DWARF 5 numbers files and directories from 0 (directory 0 is the
     * compilation directory), DWARF 2-4 from 1. A relative directory is joined to the compilation directory
     * only when that is absolute (prefix-mapped kernels have a relative one; see {@code Strings.path}).
     */
    private String path(int unitIndex, int fileIndex) {
        Unit unit = units.get(unitIndex);
        LineTable table = lineTables.get(unit.stmtList);
        if (table == null || fileIndex < 0) {
            return null;
        }
        int index = table.version >= 5 ? fileIndex : fileIndex - 1;
        if (index < 0 || index >= table.fileNames.size()) {
            return null;
        }
        String name = table.fileNames.get(index);
        int dir = table.fileDirectories.get(index);
        String compDir = table.version >= 5 && !table.directories.isEmpty() ? table.directories.get(0) : unit.compDir;
        String directory = null;
        if (table.version >= 5 && dir >= 1 && dir < table.directories.size()) {
            directory = table.directories.get(dir);
        } else if (table.version < 5 && dir >= 1 && dir <= table.directories.size()) {
            directory = table.directories.get(dir - 1);
        }
        String full = name;
        if (!full.startsWith("/") && directory != null) {
            full = directory + "/" + full;
        }
        if (!full.startsWith("/") && compDir != null && (directory == null || compDir.startsWith("/"))) {
            full = compDir + "/" + full;
        }
        return Path.of(full).normalize().toString();
    }

    private Key key(long offset) {
        String name = null;
        String file = null;
        int line = -1;
        long at = offset;
        for (int hop = 0; hop <= 8 && at >= 0; hop++) {
            Subprogram s = subprograms.get(at);
            if (s == null) {
                break;
            }
            if (name == null && s.name != null) {
                name = s.name;
            }
            if (file == null && s.declFile >= 0) {
                file = path(s.unit, s.declFile);
            }
            if (line < 0 && s.declLine >= 0) {
                line = s.declLine;
            }
            at = s.origin >= 0 ? s.origin : s.specification;
        }
        return name == null ? null : new Key(name, file, Math.max(0, line));
    }

    private void derive() {
        for (Map.Entry<Long, Subprogram> entry : subprograms.entrySet()) {
            Subprogram s = entry.getValue();
            if (!s.hasCode) {
                continue;
            }
            Key key = key(entry.getKey());
            if (key == null) {
                continue;
            }
            instanceCounts.merge(key, 1, Integer::sum);
            if (s.lowPc >= 0) {
                lowPcsByFunction.computeIfAbsent(key, k -> new ArrayList<>()).add(s.lowPc);
            }
        }
        for (long offset : siteOrder) {
            Site site = sites.get(offset);
            Key callee = key(site.origin);
            if (callee == null) {
                continue;
            }
            siteCount++;
            Key containerKey = site.container >= 0 ? key(site.container) : null;
            String caller;
            if (site.parent >= 0) {
                Key parent = key(sites.get(site.parent).origin);
                caller = parent == null ? "" : parent.name();
            } else {
                caller = containerKey == null ? "" : containerKey.name();
            }
            sitesByFunction.computeIfAbsent(callee, k -> new ArrayList<>()).add(site(caller,
                    path(site.unit, site.callFile), site.callLine, containerKey == null ? "" : containerKey.name()));
        }
        sitesByFunction.values().forEach(list -> list.sort(null));
        lowPcsByFunction.values().forEach(list -> list.sort(null));
    }

    /** How a site is compared: calling function, call file and line, function of the containing code. */
    public static String site(String caller, String file, int line, String containerFunction) {
        return caller + " | " + file + ":" + line + " | in " + containerFunction;
    }
}
