// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes DWARF strings by handle, caching per thread (not thread-safe: one instance per worker). A handle
 * names a string without decoding it: the section in the top byte, the offset below, so the scanner keeps
 * only longs for the many names it never needs.
 */
final class Strings {
    static final long NONE = 0;
    static final long STR = 1L << 56;
    static final long LINE_STR = 2L << 56;
    /** An inline DW_FORM_string in .debug_info (global offset). */
    static final long INFO = 3L << 56;
    /** An inline string in a .debug_line header. */
    static final long LINE = 4L << 56;
    private static final long OFFSET_MASK = (1L << 56) - 1;

    private final DebugSections sections;
    private final Map<Long, String> cache = new HashMap<>();
    private final Map<String, String> joined = new HashMap<>();

    Strings(DebugSections sections) {
        this.sections = sections;
    }

    static long handle(long section, long offset) {
        return offset < 0 || offset > OFFSET_MASK ? NONE : section | offset;
    }

    /** The string of a handle; null for {@link #NONE}. */
    String get(long handle) {
        if (handle == NONE) {
            return null;
        }
        String value = cache.get(handle);
        if (value == null) {
            value = decode(handle);
            cache.put(handle, value);
        }
        return value;
    }

    private String decode(long handle) {
        long offset = handle & OFFSET_MASK;
        long kind = handle & ~OFFSET_MASK;
        ByteBuffer buffer;
        String section;
        if (kind == STR) {
            buffer = sections.str;
            section = ".debug_str";
        } else if (kind == LINE_STR) {
            buffer = sections.lineStr;
            section = ".debug_line_str";
        } else if (kind == INFO) {
            buffer = sections.info;
            section = ".debug_info";
        } else {
            buffer = sections.line;
            section = ".debug_line";
        }
        if (offset >= buffer.limit()) {
            throw new DwarfFormatException(sections.path, section, offset, String.format(
                    "string offset is past the end of the section (size 0x%x)", buffer.limit()));
        }
        try {
            return Cursor.string(buffer, (int) offset);
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfFormatException(sections.path, section, offset, "string without a terminating NUL");
        }
    }

    /**
     * A source path from a line table, normalized lexically ({@code a/./b/../c} is {@code a/c}), one String
     * object per distinct path: {@code name} under its directory {@code dir} (null for directory 0, the
     * compilation directory), under {@code compDir}.
     *
     * <p>DWARF says a relative directory is relative to the compilation directory. A build with
     * {@code -fdebug-prefix-map} breaks that: Debian's kernel has compilation directory
     * {@code debian/build/build_amd64_none_amd64} (the object tree, itself relative) and directories such as
     * {@code kernel/power}, relative to the source tree. So a relative directory is joined to the
     * compilation directory only when that is absolute; otherwise the path stays relative to the source
     * tree ({@code kernel/power/suspend.c}), which is what a reader and an editor want.
     */
    String path(String compDir, String dir, String name) {
        String key = (compDir == null ? "" : compDir) + '\0' + (dir == null ? "\1" : dir) + '\0' + name;
        String path = joined.get(key);
        if (path == null) {
            String full = name;
            boolean compDirAbsolute = compDir != null && compDir.startsWith("/");
            if (!full.startsWith("/") && dir != null && !dir.isEmpty()) {
                full = dir + "/" + full;
            }
            if (!full.startsWith("/") && compDir != null && !compDir.isEmpty() && (dir == null || compDirAbsolute)) {
                full = compDir + "/" + full;
            }
            path = normalize(full);
            joined.put(key, path);
        }
        return path;
    }

    static String normalize(String path) {
        if (!path.contains("/.") && !path.contains("//") && !path.startsWith("./")) {
            return path;
        }
        boolean absolute = path.startsWith("/");
        String[] parts = path.split("/");
        String[] kept = new String[parts.length];
        int count = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && count > 0 && !kept[count - 1].equals("..")) {
                count--;
            } else if (!(part.equals("..") && absolute && count == 0)) {
                kept[count++] = part;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        if (absolute) {
            out.append('/');
        }
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(kept[i]);
        }
        return out.length() == 0 ? "." : out.toString();
    }
}
